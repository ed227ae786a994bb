//! `xxgk compare LAST THIS`: one body's two consecutive reports side by side — every cell of
//! tables 二, 三, 四 with both years and the change, the carry-over checks with both values, each
//! text section's share of last year's words and its sentences new, gone and kept, and at the
//! top what an assessor would mark first.
//!
//! Both reports are read and checked by the job pipeline ([`crate::job`]), this year's with last
//! year's as its previous report, so the comparison says what `check --previous` says. The model
//! ([`Comparison`]) is built once; [`html`] and [`paged`] (→ PDF) show it, and it is the JSON.

pub mod html;
pub mod paged;

use crate::diag::{Diagnostic, Rule, Severity};
use crate::job;
use crate::model::{CellValue, Report};
use crate::spec::format::{self, T3Role, TextSection, ValueRef, T3_COLUMNS};
use crate::spec::place::Place;
use crate::validate::{assess, similar};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::Path;

/// The version of the comparison's JSON (raised when a field changes meaning or goes away).
pub const JSON_VERSION: u32 = 1;

/// One side of the comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub file: String,
    pub body: String,
    pub year: u16,
    /// How the report's own check ended (通过、有警告、数据有误…).
    pub status: &'static str,
    pub errors: usize,
    pub warnings: usize,
}

/// One value cell in both years.
#[derive(Debug, Clone, Serialize)]
pub struct CellChange {
    /// Cell path of `docs/INPUT.md` (`表三/本年新收/总计`).
    pub cell: String,
    /// The row and the column as labels (`本年新收`, `总计`).
    pub label: String,
    /// Exact values as written (the fee keeps its decimals).
    pub last: String,
    pub this: String,
    /// This year minus last year, as text with its sign (`+8`, `−3`, `0`).
    pub change: String,
    /// The change in percent of last year's value (one decimal); `None` when last year's is 0.
    pub percent: Option<f64>,
    /// Doubled or halved, the larger at least 10 (as rule Y-JUMP counts).
    pub large: bool,
}

/// One table's cells.
#[derive(Debug, Clone, Serialize)]
pub struct TableChange {
    /// `表二`, `表三`, `表四`.
    pub table: String,
    /// The section heading (`三、收到和处理政府信息公开申请情况`).
    pub heading: String,
    pub cells: Vec<CellChange>,
}

/// A continuity check: what this year's value should be by last year's report, and what it is.
#[derive(Debug, Clone, Serialize)]
pub struct Continuity {
    pub rule: &'static str,
    pub what: String,
    /// The value last year's report gives for it (or the value it should be).
    pub expected: String,
    pub this: String,
    pub ok: bool,
}

/// What became of one sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SentenceKind {
    /// Word for word as last year.
    Kept,
    /// Last year's sentence with other figures or a few words changed.
    Changed,
    /// Not in last year's section.
    New,
    /// In last year's section, not in this year's.
    Gone,
}

impl SentenceKind {
    pub fn chinese(&self) -> &'static str {
        match self {
            SentenceKind::Kept => "相同",
            SentenceKind::Changed => "改动",
            SentenceKind::New => "新增",
            SentenceKind::Gone => "删去",
        }
    }
}

/// One sentence of the diff.
#[derive(Debug, Clone, Serialize)]
pub struct Sentence {
    pub kind: SentenceKind,
    /// The sentence as this year writes it (last year's, for a gone one).
    pub text: String,
    /// Last year's sentence, for a changed one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last: Option<String>,
}

/// One text section in both years.
#[derive(Debug, Clone, Serialize)]
pub struct SectionChange {
    pub heading: String,
    /// The share of this year's text already in last year's (rule Y-SIMILAR's measure), 0–1.
    pub similarity: f64,
    /// Characters compared, each year (punctuation and white space left out).
    pub chars_last: usize,
    pub chars_this: usize,
    pub kept: usize,
    pub changed: usize,
    pub new: usize,
    pub gone: usize,
    pub sentences: Vec<Sentence>,
}

/// One finding of the summary.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub rule: Rule,
    pub message: String,
    /// The cell or text it is about (a path of `docs/INPUT.md`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
}

