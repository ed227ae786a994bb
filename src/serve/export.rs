//! What the office downloads: each submitted unit's documents plus `汇总.xlsx`,
//! `校验结果.json` and `index.html`, made by `xxgk batch` itself ([`crate::batch::run`]) from
//! the submitted files, so the figures and rules are the batch's to the byte.

use super::db::{self, Unit, Upload};
use super::store::Store;
use crate::batch;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// A unit's name as a file name: characters no file system takes become `_`.
pub fn file_stem(name: &str) -> String {
    let s: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .take(80)
        .collect();
    let s = s.trim_matches(['.', ' ']).to_string();
    if s.is_empty() {
        "单位".to_string()
    } else {
        s
    }
}

/// Writes the export of `year` into `out` (a folder that need not exist). `Err`: nothing
/// submitted, or the batch could not start.
pub fn write(
    c: &Connection,
    store: &Store,
    year: u16,
    out: &Path,
    worker: Option<PathBuf>,
) -> Result<batch::Outcome, String> {
    let submitted = db::submitted(c, year).map_err(|e| format!("数据库错误：{e}"))?;
    write_units(store, year, &submitted, out, worker)
}

pub fn write_units(
    store: &Store,
    year: u16,
    submitted: &[(Unit, Upload)],
    out: &Path,
    worker: Option<PathBuf>,
) -> Result<batch::Outcome, String> {
    if submitted.is_empty() {
        return Err(format!("{year} 年度还没有单位提交报告"));
    }
    let work = store.tmp().join(format!("in-{}", super::auth::new_token()));
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let result = (|| {
        for (u, up) in submitted {
            let from = store.file(&up.hash, &up.ext);
            let to = work.join(format!("{}.{}", file_stem(&u.name), up.ext));
            std::fs::copy(&from, &to).map_err(|e| {
                format!(
                    "无法读取 {} 的文件：{}",
                    u.name,
                    crate::output::io_message(&e)
                )
            })?;
        }
        let opts = batch::Options {
            formats: super::check::FORMATS.to_vec(),
            jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
            force: false,
            font_dir: None,
            one_thread: worker.is_some(),
            worker,
            timeout: std::time::Duration::from_secs(300),
            year: Some(year),
            previous: vec![],
            pdf_standard: Default::default(),
        };
        batch::run(&work, out, &opts, |_, _| {}).map_err(|d| d.message)
    })();
    let _ = std::fs::remove_dir_all(&work);
    result
}

/// The export as one zip file in the data folder's `tmp/` (the caller sends it and removes
/// it): each document is copied from disk into the file, so memory stays bounded whatever the
/// number of units.
pub fn zip(
    store: &Store,
    year: u16,
    submitted: &[(Unit, Upload)],
    worker: Option<PathBuf>,
) -> Result<PathBuf, String> {
    let token = super::auth::new_token();
    let out = store.tmp().join(format!("out-{token}"));
    let file = store.tmp().join(format!("export-{token}.zip"));
    let result = (|| {
        write_units(store, year, submitted, &out, worker)?;
        zip_dir(&out, &file).map_err(|e| format!("无法打包：{e}"))
    })();
    let _ = std::fs::remove_dir_all(&out);
    if result.is_err() {
        let _ = std::fs::remove_file(&file);
    }
    result.map(|()| file)
}

fn zip_dir(dir: &Path, to: &Path) -> std::io::Result<()> {
    let mut files = vec![];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    let out = std::io::BufWriter::new(std::fs::File::create(to)?);
    let mut z = ::zip::ZipWriter::new(out);
    for f in files {
        let rel = f.strip_prefix(dir).unwrap_or(&f);
        let name = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().to_string())
            .collect::<Vec<_>>()
            .join("/");
        z.start_file(name, ::zip::write::SimpleFileOptions::default())
            .map_err(std::io::Error::other)?;
        std::io::copy(&mut std::fs::File::open(&f)?, &mut z)?;
    }
    z.finish()
        .map_err(std::io::Error::other)?
        .into_inner()
        .map_err(|e| e.into_error())?
        .sync_all()
}
