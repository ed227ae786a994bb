//! Tables flattened into text: what a page's tables become when its text is copied, or when a
//! site prints them without a table. Each row's cells follow its label: `|` between cells, one
//! cell per line, cells separated by spaces, or (what some sites' markup gives when pasted) a
//! line break for each blank cell and a no-break space before each filled one; "/" for 不适用.
//!
//! Rows are found by their official labels in official order (`crate::spec::format`), and a
//! row's text is read under each convention; a reading must give exactly the row's number of
//! cells and agree with the table's sums where they apply. Digits run together (`规章308`, cells
//! whose separators were lost) are split every way that gives the right number of cells; a
//! split is never certain, so each carries an IMPORT warning that names the row and what was
//! seen. A row that cannot be read gets the text `（未读出）` in its cells, so the reader reports it
//! and no figure is guessed.
//!
//! The tables are rebuilt in the official layout (`TableId::grid`), then read like any other.

use crate::diag::{CellRef, Diagnostic, Location, Rule};
use crate::input::excel::GridSheet;
use crate::input::suggest::{fold_width, is_punct, normalize};
use crate::spec::format::{
    self as format, Content, TableId, ValueRef, T2_AMOUNT_ROW, T2_COUNT_ROWS, T2_TRIPLE_KEYS,
    T2_TRIPLE_ROWS, T3_CATEGORIES, T3_COLUMNS, T3_ROWS, T3_TOTAL_COL, T4_COLUMNS, T4_GROUPS,
};
use crate::spec::place::Place;
use std::collections::{BTreeMap, HashMap};

/// The text written in a cell that could not be read.
pub(crate) const UNREAD: &str = "（未读出）";

/// The most ways a run of digits is split before giving up (a row of seven cells has a few hundred).
const MAX_SPLITS: usize = 20_000;

/// How far (normalised characters) a label missing from its place is looked for as a typo.
const CLOSE_WINDOW: usize = 300;

/// Units a published figure may be written with (the cell keeps them: the reader names them).
const UNITS: [&str; 9] = ["万元", "件", "个", "次", "项", "条", "份", "人", "万"];

/// The normalised text with, for each of its characters, the byte offset of the character in
/// the original text it came from.
struct Norm {
    chars: Vec<char>,
    at: Vec<usize>,
}

impl Norm {
    fn new(text: &str) -> Norm {
        let mut chars = vec![];
        let mut at = vec![];
        for (i, c) in text.char_indices() {
            let f = fold_width(&c.to_string()).chars().next().unwrap_or(c);
            if !f.is_whitespace() && !is_punct(f) {
                chars.push(f);
                at.push(i);
            }
        }
        Norm { chars, at }
    }

    /// The first occurrence of `label` (normalised) at or after normalised index `from`:
    /// (start, end) in normalised indices.
    fn find(&self, label: &str, from: usize) -> Option<(usize, usize)> {
        let l: Vec<char> = label.chars().collect();
        if l.is_empty() || self.chars.len() < l.len() {
            return None;
        }
        (from..=self.chars.len() - l.len())
            .find(|&i| self.chars[i..i + l.len()] == l[..])
            .map(|i| (i, i + l.len()))
    }

    /// The place in normalised characters `from..to` (at most [`CLOSE_WINDOW`] of them) that
    /// `label` (normalised, at least 5 characters) matches with fewest edits, when that is at
    /// most one edit in four characters (`其他法律行政止公开`): (start, end).
    fn find_close(&self, label: &str, from: usize, to: usize) -> Option<(usize, usize)> {
        let l: Vec<char> = label.chars().collect();
        let m = l.len();
        if m < 5 || from >= to {
            return None;
        }
        let text = &self.chars[from..to.min(self.chars.len()).min(from + CLOSE_WINDOW)];
        // Edit distance of the label to a text ending at each position, the start free
        // (Sellers); each entry carries where its match starts.
        let mut prev: Vec<(usize, usize)> = (0..=text.len()).map(|j| (0, j)).collect();
        for (i, lc) in l.iter().enumerate() {
            let mut cur = vec![(i + 1, 0); text.len() + 1];
            for j in 1..=text.len() {
                let sub = (
                    prev[j - 1].0 + usize::from(*lc != text[j - 1]),
                    prev[j - 1].1,
                );
                let skip_label = (prev[j].0 + 1, prev[j].1);
                let skip_text = (cur[j - 1].0 + 1, cur[j - 1].1);
                cur[j] = [sub, skip_label, skip_text]
                    .into_iter()
                    .min_by_key(|x| x.0)
                    .unwrap_or(sub);
            }
            prev = cur;
        }
        let (end, &(cost, start)) = prev
            .iter()
            .enumerate()
            .skip(1)
            .min_by_key(|(j, (cost, _))| (*cost, *j))?;
        (cost <= (m / 4).max(1) && start < end).then_some((from + start, from + end))
    }

