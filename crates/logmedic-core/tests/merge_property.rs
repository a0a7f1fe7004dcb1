//! One answer however the input is cut: for random small catalogs and random inputs made of
//! realistic pieces (headers, tracebacks, JSON lines, CRLF, blank lines), the analysis is the
//! same whether the input is analyzed whole, in random chunk sizes, as random byte ranges
//! merged in any order, as several files merged, or fed in slices the way the watch's
//! follower feeds a growing file (cut where the core says the last record starts).

use std::io::Write;

use logmedic_core::internals::{boundary_at_or_after, Edge};
use logmedic_core::{analyze, analyze_range, last_record_start, merge_in_order, Analysis, Control, Partial, RecordSpec, Database, EngineChoice, ScanOptions, Source};

/// A small deterministic generator (xorshift64*), so a failure can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Patterns a catalog is drawn from: failures as runtimes and services write them.
const POOL: &[&str] = &[
    r"(?i)\bout of memory\b",
    r"\bMemoryError\b",
    r"^(ValueError|KeyError):",
    r"Connection refused|ECONNREFUSED",
    r"No space left on device",
    r"^panic: |panicked at",
    r"\bERROR\b",
    r"(?i)timed? ?out",
    r"\bException\b",
    r"permission denied",
    r"Traceback \(most recent call last\)",
    r"level=error",
];

/// Random line pieces; `{n}` is replaced with a number so messages vary.
fn piece(rng: &mut Rng, minute: &mut u32) -> String {
    *minute += rng.below(3) as u32;
    let t = format!("2025-05-17 10:{:02}:{:02}", (*minute / 60) % 60, *minute % 60);
    let n = rng.below(1000);
    let eol = if rng.below(6) == 0 { "\r\n" } else { "\n" };
    let lines: Vec<String> = match rng.below(11) {
        0 => vec![format!("{t} INFO worker {n} started")],
        1 => vec![format!("{t} ERROR Out of memory in batch {n}")],
        2 => vec![
            format!("{t} - app - ERROR - processing failed for job {n}"),
            "Traceback (most recent call last):".into(),
            format!("  File \"src/app/job.py\", line {}, in run", 10 + n % 7),
            "    result = model(batch)".into(),
            if n % 2 == 0 { "MemoryError: out of memory".into() } else { format!("ValueError: bad value {n}") },
        ],
        3 => vec![format!("{{\"time\":\"2025-05-17T10:{:02}:00Z\",\"level\":\"error\",\"msg\":\"write failed: No space left on device ({n})\"}}", *minute % 60)],
        4 => vec![format!("{{\"time\":\"2025-05-17T10:{:02}:00Z\",\"level\":\"error\",\"exc_info\":\"Traceback (most recent call last):\\n  File \\\"a.py\\\", line {n}, in f\\nKeyError: 'k{n}'\"}}", *minute % 60)],
        5 => vec![String::new()],
        6 => vec![format!("time=\"2025-05-17T10:{:02}:00Z\" level=error msg=\"dial tcp 10.0.0.{}:5432: connect: connection refused\"", *minute % 60, n % 255)],
        7 => vec![
            format!("panic: runtime error: index out of range [{n}]"),
            String::new(),
            "goroutine 1 [running]:".into(),
            "main.main()".into(),
            format!("\t/app/main.go:{} +0x1d", n % 90),
        ],
        8 => vec![
            format!("{t} ERROR java.net.ConnectException: Connection refused (attempt {n})"),
            "\tat com.acme.Client.call(Client.java:42)".into(),
            "\tat com.acme.Main.main(Main.java:7)".into(),
        ],
        9 => vec![format!("{t} WARN open /var/lib/x/{n}: permission denied")],
        _ => vec![format!("plain line {n} with no header")],
    };
    lines.iter().map(|l| format!("{l}{eol}")).collect()
}

fn random_input(rng: &mut Rng) -> Vec<u8> {
    let mut minute = 0;
    let mut out = String::new();
    for _ in 0..(20 + rng.below(400)) {
        out.push_str(&piece(rng, &mut minute));
    }
    if rng.below(3) == 0 {
        out.truncate(out.trim_end_matches(['\n', '\r']).len()); // no final line break
    }
    out.into_bytes()
}

fn random_catalog(rng: &mut Rng) -> (Database, RecordSpec) {
    let count = 2 + rng.below(POOL.len() - 1);
    let mut sources: Vec<&str> = Vec::new();
    while sources.len() < count {
        let p = *rng.pick(POOL);
        if !sources.contains(&p) {
            sources.push(p);
        }
    }
    let types = 1 + rng.below(5);
    let pattern_type: Vec<u32> = sources.iter().map(|_| rng.below(types) as u32).collect();
    let priority: Vec<i32> = sources.iter().map(|_| rng.below(4) as i32 * 10).collect();
    // The error-level trigger after the catalog: error lines no pattern matched are mined
    // into the analysis's unrecognised templates, which must merge like the rest.
    sources.push(logmedic_core::ERROR_LEVEL_TRIGGER);
    let db = Database::from_sources(&sources, EngineChoice::Regex).unwrap();
    let mut spec = RecordSpec::new(pattern_type, priority, types);
    spec.unrecognised = true;
    spec.max_samples = rng.below(6);
    spec.year = 2025.into();
    (db, spec)
}

