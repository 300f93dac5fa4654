//! Meetings (musyawarah): their kinds and states, the forms that record them, quorum and
//! inclusion, and the sealed record a berita acara is printed from and verified against.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::proposal::Status;
use super::validation::{self, FieldErrors};

coded!(
    /// The kinds of meeting the contract names.
    Kind {
        Musdus = "musdus",
        Kelompok = "kelompok",
        Pramusdes = "pramusdes",
        Musrenbangdes = "musrenbangdes",
        Musdes = "musdes",
        Konsultasi = "konsultasi",
        Lainnya = "lainnya",
    }
);

coded!(
    /// `planned` → `held` → `finalized`; a finalized meeting never changes again.
    MeetingStatus {
        Planned = "planned",
        Held = "held",
        Finalized = "finalized",
    }
);

coded!(
    /// How many of those invited must be present for the meeting to decide.
    QuorumRule {
        Half = "half",
        TwoThirds = "two_thirds",
        NoQuorum = "none",
    }
);

coded!(
    /// How many of the voters present must vote for a proposal for the vote to carry.
    MajorityRule {
        Half = "half",
        TwoThirds = "two_thirds",
    }
);

coded!(
    /// What a scan of the signed paper shows.
    ScanLabel {
        BeritaAcara = "berita_acara",
        DaftarHadir = "daftar_hadir",
    }
);

coded!(
    Gender {
        Male = "L",
        Female = "P",
    }
);

coded!(
    /// What a meeting decides about a proposal on its agenda.
    Decision {
        Accepted = "accepted",
        Rejected = "rejected",
        Deferred = "deferred",
        Forwarded = "forwarded",
    }
);

coded!(
    /// *Musyawarah mufakat* (consensus) or a vote with counts.
    Method {
        Mufakat = "mufakat",
        Voting = "voting",
    }
);

impl Decision {
    /// The status a proposal takes once the meeting that decided it is finalized.
    pub fn status(self) -> Status {
        match self {
            Decision::Accepted => Status::Accepted,
            Decision::Rejected => Status::Rejected,
            Decision::Deferred => Status::Deferred,
            Decision::Forwarded => Status::Forwarded,
        }
    }
}

/// The decisions each kind of meeting may take (its powers). A musyawarah dusun, a group
/// meeting, a pra-musdes or a consultation gathers and ranks ideas and passes them on;
/// only the Musdes (BPD) and the Musrenbangdes (kepala desa) decide. Other meetings
/// record the discussion and decide nothing.
pub fn decisions_for(kind: Kind) -> &'static [Decision] {
    match kind {
        Kind::Musdus | Kind::Kelompok | Kind::Pramusdes | Kind::Konsultasi => {
            &[Decision::Forwarded]
        }
        Kind::Musdes | Kind::Musrenbangdes => {
            &[Decision::Accepted, Decision::Rejected, Decision::Deferred]
        }
        Kind::Lainnya => &[],
    }
}

/// Whether a kind of meeting needs its quorum to open: the meetings that decide do (the
/// tata tertib of the Musdes, followed by the Musrenbangdes); the ones that gather ideas
/// and pass them on do not.
pub fn needs_quorum(kind: Kind) -> bool {
    matches!(kind, Kind::Musdes | Kind::Musrenbangdes)
}

/// The village's tata tertib for its meetings: the quorum a deciding meeting needs to
/// open, the majority a vote needs to carry, and the kepala desa who signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TataTertib {
    pub quorum: QuorumRule,
    pub majority: MajorityRule,
    pub kepala_desa: Option<String>,
}

impl Default for TataTertib {
    /// Permendesa 2/2015's model: two thirds of the invited open the meeting; a vote
    /// carries with more than half of the voters present.
    fn default() -> Self {
        TataTertib {
            quorum: QuorumRule::TwoThirds,
            majority: MajorityRule::Half,
            kepala_desa: None,
        }
    }
}

/// The tata tertib form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct TataTertibForm {
    pub quorum_rule: String,
    pub majority_rule: String,
    pub kepala_desa: String,
    pub version: String,
}

impl TataTertibForm {
    pub fn of(t: &TataTertib) -> TataTertibForm {
        TataTertibForm {
            quorum_rule: t.quorum.code().into(),
            majority_rule: t.majority.code().into(),
            kepala_desa: t.kepala_desa.clone().unwrap_or_default(),
            version: String::new(),
        }
    }

    pub fn validate(&self) -> Result<TataTertib, FieldErrors> {
        let mut e = FieldErrors::new();
        let quorum = QuorumRule::parse(&self.quorum_rule);
        if quorum.is_none() {
            e.add("quorum_rule", "error.choose_from_list");
        }
        let majority = MajorityRule::parse(&self.majority_rule);
        if majority.is_none() {
            e.add("majority_rule", "error.choose_from_list");
        }
        let kepala_desa = validation::optional_text(&mut e, "kepala_desa", &self.kepala_desa, 120);
        match (quorum, majority) {
            (Some(quorum), Some(majority)) if e.is_empty() => Ok(TataTertib {
                quorum,
                majority,
                kepala_desa,
            }),
            _ => Err(e),
        }
    }
}

/// Where a meeting stands on its opening (pembukaan), under the tata tertib.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opening {
    /// A meeting that passes ideas on, or a village without a quorum rule: it opens as it is.
    NoQuorumNeeded,
    /// Enough voters signed the daftar hadir.
    Quorate,
    /// A meeting rescheduled after a postponement proceeds with the voters present.
    WithThosePresent,
    /// Below quorum; the opening has not been postponed yet.
    AwaitingQuorum,
    /// The opening was postponed and the quorum is still not there.
    Postponed,
    /// Moved to another date: this one did not take place.
    Rescheduled,
}

impl Opening {
    pub fn code(self) -> &'static str {
        match self {
            Opening::NoQuorumNeeded => "no_quorum_needed",
            Opening::Quorate => "quorate",
            Opening::WithThosePresent => "with_those_present",
            Opening::AwaitingQuorum => "awaiting_quorum",
            Opening::Postponed => "postponed",
            Opening::Rescheduled => "rescheduled",
        }
    }

    pub fn parse(code: &str) -> Option<Opening> {
        [
            Opening::NoQuorumNeeded,
            Opening::Quorate,
            Opening::WithThosePresent,
            Opening::AwaitingQuorum,
            Opening::Postponed,
            Opening::Rescheduled,
        ]
        .into_iter()
        .find(|o| o.code() == code)
    }

    /// Whether the meeting opened, and so may decide.
    pub fn opened(self) -> bool {
        matches!(
            self,
            Opening::NoQuorumNeeded | Opening::Quorate | Opening::WithThosePresent
        )
    }
}

/// The opening a record states (a finalized one says how it opened), else as its rows show.
pub fn stated_opening(r: &Record, s: &Summary) -> Opening {
    r.opening
        .as_deref()
        .and_then(Opening::parse)
        .unwrap_or_else(|| opening(r, s))
}

/// The opening of the meeting a record describes, from its attendance and steps.
pub fn opening(r: &Record, s: &Summary) -> Opening {
    let kind = Kind::parse(&r.kind).unwrap_or(Kind::Lainnya);
    if r.rescheduled_to.is_some() {
        Opening::Rescheduled
    } else if !needs_quorum(kind) || s.quorum_rule == QuorumRule::NoQuorum {
        Opening::NoQuorumNeeded
    } else if s.quorum_met == Some(true) {
        Opening::Quorate
    } else if r.rescheduled_from.is_some() && s.voters > 0 {
        Opening::WithThosePresent
    } else if r.postponed.is_some() {
        Opening::Postponed
    } else {
        Opening::AwaitingQuorum
    }
}

