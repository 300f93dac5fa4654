//! The engagement ladder (IAP2 spectrum, seed 000): what must be recorded for a proposal
//! to stand on each of the five levels, and whether a move is allowed. Pure: the evidence
//! comes in as facts, the answer goes out as conditions met and unmet.

use super::meeting::{Decision, Kind};
use super::proposal::{Level, Status};
use super::validation::{self, FieldErrors};

/// A village's thresholds for the ladder; the defaults are PRODUCT.md's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Thresholds {
    /// `consult`: feedback entries needed…
    pub consult_feedback: i64,
    /// …from at least this many different people or groups.
    pub consult_voices: i64,
    /// `involve`: stakeholder groups present at a meeting that discussed it.
    pub involve_groups: i64,
    /// `empower`: the share of women (per cent) the deciding Musdes must reach.
    pub women_minimum_percent: i64,
    /// A finalized Musdes moves a proposal to `empower` itself when all evidence holds.
    pub auto_empower: bool,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            consult_feedback: 3,
            consult_voices: 2,
            involve_groups: 2,
            women_minimum_percent: 30,
            auto_empower: false,
        }
    }
}

/// The thresholds form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ThresholdsForm {
    pub consult_feedback: String,
    pub consult_voices: String,
    pub involve_groups: String,
    pub women_minimum_percent: String,
    pub auto_empower: String,
    pub version: String,
}

impl ThresholdsForm {
    pub fn of(t: &Thresholds) -> ThresholdsForm {
        ThresholdsForm {
            consult_feedback: t.consult_feedback.to_string(),
            consult_voices: t.consult_voices.to_string(),
            involve_groups: t.involve_groups.to_string(),
            women_minimum_percent: t.women_minimum_percent.to_string(),
            auto_empower: if t.auto_empower {
                "on".into()
            } else {
                String::new()
            },
            version: String::new(),
        }
    }

    /// Sane bounds: at least one of everything, no more than a village could gather, and
    /// a share between 0 and 100 per cent.
    pub fn validate(&self) -> Result<Thresholds, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut bounded = |field: &'static str, raw: &str, min: i64, max: i64| {
            match validation::parse_grouped_integer(raw.trim()) {
                Some(n) if (min..=max).contains(&n) => n,
                _ => {
                    e.add(field, bound_message(field));
                    min
                }
            }
        };
        let t = Thresholds {
            consult_feedback: bounded("consult_feedback", &self.consult_feedback, 1, 100),
            consult_voices: bounded("consult_voices", &self.consult_voices, 1, 100),
            involve_groups: bounded("involve_groups", &self.involve_groups, 1, 30),
            women_minimum_percent: bounded(
                "women_minimum_percent",
                &self.women_minimum_percent,
                0,
                100,
            ),
            auto_empower: matches!(self.auto_empower.trim(), "on" | "1" | "true"),
        };
        if e.is_empty() && t.consult_voices > t.consult_feedback {
            e.add("consult_voices", "error.voices_over_feedback");
        }
        e.into_result(t)
    }
}

fn bound_message(field: &str) -> &'static str {
    match field {
        "women_minimum_percent" => "error.percent",
        "involve_groups" => "error.groups_bound",
        _ => "error.threshold_bound",
    }
}

/// One feedback entry that counts (hidden entries do not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackFact {
    /// Who spoke: a group when the entry names one, else the person.
    pub voice: String,
    pub concern: bool,
    pub answered: bool,
}

/// What the ladder reads of a proposal's feedback (hidden entries left out): counted where
/// it is stored, so a proposal with thousands of entries costs one row, not thousands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FeedbackTally {
    pub entries: i64,
    /// Distinct voices: a group when the entry names one, else the person.
    pub voices: i64,
    /// Concerns still without an answer.
    pub open_concerns: i64,
}

impl FeedbackTally {
    /// The tally of entries listed one by one: what the store counts in SQL.
    pub fn of(facts: &[FeedbackFact]) -> FeedbackTally {
        let mut voices: Vec<&str> = facts.iter().map(|f| f.voice.as_str()).collect();
        voices.sort_unstable();
        voices.dedup();
        FeedbackTally {
            entries: facts.len() as i64,
            voices: voices.len() as i64,
            open_concerns: facts.iter().filter(|f| f.concern && !f.answered).count() as i64,
        }
    }
}

