//! Feedback on a proposal: comments, concerns and supports, and officials' answers.

use super::validation::{self, FieldErrors};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Comment,
    Concern,
    Support,
}

impl Kind {
    pub fn parse(raw: &str) -> Option<Kind> {
        match raw.trim() {
            "comment" => Some(Kind::Comment),
            "concern" => Some(Kind::Concern),
            "support" => Some(Kind::Support),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Kind::Comment => "comment",
            Kind::Concern => "concern",
            Kind::Support => "support",
        }
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct FeedbackForm {
    pub kind: String,
    pub body: String,
}

impl FeedbackForm {
    /// A comment or concern needs words; a support may come without.
    pub fn validate(&self) -> Result<(Kind, String), FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = Kind::parse(&self.kind);
        if kind.is_none() {
            e.add("kind", "error.choose_from_list");
        }
        let body = match kind {
            Some(Kind::Support) => {
                validation::optional_text(&mut e, "body", &self.body, 500).unwrap_or_default()
            }
            _ => validation::text(
                &mut e,
                "body",
                &self.body,
                2,
                2000,
                "error.feedback_body",
                "error.too_long",
            ),
        };
        match kind {
            Some(k) if e.is_empty() => Ok((k, body)),
            _ => Err(e),
        }
    }
}

/// An answer, or the reason for hiding an entry: 2 to 2000 characters.
pub fn check_text(field: &'static str, raw: &str) -> Result<String, FieldErrors> {
    let mut e = FieldErrors::new();
    let text = validation::text(
        &mut e,
        field,
        raw,
        2,
        2000,
        "error.feedback_body",
        "error.too_long",
    );
    e.into_result(text)
}

/// A proposal's support comes from other residents: its proposer's own counts for nothing.
pub fn may_support(proposer: Option<uuid::Uuid>, person: uuid::Uuid) -> bool {
    proposer != Some(person)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_need_words_supports_do_not() {
        let f = |kind: &str, body: &str| {
            FeedbackForm {
                kind: kind.into(),
                body: body.into(),
            }
            .validate()
        };
        assert_eq!(f("support", "").unwrap(), (Kind::Support, String::new()));
        assert_eq!(
            f("comment", " Setuju ").unwrap(),
            (Kind::Comment, "Setuju".into())
        );
        assert_eq!(
            f("concern", " ").unwrap_err().get("body"),
            Some("error.feedback_body")
        );
        assert_eq!(
            f("like", "x y").unwrap_err().get("kind"),
            Some("error.choose_from_list")
        );
        assert_eq!(
            f("comment", &"x".repeat(2001)).unwrap_err().get("body"),
            Some("error.too_long")
        );
        assert!(check_text("body", "Baik, kami tindak lanjuti").is_ok());
        assert!(check_text("reason", "").is_err());
    }

    #[test]
    fn a_proposer_does_not_support_their_own_proposal() {
        let (me, other) = (uuid::Uuid::from_u128(1), uuid::Uuid::from_u128(2));
        assert!(!may_support(Some(me), me));
        assert!(may_support(Some(other), me));
        assert!(may_support(None, me));
    }
}
