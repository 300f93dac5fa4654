//! The public face: the list of villages and each village's portal.

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::error::{AppError, AppResult, bad_filter};
use super::page::Ctx;
use super::paging::split_page;
use super::routes::Routes;
use crate::domain::access::Action;
use crate::store::Store;
use crate::store::groups::GroupSummary;
use crate::store::meetings::Meeting;
use crate::store::proposals::{Proposal, ProposalFilter, Sort};
use crate::store::villages::Village;

pub fn routes() -> Routes {
    Routes::new()
        .route(crate::web::paths::HOME, get(home))
        .route(crate::web::paths::API_INDEX, get(api_index))
        .route(crate::web::paths::API_VILLAGES, get(api_villages))
        .route(crate::web::paths::VILLAGE, get(portal))
}

pub const VILLAGES_PER_PAGE: i64 = 50;

#[derive(Template, WebTemplate)]
#[template(path = "village/home.html")]
struct HomePage {
    ctx: Ctx,
    villages: Vec<Village>,
    total: i64,
    page: i64,
    has_next: bool,
    /// What was searched for, as typed.
    q: String,
}

impl HomePage {
    /// Another page of the same search.
    fn page_href(&self, page: i64) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if !self.q.trim().is_empty() {
            s.append_pair("q", self.q.trim());
        }
        s.append_pair("page", &page.to_string());
        format!("?{}", s.finish())
    }
}

/// `?q=` (words each of which a village's name, kecamatan or kabupaten holds) and `?page=`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct VillageQuery {
    q: String,
    page: String,
    per_page: String,
}

impl VillageQuery {
    /// At most five words of at most 50 characters: a search, not a document.
    fn terms(&self) -> Vec<String> {
        self.q
            .split_whitespace()
            .take(5)
            .map(|t| t.chars().take(50).collect())
            .collect()
    }
    fn page(&self) -> i64 {
        self.page
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=100_000).contains(p))
            .unwrap_or(1)
    }
}

async fn home(
    State(store): State<Store>,
    ctx: Ctx,
    Query(q): Query<VillageQuery>,
) -> AppResult<HomePage> {
    let page = q.page();
    let terms = q.terms();
    let rows = store
        .find_villages(
            &terms,
            VILLAGES_PER_PAGE + 1,
            (page - 1) * VILLAGES_PER_PAGE,
        )
        .await?;
    let (villages, has_next) = split_page(rows, VILLAGES_PER_PAGE);
    let total = if terms.is_empty() {
        store.count_villages().await?
    } else {
        store.count_found_villages(&terms).await?
    };
    Ok(HomePage {
        ctx,
        villages,
        total,
        page,
        has_next,
        q: q.q,
    })
}

/// The open data's index: where each list is.
async fn api_index() -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "villages": paths::API_VILLAGES,
        "keys": paths::API_KEYS,
        "village": paths::API_VILLAGE,
        "proposals": paths::API_PROPOSALS,
        "meetings": paths::API_MEETINGS,
        "plan": paths::API_PLAN,
    }))
}

/// The villages (`?q=` to search, `?page=`, `?per_page=` up to 100): each with its
/// address in the open data.
async fn api_villages(State(store): State<Store>, Query(q): Query<VillageQuery>) -> Response {
    let per_page = match q.per_page.trim() {
        "" => VILLAGES_PER_PAGE,
        raw => match raw.parse::<i64>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => return bad_filter("per_page", raw, &["1–100"]),
        },
    };
    let page = q.page();
    let terms = q.terms();
    let found = async {
        let rows = store
            .find_villages(&terms, per_page + 1, (page - 1) * per_page)
            .await?;
        let total = store.count_found_villages(&terms).await?;
        Ok::<_, crate::store::StoreError>((rows, total))
    };
    let (rows, total) = match found.await {
        Ok(r) => r,
        Err(e) => return AppError::from(e).into_response(),
    };
    let (rows, has_next) = split_page(rows, per_page);
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|v| {
            serde_json::json!({
                "slug": v.slug, "name": v.name, "kecamatan": v.kecamatan, "kabupaten": v.kabupaten,
                "provinsi": v.provinsi, "url": paths::api_village(&v.slug),
            })
        })
        .collect();
    Json(serde_json::json!({
        "page": page, "per_page": per_page, "has_next": has_next, "total": total, "items": items,
    }))
    .into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "village/portal.html")]
