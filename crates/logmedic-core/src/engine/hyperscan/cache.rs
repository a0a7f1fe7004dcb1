//! An on-disk cache of compiled Hyperscan databases.
//!
//! Compiling a pattern set takes libhs tens of milliseconds (much more for a large catalog),
//! while loading a serialized database takes well under one; a CLI process compiles the
//! same patterns on every run. An entry is keyed by everything the compiled bytes depend
//! on: the libhs version, the platform libhs reports (CPU features, tuning), the printed
//! expressions with their flags and ids, and the logmedic version. The whole key is stored
//! in the entry and compared on load, so a hash collision in the file name is only a miss.
//!
//! The cache never fails a compile: an entry that cannot be read, is corrupt (checksum),
//! or that libhs refuses is ignored, and the freshly compiled database replaces it; a
//! directory that cannot be written is simply not written. Entries are written to a
//! temporary file and renamed into place, so a reader never sees half an entry.

use std::ffi::{c_char, CString};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::ffi::{Api, HsDatabase, HS_FLAG_MULTILINE, HS_MODE_BLOCK, HS_SUCCESS};

/// Where compiled databases are kept; `off` turns the cache off. Without it,
/// `$XDG_CACHE_HOME/logmedic`, else `~/.cache/logmedic`.
pub const CACHE_DIR_ENV: &str = "LOGMEDIC_CACHE_DIR";

const MAGIC: &[u8; 16] = b"logmedic-hsdb-1\n";

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

/// The bytes that identify a compiled database: whatever `hs_compile_multi` saw, plus
/// the library and the logmedic that made it.
pub fn key(api: &Api, exprs: &[(u32, CString)]) -> Vec<u8> {
    let mut k = Vec::with_capacity(256 + exprs.iter().map(|(_, t)| t.as_bytes().len() + 12).sum::<usize>());
    k.extend_from_slice(format!("logmedic {}\nlibhs {}\n", env!("CARGO_PKG_VERSION"), api.version).as_bytes());
    let p = &api.platform;
    for word in [u64::from(p.tune), p.cpu_features, p.reserved1, p.reserved2, u64::from(HS_MODE_BLOCK)] {
        k.extend_from_slice(&word.to_le_bytes());
    }
    for (id, text) in exprs {
        k.extend_from_slice(&id.to_le_bytes());
        k.extend_from_slice(&HS_FLAG_MULTILINE.to_le_bytes());
        k.extend_from_slice(&(text.as_bytes().len() as u32).to_le_bytes());
        k.extend_from_slice(text.as_bytes());
    }
    k
}

/// Expressions (by id) that libhs rejected when the set was compiled, with why.
pub type Rejected = Vec<(u32, String)>;

/// A database loaded from the cache, and what libhs had rejected when it was compiled.
pub struct Loaded {
    pub db: *mut HsDatabase,
    pub rejected: Rejected,
}

fn entry_path(dir: &Path, key: &[u8]) -> PathBuf {
    dir.join(format!("hs-{:016x}.db", hash64(key)))
}

/// Whether an entry for `key` is on disk (it may still turn out damaged when loaded).
pub fn exists(dir: &Path, key: &[u8]) -> bool {
    entry_path(dir, key).is_file()
}

/// The cached database for `key`, or `None` on any miss, mismatch or damage.
pub fn load(api: &Api, dir: &Path, key: &[u8]) -> Option<Loaded> {
    let bytes = fs::read(entry_path(dir, key)).ok()?;
    let (rejected, serialized) = decode(&bytes, key)?;
    let mut db: *mut HsDatabase = std::ptr::null_mut();
    // SAFETY: `serialized` is live for the call; libhs validates its header (version,
    // platform) and copies it into a database of its own.
    let rc = unsafe { (api.deserialize_database)(serialized.as_ptr().cast::<c_char>(), serialized.len(), &mut db) };
    if rc != HS_SUCCESS || db.is_null() {
        return None;
    }
    Some(Loaded { db, rejected })
}

/// Write `db` to the cache for `key`. Failures are ignored: the cache is an optimisation.
pub fn store(api: &Api, dir: &Path, key: &[u8], db: *const HsDatabase, rejected: &[(u32, String)]) {
    let Some(serialized) = serialize(api, db) else { return };
    let entry = encode(key, rejected, &serialized);
    let path = entry_path(dir, key);
    let _ = write_atomically(dir, &path, &entry);
}

