//! The fixes besides the order: repeated table headers, first-line indents in characters, stray
//! markup, deterministic paragraph ids, the default style and language.

use super::tree::{Element, Node};
use std::borrow::Cow;

/// Adds `w:tblHeader` to the first `counts[k]` rows of the k-th table (pre-order). Returns the
/// number of tables seen.
pub(crate) fn mark_header_rows(root: &mut Element, counts: &[usize]) -> usize {
    let mut k = 0;
    root.walk_mut(&mut |e| {
        if e.name != "w:tbl" {
            return;
        }
        let n = counts.get(k).copied().unwrap_or(0);
        k += 1;
        for tr in e.elements_mut().filter(|c| c.name == "w:tr").take(n) {
            let has_trpr = tr.child("w:trPr").is_some();
            if !has_trpr {
                let at = tr
                    .children
                    .iter()
                    .position(|c| matches!(c, Node::Element(x) if x.name != "w:tblPrEx"));
                tr.children
                    .insert(at.unwrap_or(0), Node::Element(Element::new("w:trPr")));
            }
            if let Some(trpr) = tr.elements_mut().find(|c| c.name == "w:trPr") {
                if trpr.child("w:tblHeader").is_none() {
                    trpr.children
                        .push(Node::Element(Element::new("w:tblHeader")));
                }
            }
        }
    });
    k
}

/// Adds `w:firstLineChars` next to the `w:firstLine` values of the plan.
pub(crate) fn add_first_line_chars(root: &mut Element, map: &[(i64, i64)]) {
    root.walk_mut(&mut |e| {
        if e.name != "w:ind" {
            return;
        }
        let Some(twips) = e.attr("w:firstLine").and_then(|v| v.parse::<i64>().ok()) else {
            return;
        };
        if let Some((_, chars)) = map.iter().find(|(t, _)| *t == twips) {
            e.set_attr("w:firstLineChars", &chars.to_string());
        }
    });
}

/// Removes attributes the schema does not allow where docx-rs writes them.
pub(crate) fn strip_stray_attributes(root: &mut Element) {
    root.walk_mut(&mut |e| {
        if e.name == "w:gridCol" {
            e.remove_attr("w:type");
        }
    });
}

/// Removes `w:rPr` from `w:pPr` outside paragraphs (CT_PPrGeneral has none) and empty
/// `<w:rPr/>` everywhere else.
pub(crate) fn strip_misplaced_rpr(e: &mut Element) {
    let in_paragraph = e.name == "w:p";
    let empty_rpr = |x: &Element| x.name == "w:rPr" && x.children.is_empty() && x.attrs.is_empty();
    for c in e.elements_mut() {
        if c.name == "w:pPr" {
            c.children.retain(|n| match n {
                Node::Element(x) if x.name == "w:rPr" => in_paragraph && !empty_rpr(x),
                _ => true,
            });
        }
        c.children
            .retain(|n| !matches!(n, Node::Element(x) if empty_rpr(x)));
        strip_misplaced_rpr(c);
    }
}

/// Renumbers `w14:paraId` from `*next`, in document order.
pub(crate) fn renumber_para_ids(root: &mut Element, next: &mut u32) {
    root.walk_mut(&mut |e| {
        if e.attr("w14:paraId").is_some() {
            e.set_attr("w14:paraId", &format!("{:08X}", *next));
            *next += 1;
        }
    });
}

/// styles.xml: `Normal` becomes the default paragraph style; default run properties say the
/// text is Chinese.
pub(crate) fn fix_styles(root: &mut Element, body_size: usize) {
    root.walk_mut(&mut |e| {
        if e.name == "w:style"
            && e.attr("w:styleId") == Some("Normal")
            && e.attr("w:default").is_none()
        {
            // w:default sits between w:type and w:styleId in Word's own files.
            let at = e
                .attrs
                .iter()
                .position(|(n, _)| n == "w:styleId")
                .unwrap_or(0);
            e.attrs
                .insert(at, (Cow::Borrowed("w:default"), Cow::Borrowed("1")));
        }
        // The Normal style states the body size itself: LibreOffice takes a document grid's
        // base size from this style alone (not from docDefaults) and assumes 12 pt without it.
        if e.name == "w:style" && e.attr("w:styleId") == Some("Normal") {
            if e.child("w:rPr").is_none() {
                e.children.push(Node::Element(Element::new("w:rPr")));
            }
            if let Some(rpr) = e.elements_mut().find(|c| c.name == "w:rPr") {
                if rpr.child("w:sz").is_none() {
                    for name in ["w:sz", "w:szCs"] {
                        let mut sz = Element::new(name);
                        sz.set_attr("w:val", &body_size.to_string());
                        rpr.children.push(Node::Element(sz));
                    }
                }
            }
        }
        if e.name == "w:rPrDefault" {
            if e.child("w:rPr").is_none() {
                e.children.push(Node::Element(Element::new("w:rPr")));
            }
            if let Some(rpr) = e.elements_mut().find(|c| c.name == "w:rPr") {
                if rpr.child("w:lang").is_none() {
                    let mut lang = Element::new("w:lang");
                    lang.set_attr("w:val", "en-US");
                    lang.set_attr("w:eastAsia", "zh-CN");
                    lang.set_attr("w:bidi", "ar-SA");
                    rpr.children.push(Node::Element(lang));
                }
            }
        }
    });
}
