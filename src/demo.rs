//! The demo village: Desa Majasari (seed 000), its hamlets, groups from seed 004's table,
//! one account per role, proposals, a finalized hamlet meeting, the finalized Musdes that
//! agreed next year's list, that year's draft plan (RKP Desa), and the Musdes planned next.
//! Loading it twice changes nothing.

use chrono::TimeZone;
use uuid::Uuid;

use crate::domain::account::{Email, Role, hash_password};
use crate::domain::group::GroupForm;
use crate::domain::mapping::{HistoryEntry, MemberVillage, Profile};
use crate::domain::meeting::{
    Decision, Gender, Kind, Method, NewAttendee, NewDecision, NewMeeting, Votes,
};
use crate::domain::network::{Coalition, NewRelation, Other};
use crate::domain::plan::ItemInput;
use crate::domain::proposal::{ProposalForm, Status, Submitter};
use crate::domain::village::VillageForm;
use crate::store::groups::NewGroup;
use crate::store::proposals::{Proposal, Submission};
use crate::store::reach::Announced;
use crate::store::villages::Village;
use crate::store::{Actor, Store, StoreError};

pub const SLUG: &str = "majasari";
pub const PASSWORD: &str = "majasari-demo-2026";

/// (email, name, role)
pub const ACCOUNTS: [(&str, &str, Role); 5] = [
    ("admin@majasari.desa.id", "Admin Kabupaten", Role::Admin),
    (
        "kades@majasari.desa.id",
        "Sutrisno (Kepala Desa)",
        Role::Official,
    ),
    (
        "pendamping@majasari.desa.id",
        "Rina Wulandari (Pendamping Desa)",
        Role::Facilitator,
    ),
    ("warga@majasari.desa.id", "Siti Aminah", Role::Resident),
    (
        "bpd@majasari.desa.id",
        "Suparno (Ketua BPD)",
        Role::Official,
    ),
];

/// The kecamatan account overseeing the demo village (Kecamatan Bobotsari, Purbalingga).
pub const KECAMATAN: (&str, &str) = (
    "kecamatan@bobotsari.go.id",
    "Dwi Hartono (Kasi Pemerintahan Kecamatan Bobotsari)",
);

const PENDAMPING: &str = "Rina Wulandari (Pendamping Desa)";
const BPD: &str = "Suparno (Ketua BPD)";
const KADES: &str = "Sutrisno (Kepala Desa)";

/// How many groups the demo village has.
pub const GROUP_COUNT: usize = GROUPS.len();

/// (name, kind, vulnerable, contact, members, since)
const GROUPS: [(&str, &str, bool, &str, i64, i64); 9] = [
    (
        "Kelompok Tani Ternak Sapi Sido Makmur",
        "tani",
        false,
        "Pak Darmo",
        32,
        2015,
    ),
    (
        "PKK Desa Majasari",
        "perempuan",
        true,
        "Ibu Wartini",
        45,
        2009,
    ),
    (
        "Karang Taruna Tunas Harapan",
        "pemuda",
        false,
        "Agus Setiawan",
        60,
        2012,
    ),
    ("BPD Majasari", "bpd", false, "H. Slamet Riyadi", 9, 2019),
    (
        "Pemerintah Desa Majasari",
        "pemerintah_desa",
        false,
        "Sutrisno",
        12,
        2019,
    ),
    (
        "Majelis Taklim Al-Ikhlas",
        "keagamaan",
        false,
        "Ustadzah Maryam",
        70,
        2004,
    ),
    (
        "Forum Difabel Majasari",
        "disabilitas",
        true,
        "Bapak Rohmat",
        14,
        2020,
    ),
    (
        "Paguyuban Perajin Bambu",
        "perajin",
        false,
        "Ibu Sumarni",
        21,
        2017,
    ),
    (
        "BKAD Kecamatan Bobotsari",
        "desa_lain",
        false,
        "Bapak Sugeng Riyanto",
        16,
        2018,
    ),
];

/// Loads the demo village if it is not there yet. Returns whether anything was added.
/// A person who signed up with a phone number (log-in name) and waits for a facilitator
/// or an official to confirm her as a resident.
pub const SIGNED_UP: (&str, &str) = ("0812-2000-2026", "Dewi Lestari");

pub async fn load(store: &Store) -> anyhow::Result<bool> {
    match store.village_by_slug(SLUG).await {
        Ok(_) => return Ok(false),
        Err(StoreError::NotFound) => {}
        Err(e) => return Err(e.into()),
    }
    let form = VillageForm {
        name: "Majasari".into(),
        slug: SLUG.into(),
        code: "33.03.13.2005".into(),
        kecamatan: "Bobotsari".into(),
        kabupaten: "Purbalingga".into(),
        provinsi: "Jawa Tengah".into(),
        population: "4.312".into(),
        households: "1.287".into(),
        hamlets:
            "Dusun I Krajan = 1.240, Dusun II Karanganyar = 1.105, Dusun III Sidamulya = 986, \
                  Dusun IV Kalitengah = 981"
                .into(),
        ..VillageForm::default()
    };
    let village = form
        .validate()
        .map_err(|e| anyhow::anyhow!("demo village is invalid: {e:?}"))?;
    let village = match store.create_village(&village, None).await {
        Ok(v) => v,
        // Another server loaded it at the same moment.
        Err(StoreError::Duplicate(_)) => return Ok(false),
        Err(e) => return Err(e.into()),
    };
    for (name, kind, vulnerable, contact, members, since) in GROUPS {
        let group = NewGroup {
            name: name.into(),
            kind: kind.into(),
            vulnerable,
            contact_name: Some(contact.into()),
            contact_phone: None,
            members: Some(members),
            since_year: Some(since),
            relation: "supportive".into(),
            roles: vec!["planning".into(), "musdes".into()],
            profile: Profile::default(),
        };
        store.create_group(village.id, &group, None).await?;
    }
    let hash = tokio::task::spawn_blocking(|| hash_password(PASSWORD)).await?;
    let mut ids = Vec::new();
    for (email, name, role) in ACCOUNTS {
        let email = Email::parse(email).expect("demo e-mail is valid");
        let v = role.needs_village().then_some(village.id);
        let (id, _) = store
            .add_account(&email, name, &hash, role, v.into(), None)
            .await?;
        ids.push(id);
    }
    // A neighbour who signed up with her phone number and waits for confirmation.
    let sign_up = crate::domain::account::NewResident {
        name: SIGNED_UP.1.into(),
        phone: crate::domain::account::Phone::parse(SIGNED_UP.0).expect("demo phone is valid"),
        email: None,
        password: String::new(),
        hamlet: "Dusun III Sidamulya".into(),
    };
    store.sign_up(village.id, &sign_up, &hash).await?;
    let tata = crate::domain::meeting::TataTertib {
        kepala_desa: Some("Sutrisno".into()),
        ..Default::default()
    };
    store
        .update_tata_tertib(&village, village.version, &tata, ids[0])
        .await?;
    let village = store.village_by_slug(SLUG).await?;
    let people = People {
        kades: ids[1],
        facilitator: ids[2],
        resident: ids[3],
        bpd: ids[4],
    };
    let email = Email::parse(KECAMATAN.0).expect("demo e-mail is valid");
    let area = crate::store::accounts::Place::Area {
        kecamatan: "Bobotsari",
        kabupaten: "Purbalingga",
    };
    let (kecamatan, _) = store
        .add_account(&email, KECAMATAN.1, &hash, Role::Kecamatan, area, None)
        .await?;
    standing(store, &village, people.kades).await?;
    last_year(store, &village, &people, kecamatan).await?;
    planning(store, &village, &people).await?;
    network(store, &village, ids[2]).await?;
    cadres(store, &village, &people).await?;
    Ok(true)
}

