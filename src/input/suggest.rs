//! Suggestions for mistyped input: "did you mean", where a key belongs, Chinese numerals; and
//! the one normalised form and typo measure that both readers compare keys and labels with.

use crate::spec::format::{
    SECTIONS, T2_COUNT_ROWS, T2_TRIPLE_ROWS, T3_CATEGORIES, T3_ROWS, T4_GROUPS,
};

/// Full-width ASCII and the ideographic space to their half-width forms.
pub fn fold_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

pub fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || "一二三四五六七八九十".contains(c)
}

/// Drops a numbering prefix: `一、`, `(三)`, `1.`, `1、`, `十一、` (on width-folded text).
pub fn strip_numbering(s: &str) -> &str {
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

pub fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation() || "、，。；：“”‘’《》〈〉【】〔〕—…·".contains(c)
}

/// The comparable form of a label.
pub fn normalize(s: &str) -> String {
    let folded = fold_width(s);
    strip_numbering(folded.trim())
        .chars()
        .filter(|c| !c.is_whitespace() && !is_punct(*c))
        .collect()
}

/// Edit distance between two short strings, counted in characters.
fn distance(a: &str, b: &str) -> usize {
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

/// The one typo measure: the edit distance between `text` and `target`, if it is small for
/// the target's length (at most one edit in `per` characters, and one for any length).
pub fn typo_distance(text: &str, target: &str, per: usize) -> Option<usize> {
    let d = distance(text, target);
    (d <= (target.chars().count() / per).max(1)).then_some(d)
}

/// A YAML key in the one normalised form, after what users add around keys: spaces, a
/// numbering however written, a remark in brackets (（区分处理的，…）).
pub fn normalize_key(s: &str) -> String {
    let folded: String = fold_width(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let bare =
        folded.trim_start_matches(|c: char| is_numeral(c) || matches!(c, '.' | '、' | '(' | ')'));
    normalize(bare.split('(').next().unwrap_or(bare))
}

/// The nearest allowed key, if it is close enough to be a typo.
pub fn nearest<'a>(key: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let norm = normalize_key(key);
    if let Some(a) = allowed.iter().find(|a| normalize_key(a) == norm) {
        return Some(a);
    }
    let mut best: Option<(usize, &str)> = None;
    for a in allowed {
        let d = distance(&norm, a);
        let close = typo_distance(&norm, a, 3).is_some();
        let contains = norm.len() >= 6 && (a.contains(norm.as_str()) || norm.contains(a));
        if (close || contains) && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, a));
        }
    }
    best.map(|(_, a)| a)
}

/// Where a valid key of another level belongs, for misplaced keys: `“申请情况”下` etc.
pub fn belongs_to(key: &str) -> Option<String> {
    let norm = normalize_key(key);
    let t3 = SECTIONS[2].key;
    for r in T3_ROWS.iter() {
        if r.key == norm {
            return Some(match r.category {
                Some(c) => format!("“{t3}”的“{}”下", T3_CATEGORIES[c].key),
                None => format!("“{t3}”下"),
            });
        }
    }
    if T3_CATEGORIES.iter().any(|c| c.key == norm) {
        return Some(format!("“{t3}”下"));
    }
    if T2_TRIPLE_ROWS.contains(&norm.as_str())
        || T2_COUNT_ROWS.contains(&norm.as_str())
        || norm == crate::spec::format::T2_AMOUNT_ROW
    {
        return Some(format!("“{}”下", SECTIONS[1].key));
    }
    if T4_GROUPS.contains(&norm.as_str()) {
        return Some(format!("“{}”下", SECTIONS[3].key));
    }
    if let Some(s) = SECTIONS.iter().find(|s| s.key == norm) {
        return Some(format!("文件顶层（{}）", s.heading()));
    }
    None
}

/// `二〇二四` / `二零二四年` → 2024.
pub fn chinese_year(s: &str) -> Option<u16> {
    let digits: String = s
        .trim()
        .trim_end_matches('年')
        .chars()
        .map(|c| match c {
            '〇' | '零' | 'Ｏ' | 'O' | 'o' => Some('0'),
            '一' => Some('1'),
            '二' => Some('2'),
            '三' => Some('3'),
            '四' => Some('4'),
            '五' => Some('5'),
            '六' => Some('6'),
            '七' => Some('7'),
            '八' => Some('8'),
            '九' => Some('9'),
            c => Some(halfwidth_digit(c)).filter(|c| c.is_ascii_digit()),
        })
        .collect::<Option<String>>()?;
    if digits.len() == 4 {
        digits.parse().ok()
    } else {
        None
    }
}

/// `１` → `1`; other characters unchanged.
pub fn halfwidth_digit(c: char) -> char {
    if ('０'..='９').contains(&c) {
        char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c)
    } else {
        c
    }
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
    fn keys_normalise_like_labels_with_what_users_add() {
        assert_eq!(normalize_key("机关："), "机关");
        assert_eq!(normalize_key(" “行政许可” "), "行政许可");
        assert_eq!(normalize_key("1 规章"), "规章");
        assert_eq!(normalize_key("（一）予以公开"), "予以公开");
        assert_eq!(normalize_key("不予处理（区分处理的）"), "不予处理");
        assert_eq!(normalize_key("ｂｏｄｙ"), "body");
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            nearest("申请情形", &["申请情况", "复议诉讼"]),
            Some("申请情况")
        );
        assert_eq!(nearest("机关：", &["机关", "年度"]), Some("机关"));
        assert_eq!(nearest("完全无关的键名字", &["机关", "年度"]), None);
        assert_eq!(
            belongs_to("重复申请").as_deref(),
            Some("“申请情况”的“不予处理”下")
        );
        assert_eq!(chinese_year("二〇二四"), Some(2024));
        assert_eq!(chinese_year("二零二一年"), Some(2021));
        assert_eq!(chinese_year("明年"), None);
    }
}
