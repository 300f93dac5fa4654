//! The engagement ladder's forms on a proposal: moving a level on its evidence,
//! information channels, partnerships and the implementing group.

use axum::Form;
use axum::extract::Path;
use axum::response::Response;
use uuid::Uuid;

use super::page::{LadderForm, Typed, Visit};
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::ladder::{self, MoveRefused};
use crate::domain::money::Rupiah;
use crate::domain::proposal::Level;
use crate::domain::reach::ReachForm;
use crate::store::reach::Announced;
use crate::store::villages::Village;
use crate::store::{Store, StoreError};
use crate::web::error::{AppError, AppResult};

fn note_of(raw: &str, errors: &mut FieldErrors) -> Option<String> {
    crate::domain::validation::optional_text(errors, "note", raw, 2000)
}

pub(super) async fn move_level(visit: Visit, Form(form): Form<LadderForm>) -> AppResult<Response> {
    let Visit {
        store, village, p, ..
    } = &visit;
    let viewer = visit.actor(Action::RecordMeetings)?;
    let mut errors = FieldErrors::new();
    let note = note_of(&form.note, &mut errors);
    let Some(to) = Level::parse(&form.level).filter(|_| errors.is_empty()) else {
        if Level::parse(&form.level).is_none() {
            errors.add("level", "error.choose_from_list");
        }
        return visit
            .refused(Typed::ladder("tingkat", form, errors, Vec::new()))
            .await;
    };
    let from = p.level;
    let evidence = store.evidence(village, p).await?;
    let held = match ladder::check_move(
        from,
        to,
        note.as_deref().unwrap_or(""),
        &evidence,
        &village.thresholds(),
    ) {
        Ok(held) => held,
        Err(refusal) => {
            let (field, message, unmet) = match refusal {
                MoveRefused::SameLevel => ("level", "error.same_level", Vec::new()),
                MoveRefused::NoteRequired => ("note", "error.reason_required", Vec::new()),
                MoveRefused::Unmet(unmet) => ("level", "error.level_unmet", unmet),
            };
            errors.add(field, message);
            return visit
                .refused(Typed::ladder("tingkat", form, errors, unmet))
                .await;
        }
    };
    let snapshot = serde_json::to_value(&held).map_err(|e| AppError::Internal(e.into()))?;
    let by = viewer.actor();
    match store
        .move_level(
            village.id,
            p.id,
            from,
            to,
            note.as_deref(),
            &snapshot,
            Some(&by),
        )
        .await
    {
        Ok(()) => visit.done("ladder.moved", "#tangga").await,
        Err(StoreError::Stale) => {
            // Someone moved it first: 409 with the page as it stands now.
            let mut errors = FieldErrors::new();
            errors.add("level", "error.stale");
            let typed = Typed::ladder("tingkat", form, errors, Vec::new());
            visit.stale(typed).await
        }
        Err(e) => Err(e.into()),
    }
}

/// An information channel the proposal was announced through (`channel`, `note`, and its
/// reach: `reach`, repeated `dusun` and `group`), on its timeline for `inform`.
pub(super) async fn channel(visit: Visit, body: axum::body::Bytes) -> AppResult<Response> {
    let Visit {
        store, village, p, ..
    } = &visit;
    let viewer = visit.actor(Action::RecordMeetings)?;
    let typed =
        ReachForm::from_pairs(form_urlencoded::parse(&body).map(|(k, v)| (k, v.into_owned())));
    let groups = store.group_ids(village.id).await?;
    let checked = match typed.validate(&village.hamlets, &groups, village.population) {
        Ok(c) => c,
        Err(errors) => {
            let form = LadderForm {
                channel: typed.channel.clone(),
                note: typed.note.clone(),
                reach: typed,
                ..LadderForm::default()
            };
            return visit
                .refused(Typed::ladder("kanal", form, errors, Vec::new()))
                .await;
        }
    };
    store
        .record_reach(
            village.id,
            Announced::Proposal(p.id),
            &checked,
            &viewer.actor(),
        )
        .await?;
    visit.done("ladder.channel_recorded", "#tangga").await
}

/// The id of a group of this village named in a form, or an error on `group`.
async fn village_group(
    store: &Store,
    village: &Village,
    raw: &str,
    errors: &mut FieldErrors,
) -> AppResult<Option<Uuid>> {
    let groups = store.group_ids(village.id).await?;
    let found = raw
        .trim()
        .parse::<Uuid>()
        .ok()
        .filter(|id| groups.contains(id));
    if found.is_none() {
        errors.add("group", "error.group_of_village");
    }
    Ok(found)
}

