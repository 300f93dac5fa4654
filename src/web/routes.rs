//! The route table: every route is added through [`Routes`], which builds the router and
//! keeps the list of paths beside it, so that tests can go over every route there is
//! (the access matrix, the bad-input table) and fail when one is added without them.

use axum::Router;
use axum::routing::MethodRouter;

use super::AppState;

/// A router and the paths it serves, as written (`/desa/{slug}/usulan/{number}`).
#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    paths: Vec<String>,
}

impl Routes {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn route(mut self, path: &str, methods: MethodRouter<AppState>) -> Self {
        self.router = self.router.route(path, methods);
        self.paths.push(path.to_string());
        self
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.paths.extend(other.paths);
        self
    }

    /// A router built elsewhere (with a state of its own) that serves `path`.
    pub fn merge_router(mut self, path: &str, router: Router<AppState>) -> Self {
        self.router = self.router.merge(router);
        self.paths.push(path.to_string());
        self
    }

    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}
