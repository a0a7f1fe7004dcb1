//! Which patterns make the Hyperscan scan of the catalog slow: the whole set (with and
//! without the analysis's trigger patterns), then each group of `size` consecutive
//! patterns alone, in one thread, in memory (thread CPU seconds, median of `reps`).
//!
//! ```sh
//! cargo run --release -p logmedic-core --example hs_groups -- CATALOG.tsv LOG [size] [reps] [MODE]
//! ```
//! CATALOG.tsv as `bench/catalog-tsv.ts` writes it. MODE, instead of the groups:
//! - `I,J,...` (pattern indexes): each of them alone, then the catalog without them;
//! - `lit`: the prefilter's required literals as caseless Hyperscan expressions, the
//!   patterns without usable literals (each alone too), and both with the triggers: what a
//!   literal first pass would cost;
//! - `branches:I`: each top-level alternative of pattern I alone;
//! - `split`: the catalog and triggers with each top-level alternative an expression of its own.

use logmedic_core::{parse_pattern as parse, Pattern};
use regex_syntax::hir::{Hir, HirKind};
use logmedic_core::{Database, EngineChoice};

use common::thread_cpu_seconds as cpu_seconds;

mod common;

/// (median CPU seconds, callbacks) of searching `hay` in 256 KiB line-aligned pieces.
fn cost(patterns: &[Pattern], hay: &[u8], reps: usize) -> (f64, u64) {
    let db = Database::compile_with(patterns.to_vec(), EngineChoice::Hyperscan, false).expect("compile");
    let mut searcher = db.searcher().expect("searcher");
    let mut times = Vec::new();
    let mut calls = 0;
    for _ in 0..reps {
        calls = 0;
        let t = cpu_seconds();
        for (_, piece) in common::pieces(hay) {
            searcher.search(piece, &mut |_, _| calls += 1).expect("search");
        }
        times.push(cpu_seconds() - t);
    }
    (common::median(times), calls)
}

/// The top-level alternatives of `hir`, a factored-out common prefix or suffix put back on
/// each (`\\b(?:a|b)` gives `\\ba` and `\\bb`); `hir` itself when it has none.
fn branches(hir: &Hir) -> Vec<Hir> {
    match hir.kind() {
        HirKind::Alternation(alts) => alts.to_vec(),
        HirKind::Concat(parts) => {
            let alt = parts.iter().position(|h| matches!(h.kind(), HirKind::Alternation(_)));
            match (alt, parts.iter().filter(|h| matches!(h.kind(), HirKind::Alternation(_))).count()) {
                (Some(i), 1) => branches(&parts[i])
                    .into_iter()
                    .map(|b| Hir::concat(parts[..i].iter().cloned().chain(std::iter::once(b)).chain(parts[i + 1..].iter().cloned()).collect()))
                    .collect(),
                _ => vec![hir.clone()],
            }
        }
        _ => vec![hir.clone()],
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let patterns: Vec<Pattern> = common::catalog_sources(&args[1]).iter().map(|s| parse(s).expect("pattern")).collect();
    let hay = std::fs::read(&args[2]).expect("read log");
    let size: usize = args.get(3).map_or(16, |s| s.parse().unwrap());
    let reps: usize = args.get(4).map_or(5, |s| s.parse().unwrap());
    let short = |p: &Pattern| p.source.chars().take(90).collect::<String>().replace('|', "\\|");
    let triggers = [logmedic_core::EMBEDDED_TRIGGER, logmedic_core::ERROR_LEVEL_TRIGGER];
    let mut with: Vec<Pattern> = patterns.clone();
    with.extend(triggers.iter().map(|t| parse(t).unwrap()));
    println!("| set | CPU s | callbacks |\n|---|---:|---:|");
    let (c, n) = cost(&patterns, &hay, reps);
    println!("| catalog ({}) | {c:.4} | {n} |", patterns.len());
    let (c, n) = cost(&with, &hay, reps);
    println!("| catalog + triggers | {c:.4} | {n} |");
    for t in triggers {
        let (c, n) = cost(&[parse(t).unwrap()], &hay, reps);
        println!("| trigger `{}` | {c:.4} | {n} |", t.replace('|', "\\|"));
    }
    if args.get(5).is_some_and(|a| a == "split") {
        // Each top-level alternative as a pattern of its own.
        let split: Vec<Pattern> = with
            .iter()
            .flat_map(|p| branches(p.hir()).into_iter().map(|h| Pattern::from_hir(p.source.clone(), h)))
            .collect();
        let (c, n) = cost(&split, &hay, reps);
        println!("| catalog + triggers, alternatives split ({}) | {c:.4} | {n} |", split.len());
        return;
    }
    if args.get(5).is_some_and(|a| a == "lit") {
        // The prefilter's required literals as caseless literal patterns, and the patterns
        // without any, as Hyperscan would scan them in a literal first pass.
        let (mut lits, mut bare) = (Vec::new(), Vec::new());
        for p in &patterns {
            match logmedic_core::internals::required_literals(p.hir()) {
                Some(set) => {
                    let alts: Vec<String> = set.iter().map(|l| regex_syntax::escape(&String::from_utf8_lossy(l))).collect();
                    lits.push(parse(&format!("(?i:{})", alts.join("|"))).unwrap());
                }
                None => bare.push(p.clone()),
            }
        }
        let (c, n) = cost(&lits, &hay, reps);
        println!("| required literals of {} patterns | {c:.4} | {n} |", lits.len());
        let (c, n) = cost(&bare, &hay, reps);
        println!("| the {} patterns without | {c:.4} | {n} |", bare.len());
        for p in &bare {
            let (c, n) = cost(std::slice::from_ref(p), &hay, reps);
            println!("| {} `{}` | {c:.4} | {n} |", patterns.iter().position(|q| q.source == p.source).unwrap(), short(p));
        }
        lits.extend(bare);
        lits.extend(triggers.iter().map(|t| parse(t).unwrap()));
        let (c, n) = cost(&lits, &hay, reps);
        println!("| both + triggers | {c:.4} | {n} |");
        return;
    }
    if let Some(i) = args.get(5).and_then(|a| a.strip_prefix("branches:")) {
        // Each top-level alternative of one pattern alone: which branch makes it costly.
        let p = &patterns[i.parse::<usize>().unwrap()];
        for (b, h) in branches(p.hir()).iter().enumerate() {
            let (c, n) = cost(&[Pattern::from_hir(p.source.clone(), h.clone())], &hay, reps);
            println!("| branch {b} `{}` | {c:.4} | {n} |", h.to_string().chars().take(100).collect::<String>().replace('|', "\\|"));
        }
        return;
    }
    if let Some(only) = args.get(5) {
        let picked: Vec<usize> = only.split(',').map(|s| s.parse().unwrap()).collect();
        for &i in &picked {
            let (c, n) = cost(std::slice::from_ref(&patterns[i]), &hay, reps);
            println!("| {i} `{}` | {c:.4} | {n} |", short(&patterns[i]));
        }
        let rest: Vec<Pattern> = patterns.iter().enumerate().filter(|(i, _)| !picked.contains(i)).map(|(_, p)| p.clone()).collect();
        let (c, n) = cost(&rest, &hay, reps);
        println!("| catalog without them | {c:.4} | {n} |");
        return;
    }
    for (g, group) in patterns.chunks(size).enumerate() {
        let (c, n) = cost(group, &hay, reps);
        println!("| {}..{} | {c:.4} | {n} |", g * size, g * size + group.len() - 1);
    }
}