    /// The byte offset in the original text just after normalised character `i - 1`.
    fn byte_end(&self, text: &str, i: usize) -> usize {
        if i == 0 {
            return 0;
        }
        let b = self.at[i - 1];
        b + text[b..].chars().next().map_or(0, char::len_utf8)
    }

    fn byte_start(&self, text: &str, i: usize) -> usize {
        self.at.get(i).copied().unwrap_or(text.len())
    }
}

/// One row to find: its label and the values that follow it.
struct RowSpec {
    table: TableId,
    /// The official label, normalised.
    label: String,
    official: &'static str,
    values: Vec<ValueRef>,
}

fn rows() -> Vec<RowSpec> {
    let mut v = vec![];
    for (row, label) in T2_TRIPLE_ROWS.iter().enumerate() {
        v.push(RowSpec {
            table: TableId::T2,
            label: normalize(label),
            official: label,
            values: (0..T2_TRIPLE_KEYS.len())
                .map(|col| ValueRef::T2Document { row, col })
                .collect(),
        });
    }
    for (row, label) in T2_COUNT_ROWS.iter().enumerate() {
        v.push(RowSpec {
            table: TableId::T2,
            label: normalize(label),
            official: label,
            values: vec![ValueRef::T2Decision { row }],
        });
    }
    v.push(RowSpec {
        table: TableId::T2,
        label: normalize(T2_AMOUNT_ROW),
        official: T2_AMOUNT_ROW,
        values: vec![ValueRef::T2Fee],
    });
    for (row, r) in T3_ROWS.iter().enumerate() {
        v.push(RowSpec {
            table: TableId::T3,
            label: normalize(r.label),
            official: r.label,
            values: (0..T3_COLUMNS.len())
                .map(|col| ValueRef::T3 { row, col })
                .collect(),
        });
    }
    v
}

/// A cell of a reading: blank, or the text of a number.
type Reading = Vec<Option<String>>;

/// Whether the sums a reading of a row must satisfy hold: the 总计 of a table 三 row, of each
/// table 四 group (a blank total is right only when its parts are blank).
fn sums_hold(values: &[ValueRef], r: &Reading) -> bool {
    let num = |c: &Option<String>| {
        c.as_deref()
            .and_then(figure)
            .and_then(|t| t.parse::<u64>().ok())
    };
    let group = |parts: &[Option<String>], total: &Option<String>| match total {
        None => parts.iter().all(Option::is_none),
        Some(_) => num(total) == Some(parts.iter().map(|p| num(p).unwrap_or(0)).sum::<u64>()),
    };
    match values.first() {
        Some(ValueRef::T3 { .. }) if r.len() == T3_COLUMNS.len() => {
            group(&r[..T3_TOTAL_COL], &r[T3_TOTAL_COL])
        }
        Some(ValueRef::T4 { .. }) if r.len() == T4_GROUPS.len() * T4_COLUMNS.len() => r
            .chunks(T4_COLUMNS.len())
            .all(|g| group(&g[..g.len() - 1], &g[g.len() - 1])),
        _ => true,
    }
}

fn is_number(t: &str) -> bool {
    !t.is_empty()
        && t.chars().next().is_some_and(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

/// The figure a cell's text says: width folded, a note in brackets, a unit and thousands
/// separators taken off (`1,234件（含…）` → `1234`). `None`: not a figure.
fn figure(t: &str) -> Option<String> {
    let f = fold_width(t);
    let mut s = f.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}');
    if let (Some(i), true) = (s.find('('), s.ends_with(')')) {
        if i > 0 {
            s = s[..i].trim_end();
        }
    }
    if let Some(u) = UNITS.iter().find(|u| s.len() > u.len() && s.ends_with(**u)) {
        s = s[..s.len() - u.len()].trim_end();
    }
    is_number(s).then(|| s.replace(',', ""))
}

/// A field's text as a cell: blank for nothing, “/” or a dash; `None` for a field that is not
/// a number (the reading fails). A figure keeps its text as written (`１２`, `56件`): the
/// reader takes the number and names the cell.
fn field(t: &str) -> Option<Option<String>> {
    let t = t.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}');
    if super::is_blank_mark(t) {
        Some(None)
    } else {
        figure(t).map(|_| Some(t.to_string()))
    }
}

