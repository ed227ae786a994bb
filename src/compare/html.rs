//! The comparison as a web page: the same page shell, fonts and inline styles as the report
//! pages ([`crate::render::html`]); tables with captions and header cells for screen readers;
//! a large change is said in words (“大幅变化”), not by colour alone.

use super::{Comparison, SentenceKind};
use crate::render::html::{escape, font_stack, page};
use crate::spec::style::Face;
use std::fmt::Write;

const CELL: &str = "border:1px solid #000;padding:1mm 1.2mm;vertical-align:middle";
const H2: &str = "margin:1.2em 0 0.5em;font-size:16pt;font-weight:bold";
const H3: &str = "margin:1em 0 0.4em;font-size:14pt;font-weight:bold";

fn table_open(b: &mut String, id: &str, caption: &str, head: &[&str]) {
    let _ = writeln!(
        b,
        "<div role=\"region\" aria-labelledby=\"{id}\" tabindex=\"0\" style=\"overflow-x:auto\">"
    );
    let _ = writeln!(
        b,
        "<table style=\"width:100%;border-collapse:collapse;border:1px solid #000;font-family:{};font-size:10.5pt;line-height:1.4;color:#000;background:#fff\">",
        font_stack(Face::Song)
    );
    let _ = writeln!(
        b,
        "<caption id=\"{id}\" style=\"caption-side:top;text-align:left;padding:0 0 0.4em;font-size:12pt;font-weight:bold\">{}</caption>",
        escape(caption)
    );
    b.push_str("<thead><tr>");
    for h in head {
        let _ = write!(
            b,
            "<th scope=\"col\" style=\"{CELL};text-align:center;background:#f2f2f2\">{h}</th>"
        );
    }
    b.push_str("</tr></thead>\n<tbody>\n");
}

fn table_close(b: &mut String) {
    b.push_str("</tbody>\n</table>\n</div>\n");
}

/// The page, as bytes.
pub fn render(c: &Comparison) -> Vec<u8> {
    let mut b = String::with_capacity(64 * 1024);
    let title = c.title();
    let _ = writeln!(
        b,
        "<h1 style=\"margin:0 0 0.5em;text-align:center;font-family:{};font-size:22pt;font-weight:bold;line-height:1.6\">{}</h1>",
        font_stack(Face::Title),
        escape(&title)
    );
    let _ = writeln!(
        b,
        "<div style=\"font-family:{};font-size:12pt;line-height:1.6\">",
        font_stack(Face::Fang)
    );
    for (name, s) in [("上年", &c.last), ("本年", &c.this)] {
        let _ = writeln!(
            b,
            "<p style=\"margin:0.2em 0\">{name}：{}（{}，{}年度；检查结果：{}，{} 个错误、{} 个警告）</p>",
            escape(&s.file),
            escape(&s.body),
            s.year,
            s.status,
            s.errors,
            s.warnings
        );
    }

    let _ = writeln!(b, "<h2 style=\"{H2}\">一、评估要点</h2>");
    if c.summary.is_empty() {
        b.push_str("<p>没有发现评估中常见的扣分问题。</p>\n");
    } else {
        b.push_str("<ol style=\"margin:0;padding-left:2em\">\n");
        for f in &c.summary {
            let cell = f
                .cell
                .as_ref()
                .map(|p| format!("（{}）", escape(p)))
                .unwrap_or_default();
            let _ = writeln!(
                b,
                "<li><strong>{}[{}]</strong>：{}{cell}</li>",
                f.severity.chinese(),
                f.rule.id(),
                escape(&f.message)
            );
        }
        b.push_str("</ol>\n");
    }
    let _ = writeln!(
        b,
        "<p>表格中大幅变化（翻倍或减半，且不少于 10）的数字：{} 处。</p>",
        c.large_changes
    );
    b.push_str("<ul style=\"margin:0;padding-left:2em\">\n");
    for s in &c.sections {
        let _ = writeln!(b, "<li>{}</li>", escape(&Comparison::section_line(s)));
    }
    b.push_str("</ul>\n");

    let _ = writeln!(b, "<h2 style=\"{H2}\">二、表格数字</h2>");
    for (k, t) in c.tables.iter().enumerate() {
        table_open(
            &mut b,
            &format!("t{k}"),
            &format!("{}（{}）", t.table, t.heading),
            &["单元格", "上年", "本年", "增减", "增减率", "说明"],
        );
        for cell in &t.cells {
            let (weight, note) = if cell.large {
                ("font-weight:bold", "大幅变化")
            } else {
                ("", "")
            };
            let _ = writeln!(
                b,
                "<tr><th scope=\"row\" style=\"{CELL};text-align:left;font-weight:normal\">{}</th><td style=\"{CELL};text-align:center\">{}</td><td style=\"{CELL};text-align:center\">{}</td><td style=\"{CELL};text-align:center;{weight}\">{}</td><td style=\"{CELL};text-align:center;{weight}\">{}</td><td style=\"{CELL};text-align:center;{weight}\">{note}</td></tr>",
                escape(&cell.label),
                escape(&cell.last),
                escape(&cell.this),
                escape(&cell.change),
                Comparison::percent_text(cell.percent),
            );
        }
        table_close(&mut b);
    }

    let _ = writeln!(b, "<h2 style=\"{H2}\">三、跨年度核对</h2>");
    table_open(
        &mut b,
        "cont",
        "上年结转、现行有效件数等与上年报告的衔接",
        &["核对内容", "规则", "应为（据上年报告）", "本年", "结果"],
    );
    for k in &c.continuity {
        let (weight, ok) = if k.ok {
            ("", "一致")
        } else {
            ("font-weight:bold", "不一致")
        };
        let _ = writeln!(
            b,
            "<tr><th scope=\"row\" style=\"{CELL};text-align:left;font-weight:normal\">{}</th><td style=\"{CELL};text-align:center\">{}</td><td style=\"{CELL};text-align:center\">{}</td><td style=\"{CELL};text-align:center\">{}</td><td style=\"{CELL};text-align:center;{weight}\">{ok}</td></tr>",
            escape(&k.what),
            k.rule,
            escape(&k.expected),
            escape(&k.this),
        );
    }
    table_close(&mut b);

    let _ = writeln!(b, "<h2 style=\"{H2}\">四、文字部分逐句对比</h2>");
    for s in &c.sections {
        let _ = writeln!(b, "<h3 style=\"{H3}\">{}</h3>", escape(&s.heading));
        let _ = writeln!(b, "<p>{}</p>", escape(&Comparison::section_counts(s)));
        if s.sentences.is_empty() {
            b.push_str("<p>两年都没有文字。</p>\n");
            continue;
        }
        b.push_str("<ul style=\"margin:0;padding-left:1.5em;list-style:none\">\n");
        for x in &s.sentences {
            let style = match x.kind {
                SentenceKind::Kept => "color:#444",
                SentenceKind::Gone => "color:#444;text-decoration:line-through",
                _ => "",
            };
            let _ = write!(
                b,
                "<li style=\"margin:0.3em 0\"><strong>【{}】</strong><span style=\"{style}\">{}</span>",
                x.kind.chinese(),
                escape(&x.text)
            );
            if let Some(l) = &x.last {
                let _ = write!(
                    b,
                    "<br><span style=\"color:#444\">上年：{}</span>",
                    escape(l)
                );
            }
            b.push_str("</li>\n");
        }
        b.push_str("</ul>\n");
    }
    b.push_str("</div>\n");
    page(&title, None, "60em", &b).into_bytes()
}
