//! The year's rules on how Dana Desa may be used (the minister's priorities: minimum and
//! maximum shares per focus), and the check of a draft plan against them.
//!
//! For 2025, Permendesa PDT 2/2024 art. 7: at least 20% of the Dana Desa for food security
//! (ketahanan pangan), at most 15% for BLT Desa, at most 3% for the village government's
//! operations. The installation ships those rows (migration 0022); an admin keeps the table
//! for later years.

use serde::{Deserialize, Serialize};

use super::validation::FieldErrors;

/// What a Dana Desa item is spent on (the minister's priority areas, in short).
pub const FOCI: [&str; 9] = [
    "ketahanan_pangan",
    "blt",
    "operasional",
    "iklim",
    "kesehatan",
    "potensi_desa",
    "desa_digital",
    "padat_karya",
    "lainnya",
];

pub fn is_focus(code: &str) -> bool {
    FOCI.contains(&code)
}

/// A share the rule bounds from below or above.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    Min,
    Max,
}

impl Bound {
    pub fn code(self) -> &'static str {
        match self {
            Bound::Min => "min",
            Bound::Max => "max",
        }
    }
    pub fn parse(raw: &str) -> Option<Bound> {
        match raw.trim() {
            "min" => Some(Bound::Min),
            "max" => Some(Bound::Max),
            _ => None,
        }
    }
}

/// One rule of one year: the share of the Dana Desa spent on `focus` is at least (or at
/// most) `percent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub focus: String,
    pub bound: Bound,
    pub percent: i64,
    /// Where the rule comes from (`Permendesa PDT 2/2024 pasal 7`).
    pub source: String,
}

/// A Dana Desa item of the draft as the check sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spending {
    pub number: String,
    pub focus: Option<String>,
    pub cost: i64,
}

/// What the check found for one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    /// The share spent on the focus, in hundredths of a percent (`2050` is 20,50%).
    pub share: i64,
    /// The amount the rule allows at most, or asks at least, in rupiah.
    pub limit: i64,
    pub spent: i64,
    pub breached: bool,
    /// The items of the focus (for a minimum not met, the ones that count towards it).
    pub items: Vec<String>,
}

/// Checks the Dana Desa items of a draft against the year's rules. The share is of the
/// Dana Desa `basis` (the pagu indikatif of Dana Desa; when none is set, what the items
/// spend). Rules are checked in the order given; a plan without Dana Desa breaks no rule.
pub fn check(rules: &[Rule], basis: i64, items: &[Spending]) -> Vec<Finding> {
    let spent_total: i64 = items.iter().map(|i| i.cost).sum();
    let basis = if basis > 0 { basis } else { spent_total };
    rules
        .iter()
        .map(|rule| {
            let of: Vec<&Spending> = items
                .iter()
                .filter(|i| i.focus.as_deref() == Some(rule.focus.as_str()))
                .collect();
            let spent: i64 = of.iter().map(|i| i.cost).sum();
            // limit = basis × percent / 100, rounded down for a maximum, up for a minimum.
            let product = i128::from(basis) * i128::from(rule.percent);
            let limit = match rule.bound {
                Bound::Max => product / 100,
                Bound::Min => (product + 99) / 100,
            };
            let limit = i64::try_from(limit).unwrap_or(i64::MAX);
            let breached = basis > 0
                && match rule.bound {
                    Bound::Max => spent > limit,
                    Bound::Min => spent < limit,
                };
            let share = if basis > 0 {
                i64::try_from(i128::from(spent) * 10_000 / i128::from(basis)).unwrap_or(i64::MAX)
            } else {
                0
            };
            Finding {
                rule: rule.clone(),
                share,
                limit,
                spent,
                breached,
                items: of.iter().map(|i| i.number.clone()).collect(),
            }
        })
        .collect()
}

/// A rule as an admin types it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RuleForm {
    pub year: String,
    pub focus: String,
    pub bound: String,
    pub percent: String,
    pub source: String,
}

