//! The standing items of bidang 01: the public list, and the officials' forms to add,
//! change and remove them.

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use uuid::Uuid;

use crate::domain::access::Action;
use crate::domain::proposal::SUB_BIDANG;
use crate::domain::standing::StandingForm;
use crate::domain::validation::FieldErrors;
use crate::store::StoreError;
use crate::store::standing::StoredStanding;
use crate::store::villages::Village;
use crate::web::error::{AppError, AppResult};
use crate::web::page::Ctx;
use crate::web::routes::Routes;
use crate::web::visit::InVillage;

pub fn routes() -> Routes {
    Routes::new()
        .route(crate::web::paths::STANDING, get(list).post(add))
        .route(
            crate::web::paths::STANDING_ITEM,
            get(edit_page).post(update),
        )
        .route(crate::web::paths::STANDING_REMOVE, post(remove))
}

#[derive(Template, WebTemplate)]
#[template(path = "plans/standing.html")]
struct Page {
    ctx: Ctx,
    village: Village,
    items: Vec<StoredStanding>,
    may_plan: bool,
    /// The item the form changes (none: the form adds one).
    editing: Option<Uuid>,
    form: StandingForm,
    errors: FieldErrors,
}

impl Page {
    fn money(&self, amount: &i64) -> String {
        crate::domain::money::rupiah_text(*amount)
    }
    /// The kegiatan of bidang 01, for the code's select.
    fn kegiatan_choices(&self) -> Vec<(String, String)> {
        crate::domain::kegiatan::choices()
            .into_iter()
            .filter(|(sub, _)| sub.starts_with("01."))
            .flat_map(|(_, list)| list)
            .collect()
    }
    fn sub_bidang(&self) -> Vec<(&'static str, &'static str)> {
        SUB_BIDANG
            .iter()
            .copied()
            .filter(|(c, _)| crate::domain::standing::is_standing_sub_bidang(c))
            .collect()
    }
    fn sources(&self) -> &'static [&'static str] {
        &crate::domain::apbdes::SOURCES
    }
    fn foci(&self) -> &'static [&'static str] {
        &crate::domain::dana_desa::FOCI
    }
    fn pelaksana_list(&self) -> &'static [&'static str] {
        &crate::domain::apbdes::PELAKSANA
    }
    fn chosen(&self, typed: &str, code: &str) -> bool {
        typed.trim() == code
    }
    fn years(&self, s: &StoredStanding) -> String {
        match s.to_year {
            None => format!("{}–", s.from_year),
            Some(t) if t == s.from_year => t.to_string(),
            Some(t) => format!("{}–{t}", s.from_year),
        }
    }
    fn action(&self) -> String {
        match self.editing {
            Some(id) => crate::web::paths::standing_item(&self.village.slug, id),
            None => crate::web::paths::standing(&self.village.slug),
        }
    }
}

/// The list with its form (a new item, or the one being changed).
async fn page(
    visit: InVillage,
    (editing, form): (Option<Uuid>, StandingForm),
    errors: FieldErrors,
) -> AppResult<Page> {
    let (store, ctx, village) = visit.into_parts();
    let items = store.standing_items(village.id).await?;
    let may_plan = ctx.may(Action::AdoptPlan, Some(village.id));
    Ok(Page {
        ctx,
        village,
        items,
        may_plan,
        editing,
        form,
        errors,
    })
}

fn list_url(village: &Village) -> String {
    crate::web::paths::standing(&village.slug)
}

async fn list(visit: InVillage) -> AppResult<Page> {
    let year = chrono::Utc::now().format("%Y").to_string();
    let form = StandingForm {
        from_year: year,
        ..StandingForm::default()
    };
    page(visit, (None, form), FieldErrors::new()).await
}

fn id_of(raw: &str) -> AppResult<Uuid> {
    raw.parse().map_err(|_| AppError::NotFound)
}

async fn add(visit: InVillage, Form(form): Form<StandingForm>) -> AppResult<Response> {
    let actor = visit.actor(Action::AdoptPlan)?;
    match form.validate() {
        Ok(s) => {
            let village = &visit.village;
            visit.store.add_standing(village.id, &s, actor.id).await?;
            visit.ctx.flash("standing.saved");
            Ok(Redirect::to(&list_url(village)).into_response())
        }
        Err(errors) => {
            let page = page(visit, (None, form), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn edit_page(visit: InVillage, Path((_, id)): Path<(String, String)>) -> AppResult<Page> {
    visit.actor(Action::AdoptPlan)?;
    let s = visit
        .store
        .standing_item(visit.village.id, id_of(&id)?)
        .await?;
    let form = StandingForm::of(&s.item, s.from_year, s.to_year, s.version);
    page(visit, (Some(s.item.id), form), FieldErrors::new()).await
}

async fn update(
    visit: InVillage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<StandingForm>,
) -> AppResult<Response> {
    let actor = visit.actor(Action::AdoptPlan)?;
    let id = id_of(&id)?;
    let version = form
        .version
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    let (status, errors) = match form.validate() {
        Ok(s) => match visit
            .store
            .update_standing(visit.village.id, id, &s, version, actor.id)
            .await
        {
            Ok(()) => {
                visit.ctx.flash("standing.saved");
                return Ok(Redirect::to(&list_url(&visit.village)).into_response());
            }
            Err(StoreError::Stale) => {
                let mut e = FieldErrors::new();
                e.add("kegiatan", "error.stale");
                (StatusCode::CONFLICT, e)
            }
            Err(e) => return Err(e.into()),
        },
        Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
    };
    let page = page(visit, (Some(id), form), errors).await?;
    Ok((status, page).into_response())
}

async fn remove(visit: InVillage, Path((_, id)): Path<(String, String)>) -> AppResult<Response> {
    let actor = visit.actor(Action::AdoptPlan)?;
    visit
        .store
        .delete_standing(visit.village.id, id_of(&id)?, actor.id)
        .await?;
    visit.ctx.flash("standing.removed");
    Ok(Redirect::to(&list_url(&visit.village)).into_response())
}
