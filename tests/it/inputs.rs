//! Bad input on every POST route of the router: each answered 4xx with a message, never
//! 500, and nothing stored.

use axum::body::Body;
use axum::http::{Method, Request, header};

use crate::access::{Actor, MATRIX, Rule, fixture};
use crate::common::{Backend, TestApp};
use rstest::rstest;

/// The field names the forms use; every bad body fills all of them, so whichever a route
/// reads gets the bad value.
const FIELDS: &[&str] = &[
    "title",
    "problem",
    "description",
    "bidang",
    "dusun",
    "location",
    "estimated_cost",
    "cost",
    "proposer_name",
    "proposer_phone",
    "confirmed",
    "name",
    "kind",
    "body",
    "note",
    "status",
    "version",
    "year",
    "gender",
    "role",
    "group",
    "proposal",
    "decision",
    "method",
    "votes_for",
    "votes_against",
    "votes_abstain",
    "minutes",
    "scheduled_at",
    "place",
    "chair",
    "note_taker",
    "invited_count",
    "quorum_rule",
    "quorum_note",
    "text",
    "level",
    "channel",
    "partner",
    "implementer",
    "rating",
    "from",
    "to",
    "stance",
    "form",
    "since_year",
    "outside_name",
    "outside_kind",
    "meeting",
    "pagu_dd",
    "name_0",
    "weight_0",
    "max_0",
    "slug",
    "code",
    "population",
    "hamlets",
    "email",
    "password",
    "members",
    "contact_name",
    "contact_phone",
    "into",
    "target",
    "sesi",
    "next",
    "lang",
    "min_women_percent",
    "auto_empower",
];

/// One kind of bad input: its name, content type and body (the CSRF token is added).
struct Case {
    name: &'static str,
    content_type: &'static str,
    body: fn(&str) -> Vec<u8>,
}

fn form_with(token: &str, value: &str, times: usize) -> Vec<u8> {
    let mut s = form_urlencoded::Serializer::new(String::new());
    s.append_pair("csrf_token", token);
    for f in FIELDS {
        for _ in 0..times {
            s.append_pair(f, value);
        }
    }
    s.finish().into_bytes()
}

const FORM: &str = "application/x-www-form-urlencoded";

