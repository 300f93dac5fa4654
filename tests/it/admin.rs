use axum::http::StatusCode;
use musdes::domain::account::Role;

use crate::common::{Backend, PASSWORD, TestApp, id_text};
use rstest::rstest;

fn village_fields<'a>(slug: &'a str, code: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", "Sukamaju"),
        ("slug", slug),
        ("code", code),
        ("kecamatan", "Cibeber"),
        ("kabupaten", "Cianjur"),
        ("provinsi", "Jawa Barat"),
        ("population", "5.210"),
        ("households", "1520"),
        ("hamlets", "Dusun Kaler, Dusun Kidul"),
        ("timezone", "Asia/Jakarta"),
    ]
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn an_admin_creates_a_village_and_its_portal_shows_it(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.login_as("admin@kab.id", Role::Admin, None).await;
    app.get("/admin/desa/baru")
        .await
        .assert(StatusCode::OK)
        .contains("name=\"csrf_token\"");
    let r = app
        .post("/admin/desa", &village_fields("sukamaju", "32.03.11.2004"))
        .await;
    r.assert(StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/desa/sukamaju");
    app.get("/desa/sukamaju")
        .await
        .assert(StatusCode::OK)
        .contains(id_text("admin.village_created"))
        .contains("32.03.11.2004")
        .contains("5.210")
        .contains("Dusun Kidul");
    app.get("/").await.contains("/desa/sukamaju");
    let v = app.store.village_by_slug("sukamaju").await.unwrap();
    assert_eq!(v.population, Some(5210));
    assert_eq!(v.hamlets, ["Dusun Kaler", "Dusun Kidul"]);
    let audit = app
        .store
        .audit_for("village", &v.id.to_string())
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, "create");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_short_village_code_and_a_bad_slug_get_422_and_keep_every_value(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.login_as("admin@kab.id", Role::Admin, None).await;
    let r = app
        .post("/admin/desa", &village_fields("Suka Maju", "12.34.56"))
        .await;
    r.assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.village_code"))
        .contains(id_text("error.slug"))
        .contains("value=\"Suka Maju\"")
        .contains("value=\"12.34.56\"")
        .contains("value=\"Cibeber\"")
        .contains("value=\"Dusun Kaler, Dusun Kidul\"")
        .contains("aria-invalid=\"true\"");
    let r = app
        .post("/admin/desa", &village_fields("SUKAMAJU", "33.73.04.1001"))
        .await;
    r.assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains("kelurahan");
    assert_eq!(app.store.count_villages().await.unwrap(), 0);
    // The same form in English.
    let r = app
        .post(
            "/admin/desa?lang=en",
            &village_fields("sukamaju", "12.34.56"),
        )
        .await;
    r.assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains("The code must be 10 digits");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_duplicate_slug_or_code_is_422_beside_the_field(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.village("sukamaju").await;
    app.login_as("admin@kab.id", Role::Admin, None).await;
    app.post("/admin/desa", &village_fields("sukamaju", ""))
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains("sudah dipakai desa lain");
    app.post(
        "/admin/desa",
        &village_fields("sukamaju-2", "32.03.11.2004"),
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.post(
        "/admin/desa",
        &village_fields("sukamaju-3", "32.03.11.2004"),
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.code_taken"));
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_resident_opening_an_admin_page_gets_403_and_a_stranger_goes_to_login(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.get("/admin/desa").await.assert(StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/admin/akun").await.location(),
        "/masuk?next=%2Fadmin%2Fakun"
    );
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    app.get("/admin/desa")
        .await
        .assert(StatusCode::FORBIDDEN)
        .contains(id_text("error.page.403"));
    app.get("/admin/akun?lang=en")
        .await
        .assert(StatusCode::FORBIDDEN)
        .contains("You are not allowed");
    app.get("/admin/desa/sukamaju")
        .await
        .assert(StatusCode::FORBIDDEN);
    app.post("/admin/desa", &village_fields("lain", ""))
        .await
        .assert(StatusCode::FORBIDDEN);
    assert_eq!(app.store.count_villages().await.unwrap(), 1);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn an_official_edits_their_own_village_but_not_another(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let own = app.village("sukamaju").await;
    app.village("mekarsari").await;
    app.login_as("kades@sukamaju.id", Role::Official, Some(&own))
        .await;
    let form = app.get("/admin/desa/sukamaju").await;
    form.assert(StatusCode::OK)
        .contains("value=\"Desa sukamaju\"");
    let mut fields = village_fields("sukamaju", "32.03.11.2004");
    fields.push(("version", "1"));
    app.post("/admin/desa/sukamaju", &fields)
        .await
        .assert(StatusCode::SEE_OTHER);
    assert_eq!(
        app.store.village_by_slug("sukamaju").await.unwrap().name,
        "Sukamaju"
    );
    app.get("/desa/sukamaju")
        .await
        .contains(id_text("admin.saved"))
        .contains("Ubah data desa");
    app.get("/admin/desa/mekarsari")
        .await
        .assert(StatusCode::FORBIDDEN);
    app.post("/admin/desa/mekarsari", &fields)
        .await
        .assert(StatusCode::FORBIDDEN);
    assert_eq!(
        app.store.village_by_slug("mekarsari").await.unwrap().name,
        "Desa mekarsari"
    );
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn an_edit_from_a_stale_form_is_409_and_changes_nothing(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.village("sukamaju").await;
    app.login_as("admin@kab.id", Role::Admin, None).await;
    let mut first = village_fields("sukamaju", "");
    first.push(("version", "1"));
    app.post("/admin/desa/sukamaju", &first)
        .await
        .assert(StatusCode::SEE_OTHER);
    let mut stale = village_fields("sukamaju", "");
    stale[0] = ("name", "Nama Lama");
    stale.push(("version", "1"));
    app.post("/admin/desa/sukamaju", &stale)
        .await
        .assert(StatusCode::CONFLICT)
        .contains(id_text("error.page.409"));
    assert_eq!(
        app.store.village_by_slug("sukamaju").await.unwrap().name,
        "Sukamaju"
    );
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn an_admin_adds_accounts_and_roles_with_the_password_rules(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.login_as("admin@kab.id", Role::Admin, None).await;
    let short = [
        ("email", "kades@sukamaju.id"),
        ("name", "Pak Kades"),
        ("password", "123456789"),
        ("role", "official"),
        ("village", "sukamaju"),
    ];
    app.post("/admin/akun", &short)
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains("paling sedikit 10 karakter")
        .contains("value=\"kades@sukamaju.id\"")
        .contains("value=\"Pak Kades\"")
        .lacks("123456789");
    let with_email = [
        ("email", "kades@sukamaju.id"),
        ("name", "Pak Kades"),
        ("password", "kades@sukamaju.id!"),
        ("role", "official"),
        ("village", "sukamaju"),
    ];
    app.post("/admin/akun", &with_email)
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.password_has_email"));
    let no_village = [
        ("email", "kades@sukamaju.id"),
        ("name", "Pak Kades"),
        ("password", PASSWORD),
        ("role", "official"),
        ("village", ""),
    ];
    app.post("/admin/akun", &no_village)
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.village_required"));
    assert!(
        app.store
            .login_record(&musdes::domain::account::LoginName::parse("kades@sukamaju.id").unwrap())
            .await
            .unwrap()
            .is_none()
    );

    let good = [
        ("email", "kades@sukamaju.id"),
        ("name", "Pak Kades"),
        ("password", PASSWORD),
        ("role", "official"),
        ("village", "sukamaju"),
    ];
    app.post("/admin/akun", &good)
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get("/admin/akun")
        .await
        .contains(id_text("admin.account_created"))
        .contains("kades@sukamaju.id")
        .contains(id_text("role.official"));
    // The same e-mail again adds a role, no password needed.
    let facilitator = [
        ("email", "kades@sukamaju.id"),
        ("name", "Pak Kades"),
        ("password", ""),
        ("role", "facilitator"),
        ("village", "sukamaju"),
    ];
    app.post("/admin/akun", &facilitator)
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get("/admin/akun")
        .await
        .contains(id_text("admin.role_added"));
    let user = app.store.user_by_email("kades@sukamaju.id").await.unwrap();
    let roles: Vec<String> = app
        .store
        .memberships(user.id)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.role)
        .collect();
    assert_eq!(roles, ["facilitator", "official"]);
    // Taking a role away.
    let vid = v.id.to_string();
    app.post(
        &format!("/admin/akun/{}/cabut", user.id),
        &[("role", "facilitator"), ("village", &vid)],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    assert_eq!(app.store.memberships(user.id).await.unwrap().len(), 1);
    // The new official can log in.
    app.logout().await;
    app.login("kades@sukamaju.id", PASSWORD)
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get("/desa/sukamaju")
        .await
        .contains(id_text("village.your_roles"))
        .contains(id_text("role.official"));
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn an_unknown_village_for_a_role_is_422(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.login_as("admin@kab.id", Role::Admin, None).await;
    let f = [
        ("email", "x@desa.id"),
        ("name", "X Y"),
        ("password", PASSWORD),
        ("role", "resident"),
        ("village", "tidak-ada"),
    ];
    app.post("/admin/akun", &f)
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.unknown_village"));
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_removed_role_takes_effect_on_the_next_request(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    let id = app
        .login_as("kades@sukamaju.id", Role::Official, Some(&v))
        .await;
    app.get("/admin/desa/sukamaju").await.assert(StatusCode::OK);
    let admin = app.account("admin@kab.id", Role::Admin, None).await;
    app.store
        .revoke_role(id, Role::Official, Some(v.id), admin)
        .await
        .unwrap();
    app.get("/admin/desa/sukamaju")
        .await
        .assert(StatusCode::FORBIDDEN);
}
