//! The annual plan (RKP Desa): priority criteria and scores, the ranking, the indicative
//! budget ceiling (pagu indikatif) per funding source, the cut-off back to the RPJM Desa
//! backlog, and the DU-RKP list of what is the kabupaten's, province's or state's.
//!
//! Everything here is pure: the store hands in what is recorded, [`build`] returns the
//! plan as shown, exported and — once adopted — frozen.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::apbdes::{RAB, SOURCES, is_authority, is_pattern, is_pelaksana, is_source};
use super::money::{MAX_RUPIAH, Rupiah};
use super::validation::{self, FieldErrors};

/// Criteria a new plan starts with (common musrenbang practice), weights summing to 100.
pub const DEFAULT_CRITERIA: [(&str, i64); 5] = [
    ("Bermanfaat bagi banyak orang", 30),
    ("Mendesak untuk segera dilaksanakan", 25),
    ("Mendukung visi dan misi RPJM Desa", 20),
    ("Dapat dikerjakan dengan sumber daya setempat", 15),
    ("Membantu kelompok rentan", 10),
];
/// Scores run from 1 to this unless the village says otherwise.
pub const DEFAULT_MAX_SCORE: i64 = 5;
pub const MAX_CRITERIA: usize = 10;
const MAX_WEIGHT: i64 = 100;
const MAX_SCORE_LIMIT: i64 = 10;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub id: Uuid,
    pub name: String,
    pub weight: i64,
    pub max_score: i64,
}

/// An accepted proposal as the plan sees it, with what was entered for the plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub proposal_id: Uuid,
    pub number: String,
    /// Year and sequence of the number, for the last tie-break.
    pub order: (i64, i64),
    pub title: String,
    pub bidang: String,
    pub location: String,
    pub volume: String,
    pub beneficiaries: String,
    pub months: Option<(u32, u32)>,
    pub cost: Option<i64>,
    pub source: Option<String>,
    pub pattern: Option<String>,
    pub implementer: Option<String>,
    /// `None`: the village's own; else the kabupaten's, province's or state's ([`AUTHORITIES`]).
    #[serde(default)]
    pub authority: Option<String>,
    /// What a Dana Desa item is spent on ([`super::dana_desa::FOCI`]).
    #[serde(default)]
    pub focus: Option<String>,
    /// Beneficiaries: men, women, poor households.
    #[serde(default)]
    pub men: Option<i64>,
    #[serde(default)]
    pub women: Option<i64>,
    #[serde(default)]
    pub poor: Option<i64>,
    /// The responsible Kasi or Kaur ([`super::apbdes::PELAKSANA`]), and whether with the TPK.
    #[serde(default)]
    pub pelaksana: Option<String>,
    #[serde(default)]
    pub tpk: bool,
    /// The tim verifikasi's check of the activity's RAB ([`RAB`]); none: not checked yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rab: Option<String>,
    /// The kegiatan code of Permendagri 20/2018 ([`super::kegiatan`]); none: not chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kegiatan: Option<String>,
    /// Parts of the cost paid by other sources than `source`, which pays the rest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shares: Vec<(String, i64)>,
    pub supports: i64,
    /// Per criterion, in the criteria's order.
    pub scores: Vec<Option<i64>>,
}

impl Candidate {
    /// The cost split over its sources: the main source pays what the other shares leave.
    pub fn parts(&self) -> Vec<(String, i64)> {
        let (Some(source), Some(cost)) = (&self.source, self.cost) else {
            return Vec::new();
        };
        let others: i64 = self.shares.iter().map(|(_, a)| a).sum();
        let mut parts = vec![(source.clone(), cost - others)];
        parts.extend(self.shares.iter().cloned());
        parts
    }
}

/// Where a proposal lands in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// Funded within the ceiling of its source: in the RKP Desa.
    Rkp,
    /// The village's own, ranked, but the ceiling of its source is spent: back to the RPJM
    /// Desa backlog for a later year.
    Rpjm,
    /// The kabupaten's, province's or state's: in the DU-RKP list sent up through the camat.
    DuRkp,
    /// Cost or funding source missing: cannot be placed yet.
    Incomplete,
}

impl Placement {
    pub fn code(self) -> &'static str {
        match self {
            Placement::Rkp => "rkp",
            Placement::Rpjm => "rpjm",
            Placement::DuRkp => "du_rkp",
            Placement::Incomplete => "incomplete",
        }
    }
}

/// A candidate in its place: rank, score, list, and what it still misses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub rank: usize,
    #[serde(flatten)]
    pub proposal: Candidate,
    /// The weighted score out of 100, in hundredths (`8250` is 82,50).
    pub score: i64,
    pub placement: Placement,
    /// Catalogue keys of what is still to be entered.
    pub missing: Vec<String>,
}

impl std::ops::Deref for Item {
    type Target = Candidate;
    fn deref(&self) -> &Candidate {
        &self.proposal
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceTotal {
    pub source: String,
    pub ceiling: i64,
    pub funded: i64,
    pub remaining: i64,
    /// What this source could not fund: back to the RPJM Desa.
    #[serde(default)]
    pub rpjm: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BidangTotal {
    pub bidang: String,
    pub count: usize,
    pub funded: i64,
    #[serde(default)]
    pub rpjm: i64,
    #[serde(default)]
    pub du_rkp: i64,
}

/// The plan as shown, exported and frozen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub criteria: Vec<Criterion>,
    pub items: Vec<Item>,
    pub sources: Vec<SourceTotal>,
    pub bidang: Vec<BidangTotal>,
    pub funded: i64,
    /// The village's own items the pagu could not fund, back to the RPJM Desa.
    #[serde(default)]
    pub rpjm: i64,
    /// The DU-RKP's items, at their estimated cost.
    pub du_rkp: i64,
    pub ceiling: i64,
    /// The standing items of bidang 01 the year carries, paid before any proposal (part of
    /// `funded` and of the RKP Desa's bidang 01).
    #[serde(default)]
    pub standing: Vec<super::standing::Standing>,
}

impl Plan {
    pub fn in_rkp(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| i.placement == Placement::Rkp)
    }
    pub fn in_rpjm(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| i.placement == Placement::Rpjm)
    }
    pub fn in_du_rkp(&self) -> impl Iterator<Item = &Item> {
        self.items
            .iter()
            .filter(|i| i.placement == Placement::DuRkp)
    }
    /// The Dana Desa the RKP Desa spends, item by item, and the basis of the year's rules:
    /// the pagu indikatif of Dana Desa.
    pub fn dana_desa(&self) -> (i64, Vec<super::dana_desa::Spending>) {
        let basis = self
            .sources
            .iter()
            .find(|s| s.source == "dd")
            .map_or(0, |s| s.ceiling);
        let standing =
            self.standing
                .iter()
                .filter(|s| s.source == "dd")
                .map(|s| super::dana_desa::Spending {
                    number: s.kegiatan.clone(),
                    focus: s.focus.clone(),
                    cost: s.cost,
                });
        let items = standing
            .chain(self.in_rkp().filter_map(|i| {
                let dd: i64 = i
                    .parts()
                    .iter()
                    .filter(|(s, _)| s == "dd")
                    .map(|(_, a)| a)
                    .sum();
                (dd > 0).then(|| super::dana_desa::Spending {
                    number: i.number.clone(),
                    focus: i.focus.clone(),
                    cost: dd,
                })
            }))
            .collect();
        (basis, items)
    }
    /// Items that still miss something; a plan with any cannot be adopted.
    pub fn incomplete(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| !i.missing.is_empty())
    }
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The exact weighted score, scaled by a common multiple of the criteria's maxima so that
/// two proposals compare without rounding: Σ weight × score × (L / max).
fn exact_score(criteria: &[Criterion], scores: &[Option<i64>], l: i64) -> i64 {
    criteria
        .iter()
        .zip(scores.iter().chain(std::iter::repeat(&None)))
        .map(|(c, s)| c.weight * s.unwrap_or(0) * (l / c.max_score.max(1)))
        .sum()
}

