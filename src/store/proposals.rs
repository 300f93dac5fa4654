//! Proposals: numbering, submission, finding and the public timeline.

use chrono::{DateTime, Datelike, Utc};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use super::Actor;
use super::{OrStale, Result, StoreError, audit, change, now, read, timeline};
use crate::domain::proposal::{Bidang, EventKind, Level, NewProposal, Status};

/// A proposal as anyone may see it (no contact details).
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Proposal {
    pub id: Uuid,
    pub village_id: Uuid,
    pub number: String,
    pub title: String,
    pub problem: String,
    pub description: String,
    #[sqlx(try_from = "String")]
    pub bidang: Bidang,
    pub sub_bidang: Option<String>,
    pub location: Option<String>,
    pub hamlet: Option<String>,
    pub estimated_cost: Option<i64>,
    pub channel: String,
    pub proposer_name: String,
    #[sqlx(try_from = "String")]
    pub status: Status,
    #[sqlx(try_from = "i64")]
    #[serde(serialize_with = "level_rank")]
    pub level: Level,
    pub supports: i64,
    pub version: i64,
    #[serde(skip)]
    pub proposer_user_id: Option<Uuid>,
    /// The community body named to carry it out (for `empower`).
    pub implementer_group_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn level_rank<S: serde::Serializer>(level: &Level, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_i64(level.rank())
}

/// One line of a proposal's public timeline.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub actor_name: Option<String>,
    #[sqlx(try_from = "String")]
    pub kind: EventKind,
    pub from_value: Option<String>,
    pub to_value: Option<String>,
    pub note: Option<String>,
    /// For ladder moves: the conditions that held (JSON).
    pub evidence: Option<String>,
    /// The meeting the line is about, which it links to.
    pub meeting_id: Option<Uuid>,
}

/// Who submits, and how the proposal enters.
#[derive(Debug, Clone)]
pub struct Submission<'a> {
    pub proposal: &'a NewProposal,
    /// `submitted` (published at once) or `pending` (waits for moderation).
    pub status: &'static str,
    pub proposer_user: Option<Uuid>,
    pub proposer_name: String,
    /// The facilitator or official who typed it in on someone's behalf.
    pub entered_by: Option<Uuid>,
    pub entered_by_name: Option<String>,
    pub submitted_from: String,
    /// The village's year now (its own time zone), for the number.
    pub year: i32,
    /// The hash of the tracking code given to a proposer without an account.
    pub tracking_hash: Option<String>,
}

/// Filters of the proposal list; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct ProposalFilter {
    pub terms: Vec<String>,
    pub bidang: Option<String>,
    pub status: Option<String>,
    pub level: Option<i64>,
    pub hamlet: Option<String>,
    pub include_pending: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Newest,
    MostSupported,
    Level,
}

const COLUMNS: &str = "p.id, p.village_id, p.number, p.title, p.problem, p.description, p.bidang, p.sub_bidang, \
     p.location, p.hamlet, p.estimated_cost, p.channel, p.proposer_name, p.status, p.level, p.supports, \
     p.version, p.proposer_user_id, p.implementer_group_id, p.created_at, p.updated_at";

