//! `xxgk compare LAST THIS`: the command over [`crate::compare`] — the summary on standard
//! output (or the whole comparison as JSON), the web page, PDF and JSON files, the exit code.

use super::{print, usage_error, CompareArgs, OutputFormat, EXIT_DATA, EXIT_OK, EXIT_USAGE};
use crate::compare;
use crate::diag;
use crate::output::{io_message, write_all_atomic_with, Durability};
use crate::render::Format;
use std::path::PathBuf;

/// What compare can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Out {
    Html,
    Pdf,
    Json,
}

impl Out {
    fn extension(self) -> &'static str {
        match self {
            Out::Html => "html",
            Out::Pdf => "pdf",
            Out::Json => "json",
        }
    }
}

fn parse_list(s: &str) -> Result<Vec<Out>, String> {
    let mut out = vec![];
    for part in s.split([',', '，']).map(str::trim) {
        let f = match part.to_ascii_lowercase().as_str() {
            "html" | "htm" | "web" => Out::Html,
            "pdf" => Out::Pdf,
            "json" => Out::Json,
            "" => continue,
            other => {
                return Err(format!(
                    "不认识的输出格式“{other}”；compare 可用的格式：html、pdf、json"
                ))
            }
        };
        if !out.contains(&f) {
            out.push(f);
        }
    }
    if out.is_empty() {
        return Err("--to 没有给出任何格式；compare 可用的格式：html、pdf、json".into());
    }
    Ok(out)
}

pub fn run(a: &CompareArgs) -> i32 {
    // JSON on standard output for a script writes no files unless asked to.
    let outs = match (&a.to, a.format, &a.out) {
        (Some(t), _, _) => match parse_list(t) {
            Ok(v) => v,
            Err(e) => return usage_error(&e),
        },
        (None, OutputFormat::Json, None) => vec![],
        (None, _, _) => vec![Out::Html, Out::Pdf],
    };
    let fonts = match super::load_fonts(a.font_dir.as_deref(), outs.contains(&Out::Pdf)) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let (c, o_last, o_this) = match compare::run(&a.last, &a.this) {
        Ok(x) => x,
        Err(f) => {
            for d in &f.diagnostics {
                let line = print::human(&f.file, None, d);
                eprintln!("{}", print::terminal(&line));
            }
            eprintln!(
                "{}",
                print::terminal(&format!("{}：无法读取为报告，未对比", f.file))
            );
            return f.exit_code;
        }
    };
    let mut code = EXIT_OK;
    if diag::has_errors(&o_last.diagnostics) || diag::has_errors(&o_this.diagnostics) {
        code = EXIT_DATA;
    }
    if a.strict && !o_this.diagnostics.is_empty() {
        code = EXIT_DATA;
    }
    // Every file is made before anything is written: all or none.
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![];
    let dir = a.out.clone().unwrap_or_else(|| PathBuf::from("."));
    let stem = a
        .this
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "报告".into());
    for o in &outs {
        let bytes = match o {
            Out::Html => compare::html::render(&c),
            Out::Json => c.json().into_bytes(),
            Out::Pdf => match fonts.as_ref().map(|f| c.pdf(f)) {
                Some(Ok(b)) => b,
                Some(Err(d)) => {
                    eprintln!(
                        "{}",
                        print::terminal(&format!("错误：无法生成 PDF：{}", d.message))
                    );
                    return EXIT_DATA;
                }
                None => continue,
            },
        };
        files.push((dir.join(format!("{stem}_对比.{}", o.extension())), bytes));
    }
    // Never over a file of the user's: only over a comparison xxgk wrote.
    for (p, _) in &files {
        let ours = match p.extension().and_then(|e| e.to_str()) {
            Some("html") => crate::job::made_by_xxgk(p, Format::Html),
            Some("pdf") => crate::job::made_by_xxgk(p, Format::Pdf),
            _ => std::fs::read_to_string(p).is_ok_and(|t| t.contains("\"large_changes\"")),
        };
        if p.symlink_metadata().is_ok() && !ours {
            eprintln!(
                "{}",
                print::terminal(&format!(
                    "错误：{} 已存在且不是本程序生成的对比文件，未写入；请用 -o 指定另一个目录",
                    p.display()
                ))
            );
            return EXIT_USAGE;
        }
    }
    if !files.is_empty() {
        if let Err(e) = std::fs::create_dir_all(&dir) {
            eprintln!("错误：无法创建目录 {}：{}", dir.display(), io_message(&e));
            return EXIT_USAGE;
        }
        if let Err(e) = write_all_atomic_with(&files, Durability::Now) {
            eprintln!("错误：无法写入 {}：{}", dir.display(), io_message(&e));
            return EXIT_USAGE;
        }
    }
    match a.format {
        OutputFormat::Json => print!("{}", c.json()),
        OutputFormat::Human => {
            let mut lines = vec![c.title(), "评估要点：".to_string()];
            if c.summary.is_empty() {
                lines.push("  没有发现评估中常见的扣分问题".into());
            }
            for (i, f) in c.summary.iter().enumerate() {
                let cell = f
                    .cell
                    .as_ref()
                    .map(|p| format!("（{p}）"))
                    .unwrap_or_default();
                lines.push(format!(
                    "  {}. {}[{}]: {}{cell}",
                    i + 1,
                    f.severity.chinese(),
                    f.rule.id(),
                    f.message
                ));
            }
            lines.push(format!("表格中大幅变化的数字：{} 处", c.large_changes));
            for s in &c.sections {
                lines.push(compare::Comparison::section_line(s));
            }
            for line in lines {
                println!("{}", print::terminal(&line));
            }
        }
    }
    for (p, _) in &files {
        eprintln!("{}", print::terminal(&format!("已生成 {}", p.display())));
    }
    code
}
