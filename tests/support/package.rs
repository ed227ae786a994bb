//! Our documents with the report's data taken out, as a copy through a program that drops it
//! would be (so only their text and tables can be read), and our zip packages rewritten part
//! by part. Included by `#[path]` from tests/integration/common and benches/published.rs,
//! which cannot share a module otherwise.
#![allow(dead_code)]

use std::io::{Cursor, Read, Write};

/// A zip package with each part given to `edit`: `None` leaves the part out, `Some` keeps
/// these bytes in its place.
pub fn repack(zip_bytes: &[u8], mut edit: impl FnMut(&str, Vec<u8>) -> Option<Vec<u8>>) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(Cursor::new(zip_bytes)).expect("a zip package");
    let mut w = zip::ZipWriter::new(Cursor::new(vec![]));
    for i in 0..z.len() {
        let mut f = z.by_index(i).expect("a part");
        let name = f.name().expect("a name").to_string();
        let mut b = vec![];
        f.read_to_end(&mut b).expect("the part's bytes");
        if let Some(b) = edit(&name, b) {
            w.start_file(name, zip::write::SimpleFileOptions::default())
                .expect("a part written");
            w.write_all(&b).expect("a part written");
        }
    }
    w.finish().expect("the package").into_inner()
}

/// A part of our Word or OFD package without the data: the custom XML part and the OFD
/// attachment left out, the OFD document no longer naming its attachments.
pub fn without_data_part(name: &str, bytes: Vec<u8>) -> Option<Vec<u8>> {
    if name.starts_with("customXml") || name.contains("Attachs/") {
        return None;
    }
    if name == "Doc_0/Document.xml" {
        let x = String::from_utf8(bytes).expect("XML");
        return Some(
            x.replace(
                "<ofd:Attachments>Attachs/Attachments.xml</ofd:Attachments>",
                "",
            )
            .into_bytes(),
        );
    }
    Some(bytes)
}

/// Our Word file or OFD without its data.
pub fn package_without_data(zip_bytes: &[u8]) -> Vec<u8> {
    repack(zip_bytes, without_data_part)
}

/// Our web page without its data block.
pub fn page_without_data(page: &str) -> String {
    let start = page
        .find("<script type=\"application/json\"")
        .expect("the data block");
    let end = page[start..].find("</script>").expect("its end") + start + "</script>".len();
    format!("{}{}", &page[..start], &page[end..])
}
