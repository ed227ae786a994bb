//! The house style: GB/T 9704-2012 (党政机关公文格式) as these reports apply it. Every
//! renderer takes its page, grid, faces, sizes, 落款 and metadata date from here; each only
//! converts the units (points for the paged layout, twips and half-points for Word).
//!
//! Lengths are in millimetres (`*_MM`) or points (`*_PT`).

use super::date::Date;
use super::format::{TableGrid, TableId};

/// Points per millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;

// --- The page (§5.2) --------------------------------------------------------------------------

/// A4.
pub const PAGE_W_MM: f32 = 210.0;
pub const PAGE_H_MM: f32 = 297.0;
/// 天头 (top margin) 37 mm.
pub const MARGIN_TOP_MM: f32 = 37.0;
/// 订口 (left margin) 28 mm.
pub const MARGIN_LEFT_MM: f32 = 28.0;
/// 版心 156 × 225 mm.
pub const BLOCK_W_MM: f32 = 156.0;
pub const BLOCK_H_MM: f32 = 225.0;
/// What is left right of and below the block (26 mm, 35 mm).
pub const MARGIN_RIGHT_MM: f32 = PAGE_W_MM - MARGIN_LEFT_MM - BLOCK_W_MM;
pub const MARGIN_BOTTOM_MM: f32 = PAGE_H_MM - MARGIN_TOP_MM - BLOCK_H_MM;
/// 一般每面排22行，每行排28个字，并撑满版心 (§5.2.3).
pub const LINES_PER_PAGE: usize = 22;
pub const CHARS_PER_LINE: usize = 28;
/// The line pitch of the 22 lines: 28.95 pt, the "固定值 28.95 磅" of 公文 Word templates —
/// 579 twips, the whole number of twips that puts 22 lines in the 225 mm block (28.99 pt would
/// be exact; Word cannot set it, and one pitch in every format keeps their pages alike).
pub const LINE_PITCH_PT: f32 = 579.0 / 20.0;
/// The tighter line pitch GB/T 9704 §7.3.5.1 allows (调整行距) so that the end of the text and
/// the 落款 share a page rather than leave a last page of a few lines: 27.5 pt (550 twips), 5 %
/// under the grid's, used only after the last table of the page before the last.
pub const TIGHT_PITCH_PT: f32 = 27.5;
/// The character pitch that puts 28 characters in a line (15.79 pt).
pub const CHAR_PITCH_PT: f32 = BLOCK_W_MM * PT_PER_MM / CHARS_PER_LINE as f32;
/// Page numbers: 一字线上距版心下边缘7mm (§7.5).
pub const FOLIO_BELOW_BLOCK_MM: f32 = 7.0;
/// 单页码居右空一字，双页码居左空一字 (§7.5), in characters of the folio size.
pub const FOLIO_INSET_CHARS: f32 = 1.0;
/// Space between Chinese characters and Latin letters or digits, in ems (Word's and
/// LibreOffice's default autospace).
pub const LATIN_GAP_EM: f32 = 0.25;
/// 首行缩进二字.
pub const INDENT_CHARS: f32 = 2.0;

/// The page number as printed: `— 3 —` (四号半角宋体阿拉伯数字，数字左右各放一条一字线).
pub fn folio(n: usize) -> String {
    format!("— {n} —")
}

/// Whether page `n` (1-based) carries its number on the right (odd pages) or on the left.
pub fn folio_on_right(n: usize) -> bool {
    n % 2 == 1
}

// --- Faces ------------------------------------------------------------------------------------

/// A role in the document, named after the official face that sets it. Word and Excel write the
/// official name; the fixed layouts resolve it to a font file (official when the machine has
/// it, else the bundled free face).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    /// 仿宋_GB2312: body text, the date under the title, the 落款.
    Fang,
    /// 黑体: first-level headings (一、).
    Hei,
    /// 楷体_GB2312: run-in second-level headings (（一）), the corner note of table 三.
    Kai,
    /// 宋体: tables, page numbers.
    Song,
    /// 方正小标宋简体: the title.
    Title,
    /// Times New Roman: digits and Latin letters.
    Latin,
    /// Noto Serif CJK SC: characters the face itself lacks (not an official face).
    Fallback,
}

