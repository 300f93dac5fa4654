//! Needs surveys (survei kebutuhan masyarakat): a short form of questions with fixed
//! answers, written by a facilitator in one text box, answered online or on paper (and
//! entered), one answer per person, counted per dusun and group.

use std::collections::BTreeMap;

use super::validation::{self, FieldErrors};

/// At most this many questions, each with 2 to [`MOST_CHOICES`] answers: a survey read out
/// in a musyawarah dusun or filled in on a phone stays short.
pub const MOST_QUESTIONS: usize = 10;
pub const MOST_CHOICES: usize = 8;

/// A question and its fixed answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub text: String,
    pub choices: Vec<String>,
}

/// The questions as written in the survey form: one question per line, its answers after
/// it separated by `|` — `Sumber air minum utama? | Sumur | PDAM | Sungai`.
pub fn parse_questions(raw: &str) -> Result<Vec<Question>, &'static str> {
    let mut questions = Vec::new();
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let mut parts = line.split('|').map(str::trim);
        let text = parts.next().unwrap_or_default().to_string();
        let choices: Vec<String> = parts.filter(|c| !c.is_empty()).map(String::from).collect();
        if text.chars().count() < 5 || text.chars().count() > 300 {
            return Err("error.survey_question_text");
        }
        if choices.len() < 2 || choices.len() > MOST_CHOICES {
            return Err("error.survey_choices");
        }
        if choices.iter().any(|c| c.chars().count() > 120) {
            return Err("error.too_long");
        }
        let mut seen = choices.iter().map(|c| c.to_lowercase()).collect::<Vec<_>>();
        seen.sort();
        seen.dedup();
        if seen.len() != choices.len() {
            return Err("error.survey_choices_twice");
        }
        questions.push(Question { text, choices });
    }
    match questions.len() {
        0 => Err("error.survey_no_questions"),
        n if n > MOST_QUESTIONS => Err("error.survey_too_many"),
        _ => Ok(questions),
    }
}

