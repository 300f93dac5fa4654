//! A village's meetings: the list, and scheduling a new one.

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::{PER_PAGE, tz_of};
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::meeting::{Kind, MeetingForm};
use crate::store::Store;
use crate::store::meetings::Meeting;
use crate::store::villages::Village;
use crate::web::error::AppResult;
use crate::web::filters::{clock, long_date};
use crate::web::page::Ctx;
use crate::web::paging::{PageQuery, split_page};

#[derive(Template, WebTemplate)]
#[template(path = "meetings/list.html")]
pub(super) struct ListPage {
    ctx: Ctx,
    village: Village,
    meetings: Vec<Meeting>,
    page: i64,
    has_next: bool,
    may_record: bool,
    form: MeetingForm,
    errors: FieldErrors,
}

impl ListPage {
    fn kinds(&self) -> &'static [Kind] {
        Kind::ALL
    }
    fn date(&self, m: &Meeting) -> String {
        format!(
            "{} · {}",
            long_date(self.ctx.lang, &m.scheduled_at, &self.village.timezone),
            clock(&m.scheduled_at, &self.village.timezone)
        )
    }
}

async fn list_page(
    store: &Store,
    ctx: Ctx,
    village: Village,
    page: i64,
    form: MeetingForm,
    errors: FieldErrors,
) -> AppResult<ListPage> {
    let rows = store
        .list_meetings(village.id, PER_PAGE + 1, (page - 1) * PER_PAGE)
        .await?;
    let (meetings, has_next) = split_page(rows, PER_PAGE);
    let may_record = ctx.may(Action::RecordMeetings, Some(village.id));
    Ok(ListPage {
        ctx,
        village,
        meetings,
        page,
        has_next,
        may_record,
        form,
        errors,
    })
}

pub(super) async fn list(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<ListPage> {
    let village = store.village_by_slug(&slug).await?;
    let form = MeetingForm::default();
    list_page(&store, ctx, village, q.number(), form, FieldErrors::new()).await
}

pub(super) async fn create(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<MeetingForm>,
) -> AppResult<Response> {
    let village = store.village_by_slug(&slug).await?;
    let actor = ctx.authorize(Action::RecordMeetings, Some(village.id))?.id;
    let checked = match form.validate(tz_of(&village).tz(), &village.tata_tertib()) {
        Ok(m) => m,
        Err(errors) => {
            let page = list_page(&store, ctx, village, 1, form, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let id = store.create_meeting(village.id, &checked, actor).await?;
    ctx.flash("meeting.created");
    Ok(Redirect::to(&paths::meeting(&slug, id)).into_response())
}
