//! Open data: a year's plan as JSON (`/api/v1/desa/{slug}/rkp/{year}`).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};

use super::page::FileQuery;
use super::{Format, plan_url, year_of};
use crate::store::Store;
use crate::web::error::{AppError, AppResult};

pub(super) async fn api(
    State(store): State<Store>,
    Path((slug, year)): Path<(String, String)>,
    Query(q): Query<FileQuery>,
) -> AppResult<Response> {
    let (year, format) = year_of(&year)?;
    if format != Format::Html {
        return Err(AppError::NotFound);
    }
    let village = store.village_by_slug(&slug).await?;
    let stored = store.plan_revision(village.id, year, q.revision()?).await?;
    let revisions = store.plan_revisions(village.id, year).await?;
    let items: Vec<serde_json::Value> = stored
        .plan
        .items
        .iter()
        .map(|i| {
            serde_json::json!({
                "rank": i.rank, "number": i.number, "title": i.title, "bidang": i.bidang,
                "location": i.location, "volume": i.volume, "beneficiaries": i.beneficiaries,
                "months": i.months.map(|(s, e)| [s, e]), "cost": i.cost, "source": i.source,
                "pattern": i.pattern, "authority": i.authority, "implementer": i.implementer, "supports": i.supports,
                "scores": i.scores, "score": i.score as f64 / 100.0, "list": i.placement.code(),
            })
        })
        .collect();
    let seal = if stored.is_adopted() {
        Some(store.plan_seal(stored.id).await?)
    } else {
        None
    };
    let adoption = stored.adoption.as_ref().map(|a| {
        serde_json::json!({
            "meeting": a.meeting_id, "meeting_title": a.meeting_title, "meeting_at": a.meeting_at,
            "verification_code": crate::domain::meeting::display_code(&a.verification_code), "adopted_at": a.adopted_at,
            "perdes": stored.perdes.as_ref().map(|p| serde_json::json!({ "number": p.number, "date": p.date })),
            "seal": seal.as_ref().map(|s| serde_json::json!({
                "holds": s.holds(),
                "problems": s.problems.iter().map(|p| p.key()).collect::<Vec<_>>(),
                "key_id": s.entry.as_ref().map(|e| &e.key_id),
                "entry_hash": s.entry.as_ref().map(|e| &e.entry_hash),
                "url": format!("{}?revisi={}", crate::web::paths::api_plan_seals(&village.slug, year), stored.revision),
            })),
        })
    });
    Ok(Json(serde_json::json!({
        "village": village.slug,
        "year": year,
        "status": stored.status,
        "revision": stored.revision,
        "in_force": stored.is_in_force(),
        "amendment": stored.amendment.as_ref().map(|(ground, reason)| serde_json::json!({
            "ground": ground, "reason": reason,
            "amends": format!("{}?revisi={}", crate::web::paths::api_plan(&village.slug, year), stored.revision - 1),
        })),
        "revisions": revisions.iter().map(|r| serde_json::json!({
            "revision": r.revision, "status": r.status, "in_force": r.status == "adopted" && r.superseded_by.is_none(),
            "perdes": r.perdes_number.as_ref().zip(r.perdes_date).map(|(n, d)| serde_json::json!({ "number": n, "date": d })),
            "url": format!("{}?revisi={}", crate::web::paths::api_plan(&village.slug, year), r.revision),
        })).collect::<Vec<_>>(),
        "adoption": adoption,
        "criteria": stored.plan.criteria.iter().map(|c| serde_json::json!({
            "name": c.name, "weight": c.weight, "max_score": c.max_score,
        })).collect::<Vec<_>>(),
        "ceilings": stored.plan.sources,
        "by_bidang": stored.plan.bidang,
        "funded": stored.plan.funded,
        "rpjm": stored.plan.rpjm,
        "du_rkp": stored.plan.du_rkp,
        "ceiling": stored.plan.ceiling,
        "items": items,
        "url": plan_url(&village, year),
    }))
    .into_response())
}
