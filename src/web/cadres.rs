//! Motors of change (seed 003): the village's cadres and self-starting people with what
//! they started (public, no contact data), recorded by its facilitators and officials;
//! each cadre's page lists the proposals they drive.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use uuid::Uuid;

use super::error::{AppError, AppResult};
use super::page::Ctx;
use super::routes::Routes;
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::cadre::{self, CadreForm, CheckedCadre};
use crate::store::cadres::{Cadre, Driven};
use crate::store::groups::GroupSummary as Group;
use crate::store::villages::Village;
use crate::store::{Store, StoreError};
use crate::web::paths;

pub fn routes() -> Routes {
    Routes::new()
        .route(paths::CADRES, get(list).post(create))
        .route(paths::CADRE, get(show).post(update))
}

/// The cadre form's choices, shared by both pages.
pub trait CadreChoices {
    fn village(&self) -> &Village;
    fn groups(&self) -> &[Group];
    fn roles(&self) -> &'static [&'static str] {
        &cadre::ROLES
    }
    fn hamlets(&self) -> &[String] {
        &self.village().hamlets
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cadres/list.html")]
struct ListPage {
    ctx: Ctx,
    village: Village,
    cadres: Vec<Cadre>,
    may_edit: bool,
    groups: Vec<Group>,
    form: CadreForm,
    errors: FieldErrors,
}

impl CadreChoices for ListPage {
    fn village(&self) -> &Village {
        &self.village
    }
    fn groups(&self) -> &[Group] {
        &self.groups
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cadres/show.html")]
struct ShowPage {
    ctx: Ctx,
    village: Village,
    c: Cadre,
    driven: Vec<Driven>,
    may_edit: bool,
    groups: Vec<Group>,
    form: CadreForm,
    errors: FieldErrors,
}

impl CadreChoices for ShowPage {
    fn village(&self) -> &Village {
        &self.village
    }
    fn groups(&self) -> &[Group] {
        &self.groups
    }
}

fn form_of(c: &Cadre) -> CadreForm {
    CadreForm {
        name: c.name.clone(),
        role: c.role.clone(),
        hamlet: c.hamlet.clone().unwrap_or_default(),
        group: c.group_id.map(|g| g.to_string()).unwrap_or_default(),
        since_year: c.since_year.map(|y| y.to_string()).unwrap_or_default(),
        started: c.started.clone(),
        version: c.version.to_string(),
    }
}

/// The village's groups (for the form) and the form checked against them.
async fn checked(
    store: &Store,
    village: &Village,
    form: &CadreForm,
) -> AppResult<(Vec<Group>, Result<CheckedCadre, FieldErrors>)> {
    let groups = store.list_groups(village.id).await?;
    let ids: Vec<Uuid> = groups.iter().map(|g| g.id).collect();
    let result = form.validate(&village.hamlets, &ids, village.this_year());
    Ok((groups, result))
}

fn name_taken() -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.add("name", "error.cadre_name_taken");
    errors
}

async fn list(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<ListPage> {
    let village = store.village_by_slug(&slug).await?;
    let cadres = store.list_cadres(village.id).await?;
    let may_edit = ctx.may(Action::RecordMeetings, Some(village.id));
    let groups = if may_edit {
        store.list_groups(village.id).await?
    } else {
        Vec::new()
    };
    Ok(ListPage {
        ctx,
        village,
        cadres,
        may_edit,
        groups,
        form: CadreForm::default(),
        errors: FieldErrors::new(),
    })
}

async fn create(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<CadreForm>,
) -> AppResult<Response> {
    let village = store.village_by_slug(&slug).await?;
    let actor = ctx.authorize(Action::RecordMeetings, Some(village.id))?.id;
    let (groups, result) = checked(&store, &village, &form).await?;
    let errors = match result {
        Ok(c) => match store.create_cadre(village.id, &c, actor).await {
            Ok(id) => {
                ctx.flash("cadre.saved");
                return Ok(Redirect::to(&paths::cadre(&slug, id)).into_response());
            }
            Err(StoreError::Duplicate(_)) => name_taken(),
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    let cadres = store.list_cadres(village.id).await?;
    let page = ListPage {
        ctx,
        village,
        cadres,
        may_edit: true,
        groups,
        form,
        errors,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn load(store: &Store, slug: &str, id: &str) -> AppResult<(Village, Cadre)> {
    let village = store.village_by_slug(slug).await?;
    let id = id.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    let c = store.cadre(village.id, id).await?;
    Ok((village, c))
}

async fn show(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
) -> AppResult<ShowPage> {
    let (village, c) = load(&store, &slug, &id).await?;
    let may_edit = ctx.may(Action::RecordMeetings, Some(village.id));
    let driven = store.driven_by(c.id).await?;
    let groups = if may_edit {
        store.list_groups(village.id).await?
    } else {
        Vec::new()
    };
    Ok(ShowPage {
        ctx,
        form: form_of(&c),
        village,
        c,
        driven,
        may_edit,
        groups,
        errors: FieldErrors::new(),
    })
}

async fn update(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    Form(mut form): Form<CadreForm>,
) -> AppResult<Response> {
    let (village, c) = load(&store, &slug, &id).await?;
    let actor = ctx.authorize(Action::RecordMeetings, Some(village.id))?.id;
    let version = form
        .version
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    let (groups, result) = checked(&store, &village, &form).await?;
    let (errors, status, c) = match result {
        Ok(checked) => match store.update_cadre(&c, version, &checked, actor).await {
            Ok(()) => {
                ctx.flash("cadre.saved");
                return Ok(Redirect::to(&paths::cadre(&slug, c.id)).into_response());
            }
            Err(StoreError::Duplicate(_)) => (name_taken(), StatusCode::UNPROCESSABLE_ENTITY, c),
            Err(StoreError::Stale) => {
                // Someone saved first: the page shows what is stored now and keeps what
                // this person typed, to send again on purpose.
                let current = store.cadre(village.id, c.id).await?;
                form.version = current.version.to_string();
                let mut errors = FieldErrors::new();
                errors.add("name", "error.stale");
                (errors, StatusCode::CONFLICT, current)
            }
            Err(e) => return Err(e.into()),
        },
        Err(errors) => (errors, StatusCode::UNPROCESSABLE_ENTITY, c),
    };
    let driven = store.driven_by(c.id).await?;
    let page = ShowPage {
        ctx,
        village,
        c,
        driven,
        may_edit: true,
        groups,
        form,
        errors,
    };
    Ok((status, page).into_response())
}
