//! Satisfaction and trust after a meeting (seed 001: tingkat kepuasan, peningkatan
//! kepercayaan): an attendee rates a held meeting, says whether they were heard, and may
//! answer the yearly trust question. Online, the form asks for the meeting's rating code,
//! printed on the daftar hadir in the hall; on paper, the facilitator enters the answers.

use super::meeting::MeetingStatus;
use super::validation::{self, FieldErrors};

super::coded!(
    /// "Were you heard?"
    Heard {
        Yes = "yes",
        Partly = "partly",
        No = "no",
    }
);

impl Heard {
    /// The answer as a form gives it: the codes, or the contract's `ya` / `tidak`
    /// (and `sebagian`).
    pub fn from_answer(raw: &str) -> Option<Heard> {
        match raw.trim() {
            "ya" => Some(Heard::Yes),
            "sebagian" => Some(Heard::Partly),
            "tidak" => Some(Heard::No),
            code => Heard::parse(code),
        }
    }
}

/// A meeting is rated once it was held, and still after its record is finalized.
pub fn may_rate(status: MeetingStatus) -> bool {
    status != MeetingStatus::Planned
}

/// A rating code as people type it: `3f9-a21`, `3F9 A21` and `3F9A21` alike.
pub fn normalize_code(raw: &str) -> String {
    raw.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A code as printed: `3F9-A21`, easier to read out and type.
pub fn printed_code(code: &str) -> String {
    match code.len() {
        6 => format!("{}-{}", &code[..3], &code[3..]),
        _ => code.to_string(),
    }
}

/// A rating as typed in its form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct RatingForm {
    pub kode: String,
    /// 1–5 (`rating` is the contract's name for it).
    #[serde(alias = "rating")]
    pub score: String,
    pub heard: String,
    pub trust: String,
    pub comment: String,
    pub hamlet: String,
    pub group: String,
}

/// A rating that passed its checks.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedRating {
    pub score: i64,
    pub heard: Heard,
    pub trust: Option<i64>,
    pub comment: Option<String>,
    pub hamlet: Option<String>,
    pub group: Option<uuid::Uuid>,
}

fn scale(errors: &mut FieldErrors, field: &'static str, raw: &str, required: bool) -> Option<i64> {
    match raw.trim() {
        "" if !required => None,
        v => match v.parse::<i64>() {
            Ok(n) if (1..=5).contains(&n) => Some(n),
            _ => {
                errors.add(field, "error.rating_scale");
                None
            }
        },
    }
}

impl RatingForm {
    /// Checks the answers; the hamlet and group must be the village's. The code is
    /// checked apart ([`code_matches`]), since a facilitator entering paper needs none.
    pub fn validate(
        &self,
        hamlets: &[String],
        groups: &[uuid::Uuid],
    ) -> Result<CheckedRating, FieldErrors> {
        let mut e = FieldErrors::new();
        let score = scale(&mut e, "score", &self.score, true);
        let heard = Heard::from_answer(&self.heard);
        if heard.is_none() {
            e.add("heard", "error.choose_from_list");
        }
        let trust = scale(&mut e, "trust", &self.trust, false);
        let comment = validation::optional_text(&mut e, "comment", &self.comment, 1000);
        let hamlet = validation::optional_choice(&mut e, "hamlet", &self.hamlet, |h| {
            hamlets.iter().any(|x| x == h)
        });
        let group = validation::optional_id(&mut e, "group", &self.group, groups);
        match (score, heard) {
            (Some(score), Some(heard)) if e.is_empty() => Ok(CheckedRating {
                score,
                heard,
                trust,
                comment,
                hamlet,
                group,
            }),
            _ => Err(e),
        }
    }
}

/// Whether the typed code is this meeting's.
pub fn code_matches(typed: &str, code: Option<&str>) -> bool {
    let typed = normalize_code(typed);
    code.is_some_and(|c| !typed.is_empty() && typed == c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(fields: &[(&str, &str)]) -> RatingForm {
        let mut f = RatingForm::default();
        for (k, v) in fields {
            let v = v.to_string();
            match *k {
                "score" => f.score = v,
                "heard" => f.heard = v,
                "trust" => f.trust = v,
                "comment" => f.comment = v,
                "hamlet" => f.hamlet = v,
                "group" => f.group = v,
                _ => f.kode = v,
            }
        }
        f
    }

    #[test]
    fn a_rating_has_a_score_and_a_heard_answer_and_the_rest_is_optional() {
        let g = uuid::Uuid::from_u128(3);
        let ok = form(&[
            ("score", "4"),
            ("heard", "partly"),
            ("trust", "2"),
            ("comment", " Waktunya kurang "),
            ("hamlet", "Krajan"),
            ("group", &g.to_string()),
        ])
        .validate(&["Krajan".into()], &[g])
        .unwrap();
        assert_eq!(ok.score, 4);
        assert_eq!(ok.heard, Heard::Partly);
        assert_eq!(ok.trust, Some(2));
        assert_eq!(ok.comment.as_deref(), Some("Waktunya kurang"));
        let bare = form(&[("score", "1"), ("heard", "no")])
            .validate(&[], &[])
            .unwrap();
        assert_eq!((bare.trust, bare.hamlet, bare.group), (None, None, None));
        let bad = form(&[
            ("score", "6"),
            ("heard", "maybe"),
            ("trust", "0"),
            ("hamlet", "Lain"),
            ("group", "x"),
        ])
        .validate(&["Krajan".into()], &[g])
        .unwrap_err();
        for field in ["score", "heard", "trust", "hamlet", "group"] {
            assert!(bad.get(field).is_some(), "{field}");
        }
        assert!(
            form(&[])
                .validate(&[], &[])
                .unwrap_err()
                .get("score")
                .is_some()
        );
    }

    #[test]
    fn codes_are_read_as_people_type_them() {
        assert!(code_matches("3f9-a21", Some("3F9A21")));
        assert!(code_matches(" 3F9 A21 ", Some("3F9A21")));
        assert!(!code_matches("3F9A22", Some("3F9A21")));
        assert!(!code_matches("", Some("3F9A21")));
        assert!(!code_matches("3F9A21", None));
        assert_eq!(printed_code("3F9A21"), "3F9-A21");
    }

    #[test]
    fn a_meeting_is_rated_once_it_was_held() {
        assert!(!may_rate(MeetingStatus::Planned));
        assert!(may_rate(MeetingStatus::Held));
        assert!(may_rate(MeetingStatus::Finalized));
    }
}
