//! Bulk loading of generated data (`musdes generate`): many rows per statement, one
//! transaction per village, the same SQL on both backends.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{BeginWrite, Result, write};

pub struct GroupRow {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub vulnerable: bool,
    pub contact_name: String,
    pub members: i64,
    pub since_year: i64,
}

pub struct ProposalRow {
    pub id: Uuid,
    pub year: i64,
    pub seq: i64,
    pub title: String,
    pub problem: String,
    pub description: String,
    pub bidang: &'static str,
    pub hamlet: String,
    pub location: String,
    pub estimated_cost: i64,
    pub channel: &'static str,
    pub proposer_name: String,
    pub status: &'static str,
    pub level: i64,
    pub supports: i64,
    pub created_at: DateTime<Utc>,
}

pub struct EventRow {
    pub proposal_id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_name: String,
    pub kind: crate::domain::proposal::EventKind,
    pub from_value: Option<String>,
    pub to_value: Option<String>,
    pub note: Option<String>,
}

pub struct FeedbackRow {
    pub id: Uuid,
    pub proposal_id: Uuid,
    pub kind: &'static str,
    pub author_name: String,
    pub group_id: Option<Uuid>,
    pub body: String,
    pub created_at: DateTime<Utc>,
    /// An official's answer (concerns only).
    pub answer: Option<(String, DateTime<Utc>)>,
}

