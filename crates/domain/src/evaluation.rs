//! The evaluation of a year's RKP Desa: what was planned against what was done, read from
//! the proposals' statuses and progress reports (for the planning Musdes of the next year).

/// Where one planned activity stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Completed (or completed and rated by residents).
    Done,
    /// Under way: in progress, or with a progress report.
    Underway,
    /// Nothing reported yet.
    NotStarted,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::Underway => "underway",
            Outcome::NotStarted => "not_started",
        }
    }

    /// From the proposal's status and its latest reported progress (percent).
    pub fn of(status: &str, progress: Option<i64>) -> Outcome {
        match status {
            "completed" | "evaluated" => Outcome::Done,
            "in_progress" => Outcome::Underway,
            _ if progress.is_some_and(|p| p > 0) => Outcome::Underway,
            _ => Outcome::NotStarted,
        }
    }
}

/// The year in figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub planned: usize,
    pub done: usize,
    pub underway: usize,
    pub not_started: usize,
    pub planned_cost: i64,
    /// The cost of the activities done.
    pub done_cost: i64,
    /// Share of the activities done, in whole percent (rounded down).
    pub done_percent: i64,
}

/// Sums up `(outcome, planned cost)` per activity.
pub fn summarize(items: &[(Outcome, i64)]) -> Summary {
    let count = |o: Outcome| items.iter().filter(|(x, _)| *x == o).count();
    let planned = items.len();
    let done = count(Outcome::Done);
    Summary {
        planned,
        done,
        underway: count(Outcome::Underway),
        not_started: count(Outcome::NotStarted),
        planned_cost: items.iter().map(|(_, c)| c).sum(),
        done_cost: items
            .iter()
            .filter(|(o, _)| *o == Outcome::Done)
            .map(|(_, c)| c)
            .sum(),
        done_percent: (done * 100)
            .checked_div(planned)
            .and_then(|p| i64::try_from(p).ok())
            .unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_come_from_the_status_and_the_reports() {
        assert_eq!(Outcome::of("evaluated", None), Outcome::Done);
        assert_eq!(Outcome::of("completed", Some(80)), Outcome::Done);
        assert_eq!(Outcome::of("in_progress", None), Outcome::Underway);
        assert_eq!(Outcome::of("accepted", Some(10)), Outcome::Underway);
        assert_eq!(Outcome::of("accepted", Some(0)), Outcome::NotStarted);
        assert_eq!(Outcome::of("accepted", None), Outcome::NotStarted);
    }

    #[test]
    fn the_year_in_figures() {
        let s = summarize(&[
            (Outcome::Done, 45),
            (Outcome::Underway, 18),
            (Outcome::NotStarted, 10),
        ]);
        assert_eq!((s.planned, s.done, s.underway, s.not_started), (3, 1, 1, 1));
        assert_eq!((s.planned_cost, s.done_cost, s.done_percent), (73, 45, 33));
        assert_eq!(summarize(&[]), Summary::default());
    }
}
