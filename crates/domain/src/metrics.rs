//! Engagement metrics (seed 001): who took part, how often, how evenly, whether concerns
//! were answered. Pure formulas over plain facts; an empty period gives zeros, never a
//! division by zero.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

/// One appearance of a person: a line of a meeting's attendance list, or a feedback entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appearance {
    /// The person as written (names are compared case- and space-insensitively).
    pub name: String,
    /// `L`/`P` for meeting attendance; feedback carries no gender.
    pub gender: Option<String>,
    /// The meeting attended, for attendance lines.
    pub meeting: Option<uuid::Uuid>,
    /// The group the person spoke or attended for, by its name, when recorded.
    pub group: Option<String>,
    /// The person's dusun, when the attendance line records it.
    pub hamlet: Option<String>,
}

/// A feedback entry of the period, for the answer figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackFact {
    pub concern: bool,
    pub at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    /// An action was recorded on it (tindak lanjut): an answer alone is not one.
    pub acted: bool,
}

/// An attendee's rating of a meeting of the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRatingFact {
    pub score: i64,
    pub heard: super::rating::Heard,
    pub trust: Option<i64>,
    pub hamlet: Option<String>,
    /// The group the rater named, by its name.
    pub group: Option<String>,
    /// The year the meeting was held.
    pub year: i32,
}

/// Everything the metrics are computed from.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub appearances: Vec<Appearance>,
    pub feedback: Vec<FeedbackFact>,
    /// Ratings (1–5) given to completed proposals.
    pub ratings: Vec<i64>,
    /// All groups of the village: (name, heard in the period).
    pub groups: Vec<(String, bool)>,
    pub population: Option<i64>,
    pub meeting_ratings: Vec<MeetingRatingFact>,
    /// The decisions of the period's meetings on proposals: whether each was acted on.
    pub decisions: Vec<bool>,
    /// The village's groups with their members, and its dusun with their population,
    /// where recorded: what a fair share of the voices is measured against.
    pub group_sizes: Vec<(String, Option<i64>)>,
    pub hamlet_sizes: Vec<(String, Option<i64>)>,
    /// Residents' observations of the work published in the period (each also an
    /// appearance of its author).
    pub observations: i64,
}

/// The figures shown on the statistics page and in open data.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Metrics {
    pub participants: i64,
    /// Estimated people of 17 and over (when the village records no adult count).
    pub adults: Option<i64>,
    /// Participants per 1,000 adults (per mille keeps it an integer).
    pub participation_per_mille: Option<i64>,
    pub meeting_attendances: i64,
    pub meeting_people: i64,
    /// Meetings attended per person, in hundredths (`150` = 1.5).
    pub frequency_hundredths: Option<i64>,
    pub men: i64,
    pub women: i64,
    pub women_percent: Option<i64>,
    pub groups_heard: Vec<String>,
    pub groups_never_heard: Vec<String>,
    pub contributions: i64,
    /// Share (per cent) of all contributions from the most active tenth of participants.
    pub top_tenth_percent: Option<i64>,
    /// Gini coefficient over contributions per person, in hundredths (0–100).
    pub gini_hundredths: Option<i64>,
    /// The same few people are heard again and again.
    pub concentrated: bool,
    pub feedback: i64,
    pub concerns: i64,
    pub concerns_answered: i64,
    pub concerns_answered_percent: Option<i64>,
    /// Concerns with an action recorded, and those both answered and acted on.
    pub concerns_acted: i64,
    pub concerns_answered_and_acted: i64,
    /// Share (per cent) of concerns answered and acted on.
    pub concerns_answered_and_acted_percent: Option<i64>,
    /// Decisions of the period's meetings on proposals, and those acted on.
    pub decisions: i64,
    pub decisions_acted: i64,
    pub decisions_acted_percent: Option<i64>,
    /// Median hours from a concern to its first answer (whole hours, rounded down).
    pub median_answer_hours: Option<i64>,
    /// The same median in minutes, for an answer given within the hour.
    pub median_answer_minutes: Option<i64>,
    pub ratings: i64,
    /// Average rating in tenths (`42` = 4.2).
    pub rating_tenths: Option<i64>,
    /// How attendees rated the period's meetings, and how far they trust the village
    /// government to act on what residents decide.
    pub satisfaction: Satisfaction,
    /// The same voices by group and by dusun, against their share of the people.
    pub voices: Voices,
    /// Residents' observations of the work, published in the period (seed 002).
    pub resident_observations: i64,
}

