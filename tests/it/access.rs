//! The access matrix: every route of the router × every kind of visitor, with the answer
//! each must get. The routes come from the router itself (`musdes::web::route_table`), so
//! a route added without a line here fails the test.

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use musdes::domain::account::Role;
use musdes::domain::group::GroupForm;
use musdes::domain::need::NeedForm;
use musdes::domain::survey::SurveyForm;
use uuid::Uuid;

use crate::common::{Backend, TestApp};
use crate::meetings::{attend, meeting, meeting_id};
use rstest::rstest;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Actor {
    Anonymous,
    /// A resident of village A, who made the proposal used.
    Resident,
    Facilitator,
    Official,
    /// An official of village B.
    OtherOfficial,
    /// The kecamatan overseeing village A.
    Kecamatan,
    /// The kecamatan overseeing village B.
    OtherKecamatan,
    Admin,
}

const ACTORS: [Actor; 8] = [
    Actor::Anonymous,
    Actor::Resident,
    Actor::Facilitator,
    Actor::Official,
    Actor::OtherOfficial,
    Actor::Kecamatan,
    Actor::OtherKecamatan,
    Actor::Admin,
];

/// Who may use a route.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Rule {
    /// Everyone, logged in or not.
    Anyone,
    /// Anyone logged in.
    LoggedIn,
    /// Only the person who made the proposal.
    Proposer,
    /// Anyone with a role in the village (and the admin).
    Member,
    /// Facilitators and officials of the village (and the admin).
    Staff,
    /// Officials of the village (and the admin).
    Official,
    /// The kecamatan overseeing the village (and the admin).
    Kecamatan,
    /// Any account overseeing villages as a kecamatan, and the admin (the kabupaten).
    Overseer,
    Admin,
}

fn allowed(rule: Rule, actor: Actor) -> bool {
    use Actor::*;
    match rule {
        Rule::Anyone => true,
        Rule::LoggedIn => actor != Anonymous,
        Rule::Proposer => actor == Resident,
        Rule::Member => matches!(actor, Resident | Facilitator | Official | Admin),
        Rule::Staff => matches!(actor, Facilitator | Official | Admin),
        Rule::Official => matches!(actor, Official | Admin),
        Rule::Kecamatan => matches!(actor, Kecamatan | Admin),
        Rule::Overseer => matches!(actor, Kecamatan | OtherKecamatan | Admin),
        Rule::Admin => actor == Admin,
    }
}

