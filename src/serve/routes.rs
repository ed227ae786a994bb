//! The HTTP side: routes, the guards every request passes (cross-site refusal, security
//! headers) and the handlers. The database and the checks run on blocking threads.

use super::db::{self, Checked, Unit, Upload};
use super::{auth, export, pages, App};
use crate::diag::{JsonFile, JsonReport};
use crate::render::Format;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Multipart, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};

type Shared = Arc<App>;

const SESSION_COOKIE: &str = "xxgk_admin";
const SESSION_HOURS: i64 = 12;
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(600);

pub fn router(app: Shared) -> Router {
    let upload_limit = DefaultBodyLimit::max(app.max_upload + (1 << 20));
    Router::new()
        .route("/", get(|| async { Redirect::to("/admin") }))
        .route("/static/site.css", get(css))
        .route("/static/app.js", get(js))
        .route("/setup/{token}", get(setup_page).post(setup_post))
        .route("/admin", get(office))
        .route("/admin/login", get(login_page).post(login_post))
        .route("/admin/logout", post(logout))
        .route(
            "/admin/units",
            post(add_units).layer(DefaultBodyLimit::max(8 << 20)),
        )
        .route("/admin/units/{id}", get(office_unit))
        .route("/admin/units/{id}/uploads/{upload}", get(office_upload))
        .route(
            "/admin/units/{id}/uploads/{upload}/{ext}",
            get(office_document),
        )
        .route("/admin/units/{id}/revoke", post(revoke))
        .route("/admin/units/{id}/renew", post(renew))
        .route("/admin/units/{id}/return", post(send_back))
        .route("/admin/export.zip", get(export_zip))
        .route("/u/{token}", get(unit_page))
        .route("/u/{token}/template.xlsx", get(template))
        .route("/u/{token}/upload", post(upload).layer(upload_limit))
        .route("/u/{token}/uploads/{upload}", get(unit_upload))
        .route("/u/{token}/uploads/{upload}/{ext}", get(unit_document))
        .route("/u/{token}/submit", post(submit))
        .fallback(|| async { not_found() })
        .layer(DefaultBodyLimit::max(1 << 20))
        .layer(middleware::from_fn(guard))
        // An upload that stops sending for a minute is ended (read as an interrupted upload).
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            BODY_IDLE_TIMEOUT,
        ))
        .layer(
            tower_http::compression::CompressionLayer::new()
                .compress_when(DefaultPredicate::new().and(compressible as fn(_, _, &_, &_) -> _)),
        )
        .with_state(app)
}

const BODY_IDLE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Pages, styles, scripts and JSON are gzip'ed for a client that asks; documents and zips are
/// sent as they are (already compressed, or not worth the CPU).
fn compressible(
    _: StatusCode,
    _: axum::http::Version,
    h: &HeaderMap,
    _: &axum::http::Extensions,
) -> bool {
    h.get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/") || t.starts_with("application/json"))
}

// --- Guards -----------------------------------------------------------------------------------

/// The page's policy: scripts only from this server (none inline), nothing framed, no
/// referrer (an invite link in a Referer header would hand it to another site).
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Every request: a state-changing one from another site is refused (the browser says where
/// it comes from in `Sec-Fetch-Site`, or at least in `Origin`); every answer gets the security
/// headers.
async fn guard(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let mut res = if !safe && cross_site(req.headers()) {
        page(
            StatusCode::FORBIDDEN,
            "请求被拒绝",
            "这个请求来自其他网站，已拒绝。请直接在本系统的页面上操作。",
        )
    } else {
        // No request holds a connection for ever (a client that sends its upload a byte a
        // minute); the longest honest one is the office's zip.
        match tokio::time::timeout(REQUEST_TIMEOUT, next.run(req)).await {
            Ok(r) => r,
            Err(_) => page(
                StatusCode::SERVICE_UNAVAILABLE,
                "处理超时",
                "这个请求处理得太久，已停止。请稍后再试。",
            ),
        }
    };
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Whether a request comes from a page of another site. Scripts (curl) send neither header
/// and are let through: they carry no browser's cookies.
pub fn cross_site(h: &HeaderMap) -> bool {
    if let Some(site) = h.get("sec-fetch-site") {
        return !matches!(site.to_str(), Ok("same-origin" | "none"));
    }
    if let Some(origin) = h.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("null");
        let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
        let origin_host = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"));
        return origin_host.is_none() || origin_host != host;
    }
    false
}

// --- Answers ----------------------------------------------------------------------------------

fn page(status: StatusCode, title: &str, text: &str) -> Response {
    (status, Html(pages::message(title, text))).into_response()
}

fn not_found() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "页面不存在",
        "找不到这个页面。链接可能有误、已停用或已重新生成，请向政务公开办索取新的链接。",
    )
}

