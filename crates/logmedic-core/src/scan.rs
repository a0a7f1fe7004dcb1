//! The scan driver: splits a source into line-aligned chunks, runs one searcher per
//! thread, and merges per-chunk results in order into exact global line numbers.
//!
//! A chunk owns the lines that *start* inside its byte range, so chunks never need to
//! coordinate. Results are merged in chunk order; once a pattern has `max_hits` lines
//! collected, later chunks only count it, which bounds memory however much matches.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::Instant;

use crate::analysis::{Analysis, RecordSpec};
use crate::engine::{Database, Searcher};
use crate::record::{self, Edge, LineMatch};
use crate::error::{Error, ErrorCode, Result};
use crate::source::{read_exact_at, read_up_to, Source, SourceKind};

#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Worker threads; 0 means the number of available cores.
    pub threads: usize,
    /// Matching lines kept (with text) per pattern; all are still counted.
    pub max_hits: usize,
    /// Bytes of a matching line's text kept in a hit.
    pub max_text_bytes: usize,
    /// Target chunk size in bytes; 0 picks one from the input size.
    pub chunk_bytes: usize,
    /// Without mmap, the longest line read whole; a longer line is matched on its first
    /// `max_line_bytes` only, which keeps memory bounded on endless lines.
    pub max_line_bytes: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions { threads: 0, max_hits: 1000, max_text_bytes: 4096, chunk_bytes: 0, max_line_bytes: 16 << 20 }
    }
}

/// Cancellation and progress, shared with whoever started the scan.
#[derive(Default)]
pub struct Control {
    cancelled: AtomicBool,
    progress: Option<Box<dyn Fn(Progress) + Send + Sync>>,
}

#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub bytes: u64,
    /// Total bytes when known (not for streams).
    pub total: Option<u64>,
}

