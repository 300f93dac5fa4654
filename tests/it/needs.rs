use axum::http::StatusCode;
use musdes::domain::account::Role;

use crate::common::{Backend, TestApp, id_text};
use crate::seals::{V, raw};
use rstest::rstest;

const N: &str = "/desa/sukamaju/masalah";

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn problems_are_listed_before_solutions_and_linked_to_the_proposals_that_answer_them(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    let v = app.village("sukamaju").await;
    let hamlet = v.hamlets[0].clone();

    // A resident's proposal, to be linked later.
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    let r = app
        .post(
            "/desa/sukamaju/usulan",
            &[
                ("title", "Sumur bor dusun timur"),
                ("problem", "Sumur kering saat kemarau"),
                ("bidang", "02"),
                ("confirmed", "1"),
            ],
        )
        .await;
    r.assert(StatusCode::SEE_OTHER);
    let number = r.location().rsplit('/').next().unwrap().to_string();
    // Residents read the inventory but do not write it.
    app.get(N)
        .await
        .assert(StatusCode::OK)
        .lacks(id_text("need.create"));
    app.post(N, &[("title", "Jalan berlubang di dusun")])
        .await
        .assert(StatusCode::FORBIDDEN);

    app.forget_cookies();
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    let meeting = crate::meetings::meeting(&mut app, "musdus").await;
    let meeting_id = crate::meetings::meeting_id(&meeting).to_string();

    // Bad input: a unit with no figure, a hamlet of another village, a meeting of no one;
    // a clear message beside each field, what was typed kept, nothing stored.
    let before = app.store.row_counts().await.unwrap();
    app.post(
        N,
        &[
            ("title", "Sumur warga kering di musim kemarau"),
            ("hamlet", "Dusun Tetangga"),
            ("affected_unit", "KK tanpa air bersih"),
            ("meeting", &uuid::Uuid::new_v4().to_string()),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.figure_without_number"))
    .contains(id_text("error.choose_from_list"))
    .contains("value=\"Sumur warga kering di musim kemarau\"")
    .contains("value=\"KK tanpa air bersih\"");
    app.post(N, &[("title", "Air"), ("affected_count", "120")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.need_title_short"))
        .contains(id_text("error.figure_without_unit"));
    assert_eq!(app.store.row_counts().await.unwrap(), before);

    // Three problems at a musyawarah dusun, before anyone has a solution.
    let mut paths = Vec::new();
    for (title, count) in [
        ("Sumur warga kering di musim kemarau", "1.120"),
        ("Jalan ke sawah becek saat hujan", "40"),
        ("Anak-anak tidak punya tempat bermain", ""),
    ] {
        let mut fields = vec![
            ("title", title),
            ("hamlet", hamlet.as_str()),
            ("affects", "women"),
            ("affects", "poor_households"),
            ("since_year", "2019"),
            ("meeting", meeting_id.as_str()),
            ("raised_by", "Bu Sarinah"),
        ];
        if !count.is_empty() {
            fields.push(("affected_count", count));
            fields.push(("affected_unit", "KK"));
        }
        let r = app.post(N, &fields).await;
        r.assert(StatusCode::SEE_OTHER);
        paths.push(r.location().to_string());
    }
    // The same problem twice is refused; the first stays the one to edit.
    app.post(N, &[("title", "sumur warga kering di musim kemarau")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.need_title_taken"));
    let page = app.get(&paths[0]).await;
    page.assert(StatusCode::OK)
        .contains("Sumur warga kering di musim kemarau")
        .contains("1.120 KK")
        .contains(&hamlet)
        .contains(id_text("affects.women"))
        .contains(id_text("affects.poor_households"))
        .contains("2019")
        .contains("Bu Sarinah");
    let version = page.field("version");

    // A proposal number that is not the village's is refused, the number kept.
    app.post(&format!("{}/usulan", paths[0]), &[("proposal", "2026-999")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.need_unknown_proposal"))
        .contains("value=\"2026-999\"");
    // Linked (twice is once), it shows on both pages.
    for _ in 0..2 {
        app.post(&format!("{}/usulan", paths[0]), &[("proposal", &number)])
            .await
            .assert(StatusCode::SEE_OTHER);
    }
    let need_id: uuid::Uuid = paths[0].rsplit('/').next().unwrap().parse().unwrap();
    assert_eq!(app.store.need(v.id, need_id).await.unwrap().proposals, 1);
    app.get(&format!("/desa/sukamaju/usulan/{number}"))
        .await
        .contains(id_text("need.answers"))
        .contains(&paths[0]);

    // An edit from an old page: 409, the stored problem shown, what was typed kept.
    app.post(
        &paths[0],
        &[
            ("title", "Sumur warga kering tiap kemarau"),
            ("affected_count", "1120"),
            ("affected_unit", "KK"),
            ("version", &version),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.post(
        &paths[0],
        &[("title", "Sumur kering"), ("version", &version)],
    )
    .await
    .assert(StatusCode::CONFLICT)
    .contains(id_text("error.stale"))
    .contains("value=\"Sumur kering\"")
    .contains("Sumur warga kering tiap kemarau");

    // The public list: no name of who raised it, the counts, the meeting.
    app.forget_cookies();
    app.get(N)
        .await
        .assert(StatusCode::OK)
        .contains("Sumur warga kering tiap kemarau")
        .contains("Jalan ke sawah becek saat hujan")
        .contains("Musyawarah Desa RKP 2027")
        .lacks("Bu Sarinah");
    app.get(&paths[1])
        .await
        .contains(&meeting)
        .lacks("Bu Sarinah");

    // A season later, the two problems nobody answered are put before the officials.
    for p in &paths {
        let id: uuid::Uuid = p.rsplit('/').next().unwrap().parse().unwrap();
        raw(
            &app,
            "UPDATE needs SET created_at = $1 WHERE id = $2",
            &[
                V::At(chrono::Utc::now() - chrono::Duration::days(91)),
                V::Id(id),
            ],
        )
        .await;
    }
    app.login_as("kades@desa.id", Role::Official, Some(&v))
        .await;
    let worklist = app.get("/desa/sukamaju/tindakan").await;
    worklist
        .assert(StatusCode::OK)
        .contains(id_text("worklist.needs_waiting"))
        .contains("Jalan ke sawah becek saat hujan")
        .contains("Anak-anak tidak punya tempat bermain")
        .lacks("Sumur warga kering tiap kemarau");
    app.get(N).await.contains(id_text("need.waits"));
    // The village's statistics count them: three listed, one answered, two waiting.
    app.get("/desa/sukamaju/statistik")
        .await
        .contains(&format!(
            "<dt>{}</dt><dd>3</dd>",
            id_text("stats.needs_recorded")
        ))
        .contains(&format!(
            "<dt>{}</dt><dd>1</dd>",
            id_text("stats.needs_answered")
        ))
        .contains(&format!("<dt>{}</dt><dd>2</dd>", id_text("need.waits")));

    // Unlinked, the first problem waits as well.
    app.post(&format!("{}/usulan/{number}/hapus", paths[0]), &[])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get("/desa/sukamaju/tindakan")
        .await
        .contains("Sumur warga kering tiap kemarau");
    app.get(&format!("/desa/sukamaju/usulan/{number}"))
        .await
        .lacks(id_text("need.answers"));
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn a_problems_figure_is_measured_again_after_the_work_and_the_impact_page_compares_them(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    let v = app.village("sukamaju").await;
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    let r = app
        .post(
            "/desa/sukamaju/usulan",
            &[
                ("title", "Pipa air bersih dari mata air"),
                ("problem", "Warga dusun timur tanpa air bersih"),
                ("bidang", "02"),
                ("confirmed", "1"),
            ],
        )
        .await;
    r.assert(StatusCode::SEE_OTHER);
    let number = r.location().rsplit('/').next().unwrap().to_string();
    let mut needs = Vec::new();
    for fields in [
        vec![
            ("title", "Warga tanpa air bersih"),
            ("affected_count", "120"),
            ("affected_unit", "KK tanpa air bersih"),
        ],
        vec![("title", "Anak-anak tidak punya tempat bermain")],
    ] {
        let r = app.post(N, &fields).await;
        r.assert(StatusCode::SEE_OTHER);
        let path = r.location().to_string();
        app.post(&format!("{path}/usulan"), &[("proposal", &number)])
            .await
            .assert(StatusCode::SEE_OTHER);
        needs.push(path);
    }
    let today = v.today().to_string();
    let measure = |need: &str| format!("{need}/sesudah");

    // Bad input, each refused with its message beside the field, what was typed kept and
    // nothing stored: no baseline to compare with; the answering proposal not done yet.
    let before = app.store.row_counts().await.unwrap();
    app.post(
        &measure(&needs[1]),
        &[("count", "3"), ("measured_on", &today)],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.measure_without_baseline"));
    app.post(
        &measure(&needs[0]),
        &[("count", "30"), ("measured_on", &today)],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.measure_before_done"))
    .contains("value=\"30\"");
    assert_eq!(app.store.row_counts().await.unwrap(), before);
    // Before the work is done, the page says when the figure after is recorded.
    app.get(&needs[0])
        .await
        .contains(id_text("need.measure_after_done"))
        .contains(id_text("need.not_measured"));

    raw(
        &app,
        "UPDATE proposals SET status = 'completed' WHERE number = $1 AND village_id = $2",
        &[V::T(number.clone()), V::Id(v.id)],
    )
    .await;
    let tomorrow = (v.today() + chrono::Duration::days(1)).to_string();
    let last_year = (v.today() - chrono::Duration::days(365)).to_string();
    for (count, on, field, message) in [
        ("", &today, "count", "error.required"),
        ("banyak", &today, "count", "error.not_a_count"),
        ("30", &tomorrow, "measured_on", "error.date_in_future"),
        (
            "30",
            &last_year,
            "measured_on",
            "error.measure_before_listing",
        ),
        ("30", &"20-11-2026".to_string(), "measured_on", "error.date"),
    ] {
        let page = app
            .post(
                &measure(&needs[0]),
                &[("count", count), ("measured_on", on)],
            )
            .await;
        page.assert(StatusCode::UNPROCESSABLE_ENTITY)
            .contains(id_text(message))
            .contains(&format!("id=\"e-{field}\""));
    }
    assert_eq!(app.store.row_counts().await.unwrap(), before);

    // Measured: 120 households before, 30 after — 90 fewer, 75 %.
    app.post(
        &measure(&needs[0]),
        &[
            ("count", "30"),
            ("measured_on", &today),
            ("note", "Pendataan RT"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get(&needs[0])
        .await
        .contains("−90 (75%)")
        .contains("Pendataan RT");

    // The public impact page lists the problem with a baseline that a proposal answers,
    // before and after; the one without a baseline is not on it.
    app.forget_cookies();
    let page = app.get("/desa/sukamaju/dampak").await;
    page.assert(StatusCode::OK)
        .contains("Warga tanpa air bersih")
        .contains("KK tanpa air bersih")
        .contains("<td data-label=\"Sebelum\">120</td>")
        .contains("−90 (75%)")
        .contains("1 sudah diukur sesudahnya")
        .contains("1 berkurang")
        .lacks("Anak-anak tidak punya tempat bermain")
        .lacks(id_text("need.measure"));
    // Counted again later, more are affected: the change turns and the latest counts.
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    app.post(
        &measure(&needs[0]),
        &[("count", "150"), ("measured_on", &today)],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get("/desa/sukamaju/dampak")
        .await
        .contains("+30 (25%)")
        .contains("0 berkurang");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn a_problem_is_listed_with_the_contracts_field_names(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    let v = app.village("sukamaju").await;
    let hamlet = v.hamlets[1].clone();
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    // `dusun`, `affected` (a figure with no unit) and `since` (a date: its year).
    let before = app.store.row_counts().await.unwrap();
    app.post(
        N,
        &[
            ("title", "Jembatan bambu lapuk"),
            ("dusun", "Dusun Seberang"),
            ("affected", "banyak"),
            ("since", "kemarin"),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.choose_from_list"))
    .contains(id_text("error.year"))
    .contains("value=\"banyak\"");
    assert_eq!(app.store.row_counts().await.unwrap(), before);
    let r = app
        .post(
            N,
            &[
                ("title", "Jembatan bambu lapuk"),
                ("description", "Anak sekolah menyeberang sungai"),
                ("dusun", &hamlet),
                ("affected", "85"),
                ("since", "2021-03-01"),
            ],
        )
        .await;
    r.assert(StatusCode::SEE_OTHER);
    app.get(r.location())
        .await
        .assert(StatusCode::OK)
        .contains(&hamlet)
        .contains("85")
        .contains(musdes::domain::need::AFFECTED_UNIT)
        .contains("2021");
}
