//! Stakeholder groups of a village.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{OrStale, Result, StoreError, audit, change, duplicate_on, new_id, now, read};
use crate::domain::group::CheckedGroup;

/// A group as the public sees it: no contact details.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GroupSummary {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub vulnerable: bool,
    pub members: Option<i64>,
}

/// A whole group, contact details included: for the village's officials and facilitators.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Group {
    pub id: Uuid,
    pub village_id: Uuid,
    pub name: String,
    pub kind: String,
    pub vulnerable: bool,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub members: Option<i64>,
    pub since_year: Option<i64>,
    pub relation: String,
    /// Comma-separated role codes.
    pub roles: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Group {
    pub fn role_list(&self) -> Vec<&str> {
        self.roles.split(',').filter(|r| !r.is_empty()).collect()
    }
}

/// What is needed to record a new group.
pub type NewGroup = CheckedGroup;

const GROUP_COLUMNS: &str = "id, village_id, name, kind, vulnerable, contact_name, contact_phone, members, \
     since_year, relation, roles, version, created_at, updated_at";

fn audit_view(g: &CheckedGroup) -> serde_json::Value {
    serde_json::json!({
        "name": g.name, "kind": g.kind, "vulnerable": g.vulnerable, "contact_name": g.contact_name,
        "members": g.members, "since_year": g.since_year, "relation": g.relation, "roles": g.roles,
    })
}

impl super::Store {
    pub async fn create_group(
        &self,
        village: Uuid,
        g: &NewGroup,
        actor: Option<Uuid>,
    ) -> Result<Uuid> {
        let id = new_id();
        let at = now();
        change!(self, |tx| {
            sqlx::query(
                "INSERT INTO stakeholder_groups (id, village_id, name, kind, vulnerable, contact_name, contact_phone, \
                 members, since_year, relation, roles, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $12)",
            )
            .bind(id)
            .bind(village)
            .bind(&g.name)
            .bind(&g.kind)
            .bind(g.vulnerable)
            .bind(&g.contact_name)
            .bind(&g.contact_phone)
            .bind(g.members)
            .bind(g.since_year)
            .bind(&g.relation)
            .bind(g.roles.join(","))
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(|e| duplicate_on(e, &["name"]))?;
            let after = audit_view(g);
            let entry = audit::entry!(actor: actor, village: Some(village), entity: "group",
                id: id.to_string(), action: "create", before: None, after: Some(after));
            (id, entry)
        })
    }

    /// Changes a group if nobody changed it since `version`.
    pub async fn update_group(
        &self,
        before: &Group,
        version: i64,
        g: &NewGroup,
        actor: Uuid,
    ) -> Result<()> {
        let at = now();
        change!(self, |tx| {
            sqlx::query(
                "UPDATE stakeholder_groups SET name = $1, kind = $2, vulnerable = $3, contact_name = $4, \
                 contact_phone = $5, members = $6, since_year = $7, relation = $8, roles = $9, \
                 version = version + 1, updated_at = $10 WHERE id = $11 AND village_id = $12 AND version = $13",
            )
            .bind(&g.name)
            .bind(&g.kind)
            .bind(g.vulnerable)
            .bind(&g.contact_name)
            .bind(&g.contact_phone)
            .bind(g.members)
            .bind(g.since_year)
            .bind(&g.relation)
            .bind(g.roles.join(","))
            .bind(at)
            .bind(before.id)
            .bind(before.village_id)
            .bind(version)
            .execute(&mut *tx)
            .await
            .map_err(|e| duplicate_on(e, &["name"]))?
            .or_stale()?;
            let old = serde_json::to_value(before).unwrap_or_default();
            let new = audit_view(g);
            let entry = audit::entry!(actor: Some(actor), village: Some(before.village_id), entity: "group",
                id: before.id.to_string(), action: "edit", before: Some(old), after: Some(new));
            ((), entry)
        })
    }

    /// One group of the village, contact details included (callers decide who sees them).
    pub async fn group(&self, village: Uuid, id: Uuid) -> Result<Group> {
        let sql = format!(
            "SELECT {GROUP_COLUMNS} FROM stakeholder_groups WHERE village_id = $1 AND id = $2"
        );
        let g: Option<Group> = read!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(village)
                .bind(id)
                .fetch_optional(pool)
                .await
        })?;
        g.ok_or(StoreError::NotFound)
    }

    /// The ids of the village's groups, for checking that a form names one of them.
    pub async fn group_ids(&self, village: Uuid) -> Result<Vec<Uuid>> {
        Ok(read!(self, |pool| {
            sqlx::query_scalar("SELECT id FROM stakeholder_groups WHERE village_id = $1")
                .bind(village)
                .fetch_all(pool)
                .await
        })?)
    }

    /// The village's groups by name, without contact details.
    pub async fn list_groups(&self, village: Uuid) -> Result<Vec<GroupSummary>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, name, kind, vulnerable, members FROM stakeholder_groups WHERE village_id = $1 \
                 ORDER BY name LIMIT 500",
            )
            .bind(village)
            .fetch_all(pool)
            .await
        })?)
    }
}
