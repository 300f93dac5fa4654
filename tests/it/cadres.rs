//! Motors of change: the village's cadres with what they started, and the proposal that
//! names the one who drives it.

use axum::http::StatusCode;
use musdes::domain::account::Role;

use crate::common::{Backend, TestApp, id_text};
use rstest::rstest;

const C: &str = "/desa/sukamaju/penggerak";

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn cadres_are_kept_with_what_they_started_and_a_proposal_names_its_driver(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    let (v, groups, numbers) = crate::meetings::setup(&mut app).await;
    let hamlet = v.hamlets[0].clone();

    // Bad input: a role of no list, a dusun and a group not the village's, a year ahead,
    // nothing started. Each beside its field, what was typed kept, nothing stored.
    let before = app.store.row_counts().await.unwrap();
    app.post(
        C,
        &[
            ("name", "Bu Sarinah"),
            ("role", "bupati"),
            ("hamlet", "Dusun Tetangga"),
            ("group", &uuid::Uuid::new_v4().to_string()),
            ("since_year", "2090"),
            ("started", "Rajin"),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.cadre_started"))
    .contains(id_text("error.choose_from_list"))
    .contains(id_text("error.year"))
    .contains("value=\"Bu Sarinah\"");
    assert_eq!(app.store.row_counts().await.unwrap(), before);

    let r = app
        .post(
            C,
            &[
                ("name", "Bu Sarinah"),
                ("role", "kader_posyandu"),
                ("hamlet", &hamlet),
                ("group", &groups[1].to_string()),
                ("since_year", "2019"),
                ("started", "Kelas ibu hamil tiap bulan di balai dusun"),
            ],
        )
        .await;
    r.assert(StatusCode::SEE_OTHER);
    let cadre = r.location().to_string();
    let cadre_id = cadre.rsplit('/').next().unwrap().to_string();
    // The same name twice is refused, case aside.
    app.post(
        C,
        &[
            ("name", "bu sarinah"),
            ("role", "kpmd"),
            ("started", "Posyandu remaja di dusun dua"),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.cadre_name_taken"));

    // The proposal names her as its driver; an unknown cadre is refused.
    let proposal = format!("/desa/sukamaju/usulan/{}", numbers[1]);
    app.post(
        &format!("{proposal}/penggerak"),
        &[("cadre", &uuid::Uuid::new_v4().to_string())],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains("id=\"e-cadre\"");
    app.post(&format!("{proposal}/penggerak"), &[("cadre", &cadre_id)])
        .await
        .assert(StatusCode::SEE_OTHER);

    // A stale edit is 409 with what was typed kept.
    app.post(
        &cadre,
        &[
            ("name", "Ibu Sarinah"),
            ("role", "kader_posyandu"),
            ("started", "Kelas ibu hamil dan posyandu remaja"),
            ("version", "1"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.post(
        &cadre,
        &[
            ("name", "Sarinah"),
            ("role", "kader_posyandu"),
            ("started", "Kelas ibu hamil saja"),
            ("version", "1"),
        ],
    )
    .await
    .assert(StatusCode::CONFLICT)
    .contains(id_text("error.stale"))
    .contains("Kelas ibu hamil saja");

    // Anyone reads the list, her page with the proposal she drives, and the proposal's
    // driver; no form for them.
    app.logout().await;
    app.get(C)
        .await
        .assert(StatusCode::OK)
        .contains("Ibu Sarinah")
        .contains(id_text("cadre_role.kader_posyandu"))
        .lacks(id_text("cadre.create"));
    app.get(&cadre)
        .await
        .contains("Kelas ibu hamil dan posyandu remaja")
        .contains(&numbers[1]);
    app.get(&proposal)
        .await
        .contains("id=\"penggerak\"")
        .contains("Ibu Sarinah")
        .lacks(id_text("cadre.driver_set"));

    // Named no longer: the proposal says nothing of a driver.
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    app.post(&format!("{proposal}/penggerak"), &[("cadre", "")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get(&proposal).await.lacks("id=\"penggerak\"");
}
