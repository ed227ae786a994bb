//! What assessors (政务公开第三方评估, 考核) mark a report down for besides its arithmetic: a late
//! date (Y-DATE), text copied from last year (Y-SIMILAR), figures that jump without a word
//! (Y-JUMP), 复议/诉讼 corrections not addressed (T4-EXPLAIN), the 信息处理费 not accounted for
//! (FEE-TEXT), and section 五 silent on last year's problems (SECTION-EMPTY). All warnings.
//!
//! The text rules are lenient on purpose: a word anywhere in the right place is taken as the
//! explanation; they speak only when the text has nothing at all to say.

use super::similar;
use crate::diag::{Diagnostic, Key, Place, Rule};
use crate::input::Parsed;
use crate::model::{Date, Report};
use crate::spec::format::{self, T3Role, TextSection, ValueRef, T3_TOTAL_COL, T4_TOTAL_COL};

/// A section's words as one text: its overview, each subsection's title and text, one
/// paragraph a line.
pub fn section_text(r: &Report, which: TextSection) -> String {
    let s = r.text_section(which);
    let mut out: Vec<String> = s.intro.paragraphs();
    for sub in &s.subsections {
        let t = sub.title.trim();
        if !t.is_empty() {
            out.push(t.to_string());
        }
        out.extend(sub.body.paragraphs());
    }
    out.join("\n")
}

/// Every text of the report (前言 and the three sections), one paragraph a line.
fn all_text(r: &Report) -> String {
    let mut t = r.preface.paragraphs().join("\n");
    for which in [
        TextSection::Overview,
        TextSection::Problems,
        TextSection::Other,
    ] {
        t.push('\n');
        t.push_str(&section_text(r, which));
    }
    t
}

fn section_place(which: TextSection) -> Place {
    Place::Text {
        section: which,
        part: None,
    }
}

fn heading(which: TextSection) -> String {
    format::SECTIONS
        .iter()
        .find(|s| s.kind == format::SectionKind::Text(which))
        .map(|s| s.heading())
        .unwrap_or_default()
}

/// Whether 机关 names a people's government at county level or above itself (its report is due
/// 3月31日, 条例 第四十九条), not one of its offices or departments: `XX县人民政府`, `XX市政府`;
/// not `XX市人民政府办公室`, nor a 乡 or 镇 government (the 3月31日 of the article is for 县级以上).
pub fn is_government(body: &str) -> bool {
    let b = body.trim();
    if b.ends_with("乡人民政府") || b.ends_with("镇人民政府") {
        return false;
    }
    (b.ends_with("人民政府") || b.ends_with("区政府") || b.ends_with("县政府"))
        || (b.ends_with("市政府") && !b.contains("办公"))
}

/// The legal deadline of a report for `year` (条例 第四十九条): 1月31日 of the next year for a
/// department, 3月31日 for the 本级政府's report.
pub fn deadline(r: &Report) -> (Date, bool) {
    let gov = r.government.unwrap_or_else(|| is_government(&r.body));
    let year = r.year.saturating_add(1);
    let d = if gov {
        Date {
            year,
            month: 3,
            day: 31,
        }
    } else {
        Date {
            year,
            month: 1,
            day: 31,
        }
    };
    (d, gov)
}

/// Rule Y-DATE: 发布日期 or the 落款 date after the deadline; the two dates disagreeing.
pub fn dates(p: &Parsed) -> Vec<Diagnostic> {
    let r = &p.report;
    let (due, gov) = deadline(r);
    let who = if gov {
        if r.government.is_some() {
            "本级人民政府的年度报告（输入写明“本级政府”）"
        } else {
            "本级人民政府的年度报告（按机关名称判断）"
        }
    } else if r.government.is_some() {
        "政府部门的年度报告（输入写明不是本级政府）"
    } else {
        "政府部门的年度报告（按机关名称判断）"
    };
    let hint = if r.government.is_some() {
        "按《政府信息公开条例》第四十九条，政府部门应于每年1月31日前、县级以上地方人民政府应于每年3月31日前公布本机关上一年度的年度报告".to_string()
    } else {
        format!("按《政府信息公开条例》第四十九条，政府部门应于每年1月31日前、县级以上地方人民政府应于每年3月31日前公布；如判断有误，可写 `{}: true` 或 `false`", format::keys::GOVERNMENT)
    };
    let mut out = vec![];
    let sig = r.signature.as_ref().and_then(|s| s.date);
    for (date, key, name) in [
        (r.published, Key::Published, "发布日期"),
        (sig, Key::SignatureDate, "落款日期"),
    ] {
        let Some(d) = date else { continue };
        if d > due {
            out.push(
                p.at_place(
                    Diagnostic::warning(
                        Rule::YDate,
                        format!(
                            "{name}为 {}，晚于{who}的公布期限 {}",
                            d.chinese(),
                            due.chinese()
                        ),
                    )
                    .with_hint(hint.clone()),
                    key,
                ),
            );
        }
    }
    if let (Some(a), Some(b)) = (r.published, sig) {
        if a != b {
            out.push(
                p.at_place(
                    Diagnostic::warning(
                        Rule::YDate,
                        format!("发布日期 {} 与落款日期 {} 不一致", a.chinese(), b.chinese()),
                    )
                    .with_hint("落款日期是成文日期，通常与发布日期相同；请核对两处日期"),
                    Key::SignatureDate,
                ),
            );
        }
    }
    out
}