pub struct MeetingRow {
    pub id: Uuid,
    pub kind: &'static str,
    pub title: String,
    pub scheduled_at: DateTime<Utc>,
    pub place: String,
    pub chair: String,
    pub note_taker: String,
    pub invited_count: i64,
    pub status: &'static str,
    /// For a finalized meeting: the frozen record, its hash and its code.
    pub sealed: Option<(String, String, String)>,
    pub invited: Vec<Uuid>,
    pub attendance: Vec<AttendanceRow>,
    /// (proposal, decision)
    pub agenda: Vec<(Uuid, Option<&'static str>)>,
}

pub struct AttendanceRow {
    pub name: String,
    pub gender: &'static str,
    pub group_id: Option<Uuid>,
    pub role: &'static str,
    pub hamlet: String,
}

pub struct RelationRow {
    pub from: Uuid,
    pub to: Uuid,
    pub stance: &'static str,
    pub form: &'static str,
    pub since_year: i64,
}

/// Everything generated for one village.
#[derive(Default)]
pub struct VillageRows {
    pub groups: Vec<GroupRow>,
    pub proposals: Vec<ProposalRow>,
    pub events: Vec<EventRow>,
    pub feedback: Vec<FeedbackRow>,
    pub meetings: Vec<MeetingRow>,
    pub relations: Vec<RelationRow>,
}

/// Rows per statement: well under SQLite's and PostgreSQL's limits on bound values.
const CHUNK: usize = 400;

/// Inserts `$rows` in chunks: `$head` is `INSERT INTO t (…) `, `$push` binds one row.
macro_rules! insert_all {
    ($tx:expr, $head:expr, $rows:expr, |$b:ident, $r:ident| $push:block) => {
        for chunk in $rows.chunks(CHUNK) {
            let mut qb = sqlx::QueryBuilder::new($head);
            qb.push_values(chunk, |mut $b, $r| $push);
            qb.build().execute(&mut *$tx).await?;
        }
    };
}

impl super::Store {
    /// Loads one village's generated rows in one transaction.
    pub async fn load_generated(&self, village: Uuid, rows: &VillageRows) -> Result<()> {
        let at = super::now();
        let mut counters: Vec<(i64, i64)> = Vec::new();
        for p in &rows.proposals {
            match counters.iter_mut().find(|(y, _)| *y == p.year) {
                Some((_, last)) => *last = (*last).max(p.seq),
                None => counters.push((p.year, p.seq)),
            }
        }
        let answers: Vec<(&FeedbackRow, &(String, DateTime<Utc>))> = rows
            .feedback
            .iter()
            .filter_map(|f| f.answer.as_ref().map(|a| (f, a)))
            .collect();
        let attendance: Vec<(Uuid, usize, &AttendanceRow)> = rows
            .meetings
            .iter()
            .flat_map(|m| {
                m.attendance
                    .iter()
                    .enumerate()
                    .map(move |(i, a)| (m.id, i, a))
            })
            .collect();
        let invitations: Vec<(Uuid, Uuid)> = rows
            .meetings
            .iter()
            .flat_map(|m| m.invited.iter().map(move |g| (m.id, *g)))
            .collect();
        let agenda: Vec<(Uuid, usize, Uuid, Option<&'static str>)> = rows
            .meetings
            .iter()
            .flat_map(|m| {
                m.agenda
                    .iter()
                    .enumerate()
                    .map(move |(i, (p, d))| (m.id, i, *p, *d))
            })
            .collect();
        write!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            insert_all!(
                tx,
                "INSERT INTO stakeholder_groups (id, village_id, name, kind, vulnerable, contact_name, \
                members, since_year, relation, roles, version, created_at, updated_at) ",
                rows.groups,
                |b, g| {
                    b.push_bind(g.id)
                        .push_bind(village)
                        .push_bind(&g.name)
                        .push_bind(&g.kind)
                        .push_bind(g.vulnerable)
                        .push_bind(&g.contact_name)
                        .push_bind(g.members)
                        .push_bind(g.since_year)
                        .push_bind("supportive")
                        .push_bind("planning,musdes")
                        .push_bind(1_i64)
                        .push_bind(at)
                        .push_bind(at);
                }
            );
            insert_all!(
                tx,
                "INSERT INTO proposals (id, village_id, year, seq, number, title, problem, description, \
                bidang, location, hamlet, estimated_cost, channel, proposer_name, submitted_from, status, level, \
                supports, version, created_at, updated_at) ",
                rows.proposals,
                |b, p| {
                    b.push_bind(p.id)
                        .push_bind(village)
                        .push_bind(p.year)
                        .push_bind(p.seq)
                        .push_bind(format!("{}-{:03}", p.year, p.seq))
                        .push_bind(&p.title)
                        .push_bind(&p.problem)
                        .push_bind(&p.description)
                        .push_bind(p.bidang)
                        .push_bind(&p.location)
                        .push_bind(&p.hamlet)
                        .push_bind(p.estimated_cost)
                        .push_bind(p.channel)
                        .push_bind(&p.proposer_name)
                        .push_bind("generate")
                        .push_bind(p.status)
                        .push_bind(p.level)
                        .push_bind(p.supports)
                        .push_bind(1_i64)
                        .push_bind(p.created_at)
                        .push_bind(p.created_at);
                }
            );
            insert_all!(
                tx,
                "INSERT INTO proposal_counters (village_id, year, last_seq) ",
                counters,
                |b, c| {
                    b.push_bind(village).push_bind(c.0).push_bind(c.1);
                }
            );
            insert_all!(
                tx,
                "INSERT INTO proposal_events (id, proposal_id, at, actor_name, kind, from_value, \
                to_value, note) ",
                rows.events,
                |b, e| {
                    b.push_bind(super::new_id())
                        .push_bind(e.proposal_id)
                        .push_bind(e.at)
                        .push_bind(&e.actor_name)
                        .push_bind(e.kind.code())
                        .push_bind(&e.from_value)
                        .push_bind(&e.to_value)
                        .push_bind(&e.note);
                }
            );
            insert_all!(
                tx,
                "INSERT INTO feedback (id, proposal_id, kind, author_name, group_id, body, created_at, village_id) ",
                rows.feedback,
                |b, f| {
                    b.push_bind(f.id)
                        .push_bind(f.proposal_id)
                        .push_bind(f.kind)
                        .push_bind(&f.author_name)
                        .push_bind(f.group_id)
                        .push_bind(&f.body)
                        .push_bind(f.created_at)
                        .push_bind(village);
                }
            );
            insert_all!(
                tx,
                "INSERT INTO feedback_answers (id, feedback_id, author_name, body, created_at) ",
                answers,
                |b, a| {
                    b.push_bind(super::new_id())
                        .push_bind(a.0.id)
                        .push_bind(&a.1.0)
                        .push_bind("Sudah kami catat dan akan dibahas dalam musyawarah berikutnya.")
                        .push_bind(a.1.1);
                }
            );
            insert_all!(
                tx,
                "INSERT INTO meetings (id, village_id, kind, title, scheduled_at, place, chair, note_taker, \
                invited_count, quorum_rule, status, record, content_hash, verification_code, finalized_at, version, \
                created_at, updated_at) ",
                rows.meetings,
                |b, m| {
                    let (record, hash, code) = match &m.sealed {
                        Some((r, h, c)) => (Some(r), Some(h), Some(c)),
                        None => (None, None, None),
                    };
                    b.push_bind(m.id)
                        .push_bind(village)
                        .push_bind(m.kind)
                        .push_bind(&m.title)
                        .push_bind(m.scheduled_at)
                        .push_bind(&m.place)
                        .push_bind(&m.chair)
                        .push_bind(&m.note_taker)
                        .push_bind(m.invited_count)
                        .push_bind("half")
                        .push_bind(m.status)
                        .push_bind(record)
                        .push_bind(hash)
                        .push_bind(code)
                        .push_bind(m.sealed.as_ref().map(|_| m.scheduled_at))
                        .push_bind(1_i64)
                        .push_bind(m.scheduled_at)
                        .push_bind(m.scheduled_at);
                }
            );
            insert_all!(
                tx,
                "INSERT INTO meeting_invitations (meeting_id, group_id, created_at) ",
                invitations,
                |b, i| {
                    b.push_bind(i.0).push_bind(i.1).push_bind(at);
                }
            );
            insert_all!(
                tx,
                "INSERT INTO meeting_attendance (id, meeting_id, name, gender, group_id, role, hamlet, \
                created_at) ",
                attendance,
                |b, a| {
                    b.push_bind(super::new_id())
                        .push_bind(a.0)
                        .push_bind(&a.2.name)
                        .push_bind(a.2.gender)
                        .push_bind(a.2.group_id)
                        .push_bind(a.2.role)
                        .push_bind(&a.2.hamlet)
                        .push_bind(at + chrono::Duration::microseconds(a.1 as i64));
                }
            );
            insert_all!(
                tx,
                "INSERT INTO meeting_agenda (meeting_id, proposal_id, position, decision, method, \
                created_at) ",
                agenda,
                |b, a| {
                    b.push_bind(a.0)
                        .push_bind(a.2)
                        .push_bind(a.1 as i64)
                        .push_bind(a.3)
                        .push_bind(a.3.map(|_| "mufakat"))
                        .push_bind(at);
                }
            );
            insert_all!(
                tx,
                "INSERT INTO group_relations (id, village_id, from_group, to_group, stance, form, \
                since_year, created_at) ",
                rows.relations,
                |b, r| {
                    b.push_bind(super::new_id())
                        .push_bind(village)
                        .push_bind(r.from)
                        .push_bind(r.to)
                        .push_bind(r.stance)
                        .push_bind(r.form)
                        .push_bind(r.since_year)
                        .push_bind(at);
                }
            );
            super::revised!(&mut *tx, village)?;
            tx.commit().await?;
            Ok(())
        })
    }
}
