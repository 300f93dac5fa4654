//! Tindak lanjut: the actions taken on a proposal's concerns and decisions, and what the
//! form to record one offers.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{Result, audit, change, new_id, now, read};
use crate::domain::follow_up::{Evidence, FollowUp, Subject};

/// A concern of the proposal that an action can follow up.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConcernChoice {
    pub id: Uuid,
    pub author_name: String,
    pub body: String,
}

/// A decision of a meeting on the proposal.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DecisionChoice {
    pub meeting_id: Uuid,
    pub title: String,
    pub decision: String,
    pub scheduled_at: DateTime<Utc>,
}

/// A year's plan that carries the proposal.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlanChoice {
    pub plan_id: Uuid,
    pub year: i64,
    pub revision: i64,
}

/// What the action form offers for one proposal (its progress reports are on the page).
#[derive(Debug, Clone, Default)]
pub struct Choices {
    pub concerns: Vec<ConcernChoice>,
    pub decisions: Vec<DecisionChoice>,
    pub plans: Vec<PlanChoice>,
}

impl Choices {
    pub fn subjects(&self) -> Vec<Subject> {
        self.concerns
            .iter()
            .map(|c| Subject::Concern(c.id))
            .chain(
                self.decisions
                    .iter()
                    .map(|d| Subject::Decision(d.meeting_id)),
            )
            .collect()
    }

    /// The records that can show an action, with the proposal's progress reports.
    pub fn evidence(&self, updates: &[Uuid]) -> Vec<Evidence> {
        updates
            .iter()
            .map(|u| Evidence::Update(*u))
            .chain(self.plans.iter().map(|p| Evidence::Plan(p.plan_id)))
            .chain(
                self.decisions
                    .iter()
                    .map(|d| Evidence::Decision(d.meeting_id)),
            )
            .collect()
    }
}

/// An action as shown: what it follows up, what was done, and the record that shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActionTaken {
    pub id: Uuid,
    pub feedback_id: Option<Uuid>,
    pub concern: Option<String>,
    pub decision_meeting_id: Option<Uuid>,
    pub decision_title: Option<String>,
    pub decision: Option<String>,
    pub done_on: NaiveDate,
    pub actor: String,
    pub change: String,
    pub update_id: Option<Uuid>,
    pub update_progress: Option<i64>,
    pub plan_id: Option<Uuid>,
    pub plan_year: Option<i64>,
    pub evidence_meeting_id: Option<Uuid>,
    pub evidence_title: Option<String>,
}

impl super::Store {
    pub async fn follow_up_choices(&self, proposal: Uuid) -> Result<Choices> {
        Ok(read!(self, |pool| {
            let concerns = sqlx::query_as(
                "SELECT id, author_name, body FROM feedback WHERE proposal_id = $1 AND kind = 'concern' \
                 AND hidden_at IS NULL ORDER BY created_at, id",
            )
            .bind(proposal)
            .fetch_all(pool)
            .await?;
            let decisions = sqlx::query_as(
                "SELECT m.id AS meeting_id, m.title, a.decision, m.scheduled_at FROM meeting_agenda a \
                 JOIN meetings m ON m.id = a.meeting_id WHERE a.proposal_id = $1 AND a.decision IS NOT NULL \
                 ORDER BY m.scheduled_at, m.id",
            )
            .bind(proposal)
            .fetch_all(pool)
            .await?;
            let plans = sqlx::query_as(
                "SELECT p.id AS plan_id, p.year, p.revision FROM plan_items i JOIN plans p ON p.id = i.plan_id \
                 WHERE i.proposal_id = $1 ORDER BY p.year, p.revision",
            )
            .bind(proposal)
            .fetch_all(pool)
            .await?;
            Ok::<_, sqlx::Error>(Choices {
                concerns,
                decisions,
                plans,
            })
        })?)
    }

    /// The proposal's actions, the latest first.
    pub async fn follow_ups(&self, proposal: Uuid) -> Result<Vec<ActionTaken>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT f.id, f.feedback_id, c.body AS concern, f.decision_meeting_id, dm.title AS decision_title, \
                 da.decision, f.done_on, f.actor, f.change, f.update_id, u.progress AS update_progress, \
                 f.plan_id, p.year AS plan_year, f.evidence_meeting_id, em.title AS evidence_title \
                 FROM follow_ups f \
                 LEFT JOIN feedback c ON c.id = f.feedback_id \
                 LEFT JOIN meetings dm ON dm.id = f.decision_meeting_id \
                 LEFT JOIN meeting_agenda da ON da.meeting_id = f.decision_meeting_id AND da.proposal_id = f.proposal_id \
                 LEFT JOIN proposal_updates u ON u.id = f.update_id \
                 LEFT JOIN plans p ON p.id = f.plan_id \
                 LEFT JOIN meetings em ON em.id = f.evidence_meeting_id \
                 WHERE f.proposal_id = $1 ORDER BY f.done_on DESC, f.created_at DESC",
            )
            .bind(proposal)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Records an action the handler checked against the proposal's choices.
    pub async fn add_follow_up(
        &self,
        village: Uuid,
        proposal: Uuid,
        f: &FollowUp,
        by: Uuid,
    ) -> Result<()> {
        let id = new_id();
        let at = now();
        let (concern, decision) = match f.subject {
            Subject::Concern(c) => (Some(c), None),
            Subject::Decision(m) => (None, Some(m)),
        };
        let (update, plan, meeting) = match f.evidence {
            Evidence::Update(u) => (Some(u), None, None),
            Evidence::Plan(p) => (None, Some(p), None),
            Evidence::Decision(m) => (None, None, Some(m)),
        };
        change!(self, |tx| {
            sqlx::query(
                "INSERT INTO follow_ups (id, proposal_id, feedback_id, decision_meeting_id, done_on, actor, change, \
                 update_id, plan_id, evidence_meeting_id, recorded_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(id)
            .bind(proposal)
            .bind(concern)
            .bind(decision)
            .bind(f.done_on)
            .bind(&f.actor)
            .bind(&f.change)
            .bind(update)
            .bind(plan)
            .bind(meeting)
            .bind(by)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let after = serde_json::json!({
                "proposal": proposal, "subject": f.subject.code(), "done_on": f.done_on,
                "actor": f.actor, "change": f.change, "evidence": f.evidence.code(),
            });
            let entry = audit::entry!(actor: Some(by), village: Some(village), entity: "follow_up",
                id: id.to_string(), action: "create", before: None, after: Some(after));
            ((), entry)
        })
    }
}
