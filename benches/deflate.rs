//! Which deflate level for the PDF's streams: renders the seed report, takes its streams back
//! out uncompressed, and deflates them at every level, reporting bytes and time (median of 20).
//! Run: `cargo bench --bench deflate`. The figures are in benches/README.md.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fonts = xxgk::render::paged::Fonts::load(None).expect("fonts");
    let parsed =
        xxgk::input::read_path(&root.join("examples/langfang-2021.yaml")).expect("example");
    let pdf = xxgk::render::pdf::render(&parsed.report, &fonts).expect("pdf");
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
    println!("level   bytes    ms (median of 20)");
    for level in 0..=9 {
        let mut times = vec![];
        let mut size = 0;
        for _ in 0..20 {
            let t = Instant::now();
            size = 0;
            for s in &streams {
                let mut e =
                    flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(level));
                e.write_all(s).unwrap();
                size += e.finish().unwrap().len().min(s.len());
            }
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!("{level:>5} {size:>8} {:>6.2}", times[10]);
    }
}
