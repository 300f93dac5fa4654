//! The RPJM Desa: its public page with the backlog by year, the officials' forms for the
//! plan and its activities, and placing a proposal in the backlog for a year.

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::domain::access::Action;
use crate::domain::apbdes::SOURCES;
use crate::domain::money::Rupiah;
use crate::domain::proposal::SUB_BIDANG;
use crate::domain::rpjm::{ItemForm, PlaceForm, RpjmForm};
use crate::domain::validation::FieldErrors;
use crate::store::rpjm::{Item, StoredRpjm};
use crate::store::villages::Village;
use crate::store::{Store, StoreError};
use crate::web::error::{AppError, AppResult};
use crate::web::page::Ctx;
use crate::web::routes::Routes;
use crate::web::visit::InVillage;

pub fn routes() -> Routes {
    Routes::new()
        .route(crate::web::paths::RPJM, get(show))
        .route(crate::web::paths::RPJM_NEW, get(new_page).post(create))
        .route(crate::web::paths::RPJM_EDIT, get(edit_page).post(update))
        .route(
            crate::web::paths::RPJM_ACTIVITIES,
            get(item_page).post(add_item),
        )
        .route(crate::web::paths::PROPOSAL_RPJM, post(place))
}

fn money(amount: &Option<i64>) -> String {
    amount
        .and_then(Rupiah::from_i64)
        .map_or_else(|| "—".into(), |r| r.to_string())
}

fn rpjm_url(village: &Village) -> String {
    crate::web::paths::rpjm(&village.slug)
}

// ---------- the public page ----------

/// One year of a backlog: its activities and their total.
type Year<'a> = (i64, Vec<&'a Item>, i64);

#[derive(Template, WebTemplate)]
#[template(path = "rpjm/show.html")]
struct ShowPage {
    ctx: Ctx,
    village: Village,
    periods: Vec<(StoredRpjm, Vec<Item>)>,
    may_edit: bool,
    this_year: i64,
}

impl ShowPage {
    fn years<'a>(&self, items: &'a [Item]) -> Vec<Year<'a>> {
        let mut out: Vec<Year<'a>> = Vec::new();
        for i in items {
            match out.last_mut() {
                Some((y, list, total)) if *y == i.year => {
                    list.push(i);
                    *total += i.cost.unwrap_or(0);
                }
                _ => out.push((i.year, vec![i], i.cost.unwrap_or(0))),
            }
        }
        out
    }
    fn money(&self, amount: &Option<i64>) -> String {
        money(amount)
    }
    fn is_next(&self, year: &i64) -> bool {
        *year == self.this_year + 1
    }
    fn current(&self, r: &StoredRpjm) -> bool {
        r.covers(self.this_year)
    }
    fn total(&self, amount: &i64) -> String {
        money(&Some(*amount))
    }
    fn day(&self, d: &chrono::NaiveDate) -> String {
        crate::web::filters::day(self.ctx.lang, d)
    }
    fn sub_bidang_name(&self, code: &Option<String>) -> &'static str {
        code.as_deref()
            .and_then(crate::domain::proposal::sub_bidang_name)
            .unwrap_or("")
    }
}

