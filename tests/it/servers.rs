//! Several `musdes serve` processes on one database, spoken to over real HTTP.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Stdio};

use musdes::domain::account::Role;

use crate::common::{Backend, PASSWORD, TestApp, id_text};
use crate::meetings::{decided_meeting, meeting_id, setup};
use rstest::rstest;

/// A running server; stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(url: &str) -> Server {
        // Servers on one database share one key, kept out of the working tree.
        let mut child = crate::common::musdes_command(url)
            .args(["serve", "--bind", "127.0.0.1:0"])
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
        self.exchange(addr, method, path, form).unwrap()
    }

    /// One request and its answer; an error when the connection fails or breaks off.
    fn exchange(
        &mut self,
        addr: &str,
        method: &str,
        path: &str,
        form: &[(&str, &str)],
    ) -> std::io::Result<Answer> {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let jar = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let mut s = std::net::TcpStream::connect(addr)?;
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nCookie: {jar}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )?;
        let mut raw = String::new();
        s.read_to_string(&mut raw)?;
        let broken = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "answer cut off");
        let (head, body) = raw.split_once("\r\n\r\n").ok_or_else(broken)?;
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .ok_or_else(broken)?;
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
        Ok(Answer {
            status,
            body: body.to_string(),
        })
    }
}

fn token(page: &Answer) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let rest = &page.body[page.body.find(marker).expect("a form") + marker.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_session_from_one_server_works_on_the_other_and_one_meeting_is_finalized_once(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, groups, numbers) = setup(&mut app).await;
    let path = decided_meeting(&mut app, groups, &numbers).await;
    app.account("kades@desa.id", Role::Official, Some(&v)).await;
    let (a, b) = (Server::start(&app.url), Server::start(&app.url));

    // Logged in on server A, the official is known on server B.
    let mut browser = Browser::default();
    let login = browser.send(&a.addr, "GET", "/masuk", &[]);
    let t = token(&login);
    let r = browser.send(
        &a.addr,
        "POST",
        "/masuk",
        &[
            ("csrf_token", &t),
            ("email", "kades@desa.id"),
            ("password", PASSWORD),
            ("next", "/"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = browser.send(&b.addr, "GET", &path, &[]);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(&format!("action=\"{path}/final\"")),
        "server B offers the finalization"
    );
    // Server B keeps the open meeting's page by the village's revision: a line recorded
    // through server A shows on B at once.
    let r = browser.send(
        &a.addr,
        "POST",
        &format!("{path}/hadir"),
        &[
            ("csrf_token", &token(&page)),
            ("name", "Bu Lastri Datang Terlambat"),
            ("gender", "P"),
            ("group", ""),
            ("role", "Anggota"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = browser.send(&b.addr, "GET", &path, &[]);
    assert!(page.body.contains("Bu Lastri Datang Terlambat"));
    let t = token(&page);

    // Both servers finalize at the same moment.
    let final_path = format!("{path}/final");
    let sends: Vec<_> = [a.addr.clone(), b.addr.clone()]
        .into_iter()
        .map(|addr| {
            let (mut browser, t, p) = (browser.clone(), t.clone(), final_path.clone());
            std::thread::spawn(move || {
                browser.send(
                    &addr,
                    "POST",
                    &p,
                    &[("csrf_token", &t), ("quorum_note", "")],
                )
            })
        })
        .collect();
    let mut statuses: Vec<u16> = sends
        .into_iter()
        .map(|h| h.join().unwrap().status)
        .collect();
    statuses.sort();
    assert_eq!(
        statuses,
        [303, 409],
        "one finalization, the other told it is too late"
    );

    let id = meeting_id(&path);
    let m = app.store.meeting(v.id, id).await.unwrap();
    let code = m.verification_code.expect("finalized");
    let audit = app
        .store
        .audit_for("meeting", &id.to_string())
        .await
        .unwrap();
    assert_eq!(audit.iter().filter(|e| e.action == "finalize").count(), 1);
    // Either server verifies the one code.
    for server in [&a, &b] {
        let r = browser.send(
            &server.addr,
            "GET",
            &format!("/verifikasi?kode={code}"),
            &[],
        );
        assert_eq!(r.status, 200);
        assert!(r.body.contains(&code), "{}", r.body);
    }
    // The loser was answered with the meeting as it now stands, not with an error page.
}

/// The server's peak resident memory so far (`VmHWM`), in bytes.
fn peak_memory(child: &Child) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb * 1024
}

/// Opens a connection that claims a multipart body of almost 6 MiB on `path` and sends it
/// as fast as the server takes it, holding back the last byte; the connection is kept
/// open (returned) until the caller drops it.
fn hold_upload(addr: &str, path: &str, cookie: &str) -> std::net::TcpStream {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_write_timeout(Some(std::time::Duration::from_secs(2)))
        .unwrap();
    let length = 6 * 1024 * 1024 - 1;
    let _ = write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\
         Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {length}\r\n\r\n"
    );
    let chunk = vec![b'a'; 64 * 1024];
    let mut sent = 0;
    while sent + chunk.len() < length {
        if s.write_all(&chunk).is_err() {
            break; // answered and closed: nothing more is read
        }
        sent += chunk.len();
    }
    s
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn sixty_held_uploads_cost_the_server_no_memory_and_others_are_still_served(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (v, _, numbers) = setup(&mut app).await;
    let server = Server::start(&app.url);
    let proposal = format!("/desa/{}/usulan/{}", v.slug, numbers[0]);
    let addr = server.addr.clone();
    let before = peak_memory(&server.child);
    // Sixty strangers: half on a route that takes no upload, half on the upload route
    // without a session. Each is refused before its body is read.
    let held: Vec<std::net::TcpStream> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..60)
            .map(|i| {
                let addr = addr.clone();
                let path = if i % 2 == 0 {
                    "/desa/sukamaju/usulan".to_string()
                } else {
                    format!("{proposal}/kemajuan?csrf_token=tebakan")
                };
                scope.spawn(move || hold_upload(&addr, &path, ""))
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    // A reader is still served while the connections are held.
    let mut reader = Browser::default();
    let page = reader.send(&addr, "GET", &proposal, &[]);
    assert_eq!(page.status, 200);
    let peak = peak_memory(&server.child);
    drop(held);
    eprintln!(
        "server peak memory: {} MB before, {} MB under sixty held 6 MiB uploads",
        before / 1_000_000,
        peak / 1_000_000
    );
    assert!(peak < 100 * 1024 * 1024, "peak {} MB", peak / 1_000_000);
    assert!(
        peak < before + 30 * 1024 * 1024,
        "the held bodies were read: {} → {} MB",
        before / 1_000_000,
        peak / 1_000_000
    );
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
    let o = crate::common::musdes_command(&app.url)
        .args(["backup", "--out", copy.to_str().unwrap()])
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

/// One write a worker sent and was answered 303 for.
#[derive(Clone, Debug)]
enum Acked {
    Proposal(String),
    Feedback(String),
    Attendance(String),
    Decision(String),
}

/// How many writes the crash test fires before the kill (at least; `MUSDES_CRASH_WRITES`
/// for a longer run).
fn crash_writes() -> usize {
    std::env::var("MUSDES_CRASH_WRITES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

fn login(addr: &str, email: &str) -> (Browser, String) {
    let mut b = Browser::default();
    let t = token(&b.send(addr, "GET", "/masuk", &[]));
    let r = b.send(
        addr,
        "POST",
        "/masuk",
        &[
            ("csrf_token", &t),
            ("email", email),
            ("password", PASSWORD),
            ("next", "/"),
        ],
    );
    assert_eq!(r.status, 303, "login {email}");
    let t = token(&b.send(addr, "GET", "/akun/sesi", &[]));
    (b, t)
}

/// Sends one request; `None` when the server is gone (killed mid-request).
fn try_send(b: &mut Browser, addr: &str, path: &str, form: &[(&str, &str)]) -> Option<u16> {
    b.exchange(addr, "POST", path, form).ok().map(|a| a.status)
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_server_killed_mid_write_loses_nothing_it_acknowledged(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    let v = app.village("sukamaju").await;
    let official = app.account("kades@desa.id", Role::Official, Some(&v)).await;
    // An open meeting with a hundred proposals on its agenda, and a finalized one.
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    let open = crate::meetings::meeting(&mut app, "musdes").await;
    // Each facilitator keeps the attendance of a meeting of their own.
    let mut rooms = vec![open.clone()];
    for _ in 0..3 {
        rooms.push(crate::meetings::meeting(&mut app, "musdus").await);
    }
    let sealed = crate::meetings::meeting(&mut app, "musdus").await;
    crate::meetings::attend(&mut app, &sealed, "Siti Aminah", "P", None).await;
    let form = musdes::domain::proposal::ProposalForm {
        title: "Usulan untuk diputuskan".into(),
        problem: "Menunggu keputusan musyawarah".into(),
        bidang: "02".into(),
        ..Default::default()
    };
    let checked = form
        .validate(&v.hamlets, musdes::domain::proposal::Submitter::Member)
        .unwrap();
    let mut agenda = Vec::new();
    for _ in 0..100 {
        let s = musdes::store::proposals::Submission {
            proposal: &checked,
            status: "submitted",
            proposer_user: None,
            proposer_name: "Warga".into(),
            entered_by: None,
            entered_by_name: None,
            submitted_from: "10.0.0.1".into(),
            year: 2026,
            tracking_hash: None,
        };
        let number = app
            .store
            .create_proposal(v.id, &s)
            .await
            .unwrap()
            .to_string();
        app.post(&format!("{open}/agenda"), &[("proposal", &number)])
            .await
            .assert(axum::http::StatusCode::SEE_OTHER);
        agenda.push(number);
    }
    app.logout().await;
    app.login("kades@desa.id", PASSWORD).await;
    app.post(&format!("{sealed}/status"), &[("status", "held")])
        .await
        .assert(axum::http::StatusCode::SEE_OTHER);
    app.post(&format!("{sealed}/final"), &[("quorum_note", "")])
        .await
        .assert(axum::http::StatusCode::SEE_OTHER);
    let code = app
        .store
        .meeting(v.id, meeting_id(&sealed))
        .await
        .unwrap()
        .verification_code
        .unwrap();
    for i in 0..8 {
        app.account(&format!("warga{i}@desa.id"), Role::Resident, Some(&v))
            .await;
    }
    for i in 0..4 {
        app.account(
            &format!("pendamping{i}@desa.id"),
            Role::Facilitator,
            Some(&v),
        )
        .await;
    }
    let _ = official;

    let mut server = Server::start(&app.url);
    let addr = server.addr.clone();
    let fired = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let acked: Arc<Mutex<Vec<Acked>>> = Arc::default();
    let mut workers = Vec::new();
    for w in 0..12usize {
        let (fired, stop, acked, addr) = (fired.clone(), stop.clone(), acked.clone(), addr.clone());
        let (agenda, open, room) = (agenda.clone(), open.clone(), rooms[w % 4].clone());
        // Each resident comments on a proposal of their own.
        let commented = agenda[w % 8].clone();
        workers.push(std::thread::spawn(move || {
            let email = if w < 8 {
                format!("warga{w}@desa.id")
            } else {
                format!("pendamping{}@desa.id", w - 8)
            };
            let (mut b, t) = login(&addr, &email);
            let mut i = 0;
            let mut mine = agenda.iter().skip(w.saturating_sub(8)).step_by(4);
            while !stop.load(Ordering::Relaxed) {
                i += 1;
                fired.fetch_add(1, Ordering::Relaxed);
                let (path, fields, ack) = if w < 8 && i % 2 == 0 {
                    let body = format!("Tanggapan {w}-{i}");
                    (
                        format!("/desa/sukamaju/usulan/{commented}/tanggapan"),
                        vec![("kind", "comment".to_string()), ("body", body.clone())],
                        Acked::Feedback(body),
                    )
                } else if w < 8 {
                    let title = format!("Usulan darurat {w}-{i}");
                    (
                        "/desa/sukamaju/usulan".to_string(),
                        vec![
                            ("title", title.clone()),
                            ("problem", "Ditulis saat server dimatikan".into()),
                            ("bidang", "02".into()),
                            ("confirmed", "1".into()),
                            // As the form sends it: the key is claimed in the
                            // transaction that stores the proposal with the others sent
                            // meanwhile, and its answer remembered in another.
                            ("kunci_kirim", format!("k{w}-{i}")),
                        ],
                        Acked::Proposal(title),
                    )
                } else if let Some(number) = mine.next().filter(|_| i % 3 == 0) {
                    (
                        format!("{open}/keputusan"),
                        vec![
                            ("proposal", number.clone()),
                            ("decision", "accepted".into()),
                            ("method", "mufakat".into()),
                        ],
                        Acked::Decision(number.clone()),
                    )
                } else {
                    let name = format!("Peserta {w}-{i}");
                    (
                        format!("{room}/hadir"),
                        vec![("name", name.clone()), ("gender", "P".into())],
                        Acked::Attendance(name),
                    )
                };
                let mut form: Vec<(&str, &str)> = vec![("csrf_token", &t)];
                form.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
                match try_send(&mut b, &addr, &path, &form) {
                    Some(303) => acked.lock().unwrap().push(ack),
                    Some(_) => {}
                    None => break,
                }
            }
        }));
    }
    // Killed at a random moment once the writes fired pass the mark.
    let mark = crash_writes() + rand::random::<u32>() as usize % (crash_writes() / 4);
    while fired.load(Ordering::Relaxed) < mark {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(fired.load(Ordering::Relaxed) >= crash_writes());
    assert!(
        acked.len() > crash_writes() / 2,
        "only {} acknowledged",
        acked.len()
    );

    let count = |f: fn(&Acked) -> bool| acked.iter().filter(|a| f(a)).count();
    eprintln!(
        "{:?}: killed after {} writes fired; {} acknowledged: {} proposals, {} feedback, {} attendance lines, {} decisions",
        app.backend,
        fired.load(Ordering::Relaxed),
        acked.len(),
        count(|a| matches!(a, Acked::Proposal(_))),
        count(|a| matches!(a, Acked::Feedback(_))),
        count(|a| matches!(a, Acked::Attendance(_))),
        count(|a| matches!(a, Acked::Decision(_))),
    );
    // Restarted on the same database.
    let server = Server::start(&app.url);
    let filter = musdes::store::proposals::ProposalFilter {
        include_pending: true,
        ..Default::default()
    };
    let proposals = app
        .store
        .list_proposals(v.id, &filter, Default::default(), 1_000_000, 0)
        .await
        .unwrap();
    let mut feedback = Vec::new();
    for number in &agenda[..8] {
        let p = app.store.proposal_by_number(v.id, number).await.unwrap();
        feedback.extend(app.store.feedback_for(p.id).await.unwrap());
    }
    let mut attendance = Vec::new();
    for room in &rooms {
        attendance.extend(
            app.store
                .meeting_parts(meeting_id(room))
                .await
                .unwrap()
                .attendance,
        );
    }
    let parts = app.store.meeting_parts(meeting_id(&open)).await.unwrap();
    for a in &acked {
        let found = match a {
            Acked::Proposal(t) => proposals.iter().filter(|p| &p.title == t).count(),
            Acked::Feedback(b) => feedback.iter().filter(|f| &f.body == b).count(),
            Acked::Attendance(n) => attendance.iter().filter(|l| &l.name == n).count(),
            Acked::Decision(n) => parts
                .agenda
                .iter()
                .filter(|i| &i.number == n && i.decision.is_some())
                .count(),
        };
        assert_eq!(found, 1, "{a:?} was acknowledged");
    }
    // Nothing half-written: every proposal has its timeline and its number was counted.
    for p in &proposals {
        assert!(
            !app.store.proposal_events(p.id).await.unwrap().is_empty(),
            "{} has no timeline",
            p.number
        );
    }
    let mut numbers: Vec<&str> = proposals.iter().map(|p| p.number.as_str()).collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), proposals.len());
    if let Some(check) = app.store.integrity_check().await.unwrap() {
        assert_eq!(check, "ok");
    }
    let mut b = Browser::default();
    let r = b.send(
        &server.addr,
        "GET",
        &format!("/verifikasi?kode={code}"),
        &[],
    );
    assert!(
        r.body.contains(id_text("verify.found")) && !r.body.contains(id_text("verify.tampered")),
        "{}",
        r.body
    );
}
