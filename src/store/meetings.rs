//! Meetings: facts, invitations, attendance, agenda with minutes and decisions, the
//! one-transaction finalization that freezes and seals the record, and addenda.
//!
//! Every change to an open meeting first takes the meeting's row lock through
//! [`lock_open!`], the same row finalization updates. So a change either commits before
//! the record is frozen (and is in it) or finds the meeting finalized (409): nothing can
//! slip in beside a sealed record.

use super::Actor;
use super::seals::append_seal;
use crate::domain::apbdes::authority_name;
use crate::domain::plan::Placement;
use crate::domain::proposal::EventKind;
use crate::domain::seal::Kind as SealKind;
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use super::villages::Village;
use super::{OrStale, Result, StoreError, audit, change, new_id, now, read, timeline};
use crate::domain::meeting::{
    self, NewAttendee, NewDecision, NewMeeting, Record, RecordAttendee, RecordDecision,
    RecordGroup, RecordItem, RecordLink, RecordPostponement, RecordVillage,
};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Meeting {
    pub id: Uuid,
    pub village_id: Uuid,
    #[sqlx(try_from = "String")]
    pub kind: meeting::Kind,
    pub title: String,
    pub scheduled_at: DateTime<Utc>,
    pub place: String,
    pub chair: Option<String>,
    pub note_taker: Option<String>,
    pub invited_count: Option<i64>,
    pub quorum_rule: String,
    #[sqlx(try_from = "String")]
    pub status: meeting::MeetingStatus,
    pub quorum_note: Option<String>,
    pub content_hash: Option<String>,
    pub verification_code: Option<String>,
    pub finalized_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub majority_rule: String,
    pub representative: Option<String>,
    pub postponed_at: Option<DateTime<Utc>>,
    pub postpone_note: Option<String>,
    pub postponed_by_name: Option<String>,
    pub rescheduled_from: Option<Uuid>,
    pub rescheduled_to: Option<Uuid>,
}

impl Meeting {
    pub fn is_finalized(&self) -> bool {
        self.status == meeting::MeetingStatus::Finalized.code()
    }
}

/// One line of the attendance list, with its id for corrections.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttendanceLine {
    pub id: Uuid,
    pub name: String,
    pub gender: String,
    pub group_id: Option<Uuid>,
    pub group_name: Option<String>,
    pub group_kind: Option<String>,
    pub group_vulnerable: Option<bool>,
    pub role: Option<String>,
    pub hamlet: Option<String>,
    pub voter: bool,
}

/// One agenda item: the proposal and what the meeting said and decided about it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AgendaItem {
    pub proposal_id: Uuid,
    pub number: String,
    pub title: String,
    pub bidang: String,
    pub status: String,
    pub minutes: Option<String>,
    pub decision: Option<String>,
    pub method: Option<String>,
    pub votes_for: Option<i64>,
    pub votes_against: Option<i64>,
    pub votes_abstain: Option<i64>,
    /// The alternative chosen with the decision, its group, cost and the reason.
    pub alternative_title: Option<String>,
    pub alternative_group: Option<String>,
    pub alternative_cost: Option<i64>,
    pub alternative_reason: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct InvitedGroup {
    id: Uuid,
    name: String,
    kind: String,
    vulnerable: bool,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Addendum {
    pub id: Uuid,
    pub body: String,
    pub author_name: String,
    pub created_at: DateTime<Utc>,
}

/// The live rows of an open meeting.
#[derive(Debug, Clone)]
pub struct Parts {
    pub invited: Vec<RecordGroup>,
    pub attendance: Vec<AttendanceLine>,
    pub agenda: Vec<AgendaItem>,
    pub removed: Vec<RemovedItem>,
    /// The meetings this one was rescheduled from and to.
    pub from: Option<RecordLink>,
    pub to: Option<RecordLink>,
}

/// An item taken off the agenda, and why.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RemovedItem {
    pub number: String,
    pub title: String,
    pub reason: String,
    pub removed_by_name: String,
    pub removed_at: DateTime<Utc>,
}

/// A meeting found by its verification code.
#[derive(Debug, Clone)]
pub struct Sealed {
    pub meeting: Meeting,
    pub village_slug: String,
    pub record: Record,
    /// Whether the stored record still hashes to its seal.
    pub intact: bool,
}

pub(super) const MEETING_COLUMNS: &str = "id, village_id, kind, title, scheduled_at, place, chair, note_taker, invited_count, \
     quorum_rule, status, quorum_note, content_hash, verification_code, finalized_at, version, created_at, \
     majority_rule, representative, postponed_at, postpone_note, postponed_by_name, rescheduled_from, rescheduled_to";

/// Whether the proposal bound as `$1` stands in an adopted plan: decided for good, changed
/// only by the plan's amendment, never by another meeting.
const IN_ADOPTED_PLAN: &str = "SELECT EXISTS (SELECT 1 FROM plan_items i JOIN plans p ON p.id = i.plan_id \
     WHERE i.proposal_id = $1 AND p.status = 'adopted' AND p.superseded_by IS NULL AND i.placed IN ('rkp', 'du_rkp'))";

/// Returns [`StoreError::OutOfTurn`] from the enclosing function when the proposal stands
/// in an adopted plan.
macro_rules! not_in_adopted_plan {
    ($tx:expr, $proposal:expr) => {{
        let adopted: bool = sqlx::query_scalar(IN_ADOPTED_PLAN)
            .bind($proposal)
            .fetch_one(&mut *$tx)
            .await?;
        if adopted {
            return Err(StoreError::OutOfTurn("error.in_adopted_plan"));
        }
    }};
}

/// Takes the meeting's row lock inside `$tx`, or returns [`StoreError::Finalized`].
macro_rules! lock_open {
    ($tx:expr, $meeting:expr, $at:expr) => {{
        let n = sqlx::query(
            "UPDATE meetings SET updated_at = $1 WHERE id = $2 AND status <> 'finalized'",
        )
        .bind($at)
        .bind($meeting)
        .execute($tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::Finalized);
        }
    }};
}
pub(crate) use lock_open;

