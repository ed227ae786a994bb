//! `xxgk serve`: a small web application for a city's 政务公开办 and its departments, in the
//! same binary (docs/SERVE.md). Everything it keeps lives in one data folder ([`store`]): a
//! SQLite database ([`db`]) and the uploaded files by content hash. Each department reaches its
//! page through an invite link; the office logs in with one password ([`auth`]). Every upload
//! goes through the one job pipeline in a batch worker process ([`check`]); the office's export
//! is a `xxgk batch` run over the submitted files ([`export`]).
//!
//! The only asynchronous code of the crate is here (axum on a small tokio runtime); the
//! library it calls stays synchronous and runs on blocking threads or in worker processes.

pub mod auth;
pub mod check;
pub mod db;
pub mod export;
pub mod pages;
mod routes;
pub mod store;

use crate::output::io_message;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// How the server is started.
#[derive(Debug, Clone)]
pub struct Config {
    pub data: PathBuf,
    pub listen: SocketAddr,
    /// The address people reach the server at (behind a reverse proxy: its `https://…`);
    /// invite links start with it. `None`: `http://{listen}`.
    pub url: Option<String>,
    /// The report year the pages are for.
    pub year: u16,
    /// The largest upload accepted, in bytes.
    pub max_upload: usize,
    /// The executable to check uploads in (`xxgk` itself, as `xxgk __batch-worker`); `None`
    /// checks in the server's process (no isolation).
    pub worker: Option<PathBuf>,
    /// Uploads checked at once (the others wait their turn).
    pub parallel: usize,
}

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_MAX_UPLOAD: usize = 20 << 20;

/// What the handlers share.
pub struct App {
    pub store: store::Store,
    pub db: Mutex<rusqlite::Connection>,
    pub checker: check::Checker,
    pub year: u16,
    pub url: String,
    pub max_upload: usize,
    pub limiter: auth::RateLimit,
    pub worker: Option<PathBuf>,
}

/// Opens a data folder: its folders and its database (created and migrated when needed).
pub fn open(data: &Path) -> Result<(store::Store, rusqlite::Connection), String> {
    let s = store::Store::open(data)
        .map_err(|e| format!("无法使用数据目录 {}：{}", data.display(), io_message(&e)))?;
    let c = db::open(&s.db()).map_err(|e| format!("无法打开数据库 {}：{e}", s.db().display()))?;
    Ok((s, c))
}

/// The base of invite links for commands run beside the server (`units add`): what the
/// server last said it is reached at.
pub fn base_url(c: &rusqlite::Connection, given: Option<&str>) -> String {
    given
        .map(str::to_string)
        .or_else(|| db::setting(c, db::BASE_URL).ok().flatten())
        .unwrap_or_else(|| format!("http://{DEFAULT_LISTEN}"))
        .trim_end_matches('/')
        .to_string()
}

pub fn invite_url(base: &str, token: &str) -> String {
    format!("{base}/u/{token}")
}

/// Units added (name, invite URL) and names that were there already.
pub type Added = (Vec<(String, String)>, Vec<String>);

/// Adds units by name (trimmed, blank lines and duplicates skipped): the new ones with their
/// invite URLs, and the names that were there already.
pub fn add_units(c: &rusqlite::Connection, base: &str, names: &[String]) -> Result<Added, String> {
    let mut added = vec![];
    let mut skipped = vec![];
    for n in names {
        let n = n.trim();
        if n.is_empty() {
            continue;
        }
        if n.chars().count() > 100 || n.chars().any(char::is_control) {
            return Err(format!(
                "单位名称“{}”过长或含控制字符",
                n.chars().take(100).collect::<String>()
            ));
        }
        match db::add_unit(c, n).map_err(|e| format!("数据库错误：{e}"))? {
            Some((_, token)) => added.push((n.to_string(), invite_url(base, &token))),
            None => skipped.push(n.to_string()),
        }
    }
    Ok((added, skipped))
}

/// Runs the server until it is stopped (Ctrl+C, SIGTERM). `ready` is told the address bound
/// and the set-up link (when no admin password is set yet), before requests are served.
pub fn run(
    cfg: Config,
    ready: impl FnOnce(SocketAddr, &str, Option<String>),
) -> Result<(), String> {
    let (store, conn) = open(&cfg.data)?;
    store.clear_leftovers();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(64)
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| format!("无法启动：{e}"))?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(cfg.listen)
            .await
            .map_err(|e| format!("无法监听 {}：{}", cfg.listen, io_message(&e)))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let url = cfg
            .url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"))
            .trim_end_matches('/')
            .to_string();
        db::set_setting(&conn, db::BASE_URL, &url).map_err(|e| format!("数据库错误：{e}"))?;
        // The first start (no password yet): a one-time link to set it, printed for whoever
        // started the server. A new start makes a new link (the old one stops working).
        let setup = match db::setting(&conn, db::ADMIN_PASSWORD) {
            Ok(Some(_)) => None,
            _ => {
                let token = auth::new_token();
                db::set_setting(
                    &conn,
                    db::SETUP_TOKEN,
                    &auth::hex(&auth::hash_token(&token)),
                )
                .map_err(|e| format!("数据库错误：{e}"))?;
                Some(format!("{url}/setup/{token}"))
            }
        };
        let app = Arc::new(App {
            checker: check::Checker::new(
                cfg.worker.clone(),
                &store.root.join("files"),
                &store.root.join("docs"),
                cfg.parallel,
            ),
            store,
            db: Mutex::new(conn),
            year: cfg.year,
            url: url.clone(),
            max_upload: cfg.max_upload,
            limiter: auth::RateLimit::default(),
            worker: cfg.worker.clone(),
        });
        ready(addr, &url, setup);
        let router = routes::router(app);
        serve_connections(listener, router).await;
        Ok(())
    })
}

/// How long a client may take to send a request's head (a browser sends it at once): a
/// connection that dribbles its header lines, or sits idle between requests, is closed.
pub const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Accepts connections until stopped, then lets the requests under way finish (for at most
/// a minute). hyper's own loop rather than `axum::serve`, which has no header timeout.
async fn serve_connections(listener: tokio::net::TcpListener, router: axum::Router) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut stop = std::pin::pin!(stopped());
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors and the like: wait instead of spinning.
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<_>| {
            use tower::Service;
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
            let mut router = router.clone();
            async move { router.call(req).await }
        });
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_TIMEOUT)
            .serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(60), graceful.shutdown()).await;
}

async fn stopped() {
    let stop = Arc::new(tokio::sync::Notify::new());
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        for kind in [SignalKind::terminate(), SignalKind::interrupt()] {
            if let Ok(mut s) = signal(kind) {
                let stop = stop.clone();
                tokio::spawn(async move {
                    s.recv().await;
                    stop.notify_one();
                });
            }
        }
    }
    #[cfg(not(unix))]
    {
        let stop = stop.clone();
        tokio::spawn(async move {
            let _ = tokio::signal::ctrl_c().await;
            stop.notify_one();
        });
    }
    stop.notified().await;
}
