//! Logging in and out, and the client address used by rate limits.

use super::routes::Routes;
use crate::web::paths;
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

use super::error::{AppError, AppResult, limited};
use super::page::{Ctx, SESSION_USER};
use super::{AppState, csrf};
use crate::domain::account::{self, Role};
use crate::store::{Store, now};

pub fn routes() -> Routes {
    Routes::new()
        .route(crate::web::paths::LOGIN, get(login_form).post(login))
        .route(crate::web::paths::LOGOUT, post(logout))
}

/// Attempts allowed per account from one client address within a minute; the next gets
/// 429. Keyed by account *and* address, so a stranger guessing elsewhere cannot lock the
/// rightful person out.
pub const PAIR_ATTEMPTS_PER_MINUTE: i64 = 10;
/// Attempts allowed per client address within ten minutes (a village hall shares one
/// address; a successful login gives its attempt back).
pub const ADDRESS_ATTEMPTS_PER_10_MINUTES: i64 = 50;
/// Failures of one account, from anywhere, within ten minutes after which every attempt on
/// it is slowed (never blocked: the right password still gets in).
pub const ACCOUNT_FAILURES_BEFORE_SLOWING: i64 = 20;
/// How much each attempt on such an account is slowed.
pub const ACCOUNT_SLOWDOWN: std::time::Duration = std::time::Duration::from_secs(2);

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
    /// An e-mail address or a phone number.
    login: String,
    /// The older name of `login`, still accepted.
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
    login: String,
    next: String,
    failed: bool,
    /// The account is under many failed attempts: each attempt is slowed.
    slowed: bool,
}

/// Where to go after login: `next` when it is a path on this site, else the portal.
///
/// A browser reads a `Location` loosely: it drops tabs and line breaks anywhere, takes a
/// backslash for a slash and `//host` as another host. So `next` is kept only when it is
/// plain printable ASCII without a backslash (nothing a browser would silently change),
/// and when the WHATWG URL parser, resolving it against this site, still lands on this
/// site — after one round of percent-decoding too, so an encoded `//` cannot sneak past
/// a proxy that decodes it.
fn safe_next(next: &str) -> &str {
    fn plain(s: &str) -> bool {
        s.starts_with('/')
            && s.bytes().all(|b| (0x21..0x7f).contains(&b) && b != b'\\')
            && !s.starts_with("//")
    }
    fn stays_here(s: &str) -> bool {
        let base = url::Url::parse("http://musdes.invalid/").expect("a valid base");
        base.join(s).is_ok_and(|u| {
            u.scheme() == "http" && u.host_str() == Some("musdes.invalid") && u.port().is_none()
        })
    }
    let decoded = percent_encoding::percent_decode_str(next).decode_utf8_lossy();
    if plain(next) && stays_here(next) && plain(&decoded) && stays_here(&decoded) {
        next
    } else {
        crate::web::paths::HOME
    }
}

