use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use musdes::domain::account::Role;

use crate::common::{Reply, TestApp, dual};

pub(crate) const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

/// A published proposal moved along as a finalized meeting would, to `status`.
async fn accepted_proposal(app: &mut TestApp, status: &str) -> String {
    let v = app.village("sukamaju").await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    let r = app
        .post(
            "/desa/sukamaju/usulan",
            &[
                ("title", "Balai dusun"),
                ("problem", "Tidak ada tempat musyawarah"),
                ("bidang", "02"),
            ],
        )
        .await;
    let path = r.location().to_string();
    app.logout().await;
    let p = app
        .store
        .proposal_by_number(v.id, path.rsplit('/').next().unwrap())
        .await
        .unwrap();
    let admin = app.account("admin@kab.id", Role::Admin, None).await;
    let mut from = "submitted".to_string();
    for (version, to) in (p.version..).zip(["accepted", "in_progress", "completed"]) {
        app.store
            .change_status(v.id, p.id, version, &from, to, None, admin, "Musdes")
            .await
            .unwrap();
        from = to.to_string();
        if to == status {
            break;
        }
    }
    path
}

pub(crate) async fn upload(
    app: &mut TestApp,
    path: &str,
    token: Option<&str>,
    progress: &str,
    photo: Option<(&str, &[u8])>,
) -> Reply {
    let boundary = "musdesBATAS";
    let mut body: Vec<u8> = Vec::new();
    for (name, value) in [
        ("progress", progress),
        ("note", "Pondasi dan dinding selesai"),
    ] {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((filename, bytes)) = photo {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"{filename}\"\r\nContent-Type: image/jpeg\r\n\r\n").as_bytes());
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    let uri = match token {
        Some(t) => format!("{path}/kemajuan?csrf_token={t}"),
        None => format!("{path}/kemajuan"),
    };
    let request = Request::post(uri)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

dual! {
    async fn a_facilitator_reports_progress_with_a_photo_kept_in_the_database(app) {
        let path = accepted_proposal(&mut app, "in_progress").await;
        let v = app.store.village_by_slug("sukamaju").await.unwrap();
        app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v)).await;
        let token = app.csrf_token().await;
        app.get(&path).await.contains("enctype=\"multipart/form-data\"");
        upload(&mut app, &path, None, "40", Some(("a.png", PNG))).await.assert(StatusCode::FORBIDDEN);
        upload(&mut app, &path, Some(&token), "40", Some(("bukan.jpg", b"<html>bukan foto</html>"))).await
            .assert(StatusCode::UNPROCESSABLE_ENTITY).contains("bukan foto JPEG, PNG atau WebP").contains("Pondasi dan dinding selesai");
        let mut big = vec![0xFF, 0xD8, 0xFF];
        big.resize(5 * 1024 * 1024 + 10, 0);
        upload(&mut app, &path, Some(&token), "40", Some(("besar.jpg", &big))).await
            .assert(StatusCode::UNPROCESSABLE_ENTITY).contains("paling besar 5 MB");
        let mut huge = vec![0xFF, 0xD8, 0xFF];
        huge.resize(7 * 1024 * 1024, 0);
        upload(&mut app, &path, Some(&token), "40", Some(("raksasa.jpg", &huge))).await.assert(StatusCode::PAYLOAD_TOO_LARGE);
        upload(&mut app, &path, Some(&token), "140", None).await.assert(StatusCode::UNPROCESSABLE_ENTITY).contains("Tulis angka 0–100.");
        upload(&mut app, &path, Some(&token), "40", Some(("foto.png", PNG))).await.assert(StatusCode::SEE_OTHER);
        let page = app.get(&path).await;
        page.contains("<strong>40%</strong>").contains("Laporan kemajuan");
        let src = page.body.split("class=\"photo\" src=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
        app.forget_cookies();
        let photo = app.get(&src).await;
        photo.assert(StatusCode::OK);
        assert_eq!(photo.header("content-type"), "image/png");
        assert_eq!(photo.bytes, PNG.len());
        // Residents do not report progress.
        app.login_as("warga2@desa.id", Role::Resident, Some(&v)).await;
        let token = app.csrf_token().await;
        upload(&mut app, &path, Some(&token), "50", None).await.assert(StatusCode::FORBIDDEN);
    }

    async fn residents_rate_a_completed_proposal_and_the_average_shows(app) {
        let path = accepted_proposal(&mut app, "in_progress").await;
        let v = app.store.village_by_slug("sukamaju").await.unwrap();
        app.login("warga@desa.id", crate::common::PASSWORD).await;
        app.post(&format!("{path}/evaluasi"), &[("rating", "5")]).await.assert(StatusCode::CONFLICT);
        let p = app.store.proposal_by_number(v.id, path.rsplit('/').next().unwrap()).await.unwrap();
        let admin = app.store.user_by_email("admin@kab.id").await.unwrap().id;
        app.store.change_status(v.id, p.id, p.version, "in_progress", "completed", None, admin, "Kades").await.unwrap();
        app.post(&format!("{path}/evaluasi"), &[("rating", "6"), ("reflection", "Bagus")]).await
            .assert(StatusCode::UNPROCESSABLE_ENTITY).contains("Pilih nilai 1 sampai 5.").contains("Bagus");
        app.post(&format!("{path}/evaluasi"), &[("rating", "4"), ("reflection", "Balai dipakai tiap minggu")]).await.assert(StatusCode::SEE_OTHER);
        app.logout().await;
        app.login_as("tetangga@desa.id", Role::Resident, Some(&v)).await;
        app.post(&format!("{path}/evaluasi"), &[("rating", "5")]).await.assert(StatusCode::SEE_OTHER);
        // A second rating by the same person replaces the first.
        app.post(&format!("{path}/evaluasi"), &[("rating", "5")]).await.assert(StatusCode::SEE_OTHER);
        app.get(&path).await.contains("<strong>4,5</strong> / 5 (2 penilaian)").contains("Balai dipakai tiap minggu").contains("Dievaluasi");
        let json: serde_json::Value = serde_json::from_str(&app.get(&format!("/api/v1{path}")).await.body).unwrap();
        assert_eq!(json["status"], "evaluated");
    }
}
