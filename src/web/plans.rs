//! The annual plan (RKP Desa) of a village and year: the ranked proposals, the pagu and
//! the cut-off to the DU-RKP, the forms that feed it, adoption by a finalized Musdes, and
//! the plan as CSV, spreadsheet and open data.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json};
use chrono::Datelike;
use uuid::Uuid;

use super::error::{AppError, AppResult};
use super::i18n::Lang;
use super::page::Ctx;
use super::plan_files;
use super::routes::Routes;
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::apbdes;
use crate::domain::plan::{self, AmendForm, CeilingForm, CriteriaForm, Item, ItemForm, PerdesForm};
use crate::domain::standing::Standing;
use crate::domain::village::Timezone;
use crate::store::plans::{AdoptingMeeting, PlanSummary, Revision, StoredPlan};
use crate::store::villages::Village;
use crate::store::{Store, StoreError};

pub fn routes() -> Routes {
    Routes::new()
        .route("/desa/{slug}/rkp", get(list).post(open))
        .route("/desa/{slug}/rkp/{year}", get(show))
        .route(
            "/desa/{slug}/rkp/{year}/kriteria",
            get(criteria_page).post(save_criteria),
        )
        .route(
            "/desa/{slug}/rkp/{year}/pagu",
            get(ceilings_page).post(save_ceilings),
        )
        .route(
            "/desa/{slug}/rkp/{year}/usulan/{number}",
            get(item_page).post(save_item),
        )
        .route("/desa/{slug}/rkp/{year}/perubahan", post(amend))
        .route("/desa/{slug}/rkp/{year}/musrenbangdes", post(table))
        .route("/desa/{slug}/rkp/{year}/musrenbangdes/batal", post(untable))
        .route(
            "/desa/{slug}/rkp/{year}/perdes",
            get(perdes_document).post(perdes),
        )
        .route("/desa/{slug}/rkp/{year}/evaluasi", get(evaluation))
        .route("/desa/{slug}/kalender/{year}", get(calendar))
        .route("/api/v1/desa/{slug}/rkp/{year}", get(api))
}

/// What the reader asked for at `/rkp/{year}`: the page, or the plan as a file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Html,
    Csv,
    Xlsx,
}

fn year_of(raw: &str) -> Result<(i64, Format), AppError> {
    let (digits, format) = if let Some(y) = raw.strip_suffix(".csv") {
        (y, Format::Csv)
    } else if let Some(y) = raw.strip_suffix(".xlsx") {
        (y, Format::Xlsx)
    } else {
        (raw, Format::Html)
    };
    match digits.parse::<i64>() {
        Ok(y) if apbdes::valid_year(y) && digits.len() == 4 => Ok((y, format)),
        _ => Err(AppError::NotFound),
    }
}

fn this_year(village: &Village) -> i64 {
    let tz = Timezone::parse(&village.timezone).unwrap_or_default().tz();
    i64::from(chrono::Utc::now().with_timezone(&tz).year())
}

fn money(amount: &i64) -> String {
    crate::domain::money::rupiah_text(*amount)
}

fn plan_url(village: &Village, year: i64) -> String {
    format!("/desa/{}/rkp/{year}", village.slug)
}

// ---------- the list of plans ----------

#[derive(Template, WebTemplate)]
#[template(path = "plans/list.html")]
struct ListPage {
    ctx: Ctx,
    village: Village,
    plans: Vec<PlanSummary>,
    may_plan: bool,
    year: String,
    errors: FieldErrors,
}

impl ListPage {
    fn suggested(&self) -> Vec<i64> {
        let now = this_year(&self.village);
        [now, now + 1]
            .into_iter()
            .filter(|y| !self.plans.iter().any(|p| p.year == *y))
            .collect()
    }
}