/// Everything an analysis says, in a fixed order. `offsets`: whether record offsets count
/// (a slice fed on its own numbers its bytes from the slice's start).
fn canonical(a: &Analysis, offsets: bool) -> String {
    let mut out = format!("records {}\n", a.records);
    let u = a.unrecognised.clone().templates();
    out.push_str(&format!("unrecognised {} lines, {} others\n", u.lines, u.others));
    for t in &u.templates {
        out.push_str(&format!(" {} {:?} {} {:?} {:?} {:?} {:?}\n", t.id, t.tokens, t.count, t.first, t.last, t.example, t.levels.names()));
    }
    for (i, t) in a.types.iter().enumerate() {
        let mut shapes: Vec<_> = t.shapes.iter().map(|(k, s)| (s.first_seen, k, s.count, &s.example, s.example_truncated)).collect();
        shapes.sort();
        let mut frames: Vec<_> = t.frames.iter().map(|(f, c)| (format!("{f:?}"), *c)).collect();
        frames.sort();
        let mut minutes: Vec<_> = t.minutes.iter().collect();
        minutes.sort();
        let samples: Vec<_> = t
            .samples
            .iter()
            .map(|r| (r.file, r.line, r.end_line, if offsets { r.offset } else { 0 }, r.pattern, &r.matched, &r.message, &r.text, r.time, format!("{:?}{:?}{:?}", r.frames, r.exception, r.objects)))
            .collect();
        out.push_str(&format!(
            "type {i}: {} first {:?} last {:?} other {}\n shapes {shapes:?}\n frames {frames:?}\n minutes {minutes:?}\n samples {samples:?}\n",
            t.count, t.first, t.last, t.other_shapes
        ));
    }
    out
}

/// Record starts of `input`, by the core's own rule: where a follower may cut.
fn record_starts(input: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    let mut at = 0;
    while let Some(nl) = memchr(b'\n', &input[at..]) {
        let line = at + nl + 1;
        if line >= input.len() {
            break;
        }
        if let Edge::At(p) = boundary_at_or_after(input, line, true) {
            if p == line {
                starts.push(p);
            }
        }
        at = line;
    }
    starts
}

fn memchr(b: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&c| c == b)
}

/// `n` random cut points of `0..=len`, sorted, with 0 and `len` at the ends.
fn cuts(rng: &mut Rng, len: usize, n: usize, from: &[usize]) -> Vec<usize> {
    let mut points: Vec<usize> = (0..n).map(|_| if from.is_empty() { rng.below(len + 1) } else { *rng.pick(from) }).collect();
    points.push(0);
    points.push(len);
    points.sort();
    points.dedup();
    points
}

fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        items.swap(i, rng.below(i + 1));
    }
}

