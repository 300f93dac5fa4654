//! The planning years of a generated village, walked through the store as the app's users
//! would: its RPJM Desa, last year's RKP Desa (Tim Penyusun, pagu, every candidate entered,
//! agreed in a Musrenbangdes, set by Perdes, the DU-RKP answered by the kecamatan) and next
//! year's draft with its Tim and pagu.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use rand::Rng;
use rand::rngs::StdRng;
use uuid::Uuid;

use super::{GIVEN_MEN, GIVEN_WOMEN, WORKS, person, pick};
use crate::domain::account::{Email, Role};
use crate::domain::apbdes::PELAKSANA;
use crate::domain::meeting::{Gender, Kind, NewAttendee, NewMeeting};
use crate::domain::plan::{DuRkpAnswer, ItemInput, Perdes, Placement};
use crate::domain::tim::{Member, Tim};
use crate::store::accounts::Place;
use crate::store::villages::Village;
use crate::store::{Actor, Store};

/// What the planning years made, for the benchmark's plan pages.
#[derive(Debug, Default, Clone, Copy)]
pub struct Made {
    pub items: usize,
    pub du_rkp: usize,
}

/// The accounts the walk acts as: one official per village, one kecamatan account per
/// kecamatan. None of them can log in (their password is random and forgotten).
pub struct Accounts {
    hash: String,
    kecamatan: HashMap<String, Uuid>,
}

impl Accounts {
    pub fn new(rng: &mut StdRng) -> Accounts {
        let secret: [u8; 24] = rng.r#gen();
        let password: String = secret.iter().map(|b| format!("{b:02x}")).collect();
        Accounts {
            hash: crate::domain::account::hash_password(&password),
            kecamatan: HashMap::new(),
        }
    }

    async fn add(
        &self,
        store: &Store,
        email: &str,
        name: &str,
        role: Role,
        place: Place<'_>,
    ) -> anyhow::Result<Uuid> {
        let email =
            Email::parse(email).ok_or_else(|| anyhow::anyhow!("bad generated e-mail {email}"))?;
        Ok(store
            .add_account(&email, name, &self.hash, role, place, None)
            .await?
            .0)
    }
}

/// 09:00 in the village on `date`.
fn morning(date: NaiveDate) -> DateTime<Utc> {
    chrono_tz::Asia::Jakarta
        .from_local_datetime(&date.and_hms_opt(9, 0, 0).expect("a valid hour"))
        .single()
        .expect("Indonesia has no DST")
        .with_timezone(&Utc)
}

fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a real day")
}

/// Nine members, the sekretaris desa in the chair, four women among them.
fn tim(rng: &mut StdRng, sk_date: NaiveDate) -> Tim {
    let from = [
        "Sekretaris Desa",
        "Ketua LPM",
        "Kaur Perencanaan",
        "Kasi Kesejahteraan",
        "Ketua TP PKK",
        "Kader Pemberdayaan Masyarakat Desa",
        "Kelompok Wanita Tani",
        "Kelompok Tani",
        "Perwakilan penyandang disabilitas",
    ];
    let members = from
        .iter()
        .enumerate()
        .map(|(i, from)| {
            let woman = matches!(i, 2 | 4 | 6 | 8);
            let name = if woman {
                pick(rng, &GIVEN_WOMEN)
            } else {
                pick(rng, &GIVEN_MEN)
            };
            Member {
                name: name.to_string(),
                gender: if woman { "P" } else { "L" }.into(),
                role: match i {
                    0 => "ketua",
                    1 => "sekretaris",
                    _ => "anggota",
                }
                .into(),
                from: from.to_string(),
            }
        })
        .collect();
    Tim {
        sk_number: format!("141/{:02}/{}", sk_date.month(), sk_date.year()),
        sk_date,
        members,
    }
}

/// A kegiatan code of the regulation's list in `bidang` (`02`).
fn kegiatan(rng: &mut StdRng, bidang: &str) -> Option<String> {
    let list: Vec<_> = crate::domain::kegiatan::all()
        .iter()
        .filter(|k| k.code.starts_with(bidang))
        .collect();
    (!list.is_empty()).then(|| pick(rng, &list).code.to_string())
}

