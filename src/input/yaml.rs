//! Reading reports from YAML (contract: `docs/INPUT.md`).
//!
//! The file is parsed once by [`parse_yaml`] (the one place that knows the YAML crate), then the
//! value tree is walked by hand: every problem becomes a located diagnostic and the walk goes on,
//! so one run reports all of them.

use super::yaml_index::{Pos, YamlIndex};
use super::Parsed;
use crate::diag::{Diagnostic, Key, Location, Place, Rule};
use crate::input::suggest;
use crate::model::{Amount, Count, Date, Decimal, Report, Section, Signature, Subsection, Text};
use crate::spec::format::{
    self, keys, T3Role, TableId, ValueRef, SECTIONS, T2_COUNT_ROWS, T2_TRIPLE_KEYS, T2_TRIPLE_ROWS,
    T3_CATEGORIES, T3_COLUMNS, T3_ROWS, T4_COLUMNS, T4_GROUPS,
};
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
fn quote_token(text: &str, pos: Pos) -> Option<String> {
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

/// Reads a report from the bytes of a YAML file.
pub fn read_bytes(bytes: &[u8]) -> Parsed {
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

/// The key of a "duplicate entry with key \"K\"" error.
fn duplicate_key(english: &str) -> Option<String> {
    let rest = english.split("duplicate entry with key ").nth(1)?;
    let key = rest.trim().trim_matches('"');
    (!key.is_empty()).then(|| key.to_string())
}

/// The second line, from the mapping that starts at `start`, that writes `key` at the mapping's
/// indentation.
fn second_key_at(text: &str, start: Pos, key: &str) -> Option<Pos> {
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
fn too_deep(text: &str) -> Option<Location> {
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

fn untag(v: &Value) -> &Value {
    match v {
        Value::Tagged(t) => untag(&t.value),
        other => other,
    }
}

fn key_str(k: &Value) -> String {
    match untag(k) {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "~".to_string(),
        _ => "（复杂键）".to_string(),
    }
}

fn join(parent: &str, seg: &str) -> String {
    if parent.is_empty() {
        seg.to_string()
    } else {
        format!("{parent}/{seg}")
    }
}

/// A value with where it came from (its YAML path).
#[derive(Clone, Copy)]
struct Node<'a> {
    v: &'a Value,
    path: &'a str,
}

struct Reader {
    ix: YamlIndex,
    parsed: Parsed,
}

impl Reader {
    fn loc(&self, path: &str) -> Location {
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

    fn key_loc(&self, path: &str) -> Location {
        match self.ix.key_pos(path) {
            Some(pos) => Location::Yaml {
                line: pos.line,
                column: pos.column,
            },
            None => self.loc(path),
        }
    }

    fn push(&mut self, d: Diagnostic) {
        self.parsed.diagnostics.push(d);
    }

    fn schema(&mut self, path: &str, msg: String) {
        let d = Diagnostic::error(Rule::Schema, msg).at(self.key_loc(path));
        self.push(d);
    }

    fn syntax_error(&mut self, text: &str, msg: &str, pos: Option<Pos>) {
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
        let mut d = Diagnostic::error(Rule::Syntax, format!("YAML 语法错误：{what}（{english}）"))
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

    fn check_keys(
        &mut self,
        map: &serde_yaml::Mapping,
        path: &str,
        allowed: &[&str],
        context: &str,
    ) {
        for k in map.keys() {
            let key = key_str(k);
            if allowed.contains(&key.as_str()) {
                continue;
            }
            let kp = join(path, &key);
            let mut d = Diagnostic::error(Rule::Schema, format!("{context}中有未知的键“{key}”"))
                .at(self.key_loc(&kp));
            if let Some(s) = suggest::nearest(&key, allowed) {
                d = d.with_hint(format!("您是不是要写“{s}”？"));
            } else if let Some(place) = suggest::belongs_to(&key) {
                d = d.with_hint(format!("“{key}”应写在{place}"));
            } else {
                d = d.with_hint(format!("此处可用的键：{}", allowed.join("、")));
            }
            if key.contains('：') {
                d = d.with_hint(
                    "这里用了全角冒号“：”。YAML 的键和值之间要用半角冒号加空格，如 `年度: 2021`",
                );
            }
            self.push(d);
        }
    }

    fn get<'a>(map: &'a serde_yaml::Mapping, key: &str) -> Option<&'a Value> {
        map.iter().find(|(k, _)| key_str(k) == key).map(|(_, v)| v)
    }

    fn report(&mut self, map: &serde_yaml::Mapping) {
        let mut allowed: Vec<&str> = vec![
            keys::BODY,
            keys::YEAR,
            keys::TITLE,
            keys::PUBLISHED,
            keys::PREFACE,
            keys::SIGNATURE,
            keys::SHOW_ZERO,
        ];
        allowed.extend(SECTIONS.iter().map(|s| s.key));
        self.check_keys(map, "", &allowed, "报告顶层");
        // Top-level keys are located at the key (diagnostics about 机关 or a section point here).
        let keys = [
            Key::Body,
            Key::Year,
            Key::Title,
            Key::Published,
            Key::Preface,
            Key::Signature,
            Key::ShowZero,
        ];
        let sections = SECTIONS.iter().map(|s| match s.kind {
            format::SectionKind::Text(section) => Place::Text {
                section,
                part: None,
            },
            format::SectionKind::Table(t) => Place::TableSection(t),
        });
        for place in keys.into_iter().map(Place::Key).chain(sections) {
            let key = place.path();
            if Self::get(map, &key).is_some() {
                let at = self.key_loc(&key);
                self.parsed.locations.insert(place, at);
            }
        }
        let mut report = Report::default();

        match Self::get(map, keys::BODY).map(untag) {
            Some(Value::String(s)) if !s.trim().is_empty() => report.body = s.trim().to_string(),
            Some(_) => {
                let d = Diagnostic::error(
                    Rule::Value,
                    "“机关”应为报告机关的名称，如“廊坊市人民政府办公室”",
                )
                .at(self.loc(keys::BODY));
                self.push(d);
            }
            None => self.missing(keys::BODY, "报告机关的名称"),
        }
        match Self::get(map, keys::YEAR) {
            Some(v) => {
                if let Some(y) = self.year(Node {
                    v,
                    path: keys::YEAR,
                }) {
                    report.year = y;
                }
            }
            None => self.missing(keys::YEAR, "报告年度，如 2021"),
        }
        if let Some(v) = Self::get(map, keys::TITLE) {
            report.title = self.title(Node {
                v,
                path: keys::TITLE,
            });
        }
        if let Some(v) = Self::get(map, keys::PUBLISHED) {
            report.published = self.date(Node {
                v,
                path: keys::PUBLISHED,
            });
        }
        if let Some(v) = Self::get(map, keys::PREFACE) {
            report.preface = self
                .text(Node {
                    v,
                    path: keys::PREFACE,
                })
                .unwrap_or_default();
        }
        if let Some(v) = Self::get(map, keys::SHOW_ZERO) {
            match untag(v) {
                Value::Bool(b) => report.show_zero = Some(*b),
                // `显示零值: ~`: as the data says, like leaving the key out.
                Value::Null => report.show_zero = None,
                other => {
                    let d = Diagnostic::error(
                        Rule::Value,
                        format!(
                            "“显示零值”应为 true 或 false，而不是“{}”",
                            scalar_text(other)
                        ),
                    )
                    .at(self.loc(keys::SHOW_ZERO))
                    .with_hint(
                        "写 `显示零值: false` 表示零值一律留空，`true` 表示一律印 0；不写则按数据：留空的格子留空，写了 0 的印 0",
                    );
                    self.push(d);
                }
            }
        }
        if let Some(v) = Self::get(map, keys::SIGNATURE) {
            report.signature = self.signature(Node {
                v,
                path: keys::SIGNATURE,
            });
        }
        for sec in SECTIONS.iter() {
            let Some(v) = Self::get(map, sec.key) else {
                self.missing(sec.key, &sec.heading());
                if let format::SectionKind::Table(t) = sec.kind {
                    self.mark_all_unreadable(t);
                }
                continue;
            };
            let node = Node { v, path: sec.key };
            match sec.kind {
                format::SectionKind::Text(which) => {
                    *report.text_section_mut(which) = self.section(node);
                }
                format::SectionKind::Table(TableId::T2) => self.table2(node, &mut report),
                format::SectionKind::Table(TableId::T3) => self.table3(node, &mut report),
                format::SectionKind::Table(TableId::T4) => self.table4(node, &mut report),
            }
        }
        self.parsed.report = report;
    }

    fn missing(&mut self, key: &str, what: &str) {
        let d = Diagnostic::error(Rule::Schema, format!("缺少必填项“{key}”（{what}）"))
            .at(Location::Yaml { line: 1, column: 1 })
            .with_hint(format!("在文件顶层加上 `{key}: …`"));
        self.push(d);
    }

    fn mark_all_unreadable(&mut self, table: TableId) {
        for (_, v) in table.grid().values() {
            self.parsed.unreadable.insert(v);
        }
    }

    fn year(&mut self, n: Node) -> Option<u16> {
        let range = format::YEARS;
        let (text, parsed) = match untag(n.v) {
            Value::Number(num) => (num.to_string(), num.as_u64()),
            Value::String(s) => (
                s.clone(),
                s.trim().trim_end_matches('年').parse::<u64>().ok(),
            ),
            other => (scalar_text(other), None),
        };
        match parsed {
            Some(y) if y >= *range.start() as u64 && y <= *range.end() as u64 => Some(y as u16),
            Some(_) => {
                let d = Diagnostic::error(
                    Rule::Value,
                    format!(
                        "年度“{text}”超出范围：应为 {} 到 {} 之间的年份",
                        range.start(),
                        range.end()
                    ),
                )
                .at(self.loc(n.path));
                self.push(d);
                None
            }
            None => {
                let mut d =
                    Diagnostic::error(Rule::Value, format!("年度“{text}”不是用阿拉伯数字写的年份"))
                        .at(self.loc(n.path));
                if let Some(y) = suggest::chinese_year(&text) {
                    d = d.with_hint(format!("写作 `年度: {y}`"));
                } else {
                    d = d.with_hint("写作 `年度: 2021` 这样的四位数字");
                }
                self.push(d);
                None
            }
        }
    }

    fn date(&mut self, n: Node) -> Option<Date> {
        let text = scalar_text(untag(n.v));
        match Date::parse(&text) {
            Some(d) => Some(d),
            None => {
                let d = Diagnostic::error(
                    Rule::Value,
                    format!("日期“{text}”无效：应写作 YYYY-MM-DD，如 2022-01-27"),
                )
                .at(self.loc(n.path));
                self.push(d);
                None
            }
        }
    }

    fn title(&mut self, n: Node) -> Option<Vec<String>> {
        match untag(n.v) {
            Value::String(s) => Some(vec![s.trim().to_string()]),
            Value::Sequence(items) => {
                let mut lines = vec![];
                for (i, it) in items.iter().enumerate() {
                    match untag(it) {
                        Value::String(s) => lines.push(s.trim().to_string()),
                        Value::Number(x) => lines.push(x.to_string()),
                        _ => {
                            let p = join(n.path, &i.to_string());
                            let d = Diagnostic::error(Rule::Value, "标题的每一行应为一段文字")
                                .at(self.loc(&p));
                            self.push(d);
                        }
                    }
                }
                Some(lines)
            }
            _ => {
                let d =
                    Diagnostic::error(Rule::Value, "“标题”应为一段文字，或文字列表（每项一行）")
                        .at(self.loc(n.path));
                self.push(d);
                None
            }
        }
    }

    fn text(&mut self, n: Node) -> Option<Text> {
        match untag(n.v) {
            Value::String(s) => Some(Text(s.clone())),
            Value::Number(x) => Some(Text(x.to_string())),
            Value::Null => Some(Text::default()),
            _ => {
                let d = Diagnostic::error(Rule::Schema, format!("“{}”应为一段文字", last(n.path)))
                    .at(self.loc(n.path))
                    .with_hint("多段文字之间空一行；较长的文字可以写成 `键: |` 后换行缩进");
                self.push(d);
                None
            }
        }
    }

    fn signature(&mut self, n: Node) -> Option<Signature> {
        let Value::Mapping(map) = untag(n.v) else {
            if let Value::String(s) = untag(n.v) {
                return Some(Signature {
                    body: s.trim().to_string(),
                    date: None,
                });
            }
            let d = Diagnostic::error(Rule::Schema, "“落款”应写作 `{机关: …, 日期: YYYY-MM-DD}`")
                .at(self.loc(n.path));
            self.push(d);
            return None;
        };
        self.check_keys(
            map,
            n.path,
            &[keys::SIGNATURE_BODY, keys::SIGNATURE_DATE],
            "“落款”",
        );
        let body = match Self::get(map, keys::SIGNATURE_BODY) {
            Some(v) => scalar_text(untag(v)),
            None => {
                self.schema(n.path, "“落款”缺少“机关”".to_string());
                String::new()
            }
        };
        let date = Self::get(map, keys::SIGNATURE_DATE).and_then(|v| {
            self.date(Node {
                v,
                path: &join(n.path, keys::SIGNATURE_DATE),
            })
        });
        Some(Signature { body, date })
    }

    fn section(&mut self, n: Node) -> Section {
        match untag(n.v) {
            Value::Mapping(map) => {
                self.check_keys(
                    map,
                    n.path,
                    &[keys::SECTION_INTRO, keys::SECTION_SUBSECTIONS],
                    &format!("“{}”", n.path),
                );
                let mut s = Section::default();
                if let Some(v) = Self::get(map, keys::SECTION_INTRO) {
                    s.intro = self
                        .text(Node {
                            v,
                            path: &join(n.path, keys::SECTION_INTRO),
                        })
                        .unwrap_or_default();
                }
                if let Some(v) = Self::get(map, keys::SECTION_SUBSECTIONS) {
                    let sp = join(n.path, keys::SECTION_SUBSECTIONS);
                    match untag(v) {
                        Value::Sequence(items) => {
                            for (i, it) in items.iter().enumerate() {
                                let ip = join(&sp, &i.to_string());
                                if let Some(sub) = self.subsection(Node { v: it, path: &ip }) {
                                    s.subsections.push(sub);
                                }
                            }
                        }
                        Value::Null => {}
                        _ => {
                            let d = Diagnostic::error(
                                Rule::Schema,
                                "“分项”应为列表，每项写作 `- 标题: …` 和 `内容: …`",
                            )
                            .at(self.loc(&sp));
                            self.push(d);
                        }
                    }
                }
                s
            }
            _ => Section {
                intro: self.text(n).unwrap_or_default(),
                subsections: vec![],
            },
        }
    }

    fn subsection(&mut self, n: Node) -> Option<Subsection> {
        let Value::Mapping(map) = untag(n.v) else {
            let d = Diagnostic::error(Rule::Schema, "每个分项应写作 `- 标题: …` 加一行 `内容: …`")
                .at(self.loc(n.path));
            self.push(d);
            return None;
        };
        self.check_keys(
            map,
            n.path,
            &[keys::SUBSECTION_TITLE, keys::SUBSECTION_BODY],
            "分项",
        );
        let title = match Self::get(map, keys::SUBSECTION_TITLE) {
            Some(v) => scalar_text(untag(v)),
            None => {
                self.schema(n.path, "分项缺少“标题”".to_string());
                String::new()
            }
        };
        let body = Self::get(map, keys::SUBSECTION_BODY)
            .and_then(|v| {
                self.text(Node {
                    v,
                    path: &join(n.path, keys::SUBSECTION_BODY),
                })
            })
            .unwrap_or_default();
        Some(Subsection { title, body })
    }

    // ----- numbers -----

    /// Reads one count; on error records it and marks the cell unreadable.
    fn count(&mut self, n: Node, value: ValueRef) -> Count {
        let cell = &value.path();
        let at = self.loc(n.path);
        self.parsed.locations.insert(value.into(), at);
        match untag(n.v) {
            Value::Mapping(map) => {
                self.check_keys(
                    map,
                    n.path,
                    &[keys::CELL_NUMBER, keys::CELL_NOTE],
                    "带注释的单元格",
                );
                let note = Self::get(map, keys::CELL_NOTE)
                    .map(|v| scalar_text(untag(v)))
                    .filter(|s| !s.trim().is_empty());
                // A note gives the cell a value to print it after (`0（…）`).
                let blank =
                    note.is_none() && Self::get(map, keys::CELL_NUMBER).is_none_or(is_blank);
                let value = match Self::get(map, keys::CELL_NUMBER) {
                    Some(v) => self.number(
                        Node {
                            v,
                            path: &join(n.path, keys::CELL_NUMBER),
                        },
                        value,
                    ),
                    None => {
                        self.schema(n.path, format!("单元格 {cell} 写了“注”但缺少“数”"));
                        self.parsed.unreadable.insert(value);
                        0
                    }
                };
                Count { value, note, blank }
            }
            // Left empty (`~`, `""`): 0 that prints blank.
            v if is_blank(v) => Count::BLANK,
            _ => Count::new(self.number(n, value)),
        }
    }

    fn number(&mut self, n: Node, value: ValueRef) -> u64 {
        let cell = &value.path();
        let raw = self.ix.raw(n.path).map(str::to_string);
        let result: Result<u64, (String, Option<String>)> = match untag(n.v) {
            Value::Null => Ok(0),
            Value::Number(num) => {
                let shown = raw.clone().unwrap_or_else(|| num.to_string());
                let f = num.as_f64().unwrap_or(f64::NAN);
                if let Some(u) = num.as_u64() {
                    Ok(u)
                } else if num.as_i64().is_some() || f < 0.0 {
                    Err((format!("“{shown}”是负数，件数不能小于 0"), None))
                } else if !f.is_finite() || f.fract() != 0.0 {
                    Err((format!("“{shown}”不是整数，件数应为整数"), None))
                } else if f > format::MAX_COUNT as f64 {
                    Err((
                        format!(
                            "“{shown}”太大，不是合理的件数（最大 {}）",
                            format::MAX_COUNT
                        ),
                        Some("检查是否多打了数字".to_string()),
                    ))
                } else {
                    Ok(f as u64)
                }
            }
            Value::String(s) => {
                let t: String = s.trim().chars().map(suggest::halfwidth_digit).collect();
                if t.is_empty() {
                    Ok(0)
                } else if t.chars().all(|c| c.is_ascii_digit()) {
                    t.parse::<u64>().map_err(|_| {
                        (
                            format!("“{s}”太大，不是合理的件数（最大 {}）", format::MAX_COUNT),
                            None,
                        )
                    })
                } else {
                    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
                    let hint = if !digits.is_empty() {
                        Some(format!(
                            "只填阿拉伯数字，如 {digits}；说明文字可写成 `{{数: {digits}, 注: …}}`"
                        ))
                    } else {
                        Some("只填阿拉伯数字，如 12；没有就填 0".to_string())
                    };
                    Err((format!("“{s}”不是数字"), hint))
                }
            }
            Value::Bool(b) => Err((
                format!("“{b}”不是数字"),
                Some("只填阿拉伯数字；没有就填 0".to_string()),
            )),
            Value::Sequence(_) | Value::Mapping(_) => {
                Err(("这里应为一个数字，而不是列表或映射".to_string(), None))
            }
            Value::Tagged(_) => Err(("这里应为一个数字".to_string(), None)),
        };
        match result {
            Ok(v) if v > format::MAX_COUNT => {
                let shown = raw.unwrap_or_else(|| v.to_string());
                self.value_error(
                    n.path,
                    value,
                    format!(
                        "{cell} 的值“{shown}”太大，不是合理的件数（最大 {}）",
                        format::MAX_COUNT
                    ),
                    Some("检查是否多打了数字".to_string()),
                );
                0
            }
            Ok(v) => v,
            Err((msg, hint)) => {
                self.value_error(n.path, value, format!("{cell} 的值{msg}"), hint);
                0
            }
        }
    }

    fn value_error(&mut self, path: &str, value: ValueRef, msg: String, hint: Option<String>) {
        let mut d = Diagnostic::error(Rule::Value, msg)
            .with_value(value)
            .at(self.loc(path));
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        self.push(d);
        self.parsed.unreadable.insert(value);
    }

    /// Reads a row of `cols` columns, as a list (the last, a 总计, optional) or as a mapping;
    /// `value(c)` is the table value of column `c`, `row` the row's place.
    /// Returns the counts and whether the total was given.
    fn row(
        &mut self,
        n: Node,
        cols: &[&str],
        row: Place,
        value: impl Fn(usize) -> ValueRef,
    ) -> (Vec<Count>, bool) {
        let cell_prefix = &row.path();
        let mut out = vec![Count::default(); cols.len()];
        let mut total_given = false;
        match untag(n.v) {
            Value::Sequence(items) => {
                if items.len() == cols.len() || items.len() + 1 == cols.len() {
                    total_given = items.len() == cols.len();
                    for (i, it) in items.iter().enumerate() {
                        let p = join(n.path, &i.to_string());
                        out[i] = self.count(Node { v: it, path: &p }, value(i));
                    }
                } else {
                    let d = Diagnostic::error(
                        Rule::Schema,
                        format!(
                            "{cell_prefix} 应有 {} 个数（{}），或 {} 个数（不含总计），实际有 {} 个",
                            cols.len(),
                            cols.join("、"),
                            cols.len() - 1,
                            items.len()
                        ),
                    )
                    .with_place(row)
                    .at(self.loc(n.path));
                    self.push(d);
                    for c in 0..cols.len() {
                        self.parsed.unreadable.insert(value(c));
                    }
                }
            }
            Value::Mapping(map) => {
                self.check_keys(map, n.path, cols, &format!("{cell_prefix} "));
                for (c, col) in cols.iter().enumerate() {
                    let p = join(n.path, col);
                    if let Some(v) = Self::get(map, col) {
                        out[c] = self.count(Node { v, path: &p }, value(c));
                        if c == cols.len() - 1 {
                            total_given = true;
                        }
                    } else {
                        let at = self.loc(n.path);
                        self.parsed.locations.insert(value(c).into(), at);
                    }
                }
            }
            Value::Null => {
                let at = self.loc(n.path);
                for c in 0..cols.len() {
                    self.parsed.locations.insert(value(c).into(), at.clone());
                }
            }
            other => {
                let d = Diagnostic::error(
                    Rule::Schema,
                    format!(
                        "{cell_prefix} 应为 {} 个数的列表，如 [{}]，而不是“{}”",
                        cols.len(),
                        vec!["0"; cols.len()].join(", "),
                        scalar_text(other)
                    ),
                )
                .with_place(row)
                .at(self.loc(n.path));
                self.push(d);
                for c in 0..cols.len() {
                    self.parsed.unreadable.insert(value(c));
                }
            }
        }
        (out, total_given)
    }

    fn table_map<'a>(&mut self, n: Node<'a>, table: TableId) -> Option<&'a serde_yaml::Mapping> {
        match untag(n.v) {
            Value::Mapping(m) => Some(m),
            _ => {
                let d = Diagnostic::error(
                    Rule::Schema,
                    format!("“{}”应为各行数据的映射（行名: [数, …]）", n.path),
                )
                .at(self.loc(n.path))
                .with_hint("参考 `xxgk template --yaml` 生成的模板");
                self.push(d);
                self.mark_all_unreadable(table);
                None
            }
        }
    }

    fn table2(&mut self, n: Node, report: &mut Report) {
        let Some(map) = self.table_map(n, TableId::T2) else {
            return;
        };
        let mut allowed: Vec<&str> = T2_TRIPLE_ROWS.to_vec();
        allowed.extend(T2_COUNT_ROWS);
        allowed.push(format::T2_AMOUNT_ROW);
        self.check_keys(map, n.path, &allowed, "表二（主动公开）");
        for (r, key) in T2_TRIPLE_ROWS.iter().enumerate() {
            let p = join(n.path, key);
            let prefix = format::t2_cell_path(key, None);
            let Some(v) = Self::get(map, key) else {
                let at = self.loc(n.path);
                for col in 0..3 {
                    let v = ValueRef::T2Document { row: r, col };
                    self.parsed.locations.insert(v.into(), at.clone());
                }
                continue;
            };
            let node = Node { v, path: &p };
            match untag(v) {
                Value::Sequence(items) if items.len() != 3 => {
                    let d = Diagnostic::error(
                        Rule::Schema,
                        format!(
                            "{prefix} 应有 3 个数（{}），实际有 {} 个",
                            format::T2_TRIPLE_LABELS.join("、"),
                            items.len()
                        ),
                    )
                    .with_place(Place::T2Row(r))
                    .at(self.loc(&p));
                    self.push(d);
                    for col in 0..3 {
                        self.parsed
                            .unreadable
                            .insert(ValueRef::T2Document { row: r, col });
                    }
                }
                _ => {
                    // Same shape as a table row with a mandatory last column.
                    let (cells, _) = self.row(node, &T2_TRIPLE_KEYS, Place::T2Row(r), |col| {
                        ValueRef::T2Document { row: r, col }
                    });
                    for (c, cell) in cells.into_iter().enumerate() {
                        report.table2.documents[r][c] = cell;
                    }
                }
            }
        }
        for (r, key) in T2_COUNT_ROWS.iter().enumerate() {
            match Self::get(map, key) {
                Some(v) => {
                    report.table2.decisions[r] = self.count(
                        Node {
                            v,
                            path: &join(n.path, key),
                        },
                        ValueRef::T2Decision { row: r },
                    )
                }
                None => {
                    let at = self.loc(n.path);
                    self.parsed
                        .locations
                        .insert(ValueRef::T2Decision { row: r }.into(), at);
                }
            }
        }
        let key = format::T2_AMOUNT_ROW;
        match Self::get(map, key) {
            Some(v) => {
                report.table2.fee = self.amount(
                    Node {
                        v,
                        path: &join(n.path, key),
                    },
                    ValueRef::T2Fee,
                )
            }
            None => {
                let at = self.loc(n.path);
                self.parsed.locations.insert(ValueRef::T2Fee.into(), at);
            }
        }
    }

    fn amount(&mut self, n: Node, value: ValueRef) -> Amount {
        let cell = &value.path();
        let at = self.loc(n.path);
        self.parsed.locations.insert(value.into(), at);
        let (v, note, path) = match untag(n.v) {
            Value::Mapping(map) => {
                self.check_keys(
                    map,
                    n.path,
                    &[keys::CELL_NUMBER, keys::CELL_NOTE],
                    "带注释的单元格",
                );
                let note = Self::get(map, keys::CELL_NOTE)
                    .map(|v| scalar_text(untag(v)))
                    .filter(|s| !s.trim().is_empty());
                (
                    Self::get(map, keys::CELL_NUMBER),
                    note,
                    join(n.path, keys::CELL_NUMBER),
                )
            }
            _ => (Some(n.v), None, n.path.to_string()),
        };
        if v.is_none_or(is_blank) {
            return Amount {
                note,
                ..Amount::default()
            };
        }
        let text = match v.map(untag) {
            None | Some(Value::Null) => "0".to_string(),
            // The source text keeps the digits as written (`7730.20`); the float would not.
            Some(Value::Number(x)) => self
                .ix
                .raw(&path)
                .map(str::to_string)
                .unwrap_or_else(|| x.to_string()),
            Some(Value::String(s)) => s.trim().to_string(),
            Some(other) => scalar_text(other),
        };
        let text = text.trim_matches(|c| c == '"' || c == '\'').to_string();
        match Decimal::parse(&text) {
            Some(value) => Amount {
                value,
                note,
                blank: false,
            },
            None => {
                let hint = if text.starts_with('-') {
                    "收费金额不能为负数"
                } else {
                    "只填数字，单位为万元，如 7730.28；没有收费填 0"
                };
                self.value_error(
                    &path,
                    value,
                    format!("{cell} 的值“{text}”不是有效的金额"),
                    Some(hint.to_string()),
                );
                Amount {
                    value: Decimal::default(),
                    note,
                    blank: false,
                }
            }
        }
    }

    fn table3(&mut self, n: Node, report: &mut Report) {
        let Some(map) = self.table_map(n, TableId::T3) else {
            return;
        };
        let mut allowed: Vec<&str> = T3_ROWS
            .iter()
            .filter(|r| r.category.is_none())
            .map(|r| r.key)
            .collect();
        allowed.extend(T3_CATEGORIES.iter().map(|c| c.key));
        self.check_keys(map, n.path, &allowed, "表三（申请情况）");
        let mut results_total_given = false;
        for (cat_i, cat) in T3_CATEGORIES.iter().enumerate() {
            let items: Vec<&str> = T3_ROWS
                .iter()
                .filter(|r| r.category == Some(cat_i))
                .map(|r| r.key)
                .collect();
            match Self::get(map, cat.key).map(untag) {
                Some(Value::Mapping(m)) => self.check_keys(
                    m,
                    &join(n.path, cat.key),
                    &items,
                    &format!("“{}”", cat.label),
                ),
                Some(Value::Null) | None => {}
                Some(_) => {
                    let d = Diagnostic::error(
                        Rule::Schema,
                        format!(
                            "“{}”应为各小项的映射，如 `{}: [0, 0, 0, 0, 0, 0, 0]`",
                            cat.key, items[0]
                        ),
                    )
                    .at(self.loc(&join(n.path, cat.key)));
                    // The 2019 trial format had one row for （六）其他处理; 2021 splits it in three.
                    let d = if cat_i == T3_CATEGORIES.len() - 1 {
                        d.with_hint(format!(
                            "2019 年试行格式的“其他处理”只有一行；2021 年格式分为三项，原来的数据可写在 `{}: {{{}: [...]}}`",
                            cat.key,
                            items[items.len() - 1]
                        ))
                    } else {
                        d
                    };
                    self.push(d);
                    // Its rows are unknown: no rule is run on them.
                    for (i, _) in T3_ROWS
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| r.category == Some(cat_i))
                    {
                        for col in 0..T3_COLUMNS.len() {
                            self.parsed.unreadable.insert(ValueRef::T3 { row: i, col });
                        }
                    }
                }
            }
        }
        for (i, row) in T3_ROWS.iter().enumerate() {
            let (ypath, value) = match row.category {
                None => (join(n.path, row.key), Self::get(map, row.key)),
                Some(c) => {
                    let cp = join(n.path, T3_CATEGORIES[c].key);
                    let v = match Self::get(map, T3_CATEGORIES[c].key).map(untag) {
                        Some(Value::Mapping(m)) => Self::get(m, row.key),
                        _ => None,
                    };
                    (join(&cp, row.key), v)
                }
            };
            let (cells, total_given) = match value {
                Some(v) => self.row(
                    Node { v, path: &ypath },
                    &T3_COLUMNS,
                    Place::T3Row(i),
                    |col| ValueRef::T3 { row: i, col },
                ),
                None => {
                    let at = self.loc(&ypath);
                    for col in 0..T3_COLUMNS.len() {
                        let v = ValueRef::T3 { row: i, col };
                        self.parsed.locations.insert(v.into(), at.clone());
                    }
                    (vec![Count::default(); T3_COLUMNS.len()], false)
                }
            };
            if row.role == T3Role::ResultsTotal && value.is_some() {
                results_total_given = true;
            }
            for (c, cell) in cells.into_iter().enumerate() {
                report.table3.cells[i][c] = cell;
            }
            if !total_given {
                report.table3.compute_row_total(i);
            }
        }
        if !results_total_given {
            report.compute_t3_results_total();
        }
    }

    fn table4(&mut self, n: Node, report: &mut Report) {
        let Some(map) = self.table_map(n, TableId::T4) else {
            return;
        };
        self.check_keys(map, n.path, &T4_GROUPS, "表四（复议诉讼）");
        for (g, key) in T4_GROUPS.iter().enumerate() {
            let p = join(n.path, key);
            let (cells, total_given) = match Self::get(map, key) {
                Some(v) => self.row(
                    Node { v, path: &p },
                    &T4_COLUMNS,
                    Place::T4Group(g),
                    |col| ValueRef::T4 { group: g, col },
                ),
                None => {
                    let at = self.loc(n.path);
                    for col in 0..T4_COLUMNS.len() {
                        let v = ValueRef::T4 { group: g, col };
                        self.parsed.locations.insert(v.into(), at.clone());
                    }
                    (vec![Count::default(); T4_COLUMNS.len()], false)
                }
            };
            for (c, cell) in cells.into_iter().enumerate() {
                report.table4.cells[g][c] = cell;
            }
            if !total_given {
                report.table4.compute_total(g);
            }
        }
    }
}

/// A cell left empty: `~`, nothing, or a string of spaces.
fn is_blank(v: &Value) -> bool {
    match untag(v) {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

fn last(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn scalar_text(v: &Value) -> String {
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