/// The text with each line break between a closing and an opening bar (`|⏎|`) and the
/// spaces around it made one bar: rows written `| a | b |`, one per line, read as one run.
fn join_bar_lines(s: &str, sep: char) -> String {
    let lines: Vec<&str> = s.split('\n').collect();
    let mut out = String::with_capacity(s.len());
    for (i, line) in lines.iter().enumerate() {
        let mut l = line.trim_matches([' ', '\u{a0}', '\t', '\r']);
        if i > 0 {
            let prev_bar = out.ends_with(sep);
            if prev_bar && l.starts_with(sep) {
                l = &l[sep.len_utf8()..];
            } else {
                out.push('\n');
            }
        }
        out.push_str(l);
    }
    out
}

/// Tokens where a line break is a blank cell and other white space separates filled cells.
fn break_tokens(s: &str) -> Option<Reading> {
    let mut out = vec![];
    let mut cur = String::new();
    for c in s.chars() {
        if c == '\n' {
            if !cur.is_empty() {
                out.push(field(&std::mem::take(&mut cur))?);
            }
            out.push(None);
        } else if c.is_whitespace() || c == '\u{a0}' {
            if !cur.is_empty() {
                out.push(field(&std::mem::take(&mut cur))?);
            }
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push(field(&cur)?);
    }
    Some(out)
}

/// The readings of a row's text with exactly `n` cells, most likely first.
fn readings(s: &str, n: usize, ended: bool) -> Vec<Reading> {
    let s = s.replace("\r\n", "\n");
    let mut out: Vec<Reading> = vec![];
    let mut push = |r: Option<Reading>| {
        if let Some(r) = r.filter(|r| r.len() == n) {
            if !out.contains(&r) {
                out.push(r);
            }
        }
    };
    for sep in ['|', '\t', '｜'] {
        if !s.contains(sep) {
            continue;
        }
        // A line that ends with a bar and one that starts with one (`| 总计 |⏎| 1 |`) may be
        // two rows of bars, or (one cell per line) a blank cell: read both ways.
        let mut texts = vec![s.trim().to_string()];
        let joined = join_bar_lines(s.trim(), sep);
        if joined != texts[0] {
            texts.push(joined);
        }
        for t in texts {
            // The label's own bar leaves an empty field before the cells; the cells a span
            // covers are printed as bars after them (`| 行政许可 | 0 | ||`).
            let mut parts: Vec<&str> = t.split(sep).collect();
            if parts.len() > n && parts.first().is_some_and(|p| p.trim().is_empty()) {
                parts.remove(0);
            }
            while parts.len() > n && parts.last().is_some_and(|p| p.trim().is_empty()) {
                parts.pop();
            }
            push(parts.iter().map(|p| field(p)).collect());
        }
    }
    // One cell per line (the label's line is the first).
    let lines: Vec<&str> = s.split('\n').collect();
    if lines.len() > 2 && lines[0].trim().is_empty() {
        let body = &lines[1..lines.len() - 1];
        push(body.iter().map(|l| field(l)).collect());
    }
    // Blank cells as line breaks (a blank cell is a line of its own when a page's text is
    // copied): the row's own line break follows a filled last cell and merges with a blank one.
    // After a row that ends its table, the breaks before the next paragraph are not cells.
    let lead = [s.as_str(), s.strip_prefix('\n').unwrap_or(&s)];
    for (li, l) in lead.iter().enumerate() {
        if li == 1 && !s.starts_with('\n') {
            continue;
        }
        let trimmed = l.trim_end_matches(['\n', ' ', '\u{a0}']);
        let own_end = if l.ends_with('\n') && !l.ends_with("\n\n") {
            &l[..l.len() - 1]
        } else {
            l
        };
        if ended && !trimmed.trim().is_empty() {
            push(break_tokens(trimmed));
        } else {
            for t in [own_end, l, l.strip_suffix('\n').unwrap_or(l), trimmed] {
                push(break_tokens(t));
            }
        }
    }
    // Cells separated by white space, no blank cells.
    push(s.split_whitespace().map(field).collect());
    out
}

/// Ways to split runs of digits so that the row has `n` cells: each token of `tokens` (blank
/// or digits) becomes one or more numbers, no number but 0 starting with 0.
fn splits(tokens: &[Option<String>], n: usize) -> Vec<Reading> {
    fn parts(d: &str, k: usize, out: &mut Vec<Vec<String>>, cur: &mut Vec<String>, cap: usize) {
        if out.len() >= cap {
            return;
        }
        if k == 1 {
            if d.len() == 1 || !d.starts_with('0') {
                cur.push(d.to_string());
                out.push(cur.clone());
                cur.pop();
            }
            return;
        }
        for i in 1..d.len() {
            let head = &d[..i];
            if head.len() > 1 && head.starts_with('0') {
                break;
            }
            if d.len() - i < k - 1 {
                break;
            }
            cur.push(head.to_string());
            parts(&d[i..], k - 1, out, cur, cap);
            cur.pop();
        }
    }
    fn go(tokens: &[Option<String>], left: usize, cur: &mut Reading, out: &mut Vec<Reading>) {
        if out.len() >= MAX_SPLITS {
            return;
        }
        let Some((first, rest)) = tokens.split_first() else {
            if left == 0 {
                out.push(cur.clone());
            }
            return;
        };
        match first {
            // Full-width digits run together are split as the digits they are.
            Some(d) if fold_width(d).chars().all(|c| c.is_ascii_digit()) => {
                let d = &fold_width(d);
                let max = d.len().min(left.saturating_sub(rest.len()).max(1));
                for k in 1..=max {
                    let mut ways = vec![];
                    parts(d, k, &mut ways, &mut vec![], MAX_SPLITS);
                    for w in ways {
                        let len = cur.len();
                        cur.extend(w.into_iter().map(Some));
                        go(rest, left.saturating_sub(k), cur, out);
                        cur.truncate(len);
                    }
                }
            }
            other => {
                if left == 0 {
                    return;
                }
                cur.push(other.clone());
                go(rest, left - 1, cur, out);
                cur.pop();
            }
        }
    }
    let mut out = vec![];
    go(tokens, n, &mut vec![], &mut out);
    out
}

/// How evenly a split cuts its digits (smaller is more even): the likelier reading of `221148`
/// is 22, 11, 48.
fn unevenness(r: &Reading) -> usize {
    let lens: Vec<usize> = r.iter().flatten().map(String::len).collect();
    match (lens.iter().max(), lens.iter().min()) {
        (Some(a), Some(b)) => a - b,
        _ => 0,
    }
}

/// What a row's text gave.
struct RowRead {
    cells: Reading,
    /// Why the reading is not certain.
    doubt: Option<String>,
}

fn read_row(text: &str, values: &[ValueRef], ended: bool) -> Option<RowRead> {
    let n = values.len();
    let good: Vec<Reading> = readings(text, n, ended)
        .into_iter()
        .filter(|r| sums_hold(values, r))
        .collect();
    if let Some(first) = good.first() {
        let doubt = (good.len() > 1)
            .then(|| format!("有 {} 种读法（各格之间的分隔不清），取了第一种", good.len()));
        return Some(RowRead {
            cells: first.clone(),
            doubt,
        });
    }
    // Digits run together: split them.
    let tokens = break_tokens(text.trim_matches(['\n', ' ', '\u{a0}']))?;
    let mut ways: Vec<Reading> = splits(&tokens, n)
        .into_iter()
        .filter(|r| sums_hold(values, r))
        .collect();
    ways.sort_by_key(unevenness);
    ways.dedup();
    let first = ways.first()?.clone();
    let shown: Vec<String> = first
        .iter()
        .map(|c| c.clone().unwrap_or_else(|| "空".into()))
        .collect();
    let doubt = if ways.len() == 1 {
        format!(
            "数字连在一起，只有一种拆法与格数（和总计）相符：{}",
            shown.join("、")
        )
    } else {
        format!(
            "数字连在一起，有 {} 种拆法，取了位数最均匀的一种：{}",
            ways.len(),
            shown.join("、")
        )
    };
    Some(RowRead {
        cells: first,
        doubt: Some(doubt),
    })
}

/// Where the text after a row's cells starts (the next label, or the paragraph after the
/// table): the first letter that is not a figure's unit (`56件`) or inside a figure's note
/// (`4（含1件部分答复）`) — a unit or note only right after a digit, on the same line.
fn text_start(s: &str) -> usize {
    let is_digit = |d: char| d.is_ascii_digit() || ('０'..='９').contains(&d);
    // Whether the last character other than a space was a digit: kept as the text is walked,
    // so a long run of spaces costs no more than its length.
    let mut after_digit = false;
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        let Some(c) = rest.chars().next() else { break };
        if after_digit {
            if let Some(u) = UNITS.iter().find(|u| rest.starts_with(**u)) {
                i += u.len();
                after_digit = false;
                continue;
            }
            if c == '(' || c == '（' {
                let close = if c == '(' { ')' } else { '）' };
                // A note is short: its end is looked for in the next 60 characters only.
                let inner_end = rest
                    .char_indices()
                    .skip(1)
                    .take(61)
                    .take_while(|&(_, x)| x != '\n')
                    .find(|&(_, x)| x == close)
                    .map(|(e, _)| e)
                    .filter(|&e| {
                        !rest[c.len_utf8()..e]
                            .chars()
                            .all(crate::input::suggest::is_numeral)
                    });
                if let Some(e) = inner_end {
                    i += e + close.len_utf8();
                    after_digit = false;
                    continue;
                }
            }
        }
        if c.is_alphabetic() && !is_digit(c) {
            return i;
        }
        if !matches!(c, ' ' | '\u{a0}' | '\u{3000}') {
            after_digit = is_digit(c);
        }
        i += c.len_utf8();
    }
    s.len()
}

