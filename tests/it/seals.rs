//! Seals a database writer cannot forge: every way of changing sealed records behind the
//! application's back is caught by the page that shows them, by `/verifikasi` and by
//! `musdes verify`.

use axum::http::StatusCode;
use uuid::Uuid;

use crate::common::{Backend, TestApp, id_text, musdes_command};
use crate::meetings::{attend, meeting, meeting_id};
use crate::plans::{P, scored};
use musdes::domain::account::Role;
use rstest::rstest;

/// A value bound to a statement run straight on the database.
pub(crate) enum V {
    T(String),
    Id(Uuid),
    At(chrono::DateTime<chrono::Utc>),
    B(Vec<u8>),
}

/// Runs one statement straight on the database, as someone with write access would.
pub(crate) async fn raw(app: &TestApp, sql: &str, values: &[V]) {
    macro_rules! run {
        ($pool:expr) => {{
            let pool = $pool;
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()));
            for v in values {
                q = match v {
                    V::T(t) => q.bind(t.clone()),
                    V::Id(id) => q.bind(*id),
                    V::At(at) => q.bind(*at),
                    V::B(b) => q.bind(b.clone()),
                };
            }
            q.execute(&pool).await.unwrap();
            pool.close().await;
        }};
    }
    match app.backend {
        Backend::Sqlite => run!(sqlx::SqlitePool::connect(&app.url).await.unwrap()),
        Backend::Postgres => run!(sqlx::PgPool::connect(&app.url).await.unwrap()),
    }
}

fn t(s: &str) -> V {
    V::T(s.to_string())
}

/// `musdes verify`: whether it passed, and what it printed.
fn verify(app: &TestApp) -> (bool, String) {
    let o = musdes_command(&app.url).arg("verify").output().unwrap();
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (o.status.success(), out)
}

#[track_caller]
fn broken(app: &TestApp, what: &str) {
    let (ok, out) = verify(app);
    assert!(!ok, "musdes verify passed after: {what}\n{out}");
    assert!(out.contains("BROKEN village sukamaju"), "{what}: {out}");
}

/// What `/verifikasi` says of `code`.
async fn verified(app: &mut TestApp, code: &str) -> String {
    let saved = std::mem::take(&mut app.cookies);
    let body = app.get(&format!("/verifikasi?kode={code}")).await.body;
    app.cookies = saved;
    body
}

