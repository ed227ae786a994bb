//! `xxgk serve` over HTTP: the built binary started on 127.0.0.1:0 with a fresh data folder,
//! driven by a small HTTP/1.1 client over a TcpStream. What comes back is read by independent
//! means: pages with scraper, workbooks with calamine, zips with the zip crate, the database
//! with SQLite itself.

use crate::common;
#[path = "../support/http.rs"]
mod http;
use http::{request, try_request, Resp};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const YEAR: &str = "2023";

/// A running server.
struct Server {
    child: Child,
    addr: String,
    /// The set-up link, when the server printed one.
    setup: Option<String>,
}

impl Server {
    fn start(data: &Path, extra: &[&str]) -> Server {
        Server::start_env(data, extra, &[])
    }

    fn start_env(data: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_xxgk"));
        cmd.arg("serve")
            .arg("--data")
            .arg(data)
            .args(["--listen", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if !extra.contains(&"--year") {
            cmd.args(["--year", YEAR]);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        let (tx, rx) = mpsc::channel();
        let err = child.stderr.take().unwrap();
        let tx2 = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx2.send(line);
            }
        });
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut addr = None;
        let mut setup = None;
        // The set-up link is printed before the "listening" line when there is one.
        while let Ok(line) = rx.recv_timeout(Duration::from_secs(60)) {
            if line.starts_with("http") && line.contains("/setup/") {
                setup = Some(line.trim().to_string());
            }
            if let Some(rest) = line.split("正在监听 http://").nth(1) {
                addr = Some(rest.split('/').next().unwrap().to_string());
            }
            if line.starts_with("管理页面：") {
                break;
            }
        }
        let addr = addr.expect("the server says where it listens");
        Server { child, addr, setup }
    }

    fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
    }
}

fn multipart(field: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "xxgkTestBoundary7MA4YWxkTrZu0gW";
    let mut b = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    b.extend_from_slice(bytes);
    b.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), b)
}

/// Adds one unit with `serve units add` (the server need not run): the path of its invite link.
fn add_unit(dir: &Path, data: &Path, name: &str) -> String {
    let (code, out, err) = common::xxgk(
        &[
            "serve",
            "--data",
            data.to_str().unwrap(),
            "units",
            "add",
            name,
        ],
        dir,
    );
    assert_eq!(code, 0, "{err}");
    path_of(out.lines().next().unwrap().split('\t').nth(1).unwrap())
}

fn path_of(url: &str) -> String {
    let rest = url.split("://").nth(1).unwrap_or(url);
    rest[rest.find('/').unwrap()..].to_string()
}

