//! The rules' metadata (`Rule::info`: id, severities, one line) is the one list of rules: the
//! rule table of `docs/CLI.md`, the rule sections of `docs/INPUT.md` and the 填写说明 sheet of
//! the blank workbook must say the same, and every place in `src/` that raises a rule must give
//! it a severity the metadata allows.

use crate::common::{root, xxgk};
use calamine::{Data, Reader, Xlsx};
use std::collections::BTreeSet;
use xxgk::diag::{Rule, Severity};

fn doc(name: &str) -> String {
    std::fs::read_to_string(root().join("docs").join(name)).unwrap()
}

/// The cells of a Markdown table row (`| a | b |` → `["a", "b"]`), or None for other lines.
fn cells(line: &str) -> Option<Vec<String>> {
    let line = line.trim();
    let inner = line.strip_prefix('|')?.strip_suffix('|')?;
    Some(inner.split('|').map(|c| c.trim().to_string()).collect())
}

/// Whether a word has the shape of a rule id: capitals and digits, maybe joined by hyphens.
fn looks_like_an_id(word: &str) -> bool {
    !word.is_empty()
        && word.split('-').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
        && word.chars().any(|c| c.is_ascii_uppercase())
}

/// The lines of a Markdown document from the heading that starts with `heading` to the next
/// heading of the same or a higher level.
fn section<'a>(text: &'a str, heading: &str) -> Vec<&'a str> {
    let mut lines = text.lines();
    let level = lines
        .by_ref()
        .find(|l| l.starts_with(heading))
        .unwrap_or_else(|| panic!("no heading {heading}"))
        .chars()
        .take_while(|&c| c == '#')
        .count();
    lines
        .take_while(|l| {
            let hashes = l.chars().take_while(|&c| c == '#').count();
            hashes == 0 || hashes > level || !l[hashes..].starts_with(' ')
        })
        .collect()
}

fn all_ids() -> BTreeSet<&'static str> {
    Rule::ALL.iter().map(|r| r.id()).collect()
}

/// Written out by hand from the metadata's severities, so that a test does not print the
/// words with the function that printed them in the program.
fn severity_in_words(r: Rule) -> &'static str {
    let s = r.severities();
    match (s.contains(&Severity::Error), s.contains(&Severity::Warning)) {
        (true, false) => "错误",
        (false, true) => "警告",
        (true, true) => "错误或警告",
        (false, false) => panic!("{} has no severity", r.id()),
    }
}

#[test]
fn the_metadata_is_complete_and_ids_are_unique() {
    assert_eq!(all_ids().len(), Rule::ALL.len(), "ids repeat");
    for r in Rule::ALL {
        let info = r.info();
        assert!(looks_like_an_id(info.id), "{}", info.id);
        assert!(!info.severities.is_empty(), "{}", info.id);
        let d = info.description;
        assert!(
            !d.is_empty() && !d.contains('\n') && !d.contains('|') && d.chars().count() <= 100,
            "{}: one line, no table bar, at most 100 characters: {d}",
            info.id
        );
        assert!(
            d.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{}: in Chinese",
            info.id
        );
    }
}

/// `docs/CLI.md` lists every rule with its severity and description (table under `## 规则编号`),
/// and the JSON table's `rule` row names exactly the rules there are.
#[test]
fn cli_doc_lists_exactly_the_rules_with_their_metadata() {
    let text = doc("CLI.md");
    let table: Vec<Vec<String>> = section(&text, "## 规则编号")
        .into_iter()
        .filter_map(cells)
        .filter(|c| looks_like_an_id(&c[0]))
        .collect();
    let want: Vec<Vec<String>> = Rule::ALL
        .iter()
        .map(|r| {
            vec![
                r.id().to_string(),
                severity_in_words(*r).to_string(),
                r.description().to_string(),
            ]
        })
        .collect();
    let as_rows = |t: &[Vec<String>]| {
        t.iter()
            .map(|c| format!("| {} |", c.join(" | ")))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(
        table == want,
        "docs/CLI.md's rule table differs from Rule::info; it should read:\n{}",
        as_rows(&want)
    );

    let rule_row = text
        .lines()
        .filter_map(cells)
        .find(|c| c[0] == "`rule`")
        .expect("the JSON table has a `rule` row");
    let named: BTreeSet<&str> = rule_row[1]
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|w| looks_like_an_id(w))
        .collect();
    assert_eq!(named, all_ids(), "the `rule` row of docs/CLI.md");
}

