//! The engagement ladder on the web: moving a proposal, recording the evidence that
//! lets it climb (channels, partnerships, the implementer), the village's thresholds, and
//! the automatic climb to `empower` where the village allows it.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use uuid::Uuid;

use super::error::{AppError, AppResult};
use super::page::Ctx;
use super::proposals::{Typed, load, page};
use super::routes::Routes;
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::ladder::{self, Condition, MoveRefused, ThresholdsForm};
use crate::domain::meeting::{MajorityRule, QuorumRule, TataTertibForm};
use crate::domain::money::Rupiah;
use crate::domain::proposal::Level;
use crate::store::groups::GroupSummary;
use crate::store::ladder::{Mover, Partnership};
use crate::store::proposals::Proposal;
use crate::store::villages::Village;
use crate::store::{Store, StoreError};

pub fn routes() -> Routes {
    let p = "/desa/{slug}/usulan/{number}";
    Routes::new()
        .route(&format!("{p}/tingkat"), post(move_level))
        .route(&format!("{p}/kanal"), post(channel))
        .route(&format!("{p}/kemitraan"), post(partnership))
        .route(&format!("{p}/pelaksana"), post(implementer))
        .route("/desa/{slug}/pengaturan", get(settings).post(save_settings))
        .route(
            "/desa/{slug}/pengaturan/tata-tertib",
            post(save_tata_tertib),
        )
}

/// The ladder forms as typed, kept for a 422.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct LadderForm {
    pub level: String,
    pub note: String,
    pub channel: String,
    pub group: String,
    pub contribution: String,
    pub amount: String,
}

/// What the proposal page shows of the ladder beyond the five steps.
#[derive(Debug, Default)]
pub struct LadderView {
    /// For officials and facilitators: every condition up to the next level.
    pub next: Option<(Level, Vec<Condition>)>,
    pub partnerships: Vec<Partnership>,
    pub implementer: Option<String>,
    /// The village's groups, for the partnership and implementer forms (staff only).
    pub groups: Vec<GroupSummary>,
    /// A refused move: each unmet condition.
    pub unmet: Vec<Condition>,
    pub form: LadderForm,
    /// Which ladder form a 422 belongs to (`tingkat`, `kanal`, `kemitraan`, `pelaksana`).
    pub section: &'static str,
}

impl LadderView {
    pub fn channels(&self) -> &'static [&'static str] {
        &ladder::CHANNELS
    }
    pub fn contributions(&self) -> &'static [&'static str] {
        &ladder::CONTRIBUTIONS
    }
}

