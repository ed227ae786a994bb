//! `xxgk batch`: every report under a folder validated and rendered in parallel, one failing input
//! reported while the others go on, a JSON record of every input and a city-wide summary workbook.
//!
//! Results are streamed from the workers to one collector: a report's documents are written and
//! dropped by its worker, and the collector keeps only sums and one small row per body, so memory
//! stays flat in the number of reports.

mod index;
mod summary;

pub use index::{index_html, INDEX_HTML};

use crate::cli::{self, print, BatchArgs, EXIT_DATA, EXIT_OK, EXIT_USAGE};
use crate::diag::{self, Diagnostic, Rule};
use crate::model::Report;
use crate::output::{io_message, write_atomic};
use crate::render::{self, paged::Fonts, Format};
use crate::spec::format::{self, T3Role, T4_TOTAL_COL};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

/// File names of CLI.md.
pub const RESULTS_JSON: &str = "校验结果.json";
pub const SUMMARY_XLSX: &str = "汇总.xlsx";

/// How one input ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Valid and every output written.
    Ok,
    /// Has data errors (nothing written unless forced).
    Invalid,
    /// Could not be rendered (e.g. a character no font has).
    RenderFailed,
    /// Could not be read or written.
    Io,
}

impl Status {
    pub fn chinese(&self) -> &'static str {
        match self {
            Status::Ok => "通过",
            Status::Invalid => "数据有误",
            Status::RenderFailed => "无法生成",
            Status::Io => "读写失败",
        }
    }
}

/// Key figures of one body for the summary's list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub new: u64,
    pub disclosed: u64,
    pub carried_out: u64,
    pub review_total: u64,
    pub litigation_total: u64,
}

impl Figures {
    pub fn of(r: &Report) -> Figures {
        let t3 = &r.table3;
        let total = format::T3_TOTAL_COL;
        Figures {
            new: t3.value(T3Role::New, total),
            // （一）予以公开 is the first result row.
            disclosed: t3.value(T3Role::Result, total),
            carried_out: t3.value(T3Role::CarriedOut, total),
            review_total: r.table4.cells[0][T4_TOTAL_COL].value,
            litigation_total: r.table4.cells[1][T4_TOTAL_COL].value
                + r.table4.cells[2][T4_TOTAL_COL].value,
        }
    }
}

/// What the batch keeps of one input.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The input path relative to the batch folder, with `/` separators.
    pub file: String,
    pub status: Status,
    pub diagnostics: Vec<Diagnostic>,
    /// Outputs written, relative to the output folder.
    pub outputs: Vec<String>,
    /// 机关 and 年度 when the file could be read.
    pub body: Option<(String, u16)>,
    pub figures: Option<Figures>,
    /// Whether its tables went into the sums (valid reports only).
    pub summed: bool,
}

impl Entry {
    /// The first error, as one line (for progress output and the summary sheet).
    pub fn first_error(&self) -> String {
        self.diagnostics
            .iter()
            .find(|d| d.is_error())
            .map(|d| d.to_string())
            .unwrap_or_default()
    }
}

/// Options of one batch run.
#[derive(Debug, Clone)]
pub struct Options {
    pub formats: Vec<Format>,
    pub jobs: usize,
    pub force: bool,
}

/// The outcome of a batch.
#[derive(Debug)]
pub struct Outcome {
    pub entries: Vec<Entry>,
    /// Sum of every valid report's tables.
    pub totals: Report,
    /// Batch-level warnings: duplicate bodies, mixed years.
    pub warnings: Vec<String>,
    /// Reports summed.
    pub summed: usize,
}

