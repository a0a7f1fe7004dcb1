//! The second opinion on an inferred type: how closely the message resembles one training
//! sample of that type. A linear model extrapolates: a healthy line made of words that each
//! lean towards a type ("child", "error state") can score high while resembling no failure
//! it was taught. The support is the best cosine similarity, over TF-IDF weighted character
//! 4-grams, between the message and the type's training samples; below [`SUPPORT_FROM`] the
//! model gives no type. The samples ship inside the model (normalised, deduplicated,
//! zstd-compressed) and are indexed on first use.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::error::{Error, ErrorCode, Result};

/// An inferred type needs a training sample of that type at least this similar. Chosen by
/// measurement (`bench/model.ts --support`, docs/accuracy.md): the lowest floor, in steps of
/// 0.05, at which loghub-2k's healthy traffic gets no type; it keeps 97% of the right answers
/// on held-out wording and removes a third of the wrong ones.
pub const SUPPORT_FROM: f32 = 0.15;

/// zstd level for the stored samples: training is offline, so the smallest file wins.
const STORE_LEVEL: i32 = 19;

/// The failure samples a model was trained on, as (class index, normalised text).
#[derive(Debug, Clone)]
pub struct Support {
    samples: Vec<(u8, String)>,
    index: OnceLock<Index>,
}

/// Per class, each sample's unit-length weighted gram vector (sorted by gram); the document
/// frequencies give unseen text its weights.
#[derive(Debug, Clone)]
struct Index {
    by_class: HashMap<u8, ClassSamples>,
    df: DocumentFrequencies,
}

/// One class's samples as gram counts; weighed on the first query for the class (a run
/// asks about a few types, so most are never weighed).
#[derive(Debug, Clone)]
struct ClassSamples {
    counts: Vec<Vec<(u32, u32)>>,
    vectors: OnceLock<Vec<Vec<(u32, f32)>>>,
}

/// How many samples hold each gram, counted in hashed buckets: a fixed table builds in a few
/// milliseconds where a map of the ~300,000 distinct grams takes far longer, and a collision
/// only makes a gram look a little more common than it is.
#[derive(Debug, Clone)]
struct DocumentFrequencies {
    buckets: Vec<u16>,
    /// idf by document frequency: ln((n + 1) / (df + 1)).
    idf_of_df: Vec<f32>,
}

const DF_BUCKETS_LOG2: u32 = 20;

impl DocumentFrequencies {
    fn bucket(gram: u32) -> usize {
        (gram.wrapping_mul(0x9E37_79B1) >> (32 - DF_BUCKETS_LOG2)) as usize
    }

    fn idf(&self, gram: u32) -> f32 {
        self.idf_of_df[self.buckets[Self::bucket(gram)] as usize]
    }
}

/// Lowercase, digit runs as `0`, whitespace runs as one space: numbers and layout say
/// nothing about the kind of failure.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_digits, mut in_space) = (false, false);
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('0');
            }
            (in_digits, in_space) = (true, false);
        } else if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            (in_digits, in_space) = (false, true);
        } else {
            out.extend(c.to_lowercase());
            (in_digits, in_space) = (false, false);
        }
    }
    out.trim().to_string()
}

/// Each distinct 4-byte window of ` text ` with its count, sorted by window.
fn gram_counts(normalised: &str) -> Vec<(u32, u32)> {
    let mut padded = Vec::with_capacity(normalised.len() + 2);
    padded.push(b' ');
    padded.extend_from_slice(normalised.as_bytes());
    padded.push(b' ');
    let mut grams: Vec<u32> = padded.windows(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])).collect();
    grams.sort_unstable();
    let mut counts: Vec<(u32, u32)> = Vec::with_capacity(grams.len());
    for g in grams {
        match counts.last_mut() {
            Some((last, n)) if *last == g => *n += 1,
            _ => counts.push((g, 1)),
        }
    }
    counts
}