/// The ladder part of a proposal page.
pub async fn view(
    store: &Store,
    ctx: &Ctx,
    village: &Village,
    p: &Proposal,
) -> AppResult<LadderView> {
    let partnerships = store.partnerships(p.id).await?;
    let implementer = match p.implementer_group_id {
        Some(g) => match store.group(village.id, g).await {
            Ok(g) => Some(g.name),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let mut view = LadderView {
        partnerships,
        implementer,
        ..LadderView::default()
    };
    if ctx.may(Action::RecordMeetings, Some(village.id)) {
        let current = Level::from_rank(p.level).unwrap_or(Level::Inform);
        if let Some(next) = Level::ALL.into_iter().find(|l| *l > current) {
            let evidence = store.evidence(village, p).await?;
            let conditions = ladder::conditions_up_to(next, &evidence, &village.thresholds());
            view.next = Some((next, conditions));
        }
        view.groups = store.list_groups(village.id).await?;
    }
    Ok(view)
}

/// The proposal page again with a ladder form's problem: 422, nothing stored.
async fn refused(
    store: &Store,
    ctx: Ctx,
    village: Village,
    p: Proposal,
    typed: Typed,
) -> AppResult<Response> {
    let page = page(store, ctx, village, p, typed).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

fn to_proposal(slug: &str, number: &str, anchor: &str) -> Response {
    Redirect::to(&format!("/desa/{slug}/usulan/{number}#{anchor}")).into_response()
}

fn note_of(raw: &str, errors: &mut FieldErrors) -> Option<String> {
    crate::domain::validation::optional_text(errors, "note", raw, 2000)
}

async fn move_level(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, String)>,
    Form(form): Form<LadderForm>,
) -> AppResult<Response> {
    let (village, p) = load(&store, &ctx, &slug, &number).await?;
    let viewer = ctx
        .authorize(Action::RecordMeetings, Some(village.id))?
        .clone();
    let mut errors = FieldErrors::new();
    let note = note_of(&form.note, &mut errors);
    let Some(to) = Level::parse(&form.level).filter(|_| errors.is_empty()) else {
        if Level::parse(&form.level).is_none() {
            errors.add("level", "error.choose_from_list");
        }
        return refused(
            &store,
            ctx,
            village,
            p,
            Typed::ladder("tingkat", form, errors, Vec::new()),
        )
        .await;
    };
    let from = Level::from_rank(p.level).unwrap_or(Level::Inform);
    let evidence = store.evidence(&village, &p).await?;
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
            return refused(
                &store,
                ctx,
                village,
                p,
                Typed::ladder("tingkat", form, errors, unmet),
            )
            .await;
        }
    };
    let snapshot = serde_json::to_value(&held).map_err(|e| AppError::Internal(e.into()))?;
    let by = Mover {
        id: Some(viewer.id),
        name: &viewer.name,
    };
    match store
        .move_level(village.id, p.id, from, to, note.as_deref(), &snapshot, by)
        .await
    {
        Ok(()) => {
            ctx.flash("ladder.moved").await?;
            Ok(to_proposal(&slug, &number, "tangga"))
        }
        Err(StoreError::Stale) => {
            // Someone moved it first: 409 with the page as it stands now.
            let current = store.proposal_by_number(village.id, &number).await?;
            let mut errors = FieldErrors::new();
            errors.add("level", "error.stale");
            let typed = Typed::ladder("tingkat", form, errors, Vec::new());
            let page = page(&store, ctx, village, current, typed).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn channel(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, String)>,
    Form(form): Form<LadderForm>,
) -> AppResult<Response> {
    let (village, p) = load(&store, &ctx, &slug, &number).await?;
    let viewer = ctx
        .authorize(Action::RecordMeetings, Some(village.id))?
        .clone();
    let mut errors = FieldErrors::new();
    let note = note_of(&form.note, &mut errors);
    let channel = ladder::CHANNELS
        .iter()
        .find(|c| **c == form.channel.trim())
        .copied();
    if channel.is_none() {
        errors.add("channel", "error.choose_from_list");
    }
    let Some(channel) = channel.filter(|_| errors.is_empty()) else {
        return refused(
            &store,
            ctx,
            village,
            p,
            Typed::ladder("kanal", form, errors, Vec::new()),
        )
        .await;
    };
    store
        .record_channel(
            village.id,
            p.id,
            channel,
            note.as_deref(),
            viewer.id,
            &viewer.name,
        )
        .await?;
    ctx.flash("ladder.channel_recorded").await?;
    Ok(to_proposal(&slug, &number, "tangga"))
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

async fn partnership(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, String)>,
    Form(form): Form<LadderForm>,
) -> AppResult<Response> {
    let (village, p) = load(&store, &ctx, &slug, &number).await?;
    let viewer = ctx
        .authorize(Action::RecordMeetings, Some(village.id))?
        .clone();
    let mut errors = FieldErrors::new();
    let group = village_group(&store, &village, &form.group, &mut errors).await?;
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
        return refused(&store, ctx, village, p, typed).await;
    };
    store
        .add_partnership(
            village.id,
            p.id,
            group,
            contribution,
            amount,
            note.as_deref(),
            viewer.id,
            &viewer.name,
        )
        .await?;
    ctx.flash("ladder.partnership_recorded").await?;
    Ok(to_proposal(&slug, &number, "kemitraan"))
}

async fn implementer(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, String)>,
    Form(form): Form<LadderForm>,
) -> AppResult<Response> {
    let (village, p) = load(&store, &ctx, &slug, &number).await?;
    let viewer = ctx
        .authorize(Action::RecordMeetings, Some(village.id))?
        .clone();
    let mut errors = FieldErrors::new();
    let Some(group) = village_group(&store, &village, &form.group, &mut errors).await? else {
        return refused(
            &store,
            ctx,
            village,
            p,
            Typed::ladder("pelaksana", form, errors, Vec::new()),
        )
        .await;
    };
    store
        .set_implementer(village.id, &p, group, viewer.id, &viewer.name)
        .await?;
    let p = store.proposal_by_number(village.id, &number).await?;
    auto_climb(&store, &village, &p).await?;
    ctx.flash("ladder.implementer_recorded").await?;
    Ok(to_proposal(&slug, &number, "pelaksana"))
}

