use axum::http::StatusCode;
use musdes::domain::account::Role;
use musdes::domain::group::GroupForm;
use uuid::Uuid;

use crate::common::{Backend, TestApp, id_text};
use rstest::rstest;

const J: &str = "/desa/sukamaju/jejaring";

async fn group(app: &TestApp, village: Uuid, name: &str, kind: &str, vulnerable: bool) -> String {
    let form = GroupForm {
        name: name.into(),
        kind: kind.into(),
        vulnerable,
        ..GroupForm::default()
    };
    app.store
        .create_group(village, &form.validate(2026).unwrap(), None)
        .await
        .unwrap()
        .to_string()
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn the_map_shows_ties_bridges_and_who_is_cut_off(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    let bpd = group(&app, v.id, "BPD Sukamaju", "bpd", false).await;
    let tani = group(&app, v.id, "Kelompok Tani Makmur", "tani", false).await;
    let nelayan = group(&app, v.id, "Nelayan Pantai Indah", "nelayan", false).await;
    group(&app, v.id, "Forum Difabel", "disabilitas", true).await;
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    for (from, to) in [(&tani, &bpd), (&tani, &nelayan)] {
        app.post(
            J,
            &[
                ("from", from),
                ("to", to),
                ("stance", "supports"),
                ("form", "cooperation"),
                ("since_year", "2018"),
            ],
        )
        .await
        .assert(StatusCode::SEE_OTHER);
    }
    app.post(
        J,
        &[
            ("from", &nelayan),
            ("to", ""),
            ("outside_name", "LSM Laut Lestari"),
            ("outside_kind", "ngo"),
            ("stance", "supports"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.logout().await;
    let page = app.get(J).await;
    page.assert(StatusCode::OK)
            .contains("Kelompok rentan yang tidak terhubung ke pemerintah desa atau BPD: <strong>Forum Difabel</strong>")
            .contains("Kelompok tanpa hubungan: <strong>Forum Difabel</strong>")
            .contains("LSM Laut Lestari").contains("<circle").contains("<line")
            // Tani lies between the BPD and the fishers and the NGO: 2 of the 6 pairs of others.
            .contains("<td>Kelompok Tani Makmur</td><td>Kelompok tani</td><td>2</td><td>0,33</td>")
            .lacks("Catat hubungan");
    // Drawn the same way on every load.
    let again = app.get(J).await;
    assert_eq!(
        page.body.split("<svg").nth(1),
        again.body.split("<svg").nth(1)
    );
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_relation_to_itself_or_another_village_is_refused(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    let tani = group(&app, v.id, "Kelompok Tani Makmur", "tani", false).await;
    let other = app.village("mekarsari").await;
    let foreign = group(&app, other.id, "Tani Mekarsari", "tani", false).await;
    app.login_as("kades@desa.id", Role::Official, Some(&v))
        .await;
    app.post(J, &[("from", &tani), ("to", &tani), ("stance", "supports")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.relation_to_itself"));
    app.post(
        J,
        &[("from", &tani), ("to", &foreign), ("stance", "supports")],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.group_of_village"));
    app.post(
        J,
        &[
            ("from", &tani),
            ("to", ""),
            ("outside_name", ""),
            ("stance", "musuh"),
            ("note", "catatan saya"),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains("value=\"catatan saya\"");
    assert!(app.store.relations(v.id).await.unwrap().is_empty());
    app.post(
        J,
        &[
            ("from", &tani),
            ("to", ""),
            ("outside_name", "Desa Mekarsari"),
            ("outside_kind", "desa_lain"),
            ("stance", "competes"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    let id = app.store.relations(v.id).await.unwrap()[0].id;
    app.logout().await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    app.post(
        J,
        &[
            ("from", &tani),
            ("to", ""),
            ("outside_name", "Desa Lain"),
            ("outside_kind", "desa_lain"),
            ("stance", "supports"),
        ],
    )
    .await
    .assert(StatusCode::FORBIDDEN);
    app.post(&format!("{J}/{id}/hapus"), &[])
        .await
        .assert(StatusCode::FORBIDDEN);
    app.logout().await;
    app.login("kades@desa.id", crate::common::PASSWORD).await;
    app.post(&format!("{J}/{id}/hapus"), &[])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(&format!("{J}/{id}/hapus"), &[])
        .await
        .assert(StatusCode::NOT_FOUND);
    assert!(app.store.relations(v.id).await.unwrap().is_empty());
    app.get("/desa/tidakada/jejaring")
        .await
        .assert(StatusCode::NOT_FOUND);
}
