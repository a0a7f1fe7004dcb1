//! From grouped records to a per-type summary: each record gets one primary type (the
//! highest-priority pattern that matched any of its lines), its fields, and is folded into
//! counts, first/last, message shapes, innermost frames and a per-minute timeline.
//!
//! Each scan worker builds a partial [`Analysis`] for its chunk; the merger folds chunks in
//! order ([`Analysis::append`]); byte ranges and files are folded the same way by
//! [`crate::partial::Partial::merge`]. Memory is bounded: samples, shapes and frames are
//! capped per type; all are counted.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::fields::{self, Frame, Objects, Timestamp};
use crate::engine::Searcher;
use crate::record::{self, LineMatch};
use crate::template;

/// How to turn pattern matches into typed records: the compiled catalog's index.
#[derive(Debug, Clone)]
pub struct RecordSpec {
    /// Type index of each pattern (same order as the database's patterns).
    pub pattern_type: Vec<u32>,
    /// Priority of each pattern: the highest decides a record's type.
    pub pattern_priority: Vec<i32>,
    /// Per pattern, the types it may only *refine* (empty: an ordinary pattern). A refining
    /// pattern never makes a record by itself; when it matches in a record whose type is one
    /// of these and it outranks the deciding match, its type wins (a model-loading frame
    /// turns a truncated-file error into ModelCorruption). Empty vector: no refiners at all.
    pub pattern_refines: Vec<Vec<u32>>,
    /// Number of types (type indexes are `0..types`).
    pub types: usize,
    /// Records kept whole per type; all are counted.
    pub max_samples: usize,
    /// Bytes of a record's text kept.
    pub max_record_bytes: usize,
    /// How timestamps that leave the year out (syslog, Android, glog) get it.
    pub year: fields::YearRule,
    /// The records counted (`--since`/`--until`); unbounded by default.
    pub range: fields::TimeRange,
    /// The database has one more pattern after the catalog's, [`fields::EMBEDDED_TRIGGER`]:
    /// the JSON lines whose strings hold line breaks, whose text is then matched too.
    pub embedded: bool,
    /// The database ends with [`template::unrecognised::ERROR_LEVEL_TRIGGER`] (after the
    /// embedded-text trigger, when there is one): error-level lines no record covers are
    /// mined into [`Analysis::unrecognised`].
    pub unrecognised: bool,
}

impl RecordSpec {
    pub fn new(pattern_type: Vec<u32>, pattern_priority: Vec<i32>, types: usize) -> Self {
        RecordSpec { pattern_type, pattern_priority, pattern_refines: Vec::new(), types, max_samples: 10, max_record_bytes: 16 << 10, year: fields::YearRule::now(), range: fields::TimeRange::default(), embedded: false, unrecognised: false }
    }

    /// The types pattern `p` may only refine; empty for an ordinary pattern.
    fn refines(&self, p: u32) -> &[u32] {
        self.pattern_refines.get(p as usize).map_or(&[], Vec::as_slice)
    }

    /// The match that decides a record's type, or None when only refining patterns matched
    /// (then there is no record). The highest priority among ordinary matches wins, ties to the
    /// earliest (line, then catalog order); then a refining match that outranks it and names
    /// its type takes over.
    pub fn deciding_match(&self, ms: &[LineMatch]) -> Option<LineMatch> {
        let prio = |m: &LineMatch| self.pattern_priority[m.pattern as usize];
        let mut best: Option<LineMatch> = None;
        for m in ms {
            if self.refines(m.pattern).is_empty() && best.is_none_or(|b| prio(m) > prio(&b)) {
                best = Some(*m);
            }
        }
        let mut best = best?;
        if self.pattern_refines.is_empty() {
            return Some(best);
        }
        let base_type = self.pattern_type[best.pattern as usize];
        for m in ms {
            if self.refines(m.pattern).contains(&base_type) && prio(m) > prio(&best) {
                best = *m;
            }
        }
        Some(best)
    }

