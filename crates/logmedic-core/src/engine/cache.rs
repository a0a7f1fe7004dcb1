//! The on-disk cache of compiled catalogs: where it lives, how entries are named, checked
//! and written, and the regex engine's entries.
//!
//! A CLI process compiles the same catalog on every run. For the regex engine the costly,
//! saveable parts are what parsing and compiling yield: each pattern's required literals
//! (see [`super::prefilter`]), which need every pattern parsed, and the NFAs of the
//! patterns that have none, from which the engine's lazy DFAs start (see
//! [`super::nfa_bytes`]). An entry keeps both, keyed by the pattern sources, this build of
//! the core (`build.rs` fingerprints its source and `Cargo.lock`) and the engine; on a hit
//! no pattern is parsed until something needs its HIR (a prefiltered pattern's own regex,
//! on a line holding its literal). The DFAs' states are built while scanning, so there is
//! nothing more to save. Hyperscan's serialized databases live in the same directory
//! (`hyperscan/cache.rs`).
//!
//! The cache never changes an answer and never fails a compile: an entry that cannot be
//! read, is truncated or damaged (checksum), or was made for other sources or another
//! build is ignored and rewritten; a directory that cannot be written is not written.
//! Entries are written to a temporary file and renamed into place, so a reader never sees
//! half an entry.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Where compiled catalogs are kept; `off` turns the cache off. Without it,
/// `$XDG_CACHE_HOME/logmedic`, else `~/.cache/logmedic` (`%LOCALAPPDATA%\logmedic` on
/// Windows).
pub const CACHE_DIR_ENV: &str = "LOGMEDIC_CACHE_DIR";

/// The cache directory the environment asks for, or `None` when the cache is off or
/// there is no home to put it in.
pub fn dir_from_env() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = var(CACHE_DIR_ENV) {
        return if dir == "off" { None } else { Some(PathBuf::from(dir)) };
    }
    // The XDG spec says a relative XDG_CACHE_HOME is to be ignored.
    if let Some(xdg) = var("XDG_CACHE_HOME").map(PathBuf::from).filter(|p| p.is_absolute()) {
        return Some(xdg.join("logmedic"));
    }
    #[cfg(windows)]
    let home = var("LOCALAPPDATA").map(|d| PathBuf::from(d).join("logmedic"));
    #[cfg(not(windows))]
    let home = var("HOME").map(|h| PathBuf::from(h).join(".cache").join("logmedic"));
    home
}

pub use super::prefilter::LiteralPlan;

const REGEX_MAGIC: &[u8; 16] = b"logmedic-regex3\n";

/// The bytes that identify a regex-engine entry: the sources in order and the build that
/// parsed them.
pub fn regex_key<S: AsRef<str>>(sources: &[S]) -> Vec<u8> {
    let mut k = format!(
        "logmedic {} core {}\nengine regex\n",
        env!("CARGO_PKG_VERSION"),
        env!("LOGMEDIC_CORE_FINGERPRINT")
    )
    .into_bytes();
    k.extend_from_slice(&(sources.len() as u32).to_le_bytes());
    for s in sources {
        let s = s.as_ref().as_bytes();
        k.extend_from_slice(&(s.len() as u32).to_le_bytes());
        k.extend_from_slice(s);
    }
    k
}

fn regex_entry_path(dir: &Path, key: &[u8]) -> PathBuf {
    dir.join(format!("regex-{:016x}.bin", hash64(key)))
}

/// What a regex-engine entry holds: each pattern's literal plan, and the engine's compiled
/// groups over the patterns the prefilter leaves to it (`None`: not kept, compile them).
#[derive(Debug, PartialEq)]
pub struct RegexEntry {
    pub sets: Vec<LiteralPlan>,
    pub engine: Option<Vec<u8>>,
}

