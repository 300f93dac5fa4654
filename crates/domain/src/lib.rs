//! Pure rules and types of village planning: no SQL, no HTTP, no async.

/// A code-backed choice: parsed from and stored as its English code. A row carrying one
/// reads it with `#[sqlx(try_from = "String")]`, so an unknown code in the database is an
/// error at the store's door, not a string every handler must parse.
macro_rules! coded {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            pub fn parse(raw: &str) -> Option<$name> {
                match raw.trim() { $($code => Some($name::$variant),)+ _ => None }
            }
        }
        $crate::code_traits!($name);
    };
}
pub(crate) use coded;

/// What every code-backed type shares, given its `code()` and `parse()`: read from a row's
/// text (`#[sqlx(try_from = "String")]`), written as its code in JSON and in templates.
macro_rules! code_traits {
    ($name:ident) => {
        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(raw: String) -> Result<$name, String> {
                $name::parse(&raw)
                    .ok_or_else(|| format!("unknown {} code {raw:?}", stringify!($name)))
            }
        }
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }
        /// A code equals the text it is stored as.
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.code() == *other
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
pub(crate) use code_traits;

pub mod access;
pub mod account;
pub mod apbdes;
pub mod cadre;
pub mod calendar;
pub mod dana_desa;
pub mod equity;
pub mod evaluation;
pub mod feedback;
pub mod follow_up;
pub mod group;
pub mod implementation;
pub mod kegiatan;
pub mod ladder;
pub mod mapping;
pub mod meeting;
pub mod metrics;
pub mod money;
pub mod need;
pub mod network;
pub mod plan;
pub mod programme;
pub mod proposal;
pub mod rating;
pub mod reach;
pub mod rpjm;
pub mod seal;
pub mod standing;
pub mod survey;
pub mod tim;
pub mod validation;
pub mod village;

pub use validation::FieldErrors;