/// Ranks the candidates and places them against the ceilings.
///
/// Ranking: the weighted score, highest first (each criterion's score divided by its
/// maximum, times its weight); ties go to more supports, then to the older number.
/// Funding: in rank order, each source pays for the village's own proposals until the next
/// one does not fit; from then on every later proposal of that source goes back to the
/// RPJM Desa, so a lower priority never takes money ahead of a higher one. What is left of
/// a ceiling is shown. Items that are the kabupaten's, province's or state's go to the
/// DU-RKP and take nothing from the village's ceilings.
pub fn build(
    criteria: Vec<Criterion>,
    ceilings: &[(String, i64)],
    candidates: Vec<Candidate>,
) -> Plan {
    build_with(criteria, ceilings, Vec::new(), candidates)
}

/// [`build`], with the year's standing items of bidang 01 paid first from their sources.
pub fn build_with(
    criteria: Vec<Criterion>,
    ceilings: &[(String, i64)],
    standing: Vec<super::standing::Standing>,
    candidates: Vec<Candidate>,
) -> Plan {
    let l = criteria
        .iter()
        .map(|c| c.max_score.max(1))
        .fold(1, |acc, m| acc / gcd(acc, m) * m);
    let total_weight: i64 = criteria.iter().map(|c| c.weight).sum();
    let mut scored: Vec<(i64, Candidate)> = candidates
        .into_iter()
        .map(|c| (exact_score(&criteria, &c.scores, l), c))
        .collect();
    scored.sort_by(|(sa, a), (sb, b)| {
        sb.cmp(sa)
            .then(b.supports.cmp(&a.supports))
            .then(a.order.cmp(&b.order))
    });
    let ceiling_of = |s: &str| {
        ceilings
            .iter()
            .find(|(src, _)| src == s)
            .map_or(0, |(_, a)| *a)
    };
    let mut spent: Vec<(String, i64, bool)> = Vec::new();
    for s in &standing {
        match spent.iter_mut().find(|(src, _, _)| *src == s.source) {
            Some((_, used, _)) => *used += s.cost,
            None => spent.push((s.source.clone(), s.cost, false)),
        }
    }
    let standing_of = |src: &str| -> i64 {
        standing
            .iter()
            .filter(|s| s.source == src)
            .map(|s| s.cost)
            .sum()
    };
    let mut items = Vec::with_capacity(scored.len());
    for (rank, (exact, c)) in scored.into_iter().enumerate() {
        let mut missing = Vec::new();
        if c.cost.is_none() {
            missing.push("plan.missing.cost".to_string());
        }
        // The DU-RKP asks the kabupaten to fund and carry it out: no village source.
        let own = c.authority.is_none();
        if own && c.source.is_none() {
            missing.push("plan.missing.source".to_string());
        }
        if own && c.pattern.is_none() {
            missing.push("plan.missing.pattern".to_string());
        }
        if own && c.parts().iter().any(|(s, _)| s == "dd") && c.focus.is_none() {
            missing.push("plan.missing.focus".to_string());
        }
        if c.scores.len() < criteria.len() || c.scores.iter().any(Option::is_none) {
            missing.push("plan.missing.scores".to_string());
        }
        let placement = match (&c.source, c.cost) {
            (_, Some(_)) if !own => Placement::DuRkp,
            (Some(_), Some(_)) => {
                // Every source it draws on must still have room for its part.
                let mut fits = true;
                for (source, part) in c.parts() {
                    let idx = spent
                        .iter()
                        .position(|(s, _, _)| *s == source)
                        .unwrap_or_else(|| {
                            spent.push((source.clone(), 0, false));
                            spent.len() - 1
                        });
                    let (_, used, closed) = &mut spent[idx];
                    if *closed || *used + part > ceiling_of(&source) {
                        *closed = true;
                        fits = false;
                    }
                }
                if fits {
                    for (source, part) in c.parts() {
                        if let Some((_, used, _)) = spent.iter_mut().find(|(s, _, _)| *s == source)
                        {
                            *used += part;
                        }
                    }
                    Placement::Rkp
                } else {
                    Placement::Rpjm
                }
            }
            _ => Placement::Incomplete,
        };
        let score = if total_weight == 0 {
            0
        } else {
            // Out of 100, in hundredths, rounded half up.
            (exact * 10_000 * 2 / (l * total_weight) + 1) / 2
        };
        items.push(Item {
            rank: rank + 1,
            proposal: c,
            score,
            placement,
            missing,
        });
    }
    let sum = |it: &mut dyn Iterator<Item = &Item>| it.filter_map(|i| i.cost).sum::<i64>();
    let sources = SOURCES
        .iter()
        .map(|s| {
            let of = |p: Placement| -> i64 {
                items
                    .iter()
                    .filter(|i| i.placement == p)
                    .flat_map(|i| i.parts())
                    .filter(|(src, _)| src == s)
                    .map(|(_, a)| a)
                    .sum()
            };
            let funded = of(Placement::Rkp) + standing_of(s);
            SourceTotal {
                source: s.to_string(),
                ceiling: ceiling_of(s),
                funded,
                remaining: ceiling_of(s) - funded,
                rpjm: of(Placement::Rpjm),
            }
        })
        .filter(|t| t.ceiling > 0 || t.funded > 0 || t.rpjm > 0)
        .collect();
    let bidang = ["01", "02", "03", "04", "05"]
        .iter()
        .map(|b| {
            let of = |p: Placement| {
                sum(&mut items.iter().filter(|i| i.placement == p && i.bidang == *b))
            };
            let fixed: Vec<&super::standing::Standing> =
                standing.iter().filter(|s| s.bidang() == *b).collect();
            BidangTotal {
                bidang: b.to_string(),
                count: items.iter().filter(|i| i.bidang == *b).count() + fixed.len(),
                funded: of(Placement::Rkp) + fixed.iter().map(|s| s.cost).sum::<i64>(),
                rpjm: of(Placement::Rpjm),
                du_rkp: of(Placement::DuRkp),
            }
        })
        .filter(|t| t.count > 0)
        .collect();
    let funded = sum(&mut items.iter().filter(|i| i.placement == Placement::Rkp))
        + standing.iter().map(|s| s.cost).sum::<i64>();
    let rpjm = sum(&mut items.iter().filter(|i| i.placement == Placement::Rpjm));
    let du_rkp = sum(&mut items.iter().filter(|i| i.placement == Placement::DuRkp));
    Plan {
        criteria,
        items,
        sources,
        bidang,
        funded,
        rpjm,
        du_rkp,
        ceiling: ceilings.iter().map(|(_, a)| a).sum(),
        standing,
    }
}