pub(super) async fn partnership(visit: Visit, Form(form): Form<LadderForm>) -> AppResult<Response> {
    let Visit {
        store, village, p, ..
    } = &visit;
    let viewer = visit.actor(Action::RecordMeetings)?;
    let mut errors = FieldErrors::new();
    let group = village_group(store, village, &form.group, &mut errors).await?;
    let contribution = ladder::CONTRIBUTIONS
        .iter()
        .find(|c| **c == form.contribution.trim())
        .copied();
    if contribution.is_none() {
        errors.add("contribution", "error.choose_from_list");
    }
    let amount = match form.amount.trim() {
        "" => None,
        raw => match Rupiah::parse(raw) {
            Some(r) => Some(r.get()),
            None => {
                errors.add("amount", "error.cost");
                None
            }
        },
    };
    let note = note_of(&form.note, &mut errors);
    let valid = match (group, contribution) {
        (Some(g), Some(c)) if errors.is_empty() => Some((g, c)),
        _ => None,
    };
    let Some((group, contribution)) = valid else {
        let typed = Typed::ladder("kemitraan", form, errors, Vec::new());
        return visit.refused(typed).await;
    };
    store
        .add_partnership(
            village.id,
            p.id,
            group,
            contribution,
            amount,
            note.as_deref(),
            &viewer.actor(),
        )
        .await?;
    visit
        .done("ladder.partnership_recorded", "#kemitraan")
        .await
}

/// An alternative for the proposal (`group`, `title`, `cost`, `trade_offs`), worked out
/// with one of the village's groups (for `collaborate`).
pub(super) async fn alternative(visit: Visit, Form(form): Form<LadderForm>) -> AppResult<Response> {
    let Visit {
        store, village, p, ..
    } = &visit;
    let viewer = visit.actor(Action::RecordMeetings)?;
    let mut errors = FieldErrors::new();
    let group = village_group(store, village, &form.group, &mut errors).await?;
    let checked = ladder::AlternativeForm {
        title: &form.title,
        cost: &form.cost,
        trade_offs: &form.trade_offs,
    }
    .validate(&mut errors);
    let (Some(group), Some(checked)) = (group, checked.filter(|_| errors.is_empty())) else {
        let typed = Typed::ladder("alternatif", form, errors, Vec::new());
        return visit.refused(typed).await;
    };
    store
        .add_alternative(village.id, p.id, group, &checked, &viewer.actor())
        .await?;
    visit
        .done("ladder.alternative_recorded", "#alternatif")
        .await
}

/// What came of a group's pledge (`delivery`, `note`): the village's staff mark it once
/// the work is done; a pledge not kept in full says why.
pub(super) async fn pledge_delivery(
    visit: Visit,
    Path((_, _, pledge)): Path<(String, String, String)>,
    Form(mut form): Form<LadderForm>,
) -> AppResult<Response> {
    let Visit {
        store, village, p, ..
    } = &visit;
    let viewer = visit.actor(Action::RecordMeetings)?;
    let pledge = pledge.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    if !store
        .partnerships(p.id)
        .await?
        .iter()
        .any(|pp| pp.id == pledge)
    {
        return Err(AppError::NotFound);
    }
    let (outcome, note) = match ladder::delivery_form(&form.delivery, &form.note) {
        Ok(valid) => valid,
        Err(errors) => {
            form.pledge = pledge.to_string();
            return visit
                .refused(Typed::ladder("janji", form, errors, Vec::new()))
                .await;
        }
    };
    store
        .mark_delivery(
            village.id,
            p.id,
            pledge,
            outcome,
            note.as_deref(),
            &viewer.actor(),
        )
        .await?;
    visit
        .done("ladder.pledge_marked", &format!("#janji-{pledge}"))
        .await
}

pub(super) async fn implementer(visit: Visit, Form(form): Form<LadderForm>) -> AppResult<Response> {
    let Visit {
        store, village, p, ..
    } = &visit;
    let viewer = visit.actor(Action::RecordMeetings)?;
    let mut errors = FieldErrors::new();
    let Some(group) = village_group(store, village, &form.group, &mut errors).await? else {
        return visit
            .refused(Typed::ladder("pelaksana", form, errors, Vec::new()))
            .await;
    };
    store
        .set_implementer(village.id, p, group, &viewer.actor())
        .await?;
    let p = store.proposal_by_number(village.id, &p.number).await?;
    store.auto_climb(village, &p).await?;
    visit
        .done("ladder.implementer_recorded", "#pelaksana")
        .await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct DriverForm {
    cadre: String,
}

/// Names the cadre who drives the proposal (a motor of change of the village), or none.
pub(super) async fn driver(visit: Visit, Form(form): Form<DriverForm>) -> AppResult<Response> {
    let Visit {
        store, village, p, ..
    } = &visit;
    let viewer = visit.actor(Action::RecordMeetings)?;
    let cadres: Vec<uuid::Uuid> = store
        .list_cadres(village.id)
        .await?
        .iter()
        .map(|c| c.id)
        .collect();
    let mut errors = FieldErrors::new();
    let cadre = crate::domain::validation::optional_id(&mut errors, "cadre", &form.cadre, &cadres);
    if !errors.is_empty() {
        return visit
            .refused(Typed {
                errors,
                ..Typed::default()
            })
            .await;
    }
    store.set_driver(village.id, p.id, cadre, viewer.id).await?;
    visit.done("cadre.driver_saved", "#penggerak").await
}
