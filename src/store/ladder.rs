//! The engagement ladder's records: the evidence read for a proposal, moves with their
//! evidence snapshot, information channels, partnerships, the implementer, and the
//! village's thresholds.

use crate::domain::proposal::EventKind;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Actor;
use super::proposals::Proposal;
use super::villages::Village;
use super::{OrStale, Result, StoreError, audit, change, new_id, now, read, timeline};
use crate::domain::ladder::{
    Delivery, Evidence, FeedbackTally, MeetingFact, PledgeTally, Thresholds,
};
use crate::domain::meeting::{self, Decision, MeetingStatus};
use crate::domain::proposal::Level;

/// The proposals of frozen plans placed in the RKP Desa, by (plan, content hash).
pub(super) type PlacedCache =
    moka::future::Cache<(Uuid, String), std::sync::Arc<std::collections::HashSet<Uuid>>>;

/// At most this many proposal ids across all plans kept (a few megabytes).
pub(super) fn placed_cache() -> PlacedCache {
    moka::future::Cache::builder()
        .weigher(|_, v: &std::sync::Arc<std::collections::HashSet<Uuid>>| {
            u32::try_from(v.len()).unwrap_or(u32::MAX).max(1)
        })
        .max_capacity(200_000)
        .build()
}

/// What the ladder reads of a frozen plan: each item's proposal and where it was placed.
#[derive(serde::Deserialize)]
struct FrozenPlan {
    plan: FrozenItems,
}

#[derive(serde::Deserialize)]
struct FrozenItems {
    items: Vec<FrozenItem>,
}

#[derive(serde::Deserialize)]
struct FrozenItem {
    #[serde(default)]
    proposal_id: String,
    #[serde(default)]
    placement: Option<String>,
}

/// The proposals a frozen plan record places in the RKP Desa (not the DU-RKP); none when
/// the record cannot be read as a plan.
fn placed_in_rkp(record: &str) -> std::collections::HashSet<Uuid> {
    serde_json::from_str::<FrozenPlan>(record)
        .map(|f| {
            f.plan
                .items
                .into_iter()
                .filter(|i| i.placement.as_deref() == Some("rkp"))
                .filter_map(|i| Uuid::parse_str(&i.proposal_id).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// The name of a group of the village, inside a change; a group of no one or of another
/// village is not found.
macro_rules! group_name {
    ($tx:ident, $group:expr, $village:expr) => {{
        let name: Option<String> = sqlx::query_scalar(
            "SELECT name FROM stakeholder_groups WHERE id = $1 AND village_id = $2",
        )
        .bind($group)
        .bind($village)
        .fetch_optional(&mut *$tx)
        .await?;
        name.ok_or(StoreError::NotFound)?
    }};
}

/// A group's recorded partnership on a proposal.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Partnership {
    pub id: Uuid,
    pub group_id: Uuid,
    pub group_name: String,
    pub contribution: String,
    pub amount: Option<i64>,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    /// What came of the pledge, once marked.
    #[sqlx(try_from = "Option<String>")]
    pub delivery: OptionalDelivery,
    pub delivery_note: Option<String>,
    pub delivery_by_name: Option<String>,
    pub delivery_at: Option<DateTime<Utc>>,
}

/// An option for carrying out a proposal, worked out with a group, and the meetings that
/// chose it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Alternative {
    pub id: Uuid,
    pub group_id: Uuid,
    pub group_name: String,
    pub title: String,
    /// Always there (optional only for the `rupiah` filter).
    pub cost: Option<i64>,
    pub trade_offs: String,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
    #[sqlx(skip)]
    pub chosen: Vec<AlternativeChosen>,
}

/// An alternative of a proposal on a meeting's agenda, for the decision form.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AgendaAlternative {
    /// The proposal's number.
    pub number: String,
    #[sqlx(flatten)]
    pub alternative: Alternative,
}

/// A meeting's decision that chose an alternative, with the reason.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AlternativeChosen {
    pub alternative_id: Uuid,
    pub meeting_id: Uuid,
    pub meeting_title: String,
    pub scheduled_at: DateTime<Utc>,
    pub reason: String,
}

/// A pledge's outcome as a row holds it (none until marked).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OptionalDelivery(pub Option<Delivery>);

impl TryFrom<Option<String>> for OptionalDelivery {
    type Error = String;
    fn try_from(raw: Option<String>) -> std::result::Result<Self, String> {
        raw.map(Delivery::try_from)
            .transpose()
            .map(OptionalDelivery)
    }
}

