//! The middleware stack, assembled in one place, and the routes every site needs
//! (health, static assets, the 404 fallback).

use crate::web::paths;
use std::time::Duration;

use askama::Template;
use axum::Router;
use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};

use super::AppState;
use super::error::{AppError, NeedsErrorPage};
use super::i18n::Lang;
use super::page::{Ctx, SESSION_COOKIE, lang_of};
use crate::store::Store;

/// Bodies above this are refused with 413 before any handler reads them.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
                   base-uri 'none'; object-src 'none'";

pub fn apply(routes: Router<AppState>, state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let sessions = SessionManagerLayer::new(state.store.clone())
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.config.secure_cookies)
        .with_expiry(Expiry::OnInactivity(
            time::Duration::try_from(state.config.session_idle)
                .unwrap_or(time::Duration::hours(12)),
        ));
    let timeout = state.config.request_timeout;
    routes
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
                    let path = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string());
                    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", method = %req.method(), uri = %req.uri().path(),
                        matched = path.as_deref().unwrap_or("-"), request_id = %id, user = tracing::field::Empty)
                }))
                .layer(PropagateRequestIdLayer::new(request_id))
                .layer(CompressionLayer::new())
                .layer(middleware::from_fn(security_headers))
                // Outside the session layer: the cache sees the final answer, with any
                // cookie the session set, and never keeps or serves a visitor's own page.
                .layer(middleware::from_fn_with_state(
                    state.pages.clone(),
                    super::cache::pages::layer,
                ))
                // Outside the session layer too: a request that wrote is answered only
                // once its writes, the session's included, are on disk.
                .layer(middleware::from_fn_with_state(
                    state.store.clone(),
                    durable,
                ))
                .layer(sessions)
                .layer(middleware::from_fn_with_state(
                    state.config.secure_cookies,
                    super::csrf::form_token,
                ))
                .layer(middleware::from_fn_with_state(
                    state.config.secure_cookies,
                    super::notice::layer,
                ))
                .layer(middleware::from_fn(error_pages))
                .layer(CatchPanicLayer::new())
                .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
                .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
                .layer(middleware::from_fn(remember_lang))
                .layer(middleware::from_fn(refuse_nul))
                .layer(middleware::from_fn_with_state(
                    state.store.clone(),
                    super::csrf::guard,
                ))
                .layer(middleware::from_fn_with_state(
                    state.pages.clone(),
                    super::cache::forget_on_change,
                )),
        )
        .with_state(state)
}

/// Holds the answer to a request that may have written (any method but GET and HEAD)
/// until its commits are on disk; concurrent requests share one flush (group commit).
async fn durable(State(store): State<Store>, request: Request, next: Next) -> Response {
    let reads = matches!(*request.method(), Method::GET | Method::HEAD);
    let response = next.run(request).await;
    if reads {
        return response;
    }
    match store.sync().await {
        Ok(()) => response,
        Err(e) => {
            tracing::error!(error = %e, "writes not flushed");
            let mut r = StatusCode::SERVICE_UNAVAILABLE.into_response();
            r.extensions_mut().insert(NeedsErrorPage);
            r
        }
    }
}

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    response
}

/// A path or query holding a NUL character (`%00`) is refused with 400 before any handler
/// looks it up: PostgreSQL cannot compare text with it, and no link of the site has one.
async fn refuse_nul(request: Request, next: Next) -> Response {
    let uri = request.uri();
    let decoded = |s: &str| percent_encoding::percent_decode_str(s).any(|b| b == 0);
    if decoded(uri.path()) || uri.query().is_some_and(decoded) {
        let mut r = StatusCode::BAD_REQUEST.into_response();
        r.extensions_mut().insert(NeedsErrorPage);
        return r;
    }
    next.run(request).await
}

