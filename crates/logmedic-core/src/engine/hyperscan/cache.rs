//! An on-disk cache of compiled Hyperscan databases.
//!
//! Compiling a pattern set takes libhs tens of milliseconds (much more for a large catalog),
//! while loading a serialized database takes well under one; a CLI process compiles the
//! same patterns on every run. An entry is keyed by everything the compiled bytes depend
//! on: the libhs version, the platform libhs reports (CPU features, tuning), the printed
//! expressions with their flags and ids, and the logmedic version. The whole key is stored
//! in the entry and compared on load, so a hash collision in the file name is only a miss.
//!
//! That key needs every pattern parsed and printed first (tens of milliseconds for the
//! catalog), so a catalog compiled from its sources has an entry of its own, keyed by the
//! sources, the build of the core that parses and prints them (`build.rs` fingerprints its
//! source), libhs and the flags: on a hit nothing is parsed but the patterns Hyperscan does
//! not serve, which that entry lists with their reasons.
//!
//! The cache never fails a compile: an entry that cannot be read, is corrupt (checksum),
//! or that libhs refuses is ignored, and the freshly compiled database replaces it; a
//! directory that cannot be written is simply not written. Entries are written to a
//! temporary file and renamed into place, so a reader never sees half an entry.

use std::ffi::{c_char, CString};
use std::fs;
use std::path::{Path, PathBuf};

use super::ffi::{Api, HsDatabase, HS_FLAG_MULTILINE, HS_MODE_BLOCK, HS_SUCCESS};
use crate::engine::cache::{checked_body, hash64, write_atomically};
pub use crate::engine::cache::dir_from_env;

const MAGIC: &[u8; 16] = b"logmedic-hsdb-1\n";

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

/// The key of a database compiled from pattern `sources`, before any is parsed: the
/// sources in order, the core build that turns them into expressions, and what [`key`]
/// says of libhs.
pub fn sources_key<S: AsRef<str>>(api: &Api, sources: &[S]) -> Vec<u8> {
    let mut k = Vec::with_capacity(256 + sources.iter().map(|s| s.as_ref().len() + 4).sum::<usize>());
    k.extend_from_slice(format!("logmedic {} core {}\nlibhs {}\nsources\n", env!("CARGO_PKG_VERSION"), env!("LOGMEDIC_CORE_FINGERPRINT"), api.version).as_bytes());
    let p = &api.platform;
    for word in [u64::from(p.tune), p.cpu_features, p.reserved1, p.reserved2, u64::from(HS_MODE_BLOCK), u64::from(HS_FLAG_MULTILINE)] {
        k.extend_from_slice(&word.to_le_bytes());
    }
    k.extend_from_slice(&(sources.len() as u32).to_le_bytes());
    for s in sources {
        let s = s.as_ref().as_bytes();
        k.extend_from_slice(&(s.len() as u32).to_le_bytes());
        k.extend_from_slice(s);
    }
    k
}

/// Patterns (by id) left out of the database, with why: for an entry of expressions, those
/// libhs rejected; for an entry of sources, every pattern the Rust engine serves instead.
pub type Rejected = Vec<(u32, String)>;

/// A database loaded from the cache, and what libhs had rejected when it was compiled.
pub struct Loaded {
    pub db: *mut HsDatabase,
    pub rejected: Rejected,
}

/// Where the entry for a [`key`] of expressions lives.
pub fn entry_path(dir: &Path, key: &[u8]) -> PathBuf {
    dir.join(format!("hs-{:016x}.db", hash64(key)))
}

/// Where the entry for a [`sources_key`] lives.
pub fn sources_entry_path(dir: &Path, key: &[u8]) -> PathBuf {
    dir.join(format!("hs-sources-{:016x}.db", hash64(key)))
}

/// The cached database at `path` made for `key`, or `None` on any miss, mismatch or damage.
pub fn load(api: &Api, path: &Path, key: &[u8]) -> Option<Loaded> {
    let bytes = fs::read(path).ok()?;
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

/// Write `db` to `path` in `dir` for `key`. Failures are ignored: the cache is an
/// optimisation.
pub fn store(api: &Api, dir: &Path, path: &Path, key: &[u8], db: *const HsDatabase, rejected: &[(u32, String)]) {
    let Some(serialized) = serialize(api, db) else { return };
    let entry = encode(key, rejected, &serialized);
    let _ = write_atomically(dir, path, &entry);
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
    let mut r = checked_body(entry, MAGIC, key)?;
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
}
