//! What the documents must be — the floor every other module stands on. No I/O, no renderer,
//! no reader: only the facts that readers, the validator and every renderer share.
//!
//! - [`format`](mod@format): the official format of 国办公开办函〔2021〕30号 (section titles, every table
//!   label, the table grids with their merged cells, row roles, cell references);
//! - [`place`]: where in the report (a key, a text, a table, a row, a value), typed;
//! - [`style`]: the house style, GB/T 9704 as these reports apply it (page, grid, faces, sizes,
//!   the 落款 rule, the date stamped into files) and how the official tables are set (column
//!   proportions, cell padding, the words a label never breaks inside, where a table may break
//!   across pages);
//! - [`workbook`]: the layout of our Excel workbook, shared by the Excel writer and reader;
//! - [`template`]: the placeholders of the blank templates, shared by the templates and the
//!   validator that warns when they are left in;
//! - [`date`]: calendar dates as official documents write them;
//! - [`embed`]: the names of the report's data inside every document (written by
//!   `render::embed`, read back by `input::published`).
//!
//! `docs/FORMAT.md` maps each clause of the two standards to the code and the test that hold it.

pub mod date;
pub mod embed;
pub mod format;
pub mod place;
pub mod style;
pub mod template;
pub mod workbook;
