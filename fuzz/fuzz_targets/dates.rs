//! Meeting times as `<input type=datetime-local>` sends them, in every Indonesian zone:
//! never a panic, and an accepted time is the local time that was typed.
#![no_main]

use chrono::{Datelike, Timelike};
use libfuzzer_sys::fuzz_target;
use musdes_domain::meeting::parse_local_datetime;

fuzz_target!(|raw: &str| {
    for tz in [chrono_tz::Asia::Jakarta, chrono_tz::Asia::Makassar, chrono_tz::Asia::Jayapura] {
        if let Some(at) = parse_local_datetime(raw, tz) {
            let local = at.with_timezone(&tz);
            assert!((2000..=2999).contains(&local.year()));
            let shown = format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", local.year(), local.month(), local.day(), local.hour(), local.minute(), local.second());
            assert_eq!(parse_local_datetime(&shown, tz), Some(at), "{raw:?} shown as {shown:?}");
        }
    }
});
