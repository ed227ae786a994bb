//! The typed report: what every reader produces and every renderer consumes.

pub use crate::spec::date::Date;
use crate::spec::format::{
    self, TextSection, ValueRef, T3_COLUMNS, T3_ROWS, T3_TOTAL_COL, T4_GROUPS, T4_TOTAL_COL,
};
use crate::spec::place::{Key, Place, TextPart};
use crate::spec::style;
use std::fmt;

/// A count cell: a whole number with an optional note printed after it (`22（其中修订16件）`).
///
/// `blank` says the input left the cell empty (a YAML key left out or `~`, an empty Excel
/// cell): it counts as 0 but prints blank, while an explicit 0 prints `0` — offices publish
/// both ways, often in one table, and the data says which (see [`Report::cell_text`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Count {
    pub value: u64,
    pub note: Option<String>,
    pub blank: bool,
}

impl Default for Count {
    /// A cell the input did not fill.
    fn default() -> Self {
        Count::BLANK
    }
}

impl Count {
    /// A cell the input left empty.
    pub const BLANK: Count = Count {
        value: 0,
        note: None,
        blank: true,
    };

    /// A number the input gave.
    pub fn new(value: u64) -> Self {
        Count {
            value,
            note: None,
            blank: false,
        }
    }

    /// A number the input gave, with its note.
    pub fn with_note(value: u64, note: Option<String>) -> Self {
        Count {
            value,
            note,
            blank: false,
        }
    }

    /// A total computed from its parts: blank when every part is.
    pub fn total_of<'a>(parts: impl IntoIterator<Item = &'a Count>) -> Self {
        let (mut value, mut blank) = (0, true);
        for p in parts {
            value += p.value;
            blank &= p.blank;
        }
        Count {
            value,
            note: None,
            blank,
        }
    }

    /// Adds another report's cell (city-wide sums): blank only when both are.
    pub fn add(&mut self, other: &Count) {
        self.value += other.value;
        self.blank &= other.blank;
    }
}

/// A non-negative decimal kept exactly as written (`7730.28`, `59237.2449`, `0`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Decimal {
    /// Digits without the point.
    mantissa: u128,
    /// Digits after the point as written.
    scale: u32,
}

impl Decimal {
    /// Parses `123`, `123.45`, `0.5`, `.5` is rejected. At most 18 decimals and 30 digits.
    pub fn parse(s: &str) -> Option<Decimal> {
        let s = s.trim();
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, f),
            None => (s, ""),
        };
        if int.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        if s.ends_with('.') || frac.len() > 18 || int.len() + frac.len() > 30 {
            return None;
        }
        let mantissa: u128 = format!("{int}{frac}").parse().ok()?;
        Some(Decimal {
            mantissa,
            scale: frac.len() as u32,
        })
    }

    pub fn is_zero(&self) -> bool {
        self.mantissa == 0
    }

    /// Exact sum, keeping the larger scale.
    pub fn checked_add(&self, other: &Decimal) -> Option<Decimal> {
        let scale = self.scale.max(other.scale);
        let a = self
            .mantissa
            .checked_mul(10u128.checked_pow(scale - self.scale)?)?;
        let b = other
            .mantissa
            .checked_mul(10u128.checked_pow(scale - other.scale)?)?;
        Some(Decimal {
            mantissa: a.checked_add(b)?,
            scale,
        })
    }

    /// Approximate value, for spreadsheets (which store doubles).
    pub fn to_f64(&self) -> f64 {
        self.mantissa as f64 / 10f64.powi(self.scale as i32)
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.scale == 0 {
            return write!(f, "{}", self.mantissa);
        }
        let digits = format!(
            "{:0>width$}",
            self.mantissa,
            width = self.scale as usize + 1
        );
        let (i, d) = digits.split_at(digits.len() - self.scale as usize);
        write!(f, "{i}.{d}")
    }
}

/// The fee cell of table 二; `blank` as for [`Count`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Amount {
    pub value: Decimal,
    pub note: Option<String>,
    pub blank: bool,
}

impl Default for Amount {
    /// A fee the input did not fill.
    fn default() -> Self {
        Amount {
            value: Decimal::default(),
            note: None,
            blank: true,
        }
    }
}

