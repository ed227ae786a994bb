//! The documents name files and tests that exist: every `src/…` and `tests/…` path in README.md
//! and docs/*.md is in the tree, and a test named after one (`tests/integration/pdf.rs::name`)
//! is a function of that file.

use crate::common::root;

/// The texts to hold to the tree: README.md, docs/*.md, benches/README.md, Cargo.toml, the CI
/// scripts and every source file under src/ (its comments name files too).
fn documents() -> Vec<(String, String)> {
    let mut names: Vec<String> = ["README.md", "benches/README.md", "Cargo.toml"]
        .into_iter()
        .map(String::from)
        .collect();
    let mut dirs = vec![root().join("docs"), root().join(".ci"), root().join("src")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p
                .extension()
                .is_none_or(|x| x == "md" || x == "rs" || x == "sh")
            {
                let rel = p.strip_prefix(root()).unwrap();
                names.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let text = read(&n);
            (n, text)
        })
        .collect()
}

fn read(name: &str) -> String {
    std::fs::read_to_string(root().join(name)).unwrap()
}

/// Whether a character can be part of a path or of the `::name` after it.
fn in_path(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_-./:<>".contains(c)
}

/// The `src/…` and `tests/…` paths a text names (starting at a word boundary), each maybe with
/// a `::function` after it; trailing dots and colons belong to the sentence.
fn named_paths(text: &str) -> Vec<String> {
    let mut out = vec![];
    for prefix in ["src/", "tests/"] {
        for (at, _) in text.match_indices(prefix) {
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| in_path(c) && c != ':') {
                continue;
            }
            let token: String = text[at..].chars().take_while(|&c| in_path(c)).collect();
            out.push(token.trim_end_matches(['.', ':']).to_string());
        }
    }
    out
}

#[test]
fn every_source_and_test_path_in_the_documents_exists() {
    let mut missing = std::collections::BTreeSet::new();
    let mut checked = 0;
    for (doc, text) in documents() {
        for token in named_paths(&text) {
            // A pattern that stands for many files (`tests/integration/<格式>.rs`), or what
            // install-tools.sh installs (git-ignored).
            if token.contains('<') || token.starts_with("tests/browser/node_modules") {
                continue;
            }
            let (path, function) = match token.split_once("::") {
                Some((p, f)) => (p, Some(f)),
                None => (token.as_str(), None),
            };
            let full = root().join(path);
            checked += 1;
            if !full.exists() {
                missing.insert(format!("{doc}: {path} does not exist"));
                continue;
            }
            if let Some(f) = function {
                let code = std::fs::read_to_string(&full).unwrap_or_default();
                if !code.contains(&format!("fn {f}(")) {
                    missing.insert(format!("{doc}: {path} has no fn {f}"));
                }
            }
        }
    }
    assert!(checked > 20, "the scan found the paths ({checked})");
    let missing: Vec<_> = missing.into_iter().collect();
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// FORMAT.md's table gives the code of each rule of the format as paths under src/ without the
/// `src/` (`spec/format.rs`), which exist, and cites its tests as `path::name` lists where later
/// names of the same file drop the path (`tests/…::a`、`b`); each of those names is a function
/// of the file last named.
#[test]
fn every_test_cited_in_the_format_table_exists() {
    let text = read("docs/FORMAT.md");
    let mut missing = vec![];
    for line in text.lines().filter(|l| l.starts_with('|')) {
        let mut file: Option<String> = None;
        for quoted in line.split('`').skip(1).step_by(2) {
            if let Some((path, _)) = quoted.split_once("::").filter(|(p, _)| p.ends_with(".rs")) {
                file = Some(path.to_string());
                continue;
            }
            // The code column names files and folders under src/ without the `src/`.
            let relative_source = (quoted.ends_with(".rs") || quoted.ends_with('/'))
                && !quoted.starts_with("src/")
                && !quoted.starts_with("tests/")
                && quoted
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_/.".contains(c));
            if relative_source && !root().join("src").join(quoted).exists() {
                missing.push(format!("src/{quoted} does not exist"));
            }
            let is_name = !quoted.is_empty()
                && quoted
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && quoted.contains('_');
            if let (true, Some(f)) = (is_name, &file) {
                let code = std::fs::read_to_string(root().join(f)).unwrap_or_default();
                if !code.contains(&format!("fn {quoted}(")) {
                    missing.push(format!("{f} has no fn {quoted}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
