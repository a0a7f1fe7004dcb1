//! Measures what the analysis adds to a bare scan, in process, on one file and one engine.
//!
//! ```sh
//! cargo run --release -p logmedic-core --example analyze_bench -- CATALOG.tsv LOG [mode] [reps] [threads]
//! ```
//! CATALOG.tsv: one pattern a line, `type<TAB>own priority (or empty)<TAB>type priority<TAB>pattern`
//! (the catalog as the LogAnalyzer compiles it; `bench/catalog-tsv.ts` writes it). Modes:
//! - `ab` (default): bare `scan` and full `analyze` interleaved, `reps` times each; medians
//!   of wall time and of the process's CPU time.
//! - `records`: only the record work (`analyze_chunk`, one thread), timed chunk by chunk
//!   right after each chunk is searched (thread CPU time), `reps` times; median per record.
//! - `records-only`: as `records`, but every chunk is searched once first; then only the
//!   record work runs, `reps` times over all chunks (for a profile with nothing else in it).
//! - `mining`: `analyze` without and with the unrecognised-line mining (the error-level
//!   trigger in the database, error lines no record covers mined), interleaved, `reps` times
//!   each; medians of wall time and of the process's CPU time.
//! - `dump`: the whole analysis as text (sorted), to compare outputs before and after a change.

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use logmedic_core::internals::{analyze_chunk, boundary_at_or_after, Edge, LineMatch, Searcher};
use logmedic_core::{Analysis, Control, Database, EngineChoice, RecordSpec, ScanOptions, Source};

use common::median;

mod common;