impl Control {
    pub fn new() -> Self {
        Control::default()
    }
    pub fn with_progress(progress: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        Control { cancelled: AtomicBool::new(false), progress: Some(Box::new(progress)) }
    }
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
    pub(crate) fn report(&self, progress: Progress) {
        if let Some(f) = &self.progress {
            f(progress);
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// 1-based line number.
    pub line: u64,
    /// Byte offset of the line's first byte (in decompressed bytes for compressed input).
    pub offset: u64,
    /// The line without its line terminator, at most `max_text_bytes`.
    pub text: Vec<u8>,
    /// The text was cut at `max_text_bytes`.
    pub truncated: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatternResult {
    /// Matching lines.
    pub count: u64,
    /// The first `max_hits` matching lines.
    pub hits: Vec<Hit>,
}

#[derive(Debug, Clone)]
pub struct ScanResult {
    pub patterns: Vec<PatternResult>,
    pub bytes: u64,
    pub lines: u64,
    pub elapsed_secs: f64,
    pub engine: &'static str,
    pub threads: usize,
    pub source: SourceKind,
    /// The file was truncated, or grew, while it was read: counts cover what was read.
    pub changed: bool,
}

/// Scan `source` for every pattern of `db`.
pub fn scan(source: Source<'_>, db: &Database, opts: &ScanOptions, control: &Control) -> Result<ScanResult> {
    run(source, db, opts, None, None, control).map(|(r, _)| r)
}

/// Scan and, in the same pass, group matching lines into typed records and summarize them
/// per type (see [`crate::analysis`]). Chunks are cut at record boundaries, so a record is
/// never split between workers.
pub fn analyze(source: Source<'_>, db: &Database, spec: &RecordSpec, opts: &ScanOptions, control: &Control) -> Result<(ScanResult, Analysis)> {
    check_spec(db, spec)?;
    run(source, db, opts, Some(spec), None, control).map(|(r, a)| (r, a.unwrap_or_else(|| Analysis::new(spec.types))))
}

/// [`analyze`] for the byte range `[start, end)` of a random-access source: the range owns
/// the records that *start* in it, as a chunk does (it reads past `end` to finish its last
/// record and skips the end of a record begun before `start`), so ranges that tile an input
/// give, folded in order, exactly the answer for the whole input. Line numbers are counted
/// from the range's first record; `ScanResult::bytes` and `lines` are what the range owns.
/// `end` past the input's end means its end. A compressed input or a stream cannot be
/// ranged: [`ErrorCode::InvalidArgument`].
pub fn analyze_range(source: Source<'_>, db: &Database, spec: &RecordSpec, opts: &ScanOptions, start: u64, end: u64, control: &Control) -> Result<(ScanResult, Analysis)> {
    check_spec(db, spec)?;
    if start > end {
        return Err(Error::new(ErrorCode::InvalidArgument, format!("byte range start {start} is after its end {end}")));
    }
    if let Source::Stream { kind, path, .. } = &source {
        let what = if matches!(kind, SourceKind::Gzip | SourceKind::Zstd) { "a compressed input" } else { "a stream" };
        let err = Error::new(ErrorCode::InvalidArgument, format!("{what} cannot be analyzed by byte range (decompress it first)"));
        return Err(match path {
            Some(p) => err.with_path(p),
            None => err,
        });
    }
    run(source, db, opts, Some(spec), Some((start, end)), control).map(|(r, a)| (r, a.unwrap_or_else(|| Analysis::new(spec.types))))
}

fn check_spec(db: &Database, spec: &RecordSpec) -> Result<()> {
    if spec.patterns() != db.len() || spec.pattern_priority.len() != spec.pattern_type.len()
        || !(spec.pattern_refines.is_empty() || spec.pattern_refines.len() == spec.pattern_type.len())
    {
        return Err(Error::new(ErrorCode::InvalidArgument, "record spec does not match the pattern database"));
    }
    if let Some(bad) = spec.pattern_type.iter().find(|&&t| t as usize >= spec.types) {
        return Err(Error::new(ErrorCode::InvalidArgument, format!("pattern type index {bad} out of range")));
    }
    Ok(())
}

/// `range`: only the records (or lines) that start in these bytes; None: all of them.
fn run(source: Source<'_>, db: &Database, opts: &ScanOptions, spec: Option<&RecordSpec>, range: Option<(u64, u64)>, control: &Control) -> Result<(ScanResult, Option<Analysis>)> {
    let started = Instant::now();
    let threads = if opts.threads == 0 { available_threads() } else { opts.threads };
    let kind = source.kind();
    let limits = Limits::new(db.len(), opts.max_hits, spec);
    let mut merger = Merger::new(&limits, db.len(), opts.max_hits, spec);
    let mut changed = false;
    let bytes = match source {
        Source::Memory(bytes) => {
            scan_random(&MemoryRange(bytes), span(range, bytes.len() as u64), db, opts, spec, threads, control, &mut merger)?;
            bytes.len() as u64
        }
        Source::Mapped { map, file, path } => {
            let guard = crate::sigbus::Guard::new(map.as_ptr(), map.len());
            let scanned = scan_random(&MemoryRange(&map), span(range, map.len() as u64), db, opts, spec, threads, control, &mut merger);
            changed = guard.tripped() || file_len(&file) != Some(map.len() as u64);
            drop(guard);
            scanned.map_err(|e| e.with_path(&path))?;
            map.len() as u64
        }
        Source::File { file, len, path } => {
            let reader = FileRange { file: &file, len, max_line: opts.max_line_bytes, short_read: AtomicBool::new(false) };
            scan_random(&reader, span(range, len), db, opts, spec, threads, control, &mut merger).map_err(|e| e.with_path(&path))?;
            changed = reader.short_read.load(Ordering::Relaxed) || file_len(&file) != Some(len);
            len
        }
        Source::Stream { .. } if range.is_some() => {
            return Err(Error::new(ErrorCode::InvalidArgument, "a stream cannot be analyzed by byte range"));
        }
        Source::Stream { reader, path, .. } => {
            let read = scan_stream(reader, db, opts, spec, threads, control, &mut merger);
            match (read, path) {
                (Err(e), Some(p)) if e.path.is_none() => return Err(Error { path: Some(p.display().to_string()), ..e }),
                (r, _) => r?,
            }
        }
    };
    if control.is_cancelled() {
        return Err(Error::new(ErrorCode::Aborted, "scan aborted"));
    }
    let analysis = merger.analysis.take();
    let result = ScanResult {
        patterns: merger.patterns,
        bytes: if range.is_some() { merger.bytes } else { bytes },
        lines: merger.lines,
        elapsed_secs: started.elapsed().as_secs_f64(),
        engine: db.engine_name(),
        threads,
        source: kind,
        changed,
    };
    Ok((result, analysis))
}

/// The bytes a scan covers: `range` clamped to the input, or all of it.
fn span(range: Option<(u64, u64)>, len: u64) -> Span {
    let (lo, hi) = range.map_or((0, len), |(a, b)| (a.min(len), b.min(len)));
    Span { lo, hi }
}

/// Bytes `[lo, hi)` of an input.
#[derive(Debug, Clone, Copy)]
struct Span {
    lo: u64,
    hi: u64,
}

pub fn available_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn file_len(file: &std::fs::File) -> Option<u64> {
    file.metadata().ok().map(|m| m.len())
}

// ---------------------------------------------------------------------------------------
// One chunk

struct LocalHit {
    /// 0-based line index within the chunk.
    line: u64,
    offset: u64,
    text: Vec<u8>,
    truncated: bool,
}

struct ChunkOut {
    bytes: u64,
    lines: u64,
    counts: Vec<u64>,
    hits: Vec<Vec<LocalHit>>,
    /// Records of this chunk (line numbers chunk-local), when analyzing.
    analysis: Option<Analysis>,
}

/// Walks forward through a chunk, tracking which line an offset falls in.
struct LineCursor {
    start: usize,
    /// Index of the line's '\n', or the buffer length for an unterminated last line.
    end: usize,
    index: u64,
}

impl LineCursor {
    fn new(buf: &[u8]) -> Self {
        LineCursor { start: 0, end: memchr::memchr(b'\n', buf).unwrap_or(buf.len()), index: 0 }
    }

    fn seek(&mut self, buf: &[u8], at: usize) {
        if at < self.start {
            // Engines report in order, but stay correct if one does not.
            *self = LineCursor::new(buf);
        }
        if at <= self.end {
            return;
        }
        self.index += 1 + bytecount::count(&buf[self.end + 1..at], b'\n') as u64;
        self.start = memchr::memrchr(b'\n', &buf[..at]).map_or(0, |i| i + 1);
        self.end = memchr::memchr(b'\n', &buf[at..]).map_or(buf.len(), |i| at + i);
    }
}

/// Bytes searched at a time within a chunk: small enough that the piece is still in the
/// core's cache when its newlines are counted right after, so each byte comes from memory
/// once (a chunk is up to 8 MiB, far more than L2).
pub const PIECE_BYTES: usize = 256 << 10;

/// What one chunk has found so far.
struct ChunkState<'a> {
    buf: &'a [u8],
    base: u64,
    opts: &'a ScanOptions,
    full: &'a [AtomicBool],
    analyzing: bool,
    cursor: LineCursor,
    counts: Vec<u64>,
    hits: Vec<Vec<LocalHit>>,
    last_line: Vec<u64>,
    matched: Vec<LineMatch>,
}

impl ChunkState<'_> {
    /// Pattern `pid` matched the line holding `buf[at]`.
    fn on_match(&mut self, pid: u32, at: usize) {
        let p = pid as usize;
        let (buf, cursor) = (self.buf, &mut self.cursor);
        cursor.seek(buf, at);
        if self.last_line[p] == cursor.index {
            return;
        }
        self.last_line[p] = cursor.index;
        self.counts[p] += 1;
        if self.analyzing {
            self.matched.push(LineMatch { line: cursor.index, start: cursor.start, pattern: pid });
        }
        if self.hits[p].len() < self.opts.max_hits && !self.full[p].load(Ordering::Relaxed) {
            let mut line = &buf[cursor.start..cursor.end];
            if line.last() == Some(&b'\r') {
                line = &line[..line.len() - 1];
            }
            let truncated = line.len() > self.opts.max_text_bytes;
            let text = line[..line.len().min(self.opts.max_text_bytes)].to_vec();
            self.hits[p].push(LocalHit { line: cursor.index, offset: self.base + cursor.start as u64, text, truncated });
        }
    }
}

/// The end of the piece that starts at `start`: just after the last `\n` within `piece`
/// bytes, or after the first one beyond (a longer line makes a longer piece).
pub fn piece_end(buf: &[u8], start: usize, piece: usize) -> usize {
    let target = start + piece;
    if target >= buf.len() {
        return buf.len();
    }
    match memchr::memrchr(b'\n', &buf[start..target]) {
        Some(i) => start + i + 1,
        None => memchr::memchr(b'\n', &buf[target..]).map_or(buf.len(), |i| target + i + 1),
    }
}

#[allow(clippy::too_many_arguments)]
fn scan_chunk(
    searcher: &mut Searcher<'_>,
    buf: &[u8],
    base: u64,
    piece: usize,
    full: &[AtomicBool],
    opts: &ScanOptions,
    spec: Option<&RecordSpec>,
    types_full: &[AtomicBool],
) -> Result<ChunkOut> {
    let patterns = full.len();
    let mut state = ChunkState {
        buf,
        base,
        opts,
        full,
        analyzing: spec.is_some(),
        cursor: LineCursor::new(buf),
        counts: vec![0; patterns],
        hits: (0..patterns).map(|_| Vec::new()).collect(),
        last_line: vec![u64::MAX; patterns],
        matched: Vec::new(),
    };
    // Search a piece, then count its lines while it is still cached: moving the cursor to
    // the piece's last byte counts the newlines after the last match. Matches never span a
    // '\n' and pieces start at line starts, so the pieces change no answer.
    let mut start = 0;
    while start < buf.len() {
        let end = piece_end(buf, start, piece);
        searcher.search(&buf[start..end], &mut |pid, at| state.on_match(pid, start + at))?;
        state.cursor.seek(buf, end - 1);
        start = end;
    }
    // The cursor is on the last line: every line before it ended with a '\n'.
    let lines = if buf.is_empty() { 0 } else { state.cursor.index + 1 };
    let ChunkState { counts, hits, mut matched, .. } = state;
    let analysis = spec.map(|spec| crate::analysis::analyze_chunk(buf, base, &mut matched, spec, types_full, searcher));
    Ok(ChunkOut { bytes: buf.len() as u64, lines, counts, hits, analysis })
}

/// Flags the merger raises and every worker reads: once a pattern (or a type) has all the
/// lines (or records) that will be kept, later chunks stop copying them.
struct Limits {
    /// Per pattern: `max_hits` lines collected.
    full: Vec<AtomicBool>,
    /// Per type: `max_samples` records collected.
    types_full: Vec<AtomicBool>,
}

impl Limits {
    fn new(patterns: usize, max_hits: usize, spec: Option<&RecordSpec>) -> Self {
        Limits {
            full: (0..patterns).map(|_| AtomicBool::new(max_hits == 0)).collect(),
            types_full: (0..spec.map_or(0, |s| s.types)).map(|_| AtomicBool::new(spec.is_some_and(|s| s.max_samples == 0))).collect(),
        }
    }
}

/// Puts chunk results back in order and assigns global line numbers.
struct Merger<'l> {
    next: usize,
    pending: BTreeMap<usize, ChunkOut>,
    lines: u64,
    bytes: u64,
    max_hits: usize,
    patterns: Vec<PatternResult>,
    /// Shared with the workers, which only read it.
    limits: &'l Limits,
    analysis: Option<Analysis>,
    max_samples: usize,
}