impl Face {
    pub const ALL: [Face; 7] = [
        Face::Fang,
        Face::Hei,
        Face::Kai,
        Face::Song,
        Face::Title,
        Face::Latin,
        Face::Fallback,
    ];

    /// The face that sets digits and Latin letters within text of this face: Times New Roman,
    /// except in the title, whose bold face draws its own (a regular Times New Roman beside bold
    /// characters looks wrong, and the built-in set has no bold Times).
    pub const fn latin(self) -> Face {
        match self {
            Face::Title => Face::Title,
            _ => Face::Latin,
        }
    }

    /// The face of an official font name (the inverse of [`Face::official_name`]).
    pub fn of_official_name(name: &str) -> Option<Face> {
        Face::ALL.into_iter().find(|f| f.official_name() == name)
    }

    /// The official name, as Word and Excel files name the font.
    pub const fn official_name(self) -> &'static str {
        match self {
            Face::Fang => "仿宋_GB2312",
            Face::Hei => "黑体",
            Face::Kai => "楷体_GB2312",
            Face::Song => "宋体",
            Face::Title => "方正小标宋简体",
            Face::Latin => "Times New Roman",
            Face::Fallback => "Noto Serif CJK SC",
        }
    }
}

// --- Sizes (points) ---------------------------------------------------------------------------

/// 二号: the title.
pub const TITLE_PT: f32 = 22.0;
/// 三号: body text, headings, the 落款.
pub const BODY_PT: f32 = 16.0;
/// 四号: page numbers.
pub const FOLIO_PT: f32 = 14.0;
/// 五号, 小五, 六号: table text steps down until the widest number fits its column.
pub const TABLE_PT: [f32; 3] = [10.5, 9.0, 7.5];

// --- Tables --------------------------------------------------------------------------------------

/// The line pitch of table text in the pages, in ems (Word's single spacing; the pages give
/// Word their row heights).
pub const TABLE_LEADING: f32 = 1.25;

/// Left and right padding of a table cell, in every format: room for five digits in each of
/// table 三's seven narrow data columns (Word's default 1.9 mm leaves too little).
pub const CELL_PAD_X_MM: f32 = 1.2;
/// Top and bottom padding of a table cell: table 三's 28 rows are set tight so that it fits on
/// one page; the other tables have room to breathe.
pub const fn cell_pad_y_mm(table: TableId) -> f32 {
    if matches!(table, TableId::T3) {
        0.5
    } else {
        1.0
    }
}

// --- Table typesetting ----------------------------------------------------------------------
// How the official tables are set (the format fixes their cells; these are the house's choices:
// proportions, where labels may break, where a table may break across pages).

/// Grid proportions of table 二: four equal columns.
pub const T2_COLUMN_WEIGHTS: [f32; 4] = [1.0, 1.0, 1.0, 1.0];

/// Grid proportions of table 三 (the template's twips 754 | 921 | 3271 | 685 × 7, with the first
/// two columns widened from the item column so that `本年度` and `不予公开` stay on one line at
/// 五号, and the 自然人 column wider than the other six so that `自然人` stays whole at 小五).
pub const T3_COLUMN_WEIGHTS: [f32; 10] = [
    860.0, 1110.0, 2976.0, 760.0, 672.5, 672.5, 672.5, 672.5, 672.5, 672.5,
];

/// Grid proportions of table 四: fifteen equal columns.
pub const T4_COLUMN_WEIGHTS: [f32; 15] = [1.0; 15];

/// The grid proportions of a table.
pub fn column_weights(table: TableId) -> &'static [f32] {
    match table {
        TableId::T2 => &T2_COLUMN_WEIGHTS,
        TableId::T3 => &T3_COLUMN_WEIGHTS,
        TableId::T4 => &T4_COLUMN_WEIGHTS,
    }
}