fn server_error(what: &str) -> Response {
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "服务器出错",
        &format!("{what}。请稍后再试，或联系系统管理员。"),
    )
}

fn json_error(status: StatusCode, msg: &str) -> Response {
    json_answer(status, &serde_json::json!({ "error": msg }))
}

fn json_answer(status: StatusCode, v: &serde_json::Value) -> Response {
    let body = serde_json::to_string_pretty(v).unwrap_or_default();
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

fn wants_json(h: &HeaderMap) -> bool {
    h.get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"))
}

/// Runs `f` on the database on a blocking thread.
async fn with_db<T: Send + 'static>(
    app: &Shared,
    f: impl FnOnce(&rusqlite::Connection) -> db::Result<T> + Send + 'static,
) -> Result<T, Response> {
    let app = app.clone();
    let joined = tokio::task::spawn_blocking(move || {
        let c = app.db.lock().unwrap_or_else(|e| e.into_inner());
        f(&c)
    })
    .await;
    match joined {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(server_error(&format!("数据库错误：{e}"))),
        Err(_) => Err(server_error("处理请求时出错")),
    }
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        include_str!("static/site.css"),
    )
        .into_response()
}

async fn js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        include_str!("static/app.js"),
    )
        .into_response()
}

fn year_of(q: &HashMap<String, String>, default: u16) -> u16 {
    q.get("year")
        .and_then(|y| y.trim().parse::<u16>().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or(default)
}

// --- The office: set-up, login ----------------------------------------------------------------

async fn setup_valid(app: &Shared, token: String) -> Result<bool, Response> {
    let Some(t) = auth::parse_token(&token) else {
        return Ok(false);
    };
    let want = auth::hex(&auth::hash_token(&t));
    with_db(app, move |c| {
        if db::setting(c, db::ADMIN_PASSWORD)?.is_some() {
            return Ok(false);
        }
        Ok(db::setting(c, db::SETUP_TOKEN)?
            .is_some_and(|stored| auth::ct_eq(stored.as_bytes(), want.as_bytes())))
    })
    .await
}

async fn setup_page(State(app): State<Shared>, Path(token): Path<String>) -> Response {
    match setup_valid(&app, token.clone()).await {
        Ok(true) => Html(pages::setup(&token, None)).into_response(),
        Ok(false) => not_found(),
        Err(r) => r,
    }
}

async fn setup_post(
    State(app): State<Shared>,
    Path(token): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    match setup_valid(&app, token.clone()).await {
        Ok(true) => {}
        Ok(false) => return not_found(),
        Err(r) => return r,
    }
    let pw = f.get("password").cloned().unwrap_or_default();
    let pw2 = f.get("password2").cloned().unwrap_or_default();
    let error = if pw.chars().count() < 10 {
        Some("密码至少要 10 个字符")
    } else if pw != pw2 {
        Some("两次输入的密码不一致")
    } else if pw.len() > 1024 {
        Some("密码过长")
    } else {
        None
    };
    if let Some(e) = error {
        return (StatusCode::BAD_REQUEST, Html(pages::setup(&token, Some(e)))).into_response();
    }
    let Ok(Ok(phc)) = tokio::task::spawn_blocking(move || auth::hash_password(&pw)).await else {
        return server_error("无法计算密码摘要");
    };
    let r = with_db(&app, move |c| {
        db::set_setting(c, db::ADMIN_PASSWORD, &phc)?;
        db::delete_setting(c, db::SETUP_TOKEN)
    })
    .await;
    if let Err(r) = r {
        return r;
    }
    start_session(&app).await
}

async fn start_session(app: &Shared) -> Response {
    let token = auth::new_token();
    let hash = auth::hash_token(&token);
    let expires = db::now() + SESSION_HOURS * 3600;
    if let Err(r) = with_db(app, move |c| db::add_session(c, &hash, expires)).await {
        return r;
    }
    let cookie = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        SESSION_HOURS * 3600,
        if app.url.starts_with("https://") {
            "; Secure"
        } else {
            ""
        }
    );
    let mut r = see_other("/admin");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

fn session_token(h: &HeaderMap) -> Option<String> {
    h.get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .and_then(|(_, v)| auth::parse_token(v))
}

/// Whether the request carries a live admin session; `Err` is the answer otherwise (the login
/// page for a browser).
async fn admin(app: &Shared, h: &HeaderMap) -> Result<(), Response> {
    let Some(t) = session_token(h) else {
        return Err(see_other("/admin/login"));
    };
    let hash = auth::hash_token(&t);
    if with_db(app, move |c| db::session_valid(c, &hash)).await? {
        Ok(())
    } else {
        Err(see_other("/admin/login"))
    }
}

async fn login_page() -> Response {
    Html(pages::login(None)).into_response()
}

async fn login_post(
    State(app): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let ip = peer.ip();
    if let Some(wait) = app.limiter.blocked(ip) {
        let minutes = wait.as_secs().div_ceil(60).max(1);
        let msg = format!("登录失败次数过多，请 {minutes} 分钟后再试。");
        return (
            StatusCode::TOO_MANY_REQUESTS,
            Html(pages::login(Some(&msg))),
        )
            .into_response();
    }
    let pw = f.get("password").cloned().unwrap_or_default();
    let stored = match with_db(&app, |c| db::setting(c, db::ADMIN_PASSWORD)).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let ok = match stored {
        Some(phc) if pw.len() <= 1024 => {
            tokio::task::spawn_blocking(move || auth::verify_password(&pw, &phc))
                .await
                .unwrap_or(false)
        }
        _ => false,
    };
    if !ok {
        app.limiter.failed(ip);
        return (
            StatusCode::UNAUTHORIZED,
            Html(pages::login(Some("密码错误。"))),
        )
            .into_response();
    }
    app.limiter.succeeded(ip);
    start_session(&app).await
}

async fn logout(State(app): State<Shared>, h: HeaderMap) -> Response {
    if let Some(t) = session_token(&h) {
        let hash = auth::hash_token(&t);
        let _ = with_db(&app, move |c| db::delete_session(c, &hash)).await;
    }
    let mut r = see_other("/admin/login");
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("xxgk_admin=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    r
}

// --- The office: units ------------------------------------------------------------------------

async fn office(
    State(app): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Err(r) = admin(&app, &h).await {
        return r;
    }
    let year = year_of(&q, app.year);
    match with_db(&app, move |c| db::table(c, year)).await {
        Ok(rows) => Html(pages::office(year, &rows)).into_response(),
        Err(r) => r,
    }
}

/// Names from an uploaded list: a workbook's first column, or the lines of a text file (the
/// first field of a CSV line).
fn names_of_sheet(bytes: &[u8]) -> Result<Vec<String>, String> {
    if bytes.starts_with(b"PK") {
        use calamine::Reader;
        let mut wb: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
                .map_err(|e| format!("无法读取名单工作簿：{e}"))?;
        let range = wb
            .worksheet_range_at(0)
            .ok_or("名单工作簿没有工作表")?
            .map_err(|e| format!("无法读取名单工作簿：{e}"))?;
        Ok(range
            .rows()
            .filter_map(|r| r.first().map(|c| c.to_string()))
            .collect())
    } else {
        let text = std::str::from_utf8(bytes).map_err(|_| "名单文件不是 UTF-8 文本".to_string())?;
        Ok(text
            .trim_start_matches('\u{feff}')
            .lines()
            .map(|l| {
                l.split(',')
                    .next()
                    .unwrap_or("")
                    .trim_matches('"')
                    .to_string()
            })
            .collect())
    }
}

async fn add_units(State(app): State<Shared>, h: HeaderMap, mut mp: Multipart) -> Response {
    if let Err(r) = admin(&app, &h).await {
        return r;
    }
    let mut names: Vec<String> = vec![];
    loop {
        match mp.next_field().await {
            Ok(Some(f)) => {
                let field = f.name().unwrap_or("").to_string();
                let Ok(bytes) = f.bytes().await else {
                    return page(StatusCode::BAD_REQUEST, "无法读取", "表单无法读取。");
                };
                match field.as_str() {
                    "names" => {
                        names.extend(String::from_utf8_lossy(&bytes).lines().map(str::to_string))
                    }
                    "sheet" if !bytes.is_empty() => match names_of_sheet(&bytes) {
                        Ok(n) => names.extend(n),
                        Err(e) => return page(StatusCode::BAD_REQUEST, "名单无法读取", &e),
                    },
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(_) => return page(StatusCode::BAD_REQUEST, "无法读取", "表单无法读取。"),
        }
    }
    // The header of a list ("单位名称") is not a unit.
    names.retain(|n| !matches!(n.trim(), "单位" | "单位名称" | "名称" | "机关" | "机关名称"));
    let base = app.url.clone();
    let r = tokio::task::spawn_blocking({
        let app = app.clone();
        move || {
            let c = app.db.lock().unwrap_or_else(|e| e.into_inner());
            super::add_units(&c, &base, &names)
        }
    })
    .await;
    match r {
        Ok(Ok((added, skipped))) => {
            Html(pages::links("已添加单位", &added, &skipped)).into_response()
        }
        Ok(Err(e)) => page(StatusCode::BAD_REQUEST, "无法添加", &e),
        Err(_) => server_error("处理请求时出错"),
    }
}

async fn unit_by_id(app: &Shared, id: i64) -> Result<Unit, Response> {
    with_db(app, move |c| db::unit(c, id))
        .await?
        .ok_or_else(not_found)
}

async fn office_unit(
    State(app): State<Shared>,
    h: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    office_unit_page(app, h, id, None, q).await
}

async fn office_upload(
    State(app): State<Shared>,
    h: HeaderMap,
    Path((id, upload)): Path<(i64, i64)>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    office_unit_page(app, h, id, Some(upload), q).await
}

async fn office_unit_page(
    app: Shared,
    h: HeaderMap,
    id: i64,
    upload: Option<i64>,
    q: HashMap<String, String>,
) -> Response {
    if let Err(r) = admin(&app, &h).await {
        return r;
    }
    let year = year_of(&q, app.year);
    let unit = match unit_by_id(&app, id).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    // The office sees the submitted version by default.
    let r = with_db(&app, move |c| view(c, id, year, upload, true)).await;
    match r {
        Ok((_, _, None)) if upload.is_some() => not_found(),
        Ok((standing, uploads, shown)) => Html(pages::office_unit(
            &unit,
            year,
            &standing,
            &uploads,
            shown.as_ref().map(|(u, c)| (u, c)),
        ))
        .into_response(),
        Err(r) => r,
    }
}

/// What a unit's page shows, for the office or the unit: its standing, its uploads and one
/// upload with its check (the one asked for; else the submitted one when `submitted_first`
/// and there is one not returned; else the last).
type View = (
    db::Standing,
    Vec<db::Upload>,
    Option<(db::Upload, db::Checked)>,
);

fn view(
    c: &rusqlite::Connection,
    id: i64,
    year: u16,
    upload: Option<i64>,
    submitted_first: bool,
) -> db::Result<View> {
    let standing = db::standing(c, id, year)?;
    let uploads = db::uploads(c, id, year)?;
    let submitted = standing
        .submission
        .as_ref()
        .filter(|s| submitted_first && s.returned.is_none())
        .map(|s| s.upload_id);
    let shown = match upload
        .or(submitted)
        .or_else(|| uploads.first().map(|u| u.id))
    {
        Some(u) => db::upload(c, id, u)?,
        None => None,
    };
    Ok((standing, uploads, shown))
}

async fn office_document(
    State(app): State<Shared>,
    h: HeaderMap,
    Path((id, upload, ext)): Path<(i64, i64, String)>,
) -> Response {
    if let Err(r) = admin(&app, &h).await {
        return r;
    }
    let unit = match unit_by_id(&app, id).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    document(&app, &unit, upload, &ext).await
}

async fn revoke(State(app): State<Shared>, h: HeaderMap, Path(id): Path<i64>) -> Response {
    if let Err(r) = admin(&app, &h).await {
        return r;
    }
    match with_db(&app, move |c| db::revoke_unit(c, id)).await {
        Ok(true) => see_other(&format!("/admin/units/{id}")),
        Ok(false) => not_found(),
        Err(r) => r,
    }
}

async fn renew(State(app): State<Shared>, h: HeaderMap, Path(id): Path<i64>) -> Response {
    if let Err(r) = admin(&app, &h).await {
        return r;
    }
    let unit = match unit_by_id(&app, id).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    match with_db(&app, move |c| db::renew_unit(c, id)).await {
        Ok(Some(token)) => {
            let url = super::invite_url(&app.url, &token);
            Html(pages::links("已重新生成链接", &[(unit.name, url)], &[])).into_response()
        }
        Ok(None) => not_found(),
        Err(r) => r,
    }
}

async fn send_back(
    State(app): State<Shared>,
    h: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = admin(&app, &h).await {
        return r;
    }
    let year = year_of(&q, app.year);
    let comment: String = f
        .get("comment")
        .map(|c| c.trim().chars().take(2000).collect())
        .unwrap_or_default();
    if comment.is_empty() {
        return page(
            StatusCode::BAD_REQUEST,
            "请填写退回意见",
            "退回时须写明意见，单位会看到它。",
        );
    }
    match with_db(&app, move |c| db::return_submission(c, id, year, &comment)).await {
        Ok(true) => see_other(&format!("/admin/units/{id}?year={year}")),
        Ok(false) => page(
            StatusCode::CONFLICT,
            "无法退回",
            "这个单位当前没有已提交的报告。",
        ),
        Err(r) => r,
    }
}

async fn export_zip(
    State(app): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Err(r) = admin(&app, &h).await {
        return r;
    }
    let year = year_of(&q, app.year);
    let submitted = match with_db(&app, move |c| db::submitted(c, year)).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if submitted.is_empty() {
        return page(
            StatusCode::NOT_FOUND,
            "没有可下载的报告",
            &format!("{year} 年度还没有单位提交报告。"),
        );
    }
    let app2 = app.clone();
    let made = tokio::task::spawn_blocking(move || {
        // Owned by its remover from the start: a request given up on (its 10 minutes past)
        // drops the finished zip instead of leaving it in tmp/.
        export::zip(&app2.store, year, &submitted, app2.worker.clone()).map(Removed)
    })
    .await;
    match made {
        Ok(Ok(removed)) => {
            send_file(
                removed.0.clone(),
                "application/zip",
                &format!("{year}年度政府信息公开工作年度报告.zip"),
                Some(removed),
            )
            .await
        }
        Ok(Err(e)) => server_error(&e),
        Err(_) => server_error("打包时出错"),
    }
}

/// Removes a temporary download when its answer is done with (sent, or the client gone).
struct Removed(std::path::PathBuf);

impl Drop for Removed {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A file on disk as an attachment, read in chunks while it is sent (a zip of hundreds of
/// units is never held in memory). `temporary`: the file's remover, dropped once it is sent.
async fn send_file(
    path: std::path::PathBuf,
    media: &str,
    name: &str,
    temporary: Option<Removed>,
) -> Response {
    use futures_util::StreamExt;
    let guard = temporary;
    let Ok(file) = tokio::fs::File::open(&path).await else {
        return not_found();
    };
    let len = file.metadata().await.map(|m| m.len()).ok();
    let stream = tokio_util::io::ReaderStream::with_capacity(file, 64 << 10).map(move |chunk| {
        let _ = &guard;
        chunk
    });
    let mut r = (
        [
            (header::CONTENT_TYPE, media.to_string()),
            (header::CONTENT_DISPOSITION, pages::attachment(name)),
        ],
        axum::body::Body::from_stream(stream),
    )
        .into_response();
    if let Some(n) = len {
        r.headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(n));
    }
    r
}

// --- A unit's pages ---------------------------------------------------------------------------

async fn unit_of(app: &Shared, token: String) -> Result<Unit, Response> {
    with_db(app, move |c| db::unit_by_token(c, &token))
        .await?
        .ok_or_else(not_found)
}

async fn unit_page(State(app): State<Shared>, Path(token): Path<String>) -> Response {
    unit_view(app, token, None).await
}

async fn unit_upload(
    State(app): State<Shared>,
    Path((token, upload)): Path<(String, i64)>,
) -> Response {
    unit_view(app, token, Some(upload)).await
}

async fn unit_view(app: Shared, token: String, upload: Option<i64>) -> Response {
    let unit = match unit_of(&app, token.clone()).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let year = app.year;
    let id = unit.id;
    let r = with_db(&app, move |c| view(c, id, year, upload, false)).await;
    match r {
        Ok((_, _, None)) if upload.is_some() => not_found(),
        Ok((standing, uploads, shown)) => Html(pages::unit_page(
            &unit,
            year,
            &token,
            &standing,
            &uploads,
            shown.as_ref().map(|(u, c)| (u, c)),
        ))
        .into_response(),
        Err(r) => r,
    }
}

async fn template(State(app): State<Shared>, Path(token): Path<String>) -> Response {
    let unit = match unit_of(&app, token).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let year = app.year;
    let fill = crate::render::xlsx::TemplateFill {
        year: Some(year),
        body: Some(&unit.name),
    };
    match crate::render::xlsx::template_filled(year, &fill) {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, media_type(Format::Xlsx).to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    pages::attachment(&format!(
                        "{}_{year}年度报告填报表.xlsx",
                        export::file_stem(&unit.name)
                    )),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(d) => server_error(&d.message),
    }
}

fn too_large(app: &App, json: bool) -> Response {
    let msg = format!(
        "文件太大：最大 {} MB。请检查是否选错了文件。",
        app.max_upload >> 20
    );
    if json {
        json_error(StatusCode::PAYLOAD_TOO_LARGE, &msg)
    } else {
        page(StatusCode::PAYLOAD_TOO_LARGE, "文件太大", &msg)
    }
}

fn bad_upload(json: bool, msg: &str) -> Response {
    if json {
        json_error(StatusCode::BAD_REQUEST, msg)
    } else {
        page(StatusCode::BAD_REQUEST, "无法上传", msg)
    }
}

/// The extension an upload is read as: its name's, else what its first bytes say.
fn upload_ext(name: &str, bytes: &[u8]) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".xlsx") {
        Some("xlsx")
    } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        Some("yaml")
    } else if lower.contains('.') {
        None
    } else if bytes.starts_with(b"PK") {
        Some("xlsx")
    } else {
        Some("yaml")
    }
}

async fn upload(
    State(app): State<Shared>,
    Path(token): Path<String>,
    h: HeaderMap,
    mut mp: Multipart,
) -> Response {
    let json = wants_json(&h);
    let unit = match unit_of(&app, token.clone()).await {
        Ok(u) => u,
        Err(r) => {
            return if json {
                json_error(StatusCode::NOT_FOUND, "链接无效")
            } else {
                r
            }
        }
    };
    let declared = h
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > app.max_upload + (64 << 10)) {
        return too_large(&app, json);
    }
    let mut got = None;
    loop {
        match mp.next_field().await {
            Ok(Some(f)) => {
                if f.name() != Some("file") {
                    continue;
                }
                let name = f.file_name().unwrap_or("").to_string();
                match f.bytes().await {
                    Ok(b) => got = Some((name, b)),
                    Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                        return too_large(&app, json)
                    }
                    Err(_) => return bad_upload(json, "上传中断或表单无法读取，请重试。"),
                }
            }
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return too_large(&app, json),
            Err(_) => return bad_upload(json, "上传中断或表单无法读取，请重试。"),
        }
    }
    let Some((name, bytes)) = got else {
        return bad_upload(json, "没有收到文件（表单字段 file）。");
    };
    if bytes.len() > app.max_upload {
        return too_large(&app, json);
    }
    if bytes.is_empty() {
        return bad_upload(json, "文件是空的。");
    }
    let Some(ext) = upload_ext(&name, &bytes) else {
        return bad_upload(
            json,
            "只接受 Excel 填报表（.xlsx）或 YAML 文件（.yaml、.yml）。",
        );
    };
    let name: String = if name.is_empty() {
        format!("上传.{ext}")
    } else {
        name.chars().filter(|c| !c.is_control()).take(200).collect()
    };
    // Checks wait their turn: a crowd of uploads queues instead of starving the server.
    let Ok(permit) = app.checker.permits.acquire().await else {
        return server_error("服务器正在停止");
    };
    let year = app.year;
    let app2 = app.clone();
    let unit_name = unit.name.clone();
    let done = tokio::task::spawn_blocking(move || -> Result<(Upload, Checked), String> {
        let hash = auth::sha256_hex(&bytes);
        let path = app2
            .store
            .put(&hash, ext, &bytes)
            .map_err(|e| format!("无法保存文件：{e}"))?;
        // Checked now, answered now; the documents are made next (see `rendered`).
        let mut checked = app2.checker.check(&path);
        year_rule(&mut checked, year);
        let new = db::NewUpload {
            unit_id: unit.id,
            year,
            file_name: &name,
            size: bytes.len() as i64,
            hash: &hash,
            ext,
        };
        let c = app2.db.lock().unwrap_or_else(|e| e.into_inner());
        let id = db::add_upload(&c, &new, &checked).map_err(|e| format!("数据库错误：{e}"))?;
        let up = db::upload(&c, unit.id, id)
            .map_err(|e| format!("数据库错误：{e}"))?
            .ok_or("数据库错误")?;
        Ok(up)
    })
    .await;
    drop(permit);
    let (up, checked) = match done {
        Ok(Ok(v)) => {
            if v.1.status.is_good() {
                let (app, id, unit_id) = (app.clone(), v.0.id, v.0.unit_id);
                tokio::spawn(async move {
                    let _ = rendered(&app, unit_id, unit_name, id).await;
                });
            }
            v
        }
        Ok(Err(e)) => {
            return if json {
                json_error(StatusCode::INTERNAL_SERVER_ERROR, &e)
            } else {
                server_error(&e)
            }
        }
        Err(_) => return server_error("处理上传时出错"),
    };
    let page_url = format!("{}/u/{token}/uploads/{}", app.url, up.id);
    if !json {
        return see_other(&format!("/u/{token}/uploads/{}#result", up.id));
    }
    let docs: serde_json::Map<String, serde_json::Value> = doc_formats(&checked)
        .into_iter()
        .map(|f| {
            (
                f.extension().to_string(),
                serde_json::Value::String(format!("{page_url}/{}", f.extension())),
            )
        })
        .collect();
    let outputs = docs
        .values()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    let file = JsonFile::new(up.file_name.clone(), &checked.diagnostics, outputs)
        .with_status(checked.status.chinese(), checked.status.is_good());
    let mut v = match serde_json::to_value(JsonReport::new(vec![file])) {
        Ok(v) => v,
        Err(e) => return json_error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    let state = if checked.status.is_good() {
        db::State::Passed
    } else {
        db::State::HasErrors
    };
    if let Some(o) = v.as_object_mut() {
        o.insert("status".into(), state.chinese().into());
        o.insert("upload".into(), up.id.into());
        o.insert("sha256".into(), up.hash.clone().into());
        o.insert("page".into(), page_url.into());
        o.insert("documents".into(), docs.into());
    }
    json_answer(StatusCode::OK, &v)
}

fn media_type(f: Format) -> &'static str {
    match f {
        Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Format::Pdf => "application/pdf",
        Format::Ofd => "application/ofd",
        Format::Html => "text/html; charset=utf-8",
    }
}

