//! The Hyperscan backend: libhs, loaded at run time, serving the same line-safe patterns
//! as the Rust engine. Patterns Hyperscan cannot take (see `print.rs`, or a compile error
//! naming one) are served by the Rust engine beside it, and both report into one ordered
//! stream, so a database answers identically whichever engine serves which pattern.

mod cache;
mod ffi;
mod print;

use std::ffi::{c_char, c_int, c_uint, c_ulonglong, c_void, CStr, CString};
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use self::ffi::{Api, HsCompileError, HsDatabase, HsScratch, HS_FLAG_MULTILINE, HS_MODE_BLOCK, HS_SUCCESS};
use self::print::{Printed, Unsupported};
use super::regex::{RegexDb, RegexSearcher};
use crate::error::{Error, ErrorCode, Result};
use crate::pattern::{parse_all, Pattern};

pub use self::ffi::LIBHS_ENV;

/// Whether libhs can be loaded here (honours `LOGMEDIC_LIBHS`; decided once per process).
pub fn available() -> bool {
    ffi::api().is_ok()
}

/// Where libhs came from and its version, or why it cannot be used.
pub fn describe() -> std::result::Result<&'static str, &'static str> {
    ffi::api().map(|api| api.description.as_str())
}

/// Bytes handed to one `hs_scan` call. Hyperscan does not promise to report matches in
/// offset order, so each call's reports are buffered (and sorted when needed) before they
/// reach the caller; a modest piece keeps that buffer small even when every line matches.
const PIECE_BYTES: usize = 256 << 10;

/// `hs_scan` takes a 32-bit length. A single line longer than this is matched by the Rust
/// engine instead (a line that long has no piece boundary to split at).
const MAX_SCAN_BYTES: usize = u32::MAX as usize;

pub struct HsDb {
    /// `None` when no pattern went to Hyperscan (all were left to the Rust engine or can
    /// never match).
    hs: Option<Compiled>,
    /// Patterns served by the Rust engine, with the ids they have in this database.
    rest: Option<Rest>,
    /// `(pattern index, why)` for each pattern served by the Rust engine.
    fallbacks: Vec<(usize, String)>,
    patterns: Vec<Pattern>,
    /// All patterns in the Rust engine, built only if a line too long for `hs_scan` shows up.
    whole: OnceLock<Result<RegexDb>>,
    /// The Hyperscan database was loaded from the on-disk cache rather than compiled.
    from_cache: bool,
}

struct Compiled {
    api: &'static Api,
    db: *mut HsDatabase,
    /// Scratch that searchers clone; never scanned with. The lock keeps clones from
    /// reading it concurrently, which libhs does not promise to be safe.
    prototype: Mutex<*mut HsScratch>,
}

// SAFETY: a compiled Hyperscan database is immutable and may be scanned from any number of
// threads at once; the prototype scratch is only read, under its lock.
unsafe impl Send for Compiled {}
unsafe impl Sync for Compiled {}

impl Drop for Compiled {
    fn drop(&mut self) {
        // SAFETY: both were allocated by libhs and are freed exactly once, here.
        unsafe {
            let proto = *self.prototype.get_mut().unwrap_or_else(|e| e.into_inner());
            (self.api.free_scratch)(proto);
            (self.api.free_database)(self.db);
        }
    }
}

struct Rest {
    db: RegexDb,
    /// Pattern index in the whole set, by id in `db`.
    ids: Vec<u32>,
}

/// The patterns as Hyperscan expressions (id = pattern index), and those it cannot take
/// with the reason (served by the Rust engine). Patterns that can never match are in neither.
fn printed(patterns: &[Pattern]) -> (Vec<(u32, CString)>, Vec<(usize, String)>) {
    let mut exprs = Vec::new();
    let mut fallbacks = Vec::new();
    for (i, p) in patterns.iter().enumerate() {
        match print::print(p.hir()) {
            Ok(Printed::Expr(text)) => exprs.push((i as u32, CString::new(text).expect("printed patterns are ASCII without NUL"))),
            Ok(Printed::Never) => {}
            Err(Unsupported(why)) => fallbacks.push((i, why)),
        }
    }
    (exprs, fallbacks)
}

