//! PDF. Ours carry the report as the embedded file `xxgk-report.yaml`. Anyone else's are read
//! from their text layer: each page's content stream is interpreted for its text operators
//! (`BT`/`ET`, `Tf`, `Tc`, `Tw`, `Tz`, `TL`, `Ts`, `Td`, `TD`, `Tm`, `T*`, `Tj`, `TJ`, `'`, `"`,
//! and `cm`, `q`, `Q` for where the text sits), strings decoded by the font's encoding (a
//! `ToUnicode` CMap, CID fonts with `Identity-H`, the simple encodings, through lopdf) and
//! advanced by the font's widths, giving runs with positions (`positioned`). Form XObjects are
//! read where they are drawn (PDF editors and print drivers put whole pages in them); a page
//! drawn turned (shown upright by `/Rotate`) is turned back by the way most of its text runs;
//! text drawn invisible over an image (render mode 3: an OCR layer on a scan) is read with a
//! warning for its page; a marked-content span's `/ActualText` stands for its glyphs.
//!
//! Bounds: the file is at most the input limit; every stream is inflated to at most
//! [`MAX_STREAM`] and all together to [`MAX_TOTAL`] (forms' content included); at most
//! [`MAX_PAGES`] pages, [`MAX_OPS`] operators a page (forms' included), forms nested
//! [`MAX_FORM_DEPTH`] deep and `positioned::MAX_RUNS` runs are read; lopdf caps the nesting of arrays and dictionaries. A
//! PDF whose cross-reference table is broken is rebuilt by lopdf or refused with a message.

use super::positioned::{self, Run, Seg, MAX_RUNS};
use super::{Block, Flow, Source};
use crate::diag::Diagnostic;
use crate::spec::embed::FILE_NAME;
use lopdf::{Dictionary, Document, Object};
use std::collections::BTreeMap;

/// The most one stream may inflate to (a page's content is some tens of kilobytes).
const MAX_STREAM: usize = 16 << 20;
/// The most all streams read may inflate to together.
const MAX_TOTAL: usize = 128 << 20;
/// The most pages read (a report has about ten).
const MAX_PAGES: usize = 200;
/// The most operators interpreted per page.
const MAX_OPS: usize = 500_000;

pub(crate) fn read(bytes: &[u8]) -> Result<Source, String> {
    if !bytes.starts_with(b"%PDF")
        && !bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
    {
        return Err("无法读取该 PDF：文件不是 PDF（开头没有 %PDF-）".into());
    }
    let opts = lopdf::LoadOptions {
        max_decompressed_size: Some(MAX_STREAM),
        ..Default::default()
    };
    let doc = Document::load_mem_with_options(bytes, opts)
        .map_err(|e| format!("无法读取该 PDF：文件已损坏或加密（{e}）"))?;
    if doc.trailer.get(b"Encrypt").is_ok() {
        return Err("无法读取该 PDF：文件已加密，请先用 PDF 阅读器去掉密码后另存".into());
    }
    if let Some(y) = embedded(&doc) {
        return Ok(Source::Embedded(y));
    }
    let mut budget = MAX_TOTAL;
    let _ = &mut budget;
    let mut blocks: Vec<Block> = vec![];
    let mut doubts: Vec<Diagnostic> = vec![];
    let mut page_no = 0usize;
    // The column rules of the table the page before ended in (it may go on).
    let mut goes_on: Option<Vec<f32>> = None;
    let mut runs_total = 0usize;
    let pages = doc.get_pages();
    let mut any_text = false;
    let (mut glyphs, mut decoded) = (0usize, 0usize);
    let mut any_image = false;
    for (_, id) in pages.iter().take(MAX_PAGES) {
        let Ok(page) = doc.get_dictionary(*id) else {
            continue;
        };
        any_image |= has_images(&doc, page);
        let content = page_content(&doc, *id, &mut budget)?;
        let fonts = doc.get_page_fonts(*id).unwrap_or_default();
        let xobjects = page_xobjects(&doc, *id);
        let (runs, segs, marks) = page_runs(
            &doc,
            &content,
            &fonts,
            xobjects,
            page_box(&doc, *id),
            &mut budget,
        )?;
        any_image |= marks.images > 0;
        glyphs += marks.glyphs;
        decoded += marks.decoded;
        // Text drawn invisible over a picture of the page: what OCR software adds to a scan.
        // Its characters are the program's guesses.
        let ocr = marks.images > 0 && marks.invisible * 2 > runs.len().max(1);
        runs_total += runs.len();
        if runs_total > MAX_RUNS {
            return Err("无法读取该 PDF：文字过多，不像一份年度报告".into());
        }
        any_text |= runs.iter().any(|r| !r.text.trim().is_empty());
        let page = positioned::page_blocks(runs, &segs);
        page_no += 1;
        if ocr {
            doubts.push(Diagnostic::warning(
                crate::diag::Rule::Import,
                format!("第 {page_no} 页是扫描的图像，文字是 OCR 软件识别出来的（不可见的文字层）：识别可能有错字、错数，请逐个核对这一页的数字"),
            ));
        }
        doubts.extend(positioned::unruled(page_no, &page.guessed));
        let last_cols = page.last_cols.clone();
        positioned::append_page(&mut blocks, page, goes_on.as_deref());
        goes_on = last_cols;
    }
    // Glyphs drawn whose fonts do not say which characters they are (no ToUnicode map, a
    // private encoding): the page shows text that cannot be read out of it.
    if glyphs >= 100 && decoded * 2 < glyphs {
        return Err("这个 PDF 的文字无法解码：所用字体没有给出字形对应的字符（缺少 ToUnicode 映射），读不出其中的文字和数字；请用原来的 Word 或 WPS 文件、网页版，或先用 OCR 软件转换".into());
    }
    if !any_text {
        return Err(if any_image || !pages.is_empty() {
            "这个 PDF 没有文字层（可能是扫描件或图片）：无法读出其中的文字和数字，请按原件录入，或先用 OCR 软件转换成带文字的 PDF 或 Word".into()
        } else {
            "无法读取该 PDF：没有页面".into()
        });
    }
    Ok(Source::Flow(Flow {
        blocks,
        doubts,
        producer: producer(&doc),
        ..Flow::default()
    }))
}