/// The part of a row's text that holds its cells: up to the next label's text (its numbering
/// and category label included), a remark in brackets right after the label skipped.
fn cells_text(raw: &str) -> (&str, bool) {
    // The label's own closing marks (`）`, `”`).
    let mut s = raw.trim_start_matches(['）', ')', '”', '’', '"', '」', '》']);
    let t = s.trim_start_matches([' ', '\u{a0}', '\u{3000}']);
    if let Some(open) = t.chars().next().filter(|c| *c == '(' || *c == '（') {
        let close = if open == '(' { ')' } else { '）' };
        if let Some(i) = t.find(close) {
            s = &t[i + close.len_utf8()..];
        }
    }
    let cut = text_start(s);
    // Text other than table 三's category labels before the next label: the row ends its table.
    let between = normalize(&s[cut..]);
    let ended = !between.is_empty()
        && ![format::T3_RESULTS_GROUP]
            .iter()
            .chain(T3_CATEGORIES.iter().map(|c| &c.label))
            .any(|w| between.contains(&normalize(w)));
    let mut s = &s[..cut];
    // The next row's numbering: `2.`, `(三)`, `（`.
    loop {
        let t = s.trim_end_matches(['(', '（', ' ', '\u{a0}']);
        let t2 = t
            .strip_suffix(['.', '、', '．'])
            .map(|x| x.trim_end_matches(|c: char| c.is_ascii_digit()));
        match t2 {
            Some(x) if x.len() < t.len() - 1 => s = x,
            _ => {
                s = t;
                break;
            }
        }
    }
    (s, ended)
}

