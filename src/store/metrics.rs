//! The facts engagement metrics are computed from, for one village and period.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Result, read};
use crate::domain::metrics::{Appearance, Facts, FeedbackFact, MeetingRatingFact};
use crate::domain::rating::Heard;

#[derive(sqlx::FromRow)]
struct MeetingRatingRow {
    score: i64,
    #[sqlx(try_from = "String")]
    heard: Heard,
    trust: Option<i64>,
    hamlet: Option<String>,
    group_name: Option<String>,
    scheduled_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct AttendanceRow {
    name: String,
    gender: String,
    group_id: Option<Uuid>,
    hamlet: Option<String>,
    meeting_id: Uuid,
}

#[derive(sqlx::FromRow)]
struct FeedbackRow {
    author_name: String,
    kind: String,
    group_id: Option<Uuid>,
    created_at: DateTime<Utc>,
    answered_at: Option<DateTime<Utc>>,
    acted: bool,
}

impl super::Store {
    /// Attendance of meetings held in `[from, to)`, feedback given then, ratings given
    /// then, and which of the village's groups were heard.
    pub async fn metrics_facts(
        &self,
        village: Uuid,
        population: Option<i64>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Facts> {
        let attendance: Vec<AttendanceRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT a.name, a.gender, a.group_id, a.hamlet, a.meeting_id FROM meeting_attendance a \
                 JOIN meetings m ON m.id = a.meeting_id WHERE m.village_id = $1 AND m.status <> 'planned' \
                 AND m.scheduled_at >= $2 AND m.scheduled_at < $3",
            )
            .bind(village)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await
        })?;
        let feedback: Vec<FeedbackRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT f.author_name, f.kind, f.group_id, f.created_at, \
                 (SELECT MIN(x.created_at) FROM feedback_answers x WHERE x.feedback_id = f.id) AS answered_at, \
                 EXISTS (SELECT 1 FROM follow_ups u WHERE u.feedback_id = f.id) AS acted \
                 FROM feedback f JOIN proposals p ON p.id = f.proposal_id \
                 WHERE p.village_id = $1 AND f.hidden_at IS NULL AND f.created_at >= $2 AND f.created_at < $3",
            )
            .bind(village)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await
        })?;
        let ratings: Vec<i64> = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT r.rating FROM proposal_ratings r JOIN proposals p ON p.id = r.proposal_id \
                 WHERE p.village_id = $1 AND r.at >= $2 AND r.at < $3",
            )
            .bind(village)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await
        })?;
        let meeting_ratings: Vec<MeetingRatingRow> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT r.score, r.heard, r.trust, r.hamlet, g.name AS group_name, m.scheduled_at \
                 FROM meeting_ratings r JOIN meetings m ON m.id = r.meeting_id \
                 LEFT JOIN stakeholder_groups g ON g.id = r.group_id \
                 WHERE m.village_id = $1 AND m.scheduled_at >= $2 AND m.scheduled_at < $3",
            )
            .bind(village)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await
        })?;
        // The decisions on proposals of the period's held meetings, and whether each was
        // acted on.
        let decisions: Vec<bool> = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM follow_ups u WHERE u.decision_meeting_id = a.meeting_id \
                     AND u.proposal_id = a.proposal_id) \
                 FROM meeting_agenda a JOIN meetings m ON m.id = a.meeting_id \
                 WHERE m.village_id = $1 AND m.status <> 'planned' AND a.decision IS NOT NULL \
                 AND m.scheduled_at >= $2 AND m.scheduled_at < $3",
            )
            .bind(village)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await
        })?;
        // Residents' observations published in the period: who they are, one each.
        let observers: Vec<String> = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT u.author_name FROM proposal_updates u JOIN proposals p ON p.id = u.proposal_id \
                 WHERE p.village_id = $1 AND u.by_resident AND u.status = 'published' \
                 AND u.at >= $2 AND u.at < $3",
            )
            .bind(village)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await
        })?;
        let heard: Vec<Uuid> = attendance
            .iter()
            .filter_map(|a| a.group_id)
            .chain(feedback.iter().filter_map(|f| f.group_id))
            .collect();
        let hamlet_sizes: Vec<(String, Option<i64>)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT name, population FROM hamlets WHERE village_id = $1 ORDER BY position",
            )
            .bind(village)
            .fetch_all(pool)
            .await
        })?;
        let listed = self.list_groups(village).await?;
        let name_of = |id: Option<Uuid>| {
            id.and_then(|id| listed.iter().find(|g| g.id == id))
                .map(|g| g.name.clone())
        };
        let groups = listed
            .iter()
            .map(|g| (g.name.clone(), heard.contains(&g.id)))
            .collect();
        let group_sizes = listed.iter().map(|g| (g.name.clone(), g.members)).collect();
        Ok(Facts {
            appearances: attendance
                .into_iter()
                .map(|a| Appearance {
                    group: name_of(a.group_id),
                    name: a.name,
                    gender: Some(a.gender),
                    meeting: Some(a.meeting_id),
                    hamlet: a.hamlet,
                })
                .chain(feedback.iter().map(|f| Appearance {
                    name: f.author_name.clone(),
                    gender: None,
                    meeting: None,
                    group: name_of(f.group_id),
                    hamlet: None,
                }))
                .chain(observers.iter().map(|name| Appearance {
                    name: name.clone(),
                    gender: None,
                    meeting: None,
                    group: None,
                    hamlet: None,
                }))
                .collect(),
            observations: observers.len() as i64,
            feedback: feedback
                .iter()
                .map(|f| FeedbackFact {
                    concern: f.kind == "concern",
                    at: f.created_at,
                    answered_at: f.answered_at,
                    acted: f.acted,
                })
                .collect(),
            ratings,
            groups,
            population,
            meeting_ratings: meeting_ratings
                .into_iter()
                .map(|r| MeetingRatingFact {
                    score: r.score,
                    heard: r.heard,
                    trust: r.trust,
                    hamlet: r.hamlet,
                    group: r.group_name,
                    year: chrono::Datelike::year(&r.scheduled_at),
                })
                .collect(),
            decisions,
            group_sizes,
            hamlet_sizes,
        })
    }

    /// How many published proposals of the village are in each status now.
    pub async fn status_counts(&self, village: Uuid) -> Result<Vec<(String, i64)>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT status, COUNT(*) FROM proposals WHERE village_id = $1 AND status <> 'pending' \
                 GROUP BY status ORDER BY status",
            )
            .bind(village)
            .fetch_all(pool)
            .await
        })?)
    }
}

