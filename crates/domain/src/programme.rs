//! Programmes the kabupaten, the province or the state bring into the village in a plan's
//! year (program/kegiatan masuk desa): the Tim Penyusun lists them beside the pagu
//! indikatif, so the village plans around what others already fund there.

use serde::Deserialize;

use super::apbdes::is_authority;
use super::money::Rupiah;
use super::validation::{self, FieldErrors};

/// A programme as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProgrammeForm {
    pub name: String,
    /// `kabupaten`, `provinsi` or `pusat`.
    pub giver: String,
    /// The office that carries it out, e.g. Dinas PUPR.
    pub agency: String,
    pub amount: String,
    pub location: String,
}

/// A checked programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProgramme {
    pub name: String,
    pub giver: String,
    pub agency: String,
    pub amount: i64,
    pub location: Option<String>,
}

impl ProgrammeForm {
    /// A name, who brings it, the office, an amount in whole rupiah (zero when unknown), and
    /// where.
    pub fn validate(&self) -> Result<NewProgramme, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = validation::text(
            &mut e,
            "name",
            &self.name,
            3,
            200,
            "programme.error.name",
            "error.too_long",
        );
        let giver = self.giver.trim().to_string();
        if !is_authority(&giver) {
            e.add("giver", "error.choose_from_list");
        }
        let agency = validation::text(
            &mut e,
            "agency",
            &self.agency,
            2,
            120,
            "programme.error.agency",
            "error.too_long",
        );
        let amount = match self.amount.trim() {
            "" => Some(0),
            raw => Rupiah::parse(raw).map(|r| r.get()),
        };
        if amount.is_none() {
            e.add("amount", "plan.error.amount");
        }
        let location = validation::optional_text(&mut e, "location", &self.location, 200);
        match amount {
            Some(amount) if e.is_empty() => Ok(NewProgramme {
                name,
                giver,
                agency,
                amount,
                location,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_programme_names_who_brings_it_and_what_it_costs() {
        let form = ProgrammeForm {
            name: "Rehabilitasi rumah tidak layak huni".into(),
            giver: "provinsi".into(),
            agency: "Dinas Perkim Provinsi".into(),
            amount: "Rp 150.000.000".into(),
            location: "Dusun II".into(),
        };
        let p = form.validate().unwrap();
        assert_eq!((p.amount, p.giver.as_str()), (150_000_000, "provinsi"));
        let bad = ProgrammeForm {
            name: "x".into(),
            giver: "desa".into(),
            amount: "lima juta".into(),
            ..ProgrammeForm::default()
        };
        let e = bad.validate().unwrap_err();
        for (field, key) in [
            ("name", "programme.error.name"),
            ("giver", "error.choose_from_list"),
            ("agency", "programme.error.agency"),
            ("amount", "plan.error.amount"),
        ] {
            assert_eq!(e.get(field), Some(key), "{field}");
        }
    }
}
