use axum::http::StatusCode;
use musdes::domain::account::Role;

use crate::common::{Backend, TestApp, id_text};
use rstest::rstest;

const S: &str = "/desa/sukamaju/survei";

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn a_needs_survey_is_answered_once_per_person_online_or_on_paper_and_counted_per_dusun(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    let v = app.village("sukamaju").await;
    let (krajan, other) = (v.hamlets[0].clone(), v.hamlets[1].clone());
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    let questions =
        "Sumber air minum utama? | Sumur | PDAM | Sungai\nAir cukup saat kemarau? | Ya | Tidak";
    // A question with one answer: refused, what was typed kept, nothing stored.
    let before = app.store.row_counts().await.unwrap();
    app.post(
        S,
        &[
            ("title", "Survei air bersih"),
            ("questions", "Sumber air minum utama? | Sumur"),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.survey_choices"))
    .contains("Sumber air minum utama? | Sumur</textarea>");
    assert_eq!(app.store.row_counts().await.unwrap(), before);
    let r = app
        .post(
            S,
            &[("title", "Survei air bersih"), ("questions", questions)],
        )
        .await;
    r.assert(StatusCode::SEE_OTHER);
    let survey = r.location().to_string();
    let staff = app.cookies.clone();

    // A resident with an account answers once.
    app.forget_cookies();
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    app.get(&survey)
        .await
        .assert(StatusCode::OK)
        .contains("Sumber air minum utama?");
    let before = app.store.row_counts().await.unwrap();
    app.post(&survey, &[("q0", "0"), ("hamlet", &krajan)])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.survey_answer"))
        .contains("name=\"q0\" value=\"0\" checked");
    app.post(&survey, &[("q0", "7"), ("q1", "0")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.store.row_counts().await.unwrap(), before);
    app.post(&survey, &[("q0", "0"), ("q1", "1"), ("hamlet", &krajan)])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get(&survey).await.contains(id_text("survey.already"));
    let answered = app.store.row_counts().await.unwrap();
    app.post(&survey, &[("q0", "2"), ("q1", "0")])
        .await
        .assert(StatusCode::CONFLICT)
        .contains(id_text("error.survey_twice"));
    assert_eq!(app.store.row_counts().await.unwrap(), answered);

    // A browser without an account answers once too.
    app.forget_cookies();
    app.post(&survey, &[("q0", "0"), ("q1", "1"), ("hamlet", &other)])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(&survey, &[("q0", "1"), ("q1", "1"), ("hamlet", &other)])
        .await
        .assert(StatusCode::CONFLICT);
    // Only staff enter paper forms.
    let r = app
        .post(
            &survey,
            &[
                ("paper", "1"),
                ("name", "Pak Darto"),
                ("q0", "1"),
                ("q1", "0"),
            ],
        )
        .await;
    r.assert(StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/masuk"));

    // Paper forms, one per person by name; a paper form needs the name.
    app.cookies = staff;
    app.post(&survey, &[("paper", "1"), ("q0", "1"), ("q1", "0")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.survey_paper_name"));
    app.post(
        &survey,
        &[
            ("paper", "1"),
            ("name", "Pak Darto"),
            ("q0", "1"),
            ("q1", "0"),
            ("hamlet", &krajan),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.post(
        &survey,
        &[
            ("paper", "1"),
            ("name", " pak  DARTO "),
            ("q0", "2"),
            ("q1", "0"),
        ],
    )
    .await
    .assert(StatusCode::CONFLICT)
    .contains(id_text("error.survey_paper_twice"));

    // Results: 3 answers; per dusun, Krajan chose Sumur once and PDAM once. The names on
    // paper are never shown.
    let page = app.get(&survey).await;
    page.assert(StatusCode::OK)
        .contains(&app_count(3))
        .lacks("Pak Darto");
    let krajan_row = format!(
        "<tr><th scope=\"row\">{krajan}</th><td data-label=\"Sumur\">1</td><td data-label=\"PDAM\">1</td><td data-label=\"Sungai\">0</td></tr>"
    );
    assert!(page.body.contains(&krajan_row), "{}", page.body);

    // Closed, it takes no more answers.
    app.post(&format!("{survey}/tutup"), &[])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.forget_cookies();
    let closed = app.store.row_counts().await.unwrap();
    app.post(&survey, &[("q0", "0"), ("q1", "0")])
        .await
        .assert(StatusCode::CONFLICT)
        .contains(id_text("error.survey_closed"));
    assert_eq!(app.store.row_counts().await.unwrap(), closed);
    app.get(S)
        .await
        .contains("Survei air bersih")
        .contains(id_text("survey.closed_badge"));
}

/// "3 jawaban" as the page counts it.
fn app_count(n: i64) -> String {
    format!("{n} jawaban")
}
