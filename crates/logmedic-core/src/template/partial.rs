//! The per-chunk half of template mining: each chunk folds its lines into exact shapes
//! (masked token sequences) with their counts, first/last sightings and example, and
//! partial results of adjacent chunks merge in order. The merge only adds counts and
//! keeps the earlier/later sighting, so it is associative: any chunking gives the same
//! shapes, and the clustering that follows sees the same input.

use std::collections::hash_map::Entry;

use crate::analysis::FxMap;
use crate::fields::{self, Timestamp};

use super::tokens::shape_key;

/// Where a line was seen: its file (the index in the list of inputs) and its line number
/// in that file (from 1 once merged from the file's start), with the time its header gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub file: u32,
    pub line: u64,
    pub time: Option<Timestamp>,
}

impl Seen {
    fn at(&self) -> (u32, u64) {
        (self.file, self.line)
    }
}

/// Severity levels seen on a shape's lines, one bit per canonical level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Levels(u8);

/// Canonical level names, from least to most severe (the order of the bits in [`Levels`]).
pub const LEVEL_NAMES: [&str; 6] = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "FATAL"];

impl Levels {
    pub fn add(&mut self, level: Option<&str>) {
        if let Some(bit) = level.and_then(|l| LEVEL_NAMES.iter().position(|&n| n == l)) {
            self.0 |= 1 << bit;
        }
    }

    /// One bit per name of [`LEVEL_NAMES`], for serialization.
    pub fn bits(self) -> u8 {
        self.0
    }

    pub fn from_bits(bits: u8) -> Levels {
        Levels(bits & 0b111111)
    }

    pub fn union(self, other: Levels) -> Levels {
        Levels(self.0 | other.0)
    }

    /// The names of the levels seen, least severe first.
    pub fn names(self) -> Vec<&'static str> {
        LEVEL_NAMES.iter().enumerate().filter(|(i, _)| self.0 & (1 << i) != 0).map(|(_, &n)| n).collect()
    }

    /// Whether any line was at an error level (ERROR, CRITICAL or FATAL).
    pub fn has_error(self) -> bool {
        self.0 & 0b111000 != 0
    }
}

/// Whether a canonical level name is an error level.
pub fn is_error_level(level: Option<&str>) -> bool {
    matches!(level, Some("ERROR" | "CRITICAL" | "FATAL"))
}

/// What is known of one exact shape.
#[derive(Debug, Clone)]
pub struct ShapeStats {
    pub key: Box<[u8]>,
    pub count: u64,
    pub first: Seen,
    pub last: Seen,
    /// The first line of this shape, as written (without its line end; its first 4 KiB).
    pub example: String,
    pub levels: Levels,
    /// Per variable token of the key, in order: the [`kind`](super::tokens::kind)s of the
    /// values seen there, or-ed together.
    pub kinds: Vec<u8>,
}

/// The mined shapes of a run of consecutive lines (a chunk, a file, several files).
#[derive(Debug, Clone)]
pub struct Partial {
    index: FxMap<Box<[u8]>, u32>,
    pub(super) shapes: Vec<ShapeStats>,
    /// Per line, the index of its shape in `shapes` (`u32::MAX` for a line not mined),
    /// when line ids were asked for.
    pub(super) line_shapes: Option<Vec<u32>>,
    /// The file of the first line, and of the last line with the count of this partial's
    /// lines in it: line numbers of a partial that starts mid-file count from its start,
    /// and a merge shifts the later partial's lines in that file by the earlier's count.
    first_file: u32,
    last_file: u32,
    tail_lines: u64,
    pub(super) lines: u64,
    /// Lines counted but not kept, their shape being new once [`Partial::limit`] was reached.
    pub(super) others: u64,
    /// The most distinct shapes kept (unbounded for [`Miner`]'s partials, bounded for
    /// those an analysis keeps of its unrecognised lines, which any log may fill).
    limit: usize,
}

/// What a miner is told once, for all its lines.
#[derive(Debug, Clone, Copy)]
pub struct MineOptions {
    /// Keep one shape index per line, for [`super::Templates::line_ids`].
    pub line_ids: bool,
    /// Mine only lines whose header gives an error level (ERROR, CRITICAL, FATAL).
    pub errors_only: bool,
    /// The year for timestamps that do not give one (syslog).
    pub year: i32,
    /// Mine only lines whose time is in this range (`--since`/`--until`); lines without a
    /// time are mined.
    pub range: fields::TimeRange,
}