    /// Patterns the database must have for this spec.
    pub fn patterns(&self) -> usize {
        self.pattern_type.len() + usize::from(self.embedded) + usize::from(self.unrecognised)
    }

    /// The database's index of the error-level trigger, when there is one.
    fn error_trigger(&self) -> Option<u32> {
        self.unrecognised.then(|| (self.pattern_type.len() + usize::from(self.embedded)) as u32)
    }
}

/// A pattern's place in the type precedence, as [`RecordSpec::pattern_priority`] holds it:
/// the pattern's own priority (or, without one, its type's), then its type's priority as the
/// tie-breaker, folded into one integer so that deciding a record compares one number.
/// Priorities are clamped to ±1,000,000 and type priorities to 0..=1023.
pub fn precedence(pattern_priority: Option<i32>, type_priority: i32) -> i32 {
    let own = pattern_priority.unwrap_or(type_priority).clamp(-1_000_000, 1_000_000);
    own * 1024 + type_priority.clamp(0, 1023)
}

/// The current year (UTC), for syslog timestamps.
pub fn current_year() -> i32 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let t = Timestamp { ms: secs * 1000, utc: true, frac: false };
    t.iso()[..4].parse().unwrap_or(1970)
}

/// One failing log entry.
#[derive(Debug, Clone)]
pub struct Record {
    pub type_id: u32,
    /// Which input the record is in: the caller's file index (0 for a single input).
    pub file: u32,
    /// The pattern that decided the type.
    pub pattern: u32,
    /// Every catalog pattern that matched one of the record's lines (or their embedded
    /// text), refiners included, in catalog order: what `logmedic test` shows per record.
    pub matched: Vec<u32>,
    /// 1-based first and last line (chunk-local while inside a worker).
    pub line: u64,
    pub end_line: u64,
    pub offset: u64,
    pub time: Option<Timestamp>,
    pub level: Option<String>,
    pub logger: Option<String>,
    /// At most [`MAX_MESSAGE_BYTES`]; `message_truncated` says when it was cut.
    pub message: String,
    pub message_truncated: bool,
    pub exception: Option<String>,
    pub text: String,
    pub text_truncated: bool,
    pub frames: Vec<Frame>,
    pub innermost: Option<usize>,
    pub objects: Objects,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRef {
    /// The caller's file index, as [`Record::file`].
    pub file: u32,
    pub line: u64,
    pub time: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct Shape {
    pub count: u64,
    /// The first message of this shape, at most [`MAX_MESSAGE_BYTES`].
    pub example: String,
    pub example_truncated: bool,
    /// Where the shape first appeared, `(file, line)`: ties between shapes seen as often
    /// are broken by input order, however the input was cut into chunks or ranges.
    pub first_seen: (u32, u64),
}

/// A fast, non-cryptographic hash (the Fx hash of rustc) for the per-record maps: their
/// keys come from the log, and a slow hash per record shows in the analysis's time.
#[derive(Debug, Clone, Copy, Default)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.add(u64::from_le_bytes(w.try_into().unwrap()));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last) ^ (rest.len() as u64) << 59);
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// What is known about one type.
#[derive(Debug, Clone, Default)]
pub struct TypeAgg {
    pub count: u64,
    pub first: Option<RecordRef>,
    pub last: Option<RecordRef>,
    pub samples: Vec<Record>,
    pub shapes: FxMap<String, Shape>,
    /// Records whose shape was not kept because `MAX_SHAPES` were already known.
    pub other_shapes: u64,
    pub frames: FxMap<Frame, u64>,
    pub minutes: FxMap<i64, u64>,
}

pub const MAX_SHAPES: usize = 200;
/// Bytes of a message kept in a record or as a shape's example: a log line can be any length
/// (hundreds of MB), and a message is read by people and carried into JavaScript strings.
pub const MAX_MESSAGE_BYTES: usize = 4096;

/// `message` cut to [`MAX_MESSAGE_BYTES`] at a character boundary, and whether it was cut.
pub fn capped_message(message: &str) -> (&str, bool) {
    if message.len() <= MAX_MESSAGE_BYTES {
        return (message, false);
    }
    let mut end = MAX_MESSAGE_BYTES;
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    (&message[..end], true)
}
const MAX_FRAMES: usize = 200;
const MAX_MINUTES: usize = 1 << 20;

#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Indexed by type.
    pub types: Vec<TypeAgg>,
    pub records: u64,
    /// Error-level lines that no record covers, mined into template shapes (when
    /// [`RecordSpec::unrecognised`]).
    pub unrecognised: template::Partial,
}

/// The shapes of recent messages, so that a message seen again (a fixed text, a repeated
/// error) is masked once: a direct-mapped table keyed by the message's bytes (hash, then
/// the bytes compared), whose slots reuse their buffers. One per thread, kept from chunk to
/// chunk: a shape depends on the message alone, so the cache never changes an answer.
#[derive(Debug, Default)]
struct ShapeCache {
    slots: Vec<ShapeSlot>,
}

#[derive(Debug, Clone, Default)]
struct ShapeSlot {
    hash: u64,
    /// The bytes of the message the shape depends on (`fields::SHAPE_BYTES` at most).
    message: Vec<u8>,
    shape: Vec<u8>,
    /// `shape` as text (read lossily: the 512-byte cut may split a character), made once
    /// per slot fill rather than once per record.
    text: String,
}

const SHAPE_SLOTS: usize = 1024;

thread_local! {
    static SHAPES: std::cell::RefCell<ShapeCache> = std::cell::RefCell::new(ShapeCache::default());
    static EMBEDDED: std::cell::RefCell<EmbeddedText> = std::cell::RefCell::new(EmbeddedText::default());
}

/// The embedded text of one chunk's JSON lines (see [`match_embedded`]): unescaped once,
/// searched once, then read again for the frames of the records those lines start. The
/// buffers are kept per thread from chunk to chunk, so a chunk allocates nothing for it.
#[derive(Debug, Default)]
struct EmbeddedText {
    /// Each line's strings, one after another.
    text: Vec<u8>,
    /// `(line start in the chunk, end of its text in `text`)`, in line order.
    lines: Vec<(usize, usize)>,
}

impl EmbeddedText {
    fn clear(&mut self) {
        self.text.clear();
        self.lines.clear();
    }

