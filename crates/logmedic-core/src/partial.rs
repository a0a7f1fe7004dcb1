//! Partial analyses: what one byte range of one file found, in a form that can be written
//! out, carried to another process or machine, read back and merged. Merging the partials
//! of ranges that tile the inputs gives exactly the analysis of the whole inputs.
//!
//! Order rules. [`Partial::merge`] is associative but not commutative: `a.merge(b)` means
//! `a` comes before `b` in input order (files by index, then bytes). Counts, shapes, frames
//! and the timeline add up in any order; first/last records, the samples kept (the first
//! `max_samples` per type), the shapes kept (the first [`MAX_SHAPES`](crate::analysis::MAX_SHAPES)
//! per type), shape ties and line numbers follow input order. [`merge_in_order`] sorts
//! partials by the file index and byte range they carry, so callers may hand them over in
//! any order. Once a type has more distinct shapes (or innermost frames) than are kept,
//! which ones are kept can depend on where the input was cut; below the caps, no cut
//! changes an answer.

use crate::analysis::{Analysis, Record, RecordRef, RecordSpec, Shape, TypeAgg};
use crate::engine::Database;
use crate::error::{Error, ErrorCode, Result};
use crate::fields::{Frame, Objects, Timestamp};
use crate::scan::{Hit, PatternResult, ScanResult};
use crate::source::SourceKind;
use crate::template::{self, Levels, Seen, ShapeStats};

/// The version of [`Partial::encode`]'s format; a partial of another version is refused.
pub const FORMAT_VERSION: u32 = 2;
const MAGIC: &[u8; 4] = b"LMPA";

/// One byte range of one file that a partial covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePart {
    /// The caller's index of the file (its place among the inputs).
    pub file: u32,
    /// The byte range asked for.
    pub start: u64,
    pub end: u64,
    /// Bytes and lines of the records that start in the range.
    pub bytes: u64,
    pub lines: u64,
}

/// A pattern's matching lines in a partial: all counted, the first `max_hits` kept.
#[derive(Debug, Clone, Default)]
pub struct PatternPart {
    pub count: u64,
    /// `(file index, hit)`; hit lines count from the file's first byte the partial covers.
    pub hits: Vec<(u32, Hit)>,
}

/// The analysis of some byte ranges of some files, mergeable with the partials of the rest.
#[derive(Debug, Clone)]
pub struct Partial {
    /// The ranges covered, in input order (adjacent ranges of a file are joined).
    pub files: Vec<FilePart>,
    pub patterns: Vec<PatternPart>,
    pub analysis: Analysis,
    pub max_samples: usize,
    pub max_hits: usize,
    /// Files that were truncated or grew while they were read.
    pub changed: Vec<u32>,
    pub elapsed_secs: f64,
    pub threads: usize,
    pub source: SourceKind,
    /// The engines that ran, in input order without repeats ("regex", "hyperscan").
    pub engines: Vec<String>,
}

impl Partial {
    /// The partial of the range `[start, end)` of file `file`, from what
    /// [`crate::scan::analyze_range`] returned for it.
    pub fn of_range(scan: ScanResult, mut analysis: Analysis, file: u32, start: u64, end: u64, spec: &RecordSpec, max_hits: usize) -> Partial {
        analysis.set_file(file);
        Partial {
            files: vec![FilePart { file, start, end, bytes: scan.bytes, lines: scan.lines }],
            patterns: scan.patterns.into_iter().map(|p| PatternPart { count: p.count, hits: p.hits.into_iter().map(|h| (file, h)).collect() }).collect(),
            analysis,
            max_samples: spec.max_samples,
            max_hits,
            changed: if scan.changed { vec![file] } else { Vec::new() },
            elapsed_secs: scan.elapsed_secs,
            threads: scan.threads,
            source: scan.source,
            engines: vec![scan.engine.to_string()],
        }
    }

    /// Lines of file `file` this partial covers.
    fn lines_of(&self, file: u32) -> u64 {
        self.files.iter().filter(|p| p.file == file).map(|p| p.lines).sum()
    }