impl Default for MineOptions {
    fn default() -> Self {
        MineOptions { line_ids: false, errors_only: false, year: crate::analysis::current_year(), range: fields::TimeRange::default() }
    }
}

impl Default for Partial {
    fn default() -> Self {
        Partial::numbered(usize::MAX)
    }
}

/// Folds the lines of one chunk, in order, into a [`Partial`].
pub struct Miner {
    opts: MineOptions,
    partial: Partial,
    key: Vec<u8>,
    kinds: Vec<u8>,
}

impl Miner {
    /// A miner for a chunk of file number `file`; its line numbers count from the chunk's start.
    pub fn new(file: u32, opts: MineOptions) -> Self {
        Miner { opts, partial: Partial::empty(file, opts.line_ids), key: Vec::with_capacity(256), kinds: Vec::new() }
    }

    /// Mine every line of `buf` (lines end at `\n`; a `\r` before it is dropped).
    pub fn add_lines(&mut self, buf: &[u8]) {
        let mut rest = buf;
        while !rest.is_empty() {
            let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
            self.add_line(&rest[..end]);
            rest = rest.get(end + 1..).unwrap_or(&[]);
        }
    }

    /// Mine one line (without its `\n`).
    pub fn add_line(&mut self, line: &[u8]) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let p = &mut self.partial;
        p.lines += 1;
        p.tail_lines += 1;
        let header = fields::header(line, self.opts.year);
        let out_of_range = self.opts.range.is_bounded() && !self.opts.range.admits(header.time.as_ref());
        if out_of_range || (self.opts.errors_only && !is_error_level(header.level)) {
            if let Some(ids) = &mut p.line_shapes {
                ids.push(u32::MAX);
            }
            return;
        }
        shape_key(header.message.as_bytes(), &mut self.key, &mut self.kinds);
        let seen = Seen { file: p.last_file, line: p.tail_lines, time: header.time };
        let shape = p.record(&self.key, &self.kinds, seen, header.level, line);
        if let Some(ids) = &mut p.line_shapes {
            ids.push(shape);
        }
    }

    pub fn finish(self) -> Partial {
        self.partial
    }
}

/// A line's example: its lossy text cut to [`crate::MAX_MESSAGE_BYTES`], as
/// [`crate::analysis::capped_message`] cuts it. Only the bytes that can reach the cut are
/// read: a few past it, so that the cut falls where it would in the text of the whole line
/// (a character or a replacement across the cut is dropped the same way).
pub(super) fn example_of(line: &[u8]) -> String {
    let head = fields::read_prefix(line, crate::MAX_MESSAGE_BYTES + 4);
    crate::analysis::capped_message(&fields::lossy_text(head)).0.to_string()
}

impl Partial {
    fn empty(file: u32, line_ids: bool) -> Self {
        Partial {
            index: FxMap::default(),
            shapes: Vec::new(),
            line_shapes: line_ids.then(Vec::new),
            first_file: file,
            last_file: file,
            tail_lines: 0,
            lines: 0,
            others: 0,
            limit: usize::MAX,
        }
    }

    /// An empty partial for lines its owner numbers itself ([`Partial::add_numbered`]),
    /// keeping at most `limit` distinct shapes.
    pub fn numbered(limit: usize) -> Self {
        Partial { limit, ..Partial::empty(0, false) }
    }

    /// Mine one line whose header the caller has read, as line `number` (from 1) of the run
    /// this partial covers: the analysis mines only the lines it picks, not every line.
    pub fn add_numbered(&mut self, line: &[u8], number: u64, header: &fields::Header<'_>, key: &mut Vec<u8>, kinds: &mut Vec<u8>) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        self.lines += 1;
        shape_key(header.message.as_bytes(), key, kinds);
        if self.shapes.len() >= self.limit && !self.index.contains_key(&key[..]) {
            self.others += 1;
            return;
        }
        self.record(key, kinds, Seen { file: 0, line: number, time: header.time }, header.level, line);
    }

    /// Merge the partial of numbered lines that follow this one's; a line of file `f` in
    /// `later` counts from `line_base(f)` lines later (the lines of `f` before it).
    pub fn merge_numbered(mut self, mut later: Partial, line_base: &dyn Fn(u32) -> u64) -> Partial {
        for mut s in later.shapes.drain(..) {
            s.first.line += line_base(s.first.file);
            s.last.line += line_base(s.last.file);
            if self.shapes.len() >= self.limit && !self.index.contains_key(&s.key) {
                self.others += s.count;
            } else {
                self.absorb(s);
            }
        }
        self.lines += later.lines;
        self.others += later.others;
        self
    }

