//! Errors a handler can return, and how each is answered.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// Not logged in: go to the login page, then come back to `next`.
    #[error("login required")]
    LoginRequired { next: String },
    #[error("conflict")]
    Conflict,
    /// A rate limit is reached; come back in `retry_after` seconds (sent as `Retry-After`).
    #[error("too many requests")]
    TooManyRequests { retry_after: u64 },
    #[error("bad request")]
    BadRequest,
    /// A body over its route's limit.
    #[error("payload too large")]
    TooLarge,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Marks a response whose body the error-page layer should draw in the reader's language.
#[derive(Debug, Clone, Copy)]
pub struct NeedsErrorPage;

/// A rate limit's answer as a handler's: a refused attempt is a 429 that says when to
/// come back.
pub fn limited(t: crate::store::throttle::Throttle) -> AppResult<()> {
    match t {
        crate::store::throttle::Throttle::Allowed => Ok(()),
        crate::store::throttle::Throttle::Refused { retry_after } => {
            Err(AppError::TooManyRequests { retry_after })
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Stale
            | StoreError::Duplicate(_)
            | StoreError::Finalized
            | StoreError::OutOfTurn(_)
            | StoreError::Repeated => AppError::Conflict,
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<axum::extract::multipart::MultipartError> for AppError {
    /// An upload cut off by its size limit is 413; any other broken upload is 400.
    fn from(e: axum::extract::multipart::MultipartError) -> Self {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        while let Some(c) = cause {
            if c.is::<http_body_util::LengthLimitError>() {
                return AppError::TooLarge;
            }
            cause = c.source();
        }
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge
        } else {
            AppError::BadRequest
        }
    }
}

impl From<tower_sessions::session::Error> for AppError {
    fn from(e: tower_sessions::session::Error) -> Self {
        AppError::Internal(anyhow::anyhow!("session: {e}"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match self {
            AppError::LoginRequired { next } => {
                return Redirect::to(&crate::web::paths::login_then(&next)).into_response();
            }
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Conflict => StatusCode::CONFLICT,
            AppError::TooManyRequests { retry_after } => {
                let mut r = (
                    StatusCode::TOO_MANY_REQUESTS,
                    [
                        (
                            header::CONTENT_TYPE,
                            "text/plain; charset=utf-8".to_string(),
                        ),
                        (header::RETRY_AFTER, retry_after.max(1).to_string()),
                    ],
                    "",
                )
                    .into_response();
                r.extensions_mut().insert(NeedsErrorPage);
                return r;
            }
            AppError::BadRequest => StatusCode::BAD_REQUEST,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Internal(e) => {
                // Only server faults are logged; client mistakes are answered, not logged.
                tracing::error!(error = %format!("{e:#}"), "internal error");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let mut response = (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "",
        )
            .into_response();
        response.extensions_mut().insert(NeedsErrorPage);
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// 400 for a query value the open data does not know, naming the field and what it takes,
/// rather than an answer that silently ignores it.
pub fn bad_filter(field: &str, value: &str, allowed: &[&str]) -> Response {
    let body = serde_json::json!({
        "error": "unknown_filter_value", "status": 400, "field": field, "value": value,
        "allowed": allowed,
    });
    (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
}
