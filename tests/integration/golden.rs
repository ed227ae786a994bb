//! Golden files: generated text outputs compared byte for byte with committed copies, so any
//! change to them is seen in review. Regenerate with
//! `XXGK_BLESS=1 cargo test --test integration golden::`.

use crate::common::{example, golden};

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
