//! One proposal's page: loading it for a visitor, everything it shows, and showing it
//! again with a form's problem (422) or as it now stands (409).

use crate::web::paths;
use crate::web::visit::InVillage;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{FromRef, FromRequestParts, Query};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::THREAD_PAGE;
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::feedback::FeedbackForm;
use crate::domain::follow_up::{Evidence, FollowUpForm, Subject};
use crate::domain::implementation::{self, ProgressForm, RatingForm};
use crate::domain::ladder;
use crate::domain::ladder::Condition;
use crate::domain::proposal::{self, EventKind, Level, Mover, Status};
use crate::store::Store;
use crate::store::feedback::{Entry, Thread};
use crate::store::follow_ups::{ActionTaken, Choices};
use crate::store::groups::GroupSummary;
use crate::store::implementation::{Rating, Update};
use crate::store::ladder::Partnership;
use crate::store::proposals::{Event, Proposal};
use crate::store::villages::Village;
use crate::web::AppState;
use crate::web::cache::RecordCache;
use crate::web::cache::records::{self, Reader};
use crate::web::error::{AppError, AppResult};
use crate::web::filters;
use crate::web::page::{Ctx, Viewer};

#[derive(Template, WebTemplate)]
#[template(path = "proposals/show.html")]
pub(super) struct ShowPage {
    ctx: Ctx,
    village: Village,
    p: Proposal,
    events: Vec<Event>,
    feedback: Thread,
    /// The page of the feedback thread shown (1: the newest entries).
    thread_page: i64,
    /// What was typed in the feedback, answer or hide form, and what was wrong with it.
    typed: FeedbackForm,
    errors: FieldErrors,
    /// The entry an answer or hiding with an error belongs to.
    typed_for: Option<Uuid>,
    /// What was typed in the status form.
    status_form: StatusForm,
    merge_form: MergeForm,
    updates: Vec<Update>,
    ratings: Vec<Rating>,
    progress_form: ProgressForm,
    /// The progress form that failed was a resident's observation.
    typed_observing: bool,
    rating_form: RatingForm,
    ladder: LadderView,
    /// For officials, when the proposal may wait in the RPJM Desa: the years it can be
    /// placed in (from this year to the end of the village's latest period).
    rpjm_years: Vec<i64>,
    /// For the village's officials and facilitators: the phone the proposer left.
    proposer_phone: Option<String>,
    /// The tracking code this browser was shown when the proposal was stored.
    tracking_code: Option<String>,
    /// The problems of the village's inventory this proposal answers.
    needs: Vec<crate::store::needs::Answer>,
    /// Tindak lanjut: the actions taken on its concerns and decisions; for its staff, what
    /// the form to record one offers, and what was typed in it.
    follow_ups: Vec<ActionTaken>,
    follow_up_choices: Choices,
    follow_up_form: FollowUpForm,
    /// The cadre who drives it (id, name, role); for its staff, the village's cadres.
    driver: Option<(Uuid, String, String)>,
    cadres: Vec<crate::store::cadres::Cadre>,
}