/// One group's or dusun's part of the period's voices (attendance lines and feedback).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VoiceShare {
    pub name: String,
    pub attendance: i64,
    pub feedback: i64,
    /// Share (per cent) of the voices whose group (or dusun) is known.
    pub percent: i64,
    /// Share (per cent) of the people: the group's members among all groups' members, the
    /// dusun's population among all dusun's; `None` when not recorded.
    pub population_percent: Option<i64>,
    /// Holds clearly more of the voices than its share of the people would give it.
    pub over: bool,
}

/// Voices by group and by dusun.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Voices {
    pub by_group: Vec<VoiceShare>,
    pub by_hamlet: Vec<VoiceShare>,
    /// Voices with a known group, and with a known dusun.
    pub with_group: i64,
    pub with_hamlet: i64,
}

/// At least this many voices before a share is called too large: a handful shows nothing.
pub const OVER_SHARE_MIN_VOICES: i64 = 10;

/// Whether `percent` of the voices is clearly more than `population_percent` of the
/// people: half as much again, and at least ten points more.
pub fn over_share(percent: i64, population_percent: i64) -> bool {
    percent >= population_percent + 10 && percent * 2 >= population_percent * 3
}

/// Voices per name of `by` (a group, a dusun), against `sizes`; largest share first.
fn shares(
    appearances: &[Appearance],
    by: impl Fn(&Appearance) -> Option<&String>,
    sizes: &[(String, Option<i64>)],
) -> (Vec<VoiceShare>, i64) {
    use std::collections::BTreeMap;
    let mut counts: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for a in appearances {
        if let Some(name) = by(a) {
            let c = counts.entry(name.as_str()).or_default();
            if a.meeting.is_some() {
                c.0 += 1;
            } else {
                c.1 += 1;
            }
        }
    }
    let total: i64 = counts.values().map(|(a, f)| a + f).sum();
    let people: i64 = sizes.iter().filter_map(|s| s.1).sum();
    let mut out: Vec<VoiceShare> = counts
        .into_iter()
        .map(|(name, (attendance, feedback))| {
            let percent = percent(attendance + feedback, total).unwrap_or(0);
            let population_percent = sizes
                .iter()
                .find(|s| s.0 == name)
                .and_then(|s| s.1)
                .and_then(|n| self::percent(n, people));
            VoiceShare {
                name: name.to_string(),
                attendance,
                feedback,
                percent,
                population_percent,
                over: total >= OVER_SHARE_MIN_VOICES
                    && population_percent.is_some_and(|p| over_share(percent, p)),
            }
        })
        .collect();
    out.sort_by(|a, b| b.percent.cmp(&a.percent).then(a.name.cmp(&b.name)));
    (out, total)
}

pub fn voices(f: &Facts) -> Voices {
    let (by_group, with_group) = shares(&f.appearances, |a| a.group.as_ref(), &f.group_sizes);
    let (by_hamlet, with_hamlet) = shares(&f.appearances, |a| a.hamlet.as_ref(), &f.hamlet_sizes);
    Voices {
        by_group,
        by_hamlet,
        with_group,
        with_hamlet,
    }
}

/// Ratings of meetings summed up: how many, the average score, the share who were heard,
/// and the trust question's answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RatingTally {
    pub ratings: i64,
    /// Average score (1–5) in tenths.
    pub score_tenths: Option<i64>,
    /// Share (per cent) who said they were heard (fully).
    pub heard_percent: Option<i64>,
    pub trust_answers: i64,
    /// Average trust (1–5) in tenths.
    pub trust_tenths: Option<i64>,
}

/// [`RatingTally`] over all of the period's meeting ratings, and per dusun, per group and
/// per year (the raters who named them).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Satisfaction {
    pub overall: RatingTally,
    pub by_hamlet: Vec<(String, RatingTally)>,
    pub by_group: Vec<(String, RatingTally)>,
    pub by_year: Vec<(i32, RatingTally)>,
}

