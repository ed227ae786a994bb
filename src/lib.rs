//! xxgk: 政府信息公开工作年度报告 — read the report's data (YAML or Excel), check it against the
//! official rules, and write the official documents (Word, PDF, Excel).
//!
//! One data model, many faces, and every arrow points down:
//!
//! | floor | modules | what it is |
//! |---|---|---|
//! | 0 | [`spec`], [`output`] | what the documents must be (format, house style, workbook layout); safe writes |
//! | 1 | [`diag`], [`model`] | diagnostics; the typed report |
//! | 2 | [`input`] | YAML and Excel readers → [`model::Report`] with diagnostics |
//! | 3 | [`validate`] | the official rules over a read report |
//! | 4 | [`render`] | the report → documents (`paged` layout, then PDF; Word; Excel; YAML) |
//! | 5 | [`job`] | one report's road: read → check → gate → render → write, for every front end |
//! | 6 | [`batch`] | the batch engine (plain options, no CLI): many jobs, isolated, and their sums |
//! | 6 | [`compare`] | two years of one body side by side (read through the job pipeline) |
//! | 7 | [`serve`] | the web application for the office and its units (the only async code) |
//! | 8 | [`cli`] | the command line: arguments, printing, exit codes |
//!
//! A module imports only from floors below its own.

// A Diagnostic (message, cell, location, hints) is the error of every fallible step; it is built
// once per failure, so its size on the error path costs nothing worth boxing for.
#![allow(clippy::result_large_err)]

pub mod batch;
pub mod cli;
pub mod compare;
pub mod diag;
pub mod input;
pub mod job;
pub mod model;
pub mod output;
pub mod render;
pub mod serve;
pub mod spec;
pub mod validate;