async fn login_form(mut ctx: Ctx, Query(q): Query<NextQuery>) -> AppResult<Response> {
    if ctx.viewer.is_some() {
        return Ok(Redirect::to(safe_next(&q.next)).into_response());
    }
    ctx.ensure_csrf().await?;
    Ok(LoginPage {
        ctx,
        login: String::new(),
        next: q.next,
        failed: false,
        slowed: false,
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
    let typed = if form.login.trim().is_empty() {
        form.email.clone()
    } else {
        form.login.clone()
    };
    let name = account::LoginName::parse(&typed);
    // Every spelling of one phone number counts as one account.
    let email = name
        .as_ref()
        .map_or_else(|| typed.trim().to_lowercase(), |n| n.key().to_string());
    // Each attempt is counted before the password is checked, atomically: of a burst of
    // any size at most the limit is checked, the rest get 429 at once.
    limited(
        store
            .throttle_take(
                "login_pair",
                &format!("{email}|{ip}"),
                Duration::minutes(1),
                PAIR_ATTEMPTS_PER_MINUTE,
            )
            .await?,
    )?;
    limited(
        store
            .throttle_take(
                "login_address",
                &ip,
                Duration::minutes(10),
                ADDRESS_ATTEMPTS_PER_10_MINUTES,
            )
            .await?,
    )?;
    // Under a guessing campaign from many addresses, the account's attempts are slowed.
    let slowed = store
        .throttle_count("login_account", &email, now() - Duration::minutes(10))
        .await?
        >= ACCOUNT_FAILURES_BEFORE_SLOWING;
    if slowed {
        tracing::info!(%ip, "login slowed: many failures for one account");
        tokio::time::sleep(ACCOUNT_SLOWDOWN).await;
    }

    let record = match &name {
        Some(name) => store.login_record(name).await?,
        None => None,
    };
    let hash = record.as_ref().map_or_else(
        || account::dummy_hash().to_string(),
        |r| r.password_hash.clone(),
    );
    let password = form.password.clone();
    let matches = hashing(move || account::verify_password(&password, &hash)).await?;

    match record {
        Some(r) if matches && !r.disabled => {
            start_session(&ctx, r.id, &headers).await?;
            store
                .throttle_clear("login_pair", &format!("{email}|{ip}"))
                .await?;
            store.throttle_refund("login_address", &ip).await?;
            // The home page is where the log-in link of the home page comes back to: not a
            // page the person asked for.
            let to = if matches!(form.next.trim(), "" | crate::web::paths::HOME) {
                landing(&store, r.id).await?
            } else {
                safe_next(&form.next).to_string()
            };
            Ok(Redirect::to(&to).into_response())
        }
        _ => {
            store.throttle_hit("login_account", &email).await?;
            ctx.ensure_csrf().await?;
            // One message whether or not the address has an account.
            let page = LoginPage {
                ctx,
                login: typed,
                next: form.next,
                failed: true,
                slowed,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// Logs the person in on this browser: a new session id (an id planted before login is
/// worth nothing after), the device it is on, and a new CSRF token.
pub(super) async fn start_session(
    ctx: &Ctx,
    user: uuid::Uuid,
    headers: &axum::http::HeaderMap,
) -> AppResult<()> {
    ctx.session.cycle_id().await?;
    ctx.session.insert(SESSION_USER, user).await?;
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
    Ok(())
}

/// Where a person lands after logging in without a page to go back to: an official or a
/// facilitator on what waits for them in their (first) village, a resident on their
/// village's page, anyone else on the home page.
async fn landing(store: &Store, user: uuid::Uuid) -> AppResult<String> {
    let memberships = store.memberships(user).await?;
    let staff = memberships.iter().find(|m| {
        matches!(
            Role::parse(&m.role),
            Some(Role::Official | Role::Facilitator)
        )
    });
    let resident = memberships
        .iter()
        .find(|m| Role::parse(&m.role) == Some(Role::Resident));
    Ok(match (staff, resident) {
        (Some(m), _) => crate::web::paths::worklist(&m.slug),
        (None, Some(m)) => crate::web::paths::village(&m.slug),
        (None, None) => crate::web::paths::HOME.to_string(),
    })
}

/// Ends the session, and tells the browser to forget what it kept for it: the meeting
/// pages kept for use without signal and their queue (`Clear-Site-Data`).
async fn logout(ctx: Ctx) -> AppResult<Response> {
    ctx.session.flush().await?;
    Ok((
        [(
            axum::http::HeaderName::from_static("clear-site-data"),
            "\"cache\", \"storage\"",
        )],
        Redirect::to(crate::web::paths::HOME),
    )
        .into_response())
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
        for ok in [
            "/desa/majasari",
            "/desa/majasari/usulan?status=submitted&page=2",
            "/desa/majasari/usulan/2026-001#umpan-balik",
            "/akun/sesi",
        ] {
            assert_eq!(safe_next(ok), ok);
        }
        // Each of these, read by a browser, leaves the site or is not a plain path.
        for bad in [
            "",
            "//evil.example",
            "///evil.example",
            "https://evil.example",
            "http:evil.example",
            "javascript:alert(1)",
            "data:text/html,x",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example/pwned.html",
            "/\n/evil.example",
            "/\r/evil.example",
            "/\x7f/evil.example",
            "\t//evil.example",
            " //evil.example",
            "/ /evil.example",
            "/%09/evil.example",
            "/%2F/evil.example",
            "/%2f%2fevil.example",
            "/%5Cevil.example",
            "/%0A/evil.example",
            "%2F%2Fevil.example",
            "/desa/é",
            "evil.example",
            "./evil",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad:?} must not be followed");
        }
    }
}
