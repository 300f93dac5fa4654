//! Carrying a proposal out: progress reports with photos, and residents' evaluation.

use super::proposal::Status;
use super::validation::{self, FieldErrors};

/// The largest photo accepted: 5 MB.
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;

/// The image type from the file's first bytes (never from its name): JPEG, PNG or WebP.
pub fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Checks a photo: an error key when it is not one of the three image types or too big.
pub fn check_photo(bytes: &[u8]) -> Result<&'static str, &'static str> {
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err("error.photo_too_big");
    }
    image_type(bytes).ok_or("error.photo_type")
}

pub fn may_report_progress(status: Status) -> bool {
    status == Status::InProgress
}

pub fn may_evaluate(status: Status) -> bool {
    matches!(status, Status::Completed | Status::Evaluated)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ProgressForm {
    pub progress: String,
    pub note: String,
}

impl ProgressForm {
    pub fn validate(&self) -> Result<(i64, String), FieldErrors> {
        let mut e = FieldErrors::new();
        let progress = self
            .progress
            .trim()
            .trim_end_matches('%')
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|p| (0..=100).contains(p));
        if progress.is_none() {
            e.add("progress", "error.progress");
        }
        let note = validation::text(
            &mut e,
            "note",
            &self.note,
            2,
            2000,
            "error.feedback_body",
            "error.too_long",
        );
        e.into_result(())
            .map(|()| (progress.unwrap_or_default(), note))
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct RatingForm {
    pub rating: String,
    pub reflection: String,
}

impl RatingForm {
    pub fn validate(&self) -> Result<(i64, String), FieldErrors> {
        let mut e = FieldErrors::new();
        let rating = self
            .rating
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|r| (1..=5).contains(r));
        if rating.is_none() {
            e.add("rating", "error.rating");
        }
        let reflection = validation::optional_text(&mut e, "reflection", &self.reflection, 2000)
            .unwrap_or_default();
        e.into_result(())
            .map(|()| (rating.unwrap_or_default(), reflection))
    }
}

/// The average of ratings, to one decimal, as Indonesians write it (`4,3`).
pub fn average_text(sum: i64, count: i64) -> Option<String> {
    (count > 0).then(|| {
        let tenths = (sum * 10 + count / 2) / count;
        format!("{},{}", tenths / 10, tenths % 10)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_are_recognised_by_their_bytes_not_their_name() {
        assert_eq!(
            image_type(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]),
            Some("image/jpeg")
        );
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(image_type(b"RIFF\x10\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(image_type(b"GIF89a"), None);
        assert_eq!(image_type(b"<html>not a jpg</html>"), None);
        assert_eq!(check_photo(b"hello"), Err("error.photo_type"));
        let big = [0xFFu8, 0xD8, 0xFF]
            .iter()
            .copied()
            .chain(std::iter::repeat_n(0, MAX_PHOTO_BYTES))
            .collect::<Vec<_>>();
        assert_eq!(check_photo(&big), Err("error.photo_too_big"));
    }

    #[test]
    fn progress_and_ratings_stay_in_range() {
        let p = |progress: &str| {
            ProgressForm {
                progress: progress.into(),
                note: "Pondasi selesai".into(),
            }
            .validate()
        };
        assert_eq!(p("40%").unwrap().0, 40);
        assert!(p("101").is_err() && p("-1").is_err() && p("setengah").is_err());
        let r = |rating: &str| {
            RatingForm {
                rating: rating.into(),
                reflection: String::new(),
            }
            .validate()
        };
        assert_eq!(r("5").unwrap().0, 5);
        assert!(r("0").is_err() && r("6").is_err() && r("4.5").is_err());
    }

    #[test]
    fn averages_are_written_with_a_decimal_comma() {
        assert_eq!(average_text(13, 3).as_deref(), Some("4,3"));
        assert_eq!(average_text(10, 2).as_deref(), Some("5,0"));
        assert_eq!(average_text(0, 0), None);
        assert!(may_evaluate(Status::Completed) && !may_evaluate(Status::InProgress));
        assert!(may_report_progress(Status::InProgress) && !may_report_progress(Status::Accepted));
    }
}
