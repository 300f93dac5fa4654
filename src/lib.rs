//! musdes: village development planning (musyawarah desa) with an evidence-based
//! engagement ladder. `domain` decides, `store` remembers, `web` talks HTTP.

pub mod config;
pub mod demo;
pub use musdes_domain as domain;
pub mod generate;
pub mod store;
pub mod web;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

pub use web::{AppState, app};

/// Serves the application on `listener` until `shutdown` resolves, then lets the
/// requests in flight finish (each is bounded by the request timeout).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let store = state.store.clone();
    // Expired sessions are swept hourly; every server may do it, the delete is idempotent.
    let sweeper = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            if let Err(e) = store.delete_expired_sessions().await {
                tracing::warn!(error = %e, "session sweep failed");
            }
        }
    });
    let result = axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    sweeper.abort();
    result
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("stop signal received; finishing requests in flight");
}
