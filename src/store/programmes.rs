//! Programmes brought into the village in a plan's year (see [`crate::domain::programme`]).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Result, StoreError, audit, change, new_id, now, read};
use crate::domain::programme::NewProgramme;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Programme {
    pub id: Uuid,
    pub name: String,
    pub giver: String,
    pub agency: String,
    pub amount: i64,
    pub location: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Refuses a change to the programmes of a plan that is set (or not the village's).
macro_rules! only_open_plan {
    ($tx:expr, $village:expr, $plan:expr) => {{
        let status: Option<String> =
            sqlx::query_scalar("SELECT status FROM plans WHERE id = $1 AND village_id = $2")
                .bind($plan)
                .bind($village)
                .fetch_optional(&mut *$tx)
                .await?;
        match status.as_deref() {
            None => return Err(StoreError::NotFound),
            Some("adopted") => return Err(StoreError::Finalized),
            Some(_) => {}
        }
    }};
}

impl super::Store {
    pub async fn programmes(&self, plan: Uuid) -> Result<Vec<Programme>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, name, giver, agency, amount, location, created_at FROM plan_programmes \
                 WHERE plan_id = $1 ORDER BY giver, name, id LIMIT 500",
            )
            .bind(plan)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Adds a programme to a plan not yet set.
    pub async fn add_programme(
        &self,
        village: Uuid,
        plan: Uuid,
        p: &NewProgramme,
        actor: Uuid,
    ) -> Result<Uuid> {
        let id = new_id();
        let at = now();
        change!(self, |tx| {
            only_open_plan!(tx, village, plan);
            sqlx::query(
                "INSERT INTO plan_programmes (id, plan_id, name, giver, agency, amount, location, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id)
            .bind(plan)
            .bind(&p.name)
            .bind(&p.giver)
            .bind(&p.agency)
            .bind(p.amount)
            .bind(&p.location)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let after = serde_json::json!({
                "name": p.name, "giver": p.giver, "agency": p.agency, "amount": p.amount, "location": p.location,
            });
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "plan",
                id: plan.to_string(), action: "programme", before: None, after: Some(after));
            (id, entry)
        })
    }

    /// Removes a programme from a plan not yet set.
    pub async fn delete_programme(
        &self,
        village: Uuid,
        plan: Uuid,
        id: Uuid,
        actor: Uuid,
    ) -> Result<()> {
        change!(self, |tx| {
            only_open_plan!(tx, village, plan);
            let n = sqlx::query("DELETE FROM plan_programmes WHERE id = $1 AND plan_id = $2")
                .bind(id)
                .bind(plan)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let before = serde_json::json!({ "programme": id });
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "plan",
                id: plan.to_string(), action: "programme_delete", before: Some(before), after: None);
            ((), entry)
        })
    }
}
