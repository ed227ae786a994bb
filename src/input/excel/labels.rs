//! Labels: the one normalised form cells and official labels are compared in, and how close a
//! cell's text is to a label.

use crate::spec::workbook::{BODY_LABELS, YEAR_LABELS};

/// Full-width ASCII and the ideographic space to their half-width forms.
pub(super) fn fold_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

pub(super) fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || "一二三四五六七八九十".contains(c)
}

/// Drops a numbering prefix: `一、`, `(三)`, `1.`, `1、`, `十一、` (on width-folded text).
pub(super) fn strip_numbering(s: &str) -> &str {
    let s = s.trim_start();
    if let Some(rest) = s.strip_prefix('(') {
        if let Some(end) = rest.find(')') {
            let inner = &rest[..end];
            if !inner.is_empty() && inner.chars().all(is_numeral) {
                return rest[end + 1..].trim_start_matches(['、', '.', ' ']);
            }
        }
        return s;
    }
    let n: usize = s
        .chars()
        .take_while(|c| is_numeral(*c))
        .map(char::len_utf8)
        .sum();
    if n > 0 {
        let rest = &s[n..];
        if let Some(r) = rest.strip_prefix(['、', '.', ',']) {
            return r;
        }
    }
    s
}

pub(super) fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation() || "、，。；：“”‘’《》〈〉【】〔〕—…·".contains(c)
}

/// The comparable form of a label.
pub(crate) fn normalize(s: &str) -> String {
    let folded = fold_width(s);
    strip_numbering(folded.trim())
        .chars()
        .filter(|c| !c.is_whitespace() && !is_punct(*c))
        .collect()
}

/// Edit distance between two short strings, counted in characters.
pub(super) fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

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
    let n = l.chars().count();
    if n < 5 {
        return None;
    }
    let d = distance(cell, &l);
    (d <= (n / 4).max(1)).then_some(d)
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
    fn normalising() {
        assert_eq!(normalize("（三）不予公开"), "不予公开");
        assert_eq!(normalize("(三)不予公开"), "不予公开");
        assert_eq!(normalize("1、属于国家秘密"), "属于国家秘密");
        assert_eq!(normalize("3.危及“三安全一稳定”"), "危及三安全一稳定");
        assert_eq!(normalize("商业\n企业"), "商业企业");
        assert_eq!(
            normalize("一、本年新收政府信息公开申请数量"),
            "本年新收政府信息公开申请数量"
        );
        assert_eq!(normalize("其他"), "其他");
        assert_eq!(normalize(" 三、本年度办理结果"), "本年度办理结果");
    }

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