async fn list(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<ListPage> {
    let village = store.village_by_slug(&slug).await?;
    let plans = store.list_plans(village.id).await?;
    let may_plan = ctx.may(Action::AdoptPlan, Some(village.id));
    let year = (this_year(&village) + 1).to_string();
    Ok(ListPage {
        ctx,
        village,
        plans,
        may_plan,
        year,
        errors: FieldErrors::new(),
    })
}

#[derive(serde::Deserialize)]
struct OpenForm {
    #[serde(default)]
    year: String,
}

async fn open(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<OpenForm>,
) -> AppResult<Response> {
    let village = store.village_by_slug(&slug).await?;
    let actor = ctx.authorize(Action::AdoptPlan, Some(village.id))?.id;
    let year = match form.year.trim().parse::<i64>() {
        Ok(y) if apbdes::valid_year(y) => y,
        _ => {
            let mut errors = FieldErrors::new();
            errors.add("year", "plan.error.year");
            let plans = store.list_plans(village.id).await?;
            let page = ListPage {
                ctx,
                village,
                plans,
                may_plan: true,
                year: form.year,
                errors,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    store.open_plan(village.id, year, actor).await?;
    Ok(Redirect::to(&plan_url(&village, year)).into_response())
}

// ---------- the plan ----------

#[derive(Template, WebTemplate)]
#[template(path = "plans/show.html")]
struct PlanPage {
    ctx: Ctx,
    village: Village,
    year: i64,
    stored: Option<StoredPlan>,
    meetings: Vec<AdoptingMeeting>,
    may_plan: bool,
    may_score: bool,
    meeting: String,
    errors: FieldErrors,
    seal_problems: Vec<&'static str>,
    seal_key: Option<String>,
    perdes: PerdesForm,
    /// The Musrenbangdes the draft is before or was agreed in: title, date, its page.
    agreeing: Option<(String, String, String)>,
    /// The RPJM Desa's activities for this year.
    rpjm_items: Vec<crate::store::rpjm::Item>,
    /// The year's Dana Desa rules, each as the plan meets it (empty: none recorded).
    dana_desa: Vec<crate::domain::dana_desa::Finding>,
    tim: Option<crate::store::tim::StoredTim>,
    /// Every revision of the year's plan (the plan as first set, its amendments).
    revisions: Vec<Revision>,
    /// The amendment form as typed.
    amend: AmendForm,
    /// An earlier revision is shown: read only.
    earlier: bool,
}

/// Helpers the plan's templates share.
pub trait PlanText {
    fn lang(&self) -> Lang;
    fn money(&self, amount: impl std::borrow::Borrow<i64>) -> String {
        money(amount.borrow())
    }
    fn chosen(&self, value: &str, code: &str) -> bool {
        value == code
    }
    fn cost(&self, cost: &Option<i64>) -> String {
        cost.as_ref().map(money).unwrap_or_else(|| "—".into())
    }
    fn score(&self, hundredths: &i64) -> String {
        super::stats::decimal(self.lang(), *hundredths, 100)
    }
    fn months(&self, months: &Option<(u32, u32)>) -> String {
        plan_files::months_text(self.lang(), *months)
    }
    fn beneficiaries(&self, i: &Item) -> String {
        plan_files::beneficiaries_text(self.lang(), i)
    }
    fn implementer(&self, i: &Item) -> String {
        plan_files::implementer_text(self.lang(), i)
    }
    fn pelaksana_list(&self) -> &'static [&'static str] {
        &apbdes::PELAKSANA
    }
    fn rab_list(&self) -> &'static [&'static str] {
        &apbdes::RAB
    }
    /// The kegiatan of Permendagri 20/2018, by sub-bidang, for a select.
    fn kegiatan_choices(&self) -> Vec<(&'static str, Vec<(String, String)>)> {
        crate::domain::kegiatan::choices()
    }
    fn sub_bidang_name(&self, code: &str) -> &'static str {
        crate::domain::proposal::sub_bidang_name(code).unwrap_or_default()
    }
    fn sources(&self) -> &'static [&'static str] {
        &apbdes::SOURCES
    }
    fn patterns(&self) -> &'static [&'static str] {
        &apbdes::PATTERNS
    }
    fn authorities(&self) -> &'static [&'static str] {
        &apbdes::AUTHORITIES
    }
    /// One list's rows grouped by bidang, each group with its total: in the RKP Desa,
    /// bidang 01 opens with the year's standing items.
    fn bidang_items<'a>(
        &self,
        plan: &'a plan::Plan,
        want: &plan::Placement,
    ) -> Vec<BidangGroup<'a>> {
        let want = *want;
        ["01", "02", "03", "04", "05"]
            .iter()
            .filter_map(|b| {
                let fixed: Vec<&Standing> = plan
                    .standing
                    .iter()
                    .filter(|s| want == plan::Placement::Rkp && s.bidang() == *b)
                    .collect();
                let of: Vec<&Item> = plan
                    .items
                    .iter()
                    .filter(|i| i.placement == want && i.bidang == *b)
                    .collect();
                let total = of.iter().filter_map(|i| i.cost).sum::<i64>()
                    + fixed.iter().map(|s| s.cost).sum::<i64>();
                (!of.is_empty() || !fixed.is_empty()).then(|| (b.to_string(), fixed, of, total))
            })
            .collect()
    }
    fn foci(&self) -> &'static [&'static str] {
        &crate::domain::dana_desa::FOCI
    }
    fn tim_has_women(&self, t: &crate::store::tim::StoredTim) -> bool {
        crate::domain::tim::Tim::has_women(&t.members)
    }
    fn sk_day(&self, d: &chrono::NaiveDate) -> String {
        let month = self.lang().t(&format!("month.{}", d.month()));
        format!("{} {month} {}", d.day(), d.year())
    }
    /// Hundredths of a percent as `20,50%`.
    fn percent(&self, hundredths: &i64) -> String {
        format!("{}%", super::stats::decimal(self.lang(), *hundredths, 100))
    }
}

impl PlanText for PlanPage {
    fn lang(&self) -> Lang {
        self.ctx.lang
    }
}

/// One bidang's rows of a list, with their total cost.
type BidangGroup<'a> = (String, Vec<&'a Standing>, Vec<&'a Item>, i64);

impl PlanPage {
    /// The plan's lists in the RKP Desa column layout, with each list's total.
    fn lists(&self) -> [(plan::Placement, &'static str, i64); 3] {
        let p = self.stored.as_ref().map(|s| &s.plan);
        let total = |f: fn(&plan::Plan) -> i64| p.map_or(0, f);
        [
            (plan::Placement::Rkp, "placement.rkp", total(|p| p.funded)),
            (plan::Placement::Rpjm, "placement.rpjm", total(|p| p.rpjm)),
            (
                plan::Placement::DuRkp,
                "placement.du_rkp",
                total(|p| p.du_rkp),
            ),
        ]
    }
    fn adopted_on(&self) -> String {
        self.stored
            .as_ref()
            .and_then(|s| s.adoption.as_ref())
            .map(|a| {
                super::filters::long_date(self.ctx.lang, &a.meeting_at, &self.village.timezone)
            })
            .unwrap_or_default()
    }
    fn meeting_date(&self, m: &AdoptingMeeting) -> String {
        super::filters::long_date(self.ctx.lang, &m.scheduled_at, &self.village.timezone)
    }
    fn display_code(&self, code: &str) -> String {
        crate::domain::meeting::display_code(code)
    }
    fn editable(&self) -> bool {
        self.stored
            .as_ref()
            .is_some_and(|s| !s.is_adopted() && !s.is_tabled())
    }
    /// Before its Musrenbangdes, not agreed yet.
    fn tabled(&self) -> bool {
        self.stored
            .as_ref()
            .is_some_and(|s| s.is_tabled() && s.agreed_at.is_none() && !s.is_adopted())
    }
    /// Agreed in its Musrenbangdes, waiting for the Perdes.
    fn agreed(&self) -> bool {
        self.stored
            .as_ref()
            .is_some_and(|s| s.agreed_at.is_some() && !s.is_adopted())
    }
    /// `?revisi=N` (or `&revisi=N` after `sep`) for links from an earlier revision or an
    /// amendment, so they stay on the revision shown.
    fn rev(&self, sep: &str) -> String {
        match &self.stored {
            Some(s) if s.revision > 0 || self.earlier => format!("{sep}revisi={}", s.revision),
            _ => String::new(),
        }
    }
    /// The sources whose pagu the standing items alone exceed: source, need, pagu.
    fn standing_over(&self) -> Vec<(String, i64, i64)> {
        match &self.stored {
            Some(s) if !s.is_adopted() => {
                crate::domain::standing::over_pagu(&s.plan.standing, &s.ceilings)
            }
            _ => Vec::new(),
        }
    }
    /// The village's own items in the RKP Desa whose RAB the tim verifikasi has not found
    /// sound yet.
    fn rab_open(&self) -> Vec<&Item> {
        self.stored.as_ref().map_or_else(Vec::new, |s| {
            s.plan
                .in_rkp()
                .filter(|i| i.rab.as_deref() != Some("verified"))
                .collect()
        })
    }
    /// The village's own items in the RKP Desa with no kegiatan code of Permendagri 20/2018
    /// chosen yet.
    fn code_open(&self) -> Vec<&Item> {
        self.stored.as_ref().map_or_else(Vec::new, |s| {
            s.plan.in_rkp().filter(|i| i.kegiatan.is_none()).collect()
        })
    }
    /// Whether a Dana Desa rule's item is a standing item (named by its activity), not a
    /// proposal (named by its number).
    fn is_standing(&self, n: &str) -> bool {
        self.stored
            .as_ref()
            .is_some_and(|s| s.plan.standing.iter().any(|x| x.kegiatan == n))
    }
    fn standing_total(&self) -> i64 {
        self.stored
            .as_ref()
            .map_or(0, |s| s.plan.standing.iter().map(|x| x.cost).sum())
    }
    fn grounds(&self) -> Vec<&'static str> {
        plan::AmendGround::ALL.iter().map(|g| g.code()).collect()
    }
    fn perdes_text(&self) -> String {
        self.stored
            .as_ref()
            .and_then(|s| s.perdes.as_ref())
            .map(|p| {
                let lang = self.ctx.lang;
                let month = lang.t(&format!("month.{}", p.date.month()));
                format!("{} · {} {month} {}", p.number, p.date.day(), p.date.year())
            })
            .unwrap_or_default()
    }
}

