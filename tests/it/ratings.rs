use axum::http::StatusCode;
use musdes::domain::account::Role;

use crate::common::{Backend, TestApp, id_text};
use crate::meetings::{attend, meeting, meeting_id};
use rstest::rstest;

/// The code a staff member reads on the rating page (printed `3F9-A21`).
async fn code_of(app: &mut TestApp, rating: &str) -> String {
    let page = app.get(rating).await;
    page.assert(StatusCode::OK);
    let at = page
        .body
        .find("class=\"rating-code\">")
        .expect("the code is shown to staff");
    page.body[at + 20..at + 27].to_string()
}

async fn post(app: &mut TestApp, path: &str, fields: &[(String, String)]) -> crate::common::Reply {
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post(path, &pairs).await
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn attendees_rate_a_held_meeting_with_its_code_once_and_the_metrics_sum_it_up(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    let v = app.village("sukamaju").await;
    let hamlet = v.hamlets[0].clone();
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    let first = meeting(&mut app, "musdus").await;
    let other = meeting(&mut app, "kelompok").await;
    let rating = format!("{first}/nilai");
    let code = code_of(&mut app, &rating).await;
    let other_code = code_of(&mut app, &format!("{other}/nilai")).await;
    assert_ne!(code, other_code);
    assert_eq!(code.len(), 7, "{code}");
    // The blank daftar hadir the facilitator prints carries the code; the public's does not.
    app.get(&format!("{first}/daftar-hadir-kosong"))
        .await
        .contains(&code);
    attend(&mut app, &first, "Siti Aminah", "P", None).await;
    let staff_cookies = app.cookies.clone();

    // A resident in the hall, without an account.
    app.forget_cookies();
    app.get(&format!("{first}/daftar-hadir-kosong"))
        .await
        .lacks(&code);
    let answer = |code: &str, score: &str| {
        vec![
            ("kode".to_string(), code.to_string()),
            ("score".to_string(), score.to_string()),
            ("heard".to_string(), "yes".to_string()),
            ("trust".to_string(), "4".to_string()),
            ("hamlet".to_string(), hamlet.clone()),
        ]
    };
    // Not yet held: refused, nothing stored.
    let before = app.store.row_counts().await.unwrap();
    app.get(&format!("{rating}?kode={code}"))
        .await
        .assert(StatusCode::OK)
        .contains(id_text("error.rating_not_held"));
    post(&mut app, &rating, &answer(&code, "5"))
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.rating_not_held"));
    assert_eq!(app.store.row_counts().await.unwrap(), before);

    // Held now.
    let anonymous = app.cookies.clone();
    app.cookies = staff_cookies.clone();
    app.post(&format!("{first}/status"), &[("status", "held")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.cookies = anonymous;
    let before = app.store.row_counts().await.unwrap();

    // The code of another meeting, a wrong code, no code: each its own message.
    for (typed, key) in [
        (other_code.as_str(), "error.rating_code_other_meeting"),
        ("ZZZ-999", "error.rating_code_wrong"),
        ("", "error.rating_code_missing"),
    ] {
        post(&mut app, &rating, &answer(typed, "5"))
            .await
            .assert(StatusCode::UNPROCESSABLE_ENTITY)
            .contains(id_text(key))
            .contains(&format!("value=\"{typed}\""))
            .contains("name=\"score\" value=\"5\" checked")
            .contains("name=\"trust\" value=\"4\" checked");
    }
    // A score out of the scale.
    post(&mut app, &rating, &answer(&code, "9"))
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.rating_scale"));
    assert_eq!(app.store.row_counts().await.unwrap(), before);

    // Typed the way people type it: lower case, without the dash; under the contract's
    // names (`rating`, `heard` = `ya`).
    let typed = code.replace('-', "").to_lowercase();
    let contract: Vec<(String, String)> = answer(&typed, "5")
        .into_iter()
        .map(|(k, v)| match k.as_str() {
            "score" => ("rating".to_string(), v),
            "heard" => (k, "ya".to_string()),
            _ => (k, v),
        })
        .collect();
    let thanked = post(&mut app, &rating, &contract).await;
    thanked.assert(StatusCode::SEE_OTHER);
    app.get(thanked.location())
        .await
        .contains(id_text("rating.thanks"));
    app.get(&rating)
        .await
        .contains(id_text("rating.already"))
        .lacks(id_text("rating.thanks"))
        .lacks("Waktu bicara");
    // The same browser again: refused, nothing stored.
    let counted = app.store.row_counts().await.unwrap();
    post(&mut app, &rating, &answer(&code, "1"))
        .await
        .assert(StatusCode::CONFLICT)
        .contains(id_text("error.rating_twice"));
    assert_eq!(app.store.row_counts().await.unwrap(), counted);
    // Only staff enter paper answers.
    let r = app
        .post(&rating, &[("paper", "1"), ("score", "2"), ("heard", "no")])
        .await;
    r.assert(StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/masuk"), "{}", r.location());

    // A second resident, and two paper answers the facilitator enters.
    app.forget_cookies();
    let mut second = answer(&code, "3");
    second[2].1 = "partly".to_string();
    second.retain(|(k, _)| k != "trust" && k != "hamlet");
    post(&mut app, &rating, &second)
        .await
        .assert(StatusCode::SEE_OTHER);
    app.cookies = staff_cookies;
    for (score, heard, trust, comment) in [
        ("2", "no", "1", "Waktu bicara kurang"),
        ("4", "yes", "", ""),
    ] {
        app.post(
            &rating,
            &[
                ("paper", "1"),
                ("score", score),
                ("heard", heard),
                ("trust", trust),
                ("comment", comment),
                ("hamlet", &hamlet),
            ],
        )
        .await
        .assert(StatusCode::SEE_OTHER);
    }
    // Staff read every answer; the average is (5 + 3 + 2 + 4) / 4 = 3.5, heard 2 of 4,
    // trust (4 + 1) / 2 = 2.5.
    app.get(&rating)
        .await
        .contains("Waktu bicara kurang")
        .contains("3,5 / 5")
        .contains("50%")
        .contains("2,5 / 5");
    // The public sees the figures, not the comments.
    app.forget_cookies();
    app.get(&rating)
        .await
        .contains("3,5 / 5")
        .lacks("Waktu bicara kurang");

    // The village's metrics for the meeting's year: overall and in the meeting's dusun
    // (the three raters who named it: 5, 2, 4 → 3.7; heard 2 of 3 → 67%).
    let id = meeting_id(&first);
    let held = app.store.meeting(v.id, id).await.unwrap();
    let year = chrono::Datelike::year(&held.scheduled_at);
    let stats = app
        .get(&format!(
            "/desa/sukamaju/statistik?from={year}-01-01&to={year}-12-31"
        ))
        .await;
    stats
        .assert(StatusCode::OK)
        .contains(id_text("stats.meeting_ratings"))
        .contains(&format!("{} {hamlet}", id_text("proposal.dusun")))
        .contains("3,7 / 5")
        .contains("67%");

    // A resident with an account rates; on another browser the page still knows it (the
    // database says so, not the first browser's session).
    app.login_as("tetangga@desa.id", Role::Resident, Some(&v))
        .await;
    post(&mut app, &rating, &answer(&code, "4"))
        .await
        .assert(StatusCode::SEE_OTHER);
    app.forget_cookies();
    app.login_as("tetangga@desa.id", Role::Resident, Some(&v))
        .await;
    app.get(&rating).await.contains(id_text("rating.already"));
    app.forget_cookies();
}
