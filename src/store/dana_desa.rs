//! The year's Dana Desa rules (installation-wide; see [`crate::domain::dana_desa`]).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Result, StoreError, audit, change, now, read};
use crate::domain::dana_desa::{Bound, Rule};

#[derive(sqlx::FromRow)]
pub(crate) struct Row {
    year: i64,
    focus: String,
    bound: String,
    percent: i64,
    source: String,
}

impl Row {
    pub(crate) fn rule(self) -> (i64, Rule) {
        let bound = Bound::parse(&self.bound).unwrap_or(Bound::Max);
        (
            self.year,
            Rule {
                focus: self.focus,
                bound,
                percent: self.percent,
                source: self.source,
            },
        )
    }
}

/// The rules of `$year` as read inside a transaction or on a pool (`$exec`).
macro_rules! rules_of {
    ($exec:expr, $year:expr) => {{
        let rows: Vec<$crate::store::dana_desa::Row> = sqlx::query_as(
            "SELECT year, focus, bound, percent, source FROM dana_desa_rules WHERE year = $1 \
             ORDER BY bound DESC, focus",
        )
        .bind($year)
        .fetch_all($exec)
        .await?;
        rows.into_iter()
            .map(|r| r.rule().1)
            .collect::<Vec<$crate::domain::dana_desa::Rule>>()
    }};
}
pub(crate) use rules_of;

impl super::Store {
    /// The rules of one year (minimums first).
    pub async fn dana_desa_rules(&self, year: i64) -> Result<Vec<Rule>> {
        Ok(read!(self, |pool| {
            Ok::<_, sqlx::Error>(rules_of!(pool, year))
        })?)
    }

    /// Every year's rules, the latest year first.
    pub async fn all_dana_desa_rules(&self) -> Result<Vec<(i64, Rule)>> {
        let rows: Vec<Row> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT year, focus, bound, percent, source FROM dana_desa_rules \
                 ORDER BY year DESC, bound DESC, focus LIMIT 1000",
            )
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(Row::rule).collect())
    }

    /// Records a rule, replacing the one of the same year, focus and bound.
    pub async fn save_dana_desa_rule(&self, year: i64, rule: &Rule, actor: Uuid) -> Result<()> {
        let at: DateTime<Utc> = now();
        change!(self, |tx| {
            sqlx::query(
                "INSERT INTO dana_desa_rules (year, focus, bound, percent, source, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (year, focus, bound) \
                 DO UPDATE SET percent = $4, source = $5, updated_at = $6",
            )
            .bind(year)
            .bind(&rule.focus)
            .bind(rule.bound.code())
            .bind(rule.percent)
            .bind(&rule.source)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let after = serde_json::json!({ "year": year, "rule": rule });
            let entry = audit::entry!(actor: Some(actor), village: None, entity: "dana_desa_rule",
                id: format!("{year}/{}/{}", rule.focus, rule.bound.code()), action: "save", before: None, after: Some(after));
            ((), entry)
        })
    }

    pub async fn delete_dana_desa_rule(
        &self,
        year: i64,
        focus: &str,
        bound: Bound,
        actor: Uuid,
    ) -> Result<()> {
        change!(self, |tx| {
            let n = sqlx::query(
                "DELETE FROM dana_desa_rules WHERE year = $1 AND focus = $2 AND bound = $3",
            )
            .bind(year)
            .bind(focus)
            .bind(bound.code())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let entry = audit::entry!(actor: Some(actor), village: None, entity: "dana_desa_rule",
                id: format!("{year}/{focus}/{}", bound.code()), action: "delete", before: None, after: None);
            ((), entry)
        })
    }
}
