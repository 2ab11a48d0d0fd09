//! The store crate's integration tests, in one binary: one link instead of one per file.

mod accounts;
mod assessments;
mod bulk_import;
mod cleanups;
mod cluster;
mod common;
mod gazette;
mod inspections;
mod items;
mod kill;
mod letters;
mod lists;
mod media;
mod participation;
mod proposals;
mod public_notices;
mod reports;
mod requests;
mod responding;
mod site;
mod story;
mod supervision;
mod wording;
mod workplans;
