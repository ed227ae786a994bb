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
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

/// Names in the output folder that belong to the batch itself.
pub const RESERVED: [&str; 3] = [super::RESULTS_JSON, super::SUMMARY_XLSX, super::INDEX_HTML];

pub use crate::job::OutputBase;

fn stem_and_ext(p: &Path) -> (OsString, OsString) {
    let stem = p
        .file_stem()
        .filter(|s| !s.is_empty())
        .map(OsStr::to_os_string)
        .unwrap_or_else(|| OsString::from("report"));
    let ext = p.extension().map(OsStr::to_os_string).unwrap_or_default();
    (stem, ext)
}

/// What makes two names the same file: case is ignored (Windows and macOS folders ignore it),
/// a name that is not UTF-8 is compared byte for byte.
fn name_key(dir: &Path, stem: &OsStr) -> (PathBuf, OsString) {
    let stem = match stem.to_str() {
        Some(s) => OsString::from(s.to_lowercase()),
        None => stem.to_os_string(),
    };
    (dir.to_path_buf(), stem)
}

fn joined(parts: &[&OsStr]) -> OsString {
    let mut out = OsString::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push("_");
        }
        out.push(p);
    }
    out
}

/// Plans the outputs of `inputs` (found under `base`) in `out` for `formats`. Every input gets
/// a stem no other input has in its folder (ignoring case), that names no input file and no
/// reserved file: first its own stem, where that is free and no other input in the folder shares
/// it; else `{stem}_{ext}`, then `{stem}_{ext}_2`, … in input order. `Err` is an input whose
/// outputs could not be given a free name (reported, nothing written for it).
pub fn plan(
    inputs: &[PathBuf],
    base: &Path,
    out: &Path,
    formats: &[Format],
) -> Vec<Result<OutputBase, String>> {
    let canon = |p: &Path| crate::output::canonical(p).unwrap_or_else(|_| p.to_path_buf());
    let input_files: HashSet<PathBuf> = inputs.iter().map(|p| canon(p)).collect();
    let out_root = canon(out);
    let defaults: Vec<(PathBuf, OsString, OsString)> = inputs
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(base).unwrap_or(p);
            let dir = out_root.join(rel.parent().unwrap_or(Path::new("")));
            let (stem, ext) = stem_and_ext(p);
            (dir, stem, ext)
        })
        .collect();
    let mut count: HashMap<(PathBuf, OsString), usize> = HashMap::new();
    for (dir, stem, _) in &defaults {
        *count.entry(name_key(dir, stem)).or_default() += 1;
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
    let mut claimed: HashSet<(PathBuf, OsString)> = HashSet::new();
    let mut planned: Vec<Option<Result<OutputBase, String>>> = vec![None; defaults.len()];
    // Plain names first, so that no fallback name can take one an input would have had.
    for (i, (dir, stem, _)) in defaults.iter().enumerate() {
        let key = name_key(dir, stem);
        let plain = OutputBase {
            dir: dir.clone(),
            stem: stem.clone(),
        };
        if count.get(&key).is_some_and(|n| *n == 1) && !taken(&plain) {
            claimed.insert(key);
            planned[i] = Some(Ok(plain));
        }
    }
    for (i, (dir, stem, ext)) in defaults.iter().enumerate() {
        if planned[i].is_some() {
            continue;
        }
        let found = (1..=1000usize).find_map(|n| {
            let number = n.to_string();
            let mut parts: Vec<&OsStr> = vec![stem, ext];
            if n > 1 {
                parts.push(OsStr::new(&number));
            }
            let apart = OutputBase {
                dir: dir.clone(),
                stem: joined(&parts),
            };
            let key = name_key(dir, &apart.stem);
            (!claimed.contains(&key) && !count.contains_key(&key) && !taken(&apart))
                .then_some((key, apart))
        });
        planned[i] = Some(match found {
            Some((key, apart)) => {
                claimed.insert(key);
                Ok(apart)
            }
            None => Err(format!(
                "输出文件名“{}”与其他输入、输入文件或保留文件重名，未生成",
                stem.to_string_lossy()
            )),
        });
    }
    planned.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Input files of these names in `d`, and an empty output folder `d/out`.
    fn inputs_in(d: &Path, names: &[&str]) -> (Vec<PathBuf>, PathBuf) {
        let inputs = names
            .iter()
            .map(|n| {
                std::fs::write(d.join(n), "x").unwrap();
                d.join(n)
            })
            .collect();
        let out = d.join("out");
        std::fs::create_dir(&out).unwrap();
        (inputs, out)
    }

    #[test]
    fn inputs_sharing_a_stem_are_named_apart() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let (inputs, out) = inputs_in(d, &["a.yaml", "a.yml", "a.xlsx", "b.yaml", "汇总.yaml"]);
        let all = [Format::Docx, Format::Pdf, Format::Xlsx];
        let stems: Vec<String> = plan(&inputs, d, &out, &all)
            .into_iter()
            .map(|r| r.unwrap().stem.to_string_lossy().to_string())
            .collect();
        assert_eq!(stems, ["a_yaml", "a_yml", "a_xlsx", "b", "汇总_yaml"]);
        // Only the formats written count: 汇总.yaml to PDF alone keeps its name.
        let r = plan(&inputs[4..], d, &out, &[Format::Pdf]);
        assert_eq!(r[0].as_ref().unwrap().stem, "汇总");
    }

    #[test]
    fn a_fallback_name_never_takes_another_inputs_name() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // a.yaml and a.xlsx share a stem, so they are named apart — but a_yaml is another
        // input's own stem, and 汇总_yaml too, beside 汇总.yaml whose name is reserved.
        let names = [
            "a.yaml",
            "a.xlsx",
            "a_yaml.yaml",
            "A_YAML_2.yml",
            "汇总.yaml",
            "汇总_yaml.yaml",
        ];
        let (inputs, out) = inputs_in(d, &names);
        let all = [Format::Docx, Format::Pdf, Format::Xlsx];
        let stems: Vec<String> = plan(&inputs, d, &out, &all)
            .into_iter()
            .map(|r| r.unwrap().stem.to_string_lossy().to_string())
            .collect();
        let lower: HashSet<String> = stems.iter().map(|s| s.to_lowercase()).collect();
        assert_eq!(lower.len(), names.len(), "{stems:?}");
        assert_eq!(
            stems,
            [
                "a_yaml_3",
                "a_xlsx",
                "a_yaml",
                "A_YAML_2",
                "汇总_yaml_2",
                "汇总_yaml"
            ]
        );
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