/// The comparison of two years of one body.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub version: u32,
    pub last: Side,
    pub this: Side,
    /// What an assessor would mark first, in that order.
    pub summary: Vec<Finding>,
    /// How many cells changed much (see [`CellChange::large`]).
    pub large_changes: usize,
    pub tables: Vec<TableChange>,
    pub continuity: Vec<Continuity>,
    pub sections: Vec<SectionChange>,
    /// The date stamped into the documents' metadata: this year's report's (deterministic).
    #[serde(skip)]
    pub stamp: crate::spec::date::Date,
}

/// The rules in the order an assessor reads them: errors first (an arithmetic error is marked
/// before anything), then lateness, copying, silence, unexplained jumps, the carry-overs.
fn priority(d: &Diagnostic) -> (u8, u8) {
    let rule = match d.rule {
        Rule::YDate => 0,
        Rule::YSimilar => 1,
        Rule::SectionEmpty => 2,
        Rule::YJump => 3,
        Rule::T4Explain => 4,
        Rule::FeeText => 5,
        Rule::YCarry | Rule::YInforce => 6,
        Rule::TextTable => 7,
        Rule::YPrevious => 8,
        _ => 9,
    };
    (u8::from(!d.is_error()), rule)
}

/// Why a comparison could not be made: a report that could not be read (IO, exit 2) or not as
/// a report at all (exit 1).
#[derive(Debug)]
pub struct Failed {
    pub diagnostics: Vec<Diagnostic>,
    pub exit_code: i32,
    pub file: String,
}

fn read_side(path: &Path, previous: Option<&Report>) -> Result<(job::Outcome, Report), Failed> {
    let file = path.display().to_string();
    let parsed = job::read(job::Input::Path(path)).map_err(|d| Failed {
        diagnostics: vec![d],
        exit_code: 2,
        file: file.clone(),
    })?;
    if !parsed.complete || !crate::validate::budget::within(&parsed.report) {
        // Not a report, or far more text than one (rule TEXT says so): nothing to compare.
        let mut parsed = parsed;
        crate::validate::check(&mut parsed, &crate::validate::Checks::default());
        let diagnostics = parsed.diagnostics;
        return Err(Failed {
            exit_code: crate::diag::exit_code(&diagnostics).max(1),
            diagnostics,
            file,
        });
    }
    let opts = job::Options {
        previous,
        ..job::Options::default()
    };
    let mut o = job::run_parsed(parsed, &opts);
    let report = o.report.take().unwrap_or_default();
    Ok((o, report))
}

fn side(path: &Path, o: &job::Outcome, r: &Report) -> Side {
    let errors = o.diagnostics.iter().filter(|d| d.is_error()).count();
    Side {
        file: path.display().to_string(),
        body: r.body.clone(),
        year: r.year,
        status: o.status.chinese(),
        errors,
        warnings: o.diagnostics.len() - errors,
    }
}

/// Reads both reports through the job pipeline and compares them. Returns the comparison and
/// the two outcomes (their diagnostics, for the command's output and exit code).
pub fn run(last: &Path, this: &Path) -> Result<(Comparison, job::Outcome, job::Outcome), Failed> {
    let (o_last, r_last) = read_side(last, None)?;
    let (o_this, r_this) = read_side(this, Some(&r_last))?;
    let mut c = compare(&r_last, &r_this, &o_this.diagnostics);
    c.last = side(last, &o_last, &r_last);
    c.this = side(this, &o_this, &r_this);
    Ok((c, o_last, o_this))
}

