//! Injection: markup and SQL typed into every text field of every form a staff member and
//! the admin can reach in a populated village; then every page and every JSON answer is
//! read back. The payloads must come back as text, never as markup, and never change a
//! query.

use std::collections::{BTreeSet, VecDeque};

use axum::http::StatusCode;
use scraper::{Html, Selector};

use crate::common::{Backend, TestApp};
use rstest::rstest;

/// Sent through every form twice: once with markup in every text field, once with SQL.
const PAYLOADS: &[&str] = &[
    "<script>alert('xss')</script>\"><img src=x onerror=alert(1)></textarea><svg onload=alert(1)>",
    "' OR '1'='1'; DROP TABLE proposals; -- 1) UNION SELECT password_hash FROM users --",
];

/// What must never appear raw in a page: a payload turned into markup.
const RAW: &[&str] = &["<script>alert", "<img src=x", "<svg onload"];

/// Forms not sent: they end the session, freeze, remove or merge what the walk still needs.
const SKIP: &[&str] = &[
    "/keluar",
    "/akun/sesi/akhiri",
    "/final",
    "/hapus",
    "/masuk",
    "/tarik",
    "/gabung",
    "/cabut",
    "/kemajuan",
    "/musrenbangdes",
    "/perdes",
];

/// Fields that hold a number, a code, a date or an address rather than words: a value of
/// their kind, so that the form's words get through.
fn structured(name: &str) -> Option<&'static str> {
    const NUMBERS: &[&str] = &[
        "members",
        "population",
        "households",
        "invited_count",
        "votes",
        "amount",
        "cost",
        "pagu",
        "weight",
        "max",
        "progress",
        "rating",
        "min_women",
        "ladder_",
        "month",
        "version",
    ];
    Some(match name {
        n if n.contains("year") => "2020",
        n if NUMBERS.iter().any(|k| n.contains(k)) => "3",
        n if n.contains("phone") => "0812-3456-7890",
        n if n.contains("email") => "injeksi@desa.id",
        n if n.contains("scheduled_at") => "2026-12-01T09:00",
        "slug" => musdes::demo::SLUG,
        "code" => "",
        _ => return None,
    })
}

const MOST_PAGES: usize = 3_000;

fn links(body: &str) -> Vec<String> {
    let doc = Html::parse_document(body);
    let a = Selector::parse("a[href]").unwrap();
    doc.select(&a)
        .filter_map(|e| e.value().attr("href"))
        .filter(|h| h.starts_with('/') && !h.starts_with("//") && !h.starts_with("/static/"))
        .map(|h| h.split('#').next().unwrap_or_default().to_string())
        .collect()
}

/// A form as a browser would fill it, with a payload in every text field.
struct Filled {
    method: String,
    action: String,
    fields: Vec<(String, String)>,
}

fn fill_forms(body: &str, page: &str, payload: &str, turn: &mut usize) -> Vec<Filled> {
    let doc = Html::parse_document(body);
    let form_sel = Selector::parse("form").unwrap();
    let input_sel = Selector::parse("input, textarea, select").unwrap();
    let option_sel = Selector::parse("option").unwrap();
    let mut out = Vec::new();
    for form in doc.select(&form_sel) {
        let method = form
            .value()
            .attr("method")
            .unwrap_or("get")
            .to_ascii_lowercase();
        let action = form.value().attr("action").unwrap_or(page).to_string();
        if form.value().attr("enctype").is_some() {
            continue;
        }
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut radios = BTreeSet::new();
        for el in form.select(&input_sel) {
            let Some(name) = el.value().attr("name") else {
                continue;
            };
            let kind = el.value().attr("type").unwrap_or("text");
            let value = match (el.value().name(), kind) {
                ("select", _) => el
                    .select(&option_sel)
                    .filter_map(|o| o.value().attr("value"))
                    .find(|v| !v.is_empty())
                    .unwrap_or("")
                    .to_string(),
                (_, "hidden") => el.value().attr("value").unwrap_or("").to_string(),
                (_, "checkbox") => el.value().attr("value").unwrap_or("on").to_string(),
                (_, "radio") => {
                    if !radios.insert(name.to_string()) {
                        continue;
                    }
                    el.value().attr("value").unwrap_or("").to_string()
                }
                (_, "number") => "3".into(),
                (_, "email") => "injeksi@desa.id".into(),
                (_, "password") => "kata-sandi-panjang-2026".into(),
                (_, "datetime-local") => "2026-12-01T09:00".into(),
                (_, "date") => "2026-12-01".into(),
                (_, "submit" | "button" | "file") => continue,
                _ if structured(name).is_some() => structured(name).unwrap_or_default().to_string(),
                _ => {
                    *turn += 1;
                    format!("Isian {} {payload}", *turn)
                }
            };
            fields.push((name.to_string(), value));
        }
        out.push(Filled {
            method,
            action: action.replace("&amp;", "&"),
            fields,
        });
    }
    out
}

