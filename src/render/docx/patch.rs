//! Post-processing of the XML parts docx-rs writes. Everything the crate gets wrong or cannot
//! express is fixed here, in one place, on a small element tree:
//!
//! 1. **Schema order.** docx-rs writes children in its own order (`<w:rPr/>` first in `w:pPr`,
//!    `w:sz` before `w:rFonts`, `w:footerReference` after `w:docGrid`, `w:tcBorders` before
//!    `w:gridSpan`, `w:tblCellMar` before `w:tblLayout`, `w:zoom` after `w:defaultTabStop`, the
//!    style's `w:rPr` before its `w:pPr`…). LibreOffice does not care; Word validates the sequence
//!    and asks to repair. [`reorder`] sorts the children of every container below by the XSD
//!    sequence (ECMA-376 transitional), keeping the order of equal ranks.
//! 2. **Repeated table headers.** docx-rs has no `w:tblHeader`; [`Plan::header_rows`] says how
//!    many leading rows of each table (document order) get one.
//! 3. **First-line indent in characters.** docx-rs drops `w:firstLineChars`; [`Plan::first_line_chars`]
//!    maps a `w:firstLine` twips value to the character count Word should keep when the font changes.
//! 4. **Stray markup.** `w:type` on `w:gridCol` is not in the schema; docx-rs also writes an
//!    empty `<w:rPr/>` into every `w:pPr`, including those of styles, document defaults and
//!    numbering levels (CT_PPrGeneral), where `w:rPr` is not allowed at all. Both are removed.
//! 5. **Deterministic ids.** `w14:paraId` comes from a thread-local counter that only docx-rs's
//!    `json()` resets, so a second render in the same thread numbers differently. They are
//!    renumbered from 1 across all parts.
//! 6. **Styles.** The `Normal` style is marked as the default paragraph style (docx-rs omits
//!    `w:default="1"`), and the default run properties get `w:lang` (zh-CN), so Word applies
//!    Chinese line-breaking and punctuation rules to text the clerk types. The 公文 paragraph
//!    styles themselves come from [`super::styles`]; the fixes above (order, `firstLineChars`)
//!    apply to them as to the document.
//!
//! The parts docx-rs writes for nothing (empty comments, numbering, the commentsExtended part
//! whose `wps` namespace URI docx-rs cuts short) are not patched but left out of the package
//! (`super::package_parts`).
//!
//! `tests/integration/docx.rs` checks the result with an independent OOXML schema validator, not with the
//! tables here.
//!
//! The parser handles exactly what an XML writer produces: tags, attributes in quotes, escaped
//! text, a declaration. No DTDs or CDATA; docx-rs writes none.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// What the layout asks the patch to do beyond fixing the order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// For each `w:tbl` of document.xml in document order: how many leading rows repeat.
    pub header_rows: Vec<usize>,
    /// `w:firstLine` twips → `w:firstLineChars` (hundredths of a character).
    pub first_line_chars: Vec<(i64, i64)>,
    /// The body size in half-points, which the `Normal` style must state.
    pub body_size: usize,
}

/// The XML could not be read (a docx-rs change the patch does not understand).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchError(pub String);

impl fmt::Display for PatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

// ---------------------------------------------------------------------------------------------
// A minimal element tree
// ---------------------------------------------------------------------------------------------

/// Text of the tree: borrowed from the part's XML where it is read (names, attributes and
/// character data of a 250 KB document.xml would otherwise be tens of thousands of
/// allocations), owned where a fix writes it.
pub type Str<'a> = Cow<'a, str>;