    /// `self` followed by `other` (see the module's order rules).
    pub fn merge(mut self, other: Partial) -> Partial {
        let bases: Vec<(u32, u64)> = other.files.iter().map(|p| (p.file, self.lines_of(p.file))).collect();
        let line_base = |f: u32| bases.iter().find(|b| b.0 == f).map_or(0, |b| b.1);
        self.analysis.fold(other.analysis, &line_base, self.max_samples);
        if self.patterns.len() < other.patterns.len() {
            self.patterns.resize_with(other.patterns.len(), PatternPart::default);
        }
        for (mine, theirs) in self.patterns.iter_mut().zip(other.patterns) {
            mine.count += theirs.count;
            for (file, mut hit) in theirs.hits {
                if mine.hits.len() >= self.max_hits {
                    break;
                }
                hit.line += line_base(file);
                mine.hits.push((file, hit));
            }
        }
        for part in other.files {
            match self.files.last_mut() {
                Some(last) if last.file == part.file && last.end == part.start => {
                    last.end = part.end;
                    last.bytes += part.bytes;
                    last.lines += part.lines;
                }
                _ => self.files.push(part),
            }
        }
        for f in other.changed {
            if !self.changed.contains(&f) {
                self.changed.push(f);
            }
        }
        self.elapsed_secs += other.elapsed_secs;
        self.threads = self.threads.max(other.threads);
        for e in other.engines {
            if !self.engines.contains(&e) {
                self.engines.push(e);
            }
        }
        self
    }

    /// The merged answer as one analysis returns it (`engine`: the engine of `db`; the
    /// partial's own are in [`Partial::engines`]).
    pub fn into_result(self, db: &Database) -> (ScanResult, Analysis) {
        let scan = ScanResult {
            patterns: self.patterns.into_iter().map(|p| PatternResult { count: p.count, hits: p.hits.into_iter().map(|(_, h)| h).collect() }).collect(),
            bytes: self.files.iter().map(|p| p.bytes).sum(),
            lines: self.files.iter().map(|p| p.lines).sum(),
            elapsed_secs: self.elapsed_secs,
            engine: db.engine_name(),
            threads: self.threads,
            source: self.source,
            changed: !self.changed.is_empty(),
        };
        (scan, self.analysis)
    }
}

/// Merge partials given in any order: sorted by the file index and range they carry, then
/// folded. Partials that overlap (the same bytes twice) are refused; gaps are allowed (a
/// caller may analyze only part of a file). None for no partials.
pub fn merge_in_order(mut partials: Vec<Partial>) -> Result<Option<Partial>> {
    let key = |p: &Partial| p.files.first().map_or((0, 0, 0), |f| (f.file, f.start, f.end));
    partials.sort_by_key(key);
    let mut merged: Option<Partial> = None;
    for p in partials {
        merged = Some(match merged {
            None => p,
            Some(m) => {
                if let (Some(last), Some(next)) = (m.files.last(), p.files.first()) {
                    if last.file == next.file && next.start < last.end && next.end > next.start {
                        return Err(Error::new(
                            ErrorCode::InvalidArgument,
                            format!("partial analyses overlap: bytes {}..{} and {}..{} of file {}", last.start, last.end, next.start, next.end, next.file),
                        ));
                    }
                }
                m.merge(p)
            }
        });
    }
    Ok(merged)
}

/// A number that changes when the catalog or the options that decide an answer change:
/// partials are only merged with partials made the same way.
pub fn fingerprint(db: &Database, spec: &RecordSpec) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::analysis::FxHasher::default();
    for p in db.patterns() {
        p.source.hash(&mut h);
    }
    (&spec.pattern_type, &spec.pattern_priority, &spec.pattern_refines, spec.types, spec.max_samples, spec.max_record_bytes, spec.embedded, spec.unrecognised).hash(&mut h);
    for b in [spec.range.since, spec.range.until] {
        b.map(|b| (b.utc_ms, b.offset_minutes)).hash(&mut h);
    }
    h.finish()
}

// ---------------------------------------------------------------------------------------
// The binary format: "LMPA", the format version (u32), the fingerprint (u64), then the
// partial's fields in a fixed order. Integers little-endian; strings and lists length-first.

