//! Reading reports from Excel workbooks (calamine).

use super::Parsed;
use crate::diag::{Diagnostic, Rule};

/// Reads a workbook: our own layout and the tables as other offices lay them out.
pub fn read_bytes(_bytes: &[u8]) -> Parsed {
    Parsed {
        diagnostics: vec![Diagnostic::error(Rule::Syntax, "暂不支持读取 Excel 文件")],
        ..Parsed::default()
    }
}