    /// The text of a record that starts at `line_start` with its first line's embedded text
    /// (not unescaped again), in pieces ([`fields::embedded_pieces`]): joined, a record of
    /// one 50 MB JSON line would be copied twice more. The record alone when its first line
    /// has no embedded text.
    fn pieces<'t>(&'t self, line_start: usize, record: &'t [u8]) -> Vec<&'t [u8]> {
        let Ok(i) = self.lines.binary_search_by_key(&line_start, |l| l.0) else { return vec![record] };
        let from = if i == 0 { 0 } else { self.lines[i - 1].1 };
        fields::embedded_pieces(record, &self.text[from..self.lines[i].1])
    }
}

impl ShapeCache {
    /// The shape of `message`, as text.
    fn shape_of(&mut self, message: &str) -> &str {
        if self.slots.is_empty() {
            self.slots = vec![ShapeSlot::default(); SHAPE_SLOTS];
        }
        let key = &message.as_bytes()[..message.len().min(fields::SHAPE_BYTES)];
        let hash = key_hash(key) | 1; // never 0: 0 marks an empty slot
        let slot = &mut self.slots[(hash >> 54) as usize % SHAPE_SLOTS];
        if slot.hash != hash || slot.message != key {
            fields::shape_bytes_into(message, &mut slot.shape);
            slot.text.clear();
            slot.text.reserve(slot.shape.len());
            slot.text.push_str(&fields::lossy_text(&slot.shape));
            slot.message.clear();
            slot.message.extend_from_slice(key);
            slot.hash = hash;
        }
        &slot.text
    }
}

/// The shape cache's hash of a message: four Fx lanes side by side, so that a long message
/// is not one chain of dependent multiplications. Only places entries in the cache.
fn key_hash(key: &[u8]) -> u64 {
    let mut lanes = [FxHasher::default(); 4];
    let mut blocks = key.chunks_exact(32);
    for b in &mut blocks {
        for (lane, w) in lanes.iter_mut().zip(b.chunks_exact(8)) {
            lane.add(u64::from_le_bytes(w.try_into().unwrap()));
        }
    }
    let mut h = FxHasher::default();
    for lane in lanes {
        h.add(lane.hash);
    }
    h.write(blocks.remainder());
    h.write_usize(key.len());
    h.finish()
}

impl Analysis {
    pub fn new(types: usize) -> Self {
        Analysis { types: vec![TypeAgg::default(); types], records: 0, unrecognised: template::Partial::numbered(template::unrecognised::MAX_SHAPES) }
    }

