//! Proposal submissions, written together (see [`super::batches`]).
//!
//! In the weeks before a musyawarah many people send proposals at once. Each submission
//! is the one-time key's claim, a step of the village's counter, the proposal, its first
//! timeline line and its audit line; a batch writes each of these for all its
//! submissions with one statement.
//!
//! What each submitter gets is what a transaction of its own would give: consecutive
//! numbers per village and year in the order of arrival, its key claimed if and only if
//! its proposal is stored (a key taken earlier, or by an earlier submission of the same
//! batch, answers [`StoreError::Repeated`] and writes nothing), and a commit before its
//! answer.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;
use uuid::Uuid;

use super::audit::{self, Entry};
use super::batches::{Batch, Batches, keep_prepared, together};
use super::proposals::Submission;
use super::{
    BeginWrite, Line, Result, Store, StoreError, new_id, now, submissions, timeline_all, write,
};
use crate::domain::proposal::{EventKind, NewProposal, ProposalNumber};

/// One submission as its request left it.
#[derive(Debug)]
pub(crate) struct Job {
    village: Uuid,
    proposal: NewProposal,
    status: &'static str,
    proposer_user: Option<Uuid>,
    proposer_name: String,
    entered_by: Option<Uuid>,
    entered_by_name: Option<String>,
    submitted_from: String,
    year: i32,
    tracking_hash: Option<String>,
    /// The request's one-time key, when it carries one not yet claimed.
    key: Option<String>,
}

/// A submission going ahead, with its new id and number.
struct Row<'a> {
    id: Uuid,
    job: &'a Job,
    number: ProposalNumber,
}

