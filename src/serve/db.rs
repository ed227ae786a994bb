//! The database: one SQLite file in the data folder (WAL, every commit flushed), its schema
//! raised step by step by `PRAGMA user_version`. Every query of the server is here.

use super::auth::{self, TokenHash};
use crate::batch::Figures;
use crate::diag::Diagnostic;
use crate::job::Status;
use crate::model::Report;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub type Result<T> = std::result::Result<T, rusqlite::Error>;

/// The schema, one step per version; a database at version n runs the steps after n.
const MIGRATIONS: &[&str] = &[
    // 1: units, their uploads, submissions, the office's settings and sessions.
    "CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE units(
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        token_hash BLOB NOT NULL UNIQUE,
        created INTEGER NOT NULL,
        revoked INTEGER NOT NULL DEFAULT 0);
     CREATE TABLE uploads(
        id INTEGER PRIMARY KEY,
        unit_id INTEGER NOT NULL REFERENCES units(id),
        year INTEGER NOT NULL,
        time INTEGER NOT NULL,
        file_name TEXT NOT NULL,
        size INTEGER NOT NULL,
        hash TEXT NOT NULL,
        ext TEXT NOT NULL,
        status TEXT NOT NULL,
        figures TEXT,
        result TEXT NOT NULL);
     CREATE INDEX uploads_by_unit ON uploads(unit_id, year, id);
     CREATE TABLE submissions(
        id INTEGER PRIMARY KEY,
        unit_id INTEGER NOT NULL REFERENCES units(id),
        year INTEGER NOT NULL,
        upload_id INTEGER NOT NULL REFERENCES uploads(id),
        time INTEGER NOT NULL,
        returned INTEGER,
        comment TEXT);
     CREATE INDEX submissions_by_unit ON submissions(unit_id, year, id);
     CREATE TABLE sessions(hash BLOB PRIMARY KEY, expires INTEGER NOT NULL);",
];

/// Opens (creating, migrating) the database of a data folder.
pub fn open(path: &Path) -> Result<Connection> {
    let c = Connection::open(path)?;
    c.busy_timeout(std::time::Duration::from_secs(10))?;
    // WAL: readers never wait for the writer; synchronous=FULL: a commit is on disk when it
    // returns (an upload is acknowledged only after its row is).
    c.pragma_update(None, "journal_mode", "WAL")?;
    c.pragma_update(None, "synchronous", "FULL")?;
    c.pragma_update(None, "foreign_keys", "ON")?;
    migrate(&c)?;
    Ok(c)
}

fn migrate(c: &Connection) -> Result<()> {
    let version: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let done = usize::try_from(version).unwrap_or(0);
    for (i, step) in MIGRATIONS.iter().enumerate().skip(done) {
        // One transaction per step: a step is there whole or not at all.
        c.execute_batch(&format!(
            "BEGIN IMMEDIATE; {step}; PRAGMA user_version = {}; COMMIT;",
            i + 1
        ))?;
    }
    Ok(())
}

pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

// --- Settings ---------------------------------------------------------------------------------

pub fn setting(c: &Connection, key: &str) -> Result<Option<String>> {
    c.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
        r.get(0)
    })
    .optional()
}