/// Two of the village's motors of change; the posyandu cadre drives the posyandu training.
async fn cadres(store: &Store, village: &Village, people: &People) -> anyhow::Result<()> {
    use crate::domain::cadre::CheckedCadre;
    let groups = store.list_groups(village.id).await?;
    let pkk = groups.iter().find(|g| g.kind == "perempuan").map(|g| g.id);
    let kader = CheckedCadre {
        name: "Ibu Sumiyati".into(),
        role: "kader_posyandu".into(),
        hamlet: Some("Dusun I Krajan".into()),
        group: pkk,
        since_year: Some(2016),
        started: "Kelas ibu hamil tiap bulan dan penimbangan balita keliling di Dusun I".into(),
    };
    let id = store
        .create_cadre(village.id, &kader, people.facilitator)
        .await?;
    let kpmd = CheckedCadre {
        name: "Mas Aris Munandar".into(),
        role: "kpmd".into(),
        hamlet: Some("Dusun III Sidamulya".into()),
        group: None,
        since_year: Some(2021),
        started: "Pendataan rumah tidak layak huni bersama karang taruna".into(),
    };
    store
        .create_cadre(village.id, &kpmd, people.facilitator)
        .await?;
    // Last year's third proposal: the posyandu training.
    let last_year = crate::store::proposals::current_year(chrono_tz::Asia::Jakarta) - 1;
    let training = store
        .proposal_by_number(village.id, &format!("{last_year}-003"))
        .await?;
    store
        .set_driver(village.id, training.id, Some(id), people.facilitator)
        .await?;
    Ok(())
}

/// The standing items of bidang 01, paid from the ADD every year: (kegiatan, volume, cost,
/// Kasi/Kaur). Their total, [`STANDING_ADD`], is part of each year's ADD pagu.
const STANDING: [(&str, &str, i64, &str); 5] = [
    (
        "Penghasilan tetap dan tunjangan kepala desa",
        "12 bulan",
        36_000_000,
        "kaur_keuangan",
    ),
    (
        "Penghasilan tetap dan tunjangan perangkat desa",
        "8 orang × 12 bulan",
        192_000_000,
        "kaur_keuangan",
    ),
    (
        "Tunjangan dan operasional BPD",
        "7 orang × 12 bulan",
        25_200_000,
        "sekdes",
    ),
    (
        "Insentif RT dan RW",
        "24 orang × 12 bulan",
        28_800_000,
        "kasi_pemerintahan",
    ),
    (
        "Operasional kantor desa (alat tulis, listrik, rapat)",
        "12 bulan",
        18_000_000,
        "kaur_umum",
    ),
];
const STANDING_ADD: i64 = 300_000_000;

/// Programmes of the kabupaten and the province in the village next year: (name, giver,
/// office, amount, location).
const PROGRAMMES: [(&str, &str, &str, i64, &str); 2] = [
    (
        "Pemeliharaan jalan kabupaten ruas Majasari–Bobotsari",
        "kabupaten",
        "Dinas PUPR Kabupaten Purbalingga",
        450_000_000,
        "Dusun I dan II",
    ),
    (
        "Rehabilitasi rumah tidak layak huni",
        "provinsi",
        "Dinas Perkim Provinsi Jawa Tengah",
        120_000_000,
        "Dusun III",
    ),
];

async fn standing(store: &Store, village: &Village, official: Uuid) -> anyhow::Result<()> {
    let from_year = i64::from(crate::store::proposals::current_year(
        chrono_tz::Asia::Jakarta,
    ));
    // Their kegiatan of Permendagri 20/2018, in the order of STANDING.
    let codes = ["01.01.01", "01.01.02", "01.01.05", "01.01.07", "01.01.04"];
    for ((kegiatan, volume, cost, pelaksana), code) in STANDING.into_iter().zip(codes) {
        let item = crate::domain::standing::NewStanding {
            item: crate::domain::standing::Standing {
                id: Uuid::nil(),
                sub_bidang: "01.01".into(),
                kegiatan: kegiatan.into(),
                code: Some(code.into()),
                volume: volume.into(),
                cost,
                source: "add".into(),
                focus: None,
                pelaksana: Some(pelaksana.into()),
            },
            from_year,
            to_year: None,
        };
        store.add_standing(village.id, &item, official).await?;
    }
    Ok(())
}

/// Last year's proposals: (title, problem, bidang, dusun, cost).
const LAST_YEAR: [(&str, &str, &str, &str, &str); 3] = [
    (
        "Penggantian jembatan gantung Kali Klawing",
        "Jembatan gantung di jalan kabupaten menuju Karanganyar berkarat dan bergoyang; anak sekolah menyeberang setiap hari",
        "02",
        "Dusun II Karanganyar",
        "650.000.000",
    ),
    (
        "Sumur bor air bersih Karanganyar",
        "Sumur warga kering setiap kemarau; air diambil dari sungai",
        "02",
        "Dusun II Karanganyar",
        "45.000.000",
    ),
    (
        "Pelatihan kader posyandu dan PMT balita",
        "Kader posyandu belum terlatih mengukur tumbuh kembang; beberapa balita kurang gizi",
        "03",
        "Dusun I Krajan",
        "18.000.000",
    ),
];

/// The Tim Penyusun RKP Desa the kepala desa appoints each year: (name, gender, role, from).
const TIM: [(&str, &str, &str, &str); 9] = [
    ("Bambang Sudarsono", "L", "ketua", "Sekretaris Desa"),
    ("Slamet Riyadi", "L", "sekretaris", "Ketua LPM"),
    ("Endah Puspitasari", "P", "anggota", "Kaur Perencanaan"),
    ("Joko Susilo", "L", "anggota", "Kasi Kesejahteraan"),
    ("Wartini", "P", "anggota", "Ketua TP PKK"),
    (
        "Eko Prasetyo",
        "L",
        "anggota",
        "Kader Pemberdayaan Masyarakat Desa",
    ),
    ("Sukirah", "P", "anggota", "Kelompok Wanita Tani"),
    ("Wagiman", "L", "anggota", "Kelompok Tani Sido Makmur"),
    (
        "Rohmat",
        "L",
        "anggota",
        "Perwakilan penyandang disabilitas",
    ),
];

/// Records the year's Tim Penyusun for `plan`, appointed by SK on `sk_date`.
async fn appoint_tim(
    store: &Store,
    village: &Village,
    plan: Uuid,
    sk_date: chrono::NaiveDate,
    actor: Uuid,
) -> anyhow::Result<()> {
    let tim = crate::domain::tim::Tim {
        sk_number: format!("141/{:02}/{}", sk_date.format("%m"), sk_date.format("%Y")),
        sk_date,
        members: TIM
            .iter()
            .map(|(name, gender, role, from)| crate::domain::tim::Member {
                name: name.to_string(),
                gender: gender.to_string(),
                role: role.to_string(),
                from: from.to_string(),
            })
            .collect(),
    };
    store.save_tim(village.id, plan, &tim, 0, actor).await?;
    Ok(())
}

/// Last year's beneficiaries: (men, women, poor households), by proposal.
const LAST_YEAR_PEOPLE: [(Option<i64>, Option<i64>, Option<i64>); 3] = [
    (Some(570), Some(580), Some(64)),
    (Some(190), Some(198), Some(23)),
    (None, Some(226), Some(41)),
];

