//! The seven mapping questions of seed 004: what a facilitator asks about each group
//! (why it takes part, what binds it, what else it does, how it stands toward others and
//! the village government and why, and its history), and the member villages of an
//! inter-village body (BKAD, MAD).

use super::validation::{self, FieldErrors};

/// What binds a group's members (question 2), stored as these codes.
pub const BONDS: [&str; 6] = [
    "kin",
    "neighbours",
    "livelihood",
    "faith",
    "adat",
    "interest",
];

/// What a history entry records (question 7), stored as these codes.
pub const CHANGES: [&str; 6] = [
    "founded",
    "scope",
    "membership",
    "leadership",
    "merged",
    "other",
];

/// Whether the group acts on other matters too (question 3).
pub const ACTS_BEYOND: [&str; 2] = ["yes", "no"];

/// The longest answer to one question.
const ANSWER_MAX: usize = 1000;

/// A group's answers to questions 1–4 and 6 as typed (5 and 7 are their own records:
/// relations and history entries).
#[derive(Debug, Clone, Default)]
pub struct ProfileForm {
    pub motive: String,
    pub gains: String,
    pub bonds: Vec<String>,
    pub bond_note: String,
    pub acts_beyond: String,
    pub other_matters: String,
    pub relation_reason: String,
}

/// The answers that passed their checks; every one may still be unanswered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    /// Q1: why the group takes part.
    pub motive: Option<String>,
    /// Q1: what it gains from it, directly or not.
    pub gains: Option<String>,
    /// Q2: what binds its members, as codes of [`BONDS`].
    pub bonds: Vec<String>,
    /// Q2: another bond, or more about one.
    pub bond_note: Option<String>,
    /// Q3: `yes` or `no`.
    pub acts_beyond: Option<String>,
    /// Q4: which other matters, and why it spread to them.
    pub other_matters: Option<String>,
    /// Q6: why the group stands toward the village government as it does.
    pub relation_reason: Option<String>,
}

impl ProfileForm {
    /// Reads one field of a submitted form; false when the field is not the profile's.
    pub fn take(&mut self, key: &str, value: String) -> bool {
        match key {
            "motive" => self.motive = value,
            "gains" => self.gains = value,
            "bonds" => self.bonds.push(value),
            "bond_note" => self.bond_note = value,
            "acts_beyond" => self.acts_beyond = value,
            "other_matters" => self.other_matters = value,
            "relation_reason" => self.relation_reason = value,
            _ => return false,
        }
        true
    }

    pub fn has_bond(&self, bond: &str) -> bool {
        self.bonds.iter().any(|b| b == bond)
    }

    /// Checks the answers, adding what is wrong to `e`. Saying the group acts on nothing
    /// else while naming other matters, or that it does without naming them, is refused:
    /// a profile that contradicts itself misleads whoever reads it next.
    pub fn check(&self, e: &mut FieldErrors) -> Profile {
        let answer = |e: &mut FieldErrors, field, raw: &str| {
            validation::optional_text(e, field, raw, ANSWER_MAX)
        };
        let motive = answer(e, "motive", &self.motive);
        let gains = answer(e, "gains", &self.gains);
        let mut bonds = Vec::new();
        for b in &self.bonds {
            match BONDS.iter().find(|x| **x == b.trim()) {
                Some(x) if !bonds.iter().any(|y| y == x) => bonds.push(x.to_string()),
                Some(_) => {}
                None => e.add("bonds", "error.choose_from_list"),
            }
        }
        let bond_note = answer(e, "bond_note", &self.bond_note);
        let acts_beyond = validation::optional_choice(e, "acts_beyond", &self.acts_beyond, |v| {
            ACTS_BEYOND.contains(&v)
        });
        let other_matters = answer(e, "other_matters", &self.other_matters);
        match (acts_beyond.as_deref(), &other_matters) {
            (Some("no"), Some(_)) => e.add("other_matters", "error.other_matters_but_no"),
            (Some("yes"), None) => e.add("other_matters", "error.other_matters_which"),
            _ => {}
        }
        let relation_reason = answer(e, "relation_reason", &self.relation_reason);
        Profile {
            motive,
            gains,
            bonds,
            bond_note,
            acts_beyond,
            other_matters,
            relation_reason,
        }
    }
}

