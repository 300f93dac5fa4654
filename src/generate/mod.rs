//! `musdes generate`: deterministic, realistic data at a chosen scale, for benchmarks and
//! demos. The same seed gives the same villages, names, texts and numbers (dates are
//! placed relative to the day it runs, so "this year" always has data).

use chrono::{DateTime, Datelike, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use crate::domain::meeting::{
    self, Record, RecordAttendee, RecordDecision, RecordGroup, RecordItem,
};
use crate::domain::village::VillageForm;
use crate::store::bulk::{
    AttendanceRow, EventRow, FeedbackRow, GroupRow, MeetingRow, ProposalRow, RelationRow,
    VillageRows,
};
use crate::store::villages::Village;
use crate::store::{Store, StoreError};

mod planning;

/// The scale asked for.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub villages: usize,
    pub proposals: usize,
    pub seed: u64,
}

impl Default for Scale {
    /// A kabupaten: 300 villages, 100,000 proposals (one village holding 20,000).
    fn default() -> Self {
        Scale {
            villages: 300,
            proposals: 100_000,
            seed: 1,
        }
    }
}

/// What was made, the biggest village first.
#[derive(serde::Serialize)]
pub struct Generated {
    pub villages: Vec<(String, usize)>,
    /// The first (big) village's slug, its proposal with 50 feedback entries and 20 events,
    /// and its meeting with 80 attendees: the pages the benchmark measures.
    pub big_village: String,
    pub big_proposal: String,
    pub big_meeting: Option<Uuid>,
    pub feedback: usize,
    pub meetings: usize,
    pub attendance: usize,
    /// This year: its RKP Desa was set last year (every village's), next year's is a draft.
    pub plan_year: i64,
    /// Entries of the set plans, and of their DU-RKP (each answered by the kecamatan).
    pub plan_items: usize,
    pub du_rkp: usize,
}

/// Proposals per village: with more than one village the first holds a fifth of all,
/// the others share the rest unevenly (every one gets at least one).
pub fn shares(scale: &Scale, rng: &mut StdRng) -> Vec<usize> {
    let v = scale.villages.max(1);
    if v == 1 {
        return vec![scale.proposals];
    }
    let big = scale.proposals / 5;
    let rest = scale.proposals - big;
    let weights: Vec<f64> = (1..v).map(|_| rng.gen_range(0.5..1.5)).collect();
    let total: f64 = weights.iter().sum();
    let mut out = vec![big];
    let mut given = 0;
    for (i, w) in weights.iter().enumerate() {
        let n = if i + 2 == v {
            rest - given
        } else {
            ((rest as f64) * w / total) as usize
        };
        given += n;
        out.push(n);
    }
    out
}

const PREFIXES: [&str; 24] = [
    "Suka", "Mekar", "Karang", "Sido", "Tegal", "Wono", "Sumber", "Banjar", "Jati", "Cikal",
    "Harja", "Mulya", "Rejo", "Giri", "Tanjung", "Kali", "Sri", "Bumi", "Pasir", "Ngasem", "Purwo",
    "Taman", "Gunung", "Cipta",
];
const SUFFIXES: [&str; 20] = [
    "maju",
    "sari",
    "anyar",
    "mulyo",
    "rejo",
    "jaya",
    "makmur",
    "harjo",
    "agung",
    "asri",
    "wangi",
    "indah",
    "sejahtera",
    "mukti",
    "kencana",
    "lestari",
    "rahayu",
    "tengah",
    "kidul",
    "wetan",
];
const KECAMATAN: [&str; 12] = [
    "Bobotsari",
    "Karangreja",
    "Mrebet",
    "Bojongsari",
    "Kutasari",
    "Padamara",
    "Kalimanah",
    "Kemangkon",
    "Bukateja",
    "Rembang",
    "Karanganyar",
    "Kejobong",
];
const GIVEN_MEN: [&str; 30] = [
    "Ahmad", "Budi", "Darmo", "Eko", "Fajar", "Gunawan", "Hadi", "Imam", "Joko", "Kasno", "Lukman",
    "Mulyadi", "Nur", "Purnomo", "Rohmat", "Sarno", "Slamet", "Sutrisno", "Tono", "Wagiman",
    "Yanto", "Agus", "Bambang", "Dedi", "Heru", "Karyo", "Supri", "Tarno", "Wahyu", "Yusuf",
];
const GIVEN_WOMEN: [&str; 30] = [
    "Aminah", "Bariyah", "Dewi", "Endang", "Fatimah", "Giyem", "Hartini", "Indah", "Juminah",
    "Kartini", "Lestari", "Marni", "Nining", "Painem", "Ratna", "Siti", "Sukirah", "Tumini",
    "Wartini", "Yuli", "Ani", "Dwi", "Erna", "Lilis", "Nur Aini", "Rina", "Sri", "Tri", "Umi",
    "Wulan",
];
const FAMILY: [&str; 16] = [
    "Santoso",
    "Wibowo",
    "Saputra",
    "Hidayat",
    "Rahmawati",
    "Susanti",
    "Purwanto",
    "Setiawan",
    "Handayani",
    "Kurniawan",
    "Lestari",
    "Nugroho",
    "Prasetyo",
    "Suryani",
    "Wijaya",
    "Utami",
];
const HAMLETS: [&str; 8] = [
    "Krajan",
    "Karanganyar",
    "Sidamulya",
    "Kalitengah",
    "Pucung",
    "Sawangan",
    "Bendungan",
    "Gumelem",
];
const ROMAN: [&str; 8] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"];

