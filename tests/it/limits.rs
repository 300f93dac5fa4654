//! Holes an outside probe found: rate limits under bursts, redirects after login, and the
//! anonymous page cache handing one visitor's form to another.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use musdes::domain::account::Role;
use tower::ServiceExt;

use crate::common::{Backend, PASSWORD, Reply, TestApp, id_text};
use crate::proposals::fields;
use rstest::rstest;

/// A visitor of its own: a fresh session with the login page's token, from `ip`.
struct Visitor {
    cookie: String,
    token: String,
    ip: [u8; 4],
}

async fn visitor(app: &mut TestApp, page: &str, ip: [u8; 4]) -> Visitor {
    app.forget_cookies();
    app.client_ip = ip;
    let r = app.get(page).await;
    r.assert(StatusCode::OK);
    Visitor {
        cookie: app.cookie_header(),
        token: r.csrf_token().expect("a form with a token"),
        ip,
    }
}

/// Sends every visitor's form at once, spread over `servers`; the answers, in order.
async fn burst(
    servers: &[Router],
    path: &str,
    visitors: &[Visitor],
    form: &[(&str, &str)],
) -> Vec<(StatusCode, String)> {
    let mut tasks = tokio::task::JoinSet::new();
    for (i, v) in visitors.iter().enumerate() {
        let mut fields = vec![("csrf_token", v.token.as_str())];
        fields.extend_from_slice(form);
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&fields)
            .finish();
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &v.cookie)
            .body(Body::from(body))
            .unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((v.ip, 40000))));
        let router = servers[i % servers.len()].clone();
        tasks.spawn(async move {
            let r = router.oneshot(request).await.unwrap();
            let status = r.status();
            let retry = r
                .headers()
                .get(header::RETRY_AFTER)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default();
            r.into_body().collect().await.unwrap();
            (i, status, retry)
        });
    }
    let mut answers = tasks.join_all().await;
    answers.sort_by_key(|a| a.0);
    answers.into_iter().map(|(_, s, r)| (s, r)).collect()
}

