//! A village's settings: the ladder's thresholds and the tata tertib of its meetings.

use super::visit::InVillage;
use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::error::{AppError, AppResult};
use super::page::Ctx;
use super::routes::Routes;
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::ladder::ThresholdsForm;
use crate::domain::meeting::{MajorityRule, QuorumRule, TataTertibForm};
use crate::store::villages::Village;
use crate::store::{Store, StoreError};

pub fn routes() -> Routes {
    Routes::new()
        .route(
            crate::web::paths::SETTINGS,
            get(settings).post(save_settings),
        )
        .route(crate::web::paths::SETTINGS_RULES, post(save_tata_tertib))
}

#[derive(Template, WebTemplate)]
#[template(path = "village/settings.html")]
struct SettingsPage {
    ctx: Ctx,
    village: Village,
    form: ThresholdsForm,
    errors: FieldErrors,
    tata: TataTertibForm,
    tata_errors: FieldErrors,
}

impl SettingsPage {
    /// The page with both forms as stored, at the village's current version.
    fn of(ctx: Ctx, village: Village) -> SettingsPage {
        let mut form = ThresholdsForm::of(&village.thresholds());
        form.version = village.version.to_string();
        let mut tata = TataTertibForm::of(&village.tata_tertib());
        tata.version = village.version.to_string();
        SettingsPage {
            ctx,
            village,
            form,
            errors: FieldErrors::new(),
            tata,
            tata_errors: FieldErrors::new(),
        }
    }
    fn quorum_rules(&self) -> &'static [QuorumRule] {
        QuorumRule::ALL
    }
    fn majority_rules(&self) -> &'static [MajorityRule] {
        MajorityRule::ALL
    }
}

async fn settings(visit: InVillage) -> AppResult<SettingsPage> {
    visit.actor(Action::EditVillage)?;
    Ok(SettingsPage::of(visit.ctx, visit.village))
}

fn version_of(raw: &str) -> AppResult<i64> {
    raw.trim().parse::<i64>().map_err(|_| AppError::BadRequest)
}

async fn save_settings(visit: InVillage, Form(form): Form<ThresholdsForm>) -> AppResult<Response> {
    let actor = visit.actor(Action::EditVillage)?.id;
    let (store, ctx, village) = visit.into_parts();
    let version = version_of(&form.version)?;
    let thresholds = match form.validate() {
        Ok(t) => t,
        Err(errors) => {
            let page = SettingsPage {
                form,
                errors,
                ..SettingsPage::of(ctx, village)
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let saved = store
        .update_thresholds(&village, version, &thresholds, actor)
        .await;
    settings_saved(
        &store,
        ctx,
        &village.slug,
        saved,
        "consult_feedback",
        "admin.saved",
    )
    .await
}

async fn save_tata_tertib(
    visit: InVillage,
    Form(form): Form<TataTertibForm>,
) -> AppResult<Response> {
    let actor = visit.actor(Action::EditVillage)?.id;
    let (store, ctx, village) = visit.into_parts();
    let version = version_of(&form.version)?;
    let tata = match form.validate() {
        Ok(t) => t,
        Err(tata_errors) => {
            let page = SettingsPage {
                tata: form,
                tata_errors,
                ..SettingsPage::of(ctx, village)
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let saved = store
        .update_tata_tertib(&village, version, &tata, actor)
        .await;
    settings_saved(
        &store,
        ctx,
        &village.slug,
        saved,
        "tata",
        "settings.tata_tertib_saved",
    )
    .await
}

/// After a save: back to the settings, or 409 with the page as it now stands when someone
/// changed the village meanwhile (the message beside `field`'s form).
async fn settings_saved(
    store: &Store,
    ctx: Ctx,
    slug: &str,
    saved: Result<(), StoreError>,
    field: &'static str,
    notice: &'static str,
) -> AppResult<Response> {
    match saved {
        Ok(()) => {
            ctx.flash(notice);
            Ok(Redirect::to(&crate::web::paths::settings(slug)).into_response())
        }
        Err(StoreError::Stale) => {
            let current = store.village_by_slug(slug).await?;
            let mut page = SettingsPage::of(ctx, current);
            if field == "tata" {
                page.tata_errors.add("quorum_rule", "error.stale");
            } else {
                page.errors.add(field, "error.stale");
            }
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
