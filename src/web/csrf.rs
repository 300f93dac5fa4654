//! CSRF protection: a secret token kept in the session, echoed by every form as
//! `csrf_token`, and checked for every POST before any handler runs.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use subtle::ConstantTimeEq;
use tower_sessions::Session;

use super::error::NeedsErrorPage;

const KEY: &str = "csrf";
pub const FIELD: &str = "csrf_token";

/// Largest form body read here.
pub const MAX_FORM_BYTES: usize = 64 * 1024;
/// Largest upload (a photo of up to 5 MB and its form fields).
pub const MAX_UPLOAD_BYTES: usize = 6 * 1024 * 1024;

/// The session's token, created on first use.
pub async fn token(session: &Session) -> Result<String, tower_sessions::session::Error> {
    if let Some(t) = session.get::<String>(KEY).await? {
        return Ok(t);
    }
    let t = fresh();
    session.insert(KEY, &t).await?;
    Ok(t)
}

/// Replaces the token (at login and logout), so a token seen before does not outlive them.
pub async fn rotate(session: &Session) -> Result<String, tower_sessions::session::Error> {
    let t = fresh();
    session.insert(KEY, &t).await?;
    Ok(t)
}

fn fresh() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// Refuses any POST whose form does not carry the session's token: 403, nothing runs.
pub async fn guard(session: Session, request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    let is_upload = content_type.starts_with("multipart/form-data");
    let limit = if is_upload {
        MAX_UPLOAD_BYTES
    } else {
        MAX_FORM_BYTES
    };
    let bytes = match to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => return error(StatusCode::PAYLOAD_TOO_LARGE),
    };
    let sent = if is_form {
        form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == FIELD)
            .map(|(_, v)| v.into_owned())
    } else if is_upload {
        // An upload form carries its token in the action URL: reading the multipart body
        // here would mean parsing every upload twice.
        parts.uri.query().and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == FIELD)
                .map(|(_, v)| v.into_owned())
        })
    } else {
        None
    };
    let expected = session.get::<String>(KEY).await.ok().flatten();
    let valid =
        matches!((&sent, &expected), (Some(s), Some(e)) if s.as_bytes().ct_eq(e.as_bytes()).into());
    if !valid {
        return error(StatusCode::FORBIDDEN);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn error(status: StatusCode) -> Response {
    let mut r = status.into_response();
    r.extensions_mut().insert(NeedsErrorPage);
    r
}