/// A meeting that had the proposal on its agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingFact {
    pub kind: Kind,
    /// Held or finalized (a planned meeting has not discussed anything yet).
    pub held: bool,
    pub finalized: bool,
    pub present: i64,
    pub women: i64,
    /// Distinct stakeholder groups with someone present.
    pub groups_present: i64,
    pub decision: Option<Decision>,
    /// It opened under the tata tertib (with its quorum, or rescheduled and proceeding
    /// with those present); a meeting that did not open neither involves nor decides.
    pub opened: bool,
}

/// Everything recorded about a proposal that the ladder reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub status: Status,
    pub channels: Vec<String>,
    pub feedback: FeedbackTally,
    pub meetings: Vec<MeetingFact>,
    /// The kinds of the groups recorded as partners.
    pub partner_kinds: Vec<String>,
    /// The kinds of the groups the proposal's alternatives were worked out with.
    pub alternative_kinds: Vec<String>,
    /// The kind of the group named to carry it out.
    pub implementer_kind: Option<String>,
    /// It stands in the RKP Desa set by Peraturan Desa (not the DU-RKP).
    pub in_set_plan: bool,
}

/// Where a condition's evidence is recorded, for a link beside an unmet one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Moderation,
    Feedback,
    Meetings,
    Partnerships,
    Alternatives,
    Implementer,
    Plan,
}

impl Place {
    /// The anchor or page where this evidence is recorded.
    pub fn anchor(self) -> &'static str {
        match self {
            Place::Moderation => "#status",
            Place::Feedback => "#tanggapan",
            Place::Meetings => "musyawarah",
            Place::Partnerships => "#kemitraan",
            Place::Alternatives => "#alternatif",
            Place::Implementer => "#pelaksana",
            Place::Plan => "rkp",
        }
    }
}

/// One condition of one level: a catalogue key for the sentence, the numbers it quotes,
/// and whether it holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Condition {
    #[serde(serialize_with = "level_code")]
    pub level: Level,
    pub key: &'static str,
    pub args: Vec<i64>,
    /// The names the catalogue's sentence gives `args`, in the same order.
    #[serde(skip)]
    pub names: Vec<&'static str>,
    pub met: bool,
    #[serde(skip)]
    pub place: Place,
}

fn level_code<S: serde::Serializer>(l: &Level, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(l.code())
}

const GOVERNMENT: &str = "pemerintah_desa";

