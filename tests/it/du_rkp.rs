//! The DU-RKP: an item that is the kabupaten's goes up in the plan's own list, agreed in
//! the Musrenbangdes; the kecamatan overseeing the village answers it, and the answer comes
//! back to the proposal, where its proposer reads it.

use axum::http::StatusCode;
use musdes::domain::account::Role;

use crate::common::{Backend, TestApp, id_text};
use crate::plans::{P, score, scored, set_plan};
use rstest::rstest;
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn the_du_rkp_goes_up_and_the_kecamatans_answer_comes_back_to_the_proposal(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, n, _) = scored(&mut app).await;
    let road = n[1].clone();
    let du = format!("{P}/du-rkp");
    // A kegiatan that is not the village's: its authority, and no village source.
    score(&mut app, &road, "4", &[("authority", "kecamatan")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.choose_from_list"));
    score(
        &mut app,
        &road,
        "4",
        &[("authority", "kabupaten"), ("source", ""), ("pattern", "")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    let json: serde_json::Value =
        serde_json::from_str(&app.get(&format!("/api/v1{P}")).await.body).unwrap();
    let lists: Vec<(&str, &str)> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["number"].as_str().unwrap(), i["list"].as_str().unwrap()))
        .collect();
    // The road leaves the pagu to the others: the 10 million now fits beside the 60.
    assert_eq!(
        lists,
        [
            (n[0].as_str(), "rkp"),
            (road.as_str(), "du_rkp"),
            (n[2].as_str(), "rkp")
        ]
    );
    assert_eq!(
        (
            json["funded"].as_i64(),
            json["rpjm"].as_i64(),
            json["du_rkp"].as_i64()
        ),
        (Some(70_000_000), Some(0), Some(50_000_000))
    );
    assert_eq!(json["items"][1]["authority"], "kabupaten");
    app.get(P)
        .await
        .contains(id_text("authority.kabupaten"))
        .contains("Buka DU-RKP");

    // Anyone reads the draft DU-RKP; it cannot be answered yet.
    app.logout().await;
    app.get(&du)
        .await
        .assert(StatusCode::OK)
        .contains("Jalan usaha tani &#60;Sawah Lor&#62;")
        .contains("belum disepakati Musrenbangdes")
        .contains(id_text("authority.kabupaten"))
        .lacks("Beri jawaban");
    let camat = app
        .login_as("camat@lebak.go.id", Role::Kecamatan, Some(&v))
        .await;
    let _ = camat;
    app.post(
        &format!("{du}/{road}/jawaban"),
        &[
            ("answer", "accommodated"),
            ("reason", "Masuk Renja Dinas PUPR 2027"),
        ],
    )
    .await
    .assert(StatusCode::CONFLICT)
    .contains("belum disepakati Musrenbangdes");
    app.logout().await;

    // The Musrenbangdes agrees the draft and its DU-RKP; the Perdes sets the plan.
    app.login_as("kades@desa.id", Role::Official, Some(&v))
        .await;
    set_plan(&mut app).await;
    let p = app.store.proposal_by_number(v.id, &road).await.unwrap();
    assert_eq!(p.status, "du_rkp");
    app.get(&format!("/desa/sukamaju/usulan/{road}"))
        .await
        .contains(id_text("status.du_rkp"))
        .contains("DU-RKP 2027: kewenangan kabupaten/kota");
    // The official of the village does not answer for the kecamatan.
    app.post(
        &format!("{du}/{road}/jawaban"),
        &[("answer", "accommodated"), ("reason", "Sudah pasti")],
    )
    .await
    .assert(StatusCode::FORBIDDEN);
    app.logout().await;

    // Another kecamatan's account is refused, and nothing is stored.
    let other = app.village("mekarsari").await;
    app.login_as("camat@mekarsari.go.id", Role::Kecamatan, Some(&other))
        .await;
    app.post(
        &format!("{du}/{road}/jawaban"),
        &[("answer", "accommodated"), ("reason", "Bukan wilayah kami")],
    )
    .await
    .assert(StatusCode::FORBIDDEN);
    app.get("/kecamatan")
        .await
        .assert(StatusCode::OK)
        .lacks("Desa sukamaju");
    app.logout().await;
    assert!(
        app.store
            .du_rkp_answers(app.store.plan(v.id, 2027).await.unwrap().id)
            .await
            .unwrap()
            .is_empty()
    );

    // The village's own kecamatan sees it waiting, and answers.
    app.login("camat@lebak.go.id", crate::common::PASSWORD)
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get("/kecamatan")
        .await
        .assert(StatusCode::OK)
        .contains("Desa sukamaju")
        .contains("DU-RKP 2027</a>: 1 dari 1 belum dijawab");
    app.get(&du)
        .await
        .contains(id_text("du_rkp.give_answer"))
        .contains(id_text("du_rkp.waiting"));
    // Bad answers: a choice outside the list, no reason; what was typed stays.
    app.post(
        &format!("{du}/{road}/jawaban"),
        &[("answer", "mungkin"), ("reason", "Dibahas <nanti>")],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.choose_from_list"))
    .contains("Dibahas &#60;nanti&#62;");
    app.post(
        &format!("{du}/{road}/jawaban"),
        &[("answer", "accommodated"), ("reason", " ")],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains("Tulis alasannya");
    // Only items of the DU-RKP are answered: the irrigation is the village's own.
    app.post(
        &format!("{du}/{}/jawaban", n[0]),
        &[("answer", "accommodated"), ("reason", "Bukan DU-RKP")],
    )
    .await
    .assert(StatusCode::NOT_FOUND);
    app.post(
        "/desa/sukamaju/rkp/2031/du-rkp/2026-001/jawaban",
        &[("answer", "accommodated"), ("reason", "Tahun lain")],
    )
    .await
    .assert(StatusCode::NOT_FOUND);
    let plan_id = app.store.plan(v.id, 2027).await.unwrap().id;
    assert!(app.store.du_rkp_answers(plan_id).await.unwrap().is_empty());
    let answered = "<a href=\"/desa/sukamaju/rkp/2027/du-rkp\">";
    app.get("/desa/sukamaju/kalender/2027")
        .await
        .lacks(answered);
    app.post(
        &format!("{du}/{road}/jawaban"),
        &[
            ("answer", "accommodated"),
            ("reason", "Masuk Renja Dinas PUPR Kabupaten Lebak 2027"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    // Every item answered: the planning calendar's last stage is done.
    app.get("/desa/sukamaju/kalender/2027")
        .await
        .contains(answered);
    app.get(&du)
        .await
        .contains(id_text("du_rkp_answer.accommodated"))
        .contains("Masuk Renja Dinas PUPR Kabupaten Lebak 2027")
        .contains(id_text("du_rkp.change_answer"));
    app.get("/kecamatan")
        .await
        .contains(id_text("kecamatan.nothing_waiting"));
    // The musrenbang kecamatan changes its mind: the later answer stands, both are on the timeline.
    app.post(
        &format!("{du}/{road}/jawaban"),
        &[
            ("answer", "not_accommodated"),
            ("reason", "Anggaran dinas tahun 2027 tidak cukup"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    let answers = app.store.du_rkp_answers(plan_id).await.unwrap();
    assert_eq!(answers.len(), 1);
    assert_eq!(
        (answers[0].answer.as_str(), answers[0].kecamatan.as_str()),
        ("not_accommodated", "Kec sukamaju")
    );
    app.logout().await;

    // The resident who proposed it reads the answer on the proposal, and in the open data.
    app.login("warga@desa.id", crate::common::PASSWORD)
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get(&format!("/desa/sukamaju/usulan/{road}"))
        .await
        .contains("Jawaban kecamatan atas DU-RKP (Diakomodasi)")
        .contains("Jawaban kecamatan atas DU-RKP (Tidak diakomodasi)")
        .contains("Anggaran dinas tahun 2027 tidak cukup · Kecamatan Kec sukamaju · DU-RKP 2027");
    let api: serde_json::Value = serde_json::from_str(
        &app.get(&format!("/api/v1/desa/sukamaju/usulan/{road}"))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(api["status"], "du_rkp");
    let answers: Vec<(&str, &str)> = api["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "du_rkp_answer")
        .map(|e| (e["from"].as_str().unwrap(), e["to"].as_str().unwrap()))
        .collect();
    assert_eq!(
        answers,
        [
            ("du_rkp", "accommodated"),
            ("accommodated", "not_accommodated")
        ]
    );
    // A resident cannot answer.
    app.post(
        &format!("{du}/{road}/jawaban"),
        &[("answer", "accommodated"), ("reason", "Saya setuju")],
    )
    .await
    .assert(StatusCode::FORBIDDEN);
    app.get("/kecamatan").await.assert(StatusCode::FORBIDDEN);

    // The DU-RKP in its own format, with the answer.
    let csv = app.get(&format!("{du}.csv")).await;
    csv.assert(StatusCode::OK);
    assert!(
        csv.header("content-disposition")
            .contains("du-rkp-sukamaju-2027.csv")
    );
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.body.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(
        rows[0][..8],
        [
            "No",
            "Bidang/Jenis Kegiatan",
            "Lokasi",
            "Volume",
            "Sasaran/Manfaat",
            "Waktu Pelaksanaan",
            "Perkiraan Biaya (Rp)",
            "Kewenangan"
        ]
    );
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (
            rows[1][1].as_str(),
            rows[1][6].as_str(),
            rows[1][7].as_str(),
            rows[1][8].as_str(),
            rows[1][9].as_str()
        ),
        (
            "02 Pelaksanaan Pembangunan Desa / Jalan usaha tani <Sawah Lor>",
            "50000000",
            "kewenangan kabupaten/kota",
            road.as_str(),
            "Tidak diakomodasi"
        )
    );
    let semi = app.get(&format!("{du}.csv?pemisah=titikkoma")).await;
    assert!(semi.raw.starts_with("\u{feff}".as_bytes()));

    // The kabupaten (the installation's admin) sees every village, by kecamatan.
    app.logout().await;
    app.login_as("admin@desa.id", Role::Admin, None).await;
    app.get("/kecamatan")
        .await
        .assert(StatusCode::OK)
        .contains("Desa sukamaju")
        .contains("Desa mekarsari")
        .contains("<option value=\"Kec mekarsari\">");
    app.get("/kecamatan?kecamatan=kec+MEKARSARI")
        .await
        .contains("Desa mekarsari")
        .lacks("Desa sukamaju");
    // A village without a kecamatan is listed, and offers no empty option.
    let form = musdes::domain::village::VillageForm {
        name: "Desa Tanpa Kecamatan".into(),
        slug: "tanpa".into(),
        ..Default::default()
    };
    app.store
        .create_village(&form.validate().unwrap(), None)
        .await
        .unwrap();
    app.get("/kecamatan")
        .await
        .contains("Desa Tanpa Kecamatan")
        .lacks("<option value=\"\"></option>")
        .lacks("<option value=\"\" selected");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn what_the_pagu_cannot_fund_goes_back_to_the_rpjm_and_may_come_again(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, n, _) = scored(&mut app).await;
    set_plan(&mut app).await;
    // 60 fits the pagu of 100; 50 does not, and the 10 after it follows it back.
    for number in [&n[1], &n[2]] {
        assert_eq!(
            app.store
                .proposal_by_number(v.id, number)
                .await
                .unwrap()
                .status,
            "deferred"
        );
    }
    assert_eq!(
        app.store
            .proposal_by_number(v.id, &n[0])
            .await
            .unwrap()
            .status,
        "accepted"
    );
    app.get(&format!("{P}/du-rkp"))
        .await
        .contains(id_text("du_rkp.empty"));
    // Deferred, it can be taken up again and planned in a later year.
    let p = app.store.proposal_by_number(v.id, &n[1]).await.unwrap();
    app.post(
        &format!("/desa/sukamaju/usulan/{}/status", n[1]),
        &[("status", "in_review"), ("version", &p.version.to_string())],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    let m = app
        .post(
            "/desa/sukamaju/musyawarah",
            &[
                ("kind", "musdes"),
                ("title", "Musdes usulan susulan"),
                ("scheduled_at", "2026-10-01T09:00"),
                ("place", "Balai Desa"),
                ("invited_count", "1"),
            ],
        )
        .await
        .location()
        .to_string();
    crate::meetings::attend(&mut app, &m, "Pak Darto", "L", None).await;
    app.post(&format!("{m}/agenda"), &[("proposal", &n[1])])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(
        &format!("{m}/keputusan"),
        &[
            ("proposal", &n[1]),
            ("decision", "accepted"),
            ("method", "mufakat"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.post(&format!("{m}/status"), &[("status", "held")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(&format!("{m}/final"), &[])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post("/desa/sukamaju/rkp", &[("year", "2028")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get("/desa/sukamaju/rkp/2028")
        .await
        .contains("Jalan usaha tani")
        // What the 2027 plan holds stays out.
        .lacks("Irigasi sawah blok timur");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_draft_that_breaks_the_years_dana_desa_rules_is_listed_and_not_put_to_the_musrenbangdes(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, n, _) = scored(&mut app).await;
    // No rules recorded for 2027 yet: nothing to break.
    app.get(P).await.contains(id_text("dana_desa.no_rules"));
    // Only the admin keeps the rules; bad rules are refused with what was typed kept.
    app.post(
        "/admin/dana-desa",
        &[
            ("year", "2027"),
            ("focus", "blt"),
            ("bound", "max"),
            ("percent", "15"),
            ("source", "Permendesa"),
        ],
    )
    .await
    .assert(StatusCode::FORBIDDEN);
    app.logout().await;
    app.login_as("admin@desa.id", Role::Admin, None).await;
    app.get("/admin/dana-desa")
        .await
        .assert(StatusCode::OK)
        .contains("Permendesa PDT 2/2024 pasal 7");
    app.post(
        "/admin/dana-desa",
        &[
            ("year", "27"),
            ("focus", "jalan"),
            ("bound", "max"),
            ("percent", "150"),
            ("source", "Permendesa 2/2024"),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("dana_desa.error.percent"))
    .contains("value=\"Permendesa 2/2024\"");
    for (focus, bound, percent) in [("ketahanan_pangan", "min", "20"), ("blt", "max", "15")] {
        app.post(
            "/admin/dana-desa",
            &[
                ("year", "2027"),
                ("focus", focus),
                ("bound", bound),
                ("percent", percent),
                ("source", "Aturan tahun 2027 (contoh)"),
            ],
        )
        .await
        .assert(StatusCode::SEE_OTHER);
    }
    app.logout().await;
    app.login("kades@desa.id", crate::common::PASSWORD)
        .await
        .assert(StatusCode::SEE_OTHER);
    // The 60 million irrigation is food security (60% of the 100 million pagu); the
    // 10 million posyandu, marked as BLT, is within 15%. Met.
    score(&mut app, &n[2], "3", &[("focus", "blt")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get(P)
        .await
        .contains("Aturan penggunaan Dana Desa 2027")
        .lacks("Dilanggar");
    // Marked as BLT too, the irrigation breaks the BLT maximum and leaves food security short.
    score(&mut app, &n[0], "5", &[("focus", "blt")])
        .await
        .assert(StatusCode::SEE_OTHER);
    let page = app.get(P).await;
    page.contains(id_text("dana_desa.breached"))
        .contains("boleh paling banyak Rp 15.000.000")
        .contains("perlu paling sedikit Rp 20.000.000")
        .contains(&format!("/usulan/{}\">{}</a>", n[0], n[0]));
    let m = app
        .post(
            "/desa/sukamaju/musyawarah",
            &[
                ("kind", "musrenbangdes"),
                ("title", "Musrenbangdes RKP Desa 2027"),
                ("scheduled_at", "2026-09-15T09:00"),
                ("place", "Balai Desa"),
                ("invited_count", "2"),
            ],
        )
        .await
        .location()
        .to_string();
    let id = m.rsplit('/').next().unwrap().to_string();
    app.post(&format!("{P}/musrenbangdes"), &[("meeting", &id)])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("plan.error.dana_desa"));
    assert!(!app.store.plan(v.id, 2027).await.unwrap().is_tabled());
    // Put right, the draft goes before the Musrenbangdes.
    score(&mut app, &n[0], "5", &[("focus", "ketahanan_pangan")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(&format!("{P}/musrenbangdes"), &[("meeting", &id)])
        .await
        .assert(StatusCode::SEE_OTHER);
    // A Dana Desa item needs its focus.
    app.post(&format!("{P}/musrenbangdes/batal"), &[])
        .await
        .assert(StatusCode::SEE_OTHER);
    score(&mut app, &n[0], "5", &[("focus", "")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get(P).await.contains(id_text("plan.missing.focus"));
    app.post(&format!("{P}/musrenbangdes"), &[("meeting", &id)])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_plan_item_counts_men_women_and_poor_households_and_names_its_kasi(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (_, n, _) = scored(&mut app).await;
    score(
        &mut app,
        &n[0],
        "5",
        &[
            ("men", "banyak"),
            ("women", "-3"),
            ("pelaksana", "kepala_desa"),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains("value=\"banyak\"")
    .contains(id_text("error.choose_from_list"));
    score(
        &mut app,
        &n[0],
        "5",
        &[
            ("beneficiaries", "120 KK Dusun II"),
            ("men", "190"),
            ("women", "198"),
            ("poor", "23"),
            ("pelaksana", "kasi_kesejahteraan"),
            ("tpk", "1"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get(P)
        .await
        .contains("120 KK Dusun II; L 190, P 198, RTM 23")
        .contains("Kasi Kesejahteraan dengan TPK");
    let csv = app.get(&format!("{P}.csv")).await.body;
    assert!(
        csv.contains("120 KK Dusun II; L 190, P 198, RTM 23"),
        "{csv}"
    );
    assert!(csv.contains(",Kasi Kesejahteraan dengan TPK,"), "{csv}");
    // The form shows what was saved.
    app.get(&format!("{P}/usulan/{}", n[0]))
        .await
        .contains("name=\"men\" type=\"text\" value=\"190\"")
        .contains("name=\"poor\" type=\"text\" value=\"23\"")
        .contains("name=\"tpk\" value=\"1\" checked");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_cost_split_over_sources_adds_up_and_is_funded_when_each_has_room(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (_, n, _) = scored(&mut app).await;
    let version = app.get(&format!("{P}/pagu")).await.field("version");
    app.post(
        &format!("{P}/pagu"),
        &[
            ("version", &version),
            ("pagu_dd", "100.000.000"),
            ("pagu_add", "30.000.000"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    let road = &n[1];
    // Shares that do not leave the main source a part, the same source twice, no amount.
    score(
        &mut app,
        road,
        "4",
        &[("share_source_1", "add"), ("share_amount_1", "50.000.000")],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("plan.error.shares_exceed"))
    .contains("value=\"50.000.000\"");
    score(
        &mut app,
        road,
        "4",
        &[
            ("share_source_1", "dd"),
            ("share_amount_1", "5.000.000"),
            ("share_source_2", "add"),
            ("share_amount_2", "nol"),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("plan.error.share_same_source"))
    .contains(id_text("plan.error.share_amount"));
    // 50 million: 30 from Dana Desa, 20 from ADD. With the irrigation's 60, Dana Desa
    // spends 90 of 100; the 10 million after it still fits.
    score(
        &mut app,
        road,
        "4",
        &[("share_source_1", "add"), ("share_amount_1", "20.000.000")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    let json: serde_json::Value =
        serde_json::from_str(&app.get(&format!("/api/v1{P}")).await.body).unwrap();
    let lists: Vec<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["list"].as_str().unwrap())
        .collect();
    assert_eq!(lists, ["rkp", "rkp", "rkp"]);
    let funded = |s: &str| {
        json["ceilings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["source"] == s)
            .unwrap()["funded"]
            .as_i64()
    };
    assert_eq!(
        (funded("dd"), funded("add")),
        (Some(100_000_000), Some(20_000_000))
    );
    app.get(P)
        .await
        .contains("Dana Desa (DD) Rp 30.000.000")
        .contains("Alokasi Dana Desa (ADD) Rp 20.000.000");
    let csv = app.get(&format!("{P}.csv")).await.body;
    assert!(
        csv.contains("Dana Desa (DD) 30000000; Alokasi Dana Desa (ADD) 20000000"),
        "{csv}"
    );
}
