//! The village's inventory of problems and needs (daftar masalah dan kebutuhan, seed 002
//! stage 1): what a musyawarah dusun lists before anyone has a solution. Proposals link
//! to the problems they answer; a problem nobody has answered after a season is put
//! before the village's officials.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::validation::{self, FieldErrors};

/// Whom a problem affects (seed 001: men, women, poor households, vulnerable groups);
/// stored as these codes.
pub const AFFECTS: [&str; 4] = ["men", "women", "poor_households", "vulnerable_groups"];

/// A season of planning: a problem listed this long ago with no proposal answering it
/// is shown to the officials ("Perlu tindakan").
pub const SEASON_DAYS: i64 = 90;

/// Whether a problem recorded at `recorded` and answered by `proposals` proposals waits
/// too long at `now`.
pub fn waits_too_long(recorded: DateTime<Utc>, proposals: i64, now: DateTime<Utc>) -> bool {
    proposals == 0 && now - recorded >= Duration::days(SEASON_DAYS)
}

/// A problem as typed in its form. `affects` arrives as repeated checkbox fields.
#[derive(Debug, Clone, Default)]
pub struct NeedForm {
    pub title: String,
    pub description: String,
    pub hamlet: String,
    pub affects: Vec<String>,
    pub affected_count: String,
    pub affected_unit: String,
    pub since_year: String,
    pub meeting: String,
    pub raised_by: String,
    pub version: String,
}

/// A problem that passed its checks, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedNeed {
    pub title: String,
    pub description: Option<String>,
    pub hamlet: Option<String>,
    pub affects: Vec<String>,
    /// The figure and what it counts (`120`, `KK tanpa air bersih`): both or neither.
    pub affected: Option<(i64, String)>,
    pub since_year: Option<i64>,
    pub meeting: Option<uuid::Uuid>,
    pub raised_by: Option<String>,
}

/// The unit a figure given by the contract's `affected` field counts (people or
/// households, as the one who typed it meant).
pub const AFFECTED_UNIT: &str = "warga terdampak";

/// `2019`, `2019-05` and `2019-05-01` all say since 2019; anything else is kept as typed
/// (and refused as a year).
fn since_year_of(raw: &str) -> String {
    let t = raw.trim();
    let year = t.get(..4).filter(|y| y.bytes().all(|b| b.is_ascii_digit()));
    match (year, t.get(4..)) {
        (Some(y), Some(rest)) if rest.is_empty() || rest.starts_with('-') => y.to_string(),
        _ => t.to_string(),
    }
}

impl NeedForm {
    /// Reads a submitted form body; repeated `affects` fields become the list.
    pub fn from_pairs<K: AsRef<str>>(pairs: impl Iterator<Item = (K, String)>) -> NeedForm {
        let mut f = NeedForm::default();
        for (k, v) in pairs {
            match k.as_ref() {
                "title" => f.title = v,
                "description" => f.description = v,
                "hamlet" | "dusun" => f.hamlet = v,
                "affects" => f.affects.push(v),
                "affected_count" => f.affected_count = v,
                // The contract's name: how many people or households, without a unit.
                "affected" => {
                    f.affected_count = v;
                    if f.affected_unit.is_empty() {
                        f.affected_unit = AFFECTED_UNIT.to_string();
                    }
                }
                "affected_unit" => f.affected_unit = v,
                "since_year" => f.since_year = v,
                // The contract's `since`: a year, or a date whose year is taken.
                "since" => f.since_year = since_year_of(&v),
                "meeting" => f.meeting = v,
                "raised_by" => f.raised_by = v,
                "version" => f.version = v,
                _ => {}
            }
        }
        f
    }

    pub fn affects_one(&self, code: &str) -> bool {
        self.affects.iter().any(|a| a == code)
    }