/// Each pattern as the Hyperscan expression it is compiled to (with HS_FLAG_MULTILINE),
/// by pattern index; `None` for a pattern Hyperscan does not serve. For the examples that
/// profile libhs directly.
#[cfg(feature = "internals")]
pub fn expressions(patterns: &[Pattern]) -> Vec<Option<String>> {
    patterns.iter().map(|p| match print::print(p.hir()) { Ok(Printed::Expr(text)) => Some(text), _ => None }).collect()
}

fn unavailable(why: &str) -> Error {
    Error::new(ErrorCode::EngineUnavailable, format!("hyperscan is not available: {why}"))
}

impl HsDb {
    /// Compile `patterns` for Hyperscan; ids are pattern indexes. `EngineUnavailable` when
    /// libhs cannot be loaded (or rejects the set as a whole), so `auto` can fall back.
    /// A database compiled before is loaded from the cache that `LOGMEDIC_CACHE_DIR` (and
    /// the XDG defaults) name; see `cache.rs`.
    pub fn compile(patterns: &[Pattern]) -> Result<HsDb> {
        HsDb::compile_cached(patterns, cache::dir_from_env().as_deref())
    }

    /// As `compile`, with the cache in `cache_dir` (`None`: no cache).
    fn compile_cached(patterns: &[Pattern], cache_dir: Option<&Path>) -> Result<HsDb> {
        let api = ffi::api().map_err(unavailable)?;
        let (exprs, mut fallbacks) = printed(patterns);
        let cache_key = cache_dir.filter(|_| !exprs.is_empty()).map(|dir| (dir, cache::key(api, &exprs)));
        let cached = cache_key.as_ref().and_then(|(dir, key)| cache::load(api, &cache::entry_path(dir, key), key)).and_then(|loaded| {
            // A database that cannot get scratch space is dropped (`Compiled::new` frees it).
            Compiled::new(api, loaded.db).ok().map(|c| (c, loaded.rejected))
        });
        let from_cache = cached.is_some();
        let hs = match cached {
            Some((compiled, rejected)) => {
                // The same expressions are left out, for the same reasons, as when it was compiled.
                fallbacks.extend(rejected.into_iter().map(|(id, why)| (id as usize, why)));
                Some(compiled)
            }
            None => {
                let printed_fallbacks = fallbacks.len();
                let hs = compile_screened(api, exprs, &mut fallbacks)?;
                if let (Some(compiled), Some((dir, key))) = (&hs, &cache_key) {
                    let rejected: cache::Rejected = fallbacks[printed_fallbacks..].iter().map(|(i, w)| (*i as u32, w.clone())).collect();
                    cache::store(api, dir, &cache::entry_path(dir, key), key, compiled.db, &rejected);
                }
                hs
            }
        };
        HsDb::assemble(hs, fallbacks, patterns.to_vec(), from_cache)
    }

    /// Parse `sources` and compile them, through the cache in `dir` under a key made of the
    /// sources themselves (see `cache.rs`): on a hit no pattern is parsed but those the Rust
    /// engine serves beside Hyperscan. A miss parses, compiles and writes that entry.
    pub fn from_sources<S: AsRef<str>>(sources: &[S], dir: &Path) -> Result<HsDb> {
        // Without libhs, report as `compile` does: a bad pattern first, then the engine.
        let Ok(api) = ffi::api() else { return HsDb::compile_cached(&parse_all(sources)?, None) };
        let key = cache::sources_key(api, sources);
        let path = cache::sources_entry_path(dir, &key);
        if let Some(loaded) = cache::load(api, &path, &key) {
            // Drops (frees) the database again when scratch fails or the entry names a
            // pattern this catalog does not have.
            let compiled = Compiled::new(api, loaded.db).ok();
            if let Some(compiled) = compiled.filter(|_| loaded.rejected.iter().all(|&(i, _)| (i as usize) < sources.len())) {
                let patterns = sources.iter().map(|s| Pattern::known_valid(s.as_ref())).collect();
                let fallbacks = loaded.rejected.into_iter().map(|(i, why)| (i as usize, why)).collect();
                return HsDb::assemble(Some(compiled), fallbacks, patterns, true);
            }
        }
        let db = HsDb::compile_cached(&parse_all(sources)?, None)?;
        if let Some(compiled) = &db.hs {
            let left_out: cache::Rejected = db.fallbacks.iter().map(|(i, why)| (*i as u32, why.clone())).collect();
            cache::store(api, dir, &path, &key, compiled.db, &left_out);
        }
        Ok(db)
    }

