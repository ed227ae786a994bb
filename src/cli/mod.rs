//! The `xxgk` command line (`docs/CLI.md`). `main.rs` only calls [`run`]; each command reads
//! its arguments, calls the library and turns what it returns into output and an exit code.

// Output that cannot be written (`xxgk check … | head` closes the pipe; stderr closed) is
// dropped and the program goes on to its exit code: std's print macros would panic. These
// shadow them for this module and the modules declared below. Standard error is for people
// only: each line goes through `print::terminal`, so that no file name or value can send the
// terminal an escape sequence (standard output carries the JSON, exact).
macro_rules! println {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}
macro_rules! eprintln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let line = format!($($arg)*);
        let _ = writeln!(std::io::stderr().lock(), "{}", $crate::cli::print::terminal(&line));
    }};
}

mod batch;
mod compare;
pub mod print;
mod serve;

use crate::diag::{self, Diagnostic};
use crate::input;
use crate::job::{self, Status};
use crate::output::{io_message, write_atomic};
use crate::render::{self, Format};
use clap::{Arg, ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Exit codes of `docs/CLI.md`.
pub const EXIT_OK: i32 = 0;
pub const EXIT_DATA: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "xxgk",
    version,
    about = "政府信息公开工作年度报告：校验数据，生成 Word、PDF、Excel、网页（国办公开办函〔2021〕30号格式）",
    long_about = None,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    arg_required_else_help = true,
    subcommand_help_heading = "命令",
    subcommand_value_name = "COMMAND"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 校验报告数据（YAML 或 Excel），列出全部问题，不生成文件
    Check(CheckArgs),
    /// 校验并生成 Word、PDF、Excel（--to html 另生成网页）
    Render(RenderArgs),
    /// 生成空白的填报模板（YAML 或 Excel）
    Template(TemplateArgs),
    /// 在 YAML 和 Excel 之间转换报告数据
    Convert(ConvertArgs),
    /// 批量校验并生成一个目录下所有报告，并汇总
    Batch(BatchArgs),
    /// 对比同一机关相邻两年的报告：表格逐格、文字逐句，生成网页和 PDF
    Compare(CompareArgs),
    /// 启动网页报送系统：各单位上传、政务公开办汇总（见 docs/SERVE.md）
    Serve(serve::ServeArgs),
    /// 显示帮助：全部命令，或某个命令的说明
    Help(HelpArgs),
    /// (internal) a batch worker: reads jobs on standard input, see `batch::worker`
    #[command(name = "__batch-worker", hide = true)]
    BatchWorker,
    /// 列出 PDF 的每种公文字体由哪个字体绘制、来自何处（内置或本机文件）
    Fonts(FontsArgs),
}

#[derive(Args, Debug)]
pub struct FontsArgs {
    /// 优先查找字体的目录（与 render 的 --font-dir 相同）
    #[arg(long, value_name = "DIR")]
    pub font_dir: Option<PathBuf>,
    /// 打印内置字体的许可证全文
    #[arg(long)]
    pub licences: bool,
}

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// 上一年度的报告（.yaml、.yml、.xlsx，或已发布的 .pdf、.docx、.html、.txt、.ofd）
    #[arg(value_name = "LAST")]
    pub last: PathBuf,
    /// 本年度的报告
    #[arg(value_name = "THIS")]
    pub this: PathBuf,
    /// 输出目录（默认当前目录）
    #[arg(short = 'o', long = "out", value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// 生成的文件，逗号分隔：html、pdf、json（默认 html,pdf）
    #[arg(long, value_name = "FORMATS")]
    pub to: Option<String>,
    /// 标准输出的格式：human（默认，评估要点）或 json（完整的对比数据）
    #[arg(long, value_enum, default_value = "human", value_name = "FORMAT")]
    pub format: OutputFormat,
    /// 优先查找字体的目录（生成 PDF 时）
    #[arg(long, value_name = "DIR")]
    pub font_dir: Option<PathBuf>,
    /// 本年报告有警告时退出码为 1
    #[arg(long)]
    pub strict: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// 报告文件（.yaml、.yml、.xlsx，或已发布的 .pdf、.docx、.html、.txt、.ofd），可以有多个
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// 输出格式：human（给人看，默认）或 json（给程序读，见 docs/CLI.md）
    #[arg(long, value_enum, default_value = "human", value_name = "FORMAT")]
    pub format: OutputFormat,
    /// 同一机关上一年度的报告，用于跨年度核对（上年结转、现行有效件数）
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,
    /// 优先查找字体的目录（检查字符能否排版时用，与 render 的同名选项一致）
    #[arg(long, value_name = "DIR")]
    pub font_dir: Option<PathBuf>,
    /// 有警告也按错误计算退出码（供自动检查使用）
    #[arg(long)]
    pub strict: bool,
}

