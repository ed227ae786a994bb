//! Text placed on pages (PDF, OFD) back into paragraphs and tables: runs grouped into lines by
//! their baselines, a line's runs into cells where a gap wider than a character separates them.
//! Tables drawn with rules are read cell by cell from the rules. Elsewhere, lines of two or more
//! cells in a row make a table (with the one-cell lines among them that are pieces of official
//! labels); its value columns come from its header's labels, its rows from its row labels — a
//! label wrapped over lines joined while it goes on being an official label, each figure on the
//! row whose label lines hold it — and what is placed with doubt is said at its cell. Other
//! lines make paragraphs, a new one where a line starts indented or the line before stopped
//! short of the right margin.

use super::{Block, Cell};

/// A run of text: where it starts and ends on the page (points, y up), its size.
#[derive(Debug, Clone)]
pub(crate) struct Run {
    pub x: f32,
    pub end: f32,
    pub y: f32,
    pub size: f32,
    pub text: String,
}

/// The most runs read from one document (a report has a few thousand).
pub(crate) const MAX_RUNS: usize = 200_000;

struct Line {
    y: f32,
    size: f32,
    /// (left, right, text) of each cell, left to right.
    cells: Vec<(f32, f32, String)>,
    /// The same text in pieces that touch (a cell's words a space apart are two pieces): the
    /// labels of a header set close together are told apart by these.
    pieces: Vec<(f32, f32, String)>,
}

/// The characters a page shows, from what some producers' ToUnicode maps say. Browsers' PDFs
/// give the first code point the font maps to a glyph: radicals (⼈ for 人, ⺠ for 民), the
/// canonical twins of CJK brackets (U+2329 for 〈), and traditional forms a simplified font draws
/// with the same glyph (戶 for 户). The Kangxi radicals fold to ideographs by NFKC; the
/// supplement's simplified radicals that stand for whole characters by this table (each checked
/// against its Unicode name); the rest by NFC and the list of shared glyphs.
pub(crate) fn unradical(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    const SUPPLEMENT: [(char, char); 33] = [
        ('\u{2E9C}', '日'),
        ('\u{2E9D}', '月'),
        ('\u{2E9F}', '母'),
        ('\u{2EA0}', '民'),
        ('\u{2EA9}', '王'),
        ('\u{2EBC}', '月'),
        ('\u{2EC4}', '西'),
        ('\u{2EC5}', '见'),
        ('\u{2EC6}', '角'),
        ('\u{2EC9}', '贝'),
        ('\u{2ECB}', '车'),
        ('\u{2ED3}', '长'),
        ('\u{2ED4}', '门'),
        ('\u{2ED7}', '雨'),
        ('\u{2ED8}', '青'),
        ('\u{2ED9}', '韦'),
        ('\u{2EDA}', '页'),
        ('\u{2EDB}', '风'),
        ('\u{2EDC}', '飞'),
        ('\u{2EDD}', '食'),
        ('\u{2EE2}', '马'),
        ('\u{2EE3}', '骨'),
        ('\u{2EE4}', '鬼'),
        ('\u{2EE5}', '鱼'),
        ('\u{2EE6}', '鸟'),
        ('\u{2EE7}', '卤'),
        ('\u{2EE8}', '麦'),
        ('\u{2EE9}', '黄'),
        ('\u{2EEA}', '黾'),
        ('\u{2EEC}', '齐'),
        ('\u{2EEE}', '齿'),
        ('\u{2EF0}', '龙'),
        ('\u{2EF3}', '龟'),
    ];
    let mut out = String::with_capacity(text.len());
    for c in text.nfc() {
        match c {
            // ⼾ (KANGXI RADICAL DOOR) is 戶 by NFKC, which a simplified text means as 户.
            '\u{2F00}'..='\u{2FDF}' => {
                out.extend(
                    c.to_string()
                        .nfkc()
                        .map(|x| if x == '戶' { '户' } else { x }),
                )
            }
            '\u{2E80}'..='\u{2EFF}' => out.push(
                SUPPLEMENT
                    .iter()
                    .find(|(r, _)| *r == c)
                    .map_or(c, |(_, i)| *i),
            ),
            // 户 and 戶 are one glyph in simplified fonts (GB 18030's 户 is drawn for both).
            '戶' => out.push('户'),
            c => out.push(c),
        }
    }
    out
}

fn lines(mut runs: Vec<Run>) -> Vec<Line> {
    runs.retain(|r| {
        !r.text.trim().is_empty() && r.size > 0.0 && r.x.is_finite() && r.y.is_finite()
    });
    // Top to bottom, then left to right.
    runs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut out: Vec<Line> = vec![];
    let mut group: Vec<Run> = vec![];
    let flush = |group: &mut Vec<Run>, out: &mut Vec<Line>| {
        if group.is_empty() {
            return;
        }
        group.sort_by(|a, b| a.x.total_cmp(&b.x));
        let size = group.iter().map(|r| r.size).fold(0.0, f32::max);
        let y = group[0].y;
        let mut cells: Vec<(f32, f32, String)> = vec![];
        let mut pieces: Vec<(f32, f32, String)> = vec![];
        for r in group.iter() {
            match pieces.last_mut() {
                Some(p) if r.x - p.1 < 0.3 * size => {
                    p.2.push_str(&r.text);
                    p.1 = p.1.max(r.end);
                }
                _ => pieces.push((r.x, r.end, r.text.clone())),
            }
        }
        for r in group.drain(..) {
            match cells.last_mut() {
                // Touching or a space apart: the same cell.
                Some(c) if r.x - c.1 < 1.2 * size => {
                    let ascii_both =
                        c.2.chars()
                            .last()
                            .is_some_and(|x| x.is_ascii_alphanumeric())
                            && r.text.starts_with(|x: char| x.is_ascii_alphanumeric());
                    if r.x - c.1 > 0.2 * size && ascii_both {
                        c.2.push(' ');
                    }
                    c.2.push_str(&r.text);
                    c.1 = c.1.max(r.end);
                }
                _ => cells.push((r.x, r.end, r.text)),
            }
        }
        out.push(Line {
            y,
            size,
            cells,
            pieces,
        });
    };
    for r in runs {
        if let Some(first) = group.first() {
            if (first.y - r.y).abs() > 0.35 * first.size.max(r.size) {
                flush(&mut group, &mut out);
            }
        }
        group.push(r);
    }
    flush(&mut group, &mut out);
    out
}

