//! The RPJM Desa: recorded and set by Perdes, its backlog by year, proposals placed in it,
//! and what the pagu could not fund sent back to it for the year after.

use axum::http::StatusCode;
use musdes::domain::account::Role;

use crate::common::{Backend, TestApp, id_text};
use crate::plans::{P, scored, set_plan};
use rstest::rstest;

const R: &str = "/desa/sukamaju/rpjm";
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn an_rpjm_is_recorded_set_by_perdes_and_holds_a_backlog_by_year(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, n, _) = scored(&mut app).await;
    app.get(R)
        .await
        .assert(StatusCode::OK)
        .contains(id_text("rpjm.none"));
    // Bad input: a period that is not a year, no vision, a Perdes number without its date.
    app.post(
        &format!("{R}/baru"),
        &[
            ("start_year", "25"),
            ("vision", ""),
            ("mission", "Memperbaiki jalan desa"),
            ("perdes_number", "2 Tahun 2025"),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("rpjm.error.start_year"))
    .contains(id_text("rpjm.error.vision"))
    .contains(id_text("rpjm.error.perdes_both"))
    .contains("Memperbaiki jalan desa");
    assert!(app.store.rpjms(v.id).await.unwrap().is_empty());
    app.post(
        &format!("{R}/baru"),
        &[
            ("start_year", "2025"),
            ("vision", "Sukamaju yang mandiri & sejahtera"),
            (
                "mission",
                "Memperbaiki jalan desa\n\nMendekatkan air bersih",
            ),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get(R)
        .await
        .contains("RPJM Desa 2025–2032")
        .contains("Sukamaju yang mandiri &#38; sejahtera")
        .contains("<li>Memperbaiki jalan desa</li><li>Mendekatkan air bersih</li>")
        .contains(id_text("rpjm.not_set"));
    // Two periods may not share a year.
    app.post(
        &format!("{R}/baru"),
        &[
            ("start_year", "2031"),
            ("vision", "Visi periode berikutnya"),
            ("mission", "Misi periode berikutnya"),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("rpjm.error.overlap"));
    // Set by Perdes; a form made before someone else saved is refused.
    let edit = app.get(&format!("{R}/2025/ubah")).await;
    let version = edit.field("version");
    let fields = |number: &'static str, date: &'static str, version: String| {
        vec![
            ("start_year", "2025".to_string()),
            ("vision", "Sukamaju yang mandiri dan sejahtera".to_string()),
            ("mission", "Memperbaiki jalan desa".to_string()),
            ("perdes_number", number.to_string()),
            ("perdes_date", date.to_string()),
            ("version", version),
        ]
    };
    let send = |f: Vec<(&'static str, String)>| f;
    let f = send(fields("2 Tahun 2025", "2025-03-14", version.clone()));
    let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post(&format!("{R}/2025/ubah"), &refs)
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get(R)
        .await
        .contains("Ditetapkan dengan Peraturan Desa Nomor")
        .contains("2 Tahun 2025")
        .contains("14 Maret 2025");
    let f = send(fields("3 Tahun 2025", "2025-03-15", version));
    let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post(&format!("{R}/2025/ubah"), &refs)
        .await
        .assert(StatusCode::CONFLICT);
    assert_eq!(
        app.store.rpjms(v.id).await.unwrap()[0]
            .perdes_number
            .as_deref(),
        Some("2 Tahun 2025")
    );

    // The backlog: bad activities refused with what was typed kept.
    app.post(
        &format!("{R}/2025/kegiatan"),
        &[
            ("year", "2040"),
            ("sub_bidang", "09.09"),
            ("kegiatan", "Embung"),
            ("cost", "-5"),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("rpjm.error.year"))
    .contains(id_text("error.choose_from_list"))
    .contains(id_text("plan.error.amount"))
    .contains("value=\"Embung\"");
    app.post(
        &format!("{R}/2025/kegiatan"),
        &[
            ("year", "2028"),
            ("sub_bidang", "02.03"),
            ("kegiatan", "Pembangunan embung desa"),
            ("location", "Dusun II"),
            ("cost", "180.000.000"),
            ("source", "bkk"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get(R)
        .await
        .contains("id=\"tahun-2028\"")
        .contains("Pembangunan embung desa")
        .contains("02.03 Pekerjaan umum dan penataan ruang")
        .contains("Rp 180.000.000")
        .contains(id_text("rpjm.own_activity"));
    app.post(&format!("{R}/2019/kegiatan"), &[("year", "2020")])
        .await
        .assert(StatusCode::NOT_FOUND);

    // The pagu funds the 60 million; the 50 and the 10 go back to the RPJM Desa for 2028.
    set_plan(&mut app).await;
    for number in [&n[1], &n[2]] {
        app.get(&format!("/desa/sukamaju/usulan/{number}"))
            .await
            .contains("Menunggu di RPJM Desa untuk tahun (2028)")
            .contains("RPJM Desa 2025–2032, tahun 2028");
    }
    let rpjm = app.store.rpjms(v.id).await.unwrap().remove(0);
    let items = app.store.rpjm_items(rpjm.id).await.unwrap();
    let linked: Vec<(i64, Option<&str>, Option<&str>)> = items
        .iter()
        .map(|i| {
            (
                i.year,
                i.proposal_number.as_deref(),
                i.proposal_status.as_deref(),
            )
        })
        .collect();
    assert!(
        linked.contains(&(2028, Some(n[1].as_str()), Some("deferred"))),
        "{linked:?}"
    );
    assert!(
        linked.contains(&(2028, Some(n[2].as_str()), Some("deferred"))),
        "{linked:?}"
    );
    // The 2028 plan shows what waits in the RPJM Desa for its year.
    app.post("/desa/sukamaju/rkp", &[("year", "2028")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get("/desa/sukamaju/rkp/2028")
        .await
        .contains(id_text("plan.rpjm_this_year"))
        .contains("Pembangunan embung desa")
        .contains("Jalan usaha tani &#60;Sawah Lor&#62;");
    let _ = P;
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_proposal_is_placed_in_the_backlog_for_a_year_only_when_it_may_wait_there(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, n, _) = scored(&mut app).await;
    let place = |number: &str| format!("/desa/sukamaju/usulan/{number}/rpjm");
    // No RPJM Desa covers the year yet.
    app.post(&place(&n[0]), &[("year", "2029")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("rpjm.error.no_rpjm_for_year"));
    app.post(
        &format!("{R}/baru"),
        &[
            ("start_year", "2025"),
            ("vision", "Sukamaju yang mandiri dan sejahtera"),
            ("mission", "Memperbaiki jalan desa"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get(&format!("/desa/sukamaju/usulan/{}", n[0]))
        .await
        .contains(id_text("rpjm.place_title"))
        .contains("<option value=\"2032\">");
    app.post(&place(&n[0]), &[("year", "abc")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY);
    app.post(&place(&n[0]), &[("year", "2029")])
        .await
        .assert(StatusCode::SEE_OTHER);
    let p = app.store.proposal_by_number(v.id, &n[0]).await.unwrap();
    assert_eq!(p.status, "deferred");
    app.get(&format!("/desa/sukamaju/usulan/{}", n[0]))
        .await
        .contains("Menunggu di RPJM Desa untuk tahun (2029)");
    // Deferred, it is no longer a candidate of the 2027 draft.
    app.get(P).await.lacks("Irigasi sawah blok timur");
    // Moved to another year, it stays one activity.
    app.post(&place(&n[0]), &[("year", "2030")])
        .await
        .assert(StatusCode::SEE_OTHER);
    let rpjm = app.store.rpjms(v.id).await.unwrap().remove(0);
    let items = app.store.rpjm_items(rpjm.id).await.unwrap();
    assert_eq!(items.iter().map(|i| i.year).collect::<Vec<_>>(), [2030]);
    assert_eq!(items[0].cost, Some(60_000_000), "the plan's cost travels");
    // A proposal still being weighed cannot wait there; a resident cannot place anything.
    app.logout().await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    let r = app
        .post(
            "/desa/sukamaju/usulan",
            &[
                ("title", "Lampu jalan gang mawar"),
                ("problem", "Gelap di malam hari"),
                ("bidang", "02"),
                ("confirmed", "1"),
            ],
        )
        .await;
    let fresh = r.location().rsplit('/').next().unwrap().to_string();
    app.post(&place(&n[1]), &[("year", "2029")])
        .await
        .assert(StatusCode::FORBIDDEN);
    app.logout().await;
    app.login_as("kades@desa.id", Role::Official, Some(&v))
        .await;
    app.post(&place(&fresh), &[("year", "2029")])
        .await
        .assert(StatusCode::CONFLICT)
        .contains(id_text("rpjm.error.not_placeable"));
    assert_eq!(app.store.rpjm_items(rpjm.id).await.unwrap().len(), 1);
}

pub(crate) fn send(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// The team's form fields: `n` members, the first the chair, every second a woman when
/// `women`.
pub(crate) fn team(n: usize, women: bool, version: &str) -> Vec<(String, String)> {
    let mut f = vec![
        ("sk_number".to_string(), "141/07/2026".to_string()),
        ("sk_date".to_string(), "2026-07-01".to_string()),
        ("version".to_string(), version.to_string()),
    ];
    for i in 0..n {
        let role = if i == 0 { "ketua" } else { "anggota" };
        let gender = if women && i % 2 == 1 { "P" } else { "L" };
        f.extend([
            (format!("name_{i}"), format!("Anggota Tim {i}")),
            (format!("gender_{i}"), gender.to_string()),
            (format!("role_{i}"), role.to_string()),
            (format!("from_{i}"), "Perangkat Desa".to_string()),
        ]);
    }
    f
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn the_tim_penyusun_has_seven_to_eleven_members_and_its_decree_prints(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, _, _) = scored(&mut app).await;
    let tim = format!("{P}/tim");
    app.get(P).await.contains(id_text("tim.none"));
    // Six members are too few; what was typed stays.
    let six = team(6, true, "0");
    app.post(&tim, &send(&six))
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("tim.error.size"))
        .contains("value=\"Anggota Tim 5\"");
    let stored = app.store.plan(v.id, 2027).await.unwrap();
    assert!(app.store.tim(stored.id).await.unwrap().is_none());
    // Seven men: recorded, with a warning that women are missing.
    app.post(&tim, &send(&team(7, false, "0")))
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get(P)
        .await
        .contains("Anggota Tim 6 (L)")
        .contains(id_text("tim.no_women"));
    // A second form made from the same page is stale.
    app.post(&tim, &send(&team(8, true, "0")))
        .await
        .assert(StatusCode::CONFLICT);
    let version = app.get(&tim).await.field("version");
    app.post(&tim, &send(&team(9, true, &version)))
        .await
        .assert(StatusCode::SEE_OTHER);
    let page = app.get(P).await;
    page.contains("141/07/2026")
        .lacks("Belum ada perempuan dalam Tim Penyusun");
    // The decree's draft, for anyone to read and print.
    app.logout().await;
    app.get(&format!("{tim}/sk"))
        .await
        .assert(StatusCode::OK)
        .contains("PEMBENTUKAN TIM PENYUSUN RENCANA KERJA PEMERINTAH DESA TAHUN 2027")
        .contains("NOMOR 141/07/2026")
        .contains("1 Juli 2026")
        .contains(id_text("tim.role.ketua"))
        .contains("Anggota Tim 8");
    app.get("/desa/sukamaju/rkp/2031/tim/sk")
        .await
        .assert(StatusCode::NOT_FOUND);
    // The Peraturan Desa: a draft until recorded, then with its number and date; the
    // plan's RKP Desa as its lampiran.
    app.get(&format!("{P}/perdes"))
        .await
        .assert(StatusCode::OK)
        .contains("RANCANGAN")
        .contains("NOMOR .... TAHUN 2026")
        .contains("TENTANG<br>RENCANA KERJA PEMERINTAH DESA TAHUN 2027")
        .contains("LAMPIRAN PERATURAN DESA DESA SUKAMAJU");
    // Once the plan is set, the team stays as it was.
    app.login("kades@desa.id", crate::common::PASSWORD)
        .await
        .assert(StatusCode::SEE_OTHER);
    set_plan(&mut app).await;
    app.get(&format!("{P}/perdes"))
        .await
        .assert(StatusCode::OK)
        .lacks("RANCANGAN")
        .contains("NOMOR 4 TAHUN 2026")
        .contains("30 September 2026")
        .contains("Musrenbangdes RKP Desa 2027")
        .contains("Irigasi sawah blok timur")
        .contains("Rp 60.000.000");
    let version = app
        .store
        .tim(stored.id)
        .await
        .unwrap()
        .unwrap()
        .version
        .to_string();
    app.post(&tim, &send(&team(7, true, &version)))
        .await
        .assert(StatusCode::CONFLICT);
    assert_eq!(
        app.store
            .tim(stored.id)
            .await
            .unwrap()
            .unwrap()
            .members
            .len(),
        9
    );
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn the_evaluation_sets_what_was_planned_against_what_was_done(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, n, _) = scored(&mut app).await;
    let eval = format!("{P}/evaluasi");
    app.get(&eval)
        .await
        .assert(StatusCode::OK)
        .contains(id_text("plan_eval.not_set"));
    set_plan(&mut app).await;
    app.get(&eval)
        .await
        .contains("Kegiatan direncanakan: <strong>1</strong>")
        .contains("Belum dimulai: <strong>1</strong>");
    let status = |number: &str| format!("/desa/sukamaju/usulan/{number}/status");
    for to in ["in_progress", "completed"] {
        let p = app.store.proposal_by_number(v.id, &n[0]).await.unwrap();
        app.post(
            &status(&n[0]),
            &[("status", to), ("version", &p.version.to_string())],
        )
        .await
        .assert(StatusCode::SEE_OTHER);
        if to == "in_progress" {
            app.get(&eval)
                .await
                .contains("Sedang berjalan: <strong>1</strong>");
        }
    }
    app.logout().await;
    app.get(&eval)
        .await
        .contains("Selesai: <strong>1</strong> (100%) · Rp 60.000.000")
        .contains("Irigasi sawah blok timur");
}
