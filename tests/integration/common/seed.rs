//! Test reports shared by tests/integration/pdf.rs and benches/pdf.rs: the seed report
//! (廊坊市人民政府办公室 2021, read from `examples/langfang-2021.yaml`) and a large synthetic one.
#![allow(dead_code)]

use xxgk::model::{Count, Report, Section, Subsection, Text};

/// The seed report, read from the bundled example (the one copy of its texts and numbers).
pub fn seed_report() -> Report {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/langfang-2021.yaml");
    let text = std::fs::read_to_string(path).expect("examples/langfang-2021.yaml");
    let parsed = xxgk::input::yaml::read_str(&text);
    assert!(
        parsed.complete && !xxgk::diag::has_errors(&parsed.diagnostics),
        "the example reads cleanly: {:?}",
        parsed.diagnostics
    );
    parsed.report
}

pub fn large_report() -> Report {
    let mut r = seed_report();
    r.body = "某某省某某市某某区人民政府办公室（区政务服务管理办公室）".into();
    r.show_zero = Some(true);
    let long = seed_report().overview.subsections;
    let mk = |k: usize| -> Section {
        Section {
            intro: Text(format!("{}\n\n{}", long[k % 5].body.0, long[(k + 1) % 5].body.0)),
            subsections: (0..5)
                .map(|j| Subsection {
                    title: long[(j + k) % 5].title.clone(),
                    body: Text(format!("{}\n\n{}“十四五”规划（2021—2025年）第2轮共10704条、7730.28万元、同比增长158%。{}", long[(j + k) % 5].body.0, long[j].body.0, long[(j + 2) % 5].body.0)),
                })
                .collect(),
        }
    };
    r.overview = mk(0);
    r.problems = mk(1);
    r.other = mk(2);
    for (i, row) in r.table3.cells.iter_mut().enumerate() {
        for (c, cell) in row.iter_mut().enumerate().take(6) {
            *cell = Count::new(((i * 7 + c * 13) % 50) as u64 * 97 + 1000);
        }
    }
    r.table2.documents[0][0] = Count::with_note(22, Some("其中修订16件".into()));
    r.table2.decisions = [Count::new(123456), Count::new(98765), Count::new(4321)];
    r.table2.fee.value = xxgk::model::Decimal::parse("59237.2449").unwrap();
    for g in 0..3 {
        for c in 0..4 {
            r.table4.cells[g][c] = Count::new((g * 4 + c) as u64 * 11 + 3);
        }
    }
    r.compute_totals();
    r
}
