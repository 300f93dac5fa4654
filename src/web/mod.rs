//! HTTP: routers per feature, the middleware stack, extractors, errors and page contexts.

pub mod account;
pub mod admin;
pub mod auth;
pub mod bench;
pub mod cache;
pub mod cadres;
pub mod cookies;
pub mod csrf;
pub mod equity;
pub mod error;
pub mod filters;
pub mod groups;
pub mod i18n;
pub mod layers;
pub mod meetings;
pub mod needs;
pub mod network;
pub mod notice;
pub mod page;
pub mod paging;
pub mod paths;
pub mod plans;
pub mod proposals;
pub mod qr;
pub mod residents;
pub mod routes;
pub mod seals;
pub mod settings;
pub mod stats;
pub mod surveys;
pub mod upload;
pub mod villages;
pub mod visit;
pub mod worklist;

use std::sync::Arc;

use axum::Router;
use axum::extract::FromRef;

use crate::config::Config;
use crate::store::Store;

/// What every handler can reach; cheap to clone (one reference count: every middleware
/// layer of a request takes a copy).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What an [`AppState`] holds; each part is also a handler's `State<…>` of its own.
pub struct Shared {
    pub store: Store,
    pub config: Arc<Config>,
    pub metrics: cache::MetricsCache,
    pub waiting: cache::WaitingCache,
    pub planning: cache::PlanningCache,
    pub pages: cache::PageCache,
    pub records: cache::RecordCache,
    pub meetings: cache::MeetingCache,
}

impl AppState {
    pub fn new(store: Store, config: Config) -> Self {
        AppState(Arc::new(Shared {
            store,
            metrics: cache::metrics_cache(config.metrics_ttl),
            waiting: cache::waiting_cache(config.keep_records),
            planning: cache::planning_cache(config.keep_records),
            pages: cache::PageCache::new(config.page_cache_ttl),
            records: cache::records::record_cache(config.keep_records),
            meetings: cache::meeting_cache(config.keep_records),
            config: Arc::new(config),
        }))
    }
}

/// Each part of the state as a `State<…>` of its own.
macro_rules! parts {
    ($($field:ident: $ty:ty),* $(,)?) => {$(
        impl FromRef<AppState> for $ty {
            fn from_ref(state: &AppState) -> $ty {
                state.$field.clone()
            }
        }
    )*};
}

parts!(
    store: Store,
    config: Arc<Config>,
    metrics: cache::MetricsCache,
    waiting: cache::WaitingCache,
    planning: cache::PlanningCache,
    pages: cache::PageCache,
    records: cache::RecordCache,
    meetings: cache::MeetingCache,
);

/// Every route of the application, with its paths listed (see [`routes::Routes`]).
pub fn route_table(config: &Config) -> routes::Routes {
    let mut routes = routes::Routes::new()
        .merge(villages::routes())
        .merge(worklist::routes())
        .merge(residents::routes())
        .merge(proposals::routes())
        .merge(groups::routes())
        .merge(needs::routes())
        .merge(cadres::routes())
        .merge(surveys::routes())
        .merge(meetings::routes())
        .merge(settings::routes())
        .merge(stats::routes())
        .merge(equity::routes())
        .merge(network::routes())
        .merge(plans::routes())
        .merge(seals::routes())
        .merge(auth::routes())
        .merge(account::routes())
        .merge(admin::routes())
        .merge(layers::static_routes());
    if let Some(dir) = &config.bench_static {
        routes = routes.merge_router("/bench-static/{name}", bench::routes(dir.clone()));
    }
    routes
}

/// The whole application: every route behind the middleware stack.
pub fn app(state: AppState) -> Router {
    let routes = route_table(&state.config).into_router();
    layers::apply(routes.fallback(layers::not_found), state)
}