    /// What a numbered partial holds: its shapes, the lines it saw, those counted but not
    /// kept ([`Partial::numbered`]'s limit) and that limit; the partial-analysis format
    /// writes them, [`Partial::from_numbered_parts`] reads them back.
    pub fn numbered_parts(&self) -> (&[ShapeStats], u64, u64, usize) {
        (&self.shapes, self.lines, self.others, self.limit)
    }

    pub fn from_numbered_parts(shapes: Vec<ShapeStats>, lines: u64, others: u64, limit: usize) -> Partial {
        let mut p = Partial::numbered(limit);
        p.index = shapes.iter().enumerate().map(|(i, s)| (s.key.clone(), i as u32)).collect();
        p.shapes = shapes;
        p.lines = lines;
        p.others = others;
        p
    }

    /// Distinct keys indexed: fewer than `shapes` when a decoded partial repeats a shape.
    pub(crate) fn distinct_shapes(&self) -> usize {
        self.index.len()
    }

    /// Give every sighting of a numbered partial the file index `file`.
    pub fn set_file(&mut self, file: u32) {
        for s in &mut self.shapes {
            s.first.file = file;
            s.last.file = file;
        }
    }

    /// The index in `shapes` of the shape with this key, if it is kept.
    pub(super) fn shape_index(&self, key: &[u8]) -> Option<u32> {
        self.index.get(key).copied()
    }

    /// Whether no line was mined.
    pub fn is_empty(&self) -> bool {
        self.lines == 0
    }

    /// Count one sighting of `key`; returns the shape's index.
    fn record(&mut self, key: &[u8], kinds: &[u8], seen: Seen, level: Option<&str>, line: &[u8]) -> u32 {
        if let Some(&i) = self.index.get(key) {
            let s = &mut self.shapes[i as usize];
            s.count += 1;
            s.last = seen;
            s.levels.add(level);
            for (mine, k) in s.kinds.iter_mut().zip(kinds) {
                *mine |= k;
            }
            return i;
        }
        let i = self.shapes.len() as u32;
        let mut levels = Levels::default();
        levels.add(level);
        let key: Box<[u8]> = key.into();
        self.index.insert(key.clone(), i);
        let example = example_of(line);
        self.shapes.push(ShapeStats { key, count: 1, first: seen, last: seen, example, levels, kinds: kinds.to_vec() });
        i
    }

    /// The lines seen, mined or not.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// Merge the partial of the lines that follow this one's (the next chunk, the next file).
    pub fn merge(mut self, mut later: Partial) -> Partial {
        let shift = if later.first_file == self.last_file { self.tail_lines } else { 0 };
        let remap: Vec<u32> = later.shapes.drain(..).map(|mut s| {
            for seen in [&mut s.first, &mut s.last] {
                if seen.file == later.first_file {
                    seen.line += shift;
                }
            }
            self.absorb(s)
        }).collect();
        if let (Some(ids), Some(more)) = (&mut self.line_shapes, later.line_shapes.take()) {
            ids.extend(more.into_iter().map(|i| remap.get(i as usize).copied().unwrap_or(u32::MAX)));
        }
        self.tail_lines = if later.last_file == self.last_file { self.tail_lines + later.tail_lines } else { later.tail_lines };
        self.last_file = later.last_file;
        self.lines += later.lines;
        self.others += later.others;
        self
    }

    fn absorb(&mut self, s: ShapeStats) -> u32 {
        match self.index.entry(s.key.clone()) {
            Entry::Vacant(v) => {
                let i = self.shapes.len() as u32;
                v.insert(i);
                self.shapes.push(s);
                i
            }
            Entry::Occupied(o) => {
                let i = *o.get();
                let mine = &mut self.shapes[i as usize];
                mine.count += s.count;
                mine.levels = mine.levels.union(s.levels);
                for (k, theirs) in mine.kinds.iter_mut().zip(&s.kinds) {
                    *k |= theirs;
                }
                if s.first.at() < mine.first.at() {
                    mine.first = s.first;
                    mine.example = s.example;
                }
                if s.last.at() > mine.last.at() {
                    mine.last = s.last;
                }
                i
            }
        }
    }
}
