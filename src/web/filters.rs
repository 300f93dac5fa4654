//! How times, money and numbers read on a page, written once for every page: plain
//! functions for handlers and page methods, and the same as askama filters for
//! templates (`{{ cost|rupiah }}`). A module that derives a template
//! using them brings this one into scope as `filters`, which is where askama looks.

use chrono::{DateTime, Datelike, Timelike, Utc};

use super::i18n::Lang;
use crate::domain::money::Rupiah;
use crate::domain::village::Timezone;

/// How the reader's time zone shows an instant: `23-11-2026 17.05 WIB`.
pub fn local_time(at: &DateTime<Utc>, timezone: &str) -> String {
    let tz = Timezone::parse(timezone).unwrap_or_default();
    format!(
        "{} {}",
        at.with_timezone(&tz.tz()).format("%d-%m-%Y %H.%M"),
        tz.abbreviation()
    )
}

/// `23 November 2026` in the language given.
pub fn day(lang: Lang, d: &chrono::NaiveDate) -> String {
    let month = lang.t(&format!("month.{}", d.month()));
    format!("{} {month} {}", d.day(), d.year())
}

/// `Senin, 23 November 2026` (or `Monday, 23 November 2026`).
pub fn long_date(lang: Lang, at: &DateTime<Utc>, timezone: &str) -> String {
    let local = at.with_timezone(&Timezone::parse(timezone).unwrap_or_default().tz());
    format!(
        "{}, {} {} {}",
        lang.t(&format!(
            "weekday.{}",
            local.weekday().num_days_from_monday()
        )),
        local.day(),
        lang.t(&format!("month.{}", local.month())),
        local.year()
    )
}

/// `09.00 WIB`.
pub fn clock(at: &DateTime<Utc>, timezone: &str) -> String {
    let tz = Timezone::parse(timezone).unwrap_or_default();
    let local = at.with_timezone(&tz.tz());
    format!(
        "{:02}.{:02} {}",
        local.hour(),
        local.minute(),
        tz.abbreviation()
    )
}

/// `Some(25000000)` → `Rp 25.000.000`; nothing (or an amount out of range) → empty.
pub fn cost_text(cost: Option<i64>) -> String {
    cost.and_then(Rupiah::from_i64)
        .map(|r| r.to_string())
        .unwrap_or_default()
}

/// `{{ cost|rupiah }}`: an optional amount as `Rp 25.000.000`, nothing when absent.
#[askama::filter_fn]
pub fn rupiah(cost: &Option<i64>, _: &dyn askama::Values) -> askama::Result<String> {
    Ok(cost_text(*cost))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_read_in_the_villages_zone() {
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 10, 5, 0).unwrap();
        assert_eq!(local_time(&at, "Asia/Jakarta"), "23-11-2026 17.05 WIB");
        assert_eq!(clock(&at, "Asia/Jayapura"), "19.05 WIT");
        assert_eq!(
            long_date(Lang::EN, &at, "Asia/Jakarta"),
            "Monday, 23 November 2026"
        );
    }

    #[test]
    fn amounts_read_as_rupiah() {
        assert_eq!(cost_text(Some(25_000_000)), "Rp 25.000.000");
        assert_eq!(cost_text(None), "");
    }
}
