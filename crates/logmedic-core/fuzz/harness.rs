//! Fuzz harnesses: one `fn(&[u8])` per parser of the core, each feeding it arbitrary bytes
//! and checking what must hold for any input (no panic, spans inside the input, the same
//! answer whole and in chunks). Shared by the seeded mutation run of `tests/fuzz.rs` (CI)
//! and the coverage-guided AFL targets of `fuzz/src/bin/` (long runs).

use std::io::Write;

use logmedic_core::internals::{self as internals, LineMatch};
use logmedic_core::{self as core, analyze, mine_buffer, Analysis, Control, Database, EngineChoice, MineOptions, RecordSpec, ScanOptions, Source};

/// The core's parsers by the module they live in, public or not.
mod fields {
    pub use super::core::{canonical_level, header, is_header, minute_iso, timestamp_at_start, YearRule, EMBEDDED_TRIGGER};
    pub use super::internals::{
        embedded_lines, embedded_pieces, exception, exception_in, expand_embedded, frames, frames_in, has_header_time, innermost, innermost_frame, objects,
        shape_bytes_into, split_lines, JsonPairs, SHAPE_BYTES,
    };
}
mod record {
    pub use super::internals::{group, last_boundary, line_at, trim_end};
}

pub type Harness = fn(&[u8]);

/// Every harness, by name: the name is the corpus folder and the AFL target.
pub const HARNESSES: &[(&str, Harness)] = &[
    ("time", time),
    ("json", json),
    ("header", header),
    ("embedded", embedded),
    ("frames", frames),
    ("objects", objects),
    ("shape", shape),
    ("group", group),
    ("analysis", analysis),
    ("template", template),
    ("gzip", gzip),
    ("zstd", zstd),
];

const YEAR: i32 = 2025;

fn lines(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    data.split(|&b| b == b'\n')
}

/// `fields/time.rs`: a timestamp read at a line's start ends inside the line, with a fixed year
/// and with the year taken from a reference moment (a file's modification time).
pub fn time(data: &[u8]) {
    // 2025-01-01T00:00:00Z: dates on either side of a New Year.
    let rules = [fields::YearRule::Fixed(YEAR), fields::YearRule::NotAfter(1_735_689_600_000)];
    for line in lines(data) {
        for rule in rules {
            if let Some((t, n)) = fields::timestamp_at_start(line, rule) {
                assert!(n <= line.len(), "timestamp ends at {n}, past the line ({} bytes)", line.len());
                let _ = t.iso();
                let _ = fields::minute_iso(t.minute());
            }
        }
    }
}

/// `fields/header.rs` JSON reader: the top-level pairs of a line that starts like a JSON
/// object, each key and value a piece of the line.
pub fn json(data: &[u8]) {
    for line in lines(data) {
        if line.first() != Some(&b'{') {
            continue;
        }
        for (key, value, _) in fields::JsonPairs::new(line) {
            assert!(key.len() + value.len() <= line.len(), "a pair longer than its line");
        }
    }
}

/// `fields/header.rs`: outside JSON, the message is what is left of the line once its
/// header is read (a suffix of it), the quick time test agrees with the full read, and a
/// line with a time is a header (a record start).
pub fn header(data: &[u8]) {
    for line in lines(data) {
        let h = fields::header(line, YEAR);
        let trimmed = record::trim_end(line);
        if line.first() != Some(&b'{') {
            if let Ok(text) = std::str::from_utf8(trimmed) {
                assert!(text.ends_with(&*h.message), "message {:?} is not a suffix of {text:?}", h.message);
            }
            assert_eq!(fields::has_header_time(line, YEAR), h.time.is_some(), "quick time test disagrees on {line:?}");
        }
        // A line the parser dates opens a record, unless it is indented (a continuation).
        if h.time.is_some() && !line.first().is_some_and(u8::is_ascii_whitespace) {
            assert!(fields::is_header(line), "a time is read on {line:?}, but it is no header");
        }
        let _ = fields::canonical_level(trimmed.get(..trimmed.len().min(8)).unwrap_or_default());
    }
}

