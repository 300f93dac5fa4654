use axum::http::StatusCode;
use musdes::domain::account::Role;
use musdes::domain::group::GroupForm;
use musdes::web::i18n::Lang;

use crate::common::{Backend, TestApp, id_text};
use crate::meetings::attend;
use rstest::rstest;
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn metrics_count_people_voices_and_answers_from_the_records(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    let tani = app
        .store
        .create_group(
            v.id,
            &GroupForm {
                name: "Kelompok Tani Makmur".into(),
                kind: "tani".into(),
                ..GroupForm::default()
            }
            .validate(2026)
            .unwrap(),
            None,
        )
        .await
        .unwrap();
    app.store
        .create_group(
            v.id,
            &GroupForm {
                name: "Nelayan Pantai".into(),
                kind: "nelayan".into(),
                ..GroupForm::default()
            }
            .validate(2026)
            .unwrap(),
            None,
        )
        .await
        .unwrap();
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    let r = app
        .post(
            "/desa/sukamaju/usulan",
            &[
                ("title", "Embung desa"),
                ("problem", "Sawah kering tiga bulan"),
                ("bidang", "02"),
            ],
        )
        .await;
    let path = r.location().to_string();
    app.post(
        &format!("{path}/tanggapan"),
        &[("kind", "concern"), ("body", "Siapa yang merawat?")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.logout().await;
    app.login_as("kades@desa.id", Role::Official, Some(&v))
        .await;
    let concern = app
        .store
        .feedback_for(
            app.store
                .proposal_by_number(v.id, path.rsplit('/').next().unwrap())
                .await
                .unwrap()
                .id,
        )
        .await
        .unwrap()[0]
        .id;
    app.post(
        &format!("{path}/jawaban"),
        &[
            ("feedback", &concern.to_string()),
            ("body", "Kelompok tani"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    // A meeting held today, at midnight so it lies in the past at any hour (the period
    // is the year so far by default).
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .format("%Y-%m-%dT00:00")
        .to_string();
    let r = app
        .post(
            "/desa/sukamaju/musyawarah",
            &[
                ("kind", "musdus"),
                ("title", "Musyawarah Dusun I"),
                ("scheduled_at", &today),
                ("place", "Balai"),
            ],
        )
        .await;
    let m = r.location().to_string();
    attend(&mut app, &m, "Siti Aminah", "P", Some(tani)).await;
    attend(&mut app, &m, "Bu Wati", "P", None).await;
    attend(&mut app, &m, "Pak Darto", "L", Some(tani)).await;
    app.post(&format!("{m}/status"), &[("status", "held")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.logout().await;
    let page = app.get("/desa/sukamaju/statistik").await;
    page.assert(StatusCode::OK)
        .contains(id_text("stats.title"))
        .lacks("semua angka nol")
        .contains("<td>Perempuan</td><td>2</td>")
        .contains("Nelayan Pantai")
        // The concern was answered within the minute: not "0 jam".
        .contains(&Lang::ID.count("stats.minutes", 1))
        .contains("2.100");
    // In English, numbers group with commas and units take their plural forms.
    app.get("/desa/sukamaju/statistik?lang=en")
        .await
        .contains("1 minute<")
        .contains("2,100")
        .lacks("2.100");
    let json: serde_json::Value =
        serde_json::from_str(&app.get("/api/v1/desa/sukamaju").await.body).unwrap();
    let m = &json["metrics"];
    // Siti, Wati, Darto at the meeting; "Test Person" gave the concern.
    assert_eq!(m["participants"], 4);
    assert_eq!(
        (
            m["men"].as_i64(),
            m["women"].as_i64(),
            m["women_percent"].as_i64()
        ),
        (Some(1), Some(2), Some(67))
    );
    assert_eq!(m["meeting_attendances"], 3);
    assert_eq!(m["concerns"], 1);
    assert_eq!(m["concerns_answered_percent"], 100);
    assert_eq!(
        m["groups_heard"],
        serde_json::json!(["Kelompok Tani Makmur"])
    );
    assert_eq!(
        m["groups_never_heard"],
        serde_json::json!(["Nelayan Pantai"])
    );
    assert_eq!(m["adults"], 2100, "70% of the population of 3000");
    assert_eq!(json["proposals"]["by_level"]["inform"], 1);
    assert_eq!(json["groups"], 2);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_period_ending_before_it_starts_is_refused_and_an_empty_one_shows_zeros(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.village("sukamaju").await;
    app.get("/desa/sukamaju/statistik?from=2026-12-01&to=2026-11-01")
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.period_reversed"))
        .contains("value=\"2026-12-01\"");
    app.get("/desa/sukamaju/statistik?from=kemarin")
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.date"));
    let r = app
        .get("/api/v1/desa/sukamaju?from=2026-12-01&to=2026-11-01")
        .await;
    r.assert(StatusCode::UNPROCESSABLE_ENTITY);
    let json: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert!(
        json["errors"]["to"]
            .as_str()
            .unwrap()
            .contains("before the start")
    );
    app.get("/desa/sukamaju/statistik?from=2001-01-01&to=2001-01-31")
        .await
        .assert(StatusCode::OK)
        .contains(id_text("stats.empty"));
    let json: serde_json::Value = serde_json::from_str(
        &app.get("/api/v1/desa/sukamaju?from=2001-01-01&to=2001-01-31")
            .await
            .body,
    )
    .unwrap();
    assert_eq!(json["metrics"]["participants"], 0);
    assert!(json["metrics"]["gini_hundredths"].is_null());
    app.get("/desa/tidakada/statistik")
        .await
        .assert(StatusCode::NOT_FOUND);
    app.get("/api/v1/desa/tidakada")
        .await
        .assert(StatusCode::NOT_FOUND);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn villages_are_compared_side_by_side_and_sorted(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    app.village("alamsari").await;
    let busy = app.village("sukamaju").await;
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&busy))
        .await;
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .format("%Y-%m-%dT00:00")
        .to_string();
    let r = app
        .post(
            "/desa/sukamaju/musyawarah",
            &[
                ("kind", "musdus"),
                ("title", "Musyawarah Dusun I"),
                ("scheduled_at", &today),
                ("place", "Balai"),
            ],
        )
        .await;
    let m = r.location().to_string();
    attend(&mut app, &m, "Siti Aminah", "P", None).await;
    attend(&mut app, &m, "Pak Darto", "L", None).await;
    app.post(&format!("{m}/status"), &[("status", "held")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.logout().await;
    let page = app.get("/statistik").await;
    page.assert(StatusCode::OK)
        .contains(id_text("compare.title"));
    let (a, b) = (
        page.body.find("Desa sukamaju").unwrap(),
        page.body.find("Desa alamsari").unwrap(),
    );
    assert!(a < b, "the engaged village comes first");
    let page = app.get("/statistik?sort=nama").await;
    let (a, b) = (
        page.body.find("Desa sukamaju").unwrap(),
        page.body.find("Desa alamsari").unwrap(),
    );
    assert!(b < a, "by name");
    app.get("/statistik?from=2026-12-01&to=2026-01-01")
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.period_reversed"));
    app.get("/statistik?sort=%3Cscript%3E")
        .await
        .assert(StatusCode::OK)
        .lacks("<script>");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn a_group_or_dusun_holding_more_voices_than_its_people_is_named(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    let v = app.village("sukamaju").await;
    let mut groups = Vec::new();
    for (name, members) in [("Kelompok Tani Makmur", "40"), ("PKK Sukamaju", "60")] {
        let form = GroupForm {
            name: name.into(),
            kind: "lainnya".into(),
            members: members.into(),
            ..GroupForm::default()
        };
        groups.push(
            app.store
                .create_group(v.id, &form.validate(2026).unwrap(), None)
                .await
                .unwrap(),
        );
    }
    // The two dusun are half the village each.
    crate::seals::raw(
        &app,
        "UPDATE hamlets SET population = 1500 WHERE village_id = $1",
        &[crate::seals::V::Id(v.id)],
    )
    .await;
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .format("%Y-%m-%dT00:00")
        .to_string();
    let m = app
        .post(
            "/desa/sukamaju/musyawarah",
            &[
                ("kind", "musdus"),
                ("title", "Musyawarah Dusun I"),
                ("scheduled_at", &today),
                ("place", "Balai"),
            ],
        )
        .await
        .location()
        .to_string();
    // Ten lines: eight farmers from the first dusun, two PKK members from the second.
    for i in 0..10 {
        let (group, dusun) = if i < 8 {
            (groups[0], &v.hamlets[0])
        } else {
            (groups[1], &v.hamlets[1])
        };
        app.post(
            &format!("{m}/hadir"),
            &[
                ("name", &format!("Warga {i}")),
                ("gender", if i % 2 == 0 { "L" } else { "P" }),
                ("group", &group.to_string()),
                ("dusun", dusun),
            ],
        )
        .await
        .assert(StatusCode::SEE_OTHER);
    }
    app.post(&format!("{m}/status"), &[("status", "held")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.logout().await;

    // The farmers hold 80% of the voices for 40% of the groups' members; the first dusun
    // 80% for half of the people: both are named. The PKK and the second dusun are not.
    let page = app.get("/desa/sukamaju/statistik").await;
    page.assert(StatusCode::OK)
        .contains(&format!(
            "<strong>Kelompok Tani Makmur</strong>: {}",
            Lang::ID.format("stats.voices_over", &[("share", 80), ("people", 40)])
        ))
        .contains(&format!(
            "<strong>{}</strong>: {}",
            v.hamlets[0],
            Lang::ID.format("stats.voices_over", &[("share", 80), ("people", 50)])
        ))
        .lacks("<strong>PKK Sukamaju</strong>:");
    let json: serde_json::Value =
        serde_json::from_str(&app.get("/api/v1/desa/sukamaju").await.body).unwrap();
    let voices = &json["metrics"]["voices"];
    assert_eq!(voices["with_group"], 10);
    assert_eq!(
        voices["by_group"][0],
        serde_json::json!({
            "name": "Kelompok Tani Makmur", "attendance": 8, "feedback": 0,
            "percent": 80, "population_percent": 40, "over": true,
        })
    );
    assert_eq!(voices["by_group"][1]["over"], false);
    assert_eq!(voices["by_hamlet"][0]["percent"], 80);
    assert_eq!(voices["by_hamlet"][0]["population_percent"], 50);
    assert_eq!(voices["by_hamlet"][1]["over"], false);
}