impl RuleForm {
    pub fn validate(&self) -> Result<(i64, Rule), FieldErrors> {
        let mut e = FieldErrors::new();
        let year = match self.year.trim().parse::<i64>() {
            Ok(y) if super::apbdes::valid_year(y) => Some(y),
            _ => {
                e.add("year", "plan.error.year");
                None
            }
        };
        if !is_focus(self.focus.trim()) {
            e.add("focus", "error.choose_from_list");
        }
        let bound = Bound::parse(&self.bound);
        if bound.is_none() {
            e.add("bound", "error.choose_from_list");
        }
        let percent = match self
            .percent
            .trim()
            .trim_end_matches('%')
            .trim()
            .parse::<i64>()
        {
            Ok(p) if (0..=100).contains(&p) => Some(p),
            _ => {
                e.add("percent", "dana_desa.error.percent");
                None
            }
        };
        let source = super::validation::text(
            &mut e,
            "source",
            &self.source,
            3,
            200,
            "dana_desa.error.source",
            "error.too_long",
        );
        match (year, bound, percent) {
            (Some(year), Some(bound), Some(percent)) if e.is_empty() => Ok((
                year,
                Rule {
                    focus: self.focus.trim().to_string(),
                    bound,
                    percent,
                    source,
                },
            )),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules_2025() -> Vec<Rule> {
        let r = |focus: &str, bound, percent| Rule {
            focus: focus.into(),
            bound,
            percent,
            source: "Permendesa PDT 2/2024 pasal 7".into(),
        };
        vec![
            r("ketahanan_pangan", Bound::Min, 20),
            r("blt", Bound::Max, 15),
            r("operasional", Bound::Max, 3),
        ]
    }

    fn item(n: &str, focus: Option<&str>, cost: i64) -> Spending {
        Spending {
            number: n.into(),
            focus: focus.map(str::to_string),
            cost,
        }
    }

    #[test]
    fn each_breach_names_its_items() {
        // A pagu of 1 billion: food security needs 200 million, BLT at most 150, operations 30.
        let items = [
            item("2025-001", Some("ketahanan_pangan"), 150_000_000),
            item("2025-002", Some("blt"), 160_000_000),
            item("2025-003", Some("operasional"), 30_000_000),
            item("2025-004", None, 10_000_000),
        ];
        let f = check(&rules_2025(), 1_000_000_000, &items);
        let summary: Vec<(&str, bool, i64, i64)> = f
            .iter()
            .map(|f| (f.rule.focus.as_str(), f.breached, f.share, f.limit))
            .collect();
        assert_eq!(
            summary,
            [
                ("ketahanan_pangan", true, 1500, 200_000_000),
                ("blt", true, 1600, 150_000_000),
                ("operasional", false, 300, 30_000_000),
            ]
        );
        assert_eq!(f[0].items, ["2025-001"]);
        assert_eq!(f[1].items, ["2025-002"]);
    }

    #[test]
    fn exactly_at_the_bound_is_within_it_and_rounding_favours_the_rule() {
        let items = [
            item("1", Some("ketahanan_pangan"), 20),
            item("2", Some("blt"), 15),
        ];
        assert!(
            check(&rules_2025(), 100, &items)
                .iter()
                .all(|f| !f.breached)
        );
        // 20% of 99 is 19,8: 19 is not enough, 20 is.
        let f = check(
            &rules_2025(),
            99,
            &[item("1", Some("ketahanan_pangan"), 19)],
        );
        assert!(f[0].breached);
        let f = check(
            &rules_2025(),
            99,
            &[item("1", Some("ketahanan_pangan"), 20)],
        );
        assert!(!f[0].breached);
    }

    #[test]
    fn without_a_pagu_the_items_are_the_basis_and_without_dana_desa_nothing_breaks() {
        let f = check(
            &rules_2025(),
            0,
            &[item("1", Some("blt"), 50), item("2", Some("lainnya"), 50)],
        );
        assert!(f[1].breached, "BLT is half of what is spent");
        assert!(check(&rules_2025(), 0, &[]).iter().all(|f| !f.breached));
    }

    #[test]
    fn a_rule_form_takes_a_year_a_focus_a_bound_and_a_percent() {
        let form = |focus: &str, bound: &str, percent: &str| RuleForm {
            year: "2026".into(),
            focus: focus.into(),
            bound: bound.into(),
            percent: percent.into(),
            source: "Permendesa 2/2024".into(),
        };
        let (year, rule) = form("blt", "max", "15%").validate().unwrap();
        assert_eq!((year, rule.bound, rule.percent), (2026, Bound::Max, 15));
        let e = form("jalan", "kira", "150").validate().unwrap_err();
        assert_eq!(e.get("focus"), Some("error.choose_from_list"));
        assert_eq!(e.get("bound"), Some("error.choose_from_list"));
        assert_eq!(e.get("percent"), Some("dana_desa.error.percent"));
    }
}
