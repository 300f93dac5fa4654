//! `musdes export` → `musdes import` on the other database → `export` again: the same
//! JSON, byte for byte, and the berita acara still verify.

use axum::http::StatusCode;
use musdes::demo::{PASSWORD, SLUG};
use musdes::domain::proposal::Status;

use crate::common::{Backend, TestApp, id_text, levels_counted};
use crate::implementation::{PNG, upload};
use rstest::rstest;

fn musdes(url: &str, args: &[&str]) -> std::process::Output {
    crate::common::musdes_command(url)
        .args(args)
        .output()
        .unwrap()
}

#[track_caller]
fn ok(o: &std::process::Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// The demo village with something in every table: feedback answered, a partnership, a
/// merge, an addendum to its finalized berita acara, a progress report with a photo, a
/// rating.
async fn everything(app: &mut TestApp) {
    musdes::demo::load(&app.store).await.unwrap();
    let v = app.store.village_by_slug(SLUG).await.unwrap();
    let base = format!("/desa/{SLUG}/usulan");
    app.login("warga@majasari.desa.id", PASSWORD)
        .await
        .assert(StatusCode::SEE_OTHER);
    let mut numbers = Vec::new();
    for title in ["Lampu jalan gang mawar", "Penerangan gang mawar"] {
        let r = app
            .post(
                &base,
                &[
                    ("title", title),
                    ("problem", "Gang gelap di malam hari"),
                    ("bidang", "02"),
                    ("confirmed", "1"),
                ],
            )
            .await;
        r.assert(StatusCode::SEE_OTHER);
        numbers.push(r.location().rsplit('/').next().unwrap().to_string());
    }
    app.post(
        &format!("{base}/{}/tanggapan", numbers[1]),
        &[
            ("kind", "concern"),
            ("body", "Siapa yang membayar listriknya?"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    // A second concern stays open: "Perlu tindakan" lists it.
    app.post(
        &format!("{base}/{}/tanggapan", numbers[1]),
        &[("kind", "concern"), ("body", "Tiangnya dipasang di mana?")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.logout().await;

    app.login("kades@majasari.desa.id", PASSWORD)
        .await
        .assert(StatusCode::SEE_OTHER);
    let p = app
        .store
        .proposal_by_number(v.id, &numbers[1])
        .await
        .unwrap();
    let concern = app.store.feedback_for(p.id).await.unwrap()[0]
        .id
        .to_string();
    app.post(
        &format!("{base}/{}/jawaban", numbers[1]),
        &[
            ("feedback", &concern),
            ("body", "Dari dana desa, bidang 02"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    // An item put on the planned Musdes and taken off again, with its reason.
    let planned = app
        .store
        .list_meetings(v.id, 100, 0)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.status == "planned")
        .expect("the demo's planned Musdes");
    let agenda = format!("/desa/{SLUG}/musyawarah/{}/agenda", planned.id);
    app.post(&agenda, &[("proposal", &numbers[0])])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(
        &format!("{agenda}/hapus"),
        &[
            ("proposal", &numbers[0]),
            ("reason", "Digabung dengan usulan lain"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    let group = app.store.list_groups(v.id).await.unwrap()[0].id.to_string();
    app.post(
        &format!("{base}/{}/kemitraan", numbers[1]),
        &[
            ("group", &group),
            ("contribution", "labour"),
            ("note", "Gotong royong"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    // A problem of the inventory, raised at a meeting, answered by a proposal.
    let raised_at = app.store.list_meetings(v.id, 1, 0).await.unwrap()[0]
        .id
        .to_string();
    let need = app
        .post(
            &format!("/desa/{SLUG}/masalah"),
            &[
                ("title", "Sumur warga kering di musim kemarau"),
                ("affects", "women"),
                ("affected_count", "120"),
                ("affected_unit", "KK tanpa air bersih"),
                ("since_year", "2019"),
                ("meeting", &raised_at),
                ("raised_by", "Kelompok Wanita Tani"),
            ],
        )
        .await
        .assert(StatusCode::SEE_OTHER)
        .location()
        .to_string();
    app.post(&format!("{need}/usulan"), &[("proposal", &numbers[1])])
        .await
        .assert(StatusCode::SEE_OTHER);
    // A motor of change who drives the second proposal.
    let cadre = musdes::domain::cadre::CadreForm {
        name: "Mas Yudi".into(),
        role: "pemuda_penggerak".into(),
        started: "Ronda malam dan lampu swadaya gang mawar".into(),
        ..Default::default()
    };
    let cadre = app
        .store
        .create_cadre(
            v.id,
            &cadre.validate(&v.hamlets, &[], 2026).unwrap(),
            by_cadre(app).await,
        )
        .await
        .unwrap();
    let driven = app
        .store
        .proposal_by_number(v.id, &numbers[1])
        .await
        .unwrap();
    app.store
        .set_driver(v.id, driven.id, Some(cadre), by_cadre(app).await)
        .await
        .unwrap();
    // Its figure measured again after the work (the rule that the work be done first is
    // the handler's; here the row itself is what travels).
    let need_id: uuid::Uuid = need.rsplit('/').next().unwrap().parse().unwrap();
    let stored = app.store.need(v.id, need_id).await.unwrap();
    let by = app
        .store
        .user_by_email("pendamping@majasari.desa.id")
        .await
        .unwrap()
        .id;
    app.store
        .add_need_measure(
            &stored,
            &musdes::domain::need::CheckedMeasure {
                count: 30,
                measured_on: v.today(),
                note: Some("Pendataan RT".into()),
            },
            by,
        )
        .await
        .unwrap();
    let source = app
        .store
        .proposal_by_number(v.id, &numbers[0])
        .await
        .unwrap();
    app.post(
        &format!("{base}/{}/gabung", numbers[0]),
        &[
            ("into", &numbers[1]),
            ("note", "Usulan yang sama"),
            ("version", &source.version.to_string()),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    let meetings = app.store.list_meetings(v.id, 100, 0).await.unwrap();
    let finalized = meetings
        .iter()
        .find(|m| m.is_finalized())
        .expect("the demo holds a finalized meeting");
    app.post(
        &format!("/desa/{SLUG}/musyawarah/{}/adendum", finalized.id),
        &[("body", "Nama peserta nomor 3 tertulis salah")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    // A needs survey with one answer entered from paper.
    let survey = app
        .post(
            &format!("/desa/{SLUG}/survei"),
            &[
                ("title", "Survei air bersih 2026"),
                (
                    "questions",
                    "Sumber air minum utama? | Sumur | PDAM | Sungai",
                ),
            ],
        )
        .await
        .assert(StatusCode::SEE_OTHER)
        .location()
        .to_string();
    app.post(
        &survey,
        &[("paper", "1"), ("name", "Bu Sarinah"), ("q0", "1")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    // An attendee's rating given on paper, entered by the official.
    app.post(
        &format!("/desa/{SLUG}/musyawarah/{}/nilai", finalized.id),
        &[
            ("paper", "1"),
            ("score", "4"),
            ("heard", "partly"),
            ("trust", "3"),
            ("comment", "Waktu bicara kurang"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    // The signed paper, scanned and sealed beside the record.
    let pendamping = app
        .store
        .user_by_email("pendamping@majasari.desa.id")
        .await
        .unwrap()
        .id;
    app.store
        .add_scan(
            finalized,
            musdes::domain::meeting::ScanLabel::BeritaAcara,
            "application/pdf",
            b"%PDF-1.4\n%%EOF\n",
            &musdes::store::Actor::new(pendamping, "Rina Wulandari"),
        )
        .await
        .unwrap();
    // A proposal being built, with a photo of the work, then rated.
    let kades = app
        .store
        .user_by_email("kades@majasari.desa.id")
        .await
        .unwrap()
        .id;
    let mut from = p.status;
    for to in [Status::Accepted, Status::InProgress] {
        let now = app
            .store
            .proposal_by_number(v.id, &numbers[1])
            .await
            .unwrap();
        app.store
            .change_status(
                v.id,
                now.id,
                now.version,
                (from, to),
                None,
                &musdes::store::Actor::new(kades, "Kades"),
            )
            .await
            .unwrap();
        from = to;
    }
    let token = app.csrf_token().await;
    upload(
        app,
        &format!("{base}/{}", numbers[1]),
        Some(&token),
        "60",
        Some(("foto.png", PNG)),
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    // The concern acted on, shown by the progress report.
    let report = app.store.progress_updates(p.id).await.unwrap()[0].id;
    app.post(
        &format!("{base}/{}/tindak-lanjut", numbers[1]),
        &[
            ("subject", &format!("concern:{concern}")),
            ("done_on", &v.today().to_string()),
            ("actor", "Kasi Pembangunan"),
            ("change", "Tagihan listrik lampu masuk APBDes bidang 02"),
            ("evidence", &format!("update:{report}")),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    let now = app
        .store
        .proposal_by_number(v.id, &numbers[1])
        .await
        .unwrap();
    app.store
        .change_status(
            v.id,
            now.id,
            now.version,
            (Status::InProgress, Status::Completed),
            None,
            &musdes::store::Actor::new(kades, "Kades"),
        )
        .await
        .unwrap();
    app.logout().await;
    app.login("warga@majasari.desa.id", PASSWORD)
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(
        &format!("{base}/{}/evaluasi", numbers[1]),
        &[("rating", "4"), ("reflection", "Gang terang sekarang")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.logout().await;
}

/// Every finalized meeting's code still verifies on `app`.
async fn codes_verify(app: &mut TestApp) -> usize {
    let v = app.store.village_by_slug(SLUG).await.unwrap();
    let mut verified = 0;
    for m in app.store.list_meetings(v.id, 100, 0).await.unwrap() {
        if let Some(code) = &m.verification_code {
            app.get(&format!("/verifikasi?kode={code}"))
                .await
                .assert(StatusCode::OK)
                .contains(id_text("verify.found"))
                .lacks("tidak lagi cocok");
            verified += 1;
        }
    }
    verified
}

/// The schema's tables and columns, as the database lists them.
async fn schema(app: &TestApp) -> std::collections::BTreeMap<String, Vec<String>> {
    let rows: Vec<(String, String)> = match app.backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&app.url).await.unwrap();
            let rows = sqlx::query_as(
                "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
            )
            .fetch_all(&pool)
            .await
            .unwrap();
            pool.close().await;
            rows
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&app.url).await.unwrap();
            let rows = sqlx::query_as(
                "SELECT table_name::text, column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema()",
            )
            .fetch_all(&pool)
            .await
            .unwrap();
            pool.close().await;
            rows
        }
    };
    let mut out = std::collections::BTreeMap::<String, Vec<String>>::new();
    for (table, column) in rows {
        out.entry(table).or_default().push(column);
    }
    out
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn every_column_of_every_table_travels_or_stays_behind_for_a_reason(
    #[case] backend: Backend,
) {
    let Some(app) = TestApp::new(backend).await else {
        return;
    };

    let exported: std::collections::BTreeMap<&str, Vec<&str>> =
        musdes::store::portable::exported_columns()
            .into_iter()
            .collect();
    let behind: Vec<&str> = musdes::store::portable::NOT_EXPORTED
        .iter()
        .map(|(t, _)| *t)
        .collect();
    let mut wrong = Vec::new();
    for (table, mut columns) in schema(&app).await {
        if behind.contains(&table.as_str()) {
            continue;
        }
        let Some(listed) = exported.get(table.as_str()) else {
            wrong.push(format!(
                "table {table} is neither exported nor named as staying behind"
            ));
            continue;
        };
        columns.sort();
        let mut listed = listed.clone();
        listed.sort();
        for c in &columns {
            let generated = musdes::store::portable::NOT_EXPORTED_COLUMNS
                .contains(&(table.as_str(), c.as_str()));
            if !generated && !listed.contains(&c.as_str()) {
                wrong.push(format!("{table}.{c} is not exported"));
            }
        }
        for c in &listed {
            if !columns.contains(&c.to_string()) {
                wrong.push(format!("{table}.{c} is exported but not in the schema"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_village_moves_between_databases_without_losing_a_byte(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    everything(&mut app).await;
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("pertama.json");
    ok(&musdes(
        &app.url,
        &[
            "export",
            "--village",
            SLUG,
            "--out",
            first.to_str().unwrap(),
        ],
    ));
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&first).unwrap()).unwrap();
    let empty: Vec<&String> = doc["tables"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, rows)| rows.as_array().unwrap().is_empty())
        .map(|(t, _)| t)
        .collect();
    assert!(empty.is_empty(), "tables the test leaves empty: {empty:?}");
    // No session, login throttle or key of the running site travels.
    assert!(
        doc["tables"].get("sessions").is_none() && doc["tables"].get("submission_keys").is_none()
    );

    // Into the other database (another SQLite file when no PostgreSQL is at hand).
    let other = match app.backend {
        Backend::Sqlite => TestApp::new(Backend::Postgres).await,
        Backend::Postgres => None,
    };
    let mut other = match other {
        Some(o) => o,
        None => TestApp::new(Backend::Sqlite).await.unwrap(),
    };
    assert_eq!(
        ok(&musdes(&other.url, &["import", first.to_str().unwrap()])).trim(),
        SLUG
    );
    other.reload_keys();
    let second = ok(&musdes(&other.url, &["export", "--village", SLUG]));
    assert_eq!(
        second,
        std::fs::read_to_string(&first).unwrap(),
        "the second export is the first, byte for byte"
    );
    assert!(codes_verify(&mut other).await >= 1);
    // The people travel with their passwords: the resident logs in on the new database.
    other
        .login("warga@majasari.desa.id", PASSWORD)
        .await
        .assert(StatusCode::SEE_OTHER);
    // The open concerns "Perlu tindakan" lists (read by each entry's village, which is
    // derived on import, not carried) are the same on both sides.
    let open_concerns = |page: &str| {
        let from = page
            .find("id=\"h-kekhawatiran\"")
            .expect("concerns heading");
        let badge = &page[from..];
        let badge = &badge[badge.find("badge").unwrap()..];
        badge[badge.find('>').unwrap() + 1..badge.find("</span>").unwrap()].to_string()
    };
    let mut counts = Vec::new();
    for side in [&mut app, &mut other] {
        side.logout().await;
        side.login("kades@majasari.desa.id", PASSWORD)
            .await
            .assert(StatusCode::SEE_OTHER);
        let page = side.get(&format!("/desa/{SLUG}/tindakan")).await;
        counts.push(open_concerns(&page.assert(StatusCode::OK).body));
    }
    assert_ne!(counts[0], "0", "the demo village has open concerns");
    assert_eq!(counts[0], counts[1]);
    // The published proposals per ladder level are counted afresh as the proposals load.
    let mut levels = Vec::new();
    for side in [&app, &other] {
        let village = side.store.village_by_slug(SLUG).await.unwrap();
        levels.push(levels_counted(side, village.id).await);
    }
    assert!(
        levels[0].iter().sum::<i64>() > 0,
        "the demo village has published proposals"
    );
    assert_eq!(levels[0], levels[1]);

    // A second import of the same village, and a damaged file, are refused whole.
    let before = other.store.row_counts().await.unwrap();
    let o = musdes(&other.url, &["import", first.to_str().unwrap()]);
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("already exists"));
    let mut damaged = doc.clone();
    damaged["village"] = "majasari-baru".into();
    damaged["tables"]["villages"][0]["slug"] = "majasari-baru".into();
    damaged["tables"]["villages"][0]["id"] = uuid::Uuid::now_v7().to_string().into();
    damaged["tables"]["meetings"][0]["scheduled_at"] = "kemarin".into();
    let bad = dir.path().join("rusak.json");
    std::fs::write(&bad, damaged.to_string()).unwrap();
    let o = musdes(&other.url, &["import", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("meetings.scheduled_at"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        other.store.row_counts().await.unwrap(),
        before,
        "nothing of a refused file is stored"
    );
}

/// The demo's facilitator, who records the village's cadres.
async fn by_cadre(app: &TestApp) -> uuid::Uuid {
    app.store
        .user_by_email("pendamping@majasari.desa.id")
        .await
        .unwrap()
        .id
}
