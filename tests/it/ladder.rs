use axum::http::StatusCode;
use musdes::domain::account::Role;
use musdes::domain::group::GroupForm;
use musdes::domain::proposal::Level;
use musdes::store::villages::Village;
use uuid::Uuid;

use crate::common::{Backend, PASSWORD, TestApp, id_text, levels_counted};
use crate::meetings::{attend, meeting};
use rstest::rstest;

struct World {
    v: Village,
    tani: Uuid,
    pkk: Uuid,
    lpm: Uuid,
    government: Uuid,
    path: String,
    number: String,
}

/// A village with four groups and one proposal by a resident; nobody logged in.
async fn world(app: &mut TestApp) -> World {
    let v = app.village("sukamaju").await;
    let mut ids = Vec::new();
    for (name, kind) in [
        ("Kelompok Tani Makmur", "tani"),
        ("PKK Sukamaju", "perempuan"),
        ("LPM Sukamaju", "lpm"),
        ("Pemerintah Desa Sukamaju", "pemerintah_desa"),
    ] {
        let form = GroupForm {
            name: name.into(),
            kind: kind.into(),
            ..GroupForm::default()
        };
        ids.push(
            app.store
                .create_group(v.id, &form.validate(2026).unwrap(), None)
                .await
                .unwrap(),
        );
    }
    app.login_as("pengusul@desa.id", Role::Resident, Some(&v))
        .await;
    let r = app
        .post(
            "/desa/sukamaju/usulan",
            &[
                ("title", "Embung desa untuk musim kemarau"),
                ("problem", "Sawah kering tiga bulan setiap tahun"),
                ("bidang", "02"),
            ],
        )
        .await;
    r.assert(StatusCode::SEE_OTHER);
    let path = r.location().to_string();
    app.logout().await;
    World {
        number: path.rsplit('/').next().unwrap().to_string(),
        v,
        tani: ids[0],
        pkk: ids[1],
        lpm: ids[2],
        government: ids[3],
        path,
    }
}

/// The list of unmet conditions a refused move shows.
fn unmet(r: &crate::common::Reply) -> &str {
    let start = r
        .body
        .find("id=\"belum-terpenuhi\"")
        .expect("a list of unmet conditions");
    let rest = &r.body[start..];
    &rest[..rest.find("</div>").unwrap()]
}

async fn level_of(app: &TestApp, w: &World) -> i64 {
    app.store
        .proposal_by_number(w.v.id, &w.number)
        .await
        .unwrap()
        .level
        .rank()
}

async fn climb(app: &mut TestApp, w: &World, level: &str) -> crate::common::Reply {
    app.post(
        &format!("{}/tingkat", w.path),
        &[("level", level), ("note", "")],
    )
    .await
}

/// Three feedback entries from two residents, one of them a concern.
async fn feedback(app: &mut TestApp, w: &World) {
    for (email, kind, body) in [
        ("a@desa.id", "comment", "Setuju, sawah kami kering"),
        ("a@desa.id", "concern", "Siapa yang menjaga embung?"),
        ("b@desa.id", "support", ""),
    ] {
        if app.login(email, PASSWORD).await.status != StatusCode::SEE_OTHER {
            app.login_as(email, Role::Resident, Some(&w.v)).await;
        }
        app.post(
            &format!("{}/tanggapan", w.path),
            &[("kind", kind), ("body", body)],
        )
        .await
        .assert(StatusCode::SEE_OTHER);
        app.logout().await;
    }
}

async fn answer_concerns(app: &mut TestApp, w: &World) {
    let p = app
        .store
        .proposal_by_number(w.v.id, &w.number)
        .await
        .unwrap();
    for e in app
        .store
        .feedback_for(p.id)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.kind == "concern")
    {
        app.post(
            &format!("{}/jawaban", w.path),
            &[
                ("feedback", &e.id.to_string()),
                ("body", "Kelompok tani menjaganya bergiliran"),
            ],
        )
        .await
        .assert(StatusCode::SEE_OTHER);
    }
}