#[derive(Args, Debug)]
pub struct RenderArgs {
    /// 报告文件（.yaml、.yml、.xlsx，或已发布的 .pdf、.docx、.html、.txt、.ofd）
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// 输出目录（默认当前目录）
    #[arg(short = 'o', long = "out", value_name = "DIR", default_value = ".")]
    pub out: PathBuf,
    /// 输出格式，逗号分隔：docx,pdf,xlsx,html,ofd（默认 docx,pdf,xlsx）
    #[arg(long, value_name = "FORMATS", default_value = DEFAULT_FORMATS)]
    pub to: String,
    /// 即使有校验错误也生成文件（错误仍会列出）
    #[arg(long)]
    pub force: bool,
    /// 优先查找字体的目录（例如存放正版仿宋_GB2312、方正小标宋简体的目录）
    #[arg(long, value_name = "DIR")]
    pub font_dir: Option<PathBuf>,
    /// PDF 的标准：1.7（默认，带结构标记，供读屏软件）或 a-1b（PDF/A-1b，供归档）
    #[arg(long, value_name = "STANDARD", default_value = "1.7")]
    pub pdf_standard: String,
    /// 有警告也按错误计算退出码（供自动检查使用）
    #[arg(long)]
    pub strict: bool,
    /// 同一机关上一年度的报告，另做跨年度核对（同 check）
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,
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
    /// 报告年度：填入模板（YAML 模板不给时为上一年；Excel 模板不给时年度一格留空）
    #[arg(long, value_name = "YEAR")]
    pub year: Option<u16>,
    /// 机关名称：填入模板的“机关”（不给时 YAML 模板为“某某市某某局”，Excel 模板留空）
    #[arg(long, value_name = "NAME")]
    pub body: Option<String>,
}

#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// 输入文件（.yaml、.yml、.xlsx，或已发布的 .pdf、.docx、.html、.txt、.ofd）
    #[arg(value_name = "IN")]
    pub input: PathBuf,
    /// 输出文件（.yaml、.yml 或 .xlsx）
    #[arg(value_name = "OUT")]
    pub output: PathBuf,
}

