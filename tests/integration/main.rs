//! The integration tests, linked into one test binary (as rust_xlsxwriter does): one module per
//! area, helpers in `common`. Run one area with `cargo test --test integration docx::`.

mod common;

mod architecture;
mod batch;
mod batch_summary;
mod check;
mod cli_help;
mod compare;
mod docs;
mod docx;
mod excel_input;
mod fuzz;
mod golden;
mod hostile;
mod hostile_budget;
mod hostile_in;
mod hostile_outputs;
mod hostile_render;
mod hostile_xlsx;
mod html;
mod ofd;
mod pages;
mod pdf;
mod pdf_tags;
mod pipeline;
mod published;
mod published_doubt;
mod published_pdf;
mod published_real;
mod render_cmd;
mod rules;
mod same_document;
mod serve;
mod standalone;
mod text_table;
mod xlsx;

/// With `autotests = false` cargo builds only this binary, so a test file that is not one of its
/// modules (a new `tests/x.rs`, or a file here without its `mod`) would never run, silently.
#[test]
fn every_test_file_is_a_module_of_this_binary() {
    let root = common::root();
    let stray: Vec<_> = std::fs::read_dir(root.join("tests"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    assert!(
        stray.is_empty(),
        "move these into tests/integration/ and add a `mod` line to its main.rs: {stray:?}"
    );
    let main = std::fs::read_to_string(root.join("tests/integration/main.rs")).unwrap();
    for e in std::fs::read_dir(root.join("tests/integration")).unwrap() {
        let path = e.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.extension().is_some_and(|x| x == "rs") && stem != "main" {
            assert!(
                main.lines().any(|l| l == format!("mod {stem};")),
                "tests/integration/{stem}.rs is not a `mod` of main.rs"
            );
        }
    }
}