fn form(addr: &str, path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Resp {
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    let mut h = vec![("Content-Type", "application/x-www-form-urlencoded")];
    let c;
    if let Some(cookie) = cookie {
        c = cookie.to_string();
        h.push(("Cookie", &c));
    }
    request(addr, "POST", path, &h, body.join("&").as_bytes())
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn upload(addr: &str, unit_path: &str, name: &str, bytes: &[u8]) -> Resp {
    let (ct, body) = multipart("file", name, bytes);
    request(
        addr,
        "POST",
        &format!("{unit_path}/upload"),
        &[("Content-Type", &ct), ("Accept", "application/json")],
        &body,
    )
}

/// Sets the password through the set-up link; the session cookie.
fn set_password(s: &Server, pw: &str) -> String {
    let setup = path_of(
        s.setup
            .as_ref()
            .expect("a first start prints the set-up link"),
    );
    assert_eq!(request(&s.addr, "GET", &setup, &[], b"").status, 200);
    let r = form(
        &s.addr,
        &setup,
        None,
        &[("password", pw), ("password2", pw)],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    cookie_of(&r)
}

fn cookie_of(r: &Resp) -> String {
    let c = r.header("set-cookie").expect("a session cookie");
    assert!(
        c.contains("HttpOnly") && c.contains("SameSite=Strict"),
        "{c}"
    );
    c.split(';').next().unwrap().to_string()
}

/// The invite paths (`/u/<token>`) on a page.
fn invite_paths(html: &str) -> Vec<String> {
    let mut out: Vec<String> = html
        .match_indices("/u/")
        .map(|(i, _)| html[i..].chars().take(35).collect::<String>())
        .filter(|p| p[3..].chars().all(|c| c.is_ascii_hexdigit()) && p.len() == 35)
        .collect();
    out.dedup();
    out
}

fn demo_yaml() -> String {
    common::example("demo-2023.yaml")
}

/// The demo as a workbook (the clerk's usual upload), made by the binary's own convert.
fn demo_xlsx(dir: &Path, yaml: &str, name: &str) -> Vec<u8> {
    let y = dir.join(format!("{name}.yaml"));
    let x = dir.join(format!("{name}.xlsx"));
    std::fs::write(&y, yaml).unwrap();
    let (code, _, err) = common::xxgk(&["convert", y.to_str().unwrap(), x.to_str().unwrap()], dir);
    assert_eq!(code, 0, "{err}");
    std::fs::read(x).unwrap()
}

/// The demo with 本年新收 of 自然人 one more than its rows add up to.
fn wrong_yaml() -> String {
    let y = demo_yaml();
    let row = "本年新收: [40, 10, 1, 0, 1, 0, 52]";
    assert!(y.contains(row), "the demo's 本年新收");
    y.replacen(row, "本年新收: [41, 10, 1, 0, 1, 0, 52]", 1)
}

fn sheet_numbers(bytes: &[u8]) -> Vec<(String, Vec<Vec<Option<f64>>>)> {
    use calamine::{Data, Reader};
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let names = wb.sheet_names().to_vec();
    names
        .into_iter()
        .map(|n| {
            let r = wb.worksheet_range(&n).unwrap();
            let rows = r
                .rows()
                .map(|row| {
                    row.iter()
                        .map(|c| match c {
                            Data::Int(i) => Some(*i as f64),
                            Data::Float(f) => Some(*f),
                            _ => None,
                        })
                        .collect()
                })
                .collect();
            (n, rows)
        })
        .collect()
}

fn zip_entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    common::zip_parts(bytes)
}

#[test]
fn the_clerks_and_the_offices_whole_path() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mut s = Server::start(&data, &[]);
    let a = s.addr.clone();

    // Security headers on every page.
    let login = request(&a, "GET", "/admin/login", &[], b"");
    assert_eq!(login.status, 200);
    assert_eq!(login.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(login.header("x-content-type-options"), Some("nosniff"));
    let csp = login.header("content-security-policy").unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"));
    assert!(!csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
    // The office is closed before the password is set.
    assert_eq!(request(&a, "GET", "/admin", &[], b"").status, 303);
    // A set-up link with another token is not found; a short password is refused.
    assert_eq!(
        request(&a, "GET", &format!("/setup/{}", "0".repeat(32)), &[], b"").status,
        404
    );
    let setup = path_of(s.setup.as_ref().unwrap());
    let short = form(&a, &setup, None, &[("password", "短"), ("password2", "短")]);
    assert_eq!(short.status, 400);
    let cookie = set_password(&s, "市政务公开办的管理密码2025");
    // The link works once.
    assert_eq!(request(&a, "GET", &setup, &[], b"").status, 404);
    // Logging in: a wrong password is refused, the right one opens a session.
    let wrong = form(&a, "/admin/login", None, &[("password", "不对的密码")]);
    assert_eq!(wrong.status, 401);
    assert!(wrong.text().contains("密码错误"));
    let ok = form(
        &a,
        "/admin/login",
        None,
        &[("password", "市政务公开办的管理密码2025")],
    );
    assert_eq!(ok.status, 303);
    let cookie2 = cookie_of(&ok);
    assert_ne!(cookie, cookie2);

    // Two units, added from a pasted list.
    let (ct, body) = {
        let boundary = "b0undary";
        let b = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"names\"\r\n\r\n甲市甲局\n乙市乙局\n\r\n--{boundary}--\r\n"
        );
        (format!("multipart/form-data; boundary={boundary}"), b)
    };
    let added = request(
        &a,
        "POST",
        "/admin/units",
        &[("Content-Type", &ct), ("Cookie", &cookie)],
        body.as_bytes(),
    );
    assert_eq!(added.status, 200, "{}", added.text());
    let links = invite_paths(&added.text());
    assert_eq!(links.len(), 2, "{}", added.text());
    let (u1, u2) = (links[0].clone(), links[1].clone());
    // Without a session the same request is sent to the login page.
    let anon = request(
        &a,
        "POST",
        "/admin/units",
        &[("Content-Type", &ct)],
        body.as_bytes(),
    );
    assert_eq!(anon.status, 303);

    // The unit's page and its template, filled with its name and year.
    let page = request(&a, "GET", &u1, &[], b"");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("甲市甲局") && page.text().contains("2023"));
    let t = request(&a, "GET", &format!("{u1}/template.xlsx"), &[], b"");
    assert_eq!(t.status, 200);
    let texts: String = {
        use calamine::Reader;
        let mut wb: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(t.body.clone())).unwrap();
        let first = wb.sheet_names()[0].clone();
        let r = wb.worksheet_range(&first).unwrap();
        r.rows()
            .flat_map(|row| row.iter().map(|c| c.to_string()))
            .collect::<Vec<_>>()
            .join("|")
    };
    assert!(
        texts.contains("甲市甲局") && texts.contains("2023"),
        "{texts}"
    );

    // A workbook with one wrong total: errors, each with its place, and the cell marked.
    let dir = tmp.path();
    let wrong = upload(
        &a,
        &u1,
        "甲局.xlsx",
        &demo_xlsx(dir, &wrong_yaml(), "wrong"),
    );
    assert_eq!(wrong.status, 200, "{}", wrong.text());
    let j = wrong.json();
    assert_eq!(j["status"], "有错误");
    let file = &j["files"][0];
    assert!(file["errors"].as_u64().unwrap() >= 1);
    assert_eq!(file["documents"], serde_json::Value::Null);
    assert_eq!(j["documents"], serde_json::json!({}));
    let d = file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["severity"] == "error")
        .unwrap();
    assert!(d["ref"].as_str().is_some(), "a sheet cell: {d}");
    let msg = d["message"].as_str().unwrap().to_string();
    // The same diagnostics as `xxgk check --format json` gives for the same file.
    let wrong_path = dir.join("wrong.xlsx");
    let (_, check_json, _) = common::xxgk(
        &["check", "--format", "json", wrong_path.to_str().unwrap()],
        dir,
    );
    let check_json: serde_json::Value = serde_json::from_str(&check_json).unwrap();
    assert_eq!(file["diagnostics"], check_json["files"][0]["diagnostics"]);
    assert_eq!(file["status"], check_json["files"][0]["status"]);
    assert_eq!(j["version"], check_json["version"]);
    let page_url = path_of(j["page"].as_str().unwrap());
    let shown = request(&a, "GET", &page_url, &[], b"").text();
    let doc = scraper::Html::parse_document(&shown);
    let marked = scraper::Selector::parse("td[data-marked]").unwrap();
    let cells: Vec<String> = doc
        .select(&marked)
        .map(|c| c.text().collect::<String>())
        .collect();
    assert!(
        cells.iter().any(|c| c.contains(&msg)),
        "a marked cell says “{msg}”: {cells:?}"
    );
    assert!(shown.contains("数据有误"));

    // The fixed workbook passes; its documents can be downloaded.
    let good = upload(&a, &u1, "甲局.xlsx", &demo_xlsx(dir, &demo_yaml(), "good"));
    let j = good.json();
    assert_eq!(j["status"], "已通过", "{j}");
    let up1 = j["upload"].as_i64().unwrap();
    for ext in ["docx", "pdf", "ofd", "html", "xlsx"] {
        let url = path_of(j["documents"][ext].as_str().unwrap());
        let r = request(&a, "GET", &url, &[], b"");
        assert_eq!(r.status, 200, "{ext}");
        assert!(r
            .header("content-disposition")
            .unwrap()
            .starts_with("attachment"));
        if ext == "pdf" {
            assert!(r.body.starts_with(b"%PDF-"));
            let p = dir.join("got.pdf");
            std::fs::write(&p, &r.body).unwrap();
            let text = common::squash(&common::pdf_text(&p, None));
            assert!(text.contains("青山县市场监督管理局"), "{text}");
        }
    }
    // The other unit's link does not reach this upload, nor does a made-up token.
    assert_eq!(
        request(&a, "GET", &format!("{u2}/uploads/{up1}"), &[], b"").status,
        404
    );
    assert_eq!(
        request(&a, "GET", &format!("{u2}/uploads/{up1}/pdf"), &[], b"").status,
        404
    );
    let fake = format!("/u/{}", "ab".repeat(16));
    assert_eq!(request(&a, "GET", &fake, &[], b"").status, 404);
    assert_eq!(upload(&a, &fake, "x.yaml", b"x").status, 404);

    // A cross-site POST is refused, whichever header says so; nothing is recorded.
    let (ct, body) = multipart("file", "甲局.yaml", demo_yaml().as_bytes());
    for h in [
        ("Sec-Fetch-Site", "cross-site"),
        ("Origin", "http://evil.example"),
    ] {
        let r = request(
            &a,
            "POST",
            &format!("{u1}/upload"),
            &[("Content-Type", &ct), h],
            &body,
        );
        assert_eq!(r.status, 403, "{h:?}");
        assert!(r.text().contains("其他网站"));
    }
    let same = request(
        &a,
        "POST",
        &format!("{u1}/upload"),
        &[
            ("Content-Type", &ct),
            ("Sec-Fetch-Site", "same-origin"),
            ("Origin", &format!("http://{a}")),
        ],
        &body,
    );
    assert_eq!(same.status, 303, "a browser's own form is let through");

    // Hostile uploads: a zip bomb is refused with its reason; the server goes on.
    let bomb = bomb(&demo_xlsx(dir, &demo_yaml(), "bomb"));
    let r = upload(&a, &u2, "乙局.xlsx", &bomb).json();
    assert_eq!(r["status"], "有错误");
    assert!(r.to_string().contains("已停止读取"), "{r}");
    let r = upload(&a, &u2, "乙局.xlsx", b"PK\x03\x04not a zip at all").json();
    assert_eq!(r["status"], "有错误");
    let r = upload(&a, &u2, "乙局.pdf", b"%PDF-1.7");
    assert_eq!(r.status, 400);

    // 提交; the office sees it, sends it back with a comment; the unit sees the comment.
    let sub = form(
        &a,
        &format!("{u1}/submit"),
        None,
        &[("upload", &up1.to_string())],
    );
    assert_eq!(sub.status, 303);
    let office = request(&a, "GET", "/admin", &[("Cookie", &cookie2)], b"").text();
    assert!(
        office.contains("已提交") && office.contains("有错误"),
        "{office}"
    );
    let unit1_id = {
        let i = office.find("/admin/units/").unwrap() + "/admin/units/".len();
        office[i..].split('?').next().unwrap().to_string()
    };
    let back = form(
        &a,
        &format!("/admin/units/{unit1_id}/return?year={YEAR}"),
        Some(&cookie2),
        &[("comment", "请补充第六部分")],
    );
    assert_eq!(back.status, 303, "{}", back.text());
    let page = request(&a, "GET", &u1, &[], b"").text();
    assert!(
        page.contains("已退回") && page.contains("请补充第六部分"),
        "{page}"
    );
    // Submitted again; the second unit passes and submits too.
    assert_eq!(
        form(
            &a,
            &format!("{u1}/submit"),
            None,
            &[("upload", &up1.to_string())]
        )
        .status,
        303
    );
    let y2 = demo_yaml().replacen("青山县市场监督管理局", "乙市乙局", 1);
    let j = upload(&a, &u2, "乙局.yaml", y2.as_bytes()).json();
    assert_eq!(j["status"], "已通过", "{j}");
    let up2 = j["upload"].as_i64().unwrap();
    // Another unit's upload cannot be submitted with this link.
    assert_eq!(
        form(
            &a,
            &format!("{u1}/submit"),
            None,
            &[("upload", &up2.to_string())]
        )
        .status,
        404
    );
    assert_eq!(
        form(
            &a,
            &format!("{u2}/submit"),
            None,
            &[("upload", &up2.to_string())]
        )
        .status,
        303
    );

    // The zip: both units' documents and the batch's three files; 汇总.xlsx sums both.
    let z = request(
        &a,
        "GET",
        &format!("/admin/export.zip?year={YEAR}"),
        &[("Cookie", &cookie2)],
        b"",
    );
    assert_eq!(z.status, 200, "{}", z.text());
    let entries = zip_entries(&z.body);
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    for want in [
        "汇总.xlsx",
        "校验结果.json",
        "index.html",
        "甲市甲局.pdf",
        "乙市乙局.docx",
        "乙市乙局.ofd",
    ] {
        assert!(names.contains(&want), "{want} in {names:?}");
    }
    let summary = &entries.iter().find(|(n, _)| n == "汇总.xlsx").unwrap().1;
    let one = &entries
        .iter()
        .find(|(n, _)| n == "甲市甲局.xlsx")
        .unwrap()
        .1;
    let sums = sheet_numbers(summary);
    let unit = sheet_numbers(one);
    let mut compared = 0;
    for (name, rows) in &unit {
        if !name.starts_with('表') {
            continue;
        }
        let (_, srows) = sums.iter().find(|(n, _)| n == name).expect(name);
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if let Some(v) = v {
                    let s = srows[r][c].unwrap_or_else(|| panic!("{name} {r},{c}"));
                    assert_eq!(s, 2.0 * v, "{name} row {r} col {c}");
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 50, "{compared} cells compared");
    let results: serde_json::Value = serde_json::from_slice(
        &entries
            .iter()
            .find(|(n, _)| n == "校验结果.json")
            .unwrap()
            .1,
    )
    .unwrap();
    assert_eq!(results["files"].as_array().unwrap().len(), 2);

    // A unit from an uploaded list; its link can be revoked and renewed.
    let list = "单位名称\n丙市丙局\n";
    let (ct, body) = multipart("sheet", "名单.txt", list.as_bytes());
    let added = request(
        &a,
        "POST",
        "/admin/units",
        &[("Content-Type", &ct), ("Cookie", &cookie2)],
        &body,
    );
    let u3 = invite_paths(&added.text());
    assert_eq!(u3.len(), 1, "{}", added.text());
    assert!(added.text().contains("丙市丙局"));
    assert_eq!(request(&a, "GET", &u3[0], &[], b"").status, 200);
    let office = request(&a, "GET", "/admin", &[("Cookie", &cookie2)], b"").text();
    let id3 = {
        let at = office.find("丙市丙局").unwrap();
        let i = office[..at].rfind("/admin/units/").unwrap() + "/admin/units/".len();
        office[i..].split('?').next().unwrap().to_string()
    };
    let r = form(
        &a,
        &format!("/admin/units/{id3}/revoke"),
        Some(&cookie2),
        &[],
    );
    assert_eq!(r.status, 303);
    assert_eq!(request(&a, "GET", &u3[0], &[], b"").status, 404);
    let r = form(
        &a,
        &format!("/admin/units/{id3}/renew"),
        Some(&cookie2),
        &[],
    );
    let renewed = invite_paths(&r.text());
    assert_eq!(renewed.len(), 1);
    assert_ne!(renewed[0], u3[0]);
    assert_eq!(request(&a, "GET", &renewed[0], &[], b"").status, 200);
    assert_eq!(request(&a, "GET", &u3[0], &[], b"").status, 404);

    // The command line beside the running server: a consistent backup, the export.
    let backup = dir.join("backup.db");
    let (code, _, err) = common::xxgk(
        &[
            "serve",
            "--data",
            data.to_str().unwrap(),
            "backup",
            backup.to_str().unwrap(),
        ],
        dir,
    );
    assert_eq!(code, 0, "{err}");
    let c = rusqlite::Connection::open(&backup).unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let n: i64 = c
        .query_row("SELECT count(*) FROM units", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 3);
    let exported = dir.join("export");
    let (code, _, err) = common::xxgk(
        &[
            "serve",
            "--data",
            data.to_str().unwrap(),
            "export",
            "-o",
            exported.to_str().unwrap(),
            "--year",
            YEAR,
        ],
        dir,
    );
    assert_eq!(code, 0, "{err}");
    let mut files: Vec<String> = std::fs::read_dir(&exported)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut in_zip: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    in_zip.sort();
    assert_eq!(files, in_zip, "export writes what the zip holds");

    // Restart: everything is still there; no new set-up link; the password still works.
    s.kill9();
    let s2 = Server::start(&data, &[]);
    assert!(s2.setup.is_none());
    let a = s2.addr.clone();
    let page = request(&a, "GET", &u2, &[], b"").text();
    assert!(
        page.contains("已提交") && page.contains("乙局.yaml"),
        "{page}"
    );
    let ok = form(
        &a,
        "/admin/login",
        None,
        &[("password", "市政务公开办的管理密码2025")],
    );
    assert_eq!(ok.status, 303);
    let office = request(&a, "GET", "/admin", &[("Cookie", &cookie_of(&ok))], b"").text();
    assert_eq!(office.matches("已提交</span>").count(), 2, "{office}");
}

