//! Is there a line filter far cheaper than either engine's literal stage? Every match of a
//! pattern with required literals contains one of them, so a line holding none of their
//! chosen 4-byte windows (case-folded) can match no such pattern. This measures such a
//! "gram filter": its CPU per GB, the lines and bytes it lets through, that every line the
//! full catalog matches passes it (soundness, on the data), and what the engines cost today
//! and behind it.
//!
//! ```sh
//! cargo run --release -p logmedic-core --example gram_filter -- CATALOG.tsv LOG [reps] [SAMPLE.log]
//! ```
//! CATALOG.tsv as `bench/catalog-tsv.ts` writes it (the analysis's two trigger patterns are
//! added); SAMPLE.log, when given, is the "ordinary log text" a second gram ranking is
//! counted from. One thread, the log mapped, the scan's line-aligned pieces; thread CPU
//! seconds, median of `reps`. With `GRAM_WORST=K` it also lists the patterns without
//! literals and, for stride K, the literals whose chosen windows are commonest in the sample.

use std::collections::{HashMap, HashSet};

use logmedic_core::internals::{required_literals, Prefilter};
use logmedic_core::{Database, EngineChoice, Pattern};

mod common;

/// ASCII letters to upper case (and a few punctuation pairs together: `@` and `` ` ``,
/// `[` and `{`...), four bytes at once: harmless for a necessary condition.
fn fold(w: u32) -> u32 {
    w & 0xDFDF_DFDF
}

