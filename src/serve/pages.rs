//! The pages, as plain HTML strings (escaped by the report renderer's [`escape`]): forms that
//! work without script, one stylesheet and one small script served by the server itself.

use super::db::{Checked, Standing, State, Unit, Upload};
use crate::diag::{Diagnostic, Location, Place, Severity};
use crate::render::html::escape;
use crate::render::{document::Document, Format};
use crate::spec::format::{Content, TableId, ValueRef};
use std::fmt::Write;

pub const SITE: &str = "政府信息公开工作年度报告报送";

/// A whole page. `office`: the office's pages (with the log-out button).
pub fn shell(title: &str, office: bool, body: &str) -> String {
    let logout = if office {
        "<form method=\"post\" action=\"/admin/logout\"><button type=\"submit\">退出登录</button></form>"
    } else {
        ""
    };
    let home = if office { "/admin" } else { "#main" };
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta name=\"referrer\" content=\"no-referrer\">\n\
<title>{t} - {SITE}</title>\n<link rel=\"icon\" href=\"data:,\">\n<link rel=\"stylesheet\" href=\"/static/site.css\">\n\
<script src=\"/static/app.js\" defer></script>\n</head>\n<body>\n\
<header class=\"top\"><div class=\"inner\"><a class=\"site\" href=\"{home}\">{SITE}</a>{logout}</div></header>\n\
<main class=\"page\" id=\"main\">\n<h1>{t}</h1>\n{body}</main>\n\
<footer class=\"foot\">国办公开办函〔2021〕30号格式 · xxgk</footer>\n</body>\n</html>\n",
        t = escape(title),
    )
}

pub fn message(title: &str, text: &str) -> String {
    shell(title, false, &format!("<p>{}</p>\n", escape(text)))
}

/// Beijing time of a Unix time, to the minute.
pub fn when(t: i64) -> String {
    let Ok(d) = time::OffsetDateTime::from_unix_timestamp(t) else {
        return String::new();
    };
    let d = d.to_offset(time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC));
    format!(
        "{}-{:02}-{:02} {:02}:{:02}",
        d.year(),
        u8::from(d.month()),
        d.day(),
        d.hour(),
        d.minute()
    )
}

pub fn size(n: i64) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MB", n as f64 / f64::from(1 << 20))
    } else {
        format!("{:.1} KB", n as f64 / 1024.0)
    }
}

fn state_badge(s: State) -> String {
    format!(
        "<span class=\"status {}\">{}</span>",
        s.class(),
        s.chinese()
    )
}

/// Where a diagnostic points, in words: the place in the report and the cell of the sheet.
pub fn where_(d: &Diagnostic) -> String {
    let mut parts = vec![];
    if let Some(p) = &d.place {
        parts.push(p.path());
    }
    match &d.location {
        Location::Sheet { sheet, cell } => parts.push(format!("工作表“{sheet}”{cell} 单元格")),
        Location::Yaml { line, column } => parts.push(format!("第 {line} 行第 {column} 列")),
        Location::Unknown => {}
    }
    parts.join("，")
}

fn table_of(v: ValueRef) -> TableId {
    match v {
        ValueRef::T2Document { .. } | ValueRef::T2Decision { .. } | ValueRef::T2Fee => TableId::T2,
        ValueRef::T3 { .. } => TableId::T3,
        ValueRef::T4 { .. } => TableId::T4,
    }
}

/// The cells of the tables the diagnostics point at: (table, cell of its grid, message).
pub fn marks(diags: &[Diagnostic]) -> Vec<(TableId, usize, String)> {
    let mut out = vec![];
    for d in diags {
        let Some(Place::Value(v)) = d.place else {
            continue;
        };
        let t = table_of(v);
        let grid = t.grid();
        if let Some(i) = grid
            .cells
            .iter()
            .position(|c| c.content == Content::Value(v))
        {
            let word = match d.severity {
                Severity::Error => "错误",
                _ => "警告",
            };
            out.push((t, i, format!("{word}：{}", d.message)));
        }
    }
    out
}

