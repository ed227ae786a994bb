//! Rule TEXT-TABLE: the figures the text repeats agree with the tables.
//!
//! Reports restate their key figures in prose (“全年共收到政府信息公开申请1,295件，其中自然人申请
//! 1259件、法人或其他组织申请36件……”). This rule reads 前言, the 概述 and 分项 of sections 一, 五
//! and 六, finds the statements whose meaning is unambiguous and compares each figure with the
//! table cell it names. Precision comes first: a figure is judged only when
//!
//! - it is a whole number (Arabic, with or without `,`/`，` thousands separators, or a Chinese
//!   numeral) followed directly by 件 or 起 (件 only for 表二 and for Chinese numerals), not by
//!   次、余、多、以上…, and not preceded by 第、每、约、近、数…;
//! - its clause (the text since the last `，、；：。（）` or the previous figure) names exactly one
//!   cell by one of the keywords below, and no word that changes the meaning (办理、处理、答复、
//!   同比、较、增加、废止、解读、维持、建议、投诉、分别…);
//! - its paragraph does not speak of a wider scope (全市、各级、各部门、所属…) before it, and its clause or the
//!   sentence's opening clause names no other year (2020年、上年、去年…);
//! - for 表四, its sentence speaks of 公开.
//!
//! Everything else is skipped.

use crate::diag::{Diagnostic, Key, Place, Rule, TextPart};
use crate::input::Parsed;
use crate::model::Report;
use crate::spec::format::{
    self, T3Role, TableId, ValueRef, T2_TRIPLE_ROWS, T3_CATEGORIES, T3_COLUMNS, T3_ROWS,
    T3_TOTAL_COL, T4_GROUPS, T4_TOTAL_COL,
};
use crate::spec::workbook::MAX_CELL_CHARS;
use std::collections::BTreeSet;

/// The cell (or sum of cells) a figure in the text names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    /// A row of table 三 (index into `T3_ROWS`) in one column.
    T3 { row: usize, col: usize },
    /// 法人或其他组织: the five columns 商业企业 … 其他 of a row of table 三.
    T3Legal { row: usize },
    /// A result category of table 三 (index into `T3_CATEGORIES`): the sum of its items' 总计.
    T3Category(usize),
    /// The 总计 of a group of table 四.
    T4Group(usize),
    /// 行政诉讼: 未经复议直接起诉 + 复议后起诉.
    T4Litigation,
    /// A triple row of table 二 (index into `T2_TRIPLE_ROWS`) and column (本年制发, 现行有效).
    T2 { row: usize, col: usize },
}

/// What a word of a clause says about the figure that follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kw {
    /// 收到、新收、受理…: 本年新收 when 申请 follows.
    Receive,
    Apply,
    CarriedIn,
    CarriedOut,
    /// 办结: （七）总计.
    Finished,
    /// 予以公开, 部分公开 (row index).
    Result(usize),
    /// 不予公开 … 其他处理 (index into `T3_CATEGORIES`).
    Category(usize),
    /// 自然人 … 法律服务机构 (column), or `None` for 法人或其他组织.
    Applicant(Option<usize>),
    Review,
    Direct,
    AfterReview,
    Litigation,
    /// 制发 (表二 本年制发).
    Made,
    InForce,
    /// 规章.
    Rules,
    /// 规范性文件.
    Norms,
    /// A word that makes the statement something else, or ambiguous.
    Poison,
}

fn row_of(role: T3Role) -> usize {
    format::t3_row_index(role)
}

fn result_row(key: &str) -> usize {
    T3_ROWS.iter().position(|r| r.key == key).unwrap_or(0)
}

fn category(key: &str) -> usize {
    T3_CATEGORIES.iter().position(|c| c.key == key).unwrap_or(0)
}