impl Partial {
    /// The partial as bytes, for another process to [`Partial::decode`].
    pub fn encode(&self, fingerprint: u64) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(4096));
        w.0.extend_from_slice(MAGIC);
        w.u32(FORMAT_VERSION);
        w.u64(fingerprint);
        w.len(self.files.len());
        for p in &self.files {
            w.u32(p.file);
            for n in [p.start, p.end, p.bytes, p.lines] {
                w.u64(n);
            }
        }
        w.len(self.patterns.len());
        for p in &self.patterns {
            w.u64(p.count);
            w.len(p.hits.len());
            for (file, h) in &p.hits {
                w.u32(*file);
                w.u64(h.line);
                w.u64(h.offset);
                w.bytes(&h.text);
                w.bool(h.truncated);
            }
        }
        w.u64(self.analysis.records);
        w.len(self.analysis.types.len());
        for t in &self.analysis.types {
            w.type_agg(t);
        }
        w.unrecognised(&self.analysis.unrecognised);
        w.len(self.max_samples);
        w.len(self.max_hits);
        w.len(self.changed.len());
        for f in &self.changed {
            w.u32(*f);
        }
        w.u64(self.elapsed_secs.to_bits());
        w.len(self.threads);
        w.u8(source_code(self.source));
        w.strs(&self.engines);
        w.0
    }

    /// Read a partial written by [`Partial::encode`]. Refused with `InvalidArgument` when it
    /// is of another format version or was made with another catalog or options
    /// (`fingerprint`); with `Corrupt` when the bytes are not a whole partial.
    pub fn decode(bytes: &[u8], fingerprint: u64) -> Result<Partial> {
        if bytes.len() < 16 || &bytes[..4] != MAGIC {
            return Err(Error::new(ErrorCode::Corrupt, "not a logmedic partial analysis"));
        }
        let mut r = Reader { buf: bytes, at: 4 };
        let version = r.u32()?;
        if version != FORMAT_VERSION {
            return Err(Error::new(ErrorCode::InvalidArgument, format!("partial analysis of format version {version}; this logmedic reads version {FORMAT_VERSION}")));
        }
        if r.u64()? != fingerprint {
            return Err(Error::new(ErrorCode::InvalidArgument, "partial analysis made with another catalog or other options"));
        }
        let files = r.list(|r| Ok(FilePart { file: r.u32()?, start: r.u64()?, end: r.u64()?, bytes: r.u64()?, lines: r.u64()? }))?;
        let patterns = r.list(|r| {
            let count = r.u64()?;
            let hits = r.list(|r| Ok((r.u32()?, Hit { line: r.u64()?, offset: r.u64()?, text: r.bytes()?.to_vec(), truncated: r.bool()? })))?;
            Ok(PatternPart { count, hits })
        })?;
        let records = r.u64()?;
        let types = r.list(Reader::type_agg)?;
        let unrecognised = r.unrecognised()?;
        let partial = Partial {
            files,
            patterns,
            analysis: Analysis { types, records, unrecognised },
            max_samples: r.len()?,
            max_hits: r.len()?,
            changed: r.list(Reader::u32)?,
            elapsed_secs: f64::from_bits(r.u64()?),
            threads: r.len()?,
            source: source_of(r.u8()?)?,
            engines: r.strs()?,
        };
        if r.at != bytes.len() {
            return Err(corrupt());
        }
        Ok(partial)
    }
}

/// The template partial of some unrecognised lines alone, in the layout [`Partial::encode`]
/// gives it inside a partial analysis (what a running tally saves, see
/// [`template::RunningTemplates::encode`]).
pub(crate) fn encode_unrecognised(p: &template::Partial) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(4096));
    w.unrecognised(p);
    w.0
}

/// Read what [`encode_unrecognised`] wrote, all of `bytes`; `Corrupt` when they are not one
/// whole template partial, or one whose counts do not add up or that repeats a shape.
pub(crate) fn decode_unrecognised(bytes: &[u8]) -> Result<template::Partial> {
    let mut r = Reader { buf: bytes, at: 0 };
    let p = r.unrecognised()?;
    if r.at != bytes.len() {
        return Err(corrupt());
    }
    let (shapes, lines, others, limit) = p.numbered_parts();
    let kept = shapes.iter().try_fold(0u64, |sum, s| sum.checked_add(s.count).filter(|_| s.count > 0));
    if kept.and_then(|k| k.checked_add(others)) != Some(lines) || shapes.len() > limit || p.distinct_shapes() != shapes.len() {
        return Err(corrupt());
    }
    Ok(p)
}

fn source_code(kind: SourceKind) -> u8 {
    match kind {
        SourceKind::Mmap => 0,
        SourceKind::Read => 1,
        SourceKind::Gzip => 2,
        SourceKind::Zstd => 3,
        SourceKind::Memory => 4,
        SourceKind::Stream => 5,
    }
}

