//! Printing diagnostics for people: compiler-style, with the source line and a caret. (The
//! JSON form for scripts is [`crate::diag::JsonFile`].)

use crate::diag::{Diagnostic, Location, Severity};
use std::borrow::Cow;
use std::fmt::Write;

/// Whether a character may not reach a terminal raw: a control character (ESC starts the
/// sequences that clear the screen, set the title or hide text; CR overwrites the line; the C1
/// set has its own CSI) or a bidi control (it reorders what is shown).
fn unprintable(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// A value or a file name as a person sees it: every character that a terminal would act on
/// instead of showing is written as its escape (`\u{1b}`), line breaks and tabs too, so that
/// one value stays on its line. The JSON output keeps the exact characters.
pub fn shown(s: &str) -> Cow<'_, str> {
    escape(s, unprintable)
}

/// A whole line of human output (see [`shown`]): the line breaks it is made of are kept. The
/// command line's `eprintln!` sends every line through it.
pub fn terminal(s: &str) -> Cow<'_, str> {
    escape(s, |c| c != '\n' && unprintable(c))
}

fn escape(s: &str, bad: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(&bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

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
    let file = shown(file);
    let _ = writeln!(
        s,
        "{}[{}]: {}",
        d.severity.chinese(),
        d.rule.id(),
        shown(&d.message)
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
                // Each character as shown (a tab as a space, a control as its escape), so that
                // the caret stays under the column the message names.
                let cells: Vec<Cow<str>> = text
                    .chars()
                    .map(|c| match c {
                        '\t' => Cow::Borrowed(" "),
                        c => Cow::Owned(shown(c.encode_utf8(&mut [0; 4])).into_owned()),
                    })
                    .collect();
                // A long line (a pasted 30,000-character paragraph) is shown as a window of
                // 80 characters around the column, cut ends marked “…”.
                const WINDOW: usize = 80;
                let at = column.saturating_sub(1).min(cells.len());
                let start = if cells.len() > WINDOW {
                    at.saturating_sub(WINDOW / 2).min(cells.len() - WINDOW)
                } else {
                    0
                };
                let end = (start + WINDOW).min(cells.len());
                let lead = if start > 0 { "…" } else { "" };
                let caret: usize = lead.chars().map(char_width).sum::<usize>()
                    + cells[start..at]
                        .iter()
                        .flat_map(|c| c.chars())
                        .map(char_width)
                        .sum::<usize>();
                let tail = if end < cells.len() { "…" } else { "" };
                let line = format!("{lead}{}{tail}", cells[start..end].concat());
                let _ = writeln!(s, " {pad} |");
                let _ = writeln!(s, " {num} | {line}");
                let _ = writeln!(s, " {pad} | {}^", " ".repeat(caret));
            }
        }
        Location::Sheet { sheet, cell } => {
            let _ = writeln!(s, "  --> {file} {}!{cell}", shown(sheet));
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
        let _ = writeln!(s, "{gutter} = {what}：{}", shown(&place.path()));
    }
    for h in &d.hints {
        let _ = writeln!(s, "{gutter} = 提示：{}", shown(h));
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
