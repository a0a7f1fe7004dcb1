//! genlog's own tests: determinism, exact size, and a ground truth checked against the
//! bytes by independent means (a line-by-line regex count, record-start rules).

use super::*;
use regex_automata::meta::Regex;

fn gen(size: u64, seed: u64, patch: impl FnOnce(&mut GenOptions)) -> (Vec<u8>, GroundTruth) {
    let mut o = GenOptions { size_bytes: size, seed, ..GenOptions::default() };
    patch(&mut o);
    let mut out = Vec::new();
    let truth = generate(&mut out, &o).unwrap();
    (out, truth)
}

fn lines(bytes: &[u8]) -> Vec<&str> {
    let text = std::str::from_utf8(bytes).expect("genlog writes UTF-8");
    text.strip_suffix('\n').unwrap_or(text).split('\n').collect()
}

fn bench_patterns() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../bench/patterns.txt");
    std::fs::read_to_string(path).unwrap().lines().filter(|l| !l.is_empty()).map(String::from).collect()
}

/// How a record starts, as a reader of the log would tell: a timestamped header in one of
/// the formats, or a raw runtime crash message at the start of a line.
fn record_start() -> Regex {
    Regex::new(concat!(
        r"^(\d{4}-\d\d-\d\d[ T]\d\d:\d\d|\{.ts.:|[A-Z][a-z]{2} [ \d]\d \d\d:|time=.|\d{4}/\d\d/\d\d |\d+:M \d\d |",
        r"10\.\d+\.\d+\.\d+ - - \[|panic: |fatal error: |FATAL ERROR: |Fatal Python error: |==\d+==ERROR: )"
    ))
    .unwrap()
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let (a, ta) = gen(300_000, 42, |_| {});
    let (b, tb) = gen(300_000, 42, |_| {});
    let (c, _) = gen(300_000, 43, |_| {});
    assert!(a == b, "same seed must give identical bytes");
    assert_eq!(ta, tb);
    assert!(a != c, "another seed must give other bytes");
}

#[test]
fn a_file_gets_the_same_bytes_as_a_writer() {
    // Larger than a few handoff buffers, so recycled buffers are exercised.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.log");
    let o = GenOptions { size_bytes: 21_000_000, seed: 9, ..GenOptions::default() };
    let mut calls = 0;
    let from_file = generate_file(&path, &o, &mut |_| {
        calls += 1;
        true
    })
    .unwrap();
    let (bytes, truth) = gen(o.size_bytes, o.seed, |_| {});
    assert!(std::fs::read(&path).unwrap() == bytes);
    assert_eq!(from_file, truth);
    assert!(calls >= 1);
    let missing = dir.path().join("no/such/dir/g.log");
    assert_eq!(generate_file(&missing, &o, &mut |_| true).unwrap_err().code, ErrorCode::NotFound);
}

#[test]
fn size_is_exact_and_lines_are_counted_like_wc() {
    for size in [0u64, 1, 2, 100, 255, 256, 257, 511, 512, 513, 1000, 4096, 12_345, 777_777] {
        let (out, t) = gen(size, size + 1, |o| o.count_patterns = vec!["ERROR".into()]);
        assert_eq!(out.len() as u64, size, "size {size}");
        assert_eq!(t.bytes, size);
        let newlines = out.iter().filter(|&&b| b == b'\n').count() as u64;
        assert_eq!(t.lines, newlines, "size {size}");
        if size > 0 {
            assert_eq!(*out.last().unwrap(), b'\n', "the last line ends with a newline");
        }
    }
}

#[test]
fn pattern_counts_equal_a_line_by_line_count() {
    // A high error rate so that every failure template is rendered many times, with
    // several seeds: slot values must never change which patterns a line matches.
    let patterns = bench_patterns();
    assert_eq!(patterns.len(), 20);
    let regexes: Vec<Regex> = patterns.iter().map(|p| Regex::new(p).unwrap()).collect();
    for seed in [1u64, 2, 3] {
        let (out, t) = gen(2_000_000, seed, |o| {
            o.error_rate = 0.3;
            o.near_miss_rate = 0.2;
            o.count_patterns = patterns.clone();
        });
        let mut counts = vec![0u64; patterns.len()];
        let mut any = 0;
        for line in lines(&out) {
            let mut hit = false;
            for (i, re) in regexes.iter().enumerate() {
                if re.is_match(line) {
                    counts[i] += 1;
                    hit = true;
                }
            }
            any += hit as u64;
        }
        let truth: Vec<u64> = t.patterns.iter().map(|p| p.lines).collect();
        assert_eq!(truth, counts, "seed {seed}");
        assert_eq!(t.any_pattern_lines, any, "seed {seed}");
        assert!(counts.iter().all(|&c| c > 0), "every bench pattern matches something: {counts:?}");
    }
}

