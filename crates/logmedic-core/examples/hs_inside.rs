//! Where the time goes inside Hyperscan's scan of the catalog, with libhs driven directly:
//! how many match callbacks it makes against the (pattern, line) pairs the analysis keeps,
//! what the scan costs with a callback that does nothing, with HS_FLAG_SINGLEMATCH (at most
//! one callback per pattern and piece: the floor of any cheaper callback), with
//! HS_FLAG_PREFILTER (approximate patterns, as a first stage would use them), a pure-literal
//! database of the required literals (the floor of a literal first pass), and a two-stage
//! search (literals and the patterns without any first, the catalog over candidate lines).
//!
//! ```sh
//! cargo run --release -p logmedic-core --example hs_inside -- CATALOG.tsv LOG [reps]
//! ```
//! CATALOG.tsv as `bench/catalog-tsv.ts` writes it; the analysis's two trigger patterns are
//! added, as `analyze` compiles them. One thread, the log in memory, 256 KiB line-aligned
//! pieces as the scan uses; thread CPU seconds, median of `reps`.

use std::ffi::{c_char, c_int, c_uint, c_ulonglong, c_void, CString};

use libloading::Library;
use logmedic_core::internals::{hyperscan_expressions, required_literals};
use logmedic_core::{Database, EngineChoice};

mod common;

const CASELESS: c_uint = 1;
const MULTILINE: c_uint = 4;
const SINGLEMATCH: c_uint = 8;
const PREFILTER: c_uint = 128;
const BLOCK: c_uint = 1;

type Handler = unsafe extern "C" fn(c_uint, c_ulonglong, c_ulonglong, c_uint, *mut c_void) -> c_int;
type CompileMulti = unsafe extern "C" fn(*const *const c_char, *const c_uint, *const c_uint, c_uint, c_uint, *const c_void, *mut *mut c_void, *mut *mut c_void) -> c_int;
type CompileLitMulti =
    unsafe extern "C" fn(*const *const c_char, *const c_uint, *const c_uint, *const usize, c_uint, c_uint, *const c_void, *mut *mut c_void, *mut *mut c_void) -> c_int;
type AllocScratch = unsafe extern "C" fn(*const c_void, *mut *mut c_void) -> c_int;
type Scan = unsafe extern "C" fn(*const c_void, *const c_char, c_uint, c_uint, *mut c_void, Handler, *mut c_void) -> c_int;

struct Hs {
    _lib: Library,
    compile_multi: CompileMulti,
    compile_lit_multi: CompileLitMulti,
    alloc_scratch: AllocScratch,
    scan: Scan,
}

/// A compiled database with its scratch (leaked at exit: this is a measuring tool).
struct Db {
    db: *mut c_void,
    scratch: *mut c_void,
}

impl Hs {
    fn load() -> Hs {
        // SAFETY: libhs's initialisers have no preconditions; the symbols are declared as hs.h does.
        unsafe {
            let lib = Library::new("libhs.so.5").expect("libhs.so.5");
            Hs {
                compile_multi: *lib.get(b"hs_compile_multi\0").unwrap(),
                compile_lit_multi: *lib.get(b"hs_compile_lit_multi\0").unwrap(),
                alloc_scratch: *lib.get(b"hs_alloc_scratch\0").unwrap(),
                scan: *lib.get(b"hs_scan\0").unwrap(),
                _lib: lib,
            }
        }
    }

    fn finish(&self, rc: c_int, db: *mut c_void) -> Db {
        assert_eq!(rc, 0, "compile failed");
        let mut scratch = std::ptr::null_mut();
        // SAFETY: `db` is a live database.
        assert_eq!(unsafe { (self.alloc_scratch)(db, &mut scratch) }, 0);
        Db { db, scratch }
    }

    /// Regular expressions with their ids and flags.
    fn regexes(&self, exprs: &[(u32, String)], flags: c_uint) -> Db {
        self.regexes_for(exprs, flags, None)
    }

    /// As `regexes`, for the CPU features `features` (`hs_platform_info_t::cpu_features`;
    /// `None`: this host's).
    fn regexes_for(&self, exprs: &[(u32, String)], flags: c_uint, features: Option<u64>) -> Db {
        let rc_db = self.compile(exprs, &vec![flags; exprs.len()], features);
        self.finish(rc_db.0, rc_db.1)
    }

