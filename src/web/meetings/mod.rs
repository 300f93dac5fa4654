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
mod scans;
mod verify;

use axum::routing::{get, post};
use chrono::{DateTime, Utc};

use crate::domain::village::Timezone;
use crate::store::villages::Village;
use crate::web::routes::Routes;

pub fn routes() -> Routes {
    let m = "/desa/{slug}/musyawarah/{id}";
    Routes::new()
        .route(
            "/desa/{slug}/musyawarah",
            get(list::list).post(list::create),
        )
        .route(m, get(page::show))
        .route(&format!("{m}/ubah"), post(course::edit))
        .route(&format!("{m}/undangan"), post(attendance::invite))
        .route(&format!("{m}/undangan/hapus"), post(attendance::uninvite))
        .route(&format!("{m}/hadir"), post(attendance::add_attendee))
        .route(
            &format!("{m}/hadir/{{line}}"),
            get(attendance::attendee_form).post(attendance::update_attendee),
        )
        .route(
            &format!("{m}/hadir/{{line}}/hapus"),
            post(attendance::remove_attendee),
        )
        .route(&format!("{m}/agenda"), post(agenda::add_to_agenda))
        .route(
            &format!("{m}/agenda/hapus"),
            post(agenda::remove_from_agenda),
        )
        .route(
            crate::web::paths::MEETING_FLOOR,
            post(agenda::floor_proposal),
        )
        .route(&format!("{m}/uraian"), post(agenda::minutes))
        .route(&format!("{m}/keputusan"), post(agenda::decide))
        .route(&format!("{m}/status"), post(course::status))
        .route(&format!("{m}/tunda"), post(course::postpone))
        .route(&format!("{m}/jadwal-ulang"), post(course::reschedule))
        .route(&format!("{m}/final"), post(course::finalize))
        .route(&format!("{m}/adendum"), post(course::addendum))
        .route(&format!("{m}/pindaian"), post(scans::add_scan))
        .route(&format!("{m}/pindaian/{{scan}}"), get(scans::scan_file))
        .route(
            &format!("{m}/berita-acara"),
            get(berita_acara::berita_acara),
        )
        .route("/verifikasi", get(verify::verify))
        .route("/api/v1/desa/{slug}/musyawarah", get(api::api_list))
        .route("/api/v1/desa/{slug}/musyawarah/{id}", get(api::api_show))
}

pub const PER_PAGE: i64 = 20;

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
