//! Per-format benchmark (harness = false): what one report costs in a process that has its
//! fonts loaded already (a batch worker), format by format, on one thread at a time.
//!
//! `cargo bench --bench formats [-- FILE.yaml ...]` (default: the two examples). Prints the
//! minimum and median of 30 renders of each stage; the minimum is the figure least disturbed
//! by other load on a shared machine. "pdf" renders with one `Fonts` for all 30 renders (warm:
//! the font programs cut once are kept, as in a batch worker); "pdf cold" loads the fonts anew
//! for each. Figures are recorded in `benches/README.md`.

use std::time::Instant;
use xxgk::render::{self, paged::Fonts, Format};

fn main() {
    let fonts = Fonts::load(None).expect("fonts");
    let mut files: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a.ends_with(".yaml"))
        .collect();
    if files.is_empty() {
        files = vec![
            "examples/langfang-2021.yaml".into(),
            "examples/demo-2023.yaml".into(),
        ];
    }
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        let report = xxgk::input::yaml::read_str(&text).report;
        println!("{file}");
        let mut total_min = 0.0;
        let stage = |label: &str, f: &mut dyn FnMut() -> usize, total_min: &mut f64| {
            let mut times = vec![];
            let mut size = 0;
            for _ in 0..30 {
                let t = Instant::now();
                size = f();
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            times.sort_by(f64::total_cmp);
            *total_min += times[0];
            println!(
                "  {label:<8} min {:6.2} ms  median {:6.2} ms  {:>8} bytes",
                times[0],
                times[times.len() / 2],
                size
            );
        };
        stage(
            "parse",
            &mut || xxgk::input::yaml::read_str(&text).report.body.len(),
            &mut total_min,
        );
        // A fresh `Fonts` for every render: no font program cut before (what a report alone
        // costs; a batch worker keeps the programs its reports share).
        let fresh = || {
            let fonts = Fonts::load(None).expect("fonts");
            let t = Instant::now();
            let n = render::render(&report, Format::Pdf, Some(&fonts))
                .expect("render")
                .len();
            (t.elapsed(), n)
        };
        let mut cold = vec![];
        for _ in 0..30 {
            cold.push(fresh().0.as_secs_f64() * 1000.0);
        }
        cold.sort_by(f64::total_cmp);
        println!(
            "  pdf cold min {:6.2} ms  median {:6.2} ms  (fonts loaded anew for each)",
            cold[0],
            cold[cold.len() / 2]
        );
        for f in [Format::Docx, Format::Pdf, Format::Xlsx] {
            stage(
                f.extension(),
                &mut || {
                    render::render(&report, f, Some(&fonts))
                        .expect("render")
                        .len()
                },
                &mut total_min,
            );
        }
        println!("  sum of minima {total_min:.2} ms");
    }
}
