//! The village's inventory of problems and needs, and the proposals that answer them.

use chrono::{DateTime, Duration, Utc};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use super::{OrStale, Result, StoreError, audit, change, duplicate_on, new_id, now, read};
use crate::domain::need::{CheckedMeasure, CheckedNeed, SEASON_DAYS};

/// A problem as listed, with the meeting it was raised in and how many proposals answer it.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Need {
    pub id: Uuid,
    pub village_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub hamlet: Option<String>,
    /// Comma-separated codes of `domain::need::AFFECTS`.
    pub affects: String,
    pub affected_count: Option<i64>,
    pub affected_unit: Option<String>,
    pub since_year: Option<i64>,
    pub meeting_id: Option<Uuid>,
    pub meeting_title: Option<String>,
    pub raised_by: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub proposals: i64,
}

impl Need {
    pub fn affects_list(&self) -> Vec<&str> {
        self.affects.split(',').filter(|a| !a.is_empty()).collect()
    }
}

/// The village's problems counted, for its statistics.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct NeedTally {
    pub recorded: i64,
    pub answered: i64,
    pub waiting: i64,
}

/// A proposal answering a problem, or a problem a proposal answers: enough to link it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Answer {
    pub need_id: Uuid,
    pub need_title: String,
    pub number: String,
    pub title: String,
    pub status: String,
}

/// A figure measured after a proposal answering a problem was carried out.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Measure {
    pub count: i64,
    pub measured_on: chrono::NaiveDate,
    pub note: Option<String>,
    pub recorded_by: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A problem with a baseline that a proposal answers, for the village's impact page: its
/// figure before and, once measured, the latest figure after.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ImpactRow {
    pub id: Uuid,
    pub title: String,
    pub hamlet: Option<String>,
    pub unit: String,
    pub before: i64,
    pub after: Option<i64>,
    pub measured_on: Option<chrono::NaiveDate>,
    /// Proposals answering it, and how many of them are done (completed or evaluated).
    pub proposals: i64,
    pub done: i64,
}

const NEED_COLUMNS: &str = "n.id, n.village_id, n.title, n.description, n.hamlet, n.affects, \
     n.affected_count, n.affected_unit, n.since_year, n.meeting_id, m.title AS meeting_title, n.raised_by, \
     n.version, n.created_at, n.updated_at, \
     (SELECT COUNT(*) FROM proposal_needs pn WHERE pn.need_id = n.id) AS proposals";
const NEED_FROM: &str = "FROM needs n LEFT JOIN meetings m ON m.id = n.meeting_id";

fn audit_view(n: &CheckedNeed) -> serde_json::Value {
    serde_json::json!({
        "title": n.title, "description": n.description, "hamlet": n.hamlet, "affects": n.affects,
        "affected_count": n.affected.as_ref().map(|a| a.0),
        "affected_unit": n.affected.as_ref().map(|a| a.1.clone()),
        "since_year": n.since_year, "meeting": n.meeting, "raised_by": n.raised_by,
    })
}

