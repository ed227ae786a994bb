//! Writing output files safely: temporary files in the target folder, renamed into place only
//! when everything was written, so a failed or interrupted run never leaves a truncated file,
//! never replaces a good one with a bad one, and never leaves one report's formats out of step.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What marks a temporary file as ours: `.{name}.{pid}.xxgk.tmp` (and `….bak` while an old
/// file steps aside). Only files with this mark are ever cleaned up.
const TEMP_MARK: &str = ".xxgk.tmp";

/// The longest file name most file systems take (ext4, NTFS, APFS: 255 bytes or UTF-16 units).
const MAX_NAME_BYTES: usize = 255;

/// `.{name}.{pid}.xxgk.tmp` beside `path`, the name cut (at a character) so that the temporary
/// name, with room for `.bak`, fits wherever the output's own name fits.
fn temp_path(path: &Path) -> io::Result<PathBuf> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "没有文件名"))?
        .to_string_lossy();
    let tail = format!(".{}{TEMP_MARK}", std::process::id());
    let room = MAX_NAME_BYTES.saturating_sub(1 + tail.len() + ".bak".len());
    let mut cut = name.len().min(room);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    Ok(dir.join(format!(".{}{tail}", &name[..cut])))
}

fn write_temp(tmp: &Path, bytes: &[u8]) -> io::Result<std::fs::File> {
    let mut f = std::fs::File::create(tmp)?;
    f.write_all(bytes)?;
    Ok(f)
}

/// Flushes the temporary files to disk before any is renamed into place: a crash after the
/// rename must not leave an empty or partial file under the real name. The files are flushed
/// side by side (one thread each beyond the first): the file system commits them together, so a
/// report's three files cost about one flush, not three in a row.
fn sync_all(files: &[std::fs::File]) -> io::Result<()> {
    match files {
        [] => Ok(()),
        [f] => f.sync_all(),
        [first, rest @ ..] => std::thread::scope(|s| {
            let others: Vec<_> = rest.iter().map(|f| s.spawn(move || f.sync_all())).collect();
            let mut result = first.sync_all();
            for h in others {
                let r = h.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
                result = result.and(r);
            }
            result
        }),
    }
}

/// Writes `bytes` to `path` atomically (temp file in the same folder + rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_all_atomic(&[(path.to_path_buf(), bytes.to_vec())])
}

/// When written files reach the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// Each set of files is flushed before it is renamed into place.
    #[default]
    Now,
    /// Renamed into place unflushed; the caller flushes the whole file system once when its
    /// run ends ([`sync_file_system`]). A killed process still leaves only whole files (the
    /// kernel holds what was written); only a power cut before that flush could lose them. A
    /// batch of a thousand reports waits for one flush instead of a thousand (benches/README.md).
    /// Where the platform cannot flush a file system at once, this is [`Durability::Now`].
    AtEnd,
}

/// Writes several files as one: every file goes to a temporary file first, and only when all
/// were written are they moved into place. If moving one fails, the files already moved are
/// put back as they were, so the targets hold either all the new files or all the old ones.
pub fn write_all_atomic(files: &[(PathBuf, Vec<u8>)]) -> io::Result<()> {
    write_all_atomic_with(files, Durability::Now)
}

