//! The floors of `src/lib.rs`, checked on the source: every `crate::` path in a module points to
//! a lower floor (or into the module itself), and no files import each other in a circle.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The floors of the top-level modules, as `src/lib.rs` states them.
fn floor(module: &str) -> usize {
    match module {
        "spec" | "output" => 0,
        "diag" | "model" => 1,
        "input" => 2,
        "validate" => 3,
        "render" => 4,
        "job" => 5,
        "batch" | "compare" => 6,
        "serve" => 7,
        "cli" => 8,
        "lib" | "main" => 9,
        other => panic!("module {other} has no floor: add it to src/lib.rs and to this test"),
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without comments and without its unit tests.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Module path segments after `prefix` (`crate::render::docx::model::Paragraph` → render, docx, …).
fn paths_after<'a>(code: &'a str, prefix: &str) -> Vec<Vec<&'a str>> {
    let mut out = vec![];
    for (i, _) in code.match_indices(prefix) {
        let rest = &code[i + prefix.len()..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        let segs: Vec<&str> = rest[..end].split("::").filter(|s| !s.is_empty()).collect();
        if !segs.is_empty() {
            out.push(segs);
        }
    }
    out
}

/// The file a module path names, trying the longest prefix first.
fn resolve(src: &Path, segs: &[&str]) -> Option<PathBuf> {
    for n in (1..=segs.len()).rev() {
        let base: PathBuf = segs[..n].iter().collect();
        for cand in [
            src.join(&base).with_extension("rs"),
            src.join(&base).join("mod.rs"),
        ] {
            if cand.exists() {
                return Some(cand);
            }
        }
    }
    None
}

#[test]
fn every_import_points_down() {
    let src = common::root().join("src");
    let mut files = vec![];
    rust_files(&src, &mut files);
    let mut wrong = vec![];
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        for segs in paths_after(&code(f), "crate::") {
            let target = segs[0];
            if target != top && floor(target) >= floor(&top) {
                wrong.push(format!(
                    "{} imports crate::{}",
                    rel.display(),
                    segs.join("::")
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports on the same floor or above:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_files_import_each_other_in_a_circle() {
    let src = common::root().join("src");
    let mut files = vec![];
    rust_files(&src, &mut files);
    // Edges between files; a parent `mod.rs` owns its children, so its uses of them are not
    // edges (a child using what its parent re-exports is the usual shape).
    let mut edges: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    for f in &files {
        let code = code(f);
        let dir = f.parent().unwrap();
        let module_dir = if f.ends_with("mod.rs") {
            dir.parent().unwrap()
        } else {
            dir
        };
        let mut targets = vec![];
        for segs in paths_after(&code, "crate::") {
            targets.extend(resolve(&src, &segs));
        }
        for segs in paths_after(&code, "super::") {
            let rel: Vec<&str> = module_dir
                .strip_prefix(&src)
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_str().unwrap())
                .collect();
            let mut full = rel.clone();
            full.extend(segs);
            targets.extend(resolve(&src, &full));
        }
        for t in targets {
            let owned = f.ends_with("mod.rs") && t.starts_with(dir) && t != *f;
            if t != *f && !owned {
                edges.entry(f.clone()).or_default().insert(t);
            }
        }
    }
    // Depth-first search for a cycle.
    fn visit(
        n: &PathBuf,
        edges: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        state: &mut BTreeMap<PathBuf, u8>,
        stack: &mut Vec<PathBuf>,
    ) -> Option<Vec<PathBuf>> {
        match state.get(n) {
            Some(2) => return None,
            Some(1) => {
                let at = stack.iter().position(|x| x == n).unwrap_or(0);
                return Some(stack[at..].to_vec());
            }
            _ => {}
        }
        state.insert(n.clone(), 1);
        stack.push(n.clone());
        for m in edges.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, edges, state, stack) {
                return Some(c);
            }
        }
        stack.pop();
        state.insert(n.clone(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for f in &files {
        let mut stack = vec![];
        if let Some(cycle) = visit(f, &edges, &mut state, &mut stack) {
            let names: Vec<String> = cycle
                .iter()
                .map(|p| p.strip_prefix(&src).unwrap().display().to_string())
                .collect();
            panic!("files import each other in a circle: {}", names.join(" → "));
        }
    }
}

/// The library is synchronous: only the web server (`src/serve/`) has async code; it calls the
/// rest from blocking threads.
#[test]
fn only_the_server_is_async() {
    let src = common::root().join("src");
    let mut files = vec![];
    rust_files(&src, &mut files);
    let mut wrong = vec![];
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap();
        if rel.starts_with("serve") {
            continue;
        }
        let c = code(f);
        if c.contains("async ") || c.contains(".await") {
            wrong.push(rel.display().to_string());
        }
    }
    assert!(wrong.is_empty(), "async code outside src/serve: {wrong:?}");
}