/// CPU seconds used so far by this thread (`thread`) or the whole process.
fn cpu_seconds(thread: bool) -> f64 {
    if thread {
        common::thread_cpu_seconds()
    } else {
        common::process_cpu_seconds()
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: analyze_bench CATALOG.tsv LOG [ab|records|records-only|mining|dump] [reps] [threads]");
        std::process::exit(2);
    }
    let catalog = std::fs::read_to_string(&args[1]).expect("read catalog");
    let (mut types, mut prios, mut sources) = (Vec::new(), Vec::new(), Vec::new());
    for line in catalog.lines().filter(|l| !l.is_empty()) {
        let mut it = line.splitn(4, '\t');
        types.push(it.next().unwrap().parse::<u32>().unwrap());
        let own = it.next().unwrap();
        let type_priority = it.next().unwrap().parse::<i32>().unwrap();
        prios.push(logmedic_core::precedence(own.parse::<i32>().ok(), type_priority));
        sources.push(it.next().unwrap().to_string());
    }
    let ntypes = *types.iter().max().unwrap() as usize + 1;
    let mode = args.get(3).map_or("ab", String::as_str);
    let reps: usize = args.get(4).map_or(7, |s| s.parse().unwrap());
    let threads: usize = args.get(5).map_or(2, |s| s.parse().unwrap());
    let mut spec = RecordSpec::new(types, prios, ntypes);
    spec.max_samples = 5;
    spec.year = 2025.into();
    let engine = if std::env::var("ENGINE").as_deref() == Ok("regex") { EngineChoice::Regex } else { EngineChoice::Hyperscan };
    // As the binding compiles them: the bare scan gets the catalog, the analysis the catalog
    // and the embedded-text trigger.
    let db = Database::from_sources(&sources, engine).expect("compile");
    spec.embedded = std::env::var("EMBEDDED").as_deref() != Ok("0");
    let mut with_trigger = sources.clone();
    if spec.embedded {
        with_trigger.push(logmedic_core::EMBEDDED_TRIGGER.to_string());
    }
    let adb = Database::from_sources(&with_trigger, engine).expect("compile");
    if std::env::var("FALLBACKS").is_ok() {
        eprintln!("fallbacks: {:?}", adb.fallbacks());
    }
    let opts = ScanOptions { threads, max_hits: 0, ..ScanOptions::default() };
    let path = std::path::Path::new(&args[2]);
    match mode {
        "ab" => {
            let (mut scan_t, mut an_t) = (Vec::new(), Vec::new());
            let (mut scan_cpu, mut an_cpu) = (Vec::new(), Vec::new());
            let mut records = 0;
            // TRIGGER_IN_SCAN=1: the bare scan gets the analysis's database (with the trigger),
            // to tell what the trigger costs the search from what the records cost.
            let db = if std::env::var("TRIGGER_IN_SCAN").as_deref() == Ok("1") { &adb } else { &db };
            logmedic_core::scan(Source::open(path, true).unwrap(), db, &opts, &Control::new()).unwrap(); // warm the cache
            for _ in 0..reps {
                let (t, c) = (Instant::now(), cpu_seconds(false));
                logmedic_core::scan(Source::open(path, true).unwrap(), db, &opts, &Control::new()).unwrap();
                scan_t.push(t.elapsed().as_secs_f64());
                scan_cpu.push(cpu_seconds(false) - c);
                let (t, c) = (Instant::now(), cpu_seconds(false));
                let (_, a) = logmedic_core::analyze(Source::open(path, true).unwrap(), &adb, &spec, &opts, &Control::new()).unwrap();
                an_t.push(t.elapsed().as_secs_f64());
                an_cpu.push(cpu_seconds(false) - c);
                records = a.records;
            }
            let (s, a) = (median(scan_t), median(an_t));
            println!(
                "engine {} threads {threads} records {records}: scan {s:.3} s, analyze {a:.3} s, ratio {:.3}, {:.2} us CPU per record beyond the scan",
                db.engine_name(),
                a / s,
                (a - s) * threads as f64 / records as f64 * 1e6
            );
            let (s, a) = (median(scan_cpu), median(an_cpu));
            println!("  CPU time (all threads): scan {s:.3} s, analyze {a:.3} s, ratio {:.3}", a / s);
        }
        "mining" => {
            let mut mining = spec.clone();
            mining.unrecognised = true;
            let mut sources = with_trigger.clone();
            // ERROR_TRIGGER: another trigger to compare (what each form of it costs the search).
            sources.push(std::env::var("ERROR_TRIGGER").unwrap_or_else(|_| logmedic_core::ERROR_LEVEL_TRIGGER.to_string()));
            let mdb = Database::from_sources(&sources, engine).expect("compile");
            let run = |db: &Database, spec: &RecordSpec| {
                let (t, c) = (Instant::now(), cpu_seconds(false));
                let (_, a) = logmedic_core::analyze(Source::open(path, true).unwrap(), db, spec, &opts, &Control::new()).unwrap();
                (t.elapsed().as_secs_f64(), cpu_seconds(false) - c, a.unrecognised.lines())
            };
            run(&adb, &spec); // warm the cache
            let (mut off, mut on, mut mined) = ((Vec::new(), Vec::new()), (Vec::new(), Vec::new()), 0);
            for _ in 0..reps {
                let (t, c, _) = run(&adb, &spec);
                off.0.push(t);
                off.1.push(c);
                let (t, c, n) = run(&mdb, &mining);
                on.0.push(t);
                on.1.push(c);
                mined = n;
            }
            let (a, b) = (median(off.0), median(on.0));
            println!("engine {} threads {threads}, {mined} unrecognised lines mined: wall without {a:.3} s, with {b:.3} s, ratio {:.3}", adb.engine_name(), b / a);
            let (a, b) = (median(off.1), median(on.1));
            println!("  CPU time (all threads): without {a:.3} s, with {b:.3} s, ratio {:.3}", b / a);
        }
        "records" | "records-only" => {
            // Chunks as the scan cuts them (at record boundaries, 8 MiB): each is searched,
            // then its records are grouped and folded, timed alone, while it is still cached.
            // `records-only` searches every chunk once, up front, and times the record work alone.
            let bytes = std::fs::read(path).unwrap();
            let mut searcher = adb.searcher().unwrap();
            let mut chunks = Vec::new();
            let mut from = 0usize;
            while from < bytes.len() {
                let want = (from + (8 << 20)).min(bytes.len());
                let line_start = memchr::memrchr(b'\n', &bytes[..want]).map_or(want, |i| i + 1).max(from + 1).min(bytes.len());
                let to = match boundary_at_or_after(&bytes, line_start, true) {
                    Edge::At(p) if p > from => p,
                    _ => bytes.len(),
                };
                chunks.push((from, to));
                from = to;
            }
            let searched: Vec<Vec<LineMatch>> = if mode == "records-only" {
                chunks.iter().map(|&(from, to)| collect_matches(&mut searcher, &bytes[from..to], adb.len())).collect()
            } else {
                Vec::new()
            };
            let mut times = Vec::new();
            let (mut records, mut nmatches) = (0, 0);
            for _ in 0..reps {
                let full: Vec<AtomicBool> = (0..ntypes).map(|_| AtomicBool::new(false)).collect();
                let mut elapsed = 0.0;
                records = 0;
                nmatches = 0;
                for (i, &(from, to)) in chunks.iter().enumerate() {
                    let chunk = &bytes[from..to];
                    let mut matches = match searched.get(i) {
                        Some(m) => m.clone(),
                        None => collect_matches(&mut searcher, chunk, adb.len()),
                    };
                    nmatches += matches.len();
                    // Thread CPU time: what other processes take of the cores is not counted.
                    let t = cpu_seconds(true);
                    let a = analyze_chunk(chunk, from as u64, &mut matches, &spec, &full, &mut searcher);
                    elapsed += cpu_seconds(true) - t;
                    records += a.records;
                    // As the merger does: once a type has its samples, later chunks only count.
                    for (t, agg) in a.types.iter().enumerate() {
                        if agg.samples.len() >= spec.max_samples {
                            full[t].store(true, std::sync::atomic::Ordering::Relaxed);
                        }
                    }
                }
                times.push(elapsed);
            }
            let t = median(times);
            println!("{nmatches} matches, {records} records: record work {t:.3} s, {:.2} us per record", t / records as f64 * 1e6);
        }
        "dump" => {
            let opts = ScanOptions { threads, max_hits: 0, chunk_bytes: std::env::var("CHUNK").map_or(0, |s| s.parse().unwrap()), ..ScanOptions::default() };
            let (_, a) = logmedic_core::analyze(Source::open(path, true).unwrap(), &adb, &spec, &opts, &Control::new()).unwrap();
            dump(&a);
        }
        _ => {
            eprintln!("unknown mode {mode}");
            std::process::exit(2);
        }
    }
}

