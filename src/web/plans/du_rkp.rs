//! The DU-RKP (Daftar Usulan RKP Desa): what a village sends up through the camat, the
//! kecamatan's answer to each item, and the kecamatan's list of its villages.

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use uuid::Uuid;

use super::files::{self, Separator};
use crate::domain::access::Action;
use crate::domain::apbdes;
use crate::domain::calendar;
use crate::domain::plan::{self, DuRkpAnswerForm, Item};
use crate::domain::validation::FieldErrors;
use crate::store::du_rkp::Answer;
use crate::store::plans::StoredPlan;
use crate::store::villages::Village;
use crate::store::{Store, StoreError};
use crate::web::error::{AppError, AppResult};
use crate::web::page::Ctx;
use crate::web::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route(crate::web::paths::DU_RKP, get(page))
        .route(crate::web::paths::DU_RKP_CSV, get(file))
        .route(crate::web::paths::DU_RKP_ANSWER, post(answer))
        .route(crate::web::paths::KECAMATAN, get(overview))
}

fn year_of(raw: &str) -> AppResult<i64> {
    match raw.parse::<i64>() {
        Ok(y) if apbdes::valid_year(y) && raw.len() == 4 => Ok(y),
        _ => Err(AppError::NotFound),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "plans/du_rkp.html")]
struct DuRkpPage {
    ctx: Ctx,
    village: Village,
    year: i64,
    stored: StoredPlan,
    answers: Vec<Answer>,
    may_answer: bool,
    /// The item whose form was refused, what was typed, and why.
    refused: Option<(String, DuRkpAnswerForm)>,
    errors: FieldErrors,
}

impl DuRkpPage {
    fn items(&self) -> Vec<&Item> {
        self.stored.plan.in_du_rkp().collect()
    }
    fn agreed(&self) -> bool {
        self.stored.agreed_at.is_some()
    }
    fn answer_of(&self, item: &Item) -> Option<&Answer> {
        self.answers
            .iter()
            .find(|a| a.proposal_id == item.proposal_id)
    }
    fn money(&self, amount: &Option<i64>) -> String {
        amount
            .and_then(crate::domain::money::Rupiah::from_i64)
            .map_or_else(|| "—".into(), |r| r.to_string())
    }
    fn total(&self) -> String {
        self.money(&Some(self.stored.plan.du_rkp))
    }
    fn months(&self, months: &Option<(u32, u32)>) -> String {
        files::months_text(self.ctx.lang, *months)
    }
    fn day(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        crate::web::filters::long_date(self.ctx.lang, at, &self.village.timezone)
    }
    /// The form's values for one item: what was typed when it was refused, else empty.
    fn typed(&self, item: &Item) -> DuRkpAnswerForm {
        match &self.refused {
            Some((n, f)) if *n == item.number => f.clone(),
            _ => DuRkpAnswerForm::default(),
        }
    }
    fn errors_for(&self, item: &Item) -> Option<&FieldErrors> {
        match &self.refused {
            Some((n, _)) if *n == item.number => Some(&self.errors),
            _ => None,
        }
    }
    fn error_of(&self, item: &Item, field: &str) -> Option<&'static str> {
        self.errors_for(item).and_then(|e| e.get(field))
    }
    fn answers(&self) -> &'static [&'static str] {
        &plan::ANSWERS
    }
    fn kepala_desa(&self) -> Option<String> {
        self.village.tata_tertib().kepala_desa
    }
    fn chosen(&self, typed: &str, code: &str) -> bool {
        typed == code
    }
}

async fn du_rkp_page(store: &Store, ctx: Ctx, village: Village, year: i64) -> AppResult<DuRkpPage> {
    let stored = store.plan_revision(village.id, year, Some(0)).await?;
    let answers = store.du_rkp_answers(stored.id).await?;
    let may_answer = ctx.may(Action::AnswerDuRkp, Some(village.id));
    Ok(DuRkpPage {
        ctx,
        village,
        year,
        stored,
        answers,
        may_answer,
        refused: None,
        errors: FieldErrors::new(),
    })
}

