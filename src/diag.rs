//! Diagnostics: collected, never thrown. One type for every phase — reading, checking,
//! rendering, writing. Each carries a rule id, a Chinese message that states the numbers
//! involved, the cell path, where in the source it is, and any number of hints.

use crate::spec::format::ValueRef;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn chinese(&self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }
}

/// Rule ids (`docs/INPUT.md`, `docs/CLI.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    T3Balance,
    T3Results,
    T3Row,
    T4Group,
    YCarry,
    YInforce,
    YPrevious,
    Syntax,
    Schema,
    Value,
    /// Template placeholder text left in the report.
    Placeholder,
    /// A character or a length of text that the documents cannot take.
    Text,
    /// A file that cannot be read or written, or fonts that cannot be loaded: the
    /// environment, not the data (exit code 2).
    Io,
    /// A document that could not be rendered (a character no font has).
    Render,
    /// The program failed on this input (a batch worker that ended abnormally).
    Crash,
    /// A figure in the text that contradicts the table cell it names.
    TextTable,
    /// Section 一, 五 or 六 with no text, or only “无”; 五 silent on last year's problems.
    SectionEmpty,
    /// A report read from a published document another program made (PDF, Word, web page,
    /// OFD): where the data came from, and each value read with doubt.
    Import,
    /// 发布日期 or 落款 date after the legal deadline, or the two disagreeing.
    YDate,
    /// A section more than half the same as last year's.
    YSimilar,
    /// A key figure doubled or halved with no word in the text.
    YJump,
    /// 表四 corrections not addressed in section 五.
    T4Explain,
    /// Section 六 silent on the 信息处理费, or contradicting 表三.
    FeeText,
    /// Two bodies in one batch with near-identical sections.
    BatchSimilar,
}

/// What a rule is, in one place: its id, the severities its findings take and one line that
/// says what it checks. `docs/CLI.md`, `docs/INPUT.md` and the template's 填写说明 are held to
/// this table by tests (tests/integration/rules.rs), so they cannot drift from the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    /// The id printed in diagnostics and JSON (`T3-BALANCE`).
    pub id: &'static str,
    /// Every severity the rule's findings take: one, or both where it depends on the case
    /// (a SCHEMA warning for a 2019-format row, a TEXT warning for an invisible character).
    pub severities: &'static [Severity],
    /// What the rule checks, in one line of Chinese.
    pub description: &'static str,
}

const ERROR: &[Severity] = &[Severity::Error];
const WARNING: &[Severity] = &[Severity::Warning];
const EITHER: &[Severity] = &[Severity::Error, Severity::Warning];

