//! The `xxgk` command line (`docs/CLI.md`). `main.rs` only calls [`run`]; each command reads
//! its arguments, calls the library and turns what it returns into output and an exit code.

mod batch;
pub mod print;

use crate::diag::{self, Diagnostic, Rule};
use crate::input::{self, Parsed};
use crate::output::{io_message, write_atomic};
use crate::render::{self, Format};
use crate::validate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Exit codes of `docs/CLI.md`.
pub const EXIT_OK: i32 = 0;
pub const EXIT_DATA: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "xxgk",
    version,
    about = "政府信息公开工作年度报告：校验数据，生成 Word、PDF、Excel（国办公开办函〔2021〕30号格式）",
    long_about = None
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 校验报告数据（YAML 或 Excel），列出全部问题，不生成文件
    Check(CheckArgs),
    /// 校验并生成 Word、PDF、Excel
    Render(RenderArgs),
    /// 生成空白的填报模板（YAML 或 Excel）
    Template(TemplateArgs),
    /// 在 YAML 和 Excel 之间转换报告数据
    Convert(ConvertArgs),
    /// 批量校验并生成一个目录下所有报告，并汇总
    Batch(BatchArgs),
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// 报告文件（.yaml、.yml 或 .xlsx），可以有多个
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// 输出格式：human（人读）或 json（程序读）
    #[arg(long, value_enum, default_value = "human")]
    pub format: OutputFormat,
    /// 同一机关上一年度的报告，用于跨年度核对（上年结转、现行有效件数）
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct RenderArgs {
    /// 报告文件（.yaml、.yml 或 .xlsx）
    pub file: PathBuf,
    /// 输出目录（默认当前目录）
    #[arg(short = 'o', long = "out", value_name = "DIR", default_value = ".")]
    pub out: PathBuf,
    /// 输出格式，逗号分隔：docx,pdf,xlsx,ofd（默认 docx,pdf,xlsx）
    #[arg(long, value_name = "FORMATS", default_value = "docx,pdf,xlsx")]
    pub to: String,
    /// 即使有校验错误也生成文件（错误仍会列出）
    #[arg(long)]
    pub force: bool,
    /// 优先查找字体的目录（例如存放正版仿宋_GB2312、方正小标宋简体的目录）
    #[arg(long, value_name = "DIR")]
    pub font_dir: Option<PathBuf>,
}

#[derive(Args, Debug)]
#[command(group = clap::ArgGroup::new("kind").required(true).args(["yaml", "xlsx"]))]
pub struct TemplateArgs {
    /// 生成带中文注释的 YAML 模板
    #[arg(long)]
    pub yaml: bool,
    /// 生成 Excel 填报模板
    #[arg(long)]
    pub xlsx: bool,
    /// 输出文件
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: PathBuf,
    /// 模板中的报告年度（默认为上一年）
    #[arg(long)]
    pub year: Option<u16>,
}

#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// 输入文件（.yaml、.yml 或 .xlsx）
    pub input: PathBuf,
    /// 输出文件（.yaml、.yml 或 .xlsx）
    pub output: PathBuf,
}

#[derive(Args, Debug)]
pub struct BatchArgs {
    /// 存放各单位报告的目录（递归查找 .yaml、.yml、.xlsx）
    pub dir: PathBuf,
    /// 输出目录
    #[arg(short = 'o', long = "out", value_name = "OUTDIR")]
    pub out: PathBuf,
    /// 输出格式，逗号分隔：docx,pdf,xlsx,ofd（默认 docx,pdf,xlsx）
    #[arg(long, value_name = "FORMATS", default_value = "docx,pdf,xlsx")]
    pub to: String,
    /// 并行任务数（默认为全部 CPU 核数）
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    pub jobs: Option<usize>,
    /// 即使有校验错误也生成文件
    #[arg(long)]
    pub force: bool,
    /// 优先查找字体的目录
    #[arg(long, value_name = "DIR")]
    pub font_dir: Option<PathBuf>,
}

