//! Stakeholder groups (unsur masyarakat, seed 004): their kinds and how they stand.

use super::mapping::{Profile, ProfileForm};
use super::validation::{self, FieldErrors};

/// The kinds of group the contract names; stored as these codes.
pub const GROUP_KINDS: [&str; 22] = [
    "tokoh_adat",
    "tokoh_agama",
    "tokoh_masyarakat",
    "tokoh_pendidikan",
    "tani",
    "nelayan",
    "perajin",
    "perempuan",
    "perlindungan_anak",
    "masyarakat_miskin",
    "pemuda",
    "keagamaan",
    "masyarakat_adat",
    "disabilitas",
    "bpd",
    "pemerintah_desa",
    "lpm",
    "ngo",
    "swasta",
    "perguruan_tinggi",
    "desa_lain",
    "lainnya",
];

pub fn is_group_kind(code: &str) -> bool {
    GROUP_KINDS.contains(&code)
}

/// Kinds that are vulnerable or marginalised by default (kelompok rentan).
pub fn vulnerable_by_default(kind: &str) -> bool {
    matches!(
        kind,
        "perempuan" | "masyarakat_miskin" | "disabilitas" | "masyarakat_adat" | "perlindungan_anak"
    )
}

/// How a group stands toward the village government (seed 004, mapping question 6).
pub const RELATIONS: [&str; 3] = ["supportive", "passive", "obstructive"];

/// The parts a group plays in village planning (seed 004's mapping table).
pub const ROLES: [&str; 5] = [
    "planning",
    "beneficiary",
    "bpd_representative",
    "musdes",
    "regulations",
];

/// A group as typed in its form. `roles` arrives as repeated checkbox fields.
#[derive(Debug, Clone, Default)]
pub struct GroupForm {
    pub name: String,
    pub kind: String,
    pub vulnerable: bool,
    pub contact_name: String,
    pub contact_phone: String,
    pub members: String,
    pub since_year: String,
    pub relation: String,
    pub roles: Vec<String>,
    /// The answers to the mapping questions (seed 004).
    pub profile: ProfileForm,
    pub version: String,
}

impl GroupForm {
    /// Reads a submitted form body; repeated `roles` fields become the list.
    pub fn from_pairs<K: AsRef<str>>(pairs: impl Iterator<Item = (K, String)>) -> GroupForm {
        let mut f = GroupForm::default();
        for (k, v) in pairs {
            match k.as_ref() {
                "name" => f.name = v,
                "kind" => f.kind = v,
                "vulnerable" => f.vulnerable = matches!(v.as_str(), "on" | "1" | "true"),
                "contact_name" => f.contact_name = v,
                "contact_phone" => f.contact_phone = v,
                "members" => f.members = v,
                "since_year" => f.since_year = v,
                "relation" => f.relation = v,
                "roles" => f.roles.push(v),
                "version" => f.version = v,
                other => {
                    f.profile.take(other, v);
                }
            }
        }
        f
    }

    pub fn has_role(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }

    /// Checks every field at once. `this_year` bounds the since-when year.
    pub fn validate(&self, this_year: i64) -> Result<CheckedGroup, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = validation::name(&mut e, "name", &self.name);
        let kind = self.kind.trim();
        if !is_group_kind(kind) {
            e.add("kind", "error.choose_from_list");
        }
        let contact_name =
            validation::optional_text(&mut e, "contact_name", &self.contact_name, 120);
        let contact_phone = match self.contact_phone.trim() {
            "" => None,
            raw => {
                let digits = raw.chars().filter(char::is_ascii_digit).count();
                let allowed = raw
                    .chars()
                    .all(|c| c.is_ascii_digit() || " +-().".contains(c));
                if !allowed || !(8..=15).contains(&digits) {
                    e.add("contact_phone", "error.phone");
                }
                Some(raw.to_string())
            }
        };
        let members = validation::optional_count(&mut e, "members", &self.members, 1_000_000);
        let since_year =
            validation::optional_year(&mut e, "since_year", &self.since_year, this_year);
        let relation = match self.relation.trim() {
            "" => "passive",
            r => RELATIONS
                .iter()
                .copied()
                .find(|x| *x == r)
                .unwrap_or_else(|| {
                    e.add("relation", "error.choose_from_list");
                    "passive"
                }),
        };
        let mut roles = Vec::new();
        for r in &self.roles {
            match ROLES.iter().find(|x| **x == r.trim()) {
                Some(x) if !roles.contains(&x.to_string()) => roles.push(x.to_string()),
                Some(_) => {}
                None => e.add("roles", "error.choose_from_list"),
            }
        }
        let profile = self.profile.check(&mut e);
        e.into_result(CheckedGroup {
            name,
            kind: kind.to_string(),
            vulnerable: self.vulnerable,
            contact_name,
            contact_phone,
            members,
            since_year,
            relation: relation.to_string(),
            roles,
            profile,
        })
    }
}

/// A group that passed its checks, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedGroup {
    pub name: String,
    pub kind: String,
    pub vulnerable: bool,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub members: Option<i64>,
    pub since_year: Option<i64>,
    pub relation: String,
    pub roles: Vec<String>,
    pub profile: Profile,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_the_contracts() {
        assert!(is_group_kind("nelayan"));
        assert!(is_group_kind("perguruan_tinggi"));
        assert!(!is_group_kind("Nelayan"));
        assert!(vulnerable_by_default("disabilitas"));
        assert!(!vulnerable_by_default("bpd"));
    }

    fn pairs(fields: &[(&'static str, &str)]) -> GroupForm {
        GroupForm::from_pairs(fields.iter().map(|(k, v)| (*k, v.to_string())))
    }

    #[test]
    fn a_group_form_keeps_its_roles_and_checks_every_field() {
        let ok = pairs(&[
            ("name", " Kelompok Tani Sri Rejeki "),
            ("kind", "tani"),
            ("vulnerable", "on"),
            ("members", "1.200"),
            ("since_year", "2015"),
            ("relation", "supportive"),
            ("roles", "planning"),
            ("roles", "musdes"),
            ("contact_phone", "0812-3456-7890"),
        ])
        .validate(2026)
        .unwrap();
        assert_eq!(ok.name, "Kelompok Tani Sri Rejeki");
        assert!(ok.vulnerable);
        assert_eq!(ok.members, Some(1200));
        assert_eq!(ok.roles, ["planning", "musdes"]);
        let bad = pairs(&[
            ("name", "x"),
            ("kind", "geng"),
            ("members", "-4"),
            ("since_year", "2090"),
            ("relation", "hostile"),
            ("roles", "boss"),
            ("contact_phone", "call me"),
        ])
        .validate(2026)
        .unwrap_err();
        for field in [
            "name",
            "kind",
            "members",
            "since_year",
            "relation",
            "roles",
            "contact_phone",
        ] {
            assert!(bad.get(field).is_some(), "{field}");
        }
    }
}
