//! The pagu indikatif form of a plan year: what each source gives, what the standing items
//! of bidang 01 take first, what is left for the proposals and what the draft funds, and the
//! programmes the kabupaten, province or state bring into the village. Printable on A4; the
//! officials list the programmes on the same page.

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use uuid::Uuid;

use super::page::PlanText;
use crate::domain::access::Action;
use crate::domain::programme::ProgrammeForm;
use crate::domain::validation::FieldErrors;
use crate::store::StoreError;
use crate::store::plans::StoredPlan;
use crate::store::programmes::Programme;
use crate::store::villages::Village;
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::page::Ctx;
use crate::web::routes::Routes;
use crate::web::visit::InVillage;

pub fn routes() -> Routes {
    Routes::new()
        .route(crate::web::paths::PAGU_INDIKATIF, get(document))
        .route(crate::web::paths::PROGRAMMES, post(add))
        .route(crate::web::paths::PROGRAMME_REMOVE, post(remove))
}

/// One source's line: source, pagu, standing items, left for proposals, funded, remaining.
type Line = (String, i64, i64, i64, i64, i64);

#[derive(Template, WebTemplate)]
#[template(path = "plans/pagu.html")]
struct Page {
    ctx: Ctx,
    village: Village,
    year: i64,
    stored: StoredPlan,
    programmes: Vec<Programme>,
    /// The Tim Penyusun's chair, who signs beside the kepala desa.
    chair: Option<String>,
    kepala_desa: Option<String>,
    may_plan: bool,
    form: ProgrammeForm,
    errors: FieldErrors,
}

impl PlanText for Page {
    fn lang(&self) -> Lang {
        Lang::ID
    }
}

impl Page {
    fn lines(&self) -> Vec<Line> {
        self.stored
            .plan
            .sources
            .iter()
            .map(|s| {
                let standing: i64 = self
                    .stored
                    .plan
                    .standing
                    .iter()
                    .filter(|x| x.source == s.source)
                    .map(|x| x.cost)
                    .sum();
                (
                    s.source.clone(),
                    s.ceiling,
                    standing,
                    s.ceiling - standing,
                    s.funded - standing,
                    s.remaining,
                )
            })
            .collect()
    }
    /// The sum of column `column` (1: pagu … 5: remaining) over the sources.
    fn total(&self, column: usize) -> i64 {
        self.lines()
            .iter()
            .map(|(_, a, b, c, d, e)| [*a, *b, *c, *d, *e][column.clamp(1, 5) - 1])
            .sum()
    }
    fn programmes_total(&self) -> i64 {
        self.programmes.iter().map(|p| p.amount).sum()
    }
    fn givers(&self) -> &'static [&'static str] {
        &crate::domain::apbdes::AUTHORITIES
    }
    fn editable(&self) -> bool {
        self.may_plan && !self.stored.is_adopted()
    }
}

/// The year's plan as first set (`{year}` in the path): 404 for a year out of range.
async fn first_revision(visit: &InVillage, year: &str) -> AppResult<StoredPlan> {
    let year: i64 = match year.parse() {
        Ok(y) if crate::domain::apbdes::valid_year(y) => y,
        _ => return Err(AppError::NotFound),
    };
    Ok(visit
        .store
        .plan_revision(visit.village.id, year, Some(0))
        .await?)
}

async fn page(
    visit: InVillage,
    stored: StoredPlan,
    form: ProgrammeForm,
    errors: FieldErrors,
) -> AppResult<Page> {
    let (store, ctx, village) = visit.into_parts();
    let programmes = store.programmes(stored.id).await?;
    let chair = store.tim(stored.id).await?.and_then(|t| {
        t.members
            .into_iter()
            .find(|m| m.role == "ketua")
            .map(|m| m.name)
    });
    let kepala_desa = village.tata_tertib().kepala_desa;
    let may_plan = ctx.may(Action::AdoptPlan, Some(village.id));
    Ok(Page {
        ctx,
        village,
        year: stored.year,
        stored,
        programmes,
        chair,
        kepala_desa,
        may_plan,
        form,
        errors,
    })
}

async fn document(visit: InVillage, Path((_, year)): Path<(String, String)>) -> AppResult<Page> {
    let stored = first_revision(&visit, &year).await?;
    page(visit, stored, ProgrammeForm::default(), FieldErrors::new()).await
}

fn back(village: &Village, year: i64) -> String {
    format!(
        "{}#program",
        crate::web::paths::pagu_indikatif(&village.slug, year)
    )
}

async fn add(
    visit: InVillage,
    Path((_, year)): Path<(String, String)>,
    Form(form): Form<ProgrammeForm>,
) -> AppResult<Response> {
    let actor = visit.actor(Action::AdoptPlan)?;
    let stored = first_revision(&visit, &year).await?;
    let programme = match form.validate() {
        Ok(p) => p,
        Err(errors) => {
            let page = page(visit, stored, form, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let village = &visit.village;
    match visit
        .store
        .add_programme(village.id, stored.id, &programme, actor.id)
        .await
    {
        Ok(_) => {
            visit.ctx.flash("programme.added");
            Ok(Redirect::to(&back(village, stored.year)).into_response())
        }
        Err(StoreError::Finalized) => Err(AppError::Conflict),
        Err(e) => Err(e.into()),
    }
}

async fn remove(
    visit: InVillage,
    Path((_, year, id)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let actor = visit.actor(Action::AdoptPlan)?;
    let stored = first_revision(&visit, &year).await?;
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let village = &visit.village;
    match visit
        .store
        .delete_programme(village.id, stored.id, id, actor.id)
        .await
    {
        Ok(()) => {
            visit.ctx.flash("programme.removed");
            Ok(Redirect::to(&back(village, stored.year)).into_response())
        }
        Err(StoreError::Finalized) => Err(AppError::Conflict),
        Err(e) => Err(e.into()),
    }
}
