//! Standing items of bidang 01 (Penyelenggaraan Pemerintahan Desa): what the village pays
//! every year whatever is proposed — the penghasilan tetap and allowances of the kepala desa
//! and the perangkat, the BPD's allowance and operations, the RT/RW incentives, the office's
//! running costs. They take most of the ADD. Entered once, each is carried into every year's
//! plan from its first year until its last, and is paid before any proposal: the pagu left
//! after them is what the ranked proposals share.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::apbdes::{is_pelaksana, is_source, valid_year};
use super::dana_desa::FOCI;
use super::money::Rupiah;
use super::proposal::sub_bidang_name;
use super::validation::{self, FieldErrors};

/// A standing item as a plan carries it (and as a set plan's record freezes it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub id: Uuid,
    /// `01.01` … `01.05`.
    pub sub_bidang: String,
    pub kegiatan: String,
    /// Its kegiatan code of Permendagri 20/2018, within its sub-bidang.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default)]
    pub volume: String,
    /// Its cost for one year, in whole rupiah.
    pub cost: i64,
    pub source: String,
    /// For a Dana Desa item: the focus the year's Dana Desa rules count it under.
    #[serde(default)]
    pub focus: Option<String>,
    /// The Kasi or Kaur responsible.
    #[serde(default)]
    pub pelaksana: Option<String>,
}

impl Standing {
    pub fn bidang(&self) -> &str {
        self.sub_bidang.get(..2).unwrap_or("01")
    }
    /// What the RKP Desa numbers it by: its kegiatan code, else its sub-bidang.
    pub fn number(&self) -> &str {
        self.code.as_deref().unwrap_or(&self.sub_bidang)
    }
}

/// Whether `code` is a sub-bidang of bidang 01, where standing items belong.
pub fn is_standing_sub_bidang(code: &str) -> bool {
    code.starts_with("01.") && sub_bidang_name(code).is_some()
}

/// A standing item as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct StandingForm {
    pub sub_bidang: String,
    pub kegiatan: String,
    /// The kegiatan code of Permendagri 20/2018 (`01.01.01`), within the sub-bidang.
    pub code: String,
    pub volume: String,
    pub cost: String,
    pub source: String,
    pub focus: String,
    pub pelaksana: String,
    pub from_year: String,
    pub to_year: String,
    pub version: String,
}

/// A checked standing item: the item, and the years it is carried into (`to_year` none:
/// every year from `from_year` on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStanding {
    pub item: Standing,
    pub from_year: i64,
    pub to_year: Option<i64>,
}

impl StandingForm {
    pub fn of(s: &Standing, from_year: i64, to_year: Option<i64>, version: i64) -> StandingForm {
        StandingForm {
            sub_bidang: s.sub_bidang.clone(),
            kegiatan: s.kegiatan.clone(),
            code: s.code.clone().unwrap_or_default(),
            volume: s.volume.clone(),
            cost: super::money::rupiah_text(s.cost),
            source: s.source.clone(),
            focus: s.focus.clone().unwrap_or_default(),
            pelaksana: s.pelaksana.clone().unwrap_or_default(),
            from_year: from_year.to_string(),
            to_year: to_year.map(|y| y.to_string()).unwrap_or_default(),
            version: version.to_string(),
        }
    }

    /// A sub-bidang of bidang 01, the activity, a yearly cost in whole rupiah above zero,
    /// a funding source (with its focus when it is the Dana Desa), an optional Kasi/Kaur,
    /// and the years: a first year, and a last one no earlier, or none.
    pub fn validate(&self) -> Result<NewStanding, FieldErrors> {
        let mut e = FieldErrors::new();
        let sub_bidang = self.sub_bidang.trim().to_string();
        if !is_standing_sub_bidang(&sub_bidang) {
            e.add("sub_bidang", "error.choose_from_list");
        }
        let kegiatan = validation::text(
            &mut e,
            "kegiatan",
            &self.kegiatan,
            3,
            300,
            "rpjm.error.kegiatan",
            "error.too_long",
        );
        let code = match self.code.trim() {
            "" => None,
            c if super::kegiatan::is_kegiatan(c) && c.starts_with(&format!("{sub_bidang}.")) => {
                Some(c.to_string())
            }
            c if super::kegiatan::is_kegiatan(c) => {
                e.add("code", "standing.error.code_sub_bidang");
                None
            }
            _ => {
                e.add("code", "plan.error.kegiatan_unknown");
                None
            }
        };
        let volume = validation::optional_text(&mut e, "volume", &self.volume, 120);
        let cost = match Rupiah::parse(&self.cost).map(|r| r.get()) {
            Some(c) if c > 0 => c,
            _ => {
                e.add("cost", "standing.error.cost");
                0
            }
        };
        let source = self.source.trim().to_string();
        if !is_source(&source) {
            e.add("source", "error.choose_from_list");
        }
        let focus =
            validation::optional_choice(&mut e, "focus", &self.focus, |f| FOCI.contains(&f));
        if source == "dd" && self.focus.trim().is_empty() {
            e.add("focus", "plan.missing.focus");
        }
        let pelaksana =
            validation::optional_choice(&mut e, "pelaksana", &self.pelaksana, is_pelaksana);
        let year = |raw: &str| raw.trim().parse::<i64>().ok().filter(|y| valid_year(*y));
        let from_year = year(&self.from_year);
        if from_year.is_none() {
            e.add("from_year", "plan.error.year");
        }
        let to_year = match self.to_year.trim() {
            "" => None,
            raw => match year(raw) {
                Some(y) if from_year.is_none_or(|f| y >= f) => Some(y),
                Some(_) => {
                    e.add("to_year", "standing.error.to_year");
                    None
                }
                None => {
                    e.add("to_year", "plan.error.year");
                    None
                }
            },
        };
        match from_year {
            Some(from_year) if e.is_empty() => Ok(NewStanding {
                item: Standing {
                    id: Uuid::nil(),
                    sub_bidang,
                    kegiatan,
                    code,
                    volume: volume.unwrap_or_default(),
                    cost,
                    source,
                    focus,
                    pelaksana,
                },
                from_year,
                to_year,
            }),
            _ => Err(e),
        }
    }
}

