//! Tindak lanjut: actions, not answers, on a proposal's concerns and meeting decisions,
//! and the metric of concerns answered *and* acted on.

use axum::http::StatusCode;
use musdes::domain::account::Role;

use crate::common::{Backend, TestApp, id_text};
use rstest::rstest;

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn a_concern_and_a_decision_are_acted_on_with_the_record_that_shows_it(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    let (v, groups, numbers) = crate::meetings::setup(&mut app).await;
    let meeting = crate::meetings::decided_meeting(&mut app, groups, &numbers).await;
    let meeting_id = crate::meetings::meeting_id(&meeting);
    let page = format!("/desa/sukamaju/usulan/{}", numbers[0]);
    let action = format!("{page}/tindak-lanjut");

    // A neighbour's concern, answered by the kepala desa: answered, not yet acted on.
    app.logout().await;
    app.login_as("tetangga@desa.id", Role::Resident, Some(&v))
        .await;
    app.post(
        &format!("{page}/tanggapan"),
        &[
            ("kind", "concern"),
            ("body", "Saluran lama meluap ke rumah warga saat hujan"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    // A resident cannot record an action.
    app.post(&action, &[("subject", "x")])
        .await
        .assert(StatusCode::FORBIDDEN);
    app.logout().await;
    let kades = app
        .login_as("kades@desa.id", Role::Official, Some(&v))
        .await;
    let p = app
        .store
        .proposal_by_number(v.id, &numbers[0])
        .await
        .unwrap();
    let concern = app.store.feedback_for(p.id).await.unwrap()[0].id;
    app.post(
        &format!("{page}/jawaban"),
        &[
            ("feedback", &concern.to_string()),
            ("body", "Akan kami perbaiki bersama pembangunan irigasi"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    let stats = "/desa/sukamaju/statistik?from=2026-01-01";
    app.get(stats)
        .await
        .assert(StatusCode::OK)
        .contains("<dd id=\"ditindaklanjuti\">0% (0)</dd>")
        .contains("<dd id=\"keputusan-dijalankan\">0% (0 / 2)</dd>");

    // Bad input, each with its message beside the field, what was typed kept and
    // nothing stored: an answer is not an action (no record shows it); a concern that is
    // not this proposal's; a day ahead; a decision shown by itself.
    let today = v.today().to_string();
    let tomorrow = (v.today() + chrono::Duration::days(1)).to_string();
    let concern_code = format!("concern:{concern}");
    let decision_code = format!("decision:{meeting_id}");
    let before = app.store.row_counts().await.unwrap();
    for (subject, on, evidence, field, message) in [
        (
            concern_code.as_str(),
            today.as_str(),
            "",
            "evidence",
            "error.follow_up_evidence",
        ),
        (
            "concern:00000000-0000-0000-0000-000000000001",
            today.as_str(),
            decision_code.as_str(),
            "subject",
            "error.choose_from_list",
        ),
        (
            concern_code.as_str(),
            tomorrow.as_str(),
            decision_code.as_str(),
            "done_on",
            "error.date_in_future",
        ),
        (
            decision_code.as_str(),
            today.as_str(),
            decision_code.as_str(),
            "evidence",
            "error.follow_up_same_decision",
        ),
    ] {
        app.post(
            &action,
            &[
                ("subject", subject),
                ("done_on", on),
                ("actor", "Kasi Pembangunan"),
                (
                    "change",
                    "Saluran dialihkan ke sungai lewat gorong-gorong baru",
                ),
                ("evidence", evidence),
            ],
        )
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text(message))
        .contains(&format!("id=\"e-{field}\""))
        .contains("Saluran dialihkan ke sungai lewat gorong-gorong baru");
    }
    app.post(
        &action,
        &[
            ("subject", &concern_code),
            ("done_on", &today),
            ("actor", "A"),
            ("change", "Sudah"),
            ("evidence", &decision_code),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.follow_up_actor"))
    .contains(id_text("error.follow_up_change"));
    assert_eq!(app.store.row_counts().await.unwrap(), before);

    // The concern acted on: the meeting decided the new channel.
    app.post(
        &action,
        &[
            ("subject", &concern_code),
            ("done_on", &today),
            ("actor", "Kasi Pembangunan"),
            (
                "change",
                "Saluran baru disepakati lewat sisi timur, jauh dari rumah warga",
            ),
            ("evidence", &decision_code),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    // The decision acted on: the work began, shown by its progress report.
    in_progress(&app, p.id).await;
    app.store
        .add_progress(
            v.id,
            p.id,
            &musdes::store::Actor::new(kades, "Kades"),
            30,
            "Galian saluran dimulai",
            &[],
            false,
        )
        .await
        .unwrap();
    let report = app.store.progress_updates(p.id).await.unwrap()[0].id;
    // A resident's observation not yet reviewed is no evidence of anything.
    app.store
        .add_progress(
            v.id,
            p.id,
            &musdes::store::Actor::new(kades, "Warga"),
            35,
            "Galian terlihat dari jalan",
            &[],
            true,
        )
        .await
        .unwrap();
    let unreviewed = app.store.progress_updates(p.id).await.unwrap()[0].id;
    assert_ne!(unreviewed, report);
    let before = app.store.row_counts().await.unwrap();
    app.post(
        &action,
        &[
            ("subject", &decision_code),
            ("done_on", &today),
            ("actor", "TPK Desa Sukamaju"),
            ("change", "Galian saluran irigasi blok timur dimulai"),
            ("evidence", &format!("update:{unreviewed}")),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.store.row_counts().await.unwrap(), before);
    app.post(
        &action,
        &[
            ("subject", &decision_code),
            ("done_on", &today),
            ("actor", "TPK Desa Sukamaju"),
            ("change", "Galian saluran irigasi blok timur dimulai"),
            ("evidence", &format!("update:{report}")),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);

    // Anyone reads what was done, under the concern and in the proposal's follow-up.
    app.logout().await;
    let shown = app.get(&page).await;
    shown
        .assert(StatusCode::OK)
        .contains(id_text("follow_up.acted"))
        .contains("Saluran baru disepakati lewat sisi timur, jauh dari rumah warga")
        .contains("Galian saluran irigasi blok timur dimulai")
        .contains("TPK Desa Sukamaju")
        .contains(&format!("href=\"{meeting}\""))
        .contains(&format!("{} 30%", id_text("follow_up.evidence_update")))
        .lacks(id_text("follow_up.new"));
    // The metric counts the concern answered and acted on, and one decision of two.
    app.get(stats)
        .await
        .contains("<dd id=\"ditindaklanjuti\">100% (1)</dd>")
        .contains("<dd id=\"keputusan-dijalankan\">50% (1 / 2)</dd>");
}

/// Puts the proposal in implementation, as the finalized Musdes and the officials would.
async fn in_progress(app: &TestApp, proposal: uuid::Uuid) {
    crate::seals::raw(
        app,
        "UPDATE proposals SET status = 'in_progress' WHERE id = $1",
        &[crate::seals::V::Id(proposal)],
    )
    .await;
}