#[derive(sqlx::FromRow)]
struct EquityRow {
    hamlet: Option<String>,
    proposer_group_id: Option<Uuid>,
    implementer_group_id: Option<Uuid>,
    year: i64,
    status: String,
    plan_year: Option<i64>,
    cost: Option<i64>,
}

impl super::Store {
    /// The village's proposals numbered from `from` on, or funded in the RKP Desa (in
    /// force) of a year from `from` on, with the year and amount that funds them; and how
    /// many plans of those years are set.
    pub async fn equity_facts(
        &self,
        village: Uuid,
        from: i64,
    ) -> Result<(Vec<crate::domain::equity::Fact>, usize)> {
        let (rows, set): (Vec<EquityRow>, i64) = read!(self, |pool| {
            let rows = sqlx::query_as(
                "SELECT p.hamlet, p.proposer_group_id, p.implementer_group_id, p.year, p.status, y.year AS plan_year, \
                 COALESCE(i.cost, p.estimated_cost) AS cost FROM proposals p \
                 LEFT JOIN plan_items i ON i.proposal_id = p.id AND i.placed = 'rkp' AND i.plan_id IN (\
                   SELECT id FROM plans WHERE village_id = $1 AND status = 'adopted' AND superseded_by IS NULL AND year >= $2) \
                 LEFT JOIN plans y ON y.id = i.plan_id \
                 WHERE p.village_id = $1 AND (p.year >= $2 OR y.id IS NOT NULL)",
            )
            .bind(village)
            .bind(from)
            .fetch_all(pool)
            .await?;
            let set = sqlx::query_scalar(
                "SELECT COUNT(*) FROM plans WHERE village_id = $1 AND status = 'adopted' \
                 AND superseded_by IS NULL AND year >= $2",
            )
            .bind(village)
            .bind(from)
            .fetch_one(pool)
            .await?;
            (rows, set)
        });
        let facts = rows
            .into_iter()
            .map(|r| crate::domain::equity::Fact {
                hamlet: r.hamlet,
                groups: r
                    .proposer_group_id
                    .into_iter()
                    .chain(r.implementer_group_id)
                    .collect(),
                year: r.year,
                status: r.status,
                funded: r.plan_year.map(|y| (y, r.cost.unwrap_or(0))),
            })
            .collect();
        Ok((facts, usize::try_from(set).unwrap_or(0)))
    }
}
