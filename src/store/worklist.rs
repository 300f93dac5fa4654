//! What waits for a village's officials and facilitators: the queries behind "Perlu
//! tindakan" that no other page asks.

use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use super::meetings::Meeting;
use super::{Result, read};

/// A concern nobody has answered yet, with the proposal it is about.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WaitingConcern {
    pub number: String,
    pub title: String,
    pub author_name: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// A resident's observation of the work that waits for the staff to publish or hide it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WaitingObservation {
    pub number: String,
    pub title: String,
    pub author_name: String,
    pub note: String,
    pub at: DateTime<Utc>,
}

impl super::Store {
    /// Residents' observations not yet reviewed, oldest first.
    pub async fn observations_waiting(
        &self,
        village: Uuid,
        limit: i64,
    ) -> Result<Vec<WaitingObservation>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                // CROSS JOIN: SQLite walks the few waiting observations (a partial index)
                // first; PostgreSQL plans it as the inner join it is.
                "SELECT p.number, p.title, u.author_name, u.note, u.at FROM proposal_updates u \
                 CROSS JOIN proposals p \
                 WHERE p.id = u.proposal_id AND p.village_id = $1 AND u.by_resident AND u.status = 'pending' \
                 ORDER BY u.at, u.id LIMIT $2",
            )
            .bind(village)
            .bind(limit)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Concerns without an answer (and not hidden), oldest first.
    pub async fn unanswered_concerns(
        &self,
        village: Uuid,
        limit: i64,
    ) -> Result<Vec<WaitingConcern>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                // The village's concerns oldest first, from their own index; each one's
                // proposal is looked up after (CROSS JOIN keeps SQLite to that order).
                "SELECT p.number, p.title, f.author_name, f.body, f.created_at FROM feedback f \
                 CROSS JOIN proposals p \
                 WHERE f.village_id = $1 AND p.id = f.proposal_id \
                 AND f.kind = 'concern' AND f.hidden_at IS NULL \
                 AND p.status NOT IN ('merged', 'withdrawn') \
                 AND NOT EXISTS (SELECT 1 FROM feedback_answers a WHERE a.feedback_id = f.id) \
                 ORDER BY f.created_at, f.id LIMIT $2",
            )
            .bind(village)
            .bind(limit)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Meetings marked held whose record nobody has finalized yet, oldest first.
    pub async fn meetings_to_finalize(&self, village: Uuid, limit: i64) -> Result<Vec<Meeting>> {
        let sql = format!(
            "SELECT {} FROM meetings WHERE village_id = $1 AND status = 'held' \
             ORDER BY scheduled_at, id LIMIT $2",
            super::meetings::MEETING_COLUMNS
        );
        Ok(read!(self, |pool| {
            sqlx::query_as(AssertSqlSafe(sql.clone()))
                .bind(village)
                .bind(limit)
                .fetch_all(pool)
                .await
        })?)
    }
}
