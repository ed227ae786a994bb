//! Which deflate and level for the PDF's streams: renders the seed report, takes its streams
//! back out uncompressed, and deflates them at every level of flate2 (zlib-rs, what the zip
//! parts use) and of libdeflate (what the PDF uses), reporting bytes and time (median of 20).
//! Run: `cargo bench --bench deflate`. The figures are in benches/README.md.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fonts = xxgk::render::paged::Fonts::load(None).expect("fonts");
    let parsed =
        xxgk::input::read_path(&root.join("examples/langfang-2021.yaml")).expect("example");
    let pdf =
        xxgk::render::render(&parsed.report, xxgk::render::Format::Pdf, Some(&fonts)).expect("pdf");
    let mut doc = lopdf::Document::load_mem(&pdf).expect("reread");
    doc.decompress();
    let streams: Vec<Vec<u8>> = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok().map(|s| s.content.clone()))
        .collect();
    let raw: usize = streams.iter().map(Vec::len).sum();
    println!(
        "seed PDF {} bytes; {} streams, {} bytes uncompressed",
        pdf.len(),
        streams.len(),
        raw
    );
    println!("deflate     level   bytes    ms (median of 20)");
    let run = |name: &str, level: u32, pack: &mut dyn FnMut(&[u8]) -> usize| {
        let mut times = vec![];
        let mut size = 0;
        for _ in 0..20 {
            let t = Instant::now();
            size = streams.iter().map(|s| pack(s).min(s.len())).sum::<usize>();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!("{name:<10} {level:>5} {size:>8} {:>6.2}", times[10]);
    };
    for level in 1..=9 {
        run("zlib-rs", level, &mut |s| {
            let mut e =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(level));
            e.write_all(s).unwrap();
            e.finish().unwrap().len()
        });
    }
    for level in 1..=12 {
        let lvl = libdeflater::CompressionLvl::new(level as i32).unwrap();
        let mut z = libdeflater::Compressor::new(lvl);
        run("libdeflate", level, &mut |s| {
            let mut out = vec![0; z.zlib_compress_bound(s.len())];
            z.zlib_compress(s, &mut out).unwrap()
        });
    }
}