fn condition(
    level: Level,
    key: &'static str,
    met: bool,
    named: &[(&'static str, i64)],
    place: Place,
) -> Condition {
    Condition {
        level,
        key,
        args: named.iter().map(|(_, n)| *n).collect(),
        names: named.iter().map(|(name, _)| *name).collect(),
        met,
        place,
    }
}

impl Condition {
    /// The numbers with the names the sentence reads them by.
    pub fn named_args(&self) -> Vec<(&'static str, i64)> {
        self.names
            .iter()
            .copied()
            .zip(self.args.iter().copied())
            .collect()
    }
}

/// The decisive meeting: the latest finalized Musdes or Musrenbangdes that accepted the
/// proposal (the meetings with the power to accept; see `meeting::decisions_for`).
fn deciding_musdes(ev: &Evidence) -> Option<&MeetingFact> {
    ev.meetings.iter().rev().find(|m| {
        m.finalized
            && matches!(m.kind, Kind::Musdes | Kind::Musrenbangdes)
            && m.decision == Some(Decision::Accepted)
    })
}

/// The conditions of one level alone.
pub fn conditions_of(level: Level, ev: &Evidence, t: &Thresholds) -> Vec<Condition> {
    match level {
        Level::Inform => vec![condition(
            level,
            "ladder.cond.published",
            !matches!(ev.status, Status::Pending),
            &[],
            Place::Moderation,
        )],
        Level::Consult => {
            let FeedbackTally {
                entries, voices, ..
            } = ev.feedback;
            let heard = entries >= t.consult_feedback && voices >= t.consult_voices;
            let consulted = ev.meetings.iter().any(|m| m.held && m.present > 0);
            vec![condition(
                level,
                "ladder.cond.feedback_or_meeting",
                heard || consulted,
                &[
                    ("needed_entries", t.consult_feedback),
                    ("needed_voices", t.consult_voices),
                    ("entries", entries),
                    ("voices", voices),
                ],
                Place::Feedback,
            )]
        }
        Level::Involve => {
            let most = ev
                .meetings
                .iter()
                .filter(|m| m.held && m.opened)
                .map(|m| m.groups_present)
                .max()
                .unwrap_or(0);
            let open = ev.feedback.open_concerns;
            vec![
                condition(
                    level,
                    "ladder.cond.meeting_with_groups",
                    most >= t.involve_groups,
                    &[("needed_groups", t.involve_groups), ("groups", most)],
                    Place::Meetings,
                ),
                condition(
                    level,
                    "ladder.cond.concerns_answered",
                    open == 0,
                    &[("open", open)],
                    Place::Feedback,
                ),
            ]
        }
        Level::Collaborate => vec![
            condition(
                level,
                "ladder.cond.partnership",
                ev.partner_kinds.iter().any(|k| k != GOVERNMENT),
                &[],
                Place::Partnerships,
            ),
            condition(
                level,
                "ladder.cond.alternative",
                ev.alternative_kinds.iter().any(|k| k != GOVERNMENT),
                &[],
                Place::Alternatives,
            ),
        ],
        Level::Empower => {
            let musdes = deciding_musdes(ev);
            let women_met = musdes.is_some_and(|m| {
                m.present > 0 && m.women * 100 >= t.women_minimum_percent * m.present
            });
            vec![
                condition(
                    level,
                    "ladder.cond.musdes_accepted",
                    musdes.is_some(),
                    &[],
                    Place::Meetings,
                ),
                condition(
                    level,
                    "ladder.cond.musdes_quorum",
                    musdes.is_some_and(|m| m.opened),
                    &[],
                    Place::Meetings,
                ),
                condition(
                    level,
                    "ladder.cond.musdes_women",
                    women_met,
                    &[("percent", t.women_minimum_percent)],
                    Place::Meetings,
                ),
                condition(
                    level,
                    "ladder.cond.in_set_plan",
                    ev.in_set_plan,
                    &[],
                    Place::Plan,
                ),
                condition(
                    level,
                    "ladder.cond.implementer",
                    ev.implementer_kind
                        .as_deref()
                        .is_some_and(|k| k != GOVERNMENT),
                    &[],
                    Place::Implementer,
                ),
            ]
        }
    }
}

/// Every condition of every level up to and including `target`.
pub fn conditions_up_to(target: Level, ev: &Evidence, t: &Thresholds) -> Vec<Condition> {
    Level::ALL
        .into_iter()
        .filter(|l| *l <= target)
        .flat_map(|l| conditions_of(l, ev, t))
        .collect()
}

/// The highest level whose conditions, and those of every level below, all hold.
pub fn highest_supported(ev: &Evidence, t: &Thresholds) -> Option<Level> {
    Level::ALL
        .into_iter()
        .take_while(|l| conditions_of(*l, ev, t).iter().all(|c| c.met))
        .last()
}

/// The next level up, when the evidence already holds for it (and every level below):
/// the level and the conditions that justify the move. `None` at the top, or while
/// something is missing.
pub fn ready_for_next(
    from: Level,
    ev: &Evidence,
    t: &Thresholds,
) -> Option<(Level, Vec<Condition>)> {
    let next = Level::ALL.into_iter().find(|l| *l > from)?;
    let all = conditions_up_to(next, ev, t);
    all.iter().all(|c| c.met).then_some((next, all))
}

/// Why a move is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveRefused {
    /// The proposal already stands there.
    SameLevel,
    /// Going down needs a written reason.
    NoteRequired,
    /// Going up: these conditions do not hold yet.
    Unmet(Vec<Condition>),
}

/// May a proposal on `from` move to `to`? Up needs every condition up to `to`; down needs
/// a note. On success, the conditions that justified it (the evidence snapshot).
pub fn check_move(
    from: Level,
    to: Level,
    note: &str,
    ev: &Evidence,
    t: &Thresholds,
) -> Result<Vec<Condition>, MoveRefused> {
    if from == to {
        return Err(MoveRefused::SameLevel);
    }
    if to < from {
        return if note.trim().chars().count() >= 2 {
            Ok(Vec::new())
        } else {
            Err(MoveRefused::NoteRequired)
        };
    }
    let all = conditions_up_to(to, ev, t);
    let unmet: Vec<Condition> = all.iter().filter(|c| !c.met).cloned().collect();
    if unmet.is_empty() {
        Ok(all)
    } else {
        Err(MoveRefused::Unmet(unmet))
    }
}

/// Channels through which a proposal was announced (for `inform`).
pub const CHANNELS: [&str; 6] = [
    "forum",
    "papan_pengumuman",
    "whatsapp",
    "website",
    "pengeras_suara",
    "lainnya",
];

/// What a group brings to a proposal (for `collaborate`).
pub const CONTRIBUTIONS: [&str; 6] = [
    "labour",
    "materials",
    "land",
    "funds",
    "expertise",
    "co_ownership",
];

/// An alternative as typed: an option for carrying out the proposal, worked out with a
/// group (`group`, checked against the village's groups by the caller).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlternativeForm<'a> {
    pub title: &'a str,
    pub cost: &'a str,
    pub trade_offs: &'a str,
}

