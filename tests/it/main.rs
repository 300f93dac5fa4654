//! Integration tests through the real router; every storage test runs on SQLite and PostgreSQL.

mod common;

mod admin;
mod auth;
mod cli;
mod feedback;
mod implementation;
mod lifecycle;
mod pages;
mod proposals;
mod storage;