/// The embedded report: the file named `xxgk-report.yaml` in the catalog's `/EmbeddedFiles`.
fn embedded(doc: &Document) -> Option<Vec<u8>> {
    attached(doc).or_else(|| in_metadata(doc))
}

/// The data in the XMP metadata, where PDF/A-1 files carry it (`spec::embed::XMP_NS`): the
/// property as an element or, as some XMP tools rewrite it, an attribute, under whatever prefix
/// the packet binds the namespace to.
fn in_metadata(doc: &Document) -> Option<Vec<u8>> {
    use crate::spec::embed::{XMP_NS, XMP_PROPERTY};
    use base64::Engine;
    let cat = doc.catalog().ok()?;
    let stream = cat.get_deref(b"Metadata", doc).ok()?.as_stream().ok()?;
    let xml = if stream.dict.get(b"Filter").is_ok() {
        stream.decompressed_content_with_limit(MAX_STREAM).ok()?
    } else {
        stream.content.clone()
    };
    let xml = std::str::from_utf8(&xml).ok()?;
    let bind = format!("=\"{XMP_NS}\"");
    let at = xml.find(&bind)?;
    let prefix = xml[..at].rsplit("xmlns:").next()?.trim();
    let name = format!("{prefix}:{XMP_PROPERTY}");
    let value = if let Some(i) = xml.find(&format!("<{name}>")) {
        let rest = &xml[i + name.len() + 2..];
        &rest[..rest.find('<')?]
    } else {
        let i = xml.find(&format!("{name}=\""))?;
        let rest = &xml[i + name.len() + 2..];
        &rest[..rest.find('"')?]
    };
    let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(value).ok()
}

/// The data as an embedded file (`spec::embed::FILE_NAME`).
fn attached(doc: &Document) -> Option<Vec<u8>> {
    let cat = doc.catalog().ok()?;
    let names = cat.get_deref(b"Names", doc).ok()?.as_dict().ok()?;
    let tree = names
        .get_deref(b"EmbeddedFiles", doc)
        .ok()?
        .as_dict()
        .ok()?;
    let list = tree.get_deref(b"Names", doc).ok()?.as_array().ok()?;
    for pair in list.chunks(2) {
        let [name, spec] = pair else { continue };
        if name.as_str().ok()? != FILE_NAME.as_bytes() {
            continue;
        }
        let spec = doc.dereference(spec).ok()?.1.as_dict().ok()?;
        let ef = spec.get_deref(b"EF", doc).ok()?.as_dict().ok()?;
        let stream = ef.get_deref(b"F", doc).ok()?.as_stream().ok()?;
        return if stream.dict.get(b"Filter").is_ok() {
            stream.decompressed_content_with_limit(MAX_STREAM).ok()
        } else {
            Some(stream.content.clone())
        };
    }
    None
}