/// (bidang, action, object, problem)
const WORKS: [(&str, &str, &str, &str); 20] = [
    (
        "02",
        "Rehabilitasi",
        "saluran irigasi tersier",
        "Saluran retak dan bocor; sawah di ujung blok kekurangan air saat kemarau",
    ),
    (
        "02",
        "Pengerasan",
        "jalan usaha tani",
        "Jalan tanah ke sawah tidak dapat dilalui gerobak saat hujan",
    ),
    (
        "02",
        "Pembangunan",
        "talud jalan desa",
        "Bahu jalan longsor dan membahayakan pengendara",
    ),
    (
        "02",
        "Pembangunan",
        "drainase permukiman",
        "Air hujan menggenangi rumah warga karena selokan tersumbat",
    ),
    (
        "02",
        "Pemasangan",
        "lampu penerangan jalan",
        "Jalan antardusun gelap dan rawan kecelakaan pada malam hari",
    ),
    (
        "02",
        "Pembangunan",
        "sumur bor air bersih",
        "Warga harus berjalan jauh mengambil air bersih pada musim kemarau",
    ),
    (
        "02",
        "Rehabilitasi",
        "rumah tidak layak huni",
        "Beberapa keluarga miskin tinggal di rumah beratap bocor dan berlantai tanah",
    ),
    (
        "02",
        "Pembangunan",
        "jembatan penghubung",
        "Anak sekolah menyeberang sungai tanpa jembatan yang aman",
    ),
    (
        "03",
        "Pengadaan",
        "sarana posyandu balita",
        "Timbangan dan alat ukur posyandu sudah rusak",
    ),
    (
        "03",
        "Pembinaan",
        "kegiatan karang taruna",
        "Pemuda tidak memiliki kegiatan positif setelah sekolah",
    ),
    (
        "03",
        "Penyelenggaraan",
        "posyandu lansia keliling",
        "Lansia di dusun jauh tidak dapat datang ke posyandu",
    ),
    (
        "03",
        "Pembinaan",
        "kelompok pengajian ibu-ibu",
        "Kegiatan keagamaan warga belum memiliki tempat dan sarana",
    ),
    (
        "04",
        "Pelatihan",
        "pengolahan hasil pertanian",
        "Harga gabah rendah saat panen dan petani belum mengolah hasilnya",
    ),
    (
        "04",
        "Pelatihan",
        "kerajinan anyaman bambu",
        "Perajin belum memiliki keterampilan desain dan pemasaran",
    ),
    (
        "04",
        "Pemberdayaan",
        "kelompok wanita tani",
        "Lahan pekarangan belum dimanfaatkan untuk pangan keluarga",
    ),
    (
        "04",
        "Pelatihan",
        "bahasa isyarat bagi keluarga difabel",
        "Anak tuli belum bisa berkomunikasi dengan keluarga dan tetangga",
    ),
    (
        "05",
        "Pembangunan",
        "talud penahan banjir",
        "Tebing sungai longsor setiap musim hujan",
    ),
    (
        "05",
        "Pengadaan",
        "perlengkapan siaga bencana",
        "Desa belum memiliki peralatan evakuasi saat banjir",
    ),
    (
        "01",
        "Pengadaan",
        "sistem informasi desa",
        "Data penduduk masih dicatat tangan sehingga layanan lambat",
    ),
    (
        "01",
        "Rehabilitasi",
        "kantor pelayanan desa",
        "Ruang pelayanan sempit dan atapnya bocor",
    ),
];
const STATUSES: [(&str, u32); 9] = [
    ("submitted", 30),
    ("in_review", 15),
    ("on_agenda", 8),
    ("accepted", 15),
    ("rejected", 5),
    ("deferred", 6),
    ("in_progress", 9),
    ("completed", 7),
    ("evaluated", 5),
];
const CHANNELS: [&str; 4] = ["online", "musdus", "group_meeting", "paper"];
/// (kind, name, vulnerable)
const GROUP_KINDS: [(&str, &str, bool); 12] = [
    ("bpd", "BPD", false),
    ("pemerintah_desa", "Pemerintah Desa", false),
    ("lpm", "LPM", false),
    ("tani", "Kelompok Tani", false),
    ("perempuan", "PKK", true),
    ("pemuda", "Karang Taruna", false),
    ("keagamaan", "Majelis Taklim", false),
    ("tokoh_masyarakat", "Forum Tokoh Masyarakat", false),
    ("perajin", "Kelompok Perajin", false),
    ("disabilitas", "Forum Difabel", true),
    ("masyarakat_miskin", "Kelompok Keluarga Prasejahtera", true),
    ("nelayan", "Kelompok Perikanan", false),
];
const COMMENTS: [&str; 8] = [
    "Saya setuju, ini sangat dibutuhkan warga di sini.",
    "Mohon diprioritaskan karena sudah lama diusulkan.",
    "Warga siap bergotong royong untuk tenaga kerjanya.",
    "Perlu dipastikan lokasinya tidak tumpang tindih dengan program kabupaten.",
    "Anggarannya sebaiknya dirinci per kegiatan.",
    "Bagaimana dengan perawatannya setelah selesai dibangun?",
    "Mohon melibatkan kelompok perempuan sejak perencanaan.",
    "Kami khawatir pekerjaannya molor sampai musim hujan.",
];