/// The share of this year's section already in last year's above which Y-SIMILAR warns: the
/// “与上年度重复率大于50%” of the assessment rules, measured in character trigrams
/// ([`similar::containment`]). Measured: a copy with only the year and the figures changed
/// scores 1.00 (tests/integration/compare.rs); sections 一 of nine real published reports of
/// different bodies (three written to one district's template) at most 0.30 against each other,
/// the demo report's against 廊坊's 0.33 — the genre's shared phrases — so 0.5 stays clear of two
/// bodies that merely write alike, and of a section rewritten in more than half its words.
pub const SIMILAR_ABOVE: f64 = 0.5;

/// Sections shorter than this (normalized characters) are not compared: “本年度未收取信息处理费。”
/// is rightly the same every year.
pub const SIMILAR_MIN_CHARS: usize = 60;

/// Rule Y-SIMILAR: a section more than half the same as last year's.
pub fn similar_to_last(p: &Parsed, prev: &Report) -> Vec<Diagnostic> {
    let r = &p.report;
    let mut out = vec![];
    for which in [
        TextSection::Overview,
        TextSection::Problems,
        TextSection::Other,
    ] {
        let this = similar::normalize(&section_text(r, which));
        if this.len() < SIMILAR_MIN_CHARS {
            continue;
        }
        let last = similar::normalize(&section_text(prev, which));
        let ratio = similar::containment(&this, &last);
        if ratio > SIMILAR_ABOVE {
            out.push(p.at_place(
                Diagnostic::warning(
                    Rule::YSimilar,
                    format!(
                        "“{}”有 {}% 的文字与上年报告（{}年）相同",
                        heading(which),
                        (ratio * 100.0).floor() as u32,
                        prev.year
                    ),
                )
                .with_hint("评估中“与上年度重复率大于50%”会扣分：写明本年度的实际工作、数字和变化；用 xxgk compare 可逐句查看哪些句子与上年相同"),
                section_place(which),
            ));
        }
    }
    out
}

