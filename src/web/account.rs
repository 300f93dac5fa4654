//! A person's own sessions: every browser they are logged in on, and a way to end the
//! ones they no longer use (a lost phone, a shared computer at the village hall).

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};

use super::error::AppResult;
use super::page::Ctx;
use super::routes::Routes;
use crate::domain::access::Action;
use crate::store::Store;
use crate::store::sessions::{SessionInfo, handle};

pub fn routes() -> Routes {
    Routes::new()
        .route(crate::web::paths::SESSIONS, get(list))
        .route(crate::web::paths::SESSIONS_END, post(end))
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/sessions.html")]
struct SessionsPage {
    ctx: Ctx,
    sessions: Vec<SessionInfo>,
    current: String,
}

impl SessionsPage {
    fn when(&self, at: &DateTime<Utc>) -> String {
        super::filters::local_time(at, "Asia/Jakarta")
    }
}

async fn list(State(store): State<Store>, ctx: Ctx) -> AppResult<SessionsPage> {
    let user = ctx.authorize(Action::ManageOwnAccount, None)?.id;
    let sessions = store.sessions_of(user).await?;
    let current = ctx
        .session
        .id()
        .map(|id| handle(&id.to_string()))
        .unwrap_or_default();
    Ok(SessionsPage {
        ctx,
        sessions,
        current,
    })
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct EndForm {
    /// One session's handle; empty: every session but this one.
    sesi: String,
}

async fn end(
    State(store): State<Store>,
    ctx: Ctx,
    Form(form): Form<EndForm>,
) -> AppResult<Response> {
    let user = ctx.authorize(Action::ManageOwnAccount, None)?.id;
    let current = ctx
        .session
        .id()
        .map(|id| handle(&id.to_string()))
        .unwrap_or_default();
    let chosen = form.sesi.trim();
    // Ending this very session is logging out, which has its own button.
    let ends: Vec<String> = if chosen.is_empty() || chosen == current {
        Vec::new()
    } else {
        vec![chosen.to_string()]
    };
    let ended = store.end_sessions(user, &ends, &current).await?;
    ctx.flash(if ended == 0 {
        "sessions.none_ended"
    } else {
        "sessions.ended"
    })
    .await?;
    Ok(Redirect::to(crate::web::paths::SESSIONS).into_response())
}
