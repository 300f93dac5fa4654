//! The Tim Penyusun RKP Desa, appointed by the kepala desa's decree (SK) for a plan year
//! (Permendagri 114/2014 art. 31): 7 to 11 people, the sekretaris desa as chair, the ketua
//! LPM as secretary, perangkat desa, LPM, KPMD and the community as members, women among
//! them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::validation::{self, FieldErrors};

pub const MIN_MEMBERS: usize = 7;
pub const MAX_MEMBERS: usize = 11;

/// A member's place in the team.
pub const ROLES: [&str; 3] = ["ketua", "sekretaris", "anggota"];

/// Field names of the numbered rows (static, so errors can name them).
pub const NAME: [&str; MAX_MEMBERS] = [
    "name_0", "name_1", "name_2", "name_3", "name_4", "name_5", "name_6", "name_7", "name_8",
    "name_9", "name_10",
];
pub const GENDER: [&str; MAX_MEMBERS] = [
    "gender_0",
    "gender_1",
    "gender_2",
    "gender_3",
    "gender_4",
    "gender_5",
    "gender_6",
    "gender_7",
    "gender_8",
    "gender_9",
    "gender_10",
];
pub const ROLE: [&str; MAX_MEMBERS] = [
    "role_0", "role_1", "role_2", "role_3", "role_4", "role_5", "role_6", "role_7", "role_8",
    "role_9", "role_10",
];
pub const FROM: [&str; MAX_MEMBERS] = [
    "from_0", "from_1", "from_2", "from_3", "from_4", "from_5", "from_6", "from_7", "from_8",
    "from_9", "from_10",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    /// `L` or `P`.
    pub gender: String,
    pub role: String,
    /// The body or position they come from (`Sekretaris Desa`, `Ketua LPM`, `Kader PKK`).
    pub from: String,
}

/// One typed row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    pub name: String,
    pub gender: String,
    pub role: String,
    pub from: String,
}

/// The team as typed: the decree and up to [`MAX_MEMBERS`] rows.
#[derive(Debug, Clone, Default)]
pub struct TimForm {
    pub sk_number: String,
    pub sk_date: String,
    pub rows: Vec<Row>,
    pub version: String,
}

/// A checked team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tim {
    pub sk_number: String,
    pub sk_date: NaiveDate,
    pub members: Vec<Member>,
}

impl Tim {
    /// Whether a woman is among the members (the law asks for it; the page warns).
    pub fn has_women(members: &[Member]) -> bool {
        members.iter().any(|m| m.gender == "P")
    }
}

impl TimForm {
    pub fn of(sk: Option<(&str, NaiveDate)>, members: &[Member], version: i64) -> TimForm {
        let mut rows: Vec<Row> = members
            .iter()
            .map(|m| Row {
                name: m.name.clone(),
                gender: m.gender.clone(),
                role: m.role.clone(),
                from: m.from.clone(),
            })
            .collect();
        rows.resize(MAX_MEMBERS, Row::default());
        TimForm {
            sk_number: sk.map(|s| s.0.to_string()).unwrap_or_default(),
            sk_date: sk.map(|s| s.1.to_string()).unwrap_or_default(),
            rows,
            version: version.to_string(),
        }
    }

    pub fn from_pairs<K: AsRef<str>>(pairs: impl Iterator<Item = (K, String)>) -> TimForm {
        let mut f = TimForm {
            rows: vec![Row::default(); MAX_MEMBERS],
            ..TimForm::default()
        };
        for (k, v) in pairs {
            let k = k.as_ref();
            match k {
                "sk_number" => f.sk_number = v,
                "sk_date" => f.sk_date = v,
                "version" => f.version = v,
                _ => {
                    let Some((field, i)) = k.rsplit_once('_') else {
                        continue;
                    };
                    let Some(row) = i.parse::<usize>().ok().and_then(|i| f.rows.get_mut(i)) else {
                        continue;
                    };
                    match field {
                        "name" => row.name = v,
                        "gender" => row.gender = v,
                        "role" => row.role = v,
                        "from" => row.from = v,
                        _ => {}
                    }
                }
            }
        }
        f
    }

