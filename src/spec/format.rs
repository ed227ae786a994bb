//! The official format of 国办公开办函〔2021〕30号, written down once.
//!
//! Every label, key and table shape that a reader, the validator or a renderer needs comes from
//! here. Labels are the exact official strings (full-width brackets, U+201C/U+201D quotes); keys
//! are the YAML keys of `docs/INPUT.md` (the label without its numbering prefix or remark).

/// The document that fixes the format.
pub const FORMAT_SOURCE: &str = "国办公开办函〔2021〕30号";

/// The Chinese numeral of `n` (1 → 一, 10 → 十, 21 → 二十一, 100 → 一百), for subsection numbers
/// （一）（二）…; 0 gives 〇.
pub fn chinese_numeral(n: usize) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", if n > 10 { DIGITS[n - 10] } else { "" }),
        20..=99 => format!(
            "{}十{}",
            DIGITS[n / 10],
            if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[n % 10]
            }
        ),
        _ => {
            let rest = n % 100;
            let tail = match rest {
                0 => String::new(),
                1..=9 => format!("零{}", DIGITS[rest]),
                10..=19 => format!("一{}", chinese_numeral(rest)),
                _ => chinese_numeral(rest),
            };
            format!("{}百{tail}", chinese_numeral(n / 100))
        }
    }
}

/// One of the six sections of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionDef {
    /// `一` … `六`.
    pub number: &'static str,
    /// The official heading without its number.
    pub title: &'static str,
    /// The top-level YAML key that holds the section's content.
    pub key: &'static str,
    /// What the section holds.
    pub kind: SectionKind,
}

/// The three text sections (一、五、六).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum TextSection {
    /// 一、总体情况.
    Overview,
    /// 五、存在的主要问题及改进情况.
    Problems,
    /// 六、其他需要报告的事项.
    Other,
}

/// The three statistical tables.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum TableId {
    /// 表二: 主动公开政府信息情况.
    T2,
    /// 表三: 收到和处理政府信息公开申请情况.
    T3,
    /// 表四: 政府信息公开行政复议、行政诉讼情况.
    T4,
}

impl TableId {
    pub const ALL: [TableId; 3] = [TableId::T2, TableId::T3, TableId::T4];

    /// `表二`, `表三`, `表四`: the table's name in cell paths and sheet names.
    pub fn name(self) -> &'static str {
        match self {
            TableId::T2 => TABLE2_NAME,
            TableId::T3 => TABLE3_NAME,
            TableId::T4 => TABLE4_NAME,
        }
    }

    /// The table's grid.
    pub fn grid(self) -> TableGrid {
        match self {
            TableId::T2 => table2_grid(),
            TableId::T3 => table3_grid(),
            TableId::T4 => table4_grid(),
        }
    }

    /// The section that holds the table.
    pub fn section(self) -> &'static SectionDef {
        let found = SECTIONS.iter().find(|s| s.kind == SectionKind::Table(self));
        // Every table has its section in SECTIONS (a unit test holds it).
        found.unwrap_or(&SECTIONS[1])
    }
}

/// A text section or one of the three tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    Text(TextSection),
    Table(TableId),
}

impl SectionDef {
    /// `一、总体情况`.
    pub fn heading(&self) -> String {
        format!("{}、{}", self.number, self.title)
    }
}

/// The six sections, in order.
pub const SECTIONS: [SectionDef; 6] = [
    SectionDef {
        number: "一",
        title: "总体情况",
        key: "总体情况",
        kind: SectionKind::Text(TextSection::Overview),
    },
    SectionDef {
        number: "二",
        title: "主动公开政府信息情况",
        key: "主动公开",
        kind: SectionKind::Table(TableId::T2),
    },
    SectionDef {
        number: "三",
        title: "收到和处理政府信息公开申请情况",
        key: "申请情况",
        kind: SectionKind::Table(TableId::T3),
    },
    SectionDef {
        number: "四",
        title: "政府信息公开行政复议、行政诉讼情况",
        key: "复议诉讼",
        kind: SectionKind::Table(TableId::T4),
    },
    SectionDef {
        number: "五",
        title: "存在的主要问题及改进情况",
        key: "存在问题及改进情况",
        kind: SectionKind::Text(TextSection::Problems),
    },
    SectionDef {
        number: "六",
        title: "其他需要报告的事项",
        key: "其他需要报告的事项",
        kind: SectionKind::Text(TextSection::Other),
    },
];