/// A workbook whose shared strings inflate to 60 MB of zeros (about 60 KB on the wire).
fn bomb(xlsx: &[u8]) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(vec![]));
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut b = vec![];
        f.read_to_end(&mut b).unwrap();
        out.start_file(name.clone(), opts).unwrap();
        if name == "xl/sharedStrings.xml" {
            out.write_all(&vec![b'0'; 60 << 20]).unwrap();
        } else {
            out.write_all(&b).unwrap();
        }
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn logins_are_rate_limited() {
    let tmp = tempfile::tempdir().unwrap();
    let s = Server::start(&tmp.path().join("data"), &[]);
    set_password(&s, "正确的管理密码123");
    for _ in 0..5 {
        let r = form(&s.addr, "/admin/login", None, &[("password", "猜的密码")]);
        assert_eq!(r.status, 401);
    }
    // Now even the right password waits.
    let r = form(
        &s.addr,
        "/admin/login",
        None,
        &[("password", "正确的管理密码123")],
    );
    assert_eq!(r.status, 429);
    assert!(r.text().contains("分钟后再试"), "{}", r.text());
}

#[test]
fn an_oversize_upload_gets_413_with_a_chinese_page() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (code, out, err) = common::xxgk(
        &[
            "serve",
            "--data",
            data.to_str().unwrap(),
            "units",
            "add",
            "丙局",
        ],
        tmp.path(),
    );
    assert_eq!(code, 0, "{err}");
    let url = out
        .lines()
        .next()
        .unwrap()
        .split('\t')
        .nth(1)
        .unwrap()
        .to_string();
    let s = Server::start(&data, &["--max-upload", "1"]);
    let (ct, body) = multipart("file", "大.xlsx", &vec![b'x'; 2 << 20]);
    let r = request(
        &s.addr,
        "POST",
        &format!("{}/upload", path_of(&url)),
        &[("Content-Type", &ct)],
        &body,
    );
    assert_eq!(r.status, 413);
    assert!(
        r.text().contains("文件太大") && r.text().contains("1 MB"),
        "{}",
        r.text()
    );
    // Nothing was kept.
    let (_, list, _) = common::xxgk(
        &[
            "serve",
            "--data",
            data.to_str().unwrap(),
            "--year",
            YEAR,
            "units",
            "list",
        ],
        tmp.path(),
    );
    assert_eq!(list.trim(), "丙局\t未上传");
}

