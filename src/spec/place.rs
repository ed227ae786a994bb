//! Where in the report a diagnostic, a location or a text is: one typed place, made of the
//! format's own parts (sections, tables, rows, values). The path strings of `docs/INPUT.md`
//! (`表三/本年新收/自然人`, `总体情况/分项/0/内容`) are made from it only when printed.

use super::format::{
    self, keys, TableId, TextSection, ValueRef, T3_CATEGORIES, T3_ROWS, T4_GROUPS,
};
use serde::{Deserialize, Serialize};

/// A top-level key of the report that is not one of the six sections, or a part of 落款.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Key {
    /// 机关.
    Body,
    /// 年度.
    Year,
    /// 标题 (all its lines).
    Title,
    /// 发布日期.
    Published,
    /// 前言.
    Preface,
    /// 落款.
    Signature,
    /// 落款/机关.
    SignatureBody,
    /// 落款/日期.
    SignatureDate,
    /// 显示零值.
    ShowZero,
    /// 本级政府.
    Government,
}

impl Key {
    pub fn path(self) -> String {
        let sig = |part: &str| format!("{}/{part}", keys::SIGNATURE);
        match self {
            Key::Body => keys::BODY.to_string(),
            Key::Year => keys::YEAR.to_string(),
            Key::Title => keys::TITLE.to_string(),
            Key::Published => keys::PUBLISHED.to_string(),
            Key::Preface => keys::PREFACE.to_string(),
            Key::Signature => keys::SIGNATURE.to_string(),
            Key::SignatureBody => sig(keys::SIGNATURE_BODY),
            Key::SignatureDate => sig(keys::SIGNATURE_DATE),
            Key::ShowZero => keys::SHOW_ZERO.to_string(),
            Key::Government => keys::GOVERNMENT.to_string(),
        }
    }
}

/// A part of a text section (一、五、六).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TextPart {
    /// 概述.
    Intro,
    /// 分项, the list.
    Subsections,
    /// One 分项 (0-based).
    Subsection(usize),
    /// The 标题 of one 分项.
    SubsectionTitle(usize),
    /// The 内容 of one 分项.
    SubsectionBody(usize),
}

/// Where in the report: a top-level key, a text section or a part of it, a table, a row of a
/// table, or one value of the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Place {
    Key(Key),
    /// One line of a title written as a list (0-based): `标题/1`.
    TitleLine(usize),
    /// A text section (`总体情况`), or a part of it (`总体情况/分项/0/内容`).
    Text {
        section: TextSection,
        part: Option<TextPart>,
    },
    /// The section that holds a table, by its key (`申请情况`).
    TableSection(TableId),
    /// A table as a whole (`表三`).
    Table(TableId),
    /// A triple row of table 二 (index into `T2_TRIPLE_ROWS`): `表二/规章`.
    T2Row(usize),
    /// A category of table 三 (index into `T3_CATEGORIES`): `表三/不予公开`.
    T3Category(usize),
    /// A row of table 三 (index into `T3_ROWS`): `表三/不予公开/保护第三方合法权益`.
    T3Row(usize),
    /// A group of table 四 (index into `T4_GROUPS`): `表四/行政复议`.
    T4Group(usize),
    /// One value of the tables.
    Value(ValueRef),
}

impl From<ValueRef> for Place {
    fn from(v: ValueRef) -> Self {
        Place::Value(v)
    }
}

impl From<Key> for Place {
    fn from(k: Key) -> Self {
        Place::Key(k)
    }
}

impl Place {
    /// A text section or a part of it.
    pub fn text(section: TextSection, part: TextPart) -> Place {
        Place::Text {
            section,
            part: Some(part),
        }
    }

    /// The path of `docs/INPUT.md`: `表三/本年新收/自然人`, `总体情况/分项/0/内容`, `机关`.
    pub fn path(&self) -> String {
        match *self {
            Place::Key(k) => k.path(),
            Place::TitleLine(i) => format!("{}/{i}", keys::TITLE),
            Place::Text { section, part } => {
                let key = section_key(section);
                let subs = keys::SECTION_SUBSECTIONS;
                match part {
                    None => key.to_string(),
                    Some(TextPart::Intro) => format!("{key}/{}", keys::SECTION_INTRO),
                    Some(TextPart::Subsections) => format!("{key}/{subs}"),
                    Some(TextPart::Subsection(j)) => format!("{key}/{subs}/{j}"),
                    Some(TextPart::SubsectionTitle(j)) => {
                        format!("{key}/{subs}/{j}/{}", keys::SUBSECTION_TITLE)
                    }
                    Some(TextPart::SubsectionBody(j)) => {
                        format!("{key}/{subs}/{j}/{}", keys::SUBSECTION_BODY)
                    }
                }
            }
            Place::TableSection(t) => t.section().key.to_string(),
            Place::Table(t) => t.name().to_string(),
            Place::T2Row(row) => format::t2_cell_path(format::T2_TRIPLE_ROWS[row], None),
            Place::T3Category(c) => format!("{}/{}", format::TABLE3_NAME, T3_CATEGORIES[c].key),
            Place::T3Row(row) => format::t3_row_path(row),
            Place::T4Group(g) => format!("{}/{}", format::TABLE4_NAME, T4_GROUPS[g]),
            Place::Value(v) => v.path(),
        }
    }

