//! Reading reports from YAML (contract: `docs/INPUT.md`).
//!
//! The file is parsed once by [`parse_yaml`] (the one place that knows the YAML crate), then the
//! value tree is walked by hand: every problem becomes a located diagnostic and the walk goes on,
//! so one run reports all of them.
//!
//! By job: `parse` turns the text into the value tree and explains syntax errors (with a cheap
//! line scan for nesting too deep, run first so that no deeper scan recurses on hostile input);
//! `index` scans the text once more for where each key and value sits (the value tree forgets
//! it); `report` reads the metadata and texts, `tables` the three tables; this module ties them.

mod index;
mod parse;
mod report;
mod tables;

use super::Parsed;
use crate::diag::{Diagnostic, Key, Location, Place, Rule};
use crate::input::suggest;
use index::{join, YamlIndex};
use parse::too_deep;
use serde_yaml::Value;

pub use parse::{parse_yaml, MAX_DEPTH};

/// UTF-16 text (Windows Notepad's "Unicode"): by its byte-order mark, or, without one, by the
/// NUL bytes every ASCII character has on one side. `Some(Ok(text))` decoded, `Some(Err(what))`
/// UTF-16 but not valid, `None` not UTF-16.
fn utf16(bytes: &[u8]) -> Option<Result<String, &'static str>> {
    let (big, body) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (false, rest),
        [0xFE, 0xFF, rest @ ..] => (true, rest),
        _ => {
            // Without a mark: only a file that is not UTF-8 text (or holds NUL bytes) is looked
            // at. Every ASCII character (line breaks, spaces, digits, keys' colons) has a NUL
            // byte on one side, the odd side in little-endian, the even side in big-endian;
            // Chinese characters rarely do.
            if std::str::from_utf8(bytes).is_ok_and(|t| !t.contains('\0')) {
                return None;
            }
            let head = &bytes[..bytes.len().min(4096) & !1];
            let zeros = |odd: usize| {
                head.iter()
                    .skip(odd)
                    .step_by(2)
                    .filter(|b| **b == 0)
                    .count()
            };
            let (even, odd) = (zeros(0), zeros(1));
            if odd >= 4 && odd >= 4 * even + 2 {
                (false, bytes)
            } else if even >= 4 && even >= 4 * odd + 2 {
                (true, bytes)
            } else {
                return None;
            }
        }
    };
    if body.len() % 2 != 0 {
        return Some(Err("字节数不成对"));
    }
    let units = body.chunks_exact(2).map(|p| {
        if big {
            u16::from_be_bytes([p[0], p[1]])
        } else {
            u16::from_le_bytes([p[0], p[1]])
        }
    });
    Some(
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| "含有不成对的代理项"),
    )
}

/// Reads a report from the bytes of a YAML file: UTF-8 (with or without a byte-order mark), or
/// UTF-16 (read, with a warning to save it as UTF-8).
pub fn read_bytes(bytes: &[u8]) -> Parsed {
    if let Some(decoded) = utf16(bytes) {
        return match decoded {
            Ok(text) => {
                let mut p = read_str(&text);
                p.diagnostics.push(
                    Diagnostic::warning(
                        Rule::Syntax,
                        "文件是 UTF-16 编码（记事本的“Unicode”）：已按 UTF-16 读取",
                    )
                    .at(Location::Yaml { line: 1, column: 1 })
                    .with_hint("请用文本编辑器将文件另存为“UTF-8”编码，别的程序才能读取"),
                );
                p
            }
            // Not text after all (a binary file that starts like a mark): said as below.
            Err(_) => read_utf8(bytes),
        };
    }
    read_utf8(bytes)
}

fn read_utf8(bytes: &[u8]) -> Parsed {
    match std::str::from_utf8(bytes) {
        Ok(text) => read_str(text),
        Err(e) => {
            let mut p = Parsed::default();
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            p.diagnostics.push(
                Diagnostic::error(Rule::Syntax, format!("第 {line} 行含有不是 UTF-8 编码的内容：文件可能是二进制文件，或以 GBK 编码保存"))
                    .at(Location::Yaml { line, column: 1 })
                    .with_hint("请用文本编辑器将文件另存为“UTF-8”编码的 .yaml 文件"),
            );
            p
        }
    }
}