struct PortalPage {
    ctx: Ctx,
    village: Village,
    groups: Vec<GroupSummary>,
    recent: Vec<Proposal>,
    meetings: Vec<Meeting>,
    /// Published proposals per ladder level, `inform` first.
    levels: [i64; 5],
    roles: Vec<&'static str>,
    may_edit: bool,
    /// An official or facilitator: a link to what waits for them.
    may_act: bool,
    /// The plan being prepared (next year's) and where its year stands: the stage's
    /// catalogue key, its due date in words, and whether it is late; `None` once set.
    plan_year: i64,
    planning: Option<(String, String, bool)>,
    /// Which channels reached whom over the last twelve months, and whom none reached.
    coverage: crate::domain::reach::Coverage,
}

impl PortalPage {
    fn timezone(&self) -> crate::domain::village::Timezone {
        crate::domain::village::Timezone::parse(&self.village.timezone).unwrap_or_default()
    }
}

async fn portal(
    State(store): State<Store>,
    State(planning): State<super::cache::PlanningCache>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<PortalPage> {
    let village = store.village_by_slug(&slug).await?;
    let groups = store.list_groups(village.id).await?;
    let recent = store
        .list_proposals(village.id, &ProposalFilter::default(), Sort::Newest, 5, 0)
        .await?;
    let meetings = store.list_meetings(village.id, 5, 0).await?;
    let levels = store.level_distribution(village.id).await?;
    let roles = ctx
        .viewer
        .as_ref()
        .map(|v| {
            v.roles_in(village.id)
                .into_iter()
                .map(|r| ctx.role_label(r.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let may_edit = ctx.may(Action::EditVillage, Some(village.id));
    let may_act = ctx.may(Action::RecordMeetings, Some(village.id));
    let (plan_year, planning) = planning_now(&store, &planning, &ctx, &village).await?;
    let since = chrono::Utc::now() - chrono::Duration::days(365);
    let facts = store.reach_facts(village.id, since).await?;
    let named: Vec<(uuid::Uuid, String)> = groups.iter().map(|g| (g.id, g.name.clone())).collect();
    let coverage = crate::domain::reach::coverage(&facts, &village.hamlets, &named);
    Ok(PortalPage {
        coverage,
        ctx,
        village,
        groups,
        recent,
        meetings,
        levels,
        roles,
        may_edit,
        may_act,
        plan_year,
        planning,
    })
}

impl PortalPage {
    fn ladder_chart(&self) -> super::stats::Chart {
        super::stats::Chart::ladder(&self.ctx, self.levels)
    }
    fn published(&self) -> i64 {
        self.levels.iter().sum()
    }
    fn may_set_thresholds(&self) -> bool {
        self.ctx.may(Action::EditVillage, Some(self.village.id))
    }
}

/// The plan being prepared (next year's) and where its year stands: the stage's catalogue
/// key, its due date in words, and whether it is late; `None` once every stage is done.
pub async fn planning_now(
    store: &Store,
    kept: &super::cache::PlanningCache,
    ctx: &Ctx,
    village: &Village,
) -> AppResult<(i64, Option<(String, String, bool)>)> {
    let plan_year = super::plans::next_plan_year(village);
    let (stages, _, _) = super::plans::year_stages(store, kept, village, plan_year).await?;
    let planning = crate::domain::calendar::next(&stages).map(|s| {
        let month = ctx
            .lang
            .t(&format!("month.{}", chrono::Datelike::month(&s.due)));
        (
            format!("calendar.stage.{}", s.kind.code()),
            format!(
                "{} {month} {}",
                chrono::Datelike::day(&s.due),
                chrono::Datelike::year(&s.due)
            ),
            s.state == crate::domain::calendar::State::Late,
        )
    });
    Ok((plan_year, planning))
}