/// The opening is postponed only in a meeting under way that is waiting for its quorum.
pub fn may_postpone(status: MeetingStatus, opening: Opening) -> Result<(), &'static str> {
    match (status, opening) {
        (MeetingStatus::Finalized, _) => Err("error.meeting_finalized"),
        (MeetingStatus::Planned, _) => Err("error.postpone_not_held"),
        (_, Opening::AwaitingQuorum) => Ok(()),
        (_, Opening::Postponed) => Err("error.already_postponed"),
        (_, Opening::Rescheduled) => Err("error.meeting_rescheduled"),
        (_, _) => Err("error.meeting_opened"),
    }
}

/// A meeting is rescheduled after its opening was postponed without the quorum coming.
pub fn may_reschedule(status: MeetingStatus, opening: Opening) -> Result<(), &'static str> {
    match (status, opening) {
        (MeetingStatus::Finalized, _) => Err("error.meeting_finalized"),
        (_, Opening::Postponed) => Ok(()),
        (_, Opening::Rescheduled) => Err("error.meeting_rescheduled"),
        (_, Opening::AwaitingQuorum) => Err("error.postpone_first"),
        (_, _) => Err("error.meeting_opened"),
    }
}

/// Why the opening was postponed: a few words at least.
pub fn postpone_note(raw: &str) -> Result<String, FieldErrors> {
    let mut e = FieldErrors::new();
    let note = validation::text(
        &mut e,
        "note",
        raw,
        5,
        1000,
        "error.postpone_note",
        "error.too_long",
    );
    e.into_result(note)
}

/// The new date and place of a rescheduled meeting as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct RescheduleForm {
    pub scheduled_at: String,
    pub place: String,
}

impl RescheduleForm {
    /// A new date still to come, in the village's time zone, and a place.
    pub fn validate(
        &self,
        tz: chrono_tz::Tz,
        now: DateTime<Utc>,
    ) -> Result<(DateTime<Utc>, String), FieldErrors> {
        let mut e = FieldErrors::new();
        let at = parse_local_datetime(&self.scheduled_at, tz);
        match at {
            None => e.add("scheduled_at", "error.datetime"),
            Some(at) if at <= now => e.add("scheduled_at", "error.reschedule_in_past"),
            Some(_) => {}
        }
        let place = validation::name(&mut e, "place", &self.place);
        match at {
            Some(at) if e.is_empty() => Ok((at, place)),
            _ => Err(e),
        }
    }
}

/// A meeting is marked held only once its scheduled time has come: a record of a meeting
/// that has not happened yet is not a record. Returns the message key of the refusal.
pub fn may_mark_held(
    status: MeetingStatus,
    scheduled_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), &'static str> {
    match status {
        MeetingStatus::Planned if now < scheduled_at => Err("error.meeting_not_yet"),
        MeetingStatus::Planned => Ok(()),
        _ => Err("error.meeting_status"),
    }
}

/// Only a held meeting is finalized: the seal comes after the meeting, never instead of it.
pub fn may_finalize(status: MeetingStatus) -> Result<(), &'static str> {
    match status {
        MeetingStatus::Held => Ok(()),
        MeetingStatus::Planned => Err("error.meeting_not_held"),
        MeetingStatus::Finalized => Err("error.meeting_finalized"),
    }
}

/// A proposal may be put on a meeting's agenda while it is still being weighed.
pub fn may_put_on_agenda(status: Status) -> bool {
    matches!(
        status,
        Status::Submitted
            | Status::InReview
            | Status::OnAgenda
            | Status::Deferred
            | Status::Forwarded
    )
}

/// Statuses a finalized decision may replace (a later meeting may decide again); a
/// proposal withdrawn, merged or already being built keeps its status.
pub const DECIDABLE_STATUSES: [&str; 7] = [
    "submitted",
    "in_review",
    "on_agenda",
    "forwarded",
    "deferred",
    "accepted",
    "rejected",
];

// ---------- forms ----------

/// The meeting's facts as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct MeetingForm {
    pub kind: String,
    pub title: String,
    /// `YYYY-MM-DDTHH:MM`, in the village's time zone (what `<input type=datetime-local>` sends).
    pub scheduled_at: String,
    pub place: String,
    pub chair: String,
    pub note_taker: String,
    pub invited_count: String,
    pub quorum_rule: String,
    /// The community representative chosen in the meeting to sign the berita acara.
    pub representative: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewMeeting {
    pub kind: Kind,
    pub title: String,
    pub scheduled_at: DateTime<Utc>,
    pub place: String,
    pub chair: Option<String>,
    pub note_taker: Option<String>,
    pub invited_count: Option<i64>,
    /// The village's tata tertib when the meeting was called or last changed.
    pub quorum_rule: QuorumRule,
    pub majority_rule: MajorityRule,
    pub representative: Option<String>,
}

/// More people than any village hall holds: a typo, not an invitation list.
const MAX_INVITED: i64 = 100_000;

/// Reads `YYYY-MM-DDTHH:MM` (seconds allowed) as a time in `tz`.
pub fn parse_local_datetime(raw: &str, tz: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    let naive = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M"))
        .ok()?;
    use chrono::Datelike;
    if !(2000..=2999).contains(&naive.year()) {
        return None;
    }
    // Indonesia has no daylight saving time: every local time exists exactly once.
    tz.from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

impl MeetingForm {
    /// The quorum and majority come from the village's tata tertib, never from the form:
    /// a meeting cannot choose to need fewer people.
    pub fn validate(
        &self,
        tz: chrono_tz::Tz,
        tata: &TataTertib,
    ) -> Result<NewMeeting, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = Kind::parse(&self.kind);
        if kind.is_none() {
            e.add("kind", "error.choose_from_list");
        }
        let title = validation::text(
            &mut e,
            "title",
            &self.title,
            4,
            200,
            "error.meeting_title",
            "error.too_long",
        );
        let scheduled_at = parse_local_datetime(&self.scheduled_at, tz);
        if scheduled_at.is_none() {
            e.add("scheduled_at", "error.datetime");
        }
        let place = validation::name(&mut e, "place", &self.place);
        let chair = validation::optional_text(&mut e, "chair", &self.chair, 120);
        let note_taker = validation::optional_text(&mut e, "note_taker", &self.note_taker, 120);
        let invited_count =
            validation::optional_count(&mut e, "invited_count", &self.invited_count, MAX_INVITED);
        let representative =
            validation::optional_text(&mut e, "representative", &self.representative, 120);
        match (kind, scheduled_at) {
            (Some(kind), Some(scheduled_at)) if e.is_empty() => Ok(NewMeeting {
                kind,
                title,
                scheduled_at,
                place,
                chair,
                note_taker,
                invited_count,
                quorum_rule: tata.quorum,
                majority_rule: tata.majority,
                representative,
            }),
            _ => Err(e),
        }
    }
}

/// One line of the attendance list (daftar hadir) as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct AttendanceForm {
    pub name: String,
    pub gender: String,
    pub group: String,
    pub role: String,
    pub dusun: String,
    /// `1`: an invited participant with a vote (the default); `0`: an observer.
    pub voter: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewAttendee {
    pub name: String,
    pub gender: Gender,
    pub group: Option<Uuid>,
    pub role: Option<String>,
    pub hamlet: Option<String>,
    pub voter: bool,
}