/// The sources whose pagu the standing items alone exceed, with what they need and have.
pub fn over_pagu(standing: &[Standing], ceilings: &[(String, i64)]) -> Vec<(String, i64, i64)> {
    let mut need: Vec<(String, i64)> = Vec::new();
    for s in standing {
        match need.iter_mut().find(|(src, _)| *src == s.source) {
            Some((_, n)) => *n += s.cost,
            None => need.push((s.source.clone(), s.cost)),
        }
    }
    need.into_iter()
        .filter_map(|(src, n)| {
            let have = ceilings
                .iter()
                .find(|(c, _)| *c == src)
                .map_or(0, |(_, a)| *a);
            (n > have).then_some((src, n, have))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> StandingForm {
        StandingForm {
            sub_bidang: "01.01".into(),
            kegiatan: "Penghasilan tetap dan tunjangan kepala desa".into(),
            volume: "12 bulan".into(),
            cost: "Rp 48.000.000".into(),
            source: "add".into(),
            pelaksana: "kaur_keuangan".into(),
            from_year: "2026".into(),
            ..StandingForm::default()
        }
    }

    #[test]
    fn a_code_must_be_listed_and_of_the_sub_bidang() {
        let mut f = form();
        f.code = "01.01.01".into();
        assert_eq!(f.validate().unwrap().item.number(), "01.01.01");
        f.code = "01.02.01".into();
        assert_eq!(
            f.validate().unwrap_err().get("code"),
            Some("standing.error.code_sub_bidang")
        );
        f.code = "01.01.08".into();
        assert_eq!(
            f.validate().unwrap_err().get("code"),
            Some("plan.error.kegiatan_unknown")
        );
        f.code = String::new();
        assert_eq!(f.validate().unwrap().item.number(), "01.01");
    }

    #[test]
    fn a_standing_item_is_carried_from_its_first_year_on() {
        let s = form().validate().unwrap();
        assert_eq!(
            (s.item.cost, s.from_year, s.to_year, s.item.bidang()),
            (48_000_000, 2026, None, "01")
        );
    }

    #[test]
    fn a_standing_item_belongs_to_bidang_01_and_costs_something_every_year() {
        let mut f = form();
        f.sub_bidang = "02.01".into();
        f.cost = "0".into();
        f.to_year = "2025".into();
        f.source = "dd".into();
        let e = f.validate().unwrap_err();
        assert_eq!(e.get("sub_bidang"), Some("error.choose_from_list"));
        assert_eq!(e.get("cost"), Some("standing.error.cost"));
        assert_eq!(e.get("to_year"), Some("standing.error.to_year"));
        assert_eq!(e.get("focus"), Some("plan.missing.focus"));
    }

    #[test]
    fn standing_items_over_the_pagu_name_the_source() {
        let item = |source: &str, cost| Standing {
            id: Uuid::nil(),
            sub_bidang: "01.01".into(),
            kegiatan: "Siltap".into(),
            code: None,
            volume: String::new(),
            cost,
            source: source.into(),
            focus: None,
            pelaksana: None,
        };
        let standing = [item("add", 300), item("add", 200), item("pades", 10)];
        let ceilings = [("add".to_string(), 400), ("pades".to_string(), 10)];
        assert_eq!(
            over_pagu(&standing, &ceilings),
            [("add".to_string(), 500, 400)]
        );
    }
}