/// The entry cached for `key` (one literal plan per pattern, `patterns` of them), or `None`
/// on any miss, mismatch or damage.
pub fn load_regex_entry(dir: &Path, key: &[u8], patterns: usize) -> Option<RegexEntry> {
    let bytes = fs::read(regex_entry_path(dir, key)).ok()?;
    let mut r = checked_body(&bytes, REGEX_MAGIC, key)?;
    if r.u32()? as usize != patterns {
        return None;
    }
    let mut sets = Vec::with_capacity(patterns);
    for _ in 0..patterns {
        let n = r.u32()?;
        if n == u32::MAX {
            sets.push(LiteralPlan { literals: None, split: false });
            continue;
        }
        let mut set = Vec::with_capacity(n.min(1024) as usize);
        for _ in 0..n {
            let len = r.u32()? as usize;
            set.push(r.take(len)?.to_vec());
        }
        let split = match r.take(1)?[0] {
            0 => false,
            1 => true,
            _ => return None,
        };
        sets.push(LiteralPlan { literals: Some(set), split });
    }
    let engine = match r.take(1)?[0] {
        0 => None,
        1 => Some(std::mem::take(&mut r.0).to_vec()),
        _ => return None,
    };
    r.0.is_empty().then_some(RegexEntry { sets, engine })
}

/// Write the entry for `key`: the literal sets, and `engine` (what [`RegexDb::encode`]
/// writes) when it has something to keep. Failures are ignored: the cache is an optimisation.
///
/// [`RegexDb::encode`]: super::regex::RegexDb::encode
pub fn store_regex_entry(dir: &Path, key: &[u8], sets: &[LiteralPlan], engine: Option<&super::regex::RegexDb>) {
    let _ = write_atomically(dir, &regex_entry_path(dir, key), &encode_regex_entry(key, sets, engine));
}

// Entry layout (integers little-endian):
//   MAGIC, u64 key length, key, u32 pattern count, per pattern: u32 literal count (u32::MAX:
//   not filtered), per literal: u32 length, bytes, then (when filtered) u8 1 for a split
//   pattern, else 0; u8 1 and the engine's groups (to the checksum), or u8 0; u64 checksum
//   of everything before it.

fn encode_regex_entry(key: &[u8], sets: &[LiteralPlan], engine: Option<&super::regex::RegexDb>) -> Vec<u8> {
    let mut out = Vec::with_capacity(REGEX_MAGIC.len() + key.len() + 64 * sets.len());
    out.extend_from_slice(REGEX_MAGIC);
    out.extend_from_slice(&(key.len() as u64).to_le_bytes());
    out.extend_from_slice(key);
    out.extend_from_slice(&(sets.len() as u32).to_le_bytes());
    for plan in sets {
        match &plan.literals {
            None => out.extend_from_slice(&u32::MAX.to_le_bytes()),
            Some(literals) => {
                out.extend_from_slice(&(literals.len() as u32).to_le_bytes());
                for lit in literals {
                    out.extend_from_slice(&(lit.len() as u32).to_le_bytes());
                    out.extend_from_slice(lit);
                }
                out.push(u8::from(plan.split));
            }
        }
    }
    let flag = out.len();
    out.push(1);
    if !engine.is_some_and(|db| db.encode(&mut out)) {
        out[flag] = 0;
    }
    let sum = hash64(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

/// The body of an entry after its magic and key, when the checksum holds and the entry
/// was made for `key`.
pub(crate) fn checked_body<'a>(entry: &'a [u8], magic: &[u8], key: &[u8]) -> Option<Reader<'a>> {
    let body_len = entry.len().checked_sub(8)?;
    let (body, sum) = entry.split_at(body_len);
    if hash64(body).to_le_bytes() != sum {
        return None;
    }
    let mut r = Reader(body);
    if r.take(magic.len())? != magic {
        return None;
    }
    let key_len = usize::try_from(r.u64()?).ok()?;
    if r.take(key_len)? != key {
        return None;
    }
    Some(r)
}

/// Write `bytes` to `path` (in `dir`, created if need be) through a temporary file renamed
/// into place.
pub(crate) fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // Unique per process and per write, so concurrent writers never share a temporary file.
    static WRITES: AtomicU64 = AtomicU64::new(0);
    fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.{}.tmp", std::process::id(), WRITES.fetch_add(1, Ordering::Relaxed)));
    let written = fs::File::create(&tmp).and_then(|mut f| f.write_all(bytes)).and_then(|()| fs::rename(&tmp, path));
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

