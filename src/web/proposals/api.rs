//! Open data: proposals as JSON (`/api/v1/desa/{slug}/usulan`).

use crate::domain::proposal::EventKind;
use crate::web::paths;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};

use super::PER_PAGE;
use super::list::ListQuery;
use super::page::merged_target;
use crate::domain::proposal::Status;
use crate::store::Store;
use crate::store::proposals::Proposal;
use crate::web::error::{AppError, AppResult};
use crate::web::paging::split_page;

#[derive(serde::Serialize)]
struct ApiProposal {
    number: String,
    title: String,
    problem: String,
    description: String,
    bidang: String,
    sub_bidang: Option<String>,
    location: Option<String>,
    dusun: Option<String>,
    status: String,
    level: &'static str,
    estimated_cost: Option<i64>,
    supports: i64,
    channel: String,
    proposer_name: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    url: String,
}

impl ApiProposal {
    fn of(slug: &str, p: Proposal) -> Self {
        ApiProposal {
            url: paths::proposal(slug, &p.number),
            level: p.level.code(),
            number: p.number,
            title: p.title,
            problem: p.problem,
            description: p.description,
            bidang: p.bidang.code().to_string(),
            sub_bidang: p.sub_bidang,
            location: p.location,
            dusun: p.hamlet,
            status: p.status.code().to_string(),
            estimated_cost: p.estimated_cost,
            supports: p.supports,
            channel: p.channel,
            proposer_name: p.proposer_name,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

#[derive(serde::Serialize)]
struct ApiEvent {
    at: DateTime<Utc>,
    kind: EventKind,
    from: Option<String>,
    to: Option<String>,
    note: Option<String>,
    by: Option<String>,
    /// For ladder moves: the conditions that justified it.
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<serde_json::Value>,
}

pub(super) async fn api_list(
    State(store): State<Store>,
    Path(slug): Path<String>,
    Query(query): Query<ListQuery>,
) -> AppResult<Json<serde_json::Value>> {
    let village = store.village_by_slug(&slug).await?;
    let per_page = query
        .per_page
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=100).contains(n))
        .unwrap_or(PER_PAGE);
    let page = query.page();
    let rows = store
        .list_proposals(
            village.id,
            &query.filter(false),
            query.sort(),
            per_page + 1,
            (page - 1) * per_page,
        )
        .await?;
    let (rows, has_next) = split_page(rows, per_page);
    let items: Vec<ApiProposal> = rows
        .into_iter()
        .map(|p| ApiProposal::of(&slug, p))
        .collect();
    Ok(Json(serde_json::json!({
        "village": slug, "page": page, "per_page": per_page, "has_next": has_next, "items": items,
    })))
}

pub(super) async fn api_show(
    State(store): State<Store>,
    Path((slug, number)): Path<(String, String)>,
) -> AppResult<Response> {
    let village = store.village_by_slug(&slug).await?;
    let p = store.proposal_by_number(village.id, &number).await?;
    if p.status == Status::Pending {
        return Err(AppError::NotFound);
    }
    if let Some(target) = merged_target(&store, &p).await? {
        return Ok(Redirect::permanent(&paths::api_proposal(&slug, &target)).into_response());
    }
    let events: Vec<ApiEvent> = store
        .proposal_events(p.id)
        .await?
        .into_iter()
        .map(|e| ApiEvent {
            at: e.at,
            kind: e.kind,
            from: e.from_value,
            to: e.to_value,
            note: e.note,
            by: e.actor_name,
            evidence: e.evidence.and_then(|j| serde_json::from_str(&j).ok()),
        })
        .collect();
    let level_history: Vec<&ApiEvent> = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::LevelChanged | EventKind::LevelAuto))
        .collect();
    let level_history =
        serde_json::to_value(level_history).map_err(|e| AppError::Internal(e.into()))?;
    let mut body = serde_json::to_value(ApiProposal::of(&slug, p))
        .map_err(|e| AppError::Internal(e.into()))?;
    body["level_history"] = level_history;
    body["events"] = serde_json::to_value(events).map_err(|e| AppError::Internal(e.into()))?;
    Ok(Json(body).into_response())
}
