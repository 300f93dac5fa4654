//! Agreeing and setting the plan: tabling it at the Musrenbangdes, setting it by
//! Peraturan Desa, and amending a set plan.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::page::{Typed, plan_page};
use super::{Format, plan_url, year_of};
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::plan::{self, AmendForm, PerdesForm};
use crate::domain::village::Timezone;
use crate::store::Actor;
use crate::store::plans::StoredPlan;
use crate::store::villages::Village;
use crate::store::{Store, StoreError};
use crate::web::error::{AppError, AppResult};
use crate::web::page::Ctx;

#[derive(serde::Deserialize)]
pub(super) struct TableForm {
    #[serde(default)]
    meeting: String,
}

/// The official and the village and year's plan, for the steps of its agreement.
async fn planning_step(
    store: &Store,
    ctx: &Ctx,
    slug: &str,
    year: &str,
) -> AppResult<(Village, StoredPlan, Actor)> {
    let (year, format) = year_of(year)?;
    if format != Format::Html {
        return Err(AppError::NotFound);
    }
    let village = store.village_by_slug(slug).await?;
    let viewer = ctx.authorize(Action::AdoptPlan, Some(village.id))?.clone();
    let stored = store.plan(village.id, year).await?;
    if stored.is_adopted() {
        return Err(AppError::Conflict);
    }
    Ok((village, stored, viewer.actor()))
}

/// The page again with the step's mistakes: 422, or 409 for a step out of turn.
pub(super) async fn refused(
    store: &Store,
    ctx: Ctx,
    village: Village,
    year: i64,
    status: StatusCode,
    errors: FieldErrors,
    typed: Typed,
) -> AppResult<Response> {
    let page = plan_page(store, ctx, village, (year, None), typed, errors).await?;
    Ok((status, page).into_response())
}

/// A step out of turn: 409 with the reason beside `field`.
async fn step_refused(
    store: &Store,
    ctx: Ctx,
    (village, year): (Village, i64),
    field: &'static str,
    reason: &'static str,
    typed: Typed,
) -> AppResult<Response> {
    let mut errors = FieldErrors::new();
    errors.add(field, reason);
    refused(
        store,
        ctx,
        village,
        year,
        StatusCode::CONFLICT,
        errors,
        typed,
    )
    .await
}

/// The complete draft is put before a Musrenbangdes not yet finalized.
pub(super) async fn table(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
    Form(form): Form<TableForm>,
) -> AppResult<Response> {
    let (village, stored, actor) = planning_step(&store, &ctx, &slug, &year).await?;
    let meeting = form.meeting.trim().parse::<Uuid>().ok();
    match store
        .table_plan(village.id, stored.id, meeting, actor.id)
        .await
    {
        Ok(()) => {
            ctx.flash("plan.tabled").await?;
            Ok(
                Redirect::to(&format!("{}#tetapkan", plan_url(&village, stored.year)))
                    .into_response(),
            )
        }
        Err(StoreError::Invalid(errors)) => {
            let typed = Typed::meeting(form.meeting);
            refused(
                &store,
                ctx,
                village,
                stored.year,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                typed,
            )
            .await
        }
        Err(StoreError::OutOfTurn(reason)) => {
            let typed = Typed::meeting(form.meeting);
            step_refused(
                &store,
                ctx,
                (village, stored.year),
                "meeting",
                reason,
                typed,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The draft is taken back from a Musrenbangdes that has not agreed it, to be changed.
pub(super) async fn untable(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
) -> AppResult<Response> {
    let (village, stored, actor) = planning_step(&store, &ctx, &slug, &year).await?;
    match store.untable_plan(village.id, stored.id, actor.id).await {
        Ok(()) => {
            ctx.flash("plan.untabled").await?;
            Ok(
                Redirect::to(&format!("{}#tetapkan", plan_url(&village, stored.year)))
                    .into_response(),
            )
        }
        Err(StoreError::OutOfTurn(reason)) => {
            let typed = Typed::default();
            step_refused(
                &store,
                ctx,
                (village, stored.year),
                "meeting",
                reason,
                typed,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The Peraturan Desa that sets the plan its Musrenbangdes agreed.
pub(super) async fn perdes(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
    Form(form): Form<PerdesForm>,
) -> AppResult<Response> {
    let (village, stored, actor) = planning_step(&store, &ctx, &slug, &year).await?;
    let tz = Timezone::parse(&village.timezone).unwrap_or_default().tz();
    let agreed_on = match (stored.agreed_at, stored.agreed_in) {
        (Some(_), Some(m)) => store.meeting(village.id, m).await?.scheduled_at,
        _ => {
            let typed = Typed::perdes(form);
            return step_refused(
                &store,
                ctx,
                (village, stored.year),
                "date",
                "plan.error.not_agreed",
                typed,
            )
            .await;
        }
    };
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    let checked = form.validate(agreed_on.with_timezone(&tz).date_naive(), today);
    let perdes = match checked {
        Ok(p) => p,
        Err(errors) => {
            let typed = Typed::perdes(form);
            return refused(
                &store,
                ctx,
                village,
                stored.year,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                typed,
            )
            .await;
        }
    };
    match store
        .set_plan(village.id, &village.name, stored.id, &perdes, &actor)
        .await
    {
        Ok(()) => {
            set_in_plan(&store, &village, stored.year).await?;
            ctx.flash("plan.adopted").await?;
            Ok(Redirect::to(&plan_url(&village, stored.year)).into_response())
        }
        Err(StoreError::OutOfTurn(reason)) => {
            let typed = Typed::perdes(form);
            step_refused(&store, ctx, (village, stored.year), "date", reason, typed).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Opens the amendment (perubahan) of the plan in force: a new draft of the year that goes
/// through the same steps, the set plan staying beside it.
pub(super) async fn amend(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
    Form(form): Form<AmendForm>,
) -> AppResult<Response> {
    let (year, format) = year_of(&year)?;
    if format != Format::Html {
        return Err(AppError::NotFound);
    }
    let village = store.village_by_slug(&slug).await?;
    let actor = ctx.authorize(Action::AdoptPlan, Some(village.id))?.id;
    let (ground, reason) = match form.validate() {
        Ok(v) => v,
        Err(errors) => {
            let typed = Typed {
                amend: form,
                ..Typed::default()
            };
            return refused(
                &store,
                ctx,
                village,
                year,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                typed,
            )
            .await;
        }
    };
    match store
        .amend_plan(village.id, year, (ground, &reason), actor)
        .await
    {
        Ok(_) => {
            ctx.flash("plan.amendment_opened").await?;
            Ok(Redirect::to(&plan_url(&village, year)).into_response())
        }
        Err(StoreError::OutOfTurn(why)) => {
            let typed = Typed {
                amend: form,
                ..Typed::default()
            };
            step_refused(&store, ctx, (village, year), "ground", why, typed).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Under the village's automatic setting, each proposal the set plan funds climbs to
/// `empower` where all its evidence holds.
async fn set_in_plan(store: &Store, village: &Village, year: i64) -> AppResult<()> {
    if !village.auto_empower {
        return Ok(());
    }
    let set = store.plan(village.id, year).await?;
    for item in set
        .plan
        .items
        .iter()
        .filter(|i| i.placement == plan::Placement::Rkp)
    {
        let p = store.proposal_by_number(village.id, &item.number).await?;
        store.auto_climb(village, &p).await?;
    }
    Ok(())
}
