//! Trust: the attacks and accidents a village's record must survive (double submissions,
//! races between servers, …), each on SQLite and PostgreSQL.

use axum::http::StatusCode;
use musdes::domain::account::Role;

use crate::common::{Backend, TestApp, id_text};
use crate::meetings::meeting;
use rstest::rstest;

const USULAN: &str = "/desa/sukamaju/usulan";

/// The new-proposal form as the browser sends it: its hidden fields and what was typed.
async fn proposal_form(app: &mut TestApp, title: &str) -> Vec<(String, String)> {
    let page = app.get("/desa/sukamaju/usulan/baru").await;
    page.assert(StatusCode::OK);
    let mut fields = page.hidden_fields(USULAN);
    assert!(
        fields
            .iter()
            .any(|(k, v)| k == "kunci_kirim" && v.len() >= 20),
        "{fields:?}"
    );
    for (k, v) in [
        ("title", title),
        ("problem", "Jalan berlubang dan becek saat hujan"),
        ("bidang", "02"),
        ("confirmed", "1"),
    ] {
        fields.push((k.into(), v.into()));
    }
    fields
}

async fn proposals(app: &TestApp, village: uuid::Uuid, title: &str) -> usize {
    let filter = musdes::store::proposals::ProposalFilter {
        include_pending: true,
        ..Default::default()
    };
    let all = app
        .store
        .list_proposals(village, &filter, Default::default(), 1000, 0)
        .await
        .unwrap();
    all.iter().filter(|p| p.title == title).count()
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    for (_, v) in fields.iter_mut().filter(|(k, _)| k == name) {
        *v = value.into();
    }
}

fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_double_click_or_a_retry_gives_the_same_answer_and_one_proposal(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    // A retry after the answer was lost: the same 303, nothing new.
    let form = proposal_form(&mut app, "Jalan tani blok utara").await;
    let first = app.post_raw(USULAN, &pairs(&form)).await;
    first.assert(StatusCode::SEE_OTHER);
    let again = app.post_raw(USULAN, &pairs(&form)).await;
    again.assert(StatusCode::SEE_OTHER);
    assert_eq!(again.location(), first.location());
    assert_eq!(proposals(&app, v.id, "Jalan tani blok utara").await, 1);
    // Five clicks at once: one proposal, every answer sends to it.
    let form = proposal_form(&mut app, "Sumur bor dusun II").await;
    let answers = app.post_at_once(USULAN, &form, 5).await;
    assert!(
        answers
            .iter()
            .all(|(s, l)| *s == StatusCode::SEE_OTHER && *l == answers[0].1),
        "{answers:?}"
    );
    assert!(
        answers[0].1.starts_with("/desa/sukamaju/usulan/"),
        "{answers:?}"
    );
    assert_eq!(proposals(&app, v.id, "Sumur bor dusun II").await, 1);
    // A new page is a new form: the same words sent from it are a second proposal.
    let form = proposal_form(&mut app, "Jalan tani blok utara").await;
    app.post_raw(USULAN, &pairs(&form))
        .await
        .assert(StatusCode::SEE_OTHER);
    assert_eq!(proposals(&app, v.id, "Jalan tani blok utara").await, 2);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_form_refused_for_its_mistakes_goes_through_once_corrected(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    let mut form = proposal_form(&mut app, "").await;
    app.post_raw(USULAN, &pairs(&form))
        .await
        .assert(StatusCode::UNPROCESSABLE_ENTITY)
        .contains("Jalan berlubang dan becek saat hujan");
    set(&mut form, "title", "Drainase pasar desa");
    let r = app.post_raw(USULAN, &pairs(&form)).await;
    r.assert(StatusCode::SEE_OTHER);
    app.post_raw(USULAN, &pairs(&form))
        .await
        .assert(StatusCode::SEE_OTHER);
    assert_eq!(proposals(&app, v.id, "Drainase pasar desa").await, 1);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn another_session_cannot_replay_or_block_a_key(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    let form = proposal_form(&mut app, "Lampu jalan gang mawar").await;
    app.post_raw(USULAN, &pairs(&form))
        .await
        .assert(StatusCode::SEE_OTHER);
    let key = form
        .iter()
        .find(|(k, _)| k == "kunci_kirim")
        .unwrap()
        .1
        .clone();
    // Someone else sends a form with that key: it is their own form, made once.
    app.logout().await;
    app.forget_cookies();
    app.login_as("warga2@desa.id", Role::Resident, Some(&v))
        .await;
    let mut other = proposal_form(&mut app, "Lampu jalan gang mawar").await;
    set(&mut other, "kunci_kirim", &key);
    app.post_raw(USULAN, &pairs(&other))
        .await
        .assert(StatusCode::SEE_OTHER);
    assert_eq!(proposals(&app, v.id, "Lampu jalan gang mawar").await, 2);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn an_attendance_line_sent_twice_is_written_once(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    let path = meeting(&mut app, "musdes").await;
    let page = app.get(&path).await;
    // Every form on the page has a key of its own.
    let keys: std::collections::BTreeSet<&str> = page
        .body
        .split("name=\"kunci_kirim\" value=\"")
        .skip(1)
        .map(|r| &r[..r.find('"').unwrap()])
        .collect();
    assert!(keys.len() >= 3, "{keys:?}");
    assert_eq!(
        keys.len(),
        page.body.matches("name=\"kunci_kirim\"").count()
    );
    let action = format!("{path}/hadir");
    let mut form = page.hidden_fields(&action);
    form.extend([
        ("name".into(), "Ibu Sulastri".into()),
        ("gender".into(), "P".into()),
    ]);
    let answers = app.post_at_once(&action, &form, 3).await;
    assert!(
        answers
            .iter()
            .all(|(s, l)| *s == StatusCode::SEE_OTHER && *l == answers[0].1),
        "{answers:?}"
    );
    let id = crate::meetings::meeting_id(&path);
    let parts = app.store.meeting_parts(id).await.unwrap();
    assert_eq!(
        parts
            .attendance
            .iter()
            .filter(|a| a.name == "Ibu Sulastri")
            .count(),
        1
    );
}

/// Fifty forms that differ only in their title, all loaded at `version`.
fn fifty(base: &[(&str, &str)], version: &str) -> Vec<Vec<(String, String)>> {
    (0..50)
        .map(|i| {
            let mut f: Vec<(String, String)> = base
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            f.push(("title".into(), format!("Judul versi {i:02}")));
            f.push(("version".into(), version.into()));
            f
        })
        .collect()
}

/// Exactly one of the answers applied its change, and every other was told so with the
/// winner's title on the page (the current state); returns the winner's title.
fn one_applied(answers: &[(StatusCode, String, String)]) -> String {
    let won: Vec<usize> = (0..answers.len())
        .filter(|&i| answers[i].0 == StatusCode::SEE_OTHER)
        .collect();
    assert_eq!(
        won.len(),
        1,
        "{:?}",
        answers.iter().map(|a| a.0).collect::<Vec<_>>()
    );
    let title = format!("Judul versi {:02}", won[0]);
    for (status, _, body) in answers.iter().filter(|a| a.0 != StatusCode::SEE_OTHER) {
        assert_eq!(*status, StatusCode::CONFLICT);
        assert!(body.contains(&title), "the 409 shows the current state");
        assert!(body.contains(id_text("error.stale")), "the 409 says why");
    }
    title
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn fifty_edits_of_one_proposal_at_once_apply_one_and_answer_409_to_the_rest(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    let form = proposal_form(&mut app, "Judul awal").await;
    let number = app
        .post_raw(USULAN, &pairs(&form))
        .await
        .location()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let edit = format!("{USULAN}/{number}/ubah");
    let page = app.get(&edit).await;
    let mut base = page.hidden_fields(&edit);
    base.retain(|(k, _)| k == "csrf_token");
    let base: Vec<(&str, &str)> = base
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain([
            ("problem", "Jalan berlubang dan becek saat hujan"),
            ("bidang", "02"),
        ])
        .collect();
    let answers = app
        .post_each(&edit, &fifty(&base, &page.field("version")))
        .await;
    let title = one_applied(&answers);
    let p = app.store.proposal_by_number(v.id, &number).await.unwrap();
    assert_eq!(p.title, title);
    let events = app.store.proposal_events(p.id).await.unwrap();
    assert_eq!(
        events.iter().filter(|e| e.kind.code() == "edited").count(),
        1,
        "{events:?}"
    );
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn fifty_edits_of_one_meeting_at_once_apply_one_and_answer_409_to_the_rest(
    #[case] backend: Backend,
) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&v))
        .await;
    let path = meeting(&mut app, "musdes").await;
    let action = format!("{path}/ubah");
    let page = app.get(&path).await;
    let mut base = page.hidden_fields(&action);
    let version = base.iter().find(|(k, _)| k == "version").unwrap().1.clone();
    base.retain(|(k, _)| k == "csrf_token");
    let base: Vec<(&str, &str)> = base
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain([
            ("kind", "musdes"),
            ("scheduled_at", "2026-12-01T09:00"),
            ("place", "Balai Desa"),
            ("chair", "Ketua BPD"),
        ])
        .collect();
    let answers = app.post_each(&action, &fifty(&base, &version)).await;
    let title = one_applied(&answers);
    let m = app
        .store
        .meeting(v.id, crate::meetings::meeting_id(&path))
        .await
        .unwrap();
    assert_eq!(m.title, title);
}

/// What a repeat on another server meets (one server makes repeats wait before they run):
/// the key is claimed in the first request's own change, so a second change holding the
/// same key writes nothing and says so, and the key is free again for a new form.
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn a_key_is_taken_by_the_change_that_does_the_work_and_by_no_other(#[case] backend: Backend) {
    use musdes::domain::group::GroupForm;
    use musdes::store::StoreError;
    use musdes::store::submissions::{Claim, with_key};
    let Some(app) = TestApp::new(backend).await else {
        return;
    };
    let v = app.village("sukamaju").await;
    let form = |name: &str| {
        GroupForm {
            name: name.into(),
            kind: "tani".into(),
            ..GroupForm::default()
        }
        .validate(2026)
        .unwrap()
    };
    let (first, second, third) = (form("KT Makmur"), form("KT Subur"), form("KT Lestari"));
    let make = |g| app.store.create_group(v.id, g, None);
    let (made, claimed) = with_key("kunci-a", make(&first)).await;
    made.unwrap();
    assert!(claimed);
    assert_eq!(
        app.store.submission_state("kunci-a").await.unwrap(),
        Some(Claim::Pending)
    );
    // Its repeat, with what it sent or anything else: nothing written.
    let (again, claimed) = with_key("kunci-a", make(&second)).await;
    assert!(matches!(again, Err(StoreError::Repeated)), "{again:?}");
    assert!(!claimed);
    assert_eq!(app.store.list_groups(v.id).await.unwrap().len(), 1);
    // Answered: a repeat learns where to go.
    app.store
        .complete_submission("kunci-a", "/desa/sukamaju/kelompok")
        .await
        .unwrap();
    assert_eq!(
        app.store.submission_seen("kunci-a").await.unwrap(),
        Some(Claim::Done("/desa/sukamaju/kelompok".into()))
    );
    // Without a key, or with another, changes go on as ever.
    make(&second).await.unwrap();
    let (other, claimed) = with_key("kunci-b", make(&third)).await;
    other.unwrap();
    assert!(claimed);
    assert_eq!(app.store.list_groups(v.id).await.unwrap().len(), 3);
}

/// Keys answered at the same moment (thirty submissions redirected at once) each keep
/// their own answer, for their repeats.
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]
async fn keys_answered_together_each_keep_their_own_answer(#[case] backend: Backend) {
    use musdes::domain::group::GroupForm;
    use musdes::store::submissions::{Claim, with_key};
    let Some(app) = TestApp::new(backend).await else {
        return;
    };
    let v = app.village("sukamaju").await;
    for i in 0..30 {
        let g = GroupForm {
            name: format!("Kelompok {i:02}"),
            kind: "tani".into(),
            ..GroupForm::default()
        }
        .validate(2026)
        .unwrap();
        let (made, claimed) = with_key(
            &format!("kunci-{i:02}"),
            app.store.create_group(v.id, &g, None),
        )
        .await;
        made.unwrap();
        assert!(claimed);
    }
    let mut answers = tokio::task::JoinSet::new();
    for i in 0..30 {
        let store = app.store.clone();
        answers.spawn(async move {
            store
                .complete_submission(&format!("kunci-{i:02}"), &format!("/kelompok/{i:02}"))
                .await
        });
    }
    for answered in answers.join_all().await {
        answered.unwrap();
    }
    for i in 0..30 {
        assert_eq!(
            app.store
                .submission_state(&format!("kunci-{i:02}"))
                .await
                .unwrap(),
            Some(Claim::Done(format!("/kelompok/{i:02}")))
        );
    }
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_burst_of_submissions_is_stored_as_each_alone_would_be(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let v = app.village("sukamaju").await;
    let me = app
        .login_as("warga@desa.id", Role::Resident, Some(&v))
        .await;
    // Sixteen forms sent at once (written together, a few transactions for all), and
    // three second clicks on the first one among them.
    let mut forms = Vec::new();
    for i in 0..16 {
        forms.push(proposal_form(&mut app, &format!("Usulan serentak nomor {i}")).await);
    }
    for _ in 0..3 {
        forms.push(forms[0].clone());
    }
    let answers = app.post_each(USULAN, &forms).await;
    assert!(
        answers.iter().all(|(s, _, _)| *s == StatusCode::SEE_OTHER),
        "{answers:?}"
    );
    // The second clicks go where the first went, and store nothing more.
    for (_, location, _) in &answers[16..] {
        assert_eq!(location, &answers[0].1);
    }
    // Each form got a proposal of its own, numbered one after another with no gap.
    let mut numbers: Vec<String> = answers[..16]
        .iter()
        .map(|(_, l, _)| l.rsplit('/').next().unwrap().to_string())
        .collect();
    numbers.sort();
    numbers.dedup();
    let year = musdes::store::proposals::current_year(chrono_tz::Asia::Jakarta);
    let expected: Vec<String> = (1..=16).map(|i| format!("{year}-{i:03}")).collect();
    assert_eq!(numbers, expected);
    for (i, (_, location, _)) in answers[..16].iter().enumerate() {
        let title = format!("Usulan serentak nomor {i}");
        assert_eq!(proposals(&app, v.id, &title).await, 1, "{title}");
        // The number a form was sent to is that form's proposal, with its own first
        // timeline line and audit entry, naming who sent it.
        app.get(location)
            .await
            .assert(StatusCode::OK)
            .contains(&title);
        let number = location.rsplit('/').next().unwrap();
        let p = app.store.proposal_by_number(v.id, number).await.unwrap();
        assert_eq!(p.title, title);
        let events = app.store.proposal_events(p.id).await.unwrap();
        assert_eq!(events.len(), 1, "{events:?}");
        let audit = app
            .store
            .audit_for("proposal", &p.id.to_string())
            .await
            .unwrap();
        assert_eq!(audit.len(), 1, "{audit:?}");
        assert_eq!(audit[0].action, "create");
        assert_eq!(audit[0].actor_id, Some(me));
        assert!(audit[0].after.as_deref().unwrap().contains(&title));
    }
    // The keys were kept with where they sent: sent again later, a form is a repeat.
    let again = app.post_raw(USULAN, &pairs(&forms[5])).await;
    again.assert(StatusCode::SEE_OTHER);
    assert_eq!(again.location(), answers[5].1);
    assert_eq!(proposals(&app, v.id, "Usulan serentak nomor 5").await, 1);
}