/// Field names of the numbered rows of the criteria form and the item form (static, so
/// that errors can name them).
const NAME: [&str; MAX_CRITERIA + 1] = [
    "name_0", "name_1", "name_2", "name_3", "name_4", "name_5", "name_6", "name_7", "name_8",
    "name_9", "name_10",
];
const WEIGHT: [&str; MAX_CRITERIA + 1] = [
    "weight_0",
    "weight_1",
    "weight_2",
    "weight_3",
    "weight_4",
    "weight_5",
    "weight_6",
    "weight_7",
    "weight_8",
    "weight_9",
    "weight_10",
];
const MAX: [&str; MAX_CRITERIA + 1] = [
    "max_0", "max_1", "max_2", "max_3", "max_4", "max_5", "max_6", "max_7", "max_8", "max_9",
    "max_10",
];
pub const SCORE: [&str; MAX_CRITERIA] = [
    "score_0", "score_1", "score_2", "score_3", "score_4", "score_5", "score_6", "score_7",
    "score_8", "score_9",
];

/// The field of a criterion's maximum score in the criteria form's row `row`.
pub fn max_field(row: usize) -> &'static str {
    MAX.get(row).copied().unwrap_or(MAX[0])
}

/// The row index of a numbered field such as `weight_3`.
fn row_of(key: &str, prefix: &str) -> Option<usize> {
    key.strip_prefix(prefix)?
        .strip_prefix('_')?
        .parse()
        .ok()
        .filter(|i| *i <= MAX_CRITERIA)
}

/// One row of the criteria form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CriterionRow {
    /// Empty for a new row.
    pub id: String,
    pub name: String,
    pub weight: String,
    pub max: String,
    pub remove: bool,
}

/// A criterion as it will be stored: `id` is `None` for a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionInput {
    /// The form row it came from, for messages.
    pub row: usize,
    pub id: Option<Uuid>,
    pub name: String,
    pub weight: i64,
    pub max_score: i64,
}

/// The criteria form: numbered rows, the existing ones first, then one empty row.
#[derive(Debug, Clone, Default)]
pub struct CriteriaForm {
    pub rows: Vec<CriterionRow>,
    pub version: String,
}

impl CriteriaForm {
    pub fn of(criteria: &[Criterion], version: i64) -> CriteriaForm {
        let mut rows: Vec<CriterionRow> = criteria
            .iter()
            .map(|c| CriterionRow {
                id: c.id.to_string(),
                name: c.name.clone(),
                weight: c.weight.to_string(),
                max: c.max_score.to_string(),
                remove: false,
            })
            .collect();
        if rows.len() < MAX_CRITERIA {
            rows.push(CriterionRow {
                max: DEFAULT_MAX_SCORE.to_string(),
                ..CriterionRow::default()
            });
        }
        CriteriaForm {
            rows,
            version: version.to_string(),
        }
    }

    pub fn from_pairs<K: AsRef<str>>(pairs: impl Iterator<Item = (K, String)>) -> CriteriaForm {
        let mut f = CriteriaForm::default();
        for (k, v) in pairs {
            let k = k.as_ref();
            if k == "version" {
                f.version = v;
                continue;
            }
            let Some((prefix, _)) = k.split_once('_') else {
                continue;
            };
            let Some(i) = row_of(k, prefix) else {
                continue;
            };
            if f.rows.len() <= i {
                f.rows.resize(i + 1, CriterionRow::default());
            }
            let row = &mut f.rows[i];
            match prefix {
                "id" => row.id = v,
                "name" => row.name = v,
                "weight" => row.weight = v,
                "max" => row.max = v,
                "remove" => row.remove = matches!(v.as_str(), "on" | "1" | "true"),
                _ => {}
            }
        }
        f
    }

    /// The criteria to keep, in order. A new row left empty is ignored; a row marked for
    /// removal is dropped (its scores go with it).
    pub fn validate(&self, known: &[Uuid]) -> Result<Vec<CriterionInput>, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut out: Vec<CriterionInput> = Vec::new();
        for (i, row) in self.rows.iter().enumerate() {
            let id = match row.id.trim() {
                "" => None,
                raw => match raw.parse::<Uuid>() {
                    Ok(id) if known.contains(&id) => Some(id),
                    _ => {
                        e.add(NAME[i], "error.stale_list");
                        continue;
                    }
                },
            };
            let blank = row.name.trim().is_empty() && row.weight.trim().is_empty();
            if row.remove || (id.is_none() && blank) {
                continue;
            }
            let name = validation::text(
                &mut e,
                NAME[i],
                &row.name,
                3,
                120,
                "error.required",
                "error.too_long",
            );
            if out
                .iter()
                .any(|c| c.name.to_lowercase() == name.to_lowercase())
            {
                e.add(NAME[i], "plan.error.criterion_twice");
            }
            let weight = match row.weight.trim().parse::<i64>() {
                Ok(w) if (0..=MAX_WEIGHT).contains(&w) => w,
                _ => {
                    e.add(WEIGHT[i], "plan.error.weight");
                    0
                }
            };
            let max_score = match row.max.trim().parse::<i64>() {
                Ok(m) if (2..=MAX_SCORE_LIMIT).contains(&m) => m,
                _ => {
                    e.add(MAX[i], "plan.error.max_score");
                    DEFAULT_MAX_SCORE
                }
            };
            out.push(CriterionInput {
                row: i,
                id,
                name,
                weight,
                max_score,
            });
        }
        if e.is_empty() && !out.iter().any(|c| c.weight > 0) {
            e.add(WEIGHT[0], "plan.error.no_weight");
        }
        if out.len() > MAX_CRITERIA {
            e.add(NAME[MAX_CRITERIA], "plan.error.too_many_criteria");
        }
        e.into_result(out)
    }
}

/// The pagu form: one amount per funding source, whole rupiah; empty is zero.
#[derive(Debug, Clone, Default)]
pub struct CeilingForm {
    pub amounts: Vec<(String, String)>,
    pub version: String,
}

/// The field of a source's amount in the pagu form.
pub fn ceiling_field(source: &str) -> &'static str {
    const FIELDS: [&str; 8] = [
        "pagu_dd",
        "pagu_add",
        "pagu_pades",
        "pagu_bhp",
        "pagu_bkp",
        "pagu_bkk",
        "pagu_hibah",
        "pagu_swadaya",
    ];
    SOURCES
        .iter()
        .position(|s| *s == source)
        .map_or("pagu", |i| FIELDS[i])
}