/// The figures Y-JUMP watches: name, the words a sentence about it has, its cell, and its value.
fn watched(r: &Report) -> [(&'static str, &'static [&'static str], ValueRef, u64); 3] {
    let new = format::t3_row_index(T3Role::New);
    let t4 = &r.table4.cells;
    [
        (
            "本年新收政府信息公开申请",
            &["申请"],
            ValueRef::T3 {
                row: new,
                col: T3_TOTAL_COL,
            },
            r.table3.cells[new][T3_TOTAL_COL].value,
        ),
        (
            "行政复议",
            &["复议"],
            ValueRef::T4 {
                group: 0,
                col: T4_TOTAL_COL,
            },
            t4[0][T4_TOTAL_COL].value,
        ),
        (
            "行政诉讼",
            &["诉讼", "起诉", "应诉"],
            ValueRef::T4 {
                group: 1,
                col: T4_TOTAL_COL,
            },
            t4[1][T4_TOTAL_COL].value + t4[2][T4_TOTAL_COL].value,
        ),
    ]
}

/// Words that say a figure changed or why. Not bare 增/减/提高: “提高申请办理质量” says nothing
/// of how many applications came.
const CHANGE_WORDS: [&str; 16] = [
    "增加",
    "增长",
    "减少",
    "上升",
    "下降",
    "原因",
    "同比",
    "较上年",
    "较去年",
    "比上年",
    "比去年",
    "翻番",
    "翻了",
    "回落",
    "攀升",
    "大幅",
];

/// The smallest figure (the larger of the two years) Y-JUMP looks at: below it, 3 → 7 is noise.
pub const JUMP_MIN: u64 = 10;

/// Whether `now` is double `before` or more, or half or less, with the larger at least
/// [`JUMP_MIN`].
pub fn jumped(before: u64, now: u64) -> bool {
    before.max(now) >= JUMP_MIN
        && (now >= before.saturating_mul(2) || now.saturating_mul(2) <= before)
}

/// Rule Y-JUMP: 本年新收, 行政复议 or 行政诉讼 doubled or halved with no sentence on it.
pub fn jumps(p: &Parsed, prev: &Report) -> Vec<Diagnostic> {
    let r = &p.report;
    let sentences = similar::sentences(&all_text(r));
    let mut out = vec![];
    for ((name, words, cell, now), (_, _, _, before)) in watched(r).into_iter().zip(watched(prev)) {
        if p.unreadable.contains(&cell) || !jumped(before, now) {
            continue;
        }
        let explained = sentences.iter().any(|s| {
            words.iter().any(|w| s.contains(w)) && CHANGE_WORDS.iter().any(|w| s.contains(w))
        });
        if explained {
            continue;
        }
        let how = if now >= before.saturating_mul(2) {
            "增加到"
        } else {
            "减少到"
        };
        let pct = if before == 0 {
            String::new()
        } else {
            let d = (now as f64 - before as f64) / before as f64 * 100.0;
            format!("（{d:+.0}%）")
        };
        out.push(p.at_place(
            Diagnostic::warning(
                Rule::YJump,
                format!(
                    "{name}从上年的 {before} 件{how} {now} 件{pct}，文字中没有说明"
                ),
            )
            .with_hint(format!(
                "在总体情况中用一句话说明变化及原因，如“本年度共收到{name}{now}件，较上年{}，主要原因是……”",
                if now > before { "增加" } else { "减少" }
            )),
            cell,
        ));
    }
    out
}

/// Words by which section 五 speaks of last year's problems.
const LAST_YEAR_WORDS: [&str; 6] = ["上年", "上一年", "去年", "上年度", "整改", "前一年"];

/// Rule SECTION-EMPTY, with a previous report: section 五 that says nothing of last year's
/// problems (the format asks for “存在的主要问题及改进情况”, the improvement being on last year's).
pub fn problems_without_last_year(p: &Parsed, prev: &Report) -> Vec<Diagnostic> {
    let text = section_text(&p.report, TextSection::Problems);
    if similar::normalize(&text).is_empty() {
        // An empty section is already said by the first SECTION-EMPTY.
        return vec![];
    }
    let year = format!("{}年", prev.year);
    if LAST_YEAR_WORDS.iter().any(|w| text.contains(w)) || text.contains(&year) {
        return vec![];
    }
    vec![p.at_place(
        Diagnostic::warning(
            Rule::SectionEmpty,
            format!(
                "“{}”没有说到上年度（{}年）报告中问题的改进情况",
                heading(TextSection::Problems),
                prev.year
            ),
        )
        .with_hint("写明上年度报告所列问题的整改落实情况，如“针对上年度报告中……的问题，本年度……”"),
        section_place(TextSection::Problems),
    )]
}

/// Words by which section 五 addresses a corrected 复议 or 诉讼.
const CORRECTION_WORDS: [&str; 9] = [
    "纠正",
    "纠错",
    "败诉",
    "撤销",
    "确认违法",
    "重新答复",
    "重新作出",
    "复议",
    "诉讼",
];

/// Rule T4-EXPLAIN: 表四 结果纠正 > 0 and section 五 has no word on it.
pub fn corrections(p: &Parsed) -> Vec<Diagnostic> {
    let r = &p.report;
    let corrected: Vec<(usize, u64)> = (0..format::T4_GROUPS.len())
        .map(|g| (g, r.table4.cells[g][1].value))
        .filter(|(g, v)| *v > 0 && !p.unreadable.contains(&ValueRef::T4 { group: *g, col: 1 }))
        .collect();
    let Some(&(first, _)) = corrected.first() else {
        return vec![];
    };
    let text = section_text(r, TextSection::Problems);
    if CORRECTION_WORDS.iter().any(|w| text.contains(w)) {
        return vec![];
    }
    let said: Vec<String> = corrected
        .iter()
        .map(|(g, v)| format!("{} {v} 件", format::T4_GROUPS[*g]))
        .collect();
    vec![p.at_place(
        Diagnostic::warning(
            Rule::T4Explain,
            format!(
                "表四中有被纠正的案件（结果纠正：{}），而“{}”没有提到",
                said.join("、"),
                heading(TextSection::Problems)
            ),
        )
        .with_hint("复议、诉讼被纠正说明答复有问题：在第五部分写明原因和整改措施"),
        ValueRef::T4 {
            group: first,
            col: 1,
        },
    )]
}

/// Words by which a text speaks of the 信息处理费 (charged or not).
const FEE_WORDS: [&str; 3] = ["信息处理费", "处理费", "收费"];
/// Words that say the body does not charge it at all.
const NO_FEE_WORDS: [&str; 4] = ["不收取", "未发出收费通知", "没有发出收费通知", "不存在收费"];

/// Rule FEE-TEXT: section 六 says nothing of the 信息处理费; or says the body does not charge it
/// while 表三 counts applications closed because a fee notice went unpaid.
pub fn fee_text(p: &Parsed) -> Vec<Diagnostic> {
    let r = &p.report;
    let text = section_text(r, TextSection::Other);
    let at = section_place(TextSection::Other);
    let unpaid_row = format::T3_ROWS
        .iter()
        .position(|row| row.key == "申请人逾期未按收费通知要求缴纳费用")
        .unwrap_or(0);
    let unpaid_cell = ValueRef::T3 {
        row: unpaid_row,
        col: T3_TOTAL_COL,
    };
    let unpaid = r.table3.cells[unpaid_row][T3_TOTAL_COL].value;
    let words = similar::normalize(&text).into_iter().collect::<String>();
    if matches!(words.as_str(), "" | "无" | "没有" | "暂无") {
        // An empty section is SECTION-EMPTY's to say.
        return vec![];
    }
    if !FEE_WORDS.iter().any(|w| text.contains(w)) {
        return vec![p.at_place(
            Diagnostic::warning(
                Rule::FeeText,
                format!(
                    "“{}”没有说明信息处理费的收取情况",
                    heading(TextSection::Other)
                ),
            )
            .with_hint("按《政府信息公开信息处理费管理办法》，年度报告应说明收取信息处理费的情况，没有收取也写明，如“本年度未收取信息处理费。”"),
            at,
        )];
    }
    let says_never = similar::sentences(&text).into_iter().find(|s| {
        FEE_WORDS.iter().any(|w| s.contains(w)) && NO_FEE_WORDS.iter().any(|w| s.contains(w))
    });
    match says_never {
        Some(s) if unpaid > 0 && !p.unreadable.contains(&unpaid_cell) => vec![p.at_place(
            Diagnostic::warning(
                Rule::FeeText,
                format!(
                    "“{}”说“{}”，而表三“申请人逾期未按收费通知要求缴纳费用”为 {unpaid} 件（发出过收费通知）",
                    heading(TextSection::Other),
                    crate::input::number::cut(&s)
                ),
            )
            .with_hint("核对收费情况：发出过收费通知就应写明收费通知的件数和实际收取的金额"),
            at,
        )],
        _ => vec![],
    }
}

/// The year-over-year rules of this module (with the previous report).
pub fn with_previous(p: &Parsed, prev: &Report) -> Vec<Diagnostic> {
    let mut out = similar_to_last(p, prev);
    out.extend(jumps(p, prev));
    out.extend(problems_without_last_year(p, prev));
    out
}

/// The rules of this module that need only the report.
pub fn alone(p: &Parsed) -> Vec<Diagnostic> {
    let mut out = dates(p);
    out.extend(corrections(p));
    out.extend(fee_text(p));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn governments_are_told_from_their_offices() {
        assert!(is_government("廊坊市人民政府"));
        assert!(is_government("某某县人民政府"));
        assert!(is_government("朝阳区政府"));
        assert!(!is_government("廊坊市人民政府办公室"));
        assert!(!is_government("某某市统计局"));
        assert!(!is_government("市政府办公室"));
        assert!(!is_government("某某县青山镇人民政府"));
    }

    #[test]
    fn a_jump_is_double_or_half_and_at_least_ten() {
        assert!(jumped(5, 10));
        assert!(jumped(20, 10));
        assert!(jumped(0, 12));
        assert!(!jumped(3, 7));
        assert!(!jumped(10, 19));
        assert!(!jumped(0, 0));
    }
}