async fn plan_page(
    store: &Store,
    ctx: Ctx,
    village: Village,
    (year, revision): (i64, Option<i64>),
    typed: Typed,
    errors: FieldErrors,
) -> AppResult<PlanPage> {
    let revisions = store.plan_revisions(village.id, year).await?;
    let stored = match store.plan_revision(village.id, year, revision).await {
        Ok(p) => Some(p),
        Err(StoreError::NotFound) if revision.is_none() => None,
        Err(e) => return Err(e.into()),
    };
    let earlier = stored
        .as_ref()
        .is_some_and(|s| revisions.last().is_some_and(|r| r.revision > s.revision));
    let may_plan = !earlier && ctx.may(Action::AdoptPlan, Some(village.id));
    let may_score = !earlier && ctx.may(Action::RecordMeetings, Some(village.id));
    let meetings = if may_plan && stored.as_ref().is_some_and(|s| !s.is_tabled()) {
        store.musrenbangdes_meetings(village.id).await?
    } else {
        Vec::new()
    };
    let agreeing = match stored.as_ref().and_then(|s| s.agreed_in) {
        Some(id) => {
            let m = store.meeting(village.id, id).await?;
            Some((
                m.title.clone(),
                super::filters::long_date(ctx.lang, &m.scheduled_at, &village.timezone),
                format!("/desa/{}/musyawarah/{}", village.slug, m.id),
            ))
        }
        None => None,
    };
    let (seal_problems, seal_key) = match stored.as_ref().filter(|s| s.is_adopted()) {
        Some(s) => {
            let check = store.plan_seal(s.id).await?;
            let key = check.entry.as_ref().map(|e| e.key_id.as_str());
            super::meetings::seal_summary(&check.problems, key)
        }
        None => (Vec::new(), None),
    };
    let mut rpjm_items = Vec::new();
    if let Some(r) = store
        .rpjms(village.id)
        .await?
        .into_iter()
        .find(|r| r.covers(year))
    {
        rpjm_items = store.rpjm_items(r.id).await?;
        rpjm_items.retain(|i| i.year == year);
    }
    let rules = store.dana_desa_rules(year).await?;
    let tim = match &stored {
        Some(s) => store.tim(s.original).await?,
        None => None,
    };
    let dana_desa = match &stored {
        Some(s) => {
            let (basis, spending) = s.plan.dana_desa();
            crate::domain::dana_desa::check(&rules, basis, &spending)
        }
        None => Vec::new(),
    };
    Ok(PlanPage {
        ctx,
        village,
        year,
        stored,
        meetings,
        may_plan,
        may_score,
        meeting: typed.meeting,
        errors,
        seal_problems,
        seal_key,
        perdes: typed.perdes,
        agreeing,
        rpjm_items,
        dana_desa,
        tim,
        revisions,
        amend: typed.amend,
        earlier,
    })
}

/// What the plan page's forms held when a step was refused.
#[derive(Default)]
struct Typed {
    meeting: String,
    perdes: PerdesForm,
    amend: AmendForm,
}

impl Typed {
    fn meeting(meeting: String) -> Self {
        Typed {
            meeting,
            ..Typed::default()
        }
    }
    fn perdes(perdes: PerdesForm) -> Self {
        Typed {
            perdes,
            ..Typed::default()
        }
    }
}

/// `?pemisah=titikkoma`: the CSV separated by semicolons (see [`plan_files::Separator`]);
/// `?revisi=N`: revision N of the year's plan (0: as first set) instead of the latest.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct FileQuery {
    pemisah: String,
    revisi: String,
}

impl FileQuery {
    fn revision(&self) -> AppResult<Option<i64>> {
        revision_of(&self.revisi)
    }
}

/// The plan revision `?revisi=` asks for (none: the latest); a value that is not one is a
/// page that does not exist.
pub(super) fn revision_of(raw: &str) -> AppResult<Option<i64>> {
    match raw.trim() {
        "" => Ok(None),
        n => match n.parse::<i64>() {
            Ok(r) if (0..1000).contains(&r) => Ok(Some(r)),
            _ => Err(AppError::NotFound),
        },
    }
}