impl Rule {
    /// The rule's metadata.
    pub const fn info(&self) -> RuleInfo {
        let (id, severities, description) = match self {
            Rule::T3Balance => (
                "T3-BALANCE",
                ERROR,
                "表三每一列：第一项加第二项之和等于第三项加第四项之和，即本年新收 + 上年结转 = （七）总计 + 结转下年度继续办理",
            ),
            Rule::T3Results => (
                "T3-RESULTS",
                ERROR,
                "表三每一列：（七）总计等于（一）至（六）各项办理结果之和",
            ),
            Rule::T3Row => (
                "T3-ROW",
                ERROR,
                "表三每一行：总计等于六类申请人之和",
            ),
            Rule::T4Group => (
                "T4-GROUP",
                ERROR,
                "表四每一组：总计等于结果维持、结果纠正、其他结果、尚未审结之和",
            ),
            Rule::YCarry => (
                "Y-CARRY",
                WARNING,
                "跨年度：本年上年结转等于上年报告的结转下年度继续办理，逐列核对",
            ),
            Rule::YInforce => (
                "Y-INFORCE",
                WARNING,
                "跨年度：本年现行有效件数等于上年现行有效 + 本年制发 − 本年废止",
            ),
            Rule::YPrevious => (
                "Y-PREVIOUS",
                WARNING,
                "跨年度：上年报告应是同一机关的上一年度",
            ),
            Rule::Syntax => (
                "SYNTAX",
                EITHER,
                "文件无法解析：YAML 语法错误、不是 UTF-8，或不是完好的 .xlsx 工作簿；工作表远处的单元格忽略并警告",
            ),
            Rule::Schema => (
                "SCHEMA",
                EITHER,
                "结构问题：缺少必填键（机关、年度）、未知的键、行数不对，或 Excel 中找不到某张表、某行、某列",
            ),
            Rule::Value => (
                "VALUE",
                ERROR,
                "值的种类不对：负数、小数件数、文字、过大的数、无效日期，或把总计公式改成了别的数",
            ),
            Rule::Placeholder => (
                "PLACEHOLDER",
                WARNING,
                "模板的占位内容没有改写（机关仍是“某某市某某局”，文字中还有“（文字描述）”）",
            ),
            Rule::Text => (
                "TEXT",
                EITHER,
                "文字中有打印不出来的字符：控制字符、字体中没有的字、超长的段落；看不见的字符删除并警告",
            ),
            Rule::Io => (
                "IO",
                ERROR,
                "文件无法读取或写入，或找不到字体",
            ),
            Rule::Render => (
                "RENDER",
                ERROR,
                "文档无法生成（如某个字没有字体能排）",
            ),
            Rule::Crash => (
                "CRASH",
                ERROR,
                "批量处理中程序在这份报告上出错（工作进程崩溃、被终止或超时）",
            ),
            Rule::TextTable => (
                "TEXT-TABLE",
                WARNING,
                "文字中复述的数字与表格中它所说的单元格不一致",
            ),
            Rule::SectionEmpty => (
                "SECTION-EMPTY",
                WARNING,
                "第一、五、六部分没有文字或只写了“无”；有上年报告时，第五部分没有说到上年度问题的改进情况",
            ),
            Rule::YDate => (
                "Y-DATE",
                WARNING,
                "发布日期或落款日期晚于公布期限（政府部门次年1月31日，本级人民政府次年3月31日），或两个日期不一致",
            ),
            Rule::YSimilar => (
                "Y-SIMILAR",
                WARNING,
                "跨年度：第一、五、六部分有一半以上的文字与上年报告相同",
            ),
            Rule::YJump => (
                "Y-JUMP",
                WARNING,
                "跨年度：本年新收申请、行政复议或行政诉讼总数比上年翻倍或减半（且不少于10件），文字中没有说明",
            ),
            Rule::T4Explain => (
                "T4-EXPLAIN",
                WARNING,
                "表四有结果纠正的复议或诉讼，第五部分没有提到",
            ),
            Rule::FeeText => (
                "FEE-TEXT",
                WARNING,
                "第六部分没有说明信息处理费的收取情况，或说不收费而表三有逾期未缴费的申请",
            ),
            Rule::BatchSimilar => (
                "BATCH-SIMILAR",
                WARNING,
                "批量：两个不同机关的报告有一部分文字几乎相同（与其他单位雷同）",
            ),
            Rule::Import => (
                "IMPORT",
                WARNING,
                "报告读自别的程序生成的 PDF、Word、网页或 OFD（其中没有 xxgk 嵌入的数据）：说明数据的来源，并指出每个读得不确定的数和只是相近的行标签（表、行、列、原文和读法）",
            ),
        };
        RuleInfo {
            id,
            severities,
            description,
        }
    }

    pub const fn id(&self) -> &'static str {
        self.info().id
    }

    /// The severities the rule's findings take (see [`RuleInfo::severities`]).
    pub const fn severities(&self) -> &'static [Severity] {
        self.info().severities
    }

    /// What the rule checks, in one line of Chinese.
    pub const fn description(&self) -> &'static str {
        self.info().description
    }

    /// The severities in words: 错误, 警告, or 错误或警告.
    pub fn severity_words(&self) -> &'static str {
        match self.severities() {
            [Severity::Error] => "错误",
            [Severity::Warning] => "警告",
            _ => "错误或警告",
        }
    }

    /// Whether the rule judges the report's own content (what a clerk can fix in the file), as
    /// opposed to files, fonts and the program: the checks the template's 填写说明 lists.
    pub fn judges_the_report(&self) -> bool {
        !matches!(self, Rule::Io | Rule::Render | Rule::Crash | Rule::Import)
    }
}

impl Rule {
    /// Whether the problem lies outside the report's data (a file, a folder, a font): such
    /// errors exit with 2, data errors with 1.
    pub fn is_environment(&self) -> bool {
        matches!(self, Rule::Io)
    }
}

