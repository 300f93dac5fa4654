//! The village's cadres (motors of change) and the proposals they drive.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{OrStale, Result, StoreError, audit, change, duplicate_on, new_id, now, read};
use crate::domain::cadre::CheckedCadre;

/// A cadre as listed, with their group's name and how many proposals they drive.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Cadre {
    pub id: Uuid,
    pub village_id: Uuid,
    pub name: String,
    pub role: String,
    pub hamlet: Option<String>,
    pub group_id: Option<Uuid>,
    pub group_name: Option<String>,
    pub since_year: Option<i64>,
    pub started: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub proposals: i64,
}

/// A proposal a cadre drives.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Driven {
    pub number: String,
    pub title: String,
    pub status: String,
}

const COLUMNS: &str = "SELECT c.id, c.village_id, c.name, c.role, c.hamlet, c.group_id, g.name AS group_name, \
     c.since_year, c.started, c.version, c.created_at, \
     (SELECT COUNT(*) FROM proposal_drivers d WHERE d.cadre_id = c.id) AS proposals \
     FROM cadres c LEFT JOIN stakeholder_groups g ON g.id = c.group_id";

fn audit_view(c: &CheckedCadre) -> serde_json::Value {
    serde_json::json!({
        "name": c.name, "role": c.role, "hamlet": c.hamlet, "group": c.group,
        "since_year": c.since_year, "started": c.started,
    })
}

impl super::Store {
    pub async fn create_cadre(&self, village: Uuid, c: &CheckedCadre, actor: Uuid) -> Result<Uuid> {
        let id = new_id();
        let at = now();
        change!(self, |tx| {
            sqlx::query(
                "INSERT INTO cadres (id, village_id, name, role, hamlet, group_id, since_year, started, \
                 created_by, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10)",
            )
            .bind(id)
            .bind(village)
            .bind(&c.name)
            .bind(&c.role)
            .bind(&c.hamlet)
            .bind(c.group)
            .bind(c.since_year)
            .bind(&c.started)
            .bind(actor)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(|e| duplicate_on(e, &["name"]))?;
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "cadre",
                id: id.to_string(), action: "create", before: None, after: Some(audit_view(c)));
            (id, entry)
        })
    }

    /// Changes a cadre if nobody changed them since `version`.
    pub async fn update_cadre(
        &self,
        before: &Cadre,
        version: i64,
        c: &CheckedCadre,
        actor: Uuid,
    ) -> Result<()> {
        let at = now();
        change!(self, |tx| {
            sqlx::query(
                "UPDATE cadres SET name = $1, role = $2, hamlet = $3, group_id = $4, since_year = $5, started = $6, \
                 version = version + 1, updated_at = $7 WHERE id = $8 AND village_id = $9 AND version = $10",
            )
            .bind(&c.name)
            .bind(&c.role)
            .bind(&c.hamlet)
            .bind(c.group)
            .bind(c.since_year)
            .bind(&c.started)
            .bind(at)
            .bind(before.id)
            .bind(before.village_id)
            .bind(version)
            .execute(&mut *tx)
            .await
            .map_err(|e| duplicate_on(e, &["name"]))?
            .or_stale()?;
            let old = serde_json::to_value(before).unwrap_or_default();
            let entry = audit::entry!(actor: Some(actor), village: Some(before.village_id), entity: "cadre",
                id: before.id.to_string(), action: "edit", before: Some(old), after: Some(audit_view(c)));
            ((), entry)
        })
    }

    pub async fn cadre(&self, village: Uuid, id: Uuid) -> Result<Cadre> {
        let found: Option<Cadre> = read!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{COLUMNS} WHERE c.village_id = $1 AND c.id = $2"
            )))
            .bind(village)
            .bind(id)
            .fetch_optional(pool)
            .await
        })?;
        found.ok_or(StoreError::NotFound)
    }

    /// The village's cadres by name.
    pub async fn list_cadres(&self, village: Uuid) -> Result<Vec<Cadre>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{COLUMNS} WHERE c.village_id = $1 ORDER BY lower(c.name) LIMIT 500"
            )))
            .bind(village)
            .fetch_all(pool)
            .await
        })?)
    }

    /// The proposals a cadre drives, the latest first.
    pub async fn driven_by(&self, cadre: Uuid) -> Result<Vec<Driven>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT p.number, p.title, p.status FROM proposal_drivers d JOIN proposals p ON p.id = d.proposal_id \
                 WHERE d.cadre_id = $1 ORDER BY p.created_at DESC",
            )
            .bind(cadre)
            .fetch_all(pool)
            .await
        })?)
    }

    /// The cadre who drives a proposal, if one is named: (id, name, role).
    pub async fn driver_of(&self, proposal: Uuid) -> Result<Option<(Uuid, String, String)>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT c.id, c.name, c.role FROM proposal_drivers d JOIN cadres c ON c.id = d.cadre_id \
                 WHERE d.proposal_id = $1",
            )
            .bind(proposal)
            .fetch_optional(pool)
            .await
        })?)
    }

    /// Names the cadre (of the proposal's village) who drives a proposal, or none; naming
    /// the one already named changes nothing.
    pub async fn set_driver(
        &self,
        village: Uuid,
        proposal: Uuid,
        cadre: Option<Uuid>,
        actor: Uuid,
    ) -> Result<()> {
        let at = now();
        change!(self, |tx| {
            let now_named: Option<Uuid> =
                sqlx::query_scalar("SELECT cadre_id FROM proposal_drivers WHERE proposal_id = $1")
                    .bind(proposal)
                    .fetch_optional(&mut *tx)
                    .await?;
            if now_named == cadre {
                return Ok(());
            }
            sqlx::query("DELETE FROM proposal_drivers WHERE proposal_id = $1")
                .bind(proposal)
                .execute(&mut *tx)
                .await?;
            if let Some(cadre) = cadre {
                sqlx::query(
                    "INSERT INTO proposal_drivers (proposal_id, cadre_id, created_by, created_at) \
                     SELECT $1, c.id, $3, $4 FROM cadres c WHERE c.id = $2 AND c.village_id = $5",
                )
                .bind(proposal)
                .bind(cadre)
                .bind(actor)
                .bind(at)
                .bind(village)
                .execute(&mut *tx)
                .await?;
            }
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "proposal",
                id: proposal.to_string(), action: "driver",
                before: Some(serde_json::json!({ "cadre": now_named })),
                after: Some(serde_json::json!({ "cadre": cadre })));
            ((), Some(entry))
        })
    }
}