/// Whether a line starts as headings and items are numbered: `一、`, `（一）`, `1.`, `1、`.
fn starts_item(line: &str) -> bool {
    const NUMERALS: &str = "一二三四五六七八九十";
    let t = line.trim_start();
    let numeral_then = |rest: &str, end: char| {
        let n = rest.chars().take_while(|c| NUMERALS.contains(*c)).count();
        n > 0 && rest.chars().nth(n) == Some(end)
    };
    if let Some(rest) = t.strip_prefix(['（', '(']) {
        return numeral_then(rest, '）') || numeral_then(rest, ')');
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits < 3 {
        return matches!(t.chars().nth(digits), Some('.' | '．' | '、'));
    }
    numeral_then(t, '、')
}

/// A page number as reports print them: `— 1 —`, `-1-`, `第1页`, `第 1 页，共 6 页`, `1`.
pub(crate) fn is_folio(t: &str) -> bool {
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let core = t.trim_matches(|c: char| matches!(c, '—' | '-' | '－' | '–'));
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if digits(core) {
        return true;
    }
    core.strip_prefix('第').is_some_and(|r| {
        let r = r.split(['，', ',']).next().unwrap_or(r);
        r.strip_suffix('页').is_some_and(digits)
    })
}

/// What a page's tables guessed from the text's positions leave to be said: where each table
/// starts, and the figures placed with doubt.
#[derive(Debug, Default)]
pub(crate) struct Guessed {
    starts: Vec<String>,
    doubts: Vec<String>,
}

/// Which lines belong to a table: a line of two or more cells, and a line of one cell that is a
/// piece of an official label (a label wrapped in its cell: `只计这一情形，不计其他情形）`, a
/// header's `申请人情况`) next to a table's line, however many of them follow one another.
fn table_lines(lines: &[Line]) -> Vec<bool> {
    let mut mark: Vec<bool> = lines.iter().map(|l| l.cells.len() >= 2).collect();
    // Narrow columns set their labels' pieces closer than a cell's gap (`公益 服务 其他`): each
    // piece is looked at.
    // An item of a table counts too, its text mangled or not.
    let piece = |l: &Line| {
        l.cells.len() == 1
            && (is_item(&l.cells[0].2) || l.pieces.iter().all(|p| is_label_piece(&p.2)))
    };
    // Rows set with room between them (LibreOffice's web layout: some 2.6 lines apart).
    let close = |a: &Line, b: &Line| (a.y - b.y).abs() < 3.2 * a.size.max(b.size);
    // A row's figures on a line of their own (set between its label's lines, or between two
    // rows), with more of the table below.
    let figures = |i: usize| {
        lines[i].cells.iter().all(|c| is_figure(&c.2))
            && lines
                .get(i + 1)
                .is_some_and(|n| close(&lines[i], n) && (n.cells.len() >= 2 || piece(n)))
    };
    for i in 1..lines.len() {
        if !mark[i]
            && mark[i - 1]
            && close(&lines[i - 1], &lines[i])
            && (piece(&lines[i]) || figures(i))
        {
            mark[i] = true;
        }
    }
    for i in (0..lines.len().saturating_sub(1)).rev() {
        if !mark[i] && mark[i + 1] && close(&lines[i + 1], &lines[i]) && piece(&lines[i]) {
            mark[i] = true;
        }
    }
    mark
}

/// The blocks of one page's runs.
fn blocks(runs: Vec<Run>, guessed: &mut Guessed) -> Vec<Block> {
    let lines = lines(runs);
    let marked = table_lines(&lines);
    let left = lines
        .iter()
        .filter_map(|l| l.cells.first().map(|c| c.0))
        .fold(f32::INFINITY, f32::min);
    let right = lines
        .iter()
        .filter_map(|l| l.cells.last().map(|c| c.1))
        .fold(f32::NEG_INFINITY, f32::max);
    let mut out = vec![];
    let mut para = String::new();
    let mut para_open = false;
    let mut table: Vec<&Line> = vec![];
    let mut end_table = |table: &mut Vec<&Line>, out: &mut Vec<Block>| {
        if !table.is_empty() {
            let mut doubts = vec![];
            let mut g = grid(table, &mut doubts);
            // What the reader will see first of the table, to find it on the page.
            let first: String = g
                .iter()
                .flatten()
                .map(|c| c.text.trim())
                .find(|t| !t.is_empty())
                .unwrap_or_default()
                .chars()
                .take(20)
                .collect();
            // Each doubt goes with its cell (said at the cell's place when the tables are read)
            // and with the page.
            for (row, col, d) in doubts {
                let d = format!("从“{first}”开始的没有表格线的表格中，{d}，请与原件核对");
                let mut at = 0;
                if let Some(cell) = g.get_mut(row).and_then(|cells| {
                    cells.iter_mut().find(|c| {
                        at += c.colspan as usize;
                        at > col
                    })
                }) {
                    cell.doubt = Some(d.clone());
                }
                guessed.doubts.push(d);
            }
            guessed.starts.push(first);
            out.push(Block::Table(g));
            table.clear();
        }
    };
    for (i, l) in lines.iter().enumerate() {
        // A line of one cell between lines of several (a label wrapped in its cell, a value
        // alone on its row) belongs to the table.
        let close = |m: &Line| (m.y - l.y).abs() < 3.0 * l.size.max(m.size);
        let more_below = lines[i + 1..]
            .iter()
            .take(3)
            .take_while(|m| close(m))
            .any(|m| m.cells.len() >= 2);
        // Not a heading (`四、政府信息公开行政复议…`) between two tables set close together.
        let heading = || is_numbered(&l.cells[0].2) && !is_label_piece(&l.cells[0].2);
        let in_table = marked[i] || (!table.is_empty() && more_below && !heading());
        if in_table {
            if para_open {
                out.push(Block::Para(std::mem::take(&mut para)));
                para_open = false;
            }
            table.push(l);
            continue;
        }
        end_table(&mut table, &mut out);
        let text = &l.cells[0].2;
        if is_folio(text) {
            continue;
        }
        let x = l.cells[0].0;
        // A line set to the right (the 落款's name and date) is a paragraph of its own.
        if x > left + 0.4 * (right - left) && l.cells[0].1 > right - 2.0 * l.size {
            if para_open {
                out.push(Block::Para(std::mem::take(&mut para)));
                para_open = false;
            }
            out.push(Block::Para(text.clone()));
            continue;
        }
        let indented = x > left + 1.2 * l.size;
        // A numbered heading or item after a finished sentence starts anew, even where no
        // line of the page reaches the margin to tell a short line by.
        let item = para.ends_with(['。', '！', '？', '；', '：']) && starts_item(text);
        if para_open && (indented || item) {
            out.push(Block::Para(std::mem::take(&mut para)));
        }
        para.push_str(text);
        para_open = true;
        // A line that stops short of the margin ends its paragraph.
        if l.cells[0].1 < right - 2.0 * l.size {
            out.push(Block::Para(std::mem::take(&mut para)));
            para_open = false;
        }
    }
    end_table(&mut table, &mut out);
    if para_open {
        out.push(Block::Para(para));
    }
    out
}

/// A figure as tables print it: digits (a fee may have a decimal point).
fn is_figure(t: &str) -> bool {
    let t = t.trim();
    !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// The official tables' labels (row labels, column and group headers, block titles),
/// normalised: what a table printed without rules is read by.
fn official_labels() -> &'static [String] {
    use crate::spec::format as f;
    static LABELS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    LABELS.get_or_init(|| {
        let mut v: Vec<&str> = vec![
            f::T2_FIRST_HEADER,
            f::T3_CORNER_NOTE,
            f::T3_APPLICANTS,
            f::T3_LEGAL_PERSONS,
            f::T3_RESULTS_GROUP,
            f::T4_REVIEW,
            f::T4_LITIGATION,
        ];
        for b in f::T2_BLOCKS.iter() {
            v.push(b.title);
            v.extend(b.header.iter());
            v.extend(b.rows.iter());
        }
        v.extend(f::T3_COLUMNS.iter());
        v.extend(f::T3_CATEGORIES.iter().map(|c| c.label));
        v.extend(f::T3_ROWS.iter().map(|r| r.label));
        v.extend(f::T4_GROUPS.iter());
        v.extend(f::T4_COLUMNS.iter());
        v.into_iter()
            .map(crate::input::suggest::normalize)
            .filter(|l| !l.is_empty())
            .collect()
    })
}

/// Which official tables' header labels (a column's, a group's, 表三's corner note; not a row's)
/// a text is a piece of, one bit a table (表二, 表三, 表四): what a header repeated on the next
/// page is made of. 0 for any other text.
pub(crate) fn header_tables(t: &str) -> u8 {
    use crate::spec::format as f;
    static HEADS: std::sync::OnceLock<[Vec<String>; 3]> = std::sync::OnceLock::new();
    let heads = HEADS.get_or_init(|| {
        let norm = |v: Vec<&str>| -> Vec<String> {
            v.into_iter()
                .map(crate::input::suggest::normalize)
                .collect()
        };
        let mut t2 = vec![f::T2_FIRST_HEADER];
        for b in f::T2_BLOCKS.iter() {
            t2.extend(b.header.iter());
        }
        let mut t3 = vec![f::T3_CORNER_NOTE, f::T3_APPLICANTS, f::T3_LEGAL_PERSONS];
        t3.extend(f::T3_COLUMNS.iter());
        let mut t4 = vec![f::T4_REVIEW, f::T4_LITIGATION];
        t4.extend(f::T4_GROUPS.iter());
        t4.extend(f::T4_COLUMNS.iter());
        [norm(t2), norm(t3), norm(t4)]
    });
    let n = crate::input::suggest::normalize(t);
    if n.is_empty() {
        return 0;
    }
    let mut mask = 0;
    for (i, labels) in heads.iter().enumerate() {
        if labels.iter().any(|l| l.contains(&n)) {
            mask |= 1 << i;
        }
    }
    mask
}

/// The header labels that stand over several columns (a group, not a column of figures).
fn is_group_label(t: &str) -> bool {
    use crate::spec::format as f;
    let n = crate::input::suggest::normalize(t);
    [f::T3_APPLICANTS, f::T3_LEGAL_PERSONS, f::T4_LITIGATION]
        .iter()
        .chain(f::T4_GROUPS.iter())
        .any(|l| crate::input::suggest::normalize(l) == n)
}

/// Text that begins an official label or is the start of one broken over lines (`三、`,
/// `本年度`): its normalised form begins some label.
fn begins_label(t: &str) -> bool {
    let n = crate::input::suggest::normalize(t);
    official_labels().iter().any(|l| l.starts_with(&n))
}

/// Text that is a piece of an official label (a label broken over lines, `只计这一情形`).
fn is_label_piece(t: &str) -> bool {
    let n = crate::input::suggest::normalize(t);
    // A number alone (`（六）` beside the first line of its label) begins one.
    (n.is_empty() && is_numbered(t))
        || (!n.is_empty() && official_labels().iter().any(|l| l.contains(&n)))
}

/// An item of a table's rows (`2.其他法律行政止公开`): numbered `2.`, as no heading of the
/// report is, and short.
fn is_item(t: &str) -> bool {
    let f = crate::input::suggest::fold_width(t);
    let f = f.trim();
    let digits = f.chars().take_while(char::is_ascii_digit).count();
    digits > 0
        && f.chars().nth(digits).is_some_and(|c| c == '.' || c == '、')
        && f.chars().count() <= 40
}

/// A label that starts with its own number (`一、`, `（三）`, `1.`): a new row, never the rest
/// of the label above it.
fn is_numbered(t: &str) -> bool {
    let f = crate::input::suggest::fold_width(t);
    let f = f.trim();
    !f.is_empty() && crate::input::suggest::strip_numbering(f).len() != f.len() && !is_figure(f)
}

/// A line's cells with the cells that run two labels together split apart: narrow columns set
/// a group label and the label beside it closer than a cell's gap (`不予处理` `4.无正当理由…`,
/// `其他处理` `通知要求缴纳费用、`). A cell is cut between two of its pieces where the second
/// starts with its own number, or where each is a piece of a label and the two together are
/// not.
fn label_cells(l: &Line) -> Vec<(f32, f32, String)> {
    let mut out = vec![];
    // Both run left to right and every piece lies in one cell: one pass over the pieces.
    let mut next = 0;
    for c in &l.cells {
        let mut pieces: Vec<&(f32, f32, String)> = vec![];
        while let Some(p) = l.pieces.get(next) {
            if p.0 > c.1 + 0.01 {
                break;
            }
            if p.0 >= c.0 - 0.01 {
                pieces.push(p);
            }
            next += 1;
        }
        if pieces.len() < 2 {
            out.push(c.clone());
            continue;
        }
        let mut seg: Option<(f32, f32, String)> = None;
        for p in pieces {
            seg = match seg.take() {
                Some(mut s) => {
                    let apart = is_numbered(&p.2)
                        || (is_label_piece(&s.2)
                            && is_label_piece(&p.2)
                            && !is_label_piece(&format!("{}{}", s.2, p.2)));
                    if apart {
                        out.push(s);
                        Some(p.clone())
                    } else {
                        s.1 = s.1.max(p.1);
                        s.2.push_str(&p.2);
                        Some(s)
                    }
                }
                None => Some(p.clone()),
            };
        }
        out.extend(seg);
    }
    out
}

/// The value columns of a table read without rules, from its header: the x-ranges of the
/// header's innermost labels (a label above several others is a group, not a column), a label
/// broken over lines (商业 / 企业) one column. Figures sit under their column's label, centred or
/// not, so a figure belongs to the column whose range holds its middle.
fn header_spans(lines: &[&Line], size: f32) -> Option<Header> {
    // A line's first cell is its label (`1.` reads as a figure), unless the line is figures
    // only (表四's one row of figures has no label).
    let figures = |l: &&Line| {
        let all = l.cells.iter().all(|c| is_figure(&c.2));
        l.cells
            .iter()
            .skip(usize::from(!all))
            .filter(|c| is_figure(&c.2))
            .map(|c| c.0)
            .collect::<Vec<f32>>()
    };
    let first_data = lines.iter().position(|l| !figures(l).is_empty())?;
    let figure_left = lines[first_data..]
        .iter()
        .flat_map(figures)
        .fold(f32::INFINITY, f32::min);
    // The values begin after the row labels: figures set to the right of their cells leave
    // their column's label (centred) left of every figure, yet right of every row label.
    let label_end = lines
        .iter()
        .filter_map(|l| l.cells.first())
        .filter(|c| !is_figure(&c.2) && c.1 < figure_left)
        .map(|c| c.1)
        .fold(f32::NEG_INFINITY, f32::max);
    let value_left = if label_end.is_finite() {
        figure_left.min(label_end + 0.5 * size)
    } else {
        figure_left
    };
    // Header labels over the figures (the row labels' own header is to their left).
    let pieces: Vec<&(f32, f32, String)> = lines[..first_data]
        .iter()
        .flat_map(|l| l.pieces.iter())
        .filter(|c| (c.0 + c.1) / 2.0 >= value_left - size)
        .collect();
    let frags: Vec<(f32, f32)> = pieces.iter().map(|c| (c.0, c.1)).collect();
    // An official group label (行政复议 over its five columns) is a group however narrow it is
    // set; the rest are told by their geometry.
    let named_groups: Vec<(f32, f32)> = pieces
        .iter()
        .filter(|c| is_group_label(&c.2))
        .map(|c| (c.0, c.1))
        .collect();
    // A header has some tens of labels; a page of scattered words is not read as one.
    if frags.len() > MAX_HEADER_PIECES {
        return None;
    }
    let mid = |f: &(f32, f32)| (f.0 + f.1) / 2.0;
    let is_inner = |f: &(f32, f32)| {
        // A group label spans the middles of two labels that do not overlap each other.
        // Two of them are apart when one ends before another starts.
        let (mut first_end, mut last_start) = (f32::INFINITY, f32::NEG_INFINITY);
        for g in frags
            .iter()
            .filter(|g| *g != f && mid(g) > f.0 && mid(g) < f.1 && (g.1 - g.0) < (f.1 - f.0))
        {
            first_end = first_end.min(g.1);
            last_start = last_start.max(g.0);
        }
        first_end >= last_start && !named_groups.contains(f)
    };
    let inner: Vec<(f32, f32)> = frags.iter().filter(|f| is_inner(f)).copied().collect();
    let groups: Vec<(f32, f32)> = frags.iter().filter(|f| !is_inner(f)).copied().collect();
    let mut spans: Vec<(f32, f32)> = vec![];
    let mut sorted = inner;
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    for f in sorted {
        match spans.last_mut() {
            Some(s) if f.0 < s.1 - 0.2 * size => s.1 = s.1.max(f.1),
            _ => spans.push(f),
        }
    }
    // A column whose label the page does not show (LibreOffice repeats a header on the next
    // page without its centred labels): its figures, clear of every label, make it — when the
    // nearest label's column has a figure of its own on the same line, or when they stand
    // beyond the outermost labels by most of a column's width. Figures set off their labels
    // otherwise (right-aligned under centred labels) stay in the nearest column.
    let centre = |s: &(f32, f32)| (s.0 + s.1) / 2.0;
    // Half the way to the next label's middle: where a column under a centred label ends.
    let half_pitch = |k: usize| {
        let n = if k + 1 < spans.len() {
            k + 1
        } else {
            k.wrapping_sub(1)
        };
        spans.get(n).map_or(f32::INFINITY, |s| {
            (centre(s) - centre(&spans[k])).abs() / 2.0
        })
    };
    let (first, last) = (
        spans.first().map_or(0.0, |s| s.0),
        spans.last().map_or(0.0, |s| s.1),
    );
    let nearest = |m: f32| {
        (0..spans.len()).min_by(|&a, &b| {
            (centre(&spans[a]) - m)
                .abs()
                .total_cmp(&(centre(&spans[b]) - m).abs())
        })
    };
    let mut stray: Vec<(f32, f32)> = vec![];
    for l in &lines[first_data..] {
        let values: Vec<&(f32, f32, String)> = l
            .cells
            .iter()
            .filter(|c| (c.0 + c.1) / 2.0 >= value_left - size)
            .collect();
        // Up to a header inside the table (表二's next block).
        if values.iter().any(|c| !is_figure(&c.2)) {
            break;
        }
        let held: Vec<Option<usize>> = values
            .iter()
            .map(|c| {
                let m = (c.0 + c.1) / 2.0;
                spans.iter().position(|s| m >= s.0 && m <= s.1)
            })
            .collect();
        for c in &values {
            let m = (c.0 + c.1) / 2.0;
            if spans.iter().any(|s| m >= s.0 - size && m <= s.1 + size) {
                continue;
            }
            let Some(k) = nearest(m) else { continue };
            let taken = held.contains(&Some(k));
            let beyond = (m < first || m > last) && (m - centre(&spans[k])).abs() > half_pitch(k);
            if taken || beyond {
                stray.push((c.0, c.1));
            }
        }
        if stray.len() > MAX_HEADER_PIECES {
            break;
        }
    }
    stray.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut added: Vec<(f32, f32)> = vec![];
    for f in stray {
        match added.last_mut() {
            Some(s) if f.0 < s.1 + 0.5 * size => s.1 = s.1.max(f.1),
            _ => added.push(f),
        }
    }
    spans.extend(added);
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    (!spans.is_empty()).then_some(Header {
        left: value_left - size,
        spans,
        groups,
        first_data,
    })
}

/// The most pieces of text a table's header may have for its columns to be read from it.
const MAX_HEADER_PIECES: usize = 400;

/// What `header_spans` finds.
struct Header {
    /// Where the value columns begin.
    left: f32,
    /// Each value column's x-range.
    spans: Vec<(f32, f32)>,
    /// The header's group labels (above several columns).
    groups: Vec<(f32, f32)>,
    /// The first line with figures.
    first_data: usize,
}

/// A table's lines as rows of cells on shared columns: the row labels' columns from their left
/// edges, clustered; the value columns from the header's labels (`header_spans`) when there are
/// figures under a header, else from the left edges too. Under a header the rows are the row
/// labels (`label_rows`), each figure on the row whose label lines hold it. `doubts` gets the
/// figures placed with doubt: the row and column of the cell, what is to be said.
fn grid(lines: &[&Line], doubts: &mut Vec<(usize, usize, String)>) -> Vec<Vec<Cell>> {
    let size = lines.iter().map(|l| l.size).fold(0.0, f32::max).max(1.0);
    let spans = header_spans(lines, size);
    let in_values =
        |c: &(f32, f32, String)| spans.as_ref().is_some_and(|h| (c.0 + c.1) / 2.0 >= h.left);
    let mut cols: Vec<f32> = lines
        .iter()
        .flat_map(|l| {
            label_cells(l)
                .into_iter()
                .filter(|c| !in_values(c))
                .map(|c| c.0)
        })
        .collect();
    cols.sort_by(f32::total_cmp);
    let mut edges: Vec<f32> = vec![];
    for x in cols {
        if edges.last().is_none_or(|e| x - e > 1.5 * size) {
            edges.push(x);
        }
    }
    let first_value = edges.len().max(1);
    let label_col = |x: f32| {
        edges
            .iter()
            .rposition(|e| x + 1.5 * size >= *e)
            .unwrap_or(0)
    };
    // The column of a figure under the header's spans: the span that holds its middle, else
    // the nearest (a doubt: said with what was seen).
    let span_of = |spans: &[(f32, f32)], c: &(f32, f32, String), doubt: &mut Option<String>| {
        let m = (c.0 + c.1) / 2.0;
        if let Some(k) = spans.iter().position(|s| m >= s.0 && m <= s.1) {
            return k;
        }
        let d = |s: &(f32, f32)| (s.0 - m).max(m - s.1);
        // The nearest two, in one pass (a hostile page may have many figures).
        let mut order: Vec<usize> = vec![];
        for i in 0..spans.len() {
            order.push(i);
            order.sort_by(|&a, &b| d(&spans[a]).total_cmp(&d(&spans[b])));
            order.truncate(2);
        }
        let k = order.first().copied().unwrap_or(0);
        *doubt = Some(match order.get(1) {
            Some(&second) if d(&spans[second]) - d(&spans[k]) < 0.5 * size => format!(
                "“{}”不在任何列标签之下，离第 {} 列和第 {} 列一样近，已计入第 {} 列",
                c.2.trim(),
                k + 1,
                second + 1,
                k + 1
            ),
            _ => format!(
                "“{}”不在任何列标签之下，已计入最近的第 {} 列",
                c.2.trim(),
                k + 1
            ),
        });
        k
    };
    let col_of = |c: &(f32, f32, String)| {
        if let Some(spans) = spans.as_ref().filter(|_| in_values(c)).map(|h| &h.spans) {
            return first_value + span_of(spans, c, &mut None);
        }
        label_col(c.0)
    };
    // Where the rows begin: the first line with figures, or above it the lines of a row label
    // wrapped over them (its figures set in the middle of its lines).
    let body_start = spans
        .as_ref()
        .map(|h| {
            let note = crate::input::suggest::normalize(crate::spec::format::T3_CORNER_NOTE);
            let mut s = h.first_data;
            while s > 0 {
                let l = lines[s - 1];
                let row_piece = |c: &(f32, f32, String)| {
                    !in_values(c)
                        && (is_item(&c.2) || is_label_piece(&c.2))
                        && !note.contains(&crate::input::suggest::normalize(&c.2))
                };
                if l.cells.iter().all(row_piece) {
                    s -= 1;
                } else {
                    break;
                }
            }
            s
        })
        .unwrap_or(0);
    // A header's labels: a column's pieces (商业 / 企业) joined on the header's last line, a
    // group label on its own line over its first column.
    let mut header_rows: Vec<Vec<(f32, f32, String)>> = vec![];
    if let Some(h) = spans.as_ref().filter(|_| body_start > 0) {
        let mut leaf: Vec<String> = vec![String::new(); h.spans.len()];
        for l in lines[..body_start].iter() {
            for p in l.pieces.iter().filter(|p| in_values(p)) {
                let m = (p.0 + p.1) / 2.0;
                if !h.groups.iter().any(|g| g.0 == p.0 && g.1 == p.1) {
                    if let Some(k) = h.spans.iter().position(|s| m >= s.0 && m <= s.1) {
                        leaf[k].push_str(&p.2);
                    }
                }
            }
        }
        // The leaves in runs that repeat one set of labels (表四's three groups of 结果维持 …
        // 总计): a group label stands over the run that holds its middle.
        let norm: Vec<String> = leaf
            .iter()
            .map(|t| crate::input::suggest::normalize(t))
            .collect();
        let mut runs: Vec<(usize, usize)> = vec![];
        for k in 0..leaf.len() {
            match runs.last_mut() {
                Some(r) if k == 0 || norm[k] != norm[0] || norm[0].is_empty() => r.1 = k,
                _ => runs.push((k, k)),
            }
        }
        if runs.is_empty() {
            runs.push((0, 0));
        }
        for (i, l) in lines[..body_start].iter().enumerate() {
            let mut row: Vec<(f32, f32, String)> =
                l.cells.iter().filter(|c| !in_values(c)).cloned().collect();
            for p in l.pieces.iter().filter(|p| in_values(p)) {
                if h.groups.iter().any(|g| g.0 == p.0 && g.1 == p.1) {
                    let m = (p.0 + p.1) / 2.0;
                    let reach = |r: &(usize, usize)| {
                        let (a, b) = (h.spans[r.0].0, h.spans[r.1].1);
                        (a - m).max(m - b).max(0.0)
                    };
                    let run = runs
                        .iter()
                        .min_by(|a, b| reach(a).total_cmp(&reach(b)))
                        .copied()
                        .unwrap_or((0, 0));
                    // Over several runs (行政诉讼 over two): the first it reaches.
                    let run = runs
                        .iter()
                        .find(|r| h.spans[r.1].1 > p.0 && reach(r) <= reach(&run) + size)
                        .copied()
                        .unwrap_or(run);
                    let x = (h.spans[run.0].0 + h.spans[run.0].1) / 2.0;
                    row.push((x, x, p.2.clone()));
                }
            }
            if i + 1 == body_start {
                for (k, t) in leaf.iter().enumerate() {
                    let x = (h.spans[k].0 + h.spans[k].1) / 2.0;
                    row.push((x, x, t.clone()));
                }
            }
            row.sort_by(|a, b| a.0.total_cmp(&b.0));
            header_rows.push(row);
        }
    }
    let cells_of = |placed: Vec<(usize, bool, String)>| -> Vec<Cell> {
        // (column, is a label, text) → cells, blanks between, a label reaching over the blank
        // label columns to its right (as its merged cell did).
        let mut row: Vec<Cell> = vec![];
        let mut next = 0usize;
        let n = placed.len();
        for (i, (col, label, text)) in placed.iter().enumerate() {
            let k = (*col).max(next);
            while next < k {
                row.push(Cell {
                    text: String::new(),
                    rowspan: 1,
                    colspan: 1,
                    doubt: None,
                });
                next += 1;
            }
            let mut span = 1;
            if *label && k < first_value {
                let until = placed[i + 1..n]
                    .iter()
                    .map(|p| p.0)
                    .find(|&c| c > k)
                    .unwrap_or(first_value)
                    .min(first_value);
                span = until.saturating_sub(k).max(1);
            }
            row.push(Cell {
                text: text.clone(),
                rowspan: 1,
                colspan: span as u32,
                doubt: None,
            });
            next = k + span;
        }
        row
    };
    let mut out: Vec<Vec<Cell>> = vec![];
    // A header line whose pieces all went to the leaves below (`结果` over `维持`) makes no row:
    // the leaves stay next to their group labels.
    for row in &header_rows {
        if row.is_empty() {
            continue;
        }
        let placed: Vec<(usize, bool, String)> = row
            .iter()
            .map(|c| (col_of(c), false, c.2.clone()))
            .collect();
        out.push(cells_of(placed));
    }
    let body = &lines[if header_rows.is_empty() {
        0
    } else {
        body_start
    }..];
    match (spans.as_ref(), label_rows(body, size, &in_values)) {
        (Some(h), Some(rows)) => {
            let mut active: Vec<(f32, f32)> = h.spans.clone();
            for r in rows {
                // A header inside the table (表二's 信息内容 / 本年处理决定数量): its labels are
                // the columns of the rows below it.
                let words: Vec<&(f32, f32, String)> =
                    r.values.iter().filter(|v| !is_figure(&v.2)).collect();
                if !words.is_empty() && words.len() == r.values.len() {
                    let mut sub: Vec<(f32, f32)> = words.iter().map(|w| (w.0, w.1)).collect();
                    sub.sort_by(|a, b| a.0.total_cmp(&b.0));
                    active = sub;
                }
                let mut placed: Vec<(usize, bool, String)> = r
                    .labels
                    .iter()
                    .map(|c| (label_col(c.0), true, c.2.clone()))
                    .collect();
                placed.sort_by_key(|p| p.0);
                let mut values: Vec<(usize, bool, String)> = vec![];
                let row = out.len();
                let mut value_cols = vec![];
                for v in &r.values {
                    let mut doubt = None;
                    let k = span_of(&active, v, &mut doubt);
                    value_cols.push(first_value + k);
                    if let Some(d) = doubt {
                        doubts.push((row, first_value + k, format!("“{}”一行：{d}", r.name())));
                    }
                    match values.iter_mut().find(|p| p.0 == first_value + k) {
                        Some(p) => {
                            let d = format!(
                                "“{}”一行的第 {} 列有两个数“{}”和“{}”，已连在一起",
                                r.name(),
                                k + 1,
                                p.2,
                                v.2.trim()
                            );
                            doubts.push((row, first_value + k, d));
                            p.2.push(' ');
                            p.2.push_str(v.2.trim());
                        }
                        None => values.push((first_value + k, false, v.2.trim().to_string())),
                    }
                }
                for (i, d) in r.doubts {
                    let col = value_cols.get(i).copied().unwrap_or(first_value);
                    doubts.push((row, col, d));
                }
                values.sort_by_key(|p| p.0);
                placed.extend(values);
                out.push(cells_of(placed));
            }
        }
        _ => {
            use crate::spec::format::{T2_AMOUNT_ROW, T2_COUNT_ROWS};
            for l in body {
                // 表二's one-figure rows cut from their header by a page break: the label
                // reaches to its figure (as its cell reached to the merged value cell).
                let one_figure = l.cells.len() >= 2
                    && l.cells[1..].iter().filter(|c| is_figure(&c.2)).count() == 1
                    && T2_COUNT_ROWS.iter().chain([T2_AMOUNT_ROW].iter()).any(|r| {
                        crate::input::suggest::normalize(r)
                            == crate::input::suggest::normalize(&l.cells[0].2)
                    });
                let mut placed: Vec<(usize, bool, String)> = l
                    .cells
                    .iter()
                    .map(|c| (col_of(c), false, c.2.clone()))
                    .collect();
                if one_figure {
                    if let [(label, ..), (figure, ..), ..] = placed.as_slice() {
                        if figure > label {
                            let k = *figure;
                            placed[0].0 = k - 1;
                        }
                    }
                }
                out.push(cells_of(placed));
            }
        }
    }
    out
}

/// The most label blocks a table may have for its rows to be found by them (a report's
/// largest table has some sixty).
const MAX_LABEL_BLOCKS: usize = 1_000;

/// One row of a table without rules: its labels (a row label, and the group labels that stand
/// beside its rows: `（三）不予公开` on its first item), its figures.
struct LabelRow {
    labels: Vec<(f32, f32, String)>,
    values: Vec<(f32, f32, String)>,
    top: f32,
    bottom: f32,
    /// Doubts about the row's figures: the figure's index in `values`, what is to be said.
    doubts: Vec<(usize, String)>,
}

impl LabelRow {
    /// The row's own label (the innermost), for messages.
    fn name(&self) -> String {
        self.labels
            .iter()
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|l| l.2.chars().take(30).collect())
            .unwrap_or_else(|| "（无标签）".into())
    }
}

