//! The kegiatan (activities) of village spending in Permendagri 20/2018, by bidang and
//! sub-bidang: the list ships as data (`data/kegiatan-permendagri-20-2018.tsv`, with its
//! source) and is read once.

use std::sync::LazyLock;

use super::proposal::sub_bidang_name;

const LIST: &str = include_str!("../../../data/kegiatan-permendagri-20-2018.tsv");

/// One listed kegiatan: its code `BB.SS.KK` and its name in the regulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kegiatan {
    pub code: &'static str,
    pub name: &'static str,
}

impl Kegiatan {
    /// `BB.SS`, the sub-bidang it belongs to.
    pub fn sub_bidang(&self) -> &'static str {
        &self.code[..5]
    }
}

static ALL: LazyLock<Vec<Kegiatan>> = LazyLock::new(|| {
    LIST.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (code, name) = l
                .split_once('\t')
                .expect("every kegiatan line is code<TAB>name");
            Kegiatan { code, name }
        })
        .collect()
});

/// Every listed kegiatan, in the regulation's order.
pub fn all() -> &'static [Kegiatan] {
    &ALL
}

/// The first number of the village's own activities in a sub-bidang ("lain-lain kegiatan
/// sub bidang …"); they run to 99.
pub const OWN_FROM: u32 = 90;

/// Whether `code` is a kegiatan of the list, or a village's own activity (90–99) of a
/// sub-bidang of bidang 01–04.
pub fn is_kegiatan(code: &str) -> bool {
    ALL.iter().any(|k| k.code == code) || own_sub_bidang(code).is_some()
}

/// The sub-bidang of a village's own activity code (`02.03.91` → `02.03`).
fn own_sub_bidang(code: &str) -> Option<&str> {
    let (sub, number) = (code.get(..5)?, code.get(5..)?);
    let number: u32 = number.strip_prefix('.')?.parse().ok()?;
    let numbered = code.len() == 8 && code.as_bytes()[6].is_ascii_digit();
    (numbered
        && (OWN_FROM..=99).contains(&number)
        && !sub.starts_with("05")
        && sub_bidang_name(sub).is_some())
    .then_some(sub)
}

/// The name of a kegiatan code: the regulation's, or for a village's own activity "lain-lain
/// kegiatan sub bidang …" (`None` when not a kegiatan).
pub fn name(code: &str) -> Option<String> {
    if let Some(k) = ALL.iter().find(|k| k.code == code) {
        return Some(k.name.to_string());
    }
    own_sub_bidang(code)
        .and_then(sub_bidang_name)
        .map(|sub| format!("Lain-lain kegiatan sub bidang {}", sub.to_lowercase()))
}

/// What a form offers, by sub-bidang (`02.03`): every listed kegiatan and, for bidang
/// 01–04, the first number of the village's own, as (code, name).
pub fn choices() -> Vec<(&'static str, Vec<(String, String)>)> {
    let mut out: Vec<(&'static str, Vec<(String, String)>)> = Vec::new();
    for k in ALL.iter() {
        match out.last_mut() {
            Some((sub, list)) if *sub == k.sub_bidang() => {
                list.push((k.code.to_string(), k.name.to_string()))
            }
            _ => out.push((
                k.sub_bidang(),
                vec![(k.code.to_string(), k.name.to_string())],
            )),
        }
    }
    for (sub, list) in &mut out {
        let code = format!("{sub}.{OWN_FROM}");
        if let Some(name) = name(&code) {
            list.push((code, name));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proposal::SUB_BIDANG;

    #[test]
    fn the_list_reads_whole_and_every_code_is_in_a_known_sub_bidang() {
        assert_eq!(all().len(), 151);
        for k in all() {
            assert_eq!(k.code.len(), 8, "{}", k.code);
            assert!(sub_bidang_name(k.sub_bidang()).is_some(), "{}", k.code);
            assert!(!k.name.is_empty());
        }
        // Every sub-bidang has at least one kegiatan.
        for (sub, _) in SUB_BIDANG {
            assert!(all().iter().any(|k| k.sub_bidang() == *sub), "{sub}");
        }
        let mut codes: Vec<&str> = all().iter().map(|k| k.code).collect();
        codes.dedup();
        assert_eq!(codes.len(), all().len(), "codes are unique and in order");
    }

    #[test]
    fn listed_codes_and_the_villages_own_are_kegiatan_nothing_else() {
        assert_eq!(
            name("02.03.10").as_deref(),
            Some("Pembangunan/Rehabilitasi/Peningkatan/Pengerasan Jalan Desa")
        );
        assert_eq!(
            name("02.03.91").as_deref(),
            Some("Lain-lain kegiatan sub bidang pekerjaan umum dan penataan ruang")
        );
        for ok in ["01.01.01", "04.07.04", "05.01.00", "02.03.90", "02.03.99"] {
            assert!(is_kegiatan(ok), "{ok}");
        }
        for bad in [
            "",
            "02.03",
            "02.03.21",
            "02.03.89",
            "02.03.100",
            "02.03.9",
            "05.01.90",
            "06.01.01",
            "02.09.90",
            "2.3.10",
            "02.03.+9",
            "02.03.10 ",
        ] {
            assert!(!is_kegiatan(bad), "{bad:?}");
        }
    }

    #[test]
    fn the_choices_end_each_sub_bidang_with_the_villages_own() {
        let c = choices();
        assert_eq!(c.len(), SUB_BIDANG.len());
        assert_eq!(c[0].0, "01.01");
        assert_eq!(c[0].1[0].0, "01.01.01");
        for (sub, list) in &c {
            assert!(list.iter().all(|(code, _)| code.starts_with(sub)));
            let own = list.last().map(|(code, _)| code.ends_with(".90"));
            // Bidang 05 has no activities of its own.
            assert_eq!(own, Some(!sub.starts_with("05")), "{sub}");
        }
    }
}
