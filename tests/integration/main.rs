//! The integration tests, linked into one test binary (as rust_xlsxwriter does): one module per
//! area, helpers in `common`. Run one area with `cargo test --test integration docx::`.

mod common;

mod architecture;
mod batch;
mod batch_summary;
mod check;
mod cli_help;
mod docs;
mod docx;
mod excel_input;
mod fuzz;
mod golden;
mod hostile;
mod hostile_xlsx;
mod html;
mod ofd;
mod pdf;
mod render_cmd;
mod rules;
mod same_document;
mod standalone;
mod text_table;
mod xlsx;
