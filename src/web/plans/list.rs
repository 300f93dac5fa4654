//! A village's plans by year, and opening the plan of a new year.

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::plan_url;
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::apbdes;
use crate::store::Store;
use crate::store::plans::PlanSummary;
use crate::store::villages::Village;
use crate::web::error::AppResult;
use crate::web::page::Ctx;

#[derive(Template, WebTemplate)]
#[template(path = "plans/list.html")]
pub(super) struct ListPage {
    ctx: Ctx,
    village: Village,
    plans: Vec<PlanSummary>,
    may_plan: bool,
    year: String,
    errors: FieldErrors,
}

impl ListPage {
    fn suggested(&self) -> Vec<i64> {
        let now = self.village.this_year();
        [now, now + 1]
            .into_iter()
            .filter(|y| !self.plans.iter().any(|p| p.year == *y))
            .collect()
    }
}

pub(super) async fn list(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<ListPage> {
    let village = store.village_by_slug(&slug).await?;
    let plans = store.list_plans(village.id).await?;
    let may_plan = ctx.may(Action::AdoptPlan, Some(village.id));
    let year = (village.this_year() + 1).to_string();
    Ok(ListPage {
        ctx,
        village,
        plans,
        may_plan,
        year,
        errors: FieldErrors::new(),
    })
}

#[derive(serde::Deserialize)]
pub(super) struct OpenForm {
    #[serde(default)]
    year: String,
}

pub(super) async fn open(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<OpenForm>,
) -> AppResult<Response> {
    let village = store.village_by_slug(&slug).await?;
    let actor = ctx.authorize(Action::AdoptPlan, Some(village.id))?.id;
    let year = match form.year.trim().parse::<i64>() {
        Ok(y) if apbdes::valid_year(y) => y,
        _ => {
            let mut errors = FieldErrors::new();
            errors.add("year", "plan.error.year");
            let plans = store.list_plans(village.id).await?;
            let page = ListPage {
                ctx,
                village,
                plans,
                may_plan: true,
                year: form.year,
                errors,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    store.open_plan(village.id, year, actor).await?;
    Ok(Redirect::to(&plan_url(&village, year)).into_response())
}