impl CeilingForm {
    pub fn of(ceilings: &[(String, i64)], version: i64) -> CeilingForm {
        CeilingForm {
            amounts: SOURCES
                .iter()
                .map(|s| {
                    let a = ceilings.iter().find(|(src, _)| src == s).map(|(_, a)| *a);
                    (
                        s.to_string(),
                        a.map(super::money::group_thousands).unwrap_or_default(),
                    )
                })
                .collect(),
            version: version.to_string(),
        }
    }

    pub fn from_pairs<K: AsRef<str>>(pairs: impl Iterator<Item = (K, String)>) -> CeilingForm {
        let mut f = CeilingForm {
            amounts: SOURCES
                .iter()
                .map(|s| (s.to_string(), String::new()))
                .collect(),
            version: String::new(),
        };
        for (k, v) in pairs {
            let k = k.as_ref();
            if k == "version" {
                f.version = v;
            } else if let Some(src) = k.strip_prefix("pagu_")
                && let Some(slot) = f.amounts.iter_mut().find(|(s, _)| s == src)
            {
                slot.1 = v;
            }
        }
        f
    }

    pub fn amount(&self, source: &str) -> &str {
        self.amounts
            .iter()
            .find(|(s, _)| s == source)
            .map_or("", |(_, a)| a.as_str())
    }

    /// Every source with its amount; a negative, fractional or non-numeric amount is refused.
    pub fn validate(&self) -> Result<Vec<(String, i64)>, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut out = Vec::new();
        for (source, raw) in &self.amounts {
            match raw.trim() {
                "" => out.push((source.clone(), 0)),
                raw => match Rupiah::parse(raw) {
                    Some(r) => out.push((source.clone(), r.get())),
                    None => e.add(ceiling_field(source), "plan.error.amount"),
                },
            }
        }
        e.into_result(out)
    }
}

/// The form of one proposal in the plan: its scores and the RKP columns.
#[derive(Debug, Clone, Default)]
pub struct ItemForm {
    /// The criterion each numbered score is for (hidden fields), so that a criteria change
    /// between loading and sending is noticed.
    pub criteria: Vec<String>,
    pub scores: Vec<String>,
    pub cost: String,
    pub source: String,
    pub pattern: String,
    /// `desa` (or empty) for the village's own; else one of [`AUTHORITIES`].
    pub authority: String,
    /// For a Dana Desa item: one of [`super::dana_desa::FOCI`].
    pub focus: String,
    pub men: String,
    pub women: String,
    pub poor: String,
    pub pelaksana: String,
    /// `1` when the Tim Pelaksana Kegiatan carries it out.
    pub tpk: String,
    /// The tim verifikasi's check of the RAB: empty, or one of [`RAB`].
    pub rab: String,
    /// The kegiatan code of Permendagri 20/2018 ([`super::kegiatan`]).
    pub kegiatan: String,
    /// Up to two parts of the cost paid by other sources: (source, amount).
    pub shares: [(String, String); 2],
    pub volume: String,
    pub beneficiaries: String,
    pub start_month: String,
    pub end_month: String,
    pub version: String,
}

/// What one proposal's plan form stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemInput {
    pub scores: Vec<(Uuid, Option<i64>)>,
    pub cost: Option<i64>,
    pub source: Option<String>,
    pub pattern: Option<String>,
    pub authority: Option<String>,
    pub focus: Option<String>,
    /// Men, women, poor households.
    pub people: (Option<i64>, Option<i64>, Option<i64>),
    pub pelaksana: Option<String>,
    pub tpk: bool,
    pub rab: Option<String>,
    pub kegiatan: Option<String>,
    /// Parts of the cost other sources pay; `source` pays the rest.
    pub shares: Vec<(String, i64)>,
    pub volume: Option<String>,
    pub beneficiaries: Option<String>,
    pub months: Option<(u32, u32)>,
}

/// The fields of the item form's extra cost shares: (source, amount), first and second.
pub const SHARE_FIELDS: [(&str, &str); 2] = [
    ("share_source_1", "share_amount_1"),
    ("share_source_2", "share_amount_2"),
];

impl ItemForm {
    pub fn from_pairs<K: AsRef<str>>(pairs: impl Iterator<Item = (K, String)>) -> ItemForm {
        let mut f = ItemForm::default();
        let put = |list: &mut Vec<String>, i: usize, v: String| {
            if list.len() <= i {
                list.resize(i + 1, String::new());
            }
            list[i] = v;
        };
        for (k, v) in pairs {
            let k = k.as_ref();
            match k {
                "cost" => f.cost = v,
                "source" => f.source = v,
                "pattern" => f.pattern = v,
                "authority" => f.authority = v,
                "focus" => f.focus = v,
                "men" => f.men = v,
                "women" => f.women = v,
                "poor" => f.poor = v,
                "pelaksana" => f.pelaksana = v,
                "tpk" => f.tpk = v,
                "rab" => f.rab = v,
                "kegiatan" => f.kegiatan = v,
                "share_source_1" => f.shares[0].0 = v,
                "share_amount_1" => f.shares[0].1 = v,
                "share_source_2" => f.shares[1].0 = v,
                "share_amount_2" => f.shares[1].1 = v,
                "volume" => f.volume = v,
                "beneficiaries" => f.beneficiaries = v,
                "start_month" => f.start_month = v,
                "end_month" => f.end_month = v,
                "version" => f.version = v,
                _ => {
                    if let Some(i) = row_of(k, "criterion").filter(|i| *i < MAX_CRITERIA) {
                        put(&mut f.criteria, i, v);
                    } else if let Some(i) = row_of(k, "score").filter(|i| *i < MAX_CRITERIA) {
                        put(&mut f.scores, i, v);
                    }
                }
            }
        }
        f
    }

    pub fn score(&self, i: &usize) -> &str {
        self.scores.get(*i).map_or("", String::as_str)
    }

