//! A short, seeded fuzz run of every harness in `fuzz/harness.rs`: each corpus input as is,
//! then mutants of it (bit flips, bytes that parsers branch on, truncation, splicing with
//! another input, long repeats, log tokens). Deterministic, so a failure reproduces; a
//! failing input is printed as an escaped string, ready for `fuzz/corpus/crashes/`.
//!
//! `LOGMEDIC_FUZZ_ITERS` (mutants per harness, default 300) and `LOGMEDIC_FUZZ_SEED` make a
//! longer or different run; coverage-guided runs use AFL (see `fuzz/README.md`).

#[path = "../fuzz/harness.rs"]
mod harness;

use std::path::{Path, PathBuf};

/// SplitMix64: a small, good enough generator with a seed that reproduces a run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

/// Bytes the parsers branch on.
const INTERESTING: &[u8] = b"\n\r\t \0\xff\x80\xc3[]{}():;,.\"\\/-+_0123456789TZEeat";

/// Pieces of real log syntax, so that mutants reach the parsers' deeper branches.
const TOKENS: &[&[u8]] = &[
    b"Traceback (most recent call last):\n",
    b"  File \"/app/x.py\", line 12, in load_model\n",
    b"\tat com.x.Y.z(Y.java:42)\n",
    b"    at f (/app/b.js:1:2)\n",
    b"Caused by: java.lang.OutOfMemoryError: Java heap space\n",
    b"thread 'main' panicked at src/main.rs:3:5:\n",
    b"goroutine 1 [running]:\n",
    b"2025-05-17 10:05:00,123 ERROR [main] c.e.App - ",
    b"2025-05-17T10:05:00.123+02:00 ",
    b"[Mon Dec 05 07:57:01.123456 2025] [error] ",
    b"May 17 10:05:00 host app[42]: ",
    b"05-17 10:05:00.123  1234  1234 E Tag: ",
    b"1.2.3.4 - - [17/May/2025:10:05:00 +0000] \"GET /\"",
    b"{\"time\":\"2025-05-17T10:05:00Z\",\"level\":\"error\",\"msg\":\"",
    b"\\n  File \\\"/a.py\\\", line 1\\nValueError: x\\u00e9\"}",
    b"ERROR:root:",
    b"CUDA error: out of memory on cuda:0 at /data/m.bin pid=77 db:5432\n",
    b"\xe2\x80\xa6",
];

fn mutate(rng: &mut Rng, input: &[u8], corpus: &[Vec<u8>]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = out.len();
        match rng.below(9) {
            0 if len > 0 => {
                let i = rng.below(len);
                out[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                out[i] = INTERESTING[rng.below(INTERESTING.len())];
            }
            2 => out.truncate(rng.below(len + 1)),
            3 if len > 0 => {
                let from = rng.below(len);
                out.drain(from..(from + 1 + rng.below(16)).min(len));
            }
            4 => {
                let other = &corpus[rng.below(corpus.len())];
                let (at, from) = (rng.below(len + 1), rng.below(other.len() + 1));
                let piece = &other[from..(from + rng.below(256)).min(other.len())];
                out.splice(at..at, piece.iter().copied());
            }
            5 => {
                // A long repeat: a piece, or one byte, many times (long lines, long runs).
                let at = rng.below(len + 1);
                let piece = if len > 0 && rng.below(2) == 0 {
                    let from = rng.below(len);
                    out[from..(from + 1 + rng.below(8)).min(len)].to_vec()
                } else {
                    vec![INTERESTING[rng.below(INTERESTING.len())]]
                };
                let most = if rng.below(8) == 0 { 20_000 } else { 200 };
                let times = 1 + rng.below(most);
                let run: Vec<u8> = piece.iter().copied().cycle().take(piece.len() * times).collect();
                out.splice(at..at, run);
            }
            6 => {
                let at = rng.below(len + 1);
                out.splice(at..at, TOKENS[rng.below(TOKENS.len())].iter().copied());
            }
            7 => {
                // Splice: this input's head, another's tail.
                let other = &corpus[rng.below(corpus.len())];
                out.truncate(rng.below(len + 1));
                out.extend_from_slice(&other[rng.below(other.len() + 1)..]);
            }
            _ if len > 1 => {
                let (a, b) = (rng.below(len), rng.below(len));
                out.swap(a, b);
            }
            _ => out.push(INTERESTING[rng.below(INTERESTING.len())]),
        }
    }
    out
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join("corpus")
}

/// The shared seeds (`corpus/seeds`), the crashes ever found (`corpus/crashes`) and the
/// harness's own inputs (`corpus/<name>`, e.g. compressed files), as files.
fn load_corpus(name: &str) -> Vec<Vec<u8>> {
    let mut inputs = Vec::new();
    for dir in ["seeds", "crashes", name] {
        let Ok(entries) = std::fs::read_dir(corpus_dir().join(dir)) else { continue };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
        paths.sort();
        inputs.extend(paths.iter().map(|p| std::fs::read(p).expect("corpus file")));
    }
    assert!(inputs.len() >= 10, "the corpus of {name} is missing ({})", corpus_dir().display());
    inputs
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Run `f`; on a panic, say which input (escaped) broke which harness.
fn check(name: &str, f: harness::Harness, input: &[u8]) {
    if let Err(panic) = std::panic::catch_unwind(|| f(input)) {
        let what = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
        let shown: String = input.escape_ascii().to_string();
        let shown = if shown.len() > 4000 { format!("{}… ({} bytes)", &shown[..4000], input.len()) } else { shown };
        panic!("harness {name} failed: {}\ninput: b\"{shown}\"", what.unwrap_or_default());
    }
}

fn fuzz(name: &str) {
    let f = harness::HARNESSES.iter().find(|(n, _)| *n == name).expect("harness exists").1;
    let corpus = load_corpus(name);
    for input in &corpus {
        check(name, f, input);
    }
    let iters = env_number("LOGMEDIC_FUZZ_ITERS", 300);
    let mut rng = Rng(env_number("LOGMEDIC_FUZZ_SEED", 0x6c6f_676d_6564) ^ name.len() as u64 ^ (name.as_bytes()[0] as u64) << 8);
    for _ in 0..iters {
        let pick = rng.below(corpus.len());
        let input = mutate(&mut rng, &corpus[pick], &corpus);
        check(name, f, &input);
    }
}

#[test]
fn every_harness_is_run_here() {
    let here = include_str!("fuzz.rs");
    for (name, _) in harness::HARNESSES {
        assert!(here.contains(&format!("fuzz(\"{name}\")")), "harness {name} has no test");
    }
}

#[test]
fn time() {
    fuzz("time");
}

#[test]
fn json() {
    fuzz("json");
}

#[test]
fn header() {
    fuzz("header");
}

#[test]
fn embedded() {
    fuzz("embedded");
}

#[test]
fn frames() {
    fuzz("frames");
}

#[test]
fn objects() {
    fuzz("objects");
}

#[test]
fn shape() {
    fuzz("shape");
}

#[test]
fn group() {
    fuzz("group");
}

#[test]
fn analysis() {
    fuzz("analysis");
}

#[test]
fn template() {
    fuzz("template");
}

#[test]
fn gzip() {
    fuzz("gzip");
}

#[test]
fn zstd() {
    fuzz("zstd");
}
