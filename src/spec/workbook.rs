//! The layout of xxgk's own workbook (template, `render --to xlsx`, `convert`): what the Excel
//! writer lays out and the Excel reader looks for first. Other offices' layouts are found by
//! their labels (see `input::excel`); these names are only the ones we write.

/// Name of the sheet with the body's details and the text sections.
pub const INFO_SHEET: &str = "基本信息";
/// Values of `显示零值` in the workbook.
pub const YES: &str = "是";
pub const NO: &str = "否";
/// `显示零值` left to the data: an empty cell prints blank, a 0 prints `0` (also an empty value).
pub const AS_GIVEN: &str = "按数据";
/// Row (0-based) where each table starts on its sheet; row 0 holds the section heading.
pub const TABLE_TOP: u32 = 1;
/// Excel's limit on the characters of one cell.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Labels under which offices' own workbooks give the body (机关) and the year (年度), besides
/// ours (`机关`, `年度`, first). The Excel reader looks for them beside or above a value, or as
/// `标签：值` in one cell.
pub const BODY_LABELS: [&str; 11] = [
    "机关",
    "机关名称",
    "报告机关",
    "填报机关",
    "填报单位",
    "报送单位",
    "报告单位",
    "单位名称",
    "填报部门",
    "部门名称",
    "单位",
];
pub const YEAR_LABELS: [&str; 7] = [
    "年度",
    "报告年度",
    "填报年度",
    "统计年度",
    "年份",
    "报告年份",
    "所属年度",
];

/// The A1 reference of a 0-based row and column (`(6, 3)` → `D7`).
pub fn a1(row: u32, col: u16) -> String {
    let mut letters = Vec::new();
    let mut c = u32::from(col) + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.push(b'A' + rem as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    let mut s = String::from_utf8(letters).unwrap_or_default();
    s.push_str(&(u64::from(row) + 1).to_string());
    s
}

#[cfg(test)]
mod tests {
    use super::a1;

    #[test]
    fn a1_references() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(6, 3), "D7");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
    }
}