impl Index {
    fn build(samples: &[(u8, String)]) -> Index {
        let counted: Vec<(u8, Vec<(u32, u32)>)> = samples.iter().map(|(c, t)| (*c, gram_counts(t))).collect();
        let mut buckets = vec![0u16; 1 << DF_BUCKETS_LOG2];
        for (_, counts) in &counted {
            for &(g, _) in counts {
                let b = &mut buckets[DocumentFrequencies::bucket(g)];
                *b = b.saturating_add(1);
            }
        }
        let n = counted.len().min(u16::MAX as usize) as f32;
        let most = buckets.iter().copied().max().unwrap_or(0) as usize;
        let idf_of_df = (0..=most).map(|df| ((n + 1.0) / (df as f32 + 1.0)).ln()).collect();
        let mut by_class: HashMap<u8, ClassSamples> = HashMap::new();
        for (class, counts) in counted {
            by_class.entry(class).or_insert_with(|| ClassSamples { counts: Vec::new(), vectors: OnceLock::new() }).counts.push(counts);
        }
        Index { by_class, df: DocumentFrequencies { buckets, idf_of_df } }
    }
}

/// Unit-length TF-IDF vector, sorted by gram: (1 + ln tf) · idf.
fn weigh(counts: &[(u32, u32)], df: &DocumentFrequencies) -> Vec<(u32, f32)> {
    let tf_weight = |tf: u32| if tf == 1 { 1.0 } else { 1.0 + (tf as f32).ln() };
    let mut v: Vec<(u32, f32)> = counts.iter().map(|&(g, tf)| (g, tf_weight(tf) * df.idf(g))).filter(|&(_, w)| w > 0.0).collect();
    let norm = v.iter().map(|&(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|(_, w)| *w /= norm);
    }
    v
}

fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0f32);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

impl Support {
    /// The distinct normalised texts of the labelled samples, in first-seen order.
    pub fn from_samples<'a>(samples: impl Iterator<Item = (u8, &'a str)>) -> Support {
        let mut seen = std::collections::HashSet::new();
        let mut kept = Vec::new();
        for (class, text) in samples {
            let t = normalise(text);
            if !t.is_empty() && seen.insert((class, t.clone())) {
                kept.push((class, t));
            }
        }
        Support { samples: kept, index: OnceLock::new() }
    }

    /// The best similarity, 0..1, between `text` and a sample of class `class` (0 when the
    /// class has none).
    pub fn of(&self, text: &str, class: u8) -> f32 {
        let index = self.index.get_or_init(|| Index::build(&self.samples));
        let Some(class) = index.by_class.get(&class) else { return 0.0 };
        let samples = class.vectors.get_or_init(|| class.counts.iter().map(|c| weigh(c, &index.df)).collect());
        let query = weigh(&gram_counts(&normalise(text)), &index.df);
        samples.iter().map(|s| dot(&query, s)).fold(0.0, f32::max).min(1.0)
    }

    /// `u32` length, then zstd of one `class<TAB>text` line per sample (texts hold no newline).
    pub fn write(&self, out: &mut Vec<u8>) {
        let mut plain = String::new();
        for (class, text) in &self.samples {
            plain.push_str(&format!("{class}\t{text}\n"));
        }
        let packed = zstd::bulk::compress(plain.as_bytes(), STORE_LEVEL).expect("zstd compresses into memory");
        out.extend_from_slice(&(packed.len() as u32).to_le_bytes());
        out.extend_from_slice(&packed);
    }

    /// The stored samples; `classes` is how many classes the model has.
    pub fn read(packed: &[u8], classes: usize) -> Result<Support> {
        let bad = |why: &str| Error::new(ErrorCode::InvalidArgument, format!("not a logmedic type model: support samples {why}"));
        // The samples of a shipped model are ~1.5 MB; a bound keeps a forged size harmless.
        let plain = zstd::bulk::decompress(packed, 64 << 20).map_err(|_| bad("do not decompress"))?;
        let plain = String::from_utf8(plain).map_err(|_| bad("are not UTF-8"))?;
        let mut samples = Vec::new();
        for line in plain.lines() {
            let (class, text) = line.split_once('\t').ok_or_else(|| bad("lack a class"))?;
            let class: u8 = class.parse().map_err(|_| bad("name a bad class"))?;
            if class as usize >= classes {
                return Err(bad("name a class the model lacks"));
            }
            samples.push((class, text.to_string()));
        }
        Ok(Support { samples, index: OnceLock::new() })
    }
}
