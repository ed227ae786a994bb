//! What a reader and an archive ask of a PDF besides its pages: bookmarks for the six sections,
//! the document language, XMP metadata that says what the info dictionary says, and no empty
//! PDF/X keys (printpdf writes `/GTS_PDFXVersion ()`, which makes `pdfinfo` call the file
//! PDF/X). Everything is derived from the laid-out document (its info, its outline), so the
//! bytes stay fixed. For PDF/A-1b also: version 1.4, the sRGB output intent and the PDF/A
//! identification in the XMP.

use super::Standard;
use crate::render::document::DocInfo;
use crate::render::paged::layout::PAGE_H;
use crate::render::paged::{OutlineItem, PagedDocument};
use crate::render::xml_escape;
use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};

/// Info keys printpdf writes empty (or for PDF/X) that the file does not mean.
const EMPTY_INFO_KEYS: [&[u8]; 4] = [b"GTS_PDFXVersion", b"Identifier", b"Keywords", b"Trapped"];

/// The output intent's profile: a compact sRGB (ICC version 2, as PDF 1.4 reads; CC0, see
/// color/README.md).
const SRGB_ICC: &[u8] = include_bytes!("../../../color/sRGB-v2-magic.icc");

/// Adds bookmarks, language and XMP metadata to the document printpdf made, and removes the
/// info keys that claim what the file is not.
pub fn finish(doc: &mut lopdf::Document, paged: &PagedDocument, standard: Standard) {
    // /Lang and /Metadata are PDF 1.4 (printpdf declares 1.3); the structure tree's /Tabs 1.5.
    // PDF/A-1 is PDF 1.4.
    doc.version = match standard {
        Standard::Pdf17 => "1.7",
        Standard::A1b => "1.4",
    }
    .to_string();
    if let Ok(Object::Reference(info)) = doc.trailer.get(b"Info").cloned() {
        if let Ok(Object::Dictionary(d)) = doc.get_object_mut(info) {
            for k in EMPTY_INFO_KEYS {
                d.remove(k);
            }
        }
    }
    let Ok(root) = doc.trailer.get(b"Root").and_then(Object::as_reference) else {
        return;
    };
    let page_ids: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let outlines = outlines(doc, &paged.outline, &page_ids);
    let metadata = doc.add_object(Stream::new(
        Dictionary::from_iter([
            ("Type", Object::Name(b"Metadata".to_vec())),
            ("Subtype", Object::Name(b"XML".to_vec())),
        ]),
        xmp(&paged.info, standard).into_bytes(),
    ));
    let intent = (standard == Standard::A1b).then(|| output_intent(doc));
    if let Ok(Object::Dictionary(cat)) = doc.get_object_mut(root) {
        cat.set("Lang", Object::string_literal(paged.info.lang));
        cat.set("Metadata", Object::Reference(metadata));
        if let Some(o) = outlines {
            cat.set("Outlines", Object::Reference(o));
            cat.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        if let Some(i) = intent {
            cat.set("OutputIntents", Object::Array(vec![Object::Reference(i)]));
        }
    }
}

/// The PDF/A output intent: the colours are sRGB (the borders' DeviceRGB black; the text's
/// default DeviceGray is read through it too).
fn output_intent(doc: &mut lopdf::Document) -> ObjectId {
    let mut profile = Stream::new(
        Dictionary::from_iter([("N", Object::Integer(3))]),
        SRGB_ICC.to_vec(),
    );
    // 736 bytes: not worth a filter.
    profile.allows_compression = false;
    let profile = doc.add_object(profile);
    doc.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"OutputIntent".to_vec())),
        ("S", Object::Name(b"GTS_PDFA1".to_vec())),
        (
            "OutputConditionIdentifier",
            Object::string_literal("sRGB IEC61966-2.1"),
        ),
        ("Info", Object::string_literal("sRGB IEC61966-2.1")),
        (
            "RegistryName",
            Object::string_literal("http://www.color.org"),
        ),
        ("DestOutputProfile", Object::Reference(profile)),
    ]))
}