/// `?lang=en` on any page is remembered in a cookie for the pages after it.
async fn remember_lang(request: Request, next: Next) -> Response {
    let asked = request.uri().query().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| Lang::parse(&v))
    });
    let mut response = next.run(request).await;
    if let Some(lang) = asked {
        let cookie = format!(
            "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.code()
        );
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorPage {
    ctx: Ctx,
    status: u16,
    title: &'static str,
    body: &'static str,
    /// A proposal's page not found: it may wait in moderation, which only its proposer
    /// (with the tracking code) and the village's staff see. Said the same way whether it
    /// exists or not, so nothing leaks.
    track: bool,
}

/// `/desa/{slug}/usulan/{number}` and the pages under it.
fn is_proposal_path(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    matches!(parts.as_slice(), ["", "desa", _, "usulan", number, ..]
        if number.len() >= 8 && number.as_bytes()[4] == b'-' && number.bytes().filter(|b| *b != b'-').all(|b| b.is_ascii_digit()))
}

/// Gives every error without a page of its own (404, 403, 413, 429, 500, …) the layout and
/// the reader's language; under `/api/` the answer is JSON instead.
async fn error_pages(request: Request, next: Next) -> Response {
    let lang = lang_of(request.uri().query(), request.headers());
    let path = request.uri().path().to_string();
    let session = request.extensions().get::<Session>().cloned();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"));
    if is_html && response.extensions().get::<NeedsErrorPage>().is_none() {
        return response;
    }
    let code = status.as_u16();
    let title = lang
        .get(&format!("error.page.{code}"))
        .unwrap_or_else(|| lang.t("error.page.generic"));
    if path.starts_with("/api/") {
        let body = serde_json::json!({ "error": title, "status": code });
        return (status, axum::Json(body)).into_response();
    }
    let track = code == 404 && is_proposal_path(&path);
    let body = if track {
        lang.t("error.page.404.proposal")
    } else {
        lang.get(&format!("error.page.{code}.body"))
            .unwrap_or_default()
    };
    let Some(session) = session else {
        return (status, title).into_response();
    };
    let ctx = Ctx {
        lang,
        viewer: None,
        csrf: String::new(),
        notice: None,
        notices: Default::default(),
        path,
        session,
        form_token: Default::default(),
        public_url: None,
    };
    let page = ErrorPage {
        ctx,
        status: code,
        title,
        body,
        track,
    };
    match page.render() {
        Ok(html) => {
            // Keep what the layers inside set (cookies, Retry-After); only the body changes.
            let mut r = (status, Html(html)).into_response();
            for (name, value) in response.headers() {
                if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                    r.headers_mut().append(name, value.clone());
                }
            }
            r
        }
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            (status, title).into_response()
        }
    }
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

const CSS: &str = include_str!("../../static/app.css");
const ICON: &str = include_str!("../../static/icon.svg");
const SIMILAR_JS: &str = include_str!("../../static/similar.js");
const PRINT_JS: &str = include_str!("../../static/print.js");
const OFFLINE_JS: &str = include_str!("../../static/offline.js");
const SERVICE_WORKER: &str = include_str!("../../static/sw.js");
const MANIFEST: &str = include_str!("../../static/manifest.webmanifest");

pub fn static_routes() -> super::routes::Routes {
    super::routes::Routes::new()
        .route(crate::web::paths::HEALTHZ, get(healthz))
        .route(
            "/static/app.css",
            get(|| async { asset("text/css; charset=utf-8", CSS) }),
        )
        .route(
            "/static/icon.svg",
            get(|| async { asset("image/svg+xml", ICON) }),
        )
        .route(
            "/static/similar.js",
            get(|| async { asset("text/javascript; charset=utf-8", SIMILAR_JS) }),
        )
        .route(
            "/static/print.js",
            get(|| async { asset("text/javascript; charset=utf-8", PRINT_JS) }),
        )
        .route(
            "/static/offline.js",
            get(|| async { asset("text/javascript; charset=utf-8", OFFLINE_JS) }),
        )
        .route(
            "/manifest.webmanifest",
            get(|| async { asset("application/manifest+json", MANIFEST) }),
        )
        // At the root, so that it may serve every meeting page; checked for a new version
        // at every visit.
        .route(
            "/sw.js",
            get(|| async {
                let mut r = asset("text/javascript; charset=utf-8", SERVICE_WORKER);
                r.headers_mut()
                    .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
                r
            }),
        )
        .route(
            "/favicon.ico",
            get(|| async { asset("image/svg+xml", ICON) }),
        )
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut r = Response::new(Body::from(body));
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    r
}

async fn healthz(State(store): State<Store>) -> Response {
    if store.healthy().await {
        (StatusCode::OK, "ok").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
    }
}

/// How long in-flight requests get to finish after a stop signal.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);
