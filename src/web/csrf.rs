//! CSRF protection: a secret token kept in the session, echoed by every form as
//! `csrf_token`, and checked for every POST before any handler runs. Beside it, every
//! form carries a one-time submission key (`kunci_kirim`): a second POST with the same
//! key is sent where the first one was, instead of doing the work twice.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use subtle::ConstantTimeEq;
use tower_sessions::Session;

use super::error::NeedsErrorPage;
use crate::store::Store;
use crate::store::submissions::{self, Claim};

/// Where the session keeps its token.
pub const SESSION_KEY: &str = "csrf";
const KEY: &str = SESSION_KEY;
pub const FIELD: &str = "csrf_token";
/// The form field (or, for uploads, the query parameter) holding the one-time key.
pub const ONCE_FIELD: &str = "kunci_kirim";
/// How long a repeated POST waits for the first one to be answered.
const ONCE_WAIT: std::time::Duration = std::time::Duration::from_secs(20);

/// Largest form body read here.
pub const MAX_FORM_BYTES: usize = 64 * 1024;
/// Largest upload (a photo of up to 5 MB and its form fields).
pub const MAX_UPLOAD_BYTES: usize = 6 * 1024 * 1024;

/// The cookie that carries an anonymous visitor's form token.
///
/// Why not the session: a visitor who only opens a form has nothing to keep, and a
/// session row per visit let anyone fill the table (100 cookieless `GET /masuk` made 100
/// rows). Until there is something to keep (a login, an anonymous answer), the
/// token travels in this cookie and the form echoes it (the double-submit pattern); once
/// the session holds a token, that one counts.
pub const FORM_COOKIE: &str = "musdes_form";

/// An anonymous visitor's form token for one request: the one their cookie carried, or a
/// fresh one the response will set.
#[derive(Clone, Default)]
pub struct FormToken(std::sync::Arc<std::sync::Mutex<(Option<String>, bool)>>);

impl FormToken {
    /// The visitor's token, made (and marked for the cookie) on first use.
    pub fn get(&self) -> String {
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = &slot.0 {
            return t.clone();
        }
        let t = fresh();
        *slot = (Some(t.clone()), true);
        t
    }
}

/// The form token a request's cookie carries, if it looks like one of ours.
fn form_cookie(headers: &axum::http::HeaderMap) -> Option<String> {
    super::cookies::values(headers, FORM_COOKIE)
        .find(|v| {
            v.len() == 43
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_string)
}

/// Gives each request its [`FormToken`], and sets the cookie when a page made a new one.
pub async fn form_token(State(secure): State<bool>, mut request: Request, next: Next) -> Response {
    let slot = FormToken::default();
    if let Some(t) = form_cookie(request.headers()) {
        *slot.0.lock().unwrap_or_else(|e| e.into_inner()) = (Some(t), false);
    }
    request.extensions_mut().insert(slot.clone());
    let mut response = next.run(request).await;
    let made = slot.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
    if let (Some(t), true) = made {
        let cookie = format!(
            "{FORM_COOKIE}={t}; Path=/; Max-Age=43200; HttpOnly; SameSite=Lax{}",
            if secure { "; Secure" } else { "" }
        );
        if let Ok(v) = axum::http::HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

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

/// A new one-time submission key for one form.
pub fn once_key() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 16]>())
}

fn fresh() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// The routes that take uploads (`multipart/form-data`), as the router writes them. Every
/// other route refuses a multipart body before reading a byte of it.
pub const UPLOAD_ROUTES: &[&str] = &[
    super::paths::PROPOSAL_PROGRESS,
    super::paths::PROPOSAL_OBSERVATION,
    super::paths::MEETING_SCANS,
];

/// Uploads read at the same time, across the server; the next waits for a free turn
/// (up to [`UPLOAD_WAIT`]), then gets 503. Bounds what bodies in flight can hold.
const UPLOADS_AT_ONCE: usize = 4;
const UPLOAD_WAIT: std::time::Duration = std::time::Duration::from_secs(10);
static UPLOADS: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(UPLOADS_AT_ONCE));

