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
    let Visit {
        store, village, p, ..
    } = &visit;
    let viewer = visit.actor(Action::RecordMeetings)?;
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
    let (progress, note) = match checked {
        Ok(v) if errors.is_empty() => v,
        _ => {
            return visit
                .refused(Typed {
                    errors,
                    progress: form,
                    ..Typed::default()
                })
                .await;
        }
    };
    store
        .add_progress(village.id, p.id, &viewer.actor(), progress, &note, &photos)
        .await?;
    visit.done("progress.saved", "#kemajuan").await
}

pub(super) async fn photo(
    visit: Visit,
    Path((_, _, photo)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let Visit { store, p, .. } = &visit;
    let photo = photo.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    let (content_type, bytes) = store.photo(p.id, photo).await?;
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
