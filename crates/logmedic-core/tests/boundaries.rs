//! Exact line numbers and byte offsets wherever chunk boundaries fall, for every kind of
//! source (memory, mapped, pread, stdin-like stream, gzip and zstd, single and multi-part).
//!
//! Every case is checked against a reference that is obviously right: split the bytes on
//! '\n', and run the `regex` crate on each line by itself. Chunk sizes as small as 1 byte
//! put boundaries inside every line, on every '\n', and on every CRLF pair.

use std::io::{Read, Write};
use std::path::Path;

use logmedic_core::{scan, Control, Database, EngineChoice, ScanOptions, ScanResult, Source, SourceKind};

// ---------------------------------------------------------------------------------------
// The reference

#[derive(Debug, PartialEq, Eq)]
struct Expected {
    lines: u64,
    counts: Vec<u64>,
    /// Per pattern: (1-based line, offset of the line's first byte, text without CR/LF).
    hits: Vec<Vec<(u64, u64, Vec<u8>)>>,
}

/// A line matches when the regex matches it, or matches it without one trailing '\r'
/// (`$` ends a CRLF line before its '\r'). Patterns are byte-oriented, as in logmedic.
fn reference(data: &[u8], patterns: &[&str], max_text: usize) -> Expected {
    let regexes: Vec<regex::bytes::Regex> =
        patterns.iter().map(|p| regex::bytes::Regex::new(&format!("(?-u){p}")).expect("reference pattern")).collect();
    let mut expected = Expected { lines: 0, counts: vec![0; patterns.len()], hits: vec![Vec::new(); patterns.len()] };
    let mut start = 0usize;
    let mut number = 0u64;
    while start < data.len() {
        let end = data[start..].iter().position(|&b| b == b'\n').map_or(data.len(), |i| start + i);
        let line = &data[start..end];
        let bare = line.strip_suffix(b"\r").unwrap_or(line);
        number += 1;
        for (p, re) in regexes.iter().enumerate() {
            if re.is_match(line) || re.is_match(bare) {
                expected.counts[p] += 1;
                expected.hits[p].push((number, start as u64, bare[..bare.len().min(max_text)].to_vec()));
            }
        }
        start = end + 1;
    }
    expected.lines = number;
    expected
}

fn observed(r: &ScanResult) -> Expected {
    Expected {
        lines: r.lines,
        counts: r.patterns.iter().map(|p| p.count).collect(),
        hits: r.patterns.iter().map(|p| p.hits.iter().map(|h| (h.line, h.offset, h.text.clone())).collect()).collect(),
    }
}

// ---------------------------------------------------------------------------------------
// Sources

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Memory,
    Mapped,
    Pread,
    Stream,
    Gzip,
    GzipMulti,
    Zstd,
    ZstdMulti,
}

const KINDS: [Kind; 8] =
    [Kind::Memory, Kind::Mapped, Kind::Pread, Kind::Stream, Kind::Gzip, Kind::GzipMulti, Kind::Zstd, Kind::ZstdMulti];

/// A reader that hands out bytes a few at a time, as a pipe does.
struct Trickle {
    data: Vec<u8>,
    at: usize,
    seed: u64,
}

impl Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.seed = xorshift(self.seed);
        let n = (1 + (self.seed % 97) as usize).min(buf.len()).min(self.data.len() - self.at);
        buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

