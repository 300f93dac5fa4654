//! Motors of change (seed 003): the village's cadres and self-starting people — KPMD,
//! kader posyandu, pemuda penggerak — with what they started; a proposal can name the
//! person who drives it.

use super::validation::{self, FieldErrors};

/// What a cadre is, stored as these codes.
pub const ROLES: [&str; 5] = [
    "kpmd",
    "kader_posyandu",
    "pemuda_penggerak",
    "kader_tani",
    "penggerak_lain",
];

/// A cadre as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct CadreForm {
    pub name: String,
    pub role: String,
    pub hamlet: String,
    pub group: String,
    pub since_year: String,
    pub started: String,
    pub version: String,
}

/// A cadre that passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedCadre {
    pub name: String,
    pub role: String,
    pub hamlet: Option<String>,
    pub group: Option<uuid::Uuid>,
    pub since_year: Option<i64>,
    /// What the person started: the initiatives that make them a motor of change.
    pub started: String,
}

impl CadreForm {
    /// The hamlet must be one of the village's, the group one of its groups;
    /// `this_year` bounds the since-when year. What they started is required: it is what
    /// makes a person a motor of change rather than a name on a list.
    pub fn validate(
        &self,
        hamlets: &[String],
        groups: &[uuid::Uuid],
        this_year: i64,
    ) -> Result<CheckedCadre, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = validation::name(&mut e, "name", &self.name);
        let role = self.role.trim();
        if !ROLES.contains(&role) {
            e.add("role", "error.choose_from_list");
        }
        let hamlet = validation::optional_choice(&mut e, "hamlet", &self.hamlet, |h| {
            hamlets.iter().any(|x| x == h)
        });
        let group = validation::optional_id(&mut e, "group", &self.group, groups);
        let since_year =
            validation::optional_year(&mut e, "since_year", &self.since_year, this_year);
        let started = validation::text(
            &mut e,
            "started",
            &self.started,
            10,
            1000,
            "error.cadre_started",
            "error.too_long",
        );
        e.into_result(CheckedCadre {
            name,
            role: role.to_string(),
            hamlet,
            group,
            since_year,
            started,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cadre_is_named_by_what_they_started() {
        let group = uuid::Uuid::from_u128(3);
        let hamlets = vec!["Krajan".to_string()];
        let ok = CadreForm {
            name: " Bu Sarinah ".into(),
            role: "kader_posyandu".into(),
            hamlet: "Krajan".into(),
            group: group.to_string(),
            since_year: "2019".into(),
            started: "Kelas ibu hamil tiap bulan di balai dusun".into(),
            version: String::new(),
        }
        .validate(&hamlets, &[group], 2026)
        .unwrap();
        assert_eq!(ok.name, "Bu Sarinah");
        assert_eq!(ok.group, Some(group));
        assert_eq!(ok.since_year, Some(2019));

        let e = CadreForm {
            name: "S".into(),
            role: "bupati".into(),
            hamlet: "Dusun Lain".into(),
            group: uuid::Uuid::from_u128(9).to_string(),
            since_year: "2090".into(),
            started: "Rajin".into(),
            version: String::new(),
        }
        .validate(&hamlets, &[group], 2026)
        .unwrap_err();
        for field in ["name", "role", "hamlet", "group", "since_year", "started"] {
            assert!(e.get(field).is_some(), "{field}");
        }
        assert_eq!(e.get("started"), Some("error.cadre_started"));
    }
}
