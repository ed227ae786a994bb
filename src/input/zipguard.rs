//! The gate between an untrusted `.xlsx` file and calamine.
//!
//! An `.xlsx` workbook is a zip archive. Before calamine sees it, [`repack`]:
//!
//! 1. recognises files that are not zip archives at all and says what they are (an old `.xls`
//!    workbook, an encrypted workbook — both OLE2 containers —, a web page, an empty file);
//! 2. checks the central directory: at most [`MAX_PARTS`] parts, each declared at most
//!    [`MAX_PART_BYTES`] once inflated, all together at most [`MAX_TOTAL_BYTES`], and no part over
//!    [`RATIO_FROM_BYTES`] compressed more than [`MAX_RATIO`]:1 (a zip bomb);
//! 3. inflates every part itself, never more than its declared size plus one byte (a directory
//!    can lie), checking each part's CRC;
//! 4. hands calamine a new in-memory zip holding the same parts, in the same order and under the
//!    same names, **stored** (not compressed): calamine never inflates untrusted data itself.
//!
//! Every refusal is a sentence in Chinese that names the part concerned; `excel::read_bytes`
//! turns it into a SYNTAX error. `docs/CLI.md` cites these limits.

use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// The most one part of the workbook (a sheet's XML, the shared strings …) may inflate to:
/// 50 MiB. A report workbook's largest part is a few hundred KB.
pub const MAX_PART_BYTES: u64 = 50 * 1024 * 1024;

/// The most all parts of the workbook together may inflate to: 200 MiB.
pub const MAX_TOTAL_BYTES: u64 = 200 * 1024 * 1024;

/// The highest compression ratio (inflated size ÷ compressed size) accepted for a part larger
/// than [`RATIO_FROM_BYTES`]: 100:1. Spreadsheet XML compresses about 5–30:1; a zip bomb
/// (a long run of one byte) about 1000:1.
pub const MAX_RATIO: u64 = 100;

/// Parts smaller than this (1 MiB inflated) are not held to [`MAX_RATIO`]: tiny, repetitive
/// parts compress well and cannot hurt.
pub const RATIO_FROM_BYTES: u64 = 1024 * 1024;

/// The most parts (files inside the zip) a workbook may have: 10,000. A report workbook has
/// about 15.
pub const MAX_PARTS: usize = 10_000;

/// OLE2 compound file signature: old `.xls` workbooks and encrypted `.xlsx` workbooks.
const OLE2: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

const STOP: &str = "不像正常的报告工作簿，已停止读取";

fn mb(n: u64) -> u64 {
    n / (1024 * 1024)
}