/// Room a cell needs beyond its text: the padding on both sides, and a point for the space
/// Word and LibreOffice may add between Chinese and Latin text.
fn cell_room_pt() -> f32 {
    2.0 * CELL_PAD_X_MM * PT_PER_MM + 1.0
}

/// The set width of `text` at `size` points as the house faces set it: a Chinese character one
/// em, digits and Latin letters half an em (Times New Roman), `.` and `,` a quarter.
pub fn label_width(text: &str, size: f32) -> f32 {
    text.chars()
        .map(|c| match c {
            '.' | ',' | ' ' => 0.25,
            c if c.is_ascii() => 0.5,
            _ => 1.0,
        })
        .sum::<f32>()
        * size
}

/// The column widths of a table whose cells hold `texts` (by cell index), set at `size` points
/// in a block `total` points wide: the house proportions ([`column_weights`]), with each column
/// widened to what must stay on one line in it — every number (a number never breaks) and the
/// longest word of its labels (`自然人`) — taking the room from columns that have some to spare.
/// `None` when the table cannot hold its numbers and words at this size: a smaller size is
/// needed. Pages, Word and the web page take their widths from here.
pub fn table_column_widths(
    grid: &TableGrid,
    texts: &[String],
    size: f32,
    total: f32,
) -> Option<Vec<f32>> {
    let weights = column_weights(grid.id);
    let sum: f32 = weights.iter().sum();
    let mut widths: Vec<f32> = weights.iter().map(|w| w / sum * total).collect();
    let mut need = vec![0.0f32; widths.len()];
    for (i, cell) in grid.cells.iter().enumerate() {
        if cell.colspan != 1 || cell.col >= need.len() {
            continue;
        }
        let text = texts.get(i).map(String::as_str).unwrap_or("");
        let chars: Vec<char> = text.chars().collect();
        let whole = match cell.content {
            super::format::Content::Value(_) => label_width(text, size),
            super::format::Content::Text(_) => {
                // The widest word that must not break (a label breaks between words).
                let glue = word_glue(&chars);
                let (mut widest, mut run) = (0.0f32, String::new());
                for (c, g) in chars.iter().zip(glue) {
                    run.push(*c);
                    if !g {
                        widest = widest.max(label_width(&run, size));
                        run.clear();
                    }
                }
                widest
            }
        };
        need[cell.col] = need[cell.col].max(whole + cell_room_pt());
    }
    if need.iter().sum::<f32>() > total + 0.01 {
        return None;
    }
    let mut excess = 0.0;
    for (w, n) in widths.iter_mut().zip(&need) {
        if *n > *w {
            excess += *n - *w;
            *w = *n;
        }
    }
    if excess > 0.0 {
        let spare: f32 = widths
            .iter()
            .zip(&need)
            .map(|(w, n)| (w - n).max(0.0))
            .sum();
        let share = (excess / spare).min(1.0);
        for (w, n) in widths.iter_mut().zip(&need) {
            *w -= (*w - n).max(0.0) * share;
        }
    }
    Some(widths)
}

