//! What the layout decides for each paragraph, run and table, before it is written as XML
//! ([`super::document`]). The builder methods read like docx-rs's (which the layout used
//! before), so layout code states a paragraph's whole look; the writer then leaves out
//! whatever the paragraph's style already says.

use crate::spec::style::Face;

/// `w:jc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlignmentType {
    Both,
    Center,
    Left,
    Right,
}

impl AlignmentType {
    pub fn as_str(self) -> &'static str {
        match self {
            AlignmentType::Both => "both",
            AlignmentType::Center => "center",
            AlignmentType::Left => "left",
            AlignmentType::Right => "right",
        }
    }
}

/// The special indent of `w:ind` (only a first-line indent is used).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecialIndentType {
    FirstLine(i32),
}

/// `w:lineRule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineSpacingType {
    Auto,
    Exact,
}

/// `w:spacing` of a paragraph (twips; `line` in 240ths of a line for `Auto`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineSpacing {
    pub rule: LineSpacingType,
    pub line: i32,
    pub before: u32,
    pub after: u32,
}

impl Default for LineSpacing {
    fn default() -> Self {
        Self::new()
    }
}

impl LineSpacing {
    pub fn new() -> Self {
        LineSpacing {
            rule: LineSpacingType::Auto,
            line: 240,
            before: 0,
            after: 0,
        }
    }
    pub fn line_rule(mut self, rule: LineSpacingType) -> Self {
        self.rule = rule;
        self
    }
    pub fn line(mut self, line: i32) -> Self {
        self.line = line;
        self
    }
    pub fn before(mut self, before: u32) -> Self {
        self.before = before;
        self
    }
    pub fn after(mut self, after: u32) -> Self {
        self.after = after;
        self
    }
}

/// `w:ind`: left, right and first-line indent in twips.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Indent {
    pub left: i32,
    pub right: i32,
    pub first_line: i32,
}

/// `w:rFonts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RunFonts {
    pub ascii: &'static str,
    pub hi_ansi: &'static str,
    pub east_asia: &'static str,
    pub cs: &'static str,
    /// `w:hint="eastAsia"`.
    pub east_asia_hint: bool,
}

impl RunFonts {
    pub fn new() -> Self {
        Self::default()
    }
    /// East Asian face for Chinese, the house style's Latin face ([`Face::latin`]: Times New
    /// Roman, the title's own face in the title) for digits and Latin letters. The `eastAsia`
    /// hint makes Word draw ambiguous characters (“ ” — …) in the Chinese face, as a Chinese
    /// IME does.
    pub fn of(east_asia: &'static str) -> Self {
        let latin = Face::of_official_name(east_asia)
            .map_or(Face::Latin.official_name(), |f| f.latin().official_name());
        RunFonts::new()
            .ascii(latin)
            .hi_ansi(latin)
            .east_asia(east_asia)
            .cs(latin)
            .hint(true)
    }
    pub fn ascii(mut self, f: &'static str) -> Self {
        self.ascii = f;
        self
    }
    pub fn hi_ansi(mut self, f: &'static str) -> Self {
        self.hi_ansi = f;
        self
    }
    pub fn east_asia(mut self, f: &'static str) -> Self {
        self.east_asia = f;
        self
    }
    pub fn cs(mut self, f: &'static str) -> Self {
        self.cs = f;
        self
    }
    pub fn hint(mut self, east_asia: bool) -> Self {
        self.east_asia_hint = east_asia;
        self
    }
}

/// Run properties as the layout states them; `None` is "as the style says".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RunProps {
    pub fonts: Option<RunFonts>,
    /// Tracking, twentieths of a point (`w:spacing` in `w:rPr`).
    pub spacing: Option<i32>,
    /// Half-points (`w:sz` and `w:szCs`).
    pub size: Option<usize>,
}

/// `w:fldCharType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldCharType {
    Begin,
    Separate,
    End,
}