    /// Count a record that is kept whole as a sample.
    fn add(&mut self, rec: Record) {
        let frame = rec.innermost.and_then(|i| rec.frames.get(i));
        self.count(rec.type_id, rec.file, rec.line, rec.time, &rec.message, rec.message_truncated, frame);
        self.types[rec.type_id as usize].samples.push(rec);
    }

    /// Fold one record into its type's summary: what the summary reads of it, no more.
    /// `cut`: `message` is already a cut one (a sample's).
    #[allow(clippy::too_many_arguments)]
    fn count(&mut self, type_id: u32, file: u32, line: u64, time: Option<Timestamp>, message: &str, cut: bool, frame: Option<&Frame>) {
        self.records += 1;
        let agg = &mut self.types[type_id as usize];
        agg.count += 1;
        let r = RecordRef { file, line, time };
        if agg.first.is_none() {
            agg.first = Some(r.clone());
        }
        agg.last = Some(r);
        SHAPES.with_borrow_mut(|cache| {
            let shape = cache.shape_of(message);
            let room = agg.shapes.len() < MAX_SHAPES;
            match agg.shapes.get_mut(shape) {
                Some(s) => s.count += 1,
                None if room => {
                    let (example, example_truncated) = capped_message(message);
                    let example_truncated = example_truncated || cut;
                    agg.shapes.insert(shape.to_string(), Shape { count: 1, example: example.to_string(), example_truncated, first_seen: (file, line) });
                }
                None => agg.other_shapes += 1,
            }
        });
        if let Some(f) = frame {
            if let Some(c) = agg.frames.get_mut(f) {
                *c += 1;
            } else if agg.frames.len() < MAX_FRAMES {
                agg.frames.insert(f.clone(), 1);
            }
        }
        if let Some(t) = time {
            if agg.minutes.len() < MAX_MINUTES || agg.minutes.contains_key(&t.minute()) {
                *agg.minutes.entry(t.minute()).or_default() += 1;
            }
        }
    }

    /// The summary of records found before (a watch rule's window), folded in the order
    /// given exactly as a scan folds them: the first `max_samples` kept whole. Records whose
    /// type is not below `types` are refused.
    pub fn of_records(records: Vec<Record>, types: usize, max_samples: usize) -> crate::Result<Analysis> {
        let mut out = Analysis::new(types);
        for rec in records {
            if rec.type_id as usize >= types {
                return Err(crate::Error::new(crate::ErrorCode::InvalidArgument, format!("record type index {} of {types}", rec.type_id)));
            }
            let t = rec.type_id as usize;
            if out.types[t].samples.len() < max_samples {
                out.add(rec);
            } else {
                let frame = rec.innermost.and_then(|i| rec.frames.get(i));
                out.count(rec.type_id, rec.file, rec.line, rec.time, &rec.message, rec.message_truncated, frame);
            }
        }
        Ok(out)
    }

    /// Fold a later chunk of the same input in; its lines are shifted by `line_base`.
    pub(crate) fn append(&mut self, other: Analysis, line_base: u64, max_samples: usize) {
        self.fold(other, &|_| line_base, max_samples);
    }

