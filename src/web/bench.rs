//! For the benchmark harness only (`MUSDES_BENCH_STATIC_DIR`): files of one folder served
//! from memory under `/bench-static/{name}`, through the same middleware as every page —
//! the fastest this process can answer the same bytes, to compare the pages with.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

#[derive(Clone)]
struct Files {
    dir: PathBuf,
    loaded: Arc<RwLock<HashMap<String, Bytes>>>,
}

pub fn routes<S: Clone + Send + Sync + 'static>(dir: PathBuf) -> Router<S> {
    let files = Files {
        dir,
        loaded: Arc::default(),
    };
    Router::new()
        .route("/bench-static/{name}", get(file))
        .with_state(files)
}

async fn file(State(files): State<Files>, Path(name): Path<String>) -> Response {
    let safe = !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if !safe {
        return StatusCode::NOT_FOUND.into_response();
    }
    let cached = files.loaded.read().ok().and_then(|m| m.get(&name).cloned());
    let body = match cached {
        Some(b) => b,
        None => match tokio::fs::read(files.dir.join(&name)).await {
            Ok(bytes) => {
                let b = Bytes::from(bytes);
                if let Ok(mut m) = files.loaded.write() {
                    m.insert(name.clone(), b.clone());
                }
                b
            }
            Err(_) => return StatusCode::NOT_FOUND.into_response(),
        },
    };
    let kind = if name.ends_with(".json") {
        "application/json"
    } else {
        "text/html; charset=utf-8"
    };
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}
