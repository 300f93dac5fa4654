//! The annual plan (RKP Desa): criteria, ceilings, per-proposal entries, and adoption.
//!
//! Every change to a draft first takes the plan row (its `UPDATE` is the lock), so an
//! adoption and a change cannot interleave; an adopted plan refuses every change.

use super::Actor;
use super::seals::append_seal;
use crate::domain::proposal::EventKind;
use chrono::{DateTime, TimeZone, Utc};
use uuid::Uuid;

use super::{OrStale, Result, StoreError, audit, change, new_id, now, read, timeline};
use crate::domain::FieldErrors;
use crate::domain::meeting;
use crate::domain::plan::{
    self, AmendGround, Candidate, Criterion, CriterionInput, ItemInput, Perdes, Placement, Plan,
};

/// A plan as stored: its state, and the plan as shown (computed for a draft, frozen once
/// adopted).
#[derive(Debug, Clone)]
pub struct StoredPlan {
    pub id: Uuid,
    pub year: i64,
    pub status: String,
    pub version: i64,
    pub plan: Plan,
    /// For a draft: each proposal's entry version (0 when nothing was entered yet).
    pub item_versions: Vec<(Uuid, i64)>,
    pub ceilings: Vec<(String, i64)>,
    pub adoption: Option<Adoption>,
    /// The Musrenbangdes the draft is before, and when it agreed it (at its finalization).
    pub agreed_in: Option<Uuid>,
    pub agreed_at: Option<DateTime<Utc>>,
    /// The Peraturan Desa that set it (plans set before Perdes were recorded have none).
    pub perdes: Option<Perdes>,
    /// 0 for the year's plan; 1, 2, … for each of its amendments (perubahan).
    pub revision: i64,
    /// The year's plan as first set (revision 0): its Tim Penyusun and DU-RKP belong to it.
    pub original: Uuid,
    /// For an amendment: the plan it amends, its ground and its reason.
    pub amends: Option<Uuid>,
    pub amendment: Option<(String, String)>,
    /// The amendment that replaced this plan once set.
    pub superseded_by: Option<Uuid>,
}

impl StoredPlan {
    /// A draft before its Musrenbangdes (or agreed there) no longer changes.
    pub fn is_tabled(&self) -> bool {
        self.agreed_in.is_some()
    }
    pub fn is_adopted(&self) -> bool {
        self.status == "adopted"
    }
    /// Set and not replaced by a set amendment.
    pub fn is_in_force(&self) -> bool {
        self.is_adopted() && self.superseded_by.is_none()
    }
    pub fn item_version(&self, proposal: Uuid) -> i64 {
        self.item_versions
            .iter()
            .find(|(p, _)| *p == proposal)
            .map_or(0, |(_, v)| *v)
    }
}

/// The meeting that agreed the plan (a Musrenbangdes; a Musdes for plans adopted before
/// the Perdes step), frozen with it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Adoption {
    pub meeting_id: Uuid,
    pub meeting_title: String,
    pub meeting_at: DateTime<Utc>,
    pub verification_code: String,
    pub adopted_at: DateTime<Utc>,
    pub adopted_by: String,
}

/// What an adopted plan's record holds.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Frozen {
    year: i64,
    village: String,
    ceilings: Vec<(String, i64)>,
    plan: Plan,
    adoption: Adoption,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    perdes: Option<Perdes>,
}

/// The draft as a Musrenbangdes agrees it: what its sealed record holds.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct AgreedPlan {
    pub year: i64,
    pub ceilings: Vec<(String, i64)>,
    pub plan: Plan,
}

/// A year's plan as the calendar reads it: its id, the Musrenbangdes that agreed it and
/// when it met, the day of its Perdes, its tabled draft and when it was agreed.
type AgreedAndSet = (
    Uuid,
    Option<Uuid>,
    Option<DateTime<Utc>>,
    Option<chrono::NaiveDate>,
    Option<String>,
    Option<DateTime<Utc>>,
);

/// A year's plan in the village's list of plans (its latest revision).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlanSummary {
    pub year: i64,
    pub status: String,
    pub adopted_at: Option<DateTime<Utc>>,
    pub revision: i64,
}

/// One revision of a year's plan, for the list beside it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Revision {
    pub revision: i64,
    pub status: String,
    pub perdes_number: Option<String>,
    pub perdes_date: Option<chrono::NaiveDate>,
    pub superseded_by: Option<Uuid>,
}

/// A finalized Musdes that may adopt a plan.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AdoptingMeeting {
    pub id: Uuid,
    pub title: String,
    pub scheduled_at: DateTime<Utc>,
    pub verification_code: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Head {
    id: Uuid,
    status: String,
    version: i64,
    record: Option<String>,
    agreed_in: Option<Uuid>,
    agreed_at: Option<DateTime<Utc>>,
    tabled: Option<String>,
    revision: i64,
    amends: Option<Uuid>,
    superseded_by: Option<Uuid>,
    amend_ground: Option<String>,
    amend_reason: Option<String>,
}