/// Every route and method, in the order they are tried (what deletes or freezes comes last).
pub(crate) const MATRIX: &[(&str, &str, Rule)] = &[
    ("GET", "/", Rule::Anyone),
    ("GET", "/healthz", Rule::Anyone),
    ("GET", "/static/app.css", Rule::Anyone),
    ("GET", "/static/icon.svg", Rule::Anyone),
    ("GET", "/static/similar.js", Rule::Anyone),
    ("GET", "/static/print.js", Rule::Anyone),
    ("GET", "/favicon.ico", Rule::Anyone),
    ("GET", "/static/offline.js", Rule::Anyone),
    ("GET", "/sw.js", Rule::Anyone),
    ("GET", "/manifest.webmanifest", Rule::Anyone),
    ("GET", "/statistik", Rule::Anyone),
    ("GET", "/verifikasi", Rule::Anyone),
    ("GET", "/masuk", Rule::Anyone),
    ("POST", "/masuk", Rule::Anyone),
    ("GET", "/daftar", Rule::Anyone),
    ("GET", "/desa/{slug}/usulan/formulir", Rule::Anyone),
    ("POST", "/daftar", Rule::Anyone),
    ("GET", "/lupa-sandi", Rule::Anyone),
    ("POST", "/lupa-sandi", Rule::Anyone),
    ("GET", "/lacak", Rule::Anyone),
    ("GET", "/akun/sesi", Rule::LoggedIn),
    ("POST", "/akun/sesi/akhiri", Rule::LoggedIn),
    ("GET", "/desa/{slug}", Rule::Anyone),
    ("GET", "/desa/{slug}/statistik", Rule::Anyone),
    ("GET", "/desa/{slug}/pemerataan", Rule::Anyone),
    ("GET", "/api/v1/desa/{slug}", Rule::Anyone),
    ("GET", "/desa/{slug}/tindakan", Rule::Staff),
    ("GET", "/desa/{slug}/warga", Rule::Staff),
    ("POST", "/desa/{slug}/warga/permintaan/{id}", Rule::Staff),
    (
        "POST",
        "/desa/{slug}/warga/{user}/kode-sandi",
        Rule::Official,
    ),
    ("GET", "/desa/{slug}/pengaturan", Rule::Official),
    ("POST", "/desa/{slug}/pengaturan", Rule::Official),
    (
        "POST",
        "/desa/{slug}/pengaturan/tata-tertib",
        Rule::Official,
    ),
    // Proposals
    ("GET", "/desa/{slug}/usulan", Rule::Anyone),
    ("POST", "/desa/{slug}/usulan", Rule::Anyone),
    ("GET", "/desa/{slug}/usulan/baru", Rule::Anyone),
    ("GET", "/desa/{slug}/usulan/mirip", Rule::Anyone),
    ("GET", "/desa/{slug}/usulan/{number}", Rule::Anyone),
    (
        "GET",
        "/desa/{slug}/usulan/{number}/foto/{photo}",
        Rule::Anyone,
    ),
    ("GET", "/api/v1/desa/{slug}/usulan", Rule::Anyone),
    ("GET", "/api/v1/desa/{slug}/usulan/{number}", Rule::Anyone),
    (
        "POST",
        "/desa/{slug}/usulan/{number}/tanggapan",
        Rule::Member,
    ),
    (
        "POST",
        "/desa/{slug}/usulan/{number}/jawaban",
        Rule::Official,
    ),
    (
        "POST",
        "/desa/{slug}/usulan/{number}/tanggapan/{id}/sembunyikan",
        Rule::Official,
    ),
    // Staff reach it; which moves each may make is checked within.
    ("POST", "/desa/{slug}/usulan/{number}/status", Rule::Staff),
    ("GET", "/desa/{slug}/usulan/{number}/ubah", Rule::Proposer),
    ("POST", "/desa/{slug}/usulan/{number}/ubah", Rule::Proposer),
    ("POST", "/desa/{slug}/usulan/{number}/tarik", Rule::Proposer),
    (
        "POST",
        "/desa/{slug}/usulan/{number}/gabung",
        Rule::Official,
    ),
    ("POST", "/desa/{slug}/usulan/{number}/kemajuan", Rule::Staff),
    (
        "POST",
        "/desa/{slug}/usulan/{number}/pengamatan",
        Rule::Member,
    ),
    (
        "POST",
        "/desa/{slug}/usulan/{number}/tindak-lanjut",
        Rule::Staff,
    ),
    (
        "POST",
        "/desa/{slug}/usulan/{number}/penggerak",
        Rule::Staff,
    ),
    (
        "POST",
        "/desa/{slug}/usulan/{number}/evaluasi",
        Rule::Member,
    ),
    ("POST", "/desa/{slug}/usulan/{number}/tingkat", Rule::Staff),
    ("POST", "/desa/{slug}/usulan/{number}/kanal", Rule::Staff),
    (
        "POST",
        "/desa/{slug}/usulan/{number}/kemitraan",
        Rule::Staff,
    ),
    (
        "POST",
        "/desa/{slug}/usulan/{number}/alternatif",
        Rule::Staff,
    ),
    (
        "POST",
        "/desa/{slug}/usulan/{number}/pengamatan/{update}/moderasi",
        Rule::Staff,
    ),
    (
        "POST",
        "/desa/{slug}/usulan/{number}/kemitraan/{pledge}/realisasi",
        Rule::Staff,
    ),
    (
        "POST",
        "/desa/{slug}/usulan/{number}/pelaksana",
        Rule::Staff,
    ),
    // Groups and the network
    ("GET", "/desa/{slug}/kelompok", Rule::Anyone),
    ("POST", "/desa/{slug}/kelompok", Rule::Staff),
    ("GET", "/desa/{slug}/kelompok/{id}", Rule::Anyone),
    ("POST", "/desa/{slug}/kelompok/{id}", Rule::Staff),
    ("POST", "/desa/{slug}/kelompok/{id}/riwayat", Rule::Staff),
    (
        "POST",
        "/desa/{slug}/kelompok/{id}/riwayat/{entry}/hapus",
        Rule::Staff,
    ),
    (
        "POST",
        "/desa/{slug}/kelompok/{id}/desa-anggota",
        Rule::Staff,
    ),
    (
        "POST",
        "/desa/{slug}/kelompok/{id}/desa-anggota/{member}/hapus",
        Rule::Staff,
    ),
    ("GET", "/desa/{slug}/masalah", Rule::Anyone),
    ("POST", "/desa/{slug}/masalah", Rule::Staff),
    ("GET", "/desa/{slug}/masalah/{id}", Rule::Anyone),
    ("POST", "/desa/{slug}/masalah/{id}", Rule::Staff),
    ("POST", "/desa/{slug}/masalah/{id}/usulan", Rule::Staff),
    ("POST", "/desa/{slug}/masalah/{id}/sesudah", Rule::Staff),
    ("GET", "/desa/{slug}/penggerak", Rule::Anyone),
    ("POST", "/desa/{slug}/penggerak", Rule::Staff),
    ("GET", "/desa/{slug}/penggerak/{id}", Rule::Anyone),
    ("POST", "/desa/{slug}/penggerak/{id}", Rule::Staff),
    ("GET", "/desa/{slug}/dampak", Rule::Anyone),
    ("GET", "/desa/{slug}/survei", Rule::Anyone),
    ("POST", "/desa/{slug}/survei", Rule::Staff),
    ("GET", "/desa/{slug}/survei/{id}", Rule::Anyone),
    ("POST", "/desa/{slug}/survei/{id}", Rule::Anyone),
    ("GET", "/desa/{slug}/jejaring", Rule::Anyone),
    ("POST", "/desa/{slug}/jejaring", Rule::Staff),
    // Meetings
    ("GET", "/desa/{slug}/musyawarah", Rule::Anyone),
    ("POST", "/desa/{slug}/musyawarah", Rule::Staff),
    ("GET", "/desa/{slug}/musyawarah/{id}", Rule::Anyone),
    (
        "GET",
        "/desa/{slug}/musyawarah/{id}/berita-acara",
        Rule::Anyone,
    ),
    (
        "GET",
        "/desa/{slug}/musyawarah/{id}/daftar-hadir-kosong",
        Rule::Anyone,
    ),
    ("GET", "/desa/{slug}/musyawarah/{id}/nilai", Rule::Anyone),
    ("POST", "/desa/{slug}/musyawarah/{id}/nilai", Rule::Anyone),
    (
        "GET",
        "/desa/{slug}/musyawarah/{id}/surat-undangan/{group}",
        Rule::Anyone,
    ),
    ("GET", "/api/v1/desa/{slug}/musyawarah", Rule::Anyone),
    ("GET", "/api/v1/desa/{slug}/musyawarah/{id}", Rule::Anyone),
    ("POST", "/desa/{slug}/musyawarah/{id}/ubah", Rule::Staff),
    ("POST", "/desa/{slug}/musyawarah/{id}/undangan", Rule::Staff),
    (
        "POST",
        "/desa/{slug}/musyawarah/{id}/undangan/hapus",
        Rule::Staff,
    ),
    ("POST", "/desa/{slug}/musyawarah/{id}/hadir", Rule::Staff),
    (
        "GET",
        "/desa/{slug}/musyawarah/{id}/hadir/{line}",
        Rule::Staff,
    ),
    (
        "POST",
        "/desa/{slug}/musyawarah/{id}/hadir/{line}",
        Rule::Staff,
    ),
    ("POST", "/desa/{slug}/musyawarah/{id}/agenda", Rule::Staff),
    ("POST", "/desa/{slug}/musyawarah/{id}/uraian", Rule::Staff),
    (
        "POST",
        "/desa/{slug}/musyawarah/{id}/keputusan",
        Rule::Staff,
    ),
    ("POST", "/desa/{slug}/musyawarah/{id}/status", Rule::Staff),
    ("POST", "/desa/{slug}/musyawarah/{id}/tunda", Rule::Staff),
    (
        "POST",
        "/desa/{slug}/musyawarah/{id}/jadwal-ulang",
        Rule::Staff,
    ),
    (
        "POST",
        "/desa/{slug}/musyawarah/{id}/agenda/hapus",
        Rule::Staff,
    ),
    ("POST", "/desa/{slug}/musyawarah/{id}/usulan", Rule::Staff),
    ("POST", "/desa/{slug}/musyawarah/{id}/adendum", Rule::Staff),
    ("POST", "/desa/{slug}/musyawarah/{id}/pindaian", Rule::Staff),
    ("POST", "/desa/{slug}/musyawarah/{id}/kanal", Rule::Staff),
    // The fixture's meeting is open: its photos are an unfinished record's (a finalized
    // meeting's scans are public, see the seals tests).
    (
        "GET",
        "/desa/{slug}/musyawarah/{id}/pindaian/{scan}",
        Rule::Staff,
    ),
    // Annual plan
    ("GET", "/desa/{slug}/rkp", Rule::Anyone),
    ("POST", "/desa/{slug}/rkp", Rule::Official),
    ("GET", "/desa/{slug}/rkp/{year}", Rule::Anyone),
    ("GET", "/api/v1/desa/{slug}/rkp/{year}", Rule::Anyone),
    ("GET", "/api/v1/desa/{slug}/rkp/{year}/segel", Rule::Anyone),
    (
        "GET",
        "/api/v1/desa/{slug}/musyawarah/{id}/segel",
        Rule::Anyone,
    ),
    ("GET", "/api/v1/kunci", Rule::Anyone),
    ("GET", "/api/v1", Rule::Anyone),
    ("GET", "/api/v1/desa", Rule::Anyone),
    ("GET", "/verifikasi/kunci", Rule::Anyone),
    ("GET", "/desa/{slug}/rkp/{year}/kriteria", Rule::Official),
    ("POST", "/desa/{slug}/rkp/{year}/kriteria", Rule::Official),
    ("GET", "/desa/{slug}/rkp/{year}/pagu", Rule::Official),
    ("POST", "/desa/{slug}/rkp/{year}/pagu", Rule::Official),
    (
        "GET",
        "/desa/{slug}/rkp/{year}/usulan/{number}",
        Rule::Staff,
    ),
    (
        "POST",
        "/desa/{slug}/rkp/{year}/usulan/{number}",
        Rule::Staff,
    ),
    (
        "POST",
        "/desa/{slug}/rkp/{year}/musrenbangdes",
        Rule::Official,
    ),
    (
        "POST",
        "/desa/{slug}/rkp/{year}/musrenbangdes/batal",
        Rule::Official,
    ),
    ("POST", "/desa/{slug}/rkp/{year}/perdes", Rule::Official),
    ("POST", "/desa/{slug}/rkp/{year}/perubahan", Rule::Official),
    (
        "GET",
        "/desa/{slug}/rkp/{year}/pagu-indikatif",
        Rule::Anyone,
    ),
    ("POST", "/desa/{slug}/rkp/{year}/program", Rule::Official),
    (
        "POST",
        "/desa/{slug}/rkp/{year}/program/{id}/hapus",
        Rule::Official,
    ),
    ("GET", "/desa/{slug}/rkp/{year}/perdes", Rule::Anyone),
    ("GET", "/desa/{slug}/rkp/{year}/evaluasi", Rule::Anyone),
    ("GET", "/desa/{slug}/rkp/{year}/du-rkp", Rule::Anyone),
    ("GET", "/desa/{slug}/rkp/{year}/du-rkp.csv", Rule::Anyone),
    (
        "POST",
        "/desa/{slug}/rkp/{year}/du-rkp/{number}/jawaban",
        Rule::Kecamatan,
    ),
    ("GET", "/kecamatan", Rule::Overseer),
    ("GET", "/desa/{slug}/rkp/{year}/tim", Rule::Official),
    ("POST", "/desa/{slug}/rkp/{year}/tim", Rule::Official),
    ("GET", "/desa/{slug}/rkp/{year}/tim/sk", Rule::Anyone),
    ("GET", "/admin/dana-desa", Rule::Admin),
    ("POST", "/admin/dana-desa", Rule::Admin),
    ("POST", "/admin/dana-desa/hapus", Rule::Admin),
    ("GET", "/admin/kalender", Rule::Admin),
    ("POST", "/admin/kalender", Rule::Admin),
    ("POST", "/admin/kalender/hapus", Rule::Admin),
    ("GET", "/desa/{slug}/rkp/tetap", Rule::Anyone),
    ("POST", "/desa/{slug}/rkp/tetap", Rule::Official),
    ("GET", "/desa/{slug}/rkp/tetap/{id}", Rule::Official),
    ("POST", "/desa/{slug}/rkp/tetap/{id}", Rule::Official),
    ("POST", "/desa/{slug}/rkp/tetap/{id}/hapus", Rule::Official),
    ("GET", "/desa/{slug}/rpjm", Rule::Anyone),
    ("GET", "/desa/{slug}/rpjm/baru", Rule::Official),
    ("POST", "/desa/{slug}/rpjm/baru", Rule::Official),
    ("GET", "/desa/{slug}/rpjm/{start}/ubah", Rule::Official),
    ("POST", "/desa/{slug}/rpjm/{start}/ubah", Rule::Official),
    ("GET", "/desa/{slug}/rpjm/{start}/kegiatan", Rule::Official),
    ("POST", "/desa/{slug}/rpjm/{start}/kegiatan", Rule::Official),
    ("POST", "/desa/{slug}/usulan/{number}/rpjm", Rule::Official),
    ("GET", "/desa/{slug}/kalender/{year}", Rule::Anyone),
    // Installation
    ("GET", "/admin", Rule::Anyone),
    ("GET", "/admin/desa", Rule::Admin),
    ("POST", "/admin/desa", Rule::Admin),
    ("GET", "/admin/desa/baru", Rule::Admin),
    // A village's own officials keep its facts.
    ("GET", "/admin/desa/{slug}", Rule::Official),
    ("POST", "/admin/desa/{slug}", Rule::Official),
    ("GET", "/admin/akun", Rule::Admin),
    ("POST", "/admin/akun", Rule::Admin),
    ("POST", "/admin/akun/{id}/cabut", Rule::Admin),
    // What removes or freezes, last.
    ("POST", "/desa/{slug}/jejaring/{id}/hapus", Rule::Staff),
    (
        "POST",
        "/desa/{slug}/masalah/{id}/usulan/{number}/hapus",
        Rule::Staff,
    ),
    (
        "POST",
        "/desa/{slug}/musyawarah/{id}/hadir/{line}/hapus",
        Rule::Staff,
    ),
    (
        "POST",
        "/desa/{slug}/musyawarah/{id}/hadir/pulihkan",
        Rule::Staff,
    ),
    (
        "POST",
        "/desa/{slug}/musyawarah/{id}/pindaian/{scan}/hapus",
        Rule::Staff,
    ),
    ("POST", "/desa/{slug}/musyawarah/{id}/final", Rule::Official),
    ("POST", "/desa/{slug}/survei/{id}/tutup", Rule::Staff),
    ("POST", "/keluar", Rule::Anyone),
];

