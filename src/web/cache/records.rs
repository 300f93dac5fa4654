//! What a proposal's page shows besides the proposal's own row, kept per proposal for
//! as long as nothing in its village changed.
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

/// The memory all kept records may take together (as weighed by [`weight`]).
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

/// Kept records, by proposal and reader, with the village revision each was read at.
pub type RecordCache = moka::future::Cache<(Uuid, Reader), (i64, Arc<Record>)>;

/// Off (`keep == false`) nothing is kept: every view reads afresh.
pub fn record_cache(keep: bool) -> RecordCache {
    moka::future::Cache::builder()
        .max_capacity(if keep { CAPACITY } else { 0 })
        .weigher(|_, (_, r): &(i64, Arc<Record>)| weight(r))
        // Only to give the memory back when nobody reads: a change is what makes a
        // record stale, and the revision tells.
        .time_to_idle(Duration::from_secs(600))
        .build()
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
    let Some(cache) = cache else {
        return Ok(Arc::new(read(store, village, p, reader, per_page).await?));
    };
    let key = (p.id, reader);
    if let Some((revision, kept)) = cache.get(&key).await
        && revision == village.revision
    {
        return Ok(kept);
    }
    // Labelled with the revision read before these statements: what they read is at
    // least that new, so the label never claims more than the record holds.
    let fresh = Arc::new(read(store, village, p, reader, per_page).await?);
    cache.insert(key, (village.revision, fresh.clone())).await;
    Ok(fresh)
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
