//! Scans of the signed paper record, kept beside the sealed one.

use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use super::page::{Section, Typed, Visit};
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::meeting::{self};
use crate::web::error::{AppError, AppResult};

/// A scan of the signed paper (`multipart/form-data`: `label`, `file`): sealed at once on
/// a finalized meeting; before that (the sheet signed in the hall) kept for the
/// finalization to seal.
pub(super) async fn add_scan(
    visit: Visit,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    // Who may attach is settled before the body is looked at.
    let viewer = if visit.m.is_finalized() {
        visit.actor(Action::RecordMeetings)?
    } else {
        visit.recorder()?
    };
    let Visit { store, m, .. } = &visit;
    let mut multipart = multipart.map_err(|_| AppError::BadRequest)?;
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
    let notice = if m.is_finalized() {
        "meeting.scan_added"
    } else {
        "meeting.scan_waiting"
    };
    visit.done(notice, "pindaian").await
}

/// Removes a photo attached before finalization (the wrong sheet, a blurred one).
pub(super) async fn remove_scan(
    visit: Visit,
    Path((_, _, scan)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let viewer = visit.recorder()?;
    let scan = scan.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    visit
        .store
        .remove_scan(&visit.m, scan, &viewer.actor())
        .await?;
    visit.done("meeting.scan_removed", "pindaian").await
}

/// A scan as it was sealed; one whose bytes no longer match its seal is not served (409).
/// Before finalization a scan is part of an unfinished record: only those who record the
/// meeting see it, and no cache keeps it.
pub(super) async fn scan_file(
    visit: Visit,
    Path((_, _, scan)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let sealed = visit.m.is_finalized();
    if !sealed {
        visit.actor(Action::RecordMeetings)?;
    }
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
            if sealed {
                "public, max-age=31536000, immutable"
            } else {
                "private, no-store"
            }
            .to_string(),
        ),
    ];
    Ok((headers, bytes).into_response())
}
