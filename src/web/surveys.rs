//! Needs surveys (survei kebutuhan): the village's list where facilitators and officials
//! write a survey, and each survey's page where anyone answers it once, staff enter the
//! paper forms, and everyone reads the results per dusun and group.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use uuid::Uuid;

use super::error::{AppError, AppResult};
use super::page::Ctx;
use super::routes::Routes;
use super::stats::Chart;
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::survey::{self, Counts, SurveyForm};
use crate::store::groups::GroupSummary;
use crate::store::surveys::{Respondent, Survey, SurveySummary};
use crate::store::villages::Village;
use crate::store::{Store, StoreError};
use crate::web::paths;

pub fn routes() -> Routes {
    Routes::new()
        .route(paths::SURVEYS, get(list).post(create))
        .route(paths::SURVEY, get(show).post(answer))
        .route(paths::SURVEY_CLOSE, post(close))
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/list.html")]
struct ListPage {
    ctx: Ctx,
    village: Village,
    surveys: Vec<SurveySummary>,
    may_edit: bool,
    groups: Vec<GroupSummary>,
    form: SurveyForm,
    errors: FieldErrors,
}

impl ListPage {
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        super::filters::local_time(at, &self.village.timezone)
    }
}

/// One question's results: its chart and its counts per dusun and per group.
struct Outcome {
    text: String,
    choices: Vec<String>,
    chart: Chart,
    by_hamlet: Counts,
    by_group: Counts,
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/show.html")]
struct ShowPage {
    ctx: Ctx,
    village: Village,
    s: Survey,
    groups: Vec<GroupSummary>,
    results: Vec<Outcome>,
    responses: usize,
    may_edit: bool,
    /// This visitor (account or browser) already answered.
    answered: bool,
    /// What was typed in the answer form, and what was wrong with it.
    typed: BTreeMap<String, String>,
    errors: FieldErrors,
}

impl ShowPage {
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        super::filters::local_time(at, &self.village.timezone)
    }
    fn typed(&self, field: &str) -> &str {
        self.typed.get(field).map_or("", String::as_str)
    }
    fn field(&self, i: &usize) -> &'static str {
        survey::QUESTION_FIELDS[*i]
    }
    fn chosen(&self, i: &usize, c: &usize) -> bool {
        self.typed(self.field(i)) == c.to_string()
    }
}