/// The rows of a table's body found by its row labels. A label broken over lines is one label
/// while its text goes on beginning an official label and the next line does not start with a
/// number of its own; a label with others to its right on its lines is a group label, given to
/// the first row of its group (the nearest `1.` at or above it, else the first row beside it);
/// every other label is a row, and each figure goes to the row whose label lines hold its
/// middle, else the nearest (a doubt when two are as near). Figures with no row label near
/// them make rows of their own, line by line. None when the body has no labels to go by.
fn label_rows(
    body: &[&Line],
    size: f32,
    in_values: &dyn Fn(&(f32, f32, String)) -> bool,
) -> Option<Vec<LabelRow>> {
    struct Block {
        x0: f32,
        x1: f32,
        top: f32,
        bottom: f32,
        last_y: f32,
        text: String,
    }
    let mut blocks: Vec<Block> = vec![];
    for l in body {
        for c in label_cells(l).iter().filter(|c| !in_values(c)) {
            let go_on = if is_numbered(&c.2) {
                None
            } else {
                (0..blocks.len()).rev().take(24).find(|&k| {
                    let b = &blocks[k];
                    let dy = b.last_y - l.y;
                    // A label the export mangled (`其他法律行政止` over `公开`) goes on with a
                    // line set as close as a wrapped line that begins no label of its own.
                    let mangled = !begins_label(&b.text) && !begins_label(&c.2) && dy < 1.4 * size;
                    dy > 0.3 * size
                        && dy < 2.2 * size
                        && c.0 < b.x1
                        && c.1 > b.x0
                        && (begins_label(&format!("{}{}", b.text, c.2)) || mangled)
                })
            };
            match go_on {
                Some(k) => {
                    let b = &mut blocks[k];
                    b.text.push_str(c.2.trim());
                    b.x0 = b.x0.min(c.0);
                    b.x1 = b.x1.max(c.1);
                    b.bottom = l.y - 0.15 * l.size;
                    b.last_y = l.y;
                }
                None => {
                    if blocks.len() >= MAX_LABEL_BLOCKS {
                        return None;
                    }
                    blocks.push(Block {
                        x0: c.0,
                        x1: c.1,
                        top: l.y + 0.85 * l.size,
                        bottom: l.y - 0.15 * l.size,
                        last_y: l.y,
                        text: c.2.trim().to_string(),
                    })
                }
            }
        }
    }
    if blocks.is_empty() {
        return None;
    }
    let beside = |a: &Block, b: &Block| b.bottom < a.top && b.top > a.bottom;
    let group: Vec<bool> = (0..blocks.len())
        .map(|k| {
            let a = &blocks[k];
            blocks
                .iter()
                .enumerate()
                .any(|(j, b)| j != k && b.x0 >= a.x1 - 0.5 * size && beside(a, b))
        })
        .collect();
    let mut rows: Vec<LabelRow> = blocks
        .iter()
        .zip(&group)
        .filter(|(_, g)| !**g)
        .map(|(b, _)| LabelRow {
            labels: vec![(b.x0, b.x1, b.text.clone())],
            values: vec![],
            top: b.top,
            bottom: b.bottom,
            doubts: vec![],
        })
        .collect();
    rows.sort_by(|a, b| b.top.total_cmp(&a.top));
    let first_item = |t: &str| {
        let f = crate::input::suggest::fold_width(t);
        let mut c = f.trim().chars();
        c.next() == Some('1') && c.next().is_some_and(|n| !n.is_ascii_digit())
    };
    for (b, _) in blocks.iter().zip(&group).filter(|(_, g)| **g) {
        let right: Vec<usize> = (0..rows.len())
            .filter(|&r| rows[r].labels[0].0 > b.x0 + 0.5 * size)
            .collect();
        let at = right
            .iter()
            .copied()
            .filter(|&r| rows[r].top >= b.top - 0.5 * size)
            .rfind(|&r| first_item(&rows[r].labels[0].2))
            .or_else(|| {
                right
                    .iter()
                    .copied()
                    .find(|&r| rows[r].bottom < b.top && rows[r].top > b.bottom)
            });
        if let Some(r) = at {
            rows[r].labels.push((b.x0, b.x1, b.text.clone()));
        }
    }
    // Each figure to its row.
    let mut own: Vec<LabelRow> = vec![];
    for l in body {
        let m = l.y + 0.35 * l.size;
        for c in l.cells.iter().filter(|c| in_values(c)) {
            let gap = |r: &LabelRow| (r.bottom - m).max(m - r.top).max(0.0);
            // The rows run top to bottom: the few around the figure's height are the nearest.
            let at = rows.partition_point(|r| r.bottom > m);
            let mut order: Vec<usize> = (at.saturating_sub(4)..(at + 4).min(rows.len())).collect();
            order.sort_by(|&a, &b| {
                let (ga, gb) = (gap(&rows[a]), gap(&rows[b]));
                let mid = |r: &LabelRow| ((r.top + r.bottom) / 2.0 - m).abs();
                ga.total_cmp(&gb)
                    .then(mid(&rows[a]).total_cmp(&mid(&rows[b])))
            });
            match order.first().copied() {
                Some(r) if gap(&rows[r]) <= 1.2 * size => {
                    if let Some(&s) = order.get(1) {
                        let (g0, g1) = (gap(&rows[r]), gap(&rows[s]));
                        if g0 > 0.0 && g1 - g0 < 0.15 * size {
                            let d = format!(
                                "“{}”在“{}”和“{}”两行之间，已计入“{}”一行",
                                c.2.trim(),
                                rows[r].name(),
                                rows[s].name(),
                                rows[r].name()
                            );
                            let at = rows[r].values.len();
                            rows[r].doubts.push((at, d));
                        }
                    }
                    rows[r].values.push(c.clone());
                }
                _ => match own.last_mut() {
                    Some(o) if (o.top - (l.y + 0.85 * l.size)).abs() < 0.3 * size => {
                        o.values.push(c.clone())
                    }
                    _ => own.push(LabelRow {
                        labels: vec![],
                        values: vec![c.clone()],
                        top: l.y + 0.85 * l.size,
                        bottom: l.y - 0.15 * l.size,
                        doubts: vec![],
                    }),
                },
            }
        }
    }
    for o in &mut own {
        let seen: Vec<&str> = o.values.iter().map(|v| v.2.trim()).collect();
        o.doubts.push((
            0,
            format!(
                "“{}”旁边没有行标签，已单独作为一行",
                crate::input::number::cut(&seen.join(" "))
            ),
        ));
    }
    rows.extend(own);
    rows.sort_by(|a, b| b.top.total_cmp(&a.top));
    Some(rows)
}