/// Keys of the report's metadata and options (top level of the YAML file).
pub mod keys {
    pub const BODY: &str = "机关";
    pub const YEAR: &str = "年度";
    pub const TITLE: &str = "标题";
    pub const PUBLISHED: &str = "发布日期";
    pub const PREFACE: &str = "前言";
    pub const SIGNATURE: &str = "落款";
    pub const SIGNATURE_BODY: &str = "机关";
    pub const SIGNATURE_DATE: &str = "日期";
    pub const SHOW_ZERO: &str = "显示零值";
    /// Whether the report is a people's government's own (本级政府): its deadline is 3月31日.
    pub const GOVERNMENT: &str = "本级政府";
    pub const SECTION_INTRO: &str = "概述";
    pub const SECTION_SUBSECTIONS: &str = "分项";
    pub const SUBSECTION_TITLE: &str = "标题";
    pub const SUBSECTION_BODY: &str = "内容";
    pub const CELL_NUMBER: &str = "数";
    pub const CELL_NOTE: &str = "注";
}

/// The range of years a report may cover.
pub const YEARS: std::ops::RangeInclusive<u16> = 2019..=2100;

/// Largest count accepted in one cell. No body receives a hundred million applications; a larger
/// number is a typing error (an extra digit, a pasted ID).
pub const MAX_COUNT: u64 = 99_999_999;

/// Title line 2 (and the default title's tail): `{年度}年政府信息公开工作年度报告`.
pub fn title_tail(year: u16) -> String {
    format!("{year}年政府信息公开工作年度报告")
}

// ---------------------------------------------------------------------------------------------
// Table 二
// ---------------------------------------------------------------------------------------------

/// Table number names as used in cell paths (`表二/…`) and sheet names.
pub const TABLE2_NAME: &str = "表二";
pub const TABLE3_NAME: &str = "表三";
pub const TABLE4_NAME: &str = "表四";

/// What a row of table 二 holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum T2Kind {
    /// 本年制发件数, 本年废止件数, 现行有效件数.
    Triple,
    /// 本年处理决定数量.
    Count,
    /// 本年收费金额（单位：万元）, a decimal.
    Amount,
}

/// A block of table 二: the article item, its column header and its rows.
#[derive(Debug, Clone, Copy)]
pub struct T2Block {
    pub title: &'static str,
    /// The header cells after 信息内容.
    pub header: &'static [&'static str],
    pub kind: T2Kind,
    /// Row labels (= YAML keys).
    pub rows: &'static [&'static str],
}

pub const T2_FIRST_HEADER: &str = "信息内容";

/// Column keys of a triple row (YAML mapping form and cell paths) with their official labels.
pub const T2_TRIPLE_KEYS: [&str; 3] = ["本年制发", "本年废止", "现行有效"];
pub const T2_TRIPLE_LABELS: [&str; 3] = ["本年制发件数", "本年废止件数", "现行有效件数"];

pub const T2_BLOCKS: [T2Block; 4] = [
    T2Block {
        title: "第二十条第（一）项",
        header: &T2_TRIPLE_LABELS,
        kind: T2Kind::Triple,
        rows: &["规章", "行政规范性文件"],
    },
    T2Block {
        title: "第二十条第（五）项",
        header: &["本年处理决定数量"],
        kind: T2Kind::Count,
        rows: &["行政许可"],
    },
    T2Block {
        title: "第二十条第（六）项",
        header: &["本年处理决定数量"],
        kind: T2Kind::Count,
        rows: &["行政处罚", "行政强制"],
    },
    T2Block {
        title: "第二十条第（八）项",
        header: &["本年收费金额（单位：万元）"],
        kind: T2Kind::Amount,
        rows: &["行政事业性收费"],
    },
];

/// Rows of table 二 that hold three counts, in order (index into `Table2::documents`).
pub const T2_TRIPLE_ROWS: [&str; 2] = ["规章", "行政规范性文件"];
/// Rows of table 二 that hold one count, in order (index into `Table2::decisions`).
pub const T2_COUNT_ROWS: [&str; 3] = ["行政许可", "行政处罚", "行政强制"];
/// The one amount row.
pub const T2_AMOUNT_ROW: &str = "行政事业性收费";

// ---------------------------------------------------------------------------------------------
// Table 三
// ---------------------------------------------------------------------------------------------