/// The document information's `/Producer`, and its `/Creator` when that names another program
/// (Word names itself as the creator, the PDF library as the producer).
fn producer(doc: &Document) -> Option<String> {
    let info = doc.trailer.get_deref(b"Info", doc).ok()?.as_dict().ok()?;
    let field = |k: &[u8]| {
        info.get_deref(k, doc)
            .ok()
            .and_then(text_string)
            .and_then(|s| super::producer_name(&s))
    };
    match (field(b"Producer"), field(b"Creator")) {
        (Some(p), Some(c)) if !p.contains(&c) => Some(format!("{p}；{c}")),
        (Some(p), _) => Some(p),
        (None, c) => c,
    }
}

/// A PDF text string: UTF-16BE behind its byte-order mark, as the standard says; UTF-16LE
/// behind its mark, as WPS writes it; UTF-8 behind its mark (PDF 2.0); else PDFDocEncoding.
fn text_string(o: &Object) -> Option<String> {
    let Object::String(bytes, _) = o else {
        return None;
    };
    let utf16 = |rest: &[u8], le: bool| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect()
    };
    match bytes.as_slice() {
        [0xFE, 0xFF, rest @ ..] => Some(utf16(rest, false)),
        [0xFF, 0xFE, rest @ ..] => Some(utf16(rest, true)),
        [0xEF, 0xBB, 0xBF, rest @ ..] => Some(String::from_utf8_lossy(rest).into_owned()),
        _ => lopdf::decode_text_string(o).ok(),
    }
}

/// The part of the page a reader sees: its `/CropBox`, else its `/MediaBox` (either may be
/// inherited from the page tree), as x0, y0, x1, y1.
fn page_box(doc: &Document, id: lopdf::ObjectId) -> Option<[f32; 4]> {
    let mut node = doc.get_dictionary(id).ok()?;
    for _ in 0..32 {
        for key in [b"CropBox".as_slice(), b"MediaBox"] {
            if let Ok(a) = node.get_deref(key, doc).and_then(Object::as_array) {
                let n: Vec<f32> = a
                    .iter()
                    .filter_map(|o| doc.dereference(o).ok()?.1.as_float().ok())
                    .collect();
                if let [a, b, c, d] = n[..] {
                    if [a, b, c, d].iter().all(|v| v.is_finite()) && c != a && d != b {
                        return Some([a.min(c), b.min(d), a.max(c), b.max(d)]);
                    }
                }
            }
        }
        node = node
            .get_deref(b"Parent", doc)
            .and_then(Object::as_dict)
            .ok()?;
    }
    None
}

/// The forms and images a page's resources name (its own, or inherited from its page tree).
fn page_xobjects(doc: &Document, id: lopdf::ObjectId) -> Option<&Dictionary> {
    let (own, inherited) = doc.get_page_resources(id).ok()?;
    own.into_iter()
        .chain(inherited.iter().filter_map(|i| doc.get_dictionary(*i).ok()))
        .find_map(|r| r.get_deref(b"XObject", doc).and_then(Object::as_dict).ok())
}

fn has_images(doc: &Document, page: &Dictionary) -> bool {
    let Ok(res) = page.get_deref(b"Resources", doc).and_then(Object::as_dict) else {
        return false;
    };
    res.get_deref(b"XObject", doc)
        .and_then(Object::as_dict)
        .is_ok_and(|x| !x.is_empty())
}

fn page_content(
    doc: &Document,
    id: lopdf::ObjectId,
    budget: &mut usize,
) -> Result<Vec<u8>, String> {
    let mut out = vec![];
    for cid in doc.get_page_contents(id) {
        let Ok(Object::Stream(s)) = doc.get_object(cid) else {
            continue;
        };
        let bytes = if s.dict.get(b"Filter").is_ok() {
            match s.decompressed_content_with_limit(MAX_STREAM.min(*budget)) {
                Ok(b) => b,
                Err(lopdf::Error::Decompress(_)) => {
                    return Err(
                        "无法读取该 PDF：页面内容解压后过大（可能是恶意文件），已停止读取".into(),
                    )
                }
                Err(_) => continue,
            }
        } else {
            s.content.clone()
        };
        *budget = budget.saturating_sub(bytes.len());
        if *budget == 0 {
            return Err("无法读取该 PDF：内容解压后过大，不像一份年度报告".into());
        }
        out.extend(bytes);
        out.push(b'\n');
    }
    Ok(out)
}