/// The keywords, matched longest first at each position.
fn keywords() -> Vec<(&'static str, Kw)> {
    let mut k: Vec<(&'static str, Kw)> = vec![];
    for w in ["收到", "新收", "受理", "接收", "接到", "收悉"] {
        k.push((w, Kw::Receive));
    }
    k.push(("申请", Kw::Apply));
    for w in CARRIED_IN {
        k.push((w, Kw::CarriedIn));
    }
    for w in [
        "结转下年度继续办理",
        "结转下年度",
        "结转下年",
        "结转下一年度",
        "结转下一年",
        "结转至下一年度",
        "结转至下年度",
        "结转到下一年度",
        "转入下一年度",
        "转入下年度",
        "转结下年度",
        "转结下一年度",
    ] {
        k.push((w, Kw::CarriedOut));
    }
    k.push(("办结", Kw::Finished));
    for w in ["予以公开", "部分公开"] {
        k.push((w, Kw::Result(result_row(w))));
    }
    for c in T3_CATEGORIES.iter() {
        k.push((c.key, Kw::Category(category(c.key))));
    }
    for (i, col) in T3_COLUMNS[..T3_TOTAL_COL - 1].iter().enumerate() {
        k.push((col, Kw::Applicant(Some(i))));
    }
    for w in [
        "法人或其他组织",
        "法人或者其他组织",
        "法人和其他组织",
        "法人及其他组织",
        "法人",
    ] {
        k.push((w, Kw::Applicant(None)));
    }
    for w in ["行政复议", "复议"] {
        k.push((w, Kw::Review));
    }
    for w in ["未经复议直接起诉", "未经行政复议直接起诉", "直接起诉"] {
        k.push((w, Kw::Direct));
    }
    for w in [
        "复议后起诉",
        "经复议后起诉",
        "行政复议后起诉",
        "经行政复议后起诉",
    ] {
        k.push((w, Kw::AfterReview));
    }
    for w in ["行政诉讼", "诉讼", "起诉", "应诉", "被诉"] {
        k.push((w, Kw::Litigation));
    }
    for w in ["制发", "制定", "印发", "出台"] {
        k.push((w, Kw::Made));
    }
    k.push(("现行有效", Kw::InForce));
    k.push(("规章", Kw::Rules));
    k.push(("规范性文件", Kw::Norms));
    for w in [
        // Other quantities, or a different count of the same things.
        "办理",
        "处理",
        "答复",
        "转办",
        "转送",
        "撤回",
        "咨询",
        "审结",
        "审理",
        "维持",
        "纠正",
        "撤销",
        "驳回",
        "确认违法",
        "败诉",
        "胜诉",
        "结果",
        "尚未",
        "其他结果",
        // Changes, shares, averages.
        "同比",
        "环比",
        "较",
        "比",
        "占",
        "增长",
        "增加",
        "减少",
        "下降",
        "上升",
        "提高",
        "平均",
        "人均",
        "分别",
        "累计至",
        "以来",
        // 表二 statements that are not 本年制发 / 现行有效.
        "废止",
        "修订",
        "修改",
        "清理",
        "解读",
        "备案",
        "审查",
        "评估",
        "征求",
        "规章制度",
        "党内",
        "失效",
        "宣布",
        "起草",
        "牵头",
        "名义",
        "代拟",
        "转来",
        "转交",
        "移送",
        // The items of a result category (重复申请不予处理1件 is not the category's total).
        "国家秘密",
        "禁止公开",
        "三安全一稳定",
        "第三方",
        "内部事务",
        "过程性",
        "执法案卷",
        "行政查询",
        "不掌握",
        "不存在",
        "另行制作",
        "不明确",
        "重复申请",
        "出版物",
        "反复",
        "重新出具",
        "复议机关",
        "共同被告",
        "逾期",
        "缴纳",
        "材料",
        "补正",
        // Part of the applications: a channel, a subject, a deadline.
        "网上",
        "网络",
        "网站",
        "在线",
        "信函",
        "邮寄",
        "当面",
        "现场",
        "传真",
        "邮件",
        "电话",
        "涉及",
        "关于",
        "集中",
        "日内",
        "期限内",
        "按时",
        "按期",
        "当场",
        "当日",
        "即时",
        "延期",
        "超期",
        // Other kinds of matter.
        "建议",
        "提案",
        "信访",
        "投诉",
        "举报",
        "来信",
        "留言",
        "热线",
        "主动公开",
    ] {
        k.push((w, Kw::Poison));
    }
    k.sort_by_key(|(w, _)| std::cmp::Reverse(w.chars().count()));
    k
}

/// The names of the 上年结转 row (“上年” in them names no other year).
const CARRIED_IN: [&str; 10] = [
    "上一年度结转",
    "上一年度转结",
    "上一年结转",
    "上年度结转",
    "上年度转结",
    "上年结转",
    "上年转结",
    "结转上一年",
    "结转上年",
    "转结上年",
];

/// Words that put a statement outside this body's own figures.
const SCOPE_WORDS: [&str; 22] = [
    "全市",
    "全省",
    "全区",
    "全县",
    "全州",
    "全盟",
    "全旗",
    "全国",
    "各级",
    "各地",
    "各部门",
    "各单位",
    "各县",
    "各区",
    "各乡镇",
    "各街道",
    "市直",
    "县直",
    "区直",
    "全系统",
    "所属",
    "下属",
];

/// Characters that end a clause (a comma inside a number is not one).
fn is_clause_end(c: char) -> bool {
    "，,、；;：:。！？!?（）()[]【】\n".contains(c)
}

fn is_sentence_end(c: char) -> bool {
    "。！？!?\n".contains(c)
}

fn chinese_digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn is_chinese_numeral(c: char) -> bool {
    chinese_digit(c).is_some() || matches!(c, '十' | '百' | '千')
}

/// A Chinese numeral below ten thousand: 三、十二、二十、一百零五、两千三百. `None` if malformed.
fn parse_chinese(s: &[char]) -> Option<u64> {
    let mut total = 0u64;
    let mut digit: Option<u64> = None;
    let mut last_unit = 10_000u64;
    for (i, &c) in s.iter().enumerate() {
        if let Some(d) = chinese_digit(c) {
            if digit.is_some() && d != 0 {
                return None;
            }
            digit = if d == 0 { None } else { Some(d) };
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => return None,
        };
        if unit >= last_unit {
            return None;
        }
        let d = match digit {
            Some(d) => d,
            // 十二 = 12 only at the start; 百 or 千 need a digit.
            None if unit == 10 && i == 0 => 1,
            None => return None,
        };
        total += d * unit;
        last_unit = unit;
        digit = None;
    }
    let value = total + digit.unwrap_or(0);
    (value > 0).then_some(value)
}

/// A number in the text: where it stands and its value (`None` for decimals and the like).
#[derive(Debug, Clone, Copy)]
struct Num {
    start: usize,
    end: usize,
    value: Option<u64>,
    chinese: bool,
}

fn find_numbers(t: &[char]) -> Vec<Num> {
    let mut out = vec![];
    let mut i = 0;
    while i < t.len() {
        if t[i].is_ascii_digit() {
            let start = i;
            while i < t.len() && t[i].is_ascii_digit() {
                i += 1;
            }
            let mut digits: String = t[start..i].iter().collect();
            // Thousands separators: 1,295 and 1，295 (groups of exactly three digits).
            if digits.len() <= 3 {
                while i + 3 < t.len() + 1
                    && matches!(t.get(i), Some(',') | Some('，'))
                    && t.get(i + 1..i + 4)
                        .is_some_and(|g| g.iter().all(|c| c.is_ascii_digit()))
                    && !t.get(i + 4).is_some_and(|c| c.is_ascii_digit())
                {
                    digits.extend(&t[i + 1..i + 4]);
                    i += 4;
                }
            }
            let mut value = if digits.len() <= 12 {
                digits.parse().ok()
            } else {
                None
            };
            // A decimal (3.2) or a number glued to a decimal point is not a count.
            if t.get(i) == Some(&'.') && t.get(i + 1).is_some_and(|c| c.is_ascii_digit()) {
                value = None;
                i += 1;
                while i < t.len() && t[i].is_ascii_digit() {
                    i += 1;
                }
            }
            if start > 0 && matches!(t[start - 1], '.' | '．') {
                value = None;
            }
            out.push(Num {
                start,
                end: i,
                value,
                chinese: false,
            });
        } else if is_chinese_numeral(t[i]) {
            let start = i;
            while i < t.len() && is_chinese_numeral(t[i]) {
                i += 1;
            }
            out.push(Num {
                start,
                end: i,
                value: parse_chinese(&t[start..i]),
                chinese: true,
            });
        } else {
            i += 1;
        }
    }
    out
}

/// Years named in `s` (four digits followed by 年).
fn years_in(s: &[char]) -> Vec<u16> {
    let mut out = vec![];
    for i in 0..s.len() {
        if i + 4 < s.len()
            && s[i..i + 4].iter().all(|c| c.is_ascii_digit())
            && s[i + 4] == '年'
            && (i == 0 || !s[i - 1].is_ascii_digit())
        {
            let y: String = s[i..i + 4].iter().collect();
            if let Ok(y) = y.parse() {
                out.push(y);
            }
        }
    }
    out
}

/// Whether `s` names a period other than the year `year`: `2020年`, 上年、去年、前年 (outside the
/// names of the 上年结转 row), or a part of a year (上半年, 三季度, 12月).
fn names_other_year(s: &[char], year: u16) -> bool {
    if years_in(s)
        .iter()
        .any(|&y| y != year && (1990..=2100).contains(&y))
    {
        return true;
    }
    let mut text: String = s.iter().collect();
    for w in CARRIED_IN {
        text = text.replace(w, "　");
    }
    // Part of the year (上半年, 一季度, 12月) is another period too.
    [
        "上年",
        "上一年",
        "去年",
        "前年",
        "往年",
        "历年",
        "半年",
        "季度",
        "月",
    ]
    .iter()
    .any(|w| text.contains(w))
}

fn contains_any(s: &[char], words: &[&str]) -> bool {
    let text: String = s.iter().collect();
    words.iter().any(|w| text.contains(w))
}

/// The longest clause and sentence (up to a figure) read; figures further in are not judged.
const MAX_CLAUSE: usize = 200;
const MAX_SENTENCE: usize = 1000;

/// The end (char index) of the first occurrence of any of `words` in `t`.
fn first_word_end(t: &[char], words: &[&str]) -> Option<usize> {
    (0..t.len()).find_map(|i| {
        words.iter().find_map(|w| {
            let n = w.chars().count();
            (i + n <= t.len() && t[i..i + n].iter().copied().eq(w.chars())).then_some(i + n)
        })
    })
}

/// The keywords of a clause, longest match first, left to right.
fn scan(s: &[char], kws: &[(&'static str, Kw)]) -> Vec<Kw> {
    let mut out = vec![];
    let mut i = 0;
    while i < s.len() {
        let hit = kws.iter().find(|(w, _)| {
            w.starts_with(s[i]) && {
                let n = w.chars().count();
                i + n <= s.len() && s[i..i + n].iter().copied().eq(w.chars())
            }
        });
        match hit {
            Some((w, k)) => {
                out.push(*k);
                i += w.chars().count();
            }
            None => i += 1,
        }
    }
    out
}

/// A figure the text states about a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Claim {
    target: Target,
    value: u64,
    /// The clause, as written, for the message.
    quote: String,
}

/// What the keywords of one clause name.
enum Named {
    /// Nothing this rule knows.
    Nothing,
    /// A cell, or an applicant column of whatever row the sentence is about.
    Target(Target),
    Applicant(Option<usize>),
    /// Something ambiguous: skip it, and let no breakdown attach to it.
    Ambiguous,
}

fn interpret(found: &[Kw], unit: char, chinese: bool) -> Named {
    if found.is_empty() {
        return Named::Nothing;
    }
    if found.contains(&Kw::Poison) {
        return Named::Ambiguous;
    }
    let receive = found.iter().position(|k| *k == Kw::Receive);
    let apply_after = receive.is_some_and(|r| found[r..].contains(&Kw::Apply));
    if receive.is_some() && !apply_after {
        return Named::Ambiguous;
    }
    let mut kinds: Vec<Kw> = found
        .iter()
        .copied()
        .filter(|k| !matches!(k, Kw::Apply | Kw::Receive))
        .collect();
    kinds.sort_by_key(|k| format!("{k:?}"));
    kinds.dedup();
    let is_t2 = |k: &Kw| matches!(k, Kw::Made | Kw::InForce | Kw::Rules | Kw::Norms);
    if kinds.iter().any(is_t2) {
        if receive.is_some() || !kinds.iter().all(is_t2) || kinds.len() != 2 || unit != '件' {
            return Named::Ambiguous;
        }
        let col = if kinds.contains(&Kw::Made) {
            0
        } else if kinds.contains(&Kw::InForce) {
            2
        } else {
            return Named::Ambiguous;
        };
        let row = if kinds.contains(&Kw::Rules) {
            0
        } else if kinds.contains(&Kw::Norms) {
            1
        } else {
            return Named::Ambiguous;
        };
        return Named::Target(Target::T2 { row, col });
    }
    // Chinese numerals only with 件 (“一起” is “together”).
    if chinese && unit != '件' {
        return Named::Ambiguous;
    }
    if receive.is_some() {
        let new = row_of(T3Role::New);
        return match kinds.as_slice() {
            [] => Named::Target(Target::T3 {
                row: new,
                col: T3_TOTAL_COL,
            }),
            [Kw::Applicant(Some(col))] => Named::Target(Target::T3 {
                row: new,
                col: *col,
            }),
            [Kw::Applicant(None)] => Named::Target(Target::T3Legal { row: new }),
            _ => Named::Ambiguous,
        };
    }
    let [kind] = kinds.as_slice() else {
        return Named::Ambiguous;
    };
    let total = |role| {
        Named::Target(Target::T3 {
            row: row_of(role),
            col: T3_TOTAL_COL,
        })
    };
    match *kind {
        Kw::CarriedIn => total(T3Role::CarriedIn),
        Kw::CarriedOut => total(T3Role::CarriedOut),
        Kw::Finished => total(T3Role::ResultsTotal),
        Kw::Result(row) => Named::Target(Target::T3 {
            row,
            col: T3_TOTAL_COL,
        }),
        Kw::Category(c) => Named::Target(Target::T3Category(c)),
        Kw::Applicant(a) => Named::Applicant(a),
        Kw::Review => Named::Target(Target::T4Group(0)),
        Kw::Direct => Named::Target(Target::T4Group(1)),
        Kw::AfterReview => Named::Target(Target::T4Group(2)),
        Kw::Litigation => Named::Target(Target::T4Litigation),
        _ => Named::Ambiguous,
    }
}

/// The figures of one paragraph that this rule can judge.
fn claims(paragraph: &str, year: u16, kws: &[(&'static str, Kw)]) -> Vec<Claim> {
    let t: Vec<char> = paragraph
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    let nums = find_numbers(&t);
    let mut in_num = vec![false; t.len()];
    for n in &nums {
        in_num[n.start..n.end].iter_mut().for_each(|b| *b = true);
    }
    let clause_end = |i: usize| is_clause_end(t[i]) && !in_num[i];
    // Where the clause and the sentence around each position start, and where the sentence's
    // first clause ends.
    let (mut clause_at, mut sentence_at, mut first_end_at) =
        (vec![0; t.len()], vec![0; t.len()], vec![0; t.len()]);
    let (mut cs, mut ss, mut first_end) = (0, 0, None);
    for i in 0..t.len() {
        clause_at[i] = cs;
        sentence_at[i] = ss;
        first_end_at[i] = first_end.unwrap_or(i);
        if clause_end(i) {
            cs = i + 1;
            first_end = first_end.or(Some(i));
            if is_sentence_end(t[i]) {
                ss = i + 1;
                first_end = None;
            }
        }
    }
    // The end of the first word of a wider scope (全市…): figures after it are not judged.
    let scope_end = first_word_end(&t, &SCOPE_WORDS);
    let mut out = vec![];
    // The row the sentence is about (for 其中自然人…), and the paragraph's last row.
    let mut subject: Option<usize> = None;
    let mut last_row: Option<usize> = None;
    let mut sentence_start = 0;
    let mut prev_end = 0;
    for n in &nums {
        if sentence_at[n.start] != sentence_start {
            sentence_start = sentence_at[n.start];
            subject = None;
        }
        let clause_start = clause_at[n.start];
        let key_start = clause_start.max(prev_end);
        prev_end = n.end;
        // The unit.
        let mut u = n.end;
        while u < t.len() && matches!(t[u], ' ' | '\u{3000}') {
            u += 1;
        }
        let unit = match t.get(u) {
            Some(&c @ ('件' | '起')) => c,
            _ => continue,
        };
        let unit_end = u + 1;
        prev_end = unit_end;
        // No real clause or sentence is this long: leave it (and keep the work linear).
        if n.start - clause_start > MAX_CLAUSE || n.start - sentence_start > MAX_SENTENCE {
            subject = None;
            last_row = None;
            continue;
        }
        let after: String = t[unit_end..t.len().min(unit_end + 2)].iter().collect();
        let before = t[sentence_start..n.start]
            .iter()
            .rev()
            .find(|c| !matches!(c, ' ' | '\u{3000}'))
            .copied();
        let approximate = ["次", "余", "多", "以上", "以下", "左右", "之多", "事"]
            .iter()
            .any(|w| after.starts_with(w))
            || before.is_some_and(|c| "第每约近逾超数几上多余".contains(c));
        let named = interpret(&scan(&t[key_start..n.start], kws), unit, n.chinese);
        let target = match named {
            Named::Nothing => {
                subject = None;
                continue;
            }
            Named::Ambiguous => {
                subject = None;
                last_row = None;
                continue;
            }
            Named::Applicant(a) => {
                let row = subject.or_else(|| {
                    let topic = contains_any(&t[sentence_start..n.start], &["申请主体", "申请人"]);
                    (topic && last_row == Some(row_of(T3Role::New))).then(|| row_of(T3Role::New))
                });
                match (row, a) {
                    (Some(row), Some(col)) => Target::T3 { row, col },
                    (Some(row), None) => Target::T3Legal { row },
                    (None, _) => continue,
                }
            }
            Named::Target(t) => t,
        };
        let row = match target {
            Target::T3 { row, .. } | Target::T3Legal { row } => Some(row),
            _ => None,
        };
        let applicant = matches!(named, Named::Applicant(_));
        // Whether the last figure before this one was 办结 (a breakdown of the results may follow).
        let after_finished = last_row == Some(row_of(T3Role::ResultsTotal));
        if !applicant {
            subject = None;
            last_row = None;
        }
        let Some(value) = n.value else { continue };
        if approximate {
            continue;
        }
        let first_clause_end = first_end_at[n.start];
        if scope_end.is_some_and(|e| e <= n.start)
            || names_other_year(&t[clause_start..n.start], year)
            || names_other_year(&t[sentence_start..first_clause_end], year)
        {
            continue;
        }
        if matches!(target, Target::T4Group(_) | Target::T4Litigation) {
            let whole = (n.start..t.len().min(n.start + MAX_SENTENCE))
                .find(|&i| is_sentence_end(t[i]))
                .unwrap_or(t.len().min(n.start + MAX_SENTENCE));
            if !contains_any(&t[sentence_start..whole], &["公开"]) {
                continue;
            }
        }
        if is_result(target)
            && restricted(&t, sentence_start, clause_start, n.start, after_finished)
        {
            continue;
        }
        if target
            == (Target::T3 {
                row: row_of(T3Role::New),
                col: T3_TOTAL_COL,
            })
            && includes_carried_in(&t[unit_end..t.len().min(unit_end + MAX_SENTENCE)])
        {
            continue;
        }
        if !applicant {
            if let Some(row) = row {
                subject = Some(row);
                last_row = Some(row);
            }
        }
        let quote: String = t[clause_start..unit_end].iter().collect();
        out.push(Claim {
            target,
            value,
            quote: quote.trim().to_string(),
        });
    }
    out
}

/// Whether a target counts results (（一）…（七）, 结转下年度): the figures a “其中” or “…中，”
/// can narrow to a subset (“上年结转3件，其中予以公开2件”).
fn is_result(target: Target) -> bool {
    match target {
        Target::T3 { row, .. } | Target::T3Legal { row } => matches!(
            T3_ROWS[row].role,
            T3Role::Result | T3Role::ResultsTotal | T3Role::CarriedOut
        ),
        Target::T3Category(_) => true,
        _ => false,
    }
}

/// Whether a result figure is narrowed to a subset: its clause starts with 其中 and the figure
/// before it was not 办结, or an earlier clause of the sentence ends in 中 (“在本年新收的52件申请中，”)
/// without speaking of the results as a whole (办结、办理结果).
fn restricted(
    t: &[char],
    sentence_start: usize,
    clause_start: usize,
    at: usize,
    after_finished: bool,
) -> bool {
    let clause: String = t[clause_start..at].iter().collect();
    let before: String = t[sentence_start..clause_start].iter().collect();
    let clauses: Vec<&str> = before
        .split(is_clause_end)
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    // “其中予以公开…” and “其中，予以公开…”.
    let breakdown = clause.trim_start().starts_with("其中") || clauses.last() == Some(&"其中");
    if breakdown && !after_finished {
        return true;
    }
    clauses.iter().any(|c| {
        *c != "其中" && c.ends_with('中') && !c.contains("办结") && !c.contains("办理结果")
    })
}

/// Whether the rest of the sentence says the figure just read includes last year's carried-over
/// applications: “共受理申请59件（含上年结转3件）”, “……59件，其中上年结转3件”.
fn includes_carried_in(rest: &[char]) -> bool {
    let end = rest
        .iter()
        .position(|&c| is_sentence_end(c))
        .unwrap_or(rest.len());
    let rest: String = rest[..end].iter().collect();
    let carried = CARRIED_IN.iter().filter_map(|w| rest.find(w)).min();
    match carried {
        Some(at) => {
            let between = &rest[..at];
            ["含", "其中", "包括", "（", "("]
                .iter()
                .any(|w| between.contains(w))
        }
        None => false,
    }
}

/// The value of a target in the tables, the cells it reads, the place to report, and how the
/// message names it.
fn lookup(r: &Report, target: Target) -> (u64, Vec<ValueRef>, Place, String) {
    match target {
        Target::T3 { row, col } => {
            let name = format::t3_row_name(row);
            let what = if col == T3_TOTAL_COL {
                format!("表三{name}的总计")
            } else {
                format!("表三{name}的“{}”", T3_COLUMNS[col])
            };
            let v = ValueRef::T3 { row, col };
            (r.table3.cells[row][col].value, vec![v], v.into(), what)
        }
        Target::T3Legal { row } => {
            let cells: Vec<ValueRef> = (1..T3_TOTAL_COL)
                .map(|col| ValueRef::T3 { row, col })
                .collect();
            let sum = (1..T3_TOTAL_COL)
                .map(|c| r.table3.cells[row][c].value)
                .sum();
            let what = format!(
                "表三{}的法人或其他组织（{}五列之和）",
                format::t3_row_name(row),
                T3_COLUMNS[1..T3_TOTAL_COL].join("、")
            );
            (sum, cells, Place::T3Row(row), what)
        }
        Target::T3Category(c) => {
            let rows: Vec<usize> = (0..T3_ROWS.len())
                .filter(|&i| T3_ROWS[i].category == Some(c))
                .collect();
            let cells: Vec<ValueRef> = rows
                .iter()
                .map(|&row| ValueRef::T3 {
                    row,
                    col: T3_TOTAL_COL,
                })
                .collect();
            let sum = rows
                .iter()
                .map(|&i| r.table3.cells[i][T3_TOTAL_COL].value)
                .sum();
            let key = T3_CATEGORIES[c].key;
            let what = format!("表三“{key}”各项的总计之和");
            (sum, cells, Place::T3Category(c), what)
        }
        Target::T4Group(g) => {
            let v = ValueRef::T4 {
                group: g,
                col: T4_TOTAL_COL,
            };
            let what = format!("表四“{}”的总计", T4_GROUPS[g]);
            (
                r.table4.cells[g][T4_TOTAL_COL].value,
                vec![v],
                v.into(),
                what,
            )
        }
        Target::T4Litigation => {
            let cells: Vec<ValueRef> = [1, 2]
                .iter()
                .map(|&g| ValueRef::T4 {
                    group: g,
                    col: T4_TOTAL_COL,
                })
                .collect();
            let (a, b) = (
                r.table4.cells[1][T4_TOTAL_COL].value,
                r.table4.cells[2][T4_TOTAL_COL].value,
            );
            let what = format!(
                "表四行政诉讼（“{}”总计 {a} + “{}”总计 {b}）",
                T4_GROUPS[1], T4_GROUPS[2]
            );
            (a + b, cells, Place::Table(TableId::T4), what)
        }
        Target::T2 { row, col } => {
            let v = ValueRef::T2Document { row, col };
            let what = format!(
                "表二“{}”的{}",
                T2_TRIPLE_ROWS[row],
                format::T2_TRIPLE_LABELS[col]
            );
            (r.table2.documents[row][col].value, vec![v], v.into(), what)
        }
    }
}

/// Whether a text is one this rule reads: 前言, and the 概述 and 分项 内容 of the text sections.
fn is_prose(place: &Place) -> bool {
    matches!(
        place,
        Place::Key(Key::Preface)
            | Place::Text {
                part: Some(TextPart::Intro | TextPart::SubsectionBody(_)),
                ..
            }
    )
}

/// Rule TEXT-TABLE: a warning for each figure in the text that contradicts the table cell it
/// names. Cells that could not be read are not judged.
pub fn check(p: &Parsed) -> Vec<Diagnostic> {
    let kws = keywords();
    let r = &p.report;
    let mut out = vec![];
    for place in r.text_places().into_iter().filter(is_prose) {
        let Some(text) = r.text(&place) else {
            continue;
        };
        let path = place.path();
        let mut seen = BTreeSet::new();
        for paragraph in crate::model::Text(text.clone()).paragraphs() {
            // Longer than any cell can hold: rule TEXT reports it; not read here.
            if paragraph.chars().count() > MAX_CELL_CHARS {
                continue;
            }
            for claim in claims(&paragraph, r.year, &kws) {
                let (value, cells, cell, what) = lookup(r, claim.target);
                if value == claim.value
                    || cells.iter().any(|c| p.unreadable.contains(c))
                    || !seen.insert((claim.target, claim.value))
                {
                    continue;
                }
                let d = Diagnostic::warning(
                    Rule::TextTable,
                    format!(
                        "“{path}”中写“{}”，而{what}为 {value}",
                        crate::input::number::cut(&claim.quote)
                    ),
                )
                .with_place(cell)
                .with_hint(format!(
                    "文字中的 {} 与表格中的 {value} 不一致，请核对后改正错的一处",
                    claim.value
                ))
                .at(p.locate(place));
                out.push(d);
            }
        }
    }
    out
}