/// Parses the arguments and runs the command; returns the exit code.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    match cli.command {
        Command::Check(a) => check(&a),
        Command::Render(a) => render_cmd(&a),
        Command::Template(a) => template(&a),
        Command::Convert(a) => convert(&a),
        Command::Batch(a) => batch::run(&a),
    }
}

fn usage_error(msg: &str) -> i32 {
    eprintln!("错误：{msg}");
    EXIT_USAGE
}

fn check(a: &CheckArgs) -> i32 {
    let previous = match &a.previous {
        Some(p) => match input::read_path(p) {
            Ok(parsed) if parsed.complete && !diag::has_errors(&parsed.diagnostics) => {
                Some(parsed.report)
            }
            Ok(parsed) => {
                eprintln!(
                    "错误：上年报告 {} 有 {}，无法用于跨年度核对",
                    p.display(),
                    print::summary(&parsed.diagnostics)
                );
                return EXIT_DATA;
            }
            Err(e) => return usage_error(&e.to_string()),
        },
        None => None,
    };
    let mut code = EXIT_OK;
    let mut results: Vec<(String, Result<Parsed, String>)> = vec![];
    for f in &a.files {
        let name = f.display().to_string();
        match validate::read_and_check(f, previous.as_ref()) {
            Ok(p) => {
                if diag::has_errors(&p.diagnostics) {
                    code = code.max(EXIT_DATA);
                }
                results.push((name, Ok(p)));
            }
            Err(e) => {
                code = EXIT_USAGE;
                results.push((name, Err(e.to_string())));
            }
        }
    }
    match a.format {
        OutputFormat::Json => {
            let io_diags: Vec<Vec<Diagnostic>> = results
                .iter()
                .map(|(_, r)| match r {
                    Err(msg) => vec![Diagnostic::error(Rule::Io, msg.clone())],
                    Ok(_) => vec![],
                })
                .collect();
            let files = results
                .iter()
                .zip(&io_diags)
                .map(|((name, r), io)| match r {
                    Ok(p) => diag::JsonFile::new(name.clone(), &p.diagnostics, vec![]),
                    Err(_) => diag::JsonFile::new(name.clone(), io, vec![]),
                })
                .collect();
            match serde_json::to_string_pretty(&diag::JsonReport { files }) {
                Ok(s) => println!("{s}"),
                Err(e) => return usage_error(&e.to_string()),
            }
        }
        OutputFormat::Human => {
            for (name, r) in &results {
                match r {
                    Ok(p) => {
                        for d in &p.diagnostics {
                            println!("{}", print::human(name, p.source_text.as_deref(), d));
                        }
                        let verdict = if diag::has_errors(&p.diagnostics) {
                            "未通过"
                        } else {
                            "通过"
                        };
                        println!("{name}：{verdict}（{}）", print::summary(&p.diagnostics));
                    }
                    Err(msg) => eprintln!("错误：{msg}"),
                }
            }
        }
    }
    code
}