/// Every `.yaml`, `.yml`, `.xlsx` under `dir`, sorted, skipping hidden files, Office lock files
/// (`~$…`) and the output folder.
pub fn find_inputs(dir: &Path, skip: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = vec![];
    let mut stack = vec![dir.to_path_buf()];
    let skip = skip.canonicalize().ok();
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().to_string();
            if name.starts_with('.') || name.starts_with("~$") {
                continue;
            }
            let ft = entry.file_type()?;
            if ft.is_dir() {
                if skip.is_some() && path.canonicalize().ok() == skip {
                    continue;
                }
                stack.push(path);
            } else if crate::input::Kind::of(&path).is_some() {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn relative(path: &Path, base: &Path) -> PathBuf {
    path.strip_prefix(base)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

fn slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// Validates, renders and writes one input; the report comes back for the sums when valid.
fn process_one(
    path: &Path,
    base: &Path,
    out: &Path,
    opts: &Options,
    fonts: Option<&Fonts>,
) -> (Entry, Option<Report>) {
    let rel = relative(path, base);
    let mut entry = Entry {
        file: slash(&rel),
        status: Status::Ok,
        diagnostics: vec![],
        outputs: vec![],
        body: None,
        figures: None,
        summed: false,
    };
    let parsed = match cli::load(path, None) {
        Ok(p) => p,
        Err(e) => {
            entry.status = Status::Io;
            entry
                .diagnostics
                .push(Diagnostic::error(Rule::Io, e.to_string()));
            return (entry, None);
        }
    };
    entry.diagnostics = parsed.diagnostics;
    if !parsed.complete {
        entry.status = Status::Invalid;
        return (entry, None);
    }
    let report = parsed.report;
    entry.body = Some((report.body.clone(), report.year));
    entry.figures = Some(Figures::of(&report));
    let valid = !diag::has_errors(&entry.diagnostics);
    if !valid {
        entry.status = Status::Invalid;
        if !opts.force {
            return (entry, None);
        }
    }
    // Render everything first: a report that fails in one format gets no file at all.
    let mut docs = vec![];
    for f in &opts.formats {
        match render::render(&report, *f, fonts) {
            Ok(bytes) => docs.push((*f, bytes)),
            Err(e) => {
                entry.status = Status::RenderFailed;
                entry.diagnostics.push(Diagnostic::error(
                    Rule::Render,
                    format!("无法生成 {}：{e}", f.extension()),
                ));
                return (entry, None);
            }
        }
    }
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let dir = out.join(rel.parent().unwrap_or(Path::new("")));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        entry.status = Status::Io;
        entry.diagnostics.push(Diagnostic::error(
            Rule::Io,
            format!("无法创建目录 {}：{}", dir.display(), io_message(&e)),
        ));
        return (entry, None);
    }
    let mut written = vec![];
    for (f, bytes) in docs {
        let target = dir.join(format!("{stem}.{}", f.extension()));
        if let Err(e) = write_atomic(&target, &bytes) {
            entry.status = Status::Io;
            entry.diagnostics.push(Diagnostic::error(
                Rule::Io,
                format!("无法写入 {}：{}", target.display(), io_message(&e)),
            ));
            // Nothing is left for a failed report.
            for w in &written {
                let _ = std::fs::remove_file(out.join(w));
            }
            entry.outputs.clear();
            return (entry, None);
        }
        let rel_out = slash(&relative(&target, out));
        written.push(rel_out.clone());
        entry.outputs.push(rel_out);
    }
    let keep = valid.then_some(report);
    entry.summed = keep.is_some();
    (entry, keep)
}

/// Runs the batch: `inputs` (under `base`) into `out`. `progress` is called on the collecting
/// thread after each input.
pub fn process(
    inputs: &[PathBuf],
    base: &Path,
    out: &Path,
    opts: &Options,
    fonts: Option<&Fonts>,
    mut progress: impl FnMut(&Entry),
) -> Outcome {
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Entry, Option<Report>)>();
    let mut entries: Vec<Option<Entry>> = vec![None; inputs.len()];
    let mut totals = Report {
        body: String::new(),
        show_zero: true,
        ..Report::default()
    };
    let mut summed = 0;
    let mut fee_overflow = false;
    std::thread::scope(|s| {
        for _ in 0..opts.jobs.max(1).min(inputs.len().max(1)) {
            let tx = tx.clone();
            let next = &next;
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = inputs.get(i) else { break };
                let (entry, report) = process_one(path, base, out, opts, fonts);
                if tx.send((i, entry, report)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        for (i, entry, report) in rx {
            if let Some(r) = report {
                fee_overflow |= !totals.add_tables(&r);
                summed += 1;
            }
            progress(&entry);
            entries[i] = Some(entry);
        }
    });
    let entries: Vec<Entry> = entries.into_iter().flatten().collect();
    let mut warnings = vec![];
    if fee_overflow {
        warnings.push("收费金额合计超出可表示的范围，汇总表中的金额不完整".to_string());
    }
    // Two inputs for the same body and year, or reports of different years.
    let mut seen: std::collections::BTreeMap<(String, u16), Vec<&str>> = Default::default();
    for e in &entries {
        if let Some((b, y)) = &e.body {
            seen.entry((b.clone(), *y)).or_default().push(&e.file);
        }
    }
    for ((b, y), files) in &seen {
        if files.len() > 1 {
            warnings.push(format!(
                "“{b}”的{y}年度报告出现了 {} 份：{}",
                files.len(),
                files.join("、")
            ));
        }
    }
    let years: std::collections::BTreeSet<u16> = seen.keys().map(|(_, y)| *y).collect();
    if years.len() > 1 {
        let list: Vec<String> = years.iter().map(|y| y.to_string()).collect();
        warnings.push(format!(
            "报告年度不一致：{}，汇总表把它们加在了一起",
            list.join("、")
        ));
    }
    if let Some(y) = years.iter().next_back() {
        totals.year = *y;
    }
    Outcome {
        entries,
        totals,
        warnings,
        summed,
    }
}

/// The JSON of CLI.md, with the batch warnings added.
pub fn results_json(o: &Outcome) -> Result<String, serde_json::Error> {
    #[derive(serde::Serialize)]
    struct Doc<'a> {
        files: Vec<print::JsonFile<'a>>,
        warnings: &'a [String],
    }
    let files = o
        .entries
        .iter()
        .map(|e| print::JsonFile::new(e.file.clone(), &e.diagnostics, e.outputs.clone()))
        .collect();
    serde_json::to_string_pretty(&Doc {
        files,
        warnings: &o.warnings,
    })
}

/// The command.
pub fn run(a: &BatchArgs) -> i32 {
    let formats = match cli::parse_formats(&a.to) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("错误：{e}");
            return EXIT_USAGE;
        }
    };
    if !a.dir.is_dir() {
        eprintln!("错误：{} 不是一个目录", a.dir.display());
        return EXIT_USAGE;
    }
    if let Err(e) = std::fs::create_dir_all(&a.out) {
        eprintln!(
            "错误：无法创建输出目录 {}：{}",
            a.out.display(),
            io_message(&e)
        );
        return EXIT_USAGE;
    }
    let inputs = match find_inputs(&a.dir, &a.out) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("错误：无法读取目录 {}：{}", a.dir.display(), io_message(&e));
            return EXIT_USAGE;
        }
    };
    if inputs.is_empty() {
        eprintln!("错误：{} 下没有 .yaml、.yml 或 .xlsx 文件", a.dir.display());
        return EXIT_USAGE;
    }
    // Fonts are parsed once for the whole batch.
    let fonts = if formats.contains(&Format::Pdf) {
        match Fonts::load(a.font_dir.as_deref()) {
            Ok(f) => Some(f),
            Err(e) => {
                eprintln!("错误：{e}");
                return EXIT_USAGE;
            }
        }
    } else {
        None
    };
    let jobs = a
        .jobs
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
        .max(1);
    let opts = Options {
        formats,
        jobs,
        force: a.force,
    };
    let started = Instant::now();
    let bar = if std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new(inputs.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} 已处理 {msg} 用时 {elapsed} 剩余约 {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(b)
    } else {
        None
    };
    let mut failed = 0;
    let outcome = process(&inputs, &a.dir, &a.out, &opts, fonts.as_ref(), |e| {
        if e.status != Status::Ok {
            failed += 1;
        }
        let first = e.first_error();
        match &bar {
            Some(b) => {
                if e.status != Status::Ok {
                    b.println(format!("✗ {}：{}　{first}", e.file, e.status.chinese()));
                }
                b.set_message(format!("（失败 {failed}）"));
                b.inc(1);
            }
            None if e.status != Status::Ok => {
                eprintln!("失败 {}：{}　{first}", e.file, e.status.chinese())
            }
            None => {}
        }
    });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let mut code = EXIT_OK;
    for e in &outcome.entries {
        code = code.max(match e.status {
            Status::Ok => EXIT_OK,
            Status::Invalid | Status::RenderFailed => EXIT_DATA,
            Status::Io => EXIT_USAGE,
        });
    }
    for w in &outcome.warnings {
        eprintln!("警告：{w}");
    }
    match results_json(&outcome) {
        Ok(json) => {
            if let Err(e) = write_atomic(&a.out.join(RESULTS_JSON), json.as_bytes()) {
                eprintln!("错误：无法写入 {}：{}", RESULTS_JSON, io_message(&e));
                code = EXIT_USAGE;
            }
        }
        Err(e) => {
            eprintln!("错误：{e}");
            code = EXIT_USAGE;
        }
    }
    match summary::workbook(&outcome) {
        Ok(bytes) => {
            if let Err(e) = write_atomic(&a.out.join(SUMMARY_XLSX), &bytes) {
                eprintln!("错误：无法写入 {}：{}", SUMMARY_XLSX, io_message(&e));
                code = EXIT_USAGE;
            }
        }
        Err(e) => {
            eprintln!("错误：无法生成汇总表：{e}");
            code = code.max(EXIT_DATA);
        }
    }
    if opts.formats.contains(&Format::Html) {
        let page = index_html(&outcome);
        if let Err(e) = write_atomic(&a.out.join(INDEX_HTML), page.as_bytes()) {
            eprintln!("错误：无法写入 {}：{}", INDEX_HTML, io_message(&e));
            code = EXIT_USAGE;
        }
    }
    print_table(&outcome, &a.out, started.elapsed().as_secs_f64());
    code
}

