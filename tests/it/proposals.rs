use axum::http::StatusCode;
use musdes::domain::account::Role;

use crate::common::{Backend, TestApp, id_text};
use rstest::rstest;

fn year() -> i32 {
    musdes::store::proposals::current_year(chrono_tz::Asia::Jakarta)
}

pub(crate) fn fields<'a>(
    title: &'a str,
    problem: &'a str,
    bidang: &'a str,
    cost: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("problem", problem),
        ("description", ""),
        ("bidang", bidang),
        ("dusun", "Dusun I"),
        ("location", "RT 02"),
        ("estimated_cost", cost),
    ]
}

/// A member's proposal that passed every rule, for tests that store straight through the
/// store.
fn checked(v: &musdes::store::villages::Village) -> musdes::domain::proposal::NewProposal {
    let form = musdes::domain::proposal::ProposalForm {
        title: "Sumur bor".into(),
        problem: "Air bersih sulit di musim kemarau".into(),
        bidang: "02".into(),
        ..Default::default()
    };
    form.validate(&v.hamlets, musdes::domain::proposal::Submitter::Member)
        .unwrap()
}

/// Stores `checked` in `village` straight through the store, as sent in 2026 by `name`;
/// in a task of its own, so that many may be sent at once.
fn send(
    store: &musdes::store::Store,
    village: uuid::Uuid,
    checked: &musdes::domain::proposal::NewProposal,
    name: String,
) -> tokio::task::JoinHandle<Result<String, musdes::store::StoreError>> {
    let (store, checked) = (store.clone(), checked.clone());
    tokio::spawn(async move {
        let s = musdes::store::proposals::Submission {
            proposal: &checked,
            status: "submitted",
            proposer_user: None,
            proposer_name: name,
            entered_by: None,
            entered_by_name: None,
            submitted_from: "10.0.0.1".into(),
            year: 2026,
            tracking_hash: None,
        };
        store
            .create_proposal(village, &s)
            .await
            .map(|n| n.to_string())
    })
}

