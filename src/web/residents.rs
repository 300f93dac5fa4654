//! Residents' own accounts. A person signs up with their phone number as the log-in name
//! (`/daftar`) and asks to be a resident of a village; a facilitator or an official of
//! the village confirms them (`/desa/{slug}/warga`), which grants the resident role. A
//! forgotten password is replaced with a one-time code an official gives to the person
//! they know (`/lupa-sandi`): no e-mail or SMS service is needed.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Duration;
use uuid::Uuid;

use super::auth::{ClientIp, hashing, start_session};
use super::error::{AppError, AppResult, limited};
use super::page::Ctx;
use super::routes::Routes;
use super::visit::InVillage;
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::account::{self, LoginName, Phone, SignUpForm};
use crate::domain::meeting::{display_code, normalize_code};
use crate::store::residents::{Redeemed, ResetRefused, Resident, ResidentRequest};
use crate::store::villages::Village;
use crate::store::{Store, StoreError, now};
use crate::web::paths;

pub fn routes() -> Routes {
    Routes::new()
        .route(paths::SIGN_UP, get(sign_up_form).post(sign_up))
        .route(paths::FORGOT_PASSWORD, get(forgot_form).post(forgot))
        .route(paths::RESIDENTS, get(list))
        .route(paths::RESIDENT_REQUEST, post(decide))
        .route(paths::RESIDENT_RESET_CODE, post(reset_code))
}

/// Sign-ups accepted from one client address within an hour (a village hall shares one).
pub const SIGN_UPS_PER_HOUR: i64 = 20;
/// Reset attempts from one client address within ten minutes, and on one account within
/// an hour: a code has about 48 bits, so guessing is hopeless either way.
pub const RESETS_PER_10_MINUTES: i64 = 10;
pub const RESETS_PER_ACCOUNT_PER_HOUR: i64 = 10;

