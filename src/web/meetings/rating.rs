//! Rating a meeting (`/desa/{slug}/musyawarah/{id}/nilai`): an attendee opens the form
//! from the QR code or the address and code on the daftar hadir, rates the meeting, says
//! whether they were heard and may answer the trust question. The village's staff see the
//! code to show in the hall, every answer with its comment, and enter answers given on
//! paper.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Duration;

use super::page::Visit;
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::metrics::RatingTally;
use crate::domain::rating::{self, RatingForm};
use crate::store::groups::GroupSummary;
use crate::store::ratings::{MeetingRating, Rater, tally};
use crate::web::auth::ClientIp;
use crate::web::error::{AppResult, limited};
use crate::web::paths;

/// Ratings sent from one address within ten minutes: a hall on one shared connection
/// rates at once.
const RATINGS_PER_10_MINUTES: i64 = 60;

#[derive(Template, WebTemplate)]
#[template(path = "meetings/rating.html")]
pub(super) struct RatingPage {
    ctx: crate::web::page::Ctx,
    village: crate::store::villages::Village,
    m: crate::store::meetings::Meeting,
    form: RatingForm,
    errors: FieldErrors,
    groups: Vec<GroupSummary>,
    tally: RatingTally,
    /// For the village's staff: every answer, the code and its QR, the paper form.
    staff: Option<Staff>,
    /// This browser already rated the meeting.
    rated: bool,
}

pub(super) struct Staff {
    ratings: Vec<MeetingRating>,
    code: Option<String>,
    url: Option<String>,
    qr: Option<String>,
}

impl RatingPage {
    fn open(&self) -> bool {
        rating::may_rate(self.m.status)
    }
    fn d(&self, tenths: &i64) -> String {
        crate::web::stats::decimal(self.ctx.lang, *tenths, 10)
    }
    fn printed(&self, code: &str) -> String {
        rating::printed_code(code)
    }
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        crate::web::filters::local_time(at, &self.village.timezone)
    }
    fn scale(&self) -> [i64; 5] {
        [1, 2, 3, 4, 5]
    }
    fn heard_codes(&self) -> &'static [rating::Heard] {
        rating::Heard::ALL
    }
}

/// The rating page's address with its code, as the QR code carries it.
pub(super) fn rating_href(slug: &str, meeting: uuid::Uuid, code: &str) -> String {
    format!("{}?kode={code}", paths::meeting_rating(slug, meeting))
}

async fn page(visit: Visit, form: RatingForm, errors: FieldErrors) -> AppResult<RatingPage> {
    let Visit {
        store,
        mut ctx,
        village,
        m,
        ..
    } = visit;
    let groups = store.list_groups(village.id).await?;
    let ratings = store.meeting_ratings(m.id).await?;
    let tally = tally(&ratings);
    let staff = if ctx.may(Action::RecordMeetings, Some(village.id)) {
        let code = store.rating_code(m.id).await?;
        let url = code
            .as_deref()
            .and_then(|c| ctx.full_url(&rating_href(&village.slug, m.id, c)));
        let qr = url.as_deref().and_then(crate::web::qr::svg);
        Some(Staff {
            ratings,
            code,
            url,
            qr,
        })
    } else {
        None
    };
    // What the database holds, not what this session remembers: an account rated from
    // another browser is told so as well.
    let rated = match ctx.known_respondent().await? {
        Some(me) if staff.is_none() => store.rated_by(m.id, &me).await?,
        _ => false,
    };
    ctx.ensure_csrf().await?;
    Ok(RatingPage {
        ctx,
        village,
        m,
        form,
        errors,
        groups,
        tally,
        staff,
        rated,
    })
}

pub(super) async fn form(visit: Visit, Query(q): Query<RatingForm>) -> AppResult<RatingPage> {
    let form = RatingForm {
        kode: rating::normalize_code(&q.kode),
        ..RatingForm::default()
    };
    page(visit, form, FieldErrors::new()).await
}

pub(super) async fn rate(
    visit: Visit,
    ClientIp(ip): ClientIp,
    Form(form): Form<RatingFormPost>,
) -> AppResult<Response> {
    let RatingFormPost { paper, form } = form;
    let refused = |visit: Visit, form: RatingForm, field: &'static str, key: &'static str| async move {
        let mut errors = FieldErrors::new();
        errors.add(field, key);
        Ok::<_, crate::web::error::AppError>(
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                page(visit, form, errors).await?,
            )
                .into_response(),
        )
    };
    if !rating::may_rate(visit.m.status) {
        return refused(visit, form, "score", "error.rating_not_held").await;
    }
    // A facilitator enters an answer given on paper without the code; anyone else brings it.
    let paper_by = if paper == "1" {
        Some(visit.actor(Action::RecordMeetings)?.id)
    } else {
        let code = visit.store.rating_code(visit.m.id).await?;
        if !rating::code_matches(&form.kode, code.as_deref()) {
            let typed = rating::normalize_code(&form.kode);
            let key = if typed.is_empty() {
                "error.rating_code_missing"
            } else if visit
                .store
                .rating_code_elsewhere(visit.village.id, visit.m.id, &typed)
                .await?
            {
                "error.rating_code_other_meeting"
            } else {
                "error.rating_code_wrong"
            };
            return refused(visit, form, "kode", key).await;
        }
        None
    };
    let groups = visit.store.group_ids(visit.village.id).await?;
    let checked = match form.validate(&visit.village.hamlets, &groups) {
        Ok(c) => c,
        Err(errors) => {
            let page = page(visit, form, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let rater = match paper_by {
        Some(by) => Rater::Paper(by),
        None => {
            limited(
                visit
                    .store
                    .throttle_take(
                        "meeting_rating",
                        &ip,
                        Duration::minutes(10),
                        RATINGS_PER_10_MINUTES,
                    )
                    .await?,
            )?;
            let key = visit.ctx.respondent().await?;
            Rater::Online(key)
        }
    };
    match visit
        .store
        .add_meeting_rating(visit.village.id, visit.m.id, &checked, rater)
        .await
    {
        Ok(()) => {}
        Err(crate::store::StoreError::Duplicate(_)) => {
            let mut errors = FieldErrors::new();
            errors.add("score", "error.rating_twice");
            let page = page(visit, form, errors).await?;
            return Ok((StatusCode::CONFLICT, page).into_response());
        }
        Err(e) => return Err(e.into()),
    }
    visit.ctx.flash("rating.thanks");
    let back = paths::meeting_rating(&visit.village.slug, visit.m.id);
    Ok(axum::response::Redirect::to(&back).into_response())
}

/// The rating form as posted: the answers, and `paper=1` when a facilitator enters an
/// answer given on paper.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct RatingFormPost {
    paper: String,
    #[serde(flatten)]
    form: RatingForm,
}
