//! What is read from a village's records and kept for as long as nothing in the village
//! changed ([`ByRevision`]): a proposal's page besides the proposal's own row (here), a
//! meeting's page besides the meeting's row (`super::MeetingView`), and what waits for the
//! village's staff on "Perlu tindakan" (`super::Waiting`).
//!
//! The page reads some twenty statements: the timeline, the first page of the thread,
//! the evidence for the next ladder step, progress, ratings, needs, actions taken, and
//! for the village's staff the forms' choices. None of it depends on who reads (what only
//! staff see is kept apart from what everyone sees), so it is read once per change of the
//! village, not once per view.
//!
//! Kept exactly, not for a while: every recorded change in a village counts up the
//! village's revision in the change's own transaction (the migration
//! `0050_village_revision`), and the village row is read on every request anyway. A record
//! is used only while the revision it was read at is the village's: a change through
//! another server of the same database is seen at once, as a change through this one is.

use std::sync::Arc;
use std::time::Duration;

use moka::ops::compute::{CompResult, Op};

use uuid::Uuid;

use crate::domain::ladder::{self, Condition};
use crate::domain::proposal::{Level, Status};
use crate::store::cadres::Cadre;
use crate::store::feedback::Thread;
use crate::store::follow_ups::{ActionTaken, Choices};
use crate::store::groups::GroupSummary;
use crate::store::implementation::{Rating, Update};
use crate::store::ladder::{Alternative, Partnership};
use crate::store::needs::Answer;
use crate::store::proposals::{Event, Proposal};
use crate::store::reach::{Announced, Reach};
use crate::store::rpjm::StoredRpjm;
use crate::store::villages::Village;
use crate::store::{Store, StoreError};

/// The memory each kind of kept value may take together (as weighed).
const CAPACITY: u64 = 8 * 1024 * 1024;

/// The share of a record's rows in its weight: a row with its strings, roughly.
const ROW_BYTES: usize = 256;

/// Who reads decides which parts are read, never what they hold: the village's staff
/// (who record meetings) also get the forms' choices and the proposer's phone; those who
/// adopt the plan also the RPJM Desa periods it may be placed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Reader {
    pub staff: bool,
    pub planner: bool,
}

/// A proposal's page without the proposal's row and without the reader's own parts.
#[derive(Debug, Default)]
pub struct Record {
    pub events: Vec<Event>,
    /// The newest page of the thread.
    pub thread: Thread,
    pub partnerships: Vec<Partnership>,
    pub alternatives: Vec<Alternative>,
    pub channels_used: Vec<Reach>,
    pub implementer: Option<String>,
    /// Every condition up to the next level, and whether each holds.
    pub next: Option<(Level, Vec<Condition>)>,
    pub updates: Vec<Update>,
    pub ratings: Vec<Rating>,
    pub needs: Vec<Answer>,
    pub follow_ups: Vec<ActionTaken>,
    pub driver: Option<(Uuid, String, String)>,
    // For the staff.
    pub follow_up_choices: Choices,
    pub cadres: Vec<Cadre>,
    pub groups: Vec<GroupSummary>,
    pub proposer_phone: Option<String>,
    // For those who adopt the plan.
    pub rpjms: Vec<StoredRpjm>,
}

/// Values read from one village's records, each kept with the village revision it was
/// read at and used only while that revision holds (weighed in bytes, roughly).
pub struct ByRevision<K, V> {
    kept: moka::future::Cache<K, (i64, Arc<V>)>,
    keep: bool,
}

impl<K, V> Clone for ByRevision<K, V> {
    fn clone(&self) -> Self {
        ByRevision {
            kept: self.kept.clone(),
            keep: self.keep,
        }
    }
}

impl<K, V> ByRevision<K, V>
where
    K: std::hash::Hash + Eq + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    /// Off (`keep == false`) nothing is kept: every request reads afresh.
    pub fn new(keep: bool, weigh: fn(&V) -> u32) -> Self {
        ByRevision {
            kept: moka::future::Cache::builder()
                .max_capacity(if keep { CAPACITY } else { 0 })
                .weigher(move |_, (_, v): &(i64, Arc<V>)| weigh(v))
                // Only to give the memory back when nobody reads: a change is what makes
                // a value stale, and the revision tells.
                .time_to_idle(Duration::from_secs(600))
                .build(),
            keep,
        }
    }

    /// The value kept under `key` while the village is still at `revision` (or was read
    /// at a later one), else `read` now and kept. Readers of one key who find it stale at
    /// the same moment wait for one reading. Label it with the revision read *before*
    /// `read` runs: what `read` reads is at least that new, so the label never claims
    /// more than the value holds.
    pub async fn get<E>(
        &self,
        key: K,
        revision: i64,
        read: impl std::future::Future<Output = Result<V, E>>,
    ) -> Result<Arc<V>, E>
    where
        K: Clone,
    {
        if !self.keep {
            return Ok(Arc::new(read.await?));
        }
        if let Some((at, kept)) = self.kept.get(&key).await
            && at >= revision
        {
            return Ok(kept);
        }
        let mut failed = None;
        let computed = self
            .kept
            .entry(key)
            .and_compute_with(|kept| async {
                // Another reader may have read it while this one waited.
                if kept.is_some_and(|e| e.value().0 >= revision) {
                    return Op::Nop;
                }
                match read.await {
                    Ok(v) => Op::Put((revision, Arc::new(v))),
                    Err(e) => {
                        failed = Some(e);
                        Op::Nop
                    }
                }
            })
            .await;
        match (failed, computed) {
            (Some(e), _) => Err(e),
            (
                None,
                CompResult::Inserted(e) | CompResult::ReplacedWith(e) | CompResult::Unchanged(e),
            ) => Ok(e.into_value().1),
            // Never: nothing is removed here, and the one way to leave no entry (a failed
            // reading) returned above.
            (None, CompResult::StillNone(_) | CompResult::Removed(_)) => {
                unreachable!("a reading neither kept nor failed")
            }
        }
    }
}

