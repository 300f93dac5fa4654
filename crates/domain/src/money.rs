//! Rupiah amounts: whole rupiah in an `i64`, never floats.

use std::fmt;

use super::validation::parse_grouped_integer;

/// Above this no village budget line goes (10^13 rupiah); a guard against typos.
pub const MAX_RUPIAH: i64 = 10_000_000_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Rupiah(i64);

impl Rupiah {
    pub const ZERO: Rupiah = Rupiah(0);

    /// Accepts what people type: `1500000`, `1.500.000`, `Rp 1.500.000`, `Rp1.500.000,00`,
    /// and amounts in words as villages say them: `25 juta`, `Rp 25 jt`, `2,5 juta`,
    /// `750 ribu`, `750rb`, `1,2 miliar`. Refuses negatives, fractions of a rupiah (`1,5`,
    /// `1,0005 ribu`), other words and amounts over [`MAX_RUPIAH`].
    pub fn parse(raw: &str) -> Option<Rupiah> {
        let mut s = raw.trim();
        if let Some(rest) = s
            .strip_prefix("Rp")
            .or_else(|| s.strip_prefix("rp"))
            .or_else(|| s.strip_prefix("RP"))
        {
            s = rest.trim_start_matches('.').trim();
        }
        if let Some((number, scale)) = in_words(s) {
            return scaled(number, scale);
        }
        // ",00" (and only zero cents) is a common way to write whole rupiah.
        if let Some((whole, cents)) = s.split_once(',') {
            if cents.is_empty() || cents.len() > 2 || !cents.chars().all(|c| c == '0') {
                return None;
            }
            s = whole;
        }
        let n = parse_grouped_integer(s)?;
        (n <= MAX_RUPIAH).then_some(Rupiah(n))
    }

    pub fn from_i64(value: i64) -> Option<Rupiah> {
        (0..=MAX_RUPIAH).contains(&value).then_some(Rupiah(value))
    }

    pub fn get(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Rupiah) -> Option<Rupiah> {
        self.0.checked_add(other.0).map(Rupiah)
    }
}

/// The words for a thousand, a million, a billion and a trillion, as written in full and
/// as shortened, with what each multiplies by.
const SCALES: &[(&str, i64)] = &[
    ("ribu", 1_000),
    ("rb", 1_000),
    ("juta", 1_000_000),
    ("jt", 1_000_000),
    ("miliar", 1_000_000_000),
    ("milyar", 1_000_000_000),
    ("m", 1_000_000_000),
    ("triliun", 1_000_000_000_000),
    ("t", 1_000_000_000_000),
];

/// `25 juta` → (`25`, 1.000.000): the number before a scale word, and the scale.
fn in_words(s: &str) -> Option<(&str, i64)> {
    // ASCII only: a lowercase that changes a character's length in bytes (`Ⱦ` → `ⱦ`)
    // would cut the original string off a character boundary.
    let lower = s.to_ascii_lowercase();
    SCALES.iter().find_map(|(word, scale)| {
        let number = lower.strip_suffix(word)?;
        // A digit or a space before the word: `25jt`, `25 jt`; not part of another word.
        number
            .ends_with(|c: char| c.is_ascii_digit() || c == ' ')
            .then(|| (s[..number.len()].trim(), *scale))
    })
}

/// `2,5` × 1.000.000 → 2.500.000: a grouped whole part, and a decimal part (after a comma)
/// that must come out as whole rupiah.
fn scaled(number: &str, scale: i64) -> Option<Rupiah> {
    let (whole, fraction) = match number.split_once(',') {
        Some((w, f)) => (w, f),
        None => (number, ""),
    };
    let whole = parse_grouped_integer(whole)?;
    let mut value = whole.checked_mul(scale)?;
    if !fraction.is_empty() {
        if !fraction.chars().all(|c| c.is_ascii_digit()) || fraction.len() > 12 {
            return None;
        }
        let digits: i64 = fraction.parse().ok()?;
        let divisor = 10_i64.checked_pow(u32::try_from(fraction.len()).ok()?)?;
        let part = digits.checked_mul(scale)?;
        if part % divisor != 0 {
            return None;
        }
        value = value.checked_add(part / divisor)?;
    }
    Rupiah::from_i64(value)
}

/// Formats as Indonesians write it: `Rp 1.500.000`.
/// `Rp 1.250.000`; an amount outside what [`Rupiah`] holds as its plain digits.
pub fn rupiah_text(amount: i64) -> String {
    Rupiah::from_i64(amount).map_or_else(|| amount.to_string(), |r| r.to_string())
}

impl fmt::Display for Rupiah {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Rp {}", group_thousands(self.0))
    }
}

/// `1500000` → `1.500.000`.
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_people_type() {
        assert_eq!(Rupiah::parse("1500000"), Some(Rupiah(1_500_000)));
        assert_eq!(Rupiah::parse("Rp 1.500.000"), Some(Rupiah(1_500_000)));
        assert_eq!(Rupiah::parse("Rp1.500.000,00"), Some(Rupiah(1_500_000)));
        assert_eq!(Rupiah::parse(" 0 "), Some(Rupiah(0)));
        assert_eq!(Rupiah::parse("10000000000000"), Some(Rupiah(MAX_RUPIAH)));
    }

    #[test]
    fn parses_amounts_in_words() {
        for (typed, rupiah) in [
            ("25 juta", 25_000_000),
            ("Rp 25 juta", 25_000_000),
            ("Rp 25 jt", 25_000_000),
            ("25jt", 25_000_000),
            ("25 Juta", 25_000_000),
            ("2,5 juta", 2_500_000),
            ("750 ribu", 750_000),
            ("750rb", 750_000),
            ("1,2 miliar", 1_200_000_000),
            ("1,2 milyar", 1_200_000_000),
            ("1.500 juta", 1_500_000_000),
            ("10 triliun", MAX_RUPIAH),
            ("25.000.000", 25_000_000),
        ] {
            assert_eq!(Rupiah::parse(typed), Some(Rupiah(rupiah)), "{typed}");
        }
        for bad in [
            "juta",
            "-5 juta",
            "1,0005 ribu",
            "11 triliun",
            "25 jutaan",
            "25 kilo",
            "2,x juta",
            "tujuh juta",
            // Found by the fuzzer: a letter whose lowercase is longer, before a scale.
            "%,288888888Ⱦ888888888Ⱦ8888888885t",
            "Ⱦ jt",
        ] {
            assert_eq!(Rupiah::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn refuses_negatives_fractions_words_and_huge_amounts() {
        for bad in [
            "-5",
            "1,5",
            "abc",
            "10000000000001",
            "",
            "Rp",
            "1.5",
            "1,50",
            "1e6",
        ] {
            assert_eq!(Rupiah::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn displays_the_indonesian_way() {
        assert_eq!(Rupiah(1_500_000).to_string(), "Rp 1.500.000");
        assert_eq!(Rupiah(999).to_string(), "Rp 999");
        assert_eq!(Rupiah(0).to_string(), "Rp 0");
        assert_eq!(group_thousands(-1234), "-1.234");
        assert_eq!(group_thousands(1_000), "1.000");
    }
}
