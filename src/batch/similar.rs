//! Rule BATCH-SIMILAR: two bodies of one batch whose section 一, 五 or 六 is near-identical
//! (与其他单位雷同). Each report brings a bottom-k sketch of each section's trigram set (made
//! where it was read, in its worker); the collector compares every pair's sketches — 64 steps a
//! pair and section, so a thousand reports' half a million pairs take a fraction of a second.

use super::Entry;
use crate::diag::{Diagnostic, Place, Rule};
use crate::model::Report;
use crate::spec::format::{self, TextSection};
use crate::validate::assess::section_text;
use crate::validate::similar::{normalize_without, Sketch};

/// The three text sections, in order.
const SECTIONS: [TextSection; 3] = [
    TextSection::Overview,
    TextSection::Problems,
    TextSection::Other,
];

/// Estimated Jaccard similarity of two sections' trigram sets at or above which they are
/// “near-identical”. Sections 一 of eight real reports of different bodies share at most 0.33 of
/// their trigrams one way (containment), far less as Jaccard; a copy with the names and figures
/// changed is above 0.9. The sketch's error is about ±0.05 at 0.8.
pub const SAME_AT: f64 = 0.8;

/// Sections shorter than this (normalized characters) are not compared: “本年度未收取信息处理费。”
/// is what every body rightly writes.
pub const MIN_CHARS: usize = 100;

/// The sketches of a report's three sections, its own name taken out of the text.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sketches(pub Vec<Sketch>);

impl Sketches {
    pub fn of(r: &Report) -> Sketches {
        Sketches(
            SECTIONS
                .iter()
                .map(|&w| Sketch::of(&normalize_without(&section_text(r, w), &r.body)))
                .collect(),
        )
    }
}

fn heading(which: TextSection) -> String {
    format::SECTIONS
        .iter()
        .find(|s| s.kind == format::SectionKind::Text(which))
        .map(|s| s.heading())
        .unwrap_or_default()
}

/// Compares every pair of entries of different bodies and adds a BATCH-SIMILAR warning to both
/// for each near-identical section (a report that passed now has warnings): at most one per
/// section, naming the closest other report and how many there are, so that a thousand copies
/// of one text make three thousand warnings, not a million.
pub fn mark(entries: &mut [Entry]) {
    // Per entry and section: (how many alike, the closest: estimate and index).
    let mut best: Vec<[(usize, f64, usize); 3]> = vec![[(0, 0.0, 0); 3]; entries.len()];
    let mut note = |me: usize, other: usize, s: usize, est: f64| {
        let b = &mut best[me][s];
        // The closest, the first in input order on a tie: the same every run.
        if b.0 == 0 || est > b.1 || (est == b.1 && other < b.2) {
            b.1 = est;
            b.2 = other;
        }
        b.0 += 1;
    };
    for i in 0..entries.len() {
        let (Some(a), Some((ba, _))) = (&entries[i].sketches, &entries[i].body) else {
            continue;
        };
        for (j, other) in entries.iter().enumerate().skip(i + 1) {
            let (Some(b), Some((bb, _))) = (&other.sketches, &other.body) else {
                continue;
            };
            if ba == bb {
                continue;
            }
            for (s, (x, y)) in a.0.iter().zip(&b.0).enumerate() {
                if x.chars < MIN_CHARS || y.chars < MIN_CHARS {
                    continue;
                }
                if let Some(est) = x.jaccard_at_least(y, SAME_AT) {
                    note(i, j, s, est);
                    note(j, i, s, est);
                }
            }
        }
    }
    for me in 0..entries.len() {
        for (s, &(count, est, other)) in best[me].iter().enumerate() {
            if count == 0 {
                continue;
            }
            let which = SECTIONS[s];
            let (file, body) = (
                entries[other].file.clone(),
                entries[other].body.clone().map(|b| b.0).unwrap_or_default(),
            );
            let more = if count > 1 {
                format!("等 {count} 份报告")
            } else {
                String::new()
            };
            let d = Diagnostic::warning(
                Rule::BatchSimilar,
                format!(
                    "“{}”与 {file}（{}）{more}的同一部分几乎相同（相似度约 {}%）",
                    heading(which),
                    crate::input::number::cut(&body),
                    (est * 100.0).round() as u32
                ),
            )
            .with_hint("评估中与其他单位雷同会扣分：写本机关自己的情况")
            .with_place(Place::Text {
                section: which,
                part: None,
            });
            let e = &mut entries[me];
            e.diagnostics.push(d);
            if e.status == super::Status::Passed {
                e.status = super::Status::Warnings;
            }
        }
    }
}