impl Rule {
    pub const ALL: [Rule; 24] = [
        Rule::T3Balance,
        Rule::T3Results,
        Rule::T3Row,
        Rule::T4Group,
        Rule::YCarry,
        Rule::YInforce,
        Rule::YPrevious,
        Rule::Syntax,
        Rule::Schema,
        Rule::Value,
        Rule::Placeholder,
        Rule::Text,
        Rule::Io,
        Rule::Render,
        Rule::Crash,
        Rule::TextTable,
        Rule::SectionEmpty,
        Rule::Import,
        Rule::YDate,
        Rule::YSimilar,
        Rule::YJump,
        Rule::T4Explain,
        Rule::FeeText,
        Rule::BatchSimilar,
    ];
}

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let id = String::deserialize(d)?;
        Rule::ALL
            .into_iter()
            .find(|r| r.id() == id)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown rule {id}")))
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

pub use crate::spec::place::{Key, Place, TextPart};

/// Where a diagnostic points in its source.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Location {
    #[default]
    Unknown,
    /// 1-based line and column (columns count characters).
    Yaml { line: usize, column: usize },
    /// A worksheet and a cell of it.
    Sheet { sheet: String, cell: CellRef },
}

/// A cell of a worksheet: 0-based row and column (as the workbook stores them); displayed as an
/// A1 reference (`D7` is row 6, column 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CellRef {
    pub row: u32,
    pub col: u32,
}

impl CellRef {
    /// Columns are capped at `u16::MAX` (Excel's last is XFD, 16 383): a hostile sheet's
    /// farther cells are shown at the cap, never overflow the A1 letters.
    pub fn new(row: u32, col: u32) -> Self {
        CellRef {
            row,
            col: col.min(u32::from(u16::MAX)),
        }
    }
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let col = u16::try_from(self.col).unwrap_or(u16::MAX);
        f.write_str(&crate::spec::workbook::a1(self.row, col))
    }
}

/// One problem found in a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub rule: Rule,
    pub message: String,
    /// The place in the report it is about: a value of the tables (`表三/本年新收/自然人`), a
    /// row, or a text (`总体情况/概述`).
    pub place: Option<Place>,
    pub location: Location,
    /// Suggestions, in the order they were found: "did you mean", how to fix it.
    pub hints: Vec<String>,
}

impl Diagnostic {
    pub fn error(rule: Rule, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            rule,
            message: message.into(),
            place: None,
            location: Location::Unknown,
            hints: Vec::new(),
        }
    }

    pub fn warning(rule: Rule, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(rule, message)
        }
    }

    /// About a place in the report.
    pub fn with_place(mut self, place: impl Into<Place>) -> Self {
        self.place = Some(place.into());
        self
    }

    /// About one value of the tables.
    pub fn with_value(self, value: ValueRef) -> Self {
        self.with_place(value)
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = location;
        self
    }

    /// Adds a hint after those already given (hints are never overwritten).
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        let hint = hint.into();
        if !self.hints.contains(&hint) {
            self.hints.push(hint);
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}]: {}",
            self.severity.chinese(),
            self.rule.id(),
            self.message
        )
    }
}

/// The JSON form of `docs/CLI.md`: the place as its path, the sheet cell as an A1 reference.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub severity: Severity,
    pub rule: Rule,
    pub message: &'a str,
    pub cell: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub sheet: Option<&'a str>,
    #[serde(rename = "ref")]
    pub cell_ref: Option<String>,
    /// Suggestions; omitted when there are none.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub hints: &'a [String],
}

impl<'a> From<&'a Diagnostic> for JsonDiagnostic<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        let (line, column, sheet, cell_ref) = match &d.location {
            Location::Unknown => (None, None, None, None),
            Location::Yaml { line, column } => (Some(*line), Some(*column), None, None),
            Location::Sheet { sheet, cell } => {
                (None, None, Some(sheet.as_str()), Some(cell.to_string()))
            }
        };
        JsonDiagnostic {
            severity: d.severity,
            rule: d.rule,
            message: &d.message,
            cell: d.place.as_ref().map(Place::path),
            line,
            column,
            sheet,
            cell_ref,
            hints: &d.hints,
        }
    }
}

/// The version of the JSON form (`"version"` at the top of `check --format json` and
/// `校验结果.json`): raised when a field changes meaning or goes away, not when one is added.
pub const JSON_VERSION: u32 = 1;