/// Rebuilds the tables of a text (sections 二 to 四) in the official layout. Returns the sheets
/// (one per table found) and a warning for each row read with doubt.
pub(crate) fn tables(text: &str) -> (Vec<GridSheet>, Vec<Diagnostic>) {
    let mut sheets = vec![];
    let mut doubts = vec![];
    if text.trim().is_empty() {
        return (sheets, doubts);
    }
    let norm = Norm::new(text);
    let specs = rows();
    // Where each row's label is: in order, each after the one before.
    let mut found: Vec<Option<(usize, usize)>> = vec![None; specs.len()];
    let mut from = 0;
    for (i, r) in specs.iter().enumerate() {
        if let Some(m) = norm.find(&r.label, from) {
            found[i] = Some(m);
            from = m.1;
        }
    }
    // A label not found as printed may be printed with a typo (`其他法律行政止公开`): looked for
    // between the rows found around it, and named.
    let mut tolerant = vec![false; specs.len()];
    let mut label_doubts = vec![];
    for i in 0..specs.len() {
        if found[i].is_some() {
            continue;
        }
        let lo = found[..i].iter().flatten().last().map_or(0, |m| m.1);
        let hi = found[i + 1..]
            .iter()
            .flatten()
            .next()
            .map_or(norm.chars.len(), |m| m.0);
        if let Some(m) = norm.find_close(&specs[i].label, lo, hi) {
            found[i] = Some(m);
            tolerant[i] = true;
        }
    }
    let mut values: HashMap<ValueRef, String> = HashMap::new();
    let mut seen = [false; 3];
    let mut add_doubt = |table: TableId, v: &[ValueRef], what: &str, seen_text: &str| {
        let g = table.grid();
        let at = g
            .values()
            .find(|(_, r)| Some(r) == v.first())
            .map(|(c, _)| CellRef::new(c.row as u32, c.col as u32));
        let mut d = Diagnostic::warning(
            Rule::Import,
            format!(
                "{}“{}”一行：原文“{}”，{what}",
                table.name(),
                row_name(v),
                crate::input::number::cut(&seen_text.replace('\n', "⏎").replace('\u{a0}', " "))
            ),
        )
        .with_hint("请与原件核对这一行，必要时转换为 YAML 后改正");
        if let (Some(cell), Some(first)) = (at, v.first()) {
            d = d
                .at(Location::Sheet {
                    sheet: table.name().into(),
                    cell,
                })
                .with_place(*first);
        }
        doubts.push(d);
    };
    let ends: Vec<usize> = (0..specs.len())
        .map(|i| {
            found[i + 1..]
                .iter()
                .flatten()
                .map(|m| m.0)
                .next()
                .unwrap_or(norm.chars.len())
        })
        .collect();
    for (i, r) in specs.iter().enumerate() {
        let Some((start, end)) = found[i] else {
            continue;
        };
        seen[table_index(r.table)] = true;
        if tolerant[i] {
            let a = norm.byte_start(text, start);
            // The numbering printed before the label (`2.`) is part of what was seen.
            let numbered = text[..a]
                .trim_end_matches(|c: char| {
                    c.is_ascii_digit() || matches!(c, '.' | '．' | '、' | ' ')
                })
                .len();
            let printed = &text[numbered..norm.byte_end(text, end)];
            label_doubts.push(label_doubt(r, printed));
        }
        let a = norm.byte_end(text, end);
        let b = norm.byte_start(text, ends[i]).max(a);
        // Table 三's last row runs on into table 四's header: stop at it.
        let raw = &text[a..b];
        let (cells, ended) = cells_text(raw);
        match read_row(cells, &r.values, ended) {
            Some(row) => {
                if let Some(d) = &row.doubt {
                    add_doubt(r.table, &r.values, d, cells);
                }
                for (v, c) in r.values.iter().zip(row.cells) {
                    if let Some(c) = c {
                        values.insert(*v, c);
                    }
                }
            }
            None => {
                add_doubt(
                    r.table,
                    &r.values,
                    &format!(
                        "读不出 {} 个格的数，这一行的格记为“{UNREAD}”",
                        r.values.len()
                    ),
                    cells,
                );
                for v in &r.values {
                    values.insert(*v, UNREAD.into());
                }
            }
        }
    }
    // Table 四: its one row of fifteen cells follows the last 总计 of its header.
    let t4: Vec<ValueRef> = (0..T4_GROUPS.len())
        .flat_map(|group| (0..T4_COLUMNS.len()).map(move |col| ValueRef::T4 { group, col }))
        .collect();
    let t4_start = found.iter().flatten().map(|m| m.1).max().unwrap_or(0);
    if let Some((_, head_end)) = norm.find(&normalize(T4_GROUPS[0]), t4_start) {
        let mut last = None;
        let mut k = head_end;
        while let Some(m) = norm.find(&normalize(T4_COLUMNS[4]), k) {
            last = Some(m.1);
            k = m.1;
        }
        if let Some(e) = last {
            seen[2] = true;
            let raw = &text[norm.byte_end(text, e)..];
            let (cells, _) = cells_text(raw);
            match read_row(cells, &t4, true) {
                Some(row) => {
                    if let Some(d) = &row.doubt {
                        add_doubt(TableId::T4, &t4, d, cells);
                    }
                    for (v, c) in t4.iter().zip(row.cells) {
                        if let Some(c) = c {
                            values.insert(*v, c);
                        }
                    }
                }
                None => {
                    add_doubt(
                        TableId::T4,
                        &t4,
                        &format!("读不出 15 个格的数，这一行的格记为“{UNREAD}”"),
                        cells,
                    );
                    for v in &t4 {
                        values.insert(*v, UNREAD.into());
                    }
                }
            }
        }
    }
    for (k, id) in TableId::ALL.into_iter().enumerate() {
        if seen[k] {
            sheets.push(official_sheet(id, &values, &found, &specs));
        }
    }
    doubts.extend(label_doubts);
    (sheets, doubts)
}