/// `fields/embedded.rs`: text embedded in a JSON line is UTF-8, and the record read in pieces
/// (its first line, the kept embedded text, its other lines) gives what its expanded text does.
pub fn embedded(data: &[u8]) {
    let first = lines(data).next().unwrap_or_default();
    let mut text = Vec::new();
    if fields::embedded_lines(first, &mut text) {
        assert!(std::str::from_utf8(&text).is_ok(), "embedded text is not UTF-8");
        let pieces = fields::embedded_pieces(data, &text);
        let expanded = fields::expand_embedded(data);
        assert_eq!(pieces.join(&b'\n'), &*expanded);
        let (frames, lang) = fields::frames_in(&pieces);
        assert_eq!((frames, lang), fields::frames(&expanded));
        assert_eq!(fields::exception_in(&pieces, lang), fields::exception(&expanded, lang));
    }
    for line in fields::split_lines(data) {
        assert!(line.len() <= data.len());
    }
}

/// `fields/frames.rs`: the innermost frame alone is the one the full read picks.
pub fn frames(data: &[u8]) {
    let (all, lang) = fields::frames(data);
    let picked = fields::innermost(&all, lang).map(|i| all[i].clone());
    assert_eq!(fields::innermost_frame(data), picked);
    let _ = fields::exception(data, lang);
}

/// `fields/objects.rs`: the objects a record names, read with its header.
pub fn objects(data: &[u8]) {
    let head = fields::header(lines(data).next().unwrap_or_default(), YEAR);
    let o = fields::objects(data, &head);
    for p in &o.paths {
        assert!(!p.is_empty());
    }
}

/// `fields/shape.rs`: a message's shape is UTF-8 when the whole message was read (only the
/// cut of a longer one may split a character).
pub fn shape(data: &[u8]) {
    let message = String::from_utf8_lossy(data);
    let mut bytes = Vec::new();
    fields::shape_bytes_into(&message, &mut bytes);
    if message.len() <= fields::SHAPE_BYTES {
        assert!(std::str::from_utf8(&bytes).is_ok(), "shape of {message:?} is not UTF-8");
    }
}

/// `record::group`: records are in order, do not overlap, stay inside the input, and own every
/// match given (lines chosen from the input's own bytes, so that the fuzzer steers them).
pub fn group(data: &[u8]) {
    let mut matches = Vec::new();
    let (mut start, mut line) = (0usize, 0u64);
    while start <= data.len() {
        let (text, next) = record::line_at(data, start);
        if text.iter().any(|&b| b == b'!' || b == b'E') {
            matches.push(LineMatch { line, start, pattern: (text.len() % 3) as u32 });
        }
        if next >= data.len() {
            break;
        }
        (start, line) = (next, line + 1);
    }
    let groups = record::group(data, &matches);
    let mut floor = 0usize;
    let mut owned = 0usize;
    for g in &groups {
        assert!(floor <= g.start && g.start <= g.end && g.end <= data.len(), "record {g:?} outside [{floor}, {}]", data.len());
        assert!(g.first_line <= g.last_line);
        assert_eq!(g.first_end, g.start + record::line_at(data, g.start).0.len(), "first line's end of {g:?}");
        assert_eq!(g.matches.start, owned, "matches skipped before {g:?}");
        for m in &matches[g.matches.clone()] {
            assert!(g.start <= m.start && g.first_line <= m.line, "match {m:?} before its record {g:?}");
        }
        owned = g.matches.end;
        floor = g.end;
    }
    assert_eq!(owned, matches.len(), "matches left without a record");
    if let Some(b) = record::last_boundary(data) {
        assert!(b <= data.len());
    }
}

/// A small catalog of the shapes real records take: a refiner, an embedded-text trigger.
fn catalog() -> &'static (Database, RecordSpec) {
    static CATALOG: std::sync::OnceLock<(Database, RecordSpec)> = std::sync::OnceLock::new();
    CATALOG.get_or_init(|| {
        let patterns = [
            r"(?i)out of memory|OutOfMemoryError",
            r"^\w*Error:",
            r"CUDA error",
            r"(?i)connection refused",
            r"panicked at",
            r"in load_model",
            r"(?i)\bERROR\b",
            fields::EMBEDDED_TRIGGER,
        ];
        let db = Database::from_sources(&patterns, EngineChoice::Regex).expect("fuzz catalog compiles");
        let mut spec = RecordSpec::new(vec![0, 1, 2, 3, 4, 1, 5], vec![50, 20, 40, 30, 35, 60, 1], 6);
        spec.pattern_refines = vec![vec![], vec![], vec![], vec![], vec![], vec![1], vec![]];
        spec.embedded = true;
        spec.year = fields::YearRule::Fixed(YEAR);
        spec.max_samples = 3;
        (db, spec)
    })
}

