//! `xxgk batch`: the command over the batch engine ([`crate::batch`]) — a progress bar on a
//! terminal (a line per failure otherwise), the closing table, the exit code.

use super::{usage_error, BatchArgs};
use crate::batch::{self, Entry, Options, Outcome, Status, RESULTS_JSON, SUMMARY_XLSX};
use crate::render::Format;
use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

pub fn run(a: &BatchArgs) -> i32 {
    let formats = match Format::parse_list(&a.to) {
        Ok(f) => f,
        Err(e) => return usage_error(&e),
    };
    let jobs = a
        .jobs
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
        .max(1);
    let pdf_standard = match super::pdf_standard(&a.pdf_standard) {
        Ok(s) => s,
        Err(e) => return super::usage_error(&e),
    };
    let opts = Options {
        formats,
        pdf_standard,
        jobs,
        force: a.force,
        font_dir: a.font_dir.clone(),
        // Each input is read in a worker process of this same program.
        worker: std::env::current_exe().ok(),
        // The workers render one thread each (set in the worker); this is the in-process case.
        one_thread: false,
        timeout: std::time::Duration::from_secs(a.timeout.max(1)),
        year: a.year,
        previous: match &a.previous {
            None => vec![],
            Some(d) if !d.is_dir() => {
                eprintln!("错误：上年报告目录 {} 不是一个目录", d.display());
                return 2;
            }
            Some(d) => match batch::find_inputs(d, &a.out) {
                // The workers are told the paths as JSON text: a name that is not UTF-8
                // cannot be, and is said and left out.
                Ok(v) => v
                    .into_iter()
                    .filter(|p| {
                        let ok = p.to_str().is_some();
                        if !ok {
                            eprintln!(
                                "{}",
                                super::print::terminal(&format!(
                                    "警告：上年报告 {} 的文件名不是 UTF-8，未读取",
                                    p.display()
                                ))
                            );
                        }
                        ok
                    })
                    .collect(),
                Err(e) => {
                    eprintln!(
                        "错误：无法读取上年报告目录 {}：{}",
                        d.display(),
                        crate::output::io_message(&e)
                    );
                    return 2;
                }
            },
        },
    };
    let started = Instant::now();
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} 已处理 {msg} 用时 {elapsed} 剩余约 {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let mut failed = 0;
    let progress = |e: &Entry, total: usize| {
        if !e.status.is_good() {
            failed += 1;
        }
        let first = e.first_error();
        match &bar {
            Some(b) => {
                b.set_length(total as u64);
                if !e.status.is_good() {
                    b.println(super::print::terminal(&format!(
                        "✗ {}：{}　{first}",
                        e.file,
                        e.status.chinese()
                    )));
                }
                b.set_message(format!("（失败 {failed}）"));
                b.inc(1);
            }
            None if !e.status.is_good() => {
                eprintln!("失败 {}：{}　{first}", e.file, e.status.chinese())
            }
            None => {}
        }
    };
    let outcome = match batch::run(&a.dir, &a.out, &opts, progress) {
        Ok(o) => o,
        Err(d) => {
            eprintln!("错误：{}", d.message);
            return crate::diag::exit_code(std::slice::from_ref(&d));
        }
    };
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    for w in &outcome.warnings {
        eprintln!("警告：{w}");
    }
    for d in &outcome.problems {
        eprintln!("错误：{}", d.message);
    }
    print_table(&outcome, &a.out, started.elapsed().as_secs_f64());
    let warned = !outcome.warnings.is_empty()
        || outcome
            .entries
            .iter()
            .any(|e| e.diagnostics.iter().any(|d| !d.is_error()));
    if a.strict && warned {
        // Warnings count as errors for the exit code (CI use).
        outcome.exit_code().max(super::EXIT_DATA)
    } else {
        outcome.exit_code()
    }
}

/// The closing table: how many rendered, how many failed and why, where the outputs are.
fn print_table(o: &Outcome, out: &Path, secs: f64) {
    let count = |s: Status| o.entries.iter().filter(|e| e.status == s).count();
    eprintln!("共 {} 份报告，用时 {secs:.1} 秒", o.entries.len());
    for s in [
        Status::Passed,
        Status::Warnings,
        Status::Invalid,
        Status::RenderFailed,
        Status::Io,
        Status::Crashed,
        Status::Unfilled,
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