/// A worker that dies on one upload costs only that upload.
#[test]
fn a_crashing_upload_costs_only_itself() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let unit = add_unit(tmp.path(), &data, "丁局");
    let evil = format!("{}\n# 这一份让工作进程崩溃\n", demo_yaml());
    let name = format!("{}.yaml", sha256(evil.as_bytes()));
    let s = Server::start_env(&data, &[], &[("XXGK_WORKER_ABORT_ON", &name)]);
    let r = upload(&s.addr, &unit, "丁局.yaml", evil.as_bytes()).json();
    assert_eq!(r["status"], "有错误");
    assert_eq!(r["files"][0]["diagnostics"][0]["rule"], "CRASH", "{r}");
    let r = upload(&s.addr, &unit, "丁局.yaml", demo_yaml().as_bytes()).json();
    assert_eq!(r["status"], "已通过", "{r}");
}

/// A report of another year than the one collected would be left out of the sums: an error.
#[test]
fn a_report_of_another_year_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let unit = add_unit(tmp.path(), &data, "己局");
    let s = Server::start(&data, &["--year", "2024"]);
    let r = upload(&s.addr, &unit, "己局.yaml", demo_yaml().as_bytes()).json();
    assert_eq!(r["status"], "有错误", "{r}");
    assert!(
        r.to_string()
            .contains("报告的年度是 2023，本次报送的是 2024 年度"),
        "{r}"
    );
    assert_eq!(r["documents"], serde_json::json!({}));
}