/// The result of one upload: its status, every problem with its place, the three tables with
/// the problem cells marked, and (when it passed) the documents. `base`: the URL of the upload
/// (documents are `{base}/{ext}`).
pub fn result(up: &Upload, ch: &Checked, base: &str, submit: Option<&str>) -> String {
    let mut b = String::new();
    let good = ch.status.is_good();
    let class = if good { "s-ok" } else { "s-bad" };
    let errors = ch.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = ch.diagnostics.len() - errors;
    let _ = writeln!(
        b,
        "<p>文件：{}（{}，上传于 {}）</p>\n<p>结果：<span class=\"status {class}\" id=\"result-status\">{}</span> {} 个错误，{} 个警告</p>",
        escape(&up.file_name),
        size(up.size),
        when(up.time),
        escape(ch.status.chinese()),
        errors,
        warnings
    );
    if !ch.diagnostics.is_empty() {
        b.push_str("<h2>问题</h2>\n<ol class=\"problems\">\n");
        for d in &ch.diagnostics {
            let (cls, word) = if d.is_error() {
                ("error-word", "错误")
            } else {
                ("warning-word", "警告")
            };
            let _ = write!(
                b,
                "<li><span class=\"{cls}\">{word}</span> {}",
                escape(&d.message)
            );
            let w = where_(d);
            if !w.is_empty() {
                let _ = write!(b, " <span class=\"where\">（{}）</span>", escape(&w));
            }
            for h in &d.hints {
                let _ = write!(b, "<br><span class=\"note\">{}</span>", escape(h));
            }
            b.push_str("</li>\n");
        }
        b.push_str("</ol>\n");
    }
    // A passed upload's documents are made right after it is answered (or at the first
    // download).
    if good {
        b.push_str("<h2>下载生成的文件</h2>\n<p class=\"downloads\">");
        for f in [
            Format::Docx,
            Format::Pdf,
            Format::Ofd,
            Format::Html,
            Format::Xlsx,
        ] {
            if ch.documents.is_empty()
                || ch
                    .documents
                    .iter()
                    .any(|d| d.ends_with(&format!(".{}", f.extension())))
            {
                let _ = write!(
                    b,
                    "<a href=\"{}/{}\" download>{}</a>",
                    escape(base),
                    f.extension(),
                    format_name(f)
                );
            }
        }
        b.push_str("</p>\n");
        if let Some(action) = submit {
            let _ = writeln!(
                b,
                "<form method=\"post\" action=\"{}\"><input type=\"hidden\" name=\"upload\" value=\"{}\"><button type=\"submit\">提交此版本给政务公开办</button></form>",
                escape(action),
                up.id
            );
        }
    }
    if let Some(r) = &ch.report {
        let doc = Document::of(r);
        let marks = marks(&ch.diagnostics);
        b.push_str(
            "<h2>三张统计表（按打印格式显示，有问题的单元格已标出）</h2>\n<div class=\"tables\">\n",
        );
        b.push_str(&crate::render::html::marked_tables(&doc, &marks));
        b.push_str("</div>\n");
    }
    b
}

pub fn format_name(f: Format) -> &'static str {
    match f {
        Format::Docx => "Word（.docx）",
        Format::Pdf => "PDF",
        Format::Ofd => "OFD",
        Format::Html => "网页（.html）",
        Format::Xlsx => "Excel（.xlsx）",
    }
}

