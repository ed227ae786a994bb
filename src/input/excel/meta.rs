//! The report's metadata and texts: 机关, 年度, 标题, dates, 前言, the text sections and 落款,
//! from the 基本信息 sheet, from labels anywhere, or from a title such as `XX2024年…报告`.

use super::labels::{fold_width, is_label, is_numbering, normalize};
use super::values::{float_text, paragraph_breaks, serial_date};
use super::ReadState;
use crate::diag::{Diagnostic, Key, Location, Place, Rule, TextPart};
use crate::model::{Date, Report, Section, Signature, Subsection, Text};
use crate::spec::format::{self, keys, SECTIONS};
use crate::spec::workbook::{AS_GIVEN, BODY_LABELS, INFO_SHEET, NO, YEAR_LABELS, YES};
use calamine::Data;

/// A year as offices write it: `2024`, `2024年`, `2024年度`, `２０２４`, 2024.0.
pub(super) fn year_of(text: &str) -> Option<u16> {
    let t = fold_width(text);
    let t = t.trim();
    let t = t
        .strip_suffix("年度")
        .or_else(|| t.strip_suffix('年'))
        .unwrap_or(t)
        .trim();
    let t = t.strip_suffix(".0").unwrap_or(t);
    (t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))
        .then(|| t.parse().ok())
        .flatten()
}

/// The place of section `i` of [`SECTIONS`] (its heading row).
pub(super) fn section_place(i: usize) -> Place {
    match SECTIONS[i].kind {
        format::SectionKind::Text(section) => Place::Text {
            section,
            part: None,
        },
        format::SectionKind::Table(t) => Place::TableSection(t),
    }
}

pub(super) fn section_mut(r: &mut Report, i: usize) -> &mut Section {
    match i {
        0 => &mut r.overview,
        4 => &mut r.problems,
        _ => &mut r.other,
    }
}

