//! Integration tests through the real router; every storage test runs on SQLite and PostgreSQL.

mod common;

mod admin;
mod auth;
mod cli;
mod feedback;
mod pages;
mod proposals;
mod storage;
