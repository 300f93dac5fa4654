//! Engagement metrics: the statistics page with its charts and tables, and the village's
//! summary in open data.

use crate::web::paths;
use std::sync::Arc;

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{NaiveDate, Utc};

use super::cache::MetricsCache;
use super::error::{AppError, AppResult};

use super::i18n::Lang;
use super::page::Ctx;
use super::routes::Routes;
use crate::domain::FieldErrors;
use crate::domain::metrics::{self, Metrics, Period};
use crate::domain::proposal::Level;
use crate::domain::village::Timezone;
use crate::store::Store;
use crate::store::villages::Village;

pub fn routes() -> Routes {
    Routes::new()
        .route(crate::web::paths::STATS, get(page))
        .route(crate::web::paths::API_VILLAGE, get(api))
        .route(crate::web::paths::COMPARE, get(compare))
}

/// A horizontal bar chart drawn on the server: one row per label, the label on a line of
/// its own above its bar and the count just after the bar, so no text meets another.
pub struct Chart {
    pub bars: Vec<Bar>,
    /// The SVG's height in its own units.
    pub height: i64,
}

pub struct Bar {
    pub label: String,
    pub count: i64,
    /// 0–[`BAR_UNITS`] units.
    pub width: i64,
    pub y: i64,
}

/// The longest bar, leaving room after it for a count of a few digits in the 320 units.
pub const BAR_UNITS: i64 = 260;
/// One row: the label line, then the bar.
const ROW: i64 = 40;

impl Chart {
    pub fn of(items: Vec<(String, i64)>) -> Chart {
        let most = items.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
        let bars: Vec<Bar> = items
            .into_iter()
            .enumerate()
            .map(|(i, (label, count))| Bar {
                label,
                count,
                width: count * BAR_UNITS / most,
                y: i as i64 * ROW,
            })
            .collect();
        Chart {
            height: bars.len() as i64 * ROW + 4,
            bars,
        }
    }

    /// The ladder's five levels with their counts, `inform` first.
    pub fn ladder(ctx: &Ctx, counts: [i64; 5]) -> Chart {
        Chart::of(
            Level::ALL
                .into_iter()
                .zip(counts)
                .map(|(l, n)| (format!("{}. {}", l.rank(), ctx.tk("level", l.code())), n))
                .collect(),
        )
    }
}

/// `value` in units of 1/`scale` as a decimal the reader writes: `1,5` or `1.5`.
pub fn decimal(lang: Lang, value: i64, scale: i64) -> String {
    let digits = scale.ilog10() as usize;
    let whole = value / scale;
    let part = (value % scale).abs();
    let sep = if lang == Lang::ID { ',' } else { '.' };
    format!("{whole}{sep}{part:0digits$}")
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct PeriodQuery {
    pub from: String,
    pub to: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "stats/page.html")]
struct StatsPage {
    ctx: Ctx,
    village: Village,
    query: PeriodQuery,
    errors: FieldErrors,
    period: Option<Period>,
    m: Option<Metrics>,
    levels: [i64; 5],
    statuses: Vec<(String, i64)>,
    pledges: crate::domain::ladder::PledgeTally,
    needs: crate::store::needs::NeedTally,
}

impl StatsPage {
    fn answer_time(&self, minutes: &i64) -> String {
        let (key, n) = crate::domain::metrics::answer_time(*minutes);
        self.ctx.count(key, n)
    }
    fn d(&self, value: &i64, scale: i64) -> String {
        decimal(self.ctx.lang, *value, scale)
    }
    fn gender_chart(&self, m: &Metrics) -> Chart {
        Chart::of(vec![
            (self.ctx.t("meeting.men").to_string(), m.men),
            (self.ctx.t("meeting.women").to_string(), m.women),
        ])
    }
    fn ladder_chart(&self) -> Chart {
        Chart::ladder(&self.ctx, self.levels)
    }
    fn status_chart(&self) -> Chart {
        Chart::of(
            self.statuses
                .iter()
                .map(|(s, n)| (self.ctx.tk("status", s).to_string(), *n))
                .collect(),
        )
    }
    fn coverage_chart(&self, m: &Metrics) -> Chart {
        Chart::of(vec![
            (
                self.ctx.t("stats.groups_heard").to_string(),
                m.groups_heard.len() as i64,
            ),
            (
                self.ctx.t("stats.groups_never_heard").to_string(),
                m.groups_never_heard.len() as i64,
            ),
        ])
    }
    fn dusun_label(&self, hamlet: &str) -> String {
        format!("{} {hamlet}", self.ctx.t("proposal.dusun"))
    }
    fn empty(&self, m: &Metrics) -> bool {
        m.participants == 0
            && m.feedback == 0
            && m.ratings == 0
            && m.satisfaction.overall.ratings == 0
    }
    fn period_start(&self) -> String {
        period_end_value(self.period.map(|p| p.from), &self.query.from)
    }
    fn period_end(&self) -> String {
        period_end_value(self.period.map(|p| p.to), &self.query.to)
    }
}