/// The outline tree: one item per section, pointing at its heading where the pages put it.
/// `None` for a document without headings.
fn outlines(
    doc: &mut lopdf::Document,
    outline: &[OutlineItem],
    page_ids: &[ObjectId],
) -> Option<ObjectId> {
    let marks: Vec<&OutlineItem> = outline.iter().filter(|m| m.page < page_ids.len()).collect();
    if marks.is_empty() {
        return None;
    }
    let root = doc.new_object_id();
    let ids: Vec<ObjectId> = marks.iter().map(|_| doc.new_object_id()).collect();
    for (k, m) in marks.iter().enumerate() {
        let mut item = Dictionary::new();
        item.set("Title", utf16_string(&m.title));
        item.set("Parent", Object::Reference(root));
        if k > 0 {
            item.set("Prev", Object::Reference(ids[k - 1]));
        }
        if k + 1 < ids.len() {
            item.set("Next", Object::Reference(ids[k + 1]));
        }
        let y = (PAGE_H - m.top().max(0.0)).round();
        item.set(
            "Dest",
            Object::Array(vec![
                Object::Reference(page_ids[m.page]),
                Object::Name(b"XYZ".to_vec()),
                Object::Null,
                Object::Real(y),
                Object::Null,
            ]),
        );
        doc.objects.insert(ids[k], Object::Dictionary(item));
    }
    let outline = Dictionary::from_iter([
        ("Type", Object::Name(b"Outlines".to_vec())),
        ("First", Object::Reference(ids[0])),
        ("Last", Object::Reference(ids[ids.len() - 1])),
        ("Count", Object::Integer(ids.len() as i64)),
    ]);
    doc.objects.insert(root, Object::Dictionary(outline));
    Some(root)
}

/// A text string in UTF-16BE with its byte-order mark (PDF's form for non-Latin text).
fn utf16_string(s: &str) -> Object {
    let mut bytes = vec![0xfe, 0xff];
    for u in s.encode_utf16() {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// The report's data where PDF/A-1 allows it: the extension schema that declares the property
/// (PDF/A-1 §6.7.8), and the property, the YAML in base64.
fn xmp_data(data: &str) -> String {
    use crate::spec::embed::{XMP_NS, XMP_PREFIX as P, XMP_PROPERTY};
    use base64::Engine;
    let value = base64::engine::general_purpose::STANDARD.encode(data.as_bytes());
    format!(
        r#"
  <rdf:Description rdf:about=""
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>xxgk report data</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>{XMP_NS}</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>{P}</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>{XMP_PROPERTY}</pdfaProperty:name>
         <pdfaProperty:valueType>Text</pdfaProperty:valueType>
         <pdfaProperty:category>external</pdfaProperty:category>
         <pdfaProperty:description>The report's data: the YAML of xxgk convert, in base64</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:{P}="{XMP_NS}">
   <{P}:{XMP_PROPERTY}>{value}</{P}:{XMP_PROPERTY}>
  </rdf:Description>"#
    )
}

/// The XMP packet: the same title, author, subject, tool and dates as the info dictionary (and
/// for PDF/A-1b its identification, part 1, conformance B).
fn xmp(info: &DocInfo, standard: Standard) -> String {
    let date = format!("{}T00:00:00Z", info.date);
    let title = xml_escape(&info.title);
    let author = xml_escape(&info.author);
    let subject = xml_escape(info.subject);
    let lang = info.lang;
    let producer = format!("xxgk {}", env!("CARGO_PKG_VERSION"));
    let pdfa = match standard {
        Standard::Pdf17 => String::new(),
        Standard::A1b => {
            let mut s = r#"
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>1</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>"#
                .to_string();
            if !info.data.is_empty() {
                s.push_str(&xmp_data(&info.data));
            }
            s
        }
    };
    format!(
        r#"<?xpacket begin="{bom}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
   <xmp:CreatorTool>xxgk</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <pdf:Producer>{producer}</pdf:Producer>
  </rdf:Description>{pdfa}
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        bom = '\u{feff}'
    )
}
