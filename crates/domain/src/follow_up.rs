//! Tindak lanjut as actions, not answers (seed 001): an answer tells a resident what will
//! happen; an action records what was done about a concern or a meeting's decision —
//! when, by whom, what changed — and points at the record that shows it (a progress
//! report, the proposal's place in a year's plan, a meeting decision).

use chrono::NaiveDate;
use uuid::Uuid;

use super::validation::{self, FieldErrors};

/// What an action follows up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// A concern of the proposal's feedback thread.
    Concern(Uuid),
    /// A meeting's decision on the proposal (the meeting's id).
    Decision(Uuid),
}

/// The record that shows an action was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// A progress report of the proposal.
    Update(Uuid),
    /// The proposal's item in a year's plan (the plan's id).
    Plan(Uuid),
    /// A meeting's decision on the proposal (the meeting's id).
    Decision(Uuid),
}

impl Subject {
    /// The form's value: `concern:<id>` or `decision:<meeting id>`.
    pub fn code(self) -> String {
        match self {
            Subject::Concern(id) => format!("concern:{id}"),
            Subject::Decision(id) => format!("decision:{id}"),
        }
    }

    pub fn parse(raw: &str) -> Option<Subject> {
        let (kind, id) = raw.trim().split_once(':')?;
        let id = id.parse().ok()?;
        match kind {
            "concern" => Some(Subject::Concern(id)),
            "decision" => Some(Subject::Decision(id)),
            _ => None,
        }
    }
}

impl Evidence {
    /// The form's value: `update:<id>`, `plan:<id>` or `decision:<meeting id>`.
    pub fn code(self) -> String {
        match self {
            Evidence::Update(id) => format!("update:{id}"),
            Evidence::Plan(id) => format!("plan:{id}"),
            Evidence::Decision(id) => format!("decision:{id}"),
        }
    }

    pub fn parse(raw: &str) -> Option<Evidence> {
        let (kind, id) = raw.trim().split_once(':')?;
        let id = id.parse().ok()?;
        match kind {
            "update" => Some(Evidence::Update(id)),
            "plan" => Some(Evidence::Plan(id)),
            "decision" => Some(Evidence::Decision(id)),
            _ => None,
        }
    }
}

/// An action as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct FollowUpForm {
    pub subject: String,
    pub done_on: String,
    pub actor: String,
    pub change: String,
    pub evidence: String,
}

/// An action that passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub subject: Subject,
    pub done_on: NaiveDate,
    pub actor: String,
    pub change: String,
    pub evidence: Evidence,
}