/// The longest literal piece of a type's variants that no variant of another type contains.
fn signatures() -> Vec<Vec<(String, String)>> {
    let all = variants();
    let literals = |v: &VariantInfo| -> Vec<String> {
        v.lines
            .iter()
            .flat_map(|l| text::Template::parse(l).pieces)
            .filter_map(|p| match p {
                text::Piece::Lit { raw, .. } => Some(String::from_utf8(raw.to_vec()).unwrap()),
                _ => None,
            })
            .collect()
    };
    FailureType::ALL
        .iter()
        .map(|&ty| {
            all.iter()
                .filter(|v| v.ty == ty)
                .map(|v| {
                    let mut lits = literals(v);
                    lits.sort_by_key(|l| std::cmp::Reverse(l.len()));
                    let sig = lits
                        .into_iter()
                        .find(|l| {
                            l.trim().len() >= 12
                                && all.iter().filter(|o| o.ty != ty).all(|o| o.lines.iter().all(|ol| !ol.contains(l.as_str())))
                        })
                        .unwrap_or_else(|| panic!("a variant of {} has no distinctive text: {:?}", ty.name(), v.lines[0]));
                    let mut json = Vec::new();
                    text::json_escape(sig.as_bytes(), &mut json);
                    (sig, String::from_utf8(json).unwrap())
                })
                .collect()
        })
        .collect()
}

#[test]
fn first_lines_point_at_the_start_of_a_record_of_that_type() {
    let sigs = signatures();
    let start = record_start();
    let (out, t) = gen(3_000_000, 7, |o| o.error_rate = 0.1);
    let ls = lines(&out);
    let mut checked = 0;
    for tt in &t.types {
        assert_eq!(tt.records, tt.first_lines.len() as u64, "{}: all kept below the cap", tt.ty.name());
        for &n in &tt.first_lines {
            let i = (n - 1) as usize;
            assert!(start.is_match(ls[i]), "{} record at line {n} does not start a record: {:?}", tt.ty.name(), ls[i]);
            let end = (i + 1..ls.len()).find(|&j| start.is_match(ls[j])).unwrap_or(ls.len());
            let record = ls[i..end].join("\n");
            let own = &sigs[tt.ty.index()];
            assert!(
                own.iter().any(|(raw, json)| record.contains(raw.as_str()) || record.contains(json.as_str())),
                "line {n} is not a {} record:\n{record}",
                tt.ty.name()
            );
            checked += 1;
        }
    }
    // Every record start in the file is one record of the truth, failure or not.
    let starts = ls.iter().filter(|l| start.is_match(l)).count() as u64;
    assert_eq!(starts, t.records);
    assert!(checked as u64 == t.failure_records && checked > 1000);
}

#[test]
fn every_type_appears_in_5_mb_at_the_default_rate_and_near_misses_too() {
    let (out, t) = gen(5_000_000, 1, |_| {});
    for tt in &t.types {
        assert!(tt.records > 0, "{} missing", tt.ty.name());
    }
    let text = String::from_utf8(out).unwrap();
    for near in [
        "0 errors",
        "error_rate=0.0",
        "retrying connection to db:5432 (attempt 2/5) ... connected",
        "timeout=30",
        "Failures: 0, Errors: 0",
        "memory usage 45%",
        "disk check ok",
    ] {
        assert!(text.to_lowercase().contains(&near.to_lowercase()), "near-miss {near:?} missing");
    }
    assert!(t.near_miss_records > 100);
    let share = t.failure_records as f64 / t.records as f64;
    assert!((0.007..0.013).contains(&share), "failure share {share}");
}

