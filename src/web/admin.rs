//! Administration: villages and accounts.

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use uuid::Uuid;

use super::error::{AppError, AppResult};
use super::page::Ctx;
use super::paging::{PageQuery, split_page};
use super::routes::Routes;
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::account::{self, AccountForm, Role};
use crate::domain::calendar::{PerbupForm, StageKind};
use crate::domain::dana_desa::{Bound, Rule, RuleForm};
use crate::domain::village::{Timezone, VillageForm};
use crate::store::accounts::{AccountOutcome, Membership, User};
use crate::store::villages::Village;
use crate::store::{Store, StoreError};

pub fn routes() -> Routes {
    Routes::new()
        .route(
            paths::ADMIN,
            get(|| async { Redirect::to(paths::ADMIN_VILLAGES) }),
        )
        .route(paths::ADMIN_VILLAGES, get(villages).post(create_village))
        .route(paths::ADMIN_VILLAGE_NEW, get(new_village))
        .route(paths::ADMIN_VILLAGE, get(edit_village).post(update_village))
        .route(paths::ADMIN_ACCOUNTS, get(accounts).post(add_account))
        .route(paths::ADMIN_ACCOUNT_REVOKE, post(revoke_role))
        .route(paths::ADMIN_DANA_DESA, get(rules).post(save_rule))
        .route(paths::ADMIN_DANA_DESA_REMOVE, post(delete_rule))
        .route(paths::ADMIN_CALENDAR, get(perbup).post(save_perbup))
        .route(paths::ADMIN_CALENDAR_REMOVE, post(delete_perbup))
}

// ---------- a kabupaten's planning dates (Perbup) ----------

#[derive(Template, WebTemplate)]
#[template(path = "admin/kalender.html")]
struct PerbupPage {
    ctx: Ctx,
    dates: Vec<crate::store::planning_dates::PlanningDate>,
    form: PerbupForm,
    errors: FieldErrors,
}

impl PerbupPage {
    fn stages(&self) -> Vec<&'static str> {
        StageKind::ALL.iter().map(|k| k.code()).collect()
    }
    fn chosen(&self, typed: &str, code: &str) -> bool {
        typed.trim() == code
    }
    fn stage_key(&self, code: &str) -> String {
        format!("calendar.stage.{code}")
    }
    /// `31 Agustus` (of the year before, or of the plan's year for the DU-RKP's answer).
    fn day(&self, d: &crate::store::planning_dates::PlanningDate) -> String {
        format!(
            "{} {}",
            d.day,
            self.ctx.lang.t(&format!("month.{}", d.month))
        )
    }
    fn default_day(&self, code: &str) -> String {
        let (m, d) = StageKind::parse(code).map_or((1, 1), |k| k.default_month_day());
        format!("{d} {}", self.ctx.lang.t(&format!("month.{m}")))
    }
}

async fn perbup_page(
    store: &Store,
    ctx: Ctx,
    form: PerbupForm,
    errors: FieldErrors,
) -> AppResult<PerbupPage> {
    let dates = store.all_planning_dates().await?;
    Ok(PerbupPage {
        ctx,
        dates,
        form,
        errors,
    })
}

async fn perbup(State(store): State<Store>, ctx: Ctx) -> AppResult<PerbupPage> {
    ctx.authorize(Action::ManageInstallation, None)?;
    perbup_page(&store, ctx, PerbupForm::default(), FieldErrors::new()).await
}