fn history(b: &mut String, uploads: &[Upload], link: &dyn Fn(i64) -> String) {
    if uploads.is_empty() {
        return;
    }
    b.push_str("<h2>上传记录</h2>\n<div class=\"scroll\" role=\"region\" aria-label=\"上传记录\" tabindex=\"0\"><table class=\"list\">\n<thead><tr><th scope=\"col\">时间</th><th scope=\"col\">文件</th><th scope=\"col\">大小</th><th scope=\"col\">SHA-256</th><th scope=\"col\">结果</th></tr></thead>\n<tbody>\n");
    for u in uploads {
        let _ = writeln!(
            b,
            "<tr><td>{}</td><td><a href=\"{}\">{}</a></td><td class=\"num\">{}</td><td class=\"link\">{}</td><td>{}</td></tr>",
            when(u.time),
            escape(&link(u.id)),
            escape(&u.file_name),
            size(u.size),
            escape(u.hash.get(..16).unwrap_or(&u.hash)),
            escape(u.status.chinese())
        );
    }
    b.push_str("</tbody></table></div>\n");
}

/// The unit's page: year, template, upload, the latest result, history.
pub fn unit_page(
    unit: &Unit,
    year: u16,
    token: &str,
    standing: &Standing,
    uploads: &[Upload],
    shown: Option<(&Upload, &Checked)>,
) -> String {
    let base = format!("/u/{token}");
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<p>报告年度：<strong>{year} 年</strong>　当前状态：{}</p>",
        state_badge(standing.state)
    );
    if let Some(s) = &standing.submission {
        if s.returned.is_some() {
            let _ = writeln!(
                b,
                "<div class=\"box warn\" role=\"status\"><strong>政务公开办已退回提交的报告。</strong>意见：{}<br>请修改后重新上传并提交。</div>",
                escape(s.comment.as_deref().unwrap_or(""))
            );
        } else {
            let _ = writeln!(
                b,
                "<div class=\"box\" role=\"status\">已于 {} 提交。如需更正，可重新上传并再次提交。</div>",
                when(s.time)
            );
        }
    }
    let _ = writeln!(
        b,
        "<h2>第一步：下载填报表</h2>\n<p><a class=\"button secondary\" href=\"{base}/template.xlsx\" download>下载 Excel 填报表（已填好机关和年度）</a></p>\n<p class=\"note\">用 Excel 或 WPS 填写后保存，再在下面上传。也可上传 YAML 文件。</p>"
    );
    let _ = writeln!(
        b,
        "<h2>第二步：上传填好的文件</h2>\n<form method=\"post\" action=\"{base}/upload\" enctype=\"multipart/form-data\">\n<div class=\"drop\"><label for=\"file\">选择文件，或把文件拖到这里（.xlsx、.yaml，最大 20 MB）</label>\n<input type=\"file\" id=\"file\" name=\"file\" accept=\".xlsx,.yaml,.yml\" required>\n</div>\n<button type=\"submit\">上传并检查</button>\n</form>"
    );
    if let Some((up, ch)) = shown {
        let _ = writeln!(b, "<h2 id=\"result\">检查结果</h2>");
        let submit = (ch.status.is_good()
            && standing
                .submission
                .as_ref()
                .is_none_or(|s| s.returned.is_some() || s.upload_id != up.id))
        .then(|| format!("{base}/submit"));
        b.push_str(&result(
            up,
            ch,
            &format!("{base}/uploads/{}", up.id),
            submit.as_deref(),
        ));
    }
    history(&mut b, uploads, &|id| format!("{base}/uploads/{id}#result"));
    shell(&format!("{} {year} 年度报告", unit.name), false, &b)
}

pub fn login(error: Option<&str>) -> String {
    let mut b = String::new();
    if let Some(e) = error {
        let _ = writeln!(
            b,
            "<div class=\"box bad\" role=\"alert\">{}</div>",
            escape(e)
        );
    }
    b.push_str("<form method=\"post\" action=\"/admin/login\">\n<label for=\"password\">管理密码</label>\n<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>\n<p><button type=\"submit\">登录</button></p>\n</form>\n");
    shell("政务公开办登录", false, &b)
}