fn render_cmd(a: &RenderArgs) -> i32 {
    let formats = match Format::parse_list(&a.to) {
        Ok(f) => f,
        Err(e) => return usage_error(&e),
    };
    let name = a.file.display().to_string();
    let parsed = match validate::read_and_check(&a.file, None) {
        Ok(p) => p,
        Err(e) => return usage_error(&e.to_string()),
    };
    for d in &parsed.diagnostics {
        eprintln!("{}", print::human(&name, parsed.source_text.as_deref(), d));
    }
    let errors = diag::has_errors(&parsed.diagnostics);
    if !parsed.complete || (errors && !a.force) {
        eprintln!(
            "{name}：{}，未生成文件{}",
            print::summary(&parsed.diagnostics),
            if parsed.complete {
                "（可用 --force 强制生成）"
            } else {
                ""
            }
        );
        return EXIT_DATA;
    }
    if !a.out.is_dir() {
        if let Err(e) = std::fs::create_dir_all(&a.out) {
            return usage_error(&format!(
                "无法创建输出目录 {}：{}",
                a.out.display(),
                io_message(&e)
            ));
        }
    }
    let fonts = if formats.iter().any(Format::is_paged) {
        match render::paged::Fonts::load(a.font_dir.as_deref()) {
            Ok(f) => Some(f),
            Err(d) => {
                eprintln!("错误：{}", d.message);
                return diag::exit_code(std::slice::from_ref(&d));
            }
        }
    } else {
        None
    };
    let stem = a
        .file
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "report".to_string());
    let mut code = if errors { EXIT_DATA } else { EXIT_OK };
    for f in formats {
        let target = a.out.join(format!("{stem}.{}", f.extension()));
        match render::render(&parsed.report, f, fonts.as_ref()) {
            Ok(bytes) => match write_atomic(&target, &bytes) {
                Ok(()) => eprintln!("已生成 {}", target.display()),
                Err(e) => {
                    eprintln!("错误：无法写入 {}：{}", target.display(), io_message(&e));
                    code = EXIT_USAGE;
                }
            },
            Err(d) => {
                // A problem in the report's text (a character no font has) points at its place.
                let d = match d.cell.as_deref() {
                    Some(cell) => {
                        let at = parsed.locate(cell);
                        d.at(at)
                    }
                    None => d,
                };
                eprintln!("{}", print::human(&name, parsed.source_text.as_deref(), &d));
                eprintln!("错误：无法生成 {}", target.display());
                code = code.max(diag::exit_code(std::slice::from_ref(&d)));
            }
        }
    }
    code
}

fn template(a: &TemplateArgs) -> i32 {
    let bytes = if a.yaml {
        let year = a.year.unwrap_or_else(default_year);
        render::yaml::template(year).into_bytes()
    } else {
        match render::xlsx::template(a.year.unwrap_or_else(default_year)) {
            Ok(b) => b,
            Err(d) => {
                eprintln!("错误：{}", d.message);
                return diag::exit_code(std::slice::from_ref(&d));
            }
        }
    };
    match write_atomic(&a.out, &bytes) {
        Ok(()) => {
            eprintln!("已生成模板 {}", a.out.display());
            EXIT_OK
        }
        Err(e) => usage_error(&format!("无法写入 {}：{}", a.out.display(), io_message(&e))),
    }
}

/// The year a report written now covers: last year.
fn default_year() -> u16 {
    let now = time::OffsetDateTime::now_utc();
    (now.year() - 1).clamp(2019, 2100) as u16
}

fn convert(a: &ConvertArgs) -> i32 {
    let Some(out_kind) = input::Kind::of(&a.output) else {
        return usage_error(&format!(
            "{}：无法识别的文件类型（应为 .yaml、.yml 或 .xlsx）",
            a.output.display()
        ));
    };
    let name = a.input.display().to_string();
    let parsed = match input::read_path(&a.input) {
        Ok(p) => p,
        Err(e) => return usage_error(&e.to_string()),
    };
    // Conversion keeps the numbers as they are (an imbalance is the clerk's to fix, in either
    // format); only input that cannot be read stops it.
    let blocking: Vec<&Diagnostic> = parsed.diagnostics.iter().filter(|d| d.is_error()).collect();
    for d in &parsed.diagnostics {
        eprintln!("{}", print::human(&name, parsed.source_text.as_deref(), d));
    }
    if !parsed.complete || !blocking.is_empty() {
        eprintln!("{name}：{}，未转换", print::summary(&parsed.diagnostics));
        return EXIT_DATA;
    }
    let bytes = match out_kind {
        input::Kind::Yaml => Ok(render::yaml::render(&parsed.report).into_bytes()),
        input::Kind::Excel => render::xlsx::render(&parsed.report),
    };
    match bytes {
        Ok(b) => match write_atomic(&a.output, &b) {
            Ok(()) => {
                eprintln!("已转换为 {}", a.output.display());
                EXIT_OK
            }
            Err(e) => usage_error(&format!(
                "无法写入 {}：{}",
                a.output.display(),
                io_message(&e)
            )),
        },
        Err(d) => {
            eprintln!("错误：{}", d.message);
            diag::exit_code(std::slice::from_ref(&d))
        }
    }
}