/// Section 11 of `docs/INPUT.md` explains every rule, under a heading or in a table row, and
/// each table gives it the severity the metadata gives (its 级别 column, or the heading's
/// （错误）/（警告…）); it names no rule that does not exist.
#[test]
fn input_doc_explains_exactly_the_rules_with_their_severities() {
    let text = doc("INPUT.md");
    let lines = section(&text, "## 11.");
    let mut named = BTreeSet::new();
    let mut heading_severity: Option<&str> = None;
    let mut severity_column: Option<usize> = None;
    for line in lines {
        if line.starts_with('#') {
            heading_severity = if line.contains("（错误）") {
                Some("错误")
            } else if line.contains("（警告") {
                Some("警告")
            } else {
                None
            };
            // A heading that names one rule in full-width brackets: `### 文字（TEXT）`.
            for part in line.split('（').skip(1) {
                if let Some(id) = part.split('）').next().filter(|w| looks_like_an_id(w)) {
                    named.insert(id.to_string());
                }
            }
            continue;
        }
        let Some(c) = cells(line) else {
            severity_column = None;
            continue;
        };
        if let Some(i) = c.iter().position(|h| h == "级别") {
            severity_column = Some(i);
            continue;
        }
        if !looks_like_an_id(&c[0]) {
            continue;
        }
        let id = c[0].clone();
        let rule = Rule::ALL
            .into_iter()
            .find(|r| r.id() == id)
            .unwrap_or_else(|| panic!("docs/INPUT.md names a rule {id} that does not exist"));
        let said = severity_column
            .map(|i| c[i].as_str())
            .or(heading_severity)
            .unwrap_or_else(|| panic!("docs/INPUT.md gives {id} no severity"));
        let want = severity_in_words(rule);
        let agrees = match want {
            "错误或警告" => said.contains("错误") && said.contains("警告"),
            one => said == one,
        };
        assert!(
            agrees,
            "docs/INPUT.md: {id} is {said}, the metadata says {want}"
        );
        named.insert(id);
    }
    let want: BTreeSet<String> = all_ids().into_iter().map(String::from).collect();
    assert_eq!(
        named, want,
        "rules explained in section 11 of docs/INPUT.md"
    );
}

/// The blank workbook's 填写说明, read back with calamine, lists each rule that judges the
/// report — with its id, severity and description — and no other.
#[test]
fn the_template_instructions_list_the_checks_from_the_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = xxgk(&["template", "--xlsx", "-o", "t.xlsx"], dir.path());
    assert_eq!(code, 0, "{err}");
    let mut wb: Xlsx<_> = calamine::open_workbook(dir.path().join("t.xlsx")).unwrap();
    let range = wb.worksheet_range("填写说明").unwrap();
    let paragraphs: Vec<String> = range
        .rows()
        .filter_map(|row| match row.first() {
            // Paragraphs are broken into printed lines: read across the breaks.
            Some(Data::String(s)) => Some(s.replace('\n', "")),
            _ => None,
        })
        .collect();
    let listed: Vec<&String> = paragraphs
        .iter()
        .filter(|p| p.split('（').next().is_some_and(looks_like_an_id))
        .collect();
    let want: Vec<String> = Rule::ALL
        .iter()
        .filter(|r| !matches!(r, Rule::Io | Rule::Render | Rule::Crash | Rule::Import))
        .map(|r| {
            format!(
                "{}（{}）：{}",
                r.id(),
                severity_in_words(*r),
                r.description()
            )
        })
        .collect();
    assert_eq!(
        listed,
        want.iter().collect::<Vec<_>>(),
        "填写说明:\n{}",
        paragraphs.join("\n")
    );
}

/// Every call in `src/` that raises a diagnostic of a rule (`Diagnostic::error(Rule::X, …)`,
/// `warning(Rule::X`, a reader's own `self.error(Rule::X`) gives a severity the rule's metadata
/// allows — read from the source text, so the metadata is held to the code, not to itself.
#[test]
fn every_rule_is_raised_only_with_the_severities_its_metadata_gives() {
    let mut files = vec![];
    let mut dirs = vec![root().join("src")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    let variant = |name: &str| {
        Rule::ALL
            .into_iter()
            .find(|r| format!("{r:?}") == name)
            .unwrap_or_else(|| panic!("Rule::{name}"))
    };
    let mut seen = BTreeSet::new();
    for f in files {
        let code = std::fs::read_to_string(&f).unwrap();
        for (word, severity) in [
            ("error(", Severity::Error),
            ("warning(", Severity::Warning),
            ("warn(", Severity::Warning),
        ] {
            for (at, _) in code.match_indices(word) {
                // A call, not a longer name that ends in the word (`is_error(`).
                let before = code[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let args = code[at + word.len()..].trim_start();
                let Some(rest) = args.strip_prefix("Rule::") else {
                    continue;
                };
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
                let rule = variant(&name);
                assert!(
                    rule.severities().contains(&severity),
                    "{} raises {} as {severity:?}, but its metadata says {:?}",
                    f.display(),
                    rule.id(),
                    rule.severities()
                );
                seen.insert((rule.id(), severity));
            }
        }
    }
    // The scan found the calls (it would pass vacuously if the constructors were renamed), and
    // a rule said to take both severities is raised with both.
    assert!(seen.contains(&("T3-BALANCE", Severity::Error)), "{seen:?}");
    assert!(
        seen.contains(&("TEXT-TABLE", Severity::Warning)),
        "{seen:?}"
    );
    for r in Rule::ALL {
        let raised: Vec<Severity> = [Severity::Error, Severity::Warning]
            .into_iter()
            .filter(|s| seen.contains(&(r.id(), *s)))
            .collect();
        assert!(
            raised.is_empty() || raised == r.severities(),
            "{} is raised as {raised:?}, its metadata says {:?}",
            r.id(),
            r.severities()
        );
    }
}