/// One end of the period for its date field: as read, or as typed when it could not be.
fn period_end_value(read: Option<NaiveDate>, typed: &str) -> String {
    read.map_or_else(|| typed.to_string(), |d| d.to_string())
}

async fn metrics_for(
    store: &Store,
    cache: &MetricsCache,
    village: &Village,
    period: &Period,
) -> AppResult<Metrics> {
    let tz = Timezone::parse(&village.timezone).unwrap_or_default().tz();
    let (from, to) = period.bounds(tz);
    // Readers asking at the same moment wait for one computation.
    cache
        .try_get_with((village.id, period.from, period.to), async {
            let facts = store
                .metrics_facts(village.id, village.population, from, to)
                .await?;
            Ok::<_, crate::store::StoreError>(Arc::new(metrics::compute(&facts)))
        })
        .await
        .map(|m| (*m).clone())
        .map_err(|e| super::error::AppError::Internal(anyhow::anyhow!("metrics: {e}")))
}

async fn page(
    State(store): State<Store>,
    State(cache): State<MetricsCache>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(query): Query<PeriodQuery>,
) -> AppResult<Response> {
    let village = store.village_by_slug(&slug).await?;
    let levels = store.level_distribution(village.id).await?;
    let statuses = store.status_counts(village.id).await?;
    let pledges = store.pledge_tally(village.id).await?;
    let needs = store.need_tally(village.id, Utc::now()).await?;
    let (status, period, m, errors) = match Period::parse(&query.from, &query.to, village.today()) {
        Ok(p) => {
            let m = metrics_for(&store, &cache, &village, &p).await?;
            (StatusCode::OK, Some(p), Some(m), FieldErrors::new())
        }
        Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, None, None, errors),
    };
    let page = StatsPage {
        ctx,
        village,
        query,
        errors,
        period,
        m,
        levels,
        statuses,
        pledges,
        needs,
    };
    Ok((status, page).into_response())
}

/// The village's summary and its metrics for a period (the year so far by default).
async fn api(
    State(store): State<Store>,
    State(cache): State<MetricsCache>,
    Path(slug): Path<String>,
    Query(query): Query<PeriodQuery>,
) -> AppResult<Response> {
    let village = store.village_by_slug(&slug).await?;
    let period = match Period::parse(&query.from, &query.to, village.today()) {
        Ok(p) => p,
        Err(errors) => {
            let fields: serde_json::Map<String, serde_json::Value> = errors
                .iter()
                .map(|(f, m)| (f.to_string(), Lang::EN.t(m).into()))
                .collect();
            let body = serde_json::json!({ "errors": fields });
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response());
        }
    };
    let m = metrics_for(&store, &cache, &village, &period).await?;
    let levels = store.level_distribution(village.id).await?;
    let statuses: serde_json::Map<String, serde_json::Value> = store
        .status_counts(village.id)
        .await?
        .into_iter()
        .map(|(s, n)| (s, n.into()))
        .collect();
    let ladder: serde_json::Map<String, serde_json::Value> = Level::ALL
        .into_iter()
        .zip(levels)
        .map(|(l, n)| (l.code().to_string(), n.into()))
        .collect();
    let groups = store.list_groups(village.id).await?.len();
    let pledges = store.pledge_tally(village.id).await?;
    let mut metrics = serde_json::to_value(&m).map_err(|e| AppError::Internal(e.into()))?;
    if let serde_json::Value::Object(fields) = &mut metrics {
        fields.extend(contract_metrics(&m, &pledges));
    }
    Ok(Json(serde_json::json!({
        "slug": village.slug,
        "name": village.name,
        "code": village.code,
        "kecamatan": village.kecamatan,
        "kabupaten": village.kabupaten,
        "provinsi": village.provinsi,
        "population": village.population,
        "households": village.households,
        "hamlets": village.hamlets,
        "groups": groups,
        "proposals": { "by_level": ladder, "by_status": statuses },
        "period": { "from": period.from, "to": period.to },
        "metrics": metrics,
        "url": crate::web::paths::village(&village.slug),
    }))
    .into_response())
}

/// The metrics under the names the outside contract gives them (beside the fuller ones):
/// satisfaction after meetings, concerns acted on, pledges kept, and the voices by group
/// and by dusun with their warning.
fn contract_metrics(
    m: &Metrics,
    pledges: &crate::domain::ladder::PledgeTally,
) -> serde_json::Map<String, serde_json::Value> {
    let json = serde_json::json!({
        "meeting_satisfaction": m.satisfaction,
        "concerns_acted_on": {
            "concerns": m.concerns,
            "answered": m.concerns_answered,
            "acted": m.concerns_acted,
            "answered_and_acted": m.concerns_answered_and_acted,
            "percent": m.concerns_answered_and_acted_percent,
        },
        "pledges_kept": {
            "pledged": pledges.pledged,
            "delivered": pledges.delivered,
            "partly": pledges.partly,
            "not_delivered": pledges.not_delivered,
            "open": pledges.open(),
            "percent": pledges.kept_percent(),
        },
        "voices_by_group": {
            "shares": m.voices.by_group,
            "warning": m.voices.by_group.iter().any(|v| v.over),
        },
        "voices_by_dusun": {
            "shares": m.voices.by_hamlet,
            "warning": m.voices.by_hamlet.iter().any(|v| v.over),
        },
    });
    match json {
        serde_json::Value::Object(fields) => fields,
        _ => serde_json::Map::new(),
    }
}

