//! The Tim Penyusun RKP Desa of a plan.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{OrStale, Result, StoreError, audit, change, now, read};
use crate::domain::tim::{Member, Tim};

#[derive(Debug, Clone)]
pub struct StoredTim {
    pub sk_number: String,
    pub sk_date: NaiveDate,
    pub members: Vec<Member>,
    pub version: i64,
}

impl super::Store {
    pub async fn tim(&self, plan: Uuid) -> Result<Option<StoredTim>> {
        let row: Option<(String, NaiveDate, String, i64)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT sk_number, sk_date, members, version FROM tim_penyusun WHERE plan_id = $1",
            )
            .bind(plan)
            .fetch_optional(pool)
            .await
        })?;
        row.map(|(sk_number, sk_date, members, version)| {
            let members = serde_json::from_str(&members)
                .map_err(|e| StoreError::Config(format!("team unreadable: {e}")))?;
            Ok(StoredTim {
                sk_number,
                sk_date,
                members,
                version,
            })
        })
        .transpose()
    }

    /// Records the team (`version` 0: the first time) while the plan is not set; a form
    /// made before someone else saved is stale.
    pub async fn save_tim(
        &self,
        village: Uuid,
        plan: Uuid,
        tim: &Tim,
        version: i64,
        actor: Uuid,
    ) -> Result<()> {
        let at = now();
        let members = serde_json::to_string(&tim.members)
            .map_err(|e| StoreError::Config(format!("team not serializable: {e}")))?;
        change!(self, |tx| {
            let status: Option<String> =
                sqlx::query_scalar("SELECT status FROM plans WHERE id = $1 AND village_id = $2")
                    .bind(plan)
                    .bind(village)
                    .fetch_optional(&mut *tx)
                    .await?;
            match status.as_deref() {
                None => return Err(StoreError::NotFound),
                Some("adopted") => return Err(StoreError::Finalized),
                Some(_) => {}
            }
            let written = if version == 0 {
                sqlx::query(
                    "INSERT INTO tim_penyusun (plan_id, sk_number, sk_date, members, version, updated_at) \
                     VALUES ($1, $2, $3, $4, 1, $5) ON CONFLICT (plan_id) DO NOTHING",
                )
                .bind(plan)
                .bind(&tim.sk_number)
                .bind(tim.sk_date)
                .bind(&members)
                .bind(at)
                .execute(&mut *tx)
                .await?
            } else {
                sqlx::query(
                    "UPDATE tim_penyusun SET sk_number = $1, sk_date = $2, members = $3, version = version + 1, \
                     updated_at = $4 WHERE plan_id = $5 AND version = $6",
                )
                .bind(&tim.sk_number)
                .bind(tim.sk_date)
                .bind(&members)
                .bind(at)
                .bind(plan)
                .bind(version)
                .execute(&mut *tx)
                .await?
            };
            written.or_stale()?;
            let after = serde_json::json!({
                "sk_number": tim.sk_number, "sk_date": tim.sk_date, "members": tim.members,
            });
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "plan",
                id: plan.to_string(), action: "tim_penyusun", before: None, after: Some(after));
            ((), entry)
        })
    }
}
