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
    fn device(&self, agent: &str) -> String {
        device(agent)
    }
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
    });
    Ok(Redirect::to(crate::web::paths::SESSIONS).into_response())
}

/// A browser's user-agent string as a person recognises it: `Chrome · Android`. The
/// full string stays in the cell's title.
fn device(agent: &str) -> String {
    let browser = [
        ("SamsungBrowser/", "Samsung Internet"),
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Safari/", "Safari"),
    ]
    .iter()
    .find(|(mark, _)| agent.contains(mark))
    .map(|(_, name)| *name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(mark, _)| agent.contains(mark))
    .map(|(_, name)| *name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} · {s}"),
        (Some(one), None) | (None, Some(one)) => one.to_string(),
        (None, None) => agent.chars().take(40).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::device;

    #[test]
    fn a_browser_reads_as_its_name_and_system() {
        let phone = "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36";
        assert_eq!(device(phone), "Chrome · Android");
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
        assert_eq!(device(iphone), "Safari · iPhone");
        let desk =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0";
        assert_eq!(device(desk), "Firefox · Windows");
        assert_eq!(device("curl/8.4.0"), "curl/8.4.0");
    }
}
