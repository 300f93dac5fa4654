//! The priority criteria a plan scores its candidates by.

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::page::{draft, pairs, version_of};
use super::plan_url;
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::plan::{self, CriteriaForm};
use crate::store::villages::Village;
use crate::store::{Store, StoreError};
use crate::web::error::AppResult;
use crate::web::page::Ctx;

#[derive(Template, WebTemplate)]
#[template(path = "plans/criteria.html")]
pub(super) struct CriteriaPage {
    ctx: Ctx,
    village: Village,
    year: i64,
    form: CriteriaForm,
    errors: FieldErrors,
}

impl CriteriaPage {
    fn field(&self, prefix: &str, i: &usize) -> String {
        format!("{prefix}_{i}")
    }
    fn error(&self, prefix: &str, i: &usize) -> Option<&'static str> {
        self.errors.get(&format!("{prefix}_{i}"))
    }
    fn is_name(&self, prefix: &str) -> bool {
        prefix == "name"
    }
    fn label(&self, prefix: &str) -> &'static str {
        match prefix {
            "name" => "plan.criterion_name",
            "weight" => "plan.weight",
            _ => "plan.max_score",
        }
    }
    fn value<'a>(&self, row: &'a plan::CriterionRow, prefix: &str) -> &'a str {
        match prefix {
            "name" => &row.name,
            "weight" => &row.weight,
            _ => &row.max,
        }
    }
}

pub(super) async fn criteria_page(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
) -> AppResult<CriteriaPage> {
    let (village, stored, _) = draft(&store, &ctx, &slug, &year, Action::AdoptPlan).await?;
    Ok(CriteriaPage {
        ctx,
        village,
        year: stored.year,
        form: CriteriaForm::of(&stored.plan.criteria, stored.version),
        errors: FieldErrors::new(),
    })
}

pub(super) async fn save_criteria(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let (village, stored, actor) = draft(&store, &ctx, &slug, &year, Action::AdoptPlan).await?;
    let form = CriteriaForm::from_pairs(pairs(&body));
    let version = version_of(&form.version)?;
    let known: Vec<Uuid> = stored.plan.criteria.iter().map(|c| c.id).collect();
    let year = stored.year;
    let refuse = |ctx, village, form, errors, status: StatusCode| {
        (
            status,
            CriteriaPage {
                ctx,
                village,
                year,
                form,
                errors,
            },
        )
            .into_response()
    };
    let criteria = match form.validate(&known) {
        Ok(c) => c,
        Err(errors) => {
            return Ok(refuse(
                ctx,
                village,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    match store
        .update_criteria(village.id, stored.id, &criteria, version, actor)
        .await
    {
        Ok(()) => {
            ctx.flash("plan.saved");
            Ok(Redirect::to(&format!("{}#kriteria", plan_url(&village, year))).into_response())
        }
        Err(StoreError::Invalid(errors)) => Ok(refuse(
            ctx,
            village,
            form,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(StoreError::Stale) => {
            let fresh = store.plan(village.id, year).await?;
            let mut errors = FieldErrors::new();
            errors.add("name_0", "error.stale");
            let form = CriteriaForm::of(&fresh.plan.criteria, fresh.version);
            Ok(refuse(ctx, village, form, errors, StatusCode::CONFLICT))
        }
        Err(e) => Err(e.into()),
    }
}