pub fn set_setting(c: &Connection, key: &str, value: &str) -> Result<()> {
    c.execute(
        "INSERT INTO settings(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

pub fn delete_setting(c: &Connection, key: &str) -> Result<()> {
    c.execute("DELETE FROM settings WHERE key = ?1", [key])?;
    Ok(())
}

pub const ADMIN_PASSWORD: &str = "admin_password";
pub const SETUP_TOKEN: &str = "setup_token";
pub const BASE_URL: &str = "base_url";

// --- Units ------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct Unit {
    pub id: i64,
    pub name: String,
    pub revoked: bool,
}

fn unit_row(r: &rusqlite::Row) -> Result<Unit> {
    Ok(Unit {
        id: r.get(0)?,
        name: r.get(1)?,
        revoked: r.get::<_, i64>(2)? != 0,
    })
}

/// Adds a unit with a new invite token; `None` when a unit of that name exists.
pub fn add_unit(c: &Connection, name: &str) -> Result<Option<(Unit, String)>> {
    let token = auth::new_token();
    let hash = auth::hash_token(&token);
    let n = c.execute(
        "INSERT OR IGNORE INTO units(name, token_hash, created) VALUES (?1, ?2, ?3)",
        params![name, &hash[..], now()],
    )?;
    if n == 0 {
        return Ok(None);
    }
    let unit = Unit {
        id: c.last_insert_rowid(),
        name: name.to_string(),
        revoked: false,
    };
    Ok(Some((unit, token)))
}

pub fn units(c: &Connection) -> Result<Vec<Unit>> {
    let mut st = c.prepare("SELECT id, name, revoked FROM units ORDER BY id")?;
    let rows = st.query_map([], unit_row)?;
    rows.collect()
}

pub fn unit(c: &Connection, id: i64) -> Result<Option<Unit>> {
    c.query_row(
        "SELECT id, name, revoked FROM units WHERE id = ?1",
        [id],
        unit_row,
    )
    .optional()
}

/// The live unit an invite token opens. The lookup is by the token's hash (an index can find
/// a hash, and knowing a hash gives no token); the found hash is compared again in constant time.
pub fn unit_by_token(c: &Connection, token: &str) -> Result<Option<Unit>> {
    let Some(hash) = auth::parse_token(token).map(|t| auth::hash_token(&t)) else {
        return Ok(None);
    };
    let found: Option<(Unit, Vec<u8>)> = c
        .query_row(
            "SELECT id, name, revoked, token_hash FROM units WHERE token_hash = ?1",
            [&hash[..]],
            |r| Ok((unit_row(r)?, r.get(3)?)),
        )
        .optional()?;
    Ok(found
        .filter(|(u, stored)| !u.revoked && auth::ct_eq(stored, &hash))
        .map(|(u, _)| u))
}

pub fn revoke_unit(c: &Connection, id: i64) -> Result<bool> {
    Ok(c.execute("UPDATE units SET revoked = 1 WHERE id = ?1", [id])? == 1)
}

/// A new invite token for a unit (the old link stops working); also lifts a revocation.
pub fn renew_unit(c: &Connection, id: i64) -> Result<Option<String>> {
    let token = auth::new_token();
    let hash: TokenHash = auth::hash_token(&token);
    let n = c.execute(
        "UPDATE units SET token_hash = ?1, revoked = 0 WHERE id = ?2",
        params![&hash[..], id],
    )?;
    Ok((n == 1).then_some(token))
}

// --- Uploads ----------------------------------------------------------------------------------

/// What the check of an upload found, kept with it (JSON in the `result` column).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Checked {
    pub status: Status,
    pub diagnostics: Vec<Diagnostic>,
    /// Documents made, file names in the upload's folder.
    pub documents: Vec<String>,
    /// The folder of its documents under `docs/` (a fresh random name per upload).
    #[serde(default)]
    pub folder: String,
    pub body: Option<(String, u16)>,
    pub figures: Option<Figures>,
    /// The report as read (its tables are drawn with the problems marked).
    pub report: Option<Report>,
}

#[derive(Debug, Clone)]
pub struct Upload {
    pub id: i64,
    pub unit_id: i64,
    pub year: u16,
    pub time: i64,
    pub file_name: String,
    pub size: i64,
    pub hash: String,
    pub ext: String,
    pub status: Status,
}

#[derive(Debug, Clone)]
pub struct NewUpload<'a> {
    pub unit_id: i64,
    pub year: u16,
    pub file_name: &'a str,
    pub size: i64,
    pub hash: &'a str,
    pub ext: &'a str,
}

fn status_text(s: Status) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn status_of(s: &str) -> Status {
    serde_json::from_value(serde_json::Value::String(s.to_string())).unwrap_or(Status::Crashed)
}

/// Records an upload and its result; the id it got. Committed (and on disk) when it returns.
pub fn add_upload(c: &Connection, u: &NewUpload, checked: &Checked) -> Result<i64> {
    let result = to_json(checked)?;
    // The key figures apart, so the office's table reads them without the whole result.
    let figures = match &checked.figures {
        Some(f) => Some(to_json(f)?),
        None => None,
    };
    c.execute(
        "INSERT INTO uploads(unit_id, year, time, file_name, size, hash, ext, status, result,
                             figures)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            u.unit_id,
            u.year,
            now(),
            u.file_name,
            u.size,
            u.hash,
            u.ext,
            status_text(checked.status),
            result,
            figures
        ],
    )?;
    Ok(c.last_insert_rowid())
}

