//! Feedback entries, supports and answers, each with its timeline event where it matters.

use crate::domain::proposal::EventKind;
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use super::Actor;
use super::{Result, StoreError, audit, change, new_id, now, read, timeline};
use crate::domain::feedback::Kind;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    pub id: Uuid,
    pub kind: String,
    pub author_name: String,
    pub body: String,
    pub hidden_at: Option<DateTime<Utc>>,
    pub hidden_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    #[sqlx(skip)]
    pub answers: Vec<Answer>,
}

/// One page of a proposal's feedback thread.
#[derive(Debug, Clone, Default)]
pub struct Thread {
    pub entries: Vec<Entry>,
    /// Entries in the whole thread.
    pub total: i64,
    /// Concerns of the whole thread still waiting for an answer.
    pub unanswered: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Answer {
    pub feedback_id: Uuid,
    pub author_name: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    Added,
    AlreadySupported,
}

impl super::Store {
    /// Records feedback. A second support by the same person changes nothing.
    pub async fn add_feedback(
        &self,
        village: Uuid,
        proposal: Uuid,
        kind: Kind,
        by: &Actor,
        body: &str,
    ) -> Result<Added> {
        let (author, author_name) = (by.id, by.name.as_str());
        let id = new_id();
        let at = now();
        change!(self, |tx| {
            let inserted = sqlx::query(
                "INSERT INTO feedback (id, proposal_id, kind, author_id, author_name, body, created_at, village_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT village_id FROM proposals WHERE id = $2)) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(proposal)
            .bind(kind.code())
            .bind(author)
            .bind(author_name)
            .bind(body)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if inserted == 0 {
                return Ok(Added::AlreadySupported);
            }
            match kind {
                Kind::Support => {
                    sqlx::query("UPDATE proposals SET supports = supports + 1 WHERE id = $1")
                        .bind(proposal)
                        .execute(&mut *tx)
                        .await?;
                }
                Kind::Concern => {
                    timeline!(&mut *tx, proposal: proposal, at: at, actor: Some(author), name: author_name, kind: EventKind::ConcernRaised,
                        from: None, to: None, note: None)?;
                }
                Kind::Comment => {}
            }
            let after =
                serde_json::json!({ "kind": kind.code(), "body": body, "author": author_name });
            let entry = audit::entry!(actor: Some(author), village: Some(village), entity: "feedback",
                id: id.to_string(), action: "create", before: None, after: Some(after));
            (Added::Added, entry)
        })
    }

    /// The thread of a proposal, oldest first, each entry with its answers.
    pub async fn feedback_for(&self, proposal: Uuid) -> Result<Vec<Entry>> {
        let (mut entries, answers): (Vec<Entry>, Vec<Answer>) = read!(self, |pool| {
            let entries = sqlx::query_as(
                "SELECT id, kind, author_name, body, hidden_at, hidden_reason, created_at FROM feedback \
                 WHERE proposal_id = $1 ORDER BY created_at, id LIMIT 2000",
            )
            .bind(proposal)
            .fetch_all(pool)
            .await?;
            let answers = sqlx::query_as(
                "SELECT a.feedback_id, a.author_name, a.body, a.created_at FROM feedback_answers a \
                 JOIN feedback f ON f.id = a.feedback_id WHERE f.proposal_id = $1 ORDER BY a.created_at, a.id",
            )
            .bind(proposal)
            .fetch_all(pool)
            .await?;
            Ok::<_, sqlx::Error>((entries, answers))
        })?;
        for a in answers {
            if let Some(e) = entries.iter_mut().find(|e| e.id == a.feedback_id) {
                e.answers.push(a);
            }
        }
        Ok(entries)
    }

    /// One page of the thread as shown: the newest entries first in pages of `per_page`
    /// (each page oldest first), with the size of the whole thread and its unanswered
    /// concerns. Supports without words are counted on the proposal, not listed.
    pub async fn feedback_thread(
        &self,
        proposal: Uuid,
        page: i64,
        per_page: i64,
    ) -> Result<Thread> {
        const SHOWN: &str = "SELECT id FROM feedback WHERE proposal_id = $1 AND (kind <> 'support' OR body <> '') \
             ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3";
        let offset = (page.max(1) - 1) * per_page;
        let (mut entries, answers, counts): (Vec<Entry>, Vec<Answer>, (i64, i64)) = read!(
            self,
            |pool| {
                let entries = sqlx::query_as(AssertSqlSafe(format!(
                "SELECT id, kind, author_name, body, hidden_at, hidden_reason, created_at FROM feedback \
                 WHERE id IN ({SHOWN}) ORDER BY created_at, id"
            )))
            .bind(proposal)
            .bind(per_page)
            .bind(offset)
            .fetch_all(pool)
            .await?;
                let answers = sqlx::query_as(AssertSqlSafe(format!(
                    "SELECT feedback_id, author_name, body, created_at FROM feedback_answers \
                 WHERE feedback_id IN ({SHOWN}) ORDER BY created_at, id"
                )))
                .bind(proposal)
                .bind(per_page)
                .bind(offset)
                .fetch_all(pool)
                .await?;
                let counts = sqlx::query_as(
                "SELECT COUNT(*), COALESCE(SUM(CASE WHEN f.kind = 'concern' AND f.hidden_at IS NULL AND NOT EXISTS \
                 (SELECT 1 FROM feedback_answers a WHERE a.feedback_id = f.id) THEN 1 ELSE 0 END), 0) \
                 FROM feedback f WHERE f.proposal_id = $1 AND (f.kind <> 'support' OR f.body <> '')",
            )
            .bind(proposal)
            .fetch_one(pool)
            .await?;
                Ok::<_, sqlx::Error>((entries, answers, counts))
            }
        )?;
        for a in answers {
            if let Some(e) = entries.iter_mut().find(|e| e.id == a.feedback_id) {
                e.answers.push(a);
            }
        }
        Ok(Thread {
            entries,
            total: counts.0,
            unanswered: counts.1,
        })
    }

    /// An official's answer to one entry of this proposal.
    pub async fn answer_feedback(
        &self,
        village: Uuid,
        proposal: Uuid,
        feedback: Uuid,
        by: &Actor,
        body: &str,
    ) -> Result<()> {
        let (author, author_name) = (by.id, by.name.as_str());
        let at = now();
        change!(self, |tx| {
            let kind: Option<String> =
                sqlx::query_scalar("SELECT kind FROM feedback WHERE id = $1 AND proposal_id = $2")
                    .bind(feedback)
                    .bind(proposal)
                    .fetch_optional(&mut *tx)
                    .await?;
            let kind = kind.ok_or(StoreError::NotFound)?;
            let id = new_id();
            sqlx::query(
                "INSERT INTO feedback_answers (id, feedback_id, author_id, author_name, body, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(feedback)
            .bind(author)
            .bind(author_name)
            .bind(body)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            timeline!(&mut *tx, proposal: proposal, at: at, actor: Some(author), name: author_name, kind: EventKind::Answered,
                from: Some(&kind), to: None, note: Some(body))?;
            let after = serde_json::json!({ "feedback": feedback, "body": body });
            let entry = audit::entry!(actor: Some(author), village: Some(village), entity: "feedback",
                id: feedback.to_string(), action: "answer", before: None, after: Some(after));
            ((), entry)
        })
    }

    /// Hides an abusive entry; the entry, who hid it and why stay on the record.
    pub async fn hide_feedback(
        &self,
        village: Uuid,
        proposal: Uuid,
        feedback: Uuid,
        by: &Actor,
        reason: &str,
    ) -> Result<()> {
        let (by_id, by_name) = (by.id, by.name.as_str());
        let at = now();
        change!(self, |tx| {
            let n = sqlx::query(
                "UPDATE feedback SET hidden_at = $1, hidden_by = $2, hidden_reason = $3 \
                 WHERE id = $4 AND proposal_id = $5 AND hidden_at IS NULL",
            )
            .bind(at)
            .bind(by_id)
            .bind(reason)
            .bind(feedback)
            .bind(proposal)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            timeline!(&mut *tx, proposal: proposal, at: at, actor: Some(by_id), name: by_name, kind: EventKind::FeedbackHidden,
                from: None, to: None, note: Some(reason))?;
            let after = serde_json::json!({ "hidden_reason": reason });
            let entry = audit::entry!(actor: Some(by_id), village: Some(village), entity: "feedback",
                id: feedback.to_string(), action: "hide", before: None, after: Some(after));
            ((), entry)
        })
    }
}