/// The seven data columns of table 三: YAML keys, which are also the official labels.
pub const T3_COLUMNS: [&str; 7] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];
/// Index of the 总计 column.
pub const T3_TOTAL_COL: usize = 6;
/// Header labels of table 三.
pub const T3_CORNER_NOTE: &str =
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
pub const T3_APPLICANTS: &str = "申请人情况";
pub const T3_LEGAL_PERSONS: &str = "法人或其他组织";
pub const T3_RESULTS_GROUP: &str = "三、本年度办理结果";

/// What a row of table 三 stands for in the arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum T3Role {
    /// 一、本年新收
    New,
    /// 二、上年结转
    CarriedIn,
    /// A result row （一）…（六）.
    Result,
    /// （七）总计
    ResultsTotal,
    /// 四、结转下年度继续办理
    CarriedOut,
}

/// A category of results with items: （三）不予公开 … （六）其他处理.
#[derive(Debug, Clone, Copy)]
pub struct T3Category {
    pub key: &'static str,
    pub label: &'static str,
}

pub const T3_CATEGORIES: [T3Category; 4] = [
    T3Category {
        key: "不予公开",
        label: "（三）不予公开",
    },
    T3Category {
        key: "无法提供",
        label: "（四）无法提供",
    },
    T3Category {
        key: "不予处理",
        label: "（五）不予处理",
    },
    T3Category {
        key: "其他处理",
        label: "（六）其他处理",
    },
];

/// One data row of table 三.
#[derive(Debug, Clone, Copy)]
pub struct T3Row {
    /// YAML key within its category (or at the table's top level).
    pub key: &'static str,
    /// Official label.
    pub label: &'static str,
    /// Index into `T3_CATEGORIES` for the items of （三）…（六）.
    pub category: Option<usize>,
    pub role: T3Role,
}

const fn row(
    key: &'static str,
    label: &'static str,
    category: Option<usize>,
    role: T3Role,
) -> T3Row {
    T3Row {
        key,
        label,
        category,
        role,
    }
}

/// The 25 data rows of table 三 in official order.
pub const T3_ROWS: [T3Row; 25] = [
    row(
        "本年新收",
        "一、本年新收政府信息公开申请数量",
        None,
        T3Role::New,
    ),
    row(
        "上年结转",
        "二、上年结转政府信息公开申请数量",
        None,
        T3Role::CarriedIn,
    ),
    row("予以公开", "（一）予以公开", None, T3Role::Result),
    row(
        "部分公开",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        None,
        T3Role::Result,
    ),
    row("属于国家秘密", "1.属于国家秘密", Some(0), T3Role::Result),
    row(
        "其他法律行政法规禁止公开",
        "2.其他法律行政法规禁止公开",
        Some(0),
        T3Role::Result,
    ),
    row(
        "危及三安全一稳定",
        "3.危及\u{201c}三安全一稳定\u{201d}",
        Some(0),
        T3Role::Result,
    ),
    row(
        "保护第三方合法权益",
        "4.保护第三方合法权益",
        Some(0),
        T3Role::Result,
    ),
    row(
        "属于三类内部事务信息",
        "5.属于三类内部事务信息",
        Some(0),
        T3Role::Result,
    ),
    row(
        "属于四类过程性信息",
        "6.属于四类过程性信息",
        Some(0),
        T3Role::Result,
    ),
    row(
        "属于行政执法案卷",
        "7.属于行政执法案卷",
        Some(0),
        T3Role::Result,
    ),
    row(
        "属于行政查询事项",
        "8.属于行政查询事项",
        Some(0),
        T3Role::Result,
    ),
    row(
        "本机关不掌握相关政府信息",
        "1.本机关不掌握相关政府信息",
        Some(1),
        T3Role::Result,
    ),
    row(
        "没有现成信息需要另行制作",
        "2.没有现成信息需要另行制作",
        Some(1),
        T3Role::Result,
    ),
    row(
        "补正后申请内容仍不明确",
        "3.补正后申请内容仍不明确",
        Some(1),
        T3Role::Result,
    ),
    row(
        "信访举报投诉类申请",
        "1.信访举报投诉类申请",
        Some(2),
        T3Role::Result,
    ),
    row("重复申请", "2.重复申请", Some(2), T3Role::Result),
    row(
        "要求提供公开出版物",
        "3.要求提供公开出版物",
        Some(2),
        T3Role::Result,
    ),
    row(
        "无正当理由大量反复申请",
        "4.无正当理由大量反复申请",
        Some(2),
        T3Role::Result,
    ),
    row(
        "要求行政机关确认或重新出具已获取信息",
        "5.要求行政机关确认或重新出具已获取信息",
        Some(2),
        T3Role::Result,
    ),
    row(
        "申请人无正当理由逾期不补正",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        Some(3),
        T3Role::Result,
    ),
    row(
        "申请人逾期未按收费通知要求缴纳费用",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        Some(3),
        T3Role::Result,
    ),
    row("其他", "3.其他", Some(3), T3Role::Result),
    row("总计", "（七）总计", None, T3Role::ResultsTotal),
    row(
        "结转下年度继续办理",
        "四、结转下年度继续办理",
        None,
        T3Role::CarriedOut,
    ),
];

