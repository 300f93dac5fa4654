//! Proposals (usulan): the routes, and what every job on a proposal shares. The
//! handlers live in one file per job; the proposal's page, which most of them show again
//! with a problem, is `page`.

mod api;
mod feedback;
mod ladder;
mod list;
mod page;
mod progress;
mod review;
mod submit;

use axum::routing::{get, post};
pub(crate) use page::refused_on_page;

use super::routes::Routes;

pub fn routes() -> Routes {
    let p = "/desa/{slug}/usulan/{number}";
    Routes::new()
        .route("/desa/{slug}/usulan", get(list::list).post(submit::submit))
        .route("/desa/{slug}/usulan/baru", get(submit::new_form))
        .route("/desa/{slug}/usulan/mirip", get(submit::similar_json))
        .route("/desa/{slug}/usulan/{number}", get(page::show))
        .route(
            "/desa/{slug}/usulan/{number}/tanggapan",
            post(feedback::add_feedback),
        )
        .route(
            "/desa/{slug}/usulan/{number}/jawaban",
            post(feedback::answer),
        )
        .route(
            "/desa/{slug}/usulan/{number}/status",
            post(review::change_status),
        )
        .route(
            "/desa/{slug}/usulan/{number}/ubah",
            get(submit::edit_form).post(submit::edit),
        )
        .route("/desa/{slug}/usulan/{number}/tarik", post(submit::withdraw))
        .route("/desa/{slug}/usulan/{number}/gabung", post(review::merge))
        .route(
            "/desa/{slug}/usulan/{number}/kemajuan",
            post(progress::report_progress).layer(axum::extract::DefaultBodyLimit::max(
                super::csrf::MAX_UPLOAD_BYTES,
            )),
        )
        .route(
            "/desa/{slug}/usulan/{number}/foto/{photo}",
            get(progress::photo),
        )
        .route(
            "/desa/{slug}/usulan/{number}/evaluasi",
            post(progress::evaluate),
        )
        .route(
            "/desa/{slug}/usulan/{number}/tanggapan/{id}/sembunyikan",
            post(feedback::hide),
        )
        .route(&format!("{p}/tingkat"), post(ladder::move_level))
        .route(&format!("{p}/kanal"), post(ladder::channel))
        .route(&format!("{p}/kemitraan"), post(ladder::partnership))
        .route(&format!("{p}/pelaksana"), post(ladder::implementer))
        .route("/api/v1/desa/{slug}/usulan", get(api::api_list))
        .route("/api/v1/desa/{slug}/usulan/{number}", get(api::api_show))
}

pub const PER_PAGE: i64 = 20;

/// Feedback entries per page of a proposal's thread.
pub const THREAD_PAGE: i64 = 50;

/// Anonymous submissions allowed from one address within ten minutes.
pub const ANONYMOUS_PER_10_MINUTES: i64 = 5;

pub(super) const SESSION_SUBMITTED: &str = "submitted";