/// Reads a report from YAML text.
pub fn read_str(text: &str) -> Parsed {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(at) = too_deep(text) {
        let mut p = Parsed::default();
        p.diagnostics.push(
            Diagnostic::error(
                Rule::Syntax,
                format!("嵌套层数超过 {MAX_DEPTH} 层，不像年度报告，已停止读取"),
            )
            .at(at)
            .with_hint("报告最多只有几层缩进；检查是否有成串的“[”或“{”"),
        );
        return p;
    }
    let mut r = Reader {
        ix: YamlIndex::build(text),
        parsed: Parsed::default(),
    };
    r.parsed.source_text = Some(text.to_string());
    if text.contains('\0') {
        r.parsed.diagnostics.push(
            Diagnostic::error(Rule::Syntax, "文件含有空字符（\\0），不是文本文件")
                .at(Location::Yaml { line: 1, column: 1 }),
        );
        return r.parsed;
    }
    let value = match parse_yaml(text) {
        Ok(v) => v,
        Err((msg, pos)) => {
            r.syntax_error(text, &msg, pos);
            return r.parsed;
        }
    };
    let Value::Mapping(map) = untag(&value) else {
        let (what, hint) = match untag(&value) {
            Value::Null => (
                "文件是空的",
                "请从 `xxgk template --yaml -o 报告.yaml` 生成的模板开始填写",
            ),
            Value::Sequence(_) => (
                "文件顶层是列表，应为“键: 值”的映射",
                "顶层应从 `机关: …`、`年度: …` 等键开始，不要在前面加“- ”",
            ),
            _ => (
                "文件内容不是年度报告：顶层应为“键: 值”的映射",
                "检查冒号：YAML 需要半角冒号加空格，如 `年度: 2021`",
            ),
        };
        let mut d = Diagnostic::error(Rule::Schema, what)
            .at(Location::Yaml { line: 1, column: 1 })
            .with_hint(hint);
        if text.contains('：') {
            d = d.with_hint(
                "文件中使用了全角冒号“：”，YAML 需要半角冒号加空格“: ”，如 `年度: 2021`",
            );
        }
        r.parsed.diagnostics.push(d);
        return r.parsed;
    };
    r.report(map);
    // Every text is locatable too (a renderer may report a problem in it), and what holds it.
    let mut places = r.parsed.report.text_places();
    places.push(Place::Key(Key::SignatureDate));
    while let Some(place) = places.pop() {
        if let Some(pos) = r.ix.value_pos(&place.path()) {
            r.parsed.locations.entry(place).or_insert(Location::Yaml {
                line: pos.line,
                column: pos.column,
            });
        }
        places.extend(place.parent());
    }
    r.parsed.complete = true;
    r.parsed
}

pub(super) fn untag(v: &Value) -> &Value {
    match v {
        Value::Tagged(t) => untag(&t.value),
        other => other,
    }
}

pub(super) fn key_str(k: &Value) -> String {
    match untag(k) {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "~".to_string(),
        _ => "（复杂键）".to_string(),
    }
}

/// A value with where it came from (its YAML path).
#[derive(Clone, Copy)]
pub(super) struct Node<'a> {
    pub(super) v: &'a Value,
    pub(super) path: &'a str,
}

struct Reader {
    pub(super) ix: YamlIndex,
    pub(super) parsed: Parsed,
}

/// A cell left empty: `~`, nothing, or a string of spaces.
pub(super) fn is_blank(v: &Value) -> bool {
    match untag(v) {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

pub(super) fn last(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

pub(super) fn scalar_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Sequence(_) => "列表".to_string(),
        Value::Mapping(_) => "映射".to_string(),
        Value::Tagged(t) => scalar_text(&t.value),
    }
}

impl Reader {
    pub(super) fn loc(&self, path: &str) -> Location {
        let mut p = path;
        loop {
            if let Some(pos) = self.ix.pos(p) {
                return Location::Yaml {
                    line: pos.line,
                    column: pos.column,
                };
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return Location::Unknown,
            }
        }
    }

    pub(super) fn key_loc(&self, path: &str) -> Location {
        match self.ix.key_pos(path) {
            Some(pos) => Location::Yaml {
                line: pos.line,
                column: pos.column,
            },
            None => self.loc(path),
        }
    }

    pub(super) fn push(&mut self, d: Diagnostic) {
        self.parsed.diagnostics.push(d);
    }

    pub(super) fn schema(&mut self, path: &str, msg: String) {
        let d = Diagnostic::error(Rule::Schema, msg).at(self.key_loc(path));
        self.push(d);
    }

    pub(super) fn check_keys(
        &mut self,
        map: &serde_yaml::Mapping,
        path: &str,
        allowed: &[&str],
        context: &str,
    ) {
        for k in map.keys() {
            let full = key_str(k);
            if allowed.contains(&full.as_str()) {
                continue;
            }
            let kp = join(path, &full);
            let key = crate::input::number::cut(&full);
            let mut d = Diagnostic::error(Rule::Schema, format!("{context}中有未知的键“{key}”"))
                .at(self.key_loc(&kp));
            if let Some(s) = suggest::nearest(&full, allowed) {
                d = d.with_hint(format!("您是不是要写“{s}”？"));
            } else if let Some(place) = suggest::belongs_to(&full) {
                d = d.with_hint(format!("“{key}”应写在{place}"));
            } else {
                d = d.with_hint(format!("此处可用的键：{}", allowed.join("、")));
            }
            if full.contains('：') {
                d = d.with_hint(
                    "这里用了全角冒号“：”。YAML 的键和值之间要用半角冒号加空格，如 `年度: 2021`",
                );
            }
            self.push(d);
        }
    }

    pub(super) fn get<'a>(map: &'a serde_yaml::Mapping, key: &str) -> Option<&'a Value> {
        map.iter().find(|(k, _)| key_str(k) == key).map(|(_, v)| v)
    }
}
