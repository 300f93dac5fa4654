//! The village's standing items of bidang 01 (see [`crate::domain::standing`]).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Result, StoreError, audit, change, new_id, now, read};
use crate::domain::standing::{NewStanding, Standing};

/// A standing item as stored: the item, its years and its version.
#[derive(Debug, Clone)]
pub struct StoredStanding {
    pub item: Standing,
    pub from_year: i64,
    pub to_year: Option<i64>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

impl StoredStanding {
    pub fn carried_in(&self, year: i64) -> bool {
        self.from_year <= year && self.to_year.is_none_or(|t| t >= year)
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct Row {
    id: Uuid,
    sub_bidang: String,
    kegiatan: String,
    code: Option<String>,
    volume: Option<String>,
    cost: i64,
    source: String,
    focus: Option<String>,
    pelaksana: Option<String>,
    from_year: i64,
    to_year: Option<i64>,
    version: i64,
    updated_at: DateTime<Utc>,
}

impl Row {
    pub(crate) fn stored(self) -> StoredStanding {
        StoredStanding {
            item: Standing {
                id: self.id,
                sub_bidang: self.sub_bidang,
                kegiatan: self.kegiatan,
                code: self.code,
                volume: self.volume.unwrap_or_default(),
                cost: self.cost,
                source: self.source,
                focus: self.focus,
                pelaksana: self.pelaksana,
            },
            from_year: self.from_year,
            to_year: self.to_year,
            version: self.version,
            updated_at: self.updated_at,
        }
    }
}

pub(crate) const STANDING_COLUMNS: &str = "SELECT id, sub_bidang, kegiatan, code, volume, cost, source, focus, pelaksana, \
     from_year, to_year, version, updated_at FROM standing_items";

/// The standing items village `$village` carries into the plan `$plan`'s year, read with
/// `$exec`, in sub-bidang order.
macro_rules! standing_of_plan {
    ($exec:expr, $village:expr, $plan:expr) => {{
        let sql = format!(
            "{} WHERE village_id = $1 AND from_year <= (SELECT year FROM plans WHERE id = $2) \
             AND (to_year IS NULL OR to_year >= (SELECT year FROM plans WHERE id = $2)) \
             ORDER BY sub_bidang, kegiatan, id",
            $crate::store::standing::STANDING_COLUMNS
        );
        let rows: Vec<$crate::store::standing::Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind($village)
            .bind($plan)
            .fetch_all(&mut *$exec)
            .await?;
        rows.into_iter()
            .map(|r| r.stored().item)
            .collect::<Vec<_>>()
    }};
}
pub(crate) use standing_of_plan;

/// Binds a standing item's fields, `$1` to `$9`, to `$query`.
macro_rules! bind_fields {
    ($query:expr, $s:expr) => {
        $query
            .bind(&$s.item.sub_bidang)
            .bind(&$s.item.kegiatan)
            .bind(Some(&$s.item.volume).filter(|v| !v.is_empty()))
            .bind($s.item.cost)
            .bind(&$s.item.source)
            .bind(&$s.item.focus)
            .bind(&$s.item.pelaksana)
            .bind($s.from_year)
            .bind($s.to_year)
    };
}

fn json(s: &NewStanding) -> serde_json::Value {
    serde_json::json!({
        "sub_bidang": s.item.sub_bidang, "kegiatan": s.item.kegiatan, "code": s.item.code, "volume": s.item.volume,
        "cost": s.item.cost, "source": s.item.source, "focus": s.item.focus,
        "pelaksana": s.item.pelaksana, "from_year": s.from_year, "to_year": s.to_year,
    })
}

impl super::Store {
    /// Every standing item of the village, in sub-bidang order, the latest years first.
    pub async fn standing_items(&self, village: Uuid) -> Result<Vec<StoredStanding>> {
        let sql = format!(
            "{STANDING_COLUMNS} WHERE village_id = $1 ORDER BY sub_bidang, from_year DESC, kegiatan, id LIMIT 500"
        );
        let rows: Vec<Row> = read!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(village)
                .fetch_all(pool)
                .await
        })?;
        Ok(rows.into_iter().map(Row::stored).collect())
    }

    pub async fn standing_item(&self, village: Uuid, id: Uuid) -> Result<StoredStanding> {
        let sql = format!("{STANDING_COLUMNS} WHERE village_id = $1 AND id = $2");
        let row: Option<Row> = read!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(village)
                .bind(id)
                .fetch_optional(pool)
                .await
        })?;
        row.map(Row::stored).ok_or(StoreError::NotFound)
    }

    pub async fn add_standing(&self, village: Uuid, s: &NewStanding, actor: Uuid) -> Result<Uuid> {
        let id = new_id();
        let at = now();
        change!(self, |tx| {
            let insert = sqlx::query(
                "INSERT INTO standing_items (id, village_id, sub_bidang, kegiatan, volume, cost, source, focus, \
                 pelaksana, from_year, to_year, version, created_at, updated_at, code) \
                 VALUES ($10, $11, $1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $12, $12, $13)",
            );
            bind_fields!(insert, s)
                .bind(id)
                .bind(village)
                .bind(at)
                .bind(&s.item.code)
                .execute(&mut *tx)
                .await?;
            let after = json(s);
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "standing_item",
                id: id.to_string(), action: "create", before: None, after: Some(after));
            (id, entry)
        })
    }

    /// Changes a standing item; a form made before someone else saved is stale.
    pub async fn update_standing(
        &self,
        village: Uuid,
        id: Uuid,
        s: &NewStanding,
        version: i64,
        actor: Uuid,
    ) -> Result<()> {
        let at = now();
        change!(self, |tx| {
            let update = sqlx::query(
                "UPDATE standing_items SET sub_bidang = $1, kegiatan = $2, volume = $3, cost = $4, source = $5, \
                 focus = $6, pelaksana = $7, from_year = $8, to_year = $9, version = version + 1, updated_at = $10, code = $14 \
                 WHERE id = $11 AND village_id = $12 AND version = $13",
            );
            let n = bind_fields!(update, s)
                .bind(at)
                .bind(id)
                .bind(village)
                .bind(version)
                .bind(&s.item.code)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                let exists: bool = sqlx::query_scalar(
                    "SELECT EXISTS (SELECT 1 FROM standing_items WHERE id = $1 AND village_id = $2)",
                )
                .bind(id)
                .bind(village)
                .fetch_one(&mut *tx)
                .await?;
                return Err(if exists {
                    StoreError::Stale
                } else {
                    StoreError::NotFound
                });
            }
            let after = json(s);
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "standing_item",
                id: id.to_string(), action: "update", before: None, after: Some(after));
            ((), entry)
        })
    }

    /// Removes a standing item entered by mistake (plans already tabled keep it).
    pub async fn delete_standing(&self, village: Uuid, id: Uuid, actor: Uuid) -> Result<()> {
        change!(self, |tx| {
            let n = sqlx::query("DELETE FROM standing_items WHERE id = $1 AND village_id = $2")
                .bind(id)
                .bind(village)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "standing_item",
                id: id.to_string(), action: "delete", before: None, after: None);
            ((), entry)
        })
    }
}