/// An alternative that passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAlternative {
    pub title: String,
    /// Whole rupiah (zero for an option that costs the village nothing).
    pub cost: i64,
    pub trade_offs: String,
}

impl AlternativeForm<'_> {
    /// A short name, its cost and what is gained and given up: an option without its
    /// trade-offs is not one that was weighed together.
    pub fn validate(&self, errors: &mut FieldErrors) -> Option<NewAlternative> {
        let title = validation::text(
            errors,
            "title",
            self.title,
            5,
            200,
            "error.alternative_title",
            "error.too_long",
        );
        let cost = match super::money::Rupiah::parse(self.cost) {
            Some(r) => Some(r.get()),
            None => {
                errors.add("cost", "error.cost");
                None
            }
        };
        let trade_offs = validation::text(
            errors,
            "trade_offs",
            self.trade_offs,
            10,
            2000,
            "error.trade_offs",
            "error.too_long",
        );
        cost.filter(|_| errors.is_empty())
            .map(|cost| NewAlternative {
                title,
                cost,
                trade_offs,
            })
    }
}

super::coded!(
    /// What came of a partnership pledge, once the work was done.
    Delivery {
        Delivered = "delivered",
        Partly = "partly",
        NotDelivered = "not_delivered",
    }
);

/// A pledge's outcome as a form gives it: the outcome, and a note that is required when
/// the pledge was not kept in full (what was missing, and why).
pub fn delivery_form(
    delivery: &str,
    note: &str,
) -> Result<(Delivery, Option<String>), FieldErrors> {
    let mut errors = FieldErrors::new();
    // The codes, or the contract's `yes` / `partly` / `no`.
    let outcome = match delivery.trim() {
        "yes" => Some(Delivery::Delivered),
        "no" => Some(Delivery::NotDelivered),
        code => Delivery::parse(code),
    };
    if outcome.is_none() {
        errors.add("delivery", "error.choose_from_list");
    }
    let note = validation::optional_text(&mut errors, "note", note, 2000);
    if note.is_none() && outcome.is_some_and(|d| d != Delivery::Delivered) && errors.is_empty() {
        errors.add("note", "error.pledge_note");
    }
    match outcome {
        Some(d) if errors.is_empty() => Ok((d, note)),
        _ => Err(errors),
    }
}

/// Pledges and what came of them: delivered, partly, not, and not yet marked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct PledgeTally {
    pub pledged: i64,
    pub delivered: i64,
    pub partly: i64,
    pub not_delivered: i64,
}