/// Flushes everything written to the file system that holds `dir` ([`Durability::AtEnd`]).
pub fn sync_file_system(dir: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        extern "C" {
            fn syncfs(fd: std::ffi::c_int) -> std::ffi::c_int;
        }
        let d = std::fs::File::open(dir)?;
        // SAFETY: syncfs only reads the descriptor, which `d` keeps open for the call.
        if unsafe { syncfs(d.as_raw_fd()) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = dir;
    Ok(())
}

/// [`write_all_atomic`] with a choice of when the files reach the disk.
pub fn write_all_atomic_with(files: &[(PathBuf, Vec<u8>)], when: Durability) -> io::Result<()> {
    // A link is followed to the file it names (the link stays a link); a device, a pipe or a
    // socket is written straight into, after the regular files — never renamed over.
    let mut regular = Vec::with_capacity(files.len());
    let mut through = vec![];
    for (path, bytes) in files {
        match resolve_target(path)? {
            Target::Regular(p) => regular.push((p, bytes)),
            Target::Through => through.push((path, bytes)),
        }
    }
    if through.is_empty() && regular.iter().zip(files).all(|((p, _), (f, _))| p == f) {
        write_regular(files, when)?;
    } else {
        let owned: Vec<(PathBuf, Vec<u8>)> =
            regular.into_iter().map(|(p, b)| (p, b.clone())).collect();
        write_regular(&owned, when)?;
    }
    for (path, bytes) in through {
        let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
        f.write_all(bytes)?;
        f.flush()?;
    }
    Ok(())
}

/// Where an output really goes.
enum Target {
    /// A regular file (new, or existing — perhaps behind a link): temporary file + rename.
    Regular(PathBuf),
    /// Not a regular file (a device such as /dev/stdout, a pipe): written into as it is.
    Through,
}

fn resolve_target(path: &Path) -> io::Result<Target> {
    let link = match path.symlink_metadata() {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Target::Regular(path.into())),
        Err(e) => return Err(e),
    };
    if link.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            format!("{} 是一个目录", path.display()),
        ));
    }
    if link.is_file() {
        return Ok(Target::Regular(path.into()));
    }
    if link.file_type().is_symlink() {
        return match path.metadata() {
            Ok(m) if m.is_dir() => Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                format!("{} 指向一个目录", path.display()),
            )),
            // The file the link names is replaced; the link itself stays.
            Ok(m) if m.is_file() => Ok(Target::Regular(path.canonicalize()?)),
            Ok(_) => Ok(Target::Through),
            Err(_) => Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{} 是一个指向不存在文件的链接，不写入", path.display()),
            )),
        };
    }
    Ok(Target::Through)
}

/// [`write_all_atomic_with`] for regular files.
fn write_regular(files: &[(PathBuf, Vec<u8>)], when: Durability) -> io::Result<()> {
    let flush_now = when == Durability::Now || !cfg!(target_os = "linux");
    let mut temps = Vec::with_capacity(files.len());
    let written = (|| {
        let mut open = Vec::with_capacity(files.len());
        for (path, bytes) in files {
            let tmp = temp_path(path)?;
            temps.push(tmp.clone());
            open.push(write_temp(&tmp, bytes)?);
        }
        if flush_now {
            sync_all(&open)
        } else {
            Ok(())
        }
    })();
    if let Err(e) = written {
        for t in &temps {
            let _ = std::fs::remove_file(t);
        }
        return Err(e);
    }
    // Old files step aside (to a backup beside them) until every new file is in place.
    let mut moved: Vec<(&Path, Option<PathBuf>)> = vec![];
    let mut result = Ok(());
    for ((path, _), tmp) in files.iter().zip(&temps) {
        let backup = if path.exists() {
            let b = PathBuf::from(format!("{}.bak", tmp.display()));
            if let Err(e) = std::fs::rename(path, &b) {
                result = Err(e);
                break;
            }
            Some(b)
        } else {
            None
        };
        match std::fs::rename(tmp, path) {
            Ok(()) => moved.push((path, backup)),
            Err(e) => {
                if let Some(b) = backup {
                    let _ = std::fs::rename(b, path);
                }
                result = Err(e);
                break;
            }
        }
    }
    match result {
        Ok(()) => {
            for (_, backup) in moved {
                if let Some(b) = backup {
                    let _ = std::fs::remove_file(b);
                }
            }
            Ok(())
        }
        Err(e) => {
            for (path, backup) in moved.into_iter().rev() {
                let _ = std::fs::remove_file(path);
                if let Some(b) = backup {
                    let _ = std::fs::rename(b, path);
                }
            }
            for t in &temps {
                let _ = std::fs::remove_file(t);
            }
            Err(e)
        }
    }
}

