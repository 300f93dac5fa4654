//! The test harness: a fresh database per test on either backend, the real router, and
//! a client that keeps cookies and fills in CSRF tokens like a browser would.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use musdes::config::Config;
use musdes::domain::account::{Email, Role, hash_password};
use musdes::domain::village::VillageForm;
use musdes::store::Store;
use musdes::store::villages::Village;
use musdes::{AppState, app};
use tower::ServiceExt;
use uuid::Uuid;

pub const PASSWORD: &str = "sawah-hijau-2026";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub store: Store,
    pub router: Router,
    #[allow(dead_code)]
    pub backend: Backend,
    pub url: String,
    pub config: Config,
    pub cookies: BTreeMap<String, String>,
    pub client_ip: [u8; 4],
    _dir: Option<tempfile::TempDir>,
    pg_cleanup: Option<(String, String)>,
}

/// The PostgreSQL server for tests, if any. In CI it must be there.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var("MUSDES_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("CI").is_err(),
                "CI must set MUSDES_TEST_POSTGRES so every storage test runs on PostgreSQL"
            );
            eprintln!("MUSDES_TEST_POSTGRES not set: PostgreSQL variant skipped");
            None
        }
    }
}

/// A URL for a brand-new, empty PostgreSQL database on the test server.
pub async fn fresh_postgres_database() -> Option<(String, String, String)> {
    let admin = postgres_admin_url()?;
    Some(create_postgres_database(admin, None).await)
}

/// A URL for a brand-new PostgreSQL database with every migration applied: a copy of one
/// migrated template, so that each test does not run the migrations again.
pub async fn migrated_postgres_database() -> Option<(String, String, String)> {
    let admin = postgres_admin_url()?;
    let template = postgres_template(&admin).await;
    Some(create_postgres_database(admin, Some(template)).await)
}

/// A name that changes whenever a migration does: a template left by an earlier run with
/// other migrations is never used.
fn migrations_fingerprint(migrator: &sqlx::migrate::Migrator) -> String {
    use sha2::Digest;
    let mut hash = sha2::Sha256::new();
    for m in migrator.iter() {
        hash.update(m.version.to_le_bytes());
        hash.update(&*m.checksum);
    }
    hash.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The migrated template database on the test server, built once per test run (or taken
/// from an earlier run with the same migrations). Built under another name and renamed
/// when complete, so a run that dies halfway leaves no half-migrated template behind.
async fn postgres_template(admin: &str) -> String {
    use sqlx::Connection;
    static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let migrator = sqlx::migrate!("migrations/postgres");
            let name = format!("musdes_template_{}", migrations_fingerprint(&migrator));
            let mut conn = sqlx::PgConnection::connect(admin).await.unwrap();
            let exists: Option<i32> =
                sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
                    .bind(&name)
                    .fetch_optional(&mut conn)
                    .await
                    .unwrap();
            if exists.is_none() {
                let (url, _, building) = create_postgres_database(admin.to_string(), None).await;
                let mut target = sqlx::PgConnection::connect(&url).await.unwrap();
                migrator.run(&mut target).await.unwrap();
                target.close().await.unwrap();
                let rename = format!("ALTER DATABASE {building} RENAME TO {name}");
                if sqlx::query(sqlx::AssertSqlSafe(rename))
                    .execute(&mut conn)
                    .await
                    .is_err()
                {
                    // Another run finished the same template first.
                    let drop = format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)");
                    sqlx::query(sqlx::AssertSqlSafe(drop))
                        .execute(&mut conn)
                        .await
                        .unwrap();
                }
            }
            conn.close().await.ok();
            name
        })
        .await
        .clone()
}

async fn create_postgres_database(
    admin: String,
    template: Option<String>,
) -> (String, String, String) {
    use sqlx::Connection;
    let name = format!("musdes_test_{}", Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("connect to MUSDES_TEST_POSTGRES");
    let from = template.map_or(String::new(), |t| format!(" TEMPLATE {t}"));
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}{from}")))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.ok();
    let base = admin
        .rsplit_once('/')
        .map(|(b, _)| b.to_string())
        .unwrap_or(admin.clone());
    (format!("{base}/{name}"), admin, name)
}