impl PledgeTally {
    pub fn of(outcomes: impl IntoIterator<Item = Option<Delivery>>) -> PledgeTally {
        let mut t = PledgeTally::default();
        for o in outcomes {
            t.pledged += 1;
            match o {
                Some(Delivery::Delivered) => t.delivered += 1,
                Some(Delivery::Partly) => t.partly += 1,
                Some(Delivery::NotDelivered) => t.not_delivered += 1,
                None => {}
            }
        }
        t
    }
    /// Pledges whose outcome is recorded.
    pub fn settled(&self) -> i64 {
        self.delivered + self.partly + self.not_delivered
    }
    /// Pledges still waiting for their outcome.
    pub fn open(&self) -> i64 {
        self.pledged - self.settled()
    }
    /// Of those settled, the share kept in full, in whole percent; none before any is.
    pub fn kept_percent(&self) -> Option<i64> {
        let settled = self.settled();
        (settled > 0).then(|| (self.delivered * 100 + settled / 2) / settled)
    }
}

#[cfg(test)]
mod tests {
    use super::{Delivery, PledgeTally, delivery_form};

    #[test]
    fn a_pledge_not_kept_in_full_says_why() {
        assert_eq!(
            delivery_form("delivered", ""),
            Ok((Delivery::Delivered, None))
        );
        let missing = delivery_form("partly", " ").unwrap_err();
        assert_eq!(missing.get("note"), Some("error.pledge_note"));
        assert_eq!(
            delivery_form("not_delivered", "Panen gagal, semen belum dibeli"),
            Ok((
                Delivery::NotDelivered,
                Some("Panen gagal, semen belum dibeli".to_string())
            ))
        );
        let unknown = delivery_form("maybe", "catatan").unwrap_err();
        assert_eq!(unknown.get("delivery"), Some("error.choose_from_list"));
        assert_eq!(unknown.get("note"), None);
    }

    #[test]
    fn pledges_kept_count_only_those_settled() {
        let none = PledgeTally::of([None, None]);
        assert_eq!(
            (none.pledged, none.open(), none.kept_percent()),
            (2, 2, None)
        );
        // 2 delivered, 1 partly, 0 not, 1 open: 2 of 3 settled kept in full = 67 %.
        let t = PledgeTally::of([
            Some(Delivery::Delivered),
            Some(Delivery::Partly),
            None,
            Some(Delivery::Delivered),
        ]);
        assert_eq!(
            t,
            PledgeTally {
                pledged: 4,
                delivered: 2,
                partly: 1,
                not_delivered: 0
            }
        );
        assert_eq!((t.settled(), t.open(), t.kept_percent()), (3, 1, Some(67)));
    }

    use super::*;

    fn feedback(voice: &str, concern: bool, answered: bool) -> FeedbackFact {
        FeedbackFact {
            voice: voice.into(),
            concern,
            answered,
        }
    }

    fn meeting(kind: Kind) -> MeetingFact {
        MeetingFact {
            kind,
            held: true,
            finalized: true,
            present: 20,
            women: 8,
            groups_present: 3,
            decision: None,
            opened: true,
        }
    }

    fn bare() -> Evidence {
        Evidence {
            status: Status::Submitted,
            channels: vec![],
            feedback: FeedbackTally::default(),
            meetings: vec![],
            partner_kinds: vec![],
            alternative_kinds: vec![],
            implementer_kind: None,
            in_set_plan: false,
        }
    }

    fn met(level: Level, key: &str, ev: &Evidence, t: &Thresholds) -> bool {
        conditions_of(level, ev, t)
            .into_iter()
            .find(|c| c.key == key)
            .unwrap()
            .met
    }

    fn full() -> Evidence {
        let mut musdes = meeting(Kind::Musdes);
        musdes.decision = Some(Decision::Accepted);
        Evidence {
            feedback: FeedbackTally::of(&[
                feedback("a", false, false),
                feedback("b", true, true),
                feedback("c", false, false),
            ]),
            meetings: vec![meeting(Kind::Musdus), musdes],
            partner_kinds: vec!["tani".into()],
            alternative_kinds: vec!["perempuan".into()],
            implementer_kind: Some("lpm".into()),
            in_set_plan: true,
            ..bare()
        }
    }

    #[test]
    fn a_proposal_is_ready_for_the_next_level_only_when_its_evidence_holds() {
        let t = Thresholds::default();
        // Published, nothing more: ready for nothing above inform.
        assert_eq!(ready_for_next(Level::Inform, &bare(), &t), None);
        // Three entries from two voices: consult holds, so from inform it is ready.
        let mut ev = bare();
        ev.feedback = FeedbackTally::of(&[
            feedback("a", false, false),
            feedback("b", false, false),
            feedback("a", false, false),
        ]);
        let (next, held) = ready_for_next(Level::Inform, &ev, &t).unwrap();
        assert_eq!(next, Level::Consult);
        assert!(held.iter().all(|c| c.met) && !held.is_empty());
        // One step at a time, and nothing above the top.
        assert_eq!(ready_for_next(Level::Consult, &ev, &t), None);
        assert_eq!(ready_for_next(Level::Empower, &ev, &t), None);
    }

