//! Equity over the years: per dusun and per vulnerable group, how proposals went from
//! submitted to accepted, funded in a set RKP Desa (rupiah, and per person where the
//! dusun's population is known) and completed, and which dusun got nothing.

use uuid::Uuid;

use super::proposal::Status;

/// One proposal as the equity count sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub hamlet: Option<String>,
    /// The groups it is tied to: the one that put it forward, the community body named to
    /// carry it out.
    pub groups: Vec<Uuid>,
    /// The year the proposal was numbered in.
    pub year: i64,
    pub status: String,
    /// The year of the set RKP Desa (in force) that funds it, and with how much.
    pub funded: Option<(i64, i64)>,
}

/// One line of the table: a dusun or a group.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Line {
    pub name: String,
    pub population: Option<i64>,
    pub submitted: usize,
    pub accepted: usize,
    /// Activities funded, and their rupiah, in the set plans of the window.
    pub funded_count: usize,
    pub funded: i64,
    /// Rupiah per person, where the population is known.
    pub per_person: Option<i64>,
    pub completed: usize,
    /// The latest plan year that funded something here.
    pub last_funded: Option<i64>,
}

/// Whether a proposal got past a deciding meeting's acceptance (whatever happened after).
fn was_accepted(status: &str) -> bool {
    matches!(
        Status::parse(status),
        Some(
            Status::Accepted
                | Status::Deferred
                | Status::DuRkp
                | Status::InProgress
                | Status::Completed
                | Status::Evaluated
        )
    )
}

fn was_completed(status: &str) -> bool {
    matches!(
        Status::parse(status),
        Some(Status::Completed | Status::Evaluated)
    )
}

/// The window: proposals numbered from `from` on, plans of years from `from` on.
fn line<'a>(
    name: &str,
    population: Option<i64>,
    facts: impl Iterator<Item = &'a Fact>,
    from: i64,
) -> Line {
    let mut l = Line {
        name: name.to_string(),
        population,
        submitted: 0,
        accepted: 0,
        funded_count: 0,
        funded: 0,
        per_person: None,
        completed: 0,
        last_funded: None,
    };
    for f in facts {
        if f.year >= from {
            l.submitted += 1;
            l.accepted += usize::from(was_accepted(&f.status));
            l.completed += usize::from(was_completed(&f.status));
        }
        if let Some((year, cost)) = f.funded.filter(|(year, _)| *year >= from) {
            l.funded_count += 1;
            l.funded += cost;
            l.last_funded = l.last_funded.max(Some(year));
        }
    }
    l.per_person = population.filter(|p| *p > 0).map(|p| l.funded / p);
    l
}

/// Per dusun of the village (in its order, with its population where known), from year
/// `from` on; proposals of no dusun (the whole village) last, when there are any.
pub fn by_dusun(hamlets: &[(String, Option<i64>)], facts: &[Fact], from: i64) -> Vec<Line> {
    let mut out: Vec<Line> = hamlets
        .iter()
        .map(|(name, people)| {
            line(
                name,
                *people,
                facts.iter().filter(|f| f.hamlet.as_deref() == Some(name)),
                from,
            )
        })
        .collect();
    let known = |f: &&Fact| {
        f.hamlet
            .as_deref()
            .is_some_and(|h| hamlets.iter().any(|(name, _)| name == h))
    };
    let rest = line("", None, facts.iter().filter(|f| !known(f)), from);
    if rest.submitted > 0 || rest.funded_count > 0 {
        out.push(rest);
    }
    out
}

/// Per vulnerable group (`groups`: id and name), by the proposals tied to it.
pub fn by_group(groups: &[(Uuid, String)], facts: &[Fact], from: i64) -> Vec<Line> {
    groups
        .iter()
        .map(|(id, name)| {
            line(
                name,
                None,
                facts.iter().filter(|f| f.groups.contains(id)),
                from,
            )
        })
        .collect()
}

/// The dusun that got nothing funded in the window, when at least one plan was set in it
/// (before any, nobody has been left out yet).
pub fn left_out(lines: &[Line], plans_set: usize) -> Vec<&str> {
    if plans_set == 0 {
        return Vec::new();
    }
    lines
        .iter()
        .filter(|l| !l.name.is_empty() && l.funded_count == 0)
        .map(|l| l.name.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(hamlet: &str, year: i64, status: &str, funded: Option<(i64, i64)>) -> Fact {
        Fact {
            hamlet: (!hamlet.is_empty()).then(|| hamlet.to_string()),
            groups: Vec::new(),
            year,
            status: status.into(),
            funded,
        }
    }

    #[test]
    fn each_dusun_counts_its_own_from_submission_to_completion() {
        let hamlets = [
            ("Krajan".to_string(), Some(1_000)),
            ("Kidul".to_string(), None),
            ("Wetan".to_string(), Some(500)),
        ];
        let facts = [
            fact("Krajan", 2025, "completed", Some((2026, 60_000_000))),
            fact("Krajan", 2025, "deferred", None),
            fact("Krajan", 2026, "submitted", None),
            fact("Kidul", 2025, "in_progress", Some((2026, 40_000_000))),
            fact("Kidul", 2025, "rejected", None),
            // Before the window: not counted.
            fact("Wetan", 2019, "completed", Some((2020, 90_000_000))),
            fact("Wetan", 2025, "submitted", None),
            fact("", 2025, "accepted", None),
        ];
        let lines = by_dusun(&hamlets, &facts, 2022);
        assert_eq!(lines.len(), 4, "the three dusun and the whole village");
        let k = &lines[0];
        assert_eq!(
            (k.submitted, k.accepted, k.funded_count, k.completed),
            (3, 2, 1, 1)
        );
        assert_eq!(
            (k.funded, k.per_person, k.last_funded),
            (60_000_000, Some(60_000), Some(2026))
        );
        assert_eq!(
            (lines[1].funded, lines[1].per_person),
            (40_000_000, None),
            "no population: no per person"
        );
        assert_eq!((lines[2].submitted, lines[2].funded_count), (1, 0));
        assert_eq!((lines[3].name.as_str(), lines[3].accepted), ("", 1));
        assert_eq!(left_out(&lines, 1), vec!["Wetan"]);
        assert!(
            left_out(&lines, 0).is_empty(),
            "no plan set yet: nobody left out"
        );
    }

    #[test]
    fn a_vulnerable_group_counts_what_it_put_forward() {
        let women = Uuid::from_u128(1);
        let mut f = fact("Krajan", 2025, "completed", Some((2026, 10_000_000)));
        f.groups = vec![women];
        let lines = by_group(
            &[(women, "Kelompok Wanita Tani".into())],
            &[f, fact("Krajan", 2025, "submitted", None)],
            2022,
        );
        assert_eq!(
            (lines[0].submitted, lines[0].funded, lines[0].completed),
            (1, 10_000_000, 1)
        );
    }
}