impl<'l> Merger<'l> {
    fn new(limits: &'l Limits, patterns: usize, max_hits: usize, spec: Option<&RecordSpec>) -> Self {
        Merger {
            next: 0,
            pending: BTreeMap::new(),
            lines: 0,
            bytes: 0,
            max_hits,
            patterns: vec![PatternResult::default(); patterns],
            limits,
            analysis: spec.map(|s| Analysis::new(s.types)),
            max_samples: spec.map_or(0, |s| s.max_samples),
        }
    }

    fn push(&mut self, seq: usize, out: ChunkOut) {
        self.pending.insert(seq, out);
        while let Some(mut out) = self.pending.remove(&self.next) {
            if let (Some(mine), Some(theirs)) = (self.analysis.as_mut(), out.analysis.take()) {
                mine.append(theirs, self.lines, self.max_samples);
                for (t, agg) in mine.types.iter().enumerate() {
                    if agg.samples.len() >= self.max_samples {
                        self.limits.types_full[t].store(true, Ordering::Relaxed);
                    }
                }
            }
            for (p, (count, hits)) in out.counts.into_iter().zip(out.hits).enumerate() {
                let result = &mut self.patterns[p];
                result.count += count;
                for hit in hits {
                    if result.hits.len() >= self.max_hits {
                        break;
                    }
                    result.hits.push(Hit { line: self.lines + hit.line + 1, offset: hit.offset, text: hit.text, truncated: hit.truncated });
                }
                if result.hits.len() >= self.max_hits {
                    self.limits.full[p].store(true, Ordering::Relaxed);
                }
            }
            self.lines += out.lines;
            self.bytes += out.bytes;
            self.next += 1;
        }
    }
}

