use axum::http::StatusCode;
use musdes::domain::account::Role;
use musdes::domain::group::GroupForm;
use musdes::store::villages::Village;

use crate::common::{Backend, TestApp, id_text};
use crate::meetings::{attend, meeting};
use crate::seals::{V, raw};
use rstest::rstest;

pub(crate) const P: &str = "/desa/sukamaju/rkp/2027";

/// Three accepted proposals (Rp 60, 50 and 10 million) decided in a finalized Musdes,
/// with the official logged in. Returns the village, the numbers and the Musdes' id.
pub(crate) async fn accepted(app: &mut TestApp) -> (Village, Vec<String>, String) {
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
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    let mut numbers = Vec::new();
    for (title, cost, dusun) in [
        ("Irigasi sawah blok timur", "60.000.000", "Dusun I"),
        ("Jalan usaha tani <Sawah Lor>", "50.000.000", ""),
        ("Posyandu balita dusun II", "10.000.000", "Dusun II"),
    ] {
        let r = app
            .post(
                "/desa/sukamaju/usulan",
                &[
                    ("title", title),
                    ("problem", "Kebutuhan warga yang mendesak"),
                    ("bidang", "02"),
                    ("estimated_cost", cost),
                    ("dusun", dusun),
                    ("confirmed", "1"),
                ],
            )
            .await;
        r.assert(StatusCode::SEE_OTHER);
        numbers.push(r.location().rsplit('/').next().unwrap().to_string());
    }
    app.logout().await;
    app.login_as("kades@desa.id", Role::Official, Some(&v))
        .await;
    let m = meeting(app, "musdes").await;
    app.post(&format!("{m}/undangan"), &[("group", &tani.to_string())])
        .await
        .assert(StatusCode::SEE_OTHER);
    attend(app, &m, "Pak Darto", "L", Some(tani)).await;
    attend(app, &m, "Bu Siti", "P", None).await;
    for n in &numbers {
        app.post(&format!("{m}/agenda"), &[("proposal", n)])
            .await
            .assert(StatusCode::SEE_OTHER);
        app.post(
            &format!("{m}/keputusan"),
            &[
                ("proposal", n),
                ("decision", "accepted"),
                ("method", "mufakat"),
            ],
        )
        .await
        .assert(StatusCode::SEE_OTHER);
    }
    app.post(&format!("{m}/status"), &[("status", "held")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(&format!("{m}/final"), &[])
        .await
        .assert(StatusCode::SEE_OTHER);
    (v, numbers, m.rsplit('/').next().unwrap().to_string())
}

/// Sends one proposal's plan form with every criterion scored `score`.
pub(crate) async fn score(
    app: &mut TestApp,
    number: &str,
    score: &str,
    extra: &[(&str, &str)],
) -> crate::common::Reply {
    let path = format!("{P}/usulan/{number}");
    let page = app.get(&path).await;
    page.assert(StatusCode::OK);
    let version = page.field("version");
    let ids: Vec<String> = (0..5)
        .map(|i| page.field(&format!("criterion_{i}")))
        .collect();
    let mut fields: Vec<(String, String)> = vec![("version".into(), version)];
    for (i, id) in ids.iter().enumerate() {
        fields.push((format!("criterion_{i}"), id.clone()));
        fields.push((format!("score_{i}"), score.into()));
    }
    for (k, v) in [
        ("source", "dd"),
        ("focus", "ketahanan_pangan"),
        ("pattern", "swakelola"),
        ("start_month", "7"),
        ("end_month", "9"),
    ] {
        if !extra.iter().any(|(e, _)| *e == k) {
            fields.push((k.into(), v.into()));
        }
    }
    fields.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post(&path, &refs).await
}

pub(crate) async fn set_ceiling(app: &mut TestApp, dd: &str) -> crate::common::Reply {
    let version = app.get(&format!("{P}/pagu")).await.field("version");
    app.post(
        &format!("{P}/pagu"),
        &[("version", &version), ("pagu_dd", dd)],
    )
    .await
}

/// A scored draft: pagu Rp 100 million of Dana Desa; the 60 million proposal scores 5,
/// the 50 million 4, the 10 million 3.
pub(crate) async fn scored(app: &mut TestApp) -> (Village, Vec<String>, String) {
    let (v, numbers, musdes) = accepted(app).await;
    app.post("/desa/sukamaju/rkp", &[("year", "2027")])
        .await
        .assert(StatusCode::SEE_OTHER);
    set_ceiling(app, "100.000.000")
        .await
        .assert(StatusCode::SEE_OTHER);
    for (n, s) in numbers.iter().zip(["5", "4", "3"]) {
        score(
            app,
            n,
            s,
            &[("volume", "250 m"), ("beneficiaries", "120 KK")],
        )
        .await
        .assert(StatusCode::SEE_OTHER);
    }
    (v, numbers, musdes)
}

/// Puts the scored draft before a Musrenbangdes (created here, held with its quorum),
/// finalizes that meeting so it agrees the draft, then records the Peraturan Desa that sets
/// it, as the logged-in official. Returns the Musrenbangdes' page.
pub(crate) async fn set_plan(app: &mut TestApp) -> String {
    let m = app
        .post(
            "/desa/sukamaju/musyawarah",
            &[
                ("kind", "musrenbangdes"),
                ("title", "Musrenbangdes RKP Desa 2027"),
                ("scheduled_at", "2026-09-15T09:00"),
                ("place", "Balai Desa"),
                ("chair", "Kepala Desa"),
                ("invited_count", "2"),
            ],
        )
        .await;
    m.assert(StatusCode::SEE_OTHER);
    let m = m.location().to_string();
    let id = m.rsplit('/').next().unwrap().to_string();
    app.post(&format!("{P}/musrenbangdes"), &[("meeting", &id)])
        .await
        .assert(StatusCode::SEE_OTHER);
    attend(app, &m, "Pak Darto", "L", None).await;
    attend(app, &m, "Bu Siti", "P", None).await;
    app.post(&format!("{m}/status"), &[("status", "held")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(&format!("{m}/final"), &[])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(
        &format!("{P}/perdes"),
        &[("number", "4 Tahun 2026"), ("date", "2026-09-30")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    m
}

fn csv_rows(body: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// LibreOffice's command, when installed (required in CI).
fn soffice() -> Option<&'static str> {
    let soffice = ["soffice", "libreoffice"].into_iter().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok()
    });
    if soffice.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "LibreOffice is required in CI"
        );
        eprintln!("note: LibreOffice not installed; the spreadsheet read-back is skipped");
    }
    soffice
}

/// A CSV file as LibreOffice Calc opens it, saved as a flat OpenDocument spreadsheet
/// (XML, where a formula cell carries `table:formula`).
fn csv_through_libreoffice(csv: &[u8]) -> Option<String> {
    let soffice = soffice()?;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rkp.csv");
    std::fs::write(&file, csv).unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        dir.path().display()
    );
    let out = std::process::Command::new(soffice)
        .args([&profile, "--headless", "--convert-to", "fods", "--outdir"])
        .arg(dir.path())
        .arg(&file)
        .output()
        .unwrap();
    Some(
        std::fs::read_to_string(dir.path().join("rkp.fods")).unwrap_or_else(|_| {
            panic!(
                "LibreOffice wrote nothing: {}",
                String::from_utf8_lossy(&out.stderr)
            )
        }),
    )
}

/// LibreOffice's reading of the spreadsheet's first sheet, as CSV rows (raw values).
/// Converts `bytes` (a file named `name`) with LibreOffice into `target` (a filter string),
/// reading it with `infilter` when given; the converted file's bytes, or `None` without
/// LibreOffice.
fn libreoffice(bytes: &[u8], name: &str, target: &str, infilter: Option<&str>) -> Option<Vec<u8>> {
    let soffice = soffice()?;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let file = input.join(name);
    std::fs::write(&file, bytes).unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        dir.path().display()
    );
    let mut command = std::process::Command::new(soffice);
    command.args([&profile, "--headless"]);
    if let Some(f) = infilter {
        command.arg(format!("--infilter={f}"));
    }
    let out = command
        .args(["--convert-to", target, "--outdir"])
        .arg(dir.path())
        .arg(&file)
        .output()
        .unwrap();
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let ext = target.split(':').next().unwrap();
    let converted = dir.path().join(format!("{stem}.{ext}"));
    Some(std::fs::read(&converted).unwrap_or_else(|_| {
        panic!(
            "LibreOffice wrote nothing: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    }))
}

/// The spreadsheet's first sheet as LibreOffice reads it, as CSV rows.
fn through_libreoffice(xlsx: &[u8]) -> Option<Vec<Vec<String>>> {
    let csv = libreoffice(
        xlsx,
        "rkp.xlsx",
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false",
        None,
    )?;
    Some(csv_rows(&String::from_utf8(csv).unwrap()))
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn the_csv_holds_no_formula_whatever_was_typed(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (_, n, _) = accepted(&mut app).await;
    app.post("/desa/sukamaju/rkp", &[("year", "2027")])
        .await
        .assert(StatusCode::SEE_OTHER);
    let link = "=HYPERLINK(\"http://127.0.0.1:4299/x\",\"klik\")";
    let call = "@SUM(1+1)*cmd|' /C calc'!A0";
    score(
        &mut app,
        &n[0],
        "5",
        &[("volume", link), ("beneficiaries", call)],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    score(
        &mut app,
        &n[1],
        "4",
        &[("volume", "-2+3"), ("beneficiaries", "+62 KK")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    let csv = app.get(&format!("{P}.csv")).await;
    csv.assert(StatusCode::OK);
    let rows = csv_rows(&csv.body);
    let row = |number: &str| rows.iter().find(|r| r[10] == number).unwrap().clone();
    assert_eq!(row(&n[0])[3], format!("'{link}"));
    assert_eq!(row(&n[0])[4], format!("'{call}"));
    assert_eq!(row(&n[1])[3], "'-2+3");
    // Amounts stay plain numbers.
    assert_eq!(row(&n[0])[6], "60000000");
    if let Some(control) = csv_through_libreoffice(b"a,=1+1\n") {
        // This LibreOffice does turn a bare `=` cell into a formula: the check means something.
        assert!(
            control.contains("table:formula"),
            "control CSV read without formulas"
        );
        let sheet = csv_through_libreoffice(&csv.raw).unwrap();
        assert!(
            !sheet.contains("table:formula"),
            "a formula in the plan's CSV"
        );
        assert!(
            sheet.contains("HYPERLINK"),
            "the typed text is kept as text"
        );
    }
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_plan_ranks_funds_to_the_ceiling_and_is_adopted_by_a_finalized_musdes(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, n, musdes) = accepted(&mut app).await;
    app.get(P)
        .await
        .assert(StatusCode::OK)
        .contains(id_text("plan.not_opened"));
    app.post("/desa/sukamaju/rkp", &[("year", "2027")])
        .await
        .assert(StatusCode::SEE_OTHER);
    let draft = app.get(P).await;
    draft
        .assert(StatusCode::OK)
        .contains(id_text("plan_status.draft"))
        .contains("Bermanfaat bagi banyak orang")
        .contains(id_text("plan.missing.source"))
        // Names are text, never markup.
        .contains("Jalan usaha tani &#60;Sawah Lor&#62;")
        .lacks("<Sawah Lor>");
    set_ceiling(&mut app, "Rp 100.000.000")
        .await
        .assert(StatusCode::SEE_OTHER);
    for (number, s) in n.iter().zip(["5", "4", "3"]) {
        score(
            &mut app,
            number,
            s,
            &[("volume", "250 m"), ("beneficiaries", "120 KK Dusun II")],
        )
        .await
        .assert(StatusCode::SEE_OTHER);
    }
    let page = app.get(P).await;
    page.assert(StatusCode::OK)
            // The 60 million fits the 100 million ceiling; the 50 million does not, and the
            // 10 million after it follows it back to the RPJM Desa (not to the DU-RKP,
            // which is for what is the kabupaten's to fund).
            .contains("<th scope=\"row\">Dana Desa (DD)</th><td data-label=\"Pagu\">Rp 100.000.000</td><td data-label=\"RKP Desa\">Rp 60.000.000</td>\
                <td data-label=\"Sisa pagu\">Rp 40.000.000</td><td data-label=\"Kembali ke RPJM Desa\">Rp 60.000.000</td>")
            .contains("Juli - September").contains("120 KK Dusun II").contains("100,00").contains("80,00").contains("60,00");
    let json: serde_json::Value =
        serde_json::from_str(&app.get(&format!("/api/v1{}", &P[0..])).await.body).unwrap();
    let lists: Vec<(&str, &str)> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["number"].as_str().unwrap(), i["list"].as_str().unwrap()))
        .collect();
    assert_eq!(
        lists,
        [
            (n[0].as_str(), "rkp"),
            (n[1].as_str(), "rpjm"),
            (n[2].as_str(), "rpjm")
        ]
    );
    assert_eq!(
        (
            json["status"].as_str(),
            json["funded"].as_i64(),
            json["rpjm"].as_i64(),
            json["du_rkp"].as_i64()
        ),
        (Some("draft"), Some(60_000_000), Some(60_000_000), Some(0))
    );

    // The CSV in the RKP Desa layout.
    let csv = app.get(&format!("{P}.csv")).await;
    csv.assert(StatusCode::OK);
    assert!(csv.header("content-type").starts_with("text/csv"));
    let rows = csv_rows(&csv.body);
    assert_eq!(
        rows[0][..10],
        [
            "No",
            "Bidang/Jenis Kegiatan",
            "Lokasi",
            "Volume",
            "Sasaran/Manfaat",
            "Waktu Pelaksanaan",
            "Perkiraan Biaya dan Sumber: Jumlah (Rp)",
            "Perkiraan Biaya dan Sumber: Sumber",
            "Pola Pelaksanaan",
            "Rencana Pelaksana"
        ]
    );
    assert_eq!(
        rows[1],
        [
            "1",
            "02 Pelaksanaan Pembangunan Desa / Irigasi sawah blok timur",
            "Dusun I",
            "250 m",
            "120 KK Dusun II",
            "Juli - September",
            "60000000",
            "Dana Desa (DD)",
            "Swakelola",
            "",
            n[0].as_str(),
            "RKP Desa"
        ]
    );
    assert_eq!(
        (
            rows[2][0].as_str(),
            rows[2][6].as_str(),
            rows[2][11].as_str()
        ),
        ("1", "50000000", "Kembali ke RPJM Desa")
    );
    assert_eq!(rows.len(), 4);

    // The spreadsheet holds the same rows, as LibreOffice reads them.
    let xlsx = app.get(&format!("{P}.xlsx")).await;
    xlsx.assert(StatusCode::OK);
    assert!(
        xlsx.header("content-disposition")
            .contains("rkp-desa-sukamaju-2027.xlsx")
    );
    if let Some(sheet) = through_libreoffice(&xlsx.raw) {
        assert!(
            sheet[0][0].contains("RKP DESA) TAHUN 2027"),
            "{:?}",
            sheet[0]
        );
        let head = sheet
            .iter()
            .position(|r| r[0] == "No")
            .expect("a header row");
        assert_eq!(sheet[head][..12], rows[0][..]);
        assert_eq!(sheet[head + 1..head + 4], rows[1..]);
        let total = sheet
            .iter()
            .find(|r| r[1] == "Jumlah RKP Desa")
            .expect("a total row");
        assert_eq!(total[6], "60000000");
    }
    // Printed from LibreOffice: A4 landscape, the table one page wide.
    if let Some(pdf) = libreoffice(&xlsx.raw, "rkp.xlsx", "pdf", None) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("rkp.pdf");
        std::fs::write(&file, pdf).unwrap();
        let info = std::process::Command::new("pdfinfo")
            .arg(&file)
            .output()
            .unwrap();
        let info = String::from_utf8_lossy(&info.stdout).to_string();
        assert!(
            info.contains("841.89 x 595") && info.contains("(A4)"),
            "A4 landscape: {info}"
        );
        let text = std::process::Command::new("pdftotext")
            .args(["-f", "1", "-l", "1", "-layout"])
            .arg(&file)
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&text.stdout).to_string();
        assert!(
            text.contains(id_text("plan.col.implementer")) && text.contains("Daftar"),
            "every column on the first page: {text}"
        );
    }
    // The semicolon CSV: a BOM, then the same rows, as a spreadsheet set to Indonesian reads it.
    let semi = app.get(&format!("{P}.csv?pemisah=titikkoma")).await;
    semi.assert(StatusCode::OK);
    assert!(
        semi.header("content-disposition")
            .contains("rkp-desa-sukamaju-2027-titikkoma.csv")
    );
    assert!(
        semi.raw.starts_with("\u{feff}".as_bytes()),
        "a UTF-8 byte order mark"
    );
    let semi_rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(b';')
        .from_reader(&semi.raw[3..])
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(semi_rows, rows);
    if let Some(back) = libreoffice(
        &semi.raw,
        "rkp.csv",
        "csv:Text - txt - csv (StarCalc):44,34,76,1",
        Some("CSV:59,34,76,1"),
    ) {
        let back = csv_rows(
            String::from_utf8(back)
                .unwrap()
                .trim_start_matches('\u{feff}'),
        );
        assert_eq!(
            back, rows,
            "LibreOffice reads the semicolon file row by row as the CSV"
        );
    }

    // The draft is agreed in a Musrenbangdes (not any Musdes), then set by Perdes.
    app.post(&format!("{P}/musrenbangdes"), &[("meeting", "")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("plan.error.no_musrenbangdes"));
    app.post(&format!("{P}/musrenbangdes"), &[("meeting", &musdes)])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY);
    app.post(
        &format!("{P}/perdes"),
        &[("number", "4 Tahun 2026"), ("date", "2026-09-30")],
    )
    .await
    .assert(StatusCode::CONFLICT)
    .contains(id_text("plan.error.not_agreed"));
    assert_eq!(app.store.plan(v.id, 2027).await.unwrap().status, "draft");
    let r = app
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
        .await;
    let mr = r.location().to_string();
    let mr_id = mr.rsplit('/').next().unwrap().to_string();
    app.post(&format!("{P}/musrenbangdes"), &[("meeting", &mr_id)])
        .await
        .assert(StatusCode::SEE_OTHER);
    // Before the meeting, the draft does not change; it can be taken back.
    app.get(P)
        .await
        .contains(id_text("plan_status.tabled"))
        .lacks("Ubah pagu indikatif");
    set_ceiling(&mut app, "1")
        .await
        .assert(StatusCode::CONFLICT);
    app.post(&format!("{P}/musrenbangdes/batal"), &[])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(&format!("{P}/musrenbangdes"), &[("meeting", &mr_id)])
        .await
        .assert(StatusCode::SEE_OTHER);
    attend(&mut app, &mr, "Pak Darto", "L", None).await;
    attend(&mut app, &mr, "Bu Siti", "P", None).await;
    app.post(&format!("{mr}/status"), &[("status", "held")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(&format!("{mr}/final"), &[])
        .await
        .assert(StatusCode::SEE_OTHER);
    // The items and totals are in the meeting's sealed record.
    let (_, record) = app
        .store
        .frozen_record(crate::meetings::meeting_id(&mr))
        .await
        .unwrap();
    let agreed = record.agreed_plan.expect("the agreed draft in the record");
    assert_eq!(agreed["plan"]["items"].as_array().unwrap().len(), 3);
    app.post(&format!("{P}/musrenbangdes/batal"), &[])
        .await
        .assert(StatusCode::CONFLICT);
    app.get(P).await.contains(id_text("plan_status.agreed"));
    // The Perdes: not before the Musrenbangdes, not in the future, with the BPD's agreement.
    app.post(
        &format!("{P}/perdes"),
        &[("number", "4 Tahun 2026"), ("date", "2026-09-01")],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains("sebelum Musrenbangdes")
    .contains("value=\"4 Tahun 2026\"");
    app.post(
        &format!("{P}/perdes"),
        &[("number", ""), ("date", "2099-01-01")],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("plan.error.perdes_in_future"))
    .contains(id_text("plan.error.perdes_number"));
    assert_eq!(app.store.plan(v.id, 2027).await.unwrap().status, "draft");
    app.post(
        &format!("{P}/perdes"),
        &[("number", "4 Tahun 2026"), ("date", "2026-09-30")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get(P)
        .await
        .assert(StatusCode::OK)
        .contains("Ditetapkan dengan Peraturan Desa Nomor")
        .contains("4 Tahun 2026")
        .contains(id_text("plan.adopted_in"))
        .contains("Musrenbangdes RKP Desa 2027")
        .lacks("nilai dan rincian")
        .lacks("Ubah pagu indikatif");
    app.get(&format!("/desa/sukamaju/usulan/{}", n[0]))
        .await
        .contains("Masuk rencana tahunan (RKP Desa)")
        .contains("RKP Desa 2027 · #1");
    // What the pagu could not fund went back to the RPJM Desa when the Musrenbangdes agreed.
    app.get(&format!("/desa/sukamaju/usulan/{}", n[1]))
        .await
        .contains("Ditunda")
        .contains("Tidak tertampung pagu indikatif RKP Desa 2027; kembali ke RPJM Desa");
    assert_eq!(
        app.store
            .proposal_by_number(v.id, &n[2])
            .await
            .unwrap()
            .status,
        "deferred"
    );

    // Frozen: every change is refused, the record stays as adopted.
    let before = app.get(P).await.stable_body();
    app.post(
        &format!("{P}/pagu"),
        &[("version", "1"), ("pagu_dd", "999.000.000")],
    )
    .await
    .assert(StatusCode::CONFLICT);
    app.post(
        &format!("{P}/kriteria"),
        &[
            ("version", "1"),
            ("name_0", "Baru"),
            ("weight_0", "10"),
            ("max_0", "5"),
        ],
    )
    .await
    .assert(StatusCode::CONFLICT);
    app.post(
        &format!("{P}/usulan/{}", n[1]),
        &[("version", "1"), ("cost", "1")],
    )
    .await
    .assert(StatusCode::CONFLICT);
    app.post(
        &format!("{P}/perdes"),
        &[("number", "5"), ("date", "2026-10-01")],
    )
    .await
    .assert(StatusCode::CONFLICT);
    assert_eq!(app.get(P).await.stable_body(), before);
    let csv_after = app.get(&format!("{P}.csv")).await.body;
    assert_eq!(csv_after, csv.body);

    // A proposal in the adopted plan is decided for good: even one that an older
    // version left open on another agenda (written here straight into the database) is
    // neither put on an agenda, nor decided, nor carried by a finalization.
    let later = app
        .post(
            "/desa/sukamaju/musyawarah",
            &[
                ("kind", "musdes"),
                ("title", "Musdes berikutnya"),
                ("scheduled_at", "2026-09-20T09:00"),
                ("place", "Balai"),
                ("invited_count", "1"),
            ],
        )
        .await
        .location()
        .to_string();
    attend(&mut app, &later, "Pak Darto", "L", None).await;
    let p0 = app.store.proposal_by_number(v.id, &n[0]).await.unwrap();
    raw(
        &app,
        "UPDATE proposals SET status = 'in_review' WHERE id = $1",
        &[V::Id(p0.id)],
    )
    .await;
    app.post(&format!("{later}/agenda"), &[("proposal", &n[0])])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.in_adopted_plan"));
    let later_id = crate::meetings::meeting_id(&later);
    raw(&app, "INSERT INTO meeting_agenda (meeting_id, proposal_id, position, created_at) VALUES ($1, $2, 1, $3)",
            &[V::Id(later_id), V::Id(p0.id), V::At(chrono::Utc::now())]).await;
    app.post(
        &format!("{later}/keputusan"),
        &[
            ("proposal", &n[0]),
            ("decision", "rejected"),
            ("method", "mufakat"),
        ],
    )
    .await
    .assert(StatusCode::CONFLICT)
    .contains(id_text("error.in_adopted_plan"));
    raw(&app, "UPDATE meeting_agenda SET decision = 'rejected', method = 'mufakat' WHERE proposal_id = $1 AND meeting_id = $2",
            &[V::Id(p0.id), V::Id(later_id)]).await;
    app.post(&format!("{later}/status"), &[("status", "held")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(&format!("{later}/final"), &[])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.decided_in_adopted_plan"));
    app.post(
        &format!("{later}/agenda/hapus"),
        &[("proposal", &n[0]), ("reason", "Sudah masuk RKP Desa 2027")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.post(&format!("{later}/final"), &[])
        .await
        .assert(StatusCode::SEE_OTHER);
    assert_eq!(
        app.store
            .proposal_by_number(v.id, &n[0])
            .await
            .unwrap()
            .status,
        "in_review",
        "not rejected"
    );

    // A later year's plan no longer offers what an adopted plan holds.
    app.post("/desa/sukamaju/rkp", &[("year", "2028")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get("/desa/sukamaju/rkp/2028")
        .await
        .contains(id_text("plan.no_items"))
        // The criteria carry over from the latest earlier plan.
        .contains("Bermanfaat bagi banyak orang");
    app.get("/desa/sukamaju/rkp")
        .await
        .contains("RKP Desa 2027")
        .contains("RKP Desa 2028")
        .contains(id_text("plan_status.adopted"));
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn bad_plan_input_is_refused_with_a_message_and_changes_nothing(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, n, musdes) = scored(&mut app).await;
    let stored = app.store.plan(v.id, 2027).await.unwrap();
    // A score outside the criterion's range; what was typed stays.
    score(&mut app, &n[0], "6", &[("volume", "300 meter")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("plan.error.score"))
        .contains("value=\"300 meter\"");
    score(&mut app, &n[0], "0", &[])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY);
    score(&mut app, &n[0], "5", &[("cost", "-5")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("plan.error.amount"));
    score(
        &mut app,
        &n[0],
        "5",
        &[("start_month", "9"), ("end_month", "3")],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("plan.error.months"));
    score(&mut app, &n[0], "5", &[("source", "emas")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY);
    // Negative weight, and a maximum outside 2–10.
    let crit = app.get(&format!("{P}/kriteria")).await;
    let version = crit.field("version");
    let id0 = crit.field("id_0");
    app.post(
        &format!("{P}/kriteria"),
        &[
            ("version", &version),
            ("id_0", &id0),
            ("name_0", "Bermanfaat bagi banyak orang"),
            ("weight_0", "-10"),
            ("max_0", "5"),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("plan.error.weight"))
    .contains("value=\"-10\"");
    app.post(
        &format!("{P}/kriteria"),
        &[
            ("version", &version),
            ("id_0", &id0),
            ("name_0", "Bermanfaat"),
            ("weight_0", "10"),
            ("max_0", "11"),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("plan.error.max_score"));
    // Lowering a maximum below scores already given.
    let mut rows: Vec<(String, String)> = vec![("version".into(), version.clone())];
    for i in 0..5 {
        rows.push((format!("id_{i}"), crit.field(&format!("id_{i}"))));
        rows.push((format!("name_{i}"), crit.field(&format!("name_{i}"))));
        rows.push((format!("weight_{i}"), crit.field(&format!("weight_{i}"))));
        rows.push((
            format!("max_{i}"),
            if i == 0 { "3".into() } else { "5".into() },
        ));
    }
    let refs: Vec<(&str, &str)> = rows.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.post(&format!("{P}/kriteria"), &refs)
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("plan.error.max_below_scores"));
    // Ceilings: negative, fractional, words.
    for bad in ["-1", "1,5", "seratus juta", "99999999999999999999"] {
        set_ceiling(&mut app, bad)
            .await
            .assert(StatusCode::UNPROCESSABLE_ENTITY)
            .contains(id_text("plan.error.amount"))
            .contains(&format!("value=\"{bad}\""));
    }
    // Nothing of it was stored.
    let after = app.store.plan(v.id, 2027).await.unwrap();
    assert_eq!(after.plan, stored.plan);
    assert_eq!(after.ceilings, stored.ceilings);

    // A stale form: someone saved first.
    let page = app.get(&format!("{P}/pagu")).await;
    let old = page.field("version");
    set_ceiling(&mut app, "120.000.000")
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(&format!("{P}/pagu"), &[("version", &old), ("pagu_dd", "1")])
        .await
        .assert(StatusCode::CONFLICT)
        .contains("value=\"120.000.000\"");
    let item = app.get(&format!("{P}/usulan/{}", n[2])).await;
    score(&mut app, &n[2], "2", &[])
        .await
        .assert(StatusCode::SEE_OTHER);
    let mut stale = vec![("version".to_string(), item.field("version"))];
    for i in 0..5 {
        stale.push((
            format!("criterion_{i}"),
            item.field(&format!("criterion_{i}")),
        ));
        stale.push((format!("score_{i}"), "1".into()));
    }
    let refs: Vec<(&str, &str)> = stale
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post(&format!("{P}/usulan/{}", n[2]), &refs)
        .await
        .assert(StatusCode::CONFLICT);

    // An incomplete proposal keeps the draft from its Musrenbangdes.
    score(&mut app, &n[2], "2", &[("source", "")])
        .await
        .assert(StatusCode::SEE_OTHER);
    let r = app
        .post(
            "/desa/sukamaju/musyawarah",
            &[
                ("kind", "musrenbangdes"),
                ("title", "Musrenbangdes"),
                ("scheduled_at", "2026-09-15T09:00"),
                ("place", "Balai Desa"),
            ],
        )
        .await;
    let mr_id = r.location().rsplit('/').next().unwrap().to_string();
    app.post(&format!("{P}/musrenbangdes"), &[("meeting", &mr_id)])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("plan.error.incomplete"));
    let _ = musdes;
    assert_eq!(app.store.plan(v.id, 2027).await.unwrap().status, "draft");

    // Years that are not years; a plan never opened has no files.
    app.get("/desa/sukamaju/rkp/abc")
        .await
        .assert(StatusCode::NOT_FOUND);
    app.get("/desa/sukamaju/rkp/1999")
        .await
        .assert(StatusCode::NOT_FOUND);
    app.get("/desa/sukamaju/rkp/2030.csv")
        .await
        .assert(StatusCode::NOT_FOUND);
    app.get("/desa/sukamaju/rkp/2027.pdf")
        .await
        .assert(StatusCode::NOT_FOUND);
    app.get("/desa/tidakada/rkp/2027")
        .await
        .assert(StatusCode::NOT_FOUND);
    app.post("/desa/sukamaju/rkp", &[("year", "20x7")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("plan.error.year"))
        .contains("value=\"20x7\"");
    app.get(&format!("{P}/usulan/2020-999"))
        .await
        .assert(StatusCode::NOT_FOUND);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn only_officials_set_the_plan_and_facilitators_score_it(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, n, musdes) = scored(&mut app).await;
    app.logout().await;
    // Anyone reads the plan, its files and its open data.
    app.get(P)
        .await
        .assert(StatusCode::OK)
        .lacks("Ubah pagu indikatif")
        .lacks("Ajukan rancangan");
    app.get(&format!("{P}.csv")).await.assert(StatusCode::OK);
    app.get(&format!("/api/v1{P}")).await.assert(StatusCode::OK);
    app.get(&format!("{P}/pagu"))
        .await
        .assert(StatusCode::SEE_OTHER);
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    score(&mut app, &n[2], "5", &[])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get(&format!("{P}/pagu"))
        .await
        .assert(StatusCode::FORBIDDEN);
    app.post(&format!("{P}/pagu"), &[("version", "1"), ("pagu_dd", "1")])
        .await
        .assert(StatusCode::FORBIDDEN);
    app.post(&format!("{P}/musrenbangdes"), &[("meeting", &musdes)])
        .await
        .assert(StatusCode::FORBIDDEN);
    app.post(
        &format!("{P}/perdes"),
        &[("number", "4"), ("date", "2026-09-30")],
    )
    .await
    .assert(StatusCode::FORBIDDEN);
    app.post("/desa/sukamaju/rkp", &[("year", "2029")])
        .await
        .assert(StatusCode::FORBIDDEN);
    app.logout().await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    app.get(&format!("{P}/usulan/{}", n[1]))
        .await
        .assert(StatusCode::FORBIDDEN);
    let other = app.village("mekarsari").await;
    app.logout().await;
    app.login_as("kades@mekarsari.id", Role::Official, Some(&other))
        .await;
    app.get(&format!("{P}/pagu"))
        .await
        .assert(StatusCode::FORBIDDEN);
    app.post(&format!("{P}/musrenbangdes"), &[("meeting", &musdes)])
        .await
        .assert(StatusCode::FORBIDDEN);
    assert_eq!(app.store.plan(v.id, 2027).await.unwrap().status, "draft");
    // The facilitator's new scores moved the 10 million up beside the first (a tie goes
    // to the older number): it now ranks second and fits the ceiling.
    let json: serde_json::Value =
        serde_json::from_str(&app.get(&format!("/api/v1{P}")).await.body).unwrap();
    assert_eq!(json["items"][0]["number"], n[0].as_str());
    assert_eq!(json["items"][1]["number"], n[2].as_str());
    assert_eq!(json["items"][1]["list"], "rkp");
    assert_eq!(json["items"][2]["list"], "rpjm");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn two_settings_at_once_give_one_set_plan(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, n, _) = scored(&mut app).await;
    let r = app
        .post(
            "/desa/sukamaju/musyawarah",
            &[
                ("kind", "musrenbangdes"),
                ("title", "Musrenbangdes"),
                ("scheduled_at", "2026-09-15T09:00"),
                ("place", "Balai Desa"),
                ("invited_count", "1"),
            ],
        )
        .await;
    let mr = r.location().to_string();
    let mr_id = mr.rsplit('/').next().unwrap().to_string();
    app.post(&format!("{P}/musrenbangdes"), &[("meeting", &mr_id)])
        .await
        .assert(StatusCode::SEE_OTHER);
    attend(&mut app, &mr, "Pak Darto", "L", None).await;
    app.post(&format!("{mr}/status"), &[("status", "held")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(&format!("{mr}/final"), &[])
        .await
        .assert(StatusCode::SEE_OTHER);
    let stored = app.store.plan(v.id, 2027).await.unwrap();
    let actor = app.account("kades@desa.id", Role::Official, Some(&v)).await;
    let perdes = musdes::domain::plan::Perdes {
        number: "4 Tahun 2026".into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(),
    };
    let kades = musdes::store::Actor::new(actor, "Kades");
    let (a, b) = tokio::join!(
        app.store
            .set_plan(v.id, &v.name, stored.id, &perdes, &kades),
        app.store
            .set_plan(v.id, &v.name, stored.id, &perdes, &kades),
    );
    assert!(a.is_ok() != b.is_ok(), "exactly one setting: {a:?} {b:?}");
    assert!(matches!(
        a.err().or(b.err()),
        Some(musdes::store::StoreError::Finalized)
    ));
    let p = app.store.proposal_by_number(v.id, &n[0]).await.unwrap();
    let planned = app
        .store
        .proposal_events(p.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind.code() == "planned")
        .count();
    assert_eq!(planned, 1);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn the_tim_verifikasi_checks_each_activitys_rab(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (_, n, _) = scored(&mut app).await;
    // Nothing checked yet: the RKP Desa's activities are listed as waiting.
    app.get(P).await.contains(id_text("plan.rab_open"));
    score(&mut app, &n[0], "5", &[("rab", "mungkin")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.choose_from_list"));
    score(&mut app, &n[0], "5", &[("rab", "revise")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get(P).await.contains("RAB: Perlu diperbaiki");
    app.get(&format!("{P}/usulan/{}", n[0]))
        .await
        .contains("<option value=\"revise\" selected>");
    for (number, s) in [(&n[0], "5"), (&n[2], "3")] {
        score(&mut app, number, s, &[("rab", "verified")])
            .await
            .assert(StatusCode::SEE_OTHER);
    }
    // The RKP Desa's activity verified: the warning is gone.
    app.get(P)
        .await
        .lacks("RAB kegiatan ini belum diverifikasi")
        .contains("RAB: Sudah diverifikasi");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn each_activity_takes_a_kegiatan_code_of_the_regulation(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (_, n, _) = scored(&mut app).await;
    app.get(P).await.contains(id_text("plan.code_open"));
    // Codes not in the list: refused with the reason, what was typed kept, nothing stored.
    for bad in [
        "02.03.21",
        "02.03.89",
        "05.01.90",
        "9.9.9",
        "02.03.10; DROP TABLE plans",
    ] {
        score(
            &mut app,
            &n[0],
            "5",
            &[("kegiatan", bad), ("volume", "300 m")],
        )
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("plan.error.kegiatan_unknown"))
        .contains("value=\"300 m\"");
    }
    app.get(P).await.lacks("300 m");
    // A listed code, and a village's own activity of a sub-bidang (90–99).
    score(&mut app, &n[0], "5", &[("kegiatan", "04.02.04")])
        .await
        .assert(StatusCode::SEE_OTHER);
    score(&mut app, &n[2], "3", &[("kegiatan", "02.03.93")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get(&format!("{P}/usulan/{}", n[0])).await
            .contains("<option value=\"04.02.04\" selected>04.02.04 Pemeliharaan Saluran Irigasi Tersier/Sederhana</option>");
    // The code places the activity in the regulation's bidang: the proposal came in as
    // bidang 02, the RKP Desa lists it under 04.
    let csv = app.get(&format!("{P}.csv")).await;
    csv.assert(StatusCode::OK);
    let rows = csv_rows(&csv.body);
    let row = |number: &str| rows.iter().find(|r| r[10] == number).unwrap().clone();
    assert!(
        row(&n[0])[1].starts_with("04 Pemberdayaan Masyarakat / 04.02.04 "),
        "{:?}",
        row(&n[0])
    );
    assert!(row(&n[2])[1].contains(" / 02.03.93 "), "{:?}", row(&n[2]));
    app.get(P).await.lacks("belum diberi kode kegiatan");
}

/// The planning stages read each kind's finalized meetings eight at a time, the rest only
/// when none of the first eight opened: a Musdes that opened after nine that did not (each
/// below its quorum, postponed, rescheduled, and finalized as not held) still marks its
/// stage done, and the calendar links it.
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn a_musdes_that_opened_after_many_that_did_not_still_marks_its_stage_done(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (_, _, opened) = scored(&mut app).await;
    let done = format!("<a href=\"/desa/sukamaju/musyawarah/{opened}\">1 September 2026</a>");
    app.get("/desa/sukamaju/kalender/2027")
        .await
        .contains(&done);
    for day in 1..=9 {
        let r = app
            .post(
                "/desa/sukamaju/musyawarah",
                &[
                    ("kind", "musdes"),
                    ("title", "Musdes yang tidak kuorum"),
                    ("scheduled_at", &format!("2026-08-{day:02}T09:00")),
                    ("place", "Balai Desa Sukamaju"),
                    ("invited_count", "20"),
                ],
            )
            .await;
        r.assert(StatusCode::SEE_OTHER);
        let path = r.location().to_string();
        app.post(&format!("{path}/status"), &[("status", "held")])
            .await
            .assert(StatusCode::SEE_OTHER);
        attend(&mut app, &path, "Pak Darto", "L", None).await;
        app.post(
            &format!("{path}/tunda"),
            &[("note", "Baru satu yang hadir")],
        )
        .await
        .assert(StatusCode::SEE_OTHER);
        app.post(
            &format!("{path}/jadwal-ulang"),
            &[
                ("scheduled_at", "2099-01-10T09:00"),
                ("place", "Balai Desa Sukamaju"),
            ],
        )
        .await
        .assert(StatusCode::SEE_OTHER);
        app.post(&format!("{path}/final"), &[])
            .await
            .assert(StatusCode::SEE_OTHER);
    }
    // Nine finalized Musdes of the year come before it now, and none of them opened.
    app.get("/desa/sukamaju/kalender/2027")
        .await
        .assert(StatusCode::OK)
        .contains(&done);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn the_calendar_says_where_the_planning_year_stands(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (_, _, _) = scored(&mut app).await;
    // Today is after September of 2026: what is not done for the 2027 plan is late.
    let page = app.get("/desa/sukamaju/kalender/2027").await;
    page.assert(StatusCode::OK)
        .contains("Kalender perencanaan RKP Desa 2027")
        .contains("31 Mei 2026")
        .contains("30 September 2026")
        .contains("Tahap sekarang: <strong>Musyawarah dusun dan kelompok menggali gagasan</strong>")
        .contains(id_text("calendar.state.late"))
        // The Musdes that accepted the proposals on 1 September: done, after June.
        .contains("Selesai, terlambat</span> <a href=\"/desa/sukamaju/musyawarah/")
        .contains("\">1 September 2026</a>");
    app.get("/desa/sukamaju")
        .await
        .contains("Tahap sekarang:")
        .contains(id_text("calendar.now"));
    let musdus = meeting(&mut app, "musdus").await;
    attend(&mut app, &musdus, "Bu Wati", "P", None).await;
    app.post(&format!("{musdus}/status"), &[("status", "held")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(&format!("{musdus}/final"), &[])
        .await
        .assert(StatusCode::SEE_OTHER);
    // The Tim Penyusun's decree is a stage of its own, due by the end of July.
    app.get("/desa/sukamaju/kalender/2027")
        .await
        .contains(id_text("calendar.stage.tim_penyusun"))
        .contains("31 Juli 2026");
    let team = crate::rpjm::team(9, true, "0");
    app.post(&format!("{P}/tim"), &crate::rpjm::send(&team))
        .await
        .assert(StatusCode::SEE_OTHER);
    set_plan(&mut app).await;
    let page = app.get("/desa/sukamaju/kalender/2027").await;
    page.contains(id_text("calendar.all_done"))
        .lacks("Tahap sekarang:")
        .contains("\">15 September 2026</a>")
        .contains("Selesai</span> <a href=\"/desa/sukamaju/rkp/2027/tim/sk\">1 Juli 2026</a>")
        // The Perdes links the Peraturan Desa itself.
        .contains("Selesai</span> <a href=\"/desa/sukamaju/rkp/2027/perdes\">30 September 2026</a>")
        // No DU-RKP items: nothing for the kecamatan to answer once the Musrenbangdes agreed.
        .contains(id_text("calendar.stage.du_rkp"))
        .contains("28 Februari 2027")
        .contains("<a href=\"/desa/sukamaju/rkp/2027/du-rkp\">");
    app.get("/desa/sukamaju")
        .await
        .contains(id_text("calendar.all_done"));

    // The kabupaten sets its own date by Perbup, once for all its villages.
    app.logout().await;
    app.login_as("admin@desa.id", Role::Admin, None).await;
    app.post(
        "/admin/kalender",
        &[
            ("kabupaten", "Lebak"),
            ("stage", "musrenbangdes"),
            ("date", "31-09"),
            ("source", "Perbup <Lebak> 5/2025"),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("calendar.error.date"))
    .contains("Perbup &#60;Lebak&#62; 5/2025");
    assert!(app.store.all_planning_dates().await.unwrap().is_empty());
    app.post(
        "/admin/kalender",
        &[
            ("kabupaten", " LEBAK "),
            ("stage", "musrenbangdes"),
            ("date", "31-08"),
            ("source", "Perbup Lebak 5/2025"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get("/admin/kalender")
        .await
        .contains("Perbup Lebak 5/2025")
        .contains("31 Agustus")
        .contains("bawaan 30 September");
    let page = app.get("/desa/sukamaju/kalender/2027").await;
    page.contains("31 Agustus 2026")
        .contains("Selesai, terlambat</span> <a href=\"/desa/sukamaju/musyawarah/")
        .contains("ditetapkan kabupaten untuk semua desanya (Perbup): Lebak");
    // Every village of the kabupaten follows it; a village of another keeps the default.
    app.village("mekarsari").await;
    app.get("/desa/mekarsari/kalender/2027")
        .await
        .assert(StatusCode::OK)
        .contains("31 Agustus 2026");
    let form = musdes::domain::village::VillageForm {
        name: "Desa Lain".into(),
        slug: "lain".into(),
        kabupaten: "Pandeglang".into(),
        ..Default::default()
    };
    app.store
        .create_village(&form.validate().unwrap(), None)
        .await
        .unwrap();
    app.get("/desa/lain/kalender/2027")
        .await
        .assert(StatusCode::OK)
        .lacks("31 Agustus 2026")
        .lacks("(Perbup)");
    app.post(
        "/admin/kalender/hapus",
        &[("kabupaten", "lebak"), ("stage", "musrenbangdes")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get("/desa/sukamaju/kalender/2027")
        .await
        .lacks("31 Agustus 2026");
    app.get("/desa/sukamaju/kalender/20x7")
        .await
        .assert(StatusCode::NOT_FOUND);
    app.get("/desa/sukamaju/kalender/1999")
        .await
        .assert(StatusCode::NOT_FOUND);
    app.get("/desa/tidakada/kalender/2027")
        .await
        .assert(StatusCode::NOT_FOUND);
}
