//! Villages and their hamlets.

use sqlx::AssertSqlSafe;
use uuid::Uuid;

use super::{OrStale, Result, StoreError, audit, change, duplicate_on, new_id, now, read};
use crate::domain::village::NewVillage;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Village {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub code: Option<String>,
    pub kecamatan: Option<String>,
    pub kabupaten: Option<String>,
    pub provinsi: Option<String>,
    pub population: Option<i64>,
    pub households: Option<i64>,
    pub timezone: String,
    /// The share of women a meeting should reach, in per cent of those present.
    pub women_minimum_percent: i64,
    pub ladder_consult_feedback: i64,
    pub ladder_consult_voices: i64,
    pub ladder_involve_groups: i64,
    pub auto_empower: bool,
    pub quorum_rule: String,
    pub majority_rule: String,
    pub kepala_desa: Option<String>,
    pub version: i64,
    /// Counted up by every recorded change in the village (see the migration
    /// `0050_village_revision`): what is kept of its records is valid while this holds.
    pub revision: i64,
    #[sqlx(skip)]
    pub hamlets: Vec<String>,
    /// Each hamlet's population where the village entered it, in the order of `hamlets`.
    #[sqlx(skip)]
    pub hamlet_populations: Vec<Option<i64>>,
}

impl Village {
    /// The day a moment falls on in the village's own time zone.
    pub fn local_day(&self, at: &chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
        let tz = crate::domain::village::Timezone::parse(&self.timezone)
            .unwrap_or_default()
            .tz();
        at.with_timezone(&tz).date_naive()
    }

    /// Today in the village's own time zone.
    pub fn today(&self) -> chrono::NaiveDate {
        self.local_day(&chrono::Utc::now())
    }

    /// This year in the village's own time zone.
    pub fn this_year(&self) -> i64 {
        use chrono::Datelike;
        i64::from(self.today().year())
    }

    /// The village's thresholds for the engagement ladder.
    pub fn thresholds(&self) -> crate::domain::ladder::Thresholds {
        crate::domain::ladder::Thresholds {
            consult_feedback: self.ladder_consult_feedback,
            consult_voices: self.ladder_consult_voices,
            involve_groups: self.ladder_involve_groups,
            women_minimum_percent: self.women_minimum_percent,
            auto_empower: self.auto_empower,
        }
    }

    /// The village's tata tertib for its meetings.
    pub fn tata_tertib(&self) -> crate::domain::meeting::TataTertib {
        use crate::domain::meeting::{MajorityRule, QuorumRule, TataTertib};
        let default = TataTertib::default();
        TataTertib {
            quorum: QuorumRule::parse(&self.quorum_rule).unwrap_or(default.quorum),
            majority: MajorityRule::parse(&self.majority_rule).unwrap_or(default.majority),
            kepala_desa: self.kepala_desa.clone(),
        }
    }
}

/// `SELECT` of a village's columns followed by the rest of the statement.
macro_rules! select_village {
    ($rest:literal) => {
        concat!(
            "SELECT id, slug, name, code, kecamatan, kabupaten, provinsi, population, households, timezone, women_minimum_percent, \
             ladder_consult_feedback, ladder_consult_voices, ladder_involve_groups, auto_empower, \
             quorum_rule, majority_rule, kepala_desa, version, revision \
             FROM villages ",
            $rest
        )
    };
}

/// One village with its hamlets in their order, in one statement: a row per hamlet (one
/// with none when it has none), gathered by [`gathered`].
macro_rules! with_hamlets {
    ($rest:literal) => {
        concat!(
            "SELECT v.*, h.name AS hamlet, h.population AS hamlet_population FROM (",
            select_village!($rest),
            ") v LEFT JOIN hamlets h ON h.village_id = v.id ORDER BY h.position"
        )
    };
}

#[derive(sqlx::FromRow)]
struct WithHamlet {
    #[sqlx(flatten)]
    village: Village,
    hamlet: Option<String>,
    hamlet_population: Option<i64>,
}

/// The village of [`with_hamlets!`]'s rows, its hamlets filled in.
fn gathered(rows: Vec<WithHamlet>) -> Result<Village> {
    let mut rows = rows.into_iter();
    let first = rows.next().ok_or(StoreError::NotFound)?;
    let mut village = first.village;
    for (name, population) in std::iter::once((first.hamlet, first.hamlet_population))
        .chain(rows.map(|r| (r.hamlet, r.hamlet_population)))
    {
        if let Some(name) = name {
            village.hamlets.push(name);
            village.hamlet_populations.push(population);
        }
    }
    Ok(village)
}

