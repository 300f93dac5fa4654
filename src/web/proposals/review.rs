//! Officials' review: moving a proposal's status, and merging it into another.

use crate::web::paths;
use axum::Form;
use axum::response::{IntoResponse, Redirect, Response};

use super::page::{MergeForm, StatusForm, Typed, Visit};
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::proposal::{self, Mover, Status};
use crate::store::StoreError;
use crate::web::error::{AppError, AppResult};

/// A status change by hand: moderation of anonymous submissions, and an official's review.
pub(super) async fn change_status(
    visit: Visit,
    Form(form): Form<StatusForm>,
) -> AppResult<Response> {
    let Visit {
        store,
        ctx,
        village,
        p,
        ..
    } = &visit;
    let viewer = visit.actor(Action::RecordMeetings)?;
    let from = p.status;
    let mut errors = FieldErrors::new();
    let rule = Status::parse(&form.status)
        .and_then(|to| proposal::manual_transition(from, to).map(|r| (to, r)));
    match rule {
        None => errors.add("status", "error.transition"),
        Some((_, (Mover::Official, _))) => {
            ctx.authorize(Action::ReviewProposals, Some(village.id))?;
        }
        Some(_) => {}
    }
    let note = form.note.trim().to_string();
    if let Some((_, (_, true))) = rule
        && note.chars().count() < 2
    {
        errors.add("note", "error.reason_required");
    }
    if note.chars().count() > 2000 {
        errors.add("note", "error.too_long");
    }
    let version = form
        .version
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    let Some((to, _)) = rule.filter(|_| errors.is_empty()) else {
        let typed = Typed {
            errors,
            status: form,
            ..Typed::default()
        };
        return visit.refused(typed).await;
    };
    let note = Some(note.as_str()).filter(|n| !n.is_empty());
    match store
        .change_status(village.id, p.id, version, (from, to), note, &viewer.actor())
        .await
    {
        Ok(()) => visit.done("proposal.status_changed", "").await,
        Err(StoreError::Stale) => visit.stale(Typed::error("status", "error.stale")).await,
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn merge(visit: Visit, Form(form): Form<MergeForm>) -> AppResult<Response> {
    let Visit {
        store,
        ctx,
        village,
        p,
        ..
    } = &visit;
    let viewer = visit.actor(Action::ReviewProposals)?;
    let version = form
        .version
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    let mut errors = FieldErrors::new();
    let target = match store.proposal_by_number(village.id, form.into.trim()).await {
        Ok(t) if t.id != p.id => Some(t),
        Ok(_) | Err(StoreError::NotFound) => {
            errors.add("into", "error.merge_target");
            None
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(t) = &target {
        let ok = proposal::may_merge(p.status, t.status);
        if !ok {
            errors.add("into", "error.merge_status");
        }
    }
    let note: String = form.note.trim().chars().take(2000).collect();
    let Some(target) = target.filter(|_| errors.is_empty()) else {
        return visit
            .refused(Typed {
                errors,
                merge: form,
                ..Typed::default()
            })
            .await;
    };
    let note = Some(note.as_str()).filter(|n| !n.is_empty());
    match store
        .merge_proposal(village.id, p, version, &target, note, &viewer.actor())
        .await
    {
        Ok(()) => {
            ctx.flash("proposal.merged");
            Ok(Redirect::to(&paths::proposal(&village.slug, &target.number)).into_response())
        }
        Err(StoreError::Stale) => visit.stale(Typed::error("status", "error.stale")).await,
        Err(e) => Err(e.into()),
    }
}