impl ReadState {
    pub(super) fn read_info(&mut self) {
        let body_key = normalize(keys::BODY);
        let year_key = normalize(keys::YEAR);
        // Every sheet named 基本信息 or holding 机关 and 年度 in column A; the sheet is chosen
        // among them (visible first, then the name, then the content).
        let found: Vec<(usize, usize)> = self
            .sheets
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let has = |k: &str| s.texts.iter().any(|(_, c, t)| *c == 0 && t == k);
                let content = has(&body_key) && has(&year_key);
                (content || s.name.trim() == INFO_SHEET).then_some((i, usize::from(content)))
            })
            .collect();
        let info = self.choose_sheet(INFO_SHEET, INFO_SHEET, &found);
        let Some(s) = info else {
            self.info_from_labels();
            return;
        };
        let mut section: Option<usize> = None;
        let mut in_signature = false;
        let mut found_body = false;
        let mut found_year = false;
        let mut sig_body: Option<String> = None;
        let mut sig_date: Option<Date> = None;
        let mut sig_seen = false;
        let headings: Vec<String> = SECTIONS.iter().map(|d| normalize(&d.heading())).collect();
        let end = self.sheets[s].end.0;
        for r in 0..=end {
            let a = self.sheets[s].norm(r, 0);
            let b_norm = self.sheets[s].norm(r, 1);
            if a.is_empty() && !in_signature && !is_numbering(&self.text_at(s, r, 0)) {
                continue;
            }
            if let Some(i) = headings.iter().position(|h| *h == a) {
                section = Some(i);
                in_signature = false;
                self.locate(section_place(i), s, r, 0);
                continue;
            }
            if a == normalize(keys::SIGNATURE) {
                in_signature = true;
                sig_seen = true;
                section = None;
                self.locate(Key::Signature, s, r, 0);
            }
            if in_signature {
                if self.refuse_uncached(s, r, 2, Some(Key::Signature.into())) {
                    continue;
                }
                let value = self.text_at(s, r, 2);
                if b_norm == normalize(keys::SIGNATURE_BODY) {
                    self.locate(Key::SignatureBody, s, r, 2);
                    sig_body = Some(value);
                } else if b_norm == normalize(keys::SIGNATURE_DATE) {
                    self.locate(Key::SignatureDate, s, r, 2);
                    sig_date = self.read_date(s, r, 2, Key::SignatureDate);
                } else if !a.is_empty() {
                    in_signature = false;
                }
                if in_signature {
                    continue;
                }
            }
            if let Some(i) = section {
                if a == normalize(keys::SECTION_INTRO) {
                    let (vc, text) = self.value_at(s, r);
                    if self.refuse_uncached(s, r, vc, Some(section_place(i))) {
                        continue;
                    }
                    let sec = section_mut(&mut self.parsed.report, i);
                    sec.intro = Text(paragraph_breaks(&text));
                    self.locate_text(i, TextPart::Intro, s, r, vc);
                } else if a == normalize(keys::SECTION_SUBSECTIONS) {
                    self.locate_text(i, TextPart::Subsections, s, r, 0);
                } else if is_numbering(&self.text_at(s, r, 0)) {
                    if self.refuse_uncached(s, r, 1, Some(section_place(i)))
                        | self.refuse_uncached(s, r, 2, Some(section_place(i)))
                    {
                        continue;
                    }
                    let title = self.text_at(s, r, 1);
                    let body = self.text_at(s, r, 2);
                    if !title.trim().is_empty() || !body.trim().is_empty() {
                        let sec = section_mut(&mut self.parsed.report, i);
                        let n = sec.subsections.len();
                        sec.subsections.push(Subsection {
                            title,
                            body: Text(paragraph_breaks(&body)),
                        });
                        self.locate_text(i, TextPart::Subsection(n), s, r, 1);
                        self.locate_text(i, TextPart::SubsectionTitle(n), s, r, 1);
                        self.locate_text(i, TextPart::SubsectionBody(n), s, r, 2);
                    }
                }
                continue;
            }
            let (vc, text) = self.value_at(s, r);
            let key = [
                (keys::BODY, Key::Body),
                (keys::YEAR, Key::Year),
                (keys::TITLE, Key::Title),
                (keys::PUBLISHED, Key::Published),
                (keys::SHOW_ZERO, Key::ShowZero),
                (keys::GOVERNMENT, Key::Government),
                (keys::PREFACE, Key::Preface),
            ]
            .into_iter()
            .find(|(k, _)| normalize(k) == a);
            if let Some((_, key)) = key {
                if self.refuse_uncached(s, r, vc, Some(key.into())) {
                    self.locate(key, s, r, vc);
                    found_body |= key == Key::Body;
                    found_year |= key == Key::Year;
                    continue;
                }
            }
            if a == body_key {
                found_body = true;
                self.locate(Key::Body, s, r, vc);
                self.parsed.report.body = text.trim().to_string();
                if self.parsed.report.body.is_empty() {
                    let loc = self.sheets[s].location(r, vc);
                    self.error(
                        Rule::Schema,
                        format!("缺少“{}”：请填写报告机关的名称", keys::BODY),
                        loc,
                        None,
                    );
                }
            } else if a == year_key {
                found_year = true;
                self.locate(Key::Year, s, r, vc);
                self.read_year(s, r, vc);
            } else if a == normalize(keys::TITLE) {
                self.locate(Key::Title, s, r, vc);
                let lines: Vec<String> = text
                    .lines()
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty())
                    .collect();
                self.parsed.report.title = if lines.is_empty() { None } else { Some(lines) };
            } else if a == normalize(keys::PUBLISHED) {
                self.locate(Key::Published, s, r, vc);
                self.parsed.report.published = self.read_date(s, r, vc, Key::Published);
            } else if a == normalize(keys::SHOW_ZERO) {
                self.locate(Key::ShowZero, s, r, vc);
                self.read_show_zero(s, r, vc);
            } else if a == normalize(keys::GOVERNMENT) {
                self.locate(Key::Government, s, r, vc);
                self.read_government(s, r, vc);
            } else if a == normalize(keys::PREFACE) {
                self.locate(Key::Preface, s, r, vc);
                self.parsed.report.preface = Text(paragraph_breaks(&text));
            }
        }
        if sig_seen
            && (sig_body.as_deref().is_some_and(|b| !b.trim().is_empty()) || sig_date.is_some())
        {
            self.parsed.report.signature = Some(Signature {
                body: sig_body.unwrap_or_default().trim().to_string(),
                date: sig_date,
            });
        }
        let loc = self.sheets[s].location(0, 0);
        // On a sheet read only in part the rows are missing because of the damage, said first.
        let damage = self
            .damage_note(Some(s))
            .map(|n| format!("：{n}（见前面的错误）"))
            .unwrap_or_default();
        if !found_body {
            self.error(
                Rule::Schema,
                format!("{INFO_SHEET}中缺少“{}”一行{damage}", keys::BODY),
                loc.clone(),
                None,
            );
        }
        if !found_year {
            self.error(
                Rule::Schema,
                format!("{INFO_SHEET}中缺少“{}”一行{damage}", keys::YEAR),
                loc,
                None,
            );
        }
    }

    /// Text of a cell, exactly as stored (numbers in their shortest form).
    pub(super) fn text_at(&self, s: usize, r: u32, c: u32) -> String {
        match self.sheets[s].shown(r, c) {
            Data::String(t) => t.clone(),
            Data::Float(f) => float_text(*f),
            Data::Int(i) => i.to_string(),
            Data::Empty => String::new(),
            other => other.to_string(),
        }
    }

    /// The value after a key in column A: the first filled cell of B, C (B:C merged in our layout).
    pub(super) fn value_at(&self, s: usize, r: u32) -> (u32, String) {
        let next = self.sheets[s].last_col(r, 0) + 1;
        for c in next..next + 2 {
            let t = self.text_at(s, r, c);
            if !t.is_empty() || self.sheets[s].uncached.contains_key(&(r, c)) {
                return (c, t);
            }
            if self.sheets[s].last_col(r, c) > c {
                return (c, t);
            }
        }
        (next, String::new())
    }

    pub(super) fn read_year(&mut self, s: usize, r: u32, c: u32) {
        let loc = self.sheets[s].location(r, c);
        let text = match self.sheets[s].shown(r, c) {
            Data::Float(f) => float_text(*f),
            Data::Int(i) => i.to_string(),
            Data::String(t) => fold_width(t).trim().trim_end_matches('年').to_string(),
            Data::Empty => {
                self.error(
                    Rule::Schema,
                    format!("缺少“{}”：请填写报告所属的年份", keys::YEAR),
                    loc,
                    None,
                );
                return;
            }
            other => other.to_string(),
        };
        self.set_year(&text, loc);
    }

    /// Takes the year written as `text`, or reports it at `loc` when it is out of range.
    fn set_year(&mut self, text: &str, loc: Location) {
        let text = &crate::input::number::cut(text);
        match text.parse::<u16>() {
            Ok(y) if format::YEARS.contains(&y) => self.parsed.report.year = y,
            _ => self.error(
                Rule::Value,
                format!(
                    "“{text}”不是有效的年度：应为 {} 至 {} 之间的年份",
                    format::YEARS.start(),
                    format::YEARS.end()
                ),
                loc,
                Some(Key::Year.into()),
            ),
        }
    }

    pub(super) fn read_date(&mut self, s: usize, r: u32, c: u32, key: Key) -> Option<Date> {
        let loc = self.sheets[s].location(r, c);
        let text = match self.sheets[s].shown(r, c) {
            Data::Empty => return None,
            Data::String(t) if t.trim().is_empty() => return None,
            Data::String(t) => fold_width(t),
            Data::DateTime(dt) => return serial_date(dt.as_f64(), self.date1904),
            Data::Float(f) => return serial_date(*f, self.date1904),
            other => other.to_string(),
        };
        let d = Date::parse(&text);
        if d.is_none() {
            self.error(
                Rule::Value,
                format!(
                    "“{}”不是有效的日期：应写作 YYYY-MM-DD，例如 2022-01-27",
                    crate::input::number::cut(text.trim())
                ),
                loc,
                Some(key.into()),
            );
        }
        d
    }

    /// 本级政府: 是 or 否 (or true/false); empty is “inferred from 机关”.
    pub(super) fn read_government(&mut self, s: usize, r: u32, c: u32) {
        let v = match self.sheets[s].shown(r, c) {
            Data::Bool(b) => Some(Some(*b)),
            Data::Empty => Some(None),
            Data::String(t) => match fold_width(t).trim().to_ascii_lowercase().as_str() {
                "" => Some(None),
                t if t == YES || t == "true" => Some(Some(true)),
                t if t == NO || t == "false" => Some(Some(false)),
                _ => None,
            },
            _ => None,
        };
        match v {
            Some(b) => self.parsed.report.government = b,
            None => {
                let loc = self.sheets[s].location(r, c);
                let shown = crate::input::number::cut(&self.text_at(s, r, c));
                self.error(
                    Rule::Value,
                    format!(
                        "“{shown}”不是有效的“{}”：应为“{YES}”或“{NO}”（留空则按机关名称判断）",
                        keys::GOVERNMENT
                    ),
                    loc,
                    Some(Key::Government.into()),
                );
            }
        }
    }

    pub(super) fn read_show_zero(&mut self, s: usize, r: u32, c: u32) {
        let v = match self.sheets[s].shown(r, c) {
            Data::Bool(b) => Some(Some(*b)),
            // Left empty: zeros print as the cells say (an empty cell blank, a 0 as 0).
            Data::Empty => Some(None),
            Data::String(t) => match fold_width(t).trim().to_ascii_lowercase().as_str() {
                "" => Some(None),
                t if t == AS_GIVEN => Some(None),
                t if t == YES || t == "true" || t == "y" || t == "yes" => Some(Some(true)),
                t if t == NO || t == "false" || t == "n" || t == "no" => Some(Some(false)),
                _ => None,
            },
            _ => None,
        };
        match v {
            Some(b) => self.parsed.report.show_zero = b,
            None => {
                let loc = self.sheets[s].location(r, c);
                let shown = crate::input::number::cut(&self.text_at(s, r, c));
                self.error(
                    Rule::Value,
                    format!(
                        "“{shown}”不是有效的“{}”：应为“{YES}”“{NO}”或“{AS_GIVEN}”（留空同“{AS_GIVEN}”）",
                        keys::SHOW_ZERO
                    ),
                    loc,
                    Some(Key::ShowZero.into()),
                );
            }
        }
    }

    /// Without our 基本信息 sheet: 机关 and 年度 from a title such as
    /// `XX局2023年政府信息公开工作年度报告`, else a SCHEMA error for each.
    /// 机关 and 年度 in an office's own workbook: a label (`填报单位`, `报告年度` …, see
    /// [`BODY_LABELS`]) with its value to the right or below, `标签：值` in one cell, or else the
    /// title (`XX2024年政府信息公开工作年度报告`). When they are missing, the message says where
    /// it looked and how to add them.
    pub(super) fn info_from_labels(&mut self) {
        let body = self.labelled(&BODY_LABELS, |t| {
            let t = t.trim();
            let unit = ["万元", "元", "件", "个", "人", "次"].contains(&t);
            (!t.is_empty() && !unit && t.chars().count() <= 64 && t.parse::<f64>().is_err())
                .then(|| t.to_string())
        });
        let year = self.labelled(&YEAR_LABELS, |t| year_of(t).map(|y| y.to_string()));
        if let Some((s, r, c, b)) = &body {
            self.locate(Key::Body, *s, *r, *c);
            self.parsed.report.body = b.clone();
        }
        if let Some((s, r, c, y)) = &year {
            self.locate(Key::Year, *s, *r, *c);
            let loc = self.sheets[*s].location(*r, *c);
            self.set_year(y, loc);
        }
        if body.is_none() || year.is_none() {
            self.info_from_title(body.is_none(), year.is_none());
        }
    }

    /// The first value given under one of `labels`: right of the label (the next filled cell
    /// within three columns), below it, or after a colon in the label's own cell. `accept`
    /// turns the text into a value or refuses it.
    pub(super) fn labelled(
        &self,
        labels: &[&str],
        accept: impl Fn(&str) -> Option<String>,
    ) -> Option<(usize, u32, u32, String)> {
        let wanted: Vec<String> = labels.iter().map(|l| normalize(l)).collect();
        for s in self.sheet_order() {
            let sheet = &self.sheets[s];
            for (r, c, t) in &sheet.texts {
                let (r, c) = (*r, *c);
                if wanted.contains(t) {
                    let next = sheet.last_col(r, c) + 1;
                    let right =
                        (next..next + 3).find(|&x| !self.text_at(s, r, x).trim().is_empty());
                    let below = sheet.last_row(r, c) + 1;
                    for (vr, vc) in right.map(|x| (r, x)).into_iter().chain([(below, c)]) {
                        // The next label of a header row is not this label's value.
                        if is_label(&sheet.norm(vr, vc)) {
                            continue;
                        }
                        if let Some(v) = accept(&self.text_at(s, vr, vc)) {
                            return Some((s, vr, vc, v));
                        }
                    }
                    continue;
                }
                // `单位名称：某某局` in one cell.
                let raw = fold_width(&self.text_at(s, r, c));
                if let Some((label, value)) = raw.split_once([':', '：']) {
                    if wanted.contains(&normalize(label)) {
                        if let Some(v) = accept(value) {
                            return Some((s, r, c, v));
                        }
                    }
                }
            }
        }
        None
    }

    pub(super) fn info_from_title(&mut self, want_body: bool, want_year: bool) {
        let tail = "年政府信息公开工作年度报告";
        let mut found = None;
        'outer: for s in self.sheet_order() {
            let sheet = &self.sheets[s];
            for (&(r, c), v) in &sheet.cells {
                if let Data::String(t) = v {
                    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
                    if let Some(i) = t.find(tail) {
                        let head = &t[..i];
                        let digits: String = head
                            .chars()
                            .rev()
                            .take_while(|c| c.is_ascii_digit())
                            .collect();
                        let body = &head[..head.len() - digits.len()];
                        // A title without the body (`2024年…报告统计表`) still gives the year.
                        if digits.len() == 4 && (!want_body || !body.is_empty()) {
                            let year: String = digits.chars().rev().collect();
                            let body = body.to_string();
                            found = Some((s, r, c, body, year));
                            break 'outer;
                        }
                    }
                }
            }
        }
        match found {
            Some((s, r, c, body, year)) => {
                if want_body {
                    self.locate(Key::Body, s, r, c);
                    self.parsed.report.body = body.clone();
                }
                if !want_year {
                    return;
                }
                self.locate(Key::Year, s, r, c);
                match year.parse::<u16>() {
                    Ok(y) if format::YEARS.contains(&y) => self.parsed.report.year = y,
                    _ => {
                        let loc = self.sheets[s].location(r, c);
                        self.error(
                            Rule::Value,
                            format!("标题中的年度“{year}”无效"),
                            loc,
                            Some(Key::Year.into()),
                        );
                    }
                }
                let loc = self.sheets[s].location(r, c);
                let body = crate::input::number::cut(&body);
                self.warn(
                    Rule::Schema,
                    format!(
                        "工作簿中没有“{INFO_SHEET}”工作表：{}取自标题“{body}{year}{tail}”",
                        if want_body {
                            "机关和年度"
                        } else {
                            "年度"
                        }
                    ),
                    loc,
                );
            }
            _ => {
                let sheets: Vec<&str> = self.sheets.iter().map(|s| s.name.as_str()).collect();
                let damage = self
                    .damage_note(None)
                    .map(|n| format!("；{n}，它们可能在其中（见前面的错误）"))
                    .unwrap_or_default();
                let wanted = [
                    (want_body, Key::Body, &BODY_LABELS[..], "机关全称"),
                    (want_year, Key::Year, &YEAR_LABELS[..], "2024"),
                ];
                for (want, key, labels, example) in wanted {
                    if !want {
                        continue;
                    }
                    let k = key.path();
                    let d = Diagnostic::error(
                        Rule::Schema,
                        format!(
                            "缺少“{k}”：在工作表 {} 中找过“{}”等标签（标签右侧或下方的单元格，或“标签：值”），也找过形如“XX2024{tail}”的标题，都没有{damage}",
                            sheets.join("、"),
                            labels[..4].join("”“")
                        ),
                    )
                    .with_place(key)
                    .with_hint(format!(
                        "在任一工作表中加一行：A 列写“{}”，B 列写“{example}”；或加一个“{INFO_SHEET}”工作表（`xxgk template --xlsx` 生成的模板中有）",
                        labels[if key == Key::Body { 4 } else { 1 }]
                    ));
                    self.parsed.diagnostics.push(d);
                }
            }
        }
    }
}