fn source_of(code: u8) -> Result<SourceKind> {
    Ok(match code {
        0 => SourceKind::Mmap,
        1 => SourceKind::Read,
        2 => SourceKind::Gzip,
        3 => SourceKind::Zstd,
        4 => SourceKind::Memory,
        5 => SourceKind::Stream,
        _ => return Err(corrupt()),
    })
}

fn corrupt() -> Error {
    Error::new(ErrorCode::Corrupt, "partial analysis is corrupt or cut short")
}

struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn bool(&mut self, v: bool) {
        self.0.push(u8::from(v));
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }
    fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.0.extend_from_slice(b);
    }
    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    fn opt_str(&mut self, s: &Option<String>) {
        self.bool(s.is_some());
        if let Some(s) = s {
            self.str(s);
        }
    }
    fn strs(&mut self, v: &[String]) {
        self.len(v.len());
        for s in v {
            self.str(s);
        }
    }
    fn u32s(&mut self, v: &[u32]) {
        self.len(v.len());
        for &n in v {
            self.u32(n);
        }
    }
    fn time(&mut self, t: &Option<Timestamp>) {
        self.bool(t.is_some());
        if let Some(t) = t {
            self.i64(t.ms);
            self.bool(t.utc);
            self.bool(t.frac);
        }
    }
    fn seen(&mut self, s: &Seen) {
        self.u32(s.file);
        self.u64(s.line);
        self.time(&s.time);
    }
    fn unrecognised(&mut self, p: &template::Partial) {
        let (shapes, lines, others, limit) = p.numbered_parts();
        self.len(shapes.len());
        for s in shapes {
            self.bytes(&s.key);
            self.u64(s.count);
            self.seen(&s.first);
            self.seen(&s.last);
            self.str(&s.example);
            self.u8(s.levels.bits());
            self.bytes(&s.kinds);
        }
        self.u64(lines);
        self.u64(others);
        self.u64(limit as u64);
    }
    fn record_ref(&mut self, r: &Option<RecordRef>) {
        self.bool(r.is_some());
        if let Some(r) = r {
            self.u32(r.file);
            self.u64(r.line);
            self.time(&r.time);
        }
    }
    fn frame(&mut self, f: &Frame) {
        self.str(&f.file);
        self.bool(f.line.is_some());
        self.u32(f.line.unwrap_or(0));
        self.opt_str(&f.function);
        self.bool(f.app);
    }
    fn record(&mut self, r: &Record) {
        self.u32(r.type_id);
        self.u32(r.file);
        self.u32(r.pattern);
        self.u32s(&r.matched);
        for n in [r.line, r.end_line, r.offset] {
            self.u64(n);
        }
        self.time(&r.time);
        self.opt_str(&r.level);
        self.opt_str(&r.logger);
        self.str(&r.message);
        self.bool(r.message_truncated);
        self.opt_str(&r.exception);
        self.str(&r.text);
        self.bool(r.text_truncated);
        self.len(r.frames.len());
        for f in &r.frames {
            self.frame(f);
        }
        self.bool(r.innermost.is_some());
        self.len(r.innermost.unwrap_or(0));
        let o = &r.objects;
        self.strs(&o.paths);
        self.strs(&o.hosts);
        self.u32s(&o.ports);
        self.u32s(&o.pids);
        self.strs(&o.services);
        self.strs(&o.devices);
    }
    fn type_agg(&mut self, t: &TypeAgg) {
        self.u64(t.count);
        self.record_ref(&t.first);
        self.record_ref(&t.last);
        self.len(t.samples.len());
        for r in &t.samples {
            self.record(r);
        }
        self.len(t.shapes.len());
        for (k, s) in &t.shapes {
            self.str(k);
            self.u64(s.count);
            self.str(&s.example);
            self.bool(s.example_truncated);
            self.u32(s.first_seen.0);
            self.u64(s.first_seen.1);
        }
        self.u64(t.other_shapes);
        self.len(t.frames.len());
        for (f, c) in &t.frames {
            self.frame(f);
            self.u64(*c);
        }
        self.len(t.minutes.len());
        for (m, c) in &t.minutes {
            self.i64(*m);
            self.u64(*c);
        }
    }
}