pub fn setup(token: &str, error: Option<&str>) -> String {
    let mut b = String::new();
    if let Some(e) = error {
        let _ = writeln!(
            b,
            "<div class=\"box bad\" role=\"alert\">{}</div>",
            escape(e)
        );
    }
    let _ = writeln!(
        b,
        "<p>请设置政务公开办的管理密码（至少 10 个字符）。此链接只能使用一次。</p>\n<form method=\"post\" action=\"/setup/{}\">\n<label for=\"password\">管理密码</label>\n<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"new-password\" minlength=\"10\" required>\n<label for=\"password2\">再输入一次</label>\n<input type=\"password\" id=\"password2\" name=\"password2\" autocomplete=\"new-password\" minlength=\"10\" required>\n<p><button type=\"submit\">设置密码</button></p>\n</form>",
        escape(token)
    );
    shell("设置管理密码", false, &b)
}

/// New or renewed invite links, shown once (only their hashes are kept).
pub fn links(title: &str, links: &[(String, String)], skipped: &[String]) -> String {
    let mut b = String::new();
    b.push_str("<p>请把每个单位的链接发给该单位。链接只在此页显示一次（系统只保存其摘要）；遗失后可在单位页面“重新生成链接”。</p>\n");
    if !links.is_empty() {
        b.push_str("<div class=\"scroll\" role=\"region\" aria-label=\"单位链接\" tabindex=\"0\"><table class=\"list\">\n<thead><tr><th scope=\"col\">单位</th><th scope=\"col\">链接</th><th scope=\"col\">复制</th></tr></thead>\n<tbody>\n");
        for (name, url) in links {
            let _ = writeln!(
                b,
                "<tr><td>{}</td><td class=\"link\">{}</td><td><button type=\"button\" class=\"secondary\" data-copy=\"{}\" hidden>复制链接</button></td></tr>",
                escape(name),
                escape(url),
                escape(url)
            );
        }
        b.push_str("</tbody></table></div>\n");
    }
    if !skipped.is_empty() {
        let _ = writeln!(
            b,
            "<div class=\"box warn\">已存在、未重复添加：{}</div>",
            escape(&skipped.join("、"))
        );
    }
    b.push_str("<p><a href=\"/admin\">返回单位列表</a></p>\n");
    shell(title, true, &b)
}

fn fig(f: &Option<crate::batch::Figures>, get: fn(&crate::batch::Figures) -> u64) -> String {
    f.as_ref().map(|f| get(f).to_string()).unwrap_or_default()
}

/// The office's table of every unit for a year.
pub fn office(year: u16, rows: &[(Unit, Standing)]) -> String {
    let mut b = String::new();
    let count = |s: State| {
        rows.iter()
            .filter(|(u, st)| !u.revoked && st.state == s)
            .count()
    };
    let _ = writeln!(
        b,
        "<form method=\"get\" action=\"/admin\" class=\"inline\"><label for=\"year\" class=\"inline\">年度</label> <input type=\"text\" id=\"year\" name=\"year\" value=\"{year}\" inputmode=\"numeric\" size=\"6\" style=\"width:6em\"> <button type=\"submit\" class=\"secondary\">查看</button></form>\n<p>共 {} 个单位：未上传 {}，有错误 {}，已通过 {}，已提交 {}，已退回 {}。</p>\n<p><a class=\"button\" href=\"/admin/export.zip?year={year}\">下载全部已提交报告和汇总（zip）</a></p>",
        rows.iter().filter(|(u, _)| !u.revoked).count(),
        count(State::NotUploaded),
        count(State::HasErrors),
        count(State::Passed),
        count(State::Submitted),
        count(State::Returned),
    );
    b.push_str("<h2>各单位</h2>\n<div class=\"scroll\" role=\"region\" aria-label=\"各单位\" tabindex=\"0\"><table class=\"list\" id=\"units\">\n<thead><tr><th scope=\"col\">单位</th><th scope=\"col\">状态</th><th scope=\"col\">本年新收</th><th scope=\"col\">行政复议</th><th scope=\"col\">行政诉讼</th><th scope=\"col\">最后上传</th></tr></thead>\n<tbody>\n");
    for (u, s) in rows {
        let state = if u.revoked {
            "<span class=\"status s-none\">链接已停用</span>".to_string()
        } else {
            state_badge(s.state)
        };
        let _ = writeln!(
            b,
            "<tr><td><a href=\"/admin/units/{}?year={year}\">{}</a></td><td>{state}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            u.id,
            escape(&u.name),
            fig(&s.figures, |f| f.new),
            fig(&s.figures, |f| f.review_total),
            fig(&s.figures, |f| f.litigation_total),
            s.last.as_ref().map(|l| when(l.time)).unwrap_or_default()
        );
    }
    b.push_str("</tbody></table></div>\n");
    b.push_str("<h2>添加单位</h2>\n<form method=\"post\" action=\"/admin/units\" enctype=\"multipart/form-data\">\n<label for=\"names\">单位名称，每行一个</label>\n<textarea id=\"names\" name=\"names\"></textarea>\n<label for=\"sheet\">或上传名单（Excel 第一列，或每行一个名称的文本文件）</label>\n<input type=\"file\" id=\"sheet\" name=\"sheet\" accept=\".xlsx,.txt,.csv\">\n<p><button type=\"submit\">添加并生成链接</button></p>\n</form>\n");
    shell(&format!("{year} 年度报告报送情况"), true, &b)
}

