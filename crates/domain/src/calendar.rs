//! The planning year's calendar: the stages that lead to a year's RKP Desa, each with its
//! due date, and whether it is done, due or late. The defaults follow Permendagri
//! 114/2014: ideas gathered in the dusun and groups by May, the planning Musdes by June,
//! the drafting (and so its Tim Penyusun) from July, the Musrenbangdes and the Perdes that
//! sets the plan by the end of September of the year before; the DU-RKP then goes through
//! the camat to the musrenbang kecamatan early in the plan's year. A kabupaten sets its own
//! dates by Perbup once for all its villages ([`Override`]). Pure: the dates things were
//! done come in, the stages go out.

use chrono::NaiveDate;

/// How many stages a planning year has.
pub const STAGES: usize = 6;

/// The stages the system records, in their order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageKind {
    /// Musyawarah dusun and group meetings gather ideas and forward them.
    Gathering,
    /// The BPD's planning Musdes reviews the RPJM Desa and agrees the year's priorities.
    PlanningMusdes,
    /// The kepala desa appoints the Tim Penyusun RKP Desa by decree.
    TimPenyusun,
    /// The kepala desa's Musrenbangdes agrees the draft RKP Desa.
    Musrenbangdes,
    /// The Peraturan Desa sets the RKP Desa.
    Perdes,
    /// The kecamatan has answered every item of the DU-RKP.
    DuRkpAnswered,
}

impl StageKind {
    pub const ALL: [StageKind; STAGES] = [
        StageKind::Gathering,
        StageKind::PlanningMusdes,
        StageKind::TimPenyusun,
        StageKind::Musrenbangdes,
        StageKind::Perdes,
        StageKind::DuRkpAnswered,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StageKind::Gathering => "gathering",
            StageKind::PlanningMusdes => "planning_musdes",
            StageKind::TimPenyusun => "tim_penyusun",
            StageKind::Musrenbangdes => "musrenbangdes",
            StageKind::Perdes => "perdes",
            StageKind::DuRkpAnswered => "du_rkp",
        }
    }

    pub fn parse(code: &str) -> Option<StageKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Whether the stage falls in the plan's own year (the others, the year before).
    pub fn in_plan_year(self) -> bool {
        self == StageKind::DuRkpAnswered
    }

    /// The default (month, day) of the stage's due date.
    pub fn default_month_day(self) -> (u32, u32) {
        match self {
            StageKind::Gathering => (5, 31),
            StageKind::PlanningMusdes => (6, 30),
            StageKind::TimPenyusun => (7, 31),
            StageKind::Musrenbangdes | StageKind::Perdes => (9, 30),
            StageKind::DuRkpAnswered => (2, 28),
        }
    }

    /// The due date for the plan of `plan_year` on (month, day) `md`: the work happens the
    /// year before, the kecamatan's answer in the plan's year. A 29 February that year
    /// does not have is its 28th.
    pub fn due_on(self, plan_year: i32, (m, d): (u32, u32)) -> NaiveDate {
        let y = if self.in_plan_year() {
            plan_year
        } else {
            plan_year - 1
        };
        NaiveDate::from_ymd_opt(y, m, d)
            .or_else(|| NaiveDate::from_ymd_opt(y, m, d.saturating_sub(1)))
            .unwrap_or(NaiveDate::MIN)
    }

    /// The default due date for the plan of `plan_year`.
    pub fn default_due(self, plan_year: i32) -> NaiveDate {
        self.due_on(plan_year, self.default_month_day())
    }
}

/// A kabupaten's own due date for a stage (its Perbup), as month and day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub stage: StageKind,
    pub month: u32,
    pub day: u32,
}

/// Whether (month, day) is a day of some year (29 February included).
pub fn valid_month_day(month: u32, day: u32) -> bool {
    NaiveDate::from_ymd_opt(2028, month, day).is_some()
}

/// A kabupaten's date for one stage, as typed (`date` as `DD-MM`, e.g. `31-08`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct PerbupForm {
    pub kabupaten: String,
    pub stage: String,
    pub date: String,
    pub source: String,
}

impl PerbupForm {
    /// A kabupaten's name, a stage, a day of the year as `DD-MM` (or `DD/MM`), and the
    /// regulation that sets it: (kabupaten, the date, the regulation).
    pub fn validate(&self) -> Result<(String, Override, String), super::FieldErrors> {
        use super::validation;
        let mut e = super::FieldErrors::new();
        let kabupaten = validation::name(&mut e, "kabupaten", &self.kabupaten);
        let stage = StageKind::parse(self.stage.trim());
        if stage.is_none() {
            e.add("stage", "error.choose_from_list");
        }
        let day_month = self
            .date
            .trim()
            .split_once(['-', '/', '.'])
            .and_then(|(d, m)| Some((d.trim().parse::<u32>().ok()?, m.trim().parse::<u32>().ok()?)))
            .filter(|(d, m)| valid_month_day(*m, *d));
        if day_month.is_none() {
            e.add("date", "calendar.error.date");
        }
        let source = validation::text(
            &mut e,
            "source",
            &self.source,
            3,
            200,
            "calendar.error.source",
            "error.too_long",
        );
        match (stage, day_month) {
            (Some(stage), Some((day, month))) if e.is_empty() => {
                Ok((kabupaten, Override { stage, month, day }, source))
            }
            _ => Err(e),
        }
    }
}