/// Returns [`StoreError::Stale`] from the enclosing function unless the meeting is
/// finalized: annexes (addenda, scans) stand beside a final record, never an open one.
macro_rules! only_finalized {
    ($tx:expr, $meeting:expr) => {{
        let status: Option<String> =
            sqlx::query_scalar("SELECT status FROM meetings WHERE id = $1")
                .bind($meeting)
                .fetch_optional(&mut *$tx)
                .await?;
        if status.as_deref() != Some("finalized") {
            return Err(StoreError::Stale);
        }
    }};
}
pub(crate) use only_finalized;

/// Takes a proposal off a meeting's agenda inside `$tx`, with the reason on the meeting's
/// record and on the proposal's timeline. Evaluates to whether it was there.
macro_rules! take_off_agenda {
    ($tx:expr, meeting: $meeting:expr, title: $title:expr, proposal: $proposal:expr, reason: $reason:expr,
     actor: $actor:expr, name: $name:expr, at: $at:expr $(,)?) => {{
        let meeting: Uuid = $meeting;
        let proposal: Uuid = $proposal;
        let reason: &str = $reason;
        let name: &str = $name;
        let n = sqlx::query("DELETE FROM meeting_agenda WHERE meeting_id = $1 AND proposal_id = $2")
            .bind(meeting)
            .bind(proposal)
            .execute(&mut *$tx)
            .await?
            .rows_affected();
        if n > 0 {
            sqlx::query(
                "INSERT INTO meeting_agenda_removals (id, meeting_id, proposal_id, reason, removed_by_name, removed_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(new_id())
            .bind(meeting)
            .bind(proposal)
            .bind(reason)
            .bind(name)
            .bind($at)
            .execute(&mut *$tx)
            .await?;
            let note = format!("{} · {}", $title, reason);
            timeline!(&mut *$tx, proposal: proposal, at: $at, actor: $actor, name: name,
                kind: EventKind::OffAgenda, from: None, to: None, note: Some(&note), meeting: Some(meeting))?;
        }
        n > 0
    }};
}

/// Takes an open meeting's lock in `$tx` and reads it as it now stands; refuses with the
/// reason `$rule` (a step of its opening: postpone, reschedule) gives. Evaluates to the
/// meeting and its parts.
macro_rules! lock_for_opening {
    ($tx:expr, $village:expr, $meeting:expr, $at:expr, $rule:path) => {{
        lock_open!(&mut *$tx, $meeting, $at);
        let m: Meeting = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {MEETING_COLUMNS} FROM meetings WHERE id = $1"
        )))
        .bind($meeting)
        .fetch_one(&mut *$tx)
        .await?;
        let parts = load_parts!($tx, $meeting);
        let record = record_of($village, &m, &parts);
        let status = m.status;
        let opening = meeting::opening(&record, &meeting::summarize(&record));
        if let Err(reason) = $rule(status, opening) {
            return Err(StoreError::OutOfTurn(reason));
        }
        (m, parts)
    }};
}

/// Reads the invitations, attendance and agenda of a meeting with `$exec`.
macro_rules! load_parts {
    ($exec:expr, $meeting:expr) => {{
        let invited: Vec<InvitedGroup> = sqlx::query_as(
            "SELECT g.id, g.name, g.kind, g.vulnerable FROM meeting_invitations i \
             JOIN stakeholder_groups g ON g.id = i.group_id WHERE i.meeting_id = $1 ORDER BY g.name, g.id",
        )
        .bind($meeting)
        .fetch_all(&mut *$exec)
        .await?;
        let attendance: Vec<AttendanceLine> = sqlx::query_as(
            "SELECT a.id, a.name, a.gender, a.group_id, g.name AS group_name, g.kind AS group_kind, \
             g.vulnerable AS group_vulnerable, a.role, a.hamlet, a.voter FROM meeting_attendance a \
             LEFT JOIN stakeholder_groups g ON g.id = a.group_id WHERE a.meeting_id = $1 \
             ORDER BY a.created_at, a.id LIMIT 5000",
        )
        .bind($meeting)
        .fetch_all(&mut *$exec)
        .await?;
        let agenda: Vec<AgendaItem> = sqlx::query_as(
            "SELECT a.proposal_id, p.number, p.title, p.bidang, p.status, a.minutes, a.decision, a.method, \
             a.votes_for, a.votes_against, a.votes_abstain, x.title AS alternative_title, \
             xg.name AS alternative_group, x.cost AS alternative_cost, a.alternative_reason \
             FROM meeting_agenda a JOIN proposals p ON p.id = a.proposal_id \
             LEFT JOIN proposal_alternatives x ON x.id = a.alternative_id \
             LEFT JOIN stakeholder_groups xg ON xg.id = x.group_id \
             WHERE a.meeting_id = $1 ORDER BY a.position, p.number",
        )
        .bind($meeting)
        .fetch_all(&mut *$exec)
        .await?;
        let removed: Vec<RemovedItem> = sqlx::query_as(
            "SELECT p.number, p.title, r.reason, r.removed_by_name, r.removed_at FROM meeting_agenda_removals r \
             JOIN proposals p ON p.id = r.proposal_id WHERE r.meeting_id = $1 ORDER BY r.removed_at, r.id",
        )
        .bind($meeting)
        .fetch_all(&mut *$exec)
        .await?;
        let links: Vec<(Uuid, DateTime<Utc>, String, bool)> = sqlx::query_as(
            "SELECT o.id, o.scheduled_at, o.place, (m.rescheduled_to IS NOT NULL AND o.id = m.rescheduled_to) FROM meetings m \
             JOIN meetings o ON o.id = m.rescheduled_from OR o.id = m.rescheduled_to WHERE m.id = $1",
        )
        .bind($meeting)
        .fetch_all(&mut *$exec)
        .await?;
        let link = |later: bool| {
            links.iter().find(|l| l.3 == later).map(|l| RecordLink {
                meeting_id: l.0,
                scheduled_at: l.1,
                place: l.2.clone(),
            })
        };
        Parts {
            from: link(false),
            to: link(true),
            invited: invited
                .into_iter()
                .map(|g| RecordGroup {
                    id: g.id,
                    name: g.name,
                    kind: g.kind,
                    vulnerable: g.vulnerable,
                })
                .collect(),
            attendance,
            agenda,
            removed,
        }
    }};
}