struct Reader<'b> {
    buf: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Result<&'b [u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.buf.len()).ok_or_else(corrupt)?;
        let out = &self.buf[self.at..end];
        self.at = end;
        Ok(out)
    }
    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    fn bool(&mut self) -> Result<bool> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(corrupt()),
        }
    }
    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }
    fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }
    fn i64(&mut self) -> Result<i64> {
        Ok(i64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }
    fn len(&mut self) -> Result<usize> {
        usize::try_from(self.u64()?).map_err(|_| corrupt())
    }
    /// A list of `len` items; the length is checked against the bytes left, so a corrupt
    /// length cannot ask for a huge allocation.
    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Result<T>) -> Result<Vec<T>> {
        let n = self.len()?;
        if n > self.buf.len() - self.at {
            return Err(corrupt());
        }
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(item(self)?);
        }
        Ok(out)
    }
    fn bytes(&mut self) -> Result<&'b [u8]> {
        let n = self.len()?;
        self.take(n)
    }
    fn str(&mut self) -> Result<String> {
        String::from_utf8(self.bytes()?.to_vec()).map_err(|_| corrupt())
    }
    fn opt_str(&mut self) -> Result<Option<String>> {
        Ok(if self.bool()? { Some(self.str()?) } else { None })
    }
    fn strs(&mut self) -> Result<Vec<String>> {
        self.list(Self::str)
    }
    fn time(&mut self) -> Result<Option<Timestamp>> {
        Ok(if self.bool()? { Some(Timestamp { ms: self.i64()?, utc: self.bool()?, frac: self.bool()? }) } else { None })
    }
    fn seen(&mut self) -> Result<Seen> {
        Ok(Seen { file: self.u32()?, line: self.u64()?, time: self.time()? })
    }
    fn unrecognised(&mut self) -> Result<template::Partial> {
        let shapes = self.list(|r| {
            Ok(ShapeStats {
                key: r.bytes()?.into(),
                count: r.u64()?,
                first: r.seen()?,
                last: r.seen()?,
                example: r.str()?,
                levels: Levels::from_bits(r.u8()?),
                kinds: r.bytes()?.to_vec(),
            })
        })?;
        let (lines, others) = (self.u64()?, self.u64()?);
        let limit = usize::try_from(self.u64()?).unwrap_or(usize::MAX);
        Ok(template::Partial::from_numbered_parts(shapes, lines, others, limit))
    }
    fn record_ref(&mut self) -> Result<Option<RecordRef>> {
        Ok(if self.bool()? { Some(RecordRef { file: self.u32()?, line: self.u64()?, time: self.time()? }) } else { None })
    }
    fn frame(&mut self) -> Result<Frame> {
        let file = self.str()?;
        let has_line = self.bool()?;
        let line = self.u32()?;
        Ok(Frame { file, line: has_line.then_some(line), function: self.opt_str()?, app: self.bool()? })
    }
    fn record(&mut self) -> Result<Record> {
        Ok(Record {
            type_id: self.u32()?,
            file: self.u32()?,
            pattern: self.u32()?,
            matched: self.list(Self::u32)?,
            line: self.u64()?,
            end_line: self.u64()?,
            offset: self.u64()?,
            time: self.time()?,
            level: self.opt_str()?,
            logger: self.opt_str()?,
            message: self.str()?,
            message_truncated: self.bool()?,
            exception: self.opt_str()?,
            text: self.str()?,
            text_truncated: self.bool()?,
            frames: self.list(Self::frame)?,
            innermost: {
                let some = self.bool()?;
                let i = self.len()?;
                some.then_some(i)
            },
            objects: Objects {
                paths: self.strs()?,
                hosts: self.strs()?,
                ports: self.list(Self::u32)?,
                pids: self.list(Self::u32)?,
                services: self.strs()?,
                devices: self.strs()?,
            },
        })
    }
    fn type_agg(&mut self) -> Result<TypeAgg> {
        let mut t = TypeAgg { count: self.u64()?, first: self.record_ref()?, last: self.record_ref()?, ..TypeAgg::default() };
        t.samples = self.list(Self::record)?;
        for _ in 0..self.len()? {
            let key = self.str()?;
            let shape = Shape { count: self.u64()?, example: self.str()?, example_truncated: self.bool()?, first_seen: (self.u32()?, self.u64()?) };
            t.shapes.insert(key, shape);
        }
        t.other_shapes = self.u64()?;
        for _ in 0..self.len()? {
            let f = self.frame()?;
            t.frames.insert(f, self.u64()?);
        }
        for _ in 0..self.len()? {
            let m = self.i64()?;
            t.minutes.insert(m, self.u64()?);
        }
        Ok(t)
    }
}