#[test]
fn python_and_json_timestamps_only_move_forward() {
    let (out, _) = gen(1_000_000, 5, |_| {});
    let py = Regex::new(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - ").unwrap();
    let mut last = String::new();
    let mut seen = 0;
    for line in lines(&out) {
        let stamp = if py.is_match(line) {
            line[..23].replace(',', ".").replace(' ', "T")
        } else if let Some(rest) = line.strip_prefix("{\"ts\":\"") {
            rest[..23].to_string()
        } else {
            continue;
        };
        assert!(stamp >= last, "{stamp} after {last}");
        last = stamp;
        seen += 1;
    }
    assert!(seen > 1000);
}

#[test]
fn formats_restrict_what_is_written() {
    let (out, t) = gen(200_000, 3, |o| {
        o.formats = vec![Format::Postgres];
        o.error_rate = 0.2;
    });
    let pg = Regex::new(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC \[\d+\] [A-Z]+:  ").unwrap();
    assert!(lines(&out).iter().all(|l| pg.is_match(l)));
    let written: Vec<&str> = t.types.iter().filter(|t| t.records > 0).map(|t| t.ty.name()).collect();
    let expected: Vec<&str> = FailureType::ALL
        .iter()
        .filter(|ty| variants().iter().any(|v| v.ty == **ty && v.source == "postgres"))
        .map(|t| t.name())
        .collect();
    assert_eq!(written, expected);
}

#[test]
fn bad_options_are_errors_with_codes() {
    let mut out = Vec::new();
    let e = generate(&mut out, &GenOptions { error_rate: 1.5, ..GenOptions::default() }).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    let e = generate(&mut out, &GenOptions { count_patterns: vec!["a(".into()], ..GenOptions::default() }).unwrap_err();
    assert_eq!(e.code, ErrorCode::Pattern);
    assert!(e.message.contains("a("));
    assert!("xml".parse::<Format>().is_err());
    let mut n = 0;
    let e = generate_with(&mut out, &GenOptions { size_bytes: 200 << 20, ..GenOptions::default() }, &mut |_| {
        n += 1;
        false
    })
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Aborted);
    assert_eq!(n, 1);
}

#[test]
fn every_type_has_several_realistic_variants() {
    for ty in FailureType::ALL {
        let vs: Vec<_> = variants().into_iter().filter(|v| v.ty == ty).collect();
        assert!(vs.len() >= 3, "{} has only {} variants", ty.name(), vs.len());
        let mut sources: Vec<_> = vs.iter().map(|v| v.source).collect();
        sources.sort();
        sources.dedup();
        assert!(sources.len() >= 2, "{} comes from one kind of software only", ty.name());
    }
}

/// `cargo test -p logmedic-core --release --lib genlog::tests::print_catalog -- --ignored --nocapture`
/// prints the table of `bench/GENLOG.md`.
#[test]
#[ignore]
fn print_catalog() {
    // The line that names the failure: Python prints the outermost exception last, the JVM
    // and Node print it first.
    let exception = Regex::new(r"^(Caused by: )?[A-Za-z_][\w.$]*(Error|Exception|Warning|Exceeded|Expired|Detected)(\b|:)").unwrap();
    println!("| type | source | owning line (message) | the line that names the failure |\n|---|---|---|---|");
    for v in variants() {
        let first = v.lines.iter().find(|l| !l.is_empty()).unwrap();
        let named: Vec<&&str> = v.lines[1..].iter().filter(|l| exception.is_match(l)).collect();
        let key = if v.source == "python" { named.last() } else { named.first() };
        let cell = |s: &str| {
            let s = s.trim().replace('|', "\\|").replace('`', "'");
            let s = if s.chars().count() > 150 { format!("{}…", s.chars().take(150).collect::<String>()) } else { s };
            format!("`{s}`")
        };
        let key = key.map(|k| cell(k)).unwrap_or_default();
        let source = if v.bare { format!("{} (raw stderr)", v.source) } else { v.source.to_string() };
        let lines = if v.lines.len() > 1 { format!(" (+{} lines)", v.lines.len() - 1) } else { String::new() };
        println!("| {} | {} | {}{} | {} |", v.ty.name(), source, cell(first), lines, key);
    }
}

/// `cargo test -p logmedic-core --release --lib genlog::tests::write_sample -- --ignored`
/// writes `$GENLOG_SAMPLE` (default /tmp/genlog-sample.log) to look at.
#[test]
#[ignore]
fn write_sample() {
    let path = std::env::var("GENLOG_SAMPLE").unwrap_or_else(|_| "/tmp/genlog-sample.log".into());
    let size = std::env::var("GENLOG_SIZE").ok().and_then(|s| s.parse().ok()).unwrap_or(200_000);
    let t0 = std::time::Instant::now();
    let o = GenOptions { size_bytes: size, error_rate: 0.05, count_patterns: bench_patterns(), ..GenOptions::default() };
    let t = generate_file(Path::new(&path), &o, &mut |_| true).unwrap();
    eprintln!("{path}: {} bytes, {} lines, {:?}", t.bytes, t.lines, t0.elapsed());
}