    /// Checks the form against the plan's current criteria. `Err(None)` means the form was
    /// made for other criteria (stale); `Err(Some(errors))` lists what is wrong. `estimate`
    /// is the cost the item has when the form leaves it empty (the proposal's estimate).
    pub fn validate(
        &self,
        criteria: &[Criterion],
        estimate: Option<i64>,
    ) -> Result<ItemInput, Option<FieldErrors>> {
        let sent: Vec<&str> = self.criteria.iter().map(|s| s.trim()).collect();
        let current: Vec<String> = criteria.iter().map(|c| c.id.to_string()).collect();
        if sent != current {
            return Err(None);
        }
        let mut e = FieldErrors::new();
        let mut scores = Vec::with_capacity(criteria.len());
        for (i, c) in criteria.iter().enumerate() {
            let score = match self.score(&i).trim() {
                "" => None,
                raw => match raw.parse::<i64>() {
                    Ok(s) if (1..=c.max_score).contains(&s) => Some(s),
                    _ => {
                        e.add(SCORE[i], "plan.error.score");
                        None
                    }
                },
            };
            scores.push((c.id, score));
        }
        let cost = match self.cost.trim() {
            "" => None,
            raw => match Rupiah::parse(raw) {
                Some(r) if r.get() <= MAX_RUPIAH => Some(r.get()),
                _ => {
                    e.add("cost", "plan.error.amount");
                    None
                }
            },
        };
        let source = validation::optional_choice(&mut e, "source", &self.source, is_source);
        let pattern = validation::optional_choice(&mut e, "pattern", &self.pattern, is_pattern);
        let authority = match self.authority.trim() {
            "desa" => None,
            raw => validation::optional_choice(&mut e, "authority", raw, is_authority),
        };
        let focus =
            validation::optional_choice(&mut e, "focus", &self.focus, super::dana_desa::is_focus)
                // Only a Dana Desa item of the village's own has a focus.
                .filter(|_| source.as_deref() == Some("dd") && authority.is_none());
        let people = (
            validation::optional_count(&mut e, "men", &self.men, 10_000_000),
            validation::optional_count(&mut e, "women", &self.women, 10_000_000),
            validation::optional_count(&mut e, "poor", &self.poor, 10_000_000),
        );
        let pelaksana =
            validation::optional_choice(&mut e, "pelaksana", &self.pelaksana, is_pelaksana);
        let tpk = matches!(self.tpk.trim(), "1" | "on" | "ya");
        let rab = validation::optional_choice(&mut e, "rab", &self.rab, |r| RAB.contains(&r));
        // The regulation's code places the activity in its bidang, whatever bidang the
        // proposer chose.
        let kegiatan = match self.kegiatan.trim() {
            "" => None,
            code if super::kegiatan::is_kegiatan(code) => Some(code.to_string()),
            _ => {
                e.add("kegiatan", "plan.error.kegiatan_unknown");
                None
            }
        };
        let mut shares: Vec<(String, i64)> = Vec::new();
        for ((src, amount), (src_field, amount_field)) in self.shares.iter().zip(SHARE_FIELDS) {
            let (src, amount) = (src.trim(), amount.trim());
            if src.is_empty() && amount.is_empty() {
                continue;
            }
            if !is_source(src) {
                e.add(src_field, "error.choose_from_list");
            } else if Some(src) == source.as_deref() || shares.iter().any(|(s, _)| s == src) {
                e.add(src_field, "plan.error.share_same_source");
            }
            match Rupiah::parse(amount) {
                Some(r) if r.get() > 0 && r.get() <= MAX_RUPIAH => {
                    shares.push((src.to_string(), r.get()));
                }
                _ => e.add(amount_field, "plan.error.share_amount"),
            }
        }
        let others: i64 = shares.iter().map(|(_, a)| a).sum();
        if !shares.is_empty() {
            match (cost.or(estimate), &source) {
                (Some(c), Some(_)) if others < c => {}
                (Some(_), Some(_)) => e.add(SHARE_FIELDS[0].1, "plan.error.shares_exceed"),
                _ => e.add(SHARE_FIELDS[0].0, "plan.error.shares_need_cost"),
            }
        }
        // What the kabupaten funds has no village shares.
        if authority.is_some() {
            shares.clear();
        }
        let volume = validation::optional_text(&mut e, "volume", &self.volume, 120);
        let beneficiaries =
            validation::optional_text(&mut e, "beneficiaries", &self.beneficiaries, 200);
        let month = |e: &mut FieldErrors, field, raw: &str| match raw.trim() {
            "" => None,
            raw => match raw.parse::<u32>() {
                Ok(m) if (1..=12).contains(&m) => Some(m),
                _ => {
                    e.add(field, "error.choose_from_list");
                    None
                }
            },
        };
        let start = month(&mut e, "start_month", &self.start_month);
        let end = month(&mut e, "end_month", &self.end_month);
        let months = match (start, end) {
            (Some(s), Some(t)) if t < s => {
                e.add("end_month", "plan.error.months");
                None
            }
            (Some(s), Some(t)) => Some((s, t)),
            (Some(s), None) => Some((s, s)),
            (None, Some(_)) => {
                e.add("start_month", "plan.error.start_month");
                None
            }
            (None, None) => None,
        };
        e.into_result(ItemInput {
            scores,
            cost,
            source,
            pattern,
            authority,
            focus,
            people,
            pelaksana,
            tpk,
            rab,
            kegiatan,
            shares,
            volume,
            beneficiaries,
            months,
        })
        .map_err(Some)
    }
}

/// The Peraturan Desa that sets a plan, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PerdesForm {
    /// `3 Tahun 2026`.
    pub number: String,
    /// `YYYY-MM-DD`.
    pub date: String,
}

/// A Peraturan Desa as recorded with the plan it sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Perdes {
    pub number: String,
    pub date: chrono::NaiveDate,
}

impl PerdesForm {
    /// A number and a date no earlier than the Musrenbangdes that agreed the draft
    /// (`agreed_on`) and no later than `today`. (A Perdes is by law agreed by the kepala
    /// desa and the BPD; recording it states that.)
    pub fn validate(
        &self,
        agreed_on: chrono::NaiveDate,
        today: chrono::NaiveDate,
    ) -> Result<Perdes, FieldErrors> {
        let mut e = FieldErrors::new();
        let number = validation::text(
            &mut e,
            "number",
            &self.number,
            1,
            60,
            "plan.error.perdes_number",
            "error.too_long",
        );
        let date = chrono::NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d").ok();
        match date {
            None => e.add("date", "error.date"),
            Some(d) if d < agreed_on => e.add("date", "plan.error.perdes_before_musrenbangdes"),
            Some(d) if d > today => e.add("date", "plan.error.perdes_in_future"),
            Some(_) => {}
        }
        match date {
            Some(date) if e.is_empty() => Ok(Perdes { number, date }),
            _ => Err(e),
        }
    }
}

/// Why a set RKP Desa is amended (*perubahan RKP Desa*, Permendagri 114/2014): a special
/// event (natural disaster, a lasting political or economic crisis or social unrest), or a
/// fundamental change in the policy of the state, the province or the kabupaten.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmendGround {
    PeristiwaKhusus,
    Kebijakan,
}

impl AmendGround {
    pub const ALL: [AmendGround; 2] = [AmendGround::PeristiwaKhusus, AmendGround::Kebijakan];
    pub fn code(self) -> &'static str {
        match self {
            AmendGround::PeristiwaKhusus => "peristiwa_khusus",
            AmendGround::Kebijakan => "kebijakan",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.code() == s)
    }
}

/// The opening of an amendment, as typed: its ground and the reason in words.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AmendForm {
    pub ground: String,
    pub reason: String,
}

