//! The feedback thread: residents' support, questions and concerns; officials'
//! answers; hiding an entry.

use axum::Form;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::page::{Typed, Visit};
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::feedback::{self, FeedbackForm, Kind as FeedbackKind};
use crate::domain::proposal::Status;
use crate::store::feedback::Added;
use crate::web::error::{AppError, AppResult};

pub(super) async fn add_feedback(
    visit: Visit,
    Form(form): Form<FeedbackForm>,
) -> AppResult<Response> {
    let Visit {
        store,
        ctx,
        village,
        p,
        ..
    } = &visit;
    let viewer = visit.actor(Action::Participate)?;
    if p.status == Status::Pending {
        return Err(AppError::Conflict);
    }
    let checked = form.validate().and_then(|(kind, body)| {
        if kind == FeedbackKind::Support && !feedback::may_support(p.proposer_user_id, viewer.id) {
            let mut errors = FieldErrors::new();
            errors.add("body", "error.own_support");
            return Err(errors);
        }
        Ok((kind, body))
    });
    let (kind, body) = match checked {
        Ok(v) => v,
        Err(errors) => {
            return visit
                .refused(Typed {
                    feedback: form,
                    errors,
                    ..Typed::default()
                })
                .await;
        }
    };
    let added = store
        .add_feedback(village.id, p.id, kind, &viewer.actor(), &body)
        .await?;
    ctx.flash(match added {
        Added::AlreadySupported => "feedback.already_supported",
        Added::Added if kind == FeedbackKind::Support => "feedback.supported",
        Added::Added => "feedback.thanks",
    });
    Ok(Redirect::to(&visit.href("#tanggapan")).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct AnswerForm {
    feedback: String,
    body: String,
}

pub(super) async fn answer(visit: Visit, Form(form): Form<AnswerForm>) -> AppResult<Response> {
    let Visit {
        store, village, p, ..
    } = &visit;
    let viewer = visit.actor(Action::ReviewProposals)?;
    let feedback = form
        .feedback
        .trim()
        .parse::<Uuid>()
        .map_err(|_| AppError::NotFound)?;
    let body = match feedback::check_text("answer", &form.body) {
        Ok(b) => b,
        Err(errors) => {
            return visit
                .refused(under_entry(feedback, form.body, errors))
                .await;
        }
    };
    store
        .answer_feedback(village.id, p.id, feedback, &viewer.actor(), &body)
        .await?;
    visit
        .done("feedback.answered", &format!("#t-{feedback}"))
        .await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct HideForm {
    reason: String,
}

pub(super) async fn hide(
    visit: Visit,
    Path((_, _, feedback)): Path<(String, String, String)>,
    Form(form): Form<HideForm>,
) -> AppResult<Response> {
    let Visit {
        store, village, p, ..
    } = &visit;
    let viewer = visit.actor(Action::ReviewProposals)?;
    let feedback = feedback.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    let reason = match feedback::check_text("reason", &form.reason) {
        Ok(r) => r,
        Err(errors) => {
            return visit
                .refused(under_entry(feedback, form.reason, errors))
                .await;
        }
    };
    store
        .hide_feedback(village.id, p.id, feedback, &viewer.actor(), &reason)
        .await?;
    visit
        .done("feedback.hidden", &format!("#t-{feedback}"))
        .await
}

/// What an official typed under one entry (an answer, or the reason to hide it), shown
/// again under that entry with what was wrong.
fn under_entry(entry: Uuid, text: String, errors: FieldErrors) -> Typed {
    Typed {
        feedback: FeedbackForm {
            kind: String::new(),
            body: text,
        },
        errors,
        for_entry: Some(entry),
        ..Typed::default()
    }
}