/// What is known of a group beyond its profile: whether it has ties with other groups
/// (question 5) and a history (question 7: a history entry, or at least since when).
#[derive(Debug, Clone, Copy, Default)]
pub struct Known {
    pub relations: usize,
    pub history: usize,
    pub since_year: bool,
}

/// The questions (1–7) still unanswered for a group: what the facilitator asks next time.
pub fn unanswered(p: &Profile, known: Known) -> Vec<u8> {
    let answered = [
        p.motive.is_some() || p.gains.is_some(),
        !p.bonds.is_empty() || p.bond_note.is_some(),
        p.acts_beyond.is_some(),
        p.acts_beyond.as_deref() == Some("no") || p.other_matters.is_some(),
        known.relations > 0,
        p.relation_reason.is_some(),
        known.history > 0 || known.since_year,
    ];
    (1..=7)
        .zip(answered)
        .filter(|(_, a)| !a)
        .map(|(q, _)| q)
        .collect()
}

/// A history entry as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct HistoryForm {
    pub year: String,
    pub change: String,
    pub what: String,
    pub why: String,
    /// How many members afterwards (not `members`: the group's own form has that field
    /// on the same page).
    pub members_after: String,
}

/// A history entry that passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub year: i64,
    pub change: String,
    pub what: String,
    pub why: Option<String>,
    /// How many members the group had after the change, when it was about membership.
    pub members: Option<i64>,
}

impl HistoryForm {
    /// `this_year` bounds the year: history is what already happened.
    pub fn validate(&self, this_year: i64) -> Result<HistoryEntry, FieldErrors> {
        let mut e = FieldErrors::new();
        let year = validation::optional_year(&mut e, "year", &self.year, this_year);
        if year.is_none() && e.get("year").is_none() {
            e.add("year", "error.required");
        }
        let change = self.change.trim();
        if !CHANGES.contains(&change) {
            e.add("change", "error.choose_from_list");
        }
        let what = validation::text(
            &mut e,
            "what",
            &self.what,
            3,
            ANSWER_MAX,
            "error.required",
            "error.too_long",
        );
        let why = validation::optional_text(&mut e, "why", &self.why, ANSWER_MAX);
        let members =
            validation::optional_count(&mut e, "members_after", &self.members_after, 1_000_000);
        e.into_result(HistoryEntry {
            year: year.unwrap_or_default(),
            change: change.to_string(),
            what,
            why,
            members,
        })
    }
}

/// A member village of an inter-village body, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct MemberVillageForm {
    /// The village's name (not `name`: the group's own form has that field on the page).
    pub village: String,
    pub kecamatan: String,
}

/// A member village that passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberVillage {
    pub name: String,
    pub kecamatan: Option<String>,
}

/// Only an inter-village body (kind `desa_lain`: BKAD, MAD, a joint BUMDesma) has member
/// villages.
pub fn has_member_villages(kind: &str) -> bool {
    kind == "desa_lain"
}