// ---------- villages side by side ----------

/// How the comparison is sorted: a metric, most engaged first, or the name.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
struct CompareQuery {
    from: String,
    to: String,
    sort: String,
}

/// The columns the comparison sorts by (query value, catalogue key).
const SORTS: [(&str, &str); 6] = [
    ("nama", "village.name"),
    ("peserta", "stats.participants"),
    ("partisipasi", "stats.rate"),
    ("perempuan", "meeting.women_share"),
    ("gini", "stats.gini"),
    ("dijawab", "stats.concerns_answered"),
];

/// The most villages compared on one page; an installation this large wants the
/// benchmark issue's precomputed figures.
const COMPARE_LIMIT: i64 = 1000;

#[derive(Template, WebTemplate)]
#[template(path = "stats/compare.html")]
struct ComparePage {
    ctx: Ctx,
    query: CompareQuery,
    errors: FieldErrors,
    period: Option<Period>,
    rows: Vec<(Village, Metrics)>,
}

impl ComparePage {
    fn sorts(&self) -> &'static [(&'static str, &'static str)] {
        &SORTS
    }
    fn sort_href(&self, sort: &str) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [("from", &self.query.from), ("to", &self.query.to)] {
            if !v.is_empty() {
                s.append_pair(k, v);
            }
        }
        s.append_pair("sort", sort);
        format!("{}?{}", crate::web::paths::COMPARE, s.finish())
    }
    fn sorted_by(&self, sort: &str) -> bool {
        self.query.sort == sort || (self.query.sort.is_empty() && sort == "peserta")
    }
    fn d(&self, value: &i64, scale: i64) -> String {
        decimal(self.ctx.lang, *value, scale)
    }
    fn period_start(&self) -> String {
        period_end_value(self.period.map(|p| p.from), &self.query.from)
    }
    fn period_end(&self) -> String {
        period_end_value(self.period.map(|p| p.to), &self.query.to)
    }
}

/// Orders villages by one figure, the most engaged first; a village without the figure
/// (no adults recorded, no concerns) goes last. Gini sorts the most even first.
fn sort_rows(rows: &mut [(Village, Metrics)], sort: &str) {
    let key = |m: &Metrics| -> Option<i64> {
        match sort {
            "partisipasi" => m.participation_per_mille,
            "perempuan" => m.women_percent,
            "gini" => m.gini_hundredths.map(|g| -g),
            "dijawab" => m.concerns_answered_percent,
            _ => Some(m.participants),
        }
    };
    if sort == "nama" {
        rows.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    } else {
        rows.sort_by(|a, b| {
            key(&b.1)
                .cmp(&key(&a.1))
                .then_with(|| a.0.name.cmp(&b.0.name))
        });
    }
}

/// Every village of the installation on the same figures, for a kabupaten to see which
/// villages engage their residents and which do not.
async fn compare(
    State(store): State<Store>,
    State(cache): State<MetricsCache>,
    ctx: Ctx,
    Query(query): Query<CompareQuery>,
) -> AppResult<Response> {
    let today = Utc::now()
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .date_naive();
    let period = match Period::parse(&query.from, &query.to, today) {
        Ok(p) => p,
        Err(errors) => {
            let page = ComparePage {
                ctx,
                query,
                errors,
                period: None,
                rows: Vec::new(),
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let mut rows = Vec::new();
    for village in store.list_villages(COMPARE_LIMIT, 0).await? {
        let m = metrics_for(&store, &cache, &village, &period).await?;
        rows.push((village, m));
    }
    sort_rows(&mut rows, &query.sort);
    Ok(ComparePage {
        ctx,
        query,
        errors: FieldErrors::new(),
        period: Some(period),
        rows,
    }
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_written_as_the_reader_writes_them() {
        assert_eq!(decimal(Lang::ID, 150, 100), "1,50");
        assert_eq!(decimal(Lang::EN, 43, 10), "4.3");
        assert_eq!(decimal(Lang::ID, 4, 10), "0,4");
        assert_eq!(decimal(Lang::ID, 75, 100), "0,75");
    }

    #[test]
    fn bars_scale_to_the_largest_and_never_divide_by_zero() {
        let c = Chart::of(vec![("a".into(), 2), ("b".into(), 1), ("c".into(), 0)]);
        let w: Vec<i64> = c.bars.iter().map(|b| b.width).collect();
        assert_eq!(w, [260, 130, 0]);
        assert_eq!(c.height, 124);
        let empty = Chart::of(vec![("a".into(), 0)]);
        assert_eq!(empty.bars[0].width, 0);
    }
}
