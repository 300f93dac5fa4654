//! The planning calendar: where a village's planning year stands, stage by stage.

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};

use crate::domain::apbdes;
use crate::domain::village::Timezone;
use crate::store::Store;
use crate::store::villages::Village;
use crate::web::cache::PlanningCache;
use crate::web::error::{AppError, AppResult};
use crate::web::page::Ctx;

#[derive(Template, WebTemplate)]
#[template(path = "plans/calendar.html")]
pub(super) struct CalendarPage {
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
        crate::web::filters::day(self.ctx.lang, d)
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
pub(super) async fn calendar(
    State(store): State<Store>,
    State(kept): State<PlanningCache>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
) -> AppResult<CalendarPage> {
    let year = match year.parse::<i64>() {
        Ok(y) if apbdes::valid_year(y) && year.len() == 4 => y,
        _ => return Err(AppError::NotFound),
    };
    let village = store.village_by_slug(&slug).await?;
    let (stages, links, perbup) = year_stages(&store, &kept, &village, year).await?;
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
pub(crate) async fn year_stages(
    store: &Store,
    kept: &PlanningCache,
    village: &Village,
    year: i64,
) -> AppResult<(
    Vec<crate::domain::calendar::Stage>,
    [Option<String>; crate::domain::calendar::STAGES],
    bool,
)> {
    use crate::domain::calendar::{calendar_with, due_dates};
    let done_by = kept
        .get(
            (village.id, year),
            village.revision,
            store.planning_done(village, year),
        )
        .await?;
    let done_by = (*done_by).clone();
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
pub(crate) fn next_plan_year(village: &Village) -> i64 {
    village.this_year() + 1
}
