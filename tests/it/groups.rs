use axum::http::StatusCode;
use musdes::domain::account::Role;

use crate::common::{Backend, TestApp, id_text};
use rstest::rstest;

const G: &str = "/desa/sukamaju/kelompok";
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn staff_keep_groups_and_the_public_never_sees_their_contacts(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    let r = app
        .post(
            G,
            &[
                ("name", "Kelompok Nelayan Mina Jaya"),
                ("kind", "nelayan"),
                ("members", "45"),
                ("since_year", "2012"),
                ("relation", "passive"),
                ("roles", "planning"),
                ("roles", "beneficiary"),
                ("contact_name", "Pak Rasman"),
                ("contact_phone", "0812-3456-7890"),
            ],
        )
        .await;
    r.assert(StatusCode::SEE_OTHER);
    let path = r.location().to_string();
    assert!(path.starts_with(&format!("{G}/")));
    app.get(&path)
        .await
        .assert(StatusCode::OK)
        .contains("Pak Rasman")
        .contains("0812-3456-7890")
        .contains(id_text("group_role.planning"))
        .contains(id_text("group_role.beneficiary"))
        .contains(id_text("relation.passive"));
    // An edit from a page loaded before someone else's edit: 409 with what is stored now.
    app.post(
        &path,
        &[
            ("name", "KN Mina Jaya"),
            ("kind", "nelayan"),
            ("relation", "supportive"),
            ("version", "1"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.post(
        &path,
        &[("name", "Nama Lama"), ("kind", "nelayan"), ("version", "1")],
    )
    .await
    .assert(StatusCode::CONFLICT)
    .contains("value=\"KN Mina Jaya\"");
    let audit = app
        .store
        .audit_for("group", path.rsplit('/').next().unwrap())
        .await
        .unwrap();
    assert_eq!(
        audit.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["edit", "create"]
    );
    app.logout().await;
    // The public reads the group, not how to reach its people nor how it stands with the government.
    for page in [
        app.get(&path).await,
        app.get(G).await,
        app.get("/desa/sukamaju").await,
    ] {
        page.assert(StatusCode::OK)
            .contains("KN Mina Jaya")
            .lacks("Pak Rasman")
            .lacks("0812")
            .lacks("Mendukung");
    }
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_bad_group_form_names_each_mistake_and_keeps_what_was_typed(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.login_as("kades@desa.id", Role::Official, Some(&v))
        .await;
    let r = app
        .post(
            G,
            &[
                ("name", "Kelompok Tani Subur"),
                ("kind", "geng"),
                ("members", "-3"),
                ("since_year", "2999"),
                ("contact_phone", "telepon saya"),
                ("roles", "musdes"),
            ],
        )
        .await;
    r.assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains("value=\"Kelompok Tani Subur\"")
        .contains("value=\"telepon saya\"")
        .contains(id_text("error.year"))
        .contains("name=\"roles\" value=\"musdes\" checked");
    assert!(app.store.list_groups(v.id).await.unwrap().is_empty());
    app.post(G, &[("name", "Kelompok Tani Subur"), ("kind", "tani")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(G, &[("name", "Kelompok Tani Subur"), ("kind", "tani")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.group_name_taken"));
    assert_eq!(app.store.list_groups(v.id).await.unwrap().len(), 1);
    app.get(&format!("{G}/bukan-uuid"))
        .await
        .assert(StatusCode::NOT_FOUND);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn residents_and_other_villages_staff_cannot_edit_groups(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    let r = app
        .post(G, &[("name", "Karang Taruna"), ("kind", "pemuda")])
        .await;
    assert!(
        r.location().starts_with("/masuk"),
        "anonymous: to the login page"
    );
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    app.post(G, &[("name", "Karang Taruna"), ("kind", "pemuda")])
        .await
        .assert(StatusCode::FORBIDDEN);
    app.get(G)
        .await
        .assert(StatusCode::OK)
        .lacks("Simpan kelompok");
    app.logout().await;
    let other = app.village("mekarsari").await;
    app.login_as("pendamping@mekarsari.id", Role::Facilitator, Some(&other))
        .await;
    app.post(G, &[("name", "Karang Taruna"), ("kind", "pemuda")])
        .await
        .assert(StatusCode::FORBIDDEN);
    assert!(app.store.list_groups(v.id).await.unwrap().is_empty());
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_group_name_with_html_is_text_on_every_page_the_berita_acara_included(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    let evil = "<script>alert('x')</script> Tani";
    let r = app.post(G, &[("name", evil), ("kind", "tani")]).await;
    r.assert(StatusCode::SEE_OTHER);
    let group = r.location().rsplit('/').next().unwrap().to_string();
    let r = app
        .post(
            "/desa/sukamaju/musyawarah",
            &[
                ("kind", "musdus"),
                ("title", "Musyawarah Dusun I"),
                ("scheduled_at", "2026-12-01T19:30"),
                ("place", "Rumah Pak RT"),
            ],
        )
        .await;
    let meeting = r.location().to_string();
    app.post(&format!("{meeting}/undangan"), &[("group", &group)])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(
        &format!("{meeting}/hadir"),
        &[("name", "<b>Budi</b>"), ("gender", "L"), ("group", &group)],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    for path in [
        format!("{G}/{group}"),
        G.to_string(),
        "/desa/sukamaju".into(),
        meeting.clone(),
        format!("{meeting}/berita-acara"),
    ] {
        if !path.contains("musyawarah") {
            let page = app.get(&path).await;
            page.assert(StatusCode::OK)
                .lacks("<script>alert")
                .contains("&#60;script&#62;alert(");
            continue;
        }
        let page = app.get(&path).await;
        page.assert(StatusCode::OK)
            .lacks("<script>alert")
            .lacks("<b>Budi</b>");
        page.contains("&#60;script&#62;alert(")
            .contains("&#60;b&#62;Budi");
    }
}