/// The questions written back into the form's text box.
pub fn write_questions(questions: &[Question]) -> String {
    questions
        .iter()
        .map(|q| format!("{} | {}", q.text, q.choices.join(" | ")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A new survey as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct SurveyForm {
    pub title: String,
    pub intro: String,
    pub group: String,
    pub questions: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckedSurvey {
    pub title: String,
    pub intro: Option<String>,
    pub group: Option<uuid::Uuid>,
    pub questions: Vec<Question>,
}

impl SurveyForm {
    pub fn validate(&self, groups: &[uuid::Uuid]) -> Result<CheckedSurvey, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = validation::text(
            &mut e,
            "title",
            &self.title,
            5,
            160,
            "error.survey_title_short",
            "error.too_long",
        );
        let intro = validation::optional_text(&mut e, "intro", &self.intro, 2000);
        let group = validation::optional_id(&mut e, "group", &self.group, groups);
        let questions = parse_questions(&self.questions).unwrap_or_else(|key| {
            e.add("questions", key);
            Vec::new()
        });
        e.into_result(CheckedSurvey {
            title,
            intro,
            group,
            questions,
        })
    }
}

/// One person's answers as a form gives them: `q0`, `q1`, … the chosen answer's place.
/// Every question must be answered with one of its answers.
pub fn read_answers(
    questions: &[Question],
    fields: &BTreeMap<String, String>,
) -> Result<Vec<i64>, FieldErrors> {
    let mut e = FieldErrors::new();
    let mut chosen = Vec::new();
    for (i, q) in questions.iter().enumerate() {
        match fields
            .get(&format!("q{i}"))
            .and_then(|v| v.trim().parse::<usize>().ok())
        {
            Some(c) if c < q.choices.len() => chosen.push(c as i64),
            _ => e.add(QUESTION_FIELDS[i], "error.survey_answer"),
        }
    }
    e.into_result(chosen)
}

/// The answer fields' names, for the messages beside them.
pub const QUESTION_FIELDS: [&str; MOST_QUESTIONS] =
    ["q0", "q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9"];

/// How often each answer of a question was chosen: overall, and per value of a respondent
/// key (a dusun, a group); respondents without the key are counted overall only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counts {
    pub overall: Vec<i64>,
    pub by: Vec<(String, Vec<i64>)>,
}

/// Counts the answers to question `question` (of `choices` answers) over `responses`:
/// each a respondent key and the chosen places in question order.
pub fn count(question: usize, choices: usize, responses: &[(Option<String>, Vec<i64>)]) -> Counts {
    let mut overall = vec![0; choices];
    let mut by: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (key, chosen) in responses {
        let Some(c) = chosen.get(question).and_then(|c| usize::try_from(*c).ok()) else {
            continue;
        };
        if c >= choices {
            continue;
        }
        overall[c] += 1;
        if let Some(k) = key {
            by.entry(k.clone()).or_insert_with(|| vec![0; choices])[c] += 1;
        }
    }
    Counts {
        overall,
        by: by.into_iter().collect(),
    }
}

/// The respondent key of a paper form: its name, compared without case and spacing.
pub fn paper_respondent(name: &str) -> String {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("paper:{}", name.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_are_written_one_per_line_with_their_answers() {
        let q = parse_questions(
            "Sumber air minum utama? | Sumur | PDAM | Sungai\n\n  Apakah air cukup saat kemarau? |Ya| Tidak  ",
        )
        .unwrap();
        assert_eq!(q.len(), 2);
        assert_eq!(q[0].choices, ["Sumur", "PDAM", "Sungai"]);
        assert_eq!(q[1].text, "Apakah air cukup saat kemarau?");
        assert_eq!(parse_questions(&write_questions(&q)).unwrap(), q);
        assert_eq!(parse_questions(""), Err("error.survey_no_questions"));
        assert_eq!(
            parse_questions("Sumber air? | Sumur"),
            Err("error.survey_choices")
        );
        assert_eq!(
            parse_questions("Sumber air? | Sumur | sumur"),
            Err("error.survey_choices_twice")
        );
        assert_eq!(
            parse_questions("Air | a | b"),
            Err("error.survey_question_text")
        );
        let many = "Pertanyaan? | a | b\n".repeat(11);
        assert_eq!(parse_questions(&many), Err("error.survey_too_many"));
    }

    #[test]
    fn every_question_is_answered_with_one_of_its_answers() {
        let q = parse_questions("Sumber air? | Sumur | PDAM\nCukup saat kemarau? | Ya | Tidak")
            .unwrap();
        let fields = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<BTreeMap<_, _>>()
        };
        assert_eq!(
            read_answers(&q, &fields(&[("q0", "1"), ("q1", "0")])).unwrap(),
            [1, 0]
        );
        let bad = read_answers(&q, &fields(&[("q0", "2")])).unwrap_err();
        assert!(bad.get("q0").is_some() && bad.get("q1").is_some());
    }

    #[test]
    fn answers_are_counted_overall_and_per_dusun() {
        let r = |k: Option<&str>, c: Vec<i64>| (k.map(String::from), c);
        let responses = vec![
            r(Some("Krajan"), vec![0, 1]),
            r(Some("Krajan"), vec![1, 1]),
            r(Some("Sumber"), vec![0, 0]),
            r(None, vec![0, 1]),
        ];
        let c = count(0, 2, &responses);
        assert_eq!(c.overall, [3, 1]);
        assert_eq!(
            c.by,
            [
                ("Krajan".to_string(), vec![1, 1]),
                ("Sumber".to_string(), vec![1, 0])
            ]
        );
        assert_eq!(count(1, 2, &responses).overall, [1, 3]);
        assert_eq!(paper_respondent("  Bu  SARINAH "), "paper:bu sarinah");
    }
}