// ---------------------------------------------------------------------------------------
// Random-access sources: workers take byte ranges in order from a shared counter.

trait RangeReader: Sync {
    /// The bytes of the lines that start in `[start, end)`, and the offset of the first.
    fn lines_in<'s>(&'s self, start: u64, end: u64, scratch: &'s mut Vec<u8>) -> Result<(&'s [u8], u64)>;
    /// The bytes of the records that start in `[start, end)` (chunk edges moved forward
    /// to record boundaries), and the offset of the first.
    fn records_in<'s>(&'s self, start: u64, end: u64, scratch: &'s mut Vec<u8>) -> Result<(&'s [u8], u64)>;
}

/// Move a line-start edge forward to the record boundary (the whole input is in `bytes`).
fn record_edge(bytes: &[u8], line_start: usize) -> usize {
    match record::boundary_at_or_after(bytes, line_start, true) {
        Edge::At(p) => p,
        Edge::NeedMore => line_start,
    }
}

/// The first line start at or after `at`, looking no further than `limit`.
fn line_start_in(bytes: &[u8], at: usize, limit: usize) -> Option<usize> {
    if at == 0 {
        return Some(0);
    }
    memchr::memchr(b'\n', &bytes[at - 1..limit.min(bytes.len())]).map(|i| at + i)
}

struct MemoryRange<'a>(&'a [u8]);

impl RangeReader for MemoryRange<'_> {
    fn lines_in<'s>(&'s self, start: u64, end: u64, _scratch: &'s mut Vec<u8>) -> Result<(&'s [u8], u64)> {
        let bytes = self.0;
        let (start, end) = (start as usize, end as usize);
        let Some(first) = line_start_in(bytes, start, end) else { return Ok((&[], start as u64)) };
        if first >= end {
            return Ok((&[], first as u64));
        }
        // The chunk runs to the end of the line that contains byte `end - 1`.
        let last = memchr::memchr(b'\n', &bytes[end - 1..]).map_or(bytes.len(), |i| end + i);
        Ok((&bytes[first..last], first as u64))
    }

    fn records_in<'s>(&'s self, start: u64, end: u64, _scratch: &'s mut Vec<u8>) -> Result<(&'s [u8], u64)> {
        let bytes = self.0;
        let (start, end) = (start as usize, end as usize);
        let first = line_start_in(bytes, start, bytes.len()).unwrap_or(bytes.len());
        let last = if end >= bytes.len() { bytes.len() } else { line_start_in(bytes, end, bytes.len()).unwrap_or(bytes.len()) };
        let (first, last) = (record_edge(bytes, first), record_edge(bytes, last));
        if first >= last {
            return Ok((&[], first as u64));
        }
        Ok((&bytes[first..last], first as u64))
    }
}

