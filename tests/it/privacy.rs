//! No resident's phone number or e-mail on any public page or in any JSON: a reader
//! without an account walks every link of a populated village and its open data.

use std::collections::{BTreeSet, VecDeque};

use axum::http::StatusCode;

use crate::common::{Backend, TestApp, id_text};
use rstest::rstest;

const GROUP_PHONE: &str = "0813-9999-1234";
const PROPOSAL_PHONE: &str = "0812-7777-5555";
/// More pages than the demo village has: the walk must end by running out of links.
const MOST_PAGES: usize = 2_000;

/// The site's own pages a page links to (no assets, no fragments).
fn links(body: &str) -> Vec<String> {
    body.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|h| h.replace("&amp;", "&"))
        .filter(|h| h.starts_with('/') && !h.starts_with("//") && !h.starts_with("/static/"))
        .map(|h| h.split('#').next().unwrap_or_default().to_string())
        .collect()
}

/// Enters what is private: a group's contact phone and a paper proposal's phone.
async fn personal_data(app: &mut TestApp) {
    let slug = musdes::demo::SLUG;
    let facilitator = musdes::demo::ACCOUNTS[2].0;
    app.login(facilitator, musdes::demo::PASSWORD)
        .await
        .assert(StatusCode::SEE_OTHER);
    app.post(
        &format!("/desa/{slug}/kelompok"),
        &[
            ("name", "Kelompok Nelayan Mina Jaya"),
            ("kind", "nelayan"),
            ("members", "45"),
            ("since_year", "2012"),
            ("relation", "passive"),
            ("roles", "planning"),
            ("contact_name", "Pak Rasman"),
            ("contact_phone", GROUP_PHONE),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    let proposal = app
        .post(
            &format!("/desa/{slug}/usulan"),
            &[
                ("title", "Perbaikan perahu nelayan"),
                ("problem", "Perahu bocor dan tidak bisa melaut"),
                ("description", ""),
                ("bidang", "03"),
                ("location", "Pantai"),
                ("estimated_cost", "5000000"),
                ("proposer_name", "Pak Rasman"),
                ("phone", PROPOSAL_PHONE),
                ("channel", "paper"),
                ("confirmed", "1"),
            ],
        )
        .await;
    proposal.assert(StatusCode::SEE_OTHER);
    // Stored and shown to staff, who may need to call the proposer back; the walk below
    // looks for something that is there.
    app.get(proposal.location())
        .await
        .contains(PROPOSAL_PHONE)
        .contains(id_text("proposal.phone_staff_only"));
    let groups = app.get(&format!("/desa/{slug}/kelompok")).await;
    let mut shown = false;
    for l in links(&groups.body)
        .into_iter()
        .filter(|l| l.starts_with(&format!("/desa/{slug}/kelompok/")))
    {
        shown |= app.get(&l).await.body.contains(GROUP_PHONE);
    }
    assert!(shown, "staff see the group's phone");
    app.logout().await;
    app.forget_cookies();
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn no_public_page_or_json_shows_a_residents_phone_or_email(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    musdes::demo::load(&app.store).await.unwrap();
    personal_data(&mut app).await;
    let slug = musdes::demo::SLUG;
    let private: Vec<&str> = musdes::demo::ACCOUNTS
        .iter()
        .map(|(email, _, _)| *email)
        .chain([
            GROUP_PHONE,
            PROPOSAL_PHONE,
            "0813 9999 1234",
            "081277775555",
        ])
        .collect();

    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from(["/".to_string(), format!("/desa/{slug}")]);
    let mut walked = 0;
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        assert!(seen.len() < MOST_PAGES, "the walk does not end");
        let page = app.get(&path).await;
        // The walk stays anonymous: a page that opened a session is not a public page.
        app.forget_cookies();
        assert!(page.status.as_u16() < 500, "{path}: {}", page.status);
        for p in &private {
            assert!(!page.body.contains(p), "{path} shows {p}");
        }
        walked += 1;
        if page.status == StatusCode::OK {
            queue.extend(links(&page.body).into_iter().filter(|l| !seen.contains(l)));
            // Each page's open data twin, where there is one.
            let bare = path.split('?').next().unwrap_or_default();
            if bare.starts_with("/desa/") {
                queue.push_back(format!("/api/v1{bare}"));
            }
        }
    }
    // The walk reached the proposals, meetings, groups, plans and their open data.
    for part in [
        "/usulan/",
        "/musyawarah/",
        "/kelompok/",
        "/rkp/",
        "/api/v1/desa/",
    ] {
        assert!(
            seen.iter().any(|p| p.contains(part)),
            "no page under {part} in {seen:?}"
        );
    }
    assert!(walked > 40, "only {walked} pages walked");
}
