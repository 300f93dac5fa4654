//! Invitations and the daftar hadir: inviting groups, recording, correcting and
//! removing attendance lines.

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, RawForm};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::SESSION_REMOVED_LINE;
use super::page::{Section, Typed, Visit};
use crate::domain::FieldErrors;
use crate::domain::meeting::AttendanceForm;
use crate::store::Store;
use crate::store::groups::GroupSummary;
use crate::store::meetings::Meeting;
use crate::store::villages::Village;
use crate::web::error::{AppError, AppResult};
use crate::web::page::Ctx;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct GroupField {
    group: String,
}

/// Invites one group or several at once (`group` repeated, one per ticked box). Every
/// one must be a group of the village; one that is not refuses them all (422).
pub(super) async fn invite(visit: Visit, RawForm(body): RawForm) -> AppResult<Response> {
    let viewer = visit.recorder()?;
    let Visit {
        store, village, m, ..
    } = &visit;
    let known = store.group_ids(village.id).await?;
    let chosen: Vec<Option<Uuid>> = form_urlencoded::parse(&body)
        .filter(|(k, _)| k == "group")
        .map(|(_, v)| v.trim().parse::<Uuid>().ok().filter(|g| known.contains(g)))
        .collect();
    if chosen.is_empty() || chosen.iter().any(Option::is_none) {
        let mut errors = FieldErrors::new();
        errors.add("group", "error.choose_from_list");
        let typed = Typed::on(Section::Invite, errors);
        return visit.invalid(typed).await;
    }
    for group in chosen.into_iter().flatten() {
        store.invite(m, group, viewer.id).await?;
    }
    visit.done("meeting.invited", "undangan").await
}

pub(super) async fn uninvite(visit: Visit, Form(form): Form<GroupField>) -> AppResult<Response> {
    let viewer = visit.recorder()?;
    let Visit { store, m, .. } = &visit;
    let group = form
        .group
        .trim()
        .parse::<Uuid>()
        .map_err(|_| AppError::NotFound)?;
    store.uninvite(m, group, viewer.id).await?;
    visit.done("meeting.uninvited", "undangan").await
}

/// Adds the line `form` describes and gives the visit back, or answers with the form again
/// and what is wrong with it (422).
async fn add_line(
    visit: Visit,
    viewer: uuid::Uuid,
    form: AttendanceForm,
) -> AppResult<Result<Visit, Response>> {
    let groups = visit.store.group_ids(visit.village.id).await?;
    match form.validate(&groups, &visit.village.hamlets) {
        Ok(checked) => {
            visit.store.add_attendee(&visit.m, &checked, viewer).await?;
            Ok(Ok(visit))
        }
        Err(errors) => {
            let typed = Typed {
                attendee: form,
                ..Typed::on(Section::Attendance, errors)
            };
            Ok(Err(visit.invalid(typed).await?))
        }
    }
}