/// A font as far as placing text needs it.
struct Font<'a> {
    encoding: Option<lopdf::Encoding<'a>>,
    /// Two-byte codes (a CID font).
    wide: bool,
    widths: BTreeMap<u32, f32>,
    default_width: f32,
    /// Glyph space to text space: 1/1000, or a Type 3 font's own `FontMatrix`.
    scale: f32,
}

impl<'a> Font<'a> {
    fn new(doc: &'a Document, dict: &'a Dictionary) -> Font<'a> {
        // A ToUnicode map says what the codes mean whatever the encoding (Type 3 fonts of
        // browsers' PDFs have an encoding lopdf cannot read): it comes first.
        let to_unicode = dict.get(b"ToUnicode").is_ok().then(|| {
            let mut bare = dict.clone();
            bare.remove(b"Encoding");
            match bare.get_font_encoding_with_limit(doc, MAX_STREAM) {
                Ok(lopdf::Encoding::UnicodeMapEncoding(map)) => {
                    Some(lopdf::Encoding::UnicodeMapEncoding(map))
                }
                _ => None,
            }
        });
        let encoding = match to_unicode.flatten() {
            Some(e) => Some(e),
            None => dict.get_font_encoding_with_limit(doc, MAX_STREAM).ok(),
        };
        let wide = dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .is_ok_and(|n| n == b"Type0");
        let mut widths = BTreeMap::new();
        let mut default_width = 500.0;
        if wide {
            default_width = 1000.0;
            let desc = dict
                .get_deref(b"DescendantFonts", doc)
                .and_then(Object::as_array)
                .ok()
                .and_then(|a| a.first())
                .and_then(|d| doc.dereference(d).ok())
                .and_then(|(_, d)| d.as_dict().ok());
            if let Some(d) = desc {
                if let Ok(dw) = d.get(b"DW").and_then(Object::as_float) {
                    default_width = dw;
                }
                if let Ok(w) = d.get_deref(b"W", doc).and_then(Object::as_array) {
                    let num =
                        |o: &Object| doc.dereference(o).ok().and_then(|(_, o)| o.as_float().ok());
                    let mut i = 0;
                    while i < w.len() && widths.len() < 70_000 {
                        let Some(first) = num(&w[i]) else { break };
                        match w
                            .get(i + 1)
                            .and_then(|o| doc.dereference(o).ok())
                            .map(|x| x.1)
                        {
                            Some(Object::Array(list)) => {
                                for (k, v) in list.iter().enumerate().take(70_000) {
                                    if let Some(v) = num(v) {
                                        widths.insert(first as u32 + k as u32, v);
                                    }
                                }
                                i += 2;
                            }
                            Some(_) => {
                                let (Some(last), Some(v)) =
                                    (w.get(i + 1).and_then(num), w.get(i + 2).and_then(num))
                                else {
                                    break;
                                };
                                let (a, b) =
                                    (first as u32, (last as u32).min(first as u32 + 70_000));
                                for c in a..=b {
                                    widths.insert(c, v);
                                }
                                i += 3;
                            }
                            None => break,
                        }
                    }
                }
            }
        } else {
            let first = dict
                .get(b"FirstChar")
                .and_then(Object::as_i64)
                .unwrap_or(0)
                .max(0) as u32;
            if let Ok(w) = dict.get_deref(b"Widths", doc).and_then(Object::as_array) {
                for (k, v) in w.iter().enumerate().take(256) {
                    if let Ok((_, v)) = doc.dereference(v) {
                        if let Ok(v) = v.as_float() {
                            widths.insert(first + k as u32, v);
                        }
                    }
                }
            }
            if let Some(mw) = dict
                .get_deref(b"FontDescriptor", doc)
                .and_then(Object::as_dict)
                .ok()
                .and_then(|d| d.get(b"MissingWidth").and_then(Object::as_float).ok())
            {
                default_width = mw;
            }
        }
        let scale = dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .ok()
            .filter(|n| *n == b"Type3")
            .and_then(|_| {
                dict.get_deref(b"FontMatrix", doc)
                    .and_then(Object::as_array)
                    .ok()
            })
            .and_then(|m| m.first().and_then(|a| a.as_float().ok()))
            .filter(|a| a.is_finite() && *a != 0.0)
            .map_or(0.001, f32::abs);
        Font {
            encoding,
            wide,
            widths,
            default_width,
            scale,
        }
    }

    fn codes(&self, bytes: &[u8]) -> Vec<u32> {
        if self.wide {
            bytes
                .chunks(2)
                .map(|c| c.iter().fold(0u32, |a, b| a * 256 + u32::from(*b)))
                .collect()
        } else {
            bytes.iter().map(|b| u32::from(*b)).collect()
        }
    }

    fn text(&self, bytes: &[u8]) -> String {
        match &self.encoding {
            Some(e) => e.bytes_to_string(bytes).unwrap_or_default(),
            None => bytes
                .iter()
                .filter(|b| b.is_ascii_graphic() || **b == b' ')
                .map(|b| *b as char)
                .collect(),
        }
    }

    /// A glyph's advance for a font size of one.
    fn width(&self, code: u32) -> f32 {
        self.widths
            .get(&code)
            .copied()
            .unwrap_or(self.default_width)
            * self.scale
    }
}

