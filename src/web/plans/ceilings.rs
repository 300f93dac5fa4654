//! The plan's ceilings per funding source.

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::page::{draft, pairs, version_of};
use super::plan_url;
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::apbdes;
use crate::domain::plan::{self, CeilingForm};
use crate::store::villages::Village;
use crate::store::{Store, StoreError};
use crate::web::error::AppResult;
use crate::web::page::Ctx;

#[derive(Template, WebTemplate)]
#[template(path = "plans/ceilings.html")]
pub(super) struct CeilingsPage {
    ctx: Ctx,
    village: Village,
    year: i64,
    form: CeilingForm,
    errors: FieldErrors,
}

impl CeilingsPage {
    fn field(&self, source: &str) -> &'static str {
        plan::ceiling_field(source)
    }
    fn sources(&self) -> &'static [&'static str] {
        &apbdes::SOURCES
    }
}

pub(super) async fn ceilings_page(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
) -> AppResult<CeilingsPage> {
    let (village, stored, _) = draft(&store, &ctx, &slug, &year, Action::AdoptPlan).await?;
    Ok(CeilingsPage {
        ctx,
        village,
        year: stored.year,
        form: CeilingForm::of(&stored.ceilings, stored.version),
        errors: FieldErrors::new(),
    })
}

pub(super) async fn save_ceilings(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let (village, stored, actor) = draft(&store, &ctx, &slug, &year, Action::AdoptPlan).await?;
    let form = CeilingForm::from_pairs(pairs(&body));
    let version = version_of(&form.version)?;
    let year = stored.year;
    let amounts = match form.validate() {
        Ok(a) => a,
        Err(errors) => {
            let page = CeilingsPage {
                ctx,
                village,
                year,
                form,
                errors,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match store
        .update_ceilings(village.id, stored.id, &amounts, version, actor)
        .await
    {
        Ok(()) => {
            ctx.flash("plan.saved");
            Ok(Redirect::to(&format!("{}#pagu", plan_url(&village, year))).into_response())
        }
        Err(StoreError::Stale) => {
            let fresh = store.plan(village.id, year).await?;
            let mut errors = FieldErrors::new();
            errors.add(plan::ceiling_field("dd"), "error.stale");
            let page = CeilingsPage {
                ctx,
                village,
                year,
                form: CeilingForm::of(&fresh.ceilings, fresh.version),
                errors,
            };
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
