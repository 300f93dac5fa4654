//! Proposals (usulan): the routes, and what every job on a proposal shares. The
//! handlers live in one file per job; the proposal's page, which most of them show again
//! with a problem, is `page`.

mod api;
mod feedback;
mod follow_up;
mod ladder;
mod list;
mod page;
mod progress;
mod review;
mod submit;
mod track;

use axum::routing::{get, post};
pub(crate) use page::refused_on_page;

use super::routes::Routes;

pub fn routes() -> Routes {
    use super::paths::*;
    Routes::new()
        .route(PROPOSALS, get(list::list).post(submit::submit))
        .route(PROPOSAL_NEW, get(submit::new_form))
        .route(PROPOSAL_PAPER_FORM, get(submit::paper_form))
        .route(PROPOSAL_SIMILAR, get(submit::similar_json))
        .route(PROPOSAL, get(page::show))
        .route(PROPOSAL_FEEDBACK, post(feedback::add_feedback))
        .route(PROPOSAL_ANSWER, post(feedback::answer))
        .route(PROPOSAL_FOLLOW_UP, post(follow_up::record))
        .route(PROPOSAL_STATUS, post(review::change_status))
        .route(PROPOSAL_EDIT, get(submit::edit_form).post(submit::edit))
        .route(PROPOSAL_WITHDRAW, post(submit::withdraw))
        .route(PROPOSAL_MERGE, post(review::merge))
        .route(
            PROPOSAL_PROGRESS,
            post(progress::report_progress).layer(axum::extract::DefaultBodyLimit::max(
                super::csrf::MAX_UPLOAD_BYTES,
            )),
        )
        .route(
            PROPOSAL_OBSERVATION,
            post(progress::observe).layer(axum::extract::DefaultBodyLimit::max(
                super::csrf::MAX_UPLOAD_BYTES,
            )),
        )
        .route(PROPOSAL_OBSERVATION_MODERATION, post(progress::moderate))
        .route(PROPOSAL_PHOTO, get(progress::photo))
        .route(PROPOSAL_EVALUATION, post(progress::evaluate))
        .route(PROPOSAL_HIDE_FEEDBACK, post(feedback::hide))
        .route(PROPOSAL_LEVEL, post(ladder::move_level))
        .route(PROPOSAL_CHANNEL, post(ladder::channel))
        .route(PROPOSAL_PARTNERSHIP, post(ladder::partnership))
        .route(PROPOSAL_ALTERNATIVE, post(ladder::alternative))
        .route(PROPOSAL_PLEDGE, post(ladder::pledge_delivery))
        .route(PROPOSAL_IMPLEMENTER, post(ladder::implementer))
        .route(PROPOSAL_DRIVER, post(ladder::driver))
        .route(TRACK, get(track::track))
        .route(API_PROPOSALS, get(api::api_list))
        .route(API_PROPOSAL, get(api::api_show))
}

pub const PER_PAGE: i64 = 20;

/// Feedback entries per page of a proposal's thread.
pub const THREAD_PAGE: i64 = 50;

/// Anonymous submissions allowed from one address within ten minutes.
pub const ANONYMOUS_PER_10_MINUTES: i64 = 5;

pub(super) const SESSION_SUBMITTED: &str = "submitted";
