//! Verifying a berita acara by its code (`/verifikasi`), for anyone holding the paper.

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};

use super::VERIFICATIONS_PER_10_MINUTES;
use crate::domain::meeting::{self, Record, Summary};
use crate::store::meetings::{Addendum, Meeting};
use crate::store::{Store, StoreError};
use crate::web::auth::ClientIp;
use crate::web::error::{AppResult, limited};
use crate::web::filters::{clock, long_date};
use crate::web::page::Ctx;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct VerifyQuery {
    kode: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "meetings/verify.html")]
struct VerifyPage {
    ctx: Ctx,
    kode: String,
    /// `None` before a code is asked; then found or not.
    found: Option<Option<Found>>,
}

struct Found {
    slug: String,
    m: Meeting,
    record: Record,
    summary: Summary,
    intact: bool,
    addenda: Vec<Addendum>,
    seal_problems: Vec<&'static str>,
    seal_key: Option<String>,
}

impl VerifyPage {
    fn date(&self, f: &Found) -> String {
        format!(
            "{} · {}",
            long_date(
                self.ctx.lang,
                &f.record.scheduled_at,
                &f.record.village.timezone
            ),
            clock(&f.record.scheduled_at, &f.record.village.timezone)
        )
    }
    fn when(&self, f: &Found, at: &DateTime<Utc>) -> String {
        crate::web::filters::local_time(at, &f.record.village.timezone)
    }
    fn did_not_take_place(&self, f: &Found) -> bool {
        meeting::did_not_take_place(&f.record)
    }
    fn code(&self, f: &Found) -> String {
        f.m.verification_code
            .as_deref()
            .map(meeting::display_code)
            .unwrap_or_default()
    }
}

pub(super) async fn verify(
    State(store): State<Store>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    Query(q): Query<VerifyQuery>,
) -> AppResult<Response> {
    let kode: String = q.kode.chars().take(40).collect();
    if kode.trim().is_empty() {
        return Ok(VerifyPage {
            ctx,
            kode,
            found: None,
        }
        .into_response());
    }
    limited(
        store
            .throttle_take(
                "verify",
                &ip,
                Duration::minutes(10),
                VERIFICATIONS_PER_10_MINUTES,
            )
            .await?,
    )?;
    let sealed = match meeting::normalize_code(&kode) {
        Some(code) => match store.meeting_by_code(&code).await {
            Ok(s) => Some(s),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let Some(s) = sealed else {
        let page = VerifyPage {
            ctx,
            kode,
            found: Some(None),
        };
        return Ok((StatusCode::NOT_FOUND, page).into_response());
    };
    let addenda = store.addenda(s.meeting.id).await?;
    let summary = meeting::summarize(&s.record);
    // The record's own seal, and the village's whole chain.
    let seals = store.check_meeting_seals(s.meeting.id).await?;
    let mut problems = seals.problems();
    for (_, _, p) in store.verify_seals(Some(s.meeting.village_id)).await? {
        if !problems.contains(&p) {
            problems.push(p);
        }
    }
    let (seal_problems, seal_key) = crate::domain::seal::summary(&problems, seals.key_id());
    Ok(VerifyPage {
        ctx,
        kode,
        found: Some(Some(Found {
            slug: s.village_slug,
            m: s.meeting,
            record: s.record,
            summary,
            intact: s.intact && seal_problems.is_empty(),
            addenda,
            seal_problems,
            seal_key,
        })),
    }
    .into_response())
}