fn sha256(b: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// `kill -9` while 20 clients upload at once: every upload that was answered is in the
/// database and its file in the store after the restart, and the database opens clean.
#[test]
fn kill_9_during_20_uploads_loses_none_that_were_acknowledged() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let unit = add_unit(tmp.path(), &data, "戊局");
    let mut s = Server::start(&data, &[]);
    let (tx, rx) = mpsc::channel();
    let mut threads = vec![];
    for i in 0..20 {
        let addr = s.addr.clone();
        let unit = unit.clone();
        let tx = tx.clone();
        threads.push(std::thread::spawn(move || {
            let y = format!("{}\n# 第 {i} 份\n", demo_yaml());
            let (ct, body) = multipart("file", &format!("{i}.yaml"), y.as_bytes());
            let r = try_request(
                &addr,
                "POST",
                &format!("{unit}/upload"),
                &[("Content-Type", &ct), ("Accept", "application/json")],
                &body,
            );
            if let Ok(r) = r {
                if r.status == 200 {
                    let j = r.json();
                    let _ = tx.send((
                        j["upload"].as_i64().unwrap(),
                        j["sha256"].as_str().unwrap().to_string(),
                        y,
                    ));
                }
            }
        }));
    }
    drop(tx);
    // Killed once a few have been answered, the others in flight.
    let mut acked = vec![];
    while acked.len() < 2 {
        match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(a) => acked.push(a),
            Err(_) => break,
        }
    }
    s.kill9();
    for t in threads {
        t.join().unwrap();
    }
    acked.extend(rx.try_iter());
    assert!(
        acked.len() >= 2 && acked.len() < 20,
        "{} acknowledged",
        acked.len()
    );
    let c = rusqlite::Connection::open(data.join("xxgk.db")).unwrap();
    let check: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    for (id, hash, text) in &acked {
        let h: String = c
            .query_row("SELECT hash FROM uploads WHERE id = ?1", [id], |r| r.get(0))
            .unwrap_or_else(|e| panic!("upload {id}: {e}"));
        assert_eq!(&h, hash);
        assert_eq!(sha256(text.as_bytes()), *hash);
        let f = data
            .join("files")
            .join(&hash[..2])
            .join(format!("{hash}.yaml"));
        assert_eq!(std::fs::read_to_string(&f).unwrap(), *text);
    }
    drop(c);
    // The server starts again on the same folder and shows them.
    let s2 = Server::start(&data, &[]);
    for (id, _, _) in &acked {
        let r = request(&s2.addr, "GET", &format!("{unit}/uploads/{id}"), &[], b"");
        assert_eq!(r.status, 200);
    }
}

