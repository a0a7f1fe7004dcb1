//! Where a catalog's scan time goes, pattern by pattern, in each engine.
//!
//! ```sh
//! cargo run --release -p logmedic-core --example catalog_profile -- CATALOG.tsv LOG [top] [reps] [set]
//! ```
//! `set` as the fifth argument prints the whole set's rows only (seconds, not minutes).
//! CATALOG.tsv as `bench/catalog-tsv.ts` writes it. The log is read into memory and searched
//! on one thread; times are the thread's CPU seconds (other processes on the machine do not
//! count), medians of `reps`. Prints markdown: the whole set with and without the literal
//! prefilter, then per pattern its own cost alone in each engine (no prefilter), its matching
//! lines and engine callbacks on this log, its required literals and the lines they let
//! through; and for the `top` costliest patterns, what the set costs without each.

use std::time::Instant;

use logmedic_core::internals::required_literals;
use logmedic_core::{parse_pattern as parse, Pattern};
use logmedic_core::{Database, EngineChoice};

use common::{median, thread_cpu_seconds as cpu_seconds};

mod common;

/// Search `hay` in 256 KiB line-aligned pieces as the scan does; (CPU seconds, matching
/// lines summed over patterns, callbacks).
fn search(db: &Database, hay: &[u8], reps: usize) -> (f64, u64, u64) {
    let mut searcher = db.searcher().expect("searcher");
    let (mut times, mut lines, mut calls) = (Vec::new(), 0, 0);
    for _ in 0..reps {
        let (mut l, mut c) = (0u64, 0u64);
        let mut last: Vec<usize> = vec![usize::MAX; db.len()];
        let t = cpu_seconds();
        for (start, piece) in common::pieces(hay) {
            searcher
                .search(piece, &mut |pid, at| {
                    c += 1;
                    // A callback's offset lies in its line: the line start identifies it.
                    let line = memchr::memrchr(b'\n', &hay[start..start + at])
                        .map_or(start, |i| start + i + 1);
                    if last[pid as usize] != line {
                        last[pid as usize] = line;
                        l += 1;
                    }
                })
                .expect("search");
        }
        times.push(cpu_seconds() - t);
        (lines, calls) = (l, c);
    }
    (median(times), lines, calls)
}

fn compile(patterns: &[Pattern], engine: EngineChoice, prefilter: bool) -> Option<Database> {
    Database::compile_with(patterns.to_vec(), engine, prefilter).ok()
}