/// Appends a page's blocks, joining a paragraph the page break cut (the last one unfinished,
/// the next page starting with text).
/// A table the page before ended in (`Page::last_cols`, its column rules `before`) goes on in the
/// page's first table (`page.first_cols`): both are first set on every column rule either has,
/// so their cells line up by where they stand, then joined.
pub(crate) fn append_page(blocks: &mut Vec<Block>, page: Page, before: Option<&[f32]>) {
    let first_cols = page.first_cols;
    let mut page = page.blocks.into_iter();
    if let Some(before) = before {
        if let (Some(Block::Table(last)), Some(Block::Table(_))) =
            (blocks.last_mut(), page.as_slice().first())
        {
            if let Some(Block::Table(mut next)) = page.next() {
                if let Some(after) = first_cols.as_deref() {
                    if let Some(all) = shared_columns(before, after) {
                        super::regrid(last, before, &all);
                        super::regrid(&mut next, after, &all);
                    }
                }
                super::join_across_page(last, next);
            }
        }
    }
    if let (Some(Block::Para(last)), Some(Block::Para(first))) =
        (blocks.last_mut(), page.as_slice().first())
    {
        if !last.ends_with(['。', '！', '？', '；', '：', '”']) {
            last.push_str(first);
            page.next();
        }
    }
    blocks.extend(page);
}

