//! Validation results keyed by form field, so a 422 page can show each message beside its field.

/// Every problem found in one form, in the order the fields appear.
///
/// Messages are catalogue keys (see `web::i18n`), not sentences: the domain does not
/// know the reader's language.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors(Vec<(&'static str, &'static str)>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &'static str, message: &'static str) {
        // One message per field is enough for a person to fix it.
        if self.get(field).is_none() {
            self.0.push((field, message));
        }
    }

    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, m)| *m)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        self.0.iter().copied()
    }

    /// `Ok(value)` when nothing was wrong, else every error at once.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

/// Trims a text field and checks its length in characters (not bytes).
pub fn text(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
    min: usize,
    max: usize,
    too_short: &'static str,
    too_long: &'static str,
) -> String {
    let value = raw.trim().to_string();
    let n = value.chars().count();
    if n < min {
        errors.add(field, too_short);
    } else if n > max {
        errors.add(field, too_long);
    }
    value
}

/// An optional choice from a list: empty is none; anything `known` refuses is an error.
pub fn optional_choice(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
    known: impl Fn(&str) -> bool,
) -> Option<String> {
    match raw.trim() {
        "" => None,
        v if known(v) => Some(v.to_string()),
        _ => {
            errors.add(field, "error.choose_from_list");
            None
        }
    }
}

/// An optional choice of a record by its id (a meeting, a group): empty is none; an id
/// not among `known` (or not an id) is an error.
pub fn optional_id(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
    known: &[uuid::Uuid],
) -> Option<uuid::Uuid> {
    match raw.trim() {
        "" => None,
        raw => match raw.parse::<uuid::Uuid>() {
            Ok(id) if known.contains(&id) => Some(id),
            _ => {
                errors.add(field, "error.choose_from_list");
                None
            }
        },
    }
}

/// A required name (of a person, place or group): 2 to 120 characters.
pub fn name(errors: &mut FieldErrors, field: &'static str, raw: &str) -> String {
    text(
        errors,
        field,
        raw,
        2,
        120,
        "error.required",
        "error.too_long",
    )
}

/// An optional text: empty becomes `None`; over `max` characters is an error.
pub fn optional_text(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
    max: usize,
) -> Option<String> {
    let value = raw.trim();
    if value.is_empty() {
        return None;
    }
    if value.chars().count() > max {
        errors.add(field, "error.too_long");
    }
    Some(value.to_string())
}

/// A non-negative whole number typed by a person (`1.234` and `1234` alike: Indonesian
/// writes thousands with dots). Empty is `None`.
pub fn optional_count(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
    max: i64,
) -> Option<i64> {
    let value = raw.trim();
    if value.is_empty() {
        return None;
    }
    match parse_grouped_integer(value) {
        Some(n) if n <= max => Some(n),
        _ => {
            errors.add(field, "error.not_a_count");
            None
        }
    }
}

/// An optional year from 1900 to `this_year` (a group's founding, a tie's beginning).
pub fn optional_year(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
    this_year: i64,
) -> Option<i64> {
    match raw.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(y) if (1900..=this_year).contains(&y) => Some(y),
            _ => {
                errors.add(field, "error.year");
                None
            }
        },
    }
}

/// Parses digits optionally grouped by `.` in threes (`20.000`), as Indonesians write.
pub fn parse_grouped_integer(value: &str) -> Option<i64> {
    let groups: Vec<&str> = value.split('.').collect();
    let well_grouped = groups.len() == 1
        || (!groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3));
    if !well_grouped || !groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let digits: String = groups.concat();
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_integers_follow_indonesian_writing() {
        assert_eq!(parse_grouped_integer("20.000"), Some(20_000));
        assert_eq!(parse_grouped_integer("1.500.000"), Some(1_500_000));
        assert_eq!(parse_grouped_integer("1500000"), Some(1_500_000));
        assert_eq!(parse_grouped_integer("0"), Some(0));
        assert_eq!(parse_grouped_integer("1,5"), None);
        assert_eq!(parse_grouped_integer("1.5"), None);
        assert_eq!(parse_grouped_integer("-5"), None);
        assert_eq!(parse_grouped_integer("abc"), None);
        assert_eq!(parse_grouped_integer(""), None);
        assert_eq!(parse_grouped_integer(".000"), None);
        assert_eq!(parse_grouped_integer("9999999999999999999"), None);
    }

    #[test]
    fn errors_keep_one_message_per_field_in_order() {
        let mut e = FieldErrors::new();
        e.add("name", "a");
        e.add("slug", "b");
        e.add("name", "c");
        assert_eq!(e.get("name"), Some("a"));
        assert_eq!(
            e.iter().map(|(f, _)| f).collect::<Vec<_>>(),
            ["name", "slug"]
        );
        assert!(e.clone().into_result(()).is_err());
        assert!(FieldErrors::new().into_result(1).is_ok());
    }

    #[test]
    fn text_counts_characters_not_bytes() {
        let mut e = FieldErrors::new();
        let v = text(&mut e, "t", "  éééé ", 4, 4, "short", "long");
        assert_eq!(v, "éééé");
        assert!(e.is_empty());
        text(&mut e, "u", "abc", 4, 10, "short", "long");
        assert_eq!(e.get("u"), Some("short"));
    }
}