struct FileRange<'f> {
    file: &'f std::fs::File,
    len: u64,
    max_line: usize,
    /// The file ended before `len`: it shrank while we read it.
    short_read: AtomicBool,
}

impl RangeReader for FileRange<'_> {
    fn lines_in<'s>(&'s self, start: u64, end: u64, scratch: &'s mut Vec<u8>) -> Result<(&'s [u8], u64)> {
        let io = |e: std::io::Error| Error::new(ErrorCode::Io, format!("read failed: {e}"));
        let from = start.saturating_sub(1);
        let want = (end - from) as usize;
        scratch.clear();
        scratch.resize(want, 0);
        let got = read_exact_at(self.file, scratch, from).map_err(io)?;
        scratch.truncate(got);
        if got < want {
            self.short_read.store(true, Ordering::Relaxed);
        }
        let skip = if start == 0 {
            0
        } else {
            match memchr::memchr(b'\n', scratch) {
                Some(i) => i + 1,
                None => return Ok((&[], start)),
            }
        };
        // Extend to the end of the last line, but never past `max_line` extra bytes, nor past
        // the length the scan started with (a file that grows must not add to the counts).
        let body_cap = (want + self.max_line).min((self.len - from) as usize);
        let mut at_eof = got < want || end >= self.len;
        while !at_eof && scratch.last() != Some(&b'\n') && scratch.len() < body_cap {
            let old = scratch.len();
            let step = (1 << 20).min(body_cap - old);
            scratch.resize(old + step, 0);
            let n = read_exact_at(self.file, &mut scratch[old..], from + old as u64).map_err(io)?;
            scratch.truncate(old + n);
            if let Some(i) = memchr::memchr(b'\n', &scratch[old..]) {
                scratch.truncate(old + i + 1);
                break;
            }
            at_eof = n < step;
        }
        Ok((&scratch[skip..], from + skip as u64))
    }

    fn records_in<'s>(&'s self, start: u64, end: u64, scratch: &'s mut Vec<u8>) -> Result<(&'s [u8], u64)> {
        let io = |e: std::io::Error| Error::new(ErrorCode::Io, format!("read failed: {e}"));
        // A window from far enough before `start` that the line before each edge is seen
        // as every chunk sees it (see `record::prev_kind`).
        let from = start.saturating_sub(record::PREV_LOOKBACK as u64 + 2);
        let cap = (end - from) as usize + record::BOUNDARY_SEARCH + self.max_line + (1 << 20);
        scratch.clear();
        let mut want = ((end - from) as usize).max(64 << 10);
        loop {
            let old = scratch.len();
            if want > old {
                scratch.resize(want, 0);
                let n = read_exact_at(self.file, &mut scratch[old..], from + old as u64).map_err(io)?;
                scratch.truncate(old + n);
                if old + n < want && from + ((old + n) as u64) < self.len {
                    self.short_read.store(true, Ordering::Relaxed);
                }
            }
            let complete = from + scratch.len() as u64 >= self.len || scratch.len() < want;
            let buf = &scratch[..];
            let edge = |pos: u64| -> Edge {
                let rel = (pos - from) as usize;
                let line = if pos == 0 {
                    Some(0)
                } else if rel > buf.len() {
                    None
                } else {
                    memchr::memchr(b'\n', &buf[rel - 1..]).map(|i| rel + i)
                };
                match line {
                    Some(l) => record::boundary_at_or_after(buf, l, complete),
                    None if complete => Edge::At(buf.len()),
                    None => Edge::NeedMore,
                }
            };
            let first = edge(start);
            let last = if end >= self.len { Edge::At(buf.len()) } else { edge(end) };
            match (first, last) {
                (Edge::At(a), Edge::At(b)) => {
                    return Ok(if a >= b { (&scratch[..0], from + a as u64) } else { (&scratch[a..b], from + a as u64) });
                }
                _ if complete || scratch.len() >= cap => {
                    // A record longer than the search: fall back to line edges.
                    return self.lines_in(start, end, scratch);
                }
                _ => want = scratch.len() + (1 << 20),
            }
        }
    }
}

fn chunk_size(len: u64, threads: usize, opts: &ScanOptions) -> u64 {
    if opts.chunk_bytes > 0 {
        return opts.chunk_bytes as u64;
    }
    (len / (threads as u64 * 8)).clamp(256 << 10, 8 << 20)
}