    /// The nearest enclosing place (whose location stands in when this one has none).
    pub fn parent(&self) -> Option<Place> {
        match *self {
            Place::Key(Key::SignatureBody | Key::SignatureDate) => Some(Place::Key(Key::Signature)),
            Place::Key(_) | Place::TableSection(_) | Place::Table(_) => None,
            Place::TitleLine(_) => Some(Place::Key(Key::Title)),
            Place::Text { section, part } => match part? {
                TextPart::Intro | TextPart::Subsections => Some(Place::Text {
                    section,
                    part: None,
                }),
                TextPart::Subsection(_) => Some(Place::text(section, TextPart::Subsections)),
                TextPart::SubsectionTitle(j) | TextPart::SubsectionBody(j) => {
                    Some(Place::text(section, TextPart::Subsection(j)))
                }
            },
            Place::T2Row(_) => Some(Place::Table(TableId::T2)),
            Place::T3Category(_) => Some(Place::Table(TableId::T3)),
            Place::T3Row(row) => Some(match T3_ROWS[row].category {
                Some(c) => Place::T3Category(c),
                None => Place::Table(TableId::T3),
            }),
            Place::T4Group(_) => Some(Place::Table(TableId::T4)),
            Place::Value(v) => Some(match v {
                ValueRef::T2Document { row, .. } => Place::T2Row(row),
                ValueRef::T2Decision { .. } | ValueRef::T2Fee => Place::Table(TableId::T2),
                ValueRef::T3 { row, .. } => Place::T3Row(row),
                ValueRef::T4 { group, .. } => Place::T4Group(group),
            }),
        }
    }

    /// Whether the place lies in one of the tables (a cell, a row, a table), not in a text or
    /// a key.
    pub fn in_table(&self) -> bool {
        matches!(
            self,
            Place::Table(_)
                | Place::T2Row(_)
                | Place::T3Category(_)
                | Place::T3Row(_)
                | Place::T4Group(_)
                | Place::Value(_)
        )
    }
}

/// The top-level key of a text section.
fn section_key(which: TextSection) -> &'static str {
    format::SECTIONS
        .iter()
        .find(|s| s.kind == format::SectionKind::Text(which))
        .map_or("", |s| s.key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_those_of_the_input_docs() {
        let cases: [(Place, &str); 10] = [
            (Place::Key(Key::Body), "机关"),
            (Place::Key(Key::SignatureDate), "落款/日期"),
            (Place::TitleLine(1), "标题/1"),
            (
                Place::text(TextSection::Overview, TextPart::SubsectionBody(0)),
                "总体情况/分项/0/内容",
            ),
            (
                Place::text(TextSection::Problems, TextPart::Intro),
                "存在问题及改进情况/概述",
            ),
            (Place::TableSection(TableId::T3), "申请情况"),
            (Place::Table(TableId::T4), "表四"),
            (Place::T2Row(1), "表二/行政规范性文件"),
            (Place::T4Group(0), "表四/行政复议"),
            (
                Place::Value(ValueRef::T3 { row: 0, col: 0 }),
                "表三/本年新收/自然人",
            ),
        ];
        for (place, path) in cases {
            assert_eq!(place.path(), path);
        }
    }

    /// Each parent's path is its child's path cut at the last `/` — as far up as a parent
    /// exists — so that locating by parents finds what locating by path prefixes found.
    #[test]
    fn parents_are_path_prefixes() {
        let mut places = vec![
            Place::Key(Key::SignatureBody),
            Place::TitleLine(0),
            Place::text(TextSection::Other, TextPart::SubsectionTitle(2)),
            Place::text(TextSection::Other, TextPart::Intro),
        ];
        for t in TableId::ALL {
            places.extend(t.grid().values().map(|(_, v)| Place::Value(v)));
        }
        for p in places {
            let mut at = p;
            while let Some(up) = at.parent() {
                let path = at.path();
                let cut = path.rfind('/').map(|i| &path[..i]);
                assert_eq!(Some(up.path().as_str()), cut, "{p:?}");
                at = up;
            }
            assert!(!at.path().contains('/'), "{p:?} stops at {at:?}");
        }
    }
}
