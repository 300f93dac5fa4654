use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

use crate::common::{Backend, TestApp, id_text};
use rstest::rstest;

fn musdes(url: &str, args: &[&str]) -> Output {
    crate::common::musdes_command(url)
        .args(args)
        .env("MUSDES_PASSWORD", "sawah-hijau-2026")
        .env_remove("MUSDES_BIND")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).trim().to_string()
}

#[track_caller]
fn fails_with(o: &Output, text: &str) {
    assert!(!o.status.success(), "expected failure, got: {}", stdout(o));
    let err = stderr(o);
    assert_eq!(err.lines().count(), 1, "one line on stderr: {err}");
    assert!(err.contains(text), "expected {text:?} in {err:?}");
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn generate_fills_the_database_the_same_way_for_the_same_seed(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let url = app.url.clone();
    let o = musdes(
        &url,
        &[
            "generate",
            "--villages",
            "4",
            "--proposals",
            "600",
            "--seed",
            "7",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let slugs: Vec<String> = stdout(&o).lines().map(str::to_string).collect();
    assert_eq!(slugs.len(), 4);
    assert!(stderr(&o).contains("600 proposals"), "{}", stderr(&o));
    // Every page of the biggest village serves the generated data.
    let big = &slugs[0];
    for path in [
        format!("/desa/{big}"),
        format!("/desa/{big}/usulan?page=3"),
        format!("/desa/{big}/statistik?from=2000-01-01"),
        format!("/desa/{big}/musyawarah"),
        format!("/desa/{big}/jejaring"),
        format!("/api/v1/desa/{big}/usulan"),
    ] {
        app.get(&path).await.assert(axum::http::StatusCode::OK);
    }
    let json: serde_json::Value = serde_json::from_str(
        &app.get(&format!("/api/v1/desa/{big}/usulan?per_page=100"))
            .await
            .body,
    )
    .unwrap();
    assert!(json["items"].as_array().unwrap().len() > 50, "{json}");
    // Every village has walked its planning years: the RPJM Desa, this year's RKP Desa set
    // by Perdes after its Musrenbangdes, its DU-RKP answered, next year's draft open.
    let year = musdes::store::proposals::current_year(chrono_tz::Asia::Jakarta);
    assert!(
        stderr(&o).contains(&format!("RKP Desa {year} set")),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains(" 0 DU-RKP"), "{}", stderr(&o));
    for slug in &slugs {
        let set = app.get(&format!("/desa/{slug}/rkp/{year}")).await;
        set.assert(axum::http::StatusCode::OK)
            .contains(id_text("plan_status.adopted"))
            .contains("Musrenbangdes RKP Desa");
        let plan: serde_json::Value = serde_json::from_str(
            &app.get(&format!("/api/v1/desa/{slug}/rkp/{year}"))
                .await
                .body,
        )
        .unwrap();
        assert!(
            plan["items"].as_array().is_some_and(|i| !i.is_empty()),
            "{plan}"
        );
        app.get(&format!("/desa/{slug}/rkp/{}", year + 1))
            .await
            .assert(axum::http::StatusCode::OK)
            .contains("Rancangan");
    }
    for path in [
        format!("/desa/{big}/rpjm"),
        format!("/desa/{big}/rkp/{year}/du-rkp"),
        format!("/desa/{big}/rkp/{year}.xlsx"),
        format!("/desa/{big}/rkp/{year}/perdes"),
        format!("/desa/{big}/kalender/{}", year + 1),
    ] {
        app.get(&path).await.assert(axum::http::StatusCode::OK);
    }
    for slug in &slugs {
        app.get(&format!("/desa/{slug}/rkp/{year}/du-rkp"))
            .await
            .lacks("Menunggu jawaban");
    }
    // The same seed on another database (SQLite here) makes the same villages.
    let dir = tempfile::tempdir().unwrap();
    let other = format!("sqlite://{}", dir.path().join("same.db").display());
    let again = musdes(
        &other,
        &[
            "generate",
            "--villages",
            "4",
            "--proposals",
            "600",
            "--seed",
            "7",
        ],
    );
    assert_eq!(stdout(&again), stdout(&o));
    fails_with(
        &musdes(
            &url,
            &[
                "generate",
                "--villages",
                "4",
                "--proposals",
                "600",
                "--seed",
                "7",
            ],
        ),
        "exists already",
    );
    fails_with(
        &musdes(&url, &["generate", "--villages", "0"]),
        "--villages",
    );
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn village_add_prints_the_slug_and_refuses_duplicates_and_bad_codes(
    #[case] backend: Backend,
) {
    let Some(app) = TestApp::new(backend).await else {
        return;
    };

    let url = app.url.clone();
    let o = musdes(
        &url,
        &[
            "village",
            "add",
            "--slug",
            "sukamaju",
            "--name",
            "Sukamaju",
            "--code",
            "32.03.11.2004",
            "--population",
            "5210",
            "--households",
            "1520",
            "--hamlets",
            "Dusun Kaler,Dusun Kidul",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "sukamaju");
    let v = app.store.village_by_slug("sukamaju").await.unwrap();
    assert_eq!(v.hamlets, ["Dusun Kaler", "Dusun Kidul"]);
    assert_eq!(v.code.as_deref(), Some("32.03.11.2004"));
    fails_with(
        &musdes(
            &url,
            &["village", "add", "--slug", "sukamaju", "--name", "Lagi"],
        ),
        "already exists",
    );
    fails_with(
        &musdes(
            &url,
            &[
                "village", "add", "--slug", "lain", "--name", "Lain", "--code", "12.34.56",
            ],
        ),
        "--code",
    );
    fails_with(
        &musdes(
            &url,
            &["village", "add", "--slug", "Suka Maju", "--name", "X"],
        ),
        "--slug",
    );
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn user_add_creates_accounts_and_adds_roles(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let url = app.url.clone();
    app.village("sukamaju").await;
    let o = musdes(
        &url,
        &[
            "user",
            "add",
            "--email",
            "kades@sukamaju.id",
            "--name",
            "Pak Kades",
            "--role",
            "official",
            "--village",
            "sukamaju",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("account created"));
    let o = musdes(
        &url,
        &[
            "user",
            "add",
            "--email",
            "kades@sukamaju.id",
            "--name",
            "Pak Kades",
            "--role",
            "resident",
            "--village",
            "sukamaju",
        ],
    );
    assert!(stdout(&o).contains("role added"));
    let user = app.store.user_by_email("kades@sukamaju.id").await.unwrap();
    assert_eq!(app.store.memberships(user.id).await.unwrap().len(), 2);
    let o = musdes(
        &url,
        &[
            "user",
            "add",
            "--email",
            "admin@kab.id",
            "--name",
            "Admin",
            "--role",
            "admin",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        app.store
            .user_by_email("admin@kab.id")
            .await
            .unwrap()
            .is_admin
    );
    // And the account logs in on the web.
    app.login("kades@sukamaju.id", "sawah-hijau-2026")
        .await
        .assert(axum::http::StatusCode::SEE_OTHER);
    // A kecamatan account oversees every village of its kecamatan (matched without
    // regard to case), and holds no role of a village's own.
    let o = musdes(
        &url,
        &[
            "user",
            "add",
            "--email",
            "camat@lebak.go.id",
            "--name",
            "Staf Kecamatan",
            "--role",
            "kecamatan",
            "--kecamatan",
            "kec SUKAMAJU",
            "--kabupaten",
            "lebak",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let camat = app.store.user_by_email("camat@lebak.go.id").await.unwrap();
    let held = app.store.memberships(camat.id).await.unwrap();
    assert_eq!(
        held.iter()
            .map(|m| (m.slug.as_str(), m.role.as_str()))
            .collect::<Vec<_>>(),
        [("sukamaju", "kecamatan")]
    );
    fails_with(
        &musdes(
            &url,
            &[
                "user",
                "add",
                "--email",
                "c2@desa.id",
                "--name",
                "X Y",
                "--role",
                "kecamatan",
                "--kabupaten",
                "Lebak",
            ],
        ),
        "--kecamatan",
    );

    fails_with(
        &musdes(
            &url,
            &[
                "user",
                "add",
                "--email",
                "x@desa.id",
                "--name",
                "X Y",
                "--role",
                "official",
                "--village",
                "tidak-ada",
            ],
        ),
        "unknown village",
    );
    fails_with(
        &musdes(
            &url,
            &[
                "user",
                "add",
                "--email",
                "x@desa.id",
                "--name",
                "X Y",
                "--role",
                "official",
            ],
        ),
        "--village",
    );
    fails_with(
        &musdes(
            &url,
            &[
                "user",
                "add",
                "--email",
                "x@desa.id",
                "--name",
                "X Y",
                "--role",
                "kades",
                "--village",
                "sukamaju",
            ],
        ),
        "--role",
    );
    let short = crate::common::musdes_command(&url)
        .args([
            "user",
            "add",
            "--email",
            "y@desa.id",
            "--name",
            "Y Z",
            "--role",
            "resident",
            "--village",
            "sukamaju",
        ])
        .env("MUSDES_PASSWORD", "pendek")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    fails_with(&short, "at least 10 characters");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn migrate_is_idempotent(#[case] backend: Backend) {
    let Some(app) = TestApp::new(backend).await else {
        return;
    };

    let url = app.url.clone();
    for _ in 0..2 {
        let o = musdes(&url, &["migrate"]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn serve_demo_loads_once_answers_and_stops_gracefully_on_sigterm(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let url = app.url.clone();
    for round in 0..2 {
        let mut child = crate::common::musdes_command(&url)
            .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().unwrap().unwrap();
        assert_eq!(
            first,
            if round == 0 {
                "demo village loaded"
            } else {
                "demo village already present"
            }
        );
        let mut printed = vec![first];
        let addr = loop {
            let line = lines.next().unwrap().unwrap();
            if let Some(rest) = line.strip_prefix("musdes is serving on http://") {
                break rest.split('/').next().unwrap().to_string();
            }
            printed.push(line);
        };
        let printed = printed.join("\n");
        assert!(
            printed.contains("kades@majasari.desa.id") && printed.contains(musdes::demo::PASSWORD),
            "{printed}"
        );
        let body = http_get(&addr, "/desa/majasari");
        assert!(
            body.contains("Dusun II Karanganyar") && body.contains("Kelompok Tani Ternak Sapi"),
            "{body}"
        );
        assert!(http_get(&addr, "/healthz").ends_with("ok"));
        unsafe_kill(child.id());
        let status = child.wait().unwrap();
        assert!(status.success(), "graceful exit, got {status:?}");
    }
    assert_eq!(app.store.count_villages().await.unwrap(), 1);
    assert_eq!(
        app.store
            .list_groups(app.store.village_by_slug("majasari").await.unwrap().id)
            .await
            .unwrap()
            .len(),
        musdes::demo::GROUP_COUNT
    );
    app.login("warga@majasari.desa.id", musdes::demo::PASSWORD)
        .await
        .assert(axum::http::StatusCode::SEE_OTHER);
}

fn http_get(addr: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

fn unsafe_kill(pid: u32) {
    Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
}

#[test]
fn an_unreachable_database_is_one_clear_line() {
    let o = musdes("postgres://musdes:geheim@127.0.0.1:1/musdes", &["migrate"]);
    fails_with(&o, "cannot open database");
    assert!(
        !stderr(&o).contains("geheim"),
        "the password must not be printed"
    );
    fails_with(
        &musdes("mysql://x", &["migrate"]),
        "unsupported database URL",
    );
}

#[test]
fn bad_arguments_exit_non_zero() {
    let o = musdes(
        "sqlite::memory:",
        &["village", "add", "--name", "Tanpa Slug"],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--slug"));
}

#[tokio::test]
async fn backup_copies_a_running_sqlite_database() {
    let mut app = crate::common::TestApp::new(crate::common::Backend::Sqlite)
        .await
        .unwrap();
    app.village("sukamaju").await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("salinan.db");
    let o = musdes(&app.url, &["backup", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let copy = musdes::store::Store::connect(&format!("sqlite://{}", out.display()))
        .await
        .unwrap();
    assert_eq!(
        copy.village_by_slug("sukamaju")
            .await
            .unwrap()
            .hamlets
            .len(),
        2
    );
    fails_with(
        &musdes(&app.url, &["backup", "--out", out.to_str().unwrap()]),
        "already exists",
    );
    app.get("/healthz").await.assert(axum::http::StatusCode::OK);
}
