//! The Tim Penyusun RKP Desa: the officials' form, and the draft of the kepala desa's
//! decree (SK) that appoints it, printable on A4.

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use super::page::{draft, pairs, version_of};
use crate::domain::access::Action;
use crate::domain::tim::{self, Member, Tim, TimForm};
use crate::domain::validation::FieldErrors;
use crate::domain::village::Timezone;
use crate::store::tim::StoredTim;
use crate::store::villages::Village;
use crate::store::{Store, StoreError};
use crate::web::error::{AppError, AppResult};
use crate::web::page::Ctx;
use crate::web::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route(crate::web::paths::TIM, get(form_page).post(save))
        .route(crate::web::paths::TIM_DECREE, get(decree))
}

#[derive(Template, WebTemplate)]
#[template(path = "plans/tim.html")]
struct FormPage {
    ctx: Ctx,
    village: Village,
    year: i64,
    form: TimForm,
    errors: FieldErrors,
}

impl FormPage {
    fn rows(&self) -> Vec<(usize, &tim::Row)> {
        self.form.rows.iter().enumerate().collect()
    }
    fn roles(&self) -> &'static [&'static str] {
        &tim::ROLES
    }
    fn field(&self, kind: &str, i: &usize) -> &'static str {
        let list = match kind {
            "name" => &tim::NAME,
            "gender" => &tim::GENDER,
            "role" => &tim::ROLE,
            _ => &tim::FROM,
        };
        list.get(*i).copied().unwrap_or(list[0])
    }
    fn chosen(&self, typed: &str, code: &str) -> bool {
        typed.trim() == code
    }
}

async fn form_page(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
) -> AppResult<FormPage> {
    let (village, stored, _) = draft(&store, &ctx, &slug, &year, Action::AdoptPlan).await?;
    let form = match store.tim(stored.original).await? {
        Some(t) => TimForm::of(
            Some((t.sk_number.as_str(), t.sk_date)),
            &t.members,
            t.version,
        ),
        None => TimForm::of(None, &[], 0),
    };
    Ok(FormPage {
        ctx,
        village,
        year: stored.year,
        form,
        errors: FieldErrors::new(),
    })
}

async fn save(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let (village, stored, actor) = draft(&store, &ctx, &slug, &year, Action::AdoptPlan).await?;
    let form = TimForm::from_pairs(pairs(&body));
    let version = version_of(&form.version)?;
    let tz = Timezone::parse(&village.timezone).unwrap_or_default().tz();
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    let refused = |ctx, village, form, errors, status: StatusCode| {
        let page = FormPage {
            ctx,
            village,
            year: stored.year,
            form,
            errors,
        };
        Ok::<Response, AppError>((status, page).into_response())
    };
    let tim: Tim = match form.validate(today) {
        Ok(t) => t,
        Err(errors) => {
            return refused(ctx, village, form, errors, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    match store
        .save_tim(village.id, stored.original, &tim, version, actor)
        .await
    {
        Ok(()) => {
            ctx.flash("tim.saved");
            Ok(Redirect::to(&format!(
                "{}#tim",
                crate::web::paths::plan(&village.slug, stored.year)
            ))
            .into_response())
        }
        Err(StoreError::Stale) => {
            let mut errors = FieldErrors::new();
            errors.add("members", "error.stale");
            refused(ctx, village, form, errors, StatusCode::CONFLICT)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "plans/sk_tim.html")]
struct DecreePage {
    ctx: Ctx,
    village: Village,
    year: i64,
    tim: StoredTim,
    kepala_desa: Option<String>,
}

impl DecreePage {
    fn day(&self, d: &chrono::NaiveDate) -> String {
        crate::web::filters::day(crate::web::i18n::Lang::ID, d)
    }
    fn members(&self) -> Vec<(usize, &Member)> {
        let order = |m: &Member| tim::ROLES.iter().position(|r| *r == m.role).unwrap_or(9);
        let mut list: Vec<&Member> = self.tim.members.iter().collect();
        list.sort_by_key(|m| order(m));
        list.into_iter()
            .enumerate()
            .map(|(i, m)| (i + 1, m))
            .collect()
    }
    /// The member's place in the team, in Indonesian like the whole decree.
    fn role_id(&self, m: &Member) -> &'static str {
        crate::web::i18n::Lang::ID.t(&format!("tim.role.{}", m.role))
    }
    fn has_women(&self) -> bool {
        Tim::has_women(&self.tim.members)
    }
}

/// The draft of the kepala desa's decree appointing the team, in the form villages use.
async fn decree(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
) -> AppResult<DecreePage> {
    let year: i64 = match year.parse() {
        Ok(y) if crate::domain::apbdes::valid_year(y) => y,
        _ => return Err(AppError::NotFound),
    };
    let village = store.village_by_slug(&slug).await?;
    let stored = store.plan_revision(village.id, year, Some(0)).await?;
    let tim = store
        .tim(stored.original)
        .await?
        .ok_or(AppError::NotFound)?;
    let kepala_desa = village.tata_tertib().kepala_desa;
    Ok(DecreePage {
        ctx,
        village,
        year,
        tim,
        kepala_desa,
    })
}
