//! The planning year (RKP Desa): the routes, and what every planning page shares. The
//! plan's own jobs live in one file each; the pages around it (the RPJM Desa, the Tim
//! Penyusun, the pagu indikatif, standing items, the DU-RKP and the plan's files) sit
//! beside them in this folder.

mod agreement;
mod api;
mod calendar;
mod ceilings;
mod criteria;
mod du_rkp;
mod evaluation;
mod files;
mod item;
mod list;
mod page;
mod pagu;
mod perdes;
mod rpjm;
mod standing;
mod tim;

use axum::routing::{get, post};
pub(crate) use calendar::{next_plan_year, year_stages};
pub(crate) use page::revision_of;

use crate::domain::apbdes;
use crate::store::villages::Village;
use crate::web::error::AppError;
use crate::web::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route(crate::web::paths::PLANS, get(list::list).post(list::open))
        .route(crate::web::paths::PLAN, get(page::show))
        .route(
            crate::web::paths::PLAN_CRITERIA,
            get(criteria::criteria_page).post(criteria::save_criteria),
        )
        .route(
            crate::web::paths::PLAN_CEILINGS,
            get(ceilings::ceilings_page).post(ceilings::save_ceilings),
        )
        .route(
            crate::web::paths::PLAN_PROPOSAL,
            get(item::item_page).post(item::save_item),
        )
        .route(crate::web::paths::PLAN_AMEND, post(agreement::amend))
        .route(crate::web::paths::PLAN_TABLE, post(agreement::table))
        .route(crate::web::paths::PLAN_UNTABLE, post(agreement::untable))
        .route(
            crate::web::paths::PLAN_PERDES,
            get(perdes::perdes_document).post(agreement::perdes),
        )
        .route(
            crate::web::paths::PLAN_EVALUATION,
            get(evaluation::evaluation),
        )
        .route(crate::web::paths::CALENDAR, get(calendar::calendar))
        .route(crate::web::paths::API_PLAN, get(api::api))
        .merge(du_rkp::routes())
        .merge(rpjm::routes())
        .merge(standing::routes())
        .merge(pagu::routes())
        .merge(tim::routes())
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

fn money(amount: &i64) -> String {
    crate::domain::money::rupiah_text(*amount)
}

fn plan_url(village: &Village, year: i64) -> String {
    crate::web::paths::plan(&village.slug, year)
}
