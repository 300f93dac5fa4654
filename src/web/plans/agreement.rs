//! Agreeing and setting the plan: tabling it at the Musrenbangdes, setting it by
//! Peraturan Desa, and amending a set plan.

use axum::Form;
use axum::extract::{FromRef, FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
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
use crate::web::AppState;
use crate::web::error::{AppError, AppResult};
use crate::web::page::Ctx;

#[derive(serde::Deserialize)]
pub(super) struct TableForm {
    #[serde(default)]
    meeting: String,
}

/// A step of the plan's agreement, taken by an official: the village, its plan for the
/// year (not yet set: 409 once it is), and who takes the step. Loaded and authorized
/// (`AdoptPlan`) in one place; the step answers 422, 409 or back to the plan through it.
pub(super) struct Step {
    store: Store,
    ctx: Ctx,
    village: Village,
    plan: StoredPlan,
    actor: Actor,
}

impl<S> FromRequestParts<S> for Step
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Path((slug, year)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        let ctx = Ctx::from_request_parts(parts, state).await?;
        let store = AppState::from_ref(state).store.clone();
        let (year, format) = year_of(&year)?;
        if format != Format::Html {
            return Err(AppError::NotFound);
        }
        let village = store.village_by_slug(&slug).await?;
        let actor = ctx.authorize(Action::AdoptPlan, Some(village.id))?.actor();
        let plan = store.plan(village.id, year).await?;
        if plan.is_adopted() {
            return Err(AppError::Conflict);
        }
        Ok(Step {
            store,
            ctx,
            village,
            plan,
            actor,
        })
    }
}

impl Step {
    /// Done: the notice for the next page, and back to the plan at `anchor`.
    async fn done(self, notice: &'static str, anchor: &str) -> AppResult<Response> {
        self.ctx.flash(notice);
        let to = plan_url(&self.village, self.plan.year) + anchor;
        Ok(Redirect::to(&to).into_response())
    }

    /// The plan's page again with what was typed and what was wrong (422).
    async fn invalid(self, errors: FieldErrors, typed: Typed) -> AppResult<Response> {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        refused(
            &self.store,
            self.ctx,
            self.village,
            self.plan.year,
            status,
            errors,
            typed,
        )
        .await
    }

    /// A step out of turn: 409 with the reason beside `field`.
    async fn out_of_turn(
        self,
        field: &'static str,
        reason: &'static str,
        typed: Typed,
    ) -> AppResult<Response> {
        let at = (self.village, self.plan.year);
        step_refused(&self.store, self.ctx, at, field, reason, typed).await
    }
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
pub(super) async fn table(step: Step, Form(form): Form<TableForm>) -> AppResult<Response> {
    let meeting = form.meeting.trim().parse::<Uuid>().ok();
    let tabled = step
        .store
        .table_plan(step.village.id, step.plan.id, meeting, step.actor.id)
        .await;
    match tabled {
        Ok(()) => step.done("plan.tabled", "#tetapkan").await,
        Err(StoreError::Invalid(errors)) => {
            step.invalid(errors, Typed::meeting(form.meeting)).await
        }
        Err(StoreError::OutOfTurn(reason)) => {
            let typed = Typed::meeting(form.meeting);
            step.out_of_turn("meeting", reason, typed).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The draft is taken back from a Musrenbangdes that has not agreed it, to be changed.
pub(super) async fn untable(step: Step) -> AppResult<Response> {
    let untabled = step
        .store
        .untable_plan(step.village.id, step.plan.id, step.actor.id)
        .await;
    match untabled {
        Ok(()) => step.done("plan.untabled", "#tetapkan").await,
        Err(StoreError::OutOfTurn(reason)) => {
            step.out_of_turn("meeting", reason, Typed::default()).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The Peraturan Desa that sets the plan its Musrenbangdes agreed.
pub(super) async fn perdes(step: Step, Form(form): Form<PerdesForm>) -> AppResult<Response> {
    let Step {
        store,
        village,
        plan: stored,
        ..
    } = &step;
    let tz = Timezone::parse(&village.timezone).unwrap_or_default().tz();
    let agreed_on = match (stored.agreed_at, stored.agreed_in) {
        (Some(_), Some(m)) => store.meeting(village.id, m).await?.scheduled_at,
        _ => {
            let typed = Typed::perdes(form);
            return step
                .out_of_turn("date", "plan.error.not_agreed", typed)
                .await;
        }
    };
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    let perdes = match form.validate(agreed_on.with_timezone(&tz).date_naive(), today) {
        Ok(p) => p,
        Err(errors) => return step.invalid(errors, Typed::perdes(form)).await,
    };
    let set = store
        .set_plan(village.id, &village.name, stored.id, &perdes, &step.actor)
        .await;
    match set {
        Ok(()) => {
            set_in_plan(store, village, stored.year).await?;
            step.done("plan.adopted", "").await
        }
        Err(StoreError::OutOfTurn(reason)) => {
            step.out_of_turn("date", reason, Typed::perdes(form)).await
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
            ctx.flash("plan.amendment_opened");
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
