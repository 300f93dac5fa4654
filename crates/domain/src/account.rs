//! Accounts: roles held in a village, e-mail addresses, the password policy and hashing.

use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};

use super::validation::{self, FieldErrors};

/// What a person may do in one village. `Admin` is installation-wide and held without a
/// village; `Kecamatan` is held over an area (a kecamatan of a kabupaten) and counts in
/// each village of it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Resident,
    Facilitator,
    Official,
    Kecamatan,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Kecamatan,
        Role::Official,
        Role::Facilitator,
        Role::Resident,
    ];

    pub fn parse(raw: &str) -> Option<Role> {
        match raw.trim() {
            "admin" => Some(Role::Admin),
            "official" => Some(Role::Official),
            "facilitator" => Some(Role::Facilitator),
            "resident" => Some(Role::Resident),
            "kecamatan" => Some(Role::Kecamatan),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Official => "official",
            Role::Facilitator => "facilitator",
            Role::Resident => "resident",
            Role::Kecamatan => "kecamatan",
        }
    }

    /// Whether the role belongs to one village (all but the admin and the kecamatan).
    pub fn needs_village(self) -> bool {
        !matches!(self, Role::Admin | Role::Kecamatan)
    }

    /// Whether the role is held over a kecamatan of a kabupaten.
    pub fn needs_area(self) -> bool {
        self == Role::Kecamatan
    }
}

/// A lower-cased, plausibly deliverable e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Option<Email> {
        let s = raw.trim().to_lowercase();
        let (local, domain) = s.split_once('@')?;
        let ok = !local.is_empty()
            && local.len() <= 64
            && s.len() <= 254
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && !s
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>');
        ok.then_some(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 200;

/// The password policy: at least 10 characters and not built from the e-mail address.
/// Returns the catalogue key of the first rule broken.
pub fn check_password(password: &str, email: &str) -> Result<(), &'static str> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err("error.password_short");
    }
    if n > MAX_PASSWORD_CHARS {
        return Err("error.too_long");
    }
    let lower = password.to_lowercase();
    let email = email.trim().to_lowercase();
    let local = email.split('@').next().unwrap_or_default();
    if (!email.is_empty() && lower.contains(&email))
        || (local.chars().count() >= 4 && lower.contains(local))
    {
        return Err("error.password_has_email");
    }
    Ok(())
}

/// argon2id with the OWASP-recommended minimum (19 MiB, 2 passes, 1 lane).
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string. CPU-heavy: call it off the async runtime.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with valid parameters cannot fail")
        .to_string()
}

/// Checks a password against a stored PHC string; a malformed hash never matches.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| hasher().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// Verifying against this when the e-mail is unknown keeps the answer's timing the same,
/// so the response does not tell whether an account exists.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| hash_password("no account has this password"));
    &HASH
}

/// The account form (admin page and `musdes user add`), as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct AccountForm {
    pub email: String,
    pub name: String,
    pub password: String,
    pub role: String,
    pub village: String,
    /// For the `kecamatan` role: the area overseen.
    pub kecamatan: String,
    pub kabupaten: String,
}

#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: Email,
    pub name: String,
    pub password: String,
    pub role: Role,
    /// The village slug, for every role but `admin` and `kecamatan`.
    pub village: Option<String>,
    /// The kecamatan and kabupaten a `kecamatan` account oversees.
    pub area: Option<(String, String)>,
}

