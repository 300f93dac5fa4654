//! Relations between a village's groups, and with outside parties.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{Result, StoreError, audit, change, new_id, now, read};
use crate::domain::network::{NewRelation, Other};

/// A relation as listed beside the map.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Relation {
    pub id: Uuid,
    pub from_group: Uuid,
    pub from_name: String,
    pub to_group: Option<Uuid>,
    pub to_name: Option<String>,
    pub outside_name: Option<String>,
    pub outside_kind: Option<String>,
    pub stance: String,
    pub form: Option<String>,
    pub since_year: Option<i64>,
    pub note: Option<String>,
    pub reason: Option<String>,
    pub coordinator: Option<String>,
    pub ends_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

impl Relation {
    /// Whether the tie still holds on `today` (a coalition is over after its end).
    pub fn holds(&self, today: &NaiveDate) -> bool {
        crate::domain::network::holds(self.ends_on, *today)
    }

    /// Whether `group` is one end of it.
    pub fn involves(&self, group: Uuid) -> bool {
        self.from_group == group || self.to_group == Some(group)
    }
}

impl super::Store {
    pub async fn add_relation(&self, village: Uuid, r: &NewRelation, actor: Uuid) -> Result<Uuid> {
        let id = new_id();
        let at = now();
        let coordinator = r.coalition.as_ref().map(|c| c.coordinator.clone());
        let ends_on = r.coalition.as_ref().map(|c| c.ends_on);
        let (to_group, outside_name, outside_kind) = match &r.to {
            Other::Group(g) => (Some(*g), None, None),
            Other::Outside { name, kind } => (None, Some(name.clone()), Some(kind.clone())),
        };
        change!(self, |tx| {
            // Both ends must be groups of this village (the handler checked; this holds it).
            let own: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM stakeholder_groups WHERE village_id = $1 AND (id = $2 OR id = $3)",
            )
            .bind(village)
            .bind(r.from)
            .bind(to_group)
            .fetch_one(&mut *tx)
            .await?;
            if own != 1 + i64::from(to_group.is_some()) {
                return Err(StoreError::NotFound);
            }
            sqlx::query(
                "INSERT INTO group_relations (id, village_id, from_group, to_group, outside_name, outside_kind, stance, \
                 form, since_year, note, reason, coordinator, ends_on, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            )
            .bind(id)
            .bind(village)
            .bind(r.from)
            .bind(to_group)
            .bind(&outside_name)
            .bind(&outside_kind)
            .bind(&r.stance)
            .bind(&r.form)
            .bind(r.since_year)
            .bind(&r.note)
            .bind(&r.reason)
            .bind(&coordinator)
            .bind(ends_on)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let after = serde_json::json!({
                "from": r.from, "to_group": to_group, "outside_name": outside_name, "outside_kind": outside_kind,
                "stance": r.stance, "form": r.form, "since_year": r.since_year, "note": r.note,
                "reason": r.reason, "coordinator": coordinator, "ends_on": ends_on,
            });
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "relation",
                id: id.to_string(), action: "create", before: None, after: Some(after));
            (id, entry)
        })
    }

    pub async fn remove_relation(&self, village: Uuid, id: Uuid, actor: Uuid) -> Result<()> {
        change!(self, |tx| {
            let n = sqlx::query("DELETE FROM group_relations WHERE id = $1 AND village_id = $2")
                .bind(id)
                .bind(village)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "relation",
                id: id.to_string(), action: "delete", before: None, after: None);
            ((), entry)
        })
    }

    pub async fn relations(&self, village: Uuid) -> Result<Vec<Relation>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT r.id, r.from_group, f.name AS from_name, r.to_group, t.name AS to_name, r.outside_name, \
                 r.outside_kind, r.stance, r.form, r.since_year, r.note, r.reason, r.coordinator, r.ends_on, \
                 r.created_at FROM group_relations r \
                 JOIN stakeholder_groups f ON f.id = r.from_group LEFT JOIN stakeholder_groups t ON t.id = r.to_group \
                 WHERE r.village_id = $1 ORDER BY f.name, r.created_at LIMIT 2000",
            )
            .bind(village)
            .fetch_all(pool)
            .await
        })?)
    }
}