/// Walks `village`'s planning years; `year` is this year.
pub async fn walk(
    store: &Store,
    rng: &mut StdRng,
    accounts: &mut Accounts,
    village: &Village,
    year: i32,
) -> anyhow::Result<Made> {
    let official_name = "Sekretaris Desa";
    let official = accounts
        .add(
            store,
            &format!("sekdes.{}@generated.musdes.test", village.slug),
            &format!("Sekretaris Desa {}", village.name),
            Role::Official,
            Place::Village(village.id),
        )
        .await?;
    let kecamatan = village.kecamatan.clone().unwrap_or_default();
    let answerer = match accounts.kecamatan.get(&kecamatan) {
        Some(id) => *id,
        None => {
            let id = accounts
                .add(
                    store,
                    &format!(
                        "camat.{}@generated.musdes.test",
                        kecamatan.to_lowercase().replace(' ', "-")
                    ),
                    &format!("Kecamatan {kecamatan}"),
                    Role::Kecamatan,
                    Place::Area {
                        kecamatan: &kecamatan,
                        kabupaten: village.kabupaten.as_deref().unwrap_or_default(),
                    },
                )
                .await?;
            accounts.kecamatan.insert(kecamatan.clone(), id);
            id
        }
    };
    rpjm(store, rng, village, official, year - 1).await?;

    // Last year's planning of this year's RKP Desa, on the calendar of Permendagri 114/2014.
    let plan_year = i64::from(year);
    store.open_plan(village.id, plan_year, official).await?;
    let plan = store.plan(village.id, plan_year).await?;
    let sk = day(year - 1, 7, 1);
    store
        .save_tim(village.id, plan.id, &tim(rng, sk), 0, official)
        .await?;
    // Each candidate's source: mostly the Dana Desa; now and then the kabupaten's to do.
    let choices: Vec<(Option<&str>, Option<&str>)> = plan
        .plan
        .items
        .iter()
        .map(|i| {
            if i.bidang == "02" && rng.gen_bool(0.08) {
                (None, Some("kabupaten"))
            } else if rng.gen_bool(0.7) {
                (Some("dd"), None)
            } else {
                (Some("add"), None)
            }
        })
        .collect();
    let cost = |i: &crate::domain::plan::Item| i.cost.unwrap_or(25_000_000);
    let total = |source: &str| -> i64 {
        plan.plan
            .items
            .iter()
            .zip(&choices)
            .filter(|(_, (s, _))| *s == Some(source))
            .map(|(i, _)| cost(i))
            .sum()
    };
    // The pagu funds about half of what is asked; the rest goes back to the RPJM Desa.
    let ceilings = [
        ("dd".to_string(), (total("dd") / 2).max(50_000_000)),
        ("add".to_string(), (total("add") / 2).max(20_000_000)),
    ];
    store
        .update_ceilings(village.id, plan.id, &ceilings, plan.version, official)
        .await?;
    for (i, (source, authority)) in plan.plan.items.iter().zip(&choices) {
        let source = source.map(str::to_string);
        let months = rng.gen_range(1..=9);
        let input = ItemInput {
            scores: plan
                .plan
                .criteria
                .iter()
                .map(|c| (c.id, Some(rng.gen_range(1..=c.max_score))))
                .collect(),
            cost: Some(cost(i)),
            pattern: source.as_ref().map(|_| "swakelola".to_string()),
            authority: authority.map(str::to_string),
            // Dana Desa first for food security, as the minister's priorities ask.
            focus: (source.as_deref() == Some("dd")).then(|| {
                pick(
                    rng,
                    &[
                        "ketahanan_pangan",
                        "ketahanan_pangan",
                        "padat_karya",
                        "kesehatan",
                    ],
                )
                .to_string()
            }),
            people: (
                Some(rng.gen_range(20..400)),
                Some(rng.gen_range(20..400)),
                Some(rng.gen_range(2..60)),
            ),
            pelaksana: source.as_ref().map(|_| pick(rng, &PELAKSANA).to_string()),
            tpk: source.is_some(),
            rab: source.as_ref().map(|_| "verified".to_string()),
            kegiatan: source.as_ref().and_then(|_| kegiatan(rng, &i.bidang)),
            shares: Vec::new(),
            source,
            volume: Some(format!(
                "{} {}",
                rng.gen_range(1..900),
                pick(rng, &["m", "unit", "paket", "orang"])
            )),
            beneficiaries: Some(format!("{} KK", rng.gen_range(10..300))),
            months: Some((months, (months + rng.gen_range(1..=3)).min(12))),
        };
        store
            .save_item(village.id, plan.id, i.proposal_id, &input, 0, official)
            .await?;
    }
    let tata = village.tata_tertib();
    let musrenbangdes = NewMeeting {
        kind: Kind::Musrenbangdes,
        title: format!("Musrenbangdes RKP Desa {year}"),
        scheduled_at: morning(day(year - 1, 9, 9)),
        place: format!("Balai Desa {}", village.name),
        chair: Some("Kepala Desa".into()),
        note_taker: Some("Sekretaris BPD".into()),
        invited_count: Some(20),
        quorum_rule: tata.quorum,
        majority_rule: tata.majority,
        representative: Some("Ketua TP PKK".into()),
    };
    let meeting = store
        .create_meeting(village.id, &musrenbangdes, official)
        .await?;
    store
        .table_plan(village.id, plan.id, Some(meeting), official)
        .await?;
    let m = store.meeting(village.id, meeting).await?;
    for n in 0..16 {
        let (name, gender) = person(rng);
        let attendee = NewAttendee {
            name: format!("{name} {}", n + 1),
            gender: Gender::parse(gender).expect("L or P"),
            group: None,
            role: None,
            hamlet: Some(pick(rng, &village.hamlets).clone()),
            voter: true,
        };
        store.add_attendee(&m, &attendee, official).await?;
    }
    store.mark_held(&m, official).await?;
    store
        .finalize_meeting(village, meeting, "", &Actor::new(official, official_name))
        .await?;
    let perdes = Perdes {
        number: format!("{} Tahun {}", rng.gen_range(2..9), year - 1),
        date: day(year - 1, 9, 24),
    };
    store
        .set_plan(
            village.id,
            &village.name,
            plan.id,
            &perdes,
            &Actor::new(official, official_name),
        )
        .await?;
    let set = store.plan(village.id, plan_year).await?;
    let mut made = Made {
        items: set.plan.items.len(),
        du_rkp: 0,
    };
    for item in set
        .plan
        .items
        .iter()
        .filter(|i| i.placement == Placement::DuRkp)
    {
        let (answer, reason) = if rng.gen_bool(0.6) {
            (
                "accommodated",
                format!("Masuk Renja perangkat daerah tahun {year}."),
            )
        } else {
            (
                "not_accommodated",
                "Belum menjadi prioritas kabupaten tahun ini; diusulkan kembali tahun depan."
                    .to_string(),
            )
        };
        let answer = DuRkpAnswer { answer, reason };
        store
            .answer_du_rkp(
                village.id,
                &kecamatan,
                plan.id,
                &item.number,
                &answer,
                &Actor::new(answerer, &format!("Kecamatan {kecamatan}")),
            )
            .await?;
        made.du_rkp += 1;
    }

    // Next year's draft: the Tim Penyusun appointed in July (or today, before July), the
    // pagu known.
    let next = plan_year + 1;
    store.open_plan(village.id, next, official).await?;
    let draft = store.plan(village.id, next).await?;
    let today = Utc::now()
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .date_naive();
    store
        .save_tim(
            village.id,
            draft.id,
            &tim(rng, day(year, 7, 1).min(today)),
            0,
            official,
        )
        .await?;
    let pagu = [
        ("dd".to_string(), rng.gen_range(6..=12) * 100_000_000),
        ("add".to_string(), rng.gen_range(2..=5) * 100_000_000),
    ];
    store
        .update_ceilings(village.id, draft.id, &pagu, draft.version, official)
        .await?;
    Ok(made)
}