fn run_analysis(data: &[u8], threads: usize, chunk_bytes: usize) -> Analysis {
    let (db, spec) = catalog();
    let opts = ScanOptions { threads, chunk_bytes, ..ScanOptions::default() };
    let (result, analysis) = analyze(Source::Memory(data), db, spec, &opts, &Control::new()).expect("analysis of bytes in memory");
    assert_eq!(result.bytes, data.len() as u64);
    analysis
}

/// What an analysis says, in a form two runs can be compared by.
fn summary(a: &Analysis) -> Vec<(u64, Option<u64>, Option<u64>, Vec<(String, u64)>, u64)> {
    a.types
        .iter()
        .map(|t| {
            let mut shapes: Vec<_> = t.shapes.iter().map(|(k, s)| (k.clone(), s.count)).collect();
            shapes.sort();
            (t.count, t.first.as_ref().map(|r| r.line), t.last.as_ref().map(|r| r.line), shapes, t.other_shapes)
        })
        .collect()
}

/// The analysis of a chunk (`analysis::analyze_chunk` through the scan): the same answer for
/// the input whole and cut in small chunks on two threads, and every sample inside it.
pub fn analysis(data: &[u8]) {
    let whole = run_analysis(data, 1, 0);
    let chunked = run_analysis(data, 2, 64);
    assert_eq!(whole.records, chunked.records, "records whole vs chunked");
    assert_eq!(summary(&whole), summary(&chunked), "summary whole vs chunked");
    let lines = data.split(|&b| b == b'\n').count() as u64;
    for t in &whole.types {
        for r in &t.samples {
            assert!(r.offset <= data.len() as u64 && 1 <= r.line && r.line <= r.end_line && r.end_line <= lines, "sample {r:?}");
        }
    }
}

/// `template/`: the templates mined on one thread and on three (line-aligned pieces, merged)
/// are the same, and every line of the input has its template.
pub fn template(data: &[u8]) {
    let opts = MineOptions { line_ids: true, errors_only: false, year: YEAR, range: Default::default() };
    let whole = mine_buffer(data, 0, 1, opts).templates();
    let split = mine_buffer(data, 0, 3, opts).templates();
    assert_eq!(whole, split, "templates whole vs in pieces");
    let ids = whole.line_ids.as_deref().unwrap_or_default();
    assert_eq!(ids.len() as u64, whole.lines);
    for t in &whole.templates {
        assert!(1 <= t.first.line && t.first.line <= t.last.line && t.last.line <= whole.lines, "template {t:?}");
    }
    assert!(ids.iter().flatten().all(|&i| (i as usize) < whole.templates.len()));
}

/// Everything a compressed source decodes to, or its error; never a panic.
fn decode(compressed: &[u8]) {
    let (db, spec) = catalog();
    let Ok(source) = Source::from_reader(Box::new(std::io::Cursor::new(compressed.to_vec()))) else { return };
    let opts = ScanOptions { threads: 1, ..ScanOptions::default() };
    let _ = analyze(source, db, spec, &opts, &Control::new());
}

/// The gzip source: the input as a gzip stream (the fuzzer mutates it), and the input
/// compressed, with the bytes after its end glued on.
pub fn gzip(data: &[u8]) {
    decode(data);
    let cut = data.len() / 2;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(&data[..cut]).unwrap();
    let mut packed = enc.finish().unwrap();
    packed.extend_from_slice(&data[cut..]);
    decode(&packed);
}

/// The zstd source, as [`gzip`].
pub fn zstd(data: &[u8]) {
    decode(data);
    let cut = data.len() / 2;
    let mut packed = zstd::stream::encode_all(&data[..cut], 1).unwrap();
    packed.extend_from_slice(&data[cut..]);
    decode(&packed);
}
