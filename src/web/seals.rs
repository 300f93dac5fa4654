//! The public side of the seals: the installation's public keys (page and open data), and
//! each sealed record's entry with its exact bytes, so anyone can check it offline.

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use uuid::Uuid;

use super::error::{AppError, AppResult};
use super::page::Ctx;
use super::routes::Routes;
use crate::domain::seal::{self, Entry, Kind, PublicKey};
use crate::store::Store;

pub fn routes() -> Routes {
    Routes::new()
        .route(crate::web::paths::VERIFY_KEYS, get(keys))
        .route(crate::web::paths::API_KEYS, get(keys_json))
        .route(crate::web::paths::API_MEETING_SEALS, get(meeting_seal))
        .route(crate::web::paths::API_PLAN_SEALS, get(plan_seal))
}

/// How to check an entry, said once in every answer that carries one.
const HOW: &str = "signed = the entry's fields as lines 'musdes-seal/1', 'village:', 'seq:', 'kind:', \
     'subject:', 'parent:' (or '-'), 'content:', 'prev:', 'at:' (RFC 3339, microseconds, Z), 'key:', each \
     ending in a newline; entry_hash = SHA-256(signed); signature = Ed25519 over signed with the key \
     named by key_id (/api/v1/kunci); content_hash = SHA-256 of content (UTF-8); prev_hash = the \
     entry_hash of the village's entry seq - 1 (64 zeros for seq 1).";

struct KeyRow {
    key_id: String,
    fingerprint: String,
    key: String,
    current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "seals/keys.html")]
struct KeysPage {
    ctx: Ctx,
    keys: Vec<KeyRow>,
}

fn key_rows(store: &Store) -> AppResult<Vec<KeyRow>> {
    let keys = store.keys()?;
    let current = keys.current();
    Ok(keys
        .trusted()
        .iter()
        .map(|k: &PublicKey| KeyRow {
            key_id: k.key_id.clone(),
            fingerprint: PublicKey::fingerprint(&k.key_id),
            key: k.encoded(),
            current: k.key_id == current.key_id,
        })
        .collect())
}

/// A browser (asking for HTML) gets the page; any other client the JSON.
async fn keys(
    State(store): State<Store>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
) -> AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let wants_html = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if wants_html {
        let page = KeysPage {
            ctx,
            keys: key_rows(&store)?,
        };
        return Ok(page.into_response());
    }
    Ok(keys_json(State(store)).await?.into_response())
}

async fn keys_json(State(store): State<Store>) -> AppResult<Json<serde_json::Value>> {
    let since = store.key_first_use().await?;
    let keys: Vec<serde_json::Value> = key_rows(&store)?
        .into_iter()
        .map(|k| {
            let first = since
                .iter()
                .find(|(id, _)| *id == k.key_id)
                .map(|(_, at)| at);
            serde_json::json!({
                "id": k.key_id, "key_id": k.key_id, "algorithm": "Ed25519", "public_key": k.key,
                "current": k.current, "since": first,
            })
        })
        .collect();
    Ok(Json(serde_json::json!({ "keys": keys, "how": HOW })))
}

/// One sealed record for offline checking: its entry, the signed text, and its content.
fn sealed(entry: Option<Entry>, content: &[u8], holds: bool) -> serde_json::Value {
    serde_json::json!({
        "signed": entry.as_ref().map(|e| String::from_utf8_lossy(&e.signed_bytes()).into_owned()),
        "entry": entry,
        "content": String::from_utf8_lossy(content),
        "holds": holds,
    })
}

async fn meeting_seal(
    State(store): State<Store>,
    Path((slug, id)): Path<(String, String)>,
) -> AppResult<Json<serde_json::Value>> {
    let village = store.village_by_slug(&slug).await?;
    let id = id.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    let m = store.meeting(village.id, id).await?;
    if !m.is_finalized() {
        return Err(AppError::NotFound);
    }
    let (text, _) = store.frozen_record(m.id).await?;
    let checked = store.check_meeting_seals(m.id).await?;
    let mut addenda = Vec::new();
    for a in store.addenda(m.id).await? {
        let bytes = seal::addendum_bytes(m.id, a.id, &a.body, &a.author_name, a.created_at);
        let check = checked
            .addenda
            .iter()
            .find(|(i, _)| *i == a.id)
            .map(|(_, c)| c.clone())
            .unwrap_or_default();
        addenda.push(sealed(check.entry.clone(), &bytes, check.holds()));
    }
    Ok(Json(serde_json::json!({
        "kind": Kind::Meeting.code(),
        "holds": checked.holds(),
        "problems": checked.problems().iter().map(|p| p.key()).collect::<Vec<_>>(),
        "record": sealed(checked.record.entry.clone(), text.as_bytes(), checked.record.holds()),
        "addenda": addenda,
        "keys": crate::web::paths::API_KEYS,
        "how": HOW,
    })))
}

/// `?revisi=N`: the seal of that revision of the year's plan (default: the plan in force).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct RevisionQuery {
    revisi: String,
}

async fn plan_seal(
    State(store): State<Store>,
    Path((slug, year)): Path<(String, String)>,
    Query(q): Query<RevisionQuery>,
) -> AppResult<Json<serde_json::Value>> {
    let village = store.village_by_slug(&slug).await?;
    let year = year.parse::<i64>().map_err(|_| AppError::NotFound)?;
    let plan = match super::plans::revision_of(&q.revisi)? {
        Some(r) => store.plan_revision(village.id, year, Some(r)).await?,
        None => store.plan_in_force(village.id, year).await?,
    };
    if !plan.is_adopted() {
        return Err(AppError::NotFound);
    }
    let record = store.plan_record(plan.id).await?;
    let check = store.plan_seal(plan.id).await?;
    Ok(Json(serde_json::json!({
        "kind": Kind::Plan.code(),
        "revision": plan.revision,
        "in_force": plan.is_in_force(),
        "holds": check.holds(),
        "problems": check.problems.iter().map(|p| p.key()).collect::<Vec<_>>(),
        "record": sealed(check.entry.clone(), record.as_bytes(), check.holds()),
        "keys": crate::web::paths::API_KEYS,
        "how": HOW,
    })))
}
