//! Villages: the Kemendagri code, the URL slug, hamlets, and the village form's rules.

use std::fmt;

use super::validation::{self, FieldErrors};

/// The Kemendagri area code of a desa: `PP.KK.CC.DDDD` (province, kabupaten/kota,
/// kecamatan, village). The village part of a desa starts with 2; a kelurahan's with 1,
/// and kelurahan hold no musyawarah desa.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VillageCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VillageCodeError {
    Format,
    NotADesa,
}

impl VillageCode {
    /// Accepts `33.73.04.2001` or the bare 10 digits `3373042001`.
    pub fn parse(raw: &str) -> Result<VillageCode, VillageCodeError> {
        let raw = raw.trim();
        let digits: String = raw.chars().filter(|c| *c != '.').collect();
        let dotted_ok = !raw.contains('.') || {
            let parts: Vec<&str> = raw.split('.').collect();
            parts.len() == 4
                && parts[0].len() == 2
                && parts[1].len() == 2
                && parts[2].len() == 2
                && parts[3].len() == 4
        };
        if !dotted_ok || digits.len() != 10 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(VillageCodeError::Format);
        }
        let province: u32 = digits[0..2].parse().map_err(|_| VillageCodeError::Format)?;
        if !(11..=99).contains(&province) || &digits[2..4] == "00" || &digits[4..6] == "00" {
            return Err(VillageCodeError::Format);
        }
        if !digits[6..].starts_with('2') {
            return Err(VillageCodeError::NotADesa);
        }
        Ok(VillageCode(format!(
            "{}.{}.{}.{}",
            &digits[0..2],
            &digits[2..4],
            &digits[4..6],
            &digits[6..10]
        )))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for VillageCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The village's name in URLs: lowercase ASCII letters, digits and single hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);

impl Slug {
    pub fn parse(raw: &str) -> Option<Slug> {
        let s = raw.trim();
        let ok = (2..=60).contains(&s.len())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--");
        ok.then(|| Slug(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A hamlet (dusun) and, when known, how many people live there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hamlet {
    pub name: String,
    pub population: Option<i64>,
}

/// Hamlets typed as a comma- or line-separated list, each optionally with its population
/// after `=` (`Dusun I Krajan = 1.250`); blanks dropped, duplicates refused.
pub fn parse_hamlets(raw: &str) -> Result<Vec<Hamlet>, &'static str> {
    let mut out: Vec<Hamlet> = Vec::new();
    for entry in raw
        .split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let (name, population) = match entry.split_once('=') {
            None => (entry, None),
            Some((name, people)) => match validation::parse_grouped_integer(people.trim()) {
                Some(n) if n <= MAX_POPULATION => (name.trim(), Some(n)),
                _ => return Err("error.hamlet_population"),
            },
        };
        if name.is_empty() {
            return Err("error.hamlet_population");
        }
        if name.chars().count() > 80 {
            return Err("error.hamlet_too_long");
        }
        if out.iter().any(|h| h.name.eq_ignore_ascii_case(name)) {
            return Err("error.hamlet_duplicate");
        }
        out.push(Hamlet {
            name: name.to_string(),
            population,
        });
    }
    if out.len() > 100 {
        return Err("error.hamlet_too_many");
    }
    Ok(out)
}

/// What the village form (and `musdes village add`) sends, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct VillageForm {
    pub name: String,
    pub slug: String,
    pub code: String,
    pub kecamatan: String,
    pub kabupaten: String,
    pub provinsi: String,
    pub population: String,
    pub households: String,
    pub hamlets: String,
    pub timezone: String,
    /// The version the form was loaded at (edits only): a stale one is a conflict.
    pub version: String,
}

/// A village that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVillage {
    pub name: String,
    pub slug: Slug,
    pub code: Option<VillageCode>,
    pub kecamatan: Option<String>,
    pub kabupaten: Option<String>,
    pub provinsi: Option<String>,
    pub population: Option<i64>,
    pub households: Option<i64>,
    pub hamlets: Vec<Hamlet>,
    pub timezone: Timezone,
}

/// The three time zones of Indonesia; a village shows times in its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Timezone {
    #[default]
    Wib,
    Wita,
    Wit,
}

