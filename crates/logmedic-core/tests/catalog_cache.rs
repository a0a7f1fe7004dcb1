//! The compiled catalog cache changes no answer: a database compiled cold, one loaded from
//! the cache, and one compiled past a damaged or foreign entry find the same matches, in
//! each engine, and an unwritable cache directory is no error.

use std::fs;
use std::path::Path;

use logmedic_core::{hyperscan_available, Database, EngineChoice};

const PATTERNS: &[&str] = &[
    r"(?i)out of memory",
    r"CUDA error: (?:out of memory|device-side assert triggered)",
    r"(?i)\bno space left on device\b",
    r"\bsegfault(ed)?\b",
    r"(?i)\bconnection refused\b",
    r"^E\d{4}",
    r"\w+Error: ",
    r"(?u)\bwörd\b",
    // Split: its branch with literals behind the prefilter, `\bEIO\b` in the engine's scan.
    r"\bEIO\b|(?i:\binput/output error\b)",
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
read: EIO
read failed: Input/output error
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

/// The engines this machine has: the regex engine, and Hyperscan where libhs loads.
fn engines() -> Vec<EngineChoice> {
    let mut engines = vec![EngineChoice::Regex];
    if hyperscan_available() {
        engines.push(EngineChoice::Hyperscan);
    }
    engines
}

#[test]
fn cached_compiles_answer_as_cold_ones() {
    for engine in engines() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("logmedic");
        let cold = Database::from_sources_cached(PATTERNS, engine, &cache).unwrap();
        assert!(!cold.from_cache(), "{engine:?}");
        let reference = matches(&cold);
        assert!(reference.len() >= 9, "{engine:?}: {reference:?}");
        let written = entries(&cache);
        assert_eq!(written.len(), 1, "{engine:?}: one entry: {written:?}");

        let warm = Database::from_sources_cached(PATTERNS, engine, &cache).unwrap();
        assert!(warm.from_cache(), "{engine:?}");
        assert_eq!(matches(&warm), reference, "{engine:?}");
        assert_eq!(warm.fallbacks(), cold.fallbacks(), "{engine:?}: the same patterns left to the Rust engine");

        // Truncated, damaged, emptied: compiled cold again, same answer, entry rewritten.
        let entry = fs::read(&written[0]).unwrap();
        for bad in [entry[..entry.len() / 2].to_vec(), { let mut b = entry.clone(); b[40] ^= 1; b }, Vec::new()] {
            fs::write(&written[0], &bad).unwrap();
            let db = Database::from_sources_cached(PATTERNS, engine, &cache).unwrap();
            assert!(!db.from_cache(), "{engine:?}");
            assert_eq!(matches(&db), reference, "{engine:?}");
            assert_eq!(fs::read(&written[0]).unwrap().len(), entry.len(), "{engine:?}: the entry is rewritten whole");
            assert!(Database::from_sources_cached(PATTERNS, engine, &cache).unwrap().from_cache(), "{engine:?}: and read back");
        }

        // Another catalog's entry does not answer for this one, even under its name.
        let other: Vec<&str> = PATTERNS.iter().rev().copied().collect();
        let db = Database::from_sources_cached(&other, engine, &cache).unwrap();
        assert!(!db.from_cache(), "{engine:?}");
        let both = entries(&cache);
        assert_eq!(both.len(), 2, "{engine:?}");
        let other_entry = both.iter().find(|p| **p != written[0]).unwrap();
        fs::copy(&written[0], other_entry).unwrap();
        let db = Database::from_sources_cached(&other, engine, &cache).unwrap();
        assert!(!db.from_cache(), "{engine:?}: a foreign entry is a miss");
        let mut reversed: Vec<(u32, usize)> = reference.iter().map(|&(p, line)| (PATTERNS.len() as u32 - 1 - p, line)).collect();
        reversed.sort_unstable();
        assert_eq!(matches(&db), reversed, "{engine:?}");
    }
}

/// Hyperscan's cache entry for a catalog is found without parsing a pattern, and says so
/// before the compile that would read it.
#[test]
fn hyperscan_knows_a_cached_catalog_by_its_sources() {
    if !hyperscan_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let many: Vec<String> = (0..20).map(|i| format!(r"\bfailure {i}\b")).chain(PATTERNS.iter().map(|s| s.to_string())).collect();
    assert!(!Database::is_cached_in(&many, EngineChoice::Hyperscan, dir.path()));
    let cold = Database::from_sources_cached(&many, EngineChoice::Hyperscan, dir.path()).unwrap();
    assert!(Database::is_cached_in(&many, EngineChoice::Hyperscan, dir.path()));
    assert!(!Database::is_cached_in(&many, EngineChoice::Regex, dir.path()), "the regex engine has no such database");
    assert!(!Database::is_cached_in(&many[1..], EngineChoice::Hyperscan, dir.path()), "nor do other sources");
    let warm = Database::from_sources_cached(&many, EngineChoice::Hyperscan, dir.path()).unwrap();
    assert!(warm.from_cache());
    assert_eq!(matches(&warm), matches(&cold));
    let name = entries(dir.path())[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("hs-sources-"), "{name}");
    // A pattern that does not parse is never cached, and still reported by name.
    let mut bad = many.clone();
    bad.push("bad (group".into());
    let err = Database::from_sources_cached(&bad, EngineChoice::Hyperscan, dir.path()).err().unwrap();
    assert!(err.message.contains("bad (group"), "{}", err.message);
    assert_eq!(entries(dir.path()).len(), 1);
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
