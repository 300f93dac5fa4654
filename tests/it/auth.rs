use axum::http::StatusCode;
use musdes::domain::account::Role;

use crate::common::{Backend, PASSWORD, TestApp, en_text, id_text};
use rstest::rstest;
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn login_page_is_indonesian_by_default_and_english_on_request(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.get("/masuk")
        .await
        .assert(StatusCode::OK)
        .contains(id_text("login.password"))
        .contains("name=\"csrf_token\"");
    app.get("/masuk?lang=en")
        .await
        .assert(StatusCode::OK)
        .contains(en_text("login.password"))
        .contains("<html lang=\"en\">");
    // The choice is remembered for the pages after it.
    app.get("/").await.contains(en_text("home.title"));
    app.get("/?lang=id").await.contains(id_text("home.title"));
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_right_password_logs_in_and_shows_the_name(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.account("siti@desa.id", Role::Admin, None).await;
    let r = app.login("Siti@Desa.id", PASSWORD).await;
    r.assert(StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/");
    app.get("/")
        .await
        .contains(id_text("nav.signed_in_as"))
        .contains("Test Person")
        .contains("/keluar");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn wrong_password_and_unknown_email_get_the_same_answer(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.account("siti@desa.id", Role::Admin, None).await;
    let wrong = app.login("siti@desa.id", "bukan-kata-sandinya").await;
    let unknown = app.login("nobody@desa.id", "bukan-kata-sandinya").await;
    wrong
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("login.failed"));
    unknown
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("login.failed"));
    // The typed e-mail is kept, the password is not.
    wrong
        .contains("value=\"siti@desa.id\"")
        .lacks("bukan-kata-sandinya");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn one_address_trying_many_accounts_is_limited(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    for i in 0..musdes::web::auth::ADDRESS_ATTEMPTS_PER_10_MINUTES {
        app.login(&format!("tamu{i}@desa.id"), "salah-salah-salah")
            .await
            .assert(StatusCode::UNPROCESSABLE_ENTITY);
    }
    app.login("tamu-lagi@desa.id", "salah-salah-salah")
        .await
        .assert(StatusCode::TOO_MANY_REQUESTS);
    // Another address is not affected.
    app.client_ip = [10, 9, 9, 9];
    app.login("tamu-lagi@desa.id", "salah-salah-salah")
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn login_renews_the_session_id_and_sets_safe_cookies(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.account("siti@desa.id", Role::Admin, None).await;
    // A visitor with a session before login: one who sent a proposal anonymously.
    app.village("sukamaju").await;
    app.get("/desa/sukamaju/usulan/baru").await;
    app.post(
        "/desa/sukamaju/usulan",
        &[
            ("title", "Lampu jalan RT 03"),
            ("problem", "Jalan gelap di malam hari"),
            ("bidang", "02"),
            ("dusun", "Dusun I"),
            ("proposer_name", "Bu Sri"),
            ("confirmed", "1"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    let before = app
        .cookie("musdes_session")
        .cloned()
        .expect("a session keeping the visitor's proposal");
    let token = app.csrf_token().await;
    let r = app
        .post_raw(
            "/masuk",
            &[
                ("csrf_token", &token),
                ("email", "siti@desa.id"),
                ("password", PASSWORD),
                ("next", "/"),
            ],
        )
        .await;
    r.assert(StatusCode::SEE_OTHER);
    let set = r.header("set-cookie").to_ascii_lowercase();
    assert!(
        set.contains("httponly") && set.contains("samesite=lax"),
        "{set}"
    );
    assert!(
        !set.contains("secure"),
        "plain HTTP must not mark cookies Secure: {set}"
    );
    let after = app.cookie("musdes_session").cloned().unwrap();
    assert_ne!(before, after, "the session id must change at login");
    let token_after = app.csrf_token().await;
    assert_ne!(token, token_after, "the CSRF token is renewed at login");
    // The id from before login does not carry the login.
    app.forget_cookies();
    let mut old = axum::http::Request::get("/admin/desa")
        .body(axum::body::Body::empty())
        .unwrap();
    old.headers_mut().insert(
        "cookie",
        format!("musdes_session={before}").parse().unwrap(),
    );
    app.send(old).await.assert(StatusCode::SEE_OTHER);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn logging_out_ends_the_session(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.login_as("siti@desa.id", Role::Admin, None).await;
    app.get("/admin/desa").await.assert(StatusCode::OK);
    let session = app.cookie("musdes_session").cloned().unwrap();
    app.logout().await.assert(StatusCode::SEE_OTHER);
    app.get("/admin/desa").await.assert(StatusCode::SEE_OTHER);
    // Replaying the old cookie does not bring the session back.
    app.forget_cookies();
    let mut replay = axum::http::Request::get("/admin/desa")
        .body(axum::body::Body::empty())
        .unwrap();
    replay.headers_mut().insert(
        "cookie",
        format!("musdes_session={session}").parse().unwrap(),
    );
    app.send(replay).await.assert(StatusCode::SEE_OTHER);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_person_sees_their_sessions_and_ends_another_one(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    // Anonymous: the page asks to log in first.
    app.get("/akun/sesi").await.assert(StatusCode::SEE_OTHER);
    let v = app.village("sukamaju").await;
    app.account("siti@desa.id", Role::Resident, Some(&v)).await;
    app.account("budi@desa.id", Role::Resident, Some(&v)).await;
    login_with_agent(&mut app, "siti@desa.id", "Ponsel Android Siti").await;
    let phone = app.cookies.clone();
    app.forget_cookies();
    login_with_agent(&mut app, "siti@desa.id", "Komputer Balai Desa").await;
    let hall = app.cookies.clone();
    app.forget_cookies();
    login_with_agent(&mut app, "budi@desa.id", "Ponsel Budi").await;
    let budi = app.cookies.clone();

    app.cookies = hall.clone();
    let page = app.get("/akun/sesi").await;
    page.assert(StatusCode::OK)
        .contains("Ponsel Android Siti")
        .contains("Komputer Balai Desa")
        .contains(id_text("sessions.this_one"))
        .lacks("Ponsel Budi");
    // The page names sessions by a digest, never by the id that logs in.
    for id in [
        phone["musdes_session"].as_str(),
        hall["musdes_session"].as_str(),
    ] {
        page.lacks(id);
    }
    let handles: Vec<String> = page
        .body
        .split("name=\"sesi\" value=\"")
        .skip(1)
        .map(|r| r.split('"').next().unwrap().to_string())
        .collect();
    assert_eq!(handles.len(), 1, "only the other session has an end button");

    // Budi cannot end Siti's session, even knowing its handle.
    app.cookies = budi;
    app.post("/akun/sesi/akhiri", &[("sesi", &handles[0])])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get("/akun/sesi")
        .await
        .contains(id_text("sessions.none_ended"));
    app.cookies = phone.clone();
    app.get("/").await.contains("Test Person");

    // Siti ends the phone's session from the hall computer: the phone is logged out.
    app.cookies = hall;
    app.post("/akun/sesi/akhiri", &[("sesi", &handles[0])])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get("/akun/sesi")
        .await
        .contains(id_text("sessions.ended"))
        .lacks("Ponsel Android Siti")
        .contains("Komputer Balai Desa");
    app.cookies = phone;
    app.get("/akun/sesi").await.assert(StatusCode::SEE_OTHER);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn stored_passwords_are_argon2id_with_current_parameters(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.login_as("siti@desa.id", Role::Admin, None).await;
    let record = app
        .store
        .login_record(&musdes::domain::account::LoginName::parse("siti@desa.id").unwrap())
        .await
        .unwrap()
        .expect("the account");
    assert!(
        record
            .password_hash
            .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{}",
        record.password_hash
    );
    assert!(!record.password_hash.contains(PASSWORD));
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn ending_all_other_sessions_keeps_only_this_one(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.account("siti@desa.id", Role::Official, Some(&v)).await;
    let mut others = Vec::new();
    for agent in ["Peramban satu", "Peramban dua"] {
        login_with_agent(&mut app, "siti@desa.id", agent).await;
        others.push(app.cookies.clone());
        app.forget_cookies();
    }
    login_with_agent(&mut app, "siti@desa.id", "Peramban tiga").await;
    app.get("/akun/sesi")
        .await
        .contains("Peramban satu")
        .contains(id_text("sessions.end_others"));
    app.post("/akun/sesi/akhiri", &[])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get("/akun/sesi")
        .await
        .assert(StatusCode::OK)
        .contains("Peramban tiga")
        .lacks("Peramban satu")
        .lacks("Peramban dua");
    let mine = app.cookies.clone();
    for jar in others {
        app.cookies = jar;
        app.get("/desa/sukamaju/pengaturan")
            .await
            .assert(StatusCode::SEE_OTHER);
    }
    app.cookies = mine;
    app.get("/desa/sukamaju/pengaturan")
        .await
        .assert(StatusCode::OK);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn sessions_live_in_the_database_so_any_server_sees_them(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.login_as("siti@desa.id", Role::Admin, None).await;
    let other = app.second_server();
    let request = axum::http::Request::get("/admin/desa")
        .body(axum::body::Body::empty())
        .unwrap();
    app.send_to(other, request)
        .await
        .assert(StatusCode::OK)
        .contains("Test Person");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_post_without_or_with_a_wrong_csrf_token_is_403_and_changes_nothing(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.login_as("siti@desa.id", Role::Admin, None).await;
    let fields = [
        ("name", "Sukamaju"),
        ("slug", "sukamaju"),
        ("code", ""),
        ("hamlets", ""),
    ];
    app.post_raw("/admin/desa", &fields)
        .await
        .assert(StatusCode::FORBIDDEN)
        .contains("<html");
    let mut wrong = vec![("csrf_token", "bukan-token")];
    wrong.extend_from_slice(&fields);
    app.post_raw("/admin/desa", &wrong)
        .await
        .assert(StatusCode::FORBIDDEN);
    app.post_raw("/keluar", &[])
        .await
        .assert(StatusCode::FORBIDDEN);
    assert!(app.store.village_by_slug("sukamaju").await.is_err());
    app.get("/admin/desa").await.assert(StatusCode::OK);
    // The right token works.
    app.post("/admin/desa", &fields)
        .await
        .assert(StatusCode::SEE_OTHER);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn login_follows_next_only_within_the_site(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.account("siti@desa.id", Role::Admin, None).await;
    app.get("/masuk").await;
    let r = app
        .post(
            "/masuk",
            &[
                ("email", "siti@desa.id"),
                ("password", PASSWORD),
                ("next", "/admin/akun"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/admin/akun");
    app.logout().await;
    app.get("/masuk").await;
    let r = app
        .post(
            "/masuk",
            &[
                ("email", "siti@desa.id"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn an_idle_session_expires(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.set_config(musdes::config::Config {
        session_idle: std::time::Duration::from_secs(1),
        ..Default::default()
    });
    app.login_as("siti@desa.id", Role::Admin, None).await;
    app.get("/admin/desa").await.assert(StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    app.get("/admin/desa").await.assert(StatusCode::SEE_OTHER);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn cookies_are_secure_when_served_over_https(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.set_config(musdes::config::Config {
        secure_cookies: true,
        ..Default::default()
    });
    let r = app.get("/masuk").await;
    assert!(
        r.header("set-cookie")
            .to_ascii_lowercase()
            .contains("; secure"),
        "{}",
        r.header("set-cookie")
    );
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn reading_pages_does_not_write_the_session_each_time(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.login_as("siti@desa.id", Role::Admin, None).await;
    app.get("/").await;
    let before = session_records(&app.url).await;
    for path in ["/", "/admin/desa", "/masuk", "/desa/tidak-ada"] {
        app.get(path).await;
    }
    assert_eq!(
        session_records(&app.url).await,
        before,
        "a page view must not rewrite the session"
    );
}

/// The stored session records, read straight from the database.
async fn session_records(url: &str) -> Vec<String> {
    let sql = "SELECT record FROM sessions ORDER BY id";
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        sqlx::query_scalar(sql).fetch_all(&pool).await.unwrap()
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        let rows = sqlx::query_scalar(sql).fetch_all(&pool).await.unwrap();
        pool.close().await;
        rows
    }
}

/// Logs in as `email` (password [`PASSWORD`]) from a browser calling itself `agent`.
async fn login_with_agent(app: &mut TestApp, email: &str, agent: &str) {
    let token = app.get("/masuk").await.csrf_token().expect("a CSRF token");
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("csrf_token", token.as_str()),
            ("email", email),
            ("password", PASSWORD),
            ("next", "/"),
        ])
        .finish();
    let request = axum::http::Request::post("/masuk")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("user-agent", agent)
        .body(axum::body::Body::from(body))
        .unwrap();
    app.send(request).await.assert(StatusCode::SEE_OTHER);
}