/// `name` as UTF-16LE bytes (the names of OLE2 directory entries).
fn utf16le(name: &str) -> Vec<u8> {
    name.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// What a file that is not a zip archive is, as a message.
fn not_a_zip(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "文件是空的（0 字节），不是 Excel 工作簿".to_string();
    }
    if bytes.starts_with(&OLE2) {
        let encrypted = ["EncryptedPackage", "EncryptionInfo"]
            .iter()
            .any(|n| contains(bytes, &utf16le(n)));
        return if encrypted {
            "该工作簿设置了打开密码（已加密），无法读取：请在 Excel 中打开它，取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后另存为 .xlsx".to_string()
        } else {
            "这是旧版 Excel 97-2003（.xls）文件，请在 Excel 中另存为 .xlsx".to_string()
        };
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('<') {
        return "这是网页或 XML 文件（可能是改了扩展名的 .xls 或 .html），不是 .xlsx 工作簿：请在 Excel 中打开后另存为 .xlsx".to_string();
    }
    if head.starts_with("%pdf") {
        return "这是 PDF 文件，不是 Excel 工作簿".to_string();
    }
    "不是 Excel 工作簿：.xlsx 文件应是 zip 压缩包，这个文件不是（可能只是改了扩展名）".to_string()
}

/// A zip whose directory cannot be read: the name of the last part whose local header is still
/// there (where the file was cut), if any.
fn last_local_part(bytes: &[u8]) -> Option<String> {
    let sig = b"PK\x03\x04";
    let mut at = None;
    let mut i = 0;
    while i + 30 <= bytes.len() {
        if &bytes[i..i + 4] == sig {
            let n = u16::from_le_bytes([bytes[i + 26], bytes[i + 27]]) as usize;
            if n > 0 && n < 1024 && i + 30 + n <= bytes.len() {
                if let Ok(name) = std::str::from_utf8(&bytes[i + 30..i + 30 + n]) {
                    if !name.contains('\0') {
                        at = Some(name.to_string());
                    }
                }
            }
        }
        i += 1;
    }
    at
}

fn damaged_zip(bytes: &[u8], e: &zip::result::ZipError) -> String {
    match last_local_part(bytes) {
        Some(name) => format!(
            "文件不完整或已损坏（{}），最后能找到的部分是 {}，文件可能在那里被截断；请重新复制或下载原文件",
            zip_error(e),
            crate::input::number::cut(&name)
        ),
        None => format!(
            "文件已损坏，无法作为 .xlsx 工作簿读取（{}）",
            zip_error(e)
        ),
    }
}

/// A zip error in Chinese where it is a common one.
fn zip_error(e: &zip::result::ZipError) -> String {
    let t = e.to_string();
    if t.contains("EOCD") || t.contains("end of central directory") {
        "缺少 zip 目录".to_string()
    } else {
        t
    }
}

fn ratio(size: u64, compressed: u64) -> u64 {
    size / compressed.max(1)
}

/// Checks an untrusted `.xlsx` file and returns the same workbook re-packed with every part
/// stored, ready for calamine; or why it cannot be read.
pub(crate) fn repack(bytes: &[u8]) -> Result<Vec<u8>, String> {
    if !bytes.starts_with(b"PK") {
        return Err(not_a_zip(bytes));
    }
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| damaged_zip(bytes, &e))?;
    if zip.len() > MAX_PARTS {
        return Err(format!(
            "工作簿包含 {} 个部分，超过 {MAX_PARTS} 个，{STOP}",
            zip.len()
        ));
    }
    // The central directory first: nothing is inflated before all of it is sound.
    let mut parts = Vec::with_capacity(zip.len());
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let e = zip
            .by_index_data(i)
            .map_err(|e| format!("文件已损坏，第 {} 个部分无法读取（{e}）", i + 1))?;
        let name = e
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|_| String::from_utf8_lossy(e.name_raw()).into_owned());
        // A part's name is the file's text, of any length: messages quote it cut.
        let shown = crate::input::number::cut(&name);
        let (size, compressed) = (e.size(), e.compressed_size());
        if size > MAX_PART_BYTES {
            return Err(format!(
                "工作簿中的 {shown} 解压后超过 {} MB（{size} 字节，压缩比 {}:1），{STOP}",
                mb(MAX_PART_BYTES),
                ratio(size, compressed)
            ));
        }
        if size > RATIO_FROM_BYTES && ratio(size, compressed) > MAX_RATIO {
            return Err(format!(
                "工作簿中的 {shown} 压缩比为 {}:1（{compressed} 字节解压后为 {size} 字节），超过 {MAX_RATIO}:1，{STOP}",
                ratio(size, compressed)
            ));
        }
        total += size;
        if total > MAX_TOTAL_BYTES {
            return Err(format!(
                "工作簿各部分解压后合计超过 {} MB（到 {shown} 为止已有 {total} 字节），{STOP}",
                mb(MAX_TOTAL_BYTES)
            ));
        }
        parts.push((name, size, compressed, e.is_dir()));
    }

    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(
        (total as usize).saturating_add(parts.len() * 128),
    )));
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let mut buf = Vec::new();
    for (i, (name, size, compressed, is_dir)) in parts.into_iter().enumerate() {
        let shown = crate::input::number::cut(&name);
        let write_err =
            |e: zip::result::ZipError| format!("工作簿中的 {shown} 无法读取（{e}），文件已损坏");
        if is_dir {
            out.add_directory(name.as_str(), stored)
                .map_err(write_err)?;
            continue;
        }
        buf.clear();
        {
            let f = zip.by_index(i).map_err(|e| match e {
                zip::result::ZipError::UnsupportedArchive(m)
                    if m == zip::result::ZipError::PASSWORD_REQUIRED =>
                {
                    format!("工作簿中的 {shown} 设置了密码（已加密），无法读取：请取消密码后另存为 .xlsx")
                }
                zip::result::ZipError::CompressionMethodNotSupported(_)
                | zip::result::ZipError::UnsupportedArchive(_) => {
                    format!("工作簿中的 {shown} 使用了不支持的压缩方式（{e}），请在 Excel 中另存为 .xlsx")
                }
                e => format!("工作簿中的 {shown} 已损坏（{e}）"),
            })?;
            // Never more than the declared size (already within the limits) plus one byte.
            let mut limited = f.take(size.min(MAX_PART_BYTES) + 1);
            if let Err(e) = limited.read_to_end(&mut buf) {
                let text = e.to_string();
                return Err(if text.contains("checksum") {
                    format!("工作簿中的 {shown} 已损坏（校验和不符）")
                } else if text.contains("larger than its declared") {
                    lying(&name, size, compressed)
                } else {
                    format!("工作簿中的 {shown} 已损坏（压缩数据无法解开：{e}）")
                });
            }
        }
        let got = buf.len() as u64;
        if got > size {
            return Err(lying(&name, size, compressed));
        }
        if got < size {
            return Err(format!(
                "工作簿中的 {shown} 已损坏（解压后只有 {got} 字节，目录中记录的是 {size} 字节）"
            ));
        }
        out.start_file(name.as_str(), stored).map_err(write_err)?;
        out.write_all(&buf)
            .map_err(|e| format!("工作簿中的 {shown} 无法读取（{e}）"))?;
    }
    out.finish()
        .map(Cursor::into_inner)
        .map_err(|e| format!("无法读取 Excel 文件（{e}）"))
}