/// One unit as the office sees it.
pub fn office_unit(
    unit: &Unit,
    year: u16,
    standing: &Standing,
    uploads: &[Upload],
    shown: Option<(&Upload, &Checked)>,
) -> String {
    let mut b = String::new();
    let base = format!("/admin/units/{}", unit.id);
    let _ =
        writeln!(
        b,
        "<p><a href=\"/admin?year={year}\">返回单位列表</a></p>\n<p>年度：{year}　状态：{}{}</p>",
        state_badge(standing.state),
        if unit.revoked { "（链接已停用）" } else { "" }
    );
    if let Some(s) = &standing.submission {
        match s.returned {
            None => {
                let _ = writeln!(
                    b,
                    "<div class=\"box\">已于 {} 提交（<a href=\"{base}/uploads/{}?year={year}#result\">查看提交的版本</a>）。</div>\n<form method=\"post\" action=\"{base}/return?year={year}\">\n<label for=\"comment\">退回意见（单位会看到）</label>\n<textarea id=\"comment\" name=\"comment\" required></textarea>\n<p><button type=\"submit\" class=\"danger\">退回</button></p>\n</form>",
                    when(s.time),
                    s.upload_id
                );
            }
            Some(t) => {
                let _ = writeln!(
                    b,
                    "<div class=\"box warn\">已于 {} 退回，意见：{}</div>",
                    when(t),
                    escape(s.comment.as_deref().unwrap_or(""))
                );
            }
        }
    }
    let _ = writeln!(
        b,
        "<h2>链接</h2>\n<p class=\"note\">链接只以摘要保存，无法再次显示；重新生成后旧链接立即失效。</p>\n<form method=\"post\" action=\"{base}/renew\" class=\"inline\"><button type=\"submit\" class=\"secondary\">重新生成链接</button></form>\n<form method=\"post\" action=\"{base}/revoke\" class=\"inline\"><button type=\"submit\" class=\"danger\">停用链接</button></form>"
    );
    if let Some((up, ch)) = shown {
        b.push_str("<h2 id=\"result\">检查结果</h2>\n");
        b.push_str(&result(up, ch, &format!("{base}/uploads/{}", up.id), None));
    }
    history(&mut b, uploads, &|id| {
        format!("{base}/uploads/{id}?year={year}#result")
    });
    shell(&unit.name, true, &b)
}

/// `Content-Disposition` of a download: an ASCII fallback and the UTF-8 name.
pub fn attachment(name: &str) -> String {
    format!(
        "attachment; filename=\"report\"; filename*=UTF-8''{}",
        percent(name)
    )
}

fn percent(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}
