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
    /// Whether what a proposal's page shows besides its row is kept until its village
    /// changes (`MUSDES_KEEP_RECORDS=0`: read afresh on every view); see
    /// `web::cache::records`.
    pub keep_records: bool,
    /// The installation's public address (`https://musdes.example.go.id`, no trailing
    /// slash): printed documents carry it, as the QR code of their verification page.
    pub public_url: Option<String>,
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
            keep_records: true,
            public_url: None,
        }
    }
}

impl Config {
    /// Reads `MUSDES_SECURE_COOKIES`, `MUSDES_TRUST_PROXY`, `MUSDES_SESSION_IDLE_MINUTES` and
    /// `MUSDES_BENCH_STATIC_DIR`, `MUSDES_METRICS_TTL_SECONDS`, `MUSDES_PAGE_CACHE_SECONDS`,
    /// `MUSDES_KEEP_RECORDS` and `MUSDES_PUBLIC_URL`.
    pub fn from_env() -> Config {
        let flag = |name: &str| {
            std::env::var(name).is_ok_and(|v| matches!(v.as_str(), "1" | "true" | "yes"))
        };
        let mut c = Config {
            secure_cookies: flag("MUSDES_SECURE_COOKIES"),
            trust_proxy: flag("MUSDES_TRUST_PROXY"),
            bench_static: std::env::var_os("MUSDES_BENCH_STATIC_DIR").map(Into::into),
            keep_records: !std::env::var("MUSDES_KEEP_RECORDS")
                .is_ok_and(|v| matches!(v.as_str(), "0" | "false" | "no")),
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
        if let Ok(raw) = std::env::var("MUSDES_PUBLIC_URL") {
            c.public_url = public_url(&raw);
            if c.public_url.is_none() && !raw.trim().is_empty() {
                tracing::warn!(
                    value = %raw,
                    "MUSDES_PUBLIC_URL is not an http(s) address; printed documents carry no QR code"
                );
            }
        }
        c
    }
}

/// An installation's public address as configured: an absolute http(s) URL with a host
/// and no query, kept without its trailing slash. `None` for anything else.
pub fn public_url(raw: &str) -> Option<String> {
    let url = url::Url::parse(raw.trim()).ok()?;
    let fine = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some()
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty();
    fine.then(|| url.as_str().trim_end_matches('/').to_string())
}

/// Where the signing key is kept: `MUSDES_SIGNING_KEY_FILE`, else beside an SQLite
/// database (`musdes.db` → `musdes.db-signing.key`), else `musdes-signing.key` in the
/// working directory.
pub fn key_path(database_url: &str) -> std::path::PathBuf {
    if let Some(p) = std::env::var_os("MUSDES_SIGNING_KEY_FILE").filter(|p| !p.is_empty()) {
        return p.into();
    }
    let file = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or(rest))
        .filter(|f| !f.is_empty() && !f.contains(":memory:"));
    match file {
        Some(f) => format!("{f}-signing.key").into(),
        None => "musdes-signing.key".into(),
    }
}

/// Reads the keyring from `path`, or makes a new key there (readable by its owner only)
/// when the file does not exist yet.
pub fn load_or_create_keys(path: &std::path::Path) -> Result<crate::domain::seal::Keyring, String> {
    use crate::domain::seal;
    match std::fs::read_to_string(path) {
        Ok(text) => {
            seal::parse_keyfile(&text).map_err(|e| format!("signing key {}: {e}", path.display()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let keys = seal::Keyring::generate();
            write_keys(path, &keys, true)?;
            tracing::warn!(path = %path.display(), key = %keys.current().key_id,
                "made a new signing key: back it up (see README, Seals)");
            Ok(keys)
        }
        Err(e) => Err(format!("cannot read signing key {}: {e}", path.display())),
    }
}

/// Writes the keyring to `path` with mode 0600 (`new`: refuse to replace a file).
pub fn write_keys(
    path: &std::path::Path,
    keys: &crate::domain::seal::Keyring,
    new: bool,
) -> Result<(), String> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if new {
        options.create_new(true);
    } else {
        options.create(true).truncate(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| format!("cannot write signing key {}: {e}", path.display()))?;
    file.write_all(crate::domain::seal::keyfile_text(keys).as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("cannot write signing key {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_public_address_is_an_absolute_web_address() {
        use super::public_url;
        assert_eq!(
            public_url(" https://musdes.purbalinggakab.go.id/ ").as_deref(),
            Some("https://musdes.purbalinggakab.go.id")
        );
        assert_eq!(
            public_url("http://10.0.0.5:3000/desa-app").as_deref(),
            Some("http://10.0.0.5:3000/desa-app")
        );
        for bad in [
            "",
            "musdes.desa.id",
            "ftp://x.id",
            "javascript:alert(1)",
            "https://x.id/?a=1",
        ] {
            assert_eq!(public_url(bad), None, "{bad}");
        }
    }
}
