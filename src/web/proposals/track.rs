//! Following a proposal without an account: the tracking code (kode lacak) a proposer
//! without an account is given when the proposal is stored, and `/lacak`, where the code
//! opens the proposal again — also while it waits for moderation — in any browser.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Duration;
use tower_sessions::Session;

use super::SESSION_SUBMITTED;
use crate::domain::account;
use crate::domain::meeting::{display_code, normalize_code};
use crate::store::Store;
use crate::web::auth::ClientIp;
use crate::web::error::{AppResult, limited};
use crate::web::meetings::VERIFICATIONS_PER_10_MINUTES;
use crate::web::page::Ctx;
use crate::web::paths;

/// The tracking codes this browser was shown: `(slug/number, code)`, newest last.
const SESSION_TRACKING: &str = "tracking";
/// How many proposals a session remembers as its own.
const REMEMBERED: usize = 50;

fn key(slug: &str, number: &str) -> String {
    format!("{slug}/{number}")
}

/// A new tracking code: shown as `ABCDE-FGHJK`, stored as its hash.
pub(super) fn new_code() -> (String, String) {
    let code = account::one_time_code();
    let hash = account::code_hash(&code);
    (display_code(&code), hash)
}

/// This browser may see the proposal while it waits for moderation (its proposer, or
/// someone holding its tracking code).
pub(super) async fn remember_own(session: &Session, slug: &str, number: &str) -> AppResult<()> {
    let mut mine: Vec<String> = session.get(SESSION_SUBMITTED).await?.unwrap_or_default();
    let k = key(slug, number);
    if !mine.contains(&k) {
        mine.push(k);
    }
    let over = mine.len().saturating_sub(REMEMBERED);
    mine.drain(..over);
    session.insert(SESSION_SUBMITTED, mine).await?;
    Ok(())
}

pub(super) async fn is_own(session: &Session, slug: &str, number: &str) -> AppResult<bool> {
    let mine: Vec<String> = session.get(SESSION_SUBMITTED).await?.unwrap_or_default();
    Ok(mine.contains(&key(slug, number)))
}

/// Keeps the code shown to this browser, so the proposal's page can show it again for the
/// rest of the session.
pub(super) async fn remember_code(
    session: &Session,
    slug: &str,
    number: &str,
    code: &str,
) -> AppResult<()> {
    let mut codes: Vec<(String, String)> = session.get(SESSION_TRACKING).await?.unwrap_or_default();
    codes.push((key(slug, number), code.to_string()));
    let over = codes.len().saturating_sub(REMEMBERED);
    codes.drain(..over);
    session.insert(SESSION_TRACKING, codes).await?;
    Ok(())
}

/// The tracking code this browser was shown for the proposal, if any.
pub(super) async fn shown_code(
    session: &Session,
    slug: &str,
    number: &str,
) -> AppResult<Option<String>> {
    let codes: Vec<(String, String)> = session.get(SESSION_TRACKING).await?.unwrap_or_default();
    let k = key(slug, number);
    Ok(codes
        .into_iter()
        .rev()
        .find(|(p, _)| *p == k)
        .map(|(_, c)| c))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct TrackQuery {
    kode: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "proposals/track.html")]
struct TrackPage {
    ctx: Ctx,
    kode: String,
    /// A code was typed and opens no proposal.
    unknown: bool,
}

/// `/lacak?kode=…`: the code's proposal (303 to its page, which this browser may now see
/// while it is pending), or the form again saying the code opens nothing (404). Counted
/// per address like `/verifikasi`.
pub(super) async fn track(
    State(store): State<Store>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    Query(q): Query<TrackQuery>,
) -> AppResult<Response> {
    let kode: String = q.kode.chars().take(40).collect();
    if kode.trim().is_empty() {
        return Ok(TrackPage {
            ctx,
            kode,
            unknown: false,
        }
        .into_response());
    }
    limited(
        store
            .throttle_take(
                "track",
                &ip,
                Duration::minutes(10),
                VERIFICATIONS_PER_10_MINUTES,
            )
            .await?,
    )?;
    let found = match normalize_code(&kode) {
        Some(code) => {
            store
                .proposal_by_tracking(&account::code_hash(&code))
                .await?
        }
        None => None,
    };
    let Some((slug, number)) = found else {
        let page = TrackPage {
            ctx,
            kode,
            unknown: true,
        };
        return Ok((StatusCode::NOT_FOUND, page).into_response());
    };
    remember_own(&ctx.session, &slug, &number).await?;
    Ok(Redirect::to(&paths::proposal(&slug, &number)).into_response())
}