fn xorshift(mut x: u64) -> u64 {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

/// Split `data` in (up to) three parts at arbitrary bytes, to make multi-member archives.
fn parts(data: &[u8]) -> Vec<&[u8]> {
    let (a, b) = (data.len() / 3, data.len() * 2 / 3 + 1);
    let b = b.min(data.len());
    vec![&data[..a], &data[a..b], &data[b..]]
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn zstd(data: &[u8]) -> Vec<u8> {
    zstd::encode_all(data, 1).unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Scan `data` through a source of `kind`, checking that the source really is that kind.
fn run(kind: Kind, data: &[u8], db: &Database, opts: &ScanOptions) -> ScanResult {
    let dir = tempfile::tempdir().unwrap();
    let (source, want) = match kind {
        Kind::Memory => (Source::Memory(data), SourceKind::Memory),
        Kind::Mapped => {
            // Below the mmap threshold `open` would read instead, so map by hand.
            let path = write(dir.path(), "mapped.log", data);
            let file = std::fs::File::open(&path).unwrap();
            let map = unsafe { memmap2::Mmap::map(&file).unwrap() };
            (Source::Mapped { map, file, path }, SourceKind::Mmap)
        }
        Kind::Pread => (Source::open(&write(dir.path(), "plain.log", data), false).unwrap(), SourceKind::Read),
        Kind::Stream => {
            let reader = Trickle { data: data.to_vec(), at: 0, seed: 0x9e37_79b9_7f4a_7c15 ^ data.len() as u64 };
            (Source::from_reader(Box::new(reader)).unwrap(), SourceKind::Stream)
        }
        Kind::Gzip => (Source::open(&write(dir.path(), "a.gz", &gzip(data)), true).unwrap(), SourceKind::Gzip),
        Kind::GzipMulti => {
            let bytes: Vec<u8> = parts(data).into_iter().flat_map(gzip).collect();
            (Source::open(&write(dir.path(), "multi.gz", &bytes), true).unwrap(), SourceKind::Gzip)
        }
        Kind::Zstd => (Source::open(&write(dir.path(), "a.zst", &zstd(data)), true).unwrap(), SourceKind::Zstd),
        Kind::ZstdMulti => {
            let bytes: Vec<u8> = parts(data).into_iter().flat_map(zstd).collect();
            (Source::open(&write(dir.path(), "multi.zst", &bytes), true).unwrap(), SourceKind::Zstd)
        }
    };
    assert_eq!(source.kind(), want, "{kind:?}");
    let result = scan(source, db, opts, &Control::new()).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
    assert!(!result.changed, "{kind:?}: nothing changed the input");
    assert_eq!(result.bytes, data.len() as u64, "{kind:?}: bytes");
    result
}

fn opts(chunk_bytes: usize, threads: usize) -> ScanOptions {
    ScanOptions { threads, chunk_bytes, max_hits: 1 << 20, ..ScanOptions::default() }
}

fn engines() -> Vec<EngineChoice> {
    let mut engines = vec![EngineChoice::Regex];
    if logmedic_core::hyperscan_available() {
        engines.push(EngineChoice::Hyperscan);
    }
    engines
}

/// The reference must hold for every source, chunk size and thread count.
fn check_everywhere(data: &[u8], patterns: &[&str]) -> Expected {
    let expected = reference(data, patterns, ScanOptions::default().max_text_bytes);
    for engine in engines() {
        let db = Database::from_sources(patterns, engine).unwrap();
        for kind in KINDS {
            for chunk in [1, 7, 64, 4096, 0] {
                for threads in [1, 2, 3] {
                    let got = observed(&run(kind, data, &db, &opts(chunk, threads)));
                    assert_eq!(got, expected, "{engine:?} {kind:?} chunk_bytes={chunk} threads={threads}");
                }
            }
        }
    }
    expected
}

fn hits(e: &Expected, p: usize) -> Vec<(u64, u64, &str)> {
    e.hits[p].iter().map(|(l, o, t)| (*l, *o, std::str::from_utf8(t).unwrap())).collect()
}

// ---------------------------------------------------------------------------------------
// Cases with their answers written out

#[test]
fn match_on_the_last_line_of_a_chunk() {
    // Line 1 is exactly 64 bytes with its '\n', so with 64-byte chunks line 2 (a match)
    // is the first line of chunk 1 and line 1 (a match too) the last of chunk 0.
    let mut data = format!("{:<62}E\n", "first").into_bytes();
    assert_eq!(data.len(), 64);
    data.extend_from_slice(b"E second\nthird\n");
    let e = check_everywhere(&data, &["E"]);
    assert_eq!(hits(&e, 0), vec![(1, 0, std::str::from_utf8(&data[..63]).unwrap()), (2, 64, "E second")]);
    assert_eq!(e.lines, 3);
}

#[test]
fn line_spanning_chunk_boundaries() {
    let long = format!("start {} ERROR end", "x".repeat(300));
    let data = format!("a\n{long}\nb ERROR\n");
    let e = check_everywhere(data.as_bytes(), &["ERROR", "^start", "end$", "^b"]);
    assert_eq!(hits(&e, 0), vec![(2, 2, long.as_str()), (3, 3 + long.len() as u64, "b ERROR")]);
    assert_eq!(e.counts, vec![2, 1, 1, 1]);
    assert_eq!(e.lines, 3);
}

#[test]
fn no_trailing_newline() {
    let e = check_everywhere(b"one\ntwo ERROR", &["ERROR", "ERROR$", "^two"]);
    assert_eq!(hits(&e, 1), vec![(2, 4, "two ERROR")]);
    assert_eq!(e.counts, vec![1, 1, 1]);
    assert_eq!(e.lines, 2);
}

#[test]
fn crlf_lines() {
    let data = b"one ERROR\r\ntwo\r\nthree ERROR\r\n\r\nfour ERROR";
    let e = check_everywhere(data, &["ERROR$", "^two$", "^\\r$", "\\r"]);
    // `$` matches before "\r\n"; the text of a hit never holds the '\r'.
    assert_eq!(hits(&e, 0), vec![(1, 0, "one ERROR"), (3, 16, "three ERROR"), (5, 31, "four ERROR")]);
    assert_eq!(hits(&e, 1), vec![(2, 11, "two")]);
    assert_eq!(hits(&e, 2), vec![(4, 29, "")]);
    assert_eq!(e.counts[3], 4, "a literal \\r still matches the CR of a CRLF line");
    assert_eq!(e.lines, 5);
}

#[test]
fn empty_input() {
    let e = check_everywhere(b"", &["ERROR", "x"]);
    assert_eq!(e, Expected { lines: 0, counts: vec![0, 0], hits: vec![vec![], vec![]] });
}

#[test]
fn blank_lines() {
    // Patterns that match the empty string are refused, so a blank CRLF line is found by its CR.
    let e = check_everywhere(b"\n\r\n\n", &["^\\r$", "x"]);
    assert_eq!(e.counts, vec![1, 0]);
    assert_eq!(hits(&e, 0), vec![(2, 1, "")]);
    assert_eq!(e.lines, 3);
}

#[test]
fn nul_bytes_and_invalid_utf8() {
    let data = b"a\x00b ERROR\n\xff\xfe ERROR\n\x00\n\xc3\x28 plain\n";
    let e = check_everywhere(data, &["ERROR", "\\x00", "(?-u:\\xff)", "^(?-u:\\xc3)\\("]);
    assert_eq!(e.counts, vec![2, 2, 1, 1]);
    assert_eq!(e.hits[1].iter().map(|h| (h.0, h.1)).collect::<Vec<_>>(), vec![(1, 0), (3, 19)]);
    assert_eq!(e.hits[2][0], (2, 10, b"\xff\xfe ERROR".to_vec()));
    assert_eq!(e.hits[3][0], (4, 21, b"\xc3\x28 plain".to_vec()));
    assert_eq!(e.lines, 4);
}

#[test]
fn hit_text_is_cut_at_max_text_bytes() {
    let data = format!("{}ERROR\nshort ERROR\n", "y".repeat(100));
    let db = Database::from_sources(&["ERROR"], EngineChoice::Regex).unwrap();
    for kind in KINDS {
        let r = run(kind, data.as_bytes(), &db, &ScanOptions { max_text_bytes: 10, chunk_bytes: 7, ..opts(7, 2) });
        let hits = &r.patterns[0].hits;
        assert_eq!((hits[0].text.as_slice(), hits[0].truncated), (&b"yyyyyyyyyy"[..], true), "{kind:?}");
        assert_eq!((hits[1].text.as_slice(), hits[1].truncated), (&b"short ERRO"[..], true), "{kind:?}");
        assert_eq!((hits[1].line, hits[1].offset), (2, 106), "{kind:?}");
    }
}

#[test]
fn max_hits_keeps_the_first_lines_and_counts_all() {
    let data: String = (0..500).map(|i| format!("{i} ERROR\n")).collect();
    let db = Database::from_sources(&["ERROR"], EngineChoice::Regex).unwrap();
    for kind in KINDS {
        let r = run(kind, data.as_bytes(), &db, &ScanOptions { max_hits: 3, ..opts(64, 3) });
        assert_eq!(r.patterns[0].count, 500, "{kind:?}");
        let lines: Vec<u64> = r.patterns[0].hits.iter().map(|h| h.line).collect();
        assert_eq!(lines, vec![1, 2, 3], "{kind:?}");
    }
}

// ---------------------------------------------------------------------------------------
// A 50 MB line

/// "START", 50 MB of 'x', "END", then a short matching line.
fn fifty_mb_line() -> Vec<u8> {
    let mut data = Vec::with_capacity(50_000_020);
    data.extend_from_slice(b"START");
    data.resize(50_000_000, b'x');
    data.extend_from_slice(b"END\nafter ERROR\n");
    data
}

const LONG_PATTERNS: [&str; 3] = ["^START", "END$", "ERROR"];

fn long_line_summary(r: &ScanResult) -> (u64, Vec<u64>, Vec<(u64, u64)>) {
    (r.lines, r.patterns.iter().map(|p| p.count).collect(), r.patterns[2].hits.iter().map(|h| (h.line, h.offset)).collect())
}

#[test]
fn fifty_mb_line_is_matched_whole_when_mapped() {
    let data = fifty_mb_line();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "long.log", &data);
    let db = Database::from_sources(&LONG_PATTERNS, EngineChoice::Regex).unwrap();
    for chunk in [0, 64 << 10] {
        let source = Source::open(&path, true).unwrap();
        assert_eq!(source.kind(), SourceKind::Mmap);
        let r = scan(source, &db, &ScanOptions { chunk_bytes: chunk, ..ScanOptions::default() }, &Control::new()).unwrap();
        // The whole line is seen: its end matches too, whatever max_line_bytes says.
        assert_eq!(long_line_summary(&r), (2, vec![1, 1, 1], vec![(2, 50_000_004)]));
        let start = &r.patterns[0].hits[0];
        assert_eq!((start.line, start.offset, start.text.len(), start.truncated), (1, 0, 4096, true));
        let r = scan(Source::Memory(&data), &db, &ScanOptions { chunk_bytes: chunk, ..ScanOptions::default() }, &Control::new())
            .unwrap();
        assert_eq!(long_line_summary(&r), (2, vec![1, 1, 1], vec![(2, 50_000_004)]));
    }
}

#[test]
fn fifty_mb_line_is_matched_on_its_head_without_mmap() {
    let data = fifty_mb_line();
    let dir = tempfile::tempdir().unwrap();
    let plain = write(dir.path(), "long.log", &data);
    let gz = write(dir.path(), "long.log.gz", &gzip(&data));
    let db = Database::from_sources(&LONG_PATTERNS, EngineChoice::Regex).unwrap();
    // Read (not mapped) sources match a line on its first max_line_bytes (plus at most one
    // chunk): "END" lies beyond, so it is not seen. The line still counts once, and the
    // lines after it keep exact numbers and offsets.
    for (max_line, chunk) in [(1 << 20, 64 << 10), (ScanOptions::default().max_line_bytes, 0)] {
        let opts = ScanOptions { max_line_bytes: max_line, chunk_bytes: chunk, threads: 2, ..ScanOptions::default() };
        for path in [&plain, &gz] {
            let source = Source::open(path, false).unwrap();
            let kind = source.kind();
            let r = scan(source, &db, &opts, &Control::new()).unwrap();
            assert_eq!(long_line_summary(&r), (2, vec![1, 0, 1], vec![(2, 50_000_004)]), "{kind:?} max_line={max_line}");
            assert_eq!(r.bytes, data.len() as u64);
            assert!(!r.changed);
        }
    }
    // With room for the whole line, its end is matched.
    let opts = ScanOptions { max_line_bytes: 64 << 20, ..ScanOptions::default() };
    for path in [&plain, &gz] {
        let r = scan(Source::open(path, false).unwrap(), &db, &opts, &Control::new()).unwrap();
        assert_eq!(long_line_summary(&r), (2, vec![1, 1, 1], vec![(2, 50_000_004)]));
    }
}

// ---------------------------------------------------------------------------------------
// Property: random inputs × chunk sizes × threads × sources equal the reference

const ALPHABET: &[&[u8]] = &[
    b"a", b"b", b"x", b" ", b" ", b"ERROR", b"error", b"Warn", b"12ms", b"\r", b"\r\n", b"\n", b"\n", b"\n", b"\x00",
    b"\xff", b"\xc3\xa9", b"E", b"R",
];

const RANDOM_PATTERNS: [&str; 9] =
    ["ERROR", "(?i)warn", "a$", "^b", "\\x00", "(?-u:\\xff)", "E.R", "[0-9]+ms", "^x+$"];

fn random_input(seed: &mut u64) -> Vec<u8> {
    *seed = xorshift(*seed);
    let pieces = (*seed % 400) as usize;
    let mut data = Vec::new();
    for _ in 0..pieces {
        *seed = xorshift(*seed);
        data.extend_from_slice(ALPHABET[(*seed % ALPHABET.len() as u64) as usize]);
    }
    data
}

#[test]
fn random_inputs_equal_the_reference() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let dbs: Vec<(EngineChoice, Database)> =
        engines().into_iter().map(|e| (e, Database::from_sources(&RANDOM_PATTERNS, e).unwrap())).collect();
    for case in 0..250 {
        let data = random_input(&mut seed);
        let expected = reference(&data, &RANDOM_PATTERNS, ScanOptions::default().max_text_bytes);
        for (engine, db) in &dbs {
            for kind in KINDS {
                seed = xorshift(seed);
                let chunk = match seed % 4 {
                    0 => 1 + (seed >> 8) as usize % 8,
                    1 => 1 + (seed >> 8) as usize % 300,
                    2 => 4096,
                    _ => 0,
                };
                let threads = 1 + (seed >> 32) as usize % 4;
                let got = observed(&run(kind, &data, db, &opts(chunk, threads)));
                assert_eq!(
                    got, expected,
                    "case {case}: {engine:?} {kind:?} chunk_bytes={chunk} threads={threads} input={:?}",
                    String::from_utf8_lossy(&data)
                );
            }
        }
    }
}