/// When the village allows it and every condition up to `empower` holds, the system
/// moves the proposal there itself, as an event of its own.
pub async fn auto_climb(store: &Store, village: &Village, p: &Proposal) -> AppResult<bool> {
    let thresholds = village.thresholds();
    let from = Level::from_rank(p.level).unwrap_or(Level::Inform);
    if !thresholds.auto_empower || from == Level::Empower {
        return Ok(false);
    }
    let evidence = store.evidence(village, p).await?;
    let Ok(held) = ladder::check_move(from, Level::Empower, "", &evidence, &thresholds) else {
        return Ok(false);
    };
    let snapshot = serde_json::to_value(&held).map_err(|e| AppError::Internal(e.into()))?;
    let by = Mover {
        id: None,
        name: "musdes",
    };
    match store
        .move_level(village.id, p.id, from, Level::Empower, None, &snapshot, by)
        .await
    {
        Ok(()) => Ok(true),
        // Moved by someone at the same moment: nothing left to do.
        Err(StoreError::Stale) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

// ---------- thresholds and tata tertib ----------

#[derive(Template, WebTemplate)]
#[template(path = "village/settings.html")]
struct SettingsPage {
    ctx: Ctx,
    village: Village,
    form: ThresholdsForm,
    errors: FieldErrors,
    tata: TataTertibForm,
    tata_errors: FieldErrors,
}

impl SettingsPage {
    /// The page with both forms as stored, at the village's current version.
    fn of(ctx: Ctx, village: Village) -> SettingsPage {
        let mut form = ThresholdsForm::of(&village.thresholds());
        form.version = village.version.to_string();
        let mut tata = TataTertibForm::of(&village.tata_tertib());
        tata.version = village.version.to_string();
        SettingsPage {
            ctx,
            village,
            form,
            errors: FieldErrors::new(),
            tata,
            tata_errors: FieldErrors::new(),
        }
    }
    fn quorum_rules(&self) -> &'static [QuorumRule] {
        QuorumRule::ALL
    }
    fn majority_rules(&self) -> &'static [MajorityRule] {
        MajorityRule::ALL
    }
}

async fn settings(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<SettingsPage> {
    let village = store.village_by_slug(&slug).await?;
    ctx.authorize(Action::EditVillage, Some(village.id))?;
    Ok(SettingsPage::of(ctx, village))
}

fn version_of(raw: &str) -> AppResult<i64> {
    raw.trim().parse::<i64>().map_err(|_| AppError::BadRequest)
}

async fn save_settings(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<ThresholdsForm>,
) -> AppResult<Response> {
    let village = store.village_by_slug(&slug).await?;
    let actor = ctx.authorize(Action::EditVillage, Some(village.id))?.id;
    let version = version_of(&form.version)?;
    let thresholds = match form.validate() {
        Ok(t) => t,
        Err(errors) => {
            let page = SettingsPage {
                form,
                errors,
                ..SettingsPage::of(ctx, village)
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let saved = store
        .update_thresholds(&village, version, &thresholds, actor)
        .await;
    settings_saved(&store, ctx, &slug, saved, "consult_feedback", "admin.saved").await
}

async fn save_tata_tertib(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<TataTertibForm>,
) -> AppResult<Response> {
    let village = store.village_by_slug(&slug).await?;
    let actor = ctx.authorize(Action::EditVillage, Some(village.id))?.id;
    let version = version_of(&form.version)?;
    let tata = match form.validate() {
        Ok(t) => t,
        Err(tata_errors) => {
            let page = SettingsPage {
                tata: form,
                tata_errors,
                ..SettingsPage::of(ctx, village)
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let saved = store
        .update_tata_tertib(&village, version, &tata, actor)
        .await;
    settings_saved(
        &store,
        ctx,
        &slug,
        saved,
        "tata",
        "settings.tata_tertib_saved",
    )
    .await
}

/// After a save: back to the settings, or 409 with the page as it now stands when someone
/// changed the village meanwhile (the message beside `field`'s form).
async fn settings_saved(
    store: &Store,
    ctx: Ctx,
    slug: &str,
    saved: Result<(), StoreError>,
    field: &'static str,
    notice: &'static str,
) -> AppResult<Response> {
    match saved {
        Ok(()) => {
            ctx.flash(notice).await?;
            Ok(Redirect::to(&format!("/desa/{slug}/pengaturan")).into_response())
        }
        Err(StoreError::Stale) => {
            let current = store.village_by_slug(slug).await?;
            let mut page = SettingsPage::of(ctx, current);
            if field == "tata" {
                page.tata_errors.add("quorum_rule", "error.stale");
            } else {
                page.errors.add(field, "error.stale");
            }
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
