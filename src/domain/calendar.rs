//! The planning year's calendar: the stages that lead to a year's RKP Desa, each with its
//! due date (after Permendagri 114/2014: ideas gathered in the dusun and groups by May,
//! the planning Musdes by June, the Musrenbangdes and the Perdes that sets the plan by the
//! end of September of the year before), and whether it is done, due or late. Pure: the
//! dates things were done come in, the stages go out.

use chrono::NaiveDate;

/// The stages the system records, in their order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageKind {
    /// Musyawarah dusun and group meetings gather ideas and forward them.
    Gathering,
    /// The BPD's planning Musdes reviews the RPJM Desa and agrees the year's priorities.
    PlanningMusdes,
    /// The kepala desa's Musrenbangdes agrees the draft RKP Desa.
    Musrenbangdes,
    /// The Peraturan Desa sets the RKP Desa.
    Perdes,
}

impl StageKind {
    pub const ALL: [StageKind; 4] = [
        StageKind::Gathering,
        StageKind::PlanningMusdes,
        StageKind::Musrenbangdes,
        StageKind::Perdes,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StageKind::Gathering => "gathering",
            StageKind::PlanningMusdes => "planning_musdes",
            StageKind::Musrenbangdes => "musrenbangdes",
            StageKind::Perdes => "perdes",
        }
    }

    /// The default due date for the plan of `plan_year` (the work happens the year before).
    pub fn default_due(self, plan_year: i32) -> NaiveDate {
        let y = plan_year - 1;
        let (m, d) = match self {
            StageKind::Gathering => (5, 31),
            StageKind::PlanningMusdes => (6, 30),
            StageKind::Musrenbangdes | StageKind::Perdes => (9, 30),
        };
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }
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

/// The stages of the plan of `plan_year`, given the day each was done (in the order of
/// [`StageKind::ALL`]) and today.
pub fn calendar(plan_year: i32, done: [Option<NaiveDate>; 4], today: NaiveDate) -> Vec<Stage> {
    StageKind::ALL
        .into_iter()
        .zip(done)
        .map(|(kind, done)| {
            let due = kind.default_due(plan_year);
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
    }

    #[test]
    fn each_stage_is_done_on_time_done_late_due_or_late() {
        let done = [Some(day("2026-05-20")), Some(day("2026-07-02")), None, None];
        let s = calendar(2027, done, day("2026-08-15"));
        assert_eq!(
            s.iter().map(|s| s.state.code()).collect::<Vec<_>>(),
            ["done", "done_late", "due", "due"]
        );
        assert_eq!(next(&s).map(|s| s.kind), Some(StageKind::Musrenbangdes));
        let s = calendar(2027, done, day("2026-10-01"));
        assert_eq!(s[2].state, State::Late);
        assert_eq!(s[3].state, State::Late);
        let all = [Some(day("2026-05-01")); 4];
        assert_eq!(next(&calendar(2027, all, day("2026-10-01"))), None);
    }
}
