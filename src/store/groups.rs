//! Stakeholder groups of a village.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{OrStale, Result, StoreError, audit, change, duplicate_on, new_id, now, read};
use crate::domain::group::CheckedGroup;
use crate::domain::mapping::{Profile, has_member_villages};

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
    pub motive: Option<String>,
    pub gains: Option<String>,
    /// Comma-separated bond codes (mapping question 2).
    pub bonds: String,
    pub bond_note: Option<String>,
    pub acts_beyond: Option<String>,
    pub other_matters: Option<String>,
    pub relation_reason: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Group {
    pub fn role_list(&self) -> Vec<&str> {
        self.roles.split(',').filter(|r| !r.is_empty()).collect()
    }

    pub fn bond_list(&self) -> Vec<&str> {
        self.bonds.split(',').filter(|b| !b.is_empty()).collect()
    }

    /// The answers to the mapping questions, as the domain checks them.
    pub fn profile(&self) -> Profile {
        Profile {
            motive: self.motive.clone(),
            gains: self.gains.clone(),
            bonds: self.bond_list().into_iter().map(String::from).collect(),
            bond_note: self.bond_note.clone(),
            acts_beyond: self.acts_beyond.clone(),
            other_matters: self.other_matters.clone(),
            relation_reason: self.relation_reason.clone(),
        }
    }
}

/// What is needed to record a new group.
pub type NewGroup = CheckedGroup;

const GROUP_COLUMNS: &str = "id, village_id, name, kind, vulnerable, contact_name, contact_phone, members, \
     since_year, relation, roles, motive, gains, bonds, bond_note, acts_beyond, other_matters, \
     relation_reason, version, created_at, updated_at";

fn audit_view(g: &CheckedGroup) -> serde_json::Value {
    serde_json::json!({
        "name": g.name, "kind": g.kind, "vulnerable": g.vulnerable, "contact_name": g.contact_name,
        "members": g.members, "since_year": g.since_year, "relation": g.relation, "roles": g.roles,
        "motive": g.profile.motive, "gains": g.profile.gains, "bonds": g.profile.bonds,
        "bond_note": g.profile.bond_note, "acts_beyond": g.profile.acts_beyond,
        "other_matters": g.profile.other_matters, "relation_reason": g.profile.relation_reason,
    })
}

/// Binds a profile's seven columns to `$query`, in the order the statements below name them.
macro_rules! bind_profile {
    ($query:expr, $p:expr) => {{
        let p: &Profile = $p;
        $query
            .bind(p.motive.clone())
            .bind(p.gains.clone())
            .bind(p.bonds.join(","))
            .bind(p.bond_note.clone())
            .bind(p.acts_beyond.clone())
            .bind(p.other_matters.clone())
            .bind(p.relation_reason.clone())
    }};
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
            let query = sqlx::query(
                "INSERT INTO stakeholder_groups (id, village_id, name, kind, vulnerable, contact_name, contact_phone, \
                 members, since_year, relation, roles, motive, gains, bonds, bond_note, acts_beyond, \
                 other_matters, relation_reason, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
                 1, $19, $19)",
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
            .bind(g.roles.join(","));
            bind_profile!(query, &g.profile)
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
            // An inter-village body that lists member villages keeps its kind until they
            // are taken off: another kind has none.
            if !has_member_villages(&g.kind) {
                let members: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM group_villages WHERE group_id = $1")
                        .bind(before.id)
                        .fetch_one(&mut *tx)
                        .await?;
                if members > 0 {
                    let mut e = crate::domain::FieldErrors::new();
                    e.add("kind", "error.kind_has_member_villages");
                    return Err(StoreError::Invalid(e));
                }
            }
            let query = sqlx::query(
                "UPDATE stakeholder_groups SET name = $1, kind = $2, vulnerable = $3, contact_name = $4, \
                 contact_phone = $5, members = $6, since_year = $7, relation = $8, roles = $9, motive = $10, \
                 gains = $11, bonds = $12, bond_note = $13, acts_beyond = $14, other_matters = $15, \
                 relation_reason = $16, version = version + 1, updated_at = $17 \
                 WHERE id = $18 AND village_id = $19 AND version = $20",
            )
            .bind(&g.name)
            .bind(&g.kind)
            .bind(g.vulnerable)
            .bind(&g.contact_name)
            .bind(&g.contact_phone)
            .bind(g.members)
            .bind(g.since_year)
            .bind(&g.relation)
            .bind(g.roles.join(","));
            bind_profile!(query, &g.profile)
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