/// (proposal index, scores, source, authority, volume, beneficiaries, months)
type LastYearEntry = (
    usize,
    [i64; 5],
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
    &'static str,
    (u32, u32),
);

/// The RPJM Desa's own activities: (years after the start, sub-bidang, activity, location,
/// volume, cost, source).
const RPJM_ITEMS: [(i64, &str, &str, &str, &str, &str, &str); 5] = [
    (
        1,
        "02.03",
        "Rehabilitasi jalan lingkungan Dusun I Krajan",
        "Dusun I Krajan",
        "450 m",
        "60.000.000",
        "dd",
    ),
    (
        2,
        "02.03",
        "Pembangunan talud penahan banjir Kali Tambra",
        "Dusun III Sidamulya",
        "120 m",
        "95.000.000",
        "dd",
    ),
    (
        2,
        "02.02",
        "Pelatihan lanjutan kader posyandu dan kelas ibu hamil",
        "Seluruh dusun",
        "4 angkatan",
        "14.000.000",
        "add",
    ),
    (
        3,
        "04.02",
        "Pengadaan alat pengolah hasil pertanian untuk kelompok tani",
        "Dusun IV Kalitengah",
        "2 unit",
        "48.000.000",
        "dd",
    ),
    (
        4,
        "02.03",
        "Pembangunan embung desa",
        "Dusun II Karanganyar",
        "1 unit",
        "180.000.000",
        "bkk",
    ),
];

/// The RPJM Desa from `start`, set by Perdes in March of that year, with its backlog.
async fn rpjm(store: &Store, village: &Village, people: &People, start: i32) -> anyhow::Result<()> {
    use crate::domain::rpjm::{ItemForm, RpjmForm};
    let form = RpjmForm {
        start_year: start.to_string(),
        vision: "Majasari yang mandiri, sejahtera dan guyub: pertanian yang kuat, layanan dasar yang dekat, warga yang terlibat".into(),
        mission: "Meningkatkan hasil dan pengolahan pertanian bersama kelompok tani\n\
                  Mendekatkan layanan kesehatan dan air bersih ke setiap dusun\n\
                  Membangun dan merawat jalan, jembatan dan saluran desa\n\
                  Melibatkan perempuan, pemuda dan penyandang disabilitas dalam setiap musyawarah"
            .into(),
        perdes_number: format!("2 Tahun {start}"),
        perdes_date: format!("{start}-03-14"),
        version: String::new(),
    };
    let today = chrono::Utc::now().date_naive();
    let checked = form
        .validate(today)
        .map_err(|e| anyhow::anyhow!("demo RPJM Desa is invalid: {e:?}"))?;
    let id = store
        .save_rpjm(village.id, None, &checked, people.kades)
        .await?;
    for (after, sub_bidang, kegiatan, location, volume, cost, source) in RPJM_ITEMS {
        let item = ItemForm {
            year: (i64::from(start) + after).to_string(),
            sub_bidang: sub_bidang.into(),
            kegiatan: kegiatan.into(),
            location: location.into(),
            volume: volume.into(),
            cost: cost.into(),
            source: source.into(),
        }
        .validate(i64::from(start))
        .map_err(|e| anyhow::anyhow!("demo RPJM activity is invalid: {e:?}"))?;
        store
            .add_rpjm_item(village.id, id, &item, &Actor::new(people.kades, KADES))
            .await?;
    }
    Ok(())
}

/// Submits `list` (title, problem, bidang, dusun, cost) as the demo resident, numbered in
/// `year`.
async fn propose(
    store: &Store,
    village: &Village,
    people: &People,
    list: &[(&str, &str, &str, &str, &str)],
    year: i32,
) -> anyhow::Result<Vec<Proposal>> {
    let mut out = Vec::new();
    for (title, problem, bidang, dusun, cost) in list {
        let form = ProposalForm {
            title: title.to_string(),
            problem: problem.to_string(),
            bidang: bidang.to_string(),
            dusun: dusun.to_string(),
            estimated_cost: cost.to_string(),
            ..ProposalForm::default()
        };
        let checked = form
            .validate(&village.hamlets, Submitter::Member)
            .map_err(|e| anyhow::anyhow!("demo proposal is invalid: {e:?}"))?;
        let submission = Submission {
            proposal: &checked,
            status: "submitted",
            proposer_user: Some(people.resident),
            proposer_name: "Siti Aminah".into(),
            entered_by: None,
            entered_by_name: None,
            submitted_from: "demo".into(),
            year,
            tracking_hash: None,
        };
        let number = store.create_proposal(village.id, &submission).await?;
        out.push(
            store
                .proposal_by_number(village.id, &number.to_string())
                .await?,
        );
    }
    Ok(out)
}

