//! Submitting a proposal, finding similar ones first, and the proposer's edit and
//! withdrawal.

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use chrono::Duration;

use super::ANONYMOUS_PER_10_MINUTES;
use super::page::{Typed, Visit};
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::proposal::{self, Bidang, ProposalForm, Status, Submitter};
use crate::domain::village::Timezone;
use crate::store::proposals::{self as stored, Proposal, Submission};
use crate::store::villages::Village;
use crate::store::{Store, StoreError};
use crate::web::auth::ClientIp;
use crate::web::error::{AppError, AppResult, limited};
use crate::web::page::Ctx;

#[derive(Template, WebTemplate)]
#[template(path = "proposals/new.html")]
pub(super) struct NewPage {
    ctx: Ctx,
    village: Village,
    form: ProposalForm,
    errors: FieldErrors,
    who: Submitter,
    /// The number and version of the proposal being edited (edits only).
    editing: Option<(String, i64)>,
}

impl NewPage {
    fn bidang(&self) -> [Bidang; 5] {
        Bidang::ALL
    }
    fn sub_bidang(&self) -> &'static [(&'static str, &'static str)] {
        proposal::SUB_BIDANG
    }
    fn channels(&self) -> &'static [&'static str] {
        &proposal::CHANNELS[1..]
    }
    fn anonymous(&self) -> bool {
        self.who == Submitter::Anonymous
    }
    fn on_behalf_allowed(&self) -> bool {
        self.editing.is_none() && self.ctx.may(Action::RecordMeetings, Some(self.village.id))
    }
}

fn submitter(ctx: &Ctx, village: &Village, form: &ProposalForm) -> Submitter {
    if ctx.may(Action::RecordMeetings, Some(village.id)) && !form.proposer_name.trim().is_empty() {
        Submitter::OnBehalf
    } else if ctx.may(Action::Participate, Some(village.id)) {
        Submitter::Member
    } else {
        Submitter::Anonymous
    }
}

