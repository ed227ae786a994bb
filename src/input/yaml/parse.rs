//! The text → the value tree (the one place that knows the YAML crate), and the syntax
//! errors: nesting too deep, what the parser's message means, where a duplicate key is.

use super::index::Pos;
use super::Reader;
use crate::diag::{Diagnostic, Location, Rule};
use serde_yaml::Value;

/// Parses YAML text into a value tree. The only function that touches the YAML crate, so it can
/// be swapped (serde_yaml is deprecated upstream) in one place.
pub fn parse_yaml(text: &str) -> Result<Value, (String, Option<Pos>)> {
    let mut text = std::borrow::Cow::Borrowed(text);
    // An integer too large for the YAML library (99999999999999999999) fails the whole parse;
    // quote it and parse again, so it becomes a VALUE error at its cell like any other bad number.
    for _ in 0..100 {
        match serde_yaml::from_str::<Value>(&text) {
            Ok(v) => return Ok(v),
            Err(e) => {
                let pos = e.location().map(|l| Pos {
                    line: l.line(),
                    column: l.column(),
                });
                let msg = e.to_string();
                match pos
                    .filter(|_| msg.contains("integer"))
                    .and_then(|p| quote_token(&text, p))
                {
                    Some(fixed) => text = std::borrow::Cow::Owned(fixed),
                    None => return Err((msg, pos)),
                }
            }
        }
    }
    Err(("too many oversized numbers".to_string(), None))
}

/// Wraps the digits at `pos` in double quotes.
pub(super) fn quote_token(text: &str, pos: Pos) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 2);
    let mut done = false;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i + 1 == pos.line && !done {
            let chars: Vec<char> = line.chars().collect();
            let start = pos.column.checked_sub(1)?;
            let len = chars
                .get(start..)?
                .iter()
                .take_while(|c| c.is_ascii_digit() || **c == '-' || **c == '+')
                .count();
            if len == 0 {
                return None;
            }
            out.extend(&chars[..start]);
            out.push('"');
            out.extend(&chars[start..start + len]);
            out.push('"');
            out.extend(&chars[start + len..]);
            done = true;
        } else {
            out.push_str(line);
        }
    }
    done.then_some(out)
}

/// The key of a "duplicate entry with key \"K\"" error.
pub(super) fn duplicate_key(english: &str) -> Option<String> {
    let rest = english.split("duplicate entry with key ").nth(1)?;
    let key = rest.trim().trim_matches('"');
    (!key.is_empty()).then(|| key.to_string())
}

/// The second line, from the mapping that starts at `start`, that writes `key` at the mapping's
/// indentation.
pub(super) fn second_key_at(text: &str, start: Pos, key: &str) -> Option<Pos> {
    let lines: Vec<&str> = text.lines().collect();
    let first = lines.get(start.line.checked_sub(1)?)?;
    let indent = first.chars().take_while(|c| *c == ' ').count();
    let mut seen = 0;
    for (i, l) in lines.iter().enumerate().skip(start.line - 1) {
        let this = l.chars().take_while(|c| *c == ' ').count();
        let body = &l[this..];
        if !body.is_empty() && !body.starts_with('#') && this < indent {
            break;
        }
        let head = body.split(':').next().unwrap_or("");
        let has_colon = body.len() > head.len();
        if this == indent && has_colon && head.trim().trim_matches(['"', '\'']) == key {
            seen += 1;
            if seen == 2 {
                return Some(Pos {
                    line: i + 1,
                    column: indent + 1,
                });
            }
        }
    }
    None
}

/// The deepest nesting a report may have. A report needs six levels; the YAML library recurses
/// once per level (10,000 nested brackets overflow the stack) and its memory grows with the
/// square of the depth, so deeper input is refused before it is parsed.
pub const MAX_DEPTH: usize = 64;