/// The proposals' rows of `rows`, in one statement.
macro_rules! proposals_of {
    ($rows:expr, $at:expr) => {{
        let (rows, at): (&[Row<'_>], DateTime<Utc>) = ($rows, $at);
        let mut q = QueryBuilder::new(
            "INSERT INTO proposals (id, village_id, year, seq, number, title, problem, description, bidang, \
             sub_bidang, location, hamlet, estimated_cost, channel, proposer_user_id, proposer_name, \
             proposer_phone, entered_by, submitted_from, status, level, supports, version, created_at, updated_at, \
             tracking_hash) ",
        );
        q.push_values(rows, |mut b, r| {
            let (j, p) = (r.job, &r.job.proposal);
            b.push_bind(r.id)
                .push_bind(j.village)
                .push_bind(i64::from(j.year))
                .push_bind(r.number.seq)
                .push_bind(r.number.to_string())
                .push_bind(p.title.clone())
                .push_bind(p.problem.clone())
                .push_bind(p.description.clone())
                .push_bind(p.bidang.code())
                .push_bind(p.sub_bidang.clone())
                .push_bind(p.location.clone())
                .push_bind(p.hamlet.clone())
                .push_bind(p.estimated_cost.map(|c| c.get()))
                .push_bind(p.channel)
                .push_bind(j.proposer_user)
                .push_bind(j.proposer_name.clone())
                .push_bind(p.phone.clone())
                .push_bind(j.entered_by)
                .push_bind(j.submitted_from.clone())
                .push_bind(j.status)
                .push("1")
                .push("0")
                .push("1")
                .push_bind(at)
                .push_bind(at)
                .push_bind(j.tracking_hash.clone());
        });
        q
    }};
}

impl Row<'_> {
    /// The proposal's first timeline line.
    fn line(&self, at: DateTime<Utc>) -> Line {
        let j = self.job;
        Line {
            proposal: self.id,
            at,
            actor: j.entered_by.or(j.proposer_user),
            name: j.proposer_name.clone(),
            kind: EventKind::Submitted,
            from: None,
            to: Some(j.status.to_string()),
            note: j
                .entered_by_name
                .as_ref()
                .map(|n| format!("{n} ({})", j.proposal.channel)),
            meeting: None,
        }
    }

    /// The proposal's audit entry.
    fn entry(&self) -> Entry {
        let (j, p) = (self.job, &self.job.proposal);
        let after = serde_json::json!({
            "number": self.number.to_string(), "title": p.title, "problem": p.problem,
            "bidang": p.bidang.code(), "status": j.status, "proposer_name": j.proposer_name,
            "channel": p.channel, "estimated_cost": p.estimated_cost.map(|c| c.get()),
        });
        audit::entry!(actor: j.entered_by.or(j.proposer_user), village: Some(j.village),
            entity: "proposal", id: self.id.to_string(), action: "create", before: None,
            after: Some(after))
    }
}

impl Batch for Job {
    type Answer = ProposalNumber;
    // 22 values each in its proposal row: well within both databases' limits on a
    // statement's parameters.
    const MOST: usize = 64;

    fn queue(store: &Store) -> &Batches<Self> {
        &store.intake
    }

    fn write(
        store: &Store,
        jobs: &[Self],
    ) -> impl std::future::Future<Output = Result<Vec<Result<ProposalNumber>>>> + Send {
        store.write_submissions(jobs)
    }
}

impl Store {
    /// Stores a new proposal: numbered in its village and year, with its first timeline
    /// line and its audit entry, claiming the request's one-time key. Written together with
    /// the submissions that arrive meanwhile (see the module's notes).
    pub async fn create_proposal(
        &self,
        village: Uuid,
        s: &Submission<'_>,
    ) -> Result<ProposalNumber> {
        let key = submissions::unclaimed();
        let job = Job {
            village,
            proposal: s.proposal.clone(),
            status: s.status,
            proposer_user: s.proposer_user,
            proposer_name: s.proposer_name.clone(),
            entered_by: s.entered_by,
            entered_by_name: s.entered_by_name.clone(),
            submitted_from: s.submitted_from.clone(),
            year: s.year,
            tracking_hash: s.tracking_hash.clone(),
            key: key.clone(),
        };
        let number = together(self, job).await?;
        if key.is_some() {
            submissions::claimed();
        }
        Ok(number)
    }

    /// One transaction for `jobs`: each one's answer, or the error that undid them all.
    async fn write_submissions(&self, jobs: &[Job]) -> Result<Vec<Result<ProposalNumber>>> {
        let at = now();
        write!(self, |pool| {
            let mut tx = BeginWrite::begin_write(pool).await?;
            // The keys: each taken by the first submission carrying it, if nobody had.
            let keys: HashSet<&str> = jobs.iter().filter_map(|j| j.key.as_deref()).collect();
            let mut fresh: HashSet<String> = HashSet::new();
            if !keys.is_empty() {
                let mut q = QueryBuilder::new(
                    "INSERT INTO submission_keys (digest, location, created_at) ",
                );
                q.push_values(&keys, |mut row, digest| {
                    row.push_bind(*digest).push("NULL").push_bind(at);
                });
                q.push(" ON CONFLICT (digest) DO NOTHING RETURNING digest");
                fresh = q
                    .build_query_scalar::<String>()
                    .persistent(keep_prepared(keys.len()))
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .collect();
            }
            let going: Vec<bool> = jobs
                .iter()
                .map(|j| j.key.as_ref().is_none_or(|k| fresh.remove(k)))
                .collect();
            // The numbers: one counter step per village and year for all its submissions.
            let mut seqs = vec![0_i64; jobs.len()];
            for ((village, year), members) in counted(jobs, &going) {
                let n = i64::try_from(members.len()).unwrap_or(i64::MAX);
                let last: i64 = sqlx::query_scalar(
                    "INSERT INTO proposal_counters (village_id, year, last_seq) VALUES ($1, $2, $3) \
                     ON CONFLICT (village_id, year) DO UPDATE SET last_seq = proposal_counters.last_seq + $3 \
                     RETURNING last_seq",
                )
                .bind(village)
                .bind(i64::from(year))
                .bind(n)
                .fetch_one(&mut *tx)
                .await?;
                for (seq, i) in (last - n + 1..).zip(members) {
                    seqs[i] = seq;
                }
            }
            let rows: Vec<Row> = jobs
                .iter()
                .zip(&seqs)
                .zip(&going)
                .filter(|(_, going)| **going)
                .map(|((job, seq), _)| Row {
                    id: new_id(),
                    job,
                    number: ProposalNumber {
                        year: job.year,
                        seq: *seq,
                    },
                })
                .collect();
            if !rows.is_empty() {
                proposals_of!(&rows, at)
                    .build()
                    .persistent(keep_prepared(rows.len()))
                    .execute(&mut *tx)
                    .await?;
                timeline_all!(&mut *tx, rows.iter().map(|r| r.line(at)).collect())?;
                audit::append_all!(&mut *tx, rows.iter().map(Row::entry).collect())?;
            }
            tx.commit().await?;
            let mut numbers = rows.iter().map(|r| r.number);
            Ok(going
                .iter()
                .map(|going| match going {
                    true => numbers.next().ok_or(StoreError::NotFound),
                    false => Err(StoreError::Repeated),
                })
                .collect())
        })
    }
}

/// The submissions going ahead, by village and year in order of first arrival, each
/// group in order of arrival.
fn counted(jobs: &[Job], going: &[bool]) -> Vec<((Uuid, i32), Vec<usize>)> {
    let mut groups: Vec<((Uuid, i32), Vec<usize>)> = Vec::new();
    for (i, job) in jobs.iter().enumerate().filter(|(i, _)| going[*i]) {
        let of = (job.village, job.year);
        match groups.iter_mut().find(|(g, _)| *g == of) {
            Some((_, members)) => members.push(i),
            None => groups.push((of, vec![i])),
        }
    }
    groups
}