    #[test]
    fn inform_needs_publication() {
        let t = Thresholds::default();
        assert!(met(Level::Inform, "ladder.cond.published", &bare(), &t));
        let pending = Evidence {
            status: Status::Pending,
            ..bare()
        };
        assert!(!met(Level::Inform, "ladder.cond.published", &pending, &t));
    }

    #[test]
    fn consult_needs_enough_feedback_from_enough_voices_or_a_held_meeting() {
        let t = Thresholds::default();
        let key = "ladder.cond.feedback_or_meeting";
        let mut ev = bare();
        let mut facts = vec![feedback("a", false, false), feedback("b", false, false)];
        ev.feedback = FeedbackTally::of(&facts);
        assert!(
            !met(Level::Consult, key, &ev, &t),
            "two entries are not three"
        );
        facts.push(feedback("a", false, false));
        ev.feedback = FeedbackTally::of(&facts);
        assert!(met(Level::Consult, key, &ev, &t), "three from two voices");
        ev.feedback = FeedbackTally::of(&vec![feedback("a", false, false); 5]);
        assert!(
            !met(Level::Consult, key, &ev, &t),
            "one voice, however loud"
        );
        let c = conditions_of(Level::Consult, &ev, &t).remove(0);
        assert_eq!(c.args, vec![3, 2, 5, 1]);
        // A held meeting with people present is enough on its own; a planned one is not.
        let mut planned = meeting(Kind::Musdus);
        planned.held = false;
        planned.finalized = false;
        ev.meetings = vec![planned];
        assert!(!met(Level::Consult, key, &ev, &t));
        ev.meetings[0].held = true;
        assert!(met(Level::Consult, key, &ev, &t));
        ev.meetings[0].present = 0;
        assert!(!met(Level::Consult, key, &ev, &t), "no attendance recorded");
        // Thresholds are the village's.
        let strict = Thresholds {
            consult_feedback: 6,
            ..t
        };
        let ev = Evidence {
            feedback: FeedbackTally::of(&[
                feedback("a", false, false),
                feedback("b", false, false),
                feedback("c", false, false),
            ]),
            ..bare()
        };
        assert!(met(Level::Consult, key, &ev, &t));
        assert!(!met(Level::Consult, key, &ev, &strict));
    }

    #[test]
    fn involve_needs_groups_at_a_held_meeting_and_every_concern_answered() {
        let t = Thresholds::default();
        let mut ev = bare();
        let mut m = meeting(Kind::Musdus);
        m.groups_present = 1;
        ev.meetings = vec![m];
        assert!(!met(
            Level::Involve,
            "ladder.cond.meeting_with_groups",
            &ev,
            &t
        ));
        ev.meetings[0].groups_present = 2;
        assert!(met(
            Level::Involve,
            "ladder.cond.meeting_with_groups",
            &ev,
            &t
        ));
        ev.meetings[0].opened = false;
        assert!(
            !met(Level::Involve, "ladder.cond.meeting_with_groups", &ev, &t),
            "a meeting that did not open involves nobody"
        );
        ev.meetings[0].opened = true;
        ev.meetings[0].held = false;
        assert!(!met(
            Level::Involve,
            "ladder.cond.meeting_with_groups",
            &ev,
            &t
        ));
        let mut facts = vec![feedback("a", true, true), feedback("b", true, false)];
        ev.feedback = FeedbackTally::of(&facts);
        let c = conditions_of(Level::Involve, &ev, &t).remove(1);
        assert_eq!((c.met, c.args.clone()), (false, vec![1]));
        facts[1].answered = true;
        ev.feedback = FeedbackTally::of(&facts);
        assert!(met(
            Level::Involve,
            "ladder.cond.concerns_answered",
            &ev,
            &t
        ));
        // No concerns at all: nothing waits for an answer.
        assert!(met(
            Level::Involve,
            "ladder.cond.concerns_answered",
            &bare(),
            &t
        ));
    }