impl super::Store {
    pub async fn create_need(&self, village: Uuid, n: &CheckedNeed, actor: Uuid) -> Result<Uuid> {
        let id = new_id();
        let at = now();
        change!(self, |tx| {
            sqlx::query(
                "INSERT INTO needs (id, village_id, title, description, hamlet, affects, affected_count, \
                 affected_unit, since_year, meeting_id, raised_by, created_by, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $13)",
            )
            .bind(id)
            .bind(village)
            .bind(&n.title)
            .bind(&n.description)
            .bind(&n.hamlet)
            .bind(n.affects.join(","))
            .bind(n.affected.as_ref().map(|a| a.0))
            .bind(n.affected.as_ref().map(|a| a.1.clone()))
            .bind(n.since_year)
            .bind(n.meeting)
            .bind(&n.raised_by)
            .bind(actor)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(|e| duplicate_on(e, &["title"]))?;
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "need",
                id: id.to_string(), action: "create", before: None, after: Some(audit_view(n)));
            (id, entry)
        })
    }

    /// Changes a problem if nobody changed it since `version`.
    pub async fn update_need(
        &self,
        before: &Need,
        version: i64,
        n: &CheckedNeed,
        actor: Uuid,
    ) -> Result<()> {
        let at = now();
        change!(self, |tx| {
            sqlx::query(
                "UPDATE needs SET title = $1, description = $2, hamlet = $3, affects = $4, affected_count = $5, \
                 affected_unit = $6, since_year = $7, meeting_id = $8, raised_by = $9, version = version + 1, \
                 updated_at = $10 WHERE id = $11 AND village_id = $12 AND version = $13",
            )
            .bind(&n.title)
            .bind(&n.description)
            .bind(&n.hamlet)
            .bind(n.affects.join(","))
            .bind(n.affected.as_ref().map(|a| a.0))
            .bind(n.affected.as_ref().map(|a| a.1.clone()))
            .bind(n.since_year)
            .bind(n.meeting)
            .bind(&n.raised_by)
            .bind(at)
            .bind(before.id)
            .bind(before.village_id)
            .bind(version)
            .execute(&mut *tx)
            .await
            .map_err(|e| duplicate_on(e, &["title"]))?
            .or_stale()?;
            let old = serde_json::to_value(before).unwrap_or_default();
            let entry = audit::entry!(actor: Some(actor), village: Some(before.village_id), entity: "need",
                id: before.id.to_string(), action: "edit", before: Some(old), after: Some(audit_view(n)));
            ((), entry)
        })
    }

    pub async fn need(&self, village: Uuid, id: Uuid) -> Result<Need> {
        let sql =
            format!("SELECT {NEED_COLUMNS} {NEED_FROM} WHERE n.village_id = $1 AND n.id = $2");
        let n: Option<Need> = read!(self, |pool| {
            sqlx::query_as(AssertSqlSafe(sql))
                .bind(village)
                .bind(id)
                .fetch_optional(pool)
                .await
        })?;
        n.ok_or(StoreError::NotFound)
    }

    /// The village's problems, the latest first.
    pub async fn list_needs(&self, village: Uuid) -> Result<Vec<Need>> {
        let sql = format!(
            "SELECT {NEED_COLUMNS} {NEED_FROM} WHERE n.village_id = $1 \
             ORDER BY n.created_at DESC, n.id DESC LIMIT 500"
        );
        Ok(read!(self, |pool| {
            sqlx::query_as(AssertSqlSafe(sql))
                .bind(village)
                .fetch_all(pool)
                .await
        })?)
    }

    /// Problems listed a season ago or longer that no proposal answers yet, oldest first.
    pub async fn needs_waiting(&self, village: Uuid, at: DateTime<Utc>) -> Result<Vec<Need>> {
        let sql = format!(
            "SELECT {NEED_COLUMNS} {NEED_FROM} WHERE n.village_id = $1 AND n.created_at <= $2 \
             AND NOT EXISTS (SELECT 1 FROM proposal_needs pn WHERE pn.need_id = n.id) \
             ORDER BY n.created_at, n.id LIMIT 100"
        );
        let before = at - Duration::days(SEASON_DAYS);
        Ok(read!(self, |pool| {
            sqlx::query_as(AssertSqlSafe(sql))
                .bind(village)
                .bind(before)
                .fetch_all(pool)
                .await
        })?)
    }

    /// How many problems the village listed, how many a proposal answers, and how many
    /// have waited a season or longer without one.
    pub async fn need_tally(&self, village: Uuid, at: DateTime<Utc>) -> Result<NeedTally> {
        let before = at - Duration::days(SEASON_DAYS);
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT COUNT(*) AS recorded, \
                 COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM proposal_needs pn WHERE pn.need_id = n.id)) AS answered, \
                 COUNT(*) FILTER (WHERE n.created_at <= $2 \
                     AND NOT EXISTS (SELECT 1 FROM proposal_needs pn WHERE pn.need_id = n.id)) AS waiting \
                 FROM needs n WHERE n.village_id = $1",
            )
            .bind(village)
            .bind(before)
            .fetch_one(pool)
            .await
        })?)
    }

    /// The proposals that answer a problem, or the problems a proposal answers.
    pub async fn answers(&self, need: Option<Uuid>, proposal: Option<Uuid>) -> Result<Vec<Answer>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT n.id AS need_id, n.title AS need_title, p.number, p.title, p.status \
                 FROM proposal_needs pn JOIN needs n ON n.id = pn.need_id JOIN proposals p ON p.id = pn.proposal_id \
                 WHERE ($1 IS NULL OR pn.need_id = $1) AND ($2 IS NULL OR pn.proposal_id = $2) \
                 ORDER BY pn.created_at, p.number",
            )
            .bind(need)
            .bind(proposal)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Links a proposal of the same village to a problem it answers; linking twice is one link.
    pub async fn link_need(&self, need: &Need, proposal: Uuid, actor: Uuid) -> Result<()> {
        let at = now();
        change!(self, |tx| {
            let added = sqlx::query(
                "INSERT INTO proposal_needs (need_id, proposal_id, created_by, created_at) \
                 SELECT $1, p.id, $3, $4 FROM proposals p WHERE p.id = $2 AND p.village_id = $5 \
                 ON CONFLICT (need_id, proposal_id) DO NOTHING",
            )
            .bind(need.id)
            .bind(proposal)
            .bind(actor)
            .bind(at)
            .bind(need.village_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let entry = (added > 0).then(|| {
                audit::entry!(actor: Some(actor), village: Some(need.village_id), entity: "need",
                    id: need.id.to_string(), action: "link_proposal", before: None,
                    after: Some(serde_json::json!({ "proposal": proposal })))
            });
            ((), entry)
        })
    }

    /// Takes a proposal off a problem; nothing to take off is not an error.
    pub async fn unlink_need(&self, need: &Need, proposal: Uuid, actor: Uuid) -> Result<()> {
        change!(self, |tx| {
            let removed =
                sqlx::query("DELETE FROM proposal_needs WHERE need_id = $1 AND proposal_id = $2")
                    .bind(need.id)
                    .bind(proposal)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            let entry = (removed > 0).then(|| {
                audit::entry!(actor: Some(actor), village: Some(need.village_id), entity: "need",
                    id: need.id.to_string(), action: "unlink_proposal",
                    before: Some(serde_json::json!({ "proposal": proposal })), after: None)
            });
            ((), entry)
        })
    }

    /// Records a figure measured after; the handler checked it against the problem.
    pub async fn add_need_measure(
        &self,
        need: &Need,
        m: &CheckedMeasure,
        actor: Uuid,
    ) -> Result<()> {
        let id = new_id();
        let at = now();
        change!(self, |tx| {
            sqlx::query(
                "INSERT INTO need_measures (id, need_id, count, measured_on, note, recorded_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(need.id)
            .bind(m.count)
            .bind(m.measured_on)
            .bind(&m.note)
            .bind(actor)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let entry = audit::entry!(actor: Some(actor), village: Some(need.village_id), entity: "need",
            id: need.id.to_string(), action: "measure", before: None,
            after: Some(serde_json::json!({
                "count": m.count, "measured_on": m.measured_on, "note": m.note,
            })));
            ((), entry)
        })
    }

    /// A problem's figures measured after, the latest first, with who recorded them.
    pub async fn need_measures(&self, need: Uuid) -> Result<Vec<Measure>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT m.count, m.measured_on, m.note, u.name AS recorded_by, m.created_at \
                 FROM need_measures m LEFT JOIN users u ON u.id = m.recorded_by \
                 WHERE m.need_id = $1 ORDER BY m.measured_on DESC, m.created_at DESC",
            )
            .bind(need)
            .fetch_all(pool)
            .await
        })?)
    }

    /// The village's problems with a baseline that a proposal answers, before and after;
    /// the measured ones first, then by title.
    pub async fn impact(&self, village: Uuid) -> Result<Vec<ImpactRow>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT n.id, n.title, n.hamlet, n.affected_unit AS unit, n.affected_count AS before, \
                 (SELECT m.count FROM need_measures m WHERE m.need_id = n.id \
                     ORDER BY m.measured_on DESC, m.created_at DESC LIMIT 1) AS after, \
                 (SELECT MAX(m.measured_on) FROM need_measures m WHERE m.need_id = n.id) AS measured_on, \
                 COUNT(p.id) AS proposals, \
                 COUNT(p.id) FILTER (WHERE p.status IN ('completed', 'evaluated')) AS done \
                 FROM needs n JOIN proposal_needs pn ON pn.need_id = n.id \
                 JOIN proposals p ON p.id = pn.proposal_id \
                 WHERE n.village_id = $1 AND n.affected_count IS NOT NULL \
                 GROUP BY n.id, n.title, n.hamlet, n.affected_unit, n.affected_count \
                 ORDER BY (SELECT COUNT(*) FROM need_measures m WHERE m.need_id = n.id) = 0, lower(n.title) \
                 LIMIT 500",
            )
            .bind(village)
            .fetch_all(pool)
            .await
        })?)
    }
}
