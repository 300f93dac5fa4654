use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use musdes::domain::account::Role;

use crate::common::{Backend, TestApp, en_text, id_text};
use rstest::rstest;
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn healthz_answers_ok_when_the_database_does(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.get("/healthz").await.assert(StatusCode::OK);
    assert_eq!(app.get("/healthz").await.body, "ok");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn healthz_answers_503_when_the_database_does_not(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    // The pools closed, as when the database has gone: the health check says so, for
    // a load balancer to take this server out, and nothing answers 500. A person who
    // opens it sees the site's error page.
    app.store.close().await;
    app.get("/healthz")
        .await
        .assert(StatusCode::SERVICE_UNAVAILABLE)
        .contains("<p class=\"status\">503</p>");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn the_home_page_lists_villages_and_the_portal_is_public(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.get("/")
        .await
        .assert(StatusCode::OK)
        .contains(id_text("home.empty"));
    app.village("sukamaju").await;
    app.get("/")
        .await
        .contains("Desa sukamaju")
        .contains("href=\"/desa/sukamaju\"");
    app.get("/desa/sukamaju")
        .await
        .assert(StatusCode::OK)
        .contains("Dusun II")
        .contains("3.000");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn an_unknown_village_is_a_404_page_in_the_layout_and_language(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.get("/desa/tidak-ada")
        .await
        .assert(StatusCode::NOT_FOUND)
        .contains("<html lang=\"id\">")
        .contains(id_text("error.page.404"))
        .contains("href=\"/static/app.css\"");
    app.get("/desa/tidak-ada?lang=en")
        .await
        .assert(StatusCode::NOT_FOUND)
        .contains(en_text("error.page.404"));
    app.get("/tidak/ada/sama/sekali")
        .await
        .assert(StatusCode::NOT_FOUND)
        .contains(en_text("error.page.404"));
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn every_response_carries_security_headers_and_a_request_id(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let r = app.get("/").await;
    let csp = r.header("content-security-policy");
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    assert_eq!(r.header("referrer-policy"), "same-origin");
    assert!(!r.header("x-request-id").is_empty());
    assert!(
        app.get("/desa/tidak-ada")
            .await
            .header("content-security-policy")
            .contains("default-src")
    );
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_body_over_the_limit_is_413_never_500(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.login_as("admin@kab.id", Role::Admin, None).await;
    let token = app.csrf_token().await;
    let big = "x".repeat(200 * 1024);
    let r = app
        .post_raw(
            "/admin/desa",
            &[("csrf_token", &token), ("name", &big), ("slug", "besar")],
        )
        .await;
    r.assert(StatusCode::PAYLOAD_TOO_LARGE)
        .contains(id_text("error.page.413"));
    assert_eq!(app.store.count_villages().await.unwrap(), 0);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn malformed_requests_get_4xx_pages_never_500(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.login_as("admin@kab.id", Role::Admin, None).await;
    let token = app.csrf_token().await;
    app.post("/admin/akun/not-a-uuid/cabut", &[("role", "official")])
        .await
        .assert(StatusCode::BAD_REQUEST);
    app.post(
        &format!("/admin/akun/{}/cabut", uuid::Uuid::nil()),
        &[("role", "kepala")],
    )
    .await
    .assert(StatusCode::BAD_REQUEST);
    app.post(
        &format!("/admin/akun/{}/cabut", uuid::Uuid::nil()),
        &[("role", "admin")],
    )
    .await
    .assert(StatusCode::NOT_FOUND);
    app.post("/admin/desa/tidak-ada", &[("name", "x")])
        .await
        .assert(StatusCode::NOT_FOUND);
    app.get("/?page=-1").await.assert(StatusCode::OK);
    app.get("/?page=abc").await.assert(StatusCode::OK);
    // A form that is not a form.
    let r = Request::post("/admin/desa")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(format!("{{\"csrf_token\":\"{token}\"}}")))
        .unwrap();
    app.send(r).await.assert(StatusCode::FORBIDDEN);
    // Invalid UTF-8 in a form is read with replacement characters, never a server error.
    let body = format!("csrf_token={token}&name=%FF%FE&slug=abc");
    let r = Request::post("/admin/desa")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    let r = app.send(r).await;
    assert!(!r.status.is_server_error(), "{:?} {}", r.status, r.body);
    app.get("/healthz").await.assert(StatusCode::OK);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn every_post_form_on_every_page_carries_a_csrf_token(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.village("sukamaju").await;
    app.login_as("admin@kab.id", Role::Admin, None).await;
    for path in [
        "/",
        "/desa/sukamaju",
        "/admin/desa",
        "/admin/desa/baru",
        "/admin/desa/sukamaju",
        "/admin/akun",
    ] {
        let page = app.get(path).await;
        page.assert(StatusCode::OK);
        let forms = page.body.matches("method=\"post\"").count();
        let tokens = page.body.matches("name=\"csrf_token\"").count();
        assert!(
            forms > 0 && forms == tokens,
            "{path}: {forms} forms, {tokens} tokens"
        );
    }
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_page_and_its_css_load_in_under_30_kb_compressed(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.village("sukamaju").await;
    let css = app
        .send(
            Request::get("/static/app.css")
                .header(header::ACCEPT_ENCODING, "gzip")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    css.assert(StatusCode::OK);
    assert_eq!(css.header("content-encoding"), "gzip");
    for path in ["/", "/desa/sukamaju", "/masuk"] {
        let r = Request::get(path)
            .header(header::ACCEPT_ENCODING, "gzip")
            .body(Body::empty())
            .unwrap();
        let r = app.send(r).await;
        r.assert(StatusCode::OK);
        assert!(
            r.bytes + css.bytes < 30 * 1024,
            "{path}: {} bytes with {} of CSS",
            r.bytes,
            css.bytes
        );
    }
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn user_text_is_escaped_everywhere(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.login_as("admin@kab.id", Role::Admin, None).await;
    let mut fields = vec![
        ("name", "<script>alert(1)</script>"),
        ("slug", "xss"),
        ("hamlets", "<b>Dusun</b>"),
    ];
    fields.push(("kecamatan", "\"><img src=x onerror=alert(1)>"));
    app.post("/admin/desa", &fields)
        .await
        .assert(StatusCode::SEE_OTHER);
    let page = app.get("/desa/xss").await;
    page.lacks("<script>alert(1)</script>")
        .contains("&#60;script&#62;alert(1)&#60;/script&#62;");
    page.lacks("<img src=x").lacks("<b>Dusun</b>");
    app.get("/").await.lacks("<script>alert(1)</script>");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_fault_in_a_handler_becomes_a_500_page_in_the_layout(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    use axum::routing::get;
    async fn broken() -> &'static str {
        panic!("a bug in a handler")
    }
    let routes = axum::Router::new().route("/rusak", get(broken));
    let router = musdes::web::layers::apply(
        routes,
        musdes::AppState::new(app.store.clone(), app.config.clone()),
    );
    let r = app
        .send_to(
            router.clone(),
            Request::get("/rusak").body(Body::empty()).unwrap(),
        )
        .await;
    r.assert(StatusCode::INTERNAL_SERVER_ERROR)
        .contains(id_text("error.page.500"))
        .contains("<html lang=\"id\">");
    assert!(
        !r.body.contains("a bug in a handler"),
        "internals must not leak"
    );
    let r = app
        .send_to(
            router,
            Request::get("/rusak?lang=en").body(Body::empty()).unwrap(),
        )
        .await;
    r.contains(en_text("error.page.500"));
}

/// Every form that removes something asks first (a `<details class="confirm">` step that
/// works without JavaScript), on every page of the demo an admin can reach. An attendance
/// line is the exception: it is removed at once and offered back ("Urungkan"); taking a
/// proposal off an agenda asks for a reason.
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn every_removal_asks_first(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    musdes::demo::load(&app.store).await.unwrap();
    app.login("admin@majasari.desa.id", musdes::demo::PASSWORD)
        .await
        .assert(StatusCode::SEE_OTHER);
    let pages = crate::injection::walk(&mut app, &["/".into(), "/admin/desa".into()]).await;
    let form = scraper::Selector::parse("form[action*=\"/hapus\"]").unwrap();
    let confirm = scraper::Selector::parse("details.confirm").unwrap();
    let mut removals = std::collections::BTreeSet::new();
    let mut unasked = Vec::new();
    for (path, _, kind, body) in &pages {
        if !kind.starts_with("text/html") {
            continue;
        }
        let doc = scraper::Html::parse_document(body);
        for f in doc.select(&form) {
            let action = f.value().attr("action").unwrap_or_default();
            if action.contains("/hadir/") || action.contains("/agenda/hapus") {
                continue;
            }
            let kind: String = action
                .split('/')
                .filter(|s| s.parse::<uuid::Uuid>().is_err())
                .collect::<Vec<_>>()
                .join("/");
            removals.insert(kind);
            if f.select(&confirm).next().is_none() {
                unasked.push(format!("{path}: {action}"));
            }
        }
    }
    assert!(
        unasked.is_empty(),
        "removals without a confirmation step: {unasked:#?}"
    );
    // The walk met the removals the demo has: relations, invitations, programmes, the
    // installation's rules and dates.
    assert!(removals.len() >= 4, "{removals:?}");
}
