//! How much of one text is another's: the measure behind Y-SIMILAR (this year's section against
//! last year's), BATCH-SIMILAR (one body's section against another's) and the comparison
//! document's sentence diff.
//!
//! The unit is the character trigram of the text with punctuation, white space and the body's own
//! name left out and every digit read as `0`: Chinese has no spaces to split words at, and a copy
//! that only changed the year (`2021年` → `2022年`) or a few figures is still a copy. Trigrams,
//! not bigrams: on sections 一 of nine real published reports of different bodies (three of one
//! district, written to one template; 72 ordered pairs) the largest share of one found in
//! another was 0.46 with bigrams (the genre's 政府、信息、公开 are everywhere) and 0.30 with
//! trigrams; the demo report's against 廊坊's, 0.53 and 0.33. A copy scores 1.00 either way
//! (tests/integration/compare.rs). Two measures:
//!
//! - [`containment`]: the share of this text's trigrams (counted with repeats) that last year's
//!   text also has — "how much of this year's section was already there", the 重复率 the
//!   assessment rules speak of. It is asymmetric on purpose: adding one new paragraph to a copied
//!   section does not hide the copy.
//! - [`Sketch`]: a bottom-k sketch of the trigram set, whose [`Sketch::jaccard`] estimates the
//!   Jaccard similarity of two sets in 64 steps — what makes comparing every pair of a thousand
//!   reports' sections cheap (batch).

use std::collections::HashMap;

/// The characters a text is compared by: letters and CJK characters, digits as `0`; no
/// punctuation, no white space.
pub fn normalize(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| if c.is_numeric() { '0' } else { c })
        .collect()
}

/// [`normalize`] with the body's own name taken out first (两个单位的报告不因各自的名称而不同).
pub fn normalize_without(text: &str, name: &str) -> Vec<char> {
    let name = name.trim();
    if name.chars().count() >= 2 {
        normalize(&text.replace(name, ""))
    } else {
        normalize(text)
    }
}

fn trigram(a: char, b: char, c: char) -> u64 {
    // A char is at most 21 bits: three fit in 63.
    (u64::from(a as u32) << 42) | (u64::from(b as u32) << 21) | u64::from(c as u32)
}

/// The trigrams of normalized characters.
pub fn trigrams(chars: &[char]) -> impl Iterator<Item = u64> + '_ {
    chars.windows(3).map(|w| trigram(w[0], w[1], w[2]))
}

fn counts(chars: &[char]) -> HashMap<u64, u32> {
    let mut m = HashMap::new();
    for b in trigrams(chars) {
        *m.entry(b).or_insert(0) += 1;
    }
    m
}

/// The share (0 to 1) of `this`'s trigram occurrences found in `last` (each occurrence in
/// `last` used once). 0 when `this` has fewer than three characters.
pub fn containment(this: &[char], last: &[char]) -> f64 {
    if this.len() < 3 {
        return 0.0;
    }
    let mut pool = counts(last);
    let total = this.len() - 2;
    let mut found = 0usize;
    for b in trigrams(this) {
        if let Some(n) = pool.get_mut(&b) {
            if *n > 0 {
                *n -= 1;
                found += 1;
            }
        }
    }
    found as f64 / total as f64
}

/// Sketch size: the Jaccard estimate's standard error is about sqrt(J(1−J)/K), 0.05 at J = 0.8.
pub const SKETCH: usize = 64;

/// A bottom-k sketch of a text's trigram set: the [`SKETCH`] smallest hashes.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sketch {
    pub hashes: Vec<u64>,
    /// How many normalized characters the text has (short texts are not compared).
    pub chars: usize,
}

