//! The report's metadata and texts: 机关, 年度, 标题, dates, 前言, 落款 and the text sections.

use super::index::join;
use super::{last, scalar_text, untag, Node, Reader};
use crate::diag::{Diagnostic, Key, Location, Place, Rule};
use crate::input::number::cut;
use crate::input::suggest;
use crate::model::{Date, Report, Section, Signature, Subsection, Text};
use crate::spec::format::{self, keys, TableId, SECTIONS};
use serde_yaml::Value;

impl Reader {
    pub(super) fn report(&mut self, map: &serde_yaml::Mapping) {
        let mut allowed: Vec<&str> = vec![
            keys::BODY,
            keys::YEAR,
            keys::TITLE,
            keys::PUBLISHED,
            keys::PREFACE,
            keys::SIGNATURE,
            keys::SHOW_ZERO,
            keys::GOVERNMENT,
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
            Key::Government,
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
                            cut(&scalar_text(other))
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
        if let Some(v) = Self::get(map, keys::GOVERNMENT) {
            match untag(v) {
                Value::Bool(b) => report.government = Some(*b),
                // `本级政府: ~`: inferred from 机关, like leaving the key out.
                Value::Null => report.government = None,
                other => {
                    let d = Diagnostic::error(
                        Rule::Value,
                        format!(
                            "“本级政府”应为 true 或 false，而不是“{}”",
                            cut(&scalar_text(other))
                        ),
                    )
                    .at(self.loc(keys::GOVERNMENT))
                    .with_hint(
                        "本级人民政府的年度报告写 `本级政府: true`（3月31日前发布），政府部门写 `false`（1月31日前发布）；不写则按机关名称判断",
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

    pub(super) fn missing(&mut self, key: &str, what: &str) {
        let d = Diagnostic::error(Rule::Schema, format!("缺少必填项“{key}”（{what}）"))
            .at(Location::Yaml { line: 1, column: 1 })
            .with_hint(format!("在文件顶层加上 `{key}: …`"));
        self.push(d);
    }

    pub(super) fn mark_all_unreadable(&mut self, table: TableId) {
        for (_, v) in table.grid().values() {
            self.parsed.unreadable.insert(v);
        }
    }

    pub(super) fn year(&mut self, n: Node) -> Option<u16> {
        let range = format::YEARS;
        let (full, parsed) = match untag(n.v) {
            // As typed: `0x7E7` and `2.023e3` are 2023 to YAML, not a year as a clerk writes it.
            Value::Number(num) => match self.ix.raw(n.path) {
                Some(raw) if !raw.bytes().all(|b| b.is_ascii_digit()) => (raw.to_string(), None),
                _ => (num.to_string(), num.as_u64()),
            },
            Value::String(s) => (
                s.clone(),
                s.trim().trim_end_matches('年').parse::<u64>().ok(),
            ),
            other => (scalar_text(other), None),
        };
        let text = cut(&full);
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
                if let Some(y) = suggest::chinese_year(&full) {
                    d = d.with_hint(format!("写作 `年度: {y}`"));
                } else {
                    d = d.with_hint("写作 `年度: 2021` 这样的四位数字");
                }
                self.push(d);
                None
            }
        }
    }

    pub(super) fn date(&mut self, n: Node) -> Option<Date> {
        let text = scalar_text(untag(n.v));
        match Date::parse(&text) {
            Some(d) => Some(d),
            None => {
                let text = cut(&text);
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

    pub(super) fn title(&mut self, n: Node) -> Option<Vec<String>> {
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

    pub(super) fn text(&mut self, n: Node) -> Option<Text> {
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

    pub(super) fn signature(&mut self, n: Node) -> Option<Signature> {
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
        let body = self.required_text(n, map, keys::SIGNATURE_BODY, "“落款”缺少“机关”");
        let date = Self::get(map, keys::SIGNATURE_DATE).and_then(|v| {
            self.date(Node {
                v,
                path: &join(n.path, keys::SIGNATURE_DATE),
            })
        });
        Some(Signature { body, date })
    }

    pub(super) fn section(&mut self, n: Node) -> Section {
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

    /// The text under `key`, or the SCHEMA error `missing` at the mapping when it has none.
    fn required_text(
        &mut self,
        n: Node,
        map: &serde_yaml::Mapping,
        key: &str,
        missing: &str,
    ) -> String {
        match Self::get(map, key) {
            Some(v) => scalar_text(untag(v)),
            None => {
                self.schema(n.path, missing.to_string());
                String::new()
            }
        }
    }

    pub(super) fn subsection(&mut self, n: Node) -> Option<Subsection> {
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
        let title = self.required_text(n, map, keys::SUBSECTION_TITLE, "分项缺少“标题”");
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
}