/// The clerk's and the office's whole path in headless Chromium (tests/browser/serve.js):
/// axe-core finds nothing on any page at 1280 and 390 px; the files the browser saved are
/// checked here (the PDF with pdftotext, the zip's 汇总.xlsx with calamine).
#[test]
fn the_paths_in_a_real_browser() {
    let browser = common::root().join("tests/browser");
    assert!(
        browser.join("node_modules/puppeteer-core").is_dir(),
        "tests/browser/node_modules is missing: run `bash .ci/install-tools.sh`"
    );
    let keep = common::keep_dir("SERVE_OUT", "serve-browser");
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (code, out, err) = common::xxgk(
        &[
            "serve",
            "--data",
            data.to_str().unwrap(),
            "units",
            "add",
            "甲市甲局",
            "乙市乙局",
        ],
        tmp.path(),
    );
    assert_eq!(code, 0, "{err}");
    let s = Server::start(&data, &[]);
    let invite = format!(
        "http://{}{}",
        s.addr,
        path_of(out.lines().next().unwrap().split('\t').nth(1).unwrap())
    );
    let wrong = tmp.path().join("甲局-错.xlsx");
    std::fs::write(&wrong, demo_xlsx(tmp.path(), &wrong_yaml(), "w")).unwrap();
    let good = tmp.path().join("甲局.xlsx");
    std::fs::write(&good, demo_xlsx(tmp.path(), &demo_yaml(), "g")).unwrap();
    let run = Command::new("node")
        .arg(browser.join("serve.js"))
        .arg(s.setup.as_ref().unwrap())
        .arg(&invite)
        .arg("市政务公开办的管理密码2025")
        .arg(&wrong)
        .arg(&good)
        .arg(&keep)
        .output()
        .expect("node");
    assert!(
        run.status.success(),
        "serve.js: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let res: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let audits = res["audits"].as_array().unwrap();
    assert_eq!(audits.len(), 16, "8 pages at 2 widths");
    for a in audits {
        let v = a["violations"].as_array().unwrap();
        assert!(
            v.is_empty(),
            "{} at {}: {}",
            a["name"],
            a["width"],
            serde_json::to_string_pretty(v).unwrap()
        );
        assert!(
            a["scrollWidth"].as_u64() <= a["width"].as_u64(),
            "{} at {}: wider than the screen",
            a["name"],
            a["width"]
        );
    }
    assert_eq!(res["consoleErrors"], serde_json::json!([]));
    // The wrong workbook came by drag-and-drop: the box was marked while dragged over, the
    // page took the drop, and the dropped file (its name) is the upload shown.
    assert_eq!(
        res["drop"],
        serde_json::json!({"marked": true, "taken": true, "unmarked": true})
    );
    assert!(
        res["uploads"].to_string().contains("甲局-错.xlsx"),
        "{}",
        res["uploads"]
    );
    assert_eq!(res["wrongStatus"], "数据有误");
    assert!(
        res["marked"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m.as_str().unwrap().contains("错误：")),
        "{}",
        res["marked"]
    );
    assert_eq!(res["goodStatus"], "通过");
    assert_eq!(res["afterSubmit"], "已提交");
    let units = res["units"].to_string();
    assert!(
        units.contains("甲市甲局") && units.contains("乙市乙局"),
        "{units}"
    );
    let template = std::fs::read(res["files"]["template"].as_str().unwrap()).unwrap();
    assert!(template.starts_with(b"PK"));
    let pdf = PathBuf::from(res["files"]["pdf"].as_str().unwrap());
    let text = common::squash(&common::pdf_text(&pdf, None));
    assert!(text.contains("青山县市场监督管理局"), "{text}");
    let zip = std::fs::read(res["files"]["zip"].as_str().unwrap()).unwrap();
    let names: Vec<String> = zip_entries(&zip).into_iter().map(|(n, _)| n).collect();
    assert!(names.contains(&"汇总.xlsx".to_string()), "{names:?}");
    assert!(names.contains(&"甲市甲局.pdf".to_string()), "{names:?}");
}

/// The server's peak resident memory so far (kB), from the kernel.
fn peak_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status")
}