/// Text: paragraphs separated by one blank line.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Text(pub String);

impl Text {
    /// The paragraphs, trimmed, without empty ones. Single line breaks inside a paragraph are
    /// kept out: YAML folded text and hand-wrapped lines join into one paragraph. A PARAGRAPH
    /// SEPARATOR (U+2029) ends a paragraph; a LINE SEPARATOR (U+2028) or NEL is a line break.
    pub fn paragraphs(&self) -> Vec<String> {
        let mut out = vec![];
        let mut cur = String::new();
        let text = self
            .0
            .replace('\u{2029}', "\n\n")
            .replace(['\u{2028}', '\u{85}'], "\n");
        for line in text.lines() {
            let l = line.trim();
            if l.is_empty() {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            } else {
                cur.push_str(l);
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

/// A subsection: `（一）主动公开。` followed by its text.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Subsection {
    pub title: String,
    pub body: Text,
}

impl Subsection {
    /// The run-in heading: `（一）主动公开。` (a title that already ends in punctuation keeps it).
    pub fn heading(&self, index: usize) -> String {
        let n = format::chinese_numeral(index + 1);
        let t = self.title.trim();
        let ends = t.ends_with(['。', '：', '！', '？', '；', '.', ':']);
        if ends {
            format!("（{n}）{t}")
        } else {
            format!("（{n}）{t}。")
        }
    }
}

/// A text section: an optional overview and numbered subsections.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Section {
    pub intro: Text,
    pub subsections: Vec<Subsection>,
}

/// The signature block at the end.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Signature {
    pub body: String,
    pub date: Option<Date>,
}

/// Table 二.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Table2 {
    /// 规章, 行政规范性文件 × 本年制发, 本年废止, 现行有效.
    pub documents: [[Count; 3]; 2],
    /// 行政许可, 行政处罚, 行政强制.
    pub decisions: [Count; 3],
    /// 行政事业性收费 (万元).
    pub fee: Amount,
}

/// Table 三: 25 rows × 7 columns in the order of `format::T3_ROWS` / `T3_COLUMNS`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Table3 {
    pub cells: [[Count; 7]; 25],
}

impl Default for Table3 {
    fn default() -> Self {
        Table3 {
            cells: std::array::from_fn(|_| std::array::from_fn(|_| Count::default())),
        }
    }
}

impl Table3 {
    /// Sum of the six applicant columns of a row.
    pub fn row_sum(&self, row: usize) -> u64 {
        self.cells[row][..T3_TOTAL_COL]
            .iter()
            .map(|c| c.value)
            .sum()
    }

    /// Sum of the result rows （一）…（六） in a column.
    pub fn results_sum(&self, col: usize) -> u64 {
        T3_ROWS
            .iter()
            .enumerate()
            .filter(|(_, r)| r.role == format::T3Role::Result)
            .map(|(i, _)| self.cells[i][col].value)
            .sum()
    }

    /// Fills a row's 总计 from its six columns, keeping its note.
    pub fn compute_row_total(&mut self, row: usize) {
        let sum = Count::total_of(&self.cells[row][..T3_TOTAL_COL]);
        let cell = &mut self.cells[row][T3_TOTAL_COL];
        cell.value = sum.value;
        cell.blank = sum.blank;
    }

    pub fn value(&self, role: format::T3Role, col: usize) -> u64 {
        self.cells[format::t3_row_index(role)][col].value
    }
}

/// Table 四: 行政复议, 未经复议直接起诉, 复议后起诉 × 结果维持 … 总计.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Table4 {
    pub cells: [[Count; 5]; 3],
}

impl Table4 {
    /// Fills a group's 总计 from its four results, keeping its note.
    pub fn compute_total(&mut self, group: usize) {
        let sum = Count::total_of(&self.cells[group][..T4_TOTAL_COL]);
        let cell = &mut self.cells[group][T4_TOTAL_COL];
        cell.value = sum.value;
        cell.blank = sum.blank;
    }

    pub fn group_sum(&self, group: usize) -> u64 {
        self.cells[group][..T4_TOTAL_COL]
            .iter()
            .map(|c| c.value)
            .sum()
    }
}

