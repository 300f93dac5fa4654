//! Equity over the years (`/desa/{slug}/pemerataan`): per dusun and per vulnerable group,
//! submitted → accepted → funded (rupiah, and per person) → completed, over the last
//! [`YEARS`] years, and the dusun a set plan has left out.

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::routing::get;
use chrono::{Datelike, Utc};

use super::error::AppResult;

use super::page::Ctx;
use super::routes::Routes;
use crate::domain::equity::{self, Line};
use crate::domain::village::Timezone;
use crate::store::Store;
use crate::store::villages::Village;

/// The window, in years up to this one.
pub const YEARS: i64 = 5;

pub fn routes() -> Routes {
    Routes::new().route(crate::web::paths::EQUITY, get(page))
}

#[derive(Template, WebTemplate)]
#[template(path = "stats/equity.html")]
struct EquityPage {
    ctx: Ctx,
    village: Village,
    from: i64,
    to: i64,
    dusun: Vec<Line>,
    groups: Vec<Line>,
    left_out: Vec<String>,
    plans_set: usize,
}

impl EquityPage {
    fn money(&self, amount: &i64) -> String {
        crate::domain::money::rupiah_text(*amount)
    }
    fn populations_missing(&self) -> bool {
        self.dusun
            .iter()
            .any(|l| !l.name.is_empty() && l.population.is_none())
    }
}

async fn page(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<EquityPage> {
    let village = store.village_by_slug(&slug).await?;
    let tz = Timezone::parse(&village.timezone).unwrap_or_default().tz();
    let to = i64::from(Utc::now().with_timezone(&tz).year());
    let from = to - YEARS + 1;
    let (facts, plans_set) = store.equity_facts(village.id, from).await?;
    let hamlets: Vec<(String, Option<i64>)> = village
        .hamlets
        .iter()
        .cloned()
        .zip(village.hamlet_populations.iter().copied())
        .collect();
    let dusun = equity::by_dusun(&hamlets, &facts, from);
    let vulnerable: Vec<(uuid::Uuid, String)> = store
        .list_groups(village.id)
        .await?
        .into_iter()
        .filter(|g| g.vulnerable)
        .map(|g| (g.id, g.name))
        .collect();
    let groups = equity::by_group(&vulnerable, &facts, from);
    let left_out = equity::left_out(&dusun, plans_set)
        .into_iter()
        .map(str::to_string)
        .collect();
    Ok(EquityPage {
        ctx,
        village,
        from,
        to,
        dusun,
        groups,
        left_out,
        plans_set,
    })
}
