//! The seven mapping questions of seed 004 on a group's page: its profile (why it takes
//! part, what binds it, what else it does, why it stands toward the village government as
//! it does), its relations with their reasons, its history as dated entries; coalitions
//! with a coordinator and an end; the member villages of a BKAD.

use axum::http::StatusCode;
use musdes::domain::account::Role;

use crate::common::{Backend, TestApp, id_text};
use rstest::rstest;

const G: &str = "/desa/sukamaju/kelompok";
const J: &str = "/desa/sukamaju/jejaring";

/// The fields of a group's edit form as stored, with `extra` in place of what it names.
fn edit(version: &str, extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, String)> {
    let mut fields: Vec<(&'static str, String)> = vec![
        ("name", "Kelompok Tani Makmur".into()),
        ("kind", "tani".into()),
        ("relation", "supportive".into()),
        ("version", version.into()),
    ];
    for (k, v) in extra {
        fields.retain(|(f, _)| f != k);
        fields.push((k, v.to_string()));
    }
    fields
}

async fn post_owned(
    app: &mut TestApp,
    path: &str,
    fields: &[(&'static str, String)],
) -> crate::common::Reply {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post(path, &pairs).await
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn a_groups_page_answers_the_seven_mapping_questions(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    let (v, groups, _) = crate::meetings::setup(&mut app).await;
    let tani = format!("{G}/{}", groups[0]);
    let pkk = groups[1].to_string();

    // A new group: every question unanswered, and the page says which to ask.
    let page = app.get(&tani).await;
    page.assert(StatusCode::OK)
        .contains(id_text("group.unanswered"))
        .contains(id_text("mapping_q.1"))
        .contains(id_text("mapping_q.7"));

    // Bad input: "no other matters" while naming some, a bond of no list. Beside the
    // field, what was typed kept, nothing stored.
    let before = app.store.row_counts().await.unwrap();
    let bad = edit(
        "1",
        &[
            ("motive", "Air sawah bergantung pada saluran desa"),
            ("bonds", "money"),
            ("acts_beyond", "no"),
            ("other_matters", "Arisan anggota"),
        ],
    );
    post_owned(&mut app, &tani, &bad)
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.other_matters_but_no"))
        .contains(id_text("error.choose_from_list"))
        .contains("Air sawah bergantung pada saluran desa");
    assert_eq!(app.store.row_counts().await.unwrap(), before);
    // "Yes" without naming them is refused too.
    post_owned(&mut app, &tani, &edit("1", &[("acts_beyond", "yes")]))
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.other_matters_which"));

    let good = edit(
        "1",
        &[
            ("motive", "Air sawah bergantung pada saluran desa"),
            ("gains", "Air sampai ke sawah di ujung blok"),
            ("bonds", "livelihood"),
            ("acts_beyond", "yes"),
            ("other_matters", "Arisan dan simpan pinjam anggota"),
            ("relation_reason", "Kepala desa hadir di rapat kelompok"),
        ],
    );
    let mut good = good;
    good.push(("bonds", "neighbours".into()));
    post_owned(&mut app, &tani, &good)
        .await
        .assert(StatusCode::SEE_OTHER);

    // History (question 7): a year ahead, no kind, nothing said are refused.
    let history = format!("{tani}/riwayat");
    let before = app.store.row_counts().await.unwrap();
    app.post(
        &history,
        &[
            ("year", "2090"),
            ("change", "coup"),
            ("what", ""),
            ("why", "Karena"),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.year"))
    .contains(id_text("error.required"))
    .contains(">Karena</textarea>");
    assert_eq!(app.store.row_counts().await.unwrap(), before);
    for (year, change, what, members) in [
        ("2019", "membership", "Petani Dusun II ikut bergabung", "32"),
        ("2015", "founded", "Berdiri dari 12 peternak sapi", "12"),
    ] {
        app.post(
            &history,
            &[
                ("year", year),
                ("change", change),
                ("what", what),
                ("why", "Saluran yang sama mengairi sawah mereka"),
                ("members_after", members),
            ],
        )
        .await
        .assert(StatusCode::SEE_OTHER);
    }

    // Question 5: a tie to PKK with its reason; a coalition needs a coordinator and an end.
    let before = app.store.row_counts().await.unwrap();
    app.post(
        J,
        &[
            ("from", &groups[0].to_string()),
            ("to", &pkk),
            ("stance", "supports"),
            ("form", "coalition"),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.coalition_end"));
    app.post(
        J,
        &[
            ("from", &groups[0].to_string()),
            ("to", &pkk),
            ("stance", "supports"),
            ("form", "cooperation"),
            ("coordinator", "Bu Warsini"),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.coalition_only"))
    .contains("value=\"Bu Warsini\"");
    assert_eq!(app.store.row_counts().await.unwrap(), before);
    app.post(
        J,
        &[
            ("from", &groups[0].to_string()),
            ("to", &pkk),
            ("stance", "supports"),
            ("form", "coalition"),
            ("since_year", "2024"),
            ("coordinator", "Bu Warsini"),
            ("ends_on", "2025-06-30"),
            ("reason", "Pasar tani bersama untuk hari jadi kabupaten"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);

    // The page now answers all seven, in order, with the reasons for the staff.
    let page = app.get(&tani).await;
    page.assert(StatusCode::OK)
        .contains(id_text("group.all_answered"))
        .lacks(id_text("group.unanswered"))
        .contains("Air sampai ke sawah di ujung blok")
        .contains(id_text("bond.livelihood"))
        .contains(id_text("bond.neighbours"))
        .contains("Arisan dan simpan pinjam anggota")
        .contains("Kepala desa hadir di rapat kelompok")
        .contains("Pasar tani bersama untuk hari jadi kabupaten")
        .contains("Bu Warsini")
        // The coalition ended on 30 June 2025: listed as ended.
        .contains(id_text("network.ended"));
    let body = &page.body;
    let founded = body.find("Berdiri dari 12 peternak sapi").unwrap();
    let joined = body.find("Petani Dusun II ikut bergabung").unwrap();
    assert!(founded < joined, "history reads oldest first");
    // An ended coalition no longer ties the two on the map: both are isolated again.
    app.get(J)
        .await
        .assert(StatusCode::OK)
        .contains(id_text("network.isolated"))
        .contains(id_text("network.ended"));

    // The public sees the profile and the history, never the reasons about the
    // government nor between groups.
    app.logout().await;
    app.get(&tani)
        .await
        .assert(StatusCode::OK)
        .contains("Air sampai ke sawah di ujung blok")
        .contains("Berdiri dari 12 peternak sapi")
        .lacks("Kepala desa hadir di rapat kelompok")
        .lacks("Pasar tani bersama untuk hari jadi kabupaten")
        .lacks(id_text("group.unanswered"))
        .lacks(id_text("group.history_add"));
    // Nor may it add to the history: a visitor is sent to log in, a resident refused.
    let before = app.store.row_counts().await.unwrap();
    let r = app
        .post(
            &history,
            &[("year", "2020"), ("change", "other"), ("what", "Coba-coba")],
        )
        .await;
    r.assert(StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/masuk"), "{}", r.location());
    assert_eq!(app.store.row_counts().await.unwrap(), before);
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    let before = app.store.row_counts().await.unwrap();
    app.post(
        &history,
        &[("year", "2020"), ("change", "other"), ("what", "Coba-coba")],
    )
    .await
    .assert(StatusCode::FORBIDDEN);
    assert_eq!(app.store.row_counts().await.unwrap(), before);

    // A facilitator takes an entry back; it leaves the page (and stays in the audit log).
    app.logout().await;
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    let page = app.get(&tani).await;
    let remove = page
        .body
        .split("action=\"")
        .filter_map(|s| s.split('"').next())
        .find(|a| a.contains("/riwayat/") && a.ends_with("/hapus"))
        .unwrap()
        .to_string();
    app.post(&remove, &[]).await.assert(StatusCode::SEE_OTHER);
    let page = app.get(&tani).await;
    assert_eq!(
        [
            "Berdiri dari 12 peternak sapi",
            "Petani Dusun II ikut bergabung"
        ]
        .iter()
        .filter(|t| page.body.contains(*t))
        .count(),
        1
    );
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn an_inter_village_body_lists_its_member_villages(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    let (v, groups, _) = crate::meetings::setup(&mut app).await;
    let r = app
        .post(
            G,
            &[
                ("name", "BKAD Kecamatan Sukamaju"),
                ("kind", "desa_lain"),
                ("since_year", "2018"),
            ],
        )
        .await;
    r.assert(StatusCode::SEE_OTHER);
    let bkad = r.location().to_string();
    let members = format!("{bkad}/desa-anggota");
    // Its own village among them: a village of this installation links to its page.
    for name in ["Sukamaju", "Desa Sukasari"] {
        app.post(&members, &[("village", name), ("kecamatan", "")])
            .await
            .assert(StatusCode::SEE_OTHER);
    }
    // The same village twice (case aside), a name too short: refused, nothing stored.
    let before = app.store.row_counts().await.unwrap();
    app.post(&members, &[("village", "desa sukasari")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.member_village_taken"))
        .contains("value=\"desa sukasari\"");
    app.post(&members, &[("village", "X")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.required"));
    // A farmers' group has no member villages.
    app.post(
        &format!("{G}/{}/desa-anggota", groups[0]),
        &[("village", "Desa Sukasari")],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.member_villages_kind"));
    // Nor may the body become one while it lists them.
    let page = app.get(&bkad).await;
    let version = page.field("version");
    app.post(
        &bkad,
        &[
            ("name", "BKAD Kecamatan Sukamaju"),
            ("kind", "lainnya"),
            ("version", &version),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.kind_has_member_villages"));
    assert_eq!(app.store.row_counts().await.unwrap(), before);

    app.logout().await;
    let page = app.get(&bkad).await;
    page.assert(StatusCode::OK)
        .contains(id_text("group.member_villages"))
        .contains("Desa Sukasari")
        .contains(&format!("href=\"/desa/{}\">Sukamaju</a>", v.slug));
    // A group of another kind has no such list.
    app.get(&format!("{G}/{}", groups[0]))
        .await
        .assert(StatusCode::OK)
        .lacks(id_text("group.member_villages"));
}