async fn page(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
) -> AppResult<DuRkpPage> {
    let year = year_of(&year)?;
    let village = store.village_by_slug(&slug).await?;
    du_rkp_page(&store, ctx, village, year).await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct FileQuery {
    pemisah: String,
}

/// The DU-RKP form's columns (Permendagri 114/2014), then the kecamatan's answer.
const COLUMNS: [&str; 12] = [
    "No",
    "Bidang/Jenis Kegiatan",
    "Lokasi",
    "Volume",
    "Sasaran/Manfaat",
    "Waktu Pelaksanaan",
    "Perkiraan Biaya (Rp)",
    "Kewenangan",
    "Nomor Usulan",
    "Jawaban Kecamatan",
    "Alasan",
    "Tanggal Jawaban",
];

async fn file(
    State(store): State<Store>,
    Path((slug, year)): Path<(String, String)>,
    Query(q): Query<FileQuery>,
) -> AppResult<Response> {
    let year = year_of(&year)?;
    let village = store.village_by_slug(&slug).await?;
    let stored = store.plan_revision(village.id, year, Some(0)).await?;
    let answers = store.du_rkp_answers(stored.id).await?;
    let id = |k: &str| crate::web::i18n::Lang::ID.t(k);
    let rows: Vec<Vec<String>> = stored
        .plan
        .in_du_rkp()
        .enumerate()
        .map(|(n, i)| {
            let a = answers.iter().find(|a| a.proposal_id == i.proposal_id);
            vec![
                (n + 1).to_string(),
                files::activity(i),
                i.location.clone(),
                i.volume.clone(),
                i.beneficiaries.clone(),
                files::months_text(crate::web::i18n::Lang::ID, i.months),
                i.cost.map(|c| c.to_string()).unwrap_or_default(),
                apbdes::authority_name(i.authority.as_deref().unwrap_or_default()).to_string(),
                i.number.clone(),
                a.map(|a| id(&format!("du_rkp_answer.{}", a.answer)).to_string())
                    .unwrap_or_default(),
                a.map(|a| a.reason.clone()).unwrap_or_default(),
                a.map(|a| a.answered_at.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let (separator, suffix) = match q.pemisah.as_str() {
        "titikkoma" => (Separator::Semicolon, "-titikkoma"),
        _ => (Separator::Comma, ""),
    };
    let body =
        files::write_csv(separator, &COLUMNS, rows).map_err(|e| AppError::Internal(e.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"du-rkp-{}-{year}{suffix}.csv\"",
                    village.slug
                ),
            ),
        ],
        body,
    )
        .into_response())
}

async fn answer(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year, number)): Path<(String, String, String)>,
    axum::Form(form): axum::Form<DuRkpAnswerForm>,
) -> AppResult<Response> {
    let year = year_of(&year)?;
    let village = store.village_by_slug(&slug).await?;
    // Only an account overseeing this village's kecamatan: another kecamatan's is refused.
    let viewer = ctx
        .authorize(Action::AnswerDuRkp, Some(village.id))?
        .clone();
    let stored = store.plan_revision(village.id, year, Some(0)).await?;
    let refused = match form.validate() {
        Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
        Ok(checked) => {
            let kecamatan = village.kecamatan.clone().unwrap_or_default();
            match store
                .answer_du_rkp(
                    village.id,
                    &kecamatan,
                    stored.id,
                    &number,
                    &checked,
                    &viewer.actor(),
                )
                .await
            {
                Ok(()) => {
                    ctx.flash("du_rkp.answered");
                    let to = format!(
                        "{}#usulan-{number}",
                        crate::web::paths::du_rkp(&village.slug, year)
                    );
                    return Ok(Redirect::to(&to).into_response());
                }
                Err(StoreError::OutOfTurn(reason)) => {
                    let mut errors = FieldErrors::new();
                    errors.add("answer", reason);
                    (StatusCode::CONFLICT, errors)
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    let (status, errors) = refused;
    let mut page = du_rkp_page(&store, ctx, village, year).await?;
    page.refused = Some((number, form));
    page.errors = errors;
    Ok((status, page).into_response())
}

// ---------- the kecamatan's list ----------

/// One village as the kecamatan sees it.
struct Row {
    slug: String,
    name: String,
    kecamatan: String,
    /// Where next year's plan stands: the stage due now (or `None`: all done) and how many
    /// stages are late.
    next: Option<calendar::Stage>,
    late: usize,
    plan_year: i64,
    /// DU-RKP years with items still waiting for an answer: (year, waiting, all).
    waiting: Vec<(i64, usize, usize)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "plans/kecamatan.html")]
struct OverviewPage {
    ctx: Ctx,
    rows: Vec<Row>,
    kecamatans: Vec<String>,
    filter: String,
}

impl OverviewPage {
    fn stage_key(&self, s: &calendar::Stage) -> String {
        format!("calendar.stage.{}", s.kind.code())
    }
    fn day(&self, d: &chrono::NaiveDate) -> String {
        crate::web::filters::day(self.ctx.lang, d)
    }
    fn waiting_total(&self) -> usize {
        self.rows
            .iter()
            .flat_map(|r| r.waiting.iter())
            .map(|(_, w, _)| w)
            .sum()
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct OverviewQuery {
    kecamatan: String,
}

/// The villages an account oversees (as kecamatan; the admin, as the kabupaten, sees every
/// village of the installation): where each stands in the planning year, what is late, and
/// the DU-RKP items to answer.
async fn overview(
    State(store): State<Store>,
    State(kept): State<crate::web::cache::PlanningCache>,
    ctx: Ctx,
    Query(q): Query<OverviewQuery>,
) -> AppResult<OverviewPage> {
    let Some(viewer) = &ctx.viewer else {
        return Err(AppError::LoginRequired {
            next: ctx.path.clone(),
        });
    };
    let villages: Vec<Village> = if viewer.is_admin {
        store.list_villages(5000, 0).await?
    } else {
        let mut list = Vec::new();
        for m in viewer.memberships.iter().filter(|m| m.role == "kecamatan") {
            list.push(store.village_by_slug(&m.slug).await?);
        }
        list
    };
    if villages.is_empty() && !viewer.is_admin {
        return Err(AppError::Forbidden);
    }
    let mut kecamatans: Vec<String> = villages
        .iter()
        .map(|v| v.kecamatan.clone().unwrap_or_default())
        .collect();
    // Villages without a kecamatan show under "all"; they have no option of their own.
    kecamatans.retain(|k| !k.trim().is_empty());
    kecamatans.sort();
    kecamatans.dedup();
    let chosen: Vec<Village> = villages
        .into_iter()
        .filter(|v| {
            q.kecamatan.trim().is_empty()
                || v.kecamatan
                    .as_deref()
                    .unwrap_or_default()
                    .eq_ignore_ascii_case(q.kecamatan.trim())
        })
        .collect();
    let ids: Vec<Uuid> = chosen.iter().map(|v| v.id).collect();
    let waiting = store.du_rkp_waiting(&ids).await?;
    let mut rows = Vec::with_capacity(chosen.len());
    for village in chosen {
        let plan_year = super::calendar::next_plan_year(&village);
        let (stages, _, _) =
            super::calendar::year_stages(&store, &kept, &village, plan_year).await?;
        let late = stages
            .iter()
            .filter(|s| s.state == calendar::State::Late)
            .count();
        let next = calendar::next(&stages).cloned();
        rows.push(Row {
            kecamatan: village.kecamatan.clone().unwrap_or_default(),
            next,
            late,
            plan_year,
            waiting: waiting
                .iter()
                .filter(|w| w.village_id == village.id && w.answered < w.items)
                .map(|w| (w.year, w.items - w.answered, w.items))
                .collect(),
            slug: village.slug,
            name: village.name,
        });
    }
    Ok(OverviewPage {
        ctx,
        rows,
        kecamatans,
        filter: q.kecamatan,
    })
}
