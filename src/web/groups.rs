//! Stakeholder groups (kelompok): the public list, each group's page, and the forms
//! officials and facilitators keep them with. Contact details only for them.

use crate::web::filters;
use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use uuid::Uuid;

use super::error::{AppError, AppResult};

use super::page::Ctx;
use super::routes::Routes;
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::group::{self, GroupForm};
use crate::domain::mapping::{self, HistoryForm, MemberVillageForm, ProfileForm};
use crate::store::groups::{Group, GroupSummary};
use crate::store::mapping::{HistoryRow, MemberVillageRow};
use crate::store::network::Relation;
use crate::store::villages::Village;
use crate::store::{Store, StoreError};

pub fn routes() -> Routes {
    Routes::new()
        .route(crate::web::paths::GROUPS, get(list).post(create))
        .route(crate::web::paths::GROUP, get(show).post(update))
        .route(crate::web::paths::GROUP_HISTORY, post(add_history))
        .route(
            crate::web::paths::GROUP_HISTORY_REMOVE,
            post(remove_history),
        )
        .route(crate::web::paths::GROUP_VILLAGES, post(add_village))
        .route(
            crate::web::paths::GROUP_VILLAGE_REMOVE,
            post(remove_village),
        )
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
    fn bonds(&self) -> &'static [&'static str] {
        &mapping::BONDS
    }
    fn acts_beyond_choices(&self) -> &'static [&'static str] {
        &mapping::ACTS_BEYOND
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
    records: Records,
    history_form: HistoryForm,
    history_errors: FieldErrors,
    village_form: MemberVillageForm,
    village_errors: FieldErrors,
}

impl GroupChoices for ShowPage {}

impl ShowPage {
    fn changes(&self) -> &'static [&'static str] {
        &mapping::CHANGES
    }
    fn lists_villages(&self) -> bool {
        mapping::has_member_villages(&self.g.kind)
    }
    /// The mapping questions not yet answered, for the facilitator's next visit.
    fn unanswered(&self) -> Vec<u8> {
        let known = mapping::Known {
            relations: self
                .records
                .relations
                .iter()
                .filter(|r| r.to_group.is_some() || r.outside_name.is_some())
                .count(),
            history: self.records.history.len(),
            since_year: self.g.since_year.is_some(),
        };
        mapping::unanswered(&self.g.profile(), known)
    }
    /// The group at the other end of a relation, named from this group's side.
    fn other_end<'a>(&self, r: &'a Relation) -> &'a str {
        if r.from_group == self.g.id {
            r.to_name
                .as_deref()
                .or(r.outside_name.as_deref())
                .unwrap_or_default()
        } else {
            &r.from_name
        }
    }
}

/// What a group's page lists beside its profile.
struct Records {
    /// What the group pledged to proposals, and whether it was kept.
    pledges: Vec<crate::store::ladder::Pledge>,
    history: Vec<HistoryRow>,
    member_villages: Vec<MemberVillageRow>,
    /// Its ties with other groups and outside parties (mapping question 5).
    relations: Vec<Relation>,
    today: chrono::NaiveDate,
}

async fn records(store: &Store, village: &Village, g: &Group) -> AppResult<Records> {
    let relations = store.relations(village.id).await?;
    Ok(Records {
        pledges: store.group_pledges(g.id).await?,
        history: store.history(g.id).await?,
        member_villages: store.member_villages(g.id).await?,
        relations: relations.into_iter().filter(|r| r.involves(g.id)).collect(),
        today: village.today(),
    })
}

/// A group's page with its records and empty side forms; callers set what differs.
fn page(ctx: Ctx, village: Village, g: Group, may_edit: bool, records: Records) -> ShowPage {
    ShowPage {
        ctx,
        form: form_of(&g),
        village,
        g,
        may_edit,
        errors: FieldErrors::new(),
        records,
        history_form: HistoryForm::default(),
        history_errors: FieldErrors::new(),
        village_form: MemberVillageForm::default(),
        village_errors: FieldErrors::new(),
    }
}

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
        profile: ProfileForm {
            motive: g.motive.clone().unwrap_or_default(),
            gains: g.gains.clone().unwrap_or_default(),
            bonds: g.bond_list().into_iter().map(String::from).collect(),
            bond_note: g.bond_note.clone().unwrap_or_default(),
            acts_beyond: g.acts_beyond.clone().unwrap_or_default(),
            other_matters: g.other_matters.clone().unwrap_or_default(),
            relation_reason: g.relation_reason.clone().unwrap_or_default(),
        },
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
            ctx.flash("group.saved");
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
    let records = records(&store, &village, &g).await?;
    Ok(page(ctx, village, g, may_edit, records))
}

