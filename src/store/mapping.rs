//! What the mapping questions keep beside a group's profile: its history as dated entries
//! (question 7), and the member villages of an inter-village body.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Result, StoreError, audit, change, duplicate_on, new_id, now, read};
use crate::domain::FieldErrors;
use crate::domain::mapping::{HistoryEntry, MemberVillage, has_member_villages};

/// One entry of a group's history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryRow {
    pub id: Uuid,
    pub year: i64,
    pub change: String,
    pub what: String,
    pub why: Option<String>,
    pub members: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// A member village of an inter-village body; `slug` when it is a village of this
/// installation in the same kabupaten, so its page can be linked.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberVillageRow {
    pub id: Uuid,
    pub name: String,
    pub kecamatan: Option<String>,
    pub slug: Option<String>,
}

/// Which of a village's rows a removal names: the row must belong to this group of it.
const OF_GROUP: &str = "id = $1 AND group_id = $2 AND village_id = $3";

impl super::Store {
    pub async fn add_history(
        &self,
        village: Uuid,
        group: Uuid,
        h: &HistoryEntry,
        actor: Uuid,
    ) -> Result<Uuid> {
        let id = new_id();
        let at = now();
        change!(self, |tx| {
            sqlx::query(
                "INSERT INTO group_history (id, village_id, group_id, year, change, what, why, members, \
                 created_by, created_at) SELECT $1, village_id, id, $2, $3, $4, $5, $6, $7, $8 \
                 FROM stakeholder_groups WHERE id = $9 AND village_id = $10",
            )
            .bind(id)
            .bind(h.year)
            .bind(&h.change)
            .bind(&h.what)
            .bind(&h.why)
            .bind(h.members)
            .bind(actor)
            .bind(at)
            .bind(group)
            .bind(village)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            .eq(&1)
            .then_some(())
            .ok_or(StoreError::NotFound)?;
            let after = serde_json::json!({
                "group": group, "year": h.year, "change": h.change, "what": h.what, "why": h.why,
                "members": h.members,
            });
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "group_history",
                id: id.to_string(), action: "create", before: None, after: Some(after));
            (id, entry)
        })
    }

    /// Takes back an entry recorded by mistake (kept in the audit log).
    pub async fn remove_history(
        &self,
        village: Uuid,
        group: Uuid,
        id: Uuid,
        actor: Uuid,
    ) -> Result<()> {
        self.remove_of_group("group_history", village, group, id, actor)
            .await
    }

    /// A group's history, oldest first.
    pub async fn history(&self, group: Uuid) -> Result<Vec<HistoryRow>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, year, change, what, why, members, created_at FROM group_history \
                 WHERE group_id = $1 ORDER BY year, created_at LIMIT 500",
            )
            .bind(group)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Adds a member village to an inter-village body; refused for a group of any other
    /// kind, as the group stands in the database now.
    pub async fn add_member_village(
        &self,
        village: Uuid,
        group: Uuid,
        m: &MemberVillage,
        actor: Uuid,
    ) -> Result<Uuid> {
        let id = new_id();
        let at = now();
        change!(self, |tx| {
            let kind: Option<String> = sqlx::query_scalar(
                "SELECT kind FROM stakeholder_groups WHERE id = $1 AND village_id = $2",
            )
            .bind(group)
            .bind(village)
            .fetch_optional(&mut *tx)
            .await?;
            let kind = kind.ok_or(StoreError::NotFound)?;
            if !has_member_villages(&kind) {
                let mut e = FieldErrors::new();
                e.add("village", "error.member_villages_kind");
                return Err(StoreError::Invalid(e));
            }
            sqlx::query(
                "INSERT INTO group_villages (id, village_id, group_id, name, kecamatan, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(village)
            .bind(group)
            .bind(&m.name)
            .bind(&m.kecamatan)
            .bind(actor)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(|e| duplicate_on(e, &["name"]))?;
            let after =
                serde_json::json!({ "group": group, "name": m.name, "kecamatan": m.kecamatan });
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "group_village",
                id: id.to_string(), action: "create", before: None, after: Some(after));
            (id, entry)
        })
    }

    pub async fn remove_member_village(
        &self,
        village: Uuid,
        group: Uuid,
        id: Uuid,
        actor: Uuid,
    ) -> Result<()> {
        self.remove_of_group("group_villages", village, group, id, actor)
            .await
    }

    /// An inter-village body's member villages by name.
    pub async fn member_villages(&self, group: Uuid) -> Result<Vec<MemberVillageRow>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT m.id, m.name, m.kecamatan, (SELECT v.slug FROM villages v, villages own \
                 WHERE own.id = m.village_id AND lower(v.kabupaten) = lower(own.kabupaten) \
                 AND lower(m.name) IN (lower(v.name), 'desa ' || lower(v.name), \
                 CASE WHEN lower(v.name) LIKE 'desa %' THEN substr(lower(v.name), 6) END) \
                 ORDER BY v.slug LIMIT 1) AS slug \
                 FROM group_villages m WHERE m.group_id = $1 ORDER BY lower(m.name) LIMIT 500",
            )
            .bind(group)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Deletes one row of a group's `table` (a module constant, never input), audited.
    async fn remove_of_group(
        &self,
        table: &'static str,
        village: Uuid,
        group: Uuid,
        id: Uuid,
        actor: Uuid,
    ) -> Result<()> {
        let sql = format!("DELETE FROM {table} WHERE {OF_GROUP}");
        change!(self, |tx| {
            let n = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(id)
                .bind(group)
                .bind(village)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: table,
                id: id.to_string(), action: "delete", before: None, after: None);
            ((), entry)
        })
    }
}