/// A migrated SQLite database file at `path`: a copy of one migrated template file, kept
/// in Cargo's temporary directory under a name that changes with the migrations.
fn migrated_sqlite_database(path: &std::path::Path) {
    static TEMPLATE: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    let template = TEMPLATE.get_or_init(|| {
        let migrator = sqlx::migrate!("migrations/sqlite");
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
        let file = dir.join(format!("template-{}.db", migrations_fingerprint(&migrator)));
        if file.exists() {
            return file;
        }
        let building = dir.join(format!("building-{}.db", Uuid::new_v4().simple()));
        let url = format!("sqlite://{}", building.display());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                use sqlx::Connection;
                use std::str::FromStr;
                let options = sqlx::sqlite::SqliteConnectOptions::from_str(&url)
                    .unwrap()
                    .create_if_missing(true);
                let mut conn = sqlx::SqliteConnection::connect_with(&options)
                    .await
                    .unwrap();
                migrator.run(&mut conn).await.unwrap();
                conn.close().await.unwrap();
            });
        })
        .join()
        .unwrap();
        // Complete before it takes the template's name.
        std::fs::rename(&building, &file).unwrap();
        file
    });
    std::fs::copy(template, path).unwrap();
}

impl TestApp {
    pub async fn new(backend: Backend) -> Option<TestApp> {
        // Figures and pages are computed afresh on every request, so a test sees its own
        // writes, even those made straight through the store. Proposals' records are kept
        // as they are in production: kept exactly (by the village's revision), every test
        // that changes a proposal and reads its page checks that they are.
        let config = Config {
            metrics_ttl: std::time::Duration::ZERO,
            page_cache_ttl: std::time::Duration::ZERO,
            ..Config::default()
        };
        Self::with_config(backend, config).await
    }