/// Every column rule of two parts of one table, when they share their outer edges (one
/// boundary where the two put rules within [`CLUSTER`] of each other).
fn shared_columns(a: &[f32], b: &[f32]) -> Option<Vec<f32>> {
    let (a0, a1, b0, b1) = (a.first()?, a.last()?, b.first()?, b.last()?);
    if (a0 - b0).abs() > CLUSTER || (a1 - b1).abs() > CLUSTER {
        return None;
    }
    Some(distinct(a.iter().chain(b).copied().collect()))
}

/// A straight line drawn on the page (a table's rule), in points.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seg {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
}

/// How close two rules must be to count as one (points).
const TOL: f32 = 1.5;
/// How far column rules must run past the outer row rule to make an open row (points): more
/// than a line's cap or join, less than a row of text.
const OPEN_ROW: f32 = 4.0;
/// The most rules a page may have for tables to be built from them.
const MAX_SEGS: usize = 20_000;

struct Ruled {
    /// Distinct y of the horizontal rules (top first) and x of the vertical ones.
    ys: Vec<f32>,
    xs: Vec<f32>,
    /// Anchor slot, rowspan, colspan of each cell.
    cells: Vec<(usize, usize, usize, usize)>,
    /// Slot → cell.
    slot: Vec<Vec<usize>>,
}

