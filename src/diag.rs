//! Diagnostics: collected, never thrown. Each carries a rule id, a Chinese message that states the
//! numbers involved, the cell path, and where in the source it is.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
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

/// Rule ids of INPUT.md and CLI.md.
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
    /// A file that cannot be read or written.
    Io,
    /// A document that could not be rendered (a character no font has).
    Render,
}

impl Rule {
    pub fn id(&self) -> &'static str {
        match self {
            Rule::T3Balance => "T3-BALANCE",
            Rule::T3Results => "T3-RESULTS",
            Rule::T3Row => "T3-ROW",
            Rule::T4Group => "T4-GROUP",
            Rule::YCarry => "Y-CARRY",
            Rule::YInforce => "Y-INFORCE",
            Rule::YPrevious => "Y-PREVIOUS",
            Rule::Syntax => "SYNTAX",
            Rule::Schema => "SCHEMA",
            Rule::Value => "VALUE",
            Rule::Placeholder => "PLACEHOLDER",
            Rule::Io => "IO",
            Rule::Render => "RENDER",
        }
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// Where a diagnostic points in its source.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Location {
    #[default]
    Unknown,
    /// 1-based line and column (columns count characters).
    Yaml { line: usize, column: usize },
    /// A worksheet and a cell reference such as `D7`.
    Sheet { sheet: String, cell: String },
}

/// One problem found in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub rule: Rule,
    pub message: String,
    /// Cell path of INPUT.md (`表三/本年新收/自然人`) when it is about a number.
    pub cell: Option<String>,
    pub location: Location,
    /// A suggestion: "did you mean", how to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(rule: Rule, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            rule,
            message: message.into(),
            cell: None,
            location: Location::Unknown,
            hint: None,
        }
    }

    pub fn warning(rule: Rule, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(rule, message)
        }
    }

    pub fn with_cell(mut self, cell: impl Into<String>) -> Self {
        self.cell = Some(cell.into());
        self
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = location;
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
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

/// The JSON form of CLI.md.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub severity: Severity,
    pub rule: Rule,
    pub message: &'a str,
    pub cell: Option<&'a str>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub sheet: Option<&'a str>,
    #[serde(rename = "ref")]
    pub cell_ref: Option<&'a str>,
    /// Not in CLI.md's example; an addition that scripts may ignore.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<&'a str>,
}

impl<'a> From<&'a Diagnostic> for JsonDiagnostic<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        let (line, column, sheet, cell_ref) = match &d.location {
            Location::Unknown => (None, None, None, None),
            Location::Yaml { line, column } => (Some(*line), Some(*column), None, None),
            Location::Sheet { sheet, cell } => {
                (None, None, Some(sheet.as_str()), Some(cell.as_str()))
            }
        };
        JsonDiagnostic {
            severity: d.severity,
            rule: d.rule,
            message: &d.message,
            cell: d.cell.as_deref(),
            line,
            column,
            sheet,
            cell_ref,
            hint: d.hint.as_deref(),
        }
    }
}

/// Whether any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

/// Orders diagnostics as a reader expects them: by position in the file, errors before warnings
/// at the same place. The sort is stable, so diagnostics without a location keep their order.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        let key = |d: &Diagnostic| match &d.location {
            Location::Yaml { line, column } => (0, String::new(), *line, *column),
            Location::Sheet { sheet, cell } => {
                let (col, row) = split_ref(cell);
                (0, sheet.clone(), row, col)
            }
            Location::Unknown => (1, String::new(), 0, 0),
        };
        key(a).cmp(&key(b)).then(a.severity.cmp(&b.severity))
    });
}

/// `D7` → (4, 7): column number (1-based) and row.
fn split_ref(r: &str) -> (usize, usize) {
    let letters: String = r.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let col = letters.bytes().fold(0usize, |acc, b| {
        acc * 26 + (b.to_ascii_uppercase() - b'A' + 1) as usize
    });
    let row = r[letters.len()..].parse().unwrap_or(0);
    (col, row)
}

/// An error that stops rendering one output (a missing font, a character no font has).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    pub message: String,
}

impl RenderError {
    pub fn new(message: impl Into<String>) -> Self {
        RenderError {
            message: message.into(),
        }
    }
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RenderError {}
