//! xxgk: 政府信息公开工作年度报告 — read the report's data (YAML or Excel), check it against the
//! official rules, and write the official documents (Word, PDF, Excel).
//!
//! One data model, many faces: [`input`] readers produce a typed [`model::Report`];
//! [`validate`] reads it; [`render`] turns it into documents. The official format — labels,
//! table shapes, spans — is written once, in [`format`] (`templates/format.rs`).

pub mod batch;
pub mod cli;
pub mod diag;
/// The official format (国办公开办函〔2021〕30号): kept under `templates/` with the project's
/// other templates, since it is the template every reader, check and document is made from.
#[path = "../templates/format.rs"]
pub mod format;
pub mod input;
pub mod model;
pub mod output;
pub mod render;
pub mod validate;
