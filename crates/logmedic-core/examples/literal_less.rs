//! The catalog's patterns that have no required literal (none of 4+ bytes that every match
//! holds, as the prefilter reads them): the pure-Rust engine searches every line for them.
//! Lists them, and with a log measures what they cost the whole catalog, in each engine.
//!
//! ```sh
//! cargo run --release -p logmedic-core --example literal_less -- CATALOG.tsv [LOG [reps [groups|split]]]
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
//!
//! With `split`: the pure-Rust engine as it serves the catalog (each pattern without literals
//! of its own split into its top-level branches, see `LiteralPlan`) against one literal set
//! per pattern, in turn, with every (pattern, line) answer compared; and how many times a
//! pattern's regex meets a line: on the prefilter's candidate lines, and in the full scan.

use logmedic_core::internals::{literal_plan, required_literals, LiteralPlan};
use logmedic_core::{parse_pattern as parse, Database, EngineChoice, Pattern};
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
            let plan = literal_plan(patterns[i].hir());
            match &plan.literals {
                None => println!("\t  engine: the whole pattern"),
                Some(set) if plan.split => println!("\t  split: {} literal(s) for the branches with literals, the others to the engine", set.len()),
                Some(set) => println!("\t  prefilter: {} literal(s) of every branch", set.len()),
            }
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
    if args.get(4).is_some_and(|a| a == "split") {
        return split_in_turn(&patterns, &hay, reps);
    }
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

/// The regex engine with branches split against one literal set per pattern, `reps` times
/// in turn (CPU s medians), the answers of the two compared; then where the patterns' regexes
/// run under each.
fn split_in_turn(patterns: &[Pattern], hay: &[u8], reps: usize) {
    let split = Database::compile_with(patterns.to_vec(), EngineChoice::Regex, true).expect("compile split");
    let whole = Database::compile_unsplit(patterns.to_vec()).expect("compile unsplit");
    let pairs = |db: &Database| {
        let mut got = Vec::new();
        let mut searcher = db.searcher().expect("searcher");
        for (start, piece) in common::pieces(hay) {
            searcher
                .search(piece, &mut |pid, at| {
                    let line = memchr::memrchr(b'\n', &piece[..at]).map_or(start, |i| start + i + 1);
                    got.push((line, pid));
                })
                .expect("search");
        }
        let reported = got.len();
        got.sort_unstable();
        got.dedup();
        (got, reported)
    };
    let ((want, reported_whole), (got, reported_split)) = (pairs(&whole), pairs(&split));
    assert!(got == want, "the split engine answered differently: {} pairs against {}", got.len(), want.len());
    let (mut sw, mut ss) = (whole.searcher().expect("searcher"), split.searcher().expect("searcher"));
    let (mut tw, mut ts) = (Vec::new(), Vec::new());
    for _ in 0..reps {
        tw.push(common::search_once(&mut sw, hay).0);
        ts.push(common::search_once(&mut ss, hay).0);
    }
    let (tw, ts) = (common::median(tw), common::median(ts));
    println!(
        "{} patterns; {:.1} MB; one thread, 256 KiB pieces; CPU s, medians of {reps}, in turn. Answers identical: {} (pattern, line) pairs; reports {reported_whole} one set per pattern, {reported_split} split.\n",
        patterns.len(),
        hay.len() as f64 / 1e6,
        want.len()
    );
    println!("| pure-Rust engine | prefiltered patterns | in the full scan (split) | CPU s | saved |\n|---|---:|---:|---:|---:|");
    let plans: Vec<LiteralPlan> = patterns.iter().map(|p| literal_plan(p.hir())).collect();
    let unsplit: Vec<LiteralPlan> = patterns.iter().map(|p| LiteralPlan { literals: required_literals(p.hir()), split: false }).collect();
    let scanned = |plans: &[LiteralPlan]| plans.iter().filter(|p| p.literals.is_none() || p.split).count();
    let splits = plans.iter().filter(|p| p.split).count();
    println!("| one literal set per pattern | {} | {} (0) | {tw:.4} | |", whole.prefiltered().len(), scanned(&unsplit));
    println!("| top-level branches split | {} | {} ({splits}) | {ts:.4} | {:.1}% |", split.prefiltered().len(), scanned(&plans), (1.0 - ts / tw) * 100.0);
    let lines = bytecount::count(hay, b'\n') as u64;
    println!("\nA pattern's regex meets a line: in the prefilter, on each line holding one of its literals; in the full scan, on every line ({lines}).\n");
    println!("| pure-Rust engine | (pattern, candidate line) pairs in the prefilter | patterns × lines in the full scan |\n|---|---:|---:|");
    for (what, plans) in [("one literal set per pattern", &unsplit), ("top-level branches split", &plans)] {
        println!("| {what} | {} | {} |", candidate_pairs(plans, hay), scanned(plans) as u64 * lines);
    }
    println!("\nThe patterns whose plan differs, and the lines their literals let through:\n\n| # | plan | literals | candidate lines | most passing literals |\n|---:|---|---:|---:|---|");
    for (i, (plan, before)) in plans.iter().zip(&unsplit).enumerate().filter(|(_, (a, b))| a != b) {
        let Some(set) = &plan.literals else { continue };
        let one = |p: &LiteralPlan| candidate_pairs(std::slice::from_ref(p), hay);
        let mut each: Vec<(u64, String)> = set
            .iter()
            .map(|l| (one(&LiteralPlan { literals: Some(vec![l.clone()]), split: false }), String::from_utf8_lossy(l).into_owned()))
            .collect();
        each.sort_unstable_by(|a, b| b.cmp(a));
        let shown: Vec<String> = each.iter().take(3).map(|(n, l)| format!("`{}` {n}", l.replace('|', "\\|"))).collect();
        let what = if plan.split { "split" } else { "every branch" };
        debug_assert!(before.literals.is_none());
        println!("| {i} | {what} | {} | {} | {} |", set.len(), one(plan), shown.join(", "));
    }
}

/// (pattern, line) pairs where a line of `hay` holds one of the pattern's literals
/// (ASCII-caselessly): the lines its regex is run on behind the prefilter.
fn candidate_pairs(plans: &[LiteralPlan], hay: &[u8]) -> u64 {
    let mut literals: Vec<&[u8]> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    for (i, plan) in plans.iter().enumerate() {
        for lit in plan.literals.iter().flatten() {
            literals.push(lit);
            owner.push(i);
        }
    }
    let ac = aho_corasick::AhoCorasick::builder().ascii_case_insensitive(true).build(&literals).expect("automaton");
    let (mut pairs, mut seen) = (0u64, vec![usize::MAX; plans.len()]);
    let mut pos = 0;
    while let Some(m) = ac.find(aho_corasick::Input::new(hay).span(pos..hay.len())) {
        let start = memchr::memrchr(b'\n', &hay[..m.start()]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &hay[m.end()..]).map_or(hay.len(), |i| m.end() + i);
        for hit in ac.find_overlapping_iter(&hay[start..end]) {
            let p = owner[hit.pattern().as_usize()];
            if seen[p] != start {
                seen[p] = start;
                pairs += 1;
            }
        }
        pos = end + 1;
    }
    pairs
}
