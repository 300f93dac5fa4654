//! The words of a village budget (APB Desa) that plans, standing items, the RPJM Desa
//! and the Dana Desa priorities share: funding sources, authorities, who carries an
//! activity and how, and the years a plan may be made for.

/// Funding sources of a village budget (APB Desa), stored as these codes.
pub const SOURCES: [&str; 8] = [
    "dd", "add", "pades", "bhp", "bkp", "bkk", "hibah", "swadaya",
];

/// Whose an item is to fund or carry out when it is not the village's own (kewenangan):
/// such items go up in the DU-RKP, through the camat to the musrenbang kecamatan.
pub const AUTHORITIES: [&str; 3] = ["kabupaten", "provinsi", "pusat"];

pub fn is_authority(code: &str) -> bool {
    AUTHORITIES.contains(&code)
}

/// How records (timelines, the DU-RKP form) name an authority, in Indonesian.
pub fn authority_name(code: &str) -> &'static str {
    match code {
        "kabupaten" => "kewenangan kabupaten/kota",
        "provinsi" => "kewenangan provinsi",
        "pusat" => "kewenangan pemerintah pusat",
        _ => "kewenangan desa",
    }
}

/// Who in the village government answers for an activity (Permendagri 84/2015): the
/// sekretaris desa, a Kaur or a Kasi.
pub const PELAKSANA: [&str; 7] = [
    "sekdes",
    "kaur_umum",
    "kaur_keuangan",
    "kaur_perencanaan",
    "kasi_pemerintahan",
    "kasi_kesejahteraan",
    "kasi_pelayanan",
];

/// How the tim verifikasi found an activity's RAB (budget plan): checked and sound, or
/// sent back to be revised.
pub const RAB: [&str; 2] = ["verified", "revise"];

pub fn is_pelaksana(code: &str) -> bool {
    PELAKSANA.contains(&code)
}

/// How an activity is carried out (pola pelaksanaan).
pub const PATTERNS: [&str; 3] = ["swakelola", "antar_desa", "pihak_ketiga"];

/// The plan years a village may open.
pub fn valid_year(year: i64) -> bool {
    (2000..=2100).contains(&year)
}

pub fn is_source(code: &str) -> bool {
    SOURCES.contains(&code)
}

pub fn is_pattern(code: &str) -> bool {
    PATTERNS.contains(&code)
}
