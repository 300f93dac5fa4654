use axum::http::StatusCode;

use crate::common::{Backend, TestApp, id_text};
use crate::meetings::{meeting, setup};
use rstest::rstest;

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn each_channel_carries_its_reach_and_the_portal_names_whom_none_reached(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    let (v, [tani, pkk], [first, second]) = setup(&mut app).await;
    let proposal = format!("/desa/sukamaju/usulan/{first}");
    let channel = format!("{proposal}/kanal");

    // Nothing recorded: the portal says no channel reached anyone yet.
    app.get("/desa/sukamaju")
        .await
        .contains(id_text("reach.none"))
        .contains(id_text("reach.unreached"));

    // Bad input: a channel not on the list, more people than live in the village, a
    // dusun and a group that are not the village's. Each beside its field, what was typed
    // kept, nothing stored.
    let before = app.store.row_counts().await.unwrap();
    let stranger = uuid::Uuid::new_v4().to_string();
    app.post(
        &channel,
        &[
            ("channel", "merpati"),
            ("reach", "5.000"),
            ("dusun", "Dusun Tetangga"),
            ("group", &stranger),
            ("note", "Diumumkan saat ronda"),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.choose_from_list"))
    .contains(id_text("error.reach_over_population"))
    .contains(id_text("error.group_of_village"))
    .contains("value=\"5.000\"")
    .contains("value=\"Diumumkan saat ronda\"");
    app.post(&channel, &[("channel", "forum"), ("reach", "banyak")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.reach"));
    assert_eq!(app.store.row_counts().await.unwrap(), before);

    // The WhatsApp group of the farmers reached Dusun I and the farmers.
    let tani_id = tani.to_string();
    app.post(
        &channel,
        &[
            ("channel", "whatsapp"),
            ("reach", "1.200"),
            ("dusun", &v.hamlets[0]),
            ("group", &tani_id),
            ("note", "Grup WA kelompok tani"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    // The contract's fields alone still work: a channel and a note, its reach unknown.
    app.post(
        &format!("/desa/sukamaju/usulan/{second}/kanal"),
        &[("channel", "papan_pengumuman"), ("note", "Balai desa")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get(&proposal)
        .await
        .contains(id_text("info_channel.whatsapp"))
        .contains("1.200 orang (perkiraan)")
        .contains("Kelompok Tani Makmur");

    // A meeting announced from the mosque's loudspeaker in Dusun II.
    let m = meeting(&mut app, "musdes").await;
    app.post(
        &format!("{m}/kanal"),
        &[
            ("channel", "pengeras_suara"),
            ("reach", "300"),
            ("dusun", "Dusun X"),
        ],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.choose_from_list"))
    .contains("value=\"300\"");
    app.post(
        &format!("{m}/kanal"),
        &[
            ("channel", "pengeras_suara"),
            ("reach", "300"),
            ("dusun", &v.hamlets[1]),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.get(&m)
        .await
        .contains(id_text("info_channel.pengeras_suara"))
        .contains("300 orang (perkiraan)");

    // The portal: per channel its uses and summed reach; both dusun reached, the PKK not.
    app.logout().await;
    let portal = app.get("/desa/sukamaju").await;
    portal.assert(StatusCode::OK);
    let unreached = &portal.body[portal
        .body
        .find("id=\"belum-terjangkau\"")
        .expect("whom no channel reached")..];
    let unreached = &unreached[..unreached.find("</div>").unwrap()];
    assert!(unreached.contains("PKK Sukamaju"), "{unreached}");
    assert!(!unreached.contains("Kelompok Tani Makmur"), "{unreached}");
    assert!(!unreached.contains(id_text("reach.hamlets")), "{unreached}");
    assert!(portal.body.contains("1 kali · 1.200 orang (perkiraan)"));
    assert!(portal.body.contains("1 kali · 300 orang (perkiraan)"));
    let _ = pkk;
}
