//! Logging in and out, and the client address used by rate limits.

use super::routes::Routes;
use std::net::SocketAddr;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{ConnectInfo, FromRef, FromRequestParts, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Duration;

use super::error::{AppError, AppResult};
use super::page::{Ctx, SESSION_USER};
use super::{AppState, csrf};
use crate::domain::account;
use crate::store::{Store, now};

pub fn routes() -> Routes {
    Routes::new()
        .route("/masuk", get(login_form).post(login))
        .route("/keluar", post(logout))
}

/// Failures allowed per account within a minute; the next attempt gets 429.
pub const ACCOUNT_FAILURES_PER_MINUTE: i64 = 10;
/// Failures allowed per client address within ten minutes (a village hall shares one address).
pub const ADDRESS_FAILURES_PER_10_MINUTES: i64 = 50;

/// The client's address: the socket peer, or behind a trusted proxy the last
/// `X-Forwarded-For` hop (the one the proxy itself added).
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

impl<S> FromRequestParts<S> for ClientIp
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        if state.config.trust_proxy {
            let forwarded = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty());
            if let Some(ip) = forwarded {
                return Ok(ClientIp(ip));
            }
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        Ok(ClientIp(peer.unwrap_or_else(|| "unknown".into())))
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
    next: String,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct NextQuery {
    next: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/login.html")]
struct LoginPage {
    ctx: Ctx,
    email: String,
    next: String,
    failed: bool,
}

/// Only paths on this site are followed after login (no `//evil.example`).
fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") {
        next
    } else {
        "/"
    }
}

async fn login_form(mut ctx: Ctx, Query(q): Query<NextQuery>) -> AppResult<Response> {
    if ctx.viewer.is_some() {
        return Ok(Redirect::to(safe_next(&q.next)).into_response());
    }
    ctx.ensure_csrf().await?;
    Ok(LoginPage {
        ctx,
        email: String::new(),
        next: q.next,
        failed: false,
    }
    .into_response())
}

async fn login(
    State(store): State<Store>,
    mut ctx: Ctx,
    ClientIp(ip): ClientIp,
    headers: axum::http::HeaderMap,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let email = form.email.trim().to_lowercase();
    let t = now();
    let account_failures = store
        .throttle_count("login_account", &email, t - Duration::minutes(1))
        .await?;
    let address_failures = store
        .throttle_count("login_address", &ip, t - Duration::minutes(10))
        .await?;
    if account_failures >= ACCOUNT_FAILURES_PER_MINUTE
        || address_failures >= ADDRESS_FAILURES_PER_10_MINUTES
    {
        tracing::info!(%ip, "login rate limit reached");
        return Err(AppError::TooManyRequests);
    }

    let record = store.login_record(&email).await?;
    let hash = record.as_ref().map_or_else(
        || account::dummy_hash().to_string(),
        |r| r.password_hash.clone(),
    );
    let password = form.password.clone();
    let matches = hashing(move || account::verify_password(&password, &hash)).await?;

    match record {
        Some(r) if matches && !r.disabled => {
            // A new session id at login: an id planted before login is worth nothing after.
            ctx.session.cycle_id().await?;
            ctx.session.insert(SESSION_USER, r.id).await?;
            // How the person will recognise this session among their others.
            let agent: String = headers
                .get(axum::http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .chars()
                .take(160)
                .collect();
            ctx.session
                .insert(crate::store::sessions::AGENT_KEY, agent)
                .await?;
            csrf::rotate(&ctx.session).await?;
            store.throttle_clear("login_account", &email).await?;
            Ok(Redirect::to(safe_next(&form.next)).into_response())
        }
        _ => {
            store.throttle_hit("login_account", &email).await?;
            store.throttle_hit("login_address", &ip).await?;
            ctx.ensure_csrf().await?;
            // One message whether or not the address has an account.
            let page = LoginPage {
                ctx,
                email: form.email,
                next: form.next,
                failed: true,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn logout(ctx: Ctx) -> AppResult<Response> {
    ctx.session.flush().await?;
    Ok(Redirect::to("/").into_response())
}

/// One password hash holds 19 MiB and one core for tens of milliseconds. At most one per
/// core runs at a time and the others wait their turn, so a burst of logins neither
/// exhausts the server's memory nor starves the pages.
static HASHING: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
    tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(1, |n| n.get()))
});

/// Runs a password hash or check off the async threads, within [`HASHING`]'s limit.
pub(super) async fn hashing<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> AppResult<T> {
    let _permit = HASHING
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::Internal(e.into()))
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next("/desa/majasari"), "/desa/majasari");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next(""), "/");
    }
}