/// Whether two 机关 names name the same body: equal, or one is the other behind the names of
/// the regions above it (“淮安市洪泽区人民政府” and “洪泽区人民政府” — reports write both).
/// The shorter name must name a place of its own, so “北京市人民政府” is not “人民政府”.
pub fn same_body(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    if a == b {
        return true;
    }
    let (long, short) = if a.len() > b.len() { (a, b) } else { (b, a) };
    let Some(prefix) = long.strip_suffix(short) else {
        return false;
    };
    const REGIONS: [&str; 7] = ["省", "市", "自治区", "自治州", "州", "地区", "盟"];
    const PLACES: [char; 8] = ['省', '市', '区', '县', '州', '旗', '镇', '乡'];
    // The short name names its own place: a place word after a name, before the body's own
    // words (区 in 洪泽区人民政府; none in 人民政府 or 市公安局).
    let chars: Vec<char> = short.chars().collect();
    let own_place = chars
        .iter()
        .enumerate()
        .any(|(i, c)| i >= 1 && i + 2 < chars.len() && PLACES.contains(c));
    REGIONS.iter().any(|r| prefix.ends_with(r)) && own_place
}

/// One annual report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Report {
    /// 机关.
    pub body: String,
    /// 年度.
    pub year: u16,
    /// 标题: explicit title lines, if given.
    pub title: Option<Vec<String>>,
    pub published: Option<Date>,
    pub preface: Text,
    /// Sections 一, 五, 六.
    pub overview: Section,
    pub problems: Section,
    pub other: Section,
    pub table2: Table2,
    pub table3: Table3,
    pub table4: Table4,
    pub signature: Option<Signature>,
    /// 显示零值: `None` prints zeros as the input gave them (an empty cell blank, an explicit 0
    /// as `0`); `Some(true)` prints every zero, `Some(false)` none.
    pub show_zero: Option<bool>,
    /// 本级政府: whether this is a people's government's own report (due 3月31日) rather than
    /// a department's (due 1月31日); `None`: inferred from 机关 (rule Y-DATE).
    pub government: Option<bool>,
}

impl Default for Report {
    fn default() -> Self {
        Report {
            body: String::new(),
            year: 2021,
            title: None,
            published: None,
            preface: Text::default(),
            overview: Section::default(),
            problems: Section::default(),
            other: Section::default(),
            table2: Table2::default(),
            table3: Table3::default(),
            table4: Table4::default(),
            signature: None,
            show_zero: None,
            government: None,
        }
    }
}