/// The due dates of the plan of `plan_year`: the kabupaten's where it set one, else the
/// defaults.
pub fn due_dates(plan_year: i32, overrides: &[Override]) -> [NaiveDate; STAGES] {
    StageKind::ALL.map(|kind| {
        let md = overrides
            .iter()
            .find(|o| o.stage == kind)
            .map_or(kind.default_month_day(), |o| (o.month, o.day));
        kind.due_on(plan_year, md)
    })
}

/// Where a stage stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Done on its day; `late` when after its due date.
    Done { on: NaiveDate, late: bool },
    /// Not done, its due date not passed.
    Due,
    /// Not done, and its due date has passed.
    Late,
}

impl State {
    pub fn code(self) -> &'static str {
        match self {
            State::Done { late: false, .. } => "done",
            State::Done { late: true, .. } => "done_late",
            State::Due => "due",
            State::Late => "late",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stage {
    pub kind: StageKind,
    pub due: NaiveDate,
    pub state: State,
}

/// The stages of the plan of `plan_year` with the default due dates, given the day each
/// was done (in the order of [`StageKind::ALL`]) and today.
pub fn calendar(plan_year: i32, done: [Option<NaiveDate>; STAGES], today: NaiveDate) -> Vec<Stage> {
    calendar_with(due_dates(plan_year, &[]), done, today)
}

/// The stages with their due dates `dues`, given the day each was done and today.
pub fn calendar_with(
    dues: [NaiveDate; STAGES],
    done: [Option<NaiveDate>; STAGES],
    today: NaiveDate,
) -> Vec<Stage> {
    StageKind::ALL
        .into_iter()
        .zip(done)
        .zip(dues)
        .map(|((kind, done), due)| {
            let state = match done {
                Some(on) => State::Done { on, late: on > due },
                None if today > due => State::Late,
                None => State::Due,
            };
            Stage { kind, due, state }
        })
        .collect()
}

/// The first stage not done yet: where the year stands (`None` once the plan is set).
pub fn next(stages: &[Stage]) -> Option<&Stage> {
    stages
        .iter()
        .find(|s| !matches!(s.state, State::Done { .. }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_plan_of_a_year_is_made_the_year_before_by_the_end_of_september() {
        assert_eq!(StageKind::Gathering.default_due(2027), day("2026-05-31"));
        assert_eq!(
            StageKind::PlanningMusdes.default_due(2027),
            day("2026-06-30")
        );
        assert_eq!(
            StageKind::Musrenbangdes.default_due(2027),
            day("2026-09-30")
        );
        assert_eq!(StageKind::Perdes.default_due(2027), day("2026-09-30"));
        assert_eq!(StageKind::TimPenyusun.default_due(2027), day("2026-07-31"));
        // The kecamatan answers the DU-RKP in the plan's own year.
        assert_eq!(
            StageKind::DuRkpAnswered.default_due(2027),
            day("2027-02-28")
        );
    }

    #[test]
    fn a_perbup_date_is_a_day_of_the_year_with_its_regulation() {
        let form = |date: &str| PerbupForm {
            kabupaten: " Purbalingga ".into(),
            stage: "musrenbangdes".into(),
            date: date.into(),
            source: "Perbup Purbalingga 12/2024".into(),
        };
        let (k, o, _) = form("31-08").validate().unwrap();
        assert_eq!((k.as_str(), o.month, o.day), ("Purbalingga", 8, 31));
        assert_eq!(form("29/2").validate().unwrap().1.month, 2);
        for bad in ["31-09", "0-1", "agustus", "", "15-13"] {
            let e = form(bad).validate().unwrap_err();
            assert_eq!(e.get("date"), Some("calendar.error.date"), "{bad}");
        }
        let mut f = form("31-08");
        f.stage = "lomba".into();
        f.source = "x".into();
        let e = f.validate().unwrap_err();
        assert_eq!(e.get("stage"), Some("error.choose_from_list"));
        assert_eq!(e.get("source"), Some("calendar.error.source"));
    }

    #[test]
    fn a_kabupaten_sets_its_own_dates_and_the_others_stay() {
        let perbup = [
            Override {
                stage: StageKind::Musrenbangdes,
                month: 8,
                day: 31,
            },
            Override {
                stage: StageKind::DuRkpAnswered,
                month: 2,
                day: 29,
            },
        ];
        let dues = due_dates(2027, &perbup);
        assert_eq!(dues[3], day("2026-08-31"));
        assert_eq!(dues[4], day("2026-09-30"));
        // 2027 has no 29 February: its 28th.
        assert_eq!(dues[5], day("2027-02-28"));
        assert_eq!(due_dates(2028, &perbup)[5], day("2028-02-29"));
        assert!(valid_month_day(2, 29) && !valid_month_day(2, 30) && !valid_month_day(13, 1));
    }

    #[test]
    fn each_stage_is_done_on_time_done_late_due_or_late() {
        let done = [
            Some(day("2026-05-20")),
            Some(day("2026-07-02")),
            Some(day("2026-07-10")),
            None,
            None,
            None,
        ];
        let s = calendar(2027, done, day("2026-08-15"));
        assert_eq!(
            s.iter().map(|s| s.state.code()).collect::<Vec<_>>(),
            ["done", "done_late", "done", "due", "due", "due"]
        );
        assert_eq!(next(&s).map(|s| s.kind), Some(StageKind::Musrenbangdes));
        let s = calendar(2027, done, day("2026-10-01"));
        assert_eq!(s[3].state, State::Late);
        assert_eq!(s[4].state, State::Late);
        assert_eq!(s[5].state, State::Due);
        let all = [Some(day("2026-05-01")); STAGES];
        assert_eq!(next(&calendar(2027, all, day("2026-10-01"))), None);
    }
}
