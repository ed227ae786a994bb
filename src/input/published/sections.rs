//! The text of a published report: the title (机关, 年度), the publication date, the preface, the
//! six sections cut at their headings (subsections at `（一）`), and the 落款 — laid out as our
//! workbook's 基本信息 sheet, so the workbook reader reads them.

use super::{Block, INFO};
use crate::input::excel::GridSheet;
use crate::input::suggest::{fold_width, is_numeral, normalize};
use crate::spec::date::Date;
use crate::spec::format::{keys, SECTIONS};
use std::collections::BTreeMap;

/// What the text gives.
pub(crate) struct TextParts {
    pub sheet: GridSheet,
    /// The text of sections 二 to 四 (lines as they came), for tables flattened into text.
    pub table_text: String,
    /// How many of the six headings were found.
    pub headings: usize,
}

const TITLE_TAIL: &str = "政府信息公开工作年度报告";

/// Whether a paragraph is the heading of section `i` (`一、总体情况`, `（一）` not).
fn is_heading(p: &str, i: usize) -> bool {
    // Long paragraphs are not headings: told before anything is folded (a page of a hundred
    // thousand lines asks this six times a line).
    let most = SECTIONS[i].title.chars().count() + 12;
    let p = p.trim();
    if p.is_empty() || p.chars().nth(most).is_some() {
        return false;
    }
    let t = fold_width(p);
    let t = t.trim();
    // The numbering may be missing; a subsection's `（一）` is not a section's.
    if t.starts_with('(') {
        return false;
    }
    if t.chars().count() <= SECTIONS[i].title.chars().count() + 8
        && normalize(t) == normalize(SECTIONS[i].title)
    {
        return true;
    }
    // Reports word some headings their own way (五、存在问题及改进情况; the 2019 format's
    // 五、政府信息公开工作存在的主要问题及改进情况): with the section's own number, its key words
    // are enough.
    let number = format!("{}、", crate::spec::format::chinese_numeral(i + 1));
    let Some(rest) = t.strip_prefix(&number) else {
        return false;
    };
    let rest = normalize(rest);
    HEADING_WORDS[i]
        .iter()
        .any(|words| words.iter().all(|w| rest.contains(w)))
}

/// The key words that name each section under its number: any one set, all its words.
const HEADING_WORDS: [&[&[&str]]; 6] = [
    &[&["总体情况"]],
    &[&["主动公开"]],
    &[&["申请"]],
    &[&["复议"], &["诉讼"]],
    &[&["问题"], &["改进"]],
    &[&["其他", "事项"]],
];

/// 机关 and 年度 from a title line (`XX局2024年政府信息公开工作年度报告`, spaces and line
/// breaks anywhere). The body is `None` when the line starts with the year.
fn title_parts(p: &str) -> Option<(Option<String>, u16)> {
    let t: String = fold_width(p)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let at = t.find(TITLE_TAIL)?;
    let head = t[..at].trim_end_matches('度').strip_suffix('年')?;
    let digits: String = head
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    if digits.len() != 4 {
        return None;
    }
    let year: u16 = digits.chars().rev().collect::<String>().parse().ok()?;
    let body = head[..head.len() - 4].trim().to_string();
    Some(((!body.is_empty()).then_some(body), year))
}

/// A date at the start of a line (`2022年01月27日 来源: …`, `2022-01-27`).
fn leading_date(p: &str) -> Option<Date> {
    let t = fold_width(p);
    let mut t = t.trim();
    // `发布时间：2024-01-20`, `日期: …`.
    if let Some((label, rest)) = t.split_once(':') {
        if label.chars().count() <= 6 && ["发布", "日期", "时间"].iter().any(|w| label.contains(w))
        {
            t = rest.trim();
        }
    }
    let end = t
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || "年月日-/.".contains(c)))
        .map_or(t.len(), |(i, _)| i);
    let head = &t[..end];
    Date::parse(head).or_else(|| head.find('日').and_then(|i| Date::parse(&head[..i + 3])))
}

/// Lines a web page puts after the report (counters, buttons), not the report's text.
fn is_page_furniture(p: &str) -> bool {
    let t = p.trim();
    let short = t.chars().count() <= 24;
    short
        && (t.ends_with(':')
            || t.ends_with('：')
            || [
                "浏览",
                "打印",
                "关闭",
                "分享",
                "扫一扫",
                "责任编辑",
                "【",
                "收藏",
                "来源",
            ]
            .iter()
            .any(|w| t.contains(w)))
}