#[cfg(unix)]
fn serialize(api: &Api, db: *const HsDatabase) -> Option<Vec<u8>> {
    let mut bytes: *mut c_char = std::ptr::null_mut();
    let mut len = 0usize;
    // SAFETY: `db` is a live database; on success libhs hands us a malloc'ed block of
    // `len` bytes, copied here and then freed once.
    unsafe {
        if (api.serialize_database)(db, &mut bytes, &mut len) != HS_SUCCESS || bytes.is_null() {
            return None;
        }
        let copy = std::slice::from_raw_parts(bytes.cast::<u8>(), len).to_vec();
        libc::free(bytes.cast());
        Some(copy)
    }
}

/// Elsewhere the block libhs allocates may come from another C runtime than ours, so it
/// could not be freed safely: entries are only written on unix.
#[cfg(not(unix))]
fn serialize(_api: &Api, _db: *const HsDatabase) -> Option<Vec<u8>> {
    None
}

fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
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

// Entry layout (integers little-endian):
//   MAGIC, u64 key length, key, u32 rejected count, per rejected: u32 id, u32 length,
//   reason; u64 database length, database; u64 checksum of everything before it.

fn encode(key: &[u8], rejected: &[(u32, String)], db: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(MAGIC.len() + key.len() + db.len() + 64);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(key.len() as u64).to_le_bytes());
    out.extend_from_slice(key);
    out.extend_from_slice(&(rejected.len() as u32).to_le_bytes());
    for (id, why) in rejected {
        out.extend_from_slice(&id.to_le_bytes());
        out.extend_from_slice(&(why.len() as u32).to_le_bytes());
        out.extend_from_slice(why.as_bytes());
    }
    out.extend_from_slice(&(db.len() as u64).to_le_bytes());
    out.extend_from_slice(db);
    let sum = hash64(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

/// The rejected expressions and the serialized database of an entry made for `key`.
fn decode<'a>(entry: &'a [u8], key: &[u8]) -> Option<(Rejected, &'a [u8])> {
    let body_len = entry.len().checked_sub(8)?;
    let (body, sum) = entry.split_at(body_len);
    if hash64(body).to_le_bytes() != sum {
        return None;
    }
    let mut r = Reader(body);
    if r.take(MAGIC.len())? != MAGIC {
        return None;
    }
    let key_len = usize::try_from(r.u64()?).ok()?;
    if r.take(key_len)? != key {
        return None;
    }
    let n = r.u32()?;
    let mut rejected = Vec::new();
    for _ in 0..n {
        let id = r.u32()?;
        let len = r.u32()? as usize;
        rejected.push((id, String::from_utf8(r.take(len)?.to_vec()).ok()?));
    }
    let db_len = usize::try_from(r.u64()?).ok()?;
    let db = r.take(db_len)?;
    r.0.is_empty().then_some((rejected, db))
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4).map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
    }
    fn u64(&mut self) -> Option<u64> {
        self.take(8).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
    }
}

/// A fixed 64-bit hash (not `DefaultHasher`, whose output may change between Rust
/// releases): names entries and checks them for damage. Not cryptographic; nothing here
/// needs to resist a chosen collision, the key itself is compared on load.
fn hash64(bytes: &[u8]) -> u64 {
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

    #[test]
    fn entries_round_trip_and_reject_damage() {
        let key = b"the key".to_vec();
        let rejected = vec![(3, "too big".to_string()), (7, String::new())];
        let entry = encode(&key, &rejected, b"database bytes");
        let (r, db) = decode(&entry, &key).expect("a fresh entry decodes");
        assert_eq!((r, db), (rejected.clone(), &b"database bytes"[..]));
        assert!(decode(&entry, b"another key").is_none(), "an entry only answers for its own key");
        for cut in [0, 1, 8, entry.len() / 2, entry.len() - 1] {
            assert!(decode(&entry[..cut], &key).is_none(), "cut at {cut}");
        }
        for at in [0, 20, entry.len() / 2, entry.len() - 9, entry.len() - 1] {
            let mut bad = entry.clone();
            bad[at] ^= 0x40;
            assert!(decode(&bad, &key).is_none(), "flipped byte {at}");
        }
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