impl FollowUpForm {
    /// `subjects` and `evidence` are what the proposal offers (its concerns and decisions;
    /// its progress reports, plan items and decisions); an action is done on a day up to
    /// `today`, never before the proposal was sent (`since`).
    pub fn validate(
        &self,
        subjects: &[Subject],
        evidence: &[Evidence],
        since: NaiveDate,
        today: NaiveDate,
    ) -> Result<FollowUp, FieldErrors> {
        let mut e = FieldErrors::new();
        let subject = Subject::parse(&self.subject).filter(|s| subjects.contains(s));
        if subject.is_none() {
            e.add("subject", "error.choose_from_list");
        }
        let done_on = match NaiveDate::parse_from_str(self.done_on.trim(), "%Y-%m-%d") {
            Ok(d) if d > today => {
                e.add("done_on", "error.date_in_future");
                None
            }
            Ok(d) if d < since => {
                e.add("done_on", "error.follow_up_before_proposal");
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                e.add("done_on", "error.date");
                None
            }
        };
        let actor = validation::text(
            &mut e,
            "actor",
            &self.actor,
            3,
            120,
            "error.follow_up_actor",
            "error.too_long",
        );
        let change = validation::text(
            &mut e,
            "change",
            &self.change,
            10,
            1000,
            "error.follow_up_change",
            "error.too_long",
        );
        // An answer is not an action: the action points at the record that shows it.
        let shown_by = Evidence::parse(&self.evidence).filter(|x| evidence.contains(x));
        if shown_by.is_none() {
            e.add("evidence", "error.follow_up_evidence");
        }
        // A decision does not show that it was acted on itself.
        if let (Some(Subject::Decision(a)), Some(Evidence::Decision(b))) = (subject, shown_by)
            && a == b
        {
            e.add("evidence", "error.follow_up_same_decision");
        }
        match (subject, done_on, shown_by) {
            (Some(subject), Some(done_on), Some(evidence)) if e.is_empty() => Ok(FollowUp {
                subject,
                done_on,
                actor,
                change,
                evidence,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn form(subject: String, done_on: &str, evidence: String) -> FollowUpForm {
        FollowUpForm {
            subject,
            done_on: done_on.into(),
            actor: "Kasi Pembangunan".into(),
            change: "Gorong-gorong dipindah ke sisi timur jalan".into(),
            evidence,
        }
    }

    #[test]
    fn an_action_names_what_it_follows_up_and_the_record_that_shows_it() {
        let (concern, meeting, update, plan) = (
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            Uuid::from_u128(3),
            Uuid::from_u128(4),
        );
        let subjects = [Subject::Concern(concern), Subject::Decision(meeting)];
        let evidence = [
            Evidence::Update(update),
            Evidence::Plan(plan),
            Evidence::Decision(meeting),
        ];
        let (since, today) = (day("2026-03-01"), day("2026-11-27"));
        let ok = form(
            Subject::Concern(concern).code(),
            "2026-11-20",
            Evidence::Update(update).code(),
        )
        .validate(&subjects, &evidence, since, today)
        .unwrap();
        assert_eq!(ok.subject, Subject::Concern(concern));
        assert_eq!(ok.evidence, Evidence::Update(update));
        assert_eq!(ok.done_on, day("2026-11-20"));
        // A concern can be acted on by a decision; a decision by a plan item.
        assert!(
            form(
                Subject::Concern(concern).code(),
                "2026-11-20",
                Evidence::Decision(meeting).code()
            )
            .validate(&subjects, &evidence, since, today)
            .is_ok()
        );
        assert!(
            form(
                Subject::Decision(meeting).code(),
                "2026-11-20",
                Evidence::Plan(plan).code()
            )
            .validate(&subjects, &evidence, since, today)
            .is_ok()
        );

        // A decision is not its own follow-up; no evidence is no action.
        let e = form(
            Subject::Decision(meeting).code(),
            "2026-11-20",
            Evidence::Decision(meeting).code(),
        )
        .validate(&subjects, &evidence, since, today)
        .unwrap_err();
        assert_eq!(e.get("evidence"), Some("error.follow_up_same_decision"));
        let e = form(
            Subject::Concern(concern).code(),
            "2026-11-20",
            String::new(),
        )
        .validate(&subjects, &evidence, since, today)
        .unwrap_err();
        assert_eq!(e.get("evidence"), Some("error.follow_up_evidence"));

        // Someone else's concern, an unknown record, a day ahead or before the proposal.
        let stranger = Uuid::from_u128(9);
        let e = form(
            Subject::Concern(stranger).code(),
            "2026-11-28",
            Evidence::Update(stranger).code(),
        )
        .validate(&subjects, &evidence, since, today)
        .unwrap_err();
        assert_eq!(e.get("subject"), Some("error.choose_from_list"));
        assert_eq!(e.get("done_on"), Some("error.date_in_future"));
        assert_eq!(e.get("evidence"), Some("error.follow_up_evidence"));
        let mut short = form("x".into(), "2026-02-01", "plan:zz".into());
        short.actor = "A".into();
        short.change = "Sudah".into();
        let e = short
            .validate(&subjects, &evidence, since, today)
            .unwrap_err();
        for (field, key) in [
            ("subject", "error.choose_from_list"),
            ("done_on", "error.follow_up_before_proposal"),
            ("actor", "error.follow_up_actor"),
            ("change", "error.follow_up_change"),
            ("evidence", "error.follow_up_evidence"),
        ] {
            assert_eq!(e.get(field), Some(key), "{field}");
        }
    }

    #[test]
    fn codes_read_back() {
        let id = Uuid::from_u128(5);
        for s in [Subject::Concern(id), Subject::Decision(id)] {
            assert_eq!(Subject::parse(&s.code()), Some(s));
        }
        for x in [
            Evidence::Update(id),
            Evidence::Plan(id),
            Evidence::Decision(id),
        ] {
            assert_eq!(Evidence::parse(&x.code()), Some(x));
        }
        assert_eq!(Subject::parse("update:zz"), None);
        assert_eq!(Evidence::parse("concern:1"), None);
    }
}