impl AmendForm {
    /// A known ground and a reason of 10 to 2000 characters.
    pub fn validate(&self) -> Result<(AmendGround, String), FieldErrors> {
        let mut e = FieldErrors::new();
        let ground = AmendGround::parse(self.ground.trim());
        if ground.is_none() {
            e.add("ground", "plan.error.amend_ground");
        }
        let reason = validation::text(
            &mut e,
            "reason",
            &self.reason,
            10,
            2000,
            "plan.error.amend_reason",
            "error.too_long",
        );
        match ground {
            Some(g) if e.is_empty() => Ok((g, reason)),
            _ => Err(e),
        }
    }
}

/// The kecamatan's answer to one DU-RKP item, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DuRkpAnswerForm {
    /// `accommodated` or `not_accommodated`.
    pub answer: String,
    pub reason: String,
}

/// What the musrenbang kecamatan made of a DU-RKP item.
pub const ANSWERS: [&str; 2] = ["accommodated", "not_accommodated"];

/// A checked answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuRkpAnswer {
    pub answer: &'static str,
    pub reason: String,
}

impl DuRkpAnswerForm {
    /// One of [`ANSWERS`] and the reason (the resident reads why).
    pub fn validate(&self) -> Result<DuRkpAnswer, FieldErrors> {
        let mut e = FieldErrors::new();
        let answer = ANSWERS.iter().find(|a| **a == self.answer.trim()).copied();
        if answer.is_none() {
            e.add("answer", "error.choose_from_list");
        }
        let reason = validation::text(
            &mut e,
            "reason",
            &self.reason,
            3,
            1000,
            "du_rkp.error.reason",
            "error.too_long",
        );
        match answer {
            Some(answer) if e.is_empty() => Ok(DuRkpAnswer { answer, reason }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_du_rkp_answer_is_one_of_two_and_says_why() {
        let form = |a: &str, r: &str| DuRkpAnswerForm {
            answer: a.into(),
            reason: r.into(),
        };
        let ok = form("accommodated", "  Masuk Renja Dinas PU 2027 ")
            .validate()
            .unwrap();
        assert_eq!(
            (ok.answer, ok.reason.as_str()),
            ("accommodated", "Masuk Renja Dinas PU 2027")
        );
        let e = form("maybe", "").validate().unwrap_err();
        assert_eq!(e.get("answer"), Some("error.choose_from_list"));
        assert_eq!(e.get("reason"), Some("du_rkp.error.reason"));
        let e = form("not_accommodated", &"x".repeat(1001))
            .validate()
            .unwrap_err();
        assert_eq!(e.get("reason"), Some("error.too_long"));
    }

    #[test]
    fn a_perdes_follows_the_musrenbangdes_and_is_not_dated_ahead() {
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let (agreed, today) = (day("2026-09-08"), day("2026-11-26"));
        let form = |number: &str, date: &str, _: &str| PerdesForm {
            number: number.into(),
            date: date.into(),
        };
        let p = form(" 3 Tahun 2026 ", "2026-09-30", "on")
            .validate(agreed, today)
            .unwrap();
        assert_eq!(
            (p.number.as_str(), p.date),
            ("3 Tahun 2026", day("2026-09-30"))
        );
        assert!(
            form("3", "2026-09-08", "on")
                .validate(agreed, today)
                .is_ok(),
            "the same day"
        );
        let e = form("", "2026-09-01", "")
            .validate(agreed, today)
            .unwrap_err();
        assert_eq!(
            e.get("date"),
            Some("plan.error.perdes_before_musrenbangdes")
        );
        assert!(e.get("number").is_some());
        let e = form("3", "2026-12-01", "on")
            .validate(agreed, today)
            .unwrap_err();
        assert_eq!(e.get("date"), Some("plan.error.perdes_in_future"));
        let e = form("3", "30-09-2026", "on")
            .validate(agreed, today)
            .unwrap_err();
        assert_eq!(e.get("date"), Some("error.date"));
    }

    use super::*;

    fn criteria(spec: &[(i64, i64)]) -> Vec<Criterion> {
        spec.iter()
            .enumerate()
            .map(|(i, (w, m))| Criterion {
                id: Uuid::from_u128(i as u128 + 1),
                name: format!("K{i}"),
                weight: *w,
                max_score: *m,
            })
            .collect()
    }

    fn cand(n: i64, scores: &[i64], supports: i64, cost: i64, source: &str) -> Candidate {
        Candidate {
            proposal_id: Uuid::from_u128(100 + n as u128),
            number: format!("2026-{n:03}"),
            order: (2026, n),
            title: format!("Usulan {n}"),
            bidang: "02".into(),
            cost: Some(cost),
            source: Some(source.into()),
            pattern: Some("swakelola".into()),
            supports,
            scores: scores.iter().map(|s| Some(*s)).collect(),
            ..Candidate::default()
        }
    }

    fn ranked(plan: &Plan) -> Vec<&str> {
        plan.items.iter().map(|i| i.number.as_str()).collect()
    }

    #[test]
    fn ranks_by_weighted_score_out_of_100() {
        let c = criteria(&[(60, 5), (40, 10)]);
        let plan = build(
            c,
            &[],
            vec![
                cand(1, &[3, 10], 0, 1, "dd"), // 60·3/5 + 40·10/10 = 36 + 40 = 76
                cand(2, &[5, 5], 0, 1, "dd"),  // 60 + 20 = 80
                cand(3, &[1, 1], 0, 1, "dd"),  // 12 + 4 = 16
            ],
        );
        assert_eq!(ranked(&plan), ["2026-002", "2026-001", "2026-003"]);
        assert_eq!(
            plan.items.iter().map(|i| i.score).collect::<Vec<_>>(),
            [8000, 7600, 1600]
        );
        assert_eq!(plan.items[0].rank, 1);
    }

    #[test]
    fn ties_go_to_more_supports_then_the_older_number() {
        let c = criteria(&[(1, 5)]);
        let plan = build(
            c,
            &[],
            vec![
                cand(7, &[4], 2, 1, "dd"),
                cand(3, &[4], 2, 1, "dd"),
                cand(5, &[4], 9, 1, "dd"),
                cand(1, &[2], 50, 1, "dd"),
            ],
        );
        assert_eq!(
            ranked(&plan),
            ["2026-005", "2026-003", "2026-007", "2026-001"]
        );
    }

    #[test]
    fn exact_scores_are_not_confused_by_rounding() {
        // 1/3 vs 0.3333…: with maxima 3 and 7 the scores differ below a hundredth.
        let c = criteria(&[(1, 3), (1, 7)]);
        let plan = build(
            c,
            &[],
            vec![cand(1, &[1, 2], 0, 1, "dd"), cand(2, &[2, 1], 0, 1, "dd")],
        );
        // 1/3 + 2/7 = 13/21 < 2/3 + 1/7 = 17/21.
        assert_eq!(ranked(&plan), ["2026-002", "2026-001"]);
    }

    #[test]
    fn funds_in_rank_order_until_the_ceiling_then_the_rest_goes_back_to_the_rpjm() {
        let c = criteria(&[(1, 5)]);
        let plan = build(
            c,
            &[("dd".into(), 100), ("add".into(), 50)],
            vec![
                cand(1, &[5], 0, 60, "dd"),
                cand(2, &[4], 0, 50, "dd"), // does not fit (60 + 50 > 100)
                cand(3, &[3], 0, 10, "dd"), // would fit, but ranks below a refused one
                cand(4, &[3], 0, 50, "add"), // exactly the ceiling
                cand(5, &[2], 0, 5, "pades"), // no ceiling for PADes
            ],
        );
        let placed: Vec<(&str, Placement)> = plan
            .items
            .iter()
            .map(|i| (i.number.as_str(), i.placement))
            .collect();
        assert_eq!(
            placed,
            [
                ("2026-001", Placement::Rkp),
                ("2026-002", Placement::Rpjm),
                ("2026-003", Placement::Rpjm),
                ("2026-004", Placement::Rkp),
                ("2026-005", Placement::Rpjm),
            ]
        );
        let dd = plan.sources.iter().find(|s| s.source == "dd").unwrap();
        assert_eq!(
            (dd.ceiling, dd.funded, dd.remaining, dd.rpjm),
            (100, 60, 40, 60)
        );
        assert_eq!(
            (plan.funded, plan.rpjm, plan.du_rkp, plan.ceiling),
            (110, 65, 0, 150)
        );
        assert_eq!(plan.in_rkp().count(), 2);
        assert_eq!(plan.in_rpjm().count(), 3);
        assert_eq!(plan.in_du_rkp().count(), 0, "unfunded is not the DU-RKP");
    }

    #[test]
    fn a_cost_split_over_sources_needs_room_in_each() {
        let c = criteria(&[(1, 5)]);
        // 60: 40 from Dana Desa, 20 from ADD.
        let mut a = cand(1, &[5], 0, 60, "dd");
        a.shares = vec![("add".into(), 20)];
        // 30: 10 from Dana Desa, 20 from ADD — ADD has only 10 left: back to the RPJM.
        let mut b = cand(2, &[4], 0, 30, "dd");
        b.shares = vec![("add".into(), 20)];
        // Dana Desa alone still has room, but ADD is closed for later items only.
        let d = cand(3, &[3], 0, 50, "dd");
        let plan = build(c, &[("dd".into(), 100), ("add".into(), 30)], vec![a, b, d]);
        let placed: Vec<Placement> = plan.items.iter().map(|i| i.placement).collect();
        assert_eq!(placed, [Placement::Rkp, Placement::Rpjm, Placement::Rkp]);
        let of = |s: &str| plan.sources.iter().find(|t| t.source == s).unwrap().clone();
        assert_eq!((of("dd").funded, of("dd").rpjm), (90, 10));
        assert_eq!((of("add").funded, of("add").rpjm), (20, 20));
        assert_eq!(plan.funded, 110);
        let (basis, dd) = plan.dana_desa();
        assert_eq!(basis, 100);
        assert_eq!(
            dd.iter().map(|s| s.cost).collect::<Vec<_>>(),
            [40, 50],
            "only the Dana Desa part counts for its rules"
        );
    }

    #[test]
    fn the_kabupatens_items_go_to_the_du_rkp_and_take_nothing_from_the_pagu() {
        let c = criteria(&[(1, 5)]);
        let mut road = cand(1, &[5], 0, 900, "dd");
        road.authority = Some("kabupaten".into());
        // Sent up: the village names no source or pattern of its own.
        road.source = None;
        road.pattern = None;
        let mut bridge = cand(2, &[4], 0, 5_000, "dd");
        bridge.authority = Some("provinsi".into());
        let plan = build(
            c,
            &[("dd".into(), 100)],
            vec![road, bridge, cand(3, &[3], 0, 100, "dd")],
        );
        let placed: Vec<(&str, Placement)> = plan
            .items
            .iter()
            .map(|i| (i.number.as_str(), i.placement))
            .collect();
        assert_eq!(
            placed,
            [
                ("2026-001", Placement::DuRkp),
                ("2026-002", Placement::DuRkp),
                ("2026-003", Placement::Rkp),
            ]
        );
        assert!(plan.items[0].missing.is_empty());
        assert_eq!((plan.funded, plan.rpjm, plan.du_rkp), (100, 0, 5_900));
        let dd = plan.sources.iter().find(|s| s.source == "dd").unwrap();
        assert_eq!((dd.funded, dd.remaining, dd.rpjm), (100, 0, 0));
        assert_eq!(plan.bidang[0].du_rkp, 5_900);
        // Without a cost estimate the kabupaten cannot weigh it: not placed.
        let mut vague = cand(4, &[3], 0, 1, "dd");
        vague.authority = Some("pusat".into());
        vague.cost = None;
        let plan = build(criteria(&[(1, 5)]), &[], vec![vague]);
        assert_eq!(plan.items[0].placement, Placement::Incomplete);
        assert_eq!(plan.items[0].missing, ["plan.missing.cost"]);
    }

    #[test]
    fn totals_per_bidang_count_every_item() {
        let c = criteria(&[(1, 5)]);
        let mut a = cand(1, &[5], 0, 40, "dd");
        a.bidang = "03".into();
        let b = cand(2, &[4], 0, 30, "dd");
        let d = cand(3, &[3], 0, 50, "dd");
        let plan = build(c, &[("dd".into(), 80)], vec![a, b, d]);
        let t: Vec<(&str, usize, i64, i64)> = plan
            .bidang
            .iter()
            .map(|b| (b.bidang.as_str(), b.count, b.funded, b.rpjm))
            .collect();
        assert_eq!(t, [("02", 2, 30, 50), ("03", 1, 40, 0)]);
    }

    #[test]
    fn an_item_without_cost_or_source_is_not_placed_and_says_what_is_missing() {
        let c = criteria(&[(1, 5), (1, 5)]);
        let mut a = cand(1, &[5], 0, 10, "dd");
        a.cost = None;
        a.source = None;
        let plan = build(c, &[("dd".into(), 100)], vec![a]);
        assert_eq!(plan.items[0].placement, Placement::Incomplete);
        assert_eq!(
            plan.items[0].missing,
            [
                "plan.missing.cost",
                "plan.missing.source",
                "plan.missing.scores"
            ]
        );
        assert_eq!(plan.incomplete().count(), 1);
        assert!(plan.sources.iter().all(|s| s.funded == 0));
    }

    #[test]
    fn zero_weights_and_an_empty_plan_divide_by_nothing() {
        let plan = build(criteria(&[(0, 5)]), &[], vec![cand(1, &[5], 0, 1, "dd")]);
        assert_eq!(plan.items[0].score, 0);
        let empty = build(criteria(&[(10, 5)]), &[("dd".into(), 5)], vec![]);
        assert!(empty.items.is_empty());
        assert_eq!(
            (empty.funded, empty.rpjm, empty.du_rkp, empty.ceiling),
            (0, 0, 0, 5)
        );
    }

    #[test]
    fn criteria_form_refuses_negative_weights_and_bad_ranges() {
        let pairs = [
            ("name_0", "Bermanfaat"),
            ("weight_0", "-5"),
            ("max_0", "5"),
            ("name_1", "Mendesak"),
            ("weight_1", "20"),
            ("max_1", "50"),
            ("name_2", ""),
            ("weight_2", ""),
        ];
        let f = CriteriaForm::from_pairs(pairs.iter().map(|(k, v)| (*k, v.to_string())));
        let e = f.validate(&[]).unwrap_err();
        assert_eq!(e.get("weight_0"), Some("plan.error.weight"));
        assert_eq!(e.get("max_1"), Some("plan.error.max_score"));
        assert_eq!(e.get("name_2"), None, "an empty new row is ignored");
    }

    #[test]
    fn criteria_form_keeps_known_rows_drops_removed_ones_and_needs_a_weight() {
        let id = Uuid::from_u128(9);
        let pairs = [
            ("id_0", id.to_string()),
            ("name_0", "Mendesak".into()),
            ("weight_0", "0".into()),
            ("max_0", "5".into()),
            ("id_1", Uuid::from_u128(10).to_string()),
            ("name_1", "Lama".into()),
            ("weight_1", "10".into()),
            ("max_1", "5".into()),
            ("remove_1", "on".into()),
        ];
        let f = CriteriaForm::from_pairs(pairs.iter().map(|(k, v)| (*k, v.clone())));
        let e = f.validate(&[id, Uuid::from_u128(10)]).unwrap_err();
        assert_eq!(e.get("weight_0"), Some("plan.error.no_weight"));
        let mut ok = f.clone();
        ok.rows[0].weight = "40".into();
        let kept = ok.validate(&[id, Uuid::from_u128(10)]).unwrap();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].id, Some(id));
        // An id this plan does not have is a stale form.
        let e = ok.validate(&[id]).unwrap_err();
        assert_eq!(e.get("name_1"), Some("error.stale_list"));
    }

    #[test]
    fn ceilings_are_whole_non_negative_rupiah() {
        let f = CeilingForm::from_pairs(
            [
                ("pagu_dd", "Rp 850.000.000"),
                ("pagu_add", "-1"),
                ("pagu_pades", "1,5"),
                ("pagu_bkk", ""),
            ]
            .iter()
            .map(|(k, v)| (*k, v.to_string())),
        );
        let e = f.validate().unwrap_err();
        assert_eq!(e.get("pagu_add"), Some("plan.error.amount"));
        assert_eq!(e.get("pagu_pades"), Some("plan.error.amount"));
        assert_eq!(e.get("pagu_dd"), None);
        let ok = CeilingForm::from_pairs(
            [("pagu_dd", "850.000.000")]
                .iter()
                .map(|(k, v)| (*k, v.to_string())),
        )
        .validate()
        .unwrap();
        assert_eq!(ok[0], ("dd".to_string(), 850_000_000));
        assert!(ok[1..].iter().all(|(_, a)| *a == 0));
    }

    #[test]
    fn item_scores_stay_within_each_criterion_range() {
        let c = criteria(&[(50, 5), (50, 3)]);
        let form = |s0: &str, s1: &str| {
            ItemForm::from_pairs(
                [
                    ("criterion_0", c[0].id.to_string()),
                    ("criterion_1", c[1].id.to_string()),
                    ("score_0", s0.into()),
                    ("score_1", s1.into()),
                    ("cost", "12.500.000".into()),
                    ("source", "dd".into()),
                    ("start_month", "7".into()),
                    ("end_month", "9".into()),
                ]
                .into_iter(),
            )
        };
        let ok = form("5", "3").validate(&c, None).unwrap();
        assert_eq!(ok.scores, [(c[0].id, Some(5)), (c[1].id, Some(3))]);
        assert_eq!((ok.cost, ok.months), (Some(12_500_000), Some((7, 9))));
        let e = form("6", "0").validate(&c, None).unwrap_err().unwrap();
        assert_eq!(e.get("score_0"), Some("plan.error.score"));
        assert_eq!(e.get("score_1"), Some("plan.error.score"));
        assert!(form("x", "").validate(&c, None).is_err());
        // A form made for other criteria is stale, not invalid.
        assert_eq!(form("5", "3").validate(&c[..1], None), Err(None));
    }

    #[test]
    fn item_months_run_forward_and_costs_are_whole() {
        let c = criteria(&[(1, 5)]);
        let mut f = ItemForm {
            criteria: vec![c[0].id.to_string()],
            start_month: "9".into(),
            end_month: "3".into(),
            cost: "-100".into(),
            source: "emas".into(),
            ..ItemForm::default()
        };
        let e = f.validate(&c, None).unwrap_err().unwrap();
        assert_eq!(e.get("end_month"), Some("plan.error.months"));
        assert_eq!(e.get("cost"), Some("plan.error.amount"));
        assert_eq!(e.get("source"), Some("error.choose_from_list"));
        f.start_month = String::new();
        f.end_month = "3".into();
        f.cost = "1.000".into();
        f.source = String::new();
        let e = f.validate(&c, None).unwrap_err().unwrap();
        assert_eq!(e.get("start_month"), Some("plan.error.start_month"));
    }

    #[test]
    fn an_amendment_needs_a_ground_of_the_law_and_a_reason() {
        let ok = AmendForm {
            ground: "peristiwa_khusus".into(),
            reason: "  Banjir bandang merusak jembatan dusun  ".into(),
        };
        assert_eq!(
            ok.validate().unwrap(),
            (
                AmendGround::PeristiwaKhusus,
                "Banjir bandang merusak jembatan dusun".to_string()
            )
        );
        let bad = AmendForm {
            ground: "karena_ingin".into(),
            reason: "ubah".into(),
        };
        let e = bad.validate().unwrap_err();
        assert_eq!(e.get("ground"), Some("plan.error.amend_ground"));
        assert_eq!(e.get("reason"), Some("plan.error.amend_reason"));
    }

    #[test]
    fn standing_items_are_paid_before_any_proposal() {
        let siltap = crate::standing::Standing {
            id: Uuid::from_u128(7),
            sub_bidang: "01.01".into(),
            kegiatan: "Siltap kepala desa".into(),
            code: None,
            volume: "12 bulan".into(),
            cost: 70,
            source: "add".into(),
            focus: None,
            pelaksana: None,
        };
        let c = criteria(&[(1, 5)]);
        let candidates = vec![cand(1, &[5], 0, 40, "add"), cand(2, &[4], 0, 20, "add")];
        let plan = build_with(c, &[("add".into(), 100)], vec![siltap], candidates);
        // 70 of the ADD is spoken for: the 40 does not fit, and the 20 after it waits too.
        let placed: Vec<Placement> = plan.items.iter().map(|i| i.placement).collect();
        assert_eq!(placed, [Placement::Rpjm, Placement::Rpjm]);
        assert_eq!(plan.funded, 70);
        assert_eq!(
            (plan.sources[0].funded, plan.sources[0].remaining),
            (70, 30)
        );
        assert_eq!(
            (plan.bidang[0].bidang.as_str(), plan.bidang[0].funded),
            ("01", 70)
        );
    }
}