impl AttendanceForm {
    /// `groups` are the village's groups, `hamlets` its dusun: a line may name only those.
    pub fn validate(
        &self,
        groups: &[Uuid],
        hamlets: &[String],
    ) -> Result<NewAttendee, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = validation::text(
            &mut e,
            "name",
            &self.name,
            2,
            120,
            "error.attendee_name",
            "error.too_long",
        );
        let gender = Gender::parse(&self.gender);
        if gender.is_none() {
            e.add("gender", "error.gender");
        }
        let group = match self.group.trim() {
            "" => None,
            raw => {
                let id = raw.parse::<Uuid>().ok().filter(|id| groups.contains(id));
                if id.is_none() {
                    e.add("group", "error.choose_from_list");
                }
                id
            }
        };
        let role = validation::optional_text(&mut e, "role", &self.role, 80);
        let hamlet = match self.dusun.trim() {
            "" => None,
            raw if hamlets.iter().any(|h| h == raw) => Some(raw.to_string()),
            _ => {
                e.add("dusun", "error.choose_from_list");
                None
            }
        };
        let voter = match self.voter.trim() {
            "" | "1" => true,
            "0" => false,
            _ => {
                e.add("voter", "error.choose_from_list");
                true
            }
        };
        match gender {
            Some(gender) if e.is_empty() => Ok(NewAttendee {
                name,
                gender,
                group,
                voter,
                role,
                hamlet,
            }),
            _ => Err(e),
        }
    }
}

/// The decision on one agenda item as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    pub proposal: String,
    pub decision: String,
    pub method: String,
    pub votes_for: String,
    pub votes_against: String,
    pub votes_abstain: String,
    /// Which of the proposal's alternatives the meeting chose (its id), and why.
    pub alternative: String,
    pub alternative_reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Votes {
    pub votes_for: i64,
    pub against: i64,
    pub abstain: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewDecision {
    pub number: String,
    pub decision: Decision,
    pub method: Method,
    /// Counts only for a vote.
    pub votes: Option<Votes>,
    /// The alternative chosen, with the reason.
    pub choice: Option<Choice>,
}

/// The alternative a meeting chose for a proposal, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub alternative: Uuid,
    pub reason: String,
}

impl DecisionForm {
    /// The alternative the meeting chose, checked against the proposal's own
    /// (`alternatives`). Accepting a proposal that has alternatives says which one and why;
    /// a forwarding may; a proposal rejected or deferred has none chosen.
    pub fn choice(
        &self,
        decision: Decision,
        alternatives: &[Uuid],
        e: &mut FieldErrors,
    ) -> Option<Choice> {
        let raw = self.alternative.trim();
        let reason = self.alternative_reason.trim();
        if raw.is_empty() {
            if decision == Decision::Accepted && !alternatives.is_empty() {
                e.add("alternative", "error.alternative_required");
            } else if !reason.is_empty() {
                e.add("alternative", "error.choose_from_list");
            }
            return None;
        }
        let Some(alternative) = raw
            .parse::<Uuid>()
            .ok()
            .filter(|id| alternatives.contains(id))
        else {
            e.add("alternative", "error.choose_from_list");
            return None;
        };
        if !matches!(decision, Decision::Accepted | Decision::Forwarded) {
            e.add("alternative", "error.alternative_not_for_decision");
            return None;
        }
        let reason = validation::text(
            e,
            "alternative_reason",
            reason,
            10,
            1000,
            "error.alternative_reason",
            "error.too_long",
        );
        e.is_empty().then_some(Choice {
            alternative,
            reason,
        })
    }
}

/// Whether a vote carries under the tata tertib: more than half (or at least two thirds)
/// of the voters present voted for it (abstentions and absent voters do not help it along).
pub fn vote_carries(rule: MajorityRule, votes_for: i64, voters_present: i64) -> bool {
    voters_present > 0
        && match rule {
            MajorityRule::Half => votes_for * 2 > voters_present,
            MajorityRule::TwoThirds => votes_for * 3 >= voters_present * 2,
        }
}

impl DecisionForm {
    /// `agenda` holds the numbers of the proposals on the agenda; `voters` the number of
    /// attendees with a vote, which no vote may exceed. A vote is on accepting the
    /// proposal: it is recorded as accepted only when it carries, and as rejected only
    /// when it does not.
    pub fn validate(
        &self,
        kind: Kind,
        agenda: &[String],
        voters: i64,
        majority: MajorityRule,
    ) -> Result<NewDecision, FieldErrors> {
        let mut e = FieldErrors::new();
        let number = self.proposal.trim().to_string();
        if !agenda.contains(&number) {
            e.add("proposal", "error.not_on_agenda");
        }
        let decision = Decision::parse(&self.decision);
        match decision {
            None => e.add("decision", "error.choose_from_list"),
            Some(d) if !decisions_for(kind).contains(&d) => {
                e.add("decision", "error.decision_not_for_kind")
            }
            Some(_) => {}
        }
        let method = Method::parse(&self.method);
        if method.is_none() {
            e.add("method", "error.choose_from_list");
        }
        let votes = if method == Some(Method::Voting) {
            let mut count = |field: &'static str, raw: &str| match raw.trim() {
                "" => 0,
                raw => match validation::parse_grouped_integer(raw) {
                    Some(n) => n,
                    None => {
                        e.add(field, "error.vote_count");
                        0
                    }
                },
            };
            let votes = Votes {
                votes_for: count("votes_for", &self.votes_for),
                against: count("votes_against", &self.votes_against),
                abstain: count("votes_abstain", &self.votes_abstain),
            };
            let total = votes.votes_for + votes.against + votes.abstain;
            if total == 0 {
                e.add("votes_for", "error.votes_missing");
            } else if total > voters {
                e.add("votes_for", "error.votes_over_present");
            } else if matches!(decision, Some(Decision::Accepted | Decision::Forwarded))
                && !vote_carries(majority, votes.votes_for, voters)
            {
                e.add("votes_for", "error.vote_does_not_carry");
            } else if decision == Some(Decision::Rejected)
                && vote_carries(majority, votes.votes_for, voters)
            {
                e.add("votes_for", "error.vote_carried");
            }
            Some(votes)
        } else {
            None
        };
        match (decision, method) {
            (Some(decision), Some(method)) if e.is_empty() => Ok(NewDecision {
                number,
                decision,
                method,
                votes,
                choice: None,
            }),
            _ => Err(e),
        }
    }
}

// ---------- the record ----------

/// Everything a berita acara states. Built from the live rows while the meeting is open;
/// at finalization it is serialized once, hashed, and stored as the frozen record. The
/// stored text is what is hashed, so fields added later (with defaults) never change the
/// seal of a record frozen before them.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Record {
    pub meeting_id: Uuid,
    pub village: RecordVillage,
    pub kind: String,
    pub title: String,
    pub scheduled_at: DateTime<Utc>,
    pub place: String,
    pub chair: Option<String>,
    pub note_taker: Option<String>,
    pub invited_count: Option<i64>,
    pub quorum_rule: String,
    #[serde(default)]
    pub women_minimum_percent: i64,
    #[serde(default)]
    pub invited_groups: Vec<RecordGroup>,
    #[serde(default)]
    pub attendance: Vec<RecordAttendee>,
    #[serde(default)]
    pub agenda: Vec<RecordItem>,
    /// Items taken off the agenda before finalization, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<RecordRemoval>,
    pub quorum_note: Option<String>,
    pub finalized_at: Option<DateTime<Utc>>,
    pub finalized_by: Option<String>,
    /// The majority a vote needed (records frozen before it was a setting used more than half).
    #[serde(default = "half")]
    pub majority_rule: String,
    /// The opening postponed for want of quorum: when, why, by whom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postponed: Option<RecordPostponement>,
    /// The meeting this one was rescheduled from, when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rescheduled_from: Option<RecordLink>,
    /// The meeting this one was moved to: it did not take place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rescheduled_to: Option<RecordLink>,
    /// How the meeting opened ([`Opening::code`]), stated at finalization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opening: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kepala_desa: Option<String>,
    /// The community representative chosen in the meeting to sign its berita acara.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representative: Option<String>,
    /// The draft RKP Desa a Musrenbangdes agreed: its items and totals, sealed here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreed_plan: Option<serde_json::Value>,
}