/// Refuses any POST whose form does not carry the session's token: 403, nothing runs.
/// A POST carrying a one-time key already used in this session is sent where the first
/// one was sent (303), without running the handler again.
///
/// An upload carries its token and key in the action URL, so it is checked before its
/// body is read: a stranger cannot make the server hold megabytes. Multipart is taken only
/// on [`UPLOAD_ROUTES`], and only [`UPLOADS_AT_ONCE`] bodies at a time.
pub async fn guard(
    State(store): State<Store>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    let is_upload = content_type.starts_with("multipart/");
    let query = |name: &str| {
        parts.uri.query().and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        })
    };
    // The session's token when it holds one; else the anonymous visitor's form cookie.
    let expected = match session.get::<String>(KEY).await.ok().flatten() {
        Some(t) => Some(t),
        None => form_cookie(&parts.headers),
    };
    let matches = |sent: &Option<String>| match (sent, &expected) {
        (Some(s), Some(e)) => bool::from(s.as_bytes().ct_eq(e.as_bytes())),
        _ => false,
    };
    if is_upload {
        let route = parts
            .extensions
            .get::<axum::extract::MatchedPath>()
            .map(|p| p.as_str());
        if !route.is_some_and(|r| UPLOAD_ROUTES.contains(&r)) {
            return error(StatusCode::UNSUPPORTED_MEDIA_TYPE);
        }
        if !matches(&query(FIELD)) {
            return error(StatusCode::FORBIDDEN);
        }
        let declared = parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > MAX_UPLOAD_BYTES) {
            return error(StatusCode::PAYLOAD_TOO_LARGE);
        }
        let Ok(Ok(permit)) = tokio::time::timeout(UPLOAD_WAIT, UPLOADS.acquire()).await else {
            let mut r = error(StatusCode::SERVICE_UNAVAILABLE);
            r.headers_mut().insert(
                header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("10"),
            );
            return r;
        };
        let token = expected.unwrap_or_default();
        let key = query(ONCE_FIELD).filter(|k| !k.is_empty() && k.len() <= 64);
        let body = Body::new(http_body_util::Limited::new(body, MAX_UPLOAD_BYTES));
        let request = Request::from_parts(parts, body);
        let response = match key {
            Some(key) => once(&store, &digest(&token, &key), request, next).await,
            None => next.run(request).await,
        };
        drop(permit);
        return response;
    }
    let bytes = match to_bytes(body, MAX_FORM_BYTES).await {
        Ok(b) => b,
        Err(_) => return error(StatusCode::PAYLOAD_TOO_LARGE),
    };
    let field = |name: &str| {
        is_form
            .then(|| {
                form_urlencoded::parse(&bytes)
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.into_owned())
            })
            .flatten()
    };
    // No form a person fills in sends a NUL character, and no database keeps one in text.
    if is_form && form_urlencoded::parse(&bytes).any(|(k, v)| k.contains('\0') || v.contains('\0'))
    {
        return error(StatusCode::BAD_REQUEST);
    }
    let sent = field(FIELD);
    if !matches(&sent) {
        return error(StatusCode::FORBIDDEN);
    }
    let token = expected.unwrap_or_default();
    let key = field(ONCE_FIELD).filter(|k| !k.is_empty() && k.len() <= 64);
    let request = Request::from_parts(parts, Body::from(bytes));
    let Some(key) = key else {
        return next.run(request).await;
    };
    once(&store, &digest(&token, &key), request, next).await
}

