//! Where each input's documents go, so that nothing is overwritten unseen: outputs never
//! replace an input, two inputs never write the same file, and no report takes the name of the
//! batch's own files.
//!
//! An input `DIR/sub/a.yaml` writes `OUT/sub/a.docx`, `a.pdf`, …. When that name is taken —
//! another input in the same folder has the stem `a` (`a.yml`, `a.xlsx`), an output would
//! replace an input file (`render a.xlsx` beside itself), or it would be one of the batch's
//! reserved names (`汇总.xlsx`) — the input's extension is added: `a_yaml.docx`, `a_xlsx.xlsx`.

use crate::render::Format;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Names in the output folder that belong to the batch itself.
pub const RESERVED: [&str; 3] = [super::RESULTS_JSON, super::SUMMARY_XLSX, super::INDEX_HTML];

pub use crate::job::OutputBase;

fn stem_and_ext(p: &Path) -> (String, String) {
    let stem = p
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "report".to_string());
    let ext = p
        .extension()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    (stem, ext)
}

/// Plans the outputs of `inputs` (found under `base`) in `out` for `formats`. `Err` is an input
/// whose outputs could not be given a free name (reported, nothing written for it).
pub fn plan(
    inputs: &[PathBuf],
    base: &Path,
    out: &Path,
    formats: &[Format],
) -> Vec<Result<OutputBase, String>> {
    let canon = |p: &Path| crate::output::canonical(p).unwrap_or_else(|_| p.to_path_buf());
    let input_files: HashSet<PathBuf> = inputs.iter().map(|p| canon(p)).collect();
    let out_root = canon(out);
    let defaults: Vec<(PathBuf, String, String)> = inputs
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(base).unwrap_or(p);
            let dir = out_root.join(rel.parent().unwrap_or(Path::new("")));
            let (stem, ext) = stem_and_ext(p);
            (dir, stem, ext)
        })
        .collect();
    let mut count: HashMap<(PathBuf, String), usize> = HashMap::new();
    for (dir, stem, _) in &defaults {
        *count.entry((dir.clone(), stem.to_lowercase())).or_default() += 1;
    }
    let taken = |b: &OutputBase| {
        formats.iter().any(|f| {
            let file = b.file(*f);
            input_files.contains(&file)
                || (b.dir == out_root
                    && file
                        .file_name()
                        .is_some_and(|n| RESERVED.iter().any(|r| n == *r)))
        })
    };
    defaults
        .into_iter()
        .map(|(dir, stem, ext)| {
            let crowded = count
                .get(&(dir.clone(), stem.to_lowercase()))
                .is_some_and(|n| *n > 1);
            let plain = OutputBase {
                dir: dir.clone(),
                stem: stem.clone(),
            };
            if !crowded && !taken(&plain) {
                return Ok(plain);
            }
            let apart = OutputBase {
                dir,
                stem: format!("{stem}_{ext}"),
            };
            if taken(&apart) {
                Err(format!(
                    "输出文件名“{}”与输入文件或保留文件重名，未生成",
                    apart.stem
                ))
            } else {
                Ok(apart)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_sharing_a_stem_are_named_apart() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let inputs: Vec<PathBuf> = ["a.yaml", "a.yml", "a.xlsx", "b.yaml", "汇总.yaml"]
            .iter()
            .map(|n| {
                std::fs::write(d.join(n), "x").unwrap();
                d.join(n)
            })
            .collect();
        let out = d.join("out");
        std::fs::create_dir(&out).unwrap();
        let all = [Format::Docx, Format::Pdf, Format::Xlsx];
        let stems: Vec<String> = plan(&inputs, d, &out, &all)
            .into_iter()
            .map(|r| r.unwrap().stem)
            .collect();
        assert_eq!(stems, ["a_yaml", "a_yml", "a_xlsx", "b", "汇总_yaml"]);
        // Only the formats written count: 汇总.yaml to PDF alone keeps its name.
        let r = plan(&inputs[4..], d, &out, &[Format::Pdf]);
        assert_eq!(r[0].as_ref().unwrap().stem, "汇总");
    }

    #[test]
    fn an_output_never_replaces_its_input() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("report.xlsx");
        std::fs::write(&input, "x").unwrap();
        let r = plan(
            std::slice::from_ref(&input),
            dir.path(),
            dir.path(),
            &[Format::Xlsx],
        );
        assert_eq!(r[0].as_ref().unwrap().stem, "report_xlsx");
        // Other formats keep the plain name.
        let r = plan(&[input], dir.path(), dir.path(), &[Format::Pdf]);
        assert_eq!(r[0].as_ref().unwrap().stem, "report");
    }
}