/// How many answers had `status`; every 429 must say when to come back.
fn tally(answers: &[(StatusCode, String)], status: StatusCode) -> usize {
    for (s, retry) in answers {
        if *s == StatusCode::TOO_MANY_REQUESTS {
            let secs: u64 = retry
                .parse()
                .unwrap_or_else(|_| panic!("429 without Retry-After: {retry:?}"));
            assert!(secs >= 1, "Retry-After {secs}");
        }
    }
    answers.iter().filter(|(s, _)| *s == status).count()
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_burst_of_wrong_passwords_gets_at_most_the_limit_checked_on_two_servers(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.account("siti@desa.id", Role::Admin, None).await;
    let mut visitors = Vec::new();
    for _ in 0..120 {
        visitors.push(visitor(&mut app, "/masuk", [10, 7, 7, 7]).await);
    }
    let servers = [app.router.clone(), app.second_server()];
    let answers = burst(
        &servers,
        "/masuk",
        &visitors,
        &[
            ("email", "siti@desa.id"),
            ("password", "tebak-tebak-salah"),
            ("next", "/"),
        ],
    )
    .await;
    assert_eq!(
        tally(&answers, StatusCode::UNPROCESSABLE_ENTITY),
        musdes::web::auth::PAIR_ATTEMPTS_PER_MINUTE as usize,
        "{answers:?}"
    );
    assert_eq!(tally(&answers, StatusCode::TOO_MANY_REQUESTS), 110);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_stranger_guessing_cannot_lock_the_rightful_person_out(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.account("siti@desa.id", Role::Admin, None).await;
    // A stranger at one address spends the limit, and more.
    app.client_ip = [10, 6, 6, 6];
    for _ in 0..musdes::web::auth::PAIR_ATTEMPTS_PER_MINUTE {
        app.login("siti@desa.id", "salah-salah-salah")
            .await
            .assert(StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = app.login("siti@desa.id", PASSWORD).await;
    r.assert(StatusCode::TOO_MANY_REQUESTS)
        .contains(id_text("error.page.429"));
    let wait: u64 = r.header("retry-after").parse().unwrap();
    assert!((1..=61).contains(&wait), "Retry-After {wait}");
    // Siti, at home, logs in.
    app.forget_cookies();
    app.client_ip = [10, 0, 2, 1];
    app.login("siti@desa.id", PASSWORD)
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get("/admin/desa").await.assert(StatusCode::OK);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn many_failures_from_everywhere_slow_an_account_but_the_right_password_gets_in(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.account("siti@desa.id", Role::Admin, None).await;
    for i in 0..musdes::web::auth::ACCOUNT_FAILURES_BEFORE_SLOWING {
        app.client_ip = [10, 5, (i / 200) as u8, (i % 200) as u8];
        app.login("siti@desa.id", "salah-salah-salah")
            .await
            .assert(StatusCode::UNPROCESSABLE_ENTITY);
    }
    app.forget_cookies();
    app.client_ip = [10, 0, 3, 1];
    let started = std::time::Instant::now();
    app.login("siti@desa.id", "masih-salah-juga")
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains("diperlambat");
    assert!(started.elapsed() >= musdes::web::auth::ACCOUNT_SLOWDOWN);
    let started = std::time::Instant::now();
    app.login("siti@desa.id", PASSWORD)
        .await
        .assert(StatusCode::SEE_OTHER);
    assert!(started.elapsed() >= musdes::web::auth::ACCOUNT_SLOWDOWN);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_burst_of_anonymous_submissions_lets_the_limit_through(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    let mut visitors = Vec::new();
    for _ in 0..20 {
        visitors.push(visitor(&mut app, "/desa/sukamaju/usulan/baru", [10, 8, 8, 8]).await);
    }
    let servers = [app.router.clone(), app.second_server()];
    let mut form = fields(
        "Sumur bor Dusun I",
        "Air bersih kurang di musim kemarau",
        "02",
        "",
    );
    form.extend([("proposer_name", "Pak Budi"), ("confirmed", "1")]);
    let answers = burst(&servers, "/desa/sukamaju/usulan", &visitors, &form).await;
    assert_eq!(
        tally(&answers, StatusCode::SEE_OTHER),
        musdes::web::proposals::ANONYMOUS_PER_10_MINUTES as usize,
        "{answers:?}"
    );
    assert_eq!(tally(&answers, StatusCode::TOO_MANY_REQUESTS), 15);
    let stored = app.store.row_counts().await.unwrap()["proposals"];
    assert_eq!(stored, 5, "village {}", v.slug);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_burst_of_verification_look_ups_lets_the_limit_through(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.client_ip = [10, 9, 9, 1];
    let servers = [app.router.clone(), app.second_server()];
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..60 {
        let mut request = get("/verifikasi?kode=ABCDE-23456");
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([10, 9, 9, 1], 40000))));
        let router = servers[i % 2].clone();
        tasks.spawn(async move {
            let r = router.oneshot(request).await.unwrap();
            let retry = r
                .headers()
                .get(header::RETRY_AFTER)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default();
            (r.status(), retry)
        });
    }
    let answers = tasks.join_all().await;
    // A made-up code is simply not found.
    assert_eq!(
        tally(&answers, StatusCode::NOT_FOUND),
        musdes::web::meetings::VERIFICATIONS_PER_10_MINUTES as usize,
        "{answers:?}"
    );
    assert_eq!(tally(&answers, StatusCode::TOO_MANY_REQUESTS), 30);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn next_after_login_never_leaves_the_site_nor_breaks_the_login(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.account("siti@desa.id", Role::Admin, None).await;
    app.login("siti@desa.id", PASSWORD)
        .await
        .assert(StatusCode::SEE_OTHER);
    for (next, expected) in NEXT_VARIANTS {
        let path = format!("/masuk?next={next}");
        let r = app.get(&path).await;
        r.assert(StatusCode::SEE_OTHER);
        assert_eq!(r.location(), *expected, "GET {path}");
    }
    // The login POST itself: the same rule, never a 500, the login kept.
    for (next, expected) in NEXT_VARIANTS {
        app.forget_cookies();
        let decoded = percent_encoding::percent_decode_str(next)
            .decode_utf8_lossy()
            .into_owned();
        app.get("/masuk").await;
        let r = app
            .post(
                "/masuk",
                &[
                    ("email", "siti@desa.id"),
                    ("password", PASSWORD),
                    ("next", &decoded),
                ],
            )
            .await;
        r.assert(StatusCode::SEE_OTHER);
        assert_eq!(r.location(), *expected, "POST next={decoded:?}");
        app.get("/admin/desa").await.assert(StatusCode::OK);
    }
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_visitor_who_only_opens_a_form_stores_nothing(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.village("sukamaju").await;
    let before = app.store.session_count().await.unwrap();
    for _ in 0..100 {
        app.forget_cookies();
        app.get("/masuk")
            .await
            .assert(StatusCode::OK)
            .contains("name=\"csrf_token\"");
        app.get("/desa/sukamaju/usulan/baru")
            .await
            .assert(StatusCode::OK);
    }
    assert_eq!(
        app.store.session_count().await.unwrap(),
        before,
        "a session row per visit"
    );
    // The token still guards the form: without the visitor's cookie it is refused,
    // with it the login goes through (and only then is a session stored).
    app.account("siti@desa.id", Role::Admin, None).await;
    app.forget_cookies();
    let token = app.get("/masuk").await.csrf_token().unwrap();
    assert!(app.cookie("musdes_form").is_some() && app.cookie("musdes_session").is_none());
    let jar = std::mem::take(&mut app.cookies);
    app.post_raw(
        "/masuk",
        &[
            ("csrf_token", &token),
            ("email", "siti@desa.id"),
            ("password", PASSWORD),
        ],
    )
    .await
    .assert(StatusCode::FORBIDDEN);
    app.cookies = jar;
    app.post_raw(
        "/masuk",
        &[
            ("csrf_token", "tebakan"),
            ("email", "siti@desa.id"),
            ("password", PASSWORD),
        ],
    )
    .await
    .assert(StatusCode::FORBIDDEN);
    app.post_raw(
        "/masuk",
        &[
            ("csrf_token", &token),
            ("email", "siti@desa.id"),
            ("password", PASSWORD),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    assert_eq!(app.store.session_count().await.unwrap(), before + 1);
    app.get("/admin/desa").await.assert(StatusCode::OK);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn twenty_visitors_opening_the_form_at_once_each_submit_their_own(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    // Behind a proxy, each phone has its own address; the anonymous limit does not bite.
    let mut config = app.config.clone();
    config.page_cache_ttl = std::time::Duration::from_secs(60);
    config.trust_proxy = true;
    app.set_config(config);
    app.village("sukamaju").await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..20u8 {
        let mut request = get("/desa/sukamaju/usulan/baru");
        request
            .headers_mut()
            .insert("x-forwarded-for", format!("10.20.0.{i}").parse().unwrap());
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        let router = app.router.clone();
        tasks.spawn(async move {
            let r = router.oneshot(request).await.unwrap();
            let cookie = r
                .headers()
                .get(header::SET_COOKIE)
                .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string());
            let body = r.into_body().collect().await.unwrap().to_bytes();
            (i, cookie, String::from_utf8_lossy(&body).into_owned())
        });
    }
    let pages = tasks.join_all().await;
    let mut tokens = std::collections::BTreeSet::new();
    for (i, cookie, body) in &pages {
        let cookie = cookie
            .clone()
            .unwrap_or_else(|| panic!("visitor {i} got a form without a session cookie"));
        let page = Reply {
            status: StatusCode::OK,
            headers: Default::default(),
            body: body.clone(),
            bytes: 0,
            raw: vec![],
        };
        let token = page.csrf_token().unwrap();
        assert!(
            tokens.insert(token.clone()),
            "visitor {i} got another visitor's token"
        );
        let mut form = fields("Lampu jalan RT 03", "Jalan gelap di malam hari", "02", "");
        form.extend([
            ("proposer_name", "Bu Sri"),
            ("confirmed", "1"),
            ("csrf_token", &token),
        ]);
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&form)
            .finish();
        let mut request = Request::post("/desa/sukamaju/usulan")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .header("x-forwarded-for", format!("10.20.0.{i}"))
            .body(Body::from(body))
            .unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        let r = app.router.clone().oneshot(request).await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "visitor {i}");
    }
    assert_eq!(app.store.row_counts().await.unwrap()["proposals"], 20);
}

/// `next` as it arrives in a query string, and where the login must send the person.
const NEXT_VARIANTS: &[(&str, &str)] = &[
    ("/desa/majasari", "/desa/majasari"),
    (
        "/desa/majasari/usulan%3Fstatus%3Dsubmitted",
        "/desa/majasari/usulan?status=submitted",
    ),
    ("/%09/127.0.0.1:4299/pwned.html", "/"),
    ("/%0A/127.0.0.1:4299", "/"),
    ("/%0D/127.0.0.1:4299", "/"),
    ("/%7F/127.0.0.1:4299", "/"),
    ("//127.0.0.1:4299", "/"),
    ("%2F%2F127.0.0.1:4299", "/"),
    ("/%2F127.0.0.1:4299", "/"),
    ("/%252F%252F127.0.0.1:4299", "/"),
    ("/%5C127.0.0.1:4299", "/"),
    ("%5C%5C127.0.0.1:4299", "/"),
    ("/%5C/127.0.0.1:4299", "/"),
    ("http://127.0.0.1:4299", "/"),
    ("https:127.0.0.1:4299", "/"),
    ("javascript:alert(1)", "/"),
    ("%20//127.0.0.1:4299", "/"),
    ("/%20/127.0.0.1:4299", "/"),
    ("%09//127.0.0.1:4299", "/"),
    ("/%E3%80%82/127.0.0.1", "/"),
    ("127.0.0.1:4299", "/"),
    ("", "/"),
];
