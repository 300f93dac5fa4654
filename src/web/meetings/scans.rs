//! Scans of the signed paper record, kept beside the sealed one.

use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use super::page::{Section, Typed, Visit};
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::meeting::{self};
use crate::web::error::{AppError, AppResult};

/// A scan of the signed paper (`multipart/form-data`: `label`, `file`), after finalization.
pub(super) async fn add_scan(
    visit: Visit,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    let Visit {
        store,
        ctx,
        village,
        m,
    } = &visit;
    let viewer = ctx
        .authorize(Action::RecordMeetings, Some(village.id))?
        .clone();
    // Who may attach is settled before the body is looked at.
    let mut multipart = multipart.map_err(|_| AppError::BadRequest)?;
    if !m.is_finalized() {
        return Err(AppError::Conflict);
    }
    let mut label = String::new();
    let mut file = axum::body::Bytes::new();
    while let Some(field) = multipart.next_field().await? {
        match field.name() {
            Some("label") => label = String::from_utf8_lossy(&field.bytes().await?).into_owned(),
            Some("file") => file = field.bytes().await?,
            _ => {}
        }
    }
    let mut errors = FieldErrors::new();
    let label = meeting::ScanLabel::parse(&label);
    if label.is_none() {
        errors.add("label", "error.choose_from_list");
    }
    let cleaned = if file.is_empty() || meeting::is_pdf(&file) {
        meeting::check_pdf(&file).map(|()| ("application/pdf", file.to_vec()))
    } else {
        // Neither a PDF nor a photo: say so in the scan's words.
        crate::web::upload::clean_photo(file)
            .await?
            .map_err(|m| match m {
                "error.photo_type" => "error.scan_type",
                other => other,
            })
    };
    let (content_type, bytes) = match (cleaned, label) {
        (Ok(c), Some(_)) => c,
        (cleaned, _) => {
            if let Err(message) = cleaned {
                errors.add("file", message);
            }
            return visit.invalid(Typed::on(Section::Scan, errors)).await;
        }
    };
    let label = label.unwrap_or(meeting::ScanLabel::BeritaAcara);
    store
        .add_scan(m, label, content_type, &bytes, &viewer.actor())
        .await?;
    visit.done("meeting.scan_added", "pindaian").await
}

/// A scan as it was sealed; one whose bytes no longer match its seal is not served (409).
pub(super) async fn scan_file(
    visit: Visit,
    Path((_, _, scan)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let Visit { store, m, .. } = &visit;
    let scan = scan.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    let (content_type, bytes, intact) = store.scan_file(m.id, scan).await?;
    if !intact {
        return Err(AppError::Conflict);
    }
    let disposition = if content_type == "application/pdf" {
        format!("attachment; filename=\"pindaian-{scan}.pdf\"")
    } else {
        "inline".to_string()
    };
    let headers = [
        (axum::http::header::CONTENT_TYPE, content_type),
        (axum::http::header::CONTENT_DISPOSITION, disposition),
        (
            axum::http::header::CACHE_CONTROL,
            "public, max-age=31536000, immutable".to_string(),
        ),
    ];
    Ok((headers, bytes).into_response())
}
