//! One proposal in the plan: its scores, cost, source, timing and kegiatan code.

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::page::{PlanText, draft, pairs, version_of};
use super::plan_url;
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::plan::{self, Item, ItemForm};
use crate::store::plans::StoredPlan;
use crate::store::villages::Village;
use crate::store::{Store, StoreError};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::page::Ctx;

#[derive(Template, WebTemplate)]
#[template(path = "plans/item.html")]
pub(super) struct ItemPage {
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

pub(super) async fn item_page(
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

pub(super) async fn save_item(
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
            ctx.flash("plan.saved");
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