/// Lines of `hay` that hold one of `literals` (ASCII-caselessly).
fn literal_lines(literals: &[Vec<u8>], hay: &[u8]) -> u64 {
    let ac = aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(literals)
        .unwrap();
    let (mut n, mut pos) = (0, 0);
    while let Some(m) = ac.find(aho_corasick::Input::new(hay).span(pos..hay.len())) {
        n += 1;
        pos = memchr::memchr(b'\n', &hay[m.end()..]).map_or(hay.len(), |i| m.end() + i + 1);
    }
    n
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: catalog_profile CATALOG.tsv LOG [top] [reps]");
        std::process::exit(2);
    }
    let sources = common::catalog_sources(&args[1]);
    let patterns: Vec<Pattern> = sources.iter().map(|s| parse(s).expect("pattern")).collect();
    let hay = std::fs::read(&args[2]).expect("read log");
    let top: usize = args.get(3).map_or(15, |s| s.parse().unwrap());
    let reps: usize = args.get(4).map_or(3, |s| s.parse().unwrap());
    let lines = bytecount::count(&hay, b'\n');
    let hs = logmedic_core::hyperscan_available();
    let engines: Vec<(EngineChoice, &str)> = if hs {
        vec![
            (EngineChoice::Hyperscan, "hyperscan"),
            (EngineChoice::Regex, "regex"),
        ]
    } else {
        vec![(EngineChoice::Regex, "regex")]
    };
    println!("# Catalog profile\n");
    println!("{} patterns; log {} ({:.1} MB, {lines} lines); one thread, in memory; CPU seconds, median of {reps}.\n", patterns.len(), args[2], hay.len() as f64 / 1e6);
    println!("## The whole set\n\n| engine | prefilter | compile s | search CPU s | MB/s | matching lines | callbacks | patterns behind the prefilter |\n|---|---|---:|---:|---:|---:|---:|---:|");
    let mut whole = Vec::new();
    for &(engine, name) in &engines {
        for prefilter in [false, true] {
            let t = Instant::now();
            let db = compile(&patterns, engine, prefilter).expect("compile the set");
            let compile_s = t.elapsed().as_secs_f64();
            let (cpu, l, c) = search(&db, &hay, reps);
            println!(
                "| {name} | {} | {compile_s:.3} | {cpu:.3} | {:.0} | {l} | {c} | {} |",
                if prefilter { "on" } else { "off" },
                hay.len() as f64 / cpu / 1e6,
                db.prefiltered().len()
            );
            if !prefilter {
                whole.push((engine, name, cpu));
            }
        }
    }
    // The regex engine's two stages apart: the patterns behind the prefilter alone, and
    // the rest (the engine's own DFA pass) alone.
    let (filtered, rest): (Vec<Pattern>, Vec<Pattern>) = patterns.iter().cloned().partition(|p| required_literals(p.hir()).is_some());
    for (what, set) in [("behind the prefilter", &filtered), ("left to the engine's DFAs", &rest)] {
        if let Some(db) = compile(set, EngineChoice::Regex, true) {
            let (cpu, l, _) = search(&db, &hay, reps);
            println!("\nregex, the {} patterns {what} alone: {cpu:.3} CPU s, {l} matching lines.", set.len());
        }
    }
    let all: Vec<Vec<u8>> = patterns
        .iter()
        .filter_map(|p| required_literals(p.hir()))
        .flatten()
        .collect();
    let t = cpu_seconds();
    let candidates = literal_lines(&all, &hay);
    println!(
        "\nThe prefilter's {} literals occur on {candidates} of {lines} lines; finding those lines alone: {:.3} CPU s.",
        all.len(),
        cpu_seconds() - t
    );
    // The patterns whose literals pass the most lines: where the prefilter is weakest.
    let mut passing: Vec<(u64, Vec<Vec<u8>>, usize)> = patterns
        .iter()
        .enumerate()
        .filter_map(|(i, p)| required_literals(p.hir()).map(|set| (literal_lines(&set, &hay), set, i)))
        .collect();
    passing.sort_unstable_by(|a, b| b.cmp(a));
    println!("\n## The patterns whose literals pass the most lines\n\n| # | lines with a literal | literals (the most passing first) | pattern |\n|---:|---:|---|---|");
    for (n, set, i) in passing.iter().take(top.max(10)) {
        let mut each: Vec<(u64, String)> = set.iter().map(|l| (literal_lines(std::slice::from_ref(l), &hay), String::from_utf8_lossy(l).into_owned())).collect();
        each.sort_unstable_by(|a, b| b.cmp(a));
        let shown: Vec<String> = each.iter().take(4).map(|(n, l)| format!("`{}` {n}", l.replace('|', "\\|").replace('`', "'"))).collect();
        let more = if set.len() > 4 { format!(" +{}", set.len() - 4) } else { String::new() };
        println!("| {i} | {n} | {}{more} | `{}` |", shown.join(", "), patterns[*i].source.replace('|', "\\|").replace('`', "'"));
    }
    if args.get(5).is_some_and(|a| a == "set") {
        return;
    }
    println!("\n## Each pattern alone (engine without prefilter)\n");
    print!("| # | pattern |");
    for (_, name, _) in &whole {
        print!(" {name} CPU s |");
    }
    println!(" lines | callbacks | required literals | lines with a literal |");
    println!(
        "|---:|---|{}---:|---:|---|---:|",
        "---:|".repeat(whole.len())
    );
    let mut own: Vec<(f64, usize)> = Vec::new();
    for (i, p) in patterns.iter().enumerate() {
        let mut row = format!(
            "| {i} | `{}` |",
            p.source.replace('|', "\\|").replace('`', "'")
        );
        let (mut l, mut c, mut worst) = (0, 0, 0.0f64);
        for &(engine, _, _) in &whole {
            match compile(std::slice::from_ref(p), engine, false) {
                Some(db) => {
                    let (cpu, lines, calls) = search(&db, &hay, reps);
                    (l, c) = (lines, calls);
                    worst = worst.max(cpu);
                    row += &format!(" {cpu:.4} |");
                }
                None => row += " n/a |",
            }
        }
        let lits = required_literals(p.hir());
        let (shown, through) = match &lits {
            Some(set) => {
                let text: Vec<String> = set
                    .iter()
                    .take(6)
                    .map(|s| {
                        String::from_utf8_lossy(s)
                            .replace('|', "\\|")
                            .replace('`', "'")
                    })
                    .collect();
                let more = if set.len() > 6 {
                    format!(" +{}", set.len() - 6)
                } else {
                    String::new()
                };
                (
                    format!("`{}`{more}", text.join("` `")),
                    literal_lines(set, &hay).to_string(),
                )
            }
            None => (
                "(none: served by the engine)".to_string(),
                "all".to_string(),
            ),
        };
        // The prefilter must find exactly the engine's lines.
        let filtered = compile(std::slice::from_ref(p), EngineChoice::Regex, true)
            .map_or(0, |db| search(&db, &hay, 1).1);
        let check = if filtered == l {
            String::new()
        } else {
            format!(" **prefilter finds {filtered}**")
        };
        println!("{row} {l}{check} | {c} | {shown} | {through} |");
        own.push((worst, i));
    }
    own.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap());
    println!(
        "\n## The set without one of its {top} costliest patterns (engine without prefilter)\n"
    );
    print!("| # | pattern |");
    for (_, name, cpu) in &whole {
        print!(" {name} without (all: {cpu:.3}) |");
    }
    println!("\n|---:|---|{}", "---:|".repeat(whole.len()));
    for &(_, i) in own.iter().take(top) {
        let rest: Vec<Pattern> = patterns
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, p)| p.clone())
            .collect();
        let mut row = format!(
            "| {i} | `{}` |",
            patterns[i].source.replace('|', "\\|").replace('`', "'")
        );
        for &(engine, _, _) in &whole {
            let db = compile(&rest, engine, false).expect("compile");
            row += &format!(" {:.3} |", search(&db, &hay, reps).0);
        }
        println!("{row}");
    }
}