/// The office's zip of many units is made in a file and streamed: the server's peak memory
/// grows by far less than the zip's size, and the file is gone once sent.
#[test]
fn a_large_export_is_streamed_from_a_file() {
    const UNITS: usize = 60;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let names: Vec<String> = (0..UNITS).map(|i| format!("测试市第{i:02}局")).collect();
    let mut args = vec!["serve", "--data", data.to_str().unwrap(), "units", "add"];
    args.extend(names.iter().map(String::as_str));
    let (code, out, err) = common::xxgk(&args, tmp.path());
    assert_eq!(code, 0, "{err}");
    let units: Vec<String> = out
        .lines()
        .map(|l| path_of(l.split('\t').nth(1).unwrap()))
        .collect();
    assert_eq!(units.len(), UNITS);

    let s = Server::start(&data, &[]);
    let a = s.addr.clone();
    let cookie = set_password(&s, "a long enough password");
    let yaml = demo_yaml();
    for u in &units {
        let r = upload(&a, u, "报告.yaml", yaml.as_bytes());
        assert_eq!(r.status, 200, "{}", r.text());
        let id = r.json()["upload"].as_i64().unwrap().to_string();
        // Made now (not in the background while the export is measured), and streamed too.
        let pdf = request(&a, "GET", &format!("{u}/uploads/{id}/pdf"), &[], b"");
        assert_eq!(pdf.status, 200);
        assert!(pdf.body.starts_with(b"%PDF"));
        assert_eq!(
            pdf.header("content-length"),
            Some(pdf.body.len().to_string().as_str())
        );
        let sub = form(&a, &format!("{u}/submit"), None, &[("upload", &id)]);
        assert_eq!(sub.status, 303, "{}", sub.text());
    }

    let before = peak_kb(s.child.id());
    let z = request(
        &a,
        "GET",
        &format!("/admin/export.zip?year={YEAR}"),
        &[("Cookie", &cookie)],
        b"",
    );
    let after = peak_kb(s.child.id());
    assert_eq!(z.status, 200, "{}", z.text());
    let entries = zip_entries(&z.body);
    assert_eq!(entries.len(), UNITS * 5 + 3);
    for n in &names {
        assert!(entries.iter().any(|(e, _)| *e == format!("{n}.pdf")), "{n}");
    }
    let zip_kb = z.body.len() as u64 / 1024;
    eprintln!("export: {zip_kb} kB zip; server peak {before} kB before, {after} kB after");
    // A zip held in memory would raise the peak by at least its size.
    assert!(
        zip_kb > 20_000,
        "the zip is large enough to show: {zip_kb} kB"
    );
    assert!(
        after - before < zip_kb / 2,
        "peak grew {} kB for a {zip_kb} kB zip",
        after - before
    );
    // The temporary zip is removed once sent.
    std::thread::sleep(Duration::from_millis(200));
    let left: Vec<_> = std::fs::read_dir(data.join("tmp")).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

/// A client that sends half a header line and then nothing is disconnected within the header
/// timeout (10 s, src/serve/mod.rs), while other clients are served meanwhile.
#[test]
fn a_client_that_stalls_in_its_header_is_disconnected() {
    let tmp = tempfile::tempdir().unwrap();
    let s = Server::start(&tmp.path().join("data"), &[]);
    let mut slow = TcpStream::connect(&s.addr).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let t0 = std::time::Instant::now();
    slow.write_all(b"GET /admin/login HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Ag")
        .unwrap();
    assert_eq!(
        request(&s.addr, "GET", "/admin/login", &[], b"").status,
        200
    );
    let mut rest = vec![];
    // Closed by the server: end of stream (or a reset), not our read timeout.
    match slow.read_to_end(&mut rest) {
        Ok(_) => {}
        Err(e) => assert!(
            !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
            "still open after {:?}",
            t0.elapsed()
        ),
    }
    let waited = t0.elapsed();
    assert!(
        waited >= Duration::from_secs(9) && waited < Duration::from_secs(20),
        "{waited:?}"
    );
    assert!(!String::from_utf8_lossy(&rest).contains("200 OK"));
}

/// Pages come gzip'ed to a client that asks, and decode to the page sent to one that does not;
/// documents are sent as they are.
#[test]
fn pages_are_compressed_for_clients_that_ask() {
    use std::io::Read as _;
    let tmp = tempfile::tempdir().unwrap();
    let s = Server::start(&tmp.path().join("data"), &[]);
    for path in ["/admin/login", "/static/site.css", "/static/app.js"] {
        let plain = request(&s.addr, "GET", path, &[], b"");
        let gz = request(&s.addr, "GET", path, &[("Accept-Encoding", "gzip")], b"");
        assert_eq!((plain.status, gz.status), (200, 200));
        assert_eq!(plain.header("content-encoding"), None);
        assert_eq!(gz.header("content-encoding"), Some("gzip"), "{path}");
        assert!(gz.body.len() < plain.body.len(), "{path}");
        let mut out = vec![];
        flate2::read::GzDecoder::new(&gz.body[..])
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, plain.body, "{path}");
        // The security headers survive.
        assert_eq!(gz.header("referrer-policy"), Some("no-referrer"));
    }
}