pub(super) async fn new_form(
    State(store): State<Store>,
    mut ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<NewPage> {
    let village = store.village_by_slug(&slug).await?;
    ctx.ensure_csrf().await?;
    let mut form = ProposalForm::default();
    let who = submitter(&ctx, &village, &form);
    if who == Submitter::Anonymous
        && let Some(v) = &ctx.viewer
    {
        // Signed up, not yet confirmed as a resident: the account's name is the proposer's.
        form.proposer_name = v.name.clone();
    }
    Ok(NewPage {
        ctx,
        village,
        form,
        errors: FieldErrors::new(),
        who,
        editing: None,
    })
}

pub(super) async fn submit(
    State(store): State<Store>,
    mut ctx: Ctx,
    ClientIp(ip): ClientIp,
    Path(slug): Path<String>,
    Form(mut form): Form<ProposalForm>,
) -> AppResult<Response> {
    let village = store.village_by_slug(&slug).await?;
    let who = submitter(&ctx, &village, &form);
    if who == Submitter::Anonymous
        && form.proposer_name.trim().is_empty()
        && let Some(v) = &ctx.viewer
    {
        form.proposer_name = v.name.clone();
    }
    let checked = match form.validate(&village.hamlets, who) {
        Ok(p) => p,
        Err(errors) => {
            ctx.ensure_csrf().await?;
            let page = NewPage {
                ctx,
                village,
                form,
                errors,
                who,
                editing: None,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    if form.confirmed != "1" {
        let similar = similar(&store, &village, &checked.title, &checked.problem).await?;
        if !similar.is_empty() {
            // Without JavaScript the duplicate check is this step: support one of these,
            // or send the new proposal anyway. Nothing is stored yet.
            ctx.ensure_csrf().await?;
            return Ok(ConfirmPage {
                ctx,
                village,
                form,
                similar,
            }
            .into_response());
        }
    }
    if who == Submitter::Anonymous {
        // Counted as it is stored, atomically: a burst gets at most the limit through.
        limited(
            store
                .throttle_take(
                    "anonymous_submission",
                    &ip,
                    Duration::minutes(10),
                    ANONYMOUS_PER_10_MINUTES,
                )
                .await?,
        )?;
    }
    // Whoever has no account of their own follows the proposal with a tracking code: shown
    // once to the browser that sent it (to the facilitator, for the paper slip), kept as
    // its hash.
    let tracking = (who != Submitter::Member).then(super::track::new_code);
    let viewer = ctx.viewer.as_ref();
    let submission = Submission {
        proposal: &checked,
        status: if who == Submitter::Anonymous {
            Status::Pending.code()
        } else {
            Status::Submitted.code()
        },
        // A signed-up person not yet confirmed is still the proposal's proposer.
        proposer_user: (who != Submitter::OnBehalf)
            .then(|| viewer.map(|v| v.id))
            .flatten(),
        proposer_name: match who {
            Submitter::Member => viewer.map(|v| v.name.clone()).unwrap_or_default(),
            _ => checked.proposer_name.clone().unwrap_or_default(),
        },
        entered_by: (who == Submitter::OnBehalf)
            .then(|| viewer.map(|v| v.id))
            .flatten(),
        entered_by_name: (who == Submitter::OnBehalf)
            .then(|| viewer.map(|v| v.name.clone()))
            .flatten(),
        submitted_from: ip,
        year: stored::current_year(Timezone::parse(&village.timezone).unwrap_or_default().tz()),
        tracking_hash: tracking.as_ref().map(|(_, hash)| hash.clone()),
    };
    let number = store
        .create_proposal(village.id, &submission)
        .await?
        .to_string();
    if let Some((code, _)) = &tracking {
        super::track::remember_code(&ctx.session, &slug, &number, code).await?;
    }
    if who == Submitter::Anonymous {
        // The visitor may see their own proposal while it waits for moderation.
        super::track::remember_own(&ctx.session, &slug, &number).await?;
        ctx.flash("proposal.pending_notice");
    } else {
        ctx.flash("proposal.submitted_notice");
    }
    Ok(Redirect::to(&paths::proposal(&slug, &number)).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "proposals/paper.html")]
pub(super) struct PaperForm {
    ctx: Ctx,
    village: Village,
    /// The online form's full address and its QR code, when the public address is set.
    online: Option<String>,
    qr: Option<String>,
}

impl PaperForm {
    fn bidang(&self) -> [Bidang; 5] {
        Bidang::ALL
    }
}

/// The proposal form on paper (A4, Bahasa Indonesia) for a musyawarah dusun: the same
/// fields as online, with the bidang in plain words, and a box for the facilitator who
/// enters it afterwards (its number and tracking code).
pub(super) async fn paper_form(
    State(store): State<Store>,
    mut ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<PaperForm> {
    let village = store.village_by_slug(&slug).await?;
    ctx.lang = crate::web::i18n::Lang::ID;
    let online = ctx.full_url(&paths::proposal_new(&village.slug));
    let qr = online.as_deref().and_then(crate::web::qr::svg);
    Ok(PaperForm {
        ctx,
        village,
        online,
        qr,
    })
}

/// Published proposals much like this one, most alike first (at most five).
async fn similar(
    store: &Store,
    village: &Village,
    title: &str,
    problem: &str,
) -> AppResult<Vec<Proposal>> {
    let words = proposal::key_words(title);
    let mut scored: Vec<(f64, Proposal)> = store
        .proposals_sharing_words(village.id, &words, 50)
        .await?
        .into_iter()
        .map(|p| {
            (
                proposal::similarity(title, problem, &p.title, &p.problem),
                p,
            )
        })
        .filter(|(score, _)| *score >= proposal::SIMILAR_THRESHOLD)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    Ok(scored.into_iter().take(5).map(|(_, p)| p).collect())
}

#[derive(Template, WebTemplate)]
#[template(path = "proposals/confirm.html")]
struct ConfirmPage {
    ctx: Ctx,
    village: Village,
    form: ProposalForm,
    similar: Vec<Proposal>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct SimilarQuery {
    title: String,
    problem: String,
}

/// For the page's script: similar proposals while the title is being typed.
pub(super) async fn similar_json(
    State(store): State<Store>,
    Path(slug): Path<String>,
    Query(q): Query<SimilarQuery>,
) -> AppResult<Json<serde_json::Value>> {
    let village = store.village_by_slug(&slug).await?;
    let title: String = q.title.chars().take(200).collect();
    let problem: String = q.problem.chars().take(2000).collect();
    let items: Vec<serde_json::Value> = similar(&store, &village, &title, &problem)
        .await?
        .into_iter()
        .map(|p| {
            serde_json::json!({
                "number": p.number, "title": p.title, "status": p.status, "supports": p.supports,
                "url": paths::proposal(&slug, &p.number),
            })
        })
        .collect();
    Ok(Json(serde_json::json!({ "items": items })))
}

/// The proposer of this proposal, logged in and still holding a role in the village.
fn proposer(ctx: &Ctx, village: &Village, p: &Proposal) -> AppResult<crate::web::page::Viewer> {
    let viewer = ctx.authorize(Action::Participate, Some(village.id))?;
    if p.proposer_user_id != Some(viewer.id) {
        return Err(AppError::Forbidden);
    }
    Ok(viewer.clone())
}

fn form_of(p: &Proposal) -> ProposalForm {
    ProposalForm {
        title: p.title.clone(),
        problem: p.problem.clone(),
        description: p.description.clone(),
        bidang: p.bidang.code().to_string(),
        sub_bidang: p.sub_bidang.clone().unwrap_or_default(),
        location: p.location.clone().unwrap_or_default(),
        dusun: p.hamlet.clone().unwrap_or_default(),
        estimated_cost: p.estimated_cost.map(|c| c.to_string()).unwrap_or_default(),
        ..ProposalForm::default()
    }
}

fn editable(p: &Proposal) -> AppResult<()> {
    if proposal::proposer_may_edit(p.status) {
        Ok(())
    } else {
        Err(AppError::Conflict)
    }
}

pub(super) async fn edit_form(visit: Visit) -> AppResult<NewPage> {
    let Visit {
        ctx, village, p, ..
    } = visit;
    proposer(&ctx, &village, &p)?;
    editable(&p)?;
    let editing = Some((p.number.clone(), p.version));
    Ok(NewPage {
        ctx,
        form: form_of(&p),
        village,
        errors: FieldErrors::new(),
        who: Submitter::Member,
        editing,
    })
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct EditForm {
    #[serde(flatten)]
    proposal: ProposalForm,
    version: String,
}

pub(super) async fn edit(visit: Visit, Form(form): Form<EditForm>) -> AppResult<Response> {
    let Visit {
        store,
        ctx,
        village,
        p,
        ..
    } = &visit;
    let viewer = proposer(ctx, village, p)?;
    editable(p)?;
    let version = form
        .version
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    let checked = match form.proposal.validate(&village.hamlets, Submitter::Member) {
        Ok(c) => c,
        Err(errors) => {
            let editing = Some((p.number.clone(), version));
            let Visit { ctx, village, .. } = visit;
            let page = NewPage {
                ctx,
                village,
                form: form.proposal,
                errors,
                who: Submitter::Member,
                editing,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match store
        .edit_proposal(p, version, &checked, &viewer.actor())
        .await
    {
        Ok(()) => visit.done("proposal.edited", "").await,
        Err(StoreError::Stale) => visit.stale(Typed::error("status", "error.stale")).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct WithdrawForm {
    note: String,
    version: String,
}

pub(super) async fn withdraw(visit: Visit, Form(form): Form<WithdrawForm>) -> AppResult<Response> {
    let Visit {
        store,
        ctx,
        village,
        p,
        ..
    } = &visit;
    let viewer = proposer(ctx, village, p)?;
    let from = Some(p.status)
        .filter(|s| proposal::proposer_may_withdraw(*s))
        .ok_or(AppError::Conflict)?;
    let version = form
        .version
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    let note = Some(form.note.trim())
        .filter(|n| !n.is_empty())
        .map(|n| n.chars().take(2000).collect::<String>());
    store
        .change_status(
            village.id,
            p.id,
            version,
            (from, Status::Withdrawn),
            note.as_deref(),
            &viewer.actor(),
        )
        .await?;
    visit.done("proposal.withdrawn", "").await
}