/// Inputs smaller than this are scanned on the calling thread, as one chunk: spawning
/// workers costs 100–200 µs a call, more than a second thread saves below about half a
/// megabyte (measured: 4 KiB 81 -> 21 µs inline; 1 MiB - 1 B 507 µs on two threads, 626 on one).
pub const INLINE_BYTES: u64 = 512 << 10;

/// Chunk `k` of a random-access source: read (or borrow) its lines and scan them.
#[allow(clippy::too_many_arguments)]
fn scan_range(
    reader: &dyn RangeReader,
    k: usize,
    size: u64,
    span: Span,
    searcher: &mut Searcher<'_>,
    scratch: &mut Vec<u8>,
    full: &[AtomicBool],
    types_full: &[AtomicBool],
    opts: &ScanOptions,
    spec: Option<&RecordSpec>,
) -> Result<ChunkOut> {
    let start = span.lo + k as u64 * size;
    let end = (start + size).min(span.hi);
    let (bytes, base) = if spec.is_some() { reader.records_in(start, end, scratch)? } else { reader.lines_in(start, end, scratch)? };
    scan_chunk(searcher, bytes, base, PIECE_BYTES, full, opts, spec, types_full)
}

#[allow(clippy::too_many_arguments)]
fn scan_random(
    reader: &dyn RangeReader,
    span: Span,
    db: &Database,
    opts: &ScanOptions,
    spec: Option<&RecordSpec>,
    threads: usize,
    control: &Control,
    merger: &mut Merger<'_>,
) -> Result<()> {
    let len = span.hi - span.lo;
    // A chunk size set by the caller (the boundary tests) keeps the parallel path.
    let inline = threads <= 1 || (len < INLINE_BYTES && opts.chunk_bytes == 0);
    // A small input is one chunk, unless the caller asked for a size; a large one keeps
    // its chunks even on one thread (without mmap they bound the read buffer).
    let size = if len < INLINE_BYTES && opts.chunk_bytes == 0 { len.max(1) } else { chunk_size(len, threads, opts) };
    let chunks = len.div_ceil(size) as usize;
    if inline || chunks <= 1 {
        let mut searcher = db.searcher()?;
        let mut scratch = Vec::new();
        for k in 0..chunks {
            if control.is_cancelled() {
                break;
            }
            let out = scan_range(reader, k, size, span, &mut searcher, &mut scratch, &merger.limits.full, &merger.limits.types_full, opts, spec)?;
            let end = ((k as u64 + 1) * size).min(len);
            control.report(Progress { bytes: end, total: Some(len) });
            merger.push(k, out);
        }
        return Ok(());
    }
    let next = AtomicUsize::new(0);
    let done = AtomicU64::new(0);
    let workers = threads.min(chunks);
    // The workers read the limits while this thread merges (and raises them).
    let limits: &Limits = merger.limits;
    let (full, types_full) = (&limits.full[..], &limits.types_full[..]);
    let (tx, rx) = mpsc::channel::<Result<(usize, ChunkOut)>>();
    std::thread::scope(|scope| -> Result<()> {
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, done) = (&next, &done);
            scope.spawn(move || {
                let work = || -> Result<()> {
                    let mut searcher = db.searcher()?;
                    let mut scratch = Vec::new();
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        if k >= chunks || control.is_cancelled() {
                            return Ok(());
                        }
                        let out = scan_range(reader, k, size, span, &mut searcher, &mut scratch, full, types_full, opts, spec)?;
                        let bytes = ((k as u64 + 1) * size).min(len) - k as u64 * size;
                        let total = done.fetch_add(bytes, Ordering::Relaxed) + bytes;
                        control.report(Progress { bytes: total, total: Some(len) });
                        if tx.send(Ok((k, out))).is_err() {
                            return Ok(());
                        }
                    }
                };
                if let Err(e) = work() {
                    control.cancel_internal();
                    let _ = tx.send(Err(e));
                }
            });
        }
        drop(tx);
        let mut first_error = None;
        for msg in rx {
            match msg {
                Ok((k, out)) => merger.push(k, out),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        first_error.map_or(Ok(()), Err)
    })
}

impl Control {
    /// Stop the other workers after one failed; the error itself is returned.
    fn cancel_internal(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }
}

// ---------------------------------------------------------------------------------------
// Streams: one thread reads (and decompresses), workers scan line-aligned buffers.

