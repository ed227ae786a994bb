//! A bounded fuzzer: mutated copies of real and hostile inputs through both readers and every
//! rule, 20,000 of them (`XXGK_FUZZ_RUNS`; raise it for a longer campaign).
//! Nothing may panic; every result is a report or diagnostics.

use crate::common;

use common::example;
use std::time::Instant;

/// xorshift64*: deterministic, so a failure can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One random change: flip, insert, delete, duplicate a chunk, or truncate.
fn mutate(rng: &mut Rng, data: &mut Vec<u8>) {
    if data.is_empty() {
        data.push(rng.next() as u8);
        return;
    }
    let at = rng.below(data.len());
    match rng.below(6) {
        0 => data[at] ^= 1 << rng.below(8),
        1 => data.insert(at, rng.next() as u8),
        2 => {
            data.remove(at);
        }
        3 => {
            let len = rng.below(64).min(data.len() - at);
            let chunk = data[at..at + len].to_vec();
            let to = rng.below(data.len());
            data.splice(to..to, chunk);
        }
        4 => data.truncate(at),
        _ => {
            // Characters that readers must survive: brackets, colons, controls, separators.
            let pick = [
                "[", "{", ": ", "\u{2028}", "\u{202E}", "\t", "\"", "- ", "\u{FEFF}",
            ];
            let s = pick[rng.below(pick.len())].as_bytes();
            data.splice(at..at, s.iter().copied());
        }
    }
}

fn seeds() -> Vec<(bool, Vec<u8>)> {
    let demo = example("demo-2023.yaml");
    let report = xxgk::input::yaml::read_str(&demo).report;
    let xlsx = xxgk::render::xlsx::render(&report).unwrap();
    vec![
        (false, demo.clone().into_bytes()),
        (false, example("langfang-2021.yaml").into_bytes()),
        (
            false,
            format!("机关: x\n前言: {}\n", "[".repeat(500)).into_bytes(),
        ),
        (
            false,
            demo.replacen("  行政许可: 856\n", "  行政许可: 856\n  行政许可: 1\n", 1)
                .into_bytes(),
        ),
        (true, xlsx.clone()),
        (true, xlsx[..xlsx.len() / 2].to_vec()),
        // Round 2 (tests/integration/hostile_in.rs): UTF-16 text; a workbook with a formula
        // without a result, the 1904 date system, a hidden sheet and a value under a merge.
        (
            false,
            demo.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        ),
        (true, {
            let x = common::edit_zip_part(&xlsx, "xl/workbook.xml", |x| {
                x.replace("<workbookPr ", "<workbookPr date1904=\"1\" ")
                    .replace("name=\"表二\"", "name=\"表二\" state=\"hidden\"")
            });
            common::edit_zip_part(&x, "xl/worksheets/sheet3.xml", |x| {
                x.replacen("<v>40</v>", "<f>SUM(K1:K3)</f>", 1).replacen(
                    "<mergeCell ",
                    "<mergeCell ref=\"D5:E5\"/><mergeCell ",
                    1,
                )
            })
        }),
        (true, b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec()),
    ]
}

#[test]
fn mutated_inputs_never_panic_a_reader() {
    // A fixed number of inputs (about 5 s here), so that every run, on a fast machine or a slow
    // one, tries the same ones; XXGK_FUZZ_RUNS for a longer campaign.
    let wanted: usize = std::env::var("XXGK_FUZZ_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let started = Instant::now();
    let seeds = seeds();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut runs = 0usize;
    while runs < wanted {
        let (excel, seed) = &seeds[runs % seeds.len()];
        let mut data = seed.clone();
        for _ in 0..=rng.below(8) {
            mutate(&mut rng, &mut data);
        }
        let mut parsed = if *excel {
            xxgk::input::excel::read_bytes(&data)
        } else {
            xxgk::input::yaml::read_bytes(&data)
        };
        xxgk::validate::check(&mut parsed, &Default::default());
        // A file that does not read completely says why.
        assert!(
            parsed.complete || xxgk::diag::has_errors(&parsed.diagnostics),
            "run {runs}: incomplete without an error"
        );
        runs += 1;
    }
    eprintln!(
        "fuzz: {runs} inputs in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
