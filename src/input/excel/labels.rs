//! Labels: how well a cell's text matches an official label — in the one normalised form and
//! with the one typo measure of [`crate::input::suggest`], which the YAML reader's suggestions
//! use too.

pub(super) use crate::input::suggest::{fold_width, normalize};
use crate::input::suggest::{is_numeral, typo_distance};
use crate::spec::workbook::{BODY_LABELS, YEAR_LABELS};

/// How well a normalised cell text matches an official label: 3 exact, 2 the key (label without
/// remark), 1 starts with the key (a long label cut or reworded at its end), 0 no.
pub(super) fn match_score(cell: &str, label: &str, key: &str) -> u8 {
    let (l, k) = (normalize(label), normalize(key));
    if cell == l {
        3
    } else if cell == k {
        2
    } else if k.chars().count() >= 4 && cell.starts_with(&k) {
        1
    } else {
        0
    }
}

/// A typo of a label: few edits relative to its length (`其他法律行政止公开`).
pub(super) fn fuzzy_close(cell: &str, label: &str) -> Option<usize> {
    let l = normalize(label);
    // Short labels are too alike to guess at; a long one tolerates an edit in four.
    if l.chars().count() < 5 {
        return None;
    }
    typo_distance(cell, &l, 4)
}

/// Whether a normalised cell text is one of the 机关 or 年度 labels.
pub(super) fn is_label(norm: &str) -> bool {
    BODY_LABELS
        .iter()
        .chain(YEAR_LABELS.iter())
        .any(|l| normalize(l) == norm)
}

/// `（一）`, `(3)`: a subsection number cell.
pub(super) fn is_numbering(s: &str) -> bool {
    let f = fold_width(s);
    let t = f.trim();
    t.strip_prefix('(')
        .and_then(|x| x.strip_suffix(')'))
        .is_some_and(|x| !x.is_empty() && x.chars().all(is_numeral))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos() {
        assert!(fuzzy_close(
            &normalize("2.其他法律行政止公开"),
            "2.其他法律行政法规禁止公开"
        )
        .is_some());
        assert!(fuzzy_close(&normalize("重复"), "2.重复申请").is_none());
    }
}