/// The first place where `text` nests deeper than [`MAX_DEPTH`]: flow brackets (`[`, `{`), block
/// indentation and `- ` items all count. Quoted strings and comments are skipped. Conservative:
/// it may count a level the parser would not, never the other way round.
pub(super) fn too_deep(text: &str) -> Option<Location> {
    let mut flow = 0usize;
    for (i, line) in text.lines().enumerate() {
        let indent = line.chars().take_while(|c| *c == ' ').count();
        let mut quote: Option<char> = None;
        // The last character that was not a space: a bracket opens a collection only where a
        // value starts (line start, after `:`, `-`, `,` or another bracket), not inside text.
        let mut last = '\n';
        let mut dashes = 0;
        let mut prev = ' ';
        for (col, c) in line.chars().enumerate() {
            let starts_value = matches!(last, '\n' | ':' | '-' | ',' | '[' | '{');
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '\'' | '"' if starts_value => quote = Some(c),
                    '#' if prev == ' ' => break,
                    '[' | '{' if starts_value => flow += 1,
                    ']' | '}' if flow > 0 => flow -= 1,
                    '-' if last == '\n' || (last == '-' && prev == ' ') => dashes += 1,
                    _ => {}
                },
            }
            if c != ' ' {
                last = c;
            }
            prev = c;
            if flow + indent / 2 + dashes > MAX_DEPTH {
                return Some(Location::Yaml {
                    line: i + 1,
                    column: col + 1,
                });
            }
        }
    }
    None
}

impl Reader {
    pub(super) fn syntax_error(&mut self, text: &str, msg: &str, pos: Option<Pos>) {
        let english = msg.split(" at line ").next().unwrap_or(msg);
        let what = if english.contains("could not find expected ':'") {
            "缺少冒号“:”"
        } else if english.contains("did not find expected key")
            || english.contains("did not find expected '-'")
        {
            "缩进不一致，或某行缺少“键: 值”中的冒号"
        } else if english.contains("found character that cannot start any token") {
            "含有不能出现在此处的字符（例如制表符 Tab，或未加引号的 @、`）"
        } else if english.contains("mapping values are not allowed") {
            "冒号位置不对：值中含有未加引号的“: ”，或上一行缩进有误"
        } else if english.contains("duplicate entry") {
            "同一个键写了两次"
        } else if english.contains("found unexpected end of stream")
            || english.contains("while scanning a quoted scalar")
        {
            "引号或括号没有闭合"
        } else if english.contains("did not find expected ',' or ']'") {
            "方括号列表没有闭合，或数字之间缺少逗号"
        } else {
            "无法解析"
        };
        // The YAML library places a duplicate key at the start of its mapping; the clerk needs
        // the second occurrence.
        let pos = match duplicate_key(english) {
            Some(key) => pos.map(|p| second_key_at(text, p, &key).unwrap_or(p)),
            None => pos,
        };
        let loc = pos
            .map(|p| Location::Yaml {
                line: p.line,
                column: p.column,
            })
            .unwrap_or_default();
        // The library's message can quote the file (a duplicate key of any length).
        let english_shown = crate::input::number::cut_to(english, 160);
        let mut d = Diagnostic::error(
            Rule::Syntax,
            format!("YAML 语法错误：{what}（{english_shown}）"),
        )
        .at(loc.clone());
        // A full-width colon (`年度：2021`) near the error is the commonest cause: point at it.
        let lines: Vec<&str> = text.lines().collect();
        let err_line = pos.map(|p| p.line).unwrap_or(1);
        let from = err_line.saturating_sub(3);
        for (i, l) in lines
            .iter()
            .enumerate()
            .take(err_line.min(lines.len()))
            .skip(from)
        {
            let code = l.split(" #").next().unwrap_or(l);
            if let Some(c) = code.find('：') {
                if !code.contains(": ") && !code.trim_end().ends_with(':') {
                    let column = code[..c].chars().count() + 1;
                    d = d.at(Location::Yaml { line: i + 1, column }).with_hint(
                        "这一行用了全角冒号“：”。YAML 的键和值之间要用半角冒号加空格，如 `年度: 2021`",
                    );
                    break;
                }
            }
            if l.starts_with('\t') || l.trim_start_matches(' ').starts_with('\t') {
                d = d.with_hint("YAML 不允许用制表符（Tab）缩进，请改用空格");
            }
        }
        self.push(d);
    }
}
