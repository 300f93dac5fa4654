//! The feedback thread: residents' support, questions and concerns; officials'
//! answers; hiding an entry.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::page::{Typed, load, page};
use crate::domain::access::Action;
use crate::domain::feedback::{self, FeedbackForm, Kind as FeedbackKind};
use crate::domain::proposal::Status;
use crate::store::Store;
use crate::store::feedback::Added;
use crate::web::error::{AppError, AppResult};
use crate::web::page::Ctx;

pub(super) async fn add_feedback(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, String)>,
    Form(form): Form<FeedbackForm>,
) -> AppResult<Response> {
    let (village, p) = load(&store, &ctx, &slug, &number).await?;
    let viewer = ctx
        .authorize(Action::Participate, Some(village.id))?
        .clone();
    if p.status == Status::Pending.code() {
        return Err(AppError::Conflict);
    }
    let (kind, body) = match form.validate() {
        Ok(v) => v,
        Err(errors) => {
            let page = page(
                &store,
                ctx,
                village,
                p,
                Typed {
                    feedback: form,
                    errors,
                    ..Typed::default()
                },
            )
            .await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let added = store
        .add_feedback(village.id, p.id, kind, viewer.id, &viewer.name, &body)
        .await?;
    ctx.flash(match added {
        Added::AlreadySupported => "feedback.already_supported",
        Added::Added if kind == FeedbackKind::Support => "feedback.supported",
        Added::Added => "feedback.thanks",
    })
    .await?;
    Ok(Redirect::to(&format!("/desa/{slug}/usulan/{number}#tanggapan")).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct AnswerForm {
    feedback: String,
    body: String,
}

pub(super) async fn answer(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, String)>,
    Form(form): Form<AnswerForm>,
) -> AppResult<Response> {
    let (village, p) = load(&store, &ctx, &slug, &number).await?;
    let viewer = ctx
        .authorize(Action::ReviewProposals, Some(village.id))?
        .clone();
    let feedback = form
        .feedback
        .trim()
        .parse::<Uuid>()
        .map_err(|_| AppError::NotFound)?;
    let body = match feedback::check_text("answer", &form.body) {
        Ok(b) => b,
        Err(errors) => {
            let typed = FeedbackForm {
                kind: String::new(),
                body: form.body,
            };
            let typed = Typed {
                feedback: typed,
                errors,
                for_entry: Some(feedback),
                ..Typed::default()
            };
            let page = page(&store, ctx, village, p, typed).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    store
        .answer_feedback(village.id, p.id, feedback, viewer.id, &viewer.name, &body)
        .await?;
    ctx.flash("feedback.answered").await?;
    Ok(Redirect::to(&format!("/desa/{slug}/usulan/{number}#t-{feedback}")).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct HideForm {
    reason: String,
}

pub(super) async fn hide(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, number, feedback)): Path<(String, String, String)>,
    Form(form): Form<HideForm>,
) -> AppResult<Response> {
    let (village, p) = load(&store, &ctx, &slug, &number).await?;
    let viewer = ctx
        .authorize(Action::ReviewProposals, Some(village.id))?
        .clone();
    let feedback = feedback.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    let reason = match feedback::check_text("reason", &form.reason) {
        Ok(r) => r,
        Err(errors) => {
            let typed = FeedbackForm {
                kind: String::new(),
                body: form.reason,
            };
            let typed = Typed {
                feedback: typed,
                errors,
                for_entry: Some(feedback),
                ..Typed::default()
            };
            let page = page(&store, ctx, village, p, typed).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    store
        .hide_feedback(village.id, p.id, feedback, viewer.id, &viewer.name, &reason)
        .await?;
    ctx.flash("feedback.hidden").await?;
    Ok(Redirect::to(&format!("/desa/{slug}/usulan/{number}#t-{feedback}")).into_response())
}