/// The same action for another thing (another proposal, meeting, …) is the same form.
fn shape(action: &str) -> String {
    action
        .split('/')
        .map(|p| {
            if p.chars().any(|c| c.is_ascii_digit()) {
                "#"
            } else {
                p
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Walks the site from `start` as the current visitor; every page's body, with its path.
pub(crate) async fn walk(
    app: &mut TestApp,
    start: &[String],
) -> Vec<(String, StatusCode, String, String)> {
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<String> = start.iter().cloned().collect();
    let mut pages = Vec::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) || path.starts_with("/keluar") {
            continue;
        }
        assert!(seen.len() < MOST_PAGES, "the walk does not end");
        let r = app.get(&path).await;
        if r.header("content-type").starts_with("text/html") {
            queue.extend(links(&r.body));
            if let Some(rest) = path.strip_prefix("/desa/") {
                queue.push_back(format!(
                    "/api/v1/desa/{}",
                    rest.split('?').next().unwrap_or(rest)
                ));
            }
        }
        pages.push((path, r.status, r.header("content-type").to_string(), r.body));
    }
    pages
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn markup_and_sql_in_every_text_field_come_back_as_text(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    musdes::demo::load(&app.store).await.unwrap();
    let slug = musdes::demo::SLUG;
    let start = vec![
        "/".to_string(),
        format!("/desa/{slug}"),
        "/admin/desa".into(),
        "/admin/akun".into(),
        "/akun/sesi".into(),
    ];
    app.login("admin@majasari.desa.id", musdes::demo::PASSWORD)
        .await
        .assert(StatusCode::SEE_OTHER);

    // Fill and send every kind of form once, refused or not.
    let mut sent = BTreeSet::new();
    let mut turn = 0;
    let mut written = 0;
    for payload in PAYLOADS {
        for (path, _, kind, body) in walk(&mut app, &start).await {
            if !kind.starts_with("text/html") {
                continue;
            }
            for f in fill_forms(&body, &path, payload, &mut turn) {
                if SKIP.iter().any(|s| f.action.contains(s))
                    || !sent.insert((*payload, f.method.clone(), shape(&f.action)))
                {
                    continue;
                }
                let pairs: Vec<(&str, &str)> = f
                    .fields
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                let r = if f.method == "post" {
                    app.post_raw(&f.action, &pairs).await
                } else {
                    let q = form_urlencoded::Serializer::new(String::new())
                        .extend_pairs(&pairs)
                        .finish();
                    app.get(&format!("{}?{q}", f.action)).await
                };
                assert!(
                    !r.status.is_server_error(),
                    "{} {}: {}",
                    f.method,
                    f.action,
                    r.status
                );
                for raw in RAW {
                    assert!(
                        !r.body.contains(raw),
                        "{} {} answered with {raw} as markup",
                        f.method,
                        f.action
                    );
                }
                written += usize::from(r.status == StatusCode::SEE_OTHER);
            }
        }
    }
    assert!(written >= 20, "only {written} forms were accepted");

    // Read everything back, as the admin and as anyone.
    let mut shown_as_text = 0;
    let mut in_json = 0;
    for anonymous in [false, true] {
        if anonymous {
            app.logout().await;
            app.forget_cookies();
        }
        for (path, status, kind, body) in walk(&mut app, &start).await {
            assert!(!status.is_server_error(), "{path}: {status}");
            assert!(!body.contains("$argon2"), "{path} shows a password hash");
            if kind.starts_with("text/html") {
                for raw in RAW {
                    assert!(!body.contains(raw), "{path} shows {raw} as markup");
                }
                // Only the payloads say `alert(`; above, never as markup.
                shown_as_text += usize::from(body.contains("alert("));
            } else if kind.starts_with("application/json") {
                let v: serde_json::Value =
                    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}"));
                in_json += usize::from(v.to_string().contains("<script>alert('xss')</script>"));
            }
        }
    }
    assert!(
        shown_as_text >= 10,
        "the payloads were shown on only {shown_as_text} pages"
    );
    assert!(in_json >= 1, "the payloads reach the open data as strings");

    // SQL stayed text: every table is there, and searching for a payload finds only
    // what holds it.
    let counts = app.store.row_counts().await.unwrap();
    assert!(counts["proposals"] > 0 && counts["users"] > 0);
    let v = app.store.village_by_slug(slug).await.unwrap();
    let all = app
        .store
        .list_proposals(v.id, &Default::default(), Default::default(), 1000, 0)
        .await
        .unwrap();
    let list = app
        .get(&format!(
            "/api/v1/desa/{slug}/usulan?q=%27%20OR%20%271%27%3D%271"
        ))
        .await;
    let found: serde_json::Value = serde_json::from_str(&list.body).unwrap();
    let found = found["items"].as_array().map_or(0, Vec::len);
    assert!(
        found < all.len(),
        "a payload in the search matched {found} of {} proposals",
        all.len()
    );
}
