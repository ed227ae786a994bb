//! PDF benchmark (harness = false): time and peak memory for the seed report, and for 100
//! reports rendered in one process with the fonts parsed once.
//!
//! `cargo bench --bench pdf` (release). Figures are recorded in `benches/README.md`.

#[path = "../tests/integration/common/seed.rs"]
mod seed;

use std::time::{Duration, Instant};
use xxgk::render::paged::{self, Fonts};
use xxgk::render::{document::Document, render, Format};

/// Peak resident memory so far (Linux `VmHWM`), in MiB.
fn peak_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    // The built-in fonts, and the official ones when this machine has them.
    let t = Instant::now();
    let fonts = Fonts::load(None).expect("fonts");
    let load = t.elapsed();
    println!(
        "fonts: look-up + lazy parse {:.1} ms, peak RSS {:.0} MiB",
        ms(load),
        peak_mib().unwrap_or(0.0)
    );

    let seed = seed::seed_report();
    let large = seed::large_report();
    for (name, report) in [("seed", &seed), ("large", &large)] {
        let mut times = vec![];
        let mut size = 0;
        let mut pages = 0;
        for _ in 0..10 {
            let t = Instant::now();
            let bytes = render(report, Format::Pdf, Some(&fonts)).expect("render");
            times.push(ms(t.elapsed()));
            size = bytes.len();
            pages = paged::layout(&Document::of(report), &fonts)
                .map(|d| d.pages)
                .map(|p| p.len())
                .unwrap_or(0);
        }
        println!(
            "{name}: {pages} pages, {:.1} KB, median {:.1} ms (min {:.1}, max {:.1}) over 10 renders, peak RSS {:.0} MiB",
            size as f64 / 1024.0,
            median(times.clone()),
            times.iter().cloned().fold(f64::MAX, f64::min),
            times.iter().cloned().fold(0.0, f64::max),
            peak_mib().unwrap_or(0.0)
        );
    }

    // Layout alone (line breaking, pagination, tables), without printpdf.
    let t = Instant::now();
    for _ in 0..10 {
        paged::layout(&Document::of(&seed), &fonts)
            .map(|d| d.pages)
            .expect("layout");
    }
    println!("seed layout only: {:.2} ms", ms(t.elapsed()) / 10.0);

    // 100 reports in one process: sequential, then on every core sharing one &Fonts.
    let reports: Vec<_> = (0..100)
        .map(|i| {
            let mut r = seed.clone();
            r.body = format!("第{}号测试机关", i + 1);
            r.table3.cells[0][0].value = 90 + i as u64;
            r.compute_totals();
            r
        })
        .collect();
    let t = Instant::now();
    let total: usize = reports
        .iter()
        .map(|r| render(r, Format::Pdf, Some(&fonts)).expect("render").len())
        .sum();
    let seq = t.elapsed();
    println!(
        "100 reports sequential: {:.0} ms total, {:.1} ms each, {:.1} MB written, peak RSS {:.0} MiB",
        ms(seq),
        ms(seq) / 100.0,
        total as f64 / 1e6,
        peak_mib().unwrap_or(0.0)
    );
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let t = Instant::now();
    std::thread::scope(|s| {
        for chunk in reports.chunks(reports.len().div_ceil(threads)) {
            let fonts = &fonts;
            s.spawn(move || {
                for r in chunk {
                    render(r, Format::Pdf, Some(fonts)).expect("render");
                }
            });
        }
    });
    let par = t.elapsed();
    println!(
        "100 reports on {threads} threads: {:.0} ms total, peak RSS {:.0} MiB",
        ms(par),
        peak_mib().unwrap_or(0.0)
    );
}