impl ShowPage {
    fn levels(&self) -> [Level; 5] {
        Level::ALL
    }
    /// Where the evidence of a condition is recorded.
    fn condition_href(&self, c: &Condition) -> String {
        match c.place.anchor() {
            anchor if anchor.starts_with('#') => anchor.to_string(),
            page => format!("{}/{page}", paths::village(&self.village.slug)),
        }
    }
    fn ladder_error(&self, section: &str, field: &str) -> Option<&'static str> {
        (self.ladder.section == section)
            .then(|| self.errors.get(field))
            .flatten()
    }
    fn may_record(&self) -> bool {
        self.ctx.may(Action::RecordMeetings, Some(self.village.id))
    }
    fn sub_bidang_name(&self) -> Option<&'static str> {
        self.p
            .sub_bidang
            .as_deref()
            .and_then(proposal::sub_bidang_name)
    }
    fn when(&self, at: &DateTime<Utc>) -> String {
        crate::web::filters::local_time(at, &self.village.timezone)
    }
    /// What a timeline event moved to, in words: a status, a level, a channel or a name.
    fn event_detail(&self, e: &Event) -> String {
        if let (EventKind::Answered, Some(kind)) = (e.kind, e.from_value.as_deref()) {
            return format!("({})", self.ctx.tk("feedback_kind", kind));
        }
        let Some(to) = e.to_value.as_deref() else {
            return String::new();
        };
        match e.kind {
            EventKind::Submitted => String::new(),
            EventKind::LevelChanged | EventKind::LevelAuto => {
                let from = e.from_value.as_deref().unwrap_or_default();
                format!(
                    "({} → {})",
                    self.ctx.tk("level", from),
                    self.ctx.tk("level", to)
                )
            }
            EventKind::Announced => format!("({})", self.ctx.tk("info_channel", to)),
            EventKind::Planned => format!("({})", self.ctx.tk("placement", to)),
            EventKind::DuRkp => format!("({})", self.ctx.tk("du_rkp_answer", to)),
            EventKind::Rpjm => format!("({to})"),
            EventKind::Partnership => {
                let what = e.from_value.as_deref().unwrap_or_default();
                format!("{to} ({})", self.ctx.tk("contribution", what))
            }
            EventKind::Alternative => {
                let with = e.from_value.as_deref().unwrap_or_default();
                format!("{to} ({with})")
            }
            EventKind::MergedFrom
            | EventKind::MergedInto
            | EventKind::Progress
            | EventKind::Implementer => to.to_string(),
            _ => format!("({})", self.ctx.tk("status", to)),
        }
    }
    /// What a shared link says of the proposal: its problem, cut to a preview's length.
    fn summary(&self) -> String {
        let text: String = self.p.problem.chars().take(200).collect();
        if text.chars().count() < self.p.problem.chars().count() {
            format!("{text}…")
        } else {
            text
        }
    }
    /// The message prepared for WhatsApp: the proposal, its number and village, and what
    /// a reader can do.
    fn share_text(&self) -> String {
        format!(
            "{} {} — {}\n{}: {}\n{}",
            self.ctx.t("share.proposal"),
            self.p.number,
            self.p.title,
            self.village.name,
            self.summary(),
            self.ctx.t("share.proposal_ask")
        )
    }
    /// An event's note for the reader: for an edit, the names of the fields that changed
    /// (stored as their codes), in the reader's language; for an answer, its text.
    fn event_note(&self, e: &Event) -> Option<String> {
        let note = e.note.as_deref()?;
        match e.kind {
            EventKind::Edited => {}
            // Answers recorded before the kind had its own column began "concern: ".
            EventKind::Answered if e.from_value.is_none() => {
                let body = ["comment", "concern", "support"]
                    .iter()
                    .find_map(|k| note.strip_prefix(k)?.strip_prefix(": "));
                return Some(body.unwrap_or(note).to_string());
            }
            _ => return Some(note.to_string()),
        }
        let fields: Vec<&str> = note.split(", ").map(|f| self.field_label(f)).collect();
        Some(fields.join(", "))
    }
    /// The form's label of a proposal's field, by the code an edit stores.
    fn field_label<'a>(&self, field: &'a str) -> &'a str {
        let key = match field {
            "title" => "proposal.title",
            "problem" => "proposal.problem",
            "description" => "proposal.description",
            "bidang" => "proposal.bidang",
            "sub_bidang" => "proposal.sub_bidang",
            "location" => "proposal.location",
            "dusun" => "proposal.dusun",
            "estimated_cost" => "proposal.cost",
            other => return other,
        };
        self.ctx.t(key)
    }
    fn may_give_feedback(&self) -> bool {
        self.p.status != Status::Pending
    }
    fn logged_in(&self) -> bool {
        self.ctx.viewer.is_some()
    }
    fn may_review(&self) -> bool {
        self.ctx.may(Action::ReviewProposals, Some(self.village.id))
    }
    /// Concerns still waiting for an official's answer (shown to officials).
    fn unanswered_concerns(&self) -> i64 {
        self.feedback.unanswered
    }
    fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.feedback.entries.iter()
    }
    /// The thread's pages: (older page, newer page), when there are such.
    fn thread_pager(&self) -> (Option<i64>, Option<i64>) {
        let shown = self.thread_page * THREAD_PAGE;
        (
            (shown < self.feedback.total).then_some(self.thread_page + 1),
            (self.thread_page > 1).then_some(self.thread_page - 1),
        )
    }
    fn error_for(&self, entry: &Uuid, field: &str) -> Option<&'static str> {
        (self.typed_for.as_ref() == Some(entry))
            .then(|| self.errors.get(field))
            .flatten()
    }
    /// The statuses staff may move this proposal to from here.
    fn next_statuses(&self) -> Vec<Status> {
        let from = self.p.status;
        proposal::next_statuses(from)
            .into_iter()
            .filter(|to| match proposal::manual_transition(from, *to) {
                Some((Mover::Moderator, _)) => {
                    self.ctx.may(Action::RecordMeetings, Some(self.village.id))
                }
                Some((Mover::Official, _)) => self.may_review(),
                None => false,
            })
            .collect()
    }
    fn is_proposer(&self) -> bool {
        self.ctx
            .viewer
            .as_ref()
            .is_some_and(|v| self.p.proposer_user_id == Some(v.id))
    }
    fn may_merge(&self) -> bool {
        self.may_review()
            && Status::ALL
                .into_iter()
                .any(|t| proposal::may_merge(self.p.status, t))
    }
    fn may_report_progress(&self) -> bool {
        self.ctx.may(Action::RecordMeetings, Some(self.village.id))
            && implementation::may_report_progress(self.p.status)
    }
    fn may_evaluate(&self) -> bool {
        self.ctx.may(Action::Participate, Some(self.village.id))
            && implementation::may_evaluate(self.p.status)
    }
    fn average_rating(&self) -> Option<String> {
        implementation::average_text(
            self.ratings.iter().map(|r| r.rating).sum(),
            self.ratings.len() as i64,
        )
    }
    fn upload_action(&self) -> String {
        self.upload_to(&paths::proposal_progress(
            &self.village.slug,
            &self.p.number,
        ))
    }
    fn observation_action(&self) -> String {
        self.upload_to(&paths::proposal_observation(
            &self.village.slug,
            &self.p.number,
        ))
    }
    fn upload_to(&self, path: &str) -> String {
        format!(
            "{path}?csrf_token={}&{}={}",
            self.ctx.csrf,
            crate::web::csrf::ONCE_FIELD,
            self.ctx.once()
        )
    }
    /// A resident of the village (not its staff, who report progress themselves) may add
    /// an observation while the work goes on.
    fn may_observe(&self) -> bool {
        !self.may_record()
            && self.ctx.may(Action::Participate, Some(self.village.id))
            && implementation::may_report_progress(self.p.status)
    }
    /// The updates this viewer sees: published ones; the staff also those waiting.
    fn visible_updates(&self) -> Vec<&Update> {
        let staff = self.may_record();
        self.updates
            .iter()
            .filter(|u| u.status == "published" || (staff && u.status == "pending"))
            .collect()
    }
    /// Errors of the progress forms: the staff's report, or a resident's observation.
    fn progress_error(&self, observing: &bool, field: &str) -> Option<&'static str> {
        (self.typed_observing == *observing)
            .then(|| self.errors.get(field))
            .flatten()
    }
    fn may_edit(&self) -> bool {
        self.is_proposer() && proposal::proposer_may_edit(self.p.status)
    }
    fn may_withdraw(&self) -> bool {
        self.is_proposer() && proposal::proposer_may_withdraw(self.p.status)
    }
    fn may_follow_up(&self) -> bool {
        self.may_record()
    }
    /// The actions taken on one concern of the thread.
    fn actions_on(&self, concern: &Uuid) -> Vec<&ActionTaken> {
        self.follow_ups
            .iter()
            .filter(|a| a.feedback_id.as_ref() == Some(concern))
            .collect()
    }
    /// The record that shows an action, in words, with where it is.
    fn evidence_of(&self, a: &ActionTaken) -> (String, String) {
        let slug = &self.village.slug;
        if let (Some(_), Some(progress)) = (a.update_id, a.update_progress) {
            return (
                format!("{} {progress}%", self.ctx.t("follow_up.evidence_update")),
                "#kemajuan".to_string(),
            );
        }
        if let Some(year) = a.plan_year {
            let href = paths::plan(slug, year.to_string());
            return (
                format!("{} {year}", self.ctx.t("follow_up.evidence_plan")),
                href,
            );
        }
        match (a.evidence_meeting_id, &a.evidence_title) {
            (Some(m), Some(title)) => (
                format!("{}: {title}", self.ctx.t("follow_up.evidence_decision")),
                paths::meeting(slug, m),
            ),
            _ => (String::new(), String::new()),
        }
    }
    fn login_href(&self) -> String {
        crate::web::paths::login_then(&self.ctx.path)
    }
}