    /// Give every record, first/last and shape position the file index `file`.
    pub fn set_file(&mut self, file: u32) {
        self.unrecognised.set_file(file);
        for agg in &mut self.types {
            for r in agg.first.iter_mut().chain(agg.last.iter_mut()) {
                r.file = file;
            }
            for s in agg.shapes.values_mut() {
                s.first_seen.0 = file;
            }
            for r in &mut agg.samples {
                r.file = file;
            }
        }
    }

    /// Fold in `other`, which comes after `self` in input order: counts add up, first stays,
    /// last moves, samples and shapes are kept in input order up to their caps. The lines of
    /// `other`'s records in file `f` are shifted by `line_base(f)` (the lines of `f` that
    /// `self` holds). Associative; not commutative (input order decides first/last/samples).
    pub(crate) fn fold(&mut self, other: Analysis, line_base: &dyn Fn(u32) -> u64, max_samples: usize) {
        self.records += other.records;
        if !other.unrecognised.is_empty() {
            let mine = std::mem::take(&mut self.unrecognised);
            self.unrecognised = mine.merge_numbered(other.unrecognised, line_base);
        }
        if self.types.len() < other.types.len() {
            self.types.resize_with(other.types.len(), TypeAgg::default);
        }
        for (agg, o) in self.types.iter_mut().zip(other.types) {
            if o.count == 0 {
                continue;
            }
            let shift = |r: RecordRef| RecordRef { line: r.line + line_base(r.file), ..r };
            agg.count += o.count;
            if agg.first.is_none() {
                agg.first = o.first.map(shift);
            }
            if o.last.is_some() {
                agg.last = o.last.map(shift);
            }
            let mut shapes: Vec<_> = o.shapes.into_iter().collect();
            shapes.sort_by_key(|(_, s)| s.first_seen);
            for (k, s) in shapes {
                let room = agg.shapes.len() < MAX_SHAPES;
                match agg.shapes.get_mut(&k) {
                    Some(mine) => mine.count += s.count,
                    None if room => {
                        let (file, line) = s.first_seen;
                        agg.shapes.insert(k, Shape { first_seen: (file, line + line_base(file)), ..s });
                    }
                    None => agg.other_shapes += s.count,
                }
            }
            agg.other_shapes += o.other_shapes;
            for (f, c) in o.frames {
                if let Some(mine) = agg.frames.get_mut(&f) {
                    *mine += c;
                } else if agg.frames.len() < MAX_FRAMES {
                    agg.frames.insert(f, c);
                }
            }
            for (m, c) in o.minutes {
                *agg.minutes.entry(m).or_default() += c;
            }
            for mut r in o.samples {
                if agg.samples.len() >= max_samples {
                    break;
                }
                let base = line_base(r.file);
                r.line += base;
                r.end_line += base;
                agg.samples.push(r);
            }
        }
    }
}

/// Find, type and fold the records of one chunk. `buf` starts at a record boundary,
/// `base` is its offset in the input, `matches` are in line order.
pub fn analyze_chunk(
    buf: &[u8],
    base: u64,
    matches: &mut Vec<LineMatch>,
    spec: &RecordSpec,
    types_full: &[std::sync::atomic::AtomicBool],
    searcher: &mut Searcher<'_>,
) -> Analysis {
    let mut embedded = EMBEDDED.take();
    embedded.clear();
    let out = analyze_chunk_with(buf, base, matches, spec, types_full, searcher, &mut embedded);
    EMBEDDED.set(embedded);
    out
}

fn analyze_chunk_with(
    buf: &[u8],
    base: u64,
    matches: &mut Vec<LineMatch>,
    spec: &RecordSpec,
    types_full: &[std::sync::atomic::AtomicBool],
    searcher: &mut Searcher<'_>,
    embedded: &mut EmbeddedText,
) -> Analysis {
    let mut out = Analysis::new(spec.types);
    let error_lines = spec.error_trigger().map(|trigger| take_error_lines(matches, trigger));
    if spec.embedded {
        match_embedded(buf, matches, spec.pattern_type.len() as u32, searcher, embedded);
    }
    let mut covered = Vec::new();
    if !matches.is_empty() {
        analyze_records(buf, base, matches, spec, types_full, embedded, &mut out, error_lines.is_some().then_some(&mut covered));
    }
    if let Some(lines) = error_lines.filter(|l| !l.is_empty()) {
        let admit = |t: Option<&Timestamp>| !spec.range.is_bounded() || spec.range.admits(t);
        template::unrecognised::mine_uncovered(buf, &lines, &covered, spec.year, admit, &mut out.unrecognised);
    }
    out
}

/// Removes the error-level trigger's matches; returns their lines (start, index), once each.
fn take_error_lines(matches: &mut Vec<LineMatch>, trigger: u32) -> Vec<(usize, u64)> {
    let mut lines: Vec<(usize, u64)> = matches.iter().filter(|m| m.pattern == trigger).map(|m| (m.start, m.line)).collect();
    lines.dedup();
    matches.retain(|m| m.pattern != trigger);
    lines
}

/// Group the chunk's matches into records, type them and fold them into `out`; the byte
/// range of each record counted goes to `covered`, when asked for.
#[allow(clippy::too_many_arguments)]
fn analyze_records(
    buf: &[u8],
    base: u64,
    matches: &mut [LineMatch],
    spec: &RecordSpec,
    types_full: &[std::sync::atomic::AtomicBool],
    embedded: &mut EmbeddedText,
    out: &mut Analysis,
    mut covered: Option<&mut Vec<(usize, usize)>>,
) {
    // Within a line, report patterns in catalog order so that ties are stable.
    matches.sort_by_key(|m| (m.line, m.pattern));
    for g in record::group(buf, matches) {
        let ms = &matches[g.matches.clone()];
        let Some(best) = spec.deciding_match(ms) else { continue };
        if let Some(c) = covered.as_deref_mut() {
            c.push((g.start, g.end));
        }
        // The header is read once, for the time range and for whichever of the two folds below.
        let head = fields::header(&buf[g.start..g.first_end], spec.year);
        if spec.range.is_bounded() && !spec.range.admits(head.time.as_ref()) {
            continue;
        }
        let type_id = spec.pattern_type[best.pattern as usize];
        // Only records kept as samples are read whole; the others give what the summary needs.
        // (`types_full`: earlier chunks already gave the merger all the samples it keeps.)
        let keep = out.types[type_id as usize].samples.len() < spec.max_samples
            && !types_full.get(type_id as usize).is_some_and(|f| f.load(std::sync::atomic::Ordering::Relaxed));
        if keep {
            let rec = build_record(buf, base, &g, head, best, ms, spec, embedded);
            out.add(rec);
            continue;
        }
        // Counted, not kept: the time, the message and the innermost frame are all the
        // summary reads, so only they are read, borrowing from the buffer where they can.
        let text = &buf[g.start..g.end];
        let time = head.time;
        let message = deciding_message(buf, &g, best, head.message, spec.year);
        let frame = if has_embedded(text, spec) {
            fields::innermost_frame_in(&embedded.pieces(g.start, text))
        } else if g.last_line > g.first_line || text.starts_with(b"thread '") {
            fields::innermost_frame(text)
        } else {
            None
        };
        out.count(type_id, 0, g.first_line + 1, time, &message, false, frame.as_ref());
    }
}

/// JSON lines put a traceback in one string, its line breaks escaped (`"exc_info":
/// "Traceback …\\n  File …\\nValueError: bad"`), where patterns written for the lines of a
/// traceback (`^ValueError:`, `\\bKeyError\\b`) cannot match. The trigger pattern found the
/// lines with an escaped line break; their strings' text is matched with the same database,
/// and what matches there counts as a match of the JSON line: the record's type is decided
/// over its lines and their embedded text alike. The trigger's own matches are dropped.
fn match_embedded(buf: &[u8], matches: &mut Vec<LineMatch>, trigger: u32, searcher: &mut Searcher<'_>, embedded: &mut EmbeddedText) {
    if !matches.iter().any(|m| m.pattern == trigger) {
        return;
    }
    // The texts of all the chunk's JSON lines, one after another, searched at once (a search
    // has a fixed cost); `lines` says where each line's text ends.
    let text = &mut embedded.text;
    let mut owners: Vec<(usize, LineMatch)> = Vec::new();
    for t in matches.iter().filter(|m| m.pattern == trigger) {
        if fields::embedded_lines(record::line_at(buf, t.start).0, text) {
            owners.push((text.len(), *t));
        }
    }
    matches.retain(|m| m.pattern != trigger);
    embedded.lines.extend(owners.iter().map(|(end, t)| (t.start, *end)));
    if owners.is_empty() {
        return;
    }
    let (mut owner, mut owner_from) = (usize::MAX, matches.len());
    // A failed search leaves the lines as the scan saw them.
    let _ = searcher.search(text, &mut |pid, at| {
        // The triggers (this one, and the error-level one after it) are no catalog patterns.
        if pid >= trigger {
            return;
        }
        // Reports come in offset order; each text ends with a line break no match spans.
        let i = owners.partition_point(|(end, _)| *end <= at).min(owners.len() - 1);
        if i != owner {
            (owner, owner_from) = (i, matches.len());
        }
        if !matches[owner_from..].iter().any(|m| m.pattern == pid) {
            matches.push(LineMatch { pattern: pid, ..owners[i].1 });
        }
    });
}

/// Whether a record may hold embedded text: a JSON line is a header, so it can only be a
/// record's first line.
fn has_embedded(text: &[u8], spec: &RecordSpec) -> bool {
    spec.embedded && text.first() == Some(&b'{')
}

/// The record's message: the deciding line without its header prefix.
fn deciding_message<'b>(buf: &'b [u8], g: &record::Grouped, best: LineMatch, first_message: Cow<'b, str>, year: fields::YearRule) -> Cow<'b, str> {
    if best.start == g.start {
        return first_message;
    }
    let deciding = record::trim_end(record::line_at(buf, best.start).0);
    // Most often a line inside a traceback: no header to read (a header's time says there is).
    if deciding.first() == Some(&b'{') || fields::has_header_time(deciding, year) {
        fields::header(deciding, year).message
    } else {
        fields::lossy_text(deciding.trim_ascii())
    }
}

/// A record kept whole, as a sample: every field read. `head`: the header of its first line.
#[allow(clippy::too_many_arguments)]
fn build_record<'b>(buf: &'b [u8], base: u64, g: &record::Grouped, head: fields::Header<'b>, best: LineMatch, ms: &[LineMatch], spec: &RecordSpec, embedded: &EmbeddedText) -> Record {
    let text = &buf[g.start..g.end];
    // Frames and the exception type are read from embedded text too (see `match_embedded`).
    let pieces = if has_embedded(text, spec) { embedded.pieces(g.start, text) } else { vec![text] };
    let (frames, lang) = fields::frames_in(&pieces);
    let innermost = fields::innermost(&frames, lang);
    let exception = fields::exception_in(&pieces, lang);
    let objects = fields::objects(text, &head);
    let message = deciding_message(buf, g, best, head.message, spec.year);
    let (message, message_truncated) = capped_message(&message);
    let mut kept = text.len().min(spec.max_record_bytes);
    while kept < text.len() && kept > 0 && (text[kept] & 0xC0) == 0x80 {
        kept -= 1;
    }
    let mut matched: Vec<u32> = ms.iter().map(|m| m.pattern).collect();
    matched.sort_unstable();
    matched.dedup();
    Record {
        type_id: spec.pattern_type[best.pattern as usize],
        file: 0,
        pattern: best.pattern,
        matched,
        line: g.first_line + 1,
        end_line: g.last_line + 1,
        offset: base + g.start as u64,
        time: head.time,
        level: head.level.map(str::to_string),
        logger: head.logger.map(Cow::into_owned),
        message: message.to_string(),
        message_truncated,
        exception,
        text: fields::lossy_text(&text[..kept]).into_owned(),
        text_truncated: kept < text.len(),
        frames,
        innermost,
        objects,
    }
}