    /// Whether [`HsDb::from_sources`] would load its database from the cache in `dir`
    /// (libhs present and an entry for these sources on disk). Only checks that the entry
    /// exists.
    pub fn is_cached<S: AsRef<str>>(sources: &[S], dir: &Path) -> bool {
        ffi::api().is_ok_and(|api| cache::sources_entry_path(dir, &cache::sources_key(api, sources)).is_file())
    }

    /// The database over `patterns`: Hyperscan's part `hs`, and the Rust engine over the
    /// `fallbacks` (pattern index, why) beside it.
    fn assemble(hs: Option<Compiled>, mut fallbacks: Vec<(usize, String)>, patterns: Vec<Pattern>, from_cache: bool) -> Result<HsDb> {
        fallbacks.sort();
        let rest = if fallbacks.is_empty() {
            None
        } else {
            let subset: Vec<Pattern> = fallbacks.iter().map(|&(i, _)| patterns[i].clone()).collect();
            Some(Rest { db: RegexDb::compile(&subset)?, ids: fallbacks.iter().map(|&(i, _)| i as u32).collect() })
        };
        Ok(HsDb { hs, rest, fallbacks, patterns, whole: OnceLock::new(), from_cache })
    }

    /// The patterns, in id order.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Whether the Hyperscan database was loaded from the on-disk cache, not compiled.
    pub fn from_cache(&self) -> bool {
        self.from_cache
    }

    /// `(pattern index, reason)` for every pattern served by the Rust engine.
    pub fn fallbacks(&self) -> &[(usize, String)] {
        &self.fallbacks
    }

    pub fn searcher(&self) -> Result<HsSearcher<'_>> {
        let scratch = match &self.hs {
            None => None,
            Some(c) => {
                let proto = c.prototype.lock().unwrap_or_else(|e| e.into_inner());
                let mut scratch = std::ptr::null_mut();
                // SAFETY: `proto` is a live scratch for `c.db`; the lock serialises clones.
                let rc = unsafe { (c.api.clone_scratch)(*proto, &mut scratch) };
                if rc != HS_SUCCESS {
                    return Err(Error::new(ErrorCode::Io, format!("hyperscan could not allocate scratch space (error {rc})")));
                }
                Some(Scratch { api: c.api, ptr: scratch })
            }
        };
        let n = self.patterns.len();
        Ok(HsSearcher {
            db: self,
            scratch,
            rest: self.rest.as_ref().map(|r| r.db.searcher()),
            reports: Vec::new(),
            last_at: vec![u32::MAX; n],
            line_end: vec![0; n],
        })
    }

    fn whole(&self) -> Result<&RegexDb> {
        self.whole.get_or_init(|| RegexDb::compile(&self.patterns)).as_ref().map_err(Clone::clone)
    }
}

