//! The catalog's patterns that have no required literal (none of 4+ bytes that every match
//! holds, as the prefilter reads them): the pure-Rust engine searches every line for them.
//! Lists them, and with a log measures what they cost the whole catalog, in each engine.
//!
//! ```sh
//! cargo run --release -p logmedic-core --example literal_less -- CATALOG.tsv [LOG [reps [groups]]]
//! ```
//! CATALOG.tsv as `bench/catalog-tsv.ts` writes it; the analysis's two trigger patterns are
//! added after it, as `analyze` compiles them.
//!
//! Without LOG: one `INDEX<TAB>pattern` line per such pattern (the form `pattern_ab` reads
//! rewrites in), and below it each top-level branch with its own required literals or none.
//!
//! With LOG (one thread, 256 KiB pieces, CPU seconds, medians of `reps`, the two sets
//! searched in turn): the whole catalog with and without each pattern (left out with
//! `groups`), then without all of them, without those that have a branch without literals,
//! and with each split into its top-level branches (those with literals standing apart,
//! those without kept together). `ENGINE=regex` or `ENGINE=hyperscan` measures that engine
//! only.

use logmedic_core::internals::required_literals;
use logmedic_core::{parse_pattern as parse, Pattern};
use regex_syntax::hir::{Hir, HirKind};

use common::in_turn;

mod common;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 2 {
        eprintln!("usage: literal_less CATALOG.tsv [LOG [reps [groups]]]");
        std::process::exit(2);
    }
    let catalog: Vec<Pattern> = common::catalog_sources(&args[1]).iter().map(|s| parse(s).expect("pattern")).collect();
    let own = catalog.len();
    let mut patterns = catalog;
    patterns.extend([logmedic_core::EMBEDDED_TRIGGER, logmedic_core::ERROR_LEVEL_TRIGGER].map(|t| parse(t).expect("trigger")));
    let bare: Vec<usize> = (0..patterns.len()).filter(|&i| required_literals(patterns[i].hir()).is_none()).collect();
    let Some(log) = args.get(2) else {
        for &i in &bare {
            let what = if i < own { "" } else { "  (trigger)" };
            println!("{i}\t{}{what}", patterns[i].source);
            // Which of its top-level branches leave it without literals: each alone.
            if let Some(branches) = top_branches(patterns[i].hir()) {
                for b in &branches {
                    match required_literals(b) {
                        None => println!("\t  no literal: {b}"),
                        Some(set) => println!("\t  {} literal(s), shortest {}", set.len(), set.iter().map(Vec::len).min().unwrap_or(0)),
                    }
                }
            }
        }
        return;
    };
    let hay = std::fs::read(log).expect("read log");
    let reps: usize = args.get(3).map_or(3, |s| s.parse().unwrap());
    let movable: Vec<usize> = bare.iter().copied().filter(|&i| i < own).collect();
    // The others have literals in every branch, too many of them together to use.
    let with_bare_branch: Vec<usize> = movable.iter().copied().filter(|&i| has_bare_branch(&patterns[i])).collect();
    let groups_only = args.get(4).is_some_and(|a| a == "groups");
    let engines = common::engines_to_compare();
    let without = |drop: &[usize]| -> Vec<Pattern> {
        patterns.iter().enumerate().filter(|(i, _)| !drop.contains(i)).map(|(_, p)| p.clone()).collect()
    };
    println!(
        "{} patterns with the triggers, {} without required literals ({} of them the catalog's); log {log} ({:.1} MB); one thread; CPU s, medians of {reps}, with and without in turn.\n",
        patterns.len(),
        bare.len(),
        movable.len(),
        hay.len() as f64 / 1e6
    );
    for &(engine, name) in &engines {
        println!("## {name}\n\n| catalog without | with | without | saved | pattern |\n|---|---:|---:|---:|---|");
        let row = |what: &str, (with, _, less, _): (f64, u64, f64, u64), source: &str| {
            println!("| {what} | {with:.4} | {less:.4} | {:.1}% | `{}` |", (1.0 - less / with) * 100.0, source.replace('|', "\\|"));
        };
        if !groups_only {
            for &i in &movable {
                row(&i.to_string(), in_turn(&patterns, &without(&[i]), engine, &hay, reps), &patterns[i].source);
            }
        }
        row(&format!("all {}", movable.len()), in_turn(&patterns, &without(&movable), engine, &hay, reps), "");
        let what = format!("the {} with a branch without literals", with_bare_branch.len());
        row(&what, in_turn(&patterns, &without(&with_bare_branch), engine, &hay, reps), "");
        let split = split_by_branch(&patterns, &movable);
        let (with, _, after, _) = in_turn(&patterns, &split, engine, &hay, reps);
        println!(
            "| none: all {} split by branch ({} patterns) | {with:.4} | {after:.4} | {:.1}% | |",
            movable.len(),
            split.len() - (patterns.len() - movable.len()),
            (1.0 - after / with) * 100.0
        );
        println!();
    }
}

/// `patterns` with each of `which` replaced by its top-level branches that have required
/// literals, one pattern each, and one pattern of the branches that have none: what the
/// engines would search if one pattern's branches could stand apart behind the literal stage.
fn split_by_branch(patterns: &[Pattern], which: &[usize]) -> Vec<Pattern> {
    let mut out = Vec::new();
    for (i, p) in patterns.iter().enumerate() {
        let Some(branches) = top_branches(p.hir()).filter(|_| which.contains(&i)) else {
            out.push(p.clone());
            continue;
        };
        let (with, bare): (Vec<_>, Vec<_>) = branches.iter().partition(|b| required_literals(b).is_some());
        out.extend(with.iter().map(|b| parse(&b.to_string()).expect("branch")));
        if !bare.is_empty() {
            let rest: Vec<String> = bare.iter().map(|b| b.to_string()).collect();
            out.push(parse(&rest.join("|")).expect("branches without literals"));
        }
    }
    out
}

/// Whether one of `p`'s top-level branches has no required literal (or `p` has one branch
/// and no literal).
fn has_bare_branch(p: &Pattern) -> bool {
    match top_branches(p.hir()) {
        Some(branches) => branches.iter().any(|b| required_literals(b).is_none()),
        None => required_literals(p.hir()).is_none(),
    }
}

/// The top-level branches of `hir`: those of an alternation, or, where the parser lifted a
/// prefix all branches share (`\b(?:a|b)` for `\ba|\bb`), that prefix before each branch.
fn top_branches(hir: &Hir) -> Option<Vec<Hir>> {
    match hir.kind() {
        HirKind::Alternation(branches) => Some(branches.clone()),
        HirKind::Concat(parts) => {
            let (last, prefix) = parts.split_last()?;
            let HirKind::Alternation(branches) = last.kind() else { return None };
            Some(branches.iter().map(|b| Hir::concat(prefix.iter().cloned().chain([b.clone()]).collect())).collect())
        }
        _ => None,
    }
}
