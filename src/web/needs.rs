//! The village's problems and needs (daftar masalah dan kebutuhan): the public list and
//! each problem's page with the proposals that answer it; facilitators and officials
//! list problems (often at a musyawarah dusun, before anyone has a solution), correct
//! them and link the proposals that answer them.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use uuid::Uuid;

use super::error::{AppError, AppResult};
use super::page::Ctx;
use super::routes::Routes;
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::need::{self, MeasureForm, NeedForm};
use crate::store::meetings::Meeting;
use crate::store::needs::{Answer, ImpactRow, Measure, Need};
use crate::store::villages::Village;
use crate::store::{Store, StoreError};
use crate::web::paths;

pub fn routes() -> Routes {
    Routes::new()
        .route(paths::NEEDS, get(list).post(create))
        .route(paths::NEED, get(show).post(update))
        .route(paths::NEED_PROPOSALS, post(link))
        .route(paths::NEED_PROPOSAL_REMOVE, post(unlink))
        .route(paths::NEED_MEASURES, post(measure))
        .route(paths::IMPACT, get(impact))
}

/// What the problem form offers and how a problem reads; shared by both pages.
pub trait NeedChoices {
    fn village(&self) -> &Village;
    fn affects_codes(&self) -> &'static [&'static str] {
        &need::AFFECTS
    }
    fn hamlets(&self) -> &[String] {
        &self.village().hamlets
    }
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        super::filters::local_time(at, &self.village().timezone)
    }
    /// Listed a season ago and no proposal answers it yet.
    fn waits(&self, n: &Need) -> bool {
        need::waits_too_long(n.created_at, n.proposals, chrono::Utc::now())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "needs/list.html")]
struct ListPage {
    ctx: Ctx,
    village: Village,
    needs: Vec<Need>,
    may_edit: bool,
    meetings: Vec<Meeting>,
    form: NeedForm,
    errors: FieldErrors,
}

impl NeedChoices for ListPage {
    fn village(&self) -> &Village {
        &self.village
    }
}

impl ListPage {
    fn answered(&self) -> usize {
        self.needs.iter().filter(|n| n.proposals > 0).count()
    }
    fn waiting(&self) -> usize {
        self.needs.iter().filter(|n| self.waits(n)).count()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "needs/show.html")]
struct ShowPage {
    ctx: Ctx,
    village: Village,
    n: Need,
    answers: Vec<Answer>,
    may_edit: bool,
    meetings: Vec<Meeting>,
    form: NeedForm,
    errors: FieldErrors,
    /// The proposal number typed into the link form, kept when it is refused.
    proposal: String,
    /// Figures measured after, the latest first, and the form to add one.
    measures: Vec<Measure>,
    measure: MeasureForm,
}

impl ShowPage {
    /// A proposal answering the problem is done: a figure after can be measured.
    fn answered_and_done(&self) -> bool {
        done(&self.answers)
    }
    fn change(&self, m: &Measure) -> Option<need::Change> {
        self.n
            .affected_count
            .map(|before| need::change(before, m.count))
    }
}

fn done(answers: &[Answer]) -> bool {
    answers
        .iter()
        .any(|a| matches!(a.status.as_str(), "completed" | "evaluated"))
}

impl NeedChoices for ShowPage {
    fn village(&self) -> &Village {
        &self.village
    }
}

/// How many of the latest meetings the form offers as "raised in".
const MEETINGS_OFFERED: i64 = 100;

fn form_of(n: &Need) -> NeedForm {
    NeedForm {
        title: n.title.clone(),
        description: n.description.clone().unwrap_or_default(),
        hamlet: n.hamlet.clone().unwrap_or_default(),
        affects: n.affects_list().into_iter().map(String::from).collect(),
        affected_count: n.affected_count.map(|c| c.to_string()).unwrap_or_default(),
        affected_unit: n.affected_unit.clone().unwrap_or_default(),
        since_year: n.since_year.map(|y| y.to_string()).unwrap_or_default(),
        meeting: n.meeting_id.map(|m| m.to_string()).unwrap_or_default(),
        raised_by: n.raised_by.clone().unwrap_or_default(),
        version: n.version.to_string(),
    }
}

fn parse_form(body: &Bytes) -> NeedForm {
    NeedForm::from_pairs(form_urlencoded::parse(body).map(|(k, v)| (k, v.into_owned())))
}