    /// `hs_compile_multi` with each expression's own flags: its return code and database.
    fn compile(&self, exprs: &[(u32, String)], flags: &[c_uint], features: Option<u64>) -> (c_int, *mut c_void) {
        let platform = features.map(|f| [0u64, f, 0, 0]);
        let platform_ptr = platform.as_ref().map_or(std::ptr::null(), |p| p.as_ptr().cast());
        let texts: Vec<CString> = exprs.iter().map(|(_, t)| CString::new(t.as_str()).unwrap()).collect();
        let ptrs: Vec<*const c_char> = texts.iter().map(|t| t.as_ptr()).collect();
        let ids: Vec<c_uint> = exprs.iter().map(|e| e.0).collect();
        let (mut db, mut err) = (std::ptr::null_mut(), std::ptr::null_mut());
        // SAFETY: the arrays hold `exprs.len()` entries and outlive the call.
        let rc = unsafe { (self.compile_multi)(ptrs.as_ptr(), flags.as_ptr(), ids.as_ptr(), exprs.len() as c_uint, BLOCK, platform_ptr, &mut db, &mut err) };
        (rc, db)
    }

    /// Pure literals (bytes, any content) with their ids and flags.
    fn literals(&self, lits: &[(u32, Vec<u8>)], flags: c_uint) -> Db {
        let ptrs: Vec<*const c_char> = lits.iter().map(|(_, l)| l.as_ptr().cast()).collect();
        let lens: Vec<usize> = lits.iter().map(|(_, l)| l.len()).collect();
        let ids: Vec<c_uint> = lits.iter().map(|l| l.0).collect();
        let fl = vec![flags; lits.len()];
        let (mut db, mut err) = (std::ptr::null_mut(), std::ptr::null_mut());
        // SAFETY: as above; each literal's length is given, so no NUL is needed.
        let rc = unsafe {
            (self.compile_lit_multi)(ptrs.as_ptr(), fl.as_ptr(), ids.as_ptr(), lens.as_ptr(), lits.len() as c_uint, BLOCK, std::ptr::null(), &mut db, &mut err)
        };
        self.finish(rc, db)
    }

    /// Scans `data` in one call; `handler` gets `ctx`.
    fn scan<T>(&self, db: &Db, data: &[u8], handler: Handler, ctx: &mut T) {
        // SAFETY: `data` is live for the call, the scratch is this database's own and used by one thread.
        let rc = unsafe { (self.scan)(db.db, data.as_ptr().cast(), data.len() as c_uint, 0, db.scratch, handler, (ctx as *mut T).cast()) };
        assert_eq!(rc, 0, "scan failed");
    }
}

unsafe extern "C" fn count(_: c_uint, _: c_ulonglong, _: c_ulonglong, _: c_uint, ctx: *mut c_void) -> c_int {
    // SAFETY: `ctx` is the u64 the caller passed.
    unsafe { *ctx.cast::<u64>() += 1 };
    0
}

/// Collects match ends (the byte before `to`) into a Vec<u32>.
unsafe extern "C" fn collect(_: c_uint, _: c_ulonglong, to: c_ulonglong, _: c_uint, ctx: *mut c_void) -> c_int {
    // SAFETY: `ctx` is the Vec the caller passed.
    unsafe { (*ctx.cast::<Vec<u32>>()).push(to.saturating_sub(1) as u32) };
    0
}

/// (pattern, line start) pairs: the analysis's unit.
struct Pairs<'a> {
    piece: &'a [u8],
    seen: std::collections::HashSet<(u32, usize)>,
    raw: u64,
}

