//! The RPJM Desa: the village's medium-term plan (8 years since UU 3/2024), its vision and
//! mission, the Peraturan Desa that set it, and its backlog of activities by year, where
//! ideas that cannot be done this year wait.

use chrono::NaiveDate;
use serde::Deserialize;

use super::apbdes::is_source;
use super::money::{MAX_RUPIAH, Rupiah};
use super::proposal::sub_bidang_name;
use super::validation::{self, FieldErrors};

/// An RPJM Desa runs eight years (UU 6/2014 art. 79 as amended by UU 3/2024).
pub const PERIOD_YEARS: i64 = 8;

/// The last year of a period that starts in `start`.
pub fn end_year(start: i64) -> i64 {
    start + PERIOD_YEARS - 1
}

/// Whether two periods starting in `a` and `b` share a year.
pub fn overlaps(a: i64, b: i64) -> bool {
    a <= end_year(b) && b <= end_year(a)
}

/// The RPJM Desa as typed: its period, vision, mission and, once set, its Perdes.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RpjmForm {
    pub start_year: String,
    pub vision: String,
    /// One mission per line.
    pub mission: String,
    pub perdes_number: String,
    pub perdes_date: String,
    pub version: String,
}

/// A checked RPJM Desa.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rpjm {
    pub start_year: i64,
    pub vision: String,
    pub mission: String,
    /// The Peraturan Desa that set it: both its number and date, or neither yet.
    pub perdes: Option<(String, NaiveDate)>,
}

impl RpjmForm {
    /// `today` bounds the Perdes date; the period starts between 2000 and 2100.
    pub fn validate(&self, today: NaiveDate) -> Result<Rpjm, FieldErrors> {
        let mut e = FieldErrors::new();
        let start_year = match self.start_year.trim().parse::<i64>() {
            Ok(y) if (2000..=2100).contains(&y) => Some(y),
            _ => {
                e.add("start_year", "rpjm.error.start_year");
                None
            }
        };
        let vision = validation::text(
            &mut e,
            "vision",
            &self.vision,
            10,
            1000,
            "rpjm.error.vision",
            "error.too_long",
        );
        let mission = self
            .mission
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        let mission = validation::text(
            &mut e,
            "mission",
            &mission,
            10,
            4000,
            "rpjm.error.mission",
            "error.too_long",
        );
        let number = validation::optional_text(&mut e, "perdes_number", &self.perdes_number, 60);
        let date = match self.perdes_date.trim() {
            "" => None,
            raw => match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
                Ok(d) if d > today => {
                    e.add("perdes_date", "plan.error.perdes_in_future");
                    None
                }
                Ok(d) => Some(d),
                Err(_) => {
                    e.add("perdes_date", "error.date");
                    None
                }
            },
        };
        let perdes = match (number, date) {
            (Some(n), Some(d)) => Some((n, d)),
            (None, None) => None,
            (None, Some(_)) => {
                e.add("perdes_number", "rpjm.error.perdes_both");
                None
            }
            (Some(_), None) => {
                if e.get("perdes_date").is_none() {
                    e.add("perdes_date", "rpjm.error.perdes_both");
                }
                None
            }
        };
        match start_year {
            Some(start_year) if e.is_empty() => Ok(Rpjm {
                start_year,
                vision,
                mission,
                perdes,
            }),
            _ => Err(e),
        }
    }
}

/// One activity of the backlog as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ItemForm {
    pub year: String,
    pub sub_bidang: String,
    pub kegiatan: String,
    pub location: String,
    pub volume: String,
    pub cost: String,
    pub source: String,
}

/// A checked backlog activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    pub year: i64,
    pub bidang: String,
    pub sub_bidang: String,
    pub kegiatan: String,
    pub location: Option<String>,
    pub volume: Option<String>,
    pub cost: Option<i64>,
    pub source: Option<String>,
}

