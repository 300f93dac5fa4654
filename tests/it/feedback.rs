use axum::http::StatusCode;
use musdes::domain::account::Role;

use crate::common::{Backend, TestApp, id_text};
use rstest::rstest;

/// A village, a published proposal in it, and its page's path.
async fn proposal(app: &mut TestApp) -> (musdes::store::villages::Village, String) {
    let v = app.village("sukamaju").await;
    app.login_as("pengusul@desa.id", Role::Resident, Some(&v))
        .await;
    let r = app
        .post(
            "/desa/sukamaju/usulan",
            &[
                ("title", "Irigasi sawah"),
                ("problem", "Saluran air tersumbat lumpur"),
                ("bidang", "02"),
            ],
        )
        .await;
    r.assert(StatusCode::SEE_OTHER);
    let path = r.location().to_string();
    app.logout().await;
    (v, path)
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_long_thread_is_shown_fifty_entries_at_a_time_newest_first(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, path) = proposal(&mut app).await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    for i in 1..=120 {
        let kind = if i % 10 == 0 { "concern" } else { "comment" };
        app.post(
            &format!("{path}/tanggapan"),
            &[("kind", kind), ("body", &format!("Tanggapan nomor {i:03}"))],
        )
        .await
        .assert(StatusCode::SEE_OTHER);
    }
    app.logout().await;
    let page = app.get(&path).await;
    page.assert(StatusCode::OK)
        .contains("Menampilkan 50 dari 120 tanggapan.")
        .contains("Tanggapan nomor 120")
        .contains("Tanggapan nomor 071")
        .lacks("Tanggapan nomor 070")
        .contains("?tanggapan=2#tanggapan");
    let last = app.get(&format!("{path}?tanggapan=3")).await;
    last.assert(StatusCode::OK)
        .contains("Menampilkan 20 dari 120 tanggapan.")
        .contains("Tanggapan nomor 001")
        .lacks("Tanggapan nomor 021")
        .lacks("?tanggapan=4")
        .contains("?tanggapan=2#tanggapan");
    // The oldest of a page comes first, as a conversation reads.
    assert!(last.body.find("nomor 001").unwrap() < last.body.find("nomor 020").unwrap());
    app.get(&format!("{path}?tanggapan=abc"))
        .await
        .assert(StatusCode::OK)
        .contains("Tanggapan nomor 120");
    app.get(&format!("{path}?tanggapan=999999"))
        .await
        .assert(StatusCode::OK);
    // The count of unanswered concerns covers the whole thread, not the page.
    app.login_as("kades@desa.id", Role::Official, Some(&v))
        .await;
    app.get(&format!("{path}?tanggapan=3"))
        .await
        .contains("<strong>12</strong>");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn residents_comment_and_raise_concerns_and_an_official_answers(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, path) = proposal(&mut app).await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    app.post(
        &format!("{path}/tanggapan"),
        &[
            ("kind", "comment"),
            ("body", "Setuju, sawah kami sering kering"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.post(
        &format!("{path}/tanggapan"),
        &[
            ("kind", "concern"),
            ("body", "Siapa yang merawat saluran setelah dibangun?"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get(&path)
        .await
        .contains(id_text("feedback.thanks"))
        .contains("sawah kami sering kering")
        .lacks("Kekhawatiran yang belum dijawab");
    // A resident cannot answer.
    let entries = app
        .store
        .feedback_for(
            app.store
                .proposal_by_number(v.id, path.rsplit('/').next().unwrap())
                .await
                .unwrap()
                .id,
        )
        .await
        .unwrap();
    let concern = entries
        .iter()
        .find(|e| e.kind == "concern")
        .unwrap()
        .id
        .to_string();
    app.post(
        &format!("{path}/jawaban"),
        &[("feedback", &concern), ("body", "Saya jawab sendiri")],
    )
    .await
    .assert(StatusCode::FORBIDDEN);
    app.logout().await;

    app.login_as("kades@desa.id", Role::Official, Some(&v))
        .await;
    app.get(&path)
        .await
        .contains("Kekhawatiran yang belum dijawab: <strong>1</strong>");
    app.post(
        &format!("{path}/jawaban"),
        &[("feedback", &concern), ("body", "")],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.feedback_body"));
    app.post(
        &format!("{path}/jawaban"),
        &[
            ("feedback", &concern),
            ("body", "Kelompok tani P3A merawatnya tiap bulan"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get(&path)
        .await
        .contains("Kekhawatiran yang belum dijawab: <strong>0</strong>")
        .contains(id_text("feedback.answer_by"))
        .contains("Kelompok tani P3A merawatnya tiap bulan")
        .contains(&format!(
            "{} ({})",
            id_text("event.answered"),
            id_text("feedback_kind.concern")
        ))
        // The timeline names what was answered in words, not by its code.
        .lacks("concern: ");
    // The answer is on the public timeline and in open data.
    app.forget_cookies();
    let json: serde_json::Value =
        serde_json::from_str(&app.get(&format!("/api/v1{path}")).await.body).unwrap();
    let kinds: Vec<&str> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["submitted", "concern_raised", "answered"]);
    let answered = &json["events"][2];
    assert_eq!(answered["from"], "concern");
    assert_eq!(answered["note"], "Kelompok tani P3A merawatnya tiap bulan");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_second_support_by_the_same_person_counts_once_with_a_calm_message(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, path) = proposal(&mut app).await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    app.post(
        &format!("{path}/tanggapan"),
        &[("kind", "support"), ("body", "")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get(&path)
        .await
        .contains(id_text("feedback.supported"))
        .contains("1 dukungan");
    app.post(
        &format!("{path}/tanggapan"),
        &[("kind", "support"), ("body", "")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get(&path)
        .await
        .contains(id_text("feedback.already_supported"))
        .contains("1 dukungan");
    let json: serde_json::Value =
        serde_json::from_str(&app.get("/api/v1/desa/sukamaju/usulan").await.body).unwrap();
    assert_eq!(json["items"][0]["supports"], 1);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn feedback_needs_a_login_and_a_role_in_this_village(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (_, path) = proposal(&mut app).await;
    let r = app
        .post(
            &format!("{path}/tanggapan"),
            &[("kind", "comment"), ("body", "Halo semua")],
        )
        .await;
    r.assert(StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/masuk?next="));
    app.get(&path).await.contains(id_text("feedback.login_to"));
    let other = app.village("mekarsari").await;
    app.login_as("warga@mekarsari.id", Role::Resident, Some(&other))
        .await;
    app.post(
        &format!("{path}/tanggapan"),
        &[("kind", "comment"), ("body", "Halo semua")],
    )
    .await
    .assert(StatusCode::FORBIDDEN);
    app.post(&format!("{path}/tanggapan"), &[("kind", "support")])
        .await
        .assert(StatusCode::FORBIDDEN);
    let p = app
        .store
        .list_proposals(
            app.store.village_by_slug("sukamaju").await.unwrap().id,
            &Default::default(),
            Default::default(),
            5,
            0,
        )
        .await
        .unwrap();
    assert_eq!(p[0].supports, 0);
    assert!(app.store.feedback_for(p[0].id).await.unwrap().is_empty());
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn empty_or_unknown_feedback_is_422_and_keeps_the_text(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, path) = proposal(&mut app).await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    app.post(
        &format!("{path}/tanggapan"),
        &[("kind", "comment"), ("body", " ")],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.feedback_body"));
    app.post(
        &format!("{path}/tanggapan"),
        &[("kind", "suka"), ("body", "Bagus sekali")],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains("Bagus sekali");
    let long = "x".repeat(2001);
    app.post(
        &format!("{path}/tanggapan"),
        &[("kind", "concern"), ("body", &long)],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.too_long"));
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn an_official_hides_an_abusive_entry_and_the_hiding_stays_on_record(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, path) = proposal(&mut app).await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    app.post(
        &format!("{path}/tanggapan"),
        &[
            ("kind", "comment"),
            ("body", "<script>alert(1)</script> makian jorok"),
        ],
    )
    .await;
    app.get(&path)
        .await
        .lacks("<script>alert(1)</script>")
        .contains("&#60;script&#62;");
    app.logout().await;
    app.login_as("kades@desa.id", Role::Official, Some(&v))
        .await;
    let pid = app
        .store
        .proposal_by_number(v.id, path.rsplit('/').next().unwrap())
        .await
        .unwrap()
        .id;
    let entry = app.store.feedback_for(pid).await.unwrap()[0].id;
    let hide = format!("{path}/tanggapan/{entry}/sembunyikan");
    app.post(&hide, &[("reason", "")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY);
    app.post(&hide, &[("reason", "Kata-kata kasar")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get(&path)
        .await
        .lacks("makian jorok")
        .contains("Kata-kata kasar")
        .contains(id_text("event.feedback_hidden"));
    app.post(&hide, &[("reason", "Lagi")])
        .await
        .assert(StatusCode::NOT_FOUND);
    let audit = app
        .store
        .audit_for("feedback", &entry.to_string())
        .await
        .unwrap();
    assert_eq!(audit[0].action, "hide");
    assert_eq!(audit[1].action, "create");
    // Unknown or foreign entries.
    app.post(
        &format!("{path}/jawaban"),
        &[("feedback", "bukan-id"), ("body", "Jawaban")],
    )
    .await
    .assert(StatusCode::NOT_FOUND);
    app.post(
        &format!("{path}/jawaban"),
        &[
            ("feedback", &uuid::Uuid::nil().to_string()),
            ("body", "Jawaban"),
        ],
    )
    .await
    .assert(StatusCode::NOT_FOUND);
    app.post(
        &format!("{path}/tanggapan/bukan-id/sembunyikan"),
        &[("reason", "Alasan")],
    )
    .await
    .assert(StatusCode::NOT_FOUND);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn a_proposer_cannot_support_their_own_proposal(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    let (v, path) = proposal(&mut app).await;
    app.login_as("pengusul@desa.id", Role::Resident, Some(&v))
        .await;
    // No support button for the proposer: a word on why instead.
    app.get(&path)
        .await
        .contains(id_text("feedback.own_proposal"))
        .lacks(id_text("feedback.support_button"));
    // Posted anyway (an old page, a crafted form): refused with the reason, nothing counted.
    app.post(&format!("{path}/tanggapan"), &[("kind", "support")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.own_support"));
    app.logout().await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    app.get(&path)
        .await
        .contains(id_text("feedback.support_button"));
    app.post(&format!("{path}/tanggapan"), &[("kind", "support")])
        .await
        .assert(StatusCode::SEE_OTHER);
    let json: serde_json::Value =
        serde_json::from_str(&app.get(&format!("/api/v1{path}")).await.body).unwrap();
    assert_eq!(json["supports"], 1, "{json}");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_proposals_page_is_read_once_per_change_of_its_village_on_any_server(
    #[case] backend: Backend,
) {
    use musdes::web::cache::records::{Reader, record, record_cache};
    use std::sync::Arc;
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, path) = proposal(&mut app).await;
    let number = path.rsplit('/').next().unwrap().to_string();
    let p = app.store.proposal_by_number(v.id, &number).await.unwrap();
    let cache = record_cache(true);
    let everyone = Reader {
        staff: false,
        planner: false,
    };
    let kept = |village: &musdes::store::villages::Village| {
        let (cache, store, village, p) = (&cache, &app.store, village.clone(), p.clone());
        async move {
            record(Some(cache), store, &village, &p, everyone, 50)
                .await
                .unwrap()
        }
    };
    let village = |slug: &'static str| {
        let store = app.store.clone();
        async move { store.village_by_slug(slug).await.unwrap() }
    };
    let other_before = app.village("mekarsari").await.revision;
    // Nothing changed: the second view is served what the first read.
    let first = kept(&village("sukamaju").await).await;
    let again = kept(&village("sukamaju").await).await;
    assert!(Arc::ptr_eq(&first, &again));
    // A change in the village counts up its revision in the change's own transaction.
    let before = village("sukamaju").await.revision;
    let user = app
        .account("tetangga@desa.id", Role::Resident, Some(&v))
        .await;
    app.store
        .add_feedback(
            v.id,
            p.id,
            musdes::domain::feedback::Kind::Comment,
            &musdes::store::Actor::new(user, "Tetangga"),
            "Saluran kami juga tersumbat",
        )
        .await
        .unwrap();
    let now = village("sukamaju").await;
    assert!(now.revision > before);
    let fresh = kept(&now).await;
    assert!(!Arc::ptr_eq(&first, &fresh));
    assert!(
        fresh
            .thread
            .entries
            .iter()
            .any(|e| e.body == "Saluran kami juga tersumbat")
    );
    // Another village's records stay as they were kept.
    assert_eq!(village("mekarsari").await.revision, other_before);

    // Through the pages: an official reads the proposal on this server, a resident
    // answers through another server of the same database, and the official's next view
    // here shows it at once.
    app.login_as("sekdes@desa.id", Role::Official, Some(&v))
        .await;
    app.get(&path)
        .await
        .assert(StatusCode::OK)
        .lacks("Kapan saluran dibersihkan?");
    let official = app.cookies.clone();
    let here = app.router.clone();
    app.forget_cookies();
    app.router = app.second_server();
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    app.post(
        &format!("{path}/tanggapan"),
        &[("kind", "concern"), ("body", "Kapan saluran dibersihkan?")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.router = here;
    app.cookies = official;
    app.get(&path)
        .await
        .assert(StatusCode::OK)
        .contains("Kapan saluran dibersihkan?");
}
