//! Zip packages (.docx, .ofd) with fixed entry order and timestamps, so the same report gives
//! the same bytes (docx-rs's own `pack` stamps entries and writes directory entries).

use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// One package part: its name inside the zip and its bytes.
pub(crate) type Part = (String, Vec<u8>);

/// Zips `parts` in the given order, every entry dated `date` (year, month, day) at midnight.
pub(crate) fn pack(parts: &[Part], date: (u16, u8, u8)) -> Result<Vec<u8>, String> {
    // The zip format cannot date before 1980 or after 2107; reports are dated 2019..2101.
    let time = DateTime::from_date_and_time(date.0.clamp(1980, 2107), date.1, date.2, 0, 0, 0)
        .unwrap_or_default();
    // Level 1: the parts are XML that deflates well at any level; the default level cost a
    // Word file as much time as half its XML (benches/README.md).
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(1))
        .last_modified_time(time)
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        zip.start_file(name.as_str(), options)
            .map_err(|e| e.to_string())?;
        zip.write_all(bytes).map_err(|e| e.to_string())?;
    }
    let cursor = zip.finish().map_err(|e| e.to_string())?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn same_parts_same_bytes_and_readable() {
        let parts = vec![
            ("[Content_Types].xml".to_string(), b"<a/>".to_vec()),
            ("word/x.xml".to_string(), vec![7; 1000]),
        ];
        let a = pack(&parts, (2022, 1, 27)).unwrap();
        let b = pack(&parts, (2022, 1, 27)).unwrap();
        assert_eq!(a, b);
        let mut z = zip::ZipArchive::new(Cursor::new(a)).unwrap();
        assert_eq!(z.file_names().collect::<Vec<_>>().len(), 2);
        let mut f = z.by_index(0).unwrap();
        assert_eq!(f.name().unwrap(), "[Content_Types].xml");
        let t = f.last_modified().unwrap();
        assert_eq!((t.year(), t.month(), t.day()), (2022, 1, 27));
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        assert_eq!(s, "<a/>");
    }
}
