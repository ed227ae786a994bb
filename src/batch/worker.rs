//! One input per worker process, so that whatever an input does to the process that reads it —
//! a panic, an abort, a stack overflow, running out of memory, never finishing — costs only that
//! input: the batch records it as that input's error (rule CRASH), starts a fresh worker and goes
//! on with the others.
//!
//! A worker is the same executable run as `xxgk __batch-worker`. It reads one JSON line of
//! [`Setup`], then one JSON line per [`Job`], and answers each with one JSON line of [`Reply`]:
//! the entry and, for a report that goes into the sums, its tables as typed values (serde on the
//! model), so the parent never parses an untrusted input, nor any YAML, itself.

use super::{process_one_full, Entry, Options, OutputBase, Status};
use crate::diag::{Diagnostic, Rule};
use crate::model::Report;
use crate::render::{paged::Fonts, Format};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

/// What every job of a batch shares.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Setup {
    #[serde(with = "crate::output::os_bytes")]
    pub base: PathBuf,
    #[serde(with = "crate::output::os_bytes")]
    pub out: PathBuf,
    /// Format extensions (`docx`, `pdf`, …).
    pub formats: Vec<String>,
    pub force: bool,
    #[serde(with = "crate::output::os_bytes::option")]
    pub font_dir: Option<PathBuf>,
    /// The previous year's reports (`--previous DIR`): each worker indexes them by 机关 itself,
    /// so the parent still reads no report.
    #[serde(default)]
    pub previous: Vec<PathBuf>,
    #[serde(default)]
    pub pdf_standard: crate::render::pdf::Standard,
    /// Send back each report whole, even one with errors (the web server draws its tables with
    /// the problems marked); a batch wants only the tables of the good ones.
    #[serde(default)]
    pub full_report: bool,
}

/// One input.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    #[serde(with = "crate::output::os_bytes")]
    pub path: PathBuf,
    pub target: Result<OutputBase, String>,
    /// The formats of this job when not the setup's (the web server checks an upload with
    /// none, to answer at once, and renders it in a second job).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formats: Option<Vec<String>>,
}

/// What a worker made of one input.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reply {
    pub entry: Entry,
    /// The report's tables, when it goes into the sums.
    pub tables: Option<Report>,
    /// Font files the worker had to skip (broken, truncated): sent once, with its first reply.
    #[serde(default)]
    pub font_warnings: Vec<String>,
    /// The whole report as read, when the setup asks for it ([`Setup::full_report`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<Report>,
}

/// A running worker process.
pub struct Worker {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
}