/// The words of the official tables' labels that a line must not break inside (`本年度`,
/// `办理`, `结果`: `三、本年度/办理结果`, never `三、本/年度办`). Chinese has no spaces to show
/// where a word ends, so the format lists them, once, for every renderer.
pub const LABEL_WORDS: &[&str] = &[
    // Table 二.
    "第二十条",
    "信息内容",
    "本年",
    "制发",
    "废止",
    "现行有效",
    "件数",
    "处理决定",
    "数量",
    "收费",
    "金额",
    "单位",
    "万元",
    "规章",
    "规范性",
    "文件",
    "行政",
    "许可",
    "处罚",
    "强制",
    "事业性",
    // Table 三.
    "本列",
    "数据",
    "勾稽",
    "关系",
    "第一项",
    "第二项",
    "第三项",
    "第四项",
    "之和",
    "等于",
    "申请人",
    "情况",
    "法人",
    "其他",
    "组织",
    "自然人",
    "商业",
    "企业",
    "科研",
    "机构",
    "社会",
    "公益",
    "法律",
    "服务",
    "总计",
    "本年新收",
    "上年结转",
    "政府信息",
    "公开",
    "申请",
    "本年度",
    "办理",
    "结果",
    "予以",
    "部分",
    "区分",
    "处理",
    "只计",
    "这一",
    "情形",
    "不计",
    "不予",
    "属于",
    "国家秘密",
    "法规",
    "禁止",
    "危及",
    "三安全一稳定",
    "保护",
    "第三方",
    "合法权益",
    "三类",
    "内部事务",
    "信息",
    "四类",
    "过程性",
    "执法",
    "案卷",
    "查询",
    "事项",
    "无法",
    "提供",
    "本机关",
    "不掌握",
    "相关",
    "没有",
    "现成",
    "需要",
    "另行",
    "制作",
    "补正",
    "内容",
    "仍不",
    "明确",
    "信访",
    "举报",
    "投诉",
    "重复",
    "要求",
    "出版物",
    "无正当理由",
    "大量",
    "反复",
    "机关",
    "确认",
    "重新",
    "出具",
    "已获取",
    "逾期",
    "不补正",
    "不再",
    "未按",
    "通知",
    "缴纳",
    "费用",
    "结转",
    "下年度",
    "继续",
    // Table 四.
    "复议",
    "诉讼",
    "未经",
    "直接",
    "起诉",
    "维持",
    "纠正",
    "尚未",
    "审结",
];

/// For each character of `text`, whether the line must not break after it because it and the
/// next are one word of [`LABEL_WORDS`] (the longest word that starts at a place wins).
pub fn word_glue(chars: &[char]) -> Vec<bool> {
    // The words as characters, by their first character: built once, looked up per character.
    type Words = std::collections::HashMap<char, Vec<Vec<char>>>;
    static WORDS: std::sync::OnceLock<Words> = std::sync::OnceLock::new();
    let words = WORDS.get_or_init(|| {
        let mut m = Words::new();
        for w in LABEL_WORDS {
            let cs: Vec<char> = w.chars().collect();
            if let Some(&first) = cs.first() {
                m.entry(first).or_default().push(cs);
            }
        }
        m
    });
    let mut glue = vec![false; chars.len()];
    let mut i = 0;
    while i < chars.len() {
        let longest = words
            .get(&chars[i])
            .into_iter()
            .flatten()
            .filter(|w| chars[i..].starts_with(w))
            .map(Vec::len)
            .max()
            .unwrap_or(1);
        for g in &mut glue[i..i + longest - 1] {
            *g = true;
        }
        i += longest;
    }
    glue
}

/// How many characters of `chars` are a numbering prefix (`（三）`, `三、`, `1.`, `2．`): a label
/// that must wrap breaks after it (`（三）` / `不予公开`).
pub fn numbering_prefix(chars: &[char]) -> usize {
    let numeral = |c: char| "一二三四五六七八九十百零".contains(c) || c.is_ascii_digit();
    if matches!(chars.first(), Some('（' | '(')) {
        let n = chars.iter().take_while(|&&c| c != '）' && c != ')').count();
        return if n > 1 && n < chars.len() && chars[1..n].iter().all(|&c| numeral(c)) {
            n + 1
        } else {
            0
        };
    }
    let k = chars.iter().take_while(|&&c| numeral(c)).count();
    if k > 0 && matches!(chars.get(k), Some('、' | '.' | '．')) {
        k + 1
    } else {
        0
    }
}

/// Longest merged group of rows kept on one page (（三）不予公开 has 8 rows).
pub const MAX_KEPT_GROUP: usize = 8;
/// Rows a longer group keeps together at its start, for its label.
pub const LABEL_ROWS: usize = 3;