/// One input's entry in the JSON output (`check --format json`, `校验结果.json`).
#[derive(Serialize)]
pub struct JsonFile<'a> {
    pub file: String,
    /// What became of it, in words (通过、有警告、数据有误、未填写、无法生成、读写失败、处理异常).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
    /// No errors; in a batch, also counted in the summary (`false` for anything not summed).
    pub ok: bool,
    /// How many of `diagnostics` are errors and how many warnings.
    pub errors: usize,
    pub warnings: usize,
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
    pub outputs: Vec<String>,
}

impl<'a> JsonFile<'a> {
    pub fn new(file: String, diags: &'a [Diagnostic], outputs: Vec<String>) -> Self {
        let errors = diags.iter().filter(|d| d.is_error()).count();
        JsonFile {
            file,
            status: None,
            ok: errors == 0,
            errors,
            warnings: diags.len() - errors,
            diagnostics: diags.iter().map(JsonDiagnostic::from).collect(),
            outputs,
        }
    }
}

impl JsonFile<'_> {
    /// With the job's status and whether the report is good for use (summed, in a batch).
    pub fn with_status(mut self, status: &'static str, ok: bool) -> Self {
        self.status = Some(status);
        self.ok = ok;
        self
    }
}

/// The JSON document of `check --format json`.
#[derive(Serialize)]
pub struct JsonReport<'a> {
    /// [`JSON_VERSION`].
    pub version: u32,
    pub files: Vec<JsonFile<'a>>,
}

impl<'a> JsonReport<'a> {
    pub fn new(files: Vec<JsonFile<'a>>) -> Self {
        JsonReport {
            version: JSON_VERSION,
            files,
        }
    }
}

/// Whether any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

/// The exit code diagnostics call for (`docs/CLI.md`): 2 when an error lies in the
/// environment (a file, a font), 1 for errors in the data, 0 otherwise.
pub fn exit_code(diags: &[Diagnostic]) -> i32 {
    let errors = diags.iter().filter(|d| d.is_error());
    errors.fold(0, |code, d| {
        code.max(if d.rule.is_environment() { 2 } else { 1 })
    })
}

/// Orders diagnostics as a reader expects them: by position in the file, errors before warnings
/// at the same place. The sort is stable, so diagnostics without a location keep their order.
pub fn sort(diags: &mut [Diagnostic]) {
    fn key(d: &Diagnostic) -> (u8, &str, usize, usize) {
        match &d.location {
            Location::Yaml { line, column } => (0, "", *line, *column),
            Location::Sheet { sheet, cell } => (0, sheet, cell.row as usize, cell.col as usize),
            Location::Unknown => (1, "", 0, 0),
        }
    }
    diags.sort_by(|a, b| key(a).cmp(&key(b)).then(a.severity.cmp(&b.severity)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(sheet: &str, row: u32, col: u32) -> Diagnostic {
        Diagnostic::error(Rule::Value, "x").at(Location::Sheet {
            sheet: sheet.into(),
            cell: CellRef::new(row, col),
        })
    }

    #[test]
    fn cells_print_as_a1_and_sort_by_row_then_column() {
        assert_eq!(CellRef::new(6, 3).to_string(), "D7");
        assert_eq!(CellRef::new(0, 26).to_string(), "AA1");
        // Columns are kept within u16, as the reader has always shown them.
        assert_eq!(CellRef::new(0, 99_999), CellRef::new(0, 65_535));
        let mut ds = vec![
            at("表三", 9, 1),
            at("表二", 20, 0),
            at("表三", 8, 5),
            at("表三", 9, 0),
        ];
        sort(&mut ds);
        let shown: Vec<String> = ds
            .iter()
            .map(|d| match &d.location {
                Location::Sheet { sheet, cell } => format!("{sheet}!{cell}"),
                _ => String::new(),
            })
            .collect();
        assert_eq!(shown, ["表三!F9", "表三!A10", "表三!B10", "表二!A21"]);
    }

    #[test]
    fn json_keeps_the_path_and_the_a1_reference() {
        let d = at("表三", 6, 3).with_value(ValueRef::T3 { row: 0, col: 0 });
        let json = serde_json::to_value(JsonDiagnostic::from(&d)).unwrap_or_default();
        assert_eq!(json["cell"], "表三/本年新收/自然人");
        assert_eq!(json["sheet"], "表三");
        assert_eq!(json["ref"], "D7");
        // The batch worker sends diagnostics to its parent with serde: they come back whole.
        let text = serde_json::to_string(&d).unwrap_or_default();
        let back: Diagnostic = serde_json::from_str(&text).expect("round trip");
        assert_eq!(back, d);
    }
}