/// Replaces an upload's result (its documents, made after it was answered).
pub fn set_result(c: &Connection, id: i64, checked: &Checked) -> Result<()> {
    let figures = match &checked.figures {
        Some(f) => Some(to_json(f)?),
        None => None,
    };
    c.execute(
        "UPDATE uploads SET status = ?1, result = ?2, figures = ?3 WHERE id = ?4",
        params![status_text(checked.status), to_json(checked)?, figures, id],
    )?;
    Ok(())
}

const UPLOAD_COLUMNS: &str = "id, unit_id, year, time, file_name, size, hash, ext, status";

fn upload_row(r: &rusqlite::Row) -> Result<Upload> {
    Ok(Upload {
        id: r.get(0)?,
        unit_id: r.get(1)?,
        year: r.get(2)?,
        time: r.get(3)?,
        file_name: r.get(4)?,
        size: r.get(5)?,
        hash: r.get(6)?,
        ext: r.get(7)?,
        status: status_of(&r.get::<_, String>(8)?),
    })
}

/// A unit's uploads for a year, newest first.
pub fn uploads(c: &Connection, unit_id: i64, year: u16) -> Result<Vec<Upload>> {
    let mut st = c.prepare(&format!(
        "SELECT {UPLOAD_COLUMNS} FROM uploads WHERE unit_id = ?1 AND year = ?2 ORDER BY id DESC"
    ))?;
    let rows = st.query_map(params![unit_id, year], upload_row)?;
    rows.collect()
}

/// One upload of one unit (another unit's upload is not found).
pub fn upload(c: &Connection, unit_id: i64, id: i64) -> Result<Option<(Upload, Checked)>> {
    c.query_row(
        &format!("SELECT {UPLOAD_COLUMNS}, result FROM uploads WHERE id = ?1 AND unit_id = ?2"),
        params![id, unit_id],
        |r| {
            let u = upload_row(r)?;
            let text: String = r.get(9)?;
            let checked = serde_json::from_str(&text).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    9,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })?;
            Ok((u, checked))
        },
    )
    .optional()
}

// --- Submissions ------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct Submission {
    pub id: i64,
    pub upload_id: i64,
    pub time: i64,
    /// When the office sent it back, and why.
    pub returned: Option<i64>,
    pub comment: Option<String>,
}

pub fn submit(c: &Connection, unit_id: i64, year: u16, upload_id: i64) -> Result<i64> {
    c.execute(
        "INSERT INTO submissions(unit_id, year, upload_id, time) VALUES (?1, ?2, ?3, ?4)",
        params![unit_id, year, upload_id, now()],
    )?;
    Ok(c.last_insert_rowid())
}

/// The unit's latest submission for the year.
pub fn submission(c: &Connection, unit_id: i64, year: u16) -> Result<Option<Submission>> {
    c.query_row(
        "SELECT id, upload_id, time, returned, comment FROM submissions
         WHERE unit_id = ?1 AND year = ?2 ORDER BY id DESC LIMIT 1",
        params![unit_id, year],
        |r| {
            Ok(Submission {
                id: r.get(0)?,
                upload_id: r.get(1)?,
                time: r.get(2)?,
                returned: r.get(3)?,
                comment: r.get(4)?,
            })
        },
    )
    .optional()
}

/// Sends the unit's current submission back with a comment; false when there is none.
pub fn return_submission(c: &Connection, unit_id: i64, year: u16, comment: &str) -> Result<bool> {
    let Some(s) = submission(c, unit_id, year)? else {
        return Ok(false);
    };
    if s.returned.is_some() {
        return Ok(false);
    }
    c.execute(
        "UPDATE submissions SET returned = ?1, comment = ?2 WHERE id = ?3",
        params![now(), comment, s.id],
    )?;
    Ok(true)
}

// --- The state of a unit ----------------------------------------------------------------------

/// The five states of a unit's report for a year, as the office's table shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum State {
    NotUploaded,
    HasErrors,
    Passed,
    Submitted,
    Returned,
}