    /// Rows with a name are members; 7 to 11 of them, exactly one chair, each with a
    /// gender, a role and where they come from; the decree's number and a date no later
    /// than `today`.
    pub fn validate(&self, today: NaiveDate) -> Result<Tim, FieldErrors> {
        let mut e = FieldErrors::new();
        let sk_number = validation::text(
            &mut e,
            "sk_number",
            &self.sk_number,
            1,
            80,
            "tim.error.sk_number",
            "error.too_long",
        );
        let sk_date = match NaiveDate::parse_from_str(self.sk_date.trim(), "%Y-%m-%d") {
            Ok(d) if d > today => {
                e.add("sk_date", "plan.error.perdes_in_future");
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                e.add("sk_date", "error.date");
                None
            }
        };
        let mut members = Vec::new();
        for (i, row) in self.rows.iter().enumerate().take(MAX_MEMBERS) {
            let filled = [&row.name, &row.from].iter().any(|v| !v.trim().is_empty());
            if !filled {
                continue;
            }
            let name = validation::name(&mut e, NAME[i], &row.name);
            let gender = row.gender.trim();
            if gender != "L" && gender != "P" {
                e.add(GENDER[i], "error.choose_from_list");
            }
            let role = row.role.trim();
            if !ROLES.contains(&role) {
                e.add(ROLE[i], "error.choose_from_list");
            }
            let from = validation::text(
                &mut e,
                FROM[i],
                &row.from,
                2,
                120,
                "tim.error.from",
                "error.too_long",
            );
            members.push(Member {
                name,
                gender: gender.to_string(),
                role: role.to_string(),
                from,
            });
        }
        if !(MIN_MEMBERS..=MAX_MEMBERS).contains(&members.len()) {
            e.add("members", "tim.error.size");
        } else if members.iter().filter(|m| m.role == "ketua").count() != 1 {
            e.add("members", "tim.error.one_chair");
        }
        match sk_date {
            Some(sk_date) if e.is_empty() => Ok(Tim {
                sk_number,
                sk_date,
                members,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(n: usize, women: bool) -> Vec<(String, String)> {
        let mut p = vec![
            ("sk_number".to_string(), "141/12/2026".to_string()),
            ("sk_date".to_string(), "2026-07-01".to_string()),
        ];
        for i in 0..n {
            p.push((format!("name_{i}"), format!("Anggota {i}")));
            let g = if women && i % 2 == 1 { "P" } else { "L" };
            p.push((format!("gender_{i}"), g.into()));
            let role = match i {
                0 => "ketua",
                1 => "sekretaris",
                _ => "anggota",
            };
            p.push((format!("role_{i}"), role.into()));
            p.push((format!("from_{i}"), "Perangkat desa".into()));
        }
        p
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    #[test]
    fn seven_to_eleven_members_with_one_chair() {
        let t = TimForm::from_pairs(pairs(7, true).into_iter())
            .validate(today())
            .unwrap();
        assert_eq!(t.members.len(), 7);
        assert!(Tim::has_women(&t.members));
        for n in [6, 0] {
            let e = TimForm::from_pairs(pairs(n, true).into_iter())
                .validate(today())
                .unwrap_err();
            assert_eq!(e.get("members"), Some("tim.error.size"), "{n}");
        }
        // A twelfth row is not even read: the form has eleven.
        let t = TimForm::from_pairs(pairs(12, false).into_iter())
            .validate(today())
            .unwrap();
        assert_eq!(t.members.len(), 11);
        assert!(
            !Tim::has_women(&t.members),
            "the page warns; it does not refuse"
        );
        let mut two_chairs = pairs(8, true);
        two_chairs.push(("role_3".into(), "ketua".into()));
        let e = TimForm::from_pairs(two_chairs.into_iter())
            .validate(today())
            .unwrap_err();
        assert_eq!(e.get("members"), Some("tim.error.one_chair"));
    }

    #[test]
    fn each_member_needs_a_gender_a_role_and_an_origin_and_the_decree_a_date() {
        let mut p = pairs(7, true);
        p.push(("gender_2".into(), "X".into()));
        p.push(("role_4".into(), "bendahara".into()));
        p.push(("from_5".into(), " ".into()));
        p.push(("sk_date".into(), "2027-01-01".into()));
        let e = TimForm::from_pairs(p.into_iter())
            .validate(today())
            .unwrap_err();
        assert_eq!(e.get("gender_2"), Some("error.choose_from_list"));
        assert_eq!(e.get("role_4"), Some("error.choose_from_list"));
        assert_eq!(e.get("from_5"), Some("tim.error.from"));
        assert_eq!(e.get("sk_date"), Some("plan.error.perdes_in_future"));
    }
}