/// The closing table: how many rendered, how many failed and why, where the outputs are.
fn print_table(o: &Outcome, out: &Path, secs: f64) {
    let count = |s: Status| o.entries.iter().filter(|e| e.status == s).count();
    eprintln!("共 {} 份报告，用时 {secs:.1} 秒", o.entries.len());
    for s in [
        Status::Ok,
        Status::Invalid,
        Status::RenderFailed,
        Status::Io,
    ] {
        let n = count(s);
        if n > 0 {
            // Chinese characters are two columns wide in a terminal.
            let pad = 10usize.saturating_sub(2 * s.chinese().chars().count());
            eprintln!("  {}{} {n:>5}", s.chinese(), " ".repeat(pad));
        }
    }
    let mut by_rule: std::collections::BTreeMap<&str, usize> = Default::default();
    for e in &o.entries {
        let mut rules: Vec<&str> = e
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.rule.id())
            .collect();
        rules.dedup();
        for r in rules {
            *by_rule.entry(r).or_default() += 1;
        }
    }
    if !by_rule.is_empty() {
        let list: Vec<String> = by_rule.iter().map(|(r, n)| format!("{r} {n} 份")).collect();
        eprintln!("  失败原因：{}", list.join("，"));
    }
    eprintln!("  已汇总 {} 份有效报告", o.summed);
    eprintln!(
        "输出目录：{}（{}、{}）",
        out.display(),
        RESULTS_JSON,
        SUMMARY_XLSX
    );
}
