//! The filtered, sorted list of a village's proposals.

use crate::web::paths;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};

use super::PER_PAGE;
use crate::domain::access::Action;
use crate::domain::proposal::{self, Bidang, Level, Status};
use crate::store::Store;
use crate::store::proposals::{Proposal, ProposalFilter, Sort};
use crate::store::villages::Village;
use crate::web::error::AppResult;
use crate::web::filters;
use crate::web::page::Ctx;
use crate::web::paging::split_page;

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub(super) q: String,
    pub(super) bidang: String,
    pub(super) status: String,
    pub(super) tingkat: String,
    pub(super) dusun: String,
    pub(super) sort: String,
    pub(super) page: String,
    pub(super) per_page: String,
}

impl ListQuery {
    pub(super) fn page(&self) -> i64 {
        self.page
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=100_000).contains(p))
            .unwrap_or(1)
    }

    /// Unknown filter values are ignored rather than refused: a stale link still lists.
    pub(super) fn filter(&self, include_pending: bool) -> ProposalFilter {
        let nonempty = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        ProposalFilter {
            terms: proposal::search_terms(&self.q),
            bidang: Bidang::parse(&self.bidang).map(|b| b.code().to_string()),
            status: Status::parse(&self.status)
                .filter(|s| include_pending || *s != Status::Pending)
                .map(|s| s.code().to_string()),
            level: Level::parse(&self.tingkat).map(Level::rank),
            hamlet: nonempty(&self.dusun),
            include_pending,
        }
    }

    pub(super) fn sort(&self) -> Sort {
        match self.sort.as_str() {
            "dukungan" => Sort::MostSupported,
            "tingkat" => Sort::Level,
            _ => Sort::Newest,
        }
    }

    /// This query on another page, for the pager links.
    pub(super) fn href(&self, page: i64) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("q", &self.q),
            ("bidang", &self.bidang),
            ("status", &self.status),
            ("tingkat", &self.tingkat),
            ("dusun", &self.dusun),
            ("sort", &self.sort),
        ] {
            if !v.is_empty() {
                s.append_pair(k, v);
            }
        }
        s.append_pair("page", &page.to_string());
        format!("?{}", s.finish())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "proposals/list.html")]
pub(super) struct ListPage {
    ctx: Ctx,
    village: Village,
    query: ListQuery,
    proposals: Vec<Proposal>,
    page: i64,
    has_next: bool,
    may_submit_for_others: bool,
}

impl ListPage {
    fn bidang(&self) -> [Bidang; 5] {
        Bidang::ALL
    }
    fn statuses(&self) -> Vec<Status> {
        Status::ALL
            .into_iter()
            .filter(|s| *s != Status::Pending || self.may_submit_for_others)
            .collect()
    }
    fn levels(&self) -> [Level; 5] {
        Level::ALL
    }
    /// Whether any filter besides the words is set (then the filters start unfolded).
    fn filtered(&self) -> bool {
        let q = &self.query;
        [&q.bidang, &q.status, &q.tingkat, &q.dusun, &q.sort]
            .iter()
            .any(|v| !v.is_empty())
    }
    fn prev_href(&self) -> String {
        self.query.href(self.page - 1)
    }
    fn next_href(&self) -> String {
        self.query.href(self.page + 1)
    }
}

pub(super) async fn list(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(query): Query<ListQuery>,
) -> AppResult<ListPage> {
    let village = store.village_by_slug(&slug).await?;
    let staff = ctx.may(Action::RecordMeetings, Some(village.id));
    let page = query.page();
    let rows = store
        .list_proposals(
            village.id,
            &query.filter(staff),
            query.sort(),
            PER_PAGE + 1,
            (page - 1) * PER_PAGE,
        )
        .await?;
    let (proposals, has_next) = split_page(rows, PER_PAGE);
    Ok(ListPage {
        ctx,
        village,
        query,
        proposals,
        page,
        has_next,
        may_submit_for_others: staff,
    })
}