/// A row label read as the official one it is close to: one IMPORT warning at the label's
/// cell of the rebuilt table.
fn label_doubt(r: &RowSpec, printed: &str) -> Diagnostic {
    let place: Place = match r.values.first() {
        Some(ValueRef::T3 { row, .. }) => Place::T3Row(*row),
        Some(ValueRef::T2Document { row, .. }) => Place::T2Row(*row),
        Some(v) => (*v).into(),
        None => Place::Table(r.table),
    };
    let printed = printed.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut d = Diagnostic::warning(
        Rule::Import,
        format!(
            "{}的行标签“{}”与官方标签“{}”不完全一致，按后者读取；请与原件核对这一行",
            r.table.name(),
            crate::input::number::cut(&printed),
            r.official
        ),
    )
    .with_place(place);
    let at = r.table.grid().cells.iter().find_map(|c| match c.content {
        Content::Text(t) if normalize(t) == r.label => {
            Some(CellRef::new(c.row as u32, c.col as u32))
        }
        _ => None,
    });
    if let Some(cell) = at {
        d = d.at(Location::Sheet {
            sheet: r.table.name().into(),
            cell,
        });
    }
    d
}

fn table_index(t: TableId) -> usize {
    match t {
        TableId::T2 => 0,
        TableId::T3 => 1,
        TableId::T4 => 2,
    }
}