/// Rule positions closer than this are one boundary, named by the first: tables drawn with
/// cell spacing (`<table border="1" cellspacing="2">`, common on government sites) give every
/// cell its own box, so two parallel rules a few pixels apart stand between two cells. No
/// column or row of text is this narrow.
const CLUSTER: f32 = 4.0;

/// Whether a rule at `at` belongs to the boundary named `head` (see [`CLUSTER`]).
fn on_boundary(at: f32, head: f32) -> bool {
    at - head >= -TOL && at - head <= CLUSTER
}

fn distinct(mut v: Vec<f32>) -> Vec<f32> {
    v.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = vec![];
    for x in v {
        if out.last().is_none_or(|l| x - l > CLUSTER) {
            out.push(x);
        }
    }
    out
}

/// Collinear rules (position, from, to) that touch or overlap, joined into one. Pieces of one
/// rule lie within half a tolerance of each other across it. Sorting makes this O(n log n).
fn joined(mut rules: Vec<(f32, f32, f32)>) -> Vec<(f32, f32, f32)> {
    rules.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out: Vec<(f32, f32, f32)> = vec![];
    let mut i = 0;
    while i < rules.len() {
        let line = rules[i].0;
        let n = rules[i..]
            .iter()
            .take_while(|r| r.0 - line <= TOL / 2.0)
            .count();
        let group = &mut rules[i..i + n];
        group.sort_by(|a, b| a.1.total_cmp(&b.1));
        let first = out.len();
        for r in group.iter() {
            match out[first..].last_mut() {
                Some(o) if r.1 <= o.2 + TOL => o.2 = o.2.max(r.2),
                _ => out.push(*r),
            }
        }
        i += n;
    }
    out
}

fn find(p: &mut [usize], mut i: usize) -> usize {
    while p[i] != i {
        p[i] = p[p[i]];
        i = p[i];
    }
    i
}

