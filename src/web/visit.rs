//! A visit to one village (`/desa/{slug}/…`): the visitor's context and the village,
//! loaded in one place; an unknown village is 404. What the visitor may do there is
//! asked with [`InVillage::actor`]. A proposal's and a meeting's pages have visits of
//! their own that load the record as well (`proposals::page::Visit`,
//! `meetings::page::Visit`).

use std::collections::HashMap;

use axum::extract::{FromRef, FromRequestParts, Path};
use axum::http::request::Parts;

use super::AppState;
use super::error::{AppError, AppResult};
use super::page::Ctx;
use crate::domain::access::Action;
use crate::store::villages::Village;
use crate::store::{Actor, Store};

pub struct InVillage {
    pub store: Store,
    pub ctx: Ctx,
    pub village: Village,
}

impl<S> FromRequestParts<S> for InVillage
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        Ok(InVillage::with_path(parts, state).await?.0)
    }
}

impl InVillage {
    /// The visit, and the path's other parameters (`number`, `id`, …) for an extractor
    /// that loads a record of the village as well.
    pub async fn with_path<S>(
        parts: &mut Parts,
        state: &S,
    ) -> Result<(InVillage, HashMap<String, String>), AppError>
    where
        S: Send + Sync,
        AppState: FromRef<S>,
    {
        let Path(path) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::BadRequest)?;
        let slug = path.get("slug").ok_or(AppError::NotFound)?;
        let ctx = Ctx::from_request_parts(parts, state).await?;
        let store = AppState::from_ref(state).store.clone();
        let village = store.village_by_slug(slug).await?;
        let visit = InVillage {
            store,
            ctx,
            village,
        };
        Ok((visit, path))
    }

    /// Its parts, for a handler that uses them apart.
    pub fn into_parts(self) -> (Store, Ctx, Village) {
        (self.store, self.ctx, self.village)
    }

    /// The person doing `action` in this village; anyone else is sent to log in or
    /// refused (403).
    pub fn actor(&self, action: Action) -> AppResult<Actor> {
        Ok(self.ctx.authorize(action, Some(self.village.id))?.actor())
    }
}
