//! Suggestions for mistyped input: "did you mean", where a key belongs, Chinese numerals.

use crate::spec::format::{
    SECTIONS, T2_COUNT_ROWS, T2_TRIPLE_ROWS, T3_CATEGORIES, T3_ROWS, T4_GROUPS,
};

/// Edit distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Strips what users add around keys: full-width colons, spaces, numbering, quotes, brackets.
pub fn normalize_key(s: &str) -> String {
    let s: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '：' | ':' | '“' | '”' | '"' | '\''))
        .collect();
    let s = s.trim_start_matches(|c: char| {
        c.is_ascii_digit()
            || matches!(c, '.' | '、' | '．' | '（' | '）' | '(' | ')')
            || "一二三四五六七八九十".contains(c)
    });
    // Drop a parenthetical remark such as （区分处理的，…）.
    s.split(['（', '(']).next().unwrap_or(s).to_string()
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
        let limit = (a.chars().count() / 3).max(1);
        let contains = norm.len() >= 6 && (a.contains(norm.as_str()) || norm.contains(a));
        if (d <= limit || contains) && best.is_none_or(|(bd, _)| d < bd) {
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
