//! Stakeholder groups (kelompok): the public list, each group's page, and the forms
//! officials and facilitators keep them with. Contact details only for them.

use crate::web::filters;
use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use uuid::Uuid;

use super::error::{AppError, AppResult};

use super::page::Ctx;
use super::routes::Routes;
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::group::{self, GroupForm};
use crate::store::groups::{Group, GroupSummary};
use crate::store::villages::Village;
use crate::store::{Store, StoreError};

pub fn routes() -> Routes {
    Routes::new()
        .route(crate::web::paths::GROUPS, get(list).post(create))
        .route(crate::web::paths::GROUP, get(show).post(update))
}

/// The choices the group form offers; shared by the list (create) and a group's page (edit).
pub trait GroupChoices {
    fn kinds(&self) -> &'static [&'static str] {
        &group::GROUP_KINDS
    }
    fn relations(&self) -> &'static [&'static str] {
        &group::RELATIONS
    }
    fn group_roles(&self) -> &'static [&'static str] {
        &group::ROLES
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "groups/list.html")]
struct ListPage {
    ctx: Ctx,
    village: Village,
    groups: Vec<GroupSummary>,
    may_edit: bool,
    form: GroupForm,
    errors: FieldErrors,
}

impl GroupChoices for ListPage {}

#[derive(Template, WebTemplate)]
#[template(path = "groups/show.html")]
struct ShowPage {
    ctx: Ctx,
    village: Village,
    g: Group,
    may_edit: bool,
    form: GroupForm,
    errors: FieldErrors,
    /// What the group pledged to proposals, and whether it was kept.
    pledges: Vec<crate::store::ladder::Pledge>,
}

impl GroupChoices for ShowPage {}

fn form_of(g: &Group) -> GroupForm {
    GroupForm {
        name: g.name.clone(),
        kind: g.kind.clone(),
        vulnerable: g.vulnerable,
        contact_name: g.contact_name.clone().unwrap_or_default(),
        contact_phone: g.contact_phone.clone().unwrap_or_default(),
        members: g.members.map(|m| m.to_string()).unwrap_or_default(),
        since_year: g.since_year.map(|y| y.to_string()).unwrap_or_default(),
        relation: g.relation.clone(),
        roles: g.role_list().into_iter().map(String::from).collect(),
        version: g.version.to_string(),
    }
}

fn parse_form(body: &Bytes) -> GroupForm {
    GroupForm::from_pairs(form_urlencoded::parse(body).map(|(k, v)| (k, v.into_owned())))
}

fn duplicate_name(mut errors: FieldErrors) -> FieldErrors {
    errors.add("name", "error.group_name_taken");
    errors
}

async fn list(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<ListPage> {
    let village = store.village_by_slug(&slug).await?;
    let groups = store.list_groups(village.id).await?;
    let may_edit = ctx.may(Action::RecordMeetings, Some(village.id));
    Ok(ListPage {
        ctx,
        village,
        groups,
        may_edit,
        form: GroupForm::default(),
        errors: FieldErrors::new(),
    })
}

async fn create(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let village = store.village_by_slug(&slug).await?;
    let actor = ctx.authorize(Action::RecordMeetings, Some(village.id))?.id;
    let form = parse_form(&body);
    let invalid = |ctx: Ctx, village: Village, form: GroupForm, errors: FieldErrors| {
        let store = store.clone();
        async move {
            let groups = store.list_groups(village.id).await?;
            let page = ListPage {
                ctx,
                village,
                groups,
                may_edit: true,
                form,
                errors,
            };
            Ok::<_, AppError>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    };
    let checked = match form.validate(village.this_year()) {
        Ok(c) => c,
        Err(errors) => return invalid(ctx, village, form, errors).await,
    };
    match store.create_group(village.id, &checked, Some(actor)).await {
        Ok(id) => {
            ctx.flash("group.saved").await?;
            Ok(Redirect::to(&crate::web::paths::group(&slug, id)).into_response())
        }
        Err(StoreError::Duplicate(_)) => {
            invalid(ctx, village, form, duplicate_name(FieldErrors::new())).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn load(store: &Store, slug: &str, id: &str) -> AppResult<(Village, Group)> {
    let village = store.village_by_slug(slug).await?;
    let id = id.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    let g = store.group(village.id, id).await?;
    Ok((village, g))
}

async fn show(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
) -> AppResult<ShowPage> {
    let (village, g) = load(&store, &slug, &id).await?;
    let may_edit = ctx.may(Action::RecordMeetings, Some(village.id));
    let pledges = store.group_pledges(g.id).await?;
    Ok(ShowPage {
        ctx,
        form: form_of(&g),
        village,
        g,
        may_edit,
        errors: FieldErrors::new(),
        pledges,
    })
}

async fn update(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let (village, g) = load(&store, &slug, &id).await?;
    let actor = ctx.authorize(Action::RecordMeetings, Some(village.id))?.id;
    let pledges = store.group_pledges(g.id).await?;
    let form = parse_form(&body);
    let version = form
        .version
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    let page =
        |ctx: Ctx, village: Village, g: Group, form: GroupForm, errors: FieldErrors| ShowPage {
            ctx,
            village,
            g,
            may_edit: true,
            form,
            errors,
            pledges: pledges.clone(),
        };
    let checked = match form.validate(village.this_year()) {
        Ok(c) => c,
        Err(errors) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(ctx, village, g, form, errors),
            )
                .into_response());
        }
    };
    match store.update_group(&g, version, &checked, actor).await {
        Ok(()) => {
            ctx.flash("group.saved").await?;
            Ok(Redirect::to(&crate::web::paths::group(&slug, g.id)).into_response())
        }
        Err(StoreError::Duplicate(_)) => {
            let errors = duplicate_name(FieldErrors::new());
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(ctx, village, g, form, errors),
            )
                .into_response())
        }
        Err(StoreError::Stale) => {
            // Someone saved first: show what is stored now, say so, keep nothing silently.
            let current = store.group(village.id, g.id).await?;
            let mut errors = FieldErrors::new();
            errors.add("name", "error.stale");
            let fresh = form_of(&current);
            Ok((
                StatusCode::CONFLICT,
                page(ctx, village, current, fresh, errors),
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}
