//! Perubahan RKP Desa: a set plan is amended through the same steps — a Musrenbangdes
//! held after its Perdes agrees the amended draft, a Perdes sets it — and the plan it
//! amends stays beside it, sealed, no longer in force.

use axum::http::StatusCode;

use crate::common::{Backend, TestApp, id_text};
use crate::meetings::attend;
use crate::plans::{P, scored, set_ceiling, set_plan};
use rstest::rstest;

/// A Musrenbangdes of the village scheduled at `at` (`YYYY-MM-DDTHH:MM`); its page.
async fn musrenbangdes(app: &mut TestApp, title: &str, at: &str) -> String {
    let r = app
        .post(
            "/desa/sukamaju/musyawarah",
            &[
                ("kind", "musrenbangdes"),
                ("title", title),
                ("scheduled_at", at),
                ("place", "Balai Desa"),
                ("chair", "Kepala Desa"),
                ("invited_count", "2"),
            ],
        )
        .await;
    r.assert(StatusCode::SEE_OTHER);
    r.location().to_string()
}

fn id_of(page: &str) -> &str {
    page.rsplit('/').next().unwrap()
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap()
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn an_amendment_goes_through_the_same_steps_and_stands_beside_the_plan_it_amends(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, n, _) = scored(&mut app).await;
    let amend = format!("{P}/perubahan");
    let why = [
        ("ground", "kebijakan"),
        ("reason", "Pagu Dana Desa 2027 naik menurut Perbup"),
    ];
    // Only a plan set by Perdes can be amended.
    app.post(&amend, &why)
        .await
        .assert(StatusCode::CONFLICT)
        .contains(id_text("plan.error.amend_not_set"));
    set_plan(&mut app).await;
    // The 60 million is in the RKP; the 50 million did not fit and went back to the RPJM,
    // and the 10 million after it (priority order holds).
    assert_eq!(
        app.store
            .proposal_by_number(v.id, &n[1])
            .await
            .unwrap()
            .status,
        "deferred"
    );
    app.get(P).await.contains(id_text("plan.amend_button"));

    // Bad input: a ground the law does not know, a reason too short; what was typed stays.
    app.post(
        &amend,
        &[("ground", "karena_ingin"), ("reason", "ubah <x>")],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("plan.error.amend_ground"))
    .contains(id_text("plan.error.amend_reason"))
    .contains("ubah &#60;x&#62;");
    assert_eq!(app.store.plan_revisions(v.id, 2027).await.unwrap().len(), 1);

    // The amendment opens as a draft holding the plan in force; one at a time.
    app.post(&amend, &why).await.assert(StatusCode::SEE_OTHER);
    app.post(&amend, &why)
        .await
        .assert(StatusCode::CONFLICT)
        .contains("sedang disusun");
    app.get(P)
        .await
        .assert(StatusCode::OK)
        .contains("Perubahan 1 · RKP Desa 2027")
        .contains("Pagu Dana Desa 2027 naik menurut Perbup")
        .contains(id_text("amend_ground.kebijakan"))
        .contains(id_text("plan.revisions"))
        .lacks("Mulai perubahan RKP Desa");
    // The plan as set stays in force meanwhile, read only.
    app.get(&format!("{P}?revisi=0"))
        .await
        .assert(StatusCode::OK)
        .contains(id_text("plan.earlier_revision"))
        .lacks("action=\"/desa/sukamaju/rkp/2027/perubahan\"")
        .lacks("/rkp/2027/pagu\"");
    app.get(&format!("{P}?revisi=7"))
        .await
        .assert(StatusCode::NOT_FOUND);
    app.get(&format!("{P}?revisi=x"))
        .await
        .assert(StatusCode::NOT_FOUND);
    let api = json(&app.get(&format!("/api/v1{P}")).await.body);
    assert_eq!(
        (
            api["revision"].as_i64(),
            api["in_force"].as_bool(),
            api["status"].as_str()
        ),
        (Some(1), Some(false), Some("draft"))
    );
    let in_force: Vec<bool> = api["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["in_force"].as_bool().unwrap())
        .collect();
    assert_eq!(in_force, [true, false]);
    // Its seal, read without a revision, is the plan in force.
    let seal = json(&app.get(&format!("/api/v1{P}/segel")).await.body);
    assert_eq!(
        (seal["revision"].as_i64(), seal["holds"].as_bool()),
        (Some(0), Some(true))
    );

    // The amended draft: a higher pagu brings the 50 million in; the 10 million still waits.
    set_ceiling(&mut app, "110.000.000")
        .await
        .assert(StatusCode::SEE_OTHER);
    let api = json(&app.get(&format!("/api/v1{P}")).await.body);
    let lists: Vec<&str> = api["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["list"].as_str().unwrap())
        .collect();
    assert_eq!(lists, ["rkp", "rkp", "rpjm"]);

    // Amending with no amendment meeting: none chosen, or one held before the Perdes.
    app.post(&format!("{P}/musrenbangdes"), &[("meeting", "")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("meeting_kind.musrenbangdes"));
    let early = musrenbangdes(&mut app, "Musrenbangdes lama", "2026-09-20T09:00").await;
    app.post(&format!("{P}/musrenbangdes"), &[("meeting", id_of(&early))])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("plan.error.amendment_meeting_early"));
    // Nor is it set without its agreement.
    app.post(
        &format!("{P}/perdes"),
        &[("number", "7 Tahun 2026"), ("date", "2026-10-25")],
    )
    .await
    .assert(StatusCode::CONFLICT);
    assert!(!app.store.plan(v.id, 2027).await.unwrap().is_tabled());

    // Its own Musrenbangdes agrees it; the 50 million comes back from the RPJM.
    let m = musrenbangdes(
        &mut app,
        "Musrenbangdes Perubahan RKP Desa 2027",
        "2026-10-20T09:00",
    )
    .await;
    app.post(&format!("{P}/musrenbangdes"), &[("meeting", id_of(&m))])
        .await
        .assert(StatusCode::SEE_OTHER);
    attend(&mut app, &m, "Pak Darto", "L", None).await;
    attend(&mut app, &m, "Bu Siti", "P", None).await;
    app.post(&format!("{m}/status"), &[("status", "held")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(&format!("{m}/final"), &[])
        .await
        .assert(StatusCode::SEE_OTHER);
    assert_eq!(
        app.store
            .proposal_by_number(v.id, &n[1])
            .await
            .unwrap()
            .status,
        "accepted"
    );
    assert_eq!(
        app.store
            .proposal_by_number(v.id, &n[2])
            .await
            .unwrap()
            .status,
        "deferred"
    );
    // A Perdes dated before that Musrenbangdes is refused.
    app.post(
        &format!("{P}/perdes"),
        &[("number", "7 Tahun 2026"), ("date", "2026-10-19")],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY);
    app.post(
        &format!("{P}/perdes"),
        &[("number", "7 Tahun 2026"), ("date", "2026-10-25")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);

    // The amendment is in force; the plan it amends stays beside it, sealed.
    let api = json(&app.get(&format!("/api/v1{P}")).await.body);
    assert_eq!(
        (
            api["revision"].as_i64(),
            api["in_force"].as_bool(),
            api["funded"].as_i64()
        ),
        (Some(1), Some(true), Some(110_000_000))
    );
    assert_eq!(api["amendment"]["ground"], "kebijakan");
    let in_force: Vec<bool> = api["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["in_force"].as_bool().unwrap())
        .collect();
    assert_eq!(in_force, [false, true]);
    let original = json(&app.get(&format!("/api/v1{P}?revisi=0")).await.body);
    assert_eq!(
        (
            original["funded"].as_i64(),
            original["adoption"]["perdes"]["number"].as_str()
        ),
        (Some(60_000_000), Some("4 Tahun 2026"))
    );
    for q in ["", "?revisi=0"] {
        let seal = json(&app.get(&format!("/api/v1{P}/segel{q}")).await.body);
        assert_eq!(seal["holds"], true, "{q}");
    }
    assert!(
        app.store
            .plan_revision(v.id, 2027, Some(0))
            .await
            .unwrap()
            .superseded_by
            .is_some()
    );
    app.get(&format!("{P}?revisi=0"))
        .await
        .contains(id_text("plan.superseded"));
    app.get(P)
        .await
        .contains(id_text("plan.amend_button"))
        .contains("Berlaku");

    // Each proposal's timeline says where the amendment put it.
    app.get(&format!("/desa/sukamaju/usulan/{}", n[1]))
        .await
        .contains("Masuk Perubahan RKP Desa 2027")
        .contains("Perubahan RKP Desa 2027 · #2 · Perdes 7 Tahun 2026");

    // The documents: the amendment's Perdes names the one it amends and why; the first prints as it was.
    app.get(&format!("{P}/perdes"))
        .await
        .assert(StatusCode::OK)
        .contains("PERUBAHAN RENCANA KERJA PEMERINTAH DESA TAHUN 2027")
        .contains("yang ditetapkan dengan Peraturan Desa Nomor 4 Tahun 2026 perlu diubah")
        .contains("Pagu Dana Desa 2027 naik menurut Perbup");
    app.get(&format!("{P}/perdes?revisi=0"))
        .await
        .assert(StatusCode::OK)
        .lacks("PERUBAHAN RENCANA")
        .contains("NOMOR 4 TAHUN 2026");
    let csv = app.get(&format!("{P}.csv")).await;
    assert!(
        csv.header("content-disposition")
            .contains("rkp-desa-sukamaju-2027-perubahan-1.csv")
    );
    let first = app.get(&format!("{P}.csv?revisi=0")).await;
    assert!(
        first
            .header("content-disposition")
            .contains("rkp-desa-sukamaju-2027.csv")
    );
    app.get("/desa/sukamaju/rkp").await.contains("Perubahan 1");

    // A second amendment after a flood: the pagu falls back and the 50 million leaves the
    // RKP again; its timeline says so, and no meeting holds it any more.
    app.post(
        &amend,
        &[
            ("ground", "peristiwa_khusus"),
            ("reason", "Banjir bandang; Dana Desa dialihkan"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    set_ceiling(&mut app, "60.000.000")
        .await
        .assert(StatusCode::SEE_OTHER);
    let m2 = musrenbangdes(
        &mut app,
        "Musrenbangdes Perubahan Kedua",
        "2026-11-10T09:00",
    )
    .await;
    app.post(&format!("{P}/musrenbangdes"), &[("meeting", id_of(&m2))])
        .await
        .assert(StatusCode::SEE_OTHER);
    attend(&mut app, &m2, "Pak Darto", "L", None).await;
    attend(&mut app, &m2, "Bu Siti", "P", None).await;
    app.post(&format!("{m2}/status"), &[("status", "held")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(&format!("{m2}/final"), &[])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(
        &format!("{P}/perdes"),
        &[("number", "9 Tahun 2026"), ("date", "2026-11-12")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get(&format!("/desa/sukamaju/usulan/{}", n[1]))
        .await
        .contains("Perubahan RKP Desa 2027 · Perdes 9 Tahun 2026");
    assert_eq!(
        app.store
            .proposal_by_number(v.id, &n[1])
            .await
            .unwrap()
            .status,
        "deferred"
    );
    let revisions = app.store.plan_revisions(v.id, 2027).await.unwrap();
    let states: Vec<(i64, bool)> = revisions
        .iter()
        .map(|r| (r.revision, r.superseded_by.is_some()))
        .collect();
    assert_eq!(states, [(0, true), (1, true), (2, false)]);
    app.get(&format!("{P}?revisi=1"))
        .await
        .contains("Perubahan 1 · RKP Desa 2027")
        .contains(id_text("plan.superseded"));
}
