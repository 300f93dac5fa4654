//! A meeting's course: its facts, held, postponed or rescheduled, finalized into a
//! sealed record, and addenda after that.

use crate::web::paths;
use axum::Form;
use axum::response::{IntoResponse, Redirect, Response};

use super::page::{Section, Typed, Visit};
use super::tz_of;
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::meeting::{self, Kind, MeetingForm, MeetingStatus, RescheduleForm};
use crate::store::meetings::Meeting;
use crate::store::villages::Village;
use crate::store::{Store, StoreError, now};
use crate::web::error::{AppError, AppResult};

pub(super) async fn edit(visit: Visit, Form(form): Form<MeetingForm>) -> AppResult<Response> {
    let viewer = visit.recorder()?;
    let Visit {
        store, village, m, ..
    } = &visit;
    let version = form
        .version
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    let checked = match form.validate(tz_of(village).tz(), &village.tata_tertib()) {
        Ok(c) => c,
        Err(errors) => {
            let typed = Typed {
                facts: Some(form),
                ..Typed::on(Section::Facts, errors)
            };
            return visit.invalid(typed).await;
        }
    };
    match store.update_meeting(m, version, &checked, viewer.id).await {
        Ok(()) => visit.done("meeting.saved", "fakta").await,
        Err(StoreError::Stale) => {
            let mut errors = FieldErrors::new();
            errors.add("title", "error.stale");
            visit.stale(Typed::on(Section::Facts, errors)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct StatusField {
    status: String,
}

pub(super) async fn status(visit: Visit, Form(form): Form<StatusField>) -> AppResult<Response> {
    let viewer = visit.recorder()?;
    let Visit { store, m, .. } = &visit;
    if MeetingStatus::parse(&form.status) != Some(MeetingStatus::Held) {
        let mut errors = FieldErrors::new();
        errors.add("status", "error.meeting_status");
        let typed = Typed::on(Section::Finalize, errors);
        return visit.invalid(typed).await;
    }
    let current = m.status;
    if let Err(reason) = meeting::may_mark_held(current, m.scheduled_at, now()) {
        return visit.out_of_turn(reason).await;
    }
    store.mark_held(m, viewer.id).await?;
    visit.done("meeting.marked_held", "status").await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct PostponeForm {
    note: String,
}

/// The quorum did not come: the opening is postponed, with the time and why.
pub(super) async fn postpone(visit: Visit, Form(form): Form<PostponeForm>) -> AppResult<Response> {
    let viewer = visit.recorder()?;
    let Visit {
        store, village, m, ..
    } = &visit;
    let note = match meeting::postpone_note(&form.note) {
        Ok(n) => n,
        Err(errors) => {
            let typed = Typed {
                text: form.note,
                ..Typed::on(Section::Opening, errors)
            };
            return visit.invalid(typed).await;
        }
    };
    match store
        .postpone_meeting(village, m, &note, &viewer.actor())
        .await
    {
        Ok(()) => visit.done("meeting.postponed", "pembukaan").await,
        Err(StoreError::OutOfTurn(reason)) => visit.out_of_turn(reason).await,
        Err(e) => Err(e.into()),
    }
}

/// A postponed meeting moves to a new date and place: 303 to the new meeting.
pub(super) async fn reschedule(
    visit: Visit,
    Form(form): Form<RescheduleForm>,
) -> AppResult<Response> {
    let viewer = visit.recorder()?;
    let Visit {
        store,
        ctx,
        village,
        m,
        ..
    } = &visit;
    let (at, place) = match form.validate(tz_of(village).tz(), now()) {
        Ok(checked) => checked,
        Err(errors) => {
            let typed = Typed {
                reschedule: form,
                ..Typed::on(Section::Opening, errors)
            };
            return visit.invalid(typed).await;
        }
    };
    match store
        .reschedule_meeting(village, m, at, &place, &viewer.actor())
        .await
    {
        Ok(new) => {
            ctx.flash("meeting.rescheduled");
            Ok(Redirect::to(&paths::meeting(&village.slug, new)).into_response())
        }
        Err(StoreError::OutOfTurn(reason)) => visit.out_of_turn(reason).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct FinalizeForm {
    quorum_note: String,
}

pub(super) async fn finalize(visit: Visit, Form(form): Form<FinalizeForm>) -> AppResult<Response> {
    let Visit {
        store,
        ctx,
        village,
        m,
        ..
    } = &visit;
    if m.is_finalized() {
        return Err(AppError::Conflict);
    }
    let viewer = ctx
        .authorize(Action::FinalizeMeetings, Some(village.id))?
        .clone();
    let current = m.status;
    if let Err(reason) = meeting::may_finalize(current) {
        return visit.out_of_turn(reason).await;
    }
    match store
        .finalize_meeting(village, m.id, &form.quorum_note, &viewer.actor())
        .await
    {
        Ok(_) => {
            climb_accepted(store, village, m).await?;
            visit.done("meeting.finalized", "status").await
        }
        Err(StoreError::Invalid(errors)) => {
            let typed = Typed {
                text: form.quorum_note,
                ..Typed::on(Section::Finalize, errors)
            };
            visit.invalid(typed).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Under the village's automatic setting, each proposal a finalized Musdes accepted climbs
/// to `empower` where all its evidence holds.
async fn climb_accepted(store: &Store, village: &Village, m: &Meeting) -> AppResult<()> {
    let decides = matches!(m.kind, Kind::Musdes | Kind::Musrenbangdes);
    if !village.auto_empower || !decides {
        return Ok(());
    }
    let (_, record) = store.frozen_record(m.id).await?;
    let accepted = record.agenda.iter().filter(|i| {
        i.decision
            .as_ref()
            .is_some_and(|d| d.decision == meeting::Decision::Accepted.code())
    });
    for item in accepted {
        let p = store.proposal_by_number(village.id, &item.number).await?;
        store.auto_climb(village, &p).await?;
    }
    Ok(())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct AddendumForm {
    body: String,
}

pub(super) async fn addendum(visit: Visit, Form(form): Form<AddendumForm>) -> AppResult<Response> {
    let Visit {
        store,
        ctx,
        village,
        m,
        ..
    } = &visit;
    let viewer = ctx
        .authorize(Action::RecordMeetings, Some(village.id))?
        .clone();
    // Before finalization the record itself is corrected, not annexed.
    if !m.is_finalized() {
        return Err(AppError::Conflict);
    }
    let body = match meeting::check_addendum(&form.body) {
        Ok(b) => b,
        Err(errors) => {
            let typed = Typed {
                text: form.body,
                ..Typed::on(Section::Addendum, errors)
            };
            return visit.invalid(typed).await;
        }
    };
    store.add_addendum(m, &body, &viewer.actor()).await?;
    visit.done("meeting.addendum_added", "adendum").await
}