#[derive(Args, Debug)]
pub struct HelpArgs {
    /// 要查看说明的命令（不给时显示全部命令）
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

#[derive(Args, Debug)]
pub struct BatchArgs {
    /// 存放各单位报告的目录（递归查找 .yaml、.yml、.xlsx 和已发布的 .pdf、.docx、.html、.ofd）
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// 输出目录
    #[arg(short = 'o', long = "out", value_name = "OUTDIR")]
    pub out: PathBuf,
    /// 输出格式，逗号分隔：docx,pdf,xlsx,html,ofd（默认 docx,pdf,xlsx）
    #[arg(long, value_name = "FORMATS", default_value = DEFAULT_FORMATS)]
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
    /// PDF 的标准：1.7（默认，带结构标记，供读屏软件）或 a-1b（PDF/A-1b，供归档）
    #[arg(long, value_name = "STANDARD", default_value = "1.7")]
    pub pdf_standard: String,
    /// 一份报告最多处理多少秒（默认 300），超时即中止并记为该报告的错误
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub timeout: u64,
    /// 汇总的年度（默认取多数报告的年度）；其他年度的报告不计入汇总
    #[arg(long, value_name = "YEAR")]
    pub year: Option<u16>,
    /// 上一年度各单位报告的目录：按机关配对，另做跨年度核对
    #[arg(long, value_name = "DIR")]
    pub previous: Option<PathBuf>,
    /// 有警告也按错误计算退出码（供自动检查使用）
    #[arg(long)]
    pub strict: bool,
}

/// The formats `render` and `batch` write when `--to` is not given (and a dropped file gets).
const DEFAULT_FORMATS: &str = "docx,pdf,xlsx";

/// A help template with clap's headings (`Usage:`, `Commands:`, `Arguments:`, `Options:`) in
/// Chinese, for a command with or without subcommands and positional arguments.
fn help_template(cmd: &clap::Command) -> String {
    let mut t = String::from("{about-with-newline}\n用法：{usage}\n\n");
    if cmd.has_subcommands() {
        t.push_str("命令：\n{subcommands}\n\n");
    }
    if cmd.get_positionals().next().is_some() {
        t.push_str("参数：\n{positionals}\n\n");
    }
    t.push_str("选项：\n{options}{after-help}\n");
    t
}

const ROOT_USAGE: &str = "xxgk <COMMAND> [选项]\n      xxgk <FILE>...    （报告文件 .xlsx、.yaml、.yml 或已发布的 .pdf、.docx、.html、.ofd：检查，并在文件旁生成 Word、PDF、Excel）";

const ROOT_EXAMPLES: &str = "\
示例：
  xxgk template --xlsx -o 填报.xlsx --year 2025 --body 某某市某某局   生成 Excel 填报模板
  xxgk check 填报.xlsx            检查，列出全部问题
  xxgk render 填报.xlsx -o 输出   生成 Word、PDF、Excel
  xxgk 填报.xlsx                  检查并在文件旁生成（把文件拖到 xxgk 程序上也一样）

查看某个命令的说明：xxgk help 命令，或 xxgk 命令 --help";

/// Each command's usage line and examples.
fn usage_and_examples(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "check" => (
            "xxgk check [选项] <FILE>...",
            "示例：
  xxgk check 填报.xlsx
  xxgk check 2025.yaml --previous 2024.yaml      同时核对上年结转等跨年度数字
  xxgk check 甲局.xlsx 乙局.yaml --format json   给程序读的 JSON",
        ),
        "render" => (
            "xxgk render [选项] <FILE>",
            "示例：
  xxgk render 填报.xlsx -o 输出
  xxgk render 报告.yaml --to pdf,html
  xxgk 填报.xlsx     （把文件拖到 xxgk 程序上）检查后在文件所在的文件夹中生成 Word、PDF、Excel",
        ),
        "template" => (
            "xxgk template (--yaml | --xlsx) -o <FILE> [选项]",
            "示例：
  xxgk template --xlsx -o 填报.xlsx --year 2025 --body 某某市某某局
  xxgk template --yaml -o 报告.yaml",
        ),
        "convert" => (
            "xxgk convert <IN> <OUT>",
            "示例：
  xxgk convert 填报.xlsx 报告.yaml
  xxgk convert 报告.yaml 填报.xlsx",
        ),
        "batch" => (
            "xxgk batch [选项] <DIR> -o <OUTDIR>",
            "示例：
  xxgk batch 各单位报告 -o 输出
  xxgk batch 各单位报告 -o 输出 --to docx,pdf --year 2025 -j 2",
        ),
        "compare" => (
            "xxgk compare [选项] <LAST> <THIS>",
            "示例：
  xxgk compare 2024.yaml 2025.yaml -o 对比          生成 网页 和 PDF
  xxgk compare 2024.xlsx 2025.xlsx --format json   完整的对比数据（JSON）写到标准输出",
        ),
        "serve" => (
            "xxgk serve --data <DIR> [选项] [units add 名称… | units list | export -o <OUTDIR> | backup <FILE>]",
            "示例：
  xxgk serve --data /var/lib/xxgk                          启动（默认只在本机 127.0.0.1:8080）
  xxgk serve --data /var/lib/xxgk units add 某某市某某局   添加单位，打印邀请链接
  xxgk serve --data /var/lib/xxgk export -o 汇总 --year 2025
  xxgk serve --data /var/lib/xxgk backup 备份.db",
        ),
        "fonts" => (
            "xxgk fonts [--font-dir DIR] [--licences]",
            "示例：
  xxgk fonts
  xxgk fonts --font-dir D:\\字体
  xxgk fonts --licences",
        ),
        "help" => (
            "xxgk help [COMMAND]",
            "示例：
  xxgk help render",
        ),
        _ => return None,
    })
}

fn help_arg() -> Arg {
    Arg::new("help")
        .short('h')
        .long("help")
        .action(ArgAction::Help)
        .help("显示帮助")
}

/// Clap's `[default: …]` and `[possible values: …]` are left out: each help says them.
fn chinese_arg(a: Arg) -> Arg {
    if a.get_action().takes_values() {
        a.hide_default_value(true).hide_possible_values(true)
    } else {
        a
    }
}

/// The command line with clap's own words in Chinese: headings, usage, `-h/--help` and
/// `-V/--version`, and an example after each command's help.
pub fn command() -> clap::Command {
    let cmd = Cli::command();
    let template = help_template(&cmd);
    cmd.help_template(template)
        .override_usage(ROOT_USAGE)
        .after_help(ROOT_EXAMPLES)
        .arg(help_arg())
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本"),
        )
        .mut_subcommands(|sc| {
            let template = help_template(&sc);
            let sc = sc
                .disable_help_flag(true)
                .help_template(template)
                .mut_args(chinese_arg)
                .arg(help_arg());
            match usage_and_examples(sc.get_name()) {
                Some((usage, examples)) => sc.override_usage(usage).after_help(examples),
                None => sc,
            }
        })
}