/// How old a temporary file of ours must be before it counts as left behind: a report's files
/// are written in well under a second, and another machine may be writing into a shared folder
/// under a process id that means nothing here.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Removes the temporary files a killed run left in `dir`: only regular files named as ours
/// (`.{name}.{pid}.xxgk.tmp`, or its `.bak`), of a process that no longer runs here, untouched for
/// a quarter of an hour. A user's own `.x.1.tmp`, or a file being written, is never touched.
/// Returns how many were removed.
pub fn remove_stale_temps(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let now = std::time::SystemTime::now();
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(stale_pid) else {
            continue;
        };
        let Ok(meta) = e.path().symlink_metadata() else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age >= STALE_AFTER);
        if meta.is_file()
            && old
            && pid != std::process::id()
            && !process_alive(pid)
            && std::fs::remove_file(e.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// The process id in a temporary file name of ours (`.{name}.{pid}.xxgk.tmp`, or its `.bak`).
fn stale_pid(name: &str) -> Option<u32> {
    let name = name.strip_suffix(".bak").unwrap_or(name);
    let inner = name.strip_prefix('.')?.strip_suffix(TEMP_MARK)?;
    let (_, pid) = inner.rsplit_once('.')?;
    pid.parse().ok()
}

/// Whether a process runs (Linux: `/proc/PID`; elsewhere assume it does, and keep the file).
fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// A short Chinese description of an I/O error.
pub fn io_message(e: &io::Error) -> String {
    let what = match e.kind() {
        io::ErrorKind::NotFound => "文件或目录不存在",
        io::ErrorKind::PermissionDenied => "没有权限",
        io::ErrorKind::AlreadyExists => "文件已存在",
        io::ErrorKind::IsADirectory => "这是一个目录",
        io::ErrorKind::NotADirectory => "不是目录",
        io::ErrorKind::StorageFull => "磁盘已满",
        io::ErrorKind::ReadOnlyFilesystem => "文件系统只读",
        io::ErrorKind::AddrInUse => "地址已被占用",
        io::ErrorKind::AddrNotAvailable => "本机没有这个地址",
        _ => "读写失败",
    };
    format!("{what}（{e}）")
}

/// `Path::canonicalize`, without Windows' verbatim prefix where the plain form names the same
/// file: on Windows `canonicalize` gives `\\?\Z:\…`, which every later message would show
/// (and some programs refuse), as dunce does.
pub fn canonical(p: &Path) -> io::Result<PathBuf> {
    let c = p.canonicalize()?;
    if cfg!(windows) {
        if let Some(plain) = c.to_str().and_then(without_verbatim_prefix) {
            return Ok(PathBuf::from(plain));
        }
    }
    Ok(c)
}

/// `\\?\C:\a` → `C:\a`, `\\?\UNC\server\share\a` → `\\server\share\a`; `None` when the path
/// has no such prefix or its plain form would mean something else to Windows: too long for the
/// plain API (260), a part ending in a dot or space (trimmed there), a device name
/// (`CON`, `NUL`, `COM1`…, with any extension), or a `/` (a separator there).
fn without_verbatim_prefix(s: &str) -> Option<String> {
    let plain = if let Some(rest) = s.strip_prefix(r"\\?\UNC\") {
        format!(r"\\{rest}")
    } else {
        let rest = s.strip_prefix(r"\\?\")?;
        let b = rest.as_bytes();
        if !(b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'\\') {
            return None;
        }
        rest.to_string()
    };
    const DEVICES: [&str; 4] = ["CON", "PRN", "AUX", "NUL"];
    let device = |part: &str| {
        let stem = part.split('.').next().unwrap_or(part).trim_end();
        let upper = stem.to_ascii_uppercase();
        DEVICES.contains(&upper.as_str())
            || ((upper.starts_with("COM") || upper.starts_with("LPT"))
                && upper.len() == 4
                && upper.as_bytes()[3].is_ascii_digit())
    };
    let parts_ok = plain
        .split('\\')
        .filter(|p| !p.is_empty())
        .skip(1) // the drive or server
        .all(|p| !p.ends_with('.') && !p.ends_with(' ') && !device(p));
    (plain.encode_utf16().count() < 260 && !plain.contains('/') && parts_ok).then_some(plain)
}

/// Whether two paths name the same file (the second need not exist yet).
pub fn same_file(a: &Path, b: &Path) -> bool {
    let canon = |p: &Path| -> Option<PathBuf> {
        if let Ok(c) = p.canonicalize() {
            return Some(c);
        }
        let parent = match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.canonicalize().ok()?,
            _ => std::env::current_dir().ok()?,
        };
        Some(parent.join(p.file_name()?))
    };
    matches!((canon(a), canon(b)), (Some(x), Some(y)) if x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_prefix_is_dropped_only_where_the_plain_path_is_the_same() {
        let plain = |s: &str| without_verbatim_prefix(s);
        assert_eq!(
            plain(r"\\?\Z:\报告\廊坊 2021.docx").as_deref(),
            Some(r"Z:\报告\廊坊 2021.docx")
        );
        assert_eq!(plain(r"\\?\C:\").as_deref(), Some(r"C:\"));
        assert_eq!(
            plain(r"\\?\UNC\srv\共享\a.xlsx").as_deref(),
            Some(r"\\srv\共享\a.xlsx")
        );
        // Not verbatim, or not a drive: as it is.
        assert_eq!(plain(r"Z:\a"), None);
        assert_eq!(plain(r"\\?\Volume{0000}\a"), None);
        // The plain form would name another file (or a device).
        assert_eq!(plain(r"\\?\C:\a.\b"), None);
        assert_eq!(plain(r"\\?\C:\a \b"), None);
        assert_eq!(plain(r"\\?\C:\x\nul.txt"), None);
        assert_eq!(plain(r"\\?\C:\x\com1"), None);
        assert_eq!(plain(r"\\?\C:\x\a/b"), None);
        assert_eq!(
            plain(r"\\?\C:\x\COMPANY"),
            Some(r"C:\x\COMPANY".to_string())
        );
        let long = |n| format!(r"\\?\C:\{}", "长".repeat(n));
        assert!(plain(&long(200)).is_some());
        assert_eq!(plain(&long(260)), None);
        // Elsewhere `canonical` is `canonicalize`.
        if !cfg!(windows) {
            let d = tempfile::tempdir().unwrap();
            assert_eq!(
                canonical(d.path()).unwrap(),
                d.path().canonicalize().unwrap()
            );
        }
    }

    #[test]
    fn writes_all_or_nothing_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        std::fs::write(&a, "old").unwrap();
        // The second target's folder does not exist: nothing is written, `a` keeps its text.
        let files = vec![
            (a.clone(), b"new".to_vec()),
            (dir.path().join("missing/b.txt"), b"b".to_vec()),
        ];
        assert!(write_all_atomic(&files).is_err());
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left");
    }

    #[test]
    fn only_old_temporary_files_of_ours_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let long_ago = std::time::SystemTime::now() - STALE_AFTER * 2;
        let make = |name: &str, old: bool| {
            let f = std::fs::File::create(d.join(name)).unwrap();
            if old {
                f.set_modified(long_ago).unwrap();
            }
        };
        // A pid far above any real one: ours, old — removed; ours, fresh (another machine on a
        // shared folder may be writing it) — kept.
        make(".a.pdf.4194999.xxgk.tmp", true);
        make(".c.pdf.4194999.xxgk.tmp", false);
        // A user's own hidden files that merely look alike.
        make(".a.pdf.4194999.tmp", true);
        make(".keep.tmp", true);
        make("b.pdf", true);
        assert_eq!(remove_stale_temps(d), 1);
        assert!(!d.join(".a.pdf.4194999.xxgk.tmp").exists());
        for kept in [
            ".c.pdf.4194999.xxgk.tmp",
            ".a.pdf.4194999.tmp",
            ".keep.tmp",
            "b.pdf",
        ] {
            assert!(d.join(kept).exists(), "{kept}");
        }
    }

    #[test]
    fn a_temporary_name_fits_where_the_name_fits() {
        let name = format!("{}.pdf", "报".repeat(83)); // 253 bytes
        let t = temp_path(&Path::new("/x").join(&name)).unwrap();
        let t = t.file_name().unwrap().to_str().unwrap();
        assert!(t.len() + ".bak".len() <= MAX_NAME_BYTES, "{}", t.len());
        assert!(t.ends_with(TEMP_MARK));
        assert_eq!(stale_pid(t), Some(std::process::id()));
    }

    #[cfg(unix)]
    #[test]
    fn links_devices_and_pipes_are_never_renamed_over() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("real.txt"), "old").unwrap();
        std::os::unix::fs::symlink(d.join("real.txt"), d.join("link.txt")).unwrap();
        write_atomic(&d.join("link.txt"), b"new").unwrap();
        assert!(d
            .join("link.txt")
            .symlink_metadata()
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(d.join("real.txt")).unwrap(), "new");
        // A device is written into: /dev/null stays the device it is.
        write_atomic(Path::new("/dev/null"), b"x").unwrap();
        assert!(!Path::new("/dev/null").metadata().unwrap().is_file());
        // A link to nothing is refused, not replaced.
        std::os::unix::fs::symlink(d.join("none"), d.join("dangling")).unwrap();
        assert!(write_atomic(&d.join("dangling"), b"x").is_err());
        assert!(d
            .join("dangling")
            .symlink_metadata()
            .unwrap()
            .file_type()
            .is_symlink());
    }

    #[test]
    fn same_file_sees_through_relative_paths() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.xlsx");
        std::fs::write(&a, "x").unwrap();
        assert!(same_file(&a, &dir.path().join(".").join("a.xlsx")));
        assert!(!same_file(&a, &dir.path().join("b.xlsx")));
    }
}