    pub async fn with_config(backend: Backend, config: Config) -> Option<TestApp> {
        let (url, dir, pg_cleanup) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let file = dir.path().join("musdes.db");
                migrated_sqlite_database(&file);
                let url = format!("sqlite://{}", file.display());
                (url, Some(dir), None)
            }
            Backend::Postgres => {
                let (url, admin, name) = migrated_postgres_database().await?;
                (url, None, Some((admin, name)))
            }
        };
        let store = Store::connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        // The same key file the `musdes` processes of a test use for this database.
        let keys = musdes::config::load_or_create_keys(&test_key_path(&url)).unwrap();
        let store = store.with_keys(keys);
        let router = app(AppState::new(store.clone(), config.clone()));
        Some(TestApp {
            store,
            router,
            backend,
            url,
            config,
            cookies: BTreeMap::new(),
            client_ip: [10, 0, 0, 1],
            _dir: dir,
            pg_cleanup,
        })
    }

    /// Trusts what the key file holds now (as a restarted server would, after
    /// `musdes import` or `musdes key rotate` changed it).
    #[allow(dead_code)]
    pub fn reload_keys(&self) {
        let keys = musdes::config::load_or_create_keys(&test_key_path(&self.url)).unwrap();
        self.store.trust(keys.trusted()).unwrap();
    }

    /// Rebuilds the router with other settings, on the same database.
    pub fn set_config(&mut self, config: Config) {
        self.router = app(AppState::new(self.store.clone(), config.clone()));
        self.config = config;
    }

    /// Another app server on the same database, with no cookies of its own.
    pub fn second_server(&self) -> Router {
        app(AppState::new(self.store.clone(), self.config.clone()))
    }

    /// The `Cookie` header this client sends.
    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn forget_cookies(&mut self) {
        self.cookies.clear();
    }

    pub fn cookie(&self, name: &str) -> Option<&String> {
        self.cookies.get(name)
    }

    pub async fn send(&mut self, request: Request<Body>) -> Reply {
        let router = self.router.clone();
        self.send_to(router, request).await
    }

    pub async fn send_to(&mut self, router: Router, mut request: Request<Body>) -> Reply {
        if !self.cookies.is_empty() {
            request
                .headers_mut()
                .insert(header::COOKIE, self.cookie_header().parse().unwrap());
        }
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((self.client_ip, 40000))));
        let response = router.oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for set in headers.get_all(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            let (pair, attrs) = set.split_once(';').unwrap_or((set, ""));
            let (k, v) = pair.split_once('=').unwrap();
            let expired = attrs.to_ascii_lowercase().contains("max-age=0") || v.is_empty();
            if expired {
                self.cookies.remove(k.trim());
            } else {
                self.cookies
                    .insert(k.trim().to_string(), v.trim().to_string());
            }
        }
        let body = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
            bytes: body.len(),
            raw: body.to_vec(),
        }
    }

    /// Sends the same form `n` times at once with this client's cookies (a double click,
    /// a retry racing the first try); the answers' statuses and locations, in order.
    #[allow(dead_code)]
    pub async fn post_at_once(
        &self,
        path: &str,
        fields: &[(String, String)],
        n: usize,
    ) -> Vec<(StatusCode, String)> {
        let forms = vec![fields.to_vec(); n];
        self.post_each(path, &forms)
            .await
            .into_iter()
            .map(|(s, l, _)| (s, l))
            .collect()
    }

    /// Sends every form at once with this client's cookies (many browsers of one person);
    /// each answer's status, location and body, in the forms' order.
    pub async fn post_each(
        &self,
        path: &str,
        forms: &[Vec<(String, String)>],
    ) -> Vec<(StatusCode, String, String)> {
        let jar = self.cookie_header();
        let mut tasks = tokio::task::JoinSet::new();
        for (i, fields) in forms.iter().enumerate() {
            let body = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(fields)
                .finish();
            let mut request = Request::builder()
                .method(Method::POST)
                .uri(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, &jar)
                .body(Body::from(body))
                .unwrap();
            request
                .extensions_mut()
                .insert(ConnectInfo(SocketAddr::from((self.client_ip, 40000))));
            let router = self.router.clone();
            tasks.spawn(async move {
                let r = router.oneshot(request).await.unwrap();
                let status = r.status();
                let location = r
                    .headers()
                    .get(header::LOCATION)
                    .map(|v| v.to_str().unwrap().to_string())
                    .unwrap_or_default();
                let body = r.into_body().collect().await.unwrap().to_bytes();
                (
                    i,
                    status,
                    location,
                    String::from_utf8_lossy(&body).into_owned(),
                )
            });
        }
        let mut answers = tasks.join_all().await;
        answers.sort_by_key(|a| a.0);
        answers.into_iter().map(|(_, s, l, b)| (s, l, b)).collect()
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// Posts a form as typed, without adding a CSRF token.
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Posts a form with the session's CSRF token, as the page's own form would.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let token = self.csrf_token().await;
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// The token a form on the login page carries (the session's token).
    pub async fn csrf_token(&mut self) -> String {
        let page = if self.cookies.contains_key("musdes_session") {
            self.get("/").await
        } else {
            self.get("/masuk").await
        };
        let mut token = page.csrf_token();
        if token.is_none() {
            token = self.get("/masuk").await.csrf_token();
        }
        token.expect("a page with a CSRF token")
    }

    pub async fn login(&mut self, email: &str, password: &str) -> Reply {
        self.get("/masuk").await;
        self.post(
            "/masuk",
            &[("email", email), ("password", password), ("next", "/")],
        )
        .await
    }

    pub async fn logout(&mut self) -> Reply {
        self.post("/keluar", &[]).await
    }

    pub async fn village(&self, slug: &str) -> Village {
        let form = VillageForm {
            name: format!("Desa {slug}"),
            slug: slug.into(),
            hamlets: "Dusun I, Dusun II".into(),
            population: "3000".into(),
            // Each test village a kecamatan of its own, in one kabupaten.
            kecamatan: format!("Kec {slug}"),
            kabupaten: "Lebak".into(),
            ..VillageForm::default()
        };
        self.store
            .create_village(&form.validate().unwrap(), None)
            .await
            .unwrap()
    }

    /// An account holding `role` (in `village` unless admin; over the village's kecamatan
    /// for the kecamatan role), password [`PASSWORD`].
    pub async fn account(&self, email: &str, role: Role, village: Option<&Village>) -> Uuid {
        static HASH: std::sync::LazyLock<String> =
            std::sync::LazyLock::new(|| hash_password(PASSWORD));
        let place = match village {
            Some(v) if role == Role::Kecamatan => musdes::store::accounts::Place::Area {
                kecamatan: v.kecamatan.as_deref().unwrap_or_default(),
                kabupaten: v.kabupaten.as_deref().unwrap_or_default(),
            },
            v => v.map(|v| v.id).into(),
        };
        let (id, _) = self
            .store
            .add_account(
                &Email::parse(email).unwrap(),
                "Test Person",
                &HASH,
                role,
                place,
                None,
            )
            .await
            .unwrap();
        id
    }

    /// Logs in as a new account with `role`.
    pub async fn login_as(&mut self, email: &str, role: Role, village: Option<&Village>) -> Uuid {
        let id = self.account(email, role, village).await;
        let r = self.login(email, PASSWORD).await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "login as {email}: {}",
            r.body
        );
        id
    }
}

/// The `musdes` command on `url`'s database, with the test's key file for it.
pub fn musdes_command(url: &str) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_musdes"));
    c.env("DATABASE_URL", url)
        .env("MUSDES_SIGNING_KEY_FILE", test_key_path(url));
    c
}

/// A signing key file of the test's own for `url`'s database, outside the working tree.
pub fn test_key_path(url: &str) -> std::path::PathBuf {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    url.hash(&mut h);
    std::env::temp_dir().join(format!("musdes-test-{:016x}.key", h.finish()))
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(test_key_path(&self.url));
        if let Some((admin, name)) = self.pg_cleanup.take() {
            // Each test's database is dropped when the test ends (not when it fails).
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    use sqlx::Connection;
                    if let Ok(mut c) = sqlx::PgConnection::connect(&admin).await {
                        let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                        let _ = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut c).await;
                    }
                });
            })
            .join();
        }
    }
}

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    pub bytes: usize,
    #[allow(dead_code)]
    pub raw: Vec<u8>,
}

