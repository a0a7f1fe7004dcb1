//! What the profiling examples share: CPU clocks, medians, the catalog as
//! `bench/catalog-tsv.ts` writes it, a log cut into the pieces the scan searches, and two
//! pattern sets searched in turn over it.
// Each example uses some of these, never all.
#![allow(dead_code)]

use logmedic_core::internals::{piece_end, PIECE_BYTES};
use logmedic_core::{Database, EngineChoice, Pattern};

fn cpu_seconds(clock: libc::clockid_t) -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid timespec to write to.
    unsafe { libc::clock_gettime(clock, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// CPU seconds this thread has used: on a loaded machine it moves much less than wall time.
pub fn thread_cpu_seconds() -> f64 {
    cpu_seconds(libc::CLOCK_THREAD_CPUTIME_ID)
}

/// CPU seconds the whole process has used (all its threads).
pub fn process_cpu_seconds() -> f64 {
    cpu_seconds(libc::CLOCK_PROCESS_CPUTIME_ID)
}

pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

/// The pattern sources of CATALOG.tsv (its fourth column), in order.
/// (median thread CPU seconds, the last run's count) of `reps` runs of `run`.
pub fn median_cpu(reps: usize, mut run: impl FnMut() -> u64) -> (f64, u64) {
    let mut n = 0;
    let times = (0..reps)
        .map(|_| {
            let t = thread_cpu_seconds();
            n = run();
            thread_cpu_seconds() - t
        })
        .collect();
    (median(times), n)
}

/// The engines an A/B example compares, Hyperscan first where libhs loads; `ENGINE=regex` or
/// `ENGINE=hyperscan` keeps that engine only.
pub fn engines_to_compare() -> Vec<(EngineChoice, &'static str)> {
    let mut engines = vec![(EngineChoice::Regex, "regex + prefilter")];
    let only = std::env::var("ENGINE").unwrap_or_default();
    if logmedic_core::hyperscan_available() && only != "regex" {
        engines.insert(0, (EngineChoice::Hyperscan, "hyperscan"));
    }
    if only == "hyperscan" {
        engines.retain(|e| e.0 == EngineChoice::Hyperscan);
    }
    engines
}

pub fn catalog_sources(path: &str) -> Vec<String> {
    let catalog = std::fs::read_to_string(path).expect("read catalog");
    catalog.lines().filter(|l| !l.is_empty()).map(|l| l.splitn(4, '\t').nth(3).expect("TYPE<TAB>OWN<TAB>PRIORITY<TAB>pattern").to_string()).collect()
}

/// The patterns `analyze` compiles for CATALOG.tsv: the catalog's, then the analysis's two
/// trigger patterns.
pub fn analysis_patterns(path: &str) -> Vec<Pattern> {
    let mut patterns: Vec<Pattern> = catalog_sources(path).iter().map(|s| logmedic_core::parse_pattern(s).expect("pattern")).collect();
    patterns.extend([logmedic_core::EMBEDDED_TRIGGER, logmedic_core::ERROR_LEVEL_TRIGGER].map(|t| logmedic_core::parse_pattern(t).expect("trigger")));
    patterns
}

/// The log at `path`, mapped.
pub fn map_log(path: &str) -> memmap2::Mmap {
    let file = std::fs::File::open(path).expect("open log");
    // SAFETY: the log is not modified while an example runs.
    unsafe { memmap2::Mmap::map(&file) }.expect("map log")
}

/// `hay` in the line-aligned pieces the scan searches, each with its offset in `hay`.
pub fn pieces(hay: &[u8]) -> Vec<(usize, &[u8])> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < hay.len() {
        let end = piece_end(hay, start, PIECE_BYTES);
        out.push((start, &hay[start..end]));
        start = end;
    }
    out
}

/// One search of `hay` with a fresh or reused searcher: (CPU seconds, matching (pattern, line) pairs).
pub fn search_once(searcher: &mut logmedic_core::internals::Searcher<'_>, hay: &[u8]) -> (f64, u64) {
    let mut pairs = 0u64;
    let mut last: Vec<(u32, usize)> = Vec::new();
    let t = thread_cpu_seconds();
    for (start, piece) in pieces(hay) {
        last.clear();
        searcher
            .search(piece, &mut |pid, at| {
                let line = memchr::memrchr(b'\n', &hay[start..start + at]).map_or(start, |i| start + i + 1);
                if !last.contains(&(pid, line)) {
                    if last.len() > 64 {
                        last.remove(0);
                    }
                    last.push((pid, line));
                    pairs += 1;
                }
            })
            .expect("search");
    }
    (thread_cpu_seconds() - t, pairs)
}

/// Medians of CPU seconds of `a` and `b`, searched in turn `reps` times, and their matches.
pub fn in_turn(a: &[Pattern], b: &[Pattern], engine: EngineChoice, hay: &[u8], reps: usize) -> (f64, u64, f64, u64) {
    let prefilter = engine == EngineChoice::Regex;
    let da = Database::compile_with(a.to_vec(), engine, prefilter).expect("compile before");
    let db = Database::compile_with(b.to_vec(), engine, prefilter).expect("compile after");
    let (mut sa, mut sb) = (da.searcher().expect("searcher"), db.searcher().expect("searcher"));
    let (mut ta, mut tb, mut na, mut nb) = (Vec::new(), Vec::new(), 0, 0);
    for _ in 0..reps {
        let (t, n) = search_once(&mut sa, hay);
        ta.push(t);
        na = n;
        let (t, n) = search_once(&mut sb, hay);
        tb.push(t);
        nb = n;
    }
    (median(ta), na, median(tb), nb)
}