async fn show(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
    Query(q): Query<FileQuery>,
) -> AppResult<Response> {
    let (year, format) = year_of(&year)?;
    let revision = q.revision()?;
    let village = store.village_by_slug(&slug).await?;
    if format == Format::Html {
        let page = plan_page(
            &store,
            ctx,
            village,
            (year, revision),
            Typed::default(),
            FieldErrors::new(),
        )
        .await?;
        return Ok(page.into_response());
    }
    let stored = store.plan_revision(village.id, year, revision).await?;
    let (separator, suffix) = match q.pemisah.as_str() {
        "titikkoma" => (plan_files::Separator::Semicolon, "-titikkoma"),
        _ => (plan_files::Separator::Comma, ""),
    };
    let name = match stored.revision {
        0 => format!("rkp-desa-{}-{year}{suffix}", village.slug),
        n => format!("rkp-desa-{}-{year}-perubahan-{n}{suffix}", village.slug),
    };
    let (body, kind, ext) = match format {
        Format::Csv => (
            plan_files::csv(&stored, separator).map_err(|e| AppError::Internal(e.into()))?,
            "text/csv; charset=utf-8",
            "csv",
        ),
        _ => (
            plan_files::xlsx(&stored, &village).map_err(|e| AppError::Internal(e.into()))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.{ext}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// The village, the year and its plan, for the forms that change a draft.
pub(super) async fn draft(
    store: &Store,
    ctx: &Ctx,
    slug: &str,
    year: &str,
    action: Action,
) -> AppResult<(Village, StoredPlan, Uuid)> {
    let (year, format) = year_of(year)?;
    if format != Format::Html {
        return Err(AppError::NotFound);
    }
    let village = store.village_by_slug(slug).await?;
    let actor = ctx.authorize(action, Some(village.id))?.id;
    let stored = store.plan(village.id, year).await?;
    if stored.is_adopted() {
        return Err(AppError::Conflict);
    }
    Ok((village, stored, actor))
}

pub(super) fn pairs(body: &Bytes) -> impl Iterator<Item = (String, String)> + '_ {
    form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned()))
}

pub(super) fn version_of(raw: &str) -> AppResult<i64> {
    raw.trim().parse::<i64>().map_err(|_| AppError::BadRequest)
}

// ---------- criteria ----------

#[derive(Template, WebTemplate)]
#[template(path = "plans/criteria.html")]
struct CriteriaPage {
    ctx: Ctx,
    village: Village,
    year: i64,
    form: CriteriaForm,
    errors: FieldErrors,
}

impl CriteriaPage {
    fn field(&self, prefix: &str, i: &usize) -> String {
        format!("{prefix}_{i}")
    }
    fn error(&self, prefix: &str, i: &usize) -> Option<&'static str> {
        self.errors.get(&format!("{prefix}_{i}"))
    }
    fn is_name(&self, prefix: &str) -> bool {
        prefix == "name"
    }
    fn label(&self, prefix: &str) -> &'static str {
        match prefix {
            "name" => "plan.criterion_name",
            "weight" => "plan.weight",
            _ => "plan.max_score",
        }
    }
    fn value<'a>(&self, row: &'a plan::CriterionRow, prefix: &str) -> &'a str {
        match prefix {
            "name" => &row.name,
            "weight" => &row.weight,
            _ => &row.max,
        }
    }
}

async fn criteria_page(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
) -> AppResult<CriteriaPage> {
    let (village, stored, _) = draft(&store, &ctx, &slug, &year, Action::AdoptPlan).await?;
    Ok(CriteriaPage {
        ctx,
        village,
        year: stored.year,
        form: CriteriaForm::of(&stored.plan.criteria, stored.version),
        errors: FieldErrors::new(),
    })
}