fn scan_stream(
    mut reader: Box<dyn std::io::Read + Send + '_>,
    db: &Database,
    opts: &ScanOptions,
    spec: Option<&RecordSpec>,
    threads: usize,
    control: &Control,
    merger: &mut Merger<'_>,
) -> Result<u64> {
    let size = if opts.chunk_bytes > 0 { opts.chunk_bytes } else { 4 << 20 };
    let max_line = opts.max_line_bytes.max(1);
    let buffers = threads + 2;
    let (work_tx, work_rx) = mpsc::sync_channel::<(usize, u64, Vec<u8>)>(buffers);
    let (pool_tx, pool_rx) = mpsc::sync_channel::<Vec<u8>>(buffers);
    for _ in 0..buffers {
        pool_tx.send(Vec::with_capacity(size + (64 << 10))).expect("pool has room");
    }
    let work_rx = Mutex::new(work_rx);
    let (out_tx, out_rx) = mpsc::channel::<Result<(usize, ChunkOut)>>();
    // The workers read the limits while this thread merges (and raises them).
    let limits: &Limits = merger.limits;
    let (full, types_full) = (&limits.full[..], &limits.types_full[..]);
    let done = AtomicU64::new(0);

    std::thread::scope(|scope| -> Result<u64> {
        for _ in 0..threads {
            let (out_tx, pool_tx, work_rx, done) = (out_tx.clone(), pool_tx.clone(), &work_rx, &done);
            scope.spawn(move || {
                let mut searcher = match db.searcher() {
                    Ok(s) => s,
                    Err(e) => {
                        control.cancel_internal();
                        let _ = out_tx.send(Err(e));
                        return;
                    }
                };
                loop {
                    let job = work_rx.lock().expect("work queue").recv();
                    let Ok((seq, base, buf)) = job else { return };
                    let out = scan_chunk(&mut searcher, &buf, base, PIECE_BYTES, full, opts, spec, types_full);
                    let total = done.fetch_add(buf.len() as u64, Ordering::Relaxed) + buf.len() as u64;
                    control.report(Progress { bytes: total, total: None });
                    let _ = pool_tx.send(buf);
                    let failed = out.is_err();
                    if out_tx.send(out.map(|o| (seq, o))).is_err() || failed {
                        if failed {
                            control.cancel_internal();
                        }
                        return;
                    }
                }
            });
        }
        drop(out_tx);

        // The reader runs on this thread; results are merged on a helper so that the
        // reader never waits for the merge.
        let merge = scope.spawn(move || {
            let mut first_error = None;
            for msg in out_rx {
                match msg {
                    Ok((seq, out)) => merger.push(seq, out),
                    Err(e) => {
                        first_error.get_or_insert(e);
                    }
                }
            }
            first_error
        });

        let read_result = read_chunks(&mut *reader, size, max_line, spec.is_some(), control, &pool_rx, &work_tx);
        drop(work_tx);
        let merge_error = merge.join().expect("merge thread");
        let total = read_result?;
        merge_error.map_or(Ok(total), Err)
    })
}

