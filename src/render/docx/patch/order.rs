//! Schema order (ECMA-376 Part 1, transitional wml.xsd sequences): the children of every
//! container the documents use, and the stable sort that puts them in that order.

use super::tree::{Element, Node};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// FNV-1a for the element names looked up for every element of every part: short keys, no
/// untrusted input (the names come from docx-rs), where std's SipHash was a visible cost.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

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
fn orders() -> &'static FastMap<&'static str, (bool, FastMap<&'static str, usize>)> {
    type Orders = FastMap<&'static str, (bool, FastMap<&'static str, usize>)>;
    static ORDERS_BY_NAME: OnceLock<Orders> = OnceLock::new();
    ORDERS_BY_NAME.get_or_init(|| {
        ORDERS
            .iter()
            .map(|&(parent, order, closed)| {
                let mut ranks = FastMap::default();
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
        // Whitespace between elements keeps the children where they are; so does a sequence
        // already in order (most of them): only the rest are taken apart and sorted.
        let mut ranked: Vec<usize> = Vec::with_capacity(e.children.len());
        let mut text = false;
        for c in &e.children {
            match c {
                Node::Element(ch) => {
                    ranked.push(ranks.get(ch.name.as_ref()).copied().unwrap_or_else(|| {
                        if *closed {
                            unknown.push(format!("{}/{}", e.name, ch.name));
                        }
                        usize::MAX
                    }))
                }
                Node::Text(_) => text = true,
            }
        }
        if !text && ranked.windows(2).any(|w| w[0] > w[1]) {
            let children = std::mem::take(&mut e.children);
            let mut pairs: Vec<(usize, Node)> = ranked.into_iter().zip(children).collect();
            pairs.sort_by_key(|(r, _)| *r);
            e.children = pairs.into_iter().map(|(_, c)| c).collect();
        }
    }
    for c in e.elements_mut() {
        reorder_in(c, unknown);
    }
}