async fn save_criteria(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let (village, stored, actor) = draft(&store, &ctx, &slug, &year, Action::AdoptPlan).await?;
    let form = CriteriaForm::from_pairs(pairs(&body));
    let version = version_of(&form.version)?;
    let known: Vec<Uuid> = stored.plan.criteria.iter().map(|c| c.id).collect();
    let year = stored.year;
    let refuse = |ctx, village, form, errors, status: StatusCode| {
        (
            status,
            CriteriaPage {
                ctx,
                village,
                year,
                form,
                errors,
            },
        )
            .into_response()
    };
    let criteria = match form.validate(&known) {
        Ok(c) => c,
        Err(errors) => {
            return Ok(refuse(
                ctx,
                village,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    match store
        .update_criteria(village.id, stored.id, &criteria, version, actor)
        .await
    {
        Ok(()) => {
            ctx.flash("plan.saved").await?;
            Ok(Redirect::to(&format!("{}#kriteria", plan_url(&village, year))).into_response())
        }
        Err(StoreError::Invalid(errors)) => Ok(refuse(
            ctx,
            village,
            form,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(StoreError::Stale) => {
            let fresh = store.plan(village.id, year).await?;
            let mut errors = FieldErrors::new();
            errors.add("name_0", "error.stale");
            let form = CriteriaForm::of(&fresh.plan.criteria, fresh.version);
            Ok(refuse(ctx, village, form, errors, StatusCode::CONFLICT))
        }
        Err(e) => Err(e.into()),
    }
}

// ---------- ceilings ----------

#[derive(Template, WebTemplate)]
#[template(path = "plans/ceilings.html")]
struct CeilingsPage {
    ctx: Ctx,
    village: Village,
    year: i64,
    form: CeilingForm,
    errors: FieldErrors,
}

impl CeilingsPage {
    fn field(&self, source: &str) -> &'static str {
        plan::ceiling_field(source)
    }
    fn sources(&self) -> &'static [&'static str] {
        &apbdes::SOURCES
    }
}

async fn ceilings_page(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
) -> AppResult<CeilingsPage> {
    let (village, stored, _) = draft(&store, &ctx, &slug, &year, Action::AdoptPlan).await?;
    Ok(CeilingsPage {
        ctx,
        village,
        year: stored.year,
        form: CeilingForm::of(&stored.ceilings, stored.version),
        errors: FieldErrors::new(),
    })
}

async fn save_ceilings(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let (village, stored, actor) = draft(&store, &ctx, &slug, &year, Action::AdoptPlan).await?;
    let form = CeilingForm::from_pairs(pairs(&body));
    let version = version_of(&form.version)?;
    let year = stored.year;
    let amounts = match form.validate() {
        Ok(a) => a,
        Err(errors) => {
            let page = CeilingsPage {
                ctx,
                village,
                year,
                form,
                errors,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match store
        .update_ceilings(village.id, stored.id, &amounts, version, actor)
        .await
    {
        Ok(()) => {
            ctx.flash("plan.saved").await?;
            Ok(Redirect::to(&format!("{}#pagu", plan_url(&village, year))).into_response())
        }
        Err(StoreError::Stale) => {
            let fresh = store.plan(village.id, year).await?;
            let mut errors = FieldErrors::new();
            errors.add(plan::ceiling_field("dd"), "error.stale");
            let page = CeilingsPage {
                ctx,
                village,
                year,
                form: CeilingForm::of(&fresh.ceilings, fresh.version),
                errors,
            };
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

// ---------- one proposal in the plan ----------

#[derive(Template, WebTemplate)]
#[template(path = "plans/item.html")]
struct ItemPage {
    ctx: Ctx,
    village: Village,
    year: i64,
    item: Item,
    criteria: Vec<plan::Criterion>,
    form: ItemForm,
    errors: FieldErrors,
}

impl PlanText for ItemPage {
    fn lang(&self) -> Lang {
        self.ctx.lang
    }
}

impl ItemPage {
    fn score_field(&self, i: &usize) -> &'static str {
        plan::SCORE[*i]
    }
    /// The extra shares' fields, numbered from 1.
    fn share_fields(&self) -> Vec<(usize, (&'static str, &'static str))> {
        plan::SHARE_FIELDS
            .iter()
            .enumerate()
            .map(|(i, f)| (i + 1, *f))
            .collect()
    }
    fn share_chosen(&self, k: &usize, code: &str) -> bool {
        self.form
            .shares
            .get(k - 1)
            .is_some_and(|(s, _)| s.trim() == code)
    }
    fn share_amount(&self, k: &usize) -> &str {
        self.form.shares.get(k - 1).map_or("", |(_, a)| a.as_str())
    }
    fn month_label(&self, field: &str) -> &'static str {
        if field == "start_month" {
            "plan.start_month"
        } else {
            "plan.end_month"
        }
    }
    fn month_selected(&self, field: &str, month: &u32) -> bool {
        let value = if field == "start_month" {
            &self.form.start_month
        } else {
            &self.form.end_month
        };
        value.trim() == month.to_string()
    }
    fn month_choices(&self) -> Vec<(u32, &'static str)> {
        (1..=12)
            .map(|m| (m, self.ctx.t(&format!("month.{m}"))))
            .collect()
    }
}

fn item_form(stored: &StoredPlan, item: &Item) -> ItemForm {
    let (start, end) = item
        .months
        .map_or((String::new(), String::new()), |(s, e)| {
            (s.to_string(), e.to_string())
        });
    ItemForm {
        criteria: stored
            .plan
            .criteria
            .iter()
            .map(|c| c.id.to_string())
            .collect(),
        scores: item
            .scores
            .iter()
            .map(|s| s.map(|s| s.to_string()).unwrap_or_default())
            .collect(),
        cost: item
            .cost
            .map(crate::domain::money::group_thousands)
            .unwrap_or_default(),
        source: item.source.clone().unwrap_or_default(),
        pattern: item.pattern.clone().unwrap_or_default(),
        authority: item.authority.clone().unwrap_or_else(|| "desa".to_string()),
        focus: item.focus.clone().unwrap_or_default(),
        men: item.men.map(|n| n.to_string()).unwrap_or_default(),
        women: item.women.map(|n| n.to_string()).unwrap_or_default(),
        poor: item.poor.map(|n| n.to_string()).unwrap_or_default(),
        pelaksana: item.pelaksana.clone().unwrap_or_default(),
        tpk: if item.tpk { "1".into() } else { String::new() },
        rab: item.rab.clone().unwrap_or_default(),
        kegiatan: item.kegiatan.clone().unwrap_or_default(),
        shares: {
            let mut typed: [(String, String); 2] = Default::default();
            for (slot, (src, amount)) in typed.iter_mut().zip(&item.shares) {
                *slot = (src.clone(), crate::domain::money::group_thousands(*amount));
            }
            typed
        },
        volume: item.volume.clone(),
        beneficiaries: item.beneficiaries.clone(),
        start_month: start,
        end_month: end,
        version: stored.item_version(item.proposal_id).to_string(),
    }
}

fn find_item(stored: &StoredPlan, number: &str) -> AppResult<Item> {
    stored
        .plan
        .items
        .iter()
        .find(|i| i.number == number)
        .cloned()
        .ok_or(AppError::NotFound)
}

async fn item_page(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year, number)): Path<(String, String, String)>,
) -> AppResult<ItemPage> {
    let (village, stored, _) = draft(&store, &ctx, &slug, &year, Action::RecordMeetings).await?;
    let item = find_item(&stored, &number)?;
    Ok(ItemPage {
        form: item_form(&stored, &item),
        ctx,
        village,
        year: stored.year,
        criteria: stored.plan.criteria.clone(),
        item,
        errors: FieldErrors::new(),
    })
}

async fn save_item(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year, number)): Path<(String, String, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let (village, stored, actor) =
        draft(&store, &ctx, &slug, &year, Action::RecordMeetings).await?;
    let item = find_item(&stored, &number)?;
    let form = ItemForm::from_pairs(pairs(&body));
    let version = version_of(&form.version)?;
    let year = stored.year;
    let criteria = stored.plan.criteria.clone();
    let outcome = match form.validate(&criteria, item.cost) {
        Ok(input) => {
            store
                .save_item(
                    village.id,
                    stored.id,
                    item.proposal_id,
                    &input,
                    version,
                    actor,
                )
                .await
        }
        Err(Some(errors)) => Err(StoreError::Invalid(errors)),
        Err(None) => Err(StoreError::Stale),
    };
    match outcome {
        Ok(()) => {
            ctx.flash("plan.saved").await?;
            Ok(Redirect::to(&format!("{}#prioritas", plan_url(&village, year))).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let page = ItemPage {
                ctx,
                village,
                year,
                item,
                criteria,
                form,
                errors,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(StoreError::Stale) => {
            // Someone changed this entry or the criteria first: show what is stored now.
            let fresh = store.plan(village.id, year).await?;
            let item = find_item(&fresh, &number)?;
            let mut errors = FieldErrors::new();
            errors.add("cost", "error.stale");
            let page = ItemPage {
                form: item_form(&fresh, &item),
                ctx,
                village,
                year,
                criteria: fresh.plan.criteria.clone(),
                item,
                errors,
            };
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

// ---------- agreement and setting ----------

#[derive(serde::Deserialize)]
struct TableForm {
    #[serde(default)]
    meeting: String,
}

/// The official and the village and year's plan, for the steps of its agreement.
async fn planning_step(
    store: &Store,
    ctx: &Ctx,
    slug: &str,
    year: &str,
) -> AppResult<(Village, StoredPlan, Uuid, String)> {
    let (year, format) = year_of(year)?;
    if format != Format::Html {
        return Err(AppError::NotFound);
    }
    let village = store.village_by_slug(slug).await?;
    let viewer = ctx.authorize(Action::AdoptPlan, Some(village.id))?.clone();
    let stored = store.plan(village.id, year).await?;
    if stored.is_adopted() {
        return Err(AppError::Conflict);
    }
    Ok((village, stored, viewer.id, viewer.name))
}

/// The page again with the step's mistakes: 422, or 409 for a step out of turn.
async fn refused(
    store: &Store,
    ctx: Ctx,
    village: Village,
    year: i64,
    status: StatusCode,
    errors: FieldErrors,
    typed: Typed,
) -> AppResult<Response> {
    let page = plan_page(store, ctx, village, (year, None), typed, errors).await?;
    Ok((status, page).into_response())
}

/// A step out of turn: 409 with the reason beside `field`.
async fn step_refused(
    store: &Store,
    ctx: Ctx,
    (village, year): (Village, i64),
    field: &'static str,
    reason: &'static str,
    typed: Typed,
) -> AppResult<Response> {
    let mut errors = FieldErrors::new();
    errors.add(field, reason);
    refused(
        store,
        ctx,
        village,
        year,
        StatusCode::CONFLICT,
        errors,
        typed,
    )
    .await
}

/// The complete draft is put before a Musrenbangdes not yet finalized.
async fn table(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
    Form(form): Form<TableForm>,
) -> AppResult<Response> {
    let (village, stored, actor, _) = planning_step(&store, &ctx, &slug, &year).await?;
    let meeting = form.meeting.trim().parse::<Uuid>().ok();
    match store
        .table_plan(village.id, stored.id, meeting, actor)
        .await
    {
        Ok(()) => {
            ctx.flash("plan.tabled").await?;
            Ok(
                Redirect::to(&format!("{}#tetapkan", plan_url(&village, stored.year)))
                    .into_response(),
            )
        }
        Err(StoreError::Invalid(errors)) => {
            let typed = Typed::meeting(form.meeting);
            refused(
                &store,
                ctx,
                village,
                stored.year,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                typed,
            )
            .await
        }
        Err(StoreError::OutOfTurn(reason)) => {
            let typed = Typed::meeting(form.meeting);
            step_refused(
                &store,
                ctx,
                (village, stored.year),
                "meeting",
                reason,
                typed,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The draft is taken back from a Musrenbangdes that has not agreed it, to be changed.
async fn untable(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
) -> AppResult<Response> {
    let (village, stored, actor, _) = planning_step(&store, &ctx, &slug, &year).await?;
    match store.untable_plan(village.id, stored.id, actor).await {
        Ok(()) => {
            ctx.flash("plan.untabled").await?;
            Ok(
                Redirect::to(&format!("{}#tetapkan", plan_url(&village, stored.year)))
                    .into_response(),
            )
        }
        Err(StoreError::OutOfTurn(reason)) => {
            let typed = Typed::default();
            step_refused(
                &store,
                ctx,
                (village, stored.year),
                "meeting",
                reason,
                typed,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The Peraturan Desa that sets the plan its Musrenbangdes agreed.
async fn perdes(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
    Form(form): Form<PerdesForm>,
) -> AppResult<Response> {
    let (village, stored, actor, name) = planning_step(&store, &ctx, &slug, &year).await?;
    let tz = Timezone::parse(&village.timezone).unwrap_or_default().tz();
    let agreed_on = match (stored.agreed_at, stored.agreed_in) {
        (Some(_), Some(m)) => store.meeting(village.id, m).await?.scheduled_at,
        _ => {
            let typed = Typed::perdes(form);
            return step_refused(
                &store,
                ctx,
                (village, stored.year),
                "date",
                "plan.error.not_agreed",
                typed,
            )
            .await;
        }
    };
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    let checked = form.validate(agreed_on.with_timezone(&tz).date_naive(), today);
    let perdes = match checked {
        Ok(p) => p,
        Err(errors) => {
            let typed = Typed::perdes(form);
            return refused(
                &store,
                ctx,
                village,
                stored.year,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                typed,
            )
            .await;
        }
    };
    match store
        .set_plan(village.id, &village.name, stored.id, &perdes, actor, &name)
        .await
    {
        Ok(()) => {
            set_in_plan(&store, &village, stored.year).await?;
            ctx.flash("plan.adopted").await?;
            Ok(Redirect::to(&plan_url(&village, stored.year)).into_response())
        }
        Err(StoreError::OutOfTurn(reason)) => {
            let typed = Typed::perdes(form);
            step_refused(&store, ctx, (village, stored.year), "date", reason, typed).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Opens the amendment (perubahan) of the plan in force: a new draft of the year that goes
/// through the same steps, the set plan staying beside it.
async fn amend(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
    Form(form): Form<AmendForm>,
) -> AppResult<Response> {
    let (year, format) = year_of(&year)?;
    if format != Format::Html {
        return Err(AppError::NotFound);
    }
    let village = store.village_by_slug(&slug).await?;
    let actor = ctx.authorize(Action::AdoptPlan, Some(village.id))?.id;
    let (ground, reason) = match form.validate() {
        Ok(v) => v,
        Err(errors) => {
            let typed = Typed {
                amend: form,
                ..Typed::default()
            };
            return refused(
                &store,
                ctx,
                village,
                year,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                typed,
            )
            .await;
        }
    };
    match store
        .amend_plan(village.id, year, (ground, &reason), actor)
        .await
    {
        Ok(_) => {
            ctx.flash("plan.amendment_opened").await?;
            Ok(Redirect::to(&plan_url(&village, year)).into_response())
        }
        Err(StoreError::OutOfTurn(why)) => {
            let typed = Typed {
                amend: form,
                ..Typed::default()
            };
            step_refused(&store, ctx, (village, year), "ground", why, typed).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Under the village's automatic setting, each proposal the set plan funds climbs to
/// `empower` where all its evidence holds.
async fn set_in_plan(store: &Store, village: &Village, year: i64) -> AppResult<()> {
    if !village.auto_empower {
        return Ok(());
    }
    let set = store.plan(village.id, year).await?;
    for item in set
        .plan
        .items
        .iter()
        .filter(|i| i.placement == plan::Placement::Rkp)
    {
        let p = store.proposal_by_number(village.id, &item.number).await?;
        store.auto_climb(village, &p).await?;
    }
    Ok(())
}

// ---------- the planning calendar ----------

#[derive(Template, WebTemplate)]
#[template(path = "plans/calendar.html")]
struct CalendarPage {
    ctx: Ctx,
    village: Village,
    year: i64,
    stages: Vec<crate::domain::calendar::Stage>,
    /// The page of what completed each stage (the meeting, the decree, the Perdes).
    links: [Option<String>; crate::domain::calendar::STAGES],
    /// The kabupaten's own dates apply.
    perbup: bool,
}

impl CalendarPage {
    fn day(&self, d: &chrono::NaiveDate) -> String {
        let month = self.ctx.lang.t(&format!("month.{}", d.month()));
        format!("{} {month} {}", d.day(), d.year())
    }
    fn next(&self) -> Option<&crate::domain::calendar::Stage> {
        crate::domain::calendar::next(&self.stages)
    }
    fn stage_key(&self, s: &crate::domain::calendar::Stage) -> String {
        format!("calendar.stage.{}", s.kind.code())
    }
    fn state_key(&self, s: &crate::domain::calendar::Stage) -> String {
        format!("calendar.state.{}", s.state.code())
    }
    fn link(&self, i: &usize) -> Option<&str> {
        self.links.get(*i).and_then(|l| l.as_deref())
    }
    fn done_on(&self, s: &crate::domain::calendar::Stage) -> Option<chrono::NaiveDate> {
        match s.state {
            crate::domain::calendar::State::Done { on, .. } => Some(on),
            _ => None,
        }
    }
}

/// The stages of the year's plan: due dates, done / due / late, in plain words.
async fn calendar(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
) -> AppResult<CalendarPage> {
    let year = match year.parse::<i64>() {
        Ok(y) if apbdes::valid_year(y) && year.len() == 4 => y,
        _ => return Err(AppError::NotFound),
    };
    let village = store.village_by_slug(&slug).await?;
    let (stages, links, perbup) = year_stages(&store, &village, year).await?;
    Ok(CalendarPage {
        ctx,
        village,
        year,
        stages,
        links,
        perbup,
    })
}

/// The stages of `village`'s plan of `year` on its kabupaten's dates (the defaults where it
/// set none), the page of what did each, and whether any of the kabupaten's dates apply.
pub(super) async fn year_stages(
    store: &Store,
    village: &Village,
    year: i64,
) -> AppResult<(
    Vec<crate::domain::calendar::Stage>,
    [Option<String>; crate::domain::calendar::STAGES],
    bool,
)> {
    use crate::domain::calendar::{calendar_with, due_dates};
    let done_by = store.planning_done(village, year).await?;
    let perbup = store
        .planning_dates_of(village.kabupaten.as_deref())
        .await?;
    let links = done_by.clone().map(|d| d.map(|(_, link)| link));
    let done = done_by.map(|d| d.map(|(on, _)| on));
    let tz = Timezone::parse(&village.timezone).unwrap_or_default().tz();
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    let dues = due_dates(i32::try_from(year).unwrap_or(2000), &perbup);
    Ok((calendar_with(dues, done, today), links, !perbup.is_empty()))
}

/// Next year's plan: the one a village works on this year.
pub(super) fn next_plan_year(village: &Village) -> i64 {
    this_year(village) + 1
}

// ---------- the evaluation of a year's plan ----------

/// One activity of the set plan and how it went.
struct Evaluated {
    item: Item,
    outcome: crate::domain::evaluation::Outcome,
    standing: Option<crate::store::implementation::Standing>,
}

#[derive(Template, WebTemplate)]
#[template(path = "plans/evaluation.html")]
struct EvaluationPage {
    ctx: Ctx,
    village: Village,
    year: i64,
    /// `None` while the plan is not set by Perdes.
    rows: Option<Vec<Evaluated>>,
    summary: crate::domain::evaluation::Summary,
    /// The DU-RKP items and the kecamatan's answers.
    du_rkp: Vec<(Item, Option<crate::store::du_rkp::Answer>)>,
}

impl PlanText for EvaluationPage {
    fn lang(&self) -> Lang {
        self.ctx.lang
    }
}

impl EvaluationPage {
    fn rating(&self, s: &crate::store::implementation::Standing) -> String {
        if s.ratings == 0 {
            "—".into()
        } else {
            format!(
                "{} ({})",
                super::stats::decimal(self.ctx.lang, s.rating_sum * 10 / s.ratings, 10),
                s.ratings
            )
        }
    }
    fn reported(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        super::filters::long_date(self.ctx.lang, at, &self.village.timezone)
    }
}

/// What a year's RKP Desa planned and what came of it: each activity's status, latest
/// progress report and residents' rating, and the kecamatan's answers to the DU-RKP.
async fn evaluation(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
) -> AppResult<EvaluationPage> {
    use crate::domain::evaluation::{Outcome, summarize};
    let (year, format) = year_of(&year)?;
    if format != Format::Html {
        return Err(AppError::NotFound);
    }
    let village = store.village_by_slug(&slug).await?;
    let stored = store.plan_in_force(village.id, year).await?;
    let (rows, du_rkp) = if stored.is_adopted() {
        let items: Vec<Item> = stored.plan.in_rkp().cloned().collect();
        let ids: Vec<Uuid> = items.iter().map(|i| i.proposal_id).collect();
        let standings = store.standings(&ids).await?;
        let rows: Vec<Evaluated> = items
            .into_iter()
            .map(|item| {
                let standing = standings
                    .iter()
                    .find(|s| s.proposal_id == item.proposal_id)
                    .cloned();
                let outcome = standing
                    .as_ref()
                    .map_or(Outcome::NotStarted, |s| Outcome::of(&s.status, s.progress));
                Evaluated {
                    item,
                    outcome,
                    standing,
                }
            })
            .collect();
        let answers = store.du_rkp_answers(stored.id).await?;
        let du_rkp = stored
            .plan
            .in_du_rkp()
            .map(|i| {
                let a = answers
                    .iter()
                    .find(|a| a.proposal_id == i.proposal_id)
                    .cloned();
                (i.clone(), a)
            })
            .collect();
        (Some(rows), du_rkp)
    } else {
        (None, Vec::new())
    };
    let summary = summarize(
        &rows
            .iter()
            .flatten()
            .map(|r| (r.outcome, r.item.cost.unwrap_or(0)))
            .collect::<Vec<_>>(),
    );
    Ok(EvaluationPage {
        ctx,
        village,
        year,
        rows,
        summary,
        du_rkp,
    })
}

// ---------- the Rancangan Peraturan Desa ----------

#[derive(Template, WebTemplate)]
#[template(path = "plans/perdes.html")]
struct PerdesDocument {
    ctx: Ctx,
    village: Village,
    year: i64,
    stored: StoredPlan,
    /// The Musrenbangdes that agreed the draft: title, date, verification code.
    agreeing: Option<(String, String, Option<String>)>,
    /// The RPJM Desa the plan carries out, with its Perdes.
    rpjm: Option<crate::store::rpjm::StoredRpjm>,
    kepala_desa: Option<String>,
    /// For an amendment: the Perdes that set the plan it amends.
    amended: Option<plan::Perdes>,
}

impl PerdesDocument {
    /// What the Perdes is about: the plan, or its amendment.
    fn subject(&self) -> &'static str {
        match self.stored.amends {
            Some(_) => "Perubahan Rencana Kerja Pemerintah Desa",
            None => "Rencana Kerja Pemerintah Desa",
        }
    }
}

impl PlanText for PerdesDocument {
    fn lang(&self) -> Lang {
        Lang::Id
    }
}

impl PerdesDocument {
    fn rkp(&self) -> &'static plan::Placement {
        &plan::Placement::Rkp
    }
    fn day(&self, d: &chrono::NaiveDate) -> String {
        let month = Lang::Id.t(&format!("month.{}", d.month()));
        format!("{} {month} {}", d.day(), d.year())
    }
    fn has_du_rkp(&self) -> bool {
        self.stored.plan.in_du_rkp().next().is_some()
    }
}

/// The Rancangan Peraturan Desa that sets the RKP Desa, with the plan's matrix as its
/// lampiran: the draft the kepala desa and the BPD agree on; once recorded, the Perdes with
/// its number and date. Printable on A4 (the lampiran landscape).
async fn perdes_document(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
    Query(q): Query<FileQuery>,
) -> AppResult<PerdesDocument> {
    let (year, format) = year_of(&year)?;
    if format != Format::Html {
        return Err(AppError::NotFound);
    }
    let village = store.village_by_slug(&slug).await?;
    let stored = store.plan_revision(village.id, year, q.revision()?).await?;
    let amended = match stored.amends {
        Some(_) => Some(
            store
                .plan_revision(village.id, year, Some(stored.revision - 1))
                .await?,
        )
        .and_then(|p| p.perdes),
        None => None,
    };
    let agreeing = match stored.agreed_in.filter(|_| stored.agreed_at.is_some()) {
        Some(id) => {
            let m = store.meeting(village.id, id).await?;
            Some((
                m.title.clone(),
                super::filters::long_date(Lang::Id, &m.scheduled_at, &village.timezone),
                m.verification_code.clone(),
            ))
        }
        None => None,
    };
    let rpjm = store
        .rpjms(village.id)
        .await?
        .into_iter()
        .find(|r| r.covers(year));
    let kepala_desa = village.tata_tertib().kepala_desa;
    Ok(PerdesDocument {
        ctx,
        village,
        year,
        stored,
        agreeing,
        rpjm,
        kepala_desa,
        amended,
    })
}

// ---------- open data ----------

async fn api(
    State(store): State<Store>,
    Path((slug, year)): Path<(String, String)>,
    Query(q): Query<FileQuery>,
) -> AppResult<Response> {
    let (year, format) = year_of(&year)?;
    if format != Format::Html {
        return Err(AppError::NotFound);
    }
    let village = store.village_by_slug(&slug).await?;
    let stored = store.plan_revision(village.id, year, q.revision()?).await?;
    let revisions = store.plan_revisions(village.id, year).await?;
    let items: Vec<serde_json::Value> = stored
        .plan
        .items
        .iter()
        .map(|i| {
            serde_json::json!({
                "rank": i.rank, "number": i.number, "title": i.title, "bidang": i.bidang,
                "location": i.location, "volume": i.volume, "beneficiaries": i.beneficiaries,
                "months": i.months.map(|(s, e)| [s, e]), "cost": i.cost, "source": i.source,
                "pattern": i.pattern, "authority": i.authority, "implementer": i.implementer, "supports": i.supports,
                "scores": i.scores, "score": i.score as f64 / 100.0, "list": i.placement.code(),
            })
        })
        .collect();
    let seal = if stored.is_adopted() {
        Some(store.plan_seal(stored.id).await?)
    } else {
        None
    };
    let adoption = stored.adoption.as_ref().map(|a| {
        serde_json::json!({
            "meeting": a.meeting_id, "meeting_title": a.meeting_title, "meeting_at": a.meeting_at,
            "verification_code": a.verification_code, "adopted_at": a.adopted_at,
            "perdes": stored.perdes.as_ref().map(|p| serde_json::json!({ "number": p.number, "date": p.date })),
            "seal": seal.as_ref().map(|s| serde_json::json!({
                "holds": s.holds(),
                "problems": s.problems.iter().map(|p| p.key()).collect::<Vec<_>>(),
                "key_id": s.entry.as_ref().map(|e| &e.key_id),
                "entry_hash": s.entry.as_ref().map(|e| &e.entry_hash),
                "url": format!("/api/v1/desa/{}/rkp/{year}/segel?revisi={}", village.slug, stored.revision),
            })),
        })
    });
    Ok(Json(serde_json::json!({
        "village": village.slug,
        "year": year,
        "status": stored.status,
        "revision": stored.revision,
        "in_force": stored.is_in_force(),
        "amendment": stored.amendment.as_ref().map(|(ground, reason)| serde_json::json!({
            "ground": ground, "reason": reason,
            "amends": format!("/api/v1/desa/{}/rkp/{year}?revisi={}", village.slug, stored.revision - 1),
        })),
        "revisions": revisions.iter().map(|r| serde_json::json!({
            "revision": r.revision, "status": r.status, "in_force": r.status == "adopted" && r.superseded_by.is_none(),
            "perdes": r.perdes_number.as_ref().zip(r.perdes_date).map(|(n, d)| serde_json::json!({ "number": n, "date": d })),
            "url": format!("/api/v1/desa/{}/rkp/{year}?revisi={}", village.slug, r.revision),
        })).collect::<Vec<_>>(),
        "adoption": adoption,
        "criteria": stored.plan.criteria.iter().map(|c| serde_json::json!({
            "name": c.name, "weight": c.weight, "max_score": c.max_score,
        })).collect::<Vec<_>>(),
        "ceilings": stored.plan.sources,
        "by_bidang": stored.plan.bidang,
        "funded": stored.plan.funded,
        "rpjm": stored.plan.rpjm,
        "du_rkp": stored.plan.du_rkp,
        "ceiling": stored.plan.ceiling,
        "items": items,
        "url": plan_url(&village, year),
    }))
    .into_response())
}