const WARNING: &str = "tidak cocok dengan segel digitalnya";
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn every_forgery_of_a_sealed_record_is_caught_by_the_page_the_check_and_the_command(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    // A finalized Musdes that accepted three proposals, an adopted plan, an addendum,
    // and a second finalized meeting of the village.
    let (v, _numbers, musdes) = scored(&mut app).await;
    let musdes = musdes.parse::<Uuid>().unwrap();
    crate::plans::set_plan(&mut app).await;
    let mpath = format!("/desa/sukamaju/musyawarah/{musdes}");
    app.post(
        &format!("{mpath}/adendum"),
        &[("body", "Nama notulis yang benar: Ibu Rina.")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    let other = meeting(&mut app, "musdus").await;
    attend(&mut app, &other, "Bu Wati", "P", None).await;
    app.post(&format!("{other}/status"), &[("status", "held")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(&format!("{other}/final"), &[])
        .await
        .assert(StatusCode::SEE_OTHER);
    let other_id = meeting_id(&other);
    let m = app.store.meeting(v.id, musdes).await.unwrap();
    let code = m.verification_code.clone().unwrap();
    let other_code = app
        .store
        .meeting(v.id, other_id)
        .await
        .unwrap()
        .verification_code
        .unwrap();

    // Honest: everything holds, and says which key signed it.
    let (ok, out) = verify(&app);
    assert!(ok && out.contains("checked 5 seals"), "{out}");
    let fingerprint =
        musdes::domain::seal::PublicKey::fingerprint(&app.store.keys().unwrap().current().key_id);
    app.get(&mpath)
        .await
        .assert(StatusCode::OK)
        .lacks(WARNING)
        .contains(&fingerprint);
    app.get(&format!("{mpath}/berita-acara"))
        .await
        .lacks(WARNING)
        .contains(&fingerprint);
    app.get(P).await.lacks(WARNING).contains(&fingerprint);
    assert!(
        verified(&mut app, &code)
            .await
            .contains(id_text("verify.found"))
    );
    let json: serde_json::Value =
        serde_json::from_str(&app.get(&format!("/api/v1{mpath}")).await.body).unwrap();
    assert_eq!(json["seal_ok"], true);
    assert_eq!(json["seal"]["sequence"], 1);
    // The public keys, and everything needed to check the seal offline.
    let keys: serde_json::Value =
        serde_json::from_str(&app.get("/verifikasi/kunci").await.body).unwrap();
    assert_eq!(keys["keys"][0]["algorithm"], "Ed25519");
    assert_eq!(
        keys["keys"][0]["id"],
        app.store.keys().unwrap().current().key_id
    );
    app.send(
        axum::http::Request::get("/verifikasi/kunci")
            .header("accept", "text/html")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .assert(StatusCode::OK)
    .contains(&fingerprint);
    let offline: serde_json::Value =
        serde_json::from_str(&app.get(&format!("/api/v1{mpath}/segel")).await.body).unwrap();
    offline_check(&keys, &offline["record"]);
    offline_check(&keys, &offline["addenda"][0]);
    let plan_seal: serde_json::Value =
        serde_json::from_str(&app.get(&format!("/api/v1{P}/segel")).await.body).unwrap();
    offline_check(&keys, &plan_seal["record"]);

    // 1. A sealed decision changed in the record.
    let (original, _) = app.store.frozen_record(musdes).await.unwrap();
    let forged = original.replacen("\"accepted\"", "\"rejected\"", 1);
    assert_ne!(forged, original);
    raw(
        &app,
        "UPDATE meetings SET record = $1 WHERE id = $2",
        &[t(&forged), V::Id(musdes)],
    )
    .await;
    app.get(&mpath)
        .await
        .contains(WARNING)
        .contains(id_text("seal.problem.content"));
    app.get(&format!("{mpath}/berita-acara"))
        .await
        .contains(WARNING);
    let json: serde_json::Value =
        serde_json::from_str(&app.get(&format!("/api/v1{mpath}")).await.body).unwrap();
    assert_eq!(json["seal_ok"], false);
    assert!(
        verified(&mut app, &code)
            .await
            .contains(id_text("verify.tampered"))
    );
    broken(&app, "a changed decision");

    // 2. ... with the plain SHA-256 and its code recomputed, as the old seal allowed.
    let (hash, new_code) = musdes::domain::meeting::seal(&forged);
    raw(
        &app,
        "UPDATE meetings SET content_hash = $1, verification_code = $2 WHERE id = $3",
        &[t(&hash), t(&new_code), V::Id(musdes)],
    )
    .await;
    assert!(
        verified(&mut app, &new_code)
            .await
            .contains(id_text("verify.tampered"))
    );
    app.get(&mpath).await.contains(WARNING);
    broken(&app, "a recomputed hash and code");
    let (hash, _) = musdes::domain::meeting::seal(&original);
    raw(
        &app,
        "UPDATE meetings SET record = $1, content_hash = $2, verification_code = $3 WHERE id = $4",
        &[t(&original), t(&hash), t(&code), V::Id(musdes)],
    )
    .await;
    app.get(&mpath).await.lacks(WARNING);
    assert!(verify(&app).0, "restored");

    // 3. An addendum inserted behind the application's back ("keputusan DIBATALKAN").
    let inserted = Uuid::now_v7();
    raw(&app, "INSERT INTO meeting_addenda (id, meeting_id, body, author_name, created_at) VALUES ($1, $2, $3, $4, $5)",
            &[V::Id(inserted), V::Id(musdes), t("Keputusan nomor 1 DIBATALKAN"), t("Kades"), V::At(chrono::Utc::now())]).await;
    app.get(&mpath)
        .await
        .contains("DIBATALKAN")
        .contains(WARNING)
        .contains(id_text("seal.problem.unsealed"));
    assert!(
        verified(&mut app, &code)
            .await
            .contains(id_text("verify.tampered"))
    );
    broken(&app, "an inserted addendum");
    raw(
        &app,
        "DELETE FROM meeting_addenda WHERE id = $1",
        &[V::Id(inserted)],
    )
    .await;
    assert!(verify(&app).0, "restored");

    // 4. The sealed addendum edited, then 5. deleted.
    let addendum = app.store.addenda(musdes).await.unwrap()[0].clone();
    raw(
        &app,
        "UPDATE meeting_addenda SET body = $1 WHERE id = $2",
        &[t("Keputusan nomor 1 DIBATALKAN."), V::Id(addendum.id)],
    )
    .await;
    app.get(&mpath).await.contains(WARNING);
    broken(&app, "an edited addendum");
    raw(
        &app,
        "DELETE FROM meeting_addenda WHERE id = $1",
        &[V::Id(addendum.id)],
    )
    .await;
    app.get(&mpath)
        .await
        .contains(WARNING)
        .contains(id_text("seal.problem.missing"));
    assert!(
        verified(&mut app, &code)
            .await
            .contains(id_text("verify.tampered"))
    );
    broken(&app, "a deleted addendum");
    raw(&app, "INSERT INTO meeting_addenda (id, meeting_id, body, author_name, created_at) VALUES ($1, $2, $3, $4, $5)",
            &[V::Id(addendum.id), V::Id(musdes), t(&addendum.body), t(&addendum.author_name), V::At(addendum.created_at)]).await;
    assert!(verify(&app).0, "restored");

    // 6. A cost changed in the adopted plan.
    let plan = app.store.plan(v.id, 2027).await.unwrap();
    let record = app.store.plan_record(plan.id).await.unwrap();
    let forged = record.replacen("60000000", "90000000", 1);
    assert_ne!(forged, record);
    raw(
        &app,
        "UPDATE plans SET record = $1 WHERE id = $2",
        &[t(&forged), V::Id(plan.id)],
    )
    .await;
    app.get(P).await.contains(WARNING);
    let json: serde_json::Value =
        serde_json::from_str(&app.get(&format!("/api/v1{P}")).await.body).unwrap();
    assert_eq!(json["adoption"]["seal"]["holds"], false);
    broken(&app, "a changed plan");
    raw(
        &app,
        "UPDATE plans SET record = $1 WHERE id = $2",
        &[t(&record), V::Id(plan.id)],
    )
    .await;
    assert!(verify(&app).0, "restored");

    // 7. A sealed meeting deleted: its seal stays in the chain, naming what is gone.
    raw(
        &app,
        "DELETE FROM meetings WHERE id = $1",
        &[V::Id(other_id)],
    )
    .await;
    app.get(&other).await.assert(StatusCode::NOT_FOUND);
    assert!(
        verified(&mut app, &code)
            .await
            .contains(id_text("seal.problem.missing"))
    );
    let (ok, out) = verify(&app);
    assert!(!ok && out.contains(&format!("meeting {other_id}")), "{out}");
    let _ = other_code;
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn deleting_or_inserting_a_chain_entry_breaks_the_chain(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, _, musdes) = scored(&mut app).await;
    crate::plans::set_plan(&mut app).await;
    let chain = app.store.chain(Some(v.id)).await.unwrap();
    assert_eq!(
        chain.len(),
        3,
        "the Musdes, the Musrenbangdes, then the plan"
    );
    assert_eq!(chain[1].prev_hash, chain[0].entry_hash);
    // The entry before the plan's deleted: the plan's entry no longer links to anything.
    let _ = musdes;
    raw(
        &app,
        "DELETE FROM seals WHERE kind = 'meeting' AND subject_id = $1",
        &[V::Id(chain[1].subject_id)],
    )
    .await;
    let (ok, out) = verify(&app);
    assert!(!ok && out.contains("seal chain is broken"), "{out}");
    app.get(P)
        .await
        .contains(WARNING)
        .contains(id_text("seal.problem.chain"));
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_village_moved_to_another_installation_still_verifies(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (_, _, musdes) = scored(&mut app).await;
    crate::plans::set_plan(&mut app).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sukamaju.json");
    let o = musdes_command(&app.url)
        .args([
            "export",
            "--village",
            "sukamaju",
            "--out",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        doc["public_keys"][0]["key_id"],
        app.store.keys().unwrap().current().key_id
    );
    // Another installation, with a key of its own.
    let mut there = TestApp::new(app.backend).await.unwrap();
    assert_ne!(
        there.store.keys().unwrap().current(),
        app.store.keys().unwrap().current()
    );
    // A forged export is refused whole.
    let mut forged = doc.clone();
    let rows = forged["tables"]["plans"].as_array_mut().unwrap();
    let record = rows[0]["record"]
        .as_str()
        .unwrap()
        .replacen("60000000", "90000000", 1);
    rows[0]["record"] = record.into();
    let bad = dir.path().join("palsu.json");
    std::fs::write(&bad, forged.to_string()).unwrap();
    let o = musdes_command(&there.url)
        .args(["import", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("does not match its seal"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // The real one loads, and every seal holds there.
    let o = musdes_command(&there.url)
        .args(["import", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (ok, out) = verify(&there);
    assert!(ok && out.contains("checked 3 seals"), "{out}");
    there.reload_keys();
    there.get(P).await.assert(StatusCode::OK).lacks(WARNING);
    let code = there
        .store
        .meeting(
            there.store.village_by_slug("sukamaju").await.unwrap().id,
            musdes.parse().unwrap(),
        )
        .await
        .unwrap()
        .verification_code
        .unwrap();
    assert!(
        verified(&mut there, &code)
            .await
            .contains(id_text("verify.found"))
    );
    // Both keys are published there.
    let keys: serde_json::Value =
        serde_json::from_str(&there.get("/verifikasi/kunci").await.body).unwrap();
    assert_eq!(keys["keys"].as_array().unwrap().len(), 2);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_rotated_key_signs_new_seals_and_old_ones_still_hold(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (_, _, _) = scored(&mut app).await;
    let before = app.store.keys().unwrap().current();
    let o = musdes_command(&app.url)
        .args(["key", "rotate"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // A restarted server signs with the new key and still trusts the old one.
    let rotated =
        musdes::config::load_or_create_keys(&crate::common::test_key_path(&app.url)).unwrap();
    assert_ne!(rotated.current(), before);
    app.store = app.store.clone().with_keys(rotated);
    app.set_config(app.config.clone());
    crate::plans::set_plan(&mut app).await;
    let chain = app.store.chain(None).await.unwrap();
    assert_eq!(chain[0].key_id, before.key_id);
    assert_ne!(chain[1].key_id, before.key_id);
    assert!(verify(&app).0);
    app.get(P).await.lacks(WARNING);
}

/// Checks a published seal as an outsider would, with nothing but the JSON and the
/// published keys: the signed text is the entry's fields, its hash is the entry hash, the
/// signature verifies with the named key, and the content hashes to the entry's hash.
fn offline_check(keys: &serde_json::Value, sealed: &serde_json::Value) {
    use base64::Engine;
    use ed25519_dalek::Verifier;
    use sha2::Digest;
    let hex = |b: &[u8]| {
        sha2::Sha256::digest(b)
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect::<String>()
    };
    let e = &sealed["entry"];
    let signed = sealed["signed"].as_str().unwrap();
    for (field, line) in [
        ("village_id", "village"),
        ("seq", "seq"),
        ("kind", "kind"),
        ("subject_id", "subject"),
        ("content_hash", "content"),
        ("prev_hash", "prev"),
        ("key_id", "key"),
    ] {
        let value = match &e[field] {
            serde_json::Value::String(s) => s.clone(),
            v => v.to_string(),
        };
        assert!(
            signed.contains(&format!("\n{line}:{value}\n")),
            "{line} in {signed}"
        );
    }
    assert_eq!(hex(signed.as_bytes()), e["entry_hash"].as_str().unwrap());
    assert_eq!(
        hex(sealed["content"].as_str().unwrap().as_bytes()),
        e["content_hash"].as_str().unwrap()
    );
    let key = keys["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == e["key_id"])
        .expect("the key is published");
    let b64 = base64::engine::general_purpose::STANDARD;
    let public: [u8; 32] = b64
        .decode(key["public_key"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    let signature: [u8; 64] = b64
        .decode(e["signature"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    ed25519_dalek::VerifyingKey::from_bytes(&public)
        .unwrap()
        .verify(
            signed.as_bytes(),
            &ed25519_dalek::Signature::from_bytes(&signature),
        )
        .expect("the signature verifies offline");
}

/// Sends a scan of the signed paper as the meeting page's form does.
async fn upload_scan(
    app: &mut TestApp,
    path: &str,
    token: &str,
    label: &str,
    file: &[u8],
    kind: &str,
) -> crate::common::Reply {
    use axum::body::Body;
    use axum::http::{Request, header};
    let boundary = "musdesPINDAI";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"label\"\r\n\r\n{label}\r\n"
    )
    .into_bytes();
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ba\"\r\nContent-Type: {kind}\r\n\r\n").as_bytes());
    body.extend(file);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    let request = Request::post(format!("{path}/pindaian?csrf_token={token}"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn the_signed_paper_is_attached_in_the_hall_or_after_finalization_sealed_and_listed(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, groups, numbers) = crate::meetings::setup(&mut app).await;
    let path = crate::meetings::decided_meeting(&mut app, groups, &numbers).await;
    let id = meeting_id(&path);
    let pdf: &[u8] =
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    let token = app.csrf_token().await;
    // In the hall, before finalization: a photo of the signed daftar hadir is kept,
    // unsealed, seen only by those who record the meeting; a wrong one can be removed.
    upload_scan(
        &mut app,
        &path,
        &token,
        "daftar_hadir",
        crate::implementation::PNG,
        "image/png",
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    upload_scan(
        &mut app,
        &path,
        &token,
        "berita_acara",
        pdf,
        "application/pdf",
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    let waiting = app.store.scans(id).await.unwrap();
    assert_eq!(waiting.len(), 2);
    app.get(&path)
        .await
        .contains("Daftar hadir bertanda tangan (PNG")
        .contains(id_text("meeting.scan_unsealed"))
        .contains(id_text("meeting.add_scan_before"));
    assert!(
        app.store
            .chain(Some(v.id))
            .await
            .unwrap()
            .iter()
            .all(|e| e.kind != "scan"),
        "nothing sealed before the record"
    );
    assert!(app.store.verify_seals(Some(v.id)).await.unwrap().is_empty());
    app.post(&format!("{path}/pindaian/{}/hapus", waiting[1].id), &[])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(&format!("{path}/pindaian/{}/hapus", waiting[1].id), &[])
        .await
        .assert(StatusCode::NOT_FOUND);
    let photo = waiting[0].id;
    app.forget_cookies();
    app.get(&path)
        .await
        .lacks("Daftar hadir bertanda tangan (PNG");
    let hidden = app.get(&format!("{path}/pindaian/{photo}")).await;
    assert_ne!(
        hidden.status,
        StatusCode::OK,
        "an unfinished record's photo is not public"
    );
    app.login_as("kades@desa.id", Role::Official, Some(&v))
        .await;
    app.post(&format!("{path}/final"), &[])
        .await
        .assert(StatusCode::SEE_OTHER);
    // Finalized: the photo is sealed after the record, and stays.
    let chain = app.store.chain(Some(v.id)).await.unwrap();
    let sealed: Vec<_> = chain.iter().filter(|e| e.kind == "scan").collect();
    assert_eq!(sealed.len(), 1);
    assert_eq!(sealed[0].subject_id, photo);
    assert_eq!(sealed[0].parent_id, Some(id));
    assert!(app.store.verify_seals(Some(v.id)).await.unwrap().is_empty());
    app.post(&format!("{path}/pindaian/{photo}/hapus"), &[])
        .await
        .assert(StatusCode::CONFLICT);
    let token = app.csrf_token().await;
    // Without the token, 403; not a PDF nor a photo, or no file, 422 with the reason.
    upload_scan(
        &mut app,
        &path,
        "palsu",
        "berita_acara",
        pdf,
        "application/pdf",
    )
    .await
    .assert(StatusCode::FORBIDDEN);
    let before = app.store.row_counts().await.unwrap();
    upload_scan(
        &mut app,
        &path,
        &token,
        "berita_acara",
        b"<html>bukan berkas</html>",
        "application/pdf",
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.scan_type"));
    upload_scan(
        &mut app,
        &path,
        &token,
        "berita_acara",
        b"",
        "application/pdf",
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.scan_missing"));
    upload_scan(&mut app, &path, &token, "surat", pdf, "application/pdf")
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.store.row_counts().await.unwrap(),
        before,
        "nothing stored"
    );
    // The signed berita acara as a PDF, the daftar hadir as a photo.
    upload_scan(
        &mut app,
        &path,
        &token,
        "berita_acara",
        pdf,
        "application/pdf",
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    upload_scan(
        &mut app,
        &path,
        &token,
        "daftar_hadir",
        crate::implementation::PNG,
        "image/png",
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    let mut scans = app.store.scans(id).await.unwrap();
    assert_eq!(scans.len(), 3);
    assert_eq!(scans.remove(0).id, photo, "the hall's photo first");
    // Anyone sees them listed, and fetches them as sealed.
    app.forget_cookies();
    let page = app.get(&path).await;
    page.contains("Berita acara bertanda tangan (PDF")
        .contains("Daftar hadir bertanda tangan (PNG")
        .contains(&scans[0].sha256[..16])
        .lacks("Lampirkan dan segel");
    let file = app.get(&format!("{path}/pindaian/{}", scans[0].id)).await;
    file.assert(StatusCode::OK);
    assert_eq!(file.header("content-type"), "application/pdf");
    assert!(file.header("content-disposition").starts_with("attachment"));
    assert_eq!(file.body.as_bytes(), pdf);
    let api: serde_json::Value =
        serde_json::from_str(&app.get(&format!("/api/v1{path}")).await.body).unwrap();
    assert_eq!(api["scans"].as_array().unwrap().len(), 3);
    assert_eq!(api["scans"][1]["sha256"], scans[0].sha256.as_str());
    assert_eq!(api["seal_ok"], true);
    // Each is an entry of the village's chain; a file changed in the database is caught.
    let chain = app.store.chain(Some(v.id)).await.unwrap();
    assert_eq!(chain.iter().filter(|e| e.kind == "scan").count(), 3);
    assert!(app.store.verify_seals(Some(v.id)).await.unwrap().is_empty());
    raw(
        &app,
        "UPDATE meeting_scans SET bytes = $1 WHERE id = $2",
        &[V::B(b"%PDF-1.4 forged %%EOF".to_vec()), V::Id(scans[0].id)],
    )
    .await;
    app.get(&format!("{path}/pindaian/{}", scans[0].id))
        .await
        .assert(StatusCode::CONFLICT);
    let problems = app.store.verify_seals(Some(v.id)).await.unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    app.get(&format!("{path}/pindaian/{}", Uuid::new_v4()))
        .await
        .assert(StatusCode::NOT_FOUND);
}
