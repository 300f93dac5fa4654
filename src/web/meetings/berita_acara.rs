//! The berita acara: the meeting's record as a printable page with its verification
//! code and QR.

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use chrono::{DateTime, Utc};

use super::page::{Visit, current_record, seal_view};
use crate::domain::meeting::{self, Record, Summary};
use crate::store::meetings::{Addendum, Meeting};
use crate::web::error::AppResult;
use crate::web::filters::{clock, long_date};
use crate::web::i18n::Lang;
use crate::web::page::Ctx;

#[derive(Template, WebTemplate)]
#[template(path = "meetings/berita_acara.html")]
pub(super) struct BeritaAcara {
    ctx: Ctx,
    village_slug: String,
    m: Meeting,
    record: Record,
    summary: Summary,
    addenda: Vec<Addendum>,
    seal_problems: Vec<&'static str>,
    seal_key: Option<String>,
    /// The full address of this record's verification page, when the installation's public
    /// address is configured, and its QR code (inline SVG).
    verify_url: Option<String>,
    qr: Option<String>,
}

impl BeritaAcara {
    /// `Majasari, 3 Desember 2026`: where and when the document was made.
    fn place_date(&self) -> String {
        let long = long_date(
            Lang::ID,
            &self.record.scheduled_at,
            &self.record.village.timezone,
        );
        let date = long.split_once(", ").map_or(long.as_str(), |(_, d)| d);
        format!("{}, {date}", self.record.village.name)
    }
    fn decision_words(&self, d: &meeting::RecordDecision) -> String {
        meeting::decision_words(d)
    }
    fn opening_key(&self) -> String {
        format!(
            "ba.opening.{}",
            meeting::stated_opening(&self.record, &self.summary).code()
        )
    }
    fn did_not_take_place(&self) -> bool {
        !meeting::stated_opening(&self.record, &self.summary).opened()
    }
    fn date(&self) -> String {
        long_date(
            Lang::ID,
            &self.record.scheduled_at,
            &self.record.village.timezone,
        )
    }
    fn time(&self) -> String {
        clock(&self.record.scheduled_at, &self.record.village.timezone)
    }
    fn code(&self) -> String {
        self.m
            .verification_code
            .as_deref()
            .map(meeting::display_code)
            .unwrap_or_default()
    }
    fn when(&self, at: &DateTime<Utc>) -> String {
        crate::web::filters::local_time(at, &self.record.village.timezone)
    }
    fn kind_title(&self) -> &'static str {
        self.ctx.tk("meeting_kind_formal", &self.record.kind)
    }
}

/// The formal document, always in Bahasa Indonesia; a draft until finalized.
pub(super) async fn berita_acara(
    State(config): State<std::sync::Arc<crate::config::Config>>,
    visit: Visit,
) -> AppResult<BeritaAcara> {
    let Visit {
        store,
        mut ctx,
        village,
        m,
        ..
    } = visit;
    let (record, _) = current_record(&store, &village, &m).await?;
    let summary = meeting::summarize(&record);
    let addenda = store.addenda(m.id).await?;
    let (seal_problems, seal_key) = seal_view(&store, &m).await?;
    ctx.lang = Lang::ID;
    let verify_url = match (&config.public_url, &m.verification_code) {
        (Some(base), Some(code)) => Some(format!(
            "{base}/verifikasi?kode={}",
            meeting::display_code(code)
        )),
        _ => None,
    };
    let qr = verify_url.as_deref().and_then(crate::web::qr::svg);
    Ok(BeritaAcara {
        ctx,
        village_slug: village.slug,
        m,
        record,
        summary,
        addenda,
        seal_problems,
        seal_key,
        verify_url,
        qr,
    })
}