/// Which rows keep with the next one, so a table breaks across pages only where a reader
/// expects it — the one rule of the pages (PDF, OFD) and of Word (`keepNext`):
/// - a table of blocks (table 二: full-width block titles) breaks only between blocks;
/// - a small table (table 四) stays whole;
/// - a long table (table 三) never breaks before the end of its first merged group (it opens
///   with its header, 一、二、（一）（二） and the whole of （三）), nor inside a merged group
///   of up to [`MAX_KEPT_GROUP`] rows (（三）不予公开 … （六）其他处理), nor within the
///   first [`LABEL_ROWS`] rows of a longer one.
pub fn rows_kept_with_next(grid: &TableGrid) -> Vec<bool> {
    const SMALL: usize = 16;
    let n = grid.rows;
    let full_width = |r: usize| grid.row_cells(r).any(|c| c.colspan == grid.columns());
    let mut keep = vec![false; n];
    if (0..n).any(full_width) {
        for (r, k) in keep.iter_mut().enumerate().take(n.saturating_sub(1)) {
            *k = !full_width(r + 1);
        }
    } else if n <= SMALL {
        keep.iter_mut().for_each(|k| *k = true);
    } else {
        for k in keep.iter_mut().take(grid.header_rows + 1) {
            *k = true;
        }
        for c in grid.cells.iter().filter(|c| c.rowspan >= 2) {
            // A longer group (三、本年度办理结果) keeps its first rows together, so that
            // where it breaks its label has room on the first page.
            let kept = if c.rowspan <= MAX_KEPT_GROUP {
                c.rowspan - 1
            } else {
                LABEL_ROWS
            };
            for k in &mut keep[c.row..c.row + kept] {
                *k = true;
            }
        }
        // A long table opens with enough of it to read (its header, the rows before the first
        // group and that whole group: 一、二、（一）（二）（三） of table 三), never as a stub
        // of its header and two rows at a page foot: where they do not fit, it starts on the
        // next page.
        let first_group = grid
            .cells
            .iter()
            .filter(|c| c.row >= grid.header_rows && (2..=MAX_KEPT_GROUP).contains(&c.rowspan))
            .map(|c| c.row + c.rowspan - 1)
            .min();
        if let Some(end) = first_group {
            for k in keep.iter_mut().take(end) {
                *k = true;
            }
        }
    }
    if let Some(last) = keep.last_mut() {
        *last = false;
    }
    keep
}

// --- Title block -----------------------------------------------------------------------------------

/// The pitch of the title's lines: 二号 needs more than the body's grid line (28.99 pt would
/// crowd two title lines), so they stand 35 pt apart.
pub const TITLE_PITCH_PT: f32 = 35.0;

/// The space under a title of `lines` lines that brings what follows back onto the body's
/// line grid (the date, or the blank line): the title block is a whole number of grid lines,
/// so the body's lines stand at the same place in every format.
pub fn title_gap(lines: usize, line_pitch: f32) -> f32 {
    let h = lines as f32 * TITLE_PITCH_PT;
    let grid = (h / line_pitch - 1e-3).ceil() * line_pitch;
    (grid - h).max(0.0)
}

// --- Title lines -----------------------------------------------------------------------------------

/// How many 二号 characters a title line holds (20 in the 156 mm block).
pub const TITLE_CHARS: usize = (BLOCK_W_MM * PT_PER_MM / TITLE_PT) as usize;

/// Where a body's name may break: after these units of a name (the break falls after them).
const TITLE_BREAKS_AFTER: [&str; 18] = [
    "人民政府办公室",
    "人民政府",
    "办公室",
    "委员会",
    "办事处",
    "自治区",
    "领导小组",
    "中心",
    "省",
    "市",
    "区",
    "县",
    "州",
    "盟",
    "旗",
    "镇",
    "乡",
    "局",
];

/// A title line as printed: one line if it fits, else balanced lines broken where a reader
/// expects (GB/T 9704 §7.3.3: 回行时要做到词意完整，排列对称，长短适宜) — before a bracketed part,
/// else after a unit of the name (省、市、区、县、人民政府、办公室 …), nearest the middle; never
/// inside a number. Word, PDF, OFD and HTML print the same lines.
pub fn title_breaks(line: &str) -> Vec<String> {
    name_breaks(line, TITLE_CHARS)
}