/// The text of one piece of a clap error's context.
fn context(e: &clap::Error, kind: clap::error::ContextKind) -> Option<String> {
    use clap::error::ContextValue as V;
    match e.get(kind)? {
        V::String(s) => Some(s.clone()),
        V::Strings(v) => Some(v.join("、")),
        V::StyledStr(s) => Some(s.to_string()),
        V::StyledStrs(v) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("、"),
        ),
        V::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

const COMMANDS: &str = "check、render、template、convert、batch、compare、serve、help";

/// A command-line error in Chinese: what is wrong, the usage and where to find help. `sub` is
/// the command the arguments name, if any (clap's errors about a value do not say it).
pub fn usage_message(e: &clap::Error, sub: Option<&str>) -> String {
    use clap::error::{ContextKind as K, ErrorKind};
    let arg = context(e, K::InvalidArg).unwrap_or_default();
    let value = context(e, K::InvalidValue).unwrap_or_default();
    let mut msg = match e.kind() {
        ErrorKind::InvalidSubcommand => {
            let sub = context(e, K::InvalidSubcommand).unwrap_or_default();
            let mut m = format!("没有“{sub}”这个命令；可用的命令：{COMMANDS}");
            if sub.contains('.') {
                m.push_str("。直接给出报告文件时，文件须存在，扩展名为 .xlsx、.yaml 或 .yml，或已发布的 .pdf、.docx、.html、.htm、.txt、.ofd");
            }
            m
        }
        ErrorKind::UnknownArgument => format!("不认识的参数“{arg}”"),
        ErrorKind::InvalidValue if value.is_empty() => format!("{arg} 缺少值"),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("{arg} 的值“{value}”无效")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => format!("缺少命令；可用的命令：{COMMANDS}"),
        ErrorKind::ArgumentConflict => match context(e, K::PriorArg) {
            Some(prior) => format!("{arg} 不能与 {prior} 同时使用"),
            None => format!("{arg} 不能与其他参数同时使用"),
        },
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} 的值个数不对：“{value}”")
        }
        ErrorKind::NoEquals => format!("{arg} 的值要用等号给出，如 {arg}=值"),
        ErrorKind::InvalidUtf8 => "参数中有无效的字符（不是 UTF-8）".to_string(),
        _ => "命令行参数有误".to_string(),
    };
    if let Some(v) = context(e, K::ValidValue) {
        msg.push_str(&format!("；可用的值：{v}"));
    }
    for k in [K::SuggestedSubcommand, K::SuggestedArg, K::SuggestedValue] {
        if let Some(s) = context(e, k) {
            msg.push_str(&format!("；是不是要用 {s}？"));
        }
    }
    let sub = sub.filter(|s| usage_and_examples(s).is_some());
    let usage = context(e, K::Usage)
        .map(|u| u.trim().trim_start_matches("Usage:").trim().to_string())
        .or_else(|| sub.and_then(usage_and_examples).map(|(u, _)| u.to_string()))
        .unwrap_or_else(|| ROOT_USAGE.to_string());
    let help = match sub {
        Some(sub) => format!("xxgk {sub} --help"),
        None => "xxgk --help".to_string(),
    };
    format!("错误：{msg}\n\n用法：{usage}\n\n查看帮助：{help}")
}

/// Whether the arguments are files dropped onto the program (`xxgk 填报.xlsx`): the first names
/// a report file (by its extension) rather than a command.
fn dropped_files(args: &[OsString]) -> Option<Vec<PathBuf>> {
    let first = Path::new(args.get(1)?);
    if first.to_string_lossy().starts_with('-') || input::Kind::of(first).is_none() {
        return None;
    }
    Some(args[1..].iter().map(PathBuf::from).collect())
}

/// Files dropped onto the program: each is checked and rendered into its own folder with the
/// default formats (outputs never replace an input: `render` names them apart).
fn dropped(files: &[PathBuf]) -> i32 {
    let mut code = EXIT_OK;
    for f in files {
        if !f.is_file() {
            code = code.max(usage_error(&format!(
                "找不到文件 {}（要检查并生成的报告文件须存在，扩展名为 .xlsx、.yaml 或 .yml，或已发布的 .pdf、.docx、.html、.htm、.txt、.ofd）",
                f.display()
            )));
            continue;
        }
        if input::Kind::of(f).is_none() {
            code = code.max(usage_error(&format!(
                "{}：无法识别的文件类型（应为 .yaml、.yml、.xlsx，或已发布的 .pdf、.docx、.html、.htm、.txt、.ofd）",
                f.display()
            )));
            continue;
        }
        eprintln!("检查并生成 {}", f.display());
        let out = match f.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        code = code.max(render_cmd(&RenderArgs {
            file: f.clone(),
            out,
            to: DEFAULT_FORMATS.to_string(),
            force: false,
            font_dir: None,
            pdf_standard: render::pdf::Standard::default().name().to_string(),
            strict: false,
            previous: None,
        }));
    }
    pause_if_console_window();
    code
}

