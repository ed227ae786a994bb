//! Numbers written as text — a YAML scalar as typed, an Excel text cell — read strictly, with the
//! hint a clerk needs when one is not a number; and how any value a user typed is quoted in a
//! message (cut, so that a 32,767-character cell is never echoed whole).

use super::suggest::fold_width;

/// The most characters of a user's value a message quotes.
pub const QUOTE_CHARS: usize = 40;

/// A user's value as a message quotes it: at most [`QUOTE_CHARS`] characters, then `…`.
pub fn cut(s: &str) -> String {
    match s.char_indices().nth(QUOTE_CHARS) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// A long message part from a library (an XML error that quotes the file) cut to `n` characters.
pub fn cut_to(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// What a number is: a count (件数, a whole number) or the fee (万元, decimals allowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    Count,
    Amount,
}

/// Words and signs offices write for "none" in a number cell.
const NONE_WORDS: [&str; 17] = [
    "无", "没有", "暂无", "空", "/", "／", "\\", "-", "—", "——", "–", "－", "─", "n/a", "na",
    "null", "×",
];

/// Units written after a number (longest first, so 万元 is taken before 元).
const UNITS: [&str; 12] = [
    "万元", "千元", "元", "件", "个", "人", "次", "项", "条", "份", "万", "%",
];

/// A count written as text: digits only (full-width digits and `12.0` are fine); a sign, a hex,
/// octal or binary prefix, an exponent, a unit or a word is refused with what to write instead.
/// `Ok(None)`: the text is blank.
pub fn count_text(text: &str) -> Result<Option<u64>, (String, String)> {
    let t = fold_width(text);
    let t = t.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit()) && frac.bytes().all(|b| b == b'0')
    {
        return int.parse::<u64>().map(Some).map_err(|_| {
            (
                format!("“{}”太大，不是合理的件数", cut(text.trim())),
                "检查是否多打了数字".to_string(),
            )
        });
    }
    Err(refusal(text, NumberKind::Count))
}

/// Why `text` is not a number of this kind, and what to write instead: (message, hint). The
/// message quotes the text (cut).
pub fn refusal(text: &str, kind: NumberKind) -> (String, String) {
    let shown = cut(text.trim());
    let folded = fold_width(text).trim().to_lowercase();
    let what = match kind {
        NumberKind::Count => "件数",
        NumberKind::Amount => "金额",
    };
    let example = match kind {
        NumberKind::Count => "12",
        NumberKind::Amount => "1.5",
    };
    if NONE_WORDS.contains(&folded.as_str()) {
        return (
            format!("“{shown}”不是数字"),
            "没有就填 0 或留空，不要写“无”“/”“—”等文字或符号".to_string(),
        );
    }
    let body = folded.trim_start_matches(['+', '-', '−']);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if let Some(prefix) = ["0x", "0o", "0b"].iter().find(|p| body.starts_with(**p)) {
        let base = match *prefix {
            "0x" => "十六进制",
            "0o" => "八进制",
            _ => "二进制",
        };
        return (
            format!("“{shown}”是{base}写法，不是普通的数字"),
            format!("只写十进制数字，如 {example}"),
        );
    }
    if let Some((m, e)) = body.split_once('e') {
        if digits(m) && !e.is_empty() {
            return (
                format!("“{shown}”是科学计数法写法"),
                "写出全部数字，如 1000，不要写成 1e3".to_string(),
            );
        }
    }
    if folded.starts_with(['-', '−']) && digits(body) {
        let zero = body.bytes().all(|b| b == b'0' || b == b'.');
        let msg = if zero {
            format!("“{shown}”带负号：{what}不能为负数，0 也不写负号")
        } else {
            format!("“{shown}”是负数：{what}不能小于 0")
        };
        return (
            msg,
            format!(
                "只写不带符号的数字，如 {}",
                if zero { "0" } else { example }
            ),
        );
    }
    if folded.starts_with('+') && digits(body) {
        return (
            format!("“{shown}”带正号“+”"),
            format!("去掉“+”，只写数字，如 {}", cut(body)),
        );
    }
    // A number followed by its unit: `12件`, `1.5万元`.
    let num_len = folded
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
        .map(|(i, _)| i)
        .unwrap_or(folded.len());
    let (num, rest) = folded.split_at(num_len);
    let rest = rest.trim();
    if !num.is_empty() && num.bytes().any(|b| b.is_ascii_digit()) {
        if let Some(unit) = UNITS.iter().find(|u| rest == **u) {
            let num = cut(&num.replace(',', ""));
            let hint = match (kind, *unit) {
                (NumberKind::Amount, "万元" | "万") => {
                    format!("去掉单位“{unit}”：金额已按万元计，只填 {num}")
                }
                (NumberKind::Amount, "元" | "千元") => {
                    format!("去掉单位“{unit}”：金额以万元计，请换算成万元后只填数字")
                }
                (NumberKind::Count, "万元" | "千元" | "元") => {
                    "这里填的是件数，不是金额：去掉单位，只填整数".to_string()
                }
                (NumberKind::Count, "万") => {
                    "去掉“万”，写出全部数字，如 1.5万 写作 15000".to_string()
                }
                _ => format!("去掉单位“{unit}”，只填数字 {num}"),
            };
            return (format!("“{shown}”带了单位“{unit}”"), hint);
        }
        if kind == NumberKind::Count && digits(num) && num.contains('.') && rest.is_empty() {
            return (
                format!("“{shown}”不是整数：{what}应为整数"),
                format!("只填整数，如 {example}"),
            );
        }
        if !rest.is_empty() {
            return (
                format!("“{shown}”不是数字"),
                format!(
                    "只填阿拉伯数字，如 {}；说明文字写在注释里",
                    cut(&num.replace(',', ""))
                ),
            );
        }
    }
    (
        format!("“{shown}”不是数字"),
        format!("只填阿拉伯数字，如 {example}；没有就填 0 或留空"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_digits_only() {
        assert_eq!(count_text("12"), Ok(Some(12)));
        assert_eq!(count_text("１２"), Ok(Some(12)));
        assert_eq!(count_text("12.0"), Ok(Some(12)));
        assert_eq!(count_text(" "), Ok(None));
        for bad in [
            "-0", "0x10", "1e3", "+5", "-3", "1.5", "无", "/", "—", "12件", "0o7", "1E3",
        ] {
            assert!(count_text(bad).is_err(), "{bad}");
        }
        assert!(count_text("无")
            .unwrap_err()
            .1
            .contains("没有就填 0 或留空"));
        assert!(count_text("-0").unwrap_err().0.contains("负号"));
        assert!(count_text("0x10").unwrap_err().0.contains("十六进制"));
        assert!(count_text("1e3").unwrap_err().0.contains("科学计数法"));
        assert!(count_text("12件").unwrap_err().1.contains("去掉单位"));
    }

    #[test]
    fn amounts_get_unit_hints() {
        let (m, h) = refusal("1.5万元", NumberKind::Amount);
        assert!(
            m.contains("万元") && h.contains("去掉单位") && h.contains("1.5"),
            "{m} {h}"
        );
        let (_, h) = refusal("—", NumberKind::Amount);
        assert!(h.contains("没有就填 0 或留空"));
    }

    #[test]
    fn quotes_are_cut() {
        let long = "字".repeat(32_767);
        let c = cut(&long);
        assert_eq!(c.chars().count(), QUOTE_CHARS + 1);
        assert!(c.ends_with('…'));
        assert_eq!(cut("短"), "短");
    }
}
