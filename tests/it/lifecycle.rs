use axum::http::StatusCode;
use musdes::domain::account::Role;

use crate::common::{Backend, TestApp, id_text, levels_counted};
use rstest::rstest;

async fn submit(app: &mut TestApp, anonymous: bool) -> String {
    let mut f = vec![
        ("title", "Drainase pasar"),
        ("problem", "Air menggenang setiap hujan deras"),
        ("bidang", "02"),
        ("dusun", "Dusun I"),
    ];
    if anonymous {
        f.push(("proposer_name", "Pak Anon"));
    }
    let r = app.post("/desa/sukamaju/usulan", &f).await;
    r.assert(StatusCode::SEE_OTHER);
    r.location().to_string()
}

async fn status_of(app: &TestApp, path: &str) -> (String, i64) {
    let v = app.store.village_by_slug("sukamaju").await.unwrap();
    let p = app
        .store
        .proposal_by_number(v.id, path.rsplit('/').next().unwrap())
        .await
        .unwrap();
    (p.status.code().to_string(), p.version)
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_facilitator_publishes_or_rejects_anonymous_submissions_with_a_reason(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    let first = submit(&mut app, true).await;
    let second = submit(&mut app, true).await;
    // Waiting for moderation, neither counts on the ladder yet.
    assert_eq!(levels_counted(&app, v.id).await, [0; 5]);
    app.forget_cookies();
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    app.get(&first)
        .await
        .contains(id_text("proposal.change_status"))
        .contains("value=\"submitted\"");
    app.post(
        &format!("{first}/status"),
        &[("status", "submitted"), ("note", ""), ("version", "1")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.post(
        &format!("{second}/status"),
        &[("status", "rejected"), ("note", ""), ("version", "1")],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.reason_required"));
    app.post(
        &format!("{second}/status"),
        &[
            ("status", "rejected"),
            ("note", "Sama dengan usulan 001"),
            ("version", "1"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, &first).await.0, "submitted");
    assert_eq!(status_of(&app, &second).await.0, "rejected");
    assert_eq!(levels_counted(&app, v.id).await, [2, 0, 0, 0, 0]);
    app.logout().await;
    // Both are now public, with the reason on the timeline; nothing was lost.
    app.get(&first)
        .await
        .assert(StatusCode::OK)
        .contains(id_text("event.published"));
    app.get(&second)
        .await
        .assert(StatusCode::OK)
        .contains("Sama dengan usulan 001")
        .contains("Ditolak");
    let json: serde_json::Value =
        serde_json::from_str(&app.get(&format!("/api/v1{second}")).await.body).unwrap();
    let last = json["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["from"].as_str(), last["to"].as_str()),
        (Some("pending"), Some("rejected"))
    );
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn only_staff_of_this_village_change_status(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    let path = submit(&mut app, false).await;
    app.get(&path).await.lacks("Ubah status");
    app.post(
        &format!("{path}/status"),
        &[("status", "in_review"), ("version", "1")],
    )
    .await
    .assert(StatusCode::FORBIDDEN);
    app.logout().await;
    let r = app
        .post(
            &format!("{path}/status"),
            &[("status", "in_review"), ("version", "1")],
        )
        .await;
    assert!(r.location().starts_with("/masuk?next="));
    let other = app.village("mekarsari").await;
    app.login_as("kades@mekarsari.id", Role::Official, Some(&other))
        .await;
    app.post(
        &format!("{path}/status"),
        &[("status", "in_review"), ("version", "1")],
    )
    .await
    .assert(StatusCode::FORBIDDEN);
    app.logout().await;
    // A facilitator moderates but does not review.
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    app.post(
        &format!("{path}/status"),
        &[("status", "in_review"), ("version", "1")],
    )
    .await
    .assert(StatusCode::FORBIDDEN);
    assert_eq!(status_of(&app, &path).await, ("submitted".to_string(), 1));
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn an_official_reviews_but_acceptance_comes_from_a_meeting(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.login_as("kades@desa.id", Role::Official, Some(&v))
        .await;
    let path = submit(&mut app, false).await;
    app.post(
        &format!("{path}/status"),
        &[("status", "accepted"), ("version", "1")],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains("tidak diizinkan");
    app.post(
        &format!("{path}/status"),
        &[("status", "terbang"), ("version", "1")],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY);
    app.post(
        &format!("{path}/status"),
        &[("status", "in_review"), ("version", "1")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.post(
        &format!("{path}/status"),
        &[
            ("status", "deferred"),
            ("note", "Ke DU-RKP 2027"),
            ("version", "2"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get(&path)
        .await
        .contains("Ditunda")
        .contains("Ke DU-RKP 2027");
    app.post(
        &format!("{path}/status"),
        &[("status", "in_review"), ("version", "x")],
    )
    .await
    .assert(StatusCode::BAD_REQUEST);
    let audit = app
        .store
        .audit_for(
            "proposal",
            &app.store
                .proposal_by_number(v.id, path.rsplit('/').next().unwrap())
                .await
                .unwrap()
                .id
                .to_string(),
        )
        .await
        .unwrap();
    assert_eq!(audit.iter().filter(|a| a.action == "status").count(), 2);
    assert!(audit[0].before.as_deref().unwrap().contains("in_review"));
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn two_officials_changing_one_proposal_at_once_one_wins_the_other_gets_409(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.login_as("kades@desa.id", Role::Official, Some(&v))
        .await;
    let path = submit(&mut app, false).await;
    // Both opened the page at version 1.
    app.post(
        &format!("{path}/status"),
        &[("status", "in_review"), ("version", "1")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    let r = app
        .post(
            &format!("{path}/status"),
            &[
                ("status", "rejected"),
                ("note", "Tidak prioritas"),
                ("version", "1"),
            ],
        )
        .await;
    r.assert(StatusCode::CONFLICT)
        .contains(id_text("error.stale"))
        .contains(id_text("status.in_review"));
    assert_eq!(status_of(&app, &path).await, ("in_review".to_string(), 2));
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn the_proposer_edits_while_submitted_and_every_edit_is_on_the_timeline(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    let path = submit(&mut app, false).await;
    app.get(&path)
        .await
        .contains(id_text("proposal.edit_title"));
    app.get(&format!("{path}/ubah"))
        .await
        .assert(StatusCode::OK)
        .contains("value=\"Drainase pasar\"");
    let edit = |title: &'static str, version: &'static str| {
        vec![
            ("title", title),
            ("problem", "Air menggenang setiap hujan deras"),
            ("bidang", "02"),
            ("dusun", "Dusun I"),
            // As villages say it: the page shows it as rupiah.
            ("estimated_cost", "Rp 7,5 jt"),
            ("version", version),
        ]
    };
    app.post(&format!("{path}/ubah"), &edit("Dr", "1"))
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.title_length"))
        .contains("value=\"Rp 7,5 jt\"");
    app.post(&format!("{path}/ubah"), &edit("Drainase pasar desa", "1"))
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get(&path)
        .await
        .contains("Drainase pasar desa")
        .contains("Rp 7.500.000")
        .contains(id_text("event.edited"))
        // The fields that changed, by their labels on the form, not their codes.
        .contains(&format!(
            "{}, {}",
            id_text("proposal.title"),
            id_text("proposal.cost")
        ))
        .lacks("estimated_cost");
    // A second edit from the old page is stale.
    app.post(&format!("{path}/ubah"), &edit("Drainase pasar lama", "1"))
        .await
        .assert(StatusCode::CONFLICT);
    let (_, version) = status_of(&app, &path).await;
    assert_eq!(version, 2);
    let audit = app
        .store
        .audit_for(
            "proposal",
            &app.store
                .proposal_by_number(v.id, path.rsplit('/').next().unwrap())
                .await
                .unwrap()
                .id
                .to_string(),
        )
        .await
        .unwrap();
    assert_eq!(audit[0].action, "edit");
    assert!(
        audit[0]
            .before
            .as_deref()
            .unwrap()
            .contains("\"Drainase pasar\"")
    );
    assert!(
        audit[0]
            .after
            .as_deref()
            .unwrap()
            .contains("Drainase pasar desa")
    );
    app.logout().await;
    // Nobody else edits it; and once under review, not even the proposer.
    app.login_as("tetangga@desa.id", Role::Resident, Some(&v))
        .await;
    app.get(&format!("{path}/ubah"))
        .await
        .assert(StatusCode::FORBIDDEN);
    app.post(&format!("{path}/ubah"), &edit("Diubah orang lain", "2"))
        .await
        .assert(StatusCode::FORBIDDEN);
    app.logout().await;
    app.login_as("kades@desa.id", Role::Official, Some(&v))
        .await;
    app.post(
        &format!("{path}/status"),
        &[("status", "in_review"), ("version", "2")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.logout().await;
    app.login("warga@desa.id", crate::common::PASSWORD).await;
    app.post(&format!("{path}/ubah"), &edit("Terlambat diubah", "3"))
        .await
        .assert(StatusCode::CONFLICT);
    app.get(&path).await.lacks("Terlambat diubah");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn the_proposer_withdraws_and_nobody_else_can(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    let path = submit(&mut app, false).await;
    app.logout().await;
    app.login_as("tetangga@desa.id", Role::Resident, Some(&v))
        .await;
    app.post(&format!("{path}/tarik"), &[("version", "1")])
        .await
        .assert(StatusCode::FORBIDDEN);
    app.logout().await;
    app.login("warga@desa.id", crate::common::PASSWORD).await;
    app.post(
        &format!("{path}/tarik"),
        &[("note", "Sudah dibangun swadaya"), ("version", "1")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get(&path)
        .await
        .contains(id_text("status.withdrawn"))
        .contains("Sudah dibangun swadaya");
    app.post(&format!("{path}/tarik"), &[("version", "2")])
        .await
        .assert(StatusCode::CONFLICT);
    assert_eq!(status_of(&app, &path).await.0, "withdrawn");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn merging_a_duplicate_moves_supports_feedback_and_timeline_and_the_old_number_redirects(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    let target = submit(&mut app, false).await;
    let mut f = vec![
        ("title", "Saluran air pasar"),
        ("problem", "Genangan di depan los pasar"),
        ("bidang", "02"),
        ("dusun", "Dusun I"),
    ];
    f.push(("confirmed", "1"));
    let dup = app
        .post("/desa/sukamaju/usulan", &f)
        .await
        .location()
        .to_string();
    // Supports (from residents other than the proposer): one person on both, one only on
    // the duplicate.
    app.logout().await;
    app.login_as("tetangga@desa.id", Role::Resident, Some(&v))
        .await;
    app.post(&format!("{target}/tanggapan"), &[("kind", "support")])
        .await;
    app.post(&format!("{dup}/tanggapan"), &[("kind", "support")])
        .await;
    app.post(
        &format!("{dup}/tanggapan"),
        &[
            ("kind", "comment"),
            ("body", "Ini sama dengan usulan drainase"),
        ],
    )
    .await;
    app.logout().await;
    app.login_as("sepupu@desa.id", Role::Resident, Some(&v))
        .await;
    app.post(&format!("{dup}/tanggapan"), &[("kind", "support")])
        .await;
    // Residents may not merge.
    let into = target.rsplit('/').next().unwrap().to_string();
    app.post(
        &format!("{dup}/gabung"),
        &[("into", &into), ("version", "1")],
    )
    .await
    .assert(StatusCode::FORBIDDEN);
    app.logout().await;

    app.login_as("kades@desa.id", Role::Official, Some(&v))
        .await;
    app.post(
        &format!("{dup}/gabung"),
        &[("into", "2026-999"), ("version", "1")],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.merge_target"))
    .contains("value=\"2026-999\"");
    let own = dup.rsplit('/').next().unwrap().to_string();
    app.post(
        &format!("{dup}/gabung"),
        &[("into", &own), ("version", "1")],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post(
            &format!("{dup}/gabung"),
            &[("into", &into), ("note", "Usulan ganda"), ("version", "1")],
        )
        .await;
    r.assert(StatusCode::SEE_OTHER);
    assert_eq!(r.location(), target);
    // The duplicate no longer counts on the ladder.
    assert_eq!(levels_counted(&app, v.id).await, [1, 0, 0, 0, 0]);
    let page = app.get(&target).await;
    page.contains("2 dukungan")
        .contains("Ini sama dengan usulan drainase")
        .contains(id_text("event.merged_from"))
        .contains("Usulan ganda");
    // The old number leads to the target, on pages and in open data.
    app.logout().await;
    let r = app.get(&dup).await;
    assert_eq!(r.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(r.location(), target);
    let r = app.get(&format!("/api/v1{dup}")).await;
    assert_eq!(r.location(), format!("/api/v1{target}"));
    let json: serde_json::Value =
        serde_json::from_str(&app.get(&format!("/api/v1{target}")).await.body).unwrap();
    assert_eq!(json["supports"], 2);
    assert_eq!(status_of(&app, &dup).await.0, "merged");
}