/// Rounded average of `sum / n` in tenths.
fn tenths(sum: i64, n: i64) -> Option<i64> {
    (n > 0).then(|| (sum * 20 + n) / (2 * n))
}

pub fn rating_tally<'a>(ratings: impl IntoIterator<Item = &'a MeetingRatingFact>) -> RatingTally {
    let (mut n, mut sum, mut heard, mut trusts, mut trust_sum) = (0, 0, 0, 0, 0);
    for r in ratings {
        n += 1;
        sum += r.score;
        heard += i64::from(r.heard == super::rating::Heard::Yes);
        if let Some(t) = r.trust {
            trusts += 1;
            trust_sum += t;
        }
    }
    RatingTally {
        ratings: n,
        score_tenths: tenths(sum, n),
        heard_percent: percent(heard, n),
        trust_answers: trusts,
        trust_tenths: tenths(trust_sum, trusts),
    }
}

pub fn satisfaction(ratings: &[MeetingRatingFact]) -> Satisfaction {
    use std::collections::BTreeMap;
    fn by<K: Ord + Clone>(
        ratings: &[MeetingRatingFact],
        key: impl Fn(&MeetingRatingFact) -> Option<K>,
    ) -> Vec<(K, RatingTally)> {
        let mut groups: BTreeMap<K, Vec<&MeetingRatingFact>> = BTreeMap::new();
        for r in ratings {
            if let Some(k) = key(r) {
                groups.entry(k).or_default().push(r);
            }
        }
        groups
            .into_iter()
            .map(|(k, rs)| (k, rating_tally(rs)))
            .collect()
    }
    Satisfaction {
        overall: rating_tally(ratings),
        by_hamlet: by(ratings, |r| r.hamlet.clone()),
        by_group: by(ratings, |r| r.group.clone()),
        by_year: by(ratings, |r| Some(r.year)),
    }
}

/// Warn when the most active tenth bring half of all contributions, or Gini ≥ 0.5.
pub const CONCENTRATION_TOP_TENTH: i64 = 50;
pub const CONCENTRATION_GINI: i64 = 50;
/// Share of Indonesians aged 17 and over (BPS, Sensus Penduduk 2020), for the estimate.
pub const ADULT_SHARE_PERCENT: i64 = 70;

fn key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Rounded `a * 100 / b`, or `None` when `b` is 0.
fn percent(a: i64, b: i64) -> Option<i64> {
    (b > 0).then(|| (a * 200 + b) / (2 * b))
}