/// How many 三号 characters a line of the 落款's name holds: a line less the two characters of
/// 右空二字.
pub const SIGNATURE_CHARS: usize = CHARS_PER_LINE - 2;

/// The body's name in the 落款 as printed: one line if it fits in [`SIGNATURE_CHARS`], else
/// balanced lines broken between the units of the name (`…人民政府办公室` / `…领导小组办公室`),
/// never inside one, the way [`title_breaks`] breaks a title. Word, PDF, OFD and HTML print
/// the same lines.
pub fn signature_lines(name: &str) -> Vec<String> {
    let name = name.trim();
    if name.is_empty() {
        return vec![];
    }
    name_breaks(name, SIGNATURE_CHARS)
}

/// Where a line of a body's name may break (character indices): after each unit of the name
/// (省、市、县、人民政府办公室 …), never inside 人民政府办公室; before a bracketed part. What a
/// flowing format (the web page) marks as break opportunities.
pub fn name_break_points(line: &str) -> Vec<usize> {
    let chars: Vec<char> = line.chars().collect();
    let n = chars.len();
    let mut units: Vec<(usize, usize)> = vec![];
    for u in TITLE_BREAKS_AFTER.iter().filter(|u| u.chars().count() > 1) {
        let len = u.chars().count();
        for k in 0..(n + 1).saturating_sub(len) {
            if chars[k..k + len].iter().copied().eq(u.chars()) {
                units.push((k, k + len));
            }
        }
    }
    (1..n)
        .filter(|&i| !units.iter().any(|&(a, b)| a < i && i < b))
        .filter(|&i| {
            let before: String = chars[..i].iter().collect();
            chars[i] == '（' || TITLE_BREAKS_AFTER.iter().any(|u| before.ends_with(u))
        })
        .collect()
}

/// A name broken into balanced lines of at most `max` characters, between its units.
fn name_breaks(line: &str, max: usize) -> Vec<String> {
    let chars: Vec<char> = line.trim().chars().collect();
    let n = chars.len();
    if n <= max || max == 0 {
        return vec![chars.iter().collect()];
    }
    // Every place both halves fit (for a very long line: the first half fits).
    let lo = n.saturating_sub(max).max(1);
    let hi = max.min(n - 1);
    let text: String = chars.iter().collect();
    // Character positions of every unit of the name, to keep 人民政府办公室 whole.
    let mut units: Vec<(usize, usize)> = vec![];
    for u in TITLE_BREAKS_AFTER.iter().filter(|u| u.chars().count() > 1) {
        let len = u.chars().count();
        for k in 0..(n + 1).saturating_sub(len) {
            if chars[k..k + len].iter().copied().eq(u.chars()) {
                units.push((k, k + len));
            }
        }
    }
    let score = |i: usize| -> (u8, usize) {
        let before: String = chars[..i].iter().collect();
        let inside = units.iter().any(|&(a, b)| a < i && i < b)
            || (chars[i - 1].is_ascii_digit() && chars[i].is_ascii_digit());
        let kind = if inside {
            3
        } else if chars[i] == '（' || chars[i] == '(' {
            0
        } else if TITLE_BREAKS_AFTER.iter().any(|u| before.ends_with(u)) {
            1
        } else {
            2
        };
        (kind, i.abs_diff(n / 2))
    };
    let best = if lo <= hi {
        (lo..=hi).min_by_key(|&i| score(i))
    } else {
        (1..=max.min(n - 1)).min_by_key(|&i| score(i))
    };
    let Some(i) = best else {
        return vec![text];
    };
    let mut out = name_breaks(&chars[..i].iter().collect::<String>(), max);
    out.extend(name_breaks(&chars[i..].iter().collect::<String>(), max));
    out
}

// --- 落款 (§7.3.5.2) ---------------------------------------------------------------------------