/// The things the paths name, in village A.
pub(crate) struct Fixture {
    number: String,
    meeting: Uuid,
    line: Uuid,
    group: Uuid,
    relation: Uuid,
    need: Uuid,
    survey: Uuid,
    cadre: Uuid,
    feedback: Uuid,
    standing: Uuid,
    account: Uuid,
}

impl Fixture {
    pub(crate) fn fill(&self, path: &str) -> String {
        let id = if path.contains("/musyawarah/{id}") {
            self.meeting
        } else if path.contains("/kelompok/{id}") {
            self.group
        } else if path.contains("/masalah/{id}") {
            self.need
        } else if path.contains("/survei/{id}") {
            self.survey
        } else if path.contains("/penggerak/{id}") {
            self.cadre
        } else if path.contains("/jejaring/{id}") {
            self.relation
        } else if path.contains("/tanggapan/{id}") {
            self.feedback
        } else if path.contains("/rkp/tetap/{id}") {
            self.standing
        } else {
            self.account
        };
        path.replace("{slug}", "sukamaju")
            .replace("{number}", &self.number)
            .replace("{id}", &id.to_string())
            .replace("{line}", &self.line.to_string())
            .replace("{user}", &self.account.to_string())
            .replace("{group}", &self.group.to_string())
            .replace("{year}", "2027")
            .replace("{start}", "2025")
            .replace("{photo}", &Uuid::new_v4().to_string())
            .replace("{scan}", &Uuid::new_v4().to_string())
            .replace("{pledge}", &Uuid::new_v4().to_string())
            .replace("{update}", &Uuid::new_v4().to_string())
            .replace("{entry}", &Uuid::new_v4().to_string())
            .replace("{member}", &Uuid::new_v4().to_string())
    }
}