/// Gini coefficient of `values` in hundredths (0 = all equal); `None` for no values.
pub fn gini_hundredths(values: &[i64]) -> Option<i64> {
    let n = values.len() as i64;
    let total: i64 = values.iter().sum();
    if n == 0 || total == 0 {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    // G = (2 Σ i·x_i) / (n Σ x) − (n + 1) / n, with i from 1 in ascending order.
    let weighted: i64 = sorted
        .iter()
        .enumerate()
        .map(|(i, x)| (i as i64 + 1) * x)
        .sum();
    let numerator = 2 * weighted - (n + 1) * total;
    let denominator = n * total;
    Some((numerator * 200 + denominator) / (2 * denominator))
}

/// Share (per cent) of the total held by the largest tenth of `values` (at least one).
pub fn top_tenth_percent(values: &[i64]) -> Option<i64> {
    let total: i64 = values.iter().sum();
    if values.is_empty() || total == 0 {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let top = values.len().div_ceil(10);
    percent(sorted[..top].iter().sum(), total)
}

/// The median of `values` (the lower middle for an even count).
fn median(mut values: Vec<i64>) -> Option<i64> {
    values.sort_unstable();
    (!values.is_empty()).then(|| values[(values.len() - 1) / 2])
}

/// A time to answer as people say it: minutes within the hour, hours within two days,
/// days after that — the catalogue key of the unit and the rounded number.
pub fn answer_time(minutes: i64) -> (&'static str, i64) {
    match minutes {
        m if m < 60 => ("stats.minutes", m.max(1)),
        m if m < 48 * 60 => ("stats.hours", (m + 30) / 60),
        m => ("stats.days", (m + 12 * 60) / (24 * 60)),
    }
}

pub fn compute(f: &Facts) -> Metrics {
    use std::collections::{BTreeMap, BTreeSet};
    let mut per_person: BTreeMap<String, i64> = BTreeMap::new();
    for a in &f.appearances {
        *per_person.entry(key(&a.name)).or_default() += 1;
    }
    let counts: Vec<i64> = per_person.values().copied().collect();
    let participants = counts.len() as i64;
    let attendance: Vec<&Appearance> = f
        .appearances
        .iter()
        .filter(|a| a.meeting.is_some())
        .collect();
    let meeting_people = attendance
        .iter()
        .map(|a| key(&a.name))
        .collect::<BTreeSet<_>>()
        .len() as i64;
    let men = attendance
        .iter()
        .filter(|a| a.gender.as_deref() == Some("L"))
        .count() as i64;
    let women = attendance
        .iter()
        .filter(|a| a.gender.as_deref() == Some("P"))
        .count() as i64;
    let adults = f.population.map(|p| p * ADULT_SHARE_PERCENT / 100);
    let concerns: Vec<&FeedbackFact> = f.feedback.iter().filter(|x| x.concern).collect();
    let answered: Vec<i64> = concerns
        .iter()
        .filter_map(|c| c.answered_at.map(|a| (a - c.at).num_minutes().max(0)))
        .collect();
    let acted = concerns.iter().filter(|c| c.acted).count() as i64;
    let answered_and_acted = concerns
        .iter()
        .filter(|c| c.acted && c.answered_at.is_some())
        .count() as i64;
    let decisions_acted = f.decisions.iter().filter(|d| **d).count() as i64;
    let top = top_tenth_percent(&counts);
    let gini = gini_hundredths(&counts);
    let rating_sum: i64 = f.ratings.iter().sum();
    let n_ratings = f.ratings.len() as i64;
    Metrics {
        participants,
        adults,
        participation_per_mille: adults
            .filter(|a| *a > 0)
            .map(|a| (participants * 2000 + a) / (2 * a)),
        meeting_attendances: attendance.len() as i64,
        meeting_people,
        frequency_hundredths: (meeting_people > 0)
            .then(|| (attendance.len() as i64 * 200 + meeting_people) / (2 * meeting_people)),
        men,
        women,
        women_percent: percent(women, men + women),
        groups_heard: f
            .groups
            .iter()
            .filter(|g| g.1)
            .map(|g| g.0.clone())
            .collect(),
        groups_never_heard: f
            .groups
            .iter()
            .filter(|g| !g.1)
            .map(|g| g.0.clone())
            .collect(),
        contributions: counts.iter().sum(),
        top_tenth_percent: top,
        gini_hundredths: gini,
        // Three people cannot show a pattern; the warning needs a crowd to speak of.
        concentrated: participants >= 5
            && (top.is_some_and(|t| t >= CONCENTRATION_TOP_TENTH)
                || gini.is_some_and(|g| g >= CONCENTRATION_GINI)),
        feedback: f.feedback.len() as i64,
        concerns: concerns.len() as i64,
        concerns_answered: answered.len() as i64,
        concerns_answered_percent: percent(answered.len() as i64, concerns.len() as i64),
        concerns_acted: acted,
        concerns_answered_and_acted: answered_and_acted,
        concerns_answered_and_acted_percent: percent(answered_and_acted, concerns.len() as i64),
        decisions: f.decisions.len() as i64,
        decisions_acted,
        decisions_acted_percent: percent(decisions_acted, f.decisions.len() as i64),
        median_answer_hours: median(answered.clone()).map(|m| m / 60),
        median_answer_minutes: median(answered),
        ratings: n_ratings,
        rating_tenths: tenths(rating_sum, n_ratings),
        satisfaction: satisfaction(&f.meeting_ratings),
        voices: voices(f),
        resident_observations: f.observations,
    }
}

/// A period of whole days in the village's time zone, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// Reads `from` and `to` (`YYYY-MM-DD`); empty ends default to the year so far.
    pub fn parse(from: &str, to: &str, today: NaiveDate) -> Result<Period, crate::FieldErrors> {
        use chrono::Datelike;
        let mut e = crate::FieldErrors::new();
        let mut date = |field: &'static str, raw: &str, default: NaiveDate| match raw.trim() {
            "" => default,
            raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .filter(|d| (2000..=2999).contains(&d.year()))
                .unwrap_or_else(|| {
                    e.add(field, "error.date");
                    default
                }),
        };
        let start_of_year = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        let p = Period {
            from: date("from", from, start_of_year),
            to: date("to", to, today),
        };
        if e.is_empty() && p.to < p.from {
            e.add("to", "error.period_reversed");
        }
        e.into_result(p)
    }

    /// The instants bounding the period: the first moment of `from`, the first after `to`.
    pub fn bounds(&self, tz: chrono_tz::Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        let at = |d: NaiveDate| {
            tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
                .single()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_default()
        };
        (at(self.from), at(self.to.succ_opt().unwrap_or(self.to)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attend(name: &str, gender: &str, meeting: u128) -> Appearance {
        Appearance {
            name: name.into(),
            gender: Some(gender.into()),
            meeting: Some(uuid::Uuid::from_u128(meeting)),
            group: None,
            hamlet: None,
        }
    }

    fn spoke(name: &str) -> Appearance {
        Appearance {
            name: name.into(),
            gender: None,
            meeting: None,
            group: None,
            hamlet: None,
        }
    }

    #[test]
    fn a_group_or_dusun_holding_more_voices_than_its_people_is_named() {
        let at = |group: &str, hamlet: &str| Appearance {
            group: (!group.is_empty()).then(|| group.to_string()),
            hamlet: (!hamlet.is_empty()).then(|| hamlet.to_string()),
            ..attend("x", "L", 1)
        };
        let said = |group: &str| Appearance {
            group: Some(group.to_string()),
            ..spoke("y")
        };
        // 12 voices with a group: the farmers 8 (6 at meetings, 2 in feedback), the PKK 4.
        // Of 100 members, the farmers are 40 and the PKK 60: the farmers hold 67% of the
        // voices for 40% of the members (over); the PKK 33% for 60% (under).
        let mut appearances: Vec<Appearance> = (0..6).map(|_| at("Tani", "Krajan")).collect();
        appearances.extend((0..2).map(|_| said("Tani")));
        appearances.extend((0..4).map(|_| at("PKK", "Sidamulya")));
        appearances.push(at("", "Krajan"));
        let f = Facts {
            appearances,
            group_sizes: vec![("Tani".into(), Some(40)), ("PKK".into(), Some(60))],
            // Krajan is half the people and holds 7 of 11 voices with a dusun (64%):
            // not half as much again, so no warning.
            hamlet_sizes: vec![
                ("Krajan".into(), Some(500)),
                ("Sidamulya".into(), Some(500)),
            ],
            ..Facts::default()
        };
        let v = voices(&f);
        assert_eq!((v.with_group, v.with_hamlet), (12, 11));
        assert_eq!(
            v.by_group[0],
            VoiceShare {
                name: "Tani".into(),
                attendance: 6,
                feedback: 2,
                percent: 67,
                population_percent: Some(40),
                over: true,
            }
        );
        assert_eq!((v.by_group[1].percent, v.by_group[1].over), (33, false));
        assert_eq!(
            (
                v.by_hamlet[0].name.as_str(),
                v.by_hamlet[0].percent,
                v.by_hamlet[0].over
            ),
            ("Krajan", 64, false)
        );
        // Under ten voices nothing is called too large.
        let few = Facts {
            appearances: f.appearances[..8].to_vec(),
            ..f.clone()
        };
        assert!(voices(&few).by_group.iter().all(|s| !s.over));
        // A share is over only clearly: half as much again and ten points more.
        assert!(over_share(30, 20));
        assert!(!over_share(29, 20));
        assert!(!over_share(8, 4));
        assert!(over_share(100, 60));
    }

    #[test]
    fn gini_is_zero_when_equal_and_grows_with_concentration() {
        assert_eq!(gini_hundredths(&[]), None);
        assert_eq!(gini_hundredths(&[0, 0]), None);
        assert_eq!(gini_hundredths(&[5, 5, 5, 5]), Some(0));
        // One of four holds everything: (n − 1) / n = 0.75.
        assert_eq!(gini_hundredths(&[0, 0, 0, 8]), Some(75));
        // 1, 2, 3, 4: G = 0.25.
        assert_eq!(gini_hundredths(&[4, 1, 3, 2]), Some(25));
    }

    #[test]
    fn the_top_tenth_is_at_least_one_person() {
        assert_eq!(top_tenth_percent(&[]), None);
        assert_eq!(top_tenth_percent(&[1, 1, 1, 1]), Some(25));
        // Twenty people: the top two bring 20 of 38.
        let mut v = vec![1; 18];
        v.extend([10, 10]);
        assert_eq!(top_tenth_percent(&v), Some(53));
    }

    #[test]
    fn participants_frequency_and_gender_come_from_attendance_and_feedback() {
        let f = Facts {
            appearances: vec![
                attend("Siti Aminah", "P", 1),
                attend("siti  aminah", "P", 2),
                attend("Darto", "L", 1),
                spoke("Darto"),
                spoke("Wati"),
            ],
            population: Some(1000),
            ..Facts::default()
        };
        let m = compute(&f);
        assert_eq!(m.participants, 3, "the same name is one person");
        assert_eq!((m.meeting_attendances, m.meeting_people), (3, 2));
        assert_eq!(m.frequency_hundredths, Some(150));
        assert_eq!((m.men, m.women, m.women_percent), (1, 2, Some(67)));
        assert_eq!(m.adults, Some(700));
        assert_eq!(m.participation_per_mille, Some(4));
        assert_eq!(m.contributions, 5);
    }

    #[test]
    fn concerns_answered_and_the_median_time_to_answer() {
        let t = |h: i64| {
            Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap() + chrono::Duration::hours(h)
        };
        let f = Facts {
            feedback: vec![
                FeedbackFact {
                    concern: true,
                    at: t(0),
                    answered_at: Some(t(2)),
                    acted: true,
                },
                FeedbackFact {
                    concern: true,
                    at: t(0),
                    answered_at: Some(t(30)),
                    acted: false,
                },
                FeedbackFact {
                    concern: true,
                    at: t(0),
                    answered_at: Some(t(5)),
                    acted: false,
                },
                FeedbackFact {
                    concern: true,
                    at: t(0),
                    answered_at: None,
                    acted: true,
                },
                FeedbackFact {
                    concern: false,
                    at: t(0),
                    answered_at: None,
                    acted: true,
                },
            ],
            decisions: vec![true, false, false],
            ..Facts::default()
        };
        let m = compute(&f);
        assert_eq!((m.feedback, m.concerns, m.concerns_answered), (5, 4, 3));
        // Acted on: two concerns (one answered too, one never answered); the comment's
        // action does not count. Answered and acted on: one of four.
        assert_eq!((m.concerns_acted, m.concerns_answered_and_acted), (2, 1));
        assert_eq!(m.concerns_answered_and_acted_percent, Some(25));
        assert_eq!((m.decisions, m.decisions_acted), (3, 1));
        assert_eq!(m.decisions_acted_percent, Some(33));
        assert_eq!(m.concerns_answered_percent, Some(75));
        assert_eq!(m.median_answer_hours, Some(5));
        assert_eq!(m.median_answer_minutes, Some(300));
    }

    #[test]
    fn a_time_to_answer_reads_in_the_unit_people_use() {
        assert_eq!(answer_time(0), ("stats.minutes", 1));
        assert_eq!(answer_time(3), ("stats.minutes", 3));
        assert_eq!(answer_time(59), ("stats.minutes", 59));
        assert_eq!(answer_time(60), ("stats.hours", 1));
        assert_eq!(answer_time(150), ("stats.hours", 3));
        assert_eq!(answer_time(47 * 60), ("stats.hours", 47));
        assert_eq!(answer_time(48 * 60), ("stats.days", 2));
        assert_eq!(answer_time(10 * 24 * 60 + 600), ("stats.days", 10));
    }

    #[test]
    fn an_empty_period_is_all_zeros_and_nones() {
        let m = compute(&Facts::default());
        assert_eq!(m.participants, 0);
        assert_eq!(m.participation_per_mille, None);
        assert_eq!(m.frequency_hundredths, None);
        assert_eq!(m.women_percent, None);
        assert_eq!(m.gini_hundredths, None);
        assert_eq!(m.concerns_answered_percent, None);
        assert_eq!(m.median_answer_hours, None);
        assert_eq!(m.rating_tenths, None);
        assert!(!m.concentrated);
        let zero = Facts {
            population: Some(0),
            ..Facts::default()
        };
        assert_eq!(compute(&zero).participation_per_mille, None);
    }

    #[test]
    fn the_same_few_voices_raise_the_warning() {
        let mut appearances: Vec<Appearance> =
            (0..8).map(|i| spoke(&format!("Warga {i}"))).collect();
        for _ in 0..12 {
            appearances.push(spoke("Pak Kades"));
        }
        let m = compute(&Facts {
            appearances,
            ..Facts::default()
        });
        assert_eq!(m.participants, 9);
        assert_eq!(m.top_tenth_percent, Some(60));
        assert!(m.concentrated);
        let even: Vec<Appearance> = (0..10).map(|i| spoke(&format!("Warga {i}"))).collect();
        assert!(
            !compute(&Facts {
                appearances: even,
                ..Facts::default()
            })
            .concentrated
        );
    }

    #[test]
    fn ratings_average_in_tenths() {
        let m = compute(&Facts {
            ratings: vec![5, 4, 4],
            ..Facts::default()
        });
        assert_eq!((m.ratings, m.rating_tenths), (3, Some(43)));
    }

    #[test]
    fn a_period_is_read_in_days_and_may_not_end_before_it_starts() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let p = Period::parse("", "", today).unwrap();
        assert_eq!(
            (p.from.to_string(), p.to.to_string()),
            ("2026-01-01".into(), "2026-11-23".into())
        );
        let e = Period::parse("2026-12-01", "2026-11-01", today).unwrap_err();
        assert_eq!(e.get("to"), Some("error.period_reversed"));
        let e = Period::parse("kemarin", "2026-13-01", today).unwrap_err();
        assert_eq!(
            (e.get("from"), e.get("to")),
            (Some("error.date"), Some("error.date"))
        );
        let p = Period::parse("2026-11-01", "2026-11-01", today).unwrap();
        let (a, b) = p.bounds(chrono_tz::Asia::Jakarta);
        assert_eq!(a, Utc.with_ymd_and_hms(2026, 10, 31, 17, 0, 0).unwrap());
        assert_eq!(b - a, chrono::Duration::days(1));
    }

    #[test]
    fn meeting_ratings_sum_up_overall_by_dusun_group_and_year() {
        use crate::rating::Heard;
        let r = |score, heard, trust, hamlet: Option<&str>, group: Option<&str>, year| {
            MeetingRatingFact {
                score,
                heard,
                trust,
                hamlet: hamlet.map(String::from),
                group: group.map(String::from),
                year,
            }
        };
        let ratings = vec![
            r(5, Heard::Yes, Some(4), Some("Krajan"), Some("KWT"), 2026),
            r(4, Heard::Yes, None, Some("Krajan"), None, 2026),
            r(2, Heard::No, Some(1), Some("Sumber"), Some("KWT"), 2026),
            r(3, Heard::Partly, Some(3), None, None, 2025),
        ];
        let s = satisfaction(&ratings);
        // (5+4+2+3)/4 = 3.5; heard 2 of 4; trust (4+1+3)/3 = 2.67 → 2.7.
        assert_eq!(
            s.overall,
            RatingTally {
                ratings: 4,
                score_tenths: Some(35),
                heard_percent: Some(50),
                trust_answers: 3,
                trust_tenths: Some(27),
            }
        );
        assert_eq!(s.by_hamlet.len(), 2);
        assert_eq!(s.by_hamlet[0].0, "Krajan");
        assert_eq!(s.by_hamlet[0].1.score_tenths, Some(45));
        assert_eq!(s.by_hamlet[0].1.heard_percent, Some(100));
        assert_eq!(s.by_hamlet[1].1.score_tenths, Some(20));
        assert_eq!(
            s.by_group,
            vec![(
                "KWT".to_string(),
                RatingTally {
                    ratings: 2,
                    score_tenths: Some(35),
                    heard_percent: Some(50),
                    trust_answers: 2,
                    trust_tenths: Some(25),
                }
            )]
        );
        assert_eq!(
            s.by_year
                .iter()
                .map(|(y, t)| (*y, t.ratings))
                .collect::<Vec<_>>(),
            [(2025, 1), (2026, 3)]
        );
        assert_eq!(satisfaction(&[]), Satisfaction::default());
    }
}
