//! A kabupaten's own due dates for the planning year (its Perbup), for all its villages.

use uuid::Uuid;

use super::{Result, StoreError, audit, change, now, read};
use crate::domain::calendar::{Override, StageKind};

/// One stage's date as a kabupaten set it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlanningDate {
    pub kabupaten: String,
    pub stage: String,
    pub month: i64,
    pub day: i64,
    pub source: String,
}

/// How villages and dates match a kabupaten: case and spaces aside.
pub fn kabupaten_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl super::Store {
    /// The dates kabupaten `kabupaten` set (none for a village without one).
    pub async fn planning_dates_of(&self, kabupaten: Option<&str>) -> Result<Vec<Override>> {
        let Some(key) = kabupaten.map(kabupaten_key).filter(|k| !k.is_empty()) else {
            return Ok(Vec::new());
        };
        let rows: Vec<(String, i64, i64)> = read!(self, |pool| {
            sqlx::query_as("SELECT stage, month, day FROM planning_dates WHERE kabupaten_key = $1")
                .bind(&key)
                .fetch_all(pool)
                .await
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(stage, month, day)| {
                Some(Override {
                    stage: StageKind::parse(&stage)?,
                    month: u32::try_from(month).ok()?,
                    day: u32::try_from(day).ok()?,
                })
            })
            .collect())
    }

    /// Every kabupaten's dates, by kabupaten.
    pub async fn all_planning_dates(&self) -> Result<Vec<PlanningDate>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT kabupaten, stage, month, day, source FROM planning_dates \
                 ORDER BY kabupaten_key, stage LIMIT 2000",
            )
            .fetch_all(pool)
            .await
        })?)
    }

    /// Sets (or replaces) one stage's date for a kabupaten.
    pub async fn save_planning_date(
        &self,
        kabupaten: &str,
        o: &Override,
        source: &str,
        actor: Uuid,
    ) -> Result<()> {
        let key = kabupaten_key(kabupaten);
        let at = now();
        change!(self, |tx| {
            sqlx::query(
                "INSERT INTO planning_dates (kabupaten_key, kabupaten, stage, month, day, source, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (kabupaten_key, stage) DO UPDATE SET \
                 kabupaten = $2, month = $4, day = $5, source = $6, updated_at = $7",
            )
            .bind(&key)
            .bind(kabupaten.trim())
            .bind(o.stage.code())
            .bind(i64::from(o.month))
            .bind(i64::from(o.day))
            .bind(source)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let after = serde_json::json!({
                "kabupaten": kabupaten.trim(), "stage": o.stage.code(), "month": o.month,
                "day": o.day, "source": source,
            });
            let entry = audit::entry!(actor: Some(actor), village: None, entity: "planning_date",
                id: format!("{key}/{}", o.stage.code()), action: "save", before: None, after: Some(after));
            ((), entry)
        })
    }

    /// Removes a kabupaten's date for a stage: the default holds again.
    pub async fn delete_planning_date(
        &self,
        kabupaten: &str,
        stage: StageKind,
        actor: Uuid,
    ) -> Result<()> {
        let key = kabupaten_key(kabupaten);
        change!(self, |tx| {
            let n =
                sqlx::query("DELETE FROM planning_dates WHERE kabupaten_key = $1 AND stage = $2")
                    .bind(&key)
                    .bind(stage.code())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let entry = audit::entry!(actor: Some(actor), village: None, entity: "planning_date",
                id: format!("{key}/{}", stage.code()), action: "delete", before: None, after: None);
            ((), entry)
        })
    }
}