impl super::Store {
    /// The proposer's edit, if nobody changed the proposal since `version`. The timeline
    /// names the fields that changed; the audit log keeps before and after.
    pub async fn edit_proposal(
        &self,
        before: &Proposal,
        version: i64,
        p: &NewProposal,
        by: &Actor,
    ) -> Result<()> {
        let (actor, actor_name) = (by.id, by.name.as_str());
        let at = now();
        let cost = p.estimated_cost.map(|c| c.get());
        let changed: Vec<&str> = [
            ("title", before.title != p.title),
            ("problem", before.problem != p.problem),
            ("description", before.description != p.description),
            ("bidang", before.bidang != p.bidang),
            ("sub_bidang", before.sub_bidang != p.sub_bidang),
            ("location", before.location != p.location),
            ("dusun", before.hamlet != p.hamlet),
            ("estimated_cost", before.estimated_cost != cost),
        ]
        .into_iter()
        .filter_map(|(f, c)| c.then_some(f))
        .collect();
        change!(self, |tx| {
            sqlx::query(
                "UPDATE proposals SET title = $1, problem = $2, description = $3, bidang = $4, sub_bidang = $5, \
                 location = $6, hamlet = $7, estimated_cost = $8, version = version + 1, updated_at = $9 \
                 WHERE id = $10 AND version = $11 AND status IN ('pending', 'submitted')",
            )
            .bind(&p.title)
            .bind(&p.problem)
            .bind(&p.description)
            .bind(p.bidang.code())
            .bind(&p.sub_bidang)
            .bind(&p.location)
            .bind(&p.hamlet)
            .bind(cost)
            .bind(at)
            .bind(before.id)
            .bind(version)
            .execute(&mut *tx)
            .await?
            .or_stale()?;
            timeline!(&mut *tx, proposal: before.id, at: at, actor: Some(actor), name: actor_name, kind: EventKind::Edited,
                from: None, to: None, note: Some(&changed.join(", ")))?;
            let old = serde_json::to_value(before).unwrap_or_default();
            let new = serde_json::json!({
                "title": p.title, "problem": p.problem, "description": p.description, "bidang": p.bidang.code(),
                "sub_bidang": p.sub_bidang, "location": p.location, "hamlet": p.hamlet, "estimated_cost": cost,
            });
            let entry = audit::entry!(actor: Some(actor), village: Some(before.village_id), entity: "proposal",
                id: before.id.to_string(), action: "edit", before: Some(old), after: Some(new));
            ((), entry)
        })
    }

    /// Published proposals of the village sharing any of `words` (title, problem or
    /// description), newest first: the candidates a duplicate check ranks.
    pub async fn proposals_sharing_words(
        &self,
        village: Uuid,
        words: &[String],
        limit: i64,
    ) -> Result<Vec<Proposal>> {
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let words: Vec<&String> = words.iter().take(8).collect();
        let (sql, query) = match self.backend {
            super::Backend::Sqlite { .. } => (
                format!(
                    "SELECT {COLUMNS} FROM proposals p WHERE p.village_id = $1 AND p.status NOT IN ('pending', 'merged', 'withdrawn') \
                     AND p.rowid IN (SELECT rowid FROM proposals_fts WHERE proposals_fts MATCH $2) \
                     ORDER BY p.created_at DESC LIMIT $3"
                ),
                words
                    .iter()
                    .map(|w| format!("\"{w}\"*"))
                    .collect::<Vec<_>>()
                    .join(" OR "),
            ),
            super::Backend::Postgres(_) => (
                format!(
                    "SELECT {COLUMNS} FROM proposals p WHERE p.village_id = $1 AND p.status NOT IN ('pending', 'merged', 'withdrawn') \
                     AND p.search @@ to_tsquery('indonesian', $2) ORDER BY p.created_at DESC LIMIT $3"
                ),
                words
                    .iter()
                    .map(|w| format!("{w}:*"))
                    .collect::<Vec<_>>()
                    .join(" | "),
            ),
        };
        Ok(read!(self, |pool| {
            sqlx::query_as(AssertSqlSafe(sql.clone()))
                .bind(village)
                .bind(query.clone())
                .bind(limit)
                .fetch_all(pool)
                .await
        })?)
    }