/// An RPJM Desa from `start`, set by Perdes in March of that year, with a few activities
/// for each of its first years.
async fn rpjm(
    store: &Store,
    rng: &mut StdRng,
    village: &Village,
    official: Uuid,
    start: i32,
) -> anyhow::Result<()> {
    use crate::domain::rpjm::{ItemForm, RpjmForm};
    let form = RpjmForm {
        start_year: start.to_string(),
        vision: format!("Desa {} yang mandiri, sejahtera dan guyub", village.name),
        mission: "Meningkatkan hasil pertanian bersama kelompok tani\n\
                  Mendekatkan layanan dasar ke setiap dusun\n\
                  Membangun dan merawat prasarana desa"
            .into(),
        perdes_number: format!("1 Tahun {start}"),
        perdes_date: day(start, 3, 14).to_string(),
        version: String::new(),
    };
    let today = Utc::now().date_naive();
    let checked = form
        .validate(today)
        .map_err(|e| anyhow::anyhow!("generated RPJM Desa is invalid: {e:?}"))?;
    let id = store
        .save_rpjm(village.id, None, &checked, official)
        .await?;
    for after in 0..4 {
        for _ in 0..rng.gen_range(2..=4) {
            let (bidang, action, object, _) = pick(rng, &WORKS);
            let Some(code) = kegiatan(rng, bidang) else {
                continue;
            };
            let item = ItemForm {
                year: (start + after).to_string(),
                sub_bidang: code[..5].to_string(),
                kegiatan: format!("{action} {object}"),
                location: pick(rng, &village.hamlets).clone(),
                volume: format!("{} unit", rng.gen_range(1..20)),
                cost: format!("{}.000.000", rng.gen_range(10..400)),
                source: pick(rng, &["dd", "add", "bkk"]).to_string(),
            }
            .validate(i64::from(start))
            .map_err(|e| anyhow::anyhow!("generated RPJM activity is invalid: {e:?}"))?;
            store
                .add_rpjm_item(
                    village.id,
                    id,
                    &item,
                    &Actor::new(official, "Sekretaris Desa"),
                )
                .await?;
        }
    }
    Ok(())
}