pub(super) async fn add_attendee(
    visit: Visit,
    Form(form): Form<AttendanceForm>,
) -> AppResult<Response> {
    let viewer = visit.recorder()?;
    let visit = match add_line(visit, viewer.id, form).await? {
        Ok(visit) => visit,
        Err(refused) => return Ok(refused),
    };
    visit.ctx.flash("meeting.attendee_added");
    // Back to the form, ready for the next name. An empty fragment, not `#hadir`: a
    // browser skips `autofocus` when the address points at an element, and without a
    // fragment of its own the redirect would keep the form's `#hadir`. Focusing the name
    // scrolls the form into view.
    Ok(Redirect::to(&visit.href("")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "meetings/attendee.html")]
pub(super) struct AttendeePage {
    ctx: Ctx,
    village: Village,
    m: Meeting,
    line: Uuid,
    form: AttendanceForm,
    errors: FieldErrors,
    groups: Vec<GroupSummary>,
}

async fn attendee_page(
    store: &Store,
    ctx: Ctx,
    village: Village,
    m: Meeting,
    line: Uuid,
    form: AttendanceForm,
    errors: FieldErrors,
) -> AppResult<AttendeePage> {
    let groups = store.list_groups(village.id).await?;
    Ok(AttendeePage {
        ctx,
        village,
        m,
        line,
        form,
        errors,
        groups,
    })
}

pub(super) async fn attendee_form(
    visit: Visit,
    Path((_, _, line)): Path<(String, String, String)>,
) -> AppResult<AttendeePage> {
    visit.recorder()?;
    let Visit {
        store,
        ctx,
        village,
        m,
        ..
    } = visit;
    let line = line.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    let parts = store.meeting_parts(m.id).await?;
    let form = parts
        .attendance
        .iter()
        .find(|a| a.id == line)
        .map(as_typed)
        .ok_or(AppError::NotFound)?;
    attendee_page(&store, ctx, village, m, line, form, FieldErrors::new()).await
}

pub(super) async fn update_attendee(
    visit: Visit,
    Path((_, _, line)): Path<(String, String, String)>,
    Form(form): Form<AttendanceForm>,
) -> AppResult<Response> {
    let viewer = visit.recorder()?;
    let Visit {
        store, village, m, ..
    } = &visit;
    let line = line.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    let groups = store.group_ids(village.id).await?;
    let checked = match form.validate(&groups, &village.hamlets) {
        Ok(a) => a,
        Err(errors) => {
            let Visit {
                store,
                ctx,
                village,
                m,
                ..
            } = visit;
            let page = attendee_page(&store, ctx, village, m, line, form, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    store.update_attendee(m, line, &checked, viewer.id).await?;
    visit.done("meeting.attendee_saved", "daftar-hadir").await
}

/// The attendance line as its form would show it.
fn as_typed(a: &crate::store::meetings::AttendanceLine) -> AttendanceForm {
    AttendanceForm {
        name: a.name.clone(),
        gender: a.gender.clone(),
        group: a.group_id.map(|g| g.to_string()).unwrap_or_default(),
        role: a.role.clone().unwrap_or_default(),
        dusun: a.hamlet.clone().unwrap_or_default(),
        voter: if a.voter { "1" } else { "0" }.into(),
    }
}

/// Removes a line; the page then offers to put it back while the meeting is open.
pub(super) async fn remove_attendee(
    visit: Visit,
    Path((_, _, line)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let viewer = visit.recorder()?;
    let Visit { store, ctx, m, .. } = &visit;
    let line = line.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    let removed = store
        .meeting_parts(m.id)
        .await?
        .attendance
        .iter()
        .find(|a| a.id == line)
        .map(as_typed)
        .ok_or(AppError::NotFound)?;
    store.remove_attendee(m, line, viewer.id).await?;
    ctx.session
        .insert(SESSION_REMOVED_LINE, (m.id, removed))
        .await?;
    visit.done("meeting.attendee_removed", "daftar-hadir").await
}

/// Puts back the line this browser removed last from this meeting (once). Nothing to put
/// back is 404; a meeting finalized meanwhile is 409, as for any change.
pub(super) async fn restore_attendee(visit: Visit) -> AppResult<Response> {
    let viewer = visit.recorder()?;
    let removed: Option<(Uuid, AttendanceForm)> =
        visit.ctx.session.get(SESSION_REMOVED_LINE).await?;
    let Some((_, form)) = removed.filter(|(meeting, _)| *meeting == visit.m.id) else {
        return Err(AppError::NotFound);
    };
    // Its group or dusun may be gone since: then the form shows the line to fix and add.
    let visit = match add_line(visit, viewer.id, form).await? {
        Ok(visit) => visit,
        Err(refused) => return Ok(refused),
    };
    visit
        .ctx
        .session
        .remove::<(Uuid, AttendanceForm)>(SESSION_REMOVED_LINE)
        .await?;
    visit
        .done("meeting.attendee_restored", "daftar-hadir")
        .await
}

/// A channel the meeting was announced through (`channel`, `reach`, repeated `dusun` and
/// `group`, `note`): how many it is estimated to have reached, and whom.
pub(super) async fn channel(visit: Visit, body: axum::body::Bytes) -> AppResult<Response> {
    let viewer = visit.recorder()?;
    let Visit { store, village, .. } = &visit;
    let form = crate::domain::reach::ReachForm::from_pairs(
        form_urlencoded::parse(&body).map(|(k, v)| (k, v.into_owned())),
    );
    let groups = store.group_ids(village.id).await?;
    let checked = match form.validate(&village.hamlets, &groups, village.population) {
        Ok(c) => c,
        Err(errors) => {
            let typed = Typed {
                channel: form,
                ..Typed::on(Section::Channel, errors)
            };
            return visit.invalid(typed).await;
        }
    };
    store
        .record_reach(
            village.id,
            crate::store::reach::Announced::Meeting(visit.m.id),
            &checked,
            &viewer.actor(),
        )
        .await?;
    visit.done("ladder.channel_recorded", "kanal").await
}