pub(crate) struct Reader<'a>(pub(crate) &'a [u8]);

impl<'a> Reader<'a> {
    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
    pub(crate) fn u32(&mut self) -> Option<u32> {
        self.take(4).map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
    }
    pub(crate) fn u64(&mut self) -> Option<u64> {
        self.take(8).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
    }
}

/// A fixed 64-bit hash (not `DefaultHasher`, whose output may change between Rust
/// releases): names entries and checks them for damage. Not cryptographic; nothing here
/// needs to resist a chosen collision, the key itself is compared on load.
pub(crate) fn hash64(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        h = (h ^ u64::from_le_bytes(w.try_into().expect("8 bytes"))).wrapping_mul(K).rotate_left(29);
    }
    let mut tail = [0u8; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    h = (h ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    // Final avalanche (MurmurHash3's fmix64).
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sets() -> Vec<LiteralPlan> {
        let plan = |literals: Option<Vec<&[u8]>>, split| LiteralPlan { literals: literals.map(|l| l.into_iter().map(<[u8]>::to_vec).collect()), split };
        vec![plan(Some(vec![b"out of memory", b"oomkilled"]), false), plan(None, false), plan(Some(vec![]), false), plan(Some(vec![b""]), false), plan(Some(vec![b"disk read error"]), true)]
    }

    #[test]
    fn literal_sets_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let key = regex_key(&["a", "b", "c", "d", "e"]);
        assert_eq!(load_regex_entry(dir.path(), &key, 5), None, "nothing cached yet");
        store_regex_entry(dir.path(), &key, &sets(), None);
        assert_eq!(load_regex_entry(dir.path(), &key, 5), Some(RegexEntry { sets: sets(), engine: None }));
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(leftovers.len(), 1, "one entry and no temporary file: {leftovers:?}");
    }

    #[test]
    fn damaged_entries_are_misses() {
        let key = regex_key(&["a", "b", "c", "d", "e"]);
        let entry = encode_regex_entry(&key, &sets(), None);
        let dir = tempfile::tempdir().unwrap();
        let path = regex_entry_path(dir.path(), &key);
        let load_from = |bytes: &[u8]| {
            fs::write(&path, bytes).unwrap();
            load_regex_entry(dir.path(), &key, 5)
        };
        assert!(load_from(&entry).is_some());
        for cut in [0, 1, 8, 16, entry.len() / 2, entry.len() - 1] {
            assert_eq!(load_from(&entry[..cut]), None, "cut at {cut}");
        }
        for at in [0, 20, entry.len() / 2, entry.len() - 9, entry.len() - 1] {
            let mut bad = entry.clone();
            bad[at] ^= 0x40;
            assert_eq!(load_from(&bad), None, "flipped byte {at}");
        }
        // A well-formed entry with the wrong pattern count.
        assert_eq!(load_regex_entry(dir.path(), &key, 4), None);
    }

    /// The regex engine's groups are kept in the entry. A part that does not fit the
    /// patterns (well-formed, checksum intact: written by a faulty build) is not used: the
    /// engine is compiled, answers the same, and the entry is rewritten whole.
    #[test]
    fn a_regex_engine_part_that_does_not_fit_is_rebuilt() {
        use crate::engine::{Database, EngineChoice};
        let mut sources: Vec<String> = (0..16).map(|i| format!(r"(?i)\bdisk failure {i}\b")).collect();
        // No required literal: these are the engine's.
        sources.extend([r"\bfail(ed)?\b", r"[0-9]{3,}x", r"(?:Cuda|GPU)\w*Error"].map(String::from));
        let log = b"GPUMemoryError: x\nall fine\nDisk failure 3 here\njob failed\n1234x\n";
        let lines = |db: &Database| {
            let mut got = Vec::new();
            db.searcher().unwrap().search(log, &mut |p, at| got.push((p, at))).unwrap();
            got.sort_unstable();
            got.dedup();
            got
        };
        let dir = tempfile::tempdir().unwrap();
        let cold = Database::from_sources_cached(&sources, EngineChoice::Regex, dir.path()).unwrap();
        let want = lines(&cold);
        assert_eq!(want.len(), 4, "{want:?}");
        let key = regex_key(&sources);
        let entry = load_regex_entry(dir.path(), &key, sources.len()).unwrap();
        let engine = entry.engine.clone().expect("the engine's groups are kept");
        assert_eq!(lines(&Database::from_sources_cached(&sources, EngineChoice::Regex, dir.path()).unwrap()), want);
        let path = regex_entry_path(dir.path(), &key);
        let good = fs::read(&path).unwrap();
        // Group ids past the engine's 3 patterns, then a group count of zero.
        let mut wrong_ids = engine.clone();
        wrong_ids[8..12].copy_from_slice(&7u32.to_le_bytes());
        let mut no_groups = engine.clone();
        no_groups[..4].copy_from_slice(&0u32.to_le_bytes());
        for bad in [wrong_ids, no_groups, engine[..engine.len() / 2].to_vec()] {
            let bad_entry = encode_regex_entry(&key, &entry.sets, None);
            let mut bad_entry = bad_entry[..bad_entry.len() - 9].to_vec();
            bad_entry.push(1);
            bad_entry.extend_from_slice(&bad);
            let sum = hash64(&bad_entry);
            bad_entry.extend_from_slice(&sum.to_le_bytes());
            fs::write(&path, &bad_entry).unwrap();
            assert!(load_regex_entry(dir.path(), &key, sources.len()).is_some(), "well-formed");
            let db = Database::from_sources_cached(&sources, EngineChoice::Regex, dir.path()).unwrap();
            assert_eq!(lines(&db), want);
            assert_eq!(fs::read(&path).unwrap(), good, "the entry is rewritten whole");
        }
    }

    #[test]
    fn an_entry_answers_only_for_its_own_key() {
        let dir = tempfile::tempdir().unwrap();
        let key = regex_key(&["a", "b", "c", "d", "e"]);
        // Another build's (or another catalog's) entry under this key's file name, as a
        // hash collision would put it.
        let foreign = key.iter().map(|&b| if b == b'\n' { b'!' } else { b }).collect::<Vec<_>>();
        fs::write(regex_entry_path(dir.path(), &key), encode_regex_entry(&foreign, &sets(), None)).unwrap();
        assert_eq!(load_regex_entry(dir.path(), &key, 5), None);
        // Sources are delimited: ["ab", "c"] is not ["a", "bc"].
        assert_ne!(regex_key(&["ab", "c"]), regex_key(&["a", "bc"]));
        assert!(String::from_utf8_lossy(&regex_key(&["x"])).contains(env!("LOGMEDIC_CORE_FINGERPRINT")));
    }

    #[test]
    fn an_unwritable_directory_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        // A file where the directory would go: it cannot be created, whoever runs the test.
        let blocked = dir.path().join("file");
        fs::write(&blocked, b"not a directory").unwrap();
        let key = regex_key(&["a"]);
        store_regex_entry(&blocked.join("logmedic"), &key, &[LiteralPlan { literals: None, split: false }], None);
        assert_eq!(load_regex_entry(&blocked.join("logmedic"), &key, 1), None);
        assert_eq!(fs::read(&blocked).unwrap(), b"not a directory");
    }

    #[test]
    fn hash_is_stable_and_spreads() {
        // A fixed value: entry names must not change between builds and platforms.
        assert_eq!(hash64(b"logmedic hyperscan cache"), 0x348e_96be_3bb2_dc57);
        assert_ne!(hash64(b"a"), hash64(b"b"));
        assert_ne!(hash64(b"abcdefgh"), hash64(b"abcdefgh\0"));
        assert_ne!(hash64(&[0u8; 16]), hash64(&[0u8; 17]));
    }
}