async fn show(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<ShowPage> {
    let village = store.village_by_slug(&slug).await?;
    let mut periods = Vec::new();
    for r in store.rpjms(village.id).await? {
        let items = store.rpjm_items(r.id).await?;
        periods.push((r, items));
    }
    let may_edit = ctx.may(Action::AdoptPlan, Some(village.id));
    let this_year = village.this_year();
    Ok(ShowPage {
        ctx,
        village,
        periods,
        may_edit,
        this_year,
    })
}

// ---------- the RPJM Desa's own form ----------

#[derive(Template, WebTemplate)]
#[template(path = "rpjm/form.html")]
struct FormPage {
    ctx: Ctx,
    village: Village,
    /// The period being changed; `None` for a new RPJM Desa.
    start: Option<i64>,
    form: RpjmForm,
    errors: FieldErrors,
}

impl FormPage {
    fn action(&self) -> String {
        match self.start {
            Some(s) => paths::rpjm_edit(&self.village.slug, s),
            None => paths::rpjm_new(&self.village.slug),
        }
    }
}

async fn period(store: &Store, village: &Village, start: &str) -> AppResult<StoredRpjm> {
    let start: i64 = start.parse().map_err(|_| AppError::NotFound)?;
    store
        .rpjms(village.id)
        .await?
        .into_iter()
        .find(|r| r.start_year == start)
        .ok_or(AppError::NotFound)
}

async fn new_page(visit: InVillage) -> AppResult<FormPage> {
    visit.actor(Action::AdoptPlan)?;
    let form = RpjmForm {
        start_year: visit.village.this_year().to_string(),
        ..RpjmForm::default()
    };
    Ok(FormPage {
        ctx: visit.ctx,
        village: visit.village,
        start: None,
        form,
        errors: FieldErrors::new(),
    })
}

async fn edit_page(
    visit: InVillage,
    Path((_, start)): Path<(String, String)>,
) -> AppResult<FormPage> {
    visit.actor(Action::AdoptPlan)?;
    let (store, ctx, village) = visit.into_parts();
    let r = period(&store, &village, &start).await?;
    let form = RpjmForm {
        start_year: r.start_year.to_string(),
        vision: r.vision,
        mission: r.mission,
        perdes_number: r.perdes_number.unwrap_or_default(),
        perdes_date: r.perdes_date.map(|d| d.to_string()).unwrap_or_default(),
        version: r.version.to_string(),
    };
    Ok(FormPage {
        ctx,
        village,
        start: Some(r.start_year),
        form,
        errors: FieldErrors::new(),
    })
}

async fn save(visit: InVillage, existing: Option<&str>, form: RpjmForm) -> AppResult<Response> {
    let actor = visit.actor(Action::AdoptPlan)?;
    let (store, ctx, village) = visit.into_parts();
    let current = match existing {
        Some(start) => Some(period(&store, &village, start).await?),
        None => None,
    };
    let refused = |ctx, village, form, errors, status: StatusCode| {
        let start = current.as_ref().map(|r| r.start_year);
        let page = FormPage {
            ctx,
            village,
            start,
            form,
            errors,
        };
        Ok((status, page).into_response())
    };
    let checked = match form.validate(village.today()) {
        Ok(r) => r,
        Err(errors) => {
            return refused(ctx, village, form, errors, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let version = match &current {
        Some(r) => Some((
            r.id,
            form.version
                .trim()
                .parse::<i64>()
                .map_err(|_| AppError::BadRequest)?,
        )),
        None => None,
    };
    match store
        .save_rpjm(village.id, version, &checked, actor.id)
        .await
    {
        Ok(_) => {
            ctx.flash("rpjm.saved");
            Ok(Redirect::to(&rpjm_url(&village)).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            refused(ctx, village, form, errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(StoreError::Duplicate(_)) => {
            let mut errors = FieldErrors::new();
            errors.add("start_year", "rpjm.error.overlap");
            refused(ctx, village, form, errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(StoreError::Stale) => {
            let mut errors = FieldErrors::new();
            errors.add("vision", "error.stale");
            refused(ctx, village, form, errors, StatusCode::CONFLICT)
        }
        Err(e) => Err(e.into()),
    }
}

async fn create(visit: InVillage, Form(form): Form<RpjmForm>) -> AppResult<Response> {
    save(visit, None, form).await
}

async fn update(
    visit: InVillage,
    Path((_, start)): Path<(String, String)>,
    Form(form): Form<RpjmForm>,
) -> AppResult<Response> {
    save(visit, Some(&start), form).await
}

// ---------- an activity of the backlog ----------

#[derive(Template, WebTemplate)]
#[template(path = "rpjm/item.html")]
struct ItemPage {
    ctx: Ctx,
    village: Village,
    rpjm: StoredRpjm,
    form: ItemForm,
    errors: FieldErrors,
}

impl ItemPage {
    fn years(&self) -> Vec<i64> {
        (self.rpjm.start_year..=self.rpjm.end_year).collect()
    }
    fn sub_bidang(&self) -> &'static [(&'static str, &'static str)] {
        SUB_BIDANG
    }
    fn sources(&self) -> &'static [&'static str] {
        &SOURCES
    }
    fn chosen(&self, typed: &str, code: &str) -> bool {
        typed.trim() == code
    }
}

async fn item_page(
    visit: InVillage,
    Path((_, start)): Path<(String, String)>,
) -> AppResult<ItemPage> {
    visit.actor(Action::AdoptPlan)?;
    let (store, ctx, village) = visit.into_parts();
    let rpjm = period(&store, &village, &start).await?;
    let year = village.this_year() + 1;
    let form = ItemForm {
        year: year.clamp(rpjm.start_year, rpjm.end_year).to_string(),
        ..ItemForm::default()
    };
    Ok(ItemPage {
        ctx,
        village,
        rpjm,
        form,
        errors: FieldErrors::new(),
    })
}

async fn add_item(
    visit: InVillage,
    Path((_, start)): Path<(String, String)>,
    Form(form): Form<ItemForm>,
) -> AppResult<Response> {
    let actor = visit.actor(Action::AdoptPlan)?;
    let (store, ctx, village) = visit.into_parts();
    let rpjm = period(&store, &village, &start).await?;
    let item = match form.validate(rpjm.start_year) {
        Ok(i) => i,
        Err(errors) => {
            let page = ItemPage {
                ctx,
                village,
                rpjm,
                form,
                errors,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    store
        .add_rpjm_item(village.id, rpjm.id, &item, &actor)
        .await?;
    ctx.flash("rpjm.item_added");
    Ok(Redirect::to(&format!("{}#tahun-{}", rpjm_url(&village), item.year)).into_response())
}

// ---------- placing a proposal ----------

async fn place(
    visit: InVillage,
    Path((_, number)): Path<(String, String)>,
    Form(form): Form<PlaceForm>,
) -> AppResult<Response> {
    let actor = visit.actor(Action::AdoptPlan)?;
    let (store, ctx, village) = visit.into_parts();
    let p = store.proposal_by_number(village.id, &number).await?;
    let back = crate::web::paths::proposal(&village.slug, &number);
    let mut errors = FieldErrors::new();
    let year = match form.year.trim().parse::<i64>() {
        Ok(y) if crate::domain::apbdes::valid_year(y) => y,
        _ => {
            errors.add("rpjm_year", "rpjm.error.year");
            return crate::web::proposals::refused_on_page(
                &store,
                ctx,
                &village,
                &p,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match store.place_in_rpjm(village.id, p.id, year, &actor).await {
        Ok(()) => {
            ctx.flash("rpjm.placed");
            Ok(Redirect::to(&format!("{back}#linimasa")).into_response())
        }
        Err(StoreError::Invalid(e)) => {
            for (_, m) in e.iter() {
                errors.add("rpjm_year", m);
            }
            crate::web::proposals::refused_on_page(
                &store,
                ctx,
                &village,
                &p,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(StoreError::OutOfTurn(reason)) => {
            errors.add("rpjm_year", reason);
            crate::web::proposals::refused_on_page(
                &store,
                ctx,
                &village,
                &p,
                errors,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