fn row_name(v: &[ValueRef]) -> String {
    match v.first() {
        Some(ValueRef::T2Document { row, .. }) => T2_TRIPLE_ROWS[*row].to_string(),
        Some(ValueRef::T2Decision { row }) => T2_COUNT_ROWS[*row].to_string(),
        Some(ValueRef::T2Fee) => T2_AMOUNT_ROW.to_string(),
        Some(ValueRef::T3 { row, .. }) => T3_ROWS[*row].label.to_string(),
        Some(ValueRef::T4 { .. }) => "数据".to_string(),
        None => String::new(),
    }
}

/// A table in the official layout with the values read; the labels of rows that were not found
/// are left out, so the reader reports them missing rather than reading them as blank.
fn official_sheet(
    id: TableId,
    values: &HashMap<ValueRef, String>,
    found: &[Option<(usize, usize)>],
    specs: &[RowSpec],
) -> GridSheet {
    let grid = id.grid();
    let missing: Vec<String> = specs
        .iter()
        .zip(found)
        .filter(|(s, f)| s.table == id && f.is_none())
        .map(|(s, _)| s.label.clone())
        .collect();
    let mut cells = BTreeMap::new();
    let mut merges = vec![];
    for c in &grid.cells {
        let (r, k) = (c.row as u32, c.col as u32);
        if c.rowspan > 1 || c.colspan > 1 {
            merges.push(((r, k), (r + c.rowspan as u32 - 1, k + c.colspan as u32 - 1)));
        }
        match c.content {
            Content::Text(t) => {
                if !missing.contains(&normalize(t)) {
                    cells.insert((r, k), t.to_string());
                }
            }
            Content::Value(v) => {
                if let Some(t) = values.get(&v) {
                    cells.insert((r, k), t.clone());
                }
            }
        }
    }
    GridSheet {
        name: id.name().into(),
        cells,
        merges,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t3(row: usize) -> Vec<ValueRef> {
        (0..7).map(|col| ValueRef::T3 { row, col }).collect()
    }

    fn shown(r: &RowRead) -> Vec<String> {
        r.cells
            .iter()
            .map(|c| c.clone().unwrap_or_default())
            .collect()
    }

    #[test]
    fn conventions() {
        let r = read_row("\u{a0}99\u{a0}1\n\n\n\n100\n", &t3(0), false).unwrap();
        assert_eq!(shown(&r), ["99", "1", "", "", "", "", "100"]);
        assert!(r.doubt.is_none());
        let r = read_row("\n\n\n\n\n\n0\n", &t3(1), false).unwrap();
        assert_eq!(shown(&r), ["", "", "", "", "", "", "0"]);
        let r = read_row("| 3 | 0 | | | | / | 3 |", &t3(0), false).unwrap();
        assert_eq!(shown(&r), ["3", "0", "", "", "", "", "3"]);
        let r = read_row("\n3\n0\n\n\n\n\n3\n", &t3(0), false).unwrap();
        assert_eq!(shown(&r), ["3", "0", "", "", "", "", "3"]);
        let r = read_row(" 3 0 0 0 0 0 3", &t3(0), false).unwrap();
        assert_eq!(shown(&r), ["3", "0", "0", "0", "0", "0", "3"]);
    }

    #[test]
    fn digits_run_together() {
        let t2: Vec<ValueRef> = (0..3)
            .map(|col| ValueRef::T2Document { row: 0, col })
            .collect();
        let r = read_row("308", &t2, false).unwrap();
        assert_eq!(shown(&r), ["3", "0", "8"]);
        assert!(r.doubt.as_deref().unwrap().contains("只有一种"));
        let r = read_row("221148\n\n", &t2, true).unwrap();
        assert_eq!(shown(&r), ["22", "11", "48"]);
        assert!(r.doubt.is_some());
        let t4: Vec<ValueRef> = (0..3)
            .flat_map(|group| (0..5).map(move |col| ValueRef::T4 { group, col }))
            .collect();
        let r = read_row(
            "\u{a0}20\u{a0}0\u{a0}0220\u{a0}002\u{a0}0\u{a0}0\u{a0}000",
            &t4,
            true,
        )
        .unwrap();
        assert_eq!(
            shown(&r),
            ["2", "0", "0", "0", "2", "2", "0", "0", "0", "2", "0", "0", "0", "0", "0"]
        );
    }

    #[test]
    fn bars_around_rows_and_the_cells_spans_cover() {
        // `| 一、本年新收… | 3 | … | 3 | ||`: the label's bar before, the covered cells after.
        let r = read_row(" | 3 | 0 | 0 | 0 | 0 | 0 | 3 | ||\n| ", &t3(0), false).unwrap();
        assert_eq!(shown(&r), ["3", "0", "0", "0", "0", "0", "3"]);
        assert!(r.doubt.is_none());
        // One cell per line, each ending in a bar, a blank cell a line of its own.
        let r = read_row(" |\n1 |\n|\n|\n|\n|\n|\n1 |\n||\n", &t3(1), false).unwrap();
        assert_eq!(shown(&r), ["1", "", "", "", "", "", "1"]);
        // A header row's closing bar, then the data row's opening one.
        let t4: Vec<ValueRef> = (0..3)
            .flat_map(|group| (0..5).map(move |col| ValueRef::T4 { group, col }))
            .collect();
        let r = read_row(
            " | \n| 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | \n",
            &t4,
            true,
        )
        .unwrap();
        assert_eq!(shown(&r)[..5], ["1", "0", "0", "0", "1"]);
        assert!(r.doubt.is_none());
    }

    #[test]
    fn figures_keep_their_text() {
        assert_eq!(figure("1,234件"), Some("1234".into()));
        assert_eq!(figure("４（含1件部分答复）"), Some("4".into()));
        assert_eq!(figure("0.5万元"), Some("0.5".into()));
        assert_eq!(figure("无"), None);
        assert_eq!(figure("件"), None);
        assert_eq!(field(" 56件 "), Some(Some("56件".into())));
        assert_eq!(field(" / "), Some(None));
        assert_eq!(field("－"), Some(None));
        assert_eq!(field("―"), Some(None));
        assert_eq!(field("-3"), None);
        let r = read_row(" | 4（含1件） | 1 | 0 | 0 | 0 | 0 | 5件 |", &t3(2), false).unwrap();
        assert_eq!(shown(&r), ["4（含1件）", "1", "0", "0", "0", "0", "5件"]);
    }

    #[test]
    fn a_label_with_a_typo_is_found_between_its_neighbours() {
        let n = Norm::new("1属于国家秘密 | | 2.其他法律行政止公开 | 1 | 3.危及");
        let (a, b) = n
            .find_close(&normalize("2.其他法律行政法规禁止公开"), 0, n.chars.len())
            .unwrap();
        let found: String = n.chars[a..b].iter().collect();
        assert_eq!(found, "其他法律行政止公开");
        assert!(n
            .find_close(&normalize("5.属于三类内部事务信息"), 0, n.chars.len())
            .is_none());
    }

    #[test]
    fn the_cells_stop_at_the_next_label() {
        assert_eq!(text_start("56件 |\n行政强制"), "56件 |\n".len());
        assert_eq!(
            text_start("4（含1件部分答复） | 1"),
            "4（含1件部分答复） | 1".len()
        );
        // A numbering in brackets is the next label's, not a note.
        assert_eq!(text_start("0 0 3 （二）部分公开"), "0 0 3 （".len());
        assert_eq!(cells_text("\n\n\n(三)不予公开1."), ("\n\n\n", false));
        assert_eq!(cells_text("1\n2."), ("1\n", false));
        assert_eq!(cells_text("(区分处理的)\n\n"), ("\n\n", false));
        assert_eq!(cells_text("”\n\n"), ("\n\n", false));
        assert_eq!(
            cells_text("221148\n\n第二十条第(五)项"),
            ("221148\n\n", true)
        );
    }
}