impl Timezone {
    pub const ALL: [Timezone; 3] = [Timezone::Wib, Timezone::Wita, Timezone::Wit];

    pub fn parse(raw: &str) -> Option<Timezone> {
        match raw.trim() {
            "" | "Asia/Jakarta" => Some(Timezone::Wib),
            "Asia/Makassar" => Some(Timezone::Wita),
            "Asia/Jayapura" => Some(Timezone::Wit),
            _ => None,
        }
    }

    pub fn iana(self) -> &'static str {
        match self {
            Timezone::Wib => "Asia/Jakarta",
            Timezone::Wita => "Asia/Makassar",
            Timezone::Wit => "Asia/Jayapura",
        }
    }

    /// The zone's name in the catalogue (`tz.wib`).
    pub fn code(self) -> &'static str {
        match self {
            Timezone::Wib => "wib",
            Timezone::Wita => "wita",
            Timezone::Wit => "wit",
        }
    }

    pub fn abbreviation(self) -> &'static str {
        match self {
            Timezone::Wib => "WIB",
            Timezone::Wita => "WITA",
            Timezone::Wit => "WIT",
        }
    }

    pub fn tz(self) -> chrono_tz::Tz {
        match self {
            Timezone::Wib => chrono_tz::Asia::Jakarta,
            Timezone::Wita => chrono_tz::Asia::Makassar,
            Timezone::Wit => chrono_tz::Asia::Jayapura,
        }
    }
}

/// Largest plausible desa population; a guard against typos, not a census rule.
const MAX_POPULATION: i64 = 10_000_000;