/// A subsection's start: `（一）标题。内容` → (title, content).
fn subsection(p: &str) -> Option<(String, String)> {
    let t = p.trim_start();
    let folded = fold_width(t);
    let rest = folded.strip_prefix('(')?;
    let close = rest.find(')')?;
    let num = &rest[..close];
    if num.is_empty() || !num.chars().all(is_numeral) {
        return None;
    }
    // Back in the original text: the title and content keep their own characters.
    let skip = num.chars().count() + 2;
    let body: String = t.chars().skip(skip).collect();
    let body = body.trim_start();
    match body.find('。') {
        Some(i) if body[..i].chars().count() <= 40 => Some((
            body[..i].trim().to_string(),
            body[i + '。'.len_utf8()..].trim().to_string(),
        )),
        // A heading on its own line.
        None if body.chars().count() <= 40 => Some((body.trim().to_string(), String::new())),
        _ => None,
    }
}

struct Sheet {
    cells: BTreeMap<(u32, u32), String>,
    merges: Vec<((u32, u32), (u32, u32))>,
    row: u32,
}

impl Sheet {
    fn put(&mut self, cols: &[&str]) {
        for (c, t) in cols.iter().enumerate() {
            if !t.is_empty() {
                self.cells.insert((self.row, c as u32), t.to_string());
            }
        }
        self.row += 1;
    }
}

/// Cuts the document's paragraphs into the report's parts.
pub(crate) fn cut(blocks: &[Block]) -> TextParts {
    let paras: Vec<&str> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Para(p) => Some(p.as_str()),
            Block::Table(_) => None,
        })
        .collect();
    let mut at: [Option<usize>; 6] = [None; 6];
    let mut from = 0;
    for (i, slot) in at.iter_mut().enumerate() {
        if let Some(k) = (from..paras.len()).find(|&k| is_heading(paras[k], i)) {
            *slot = Some(k);
            from = k + 1;
        }
    }
    let headings = at.iter().flatten().count();
    let first = at.iter().flatten().copied().next().unwrap_or(paras.len());
    // Where section i ends: at the next heading found, or the end.
    let end_of = |i: usize| -> usize {
        at[i + 1..]
            .iter()
            .flatten()
            .copied()
            .next()
            .unwrap_or(paras.len())
    };

    let mut sheet = Sheet {
        cells: BTreeMap::new(),
        merges: vec![],
        row: 0,
    };
    // Title: the first line before section 一 that names the year; the body may be on the line
    // before (a title set on two lines).
    let mut body = None;
    let mut year = None;
    let mut after_title = 0;
    for k in 0..first {
        if let Some((b, y)) = title_parts(paras[k]) {
            year = Some(y);
            body = b.or_else(|| {
                k.checked_sub(1)
                    .map(|j| paras[j].trim().to_string())
                    .filter(|b| b.chars().count() <= 40 && is_body_name(b))
            });
            after_title = k + 1;
            break;
        }
    }
    // A title without the body's name (“2023年政府信息公开工作年度报告”): the 落款 names it.
    if body.is_none() {
        if let Some(h) = at[5] {
            let mut lines: Vec<&str> = paras[h + 1..end_of(5)]
                .iter()
                .map(|p| p.trim())
                .filter(|p| !p.is_empty() && !is_page_furniture(p))
                .collect();
            body = take_signature(&mut lines)
                .map(|(b, _)| b)
                .filter(|b| is_body_name(b));
        }
    }
    let mut published = None;
    while after_title < first && paras[after_title].trim().is_empty() {
        after_title += 1;
    }
    if let Some(p) = paras.get(after_title).filter(|_| after_title < first) {
        if let Some(d) = leading_date(p) {
            published = Some(d);
            after_title += 1;
        }
    }
    let year_text = year.map(|y| y.to_string()).unwrap_or_default();
    let date_text = published.map(|d| d.to_string()).unwrap_or_default();
    sheet.put(&[keys::BODY, body.as_deref().unwrap_or("")]);
    sheet.put(&[keys::YEAR, &year_text]);
    if !date_text.is_empty() {
        sheet.put(&[keys::PUBLISHED, &date_text]);
    }
    let preface: Vec<&str> = paras[after_title.min(first)..first]
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty() && !is_page_furniture(p))
        .collect();
    sheet.put(&[keys::PREFACE, &preface.join("\n")]);

    let mut signature: Option<(String, Option<Date>)> = None;
    for i in [0usize, 4, 5] {
        let Some(h) = at[i] else { continue };
        let mut lines: Vec<&str> = paras[h + 1..end_of(i)]
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .collect();
        if i == 5 {
            while lines.last().is_some_and(|l| is_page_furniture(l)) {
                lines.pop();
            }
            signature = take_signature(&mut lines);
        }
        sheet.put(&[&SECTIONS[i].heading()]);
        let mut intro: Vec<&str> = vec![];
        let mut subs: Vec<(String, Vec<String>)> = vec![];
        for l in lines {
            if let Some((title, text)) = subsection(l) {
                let mut body = vec![];
                if !text.is_empty() {
                    body.push(text);
                }
                subs.push((title, body));
            } else if let Some((_, body)) = subs.last_mut() {
                body.push(l.to_string());
            } else {
                intro.push(l);
            }
        }
        sheet.put(&[keys::SECTION_INTRO, &intro.join("\n")]);
        sheet.put(&[
            keys::SECTION_SUBSECTIONS,
            keys::SUBSECTION_TITLE,
            keys::SUBSECTION_BODY,
        ]);
        for (n, (title, body)) in subs.iter().enumerate() {
            let num = format!("（{}）", crate::spec::format::chinese_numeral(n + 1));
            sheet.put(&[&num, title, &body.join("\n")]);
        }
    }
    if let Some((b, d)) = signature {
        sheet.put(&[keys::SIGNATURE, keys::SIGNATURE_BODY, &b]);
        let d = d.map(|d| d.to_string()).unwrap_or_default();
        sheet.put(&["", keys::SIGNATURE_DATE, &d]);
        sheet.merges.push(((sheet.row - 2, 0), (sheet.row - 1, 0)));
    }
    // The lines of the table sections, blank ones kept (a pasted table's blank cells).
    let table_text = match at[1].or(at[2]).or(at[3]) {
        Some(h) => {
            let end = at[4].or(at[5]).unwrap_or(paras.len());
            paras[h..end.max(h)].join("\n")
        }
        None => String::new(),
    };
    TextParts {
        sheet: GridSheet {
            name: INFO.into(),
            cells: sheet.cells,
            merges: sheet.merges,
        },
        table_text,
        headings,
    }
}