/// Index of a table 三 row by role (first match).
pub fn t3_row_index(role: T3Role) -> usize {
    T3_ROWS.iter().position(|r| r.role == role).unwrap_or(0)
}

/// Cell path of a table 三 row: `表三/无法提供/本机关不掌握相关政府信息`.
pub fn t3_row_path(row: usize) -> String {
    let r = &T3_ROWS[row];
    match r.category {
        Some(c) => format!("{TABLE3_NAME}/{}/{}", T3_CATEGORIES[c].key, r.key),
        None => format!("{TABLE3_NAME}/{}", r.key),
    }
}

/// Cell path of a table 三 cell: `表三/本年新收/自然人`.
pub fn t3_cell_path(row: usize, col: usize) -> String {
    format!("{}/{}", t3_row_path(row), T3_COLUMNS[col])
}

/// Short human name of a table 三 row for messages: `“本机关不掌握相关政府信息”`.
pub fn t3_row_name(row: usize) -> String {
    let r = &T3_ROWS[row];
    match (r.category, r.role) {
        (Some(c), _) => format!("“{}/{}”", T3_CATEGORIES[c].key, r.key),
        (None, T3Role::ResultsTotal) => "“（七）总计”".to_string(),
        (None, _) => format!("“{}”", r.key),
    }
}

// ---------------------------------------------------------------------------------------------
// Table 四
// ---------------------------------------------------------------------------------------------

pub const T4_REVIEW: &str = "行政复议";
pub const T4_LITIGATION: &str = "行政诉讼";
/// The three groups: YAML keys and official labels.
pub const T4_GROUPS: [&str; 3] = ["行政复议", "未经复议直接起诉", "复议后起诉"];
/// The five columns of each group.
pub const T4_COLUMNS: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
pub const T4_TOTAL_COL: usize = 4;

/// Cell path of a table 四 cell: `表四/行政复议/总计`.
pub fn t4_cell_path(group: usize, col: usize) -> String {
    format!("{TABLE4_NAME}/{}/{}", T4_GROUPS[group], T4_COLUMNS[col])
}