/// The matching lines of `buf` as the scan reports them: one per pattern and line.
fn collect_matches(searcher: &mut Searcher<'_>, buf: &[u8], patterns: usize) -> Vec<LineMatch> {
    let mut matches = Vec::new();
    let mut last = vec![u64::MAX; patterns];
    let (mut line, mut line_start, mut scanned) = (0u64, 0usize, 0usize);
    searcher
        .search(buf, &mut |pid, at| {
            // Line number and start of `at` (matches come in order).
            line += bytecount::count(&buf[scanned..at], b'\n') as u64;
            if let Some(i) = memchr::memrchr(b'\n', &buf[scanned..at]) {
                line_start = scanned + i + 1;
            }
            scanned = at;
            if last[pid as usize] != line {
                last[pid as usize] = line;
                matches.push(LineMatch { line, start: line_start, pattern: pid });
            }
        })
        .unwrap();
    matches
}

fn dump(a: &Analysis) {
    println!("records {}", a.records);
    for (i, t) in a.types.iter().enumerate().filter(|(_, t)| t.count > 0) {
        println!("type {i} count {} first {:?} last {:?} other_shapes {}", t.count, t.first, t.last, t.other_shapes);
        let mut shapes: Vec<_> = t.shapes.iter().collect();
        shapes.sort_by(|a, b| (a.1.first_seen, a.0).cmp(&(b.1.first_seen, b.0)));
        for (k, s) in shapes {
            println!("  shape {k:?} {} {:?} {:?}", s.count, s.example, s.first_seen);
        }
        let mut frames: Vec<_> = t.frames.iter().collect();
        frames.sort_by(|a, b| format!("{:?}", a.0).cmp(&format!("{:?}", b.0)));
        for (f, c) in frames {
            println!("  frame {f:?} {c}");
        }
        let mut minutes: Vec<_> = t.minutes.iter().collect();
        minutes.sort();
        println!("  minutes {minutes:?}");
        for r in &t.samples {
            println!("  sample {r:?}");
        }
    }
}
