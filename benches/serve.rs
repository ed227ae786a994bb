//! `xxgk serve` under load (issue 21): 20 clients upload a workbook at the same moment; the time
//! from sending the upload to having its result (p50, p95, max) and the peak memory of the
//! server with its worker processes; then the office's table of 500 units.
//!
//! Run: `cargo bench --bench serve` (uses target/release/xxgk; XXGK_BIN to choose another).
//! Figures in benches/README.md. Not a test: nothing here asserts a time.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

#[path = "../tests/support/http.rs"]
mod http;
use http::request;

/// Resident memory of a process and all its descendants, in KiB.
fn tree_rss(pid: u32) -> u64 {
    let mut total = 0;
    let mut stack = vec![pid];
    while let Some(p) = stack.pop() {
        if let Ok(s) = std::fs::read_to_string(format!("/proc/{p}/status")) {
            for l in s.lines() {
                if let Some(v) = l.strip_prefix("VmRSS:") {
                    total += v
                        .trim()
                        .trim_end_matches(" kB")
                        .trim()
                        .parse::<u64>()
                        .unwrap_or(0);
                }
            }
        }
        if let Ok(tasks) = std::fs::read_dir(format!("/proc/{p}/task")) {
            for t in tasks.flatten() {
                if let Ok(c) = std::fs::read_to_string(t.path().join("children")) {
                    stack.extend(c.split_whitespace().filter_map(|x| x.parse::<u32>().ok()));
                }
            }
        }
    }
    total
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    let bin = std::env::var("XXGK_BIN").unwrap_or_else(|_| format!("{root}/target/release/xxgk"));
    let tmp = std::env::temp_dir().join(format!("xxgk-bench-serve-{}", std::process::id()));
    let data = tmp.join("data");
    std::fs::create_dir_all(&tmp).unwrap();
    let yaml = std::fs::read_to_string(format!("{root}/examples/demo-2023.yaml")).unwrap();
    // 500 units: the first gets the uploads, all fill the office's table.
    let names: Vec<String> = (0..500).map(|i| format!("第{i:03}单位")).collect();
    let mut args = vec![
        "serve".to_string(),
        "--data".into(),
        data.display().to_string(),
        "units".into(),
        "add".into(),
    ];
    args.extend(names.iter().cloned());
    let out = Command::new(&bin).args(&args).output().unwrap();
    let first_url = String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .unwrap()
        .split('\t')
        .nth(1)
        .unwrap()
        .to_string();
    let unit = first_url[first_url.find("/u/").unwrap()..].to_string();
    // Workbooks, one per client, each a little different (its own hash).
    let mut books = vec![];
    for i in 0..20 {
        let y = tmp.join(format!("{i}.yaml"));
        let x = tmp.join(format!("{i}.xlsx"));
        std::fs::write(
            &y,
            yaml.replacen("青山县市场监督管理局", &format!("青山县第{i}局"), 1),
        )
        .unwrap();
        assert!(Command::new(&bin)
            .arg("convert")
            .arg(&y)
            .arg(&x)
            .status()
            .unwrap()
            .success());
        books.push(std::fs::read(&x).unwrap());
    }
    let mut child = Command::new(&bin)
        .args([
            "serve",
            "--data",
            &data.display().to_string(),
            "--listen",
            "127.0.0.1:0",
            "--year",
            "2023",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut setup = String::new();
    let out = child.stdout.take().unwrap();
    let mut addr = String::new();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while err.read_line(&mut line).unwrap() > 0 {
        if let Some(rest) = line.split("正在监听 http://").nth(1) {
            addr = rest.split('/').next().unwrap().to_string();
        }
        if line.starts_with("管理页面") {
            break;
        }
        line.clear();
    }
    BufReader::new(out).read_line(&mut setup).unwrap();
    let pid = child.id();
    let boundary = "benchBoundary";
    let body_of = |b: &[u8]| {
        let mut v = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.xlsx\"\r\n\r\n").into_bytes();
        v.extend_from_slice(b);
        v.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        v
    };
    let ct = format!("multipart/form-data; boundary={boundary}");
    // Warm-up: the first upload starts a worker and loads its fonts.
    for b in books.iter().take(2) {
        request(
            &addr,
            "POST",
            &format!("{unit}/upload"),
            &[("Content-Type", &ct), ("Accept", "application/json")],
            &body_of(b),
        );
    }
    let peak = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (peak.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(tree_rss(pid), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    };
    let mut all = vec![];
    for _round in 0..5 {
        let barrier = Arc::new(Barrier::new(20));
        let threads: Vec<_> = books
            .iter()
            .map(|b| {
                let body = body_of(b);
                let (addr, unit, ct, barrier) =
                    (addr.clone(), unit.clone(), ct.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    let t = Instant::now();
                    let r = request(
                        &addr,
                        "POST",
                        &format!("{unit}/upload"),
                        &[("Content-Type", &ct), ("Accept", "application/json")],
                        &body,
                    );
                    assert_eq!(r.status, 200);
                    t.elapsed().as_secs_f64() * 1000.0
                })
            })
            .collect();
        all.extend(threads.into_iter().map(|t| t.join().unwrap()));
    }
    done.store(true, Ordering::Relaxed);
    sampler.join().unwrap();
    all.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "20 concurrent uploads × 5 rounds: p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms; peak RSS of server + workers {:.1} MiB",
        pct(&all, 0.5),
        pct(&all, 0.95),
        all[all.len() - 1],
        peak.load(Ordering::Relaxed) as f64 / 1024.0
    );
    // The office's table of 500 units.
    let setup_path = setup.trim()[setup.trim().find("/setup/").unwrap()..].to_string();
    let pw = "基准测试用的管理密码";
    let r = request(
        &addr,
        "POST",
        &setup_path,
        &[("Content-Type", "application/x-www-form-urlencoded")],
        format!("password={0}&password2={0}", enc(pw)).as_bytes(),
    );
    assert_eq!(r.status, 303);
    let cookie = r
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let mut times = vec![];
    for _ in 0..20 {
        let t = Instant::now();
        let r = request(
            &addr,
            "GET",
            "/admin?year=2023",
            &[("Cookie", &cookie)],
            b"",
        );
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(r.status, 200);
        assert!(r.text().contains("第499单位"));
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "office table of 500 units: median {:.0} ms, max {:.0} ms (20 requests)",
        pct(&times, 0.5),
        times[times.len() - 1]
    );
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&tmp);
}

fn enc(s: &str) -> String {
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
