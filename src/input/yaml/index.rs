//! Where each key and value of a YAML file sits (line, column) and its raw text.
//!
//! serde_yaml's `Value` forgets positions, so this small scanner walks the source once and records
//! them by path (`申请情况/本年新收/0`). It understands what report files use: block mappings,
//! block sequences, single-line flow sequences and mappings, block scalars (skipped). Anything it
//! does not understand just gets no position; diagnostics then point at the nearest ancestor.

use std::collections::HashMap;

/// 1-based line and column (columns count characters, like serde_yaml's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Default)]
pub struct YamlIndex {
    keys: HashMap<String, Pos>,
    values: HashMap<String, (Pos, String)>,
}

struct Frame {
    indent: isize,
    path: String,
    seq: usize,
    item: bool,
}

pub(super) fn join(parent: &str, seg: &str) -> String {
    if parent.is_empty() {
        seg.to_string()
    } else {
        format!("{parent}/{seg}")
    }
}

impl YamlIndex {
    pub fn build(text: &str) -> YamlIndex {
        let mut ix = YamlIndex::default();
        let mut stack = vec![Frame {
            indent: -1,
            path: String::new(),
            seq: 0,
            item: false,
        }];
        let mut skip_deeper_than: Option<isize> = None;
        for (n, line) in text.lines().enumerate() {
            let chars: Vec<char> = line.chars().collect();
            let indent = chars.iter().take_while(|c| **c == ' ').count();
            let content = &chars[indent..];
            if content.is_empty() || content[0] == '#' {
                continue;
            }
            if let Some(d) = skip_deeper_than {
                if indent as isize > d {
                    continue;
                }
                skip_deeper_than = None;
            }
            let s: String = content.iter().collect();
            if s.starts_with("---") || s.starts_with("...") {
                continue;
            }
            ix.entry(&mut stack, &mut skip_deeper_than, n + 1, indent, content);
        }
        ix
    }

    fn entry(
        &mut self,
        stack: &mut Vec<Frame>,
        skip: &mut Option<isize>,
        line: usize,
        ind: usize,
        content: &[char],
    ) {
        let indent = ind as isize;
        if content[0] == '-' && (content.len() == 1 || content[1] == ' ') {
            while stack.len() > 1 {
                let top = &stack[stack.len() - 1];
                if top.indent > indent || (top.indent == indent && top.item) {
                    stack.pop();
                } else {
                    break;
                }
            }
            let parent = stack.len() - 1;
            let idx = stack[parent].seq;
            stack[parent].seq += 1;
            let path = join(&stack[parent].path, &idx.to_string());
            stack.push(Frame {
                indent,
                path: path.clone(),
                seq: 0,
                item: true,
            });
            let spaces = content[1..].iter().take_while(|c| **c == ' ').count();
            let after = &content[1 + spaces..];
            if after.is_empty() || after[0] == '#' {
                return;
            }
            let col = ind + 1 + spaces;
            self.keys.insert(
                path.clone(),
                Pos {
                    line,
                    column: ind + 1,
                },
            );
            if split_key(after).is_some()
                || (after[0] == '-' && (after.len() == 1 || after[1] == ' '))
            {
                self.entry(stack, skip, line, col, after);
            } else {
                self.value(&path, line, col + 1, after);
                *skip = Some(indent);
            }
            return;
        }
        let Some((key, vstart)) = split_key(content) else {
            return;
        };
        while stack.len() > 1 && stack[stack.len() - 1].indent >= indent {
            stack.pop();
        }
        let path = join(&stack[stack.len() - 1].path, &key);
        self.keys.insert(
            path.clone(),
            Pos {
                line,
                column: ind + 1,
            },
        );
        stack.push(Frame {
            indent,
            path: path.clone(),
            seq: 0,
            item: false,
        });
        let rest = &content[vstart..];
        let spaces = rest.iter().take_while(|c| **c == ' ').count();
        let value = &rest[spaces..];
        if value.is_empty() || value[0] == '#' {
            return;
        }
        let col = ind + vstart + spaces + 1;
        if value[0] == '|' || value[0] == '>' {
            self.values
                .insert(path, (Pos { line, column: col }, String::new()));
        } else {
            self.value(&path, line, col, value);
        }
        // Continuation lines of a multi-line scalar (or of a block scalar) are deeper than the key.
        *skip = Some(indent);
    }