/// Compile `exprs`, moving each expression libhs rejects into `fallbacks` with its reason.
/// `None` when none is left.
fn compile_screened(api: &'static Api, mut exprs: Vec<(u32, CString)>, fallbacks: &mut Vec<(usize, String)>) -> Result<Option<Compiled>> {
    // hs_compile_multi fails as a whole, naming at most one expression (and none for
    // resource limits). On a first failure each expression is compiled alone, which is
    // cheap next to the set, to find every one at fault; what compiles alone but not in
    // the set (rare) is then removed one named expression at a time.
    let mut screened = false;
    loop {
        if exprs.is_empty() {
            return Ok(None);
        }
        match compile_multi(api, &exprs) {
            Ok(compiled) => return Ok(Some(compiled)),
            Err(_) if !screened && exprs.len() > 1 => {
                screened = true;
                let mut kept = Vec::with_capacity(exprs.len());
                for expr in exprs.drain(..) {
                    match compile_multi(api, std::slice::from_ref(&expr)) {
                        Ok(_) => kept.push(expr),
                        Err((_, why)) => fallbacks.push((expr.0 as usize, format!("hyperscan: {why}"))),
                    }
                }
                exprs = kept;
            }
            Err((which, why)) => {
                let at_fault = match which {
                    Some(k) if k < exprs.len() => k,
                    _ if exprs.len() == 1 => 0,
                    _ => {
                        // Every pattern compiles alone, but not all of them together.
                        return Err(Error::new(
                            ErrorCode::EngineUnavailable,
                            format!("hyperscan cannot compile this pattern set: {why}"),
                        ));
                    }
                };
                let (id, _) = exprs.remove(at_fault);
                fallbacks.push((id as usize, format!("hyperscan: {why}")));
            }
        }
    }
}

fn compile_multi(api: &'static Api, exprs: &[(u32, CString)]) -> std::result::Result<Compiled, (Option<usize>, String)> {
    let texts: Vec<*const c_char> = exprs.iter().map(|(_, t)| t.as_ptr()).collect();
    let ids: Vec<c_uint> = exprs.iter().map(|&(id, _)| id).collect();
    let flags: Vec<c_uint> = vec![HS_FLAG_MULTILINE; exprs.len()];
    let mut db: *mut HsDatabase = std::ptr::null_mut();
    let mut err: *mut HsCompileError = std::ptr::null_mut();
    // SAFETY: the three arrays hold `exprs.len()` entries and outlive the call.
    let rc = unsafe {
        (api.compile_multi)(
            texts.as_ptr(),
            flags.as_ptr(),
            ids.as_ptr(),
            exprs.len() as c_uint,
            HS_MODE_BLOCK,
            std::ptr::null(),
            &mut db,
            &mut err,
        )
    };
    if rc != HS_SUCCESS {
        let (which, why) = if err.is_null() {
            (None, format!("error {rc}"))
        } else {
            // SAFETY: libhs filled `err`; it is read, then freed once.
            unsafe {
                let e = &*err;
                let why = if e.message.is_null() { format!("error {rc}") } else { CStr::from_ptr(e.message).to_string_lossy().into_owned() };
                let which = usize::try_from(e.expression).ok();
                (api.free_compile_error)(err);
                (which, why)
            }
        };
        return Err((which, why));
    }
    Compiled::new(api, db).map_err(|why| (None, why))
}

impl Compiled {
    /// Take ownership of `db` (compiled or loaded) and give it a prototype scratch.
    fn new(api: &'static Api, db: *mut HsDatabase) -> std::result::Result<Compiled, String> {
        let mut proto: *mut HsScratch = std::ptr::null_mut();
        // SAFETY: `db` is a live database.
        let rc = unsafe { (api.alloc_scratch)(db, &mut proto) };
        if rc != HS_SUCCESS {
            // SAFETY: freed once; nothing else refers to it.
            unsafe { (api.free_database)(db) };
            return Err(format!("cannot allocate scratch space (error {rc})"));
        }
        Ok(Compiled { api, db, prototype: Mutex::new(proto) })
    }
}

/// A searcher's own scratch space.
struct Scratch {
    api: &'static Api,
    ptr: *mut HsScratch,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // SAFETY: cloned for this searcher alone and freed once.
        unsafe { (self.api.free_scratch)(self.ptr) };
    }
}

pub struct HsSearcher<'db> {
    db: &'db HsDb,
    scratch: Option<Scratch>,
    rest: Option<RegexSearcher<'db>>,
    /// One piece's reports, `offset << 32 | pattern`, so sorting orders them by offset.
    reports: Vec<u64>,
    /// Per pattern: offset of its last report in this piece and the end of that line,
    /// to report a pattern once per line however many match ends Hyperscan finds there.
    last_at: Vec<u32>,
    line_end: Vec<u32>,
}

