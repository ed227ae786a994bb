//! `xxgk batch`: every report under a folder validated and rendered in parallel, one failing input
//! reported while the others go on, a JSON record of every input and a city-wide summary workbook.
//!
//! Results are streamed from the workers to one collector: a report's documents are written and
//! dropped by its worker, and the collector keeps only sums and one small row per body, so memory
//! stays flat in the number of reports.

mod index;
mod naming;
mod previous;
pub mod similar;
mod summary;
pub mod worker;

pub use naming::{plan as plan_outputs, OutputBase, RESERVED};

pub use index::{index_html, INDEX_HTML};

use crate::diag::{self, Diagnostic, Rule};
use crate::job;
use crate::model::Report;
use crate::output::{io_message, sync_file_system, write_atomic, Durability};
use crate::render::{paged::Fonts, Format};
use crate::spec::format::{self, T3Role, T4_TOTAL_COL};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// File names of `docs/CLI.md`.
pub const RESULTS_JSON: &str = "校验结果.json";
pub const SUMMARY_XLSX: &str = "汇总.xlsx";

pub use crate::job::Status;

/// Key figures of one body for the summary's list.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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
    /// Why a valid report was left out of the sums (another year, given twice).
    #[serde(default)]
    pub excluded: Option<String>,
    /// Sketches of sections 一, 五, 六 (rule BATCH-SIMILAR), for a report read whole.
    #[serde(default)]
    pub sketches: Option<similar::Sketches>,
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

    /// What the summary sheet says of it: the first error, else why it was left out of the
    /// sums, else the first warning that puts its figures in doubt (text against tables,
    /// the carry-over against last year), else any warning.
    pub fn first_problem(&self) -> String {
        let error = self.first_error();
        if !error.is_empty() {
            return error;
        }
        if let Some(why) = &self.excluded {
            return why.clone();
        }
        let doubt = |d: &&Diagnostic| matches!(d.rule, Rule::TextTable | Rule::YCarry);
        let first = self
            .diagnostics
            .iter()
            .find(doubt)
            .or_else(|| self.diagnostics.first());
        // Copied from another body is what the summary's reader is there to see: always said.
        let copied = self
            .diagnostics
            .iter()
            .find(|d| d.rule == Rule::BatchSimilar);
        match (first, copied) {
            (Some(f), Some(c)) if f != c => format!("{f}；{c}"),
            (Some(f), _) => f.to_string(),
            (None, _) => String::new(),
        }
    }
}

/// Options of one batch run (plain values: the command line builds them, so can any other
/// front end).
#[derive(Debug, Clone)]
pub struct Options {
    pub formats: Vec<Format>,
    /// Which PDF to write (`--pdf-standard`).
    pub pdf_standard: crate::render::pdf::Standard,
    /// Parallel workers (at least 1).
    pub jobs: usize,
    /// Render reports with data errors too.
    pub force: bool,
    /// A folder searched first for the official fonts.
    pub font_dir: Option<PathBuf>,
    /// The executable to isolate each input in (`xxgk` itself; see [`worker`]); `None` reads
    /// every input in this process.
    pub worker: Option<PathBuf>,
    /// Render each report's formats on one thread (set in the workers, which run side by side).
    pub one_thread: bool,
    /// How long one input may take in a worker before it is stopped.
    pub timeout: std::time::Duration,
    /// The year the summary sums; `None`: the year most valid reports have (the later one on
    /// a tie).
    pub year: Option<u16>,
    /// The previous year's reports (`--previous DIR`), paired with each body by 机关.
    pub previous: Vec<PathBuf>,
}

/// The outcome of a batch.
#[derive(Debug, Default)]
pub struct Outcome {
    pub entries: Vec<Entry>,
    /// Sum of every valid report's tables.
    pub totals: Report,
    /// Batch-level warnings: duplicate bodies, mixed years.
    pub warnings: Vec<String>,
    /// Reports summed.
    pub summed: usize,
    /// Problems writing the batch's own files (校验结果.json, 汇总.xlsx).
    pub problems: Vec<Diagnostic>,
}

impl Outcome {
    /// The exit code of the batch (`docs/CLI.md`): 2 when a file could not be read or written,
    /// 1 when a report has data errors or could not be rendered, else 0.
    pub fn exit_code(&self) -> i32 {
        let entries = self.entries.iter().map(|e| e.status.exit_code());
        entries
            .chain(std::iter::once(diag::exit_code(&self.problems)))
            .max()
            .unwrap_or(0)
    }
}

