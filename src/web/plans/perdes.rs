//! The Rancangan Peraturan Desa of a plan, as a printable document.

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};

use super::page::{FileQuery, PlanText};
use super::{Format, year_of};
use crate::domain::plan::{self};
use crate::store::Store;
use crate::store::plans::StoredPlan;
use crate::store::villages::Village;
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::page::Ctx;

#[derive(Template, WebTemplate)]
#[template(path = "plans/perdes.html")]
pub(super) struct PerdesDocument {
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
        Lang::ID
    }
}

impl PerdesDocument {
    fn rkp(&self) -> &'static plan::Placement {
        &plan::Placement::Rkp
    }
    fn day(&self, d: &chrono::NaiveDate) -> String {
        crate::web::filters::day(Lang::ID, d)
    }
    fn has_du_rkp(&self) -> bool {
        self.stored.plan.in_du_rkp().next().is_some()
    }
}

/// The Rancangan Peraturan Desa that sets the RKP Desa, with the plan's matrix as its
/// lampiran: the draft the kepala desa and the BPD agree on; once recorded, the Perdes with
/// its number and date. Printable on A4 (the lampiran landscape).
pub(super) async fn perdes_document(
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
                crate::web::filters::long_date(Lang::ID, &m.scheduled_at, &village.timezone),
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
