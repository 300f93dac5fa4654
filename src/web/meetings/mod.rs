//! Meetings (musyawarah): the routes, and what every job on a meeting shares. The
//! handlers live in one file per job; the meeting's page, which most of them show again
//! with a problem, is `page`.

mod agenda;
mod api;
mod attendance;
mod berita_acara;
mod course;
mod list;
mod page;
mod paper;
mod rating;
mod scans;
mod verify;

use crate::web::paths;
use axum::routing::{get, post};
use chrono::{DateTime, Utc};

use crate::domain::village::Timezone;
use crate::store::villages::Village;
use crate::web::routes::Routes;

pub fn routes() -> Routes {
    use super::paths::*;
    Routes::new()
        .route(MEETINGS, get(list::list).post(list::create))
        .route(MEETING, get(page::show))
        .route(MEETING_EDIT, post(course::edit))
        .route(MEETING_INVITE, post(attendance::invite))
        .route(MEETING_UNINVITE, post(attendance::uninvite))
        .route(MEETING_ATTENDEES, post(attendance::add_attendee))
        .route(
            MEETING_ATTENDEE,
            get(attendance::attendee_form).post(attendance::update_attendee),
        )
        .route(MEETING_ATTENDEE_REMOVE, post(attendance::remove_attendee))
        .route(MEETING_ATTENDEE_RESTORE, post(attendance::restore_attendee))
        .route(MEETING_AGENDA, post(agenda::add_to_agenda))
        .route(MEETING_AGENDA_REMOVE, post(agenda::remove_from_agenda))
        .route(MEETING_FLOOR, post(agenda::floor_proposal))
        .route(MEETING_MINUTES, post(agenda::minutes))
        .route(MEETING_DECISION, post(agenda::decide))
        .route(MEETING_STATUS, post(course::status))
        .route(MEETING_POSTPONE, post(course::postpone))
        .route(MEETING_RESCHEDULE, post(course::reschedule))
        .route(MEETING_FINALIZE, post(course::finalize))
        .route(MEETING_ADDENDUM, post(course::addendum))
        .route(MEETING_SCANS, post(scans::add_scan))
        .route(paths::MEETING_CHANNEL, post(attendance::channel))
        .route(MEETING_SCAN, get(scans::scan_file))
        .route(MEETING_SCAN_REMOVE, post(scans::remove_scan))
        .route(MEETING_BERITA_ACARA, get(berita_acara::berita_acara))
        .route(MEETING_RATING, get(rating::form).post(rating::rate))
        .route(MEETING_BLANK_SHEET, get(paper::blank_sheet))
        .route(MEETING_LETTER, get(paper::letter))
        .route(paths::VERIFY, get(verify::verify))
        .route(API_MEETINGS, get(api::api_list))
        .route(API_MEETING, get(api::api_show))
}

pub const PER_PAGE: i64 = 20;

/// The attendance line this browser removed last: its meeting and what it said, offered
/// back ("Urungkan") while the meeting is open.
const SESSION_REMOVED_LINE: &str = "removed_line";

/// Verification look-ups allowed from one address within ten minutes.
pub const VERIFICATIONS_PER_10_MINUTES: i64 = 30;

fn tz_of(village: &Village) -> Timezone {
    Timezone::parse(&village.timezone).unwrap_or_default()
}

/// The value of an `<input type=datetime-local>` for a stored instant.
fn local_input(at: &DateTime<Utc>, village: &Village) -> String {
    at.with_timezone(&tz_of(village).tz())
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}
