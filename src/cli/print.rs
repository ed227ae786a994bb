//! Printing diagnostics for people: compiler-style, with the source line and a caret. (The
//! JSON form for scripts is [`crate::diag::JsonFile`].)

use crate::diag::{Diagnostic, Location, Severity};
use std::fmt::Write;

/// Display width of a character in a terminal: CJK and full-width forms take two columns.
fn char_width(c: char) -> usize {
    let u = c as u32;
    let wide = (0x1100..=0x115F).contains(&u)
        || (0x2E80..=0xA4CF).contains(&u)
        || (0xAC00..=0xD7A3).contains(&u)
        || (0xF900..=0xFAFF).contains(&u)
        || (0xFE30..=0xFE4F).contains(&u)
        || (0xFF00..=0xFF60).contains(&u)
        || (0xFFE0..=0xFFE6).contains(&u)
        || (0x20000..=0x3FFFD).contains(&u)
        || c == '\u{201c}'
        || c == '\u{201d}';
    if wide {
        2
    } else {
        1
    }
}

/// One diagnostic in the style of a compiler: message, `--> file:line:col`, the source line with
/// a caret, the cell path and the hint.
pub fn human(file: &str, source: Option<&str>, d: &Diagnostic) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}[{}]: {}",
        d.severity.chinese(),
        d.rule.id(),
        d.message
    );
    // The `=` notes line up with the `|` gutter, whose width depends on the line number.
    let gutter = match &d.location {
        Location::Yaml { line, .. } if source.is_some() => " ".repeat(line.to_string().len() + 1),
        _ => " ".repeat(2),
    };
    match &d.location {
        Location::Yaml { line, column } => {
            let _ = writeln!(s, "  --> {file}:{line}:{column}");
            if let Some(text) = source.and_then(|t| t.lines().nth(line.saturating_sub(1))) {
                let num = line.to_string();
                let pad = " ".repeat(num.len());
                let shown: String = text
                    .chars()
                    .map(|c| if c == '\t' { ' ' } else { c })
                    .collect();
                let caret: usize = shown
                    .chars()
                    .take(column.saturating_sub(1))
                    .map(char_width)
                    .sum();
                let _ = writeln!(s, " {pad} |");
                let _ = writeln!(s, " {num} | {shown}");
                let _ = writeln!(s, " {pad} | {}^", " ".repeat(caret));
            }
        }
        Location::Sheet { sheet, cell } => {
            let _ = writeln!(s, "  --> {file} {sheet}!{cell}");
        }
        Location::Unknown => {
            let _ = writeln!(s, "  --> {file}");
        }
    }
    if let Some(place) = &d.place {
        // A table cell (`表三/…`) or the key path of a text (`总体情况/概述`).
        let what = if place.in_table() {
            "单元格"
        } else {
            "内容"
        };
        let _ = writeln!(s, "{gutter} = {what}：{}", place.path());
    }
    for h in &d.hints {
        let _ = writeln!(s, "{gutter} = 提示：{h}");
    }
    s
}

/// Prints a warning for each font file that looked official and was passed over (truncated,
/// not a regular file …), naming the file.
pub fn font_warnings(fonts: &crate::render::paged::Fonts) {
    for w in fonts.warnings() {
        eprintln!("警告：{w}");
    }
}

/// `2 个错误，1 个警告`.
pub fn summary(diags: &[Diagnostic]) -> String {
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    match (errors, warnings) {
        (0, 0) => "没有发现问题".to_string(),
        (e, 0) => format!("{e} 个错误"),
        (0, w) => format!("{w} 个警告"),
        (e, w) => format!("{e} 个错误，{w} 个警告"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Rule;
    use crate::spec::format::ValueRef;

    #[test]
    fn caret_accounts_for_wide_characters() {
        let d = Diagnostic::error(Rule::Value, "x")
            .at(Location::Yaml { line: 1, column: 7 })
            .with_value(ValueRef::T2Document { row: 0, col: 0 });
        let out = human("a.yaml", Some("  规章: [x]"), &d);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[1], "  --> a.yaml:1:7");
        assert_eq!(lines[3], " 1 |   规章: [x]");
        // "  规章: " is 2 + 4 + 2 = 8 columns wide before the `[`.
        assert_eq!(lines[4], "   |         ^");
    }
}