    #[test]
    fn collaborate_needs_a_partner_outside_the_village_government() {
        let t = Thresholds::default();
        let key = "ladder.cond.partnership";
        let mut ev = bare();
        assert!(!met(Level::Collaborate, key, &ev, &t));
        ev.partner_kinds = vec![GOVERNMENT.into()];
        assert!(!met(Level::Collaborate, key, &ev, &t));
        ev.partner_kinds.push("perempuan".into());
        assert!(met(Level::Collaborate, key, &ev, &t));
    }

    #[test]
    fn collaborate_also_needs_an_alternative_worked_out_with_a_group_outside_the_government() {
        let t = Thresholds::default();
        let key = "ladder.cond.alternative";
        let mut ev = bare();
        ev.partner_kinds = vec!["tani".into()];
        // A partner alone is not deciding together.
        assert!(!met(Level::Collaborate, key, &ev, &t));
        assert!(check_move(Level::Involve, Level::Collaborate, "", &ev, &t).is_err());
        ev.alternative_kinds = vec![GOVERNMENT.into()];
        assert!(!met(Level::Collaborate, key, &ev, &t));
        ev.alternative_kinds.push("pemuda".into());
        assert!(met(Level::Collaborate, key, &ev, &t));
        let unmet: Vec<&str> = conditions_of(Level::Collaborate, &ev, &t)
            .iter()
            .filter(|c| !c.met)
            .map(|c| c.key)
            .collect();
        assert!(unmet.is_empty(), "{unmet:?}");
        // The link beside the unmet condition goes to the alternatives' form.
        assert_eq!(Place::Alternatives.anchor(), "#alternatif");
    }

    #[test]
    fn an_alternative_names_itself_its_cost_and_its_trade_offs() {
        let mut e = FieldErrors::new();
        let ok = AlternativeForm {
            title: " Saluran pasangan batu ",
            cost: "Rp 85 juta",
            trade_offs: "Lebih awet, tetapi butuh tukang dari luar desa",
        }
        .validate(&mut e)
        .unwrap();
        assert_eq!(
            (ok.title.as_str(), ok.cost),
            ("Saluran pasangan batu", 85_000_000)
        );
        // Nothing free is refused: an option may cost the village nothing.
        let mut e = FieldErrors::new();
        let free = AlternativeForm {
            title: "Gotong royong saja",
            cost: "0",
            trade_offs: "Murah, tetapi hanya tahan satu musim",
        }
        .validate(&mut e);
        assert_eq!(free.map(|a| a.cost), Some(0));
        let mut e = FieldErrors::new();
        let bad = AlternativeForm {
            title: "Aa",
            cost: "mahal",
            trade_offs: "murah",
        }
        .validate(&mut e);
        assert!(bad.is_none());
        assert_eq!(e.get("title"), Some("error.alternative_title"));
        assert_eq!(e.get("cost"), Some("error.cost"));
        assert_eq!(e.get("trade_offs"), Some("error.trade_offs"));
    }