    /// Checks every field at once: the hamlet must be one of the village's, the meeting
    /// one of its meetings; `this_year` bounds the since-when year.
    pub fn validate(
        &self,
        hamlets: &[String],
        meetings: &[uuid::Uuid],
        this_year: i64,
    ) -> Result<CheckedNeed, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = validation::text(
            &mut e,
            "title",
            &self.title,
            5,
            160,
            "error.need_title_short",
            "error.too_long",
        );
        let description = validation::optional_text(&mut e, "description", &self.description, 2000);
        let hamlet = validation::optional_choice(&mut e, "hamlet", &self.hamlet, |h| {
            hamlets.iter().any(|x| x == h)
        });
        let mut affects = Vec::new();
        for a in &self.affects {
            match AFFECTS.iter().find(|x| **x == a.trim()) {
                Some(x) if !affects.iter().any(|y| y == x) => affects.push(x.to_string()),
                Some(_) => {}
                None => e.add("affects", "error.choose_from_list"),
            }
        }
        let count =
            validation::optional_count(&mut e, "affected_count", &self.affected_count, 10_000_000);
        let unit = validation::optional_text(&mut e, "affected_unit", &self.affected_unit, 60);
        let affected = match (count, unit, self.affected_count.trim().is_empty()) {
            (Some(n), Some(u), _) => Some((n, u)),
            // A unit with no figure, or a figure of nothing: the baseline needs both.
            (None, Some(_), true) => {
                e.add("affected_count", "error.figure_without_number");
                None
            }
            (Some(_), None, _) => {
                e.add("affected_unit", "error.figure_without_unit");
                None
            }
            _ => None,
        };
        let since_year =
            validation::optional_year(&mut e, "since_year", &self.since_year, this_year);
        let meeting = validation::optional_id(&mut e, "meeting", &self.meeting, meetings);
        let raised_by = validation::optional_text(&mut e, "raised_by", &self.raised_by, 120);
        e.into_result(CheckedNeed {
            title,
            description,
            hamlet,
            affects,
            affected,
            since_year,
            meeting,
            raised_by,
        })
    }
}

/// A figure measured after a proposal answering the problem was carried out, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct MeasureForm {
    pub count: String,
    pub measured_on: String,
    pub note: String,
}

/// A measurement that passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedMeasure {
    pub count: i64,
    pub measured_on: NaiveDate,
    pub note: Option<String>,
}

/// What a problem is when a figure "after" is recorded: its baseline, whether a
/// proposal answering it is done, the day it was listed and today.
#[derive(Debug, Clone, Copy)]
pub struct MeasureContext {
    pub has_baseline: bool,
    pub answered_and_done: bool,
    pub listed_on: NaiveDate,
    pub today: NaiveDate,
}

impl MeasureForm {
    /// A figure after needs a figure before to compare with, and a proposal answering
    /// the problem that is done (completed or evaluated); it is measured on a day between
    /// the problem's listing and today, in the problem's unit.
    pub fn validate(&self, c: MeasureContext) -> Result<CheckedMeasure, FieldErrors> {
        let mut e = FieldErrors::new();
        if !c.has_baseline {
            e.add("count", "error.measure_without_baseline");
        } else if !c.answered_and_done {
            e.add("count", "error.measure_before_done");
        }
        let count = validation::optional_count(&mut e, "count", &self.count, 10_000_000);
        if count.is_none() && self.count.trim().is_empty() && e.get("count").is_none() {
            e.add("count", "error.required");
        }
        let measured_on = match NaiveDate::parse_from_str(self.measured_on.trim(), "%Y-%m-%d") {
            Ok(d) if d > c.today => {
                e.add("measured_on", "error.date_in_future");
                None
            }
            Ok(d) if d < c.listed_on => {
                e.add("measured_on", "error.measure_before_listing");
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                e.add("measured_on", "error.date");
                None
            }
        };
        let note = validation::optional_text(&mut e, "note", &self.note, 1000);
        match (count, measured_on) {
            (Some(count), Some(measured_on)) if e.is_empty() => Ok(CheckedMeasure {
                count,
                measured_on,
                note,
            }),
            _ => Err(e),
        }
    }
}

/// Before and after side by side: how many fewer are affected, and that as a share of
/// the baseline (whole per cent, rounded half away from zero; negative when more are
/// affected than before). `None` for the share when the baseline is zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub before: i64,
    pub after: i64,
    /// `before - after`: people or households no longer affected.
    pub fewer: i64,
    pub fewer_percent: Option<i64>,
}