    /// Merges a duplicate into `target`: its feedback, supports (one per person) and
    /// timeline move over, and the duplicate keeps only a pointer to where it went.
    pub async fn merge_proposal(
        &self,
        village: Uuid,
        source: &Proposal,
        version: i64,
        target: &Proposal,
        note: Option<&str>,
        by: &Actor,
    ) -> Result<()> {
        let (actor, actor_name) = (by.id, by.name.as_str());
        let at = now();
        change!(self, |tx| {
            sqlx::query(
                "UPDATE proposals SET status = 'merged', merged_into = $1, supports = 0, version = version + 1, \
                 updated_at = $2 WHERE id = $3 AND version = $4 AND status = $5",
            )
            .bind(target.id)
            .bind(at)
            .bind(source.id)
            .bind(version)
            .bind(source.status.code())
            .execute(&mut *tx)
            .await?
            .or_stale()?;
            // Someone who supported both keeps one support.
            sqlx::query(
                "DELETE FROM feedback WHERE proposal_id = $1 AND kind = 'support' AND author_id IN \
                 (SELECT author_id FROM feedback WHERE proposal_id = $2 AND kind = 'support')",
            )
            .bind(source.id)
            .bind(target.id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE feedback SET proposal_id = $1 WHERE proposal_id = $2")
                .bind(target.id)
                .bind(source.id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE proposal_events SET proposal_id = $1 WHERE proposal_id = $2")
                .bind(target.id)
                .bind(source.id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE proposals SET supports = (SELECT COUNT(*) FROM feedback WHERE proposal_id = $1 AND kind = 'support'), \
                 version = version + 1, updated_at = $2 WHERE id = $1",
            )
            .bind(target.id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            for (on, kind, value) in [
                (target.id, EventKind::MergedFrom, &source.number),
                (source.id, EventKind::MergedInto, &target.number),
            ] {
                timeline!(&mut *tx, proposal: on, at: at, actor: Some(actor), name: actor_name, kind: kind,
                    from: None, to: Some(value.as_str()), note: note)?;
            }
            let before = serde_json::json!({ "status": source.status, "version": version });
            let after = serde_json::json!({ "status": "merged", "merged_into": target.number, "note": note });
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "proposal",
                id: source.id.to_string(), action: "merge", before: Some(before), after: Some(after));
            ((), entry)
        })
    }

    /// The number of the proposal a merged one went into.
    pub async fn merged_into_number(&self, proposal: Uuid) -> Result<Option<String>> {
        Ok(read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT t.number FROM proposals s JOIN proposals t ON t.id = s.merged_into WHERE s.id = $1",
            )
            .bind(proposal)
            .fetch_optional(pool)
            .await
        })?)
    }

    /// The phone number a proposer left, for the village's staff to call them back; never
    /// on a public page or in open data.
    pub async fn proposer_phone(&self, proposal: Uuid) -> Result<Option<String>> {
        Ok(read!(self, |pool| {
            sqlx::query_scalar("SELECT proposer_phone FROM proposals WHERE id = $1")
                .bind(proposal)
                .fetch_optional(pool)
                .await
        })?
        .flatten())
    }

    /// Moves a proposal from one status to another if nobody changed it since `version`.
    pub async fn change_status(
        &self,
        village: Uuid,
        proposal: Uuid,
        version: i64,
        (from, to): (Status, Status),
        note: Option<&str>,
        by: &Actor,
    ) -> Result<()> {
        let (actor, actor_name) = (by.id, by.name.as_str());
        let at = now();
        let kind = if (from, to) == (Status::Pending, Status::Submitted) {
            EventKind::Published
        } else {
            EventKind::StatusChanged
        };
        let (from, to) = (from.code(), to.code());
        change!(self, |tx| {
            sqlx::query(
                "UPDATE proposals SET status = $1, version = version + 1, updated_at = $2 \
                 WHERE id = $3 AND version = $4 AND status = $5",
            )
            .bind(to)
            .bind(at)
            .bind(proposal)
            .bind(version)
            .bind(from)
            .execute(&mut *tx)
            .await?
            .or_stale()?;
            timeline!(&mut *tx, proposal: proposal, at: at, actor: Some(actor), name: actor_name, kind: kind,
                from: Some(from), to: Some(to), note: note)?;
            let before = serde_json::json!({ "status": from, "version": version });
            let after = serde_json::json!({ "status": to, "version": version + 1, "note": note });
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "proposal",
                id: proposal.to_string(), action: "status", before: Some(before), after: Some(after));
            ((), entry)
        })
    }

    pub async fn proposal_by_number(&self, village: Uuid, number: &str) -> Result<Proposal> {
        let sql =
            format!("SELECT {COLUMNS} FROM proposals p WHERE p.village_id = $1 AND p.number = $2");
        let p: Option<Proposal> = read!(self, |pool| {
            sqlx::query_as(AssertSqlSafe(sql))
                .bind(village)
                .bind(number)
                .fetch_optional(pool)
                .await
        })?;
        p.ok_or(StoreError::NotFound)
    }

    /// The timeline, oldest first.
    pub async fn proposal_events(&self, proposal: Uuid) -> Result<Vec<Event>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT at, actor_name, kind, from_value, to_value, note, evidence, meeting_id FROM proposal_events \
                 WHERE proposal_id = $1 ORDER BY at, id LIMIT 1000",
            )
            .bind(proposal)
            .fetch_all(pool)
            .await
        })?)
    }

    /// One page of a village's proposals. Fetch `limit` = page size + 1 to learn whether
    /// another page follows; nothing counts the whole list.
    pub async fn list_proposals(
        &self,
        village: Uuid,
        filter: &ProposalFilter,
        sort: Sort,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Proposal>> {
        // Built only from the fixed fragments below; every value the user typed is bound.
        let mut sql = format!("SELECT {COLUMNS} FROM proposals p WHERE p.village_id = $1");
        let mut n = 1;
        let mut next = || {
            n += 1;
            n
        };
        if !filter.include_pending {
            sql.push_str(" AND p.status <> 'pending'");
        }
        let binds_terms = !filter.terms.is_empty();
        if binds_terms {
            let i = next();
            sql.push_str(&match self.backend {
                super::Backend::Sqlite { .. } => format!(
                    " AND p.rowid IN (SELECT rowid FROM proposals_fts WHERE proposals_fts MATCH ${i})"
                ),
                super::Backend::Postgres(_) => format!(" AND p.search @@ to_tsquery('indonesian', ${i})"),
            });
        }
        let mut text_binds: Vec<String> = Vec::new();
        for (column, value) in [
            ("p.bidang", &filter.bidang),
            ("p.status", &filter.status),
            ("p.hamlet", &filter.hamlet),
        ] {
            if let Some(v) = value {
                sql.push_str(&format!(" AND {column} = ${}", next()));
                text_binds.push(v.clone());
            }
        }
        if filter.level.is_some() {
            sql.push_str(&format!(" AND p.level = ${}", next()));
        }
        sql.push_str(match sort {
            Sort::Newest => " ORDER BY p.created_at DESC, p.id DESC",
            Sort::MostSupported => " ORDER BY p.supports DESC, p.created_at DESC, p.id DESC",
            Sort::Level => " ORDER BY p.level DESC, p.created_at DESC, p.id DESC",
        });
        sql.push_str(&format!(" LIMIT ${} OFFSET ${}", next(), next()));
        let terms = match self.backend {
            // Each word must appear, as a word or the start of one.
            super::Backend::Sqlite { .. } => filter
                .terms
                .iter()
                .map(|t| format!("\"{t}\"*"))
                .collect::<Vec<_>>()
                .join(" "),
            super::Backend::Postgres(_) => filter
                .terms
                .iter()
                .map(|t| format!("{t}:*"))
                .collect::<Vec<_>>()
                .join(" & "),
        };
        Ok(read!(self, |pool| {
            let mut q = sqlx::query_as(AssertSqlSafe(sql.clone())).bind(village);
            if binds_terms {
                q = q.bind(terms.clone());
            }
            for v in &text_binds {
                q = q.bind(v.clone());
            }
            if let Some(level) = filter.level {
                q = q.bind(level);
            }
            q.bind(limit).bind(offset).fetch_all(pool).await
        })?)
    }
}

/// The year a proposal submitted now is numbered in, in the village's own time zone.
pub fn current_year(tz: chrono_tz::Tz) -> i32 {
    Utc::now().with_timezone(&tz).year()
}
