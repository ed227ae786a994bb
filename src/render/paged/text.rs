//! Line breaking for Chinese text (禁则): which characters may not start or end a line, which
//! runs may not be split, and where a closing mark may hang into the margin.

/// Marks that never start a line: closing punctuation, pause marks, the ellipsis and the dash.
pub fn no_start(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '》'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '〉'
            | '〗'
            | '〙'
            | '〛'
            | '｝'
            | '］'
            | '”'
            | '’'
            | '…'
            | '—'
            | '‰'
            | '％'
            | '%'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
            | '}'
            | '·'
            | '・'
            | '．'
            | '～'
            | '々'
            | '〜'
            | '℃'
            | '〃'
    )
}

/// Marks that never end a line: opening brackets and quotes.
pub fn no_end(c: char) -> bool {
    matches!(
        c,
        '（' | '《'
            | '「'
            | '『'
            | '【'
            | '〔'
            | '〈'
            | '〖'
            | '〘'
            | '〚'
            | '｛'
            | '［'
            | '“'
            | '‘'
            | '('
            | '['
            | '{'
            | '<'
            | '＜'
    )
}

/// Marks small enough to hang past the right edge of a full line instead of pulling a character
/// down with them.
fn hangable(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '》'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '”'
            | '’'
    )
}

fn word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Splits text into units that are never broken: runs of digits and Latin letters (with the
/// decimal point, thousands comma or percent sign that belong to a number: `7730.28`, `158%`),
/// doubled dashes and ellipses (`——`, `……`); every other character is a unit of its own.
/// Returns the start index of each unit.
pub fn units(chars: &[char]) -> Vec<usize> {
    let mut starts = vec![];
    let mut i = 0;
    while i < chars.len() {
        starts.push(i);
        let c = chars[i];
        let mut j = i + 1;
        if word_char(c) {
            while j < chars.len() {
                let d = chars[j];
                let digit_before = chars[j - 1].is_ascii_digit();
                let digit_after = chars.get(j + 1).is_some_and(|n| n.is_ascii_digit());
                if word_char(d) || ((d == '.' || d == ',') && digit_before && digit_after) {
                    j += 1;
                } else if (d == '%' || d == '％') && digit_before {
                    j += 1;
                    break;
                } else {
                    break;
                }
            }
        } else if c == '—' || c == '…' {
            while j < chars.len() && chars[j] == c {
                j += 1;
            }
        }
        i = j;
    }
    starts
}

/// What the breaker is asked for.
#[derive(Debug, Clone, Copy)]
pub struct BreakOpts {
    /// Line width.
    pub width: f32,
    /// Indent of the first line (two characters in body text).
    pub first_indent: f32,
    /// Whether one closing mark may hang past the right edge.
    pub hang: bool,
}

/// A line: characters `start..end`; `hang` when the last of them hangs past the right edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub start: usize,
    pub end: usize,
    pub hang: bool,
}

const EPS: f32 = 0.01;

/// Breaks `chars` (with their advances) into lines.
pub fn break_lines(chars: &[char], widths: &[f32], opts: BreakOpts) -> Vec<Line> {
    break_lines_trailing(chars, widths, &[], opts)
}

/// Breaks lines where `trailing[i]` of a character's width is space after it that a line
/// ending with it does not need (the space between Chinese and Latin text, which no line end
/// carries).
pub fn break_lines_trailing(
    chars: &[char],
    widths: &[f32],
    trailing: &[f32],
    opts: BreakOpts,
) -> Vec<Line> {
    break_lines_with(chars, widths, trailing, &[], opts)
}

