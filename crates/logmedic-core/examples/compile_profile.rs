//! Where compiling a catalog goes, stage by stage, for each engine.
//!
//! ```sh
//! cargo run --release -p logmedic-core --example compile_profile -- PATTERNS.txt [reps]
//! ```
//! PATTERNS.txt: one pattern a line. Prints the thread's CPU milliseconds (median of `reps`)
//! of parsing, of the prefilter's literal analysis and automaton, of the regex engine's
//! groups, of a whole database per engine, and of a first search of 4 KB.

use std::time::Instant;

use logmedic_core::internals::{required_literals, Prefilter, RegexDb};
use logmedic_core::parse_patterns as parse_all;
use logmedic_core::{Database, EngineChoice};

use common::median;

mod common;

fn cpu_ms() -> f64 {
    common::thread_cpu_seconds() * 1e3
}

fn timed<T>(reps: usize, mut f: impl FnMut() -> T) -> f64 {
    median((0..reps).map(|_| {
        let t = cpu_ms();
        std::hint::black_box(f());
        cpu_ms() - t
    }).collect())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&args[1]).expect("read patterns");
    let reps: usize = args.get(2).map_or(5, |r| r.parse().expect("reps"));
    let mut sources: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    sources.push(logmedic_core::EMBEDDED_TRIGGER);
    sources.push(logmedic_core::ERROR_LEVEL_TRIGGER);
    let patterns = parse_all(&sources).expect("parse");
    let hirs: Vec<_> = patterns.iter().map(|p| p.hir().clone()).collect();
    let hay: Vec<u8> = b"2026-12-06 09:00:00 INFO worker started, nothing failed here\n".repeat(64);
    let wall = Instant::now();
    println!("| stage ({} patterns) | CPU ms |\n|---|---|", sources.len());
    println!("| parse | {:.1} |", timed(reps, || parse_all(&sources).unwrap()));
    println!("| required literals | {:.1} |", timed(reps, || hirs.iter().map(required_literals).collect::<Vec<_>>()));
    let lits: Vec<Vec<u8>> = hirs.iter().filter_map(required_literals).flatten().collect();
    println!("| Aho-Corasick over {} literals ({} bytes) | {:.1} |", lits.len(), lits.iter().map(Vec::len).sum::<usize>(), timed(reps, || aho_corasick::AhoCorasick::builder().ascii_case_insensitive(true).kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA)).build(&lits).unwrap()));
    println!("| Aho-Corasick, noncontiguous | {:.1} |", timed(reps, || aho_corasick::AhoCorasick::builder().ascii_case_insensitive(true).kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA)).build(&lits).unwrap()));
    println!("| hir clone | {:.1} |", timed(reps, || patterns.clone()));
    println!("| prefilter build | {:.1} |", timed(reps, || Prefilter::from_literal_sets(&patterns, hirs.iter().map(required_literals).collect())));
    let (_, rest) = Prefilter::from_literal_sets(&patterns, hirs.iter().map(required_literals).collect());
    let subset: Vec<_> = rest.iter().map(|&i| patterns[i as usize].clone()).collect();
    println!("| regex groups over the {} unfiltered | {:.1} |", subset.len(), timed(reps, || RegexDb::compile(&subset).unwrap()));
    println!("| regex groups over all | {:.1} |", timed(reps, || RegexDb::compile(&patterns).unwrap()));
    for (name, choice) in [("regex", EngineChoice::Regex), ("hyperscan", EngineChoice::Hyperscan)] {
        let compile = timed(reps, || Database::compile(patterns.clone(), choice));
        let Ok(db) = Database::compile(patterns.clone(), choice) else {
            println!("| {name}: unavailable | |");
            continue;
        };
        println!("| database, {name} (cached: {}) | {compile:.1} |", db.from_cache());
        let first = timed(reps, || {
            let db = Database::compile(patterns.clone(), choice).unwrap();
            let mut s = db.searcher().unwrap();
            let mut n = 0;
            s.search(&hay, &mut |_, _| n += 1).unwrap();
            n
        });
        println!("| database + first 4 KB search, {name} | {first:.1} |");
    }
    let dir = std::env::temp_dir().join(format!("logmedic-compile-profile-{}", std::process::id()));
    Database::from_sources_cached(&sources, EngineChoice::Regex, &dir).expect("compile");
    let cached = timed(reps, || Database::from_sources_cached(&sources, EngineChoice::Regex, &dir).unwrap());
    println!("| database from the cache, regex | {cached:.1} |");
    let first = timed(reps, || {
        let db = Database::from_sources_cached(&sources, EngineChoice::Regex, &dir).unwrap();
        let mut s = db.searcher().unwrap();
        let mut n = 0;
        s.search(&hay, &mut |_, _| n += 1).unwrap();
        n
    });
    println!("| database from the cache + first 4 KB search, regex | {first:.1} |");
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!("wall {:.2} s", wall.elapsed().as_secs_f64());
}
