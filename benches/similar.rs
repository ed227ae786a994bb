//! What rule BATCH-SIMILAR costs a batch of 1,000 reports: the sketches each worker makes of a
//! report's sections 一, 五, 六 (per report), and the collector's comparison of every pair of
//! reports (half a million pairs). The reports are the two examples under 1,000 names, sections
//! 一 and 五 made of ten sentences drawn at random from both examples' (so that most pairs
//! differ), one in fifty a copy of the report before it (so 40 reports are marked). Run: `cargo bench --bench similar`; figures in
//! benches/README.md.

use std::path::Path;
use std::time::Instant;
use xxgk::batch::{similar, Entry, Status};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bases: Vec<xxgk::model::Report> = ["langfang-2021.yaml", "demo-2023.yaml"]
        .iter()
        .map(|n| {
            xxgk::input::read_path(&root.join("examples").join(n))
                .expect("example")
                .report
        })
        .collect();
    // Every sentence of both examples' sections 一 and 五: each report takes ten of them at
    // random (a fixed generator), so that reports differ as a city's departments' do; one in
    // fifty is another body's report copied under its own name.
    let pool: Vec<String> = bases
        .iter()
        .flat_map(|r| {
            [&r.overview, &r.problems].into_iter().flat_map(|sec| {
                std::iter::once(sec.intro.0.clone())
                    .chain(sec.subsections.iter().map(|s| s.body.0.clone()))
                    .collect::<Vec<_>>()
            })
        })
        .flat_map(|t| {
            t.split_inclusive('。')
                .map(str::to_string)
                .filter(|s| s.chars().count() > 10)
                .collect::<Vec<_>>()
        })
        .collect();
    let n = 1000;
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut reports: Vec<xxgk::model::Report> = vec![];
    for i in 0..n {
        let mut r = if i % 50 == 49 {
            reports[i - 1].clone()
        } else {
            let mut r = bases[i % 2].clone();
            for sec in [&mut r.overview, &mut r.problems] {
                sec.subsections.clear();
                sec.intro.0 = (0..10)
                    .map(|_| pool[(next() % pool.len() as u64) as usize].clone())
                    .collect();
            }
            r
        };
        r.body = format!("第{i}号单位");
        reports.push(r);
    }
    let t = Instant::now();
    let sketches: Vec<similar::Sketches> = reports.iter().map(similar::Sketches::of).collect();
    let per_report = t.elapsed().as_secs_f64() * 1000.0 / n as f64;
    let mut times = vec![];
    let mut marked = 0;
    for _ in 0..5 {
        let mut entries: Vec<Entry> = reports
            .iter()
            .zip(&sketches)
            .enumerate()
            .map(|(i, (r, s))| Entry {
                file: format!("{i}.yaml"),
                status: Status::Passed,
                diagnostics: vec![],
                outputs: vec![],
                body: Some((r.body.clone(), r.year)),
                figures: None,
                summed: true,
                excluded: None,
                sketches: Some(s.clone()),
            })
            .collect();
        let t = Instant::now();
        similar::mark(&mut entries);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        marked = entries.iter().filter(|e| !e.diagnostics.is_empty()).count();
    }
    times.sort_by(f64::total_cmp);
    println!("sketches of a report's three sections: {per_report:.3} ms");
    println!(
        "every pair of {n} reports compared: {:.0} ms (median of 5); reports marked: {marked}",
        times[2]
    );
}