/// The planning year before this one, done as the law writes it and on time: the
/// musyawarah dusun forwards three ideas in February, the BPD's Musdes agrees them in June,
/// the Musrenbangdes agrees the RKP Desa and its DU-RKP in September, the Perdes sets it
/// two weeks later, and the kecamatan answers the DU-RKP item (the bridge on the
/// kabupaten's road). Work on this year's items follows.
async fn last_year(
    store: &Store,
    village: &Village,
    people: &People,
    kecamatan: Uuid,
) -> anyhow::Result<()> {
    let year = crate::store::proposals::current_year(chrono_tz::Asia::Jakarta);
    let before = year - 1;
    let tz = chrono_tz::Asia::Jakarta;
    let on = |month: u32, day: u32, hour: u32| {
        let date = chrono::NaiveDate::from_ymd_opt(before, month, day).expect("a real day");
        tz.from_local_datetime(&date.and_hms_opt(hour, 0, 0).expect("valid hour"))
            .single()
            .map(|t| t.with_timezone(&chrono::Utc))
            .expect("Indonesia has no DST")
    };
    rpjm(store, village, people, before).await?;
    let proposals = propose(store, village, people, &LAST_YEAR, before).await?;
    let tata = village.tata_tertib();
    let held = |kind: Kind, title: &str, at, chair: &str, invited: i64| NewMeeting {
        kind,
        title: title.into(),
        scheduled_at: at,
        place: "Balai Desa Majasari".into(),
        chair: Some(chair.into()),
        note_taker: Some("Dwi Lestari (Sekretaris BPD)".into()),
        invited_count: Some(invited),
        quorum_rule: tata.quorum,
        majority_rule: tata.majority,
        representative: Some("Ibu Wartini (PKK)".into()),
    };
    let groups = store.list_groups(village.id).await?;
    let group = |kind: &str| groups.iter().find(|g| g.kind == kind).map(|g| g.id);
    let attendee = |name: &str, gender: &str, kind: &str| NewAttendee {
        name: name.into(),
        gender: Gender::parse(gender).expect("L or P"),
        group: group(kind),
        role: None,
        hamlet: None,
        voter: true,
    };
    let steps = [
        (
            Kind::Musdus,
            "Musyawarah Dusun II Karanganyar".to_string(),
            on(2, 12, 19),
            "Bapak Slamet (Kepala Dusun II)",
            Decision::Forwarded,
            people.facilitator,
        ),
        (
            Kind::Musdes,
            format!("Musyawarah Desa Perencanaan RKP Desa {year}"),
            on(6, 10, 9),
            "Bapak Suparno (Ketua BPD)",
            Decision::Accepted,
            people.bpd,
        ),
    ];
    for (kind, title, at, chair, decision, actor) in steps {
        let id = store
            .create_meeting(village.id, &held(kind, &title, at, chair, 20), actor)
            .await?;
        let m = store.meeting(village.id, id).await?;
        for (name, gender, kind) in &MUSDES_PEOPLE[..15] {
            store
                .add_attendee(&m, &attendee(name, gender, kind), actor)
                .await?;
        }
        for p in &proposals {
            if kind == Kind::Musdus {
                store
                    .add_to_agenda(&m, p.id, &Actor::new(actor, PENDAMPING))
                    .await?;
            }
            let d = NewDecision {
                number: p.number.clone(),
                decision,
                method: Method::Mufakat,
                votes: None,
                choice: None,
            };
            if kind == Kind::Musdes {
                store
                    .add_to_agenda(&m, p.id, &Actor::new(actor, BPD))
                    .await?;
            }
            store.decide(&m, p.id, &d, actor).await?;
        }
        store.mark_held(&m, actor).await?;
        store
            .finalize_meeting(village, id, "", &Actor::new(people.kades, KADES))
            .await?;
    }
    // The Tim Penyusun's draft: the well and the posyandu within the pagu, the bridge (on
    // the kabupaten's road) for the DU-RKP.
    let plan_year = i64::from(year);
    store.open_plan(village.id, plan_year, people.kades).await?;
    let plan = store.plan(village.id, plan_year).await?;
    let sk = chrono::NaiveDate::from_ymd_opt(before, 7, 1).expect("a real day");
    appoint_tim(store, village, plan.id, sk, people.kades).await?;
    let ceilings = [
        ("dd".to_string(), 80_000_000),
        ("add".to_string(), 30_000_000 + STANDING_ADD),
    ];
    store
        .update_ceilings(village.id, plan.id, &ceilings, plan.version, people.kades)
        .await?;
    let entries: [LastYearEntry; 3] = [
        (
            0,
            [5, 4, 4, 2, 4],
            None,
            Some("kabupaten"),
            "1 unit, 60 m",
            "1.150 jiwa Dusun II",
            (5, 10),
        ),
        (
            1,
            [5, 5, 4, 4, 4],
            Some("dd"),
            None,
            "1 unit, 80 m",
            "96 KK Dusun II",
            (4, 6),
        ),
        (
            2,
            [4, 4, 4, 5, 5],
            Some("add"),
            None,
            "12 kader, 4 posyandu",
            "210 balita",
            (2, 11),
        ),
    ];
    for (index, scores, source, authority, volume, beneficiaries, months) in entries {
        let p = &proposals[index];
        let input = ItemInput {
            scores: plan
                .plan
                .criteria
                .iter()
                .zip(scores)
                .map(|(c, s)| (c.id, Some(s)))
                .collect(),
            cost: p.estimated_cost,
            source: source.map(str::to_string),
            pattern: source.map(|_| "swakelola".to_string()),
            authority: authority.map(str::to_string),
            // The well: clean water, a basic health service.
            focus: (source == Some("dd")).then(|| "kesehatan".to_string()),
            people: LAST_YEAR_PEOPLE[index],
            pelaksana: source.map(|_| {
                if index == 2 {
                    "kasi_pelayanan".to_string()
                } else {
                    "kasi_kesejahteraan".to_string()
                }
            }),
            tpk: source.is_some(),
            // The tim verifikasi checked every RAB before the Musrenbangdes.
            rab: Some("verified".into()),
            // The bridge is the kabupaten's: no village kegiatan. The posyandu training is
            // health (bidang 02) in the regulation's list, whatever bidang it came in with.
            kegiatan: [None, Some("02.04.11"), Some("02.02.03")][index].map(str::to_string),
            shares: Vec::new(),
            volume: Some(volume.into()),
            beneficiaries: Some(beneficiaries.into()),
            months: Some(months),
        };
        store
            .save_item(village.id, plan.id, p.id, &input, 0, people.facilitator)
            .await?;
    }
    let musrenbangdes = held(
        Kind::Musrenbangdes,
        &format!("Musrenbangdes RKP Desa {year}"),
        on(9, 9, 9),
        "Bapak Sutrisno (Kepala Desa)",
        20,
    );
    let id = store
        .create_meeting(village.id, &musrenbangdes, people.kades)
        .await?;
    store
        .table_plan(village.id, plan.id, Some(id), people.kades)
        .await?;
    let m = store.meeting(village.id, id).await?;
    for (name, gender, kind) in MUSDES_PEOPLE {
        store
            .add_attendee(&m, &attendee(name, gender, kind), people.kades)
            .await?;
    }
    store.mark_held(&m, people.kades).await?;
    store
        .finalize_meeting(village, id, "", &Actor::new(people.kades, KADES))
        .await?;
    let perdes = crate::domain::plan::Perdes {
        number: format!("5 Tahun {before}"),
        date: chrono::NaiveDate::from_ymd_opt(before, 9, 24).expect("a real day"),
    };
    store
        .set_plan(
            village.id,
            &village.name,
            plan.id,
            &perdes,
            &Actor::new(people.kades, KADES),
        )
        .await?;
    let answer = crate::domain::plan::DuRkpAnswer {
        answer: "accommodated",
        reason: format!(
            "Masuk Renja Dinas PUPR Kabupaten Purbalingga {year}; pembangunan dijadwalkan triwulan III."
        ),
    };
    store
        .answer_du_rkp(
            village.id,
            "Bobotsari",
            plan.id,
            &proposals[0].number,
            &answer,
            &Actor::new(kecamatan, KECAMATAN.1),
        )
        .await?;
    // The PKK carries out the posyandu training.
    if let Some(pkk) = group("perempuan") {
        store
            .set_implementer(
                village.id,
                &proposals[2],
                pkk,
                &Actor::new(people.kades, KADES),
            )
            .await?;
    }
    // The year's work: the well is done, the posyandu training under way.
    for (p, steps) in [
        (&proposals[1], &[Status::InProgress, Status::Completed][..]),
        (&proposals[2], &[Status::InProgress][..]),
    ] {
        let mut from = Status::Accepted;
        for &to in steps {
            let now = store.proposal_by_number(village.id, &p.number).await?;
            store
                .change_status(
                    village.id,
                    now.id,
                    now.version,
                    (from, to),
                    None,
                    &Actor::new(people.kades, KADES),
                )
                .await?;
            from = to;
        }
    }
    needs(store, village, people, &proposals).await
}