/// Writes a village's hamlets in their order, replacing any it had, inside `$tx`.
macro_rules! replace_hamlets {
    ($tx:expr, $village:expr, $hamlets:expr) => {{
        let tx = $tx;
        sqlx::query("DELETE FROM hamlets WHERE village_id = $1")
            .bind($village)
            .execute(&mut **tx)
            .await?;
        for (i, h) in $hamlets.iter().enumerate() {
            sqlx::query(
                "INSERT INTO hamlets (id, village_id, position, name, population) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(new_id())
            .bind($village)
            .bind(i as i64)
            .bind(&h.name)
            .bind(h.population)
            .execute(&mut **tx)
            .await?;
        }
    }};
}

impl super::Store {
    /// Changes the village's tata tertib if nobody changed the village since `version`.
    pub async fn update_tata_tertib(
        &self,
        village: &Village,
        version: i64,
        t: &crate::domain::meeting::TataTertib,
        actor: Uuid,
    ) -> Result<()> {
        let at = now();
        change!(self, |tx| {
            sqlx::query(
                "UPDATE villages SET quorum_rule = $1, majority_rule = $2, kepala_desa = $3, \
                 version = version + 1, updated_at = $4 WHERE id = $5 AND version = $6",
            )
            .bind(t.quorum.code())
            .bind(t.majority.code())
            .bind(&t.kepala_desa)
            .bind(at)
            .bind(village.id)
            .bind(version)
            .execute(&mut *tx)
            .await?
            .or_stale()?;
            let before = serde_json::json!({ "quorum_rule": village.quorum_rule,
                "majority_rule": village.majority_rule, "kepala_desa": village.kepala_desa });
            let after = serde_json::json!({ "quorum_rule": t.quorum.code(),
                "majority_rule": t.majority.code(), "kepala_desa": t.kepala_desa });
            let entry = audit::entry!(actor: Some(actor), village: Some(village.id), entity: "village",
                id: village.id.to_string(), action: "tata_tertib", before: Some(before), after: Some(after));
            ((), entry)
        })
    }

    /// Creates a village with its hamlets in one transaction.
    pub async fn create_village(&self, v: &NewVillage, actor: Option<Uuid>) -> Result<Village> {
        let id = new_id();
        let at = now();
        change!(self, |tx| {
            sqlx::query(
                "INSERT INTO villages (id, slug, name, code, kecamatan, kabupaten, provinsi, population, \
                 households, timezone, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11)",
            )
            .bind(id)
            .bind(v.slug.as_str())
            .bind(&v.name)
            .bind(v.code.as_ref().map(|c| c.as_str()))
            .bind(&v.kecamatan)
            .bind(&v.kabupaten)
            .bind(&v.provinsi)
            .bind(v.population)
            .bind(v.households)
            .bind(v.timezone.iana())
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(|e| duplicate_on(e, &["slug", "code"]))?;
            replace_hamlets!(&mut tx, id, &v.hamlets);
            let entry = audit::entry!(actor: actor, village: Some(id), entity: "village", id: id.to_string(),
                action: "create", before: None, after: Some(describe(v)));
            ((), entry)
        })?;
        self.village_by_slug(v.slug.as_str()).await
    }

    /// Replaces a village's facts and hamlets, if nobody changed it since `version`.
    pub async fn update_village(
        &self,
        id: Uuid,
        version: i64,
        v: &NewVillage,
        actor: Uuid,
    ) -> Result<Village> {
        let at = now();
        let before = self.village_by_id(id).await?;
        change!(self, |tx| {
            sqlx::query(
                "UPDATE villages SET slug = $1, name = $2, code = $3, kecamatan = $4, kabupaten = $5, \
                 provinsi = $6, population = $7, households = $8, timezone = $9, version = version + 1, \
                 updated_at = $10 WHERE id = $11 AND version = $12",
            )
            .bind(v.slug.as_str())
            .bind(&v.name)
            .bind(v.code.as_ref().map(|c| c.as_str()))
            .bind(&v.kecamatan)
            .bind(&v.kabupaten)
            .bind(&v.provinsi)
            .bind(v.population)
            .bind(v.households)
            .bind(v.timezone.iana())
            .bind(at)
            .bind(id)
            .bind(version)
            .execute(&mut *tx)
            .await
            .map_err(|e| duplicate_on(e, &["slug", "code"]))?
            .or_stale()?;
            replace_hamlets!(&mut tx, id, &v.hamlets);
            let before = serde_json::to_value(&before).unwrap_or_default();
            let entry = audit::entry!(actor: Some(actor), village: Some(id), entity: "village", id: id.to_string(),
                action: "update", before: Some(before), after: Some(describe(v)));
            ((), entry)
        })?;
        self.village_by_id(id).await
    }

    pub async fn village_by_slug(&self, slug: &str) -> Result<Village> {
        let rows: Vec<WithHamlet> = read!(self, |pool| sqlx::query_as(with_hamlets!(
            "WHERE slug = $1"
        ))
        .bind(slug)
        .fetch_all(pool)
        .await)?;
        gathered(rows)
    }

    pub async fn village_by_id(&self, id: Uuid) -> Result<Village> {
        let rows: Vec<WithHamlet> =
            read!(self, |pool| sqlx::query_as(with_hamlets!("WHERE id = $1"))
                .bind(id)
                .fetch_all(pool)
                .await)?;
        gathered(rows)
    }

    /// Villages by name, a page at a time (an installation may serve thousands).
    pub async fn list_villages(&self, limit: i64, offset: i64) -> Result<Vec<Village>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(select_village!("ORDER BY name, slug LIMIT $1 OFFSET $2"))
                .bind(limit)
                .bind(offset)
                .fetch_all(pool)
                .await
        })?)
    }

    /// Villages whose name, kecamatan or kabupaten hold every one of `terms` (as typed,
    /// any case), by name; with no terms, every village.
    pub async fn find_villages(
        &self,
        terms: &[String],
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Village>> {
        let (condition, patterns) = matching(terms, 1);
        let n = patterns.len();
        let sql = format!(
            "{}{condition} ORDER BY name, slug LIMIT ${} OFFSET ${}",
            select_village!(""),
            n + 1,
            n + 2
        );
        Ok(read!(self, |pool| {
            let mut q = sqlx::query_as(AssertSqlSafe(sql.clone()));
            for p in &patterns {
                q = q.bind(p.clone());
            }
            q.bind(limit).bind(offset).fetch_all(pool).await
        })?)
    }

    /// How many villages [`Store::find_villages`] finds for `terms`.
    pub async fn count_found_villages(&self, terms: &[String]) -> Result<i64> {
        let (condition, patterns) = matching(terms, 1);
        let sql = format!("SELECT COUNT(*) FROM villages {condition}");
        Ok(read!(self, |pool| {
            let mut q = sqlx::query_scalar(AssertSqlSafe(sql.clone()));
            for p in &patterns {
                q = q.bind(p.clone());
            }
            q.fetch_one(pool).await
        })?)
    }

    pub async fn count_villages(&self) -> Result<i64> {
        Ok(read!(self, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM villages"
        )
        .fetch_one(pool)
        .await)?)
    }
}