#[derive(Debug, Clone, PartialEq)]
pub enum Node<'a> {
    Element(Element<'a>),
    /// Escaped character data, kept as written.
    Text(Str<'a>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Element<'a> {
    pub name: Str<'a>,
    /// Attribute names and values; values stay escaped as written.
    pub attrs: Vec<(Str<'a>, Str<'a>)>,
    pub children: Vec<Node<'a>>,
}

impl<'a> Element<'a> {
    pub fn new(name: &str) -> Element<'a> {
        Element {
            name: Cow::Owned(name.to_string()),
            attrs: vec![],
            children: vec![],
        }
    }

    /// The element with all its text owned, free of the XML it was read from.
    pub fn into_owned(self) -> Element<'static> {
        Element {
            name: Cow::Owned(self.name.into_owned()),
            attrs: self
                .attrs
                .into_iter()
                .map(|(n, v)| (Cow::Owned(n.into_owned()), Cow::Owned(v.into_owned())))
                .collect(),
            children: self
                .children
                .into_iter()
                .map(|c| match c {
                    Node::Element(e) => Node::Element(e.into_owned()),
                    Node::Text(t) => Node::Text(Cow::Owned(t.into_owned())),
                })
                .collect(),
        }
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_ref())
    }

    pub fn set_attr(&mut self, name: &str, value: &str) {
        match self.attrs.iter_mut().find(|(n, _)| n == name) {
            Some(a) => a.1 = Cow::Owned(value.to_string()),
            None => self
                .attrs
                .push((Cow::Owned(name.to_string()), Cow::Owned(value.to_string()))),
        }
    }

    pub fn remove_attr(&mut self, name: &str) {
        self.attrs.retain(|(n, _)| n != name);
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element<'a>> {
        self.children.iter().filter_map(|c| match c {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    pub fn elements_mut(&mut self) -> impl Iterator<Item = &mut Element<'a>> {
        self.children.iter_mut().filter_map(|c| match c {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    pub fn child(&self, name: &str) -> Option<&Element<'a>> {
        self.elements().find(|e| e.name == name)
    }

    /// All descendants named `name`, in document order.
    pub fn descendants(&self, name: &str) -> Vec<&Element<'a>> {
        let mut out = vec![];
        for c in self.elements() {
            if c.name == name {
                out.push(c);
            }
            out.extend(c.descendants(name));
        }
        out
    }

    /// The character data of all descendants, unescaped (for `w:p`: its text).
    pub fn text(&self) -> String {
        let mut out = String::new();
        for c in &self.children {
            match c {
                Node::Element(e) if e.name != "w:instrText" => out.push_str(&e.text()),
                Node::Element(_) => {}
                Node::Text(t) => out.push_str(&unescape(t)),
            }
        }
        out
    }

    /// Pre-order walk, mutable.
    pub fn walk_mut(&mut self, f: &mut dyn FnMut(&mut Element<'a>)) {
        f(self);
        for c in self.elements_mut() {
            c.walk_mut(f);
        }
    }

    fn write(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        for (n, v) in &self.attrs {
            out.push(' ');
            out.push_str(n);
            out.push_str("=\"");
            out.push_str(v);
            out.push('"');
        }
        if self.children.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        for c in &self.children {
            match c {
                Node::Element(e) => e.write(out),
                Node::Text(t) => out.push_str(t),
            }
        }
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }
}

/// A parsed XML part: its root element (the declaration is rewritten on output).
#[derive(Debug, Clone, PartialEq)]
pub struct Doc<'a> {
    pub root: Element<'a>,
}

const DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

impl<'a> Doc<'a> {
    pub fn parse(xml: &'a str) -> Result<Doc<'a>, PatchError> {
        let err = |m: &str, at: usize| PatchError(format!("XML 无法解析（{m}，位置 {at}）"));
        let b = xml.as_bytes();
        let mut stack: Vec<Element<'a>> = vec![];
        let mut root: Option<Element<'a>> = None;
        let mut i = 0;
        while i < b.len() {
            if b[i] != b'<' {
                let end = xml[i..].find('<').map_or(b.len(), |k| i + k);
                let text = &xml[i..end];
                match stack.last_mut() {
                    Some(top) => top.children.push(Node::Text(Cow::Borrowed(text))),
                    None if text.trim().is_empty() => {}
                    None => return Err(err("根元素外有文本", i)),
                }
                i = end;
                continue;
            }
            if xml[i..].starts_with("<?") {
                i = xml[i..]
                    .find("?>")
                    .map(|k| i + k + 2)
                    .ok_or_else(|| err("声明未结束", i))?;
                continue;
            }
            if xml[i..].starts_with("<!") {
                return Err(err("不支持注释或 DTD", i));
            }
            // Find the tag's end, skipping quoted attribute values.
            let mut j = i + 1;
            let mut quote: Option<u8> = None;
            while j < b.len() {
                match (quote, b[j]) {
                    (None, b'"' | b'\'') => quote = Some(b[j]),
                    (Some(q), c) if c == q => quote = None,
                    (None, b'>') => break,
                    _ => {}
                }
                j += 1;
            }
            if j >= b.len() {
                return Err(err("标签未结束", i));
            }
            let tag = &xml[i + 1..j];
            i = j + 1;
            if let Some(name) = tag.strip_prefix('/') {
                let e = stack.pop().ok_or_else(|| err("多余的结束标签", i))?;
                if e.name != name.trim() {
                    return Err(err("结束标签不匹配", i));
                }
                match stack.last_mut() {
                    Some(top) => top.children.push(Node::Element(e)),
                    None => root = Some(e),
                }
                continue;
            }
            let (tag, empty) = match tag.strip_suffix('/') {
                Some(t) => (t, true),
                None => (tag, false),
            };
            let e = parse_start_tag(tag).ok_or_else(|| err("标签格式错误", i))?;
            if empty {
                match stack.last_mut() {
                    Some(top) => top.children.push(Node::Element(e)),
                    None => root = Some(e),
                }
            } else {
                stack.push(e);
            }
        }
        if !stack.is_empty() {
            return Err(err("元素未结束", b.len()));
        }
        root.map(|root| Doc { root })
            .ok_or_else(|| err("没有根元素", 0))
    }

    /// The part with all its text owned, free of the XML it was read from.
    pub fn into_owned(self) -> Doc<'static> {
        Doc {
            root: self.root.into_owned(),
        }
    }

    pub fn to_xml(&self) -> String {
        let mut out = String::from(DECLARATION);
        self.root.write(&mut out);
        out
    }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn parse_start_tag(tag: &str) -> Option<Element<'_>> {
    let tag = tag.trim();
    let name_end = tag.find(|c: char| c.is_whitespace()).unwrap_or(tag.len());
    let mut e = Element {
        name: Cow::Borrowed(&tag[..name_end]),
        attrs: vec![],
        children: vec![],
    };
    if e.name.is_empty() {
        return None;
    }
    let mut rest = tag[name_end..].trim_start();
    while !rest.is_empty() {
        let eq = rest.find('=')?;
        let name = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let q = after.chars().next()?;
        if q != '"' && q != '\'' {
            return None;
        }
        let close = after[1..].find(q)? + 1;
        let value = &after[1..close];
        // Values are re-quoted with `"`; a literal `"` inside `'…'` must be escaped then.
        let value = if value.contains('"') {
            Cow::Owned(value.replace('"', "&quot;"))
        } else {
            Cow::Borrowed(value)
        };
        e.attrs.push((Cow::Borrowed(name), value));
        rest = after[close + 1..].trim_start();
    }
    Some(e)
}

// ---------------------------------------------------------------------------------------------
// Schema order (ECMA-376 Part 1, transitional wml.xsd sequences)
// ---------------------------------------------------------------------------------------------

const PPR: &[&str] = &[
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
];

const RPR: &[&str] = &[
    "w:ins",
    "w:del",
    "w:moveFrom",
    "w:moveTo",
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
    "w:rPrChange",
];

const TBLPR: &[&str] = &[
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
];

const TCPR: &[&str] = &[
    "w:cnfStyle",
    "w:tcW",
    "w:gridSpan",
    "w:hMerge",
    "w:vMerge",
    "w:tcBorders",
    "w:shd",
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
    "w:headers",
    "w:cellIns",
    "w:cellDel",
    "w:cellMerge",
    "w:tcPrChange",
];

/// `w:trPr` is a choice group (any order) followed by ins/del/trPrChange.
const TRPR: &[&str] = &[
    "w:cnfStyle|w:divId|w:gridBefore|w:gridAfter|w:wBefore|w:wAfter|w:cantSplit|w:trHeight|w:tblHeader|w:tblCellSpacing|w:jc|w:hidden",
    "w:ins",
    "w:del",
    "w:trPrChange",
];

const BORDERS: &[&str] = &[
    "w:top",
    "w:left|w:start",
    "w:bottom",
    "w:right|w:end",
    "w:insideH",
    "w:insideV",
    "w:tl2br",
    "w:tr2bl",
];

const CELL_MARGINS: &[&str] = &["w:top", "w:left|w:start", "w:bottom", "w:right|w:end"];

const SECTPR: &[&str] = &[
    "w:headerReference|w:footerReference",
    "w:footnotePr",
    "w:endnotePr",
    "w:type",
    "w:pgSz",
    "w:pgMar",
    "w:paperSrc",
    "w:pgBorders",
    "w:lnNumType",
    "w:pgNumType",
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
];

const STYLE: &[&str] = &[
    "w:name",
    "w:aliases",
    "w:basedOn",
    "w:next",
    "w:link",
    "w:autoRedefine",
    "w:hidden",
    "w:uiPriority",
    "w:semiHidden",
    "w:unhideWhenUsed",
    "w:qFormat",
    "w:locked",
    "w:personal",
    "w:personalCompose",
    "w:personalReply",
    "w:rsid",
    "w:pPr",
    "w:rPr",
    "w:tblPr",
    "w:trPr",
    "w:tcPr",
    "w:tblStylePr",
];

const DOC_DEFAULTS: &[&str] = &["w:rPrDefault", "w:pPrDefault"];

const SETTINGS: &[&str] = &[
    "w:writeProtection",
    "w:view",
    "w:zoom",
    "w:removePersonalInformation",
    "w:removeDateAndTime",
    "w:doNotDisplayPageBoundaries",
    "w:displayBackgroundShape",
    "w:printPostScriptOverText",
    "w:printFractionalCharacterWidth",
    "w:printFormsData",
    "w:embedTrueTypeFonts",
    "w:embedSystemFonts",
    "w:saveSubsetFonts",
    "w:saveFormsData",
    "w:mirrorMargins",
    "w:alignBordersAndEdges",
    "w:bordersDoNotSurroundHeader",
    "w:bordersDoNotSurroundFooter",
    "w:gutterAtTop",
    "w:hideSpellingErrors",
    "w:hideGrammaticalErrors",
    "w:activeWritingStyle",
    "w:proofState",
    "w:formsDesign",
    "w:attachedTemplate",
    "w:linkStyles",
    "w:stylePaneFormatFilter",
    "w:stylePaneSortMethod",
    "w:documentType",
    "w:mailMerge",
    "w:revisionView",
    "w:trackRevisions",
    "w:doNotTrackMoves",
    "w:doNotTrackFormatting",
    "w:documentProtection",
    "w:autoFormatOverride",
    "w:styleLockTheme",
    "w:styleLockQFSet",
    "w:defaultTabStop",
    "w:autoHyphenation",
    "w:consecutiveHyphenLimit",
    "w:hyphenationZone",
    "w:doNotHyphenateCaps",
    "w:showEnvelope",
    "w:summaryLength",
    "w:clickAndTypeStyle",
    "w:defaultTableStyle",
    "w:evenAndOddHeaders",
    "w:bookFoldRevPrinting",
    "w:bookFoldPrinting",
    "w:bookFoldPrintingSheets",
    "w:drawingGridHorizontalSpacing",
    "w:drawingGridVerticalSpacing",
    "w:displayHorizontalDrawingGridEvery",
    "w:displayVerticalDrawingGridEvery",
    "w:doNotUseMarginsForDrawingGridOrigin",
    "w:drawingGridHorizontalOrigin",
    "w:drawingGridVerticalOrigin",
    "w:doNotShadeFormData",
    "w:noPunctuationKerning",
    "w:characterSpacingControl",
    "w:printTwoOnOne",
    "w:strictFirstAndLastChars",
    "w:noLineBreaksAfter",
    "w:noLineBreaksBefore",
    "w:savePreviewPicture",
    "w:doNotValidateAgainstSchema",
    "w:saveInvalidXml",
    "w:ignoreMixedContent",
    "w:alwaysShowPlaceholderText",
    "w:doNotDemarcateInvalidXml",
    "w:saveXmlDataOnly",
    "w:useXSLTWhenSaving",
    "w:saveThroughXslt",
    "w:showXMLTags",
    "w:alwaysMergeEmptyNamespace",
    "w:updateFields",
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
    // Word 2010+ extensions come after the base sequence.
    "w14:docId",
    "w14:discardImageEditingData",
    "w14:defaultImageDpi",
    "w15:chartTrackingRefBased",
    "w15:docId",
];

/// The compat flags docx-rs writes, in CT_Compat order (a subset: the whole list is long and
/// only these occur).
const COMPAT: &[&str] = &[
    "w:useSingleBorderforContiguousCells",
    "w:wpJustification",
    "w:noTabHangInd",
    "w:noLeading",
    "w:spaceForUL",
    "w:noColumnBalance",
    "w:balanceSingleByteDoubleByteWidth",
    "w:noExtraLineSpacing",
    "w:doNotLeaveBackslashAlone",
    "w:ulTrailSpace",
    "w:doNotExpandShiftReturn",
    "w:doNotSnapToGridInCell",
    "w:useFELayout",
    "w:compatSetting",
];

/// The first elements of block containers: properties before content.
const P: &[&str] = &["w:pPr"];
const R: &[&str] = &["w:rPr"];
const TBL: &[&str] = &["w:tblPr", "w:tblGrid"];
const TR: &[&str] = &["w:tblPrEx", "w:trPr"];
const TC: &[&str] = &["w:tcPr"];

/// The sequence that orders the children of each container, and whether a child not in the
/// list is an error (closed lists) or goes last (content containers).
const ORDERS: [(&str, &[&str], bool); 19] = [
    ("w:pPr", PPR, true),
    ("w:rPr", RPR, true),
    ("w:tblPr", TBLPR, true),
    ("w:tcPr", TCPR, true),
    ("w:trPr", TRPR, true),
    ("w:tblBorders", BORDERS, true),
    ("w:tcBorders", BORDERS, true),
    ("w:tblCellMar", CELL_MARGINS, true),
    ("w:tcMar", CELL_MARGINS, true),
    ("w:sectPr", SECTPR, true),
    ("w:style", STYLE, true),
    ("w:docDefaults", DOC_DEFAULTS, true),
    ("w:settings", SETTINGS, true),
    ("w:compat", COMPAT, true),
    ("w:p", P, false),
    ("w:r", R, false),
    ("w:tbl", TBL, false),
    ("w:tr", TR, false),
    ("w:tc", TC, false),
];

/// For each container of [`ORDERS`]: its closedness and each child's rank. Looked up for every
/// element of every part, so built once rather than scanning up to 40 names each time.
fn orders() -> &'static HashMap<&'static str, (bool, HashMap<&'static str, usize>)> {
    type Orders = HashMap<&'static str, (bool, HashMap<&'static str, usize>)>;
    static ORDERS_BY_NAME: OnceLock<Orders> = OnceLock::new();
    ORDERS_BY_NAME.get_or_init(|| {
        ORDERS
            .iter()
            .map(|&(parent, order, closed)| {
                let mut ranks = HashMap::new();
                for (i, alts) in order.iter().enumerate() {
                    for a in alts.split('|') {
                        ranks.entry(a).or_insert(i);
                    }
                }
                (parent, (closed, ranks))
            })
            .collect()
    })
}

/// Sorts the children of every known container by its schema sequence (stable). Returns the
/// names of children a closed sequence does not list, as `parent/child`, so tests can catch a
/// docx-rs change; such children are kept, after the known ones.
pub fn reorder(root: &mut Element) -> Vec<String> {
    let mut unknown = vec![];
    reorder_in(root, &mut unknown);
    unknown.sort();
    unknown.dedup();
    unknown
}

fn reorder_in(e: &mut Element, unknown: &mut Vec<String>) {
    if let Some((closed, ranks)) = orders().get(e.name.as_ref()) {
        let children = std::mem::take(&mut e.children);
        let mut ranked: Vec<(usize, Node)> = children
            .into_iter()
            .map(|c| {
                let r = match &c {
                    Node::Element(ch) => {
                        ranks.get(ch.name.as_ref()).copied().unwrap_or_else(|| {
                            if *closed {
                                unknown.push(format!("{}/{}", e.name, ch.name));
                            }
                            usize::MAX
                        })
                    }
                    // Whitespace between elements: keep it where it was relative to the rest.
                    Node::Text(_) => usize::MAX,
                };
                (r, c)
            })
            .collect();
        if ranked.iter().all(|(_, c)| matches!(c, Node::Element(_))) {
            ranked.sort_by_key(|(r, _)| *r);
        }
        e.children = ranked.into_iter().map(|(_, c)| c).collect();
    }
    for c in e.elements_mut() {
        reorder_in(c, unknown);
    }
}

// ---------------------------------------------------------------------------------------------
// The other fixes
// ---------------------------------------------------------------------------------------------

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

/// Applies every fix that concerns `path` (a part name inside the package) and returns the new
/// XML. `para_ids` carries the paraId counter across parts.
pub(crate) fn patch_part(
    path: &str,
    xml: &[u8],
    plan: &Plan,
    para_ids: &mut u32,
) -> Result<Vec<u8>, PatchError> {
    let text = std::str::from_utf8(xml).map_err(|_| PatchError(format!("{path} 不是 UTF-8")))?;
    let mut doc = Doc::parse(text).map_err(|e| PatchError(format!("{path}: {}", e.0)))?;
    let root = &mut doc.root;
    if path == "word/document.xml" {
        mark_header_rows(root, &plan.header_rows);
    }
    if path == "word/styles.xml" {
        fix_styles(root, plan.body_size);
    }
    add_first_line_chars(root, &plan.first_line_chars);
    strip_stray_attributes(root);
    strip_misplaced_rpr(root);
    renumber_para_ids(root, para_ids);
    reorder(root);
    Ok(doc.to_xml().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names<'a>(e: &'a Element<'a>) -> Vec<&'a str> {
        e.elements().map(|c| c.name.as_ref()).collect()
    }

    #[test]
    fn parses_and_writes_back() {
        let x = r#"<?xml version="1.0"?><a:r x="1" y='q"t'><b/><c z="&amp;">t &lt; u</c> <d></d></a:r>"#;
        let d = Doc::parse(x).unwrap();
        assert_eq!(names(&d.root), ["b", "c", "d"]);
        assert_eq!(d.root.attr("y"), Some("q&quot;t"));
        assert_eq!(
            d.to_xml(),
            format!(
                r#"{DECLARATION}<a:r x="1" y="q&quot;t"><b/><c z="&amp;">t &lt; u</c> <d/></a:r>"#
            )
        );
        // A `>` inside an attribute value does not end the tag.
        let d = Doc::parse(r#"<a v="x>y"><b/></a>"#).unwrap();
        assert_eq!(d.root.attr("v"), Some("x>y"));
        for bad in ["<a>", "<a></b>", "<a/><", "text", "<a><!-- c --></a>"] {
            assert!(Doc::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn reorders_docx_rs_output() {
        // Exactly what docx-rs 0.4.22 writes for a body paragraph, a cell and a section.
        let x = r#"<w:body><w:p w14:paraId="00000007"><w:pPr><w:rPr /><w:jc w:val="both" /><w:ind w:left="0" w:right="0" w:firstLine="640" /><w:spacing w:line="579" w:lineRule="exact" /><w:keepNext /></w:pPr><w:r><w:rPr><w:sz w:val="32" /><w:szCs w:val="32" /><w:rFonts w:ascii="Times New Roman" /></w:rPr><w:t xml:space="preserve">一 2</w:t></w:r></w:p><w:tbl><w:tblPr><w:tblW w:w="100" w:type="dxa" /><w:jc w:val="left" /><w:tblBorders><w:top w:val="single" /><w:left w:val="single" /></w:tblBorders><w:tblCellMar><w:top w:w="0" w:type="dxa" /></w:tblCellMar><w:tblLayout w:type="fixed" /></w:tblPr><w:tblGrid><w:gridCol w:w="50" w:type="dxa" /></w:tblGrid><w:tr><w:trPr><w:cantSplit /></w:trPr><w:tc><w:tcPr><w:tcW w:w="100" w:type="dxa" /><w:tcBorders><w:top w:val="single" /></w:tcBorders><w:gridSpan w:val="2" /><w:vMerge w:val="restart" /><w:vAlign w:val="center" /></w:tcPr><w:p w14:paraId="00000008"><w:pPr><w:rPr /></w:pPr></w:p></w:tc></w:tr><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl><w:sectPr><w:pgSz w:w="11906" w:h="16838" /><w:pgMar w:top="2098" /><w:cols w:space="425" w:num="1" /><w:docGrid w:type="lines" w:linePitch="579" /><w:footerReference w:type="default" r:id="rIdFooter1" /><w:footerReference w:type="even" r:id="rIdFooter2" /></w:sectPr></w:body>"#;
        let mut d = Doc::parse(x).unwrap();
        let plan = Plan {
            header_rows: vec![2],
            first_line_chars: vec![(640, 200)],
            body_size: 32,
        };
        mark_header_rows(&mut d.root, &plan.header_rows);
        add_first_line_chars(&mut d.root, &plan.first_line_chars);
        strip_stray_attributes(&mut d.root);
        let mut n = 1;
        renumber_para_ids(&mut d.root, &mut n);
        assert!(reorder(&mut d.root).is_empty());
        let p = d.root.child("w:p").unwrap();
        assert_eq!(p.attr("w14:paraId"), Some("00000001"));
        let ppr = p.child("w:pPr").unwrap();
        assert_eq!(
            names(ppr),
            ["w:keepNext", "w:spacing", "w:ind", "w:jc", "w:rPr"]
        );
        let mut stripped = d.clone();
        strip_misplaced_rpr(&mut stripped.root);
        let p2 = stripped.root.child("w:p").unwrap().child("w:pPr").unwrap();
        assert_eq!(
            names(p2),
            ["w:keepNext", "w:spacing", "w:ind", "w:jc"],
            "empty mark rPr"
        );
        assert_eq!(
            ppr.child("w:ind").unwrap().attr("w:firstLineChars"),
            Some("200")
        );
        let rpr = p.child("w:r").unwrap().child("w:rPr").unwrap();
        assert_eq!(names(rpr), ["w:rFonts", "w:sz", "w:szCs"]);
        let tbl = d.root.child("w:tbl").unwrap();
        assert_eq!(
            names(tbl.child("w:tblPr").unwrap()),
            [
                "w:tblW",
                "w:jc",
                "w:tblBorders",
                "w:tblLayout",
                "w:tblCellMar"
            ]
        );
        assert_eq!(
            tbl.child("w:tblGrid")
                .unwrap()
                .child("w:gridCol")
                .unwrap()
                .attr("w:type"),
            None
        );
        let rows: Vec<&Element> = tbl.elements().filter(|e| e.name == "w:tr").collect();
        assert_eq!(
            names(rows[0].child("w:trPr").unwrap()),
            ["w:cantSplit", "w:tblHeader"]
        );
        assert_eq!(names(rows[1]), ["w:trPr", "w:tc"], "trPr created first");
        let tcpr = rows[0].child("w:tc").unwrap().child("w:tcPr").unwrap();
        assert_eq!(
            names(tcpr),
            ["w:tcW", "w:gridSpan", "w:vMerge", "w:tcBorders", "w:vAlign"]
        );
        let sect = d.root.child("w:sectPr").unwrap();
        assert_eq!(
            names(sect),
            [
                "w:footerReference",
                "w:footerReference",
                "w:pgSz",
                "w:pgMar",
                "w:cols",
                "w:docGrid"
            ]
        );
        assert_eq!(
            sect.elements().next().unwrap().attr("w:type"),
            Some("default"),
            "stable among equals"
        );
    }

    #[test]
    fn unknown_children_are_reported() {
        let mut d = Doc::parse("<w:pPr><w:bogus/><w:jc/></w:pPr>").unwrap();
        assert_eq!(reorder(&mut d.root), ["w:pPr/w:bogus"]);
        assert_eq!(names(&d.root), ["w:jc", "w:bogus"]);
    }

    #[test]
    fn styles_get_default_and_language() {
        let x = r#"<w:styles><w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="32" /></w:rPr></w:rPrDefault></w:docDefaults><w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /><w:rPr /><w:pPr><w:rPr /></w:pPr><w:qFormat /></w:style></w:styles>"#;
        let mut d = Doc::parse(x).unwrap();
        fix_styles(&mut d.root, 32);
        reorder(&mut d.root);
        let out = d.to_xml();
        assert!(out.contains(r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr>"#), "{out}");
        strip_misplaced_rpr(&mut d.root);
        let out = d.to_xml();
        assert!(
            out.contains(r#"<w:qFormat/><w:pPr/><w:rPr><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>"#),
            "no rPr in a style's pPr; Normal states the body size: {out}"
        );
        assert!(
            out.contains(
                r#"<w:sz w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>"#
            ),
            "{out}"
        );
    }
}