/// Paths and file names carried between processes exactly as the operating system gives them
/// (serde: raw bytes on Unix, UTF-16 units on Windows), so a name that is not UTF-8 — a GBK name
/// left by unzip — reaches a batch worker and comes back unchanged, never as `�`.
pub mod os_bytes {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::ffi::{OsStr, OsString};

    #[cfg(unix)]
    fn encode(s: &OsStr) -> Vec<u32> {
        use std::os::unix::ffi::OsStrExt;
        s.as_bytes().iter().map(|&b| u32::from(b)).collect()
    }
    #[cfg(unix)]
    fn decode(units: Vec<u32>) -> Option<OsString> {
        use std::os::unix::ffi::OsStringExt;
        let bytes: Option<Vec<u8>> = units.into_iter().map(|u| u8::try_from(u).ok()).collect();
        bytes.map(OsString::from_vec)
    }
    #[cfg(windows)]
    fn encode(s: &OsStr) -> Vec<u32> {
        use std::os::windows::ffi::OsStrExt;
        s.encode_wide().map(u32::from).collect()
    }
    #[cfg(windows)]
    fn decode(units: Vec<u32>) -> Option<OsString> {
        use std::os::windows::ffi::OsStringExt;
        let wide: Option<Vec<u16>> = units.into_iter().map(|u| u16::try_from(u).ok()).collect();
        wide.map(|w| OsString::from_wide(&w))
    }
    #[cfg(not(any(unix, windows)))]
    fn encode(s: &OsStr) -> Vec<u32> {
        s.to_string_lossy().chars().map(u32::from).collect()
    }
    #[cfg(not(any(unix, windows)))]
    fn decode(units: Vec<u32>) -> Option<OsString> {
        units
            .into_iter()
            .map(char::from_u32)
            .collect::<Option<String>>()
            .map(OsString::from)
    }

    /// A file name or path as its units.
    pub fn serialize<S: Serializer, T: AsRef<OsStr>>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        encode(v.as_ref()).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: From<OsString>>(d: D) -> Result<T, D::Error> {
        let units = Vec::<u32>::deserialize(d)?;
        decode(units)
            .map(T::from)
            .ok_or_else(|| serde::de::Error::custom("路径编码无效"))
    }

    /// The same for an optional path.
    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};
        use std::ffi::{OsStr, OsString};

        pub fn serialize<S: Serializer, T: AsRef<OsStr>>(
            v: &Option<T>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match v {
                Some(v) => s.serialize_some(&super::encode(v.as_ref())),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>, T: From<OsString>>(
            d: D,
        ) -> Result<Option<T>, D::Error> {
            match Option::<Vec<u32>>::deserialize(d)? {
                Some(units) => super::decode(units)
                    .map(|v| Some(T::from(v)))
                    .ok_or_else(|| serde::de::Error::custom("路径编码无效")),
                None => Ok(None),
            }
        }
    }
}
