//! Golden files: generated text outputs compared byte for byte with committed copies, so any
//! change to them is seen in review. Regenerate with
//! `XXGK_BLESS=1 cargo test --test integration golden::`.

use crate::common::{example, root};

fn golden(name: &str, actual: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("XXGK_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} missing: run with XXGK_BLESS=1", path.display()));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{name} differs from the golden file at line {}:\n  golden: {:?}\n  actual: {:?}\n(XXGK_BLESS=1 regenerates it)",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

#[test]
fn yaml_template() {
    golden("template-2025.yaml", &xxgk::render::yaml::template(2025));
}

#[test]
fn seed_report_as_yaml() {
    let report = xxgk::input::yaml::read_str(&example("langfang-2021.yaml")).report;
    golden(
        "langfang-2021.converted.yaml",
        &xxgk::render::yaml::render(&report),
    );
}
