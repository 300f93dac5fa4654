//! Residents' own accounts: sign-up with a phone number, confirmation by the village's
//! staff, log-in by phone, one-time password reset codes, and tracking codes for
//! proposals sent without an account.

use axum::http::StatusCode;
use musdes::domain::account::Role;
use rstest::rstest;

use crate::common::{Backend, TestApp, id_text};

const PHONE: &str = "0812-3456-7890";
const SANDI: &str = "padi-menguning-di-sawah";

fn sign_up_fields<'a>(phone: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", "Siti Aminah"),
        ("phone", phone),
        ("email", email),
        ("password", SANDI),
        ("village", "sukamaju"),
        ("dusun", "Dusun II"),
    ]
}

fn proposal_fields(title: &str) -> Vec<(&str, &str)> {
    vec![
        ("title", title),
        ("problem", "Air hujan menggenang di jalan dusun"),
        ("bidang", "02"),
        ("dusun", "Dusun II"),
        ("confirmed", "1"),
    ]
}

/// The `(id)` of the one sign-up waiting on the residents page.
fn request_action(page: &crate::common::Reply) -> String {
    let start = page
        .body
        .find("/desa/sukamaju/warga/permintaan/")
        .expect("a waiting sign-up");
    let rest = &page.body[start..];
    rest[..rest.find('"').unwrap()].to_string()
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn a_resident_signs_up_with_a_phone_is_confirmed_and_submits(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    let v = app.village("sukamaju").await;
    // The form offers the village's dusun when it is chosen.
    app.get("/daftar?village=sukamaju")
        .await
        .assert(StatusCode::OK)
        .contains("Dusun II")
        .contains(id_text("sign_up.phone"));
    // Bad input: every mistake named at once, what was typed kept, nothing stored.
    let mut bad = sign_up_fields("12345", "bukan-email");
    bad[3] = ("password", "abc12");
    bad[5] = ("dusun", "Dusun Atlantis");
    let r = app.post("/daftar", &bad).await;
    r.assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.phone"))
        .contains(id_text("error.email"))
        .contains(id_text("error.password_short"))
        .contains(id_text("error.choose_from_list"))
        .contains("value=\"12345\"")
        .contains("value=\"bukan-email\"")
        .lacks("abc12");
    assert!(app.store.resident_requests(v.id).await.unwrap().is_empty());
    // An unknown village.
    let mut nowhere = sign_up_fields(PHONE, "");
    nowhere[4] = ("village", "atlantis");
    app.post("/daftar", &nowhere)
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.choose_from_list"));

    // Signed up: logged in at once, on the village's page, told what happens next.
    let r = app.post("/daftar", &sign_up_fields(PHONE, "")).await;
    r.assert(StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/desa/sukamaju");
    app.get("/desa/sukamaju")
        .await
        .contains(id_text("sign_up.done"));
    // Not yet a resident: a proposal waits for moderation, with a tracking code.
    let first = app
        .post(
            "/desa/sukamaju/usulan",
            &proposal_fields("Saluran air Dusun II"),
        )
        .await;
    first.assert(StatusCode::SEE_OTHER);
    let page = app.get(first.location()).await;
    page.contains(id_text("status.pending"))
        .contains("kode-lacak");
    app.logout().await;

    // The same number again, however written: refused with a way forward.
    app.forget_cookies();
    app.post("/daftar", &sign_up_fields("+62 812 3456 7890", ""))
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.phone_taken"))
        .contains("value=\"Siti Aminah\"");

    // A facilitator sees the sign-up on "Perlu tindakan" and confirms it.
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    app.get("/desa/sukamaju/tindakan")
        .await
        .contains("Siti Aminah")
        .contains("/desa/sukamaju/warga#permintaan");
    let list = app.get("/desa/sukamaju/warga").await;
    list.assert(StatusCode::OK)
        .contains("0812-3456-7890")
        .contains("Dusun II");
    let action = request_action(&list);
    app.post(&action, &[("decision", "maybe")])
        .await
        .assert(StatusCode::BAD_REQUEST);
    app.post(&action, &[("decision", "accept")])
        .await
        .assert(StatusCode::SEE_OTHER);
    // Decided once: a second decision is refused, nothing changes.
    app.post(&action, &[("decision", "refuse")])
        .await
        .assert(StatusCode::CONFLICT);
    assert!(app.store.resident_requests(v.id).await.unwrap().is_empty());
    app.get("/desa/sukamaju/warga")
        .await
        .contains(id_text("residents.list"))
        .contains("Siti Aminah");
    app.logout().await;

    // She logs in with her phone number, written another way, in the `login` field.
    app.forget_cookies();
    app.get("/masuk").await;
    let r = app
        .post(
            "/masuk",
            &[
                ("login", "+62 812-3456-7890"),
                ("password", SANDI),
                ("next", ""),
            ],
        )
        .await;
    r.assert(StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/desa/sukamaju");
    // Now a resident: her proposal is published at once.
    let second = app
        .post(
            "/desa/sukamaju/usulan",
            &proposal_fields("Lampu jalan Dusun II"),
        )
        .await;
    second.assert(StatusCode::SEE_OTHER);
    app.get(second.location())
        .await
        .contains(id_text("status.submitted"))
        .lacks("kode-lacak");
    // Her phone number is on no public page.
    app.logout().await;
    app.forget_cookies();
    for path in ["/desa/sukamaju", "/desa/sukamaju/usulan", second.location()] {
        app.get(path).await.lacks("3456").lacks("6281");
    }
    app.get("/desa/sukamaju/warga")
        .await
        .assert(StatusCode::SEE_OTHER);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn a_refused_sign_up_grants_nothing_and_a_resident_cannot_confirm(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    let v = app.village("sukamaju").await;
    let other = app.village("lain").await;
    app.post("/daftar", &sign_up_fields(PHONE, "siti@contoh.id"))
        .await
        .assert(StatusCode::SEE_OTHER);
    // The same e-mail again, with another phone.
    app.logout().await;
    app.forget_cookies();
    app.post(
        "/daftar",
        &sign_up_fields("0813 1111 2222", "SITI@contoh.id"),
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.email_has_account"));
    // A resident may not confirm; staff of another village do not see it.
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    app.get("/desa/sukamaju/warga")
        .await
        .assert(StatusCode::FORBIDDEN);
    app.logout().await;
    app.login_as("kades@lain.id", Role::Official, Some(&other))
        .await;
    app.get("/desa/lain/warga").await.lacks("Siti Aminah");
    let request = app.store.resident_requests(v.id).await.unwrap()[0].id;
    app.post(
        &format!("/desa/lain/warga/permintaan/{request}"),
        &[("decision", "accept")],
    )
    .await
    .assert(StatusCode::NOT_FOUND);
    app.logout().await;
    app.login_as("kades@desa.id", Role::Official, Some(&v))
        .await;
    app.post(
        &format!("/desa/sukamaju/warga/permintaan/{request}"),
        &[("decision", "refuse")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.logout().await;
    // Refused: she can log in (e-mail works too) but is no resident.
    app.forget_cookies();
    app.login("siti@contoh.id", SANDI)
        .await
        .assert(StatusCode::SEE_OTHER);
    let r = app
        .post(
            "/desa/sukamaju/usulan",
            &proposal_fields("Saluran air Dusun II"),
        )
        .await;
    app.get(r.location())
        .await
        .contains(id_text("status.pending"));
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn an_official_issues_a_reset_code_that_works_once(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    let v = app.village("sukamaju").await;
    app.post("/daftar", &sign_up_fields(PHONE, ""))
        .await
        .assert(StatusCode::SEE_OTHER);
    app.logout().await;
    let siti = app.store.resident_requests(v.id).await.unwrap()[0].user_id;
    let staff = app
        .account("staf@desa.id", Role::Facilitator, Some(&v))
        .await;
    // A facilitator confirms but issues no reset codes.
    app.login("staf@desa.id", crate::common::PASSWORD).await;
    let list = app.get("/desa/sukamaju/warga").await;
    app.post(&request_action(&list), &[("decision", "accept")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(&format!("/desa/sukamaju/warga/{siti}/kode-sandi"), &[])
        .await
        .assert(StatusCode::FORBIDDEN);
    app.logout().await;
    app.login_as("kades@desa.id", Role::Official, Some(&v))
        .await;
    // Staff accounts are the admin's to reset.
    app.post(&format!("/desa/sukamaju/warga/{staff}/kode-sandi"), &[])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("residents.reset_staff"));
    let r = app
        .post(&format!("/desa/sukamaju/warga/{siti}/kode-sandi"), &[])
        .await;
    r.assert(StatusCode::OK).contains("kode-sandi");
    assert_eq!(r.header("cache-control"), "no-store");
    let code = code_on(&r.body);
    // A second code voids the first.
    let r = app
        .post(&format!("/desa/sukamaju/warga/{siti}/kode-sandi"), &[])
        .await;
    let code2 = code_on(&r.body);
    assert_ne!(code, code2);
    app.logout().await;

    app.forget_cookies();
    app.get("/lupa-sandi").await.assert(StatusCode::OK);
    // The voided code, a malformed one, a short password.
    reset(&mut app, "081234567890", &code, "sandi-baru-yang-panjang")
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.reset_code_unknown"))
        .contains("value=\"081234567890\"");
    reset(&mut app, "081234567890", "XYZ", "pendek")
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.reset_code"))
        .contains(id_text("error.password_short"));
    // Right code, wrong person.
    reset(
        &mut app,
        "0813 9999 8888",
        &code2,
        "sandi-baru-yang-panjang",
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.reset_code_unknown"));
    // The right one: the password changes, the old one stops working.
    let r = reset(&mut app, "081234567890", &code2, "sandi-baru-yang-panjang").await;
    r.assert(StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/masuk");
    app.get("/masuk").await.contains(id_text("reset.done"));
    app.login(PHONE, SANDI)
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY);
    app.login(PHONE, "sandi-baru-yang-panjang")
        .await
        .assert(StatusCode::SEE_OTHER);
    app.logout().await;
    // Used twice: refused, plainly.
    app.forget_cookies();
    reset(&mut app, "081234567890", &code2, "lagi-sandi-lain-sekali")
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.reset_code_used"));
    // Expired: a code issued a day and a second ago.
    let old = musdes::domain::account::one_time_code();
    let official = app.store.user_by_email("kades@desa.id").await.unwrap().id;
    app.store
        .issue_reset_code(
            v.id,
            siti,
            &musdes::domain::account::code_hash(&old),
            musdes::store::now() - chrono::Duration::seconds(1),
            official,
        )
        .await
        .unwrap()
        .unwrap();
    reset(&mut app, "081234567890", &old, "lagi-sandi-lain-sekali")
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.reset_code_expired"));
}

/// `/lupa-sandi` with a log-in name, a code as a person might type it, a new password.
async fn reset(app: &mut TestApp, login: &str, code: &str, password: &str) -> crate::common::Reply {
    let code = code.to_lowercase();
    app.post(
        "/lupa-sandi",
        &[("login", login), ("kode", &code), ("password", password)],
    )
    .await
}

/// The code shown in the notice of the residents page.
fn code_on(body: &str) -> String {
    let at = body.find("id=\"kode-sandi\"").expect("the code notice");
    let rest = &body[at..];
    let start = rest.find("class=\"code\">").unwrap() + "class=\"code\">".len();
    rest[start..start + 11].to_string()
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn an_anonymous_proposer_follows_a_proposal_with_its_tracking_code(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    app.village("sukamaju").await;
    let mut fields = proposal_fields("Sumur bor Dusun II");
    fields.push(("proposer_name", "Pak Udin"));
    let r = app.post("/desa/sukamaju/usulan", &fields).await;
    r.assert(StatusCode::SEE_OTHER);
    let proposal = r.location().to_string();
    let page = app.get(&proposal).await;
    page.contains("kode-lacak")
        .contains(id_text("track.your_code"));
    let at = page.body.find("<strong class=\"code\">").unwrap() + "<strong class=\"code\">".len();
    let code = page.body[at..at + 11].to_string();
    assert_eq!(code.as_bytes()[5], b'-', "{code}");

    // Another phone: the pending proposal is hidden until the code is given.
    app.forget_cookies();
    // A shared link to it says plainly why it shows nothing, the same words as for a
    // number that does not exist: nothing leaks.
    let hidden = app.get(&proposal).await;
    hidden
        .assert(StatusCode::NOT_FOUND)
        .contains(id_text("error.page.404.proposal"))
        .contains("href=\"/lacak\"")
        .lacks("Sumur bor");
    let none = app.get("/desa/sukamaju/usulan/2026-999").await;
    none.assert(StatusCode::NOT_FOUND)
        .contains(id_text("error.page.404.proposal"));
    let number = proposal.rsplit('/').next().unwrap();
    assert_eq!(
        hidden.body.replace(number, "N"),
        none.body.replace("2026-999", "N")
    );
    app.get("/lacak").await.assert(StatusCode::OK);
    let typed = code.replace('-', " ").to_lowercase();
    let r = app
        .get(&format!("/lacak?kode={}", typed.replace(' ', "+")))
        .await;
    r.assert(StatusCode::SEE_OTHER);
    assert_eq!(r.location(), proposal);
    app.get(&proposal)
        .await
        .assert(StatusCode::OK)
        .contains("Sumur bor Dusun II")
        .contains(id_text("status.pending"));
    // A guess: a plain answer, nothing opened; guessing is rate-limited like /verifikasi.
    app.forget_cookies();
    app.get("/lacak?kode=ABCDE-FGHJK")
        .await
        .assert(StatusCode::NOT_FOUND)
        .contains(id_text("track.unknown"))
        .contains("value=\"ABCDE-FGHJK\"");
    let mut limited = false;
    for _ in 0..40 {
        if app.get("/lacak?kode=ZZZZZ-ZZZZZ").await.status == StatusCode::TOO_MANY_REQUESTS {
            limited = true;
            break;
        }
    }
    assert!(limited, "tracking-code guesses are rate-limited");
    // A proposal of a resident with an account gets no code.
    let v = app.store.village_by_slug("sukamaju").await.unwrap();
    app.client_ip = [10, 0, 0, 9];
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    let r = app
        .post(
            "/desa/sukamaju/usulan",
            &proposal_fields("Posyandu Dusun II"),
        )
        .await;
    app.get(r.location()).await.lacks("kode-lacak");
}