/// Breaks lines, never after a character whose `glue` is set (inside a word of a label, see
/// [`crate::spec::style::word_glue`]) unless the word is wider than a line.
pub fn break_lines_with(
    chars: &[char],
    widths: &[f32],
    trailing: &[f32],
    glue: &[bool],
    opts: BreakOpts,
) -> Vec<Line> {
    debug_assert_eq!(chars.len(), widths.len());
    if chars.is_empty() {
        return vec![];
    }
    // Units as (start, end, width); a unit wider than a line is split into characters (a very
    // long number in a narrow cell is better broken than drawn across the border).
    let mut starts = units(chars);
    starts.retain(|&s| s == 0 || !glue.get(s - 1).copied().unwrap_or(false));
    let narrowest = (opts.width - opts.first_indent).min(opts.width);
    let mut us: Vec<(usize, usize, f32)> = vec![];
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(chars.len());
        let w: f32 = widths[s..e].iter().sum();
        if w > narrowest + EPS && e - s > 1 {
            us.extend((s..e).zip(&widths[s..e]).map(|(i, &w)| (i, i + 1, w)));
        } else {
            us.push((s, e, w));
        }
    }
    let first = |u: &(usize, usize, f32)| chars[u.0];
    let last = |u: &(usize, usize, f32)| chars[u.1 - 1];
    let mut lines = vec![];
    let mut i = 0;
    while i < us.len() {
        let avail = if lines.is_empty() {
            opts.width - opts.first_indent
        } else {
            opts.width
        };
        let mut w = 0.0;
        let mut j = i;
        let trail = |u: &(usize, usize, f32)| trailing.get(u.1 - 1).copied().unwrap_or(0.0);
        while j < us.len() && w + us[j].2 - trail(&us[j]) <= avail + EPS {
            w += us[j].2;
            j += 1;
        }
        if j == us.len() {
            lines.push(Line {
                start: us[i].0,
                end: chars.len(),
                hang: false,
            });
            break;
        }
        if j == i {
            // Nothing fits (a line narrower than one character): one unit per line.
            lines.push(Line {
                start: us[i].0,
                end: us[i].1,
                hang: false,
            });
            i += 1;
            continue;
        }
        let next_ok = us.get(j + 1).is_none_or(|n| !no_start(first(n)));
        if opts.hang && us[j].1 - us[j].0 == 1 && hangable(first(&us[j])) && next_ok {
            lines.push(Line {
                start: us[i].0,
                end: us[j].1,
                hang: true,
            });
            i = j + 1;
            continue;
        }
        // Pull characters down until the next line starts and this one ends legally.
        let bad = |b: usize| no_start(first(&us[b])) || no_end(last(&us[b - 1]));
        let mut b = j;
        while b > i + 1 && bad(b) {
            b -= 1;
        }
        if bad(b) {
            b = j;
        }
        lines.push(Line {
            start: us[i].0,
            end: us[b].0,
            hang: false,
        });
        i = b;
    }
    // In a paragraph (not a narrow cell), the last line carries at least two characters.
    let widest = widths.iter().copied().fold(0.0, f32::max);
    if opts.width >= 8.0 * widest {
        no_lone_last_character(chars, &starts, &mut lines);
    }
    lines
}