async fn list(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<ListPage> {
    let village = store.village_by_slug(&slug).await?;
    let surveys = store.list_surveys(village.id).await?;
    let groups = store.list_groups(village.id).await?;
    let may_edit = ctx.may(Action::RecordMeetings, Some(village.id));
    Ok(ListPage {
        ctx,
        village,
        surveys,
        may_edit,
        groups,
        form: SurveyForm::default(),
        errors: FieldErrors::new(),
    })
}

async fn create(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<SurveyForm>,
) -> AppResult<Response> {
    let village = store.village_by_slug(&slug).await?;
    let actor = ctx.authorize(Action::RecordMeetings, Some(village.id))?.id;
    let groups = store.list_groups(village.id).await?;
    let ids: Vec<Uuid> = groups.iter().map(|g| g.id).collect();
    match form.validate(&ids) {
        Ok(checked) => {
            let id = store.create_survey(village.id, &checked, actor).await?;
            ctx.flash("survey.saved");
            Ok(Redirect::to(&paths::survey(&slug, id)).into_response())
        }
        Err(errors) => {
            let surveys = store.list_surveys(village.id).await?;
            let page = ListPage {
                ctx,
                village,
                surveys,
                may_edit: true,
                groups,
                form,
                errors,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn load(store: &Store, slug: &str, id: &str) -> AppResult<(Village, Survey)> {
    let village = store.village_by_slug(slug).await?;
    let id = id.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    let s = store.survey(village.id, id).await?;
    Ok((village, s))
}

/// The survey's page, with what was typed and what was wrong with it.
async fn page(
    store: &Store,
    mut ctx: Ctx,
    village: Village,
    s: Survey,
    typed: BTreeMap<String, String>,
    errors: FieldErrors,
) -> AppResult<ShowPage> {
    let groups = store.list_groups(village.id).await?;
    let responses = store.survey_responses(&s).await?;
    let by_hamlet: Vec<(Option<String>, Vec<i64>)> = responses
        .iter()
        .map(|r| (r.hamlet.clone(), r.chosen.clone()))
        .collect();
    let by_group: Vec<(Option<String>, Vec<i64>)> = responses
        .iter()
        .map(|r| (r.group_name.clone(), r.chosen.clone()))
        .collect();
    let results = s
        .questions
        .iter()
        .enumerate()
        .map(|(i, (_, q))| {
            let by_hamlet = survey::count(i, q.choices.len(), &by_hamlet);
            let by_group = survey::count(i, q.choices.len(), &by_group);
            Outcome {
                text: q.text.clone(),
                choices: q.choices.clone(),
                chart: Chart::of(
                    q.choices
                        .iter()
                        .cloned()
                        .zip(by_hamlet.overall.iter().copied())
                        .collect(),
                ),
                by_hamlet,
                by_group,
            }
        })
        .collect();
    let may_edit = ctx.may(Action::RecordMeetings, Some(village.id));
    let answered = match ctx.known_respondent().await? {
        Some(me) if !may_edit => store.survey_respondent_exists(s.id, &me).await?,
        _ => false,
    };
    ctx.ensure_csrf().await?;
    Ok(ShowPage {
        ctx,
        village,
        s,
        groups,
        results,
        responses: responses.len(),
        may_edit,
        answered,
        typed,
        errors,
    })
}

async fn show(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
) -> AppResult<ShowPage> {
    let (village, s) = load(&store, &slug, &id).await?;
    page(&store, ctx, village, s, BTreeMap::new(), FieldErrors::new()).await
}

/// One person's answers: `q0`, `q1`, … and the optional `hamlet` and `group`; from a
/// facilitator entering a paper form, `paper=1` and the respondent's `name`.
async fn answer(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    Form(fields): Form<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let (village, s) = load(&store, &slug, &id).await?;
    let refuse = |ctx, village, s, fields, errors: FieldErrors, status: StatusCode| {
        let store = store.clone();
        async move {
            let page = page(&store, ctx, village, s, fields, errors).await?;
            Ok::<_, AppError>((status, page).into_response())
        }
    };
    let one = |field: &'static str, key: &'static str| {
        let mut e = FieldErrors::new();
        e.add(field, key);
        e
    };
    if !s.is_open() {
        let errors = one("q0", "error.survey_closed");
        return refuse(ctx, village, s, fields, errors, StatusCode::CONFLICT).await;
    }
    let text = |k: &str| fields.get(k).map_or("", |v| v.trim());
    let paper = text("paper") == "1";
    let paper_by = if paper {
        Some(ctx.authorize(Action::RecordMeetings, Some(village.id))?.id)
    } else {
        None
    };
    let mut errors = FieldErrors::new();
    let questions: Vec<_> = s.questions.iter().map(|(_, q)| q.clone()).collect();
    let chosen = survey::read_answers(&questions, &fields).unwrap_or_else(|e| {
        errors = e;
        Vec::new()
    });
    let hamlet =
        crate::domain::validation::optional_choice(&mut errors, "hamlet", text("hamlet"), |h| {
            village.hamlets.iter().any(|x| x == h)
        });
    let groups = store.group_ids(village.id).await?;
    let group =
        crate::domain::validation::optional_id(&mut errors, "group", text("group"), &groups);
    let name = crate::domain::validation::optional_text(&mut errors, "name", text("name"), 120);
    if paper && name.is_none() {
        errors.add("name", "error.survey_paper_name");
    }
    if !errors.is_empty() {
        return refuse(
            ctx,
            village,
            s,
            fields,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let key = match &name {
        Some(n) if paper => survey::paper_respondent(n),
        _ => ctx.respondent().await?,
    };
    let who = Respondent {
        key,
        paper_by,
        hamlet,
        group,
    };
    match store.add_response(&s, &who, &chosen).await {
        Ok(()) => {}
        Err(StoreError::Duplicate(_)) => {
            let key = if paper {
                "error.survey_paper_twice"
            } else {
                "error.survey_twice"
            };
            let errors = one(if paper { "name" } else { "q0" }, key);
            return refuse(ctx, village, s, fields, errors, StatusCode::CONFLICT).await;
        }
        Err(StoreError::OutOfTurn(key)) => {
            let errors = one("q0", key);
            return refuse(ctx, village, s, fields, errors, StatusCode::CONFLICT).await;
        }
        Err(e) => return Err(e.into()),
    }
    ctx.flash("survey.thanks");
    let anchor = if paper { "#kertas" } else { "#hasil" };
    Ok(Redirect::to(&format!("{}{anchor}", paths::survey(&slug, s.id))).into_response())
}

async fn close(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
) -> AppResult<Response> {
    let (village, s) = load(&store, &slug, &id).await?;
    let actor = ctx.authorize(Action::RecordMeetings, Some(village.id))?.id;
    store.close_survey(&s, actor).await?;
    ctx.flash("survey.closed");
    Ok(Redirect::to(&paths::survey(&slug, s.id)).into_response())
}