pub(crate) async fn fixture(
    app: &mut TestApp,
) -> (Fixture, BTreeMap<Actor, (BTreeMap<String, String>, String)>) {
    let a = app.village("sukamaju").await;
    let b = app.village("mekarsari").await;
    let mut groups = Vec::new();
    for name in ["Kelompok Tani Makmur", "BPD Sukamaju"] {
        let form = GroupForm {
            name: name.into(),
            kind: "tani".into(),
            ..GroupForm::default()
        };
        groups.push(
            app.store
                .create_group(a.id, &form.validate(2026).unwrap(), None)
                .await
                .unwrap(),
        );
    }
    let mut jars = BTreeMap::new();
    let mut keep = |app: &mut TestApp, actor: Actor, token: String| {
        jars.insert(actor, (app.cookies.clone(), token));
    };
    // Anonymous, with a session of its own (a form page was opened).
    app.forget_cookies();
    let t = app.csrf_token().await;
    keep(app, Actor::Anonymous, t);

    app.forget_cookies();
    let account = app
        .login_as("warga@desa.id", Role::Resident, Some(&a))
        .await;
    let r = app
        .post(
            "/desa/sukamaju/usulan",
            &[
                ("title", "Irigasi sawah blok timur"),
                ("problem", "Saluran rusak sejak lama"),
                ("bidang", "02"),
                ("confirmed", "1"),
            ],
        )
        .await;
    r.assert(StatusCode::SEE_OTHER);
    let number = r.location().rsplit('/').next().unwrap().to_string();
    let need = NeedForm {
        title: "Saluran irigasi blok timur rusak".into(),
        ..NeedForm::default()
    };
    let need = app
        .store
        .create_need(
            a.id,
            &need.validate(&a.hamlets, &[], 2026).unwrap(),
            account,
        )
        .await
        .unwrap();
    let survey = SurveyForm {
        title: "Survei air bersih".into(),
        questions: "Sumber air minum utama? | Sumur | PDAM | Sungai".into(),
        ..SurveyForm::default()
    };
    let survey = app
        .store
        .create_survey(a.id, &survey.validate(&[]).unwrap(), account)
        .await
        .unwrap();
    let cadre = musdes::domain::cadre::CadreForm {
        name: "Bu Sarinah".into(),
        role: "kader_posyandu".into(),
        started: "Kelas ibu hamil tiap bulan".into(),
        ..Default::default()
    };
    let cadre = app
        .store
        .create_cadre(
            a.id,
            &cadre.validate(&a.hamlets, &[], 2026).unwrap(),
            account,
        )
        .await
        .unwrap();
    app.post(
        &format!("{}/tanggapan", r.location()),
        &[("kind", "comment"), ("body", "Setuju, saluran itu penting")],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    let t = app.csrf_token().await;
    keep(app, Actor::Resident, t);

    app.forget_cookies();
    app.login_as("pendamping@desa.id", Role::Facilitator, Some(&a))
        .await;
    let path = meeting(app, "musdes").await;
    attend(app, &path, "Siti Aminah", "P", None).await;
    app.post(
        &format!("{path}/undangan"),
        &[("group", &groups[0].to_string())],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    app.post(
        "/desa/sukamaju/jejaring",
        &[
            ("from", &groups[0].to_string()),
            ("to", &groups[1].to_string()),
            ("stance", "supports"),
        ],
    )
    .await
    .assert(StatusCode::SEE_OTHER);
    let t = app.csrf_token().await;
    keep(app, Actor::Facilitator, t);

    for (actor, email, role, village) in [
        (Actor::Official, "kades@desa.id", Role::Official, Some(&a)),
        (
            Actor::OtherOfficial,
            "kades@mekarsari.id",
            Role::Official,
            Some(&b),
        ),
        (
            Actor::Kecamatan,
            "camat@lebak.go.id",
            Role::Kecamatan,
            Some(&a),
        ),
        (
            Actor::OtherKecamatan,
            "camat2@lebak.go.id",
            Role::Kecamatan,
            Some(&b),
        ),
        (Actor::Admin, "admin@desa.id", Role::Admin, None),
    ] {
        app.forget_cookies();
        app.login_as(email, role, village).await;
        if actor == Actor::Official {
            app.post("/desa/sukamaju/rkp", &[("year", "2027")])
                .await
                .assert(StatusCode::SEE_OTHER);
            app.post(
                "/desa/sukamaju/rpjm/baru",
                &[
                    ("start_year", "2025"),
                    ("vision", "Sukamaju yang mandiri dan sejahtera"),
                    ("mission", "Memperbaiki layanan dasar warga"),
                ],
            )
            .await
            .assert(StatusCode::SEE_OTHER);
            let tim = "/desa/sukamaju/rkp/2027/tim";
            let version = app.get(tim).await.field("version");
            let team = crate::rpjm::team(7, true, &version);
            app.post(tim, &crate::rpjm::send(&team))
                .await
                .assert(StatusCode::SEE_OTHER);
            app.post(
                "/desa/sukamaju/rkp/tetap",
                &[
                    ("sub_bidang", "01.01"),
                    ("kegiatan", "Siltap kepala desa"),
                    ("cost", "1.000.000"),
                    ("source", "add"),
                    ("from_year", "2026"),
                ],
            )
            .await
            .assert(StatusCode::SEE_OTHER);
        }
        let t = app.csrf_token().await;
        keep(app, actor, t);
    }

    let id = meeting_id(&path);
    let parts = app.store.meeting_parts(id).await.unwrap();
    let p = app.store.proposal_by_number(a.id, &number).await.unwrap();
    let fixture = Fixture {
        number,
        meeting: id,
        line: parts.attendance[0].id,
        group: groups[0],
        relation: app.store.relations(a.id).await.unwrap()[0].id,
        need,
        survey,
        cadre,
        feedback: app.store.feedback_for(p.id).await.unwrap()[0].id,
        standing: app.store.standing_items(a.id).await.unwrap()[0].item.id,
        account,
    };
    (fixture, jars)
}

/// Pages whose thing the fixture does not make, where an allowed visitor's 404 is the
/// right answer: a made-up photo or scan, the seal of a meeting still open and of a plan
/// not yet set, and a proposal not (yet) accepted into the plan.
fn not_in_fixture(pattern: &str) -> bool {
    pattern.contains("{photo}")
        || pattern.contains("{scan}")
        || pattern.ends_with("/segel")
        || pattern == "/desa/{slug}/rkp/{year}/usulan/{number}"
}

/// Every method and path the router serves: the paths from the route table, the methods
/// from the router's own answer to a method it does not serve (405 with `Allow`).
async fn served(app: &mut TestApp, fixture: &Fixture) -> BTreeSet<(String, String)> {
    let config = app.config.clone();
    let mut all = BTreeSet::new();
    for path in musdes::web::route_table(&config).paths() {
        let r = app
            .send(
                Request::builder()
                    .method(Method::PUT)
                    .uri(fixture.fill(path))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        r.assert(StatusCode::METHOD_NOT_ALLOWED);
        for m in r
            .header("allow")
            .split(',')
            .map(str::trim)
            .filter(|m| *m != "HEAD")
        {
            all.insert((m.to_string(), path.clone()));
        }
    }
    all
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn every_route_answers_every_kind_of_visitor_as_the_rules_say(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (fixture, jars) = fixture(&mut app).await;
    let served = served(&mut app, &fixture).await;
    let listed: BTreeSet<(String, String)> = MATRIX
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    let missing: Vec<_> = served.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "routes without a line in MATRIX: {missing:?}"
    );
    let stale: Vec<_> = listed.difference(&served).collect();
    assert!(
        stale.is_empty(),
        "MATRIX lines for routes that are gone: {stale:?}"
    );

    let mut wrong = Vec::new();
    for (method, pattern, rule) in MATRIX {
        let path = fixture.fill(pattern);
        // Those refused first: what the allowed do may remove the thing the path names.
        let mut actors = ACTORS.to_vec();
        actors.sort_by_key(|a| allowed(*rule, *a));
        for actor in actors {
            let (jar, token) = &jars[&actor];
            app.cookies = jar.clone();
            let r = if *method == "GET" {
                app.get(&path).await
            } else {
                app.post_raw(&path, &[("csrf_token", token)]).await
            };
            let to_login = r.status == StatusCode::SEE_OTHER && r.location().starts_with("/masuk");
            let ok = if r.status.is_server_error() {
                false
            } else if allowed(*rule, actor) {
                // Let in, and answered by the handler: a page, a redirect, or (for a
                // form posted empty) its refusal of the input. A 404 proves nothing,
                // unless the path names something the fixture invents.
                let answered = if *method == "GET" {
                    r.status.is_success() || (r.status.is_redirection() && !to_login)
                } else {
                    // A form posted empty may name nothing (404), and what one allowed
                    // visitor removed is gone for the next; the refused visitors'
                    // 403 on the same request shows the check comes first.
                    !to_login && r.status != StatusCode::FORBIDDEN
                };
                answered || (r.status == StatusCode::NOT_FOUND && not_in_fixture(pattern))
            } else if actor == Actor::Anonymous {
                to_login
            } else {
                r.status == StatusCode::FORBIDDEN
            };
            if !ok {
                wrong.push(format!(
                    "{method} {pattern} as {actor:?}: {} {}",
                    r.status,
                    r.location()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "answers against the rules:\n{}",
        wrong.join("\n")
    );
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn every_post_without_the_csrf_token_is_403_and_changes_nothing(#[case] backend: Backend) {
    let Some(mut app) = TestApp::new(backend).await else {
        return;
    };

    let (fixture, jars) = fixture(&mut app).await;
    let before = app
        .get(&fixture.fill("/api/v1/desa/{slug}/usulan/{number}"))
        .await
        .body;
    for actor in [Actor::Anonymous, Actor::Official, Actor::Admin] {
        for (method, pattern, _) in MATRIX.iter().filter(|(m, _, _)| *m == "POST") {
            app.cookies = jars[&actor].0.clone();
            let path = fixture.fill(pattern);
            let r = app
                .post_raw(&path, &[("title", "Tanpa token"), ("status", "accepted")])
                .await;
            assert_eq!(
                r.status,
                StatusCode::FORBIDDEN,
                "{method} {pattern} as {actor:?}"
            );
            let wrong = app.post_raw(&path, &[("csrf_token", "palsu")]).await;
            assert_eq!(
                wrong.status,
                StatusCode::FORBIDDEN,
                "{method} {pattern} as {actor:?} with a wrong token"
            );
        }
    }
    app.forget_cookies();
    assert_eq!(
        app.get(&fixture.fill("/api/v1/desa/{slug}/usulan/{number}"))
            .await
            .body,
        before
    );
}