/// Where the 落款 lines stand, as distances from the right edge of the text block (in the unit
/// of the widths given).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Signature {
    /// Right indent of the body's name.
    pub body_right: f32,
    /// Right indent of the date.
    pub date_right: f32,
}

/// The 落款 of a document without a seal (GB/T 9704 §7.3.5.2): 在正文下空一行右空二字编排发文
/// 机关署名，在发文机关署名下一行编排成文日期，首字比发文机关署名首字右移二字；如成文日期长于
/// 发文机关署名，应当使成文日期右空二字编排，并相应增加发文机关署名右空字数.
///
/// `body_w` and `date_w` are the set widths of the two lines, `char_w` one character of the
/// body size, `line_w` the width of a line; every renderer calls this one function. A body name
/// longer than a line wraps: the date is then placed under its full line, so that the date
/// itself always stays on one line.
pub fn signature(body_w: f32, date_w: f32, char_w: f32, line_w: f32) -> Signature {
    let two = 2.0 * char_w;
    let body_w = body_w.min(line_w - two);
    // The date's first character two characters right of the body's first.
    let date_right = body_w - date_w;
    if date_right >= two {
        Signature {
            body_right: two,
            date_right,
        }
    } else {
        // The date is (nearly) as long as the body: the date two characters in, the body
        // moves left so that its first character stays two characters before the date's.
        Signature {
            body_right: (two + date_w + two - body_w).max(0.0),
            date_right: two,
        }
    }
}

/// The 落款 of a name set in several lines ([`signature_lines`], widths `line_ws`): every line
/// of the name right-aligned at `body_right`, the date under the last line placed against that
/// line by [`signature`]; a wide line keeps the name inside the block.
pub fn signature_block(line_ws: &[f32], date_w: f32, char_w: f32, line_w: f32) -> Signature {
    let last = line_ws.last().copied().unwrap_or(0.0);
    let widest = line_ws.iter().copied().fold(0.0, f32::max);
    let mut s = signature(last, date_w, char_w, line_w);
    s.body_right = s.body_right.min((line_w - widest).max(0.0));
    s
}

// --- The date stamped into files ----------------------------------------------------------------

