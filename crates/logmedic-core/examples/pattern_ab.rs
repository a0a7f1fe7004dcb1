//! Before and after a rewrite of some catalog patterns, in both engines, each rewrite alone:
//! what a pattern costs, and what the whole catalog costs with it, as each engine serves the
//! catalog in `analyze` (Hyperscan alone; the pure-Rust engine behind its literal prefilter).
//!
//! ```sh
//! cargo run --release -p logmedic-core --example pattern_ab -- CATALOG.tsv LOG REWRITES [reps]
//! ```
//! CATALOG.tsv as `bench/catalog-tsv.ts` writes it; REWRITES: one `INDEX<TAB>regex` a line,
//! pattern INDEX of the catalog rewritten. The log is read into memory and searched on one
//! thread in 256 KiB line-aligned pieces; times are the thread's CPU seconds, medians of
//! `reps`, before and after measured in turn so that the machine's load falls on both.
//! `ENGINE=regex` or `ENGINE=hyperscan` measures that engine only. Each row also gives the matching lines before and after, which must be equal. The whole
//! catalog is searched as `analyze` compiles it: with the embedded-text and error-level
//! triggers after the catalog's patterns.

use logmedic_core::{parse_pattern as parse, Pattern};

use common::in_turn;

mod common;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: pattern_ab CATALOG.tsv LOG REWRITES [reps]");
        std::process::exit(2);
    }
    let mut before: Vec<Pattern> = common::catalog_sources(&args[1]).iter().map(|s| parse(s).expect("pattern")).collect();
    let hay = std::fs::read(&args[2]).expect("read log");
    let rewrites: Vec<(usize, Pattern)> = std::fs::read_to_string(&args[3])
        .expect("read rewrites")
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (i, re) = l.split_once('\t').expect("INDEX<TAB>regex");
            (i.parse().expect("index"), parse(re).expect("rewritten pattern"))
        })
        .collect();
    let reps: usize = args.get(4).map_or(5, |s| s.parse().unwrap());
    before.extend([logmedic_core::EMBEDDED_TRIGGER, logmedic_core::ERROR_LEVEL_TRIGGER].map(|t| parse(t).expect("trigger")));
    let engines = common::engines_to_compare();
    let row = |what: &str, (ca, na, cb, nb): (f64, u64, f64, u64)| {
        let flag = if na == nb { String::new() } else { " **differs**".to_string() };
        println!("| {what} | {ca:.4} | {cb:.4} | {:+.1}% | {na} / {nb}{flag} |", (cb / ca - 1.0) * 100.0);
    };
    println!("{} patterns with the triggers; log {} ({:.1} MB); one thread; CPU s, medians of {reps}, before and after in turn.\n", before.len(), args[2], hay.len() as f64 / 1e6);
    for &(engine, name) in &engines {
        println!("## {name}\n\n| set | before | after | change | matches before / after |\n|---|---:|---:|---:|---:|");
        for (i, p) in &rewrites {
            row(&format!("{i} alone"), in_turn(std::slice::from_ref(&before[*i]), std::slice::from_ref(p), engine, &hay, reps));
            let mut after = before.clone();
            after[*i] = p.clone();
            row(&format!("catalog with {i} rewritten"), in_turn(&before, &after, engine, &hay, reps));
        }
        if rewrites.len() > 1 {
            let mut after = before.clone();
            for (i, p) in &rewrites {
                after[*i] = p.clone();
            }
            row("catalog with all rewritten", in_turn(&before, &after, engine, &hay, reps));
        }
        println!();
    }
}
