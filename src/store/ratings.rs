//! Attendees' ratings of a meeting, and the code that opens the rating form.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Result, audit, change, duplicate_on, new_id, now, read};
use crate::domain::metrics::{MeetingRatingFact, RatingTally, rating_tally};
use crate::domain::rating::{CheckedRating, Heard};

/// A rating as the meeting's staff read it: the comment and where it came from.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeetingRating {
    pub score: i64,
    #[sqlx(try_from = "String")]
    pub heard: Heard,
    pub trust: Option<i64>,
    pub comment: Option<String>,
    pub hamlet: Option<String>,
    pub group_name: Option<String>,
    pub channel: String,
    pub created_at: DateTime<Utc>,
}

/// Who gives a rating: a browser that came with the code (its key, kept in its session),
/// or a facilitator entering a paper answer.
pub enum Rater {
    Online(String),
    Paper(Uuid),
}

impl super::Store {
    /// The code printed on the meeting's daftar hadir that opens its rating form.
    pub async fn rating_code(&self, meeting: Uuid) -> Result<Option<String>> {
        let code: Option<Option<String>> = read!(self, |pool| {
            sqlx::query_scalar("SELECT rating_code FROM meetings WHERE id = $1")
                .bind(meeting)
                .fetch_optional(pool)
                .await
        })?;
        Ok(code.flatten())
    }

    /// Whether `code` opens the rating form of another meeting of the village.
    pub async fn rating_code_elsewhere(
        &self,
        village: Uuid,
        meeting: Uuid,
        code: &str,
    ) -> Result<bool> {
        Ok(read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM meetings WHERE village_id = $1 AND id <> $2 AND rating_code = $3)",
            )
            .bind(village)
            .bind(meeting)
            .bind(code)
            .fetch_one(pool)
            .await
        })?)
    }

    /// Stores a rating; the same browser rating the same meeting again is
    /// [`StoreError::Duplicate`], and nothing is stored.
    pub async fn add_meeting_rating(
        &self,
        village: Uuid,
        meeting: Uuid,
        r: &CheckedRating,
        rater: Rater,
    ) -> Result<()> {
        let id = new_id();
        let at = now();
        let (channel, key, entered_by) = match rater {
            Rater::Online(key) => ("online", Some(key), None),
            Rater::Paper(by) => ("paper", None, Some(by)),
        };
        change!(self, |tx| {
            sqlx::query(
                "INSERT INTO meeting_ratings (id, meeting_id, score, heard, trust, comment, hamlet, group_id, \
                 channel, rater, entered_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(id)
            .bind(meeting)
            .bind(r.score)
            .bind(r.heard.code())
            .bind(r.trust)
            .bind(&r.comment)
            .bind(&r.hamlet)
            .bind(r.group)
            .bind(channel)
            .bind(&key)
            .bind(entered_by)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(|e| duplicate_on(e, &["rater"]))?;
            // A paper answer entered by staff is on the record of who entered it; an
            // attendee's own rating is anonymous.
            let entry = entered_by.map(|by| {
                audit::entry!(actor: Some(by), village: Some(village), entity: "meeting",
                    id: meeting.to_string(), action: "rating_on_paper", before: None,
                    after: Some(serde_json::json!({ "score": r.score, "heard": r.heard.code() })))
            });
            ((), entry)
        })
    }

    /// Whether this rater (an account or a browser's key) rated the meeting already.
    pub async fn rated_by(&self, meeting: Uuid, rater: &str) -> Result<bool> {
        Ok(read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM meeting_ratings WHERE meeting_id = $1 AND rater = $2)",
            )
            .bind(meeting)
            .bind(rater)
            .fetch_one(pool)
            .await
        })?)
    }

    /// A meeting's ratings, the latest first.
    pub async fn meeting_ratings(&self, meeting: Uuid) -> Result<Vec<MeetingRating>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT r.score, r.heard, r.trust, r.comment, r.hamlet, g.name AS group_name, r.channel, r.created_at \
                 FROM meeting_ratings r LEFT JOIN stakeholder_groups g ON g.id = r.group_id \
                 WHERE r.meeting_id = $1 ORDER BY r.created_at DESC LIMIT 1000",
            )
            .bind(meeting)
            .fetch_all(pool)
            .await
        })?)
    }
}

/// A meeting's ratings summed up.
pub fn tally(ratings: &[MeetingRating]) -> RatingTally {
    let facts: Vec<MeetingRatingFact> = ratings
        .iter()
        .map(|r| MeetingRatingFact {
            score: r.score,
            heard: r.heard,
            trust: r.trust,
            hamlet: None,
            group: None,
            year: 0,
        })
        .collect();
    rating_tally(&facts)
}