/// The comparison of two reports; `diagnostics` are this year's, checked with last year's.
pub fn compare(last: &Report, this: &Report, diagnostics: &[Diagnostic]) -> Comparison {
    let tables = tables(last, this);
    let large_changes = tables
        .iter()
        .flat_map(|t| &t.cells)
        .filter(|c| c.large)
        .count();
    let mut findings: Vec<&Diagnostic> = diagnostics.iter().collect();
    findings.sort_by_key(|d| priority(d));
    let summary = findings
        .into_iter()
        .map(|d| Finding {
            severity: d.severity,
            rule: d.rule,
            message: d.message.clone(),
            cell: d.place.as_ref().map(Place::path),
        })
        .collect();
    let blank = |r: &Report| Side {
        file: String::new(),
        body: r.body.clone(),
        year: r.year,
        status: "",
        errors: 0,
        warnings: 0,
    };
    Comparison {
        version: JSON_VERSION,
        last: blank(last),
        this: blank(this),
        summary,
        large_changes,
        tables,
        continuity: continuity(last, this),
        sections: [
            TextSection::Overview,
            TextSection::Problems,
            TextSection::Other,
        ]
        .iter()
        .map(|&w| section(last, this, w))
        .collect(),
        stamp: this.stamp_date(),
    }
}

/// A cell's value as a number (for the change) and as written.
fn value(r: &Report, v: ValueRef) -> (f64, String) {
    match r.cell(v) {
        CellValue::Count(c) => (c.value as f64, c.value.to_string()),
        CellValue::Amount(a) => (a.value.to_f64(), a.value.to_string()),
    }
}

/// A change with its sign, in as many decimals as it needs (at most four): `+8`, `−3`, `0`,
/// `+1.25`.
fn signed(d: f64) -> String {
    let s = format!("{:.4}", d.abs());
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "0" {
        "0".to_string()
    } else if d > 0.0 {
        format!("+{s}")
    } else {
        format!("−{s}")
    }
}

fn cell_change(last: &Report, this: &Report, v: ValueRef) -> CellChange {
    let (a, a_text) = value(last, v);
    let (b, b_text) = value(this, v);
    let path = Place::Value(v).path();
    let label = path
        .split_once('/')
        .map_or(path.as_str(), |x| x.1)
        .to_string();
    let percent = (a != 0.0).then(|| ((b - a) / a * 1000.0).round() / 10.0);
    let large = a.max(b) >= assess::JUMP_MIN as f64 && (b >= 2.0 * a || 2.0 * b <= a);
    CellChange {
        cell: path.clone(),
        label: label.replace('/', " · "),
        last: a_text,
        this: b_text,
        change: signed(b - a),
        percent,
        large,
    }
}

fn tables(last: &Report, this: &Report) -> Vec<TableChange> {
    format::tables()
        .iter()
        .map(|grid| {
            let heading = format::SECTIONS
                .iter()
                .find(|s| s.kind == format::SectionKind::Table(grid.id))
                .map(|s| s.heading())
                .unwrap_or_default();
            // The cells in the model's order (row by row), whatever the grid's layout.
            let mut values: Vec<ValueRef> = grid.values().map(|(_, v)| v).collect();
            values.sort();
            TableChange {
                table: grid.name().to_string(),
                heading,
                cells: values
                    .into_iter()
                    .map(|v| cell_change(last, this, v))
                    .collect(),
            }
        })
        .collect()
}

fn continuity(last: &Report, this: &Report) -> Vec<Continuity> {
    let mut out = vec![
        Continuity {
            rule: Rule::YPrevious.id(),
            what: "年度：本年报告应是上年报告的下一年".into(),
            expected: last.year.saturating_add(1).to_string(),
            this: this.year.to_string(),
            ok: last.year.saturating_add(1) == this.year,
        },
        Continuity {
            rule: Rule::YPrevious.id(),
            what: "机关：两年应是同一机关".into(),
            expected: last.body.clone(),
            this: this.body.clone(),
            ok: last.body == this.body,
        },
    ];
    let carried_in = format::t3_row_index(T3Role::CarriedIn);
    let carried_out = format::t3_row_index(T3Role::CarriedOut);
    for (c, col) in T3_COLUMNS.iter().enumerate() {
        let (a, b) = (
            last.table3.cells[carried_out][c].value,
            this.table3.cells[carried_in][c].value,
        );
        out.push(Continuity {
            rule: Rule::YCarry.id(),
            what: format!("表三“上年结转”（{col}）= 上年“结转下年度继续办理”"),
            expected: a.to_string(),
            this: b.to_string(),
            ok: a == b,
        });
    }
    for (row, key) in format::T2_TRIPLE_ROWS.iter().enumerate() {
        let d = &this.table2.documents[row];
        let before = last.table2.documents[row][2].value as i128;
        let expected = before + d[0].value as i128 - d[1].value as i128;
        out.push(Continuity {
            rule: Rule::YInforce.id(),
            what: format!(
                "表二“{key}”现行有效 = 上年现行有效 {before} + 本年制发 {} − 本年废止 {}",
                d[0].value, d[1].value
            ),
            expected: expected.to_string(),
            this: d[2].value.to_string(),
            ok: d[2].value as i128 == expected,
        });
    }
    out
}