/// What a run holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunChild {
    Text(String),
    /// A line break within the paragraph (`w:br`).
    Break,
    FieldChar(FieldCharType),
    InstrText(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Run {
    pub props: RunProps,
    pub children: Vec<RunChild>,
}

impl Run {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn add_text(mut self, text: impl Into<String>) -> Self {
        self.children.push(RunChild::Text(text.into()));
        self
    }
    pub fn add_break(mut self) -> Self {
        self.children.push(RunChild::Break);
        self
    }
    pub fn add_field_char(mut self, kind: FieldCharType) -> Self {
        self.children.push(RunChild::FieldChar(kind));
        self
    }
    pub fn add_instr_text(mut self, instr: &'static str) -> Self {
        self.children.push(RunChild::InstrText(instr));
        self
    }
    pub fn fonts(mut self, fonts: RunFonts) -> Self {
        self.props.fonts = Some(fonts);
        self
    }
    pub fn size(mut self, size: usize) -> Self {
        self.props.size = Some(size);
        self
    }
    pub fn character_spacing(mut self, spacing: i32) -> Self {
        self.props.spacing = Some(spacing);
        self
    }
}

/// Paragraph properties as the layout states them; `None` is "as the style says".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ParaProps {
    pub keep_next: Option<bool>,
    pub widow_control: Option<bool>,
    pub snap_to_grid: Option<bool>,
    pub spacing: Option<LineSpacing>,
    pub indent: Option<Indent>,
    pub align: Option<AlignmentType>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Paragraph {
    /// The paragraph style's id; `None` for `Normal` (the footers).
    pub style: Option<&'static str>,
    pub props: ParaProps,
    /// The paragraph mark's run properties.
    pub mark: RunProps,
    pub runs: Vec<Run>,
}

impl Paragraph {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn style(mut self, id: &'static str) -> Self {
        self.style = Some(id);
        self
    }
    pub fn keep_next(mut self, keep: bool) -> Self {
        self.props.keep_next = Some(keep);
        self
    }
    pub fn widow_control(mut self, on: bool) -> Self {
        self.props.widow_control = Some(on);
        self
    }
    pub fn snap_to_grid(mut self, on: bool) -> Self {
        self.props.snap_to_grid = Some(on);
        self
    }
    pub fn line_spacing(mut self, spacing: LineSpacing) -> Self {
        self.props.spacing = Some(spacing);
        self
    }
    /// Left, first-line and right indents (twips), as docx-rs's `indent` took them (a side not
    /// given is 0).
    pub fn indent(
        mut self,
        left: Option<i32>,
        special: Option<SpecialIndentType>,
        right: Option<i32>,
        _chars: Option<i32>,
    ) -> Self {
        let SpecialIndentType::FirstLine(first_line) =
            special.unwrap_or(SpecialIndentType::FirstLine(0));
        self.props.indent = Some(Indent {
            left: left.unwrap_or(0),
            right: right.unwrap_or(0),
            first_line,
        });
        self
    }
    pub fn align(mut self, align: AlignmentType) -> Self {
        self.props.align = Some(align);
        self
    }
    /// The paragraph mark's fonts.
    pub fn fonts(mut self, fonts: RunFonts) -> Self {
        self.mark.fonts = Some(fonts);
        self
    }
    /// The paragraph mark's size.
    pub fn size(mut self, size: usize) -> Self {
        self.mark.size = Some(size);
        self
    }
    pub fn add_run(mut self, run: Run) -> Self {
        self.runs.push(run);
        self
    }
}

/// `w:vMerge`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VMergeType {
    Restart,
    Continue,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCell {
    /// Twips.
    pub width: usize,
    pub grid_span: usize,
    pub vertical_merge: Option<VMergeType>,
    /// Centred vertically (`w:vAlign`).
    pub v_center: bool,
    pub paragraphs: Vec<Paragraph>,
}

impl TableCell {
    pub fn new(width: usize) -> Self {
        TableCell {
            width,
            grid_span: 1,
            vertical_merge: None,
            v_center: false,
            paragraphs: vec![],
        }
    }
    pub fn vertical_center(mut self) -> Self {
        self.v_center = true;
        self
    }
    pub fn add_paragraph(mut self, p: Paragraph) -> Self {
        self.paragraphs.push(p);
        self
    }
    pub fn grid_span(mut self, n: usize) -> Self {
        self.grid_span = n;
        self
    }
    pub fn vertical_merge(mut self, m: VMergeType) -> Self {
        self.vertical_merge = Some(m);
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    pub cells: Vec<TableCell>,
    pub cant_split: bool,
    /// Repeated at the top of each page (`w:tblHeader`).
    pub header: bool,
    /// Least height, twips (`w:trHeight w:hRule="atLeast"`).
    pub min_height: Option<u32>,
}

impl TableRow {
    pub fn new(cells: Vec<TableCell>) -> Self {
        TableRow {
            cells,
            cant_split: false,
            header: false,
            min_height: None,
        }
    }
    pub fn cant_split(mut self) -> Self {
        self.cant_split = true;
        self
    }
    pub fn header(mut self, header: bool) -> Self {
        self.header = header;
        self
    }
    pub fn min_height(mut self, twips: u32) -> Self {
        self.min_height = Some(twips);
        self
    }
}

/// A table: fixed layout, centred, single rules of `border` eighths of a point on every edge
/// and inside, `cell_margin` twips left and right in each cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub grid: Vec<usize>,
    pub width: usize,
    pub border: usize,
    pub cell_margin: usize,
    pub rows: Vec<TableRow>,
}

/// A body element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    P(Box<Paragraph>),
    T(Box<Table>),
}

/// The document's body and its two footers (odd and even pages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    pub blocks: Vec<Block>,
    pub footer_odd: Paragraph,
    pub footer_even: Paragraph,
}