/// What a double-click on `xxgk.exe` shows: the program has no window of its own, so the
/// console Windows opens for it explains how a clerk uses it.
const DOUBLE_CLICK_HELP: &str = "\
xxgk：政府信息公开工作年度报告 校验与生成工具

使用方法：
  把填好的 Excel 填报表（.xlsx）或 YAML 文件拖到 xxgk.exe 的图标上松开。
  程序检查数据，在同一文件夹里生成 Word、PDF、Excel 文件，并在这个窗口里显示结果。
  可以一次拖入多个文件。

还没有填报表：用压缩包里的“填报模板.xlsx”，或在命令提示符中运行
  xxgk template --xlsx -o 填报.xlsx
一个文件夹里的全部报告：在命令提示符中运行
  xxgk batch 文件夹 -o 输出文件夹
全部命令与选项：在命令提示符中运行 xxgk --help
";

/// On Windows a double-click or a file dropped onto the program opens a console window that
/// closes when the program ends: there (and only there — not in a console the clerk opened)
/// wait for Enter so the result can be read. End of input (a closed stdin) ends the wait.
fn pause_if_console_window() {
    if own_console_window() {
        eprintln!("\n按回车键关闭窗口");
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
    }
}

/// Whether the program is alone in its console: Windows made the console for it (Explorer's
/// double-click or drop) and closes it when the program ends. In a console the clerk opened,
/// the shell is attached too.
#[cfg(windows)]
fn own_console_window() -> bool {
    #[link(name = "kernel32")]
    extern "system" {
        fn GetConsoleProcessList(list: *mut u32, count: u32) -> u32;
    }
    let mut ids = [0u32; 2];
    // SAFETY: `ids` has room for the 2 ids the call is told it may write; it returns the
    // number attached (0 when there is no console).
    let n = unsafe { GetConsoleProcessList(ids.as_mut_ptr(), 2) };
    n == 1
}

#[cfg(not(windows))]
fn own_console_window() -> bool {
    false
}

fn help(a: &HelpArgs) -> i32 {
    let mut cmd = command();
    cmd.build();
    let shown = match &a.command {
        None => cmd.print_help(),
        Some(name) => match cmd.find_subcommand_mut(name) {
            Some(sc) if !sc.is_hide_set() => sc.print_help(),
            _ => return usage_error(&format!("没有“{name}”这个命令；可用的命令：{COMMANDS}")),
        },
    };
    match shown {
        Ok(()) => EXIT_OK,
        Err(e) => usage_error(&e.to_string()),
    }
}

/// Parses the arguments and runs the command; returns the exit code.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // Double-clicked: explain in Chinese and wait, instead of clap's usage flashing by.
    if args.len() <= 1 && own_console_window() {
        eprint!("{DOUBLE_CLICK_HELP}");
        pause_if_console_window();
        return EXIT_OK;
    }
    if let Some(files) = dropped_files(&args) {
        return dropped(&files);
    }
    let parsed = command()
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            return match e.kind() {
                ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    let _ = e.print();
                    if e.use_stderr() {
                        EXIT_USAGE
                    } else {
                        EXIT_OK
                    }
                }
                _ => {
                    let sub = args.get(1).and_then(|a| a.to_str());
                    eprintln!("{}", usage_message(&e, sub));
                    // A file of another kind dropped onto xxgk.exe: keep the message readable.
                    pause_if_console_window();
                    EXIT_USAGE
                }
            };
        }
    };
    match cli.command {
        Command::Check(a) => check(&a),
        Command::Render(a) => render_cmd(&a),
        Command::Template(a) => template(&a),
        Command::Convert(a) => convert(&a),
        Command::Batch(a) => batch::run(&a),
        Command::Compare(a) => compare::run(&a),
        Command::Serve(a) => serve::run(&a),
        Command::Help(a) => help(&a),
        Command::Fonts(a) => fonts_cmd(&a),
        Command::BatchWorker => {
            let stdin = std::io::stdin().lock();
            let stdout = std::io::stdout().lock();
            crate::batch::worker::serve(stdin, stdout)
        }
    }
}

/// `xxgk fonts`: what draws each face, and the licences of the built-in fonts.
fn fonts_cmd(a: &FontsArgs) -> i32 {
    use render::paged::fonts;
    use std::io::Write;
    let text = if a.licences {
        fonts::LICENCES
            .iter()
            .map(|(name, text)| format!("==== {name} ====\n{text}\n\n"))
            .collect::<String>()
    } else {
        match fonts::Fonts::load(a.font_dir.as_deref()) {
            Ok(f) => {
                print::font_warnings(&f);
                // Font paths are file names: shown escaped, as every other line.
                let listing = format!("{}内置字体的许可证：xxgk fonts --licences\n", f.describe());
                print::terminal(&listing).into_owned()
            }
            Err(d) => {
                eprintln!("错误：{}", d.message);
                return diag::exit_code(std::slice::from_ref(&d));
            }
        }
    };
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    EXIT_OK
}