pub fn change(before: i64, after: i64) -> Change {
    let fewer = before - after;
    let fewer_percent = (before > 0).then(|| {
        let scaled = fewer * 200;
        let sign = if scaled < 0 { -1 } else { 1 };
        (scaled + sign * before) / (2 * before)
    });
    Change {
        before,
        after,
        fewer,
        fewer_percent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(fields: &[(&'static str, &str)]) -> NeedForm {
        NeedForm::from_pairs(fields.iter().map(|(k, v)| (*k, v.to_string())))
    }

    #[test]
    fn a_problem_keeps_where_whom_how_many_and_since_when() {
        let meeting = uuid::Uuid::from_u128(7);
        let hamlets = vec!["Krajan".to_string(), "Sumberejo".to_string()];
        let ok = pairs(&[
            ("title", " Air bersih kering di musim kemarau "),
            ("hamlet", "Krajan"),
            ("affects", "women"),
            ("affects", "poor_households"),
            ("affects", "women"),
            ("affected_count", "1.120"),
            ("affected_unit", " KK tanpa air bersih "),
            ("since_year", "2019"),
            ("meeting", &meeting.to_string()),
        ])
        .validate(&hamlets, &[meeting], 2026)
        .unwrap();
        assert_eq!(ok.title, "Air bersih kering di musim kemarau");
        assert_eq!(ok.hamlet.as_deref(), Some("Krajan"));
        assert_eq!(ok.affects, ["women", "poor_households"]);
        assert_eq!(ok.affected, Some((1120, "KK tanpa air bersih".to_string())));
        assert_eq!(ok.since_year, Some(2019));
        assert_eq!(ok.meeting, Some(meeting));
        assert_eq!(ok.raised_by, None);
    }

    #[test]
    fn a_figure_needs_its_number_and_its_unit_and_choices_come_from_the_village() {
        let hamlets = vec!["Krajan".to_string()];
        let unit_only = pairs(&[("title", "Jalan rusak"), ("affected_unit", "KK")])
            .validate(&hamlets, &[], 2026)
            .unwrap_err();
        assert_eq!(
            unit_only.get("affected_count"),
            Some("error.figure_without_number")
        );
        let number_only = pairs(&[("title", "Jalan rusak"), ("affected_count", "40")])
            .validate(&hamlets, &[], 2026)
            .unwrap_err();
        assert_eq!(
            number_only.get("affected_unit"),
            Some("error.figure_without_unit")
        );
        let bad = pairs(&[
            ("title", "Air"),
            ("hamlet", "Dusun Lain"),
            ("affects", "everyone"),
            ("affected_count", "banyak"),
            ("affected_unit", "KK"),
            ("since_year", "2090"),
            ("meeting", &uuid::Uuid::from_u128(9).to_string()),
        ])
        .validate(&hamlets, &[uuid::Uuid::from_u128(7)], 2026)
        .unwrap_err();
        for field in [
            "title",
            "hamlet",
            "affects",
            "affected_count",
            "since_year",
            "meeting",
        ] {
            assert!(bad.get(field).is_some(), "{field}");
        }
    }

    #[test]
    fn a_problem_waits_too_long_after_a_season_without_a_proposal() {
        let recorded = "2026-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let day = Duration::days(1);
        assert!(!waits_too_long(recorded, 0, recorded + day * 89));
        assert!(waits_too_long(recorded, 0, recorded + day * 90));
        assert!(!waits_too_long(recorded, 1, recorded + day * 400));
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn measure(count: &str, on: &str) -> MeasureForm {
        MeasureForm {
            count: count.into(),
            measured_on: on.into(),
            note: String::new(),
        }
    }

    const READY: MeasureContext = MeasureContext {
        has_baseline: true,
        answered_and_done: true,
        listed_on: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
        today: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
    };

    #[test]
    fn a_figure_after_is_measured_once_the_answer_is_done() {
        let ok = measure("1.030", "2026-11-20").validate(READY).unwrap();
        assert_eq!(ok.count, 1030);
        assert_eq!(ok.measured_on, day("2026-11-20"));
        let no_baseline = MeasureContext {
            has_baseline: false,
            ..READY
        };
        let e = measure("30", "2026-11-20")
            .validate(no_baseline)
            .unwrap_err();
        assert_eq!(e.get("count"), Some("error.measure_without_baseline"));
        let not_done = MeasureContext {
            answered_and_done: false,
            ..READY
        };
        let e = measure("30", "2026-11-20").validate(not_done).unwrap_err();
        assert_eq!(e.get("count"), Some("error.measure_before_done"));
        let e = measure("", "2026-11-28").validate(READY).unwrap_err();
        assert_eq!(e.get("count"), Some("error.required"));
        assert_eq!(e.get("measured_on"), Some("error.date_in_future"));
        let e = measure("-4", "2026-01-31").validate(READY).unwrap_err();
        assert_eq!(e.get("count"), Some("error.not_a_count"));
        assert_eq!(e.get("measured_on"), Some("error.measure_before_listing"));
        let e = measure("4", "kemarin").validate(READY).unwrap_err();
        assert_eq!(e.get("measured_on"), Some("error.date"));
    }

    #[test]
    fn the_change_is_how_many_fewer_are_affected() {
        assert_eq!(
            change(120, 30),
            Change {
                before: 120,
                after: 30,
                fewer: 90,
                fewer_percent: Some(75)
            }
        );
        // 1 of 3 is 33.3 %; 2 of 3 is 66.7 %, rounded up; more affected is negative.
        assert_eq!(change(3, 2).fewer_percent, Some(33));
        assert_eq!(change(3, 1).fewer_percent, Some(67));
        assert_eq!(change(40, 50).fewer, -10);
        assert_eq!(change(40, 50).fewer_percent, Some(-25));
        assert_eq!(change(3, 4).fewer_percent, Some(-33));
        assert_eq!(change(0, 0).fewer_percent, None);
    }
}