/// How many villages the sign-up form lists to choose from.
const VILLAGES_LISTED: i64 = 2000;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct VillageQuery {
    village: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/sign_up.html")]
struct SignUpPage {
    ctx: Ctx,
    villages: Vec<Village>,
    /// The village chosen (its dusun are offered).
    chosen: Option<Village>,
    form: SignUpForm,
    errors: FieldErrors,
}

async fn sign_up_page(
    store: &Store,
    mut ctx: Ctx,
    form: SignUpForm,
    errors: FieldErrors,
) -> AppResult<SignUpPage> {
    ctx.ensure_csrf().await?;
    let chosen = village_named(store, &form.village).await?;
    let villages = if chosen.is_some() {
        Vec::new()
    } else {
        store.list_villages(VILLAGES_LISTED, 0).await?
    };
    Ok(SignUpPage {
        ctx,
        villages,
        chosen,
        form,
        errors,
    })
}

async fn village_named(store: &Store, slug: &str) -> AppResult<Option<Village>> {
    let slug = slug.trim();
    if slug.is_empty() {
        return Ok(None);
    }
    match store.village_by_slug(slug).await {
        Ok(v) => Ok(Some(v)),
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

async fn sign_up_form(
    State(store): State<Store>,
    ctx: Ctx,
    Query(q): Query<VillageQuery>,
) -> AppResult<Response> {
    if ctx.viewer.is_some() {
        return Ok(Redirect::to(paths::HOME).into_response());
    }
    let form = SignUpForm {
        village: q.village,
        ..SignUpForm::default()
    };
    Ok(sign_up_page(&store, ctx, form, FieldErrors::new())
        .await?
        .into_response())
}

async fn sign_up(
    State(store): State<Store>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<SignUpForm>,
) -> AppResult<Response> {
    let village = village_named(&store, &form.village).await?;
    let checked = form.validate(village.as_ref().map(|v| v.hamlets.as_slice()));
    let (checked, village) = match (checked, village) {
        (Ok(c), Some(v)) => (c, v),
        (Err(errors), _) => return refused(&store, ctx, form, errors).await,
        (Ok(_), None) => {
            let mut errors = FieldErrors::new();
            errors.add("village", "error.choose_from_list");
            return refused(&store, ctx, form, errors).await;
        }
    };
    limited(
        store
            .throttle_take("sign_up", &ip, Duration::hours(1), SIGN_UPS_PER_HOUR)
            .await?,
    )?;
    let password = checked.password.clone();
    let hash = hashing(move || account::hash_password(&password)).await?;
    match store.sign_up(village.id, &checked, &hash).await {
        Ok(user) => {
            start_session(&ctx, user, &headers).await?;
            ctx.flash("sign_up.done");
            Ok(Redirect::to(&paths::village(&village.slug)).into_response())
        }
        Err(StoreError::Duplicate(field @ ("phone" | "email"))) => {
            let mut errors = FieldErrors::new();
            errors.add(
                field,
                if field == "phone" {
                    "error.phone_taken"
                } else {
                    "error.email_has_account"
                },
            );
            refused(&store, ctx, form, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The form again with what was typed (the password aside) and what is wrong: 422.
async fn refused(
    store: &Store,
    ctx: Ctx,
    mut form: SignUpForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    form.password.clear();
    let page = sign_up_page(store, ctx, form, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ForgotForm {
    login: String,
    kode: String,
    password: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/forgot.html")]
struct ForgotPage {
    ctx: Ctx,
    form: ForgotForm,
    errors: FieldErrors,
}

async fn forgot_form(mut ctx: Ctx) -> AppResult<ForgotPage> {
    ctx.ensure_csrf().await?;
    Ok(ForgotPage {
        ctx,
        form: ForgotForm::default(),
        errors: FieldErrors::new(),
    })
}

async fn forgot(
    State(store): State<Store>,
    mut ctx: Ctx,
    ClientIp(ip): ClientIp,
    Form(mut form): Form<ForgotForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::new();
    let login = LoginName::parse(&form.login);
    if login.is_none() {
        errors.add("login", "error.login_name");
    }
    let code = normalize_code(&form.kode);
    if code.is_none() {
        errors.add("kode", "error.reset_code");
    }
    let email = match &login {
        Some(LoginName::Email(e)) => e.as_str(),
        _ => "",
    };
    if let Err(m) = account::check_password(&form.password, email) {
        errors.add("password", m);
    }
    if let (true, Some(login), Some(code)) = (errors.is_empty(), &login, &code) {
        limited(
            store
                .throttle_take("reset", &ip, Duration::minutes(10), RESETS_PER_10_MINUTES)
                .await?,
        )?;
        limited(
            store
                .throttle_take(
                    "reset_account",
                    login.key(),
                    Duration::hours(1),
                    RESETS_PER_ACCOUNT_PER_HOUR,
                )
                .await?,
        )?;
        let password = form.password.clone();
        let hash = hashing(move || account::hash_password(&password)).await?;
        match store
            .redeem_reset_code(login, &account::code_hash(code), &hash)
            .await?
        {
            Redeemed::Done(_) => {
                ctx.flash("reset.done");
                return Ok(Redirect::to(paths::LOGIN).into_response());
            }
            Redeemed::Unknown => errors.add("kode", "error.reset_code_unknown"),
            Redeemed::Used => errors.add("kode", "error.reset_code_used"),
            Redeemed::Expired => errors.add("kode", "error.reset_code_expired"),
        }
    }
    form.password.clear();
    ctx.ensure_csrf().await?;
    let page = ForgotPage { ctx, form, errors };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "village/residents.html")]
struct ResidentsPage {
    ctx: Ctx,
    village: Village,
    requests: Vec<ResidentRequest>,
    residents: Vec<Resident>,
    may_reset: bool,
    /// A reset code just issued: for whom, the code, until when. Shown once.
    issued: Option<(String, String, String)>,
    /// Why a reset code was refused (a catalogue key).
    refused: Option<&'static str>,
}

impl ResidentsPage {
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        super::filters::local_time(at, &self.village.timezone)
    }
    fn phone(&self, stored: &str) -> String {
        Phone::local(stored)
    }
}

async fn residents_page(
    visit: InVillage,
    issued: Option<(String, String, String)>,
    refused: Option<&'static str>,
) -> AppResult<ResidentsPage> {
    let may_reset = visit
        .ctx
        .may(Action::ResetPasswords, Some(visit.village.id));
    let (store, mut ctx, village) = visit.into_parts();
    ctx.ensure_csrf().await?;
    Ok(ResidentsPage {
        requests: store.resident_requests(village.id).await?,
        residents: store.residents(village.id).await?,
        ctx,
        village,
        may_reset,
        issued,
        refused,
    })
}

async fn list(visit: InVillage) -> AppResult<ResidentsPage> {
    visit.actor(Action::ConfirmResidents)?;
    residents_page(visit, None, None).await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct DecideForm {
    decision: String,
}

async fn decide(
    visit: InVillage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<DecideForm>,
) -> AppResult<Response> {
    let actor = visit.actor(Action::ConfirmResidents)?;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let accept = match form.decision.as_str() {
        "accept" => true,
        "refuse" => false,
        _ => return Err(AppError::BadRequest),
    };
    visit
        .store
        .decide_resident_request(visit.village.id, id, accept, actor.id)
        .await?;
    visit.ctx.flash(if accept {
        "residents.accepted"
    } else {
        "residents.refused"
    });
    Ok(Redirect::to(&format!(
        "{}#permintaan",
        paths::residents(&visit.village.slug)
    ))
    .into_response())
}

/// Issues a reset code and shows it once, on this answer only (never stored readable).
async fn reset_code(
    visit: InVillage,
    Path((_, user)): Path<(String, String)>,
) -> AppResult<Response> {
    let actor = visit.actor(Action::ResetPasswords)?;
    let user = Uuid::parse_str(&user).map_err(|_| AppError::NotFound)?;
    let person = visit.store.user(user).await?;
    let code = account::one_time_code();
    let expires = now() + Duration::hours(account::RESET_CODE_HOURS);
    let outcome = visit
        .store
        .issue_reset_code(
            visit.village.id,
            user,
            &account::code_hash(&code),
            expires,
            actor.id,
        )
        .await?;
    let (status, issued, refused) = match outcome {
        Ok(()) => {
            let until = super::filters::local_time(&expires, &visit.village.timezone);
            (
                StatusCode::OK,
                Some((person.name, display_code(&code), until)),
                None,
            )
        }
        Err(ResetRefused::NotHere) => return Err(AppError::NotFound),
        Err(ResetRefused::Staff) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some("residents.reset_staff"),
        ),
    };
    let page = residents_page(visit, issued, refused).await?;
    Ok((
        status,
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        page,
    )
        .into_response())
}