/// A part that inflates to more than its directory entry says.
fn lying(name: &str, size: u64, compressed: u64) -> String {
    let shown = crate::input::number::cut(name);
    format!(
        "工作簿中的 {shown} 解压后比 zip 目录中记录的 {size} 字节更大（压缩后 {compressed} 字节），文件已损坏或被篡改，{STOP}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ole2_kinds() {
        let mut xls = OLE2.to_vec();
        xls.extend(utf16le("Workbook"));
        assert!(not_a_zip(&xls).contains(".xls"));
        let mut enc = OLE2.to_vec();
        enc.extend(utf16le("EncryptedPackage"));
        assert!(not_a_zip(&enc).contains("密码"));
        assert!(not_a_zip(b"").contains("空"));
        assert!(not_a_zip(b"<html>").contains("网页"));
    }

    #[test]
    fn stored_round_trip() {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        let o = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        w.start_file("a.xml", o).unwrap();
        w.write_all(&[b'x'; 5000]).unwrap();
        w.start_file("b.xml", o).unwrap();
        w.write_all(b"<b/>").unwrap();
        let bytes = w.finish().unwrap().into_inner();
        let out = repack(&bytes).unwrap();
        let mut z = ZipArchive::new(Cursor::new(out)).unwrap();
        assert_eq!(z.len(), 2);
        let f = z.by_index(0).unwrap();
        assert_eq!(f.name().unwrap(), "a.xml");
        assert_eq!(f.compression(), CompressionMethod::Stored);
        assert_eq!(f.size(), 5000);
    }
}