/// The record a meeting states, from its live rows.
/// The village as a finalized record names it.
pub fn record_village(village: &Village) -> RecordVillage {
    RecordVillage {
        name: village.name.clone(),
        code: village.code.clone(),
        kecamatan: village.kecamatan.clone(),
        kabupaten: village.kabupaten.clone(),
        provinsi: village.provinsi.clone(),
        timezone: village.timezone.clone(),
    }
}

pub fn record_of(village: &Village, m: &Meeting, parts: &Parts) -> Record {
    Record {
        meeting_id: m.id,
        village: record_village(village),
        kind: m.kind.code().to_string(),
        title: m.title.clone(),
        scheduled_at: m.scheduled_at,
        place: m.place.clone(),
        chair: m.chair.clone(),
        note_taker: m.note_taker.clone(),
        invited_count: m.invited_count,
        quorum_rule: m.quorum_rule.clone(),
        women_minimum_percent: village.women_minimum_percent,
        invited_groups: parts.invited.clone(),
        attendance: parts
            .attendance
            .iter()
            .map(|a| RecordAttendee {
                name: a.name.clone(),
                gender: a.gender.clone(),
                group: match (a.group_id, &a.group_name, &a.group_kind) {
                    (Some(id), Some(name), Some(kind)) => Some(RecordGroup {
                        id,
                        name: name.clone(),
                        kind: kind.clone(),
                        vulnerable: a.group_vulnerable.unwrap_or(false),
                    }),
                    _ => None,
                },
                role: a.role.clone(),
                dusun: a.hamlet.clone(),
                voter: a.voter,
            })
            .collect(),
        agenda: parts
            .agenda
            .iter()
            .map(|i| RecordItem {
                number: i.number.clone(),
                title: i.title.clone(),
                bidang: i.bidang.clone(),
                minutes: i.minutes.clone(),
                decision: match (&i.decision, &i.method) {
                    (Some(d), Some(method)) => Some(RecordDecision {
                        decision: d.clone(),
                        method: method.clone(),
                        votes_for: i.votes_for,
                        votes_against: i.votes_against,
                        votes_abstain: i.votes_abstain,
                        chosen: match (&i.alternative_title, &i.alternative_reason) {
                            (Some(title), Some(reason)) => Some(meeting::RecordChoice {
                                title: title.clone(),
                                group: i.alternative_group.clone().unwrap_or_default(),
                                cost: i.alternative_cost.unwrap_or(0),
                                reason: reason.clone(),
                            }),
                            _ => None,
                        },
                    }),
                    _ => None,
                },
            })
            .collect(),
        removed: parts
            .removed
            .iter()
            .map(|r| meeting::RecordRemoval {
                number: r.number.clone(),
                title: r.title.clone(),
                reason: r.reason.clone(),
                by: r.removed_by_name.clone(),
                at: r.removed_at,
            })
            .collect(),
        quorum_note: m.quorum_note.clone(),
        finalized_at: m.finalized_at,
        finalized_by: None,
        majority_rule: m.majority_rule.clone(),
        postponed: match (m.postponed_at, &m.postpone_note) {
            (Some(at), Some(note)) => Some(RecordPostponement {
                at,
                note: note.clone(),
                by: m.postponed_by_name.clone().unwrap_or_default(),
            }),
            _ => None,
        },
        rescheduled_from: parts.from.clone(),
        rescheduled_to: parts.to.clone(),
        opening: None,
        kepala_desa: village.kepala_desa.clone(),
        representative: m.representative.clone(),
        agreed_plan: None,
    }
}