unsafe extern "C" fn pairs(id: c_uint, _: c_ulonglong, to: c_ulonglong, _: c_uint, ctx: *mut c_void) -> c_int {
    // SAFETY: `ctx` is the Pairs the caller passed.
    let p = unsafe { &mut *ctx.cast::<Pairs>() };
    p.raw += 1;
    let at = to.saturating_sub(1) as usize;
    let line = memchr::memrchr(b'\n', &p.piece[..at]).map_or(0, |i| i + 1);
    p.seen.insert((id, line));
    0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let hay = std::fs::read(&args[2]).expect("read log");
    let reps: usize = args.get(3).map_or(5, |s| s.parse().unwrap());
    let patterns = common::analysis_patterns(&args[1]);
    let exprs: Vec<(u32, String)> = hyperscan_expressions(&patterns).into_iter().enumerate().filter_map(|(i, e)| e.map(|e| (i as u32, e))).collect();
    let hs = Hs::load();
    let pieces: Vec<&[u8]> = common::pieces(&hay).into_iter().map(|(_, piece)| piece).collect();
    let mb = hay.len() as f64 / 1e6;
    println!("{} patterns ({} in Hyperscan), log {:.1} MB, {} lines, one thread, CPU s, medians of {reps}\n", patterns.len(), exprs.len(), mb, bytecount::count(&hay, b'\n'));
    println!("| search | CPU s | callbacks | callbacks per MB |\n|---|---:|---:|---:|");
    let row = |what: &str, (s, n): (f64, u64)| println!("| {what} | {s:.4} | {n} | {:.0} |", n as f64 / mb);

    // What the scan reports, and what the analysis keeps of it.
    let full = hs.regexes(&exprs, MULTILINE);
    let (mut raw, mut kept) = (0, 0);
    for piece in &pieces {
        let mut p = Pairs { piece, seen: Default::default(), raw: 0 };
        hs.scan(&full, piece, pairs, &mut p);
        raw += p.raw;
        kept += p.seen.len() as u64;
    }
    println!("| (raw callbacks / distinct pattern-line pairs) | | {raw} / {kept} | {:.0} / {:.0} |", raw as f64 / mb, kept as f64 / mb);

    let db = Database::compile_with(patterns.clone(), EngineChoice::Hyperscan, false).expect("compile");
    let mut searcher = db.searcher().expect("searcher");
    row(
        "logmedic's searcher (its callback, order, Rust-served patterns)",
        common::median_cpu(reps, || {
            let mut n = 0;
            for piece in &pieces {
                searcher.search(piece, &mut |_, _| n += 1).unwrap();
            }
            n
        }),
    );
    let scan_all = |db: &Db| {
        let mut n = 0u64;
        for piece in &pieces {
            hs.scan(db, piece, count, &mut n);
        }
        n
    };
    row("catalog, MULTILINE, callback only counts", common::median_cpu(reps, || scan_all(&full)));
    // Hyperscan's prefilter mode (a superset of each pattern's matches, for another engine
    // to confirm), for every pattern it accepts in that mode; the others as they are.
    let flags: Vec<c_uint> = exprs
        .iter()
        .map(|e| if hs.compile(std::slice::from_ref(e), &[MULTILINE | PREFILTER], None).0 == 0 { MULTILINE | PREFILTER } else { MULTILINE })
        .collect();
    let (rc, db) = hs.compile(&exprs, &flags, None);
    let approximate = hs.finish(rc, db);
    row(
        &format!("catalog, {} of its patterns with PREFILTER (approximate: a superset to confirm)", flags.iter().filter(|&&f| f & PREFILTER != 0).count()),
        common::median_cpu(reps, || scan_all(&approximate)),
    );
    for (name, features) in [("AVX2", 1u64 << 2), ("AVX-512", (1 << 2) | (1 << 3)), ("SSE4.2 only", 0)] {
        let db = hs.regexes_for(&exprs, MULTILINE, Some(features));
        row(&format!("catalog compiled for {name}"), common::median_cpu(reps, || scan_all(&db)));
    }
    // How the scan grows with the catalog: its first n patterns (catalog order mixes types).
    for n in [20, 60, 120, 180] {
        let db = hs.regexes(&exprs[..n.min(exprs.len())], MULTILINE);
        row(&format!("the catalog's first {n} patterns"), common::median_cpu(reps, || scan_all(&db)));
    }
    let single = hs.regexes(&exprs, MULTILINE | SINGLEMATCH);
    row("catalog, MULTILINE | SINGLEMATCH (≤ 1 callback per pattern and piece)", common::median_cpu(reps, || scan_all(&single)));

    // A literal first pass: each pattern's required literals, caseless; the patterns
    // without usable literals as they are.
    let (mut lits, mut bare) = (Vec::new(), Vec::new());
    for (id, text) in &exprs {
        match required_literals(patterns[*id as usize].hir()) {
            Some(set) => lits.extend(set.into_iter().map(|l| (*id, l))),
            None => bare.push((*id, text.clone())),
        }
    }
    let lit_db = hs.literals(&lits, CASELESS);
    row(&format!("{} required literals, hs_compile_lit_multi, caseless", lits.len()), common::median_cpu(reps, || scan_all(&lit_db)));
    // Which literals cost: the database of those at least `k` bytes long, and of the shorter.
    let mut by_len: Vec<usize> = lits.iter().map(|l| l.1.len()).collect();
    by_len.sort_unstable();
    println!("| (literal lengths: min {}, median {}, max {}) | | | |", by_len[0], by_len[by_len.len() / 2], by_len[by_len.len() - 1]);
    for k in [4, 5, 6, 8, 10] {
        let long: Vec<(u32, Vec<u8>)> = lits.iter().filter(|l| l.1.len() >= k).cloned().collect();
        let short: Vec<(u32, Vec<u8>)> = lits.iter().filter(|l| l.1.len() < k).cloned().collect();
        if !long.is_empty() {
            let db = hs.literals(&long, CASELESS);
            row(&format!("the {} literals of ≥ {k} bytes", long.len()), common::median_cpu(reps, || scan_all(&db)));
        }
        if !short.is_empty() {
            let db = hs.literals(&short, CASELESS);
            row(&format!("the {} literals of < {k} bytes", short.len()), common::median_cpu(reps, || scan_all(&db)));
        }
    }
    let cased: Vec<(u32, Vec<u8>)> = lits.clone();
    let db = hs.literals(&cased, 0);
    row("the same literals, case-sensitive (lowercase only)", common::median_cpu(reps, || scan_all(&db)));
    println!("| (patterns without usable literals: {}) | | | |", bare.iter().map(|b| b.0.to_string()).collect::<Vec<_>>().join(","));
    let bare_db = hs.regexes(&bare, MULTILINE);
    row(&format!("the {} patterns without usable literals", bare.len()), common::median_cpu(reps, || scan_all(&bare_db)));
    let escaped: Vec<(u32, String)> = lits.iter().map(|(id, l)| (*id, l.iter().map(|b| format!("\\x{b:02x}")).collect())).collect();
    let mut stage1 = escaped;
    stage1.extend(bare.iter().cloned());
    let stage1_db = hs.regexes(&stage1, MULTILINE | CASELESS);
    row("stage 1: literals (as caseless regexes) and those patterns, one database", common::median_cpu(reps, || scan_all(&stage1_db)));

    // Two stages: stage 1 marks candidate lines; their copies, joined, are scanned with the
    // whole catalog. The count is the catalog's callbacks on candidate lines.
    let mut candidate_bytes = 0;
    let two = common::median_cpu(reps, || {
        let (mut n, mut joined, mut ends) = (0u64, Vec::new(), Vec::<u32>::new());
        candidate_bytes = 0;
        for piece in &pieces {
            ends.clear();
            hs.scan(&stage1_db, piece, collect, &mut ends);
            ends.sort_unstable();
            joined.clear();
            let mut last_line = usize::MAX;
            for &at in &ends {
                let at = at as usize;
                let start = memchr::memrchr(b'\n', &piece[..at]).map_or(0, |i| i + 1);
                if start == last_line {
                    continue;
                }
                last_line = start;
                let end = memchr::memchr(b'\n', &piece[at..]).map_or(piece.len(), |i| at + i + 1);
                joined.extend_from_slice(&piece[start..end]);
            }
            candidate_bytes += joined.len();
            if !joined.is_empty() {
                hs.scan(&full, &joined, count, &mut n);
            }
        }
        n
    });
    row("two stages: stage 1, then the catalog over the candidate lines", two);
    println!("\ncandidate lines hold {candidate_bytes} bytes ({:.2}% of the log)", 100.0 * candidate_bytes as f64 / hay.len() as f64);
}
