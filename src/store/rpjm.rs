//! The RPJM Desa and its backlog.

use crate::domain::proposal::EventKind;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::Actor;
use super::{OrStale, Result, StoreError, audit, change, new_id, now, read, timeline};
use crate::domain::FieldErrors;
use crate::domain::rpjm::{NewItem, Rpjm, end_year, overlaps};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredRpjm {
    pub id: Uuid,
    pub start_year: i64,
    pub end_year: i64,
    pub vision: String,
    pub mission: String,
    pub perdes_number: Option<String>,
    pub perdes_date: Option<NaiveDate>,
    pub version: i64,
}

impl StoredRpjm {
    pub fn missions(&self) -> impl Iterator<Item = &str> {
        self.mission.lines()
    }
    pub fn covers(&self, year: i64) -> bool {
        (self.start_year..=self.end_year).contains(&year)
    }
}

/// One backlog activity, with the proposal it stands for.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Item {
    pub id: Uuid,
    pub year: i64,
    pub bidang: String,
    pub sub_bidang: Option<String>,
    pub kegiatan: String,
    pub location: Option<String>,
    pub volume: Option<String>,
    pub cost: Option<i64>,
    pub source: Option<String>,
    pub proposal_number: Option<String>,
    pub proposal_status: Option<String>,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
}

const RPJM_COLUMNS: &str =
    "id, start_year, end_year, vision, mission, perdes_number, perdes_date, version";

/// Puts proposal `$proposal` in the backlog of the village's RPJM Desa that covers
/// `$year` (or moves it there); evaluates to the period `(start, end)`, or `None` when no
/// RPJM Desa covers that year.
macro_rules! to_backlog {
    ($tx:expr, village: $village:expr, proposal: $proposal:expr, year: $year:expr, name: $name:expr, at: $at:expr) => {{
        let year: i64 = $year;
        let rpjm: Option<(Uuid, i64, i64)> = sqlx::query_as(
            "SELECT id, start_year, end_year FROM rpjm WHERE village_id = $1 AND start_year <= $2 AND end_year >= $2",
        )
        .bind($village)
        .bind(year)
        .fetch_optional(&mut *$tx)
        .await?;
        match rpjm {
            None => None,
            Some((rpjm, start, end)) => {
                let moved = sqlx::query("UPDATE rpjm_items SET year = $1 WHERE rpjm_id = $2 AND proposal_id = $3")
                    .bind(year)
                    .bind(rpjm)
                    .bind($proposal)
                    .execute(&mut *$tx)
                    .await?
                    .rows_affected();
                if moved == 0 {
                    sqlx::query(
                        "INSERT INTO rpjm_items (id, rpjm_id, year, bidang, sub_bidang, kegiatan, location, volume, \
                         cost, source, proposal_id, created_by_name, created_at) \
                         SELECT $1, $2, $3, p.bidang, p.sub_bidang, p.title, COALESCE(p.location, p.hamlet), NULL, \
                         COALESCE((SELECT MAX(i.cost) FROM plan_items i WHERE i.proposal_id = p.id), p.estimated_cost), \
                         (SELECT MAX(i.source) FROM plan_items i WHERE i.proposal_id = p.id), p.id, $4, $5 \
                         FROM proposals p WHERE p.id = $6",
                    )
                    .bind($crate::store::new_id())
                    .bind(rpjm)
                    .bind(year)
                    .bind($name)
                    .bind($at)
                    .bind($proposal)
                    .execute(&mut *$tx)
                    .await?;
                }
                Some((start, end))
            }
        }
    }};
}
pub(crate) use to_backlog;

