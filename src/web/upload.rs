//! Uploaded photos, cleaned off the async threads.

use super::error::{AppError, AppResult};
use crate::domain::implementation::{self};

/// Decodes and re-encodes a photo off the async threads, one at a time: a large picture
/// takes a core and up to 160 MB while it is drawn.
pub async fn clean_photo(
    bytes: axum::body::Bytes,
) -> AppResult<Result<(&'static str, Vec<u8>), &'static str>> {
    static DRAWING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);
    let _turn = DRAWING
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    tokio::task::spawn_blocking(move || implementation::clean_photo(&bytes))
        .await
        .map_err(|e| AppError::Internal(e.into()))
}