/// Pending proposals are seen by the village's officials and facilitators, and by the
/// visitor who sent it; nobody else learns that they exist.
async fn visible(ctx: &Ctx, village: &Village, p: &Proposal) -> AppResult<bool> {
    if p.status != Status::Pending || ctx.may(Action::RecordMeetings, Some(village.id)) {
        return Ok(true);
    }
    super::track::is_own(&ctx.session, &village.slug, &p.number).await
}

/// A visit to one proposal (`/desa/{slug}/usulan/{number}/…`): the visitor's context and
/// the proposal with its village, loaded and checked in one place, as crates.io's
/// `CratePath` does. A proposal the visitor may not see is 404, as if it did not exist;
/// what the visitor may do there is asked with [`Visit::actor`].
pub(super) struct Visit {
    pub(super) store: Store,
    /// What is kept of proposals' pages.
    pub(super) records: RecordCache,
    pub(super) ctx: Ctx,
    pub(super) village: Village,
    pub(super) p: Proposal,
}

impl<S> FromRequestParts<S> for Visit
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let (visit, path) = InVillage::with_path(parts, state).await?;
        let records = AppState::from_ref(state).records.clone();
        let number = path.get("number").ok_or(AppError::NotFound)?;
        let (store, ctx, village) = visit.into_parts();
        let p = store.proposal_by_number(village.id, number).await?;
        if !visible(&ctx, &village, &p).await? {
            return Err(AppError::NotFound);
        }
        Ok(Visit {
            store,
            records,
            ctx,
            village,
            p,
        })
    }
}