const CASES: &[Case] = &[
    Case {
        name: "missing fields",
        content_type: FORM,
        body: |t| format!("csrf_token={t}").into_bytes(),
    },
    Case {
        name: "empty fields",
        content_type: FORM,
        body: |t| form_with(t, "", 1),
    },
    Case {
        name: "1 MB field",
        content_type: FORM,
        body: |t| {
            let mut b = format!("csrf_token={t}&title=").into_bytes();
            b.extend(std::iter::repeat_n(b'a', 1024 * 1024));
            b
        },
    },
    Case {
        name: "invalid UTF-8",
        content_type: FORM,
        body: |t| {
            let mut b = format!("csrf_token={t}").into_bytes();
            for f in FIELDS {
                b.extend(format!("&{f}=").bytes());
                b.extend([0xff, 0xfe, b'x', 0xc3]);
            }
            b
        },
    },
    Case {
        name: "invalid UTF-8, percent-encoded",
        content_type: FORM,
        body: |t| {
            let mut b = format!("csrf_token={t}").into_bytes();
            for f in FIELDS {
                b.extend(format!("&{f}=%FF%FE%C3").bytes());
            }
            b
        },
    },
    Case {
        name: "NUL bytes",
        content_type: FORM,
        body: |t| form_with(t, "Jalan\0desa", 1),
    },
    Case {
        name: "number too large",
        content_type: FORM,
        body: |t| form_with(t, "99999999999999999999999999", 1),
    },
    Case {
        name: "negative number",
        content_type: FORM,
        body: |t| form_with(t, "-5", 1),
    },
    Case {
        name: "unknown enum value",
        content_type: FORM,
        body: |t| form_with(t, "bukan-pilihan", 1),
    },
    Case {
        name: "repeated fields",
        content_type: FORM,
        body: |t| form_with(t, "-1", 2),
    },
    Case {
        name: "markup and SQL",
        content_type: FORM,
        body: |t| form_with(t, "<script>alert(1)</script>'; DROP TABLE proposals; --", 1),
    },
    Case {
        name: "wrong content type",
        content_type: "text/plain",
        body: |t| form_with(t, "Jalan desa", 1),
    },
    Case {
        name: "JSON to a form route",
        content_type: "application/json",
        body: |t| {
            format!(r#"{{"csrf_token":"{t}","title":"Jalan","problem":"Rusak","bidang":"02"}}"#)
                .into_bytes()
        },
    },
];

/// Routes that need no field at all: sent empty or with any text, they do their work.
/// (Finalizing takes an optional note; removing names its thing in the path; logging out,
/// ending one's other sessions and issuing a reset code for the person the path names take
/// nothing; a proposal's driver sent empty is "no one named".) Their bad input is still
/// never a 500.
const NOTHING_REQUIRED: &[&str] = &[
    "/desa/{slug}/usulan/{number}/penggerak",
    "/desa/{slug}/jejaring/{id}/hapus",
    "/desa/{slug}/kelompok/{id}/riwayat/{entry}/hapus",
    "/desa/{slug}/kelompok/{id}/desa-anggota/{member}/hapus",
    "/desa/{slug}/masalah/{id}/usulan/{number}/hapus",
    "/desa/{slug}/musyawarah/{id}/hadir/{line}/hapus",
    "/desa/{slug}/musyawarah/{id}/pindaian/{scan}/hapus",
    "/desa/{slug}/musyawarah/{id}/final",
    "/desa/{slug}/survei/{id}/tutup",
    "/desa/{slug}/rkp/tetap/{id}/hapus",
    "/desa/{slug}/warga/{user}/kode-sandi",
    "/keluar",
    "/akun/sesi/akhiri",
];

async fn send(
    app: &mut TestApp,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> crate::common::Reply {
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

/// Every POST route whose place in [`MATRIX`] is `shard` modulo [`SHARDS`]: each bad
/// input is refused with a message, never a 5xx, and stores nothing. The routes are split
/// so that the shards run side by side.
async fn post_routes_refuse_bad_input(app: &mut TestApp, shard: usize) {
    let (fixture, jars) = fixture(app).await;
    let mut wrong = Vec::new();
    let routes = MATRIX.iter().filter(|(m, _, _)| *m == "POST");
    for (_, pattern, rule) in routes
        .enumerate()
        .filter(|(i, _)| i % SHARDS == shard)
        .map(|(_, r)| r)
    {
        let path = fixture.fill(pattern);
        // Sent by someone allowed to use the route, so the input itself is what is judged.
        let actor = match rule {
            Rule::Proposer => Actor::Resident,
            Rule::Anyone => Actor::Anonymous,
            _ => Actor::Admin,
        };
        let (jar, token) = &jars[&actor];
        for case in CASES {
            let fields_needed = !NOTHING_REQUIRED.contains(pattern);
            app.cookies = jar.clone();
            let before = app.store.row_counts().await.unwrap();
            let r = send(app, &path, case.content_type, (case.body)(token)).await;
            let after = app.store.row_counts().await.unwrap();
            let fault = if r.status.is_server_error() {
                Some("server error")
            } else if !fields_needed {
                None
            } else if !r.status.is_client_error() {
                Some("not refused")
            } else if r.body.trim().is_empty() {
                Some("no message")
            } else if before != after {
                Some("something was stored")
            } else {
                None
            };
            if let Some(fault) = fault {
                let changed: Vec<_> = after
                    .iter()
                    .filter(|(k, v)| before.get(*k) != Some(v))
                    .collect();
                wrong.push(format!(
                    "{pattern} [{}]: {fault}: {} {} {changed:?}",
                    case.name,
                    r.status,
                    r.location()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "bad input not refused:\n{}",
        wrong.join("\n")
    );
}

const SHARDS: usize = 4;
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn every_post_route_refuses_bad_input_a(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    post_routes_refuse_bad_input(&mut app, 0).await;
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn every_post_route_refuses_bad_input_b(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    post_routes_refuse_bad_input(&mut app, 1).await;
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn every_post_route_refuses_bad_input_c(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    post_routes_refuse_bad_input(&mut app, 2).await;
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn every_post_route_refuses_bad_input_d(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    post_routes_refuse_bad_input(&mut app, 3).await;
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn every_page_survives_bad_query_parameters_and_refuses_nul(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (fixture, jars) = fixture(&mut app).await;
    app.cookies = jars[&Actor::Admin].0.clone();
    let mut wrong = Vec::new();
    for (_, pattern, _) in MATRIX.iter().filter(|(m, _, _)| *m == "GET") {
        let path = fixture.fill(pattern);
        for query in [
            "q=%FF%FE&halaman=-1&page=99999999999999999999&tanggapan=0&status=bukan&bidang=%27%20OR%201%3D1--&level=x&urut=%3Bdrop&sort=desc%3B&lang=xx&kode=%25%25&year=-2027&dari=2026-13-45&sampai=abc",
            "q=a&q=b&status=submitted&status=accepted&halaman=1&halaman=2",
        ] {
            let r = app.get(&format!("{path}?{query}")).await;
            if r.status.is_server_error() {
                wrong.push(format!("GET {pattern}?{query}: {}", r.status));
            }
        }
        let r = app.get(&format!("{path}?q=jalan%00desa")).await;
        let message = if pattern.starts_with("/api/") {
            "\"status\":400"
        } else {
            "tidak dapat disimpan"
        };
        if r.status != axum::http::StatusCode::BAD_REQUEST || !r.body.contains(message) {
            wrong.push(format!("GET {pattern}?q=…%00…: {}", r.status));
        }
    }
    for path in [
        "/desa/suka%00maju",
        "/desa/sukamaju/usulan/2026-%00",
        "/verifikasi?kode=AB%00CD",
    ] {
        let r = app.get(path).await;
        if r.status != axum::http::StatusCode::BAD_REQUEST {
            wrong.push(format!("GET {path}: {}", r.status));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
