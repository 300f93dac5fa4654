//! Equity over the years: per dusun and per vulnerable group, from submission to funding
//! (rupiah per person of the dusun) to completion, and the dusun a set plan left out.

use axum::http::StatusCode;

use crate::common::{Backend, TestApp, id_text};
use crate::plans::{scored, set_plan};
use rstest::rstest;

const E: &str = "/desa/sukamaju/pemerataan";

/// The village form with `hamlets`, as its official sends it.
async fn hamlets(app: &mut TestApp, hamlets: &str) -> crate::common::Reply {
    let version = app.get("/admin/desa/sukamaju").await.field("version");
    app.post(
        "/admin/desa/sukamaju",
        &[
            ("name", "Desa sukamaju"),
            ("slug", "sukamaju"),
            ("kecamatan", "Kec sukamaju"),
            ("kabupaten", "Lebak"),
            ("population", "3.000"),
            ("hamlets", hamlets),
            ("timezone", "Asia/Jakarta"),
            ("version", &version),
        ],
    )
    .await
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn each_dusun_shows_what_it_asked_got_and_finished_per_person(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, _, _) = scored(&mut app).await;
    set_plan(&mut app).await;
    // Bad input: a population that is not a number, hamlets holding more people than
    // the village; the reason in Indonesian, what was typed kept, nothing stored.
    for (bad, reason) in [
        (
            "Dusun I = banyak, Dusun II",
            "Jumlah penduduk dusun ditulis sesudah tanda =",
        ),
        (
            "Dusun I = 2.000, Dusun II = 1.500",
            "melebihi jumlah penduduk desa",
        ),
    ] {
        hamlets(&mut app, bad)
            .await
            .assert(StatusCode::UNPROCESSABLE_ENTITY)
            .contains(reason)
            .contains(bad);
    }
    assert_eq!(
        app.store
            .village_by_slug("sukamaju")
            .await
            .unwrap()
            .hamlet_populations,
        [None, None]
    );
    // Before the populations are known: no rupiah per person, and a hint to record them.
    app.get(E)
        .await
        .assert(StatusCode::OK)
        .contains("belum dicatat");
    hamlets(&mut app, "Dusun I = 1.800, Dusun II = 1.200")
        .await
        .assert(StatusCode::SEE_OTHER);
    assert_eq!(
        app.store
            .village_by_slug(&v.slug)
            .await
            .unwrap()
            .hamlet_populations,
        [Some(1800), Some(1200)]
    );
    app.get("/admin/desa/sukamaju")
        .await
        .contains("Dusun I = 1.800, Dusun II = 1.200");

    // The 2027 RKP Desa funds the irrigation of Dusun I (Rp 60 million); the posyandu of
    // Dusun II went back to the RPJM Desa: Dusun II is named as left out.
    let page = app.get(E).await;
    page.assert(StatusCode::OK)
        .lacks("belum dicatat")
        .contains(id_text("equity.left_out"))
        .contains("<strong>Dusun II</strong>")
        .lacks("<strong>Dusun I</strong>");
    let row = |name: &str| -> String {
        let at = page
            .body
            .find(&format!("<th scope=\"row\">{name}</th>"))
            .unwrap_or_else(|| panic!("{name} row"));
        page.body[at..at + page.body[at..].find("</tr>").unwrap()].to_string()
    };
    let dusun_i = row("Dusun I");
    for want in ["1.800", "Rp 60.000.000", "Rp 33.333", "2027"] {
        assert!(dusun_i.contains(want), "{want} in {dusun_i}");
    }
    let dusun_ii = row("Dusun II");
    assert!(
        dusun_ii.contains("Rp 0") && dusun_ii.contains("1.200"),
        "{dusun_ii}"
    );
    // The road was proposed for the whole village.
    assert!(row("Seluruh desa (tanpa dusun)").contains("Rp 0"));
    // The statistics page leads there.
    app.get("/desa/sukamaju/statistik")
        .await
        .contains("href=\"/desa/sukamaju/pemerataan\"");
}