async fn count(app: &TestApp, village: uuid::Uuid, staff: bool) -> usize {
    let filter = musdes::store::proposals::ProposalFilter {
        include_pending: staff,
        ..Default::default()
    };
    app.store
        .list_proposals(village, &filter, Default::default(), 1000, 0)
        .await
        .unwrap()
        .len()
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn the_portal_counts_a_new_proposal_at_once_though_its_counts_are_kept(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    // Counts kept for a minute, as in production.
    let mut config = app.config.clone();
    config.metrics_ttl = std::time::Duration::from_secs(60);
    app.set_config(config);
    let v = app.village("sukamaju").await;
    let other_server = app.second_server();
    app.get("/desa/sukamaju")
        .await
        .assert(StatusCode::OK)
        .contains("Usulan terbit: 0");
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    let mut f = fields(
        "Sumur bor untuk Dusun I",
        "Air bersih kurang di musim kemarau",
        "02",
        "",
    );
    f.push(("confirmed", "1"));
    app.post("/desa/sukamaju/usulan", &f)
        .await
        .assert(StatusCode::SEE_OTHER);
    // The server that took the proposal recounts at once.
    app.get("/desa/sukamaju").await.contains("Usulan terbit: 1");
    // A refused POST (422) changes nothing and keeps the counts.
    app.post("/desa/sukamaju/usulan", &fields("x", "y", "02", ""))
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY);
    app.get("/desa/sukamaju").await.contains("Usulan terbit: 1");
    // Another server counts afresh when it first shows the village.
    let r = app
        .send_to(
            other_server,
            axum::http::Request::get("/desa/sukamaju")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    r.contains("Usulan terbit: 1");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn anonymous_readers_share_a_kept_page_until_the_village_changes(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let mut config = app.config.clone();
    config.page_cache_ttl = std::time::Duration::from_secs(60);
    app.set_config(config);
    let v = app.village("sukamaju").await;
    let server_a = app.router.clone();
    let server_b = app.second_server();
    // Each language is kept apart (the `?lang=` sets a cookie; a reader without it gets
    // Bahasa Indonesia).
    app.get("/desa/sukamaju/usulan?lang=en")
        .await
        .assert(StatusCode::OK)
        .contains("<html lang=\"en\">");
    app.cookies.remove("lang");
    app.get("/desa/sukamaju/usulan")
        .await
        .assert(StatusCode::OK)
        .contains("<html lang=\"id\">")
        .lacks("Sumur bor");

    // A proposal arrives through another server: this one keeps its page a while.
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    app.router = server_b;
    let mut f = fields(
        "Sumur bor untuk Dusun I",
        "Air bersih kurang di musim kemarau",
        "02",
        "",
    );
    f.push(("confirmed", "1"));
    app.post("/desa/sukamaju/usulan", &f)
        .await
        .assert(StatusCode::SEE_OTHER);
    app.router = server_a;
    // The logged-in resident is never served a kept page.
    app.get("/desa/sukamaju/usulan")
        .await
        .contains("Sumur bor untuk Dusun I");
    let mut anonymous = app.cookies.clone();
    anonymous.remove("musdes_session");
    let session = std::mem::replace(&mut app.cookies, anonymous);
    app.get("/desa/sukamaju/usulan").await.lacks("Sumur bor");
    app.get("/api/v1/desa/sukamaju/usulan")
        .await
        .contains("Sumur bor untuk Dusun I");

    // A change in the village through this server: its pages are made afresh at once.
    app.cookies = session;
    let mut f = fields(
        "Lampu jalan di RT 02",
        "Jalan gelap dan rawan di malam hari",
        "02",
        "",
    );
    f.push(("confirmed", "1"));
    app.post("/desa/sukamaju/usulan", &f)
        .await
        .assert(StatusCode::SEE_OTHER);
    app.cookies.remove("musdes_session");
    app.get("/desa/sukamaju/usulan")
        .await
        .contains("Sumur bor untuk Dusun I")
        .contains("Lampu jalan di RT 02");
    app.get("/desa/sukamaju/usulan?lang=en")
        .await
        .contains("<html lang=\"en\">")
        .contains("Lampu jalan di RT 02");
    app.cookies.remove("lang");
    app.get("/desa/sukamaju/usulan")
        .await
        .contains("<html lang=\"id\">");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_resident_submits_and_everyone_sees_it_with_its_number(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    app.get("/desa/sukamaju/usulan/baru")
        .await
        .assert(StatusCode::OK)
        .lacks("name=\"proposer_name\"");
    let r = app
        .post(
            "/desa/sukamaju/usulan",
            &fields(
                "Perbaikan jalan dusun",
                "Jalan berlubang dan becek saat hujan",
                "02",
                "Rp 1.500.000",
            ),
        )
        .await;
    r.assert(StatusCode::SEE_OTHER);
    let number = format!("{}-001", year());
    assert_eq!(r.location(), format!("/desa/sukamaju/usulan/{number}"));
    app.get(r.location())
        .await
        .assert(StatusCode::OK)
        .contains(id_text("proposal.submitted_notice"))
        .contains(&number)
        .contains("Rp 1.500.000")
        .contains(id_text("bidang.02"))
        .contains("aria-current=\"step\"")
        .contains(id_text("level.inform"))
        .contains("Test Person");
    // The notice is shown once: the page that showed it cleared it.
    app.get(r.location())
        .await
        .assert(StatusCode::OK)
        .lacks(id_text("proposal.submitted_notice"));
    // The public sees it too, in the list and as open data.
    app.forget_cookies();
    app.get("/desa/sukamaju/usulan")
        .await
        .contains("Perbaikan jalan dusun");
    let api = app.get("/api/v1/desa/sukamaju/usulan").await;
    api.assert(StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(json["items"][0]["number"], number.as_str());
    assert_eq!(json["items"][0]["level"], "inform");
    assert_eq!(json["items"][0]["status"], "submitted");
    assert_eq!(json["items"][0]["estimated_cost"], 1_500_000);
    let one: serde_json::Value = serde_json::from_str(
        &app.get(&format!("/api/v1/desa/sukamaju/usulan/{number}"))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(one["events"][0]["kind"], "submitted");
    assert!(one["events"][0]["at"].as_str().unwrap().ends_with('Z'));
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn numbers_are_unique_when_many_submit_at_once(#[case] backend: Backend) {
    let Some(app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    let checked = checked(&v);
    let tasks: Vec<_> = (0..25)
        .map(|_| send(&app.store, v.id, &checked, "Warga".into()))
        .collect();
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap().unwrap());
    }
    numbers.sort();
    let expected: Vec<String> = (1..=25).map(|i| format!("2026-{i:03}")).collect();
    assert_eq!(numbers, expected);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_submission_that_fails_leaves_those_sent_with_it_stored(#[case] backend: Backend) {
    let Some(app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    let checked = checked(&v);
    // Twelve at once, the seventh for a village that does not exist: its write fails
    // (and with it the transaction it shared), the others are written again and stored.
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let village = if i == 6 { uuid::Uuid::new_v4() } else { v.id };
            send(&app.store, village, &checked, format!("Warga {i}"))
        })
        .collect();
    let mut numbers = Vec::new();
    for (i, t) in tasks.into_iter().enumerate() {
        match t.await.unwrap() {
            Ok(n) => numbers.push(n),
            Err(e) => assert_eq!(i, 6, "{e}"),
        }
    }
    numbers.sort();
    let expected: Vec<String> = (1..=11).map(|i| format!("2026-{i:03}")).collect();
    assert_eq!(numbers, expected);
    for n in &numbers {
        let p = app.store.proposal_by_number(v.id, n).await.unwrap();
        assert_eq!(app.store.proposal_events(p.id).await.unwrap().len(), 1);
    }
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_visitor_without_an_account_waits_in_moderation_and_is_never_lost(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.get("/desa/sukamaju/usulan/baru")
        .await
        .contains("name=\"proposer_name\"")
        .contains("name=\"phone\"");
    // Name and dusun are required without an account.
    let mut f = fields("Lampu jalan", "Gelap di malam hari, rawan", "03", "");
    f.retain(|(k, _)| *k != "dusun");
    app.post("/desa/sukamaju/usulan", &f)
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.proposer_name"))
        .contains(id_text("error.dusun_required"))
        .contains("value=\"Lampu jalan\"");
    assert_eq!(count(&app, v.id, true).await, 0);
    let mut f = fields("Lampu jalan", "Gelap di malam hari, rawan", "03", "");
    f.push(("proposer_name", "Bu Sri"));
    f.push(("phone", "0812 3456 7890"));
    let r = app.post("/desa/sukamaju/usulan", &f).await;
    r.assert(StatusCode::SEE_OTHER);
    let page = app.get(r.location()).await;
    page.assert(StatusCode::OK)
        .contains(id_text("proposal.pending_notice"))
        .contains(id_text("status.pending"))
        .lacks("0812");
    let path = r.location().to_string();
    // Not public: not listed, not in open data, not found by others.
    assert_eq!(count(&app, v.id, false).await, 0);
    assert_eq!(count(&app, v.id, true).await, 1);
    app.forget_cookies();
    app.get(&path).await.assert(StatusCode::NOT_FOUND);
    app.get(&format!("/api/v1{}", path))
        .await
        .assert(StatusCode::NOT_FOUND);
    app.get("/desa/sukamaju/usulan").await.lacks("Lampu jalan");
    // The village's facilitator sees it, with the phone left to call Bu Sri back.
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    app.get(&path)
        .await
        .assert(StatusCode::OK)
        .contains("Bu Sri")
        .contains("0812");
    app.get("/desa/sukamaju/usulan?status=pending")
        .await
        .contains("Lampu jalan");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn the_sixth_anonymous_submission_from_one_address_within_ten_minutes_is_429(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    for i in 0..5 {
        let title = format!("Usulan nomor {i}");
        let mut f = fields(&title, "Kebutuhan warga yang mendesak", "02", "");
        f.push(("proposer_name", "Pak Budi"));
        app.post("/desa/sukamaju/usulan", &f)
            .await
            .assert(StatusCode::SEE_OTHER);
    }
    let mut f = fields("Usulan keenam", "Kebutuhan warga yang mendesak", "02", "");
    f.push(("proposer_name", "Pak Budi"));
    app.post("/desa/sukamaju/usulan", &f)
        .await
        .assert(StatusCode::TOO_MANY_REQUESTS)
        .contains(id_text("error.page.429"));
    assert_eq!(count(&app, v.id, true).await, 5);
    // Another address may still submit; a resident with an account is not limited.
    app.client_ip = [10, 0, 0, 2];
    app.post("/desa/sukamaju/usulan", &f)
        .await
        .assert(StatusCode::SEE_OTHER);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_facilitator_enters_a_paper_proposal_on_someones_behalf(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    app.get("/desa/sukamaju/usulan/baru")
        .await
        .contains("name=\"proposer_name\"")
        .contains(id_text("channel.paper"));
    let mut f = fields(
        "Pelatihan menjahit",
        "Ibu-ibu ingin usaha rumahan",
        "04",
        "3000000",
    );
    f.push(("proposer_name", "Kelompok PKK Dusun I"));
    f.push(("channel", "paper"));
    let r = app.post("/desa/sukamaju/usulan", &f).await;
    r.assert(StatusCode::SEE_OTHER);
    app.get(r.location())
        .await
        .contains("Kelompok PKK Dusun I")
        .contains(id_text("channel.paper"))
        .contains("Test Person (paper)")
        .contains("Diajukan");
    assert_eq!(count(&app, v.id, false).await, 1, "published at once");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn bad_proposals_get_422_with_every_value_kept_and_nothing_stored(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    let cases: [(&str, &str, &str, &str, &str); 8] = [
        (
            "Jln",
            "Jalan rusak parah sekali",
            "02",
            "",
            "Judul 5–200 karakter.",
        ),
        (
            &"x".repeat(201),
            "Jalan rusak parah sekali",
            "02",
            "",
            "Judul 5–200 karakter.",
        ),
        (
            "Jalan rusak",
            "rusak",
            "02",
            "",
            "paling sedikit 10 karakter",
        ),
        (
            "Jalan rusak",
            "Jalan rusak parah sekali",
            "06",
            "",
            "Pilih bidang 01–05.",
        ),
        (
            "Jalan rusak",
            "Jalan rusak parah sekali",
            "02",
            "-5",
            id_text("error.cost"),
        ),
        (
            "Jalan rusak",
            "Jalan rusak parah sekali",
            "02",
            "1,5",
            id_text("error.cost"),
        ),
        (
            "Jalan rusak",
            "Jalan rusak parah sekali",
            "02",
            "abc",
            id_text("error.cost"),
        ),
        (
            "Jalan rusak",
            "Jalan rusak parah sekali",
            "02",
            "10000000000001",
            id_text("error.cost"),
        ),
    ];
    for (title, problem, bidang, cost, message) in cases {
        let r = app
            .post(
                "/desa/sukamaju/usulan",
                &fields(title, problem, bidang, cost),
            )
            .await;
        r.assert(StatusCode::UNPROCESSABLE_ENTITY)
            .contains(message)
            .contains("value=\"RT 02\"");
        if !cost.is_empty() {
            r.contains(&format!("value=\"{cost}\""));
        }
    }
    assert_eq!(count(&app, v.id, true).await, 0);
    for cost in ["Rp 1.500.000", "1500000"] {
        let mut f = fields("Jalan rusak", "Jalan rusak parah sekali", "02", cost);
        f.push(("confirmed", "1")); // the second is a near-duplicate of the first
        app.post("/desa/sukamaju/usulan", &f)
            .await
            .assert(StatusCode::SEE_OTHER);
    }
    let all = app
        .store
        .list_proposals(v.id, &Default::default(), Default::default(), 10, 0)
        .await
        .unwrap();
    assert!(all.iter().all(|p| p.estimated_cost == Some(1_500_000)));
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn script_in_any_field_is_stored_as_typed_and_shown_as_text(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    let x = "<script>alert(1)</script>";
    let f = vec![
        ("title", x),
        ("problem", "<script>alert(1)</script> masalah"),
        ("description", x),
        ("bidang", "01"),
        ("location", x),
    ];
    let r = app.post("/desa/sukamaju/usulan", &f).await;
    r.assert(StatusCode::SEE_OTHER);
    let path = r.location().to_string();
    app.get(&path).await.lacks(x).contains("&#60;script&#62;");
    app.get("/desa/sukamaju/usulan").await.lacks(x);
    app.get("/desa/sukamaju").await.lacks(x);
    let json: serde_json::Value =
        serde_json::from_str(&app.get(&format!("/api/v1{path}")).await.body).unwrap();
    assert_eq!(json["title"], x, "stored as typed");
    let raw = app.get(&format!("/api/v1{path}")).await;
    assert!(raw.header("content-type").starts_with("application/json"));
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn finding_proposals_by_words_filters_and_pages(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    app.post(
        "/desa/sukamaju/usulan",
        &fields(
            "Perbaikan jalan desa",
            "Jalan berlubang di depan sekolah",
            "02",
            "",
        ),
    )
    .await;
    app.post(
        "/desa/sukamaju/usulan",
        &fields(
            "Pelatihan ternak sapi",
            "Kelompok tani ingin beternak",
            "04",
            "",
        ),
    )
    .await;
    let mut f = fields(
        "Posyandu balita",
        "Timbangan rusak, perlu diganti",
        "02",
        "",
    );
    f[4] = ("dusun", "Dusun II");
    app.post("/desa/sukamaju/usulan", &f).await;
    let list = |q: &str| format!("/desa/sukamaju/usulan?{q}");
    app.get(&list("q=sekolah"))
        .await
        .contains("Perbaikan jalan desa")
        .lacks("Pelatihan ternak")
        .lacks("Posyandu");
    app.get(&list("q=ternak"))
        .await
        .contains("Pelatihan ternak sapi")
        .lacks("Perbaikan jalan");
    app.get(&list("q=SAPI+kelompok"))
        .await
        .contains("Pelatihan ternak sapi");
    app.get(&list("bidang=04"))
        .await
        .contains("Pelatihan ternak")
        .lacks("Perbaikan jalan");
    app.get(&list("dusun=Dusun+II"))
        .await
        .contains("Posyandu")
        .lacks("Pelatihan ternak");
    app.get(&list("tingkat=inform&status=submitted"))
        .await
        .contains("Posyandu")
        .contains("Perbaikan jalan");
    app.get(&list("tingkat=empower"))
        .await
        .contains(id_text("proposal.none_found"));
    app.get(&list("sort=dukungan")).await.assert(StatusCode::OK);
    app.get(&list("sort=tingkat&page=abc"))
        .await
        .assert(StatusCode::OK);
    // Query syntax typed by a person never breaks the search.
    for q in ["%22", "jalan%22+AND(", "*", "NOT", "a:b", "%27%3B--"] {
        app.get(&list(&format!("q={q}")))
            .await
            .assert(StatusCode::OK);
    }
    let api: serde_json::Value = serde_json::from_str(
        &app.get("/api/v1/desa/sukamaju/usulan?per_page=2")
            .await
            .body,
    )
    .unwrap();
    assert_eq!(api["items"].as_array().unwrap().len(), 2);
    assert_eq!(api["has_next"], true);
    let api: serde_json::Value = serde_json::from_str(
        &app.get("/api/v1/desa/sukamaju/usulan?per_page=2&page=2")
            .await
            .body,
    )
    .unwrap();
    assert_eq!(api["items"].as_array().unwrap().len(), 1);
    assert_eq!(api["has_next"], false);
    // More than 100 a page is refused, not quietly cut to the default.
    app.get("/api/v1/desa/sukamaju/usulan?per_page=500")
        .await
        .assert(StatusCode::BAD_REQUEST);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn unknown_villages_and_numbers_are_404(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.village("sukamaju").await;
    app.get("/desa/tidak-ada/usulan")
        .await
        .assert(StatusCode::NOT_FOUND);
    app.get("/desa/sukamaju/usulan/2026-999")
        .await
        .assert(StatusCode::NOT_FOUND);
    app.get("/desa/sukamaju/usulan/bukan-nomor")
        .await
        .assert(StatusCode::NOT_FOUND);
    let r = app.get("/api/v1/desa/sukamaju/usulan/2026-999").await;
    r.assert(StatusCode::NOT_FOUND);
    assert!(r.header("content-type").starts_with("application/json"));
    app.post(
        "/desa/tidak-ada/usulan",
        &fields("Jalan rusak", "Jalan rusak parah sekali", "02", ""),
    )
    .await
    .assert(StatusCode::NOT_FOUND);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_similar_proposal_is_offered_before_a_duplicate_is_stored(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    app.post(
        "/desa/sukamaju/usulan",
        &fields(
            "Perbaikan jalan Dusun I",
            "Jalan berlubang dan becek",
            "02",
            "",
        ),
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    // While typing (the page's script asks this).
    let json: serde_json::Value = serde_json::from_str(
        &app.get("/desa/sukamaju/usulan/mirip?title=Perbaikan+jalan+rusak")
            .await
            .body,
    )
    .unwrap();
    assert_eq!(json["items"][0]["title"], "Perbaikan jalan Dusun I");
    let none: serde_json::Value = serde_json::from_str(
        &app.get("/desa/sukamaju/usulan/mirip?title=Pelatihan+menjahit")
            .await
            .body,
    )
    .unwrap();
    assert!(none["items"].as_array().unwrap().is_empty());
    // Without JavaScript: a confirmation step, nothing stored yet.
    let dup = fields(
        "Perbaikan jalan rusak Dusun I",
        "Jalan berlubang, becek kalau hujan",
        "02",
        "2.000.000",
    );
    let r = app.post("/desa/sukamaju/usulan", &dup).await;
    r.assert(StatusCode::OK)
        .contains(id_text("similar.title"))
        .contains(&format!("{}-001", year()))
        .contains("name=\"confirmed\" value=\"1\"")
        .contains("value=\"2.000.000\"");
    assert_eq!(count(&app, v.id, true).await, 1);
    let mut again = dup.clone();
    again.push(("confirmed", "1"));
    app.post("/desa/sukamaju/usulan", &again)
        .await
        .assert(StatusCode::SEE_OTHER);
    assert_eq!(count(&app, v.id, true).await, 2);
    // Something different goes straight through.
    app.post(
        "/desa/sukamaju/usulan",
        &fields(
            "Pelatihan menjahit",
            "Ibu-ibu ingin usaha rumahan",
            "04",
            "",
        ),
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get("/static/similar.js").await.assert(StatusCode::OK);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn open_data_lists_its_villages_and_refuses_filters_it_does_not_know(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    for slug in ["sukamaju", "majasari", "cikande"] {
        app.village(slug).await;
    }
    let json = |body: &str| serde_json::from_str::<serde_json::Value>(body).unwrap();
    let index = app.get("/api/v1").await;
    index.assert(StatusCode::OK);
    assert_eq!(json(&index.body)["villages"], "/api/v1/desa");
    let all = json(&app.get("/api/v1/desa").await.body);
    assert_eq!(all["total"], 3);
    let names: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["slug"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["cikande", "majasari", "sukamaju"], "by name");
    assert_eq!(all["items"][0]["url"], "/api/v1/desa/cikande");
    // A search by the village's name or its kecamatan, any case; `%` is a character.
    let found = json(&app.get("/api/v1/desa?q=MAJA").await.body);
    assert_eq!(
        (found["total"].as_i64(), found["items"][0]["slug"].as_str()),
        (Some(1), Some("majasari"))
    );
    let found = json(&app.get("/api/v1/desa?q=kec+cikan").await.body);
    assert_eq!(found["items"][0]["slug"], "cikande");
    assert_eq!(json(&app.get("/api/v1/desa?q=%25").await.body)["total"], 0);
    let paged = json(&app.get("/api/v1/desa?per_page=2&page=2").await.body);
    assert_eq!(
        (
            paged["items"].as_array().unwrap().len(),
            paged["has_next"].as_bool()
        ),
        (1, Some(false))
    );
    // The home page searches the same way.
    app.get("/?q=majasari")
        .await
        .contains("Desa majasari")
        .lacks("Desa cikande");
    app.get("/?q=tidak-ada")
        .await
        .contains(id_text("home.none_found"));
    // Filters the open data does not know are refused, naming the field.
    for (query, field) in [
        ("status=foo", "status"),
        ("status=pending", "status"),
        ("bidang=09", "bidang"),
        ("tingkat=top", "tingkat"),
        ("sort=random", "sort"),
        ("per_page=500", "per_page"),
    ] {
        let r = app
            .get(&format!("/api/v1/desa/sukamaju/usulan?{query}"))
            .await;
        r.assert(StatusCode::BAD_REQUEST);
        let body = json(&r.body);
        assert_eq!(body["field"], field, "{query}");
        assert!(
            body["allowed"].as_array().is_some_and(|a| !a.is_empty()),
            "{body}"
        );
    }
    app.get("/api/v1/desa?per_page=0")
        .await
        .assert(StatusCode::BAD_REQUEST);
    // Known values still list; the pages for people ignore an unknown one.
    app.get("/api/v1/desa/sukamaju/usulan?status=submitted&bidang=02&tingkat=inform&sort=dukungan")
        .await
        .assert(StatusCode::OK);
    app.get("/desa/sukamaju/usulan?status=foo")
        .await
        .assert(StatusCode::OK);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn a_published_proposal_is_shared_on_whatsapp_with_a_preview_and_a_pending_one_is_not(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    let v = app.village("sukamaju").await;
    app.set_config(musdes::config::Config {
        public_url: Some("https://musdes.example.go.id".into()),
        ..app.config.clone()
    });
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    let path = app
        .post(
            "/desa/sukamaju/usulan",
            &fields(
                "Sumur bor Dusun II",
                "Air bersih sulit di musim kemarau",
                "02",
                "",
            ),
        )
        .await
        .location()
        .to_string();
    app.logout().await;
    app.forget_cookies();
    let page = app.get(&path).await;
    // The prepared message names the proposal and carries the page's full address.
    let url = format!("https://musdes.example.go.id{path}");
    let encoded: String = url
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_string()
            } else {
                format!("%{:02X}", c as u32)
            }
        })
        .collect();
    page.contains("href=\"https://wa.me/?text=")
        .contains(&encoded)
        .contains(id_text("share.whatsapp"))
        .contains("<meta property=\"og:title\" content=\"")
        .contains("Sumur bor Dusun II")
        .contains(&format!("<meta property=\"og:url\" content=\"{url}\">"))
        .contains(
            "<meta property=\"og:description\" content=\"Air bersih sulit di musim kemarau\">",
        );
    // What the next level still needs is there for every reader; the links to record it
    // are the staff's.
    page.contains(id_text("ladder.next"))
        .contains("<li class=\"bad\">")
        .lacks(id_text("ladder.record_it"));
    // A visitor's proposal waiting in moderation is not public: nothing to share, and the
    // proposer's own view of it offers no share link either.
    let r = app
        .post(
            "/desa/sukamaju/usulan",
            &[
                ("title", "Lampu jalan Dusun II"),
                ("problem", "Jalan gelap di malam hari"),
                ("bidang", "02"),
                ("proposer_name", "Bu Sri"),
                ("dusun", "Dusun II"),
                ("confirmed", "1"),
            ],
        )
        .await;
    r.assert(StatusCode::SEE_OTHER);
    app.get(r.location())
        .await
        .assert(StatusCode::OK)
        .contains("Lampu jalan Dusun II")
        .lacks("wa.me")
        .lacks("og:title");
}

/// The form names each bidang and sub-bidang in the regulation's words and in plain
/// ones, in the reader's language.
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn bidang_and_sub_bidang_come_with_plain_words(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    app.village("sukamaju").await;
    app.get("/desa/sukamaju/usulan/baru")
        .await
        .contains("Pelaksanaan Pembangunan Desa")
        .contains(crate::common::id_text("bidang_plain.02"))
        .contains("jalan, jembatan, saluran, irigasi, talud")
        .contains("aria-describedby=\"h-bidang\"");
    app.get("/desa/sukamaju/usulan/baru?lang=en")
        .await
        .contains(crate::common::en_text("bidang_plain.02"))
        .contains("roads, bridges, drains, irrigation, retaining walls");
}

/// The proposal form on paper, for a musyawarah dusun: the fields of the online form, the
/// village's dusun and the bidang in plain words to tick, a box for the number and
/// tracking code, and a QR code of the online form once the public address is set.
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn the_proposal_form_prints_for_a_musyawarah_dusun(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    app.village("sukamaju").await;
    app.get("/desa/sukamaju/usulan/baru")
        .await
        .contains("href=\"/desa/sukamaju/usulan/formulir\"");
    app.get("/desa/sukamaju/usulan/formulir?lang=en")
        .await
        .assert(StatusCode::OK)
        .contains("FORMULIR USULAN WARGA")
        .contains("☐ Dusun II")
        .contains(crate::common::id_text("bidang_plain.02"))
        .contains(crate::common::id_text("paper.office_use"))
        .contains(crate::common::id_text("paper.phone_private"))
        .lacks("<svg");
    app.get("/desa/tidak-ada/usulan/formulir")
        .await
        .assert(StatusCode::NOT_FOUND);
    app.set_config(musdes::config::Config {
        public_url: Some("https://musdes.example.go.id".into()),
        ..app.config.clone()
    });
    app.get("/desa/sukamaju/usulan/formulir")
        .await
        .contains("https://musdes.example.go.id/desa/sukamaju/usulan/baru")
        .contains("<svg");
}
