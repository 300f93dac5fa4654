//! Several `musdes serve` processes on one database, spoken to over real HTTP.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};

use musdes::domain::account::Role;

use crate::common::{PASSWORD, dual};
use crate::meetings::{decided_meeting, meeting_id, setup};

/// A running server; stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(url: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_musdes"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env("DATABASE_URL", url)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let addr = loop {
            let line = lines
                .next()
                .expect("the server says where it serves")
                .unwrap();
            if let Some(rest) = line.strip_prefix("musdes is serving on http://") {
                break rest.split('/').next().unwrap().to_string();
            }
        };
        Server { child, addr }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One answer: status and body.
struct Answer {
    status: u16,
    body: String,
}

/// A browser's worth of HTTP/1.1 over a plain socket: cookies kept, one request per connection.
#[derive(Default, Clone)]
struct Browser {
    cookies: Vec<(String, String)>,
}

impl Browser {
    fn send(&mut self, addr: &str, method: &str, path: &str, form: &[(&str, &str)]) -> Answer {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let jar = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nCookie: {jar}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut raw = String::new();
        s.read_to_string(&mut raw).unwrap();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap();
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        for (_, set) in headers.iter().filter(|(k, _)| k == "set-cookie") {
            let pair = set.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            self.cookies.retain(|(name, _)| name != k);
            if !v.is_empty() {
                self.cookies.push((k.to_string(), v.to_string()));
            }
        }
        Answer {
            status,
            body: body.to_string(),
        }
    }
}

fn token(page: &Answer) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let rest = &page.body[page.body.find(marker).expect("a form") + marker.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

dual! {
    async fn a_session_from_one_server_works_on_the_other_and_one_meeting_is_finalized_once(app) {
        let (v, groups, numbers) = setup(&mut app).await;
        let path = decided_meeting(&mut app, groups, &numbers).await;
        app.account("kades@desa.id", Role::Official, Some(&v)).await;
        let (a, b) = (Server::start(&app.url), Server::start(&app.url));

        // Logged in on server A, the official is known on server B.
        let mut browser = Browser::default();
        let login = browser.send(&a.addr, "GET", "/masuk", &[]);
        let t = token(&login);
        let r = browser.send(&a.addr, "POST", "/masuk", &[("csrf_token", &t), ("email", "kades@desa.id"), ("password", PASSWORD), ("next", "/")]);
        assert_eq!(r.status, 303, "{}", r.body);
        let page = browser.send(&b.addr, "GET", &path, &[]);
        assert_eq!(page.status, 200);
        assert!(page.body.contains(&format!("action=\"{path}/final\"")), "server B offers the finalization");
        let t = token(&page);

        // Both servers finalize at the same moment.
        let final_path = format!("{path}/final");
        let sends: Vec<_> = [a.addr.clone(), b.addr.clone()].into_iter().map(|addr| {
            let (mut browser, t, p) = (browser.clone(), t.clone(), final_path.clone());
            std::thread::spawn(move || browser.send(&addr, "POST", &p, &[("csrf_token", &t), ("quorum_note", "")]))
        }).collect();
        let mut statuses: Vec<u16> = sends.into_iter().map(|h| h.join().unwrap().status).collect();
        statuses.sort();
        assert_eq!(statuses, [303, 409], "one finalization, the other told it is too late");

        let id = meeting_id(&path);
        let m = app.store.meeting(v.id, id).await.unwrap();
        let code = m.verification_code.expect("finalized");
        let audit = app.store.audit_for("meeting", &id.to_string()).await.unwrap();
        assert_eq!(audit.iter().filter(|e| e.action == "finalize").count(), 1);
        // Either server verifies the one code.
        for server in [&a, &b] {
            let r = browser.send(&server.addr, "GET", &format!("/verifikasi?kode={code}"), &[]);
            assert_eq!(r.status, 200);
            assert!(r.body.contains(&code), "{}", r.body);
        }
        // The loser was answered with the meeting as it now stands, not with an error page.
    }
}

/// Submits proposals over HTTP until told to stop; each acknowledged one (303) is noted
/// with the moment its answer arrived.
fn keep_submitting(
    addr: String,
    mut browser: Browser,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    acked: std::sync::Arc<std::sync::Mutex<Vec<(std::time::Instant, String)>>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let t = token(&browser.send(&addr, "GET", "/desa/sukamaju/usulan/baru", &[]));
        let mut i = 0;
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            i += 1;
            let title = format!("Usulan cadangan nomor {i:05}");
            let r = browser.send(
                &addr,
                "POST",
                "/desa/sukamaju/usulan",
                &[
                    ("csrf_token", &t),
                    ("title", &title),
                    ("problem", "Ditulis selama pencadangan"),
                    ("bidang", "02"),
                    ("confirmed", "1"),
                ],
            );
            if r.status == 303 {
                acked
                    .lock()
                    .unwrap()
                    .push((std::time::Instant::now(), title));
            }
        }
    })
}

#[tokio::test]
async fn a_backup_taken_while_writes_run_holds_every_write_acknowledged_before_it() {
    // `musdes backup` copies SQLite; PostgreSQL is backed up with pg_dump.
    let app = crate::common::TestApp::new(crate::common::Backend::Sqlite)
        .await
        .unwrap();
    let v = app.village("sukamaju").await;
    app.account("warga@desa.id", Role::Resident, Some(&v)).await;
    let server = Server::start(&app.url);
    let mut browser = Browser::default();
    let t = token(&browser.send(&server.addr, "GET", "/masuk", &[]));
    let r = browser.send(
        &server.addr,
        "POST",
        "/masuk",
        &[
            ("csrf_token", &t),
            ("email", "warga@desa.id"),
            ("password", PASSWORD),
            ("next", "/"),
        ],
    );
    assert_eq!(r.status, 303);

    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let acked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let writer = keep_submitting(server.addr.clone(), browser, stop.clone(), acked.clone());
    while acked.lock().unwrap().len() < 20 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let began = std::time::Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("cadangan.db");
    let o = Command::new(env!("CARGO_BIN_EXE_musdes"))
        .args(["backup", "--out", copy.to_str().unwrap()])
        .env("DATABASE_URL", &app.url)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::thread::sleep(std::time::Duration::from_millis(200));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();

    let acked = acked.lock().unwrap().clone();
    let before: Vec<&String> = acked
        .iter()
        .filter(|(at, _)| *at < began)
        .map(|(_, t)| t)
        .collect();
    assert!(
        acked.len() > before.len(),
        "writes went on during the backup"
    );
    let copy = musdes::store::Store::connect(&format!("sqlite://{}", copy.display()))
        .await
        .unwrap();
    assert_eq!(copy.integrity_check().await.unwrap().as_deref(), Some("ok"));
    let cv = copy.village_by_slug("sukamaju").await.unwrap();
    let filter = musdes::store::proposals::ProposalFilter {
        include_pending: true,
        ..Default::default()
    };
    let titles: Vec<String> = copy
        .list_proposals(cv.id, &filter, Default::default(), 100_000, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.title)
        .collect();
    for t in before {
        assert_eq!(
            titles.iter().filter(|x| *x == t).count(),
            1,
            "{t} acknowledged before the backup began"
        );
    }
    assert_eq!(
        app.store.integrity_check().await.unwrap().as_deref(),
        Some("ok")
    );
}
