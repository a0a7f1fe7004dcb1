//! Can a small set of short "factors" stand in for the catalog's thousands of literals as a
//! first stage? Every match of a pattern contains one of its required literals; a factor set
//! that has a substring of each literal (compared caselessly) therefore finds every line any
//! pattern can match. A few dozen short literals are what Hyperscan's literal matchers scan
//! fastest; the full catalog then runs only on the lines they found.
//!
//! ```sh
//! cargo run --release -p logmedic-core --example factor_filter -- CATALOG.tsv LOG [reps] [SAMPLE.log]
//! ```
//! CATALOG.tsv as `bench/catalog-tsv.ts` writes it (the analysis's two trigger patterns are
//! added). Each top-level branch of a pattern (split as the pure-Rust engine splits it:
//! `prefilter::top_branches`) takes the required-literal set, its own or one
//! of its concatenated parts', that the fewest sample lines hold (4 MiB of LOG, plus
//! SAMPLE.log when given); a branch with no set of 3+ byte literals on at most 1% of the
//! sample's lines is searched as it is in stage 1. Factors are then chosen by greedy weighted
//! set cover: each costs the sample lines that hold it plus `FACTOR_LAMBDA` (default 50),
//! divided by the literals it newly covers; `FACTOR_MIN`/`FACTOR_MAX` (3, 8) bound their
//! length. Stage 2 copies each piece's candidate lines together and searches the catalog once
//! over the copy. One thread, thread CPU seconds, medians of `reps`; every line the catalog
//! matches must be a candidate (counted). Two switches are unsound on purpose, to split the
//! cost: `FACTOR_DROP_ABOVE=N` leaves out the factors on more than N sample lines,
//! `FACTOR_NO_BARE=1` the branches searched as they are.

use std::collections::{HashMap, HashSet};

use logmedic_core::internals::{any_required_literals, top_branches};
use logmedic_core::{parse_pattern as parse, Database, EngineChoice, Pattern};
use regex_syntax::hir::{Hir, HirKind};

mod common;

/// Lines of `text` holding each of `factors` (caselessly), one count per line and factor.
fn line_counts(text: &[u8], factors: &[Vec<u8>]) -> Vec<u32> {
    let ac = aho_corasick::AhoCorasick::builder().ascii_case_insensitive(true).build(factors).unwrap();
    let mut counts = vec![0u32; factors.len()];
    let mut seen: HashSet<usize> = HashSet::new();
    for line in text.split(|&b| b == b'\n') {
        seen.clear();
        for m in ac.find_overlapping_iter(line) {
            if seen.insert(m.pattern().as_usize()) {
                counts[m.pattern().as_usize()] += 1;
            }
        }
    }
    counts
}

/// 64 slices of 64 KiB spread over the log (4 MiB of the input itself), then SAMPLE.log.
fn sample_of(hay: &[u8], extra: Option<&String>) -> Vec<u8> {
    let mut sample: Vec<u8> = Vec::new();
    let slice = 64 << 10;
    for j in 0..64 {
        let at = hay.len().saturating_sub(slice) / 64 * j;
        sample.extend_from_slice(&hay[at..(at + slice).min(hay.len())]);
    }
    if let Some(p) = extra {
        sample.extend_from_slice(&std::fs::read(p).expect("read sample"));
    }
    sample
}

/// A top-level branch as a regex, with the required-literal sets it offers.
type BranchOptions = (String, Vec<Vec<Vec<u8>>>);

/// The top-level branches of `hir` (as regexes, split as the pure-Rust engine splits them),
/// each with the required-literal sets it offers: its own, and each of its concatenated parts'
/// (each is required of every match of the branch). The union of one set per branch is
/// required of the whole.
fn branch_options(hir: &Hir) -> Vec<BranchOptions> {
    let branches = top_branches(hir).unwrap_or_else(|| vec![hir.clone()]);
    branches
        .iter()
        .map(|branch| {
            let mut options: Vec<Vec<Vec<u8>>> = any_required_literals(branch).into_iter().collect();
            let mut inner = branch;
            while let HirKind::Capture(c) = inner.kind() {
                inner = &c.sub;
            }
            if let HirKind::Concat(parts) = inner.kind() {
                options.extend(parts.iter().filter_map(any_required_literals));
            }
            (branch.to_string(), options)
        })
        .collect()
}