impl MemberVillageForm {
    /// `kind` is the group's: member villages belong only to inter-village bodies.
    pub fn validate(&self, kind: &str) -> Result<MemberVillage, FieldErrors> {
        let mut e = FieldErrors::new();
        if !has_member_villages(kind) {
            e.add("village", "error.member_villages_kind");
        }
        let name = validation::name(&mut e, "village", &self.village);
        let kecamatan = validation::optional_text(&mut e, "kecamatan", &self.kecamatan, 120);
        e.into_result(MemberVillage { name, kecamatan })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(fields: &[(&str, &str)]) -> Result<Profile, FieldErrors> {
        let mut f = ProfileForm::default();
        for (k, v) in fields {
            assert!(f.take(k, v.to_string()), "{k}");
        }
        let mut e = FieldErrors::new();
        let p = f.check(&mut e);
        e.into_result(p)
    }

    #[test]
    fn a_profile_keeps_its_answers_and_refuses_contradictions() {
        let p = profile(&[
            ("motive", " Air sawah bergantung pada saluran desa "),
            ("bonds", "livelihood"),
            ("bonds", "neighbours"),
            ("bonds", "livelihood"),
            ("acts_beyond", "yes"),
            ("other_matters", "Arisan dan simpan pinjam"),
        ])
        .unwrap();
        assert_eq!(
            p.motive.as_deref(),
            Some("Air sawah bergantung pada saluran desa")
        );
        assert_eq!(p.bonds, ["livelihood", "neighbours"]);
        let said_no = profile(&[("acts_beyond", "no"), ("other_matters", "Arisan")]);
        assert_eq!(
            said_no.unwrap_err().get("other_matters"),
            Some("error.other_matters_but_no")
        );
        let said_yes = profile(&[("acts_beyond", "yes")]).unwrap_err();
        assert_eq!(
            said_yes.get("other_matters"),
            Some("error.other_matters_which")
        );
        let bad = profile(&[("bonds", "money"), ("acts_beyond", "maybe")]).unwrap_err();
        assert!(bad.get("bonds").is_some() && bad.get("acts_beyond").is_some());
        let long = "x".repeat(ANSWER_MAX + 1);
        assert!(
            profile(&[("gains", &long)])
                .unwrap_err()
                .get("gains")
                .is_some()
        );
    }

    #[test]
    fn the_questions_left_are_those_without_an_answer() {
        let empty = Profile::default();
        assert_eq!(unanswered(&empty, Known::default()), [1, 2, 3, 4, 5, 6, 7]);
        let no_other = Profile {
            gains: Some("Bibit".into()),
            bond_note: Some("Satu kelompok arisan".into()),
            acts_beyond: Some("no".into()),
            ..Profile::default()
        };
        let known = Known {
            relations: 1,
            history: 0,
            since_year: true,
        };
        // Saying "no" to question 3 answers question 4 as well.
        assert_eq!(unanswered(&no_other, known), [6]);
        let yes_unnamed = Profile {
            acts_beyond: Some("yes".into()),
            ..Profile::default()
        };
        assert_eq!(
            unanswered(&yes_unnamed, Known::default()),
            [1, 2, 4, 5, 6, 7]
        );
    }

    #[test]
    fn history_entries_are_dated_in_the_past_and_say_what_changed() {
        let ok = HistoryForm {
            year: "2019".into(),
            change: "membership".into(),
            what: "Anggota bertambah dari dusun Kalitengah".into(),
            why: "Saluran baru sampai ke sana".into(),
            members_after: "1.020".into(),
        }
        .validate(2026)
        .unwrap();
        assert_eq!((ok.year, ok.members), (2019, Some(1020)));
        let bad = HistoryForm {
            year: "2031".into(),
            change: "coup".into(),
            what: " ".into(),
            ..HistoryForm::default()
        }
        .validate(2026)
        .unwrap_err();
        for field in ["year", "change", "what"] {
            assert!(bad.get(field).is_some(), "{field}");
        }
        let undated = HistoryForm {
            change: "founded".into(),
            what: "Berdiri".into(),
            ..HistoryForm::default()
        };
        assert_eq!(
            undated.validate(2026).unwrap_err().get("year"),
            Some("error.required")
        );
    }

    #[test]
    fn only_inter_village_bodies_have_member_villages() {
        let form = MemberVillageForm {
            village: "Desa Sukasari".into(),
            kecamatan: "".into(),
        };
        assert_eq!(
            form.validate("desa_lain").unwrap(),
            MemberVillage {
                name: "Desa Sukasari".into(),
                kecamatan: None
            }
        );
        assert_eq!(
            form.validate("tani").unwrap_err().get("village"),
            Some("error.member_villages_kind")
        );
    }
}