/// The key as stored: bound to the session's token, so it means nothing elsewhere.
fn digest(token: &str, key: &str) -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::new()
        .chain_update(token.as_bytes())
        .chain_update(b":")
        .chain_update(key.as_bytes())
        .finalize();
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Runs the request at most once per key: the first request's first change claims the
/// key in its own transaction (see [`crate::store::submissions`]) and, when answered with a
/// redirect, leaves its location; a repeat gets the same 303.
///
/// On one server, a repeat waits while the first is at work (so even a form whose work
/// is not a change, such as a login, runs once). Across servers, a repeat runs up to its
/// change, finds the key taken there, writes nothing, and is sent where the first was.
async fn once(store: &Store, digest: &str, request: Request, next: Next) -> Response {
    let deadline = tokio::time::Instant::now() + ONCE_WAIT;
    let Some(_running) = InFlight::enter(digest, deadline).await else {
        return error(StatusCode::CONFLICT);
    };
    match store.submission_seen(digest).await {
        Ok(None) => {}
        Ok(Some(_)) => return repeat(store, digest, deadline).await,
        Err(e) => {
            tracing::error!(error = %e, "submission key");
            return error(StatusCode::SERVICE_UNAVAILABLE);
        }
    }
    let (response, claimed) = submissions::with_key(digest, next.run(request)).await;
    let location = (response.status() == StatusCode::SEE_OTHER)
        .then(|| response.headers().get(header::LOCATION))
        .flatten()
        .and_then(|v| v.to_str().ok());
    let kept = match (claimed, location) {
        (true, Some(l)) => store.complete_submission(digest, l).await,
        (true, None) => store.release_submission(digest).await,
        (false, Some(l)) => store.remember_submission(digest, l).await,
        // Refused; or a change found the key taken by a request on another server (or
        // this request's checks saw that one's work): that request's answer is this one's.
        (false, None) => match store.submission_state(digest).await {
            Ok(Some(_)) => return repeat(store, digest, deadline).await,
            Ok(None) => Ok(()),
            Err(e) => Err(e),
        },
    };
    if let Err(e) = kept {
        // The work is done and answered; only a repeat of it would go unrecognised.
        tracing::error!(error = %e, "submission key not kept");
    }
    response
}

/// The answer to a repeat: a 303 where the first request with the key was sent, once
/// that is known (up to the deadline, then 409).
async fn repeat(store: &Store, digest: &str, deadline: tokio::time::Instant) -> Response {
    loop {
        match store.submission_state(digest).await {
            Ok(Some(Claim::Done(location))) => return see_other(&location),
            // Let go meanwhile (the first was refused): sent again, the form runs anew.
            Ok(None) => return error(StatusCode::CONFLICT),
            Ok(Some(Claim::Pending)) if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            Ok(Some(Claim::Pending)) => return error(StatusCode::CONFLICT),
            Err(e) => {
                tracing::error!(error = %e, "submission key");
                return error(StatusCode::SERVICE_UNAVAILABLE);
            }
        }
    }
}

/// The keys at work on this server: a repeat waits for the first to be answered.
static IN_FLIGHT: std::sync::LazyLock<std::sync::Mutex<std::collections::HashSet<String>>> =
    std::sync::LazyLock::new(Default::default);

/// A key at work on this server, let go when dropped.
struct InFlight(String);

impl InFlight {
    /// Takes `digest` for this request once no other request here holds it (`None` at
    /// the deadline).
    async fn enter(digest: &str, deadline: tokio::time::Instant) -> Option<Self> {
        loop {
            if Self::keys().insert(digest.to_string()) {
                return Some(InFlight(digest.to_string()));
            }
            if tokio::time::Instant::now() >= deadline {
                return None;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    fn keys() -> std::sync::MutexGuard<'static, std::collections::HashSet<String>> {
        IN_FLIGHT
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        Self::keys().remove(&self.0);
    }
}

fn see_other(location: &str) -> Response {
    match axum::http::HeaderValue::from_str(location) {
        Ok(v) => (StatusCode::SEE_OTHER, [(header::LOCATION, v)]).into_response(),
        Err(_) => error(StatusCode::CONFLICT),
    }
}

fn error(status: StatusCode) -> Response {
    let mut r = status.into_response();
    r.extensions_mut().insert(NeedsErrorPage);
    r
}
