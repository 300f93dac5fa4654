//! Proposals (usulan): submitting, the filtered list, one proposal's page, open data.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json};
use chrono::{DateTime, Duration, Utc};

use super::auth::ClientIp;
use super::error::{AppError, AppResult, limited};
use super::ladder::{LadderForm, LadderView};
use super::page::Ctx;
use super::routes::Routes;
use super::villages::split_page;
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::feedback::{self, FeedbackForm, Kind as FeedbackKind};
use crate::domain::implementation::{self, ProgressForm, RatingForm};
use crate::domain::ladder::Condition;
use crate::domain::money::Rupiah;
use crate::domain::proposal::{self, Bidang, Level, Mover, ProposalForm, Status, Submitter};
use crate::domain::village::Timezone;
use crate::store::feedback::{Added, Entry, Thread};
use crate::store::implementation::{Rating, Update};
use crate::store::proposals::{self as stored, Event, Proposal, ProposalFilter, Sort, Submission};
use crate::store::villages::Village;
use crate::store::{Store, StoreError};
use uuid::Uuid;

pub fn routes() -> Routes {
    Routes::new()
        .route("/desa/{slug}/usulan", get(list).post(submit))
        .route("/desa/{slug}/usulan/baru", get(new_form))
        .route("/desa/{slug}/usulan/mirip", get(similar_json))
        .route("/desa/{slug}/usulan/{number}", get(show))
        .route("/desa/{slug}/usulan/{number}/tanggapan", post(add_feedback))
        .route("/desa/{slug}/usulan/{number}/jawaban", post(answer))
        .route("/desa/{slug}/usulan/{number}/status", post(change_status))
        .route(
            "/desa/{slug}/usulan/{number}/ubah",
            get(edit_form).post(edit),
        )
        .route("/desa/{slug}/usulan/{number}/tarik", post(withdraw))
        .route("/desa/{slug}/usulan/{number}/gabung", post(merge))
        .route(
            "/desa/{slug}/usulan/{number}/kemajuan",
            post(report_progress).layer(axum::extract::DefaultBodyLimit::max(
                super::csrf::MAX_UPLOAD_BYTES,
            )),
        )
        .route("/desa/{slug}/usulan/{number}/foto/{photo}", get(photo))
        .route("/desa/{slug}/usulan/{number}/evaluasi", post(evaluate))
        .route(
            "/desa/{slug}/usulan/{number}/tanggapan/{id}/sembunyikan",
            post(hide),
        )
        .route("/api/v1/desa/{slug}/usulan", get(api_list))
        .route("/api/v1/desa/{slug}/usulan/{number}", get(api_show))
}

pub const PER_PAGE: i64 = 20;
/// Feedback entries per page of a proposal's thread.
pub const THREAD_PAGE: i64 = 50;
/// Anonymous submissions allowed from one address within ten minutes.
pub const ANONYMOUS_PER_10_MINUTES: i64 = 5;
const SESSION_SUBMITTED: &str = "submitted";

/// How the reader's time zone shows an instant: `23-11-2026 17.05 WIB`.
pub fn local_time(at: &DateTime<Utc>, timezone: &str) -> String {
    let tz = Timezone::parse(timezone).unwrap_or_default();
    format!(
        "{} {}",
        at.with_timezone(&tz.tz()).format("%d-%m-%Y %H.%M"),
        tz.abbreviation()
    )
}

pub fn cost_text(cost: &Option<i64>) -> String {
    cost.and_then(Rupiah::from_i64)
        .map(|r| r.to_string())
        .unwrap_or_default()
}

pub fn level_code(rank: &i64) -> &'static str {
    Level::from_rank(*rank).unwrap_or(Level::Inform).code()
}

// ---------- submitting ----------

#[derive(Template, WebTemplate)]
#[template(path = "proposals/new.html")]
struct NewPage {
    ctx: Ctx,
    village: Village,
    form: ProposalForm,
    errors: FieldErrors,
    who: Submitter,
    /// The number and version of the proposal being edited (edits only).
    editing: Option<(String, i64)>,
}

impl NewPage {
    fn bidang(&self) -> [Bidang; 5] {
        Bidang::ALL
    }
    fn sub_bidang(&self) -> &'static [(&'static str, &'static str)] {
        proposal::SUB_BIDANG
    }
    fn channels(&self) -> &'static [&'static str] {
        &proposal::CHANNELS[1..]
    }
    fn anonymous(&self) -> bool {
        self.who == Submitter::Anonymous
    }
    fn on_behalf_allowed(&self) -> bool {
        self.editing.is_none() && self.ctx.may(Action::RecordMeetings, Some(self.village.id))
    }
}

fn submitter(ctx: &Ctx, village: &Village, form: &ProposalForm) -> Submitter {
    if ctx.may(Action::RecordMeetings, Some(village.id)) && !form.proposer_name.trim().is_empty() {
        Submitter::OnBehalf
    } else if ctx.may(Action::Participate, Some(village.id)) {
        Submitter::Member
    } else {
        Submitter::Anonymous
    }
}