/// The fonts, when an output needs them (their warnings printed); or the exit code why not.
pub(crate) fn load_fonts(
    dir: Option<&Path>,
    wanted: bool,
) -> Result<Option<render::paged::Fonts>, i32> {
    if !wanted {
        return Ok(None);
    }
    match render::paged::Fonts::load(dir) {
        Ok(f) => {
            print::font_warnings(&f);
            Ok(Some(f))
        }
        Err(d) => {
            eprintln!("错误：{}", d.message);
            Err(diag::exit_code(std::slice::from_ref(&d)))
        }
    }
}

fn usage_error(msg: &str) -> i32 {
    eprintln!("错误：{msg}");
    EXIT_USAGE
}

/// The report of `--previous`, read without errors; or the exit code why not.
fn read_previous(p: Option<&Path>) -> Result<Option<crate::model::Report>, i32> {
    let Some(p) = p else { return Ok(None) };
    match job::read(job::Input::Path(p)) {
        Ok(parsed) if parsed.complete && !diag::has_errors(&parsed.diagnostics) => {
            Ok(Some(parsed.report))
        }
        Ok(parsed) => {
            eprintln!(
                "错误：上年报告 {} 有 {}，无法用于跨年度核对",
                p.display(),
                print::summary(&parsed.diagnostics)
            );
            Err(EXIT_DATA)
        }
        Err(d) => Err(usage_error(&d.message)),
    }
}

fn check(a: &CheckArgs) -> i32 {
    let previous = match read_previous(a.previous.as_deref()) {
        Ok(p) => p,
        Err(code) => return code,
    };
    // With the fonts, check finds every character render would refuse; without them (a font
    // folder that cannot be read) the other rules still run.
    let fonts = match render::paged::Fonts::load(a.font_dir.as_deref()) {
        Ok(f) => {
            print::font_warnings(&f);
            Some(f)
        }
        Err(d) => {
            eprintln!("警告：{}；未检查字符能否排版", d.message);
            None
        }
    };
    let opts = job::Options {
        formats: &[],
        force: false,
        previous: previous.as_ref(),
        fonts: fonts.as_ref(),
        one_thread: false,
        ..job::Options::default()
    };
    let mut code = EXIT_OK;
    let mut results: Vec<(String, job::Outcome)> = vec![];
    for f in &a.files {
        let outcome = job::run(job::Input::Path(f), &opts);
        let diags = &outcome.diagnostics;
        if outcome.status == Status::Io {
            code = EXIT_USAGE;
        } else if diag::has_errors(diags) || (a.strict && !diags.is_empty()) {
            code = code.max(EXIT_DATA);
        }
        results.push((f.display().to_string(), outcome));
    }
    match a.format {
        OutputFormat::Json => {
            let files = results
                .iter()
                .map(|(name, o)| {
                    let ok = !diag::has_errors(&o.diagnostics);
                    diag::JsonFile::new(name.clone(), &o.diagnostics, vec![])
                        .with_status(o.status.chinese(), ok)
                })
                .collect();
            match serde_json::to_string_pretty(&diag::JsonReport::new(files)) {
                Ok(s) => println!("{s}"),
                Err(e) => return usage_error(&e.to_string()),
            }
        }
        OutputFormat::Human => {
            for (name, o) in &results {
                if o.status == Status::Io {
                    for d in &o.diagnostics {
                        eprintln!("错误：{}", d.message);
                    }
                    continue;
                }
                for d in &o.diagnostics {
                    let human = print::human(name, o.source_text.as_deref(), d);
                    println!("{}", print::terminal(&human));
                }
                let verdict = if diag::has_errors(&o.diagnostics) {
                    "未通过"
                } else {
                    "通过"
                };
                let line = format!("{name}：{verdict}（{}）", print::summary(&o.diagnostics));
                println!("{}", print::terminal(&line));
            }
        }
    }
    code
}

/// `--pdf-standard`: `1.7` or `a-1b`.
pub(crate) fn pdf_standard(s: &str) -> Result<render::pdf::Standard, String> {
    render::pdf::Standard::parse(s).ok_or_else(|| {
        let names: Vec<&str> = render::pdf::Standard::ALL
            .iter()
            .map(|v| v.name())
            .collect();
        format!("不认识的 PDF 标准“{}”：可用 {}", s.trim(), names.join("、"))
    })
}