/// Sentence pairs compared word for word are bounded: beyond this many, sentences are matched
/// only when equal (a 200,000-character report would otherwise take minutes).
const MAX_PAIRS: usize = 250_000;

/// A changed sentence shares at least this much of its trigrams with last year's.
const CHANGED_AT: f64 = 0.6;

/// Index entries walked for changed sentences in one section, at most: text that repeats the
/// same phrases in every sentence would otherwise walk long lists for each of its sentences.
const MAX_STEPS: usize = 5_000_000;

/// The distinct trigrams of normalized text, sorted.
fn trigram_set(n: &[char]) -> Vec<u64> {
    let mut v: Vec<u64> = similar::trigrams(n).collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn section(last: &Report, this: &Report, which: TextSection) -> SectionChange {
    let heading = format::SECTIONS
        .iter()
        .find(|s| s.kind == format::SectionKind::Text(which))
        .map(|s| s.heading())
        .unwrap_or_default();
    let (t_last, t_this) = (
        assess::section_text(last, which),
        assess::section_text(this, which),
    );
    let (n_last, n_this) = (similar::normalize(&t_last), similar::normalize(&t_this));
    let similarity = (similar::containment(&n_this, &n_last) * 1000.0).round() / 1000.0;
    let (s_last, s_this) = (similar::sentences(&t_last), similar::sentences(&t_this));
    let norm_last: Vec<Vec<char>> = s_last.iter().map(|s| similar::normalize(s)).collect();
    let mut used = vec![false; s_last.len()];
    let mut sentences = vec![];
    let fuzzy = s_last.len().saturating_mul(s_this.len()) <= MAX_PAIRS;
    // Last year's sentences by their text and by their normalized text, in order: equal
    // sentences are found in one look-up however long the sections are.
    let mut by_text: BTreeMap<&str, VecDeque<usize>> = BTreeMap::new();
    let mut by_norm: BTreeMap<&[char], VecDeque<usize>> = BTreeMap::new();
    for (j, s) in s_last.iter().enumerate() {
        by_text.entry(s.as_str()).or_default().push_back(j);
        by_norm
            .entry(norm_last[j].as_slice())
            .or_default()
            .push_back(j);
    }
    // Each trigram of last year's sentences → the sentences that have it.
    let sets_last: Vec<Vec<u64>> = norm_last.iter().map(|n| trigram_set(n)).collect();
    let mut index: HashMap<u64, Vec<usize>> = HashMap::new();
    for (j, set) in sets_last.iter().enumerate() {
        for g in set {
            index.entry(*g).or_default().push(j);
        }
    }
    let steps = &mut 0usize;
    let take = |q: Option<&mut VecDeque<usize>>, used: &[bool]| -> Option<usize> {
        let q = q?;
        while let Some(&j) = q.front() {
            if !used[j] {
                return Some(j);
            }
            q.pop_front();
        }
        None
    };
    for s in &s_this {
        let n = similar::normalize(s);
        // Word for word first, then the same with other figures, then the closest rewrite.
        let exact = take(by_text.get_mut(s.as_str()), &used);
        let same = exact.or_else(|| take(by_norm.get_mut(n.as_slice()), &used));
        let close = same.or_else(|| {
            if !fuzzy || *steps > MAX_STEPS {
                return None;
            }
            // Candidates: last year's sentences that share enough distinct trigrams (from the
            // index), then the measure itself on those few only.
            let mine = trigram_set(&n);
            let mut shared: BTreeMap<usize, usize> = BTreeMap::new();
            for g in &mine {
                if let Some(list) = index.get(g) {
                    *steps += list.len();
                    for &j in list {
                        *shared.entry(j).or_default() += 1;
                    }
                }
            }
            let mut best: Option<(usize, f64)> = None;
            for (j, k) in shared {
                let smaller = mine.len().min(sets_last[j].len()).max(1);
                if used[j] || (k as f64) < CHANGED_AT * smaller as f64 / 2.0 {
                    continue;
                }
                // Both ways, so that a sentence cut to a few words is not “the same”.
                let r = similar::containment(&n, &norm_last[j])
                    .min(similar::containment(&norm_last[j], &n));
                if r >= CHANGED_AT && best.is_none_or(|(_, b)| r > b) {
                    best = Some((j, r));
                }
            }
            best.map(|(j, _)| j)
        });
        match close {
            Some(j) => {
                used[j] = true;
                let kind = if exact == Some(j) {
                    SentenceKind::Kept
                } else {
                    SentenceKind::Changed
                };
                sentences.push(Sentence {
                    kind,
                    text: s.clone(),
                    last: (kind == SentenceKind::Changed).then(|| s_last[j].clone()),
                });
            }
            None => sentences.push(Sentence {
                kind: SentenceKind::New,
                text: s.clone(),
                last: None,
            }),
        }
    }
    for (j, s) in s_last.iter().enumerate() {
        if !used[j] {
            sentences.push(Sentence {
                kind: SentenceKind::Gone,
                text: s.clone(),
                last: None,
            });
        }
    }
    let count = |k: SentenceKind| sentences.iter().filter(|s| s.kind == k).count();
    SectionChange {
        heading,
        similarity,
        chars_last: n_last.len(),
        chars_this: n_this.len(),
        kept: count(SentenceKind::Kept),
        changed: count(SentenceKind::Changed),
        new: count(SentenceKind::New),
        gone: count(SentenceKind::Gone),
        sentences,
    }
}

impl Comparison {
    /// The title: `XX 2021年与2022年政府信息公开工作年度报告对比`.
    pub fn title(&self) -> String {
        format!(
            "{}{}年与{}年政府信息公开工作年度报告对比",
            self.this.body, self.last.year, self.this.year
        )
    }

    /// The PDF: the comparison's blocks through the one layout engine and the PDF writer.
    pub fn pdf(&self, fonts: &crate::render::paged::Fonts) -> Result<Vec<u8>, Diagnostic> {
        let doc = paged::document(self, self.stamp);
        let laid = crate::render::paged::layout(&doc, fonts)?;
        crate::render::pdf::render(&laid, fonts, Default::default())
    }

    /// The JSON document (pretty, deterministic).
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// A percent as printed: `+50.0%`, or `—` when last year's value was 0.
    pub fn percent_text(p: Option<f64>) -> String {
        match p {
            Some(p) if p > 0.0 => format!("+{p:.1}%"),
            Some(p) if p < 0.0 => format!("−{:.1}%", -p),
            Some(_) => "0.0%".to_string(),
            None => "—".to_string(),
        }
    }

    /// One sentence per section for the summary: how much of it is last year's.
    pub fn section_line(s: &SectionChange) -> String {
        format!("{}：{}", s.heading, Self::section_counts(s))
    }

    /// [`Comparison::section_line`] without the heading.
    pub fn section_counts(s: &SectionChange) -> String {
        format!(
            "与上年相同的文字占 {}%（相同 {} 句、改动 {} 句、新增 {} 句、删去 {} 句）",
            (s.similarity * 100.0).floor() as u32,
            s.kept,
            s.changed,
            s.new,
            s.gone
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_carry_their_sign() {
        assert_eq!(signed(8.0), "+8");
        assert_eq!(signed(-3.0), "−3");
        assert_eq!(signed(0.0), "0");
        assert_eq!(signed(1.25), "+1.25");
        assert_eq!(Comparison::percent_text(Some(50.0)), "+50.0%");
        assert_eq!(Comparison::percent_text(None), "—");
    }
}