/// The problems behind last year's proposals, with their figures before and, for the
/// well that is done, after; and one problem still waiting for a proposal.
async fn needs(
    store: &Store,
    village: &Village,
    people: &People,
    proposals: &[Proposal],
) -> anyhow::Result<()> {
    use crate::domain::need::{CheckedMeasure, CheckedNeed};
    let problem =
        |title: &str, hamlet: &str, affects: &[&str], figure: Option<(i64, &str)>| CheckedNeed {
            title: title.into(),
            description: None,
            hamlet: Some(hamlet.into()),
            affects: affects.iter().map(|a| a.to_string()).collect(),
            affected: figure.map(|(n, u)| (n, u.to_string())),
            since_year: Some(2018),
            meeting: None,
            raised_by: None,
        };
    let well = problem(
        "Sumur warga kering setiap kemarau",
        "Dusun II Karanganyar",
        &["women", "poor_households"],
        Some((86, "KK tanpa air bersih saat kemarau")),
    );
    let children = problem(
        "Balita kurang gizi",
        "Dusun I Krajan",
        &["women", "vulnerable_groups"],
        Some((14, "balita di bawah garis merah")),
    );
    let dark = problem(
        "Gang menuju masjid gelap di malam hari",
        "Dusun III Sidamulya",
        &["women"],
        None,
    );
    let after = CheckedMeasure {
        count: 9,
        measured_on: village.today(),
        note: Some("Pendataan RT 01–04 setelah sumur bor dipakai".into()),
    };
    for (need, answer, measured) in [
        (well, Some(&proposals[1]), Some(after)),
        (children, Some(&proposals[2]), None),
        (dark, None, None),
    ] {
        let id = store
            .create_need(village.id, &need, people.facilitator)
            .await?;
        let Some(p) = answer else { continue };
        let stored = store.need(village.id, id).await?;
        store.link_need(&stored, p.id, people.facilitator).await?;
        if let Some(m) = measured {
            store
                .add_need_measure(&stored, &m, people.facilitator)
                .await?;
        }
    }
    follow_up(store, village, people, &proposals[1]).await
}

/// A resident's concern about the well, answered, and the action taken on it (tindak
/// lanjut), shown by the year's plan that carried the well.
async fn follow_up(
    store: &Store,
    village: &Village,
    people: &People,
    well: &Proposal,
) -> anyhow::Result<()> {
    use crate::domain::follow_up::{Evidence, FollowUp, Subject};
    store
        .add_feedback(
            village.id,
            well.id,
            crate::domain::feedback::Kind::Concern,
            &Actor::new(people.resident, "Siti Aminah"),
            "Sumur bor jangan terlalu dekat dengan kandang sapi, airnya bisa tercemar.",
        )
        .await?;
    let concern = store.feedback_for(well.id).await?;
    let Some(concern) = concern.iter().find(|f| f.kind == "concern") else {
        return Ok(());
    };
    store
        .answer_feedback(
            village.id,
            well.id,
            concern.id,
            &Actor::new(people.kades, KADES),
            "Titik sumur akan ditentukan bersama warga dan petugas puskesmas.",
        )
        .await?;
    let choices = store.follow_up_choices(well.id).await?;
    let evidence = match (choices.plans.first(), choices.decisions.last()) {
        (Some(plan), _) => Evidence::Plan(plan.plan_id),
        (None, Some(d)) => Evidence::Decision(d.meeting_id),
        (None, None) => return Ok(()),
    };
    let action = FollowUp {
        subject: Subject::Concern(concern.id),
        done_on: village.today(),
        actor: "TPK Desa Majasari dan sanitarian Puskesmas Bobotsari".into(),
        change:
            "Titik bor dipindah 40 meter dari kandang sapi; air diuji puskesmas dan layak minum."
                .into(),
        evidence,
    };
    store
        .add_follow_up(village.id, well.id, &action, people.facilitator)
        .await?;
    Ok(())
}

/// (from kind, to kind or outside party, stance, form)
const RELATIONS: [(&str, &str, &str, &str); 6] = [
    ("bpd", "pemerintah_desa", "supports", "cooperation"),
    ("tani", "pemerintah_desa", "supports", "contact"),
    ("perempuan", "bpd", "supports", "contact"),
    ("perajin", "tani", "competes", ""),
    ("pemuda", "keagamaan", "supports", "alliance"),
    (
        "tani",
        "outside:Universitas Jenderal Soedirman",
        "supports",
        "cooperation",
    ),
];

/// A few ties between the demo groups, so the map has something to show (the forum of
/// people with disabilities is left unconnected, as a prompt).
async fn network(store: &Store, village: &Village, actor: Uuid) -> anyhow::Result<()> {
    let groups = store.list_groups(village.id).await?;
    let find = |kind: &str| groups.iter().find(|g| g.kind == kind).map(|g| g.id);
    for (from, to, stance, form) in RELATIONS {
        let (Some(from), to) = (find(from), to) else {
            continue;
        };
        let to = match to.strip_prefix("outside:") {
            Some(name) => Other::Outside {
                name: name.into(),
                kind: "lainnya".into(),
            },
            None => match find(to) {
                Some(g) => Other::Group(g),
                None => continue,
            },
        };
        let relation = NewRelation {
            from,
            to,
            stance: stance.into(),
            form: Some(form.to_string()).filter(|f| !f.is_empty()),
            since_year: Some(2020),
            note: None,
            reason: None,
            coalition: None,
        };
        store.add_relation(village.id, &relation, actor).await?;
    }
    mapping(store, village, actor).await
}

/// The seven mapping questions answered for the farmers' group, a coalition for this
/// year's market day, and the member villages of the kecamatan's BKAD.
async fn mapping(store: &Store, village: &Village, actor: Uuid) -> anyhow::Result<()> {
    let groups = store.list_groups(village.id).await?;
    let find = |kind: &str| groups.iter().find(|g| g.kind == kind).map(|g| g.id);
    let (Some(tani), Some(pkk), Some(perajin), Some(bkad)) = (
        find("tani"),
        find("perempuan"),
        find("perajin"),
        find("desa_lain"),
    ) else {
        return Ok(());
    };
    let before = store.group(village.id, tani).await?;
    let mut form = GroupForm::from_pairs(
        [
            ("name", before.name.as_str()),
            ("kind", "tani"),
            ("members", "32"),
            ("since_year", "2015"),
            ("relation", "supportive"),
            ("roles", "planning"),
            ("roles", "musdes"),
            ("contact_name", "Pak Darmo"),
            ("motive", "Sawah dan kandang anggota bergantung pada saluran irigasi dan jalan usaha tani desa."),
            ("gains", "Air sampai ke sawah di ujung blok; pakan dan bibit dari program desa."),
            ("bonds", "livelihood"),
            ("bonds", "neighbours"),
            ("acts_beyond", "yes"),
            ("other_matters", "Arisan dan simpan pinjam anggota; kerja bakti membersihkan saluran tiap awal musim tanam."),
            ("relation_reason", "Kepala desa hadir di rapat kelompok dan usulan irigasi kelompok masuk RKP Desa."),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.to_string())),
    );
    form.version = before.version.to_string();
    let checked = form
        .validate(village.this_year())
        .map_err(|e| anyhow::anyhow!("demo group profile is invalid: {e:?}"))?;
    store
        .update_group(&before, before.version, &checked, actor)
        .await?;
    for (year, change, what, why, members) in [
        (
            2015,
            "founded",
            "Berdiri dari 12 peternak sapi di Dusun IV Kalitengah.",
            "Bantuan sapi dari dinas mensyaratkan kelompok.",
            Some(12),
        ),
        (
            2019,
            "scope",
            "Mulai mengurus air irigasi tersier, tidak hanya ternak.",
            "Kemarau panjang 2018; anggota juga petani padi.",
            None,
        ),
        (
            2022,
            "membership",
            "Petani Dusun III Sidamulya ikut bergabung.",
            "Saluran yang sama mengairi sawah mereka.",
            Some(32),
        ),
    ] {
        let entry = HistoryEntry {
            year,
            change: change.into(),
            what: what.into(),
            why: Some(why.into()),
            members,
        };
        store.add_history(village.id, tani, &entry, actor).await?;
    }
    let market = NewRelation {
        from: pkk,
        to: Other::Group(perajin),
        stance: "supports".into(),
        form: Some("coalition".into()),
        since_year: Some(village.this_year()),
        note: Some("Koalisi Pasar Produk Desa untuk pameran hari jadi kabupaten".into()),
        reason: Some("Perajin butuh tempat jual, PKK mengurus stan dan konsumsi.".into()),
        coalition: Some(Coalition {
            coordinator: "Ibu Wartini".into(),
            ends_on: chrono::NaiveDate::from_ymd_opt(village.this_year() as i32, 12, 31)
                .unwrap_or_else(|| village.today()),
        }),
    };
    store.add_relation(village.id, &market, actor).await?;
    for (name, kecamatan) in [
        ("Majasari", None),
        ("Banjarsari", None),
        ("Karangmalang", None),
        ("Limbasari", None),
        ("Gandasuli", Some("Bobotsari")),
    ] {
        let member = MemberVillage {
            name: name.into(),
            kecamatan: kecamatan.map(String::from),
        };
        store
            .add_member_village(village.id, bkad, &member, actor)
            .await?;
    }
    Ok(())
}