fn pick<'a, T>(rng: &mut StdRng, list: &'a [T]) -> &'a T {
    &list[rng.gen_range(0..list.len())]
}

fn choose(rng: &mut StdRng, list: &[&'static str]) -> &'static str {
    list[rng.gen_range(0..list.len())]
}

fn id(rng: &mut StdRng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.r#gen()).into_uuid()
}

fn person(rng: &mut StdRng) -> (String, &'static str) {
    let woman = rng.gen_bool(0.45);
    let given = if woman {
        pick(rng, &GIVEN_WOMEN)
    } else {
        pick(rng, &GIVEN_MEN)
    };
    let name = if rng.gen_bool(0.5) {
        format!("{given} {}", pick(rng, &FAMILY))
    } else {
        (*given).to_string()
    };
    (name, if woman { "P" } else { "L" })
}

fn status(rng: &mut StdRng) -> &'static str {
    let total: u32 = STATUSES.iter().map(|(_, w)| w).sum();
    let mut n = rng.gen_range(0..total);
    for (s, w) in STATUSES {
        if n < w {
            return s;
        }
        n -= w;
    }
    "submitted"
}

/// The level a proposal of this status plausibly stands on.
fn level(rng: &mut StdRng, status: &str) -> i64 {
    let top = match status {
        "submitted" => 2,
        "in_review" => 2,
        "on_agenda" => 3,
        "accepted" | "deferred" | "rejected" => 4,
        _ => 5,
    };
    rng.gen_range(1..=top)
}

/// Fills the database at `scale` and returns what it made.
pub async fn run(store: &Store, scale: Scale) -> anyhow::Result<Generated> {
    let mut rng = StdRng::seed_from_u64(scale.seed);
    let shares = shares(&scale, &mut rng);
    let now = Utc::now();
    let mut made = Generated {
        villages: Vec::new(),
        big_village: String::new(),
        big_proposal: String::new(),
        big_meeting: None,
        feedback: 0,
        meetings: 0,
        attendance: 0,
        plan_year: 0,
        plan_items: 0,
        du_rkp: 0,
    };
    let year = crate::store::proposals::current_year(chrono_tz::Asia::Jakarta);
    made.plan_year = i64::from(year);
    let mut accounts = planning::Accounts::new(&mut rng);
    for (index, count) in shares.iter().enumerate() {
        let mut rng = StdRng::seed_from_u64(
            scale
                .seed
                .wrapping_mul(1_000_003)
                .wrapping_add(index as u64),
        );
        let village = village(store, &mut rng, scale.seed, index).await?;
        let rows = rows(&mut rng, &village, index == 0, *count, now);
        made.feedback += rows.feedback.len();
        made.meetings += rows.meetings.len();
        made.attendance += rows
            .meetings
            .iter()
            .map(|m| m.attendance.len())
            .sum::<usize>();
        store.load_generated(village.id, &rows).await?;
        // What was written finalized is sealed as the app would have sealed it.
        store.seal_unsealed(Some(village.id)).await?;
        let planned = planning::walk(store, &mut rng, &mut accounts, &village, year).await?;
        made.plan_items += planned.items;
        made.du_rkp += planned.du_rkp;
        if index == 0 {
            made.big_village = village.slug.as_str().to_string();
            made.big_proposal = rows
                .proposals
                .first()
                .map(|p| format!("{}-{:03}", p.year, p.seq))
                .unwrap_or_default();
            made.big_meeting = rows
                .meetings
                .iter()
                .find(|m| m.attendance.len() == 80)
                .map(|m| m.id);
        }
        made.villages
            .push((village.slug.as_str().to_string(), *count));
    }
    made.villages
        .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(made)
}

async fn village(
    store: &Store,
    rng: &mut StdRng,
    seed: u64,
    index: usize,
) -> anyhow::Result<Village> {
    let name = format!("{}{}", pick(rng, &PREFIXES), pick(rng, &SUFFIXES));
    let hamlets: Vec<String> = (0..rng.gen_range(3..=6))
        .map(|i| {
            format!(
                "Dusun {} {}",
                ROMAN[i],
                HAMLETS[(i + index) % HAMLETS.len()]
            )
        })
        .collect();
    let population = rng.gen_range(1_500..9_000);
    let kecamatan = pick(rng, &KECAMATAN);
    // Kabupaten 33.03 (Purbalingga); kecamatan and village numbers from the seed and index,
    // so every generated village has its own code.
    let code = format!(
        "33.{:02}.{:02}.2{:03}",
        50 + seed % 49,
        index / 999 + 1,
        index % 999 + 1
    );
    let form = VillageForm {
        name: name.clone(),
        slug: format!("{}-{}", name.to_lowercase(), index + 1),
        code,
        kecamatan: (*kecamatan).into(),
        kabupaten: "Purbalingga".into(),
        provinsi: "Jawa Tengah".into(),
        population: population.to_string(),
        households: (population / 3).to_string(),
        // Each dusun with its share of the people (what the equity page divides by).
        hamlets: hamlets
            .iter()
            .map(|h| format!("{h} = {}", population / hamlets.len() as i64))
            .collect::<Vec<_>>()
            .join(","),
        ..VillageForm::default()
    };
    let checked = form
        .validate()
        .map_err(|e| anyhow::anyhow!("generated village is invalid: {e:?}"))?;
    match store.create_village(&checked, None).await {
        Ok(v) => Ok(v),
        Err(StoreError::Duplicate(what)) => Err(anyhow::anyhow!(
            "a village with this {what} exists already: generate into an empty database, or with another --seed"
        )),
        Err(e) => Err(e.into()),
    }
}

/// Every row of one village. The big village's first proposal carries 50 feedback
/// entries and 20 events, and its first finalized meeting 80 attendees, for the benchmark.
fn rows(
    rng: &mut StdRng,
    village: &Village,
    big: bool,
    count: usize,
    now: DateTime<Utc>,
) -> VillageRows {
    let mut out = VillageRows::default();
    for (i, (kind, label, vulnerable)) in GROUP_KINDS.iter().enumerate() {
        let (contact, _) = person(rng);
        out.groups.push(GroupRow {
            id: id(rng),
            name: format!("{label} {}", village.name),
            kind: (*kind).into(),
            vulnerable: *vulnerable,
            contact_name: contact,
            members: rng.gen_range(8..300),
            since_year: 1990 + (i as i64 * 2) % 34,
        });
    }
    for _ in 0..8 {
        let a = rng.gen_range(0..out.groups.len());
        let b = (a + rng.gen_range(1..out.groups.len())) % out.groups.len();
        if out
            .relations
            .iter()
            .any(|r| r.from == out.groups[a].id && r.to == out.groups[b].id)
        {
            continue;
        }
        out.relations.push(RelationRow {
            from: out.groups[a].id,
            to: out.groups[b].id,
            stance: if rng.gen_bool(0.85) {
                "supports"
            } else {
                "competes"
            },
            form: choose(rng, &["contact", "cooperation", "alliance", "coalition"]),
            since_year: rng.gen_range(2005..2025),
        });
    }
    // Proposals over the last three years, oldest first, numbered per year.
    let span = Duration::days(3 * 365);
    let mut times: Vec<DateTime<Utc>> = (0..count)
        .map(|_| now - Duration::seconds(rng.gen_range(3600..span.num_seconds())))
        .collect();
    times.sort();
    let mut seq_of_year: Vec<(i64, i64)> = Vec::new();
    for (i, at) in times.into_iter().enumerate() {
        let year = i64::from(at.year());
        let seq = match seq_of_year.iter_mut().find(|(y, _)| *y == year) {
            Some((_, s)) => {
                *s += 1;
                *s
            }
            None => {
                seq_of_year.push((year, 1));
                1
            }
        };
        let &(bidang, action, object, problem) = pick(rng, &WORKS);
        let hamlet = pick(rng, &village.hamlets).clone();
        let rt = rng.gen_range(1..12);
        let special = big && i == 0;
        let status = match status(rng) {
            _ if special => "accepted",
            // Accepted before last year: an earlier plan placed it, or sent it back to the
            // RPJM Desa; what the planning years walk is last year's and this year's.
            "accepted" if year < i64::from(now.year()) - 1 => "deferred",
            s => s,
        };
        let level = if special { 4 } else { level(rng, status) };
        let (proposer, _) = person(rng);
        let pid = id(rng);
        let feedback_count = if special { 50 } else { rng.gen_range(0..=10) };
        let mut supports = 0;
        for k in 0..feedback_count {
            let kind = match rng.gen_range(0..4) {
                0 => "support",
                1 => "concern",
                _ => "comment",
            };
            supports += i64::from(kind == "support");
            let (author, _) = person(rng);
            let created = at + Duration::minutes(rng.gen_range(10..60 * 24 * 30) + k as i64);
            let answered = kind == "concern" && rng.gen_bool(0.6);
            out.feedback.push(FeedbackRow {
                id: id(rng),
                proposal_id: pid,
                kind,
                author_name: author,
                group_id: rng
                    .gen_bool(0.3)
                    .then(|| out.groups[rng.gen_range(0..out.groups.len())].id),
                body: if kind == "support" {
                    String::new()
                } else {
                    pick(rng, &COMMENTS).to_string()
                },
                created_at: created,
                answer: answered.then(|| {
                    (
                        "Sekretaris Desa".to_string(),
                        created + Duration::hours(rng.gen_range(2..240)),
                    )
                }),
            });
        }
        out.events.push(EventRow {
            proposal_id: pid,
            at,
            actor_name: proposer.clone(),
            kind: crate::domain::proposal::EventKind::Submitted,
            from_value: None,
            to_value: Some("submitted".into()),
            note: None,
        });
        if status != "submitted" {
            out.events.push(EventRow {
                proposal_id: pid,
                at: at + Duration::days(rng.gen_range(1..60)),
                actor_name: "Sekretaris Desa".into(),
                kind: crate::domain::proposal::EventKind::StatusChanged,
                from_value: Some("submitted".into()),
                to_value: Some(status.into()),
                note: None,
            });
        }
        for l in 1..level {
            out.events.push(EventRow {
                proposal_id: pid,
                at: at + Duration::days(l * 7),
                actor_name: "Pendamping Desa".into(),
                kind: crate::domain::proposal::EventKind::LevelChanged,
                from_value: Some(
                    crate::domain::proposal::Level::from_rank(l)
                        .map_or("inform", |x| x.code())
                        .into(),
                ),
                to_value: Some(
                    crate::domain::proposal::Level::from_rank(l + 1)
                        .map_or("consult", |x| x.code())
                        .into(),
                ),
                note: Some("Bukti tercatat dalam sistem".into()),
            });
        }
        if special {
            for k in 0..(20 - 1 - 1 - (level - 1)) {
                out.events.push(EventRow {
                    proposal_id: pid,
                    at: at + Duration::days(70 + k),
                    actor_name: "Pendamping Desa".into(),
                    kind: crate::domain::proposal::EventKind::Announced,
                    from_value: None,
                    to_value: Some(choose(rng, &crate::domain::ladder::CHANNELS).to_string()),
                    note: Some("Diumumkan kepada warga".into()),
                });
            }
        }
        out.proposals.push(ProposalRow {
            id: pid,
            year,
            seq,
            title: format!("{action} {object} {hamlet} RT {rt:02}"),
            problem: (*problem).into(),
            description: format!(
                "Usulan warga {hamlet}. {problem}. Diusulkan agar {} {object} dikerjakan bersama kelompok masyarakat setempat.",
                action.to_lowercase()
            ),
            bidang,
            hamlet,
            location: format!("RT {rt:02}"),
            estimated_cost: rng.gen_range(5..400) * 1_000_000,
            channel: choose(rng, &CHANNELS),
            proposer_name: proposer,
            status,
            level,
            supports,
            created_at: at,
        });
    }
    meetings(rng, village, big, &mut out, now);
    out
}

fn meetings(
    rng: &mut StdRng,
    village: &Village,
    big: bool,
    out: &mut VillageRows,
    now: DateTime<Utc>,
) {
    let count = (out.proposals.len() * 15 / 100).max(2);
    let record_village = crate::store::meetings::record_village(village);
    let kinds = [
        "musdus",
        "musdus",
        "kelompok",
        "pramusdes",
        "musrenbangdes",
        "musdes",
        "konsultasi",
    ];
    let mut first_finalized = true;
    for _ in 0..count {
        let kind = *pick(rng, &kinds);
        let hamlet = pick(rng, &village.hamlets).clone();
        let scheduled = now - Duration::hours(rng.gen_range(-24 * 30..24 * 3 * 365));
        let status = if scheduled > now {
            "planned"
        } else if rng.gen_bool(0.85) {
            "finalized"
        } else {
            "held"
        };
        let present = if big && status == "finalized" && first_finalized {
            first_finalized = false;
            80
        } else if status == "planned" {
            0
        } else {
            rng.gen_range(12..=48)
        };
        let invited_count = (present as i64 * 4 / 3).max(20);
        let invited: Vec<&GroupRow> = {
            let n = rng.gen_range(3..=8);
            let start = rng.gen_range(0..out.groups.len());
            (0..n)
                .map(|k| &out.groups[(start + k) % out.groups.len()])
                .collect()
        };
        let attendance: Vec<AttendanceRow> = (0..present)
            .map(|_| {
                let (name, gender) = person(rng);
                let group = rng.gen_bool(0.6).then(|| *pick(rng, &invited));
                AttendanceRow {
                    name,
                    gender,
                    group_id: group.map(|g| g.id),
                    role: if group.is_some() {
                        "Wakil kelompok"
                    } else {
                        "Warga"
                    },
                    hamlet: hamlet.clone(),
                }
            })
            .collect();
        // Proposals on the agenda by their place in `out.proposals` (no search by id: a
        // village can hold a million proposals).
        let agenda: Vec<(usize, Option<&'static str>)> = if out.proposals.is_empty() {
            Vec::new()
        } else {
            (0..rng.gen_range(2..=6))
                .map(|_| {
                    let index = rng.gen_range(0..out.proposals.len());
                    let p = &out.proposals[index];
                    // A musyawarah dusun or consultation forwards; only a Musdes decides.
                    let decision = match (status, p.status) {
                        ("planned", _) => None,
                        (
                            _,
                            "accepted" | "rejected" | "deferred" | "in_progress" | "completed"
                            | "evaluated",
                        ) if kind != "musdes" => Some("forwarded"),
                        (_, "rejected") => Some("rejected"),
                        (_, "deferred") => Some("deferred"),
                        (_, "accepted" | "in_progress" | "completed" | "evaluated") => {
                            Some("accepted")
                        }
                        _ => None,
                    };
                    (index, decision)
                })
                .fold(Vec::new(), |mut acc, item| {
                    if !acc.iter().any(|(p, _): &(usize, _)| *p == item.0) {
                        acc.push(item);
                    }
                    acc
                })
        };
        let title = match kind {
            "musdus" => format!("Musyawarah {hamlet}"),
            "kelompok" => format!("Musyawarah {}", invited[0].name),
            "pramusdes" => "Pra-Musyawarah Desa".to_string(),
            "musrenbangdes" => format!("Musrenbang Desa {}", scheduled.year() + 1),
            "musdes" => format!(
                "Musyawarah Desa Penyusunan RKP Desa {}",
                scheduled.year() + 1
            ),
            _ => format!("Forum Konsultasi Warga {hamlet}"),
        };
        let mid = id(rng);
        let place = if kind == "musdus" {
            format!("Balai {hamlet}")
        } else {
            format!("Balai Desa {}", village.name)
        };
        let chair = format!("Bapak {} (Ketua BPD)", pick(rng, &GIVEN_MEN));
        let note_taker = pick(rng, &GIVEN_WOMEN).to_string();
        let sealed = (status == "finalized").then(|| {
            let group_of = |g: Option<Uuid>| {
                g.and_then(|g| out.groups.iter().find(|x| x.id == g))
                    .map(|g| RecordGroup {
                        id: g.id,
                        name: g.name.clone(),
                        kind: g.kind.clone(),
                        vulnerable: g.vulnerable,
                    })
            };
            let record = Record {
                meeting_id: mid,
                village: record_village.clone(),
                kind: kind.into(),
                title: title.clone(),
                scheduled_at: scheduled,
                place: place.clone(),
                chair: Some(chair.clone()),
                note_taker: Some(note_taker.clone()),
                invited_count: Some(invited_count),
                quorum_rule: "half".into(),
                women_minimum_percent: village.women_minimum_percent,
                invited_groups: invited
                    .iter()
                    .filter_map(|g| group_of(Some(g.id)))
                    .collect(),
                attendance: attendance
                    .iter()
                    .map(|a| RecordAttendee {
                        name: a.name.clone(),
                        gender: a.gender.into(),
                        group: group_of(a.group_id),
                        role: Some(a.role.into()),
                        dusun: Some(a.hamlet.clone()),
                        voter: true,
                    })
                    .collect(),
                agenda: agenda
                    .iter()
                    .map(|&(index, d)| {
                        let p = &out.proposals[index];
                        RecordItem {
                            number: format!("{}-{:03}", p.year, p.seq),
                            title: p.title.clone(),
                            bidang: p.bidang.into(),
                            minutes: Some(
                                "Dibahas bersama warga; usulan dijelaskan oleh pengusul.".into(),
                            ),
                            decision: d.map(|d| RecordDecision {
                                decision: d.into(),
                                method: "mufakat".into(),
                                votes_for: None,
                                votes_against: None,
                                votes_abstain: None,
                                chosen: None,
                            }),
                        }
                    })
                    .collect(),
                removed: Vec::new(),
                quorum_note: None,
                finalized_at: Some(scheduled),
                finalized_by: Some("Sekretaris Desa".into()),
                majority_rule: "half".into(),
                postponed: None,
                rescheduled_from: None,
                rescheduled_to: None,
                opening: None,
                kepala_desa: None,
                representative: None,
                agreed_plan: None,
            };
            let frozen = serde_json::to_string(&record).expect("a record serializes");
            let (hash, code) = meeting::seal(&frozen);
            (frozen, hash, code)
        });
        out.meetings.push(MeetingRow {
            id: mid,
            kind,
            title,
            scheduled_at: scheduled,
            place,
            chair,
            note_taker,
            invited_count,
            status,
            sealed,
            invited: invited.iter().map(|g| g.id).collect(),
            attendance,
            agenda: agenda
                .iter()
                .map(|&(index, d)| (out.proposals[index].id, d))
                .collect(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_and_the_first_village_holds_a_fifth() {
        let scale = Scale {
            villages: 300,
            proposals: 100_000,
            seed: 1,
        };
        let s = shares(&scale, &mut StdRng::seed_from_u64(1));
        assert_eq!(s.len(), 300);
        assert_eq!(s.iter().sum::<usize>(), 100_000);
        assert_eq!(s[0], 20_000);
        assert!(s[1..].iter().all(|n| *n > 0 && *n < 20_000));
        let one = shares(
            &Scale {
                villages: 1,
                proposals: 1_000,
                seed: 1,
            },
            &mut StdRng::seed_from_u64(1),
        );
        assert_eq!(one, [1_000]);
        // The same seed, the same split.
        assert_eq!(s, shares(&scale, &mut StdRng::seed_from_u64(1)));
    }
}