/// The one date every output stamps into its metadata and packages (document properties, zip
/// entries, PDF info): the publication date, else the 落款's date, else 1 January after the
/// report year. Never the clock, so the same report always gives the same bytes.
pub fn stamp_date(published: Option<Date>, signed: Option<Date>, year: u16) -> Date {
    published.or(signed).unwrap_or(Date {
        year: year.saturating_add(1),
        month: 1,
        day: 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_words_hold_together() {
        let g = |s: &str| {
            let chars: Vec<char> = s.chars().collect();
            let glue = word_glue(&chars);
            let mut out = String::new();
            for (c, glued) in chars.iter().zip(glue) {
                out.push(*c);
                if !glued {
                    out.push('|');
                }
            }
            out
        };
        assert_eq!(g("三、本年度办理结果"), "三|、|本年度|办理|结果|");
        assert_eq!(g("只计这一情形，"), "只计|这一|情形|，|");
    }

    #[test]
    fn numbering_prefixes() {
        let n = |s: &str| numbering_prefix(&s.chars().collect::<Vec<_>>());
        assert_eq!(n("（三）不予公开"), 3);
        assert_eq!(n("三、本年度办理结果"), 2);
        assert_eq!(n("1.属于国家秘密"), 2);
        assert_eq!(n("不予公开"), 0);
        assert_eq!(n("（本列数据的勾稽关系为）"), 0);
    }

    #[test]
    fn the_block_holds_22_lines_of_28_characters() {
        assert!((MARGIN_RIGHT_MM - 26.0).abs() < 1e-4);
        assert!((MARGIN_BOTTOM_MM - 35.0).abs() < 1e-4);
        // 22 lines fill the block to within a point; 23 would not fit.
        let block = 225.0 * PT_PER_MM;
        assert!(LINE_PITCH_PT * 22.0 <= block && block - LINE_PITCH_PT * 22.0 < 1.0);
        assert!((CHAR_PITCH_PT - 15.79).abs() < 0.01);
    }

    #[test]
    fn signature_follows_gb_9704_7_3_5_2() {
        let ch = 16.0;
        // Body of 10 characters, date of 7: body two characters in, the date's first
        // character two characters right of the body's first.
        let s = signature(10.0 * ch, 7.0 * ch, ch, 28.0 * ch);
        assert_eq!(s.body_right, 2.0 * ch);
        assert_eq!(
            (s.body_right + 10.0 * ch) - (s.date_right + 7.0 * ch),
            2.0 * ch
        );
        // Body of 4 characters, date longer: the date two characters in, the body moved left.
        let s = signature(4.0 * ch, 7.0 * ch, ch, 28.0 * ch);
        assert_eq!(s.date_right, 2.0 * ch);
        assert_eq!(
            (s.body_right + 4.0 * ch) - (s.date_right + 7.0 * ch),
            2.0 * ch
        );
    }

    #[test]
    fn long_titles_break_where_a_reader_expects() {
        assert_eq!(TITLE_CHARS, 20);
        assert_eq!(
            title_breaks("廊坊市人民政府办公室"),
            ["廊坊市人民政府办公室"]
        );
        // 32 characters: two balanced lines, broken after a unit of the name.
        let lines = title_breaks("某某自治区某某市某某县人民政府办公室信息公开工作领导小组办公室");
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines.iter().all(|l| l.chars().count() <= TITLE_CHARS),
            "{lines:?}"
        );
        assert!(
            lines[0].ends_with("办公室") || lines[0].ends_with("县"),
            "{lines:?}"
        );
        // A bracketed part goes to the next line whole.
        let lines = title_breaks("某某区人民政府办公室（区政务服务管理办公室）");
        assert_eq!(lines, ["某某区人民政府办公室", "（区政务服务管理办公室）"]);
    }

    #[test]
    fn break_points_of_short_and_empty_names() {
        assert!(name_break_points("").is_empty());
        assert!(name_break_points("某局").is_empty());
        assert_eq!(name_break_points("某市某局"), [2]);
        assert_eq!(name_break_points("某市人民政府办公室"), [2]);
    }

    #[test]
    fn long_signatures_break_between_the_units_of_the_name() {
        assert_eq!(
            signature_lines(" 廊坊市人民政府办公室 "),
            ["廊坊市人民政府办公室"]
        );
        assert!(signature_lines("").is_empty());
        let name = "某某省某某市某某区人民政府办公室政务公开与政府信息公开工作领导小组办公室";
        let lines = signature_lines(name);
        assert_eq!(lines.concat(), name);
        assert!(lines.len() == 2, "{lines:?}");
        assert!(lines.iter().all(|l| l.chars().count() <= SIGNATURE_CHARS));
        assert_eq!(lines[0], "某某省某某市某某区人民政府办公室", "{lines:?}");
        // Several lines: the widest keeps the name inside the block; the date stands under
        // the last line, two characters right of its first character.
        let ch = 16.0;
        let s = signature_block(&[16.0 * ch, 20.0 * ch], 7.0 * ch, ch, 28.0 * ch);
        assert_eq!(s.body_right, 2.0 * ch);
        assert_eq!(s.date_right, 20.0 * ch - 7.0 * ch);
    }

    #[test]
    fn stamp_date_prefers_publication_then_signature_then_next_january() {
        let d = |y, m, d| Date {
            year: y,
            month: m,
            day: d,
        };
        assert_eq!(
            stamp_date(Some(d(2022, 1, 27)), Some(d(2022, 1, 20)), 2021),
            d(2022, 1, 27)
        );
        assert_eq!(stamp_date(None, Some(d(2022, 1, 20)), 2021), d(2022, 1, 20));
        assert_eq!(stamp_date(None, None, 2021), d(2022, 1, 1));
    }
}