impl Head {
    /// The plan as stored with this head: `plan` and `ceilings` are what it shows.
    fn stored(
        self,
        year: i64,
        original: Uuid,
        (plan, ceilings): (Plan, Vec<(String, i64)>),
        item_versions: Vec<(Uuid, i64)>,
        adoption: Option<(Adoption, Option<Perdes>)>,
    ) -> StoredPlan {
        let (adoption, perdes) = adoption.map_or((None, None), |(a, p)| (Some(a), p));
        StoredPlan {
            id: self.id,
            year,
            status: self.status,
            version: self.version,
            plan,
            item_versions,
            ceilings,
            adoption,
            agreed_in: self.agreed_in,
            agreed_at: self.agreed_at,
            perdes,
            revision: self.revision,
            original,
            amends: self.amends,
            amendment: self.amend_ground.zip(self.amend_reason),
            superseded_by: self.superseded_by,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct CandidateRow {
    proposal_id: Uuid,
    number: String,
    year: i64,
    seq: i64,
    title: String,
    bidang: String,
    location: Option<String>,
    hamlet: Option<String>,
    estimated_cost: Option<i64>,
    supports: i64,
    implementer: Option<String>,
    cost: Option<i64>,
    source: Option<String>,
    pattern: Option<String>,
    authority: Option<String>,
    focus: Option<String>,
    men: Option<i64>,
    women: Option<i64>,
    poor: Option<i64>,
    pelaksana: Option<String>,
    tpk: Option<bool>,
    rab: Option<String>,
    kegiatan: Option<String>,
    shares: Option<String>,
    volume: Option<String>,
    beneficiaries: Option<String>,
    start_month: Option<i64>,
    end_month: Option<i64>,
    version: Option<i64>,
}

impl CandidateRow {
    pub(crate) fn into_candidate(
        self,
        criteria: &[Criterion],
        scores: &[(Uuid, Uuid, i64)],
    ) -> Candidate {
        let location = [self.hamlet, self.location]
            .into_iter()
            .flatten()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let month = |m: Option<i64>| m.and_then(|m| u32::try_from(m).ok());
        Candidate {
            proposal_id: self.proposal_id,
            number: self.number,
            order: (self.year, self.seq),
            title: self.title,
            // The kegiatan code, once chosen, places the activity in its bidang.
            bidang: self
                .kegiatan
                .as_deref()
                .and_then(|k| k.get(..2))
                .map_or(self.bidang, str::to_string),
            location,
            volume: self.volume.unwrap_or_default(),
            beneficiaries: self.beneficiaries.unwrap_or_default(),
            months: month(self.start_month).zip(month(self.end_month)),
            // Until the plan says otherwise, the proposal's own estimate.
            cost: self.cost.or(self.estimated_cost),
            source: self.source,
            pattern: self.pattern,
            implementer: self.implementer,
            authority: self.authority,
            focus: self.focus,
            men: self.men,
            women: self.women,
            poor: self.poor,
            pelaksana: self.pelaksana,
            tpk: self.tpk.unwrap_or(false),
            rab: self.rab,
            kegiatan: self.kegiatan,
            shares: self
                .shares
                .as_deref()
                .and_then(|s| serde_json::from_str(s).ok())
                .unwrap_or_default(),
            supports: self.supports,
            scores: criteria
                .iter()
                .map(|c| {
                    scores
                        .iter()
                        .find(|(p, k, _)| *p == self.proposal_id && *k == c.id)
                        .map(|(_, _, s)| *s)
                })
                .collect(),
        }
    }
}

/// Accepted proposals of the village (and, for an amendment, those of the plan it amends)
/// not already in another year's plan in force, in its RKP or DU-RKP, with what this plan
/// holds for them.
pub(crate) const CANDIDATES: &str = "SELECT p.id AS proposal_id, p.number, p.year, p.seq, p.title, p.bidang, p.location, \
     p.hamlet, p.estimated_cost, p.supports, g.name AS implementer, i.cost, i.source, i.pattern, i.authority, i.focus, i.men, i.women, i.poor, i.pelaksana, i.tpk, i.rab, i.kegiatan, i.shares, i.volume, \
     i.beneficiaries, i.start_month, i.end_month, i.version FROM proposals p \
     LEFT JOIN stakeholder_groups g ON g.id = p.implementer_group_id \
     LEFT JOIN plan_items i ON i.proposal_id = p.id AND i.plan_id = $2 \
     WHERE p.village_id = $1 AND (p.status = 'accepted' OR (p.status IN ('deferred', 'du_rkp') AND EXISTS (\
       SELECT 1 FROM plan_items a JOIN plans b ON b.amends = a.plan_id WHERE b.id = $2 AND a.proposal_id = p.id))) \
     AND NOT EXISTS (\
       SELECT 1 FROM plan_items x JOIN plans y ON y.id = x.plan_id \
       WHERE x.proposal_id = p.id AND y.status = 'adopted' AND y.superseded_by IS NULL \
       AND x.placed IN ('rkp', 'du_rkp') AND y.year <> (SELECT w.year FROM plans w WHERE w.id = $2)) \
     ORDER BY p.year, p.seq LIMIT 2000";

/// Copies the entries of plan `$3` into the amendment `$1` (updated at `$2`), as the
/// amendment's starting point.
const AMEND_ITEMS: &str = "INSERT INTO plan_items (plan_id, proposal_id, cost, source, pattern, volume, beneficiaries, \
     start_month, end_month, version, updated_at, authority, focus, men, women, poor, pelaksana, tpk, shares, rab, kegiatan) \
     SELECT $1, proposal_id, cost, source, pattern, volume, beneficiaries, start_month, end_month, 1, $2, \
     authority, focus, men, women, poor, pelaksana, tpk, shares, rab, kegiatan FROM plan_items WHERE plan_id = $3";

/// Reads a draft plan's parts with `$exec` and computes it.
macro_rules! load_draft {
    ($exec:expr, $village:expr, $plan:expr) => {{
        let criteria: Vec<(Uuid, String, i64, i64)> = sqlx::query_as(
            "SELECT id, name, weight, max_score FROM plan_criteria WHERE plan_id = $1 ORDER BY position, id",
        )
        .bind($plan)
        .fetch_all(&mut *$exec)
        .await?;
        let criteria: Vec<$crate::domain::plan::Criterion> = criteria
            .into_iter()
            .map(|(id, name, weight, max_score)| $crate::domain::plan::Criterion { id, name, weight, max_score })
            .collect();
        let ceilings: Vec<(String, i64)> =
            sqlx::query_as("SELECT source, amount FROM plan_ceilings WHERE plan_id = $1 ORDER BY source")
                .bind($plan)
                .fetch_all(&mut *$exec)
                .await?;
        let scores: Vec<(Uuid, Uuid, i64)> = sqlx::query_as(
            "SELECT proposal_id, criterion_id, score FROM plan_scores WHERE plan_id = $1",
        )
        .bind($plan)
        .fetch_all(&mut *$exec)
        .await?;
        let rows: Vec<$crate::store::plans::CandidateRow> =
            sqlx::query_as($crate::store::plans::CANDIDATES)
            .bind($village)
            .bind($plan)
            .fetch_all(&mut *$exec)
            .await?;
        let versions: Vec<(Uuid, i64)> =
            rows.iter().map(|r| (r.proposal_id, r.version.unwrap_or(0))).collect();
        let candidates = rows
            .into_iter()
            .map(|r| r.into_candidate(&criteria, &scores))
            .collect();
        let standing = $crate::store::standing::standing_of_plan!($exec, $village, $plan);
        let built = $crate::domain::plan::build_with(criteria, &ceilings, standing, candidates);
        (built, ceilings, versions)
    }};
}

/// Takes a draft plan's row for a change: stale when `version` is given and differs,
/// finalized when the plan was adopted meanwhile.
macro_rules! lock_draft {
    ($tx:expr, $plan:expr, $version:expr, $at:expr) => {{
        let version: Option<i64> = $version;
        let n = sqlx::query(
            "UPDATE plans SET version = version + 1, updated_at = $1 \
             WHERE id = $2 AND status = 'draft' AND agreed_in IS NULL AND ($3 IS NULL OR version = $3)",
        )
        .bind($at)
        .bind($plan)
        .bind(version)
        .execute(&mut *$tx)
        .await?
        .rows_affected();
        if n == 0 {
            let status: Option<(String, Option<Uuid>)> =
                sqlx::query_as("SELECT status, agreed_in FROM plans WHERE id = $1")
                    .bind($plan)
                    .fetch_optional(&mut *$tx)
                    .await?;
            return Err(match status {
                None => StoreError::NotFound,
                Some((s, _)) if s == "adopted" => StoreError::Finalized,
                Some((_, Some(_))) => StoreError::OutOfTurn("plan.error.before_musrenbangdes"),
                Some(_) => StoreError::Stale,
            });
        }
    }};
}

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Config(format!("not serializable: {e}")))
}

impl super::Store {
    /// The village's plans, the latest year first.
    pub async fn list_plans(&self, village: Uuid) -> Result<Vec<PlanSummary>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT year, status, adopted_at, revision FROM plans p WHERE village_id = $1 AND NOT EXISTS (\
                   SELECT 1 FROM plans q WHERE q.village_id = p.village_id AND q.year = p.year AND q.revision > p.revision) \
                 ORDER BY year DESC LIMIT 200",
            )
            .bind(village)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Opens the year's plan as a draft: the criteria of the village's latest earlier plan,
    /// or the defaults. Opening a plan that exists changes nothing.
    pub async fn open_plan(&self, village: Uuid, year: i64, actor: Uuid) -> Result<Uuid> {
        let at = now();
        let id = new_id();
        change!(self, |tx| {
            let created: Option<Uuid> = sqlx::query_scalar(
                "INSERT INTO plans (id, village_id, year, status, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, 'draft', 1, $4, $4) ON CONFLICT (village_id, year, revision) DO NOTHING RETURNING id",
            )
            .bind(id)
            .bind(village)
            .bind(year)
            .bind(at)
            .fetch_optional(&mut *tx)
            .await?;
            if created.is_none() {
                let existing: Uuid =
                    sqlx::query_scalar("SELECT id FROM plans WHERE village_id = $1 AND year = $2 ORDER BY revision DESC LIMIT 1")
                        .bind(village)
                        .bind(year)
                        .fetch_one(&mut *tx)
                        .await?;
                return Ok(existing);
            }
            let earlier: Vec<(String, i64, i64)> = sqlx::query_as(
                "SELECT c.name, c.weight, c.max_score FROM plan_criteria c WHERE c.plan_id = (\
                   SELECT id FROM plans WHERE village_id = $1 AND year < $2 ORDER BY year DESC, revision DESC LIMIT 1) \
                 ORDER BY c.position, c.id",
            )
            .bind(village)
            .bind(year)
            .fetch_all(&mut *tx)
            .await?;
            let criteria: Vec<(String, i64, i64)> = if earlier.is_empty() {
                plan::DEFAULT_CRITERIA
                    .iter()
                    .map(|(n, w)| (n.to_string(), *w, plan::DEFAULT_MAX_SCORE))
                    .collect()
            } else {
                earlier
            };
            for (position, (name, weight, max)) in criteria.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO plan_criteria (id, plan_id, position, name, weight, max_score) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(new_id())
                .bind(id)
                .bind(position as i64)
                .bind(name)
                .bind(weight)
                .bind(max)
                .execute(&mut *tx)
                .await?;
            }
            let after = serde_json::json!({ "year": year, "criteria": criteria });
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "plan",
                id: id.to_string(), action: "create", before: None, after: Some(after));
            (id, entry)
        })
    }

    /// The year's plan in its latest revision (an amendment being prepared, once one is
    /// opened): computed from what is recorded for a draft, the draft as tabled once before
    /// a Musrenbangdes, the frozen record once set. `NotFound` when the year's plan was
    /// never opened.
    pub async fn plan(&self, village: Uuid, year: i64) -> Result<StoredPlan> {
        self.plan_revision(village, year, None).await
    }

    /// The year's plan in revision `revision` (0: as first set), or the latest.
    pub async fn plan_revision(
        &self,
        village: Uuid,
        year: i64,
        revision: Option<i64>,
    ) -> Result<StoredPlan> {
        read!(self, |pool| {
            let mut conn = pool.acquire().await?;
            let head: Head = sqlx::query_as(
                "SELECT id, status, version, record, agreed_in, agreed_at, tabled, revision, amends, \
                 superseded_by, amend_ground, amend_reason FROM plans WHERE village_id = $1 AND year = $2 \
                 AND ($3 IS NULL OR revision = $3) ORDER BY revision DESC LIMIT 1",
            )
            .bind(village)
            .bind(year)
            .bind(revision)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
            let original: Uuid = if head.revision == 0 {
                head.id
            } else {
                sqlx::query_scalar(
                    "SELECT id FROM plans WHERE village_id = $1 AND year = $2 AND revision = 0",
                )
                .bind(village)
                .bind(year)
                .fetch_one(&mut *conn)
                .await?
            };
            if let Some(record) = &head.record {
                let frozen: Frozen = serde_json::from_str(record)
                    .map_err(|e| StoreError::Config(format!("plan record unreadable: {e}")))?;
                let shown = (frozen.plan, frozen.ceilings);
                let adoption = Some((frozen.adoption, frozen.perdes));
                return Ok(head.stored(year, original, shown, Vec::new(), adoption));
            }
            let tabled = head
                .tabled
                .as_deref()
                .and_then(|t| serde_json::from_str::<AgreedPlan>(t).ok());
            if let Some(agreed) = tabled {
                let shown = (agreed.plan, agreed.ceilings);
                return Ok(head.stored(year, original, shown, Vec::new(), None));
            }
            let (built, ceilings, versions) = load_draft!(conn, village, head.id);
            Ok(head.stored(year, original, (built, ceilings), versions, None))
        })
    }

    /// The year's plan in force (set and not replaced by a set amendment); the latest
    /// revision while none is set.
    pub async fn plan_in_force(&self, village: Uuid, year: i64) -> Result<StoredPlan> {
        let revision: Option<i64> = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT revision FROM plans WHERE village_id = $1 AND year = $2 AND status = 'adopted' \
                 AND superseded_by IS NULL",
            )
            .bind(village)
            .bind(year)
            .fetch_optional(pool)
            .await
        })?;
        self.plan_revision(village, year, revision).await
    }

    /// Every revision of the year's plan, the first first.
    pub async fn plan_revisions(&self, village: Uuid, year: i64) -> Result<Vec<Revision>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT revision, status, perdes_number, perdes_date, superseded_by FROM plans \
                 WHERE village_id = $1 AND year = $2 ORDER BY revision LIMIT 100",
            )
            .bind(village)
            .bind(year)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Opens an amendment (perubahan) of the year's plan in force: a new draft of the same
    /// year, starting from the set plan's criteria, ceilings, entries and scores, that goes
    /// through the same steps. Only the latest revision, once set, can be amended.
    pub async fn amend_plan(
        &self,
        village: Uuid,
        year: i64,
        (ground, reason): (AmendGround, &str),
        actor: Uuid,
    ) -> Result<Uuid> {
        let at = now();
        let id = new_id();
        change!(self, |tx| {
            let latest: Option<(Uuid, i64, String)> = sqlx::query_as(
                "SELECT id, revision, status FROM plans WHERE village_id = $1 AND year = $2 \
                 ORDER BY revision DESC LIMIT 1",
            )
            .bind(village)
            .bind(year)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((amended, revision, status)) = latest else {
                return Err(StoreError::NotFound);
            };
            if status != "adopted" {
                return Err(StoreError::OutOfTurn(if revision == 0 {
                    "plan.error.amend_not_set"
                } else {
                    "plan.error.amendment_open"
                }));
            }
            // Two officials opening one at once: the UNIQUE (village, year, revision) lets
            // one through, the other finds it open.
            let created: Option<Uuid> = sqlx::query_scalar(
                "INSERT INTO plans (id, village_id, year, status, version, created_at, updated_at, revision, \
                 amends, amend_ground, amend_reason) VALUES ($1, $2, $3, 'draft', 1, $4, $4, $5, $6, $7, $8) \
                 ON CONFLICT (village_id, year, revision) DO NOTHING RETURNING id",
            )
            .bind(id)
            .bind(village)
            .bind(year)
            .bind(at)
            .bind(revision + 1)
            .bind(amended)
            .bind(ground.code())
            .bind(reason)
            .fetch_optional(&mut *tx)
            .await?;
            if created.is_none() {
                return Err(StoreError::OutOfTurn("plan.error.amendment_open"));
            }
            let criteria: Vec<(Uuid, i64, String, i64, i64)> = sqlx::query_as(
                "SELECT id, position, name, weight, max_score FROM plan_criteria WHERE plan_id = $1",
            )
            .bind(amended)
            .fetch_all(&mut *tx)
            .await?;
            let mut renamed = Vec::with_capacity(criteria.len());
            for (old, position, name, weight, max) in criteria {
                let new = new_id();
                renamed.push((old, new));
                sqlx::query(
                    "INSERT INTO plan_criteria (id, plan_id, position, name, weight, max_score) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(new)
                .bind(id)
                .bind(position)
                .bind(name)
                .bind(weight)
                .bind(max)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query(
                "INSERT INTO plan_ceilings (plan_id, source, amount) \
                 SELECT $1, source, amount FROM plan_ceilings WHERE plan_id = $2",
            )
            .bind(id)
            .bind(amended)
            .execute(&mut *tx)
            .await?;
            sqlx::query(AMEND_ITEMS)
                .bind(id)
                .bind(at)
                .bind(amended)
                .execute(&mut *tx)
                .await?;
            for (old, new) in renamed {
                sqlx::query(
                    "INSERT INTO plan_scores (plan_id, proposal_id, criterion_id, score) \
                     SELECT $1, proposal_id, $2, score FROM plan_scores WHERE plan_id = $3 AND criterion_id = $4",
                )
                .bind(id)
                .bind(new)
                .bind(amended)
                .bind(old)
                .execute(&mut *tx)
                .await?;
            }
            let after = serde_json::json!({
                "year": year, "revision": revision + 1, "amends": amended,
                "ground": ground.code(), "reason": reason,
            });
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "plan",
                id: id.to_string(), action: "amend", before: None, after: Some(after));
            (id, entry)
        })
    }

    /// Replaces the draft's criteria. Removing a criterion removes its scores; lowering a
    /// maximum below a score already given is refused.
    pub async fn update_criteria(
        &self,
        village: Uuid,
        plan_id: Uuid,
        criteria: &[CriterionInput],
        version: i64,
        actor: Uuid,
    ) -> Result<()> {
        let at = now();
        change!(self, |tx| {
            lock_draft!(tx, plan_id, Some(version), at);
            let before: Vec<(Uuid, String, i64, i64)> = sqlx::query_as(
                "SELECT id, name, weight, max_score FROM plan_criteria WHERE plan_id = $1 ORDER BY position, id",
            )
            .bind(plan_id)
            .fetch_all(&mut *tx)
            .await?;
            let mut errors = FieldErrors::new();
            for c in criteria {
                let Some(id) = c.id else { continue };
                if !before.iter().any(|(b, ..)| *b == id) {
                    return Err(StoreError::Stale);
                }
                let above: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM plan_scores WHERE criterion_id = $1 AND score > $2",
                )
                .bind(id)
                .bind(c.max_score)
                .fetch_one(&mut *tx)
                .await?;
                if above > 0 {
                    errors.add(plan::max_field(c.row), "plan.error.max_below_scores");
                }
            }
            if !errors.is_empty() {
                return Err(StoreError::Invalid(errors));
            }
            for (id, ..) in &before {
                if !criteria.iter().any(|c| c.id == Some(*id)) {
                    sqlx::query("DELETE FROM plan_scores WHERE criterion_id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("DELETE FROM plan_criteria WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            for (position, c) in criteria.iter().enumerate() {
                match c.id {
                    Some(id) => {
                        sqlx::query(
                            "UPDATE plan_criteria SET position = $1, name = $2, weight = $3, max_score = $4 WHERE id = $5",
                        )
                        .bind(position as i64)
                        .bind(&c.name)
                        .bind(c.weight)
                        .bind(c.max_score)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    }
                    None => {
                        sqlx::query(
                            "INSERT INTO plan_criteria (id, plan_id, position, name, weight, max_score) \
                             VALUES ($1, $2, $3, $4, $5, $6)",
                        )
                        .bind(new_id())
                        .bind(plan_id)
                        .bind(position as i64)
                        .bind(&c.name)
                        .bind(c.weight)
                        .bind(c.max_score)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
            }
            let before = serde_json::json!(
                before
                    .iter()
                    .map(|(_, n, w, m)| (n, w, m))
                    .collect::<Vec<_>>()
            );
            let after = serde_json::json!(
                criteria
                    .iter()
                    .map(|c| (&c.name, c.weight, c.max_score))
                    .collect::<Vec<_>>()
            );
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "plan",
                id: plan_id.to_string(), action: "criteria", before: Some(before), after: Some(after));
            ((), entry)
        })
    }

    /// Sets the indicative ceiling of every funding source.
    pub async fn update_ceilings(
        &self,
        village: Uuid,
        plan_id: Uuid,
        amounts: &[(String, i64)],
        version: i64,
        actor: Uuid,
    ) -> Result<()> {
        let at = now();
        change!(self, |tx| {
            lock_draft!(tx, plan_id, Some(version), at);
            let before: Vec<(String, i64)> = sqlx::query_as(
                "SELECT source, amount FROM plan_ceilings WHERE plan_id = $1 ORDER BY source",
            )
            .bind(plan_id)
            .fetch_all(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM plan_ceilings WHERE plan_id = $1")
                .bind(plan_id)
                .execute(&mut *tx)
                .await?;
            for (source, amount) in amounts.iter().filter(|(_, a)| *a > 0) {
                sqlx::query(
                    "INSERT INTO plan_ceilings (plan_id, source, amount) VALUES ($1, $2, $3)",
                )
                .bind(plan_id)
                .bind(source)
                .bind(amount)
                .execute(&mut *tx)
                .await?;
            }
            let before = serde_json::json!(before);
            let after = serde_json::json!(amounts);
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "plan",
                id: plan_id.to_string(), action: "ceilings", before: Some(before), after: Some(after));
            ((), entry)
        })
    }

    /// Records one proposal's scores and RKP columns. `version` is the entry's version the
    /// form was made from (0: nothing entered yet).
    pub async fn save_item(
        &self,
        village: Uuid,
        plan_id: Uuid,
        proposal: Uuid,
        input: &ItemInput,
        version: i64,
        actor: Uuid,
    ) -> Result<()> {
        let at = now();
        change!(self, |tx| {
            lock_draft!(tx, plan_id, None, at);
            let candidates: Vec<CandidateRow> = sqlx::query_as(CANDIDATES)
                .bind(village)
                .bind(plan_id)
                .fetch_all(&mut *tx)
                .await?;
            if !candidates.iter().any(|c| c.proposal_id == proposal) {
                return Err(StoreError::NotFound);
            }
            let current: Vec<Uuid> = sqlx::query_scalar(
                "SELECT id FROM plan_criteria WHERE plan_id = $1 ORDER BY position, id",
            )
            .bind(plan_id)
            .fetch_all(&mut *tx)
            .await?;
            if current != input.scores.iter().map(|(c, _)| *c).collect::<Vec<_>>() {
                return Err(StoreError::Stale);
            }
            let (start, end) = input.months.map_or((None, None), |(s, e)| {
                (Some(i64::from(s)), Some(i64::from(e)))
            });
            let shares =
                (!input.shares.is_empty()).then(|| serde_json::json!(input.shares).to_string());
            let written = if version == 0 {
                sqlx::query(
                    "INSERT INTO plan_items (plan_id, proposal_id, cost, source, pattern, volume, beneficiaries, \
                     start_month, end_month, version, updated_at, authority, focus, men, women, poor, pelaksana, tpk, shares, rab, kegiatan) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) \
                     ON CONFLICT (plan_id, proposal_id) DO NOTHING",
                )
                .bind(plan_id)
                .bind(proposal)
                .bind(input.cost)
                .bind(&input.source)
                .bind(&input.pattern)
                .bind(&input.volume)
                .bind(&input.beneficiaries)
                .bind(start)
                .bind(end)
                .bind(at)
                .bind(&input.authority)
                .bind(&input.focus)
                .bind(input.people.0)
                .bind(input.people.1)
                .bind(input.people.2)
                .bind(&input.pelaksana)
                .bind(input.tpk)
                .bind(&shares)
                .bind(&input.rab)
                .bind(&input.kegiatan)
                .execute(&mut *tx)
                .await?
            } else {
                sqlx::query(
                    "UPDATE plan_items SET cost = $1, source = $2, pattern = $3, volume = $4, beneficiaries = $5, \
                     start_month = $6, end_month = $7, version = version + 1, updated_at = $8, authority = $12, focus = $13, \
                     men = $14, women = $15, poor = $16, pelaksana = $17, tpk = $18, shares = $19, rab = $20, kegiatan = $21 \
                     WHERE plan_id = $9 AND proposal_id = $10 AND version = $11",
                )
                .bind(input.cost)
                .bind(&input.source)
                .bind(&input.pattern)
                .bind(&input.volume)
                .bind(&input.beneficiaries)
                .bind(start)
                .bind(end)
                .bind(at)
                .bind(plan_id)
                .bind(proposal)
                .bind(version)
                .bind(&input.authority)
                .bind(&input.focus)
                .bind(input.people.0)
                .bind(input.people.1)
                .bind(input.people.2)
                .bind(&input.pelaksana)
                .bind(input.tpk)
                .bind(&shares)
                .bind(&input.rab)
                .bind(&input.kegiatan)
                .execute(&mut *tx)
                .await?
            };
            written.or_stale()?;
            sqlx::query("DELETE FROM plan_scores WHERE plan_id = $1 AND proposal_id = $2")
                .bind(plan_id)
                .bind(proposal)
                .execute(&mut *tx)
                .await?;
            for (criterion, score) in &input.scores {
                let Some(score) = score else { continue };
                sqlx::query(
                    "INSERT INTO plan_scores (plan_id, proposal_id, criterion_id, score) VALUES ($1, $2, $3, $4)",
                )
                .bind(plan_id)
                .bind(proposal)
                .bind(criterion)
                .bind(score)
                .execute(&mut *tx)
                .await?;
            }
            let after = serde_json::json!({
                "proposal": proposal, "scores": input.scores, "cost": input.cost, "source": input.source,
                "pattern": input.pattern, "volume": input.volume, "beneficiaries": input.beneficiaries,
                "months": input.months, "authority": input.authority, "focus": input.focus,
                "people": input.people, "pelaksana": input.pelaksana, "tpk": input.tpk, "rab": input.rab, "kegiatan": input.kegiatan, "shares": input.shares,
            });
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "plan",
                id: plan_id.to_string(), action: "item", before: None, after: Some(after));
            ((), entry)
        })
    }

    /// The village's Musrenbangdes not yet finalized, the latest first: the meetings a
    /// draft can be put before.
    pub async fn musrenbangdes_meetings(&self, village: Uuid) -> Result<Vec<AdoptingMeeting>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, title, scheduled_at, verification_code FROM meetings \
                 WHERE village_id = $1 AND kind = 'musrenbangdes' AND status <> 'finalized' \
                 AND rescheduled_to IS NULL ORDER BY scheduled_at DESC, id DESC LIMIT 50",
            )
            .bind(village)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Puts the complete draft before a Musrenbangdes that is not finalized yet: from now
    /// on it does not change, and that meeting's finalization agrees it.
    pub async fn table_plan(
        &self,
        village: Uuid,
        plan_id: Uuid,
        meeting_id: Option<Uuid>,
        actor: Uuid,
    ) -> Result<()> {
        let at = now();
        change!(self, |tx| {
            lock_draft!(tx, plan_id, None, at);
            let mut errors = FieldErrors::new();
            let meeting: Option<Uuid> = match meeting_id {
                Some(m) => sqlx::query_scalar(
                    "SELECT id FROM meetings WHERE id = $1 AND village_id = $2 AND kind = 'musrenbangdes' \
                     AND status <> 'finalized' AND rescheduled_to IS NULL",
                )
                .bind(m)
                .bind(village)
                .fetch_optional(&mut *tx)
                .await?,
                None => None,
            };
            if meeting.is_none() {
                errors.add("meeting", "plan.error.no_musrenbangdes");
            }
            // An amendment needs its own Musrenbangdes: one held after the day of the
            // Perdes that set the plan it amends.
            let amended: Option<(DateTime<Utc>, Option<chrono::NaiveDate>, String)> = sqlx::query_as(
                "SELECT m.scheduled_at, o.perdes_date, v.timezone FROM plans p JOIN plans o ON o.id = p.amends \
                 JOIN meetings m ON m.id = $2 JOIN villages v ON v.id = p.village_id WHERE p.id = $1",
            )
            .bind(plan_id)
            .bind(meeting)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((held, Some(set_on), tz)) = amended {
                let tz: chrono_tz::Tz = tz.parse().unwrap_or(chrono_tz::Asia::Jakarta);
                if held.with_timezone(&tz).date_naive() <= set_on {
                    errors.add("meeting", "plan.error.amendment_meeting_early");
                }
            }
            let (built, ceilings, _) = load_draft!(tx, village, plan_id);
            let year: i64 = sqlx::query_scalar("SELECT year FROM plans WHERE id = $1")
                .bind(plan_id)
                .fetch_one(&mut *tx)
                .await?;
            if built.items.is_empty() && built.standing.is_empty() {
                errors.add("plan", "plan.error.empty");
            } else if !crate::domain::standing::over_pagu(&built.standing, &ceilings).is_empty() {
                errors.add("plan", "plan.error.standing_over_pagu");
            } else if built.incomplete().next().is_some() {
                errors.add("plan", "plan.error.incomplete");
            } else {
                // The year's Dana Desa rules hold before the Musrenbangdes sees the draft.
                let rules = super::dana_desa::rules_of!(&mut *tx, year);
                let (basis, spending) = built.dana_desa();
                if crate::domain::dana_desa::check(&rules, basis, &spending)
                    .iter()
                    .any(|f| f.breached)
                {
                    errors.add("plan", "plan.error.dana_desa");
                }
            }
            let Some(meeting) = meeting.filter(|_| errors.is_empty()) else {
                return Err(StoreError::Invalid(errors));
            };
            let tabled = json(&AgreedPlan {
                year,
                ceilings,
                plan: built,
            })?;
            sqlx::query("UPDATE plans SET agreed_in = $1, tabled = $2 WHERE id = $3")
                .bind(meeting)
                .bind(&tabled)
                .bind(plan_id)
                .execute(&mut *tx)
                .await?;
            let after = serde_json::json!({ "agreed_in": meeting });
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "plan",
                id: plan_id.to_string(), action: "table", before: None, after: Some(after));
            ((), entry)
        })
    }

    /// Takes a draft back from a Musrenbangdes that has not agreed it yet, to change it.
    pub async fn untable_plan(&self, village: Uuid, plan_id: Uuid, actor: Uuid) -> Result<()> {
        change!(self, |tx| {
            let n = sqlx::query(
                "UPDATE plans SET agreed_in = NULL, tabled = NULL, version = version + 1 \
                 WHERE id = $1 AND village_id = $2 AND status = 'draft' AND agreed_in IS NOT NULL \
                 AND agreed_at IS NULL",
            )
            .bind(plan_id)
            .bind(village)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                let agreed: Option<Option<DateTime<Utc>>> =
                    sqlx::query_scalar("SELECT agreed_at FROM plans WHERE id = $1")
                        .bind(plan_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                return Err(StoreError::OutOfTurn(match agreed.flatten() {
                    Some(_) => "plan.error.already_agreed",
                    None => "plan.error.not_tabled",
                }));
            }
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "plan",
                id: plan_id.to_string(), action: "untable", before: None, after: None);
            ((), entry)
        })
    }

    /// Sets the plan by Peraturan Desa: only a draft its Musrenbangdes agreed, with the plan
    /// exactly as that meeting's sealed record holds it. Freezes and seals it, and puts each
    /// proposal's place on its timeline.
    pub async fn set_plan(
        &self,
        village: Uuid,
        village_name: &str,
        plan_id: Uuid,
        perdes: &Perdes,
        by: &Actor,
    ) -> Result<()> {
        let (actor, actor_name) = (by.id, by.name.as_str());
        let at = now();
        change!(self, |tx| {
            let n = sqlx::query(
                "UPDATE plans SET version = version + 1, updated_at = $1 \
                 WHERE id = $2 AND village_id = $3 AND status = 'draft' AND agreed_at IS NOT NULL",
            )
            .bind(at)
            .bind(plan_id)
            .bind(village)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                let status: Option<String> =
                    sqlx::query_scalar("SELECT status FROM plans WHERE id = $1")
                        .bind(plan_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                return Err(match status.as_deref() {
                    None => StoreError::NotFound,
                    Some("adopted") => StoreError::Finalized,
                    Some(_) => StoreError::OutOfTurn("plan.error.not_agreed"),
                });
            }
            let (meeting, year, record, amends): (Uuid, i64, Option<String>, Option<Uuid>) = sqlx::query_as(
                "SELECT m.id, p.year, m.record, p.amends FROM plans p JOIN meetings m ON m.id = p.agreed_in WHERE p.id = $1",
            )
            .bind(plan_id)
            .fetch_one(&mut *tx)
            .await?;
            let record: meeting::Record = serde_json::from_str(&record.unwrap_or_default())
                .map_err(|e| StoreError::Config(format!("record of {meeting} unreadable: {e}")))?;
            let agreed: AgreedPlan = record
                .agreed_plan
                .clone()
                .and_then(|v| serde_json::from_value(v).ok())
                .ok_or(StoreError::OutOfTurn("plan.error.not_agreed"))?;
            let code: Option<String> =
                sqlx::query_scalar("SELECT verification_code FROM meetings WHERE id = $1")
                    .bind(meeting)
                    .fetch_one(&mut *tx)
                    .await?;
            let frozen = Frozen {
                year,
                village: village_name.to_string(),
                ceilings: agreed.ceilings,
                plan: agreed.plan,
                adoption: Adoption {
                    meeting_id: meeting,
                    meeting_title: record.title.clone(),
                    meeting_at: record.scheduled_at,
                    verification_code: code.unwrap_or_default(),
                    adopted_at: at,
                    adopted_by: actor_name.to_string(),
                },
                perdes: Some(perdes.clone()),
            };
            let frozen_text = json(&frozen)?;
            let (hash, _) = meeting::seal(&frozen_text);
            sqlx::query(
                "UPDATE plans SET status = 'adopted', meeting_id = $1, adopted_at = $2, adopted_by = $3, \
                 record = $4, content_hash = $5, perdes_number = $6, perdes_date = $7 WHERE id = $8",
            )
            .bind(meeting)
            .bind(at)
            .bind(actor)
            .bind(&frozen_text)
            .bind(&hash)
            .bind(&perdes.number)
            .bind(perdes.date)
            .bind(plan_id)
            .execute(&mut *tx)
            .await?;
            // An amendment stands beside the plan it amends: that one stays as it was,
            // sealed, and is no longer in force.
            append_seal!(tx, self, village: village, kind: crate::domain::seal::Kind::Plan,
                subject: plan_id, parent: amends, content: frozen_text.as_bytes(), at: at);
            if let Some(amended) = amends {
                sqlx::query("UPDATE plans SET superseded_by = $1, updated_at = $2 WHERE id = $3")
                    .bind(plan_id)
                    .bind(at)
                    .bind(amended)
                    .execute(&mut *tx)
                    .await?;
                let left: Vec<Uuid> = sqlx::query_scalar(
                    "SELECT proposal_id FROM plan_items WHERE plan_id = $1 AND placed IN ('rkp', 'du_rkp')",
                )
                .bind(amended)
                .fetch_all(&mut *tx)
                .await?;
                let note = format!("Perubahan RKP Desa {year} · Perdes {}", perdes.number);
                for proposal in left.into_iter().filter(|p| {
                    !frozen
                        .plan
                        .items
                        .iter()
                        .any(|i| i.proposal_id == *p && i.placement != Placement::Rpjm)
                }) {
                    timeline!(&mut *tx, proposal: proposal, at: at, actor: Some(actor), name: actor_name,
                        kind: EventKind::Planned, from: None, to: Some("rpjm"), note: Some(&note))?;
                }
            }
            for item in &frozen.plan.items {
                // Every proposal of the plan gets an entry row saying where it was placed: an
                // item in the RKP or the DU-RKP stays out of later years' drafts; one sent
                // back to the RPJM Desa may come again.
                let placed = item.placement.code();
                sqlx::query(
                    "INSERT INTO plan_items (plan_id, proposal_id, cost, source, pattern, authority, version, \
                     updated_at, placed) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) \
                     ON CONFLICT (plan_id, proposal_id) DO UPDATE SET placed = $8",
                )
                .bind(plan_id)
                .bind(item.proposal_id)
                .bind(item.cost)
                .bind(&item.source)
                .bind(&item.pattern)
                .bind(&item.authority)
                .bind(at)
                .bind(placed)
                .execute(&mut *tx)
                .await?;
                if item.placement == Placement::Rpjm {
                    // Its timeline already says so from the Musrenbangdes.
                    continue;
                }
                let placement = placed;
                let title = if amends.is_some() {
                    "Perubahan RKP Desa"
                } else {
                    "RKP Desa"
                };
                let note = match item.placement {
                    Placement::DuRkp => format!("DU-RKP {year} · Perdes {}", perdes.number),
                    _ => format!("{title} {year} · #{} · Perdes {}", item.rank, perdes.number),
                };
                timeline!(&mut *tx, proposal: item.proposal_id, at: at, actor: Some(actor), name: actor_name,
                    kind: EventKind::Planned, from: None, to: Some(placement), note: Some(&note))?;
            }
            let after = serde_json::json!({
                "status": "adopted", "meeting": meeting, "content_hash": hash,
                "perdes_number": perdes.number, "perdes_date": perdes.date,
                "funded": frozen.plan.funded, "du_rkp": frozen.plan.du_rkp,
            });
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "plan",
                id: plan_id.to_string(), action: "adopt", before: None, after: Some(after));
            ((), entry)
        })
    }

    /// The day each stage of the plan of `plan_year` was done, as the calendar reads it
    /// (in [`crate::domain::calendar::StageKind::ALL`] order), with the page of what did it:
    /// the first finalized musyawarah dusun or group meeting of the year before, its first
    /// finalized Musdes that opened, the decree of the Tim Penyusun, the Musrenbangdes that
    /// agreed the plan, the Perdes that set it, and the kecamatan's last answer to its
    /// DU-RKP (the agreement itself when the DU-RKP is empty).
    pub async fn planning_done(
        &self,
        village: &super::villages::Village,
        plan_year: i64,
    ) -> Result<[Option<(chrono::NaiveDate, String)>; crate::domain::calendar::STAGES]> {
        let tz: chrono_tz::Tz = village.timezone.parse().unwrap_or(chrono_tz::Asia::Jakarta);
        let local = |at: DateTime<Utc>| at.with_timezone(&tz).date_naive();
        let year = i32::try_from(plan_year - 1).unwrap_or(2000);
        let start = chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
        let from = tz
            .from_local_datetime(&start.and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        let to = from + chrono::Duration::days(366);
        // Each kind's finalized meetings by date, then each one's frozen record in turn
        // until one opened: a year of a big village holds hundreds of finalized meetings,
        // each record with its whole attendance. The first few are read first (the first
        // usually opened), the rest only when none of those did.
        let page = |id: Uuid| format!("/desa/{}/musyawarah/{id}", village.slug);
        let mut firsts = [None, None];
        for (slot, kinds) in [("musdus", "kelompok"), ("musdes", "musdes")]
            .into_iter()
            .enumerate()
        {
            for (limit, offset) in [(8_i64, 0_i64), (492, 8)] {
                let meetings: Vec<(Uuid, DateTime<Utc>)> = read!(self, |pool| {
                    sqlx::query_as(
                        "SELECT id, scheduled_at FROM meetings WHERE village_id = $1 AND status = 'finalized' \
                         AND kind IN ($4, $5) AND scheduled_at >= $2 AND scheduled_at < $3 \
                         ORDER BY scheduled_at, id LIMIT $6 OFFSET $7",
                    )
                    .bind(village.id)
                    .bind(from)
                    .bind(to)
                    .bind(kinds.0)
                    .bind(kinds.1)
                    .bind(limit)
                    .bind(offset)
                    .fetch_all(pool)
                    .await
                })?;
                for (id, at) in &meetings {
                    let record: Option<Option<String>> = read!(self, |pool| {
                        sqlx::query_scalar("SELECT record FROM meetings WHERE id = $1")
                            .bind(*id)
                            .fetch_optional(pool)
                            .await
                    })?;
                    let opened = record
                        .flatten()
                        .and_then(|r| serde_json::from_str::<meeting::Record>(&r).ok())
                        .is_some_and(|r| meeting::opened(&r));
                    if opened {
                        firsts[slot] = Some((local(*at), page(*id)));
                        break;
                    }
                }
                if firsts[slot].is_some() || i64::try_from(meetings.len()).unwrap_or(0) < limit {
                    break;
                }
            }
        }
        let [first_forwarding, first_musdes] = firsts;
        let plan: Option<AgreedAndSet> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT p.id, m.id, m.scheduled_at, p.perdes_date, p.tabled, p.agreed_at FROM plans p \
                 LEFT JOIN meetings m ON m.id = p.agreed_in AND p.agreed_at IS NOT NULL \
                 WHERE p.village_id = $1 AND p.year = $2 AND p.revision = 0",
            )
            .bind(village.id)
            .bind(plan_year)
            .fetch_optional(pool)
            .await
        })?;
        let Some((plan, meeting, agreed, perdes, tabled, agreed_at)) = plan else {
            return Ok([first_forwarding, first_musdes, None, None, None, None]);
        };
        let (sk, answers): (Option<chrono::NaiveDate>, (i64, Option<DateTime<Utc>>)) =
            read!(self, |pool| {
                let sk = sqlx::query_scalar("SELECT sk_date FROM tim_penyusun WHERE plan_id = $1")
                    .bind(plan)
                    .fetch_optional(pool)
                    .await?;
                let answers = sqlx::query_as(
                    "SELECT COUNT(*), MAX(answered_at) FROM du_rkp_answers WHERE plan_id = $1",
                )
                .bind(plan)
                .fetch_one(pool)
                .await?;
                Ok::<_, sqlx::Error>((sk, answers))
            })?;
        let base = format!("/desa/{}/rkp/{plan_year}", village.slug);
        let du_rkp_items = tabled
            .as_deref()
            .and_then(|t| serde_json::from_str::<AgreedPlan>(t).ok())
            .map_or(0, |a| a.plan.in_du_rkp().count() as i64);
        let answered = match agreed_at {
            Some(at) if du_rkp_items == 0 => Some(at),
            Some(_) if answers.0 >= du_rkp_items => answers.1,
            _ => None,
        };
        Ok([
            first_forwarding,
            first_musdes,
            sk.map(|d| (d, format!("{base}/tim/sk"))),
            agreed.zip(meeting).map(|(at, id)| (local(at), page(id))),
            perdes.map(|d| (d, format!("{base}/perdes"))),
            answered.map(|at| (local(at), format!("{base}/du-rkp"))),
        ])
    }
}
