//! The DU-RKP after the Musrenbangdes: the kecamatan's answer to each item, and the items
//! of the villages a kecamatan oversees that still wait for one.

use crate::domain::proposal::EventKind;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Actor;
use super::plans::AgreedPlan;
use super::{Result, StoreError, audit, change, now, read, timeline};
use crate::domain::plan::{DuRkpAnswer, Placement};

/// The latest answer to one item.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Answer {
    pub proposal_id: Uuid,
    pub answer: String,
    pub reason: String,
    pub kecamatan: String,
    pub answered_by_name: String,
    pub answered_at: DateTime<Utc>,
}

/// A village's agreed DU-RKP as the kecamatan's list counts it.
#[derive(Debug, Clone)]
pub struct Waiting {
    pub village_id: Uuid,
    pub year: i64,
    pub items: usize,
    pub answered: usize,
}

impl super::Store {
    /// The answers given to a plan's DU-RKP.
    pub async fn du_rkp_answers(&self, plan: Uuid) -> Result<Vec<Answer>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT proposal_id, answer, reason, kecamatan, answered_by_name, answered_at \
                 FROM du_rkp_answers WHERE plan_id = $1",
            )
            .bind(plan)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Records the kecamatan's answer to the DU-RKP item of proposal `number`: only once a
    /// Musrenbangdes has agreed the plan, and only for an item of its DU-RKP. A later
    /// answer replaces the earlier one; each is on the proposal's timeline.
    pub async fn answer_du_rkp(
        &self,
        village: Uuid,
        kecamatan: &str,
        plan: Uuid,
        number: &str,
        answer: &DuRkpAnswer,
        by: &Actor,
    ) -> Result<()> {
        let (actor, actor_name) = (by.id, by.name.as_str());
        let at = now();
        change!(self, |tx| {
            // Taking the plan's row first orders two answers to one plan.
            let n =
                sqlx::query("UPDATE plans SET updated_at = $1 WHERE id = $2 AND village_id = $3")
                    .bind(at)
                    .bind(plan)
                    .bind(village)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let (tabled, agreed_at): (Option<String>, Option<DateTime<Utc>>) =
                sqlx::query_as("SELECT tabled, agreed_at FROM plans WHERE id = $1")
                    .bind(plan)
                    .fetch_one(&mut *tx)
                    .await?;
            let agreed: Option<AgreedPlan> = tabled
                .filter(|_| agreed_at.is_some())
                .and_then(|t| serde_json::from_str(&t).ok());
            let Some(agreed) = agreed else {
                return Err(StoreError::OutOfTurn("du_rkp.error.not_agreed"));
            };
            let item = agreed
                .plan
                .items
                .iter()
                .find(|i| i.number == number && i.placement == Placement::DuRkp)
                .ok_or(StoreError::NotFound)?;
            let before: Option<String> = sqlx::query_scalar(
                "SELECT answer FROM du_rkp_answers WHERE plan_id = $1 AND proposal_id = $2",
            )
            .bind(plan)
            .bind(item.proposal_id)
            .fetch_optional(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO du_rkp_answers (plan_id, proposal_id, answer, reason, kecamatan, answered_by, \
                 answered_by_name, answered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (plan_id, proposal_id) DO UPDATE SET answer = $3, reason = $4, kecamatan = $5, \
                 answered_by = $6, answered_by_name = $7, answered_at = $8",
            )
            .bind(plan)
            .bind(item.proposal_id)
            .bind(answer.answer)
            .bind(&answer.reason)
            .bind(kecamatan)
            .bind(actor)
            .bind(actor_name)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE proposals SET version = version + 1, updated_at = $1 WHERE id = $2",
            )
            .bind(at)
            .bind(item.proposal_id)
            .execute(&mut *tx)
            .await?;
            let note = format!(
                "{} · Kecamatan {kecamatan} · DU-RKP {}",
                answer.reason, agreed.year
            );
            let from = before.as_deref().unwrap_or("du_rkp").to_string();
            timeline!(&mut *tx, proposal: item.proposal_id, at: at, actor: Some(actor), name: actor_name,
                kind: EventKind::DuRkp, from: Some(from.as_str()), to: Some(answer.answer), note: Some(&note))?;
            let after = serde_json::json!({
                "proposal": item.proposal_id, "answer": answer.answer, "reason": answer.reason,
            });
            let before = before.map(|b| serde_json::json!({ "answer": b }));
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "plan",
                id: plan.to_string(), action: "du_rkp_answer", before: before, after: Some(after));
            ((), entry)
        })
    }

    /// For each of `villages`, each agreed plan's DU-RKP: how many items, how many answered.
    pub async fn du_rkp_waiting(&self, villages: &[Uuid]) -> Result<Vec<Waiting>> {
        let mut out = Vec::new();
        for chunk in villages.chunks(200) {
            let rows: Vec<(Uuid, Uuid, i64, Option<String>)> = read!(self, |pool| {
                let mut q = sqlx::QueryBuilder::new(
                    "SELECT id, village_id, year, tabled FROM plans WHERE agreed_at IS NOT NULL AND revision = 0 AND village_id IN (",
                );
                let mut list = q.separated(", ");
                for v in chunk {
                    list.push_bind(*v);
                }
                q.push(") ORDER BY year DESC");
                q.build_query_as().fetch_all(pool).await
            })?;
            for (plan, village_id, year, tabled) in rows {
                let Some(agreed) = tabled.and_then(|t| serde_json::from_str::<AgreedPlan>(&t).ok())
                else {
                    continue;
                };
                let items = agreed.plan.in_du_rkp().count();
                if items == 0 {
                    continue;
                }
                let answered: i64 = read!(self, |pool| {
                    sqlx::query_scalar("SELECT COUNT(*) FROM du_rkp_answers WHERE plan_id = $1")
                        .bind(plan)
                        .fetch_one(pool)
                        .await
                })?;
                out.push(Waiting {
                    village_id,
                    year,
                    items,
                    answered: usize::try_from(answered).unwrap_or(0),
                });
            }
        }
        Ok(out)
    }
}