fn window(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

/// How often each folded 4-gram occurs in `text` (every position).
fn gram_counts(text: &[u8]) -> HashMap<u32, u32> {
    let mut counts = HashMap::new();
    for i in 0..text.len().saturating_sub(3) {
        *counts.entry(fold(window(text, i))).or_insert(0) += 1;
    }
    counts
}

/// A bitmap of hashed folded grams, optionally confirmed in an exact table; the scan tests
/// every `stride`-th position.
struct GramFilter {
    bits: Vec<u64>,
    shift: u32,
    /// The grams themselves, open addressing with 0 for an empty slot, and whether the gram
    /// 0 (four spaces fold to it) is one of them.
    exact: Option<(Vec<u32>, bool)>,
    stride: usize,
    /// Test 64 positions a step with AVX-512 (stride 1 only), those of a step with a bit set
    /// then one by one.
    avx512: bool,
}

const MUL: u32 = 0x9E37_79B1;

impl GramFilter {
    fn new(grams: &HashSet<u32>, log2_bits: u32, exact: bool, stride: usize) -> GramFilter {
        let mut bits = vec![0u64; 1 << (log2_bits - 6)];
        let shift = 32 - log2_bits;
        for &g in grams {
            let h = (g.wrapping_mul(MUL) >> shift) as usize;
            bits[h >> 6] |= 1 << (h & 63);
        }
        let exact = exact.then(|| {
            let size = (grams.len() * 4).next_power_of_two();
            let mut table = vec![0u32; size];
            let mut zero = false;
            for &g in grams {
                if g == 0 {
                    zero = true;
                    continue;
                }
                let mut at = (g.wrapping_mul(0x85EB_CA6B).rotate_right(13) as usize) & (size - 1);
                while table[at] != 0 && table[at] != g {
                    at = (at + 1) & (size - 1);
                }
                table[at] = g;
            }
            (table, zero)
        });
        GramFilter { bits, shift, exact, stride, avx512: false }
    }

    #[inline(always)]
    fn maybe(&self, g: u32) -> bool {
        let h = (g.wrapping_mul(MUL) >> self.shift) as usize;
        // SAFETY: `h < 2^log2_bits`, and `bits` holds that many bits.
        unsafe { *self.bits.get_unchecked(h >> 6) >> (h & 63) & 1 != 0 }
    }

    fn confirmed(&self, g: u32) -> bool {
        let Some((table, zero)) = &self.exact else { return true };
        if g == 0 {
            return *zero;
        }
        let mask = table.len() - 1;
        let mut at = (g.wrapping_mul(0x85EB_CA6B).rotate_right(13) as usize) & mask;
        loop {
            match table[at] {
                0 => return false,
                x if x == g => return true,
                _ => at = (at + 1) & mask,
            }
        }
    }

    /// The lines (start, end without '\n') of `hay` holding a gram.
    fn candidates(&self, hay: &[u8], out: &mut Vec<(usize, usize)>) {
        out.clear();
        #[cfg(target_arch = "x86_64")]
        if self.avx512 && self.stride == 1 {
            // SAFETY: `avx512` is set only where the CPU has AVX-512F.
            return unsafe { self.candidates_avx512(hay, out) };
        }
        let n = hay.len();
        let k = self.stride;
        let p = hay.as_ptr();
        // SAFETY (every `load`): callers keep `i + 4 <= n`.
        let load = |i: usize| fold(unsafe { p.add(i).cast::<u32>().read_unaligned() });
        let mut line_from = 0;
        let mut i = 0;
        const UNROLL: usize = 8;
        'scan: while i + 4 <= n {
            if k == 1 {
                // Eight windows from two 8-byte loads, their bitmap words ORed: one branch
                // per eight positions.
                let (bits, shift) = (&self.bits[..], self.shift);
                while i + 12 <= n {
                    // SAFETY: `i + 12 <= n`.
                    let (a, b) = unsafe { (p.add(i).cast::<u64>().read_unaligned(), p.add(i + 4).cast::<u64>().read_unaligned()) };
                    let mut acc = 0u64;
                    for w in [a, a >> 8, a >> 16, a >> 24, b, b >> 8, b >> 16, b >> 24] {
                        let h = (fold(w as u32).wrapping_mul(MUL) >> shift) as usize;
                        // SAFETY: `h` is below the bitmap's size.
                        acc |= unsafe { *bits.get_unchecked(h >> 6) } >> (h & 63);
                    }
                    if acc & 1 != 0 {
                        for u in 0..8 {
                            let g = load(i + u);
                            if self.maybe(g) && self.confirmed(g) {
                                i = self.take(hay, line_from, i + u, out);
                                line_from = i;
                                continue 'scan;
                            }
                        }
                    }
                    i += 8;
                }
            }
            while i + 4 + k * (UNROLL - 1) <= n {
                let mut any = false;
                for u in 0..UNROLL {
                    any |= self.maybe(load(i + u * k));
                }
                if any {
                    for u in 0..UNROLL {
                        let g = load(i + u * k);
                        if self.maybe(g) && self.confirmed(g) {
                            i = self.take(hay, line_from, i + u * k, out);
                            line_from = i;
                            continue 'scan;
                        }
                    }
                }
                i += k * UNROLL;
            }
            while i + 4 <= n {
                let g = load(i);
                if self.maybe(g) && self.confirmed(g) {
                    i = self.take(hay, line_from, i, out);
                    line_from = i;
                    continue 'scan;
                }
                i += k;
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    fn candidates_avx512(&self, hay: &[u8], out: &mut Vec<(usize, usize)>) {
        let n = hay.len();
        let bits: &[u32] = {
            // SAFETY: a u64 slice read as twice as many u32s (little-endian: bit h of the
            // bitmap is bit h % 32 of u32 word h / 32).
            unsafe { std::slice::from_raw_parts(self.bits.as_ptr().cast(), self.bits.len() * 2) }
        };
        let mut line_from = 0;
        let mut i = 0;
        'scan: while i + 67 <= n {
            if block_hits_avx512(hay, i, bits, self.shift) {
                let block = i;
                for at in block..block + 64 {
                    let g = fold(window(hay, at));
                    if self.maybe(g) && self.confirmed(g) {
                        i = self.take(hay, line_from, at, out);
                        line_from = i;
                        continue 'scan;
                    }
                }
            }
            i += 64;
        }
        while i + 4 <= n {
            let g = fold(window(hay, i));
            if self.maybe(g) && self.confirmed(g) {
                i = self.take(hay, line_from, i, out);
                line_from = i;
            } else {
                i += 1;
            }
        }
    }

    /// Record the line holding `at` (a hit window's first byte; a window across a '\n'
    /// counts for the line it starts on); return the next line's start.
    fn take(&self, hay: &[u8], from: usize, at: usize, out: &mut Vec<(usize, usize)>) -> usize {
        let start = memchr::memrchr(b'\n', &hay[from..at]).map_or(from, |p| from + p + 1);
        let end = memchr::memchr(b'\n', &hay[at..]).map_or(hay.len(), |p| at + p);
        out.push((start, end));
        end + 1
    }
}

/// How many 8-position blocks of `hay` hit a set slot of `table` (one byte per slot, indexed
/// by `slot` of each folded window): the inner loop a byte table would have.
fn any_slot_set(hay: &[u8], table: &[u8], slot: impl Fn(u32) -> u32) -> u64 {
    let (p, mut i, mut hits) = (hay.as_ptr(), 0, 0);
    while i + 12 <= hay.len() {
        // SAFETY: `i + 12 <= hay.len()`.
        let (a, b) = unsafe { (p.add(i).cast::<u64>().read_unaligned(), p.add(i + 4).cast::<u64>().read_unaligned()) };
        let mut acc = 0u8;
        for w in [a, a >> 8, a >> 16, a >> 24, b, b >> 8, b >> 16, b >> 24] {
            acc |= table[slot(fold(w as u32)) as usize & (table.len() - 1)];
        }
        hits += u64::from(acc);
        i += 8;
    }
    hits
}

/// How many 64-position blocks of `hay` hit a set bit of `bits` (2^(32 - `shift`) bits, as
/// u32 words): the filter's inner loop with AVX-512, 16 windows hashed at once and their
/// bitmap words gathered.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn any_bit_set_avx512(hay: &[u8], bits: &[u32], shift: u32) -> u64 {
    let (mut i, mut hits) = (0, 0);
    while i + 67 <= hay.len() {
        hits += u64::from(block_hits_avx512(hay, i, bits, shift));
        i += 64;
    }
    hits
}

/// Whether one of the 64 windows at `i..i + 64` of `hay` hits a set bit of `bits`
/// (2^(32 - `shift`) bits, as u32 words); needs `i + 67 <= hay.len()`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
#[inline]
fn block_hits_avx512(hay: &[u8], i: usize, bits: &[u32], shift: u32) -> bool {
    use std::arch::x86_64::*;
    assert!(i + 67 <= hay.len());
    let p = hay.as_ptr();
    let fold = _mm512_set1_epi32(0xDFDF_DFDFu32 as i32);
    let mul = _mm512_set1_epi32(MUL as i32);
    let (shift, to_word) = (_mm_cvtsi32_si128(shift as i32), _mm_cvtsi32_si128(5));
    let (bit_of_word, one) = (_mm512_set1_epi32(31), _mm512_set1_epi32(1));
    let mut any = _mm512_setzero_si512();
    // Lane m of the load at `i + r` is the window at `i + r + 4m`: four loads, 64 windows.
    for r in 0..4 {
        // SAFETY: the load reads `i + r .. i + r + 64`, within `hay` (asserted above); every
        // index the gather reads is below `bits.len()` (the hash keeps 32 - `shift` bits).
        unsafe {
            let w = _mm512_loadu_si512(p.add(i + r).cast());
            let h = _mm512_srl_epi32(_mm512_mullo_epi32(_mm512_and_si512(w, fold), mul), shift);
            let words = _mm512_i32gather_epi32::<4>(_mm512_srl_epi32(h, to_word), bits.as_ptr().cast());
            any = _mm512_or_si512(any, _mm512_srlv_epi32(words, _mm512_and_si512(h, bit_of_word)));
        }
    }
    _mm512_test_epi32_mask(any, one) != 0
}

/// The lines `lines` (start, end before the `\n`) of `piece` copied into `joined` (cleared
/// first), each ending in a `\n`: the candidate lines the second stage searches.
fn join_lines(piece: &[u8], lines: &[(usize, usize)], joined: &mut Vec<u8>) {
    joined.clear();
    for &(start, end) in lines {
        joined.extend_from_slice(&piece[start..(end + 1).min(piece.len())]);
        if end >= piece.len() {
            joined.push(b'\n');
        }
    }
}

/// For stride `k`, the `k` consecutive windows of `lit` whose commonest is rarest (every
/// occurrence then starts one of them at a position the scan tests); `None` when `lit` has
/// fewer than `k` windows.
fn chosen_windows(lit: &[u8], k: usize, rank: &HashMap<u32, u32>) -> Option<Vec<u32>> {
    if lit.len() < 3 + k {
        return None;
    }
    let grams: Vec<u32> = (0..=lit.len() - 4).map(|i| fold(window(lit, i))).collect();
    let count = |g: &u32| rank.get(g).copied().unwrap_or(0);
    let best = (0..=grams.len() - k).min_by_key(|&s| grams[s..s + k].iter().map(count).max().unwrap())?;
    Some(grams[best..best + k].to_vec())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let hay = common::map_log(&args[2]);
    let hay: &[u8] = &hay;
    let reps: usize = args.get(3).map_or(3, |s| s.parse().unwrap());
    let sample_path = args.get(4);
    let patterns = common::analysis_patterns(&args[1]);
    let sets: Vec<Option<Vec<Vec<u8>>>> = patterns.iter().map(|p| required_literals(p.hir())).collect();
    let literals: Vec<Vec<u8>> = {
        let mut all: Vec<Vec<u8>> = sets.iter().flatten().flatten().cloned().collect();
        all.sort();
        all.dedup();
        all
    };
    let bare: Vec<usize> = (0..patterns.len()).filter(|&i| sets[i].is_none()).collect();
    let mut lens: Vec<usize> = literals.iter().map(Vec::len).collect();
    lens.sort_unstable();
    let pieces: Vec<(usize, &[u8])> = common::pieces(hay);
    let lines = bytecount::count(hay, b'\n');
    let gb = hay.len() as f64 / 1e9;
    println!(
        "{} patterns, {} with required literals ({} distinct literals; lengths min {}, median {}, max {}), {} without; log {:.1} MB, {lines} lines; one thread, CPU s, medians of {reps}\n",
        patterns.len(),
        patterns.len() - bare.len(),
        literals.len(),
        lens[0],
        lens[lens.len() / 2],
        lens[lens.len() - 1],
        bare.len(),
        gb * 1e3,
    );
    if std::env::var_os("GRAM_WORST").is_some() {
        for &i in &bare {
            println!("without literals: {}", patterns[i].source);
        }
    }
    let lits_shorter = |k: usize| lens.iter().filter(|&&l| l < 3 + k).count();
    println!("literals too short for stride 2 / 4 / 8: {} / {} / {}\n", lits_shorter(2), lits_shorter(4), lits_shorter(8));

    // Every line the full catalog matches, by a pattern with literals and by any pattern.
    let hs = Database::compile_with(patterns.clone(), EngineChoice::Hyperscan, false).expect("compile hyperscan");
    let mut matched_lit_lines: Vec<(usize, usize)> = Vec::new();
    let mut matched_any = 0usize;
    {
        let mut s = hs.searcher().unwrap();
        for &(off, piece) in &pieces {
            let mut last = usize::MAX;
            s.search(piece, &mut |pid, at| {
                let start = memchr::memrchr(b'\n', &piece[..at]).map_or(0, |p| p + 1) + off;
                if last != start {
                    matched_any += 1;
                }
                if sets[pid as usize].is_some() {
                    matched_lit_lines.push((start, pid as usize));
                }
                last = start;
            })
            .unwrap();
        }
    }
    matched_lit_lines.sort_unstable();
    matched_lit_lines.dedup();
    let lit_lines = {
        let mut l: Vec<usize> = matched_lit_lines.iter().map(|m| m.0).collect();
        l.dedup();
        l.len()
    };
    println!("catalog matches: {matched_any} lines, {lit_lines} of them by a pattern with literals\n");

    // The floor of any literal filter: the lines holding one of the literals themselves.
    {
        let ac = aho_corasick::AhoCorasick::builder().ascii_case_insensitive(true).build(&literals).unwrap();
        let (mut n, mut bytes) = (0usize, 0usize);
        for &(_, piece) in &pieces {
            for line in piece.split(|&b| b == b'\n') {
                if ac.is_match(line) {
                    n += 1;
                    bytes += line.len() + 1;
                }
            }
        }
        println!("lines holding a literal itself: {:.2}% of lines, {:.2}% of bytes\n", 100.0 * n as f64 / lines.max(1) as f64, 100.0 * bytes as f64 / hay.len() as f64);
    }

    let sample: Vec<u8> = {
        // 64 slices of 64 KiB spread over the log: 4 MiB of the input itself.
        let mut s = Vec::new();
        let slice = 64 << 10;
        for j in 0..64 {
            let at = (hay.len().saturating_sub(slice)) / 64 * j;
            s.extend_from_slice(&hay[at..(at + slice).min(hay.len())]);
        }
        s
    };
    let t = common::thread_cpu_seconds();
    let own_rank = gram_counts(&sample);
    println!("counting the 4 MiB sample's grams: {:.3} s CPU", common::thread_cpu_seconds() - t);
    let mut ranks = vec![("the log's own 4 MiB sample", own_rank)];
    if let Some(p) = sample_path {
        ranks.push(("ordinary log text (SAMPLE.log)", gram_counts(&std::fs::read(p).expect("read sample"))));
    }
    ranks.push(("no ranking (first window)", HashMap::new()));
    if std::env::var_os("GRAM_WORST").is_some() {
        // The chosen grams that occur most in the sample, with the literals that chose them.
        let rank = &ranks[0].1;
        let k: usize = std::env::var("GRAM_WORST").unwrap().parse().unwrap_or(1);
        let mut worst: Vec<(u32, String, String)> = literals
            .iter()
            .filter(|l| l.len() >= 3 + k)
            .map(|l| {
                let run = chosen_windows(l, k, rank).unwrap();
                let g = *run.iter().max_by_key(|g| rank.get(g).copied().unwrap_or(0)).unwrap();
                (rank.get(&g).copied().unwrap_or(0), String::from_utf8_lossy(&g.to_le_bytes()).into_owned(), String::from_utf8_lossy(l).into_owned())
            })
            .collect();
        worst.sort_by_key(|w| std::cmp::Reverse(w.0));
        for w in worst.iter().take(40) {
            println!("{:>8} {:?} {:?}", w.0, w.1, w.2);
        }
    }

    let mut out = Vec::new();
    // The machine's floors in this run: counting newlines (what `wc -l` does), and the
    // filter's scan with an empty bitmap (every position tested, none hit).
    let (nl_cpu, _) = common::median_cpu(reps, || pieces.iter().map(|(_, p)| bytecount::count(p, b'\n') as u64).sum());
    let empty = GramFilter::new(&HashSet::new(), 16, false, 1);
    let (empty_cpu, _) = common::median_cpu(reps, || {
        for &(_, piece) in &pieces {
            empty.candidates(piece, &mut out);
        }
        0
    });
    println!("floors: counting newlines {nl_cpu:.3} s ({:.2} GB/s); the filter's scan with nothing to find {empty_cpu:.3} s ({:.2} GB/s)", gb / nl_cpu, gb / empty_cpu);
    // Two cheaper inner loops, with nothing to find: a byte per hash slot instead of a bit
    // (no variable shift), and that with an xor-shift hash instead of a multiply.
    let table = vec![0u8; 1 << 15];
    let (bytes_cpu, _) = common::median_cpu(reps, || pieces.iter().map(|(_, p)| any_slot_set(p, &table, |g| g.wrapping_mul(MUL) >> 17)).sum());
    let (xor_cpu, _) = common::median_cpu(reps, || pieces.iter().map(|(_, p)| any_slot_set(p, &table, |g| (g ^ (g >> 11) ^ (g >> 19)) & 0x7FFF)).sum());
    println!("  a 2^15-byte table instead of the bitmap {bytes_cpu:.3} s ({:.2} GB/s); with an xor-shift hash {xor_cpu:.3} s ({:.2} GB/s)", gb / bytes_cpu, gb / xor_cpu);
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512f") {
        let words = vec![0u32; 1 << 13];
        // SAFETY: the CPU has AVX-512F (checked above).
        let (cpu, _) = common::median_cpu(reps, || pieces.iter().map(|(_, p)| unsafe { any_bit_set_avx512(p, &words, 14) }).sum());
        println!("  the bitmap (2^18 bits) with AVX-512, 16 windows a step and a gather {cpu:.3} s ({:.2} GB/s)", gb / cpu);
    }
    println!("\n| filter | ranking | grams | CPU s | GB/s | lines passed | bytes passed | unsound lines |\n|---|---|---:|---:|---:|---:|---:|---:|");
    let mut best: Option<(f64, GramFilter)> = None;
    for (rank_name, rank) in &ranks {
        #[cfg(target_arch = "x86_64")]
        let has_avx512 = std::arch::is_x86_feature_detected!("avx512f");
        #[cfg(not(target_arch = "x86_64"))]
        let has_avx512 = false;
        for (k, log2_bits, exact, avx512) in [
            (1, 16, true, false),
            (1, 18, false, false),
            (1, 18, true, false),
            (1, 18, true, true),
            (1, 20, true, true),
            (2, 16, true, false),
            (2, 18, true, false),
            (4, 16, true, false),
            (4, 18, true, false),
            (4, 20, true, false),
        ] {
            if (k > 1 || avx512) && !std::ptr::eq(rank_name, &ranks[0].0) || avx512 && !has_avx512 {
                continue;
            }
            // A literal too short for the stride leaves its patterns to the full scan.
            let fits = |set: &Vec<Vec<u8>>| set.iter().all(|l| l.len() >= 3 + k);
            let moved = sets.iter().filter(|s| s.as_ref().is_some_and(|s| !fits(s))).count();
            let mut grams = HashSet::new();
            for lit in sets.iter().flatten().filter(|s| fits(s)).flatten() {
                grams.extend(chosen_windows(lit, k, rank).unwrap());
            }
            let mut filter = GramFilter::new(&grams, log2_bits, exact, k);
            filter.avx512 = avx512;
            let mut passed = (0usize, 0usize);
            let mut unsound = 0;
            let (cpu, _) = common::median_cpu(reps, || {
                passed = (0, 0);
                unsound = 0;
                let mut m = 0;
                for &(off, piece) in &pieces {
                    filter.candidates(piece, &mut out);
                    passed.0 += out.len();
                    passed.1 += out.iter().map(|(s, e)| e - s + 1).sum::<usize>();
                    // Soundness: every matched line of this piece is a candidate.
                    let mut c = out.iter().peekable();
                    while m < matched_lit_lines.len() && matched_lit_lines[m].0 < off + piece.len() {
                        let (line, pid) = (matched_lit_lines[m].0 - off, matched_lit_lines[m].1);
                        m += 1;
                        if !fits(sets[pid].as_ref().unwrap()) {
                            continue;
                        }
                        while c.peek().is_some_and(|(s, _)| *s < line) {
                            c.next();
                        }
                        if c.peek().map(|(s, _)| *s) != Some(line) {
                            unsound += 1;
                        }
                    }
                }
                0
            });
            let what = format!("k={k}, 2^{log2_bits} bits{}{}{}", if exact { " + exact table" } else { "" }, if avx512 { ", AVX-512" } else { "" }, if moved > 0 { format!(" ({moved} patterns to the full scan)") } else { String::new() });
            println!(
                "| {what} | {rank_name} | {} | {cpu:.3} | {:.2} | {:.2}% | {:.2}% | {unsound} |",
                grams.len(),
                gb / cpu,
                100.0 * passed.0 as f64 / lines.max(1) as f64,
                100.0 * passed.1 as f64 / hay.len() as f64
            );
            assert_eq!(unsound, 0, "the filter dropped a matched line");
            let score = cpu + 20.0 * passed.1 as f64 / 1e9;
            if std::ptr::eq(rank_name, &ranks[0].0) && moved == 0 && best.as_ref().is_none_or(|b| score < b.0) {
                best = Some((score, filter));
            }
        }
    }
    let filter = best.unwrap().1;

    // Today's engines on the same pieces, and the engines behind the filter.
    println!("\n| search | CPU s | GB/s |\n|---|---:|---:|");
    let row = |what: &str, cpu: f64| println!("| {what} | {cpu:.3} | {:.2} |", gb / cpu);
    let whole = |db: &Database| {
        let mut s = db.searcher().unwrap();
        common::median_cpu(reps, || {
            let mut n = 0;
            for &(_, piece) in &pieces {
                s.search(piece, &mut |_, _| n += 1).unwrap();
            }
            n
        })
        .0
    };
    row("Hyperscan, whole catalog (today)", whole(&hs));
    let rx = Database::compile_with(patterns.clone(), EngineChoice::Regex, true).expect("compile regex");
    row("pure-Rust engine, whole catalog (today)", whole(&rx));
    let with_lits: Vec<Pattern> = (0..patterns.len()).filter(|i| sets[*i].is_some()).map(|i| patterns[i].clone()).collect();
    let lit_sets: Vec<Option<Vec<Vec<u8>>>> = sets.iter().filter(|s| s.is_some()).cloned().collect();
    let (pre, _) = Prefilter::from_literal_sets(&with_lits, lit_sets);
    let pre = pre.unwrap();
    let mut scratch = pre.scratch();
    let mut found = Vec::new();
    row(
        "pure-Rust stage 1 (literal DFA walks) + its regexes on candidate lines, patterns with literals",
        common::median_cpu(reps, || {
            for &(_, piece) in &pieces {
                found.clear();
                pre.search(piece, &mut scratch, &mut found).unwrap();
            }
            0
        })
        .0,
    );
    let bare_patterns: Vec<Pattern> = bare.iter().map(|&i| patterns[i].clone()).collect();
    let hs_bare = Database::compile_with(bare_patterns.clone(), EngineChoice::Hyperscan, false).unwrap();
    let rx_bare = Database::compile_with(bare_patterns, EngineChoice::Regex, false).unwrap();
    let (hs_bare_cpu, rx_bare_cpu) = (whole(&hs_bare), whole(&rx_bare));
    row(&format!("Hyperscan, the {} patterns without literals, whole log", bare.len()), hs_bare_cpu);
    row(&format!("pure-Rust engine, the {} patterns without literals, whole log", bare.len()), rx_bare_cpu);
    // Of those, the analysis's two triggers (the last two patterns) against the catalog's own.
    let triggers: Vec<Pattern> = patterns[patterns.len() - 2..].to_vec();
    let own_bare: Vec<Pattern> = bare.iter().filter(|&&i| i < patterns.len() - 2).map(|&i| patterns[i].clone()).collect();
    let hs_triggers = Database::compile_with(triggers, EngineChoice::Hyperscan, false).unwrap();
    row("  of which Hyperscan, the analysis's 2 trigger patterns", whole(&hs_triggers));
    let hs_own_bare = Database::compile_with(own_bare.clone(), EngineChoice::Hyperscan, false).unwrap();
    row(&format!("  of which Hyperscan, the catalog's {} patterns without literals", own_bare.len()), whole(&hs_own_bare));
    let filter_cpu = common::median_cpu(reps, || {
        for &(_, piece) in &pieces {
            filter.candidates(piece, &mut out);
        }
        0
    })
    .0;
    row("gram filter chosen above", filter_cpu);
    let hs_lits = Database::compile_with(with_lits.clone(), EngineChoice::Hyperscan, false).unwrap();
    // Behind the filter: candidate lines copied into one buffer per piece, then searched.
    let mut behind = |db: &Database| {
        let mut s = db.searcher().unwrap();
        let mut joined = Vec::new();
        common::median_cpu(reps, || {
            let mut n = 0;
            for &(_, piece) in &pieces {
                filter.candidates(piece, &mut out);
                join_lines(piece, &out, &mut joined);
                s.search(&joined, &mut |_, _| n += 1).unwrap();
            }
            n
        })
        .0
    };
    let hs_two = behind(&hs_lits);
    row("gram filter + Hyperscan (patterns with literals) on candidate lines", hs_two);
    row("  + Hyperscan's patterns without literals, whole log = two-stage total", hs_two + hs_bare_cpu);
    let rx_lits = Database::compile_with(with_lits, EngineChoice::Regex, true).unwrap();
    let rx_two = behind(&rx_lits);
    row("gram filter + pure-Rust engine (patterns with literals) on candidate lines", rx_two);
    row("  + pure-Rust patterns without literals, whole log = two-stage total", rx_two + rx_bare_cpu);

    // The same comparison paired: each round times today's search and the two stages (filter,
    // the patterns with literals over the candidate lines, those without over the piece)
    // back to back, so that the machine's load weighs on both alike.
    println!("\n| engine | today, CPU s | two stages, CPU s | two stages / today (median of the rounds' ratios) |\n|---|---:|---:|---:|");
    for (name, today, lits, bare_db) in [("Hyperscan", &hs, &hs_lits, &hs_bare), ("pure-Rust", &rx, &rx_lits, &rx_bare)] {
        let (mut one, mut two, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
        let mut s_today = today.searcher().unwrap();
        let mut s_lits = lits.searcher().unwrap();
        let mut s_bare = bare_db.searcher().unwrap();
        let mut joined = Vec::new();
        for _ in 0..reps {
            let t = common::thread_cpu_seconds();
            for &(_, piece) in &pieces {
                s_today.search(piece, &mut |_, _| {}).unwrap();
            }
            let a = common::thread_cpu_seconds() - t;
            let t = common::thread_cpu_seconds();
            for &(_, piece) in &pieces {
                filter.candidates(piece, &mut out);
                join_lines(piece, &out, &mut joined);
                s_lits.search(&joined, &mut |_, _| {}).unwrap();
                s_bare.search(piece, &mut |_, _| {}).unwrap();
            }
            let b = common::thread_cpu_seconds() - t;
            one.push(a);
            two.push(b);
            ratio.push(b / a);
        }
        println!("| {name} | {:.3} | {:.3} | {:.2} |", common::median(one), common::median(two), common::median(ratio));
    }
}

