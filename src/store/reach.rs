//! Channels and their reach: each channel a proposal or meeting was announced through,
//! with its estimated reach and the dusun and groups it reached.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Actor, Result, audit, change, new_id, now, read, timeline};
use crate::domain::proposal::EventKind;
use crate::domain::reach::{CheckedReach, ReachFact};

/// What a channel was recorded for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Announced {
    Proposal(Uuid),
    Meeting(Uuid),
}

/// A recorded channel with whom it reached, by name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Reach {
    pub id: Uuid,
    pub channel: String,
    pub reach: Option<i64>,
    pub note: Option<String>,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
    #[sqlx(skip)]
    pub hamlets: Vec<String>,
    #[sqlx(skip)]
    pub groups: Vec<String>,
}

#[derive(sqlx::FromRow)]
struct Reached {
    reach_id: Uuid,
    hamlet: Option<String>,
    group_id: Option<Uuid>,
    group_name: Option<String>,
}

/// Whom each of the village's channels reached (`reach_id`, dusun or group).
const REACHED: &str = "SELECT h.reach_id, h.hamlet, NULL AS group_id, NULL AS group_name \
     FROM channel_reach_hamlets h JOIN channel_reach r ON r.id = h.reach_id WHERE r.village_id = $1 \
     UNION ALL SELECT g.reach_id, NULL, g.group_id, s.name FROM channel_reach_groups g \
     JOIN channel_reach r ON r.id = g.reach_id JOIN stakeholder_groups s ON s.id = g.group_id \
     WHERE r.village_id = $1";

impl super::Store {
    /// Records a channel for a proposal (on its timeline too, for `inform`) or a meeting.
    pub async fn record_reach(
        &self,
        village: Uuid,
        what: Announced,
        r: &CheckedReach,
        by: &Actor,
    ) -> Result<Uuid> {
        let (actor, actor_name) = (by.id, by.name.as_str());
        let at = now();
        let id = new_id();
        let (proposal, meeting) = match what {
            Announced::Proposal(p) => (Some(p), None),
            Announced::Meeting(m) => (None, Some(m)),
        };
        change!(self, |tx| {
            sqlx::query(
                "INSERT INTO channel_reach (id, village_id, proposal_id, meeting_id, channel, reach, note, \
                 created_by, created_by_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(id)
            .bind(village)
            .bind(proposal)
            .bind(meeting)
            .bind(r.channel)
            .bind(r.reach)
            .bind(r.note.as_deref())
            .bind(actor)
            .bind(actor_name)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            for h in &r.hamlets {
                sqlx::query("INSERT INTO channel_reach_hamlets (reach_id, hamlet) VALUES ($1, $2)")
                    .bind(id)
                    .bind(h)
                    .execute(&mut *tx)
                    .await?;
            }
            for g in &r.groups {
                sqlx::query(
                    "INSERT INTO channel_reach_groups (reach_id, group_id) VALUES ($1, $2)",
                )
                .bind(id)
                .bind(g)
                .execute(&mut *tx)
                .await?;
            }
            if let Some(p) = proposal {
                timeline!(&mut *tx, proposal: p, at: at, actor: Some(actor), name: actor_name,
                    kind: EventKind::Announced, from: None, to: Some(r.channel), note: r.note.as_deref())?;
            }
            let after = serde_json::json!({
                "channel": r.channel, "reach": r.reach, "hamlets": r.hamlets, "groups": r.groups,
                "note": r.note, "proposal": proposal, "meeting": meeting,
            });
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "channel",
                id: id.to_string(), action: "create", before: None, after: Some(after));
            (id, entry)
        })
    }

    /// The channels recorded for a proposal or a meeting, the oldest first.
    pub async fn reach_of(&self, village: Uuid, what: Announced) -> Result<Vec<Reach>> {
        let (sql, id) = match what {
            Announced::Proposal(p) => (
                "SELECT id, channel, reach, note, created_by_name, created_at FROM channel_reach \
                 WHERE village_id = $1 AND proposal_id = $2 ORDER BY created_at, id LIMIT 100",
                p,
            ),
            Announced::Meeting(m) => (
                "SELECT id, channel, reach, note, created_by_name, created_at FROM channel_reach \
                 WHERE village_id = $1 AND meeting_id = $2 ORDER BY created_at, id LIMIT 100",
                m,
            ),
        };
        let mut list: Vec<Reach> = read!(self, |pool| {
            sqlx::query_as(sql)
                .bind(village)
                .bind(id)
                .fetch_all(pool)
                .await
        })?;
        if list.is_empty() {
            return Ok(list);
        }
        for w in self.reached(village).await? {
            if let Some(r) = list.iter_mut().find(|r| r.id == w.reach_id) {
                match (w.hamlet, w.group_name) {
                    (Some(h), _) => r.hamlets.push(h),
                    (None, Some(g)) => r.groups.push(g),
                    _ => {}
                }
            }
        }
        Ok(list)
    }

    async fn reached(&self, village: Uuid) -> Result<Vec<Reached>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(REACHED).bind(village).fetch_all(pool).await
        })?)
    }

    /// Every channel the village recorded since `since`, as the coverage reads them.
    pub async fn reach_facts(&self, village: Uuid, since: DateTime<Utc>) -> Result<Vec<ReachFact>> {
        let rows: Vec<(Uuid, String, Option<i64>)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, channel, reach FROM channel_reach WHERE village_id = $1 AND created_at >= $2 \
                 ORDER BY created_at, id",
            )
            .bind(village)
            .bind(since)
            .fetch_all(pool)
            .await
        })?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let reached = self.reached(village).await?;
        Ok(rows
            .into_iter()
            .map(|(id, channel, reach)| {
                let of = reached.iter().filter(|w| w.reach_id == id);
                ReachFact {
                    channel,
                    reach,
                    hamlets: of.clone().filter_map(|w| w.hamlet.clone()).collect(),
                    groups: of.filter_map(|w| w.group_id).collect(),
                }
            })
            .collect())
    }
}