#[test]
fn whole_chunked_ranged_several_files_and_watch_slices_give_one_answer() {
    let dir = tempfile::tempdir().unwrap();
    let control = Control::new();
    let (mut with_records, mut with_samples) = (0, 0);
    for seed in 1..=200u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let (db, spec) = random_catalog(&mut rng);
        let input = random_input(&mut rng);
        let one_thread = ScanOptions { threads: 1, ..ScanOptions::default() };
        let (whole_scan, whole) = analyze(Source::Memory(&input), &db, &spec, &one_thread, &control).unwrap();
        let expected = canonical(&whole, true);
        with_records += usize::from(whole.records > 0);
        with_samples += usize::from(whole.types.iter().any(|t| t.samples.len() > 1));
        let ctx = |what: &str| format!("seed {seed}, {what}: {} bytes", input.len());

        // Random chunk sizes, on two threads.
        for _ in 0..3 {
            let opts = ScanOptions { threads: 2, chunk_bytes: 1 + rng.below(input.len().max(2)), ..ScanOptions::default() };
            let (_, chunked) = analyze(Source::Memory(&input), &db, &spec, &opts, &control).unwrap();
            assert_eq!(canonical(&chunked, true), expected, "{}", ctx(&format!("chunks of {}", opts.chunk_bytes)));
        }

        // Random byte ranges of the file, merged in shuffled order.
        let path = dir.path().join(format!("in-{seed}.log"));
        std::fs::File::create(&path).unwrap().write_all(&input).unwrap();
        for _ in 0..3 {
            let n = rng.below(8);
            let points = cuts(&mut rng, input.len(), n, &[]);
            let mut partials: Vec<Partial> = points
                .windows(2)
                .map(|w| {
                    let source = Source::open(&path, rng.below(2) == 0).unwrap();
                    let (scan, a) = analyze_range(source, &db, &spec, &one_thread, w[0] as u64, w[1] as u64, &control).unwrap();
                    Partial::of_range(scan, a, 0, w[0] as u64, w[1] as u64, &spec, 0)
                })
                .collect();
            shuffle(&mut rng, &mut partials);
            let merged = merge_in_order(partials).unwrap().unwrap();
            let (scan, a) = merged.into_result(&db);
            assert_eq!((scan.bytes, scan.lines), (whole_scan.bytes, whole_scan.lines), "{}", ctx(&format!("ranges {points:?}")));
            assert_eq!(canonical(&a, true), expected, "{}", ctx(&format!("ranges {points:?}")));
        }

        // Cut at record starts into several files, each analyzed whole, merged (through the
        // serialized form): the same records, numbered per file.
        let starts = record_starts(&input);
        let n = 1 + rng.below(3);
        let points = cuts(&mut rng, input.len(), n, &starts);
        let fingerprint = logmedic_core::partial_fingerprint(&db, &spec);
        let parts: Vec<Partial> = points
            .windows(2)
            .enumerate()
            .map(|(i, w)| {
                let (scan, a) = analyze(Source::Memory(&input[w[0]..w[1]]), &db, &spec, &one_thread, &control).unwrap();
                let p = Partial::of_range(scan, a, i as u32, 0, (w[1] - w[0]) as u64, &spec, 0);
                Partial::decode(&p.encode(fingerprint), fingerprint).unwrap()
            })
            .collect();
        let file_lines: Vec<u64> = parts.iter().map(|p| p.files[0].lines).collect();
        let (_, mut several) = merge_in_order(parts).unwrap().unwrap().into_result(&db);
        // Back to one file's numbering: file i's lines follow the lines of files before it.
        let base = |f: u32| file_lines[..f as usize].iter().sum::<u64>();
        for t in &mut several.types {
            for r in t.first.iter_mut().chain(t.last.iter_mut()) {
                r.line += base(r.file);
                r.file = 0;
            }
            for s in t.shapes.values_mut() {
                s.first_seen = (0, s.first_seen.1 + base(s.first_seen.0));
            }
            for r in &mut t.samples {
                let b = base(r.file);
                (r.line, r.end_line, r.file) = (r.line + b, r.end_line + b, 0);
            }
        }
        let (shapes, lines, others, limit) = several.unrecognised.numbered_parts();
        let shapes = shapes
            .iter()
            .cloned()
            .map(|mut s| {
                for seen in [&mut s.first, &mut s.last] {
                    (seen.line, seen.file) = (seen.line + base(seen.file), 0);
                }
                s
            })
            .collect();
        several.unrecognised = logmedic_core::TemplatePartial::from_numbered_parts(shapes, lines, others, limit);
        assert_eq!(canonical(&several, false), canonical(&whole, false), "{}", ctx(&format!("files cut at {points:?}")));

        // Slices as a follower feeds them: bytes arrive in random pieces; everything before
        // the last record's start (`record::last_record_start`) is handed on, the rest held
        // until more arrives or the file ends. Each slice is analyzed on its own and folded
        // in order as the next range of the file.
        let mut slices: Vec<Partial> = Vec::new();
        let mut cuts_made = Vec::new();
        let (mut held_from, mut read) = (0usize, 0usize);
        let mut hand_on = |from: usize, to: usize| {
            let (scan, a) = analyze(Source::Memory(&input[from..to]), &db, &spec, &one_thread, &control).unwrap();
            slices.push(Partial::of_range(scan, a, 0, from as u64, to as u64, &spec, 0));
        };
        while read < input.len() {
            read = (read + 1 + rng.below(400)).min(input.len());
            let pending = &input[held_from..read];
            let complete = pending.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let cut = last_record_start(pending).unwrap_or(complete);
            if cut > 0 {
                hand_on(held_from, held_from + cut);
                cuts_made.push(held_from + cut);
                held_from += cut;
            }
        }
        if held_from < input.len() {
            hand_on(held_from, input.len());
        }
        let (scan, fed) = slices.into_iter().reduce(Partial::merge).unwrap().into_result(&db);
        assert_eq!(scan.lines, whole_scan.lines);
        assert_eq!(canonical(&fed, false), canonical(&whole, false), "{}", ctx(&format!("slices cut at {cuts_made:?}")));
    }
    // The inputs are not trivially empty of failures.
    assert!(with_records > 150 && with_samples > 100, "{with_records} inputs with records, {with_samples} with samples");
}