/// Cell path of a table 二 cell.
pub fn t2_cell_path(row: &str, col: Option<usize>) -> String {
    match col {
        Some(c) => format!("{TABLE2_NAME}/{row}/{}", T2_TRIPLE_KEYS[c]),
        None => format!("{TABLE2_NAME}/{row}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Table shapes: one generic grid that every renderer draws and the Excel reader searches.
// ---------------------------------------------------------------------------------------------

/// Which value of the report a table cell shows.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum ValueRef {
    /// Table 二, a triple row (index into `T2_TRIPLE_ROWS`) and column (0..3).
    T2Document { row: usize, col: usize },
    /// Table 二, a count row (index into `T2_COUNT_ROWS`).
    T2Decision { row: usize },
    /// Table 二, the fee.
    T2Fee,
    /// Table 三, row index into `T3_ROWS`, column into `T3_COLUMNS`.
    T3 { row: usize, col: usize },
    /// Table 四, group into `T4_GROUPS`, column into `T4_COLUMNS`.
    T4 { group: usize, col: usize },
}

impl ValueRef {
    /// The cell path of `docs/INPUT.md`.
    pub fn path(&self) -> String {
        match *self {
            ValueRef::T2Document { row, col } => t2_cell_path(T2_TRIPLE_ROWS[row], Some(col)),
            ValueRef::T2Decision { row } => t2_cell_path(T2_COUNT_ROWS[row], None),
            ValueRef::T2Fee => t2_cell_path(T2_AMOUNT_ROW, None),
            ValueRef::T3 { row, col } => t3_cell_path(row, col),
            ValueRef::T4 { group, col } => t4_cell_path(group, col),
        }
    }

    /// The cells a total is the sum of (empty for a value that is not a total): the six
    /// applicant columns for a 总计 column, the result rows for the （七）总计 row, the four results
    /// of a table 四 group.
    pub fn parts(&self) -> Vec<ValueRef> {
        match *self {
            ValueRef::T3 { row, col } if col == T3_TOTAL_COL => (0..T3_TOTAL_COL)
                .map(|c| ValueRef::T3 { row, col: c })
                .collect(),
            ValueRef::T3 { row, col } if T3_ROWS[row].role == T3Role::ResultsTotal => T3_ROWS
                .iter()
                .enumerate()
                .filter(|(_, r)| r.role == T3Role::Result)
                .map(|(i, _)| ValueRef::T3 { row: i, col })
                .collect(),
            ValueRef::T4 { group, col } if col == T4_TOTAL_COL => (0..T4_TOTAL_COL)
                .map(|c| ValueRef::T4 { group, col: c })
                .collect(),
            _ => vec![],
        }
    }

    /// Whether the value is a computed total (总计 column, （七）总计 row).
    pub fn is_total(&self) -> bool {
        match *self {
            ValueRef::T3 { row, col } => {
                col == T3_TOTAL_COL || T3_ROWS[row].role == T3Role::ResultsTotal
            }
            ValueRef::T4 { col, .. } => col == T4_TOTAL_COL,
            _ => false,
        }
    }
}

/// Horizontal alignment of a cell's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
}

/// How a cell is styled: the renderers map these to fonts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellRole {
    /// Column header (centred).
    Header,
    /// Row label or block title.
    Label,
    /// The corner note of table 三 (楷体 in the template).
    Note,
    /// A number from the report.
    Value,
}

/// What a cell shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    Text(&'static str),
    Value(ValueRef),
}

/// One cell of a table grid; only anchor cells are listed, spanned positions are implied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GridCell {
    pub row: usize,
    pub col: usize,
    pub rowspan: usize,
    pub colspan: usize,
    pub content: Content,
    pub role: CellRole,
    pub align: Align,
}

/// A whole table: proportional column widths, rows, cells, and how many rows form the header
/// (repeated when the table crosses a page).
#[derive(Debug, Clone)]
pub struct TableGrid {
    pub id: TableId,
    /// How many columns the grid has (their proportions are the house style's:
    /// [`crate::spec::style::column_weights`]).
    pub cols: usize,
    pub rows: usize,
    pub header_rows: usize,
    pub cells: Vec<GridCell>,
}

/// What sits at a grid position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The anchor of `cells[i]`.
    Anchor(usize),
    /// Covered by `cells[i]`'s span; `first_col` tells whether this is the first column of the
    /// span (where Word writes a `vMerge` continuation).
    Covered { cell: usize, first_col: bool },
    /// Nothing (never happens in the official tables; kept for robustness).
    Empty,
}

impl TableGrid {
    /// `表二`, `表三`, `表四`.
    pub fn name(&self) -> &'static str {
        self.id.name()
    }

    pub fn columns(&self) -> usize {
        self.cols
    }

    /// The occupancy of every grid position, row-major.
    pub fn slots(&self) -> Vec<Vec<Slot>> {
        let mut s = vec![vec![Slot::Empty; self.columns()]; self.rows];
        for (i, c) in self.cells.iter().enumerate() {
            for (r, row) in s.iter_mut().enumerate().skip(c.row).take(c.rowspan) {
                for (k, slot) in row.iter_mut().enumerate().skip(c.col).take(c.colspan) {
                    *slot = if r == c.row && k == c.col {
                        Slot::Anchor(i)
                    } else {
                        Slot::Covered {
                            cell: i,
                            first_col: k == c.col,
                        }
                    };
                }
            }
        }
        s
    }

    /// Anchor cells of one row, left to right.
    pub fn row_cells(&self, row: usize) -> impl Iterator<Item = &GridCell> {
        self.cells.iter().filter(move |c| c.row == row)
    }

    /// Every value cell of the table.
    pub fn values(&self) -> impl Iterator<Item = (&GridCell, ValueRef)> {
        self.cells.iter().filter_map(|c| match c.content {
            Content::Value(v) => Some((c, v)),
            Content::Text(_) => None,
        })
    }
}

