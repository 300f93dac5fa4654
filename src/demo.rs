//! The demo village: Desa Majasari (seed 000), its hamlets, groups from seed 004's table,
//! and one account per role. Loading it twice changes nothing.

use crate::domain::account::{Email, Role, hash_password};
use crate::domain::village::VillageForm;
use crate::store::groups::NewGroup;
use crate::store::{Store, StoreError};

pub const SLUG: &str = "majasari";
pub const PASSWORD: &str = "majasari-demo-2026";

/// (email, name, role)
pub const ACCOUNTS: [(&str, &str, Role); 4] = [
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
];

/// (name, kind, vulnerable, contact, members, since)
const GROUPS: [(&str, &str, bool, &str, i64, i64); 8] = [
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
];

/// Loads the demo village if it is not there yet. Returns whether anything was added.
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
        hamlets: "Dusun I Krajan, Dusun II Karanganyar, Dusun III Sidamulya, Dusun IV Kalitengah"
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
        };
        store.create_group(village.id, &group, None).await?;
    }
    let hash = tokio::task::spawn_blocking(|| hash_password(PASSWORD)).await?;
    for (email, name, role) in ACCOUNTS {
        let email = Email::parse(email).expect("demo e-mail is valid");
        let v = role.needs_village().then_some(village.id);
        store
            .add_account(&email, name, &hash, role, v, None)
            .await?;
    }
    Ok(true)
}
