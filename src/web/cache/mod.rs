//! What the server keeps in memory between requests, and the one hook that forgets it
//! when a village changes.
//!
//! Each cache is short-lived and per server: several app servers on one database each
//! keep their own, and see another server's change within the cache's time to live.
//! On this server, a successful POST under `/desa/{slug}/` forgets that village's pages
//! and ladder counts at once ([`forget_on_change`]); any other successful POST (the
//! administration) forgets every page. The figures of the statistics page are kept by
//! period and only age out (`MUSDES_METRICS_TTL_SECONDS`): they are read as a whole
//! period's summary, where a few seconds' lag is not seen.

pub mod pages;
pub mod records;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use chrono::NaiveDate;
use uuid::Uuid;

use crate::domain::metrics::Metrics;
pub use pages::{PageCache, village_of};
pub use records::RecordCache;

/// A village's figures for a period: computing them reads every attendance line and
/// feedback entry of the period, and many readers ask at once.
pub type MetricsCache = moka::future::Cache<(Uuid, NaiveDate, NaiveDate), Arc<Metrics>>;

pub fn metrics_cache(ttl: Duration) -> MetricsCache {
    moka::future::Cache::builder()
        .max_capacity(if ttl.is_zero() { 0 } else { 5_000 })
        .time_to_live(ttl.max(Duration::from_millis(1)))
        .build()
}

/// What waits in a village for its staff, as "Perlu tindakan" lists it. Every part is
/// read from the village's records alone (never from who asks, nor from the day), so it
/// is kept by the village's revision: finding the proposals ready to climb alone reads
/// the evidence of the newest 200 (some 1,600 statements in a village of 20,000).
pub struct Waiting {
    pub pending: Vec<crate::store::proposals::Proposal>,
    pub concerns: Vec<crate::store::worklist::WaitingConcern>,
    pub observations: Vec<crate::store::worklist::WaitingObservation>,
    pub ready: Arc<Vec<Ready>>,
    pub to_finalize: Vec<crate::store::meetings::Meeting>,
}

/// Each village's [`Waiting`], kept by its revision.
pub type WaitingCache = records::ByRevision<Uuid, Waiting>;

pub fn waiting_cache(keep: bool) -> WaitingCache {
    records::ByRevision::new(keep, |w| {
        records::rows_weight(
            w.pending.len()
                + w.concerns.len()
                + w.observations.len()
                + w.to_finalize.len()
                + w.ready.iter().map(|r| 1 + r.held.len()).sum::<usize>(),
        )
    })
}

/// Which stages of a plan year a village's own records show done, each with the date and
/// the page that did it: read from its finalized meetings' frozen records, its plan, its
/// tim penyusun and the DU-RKP answers, for the portal, "Perlu tindakan", the calendar and
/// the kecamatan's DU-RKP list. Kept by village and plan year while the revision holds
/// (the kabupaten's Perbup dates and the day are applied on every view).
pub type PlanningDone = [Option<(chrono::NaiveDate, String)>; crate::domain::calendar::STAGES];

/// Each village's [`PlanningDone`] by plan year, kept by its revision.
pub type PlanningCache = records::ByRevision<(Uuid, i64), PlanningDone>;

/// An open meeting's page besides the meeting's row, by meeting and by whether the reader
/// is of the village's staff (who also get the forms' choices): see [`MeetingView`]. A
/// finalized meeting's is read on every view, beside the check of its seals.
pub type MeetingCache = records::ByRevision<(Uuid, bool), MeetingView>;

pub fn meeting_cache(keep: bool) -> MeetingCache {
    records::ByRevision::new(keep, |v| {
        records::rows_weight(
            v.record.attendance.len()
                + v.record.agenda.len()
                + v.addenda.len()
                + v.channels.len()
                + v.scans.len()
                + v.groups.len()
                + v.candidates.len()
                + v.alternatives.len(),
        )
    })
}

/// What a meeting's page shows besides the meeting's row and the reader's own parts: its
/// record as it stands (frozen once finalized, else made from its live rows), its
/// addenda, the channels it was announced through, its scans (once finalized, or for the
/// staff); for the staff of an open meeting, the forms' choices (the village's groups,
/// the 200 proposals that may be added to the agenda, the agenda's alternatives). The
/// facilitator reloads the page while recording, and the choices alone were 200 rows.
#[derive(Debug)]
pub struct MeetingView {
    pub record: crate::domain::meeting::Record,
    pub parts: Option<crate::store::meetings::Parts>,
    pub addenda: Vec<crate::store::meetings::Addendum>,
    pub channels: Vec<crate::store::reach::Reach>,
    pub scans: Vec<crate::store::scans::Scan>,
    pub groups: Vec<crate::store::groups::GroupSummary>,
    pub candidates: Vec<(String, String)>,
    pub alternatives: Vec<crate::store::ladder::AgendaAlternative>,
}

pub fn planning_cache(keep: bool) -> PlanningCache {
    records::ByRevision::new(keep, |_| {
        records::rows_weight(crate::domain::calendar::STAGES)
    })
}

/// A proposal ready to climb: the level it may take and what holds for it.
pub struct Ready {
    pub p: crate::store::proposals::Proposal,
    pub next: crate::domain::proposal::Level,
    pub held: Vec<crate::domain::ladder::Condition>,
}

/// Logging in or out changes no page anybody else sees.
fn changes_pages(path: &str) -> bool {
    path != crate::web::paths::LOGIN && path != crate::web::paths::LOGOUT
}

/// Middleware, innermost: a POST the handler answered with success (2xx or 3xx) may have
/// changed anything a village shows — a proposal's status or level, a meeting, the plan —
/// so that village's kept pages are forgotten.
pub async fn forget_on_change(
    State(pages): State<PageCache>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_success() || status.is_redirection()) || !changes_pages(&path) {
        return response;
    }
    pages.changed(village_of(&path));
    response
}
