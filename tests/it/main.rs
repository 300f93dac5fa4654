//! Integration tests through the real router; every storage test runs on SQLite and PostgreSQL.

mod common;

mod access;
mod admin;
mod amendment;
mod architecture;
mod auth;
mod cli;
mod du_rkp;
mod equity;
mod feedback;
mod groups;
mod implementation;
mod injection;
mod inputs;
mod ladder;
mod lifecycle;
mod limits;
mod meetings;
mod needs;
mod network;
mod pages;
mod plans;
mod portable;
mod privacy;
mod proposals;
mod ratings;
mod residents;
mod rpjm;
mod seals;
mod servers;
mod standing;
mod stats;
mod storage;
mod trust;
mod worklist;