impl ItemForm {
    /// A year of the period starting in `start`, a sub-bidang of Permendagri 20/2018 (its
    /// first two digits are the bidang), the activity, and an optional cost and source.
    pub fn validate(&self, start: i64) -> Result<NewItem, FieldErrors> {
        let mut e = FieldErrors::new();
        let year = year_in(&mut e, "year", &self.year, start);
        let sub_bidang = self.sub_bidang.trim();
        if sub_bidang_name(sub_bidang).is_none() {
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
        let location = validation::optional_text(&mut e, "location", &self.location, 200);
        let volume = validation::optional_text(&mut e, "volume", &self.volume, 120);
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
        match year {
            Some(year) if e.is_empty() => Ok(NewItem {
                year,
                bidang: sub_bidang[..2].to_string(),
                sub_bidang: sub_bidang.to_string(),
                kegiatan,
                location,
                volume,
                cost,
                source,
            }),
            _ => Err(e),
        }
    }
}

/// A year typed for the period starting in `start`: one of its eight years.
pub fn year_in(e: &mut FieldErrors, field: &'static str, raw: &str, start: i64) -> Option<i64> {
    match raw.trim().parse::<i64>() {
        Ok(y) if (start..=end_year(start)).contains(&y) => Some(y),
        _ => {
            e.add(field, "rpjm.error.year");
            None
        }
    }
}

/// Placing a proposal in the backlog for a year.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PlaceForm {
    pub year: String,
    pub sub_bidang: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_period_runs_eight_years_and_periods_may_not_share_one() {
        assert_eq!(end_year(2025), 2032);
        assert!(overlaps(2025, 2032));
        assert!(overlaps(2032, 2025));
        assert!(!overlaps(2025, 2033));
        assert!(!overlaps(2017, 2025));
    }

    #[test]
    fn the_rpjm_needs_a_period_a_vision_and_a_mission_and_its_perdes_whole() {
        let today = day("2026-11-26");
        let form = |start: &str, number: &str, date: &str| RpjmForm {
            start_year: start.into(),
            vision: "Desa yang mandiri dan sejahtera".into(),
            mission: " Meningkatkan layanan dasar \n\n Menguatkan ekonomi warga ".into(),
            perdes_number: number.into(),
            perdes_date: date.into(),
            version: String::new(),
        };
        let r = form("2025", "2 Tahun 2025", "2025-03-15")
            .validate(today)
            .unwrap();
        assert_eq!(r.start_year, 2025);
        assert_eq!(
            r.mission,
            "Meningkatkan layanan dasar\nMenguatkan ekonomi warga"
        );
        assert_eq!(
            r.perdes,
            Some(("2 Tahun 2025".to_string(), day("2025-03-15")))
        );
        assert!(
            form("2025", "", "")
                .validate(today)
                .unwrap()
                .perdes
                .is_none()
        );
        let e = form("25", "2 Tahun 2025", "").validate(today).unwrap_err();
        assert_eq!(e.get("start_year"), Some("rpjm.error.start_year"));
        assert_eq!(e.get("perdes_date"), Some("rpjm.error.perdes_both"));
        let e = form("2025", "", "2027-01-01").validate(today).unwrap_err();
        assert_eq!(e.get("perdes_date"), Some("plan.error.perdes_in_future"));
        let mut blank = form("2025", "", "");
        blank.vision = " ".into();
        blank.mission = "\n".into();
        let e = blank.validate(today).unwrap_err();
        assert_eq!(e.get("vision"), Some("rpjm.error.vision"));
        assert_eq!(e.get("mission"), Some("rpjm.error.mission"));
    }

    #[test]
    fn a_backlog_activity_is_in_the_period_under_a_known_sub_bidang() {
        let form = |year: &str, sub: &str, cost: &str| ItemForm {
            year: year.into(),
            sub_bidang: sub.into(),
            kegiatan: "Pengerasan jalan usaha tani".into(),
            cost: cost.into(),
            source: "dd".into(),
            ..ItemForm::default()
        };
        let i = form("2027", "02.03", "150.000.000").validate(2025).unwrap();
        assert_eq!(
            (i.year, i.bidang.as_str(), i.cost),
            (2027, "02", Some(150_000_000))
        );
        let e = form("2033", "02.99", "-5").validate(2025).unwrap_err();
        assert_eq!(e.get("year"), Some("rpjm.error.year"));
        assert_eq!(e.get("sub_bidang"), Some("error.choose_from_list"));
        assert_eq!(e.get("cost"), Some("plan.error.amount"));
        let mut bad = form("2025", "01.01", "");
        bad.source = "emas".into();
        assert_eq!(
            bad.validate(2025).unwrap_err().get("source"),
            Some("error.choose_from_list")
        );
    }
}