impl AccountForm {
    /// Checks every field at once. `password_required` is false when the e-mail already
    /// has an account and only a role is being added.
    pub fn validate(&self, password_required: bool) -> Result<NewAccount, FieldErrors> {
        let mut e = FieldErrors::new();
        let email = Email::parse(&self.email);
        if email.is_none() {
            e.add("email", "error.email");
        }
        let name = validation::name(&mut e, "name", &self.name);
        if (password_required || !self.password.is_empty())
            && let Err(m) = check_password(&self.password, &self.email)
        {
            e.add("password", m);
        }
        let role = Role::parse(&self.role);
        if role.is_none() {
            e.add("role", "error.choose_from_list");
        }
        let village = Some(self.village.trim().to_string()).filter(|s| !s.is_empty());
        if role.is_some_and(Role::needs_village) && village.is_none() {
            e.add("village", "error.village_required");
        }
        let needs_area = role.is_some_and(Role::needs_area);
        let kecamatan = validation::optional_text(&mut e, "kecamatan", &self.kecamatan, 100);
        let kabupaten = validation::optional_text(&mut e, "kabupaten", &self.kabupaten, 100);
        if needs_area && kecamatan.is_none() {
            e.add("kecamatan", "error.area_required");
        }
        if needs_area && kabupaten.is_none() {
            e.add("kabupaten", "error.area_required");
        }
        match (email, role) {
            (Some(email), Some(role)) if e.is_empty() => Ok(NewAccount {
                email,
                name,
                password: self.password.clone(),
                role,
                village: if role.needs_village() { village } else { None },
                area: kecamatan.zip(kabupaten).filter(|_| needs_area),
            }),
            _ => Err(e),
        }
    }
}