/// The checks that need the village: its hamlets and meetings, and this year.
async fn checked(
    store: &Store,
    village: &Village,
    form: &NeedForm,
) -> AppResult<(Vec<Meeting>, Result<need::CheckedNeed, FieldErrors>)> {
    let meetings = store.list_meetings(village.id, MEETINGS_OFFERED, 0).await?;
    let ids: Vec<Uuid> = meetings.iter().map(|m| m.id).collect();
    let year = village.this_year();
    Ok((meetings, form.validate(&village.hamlets, &ids, year)))
}

fn title_taken() -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.add("title", "error.need_title_taken");
    errors
}

async fn list(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<ListPage> {
    let village = store.village_by_slug(&slug).await?;
    let needs = store.list_needs(village.id).await?;
    let may_edit = ctx.may(Action::RecordMeetings, Some(village.id));
    let meetings = if may_edit {
        store.list_meetings(village.id, MEETINGS_OFFERED, 0).await?
    } else {
        Vec::new()
    };
    Ok(ListPage {
        ctx,
        village,
        needs,
        may_edit,
        meetings,
        form: NeedForm::default(),
        errors: FieldErrors::new(),
    })
}

async fn create(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let village = store.village_by_slug(&slug).await?;
    let actor = ctx.authorize(Action::RecordMeetings, Some(village.id))?.id;
    let form = parse_form(&body);
    let (meetings, result) = checked(&store, &village, &form).await?;
    let errors = match result {
        Ok(n) => match store.create_need(village.id, &n, actor).await {
            Ok(id) => {
                ctx.flash("need.saved");
                return Ok(Redirect::to(&paths::need(&slug, id)).into_response());
            }
            Err(StoreError::Duplicate(_)) => title_taken(),
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    let needs = store.list_needs(village.id).await?;
    let page = ListPage {
        ctx,
        village,
        needs,
        may_edit: true,
        meetings,
        form,
        errors,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn load(store: &Store, slug: &str, id: &str) -> AppResult<(Village, Need)> {
    let village = store.village_by_slug(slug).await?;
    let id = id.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    let n = store.need(village.id, id).await?;
    Ok((village, n))
}

/// A problem's page as its staff see it after a refused form: `page` comes without the
/// answers and meetings, read here.
async fn refused(store: &Store, mut page: ShowPage, status: StatusCode) -> AppResult<Response> {
    page.answers = store.answers(Some(page.n.id), None).await?;
    page.measures = store.need_measures(page.n.id).await?;
    page.meetings = store
        .list_meetings(page.village.id, MEETINGS_OFFERED, 0)
        .await?;
    Ok((status, page).into_response())
}

/// The page for `refused`, with what the person typed.
fn typed_page(
    ctx: Ctx,
    village: Village,
    n: Need,
    form: NeedForm,
    errors: FieldErrors,
    proposal: String,
) -> ShowPage {
    ShowPage {
        ctx,
        village,
        n,
        answers: Vec::new(),
        may_edit: true,
        meetings: Vec::new(),
        form,
        errors,
        proposal,
        measures: Vec::new(),
        measure: MeasureForm::default(),
    }
}

async fn show(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
) -> AppResult<ShowPage> {
    let (village, n) = load(&store, &slug, &id).await?;
    let may_edit = ctx.may(Action::RecordMeetings, Some(village.id));
    let answers = store.answers(Some(n.id), None).await?;
    let measures = store.need_measures(n.id).await?;
    let meetings = if may_edit {
        store.list_meetings(village.id, MEETINGS_OFFERED, 0).await?
    } else {
        Vec::new()
    };
    Ok(ShowPage {
        ctx,
        form: form_of(&n),
        village,
        n,
        answers,
        may_edit,
        meetings,
        errors: FieldErrors::new(),
        proposal: String::new(),
        measures,
        measure: MeasureForm::default(),
    })
}

async fn update(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let (village, n) = load(&store, &slug, &id).await?;
    let actor = ctx.authorize(Action::RecordMeetings, Some(village.id))?.id;
    let mut form = parse_form(&body);
    let version = form
        .version
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    let (_, result) = checked(&store, &village, &form).await?;
    let (errors, status, n) = match result {
        Ok(checked) => match store.update_need(&n, version, &checked, actor).await {
            Ok(()) => {
                ctx.flash("need.saved");
                return Ok(Redirect::to(&paths::need(&slug, n.id)).into_response());
            }
            Err(StoreError::Duplicate(_)) => (title_taken(), StatusCode::UNPROCESSABLE_ENTITY, n),
            Err(StoreError::Stale) => {
                // Someone saved first: the page shows what is stored now, the form keeps
                // what this person typed, to send again on purpose.
                let current = store.need(village.id, n.id).await?;
                form.version = current.version.to_string();
                let mut errors = FieldErrors::new();
                errors.add("title", "error.stale");
                (errors, StatusCode::CONFLICT, current)
            }
            Err(e) => return Err(e.into()),
        },
        Err(errors) => (errors, StatusCode::UNPROCESSABLE_ENTITY, n),
    };
    let page = typed_page(ctx, village, n, form, errors, String::new());
    refused(&store, page, status).await
}

/// Links the proposal numbered in the field `proposal` (e.g. `2026-004`) to the problem.
async fn link(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let (village, n) = load(&store, &slug, &id).await?;
    let actor = ctx.authorize(Action::RecordMeetings, Some(village.id))?.id;
    let typed = form_urlencoded::parse(&body)
        .find(|(k, _)| k == "proposal")
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    let found = if typed.is_empty() {
        None
    } else {
        match store.proposal_by_number(village.id, &typed).await {
            Ok(p) => Some(p),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        }
    };
    let Some(p) = found else {
        let mut errors = FieldErrors::new();
        errors.add("proposal", "error.need_unknown_proposal");
        let form = form_of(&n);
        let page = typed_page(ctx, village, n, form, errors, typed);
        return refused(&store, page, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    store.link_need(&n, p.id, actor).await?;
    ctx.flash("need.linked");
    Ok(Redirect::to(&format!("{}#usulan", paths::need(&slug, n.id))).into_response())
}

async fn unlink(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id, number)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let (village, n) = load(&store, &slug, &id).await?;
    let actor = ctx.authorize(Action::RecordMeetings, Some(village.id))?.id;
    let p = store.proposal_by_number(village.id, &number).await?;
    store.unlink_need(&n, p.id, actor).await?;
    ctx.flash("need.unlinked");
    Ok(Redirect::to(&format!("{}#usulan", paths::need(&slug, n.id))).into_response())
}

/// Records the problem's figure measured after a proposal answering it was carried out
/// (fields `count`, `measured_on`, `note`).
async fn measure(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    axum::Form(typed): axum::Form<MeasureForm>,
) -> AppResult<Response> {
    let (village, n) = load(&store, &slug, &id).await?;
    let actor = ctx.authorize(Action::RecordMeetings, Some(village.id))?.id;
    let answers = store.answers(Some(n.id), None).await?;
    let context = need::MeasureContext {
        has_baseline: n.affected_count.is_some(),
        answered_and_done: done(&answers),
        listed_on: village.local_day(&n.created_at),
        today: village.today(),
    };
    match typed.validate(context) {
        Ok(m) => {
            store.add_need_measure(&n, &m, actor).await?;
            ctx.flash("need.measured");
            Ok(Redirect::to(&format!("{}#sesudah", paths::need(&slug, n.id))).into_response())
        }
        Err(errors) => {
            let form = form_of(&n);
            let mut page = typed_page(ctx, village, n, form, errors, String::new());
            page.measure = typed;
            refused(&store, page, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "needs/impact.html")]
struct ImpactPage {
    ctx: Ctx,
    village: Village,
    rows: Vec<ImpactRow>,
}

impl ImpactPage {
    fn change(&self, r: &ImpactRow) -> Option<need::Change> {
        r.after.map(|after| need::change(r.before, after))
    }
    fn measured(&self) -> usize {
        self.rows.iter().filter(|r| r.after.is_some()).count()
    }
    /// Measured problems with fewer affected than before.
    fn improved(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.after.is_some_and(|a| a < r.before))
            .count()
    }
    /// Done but not measured yet: what the facilitators still have to count.
    fn to_measure(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.after.is_none() && r.done > 0)
            .count()
    }
}

/// The village's impact page: its problems with a baseline that proposals answer, the
/// figure before and after (seed 001: analisis sebelum dan sesudah).
async fn impact(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<ImpactPage> {
    let village = store.village_by_slug(&slug).await?;
    let rows = store.impact(village.id).await?;
    Ok(ImpactPage { ctx, village, rows })
}
