//! Paper as a way in: a blank attendance sheet (daftar hadir) to print and pass round the
//! hall, and the invitation letter (surat undangan) to each invited group. Both are in
//! Bahasa Indonesia, like the berita acara, and carry a QR code to the meeting's page when
//! the installation's public address is configured.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query};
use uuid::Uuid;

use super::page::{Visit, current_record};
use crate::domain::meeting::{Record, RecordGroup};
use crate::store::meetings::Meeting;
use crate::web::error::{AppError, AppResult};
use crate::web::filters::{clock, long_date};
use crate::web::i18n::Lang;
use crate::web::page::Ctx;
use crate::web::paths;

/// Lines on a blank sheet unless asked otherwise, and the most it prints.
const SHEET_LINES: usize = 40;
const MOST_LINES: usize = 200;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct SheetQuery {
    /// How many lines to print (`baris`); anything unreadable gives the usual 40.
    baris: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "meetings/paper.html")]
pub(super) struct PaperPage {
    ctx: Ctx,
    village_slug: String,
    m: Meeting,
    record: Record,
    /// The invitation letter's group; `None` for the blank attendance sheet.
    group: Option<RecordGroup>,
    lines: usize,
    /// The meeting page's full address and its QR code, when the public address is set.
    meeting_url: Option<String>,
    qr: Option<String>,
    /// On the blank sheet printed by the village's staff: the rating code, and the rating
    /// form's address with its QR code (when the public address is set).
    rating: Option<SheetRating>,
}

pub(super) struct SheetRating {
    code: String,
    url: Option<String>,
    qr: Option<String>,
}

impl PaperPage {
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
    fn kind_title(&self) -> &'static str {
        self.ctx.tk("meeting_kind_formal", &self.record.kind)
    }
    fn rows(&self) -> std::ops::RangeInclusive<usize> {
        1..=self.lines
    }
    /// `Majasari, 3 Desember 2026` under the signature, dated by the meeting's day.
    fn place_date(&self) -> String {
        let date = self.date();
        let date = date.split_once(", ").map_or(date.as_str(), |(_, d)| d);
        format!("{}, {date}", self.record.village.name)
    }
}

async fn paper(visit: Visit, group: Option<Uuid>, lines: usize) -> AppResult<PaperPage> {
    let Visit {
        store,
        mut ctx,
        village,
        m,
        ..
    } = visit;
    let (record, _) = current_record(&store, &village, &m).await?;
    let group = match group {
        Some(id) => Some(
            record
                .invited_groups
                .iter()
                .find(|g| g.id == id)
                .cloned()
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    ctx.lang = Lang::ID;
    let staff = ctx.may(
        crate::domain::access::Action::RecordMeetings,
        Some(village.id),
    );
    let rating = match store.rating_code(m.id).await? {
        Some(code) if staff && group.is_none() => {
            let url = ctx.full_url(&super::rating::rating_href(&village.slug, m.id, &code));
            let qr = url.as_deref().and_then(crate::web::qr::svg);
            Some(SheetRating {
                code: crate::domain::rating::printed_code(&code),
                url,
                qr,
            })
        }
        _ => None,
    };
    let meeting_url = ctx.full_url(&paths::meeting(&village.slug, m.id));
    let qr = meeting_url.as_deref().and_then(crate::web::qr::svg);
    Ok(PaperPage {
        ctx,
        village_slug: village.slug,
        m,
        record,
        group,
        lines,
        meeting_url,
        qr,
        rating,
    })
}

/// The blank daftar hadir: columns for name, L/P, group, dusun and signature.
pub(super) async fn blank_sheet(visit: Visit, Query(q): Query<SheetQuery>) -> AppResult<PaperPage> {
    let lines = q
        .baris
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=MOST_LINES).contains(n))
        .unwrap_or(SHEET_LINES);
    paper(visit, None, lines).await
}

/// The invitation letter to one group the meeting invited; any other group is 404.
pub(super) async fn letter(
    visit: Visit,
    Path((_, _, group)): Path<(String, String, String)>,
) -> AppResult<PaperPage> {
    let group = group.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    paper(visit, Some(group), 0).await
}
