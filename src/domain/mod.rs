//! Pure rules and types of village planning: no SQL, no HTTP, no async.

pub mod access;
pub mod account;
pub mod apbdes;
pub mod calendar;
pub mod dana_desa;
pub mod equity;
pub mod evaluation;
pub mod feedback;
pub mod group;
pub mod implementation;
pub mod kegiatan;
pub mod ladder;
pub mod meeting;
pub mod metrics;
pub mod money;
pub mod network;
pub mod plan;
pub mod programme;
pub mod proposal;
pub mod rpjm;
pub mod seal;
pub mod standing;
pub mod tim;
pub mod validation;
pub mod village;

pub use validation::FieldErrors;