type M = [f32; 6];

fn mul(a: &M, b: &M) -> M {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

const ID: M = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn nums(ops: &[Object]) -> Vec<f32> {
    ops.iter().filter_map(|o| o.as_float().ok()).collect()
}

/// What a page's content gives, in device space: text shown, in any direction, and rules.
#[derive(Default)]
struct Marks {
    shown: Vec<Shown>,
    segs: Vec<Seg>,
    /// Operators interpreted so far (the page's own and its forms').
    ops: usize,
    /// Runs drawn invisible (render mode 3 or 7): an OCR layer over a scanned image.
    invisible: usize,
    /// Images drawn (directly or inside forms).
    images: usize,
    /// Glyphs shown (spaces aside), and how many of them decoded to characters a text has.
    glyphs: usize,
    decoded: usize,
}

/// A run of text as shown: where it starts and ends, its size, which way it runs (0 right,
/// 1 up, 2 left, 3 down).
struct Shown {
    from: (f32, f32),
    to: (f32, f32),
    size: f32,
    text: String,
    way: u8,
}

/// How deep forms may nest in forms (a page of a report has none, or one level).
const MAX_FORM_DEPTH: usize = 8;

/// Interprets a page's content into runs and rules: the page turned so that most of its text
/// runs left to right (a page whose content is drawn turned, shown upright by `/Rotate`).
fn page_runs(
    doc: &Document,
    content: &[u8],
    fonts: &Fonts,
    xobjects: Option<&Dictionary>,
    visible: Option<[f32; 4]>,
    budget: &mut usize,
) -> Result<(Vec<Run>, Vec<Seg>, Marks), String> {
    let mut marks = Marks::default();
    interpret(doc, content, fonts, xobjects, ID, 0, budget, &mut marks)?;
    // Text set off the page (a table wider than the paper) is not on the page a reader sees.
    if let Some([x0, y0, x1, y1]) = visible {
        marks.shown.retain(|s| {
            let (x, y) = ((s.from.0 + s.to.0) / 2.0, (s.from.1 + s.to.1) / 2.0);
            x >= x0 - 1.0 && x <= x1 + 1.0 && y >= y0 - 1.0 && y <= y1 + 1.0
        });
    }
    let mut ways = [0usize; 4];
    for s in &marks.shown {
        ways[s.way as usize] += s.text.chars().count();
    }
    let way = (0..4)
        .max_by_key(|&w| (ways[w], std::cmp::Reverse(w)))
        .unwrap_or(0);
    // Turn the page back by a quarter turn per step of the text's way.
    let turn = |(x, y): (f32, f32)| match way {
        1 => (y, -x),
        2 => (-x, -y),
        3 => (-y, x),
        _ => (x, y),
    };
    let runs = std::mem::take(&mut marks.shown)
        .into_iter()
        .map(|s| {
            let (a, b) = (turn(s.from), turn(s.to));
            if s.way as usize == way {
                Run {
                    x: a.0,
                    end: b.0,
                    y: a.1,
                    size: s.size,
                    text: s.text,
                }
            } else {
                // Text set across the page's way (a label turned in its cell): where it
                // stands, by its middle.
                Run {
                    x: a.0.min(b.0),
                    end: a.0.max(b.0),
                    y: (a.1 + b.1) / 2.0,
                    size: s.size,
                    text: s.text,
                }
            }
        })
        .collect();
    let segs = std::mem::take(&mut marks.segs)
        .into_iter()
        .map(|g| {
            let (a, b) = (turn((g.x1, g.y1)), turn((g.x2, g.y2)));
            Seg {
                x1: a.0,
                y1: a.1,
                x2: b.0,
                y2: b.1,
            }
        })
        .collect();
    Ok((runs, segs, marks))
}

/// The fonts of a resource dictionary, by name.
type Fonts<'a> = BTreeMap<Vec<u8>, &'a Dictionary>;

fn fonts_of<'a>(doc: &'a Document, res: &'a Dictionary) -> Option<Fonts<'a>> {
    let d = res.get_deref(b"Font", doc).and_then(Object::as_dict).ok()?;
    Some(
        d.iter()
            .filter_map(|(k, v)| Some((k.clone(), doc.dereference(v).ok()?.1.as_dict().ok()?)))
            .collect(),
    )
}

/// Interprets one content stream (a page's, or a form's under `start`) into `marks`.
#[allow(clippy::too_many_arguments)]
fn interpret(
    doc: &Document,
    content: &[u8],
    fonts: &Fonts,
    xobjects: Option<&Dictionary>,
    start: M,
    depth: usize,
    budget: &mut usize,
    marks: &mut Marks,
) -> Result<(), String> {
    // Forms that draw themselves over and over end here: every operator counts once, every
    // form's bytes against the inflation budget.
    if marks.ops > MAX_OPS {
        return Ok(());
    }
    let Ok(ops) = lopdf::content::Content::decode(content) else {
        return Ok(());
    };
    // The path being built (user space) and the rules stroked or filled so far.
    let mut path: Vec<Seg> = vec![];
    let mut boxes: Vec<Seg> = vec![];
    let mut at = (0.0f32, 0.0f32);
    let pt = |m: &M, x: f32, y: f32| (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]);
    let mut loaded: BTreeMap<Vec<u8>, Font> = BTreeMap::new();
    let mut runs: Vec<Shown> = vec![];
    let mut ctm = start;
    let mut mode = 0i64;
    // The marked-content sequences open, each with its ActualText (and whether it was given).
    let mut actual: Vec<Option<(String, bool)>> = vec![];
    let mut forms: Vec<(Vec<u8>, M)> = vec![];
    let mut stack: Vec<M> = vec![];
    let (mut tm, mut tlm) = (ID, ID);
    let mut font: Option<Vec<u8>> = None;
    let (mut fs, mut tc, mut tw, mut th, mut tl, mut rise) =
        (0.0f32, 0.0f32, 0.0f32, 1.0f32, 0.0f32, 0.0f32);
    for op in ops.operations.iter() {
        marks.ops += 1;
        if marks.ops > MAX_OPS {
            break;
        }
        let n = nums(&op.operands);
        match op.operator.as_str() {
            "q" if stack.len() < 64 => stack.push(ctm),
            "Q" => ctm = stack.pop().unwrap_or(start),
            "Tr" if !op.operands.is_empty() => {
                mode = op.operands[0].as_i64().unwrap_or(0);
            }
            // Marked content that says what its glyphs mean (`/Span <</ActualText (…)>> BDC`):
            // LibreOffice and Word write it where a glyph's own mapping is missing or wrong.
            "BDC" | "BMC" if actual.len() < 64 => {
                let said = op
                    .operands
                    .get(1)
                    .and_then(|o| o.as_dict().ok())
                    .and_then(|d| d.get(b"ActualText").ok())
                    .and_then(text_string);
                actual.push(said.map(|t| (t, false)));
            }
            "EMC" => {
                actual.pop();
            }
            "Do" => {
                if let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) {
                    forms.push((name.to_vec(), ctm));
                }
            }
            "cm" if n.len() == 6 => ctm = mul(&[n[0], n[1], n[2], n[3], n[4], n[5]], &ctm),
            "m" if n.len() == 2 => at = pt(&ctm, n[0], n[1]),
            "l" if n.len() == 2 => {
                let to = pt(&ctm, n[0], n[1]);
                if path.len() < 100_000 {
                    path.push(Seg {
                        x1: at.0,
                        y1: at.1,
                        x2: to.0,
                        y2: to.1,
                    });
                }
                at = to;
            }
            "re" if n.len() == 4 => {
                let (x, y, w, h) = (n[0], n[1], n[2], n[3]);
                let c = [
                    pt(&ctm, x, y),
                    pt(&ctm, x + w, y),
                    pt(&ctm, x + w, y + h),
                    pt(&ctm, x, y + h),
                ];
                let (wd, ht) = ((c[1].0 - c[0].0).abs(), (c[3].1 - c[0].1).abs());
                if ht < 2.0 {
                    // A rule drawn as a thin filled rectangle.
                    let ym = (c[0].1 + c[3].1) / 2.0;
                    path.push(Seg {
                        x1: c[0].0,
                        y1: ym,
                        x2: c[1].0,
                        y2: ym,
                    });
                } else if wd < 2.0 {
                    let xm = (c[0].0 + c[1].0) / 2.0;
                    path.push(Seg {
                        x1: xm,
                        y1: c[0].1,
                        x2: xm,
                        y2: c[3].1,
                    });
                } else if boxes.len() < 100_000 {
                    // A box's edges are rules only when it is stroked (a filled box is a
                    // background).
                    for k in 0..4 {
                        let (a, b) = (c[k], c[(k + 1) % 4]);
                        boxes.push(Seg {
                            x1: a.0,
                            y1: a.1,
                            x2: b.0,
                            y2: b.1,
                        });
                    }
                }
            }
            "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                if marks.segs.len() < 100_000 {
                    marks.segs.append(&mut path);
                    if !op.operator.starts_with(['f', 'F']) {
                        marks.segs.append(&mut boxes);
                    }
                }
                path.clear();
                boxes.clear();
            }
            "n" => {
                path.clear();
                boxes.clear();
            }
            "BT" => {
                tm = ID;
                tlm = ID;
            }
            "Tf" => {
                if let Some(Object::Name(name)) = op.operands.first() {
                    if !loaded.contains_key(name) {
                        if let Some(d) = fonts.get(name) {
                            loaded.insert(name.clone(), Font::new(doc, d));
                        }
                    }
                    font = Some(name.clone());
                }
                if let Some(s) = n.last() {
                    fs = *s;
                }
            }
            "Tc" if !n.is_empty() => tc = n[0],
            "Tw" if !n.is_empty() => tw = n[0],
            "Tz" if !n.is_empty() => th = n[0] / 100.0,
            "TL" if !n.is_empty() => tl = n[0],
            "Ts" if !n.is_empty() => rise = n[0],
            "Td" | "TD" if n.len() == 2 => {
                if op.operator == "TD" {
                    tl = -n[1];
                }
                tlm = mul(&[1.0, 0.0, 0.0, 1.0, n[0], n[1]], &tlm);
                tm = tlm;
            }
            "Tm" if n.len() == 6 => {
                tm = [n[0], n[1], n[2], n[3], n[4], n[5]];
                tlm = tm;
            }
            "T*" => {
                tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -tl], &tlm);
                tm = tlm;
            }
            "Tj" | "'" | "\"" | "TJ" => {
                if op.operator == "'" || op.operator == "\"" {
                    if op.operator == "\"" && n.len() >= 2 {
                        tw = n[0];
                        tc = n[1];
                    }
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -tl], &tlm);
                    tm = tlm;
                }
                let Some(f) = font.as_ref().and_then(|k| loaded.get(k)) else {
                    continue;
                };
                let items: Vec<&Object> = match (op.operator.as_str(), op.operands.last()) {
                    ("TJ", Some(Object::Array(a))) => a.iter().collect(),
                    (_, Some(o)) => vec![o],
                    _ => vec![],
                };
                let mut cur: Option<Shown> = None;
                for item in items {
                    match item {
                        Object::String(bytes, _) => {
                            let m = mul(&tm, &ctm);
                            let size = (fs * (m[3] * m[3] + m[2] * m[2]).sqrt()).abs();
                            let x = m[4] + rise * m[2];
                            let y = m[5] + rise * m[3];
                            // Inside an ActualText span its text stands for all the glyphs:
                            // given with the first, the rest add nothing.
                            let text = match actual.iter_mut().rev().find_map(Option::as_mut) {
                                Some((said, used)) => {
                                    if *used {
                                        String::new()
                                    } else {
                                        *used = true;
                                        said.clone()
                                    }
                                }
                                None => f.text(bytes),
                            };
                            let codes = f.codes(bytes);
                            marks.glyphs += codes.len();
                            marks.decoded += if actual.iter().any(Option::is_some) {
                                // The span says what they are.
                                codes.len()
                            } else {
                                text.chars()
                                    .filter(|c| {
                                        !c.is_control()
                                            && !('\u{E000}'..='\u{F8FF}').contains(c)
                                            && *c != char::REPLACEMENT_CHARACTER
                                    })
                                    .count()
                                    .min(codes.len())
                            };
                            let mut adv = 0.0;
                            for code in codes {
                                adv += (f.width(code) * fs + tc) * th;
                                if !f.wide && code == 32 {
                                    adv += tw * th;
                                }
                            }
                            tm = mul(&[1.0, 0.0, 0.0, 1.0, adv, 0.0], &tm);
                            let m2 = mul(&tm, &ctm);
                            let end = (m2[4], m2[5]);
                            match cur.as_mut() {
                                Some(r) => {
                                    r.text.push_str(&text);
                                    r.to = end;
                                }
                                None => {
                                    // Which way the text's baseline runs on the page.
                                    let way = if m[0].abs() >= m[1].abs() {
                                        if m[0] >= 0.0 {
                                            0
                                        } else {
                                            2
                                        }
                                    } else if m[1] > 0.0 {
                                        1
                                    } else {
                                        3
                                    };
                                    if mode == 3 || mode == 7 {
                                        marks.invisible += 1;
                                    }
                                    cur = Some(Shown {
                                        from: (x, y),
                                        to: end,
                                        size,
                                        text,
                                        way,
                                    })
                                }
                            }
                        }
                        o => {
                            if let Ok(k) = o.as_float() {
                                let adv = -k / 1000.0 * fs * th;
                                tm = mul(&[1.0, 0.0, 0.0, 1.0, adv, 0.0], &tm);
                                // A wide gap inside one TJ: a new run (another cell or word).
                                if adv.abs() > fs * 0.8 {
                                    if let Some(r) = cur.take() {
                                        runs.push(r);
                                    }
                                }
                            }
                        }
                    }
                }
                if let Some(r) = cur {
                    runs.push(r);
                }
            }
            _ => {}
        }
        if runs.len() + marks.shown.len() > MAX_RUNS {
            return Err("无法读取该 PDF：文字过多，不像一份年度报告".into());
        }
    }
    marks.shown.append(&mut runs);
    // The forms and images the content drew: a form's content is read as if drawn in place
    // (its matrix, its own resources, or the page's).
    for (name, at) in forms {
        let Some(x) = xobjects
            .and_then(|x| x.get_deref(&name, doc).ok())
            .and_then(|o| o.as_stream().ok())
        else {
            continue;
        };
        match x.dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Image") => marks.images += 1,
            Ok(b"Form") if depth < MAX_FORM_DEPTH => {
                let m = x
                    .dict
                    .get(b"Matrix")
                    .and_then(Object::as_array)
                    .ok()
                    .map(|a| nums(a))
                    .filter(|a| a.len() == 6)
                    .map_or(ID, |a| [a[0], a[1], a[2], a[3], a[4], a[5]]);
                let content = if x.dict.get(b"Filter").is_ok() {
                    match x.decompressed_content_with_limit(MAX_STREAM.min(*budget)) {
                        Ok(b) => b,
                        Err(_) => continue,
                    }
                } else {
                    x.content.clone()
                };
                *budget = budget.saturating_sub(content.len());
                if *budget == 0 {
                    return Err("无法读取该 PDF：内容解压后过大，不像一份年度报告".into());
                }
                let own = x
                    .dict
                    .get_deref(b"Resources", doc)
                    .and_then(Object::as_dict)
                    .ok();
                let own_fonts = own.and_then(|r| fonts_of(doc, r));
                let own_x =
                    own.and_then(|r| r.get_deref(b"XObject", doc).and_then(Object::as_dict).ok());
                interpret(
                    doc,
                    &content,
                    own_fonts.as_ref().unwrap_or(fonts),
                    own_x.or(xobjects),
                    mul(&m, &at),
                    depth + 1,
                    budget,
                    marks,
                )?;
            }
            _ => {}
        }
    }
    Ok(())
}
