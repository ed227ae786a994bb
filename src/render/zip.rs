//! Zip packages (.docx, .ofd) with fixed entry order and timestamps, so the same report gives
//! the same bytes (no clock in the entries, no directory entries).

use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipWriter};

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
        .unix_permissions(0o644)
        // The zip crate records the building OS ("version made by": DOS on Windows, Unix
        // elsewhere) unless told: fixed, so every platform writes the same bytes.
        .system(System::Unix);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        zip.start_file(name.as_str(), options)
            .map_err(|e| e.to_string())?;
        zip.write_all(bytes).map_err(|e| e.to_string())?;
    }
    let cursor = zip.finish().map_err(|e| e.to_string())?;
    Ok(cursor.into_inner())
}

/// Marks every central-directory entry of a finished zip as made on Unix, in place.
/// rust_xlsxwriter packs .xlsx itself with the zip crate's default "made by" system, which is
/// DOS on Windows and Unix elsewhere: the only byte that differs between the platforms' files.
/// A zip whose end record cannot be read (or a Zip64 one, far beyond a report's size) is left
/// as it is.
pub(crate) fn made_on_unix(mut bytes: Vec<u8>) -> Vec<u8> {
    const EOCD: &[u8] = b"PK\x05\x06";
    const CENTRAL: &[u8] = b"PK\x01\x02";
    const UNIX: u8 = 3;
    let u16_at = |b: &[u8], i: usize| b.get(i..i + 2).map(|s| u16::from_le_bytes([s[0], s[1]]));
    let u32_at = |b: &[u8], i: usize| {
        b.get(i..i + 4)
            .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    };
    // The end record is the last 22 bytes plus a comment of at most 65535 bytes.
    let from = bytes.len().saturating_sub(22 + 0xFFFF);
    let Some(end) = bytes[from..]
        .windows(4)
        .rposition(|w| w == EOCD)
        .map(|i| from + i)
    else {
        return bytes;
    };
    let (Some(count), Some(offset)) = (u16_at(&bytes, end + 10), u32_at(&bytes, end + 16)) else {
        return bytes;
    };
    if count == 0xFFFF || offset == 0xFFFF_FFFF {
        return bytes;
    }
    // Check the whole directory first, then patch: a malformed one is left untouched.
    let mut at = offset as usize;
    let mut heads = Vec::with_capacity(usize::from(count));
    for _ in 0..count {
        if bytes.get(at..at + 4) != Some(CENTRAL) {
            return bytes;
        }
        let (Some(name), Some(extra), Some(comment)) = (
            u16_at(&bytes, at + 28),
            u16_at(&bytes, at + 30),
            u16_at(&bytes, at + 32),
        ) else {
            return bytes;
        };
        heads.push(at);
        at += 46 + usize::from(name) + usize::from(extra) + usize::from(comment);
    }
    for h in heads {
        // "Version made by": the low byte is the zip version, the high byte the system.
        bytes[h + 5] = UNIX;
    }
    bytes
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

    #[test]
    fn made_on_unix_rewrites_only_the_system_byte() {
        let parts = vec![
            ("a.xml".to_string(), b"<a/>".to_vec()),
            ("b/c.xml".to_string(), vec![b'x'; 300]),
        ];
        let unix = pack(&parts, (2022, 1, 27)).unwrap();
        // The same zip as written on Windows: each central entry's system byte is DOS (0),
        // found here by the central signature at the offsets the end record gives.
        let mut dos = unix.clone();
        let mut seen = 0;
        let cd_start =
            u32::from_le_bytes(unix[unix.len() - 6..unix.len() - 2].try_into().unwrap()) as usize;
        let mut i = cd_start;
        while unix[i..].starts_with(b"PK\x01\x02") {
            assert_eq!(unix[i + 5], 3, "pack writes Unix as the system");
            dos[i + 5] = 0;
            seen += 1;
            let n = u16::from_le_bytes([unix[i + 28], unix[i + 29]]) as usize;
            let x = u16::from_le_bytes([unix[i + 30], unix[i + 31]]) as usize;
            let c = u16::from_le_bytes([unix[i + 32], unix[i + 33]]) as usize;
            i += 46 + n + x + c;
        }
        assert_eq!(seen, 2);
        let systems = |b: &[u8]| {
            let mut z = zip::ZipArchive::new(Cursor::new(b.to_vec())).unwrap();
            (0..z.len())
                .map(|i| z.by_index(i).unwrap().system())
                .collect::<Vec<_>>()
        };
        assert_eq!(systems(&dos), vec![System::Dos, System::Dos]);
        let fixed = made_on_unix(dos);
        assert_eq!(systems(&fixed), vec![System::Unix, System::Unix]);
        assert_eq!(fixed, unix);
        // Not a zip: unchanged.
        assert_eq!(
            made_on_unix(b"PK\x05\x06 short".to_vec()),
            b"PK\x05\x06 short".to_vec()
        );
    }
}