/// A 64-bit mix (SplitMix64's finalizer): the same on every platform, so batch results are.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Sketch {
    pub fn of(chars: &[char]) -> Sketch {
        let mut h: Vec<u64> = trigrams(chars).map(mix).collect();
        h.sort_unstable();
        h.dedup();
        h.truncate(SKETCH);
        Sketch {
            hashes: h,
            chars: chars.len(),
        }
    }

    /// The estimated Jaccard similarity of the two trigram sets: of the k smallest hashes of
    /// the union, the share both sets hold.
    pub fn jaccard(&self, other: &Sketch) -> f64 {
        self.jaccard_at_least(other, 0.0).unwrap_or(0.0)
    }

    /// [`Sketch::jaccard`] when it is at least `t`, else `None` — found out as soon as too many
    /// of the union's hashes are in only one set, a few steps for most pairs of a batch.
    pub fn jaccard_at_least(&self, other: &Sketch, t: f64) -> Option<f64> {
        let (a, b) = (&self.hashes, &other.hashes);
        if a.is_empty() || b.is_empty() {
            return (t <= 0.0).then_some(0.0);
        }
        let k = SKETCH.min(a.len().max(b.len()));
        // More hashes in one set only than this, and the share cannot reach t.
        let misses = ((1.0 - t) * k as f64).floor() as usize;
        let (mut i, mut j, mut seen, mut both) = (0, 0, 0, 0);
        while seen < k && (i < a.len() || j < b.len()) {
            if seen - both > misses {
                return None;
            }
            match (a.get(i), b.get(j)) {
                (Some(x), Some(y)) if x == y => {
                    both += 1;
                    i += 1;
                    j += 1;
                }
                (Some(x), Some(y)) if x < y => i += 1,
                (Some(_), Some(_)) => j += 1,
                (Some(_), None) => i += 1,
                (None, _) => j += 1,
            }
            seen += 1;
        }
        let est = both as f64 / seen.max(1) as f64;
        (est >= t).then_some(est)
    }
}

/// The exact Jaccard similarity of two texts' trigram sets (to confirm a sketch's estimate).
pub fn jaccard(a: &[char], b: &[char]) -> f64 {
    let sa: std::collections::HashSet<u64> = trigrams(a).collect();
    let sb: std::collections::HashSet<u64> = trigrams(b).collect();
    if sa.is_empty() || sb.is_empty() {
        return 0.0;
    }
    let both = sa.intersection(&sb).count();
    both as f64 / (sa.len() + sb.len() - both) as f64
}

/// Sentences of a text: split after 。！？； and at paragraph ends, trimmed, empty ones left out.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = vec![];
    let mut cur = String::new();
    for c in text.chars() {
        if c == '\n' || c == '\r' {
            push_sentence(&mut out, &mut cur);
            continue;
        }
        cur.push(c);
        if matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';') {
            push_sentence(&mut out, &mut cur);
        }
    }
    push_sentence(&mut out, &mut cur);
    out
}

fn push_sentence(out: &mut Vec<String>, cur: &mut String) {
    let t = cur.trim();
    if !normalize(t).is_empty() {
        out.push(t.to_string());
    }
    cur.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_with_another_year_is_still_a_copy() {
        let a = normalize("2021年，本机关共收到申请12件。");
        let b = normalize("2022年，本机关共收到申请15件。");
        assert!((containment(&a, &b) - 1.0).abs() < 1e-9);
        let c = normalize("全年未发生行政复议和行政诉讼。");
        assert!(containment(&c, &a) < 0.2);
    }

    #[test]
    fn sketches_estimate_jaccard() {
        let long: String = (0..400)
            .map(|i| char::from_u32(0x4E00 + (i * 7919 % 3000) as u32).unwrap_or('一'))
            .collect();
        let a = normalize(&long);
        let s = Sketch::of(&a);
        assert!((s.jaccard(&s) - 1.0).abs() < 1e-9);
        let other: String = long.chars().rev().collect();
        let b = normalize(&other);
        let est = Sketch::of(&a).jaccard(&Sketch::of(&b));
        assert!((est - jaccard(&a, &b)).abs() < 0.2, "{est}");
    }

    #[test]
    fn the_early_exit_agrees_with_the_full_estimate() {
        let texts: Vec<Vec<char>> = (0..6)
            .map(|k| {
                (0..300)
                    .map(|i| char::from_u32(0x4E00 + ((i * (k + 3)) % 500) as u32).unwrap_or('一'))
                    .collect()
            })
            .collect();
        for a in &texts {
            for b in &texts {
                let (sa, sb) = (Sketch::of(a), Sketch::of(b));
                let full = sa.jaccard(&sb);
                for t in [0.0, 0.3, 0.5, 0.8, 1.0] {
                    assert_eq!(sa.jaccard_at_least(&sb, t), (full >= t).then_some(full));
                }
            }
        }
    }

    #[test]
    fn sentences_split_at_full_stops_and_lines() {
        assert_eq!(
            sentences("一是甲。二是乙；\n三是丙"),
            ["一是甲。", "二是乙；", "三是丙"]
        );
    }
}