    /// Records a value starting at 1-based column `col`.
    fn value(&mut self, path: &str, line: usize, col: usize, v: &[char]) {
        let mut i = 0;
        self.flow_node(path, line, col, v, &mut i);
    }

    fn flow_node(&mut self, path: &str, line: usize, col0: usize, v: &[char], i: &mut usize) {
        skip_ws(v, i);
        if *i >= v.len() {
            return;
        }
        let pos = Pos {
            line,
            column: col0 + *i,
        };
        match v[*i] {
            '[' => {
                self.values.insert(path.to_string(), (pos, String::new()));
                *i += 1;
                let mut idx = 0;
                loop {
                    skip_ws(v, i);
                    if *i >= v.len() {
                        return;
                    }
                    if v[*i] == ']' {
                        *i += 1;
                        return;
                    }
                    self.flow_node(&join(path, &idx.to_string()), line, col0, v, i);
                    idx += 1;
                    skip_ws(v, i);
                    match v.get(*i) {
                        Some(',') => *i += 1,
                        Some(']') => {
                            *i += 1;
                            return;
                        }
                        _ => return,
                    }
                }
            }
            '{' => {
                self.values.insert(path.to_string(), (pos, String::new()));
                *i += 1;
                loop {
                    skip_ws(v, i);
                    if *i >= v.len() {
                        return;
                    }
                    if v[*i] == '}' {
                        *i += 1;
                        return;
                    }
                    let kstart = *i;
                    while *i < v.len() && !matches!(v[*i], ':' | ',' | '}') {
                        *i += 1;
                    }
                    let key: String = v[kstart..*i].iter().collect();
                    let key = unquote(key.trim());
                    let kpath = join(path, &key);
                    self.keys.insert(
                        kpath.clone(),
                        Pos {
                            line,
                            column: col0 + kstart,
                        },
                    );
                    if v.get(*i) == Some(&':') {
                        *i += 1;
                        self.flow_node(&kpath, line, col0, v, i);
                    }
                    skip_ws(v, i);
                    match v.get(*i) {
                        Some(',') => *i += 1,
                        Some('}') => {
                            *i += 1;
                            return;
                        }
                        _ => return,
                    }
                }
            }
            _ => {
                let start = *i;
                let mut quote: Option<char> = None;
                while *i < v.len() {
                    let c = v[*i];
                    match quote {
                        Some(q) if c == q => quote = None,
                        Some(_) => {}
                        None if *i == start && (c == '"' || c == '\'') => quote = Some(c),
                        None if matches!(c, ',' | ']' | '}') => break,
                        None if c == '#' && *i > start && v[*i - 1] == ' ' => break,
                        None => {}
                    }
                    *i += 1;
                }
                let raw: String = v[start..*i].iter().collect();
                self.values
                    .insert(path.to_string(), (pos, raw.trim().to_string()));
            }
        }
    }

    /// Position of the value at `path` (paths of sequence items count from 0), if it has one.
    pub fn value_pos(&self, path: &str) -> Option<Pos> {
        self.values.get(path).map(|(p, _)| *p)
    }

    /// Position of the value at `path`, else of its key.
    pub fn pos(&self, path: &str) -> Option<Pos> {
        self.values
            .get(path)
            .map(|(p, _)| *p)
            .or_else(|| self.keys.get(path).copied())
    }

    /// Position of the key at `path` (for unknown-key errors), else of its value.
    pub fn key_pos(&self, path: &str) -> Option<Pos> {
        self.keys
            .get(path)
            .copied()
            .or_else(|| self.values.get(path).map(|(p, _)| *p))
    }

