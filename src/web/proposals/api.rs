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
use crate::domain::proposal::{Bidang, Level, Status};
use crate::store::Store;
use crate::store::proposals::Proposal;
use crate::web::error::{AppError, AppResult, bad_filter};
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

/// A filter value the open data does not know (`?status=foo`): 400 naming it and what the
/// field takes. The pages for people ignore such a value, so an old link still lists;
/// a program gets told.
fn unknown_filter(q: &ListQuery) -> Option<Response> {
    let checks: [(&str, &str, bool, Vec<&'static str>); 4] = [
        (
            "status",
            &q.status,
            Status::parse(&q.status).is_some_and(|s| s != Status::Pending),
            Status::ALL
                .iter()
                .filter(|s| **s != Status::Pending)
                .map(|s| s.code())
                .collect(),
        ),
        (
            "bidang",
            &q.bidang,
            Bidang::parse(&q.bidang).is_some(),
            Bidang::ALL.iter().map(|b| b.code()).collect(),
        ),
        (
            "tingkat",
            &q.tingkat,
            Level::parse(&q.tingkat).is_some(),
            Level::ALL.iter().map(|l| l.code()).collect(),
        ),
        (
            "sort",
            &q.sort,
            ["dukungan", "tingkat"].contains(&q.sort.trim()),
            vec!["dukungan", "tingkat"],
        ),
    ];
    for (field, value, known, allowed) in checks {
        if !value.trim().is_empty() && !known {
            return Some(bad_filter(field, value, &allowed));
        }
    }
    let per_page = q.per_page.trim();
    if !per_page.is_empty()
        && !per_page
            .parse::<i64>()
            .is_ok_and(|n| (1..=100).contains(&n))
    {
        return Some(bad_filter("per_page", per_page, &["1–100"]));
    }
    None
}

pub(super) async fn api_list(
    State(store): State<Store>,
    Path(slug): Path<String>,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let village = store.village_by_slug(&slug).await?;
    if let Some(refused) = unknown_filter(&query) {
        return Ok(refused);
    }
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
    }))
    .into_response())
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