impl VillageForm {
    /// Checks every field at once; the errors name the fields they belong to.
    pub fn validate(&self) -> Result<NewVillage, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = validation::name(&mut e, "name", &self.name);
        let slug = Slug::parse(&self.slug);
        if slug.is_none() {
            e.add("slug", "error.slug");
        }
        let code = if self.code.trim().is_empty() {
            None
        } else {
            match VillageCode::parse(&self.code) {
                Ok(c) => Some(c),
                Err(VillageCodeError::Format) => {
                    e.add("code", "error.village_code");
                    None
                }
                Err(VillageCodeError::NotADesa) => {
                    e.add("code", "error.village_code_desa");
                    None
                }
            }
        };
        let kecamatan = validation::optional_text(&mut e, "kecamatan", &self.kecamatan, 120);
        let kabupaten = validation::optional_text(&mut e, "kabupaten", &self.kabupaten, 120);
        let provinsi = validation::optional_text(&mut e, "provinsi", &self.provinsi, 120);
        let population =
            validation::optional_count(&mut e, "population", &self.population, MAX_POPULATION);
        let households =
            validation::optional_count(&mut e, "households", &self.households, MAX_POPULATION);
        if let (Some(p), Some(h)) = (population, households)
            && h > p
        {
            e.add("households", "error.households_over_population");
        }
        let hamlets = parse_hamlets(&self.hamlets).unwrap_or_else(|m| {
            e.add("hamlets", m);
            Vec::new()
        });
        let counted: i64 = hamlets.iter().filter_map(|h| h.population).sum();
        if population.is_some_and(|p| counted > p) {
            e.add("hamlets", "error.hamlet_population_over");
        }
        let timezone = Timezone::parse(&self.timezone).unwrap_or_else(|| {
            e.add("timezone", "error.choose_from_list");
            Timezone::Wib
        });
        let village = slug.map(|slug| NewVillage {
            name,
            slug,
            code,
            kecamatan,
            kabupaten,
            provinsi,
            population,
            households,
            hamlets,
            timezone,
        });
        match village {
            Some(v) if e.is_empty() => Ok(v),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn village_code_accepts_dotted_and_bare_desa_codes() {
        assert_eq!(
            VillageCode::parse("33.73.04.2001").unwrap().as_str(),
            "33.73.04.2001"
        );
        assert_eq!(
            VillageCode::parse(" 3373042001 ").unwrap().as_str(),
            "33.73.04.2001"
        );
    }

    #[test]
    fn village_code_refuses_short_malformed_and_kelurahan_codes() {
        assert_eq!(
            VillageCode::parse("12.34.56"),
            Err(VillageCodeError::Format)
        );
        assert_eq!(
            VillageCode::parse("33.73.04.200"),
            Err(VillageCodeError::Format)
        );
        assert_eq!(
            VillageCode::parse("337.3.04.2001"),
            Err(VillageCodeError::Format)
        );
        assert_eq!(
            VillageCode::parse("33.73.04.20a1"),
            Err(VillageCodeError::Format)
        );
        assert_eq!(
            VillageCode::parse("05.73.04.2001"),
            Err(VillageCodeError::Format)
        );
        assert_eq!(
            VillageCode::parse("33.00.04.2001"),
            Err(VillageCodeError::Format)
        );
        assert_eq!(
            VillageCode::parse("33.73.04.1001"),
            Err(VillageCodeError::NotADesa)
        );
    }

    #[test]
    fn slug_is_lowercase_ascii_with_single_hyphens() {
        assert!(Slug::parse("majasari").is_some());
        assert!(Slug::parse("desa-2").is_some());
        for bad in [
            "Majasari",
            "maja sari",
            "-maja",
            "maja-",
            "ma--ja",
            "a",
            "désa",
            "",
        ] {
            assert!(Slug::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn hamlets_are_trimmed_and_unique() {
        let h = parse_hamlets("Dusun I, Dusun II,\n ,Dusun III").unwrap();
        assert_eq!(h.len(), 3);
        assert_eq!(h[1].name, "Dusun II");
        assert_eq!(
            parse_hamlets("Krajan, krajan"),
            Err("error.hamlet_duplicate")
        );
    }

    #[test]
    fn a_hamlet_may_carry_its_population() {
        let h = parse_hamlets("Dusun I Krajan = 1.250\nDusun II=980, Dusun III").unwrap();
        assert_eq!(
            (h[0].name.as_str(), h[0].population),
            ("Dusun I Krajan", Some(1250))
        );
        assert_eq!(h[1].population, Some(980));
        assert_eq!(h[2].population, None);
        for bad in [
            "Dusun I = banyak",
            "Dusun I = -5",
            "= 200",
            "Dusun I = 1.2",
            "Dusun I = 99999999999",
        ] {
            assert_eq!(parse_hamlets(bad), Err("error.hamlet_population"), "{bad}");
        }
        // The hamlets cannot hold more people than the village.
        let mut f = form();
        f.population = "2.000".into();
        f.hamlets = "Dusun I = 1.500, Dusun II = 900".into();
        assert_eq!(
            f.validate().unwrap_err().get("hamlets"),
            Some("error.hamlet_population_over")
        );
        f.hamlets = "Dusun I = 1.100, Dusun II = 900".into();
        assert!(f.validate().is_ok());
    }

    fn form() -> VillageForm {
        VillageForm {
            name: "Majasari".into(),
            slug: "majasari".into(),
            code: "32.04.12.2005".into(),
            population: "4.120".into(),
            households: "1200".into(),
            hamlets: "Dusun I, Dusun II".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_good_form_becomes_a_village() {
        let v = form().validate().unwrap();
        assert_eq!(v.population, Some(4120));
        assert_eq!(v.hamlets.len(), 2);
        assert_eq!(v.timezone, Timezone::Wib);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let mut f = form();
        f.name = " ".into();
        f.slug = "Maja Sari".into();
        f.code = "12.34.56".into();
        f.population = "banyak".into();
        let e = f.validate().unwrap_err();
        assert_eq!(e.get("name"), Some("error.required"));
        assert_eq!(e.get("slug"), Some("error.slug"));
        assert_eq!(e.get("code"), Some("error.village_code"));
        assert_eq!(e.get("population"), Some("error.not_a_count"));
    }

    #[test]
    fn households_cannot_exceed_population() {
        let mut f = form();
        f.households = "5000".into();
        assert_eq!(
            f.validate().unwrap_err().get("households"),
            Some("error.households_over_population")
        );
    }
}
