//! Standing items of bidang 01: entered once, carried into every year's plan, paid from
//! their source's pagu before any proposal.

use axum::http::StatusCode;

use crate::common::{Backend, TestApp, id_text};
use crate::plans::{P, scored, set_plan};
use rstest::rstest;

const T: &str = "/desa/sukamaju/rkp/tetap";

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap()
}

async fn ceilings(app: &mut TestApp, dd: &str, add: &str) {
    let version = app.get(&format!("{P}/pagu")).await.field("version");
    app.post(
        &format!("{P}/pagu"),
        &[("version", &version), ("pagu_dd", dd), ("pagu_add", add)],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn standing_items_are_carried_into_each_years_plan_and_paid_first(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, n, _) = scored(&mut app).await;
    // Bad input: a sub-bidang outside bidang 01, no cost, a Dana Desa item without its
    // focus, a last year before the first; what was typed stays, nothing is stored.
    app.post(
        T,
        &[
            ("sub_bidang", "02.01"),
            ("kegiatan", "Siltap <kades>"),
            ("cost", "0"),
            ("source", "dd"),
            ("from_year", "2027"),
            ("to_year", "2026"),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.choose_from_list"))
    .contains(id_text("standing.error.cost"))
    .contains(id_text("standing.error.to_year"))
    .contains("Siltap &#60;kades&#62;");
    assert!(app.store.standing_items(v.id).await.unwrap().is_empty());

    // A kegiatan code of another sub-bidang, or not in the list: refused, nothing stored.
    for (code, reason) in [
        ("02.03.10", "bukan bagian dari sub bidang"),
        ("01.01.08", "tidak ada dalam daftar"),
    ] {
        app.post(
            T,
            &[
                ("sub_bidang", "01.01"),
                ("code", code),
                ("kegiatan", "Siltap kepala desa"),
                ("cost", "1.000.000"),
                ("source", "add"),
                ("from_year", "2026"),
            ],
        )
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(reason)
        .contains("Siltap kepala desa");
    }
    assert!(app.store.standing_items(v.id).await.unwrap().is_empty());
    for (kegiatan, cost, source, focus, code) in [
        (
            "Penghasilan tetap dan tunjangan kepala desa",
            "36.000.000",
            "add",
            "",
            "01.01.01",
        ),
        (
            "Operasional pemerintah desa",
            "5.000.000",
            "dd",
            "operasional",
            "",
        ),
    ] {
        app.post(
            T,
            &[
                ("sub_bidang", "01.01"),
                ("code", code),
                ("kegiatan", kegiatan),
                ("volume", "12 bulan"),
                ("cost", cost),
                ("source", source),
                ("focus", focus),
                ("pelaksana", "kaur_keuangan"),
                ("from_year", "2026"),
            ],
        )
        .await
        .assert(StatusCode::SEE_OTHER);
    }
    app.get(T)
        .await
        .assert(StatusCode::OK)
        .contains("Penghasilan tetap dan tunjangan kepala desa")
        .contains("36.000.000")
        .contains("2026–");

    // No ADD pagu yet: the standing items alone exceed it, and the draft cannot be tabled.
    app.get(P)
        .await
        .contains(id_text("plan.error.standing_over_pagu"));
    app.post(&format!("{P}/musrenbangdes"), &[("meeting", "")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("plan.error.standing_over_pagu"));

    // With the ADD: the siltap is paid from it, the DD item from the Dana Desa before the
    // proposals, so the 50 million no longer fits after the 60.
    ceilings(&mut app, "100.000.000", "40.000.000").await;
    let api = json(&app.get(&format!("/api/v1{P}")).await.body);
    assert_eq!(api["funded"].as_i64(), Some(101_000_000));
    let lists: Vec<&str> = api["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["list"].as_str().unwrap())
        .collect();
    assert_eq!(lists, ["rkp", "rpjm", "rpjm"]);
    let page = app.get(P).await;
    // Numbered by its kegiatan code where it has one, else by its sub-bidang.
    page.contains(id_text("plan.standing_row"))
        .contains("01.01.01 Penghasilan tetap dan tunjangan kepala desa");
    let csv = app.get(&format!("{P}.csv")).await;
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.body.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(
        (
            rows[1][1].as_str(),
            rows[1][6].as_str(),
            rows[1][10].as_str(),
            rows[1][11].as_str()
        ),
        (
            "01 Penyelenggaraan Pemerintahan Desa / 01.01 Operasional pemerintah desa",
            "5000000",
            "kegiatan tetap",
            "RKP Desa"
        )
    );
    assert_eq!(rows[3][10], n[0]);

    // Set: the plan keeps what it carried; a later change reaches the next year's draft.
    set_plan(&mut app).await;
    let items = app.store.standing_items(v.id).await.unwrap();
    let siltap = items.iter().find(|s| s.item.source == "add").unwrap();
    let edit = format!("{T}/{}", siltap.item.id);
    let form = app.get(&edit).await;
    form.assert(StatusCode::OK);
    let version = form.field("version");
    let change = |cost: &'static str, to: &'static str, version: String| {
        vec![
            ("version", version),
            ("sub_bidang", "01.01".to_string()),
            (
                "kegiatan",
                "Penghasilan tetap dan tunjangan kepala desa".to_string(),
            ),
            ("cost", cost.to_string()),
            ("source", "add".to_string()),
            ("from_year", "2026".to_string()),
            ("to_year", to.to_string()),
        ]
    };
    let fields = change("42.000.000", "", version.clone());
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post(&edit, &refs).await.assert(StatusCode::SEE_OTHER);
    // The same form sent again is stale.
    app.post(&edit, &refs)
        .await
        .assert(StatusCode::CONFLICT)
        .contains("42.000.000");
    assert_eq!(
        json(&app.get(&format!("/api/v1{P}")).await.body)["funded"].as_i64(),
        Some(101_000_000)
    );
    app.post("/desa/sukamaju/rkp", &[("year", "2028")])
        .await
        .assert(StatusCode::SEE_OTHER);
    let next = app.get("/desa/sukamaju/rkp/2028").await;
    next.contains("42.000.000")
        .contains(id_text("focus.operasional"));

    // The DD item ends in 2027: the 2028 draft no longer carries it; then it is removed.
    let ops = items.iter().find(|s| s.item.source == "dd").unwrap();
    let ops_edit = format!("{T}/{}", ops.item.id);
    let version = app.get(&ops_edit).await.field("version");
    app.post(
        &ops_edit,
        &[
            ("version", version.as_str()),
            ("sub_bidang", "01.01"),
            ("kegiatan", "Operasional pemerintah desa"),
            ("cost", "5.000.000"),
            ("source", "dd"),
            ("focus", "operasional"),
            ("from_year", "2026"),
            ("to_year", "2027"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get("/desa/sukamaju/rkp/2028")
        .await
        .lacks("Operasional pemerintah desa");
    app.get(T).await.contains("2026–2027");
    app.post(&format!("{ops_edit}/hapus"), &[])
        .await
        .assert(StatusCode::SEE_OTHER);
    assert_eq!(app.store.standing_items(v.id).await.unwrap().len(), 1);
    app.post(&format!("{ops_edit}/hapus"), &[])
        .await
        .assert(StatusCode::NOT_FOUND);
    // The set plan still shows it, as frozen.
    app.get(P).await.contains(id_text("focus.operasional"));
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn the_pagu_indikatif_form_shows_what_the_standing_items_leave_and_the_programmes_coming_in(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, _, _) = scored(&mut app).await;
    app.post(
        T,
        &[
            ("sub_bidang", "01.01"),
            ("kegiatan", "Penghasilan tetap kepala desa"),
            ("cost", "36.000.000"),
            ("source", "add"),
            ("from_year", "2026"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    ceilings(&mut app, "100.000.000", "40.000.000").await;
    let doc = format!("{P}/pagu-indikatif");
    let page = app.get(&doc).await;
    page.assert(StatusCode::OK).contains("PAGU INDIKATIF DESA DESA SUKAMAJU<br>TAHUN ANGGARAN 2027")
            // ADD: the siltap takes 36 of the 40 million; 4 are left and unspent.
            .contains("<th scope=\"row\">Alokasi Dana Desa (ADD)</th><td>Rp 40.000.000</td><td>Rp 36.000.000</td><td>Rp 4.000.000</td><td>Rp 0</td><td>Rp 4.000.000</td>")
            // DD: the 60 million proposal is funded, 40 remain.
            .contains("<th scope=\"row\">Dana Desa (DD)</th><td>Rp 100.000.000</td><td>Rp 0</td><td>Rp 100.000.000</td><td>Rp 60.000.000</td><td>Rp 40.000.000</td>")
            .contains(id_text("programme.none"));
    // Bad input: no name, a giver that is the village itself, an amount in words; kept.
    app.post(
        &format!("{P}/program"),
        &[
            ("name", ""),
            ("giver", "desa"),
            ("agency", "Dinas <PUPR>"),
            ("amount", "seratus juta"),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("programme.error.name"))
    .contains(id_text("error.choose_from_list"))
    .contains("Dinas &#60;PUPR&#62;");
    let plan = app.store.plan(v.id, 2027).await.unwrap();
    assert!(app.store.programmes(plan.id).await.unwrap().is_empty());
    app.post(
        &format!("{P}/program"),
        &[
            ("name", "Rehabilitasi rumah tidak layak huni"),
            ("giver", "provinsi"),
            ("agency", "Dinas Perkim Provinsi"),
            ("location", "Dusun II"),
            ("amount", "150.000.000"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get(&doc)
        .await
        .contains("Rehabilitasi rumah tidak layak huni")
        .contains("Dinas Perkim Provinsi")
        .contains("Rp 150.000.000");
    let id = app.store.programmes(plan.id).await.unwrap()[0].id;
    app.post(&format!("{P}/program/{id}/hapus"), &[])
        .await
        .assert(StatusCode::SEE_OTHER);
    assert!(app.store.programmes(plan.id).await.unwrap().is_empty());
    app.post(
        &format!("{P}/program"),
        &[
            ("name", "Jalan kabupaten ruas Sukamaju"),
            ("giver", "kabupaten"),
            ("agency", "Dinas PUPR"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    // Once the plan is set, its programmes stay as they were.
    set_plan(&mut app).await;
    app.post(
        &format!("{P}/program"),
        &[
            ("name", "Program lain"),
            ("giver", "pusat"),
            ("agency", "Kementerian"),
        ],
    )
    .await
    .assert(StatusCode::CONFLICT);
    app.logout().await;
    app.get(&doc)
        .await
        .assert(StatusCode::OK)
        .contains("Jalan kabupaten ruas Sukamaju")
        .lacks("Catat program yang masuk desa");
}