impl super::Store {
    /// The village's RPJM Desa, the latest period first.
    pub async fn rpjms(&self, village: Uuid) -> Result<Vec<StoredRpjm>> {
        let sql = format!(
            "SELECT {RPJM_COLUMNS} FROM rpjm WHERE village_id = $1 ORDER BY start_year DESC LIMIT 20"
        );
        Ok(read!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(village)
                .fetch_all(pool)
                .await
        })?)
    }

    /// The backlog of one RPJM Desa, by year.
    pub async fn rpjm_items(&self, rpjm: Uuid) -> Result<Vec<Item>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT i.id, i.year, i.bidang, i.sub_bidang, i.kegiatan, i.location, i.volume, i.cost, i.source, \
                 p.number AS proposal_number, p.status AS proposal_status, i.created_by_name, i.created_at \
                 FROM rpjm_items i LEFT JOIN proposals p ON p.id = i.proposal_id \
                 WHERE i.rpjm_id = $1 ORDER BY i.year, i.bidang, i.created_at, i.id LIMIT 2000",
            )
            .bind(rpjm)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Records a new RPJM Desa (`existing` is `None`) or changes one at `version`. A
    /// period that shares a year with another of the village's is refused; so is a new
    /// start that would leave backlog activities outside the period.
    pub async fn save_rpjm(
        &self,
        village: Uuid,
        existing: Option<(Uuid, i64)>,
        rpjm: &Rpjm,
        actor: Uuid,
    ) -> Result<Uuid> {
        let at = now();
        let (number, date) = rpjm
            .perdes
            .clone()
            .map_or((None, None), |(n, d)| (Some(n), Some(d)));
        change!(self, |tx| {
            let others: Vec<(Uuid, i64)> =
                sqlx::query_as("SELECT id, start_year FROM rpjm WHERE village_id = $1")
                    .bind(village)
                    .fetch_all(&mut *tx)
                    .await?;
            let mut errors = FieldErrors::new();
            if others
                .iter()
                .any(|(id, s)| Some(*id) != existing.map(|e| e.0) && overlaps(*s, rpjm.start_year))
            {
                errors.add("start_year", "rpjm.error.overlap");
            }
            if let Some((id, _)) = existing {
                let outside: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM rpjm_items WHERE rpjm_id = $1 AND (year < $2 OR year > $3)",
                )
                .bind(id)
                .bind(rpjm.start_year)
                .bind(end_year(rpjm.start_year))
                .fetch_one(&mut *tx)
                .await?;
                if outside > 0 {
                    errors.add("start_year", "rpjm.error.items_outside");
                }
            }
            if !errors.is_empty() {
                return Err(StoreError::Invalid(errors));
            }
            let id = match existing {
                None => {
                    let id = new_id();
                    sqlx::query(
                        "INSERT INTO rpjm (id, village_id, start_year, end_year, vision, mission, perdes_number, \
                         perdes_date, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)",
                    )
                    .bind(id)
                    .bind(village)
                    .bind(rpjm.start_year)
                    .bind(end_year(rpjm.start_year))
                    .bind(&rpjm.vision)
                    .bind(&rpjm.mission)
                    .bind(&number)
                    .bind(date)
                    .bind(at)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| super::duplicate_on(e, &["start_year"]))?;
                    id
                }
                Some((id, version)) => {
                    sqlx::query(
                        "UPDATE rpjm SET start_year = $1, end_year = $2, vision = $3, mission = $4, perdes_number = $5, \
                         perdes_date = $6, version = version + 1, updated_at = $7 \
                         WHERE id = $8 AND village_id = $9 AND version = $10",
                    )
                    .bind(rpjm.start_year)
                    .bind(end_year(rpjm.start_year))
                    .bind(&rpjm.vision)
                    .bind(&rpjm.mission)
                    .bind(&number)
                    .bind(date)
                    .bind(at)
                    .bind(id)
                    .bind(village)
                    .bind(version)
                    .execute(&mut *tx)
                    .await?
                    .or_stale()?;
                    id
                }
            };
            let after = serde_json::json!({
                "start_year": rpjm.start_year, "vision": rpjm.vision, "mission": rpjm.mission,
                "perdes_number": number, "perdes_date": date,
            });
            let action = if existing.is_some() {
                "update"
            } else {
                "create"
            };
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "rpjm",
                id: id.to_string(), action: action, before: None, after: Some(after));
            (id, entry)
        })
    }

    /// Adds an activity of the RPJM Desa's own to its backlog.
    pub async fn add_rpjm_item(
        &self,
        village: Uuid,
        rpjm: Uuid,
        item: &NewItem,
        by: &Actor,
    ) -> Result<Uuid> {
        let (actor, actor_name) = (by.id, by.name.as_str());
        let id = new_id();
        let at = now();
        change!(self, |tx| {
            let n = sqlx::query(
                "INSERT INTO rpjm_items (id, rpjm_id, year, bidang, sub_bidang, kegiatan, location, volume, cost, \
                 source, proposal_id, created_by_name, created_at) \
                 SELECT $1, r.id, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10, $11 FROM rpjm r \
                 WHERE r.id = $12 AND r.village_id = $13",
            )
            .bind(id)
            .bind(item.year)
            .bind(&item.bidang)
            .bind(&item.sub_bidang)
            .bind(&item.kegiatan)
            .bind(&item.location)
            .bind(&item.volume)
            .bind(item.cost)
            .bind(&item.source)
            .bind(actor_name)
            .bind(at)
            .bind(rpjm)
            .bind(village)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let after = serde_json::json!({
                "year": item.year, "sub_bidang": item.sub_bidang, "kegiatan": item.kegiatan,
                "cost": item.cost, "source": item.source,
            });
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "rpjm",
                id: rpjm.to_string(), action: "item", before: None, after: Some(after));
            (id, entry)
        })
    }

    /// Places an accepted or deferred proposal in the backlog for `year`: it waits there
    /// (an accepted one is deferred). Refused while a draft plan is before its
    /// Musrenbangdes, whose snapshot may hold the proposal.
    pub async fn place_in_rpjm(
        &self,
        village: Uuid,
        proposal: Uuid,
        year: i64,
        by: &Actor,
    ) -> Result<()> {
        let (actor, actor_name) = (by.id, by.name.as_str());
        let at = now();
        change!(self, |tx| {
            let status: Option<String> = sqlx::query_scalar(
                "SELECT status FROM proposals WHERE id = $1 AND village_id = $2",
            )
            .bind(proposal)
            .bind(village)
            .fetch_optional(&mut *tx)
            .await?;
            let status = status.ok_or(StoreError::NotFound)?;
            if status != "accepted" && status != "deferred" {
                return Err(StoreError::OutOfTurn("rpjm.error.not_placeable"));
            }
            let tabled: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM plans WHERE village_id = $1 AND status = 'draft' AND agreed_in IS NOT NULL)",
            )
            .bind(village)
            .fetch_one(&mut *tx)
            .await?;
            if tabled && status == "accepted" {
                return Err(StoreError::OutOfTurn("rpjm.error.plan_tabled"));
            }
            let Some((start, end)) = to_backlog!(tx, village: village, proposal: proposal, year: year, name: actor_name, at: at)
            else {
                let mut e = FieldErrors::new();
                e.add("year", "rpjm.error.no_rpjm_for_year");
                return Err(StoreError::Invalid(e));
            };
            sqlx::query(
                "UPDATE proposals SET status = 'deferred', version = version + 1, updated_at = $1 WHERE id = $2",
            )
            .bind(at)
            .bind(proposal)
            .execute(&mut *tx)
            .await?;
            let note = format!("RPJM Desa {start}–{end}, tahun {year}");
            if status == "accepted" {
                timeline!(&mut *tx, proposal: proposal, at: at, actor: Some(actor), name: actor_name,
                    kind: EventKind::StatusChanged, from: Some("accepted"), to: Some("deferred"), note: Some(&note))?;
            }
            let year_text = year.to_string();
            timeline!(&mut *tx, proposal: proposal, at: at, actor: Some(actor), name: actor_name,
                kind: EventKind::Rpjm, from: None, to: Some(year_text.as_str()), note: Some(&note))?;
            let after = serde_json::json!({ "proposal": proposal, "year": year });
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "rpjm",
                id: proposal.to_string(), action: "place", before: None, after: Some(after));
            ((), entry)
        })
    }
}