async fn update(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let (village, g) = load(&store, &slug, &id).await?;
    let actor = ctx.authorize(Action::RecordMeetings, Some(village.id))?.id;
    let form = parse_form(&body);
    let version = form
        .version
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    let refused = |status: StatusCode, g: Group, form: GroupForm, errors: FieldErrors| Refused {
        status,
        g,
        form,
        errors,
    };
    let checked = match form.validate(village.this_year()) {
        Ok(c) => c,
        Err(errors) => {
            return refused(StatusCode::UNPROCESSABLE_ENTITY, g, form, errors)
                .render(&store, ctx, village)
                .await;
        }
    };
    match store.update_group(&g, version, &checked, actor).await {
        Ok(()) => {
            ctx.flash("group.saved");
            Ok(Redirect::to(&crate::web::paths::group(&slug, g.id)).into_response())
        }
        Err(StoreError::Duplicate(_)) => {
            let errors = duplicate_name(FieldErrors::new());
            refused(StatusCode::UNPROCESSABLE_ENTITY, g, form, errors)
                .render(&store, ctx, village)
                .await
        }
        Err(StoreError::Invalid(errors)) => {
            refused(StatusCode::UNPROCESSABLE_ENTITY, g, form, errors)
                .render(&store, ctx, village)
                .await
        }
        Err(StoreError::Stale) => {
            // Someone saved first: show what is stored now, say so, keep nothing silently.
            let current = store.group(g.village_id, g.id).await?;
            let mut errors = FieldErrors::new();
            errors.add("name", "error.stale");
            let fresh = form_of(&current);
            refused(StatusCode::CONFLICT, current, fresh, errors)
                .render(&store, ctx, village)
                .await
        }
        Err(e) => Err(e.into()),
    }
}

/// A group form sent back: the page again, with what was typed and what is wrong.
struct Refused {
    status: StatusCode,
    g: Group,
    form: GroupForm,
    errors: FieldErrors,
}

impl Refused {
    async fn render(self, store: &Store, ctx: Ctx, village: Village) -> AppResult<Response> {
        let records = records(store, &village, &self.g).await?;
        let mut page = page(ctx, village, self.g, true, records);
        page.form = self.form;
        page.errors = self.errors;
        Ok((self.status, page).into_response())
    }
}

/// Back to the group's page, at the part just changed.
fn back(slug: &str, g: &Group, anchor: &str) -> Response {
    Redirect::to(&format!(
        "{}#{anchor}",
        crate::web::paths::group(slug, g.id)
    ))
    .into_response()
}

async fn add_history(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<HistoryForm>,
) -> AppResult<Response> {
    let (village, g) = load(&store, &slug, &id).await?;
    let actor = ctx.authorize(Action::RecordMeetings, Some(village.id))?.id;
    match form.validate(village.this_year()) {
        Ok(entry) => {
            store.add_history(village.id, g.id, &entry, actor).await?;
            ctx.flash("group.history_saved");
            Ok(back(&slug, &g, "riwayat"))
        }
        Err(errors) => {
            let records = records(&store, &village, &g).await?;
            let mut page = page(ctx, village, g, true, records);
            page.history_form = form;
            page.history_errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn remove_history(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id, entry)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let (village, g) = load(&store, &slug, &id).await?;
    let actor = ctx.authorize(Action::RecordMeetings, Some(village.id))?.id;
    let entry = entry.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    store.remove_history(village.id, g.id, entry, actor).await?;
    ctx.flash("group.history_removed");
    Ok(back(&slug, &g, "riwayat"))
}

async fn add_village(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<MemberVillageForm>,
) -> AppResult<Response> {
    let (village, g) = load(&store, &slug, &id).await?;
    let actor = ctx.authorize(Action::RecordMeetings, Some(village.id))?.id;
    let errors = match form.validate(&g.kind) {
        Ok(m) => match store.add_member_village(village.id, g.id, &m, actor).await {
            Ok(_) => {
                ctx.flash("group.village_saved");
                return Ok(back(&slug, &g, "desa-anggota"));
            }
            Err(StoreError::Duplicate(_)) => {
                let mut e = FieldErrors::new();
                e.add("village", "error.member_village_taken");
                e
            }
            Err(StoreError::Invalid(e)) => e,
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    let records = records(&store, &village, &g).await?;
    let mut page = page(ctx, village, g, true, records);
    page.village_form = form;
    page.village_errors = errors;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn remove_village(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id, member)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let (village, g) = load(&store, &slug, &id).await?;
    let actor = ctx.authorize(Action::RecordMeetings, Some(village.id))?.id;
    let member = member.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    store
        .remove_member_village(village.id, g.id, member, actor)
        .await?;
    ctx.flash("group.village_removed");
    Ok(back(&slug, &g, "desa-anggota"))
}
