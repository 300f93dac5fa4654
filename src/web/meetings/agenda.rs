//! The agenda and what the meeting decided: proposals on the agenda, proposals raised
//! from the floor, the minutes and each decision.

use axum::Form;
use axum::response::{IntoResponse, Redirect, Response};

use super::page::{Section, Typed, Visit};
use super::tz_of;
use crate::domain::FieldErrors;
use crate::domain::meeting::{self, DecisionForm, MajorityRule};
use crate::store::meetings::{Meeting, record_of};
use crate::store::{Store, StoreError};
use crate::web::auth::ClientIp;
use crate::web::error::{AppError, AppResult};

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct ProposalField {
    proposal: String,
    minutes: String,
}

pub(super) async fn add_to_agenda(
    visit: Visit,
    Form(form): Form<ProposalField>,
) -> AppResult<Response> {
    let viewer = visit.recorder()?;
    let Visit {
        store, village, m, ..
    } = &visit;
    let number = form.proposal.trim().to_string();
    let found = match store.proposal_by_number(village.id, &number).await {
        Ok(p) => Some(p),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    let mut errors = FieldErrors::new();
    match &found {
        None => errors.add("proposal", "error.unknown_proposal"),
        Some(p) if !meeting::may_put_on_agenda(p.status) => {
            errors.add("proposal", "error.agenda_status")
        }
        Some(_) => {}
    }
    let Some(p) = found.filter(|_| errors.is_empty()) else {
        let typed = Typed {
            number,
            ..Typed::on(Section::Agenda, errors)
        };
        return visit.invalid(typed).await;
    };
    match store.add_to_agenda(m, p.id, &viewer.actor()).await {
        Ok(()) => visit.done("meeting.agenda_added", "agenda").await,
        // Its status changed since it was read, or it stands in an adopted plan: say so.
        Err(e @ (StoreError::Stale | StoreError::OutOfTurn(_))) => {
            let mut errors = FieldErrors::new();
            let reason = match e {
                StoreError::OutOfTurn(reason) => reason,
                _ => "error.agenda_status",
            };
            errors.add("proposal", reason);
            let typed = Typed {
                number,
                ..Typed::on(Section::Agenda, errors)
            };
            visit.invalid(typed).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The agenda item a form names, or 422 on that form.
async fn agenda_item(
    store: &Store,
    m: &Meeting,
    number: &str,
) -> AppResult<Option<crate::store::meetings::AgendaItem>> {
    let parts = store.meeting_parts(m.id).await?;
    Ok(parts.agenda.into_iter().find(|i| i.number == number.trim()))
}

/// A proposal raised from the floor: entered on behalf of its proposer, with the channel
/// `musyawarah`, and put straight onto this meeting's agenda.
pub(super) async fn floor_proposal(
    visit: Visit,
    ClientIp(ip): ClientIp,
    Form(mut form): Form<crate::domain::proposal::ProposalForm>,
) -> AppResult<Response> {
    use crate::domain::proposal::Submitter;
    let viewer = visit.recorder()?;
    let Visit {
        store, village, m, ..
    } = &visit;
    form.channel = "musyawarah".into();
    let checked = match form.validate(&village.hamlets, Submitter::OnBehalf) {
        Ok(p) => p,
        Err(errors) => {
            let typed = Typed {
                floor: form,
                ..Typed::on(Section::Floor, errors)
            };
            return visit.invalid(typed).await;
        }
    };
    let submission = crate::store::proposals::Submission {
        proposal: &checked,
        status: crate::domain::proposal::Status::Submitted.code(),
        proposer_user: None,
        proposer_name: checked.proposer_name.clone().unwrap_or_default(),
        entered_by: Some(viewer.id),
        entered_by_name: Some(viewer.name.clone()),
        submitted_from: ip,
        year: crate::store::proposals::current_year(tz_of(village).tz()),
        tracking_hash: None,
    };
    let number = store.create_proposal(village.id, &submission).await?;
    let p = store
        .proposal_by_number(village.id, &number.to_string())
        .await?;
    store.add_to_agenda(m, p.id, &viewer.actor()).await?;
    visit
        .done("meeting.floor_added", &format!("butir-{}", p.number))
        .await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct RemovalForm {
    proposal: String,
    reason: String,
}

/// Takes an item off the agenda before finalization, with its reason on the record.
pub(super) async fn remove_from_agenda(
    visit: Visit,
    Form(form): Form<RemovalForm>,
) -> AppResult<Response> {
    let viewer = visit.recorder()?;
    let Visit { store, ctx, m, .. } = &visit;
    let parts = store.meeting_parts(m.id).await?;
    let number = form.proposal.trim().to_string();
    let item = parts.agenda.iter().find(|i| i.number == number);
    let reason = meeting::removal_reason(&form.reason);
    if let (Some(item), Ok(reason)) = (item, &reason) {
        store
            .remove_from_agenda(m, item.proposal_id, reason, &viewer.actor())
            .await?;
        ctx.flash("meeting.item_removed");
        return Ok(Redirect::to(&visit.href("agenda")).into_response());
    }
    let mut errors = reason.err().unwrap_or_default();
    if item.is_none() {
        errors.add("proposal", "error.not_on_agenda");
    }
    let typed = Typed {
        number,
        text: form.reason,
        ..Typed::on(Section::Removal, errors)
    };
    visit.invalid(typed).await
}

pub(super) async fn minutes(visit: Visit, Form(form): Form<ProposalField>) -> AppResult<Response> {
    let viewer = visit.recorder()?;
    let Visit { store, m, .. } = &visit;
    let item = agenda_item(store, m, &form.proposal).await?;
    let checked = meeting::check_minutes(&form.minutes);
    let (Some(item), Ok(text)) = (&item, &checked) else {
        let mut errors = checked.err().unwrap_or_default();
        if item.is_none() {
            errors.add("proposal", "error.not_on_agenda");
        }
        let typed = Typed {
            section: Section::Minutes,
            errors,
            number: form.proposal.trim().to_string(),
            minutes: form.minutes,
            ..Typed::default()
        };
        return visit.invalid(typed).await;
    };
    store
        .set_minutes(m, item.proposal_id, text.as_deref(), viewer.id)
        .await?;
    visit
        .done("meeting.minutes_saved", &format!("butir-{}", item.number))
        .await
}

pub(super) async fn decide(visit: Visit, Form(form): Form<DecisionForm>) -> AppResult<Response> {
    let viewer = visit.recorder()?;
    let Visit {
        store, village, m, ..
    } = &visit;
    let parts = store.meeting_parts(m.id).await?;
    let agenda: Vec<String> = parts.agenda.iter().map(|i| i.number.clone()).collect();
    let record = record_of(village, m, &parts);
    let summary = meeting::summarize(&record);
    if !meeting::opening(&record, &summary).opened() {
        return visit.out_of_turn("error.meeting_not_open").await;
    }
    let kind = m.kind;
    let majority = MajorityRule::parse(&m.majority_rule).unwrap_or(MajorityRule::Half);
    let mut checked = form.validate(kind, &agenda, summary.voters, majority);
    let item = parts
        .agenda
        .iter()
        .find(|i| i.number == form.proposal.trim());
    // The alternative chosen, among the proposal's own.
    if let (Ok(d), Some(item)) = (&mut checked, item) {
        let alternatives: Vec<_> = store
            .alternatives(item.proposal_id)
            .await?
            .iter()
            .map(|a| a.id)
            .collect();
        let mut errors = FieldErrors::new();
        d.choice = form.choice(d.decision, &alternatives, &mut errors);
        if !errors.is_empty() {
            checked = Err(errors);
        }
    }
    let checked = match checked {
        Ok(d) => d,
        Err(errors) => {
            let typed = Typed {
                section: Section::Decision,
                errors,
                number: form.proposal.trim().to_string(),
                decision: form,
                ..Typed::default()
            };
            return visit.invalid(typed).await;
        }
    };
    let item = item.ok_or(AppError::NotFound)?;
    match store.decide(m, item.proposal_id, &checked, viewer.id).await {
        Ok(()) => {}
        Err(StoreError::OutOfTurn(reason)) => {
            return visit.out_of_turn(reason).await;
        }
        Err(e) => return Err(e.into()),
    }
    visit
        .done("meeting.decided", &format!("butir-{}", item.number))
        .await
}