struct GridBuilder {
    cells: Vec<GridCell>,
}

impl GridBuilder {
    fn text(
        &mut self,
        row: usize,
        col: usize,
        rowspan: usize,
        colspan: usize,
        text: &'static str,
        role: CellRole,
    ) {
        let align = if matches!(role, CellRole::Label | CellRole::Note) {
            Align::Left
        } else {
            Align::Center
        };
        self.cells.push(GridCell {
            row,
            col,
            rowspan,
            colspan,
            content: Content::Text(text),
            role,
            align,
        });
    }
    fn value(&mut self, row: usize, col: usize, colspan: usize, v: ValueRef) {
        self.cells.push(GridCell {
            row,
            col,
            rowspan: 1,
            colspan,
            content: Content::Value(v),
            role: CellRole::Value,
            align: Align::Center,
        });
    }
}

/// Table 二: four blocks stacked in one 4-column grid. It has no repeated header.
pub fn table2_grid() -> TableGrid {
    let mut b = GridBuilder { cells: vec![] };
    let mut r = 0;
    let (mut triple, mut count) = (0, 0);
    for block in T2_BLOCKS.iter() {
        b.text(r, 0, 1, 4, block.title, CellRole::Label);
        r += 1;
        b.text(r, 0, 1, 1, T2_FIRST_HEADER, CellRole::Header);
        let span = 3 / block.header.len();
        for (i, h) in block.header.iter().enumerate() {
            b.text(r, 1 + i * span, 1, span, h, CellRole::Header);
        }
        r += 1;
        for label in block.rows {
            b.text(r, 0, 1, 1, label, CellRole::Label);
            match block.kind {
                T2Kind::Triple => {
                    for c in 0..3 {
                        b.value(
                            r,
                            1 + c,
                            1,
                            ValueRef::T2Document {
                                row: triple,
                                col: c,
                            },
                        );
                    }
                    triple += 1;
                }
                T2Kind::Count => {
                    b.value(r, 1, 3, ValueRef::T2Decision { row: count });
                    count += 1;
                }
                T2Kind::Amount => b.value(r, 1, 3, ValueRef::T2Fee),
            }
            r += 1;
        }
    }
    TableGrid {
        id: TableId::T2,
        cols: 4,
        rows: r,
        header_rows: 0,
        cells: b.cells,
    }
}

/// Table 三: 3 header rows and 25 data rows on a 10-column grid.
pub fn table3_grid() -> TableGrid {
    let mut b = GridBuilder { cells: vec![] };
    b.text(0, 0, 3, 3, T3_CORNER_NOTE, CellRole::Note);
    b.text(0, 3, 1, 7, T3_APPLICANTS, CellRole::Header);
    b.text(1, 3, 2, 1, T3_COLUMNS[0], CellRole::Header);
    b.text(1, 4, 1, 5, T3_LEGAL_PERSONS, CellRole::Header);
    b.text(1, 9, 2, 1, T3_COLUMNS[T3_TOTAL_COL], CellRole::Header);
    for (i, label) in T3_COLUMNS[1..T3_TOTAL_COL].iter().enumerate() {
        b.text(2, 4 + i, 1, 1, label, CellRole::Header);
    }
    let first = 3;
    let results: Vec<usize> = (0..T3_ROWS.len())
        .filter(|&i| matches!(T3_ROWS[i].role, T3Role::Result | T3Role::ResultsTotal))
        .collect();
    let (res_first, res_len) = (results[0], results.len());
    let mut seen_category = [false; 4];
    for (i, row) in T3_ROWS.iter().enumerate() {
        let r = first + i;
        match (row.role, row.category) {
            (T3Role::New | T3Role::CarriedIn | T3Role::CarriedOut, _) => {
                b.text(r, 0, 1, 3, row.label, CellRole::Label)
            }
            (_, None) => {
                if i == res_first {
                    b.text(r, 0, res_len, 1, T3_RESULTS_GROUP, CellRole::Label);
                }
                b.text(r, 1, 1, 2, row.label, CellRole::Label);
            }
            (_, Some(c)) => {
                if !seen_category[c] {
                    seen_category[c] = true;
                    let n = T3_ROWS.iter().filter(|x| x.category == Some(c)).count();
                    b.text(r, 1, n, 1, T3_CATEGORIES[c].label, CellRole::Label);
                }
                b.text(r, 2, 1, 1, row.label, CellRole::Label);
            }
        }
        for c in 0..T3_COLUMNS.len() {
            b.value(r, 3 + c, 1, ValueRef::T3 { row: i, col: c });
        }
    }
    TableGrid {
        id: TableId::T3,
        cols: 10,
        rows: first + T3_ROWS.len(),
        header_rows: 3,
        cells: b.cells,
    }
}

