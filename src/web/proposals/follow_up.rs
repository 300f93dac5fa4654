//! Tindak lanjut: recording what was done about a concern or a decision of the proposal,
//! with the record that shows it.

use axum::Form;
use axum::response::Response;

use super::page::{Typed, Visit};
use crate::domain::access::Action;
use crate::domain::follow_up::FollowUpForm;
use crate::web::error::AppResult;

pub(super) async fn record(visit: Visit, Form(form): Form<FollowUpForm>) -> AppResult<Response> {
    let Visit {
        store, village, p, ..
    } = &visit;
    let viewer = visit.actor(Action::RecordMeetings)?;
    let choices = store.follow_up_choices(p.id).await?;
    let updates: Vec<uuid::Uuid> = store
        .progress_updates(p.id)
        .await?
        .iter()
        .filter(|u| u.status == "published")
        .map(|u| u.id)
        .collect();
    let checked = form.validate(
        &choices.subjects(),
        &choices.evidence(&updates),
        village.local_day(&p.created_at),
        village.today(),
    );
    match checked {
        Ok(f) => {
            store.add_follow_up(village.id, p.id, &f, viewer.id).await?;
            visit.done("follow_up.saved", "#tindak-lanjut").await
        }
        Err(errors) => {
            visit
                .refused(Typed {
                    follow_up: form,
                    errors,
                    ..Typed::default()
                })
                .await
        }
    }
}