/// A finalized Musdes that accepted the proposal, with quorum and women present.
/// The accepted proposal in next year's plan, agreed in a Musrenbangdes and set by Perdes,
/// as the logged-in official.
async fn set_in_plan(app: &mut TestApp, w: &World) {
    app.post("/desa/sukamaju/rkp", &[("year", "2027")])
        .await
        .assert(StatusCode::SEE_OTHER);
    let plan = app.store.plan(w.v.id, 2027).await.unwrap();
    let official = app.store.user_by_email("kades@desa.id").await.unwrap().id;
    app.store
        .update_ceilings(
            w.v.id,
            plan.id,
            &[("dd".into(), 100_000_000)],
            plan.version,
            official,
        )
        .await
        .unwrap();
    let p = app
        .store
        .proposal_by_number(w.v.id, &w.number)
        .await
        .unwrap();
    let plan = app.store.plan(w.v.id, 2027).await.unwrap();
    let input = musdes::domain::plan::ItemInput {
        scores: plan.plan.criteria.iter().map(|c| (c.id, Some(3))).collect(),
        cost: Some(20_000_000),
        source: Some("dd".into()),
        pattern: Some("swakelola".into()),
        authority: None,
        focus: Some("ketahanan_pangan".into()),
        people: (None, None, None),
        pelaksana: None,
        tpk: false,
        rab: None,
        kegiatan: None,
        shares: Vec::new(),
        volume: Some("400 m".into()),
        beneficiaries: Some("60 KK".into()),
        months: Some((6, 8)),
    };
    app.store
        .save_item(w.v.id, plan.id, p.id, &input, 0, official)
        .await
        .unwrap();
    crate::plans::set_plan(app).await;
}

