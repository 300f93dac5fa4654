use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use musdes::domain::account::Role;
use musdes::domain::proposal::Status;

use crate::common::{Backend, Reply, TestApp, id_text};
use rstest::rstest;

/// A real 2 × 2 PNG (it must decode: every photo is drawn afresh before it is kept).
pub(crate) const PNG: &[u8] = b"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x02\x00\x00\x00\x02\x08\x06\x00\x00\x00\x72\xb6\x0d\x24\x00\x00\x00\x15\x49\x44\x41\x54\x78\x9c\x63\x90\xab\xb0\xf9\x0f\xc2\x0c\x27\xb8\xb8\xfe\x83\x30\x00\x3e\xc4\x07\x59\xf9\x02\x74\xc2\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

/// A phone's JPEG: a picture with an EXIF block holding where it was taken, then HTML
/// riding along after the image (a polyglot).
fn phone_jpeg() -> Vec<u8> {
    let picture = image::RgbImage::from_pixel(32, 24, image::Rgb([30, 120, 60]));
    let mut jpeg = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .unwrap();
    let jpeg = jpeg.into_inner();
    let exif = b"Exif\0\0GPSLatitude -7.0123 GPSLongitude 110.4321";
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((exif.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(exif);
    out.extend_from_slice(&jpeg[2..]);
    out.extend_from_slice(b"<html><script>alert(document.cookie)</script></html>");
    out
}

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
    let mut from = Status::Submitted;
    for (version, to) in
        (p.version..).zip([Status::Accepted, Status::InProgress, Status::Completed])
    {
        app.store
            .change_status(
                v.id,
                p.id,
                version,
                (from, to),
                None,
                &musdes::store::Actor::new(admin, "Musdes"),
            )
            .await
            .unwrap();
        from = to;
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
    upload_at(app, &format!("{path}/kemajuan"), token, progress, photo).await
}

/// A progress form (`progress`, a note, an optional photo) sent as multipart to `target`.
pub(crate) async fn upload_at(
    app: &mut TestApp,
    target: &str,
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
        Some(t) => format!("{target}?csrf_token={t}"),
        None => target.to_string(),
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
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_facilitator_reports_progress_with_a_photo_kept_in_the_database(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let path = accepted_proposal(&mut app, "in_progress").await;
    let v = app.store.village_by_slug("sukamaju").await.unwrap();
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    let token = app.csrf_token().await;
    app.get(&path)
        .await
        .contains("enctype=\"multipart/form-data\"");
    upload(&mut app, &path, None, "40", Some(("a.png", PNG)))
        .await
        .assert(StatusCode::FORBIDDEN);
    upload(
        &mut app,
        &path,
        Some(&token),
        "40",
        Some(("bukan.jpg", b"<html>bukan foto</html>")),
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.photo_type"))
    .contains("Pondasi dan dinding selesai");
    let mut big = vec![0xFF, 0xD8, 0xFF];
    big.resize(5 * 1024 * 1024 + 10, 0);
    upload(
        &mut app,
        &path,
        Some(&token),
        "40",
        Some(("besar.jpg", &big)),
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains("paling besar 5 MB");
    let mut huge = vec![0xFF, 0xD8, 0xFF];
    huge.resize(7 * 1024 * 1024, 0);
    upload(
        &mut app,
        &path,
        Some(&token),
        "40",
        Some(("raksasa.jpg", &huge)),
    )
    .await
    .assert(StatusCode::PAYLOAD_TOO_LARGE);
    upload(&mut app, &path, Some(&token), "140", None)
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.progress"));
    upload(&mut app, &path, Some(&token), "40", Some(("foto.png", PNG)))
        .await
        .assert(StatusCode::SEE_OTHER);
    let page = app.get(&path).await;
    page.contains("<strong>40%</strong>")
        .contains(id_text("event.progress"));
    let src = page
        .body
        .split("class=\"photo\" src=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    app.forget_cookies();
    let photo = app.get(&src).await;
    photo.assert(StatusCode::OK);
    assert_eq!(photo.header("content-type"), "image/png");
    assert_eq!(image::load_from_memory(&photo.raw).unwrap().width(), 2);
    // A phone photo loses its GPS position and whatever rode along after the picture.
    app.login("pendamping@desa.id", crate::common::PASSWORD)
        .await;
    let token = app.csrf_token().await;
    upload(
        &mut app,
        &path,
        Some(&token),
        "45",
        Some(("rumah.jpg", &phone_jpeg())),
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    let page = app.get(&path).await;
    let src = page
        .body
        .split("class=\"photo\" src=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let photo = app.get(&src).await;
    assert_eq!(photo.header("content-type"), "image/jpeg");
    let has = |needle: &[u8]| photo.raw.windows(needle.len()).any(|w| w == needle);
    assert!(
        !has(b"GPSLatitude") && !has(b"Exif") && !has(b"<script"),
        "metadata or markup kept"
    );
    assert_eq!(image::load_from_memory(&photo.raw).unwrap().width(), 32);
    // A file claiming 10,000 × 5,000 pixels is refused with a message, before decoding.
    let mut claim = PNG[..16].to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(10_000u32.to_be_bytes());
    ihdr.extend(5_000u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    claim.truncate(12);
    claim.extend(&ihdr);
    claim.extend(crc32fast::hash(&ihdr).to_be_bytes());
    let idat = b"IDAT\x78\x9c\x63\x00\x00";
    claim.extend(5u32.to_be_bytes());
    claim.extend(idat);
    claim.extend(crc32fast::hash(idat).to_be_bytes());
    let before = app.store.row_counts().await.unwrap();
    upload(
        &mut app,
        &path,
        Some(&token),
        "50",
        Some(("besar.png", &claim)),
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.photo_too_many_pixels"));
    upload(
        &mut app,
        &path,
        Some(&token),
        "50",
        Some(("rusak.jpg", b"\xFF\xD8\xFF<html>bukan</html>")),
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.photo_unreadable"));
    assert_eq!(
        app.store.row_counts().await.unwrap(),
        before,
        "nothing stored"
    );
    app.logout().await;
    // Residents do not report progress.
    app.login_as("warga2@desa.id", Role::Resident, Some(&v))
        .await;
    let token = app.csrf_token().await;
    upload(&mut app, &path, Some(&token), "50", None)
        .await
        .assert(StatusCode::FORBIDDEN);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn residents_rate_a_completed_proposal_and_the_average_shows(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let path = accepted_proposal(&mut app, "in_progress").await;
    let v = app.store.village_by_slug("sukamaju").await.unwrap();
    app.login("warga@desa.id", crate::common::PASSWORD).await;
    app.post(&format!("{path}/evaluasi"), &[("rating", "5")])
        .await
        .assert(StatusCode::CONFLICT);
    let p = app
        .store
        .proposal_by_number(v.id, path.rsplit('/').next().unwrap())
        .await
        .unwrap();
    let admin = app.store.user_by_email("admin@kab.id").await.unwrap().id;
    app.store
        .change_status(
            v.id,
            p.id,
            p.version,
            (Status::InProgress, Status::Completed),
            None,
            &musdes::store::Actor::new(admin, "Kades"),
        )
        .await
        .unwrap();
    app.post(
        &format!("{path}/evaluasi"),
        &[("rating", "6"), ("reflection", "Bagus")],
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY)
    .contains(id_text("error.rating"))
    .contains("Bagus");
    app.post(
        &format!("{path}/evaluasi"),
        &[("rating", "4"), ("reflection", "Balai dipakai tiap minggu")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.logout().await;
    app.login_as("tetangga@desa.id", Role::Resident, Some(&v))
        .await;
    app.post(&format!("{path}/evaluasi"), &[("rating", "5")])
        .await
        .assert(StatusCode::SEE_OTHER);
    // A second rating by the same person replaces the first.
    app.post(&format!("{path}/evaluasi"), &[("rating", "5")])
        .await
        .assert(StatusCode::SEE_OTHER);
    app.get(&path)
        .await
        .contains("<strong>4,5</strong> / 5 (2 penilaian)")
        .contains("Balai dipakai tiap minggu")
        .contains(id_text("status.evaluated"));
    let json: serde_json::Value =
        serde_json::from_str(&app.get(&format!("/api/v1{path}")).await.body).unwrap();
    assert_eq!(json["status"], "evaluated");
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn a_resident_observes_the_work_with_a_photo_and_it_shows_once_published(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };
    let path = accepted_proposal(&mut app, "in_progress").await;
    let v = app.store.village_by_slug("sukamaju").await.unwrap();
    let observe = format!("{path}/pengamatan");
    app.login_as("tetangga@desa.id", Role::Resident, Some(&v))
        .await;
    let token = app.csrf_token().await;
    app.get(&path)
        .await
        .contains(id_text("progress.observe_title"));
    // Without a photo, or a percent out of range: 422, what was typed kept, nothing stored.
    let before = app.store.row_counts().await.unwrap();
    upload_at(&mut app, &observe, Some(&token), "60", None)
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.observation_photo"))
        .contains("Pondasi dan dinding selesai");
    upload_at(
        &mut app,
        &observe,
        Some(&token),
        "160",
        Some(("a.png", PNG)),
    )
    .await
    .assert(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.store.row_counts().await.unwrap(), before);
    upload_at(&mut app, &observe, Some(&token), "60", Some(("a.png", PNG)))
        .await
        .assert(StatusCode::SEE_OTHER);
    let p = app
        .store
        .proposal_by_number(v.id, path.rsplit('/').next().unwrap())
        .await
        .unwrap();
    let updates = app.store.progress_updates(p.id).await.unwrap();
    let (observation, photo) = (updates[0].id, updates[0].photos[0]);
    assert!(updates[0].by_resident);
    let photo_path = format!("{path}/foto/{photo}");
    // Not shown to the public, nor its photo, nor counted, before the staff look at it.
    app.logout().await;
    app.get(&path)
        .await
        .lacks(id_text("progress.observation_badge"));
    app.get(&photo_path).await.assert(StatusCode::NOT_FOUND);
    app.get("/desa/sukamaju/statistik")
        .await
        .contains("<dd id=\"pengamatan-warga\">0</dd>");

    // The facilitator sees it waiting; hiding needs a reason; publishing shows it.
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    let moderate = format!("{path}/pengamatan/{observation}/moderasi");
    app.get("/desa/sukamaju/tindakan")
        .await
        .contains(id_text("worklist.observations"))
        .contains("Pondasi dan dinding selesai");
    app.get(&path)
        .await
        .contains(id_text("progress.observation_pending"))
        .contains(&moderate);
    app.get(&photo_path).await.assert(StatusCode::OK);
    app.post(&moderate, &[("decision", "hide"), ("reason", "")])
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains(id_text("error.hide_reason"));
    app.post(&moderate, &[("decision", "publish")])
        .await
        .assert(StatusCode::SEE_OTHER);
    // Decided once: a second answer is a conflict.
    app.post(
        &moderate,
        &[("decision", "hide"), ("reason", "Bukan lokasi")],
    )
    .await
    .assert(StatusCode::CONFLICT);
    // A resident cannot moderate.
    app.logout().await;
    app.login_as("tetangga@desa.id", Role::Resident, Some(&v))
        .await;
    app.post(&moderate, &[("decision", "publish")])
        .await
        .assert(StatusCode::FORBIDDEN);
    app.logout().await;
    app.get(&path)
        .await
        .contains(id_text("progress.observation_badge"))
        .contains("60%");
    app.get(&photo_path).await.assert(StatusCode::OK);
    app.get("/desa/sukamaju/statistik")
        .await
        .contains("<dd id=\"pengamatan-warga\">1</dd>");
    // The village's own progress figure is not the resident's estimate.
    let standing = app.store.standings(&[p.id]).await.unwrap();
    assert_eq!(standing[0].progress, None);
}
