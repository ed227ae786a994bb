//! The data folder: the database, the uploaded files by content hash, each upload's documents.
//!
//! ```text
//! DIR/xxgk.db            SQLite (WAL: xxgk.db-wal, xxgk.db-shm beside it)
//! DIR/files/ab/<sha256>.xlsx   every uploaded file, once, never changed
//! DIR/docs/<random>/     the documents made from an upload that passed
//! DIR/tmp/               exports being made
//! ```

use std::io::{self, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Store {
    pub root: PathBuf,
}

impl Store {
    /// The folders of a data folder, created when missing.
    pub fn open(root: &Path) -> io::Result<Store> {
        for d in ["files", "docs", "tmp"] {
            std::fs::create_dir_all(root.join(d))?;
        }
        Ok(Store {
            root: root.to_path_buf(),
        })
    }

    /// Clears what a killed server left half-made: temporary files of uploads being stored
    /// (never acknowledged) and exports being packed. Only the server calls it, at its start:
    /// a command run beside a running server must not take its files away.
    pub fn clear_leftovers(&self) {
        if let Ok(shards) = std::fs::read_dir(self.root.join("files")) {
            for shard in shards.flatten() {
                let Ok(files) = std::fs::read_dir(shard.path()) else {
                    continue;
                };
                for f in files.flatten() {
                    let name = f.file_name().to_string_lossy().into_owned();
                    if name.starts_with('.') && name.ends_with(".tmp") {
                        let _ = std::fs::remove_file(f.path());
                    }
                }
            }
        }
        if let Ok(dirs) = std::fs::read_dir(self.tmp()) {
            for d in dirs.flatten() {
                let _ = std::fs::remove_dir_all(d.path());
            }
        }
    }

    pub fn db(&self) -> PathBuf {
        self.root.join("xxgk.db")
    }

    /// Where the file of a content hash is kept.
    pub fn file(&self, hash: &str, ext: &str) -> PathBuf {
        let shard = hash.get(..2).unwrap_or("00");
        self.root
            .join("files")
            .join(shard)
            .join(format!("{hash}.{ext}"))
    }

    /// The folder of one upload's documents.
    pub fn docs(&self, folder: &str) -> PathBuf {
        self.root.join("docs").join(folder)
    }

    pub fn tmp(&self) -> PathBuf {
        self.root.join("tmp")
    }

    /// Keeps an uploaded file under its hash and makes sure it is on disk (the file and the
    /// folder entry flushed) before returning. The same content twice is stored once.
    pub fn put(&self, hash: &str, ext: &str, bytes: &[u8]) -> io::Result<PathBuf> {
        let path = self.file(hash, ext);
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        if path.is_file() && std::fs::metadata(&path)?.len() == bytes.len() as u64 {
            // Written by an earlier upload, perhaps not yet flushed when that one was killed.
            std::fs::File::open(&path)?.sync_all()?;
            return Ok(path);
        }
        std::fs::create_dir_all(&dir)?;
        sync_dir(&dir.join(".."))?;
        let tmp = dir.join(format!(".{hash}.{}.tmp", super::auth::new_token()));
        let written = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &path)?;
            sync_dir(&dir)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written.map(|()| path)
    }
}

/// Flushes a folder's entries (a new or renamed file in it survives a crash).
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Flushes every file of a folder and the folder itself.
pub fn sync_tree(dir: &Path) -> io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        if e.file_type()?.is_file() {
            std::fs::File::open(e.path())?.sync_all()?;
        }
    }
    sync_dir(dir)?;
    if let Some(parent) = dir.parent() {
        sync_dir(parent)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_kept_once_under_its_hash() {
        let d = tempfile::tempdir().unwrap();
        let s = Store::open(d.path()).unwrap();
        let h = crate::serve::auth::sha256_hex(b"abc");
        let p = s.put(&h, "yaml", b"abc").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"abc");
        assert_eq!(s.put(&h, "yaml", b"abc").unwrap(), p);
        let names: Vec<_> = std::fs::read_dir(p.parent().unwrap()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }
}