/// Every `.yaml`, `.yml`, `.xlsx` under `dir`, and every published report (`.pdf`, `.docx`,
/// `.html`, `.htm`, `.ofd`) named unlike every YAML and workbook found, sorted,
/// skipping hidden files, Office lock files (`~$…`) and the output folder.
pub fn find_inputs(dir: &Path, skip: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = vec![];
    let mut stack = vec![dir.to_path_buf()];
    let skip = crate::output::canonical(skip).ok();
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
                if skip.is_some() && crate::output::canonical(&path).ok() == skip {
                    continue;
                }
                stack.push(path);
            } else if crate::input::Kind::of(&path).is_some_and(|k| {
                // Text files in a folder are notes, not reports (a pasted page is given by name).
                k != crate::input::Kind::Published(crate::input::published::Published::Text)
            }) {
                out.push(path);
            }
        }
    }
    // A published document named as a YAML or workbook of the folder (beside it, or in a
    // folder of documents rendered from it) was made from it: the report is read once, from its
    // data.
    let data: std::collections::HashSet<std::ffi::OsString> = out
        .iter()
        .filter(|p| crate::input::Kind::of(p).is_some_and(|k| k.is_data()))
        .filter_map(|p| p.file_stem().map(|s| s.to_os_string()))
        .collect();
    out.retain(|p| {
        crate::input::Kind::of(p).is_some_and(|k| k.is_data())
            || p.file_stem().is_none_or(|s| !data.contains(s))
    });
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

/// One input through the job pipeline ([`crate::job`]): read, checked, gated, rendered and
/// written; the tables come back for the sums when the report is good.
fn process_one(
    path: &Path,
    base: &Path,
    out: &Path,
    target: &Result<OutputBase, String>,
    opts: &Options,
    fonts: Option<&Fonts>,
    previous: &previous::Previous,
) -> (Entry, Option<Report>) {
    let (entry, report) = process_one_full(path, base, out, target, opts, fonts, previous);
    let tables = tables_of(&entry, report.as_ref());
    (entry, tables)
}

/// Only the tables go into the sums (and back from a worker), of a good report only.
fn tables_of(entry: &Entry, report: Option<&Report>) -> Option<Report> {
    report.filter(|_| entry.summed).map(|r| Report {
        year: r.year,
        table2: r.table2.clone(),
        table3: r.table3.clone(),
        table4: r.table4.clone(),
        ..Report::default()
    })
}