/// Kept records, by proposal and reader.
pub type RecordCache = ByRevision<(Uuid, Reader), Record>;

pub fn record_cache(keep: bool) -> RecordCache {
    ByRevision::new(keep, weight)
}

fn weight(r: &Record) -> u32 {
    let rows = r.events.len()
        + r.thread
            .entries
            .iter()
            .map(|e| 1 + e.answers.len())
            .sum::<usize>()
        + r.partnerships.len()
        + r.alternatives.len()
        + r.channels_used.len()
        + r.next.as_ref().map_or(0, |(_, c)| c.len())
        + r.updates.len()
        + r.ratings.len()
        + r.needs.len()
        + r.follow_ups.len()
        + r.cadres.len()
        + r.groups.len()
        + r.rpjms.len();
    rows_weight(rows)
}

/// The weight of a value of `rows` rows.
pub fn rows_weight(rows: usize) -> u32 {
    u32::try_from((rows + 4) * ROW_BYTES).unwrap_or(u32::MAX)
}

/// The record of `p` for `reader`, its thread's newest page `per_page` entries long: the
/// kept one while the village is at the revision it was read at, else read now (and
/// kept). Without a cache, read now.
pub async fn record(
    cache: Option<&RecordCache>,
    store: &Store,
    village: &Village,
    p: &Proposal,
    reader: Reader,
    per_page: i64,
) -> Result<Arc<Record>, StoreError> {
    let read = read(store, village, p, reader, per_page);
    match cache {
        Some(cache) => cache.get((p.id, reader), village.revision, read).await,
        None => Ok(Arc::new(read.await?)),
    }
}

async fn read(
    store: &Store,
    village: &Village,
    p: &Proposal,
    reader: Reader,
    per_page: i64,
) -> Result<Record, StoreError> {
    let implementer = match p.implementer_group_id {
        Some(g) => match store.group(village.id, g).await {
            Ok(g) => Some(g.name),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e),
        },
        None => None,
    };
    // Everyone sees what the proposal still needs for the next level.
    let next = match Level::ALL.into_iter().find(|l| *l > p.level) {
        Some(next) => {
            let evidence = store.evidence(village, p).await?;
            Some((
                next,
                ladder::conditions_up_to(next, &evidence, &village.thresholds()),
            ))
        }
        None => None,
    };
    let mut record = Record {
        events: store.proposal_events(p.id).await?,
        thread: store.feedback_thread(p.id, 1, per_page).await?,
        partnerships: store.partnerships(p.id).await?,
        alternatives: store.alternatives(p.id).await?,
        channels_used: store
            .reach_of(village.id, Announced::Proposal(p.id))
            .await?,
        implementer,
        next,
        updates: store.progress_updates(p.id).await?,
        ratings: store.ratings(p.id).await?,
        needs: store.answers(None, Some(p.id)).await?,
        follow_ups: store.follow_ups(p.id).await?,
        driver: store.driver_of(p.id).await?,
        ..Record::default()
    };
    if reader.staff {
        record.follow_up_choices = store.follow_up_choices(p.id).await?;
        record.cadres = store.list_cadres(village.id).await?;
        record.groups = store.list_groups(village.id).await?;
        record.proposer_phone = store.proposer_phone(p.id).await?;
    }
    if reader.planner && matches!(p.status, Status::Accepted | Status::Deferred) {
        record.rpjms = store.rpjms(village.id).await?;
    }
    Ok(record)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn a_value_is_read_once_per_revision_by_readers_asking_together() {
        let kept: ByRevision<u8, usize> = ByRevision::new(true, |_| 1);
        let reads = Arc::new(AtomicUsize::new(0));
        let read = |reads: Arc<AtomicUsize>| async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            Ok::<_, ()>(reads.fetch_add(1, Ordering::SeqCst) + 1)
        };
        let together: Vec<_> = (0..8)
            .map(|_| {
                let (kept, reads) = (kept.clone(), reads.clone());
                tokio::spawn(async move { *kept.get(1, 7, read(reads)).await.unwrap() })
            })
            .collect();
        for r in together {
            assert_eq!(r.await.unwrap(), 1);
        }
        assert_eq!(reads.load(Ordering::SeqCst), 1);
        // A reader who saw the village a revision earlier gets the newer value.
        assert_eq!(*kept.get(1, 6, read(reads.clone())).await.unwrap(), 1);
        // A change: read again, once.
        assert_eq!(*kept.get(1, 8, read(reads.clone())).await.unwrap(), 2);
        assert_eq!(*kept.get(1, 8, read(reads.clone())).await.unwrap(), 2);
        // A failed reading is answered as failed and keeps nothing.
        let failed: Result<_, &str> = kept.get(1, 9, async { Err("down") }).await;
        assert_eq!(failed.unwrap_err(), "down");
        assert_eq!(*kept.get(1, 9, read(reads.clone())).await.unwrap(), 3);
        // Off, every request reads.
        let off: ByRevision<u8, usize> = ByRevision::new(false, |_| 1);
        assert_eq!(*off.get(1, 1, read(reads.clone())).await.unwrap(), 4);
        assert_eq!(*off.get(1, 1, read(reads.clone())).await.unwrap(), 5);
    }
}
