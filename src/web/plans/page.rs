//! One year's plan: its page, what its templates share, and the pieces every planning
//! form reads (the draft, versions, revisions).

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use uuid::Uuid;

use super::files;
use super::{Format, money, year_of};
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::apbdes;
use crate::domain::plan::{self, AmendForm, Item, PerdesForm};
use crate::domain::standing::Standing;
use crate::store::plans::{AdoptingMeeting, Revision, StoredPlan};
use crate::store::villages::Village;
use crate::store::{Store, StoreError};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::page::Ctx;

#[derive(Template, WebTemplate)]
#[template(path = "plans/show.html")]
pub(super) struct PlanPage {
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
        crate::web::stats::decimal(self.lang(), *hundredths, 100)
    }
    fn months(&self, months: &Option<(u32, u32)>) -> String {
        files::months_text(self.lang(), *months)
    }
    fn beneficiaries(&self, i: &Item) -> String {
        files::beneficiaries_text(self.lang(), i)
    }
    fn implementer(&self, i: &Item) -> String {
        files::implementer_text(self.lang(), i)
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
        crate::web::filters::day(self.lang(), d)
    }
    /// Hundredths of a percent as `20,50%`.
    fn percent(&self, hundredths: &i64) -> String {
        format!(
            "{}%",
            crate::web::stats::decimal(self.lang(), *hundredths, 100)
        )
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
                crate::web::filters::long_date(self.ctx.lang, &a.meeting_at, &self.village.timezone)
            })
            .unwrap_or_default()
    }
    fn meeting_date(&self, m: &AdoptingMeeting) -> String {
        crate::web::filters::long_date(self.ctx.lang, &m.scheduled_at, &self.village.timezone)
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

pub(super) async fn plan_page(
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
                crate::web::filters::long_date(ctx.lang, &m.scheduled_at, &village.timezone),
                paths::meeting(&village.slug, m.id),
            ))
        }
        None => None,
    };
    let (seal_problems, seal_key) = match stored.as_ref().filter(|s| s.is_adopted()) {
        Some(s) => {
            let check = store.plan_seal(s.id).await?;
            let key = check.entry.as_ref().map(|e| e.key_id.as_str());
            crate::domain::seal::summary(&check.problems, key)
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
pub(super) struct Typed {
    pub(super) meeting: String,
    pub(super) perdes: PerdesForm,
    pub(super) amend: AmendForm,
}

impl Typed {
    pub(super) fn meeting(meeting: String) -> Self {
        Typed {
            meeting,
            ..Typed::default()
        }
    }
    pub(super) fn perdes(perdes: PerdesForm) -> Self {
        Typed {
            perdes,
            ..Typed::default()
        }
    }
}

/// `?pemisah=titikkoma`: the CSV separated by semicolons (see [`files::Separator`]);
/// `?revisi=N`: revision N of the year's plan (0: as first set) instead of the latest.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct FileQuery {
    pemisah: String,
    revisi: String,
}

impl FileQuery {
    pub(super) fn revision(&self) -> AppResult<Option<i64>> {
        revision_of(&self.revisi)
    }
}

/// The plan revision `?revisi=` asks for (none: the latest); a value that is not one is a
/// page that does not exist.
pub(crate) fn revision_of(raw: &str) -> AppResult<Option<i64>> {
    match raw.trim() {
        "" => Ok(None),
        n => match n.parse::<i64>() {
            Ok(r) if (0..1000).contains(&r) => Ok(Some(r)),
            _ => Err(AppError::NotFound),
        },
    }
}

pub(super) async fn show(
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
        "titikkoma" => (files::Separator::Semicolon, "-titikkoma"),
        _ => (files::Separator::Comma, ""),
    };
    let name = match stored.revision {
        0 => format!("rkp-desa-{}-{year}{suffix}", village.slug),
        n => format!("rkp-desa-{}-{year}-perubahan-{n}{suffix}", village.slug),
    };
    let (body, kind, ext) = match format {
        Format::Csv => (
            files::csv(&stored, separator).map_err(|e| AppError::Internal(e.into()))?,
            "text/csv; charset=utf-8",
            "csv",
        ),
        _ => (
            files::xlsx(&stored, &village).map_err(|e| AppError::Internal(e.into()))?,
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
