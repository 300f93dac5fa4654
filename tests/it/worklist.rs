//! "Perlu tindakan": what waits for a village's officials and facilitators, and where
//! they land after logging in.

use axum::http::StatusCode;
use musdes::domain::account::Role;

use crate::common::{Backend, PASSWORD, TestApp, id_text};
use crate::meetings::attend;
use rstest::rstest;

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn officials_and_facilitators_see_what_waits_for_them_and_act_on_it(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    let v = app.village("sukamaju").await;
    // A resident's proposal, published at once.
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    let published = app
        .post(
            "/desa/sukamaju/usulan",
            &[
                ("title", "Irigasi sawah blok timur"),
                ("problem", "Saluran tersumbat lumpur"),
                ("bidang", "02"),
                ("confirmed", "1"),
            ],
        )
        .await
        .location()
        .to_string();
    app.logout().await;
    // Three entries from two other voices: the evidence for "consult"; one is a concern.
    app.login_as("tetangga@desa.id", Role::Resident, Some(&v))
        .await;
    for (kind, body) in [
        ("comment", "Saluran itu dipakai tiga dusun"),
        ("concern", "Siapa yang merawat saluran setelah dibangun?"),
    ] {
        app.post(
            &format!("{published}/tanggapan"),
            &[("kind", kind), ("body", body)],
        )
        .await
        .assert(StatusCode::SEE_OTHER);
    }
    app.logout().await;
    app.login_as("sepupu@desa.id", Role::Resident, Some(&v))
        .await;
    app.post(
        &format!("{published}/tanggapan"),
        &[("kind", "comment"), ("body", "Setuju, segera")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.logout().await;
    // A visitor's proposal waits in moderation.
    app.forget_cookies();
    app.post(
        "/desa/sukamaju/usulan",
        &[
            ("title", "Lampu jalan Dusun II"),
            ("problem", "Jalan gelap di malam hari"),
            ("bidang", "02"),
            ("proposer_name", "Pak Udin"),
            ("dusun", "Dusun II"),
            ("confirmed", "1"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    // A meeting held today, not finalized.
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .format("%Y-%m-%dT00:00")
        .to_string();
    let meeting = app
        .post(
            "/desa/sukamaju/musyawarah",
            &[
                ("kind", "musdus"),
                ("title", "Musyawarah Dusun II"),
                ("scheduled_at", &today),
                ("place", "Balai dusun"),
            ],
        )
        .await
        .location()
        .to_string();
    attend(&mut app, &meeting, "Siti Aminah", "P", None).await;
    app.post(&format!("{meeting}/status"), &[("status", "held")])
        .await
        .assert(StatusCode::SEE_OTHER);
    // The facilitator is told who finalizes next.
    app.get(&meeting)
        .await
        .contains(id_text("meeting.official_finalizes"));
    app.logout().await;

    // Logging in from the home page, the facilitator lands on what waits.
    let r = app.login("pendamping@desa.id", PASSWORD).await;
    assert_eq!(r.location(), "/desa/sukamaju/tindakan");
    let page = app.get("/desa/sukamaju/tindakan").await;
    page.assert(StatusCode::OK)
        .contains(id_text("worklist.title"))
        .contains("Lampu jalan Dusun II")
        .contains("Pak Udin")
        .contains("Siapa yang merawat saluran setelah dibangun?")
        .contains("Irigasi sawah blok timur")
        .contains(&format!(
            "{} {}",
            id_text("worklist.move_to"),
            id_text("level.consult")
        ))
        .contains("Musyawarah Dusun II")
        .contains(id_text("meeting.official_finalizes"));
    // Anyone reading the proposal sees what the next level needs and what already holds.
    app.forget_cookies();
    app.get(&published)
        .await
        .contains(id_text("ladder.next"))
        .contains(id_text("level.consult"))
        .contains("<li class=\"ok\">");
    app.login("pendamping@desa.id", PASSWORD).await;
    // One tap moves the proposal up, with the conditions that held on its record.
    let number = published.rsplit('/').next().unwrap();
    app.post(
        &format!("/desa/sukamaju/usulan/{number}/tingkat"),
        &[("level", "consult")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get("/desa/sukamaju/tindakan").await.lacks(&format!(
        "{} {}",
        id_text("worklist.move_to"),
        id_text("level.consult")
    ));
    app.get(&published)
        .await
        .contains(id_text("event.level_changed"));
    app.logout().await;

    // The official lands there too, and may finalize: no word about waiting for one.
    app.account("kades@desa.id", Role::Official, Some(&v)).await;
    let r = app.login("kades@desa.id", PASSWORD).await;
    assert_eq!(r.location(), "/desa/sukamaju/tindakan");
    app.get("/desa/sukamaju/tindakan")
        .await
        .contains("Musyawarah Dusun II")
        .lacks(id_text("meeting.official_finalizes"));
    // Finalizing cannot be undone: the page asks first (a second tap, no script needed).
    app.get(&meeting)
        .await
        .contains("<details class=\"confirm\">")
        .contains(id_text("meeting.finalize_confirm"))
        .contains(id_text("meeting.finalize_yes"));
    app.logout().await;
    // A resident lands on the village's page, and the list is not theirs.
    let r = app.login("warga@desa.id", PASSWORD).await;
    assert_eq!(r.location(), "/desa/sukamaju");
    app.get("/desa/sukamaju/tindakan")
        .await
        .assert(StatusCode::FORBIDDEN);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn what_waits_is_current_after_a_change_through_another_server(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    let v = app.village("sukamaju").await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    let published = app
        .post(
            "/desa/sukamaju/usulan",
            &[
                ("title", "Irigasi sawah blok timur"),
                ("problem", "Saluran tersumbat lumpur"),
                ("bidang", "02"),
                ("confirmed", "1"),
            ],
        )
        .await
        .location()
        .to_string();
    let resident = app.cookies.clone();
    // The secretary reads what waits here: nothing yet.
    app.forget_cookies();
    app.login_as("sekdes@desa.id", Role::Official, Some(&v))
        .await;
    app.get("/desa/sukamaju/tindakan")
        .await
        .assert(StatusCode::OK)
        .lacks("Siapa yang merawat saluran?");
    let official = app.cookies.clone();
    // A concern arrives through another server of the same database.
    let here = app.router.clone();
    app.router = app.second_server();
    app.cookies = resident;
    app.post(
        &format!("{published}/tanggapan"),
        &[("kind", "concern"), ("body", "Siapa yang merawat saluran?")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    // The secretary's next view here lists it.
    app.router = here;
    app.cookies = official;
    app.get("/desa/sukamaju/tindakan")
        .await
        .assert(StatusCode::OK)
        .contains("Siapa yang merawat saluran?");
}