fn half() -> String {
    MajorityRule::Half.code().into()
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RecordPostponement {
    pub at: DateTime<Utc>,
    pub note: String,
    pub by: String,
}

/// Another meeting of the same village: a rescheduling's other end.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RecordLink {
    pub meeting_id: Uuid,
    pub scheduled_at: DateTime<Utc>,
    pub place: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RecordVillage {
    pub name: String,
    pub code: Option<String>,
    pub kecamatan: Option<String>,
    pub kabupaten: Option<String>,
    pub provinsi: Option<String>,
    pub timezone: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RecordGroup {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub vulnerable: bool,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RecordAttendee {
    pub name: String,
    pub gender: String,
    pub group: Option<RecordGroup>,
    pub role: Option<String>,
    pub dusun: Option<String>,
    /// An invited participant with a vote (records frozen before observers were recorded
    /// counted everyone as a voter).
    #[serde(default = "yes")]
    pub voter: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RecordItem {
    pub number: String,
    pub title: String,
    pub bidang: String,
    pub minutes: Option<String>,
    pub decision: Option<RecordDecision>,
}

/// An agenda item taken off before finalization.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RecordRemoval {
    pub number: String,
    pub title: String,
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// Why a removal: at least a few words, at most a paragraph.
pub fn removal_reason(raw: &str) -> Result<String, FieldErrors> {
    let mut e = FieldErrors::new();
    let reason = validation::text(
        &mut e,
        "reason",
        raw,
        5,
        500,
        "error.removal_reason",
        "error.too_long",
    );
    if e.is_empty() { Ok(reason) } else { Err(e) }
}

/// Decisions that settle a proposal, so that it leaves every other open agenda (a
/// forwarding sends it on to the meeting that decides, and leaves it there).
pub fn settles(decision: Decision) -> bool {
    !matches!(decision, Decision::Forwarded)
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RecordDecision {
    pub decision: String,
    pub method: String,
    pub votes_for: Option<i64>,
    pub votes_against: Option<i64>,
    pub votes_abstain: Option<i64>,
    /// The alternative chosen, and why (absent from records frozen before alternatives
    /// existed, and from decisions that chose none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chosen: Option<RecordChoice>,
}

/// An alternative as the berita acara states it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RecordChoice {
    pub title: String,
    /// The group it was worked out with.
    pub group: String,
    pub cost: i64,
    pub reason: String,
}

/// Quorum and inclusion, computed from the record: what the meeting page shows before
/// finalizing and the berita acara states after.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub invited: i64,
    pub present: i64,
    /// Those present with a vote (observers excluded): what the quorum and votes count.
    pub voters: i64,
    pub absent: i64,
    pub men: i64,
    pub women: i64,
    pub quorum_rule: QuorumRule,
    /// How many must be present; `None` without a rule or without invitations.
    pub quorum_needed: Option<i64>,
    /// `None` when there is no rule to meet.
    pub quorum_met: Option<bool>,
    /// Whole per cent of women among those present (`None` when nobody is present).
    pub women_percent: Option<i64>,
    pub women_minimum_percent: i64,
    pub women_met: bool,
    /// Kinds of group (unsur masyarakat) with at least one person present, in catalogue order.
    pub kinds_present: Vec<String>,
    /// Invited groups nobody came for.
    pub groups_absent: Vec<RecordGroup>,
    /// Of those, the vulnerable ones.
    pub vulnerable_absent: Vec<RecordGroup>,
}

/// How many must be present of `invited` under `rule`.
pub fn quorum_needed(rule: QuorumRule, invited: i64) -> Option<i64> {
    if invited <= 0 {
        return None;
    }
    match rule {
        QuorumRule::Half => Some(invited / 2 + 1),
        QuorumRule::TwoThirds => Some((2 * invited + 2) / 3),
        QuorumRule::NoQuorum => None,
    }
}

pub fn summarize(r: &Record) -> Summary {
    let invited = r
        .invited_count
        .unwrap_or(r.invited_groups.len() as i64)
        .max(0);
    let present = r.attendance.len() as i64;
    let voters = r.attendance.iter().filter(|a| a.voter).count() as i64;
    let women = r
        .attendance
        .iter()
        .filter(|a| a.gender == Gender::Female.code())
        .count() as i64;
    let rule = QuorumRule::parse(&r.quorum_rule).unwrap_or(QuorumRule::Half);
    let needed = quorum_needed(rule, invited);
    let quorum_met = match rule {
        QuorumRule::NoQuorum => None,
        _ => Some(needed.is_some_and(|n| voters >= n)),
    };
    let women_percent = (present > 0).then(|| (women * 100 + present / 2) / present);
    let present_groups: Vec<Uuid> = r
        .attendance
        .iter()
        .filter_map(|a| a.group.as_ref().map(|g| g.id))
        .collect();
    let kinds_present = super::group::GROUP_KINDS
        .iter()
        .filter(|k| {
            r.attendance
                .iter()
                .any(|a| a.group.as_ref().is_some_and(|g| g.kind == **k))
        })
        .map(|k| k.to_string())
        .collect();
    let groups_absent: Vec<RecordGroup> = r
        .invited_groups
        .iter()
        .filter(|g| !present_groups.contains(&g.id))
        .cloned()
        .collect();
    let vulnerable_absent = groups_absent
        .iter()
        .filter(|g| g.vulnerable)
        .cloned()
        .collect();
    Summary {
        invited,
        present,
        voters,
        absent: (invited - voters).max(0),
        men: present - women,
        women,
        quorum_rule: rule,
        quorum_needed: needed,
        quorum_met,
        women_percent,
        women_minimum_percent: r.women_minimum_percent,
        // Nobody present includes no women: the minimum is not met.
        women_met: present > 0 && women * 100 >= r.women_minimum_percent * present,
        kinds_present,
        groups_absent,
        vulnerable_absent,
    }
}

/// What stops finalizing, keyed by field. A meeting that opened needs someone on its
/// daftar hadir; one that did not open is finalized only as "did not take place", after
/// its opening was postponed, and with no decision on its agenda.
pub fn finalize_problems(r: &Record, opening: Opening, note: &str) -> FieldErrors {
    let mut e = FieldErrors::new();
    match opening {
        o if o.opened() => {
            if r.attendance.is_empty() {
                e.add("attendance", "error.no_attendance");
            }
        }
        Opening::AwaitingQuorum => e.add("status", "error.postpone_first"),
        _ => {
            if r.agenda.iter().any(|i| i.decision.is_some()) {
                e.add("status", "error.decisions_without_quorum");
            }
        }
    }
    if note.trim().chars().count() > 2000 {
        e.add("quorum_note", "error.too_long");
    }
    e
}

/// Whether the meeting a record describes opened: as its finalization stated, else as its
/// attendance and steps show.
pub fn opened(r: &Record) -> bool {
    stated_opening(r, &summarize(r)).opened()
}

/// A finalized record that says its meeting did not take place (records frozen before
/// openings were stated say nothing either way).
pub fn did_not_take_place(r: &Record) -> bool {
    r.opening.is_some() && !opened(r)
}

/// A decision in the plain words of a berita acara: what was decided, and how.
pub fn decision_words(d: &RecordDecision) -> String {
    let what = match Decision::parse(&d.decision) {
        Some(Decision::Accepted) => "Diterima",
        Some(Decision::Rejected) => "Ditolak",
        Some(Decision::Deferred) => "Ditunda",
        Some(Decision::Forwarded) => "Diteruskan ke Musdes/Musrenbangdes",
        None => "—",
    };
    let how = match Method::parse(&d.method) {
        Some(Method::Voting) => format!(
            "{what}; pemungutan suara: {} setuju, {} tidak setuju, {} abstain",
            d.votes_for.unwrap_or(0),
            d.votes_against.unwrap_or(0),
            d.votes_abstain.unwrap_or(0)
        ),
        _ => format!("{what}; disepakati secara mufakat"),
    };
    match &d.chosen {
        Some(c) => format!(
            "{how}. Alternatif yang dipilih: {} (disusun bersama {}, {}), karena {}",
            c.title,
            c.group,
            super::money::Rupiah::from_i64(c.cost).unwrap_or_default(),
            c.reason
        ),
        None => how,
    }
}

/// Letters and digits that cannot be mistaken for one another when read aloud or typed
/// from paper: no 0/O, 1/I/L, U/V.
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTWXYZ";
pub const CODE_LENGTH: usize = 10;

/// The seal of a frozen record: the SHA-256 of its exact bytes (hex) and the short
/// verification code derived from it.
pub fn seal(frozen: &str) -> (String, String) {
    let digest = Sha256::digest(frozen.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let mut n = u128::from_be_bytes(digest[..16].try_into().expect("16 bytes"));
    let base = CODE_ALPHABET.len() as u128;
    let code = (0..CODE_LENGTH)
        .map(|_| {
            let c = CODE_ALPHABET[(n % base) as usize] as char;
            n /= base;
            c
        })
        .collect();
    (hex, code)
}

/// A code as typed (`abcde-fghjk`, with spaces or without) in its stored form, or `None`
/// when it cannot be one.
pub fn normalize_code(raw: &str) -> Option<String> {
    let code: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LENGTH && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// `ABCDEFGHJK` → `ABCDE-FGHJK`, easier to read aloud.
pub fn display_code(code: &str) -> String {
    if code.len() == CODE_LENGTH {
        format!("{}-{}", &code[..5], &code[5..])
    } else {
        code.to_string()
    }
}

/// The largest scan kept: a phone photo or a few scanned pages.
pub const MAX_SCAN_BYTES: usize = 6 * 1024 * 1024;

/// Whether the bytes are a PDF file (its header); anything else must be a photo.
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-")
}

/// What stops a PDF scan being kept: none sent, too big, or not a PDF after all.
pub fn check_pdf(bytes: &[u8]) -> Result<(), &'static str> {
    if bytes.is_empty() {
        Err("error.scan_missing")
    } else if bytes.len() > MAX_SCAN_BYTES {
        Err("error.photo_too_big")
    } else if !is_pdf(bytes) || !bytes.windows(5).rev().take(1024).any(|w| w == b"%%EOF") {
        Err("error.scan_type")
    } else {
        Ok(())
    }
}

/// An addendum: the only way to correct a finalized record.
pub fn check_addendum(raw: &str) -> Result<String, FieldErrors> {
    let mut e = FieldErrors::new();
    let body = validation::text(
        &mut e,
        "body",
        raw,
        10,
        4000,
        "error.addendum_short",
        "error.too_long",
    );
    e.into_result(body)
}

/// Minutes of one agenda item (uraian jalannya rapat): up to 8000 characters.
pub fn check_minutes(raw: &str) -> Result<Option<String>, FieldErrors> {
    let mut e = FieldErrors::new();
    let minutes = validation::optional_text(&mut e, "minutes", raw, 8000);
    e.into_result(minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vote_carries_only_with_more_than_half_of_the_voters_present() {
        assert!(vote_carries(MajorityRule::Half, 6, 11));
        assert!(
            !vote_carries(MajorityRule::Half, 5, 11),
            "five of eleven is not more than half"
        );
        assert!(
            !vote_carries(MajorityRule::Half, 5, 10),
            "half is not more than half"
        );
        assert!(vote_carries(MajorityRule::Half, 1, 1));
        assert!(!vote_carries(MajorityRule::Half, 0, 0));
        let agenda = vec!["2026-001".to_string()];
        let form = |decision: &str, f: &str, a: &str| DecisionForm {
            proposal: "2026-001".into(),
            decision: decision.into(),
            method: "voting".into(),
            votes_for: f.into(),
            votes_against: a.into(),
            votes_abstain: "0".into(),
            ..DecisionForm::default()
        };
        // 2 for and 10 against does not accept anything.
        let e = form("accepted", "2", "10")
            .validate(Kind::Musdes, &agenda, 12, MajorityRule::Half)
            .unwrap_err();
        assert_eq!(e.get("votes_for"), Some("error.vote_does_not_carry"));
        assert!(
            form("rejected", "2", "10")
                .validate(Kind::Musdes, &agenda, 12, MajorityRule::Half)
                .is_ok()
        );
        assert!(
            form("deferred", "2", "10")
                .validate(Kind::Musdes, &agenda, 12, MajorityRule::Half)
                .is_ok()
        );
        assert!(
            form("accepted", "9", "3")
                .validate(Kind::Musdes, &agenda, 12, MajorityRule::Half)
                .is_ok()
        );
        let e = form("rejected", "9", "3")
            .validate(Kind::Musdes, &agenda, 12, MajorityRule::Half)
            .unwrap_err();
        assert_eq!(e.get("votes_for"), Some("error.vote_carried"));
        // Votes are counted against voters, not everyone present.
        let e = form("accepted", "9", "3")
            .validate(Kind::Musdes, &agenda, 11, MajorityRule::Half)
            .unwrap_err();
        assert_eq!(e.get("votes_for"), Some("error.votes_over_present"));
    }

    #[test]
    fn observers_do_not_count_for_the_quorum() {
        let mut r = record();
        r.attendance = (0..6)
            .map(|i| attendee(&format!("Warga {i}"), "L", None))
            .collect();
        r.invited_count = Some(10);
        r.quorum_rule = "half".into();
        assert_eq!(summarize(&r).quorum_met, Some(true));
        for a in r.attendance.iter_mut().take(2) {
            a.voter = false;
        }
        let s = summarize(&r);
        assert_eq!((s.present, s.voters, s.quorum_met), (6, 4, Some(false)));
    }

    #[test]
    fn a_meeting_is_held_only_once_its_time_has_come_and_finalized_only_when_held() {
        let at = Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap();
        let before = at - chrono::Duration::minutes(1);
        assert_eq!(
            may_mark_held(MeetingStatus::Planned, at, before),
            Err("error.meeting_not_yet")
        );
        assert_eq!(may_mark_held(MeetingStatus::Planned, at, at), Ok(()));
        assert!(may_mark_held(MeetingStatus::Held, at, at).is_err());
        assert!(may_mark_held(MeetingStatus::Finalized, at, at).is_err());
        assert_eq!(
            may_finalize(MeetingStatus::Planned),
            Err("error.meeting_not_held")
        );
        assert_eq!(may_finalize(MeetingStatus::Held), Ok(()));
        assert!(may_finalize(MeetingStatus::Finalized).is_err());
    }

    fn group(name: &str, kind: &str, vulnerable: bool) -> RecordGroup {
        RecordGroup {
            id: Uuid::new_v4(),
            name: name.into(),
            kind: kind.into(),
            vulnerable,
        }
    }

    fn attendee(name: &str, gender: &str, group: Option<&RecordGroup>) -> RecordAttendee {
        RecordAttendee {
            name: name.into(),
            gender: gender.into(),
            group: group.cloned(),
            role: None,
            dusun: None,
            voter: true,
        }
    }

    fn record() -> Record {
        Record {
            meeting_id: Uuid::nil(),
            village: RecordVillage {
                name: "Majasari".into(),
                code: Some("33.03.13.2005".into()),
                kecamatan: None,
                kabupaten: None,
                provinsi: None,
                timezone: "Asia/Jakarta".into(),
            },
            kind: "musdes".into(),
            title: "Musyawarah Desa RKP 2027".into(),
            scheduled_at: Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap(),
            place: "Balai desa".into(),
            chair: Some("Ketua BPD".into()),
            note_taker: None,
            invited_count: None,
            quorum_rule: "half".into(),
            women_minimum_percent: 30,
            invited_groups: Vec::new(),
            attendance: Vec::new(),
            agenda: Vec::new(),
            removed: Vec::new(),
            quorum_note: None,
            finalized_at: None,
            finalized_by: None,
            majority_rule: "half".into(),
            postponed: None,
            rescheduled_from: None,
            rescheduled_to: None,
            opening: None,
            kepala_desa: None,
            representative: None,
            agreed_plan: None,
        }
    }

    #[test]
    fn quorum_is_more_than_half_or_two_thirds_of_those_invited() {
        assert_eq!(quorum_needed(QuorumRule::Half, 10), Some(6));
        assert_eq!(quorum_needed(QuorumRule::Half, 9), Some(5));
        assert_eq!(quorum_needed(QuorumRule::Half, 1), Some(1));
        assert_eq!(quorum_needed(QuorumRule::TwoThirds, 9), Some(6));
        assert_eq!(quorum_needed(QuorumRule::TwoThirds, 10), Some(7));
        assert_eq!(quorum_needed(QuorumRule::Half, 0), None);
        assert_eq!(quorum_needed(QuorumRule::NoQuorum, 40), None);
    }

    #[test]
    fn quorum_counts_people_present_against_those_invited() {
        let mut r = record();
        r.invited_count = Some(10);
        r.attendance = (0..5)
            .map(|i| attendee(&format!("W{i}"), "L", None))
            .collect();
        let s = summarize(&r);
        assert_eq!((s.invited, s.present, s.absent), (10, 5, 5));
        assert_eq!(s.quorum_met, Some(false));
        r.attendance.push(attendee("W5", "P", None));
        assert_eq!(summarize(&r).quorum_met, Some(true));
        // Nobody invited: a quorum cannot be met.
        r.invited_count = None;
        assert_eq!(summarize(&r).quorum_met, Some(false));
        r.quorum_rule = "none".into();
        assert_eq!(summarize(&r).quorum_met, None);
    }

    #[test]
    fn without_a_number_invited_each_invited_group_counts_once() {
        let mut r = record();
        let tani = group("Tani", "tani", false);
        let pkk = group("PKK", "perempuan", true);
        r.invited_groups = vec![tani.clone(), pkk.clone()];
        r.attendance = vec![
            attendee("A", "L", Some(&tani)),
            attendee("B", "L", Some(&tani)),
        ];
        let s = summarize(&r);
        assert_eq!(s.invited, 2);
        assert_eq!(s.quorum_met, Some(true));
        assert_eq!(s.groups_absent, vec![pkk.clone()]);
        assert_eq!(s.vulnerable_absent, vec![pkk]);
        assert_eq!(s.kinds_present, vec!["tani".to_string()]);
    }

    #[test]
    fn women_share_is_measured_against_the_village_minimum() {
        let mut r = record();
        assert!(!summarize(&r).women_met, "nobody present meets no minimum");
        r.attendance = vec![
            attendee("A", "L", None),
            attendee("B", "L", None),
            attendee("C", "P", None),
        ];
        let s = summarize(&r);
        assert_eq!((s.men, s.women, s.women_percent), (2, 1, Some(33)));
        assert!(s.women_met);
        r.women_minimum_percent = 34;
        assert!(!summarize(&r).women_met);
        r.attendance.push(attendee("D", "L", None));
        let s = summarize(&r);
        assert_eq!(s.women_percent, Some(25));
        assert!(!s.women_met);
    }

    #[test]
    fn inclusion_names_the_kinds_represented_and_the_vulnerable_absent() {
        let mut r = record();
        let bpd = group("BPD", "bpd", false);
        let difabel = group("Forum Difabel", "disabilitas", true);
        let nelayan = group("Nelayan", "nelayan", false);
        r.invited_groups = vec![bpd.clone(), difabel.clone(), nelayan.clone()];
        r.attendance = vec![
            attendee("A", "P", Some(&nelayan)),
            attendee("B", "L", Some(&bpd)),
        ];
        let s = summarize(&r);
        assert_eq!(s.kinds_present, vec!["nelayan", "bpd"]);
        assert_eq!(s.groups_absent, vec![difabel.clone()]);
        assert_eq!(s.vulnerable_absent, vec![difabel]);
    }

    fn link() -> RecordLink {
        RecordLink {
            meeting_id: Uuid::nil(),
            scheduled_at: Utc.with_ymd_and_hms(2026, 12, 3, 2, 0, 0).unwrap(),
            place: "Balai desa".into(),
        }
    }

    fn postponement() -> RecordPostponement {
        RecordPostponement {
            at: Utc.with_ymd_and_hms(2026, 11, 23, 2, 30, 0).unwrap(),
            note: "Baru 3 dari 24 hadir".into(),
            by: "Ketua BPD".into(),
        }
    }

    #[test]
    fn a_deciding_meeting_opens_only_with_two_thirds_of_the_invited_voters() {
        let mut r = record();
        r.quorum_rule = "two_thirds".into();
        r.invited_count = Some(24);
        r.attendance = (0..15)
            .map(|i| attendee(&format!("P{i}"), "L", None))
            .collect();
        assert_eq!(opening(&r, &summarize(&r)), Opening::AwaitingQuorum);
        // An observer does not bring the quorum.
        r.attendance.push(RecordAttendee {
            voter: false,
            ..attendee("Pendamping", "P", None)
        });
        assert_eq!(opening(&r, &summarize(&r)), Opening::AwaitingQuorum);
        r.attendance.push(attendee("P16", "P", None));
        assert_eq!(opening(&r, &summarize(&r)), Opening::Quorate);
        assert!(Opening::Quorate.opened());
        // Meetings that only pass ideas on need no quorum.
        r.kind = "musdus".into();
        r.attendance.truncate(2);
        assert_eq!(opening(&r, &summarize(&r)), Opening::NoQuorumNeeded);
        // Nobody invited on record: the quorum cannot be counted, so it is not met.
        r.kind = "musrenbangdes".into();
        r.invited_count = None;
        assert_eq!(opening(&r, &summarize(&r)), Opening::AwaitingQuorum);
    }

    #[test]
    fn postponed_then_rescheduled_and_the_new_meeting_proceeds_with_those_present() {
        let mut r = record();
        r.invited_count = Some(24);
        r.quorum_rule = "two_thirds".into();
        r.attendance = vec![attendee("A", "L", None), attendee("B", "P", None)];
        let held = MeetingStatus::Held;
        let o = opening(&r, &summarize(&r));
        assert_eq!(
            may_postpone(MeetingStatus::Planned, o),
            Err("error.postpone_not_held")
        );
        assert_eq!(may_postpone(held, o), Ok(()));
        assert_eq!(may_reschedule(held, o), Err("error.postpone_first"));
        r.postponed = Some(postponement());
        let o = opening(&r, &summarize(&r));
        assert_eq!(o, Opening::Postponed);
        assert!(!o.opened());
        assert_eq!(may_postpone(held, o), Err("error.already_postponed"));
        assert_eq!(may_reschedule(held, o), Ok(()));
        // Late arrivals bring the quorum: the postponed meeting opens after all.
        let mut late = r.clone();
        late.attendance = (0..16)
            .map(|i| attendee(&format!("P{i}"), "L", None))
            .collect();
        let o = opening(&late, &summarize(&late));
        assert_eq!(o, Opening::Quorate);
        assert_eq!(may_reschedule(held, o), Err("error.meeting_opened"));
        // Rescheduled: this one did not take place.
        r.rescheduled_to = Some(link());
        let o = opening(&r, &summarize(&r));
        assert_eq!(o, Opening::Rescheduled);
        assert_eq!(may_reschedule(held, o), Err("error.meeting_rescheduled"));
        // The new meeting proceeds with the voters present, however few.
        let mut next = record();
        next.invited_count = Some(24);
        next.quorum_rule = "two_thirds".into();
        next.rescheduled_from = Some(link());
        assert_eq!(opening(&next, &summarize(&next)), Opening::AwaitingQuorum);
        next.attendance = vec![attendee("A", "L", None)];
        assert_eq!(opening(&next, &summarize(&next)), Opening::WithThosePresent);
        assert!(Opening::WithThosePresent.opened());
    }

    #[test]
    fn a_meeting_that_did_not_open_finalizes_only_as_not_held_and_without_decisions() {
        let mut r = record();
        r.invited_count = Some(20);
        r.attendance = vec![attendee("A", "L", None)];
        assert_eq!(
            finalize_problems(&r, Opening::AwaitingQuorum, "").get("status"),
            Some("error.postpone_first")
        );
        assert!(finalize_problems(&r, Opening::Postponed, "").is_empty());
        r.agenda = vec![RecordItem {
            number: "2026-001".into(),
            title: "Talud".into(),
            bidang: "02".into(),
            minutes: None,
            decision: Some(RecordDecision {
                decision: "accepted".into(),
                method: "mufakat".into(),
                votes_for: None,
                votes_against: None,
                votes_abstain: None,
                chosen: None,
            }),
        }];
        assert_eq!(
            finalize_problems(&r, Opening::Postponed, "").get("status"),
            Some("error.decisions_without_quorum")
        );
        assert!(finalize_problems(&r, Opening::Quorate, "").is_empty());
        // Nobody did not take place unnoticed: a meeting that opened needs its daftar hadir.
        r.attendance.clear();
        assert_eq!(
            finalize_problems(&r, Opening::NoQuorumNeeded, "").get("attendance"),
            Some("error.no_attendance")
        );
        assert!(
            finalize_problems(&r, Opening::Rescheduled, "")
                .get("attendance")
                .is_none()
        );
        // The record states how it opened.
        r.opening = Some(Opening::Postponed.code().into());
        assert!(did_not_take_place(&r));
        assert!(!opened(&r));
        r.opening = Some(Opening::WithThosePresent.code().into());
        assert!(opened(&r) && !did_not_take_place(&r));
    }

    #[test]
    fn a_reschedule_needs_a_date_to_come_and_a_place() {
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 2, 0, 0).unwrap();
        let form = |at: &str, place: &str| RescheduleForm {
            scheduled_at: at.into(),
            place: place.into(),
        };
        let tz = chrono_tz::Asia::Jakarta;
        let (at, place) = form("2026-12-03T09:00", "Balai desa")
            .validate(tz, now)
            .unwrap();
        assert_eq!(at, Utc.with_ymd_and_hms(2026, 12, 3, 2, 0, 0).unwrap());
        assert_eq!(place, "Balai desa");
        let e = form("2026-11-20T09:00", "").validate(tz, now).unwrap_err();
        assert_eq!(e.get("scheduled_at"), Some("error.reschedule_in_past"));
        assert!(e.get("place").is_some());
        let e = form("besok", "Balai").validate(tz, now).unwrap_err();
        assert_eq!(e.get("scheduled_at"), Some("error.datetime"));
        assert_eq!(
            postpone_note("  ").unwrap_err().get("note"),
            Some("error.postpone_note")
        );
    }

    #[test]
    fn a_two_thirds_majority_needs_two_thirds_of_the_voters_present() {
        assert!(vote_carries(MajorityRule::TwoThirds, 8, 12));
        assert!(!vote_carries(MajorityRule::TwoThirds, 7, 12));
        assert!(vote_carries(MajorityRule::Half, 7, 12));
        let tata = TataTertibForm {
            quorum_rule: "half".into(),
            majority_rule: "two_thirds".into(),
            kepala_desa: " Sutrisno ".into(),
            version: "1".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(tata.quorum, QuorumRule::Half);
        assert_eq!(tata.majority, MajorityRule::TwoThirds);
        assert_eq!(tata.kepala_desa.as_deref(), Some("Sutrisno"));
        let e = TataTertibForm {
            quorum_rule: "all".into(),
            majority_rule: "".into(),
            ..TataTertibForm::default()
        }
        .validate()
        .unwrap_err();
        assert!(e.get("quorum_rule").is_some() && e.get("majority_rule").is_some());
        assert_eq!(TataTertib::default().quorum, QuorumRule::TwoThirds);
    }

    #[test]
    fn a_scan_is_a_whole_pdf_or_else_a_photo() {
        assert_eq!(check_pdf(b""), Err("error.scan_missing"));
        assert_eq!(check_pdf(b"%PDF-1.7\n1 0 obj\n%%EOF\n"), Ok(()));
        assert_eq!(check_pdf(b"%PDF-1.7 cut off"), Err("error.scan_type"));
        assert_eq!(check_pdf(b"<html>%%EOF"), Err("error.scan_type"));
        assert!(!is_pdf(b"\xff\xd8\xff\xe0JFIF"));
        let big = [b"%PDF-".as_slice(), &vec![b' '; MAX_SCAN_BYTES]].concat();
        assert_eq!(check_pdf(&big), Err("error.photo_too_big"));
        assert_eq!(
            ScanLabel::parse("daftar_hadir"),
            Some(ScanLabel::DaftarHadir)
        );
    }

    #[test]
    fn accepting_a_proposal_with_alternatives_says_which_one_and_why() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let alternatives = [a, b];
        let form = |alt: &str, reason: &str| DecisionForm {
            alternative: alt.into(),
            alternative_reason: reason.into(),
            ..DecisionForm::default()
        };
        let why = "Petani sanggup merawatnya sendiri";
        let mut e = FieldErrors::new();
        assert_eq!(
            form(&a.to_string(), why).choice(Decision::Accepted, &alternatives, &mut e),
            Some(Choice {
                alternative: a,
                reason: why.into()
            })
        );
        // Accepted without saying which.
        let mut e = FieldErrors::new();
        assert_eq!(
            form("", "").choice(Decision::Accepted, &alternatives, &mut e),
            None
        );
        assert_eq!(e.get("alternative"), Some("error.alternative_required"));
        // Nothing to choose from, nothing chosen: fine; forwarded may leave it open.
        let mut e = FieldErrors::new();
        assert_eq!(form("", "").choice(Decision::Accepted, &[], &mut e), None);
        assert_eq!(
            form("", "").choice(Decision::Forwarded, &alternatives, &mut e),
            None
        );
        assert!(e.is_empty());
        // Another proposal's alternative, a rejected proposal's choice, no reason.
        let other = Uuid::from_u128(9).to_string();
        let mut e = FieldErrors::new();
        form(&other, why).choice(Decision::Accepted, &alternatives, &mut e);
        assert_eq!(e.get("alternative"), Some("error.choose_from_list"));
        let mut e = FieldErrors::new();
        form(&b.to_string(), why).choice(Decision::Rejected, &alternatives, &mut e);
        assert_eq!(
            e.get("alternative"),
            Some("error.alternative_not_for_decision")
        );
        let mut e = FieldErrors::new();
        form(&b.to_string(), "murah").choice(Decision::Forwarded, &alternatives, &mut e);
        assert_eq!(
            e.get("alternative_reason"),
            Some("error.alternative_reason")
        );
    }

    #[test]
    fn decisions_read_in_plain_words() {
        let mut d = RecordDecision {
            decision: "accepted".into(),
            method: "mufakat".into(),
            votes_for: None,
            votes_against: None,
            votes_abstain: None,
            chosen: None,
        };
        assert_eq!(decision_words(&d), "Diterima; disepakati secara mufakat");
        d.chosen = Some(RecordChoice {
            title: "Saluran pasangan batu".into(),
            group: "Kelompok Tani Sido Makmur".into(),
            cost: 85_000_000,
            reason: "lebih awet dan petani sanggup merawatnya".into(),
        });
        assert_eq!(
            decision_words(&d),
            "Diterima; disepakati secara mufakat. Alternatif yang dipilih: Saluran pasangan batu \
             (disusun bersama Kelompok Tani Sido Makmur, Rp 85.000.000), karena lebih awet dan \
             petani sanggup merawatnya"
        );
        d.chosen = None;
        d.method = "voting".into();
        d.votes_for = Some(9);
        d.votes_against = Some(1);
        d.votes_abstain = Some(1);
        assert_eq!(
            decision_words(&d),
            "Diterima; pemungutan suara: 9 setuju, 1 tidak setuju, 1 abstain"
        );
    }

    #[test]
    fn the_same_content_always_gives_the_same_code_and_any_change_another() {
        let r = record();
        let a = serde_json::to_string(&r).unwrap();
        let b = serde_json::to_string(&r.clone()).unwrap();
        assert_eq!(seal(&a), seal(&b));
        let (hash, code) = seal(&a);
        assert_eq!(hash.len(), 64);
        assert_eq!(code.len(), CODE_LENGTH);
        assert!(code.bytes().all(|c| CODE_ALPHABET.contains(&c)));
        for change in [
            |r: &mut Record| r.title.push('.'),
            |r: &mut Record| r.place = "Balai dusun".into(),
            |r: &mut Record| r.attendance.push(attendee("X", "P", None)),
            |r: &mut Record| r.quorum_note = Some("catatan".into()),
        ] {
            let mut changed = r.clone();
            change(&mut changed);
            let (h, c) = seal(&serde_json::to_string(&changed).unwrap());
            assert_ne!(h, hash);
            assert_ne!(c, code);
        }
    }

    #[test]
    fn codes_are_read_as_people_type_them() {
        let (_, code) = seal("x");
        let shown = display_code(&code);
        assert_eq!(shown.len(), 11);
        assert_eq!(normalize_code(&shown.to_lowercase()), Some(code.clone()));
        assert_eq!(
            normalize_code(&format!(" {} ", shown.replace('-', " "))),
            Some(code)
        );
        assert_eq!(normalize_code("ABCDE-FGHJ"), None);
        assert_eq!(
            normalize_code("ABCDE-FGHI0"),
            None,
            "I and 0 are never in a code"
        );
        assert_eq!(normalize_code("<script>"), None);
    }

    #[test]
    fn meeting_form_reads_local_time_and_keeps_every_error() {
        let f = MeetingForm {
            kind: "musdes".into(),
            title: "Musdes RKP".into(),
            scheduled_at: "2026-12-01T09:00".into(),
            place: "Balai desa".into(),
            ..MeetingForm::default()
        };
        let tata = TataTertib::default();
        let m = f.validate(chrono_tz::Asia::Jakarta, &tata).unwrap();
        assert_eq!(
            m.scheduled_at,
            Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap()
        );
        assert_eq!(m.quorum_rule, QuorumRule::TwoThirds, "the village's rule");
        let none = MeetingForm {
            quorum_rule: "none".into(),
            ..f.clone()
        };
        assert_eq!(
            none.validate(chrono_tz::Asia::Jakarta, &tata)
                .unwrap()
                .quorum_rule,
            QuorumRule::TwoThirds,
            "a meeting cannot choose to need nobody"
        );
        let wit = f.validate(chrono_tz::Asia::Jayapura, &tata).unwrap();
        assert_eq!(
            wit.scheduled_at,
            Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap()
        );
        let bad = MeetingForm {
            kind: "rapat".into(),
            scheduled_at: "besok pagi".into(),
            invited_count: "-3".into(),
            ..MeetingForm::default()
        }
        .validate(chrono_tz::Asia::Jakarta, &TataTertib::default())
        .unwrap_err();
        for field in ["kind", "title", "scheduled_at", "place", "invited_count"] {
            assert!(bad.get(field).is_some(), "{field}");
        }
        for date in [
            "2026-02-30T09:00",
            "2026-12-01",
            "01-12-2026 09:00",
            "1900-01-01T09:00",
        ] {
            assert!(
                parse_local_datetime(date, chrono_tz::Asia::Jakarta).is_none(),
                "{date}"
            );
        }
    }

    #[test]
    fn attendance_needs_a_name_and_l_or_p_and_only_this_villages_groups() {
        let tani = Uuid::new_v4();
        let groups = [tani];
        let hamlets = ["Dusun I".to_string()];
        let ok = AttendanceForm {
            name: " Siti Aminah ".into(),
            gender: "P".into(),
            group: tani.to_string(),
            role: "Ketua".into(),
            dusun: "Dusun I".into(),
            voter: String::new(),
        }
        .validate(&groups, &hamlets)
        .unwrap();
        assert!(ok.voter, "an attendee votes unless marked an observer");
        assert_eq!(ok.name, "Siti Aminah");
        assert_eq!(ok.group, Some(tani));
        let bad = AttendanceForm {
            name: " ".into(),
            gender: "X".into(),
            group: Uuid::new_v4().to_string(),
            dusun: "Dusun IX".into(),
            ..AttendanceForm::default()
        }
        .validate(&groups, &hamlets)
        .unwrap_err();
        assert_eq!(bad.get("name"), Some("error.attendee_name"));
        assert_eq!(bad.get("gender"), Some("error.gender"));
        assert_eq!(bad.get("group"), Some("error.choose_from_list"));
        assert_eq!(bad.get("dusun"), Some("error.choose_from_list"));
    }

    #[test]
    fn decisions_only_on_the_agenda_and_votes_within_those_present() {
        let agenda = ["2026-001".to_string()];
        let form = |proposal: &str, method: &str, f: &str, a: &str, x: &str| DecisionForm {
            proposal: proposal.into(),
            decision: "accepted".into(),
            method: method.into(),
            votes_for: f.into(),
            votes_against: a.into(),
            votes_abstain: x.into(),
            ..DecisionForm::default()
        };
        let d = form("2026-001", "mufakat", "", "", "")
            .validate(Kind::Musdes, &agenda, 10, MajorityRule::Half)
            .unwrap();
        assert_eq!((d.decision, d.votes), (Decision::Accepted, None));
        let v = form("2026-001", "voting", "6", "3", "1")
            .validate(Kind::Musdes, &agenda, 10, MajorityRule::Half)
            .unwrap();
        assert_eq!(
            v.votes,
            Some(Votes {
                votes_for: 6,
                against: 3,
                abstain: 1
            })
        );
        let e = form("2026-002", "mufakat", "", "", "")
            .validate(Kind::Musdes, &agenda, 10, MajorityRule::Half)
            .unwrap_err();
        assert_eq!(e.get("proposal"), Some("error.not_on_agenda"));
        let e = form("2026-001", "voting", "8", "3", "0")
            .validate(Kind::Musdes, &agenda, 10, MajorityRule::Half)
            .unwrap_err();
        assert_eq!(e.get("votes_for"), Some("error.votes_over_present"));
        let e = form("2026-001", "voting", "-1", "3", "0")
            .validate(Kind::Musdes, &agenda, 10, MajorityRule::Half)
            .unwrap_err();
        assert_eq!(e.get("votes_for"), Some("error.vote_count"));
        let e = form("2026-001", "voting", "", "", "")
            .validate(Kind::Musdes, &agenda, 10, MajorityRule::Half)
            .unwrap_err();
        assert_eq!(e.get("votes_for"), Some("error.votes_missing"));
    }

    #[test]
    fn only_proposals_still_being_weighed_go_on_an_agenda() {
        assert!(may_put_on_agenda(Status::Submitted));
        assert!(may_put_on_agenda(Status::OnAgenda));
        assert!(may_put_on_agenda(Status::Deferred));
        assert!(!may_put_on_agenda(Status::Pending));
        assert!(!may_put_on_agenda(Status::Withdrawn));
        assert!(!may_put_on_agenda(Status::Accepted));
        assert_eq!(Decision::Deferred.status(), Status::Deferred);
    }
}
