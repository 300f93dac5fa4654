//! Open data: meetings as JSON (`/api/v1/desa/{slug}/musyawarah`).

use crate::domain::meeting::display_code;
use crate::web::paths;
use axum::Json;
use axum::extract::{Path, Query, State};

use super::PER_PAGE;
use super::page::{Visit, current_record};
use crate::domain::meeting::{self, Record};
use crate::store::Store;
use crate::store::meetings::{Addendum, Meeting};
use crate::web::error::AppResult;
use crate::web::paging::{PageQuery, split_page};

fn api_meeting(
    slug: &str,
    m: &Meeting,
    record: &Record,
    addenda: &[Addendum],
    seal: Option<&crate::store::seals::RecordSeals>,
) -> serde_json::Value {
    let s = meeting::summarize(record);
    let names = |groups: &[meeting::RecordGroup]| -> Vec<serde_json::Value> {
        groups
            .iter()
            .map(|g| serde_json::json!({ "id": g.id, "name": g.name, "kind": g.kind, "vulnerable": g.vulnerable }))
            .collect()
    };
    let agenda: Vec<serde_json::Value> = record
        .agenda
        .iter()
        .map(|i| {
            serde_json::json!({
                "number": i.number, "title": i.title, "bidang": i.bidang, "minutes": i.minutes,
                "url": crate::web::paths::proposal(slug, &i.number),
            })
        })
        .collect();
    let decisions: Vec<serde_json::Value> = record
        .agenda
        .iter()
        .filter_map(|i| {
            i.decision.as_ref().map(|d| {
                serde_json::json!({
                    "proposal": i.number, "decision": d.decision, "method": d.method,
                    "votes_for": d.votes_for, "votes_against": d.votes_against, "votes_abstain": d.votes_abstain,
                })
            })
        })
        .collect();
    serde_json::json!({
        "id": m.id,
        "village": slug,
        "kind": m.kind,
        "title": record.title,
        "scheduled_at": record.scheduled_at,
        "place": record.place,
        "chair": record.chair,
        "note_taker": record.note_taker,
        "status": m.status,
        "attendance": {
            "invited": s.invited, "present": s.present, "voters": s.voters, "absent": s.absent, "men": s.men, "women": s.women,
        },
        "quorum": { "rule": s.quorum_rule.code(), "needed": s.quorum_needed, "met": s.quorum_met, "note": record.quorum_note },
        "majority_rule": record.majority_rule,
        "opening": meeting::stated_opening(record, &s).code(),
        "postponed": record.postponed.as_ref().map(|p| serde_json::json!({ "at": p.at, "note": p.note })),
        "rescheduled_from": record.rescheduled_from.as_ref().map(|l| l.meeting_id),
        "rescheduled_to": record.rescheduled_to.as_ref().map(|l| l.meeting_id),
        "inclusion": {
            "women_percent": s.women_percent, "women_minimum_percent": s.women_minimum_percent,
            "women_met": s.women_met, "kinds_present": s.kinds_present,
            "groups_absent": names(&s.groups_absent), "vulnerable_absent": names(&s.vulnerable_absent),
        },
        "invited_groups": names(&record.invited_groups),
        "agenda": agenda,
        "decisions": decisions,
        "finalized_at": m.finalized_at,
        "verification_code": m.verification_code.as_deref().map(display_code),
        "content_hash": m.content_hash,
        "seal": seal.map(|s| {
            let e = s.record.entry.as_ref();
            serde_json::json!({
                "hash": e.map(|e| &e.entry_hash),
                "signature": e.map(|e| &e.signature),
                "key_id": e.map(|e| &e.key_id),
                "previous": e.map(|e| &e.prev_hash),
                "sequence": e.map(|e| e.seq),
                "sealed_at": e.map(|e| e.sealed_at),
                "problems": s.problems().iter().map(|p| p.key()).collect::<Vec<_>>(),
                "url": paths::api_meeting_seals(slug, m.id),
            })
        }),
        "seal_ok": seal.map(|s| s.holds()),
        "addenda": addenda.iter().map(|a| serde_json::json!({ "at": a.created_at, "by": a.author_name, "body": a.body })).collect::<Vec<_>>(),
        "url": paths::meeting(slug, m.id),
        "berita_acara_url": paths::meeting_berita_acara(slug, m.id),
    })
}

pub(super) async fn api_show(visit: Visit) -> AppResult<Json<serde_json::Value>> {
    let Visit {
        store, village, m, ..
    } = &visit;
    let (record, _) = current_record(store, village, m).await?;
    let addenda = store.addenda(m.id).await?;
    let (seal, scans) = if m.is_finalized() {
        (
            Some(store.check_meeting_seals(m.id).await?),
            store.scans(m.id).await?,
        )
    } else {
        (None, Vec::new())
    };
    let slug = &village.slug;
    let mut json = api_meeting(slug, m, &record, &addenda, seal.as_ref());
    json["scans"] = scans
        .iter()
        .map(|c| {
            serde_json::json!({
                "label": c.label, "content_type": c.content_type, "sha256": c.sha256, "size": c.size,
                "at": c.created_at, "by": c.uploaded_by_name,
                "url": paths::meeting_scan(slug, m.id, c.id),
            })
        })
        .collect();
    Ok(Json(json))
}

pub(super) async fn api_list(
    State(store): State<Store>,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<serde_json::Value>> {
    let village = store.village_by_slug(&slug).await?;
    let page = q.number();
    let rows = store
        .list_meetings(village.id, PER_PAGE + 1, (page - 1) * PER_PAGE)
        .await?;
    let (rows, has_next) = split_page(rows, PER_PAGE);
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|m| {
            serde_json::json!({
                "id": m.id, "kind": m.kind, "title": m.title, "scheduled_at": m.scheduled_at, "place": m.place,
                "status": m.status, "verification_code": m.verification_code.as_deref().map(display_code),
                "url": paths::api_meeting(&slug, m.id),
            })
        })
        .collect();
    Ok(Json(serde_json::json!({
        "village": slug, "page": page, "per_page": PER_PAGE, "has_next": has_next, "items": items,
    })))
}
