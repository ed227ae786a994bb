//! What rule BATCH-SIMILAR costs a batch of 1,000 reports: the sketches each worker makes of a
//! report's sections 一, 五, 六 (per report), and the collector's comparison of every pair of
//! reports (half a million pairs). The reports are the two examples under 1,000 names, each
//! section's sentences rotated by the report's number so that most pairs differ, and one in
//! fifty a copy of another body's. Run: `cargo bench --bench similar`; figures in
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
    let n = 1000;
    let mut reports = vec![];
    for i in 0..n {
        let mut r = bases[i % 2].clone();
        r.body = format!("第{i}号单位");
        if i % 50 != 0 {
            for sec in [&mut r.overview, &mut r.problems] {
                let text: Vec<String> = sec
                    .subsections
                    .iter()
                    .map(|s| s.body.0.clone())
                    .chain(std::iter::once(sec.intro.0.clone()))
                    .collect();
                let all = text.join("");
                let sentences: Vec<&str> = all.split_inclusive('。').collect();
                let k = i % sentences.len().max(1);
                // Each body keeps a different part of the sentences, with its number in them.
                let kept: String = sentences
                    .iter()
                    .cycle()
                    .skip(k)
                    .take(sentences.len() / 3 + 1)
                    .map(|s| format!("{s}本单位编号{i}号。"))
                    .collect();
                sec.intro.0 = kept;
                sec.subsections.clear();
            }
        }
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