impl State {
    pub fn chinese(self) -> &'static str {
        match self {
            State::NotUploaded => "未上传",
            State::HasErrors => "有错误",
            State::Passed => "已通过",
            State::Submitted => "已提交",
            State::Returned => "已退回",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            State::NotUploaded => "s-none",
            State::HasErrors => "s-bad",
            State::Passed => "s-ok",
            State::Submitted => "s-sub",
            State::Returned => "s-ret",
        }
    }
}

/// A unit's standing for a year: its state, the upload the figures come from, the last upload.
#[derive(Debug, Clone)]
pub struct Standing {
    pub state: State,
    pub last: Option<Upload>,
    pub submission: Option<Submission>,
    /// The submitted upload's figures, else the last upload's.
    pub figures: Option<Figures>,
}

pub fn standing(c: &Connection, unit_id: i64, year: u16) -> Result<Standing> {
    let last = c
        .query_row(
            &format!(
                "SELECT {UPLOAD_COLUMNS} FROM uploads WHERE unit_id = ?1 AND year = ?2
                 ORDER BY id DESC LIMIT 1"
            ),
            params![unit_id, year],
            upload_row,
        )
        .optional()?;
    let submission = submission(c, unit_id, year)?;
    let state = match (&last, &submission) {
        (_, Some(s)) if s.returned.is_none() => State::Submitted,
        (Some(l), Some(s)) if l.id <= s.upload_id => State::Returned,
        (None, _) => State::NotUploaded,
        (Some(l), _) if l.status.is_good() => State::Passed,
        (Some(_), _) => State::HasErrors,
    };
    let figure_upload = match (&submission, &last) {
        (Some(s), _) if s.returned.is_none() => Some(s.upload_id),
        (_, Some(l)) => Some(l.id),
        _ => None,
    };
    let figures = match figure_upload {
        Some(id) => c
            .query_row(
                "SELECT figures FROM uploads WHERE id = ?1 AND unit_id = ?2",
                params![id, unit_id],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?
            .flatten()
            .and_then(|f| serde_json::from_str(&f).ok()),
        None => None,
    };
    Ok(Standing {
        state,
        last,
        submission,
        figures,
    })
}

/// Every unit with its standing for a year (the office's table), in the order they were added.
pub fn table(c: &Connection, year: u16) -> Result<Vec<(Unit, Standing)>> {
    let mut out = vec![];
    for u in units(c)? {
        let s = standing(c, u.id, year)?;
        out.push((u, s));
    }
    Ok(out)
}

/// The submitted (not returned) uploads of a year: unit, upload.
pub fn submitted(c: &Connection, year: u16) -> Result<Vec<(Unit, Upload)>> {
    let mut out = vec![];
    for u in units(c)? {
        if let Some(s) = submission(c, u.id, year)? {
            if s.returned.is_none() {
                if let Some((up, _)) = upload(c, u.id, s.upload_id)? {
                    out.push((u, up));
                }
            }
        }
    }
    Ok(out)
}

// --- Sessions ---------------------------------------------------------------------------------

pub fn add_session(c: &Connection, hash: &TokenHash, expires: i64) -> Result<()> {
    c.execute("DELETE FROM sessions WHERE expires < ?1", [now()])?;
    c.execute(
        "INSERT INTO sessions(hash, expires) VALUES (?1, ?2)",
        params![&hash[..], expires],
    )?;
    Ok(())
}

pub fn session_valid(c: &Connection, hash: &TokenHash) -> Result<bool> {
    let found: Option<Vec<u8>> = c
        .query_row(
            "SELECT hash FROM sessions WHERE hash = ?1 AND expires > ?2",
            params![&hash[..], now()],
            |r| r.get(0),
        )
        .optional()?;
    Ok(found.is_some_and(|f| auth::ct_eq(&f, hash)))
}

pub fn delete_session(c: &Connection, hash: &TokenHash) -> Result<()> {
    c.execute("DELETE FROM sessions WHERE hash = ?1", [&hash[..]])?;
    Ok(())
}

/// A consistent copy of the database at `to` while the server may be writing (SQLite's online
/// backup: the copy is one committed state).
pub fn backup(c: &Connection, to: &Path) -> Result<()> {
    c.backup(rusqlite::MAIN_DB, to, None)
}

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}