/// Whether a line can be a body's name: it ends as bodies' names end (…人民政府, …局,
/// …办公室), so a page's breadcrumb or section name above a title is not taken for one.
fn is_body_name(line: &str) -> bool {
    const ENDS: [&str; 22] = [
        "政府",
        "局",
        "委员会",
        "委",
        "办公室",
        "办",
        "厅",
        "院",
        "中心",
        "署",
        "所",
        "部",
        "会",
        "处",
        "站",
        "队",
        "社",
        "馆",
        "街道办事处",
        "管委会",
        "管理处",
        "集团",
    ];
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    !t.is_empty()
        && !t.contains(['。', '，', '>', '＞', ':', '：', '|'])
        && ENDS.iter().any(|e| t.ends_with(e))
}

/// The 落款 at the end of section 六: a date on the last line, the body on the line before it.
fn take_signature(lines: &mut Vec<&str>) -> Option<(String, Option<Date>)> {
    let last = *lines.last()?;
    let date = Date::parse(&fold_width(last).replace(' ', ""))?;
    let body = lines
        .len()
        .checked_sub(2)
        .map(|i| lines[i])
        .filter(|b| b.chars().count() <= 40 && !b.contains('。') && !b.contains('，'))?;
    let body = body.to_string();
    lines.truncate(lines.len() - 2);
    Some((body, Some(date)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_worded_otherwise_are_found_by_their_number_and_words() {
        for (p, i) in [
            ("五、存在的主要问题及改进情况", 4),
            ("五、存在问题及改进情况", 4),
            ("五、政府信息公开工作存在的主要问题及改进情况", 4),
            ("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", 3),
            ("六、其他需要报告的事项", 5),
            ("存在的主要问题及改进情况", 4),
        ] {
            assert!(is_heading(p, i), "{p}");
        }
        for (p, i) in [
            ("二、改进措施", 1),
            ("五、下一步工作", 4),
            ("（五）存在问题", 4),
            ("一是存在问题，二是改进不够。", 4),
        ] {
            assert!(!is_heading(p, i), "{p}");
        }
    }

    #[test]
    fn body_names_and_what_is_not_one() {
        for b in [
            "廊坊市人民政府办公室",
            "洪泽区人民政府",
            "青山县市场监督管理局",
            "某某街道办事处",
        ] {
            assert!(is_body_name(b), "{b}");
        }
        for b in [
            "您现在的位置：首页>政务公开",
            "政府信息公开工作年度报告",
            "2024年1月20日",
            "",
        ] {
            assert!(!is_body_name(b), "{b}");
        }
    }

    #[test]
    fn titles() {
        assert_eq!(
            title_parts("廊坊市人民政府办公室2021年政府信息公开工作年度报告"),
            Some((Some("廊坊市人民政府办公室".into()), 2021))
        );
        assert_eq!(
            title_parts("2021年度政府信息公开工作年度报告"),
            Some((None, 2021))
        );
        assert_eq!(title_parts("政府信息公开工作年度报告"), None);
        assert_eq!(
            leading_date("2022年01月27日 来源: 廊坊"),
            Date::parse("2022-01-27")
        );
        assert_eq!(
            subsection("(一)主动公开。坚持把"),
            Some(("主动公开".into(), "坚持把".into()))
        );
        assert!(is_heading("一、总体情况", 0));
        assert!(!is_heading("（一）总体情况", 0));
    }
}
