//! A meeting's course: its facts, held, postponed or rescheduled, finalized into a
//! sealed record, and addenda after that.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::page::{Section, Typed, back, invalid, load, open_for_recording, out_of_turn, page};
use super::tz_of;
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::meeting::{self, Kind, MeetingForm, MeetingStatus, RescheduleForm};
use crate::store::meetings::Meeting;
use crate::store::villages::Village;
use crate::store::{Store, StoreError, now};
use crate::web::error::{AppError, AppResult};
use crate::web::page::Ctx;

pub(super) async fn edit(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<MeetingForm>,
) -> AppResult<Response> {
    let (village, m, viewer) = open_for_recording(&store, &ctx, &slug, &id).await?;
    let version = form
        .version
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    let checked = match form.validate(tz_of(&village).tz(), &village.tata_tertib()) {
        Ok(c) => c,
        Err(errors) => {
            let typed = Typed {
                facts: Some(form),
                ..Typed::on(Section::Facts, errors)
            };
            return invalid(&store, ctx, village, m, typed).await;
        }
    };
    match store.update_meeting(&m, version, &checked, viewer.id).await {
        Ok(()) => {
            ctx.flash("meeting.saved").await?;
            Ok(back(&slug, &m, "fakta"))
        }
        Err(StoreError::Stale) => {
            let current = store.meeting(village.id, m.id).await?;
            let mut errors = FieldErrors::new();
            errors.add("title", "error.stale");
            let typed = Typed::on(Section::Facts, errors);
            let page = page(&store, ctx, village, current, typed).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct StatusField {
    status: String,
}

pub(super) async fn status(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<StatusField>,
) -> AppResult<Response> {
    let (village, m, viewer) = open_for_recording(&store, &ctx, &slug, &id).await?;
    if MeetingStatus::parse(&form.status) != Some(MeetingStatus::Held) {
        let mut errors = FieldErrors::new();
        errors.add("status", "error.meeting_status");
        let typed = Typed::on(Section::Finalize, errors);
        return invalid(&store, ctx, village, m, typed).await;
    }
    let current = MeetingStatus::parse(&m.status).unwrap_or(MeetingStatus::Planned);
    if let Err(reason) = meeting::may_mark_held(current, m.scheduled_at, now()) {
        return out_of_turn(&store, ctx, village, m, reason).await;
    }
    store.mark_held(&m, viewer.id).await?;
    ctx.flash("meeting.marked_held").await?;
    Ok(back(&slug, &m, "status"))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct PostponeForm {
    note: String,
}

/// The quorum did not come: the opening is postponed, with the time and why.
pub(super) async fn postpone(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<PostponeForm>,
) -> AppResult<Response> {
    let (village, m, viewer) = open_for_recording(&store, &ctx, &slug, &id).await?;
    let note = match meeting::postpone_note(&form.note) {
        Ok(n) => n,
        Err(errors) => {
            let typed = Typed {
                text: form.note,
                ..Typed::on(Section::Opening, errors)
            };
            return invalid(&store, ctx, village, m, typed).await;
        }
    };
    match store
        .postpone_meeting(&village, &m, &note, viewer.id, &viewer.name)
        .await
    {
        Ok(()) => {
            ctx.flash("meeting.postponed").await?;
            Ok(back(&slug, &m, "pembukaan"))
        }
        Err(StoreError::OutOfTurn(reason)) => out_of_turn(&store, ctx, village, m, reason).await,
        Err(e) => Err(e.into()),
    }
}

/// A postponed meeting moves to a new date and place: 303 to the new meeting.
pub(super) async fn reschedule(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<RescheduleForm>,
) -> AppResult<Response> {
    let (village, m, viewer) = open_for_recording(&store, &ctx, &slug, &id).await?;
    let (at, place) = match form.validate(tz_of(&village).tz(), now()) {
        Ok(checked) => checked,
        Err(errors) => {
            let typed = Typed {
                reschedule: form,
                ..Typed::on(Section::Opening, errors)
            };
            return invalid(&store, ctx, village, m, typed).await;
        }
    };
    match store
        .reschedule_meeting(&village, &m, at, &place, viewer.id, &viewer.name)
        .await
    {
        Ok(new) => {
            ctx.flash("meeting.rescheduled").await?;
            Ok(Redirect::to(&format!("/desa/{slug}/musyawarah/{new}")).into_response())
        }
        Err(StoreError::OutOfTurn(reason)) => out_of_turn(&store, ctx, village, m, reason).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct FinalizeForm {
    quorum_note: String,
}

pub(super) async fn finalize(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<FinalizeForm>,
) -> AppResult<Response> {
    let (village, m) = load(&store, &slug, &id).await?;
    if m.is_finalized() {
        return Err(AppError::Conflict);
    }
    let viewer = ctx
        .authorize(Action::FinalizeMeetings, Some(village.id))?
        .clone();
    let current = MeetingStatus::parse(&m.status).unwrap_or(MeetingStatus::Planned);
    if let Err(reason) = meeting::may_finalize(current) {
        return out_of_turn(&store, ctx, village, m, reason).await;
    }
    match store
        .finalize_meeting(&village, m.id, &form.quorum_note, viewer.id, &viewer.name)
        .await
    {
        Ok(_) => {
            climb_accepted(&store, &village, &m).await?;
            ctx.flash("meeting.finalized").await?;
            Ok(back(&slug, &m, "status"))
        }
        Err(StoreError::Invalid(errors)) => {
            let typed = Typed {
                text: form.quorum_note,
                ..Typed::on(Section::Finalize, errors)
            };
            invalid(&store, ctx, village, m, typed).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Under the village's automatic setting, each proposal a finalized Musdes accepted climbs
/// to `empower` where all its evidence holds.
async fn climb_accepted(store: &Store, village: &Village, m: &Meeting) -> AppResult<()> {
    let decides = matches!(
        Kind::parse(&m.kind),
        Some(Kind::Musdes | Kind::Musrenbangdes)
    );
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

pub(super) async fn addendum(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<AddendumForm>,
) -> AppResult<Response> {
    let (village, m) = load(&store, &slug, &id).await?;
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
            return invalid(&store, ctx, village, m, typed).await;
        }
    };
    store
        .add_addendum(&m, &body, viewer.id, &viewer.name)
        .await?;
    ctx.flash("meeting.addendum_added").await?;
    Ok(back(&slug, &m, "adendum"))
}