/// [`process_one`] with the whole report as read (when it could be read), good or not.
fn process_one_full(
    path: &Path,
    base: &Path,
    out: &Path,
    target: &Result<OutputBase, String>,
    opts: &Options,
    fonts: Option<&Fonts>,
    previous: &previous::Previous,
) -> (Entry, Option<Report>) {
    let rel = relative(path, base);
    let mut outcome = match job::read(job::Input::Path(path)) {
        Err(d) => job::failed(job::Status::Io, d),
        Ok(parsed) => {
            // Last year's report of the same body, when --previous gave a folder.
            let (prev, note) = if parsed.complete {
                previous.find(&parsed.report.body, parsed.report.year)
            } else {
                (None, None)
            };
            let job_opts = job::Options {
                formats: &opts.formats,
                force: opts.force,
                previous: prev.as_ref(),
                fonts,
                // Each input has a worker of its own; in-process (no worker) the threads help.
                one_thread: opts.one_thread,
                pdf_standard: opts.pdf_standard,
            };
            let mut o = job::run_parsed(parsed, &job_opts);
            if let Some(n) = note {
                o.diagnostics.push(n);
                if o.status == Status::Passed {
                    o.status = Status::Warnings;
                }
            }
            o
        }
    };
    if !outcome.documents.is_empty() {
        match target {
            // Flushed once when the batch ends (run), not report by report.
            Ok(t) => job::write(&mut outcome, t, Durability::AtEnd),
            Err(msg) => {
                outcome.status = Status::Io;
                outcome.documents.clear();
                outcome
                    .diagnostics
                    .push(Diagnostic::error(Rule::Io, msg.clone()));
            }
        }
    }
    let out_root = crate::output::canonical(out).unwrap_or_else(|_| out.to_path_buf());
    let report = outcome.report.take();
    let good = outcome.status.is_good();
    let entry = Entry {
        file: slash(&rel),
        status: outcome.status,
        diagnostics: outcome.diagnostics,
        outputs: outcome
            .written
            .iter()
            .map(|p| slash(&relative(p, &out_root)))
            .collect(),
        body: report.as_ref().map(|r| (r.body.clone(), r.year)),
        figures: report.as_ref().map(Figures::of),
        summed: good,
        excluded: None,
        sketches: report.as_ref().map(similar::Sketches::of),
    };
    (entry, report)
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
        ..Report::default()
    };
    let mut summed = 0;
    let mut fee_overflow = false;
    // Bodies whose reports came in several files with the same tables (summed once).
    let mut same_copies: Vec<String> = vec![];
    let mut valid: std::collections::BTreeMap<(String, u16), Vec<(usize, Report)>> =
        Default::default();
    let targets = naming::plan(inputs, base, out, &opts.formats);
    let previous = &previous::Previous::new(opts.previous.clone());
    // What the workers say of the font files they skipped (each worker says it once).
    let font_warnings = std::sync::Mutex::new(std::collections::BTreeSet::<String>::new());
    if let Some(f) = fonts {
        if let Ok(mut w) = font_warnings.lock() {
            w.extend(f.warnings());
        }
    }
    // Temporary files a killed run left behind in the folders written to.
    let dirs: std::collections::BTreeSet<&Path> =
        targets.iter().flatten().map(|t| t.dir.as_path()).collect();
    for d in dirs {
        crate::output::remove_stale_temps(d);
    }
    std::thread::scope(|s| {
        for _ in 0..opts.jobs.max(1).min(inputs.len().max(1)) {
            let tx = tx.clone();
            let next = &next;
            let targets = &targets;
            let font_warnings = &font_warnings;
            s.spawn(move || {
                let setup = opts.worker.as_ref().map(|exe| {
                    let setup = worker::Setup {
                        base: base.to_path_buf(),
                        out: out.to_path_buf(),
                        formats: opts
                            .formats
                            .iter()
                            .map(|f| f.extension().to_string())
                            .collect(),
                        force: opts.force,
                        font_dir: opts.font_dir.clone(),
                        previous: opts.previous.clone(),
                        pdf_standard: opts.pdf_standard,
                        full_report: false,
                    };
                    (exe, setup)
                });
                let mut running: Option<worker::Worker> = None;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = inputs.get(i) else { break };
                    let (entry, report) = match &setup {
                        None => process_one(path, base, out, &targets[i], opts, fonts, previous),
                        Some((exe, setup)) => {
                            let job = worker::Job {
                                path: path.clone(),
                                target: targets[i].clone(),
                                formats: None,
                            };
                            let w = match running.take() {
                                Some(w) => Ok(w),
                                None => worker::Worker::spawn(exe, setup)
                                    .map_err(|e| format!("无法启动工作进程：{e}")),
                            };
                            match w.and_then(|mut w| {
                                let reply = w.run(&job, opts.timeout);
                                if reply.is_ok() {
                                    running = Some(w);
                                }
                                reply
                            }) {
                                Ok(reply) => {
                                    if !reply.font_warnings.is_empty() {
                                        if let Ok(mut w) = font_warnings.lock() {
                                            w.extend(reply.font_warnings);
                                        }
                                    }
                                    (reply.entry, reply.tables)
                                }
                                Err(why) => (worker::crashed(path, base, why), None),
                            }
                        }
                    };
                    if tx.send((i, entry, report)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for (i, entry, report) in rx {
            if let (Some(tables), Some(key)) = (report, entry.body.clone()) {
                // Kept until every input is in: a body and year that comes twice is summed
                // neither time.
                valid.entry(key).or_default().push((i, tables));
            }
            progress(&entry);
            entries[i] = Some(entry);
        }
    });
    let mut problems = vec![];
    // The summary sums one year.
    let mut per_year: std::collections::BTreeMap<u16, usize> = Default::default();
    for ((_, y), reports) in &valid {
        *per_year.entry(*y).or_default() += reports.len();
    }
    let year = opts.year.or_else(|| {
        per_year
            .iter()
            .max_by_key(|(y, n)| (**n, **y))
            .map(|(y, _)| *y)
    });
    let mut other_years = vec![];
    for ((b, y), mut reports) in valid {
        if Some(y) != year {
            for (i, _) in &reports {
                if let Some(e) = entries[*i].as_mut() {
                    e.summed = false;
                    e.excluded = Some(format!(
                        "报告年度为 {y}，不是汇总的 {} 年度，未计入汇总",
                        year.unwrap_or(y)
                    ));
                    other_years.push(format!("{}（{b}，{y}）", e.file));
                }
            }
            continue;
        }
        // Input order, not the order the workers finished in.
        reports.sort_by_key(|(i, _)| *i);
        if let [(_, r)] = reports.as_slice() {
            fee_overflow |= !totals.add_tables(r);
            summed += 1;
            continue;
        }
        // The same report in several files (its PDF and its Word file, a copy): its tables are
        // summed once.
        let first = &reports[0].1;
        if reports.iter().all(|(_, r)| {
            r.table2 == first.table2 && r.table3 == first.table3 && r.table4 == first.table4
        }) {
            fee_overflow |= !totals.add_tables(first);
            summed += 1;
            let names: Vec<String> = reports
                .iter()
                .filter_map(|(i, _)| entries[*i].as_ref().map(|e| e.file.clone()))
                .collect();
            for (i, _) in reports.iter().skip(1) {
                if let Some(e) = entries[*i].as_mut() {
                    e.summed = false;
                    e.excluded = Some(format!(
                        "与 {} 的表格完全相同，汇总只计入一次",
                        names.first().map_or("", String::as_str)
                    ));
                }
            }
            same_copies.push(format!(
                "“{b}”的{y}年度报告出现了 {} 份（{}），表格完全相同（同一份报告的不同格式或副本），汇总只计入第一份",
                names.len(),
                names.join("、")
            ));
            continue;
        }
        let mut files = vec![];
        for (i, _) in &reports {
            if let Some(e) = entries[*i].as_mut() {
                e.summed = false;
                e.excluded = Some(format!("“{b}”的{y}年度报告有多份，都未计入汇总"));
                files.push(e.file.clone());
            }
        }
        problems.push(Diagnostic::error(
            Rule::Schema,
            format!(
                "“{b}”的{y}年度报告出现了 {} 份（{}），不知哪一份为准，都未计入汇总",
                files.len(),
                files.join("、")
            ),
        ));
    }
    let mut entries: Vec<Entry> = entries.into_iter().flatten().collect();
    similar::mark(&mut entries);
    let mut warnings: Vec<String> = font_warnings
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .collect();
    if fee_overflow {
        warnings.push("收费金额合计超出可表示的范围，汇总表中的金额不完整".to_string());
    }
    warnings.extend(same_copies.iter().cloned());
    // Two inputs for the same body and year, or reports of different years.
    let mut seen: std::collections::BTreeMap<(String, u16), Vec<&str>> = Default::default();
    for e in &entries {
        if let Some((b, y)) = &e.body {
            seen.entry((b.clone(), *y)).or_default().push(&e.file);
        }
    }
    for ((b, y), files) in &seen {
        // Valid duplicates are an error above; an invalid copy beside a valid one is worth a word.
        let told = format!("“{b}”的{y}");
        if files.len() > 1
            && !problems.iter().any(|d| d.message.contains(&told))
            && !same_copies.iter().any(|m| m.contains(&told))
        {
            warnings.push(format!(
                "“{b}”的{y}年度报告出现了 {} 份：{}",
                files.len(),
                files.join("、")
            ));
        }
    }
    if !other_years.is_empty() {
        other_years.sort();
        warnings.push(format!(
            "汇总表只汇总 {} 年度；其他年度的 {} 份报告未计入：{}",
            year.unwrap_or_default(),
            other_years.len(),
            other_years.join("、")
        ));
    }
    if let Some(y) = year {
        totals.year = y;
    }
    Outcome {
        entries,
        totals,
        warnings,
        summed,
        problems,
    }
}

/// The JSON of `docs/CLI.md`, with the batch warnings added.
pub fn results_json(o: &Outcome) -> Result<String, serde_json::Error> {
    #[derive(serde::Serialize)]
    struct Doc<'a> {
        /// The JSON format's version, as in `check --format json`.
        version: u32,
        files: Vec<diag::JsonFile<'a>>,
        /// Errors of the batch as a whole (a body and year given twice).
        errors: Vec<&'a str>,
        warnings: &'a [String],
    }
    let files = o
        .entries
        .iter()
        .map(|e| {
            diag::JsonFile::new(e.file.clone(), &e.diagnostics, e.outputs.clone())
                .with_status(e.status.chinese(), e.summed)
        })
        .collect();
    serde_json::to_string_pretty(&Doc {
        version: diag::JSON_VERSION,
        files,
        errors: o.problems.iter().map(|d| d.message.as_str()).collect(),
        warnings: &o.warnings,
    })
}

/// A whole batch: every report under `dir` into `out`, then 校验结果.json and 汇总.xlsx.
/// `progress` is called after each input. `Err` is a batch that cannot start (no such folder,
/// no inputs, no fonts): nothing is written then.
pub fn run(
    dir: &Path,
    out: &Path,
    opts: &Options,
    progress: impl FnMut(&Entry, usize),
) -> Result<Outcome, Diagnostic> {
    let io = |msg: String| Diagnostic::error(Rule::Io, msg);
    if !dir.is_dir() {
        return Err(io(format!("{} 不是一个目录", dir.display())));
    }
    // Writing into the folder read would make the next run read its own outputs as reports.
    if crate::output::same_file(dir, out) {
        return Err(io(format!(
            "输出目录不能与输入目录相同（{}）：请用 -o 指定另一个目录",
            out.display()
        )));
    }
    std::fs::create_dir_all(out).map_err(|e| {
        io(format!(
            "无法创建输出目录 {}：{}",
            out.display(),
            io_message(&e)
        ))
    })?;
    let inputs = find_inputs(dir, out).map_err(|e| {
        io(format!(
            "无法读取目录 {}：{}",
            dir.display(),
            io_message(&e)
        ))
    })?;
    if inputs.is_empty() {
        return Err(io(format!(
            "{} 下没有 .yaml、.yml、.xlsx 文件，也没有已发布的 .pdf、.docx、.html、.htm、.ofd 文件",
            dir.display()
        )));
    }
    // Fonts are parsed once for the whole batch, by whoever renders: each worker loads its own,
    // so the parent only makes sure the folder it was given is there.
    let uses_fonts = opts.formats.iter().any(Format::uses_fonts);
    let fonts = match &opts.worker {
        None if uses_fonts => Some(Fonts::load(opts.font_dir.as_deref())?),
        _ => {
            if let Some(d) = opts
                .font_dir
                .as_deref()
                .filter(|d| uses_fonts && !d.is_dir())
            {
                return Err(io(format!("字体目录不存在：{}", d.display())));
            }
            None
        }
    };
    let total = inputs.len();
    let mut progress = progress;
    let mut outcome = process(&inputs, dir, out, opts, fonts.as_ref(), |e| {
        progress(e, total)
    });
    // The reports' documents reach the disk before the record that lists them is written.
    if let Err(e) = sync_file_system(out) {
        let msg = format!(
            "无法把输出写入磁盘（{}）：{}",
            out.display(),
            io_message(&e)
        );
        outcome.problems.push(io(msg));
    }
    match results_json(&outcome) {
        Ok(json) => {
            if let Err(e) = write_atomic(&out.join(RESULTS_JSON), json.as_bytes()) {
                let msg = format!("无法写入 {RESULTS_JSON}：{}", io_message(&e));
                outcome.problems.push(io(msg));
            }
        }
        Err(e) => outcome.problems.push(io(e.to_string())),
    }
    match summary::workbook(&outcome) {
        Ok(bytes) => {
            if let Err(e) = write_atomic(&out.join(SUMMARY_XLSX), &bytes) {
                let msg = format!("无法写入 {SUMMARY_XLSX}：{}", io_message(&e));
                outcome.problems.push(io(msg));
            }
        }
        Err(d) => outcome.problems.push(d),
    }
    if opts.formats.contains(&Format::Html) {
        let page = index_html(&outcome);
        if let Err(e) = write_atomic(&out.join(INDEX_HTML), page.as_bytes()) {
            let msg = format!("无法写入 {INDEX_HTML}：{}", io_message(&e));
            outcome.problems.push(io(msg));
        }
    }
    Ok(outcome)
}