/// `WHERE` each term is in the village's name, kecamatan or kabupaten (parameters from
/// `$first`), and the `LIKE` patterns to bind, with `%`, `_` and `\` taken literally.
fn matching(terms: &[String], first: usize) -> (String, Vec<String>) {
    let patterns: Vec<String> = terms
        .iter()
        .map(|t| {
            let escaped = t
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            format!("%{escaped}%")
        })
        .collect();
    let condition = (0..patterns.len())
        .map(|i| {
            format!(
                "LOWER(name || ' ' || COALESCE(kecamatan, '') || ' ' || COALESCE(kabupaten, '')) \
                 LIKE ${} ESCAPE '\\'",
                first + i
            )
        })
        .collect::<Vec<_>>()
        .join(" AND ");
    let condition = if condition.is_empty() {
        condition
    } else {
        format!("WHERE {condition}")
    };
    (condition, patterns)
}

fn describe(v: &NewVillage) -> serde_json::Value {
    serde_json::json!({
        "slug": v.slug.as_str(),
        "name": v.name,
        "code": v.code.as_ref().map(|c| c.as_str()),
        "kecamatan": v.kecamatan,
        "kabupaten": v.kabupaten,
        "provinsi": v.provinsi,
        "population": v.population,
        "households": v.households,
        "timezone": v.timezone.iana(),
        "hamlets": v.hamlets.iter().map(|h| h.name.as_str()).collect::<Vec<_>>(),
    })
}