    /// The scalar as written in the source (`7730.20`, `99999999999999999999`).
    pub fn raw(&self, path: &str) -> Option<&str> {
        self.values
            .get(path)
            .map(|(_, r)| r.as_str())
            .filter(|r| !r.is_empty())
    }
}

fn skip_ws(v: &[char], i: &mut usize) {
    while *i < v.len() && v[*i] == ' ' {
        *i += 1;
    }
}

fn unquote(s: &str) -> String {
    let t = s.trim();
    if t.len() >= 2
        && ((t.starts_with('"') && t.ends_with('"')) || (t.starts_with('\'') && t.ends_with('\'')))
    {
        t[1..t.len() - 1].to_string()
    } else {
        t.to_string()
    }
}

/// `key: value` → (key, index just after the colon). The colon must be followed by a space or
/// end the line; quoted keys are unquoted; flow collections are not keys.
fn split_key(content: &[char]) -> Option<(String, usize)> {
    if matches!(content.first(), Some('[' | '{' | '|' | '>' | '"' | '\''))
        && content.first() != Some(&'"')
    {
        return None;
    }
    let mut quote: Option<char> = None;
    for (i, &c) in content.iter().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if i == 0 && c == '"' => quote = Some(c),
            None if c == '#' && i > 0 && content[i - 1] == ' ' => return None,
            None if c == ':' && (i + 1 == content.len() || content[i + 1] == ' ') => {
                let key: String = content[..i].iter().collect();
                if key.trim().is_empty() {
                    return None;
                }
                return Some((unquote(&key), i + 1));
            }
            None => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_flow_items_and_sequences() {
        let text = "机关: 某局\n申请情况:\n  本年新收: [99, 1, 0]   # 注释\n  无法提供:\n    本机关不掌握相关政府信息: {自然人: 97, 总计: 98}\n总体情况:\n  分项:\n    - 标题: 主动公开\n      内容: >-\n        第一: 行\n    - 标题: 依申请\n主动公开:\n  行政事业性收费: 7730.20\n  规章: [{数: 22, 注: 其中修订16件}, 0, 8]\n";
        let ix = YamlIndex::build(text);
        assert_eq!(ix.pos("机关"), Some(Pos { line: 1, column: 5 }));
        assert_eq!(
            ix.pos("申请情况/本年新收/1"),
            Some(Pos {
                line: 3,
                column: 14
            })
        );
        assert_eq!(ix.raw("申请情况/本年新收/2"), Some("0"));
        assert_eq!(
            ix.pos("申请情况/无法提供/本机关不掌握相关政府信息/总计"),
            Some(Pos {
                line: 5,
                column: 33
            })
        );
        assert_eq!(
            ix.key_pos("总体情况/分项/1/标题"),
            Some(Pos {
                line: 11,
                column: 7
            })
        );
        assert_eq!(
            ix.key_pos("总体情况/分项/0/内容"),
            Some(Pos { line: 9, column: 7 })
        );
        assert!(ix.key_pos("总体情况/分项/0/内容/第一").is_none());
        assert_eq!(ix.raw("主动公开/行政事业性收费"), Some("7730.20"));
        assert_eq!(ix.raw("主动公开/规章/0/注"), Some("其中修订16件"));
        assert_eq!(ix.raw("主动公开/规章/2"), Some("8"));
    }

    #[test]
    fn compact_sequences_and_block_lists() {
        let text = "标题:\n- 第一行\n- 第二行\n复议诉讼:\n  行政复议:\n    - 1\n    - 2\n";
        let ix = YamlIndex::build(text);
        assert_eq!(ix.raw("标题/1"), Some("第二行"));
        assert_eq!(
            ix.pos("复议诉讼/行政复议/1"),
            Some(Pos { line: 7, column: 7 })
        );
    }
}