/// An Indonesian phone number in E.164 form (`+6281234567890`), read from the ways people
/// write one: `0812-3456-7890`, `+62 812 3456 7890`, `62812…`, `(0274) 123456`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    pub fn parse(raw: &str) -> Option<Phone> {
        let raw = raw.trim();
        let mut digits = String::new();
        for (i, c) in raw.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '.' | '(' | ')' => {}
                '+' if i == 0 => {}
                _ => return None,
            }
        }
        let national = if raw.starts_with('+') {
            digits.strip_prefix("62")?
        } else if let Some(rest) = digits.strip_prefix('0') {
            rest
        } else {
            digits.strip_prefix("62")?
        };
        let ok = (8..=12).contains(&national.len()) && !national.starts_with('0');
        ok.then(|| Phone(format!("+62{national}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// As written at home: `0812-3456-7890`.
    pub fn local(stored: &str) -> String {
        let Some(national) = stored.strip_prefix("+62") else {
            return stored.to_string();
        };
        let digits = format!("0{national}");
        let (a, rest) = digits.split_at(4.min(digits.len()));
        let (b, c) = rest.split_at(4.min(rest.len()));
        [a, b, c]
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("-")
    }
}

/// What a person logs in with: an e-mail address, or else a phone number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginName {
    Email(String),
    Phone(Phone),
}

impl LoginName {
    /// `None` when it is neither (no account can match it).
    pub fn parse(raw: &str) -> Option<LoginName> {
        if raw.contains('@') {
            Some(LoginName::Email(raw.trim().to_lowercase()))
        } else {
            Phone::parse(raw).map(LoginName::Phone)
        }
    }

    /// The key rate limits count attempts under: one spelling for every way of writing it.
    pub fn key(&self) -> &str {
        match self {
            LoginName::Email(e) => e,
            LoginName::Phone(p) => p.as_str(),
        }
    }
}

/// A one-time code (password reset, tracking): ten characters of the verification codes'
/// alphabet (no 0/O, 1/I/L), about 48 random bits.
pub fn one_time_code() -> String {
    use super::meeting::{CODE_ALPHABET, CODE_LENGTH};
    let mut n = uuid::Uuid::new_v4().as_u128();
    let base = CODE_ALPHABET.len() as u128;
    (0..CODE_LENGTH)
        .map(|_| {
            let c = CODE_ALPHABET[(n % base) as usize] as char;
            n /= base;
            c
        })
        .collect()
}

/// What is stored of a one-time code: its SHA-256 (hex). The code is normalized first, so
/// `abcde-fghjk` finds `ABCDEFGHJK`.
pub fn code_hash(normalized: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(normalized.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// How long a password reset code an official issued stays good.
pub const RESET_CODE_HOURS: i64 = 24;

/// The sign-up form of `/daftar`, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct SignUpForm {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub password: String,
    pub village: String,
    pub dusun: String,
}

#[derive(Debug, Clone)]
pub struct NewResident {
    pub name: String,
    pub phone: Phone,
    pub email: Option<Email>,
    pub password: String,
    pub hamlet: String,
}

impl SignUpForm {
    /// Checks every field at once against the chosen village's dusun (`None` when the
    /// village is unknown).
    pub fn validate(&self, hamlets: Option<&[String]>) -> Result<NewResident, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = validation::name(&mut e, "name", &self.name);
        let phone = Phone::parse(&self.phone);
        if phone.is_none() {
            e.add("phone", "error.phone");
        }
        let email = match self.email.trim() {
            "" => None,
            raw => {
                let email = Email::parse(raw);
                if email.is_none() {
                    e.add("email", "error.email");
                }
                email
            }
        };
        if let Err(m) = check_password(&self.password, &self.email) {
            e.add("password", m);
        } else if let Some(p) = &phone
            && self.password.contains(&p.as_str()[3..])
        {
            e.add("password", "error.password_has_phone");
        }
        let hamlet = self.dusun.trim().to_string();
        match hamlets {
            None => e.add("village", "error.choose_from_list"),
            Some([]) => {}
            Some(_) if hamlet.is_empty() => e.add("dusun", "error.dusun_required"),
            Some(hs) if !hs.contains(&hamlet) => e.add("dusun", "error.choose_from_list"),
            Some(_) => {}
        }
        match phone {
            Some(phone) if e.is_empty() => Ok(NewResident {
                name,
                phone,
                email,
                password: self.password.clone(),
                hamlet,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_needs_ten_characters() {
        assert_eq!(
            check_password("123456789", "a@b.id"),
            Err("error.password_short")
        );
        assert_eq!(check_password("1234567890", "a@b.id"), Ok(()));
        // Characters, not bytes: nine accented letters are still too short.
        assert_eq!(
            check_password("ééééééééé", "a@b.id"),
            Err("error.password_short")
        );
    }

    #[test]
    fn password_must_not_contain_the_email() {
        assert_eq!(
            check_password("x-siti@desa.id-x", "siti@desa.id"),
            Err("error.password_has_email")
        );
        assert_eq!(
            check_password("SITI@DESA.ID2026", "siti@desa.id"),
            Err("error.password_has_email")
        );
        assert_eq!(
            check_password("sitinurhaliza99", "sitinurhaliza@desa.id"),
            Err("error.password_has_email")
        );
        assert_eq!(check_password("padi-menguning-7", "siti@desa.id"), Ok(()));
    }

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash_password("padi-menguning-7");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("padi-menguning-7", &h));
        assert!(!verify_password("padi-menguning-8", &h));
        assert!(!verify_password("anything", "not a hash"));
        assert!(!verify_password("anything", dummy_hash()));
    }

    #[test]
    fn email_is_lowercased_and_checked() {
        assert_eq!(
            Email::parse(" Siti@Desa.ID ").unwrap().as_str(),
            "siti@desa.id"
        );
        for bad in [
            "siti",
            "siti@",
            "@desa.id",
            "siti@desa",
            "si ti@desa.id",
            "a@b@c.id",
            "<a>@b.id",
        ] {
            assert!(Email::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn account_form_requires_a_village_except_for_admins() {
        let mut f = AccountForm {
            email: "siti@desa.id".into(),
            name: "Siti".into(),
            password: "padi-menguning-7".into(),
            role: "official".into(),
            village: String::new(),
            ..AccountForm::default()
        };
        assert_eq!(
            f.validate(true).unwrap_err().get("village"),
            Some("error.village_required")
        );
        f.role = "admin".into();
        assert!(f.validate(true).unwrap().village.is_none());
        // A kecamatan account holds an area, not a village.
        f.role = "kecamatan".into();
        let e = f.validate(true).unwrap_err();
        assert_eq!(e.get("kecamatan"), Some("error.area_required"));
        assert_eq!(e.get("kabupaten"), Some("error.area_required"));
        f.kecamatan = " Majasari ".into();
        f.kabupaten = "Pandeglang".into();
        f.village = "sukamaju".into();
        let a = f.validate(true).unwrap();
        assert_eq!(
            (a.village, a.area),
            (None, Some(("Majasari".into(), "Pandeglang".into())))
        );
        f.village = String::new();
        f.role = "kades".into();
        assert_eq!(
            f.validate(true).unwrap_err().get("role"),
            Some("error.choose_from_list")
        );
    }

    #[test]
    fn phone_numbers_are_read_as_people_write_them() {
        for raw in [
            "081234567890",
            "0812-3456-7890",
            "0812 3456 7890",
            "+62 812 3456 7890",
            "+6281234567890",
            "6281234567890",
            " 0812.3456.7890 ",
        ] {
            assert_eq!(
                Phone::parse(raw).map(|p| p.0),
                Some("+6281234567890".into()),
                "{raw}"
            );
        }
        assert_eq!(
            Phone::parse("(0274) 512345").map(|p| p.0),
            Some("+62274512345".into())
        );
        for bad in [
            "",
            "0812",
            "call me",
            "+1 202 555 0100",
            "00812345678",
            "0812345678901234",
            "0812-3456-789a",
            "812345678",
            "+",
            "0812+3456",
        ] {
            assert_eq!(Phone::parse(bad), None, "{bad:?}");
        }
        assert_eq!(Phone::local("+6281234567890"), "0812-3456-7890");
    }

    #[test]
    fn a_login_is_an_email_or_a_phone() {
        assert_eq!(
            LoginName::parse(" Kades@Majasari.desa.id ").unwrap().key(),
            "kades@majasari.desa.id"
        );
        assert_eq!(
            LoginName::parse("0812 3456 7890").unwrap().key(),
            "+6281234567890"
        );
        assert_eq!(LoginName::parse("kades"), None);
    }

    #[test]
    fn one_time_codes_differ_and_read_back() {
        let a = one_time_code();
        let b = one_time_code();
        assert_ne!(a, b);
        let shown = super::super::meeting::display_code(&a).to_lowercase();
        assert_eq!(
            super::super::meeting::normalize_code(&shown),
            Some(a.clone())
        );
        assert_eq!(code_hash(&a).len(), 64);
        assert_ne!(code_hash(&a), code_hash(&b));
    }

    #[test]
    fn sign_up_checks_every_field() {
        let hamlets = vec!["Krajan".to_string(), "Sukamaju".to_string()];
        let good = SignUpForm {
            name: "Siti Aminah".into(),
            phone: "0812-3456-7890".into(),
            email: String::new(),
            password: "padi-menguning-2026".into(),
            village: "majasari".into(),
            dusun: "Krajan".into(),
        };
        let r = good.validate(Some(&hamlets)).unwrap();
        assert_eq!(r.phone.as_str(), "+6281234567890");
        assert!(r.email.is_none());
        let mut bad = good.clone();
        bad.phone = "12".into();
        bad.email = "bukan-email".into();
        bad.password = "pendek".into();
        bad.dusun = "Atlantis".into();
        let e = bad.validate(Some(&hamlets)).unwrap_err();
        assert_eq!(e.get("phone"), Some("error.phone"));
        assert_eq!(e.get("email"), Some("error.email"));
        assert_eq!(e.get("password"), Some("error.password_short"));
        assert_eq!(e.get("dusun"), Some("error.choose_from_list"));
        let mut phone_pw = good.clone();
        phone_pw.password = "sandi81234567890".into();
        assert_eq!(
            phone_pw
                .validate(Some(&hamlets))
                .unwrap_err()
                .get("password"),
            Some("error.password_has_phone")
        );
        assert_eq!(
            good.validate(None).unwrap_err().get("village"),
            Some("error.choose_from_list")
        );
    }
}