async fn new_form(
    State(store): State<Store>,
    mut ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<NewPage> {
    let village = store.village_by_slug(&slug).await?;
    ctx.ensure_csrf().await?;
    let form = ProposalForm::default();
    let who = submitter(&ctx, &village, &form);
    Ok(NewPage {
        ctx,
        village,
        form,
        errors: FieldErrors::new(),
        who,
        editing: None,
    })
}

async fn submit(
    State(store): State<Store>,
    mut ctx: Ctx,
    ClientIp(ip): ClientIp,
    Path(slug): Path<String>,
    Form(form): Form<ProposalForm>,
) -> AppResult<Response> {
    let village = store.village_by_slug(&slug).await?;
    let who = submitter(&ctx, &village, &form);
    let checked = match form.validate(&village.hamlets, who) {
        Ok(p) => p,
        Err(errors) => {
            ctx.ensure_csrf().await?;
            let page = NewPage {
                ctx,
                village,
                form,
                errors,
                who,
                editing: None,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    if form.confirmed != "1" {
        let similar = similar(&store, &village, &checked.title, &checked.problem).await?;
        if !similar.is_empty() {
            // Without JavaScript the duplicate check is this step: support one of these,
            // or send the new proposal anyway. Nothing is stored yet.
            ctx.ensure_csrf().await?;
            return Ok(ConfirmPage {
                ctx,
                village,
                form,
                similar,
            }
            .into_response());
        }
    }
    if who == Submitter::Anonymous {
        // Counted as it is stored, atomically: a burst gets at most the limit through.
        limited(
            store
                .throttle_take(
                    "anonymous_submission",
                    &ip,
                    Duration::minutes(10),
                    ANONYMOUS_PER_10_MINUTES,
                )
                .await?,
        )?;
    }
    let viewer = ctx.viewer.as_ref();
    let submission = Submission {
        proposal: &checked,
        status: if who == Submitter::Anonymous {
            Status::Pending.code()
        } else {
            Status::Submitted.code()
        },
        proposer_user: (who == Submitter::Member)
            .then(|| viewer.map(|v| v.id))
            .flatten(),
        proposer_name: match who {
            Submitter::Member => viewer.map(|v| v.name.clone()).unwrap_or_default(),
            _ => checked.proposer_name.clone().unwrap_or_default(),
        },
        entered_by: (who == Submitter::OnBehalf)
            .then(|| viewer.map(|v| v.id))
            .flatten(),
        entered_by_name: (who == Submitter::OnBehalf)
            .then(|| viewer.map(|v| v.name.clone()))
            .flatten(),
        submitted_from: ip,
        year: stored::current_year(Timezone::parse(&village.timezone).unwrap_or_default().tz()),
    };
    let number = store
        .create_proposal(village.id, &submission)
        .await?
        .to_string();
    if who == Submitter::Anonymous {
        // The visitor may see their own proposal while it waits for moderation.
        let mut mine: Vec<String> = ctx
            .session
            .get(SESSION_SUBMITTED)
            .await?
            .unwrap_or_default();
        mine.push(number.clone());
        mine.truncate(50);
        ctx.session.insert(SESSION_SUBMITTED, mine).await?;
        ctx.flash("proposal.pending_notice").await?;
    } else {
        ctx.flash("proposal.submitted_notice").await?;
    }
    Ok(Redirect::to(&format!("/desa/{slug}/usulan/{number}")).into_response())
}

/// Published proposals much like this one, most alike first (at most five).
async fn similar(
    store: &Store,
    village: &Village,
    title: &str,
    problem: &str,
) -> AppResult<Vec<Proposal>> {
    let words = proposal::key_words(title);
    let mut scored: Vec<(f64, Proposal)> = store
        .proposals_sharing_words(village.id, &words, 50)
        .await?
        .into_iter()
        .map(|p| {
            (
                proposal::similarity(title, problem, &p.title, &p.problem),
                p,
            )
        })
        .filter(|(score, _)| *score >= proposal::SIMILAR_THRESHOLD)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    Ok(scored.into_iter().take(5).map(|(_, p)| p).collect())
}

#[derive(Template, WebTemplate)]
#[template(path = "proposals/confirm.html")]
struct ConfirmPage {
    ctx: Ctx,
    village: Village,
    form: ProposalForm,
    similar: Vec<Proposal>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct SimilarQuery {
    title: String,
    problem: String,
}

/// For the page's script: similar proposals while the title is being typed.
async fn similar_json(
    State(store): State<Store>,
    Path(slug): Path<String>,
    Query(q): Query<SimilarQuery>,
) -> AppResult<Json<serde_json::Value>> {
    let village = store.village_by_slug(&slug).await?;
    let title: String = q.title.chars().take(200).collect();
    let problem: String = q.problem.chars().take(2000).collect();
    let items: Vec<serde_json::Value> = similar(&store, &village, &title, &problem)
        .await?
        .into_iter()
        .map(|p| {
            serde_json::json!({
                "number": p.number, "title": p.title, "status": p.status, "supports": p.supports,
                "url": format!("/desa/{slug}/usulan/{}", p.number),
            })
        })
        .collect();
    Ok(Json(serde_json::json!({ "items": items })))
}

// ---------- one proposal ----------

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
    rating_form: RatingForm,
    ladder: LadderView,
    /// For officials, when the proposal may wait in the RPJM Desa: the years it can be
    /// placed in (from this year to the end of the village's latest period).
    rpjm_years: Vec<i64>,
}

impl ShowPage {
    fn levels(&self) -> [Level; 5] {
        Level::ALL
    }
    /// Where the evidence of a condition is recorded.
    fn condition_href(&self, c: &Condition) -> String {
        match c.place.anchor() {
            anchor if anchor.starts_with('#') => anchor.to_string(),
            page => format!("/desa/{}/{page}", self.village.slug),
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
        local_time(at, &self.village.timezone)
    }
    /// What a timeline event moved to, in words: a status, a level, a channel or a name.
    fn event_detail(&self, e: &Event) -> String {
        let Some(to) = e.to_value.as_deref() else {
            return String::new();
        };
        match e.kind.as_str() {
            "submitted" => String::new(),
            "level_changed" | "level_auto" => {
                let from = e.from_value.as_deref().unwrap_or_default();
                format!(
                    "({} → {})",
                    self.ctx.tk("level", from),
                    self.ctx.tk("level", to)
                )
            }
            "announced" => format!("({})", self.ctx.tk("info_channel", to)),
            "planned" => format!("({})", self.ctx.tk("placement", to)),
            "du_rkp_answer" => format!("({})", self.ctx.tk("du_rkp_answer", to)),
            "rpjm" => format!("({to})"),
            "partnership" => {
                let what = e.from_value.as_deref().unwrap_or_default();
                format!("{to} ({})", self.ctx.tk("contribution", what))
            }
            "merged_from" | "merged_into" | "progress" | "implementer" => to.to_string(),
            _ => format!("({})", self.ctx.tk("status", to)),
        }
    }
    fn may_give_feedback(&self) -> bool {
        self.p.status != Status::Pending.code()
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
        let Some(from) = Status::parse(&self.p.status) else {
            return Vec::new();
        };
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
            && Status::parse(&self.p.status)
                .is_some_and(|s| Status::ALL.into_iter().any(|t| proposal::may_merge(s, t)))
    }
    fn may_report_progress(&self) -> bool {
        self.ctx.may(Action::RecordMeetings, Some(self.village.id))
            && Status::parse(&self.p.status).is_some_and(implementation::may_report_progress)
    }
    fn may_evaluate(&self) -> bool {
        self.ctx.may(Action::Participate, Some(self.village.id))
            && Status::parse(&self.p.status).is_some_and(implementation::may_evaluate)
    }
    fn average_rating(&self) -> Option<String> {
        implementation::average_text(
            self.ratings.iter().map(|r| r.rating).sum(),
            self.ratings.len() as i64,
        )
    }
    fn upload_action(&self) -> String {
        format!(
            "/desa/{}/usulan/{}/kemajuan?csrf_token={}&{}={}",
            self.village.slug,
            self.p.number,
            self.ctx.csrf,
            super::csrf::ONCE_FIELD,
            self.ctx.once()
        )
    }
    fn may_edit(&self) -> bool {
        self.is_proposer() && Status::parse(&self.p.status).is_some_and(proposal::proposer_may_edit)
    }
    fn may_withdraw(&self) -> bool {
        self.is_proposer()
            && Status::parse(&self.p.status).is_some_and(proposal::proposer_may_withdraw)
    }
    fn login_href(&self) -> String {
        format!(
            "/masuk?next={}",
            form_urlencoded::byte_serialize(self.ctx.path.as_bytes()).collect::<String>()
        )
    }
}

/// Pending proposals are seen by the village's officials and facilitators, and by the
/// visitor who sent it; nobody else learns that they exist.
async fn visible(ctx: &Ctx, village: &Village, p: &Proposal) -> AppResult<bool> {
    if p.status != Status::Pending.code() || ctx.may(Action::RecordMeetings, Some(village.id)) {
        return Ok(true);
    }
    let mine: Vec<String> = ctx
        .session
        .get(SESSION_SUBMITTED)
        .await?
        .unwrap_or_default();
    Ok(mine.contains(&p.number))
}

pub(super) async fn load(
    store: &Store,
    ctx: &Ctx,
    slug: &str,
    number: &str,
) -> AppResult<(Village, Proposal)> {
    let village = store.village_by_slug(slug).await?;
    let p = store.proposal_by_number(village.id, number).await?;
    if !visible(ctx, &village, &p).await? {
        return Err(AppError::NotFound);
    }
    Ok((village, p))
}

/// What the proposal page shows besides the record: a form typed with its errors.
#[derive(Default)]
pub(super) struct Typed {
    feedback: FeedbackForm,
    errors: FieldErrors,
    /// A ladder form that failed: which one, what was typed, and unmet conditions.
    ladder: Option<(&'static str, LadderForm, Vec<Condition>)>,
    for_entry: Option<Uuid>,
    status: StatusForm,
    merge: MergeForm,
    progress: ProgressForm,
    rating: RatingForm,
    /// The page of the feedback thread asked for (`?tanggapan=`).
    thread_page: i64,
}

impl Typed {
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
    mut ctx: Ctx,
    village: Village,
    p: Proposal,
    typed: Typed,
) -> AppResult<ShowPage> {
    let events = store.proposal_events(p.id).await?;
    let mut ladder = super::ladder::view(store, &ctx, &village, &p).await?;
    if let Some((section, form, unmet)) = typed.ladder {
        ladder.section = section;
        ladder.form = form;
        ladder.unmet = unmet;
    }
    let thread_page = typed.thread_page.clamp(1, 10_000);
    let feedback = store
        .feedback_thread(p.id, thread_page, THREAD_PAGE)
        .await?;
    let updates = store.progress_updates(p.id).await?;
    let ratings = store.ratings(p.id).await?;
    let placeable = matches!(p.status.as_str(), "accepted" | "deferred");
    let rpjm_years = if placeable && ctx.may(Action::AdoptPlan, Some(village.id)) {
        let tz = crate::domain::village::Timezone::parse(&village.timezone)
            .unwrap_or_default()
            .tz();
        let this_year = i64::from(chrono::Datelike::year(
            &chrono::Utc::now().with_timezone(&tz),
        ));
        let mut years: Vec<i64> = store
            .rpjms(village.id)
            .await?
            .iter()
            .flat_map(|r| r.start_year.max(this_year)..=r.end_year)
            .collect();
        years.sort_unstable();
        years
    } else {
        Vec::new()
    };
    if ctx.viewer.is_some() {
        ctx.ensure_csrf().await?;
    }
    Ok(ShowPage {
        ctx,
        village,
        p,
        events,
        feedback,
        thread_page,
        typed: typed.feedback,
        errors: typed.errors,
        typed_for: typed.for_entry,
        status_form: typed.status,
        merge_form: typed.merge,
        updates,
        ratings,
        progress_form: typed.progress,
        rating_form: typed.rating,
        ladder,
        rpjm_years,
    })
}

/// The proposal's page again with `errors` (a form of another module refused).
pub(super) async fn refused_on_page(
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
    let page = page(store, ctx, village.clone(), p.clone(), typed).await?;
    Ok((status, page).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ThreadQuery {
    tanggapan: String,
}

async fn show(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, String)>,
    Query(query): Query<ThreadQuery>,
) -> AppResult<Response> {
    let (village, p) = load(&store, &ctx, &slug, &number).await?;
    if let Some(target) = merged_target(&store, &p).await? {
        return Ok(Redirect::permanent(&format!("/desa/{slug}/usulan/{target}")).into_response());
    }
    let typed = Typed {
        thread_page: query.tanggapan.trim().parse().unwrap_or(1),
        ..Typed::default()
    };
    Ok(page(&store, ctx, village, p, typed).await?.into_response())
}

async fn add_feedback(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, String)>,
    Form(form): Form<FeedbackForm>,
) -> AppResult<Response> {
    let (village, p) = load(&store, &ctx, &slug, &number).await?;
    let viewer = ctx
        .authorize(Action::Participate, Some(village.id))?
        .clone();
    if p.status == Status::Pending.code() {
        return Err(AppError::Conflict);
    }
    let (kind, body) = match form.validate() {
        Ok(v) => v,
        Err(errors) => {
            let page = page(
                &store,
                ctx,
                village,
                p,
                Typed {
                    feedback: form,
                    errors,
                    ..Typed::default()
                },
            )
            .await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let added = store
        .add_feedback(village.id, p.id, kind, viewer.id, &viewer.name, &body)
        .await?;
    ctx.flash(match added {
        Added::AlreadySupported => "feedback.already_supported",
        Added::Added if kind == FeedbackKind::Support => "feedback.supported",
        Added::Added => "feedback.thanks",
    })
    .await?;
    Ok(Redirect::to(&format!("/desa/{slug}/usulan/{number}#tanggapan")).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct AnswerForm {
    feedback: String,
    body: String,
}

async fn answer(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, String)>,
    Form(form): Form<AnswerForm>,
) -> AppResult<Response> {
    let (village, p) = load(&store, &ctx, &slug, &number).await?;
    let viewer = ctx
        .authorize(Action::ReviewProposals, Some(village.id))?
        .clone();
    let feedback = form
        .feedback
        .trim()
        .parse::<Uuid>()
        .map_err(|_| AppError::NotFound)?;
    let body = match feedback::check_text("answer", &form.body) {
        Ok(b) => b,
        Err(errors) => {
            let typed = FeedbackForm {
                kind: String::new(),
                body: form.body,
            };
            let typed = Typed {
                feedback: typed,
                errors,
                for_entry: Some(feedback),
                ..Typed::default()
            };
            let page = page(&store, ctx, village, p, typed).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    store
        .answer_feedback(village.id, p.id, feedback, viewer.id, &viewer.name, &body)
        .await?;
    ctx.flash("feedback.answered").await?;
    Ok(Redirect::to(&format!("/desa/{slug}/usulan/{number}#t-{feedback}")).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct HideForm {
    reason: String,
}

async fn hide(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, number, feedback)): Path<(String, String, String)>,
    Form(form): Form<HideForm>,
) -> AppResult<Response> {
    let (village, p) = load(&store, &ctx, &slug, &number).await?;
    let viewer = ctx
        .authorize(Action::ReviewProposals, Some(village.id))?
        .clone();
    let feedback = feedback.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    let reason = match feedback::check_text("reason", &form.reason) {
        Ok(r) => r,
        Err(errors) => {
            let typed = FeedbackForm {
                kind: String::new(),
                body: form.reason,
            };
            let typed = Typed {
                feedback: typed,
                errors,
                for_entry: Some(feedback),
                ..Typed::default()
            };
            let page = page(&store, ctx, village, p, typed).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    store
        .hide_feedback(village.id, p.id, feedback, viewer.id, &viewer.name, &reason)
        .await?;
    ctx.flash("feedback.hidden").await?;
    Ok(Redirect::to(&format!("/desa/{slug}/usulan/{number}#t-{feedback}")).into_response())
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct StatusForm {
    status: String,
    note: String,
    version: String,
}

/// A status change by hand: moderation of anonymous submissions, and an official's review.
async fn change_status(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, String)>,
    Form(form): Form<StatusForm>,
) -> AppResult<Response> {
    let (village, p) = load(&store, &ctx, &slug, &number).await?;
    let viewer = ctx
        .authorize(Action::RecordMeetings, Some(village.id))?
        .clone();
    let from = Status::parse(&p.status)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("stored status {}", p.status)))?;
    let mut errors = FieldErrors::new();
    let rule = Status::parse(&form.status)
        .and_then(|to| proposal::manual_transition(from, to).map(|r| (to, r)));
    match rule {
        None => errors.add("status", "error.transition"),
        Some((_, (Mover::Official, _))) => {
            ctx.authorize(Action::ReviewProposals, Some(village.id))?;
        }
        Some(_) => {}
    }
    let note = form.note.trim().to_string();
    if let Some((_, (_, true))) = rule
        && note.chars().count() < 2
    {
        errors.add("note", "error.reason_required");
    }
    if note.chars().count() > 2000 {
        errors.add("note", "error.too_long");
    }
    let version = form
        .version
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    let Some((to, _)) = rule.filter(|_| errors.is_empty()) else {
        let typed = Typed {
            errors,
            status: form,
            ..Typed::default()
        };
        let page = page(&store, ctx, village, p, typed).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let note = Some(note.as_str()).filter(|n| !n.is_empty());
    match store
        .change_status(
            village.id,
            p.id,
            version,
            from.code(),
            to.code(),
            note,
            viewer.id,
            &viewer.name,
        )
        .await
    {
        Ok(()) => {
            ctx.flash("proposal.status_changed").await?;
            Ok(Redirect::to(&format!("/desa/{slug}/usulan/{number}")).into_response())
        }
        Err(StoreError::Stale) => stale(&store, ctx, village, &number).await,
        Err(e) => Err(e.into()),
    }
}

/// Someone changed the proposal first: 409 with its current state, not a silent overwrite.
async fn stale(store: &Store, ctx: Ctx, village: Village, number: &str) -> AppResult<Response> {
    let current = store.proposal_by_number(village.id, number).await?;
    let mut errors = FieldErrors::new();
    errors.add("status", "error.stale");
    let page = page(
        store,
        ctx,
        village,
        current,
        Typed {
            errors,
            ..Typed::default()
        },
    )
    .await?;
    Ok((StatusCode::CONFLICT, page).into_response())
}

/// The proposer of this proposal, logged in and still holding a role in the village.
fn proposer(ctx: &Ctx, village: &Village, p: &Proposal) -> AppResult<super::page::Viewer> {
    let viewer = ctx.authorize(Action::Participate, Some(village.id))?;
    if p.proposer_user_id != Some(viewer.id) {
        return Err(AppError::Forbidden);
    }
    Ok(viewer.clone())
}

fn form_of(p: &Proposal) -> ProposalForm {
    ProposalForm {
        title: p.title.clone(),
        problem: p.problem.clone(),
        description: p.description.clone(),
        bidang: p.bidang.clone(),
        sub_bidang: p.sub_bidang.clone().unwrap_or_default(),
        location: p.location.clone().unwrap_or_default(),
        dusun: p.hamlet.clone().unwrap_or_default(),
        estimated_cost: p.estimated_cost.map(|c| c.to_string()).unwrap_or_default(),
        ..ProposalForm::default()
    }
}

fn editable(p: &Proposal) -> AppResult<()> {
    match Status::parse(&p.status) {
        Some(s) if proposal::proposer_may_edit(s) => Ok(()),
        _ => Err(AppError::Conflict),
    }
}

async fn edit_form(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, String)>,
) -> AppResult<NewPage> {
    let (village, p) = load(&store, &ctx, &slug, &number).await?;
    proposer(&ctx, &village, &p)?;
    editable(&p)?;
    let editing = Some((p.number.clone(), p.version));
    Ok(NewPage {
        ctx,
        form: form_of(&p),
        village,
        errors: FieldErrors::new(),
        who: Submitter::Member,
        editing,
    })
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct EditForm {
    #[serde(flatten)]
    proposal: ProposalForm,
    version: String,
}

async fn edit(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, String)>,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    let (village, p) = load(&store, &ctx, &slug, &number).await?;
    let viewer = proposer(&ctx, &village, &p)?;
    editable(&p)?;
    let version = form
        .version
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    let checked = match form.proposal.validate(&village.hamlets, Submitter::Member) {
        Ok(c) => c,
        Err(errors) => {
            let editing = Some((p.number.clone(), version));
            let page = NewPage {
                ctx,
                village,
                form: form.proposal,
                errors,
                who: Submitter::Member,
                editing,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match store
        .edit_proposal(&p, version, &checked, viewer.id, &viewer.name)
        .await
    {
        Ok(()) => {
            ctx.flash("proposal.edited").await?;
            Ok(Redirect::to(&format!("/desa/{slug}/usulan/{number}")).into_response())
        }
        Err(StoreError::Stale) => stale(&store, ctx, village, &number).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct WithdrawForm {
    note: String,
    version: String,
}

async fn withdraw(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, String)>,
    Form(form): Form<WithdrawForm>,
) -> AppResult<Response> {
    let (village, p) = load(&store, &ctx, &slug, &number).await?;
    let viewer = proposer(&ctx, &village, &p)?;
    let from = Status::parse(&p.status)
        .filter(|s| proposal::proposer_may_withdraw(*s))
        .ok_or(AppError::Conflict)?;
    let version = form
        .version
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    let note = Some(form.note.trim())
        .filter(|n| !n.is_empty())
        .map(|n| n.chars().take(2000).collect::<String>());
    store
        .change_status(
            village.id,
            p.id,
            version,
            from.code(),
            Status::Withdrawn.code(),
            note.as_deref(),
            viewer.id,
            &viewer.name,
        )
        .await?;
    ctx.flash("proposal.withdrawn").await?;
    Ok(Redirect::to(&format!("/desa/{slug}/usulan/{number}")).into_response())
}

/// Where a merged proposal went: its old number redirects there.
async fn merged_target(store: &Store, p: &Proposal) -> AppResult<Option<String>> {
    if p.status != Status::Merged.code() {
        return Ok(None);
    }
    Ok(store.merged_into_number(p.id).await?)
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct MergeForm {
    into: String,
    note: String,
    version: String,
}

async fn merge(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, String)>,
    Form(form): Form<MergeForm>,
) -> AppResult<Response> {
    let (village, p) = load(&store, &ctx, &slug, &number).await?;
    let viewer = ctx
        .authorize(Action::ReviewProposals, Some(village.id))?
        .clone();
    let version = form
        .version
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    let mut errors = FieldErrors::new();
    let target = match store.proposal_by_number(village.id, form.into.trim()).await {
        Ok(t) if t.id != p.id => Some(t),
        Ok(_) | Err(StoreError::NotFound) => {
            errors.add("into", "error.merge_target");
            None
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(t) = &target {
        let ok = matches!((Status::parse(&p.status), Status::parse(&t.status)), (Some(a), Some(b)) if proposal::may_merge(a, b));
        if !ok {
            errors.add("into", "error.merge_status");
        }
    }
    let note: String = form.note.trim().chars().take(2000).collect();
    let Some(target) = target.filter(|_| errors.is_empty()) else {
        let page = page(
            &store,
            ctx,
            village,
            p,
            Typed {
                errors,
                merge: form,
                ..Typed::default()
            },
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let note = Some(note.as_str()).filter(|n| !n.is_empty());
    match store
        .merge_proposal(
            village.id,
            &p,
            version,
            &target,
            note,
            viewer.id,
            &viewer.name,
        )
        .await
    {
        Ok(()) => {
            ctx.flash("proposal.merged").await?;
            Ok(Redirect::to(&format!("/desa/{slug}/usulan/{}", target.number)).into_response())
        }
        Err(StoreError::Stale) => stale(&store, ctx, village, &number).await,
        Err(e) => Err(e.into()),
    }
}

/// A progress report, with up to three photos, sent as `multipart/form-data`.
async fn report_progress(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, String)>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    let (village, p) = load(&store, &ctx, &slug, &number).await?;
    let viewer = ctx
        .authorize(Action::RecordMeetings, Some(village.id))?
        .clone();
    // Who may report is settled before the body is looked at.
    let mut multipart = multipart.map_err(|_| AppError::BadRequest)?;
    if !Status::parse(&p.status).is_some_and(implementation::may_report_progress) {
        return Err(AppError::Conflict);
    }
    let mut form = ProgressForm::default();
    let mut photos: Vec<(&'static str, Vec<u8>)> = Vec::new();
    let mut errors = FieldErrors::new();
    while let Some(field) = multipart.next_field().await? {
        let name = field.name().unwrap_or_default().to_string();
        let bytes = field.bytes().await?;
        match name.as_str() {
            "progress" | "note" if bytes.contains(&0) => return Err(AppError::BadRequest),
            "progress" => form.progress = String::from_utf8_lossy(&bytes).into_owned(),
            "note" => form.note = String::from_utf8_lossy(&bytes).into_owned(),
            "photo" if bytes.is_empty() => {}
            "photo" if photos.len() < 3 => match clean_photo(bytes).await? {
                Ok(photo) => photos.push(photo),
                Err(message) => errors.add("photo", message),
            },
            _ => {}
        }
    }
    let checked = form.validate();
    if let Err(e) = &checked {
        for (field, message) in e.iter() {
            errors.add(field, message);
        }
    }
    let (progress, note) = match checked {
        Ok(v) if errors.is_empty() => v,
        _ => {
            let page = page(
                &store,
                ctx,
                village,
                p,
                Typed {
                    errors,
                    progress: form,
                    ..Typed::default()
                },
            )
            .await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    store
        .add_progress(
            village.id,
            p.id,
            viewer.id,
            &viewer.name,
            progress,
            &note,
            &photos,
        )
        .await?;
    ctx.flash("progress.saved").await?;
    Ok(Redirect::to(&format!("/desa/{slug}/usulan/{number}#kemajuan")).into_response())
}

/// Decodes and re-encodes a photo off the async threads, one at a time: a large picture
/// takes a core and up to 160 MB while it is drawn.
pub(super) async fn clean_photo(
    bytes: axum::body::Bytes,
) -> AppResult<Result<(&'static str, Vec<u8>), &'static str>> {
    static DRAWING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);
    let _turn = DRAWING
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    tokio::task::spawn_blocking(move || implementation::clean_photo(&bytes))
        .await
        .map_err(|e| AppError::Internal(e.into()))
}

async fn photo(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, number, photo)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let (_, p) = load(&store, &ctx, &slug, &number).await?;
    let photo = photo.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    let (content_type, bytes) = store.photo(p.id, photo).await?;
    let headers = [
        (axum::http::header::CONTENT_TYPE, content_type),
        (
            axum::http::header::CACHE_CONTROL,
            "public, max-age=31536000, immutable".to_string(),
        ),
    ];
    Ok((headers, bytes).into_response())
}

async fn evaluate(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, String)>,
    Form(form): Form<RatingForm>,
) -> AppResult<Response> {
    let (village, p) = load(&store, &ctx, &slug, &number).await?;
    let viewer = ctx
        .authorize(Action::Participate, Some(village.id))?
        .clone();
    if !Status::parse(&p.status).is_some_and(implementation::may_evaluate) {
        return Err(AppError::Conflict);
    }
    let (rating, reflection) = match form.validate() {
        Ok(v) => v,
        Err(errors) => {
            let page = page(
                &store,
                ctx,
                village,
                p,
                Typed {
                    errors,
                    rating: form,
                    ..Typed::default()
                },
            )
            .await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    store
        .rate(
            village.id,
            p.id,
            viewer.id,
            &viewer.name,
            rating,
            &reflection,
        )
        .await?;
    ctx.flash("evaluation.saved").await?;
    Ok(Redirect::to(&format!("/desa/{slug}/usulan/{number}#evaluasi")).into_response())
}

// ---------- the list ----------

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    bidang: String,
    status: String,
    tingkat: String,
    dusun: String,
    sort: String,
    page: String,
    per_page: String,
}

impl ListQuery {
    fn page(&self) -> i64 {
        self.page
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=100_000).contains(p))
            .unwrap_or(1)
    }

    /// Unknown filter values are ignored rather than refused: a stale link still lists.
    fn filter(&self, include_pending: bool) -> ProposalFilter {
        let nonempty = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        ProposalFilter {
            terms: proposal::search_terms(&self.q),
            bidang: Bidang::parse(&self.bidang).map(|b| b.code().to_string()),
            status: Status::parse(&self.status)
                .filter(|s| include_pending || *s != Status::Pending)
                .map(|s| s.code().to_string()),
            level: Level::parse(&self.tingkat).map(Level::rank),
            hamlet: nonempty(&self.dusun),
            include_pending,
        }
    }

    fn sort(&self) -> Sort {
        match self.sort.as_str() {
            "dukungan" => Sort::MostSupported,
            "tingkat" => Sort::Level,
            _ => Sort::Newest,
        }
    }

    /// This query on another page, for the pager links.
    fn href(&self, page: i64) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("q", &self.q),
            ("bidang", &self.bidang),
            ("status", &self.status),
            ("tingkat", &self.tingkat),
            ("dusun", &self.dusun),
            ("sort", &self.sort),
        ] {
            if !v.is_empty() {
                s.append_pair(k, v);
            }
        }
        s.append_pair("page", &page.to_string());
        format!("?{}", s.finish())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "proposals/list.html")]
struct ListPage {
    ctx: Ctx,
    village: Village,
    query: ListQuery,
    proposals: Vec<Proposal>,
    page: i64,
    has_next: bool,
    may_submit_for_others: bool,
}

impl ListPage {
    fn bidang(&self) -> [Bidang; 5] {
        Bidang::ALL
    }
    fn statuses(&self) -> Vec<Status> {
        Status::ALL
            .into_iter()
            .filter(|s| *s != Status::Pending || self.may_submit_for_others)
            .collect()
    }
    fn levels(&self) -> [Level; 5] {
        Level::ALL
    }
    /// Whether any filter besides the words is set (then the filters start unfolded).
    fn filtered(&self) -> bool {
        let q = &self.query;
        [&q.bidang, &q.status, &q.tingkat, &q.dusun, &q.sort]
            .iter()
            .any(|v| !v.is_empty())
    }
    fn prev_href(&self) -> String {
        self.query.href(self.page - 1)
    }
    fn next_href(&self) -> String {
        self.query.href(self.page + 1)
    }
}

async fn list(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(query): Query<ListQuery>,
) -> AppResult<ListPage> {
    let village = store.village_by_slug(&slug).await?;
    let staff = ctx.may(Action::RecordMeetings, Some(village.id));
    let page = query.page();
    let rows = store
        .list_proposals(
            village.id,
            &query.filter(staff),
            query.sort(),
            PER_PAGE + 1,
            (page - 1) * PER_PAGE,
        )
        .await?;
    let (proposals, has_next) = split_page(rows, PER_PAGE);
    Ok(ListPage {
        ctx,
        village,
        query,
        proposals,
        page,
        has_next,
        may_submit_for_others: staff,
    })
}

// ---------- open data ----------

#[derive(serde::Serialize)]
struct ApiProposal {
    number: String,
    title: String,
    problem: String,
    description: String,
    bidang: String,
    sub_bidang: Option<String>,
    location: Option<String>,
    dusun: Option<String>,
    status: String,
    level: &'static str,
    estimated_cost: Option<i64>,
    supports: i64,
    channel: String,
    proposer_name: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    url: String,
}

impl ApiProposal {
    fn of(slug: &str, p: Proposal) -> Self {
        ApiProposal {
            url: format!("/desa/{slug}/usulan/{}", p.number),
            level: level_code(&p.level),
            number: p.number,
            title: p.title,
            problem: p.problem,
            description: p.description,
            bidang: p.bidang,
            sub_bidang: p.sub_bidang,
            location: p.location,
            dusun: p.hamlet,
            status: p.status,
            estimated_cost: p.estimated_cost,
            supports: p.supports,
            channel: p.channel,
            proposer_name: p.proposer_name,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

#[derive(serde::Serialize)]
struct ApiEvent {
    at: DateTime<Utc>,
    kind: String,
    from: Option<String>,
    to: Option<String>,
    note: Option<String>,
    by: Option<String>,
    /// For ladder moves: the conditions that justified it.
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<serde_json::Value>,
}

async fn api_list(
    State(store): State<Store>,
    Path(slug): Path<String>,
    Query(query): Query<ListQuery>,
) -> AppResult<Json<serde_json::Value>> {
    let village = store.village_by_slug(&slug).await?;
    let per_page = query
        .per_page
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=100).contains(n))
        .unwrap_or(PER_PAGE);
    let page = query.page();
    let rows = store
        .list_proposals(
            village.id,
            &query.filter(false),
            query.sort(),
            per_page + 1,
            (page - 1) * per_page,
        )
        .await?;
    let (rows, has_next) = split_page(rows, per_page);
    let items: Vec<ApiProposal> = rows
        .into_iter()
        .map(|p| ApiProposal::of(&slug, p))
        .collect();
    Ok(Json(serde_json::json!({
        "village": slug, "page": page, "per_page": per_page, "has_next": has_next, "items": items,
    })))
}

async fn api_show(
    State(store): State<Store>,
    Path((slug, number)): Path<(String, String)>,
) -> AppResult<Response> {
    let village = store.village_by_slug(&slug).await?;
    let p = store.proposal_by_number(village.id, &number).await?;
    if p.status == Status::Pending.code() {
        return Err(AppError::NotFound);
    }
    if let Some(target) = merged_target(&store, &p).await? {
        return Ok(
            Redirect::permanent(&format!("/api/v1/desa/{slug}/usulan/{target}")).into_response(),
        );
    }
    let events: Vec<ApiEvent> = store
        .proposal_events(p.id)
        .await?
        .into_iter()
        .map(|e| ApiEvent {
            at: e.at,
            kind: e.kind,
            from: e.from_value,
            to: e.to_value,
            note: e.note,
            by: e.actor_name,
            evidence: e.evidence.and_then(|j| serde_json::from_str(&j).ok()),
        })
        .collect();
    let level_history: Vec<&ApiEvent> = events
        .iter()
        .filter(|e| e.kind == "level_changed" || e.kind == "level_auto")
        .collect();
    let level_history =
        serde_json::to_value(level_history).map_err(|e| AppError::Internal(e.into()))?;
    let mut body = serde_json::to_value(ApiProposal::of(&slug, p))
        .map_err(|e| AppError::Internal(e.into()))?;
    body["level_history"] = level_history;
    body["events"] = serde_json::to_value(events).map_err(|e| AppError::Internal(e.into()))?;
    Ok(Json(body).into_response())
}