impl Visit {
    /// The person doing `action` on this proposal; anyone else is sent to log in or
    /// refused (403).
    pub(super) fn actor(&self, action: Action) -> AppResult<Viewer> {
        Ok(self.ctx.authorize(action, Some(self.village.id))?.clone())
    }

    /// The proposal's page, at `anchor` (`""`, or `#tanggapan`).
    pub(super) fn href(&self, anchor: &str) -> String {
        paths::proposal(&self.village.slug, &self.p.number) + anchor
    }

    /// Done: the notice for the next page, and back to the proposal at `anchor`.
    pub(super) async fn done(&self, notice: &'static str, anchor: &str) -> AppResult<Response> {
        self.ctx.flash(notice);
        Ok(Redirect::to(&self.href(anchor)).into_response())
    }

    /// The proposal's page again with what was typed and what was wrong with it: 422,
    /// nothing stored.
    pub(super) async fn refused(self, typed: Typed) -> AppResult<Response> {
        self.again(StatusCode::UNPROCESSABLE_ENTITY, typed).await
    }

    /// Someone changed the proposal first: 409 with its current state, and `typed` (what
    /// was typed, the word beside its field), not a silent overwrite.
    pub(super) async fn stale(mut self, typed: Typed) -> AppResult<Response> {
        self.p = self
            .store
            .proposal_by_number(self.village.id, &self.p.number)
            .await?;
        self.again(StatusCode::CONFLICT, typed).await
    }

    async fn again(self, status: StatusCode, typed: Typed) -> AppResult<Response> {
        let page = page(
            &self.store,
            Some(&self.records),
            self.ctx,
            self.village,
            self.p,
            typed,
        )
        .await?;
        Ok((status, page).into_response())
    }
}

