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

/// The largest picture accepted, in pixels (40 megapixels): decoding one takes about
/// 4 bytes a pixel, so a small file claiming a huge size is refused before it is decoded.
pub const MAX_PHOTO_PIXELS: u64 = 40_000_000;

/// Checks a photo and draws it afresh: the stored file is the decoded picture encoded
/// again, never the bytes that were sent. That drops every metadata block (EXIF with the
/// GPS position of a resident's house, comments) and whatever else rode along in the
/// file (a polyglot: JPEG magic followed by HTML). JPEG and WebP photos come back as
/// JPEG, PNG as PNG. Returns the type and the new bytes, or an error key.
pub fn clean_photo(bytes: &[u8]) -> Result<(&'static str, Vec<u8>), &'static str> {
    use image::{ImageFormat, ImageReader};
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err("error.photo_too_big");
    }
    let kind = image_type(bytes).ok_or("error.photo_type")?;
    let format = match kind {
        "image/png" => ImageFormat::Png,
        "image/webp" => ImageFormat::WebP,
        _ => ImageFormat::Jpeg,
    };
    let reader = || {
        let mut r = ImageReader::with_format(std::io::Cursor::new(bytes), format);
        let mut limits = image::Limits::default();
        limits.max_alloc = Some(MAX_PHOTO_PIXELS * 4 + 1024 * 1024);
        r.limits(limits);
        r
    };
    let (w, h) = reader()
        .into_dimensions()
        .map_err(|_| "error.photo_unreadable")?;
    if u64::from(w) * u64::from(h) > MAX_PHOTO_PIXELS {
        return Err("error.photo_too_many_pixels");
    }
    let picture = reader().decode().map_err(|_| "error.photo_unreadable")?;
    let mut out = std::io::Cursor::new(Vec::new());
    if format == ImageFormat::Png {
        picture
            .write_to(&mut out, ImageFormat::Png)
            .map_err(|_| "error.photo_unreadable")?;
        return Ok(("image/png", out.into_inner()));
    }
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
    picture
        .to_rgb8()
        .write_with_encoder(encoder)
        .map_err(|_| "error.photo_unreadable")?;
    Ok(("image/jpeg", out.into_inner()))
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
        assert_eq!(clean_photo(b"hello"), Err("error.photo_type"));
        let big = [0xFFu8, 0xD8, 0xFF]
            .iter()
            .copied()
            .chain(std::iter::repeat_n(0, MAX_PHOTO_BYTES))
            .collect::<Vec<_>>();
        assert_eq!(clean_photo(&big), Err("error.photo_too_big"));
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

#[cfg(test)]
mod photo_tests {
    use super::*;

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let picture = image::RgbImage::from_pixel(w, h, image::Rgb([30, 120, 60]));
        let mut out = std::io::Cursor::new(Vec::new());
        picture
            .write_to(&mut out, image::ImageFormat::Jpeg)
            .unwrap();
        out.into_inner()
    }

    /// A JPEG with an EXIF block (APP1) holding a GPS-like marker right after SOI.
    fn with_exif(jpeg: &[u8]) -> Vec<u8> {
        let payload = b"Exif\0\0GPS -7.0123,110.4321 rumah Bu Sri";
        let mut out = jpeg[..2].to_vec();
        out.extend([0xFF, 0xE1]);
        out.extend(((payload.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(payload);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    fn holds(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn a_photo_is_drawn_afresh_without_its_metadata() {
        let sent = with_exif(&jpeg(64, 48));
        assert!(holds(&sent, b"GPS -7.0123"));
        let (kind, stored) = clean_photo(&sent).unwrap();
        assert_eq!(kind, "image/jpeg");
        assert!(!holds(&stored, b"GPS") && !holds(&stored, b"Exif"));
        let back = image::load_from_memory(&stored).unwrap();
        assert_eq!((back.width(), back.height()), (64, 48));
    }

    #[test]
    fn a_polyglot_becomes_a_plain_picture_or_is_refused() {
        let mut polyglot = jpeg(16, 16);
        polyglot.extend_from_slice(b"<html><script>alert(document.cookie)</script></html>");
        let (_, stored) = clean_photo(&polyglot).unwrap();
        assert!(!holds(&stored, b"<script>"));
        let fake = b"\xFF\xD8\xFF<html><script>alert(1)</script></html>".to_vec();
        assert_eq!(clean_photo(&fake), Err("error.photo_unreadable"));
    }

    #[test]
    fn png_stays_png_and_other_files_are_refused() {
        let picture = image::RgbaImage::from_pixel(8, 8, image::Rgba([1, 2, 3, 128]));
        let mut png = std::io::Cursor::new(Vec::new());
        picture.write_to(&mut png, image::ImageFormat::Png).unwrap();
        let (kind, stored) = clean_photo(png.get_ref()).unwrap();
        assert_eq!(kind, "image/png");
        assert_eq!(image::load_from_memory(&stored).unwrap().width(), 8);
        assert_eq!(clean_photo(b"GIF89a...."), Err("error.photo_type"));
        assert_eq!(
            clean_photo(&vec![0xFF; MAX_PHOTO_BYTES + 1]),
            Err("error.photo_too_big")
        );
    }

    #[test]
    fn a_picture_over_forty_megapixels_is_refused_before_decoding() {
        // A tiny PNG header claiming 10,000 × 5,000 pixels: refused by its size alone.
        let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend(10_000u32.to_be_bytes());
        ihdr.extend(5_000u32.to_be_bytes());
        ihdr.extend([8, 2, 0, 0, 0]);
        png.extend(13u32.to_be_bytes());
        png.extend(&ihdr);
        let crc = crc32fast::hash(&ihdr);
        png.extend(crc.to_be_bytes());
        // The start of the image data, as a real file would have.
        let idat = b"IDAT\x78\x9c\x63\x00\x00";
        png.extend(5u32.to_be_bytes());
        png.extend(idat);
        png.extend(crc32fast::hash(idat).to_be_bytes());
        assert_eq!(clean_photo(&png), Err("error.photo_too_many_pixels"));
    }
}

/// The staff's answer to a resident's observation: `publish`, or `hide` with a reason of
/// a few words (shown to no one but kept on the audit log). The reason, when hidden.
pub fn moderation(decision: &str, reason: &str) -> Result<Option<String>, FieldErrors> {
    let mut e = FieldErrors::new();
    match decision.trim() {
        "publish" => Ok(None),
        "hide" => {
            let reason = super::validation::text(
                &mut e,
                "reason",
                reason,
                5,
                500,
                "error.hide_reason",
                "error.too_long",
            );
            e.into_result(Some(reason))
        }
        _ => {
            e.add("decision", "error.choose_from_list");
            Err(e)
        }
    }
}

#[cfg(test)]
mod moderation_tests {
    use super::moderation;

    #[test]
    fn an_observation_is_published_or_hidden_with_a_reason() {
        assert_eq!(moderation("publish", ""), Ok(None));
        assert_eq!(
            moderation("hide", " Foto bukan lokasi pekerjaan "),
            Ok(Some("Foto bukan lokasi pekerjaan".to_string()))
        );
        assert_eq!(
            moderation("hide", "").unwrap_err().get("reason"),
            Some("error.hide_reason")
        );
        assert_eq!(
            moderation("maybe", "").unwrap_err().get("decision"),
            Some("error.choose_from_list")
        );
    }
}
