//! The web crate's integration tests, in one binary: one link instead of one per file.

mod admin_pages;
mod attachments;
mod calendar;
mod cleanups;
mod common;
mod consultations;
mod gazette;
mod http;
mod inspections;
mod items_api;
mod items_pages;
mod letters;
mod lists;
mod mail;
mod meetings;
mod portal;
mod proposals;
mod public_notices;
mod reports;
mod requests_api;
mod requests_pages;
mod responding;
mod search;
mod supervision;
mod surveys;
mod workplans;
