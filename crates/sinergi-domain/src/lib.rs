//! Sinergi's domain: the cooperation case between regional governments, its parties, meetings,
//! letters and agreements, the regulated workflow with its guards, and the versioned rule set.
//!
//! This crate does no I/O: no database, no network, no clock. Time arrives as a value
//! (`now: OffsetDateTime`), reference data arrives through `sinergi-reference`.

pub mod access;
pub mod account;
pub mod agreement;
pub mod audit;
pub mod authority;
pub mod case;
pub mod catalog;
pub mod central_approval;
pub mod clock;
pub mod demo;
pub mod dispute;
pub mod error;
pub mod field_words;
pub mod ics;
pub mod ids;
pub mod kajian;
pub mod kak;
pub mod lang;
pub mod legacy;
pub mod letter;
pub mod locale;
pub mod meeting;
pub mod monitoring;
pub mod numbering;
pub mod official;
pub mod opd;
pub mod power_of_attorney;
pub mod region;
pub mod report_submission;
pub mod rules;
pub mod schedule;

pub mod workflow;

pub use error::{DomainError, FieldError};
pub use lang::Lang;
pub use sinergi_reference::{RegionLevel, TimeZone};