impl Reply {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }

    /// The page as a browser reads it, for finding forms and fields.
    fn document(&self) -> scraper::Html {
        scraper::Html::parse_document(&self.body)
    }

    /// The value of the first field named `name` on the page, as a browser would send it.
    fn value_of(&self, name: &str) -> Option<String> {
        let selector = scraper::Selector::parse(&format!("[name=\"{name}\"][value]")).unwrap();
        self.document()
            .select(&selector)
            .next()
            .and_then(|e| e.value().attr("value").map(str::to_string))
    }

    pub fn csrf_token(&self) -> Option<String> {
        self.value_of("csrf_token")
    }

    /// The value of the form field `name` on the page (`name="…" value="…"`).
    #[allow(dead_code)]
    pub fn field(&self, name: &str) -> String {
        self.value_of(name)
            .unwrap_or_else(|| panic!("no field {name} in:\n{}", self.body))
    }

    /// The hidden fields (token, one-time key, …) of the page's form posting to `action`,
    /// as the browser would send them.
    #[allow(dead_code)]
    pub fn hidden_fields(&self, action: &str) -> Vec<(String, String)> {
        // A form may post to its section (`…/hadir#hadir`): the answer opens there.
        let form = scraper::Selector::parse(&format!(
            "form[action=\"{action}\"], form[action^=\"{action}#\"]"
        ))
        .unwrap();
        let hidden = scraper::Selector::parse("input[type=\"hidden\"][name]").unwrap();
        let document = self.document();
        let Some(form) = document.select(&form).next() else {
            panic!("no form posting to {action} in:\n{}", self.body)
        };
        form.select(&hidden)
            .map(|input| {
                let e = input.value();
                (
                    e.attr("name").unwrap_or_default().to_string(),
                    e.attr("value").unwrap_or_default().to_string(),
                )
            })
            .collect()
    }

    /// The body with every form's one-time key blanked: what stays the same between two
    /// views of an unchanged page.
    #[allow(dead_code)]
    pub fn stable_body(&self) -> String {
        let marker = "name=\"kunci_kirim\" value=\"";
        let mut parts = self.body.split(marker);
        let mut out = parts.next().unwrap_or_default().to_string();
        for rest in parts {
            out.push_str(marker);
            out.push_str(&rest[rest.find('"').unwrap_or(0)..]);
        }
        out
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }

    #[track_caller]
    pub fn assert(&self, status: StatusCode) -> &Self {
        assert_eq!(
            self.status,
            status,
            "body: {}",
            &self.body[..self.body.len().min(3000)]
        );
        self
    }

    #[track_caller]
    pub fn contains(&self, text: &str) -> &Self {
        assert!(
            self.body.contains(text),
            "expected {text:?} in:\n{}",
            self.body
        );
        self
    }

    #[track_caller]
    pub fn lacks(&self, text: &str) -> &Self {
        assert!(
            !self.body.contains(text),
            "did not expect {text:?} in:\n{}",
            self.body
        );
        self
    }
}

/// A catalogue sentence in Bahasa Indonesia: tests assert what a page says by its key, so
/// rewording a sentence in `locales/id.ftl` changes no test.
pub fn id_text(key: &str) -> &'static str {
    musdes::web::i18n::Lang::ID.t(key)
}

/// The same sentence in English.
pub fn en_text(key: &str) -> &'static str {
    musdes::web::i18n::Lang::EN.t(key)
}

/// The published proposals per ladder level (neither pending nor merged), `inform` first,
/// as the store reads them; checked against a count of the village's proposals as they
/// stand now, so a change that the database's counting missed fails here.
pub async fn levels_counted(app: &TestApp, village: Uuid) -> [i64; 5] {
    const COUNT: &str = "SELECT level, COUNT(*) FROM proposals WHERE village_id = $1 \
                         AND status NOT IN ('pending', 'merged') GROUP BY level";
    let rows: Vec<(i64, i64)> = match app.backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&app.url).await.unwrap();
            let rows = sqlx::query_as(COUNT)
                .bind(village)
                .fetch_all(&pool)
                .await
                .unwrap();
            pool.close().await;
            rows
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&app.url).await.unwrap();
            let rows = sqlx::query_as(COUNT)
                .bind(village)
                .fetch_all(&pool)
                .await
                .unwrap();
            pool.close().await;
            rows
        }
    };
    let mut counted = [0; 5];
    for (level, n) in rows {
        counted[usize::try_from(level - 1).unwrap()] = n;
    }
    let kept = app.store.level_distribution(village).await.unwrap();
    assert_eq!(
        kept, counted,
        "the kept counts per level are the proposals' own"
    );
    kept
}
