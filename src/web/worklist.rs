//! "Perlu tindakan": what waits for a village's officials and facilitators, on one page
//! and where they land after logging in. Proposals in moderation, concerns nobody has
//! answered (oldest first), proposals whose evidence already holds for the next ladder
//! level (moved with one tap, the conditions shown), meetings held but not finalized,
//! and the planning year's stage that is due.

use askama::Template;
use askama_web::WebTemplate;
use axum::routing::get;

use axum::extract::State;

use super::error::AppResult;
use super::page::Ctx;
use super::routes::Routes;
use super::visit::InVillage;
use crate::domain::access::Action;
use crate::domain::ladder;
use crate::domain::proposal::Status;
use crate::store::meetings::Meeting;
use crate::store::proposals::{Proposal, ProposalFilter, Sort};
use crate::store::residents::ResidentRequest;
use crate::store::villages::Village;
use crate::store::worklist::WaitingConcern;
use crate::web::paths;

pub fn routes() -> Routes {
    Routes::new().route(paths::WORKLIST, get(show))
}

/// How many of each kind the page lists; a longer queue says so and links to the rest.
const SHOWN: i64 = 50;
/// How many active proposals are read for their evidence, newest first.
const CLIMBING_READ: i64 = 200;

use super::cache::{Ready, Waiting};

#[derive(Template, WebTemplate)]
#[template(path = "village/worklist.html")]
struct WorklistPage {
    ctx: Ctx,
    village: Village,
    pending: Vec<Proposal>,
    concerns: Vec<WaitingConcern>,
    /// Residents' observations of the work waiting to be published or hidden.
    observations: Vec<crate::store::worklist::WaitingObservation>,
    ready: std::sync::Arc<Vec<Ready>>,
    to_finalize: Vec<Meeting>,
    may_finalize: bool,
    /// People who signed up as residents and wait for confirmation.
    sign_ups: Vec<ResidentRequest>,
    /// Problems listed a season ago that no proposal answers yet.
    needs_waiting: Vec<crate::store::needs::Need>,
    plan_year: i64,
    planning: Option<(String, String, bool)>,
}

impl WorklistPage {
    fn nothing_waits(&self) -> bool {
        self.pending.is_empty()
            && self.concerns.is_empty()
            && self.observations.is_empty()
            && self.ready.is_empty()
            && self.to_finalize.is_empty()
            && self.sign_ups.is_empty()
            && self.needs_waiting.is_empty()
    }
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        super::filters::local_time(at, &self.village.timezone)
    }
}

/// Ended, merged away or refused: nothing more climbs there.
fn may_climb(p: &Proposal) -> bool {
    !matches!(
        p.status,
        Status::Pending | Status::Rejected | Status::Withdrawn | Status::Merged
    )
}

async fn show(
    State(kept): State<super::cache::WaitingCache>,
    State(planning): State<super::cache::PlanningCache>,
    visit: InVillage,
) -> AppResult<WorklistPage> {
    visit.actor(Action::RecordMeetings)?;
    let (store, ctx, village) = visit.into_parts();
    // Read once per change of the village, on any server.
    let waiting = kept
        .get(village.id, village.revision, waiting(&store, &village))
        .await?;
    let may_finalize = ctx.may(Action::FinalizeMeetings, Some(village.id));
    let (plan_year, planning) =
        super::villages::planning_now(&store, &planning, &ctx, &village).await?;
    // Signing up is not a change of the village's records, and what waits a season
    // depends on the day: both read on every view (the planning year's stage is kept by
    // the revision; the day and the kabupaten's dates are applied afresh).
    let sign_ups = store.resident_requests(village.id).await?;
    let needs_waiting = store.needs_waiting(village.id, chrono::Utc::now()).await?;
    Ok(WorklistPage {
        ctx,
        village,
        pending: waiting.pending.clone(),
        concerns: waiting.concerns.clone(),
        observations: waiting.observations.clone(),
        ready: waiting.ready.clone(),
        to_finalize: waiting.to_finalize.clone(),
        may_finalize,
        sign_ups,
        needs_waiting,
        plan_year,
        planning,
    })
}

async fn waiting(store: &crate::store::Store, village: &Village) -> AppResult<Waiting> {
    let pending_filter = ProposalFilter {
        status: Some(Status::Pending.code().to_string()),
        include_pending: true,
        ..ProposalFilter::default()
    };
    let mut pending = store
        .list_proposals(village.id, &pending_filter, Sort::Newest, SHOWN, 0)
        .await?;
    pending.reverse();
    Ok(Waiting {
        pending,
        concerns: store.unanswered_concerns(village.id, SHOWN).await?,
        observations: store.observations_waiting(village.id, SHOWN).await?,
        ready: ready_to_climb(store, village).await?,
        to_finalize: store.meetings_to_finalize(village.id, SHOWN).await?,
    })
}

/// The newest active proposals whose evidence already holds for their next level.
async fn ready_to_climb(
    store: &crate::store::Store,
    village: &Village,
) -> crate::store::Result<std::sync::Arc<Vec<Ready>>> {
    let active = store
        .list_proposals(
            village.id,
            &ProposalFilter::default(),
            Sort::Newest,
            CLIMBING_READ,
            0,
        )
        .await?;
    let thresholds = village.thresholds();
    let mut ready = Vec::new();
    for p in active.into_iter().filter(may_climb) {
        let evidence = store.evidence(village, &p).await?;
        if let Some((next, held)) = ladder::ready_for_next(p.level, &evidence, &thresholds) {
            ready.push(Ready { p, next, held });
        }
    }
    Ok(std::sync::Arc::new(ready))
}
