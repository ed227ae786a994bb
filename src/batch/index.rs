//! `index.html` of a batch with `--to html`: the list of every body with its year, status, key
//! figures and links to its files — the page a city puts online. Same page shell and inline
//! styles as the report pages ([`crate::render::html`]), so it can be pasted too.

use super::summary::BODY_COLUMNS;
use super::{Entry, Figures, Outcome};
use crate::render::html::{escape, font_stack, href, page};
use crate::render::Format;
use crate::spec::format;
use crate::spec::style::Face;
use std::fmt::Write;

/// File name of the list, in the output folder.
pub const INDEX_HTML: &str = "index.html";

/// Column `k` of the summary workbook's 各单位 sheet: 序号, 文件, 机关, 年度, the five key
/// figures, 状态.
fn column(k: usize) -> &'static str {
    BODY_COLUMNS.get(k).map_or("", |c| c.0)
}

/// The key figures' columns in that sheet.
const FIGURES: std::ops::Range<usize> = 4..9;

fn figures(f: &Figures) -> [u64; 5] {
    [
        f.new,
        f.disclosed,
        f.carried_out,
        f.review_total,
        f.litigation_total,
    ]
}

const CELL: &str =
    "border:1px solid #000;padding:1mm 1.2mm;vertical-align:middle;font-weight:normal";

/// The whole page.
pub fn index_html(o: &Outcome) -> String {
    let years: std::collections::BTreeSet<u16> = o
        .entries
        .iter()
        .filter_map(|e| e.body.as_ref().map(|b| b.1))
        .collect();
    let title = match (years.len(), years.iter().next()) {
        (1, Some(y)) => format::title_tail(*y),
        _ => "政府信息公开工作年度报告".to_string(),
    };
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<h1 style=\"margin:0 0 0.5em;text-align:center;font-family:{};font-size:22pt;font-weight:bold;line-height:1.6\">{}</h1>",
        font_stack(Face::Title),
        escape(&title)
    );
    let _ = writeln!(
        b,
        "<div role=\"region\" aria-labelledby=\"list-caption\" tabindex=\"0\" style=\"overflow-x:auto\">"
    );
    let _ = writeln!(
        b,
        "<table style=\"width:100%;min-width:48em;border-collapse:collapse;border:1px solid #000;font-family:{};font-size:10.5pt;line-height:1.4;color:#000;background:#fff\">",
        font_stack(Face::Song)
    );
    let _ = writeln!(
        b,
        "<caption id=\"list-caption\" style=\"caption-side:top;text-align:left;padding:0 0 0.5em;font-size:12pt\">各单位报告（共 {} 份，{} 份有效）</caption>",
        o.entries.len(),
        o.summed
    );
    let mut head = vec![column(0), column(2), column(3), column(9)];
    head.extend(FIGURES.map(column));
    head.push(column(1));
    b.push_str("<thead><tr>");
    for (k, h) in head.iter().enumerate() {
        let _ = write!(
            b,
            "<th id=\"h{k}\" scope=\"col\" style=\"{CELL};text-align:center;background:#f2f2f2\">{h}</th>"
        );
    }
    b.push_str("</tr></thead>\n<tbody>\n");
    for (i, e) in o.entries.iter().enumerate() {
        row(&mut b, i, e);
    }
    b.push_str("</tbody>\n");
    // The sums of the valid reports.
    let t = figures(&Figures::of(&o.totals));
    let _ = write!(
        b,
        "<tfoot><tr><th id=\"sum\" scope=\"row\" colspan=\"4\" headers=\"h0 h1 h2 h3\" style=\"{CELL};text-align:center\">合计（{} 份有效报告）</th>",
        o.summed
    );
    for (k, v) in t.iter().enumerate() {
        let _ = write!(
            b,
            "<td headers=\"sum h{}\" style=\"{CELL};text-align:center\">{v}</td>",
            4 + k
        );
    }
    let _ = writeln!(
        b,
        "<td headers=\"sum h{}\" style=\"{CELL}\"></td></tr></tfoot>",
        4 + FIGURES.len()
    );
    b.push_str("</table>\n</div>\n");
    page(&title, None, "64em", &b)
}

fn row(b: &mut String, i: usize, e: &Entry) {
    let rh = format!("r{i}");
    let files_col = 4 + FIGURES.len();
    let td = |b: &mut String, col: usize, align: &str, text: &str| {
        let _ = write!(
            b,
            "<td headers=\"{rh} h{col}\" style=\"{CELL};text-align:{align}\">{text}</td>"
        );
    };
    b.push_str("<tr>");
    td(b, 0, "center", &(i + 1).to_string());
    // The body's name, a link to its web page when there is one; the file name when unread.
    let name = match &e.body {
        Some((body, _)) => escape(body),
        None => escape(&e.file),
    };
    let page = e
        .outputs
        .iter()
        .find(|p| Format::of_path(p) == Some(Format::Html));
    let name = match page {
        Some(p) => format!(
            "<a href=\"{}\" style=\"color:#00e\">{name}</a>",
            escape(&href(p))
        ),
        None => name,
    };
    let _ = write!(
        b,
        "<th id=\"{rh}\" scope=\"row\" headers=\"h1\" style=\"{CELL};text-align:left\">{name}</th>"
    );
    let year = e.body.as_ref().map(|b| b.1.to_string()).unwrap_or_default();
    td(b, 2, "center", &year);
    let status = if e.status.is_good() || e.summed {
        e.status.chinese().to_string()
    } else {
        format!("{}（未计入汇总）", e.status.chinese())
    };
    let color = if e.status.is_good() {
        "#000"
    } else {
        "#a00000"
    };
    let _ = write!(
        b,
        "<td headers=\"{rh} h3\" style=\"{CELL};text-align:center;color:{color}\">{}</td>",
        escape(&status)
    );
    match &e.figures {
        Some(f) => {
            for (k, v) in figures(f).iter().enumerate() {
                td(b, 4 + k, "center", &v.to_string());
            }
        }
        None => {
            for k in 0..FIGURES.len() {
                td(b, 4 + k, "center", "");
            }
        }
    }
    let links: Vec<String> = e
        .outputs
        .iter()
        .map(|p| {
            let label = Format::of_path(p).map_or("文件", |f| f.label());
            format!(
                "<a href=\"{}\" style=\"color:#00e\">{label}</a>",
                escape(&href(p))
            )
        })
        .collect();
    td(b, files_col, "left;white-space:nowrap", &links.join("　"));
    b.push_str("</tr>\n");
}
