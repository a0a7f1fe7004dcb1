//! The compiled catalog cache changes no answer: a database compiled cold, one loaded from
//! the cache, and one compiled past a damaged or foreign entry find the same matches, and
//! an unwritable cache directory is no error.

use std::fs;
use std::path::Path;

use logmedic_core::{Database, EngineChoice};

const PATTERNS: &[&str] = &[
    r"(?i)out of memory",
    r"CUDA error: (?:out of memory|device-side assert triggered)",
    r"(?i)\bno space left on device\b",
    r"\bsegfault(ed)?\b",
    r"(?i)\bconnection refused\b",
    r"^E\d{4}",
    r"\w+Error: ",
    r"(?u)\bwörd\b",
];

const LOG: &str = "\
I1206 09:00:00 worker started
torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB
RuntimeError: CUDA error: device-side assert triggered
write failed: No space left on device
E1206 09:00:01 child segfaulted
upstream: connect() failed (111: Connection refused)
a wörd here, and a plain line
ValueError: bad value
";

/// Every (pattern, line) the database reports on LOG.
fn matches(db: &Database) -> Vec<(u32, usize)> {
    let mut searcher = db.searcher().unwrap();
    let mut out = Vec::new();
    searcher.search(LOG.as_bytes(), &mut |p, at| out.push((p, LOG[..at].matches('\n').count() + 1))).unwrap();
    out.sort_unstable();
    out.dedup();
    out
}

fn entries(dir: &Path) -> Vec<std::path::PathBuf> {
    fs::read_dir(dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default()
}

#[test]
fn cached_compiles_answer_as_cold_ones() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("logmedic");
    let reference = matches(&Database::from_sources_cached(PATTERNS, EngineChoice::Regex, &cache).unwrap());
    assert!(reference.len() >= 7, "{reference:?}");
    let written = entries(&cache);
    assert_eq!(written.len(), 1, "one entry: {written:?}");

    let warm = Database::from_sources_cached(PATTERNS, EngineChoice::Regex, &cache).unwrap();
    assert!(warm.from_cache());
    assert_eq!(matches(&warm), reference);

    // Truncated, damaged, emptied: compiled cold again, same answer, entry rewritten.
    let entry = fs::read(&written[0]).unwrap();
    for bad in [entry[..entry.len() / 2].to_vec(), { let mut b = entry.clone(); b[40] ^= 1; b }, Vec::new()] {
        fs::write(&written[0], &bad).unwrap();
        let db = Database::from_sources_cached(PATTERNS, EngineChoice::Regex, &cache).unwrap();
        assert!(!db.from_cache());
        assert_eq!(matches(&db), reference);
        assert_eq!(fs::read(&written[0]).unwrap(), entry, "the entry is rewritten whole");
    }

    // Another catalog's entry does not answer for this one.
    let other: Vec<&str> = PATTERNS.iter().rev().copied().collect();
    let db = Database::from_sources_cached(&other, EngineChoice::Regex, &cache).unwrap();
    assert!(!db.from_cache());
    assert_eq!(entries(&cache).len(), 2);
}

#[test]
fn an_unwritable_cache_is_no_error() {
    let dir = tempfile::tempdir().unwrap();
    let blocked = dir.path().join("not-a-dir");
    fs::write(&blocked, b"x").unwrap();
    let cold = matches(&Database::from_sources(PATTERNS, EngineChoice::Regex).unwrap());
    for _ in 0..2 {
        let db = Database::from_sources_cached(PATTERNS, EngineChoice::Regex, &blocked.join("logmedic")).unwrap();
        assert!(!db.from_cache());
        assert_eq!(matches(&db), cold);
    }
}

#[test]
fn a_bad_pattern_is_reported_whether_or_not_a_cache_is_there() {
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let err = Database::from_sources_cached(&["ok", "bad (group"], EngineChoice::Regex, dir.path()).err().unwrap();
        assert!(err.message.contains("bad (group"), "{}", err.message);
    }
    assert!(entries(dir.path()).is_empty(), "nothing is cached for a catalog that does not compile");
}
