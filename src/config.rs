//! Settings read from flags and the environment.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies `Secure` (set when served over HTTPS, e.g. behind a TLS proxy).
    pub secure_cookies: bool,
    /// Trust the last `X-Forwarded-For` hop as the client address (behind nginx).
    pub trust_proxy: bool,
    /// A session ends after this long without activity.
    pub session_idle: Duration,
    /// The longest a request may take before it is answered with 408.
    pub request_timeout: Duration,
    /// For the benchmark harness only: a folder served as plain files under
    /// `/bench-static/`, through the same middleware, as the speed limit to compare with.
    pub bench_static: Option<std::path::PathBuf>,
    /// How long a village's engagement figures for a period are reused before they are
    /// computed again (zero: every request computes them).
    pub metrics_ttl: Duration,
    /// How long a page served to anonymous readers is served again from memory (zero:
    /// never); see `web::page_cache`.
    pub page_cache_ttl: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: false,
            trust_proxy: false,
            session_idle: Duration::from_secs(12 * 3600),
            request_timeout: Duration::from_secs(30),
            bench_static: None,
            metrics_ttl: Duration::from_secs(60),
            page_cache_ttl: Duration::from_secs(2),
        }
    }
}

impl Config {
    /// Reads `MUSDES_SECURE_COOKIES`, `MUSDES_TRUST_PROXY`, `MUSDES_SESSION_IDLE_MINUTES` and
    /// `MUSDES_BENCH_STATIC_DIR`, `MUSDES_METRICS_TTL_SECONDS` and `MUSDES_PAGE_CACHE_SECONDS`.
    pub fn from_env() -> Config {
        let flag = |name: &str| {
            std::env::var(name).is_ok_and(|v| matches!(v.as_str(), "1" | "true" | "yes"))
        };
        let mut c = Config {
            secure_cookies: flag("MUSDES_SECURE_COOKIES"),
            trust_proxy: flag("MUSDES_TRUST_PROXY"),
            bench_static: std::env::var_os("MUSDES_BENCH_STATIC_DIR").map(Into::into),
            ..Config::default()
        };
        if let Some(m) = std::env::var("MUSDES_SESSION_IDLE_MINUTES")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
        {
            c.session_idle = Duration::from_secs(m.clamp(5, 60 * 24 * 30) * 60);
        }
        if let Some(s) = std::env::var("MUSDES_METRICS_TTL_SECONDS")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
        {
            c.metrics_ttl = Duration::from_secs(s.min(24 * 3600));
        }
        if let Some(s) = std::env::var("MUSDES_PAGE_CACHE_SECONDS")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
        {
            c.page_cache_ttl = Duration::from_secs(s.min(3600));
        }
        c
    }
}