/// Read `reader` into line-aligned buffers and queue them. Returns the bytes read.
/// With `records`, buffers are cut at record boundaries instead of line ends.
fn read_chunks(
    reader: &mut dyn std::io::Read,
    size: usize,
    max_line: usize,
    records: bool,
    control: &Control,
    pool: &mpsc::Receiver<Vec<u8>>,
    work: &mpsc::SyncSender<(usize, u64, Vec<u8>)>,
) -> Result<u64> {
    let read_err = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => Error::new(ErrorCode::Truncated, format!("truncated input ({e})")),
        std::io::ErrorKind::InvalidData | std::io::ErrorKind::InvalidInput | std::io::ErrorKind::Other => {
            Error::new(ErrorCode::Corrupt, format!("corrupt input ({e})"))
        }
        _ => Error::new(ErrorCode::Io, format!("read failed: {e}")),
    };
    let mut carry: Vec<u8> = Vec::new();
    let mut offset = 0u64; // offset of the next buffer's first byte
    let mut seq = 0usize;
    let mut eof = false;
    // After a line was cut at `max_line`, its remainder is skipped up to the next '\n'.
    let mut skipping = false;
    while !eof || !carry.is_empty() {
        if control.is_cancelled() {
            return Ok(offset);
        }
        let Ok(mut buf) = pool.recv() else { break };
        buf.clear();
        buf.append(&mut carry);
        // Fill to `size`, then keep reading until the buffer holds a line end.
        let mut checked = 0; // buf[..checked] is known to hold no '\n'
        loop {
            // Checked here too: skipping a line that never ends never leaves this loop.
            if control.is_cancelled() {
                return Ok(offset);
            }
            if skipping {
                match memchr::memchr(b'\n', &buf) {
                    Some(i) => {
                        offset += i as u64 + 1;
                        buf.drain(..=i);
                        skipping = false;
                    }
                    None => {
                        offset += buf.len() as u64;
                        buf.clear();
                    }
                }
                checked = 0;
            }
            let has_newline = !skipping && memchr::memchr(b'\n', &buf[checked..]).is_some();
            if !has_newline {
                checked = buf.len();
            }
            // With records, a buffer ends at a record boundary (a record longer than the
            // boundary search is the only one that may be cut).
            let can_cut = has_newline
                && (!records || record::last_boundary(&buf).is_some() || buf.len() >= size + record::BOUNDARY_SEARCH);
            if eof || (buf.len() >= size && can_cut) || (!skipping && buf.len() >= size + max_line) {
                break;
            }
            let old = buf.len();
            let step = if old < size { size - old } else { 1 << 20 };
            buf.resize(old + step, 0);
            let n = read_up_to(reader, &mut buf[old..]).map_err(read_err)?;
            buf.truncate(old + n);
            eof = n < step;
            if has_newline && old >= size && !records {
                break;
            }
        }
        if buf.is_empty() {
            continue;
        }
        let record_cut = if records && !eof { record::last_boundary(&buf) } else { None };
        if let Some(p) = record_cut {
            carry.extend_from_slice(&buf[p..]);
            buf.truncate(p);
        } else if !eof {
            match memchr::memrchr(b'\n', &buf) {
                Some(i) => {
                    carry.extend_from_slice(&buf[i + 1..]);
                    buf.truncate(i + 1);
                }
                // One line longer than `max_line`: scan its head, skip the rest.
                None => skipping = true,
            }
        }
        let len = buf.len() as u64;
        if work.send((seq, offset, buf)).is_err() {
            break;
        }
        seq += 1;
        offset += len;
    }
    Ok(offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EngineChoice;
    use std::sync::Arc;

    /// Scan `data` and say which threads reported progress.
    fn scan_noting_threads(data: &[u8], db: &Database, opts: &ScanOptions) -> (ScanResult, Vec<std::thread::ThreadId>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = seen.clone();
        let control = Control::with_progress(move |_| s.lock().unwrap().push(std::thread::current().id()));
        let r = scan(Source::Memory(data), db, opts, &control).unwrap();
        let threads = seen.lock().unwrap().clone();
        (r, threads)
    }

    #[test]
    fn small_inputs_are_scanned_on_the_calling_thread_with_the_same_answers() {
        let db = Database::from_sources(&["err", "^b", "x$"], EngineChoice::Auto).unwrap();
        let mut data = Vec::new();
        for i in 0..20_000 {
            data.extend(format!("b line {i} {}\r\n", if i % 7 == 0 { "err" } else { "x" }).as_bytes());
        }
        data.extend(b"b tail err");
        assert!((data.len() as u64) < INLINE_BYTES);
        let me = std::thread::current().id();
        let opts = ScanOptions { threads: 2, ..ScanOptions::default() };
        let (inline, seen) = scan_noting_threads(&data, &db, &opts);
        assert!(!seen.is_empty() && seen.iter().all(|&t| t == me), "progress came from {seen:?}, not {me:?}");
        // Small chunks on two threads: the parallel path, on other threads.
        let (parallel, seen) = scan_noting_threads(&data, &db, &ScanOptions { chunk_bytes: 4096, ..opts.clone() });
        assert!(seen.iter().all(|&t| t != me));
        assert_eq!(inline.patterns, parallel.patterns);
        assert_eq!((inline.lines, inline.bytes), (parallel.lines, parallel.bytes));
        assert_eq!((inline.lines, inline.patterns[0].count, inline.patterns[1].count), (20_001, 2859, 20_001));
        // The empty input, too.
        let (empty, _) = scan_noting_threads(b"", &db, &opts);
        assert_eq!((empty.lines, empty.patterns[0].count), (0, 0));
    }

    #[test]
    fn pieces_of_a_chunk_change_no_answer() {
        let db = Database::from_sources(&["err", "^b", "x$", "^err$"], EngineChoice::Auto).unwrap();
        let full: Vec<AtomicBool> = (0..db.len()).map(|_| AtomicBool::new(false)).collect();
        let opts = ScanOptions { max_hits: 1 << 20, ..ScanOptions::default() };
        let summary = |buf: &[u8], piece: usize| {
            let mut searcher = db.searcher().unwrap();
            let out = scan_chunk(&mut searcher, buf, 100, piece, &full, &opts, None, &[]).unwrap();
            let hits: Vec<Vec<(u64, u64, Vec<u8>)>> =
                out.hits.into_iter().map(|h| h.into_iter().map(|h| (h.line, h.offset, h.text)).collect()).collect();
            (out.lines, out.counts, hits)
        };
        let mut long = b"b err x\n\nx err\r\n".repeat(40);
        long.extend(b"b ");
        long.extend(std::iter::repeat_n(b'x', 300));
        long.extend(b"\nerr\n\n");
        for buf in [&b""[..], b"\n", b"x", b"err\nb", b"\n\nb err x\n", &long, &long[..long.len() - 2]] {
            let expected = summary(buf, PIECE_BYTES);
            let newlines = buf.iter().filter(|&&b| b == b'\n').count() as u64;
            assert_eq!(expected.0, newlines + u64::from(buf.last().is_some_and(|&b| b != b'\n')), "lines of {buf:?}");
            for piece in [1, 2, 5, 64, 301] {
                assert_eq!(summary(buf, piece), expected, "piece {piece} of {:?}", String::from_utf8_lossy(buf));
            }
        }
    }
}