/// (title, problem, bidang, dusun, cost)
const PROPOSALS: [(&str, &str, &str, &str, &str); 6] = [
    (
        "Rehabilitasi saluran irigasi tersier Kalitengah",
        "Saluran retak dan bocor; sawah di ujung blok kekurangan air pada musim kemarau",
        "02",
        "Dusun IV Kalitengah",
        "85.000.000",
    ),
    (
        "Kelas bahasa isyarat untuk keluarga penyandang disabilitas",
        "Anak tuli di desa belum bisa berkomunikasi dengan keluarga dan tetangga",
        "04",
        "Dusun I Krajan",
        "12.500.000",
    ),
    (
        "Posyandu lansia keliling",
        "Lansia di dusun jauh tidak dapat datang ke posyandu di balai desa",
        "03",
        "Dusun II Karanganyar",
        "9.000.000",
    ),
    (
        "Talud penahan banjir Kali Tambra",
        "Tebing sungai longsor setiap musim hujan dan air masuk ke rumah warga RT 03",
        "02",
        "Dusun III Sidamulya",
        "35.000.000",
    ),
    (
        "Pengerasan jalan usaha tani Sidamulya",
        "Jalan tanah ke sawah tidak dapat dilalui gerobak saat hujan; hasil panen diangkut dengan dipikul",
        "02",
        "Dusun III Sidamulya",
        "150.000.000",
    ),
    (
        "Sistem informasi desa dan pelatihan operator",
        "Data penduduk dan surat-menyurat masih dicatat tangan sehingga layanan lambat",
        "01",
        "Dusun I Krajan",
        "15.000.000",
    ),
];

/// Who came to the demo's finalized Musdes: (name, gender, group kind or empty).
const MUSDES_PEOPLE: [(&str, &str, &str); 16] = [
    ("Suparno", "L", "bpd"),
    ("Sutrisno", "L", "pemerintah_desa"),
    ("Wagiman", "L", "tani"),
    ("Darmo", "L", "tani"),
    ("Sukirah", "P", "perempuan"),
    ("Wartini", "P", "perempuan"),
    ("Rohmat", "L", "disabilitas"),
    ("Kyai Mahfud", "L", "keagamaan"),
    ("Eko Prasetyo", "L", "pemuda"),
    ("Ratna Sari", "P", "pemuda"),
    ("Tukiyem", "P", "perajin"),
    ("Painem", "P", ""),
    ("Kasno", "L", ""),
    ("Tumini", "P", ""),
    ("Sarno", "L", "tani"),
    ("Mulyadi", "L", ""),
];

/// (proposal index, scores, source, volume, beneficiaries, months)
type PlanEntry = (
    usize,
    [i64; 5],
    &'static str,
    &'static str,
    &'static str,
    (u32, u32),
);

/// The draft plan's entries, by proposal (index into `PROPOSALS`): scores on the five
/// default criteria, funding source, volume, beneficiaries, months.
const PLAN_ENTRIES: [PlanEntry; 5] = [
    (
        0,
        [5, 5, 4, 4, 3],
        "dd",
        "620 m",
        "74 KK petani Dusun IV",
        (6, 8),
    ),
    (
        1,
        [3, 3, 4, 4, 5],
        "add",
        "24 pertemuan",
        "18 keluarga",
        (2, 11),
    ),
    (
        3,
        [4, 5, 3, 4, 4],
        "dd",
        "85 m",
        "41 KK RT 03 Sidamulya",
        (4, 6),
    ),
    (
        4,
        [4, 3, 4, 3, 2],
        "dd",
        "1.200 m",
        "156 KK petani",
        (7, 10),
    ),
    (
        5,
        [2, 2, 4, 3, 1],
        "add",
        "1 paket",
        "Seluruh warga desa",
        (3, 5),
    ),
];

/// A few proposals, a finalized hamlet meeting that discussed them, and the Musdes
/// planned next, so every page has something real to show.
/// The demo's accounts by what they do.
struct People {
    kades: Uuid,
    facilitator: Uuid,
    resident: Uuid,
    bpd: Uuid,
}