/// The tables the rules draw: groups of crossing rules, their rows and columns, and the cells
/// where a rule between two slots is missing (merged cells).
fn ruled_tables(segs: &[Seg]) -> Vec<Ruled> {
    let mut h: Vec<(f32, f32, f32)> = vec![];
    let mut v: Vec<(f32, f32, f32)> = vec![];
    for s in segs.iter().take(MAX_SEGS) {
        if (s.y1 - s.y2).abs() < 1.0 && (s.x1 - s.x2).abs() > 2.0 {
            h.push((s.y1, s.x1.min(s.x2), s.x1.max(s.x2)));
        } else if (s.x1 - s.x2).abs() < 1.0 && (s.y1 - s.y2).abs() > 2.0 {
            v.push((s.x1, s.y1.min(s.y2), s.y1.max(s.y2)));
        }
    }
    // A rule drawn in pieces (browsers draw each cell's border, split at every column even
    // inside a spanning cell) is one rule: a piece that crosses no other rule still counts.
    let h = joined(h);
    let v = joined(v);
    // Rules that cross or touch belong to one table.
    let n = h.len() + v.len();
    let mut p: Vec<usize> = (0..n).collect();
    for (i, a) in h.iter().enumerate() {
        for (j, b) in v.iter().enumerate() {
            if b.0 >= a.1 - TOL && b.0 <= a.2 + TOL && a.0 >= b.1 - TOL && a.0 <= b.2 + TOL {
                let (x, y) = (find(&mut p, i), find(&mut p, h.len() + j));
                p[x] = y;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<usize>, Vec<usize>)> =
        Default::default();
    for i in 0..h.len() {
        let r = find(&mut p, i);
        groups.entry(r).or_default().0.push(i);
    }
    for j in 0..v.len() {
        let r = find(&mut p, h.len() + j);
        groups.entry(r).or_default().1.push(j);
    }
    let mut out = vec![];
    for (_, (hi, vi)) in groups {
        let mut ys = distinct(hi.iter().map(|&i| h[i].0).collect());
        ys.reverse();
        let xs = distinct(vi.iter().map(|&j| v[j].0).collect());
        // A table cut by a page break may leave its last row open: the column rules run on
        // below the last row rule to the page's foot (WPS, Word). That row is closed where
        // the column rules end, and the table continues on the next page.
        if let (Some(&last), Some(low)) =
            (ys.last(), vi.iter().map(|&j| v[j].1).min_by(f32::total_cmp))
        {
            if low < last - OPEN_ROW {
                ys.push(low);
            }
        }
        if let (Some(&first), Some(high)) = (
            ys.first(),
            vi.iter().map(|&j| v[j].2).max_by(f32::total_cmp),
        ) {
            if high > first + OPEN_ROW {
                ys.insert(0, high);
            }
        }
        if ys.len() < 2 || xs.len() < 2 || ys.len() > 400 || xs.len() > 100 {
            continue;
        }
        let (rows, cols) = (ys.len() - 1, xs.len() - 1);
        // One box around everything is a frame, not a table.
        if rows * cols < 2 {
            continue;
        }
        let has_v = |x: f32, y: f32| {
            vi.iter()
                .any(|&j| on_boundary(v[j].0, x) && y >= v[j].1 - TOL && y <= v[j].2 + TOL)
        };
        let has_h = |y: f32, x: f32| {
            hi.iter()
                .any(|&i| on_boundary(h[i].0, y) && x >= h[i].1 - TOL && x <= h[i].2 + TOL)
        };
        let mut q: Vec<usize> = (0..rows * cols).collect();
        for r in 0..rows {
            let ym = (ys[r] + ys[r + 1]) / 2.0;
            for c in 0..cols {
                let xm = (xs[c] + xs[c + 1]) / 2.0;
                if c + 1 < cols && !has_v(xs[c + 1], ym) {
                    let (a, b) = (find(&mut q, r * cols + c), find(&mut q, r * cols + c + 1));
                    q[a] = b;
                }
                if r + 1 < rows && !has_h(ys[r + 1], xm) {
                    let (a, b) = (find(&mut q, r * cols + c), find(&mut q, (r + 1) * cols + c));
                    q[a] = b;
                }
            }
        }
        let mut index: std::collections::HashMap<usize, usize> = Default::default();
        let mut cells: Vec<(usize, usize, usize, usize)> = vec![];
        let mut slot = vec![vec![0usize; cols]; rows];
        for (r, slots) in slot.iter_mut().enumerate() {
            for (c, s) in slots.iter_mut().enumerate() {
                let root = find(&mut q, r * cols + c);
                let k = *index.entry(root).or_insert_with(|| {
                    cells.push((r, c, r, c));
                    cells.len() - 1
                });
                let e = &mut cells[k];
                e.2 = e.2.max(r);
                e.3 = e.3.max(c);
                *s = k;
            }
        }
        let cells = cells
            .into_iter()
            .map(|(r, c, r2, c2)| (r, c, r2 - r + 1, c2 - c + 1))
            .collect();
        out.push(Ruled {
            ys,
            xs,
            cells,
            slot,
        });
    }
    out
}

/// What one page holds.
pub(crate) struct Page {
    pub blocks: Vec<Block>,
    /// What is to be said of the tables guessed from the text's columns (no rules drawn).
    pub guessed: Guessed,
    /// The column rules' positions of the page's first block and of its last, when each is a
    /// table drawn with rules (nothing after the last but the page number). A table the page
    /// ends in goes on in a table the next page starts with: two tables of a report always
    /// have a heading between them. The two parts are joined by these positions.
    pub first_cols: Option<Vec<f32>>,
    pub last_cols: Option<Vec<f32>>,
}

/// The blocks of one page: tables drawn with rules read cell by cell, the text around them as
/// paragraphs (and, where no rules are drawn, tables guessed from the text's columns).
/// Also holds what is to be said of the tables guessed from the text's columns (no rules
/// drawn): where each starts, the figures placed with doubt.
pub(crate) fn page_blocks(mut runs: Vec<Run>, segs: &[Seg]) -> Page {
    let mut guessed = Guessed::default();
    for r in &mut runs {
        if !r.text.is_ascii() {
            r.text = unradical(&r.text);
        }
    }
    let mut tables = ruled_tables(segs);
    tables.sort_by(|a, b| b.ys[0].total_cmp(&a.ys[0]));
    let mut texts: Vec<Vec<Vec<Run>>> =
        tables.iter().map(|t| vec![vec![]; t.cells.len()]).collect();
    let mut free = vec![];
    for r in runs {
        let (xm, ym) = ((r.x + r.end) / 2.0, r.y + 0.3 * r.size);
        let hit = tables.iter().enumerate().find_map(|(k, t)| {
            let c = t.xs.windows(2).position(|w| xm >= w[0] && xm <= w[1])?;
            let row = t.ys.windows(2).position(|w| ym <= w[0] && ym >= w[1])?;
            Some((k, t.slot[row][c]))
        });
        match hit {
            Some((k, cell)) => texts[k][cell].push(r),
            None => free.push(r),
        }
    }
    let mut out = vec![];
    // Where the first table drawn with rules stands among the page's blocks.
    let mut first_at: Option<usize> = None;
    for (k, t) in tables.iter().enumerate() {
        let top = t.ys[0];
        let (above, rest): (Vec<Run>, Vec<Run>) = free.into_iter().partition(|r| r.y > top);
        free = rest;
        out.extend(blocks(above, &mut guessed));
        let rows = t.ys.len() - 1;
        let mut grid: Vec<Vec<Cell>> = vec![vec![]; rows];
        let mut order: Vec<usize> = (0..t.cells.len()).collect();
        order.sort_by_key(|&i| (t.cells[i].0, t.cells[i].1));
        for i in order {
            let (r, _, rs, cs) = t.cells[i];
            let mut runs = std::mem::take(&mut texts[k][i]);
            runs.sort_by(|a, b| {
                if (a.y - b.y).abs() > 0.35 * a.size.max(b.size) {
                    b.y.total_cmp(&a.y)
                } else {
                    a.x.total_cmp(&b.x)
                }
            });
            let mut text = String::new();
            let mut end: Option<(f32, f32)> = None;
            for r in runs {
                // A space between two words apart on one line, none between glyphs that touch.
                let apart = end
                    .is_none_or(|(e, y)| (r.y - y).abs() > 0.35 * r.size || r.x - e > 0.2 * r.size);
                if apart
                    && text
                        .chars()
                        .last()
                        .is_some_and(|c| c.is_ascii_alphanumeric())
                    && r.text.starts_with(|c: char| c.is_ascii_alphanumeric())
                {
                    text.push(' ');
                }
                text.push_str(r.text.trim());
                end = Some((r.end, r.y));
            }
            grid[r].push(Cell {
                text,
                rowspan: rs as u32,
                colspan: cs as u32,
                doubt: None,
            });
        }
        first_at.get_or_insert(out.len());
        out.push(Block::Table(grid));
    }
    // The page starts with its first table drawn with rules when no text stood above it.
    let first_cols = (first_at == Some(0))
        .then(|| tables.first().map(|t| t.xs.clone()))
        .flatten();
    let tail = blocks(free, &mut guessed);
    // A table the page ends in (its last row left open, or closed by a browser that draws
    // every cell's border) goes on in a table the next page starts with: two tables of a
    // report always have a heading between them.
    let last_cols = tables
        .last()
        .filter(|_| tail.is_empty())
        .map(|t| t.xs.clone());
    out.extend(tail);
    Page {
        blocks: out,
        guessed,
        first_cols,
        last_cols,
    }
}

/// The IMPORT warning for a page whose tables were guessed from the text's positions, naming
/// where each table starts so the reader can find it, and how many figures were placed with
/// doubt (each said at its cell, see `Cell::doubt`).
pub(crate) fn unruled(page_no: usize, guessed: &Guessed) -> Vec<crate::diag::Diagnostic> {
    use crate::diag::{Diagnostic, Rule};
    let starts = &guessed.starts;
    if starts.is_empty() {
        return vec![];
    }
    let quoted: Vec<String> = starts.iter().map(|t| format!("“{t}”")).collect();
    let doubtful = match guessed.doubts.len() {
        0 => String::new(),
        n => format!("；其中 {n} 个数的位置有疑问，已在各自的单元格处说明"),
    };
    vec![Diagnostic::warning(
        Rule::Import,
        format!(
            "第 {page_no} 页有 {} 个表格没有画出表格线（{}从{}开始）：单元格是按文字的位置推断的，合并单元格可能没有认出，请核对各数所在的行和列{doubtful}",
            starts.len(),
            if starts.len() > 1 { "分别" } else { "" },
            quoted.join("、")
        ),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run of ten-point text, each character ten points wide.
    fn run(x: f32, y: f32, text: &str) -> Run {
        Run {
            x,
            end: x + 10.0 * text.chars().count() as f32,
            y,
            size: 10.0,
            text: text.into(),
        }
    }

    /// The one table of the runs, each row's texts (blanks left out) with each text's column.
    fn table(runs: Vec<Run>) -> (Vec<Vec<(u32, String)>>, Guessed) {
        let mut guessed = Guessed::default();
        let blocks = blocks(runs, &mut guessed);
        let tables: Vec<&Vec<Vec<Cell>>> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                Block::Para(_) => None,
            })
            .collect();
        assert_eq!(tables.len(), 1, "{blocks:#?}");
        let rows = tables[0]
            .iter()
            .map(|row| {
                let mut col = 0;
                let mut out = vec![];
                for c in row {
                    if !c.text.is_empty() {
                        out.push((col, c.text.clone()));
                    }
                    col += c.colspan;
                }
                out
            })
            .collect();
        (rows, guessed)
    }

    fn texts(row: &[(u32, String)]) -> Vec<&str> {
        row.iter().map(|(_, t)| t.as_str()).collect()
    }

    #[test]
    fn rows_are_found_by_their_labels_lines() {
        let (rows, guessed) = table(vec![
            run(50.0, 700.0, "项目"),
            run(300.0, 700.0, "自然人"),
            run(400.0, 700.0, "总计"),
            run(50.0, 680.0, "一、本年新收政府信息公开申请数量"),
            run(312.0, 680.0, "5"),
            run(407.0, 680.0, "5"),
            // A label wrapped over two lines, its figures set between them.
            run(100.0, 660.0, "（二）部分公开（区分处理的，"),
            run(100.0, 648.0, "只计这一情形，不计其他情形）"),
            run(312.0, 654.0, "3"),
            run(407.0, 654.0, "3"),
            // A group label wrapped and set in the middle of its items.
            run(100.0, 636.0, "1.属于国家秘密"),
            run(60.0, 630.0, "（三）"),
            run(100.0, 624.0, "2.其他法律行政法规禁止公开"),
            run(312.0, 624.0, "2"),
            run(50.0, 618.0, "不予公开"),
            run(100.0, 612.0, "3.危及“三安全一稳定”"),
        ]);
        let all: Vec<Vec<&str>> = rows.iter().map(|r| texts(r)).collect();
        assert_eq!(
            all,
            vec![
                vec!["项目", "自然人", "总计"],
                vec!["一、本年新收政府信息公开申请数量", "5", "5"],
                vec![
                    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
                    "3",
                    "3"
                ],
                vec!["（三）不予公开", "1.属于国家秘密"],
                vec!["2.其他法律行政法规禁止公开", "2"],
                vec!["3.危及“三安全一稳定”"],
            ]
        );
        // Each figure under its column's label.
        let col = |r: usize, t: &str| rows[r].iter().find(|(_, x)| x == t).map(|(c, _)| *c);
        assert_eq!(col(4, "2"), col(0, "自然人"));
        assert_eq!(rows[1][2].0, col(0, "总计").unwrap());
        assert!(guessed.doubts.is_empty(), "{:?}", guessed.doubts);
        assert_eq!(guessed.starts, vec!["项目".to_string()]);
    }

    #[test]
    fn a_figure_as_near_two_rows_is_a_doubt() {
        let (rows, guessed) = table(vec![
            run(50.0, 700.0, "信息内容"),
            run(300.0, 700.0, "本年"),
            run(50.0, 680.0, "规章"),
            run(50.0, 660.0, "行政许可"),
            run(305.0, 670.0, "7"),
        ]);
        assert_eq!(texts(&rows[1]), vec!["规章", "7"]);
        assert_eq!(guessed.doubts.len(), 1, "{:?}", guessed.doubts);
        let d = &guessed.doubts[0];
        for said in ["“7”", "“规章”", "“行政许可”", "两行之间", "“信息内容”"]
        {
            assert!(d.contains(said), "{said} in {d}");
        }
        // Said at its cell.
        let mut guessed = Guessed::default();
        let blocks = blocks(
            vec![
                run(50.0, 700.0, "信息内容"),
                run(300.0, 700.0, "本年"),
                run(50.0, 680.0, "规章"),
                run(50.0, 660.0, "行政许可"),
                run(305.0, 670.0, "7"),
            ],
            &mut guessed,
        );
        let Block::Table(t) = &blocks[0] else {
            panic!("{blocks:#?}")
        };
        let cell = t[1].iter().find(|c| c.text == "7").unwrap();
        assert!(cell.doubt.as_ref().is_some_and(|d| d.contains("两行之间")));
        assert_eq!(t.iter().flatten().filter(|c| c.doubt.is_some()).count(), 1);
        let w = unruled(3, &guessed);
        assert_eq!(w.len(), 1);
        assert!(
            w[0].message.contains("1 个数的位置有疑问"),
            "{}",
            w[0].message
        );
    }

    #[test]
    fn figures_with_no_row_label_near_them_are_a_row_and_a_doubt() {
        let (rows, guessed) = table(vec![
            run(50.0, 720.0, "信息内容"),
            run(300.0, 720.0, "本年"),
            run(50.0, 700.0, "规章"),
            run(305.0, 700.0, "3"),
            run(305.0, 672.0, "9"),
            run(50.0, 650.0, "行政许可"),
            run(305.0, 650.0, "4"),
        ]);
        let all: Vec<Vec<&str>> = rows.iter().map(|r| texts(r)).collect();
        assert_eq!(
            all,
            vec![
                vec!["信息内容", "本年"],
                vec!["规章", "3"],
                vec!["9"],
                vec!["行政许可", "4"]
            ]
        );
        assert_eq!(guessed.doubts.len(), 1, "{:?}", guessed.doubts);
        assert!(guessed.doubts[0].contains("“9”旁边没有行标签"));
    }

    #[test]
    fn a_mangled_label_wrapped_over_two_lines_is_one_row() {
        let (rows, _) = table(vec![
            run(50.0, 700.0, "项目"),
            run(300.0, 700.0, "自然人"),
            run(100.0, 680.0, "1.属于国家秘密"),
            run(100.0, 664.0, "2.其他法律行政止"),
            run(100.0, 651.0, "公开"),
            run(312.0, 657.0, "4"),
            run(100.0, 635.0, "3.危及“三安全一稳定”"),
        ]);
        let all: Vec<Vec<&str>> = rows.iter().map(|r| texts(r)).collect();
        assert_eq!(
            all,
            vec![
                vec!["项目", "自然人"],
                vec!["1.属于国家秘密"],
                vec!["2.其他法律行政止公开", "4"],
                vec!["3.危及“三安全一稳定”"],
            ]
        );
    }

    #[test]
    fn a_heading_between_two_tables_is_not_taken_into_them() {
        let mut guessed = Guessed::default();
        let blocks = blocks(
            vec![
                run(50.0, 700.0, "规章"),
                run(305.0, 700.0, "3"),
                run(50.0, 680.0, "四、政府信息公开行政复议、行政诉讼情况"),
                run(50.0, 660.0, "行政复议"),
                run(300.0, 660.0, "行政诉讼"),
            ],
            &mut guessed,
        );
        assert!(
            matches!(&blocks[1], Block::Para(p) if p.starts_with("四、")),
            "{blocks:#?}"
        );
    }

    #[test]
    fn numbered_lines() {
        for t in [
            "一、总体情况",
            "（二）依申请公开",
            "(三)其他",
            "1.属于国家秘密",
            "12、重复申请",
        ] {
            assert!(starts_item(t), "{t}");
        }
        for t in ["2023年，我局", "一是加强", "（本列数据的勾稽关系", "100%"] {
            assert!(!starts_item(t), "{t}");
        }
    }
}
