//! The evaluation of a year's plan: what was carried out, and what was not.

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use uuid::Uuid;

use super::page::PlanText;
use super::{Format, year_of};
use crate::domain::plan::Item;
use crate::store::Store;
use crate::store::villages::Village;
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::page::Ctx;

/// One activity of the set plan and how it went.
struct Evaluated {
    item: Item,
    outcome: crate::domain::evaluation::Outcome,
    standing: Option<crate::store::implementation::Standing>,
}

#[derive(Template, WebTemplate)]
#[template(path = "plans/evaluation.html")]
pub(super) struct EvaluationPage {
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
                crate::web::stats::decimal(self.ctx.lang, s.rating_sum * 10 / s.ratings, 10),
                s.ratings
            )
        }
    }
    fn reported(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        crate::web::filters::long_date(self.ctx.lang, at, &self.village.timezone)
    }
}

/// What a year's RKP Desa planned and what came of it: each activity's status, latest
/// progress report and residents' rating, and the kecamatan's answers to the DU-RKP.
pub(super) async fn evaluation(
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