    #[test]
    fn empower_needs_an_accepting_finalized_musdes_with_quorum_and_women_and_an_implementer() {
        let t = Thresholds::default();
        let ev = full();
        assert!(conditions_of(Level::Empower, &ev, &t).iter().all(|c| c.met));
        // Accepted by a hamlet meeting only, or by a Musdes not yet finalized: not enough.
        let mut e = ev.clone();
        e.meetings[1].kind = Kind::Musdus;
        assert!(!met(Level::Empower, "ladder.cond.musdes_accepted", &e, &t));
        // The Musrenbangdes, which agrees the RKP Desa, decides as well.
        let mut e = ev.clone();
        e.meetings[1].kind = Kind::Musrenbangdes;
        assert!(met(Level::Empower, "ladder.cond.musdes_accepted", &e, &t));
        let mut e = ev.clone();
        e.meetings[1].finalized = false;
        assert!(!met(Level::Empower, "ladder.cond.musdes_accepted", &e, &t));
        let mut e = ev.clone();
        e.meetings[1].decision = Some(Decision::Deferred);
        assert!(!met(Level::Empower, "ladder.cond.musdes_accepted", &e, &t));
        let mut e = ev.clone();
        e.meetings[1].opened = false;
        assert!(!met(Level::Empower, "ladder.cond.musdes_quorum", &e, &t));
        let mut e = ev.clone();
        e.meetings[1].women = 5; // 25% of 20
        assert!(!met(Level::Empower, "ladder.cond.musdes_women", &e, &t));
        let lenient = Thresholds {
            women_minimum_percent: 25,
            ..t
        };
        assert!(met(
            Level::Empower,
            "ladder.cond.musdes_women",
            &e,
            &lenient
        ));
        // Only what the RKP Desa set by Perdes holds reaches empower.
        let mut e = ev.clone();
        e.in_set_plan = false;
        assert!(!met(Level::Empower, "ladder.cond.in_set_plan", &e, &t));
        let mut e = ev.clone();
        e.implementer_kind = Some(GOVERNMENT.into());
        assert!(!met(Level::Empower, "ladder.cond.implementer", &e, &t));
        e.implementer_kind = None;
        assert!(!met(Level::Empower, "ladder.cond.implementer", &e, &t));
    }

    #[test]
    fn a_move_up_needs_every_condition_up_to_the_target_and_names_each_missing_one() {
        let t = Thresholds::default();
        let ev = bare();
        match check_move(Level::Inform, Level::Empower, "", &ev, &t) {
            Err(MoveRefused::Unmet(unmet)) => {
                let keys: Vec<&str> = unmet.iter().map(|c| c.key).collect();
                assert_eq!(
                    keys,
                    [
                        "ladder.cond.feedback_or_meeting",
                        "ladder.cond.meeting_with_groups",
                        "ladder.cond.partnership",
                        "ladder.cond.alternative",
                        "ladder.cond.musdes_accepted",
                        "ladder.cond.musdes_quorum",
                        "ladder.cond.musdes_women",
                        "ladder.cond.in_set_plan",
                        "ladder.cond.implementer",
                    ]
                );
            }
            other => panic!("{other:?}"),
        }
        let snapshot = check_move(Level::Inform, Level::Empower, "", &full(), &t).unwrap();
        assert_eq!(snapshot.len(), 11);
        assert!(snapshot.iter().all(|c| c.met));
        assert_eq!(highest_supported(&full(), &t), Some(Level::Empower));
        assert_eq!(highest_supported(&bare(), &t), Some(Level::Inform));
    }

    #[test]
    fn a_move_down_needs_a_note_and_no_move_stays_put() {
        let t = Thresholds::default();
        assert_eq!(
            check_move(Level::Involve, Level::Consult, " ", &bare(), &t),
            Err(MoveRefused::NoteRequired)
        );
        assert!(check_move(Level::Involve, Level::Consult, "Mitra mundur", &bare(), &t).is_ok());
        assert_eq!(
            check_move(Level::Consult, Level::Consult, "x", &bare(), &t),
            Err(MoveRefused::SameLevel)
        );
    }

    #[test]
    fn thresholds_stay_within_sane_bounds() {
        let form = |f: &str, v: &str, g: &str, w: &str| ThresholdsForm {
            consult_feedback: f.into(),
            consult_voices: v.into(),
            involve_groups: g.into(),
            women_minimum_percent: w.into(),
            ..ThresholdsForm::default()
        };
        assert_eq!(
            form("3", "2", "2", "30").validate().unwrap(),
            Thresholds::default()
        );
        let e = form("0", "2", "0", "101").validate().unwrap_err();
        assert_eq!(e.get("consult_feedback"), Some("error.threshold_bound"));
        assert_eq!(e.get("involve_groups"), Some("error.groups_bound"));
        assert_eq!(e.get("women_minimum_percent"), Some("error.percent"));
        let e = form("2", "3", "2", "30").validate().unwrap_err();
        assert_eq!(e.get("consult_voices"), Some("error.voices_over_feedback"));
        assert!(form("x", "", "-1", "30,5").validate().is_err());
        let on = ThresholdsForm {
            auto_empower: "on".into(),
            ..ThresholdsForm::of(&Thresholds::default())
        };
        assert!(on.validate().unwrap().auto_empower);
    }
}
