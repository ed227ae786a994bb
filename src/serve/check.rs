//! Checking an upload: the batch's worker processes ([`crate::batch::worker`]) run the one job
//! pipeline on the stored file, so that a hostile upload (a zip bomb, a file that crashes or
//! stalls the reader) costs only its own worker — the server and the other units go on. A few
//! workers are kept running (their fonts loaded) and reused; at most `permits` run at once.

use super::db::Checked;
use crate::batch::worker::{self, Job, Setup, Worker};
use crate::batch::Status;
use crate::diag::{Diagnostic, Rule};
use crate::job::OutputBase;
use crate::render::Format;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// The formats made of every upload that passes.
pub const FORMATS: [Format; 5] = [
    Format::Docx,
    Format::Pdf,
    Format::Ofd,
    Format::Html,
    Format::Xlsx,
];

pub struct Checker {
    /// The executable run as `xxgk __batch-worker`; `None` checks in this process (tests of the
    /// library only: no isolation).
    exe: Option<PathBuf>,
    setup: Setup,
    idle: Mutex<Vec<Worker>>,
    pub permits: tokio::sync::Semaphore,
    /// Renders wait for one of their own, so that a crowd of uploads is answered first.
    pub render_permits: tokio::sync::Semaphore,
    timeout: Duration,
}

impl Checker {
    pub fn new(exe: Option<PathBuf>, files: &Path, docs: &Path, parallel: usize) -> Checker {
        Checker {
            exe,
            setup: Setup {
                base: files.to_path_buf(),
                out: docs.to_path_buf(),
                formats: FORMATS.iter().map(|f| f.extension().to_string()).collect(),
                force: false,
                font_dir: None,
                full_report: true,
                previous: vec![],
                pdf_standard: Default::default(),
            },
            idle: Mutex::new(vec![]),
            permits: tokio::sync::Semaphore::new(parallel.max(1)),
            render_permits: tokio::sync::Semaphore::new(parallel.max(2) / 2),
            timeout: Duration::from_secs(120),
        }
    }

    /// Checks the stored file `path` by every rule (the fonts loaded: rule TEXT finds what
    /// the documents could not set) without making its documents. Blocking.
    pub fn check(&self, path: &Path) -> Checked {
        self.run(path, Path::new(""), "", false)
    }

    /// Checks and renders the stored file `path`, writing its documents (when it passes) into
    /// `dir` as `{stem}.{ext}`. Blocking: call it on a blocking thread.
    pub fn render(&self, path: &Path, dir: &Path, stem: &str) -> Checked {
        self.run(path, dir, stem, true)
    }

    fn run(&self, path: &Path, dir: &Path, stem: &str, render: bool) -> Checked {
        let target = OutputBase {
            dir: dir.to_path_buf(),
            stem: OsString::from(stem),
        };
        let Some(exe) = &self.exe else {
            return in_process(path, &target, render);
        };
        let job = Job {
            path: path.to_path_buf(),
            target: Ok(target),
            formats: (!render).then(Vec::new),
        };
        let idle = self.idle.lock().ok().and_then(|mut v| v.pop());
        let w = match idle {
            Some(w) => Ok(w),
            None => Worker::spawn(exe, &self.setup).map_err(|e| format!("无法启动工作进程：{e}")),
        };
        let reply = w.and_then(|mut w| {
            // A check takes milliseconds: one that stalls is let go sooner than a render, so
            // a hostile file holds a place in the queue for seconds, not minutes.
            let timeout = if render {
                self.timeout
            } else {
                self.timeout / 4
            };
            let reply = w.run(&job, timeout);
            if reply.is_ok() {
                if let Ok(mut v) = self.idle.lock() {
                    v.push(w);
                }
            }
            reply
        });
        match reply {
            Ok(r) => {
                let documents = r
                    .entry
                    .outputs
                    .iter()
                    .filter_map(|o| o.rsplit('/').next().map(str::to_string))
                    .collect();
                Checked {
                    status: r.entry.status,
                    diagnostics: r.entry.diagnostics,
                    documents,
                    folder: String::new(),
                    body: r.entry.body,
                    figures: r.entry.figures,
                    report: r.report,
                }
            }
            Err(why) => {
                let e = worker::crashed(path, &self.setup.base, why);
                Checked {
                    status: Status::Crashed,
                    diagnostics: e.diagnostics,
                    documents: vec![],
                    folder: String::new(),
                    body: None,
                    figures: None,
                    report: None,
                }
            }
        }
    }
}

/// The job pipeline in this process (no worker).
fn in_process(path: &Path, target: &OutputBase, render: bool) -> Checked {
    use crate::job;
    let fonts = crate::render::paged::Fonts::load(None).ok();
    let opts = job::Options {
        formats: if render { &FORMATS } else { &[] },
        force: false,
        previous: None,
        fonts: fonts.as_ref(),
        one_thread: true,
        pdf_standard: Default::default(),
    };
    let mut o = job::run(job::Input::Path(path), &opts);
    if fonts.is_none() {
        o.diagnostics
            .push(Diagnostic::error(Rule::Io, "无法载入字体".to_string()));
    }
    job::write(&mut o, target, crate::output::Durability::Now);
    let report = o.report.take();
    Checked {
        status: o.status,
        documents: o
            .written
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
            .collect(),
        folder: String::new(),
        body: report.as_ref().map(|r| (r.body.clone(), r.year)),
        figures: report
            .as_ref()
            .filter(|_| o.status.is_good())
            .map(crate::batch::Figures::of),
        diagnostics: o.diagnostics,
        report,
    }
}