async fn save_perbup(
    State(store): State<Store>,
    ctx: Ctx,
    Form(form): Form<PerbupForm>,
) -> AppResult<Response> {
    let actor = ctx.authorize(Action::ManageInstallation, None)?.id;
    let (kabupaten, date, source) = match form.validate() {
        Ok(v) => v,
        Err(errors) => {
            let page = perbup_page(&store, ctx, form, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    store
        .save_planning_date(&kabupaten, &date, &source, actor)
        .await?;
    ctx.flash("calendar.perbup_saved");
    Ok(Redirect::to(paths::ADMIN_CALENDAR).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct DeletePerbup {
    kabupaten: String,
    stage: String,
}

async fn delete_perbup(
    State(store): State<Store>,
    ctx: Ctx,
    Form(form): Form<DeletePerbup>,
) -> AppResult<Response> {
    let actor = ctx.authorize(Action::ManageInstallation, None)?.id;
    let stage = StageKind::parse(form.stage.trim()).ok_or(AppError::BadRequest)?;
    store
        .delete_planning_date(&form.kabupaten, stage, actor)
        .await?;
    ctx.flash("calendar.perbup_deleted");
    Ok(Redirect::to(paths::ADMIN_CALENDAR).into_response())
}

// ---------- the Dana Desa rules ----------

#[derive(Template, WebTemplate)]
#[template(path = "admin/dana_desa.html")]
struct RulesPage {
    ctx: Ctx,
    rules: Vec<(i64, Rule)>,
    form: RuleForm,
    errors: FieldErrors,
}

impl RulesPage {
    fn foci(&self) -> &'static [&'static str] {
        &crate::domain::dana_desa::FOCI
    }
    fn chosen(&self, typed: &str, code: &str) -> bool {
        typed.trim() == code
    }
}

async fn rules_page(
    store: &Store,
    ctx: Ctx,
    form: RuleForm,
    errors: FieldErrors,
) -> AppResult<RulesPage> {
    let rules = store.all_dana_desa_rules().await?;
    Ok(RulesPage {
        ctx,
        rules,
        form,
        errors,
    })
}

async fn rules(State(store): State<Store>, ctx: Ctx) -> AppResult<RulesPage> {
    ctx.authorize(Action::ManageInstallation, None)?;
    let year = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    let form = RuleForm {
        year: year.to_string(),
        ..RuleForm::default()
    };
    rules_page(&store, ctx, form, FieldErrors::new()).await
}

async fn save_rule(
    State(store): State<Store>,
    ctx: Ctx,
    Form(form): Form<RuleForm>,
) -> AppResult<Response> {
    let actor = ctx.authorize(Action::ManageInstallation, None)?.id;
    let (year, rule) = match form.validate() {
        Ok(r) => r,
        Err(errors) => {
            let page = rules_page(&store, ctx, form, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    store.save_dana_desa_rule(year, &rule, actor).await?;
    ctx.flash("dana_desa.saved");
    Ok(Redirect::to(paths::ADMIN_DANA_DESA).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct DeleteRule {
    year: String,
    focus: String,
    bound: String,
}

async fn delete_rule(
    State(store): State<Store>,
    ctx: Ctx,
    Form(form): Form<DeleteRule>,
) -> AppResult<Response> {
    let actor = ctx.authorize(Action::ManageInstallation, None)?.id;
    let year: i64 = form.year.trim().parse().map_err(|_| AppError::BadRequest)?;
    let bound = Bound::parse(&form.bound).ok_or(AppError::BadRequest)?;
    store
        .delete_dana_desa_rule(year, form.focus.trim(), bound, actor)
        .await?;
    ctx.flash("dana_desa.deleted");
    Ok(Redirect::to(paths::ADMIN_DANA_DESA).into_response())
}

const PER_PAGE: i64 = 50;

#[derive(Template, WebTemplate)]
#[template(path = "admin/villages.html")]
struct VillagesPage {
    ctx: Ctx,
    villages: Vec<Village>,
    page: i64,
    has_next: bool,
}

async fn villages(
    State(store): State<Store>,
    ctx: Ctx,
    Query(q): Query<PageQuery>,
) -> AppResult<VillagesPage> {
    ctx.authorize(Action::ManageInstallation, None)?;
    let page = q.number();
    let rows = store
        .list_villages(PER_PAGE + 1, (page - 1) * PER_PAGE)
        .await?;
    let (villages, has_next) = split_page(rows, PER_PAGE);
    Ok(VillagesPage {
        ctx,
        villages,
        page,
        has_next,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/village_form.html")]
struct VillageFormPage {
    ctx: Ctx,
    form: VillageForm,
    errors: FieldErrors,
    /// The slug the village had when the form was opened (edits only).
    editing: Option<String>,
}

impl VillageFormPage {
    fn timezones(&self) -> [Timezone; 3] {
        Timezone::ALL
    }
}

async fn new_village(ctx: Ctx) -> AppResult<VillageFormPage> {
    ctx.authorize(Action::ManageInstallation, None)?;
    Ok(VillageFormPage {
        ctx,
        form: VillageForm::default(),
        errors: FieldErrors::new(),
        editing: None,
    })
}

/// The form again with its messages and every typed value: 422.
fn invalid(ctx: Ctx, form: VillageForm, errors: FieldErrors, editing: Option<String>) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        VillageFormPage {
            ctx,
            form,
            errors,
            editing,
        },
    )
        .into_response()
}

fn duplicate_error(field: &'static str) -> FieldErrors {
    let mut e = FieldErrors::new();
    match field {
        "code" => e.add("code", "error.code_taken"),
        _ => e.add("slug", "error.slug_taken"),
    }
    e
}

async fn create_village(
    State(store): State<Store>,
    ctx: Ctx,
    Form(form): Form<VillageForm>,
) -> AppResult<Response> {
    let actor = ctx.authorize(Action::ManageInstallation, None)?.id;
    let village = match form.validate() {
        Ok(v) => v,
        Err(errors) => return Ok(invalid(ctx, form, errors, None)),
    };
    match store.create_village(&village, Some(actor)).await {
        Ok(v) => {
            ctx.flash("admin.village_created");
            Ok(Redirect::to(&crate::web::paths::village(&v.slug)).into_response())
        }
        Err(StoreError::Duplicate(field)) => Ok(invalid(ctx, form, duplicate_error(field), None)),
        Err(e) => Err(e.into()),
    }
}

fn form_of(v: &Village) -> VillageForm {
    VillageForm {
        name: v.name.clone(),
        slug: v.slug.clone(),
        code: v.code.clone().unwrap_or_default(),
        kecamatan: v.kecamatan.clone().unwrap_or_default(),
        kabupaten: v.kabupaten.clone().unwrap_or_default(),
        provinsi: v.provinsi.clone().unwrap_or_default(),
        population: v.population.map(|n| n.to_string()).unwrap_or_default(),
        households: v.households.map(|n| n.to_string()).unwrap_or_default(),
        hamlets: v
            .hamlets
            .iter()
            .zip(&v.hamlet_populations)
            .map(|(name, people)| match people {
                Some(n) => format!("{name} = {}", crate::domain::money::group_thousands(*n)),
                None => name.clone(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        timezone: v.timezone.clone(),
        version: v.version.to_string(),
    }
}

async fn edit_village(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<VillageFormPage> {
    let village = store.village_by_slug(&slug).await?;
    ctx.authorize(Action::EditVillage, Some(village.id))?;
    Ok(VillageFormPage {
        form: form_of(&village),
        ctx,
        errors: FieldErrors::new(),
        editing: Some(slug),
    })
}

async fn update_village(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<VillageForm>,
) -> AppResult<Response> {
    let current = store.village_by_slug(&slug).await?;
    let actor = ctx.authorize(Action::EditVillage, Some(current.id))?.id;
    let village = match form.validate() {
        Ok(v) => v,
        Err(errors) => return Ok(invalid(ctx, form, errors, Some(slug))),
    };
    let Ok(version) = form.version.trim().parse::<i64>() else {
        return Err(AppError::BadRequest);
    };
    match store
        .update_village(current.id, version, &village, actor)
        .await
    {
        Ok(v) => {
            ctx.flash("admin.saved");
            Ok(Redirect::to(&crate::web::paths::village(&v.slug)).into_response())
        }
        Err(StoreError::Duplicate(field)) => {
            Ok(invalid(ctx, form, duplicate_error(field), Some(slug)))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/accounts.html")]
struct AccountsPage {
    ctx: Ctx,
    users: Vec<(User, Vec<Membership>)>,
    villages: Vec<Village>,
    form: AccountForm,
    errors: FieldErrors,
    page: i64,
    has_next: bool,
}

impl AccountsPage {
    /// The least powerful role first, so a slip of the finger grants little.
    fn roles(&self) -> [Role; 4] {
        [
            Role::Resident,
            Role::Facilitator,
            Role::Official,
            Role::Admin,
        ]
    }
}

async fn accounts_page(
    store: &Store,
    ctx: Ctx,
    page: i64,
    form: AccountForm,
    errors: FieldErrors,
) -> AppResult<AccountsPage> {
    let offset = (page - 1) * PER_PAGE;
    let (users, has_next) = split_page(store.list_users(PER_PAGE + 1, offset).await?, PER_PAGE);
    let memberships = store.memberships_page(PER_PAGE, offset).await?;
    let users = users
        .into_iter()
        .map(|u| {
            let ms = memberships
                .iter()
                .filter(|(id, _)| *id == u.id)
                .map(|(_, m)| m.clone())
                .collect();
            (u, ms)
        })
        .collect();
    // The village picker lists the first villages by name; bigger installations type the slug.
    let villages = store.list_villages(500, 0).await?;
    Ok(AccountsPage {
        ctx,
        users,
        villages,
        form,
        errors,
        page,
        has_next,
    })
}

async fn accounts(
    State(store): State<Store>,
    ctx: Ctx,
    Query(q): Query<PageQuery>,
) -> AppResult<AccountsPage> {
    ctx.authorize(Action::ManageInstallation, None)?;
    accounts_page(
        &store,
        ctx,
        q.number(),
        AccountForm::default(),
        FieldErrors::new(),
    )
    .await
}

async fn add_account(
    State(store): State<Store>,
    ctx: Ctx,
    Form(form): Form<AccountForm>,
) -> AppResult<Response> {
    let actor = ctx.authorize(Action::ManageInstallation, None)?.id;
    let exists = match account::Email::parse(&form.email) {
        Some(e) => store
            .login_record(&crate::domain::account::LoginName::Email(
                e.as_str().to_string(),
            ))
            .await?
            .is_some(),
        None => false,
    };
    let mut checked = form.validate(!exists);
    let mut village_id = None;
    if let Ok(a) = &checked
        && let Some(slug) = &a.village
    {
        match store.village_by_slug(slug).await {
            Ok(v) => village_id = Some(v.id),
            Err(StoreError::NotFound) => {
                let mut e = FieldErrors::new();
                e.add("village", "error.unknown_village");
                checked = Err(e);
            }
            Err(e) => return Err(e.into()),
        }
    }
    let new = match checked {
        Ok(a) => a,
        Err(errors) => {
            let mut form = form;
            form.password.clear(); // never echo a password back
            let page = accounts_page(&store, ctx, 1, form, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let password = new.password.clone();
    let hash = super::auth::hashing(move || account::hash_password(&password)).await?;
    let (_, outcome) = store
        .add_account(
            &new.email,
            &new.name,
            &hash,
            new.role,
            crate::store::accounts::Place::of(&new, village_id),
            Some(actor),
        )
        .await?;
    ctx.flash(match outcome {
        AccountOutcome::Created => "admin.account_created",
        AccountOutcome::RoleAdded => "admin.role_added",
        AccountOutcome::AlreadyHeld => "admin.role_held",
    });
    Ok(Redirect::to(paths::ADMIN_ACCOUNTS).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct RevokeForm {
    role: String,
    village: String,
}

async fn revoke_role(
    State(store): State<Store>,
    ctx: Ctx,
    Path(id): Path<Uuid>,
    Form(form): Form<RevokeForm>,
) -> AppResult<Response> {
    let actor = ctx.authorize(Action::ManageInstallation, None)?.id;
    let role = Role::parse(&form.role).ok_or(AppError::BadRequest)?;
    let village = if role.needs_village() {
        Some(
            form.village
                .parse::<Uuid>()
                .map_err(|_| AppError::BadRequest)?,
        )
    } else {
        None
    };
    store.revoke_role(id, role, village, actor).await?;
    ctx.flash("admin.role_removed");
    Ok(Redirect::to(paths::ADMIN_ACCOUNTS).into_response())
}
