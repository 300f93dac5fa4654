//! Stakeholder groups (unsur masyarakat, seed 004): their kinds and how they stand.

/// The kinds of group the contract names; stored as these codes.
pub const GROUP_KINDS: [&str; 22] = [
    "tokoh_adat",
    "tokoh_agama",
    "tokoh_masyarakat",
    "tokoh_pendidikan",
    "tani",
    "nelayan",
    "perajin",
    "perempuan",
    "perlindungan_anak",
    "masyarakat_miskin",
    "pemuda",
    "keagamaan",
    "masyarakat_adat",
    "disabilitas",
    "bpd",
    "pemerintah_desa",
    "lpm",
    "ngo",
    "swasta",
    "perguruan_tinggi",
    "desa_lain",
    "lainnya",
];

pub fn is_group_kind(code: &str) -> bool {
    GROUP_KINDS.contains(&code)
}

/// Kinds that are vulnerable or marginalised by default (kelompok rentan).
pub fn vulnerable_by_default(kind: &str) -> bool {
    matches!(
        kind,
        "perempuan" | "masyarakat_miskin" | "disabilitas" | "masyarakat_adat" | "perlindungan_anak"
    )
}

/// How a group stands toward the village government (seed 004, mapping question 6).
pub const RELATIONS: [&str; 3] = ["supportive", "passive", "obstructive"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_the_contracts() {
        assert!(is_group_kind("nelayan"));
        assert!(is_group_kind("perguruan_tinggi"));
        assert!(!is_group_kind("Nelayan"));
        assert!(vulnerable_by_default("disabilitas"));
        assert!(!vulnerable_by_default("bpd"));
    }
}