/// The planning year as the village runs it: the musyawarah dusun gathers ideas and
/// forwards them; the BPD's Musdes misses its quorum, is postponed and rescheduled; the
/// rescheduled Musdes (the BPD's committee takes the notes, the pendamping desa observes
/// and assists) decides, partly by vote; the draft plan follows; the next Musdes is planned.
async fn planning(store: &Store, village: &Village, people: &People) -> anyhow::Result<()> {
    let year = crate::store::proposals::current_year(chrono_tz::Asia::Jakarta);
    let numbers = propose(store, village, people, &PROPOSALS, year).await?;
    let groups = store.list_groups(village.id).await?;
    let group = |kind: &str| groups.iter().find(|g| g.kind == kind).map(|g| g.id);
    let tz = chrono_tz::Asia::Jakarta;
    let at = |days: i64, hour: u32| {
        let day = chrono::Utc::now().with_timezone(&tz).date_naive() + chrono::Duration::days(days);
        tz.from_local_datetime(&day.and_hms_opt(hour, 0, 0).expect("valid hour"))
            .single()
            .map(|t| t.with_timezone(&chrono::Utc))
            .expect("Indonesia has no DST")
    };
    let attendee =
        |name: &str, gender: &str, kind: &str, hamlet: Option<&str>, voter: bool| NewAttendee {
            name: name.into(),
            gender: Gender::parse(gender).expect("L or P"),
            group: group(kind),
            role: None,
            hamlet: hamlet.map(str::to_string),
            voter,
        };
    let tata = village.tata_tertib();
    let meeting = |kind: Kind, title: &str, days: i64, hour: u32, place: &str| NewMeeting {
        kind,
        title: title.into(),
        scheduled_at: at(days, hour),
        place: place.into(),
        chair: None,
        note_taker: None,
        invited_count: None,
        quorum_rule: tata.quorum,
        majority_rule: tata.majority,
        representative: None,
    };
    // The musyawarah dusun gathers and forwards three ideas.
    let musdus = NewMeeting {
        chair: Some("Bapak Wagiman (Kepala Dusun IV)".into()),
        note_taker: Some("Sri Handayani (Sekretaris RW 04)".into()),
        invited_count: Some(15),
        representative: Some("Ibu Sukirah".into()),
        ..meeting(
            Kind::Musdus,
            "Musyawarah Dusun IV Kalitengah",
            -21,
            19,
            "Rumah Ketua RW 04",
        )
    };
    let id = store
        .create_meeting(village.id, &musdus, people.facilitator)
        .await?;
    let m = store.meeting(village.id, id).await?;
    for kind in ["tani", "perempuan", "disabilitas"] {
        if let Some(g) = group(kind) {
            store.invite(&m, g, people.facilitator).await?;
        }
    }
    let hamlet = Some("Dusun IV Kalitengah");
    for (name, gender, kind) in [
        ("Wagiman", "L", "tani"),
        ("Darmo", "L", "tani"),
        ("Sukirah", "P", "perempuan"),
        ("Wartini", "P", "perempuan"),
        ("Rohmat", "L", "disabilitas"),
        ("Painem", "P", ""),
        ("Kasno", "L", ""),
        ("Tumini", "P", ""),
        ("Sarno", "L", "tani"),
    ] {
        store
            .add_attendee(
                &m,
                &attendee(name, gender, kind, hamlet, true),
                people.facilitator,
            )
            .await?;
    }
    store
        .add_attendee(
            &m,
            &attendee("Rina Wulandari", "P", "", None, false),
            people.facilitator,
        )
        .await?;
    let canal = alternatives(store, village, people, &numbers[0]).await?;
    for i in [0, 1, 3] {
        let p = &numbers[i];
        store
            .add_to_agenda(&m, p.id, &Actor::new(people.facilitator, PENDAMPING))
            .await?;
        let forward = NewDecision {
            number: p.number.clone(),
            decision: Decision::Forwarded,
            method: Method::Mufakat,
            votes: None,
            choice: (i == 0).then(|| canal.clone()),
        };
        store.decide(&m, p.id, &forward, people.facilitator).await?;
    }
    store
        .set_minutes(
            &m,
            numbers[0].id,
            Some("Kelompok tani siap bergotong royong menggali saluran; perlu semen dan pasir dari dana desa."),
            people.facilitator,
        )
        .await?;
    store.mark_held(&m, people.facilitator).await?;
    store
        .finalize_meeting(village, id, "", &Actor::new(people.kades, KADES))
        .await?;
    // The BPD's Musdes: only six of twenty-four came, so the opening was postponed and
    // the meeting rescheduled.
    let title = format!("Musyawarah Desa Penyusunan RKP Desa {}", year + 1);
    let first = NewMeeting {
        chair: Some("Bapak Suparno (Ketua BPD)".into()),
        note_taker: Some("Dwi Lestari (Sekretaris BPD, panitia)".into()),
        invited_count: Some(24),
        ..meeting(Kind::Musdes, &title, -12, 9, "Balai Desa Majasari")
    };
    let id = store.create_meeting(village.id, &first, people.bpd).await?;
    let m = store.meeting(village.id, id).await?;
    for g in &groups {
        store.invite(&m, g.id, people.bpd).await?;
    }
    for (name, gender, kind) in &MUSDES_PEOPLE[..6] {
        store
            .add_attendee(&m, &attendee(name, gender, kind, None, true), people.bpd)
            .await?;
    }
    for i in [0, 1, 3, 4, 5] {
        store
            .add_to_agenda(&m, numbers[i].id, &Actor::new(people.bpd, BPD))
            .await?;
    }
    store.mark_held(&m, people.bpd).await?;
    store
        .postpone_meeting(
            village,
            &m,
            "Baru 6 dari 24 undangan hadir pukul 09.00; pembukaan ditunda 30 menit dan kuorum tetap belum tercapai.",
            &Actor::new(people.bpd, BPD),
        )
        .await?;
    let m = store.meeting(village.id, id).await?;
    let id = store
        .reschedule_meeting(
            village,
            &m,
            at(-5, 9),
            "Balai Desa Majasari",
            &Actor::new(people.bpd, BPD),
        )
        .await?;
    store
        .finalize_meeting(village, m.id, "", &Actor::new(people.bpd, BPD))
        .await?;
    // The rescheduled Musdes decides: by consensus, and one item by vote.
    store
        .update_meeting(
            &store.meeting(village.id, id).await?,
            1,
            &NewMeeting {
                representative: Some("Ibu Wartini (PKK)".into()),
                scheduled_at: at(-5, 9),
                ..first.clone()
            },
            people.bpd,
        )
        .await?;
    let m = store.meeting(village.id, id).await?;
    for (name, gender, kind) in MUSDES_PEOPLE {
        store
            .add_attendee(&m, &attendee(name, gender, kind, None, true), people.bpd)
            .await?;
    }
    store
        .add_attendee(
            &m,
            &attendee("Rina Wulandari", "P", "", None, false),
            people.bpd,
        )
        .await?;
    for i in [0, 1, 3, 4] {
        let p = &numbers[i];
        let decision = NewDecision {
            number: p.number.clone(),
            decision: Decision::Accepted,
            method: Method::Mufakat,
            votes: None,
            choice: (i == 0).then(|| canal.clone()),
        };
        store.decide(&m, p.id, &decision, people.bpd).await?;
    }
    let vote = NewDecision {
        number: numbers[5].number.clone(),
        decision: Decision::Accepted,
        method: Method::Voting,
        votes: Some(Votes {
            votes_for: 11,
            against: 3,
            abstain: 2,
        }),
        choice: None,
    };
    store.decide(&m, numbers[5].id, &vote, people.bpd).await?;
    store.mark_held(&m, people.bpd).await?;
    store
        .finalize_meeting(village, id, "", &Actor::new(people.bpd, BPD))
        .await?;
    // The farmers carry out the irrigation; the forum of people with disabilities, the
    // sign language class.
    for (kind, index) in [("tani", 0), ("disabilitas", 1)] {
        if let Some(g) = group(kind) {
            let p = store
                .proposal_by_number(village.id, &numbers[index].number)
                .await?;
            store
                .set_implementer(village.id, &p, g, &Actor::new(people.kades, KADES))
                .await?;
        }
    }
    annual_plan(
        store,
        village,
        i64::from(year) + 1,
        &numbers,
        people.kades,
        people.facilitator,
    )
    .await?;
    let next = NewMeeting {
        chair: Some("Bapak Suparno (Ketua BPD)".into()),
        note_taker: Some("Dwi Lestari (Sekretaris BPD, panitia)".into()),
        invited_count: Some(40),
        ..meeting(
            Kind::Musdes,
            "Musyawarah Desa Pembahasan Usulan Susulan",
            7,
            9,
            "Balai Desa Majasari",
        )
    };
    let id = store.create_meeting(village.id, &next, people.bpd).await?;
    let m = store.meeting(village.id, id).await?;
    for g in &groups {
        store.invite(&m, g.id, people.bpd).await?;
    }
    store
        .add_to_agenda(&m, numbers[2].id, &Actor::new(people.bpd, BPD))
        .await?;
    ladder(store, village, people, &numbers).await
}

/// Two ways of building the irrigation canal, weighed with the farmers' group; the
/// choice the musyawarah made, and why.
async fn alternatives(
    store: &Store,
    village: &Village,
    people: &People,
    canal: &Proposal,
) -> anyhow::Result<crate::domain::meeting::Choice> {
    use crate::domain::ladder::NewAlternative;
    let groups = store.list_groups(village.id).await?;
    let tani = groups
        .iter()
        .find(|g| g.kind == "tani")
        .ok_or_else(|| anyhow::anyhow!("demo: no farmers' group"))?;
    let by = Actor::new(people.facilitator, PENDAMPING);
    let mut ids = Vec::new();
    for (title, cost, trade_offs) in [
        (
            "Saluran pasangan batu kali",
            85_000_000,
            "Tahan puluhan tahun dan batu ada di sungai desa; butuh tukang batu dan semen dari dana desa.",
        ),
        (
            "Saluran tanah diperkuat bambu",
            20_000_000,
            "Murah dan dikerjakan petani sendiri; harus diperbaiki setiap musim hujan.",
        ),
    ] {
        let a = NewAlternative {
            title: title.into(),
            cost,
            trade_offs: trade_offs.into(),
        };
        ids.push(
            store
                .add_alternative(village.id, canal.id, tani.id, &a, &by)
                .await?,
        );
    }
    Ok(crate::domain::meeting::Choice {
        alternative: ids[0],
        reason: "Petani sanggup menyumbang tenaga dan batu; perbaikan tiap musim hujan lebih mahal dalam lima tahun.".into(),
    })
}