/// A report of another year would be left out of the year's sums: not a valid answer.
fn year_rule(checked: &mut Checked, year: u16) {
    if let Some((_, y)) = checked.body.clone().filter(|(_, y)| *y != year) {
        checked.diagnostics.push(
            crate::diag::Diagnostic::error(
                crate::diag::Rule::Value,
                format!("报告的年度是 {y}，本次报送的是 {year} 年度的报告：请把“年度”改为 {year}"),
            )
            .with_place(crate::diag::Key::Year),
        );
        checked.status = crate::job::Status::Invalid;
    }
}

/// The formats of a passed upload's documents (made at once after the answer, or at the first
/// download).
fn doc_formats(ch: &Checked) -> Vec<Format> {
    if !ch.status.is_good() {
        return vec![];
    }
    super::check::FORMATS
        .into_iter()
        .filter(|f| {
            ch.documents.is_empty()
                || ch
                    .documents
                    .iter()
                    .any(|d| d.ends_with(&format!(".{}", f.extension())))
        })
        .collect()
}

/// An upload with its documents, made now when they are not yet: an upload is answered once
/// checked, and its documents are rendered right after (or here, at the first download, when a
/// restart came between). The result then is the whole job's (a render failure included).
async fn rendered(
    app: &Shared,
    unit_id: i64,
    unit_name: String,
    upload: i64,
) -> Result<Option<(Upload, Checked)>, Response> {
    let found = with_db(app, move |c| db::upload(c, unit_id, upload)).await?;
    let Some((up, ch)) = found else {
        return Ok(None);
    };
    if !ch.status.is_good() || !ch.documents.is_empty() {
        return Ok(Some((up, ch)));
    }
    let Ok(_permit) = app.checker.render_permits.acquire().await else {
        return Err(server_error("服务器正在停止"));
    };
    let app2 = app.clone();
    let made = tokio::task::spawn_blocking(move || -> Result<(Upload, Checked), String> {
        let db_error = |e: rusqlite::Error| format!("数据库错误：{e}");
        {
            // Made meanwhile by another request.
            let c = app2.db.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((up, ch)) = db::upload(&c, unit_id, upload).map_err(db_error)? {
                if !ch.documents.is_empty() || !ch.status.is_good() {
                    return Ok((up, ch));
                }
            }
        }
        let path = app2.store.file(&up.hash, &up.ext);
        let folder = auth::new_token();
        let dir = app2.store.docs(&folder);
        let stem = format!("{}_{}年度报告", export::file_stem(&unit_name), up.year);
        let mut checked = app2.checker.render(&path, &dir, &stem);
        checked.folder = folder;
        year_rule(&mut checked, up.year);
        if !checked.documents.is_empty() {
            super::store::sync_tree(&dir).map_err(|e| format!("无法保存文件：{e}"))?;
        }
        let c = app2.db.lock().unwrap_or_else(|e| e.into_inner());
        db::set_result(&c, upload, &checked).map_err(db_error)?;
        Ok((up, checked))
    })
    .await;
    match made {
        Ok(Ok(v)) => Ok(Some(v)),
        Ok(Err(e)) => Err(server_error(&e)),
        Err(_) => Err(server_error("生成文件时出错")),
    }
}