// SAFETY: the scratch belongs to this searcher alone; it may move between threads as long
// as one thread uses it at a time, which `&mut self` ensures.
unsafe impl Send for HsSearcher<'_> {}

impl HsSearcher<'_> {
    pub fn search(&mut self, hay: &[u8], on_match: &mut dyn FnMut(u32, usize)) -> Result<()> {
        self.search_in_pieces(hay, PIECE_BYTES, MAX_SCAN_BYTES, on_match)
    }

    /// Splits `hay` after a `\n` into pieces of about `piece` bytes (a longer line makes a
    /// longer piece); a line over `max_scan` bytes goes to the Rust engine. Matches never
    /// span a `\n` and a piece starts where a line starts, so splitting changes no answer.
    fn search_in_pieces(&mut self, hay: &[u8], piece: usize, max_scan: usize, on_match: &mut dyn FnMut(u32, usize)) -> Result<()> {
        let mut start = 0;
        while start < hay.len() {
            let target = start + piece;
            let end = if target >= hay.len() {
                hay.len()
            } else {
                match memchr::memrchr(b'\n', &hay[start..target]) {
                    Some(i) => start + i + 1,
                    None => memchr::memchr(b'\n', &hay[target..]).map_or(hay.len(), |i| target + i + 1),
                }
            };
            let slice = &hay[start..end];
            if slice.len() > max_scan {
                // One giant line (pieces of several lines are at most `piece` long).
                let mut whole = self.db.whole()?.searcher();
                whole.search(slice, &mut |pid, at| on_match(pid, start + at));
            } else {
                self.search_piece(slice, start, on_match)?;
            }
            start = end;
        }
        Ok(())
    }

    fn search_piece(&mut self, piece: &[u8], base: usize, on_match: &mut dyn FnMut(u32, usize)) -> Result<()> {
        let HsSearcher { db, scratch, rest, reports, last_at, line_end } = self;
        reports.clear();
        let mut sorted = true;
        if let (Some(compiled), Some(scratch)) = (&db.hs, scratch.as_ref()) {
            last_at.fill(u32::MAX);
            let mut ctx = Reports { piece, reports, last_at, line_end, previous: 0, sorted: true };
            // SAFETY: `piece` is live for the call and at most u32::MAX long; the scratch
            // is this searcher's own; `ctx` outlives the call and is only used by `on_event`.
            let rc = unsafe {
                (compiled.api.scan)(
                    compiled.db,
                    piece.as_ptr().cast(),
                    piece.len() as c_uint,
                    0,
                    scratch.ptr,
                    on_event,
                    (&mut ctx as *mut Reports).cast(),
                )
            };
            sorted = ctx.sorted;
            if rc != HS_SUCCESS {
                return Err(Error::new(ErrorCode::Io, format!("hyperscan scan failed (error {rc})")));
            }
        }
        if let (Some(rest), Some(r)) = (rest.as_mut(), db.rest.as_ref()) {
            // Ordered on its own; merged with Hyperscan's reports by the sort below.
            sorted &= reports.is_empty();
            rest.search(piece, &mut |pid, at| reports.push(((at as u64) << 32) | u64::from(r.ids[pid as usize])));
        }
        if !sorted {
            reports.sort_unstable();
        }
        for &r in reports.iter() {
            on_match(r as u32, base + (r >> 32) as usize);
        }
        Ok(())
    }
}

/// What `on_event` writes into while one piece is scanned.
struct Reports<'a> {
    piece: &'a [u8],
    reports: &'a mut Vec<u64>,
    last_at: &'a mut [u32],
    line_end: &'a mut [u32],
    previous: u32,
    sorted: bool,
}