fn render_cmd(a: &RenderArgs) -> i32 {
    let formats = match Format::parse_list(&a.to) {
        Ok(f) => f,
        Err(e) => return usage_error(&e),
    };
    let pdf_standard = match pdf_standard(&a.pdf_standard) {
        Ok(s) => s,
        Err(e) => return usage_error(&e),
    };
    let name = a.file.display().to_string();
    let fonts = match load_fonts(
        a.font_dir.as_deref(),
        formats.iter().any(Format::uses_fonts),
    ) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let previous = match read_previous(a.previous.as_deref()) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let opts = job::Options {
        formats: &formats,
        force: a.force,
        previous: previous.as_ref(),
        fonts: fonts.as_ref(),
        one_thread: false,
        pdf_standard,
    };
    let mut outcome = job::run(job::Input::Path(&a.file), &opts);
    if outcome.status == Status::Io {
        let msg: Vec<&str> = outcome
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        return usage_error(&msg.join("；"));
    }
    for d in &outcome.diagnostics {
        eprintln!("{}", print::human(&name, outcome.source_text.as_deref(), d));
    }
    let summary = print::summary(&outcome.diagnostics);
    match outcome.status {
        Status::RenderFailed => {
            let what = outcome.failed.map(|f| f.extension()).unwrap_or("文件");
            eprintln!("{name}：无法生成 {what}，未写入任何文件");
            return diag::exit_code(&outcome.diagnostics).max(EXIT_DATA);
        }
        Status::Invalid if outcome.held_back() => {
            let hint = if outcome.report.is_some() {
                "（可用 --force 强制生成）"
            } else {
                ""
            };
            eprintln!("{name}：{summary}，未生成文件{hint}");
            return EXIT_DATA;
        }
        Status::Unfilled if outcome.held_back() => {
            eprintln!(
                "{name}：还是未填写完的模板（{summary}），未生成文件（可用 --force 强制生成）"
            );
            return EXIT_DATA;
        }
        _ => {}
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
    let base = a.file.parent().unwrap_or(std::path::Path::new(""));
    let target =
        match crate::batch::plan_outputs(std::slice::from_ref(&a.file), base, &a.out, &formats)
            .pop()
        {
            Some(Ok(t)) => t,
            Some(Err(msg)) => return usage_error(&msg),
            None => return usage_error("没有输出"),
        };
    // A file of the user's at an output's name (the workbook this YAML was made from, a Word
    // file edited since) is never replaced: the report's files take another name.
    let ext = a.file.extension().unwrap_or_default();
    let planned = target.file(formats[0]);
    let Some(target) = job::unclaimed(target, &formats, ext) else {
        return usage_error(&format!(
            "{} 所在目录中同名的文件都不是本程序生成的，为不覆盖它们，未写入",
            planned.display()
        ));
    };
    if target.file(formats[0]) != planned {
        eprintln!(
            "{} 等同名文件已存在且不是本程序生成的（或已被编辑），为不覆盖，改写为 {}",
            planned.display(),
            target.file(formats[0]).display()
        );
    }
    crate::output::remove_stale_temps(&a.out);
    job::write(&mut outcome, &target, crate::output::Durability::Now);
    if outcome.status == Status::Io {
        if let Some(d) = outcome.diagnostics.last() {
            eprintln!("错误：{}", d.message);
        }
        return EXIT_USAGE;
    }
    for p in &outcome.written {
        eprintln!("已生成 {}", p.display());
    }
    if diag::has_errors(&outcome.diagnostics) || (a.strict && !outcome.diagnostics.is_empty()) {
        EXIT_DATA
    } else {
        EXIT_OK
    }
}

fn template(a: &TemplateArgs) -> i32 {
    let body = match a.body.as_deref().map(str::trim) {
        Some("") => return usage_error("--body 的机关名称是空的"),
        Some(b) if b.chars().any(char::is_control) || b.contains(['\u{2028}', '\u{2029}']) => {
            return usage_error("--body 的机关名称不能含换行或控制字符")
        }
        other => other,
    };
    let bytes = if a.yaml {
        let year = a.year.unwrap_or_else(default_year);
        let text = render::yaml::template(year);
        match body {
            Some(b) => yaml_with_body(&text, b).into_bytes(),
            None => text.into_bytes(),
        }
    } else {
        let fill = render::xlsx::TemplateFill { year: a.year, body };
        match render::xlsx::template_filled(a.year.unwrap_or_else(default_year), &fill) {
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

/// The YAML template with `body` in place of the placeholder body: the `机关` key and the
/// commented 落款 example. A name YAML would read as something else is written quoted.
fn yaml_with_body(template: &str, body: &str) -> String {
    use crate::spec::format::keys;
    use crate::spec::template::PLACEHOLDER_BODY;
    let plain = body
        .chars()
        .all(|c| c.is_alphanumeric() || "（）()·、—-".contains(c) || (c == ' '))
        && !body.starts_with(['-', '(', ' '])
        && body.parse::<f64>().is_err()
        && !matches!(
            body.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "~"
        );
    let scalar = if plain {
        body.to_string()
    } else {
        serde_json::to_string(body).unwrap_or_else(|_| format!("\"{body}\""))
    };
    let key = format!("{}: {PLACEHOLDER_BODY}", keys::BODY);
    let signature = format!("#   {}: {PLACEHOLDER_BODY}", keys::SIGNATURE_BODY);
    let mut out = String::with_capacity(template.len() + body.len() * 2);
    for line in template.split_inclusive('\n') {
        let (text, end) = match line.strip_suffix('\n') {
            Some(t) => (t, "\n"),
            None => (line, ""),
        };
        if text == key {
            out.push_str(&format!("{}: {scalar}{end}", keys::BODY));
        } else if text == signature {
            out.push_str(&format!("#   {}: {scalar}{end}", keys::SIGNATURE_BODY));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// The year a report written now covers: last year.
pub(crate) fn default_year() -> u16 {
    let now = time::OffsetDateTime::now_utc();
    (now.year() - 1).clamp(2019, 2100) as u16
}

fn convert(a: &ConvertArgs) -> i32 {
    let Some(out_kind) = input::Kind::of(&a.output).filter(input::Kind::is_data) else {
        return usage_error(&format!(
            "{}：无法识别的文件类型（应为 .yaml、.yml 或 .xlsx）",
            a.output.display()
        ));
    };
    if crate::output::same_file(&a.input, &a.output) {
        return usage_error(&format!(
            "输出文件不能是输入文件本身（{}）：请另起一个文件名",
            a.output.display()
        ));
    }
    let name = a.input.display().to_string();
    let parsed = match input::read_path(&a.input) {
        Ok(p) => p,
        Err(e) => return usage_error(&e.to_string()),
    };
    // Conversion keeps the numbers as they are (an imbalance is the clerk's to fix, in either
    // format); only input that cannot be read stops it. A published document is the exception
    // for its cells: it cannot be fixed where it is, so its YAML is written with a note at every
    // cell to check (read with doubt, or not read at all), for the clerk to finish there.
    let published = matches!(input::Kind::of(&a.input), Some(input::Kind::Published(_)));
    let in_cell = |d: &Diagnostic| {
        matches!(
            d.place,
            Some(crate::spec::place::Place::Value(_) | crate::spec::place::Place::Table(_))
        )
    };
    let blocking: Vec<&Diagnostic> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && !(published && out_kind == input::Kind::Yaml && in_cell(d)))
        .collect();
    for d in &parsed.diagnostics {
        eprintln!("{}", print::human(&name, parsed.source_text.as_deref(), d));
    }
    if !parsed.complete || !blocking.is_empty() {
        eprintln!("{name}：{}，未转换", print::summary(&parsed.diagnostics));
        return EXIT_DATA;
    }
    let notes: Vec<(crate::spec::place::Place, String)> = parsed
        .diagnostics
        .iter()
        .filter(|d| published && in_cell(d))
        .filter_map(|d| Some((d.place?, d.message.clone())))
        .collect();
    let unread = parsed.diagnostics.iter().any(Diagnostic::is_error);
    let bytes = match out_kind {
        input::Kind::Yaml => {
            let yaml = render::yaml::render_annotated(&parsed.report, &notes);
            // A report read from a published document says where it came from, above the data.
            Ok(match &parsed.origin {
                Some(origin) => {
                    let file: String = a
                        .input
                        .display()
                        .to_string()
                        .chars()
                        .map(|c| if c.is_control() { ' ' } else { c })
                        .collect();
                    format!("# 来源：{file}：{origin}\n{yaml}")
                }
                None => yaml,
            }
            .into_bytes())
        }
        input::Kind::Excel => render::xlsx::render(&parsed.report),
        // Checked above: convert writes only the data forms.
        input::Kind::Published(_) => return usage_error("convert 只能写出 .yaml、.yml 或 .xlsx"),
    };
    match bytes {
        Ok(b) => match write_atomic(&a.output, &b) {
            Ok(()) if unread => {
                eprintln!(
                    "已转换为 {}，但有的格没有读出（{}）：请按原件在文件中“# 核对”处补上",
                    a.output.display(),
                    print::summary(&parsed.diagnostics)
                );
                EXIT_DATA
            }
            Ok(()) => {
                if !notes.is_empty() {
                    eprintln!(
                        "已转换为 {}；其中 {} 处读得不确定，已在文件中标为“# 核对”",
                        a.output.display(),
                        notes.len()
                    );
                    return EXIT_OK;
                }
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
