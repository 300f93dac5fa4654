//! Implementation: progress reports with photos, and residents' evaluation.

use axum::Form;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use super::page::{Typed, Visit};
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::implementation::{self, ProgressForm, RatingForm};
use crate::web::error::{AppError, AppResult};
use crate::web::upload::clean_photo;

/// A progress report, with up to three photos, sent as `multipart/form-data`.
pub(super) async fn report_progress(
    visit: Visit,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    let viewer = visit.actor(Action::RecordMeetings)?;
    progress(visit, viewer, multipart, false).await
}

/// A resident's observation of the work (seed 002, monitoring together): the same form,
/// with at least one photo; it waits for the staff to publish it.
pub(super) async fn observe(
    visit: Visit,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    let viewer = visit.actor(Action::Participate)?;
    progress(visit, viewer, multipart, true).await
}

async fn progress(
    visit: Visit,
    viewer: crate::web::page::Viewer,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
    by_resident: bool,
) -> AppResult<Response> {
    let Visit {
        store, village, p, ..
    } = &visit;
    // Who may report is settled before the body is looked at.
    let mut multipart = multipart.map_err(|_| AppError::BadRequest)?;
    if !implementation::may_report_progress(p.status) {
        return Err(AppError::Conflict);
    }
    let mut form = ProgressForm::default();
    let mut photos: Vec<(&'static str, Vec<u8>)> = Vec::new();
    let mut errors = FieldErrors::new();
    while let Some(field) = multipart.next_field().await? {
        let name = field.name().unwrap_or_default().to_string();
        let bytes = field.bytes().await?;
        match name.as_str() {
            "progress" | "note" if bytes.contains(&0) => return Err(AppError::BadRequest),
            "progress" => form.progress = String::from_utf8_lossy(&bytes).into_owned(),
            "note" => form.note = String::from_utf8_lossy(&bytes).into_owned(),
            "photo" if bytes.is_empty() => {}
            "photo" if photos.len() < 3 => match clean_photo(bytes).await? {
                Ok(photo) => photos.push(photo),
                Err(message) => errors.add("photo", message),
            },
            _ => {}
        }
    }
    let checked = form.validate();
    if let Err(e) = &checked {
        for (field, message) in e.iter() {
            errors.add(field, message);
        }
    }
    if by_resident && photos.is_empty() && errors.get("photo").is_none() {
        errors.add("photo", "error.observation_photo");
    }
    let (progress, note) = match checked {
        Ok(v) if errors.is_empty() => v,
        _ => {
            return visit
                .refused(Typed {
                    errors,
                    progress: form,
                    observing: by_resident,
                    ..Typed::default()
                })
                .await;
        }
    };
    store
        .add_progress(
            village.id,
            p.id,
            &viewer.actor(),
            progress,
            &note,
            &photos,
            by_resident,
        )
        .await?;
    let notice = if by_resident {
        "progress.observation_saved"
    } else {
        "progress.saved"
    };
    visit.done(notice, "#kemajuan").await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct ModerationForm {
    decision: String,
    reason: String,
}

/// The staff publish a resident's observation (`decision` = `publish`) or hide it with a
/// reason (`hide`, `reason`).
pub(super) async fn moderate(
    visit: Visit,
    Path((_, _, update)): Path<(String, String, String)>,
    Form(form): Form<ModerationForm>,
) -> AppResult<Response> {
    let Visit {
        store, village, p, ..
    } = &visit;
    let viewer = visit.actor(Action::RecordMeetings)?;
    let update = update.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    if !store
        .progress_updates(p.id)
        .await?
        .iter()
        .any(|u| u.id == update && u.by_resident)
    {
        return Err(AppError::NotFound);
    }
    let reason = match implementation::moderation(&form.decision, &form.reason) {
        Ok(reason) => reason,
        Err(errors) => {
            return visit
                .refused(Typed {
                    errors,
                    for_entry: Some(update),
                    observing: true,
                    ..Typed::default()
                })
                .await;
        }
    };
    match store
        .moderate_observation(village.id, p.id, update, reason.as_deref(), &viewer.actor())
        .await
    {
        Ok(()) => {
            visit
                .done("progress.observation_moderated", "#kemajuan")
                .await
        }
        Err(crate::store::StoreError::Stale) => Err(AppError::Conflict),
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn photo(
    visit: Visit,
    Path((_, _, photo)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let Visit {
        store, village, p, ..
    } = &visit;
    let photo = photo.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    let staff = visit.ctx.may(Action::RecordMeetings, Some(village.id));
    let (content_type, bytes) = store.photo(p.id, photo, staff).await?;
    let headers = [
        (axum::http::header::CONTENT_TYPE, content_type),
        (
            axum::http::header::CACHE_CONTROL,
            "public, max-age=31536000, immutable".to_string(),
        ),
    ];
    Ok((headers, bytes).into_response())
}

pub(super) async fn evaluate(visit: Visit, Form(form): Form<RatingForm>) -> AppResult<Response> {
    let Visit {
        store, village, p, ..
    } = &visit;
    let viewer = visit.actor(Action::Participate)?;
    if !implementation::may_evaluate(p.status) {
        return Err(AppError::Conflict);
    }
    let (rating, reflection) = match form.validate() {
        Ok(v) => v,
        Err(errors) => {
            return visit
                .refused(Typed {
                    errors,
                    rating: form,
                    ..Typed::default()
                })
                .await;
        }
    };
    store
        .rate(village.id, p.id, &viewer.actor(), rating, &reflection)
        .await?;
    visit.done("evaluation.saved", "#evaluasi").await
}