/// Hyperscan's match callback. It must not unwind (it is called from C), and nothing in it
/// can panic: offsets are clamped into the piece and ids were assigned by us.
unsafe extern "C" fn on_event(id: c_uint, _from: c_ulonglong, to: c_ulonglong, _flags: c_uint, context: *mut c_void) -> c_int {
    // SAFETY: `context` is the `Reports` that `search_piece` passed to `hs_scan`.
    let ctx = unsafe { &mut *context.cast::<Reports>() };
    let p = id as usize;
    if p >= ctx.last_at.len() || ctx.piece.is_empty() {
        return 0;
    }
    // Matches are never empty and never contain '\n', so the byte before their end lies
    // inside the matching line.
    let at = (to.saturating_sub(1)).min(ctx.piece.len() as u64 - 1) as u32;
    if at >= ctx.last_at[p] && at < ctx.line_end[p] {
        return 0; // this pattern was already reported on this line
    }
    ctx.last_at[p] = at;
    let from = at as usize;
    ctx.line_end[p] = memchr::memchr(b'\n', &ctx.piece[from..]).map_or(ctx.piece.len(), |i| from + i) as u32;
    if at < ctx.previous {
        ctx.sorted = false;
    }
    ctx.previous = at;
    ctx.reports.push((u64::from(at) << 32) | u64::from(id));
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::parse_all;

    /// (pattern, line start) pairs, one per matching line, for a haystack.
    fn lines_of(reports: &[(u32, usize)], hay: &[u8]) -> Vec<(u32, usize)> {
        let mut out: Vec<(u32, usize)> = reports
            .iter()
            .map(|&(p, at)| (p, memchr::memrchr(b'\n', &hay[..at]).map_or(0, |i| i + 1)))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    fn regex_lines(patterns: &[Pattern], hay: &[u8]) -> Vec<(u32, usize)> {
        let db = RegexDb::compile(patterns).unwrap();
        let mut got = Vec::new();
        db.searcher().search(hay, &mut |p, at| got.push((p, at)));
        lines_of(&got, hay)
    }

    #[test]
    fn pieces_and_giant_lines_change_no_answer() {
        if !available() {
            eprintln!("note: libhs not available here, skipping");
            return;
        }
        let patterns = parse_all(&["ab", "^x+$", "(?i)LONG", "\\bq\\b"]).unwrap();
        let db = HsDb::compile(&patterns).unwrap();
        let mut hay = b"ab\nxx\r\nq ab\n".to_vec();
        hay.extend(std::iter::repeat_n(b'x', 100));
        hay.extend(b"long ab\n");
        hay.extend(std::iter::repeat_n(b'x', 40));
        hay.extend(b"\nq\nab");
        let expected = regex_lines(&patterns, &hay);
        // Tiny pieces, and a scan limit below the longest line, force both special paths.
        for (piece, max_scan) in [(1, 1000), (7, 1000), (16, 50), (4, 4), (PIECE_BYTES, MAX_SCAN_BYTES)] {
            let mut s = db.searcher().unwrap();
            let mut got = Vec::new();
            let mut last = 0;
            s.search_in_pieces(&hay, piece, max_scan, &mut |p, at| {
                assert!(at >= last, "offsets must not decrease");
                last = at;
                got.push((p, at));
            })
            .unwrap();
            assert_eq!(lines_of(&got, &hay), expected, "piece {piece}, max_scan {max_scan}");
        }
    }

    #[test]
    fn unsupported_patterns_are_served_by_the_rust_engine() {
        if !available() {
            eprintln!("note: libhs not available here, skipping");
            return;
        }
        let patterns = parse_all(&["(?u)\\bwörd\\b", "plain", "\\b{start}st"]).unwrap();
        let db = HsDb::compile(&patterns).unwrap();
        let served: Vec<usize> = db.fallbacks().iter().map(|f| f.0).collect();
        assert_eq!(served, vec![0, 2]);
        let hay = "a wörd\nplain st\nstart\nxwörd\n".as_bytes();
        let mut got = Vec::new();
        db.searcher().unwrap().search(hay, &mut |p, at| got.push((p, at))).unwrap();
        assert_eq!(lines_of(&got, hay), regex_lines(&patterns, hay));
    }

    type Answers = (Vec<(u32, usize)>, Vec<(usize, String)>);

    /// Every (pattern, line start) that `db` reports on `hay`, and its fallbacks.
    fn answers(db: &HsDb, hay: &[u8]) -> Answers {
        let mut got = Vec::new();
        db.searcher().unwrap().search(hay, &mut |p, at| got.push((p, at))).unwrap();
        (lines_of(&got, hay), db.fallbacks().to_vec())
    }

    fn cache_entries(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        files
    }

    /// Patterns served by Hyperscan, by the Rust engine (no Hyperscan syntax), and one that
    /// libhs refuses when compiling, so a cache entry must remember that refusal.
    const MIXED: [&str; 4] = ["ab", "(?u)\\bwörd\\b", "q\\w{1,40000}q", "(?i)err(or)?\\b"];

    fn mixed_hay() -> Vec<u8> {
        let mut hay = "ab wörd\nERROR x\nq".as_bytes().to_vec();
        hay.extend(std::iter::repeat_n(b'w', 30000));
        hay.extend(b"q\nerr ab\nerrors\n");
        hay
    }

    #[test]
    fn a_cached_database_answers_like_a_compiled_one() {
        if !available() {
            eprintln!("note: libhs not available here, skipping");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let patterns = parse_all(&MIXED).unwrap();
        let hay = mixed_hay();
        let uncached = HsDb::compile_cached(&patterns, None).unwrap();
        let first = HsDb::compile_cached(&patterns, Some(dir.path())).unwrap();
        assert!(!first.from_cache() && !uncached.from_cache());
        assert_eq!(cache_entries(dir.path()).len(), 1, "one entry, no temporary file left behind");
        let second = HsDb::compile_cached(&patterns, Some(dir.path())).unwrap();
        assert!(second.from_cache(), "the second compile loads the entry");
        let expected = answers(&uncached, &hay);
        assert_eq!(expected.1.iter().map(|f| f.0).collect::<Vec<_>>(), [1, 2], "{:?}", expected.1);
        assert_eq!(answers(&first, &hay), expected);
        assert_eq!(answers(&second, &hay), expected);
        assert_eq!(regex_lines(&patterns, &hay), expected.0);
        // Another pattern set is another entry, not a wrong answer.
        let other = parse_all(&["ab", "wörd"]).unwrap();
        let third = HsDb::compile_cached(&other, Some(dir.path())).unwrap();
        assert!(!third.from_cache());
        assert_eq!(answers(&third, &hay).0, regex_lines(&other, &hay));
        assert_eq!(cache_entries(dir.path()).len(), 2);
    }

    #[test]
    fn a_damaged_entry_is_ignored_and_replaced() {
        if !available() {
            eprintln!("note: libhs not available here, skipping");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let patterns = parse_all(&MIXED).unwrap();
        let hay = mixed_hay();
        let expected = answers(&HsDb::compile_cached(&patterns, Some(dir.path())).unwrap(), &hay);
        let entry = cache_entries(dir.path()).pop().unwrap();
        let good = std::fs::read(&entry).unwrap();
        let mut flipped = good.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0xff;
        for damaged in [flipped, good[..good.len() / 3].to_vec(), Vec::new(), b"not a database".to_vec()] {
            std::fs::write(&entry, &damaged).unwrap();
            let db = HsDb::compile_cached(&patterns, Some(dir.path())).unwrap();
            assert!(!db.from_cache(), "a damaged entry is not used");
            assert_eq!(answers(&db, &hay), expected);
            assert_ne!(std::fs::read(&entry).unwrap(), damaged, "the damaged entry was rewritten");
            assert!(HsDb::compile_cached(&patterns, Some(dir.path())).unwrap().from_cache(), "and the rewrite loads");
        }
    }

    #[test]
    fn an_unusable_cache_directory_still_compiles() {
        if !available() {
            eprintln!("note: libhs not available here, skipping");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        // A directory below a regular file can be neither created nor read, even by root.
        let file = dir.path().join("a-file");
        std::fs::write(&file, b"x").unwrap();
        let patterns = parse_all(&MIXED).unwrap();
        let hay = mixed_hay();
        for _ in 0..2 {
            let db = HsDb::compile_cached(&patterns, Some(&file.join("cache"))).unwrap();
            assert!(!db.from_cache());
            assert_eq!(answers(&db, &hay).0, regex_lines(&patterns, &hay));
        }
        assert_eq!(std::fs::read(&file).unwrap(), b"x");
    }
}
