//! Hostile and broken workbooks: each is built here from our own rendering of
//! `examples/demo-2023.yaml`, then damaged. Reading one must end as diagnostics (SYNTAX, in
//! Chinese, naming the part or the sheet), quickly and in bounded memory — never a panic, an
//! abort or a wrong number.

use crate::common::{self, zip_parts as parts};
use std::io::{Cursor, Write};
use std::time::{Duration, Instant};
use xxgk::diag::{Location, Rule, Severity};
use xxgk::input::excel::{read_bytes, MAX_PART_BYTES};
use xxgk::input::Parsed;
use xxgk::model::{Decimal, Report};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

fn demo() -> Report {
    common::example_report("demo-2023.yaml")
}

fn base() -> Vec<u8> {
    xxgk::render::xlsx::render(&demo()).unwrap()
}

/// A deflated zip of these parts.
fn pack(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let o = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(1));
    for (name, data) in parts {
        w.start_file(name.as_str(), o).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The base workbook with one part changed.
fn with_part(name: &str, f: impl FnOnce(Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    let mut ps = parts(&base());
    let p = ps.iter_mut().find(|(n, _)| n == name).expect(name);
    p.1 = f(std::mem::take(&mut p.1));
    pack(&ps)
}

/// The sheet part whose XML holds this text (its name is in the shared strings).
fn sheet_part_with(text: &str) -> String {
    let ps = parts(&base());
    let sst = &ps
        .iter()
        .find(|(n, _)| n == "xl/sharedStrings.xml")
        .unwrap()
        .1;
    let sst = String::from_utf8_lossy(sst);
    // Index of the shared string holding `text`.
    let idx = sst
        .split("<si>")
        .skip(1)
        .position(|si| si.contains(text))
        .expect(text);
    let needle = format!("t=\"s\"><v>{idx}</v>");
    ps.iter()
        .find(|(n, d)| {
            n.starts_with("xl/worksheets/sheet") && String::from_utf8_lossy(d).contains(&needle)
        })
        .map(|(n, _)| n.clone())
        .expect("sheet")
}

/// The workbook's sheet names by part, from workbook.xml and its relationships.
fn sheet_name_of(part: &str) -> String {
    let ps = parts(&base());
    let get =
        |n: &str| String::from_utf8_lossy(&ps.iter().find(|(x, _)| x == n).unwrap().1).to_string();
    let rels = get("xl/_rels/workbook.xml.rels");
    let target = part.trim_start_matches("xl/");
    let rid = rels
        .split("<Relationship ")
        .find(|r| r.contains(&format!("Target=\"{target}\"")))
        .and_then(|r| r.split("Id=\"").nth(1))
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_string();
    let wb = get("xl/workbook.xml");
    let sheet = wb
        .split("<sheet ")
        .find(|s| s.contains(&format!("r:id=\"{rid}\"")))
        .unwrap();
    sheet
        .split("name=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

/// Reads within a bound of this thread's CPU time: a guard that let a bomb through would spend
/// minutes inflating it; the CPU clock, unlike the wall clock, does not count the time other
/// tests or builds on a loaded machine take from this one.
fn read(bytes: &[u8]) -> Parsed {
    let before = thread_cpu();
    let p = read_bytes(bytes);
    let spent = thread_cpu().saturating_sub(before);
    assert!(spent < Duration::from_secs(10), "took {spent:?} of CPU");
    p
}

/// The CPU time this thread has used.
fn thread_cpu() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec into the one we pass.
    let r = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    assert_eq!(r, 0, "clock_gettime");
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// The one SYNTAX error a refused workbook ends as, containing every `words`.
fn refused(p: &Parsed, words: &[&str]) -> String {
    let errors: Vec<_> = p
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(!p.complete, "{:?}", p.diagnostics);
    assert_eq!(errors.len(), 1, "{:?}", p.diagnostics);
    let d = errors[0];
    eprintln!("{}", d.message);
    assert_eq!(d.rule, Rule::Syntax, "{d:?}");
    for w in words {
        assert!(d.message.contains(w), "“{w}” not in “{}”", d.message);
    }
    d.message.clone()
}

fn errors(p: &Parsed) -> Vec<String> {
    p.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.message.clone())
        .collect()
}

/// Offsets of a part's local header and central directory entry.
fn headers(zip: &[u8], name: &str) -> (usize, usize) {
    let find = |sig: &[u8], name_at: usize| {
        (0..zip.len() - name_at - name.len())
            .find(|&i| {
                &zip[i..i + 4] == sig
                    && &zip[i + name_at..i + name_at + name.len()] == name.as_bytes()
            })
            .unwrap()
    };
    (find(b"PK\x03\x04", 30), find(b"PK\x01\x02", 46))
}

fn put_u32(zip: &mut [u8], at: usize, v: u32) {
    zip[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

#[test]
fn our_own_workbook_reads_clean() {
    let p = read(&base());
    assert!(p.complete);
    assert!(errors(&p).is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.report.table2.fee.value, Decimal::parse("12.50").unwrap());
}

#[test]
fn one_cell_at_xfd1048576_is_ignored_with_one_warning() {
    let part = sheet_part_with("本年新收政府信息公开申请数量");
    let sheet = sheet_name_of(&part);
    let bytes = with_part(&part, |xml| {
        let xml = String::from_utf8(xml).unwrap();
        xml.replace(
            "</sheetData>",
            "<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row><row r=\"1048576\"><c r=\"XFD1048576\"><v>2</v></c></row></sheetData>",
        )
        .into_bytes()
    });
    let p = read(&bytes);
    eprintln!("{:?}", p.diagnostics);
    assert!(errors(&p).is_empty(), "{:?}", p.diagnostics);
    let warnings: Vec<_> = p
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("XFD1048576"))
        .collect();
    assert_eq!(warnings.len(), 1, "{:?}", p.diagnostics);
    assert_eq!(warnings[0].severity, Severity::Warning);
    assert!(
        warnings[0].message.contains(&format!("{sheet}!XFD1048576")),
        "{}",
        warnings[0].message
    );
    // Nothing of the report is lost.
    assert_eq!(p.report, read(&base()).report);
}

/// 60 MB of zeros deflate to about 60 KB: the directory says 60 MB, refused before inflating.
#[test]
fn shared_strings_bomb_is_refused() {
    let bytes = with_part("xl/sharedStrings.xml", |_| vec![b'0'; 60 << 20]);
    assert!(bytes.len() < 2 << 20, "{}", bytes.len());
    let mb = format!("{} MB", MAX_PART_BYTES >> 20);
    refused(
        &read(&bytes),
        &["xl/sharedStrings.xml", &mb, "压缩比", "已停止读取"],
    );
}

/// Within the size limit, but 1000:1: refused for its ratio.
#[test]
fn high_ratio_part_is_refused() {
    let bytes = with_part("xl/sharedStrings.xml", |_| vec![b' '; 20 << 20]);
    refused(&read(&bytes), &["xl/sharedStrings.xml", "压缩比", "100:1"]);
}

/// The directory (and local header) claim 1,000 bytes for 60 MB: inflating stops at 1,001.
#[test]
fn lying_directory_bomb_is_refused() {
    let name = "xl/sharedStrings.xml";
    let mut bytes = with_part(name, |_| vec![b'0'; 60 << 20]);
    let (local, central) = headers(&bytes, name);
    put_u32(&mut bytes, local + 22, 1000);
    put_u32(&mut bytes, central + 24, 1000);
    refused(&read(&bytes), &[name, "1000 字节", "已停止读取"]);
}

#[test]
fn truncated_file_names_where_it_was_cut() {
    let b = base();
    let cut = &b[..b.len() * 2 / 3];
    let m = refused(&read(cut), &["截断", "xl/"]);
    assert!(m.contains("不完整"), "{m}");
}

#[test]
fn flipped_byte_in_a_deflated_part_names_the_part() {
    let part = sheet_part_with("本年新收政府信息公开申请数量");
    let mut bytes = base();
    let (local, _) = headers(&bytes, &part);
    let n = u16::from_le_bytes([bytes[local + 26], bytes[local + 27]]) as usize;
    let e = u16::from_le_bytes([bytes[local + 28], bytes[local + 29]]) as usize;
    let comp = u32::from_le_bytes(bytes[local + 18..local + 22].try_into().unwrap()) as usize;
    let data = local + 30 + n + e;
    bytes[data + comp / 2] ^= 0x55;
    refused(&read(&bytes), &[&part, "已损坏"]);
}

#[test]
fn wrong_crc_names_the_part() {
    let part = sheet_part_with("本年新收政府信息公开申请数量");
    let mut bytes = base();
    let (local, central) = headers(&bytes, &part);
    for at in [local + 14, central + 16] {
        bytes[at] ^= 0xFF;
    }
    refused(&read(&bytes), &[&format!("{part} 已损坏（校验和不符）")]);
}

/// An OLE2 compound file: the magic, some padding, the UTF-16 names of its streams.
fn ole2(streams: &[&str]) -> Vec<u8> {
    let mut v = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    v.resize(1024, 0);
    for s in streams {
        v.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        v.resize(v.len() + 64, 0);
    }
    v
}

#[test]
fn old_xls_renamed_says_save_as_xlsx() {
    refused(
        &read(&ole2(&[
            "Root Entry",
            "Workbook",
            "\u{5}SummaryInformation",
        ])),
        &["旧版 Excel 97-2003（.xls）", "另存为 .xlsx"],
    );
}

#[test]
fn encrypted_workbook_says_password() {
    refused(
        &read(&ole2(&["Root Entry", "EncryptionInfo", "EncryptedPackage"])),
        &["密码"],
    );
}

#[test]
fn not_a_zip_at_all() {
    refused(
        &read(b"just some text, not a workbook"),
        &["不是 Excel 工作簿"],
    );
    refused(&read(b""), &["空"]);
    refused(&read(b"<html><body>report</body></html>"), &["网页"]);
}

#[test]
fn corrupt_sheet_xml_names_the_sheet() {
    let part = sheet_part_with("本年新收政府信息公开申请数量");
    let sheet = sheet_name_of(&part);
    let bytes = with_part(&part, |xml| {
        let xml = String::from_utf8(xml).unwrap();
        // Cut inside sheetData and close with a wrong tag.
        let at =
            xml.find("<sheetData>").unwrap() + (xml.len() - xml.find("<sheetData>").unwrap()) / 2;
        let at = (at..xml.len())
            .find(|&i| xml.as_bytes()[i] == b'<')
            .unwrap();
        format!("{}</wrong></worksheet>", &xml[..at]).into_bytes()
    });
    let p = read(&bytes);
    let d = p
        .diagnostics
        .iter()
        .find(|d| d.rule == Rule::Syntax && d.severity == Severity::Error)
        .unwrap_or_else(|| panic!("{:?}", p.diagnostics));
    assert!(
        d.message.contains(&format!("工作表“{sheet}”")),
        "{}",
        d.message
    );
    assert!(d.message.contains("已损坏"), "{}", d.message);
    assert!(matches!(&d.location, Location::Sheet { sheet: s, .. } if *s == sheet));
}

#[test]
fn too_many_cells_in_a_sheet_is_a_located_error() {
    let part = sheet_part_with("本年新收政府信息公开申请数量");
    let sheet = sheet_name_of(&part);
    let bytes = with_part(&part, |xml| {
        let xml = String::from_utf8(xml).unwrap();
        let mut rows = String::new();
        for r in 2000..2000 + 1100 {
            rows.push_str(&format!("<row r=\"{r}\">"));
            for c in 0..200 {
                rows.push_str(&format!("<c r=\"{}{r}\"><v>1</v></c>", col(c)));
            }
            rows.push_str("</row>");
        }
        xml.replace("</sheetData>", &format!("{rows}</sheetData>"))
            .into_bytes()
    });
    let p = read(&bytes);
    let d = p
        .diagnostics
        .iter()
        .find(|d| d.message.contains("200000"))
        .unwrap_or_else(|| panic!("{:?}", p.diagnostics));
    eprintln!("{d:?}");
    assert_eq!((d.rule, d.severity), (Rule::Syntax, Severity::Error));
    assert!(matches!(&d.location, Location::Sheet { sheet: s, .. } if *s == sheet));
}

fn col(c: u32) -> String {
    let mut s = String::new();
    let mut c = c + 1;
    while c > 0 {
        s.insert(0, (b'A' + ((c - 1) % 26) as u8) as char);
        c = (c - 1) / 26;
    }
    s
}

#[test]
fn float_noise_in_the_fee_is_dropped() {
    let mut r = demo();
    r.table2.fee.value = Decimal::parse("0.3").unwrap();
    let part = sheet_part_with(xxgk::spec::format::T2_AMOUNT_ROW);
    let bytes = xxgk::render::xlsx::render(&r).unwrap();
    let mut ps = parts(&bytes);
    let p = ps.iter_mut().find(|(n, _)| *n == part).unwrap();
    let xml = String::from_utf8(p.1.clone()).unwrap();
    assert_eq!(xml.matches("<v>0.3</v>").count(), 1, "{xml}");
    p.1 = xml
        .replace("<v>0.3</v>", "<v>0.30000000000000004</v>")
        .into_bytes();
    let p = read(&pack(&ps));
    assert!(errors(&p).is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.report.table2.fee.value, Decimal::parse("0.3").unwrap());
    assert_eq!(p.report.table2.fee.value.to_string(), "0.3");
}

#[test]
fn the_binary_exits_1_on_a_bomb() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("炸弹.xlsx");
    std::fs::write(
        &file,
        with_part("xl/sharedStrings.xml", |_| vec![b'0'; 60 << 20]),
    )
    .unwrap();
    let t = Instant::now();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .arg("check")
        .arg(&file)
        .output()
        .unwrap();
    assert!(t.elapsed() < Duration::from_secs(20));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("xl/sharedStrings.xml"), "{all}");
    assert!(all.contains("SYNTAX"), "{all}");
}

/// Every nasty workbook in one batch beside good reports: the good ones are rendered and
/// summed, the batch's own files are written, each bad one is reported as itself.
#[test]
fn a_batch_of_nasty_workbooks_still_writes_every_good_report() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let name = "xl/sharedStrings.xml";
    let mut lying = with_part(name, |_| vec![b'0'; 60 << 20]);
    let (local, central) = headers(&lying, name);
    put_u32(&mut lying, local + 22, 1000);
    put_u32(&mut lying, central + 24, 1000);
    let good = base();
    let far = with_part(&sheet_part_with(xxgk::spec::format::T3_APPLICANTS), |xml| {
        String::from_utf8(xml)
            .unwrap()
            .replace(
                "</sheetData>",
                "<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row></sheetData>",
            )
            .into_bytes()
    });
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("bomb.xlsx", with_part(name, |_| vec![b'0'; 60 << 20])),
        ("lying.xlsx", lying),
        ("truncated.xlsx", good[..good.len() / 2].to_vec()),
        ("old.xlsx", ole2(&["Workbook"])),
        ("far.xlsx", far),
        ("good.xlsx", good.clone()),
    ];
    for (n, bytes) in &files {
        std::fs::write(input.join(n), bytes).unwrap();
    }
    let t = Instant::now();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(["batch", "in", "-o", "out", "--to", "xlsx", "-j", "2"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(t.elapsed() < Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(1), "{err}");
    let o = dir.path().join("out");
    // The one with a far cell reads as the good one (a warning); both are one body and year,
    // so the summary counts neither and says so.
    assert!(
        o.join("good.xlsx").exists() && o.join("far.xlsx").exists(),
        "{err}"
    );
    assert!(o.join("汇总.xlsx").exists() && o.join("校验结果.json").exists());
    let json = std::fs::read_to_string(o.join("校验结果.json")).unwrap();
    for bad in ["bomb.xlsx", "lying.xlsx", "truncated.xlsx", "old.xlsx"] {
        assert!(!o.join(bad).exists(), "{bad}");
        assert!(json.contains(bad), "{bad}: {json}");
    }
    assert!(
        json.contains("Excel 97-2003") && json.contains("已停止读取"),
        "{json}"
    );
}