/// Per pattern, the required-literal set chosen by how few sample lines hold its literals
/// (`lines_holding`: per literal), one set per top-level branch; a branch with no set of
/// literals of `min` bytes or more on at most 1% of the `sample_lines` is returned whole, as
/// a regex, in the second list: stage 1 searches for it as it is.
fn rarest_required(branches: &[BranchOptions], lines_holding: &HashMap<Vec<u8>, u64>, sample_lines: u64, min: usize) -> (Vec<Vec<u8>>, Vec<String>) {
    let cost = |set: &Vec<Vec<u8>>| set.iter().map(|l| lines_holding[l]).sum::<u64>();
    let (mut union, mut bare) = (Vec::new(), Vec::new());
    for (branch, options) in branches {
        // A set on more than 1% of the sample's lines filters too little: the branch is
        // better searched as it is.
        let usable = options.iter().filter(|set| set.iter().all(|l| l.len() >= min) && cost(set) * 100 <= sample_lines);
        match usable.min_by_key(|set| (cost(set), set.len())) {
            Some(set) => union.extend(set.iter().cloned()),
            None => bare.push(branch.clone()),
        }
    }
    union.sort();
    union.dedup();
    (union, bare)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.len() <= hay.len() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Greedy weighted set cover: factors until every literal holds one; a factor's price is the
/// sample lines it lets through, divided by the literals it newly covers.
fn choose_factors(literals: &[Vec<u8>], sample: &[u8], min: usize, max: usize, lambda: f64) -> Vec<Vec<u8>> {
    let mut candidates: Vec<Vec<u8>> = Vec::new();
    for l in literals {
        if l.len() <= min {
            candidates.push(l.clone());
            continue;
        }
        for k in min..=max.min(l.len()) {
            for w in l.windows(k) {
                if std::str::from_utf8(w).is_ok() {
                    candidates.push(w.to_vec());
                }
            }
        }
    }
    candidates.sort();
    candidates.dedup();
    let counts = line_counts(sample, &candidates);
    let covers: Vec<Vec<usize>> = candidates.iter().map(|f| (0..literals.len()).filter(|&i| contains(&literals[i], f)).collect()).collect();
    let mut covered = vec![false; literals.len()];
    let mut left = literals.len();
    let mut chosen = Vec::new();
    while left > 0 {
        let best = (0..candidates.len())
            .filter_map(|c| {
                let gain = covers[c].iter().filter(|&&i| !covered[i]).count();
                (gain > 0).then(|| (f64::from(counts[c]) + lambda) / gain as f64)
                    .map(|price| (price, std::cmp::Reverse(candidates[c].len()), c))
            })
            .min_by(|a, b| a.partial_cmp(b).unwrap())
            .expect("every literal is its own candidate");
        for &i in &covers[best.2] {
            if !covered[i] {
                covered[i] = true;
                left -= 1;
            }
        }
        chosen.push(candidates[best.2].clone());
    }
    chosen
}

fn escape(f: &[u8]) -> String {
    format!("(?i:{})", regex_syntax::escape(std::str::from_utf8(f).expect("factors are UTF-8")))
}

/// The line starts (offsets in `hay`) a database finds, piece by piece, and the search's CPU.
fn lines_found(db: &Database, pieces: &[(usize, &[u8])]) -> (f64, Vec<usize>) {
    let mut s = db.searcher().unwrap();
    let mut out = Vec::new();
    let t = common::thread_cpu_seconds();
    for &(off, piece) in pieces {
        let mut last = usize::MAX;
        s.search(piece, &mut |_, at| {
            let start = memchr::memrchr(b'\n', &piece[..at]).map_or(0, |p| p + 1) + off;
            if start != last {
                out.push(start);
                last = start;
            }
        })
        .unwrap();
    }
    let cpu = common::thread_cpu_seconds() - t;
    out.sort_unstable();
    out.dedup();
    (cpu, out)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let map = common::map_log(&args[2]);
    let hay: &[u8] = &map;
    let reps: usize = args.get(3).map_or(3, |s| s.parse().unwrap());
    let env = |k: &str, d: usize| std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d);
    let (min, max) = (env("FACTOR_MIN", 3), env("FACTOR_MAX", 8));
    let patterns = common::analysis_patterns(&args[1]);
    let sample = sample_of(hay, args.get(4));
    let options: Vec<Vec<BranchOptions>> = patterns.iter().map(|p| branch_options(p.hir())).collect();
    let offered: Vec<Vec<u8>> = {
        let mut all: Vec<Vec<u8>> = options.iter().flatten().flat_map(|(_, sets)| sets.iter().flatten().cloned()).collect();
        all.sort();
        all.dedup();
        all
    };
    let lines_holding: HashMap<Vec<u8>, u64> = offered.iter().cloned().zip(line_counts(&sample, &offered).into_iter().map(u64::from)).collect();
    let sample_lines = bytecount::count(&sample, b'\n') as u64;
    let chosen: Vec<(Vec<Vec<u8>>, Vec<String>)> = options.iter().map(|o| rarest_required(o, &lines_holding, sample_lines, min)).collect();
    let bare: Vec<&String> = chosen.iter().flat_map(|c| &c.1).collect();
    for b in &bare {
        println!("branch searched as it is: {}", &b[..b.len().min(160)]);
    }
    let mut literals: Vec<Vec<u8>> = chosen.iter().flat_map(|c| c.0.iter().cloned()).collect();
    literals.sort();
    literals.dedup();

    let t = std::time::Instant::now();
    let lambda = std::env::var("FACTOR_LAMBDA").ok().and_then(|v| v.parse().ok()).unwrap_or(50.0);
    let factors = choose_factors(&literals, &sample, min, max, lambda);
    let counts = line_counts(&sample, &factors);
    let mut shown: Vec<(u32, String)> = factors.iter().zip(&counts).map(|(f, &c)| (c, String::from_utf8_lossy(f).into_owned())).collect();
    shown.sort();
    shown.reverse();
    println!(
        "{} patterns ({} branches searched as they are), {} distinct literals -> {} factors of {min}..={max} bytes in {:.2} s; commonest in the sample (lines): {:?}",
        patterns.len(),
        bare.len(),
        literals.len(),
        factors.len(),
        t.elapsed().as_secs_f64(),
        &shown[..shown.len().min(16)]
    );

    let drop_above = std::env::var("FACTOR_DROP_ABOVE").ok().and_then(|v| v.parse::<u32>().ok()).unwrap_or(u32::MAX);
    let factors: Vec<Vec<u8>> = factors.iter().zip(&counts).filter(|(_, &c)| c <= drop_above).map(|(f, _)| f.clone()).collect();
    println!("stage 1 with {} factors", factors.len());
    let mut stage1: Vec<Pattern> = factors.iter().map(|f| parse(&escape(f)).unwrap()).collect();
    if std::env::var_os("FACTOR_NO_BARE").is_none() {
        stage1.extend(bare.iter().map(|b| parse(b).expect("a branch parses")));
    }
    let first = Database::compile_with(stage1, EngineChoice::Hyperscan, false).expect("compile factors");
    let full = Database::compile_with(patterns.clone(), EngineChoice::Hyperscan, false).expect("compile catalog");
    let pieces = common::pieces(hay);
    let lines = bytecount::count(hay, b'\n');

    let (mut t_full, mut t_first, mut t_second) = (Vec::new(), Vec::new(), Vec::new());
    let (mut matched, mut candidates) = (Vec::new(), Vec::new());
    for _ in 0..reps {
        let (t, m) = lines_found(&full, &pieces);
        t_full.push(t);
        matched = m;
        let (t, c) = lines_found(&first, &pieces);
        t_first.push(t);
        candidates = c;
        // Stage 2: the candidate lines copied together, piece by piece, and the catalog
        // searched once over each copy (an offset table maps matches back).
        let mut s = full.searcher().unwrap();
        let mut found = 0u64;
        let t = common::thread_cpu_seconds();
        let mut gathered: Vec<u8> = Vec::new();
        let mut i = 0;
        for &(off, piece) in &pieces {
            gathered.clear();
            let end_of_piece = off + piece.len();
            while i < candidates.len() && candidates[i] < end_of_piece {
                let start = candidates[i];
                let end = memchr::memchr(b'\n', &hay[start..end_of_piece]).map_or(end_of_piece, |p| start + p + 1);
                gathered.extend_from_slice(&hay[start..end]);
                if gathered.last() != Some(&b'\n') {
                    gathered.push(b'\n');
                }
                i += 1;
            }
            if !gathered.is_empty() {
                s.search(&gathered, &mut |_, _| found += 1).unwrap();
            }
        }
        t_second.push(common::thread_cpu_seconds() - t);
        std::hint::black_box(found);
    }
    let candidate_set: HashSet<usize> = candidates.iter().copied().collect();
    let lost = matched.iter().filter(|l| !candidate_set.contains(l)).count();
    let candidate_bytes: usize = candidates.iter().map(|&s| memchr::memchr(b'\n', &hay[s..]).map_or(hay.len() - s, |p| p + 1)).sum();
    let gb = hay.len() as f64 / 1e9;
    let (f, a, b) = (common::median(t_full), common::median(t_first), common::median(t_second));
    println!(
        "log {:.1} MB, {lines} lines; catalog matches {} lines; candidates {} lines ({:.2}% of lines, {:.2}% of bytes); matched lines not candidates: {lost}",
        gb * 1e3,
        matched.len(),
        candidates.len(),
        100.0 * candidates.len() as f64 / lines.max(1) as f64,
        100.0 * candidate_bytes as f64 / hay.len() as f64
    );
    println!("CPU s/GB: whole catalog {:.3}; factors {:.3} + catalog on candidates {:.3} = {:.3} ({:.2}x)", f / gb, a / gb, b / gb, (a + b) / gb, (a + b) / f);
}