/// A cell's value as a report shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellValue<'a> {
    Count(&'a Count),
    Amount(&'a Amount),
}

impl Report {
    /// The title as lines: the explicit `标题`, else 机关 on line 1 and `YYYY年政府信息公开工作年度报告`
    /// on line 2.
    pub fn title_lines(&self) -> Vec<String> {
        match &self.title {
            Some(lines) if !lines.is_empty() => lines.clone(),
            _ => vec![self.body.clone(), format::title_tail(self.year)],
        }
    }

    /// The title as printed: each line broken into balanced lines where it is too long
    /// ([`style::title_breaks`]), the same in every format.
    pub fn printed_title_lines(&self) -> Vec<String> {
        self.title_lines()
            .iter()
            .flat_map(|l| style::title_breaks(l))
            .collect()
    }

    /// The title as one line (document properties, file listings).
    pub fn title_text(&self) -> String {
        self.title_lines().concat()
    }

    /// One of the three text sections.
    pub fn text_section(&self, which: TextSection) -> &Section {
        match which {
            TextSection::Overview => &self.overview,
            TextSection::Problems => &self.problems,
            TextSection::Other => &self.other,
        }
    }

    pub fn text_section_mut(&mut self, which: TextSection) -> &mut Section {
        match which {
            TextSection::Overview => &mut self.overview,
            TextSection::Problems => &mut self.problems,
            TextSection::Other => &mut self.other,
        }
    }

    /// The place of every text the documents print (`机关`, `总体情况/分项/0/内容`, the note of
    /// a cell), in document order: for the checks that concern characters. Read or change
    /// each with [`Report::text`] and [`Report::text_mut`].
    pub fn text_places(&self) -> Vec<Place> {
        let mut out = vec![Place::Key(Key::Body)];
        if let Some(lines) = &self.title {
            out.extend((0..lines.len()).map(Place::TitleLine));
        }
        out.push(Place::Key(Key::Preface));
        for which in [
            TextSection::Overview,
            TextSection::Problems,
            TextSection::Other,
        ] {
            out.push(Place::text(which, TextPart::Intro));
            for j in 0..self.text_section(which).subsections.len() {
                out.push(Place::text(which, TextPart::SubsectionTitle(j)));
                out.push(Place::text(which, TextPart::SubsectionBody(j)));
            }
        }
        if self.signature.is_some() {
            out.push(Place::Key(Key::SignatureBody));
        }
        // The model's order: table 二 row by row, then 三 and 四.
        let t2 = (0..format::T2_TRIPLE_ROWS.len())
            .flat_map(|row| (0..3).map(move |col| ValueRef::T2Document { row, col }))
            .chain((0..format::T2_COUNT_ROWS.len()).map(|row| ValueRef::T2Decision { row }))
            .chain(std::iter::once(ValueRef::T2Fee));
        let t3 = (0..T3_ROWS.len())
            .flat_map(|row| (0..T3_COLUMNS.len()).map(move |col| ValueRef::T3 { row, col }));
        let t4 = (0..T4_GROUPS.len()).flat_map(|group| {
            (0..format::T4_COLUMNS.len()).map(move |col| ValueRef::T4 { group, col })
        });
        let notes = t2.chain(t3).chain(t4).filter(|v| self.note(*v).is_some());
        out.extend(notes.map(Place::Value));
        out
    }

    /// The text at a place of [`Report::text_places`].
    pub fn text(&self, place: &Place) -> Option<&String> {
        match *place {
            Place::Key(Key::Body) => Some(&self.body),
            Place::TitleLine(i) => self.title.as_ref()?.get(i),
            Place::Key(Key::Preface) => Some(&self.preface.0),
            Place::Key(Key::SignatureBody) => Some(&self.signature.as_ref()?.body),
            Place::Text {
                section,
                part: Some(part),
            } => {
                let sec = self.text_section(section);
                match part {
                    TextPart::Intro => Some(&sec.intro.0),
                    TextPart::SubsectionTitle(j) => Some(&sec.subsections.get(j)?.title),
                    TextPart::SubsectionBody(j) => Some(&sec.subsections.get(j)?.body.0),
                    _ => None,
                }
            }
            Place::Value(v) => self.note(v).as_ref(),
            _ => None,
        }
    }

    /// [`Report::text`], to change it.
    pub fn text_mut(&mut self, place: &Place) -> Option<&mut String> {
        match *place {
            Place::Key(Key::Body) => Some(&mut self.body),
            Place::TitleLine(i) => self.title.as_mut()?.get_mut(i),
            Place::Key(Key::Preface) => Some(&mut self.preface.0),
            Place::Key(Key::SignatureBody) => Some(&mut self.signature.as_mut()?.body),
            Place::Text {
                section,
                part: Some(part),
            } => {
                let sec = self.text_section_mut(section);
                match part {
                    TextPart::Intro => Some(&mut sec.intro.0),
                    TextPart::SubsectionTitle(j) => Some(&mut sec.subsections.get_mut(j)?.title),
                    TextPart::SubsectionBody(j) => Some(&mut sec.subsections.get_mut(j)?.body.0),
                    _ => None,
                }
            }
            Place::Value(v) => self.note_mut(v).as_mut(),
            _ => None,
        }
    }

    fn note(&self, v: ValueRef) -> &Option<String> {
        match self.cell(v) {
            CellValue::Count(c) => &c.note,
            CellValue::Amount(a) => &a.note,
        }
    }

    fn note_mut(&mut self, v: ValueRef) -> &mut Option<String> {
        match v {
            ValueRef::T2Document { row, col } => &mut self.table2.documents[row][col].note,
            ValueRef::T2Decision { row } => &mut self.table2.decisions[row].note,
            ValueRef::T2Fee => &mut self.table2.fee.note,
            ValueRef::T3 { row, col } => &mut self.table3.cells[row][col].note,
            ValueRef::T4 { group, col } => &mut self.table4.cells[group][col].note,
        }
    }

    /// The date stamped into every output's metadata (the house style's one rule).
    pub fn stamp_date(&self) -> Date {
        style::stamp_date(
            self.published,
            self.signature.as_ref().and_then(|s| s.date),
            self.year,
        )
    }

    pub fn cell(&self, v: ValueRef) -> CellValue<'_> {
        match v {
            ValueRef::T2Document { row, col } => CellValue::Count(&self.table2.documents[row][col]),
            ValueRef::T2Decision { row } => CellValue::Count(&self.table2.decisions[row]),
            ValueRef::T2Fee => CellValue::Amount(&self.table2.fee),
            ValueRef::T3 { row, col } => CellValue::Count(&self.table3.cells[row][col]),
            ValueRef::T4 { group, col } => CellValue::Count(&self.table4.cells[group][col]),
        }
    }

    /// Every count cell of the three tables (all but the fee), in table order.
    pub fn counts(&self) -> impl Iterator<Item = &Count> {
        self.table2
            .documents
            .iter()
            .flatten()
            .chain(self.table2.decisions.iter())
            .chain(self.table3.cells.iter().flatten())
            .chain(self.table4.cells.iter().flatten())
    }

    /// [`Report::counts`], mutable, in the same order.
    pub fn counts_mut(&mut self) -> impl Iterator<Item = &mut Count> {
        self.table2
            .documents
            .iter_mut()
            .flatten()
            .chain(self.table2.decisions.iter_mut())
            .chain(self.table3.cells.iter_mut().flatten())
            .chain(self.table4.cells.iter_mut().flatten())
    }

    pub fn cell_mut_count(&mut self, v: ValueRef) -> Option<&mut Count> {
        match v {
            ValueRef::T2Document { row, col } => Some(&mut self.table2.documents[row][col]),
            ValueRef::T2Decision { row } => Some(&mut self.table2.decisions[row]),
            ValueRef::T2Fee => None,
            ValueRef::T3 { row, col } => Some(&mut self.table3.cells[row][col]),
            ValueRef::T4 { group, col } => Some(&mut self.table4.cells[group][col]),
        }
    }

    /// Whether a zero in this cell prints as `0` (else blank): `显示零值` when given, else
    /// what the input did with the cell.
    pub fn prints_zero(&self, v: ValueRef) -> bool {
        self.show_zero.unwrap_or(match self.cell(v) {
            CellValue::Count(c) => !c.blank,
            CellValue::Amount(a) => !a.blank,
        })
    }

    /// The text a table cell shows: the number (a zero blank unless [`Report::prints_zero`])
    /// and its note in full-width brackets.
    pub fn cell_text(&self, v: ValueRef) -> String {
        let (num, zero, note) = match self.cell(v) {
            CellValue::Count(c) => (c.value.to_string(), c.value == 0, &c.note),
            CellValue::Amount(a) => (a.value.to_string(), a.value.is_zero(), &a.note),
        };
        let num = if zero && !self.prints_zero(v) {
            String::new()
        } else {
            num
        };
        match note {
            Some(n) if !n.trim().is_empty() => format!("{num}（{}）", n.trim()),
            _ => num,
        }
    }

    /// Fills every 总计 from its parts: the total column of table 三, the （七）总计 row, and the
    /// 总计 of each group of table 四. Readers call it for totals the input left out.
    pub fn compute_totals(&mut self) {
        self.compute_t3_row_totals();
        self.compute_t3_results_total();
        for g in 0..T4_GROUPS.len() {
            self.table4.compute_total(g);
        }
    }

    /// Adds the tables of `other` to this report's (for city-wide sums). Notes are not summed.
    /// Returns false if the fee overflowed (then it is left unchanged).
    pub fn add_tables(&mut self, other: &Report) -> bool {
        for (a, b) in self.counts_mut().zip(other.counts()) {
            a.add(b);
        }
        match self.table2.fee.value.checked_add(&other.table2.fee.value) {
            Some(v) => {
                self.table2.fee.value = v;
                self.table2.fee.blank &= other.table2.fee.blank;
                true
            }
            None => false,
        }
    }

    fn compute_t3_row_totals(&mut self) {
        for r in 0..T3_ROWS.len() {
            self.table3.compute_row_total(r);
        }
    }

    /// Fills the （七）总计 row from the result rows, keeping each cell's note.
    pub fn compute_t3_results_total(&mut self) {
        let t = format::t3_row_index(format::T3Role::ResultsTotal);
        for c in 0..T3_COLUMNS.len() {
            let sum = Count::total_of(
                T3_ROWS
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.role == format::T3Role::Result)
                    .map(|(i, _)| &self.table3.cells[i][c]),
            );
            let cell = &mut self.table3.cells[t][c];
            cell.value = sum.value;
            cell.blank = sum.blank;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_keeps_digits() {
        for s in ["0", "7730.28", "59237.2449", "7730.20", "0.05", "96171.6"] {
            assert_eq!(Decimal::parse(s).unwrap().to_string(), s);
        }
        for s in ["", "-1", "1.", ".5", "1e5", "12万", "1.2.3"] {
            assert!(Decimal::parse(s).is_none(), "{s}");
        }
        let a = Decimal::parse("7730.28").unwrap();
        let b = Decimal::parse("59237.2449").unwrap();
        assert_eq!(a.checked_add(&b).unwrap().to_string(), "66967.5249");
    }

    #[test]
    fn dates() {
        assert_eq!(
            Date::parse("2022-01-27").unwrap().chinese(),
            "2022年1月27日"
        );
        assert_eq!(
            Date::parse("2022年1月27日").unwrap().to_string(),
            "2022-01-27"
        );
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("二〇二二-01-01").is_none());
    }

    #[test]
    fn paragraphs_and_headings() {
        let t = Text("第一段\n续行\n\n\n第二段\n".into());
        assert_eq!(t.paragraphs(), vec!["第一段续行", "第二段"]);
        let s = Subsection {
            title: "主动公开".into(),
            body: Text::default(),
        };
        assert_eq!(s.heading(0), "（一）主动公开。");
        let s = Subsection {
            title: "政策解读。".into(),
            body: Text::default(),
        };
        assert_eq!(s.heading(4), "（五）政策解读。");
    }

    #[test]
    fn cell_text_blank_zero_and_note() {
        let mut r = Report::default();
        r.table2.documents[0][0] = Count::with_note(22, Some("其中修订16件".into()));
        let v = ValueRef::T2Document { row: 0, col: 0 };
        assert_eq!(r.cell_text(v), "22（其中修订16件）");
        // An explicit 0 prints, a cell left empty does not — unless 显示零值 says otherwise.
        r.table2.documents[0][1] = Count::new(0);
        let z = ValueRef::T2Document { row: 0, col: 1 };
        let empty = ValueRef::T2Document { row: 0, col: 2 };
        assert_eq!(
            (r.cell_text(z).as_str(), r.cell_text(empty).as_str()),
            ("0", "")
        );
        r.show_zero = Some(false);
        assert_eq!(
            (r.cell_text(z).as_str(), r.cell_text(empty).as_str()),
            ("", "")
        );
        r.show_zero = Some(true);
        assert_eq!(
            (r.cell_text(z).as_str(), r.cell_text(empty).as_str()),
            ("0", "0")
        );
    }

    #[test]
    fn a_body_is_the_same_behind_its_regions_names() {
        assert!(same_body("淮安市洪泽区人民政府", "洪泽区人民政府"));
        assert!(same_body("洪泽区人民政府", "江苏省淮安市洪泽区人民政府"));
        assert!(same_body("廊坊市人民政府", "廊坊市人民政府"));
        assert!(!same_body("北京市人民政府", "人民政府"));
        assert!(!same_body("淮安市公安局", "公安局"));
        assert!(!same_body("淮安市洪泽区人民政府", "淮安区人民政府"));
        assert!(!same_body("某某洪泽区人民政府", "洪泽区人民政府"));
    }

    #[test]
    fn computed_totals_are_blank_only_when_every_part_is() {
        let mut r = Report::default();
        r.compute_totals();
        let total = |r: &Report, row: usize| r.table3.cells[row][T3_TOTAL_COL].clone();
        assert!(total(&r, 0).blank);
        r.table3.cells[0][2] = Count::new(0);
        r.compute_totals();
        assert_eq!((total(&r, 0).value, total(&r, 0).blank), (0, false));
        let mut sum = Report::default();
        assert!(sum.add_tables(&r));
        assert!(!sum.table3.cells[0][2].blank && sum.table3.cells[0][3].blank);
    }
}