/// A last line that holds one character and its punctuation (“日。”) takes the last unit of
/// the line before, as Chinese typesetting does, where the break there is legal. The line
/// before ends a little short and is justified; the line count stays the same.
fn no_lone_last_character(chars: &[char], starts: &[usize], lines: &mut [Line]) {
    let n = lines.len();
    if n < 2 || lines[n - 2].hang {
        return;
    }
    let (prev, last) = (lines[n - 2], lines[n - 1]);
    let real = chars[last.start..last.end]
        .iter()
        .filter(|c| !no_start(**c) && !c.is_whitespace())
        .count();
    if real > 1 {
        return;
    }
    // Break before one of the previous line's last two units, whichever is legal first.
    let units: Vec<usize> = starts
        .iter()
        .copied()
        .filter(|&u| u > prev.start && u < prev.end)
        .collect();
    for &b in units.iter().rev().take(2) {
        if !no_start(chars[b]) && !no_end(chars[b - 1]) {
            lines[n - 2].end = b;
            lines[n - 1].start = b;
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widths(s: &[char]) -> Vec<f32> {
        s.iter()
            .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
            .collect()
    }

    fn lines(text: &str, hang: bool) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let ls = break_lines(
            &chars,
            &widths(&chars),
            BreakOpts {
                width: 28.0,
                first_indent: 2.0,
                hang,
            },
        );
        // Lines cover the text in order, without gaps.
        let mut pos = 0;
        for l in &ls {
            assert_eq!(l.start, pos);
            pos = l.end;
        }
        assert_eq!(pos, chars.len());
        ls.iter()
            .map(|l| chars[l.start..l.end].iter().collect())
            .collect()
    }

    fn check_rules(ls: &[String]) {
        for (k, l) in ls.iter().enumerate() {
            let f = l.chars().next().unwrap();
            let e = l.chars().last().unwrap();
            assert!(k == 0 || !no_start(f), "line {k} starts with {f}: {ls:?}");
            assert!(!no_end(e), "line {k} ends with {e}: {ls:?}");
        }
    }

    #[test]
    fn the_last_line_never_holds_a_lone_character() {
        // 26 + 28 characters: the second line is full, the third would hold “日。” alone.
        let text = format!("{}{}日。", "甲".repeat(26), "乙".repeat(28));
        let ls = lines(&text, false);
        assert_eq!(ls.len(), 3, "{ls:?}");
        assert_eq!(ls[2], "乙日。", "{ls:?}");
        assert_eq!(ls[1].chars().count(), 27, "{ls:?}");
        check_rules(&ls);
    }

    #[test]
    fn full_lines_hold_28_characters() {
        let text = "政府信息公开工作年度报告".repeat(10);
        let ls = lines(&text, true);
        assert_eq!(
            ls[0].chars().count(),
            26,
            "first line is indented two characters"
        );
        for l in &ls[1..ls.len() - 1] {
            assert_eq!(l.chars().count(), 28);
        }
    }

    #[test]
    fn closing_marks_never_start_a_line() {
        // 26 characters then a comma at position 27 of line one (after the indent).
        let text = format!("{}，{}", "公".repeat(26), "开".repeat(40));
        let ls = lines(&text, true);
        assert!(ls[0].ends_with('，'), "{ls:?}");
        assert_eq!(ls[0].chars().count(), 27, "the comma hangs");
        check_rules(&ls);
        // Without hanging, a character comes down with the comma.
        let ls = lines(&text, false);
        assert_eq!(ls[0].chars().count(), 25);
        assert!(ls[1].starts_with("公，"), "{ls:?}");
        check_rules(&ls);
        // Two closing marks cannot both hang: they come down with a character.
        let text = format!("{}。”{}", "公".repeat(26), "开".repeat(40));
        let ls = lines(&text, true);
        assert!(ls[1].starts_with("公。”"), "{ls:?}");
        check_rules(&ls);
    }

    #[test]
    fn opening_marks_never_end_a_line() {
        let text = format!("{}《条例》{}", "公".repeat(25), "开".repeat(40));
        let ls = lines(&text, true);
        assert!(ls[1].starts_with("《条例》"), "{ls:?}");
        check_rules(&ls);
        let text = format!("{}“十四五”{}", "公".repeat(23), "开".repeat(40));
        let ls = lines(&text, true);
        check_rules(&ls);
    }

    #[test]
    fn numbers_and_words_stay_whole() {
        // "10704" would straddle the end of the first line.
        let text = format!("{}10704条{}", "更".repeat(24), "新".repeat(40));
        let ls = lines(&text, true);
        assert!(ls[1].starts_with("10704条"), "{ls:?}");
        let text = format!(
            "{}7730.28万元，同比增长158%。{}",
            "收".repeat(22),
            "费".repeat(30)
        );
        let ls = lines(&text, true);
        let all: Vec<String> = ls.iter().map(|l| l.to_string()).collect();
        assert!(all.iter().any(|l| l.contains("7730.28")), "{all:?}");
        assert!(all.iter().any(|l| l.contains("158%")), "{all:?}");
        check_rules(&ls);
        let text = format!("{}——{}", "公".repeat(25), "开".repeat(40));
        let ls = lines(&text, true);
        assert!(ls[1].starts_with("公——") || ls[0].ends_with("——"), "{ls:?}");
        check_rules(&ls);
    }

    #[test]
    fn units_join_numbers() {
        let c: Vec<char> = "2021年7730.28万元158%，a.b".chars().collect();
        let s = units(&c);
        let parts: Vec<String> = s
            .iter()
            .enumerate()
            .map(|(k, &a)| c[a..*s.get(k + 1).unwrap_or(&c.len())].iter().collect())
            .collect();
        assert_eq!(
            parts,
            ["2021", "年", "7730.28", "万", "元", "158%", "，", "a", ".", "b"]
        );
    }

    #[test]
    fn narrow_cells_break_characters() {
        let chars: Vec<char> = "社会公益组织".chars().collect();
        let ls = break_lines(
            &chars,
            &[1.0; 6],
            BreakOpts {
                width: 2.0,
                first_indent: 0.0,
                hang: false,
            },
        );
        assert_eq!(ls.len(), 3);
        // A number wider than the cell is split rather than lost.
        let chars: Vec<char> = "12345678".chars().collect();
        let ls = break_lines(
            &chars,
            &[0.5; 8],
            BreakOpts {
                width: 2.0,
                first_indent: 0.0,
                hang: false,
            },
        );
        assert_eq!(ls.len(), 2);
    }
}