impl super::Store {
    pub async fn create_meeting(&self, village: Uuid, m: &NewMeeting, actor: Uuid) -> Result<Uuid> {
        let id = new_id();
        let at = now();
        change!(self, |tx| {
            sqlx::query(
                "INSERT INTO meetings (id, village_id, kind, title, scheduled_at, place, chair, note_taker, \
                 invited_count, quorum_rule, status, version, created_by, created_at, updated_at, \
                 majority_rule, representative) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'planned', 1, $11, $12, $12, $13, $14)",
            )
            .bind(id)
            .bind(village)
            .bind(m.kind.code())
            .bind(&m.title)
            .bind(m.scheduled_at)
            .bind(&m.place)
            .bind(&m.chair)
            .bind(&m.note_taker)
            .bind(m.invited_count)
            .bind(m.quorum_rule.code())
            .bind(actor)
            .bind(at)
            .bind(m.majority_rule.code())
            .bind(&m.representative)
            .execute(&mut *tx)
            .await?;
            let after = facts_json(m);
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "meeting",
                id: id.to_string(), action: "create", before: None, after: Some(after));
            (id, entry)
        })
    }

    /// Changes the facts of an open meeting if nobody changed them since `version`.
    pub async fn update_meeting(
        &self,
        before: &Meeting,
        version: i64,
        m: &NewMeeting,
        actor: Uuid,
    ) -> Result<()> {
        let at = now();
        change!(self, |tx| {
            lock_open!(&mut *tx, before.id, at);
            sqlx::query(
                "UPDATE meetings SET kind = $1, title = $2, scheduled_at = $3, place = $4, chair = $5, \
                 note_taker = $6, invited_count = $7, quorum_rule = $8, version = version + 1, updated_at = $9, \
                 majority_rule = $12, representative = $13 WHERE id = $10 AND version = $11",
            )
            .bind(m.kind.code())
            .bind(&m.title)
            .bind(m.scheduled_at)
            .bind(&m.place)
            .bind(&m.chair)
            .bind(&m.note_taker)
            .bind(m.invited_count)
            .bind(m.quorum_rule.code())
            .bind(at)
            .bind(before.id)
            .bind(version)
            .bind(m.majority_rule.code())
            .bind(&m.representative)
            .execute(&mut *tx)
            .await?
            .or_stale()?;
            let old = serde_json::to_value(before).unwrap_or_default();
            let new = facts_json(m);
            let entry = audit::entry!(actor: Some(actor), village: Some(before.village_id), entity: "meeting",
                id: before.id.to_string(), action: "edit", before: Some(old), after: Some(new));
            ((), entry)
        })
    }

    pub async fn meeting(&self, village: Uuid, id: Uuid) -> Result<Meeting> {
        let sql =
            format!("SELECT {MEETING_COLUMNS} FROM meetings WHERE village_id = $1 AND id = $2");
        let m: Option<Meeting> = read!(self, |pool| {
            sqlx::query_as(AssertSqlSafe(sql))
                .bind(village)
                .bind(id)
                .fetch_optional(pool)
                .await
        })?;
        m.ok_or(StoreError::NotFound)
    }

    /// A page of the village's meetings, the latest scheduled first.
    pub async fn list_meetings(
        &self,
        village: Uuid,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Meeting>> {
        let sql = format!(
            "SELECT {MEETING_COLUMNS} FROM meetings WHERE village_id = $1 \
             ORDER BY scheduled_at DESC, id DESC LIMIT $2 OFFSET $3"
        );
        Ok(read!(self, |pool| {
            sqlx::query_as(AssertSqlSafe(sql.clone()))
                .bind(village)
                .bind(limit)
                .bind(offset)
                .fetch_all(pool)
                .await
        })?)
    }

    /// Invitations, attendance and agenda as they stand.
    pub async fn meeting_parts(&self, meeting: Uuid) -> Result<Parts> {
        read!(self, |pool| {
            let mut conn = pool.acquire().await?;
            Ok(load_parts!(conn, meeting))
        })
    }

    /// The frozen record of a finalized meeting, exactly as it was sealed.
    pub async fn frozen_record(&self, meeting: Uuid) -> Result<(String, Record)> {
        let text: Option<Option<String>> = read!(self, |pool| {
            sqlx::query_scalar("SELECT record FROM meetings WHERE id = $1")
                .bind(meeting)
                .fetch_optional(pool)
                .await
        })?;
        let text = text.flatten().ok_or(StoreError::NotFound)?;
        let record = serde_json::from_str(&text).map_err(|e| {
            StoreError::Config(format!("frozen record of {meeting} unreadable: {e}"))
        })?;
        Ok((text, record))
    }

    pub async fn invite(&self, meeting: &Meeting, group: Uuid, actor: Uuid) -> Result<()> {
        let at = now();
        change!(self, |tx| {
            lock_open!(&mut *tx, meeting.id, at);
            let n = sqlx::query(
                "INSERT INTO meeting_invitations (meeting_id, group_id, created_at) \
                 SELECT $1, id, $3 FROM stakeholder_groups WHERE id = $2 AND village_id = $4 \
                 ON CONFLICT (meeting_id, group_id) DO NOTHING",
            )
            .bind(meeting.id)
            .bind(group)
            .bind(at)
            .bind(meeting.village_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            // Invited already: nothing changed, nothing to record.
            let entry = (n > 0).then(|| {
                let after = serde_json::json!({ "group": group });
                audit::entry!(actor: Some(actor), village: Some(meeting.village_id), entity: "meeting",
                    id: meeting.id.to_string(), action: "invite", before: None, after: Some(after))
            });
            ((), entry)
        })
    }

    pub async fn uninvite(&self, meeting: &Meeting, group: Uuid, actor: Uuid) -> Result<()> {
        let at = now();
        change!(self, |tx| {
            lock_open!(&mut *tx, meeting.id, at);
            let n = sqlx::query(
                "DELETE FROM meeting_invitations WHERE meeting_id = $1 AND group_id = $2",
            )
            .bind(meeting.id)
            .bind(group)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let before = serde_json::json!({ "group": group });
            let entry = audit::entry!(actor: Some(actor), village: Some(meeting.village_id), entity: "meeting",
                id: meeting.id.to_string(), action: "uninvite", before: Some(before), after: None);
            ((), entry)
        })
    }

    pub async fn add_attendee(
        &self,
        meeting: &Meeting,
        a: &NewAttendee,
        actor: Uuid,
    ) -> Result<Uuid> {
        let id = new_id();
        let at = now();
        change!(self, |tx| {
            lock_open!(&mut *tx, meeting.id, at);
            sqlx::query(
                "INSERT INTO meeting_attendance (id, meeting_id, name, gender, group_id, role, hamlet, created_at, voter) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id)
            .bind(meeting.id)
            .bind(&a.name)
            .bind(a.gender.code())
            .bind(a.group)
            .bind(&a.role)
            .bind(&a.hamlet)
            .bind(at)
            .bind(a.voter)
            .execute(&mut *tx)
            .await?;
            let after = attendee_json(a);
            let entry = audit::entry!(actor: Some(actor), village: Some(meeting.village_id), entity: "attendance",
                id: id.to_string(), action: "create", before: None, after: Some(after));
            (id, entry)
        })
    }

    /// Corrects one line of the attendance list of an open meeting.
    pub async fn update_attendee(
        &self,
        meeting: &Meeting,
        line: Uuid,
        a: &NewAttendee,
        actor: Uuid,
    ) -> Result<()> {
        let at = now();
        change!(self, |tx| {
            lock_open!(&mut *tx, meeting.id, at);
            let n = sqlx::query(
                "UPDATE meeting_attendance SET name = $1, gender = $2, group_id = $3, role = $4, hamlet = $5, \
                 voter = $8 WHERE id = $6 AND meeting_id = $7",
            )
            .bind(&a.name)
            .bind(a.gender.code())
            .bind(a.group)
            .bind(&a.role)
            .bind(&a.hamlet)
            .bind(line)
            .bind(meeting.id)
            .bind(a.voter)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let after = attendee_json(a);
            let entry = audit::entry!(actor: Some(actor), village: Some(meeting.village_id), entity: "attendance",
                id: line.to_string(), action: "edit", before: None, after: Some(after));
            ((), entry)
        })
    }

    pub async fn remove_attendee(&self, meeting: &Meeting, line: Uuid, actor: Uuid) -> Result<()> {
        let at = now();
        change!(self, |tx| {
            lock_open!(&mut *tx, meeting.id, at);
            let name: Option<String> = sqlx::query_scalar(
                "DELETE FROM meeting_attendance WHERE id = $1 AND meeting_id = $2 RETURNING name",
            )
            .bind(line)
            .bind(meeting.id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(name) = name else {
                return Err(StoreError::NotFound);
            };
            let before = serde_json::json!({ "name": name });
            let entry = audit::entry!(actor: Some(actor), village: Some(meeting.village_id), entity: "attendance",
                id: line.to_string(), action: "delete", before: Some(before), after: None);
            ((), entry)
        })
    }

    /// Puts a proposal on the agenda; one still being weighed becomes `on_agenda`, with
    /// the meeting named on its timeline. Putting it there twice changes nothing.
    pub async fn add_to_agenda(&self, meeting: &Meeting, proposal: Uuid, by: &Actor) -> Result<()> {
        let (actor, actor_name) = (by.id, by.name.as_str());
        let at = now();
        change!(self, |tx| {
            lock_open!(&mut *tx, meeting.id, at);
            not_in_adopted_plan!(tx, proposal);
            let status: Option<String> = sqlx::query_scalar(
                "SELECT status FROM proposals WHERE id = $1 AND village_id = $2",
            )
            .bind(proposal)
            .bind(meeting.village_id)
            .fetch_optional(&mut *tx)
            .await?;
            let status = status.ok_or(StoreError::NotFound)?;
            let allowed = crate::domain::proposal::Status::parse(&status)
                .is_some_and(meeting::may_put_on_agenda);
            if !allowed {
                return Err(StoreError::Stale);
            }
            let n = sqlx::query(
                "INSERT INTO meeting_agenda (meeting_id, proposal_id, position, created_at) \
                 SELECT $1, $2, COALESCE(MAX(position), 0) + 1, $3 FROM meeting_agenda WHERE meeting_id = $1 \
                 ON CONFLICT (meeting_id, proposal_id) DO NOTHING",
            )
            .bind(meeting.id)
            .bind(proposal)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let entry = if n > 0 {
                sqlx::query(
                    "UPDATE proposals SET status = 'on_agenda', version = version + 1, updated_at = $1 \
                     WHERE id = $2 AND status <> 'on_agenda'",
                )
                .bind(at)
                .bind(proposal)
                .execute(&mut *tx)
                .await?;
                timeline!(&mut *tx, proposal: proposal, at: at, actor: Some(actor), name: actor_name,
                    kind: EventKind::OnAgenda, from: Some(status.as_str()), to: Some("on_agenda"), note: Some(&meeting.title),
                    meeting: Some(meeting.id))?;
                let after = serde_json::json!({ "proposal": proposal });
                Some(
                    audit::entry!(actor: Some(actor), village: Some(meeting.village_id), entity: "meeting",
                    id: meeting.id.to_string(), action: "agenda", before: None, after: Some(after)),
                )
            } else {
                None
            };
            ((), entry)
        })
    }

    /// Takes an item off an open meeting's agenda, with the reason on the record; a proposal
    /// on no other open agenda goes back to review.
    pub async fn remove_from_agenda(
        &self,
        meeting: &Meeting,
        proposal: Uuid,
        reason: &str,
        by: &Actor,
    ) -> Result<()> {
        let (actor, actor_name) = (by.id, by.name.as_str());
        let at = now();
        change!(self, |tx| {
            lock_open!(&mut *tx, meeting.id, at);
            let was = take_off_agenda!(tx, meeting: meeting.id, title: &meeting.title, proposal: proposal,
                reason: reason, actor: Some(actor), name: actor_name, at: at);
            if !was {
                return Err(StoreError::NotFound);
            }
            sqlx::query(
                "UPDATE proposals SET status = 'in_review', version = version + 1, updated_at = $1 \
                 WHERE id = $2 AND status = 'on_agenda' AND NOT EXISTS (SELECT 1 FROM meeting_agenda a \
                 JOIN meetings m ON m.id = a.meeting_id WHERE a.proposal_id = $2 AND m.status <> 'finalized')",
            )
            .bind(at)
            .bind(proposal)
            .execute(&mut *tx)
            .await?;
            let after = serde_json::json!({ "proposal": proposal, "reason": reason });
            let entry = audit::entry!(actor: Some(actor), village: Some(meeting.village_id), entity: "meeting",
                id: meeting.id.to_string(), action: "agenda_remove", before: None, after: Some(after));
            ((), entry)
        })
    }

    /// The course of the meeting on one agenda item (uraian jalannya rapat).
    pub async fn set_minutes(
        &self,
        meeting: &Meeting,
        proposal: Uuid,
        minutes: Option<&str>,
        actor: Uuid,
    ) -> Result<()> {
        let at = now();
        change!(self, |tx| {
            lock_open!(&mut *tx, meeting.id, at);
            let n = sqlx::query(
                "UPDATE meeting_agenda SET minutes = $1 WHERE meeting_id = $2 AND proposal_id = $3",
            )
            .bind(minutes)
            .bind(meeting.id)
            .bind(proposal)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let after = serde_json::json!({ "proposal": proposal, "minutes": minutes });
            let entry = audit::entry!(actor: Some(actor), village: Some(meeting.village_id), entity: "meeting",
                id: meeting.id.to_string(), action: "minutes", before: None, after: Some(after));
            ((), entry)
        })
    }

    /// Records (or replaces) the decision on an agenda item of an open meeting.
    pub async fn decide(
        &self,
        meeting: &Meeting,
        proposal: Uuid,
        d: &NewDecision,
        actor: Uuid,
    ) -> Result<()> {
        let at = now();
        let votes = d.votes;
        change!(self, |tx| {
            lock_open!(&mut *tx, meeting.id, at);
            not_in_adopted_plan!(tx, proposal);
            let n = sqlx::query(
                "UPDATE meeting_agenda SET decision = $1, method = $2, votes_for = $3, votes_against = $4, \
                 votes_abstain = $5, alternative_id = $8, alternative_reason = $9 \
                 WHERE meeting_id = $6 AND proposal_id = $7",
            )
            .bind(d.decision.code())
            .bind(d.method.code())
            .bind(votes.map(|v| v.votes_for))
            .bind(votes.map(|v| v.against))
            .bind(votes.map(|v| v.abstain))
            .bind(meeting.id)
            .bind(proposal)
            .bind(d.choice.as_ref().map(|c| c.alternative))
            .bind(d.choice.as_ref().map(|c| c.reason.as_str()))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let after = serde_json::json!({
                "alternative": d.choice.as_ref().map(|c| c.alternative),
                "alternative_reason": d.choice.as_ref().map(|c| c.reason.as_str()),
                "proposal": d.number, "decision": d.decision.code(), "method": d.method.code(),
                "votes_for": votes.map(|v| v.votes_for), "votes_against": votes.map(|v| v.against),
                "votes_abstain": votes.map(|v| v.abstain),
            });
            let entry = audit::entry!(actor: Some(actor), village: Some(meeting.village_id), entity: "meeting",
                id: meeting.id.to_string(), action: "decide", before: None, after: Some(after));
            ((), entry)
        })
    }

    /// `planned` → `held`; a meeting already held stays so.
    pub async fn mark_held(&self, meeting: &Meeting, actor: Uuid) -> Result<()> {
        let at = now();
        change!(self, |tx| {
            lock_open!(&mut *tx, meeting.id, at);
            let n = sqlx::query(
                "UPDATE meetings SET status = 'held', version = version + 1 \
                 WHERE id = $1 AND status = 'planned' AND scheduled_at <= $2",
            )
            .bind(meeting.id)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            // Marked already: nothing changed, nothing to record.
            let entry = (n > 0).then(|| {
                let before = serde_json::json!({ "status": "planned" });
                let after = serde_json::json!({ "status": "held" });
                audit::entry!(actor: Some(actor), village: Some(meeting.village_id), entity: "meeting",
                    id: meeting.id.to_string(), action: "status", before: Some(before), after: Some(after))
            });
            ((), entry)
        })
    }

    /// Postpones the opening of a meeting waiting for its quorum: when, why and by whom go
    /// on its record. The rule is checked again under the meeting's lock.
    pub async fn postpone_meeting(
        &self,
        village: &Village,
        meeting: &Meeting,
        note: &str,
        by: &Actor,
    ) -> Result<()> {
        let (actor, actor_name) = (by.id, by.name.as_str());
        let at = now();
        change!(self, |tx| {
            let _ = lock_for_opening!(tx, village, meeting.id, at, meeting::may_postpone);
            sqlx::query(
                "UPDATE meetings SET postponed_at = $1, postpone_note = $2, postponed_by_name = $3, \
                 version = version + 1 WHERE id = $4",
            )
            .bind(at)
            .bind(note)
            .bind(actor_name)
            .bind(meeting.id)
            .execute(&mut *tx)
            .await?;
            let after = serde_json::json!({ "postponed_at": at, "note": note });
            let entry = audit::entry!(actor: Some(actor), village: Some(village.id), entity: "meeting",
                id: meeting.id.to_string(), action: "postpone", before: None, after: Some(after));
            ((), entry)
        })
    }

    /// Reschedules a postponed meeting: a new meeting of the same kind, chair, invitations
    /// and agenda at the new date and place, linked both ways. The agenda moves to it, each
    /// item with a line on this record and on the proposal's timeline. Returns the new id.
    pub async fn reschedule_meeting(
        &self,
        village: &Village,
        meeting: &Meeting,
        scheduled_at: DateTime<Utc>,
        place: &str,
        by: &Actor,
    ) -> Result<Uuid> {
        let (actor, actor_name) = (by.id, by.name.as_str());
        let id = new_id();
        let at = now();
        change!(self, |tx| {
            let (m, parts) =
                lock_for_opening!(tx, village, meeting.id, at, meeting::may_reschedule);
            let tata = village.tata_tertib();
            sqlx::query(
                "INSERT INTO meetings (id, village_id, kind, title, scheduled_at, place, chair, note_taker, \
                 invited_count, quorum_rule, status, version, created_by, created_at, updated_at, \
                 majority_rule, representative, rescheduled_from) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'planned', 1, $11, $12, $12, $13, $14, $15)",
            )
            .bind(id)
            .bind(village.id)
            .bind(m.kind.code())
            .bind(&m.title)
            .bind(scheduled_at)
            .bind(place)
            .bind(&m.chair)
            .bind(&m.note_taker)
            .bind(m.invited_count)
            .bind(tata.quorum.code())
            .bind(actor)
            .bind(at)
            .bind(tata.majority.code())
            .bind(&m.representative)
            .bind(m.id)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE meetings SET rescheduled_to = $1, version = version + 1 WHERE id = $2",
            )
            .bind(id)
            .bind(m.id)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO meeting_invitations (meeting_id, group_id, created_at) \
                 SELECT $1, group_id, $2 FROM meeting_invitations WHERE meeting_id = $3",
            )
            .bind(id)
            .bind(at)
            .bind(m.id)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO meeting_agenda (meeting_id, proposal_id, position, created_at) \
                 SELECT $1, proposal_id, position, $2 FROM meeting_agenda WHERE meeting_id = $3",
            )
            .bind(id)
            .bind(at)
            .bind(m.id)
            .execute(&mut *tx)
            .await?;
            let tz: chrono_tz::Tz = village.timezone.parse().unwrap_or(chrono_tz::Asia::Jakarta);
            let reason = format!(
                "Dipindahkan ke rapat yang dijadwalkan ulang: {}, {}",
                scheduled_at.with_timezone(&tz).format("%d-%m-%Y %H:%M"),
                place
            );
            for item in &parts.agenda {
                let _ = take_off_agenda!(tx, meeting: m.id, title: &m.title, proposal: item.proposal_id,
                    reason: &reason, actor: Some(actor), name: actor_name, at: at);
            }
            let after = serde_json::json!({ "rescheduled_to": id, "scheduled_at": scheduled_at, "place": place });
            let entry = audit::entry!(actor: Some(actor), village: Some(village.id), entity: "meeting",
                id: m.id.to_string(), action: "reschedule", before: None, after: Some(after));
            (id, entry)
        })
    }

    /// Finalizes in one transaction: marks the meeting finalized (so a second attempt at
    /// the same moment waits, then finds it finalized), reads its content, checks it,
    /// freezes and seals the record, and moves each decided proposal to its decision.
    /// Returns the verification code.
    pub async fn finalize_meeting(
        &self,
        village: &Village,
        meeting: Uuid,
        quorum_note: &str,
        by: &Actor,
    ) -> Result<String> {
        let (actor, actor_name) = (by.id, by.name.as_str());
        let at = now();
        let sql = format!("SELECT {MEETING_COLUMNS} FROM meetings WHERE id = $1");
        change!(self, |tx| {
            let n = sqlx::query(
                "UPDATE meetings SET status = 'finalized', updated_at = $1 \
                 WHERE id = $2 AND village_id = $3 AND status = 'held'",
            )
            .bind(at)
            .bind(meeting)
            .bind(village.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::Finalized);
            }
            let m: Meeting = sqlx::query_as(AssertSqlSafe(sql))
                .bind(meeting)
                .fetch_one(&mut *tx)
                .await?;
            let parts = load_parts!(tx, meeting);
            let mut record = record_of(village, &m, &parts);
            let note = quorum_note.trim();
            let opening = meeting::opening(&record, &meeting::summarize(&record));
            let problems = meeting::finalize_problems(&record, opening, note);
            if !problems.is_empty() {
                return Err(StoreError::Invalid(problems));
            }
            for item in parts.agenda.iter().filter(|i| i.decision.is_some()) {
                let adopted: bool = sqlx::query_scalar(IN_ADOPTED_PLAN)
                    .bind(item.proposal_id)
                    .fetch_one(&mut *tx)
                    .await?;
                if adopted {
                    let mut e = crate::domain::FieldErrors::new();
                    e.add("status", "error.decided_in_adopted_plan");
                    return Err(StoreError::Invalid(e));
                }
            }
            record.opening = Some(opening.code().to_string());
            // A Musrenbangdes that opened agrees the draft put before it: the draft goes
            // into its sealed record. One that did not open hands the draft back.
            let tabled: Option<(Uuid, Option<String>)> = sqlx::query_as(
                "SELECT id, tabled FROM plans WHERE agreed_in = $1 AND agreed_at IS NULL",
            )
            .bind(meeting)
            .fetch_optional(&mut *tx)
            .await?;
            let mut agreed_plan: Option<super::plans::AgreedPlan> = None;
            if let Some((plan_id, tabled)) = tabled {
                let snapshot =
                    tabled.and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
                match snapshot.filter(|_| opening.opened()) {
                    Some(agreed) => {
                        agreed_plan = serde_json::from_value(agreed.clone()).ok();
                        record.agreed_plan = Some(agreed);
                        sqlx::query("UPDATE plans SET agreed_at = $1 WHERE id = $2")
                            .bind(at)
                            .bind(plan_id)
                            .execute(&mut *tx)
                            .await?;
                    }
                    None => {
                        sqlx::query(
                            "UPDATE plans SET agreed_in = NULL, tabled = NULL WHERE id = $1",
                        )
                        .bind(plan_id)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
            }
            record.quorum_note = Some(note.to_string()).filter(|n| !n.is_empty());
            record.finalized_at = Some(at);
            record.finalized_by = Some(actor_name.to_string());
            let frozen = serde_json::to_string(&record)
                .map_err(|e| StoreError::Config(format!("record not serializable: {e}")))?;
            let (hash, code) = meeting::seal(&frozen);
            sqlx::query(
                "UPDATE meetings SET record = $1, content_hash = $2, verification_code = $3, quorum_note = $4, \
                 finalized_at = $5, finalized_by = $6, version = version + 1 WHERE id = $7",
            )
            .bind(&frozen)
            .bind(&hash)
            .bind(&code)
            .bind(&record.quorum_note)
            .bind(at)
            .bind(actor)
            .bind(meeting)
            .execute(&mut *tx)
            .await?;
            append_seal!(tx, self, village: village.id, kind: SealKind::Meeting, subject: meeting,
                parent: None, content: frozen.as_bytes(), at: at);
            // Photos of the sheets signed in the hall, attached while the meeting was open:
            // sealed now, after the record they belong to.
            type Waiting = (Uuid, String, String, String, String, DateTime<Utc>);
            let waiting: Vec<Waiting> = sqlx::query_as(
                "SELECT id, label, content_type, sha256, uploaded_by_name, created_at FROM meeting_scans \
                 WHERE meeting_id = $1 ORDER BY created_at, id",
            )
            .bind(meeting)
            .fetch_all(&mut *tx)
            .await?;
            for (scan, label, content_type, sha, by, attached) in waiting {
                let sealed = crate::domain::seal::scan_bytes(
                    meeting,
                    scan,
                    &label,
                    &content_type,
                    &sha,
                    &by,
                    attached,
                );
                append_seal!(tx, self, village: village.id, kind: SealKind::Scan, subject: scan,
                    parent: Some(meeting), content: &sealed, at: at);
            }
            let note = format!("{} · {}", m.title, meeting::display_code(&code));
            for item in parts.agenda.iter() {
                let Some(to) = item.decision.as_deref() else {
                    continue;
                };
                if !meeting::DECIDABLE_STATUSES.contains(&item.status.as_str()) {
                    continue;
                }
                sqlx::query(
                    "UPDATE proposals SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3",
                )
                .bind(to)
                .bind(at)
                .bind(item.proposal_id)
                .execute(&mut *tx)
                .await?;
                timeline!(&mut *tx, proposal: item.proposal_id, at: at, actor: Some(actor), name: actor_name,
                    kind: EventKind::Decided, from: Some(item.status.as_str()), to: Some(to), note: Some(&note),
                    meeting: Some(meeting))?;
                // Decided here: it leaves every other open agenda, saying so there.
                if !meeting::Decision::parse(to).is_some_and(meeting::settles) {
                    continue;
                }
                let others: Vec<(Uuid, String)> = sqlx::query_as(
                    "SELECT m.id, m.title FROM meeting_agenda a JOIN meetings m ON m.id = a.meeting_id \
                     WHERE a.proposal_id = $1 AND m.id <> $2 AND m.status <> 'finalized'",
                )
                .bind(item.proposal_id)
                .bind(meeting)
                .fetch_all(&mut *tx)
                .await?;
                let reason = format!("Sudah diputuskan dalam {}", note);
                for (other, title) in others {
                    let _ = take_off_agenda!(tx, meeting: other, title: &title, proposal: item.proposal_id,
                        reason: &reason, actor: Some(actor), name: actor_name, at: at);
                }
            }
            // The agreed draft's DU-RKP goes up through the camat; what the pagu could not
            // fund goes back to the RPJM Desa for a later year; what an amendment now funds
            // comes back from there.
            for item in agreed_plan.iter().flat_map(|a| a.plan.items.iter()) {
                let year = agreed_plan.as_ref().map_or(0, |a| a.year);
                let (from, to, said) = match item.placement {
                    Placement::Rkp => (
                        "deferred",
                        "accepted",
                        format!("Masuk Perubahan RKP Desa {year} · {note}"),
                    ),
                    Placement::DuRkp => (
                        "accepted",
                        "du_rkp",
                        format!(
                            "DU-RKP {year}: {} · {note}",
                            item.authority.as_deref().map_or("", authority_name)
                        ),
                    ),
                    Placement::Rpjm => (
                        "accepted",
                        "deferred",
                        format!(
                            "Tidak tertampung pagu indikatif RKP Desa {year}; kembali ke RPJM Desa · {note}"
                        ),
                    ),
                    _ => continue,
                };
                let n = sqlx::query(
                    "UPDATE proposals SET status = $1, version = version + 1, updated_at = $2 \
                     WHERE id = $3 AND status = $4",
                )
                .bind(to)
                .bind(at)
                .bind(item.proposal_id)
                .bind(from)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n == 1 {
                    timeline!(&mut *tx, proposal: item.proposal_id, at: at, actor: Some(actor), name: actor_name,
                        kind: EventKind::Decided, from: Some(from), to: Some(to), note: Some(&said),
                        meeting: Some(meeting))?;
                    // In the backlog of the RPJM Desa for the year after, when one covers it.
                    if to == "deferred"
                        && let Some((start, end)) = super::rpjm::to_backlog!(tx, village: village.id,
                            proposal: item.proposal_id, year: year + 1, name: actor_name, at: at)
                    {
                        let next = (year + 1).to_string();
                        let said = format!("RPJM Desa {start}–{end}, tahun {next}");
                        timeline!(&mut *tx, proposal: item.proposal_id, at: at, actor: Some(actor), name: actor_name,
                            kind: EventKind::Rpjm, from: None, to: Some(next.as_str()), note: Some(&said))?;
                    }
                }
            }
            let before = serde_json::json!({ "status": m.status });
            let after = serde_json::json!({ "status": "finalized", "content_hash": hash, "verification_code": code });
            let entry = audit::entry!(actor: Some(actor), village: Some(village.id), entity: "meeting",
                id: meeting.to_string(), action: "finalize", before: Some(before), after: Some(after));
            (code, entry)
        })
    }

    /// A correction beside a finalized record; itself final.
    pub async fn add_addendum(&self, meeting: &Meeting, body: &str, by: &Actor) -> Result<Uuid> {
        let (actor, actor_name) = (by.id, by.name.as_str());
        let id = new_id();
        let at = now();
        change!(self, |tx| {
            only_finalized!(tx, meeting.id);
            sqlx::query(
                "INSERT INTO meeting_addenda (id, meeting_id, body, author_id, author_name, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(meeting.id)
            .bind(body)
            .bind(actor)
            .bind(actor_name)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let sealed = crate::domain::seal::addendum_bytes(meeting.id, id, body, actor_name, at);
            append_seal!(tx, self, village: meeting.village_id, kind: SealKind::Addendum, subject: id,
                parent: Some(meeting.id), content: &sealed, at: at);
            let after = serde_json::json!({ "body": body });
            let entry = audit::entry!(actor: Some(actor), village: Some(meeting.village_id), entity: "meeting",
                id: meeting.id.to_string(), action: "addendum", before: None, after: Some(after));
            (id, entry)
        })
    }

    pub async fn addenda(&self, meeting: Uuid) -> Result<Vec<Addendum>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, body, author_name, created_at FROM meeting_addenda WHERE meeting_id = $1 \
                 ORDER BY created_at, id LIMIT 500",
            )
            .bind(meeting)
            .fetch_all(pool)
            .await
        })?)
    }

    /// The finalized meeting a verification code belongs to, checked against its seal.
    pub async fn meeting_by_code(&self, code: &str) -> Result<Sealed> {
        let sql = format!(
            "SELECT {MEETING_COLUMNS} FROM meetings WHERE verification_code = $1 AND status = 'finalized'"
        );
        let m: Option<Meeting> = read!(self, |pool| {
            sqlx::query_as(AssertSqlSafe(sql))
                .bind(code)
                .fetch_optional(pool)
                .await
        })?;
        let m = m.ok_or(StoreError::NotFound)?;
        let slug: String = read!(self, |pool| {
            sqlx::query_scalar("SELECT slug FROM villages WHERE id = $1")
                .bind(m.village_id)
                .fetch_one(pool)
                .await
        })?;
        let (text, record) = self.frozen_record(m.id).await?;
        let (hash, code) = meeting::seal(&text);
        let intact =
            Some(&hash) == m.content_hash.as_ref() && Some(&code) == m.verification_code.as_ref();
        Ok(Sealed {
            meeting: m,
            village_slug: slug,
            record,
            intact,
        })
    }

    /// Proposals of the village that may go on an agenda and are not on this one yet,
    /// most supported first.
    pub async fn agenda_candidates(
        &self,
        village: Uuid,
        meeting: Uuid,
        limit: i64,
    ) -> Result<Vec<(String, String)>> {
        let rows: Vec<(String, String)> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT p.number, p.title FROM proposals p WHERE p.village_id = $1 \
                 AND p.status IN ('submitted', 'in_review', 'on_agenda', 'deferred') \
                 AND NOT EXISTS (SELECT 1 FROM meeting_agenda a WHERE a.meeting_id = $2 AND a.proposal_id = p.id) \
                 ORDER BY p.supports DESC, p.created_at DESC LIMIT $3",
            )
            .bind(village)
            .bind(meeting)
            .bind(limit)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }
}

fn facts_json(m: &NewMeeting) -> serde_json::Value {
    serde_json::json!({
        "kind": m.kind.code(), "title": m.title, "scheduled_at": m.scheduled_at, "place": m.place,
        "chair": m.chair, "note_taker": m.note_taker, "invited_count": m.invited_count,
        "quorum_rule": m.quorum_rule.code(), "majority_rule": m.majority_rule.code(),
        "representative": m.representative,
    })
}

fn attendee_json(a: &NewAttendee) -> serde_json::Value {
    serde_json::json!({
        "name": a.name, "gender": a.gender.code(), "group": a.group, "role": a.role, "dusun": a.hamlet,
        "voter": a.voter,
    })
}
