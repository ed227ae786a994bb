//! The one document between the report and the writers: what is printed, in the order it is
//! printed, built once from the report and [`crate::spec`]. The paged engine lays it out (for
//! PDF and OFD), Word and HTML walk the same blocks, so the order of a report is written here
//! and nowhere else.

use crate::model::Report;
use crate::spec::date::Date;
use crate::spec::format::{self, Content, SectionKind, TableGrid};
use crate::spec::place::{Key, Place, TextPart};

/// The language of every report.
pub const LANG: &str = "zh-CN";

/// What every format states about the document besides its text.
#[derive(Debug, Clone, PartialEq)]
pub struct DocInfo {
    /// The title as one line.
    pub title: String,
    /// The body that publishes the report.
    pub author: String,
    /// The official format the report follows.
    pub subject: &'static str,
    /// The date stamped into the metadata and the packages (the house style's one rule).
    pub date: Date,
    pub lang: &'static str,
    /// The report's data as YAML, embedded in every document ([`crate::render::embed`]).
    pub data: String,
}

/// One block of the document, in print order. `place` is where the text came from in the
/// report's data, so that a character no font has is reported where the clerk wrote it.
#[derive(Debug, Clone)]
pub enum Block {
    /// The title lines as printed (already broken where too long) and the publication date
    /// under them, in Chinese.
    Title {
        lines: Vec<String>,
        date: Option<String>,
        place: Place,
    },
    /// A body paragraph.
    Paragraph { text: String, place: Place },
    /// A section heading (`一、总体情况`): what the outline and the bookmarks point at.
    Heading { text: String, place: Place },
    /// A subsection's run-in heading (`（一）主动公开。`) with the first paragraph of its text on
    /// the same line, if it has any.
    RunIn {
        head: String,
        text: Option<String>,
        place: Place,
    },
    /// One of the tables: its grid and the text of each cell, by cell index.
    Table { grid: TableGrid, cells: Vec<String> },
    /// The 落款: the body's name (trimmed) and the date, in Chinese.
    Signature { body: String, date: Option<String> },
}

/// The document: its info and its blocks.
#[derive(Debug, Clone)]
pub struct Document {
    pub info: DocInfo,
    pub blocks: Vec<Block>,
}

impl Document {
    /// The report as printed: title block, preface, the six sections in the official order
    /// (each heading, then its text or its table), the signature.
    pub fn of(report: &Report) -> Document {
        // One date on the page: a report carries its date in the 落款 (GB/T 9704 成文日期);
        // the publication date stands under the title only when no 落款 date is printed
        // (docs/FORMAT.md).
        let signed = report.signature.as_ref().and_then(|s| s.date);
        let mut blocks = vec![Block::Title {
            lines: report.printed_title_lines(),
            date: report
                .published
                .filter(|_| signed.is_none())
                .map(|d| d.chinese()),
            place: Place::Key(if report.title.is_some() {
                Key::Title
            } else {
                Key::Body
            }),
        }];
        for text in report.preface.paragraphs() {
            blocks.push(Block::Paragraph {
                text,
                place: Place::Key(Key::Preface),
            });
        }
        for def in format::SECTIONS.iter() {
            blocks.push(Block::Heading {
                text: def.heading(),
                place: match def.kind {
                    SectionKind::Text(section) => Place::Text {
                        section,
                        part: None,
                    },
                    SectionKind::Table(t) => Place::TableSection(t),
                },
            });
            match def.kind {
                SectionKind::Text(which) => {
                    let sec = report.text_section(which);
                    let intro = Place::text(which, TextPart::Intro);
                    for text in sec.intro.paragraphs() {
                        blocks.push(Block::Paragraph { text, place: intro });
                    }
                    for (j, sub) in sec.subsections.iter().enumerate() {
                        let place = Place::text(which, TextPart::Subsection(j));
                        let mut paras = sub.body.paragraphs().into_iter();
                        blocks.push(Block::RunIn {
                            head: sub.heading(j),
                            text: paras.next(),
                            place,
                        });
                        for text in paras {
                            blocks.push(Block::Paragraph { text, place });
                        }
                    }
                }
                SectionKind::Table(t) => {
                    let grid = t.grid();
                    let cells = grid
                        .cells
                        .iter()
                        .map(|c| match c.content {
                            Content::Text(t) => t.to_string(),
                            Content::Value(v) => report.cell_text(v),
                        })
                        .collect();
                    blocks.push(Block::Table { grid, cells });
                }
            }
        }
        if let Some(sig) = &report.signature {
            blocks.push(Block::Signature {
                body: sig.body.trim().to_string(),
                date: sig.date.map(|d| d.chinese()),
            });
        }
        Document {
            info: DocInfo {
                title: report.title_text(),
                author: report.body.trim().to_string(),
                subject: format::FORMAT_SOURCE,
                date: report.stamp_date(),
                lang: LANG,
                data: crate::render::yaml::render(report),
            },
            blocks,
        }
    }

    /// The section headings, in order.
    pub fn headings(&self) -> impl Iterator<Item = &str> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Heading { text, .. } => Some(text.as_str()),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_title_preface_six_sections_and_signature() {
        let r = Report {
            body: " 某局 ".into(),
            year: 2021,
            signature: Some(crate::model::Signature {
                body: " 某局 ".into(),
                date: None,
            }),
            ..Report::default()
        };
        let d = Document::of(&r);
        assert!(
            matches!(d.blocks.first(), Some(Block::Title { lines, date: None, .. }) if lines.len() == 2)
        );
        assert_eq!(d.headings().count(), 6);
        let tables = d
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Table { .. }))
            .count();
        assert_eq!(tables, 3);
        assert!(
            matches!(d.blocks.last(), Some(Block::Signature { body, date: None }) if body == "某局")
        );
        assert_eq!(d.info.author, "某局");
        assert_eq!(d.info.lang, "zh-CN");
    }

    #[test]
    fn one_date_the_signatures_else_the_publication_date_under_the_title() {
        let day = |s| crate::spec::date::Date::parse(s);
        let mut r = Report {
            body: "某局".into(),
            year: 2021,
            published: day("2022-01-27"),
            signature: Some(crate::model::Signature {
                body: "某局".into(),
                date: day("2022-01-20"),
            }),
            ..Report::default()
        };
        let title_date = |r: &Report| match Document::of(r).blocks.first() {
            Some(Block::Title { date, .. }) => date.clone(),
            _ => None,
        };
        assert_eq!(title_date(&r), None, "the 落款 carries the date");
        r.signature.as_mut().unwrap().date = None;
        assert_eq!(title_date(&r).as_deref(), Some("2022年1月27日"));
        r.signature = None;
        assert_eq!(title_date(&r).as_deref(), Some("2022年1月27日"));
    }
}