/// The proposals' evidence and climbs, each move checked by the ladder's own rules: the
/// irrigation canal reaches `collaborate` (`empower` waits for the plan set by Perdes),
/// the others stand lower, the latest on `inform`.
async fn ladder(
    store: &Store,
    village: &Village,
    people: &People,
    numbers: &[Proposal],
) -> anyhow::Result<()> {
    use crate::domain::feedback::Kind as Feedback;
    use crate::domain::ladder::check_move;
    use crate::domain::proposal::Level;
    let groups = store.list_groups(village.id).await?;
    let group = |kind: &str| groups.iter().find(|g| g.kind == kind).map(|g| g.id);
    // Announced on the notice board of the village hall, and the canal also in the
    // farmers' WhatsApp group: estimated reach and whom each reached.
    let facilitator = Actor::new(people.facilitator, PENDAMPING);
    let hall = village
        .hamlets
        .first()
        .cloned()
        .into_iter()
        .collect::<Vec<_>>();
    for p in numbers {
        let board = crate::domain::reach::CheckedReach {
            channel: "papan_pengumuman",
            reach: Some(120),
            hamlets: hall.clone(),
            groups: Vec::new(),
            note: Some("Papan pengumuman balai desa".into()),
        };
        store
            .record_reach(village.id, Announced::Proposal(p.id), &board, &facilitator)
            .await?;
    }
    if let (Some(tani), Some(hamlet)) = (group("tani"), village.hamlets.last()) {
        let whatsapp = crate::domain::reach::CheckedReach {
            channel: "whatsapp",
            reach: Some(85),
            hamlets: vec![hamlet.clone()],
            groups: vec![tani],
            note: Some("Grup WhatsApp kelompok tani".into()),
        };
        store
            .record_reach(
                village.id,
                Announced::Proposal(numbers[0].id),
                &whatsapp,
                &facilitator,
            )
            .await?;
    }
    // Heard on five; the information system stays on `inform` with its evidence waiting.
    for i in [0, 1, 3, 4, 5] {
        let p = &numbers[i];
        for (author, name, kind, body) in [
            (people.resident, "Siti Aminah", Feedback::Support, ""),
            (
                people.resident,
                "Siti Aminah",
                Feedback::Comment,
                "Warga RT kami siap ikut gotong royong.",
            ),
            (
                people.bpd,
                BPD,
                Feedback::Comment,
                "Perlu dihitung biaya pemeliharaannya setiap tahun.",
            ),
        ] {
            store
                .add_feedback(village.id, p.id, kind, &Actor::new(author, name), body)
                .await?;
        }
    }
    for (i, kind, note) in [
        (0, "tani", "Gotong royong menggali saluran 10 hari"),
        (3, "pemuda", "Karang Taruna mengangkut batu dan pasir"),
    ] {
        if let Some(g) = group(kind) {
            store
                .add_partnership(
                    village.id,
                    numbers[i].id,
                    g,
                    "labour",
                    None,
                    Some(note),
                    &Actor::new(people.facilitator, PENDAMPING),
                )
                .await?;
        }
    }
    let thresholds = village.thresholds();
    // (Empower waits for the RKP Desa to be set by Perdes.)
    for (i, target) in [
        (0, Level::Collaborate),
        (3, Level::Involve),
        (1, Level::Involve),
        (4, Level::Consult),
    ] {
        for to in Level::ALL
            .into_iter()
            .filter(|l| *l > Level::Inform && *l <= target)
        {
            let p = store
                .proposal_by_number(village.id, &numbers[i].number)
                .await?;
            let from = p.level;
            let evidence = store.evidence(village, &p).await?;
            let held = check_move(from, to, "", &evidence, &thresholds).map_err(|e| {
                anyhow::anyhow!("demo {} cannot climb to {}: {e:?}", p.number, to.code())
            })?;
            let snapshot = serde_json::to_value(&held)?;
            let by = Actor::new(people.facilitator, PENDAMPING);
            store
                .move_level(village.id, p.id, from, to, None, &snapshot, Some(&by))
                .await?;
        }
    }
    Ok(())
}

/// Next year's plan as a draft ready for adoption: the pagu, and every accepted proposal
/// scored and detailed. The road does not fit the Dana Desa left and goes back to the
/// RPJM Desa.
async fn annual_plan(
    store: &Store,
    village: &Village,
    year: i64,
    proposals: &[Proposal],
    official: Uuid,
    facilitator: Uuid,
) -> anyhow::Result<()> {
    store.open_plan(village.id, year, official).await?;
    let plan = store.plan(village.id, year).await?;
    let ceilings = [
        ("dd".to_string(), 120_000_000),
        ("add".to_string(), 40_000_000 + STANDING_ADD),
    ];
    store
        .update_ceilings(village.id, plan.id, &ceilings, plan.version, official)
        .await?;
    // What the kabupaten and the province already bring into the village that year.
    for (name, giver, agency, amount, location) in PROGRAMMES {
        let programme = crate::domain::programme::NewProgramme {
            name: name.into(),
            giver: giver.into(),
            agency: agency.into(),
            amount,
            location: Some(location.into()),
        };
        store
            .add_programme(village.id, plan.id, &programme, official)
            .await?;
    }
    for (index, scores, source, volume, beneficiaries, months) in PLAN_ENTRIES {
        let p = &proposals[index];
        let input = ItemInput {
            scores: plan
                .plan
                .criteria
                .iter()
                .zip(scores)
                .map(|(c, s)| (c.id, Some(s)))
                .collect(),
            cost: p.estimated_cost,
            source: Some(source.into()),
            pattern: Some("swakelola".into()),
            authority: None,
            // The irrigation and the farm road serve food security; the flood wall, a
            // village adapting to its climate.
            focus: match (source, index) {
                ("dd", 0 | 4) => Some("ketahanan_pangan".into()),
                ("dd", _) => Some("iklim".into()),
                _ => None,
            },
            people: (None, None, None),
            pelaksana: None,
            tpk: false,
            // The tim verifikasi has checked the first two RABs so far.
            rab: (index < 2).then(|| "verified".into()),
            // Irrigation is agriculture (bidang 04) in the regulation's list; the flood wall
            // is a village activity of its own in public works; the information system has
            // no code chosen yet.
            kegiatan: match index {
                0 => Some("04.02.04".into()),
                1 => Some("04.04.03".into()),
                3 => Some("02.03.90".into()),
                4 => Some("02.03.12".into()),
                _ => None,
            },
            shares: Vec::new(),
            volume: Some(volume.into()),
            beneficiaries: Some(beneficiaries.into()),
            months: Some(months),
        };
        store
            .save_item(village.id, plan.id, p.id, &input, 0, facilitator)
            .await?;
    }
    Ok(())
}