impl Worker {
    /// Starts `exe __batch-worker` and hands it the setup.
    pub fn spawn(exe: &Path, setup: &Setup) -> std::io::Result<Worker> {
        let mut child = Command::new(exe)
            .arg("__batch-worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let missing = || std::io::Error::other("工作进程没有标准输入输出");
        let mut stdin = child.stdin.take().ok_or_else(missing)?;
        let stdout = child.stdout.take().ok_or_else(missing)?;
        // Lines are read on a thread of their own, so that a worker that hangs can be timed out.
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let json = serde_json::to_string(setup).map_err(std::io::Error::other)?;
        writeln!(stdin, "{json}")?;
        stdin.flush()?;
        Ok(Worker {
            child,
            stdin,
            lines,
        })
    }

    /// Runs one job. `Err` says why the worker failed on it; the worker is then finished.
    pub fn run(&mut self, job: &Job, timeout: Duration) -> Result<Reply, String> {
        let json = serde_json::to_string(job).map_err(|e| e.to_string())?;
        let sent = writeln!(self.stdin, "{json}").and_then(|()| self.stdin.flush());
        let line = match sent {
            Ok(()) => self.lines.recv_timeout(timeout),
            Err(_) => Err(RecvTimeoutError::Disconnected),
        };
        match line {
            Ok(line) => {
                serde_json::from_str(&line).map_err(|e| format!("工作进程的回答无法读取：{e}"))
            }
            Err(RecvTimeoutError::Timeout) => {
                self.kill();
                Err(format!("处理超过 {} 秒仍未完成，已中止", timeout.as_secs()))
            }
            Err(RecvTimeoutError::Disconnected) => Err(self.end_state()),
        }
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// How the worker ended, in words.
    fn end_state(&mut self) -> String {
        match self.child.wait() {
            Ok(status) => {
                #[cfg(unix)]
                {
                    use std::os::unix::process::ExitStatusExt;
                    if let Some(sig) = status.signal() {
                        return format!("工作进程异常终止（信号 {sig}）");
                    }
                }
                format!("工作进程异常退出（{status}）")
            }
            Err(e) => format!("工作进程异常退出（{e}）"),
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The entry of an input its worker failed on.
pub fn crashed(path: &Path, base: &Path, why: String) -> Entry {
    Entry {
        sketches: None,
        file: super::slash(&super::relative(path, base)),
        status: Status::Crashed,
        diagnostics: vec![Diagnostic::error(
            Rule::Crash,
            format!("处理这份报告时程序出错：{why}；其他报告不受影响"),
        )],
        outputs: vec![],
        body: None,
        figures: None,
        summed: false,
        excluded: None,
    }
}

/// A worker makes one report after another with the same large buffers (a PDF's streams and
/// font programs, hundreds of KB each). glibc maps each such buffer anew and unmaps it when
/// freed, so every report paid again for zeroed pages (a seventh of a worker's time was the
/// kernel's). Kept on the heap and not trimmed, the pages are reused; one arena (the worker's
/// threads take turns in it) keeps the peak memory below what the default arenas held.
/// Measured in benches/README.md.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_malloc() {
    use std::ffi::c_int;
    extern "C" {
        fn mallopt(param: c_int, value: c_int) -> c_int;
    }
    const M_TRIM_THRESHOLD: c_int = -1;
    const M_MMAP_THRESHOLD: c_int = -3;
    const M_ARENA_MAX: c_int = -8;
    // SAFETY: mallopt only sets glibc's allocator parameters; it is called before this process
    // starts a thread, and a refused value (return 0) leaves the default in place.
    unsafe {
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
        mallopt(M_TRIM_THRESHOLD, 64 << 20);
        mallopt(M_ARENA_MAX, 1);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_malloc() {}

/// The worker side: serves jobs from `input` until it ends. Returns the exit code.
pub fn serve(input: impl BufRead, mut output: impl Write) -> i32 {
    tune_malloc();
    let mut lines = input.lines();
    let Some(Ok(first)) = lines.next() else {
        return 2;
    };
    let Ok(setup) = serde_json::from_str::<Setup>(&first) else {
        return 2;
    };
    let opts = Options {
        formats: setup
            .formats
            .iter()
            .filter_map(|f| Format::parse(f))
            .collect(),
        jobs: 1,
        force: setup.force,
        font_dir: setup.font_dir.clone(),
        pdf_standard: setup.pdf_standard,
        worker: None,
        one_thread: true,
        timeout: Duration::MAX,
        year: None,
        previous: setup.previous.clone(),
    };
    let previous = super::previous::Previous::new(setup.previous.clone());
    let fonts = if opts.formats.iter().any(Format::uses_fonts) {
        Fonts::load(opts.font_dir.as_deref()).ok()
    } else {
        None
    };
    let mut font_warnings = fonts.as_ref().map(Fonts::warnings).unwrap_or_default();
    // Fault injection for the tests of isolation: abort on the input of this file name.
    let abort_on = std::env::var_os("XXGK_WORKER_ABORT_ON");
    for line in lines {
        let Ok(line) = line else { break };
        let Ok(job) = serde_json::from_str::<Job>(&line) else {
            return 2;
        };
        if abort_on.is_some() && job.path.file_name() == abort_on.as_deref() {
            std::process::abort();
        }
        let this = job.formats.as_ref().map(|f| Options {
            formats: f.iter().filter_map(|f| Format::parse(f)).collect(),
            ..opts.clone()
        });
        let (entry, full) = process_one_full(
            &job.path,
            &setup.base,
            &setup.out,
            &job.target,
            this.as_ref().unwrap_or(&opts),
            fonts.as_ref(),
            &previous,
        );
        let tables = super::tables_of(&entry, full.as_ref());
        let reply = Reply {
            entry,
            tables,
            font_warnings: std::mem::take(&mut font_warnings),
            report: full.filter(|_| setup.full_report),
        };
        let Ok(json) = serde_json::to_string(&reply) else {
            return 2;
        };
        if writeln!(output, "{json}")
            .and_then(|()| output.flush())
            .is_err()
        {
            return 2;
        }
    }
    0
}