/// A group's pledge, as its page lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Pledge {
    pub number: String,
    pub title: String,
    pub contribution: String,
    pub amount: Option<i64>,
    #[sqlx(try_from = "Option<String>")]
    pub delivery: OptionalDelivery,
    pub delivery_note: Option<String>,
}

/// The name the timeline gives a move the system made itself, under the village's
/// automatic setting.
const SYSTEM: &str = "musdes";

impl super::Store {
    /// The proposals the frozen plan `plan` places in the RKP Desa, read once per record.
    async fn placed_in_rkp(
        &self,
        plan: Uuid,
        hash: Option<String>,
    ) -> Result<std::sync::Arc<std::collections::HashSet<Uuid>>> {
        let store = self.clone();
        self.rkp_placed
            .try_get_with((plan, hash.unwrap_or_default()), async move {
                let record: Option<String> = read!(store, |pool| {
                    sqlx::query_scalar("SELECT record FROM plans WHERE id = $1")
                        .bind(plan)
                        .fetch_optional(pool)
                        .await
                })?
                .flatten();
                Ok::<_, StoreError>(std::sync::Arc::new(
                    record.as_deref().map(placed_in_rkp).unwrap_or_default(),
                ))
            })
            .await
            .map_err(|e| match std::sync::Arc::try_unwrap(e) {
                Ok(e) => e,
                Err(e) => StoreError::Config(e.to_string()),
            })
    }
    /// Everything recorded about a proposal that the ladder reads.
    pub async fn evidence(&self, village: &Village, p: &Proposal) -> Result<Evidence> {
        // Counted here, not listed: a proposal may carry thousands of entries.
        let (entries, voices, open_concerns): (i64, i64, i64) = read!(self, |pool| {
            sqlx::query_as(
                "SELECT COUNT(*), COUNT(DISTINCT COALESCE(f.group_id, f.author_id, f.id)), \
                 COALESCE(SUM(CASE WHEN f.kind = 'concern' AND NOT EXISTS \
                 (SELECT 1 FROM feedback_answers a WHERE a.feedback_id = f.id) THEN 1 ELSE 0 END), 0) \
                 FROM feedback f WHERE f.proposal_id = $1 AND f.hidden_at IS NULL",
            )
            .bind(p.id)
            .fetch_one(pool)
            .await
        })?;
        let channels: Vec<String> = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT to_value FROM proposal_events WHERE proposal_id = $1 AND kind = 'announced' \
                 AND to_value IS NOT NULL ORDER BY at",
            )
            .bind(p.id)
            .fetch_all(pool)
            .await
        })?;
        let meeting_ids: Vec<Uuid> = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT m.id FROM meeting_agenda a JOIN meetings m ON m.id = a.meeting_id \
                 WHERE a.proposal_id = $1 ORDER BY m.scheduled_at, m.id LIMIT 100",
            )
            .bind(p.id)
            .fetch_all(pool)
            .await
        })?;
        let mut meetings = Vec::new();
        for id in meeting_ids {
            let m = self.meeting(village.id, id).await?;
            let record = if m.is_finalized() {
                self.frozen_record(m.id).await?.1
            } else {
                let parts = self.meeting_parts(m.id).await?;
                super::meetings::record_of(village, &m, &parts)
            };
            let summary = meeting::summarize(&record);
            let mut groups: Vec<Uuid> = record
                .attendance
                .iter()
                .filter_map(|a| a.group.as_ref().map(|g| g.id))
                .collect();
            groups.sort_unstable();
            groups.dedup();
            let decision = record
                .agenda
                .iter()
                .find(|i| i.number == p.number)
                .and_then(|i| i.decision.as_ref())
                .and_then(|d| Decision::parse(&d.decision));
            meetings.push(MeetingFact {
                kind: m.kind,
                held: m.status != MeetingStatus::Planned,
                finalized: m.is_finalized(),
                present: summary.present,
                women: summary.women,
                groups_present: groups.len() as i64,
                decision,
                opened: meeting::opened(&record),
            });
        }
        let partner_kinds: Vec<String> = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT g.kind FROM proposal_partnerships pp JOIN stakeholder_groups g ON g.id = pp.group_id \
                 WHERE pp.proposal_id = $1",
            )
            .bind(p.id)
            .fetch_all(pool)
            .await
        })?;
        let alternative_kinds: Vec<String> = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT g.kind FROM proposal_alternatives x JOIN stakeholder_groups g ON g.id = x.group_id \
                 WHERE x.proposal_id = $1",
            )
            .bind(p.id)
            .fetch_all(pool)
            .await
        })?;
        let implementer_kind: Option<String> = match p.implementer_group_id {
            Some(g) => read!(self, |pool| {
                sqlx::query_scalar("SELECT kind FROM stakeholder_groups WHERE id = $1")
                    .bind(g)
                    .fetch_optional(pool)
                    .await
            })?,
            None => None,
        };
        // Plans in force holding it, as frozen: does it stand in the RKP Desa (not the DU-RKP)?
        let plans: Vec<(Uuid, Option<String>)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT y.id, y.content_hash FROM plan_items x JOIN plans y ON y.id = x.plan_id \
                 WHERE x.proposal_id = $1 AND y.status = 'adopted' AND y.superseded_by IS NULL",
            )
            .bind(p.id)
            .fetch_all(pool)
            .await
        })?;
        let mut in_set_plan = false;
        for (plan, hash) in plans {
            if self.placed_in_rkp(plan, hash).await?.contains(&p.id) {
                in_set_plan = true;
                break;
            }
        }
        Ok(Evidence {
            in_set_plan,
            status: p.status,
            channels,
            feedback: FeedbackTally {
                entries,
                voices,
                open_concerns,
            },
            meetings,
            partner_kinds,
            alternative_kinds,
            implementer_kind,
        })
    }

    /// When the village allows it and every condition up to `empower` holds, moves the
    /// proposal there, as the system's own event. Whether it moved; a move by someone
    /// at the same moment leaves nothing to do.
    pub async fn auto_climb(&self, village: &Village, p: &Proposal) -> Result<bool> {
        let thresholds = village.thresholds();
        let from = p.level;
        if !thresholds.auto_empower || from == Level::Empower {
            return Ok(false);
        }
        let evidence = self.evidence(village, p).await?;
        let Ok(held) =
            crate::domain::ladder::check_move(from, Level::Empower, "", &evidence, &thresholds)
        else {
            return Ok(false);
        };
        let snapshot = serde_json::to_value(&held)
            .map_err(|e| StoreError::Db(sqlx::Error::Encode(e.into())))?;
        match self
            .move_level(
                village.id,
                p.id,
                from,
                Level::Empower,
                None,
                &snapshot,
                None,
            )
            .await
        {
            Ok(()) => Ok(true),
            Err(StoreError::Stale) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Moves a proposal from `from` to `to` if it still stands on `from`; the event keeps
    /// the evidence that justified the move. A second move from the same reading is stale.
    /// `by` is the person who moved it, or `None` for the system itself.
    #[allow(clippy::too_many_arguments)]
    pub async fn move_level(
        &self,
        village: Uuid,
        proposal: Uuid,
        from: Level,
        to: Level,
        note: Option<&str>,
        evidence: &serde_json::Value,
        by: Option<&Actor>,
    ) -> Result<()> {
        let at = now();
        let kind = if by.is_none() {
            EventKind::LevelAuto
        } else {
            EventKind::LevelChanged
        };
        change!(self, |tx| {
            sqlx::query(
                "UPDATE proposals SET level = $1, version = version + 1, updated_at = $2 \
                 WHERE id = $3 AND village_id = $4 AND level = $5",
            )
            .bind(to.rank())
            .bind(at)
            .bind(proposal)
            .bind(village)
            .bind(from.rank())
            .execute(&mut *tx)
            .await?
            .or_stale()?;
            sqlx::query(
                "INSERT INTO proposal_events (id, proposal_id, at, actor_id, actor_name, kind, from_value, to_value, \
                 note, evidence) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(new_id())
            .bind(proposal)
            .bind(at)
            .bind(by.map(|a| a.id))
            .bind(by.map_or(SYSTEM, |a| a.name.as_str()))
            .bind(kind.code())
            .bind(from.code())
            .bind(to.code())
            .bind(note)
            .bind(evidence.to_string())
            .execute(&mut *tx)
            .await?;
            let before = serde_json::json!({ "level": from.code() });
            let after =
                serde_json::json!({ "level": to.code(), "note": note, "evidence": evidence });
            let entry = audit::entry!(actor: by.map(|a| a.id), village: Some(village), entity: "proposal",
                id: proposal.to_string(), action: "level", before: Some(before), after: Some(after));
            ((), entry)
        })
    }

    /// An information channel the proposal was announced through (for `inform`).
    pub async fn record_channel(
        &self,
        village: Uuid,
        proposal: Uuid,
        channel: &str,
        note: Option<&str>,
        by: &Actor,
    ) -> Result<()> {
        let (actor, actor_name) = (by.id, by.name.as_str());
        let at = now();
        change!(self, |tx| {
            timeline!(&mut *tx, proposal: proposal, at: at, actor: Some(actor), name: actor_name,
                kind: EventKind::Announced, from: None, to: Some(channel), note: note)?;
            let after = serde_json::json!({ "channel": channel, "note": note });
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "proposal",
                id: proposal.to_string(), action: "channel", before: None, after: Some(after));
            ((), entry)
        })
    }

    /// A group's partnership on a proposal of its own village (for `collaborate`).
    #[allow(clippy::too_many_arguments)]
    pub async fn add_partnership(
        &self,
        village: Uuid,
        proposal: Uuid,
        group: Uuid,
        contribution: &str,
        amount: Option<i64>,
        note: Option<&str>,
        by: &Actor,
    ) -> Result<()> {
        let (actor, actor_name) = (by.id, by.name.as_str());
        let at = now();
        change!(self, |tx| {
            let name = group_name!(tx, group, village);
            sqlx::query(
                "INSERT INTO proposal_partnerships (id, proposal_id, group_id, contribution, amount, note, created_by, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(new_id())
            .bind(proposal)
            .bind(group)
            .bind(contribution)
            .bind(amount)
            .bind(note)
            .bind(actor)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            timeline!(&mut *tx, proposal: proposal, at: at, actor: Some(actor), name: actor_name,
                kind: EventKind::Partnership, from: Some(contribution), to: Some(name.as_str()), note: note)?;
            let after = serde_json::json!({ "group": group, "contribution": contribution, "amount": amount, "note": note });
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "proposal",
                id: proposal.to_string(), action: "partnership", before: None, after: Some(after));
            ((), entry)
        })
    }

    /// An alternative for a proposal of the village, worked out with one of its groups
    /// (for `collaborate`).
    pub async fn add_alternative(
        &self,
        village: Uuid,
        proposal: Uuid,
        group: Uuid,
        a: &crate::domain::ladder::NewAlternative,
        by: &Actor,
    ) -> Result<Uuid> {
        let (actor, actor_name) = (by.id, by.name.as_str());
        let at = now();
        let id = new_id();
        change!(self, |tx| {
            let name = group_name!(tx, group, village);
            sqlx::query(
                "INSERT INTO proposal_alternatives (id, proposal_id, group_id, title, cost, trade_offs, \
                 created_by, created_by_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id)
            .bind(proposal)
            .bind(group)
            .bind(&a.title)
            .bind(a.cost)
            .bind(&a.trade_offs)
            .bind(actor)
            .bind(actor_name)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            timeline!(&mut *tx, proposal: proposal, at: at, actor: Some(actor), name: actor_name,
                kind: EventKind::Alternative, from: Some(name.as_str()), to: Some(a.title.as_str()), note: Some(a.trade_offs.as_str()))?;
            let after = serde_json::json!({ "group": group, "title": a.title, "cost": a.cost, "trade_offs": a.trade_offs });
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "proposal",
                id: proposal.to_string(), action: "alternative", before: None, after: Some(after));
            (id, entry)
        })
    }

    /// A proposal's alternatives, the oldest first, each with the decisions that chose it.
    pub async fn alternatives(&self, proposal: Uuid) -> Result<Vec<Alternative>> {
        let mut list: Vec<Alternative> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT x.id, x.group_id, g.name AS group_name, x.title, x.cost, x.trade_offs, \
                 x.created_by_name, x.created_at FROM proposal_alternatives x \
                 JOIN stakeholder_groups g ON g.id = x.group_id \
                 WHERE x.proposal_id = $1 ORDER BY x.created_at, x.id LIMIT 50",
            )
            .bind(proposal)
            .fetch_all(pool)
            .await
        })?;
        if list.is_empty() {
            return Ok(list);
        }
        let chosen: Vec<AlternativeChosen> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT a.alternative_id, m.id AS meeting_id, m.title AS meeting_title, m.scheduled_at, \
                 a.alternative_reason AS reason FROM meeting_agenda a JOIN meetings m ON m.id = a.meeting_id \
                 WHERE a.proposal_id = $1 AND a.alternative_id IS NOT NULL AND a.alternative_reason IS NOT NULL \
                 ORDER BY m.scheduled_at, m.id",
            )
            .bind(proposal)
            .fetch_all(pool)
            .await
        })?;
        for c in chosen {
            if let Some(a) = list.iter_mut().find(|a| a.id == c.alternative_id) {
                a.chosen.push(c);
            }
        }
        Ok(list)
    }

    /// The alternatives of every proposal on a meeting's agenda (for its decision forms).
    pub async fn agenda_alternatives(&self, meeting: Uuid) -> Result<Vec<AgendaAlternative>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT p.number, x.id, x.group_id, g.name AS group_name, x.title, x.cost, x.trade_offs, \
                 x.created_by_name, x.created_at FROM meeting_agenda a \
                 JOIN proposals p ON p.id = a.proposal_id \
                 JOIN proposal_alternatives x ON x.proposal_id = a.proposal_id \
                 JOIN stakeholder_groups g ON g.id = x.group_id \
                 WHERE a.meeting_id = $1 ORDER BY p.number, x.created_at, x.id LIMIT 500",
            )
            .bind(meeting)
            .fetch_all(pool)
            .await
        })?)
    }

    pub async fn partnerships(&self, proposal: Uuid) -> Result<Vec<Partnership>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT pp.id, pp.group_id, g.name AS group_name, pp.contribution, pp.amount, pp.note, pp.created_at, \
                 pp.delivery, pp.delivery_note, pp.delivery_by_name, pp.delivery_at \
                 FROM proposal_partnerships pp JOIN stakeholder_groups g ON g.id = pp.group_id \
                 WHERE pp.proposal_id = $1 ORDER BY pp.created_at LIMIT 200",
            )
            .bind(proposal)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Marks what came of a pledge on a proposal (again, if it changed: partly delivered,
    /// then the rest). A pledge not of this proposal is not found.
    pub async fn mark_delivery(
        &self,
        village: Uuid,
        proposal: Uuid,
        pledge: Uuid,
        outcome: Delivery,
        note: Option<&str>,
        by: &Actor,
    ) -> Result<()> {
        let (actor, actor_name) = (by.id, by.name.as_str());
        let at = now();
        change!(self, |tx| {
            let before: Option<(Option<String>, Option<String>)> = sqlx::query_as(
                "SELECT delivery, delivery_note FROM proposal_partnerships WHERE id = $1 AND proposal_id = $2",
            )
            .bind(pledge)
            .bind(proposal)
            .fetch_optional(&mut *tx)
            .await?;
            let (was, was_note) = before.ok_or(StoreError::NotFound)?;
            sqlx::query(
                "UPDATE proposal_partnerships SET delivery = $1, delivery_note = $2, delivery_by_name = $3, \
                 delivery_at = $4 WHERE id = $5",
            )
            .bind(outcome.code())
            .bind(note)
            .bind(actor_name)
            .bind(at)
            .bind(pledge)
            .execute(&mut *tx)
            .await?;
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "proposal",
                id: proposal.to_string(), action: "pledge_delivery",
                before: Some(serde_json::json!({ "pledge": pledge, "delivery": was, "note": was_note })),
                after: Some(serde_json::json!({ "pledge": pledge, "delivery": outcome.code(), "note": note })));
            ((), entry)
        })
    }

    /// A group's pledges on its village's proposals, newest first.
    pub async fn group_pledges(&self, group: Uuid) -> Result<Vec<Pledge>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT p.number, p.title, pp.contribution, pp.amount, pp.delivery, pp.delivery_note \
                 FROM proposal_partnerships pp JOIN proposals p ON p.id = pp.proposal_id \
                 WHERE pp.group_id = $1 ORDER BY pp.created_at DESC LIMIT 200",
            )
            .bind(group)
            .fetch_all(pool)
            .await
        })?)
    }

    /// The village's pledges and what came of them.
    pub async fn pledge_tally(&self, village: Uuid) -> Result<PledgeTally> {
        let outcomes: Vec<(Option<String>,)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT pp.delivery FROM proposal_partnerships pp JOIN proposals p ON p.id = pp.proposal_id \
                 WHERE p.village_id = $1",
            )
            .bind(village)
            .fetch_all(pool)
            .await
        })?;
        Ok(PledgeTally::of(
            outcomes
                .into_iter()
                .map(|(d,)| d.as_deref().and_then(Delivery::parse)),
        ))
    }

    /// Names the community body that carries the proposal out (for `empower`).
    pub async fn set_implementer(
        &self,
        village: Uuid,
        p: &Proposal,
        group: Uuid,
        by: &Actor,
    ) -> Result<()> {
        let (actor, actor_name) = (by.id, by.name.as_str());
        let at = now();
        change!(self, |tx| {
            let name = group_name!(tx, group, village);
            sqlx::query(
                "UPDATE proposals SET implementer_group_id = $1, version = version + 1, updated_at = $2 WHERE id = $3",
            )
            .bind(group)
            .bind(at)
            .bind(p.id)
            .execute(&mut *tx)
            .await?;
            timeline!(&mut *tx, proposal: p.id, at: at, actor: Some(actor), name: actor_name,
                kind: EventKind::Implementer, from: None, to: Some(name.as_str()), note: None)?;
            let before = serde_json::json!({ "implementer": p.implementer_group_id });
            let after = serde_json::json!({ "implementer": group });
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "proposal",
                id: p.id.to_string(), action: "implementer", before: Some(before), after: Some(after));
            ((), entry)
        })
    }

    /// Changes the village's ladder thresholds if nobody changed the village since `version`.
    pub async fn update_thresholds(
        &self,
        village: &Village,
        version: i64,
        t: &Thresholds,
        actor: Uuid,
    ) -> Result<()> {
        let at = now();
        change!(self, |tx| {
            sqlx::query(
                "UPDATE villages SET ladder_consult_feedback = $1, ladder_consult_voices = $2, \
                 ladder_involve_groups = $3, women_minimum_percent = $4, auto_empower = $5, \
                 version = version + 1, updated_at = $6 WHERE id = $7 AND version = $8",
            )
            .bind(t.consult_feedback)
            .bind(t.consult_voices)
            .bind(t.involve_groups)
            .bind(t.women_minimum_percent)
            .bind(t.auto_empower)
            .bind(at)
            .bind(village.id)
            .bind(version)
            .execute(&mut *tx)
            .await?
            .or_stale()?;
            let before = serde_json::to_value(village.thresholds()).unwrap_or_default();
            let after = serde_json::to_value(t).unwrap_or_default();
            let entry = audit::entry!(actor: Some(actor), village: Some(village.id), entity: "village",
                id: village.id.to_string(), action: "thresholds", before: Some(before), after: Some(after));
            ((), entry)
        })
    }

    /// How many published proposals stand on each level, `inform` first: as the
    /// database counts them in every change to a proposal (the `level_counts` table).
    pub async fn level_distribution(&self, village: Uuid) -> Result<[i64; 5]> {
        let rows: Vec<(i64, i64)> = read!(self, |pool| {
            sqlx::query_as("SELECT level, published FROM level_counts WHERE village_id = $1")
                .bind(village)
                .fetch_all(pool)
                .await
        })?;
        let mut counts = [0; 5];
        for (level, n) in rows {
            if let Some(slot) = usize::try_from(level - 1)
                .ok()
                .and_then(|i| counts.get_mut(i))
            {
                *slot = n;
            }
        }
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    use super::placed_in_rkp;

    #[test]
    fn only_items_placed_in_the_rkp_count_and_an_unreadable_record_places_none() {
        let (a, b, c) = (
            uuid::Uuid::new_v4(),
            uuid::Uuid::new_v4(),
            uuid::Uuid::new_v4(),
        );
        let record = serde_json::json!({
            "seal": {"key": "x"},
            "plan": {"year": 2026, "items": [
                {"proposal_id": a.to_string(), "placement": "rkp", "cost": 5},
                {"proposal_id": b.to_string(), "placement": "du_rkp"},
                {"proposal_id": c.to_string()},
                {"proposal_id": "not an id", "placement": "rkp"},
            ]}
        })
        .to_string();
        let placed = placed_in_rkp(&record);
        assert_eq!(placed.len(), 1);
        assert!(placed.contains(&a));
        assert!(placed_in_rkp("{\"plan\": 3}").is_empty());
        assert!(placed_in_rkp("").is_empty());
    }
}