async fn accepting_musdes(app: &mut TestApp, w: &World) {
    let m = meeting(app, "musdes").await;
    for g in [w.tani, w.pkk] {
        app.post(&format!("{m}/undangan"), &[("group", &g.to_string())])
            .await
            .assert(StatusCode::SEE_OTHER);
    }
    attend(app, &m, "Pak Darto", "L", Some(w.tani)).await;
    attend(app, &m, "Bu Siti", "P", Some(w.pkk)).await;
    attend(app, &m, "Bu Wati", "P", None).await;
    app.post(&format!("{m}/agenda"), &[("proposal", &w.number)])
        .await
        .assert(StatusCode::SEE_OTHER);
    let p = app
        .store
        .proposal_by_number(w.v.id, &w.number)
        .await
        .unwrap();
    let alternatives = app.store.alternatives(p.id).await.unwrap();
    let decide = [
        ("proposal", w.number.as_str()),
        ("decision", "accepted"),
        ("method", "mufakat"),
    ];
    let mut chosen = None;
    if let Some(first) = alternatives.first() {
        // A proposal with alternatives is accepted with the one chosen, and why.
        let before = app.store.row_counts().await.unwrap();
        app.post(&format!("{m}/keputusan"), &decide)
            .await
            .assert(StatusCode::UNPROCESSABLE_ENTITY)
            .contains(id_text("error.alternative_required"));
        let stranger = Uuid::new_v4().to_string();
        let mut other = decide.to_vec();
        other.push(("alternative", &stranger));
        other.push(("alternative_reason", "Petani sanggup merawatnya sendiri"));
        app.post(&format!("{m}/keputusan"), &other)
            .await
            .assert(StatusCode::UNPROCESSABLE_ENTITY)
            .contains(id_text("error.choose_from_list"))
            .contains("Petani sanggup merawatnya sendiri");
        assert_eq!(app.store.row_counts().await.unwrap(), before);
        chosen = Some(first.title.clone());
        let id = first.id.to_string();
        let mut with_choice = decide.to_vec();
        with_choice.push(("alternative", &id));
        with_choice.push(("alternative_reason", "Petani sanggup merawatnya sendiri"));
        app.post(&format!("{m}/keputusan"), &with_choice)
            .await
            .assert(StatusCode::SEE_OTHER);
    } else {
        app.post(&format!("{m}/keputusan"), &decide)
            .await
            .assert(StatusCode::SEE_OTHER);
    }
    app.post(&format!("{m}/status"), &[("status", "held")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(&format!("{m}/final"), &[])
        .await
        .assert(StatusCode::SEE_OTHER);
    // The sealed berita acara says which alternative was chosen and why.
    if let Some(title) = chosen {
        app.get(&format!("{m}/berita-acara"))
            .await
            .contains(&format!("Alternatif yang dipilih: {title}"))
            .contains("karena Petani sanggup merawatnya sendiri");
    }
}

/// An alternative for the proposal, worked out with `group`.
async fn alternative(app: &mut TestApp, w: &World, group: Uuid, title: &str) {
    app.post(
        &format!("{}/alternatif", w.path),
        &[
            ("group", &group.to_string()),
            ("title", title),
            ("cost", "Rp 85 juta"),
            (
                "trade_offs",
                "Lebih awet, tetapi butuh tukang dari luar desa",
            ),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_proposal_climbs_from_inform_to_empower_only_on_recorded_evidence(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let w = world(&mut app).await;
    feedback(&mut app, &w).await;
    app.login_as("kades@desa.id", Role::Official, Some(&w.v))
        .await;
    // Consult: three entries from two people.
    climb(&mut app, &w, "consult")
        .await
        .assert(StatusCode::SEE_OTHER);
    assert_eq!(level_of(&app, &w).await, 2);
    // Involve: not yet — no meeting with groups, and a concern waits for its answer.
    let r = climb(&mut app, &w, "involve").await;
    r.assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("ladder.cannot_move"));
    let missing = unmet(&r);
    assert!(
        missing.contains("dihadiri paling sedikit 2 kelompok")
            && missing.contains("(1 belum dijawab)"),
        "{missing}"
    );
    assert!(
        !missing.contains("Warga sudah didengar"),
        "consult holds: {missing}"
    );
    let m = meeting(&mut app, "musdus").await;
    attend(&mut app, &m, "Pak Darto", "L", Some(w.tani)).await;
    attend(&mut app, &m, "Bu Siti", "P", Some(w.pkk)).await;
    app.post(&format!("{m}/agenda"), &[("proposal", &w.number)])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(&format!("{m}/status"), &[("status", "held")])
        .await
        .assert(StatusCode::SEE_OTHER);
    climb(&mut app, &w, "involve")
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains("(1 belum dijawab)");
    answer_concerns(&mut app, &w).await;
    climb(&mut app, &w, "involve")
        .await
        .assert(StatusCode::SEE_OTHER);
    // Collaborate: the village government's own commitment does not count.
    app.post(
        &format!("{}/kemitraan", w.path),
        &[
            ("group", &w.government.to_string()),
            ("contribution", "funds"),
            ("amount", "5.000.000"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    climb(&mut app, &w, "collaborate")
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("ladder.cond.partnership"));
    app.post(
        &format!("{}/kemitraan", w.path),
        &[
            ("group", &w.tani.to_string()),
            ("contribution", "labour"),
            ("note", "Gotong royong menggali 10 hari"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    // A partner alone is not deciding together: collaborate also needs an alternative
    // worked out with a group outside the village government (the corrected rule).
    let refused = climb(&mut app, &w, "collaborate").await;
    refused.assert(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unmet(&refused).contains(id_text("ladder.cond.alternative")));
    assert!(!unmet(&refused).contains(id_text("ladder.cond.partnership")));
    assert!(refused.body.contains("#alternatif"));
    // Bad input: a group of no one, no name, a cost in words nobody reads, no
    // trade-offs: each beside its field, what was typed kept, nothing stored.
    let before = app.store.row_counts().await.unwrap();
    app.post(
        &format!("{}/alternatif", w.path),
        &[
            ("group", &Uuid::new_v4().to_string()),
            ("title", "Aa"),
            ("cost", "mahal sekali"),
            ("trade_offs", ""),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.group_of_village"))
    .contains(id_text("error.alternative_title"))
    .contains(id_text("error.cost"))
    .contains(id_text("error.trade_offs"))
    .contains("value=\"mahal sekali\"");
    assert_eq!(app.store.row_counts().await.unwrap(), before);
    // Worked out with the village government only: still not collaborating.
    alternative(&mut app, &w, w.government, "Saluran beton oleh kontraktor").await;
    climb(&mut app, &w, "collaborate")
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("ladder.cond.alternative"));
    alternative(&mut app, &w, w.tani, "Saluran pasangan batu kali").await;
    climb(&mut app, &w, "collaborate")
        .await
        .assert(StatusCode::SEE_OTHER);
    // Everyone sees the alternatives with their cost and trade-offs.
    app.get(&w.path)
        .await
        .contains("Saluran pasangan batu kali")
        .contains("Rp 85.000.000")
        .contains("Lebih awet, tetapi butuh tukang dari luar desa");
    // Empower: names each missing piece.
    climb(&mut app, &w, "empower")
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(
            "Diterima dalam Musyawarah Desa atau Musrenbangdes yang berita acaranya sudah final.",
        )
        .contains(id_text("ladder.cond.musdes_quorum"))
        .contains("paling sedikit 30%")
        .contains(id_text("ladder.cond.implementer"));
    accepting_musdes(&mut app, &w).await;
    let r = climb(&mut app, &w, "empower").await;
    r.assert(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unmet(&r).contains(id_text("ladder.cond.implementer")));
    assert!(
        !unmet(&r).contains("kuorum"),
        "the Musdes met its quorum: {}",
        unmet(&r)
    );
    app.post(
        &format!("{}/pelaksana", w.path),
        &[("group", &w.lpm.to_string())],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    // Accepted is not yet decided for good: the RKP Desa set by Perdes must hold it.
    let r = climb(&mut app, &w, "empower").await;
    r.assert(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unmet(&r).contains(id_text("ladder.cond.in_set_plan")),
        "{}",
        unmet(&r)
    );
    set_in_plan(&mut app, &w).await;
    climb(&mut app, &w, "empower")
        .await
        .assert(StatusCode::SEE_OTHER);
    assert_eq!(level_of(&app, &w).await, 5);
    // The public sees the ladder, the partners and who carries it out; open data has the history.
    app.logout().await;
    app.get(&w.path)
        .await
        .contains("aria-current=\"step\"")
        .contains("Kelompok Tani Makmur")
        .contains(id_text("contribution.labour"))
        .contains("LPM Sukamaju")
        .lacks("Pindahkan tingkat");
    let r = app.get(&format!("/api/v1{}", w.path)).await;
    let json: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(json["level"], "empower");
    let history = json["level_history"].as_array().unwrap();
    let steps: Vec<(&str, &str)> = history
        .iter()
        .map(|e| (e["from"].as_str().unwrap(), e["to"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        [
            ("inform", "consult"),
            ("consult", "involve"),
            ("involve", "collaborate"),
            ("collaborate", "empower")
        ]
    );
    let last = &history[3]["evidence"];
    assert_eq!(
        last.as_array().unwrap().len(),
        11,
        "every condition up to empower, as it held"
    );
    assert!(last.as_array().unwrap().iter().all(|c| c["met"] == true));
    let page = app.get("/desa/sukamaju").await;
    page.contains(id_text("portal.ladder_title"))
        .contains("<td>5. Memberdayakan</td><td>1</td>");
    assert_eq!(levels_counted(&app, w.v.id).await[4], 1);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn every_shortcut_and_bad_input_is_refused_and_changes_nothing(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let w = world(&mut app).await;
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&w.v))
        .await;
    climb(&mut app, &w, "tertinggi")
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.choose_from_list"));
    climb(&mut app, &w, "inform")
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.same_level"));
    let r = climb(&mut app, &w, "empower").await;
    r.assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(
            "Diterima dalam Musyawarah Desa atau Musrenbangdes yang berita acaranya sudah final.",
        )
        .contains("Warga sudah didengar")
        .contains(id_text("ladder.cond.implementer"));
    // Partnerships: a group of another village, a negative amount, an unknown contribution.
    let other = app.village("mekarsari").await;
    let stranger = app
        .store
        .create_group(
            other.id,
            &GroupForm {
                name: "Tani Mekarsari".into(),
                kind: "tani".into(),
                ..GroupForm::default()
            }
            .validate(2026)
            .unwrap(),
            None,
        )
        .await
        .unwrap();
    app.post(
        &format!("{}/kemitraan", w.path),
        &[("group", &stranger.to_string()), ("contribution", "labour")],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.group_of_village"));
    app.post(
        &format!("{}/kemitraan", w.path),
        &[
            ("group", &w.tani.to_string()),
            ("contribution", "funds"),
            ("amount", "-500000"),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains("value=\"-500000\"");
    app.post(
        &format!("{}/kemitraan", w.path),
        &[("group", &w.tani.to_string()), ("contribution", "doa")],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY);
    app.post(
        &format!("{}/pelaksana", w.path),
        &[("group", &stranger.to_string())],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY);
    app.post(
        &format!("{}/kanal", w.path),
        &[("channel", "radio bintang")],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY);
    let p = app
        .store
        .proposal_by_number(w.v.id, &w.number)
        .await
        .unwrap();
    assert!(app.store.partnerships(p.id).await.unwrap().is_empty());
    assert_eq!((p.level.rank(), p.implementer_group_id), (1, None));
    // Channels are recorded on the timeline.
    app.post(
        &format!("{}/kanal", w.path),
        &[
            ("channel", "papan_pengumuman"),
            ("note", "Papan balai desa"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get(&w.path)
        .await
        .contains(id_text("event.announced"))
        .contains(id_text("info_channel.papan_pengumuman"));
    // Down needs a note.
    feedback(&mut app, &w).await;
    app.login("pendamping@desa.id", PASSWORD).await;
    climb(&mut app, &w, "consult")
        .await
        .assert(StatusCode::SEE_OTHER);
    climb(&mut app, &w, "inform")
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.reason_required"));
    assert_eq!(level_of(&app, &w).await, 2);
    app.post(
        &format!("{}/tingkat", w.path),
        &[
            ("level", "inform"),
            ("note", "Tanggapan ternyata dari satu keluarga"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    assert_eq!(level_of(&app, &w).await, 1);
    // Only staff of this village move levels.
    app.logout().await;
    app.login_as("warga@desa.id", Role::Resident, Some(&w.v))
        .await;
    climb(&mut app, &w, "consult")
        .await
        .assert(StatusCode::FORBIDDEN);
    app.logout().await;
    app.login_as("pendamping@mekarsari.id", Role::Facilitator, Some(&other))
        .await;
    climb(&mut app, &w, "consult")
        .await
        .assert(StatusCode::FORBIDDEN);
    app.post(
        &format!("{}/kemitraan", w.path),
        &[("group", &w.tani.to_string()), ("contribution", "labour")],
    )
    .await
    .assert(StatusCode::FORBIDDEN);
    assert_eq!(level_of(&app, &w).await, 1);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn two_moves_at_once_give_one_move_and_one_conflict(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let w = world(&mut app).await;
    let p = app
        .store
        .proposal_by_number(w.v.id, &w.number)
        .await
        .unwrap();
    let evidence = serde_json::json!([]);
    let (a, b) = tokio::join!(
        app.store.move_level(
            w.v.id,
            p.id,
            Level::Inform,
            Level::Consult,
            None,
            &evidence,
            None
        ),
        app.store.move_level(
            w.v.id,
            p.id,
            Level::Inform,
            Level::Involve,
            None,
            &evidence,
            None
        ),
    );
    let ok = [&a, &b].iter().filter(|r| r.is_ok()).count();
    assert_eq!(ok, 1, "{a:?} {b:?}");
    assert!(matches!(
        a.err().or(b.err()),
        Some(musdes::store::StoreError::Stale)
    ));
    let events = app.store.proposal_events(p.id).await.unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| e.kind.code().starts_with("level"))
            .count(),
        1
    );
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn thresholds_are_the_villages_own_within_bounds_and_logged(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let w = world(&mut app).await;
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&w.v))
        .await;
    app.get("/desa/sukamaju/pengaturan")
        .await
        .assert(StatusCode::FORBIDDEN);
    app.logout().await;
    app.login_as("kades@desa.id", Role::Official, Some(&w.v))
        .await;
    let page = app.get("/desa/sukamaju/pengaturan").await;
    page.assert(StatusCode::OK)
        .contains("value=\"3\"")
        .contains("value=\"30\"");
    let version = w.v.version.to_string();
    let form = |f: &'static str, v: &'static str, g: &'static str, p: &'static str| {
        vec![
            ("consult_feedback", f),
            ("consult_voices", v),
            ("involve_groups", g),
            ("women_minimum_percent", p),
        ]
    };
    let mut bad = form("0", "1", "2", "101");
    bad.push(("version", &version));
    app.post("/desa/sukamaju/pengaturan", &bad)
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.threshold_bound"))
        .contains(id_text("error.percent"))
        .contains("value=\"101\"");
    assert_eq!(
        app.store
            .village_by_slug("sukamaju")
            .await
            .unwrap()
            .thresholds(),
        w.v.thresholds()
    );
    let mut good = form("1", "1", "2", "40");
    good.push(("version", &version));
    good.push(("auto_empower", "on"));
    app.post("/desa/sukamaju/pengaturan", &good)
        .await
        .assert(StatusCode::SEE_OTHER);
    let t = app
        .store
        .village_by_slug("sukamaju")
        .await
        .unwrap()
        .thresholds();
    assert_eq!(
        (
            t.consult_feedback,
            t.consult_voices,
            t.women_minimum_percent,
            t.auto_empower
        ),
        (1, 1, 40, true)
    );
    let audit = app
        .store
        .audit_for("village", &w.v.id.to_string())
        .await
        .unwrap();
    assert_eq!(audit[0].action, "thresholds");
    // A stale form does not overwrite.
    app.post("/desa/sukamaju/pengaturan", &good)
        .await
        .assert(StatusCode::CONFLICT);
    // One comment now suffices for consult in this village.
    app.post(
        &format!("{}/tanggapan", w.path),
        &[("kind", "comment"), ("body", "Perlu segera")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    climb(&mut app, &w, "consult")
        .await
        .assert(StatusCode::SEE_OTHER);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn with_the_village_setting_on_a_finalized_musdes_lifts_a_ready_proposal_to_empower(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let w = world(&mut app).await;
    feedback(&mut app, &w).await;
    app.login_as("kades@desa.id", Role::Official, Some(&w.v))
        .await;
    answer_concerns(&mut app, &w).await;
    app.post(
        &format!("{}/kemitraan", w.path),
        &[
            ("group", &w.pkk.to_string()),
            ("contribution", "co_ownership"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    alternative(&mut app, &w, w.pkk, "Embung tanah dengan terpal").await;
    app.post(
        &format!("{}/pelaksana", w.path),
        &[("group", &w.lpm.to_string())],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    let version = w.v.version.to_string();
    app.post(
        "/desa/sukamaju/pengaturan",
        &[
            ("consult_feedback", "3"),
            ("consult_voices", "2"),
            ("involve_groups", "2"),
            ("women_minimum_percent", "30"),
            ("auto_empower", "on"),
            ("version", &version),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    // The Musdes itself is the meeting where two groups took part; the climb comes when
    // the RKP Desa holding it is set by Perdes.
    accepting_musdes(&mut app, &w).await;
    assert_eq!(level_of(&app, &w).await, 1);
    set_in_plan(&mut app, &w).await;
    assert_eq!(level_of(&app, &w).await, 5);
    let p = app
        .store
        .proposal_by_number(w.v.id, &w.number)
        .await
        .unwrap();
    let events = app.store.proposal_events(p.id).await.unwrap();
    let auto = events
        .iter()
        .find(|e| e.kind.code() == "level_auto")
        .expect("a system event");
    assert_eq!(
        (auto.from_value.as_deref(), auto.to_value.as_deref()),
        (Some("inform"), Some("empower"))
    );
    assert_eq!(auto.actor_name.as_deref(), Some("musdes"));
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn with_the_setting_off_nothing_climbs_by_itself(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let w = world(&mut app).await;
    app.login_as("kades@desa.id", Role::Official, Some(&w.v))
        .await;
    app.post(
        &format!("{}/pelaksana", w.path),
        &[("group", &w.lpm.to_string())],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    accepting_musdes(&mut app, &w).await;
    assert_eq!(level_of(&app, &w).await, 1);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn a_pledge_is_marked_kept_or_not_with_why_and_counted(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    let w = world(&mut app).await;
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&w.v))
        .await;
    for (group, contribution) in [(w.tani, "labour"), (w.pkk, "materials")] {
        app.post(
            &format!("{}/kemitraan", w.path),
            &[
                ("group", &group.to_string()),
                ("contribution", contribution),
            ],
        )
        .await
        .assert(StatusCode::SEE_OTHER);
    }
    let p = app
        .store
        .proposal_by_number(w.v.id, &w.number)
        .await
        .unwrap();
    let pledges = app.store.partnerships(p.id).await.unwrap();
    let tani = pledges.iter().find(|pp| pp.group_id == w.tani).unwrap().id;
    let mark = format!("{}/kemitraan/{tani}/realisasi", w.path);
    app.get(&w.path)
        .await
        .contains(id_text("ladder.pledge_open"))
        .contains(&mark);
    // Not kept in full without saying why, or an outcome not on the list: 422, nothing kept.
    app.post(&mark, &[("delivery", "partly"), ("note", "")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.pledge_note"))
        .contains("value=\"partly\" checked");
    app.post(&mark, &[("delivery", "insyaallah")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.choose_from_list"));
    app.post(
        &format!("{}/kemitraan/{}/realisasi", w.path, Uuid::new_v4()),
        &[("delivery", "delivered")],
    )
    .await
    .assert(StatusCode::NOT_FOUND);
    assert!(
        app.store
            .partnerships(p.id)
            .await
            .unwrap()
            .iter()
            .all(|pp| pp.delivery.0.is_none())
    );
    // Partly first, then the rest: the latest outcome stands.
    app.post(
        &mark,
        &[
            ("delivery", "partly"),
            ("note", "Baru 10 dari 20 hari kerja, sisanya setelah panen"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get(&w.path)
        .await
        .contains(id_text("delivery.partly"))
        .contains("Baru 10 dari 20 hari kerja, sisanya setelah panen");
    app.post(&mark, &[("delivery", "delivered")])
        .await
        .assert(StatusCode::SEE_OTHER);
    // Two pledges, one kept in full, one not recorded yet: 100 % of those recorded.
    let tally = app.store.pledge_tally(w.v.id).await.unwrap();
    assert_eq!(
        (
            tally.pledged,
            tally.delivered,
            tally.open(),
            tally.kept_percent()
        ),
        (2, 1, 1, Some(100))
    );
    app.get(&format!("/desa/sukamaju/kelompok/{}", w.tani))
        .await
        .contains(id_text("group.pledges"))
        .contains(&w.number)
        .contains(id_text("delivery.delivered"));
    let stats = app.get("/desa/sukamaju/statistik").await;
    stats
        .contains(id_text("stats.pledges"))
        .contains(id_text("stats.pledges_kept"));
    assert!(
        stats.body.contains("100%"),
        "kept share on the metrics page"
    );
    // The contract's names: `delivered` with `yes`, `partly`, `no`.
    let pkk = pledges.iter().find(|pp| pp.group_id == w.pkk).unwrap().id;
    let mark_pkk = format!("{}/kemitraan/{pkk}/realisasi", w.path);
    app.post(&mark_pkk, &[("delivered", "no")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.pledge_note"));
    app.post(
        &mark_pkk,
        &[("delivered", "no"), ("note", "Semen tidak jadi dibeli")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    let json = crate::meetings::json(&mut app, "/api/v1/desa/sukamaju").await;
    let kept = &json["metrics"]["pledges_kept"];
    assert_eq!(
        (
            kept["pledged"].as_i64(),
            kept["delivered"].as_i64(),
            kept["not_delivered"].as_i64(),
            kept["percent"].as_i64()
        ),
        (Some(2), Some(1), Some(1), Some(50)),
        "{json}"
    );
    for key in [
        "meeting_satisfaction",
        "concerns_acted_on",
        "voices_by_group",
        "voices_by_dusun",
    ] {
        assert!(json["metrics"].get(key).is_some(), "{key} in {json}");
    }
    // Someone outside the village's staff cannot mark a pledge.
    app.logout().await;
    app.login_as("pengusul@desa.id", Role::Resident, Some(&w.v))
        .await;
    let refused = app
        .post(&mark, &[("delivery", "not_delivered"), ("note", "x")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let kept = app.store.partnerships(p.id).await.unwrap();
    assert_eq!(
        kept.iter().find(|pp| pp.id == tani).unwrap().delivery.0,
        Some(musdes::domain::ladder::Delivery::Delivered)
    );
}