async fn unit_document(
    State(app): State<Shared>,
    Path((token, upload, ext)): Path<(String, i64, String)>,
) -> Response {
    let unit = match unit_of(&app, token).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    document(&app, &unit, upload, &ext).await
}

/// One document of one upload of `unit` (another unit's upload is not found).
async fn document(app: &Shared, unit: &Unit, upload: i64, ext: &str) -> Response {
    let Some(format) = Format::ALL.into_iter().find(|f| f.extension() == ext) else {
        return not_found();
    };
    let found = match rendered(app, unit.id, unit.name.clone(), upload).await {
        Ok(Some(f)) => f,
        Ok(None) => return not_found(),
        Err(r) => return r,
    };
    let (_, ch) = found;
    if !doc_formats(&ch).contains(&format) {
        return not_found();
    }
    let Some(name) = ch
        .documents
        .iter()
        .find(|d| d.ends_with(&format!(".{}", format.extension())))
        .cloned()
    else {
        return not_found();
    };
    let path = app.store.docs(&ch.folder).join(&name);
    send_file(path, media_type(format), &name, None).await
}

async fn submit(
    State(app): State<Shared>,
    Path(token): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let unit = match unit_of(&app, token.clone()).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let Some(upload) = f.get("upload").and_then(|u| u.parse::<i64>().ok()) else {
        return page(
            StatusCode::BAD_REQUEST,
            "无法提交",
            "没有指明要提交的版本。",
        );
    };
    let year = app.year;
    let id = unit.id;
    let r = with_db(&app, move |c| {
        let Some((up, ch)) = db::upload(c, id, upload)? else {
            return Ok(Err(StatusCode::NOT_FOUND));
        };
        if !ch.status.is_good() || up.year != year {
            return Ok(Err(StatusCode::CONFLICT));
        }
        db::submit(c, id, year, upload).map(Ok)
    })
    .await;
    match r {
        Ok(Ok(_)) => see_other(&format!("/u/{token}")),
        Ok(Err(StatusCode::NOT_FOUND)) => not_found(),
        Ok(Err(_)) => page(
            StatusCode::CONFLICT,
            "无法提交",
            "只有通过检查的本年度版本才能提交。请先修改并重新上传。",
        ),
        Err(r) => r,
    }
}