/// Table 四: 3 header rows and one row of 15 numbers.
pub fn table4_grid() -> TableGrid {
    let mut b = GridBuilder { cells: vec![] };
    b.text(0, 0, 1, 5, T4_REVIEW, CellRole::Header);
    b.text(0, 5, 1, 10, T4_LITIGATION, CellRole::Header);
    for (i, label) in T4_COLUMNS.iter().enumerate() {
        b.text(1, i, 2, 1, label, CellRole::Header);
    }
    b.text(1, 5, 1, 5, T4_GROUPS[1], CellRole::Header);
    b.text(1, 10, 1, 5, T4_GROUPS[2], CellRole::Header);
    for g in 1..3 {
        for (i, label) in T4_COLUMNS.iter().enumerate() {
            b.text(2, g * 5 + i, 1, 1, label, CellRole::Header);
        }
    }
    for g in 0..3 {
        for c in 0..5 {
            b.value(3, g * 5 + c, 1, ValueRef::T4 { group: g, col: c });
        }
    }
    TableGrid {
        id: TableId::T4,
        cols: 15,
        rows: 4,
        header_rows: 3,
        cells: b.cells,
    }
}

/// The three grids in order.
pub fn tables() -> [TableGrid; 3] {
    [table2_grid(), table3_grid(), table4_grid()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_full(grid: &TableGrid) {
        for (r, row) in grid.slots().iter().enumerate() {
            for (c, s) in row.iter().enumerate() {
                assert_ne!(*s, Slot::Empty, "{} ({r},{c}) empty", grid.name());
            }
        }
        let mut n = 0;
        for c in &grid.cells {
            n += c.rowspan * c.colspan;
        }
        assert_eq!(
            n,
            grid.rows * grid.columns(),
            "{}: cells overlap",
            grid.name()
        );
    }

    #[test]
    fn grids_cover_every_position_once() {
        for g in tables() {
            check_full(&g);
        }
    }

    #[test]
    fn table3_shape_matches_the_template() {
        let g = table3_grid();
        assert_eq!((g.rows, g.columns()), (28, 10));
        let group = g
            .cells
            .iter()
            .find(|c| c.content == Content::Text(T3_RESULTS_GROUP))
            .unwrap();
        assert_eq!((group.row, group.rowspan), (5, 22));
        let refuse = g
            .cells
            .iter()
            .find(|c| c.content == Content::Text("（三）不予公开"))
            .unwrap();
        assert_eq!(refuse.rowspan, 8);
        assert_eq!(g.values().count(), 25 * 7);
        assert_eq!(T3_ROWS[6].label, "3.危及“三安全一稳定”");
    }

    #[test]
    fn table4_and_table2_shapes() {
        let g = table4_grid();
        assert_eq!((g.rows, g.columns(), g.values().count()), (4, 15, 15));
        let g = table2_grid();
        assert_eq!((g.rows, g.columns(), g.values().count()), (14, 4, 10));
    }

    #[test]
    fn chinese_numerals() {
        let got: Vec<String> = [1, 5, 10, 11, 20, 21, 99, 100, 101, 110, 123]
            .iter()
            .map(|&n| chinese_numeral(n))
            .collect();
        assert_eq!(
            got,
            [
                "一",
                "五",
                "十",
                "十一",
                "二十",
                "二十一",
                "九十九",
                "一百",
                "一百零一",
                "一百一十",
                "一百二十三"
            ]
        );
    }

    #[test]
    fn paths() {
        assert_eq!(t3_cell_path(0, 0), "表三/本年新收/自然人");
        assert_eq!(
            t3_cell_path(12, 6),
            "表三/无法提供/本机关不掌握相关政府信息/总计"
        );
        assert_eq!(t3_cell_path(23, 5), "表三/总计/其他");
        assert_eq!(t4_cell_path(0, 4), "表四/行政复议/总计");
        assert_eq!(
            ValueRef::T2Document { row: 0, col: 2 }.path(),
            "表二/规章/现行有效"
        );
        assert_eq!(ValueRef::T2Fee.path(), "表二/行政事业性收费");
    }
}
