//! `batch --previous DIR`: last year's report of each body, found by 机关. Each process that
//! checks reports (a worker, or the batch itself without workers) reads the previous folder's
//! reports once, the first time one is asked for, and keeps only 机关, 年度 and the path.

use crate::diag::{Diagnostic, Rule};
use crate::job;
use crate::model::Report;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The previous year's reports and, once read, their index.
pub struct Previous {
    paths: Vec<PathBuf>,
    /// 机关 → (年度, path), every report read without errors.
    index: OnceLock<BTreeMap<String, Vec<(u16, PathBuf)>>>,
}

impl Previous {
    pub fn new(paths: Vec<PathBuf>) -> Previous {
        Previous {
            paths,
            index: OnceLock::new(),
        }
    }

    fn index(&self) -> &BTreeMap<String, Vec<(u16, PathBuf)>> {
        self.index.get_or_init(|| {
            let mut m: BTreeMap<String, Vec<(u16, PathBuf)>> = BTreeMap::new();
            for p in &self.paths {
                if let Ok(parsed) = job::read(job::Input::Path(p)) {
                    if parsed.complete && !parsed.report.body.is_empty() {
                        m.entry(parsed.report.body.clone())
                            .or_default()
                            .push((parsed.report.year, p.clone()));
                    }
                }
            }
            m
        })
    }

    /// The report of `body` for the year before `year` (else its latest earlier one), read and
    /// without reading errors; or a note why there is none to compare with. Nothing when no
    /// previous folder was given.
    pub fn find(&self, body: &str, year: u16) -> (Option<Report>, Option<Diagnostic>) {
        if self.paths.is_empty() {
            return (None, None);
        }
        let note = |msg: String| {
            Some(
                Diagnostic::warning(Rule::YPrevious, msg)
                    .with_hint("上年报告按“机关”与本年报告配对：两年的机关名称应相同（可以一份带、一份不带上级地名，如“淮安市洪泽区人民政府”与“洪泽区人民政府”）"),
            )
        };
        let earlier = |v: &'_ Vec<(u16, PathBuf)>| {
            v.iter()
                .filter(|(y, _)| *y < year)
                .max_by_key(|(y, p)| (*y, std::cmp::Reverse(p.clone())))
                .cloned()
        };
        // The same name, else the same body named with or without its regions' names.
        let found = self.index().get(body).and_then(earlier).or_else(|| {
            self.index()
                .iter()
                .filter(|(b, _)| crate::model::same_body(b, body))
                .filter_map(|(_, v)| earlier(v))
                .max_by_key(|(y, p)| (*y, std::cmp::Reverse(p.clone())))
        });
        let Some((_, path)) = found else {
            return (
                None,
                note(format!(
                    "上年报告目录中没有“{}”{}年以前的报告，未做跨年度核对",
                    crate::input::number::cut(body),
                    year
                )),
            );
        };
        match job::read(job::Input::Path(&path)) {
            Ok(p) if p.complete && !crate::diag::has_errors(&p.diagnostics) => {
                (Some(p.report), None)
            }
            _ => (
                None,
                note(format!(
                    "上年报告 {} 有错误，未做跨年度核对",
                    path.display()
                )),
            ),
        }
    }
}