/// What the proposal page shows besides the record: a form typed with its errors.
#[derive(Default)]
pub(super) struct Typed {
    pub(super) feedback: FeedbackForm,
    pub(super) errors: FieldErrors,
    /// A ladder form that failed: which one, what was typed, and unmet conditions.
    pub(super) ladder: Option<(&'static str, LadderForm, Vec<Condition>)>,
    pub(super) for_entry: Option<Uuid>,
    pub(super) status: StatusForm,
    pub(super) merge: MergeForm,
    pub(super) progress: ProgressForm,
    /// The form that failed was a resident's observation (or its moderation).
    pub(super) observing: bool,
    pub(super) rating: RatingForm,
    pub(super) follow_up: FollowUpForm,
    /// The page of the feedback thread asked for (`?tanggapan=`).
    pub(super) thread_page: i64,
}

impl Typed {
    /// Nothing typed kept, one message beside `field`.
    pub(super) fn error(field: &'static str, key: &'static str) -> Typed {
        let mut errors = FieldErrors::new();
        errors.add(field, key);
        Typed {
            errors,
            ..Typed::default()
        }
    }

    /// A ladder form that failed, with its errors and the conditions still unmet.
    pub(super) fn ladder(
        section: &'static str,
        form: LadderForm,
        errors: FieldErrors,
        unmet: Vec<Condition>,
    ) -> Typed {
        Typed {
            errors,
            ladder: Some((section, form, unmet)),
            ..Typed::default()
        }
    }
}

pub(super) async fn page(
    store: &Store,
    records: Option<&RecordCache>,
    mut ctx: Ctx,
    village: Village,
    p: Proposal,
    typed: Typed,
) -> AppResult<ShowPage> {
    let reader = Reader {
        staff: ctx.may(Action::RecordMeetings, Some(village.id)),
        planner: ctx.may(Action::AdoptPlan, Some(village.id)),
    };
    let record = records::record(records, store, &village, &p, reader, THREAD_PAGE).await?;
    let mut ladder = LadderView {
        next: record.next.clone(),
        partnerships: record.partnerships.clone(),
        channels_used: record.channels_used.clone(),
        alternatives: record.alternatives.clone(),
        implementer: record.implementer.clone(),
        // The staff also get the links to record the evidence, and the forms.
        hamlets: if reader.staff {
            village.hamlets.clone()
        } else {
            Vec::new()
        },
        groups: record.groups.clone(),
        ..LadderView::default()
    };
    if let Some((section, form, unmet)) = typed.ladder {
        ladder.section = section;
        ladder.form = form;
        ladder.unmet = unmet;
    }
    let thread_page = typed.thread_page.clamp(1, 10_000);
    let feedback = if thread_page == 1 {
        record.thread.clone()
    } else {
        store
            .feedback_thread(p.id, thread_page, THREAD_PAGE)
            .await?
    };
    let this_year = village.this_year();
    let mut rpjm_years: Vec<i64> = record
        .rpjms
        .iter()
        .flat_map(|r| r.start_year.max(this_year)..=r.end_year)
        .collect();
    rpjm_years.sort_unstable();
    let tracking_code = super::track::shown_code(&ctx.session, &village.slug, &p.number).await?;
    if ctx.viewer.is_some() {
        ctx.ensure_csrf().await?;
    }
    Ok(ShowPage {
        ctx,
        village,
        p,
        events: record.events.clone(),
        feedback,
        thread_page,
        typed: typed.feedback,
        errors: typed.errors,
        typed_for: typed.for_entry,
        status_form: typed.status,
        merge_form: typed.merge,
        updates: record.updates.clone(),
        ratings: record.ratings.clone(),
        progress_form: typed.progress,
        typed_observing: typed.observing,
        rating_form: typed.rating,
        ladder,
        rpjm_years,
        proposer_phone: record.proposer_phone.clone(),
        tracking_code,
        needs: record.needs.clone(),
        follow_ups: record.follow_ups.clone(),
        follow_up_choices: record.follow_up_choices.clone(),
        follow_up_form: typed.follow_up,
        driver: record.driver.clone(),
        cadres: record.cadres.clone(),
    })
}

/// The proposal's page again with `errors` (a form of another module refused).
pub(crate) async fn refused_on_page(
    store: &Store,
    ctx: Ctx,
    village: &Village,
    p: &Proposal,
    errors: FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let typed = Typed {
        errors,
        ..Typed::default()
    };
    let page = page(store, None, ctx, village.clone(), p.clone(), typed).await?;
    Ok((status, page).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct ThreadQuery {
    tanggapan: String,
}

pub(super) async fn show(visit: Visit, Query(query): Query<ThreadQuery>) -> AppResult<Response> {
    if let Some(target) = merged_target(&visit.store, &visit.p).await? {
        let to = paths::proposal(&visit.village.slug, &target);
        return Ok(Redirect::permanent(&to).into_response());
    }
    let typed = Typed {
        thread_page: query.tanggapan.trim().parse().unwrap_or(1),
        ..Typed::default()
    };
    let records = Some(&visit.records);
    Ok(page(
        &visit.store,
        records,
        visit.ctx,
        visit.village,
        visit.p,
        typed,
    )
    .await?
    .into_response())
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct StatusForm {
    pub(super) status: String,
    pub(super) note: String,
    pub(super) version: String,
}

/// Where a merged proposal went: its old number redirects there.
pub(super) async fn merged_target(store: &Store, p: &Proposal) -> AppResult<Option<String>> {
    if p.status != Status::Merged {
        return Ok(None);
    }
    Ok(store.merged_into_number(p.id).await?)
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct MergeForm {
    pub(super) into: String,
    pub(super) note: String,
    pub(super) version: String,
}

/// The ladder forms as typed, kept for a 422.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct LadderForm {
    pub level: String,
    pub note: String,
    pub channel: String,
    pub group: String,
    pub contribution: String,
    pub amount: String,
    /// What came of a pledge (`delivered`, `partly`, `not_delivered`; the contract's
    /// field `delivered` with `yes`, `partly`, `no` as well).
    #[serde(alias = "delivered")]
    pub delivery: String,
    /// The pledge the outcome is for (from the path, not the form).
    #[serde(skip)]
    pub pledge: String,
    /// A channel's reach as typed (filled from the raw body, not by serde).
    #[serde(skip)]
    pub reach: crate::domain::reach::ReachForm,
    /// An alternative: its short name, cost (whole rupiah) and trade-offs.
    pub title: String,
    pub cost: String,
    pub trade_offs: String,
}

/// What the proposal page shows of the ladder beyond the five steps.
#[derive(Debug, Default)]
pub struct LadderView {
    /// Every condition up to the next level, and whether each holds.
    pub next: Option<(Level, Vec<Condition>)>,
    pub partnerships: Vec<Partnership>,
    /// The channels it was announced through, with their reach.
    pub channels_used: Vec<crate::store::reach::Reach>,
    /// The village's dusun, for the channel form (staff only).
    pub hamlets: Vec<String>,
    /// The options worked out with groups, and the meetings that chose one.
    pub alternatives: Vec<crate::store::ladder::Alternative>,
    pub implementer: Option<String>,
    /// The village's groups, for the partnership and implementer forms (staff only).
    pub groups: Vec<GroupSummary>,
    /// A refused move: each unmet condition.
    pub unmet: Vec<Condition>,
    pub form: LadderForm,
    /// Which ladder form a 422 belongs to (`tingkat`, `kanal`, `kemitraan`, `pelaksana`,
    /// or `janji` with the pledge in its form).
    pub section: &'static str,
}

impl LadderView {
    pub fn channels(&self) -> &'static [&'static str] {
        &ladder::CHANNELS
    }
    pub fn contributions(&self) -> &'static [&'static str] {
        &ladder::CONTRIBUTIONS
    }
    pub fn deliveries(&self) -> &'static [ladder::Delivery] {
        ladder::Delivery::ALL
    }
    /// Whether a 422 belongs to this pledge's outcome form.
    pub fn typed_pledge(&self, pledge: &Uuid) -> bool {
        self.section == "janji" && self.form.pledge == pledge.to_string()
    }
}
