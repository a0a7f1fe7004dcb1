//! genlog: a fast, seeded generator of realistic logs that knows its own ground truth.
//!
//! It writes normal traffic of a dozen services in their own formats (Python logging, JSON
//! lines, syslog with kernel/systemd/sshd, Spring Boot, Node, Go/logrus, nginx, PostgreSQL,
//! Redis), healthy near-misses (`0 errors`, `timeout=30`, …) and failures of the 20 types
//! the way real software writes them (tracebacks, stack traces, panics, kernel lines). It
//! returns what it wrote: lines, bytes, the failure records per type with their first line,
//! and, for a given pattern set, how many lines match each pattern — so a benchmark can
//! check a scanner's answer before it trusts its time. The templates are in
//! `templates.rs`; `bench/GENLOG.md` lists them for people.
//!
//! Same options, same bytes: the output depends only on the options (own PRNG, fixed start
//! time 2025-05-17T10:05:00Z, timestamps that only move forward). The size is exact.

mod templates;
mod text;

use std::collections::HashMap;
use std::fs::File;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, Write};
use std::sync::mpsc;
use std::thread;
use std::path::Path;

use regex_automata::meta::Regex;

use logmedic_core::{Error, ErrorCode, Result};
use templates::{Level, Source, SERVICES, VARIANTS};
use text::{Clock, Rng, Template};

/// The 20 failure types, in the original description's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailureType {
    OutOfMemory,
    GPUError,
    DiskSpace,
    IOError,
    ProcessCrash,
    Deadlock,
    Timeout,
    MemoryLeak,
    ModelCorruption,
    ConfigError,
    DataCorruption,
    NetworkTimeout,
    ConnectionError,
    DNSError,
    PermissionDenied,
    ImportError,
    SyntaxError,
    ValueError,
    KeyError,
    MissingDependency,
}

impl FailureType {
    pub const ALL: [FailureType; 20] = [
        FailureType::OutOfMemory,
        FailureType::GPUError,
        FailureType::DiskSpace,
        FailureType::IOError,
        FailureType::ProcessCrash,
        FailureType::Deadlock,
        FailureType::Timeout,
        FailureType::MemoryLeak,
        FailureType::ModelCorruption,
        FailureType::ConfigError,
        FailureType::DataCorruption,
        FailureType::NetworkTimeout,
        FailureType::ConnectionError,
        FailureType::DNSError,
        FailureType::PermissionDenied,
        FailureType::ImportError,
        FailureType::SyntaxError,
        FailureType::ValueError,
        FailureType::KeyError,
        FailureType::MissingDependency,
    ];

    pub fn name(self) -> &'static str {
        match self {
            FailureType::OutOfMemory => "OutOfMemory",
            FailureType::GPUError => "GPUError",
            FailureType::DiskSpace => "DiskSpace",
            FailureType::IOError => "IOError",
            FailureType::ProcessCrash => "ProcessCrash",
            FailureType::Deadlock => "Deadlock",
            FailureType::Timeout => "Timeout",
            FailureType::MemoryLeak => "MemoryLeak",
            FailureType::ModelCorruption => "ModelCorruption",
            FailureType::ConfigError => "ConfigError",
            FailureType::DataCorruption => "DataCorruption",
            FailureType::NetworkTimeout => "NetworkTimeout",
            FailureType::ConnectionError => "ConnectionError",
            FailureType::DNSError => "DNSError",
            FailureType::PermissionDenied => "PermissionDenied",
            FailureType::ImportError => "ImportError",
            FailureType::SyntaxError => "SyntaxError",
            FailureType::ValueError => "ValueError",
            FailureType::KeyError => "KeyError",
            FailureType::MissingDependency => "MissingDependency",
        }
    }

    fn index(self) -> usize {
        FailureType::ALL.iter().position(|&t| t == self).unwrap()
    }
}

/// The log formats genlog can write; each belongs to one or more services.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `2025-05-17 10:05:00,123 - visionai_processor - INFO - …` (Python logging).
    Python,
    /// `{"ts":"2025-05-17T10:05:00.123Z","level":"info","logger":"api","msg":"…"}`.
    Json,
    /// `May 17 10:05:00 gpu-node-3 kernel: …` (kernel, systemd, sshd, cron).
    Syslog,
    /// Spring Boot / Logback: `2025-05-17 10:05:00.123 ERROR 4321 --- [main] c.a.X : …`.
    Java,
    /// `2025-05-17T10:05:00.123Z ERROR [thumbnailer] …`.
    Node,
    /// logrus text: `time="2025-05-17T10:05:00Z" level=error msg="…"`, plus raw panics.
    Go,
    /// nginx access log and error log.
    Nginx,
    /// `2025-05-17 10:05:00.123 UTC [1234] ERROR:  …` (log_error_verbosity = terse).
    Postgres,
    /// `1234:M 17 May 2025 10:05:00.123 # …`.
    Redis,
}

impl Format {
    pub const ALL: [Format; 9] = [
        Format::Python,
        Format::Json,
        Format::Syslog,
        Format::Java,
        Format::Node,
        Format::Go,
        Format::Nginx,
        Format::Postgres,
        Format::Redis,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Python => "python",
            Format::Json => "json",
            Format::Syslog => "syslog",
            Format::Java => "java",
            Format::Node => "node",
            Format::Go => "go",
            Format::Nginx => "nginx",
            Format::Postgres => "postgres",
            Format::Redis => "redis",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Format> {
        Format::ALL.into_iter().find(|f| f.name() == s).ok_or_else(|| {
            let names: Vec<_> = Format::ALL.iter().map(|f| f.name()).collect();
            Error::new(ErrorCode::InvalidArgument, format!("unknown log format {s:?} (known: {})", names.join(", ")))
        })
    }
}

#[derive(Debug, Clone)]
pub struct GenOptions {
    /// Exact size of the output in bytes.
    pub size_bytes: u64,
    pub seed: u64,
    /// Share of records that are failures (0..=1). Default 0.01.
    pub error_rate: f64,
    /// Share of normal records that are healthy near-misses. Default 0.02.
    pub near_miss_rate: f64,
    /// Formats to write; empty means all.
    pub formats: Vec<Format>,
    /// Patterns (Rust regex syntax) whose matching lines the ground truth counts; at most 64.
    pub count_patterns: Vec<String>,
    /// First-line numbers kept per type (the count is always exact). Default 10000.
    pub max_lines_per_type: usize,
}

impl Default for GenOptions {
    fn default() -> Self {
        GenOptions {
            size_bytes: 1 << 20,
            seed: 1,
            error_rate: 0.01,
            near_miss_rate: 0.02,
            formats: Vec::new(),
            count_patterns: Vec::new(),
            max_lines_per_type: 10_000,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeTruth {
    pub ty: FailureType,
    /// Failure records of this type (a record is a log entry with its continuation lines).
    pub records: u64,
    /// 1-based line number of the first line of each record, up to `max_lines_per_type`.
    pub first_lines: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternTruth {
    pub pattern: String,
    /// Lines that match the pattern.
    pub lines: u64,
}

/// What genlog wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroundTruth {
    pub seed: u64,
    pub bytes: u64,
    /// Lines, counted like `wc -l` (every line ends with `\n`).
    pub lines: u64,
    pub records: u64,
    pub failure_records: u64,
    pub near_miss_records: u64,
    /// All 20 types in [`FailureType::ALL`] order (zero where a type was not written).
    pub types: Vec<TypeTruth>,
    /// Per pattern of [`GenOptions::count_patterns`], in order.
    pub patterns: Vec<PatternTruth>,
    /// Lines that match at least one of the patterns.
    pub any_pattern_lines: u64,
    /// The time of the last line (ms since 1970, UTC): the file's modification time, as a log
    /// written live would have it, so that year-less timestamps get the log's own year.
    pub last_ms: u64,
}

/// Write a log to `out`; returns its ground truth.
pub fn generate<W: Write>(out: W, options: &GenOptions) -> Result<GroundTruth> {
    generate_with(out, options, &mut |_| true)
}

/// Like [`generate`], calling `progress(bytes_written)` now and then; when it returns
/// false, generation stops with an `E_ABORTED` error.
pub fn generate_with<W: Write>(
    mut out: W,
    options: &GenOptions,
    progress: &mut dyn FnMut(u64) -> bool,
) -> Result<GroundTruth> {
    let mut g = Generator::new(options)?;
    g.run(&mut out, progress).map_err(|e| match e {
        RunError::Io(e) => Error::new(ErrorCode::Io, format!("writing the log: {e}")),
        RunError::Aborted => Error::new(ErrorCode::Aborted, "genlog aborted"),
    })?;
    out.flush().map_err(|e| Error::new(ErrorCode::Io, format!("writing the log: {e}")))?;
    g.truth.last_ms = g.clock.now_ms();
    Ok(g.truth)
}

/// Write a log file at `path` (created or truncated). A second thread writes while the
/// first generates: copying into the page cache costs about as much as generating.
pub fn generate_file(path: &Path, options: &GenOptions, progress: &mut dyn FnMut(u64) -> bool) -> Result<GroundTruth> {
    let file = File::create(path).map_err(|e| Error::from_io(&e, path))?;
    let io_error = |e: io::Error| Error::new(ErrorCode::Io, format!("writing the log: {e}")).with_path(path);
    let (full_tx, full_rx) = mpsc::sync_channel::<Vec<u8>>(2);
    let (empty_tx, empty_rx) = mpsc::channel::<Vec<u8>>();
    let writer = thread::spawn(move || -> io::Result<()> {
        let mut file = file;
        for buf in full_rx {
            file.write_all(&buf)?;
            let mut buf = buf;
            buf.clear();
            let _ = empty_tx.send(buf);
        }
        Ok(())
    });
    let handoff = Handoff { buf: Vec::with_capacity(HANDOFF_BYTES), full: Some(full_tx), empty: empty_rx };
    let generated = generate_with(handoff, options, progress);
    // The handoff was dropped: the writer sees the channel close and finishes.
    let written = writer.join().unwrap_or_else(|_| Err(io::Error::other("writer thread panicked")));
    match (generated, written) {
        (Ok(truth), Ok(())) => {
            let modified = std::time::UNIX_EPOCH + std::time::Duration::from_millis(truth.last_ms);
            File::options().write(true).open(path).and_then(|f| f.set_modified(modified)).map_err(io_error)?;
            Ok(truth)
        }
        (_, Err(e)) => Err(io_error(e)),
        (Err(e), Ok(())) => Err(e),
    }
}

const HANDOFF_BYTES: usize = 4 << 20;

/// A `Write` that hands full buffers to the writer thread and reuses the ones it returns.
struct Handoff {
    buf: Vec<u8>,
    full: Option<mpsc::SyncSender<Vec<u8>>>,
    empty: mpsc::Receiver<Vec<u8>>,
}

impl Handoff {
    fn send(&mut self) -> io::Result<()> {
        let next = self.empty.try_recv().unwrap_or_else(|_| Vec::with_capacity(HANDOFF_BYTES));
        let full = std::mem::replace(&mut self.buf, next);
        let closed = || io::Error::new(io::ErrorKind::BrokenPipe, "the writer stopped");
        self.full.as_ref().ok_or_else(closed)?.send(full).map_err(|_| closed())
    }
}

impl Write for Handoff {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= HANDOFF_BYTES {
            self.send()?;
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            self.send()?;
        }
        Ok(())
    }
}

/// One failure variant as data, for documentation and for tests.
pub struct VariantInfo {
    pub ty: FailureType,
    /// Which software writes it: python, node, java, go, kernel, system, nginx, postgres, redis.
    pub source: &'static str,
    /// Its lines as templates (`{slot}` marks a variable part); the first is the message of
    /// the owning log line, or the raw first line when `bare`.
    pub lines: &'static [&'static str],
    pub bare: bool,
}

pub fn variants() -> Vec<VariantInfo> {
    VARIANTS
        .iter()
        .map(|v| VariantInfo { ty: v.ty, source: source_name(v.source), lines: v.lines, bare: v.bare })
        .collect()
}

fn source_name(s: Source) -> &'static str {
    match s {
        Source::Python => "python",
        Source::Node => "node",
        Source::Java => "java",
        Source::Go => "go",
        Source::Kernel => "kernel",
        Source::System => "system",
        Source::NginxAccess | Source::Nginx => "nginx",
        Source::Postgres => "postgres",
        Source::Redis => "redis",
    }
}

// ------------------------------------------------------------------------------------------

/// Smallest tail that a filler line can fill exactly, and the filler line length.
const MIN_FILL: u64 = 256;
const FILL_LINE: u64 = 256;
const PROGRESS_EVERY: u64 = 8 << 20;
const SYSLOG_HOST: &[u8] = b" gpu-node-3 ";

enum RunError {
    Io(io::Error),
    Aborted,
}

impl From<io::Error> for RunError {
    fn from(e: io::Error) -> Self {
        RunError::Io(e)
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Normal,
    NearMiss,
    Failure(usize),
}

/// Masks are cached per line shape: a line's header (service, level) plus its template.
#[derive(Clone, Copy)]
enum Shape {
    Header { service: usize, level: Level, template: u32 },
    Raw { template: u32 },
    JsonRecord { service: usize, level: Level, variant: u32 },
}

impl Shape {
    fn key(self) -> u64 {
        match self {
            Shape::Header { service, level, template } => (1 << 60) | (service as u64) << 40 | (level as u64) << 32 | template as u64,
            Shape::Raw { template } => (2 << 60) | template as u64,
            Shape::JsonRecord { service, level, variant } => (3 << 60) | (service as u64) << 40 | (level as u64) << 32 | variant as u64,
        }
    }
}

#[derive(Default)]
struct IdHasher(u64);
impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 keys")
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29);
    }
}

struct Service {
    def: &'static templates::ServiceDef,
    /// Fixed pid of the long-running process.
    pid: u64,
    /// Logger padded the way Spring Boot pads it.
    padded_name: Vec<u8>,
    normal: Vec<(Level, u32)>,
    near: Vec<(Level, u32)>,
    filler: u32,
}

struct Variant {
    def: &'static templates::VariantDef,
    templates: Vec<u32>,
    services: Vec<usize>,
}

struct Generator {
    rng: Rng,
    clock: Clock,
    error_rate: f64,
    near_miss_rate: f64,
    max_lines_per_type: usize,
    templates: Vec<Template>,
    services: Vec<Service>,
    cumulative_weight: Vec<u64>,
    variants: Vec<Variant>,
    by_type: Vec<Vec<usize>>,
    active_types: Vec<usize>,
    regexes: Vec<Regex>,
    masks: HashMap<u64, u64, BuildHasherDefault<IdHasher>>,
    rec: Vec<u8>,
    rec_masks: Vec<u64>,
    size: u64,
    truth: GroundTruth,
}

impl Generator {
    fn new(o: &GenOptions) -> Result<Generator> {
        let bad = |m: String| Error::new(ErrorCode::InvalidArgument, m);
        if !(0.0..=1.0).contains(&o.error_rate) {
            return Err(bad(format!("error rate must be between 0 and 1, got {}", o.error_rate)));
        }
        if !(0.0..=1.0).contains(&o.near_miss_rate) {
            return Err(bad(format!("near-miss rate must be between 0 and 1, got {}", o.near_miss_rate)));
        }
        if o.count_patterns.len() > 64 {
            return Err(bad(format!("at most 64 patterns can be counted, got {}", o.count_patterns.len())));
        }
        let regexes = o
            .count_patterns
            .iter()
            .map(|p| {
                Regex::new(p).map_err(|e| Error::new(ErrorCode::Pattern, format!("invalid pattern {p:?}: {e}")))
            })
            .collect::<Result<Vec<_>>>()?;

        let mut rng = Rng::new(o.seed);
        let mut templates = Vec::new();
        let mut add = |text: &str| {
            templates.push(Template::parse(text));
            (templates.len() - 1) as u32
        };
        let wanted = |f: Format| o.formats.is_empty() || o.formats.contains(&f);
        let mut services = Vec::new();
        for def in SERVICES.iter().filter(|d| wanted(d.format)) {
            let pick = |list: &[(Source, Level, &'static str)], add: &mut dyn FnMut(&str) -> u32| {
                list.iter().filter(|(s, _, _)| *s == def.source).map(|&(_, l, t)| (l, add(t))).collect::<Vec<_>>()
            };
            let normal = pick(templates::NORMAL, &mut add);
            let near = pick(templates::NEAR_MISS, &mut add);
            let mut padded_name = def.name.as_bytes().to_vec();
            padded_name.resize(padded_name.len().max(40), b' ');
            services.push(Service {
                def,
                pid: rng.range(200, 65000),
                padded_name,
                normal,
                near,
                filler: add(templates::filler(def.source)),
            });
        }
        if services.is_empty() {
            return Err(bad("no log format selected".into()));
        }
        let mut cumulative_weight = Vec::new();
        let mut total = 0;
        for s in &services {
            total += s.def.weight as u64;
            cumulative_weight.push(total);
        }

        let mut variants = Vec::new();
        let mut by_type = vec![Vec::new(); FailureType::ALL.len()];
        for def in VARIANTS {
            let eligible: Vec<usize> = (0..services.len())
                .filter(|&i| {
                    let s = services[i].def;
                    s.source == def.source && !(def.bare && s.format == Format::Json)
                })
                .collect();
            if eligible.is_empty() {
                continue;
            }
            let tmpl = def.lines.iter().map(|l| add(l)).collect();
            by_type[def.ty.index()].push(variants.len());
            variants.push(Variant { def, templates: tmpl, services: eligible });
        }
        let active_types = (0..by_type.len()).filter(|&t| !by_type[t].is_empty()).collect();

        let truth = GroundTruth {
            seed: o.seed,
            bytes: 0,
            lines: 0,
            records: 0,
            failure_records: 0,
            near_miss_records: 0,
            types: FailureType::ALL.iter().map(|&ty| TypeTruth { ty, records: 0, first_lines: Vec::new() }).collect(),
            patterns: o.count_patterns.iter().map(|p| PatternTruth { pattern: p.clone(), lines: 0 }).collect(),
            any_pattern_lines: 0,
            last_ms: 0,
        };
        let boot_ago = rng.range(3_600_000, 30 * 86_400_000);
        Ok(Generator {
            rng,
            clock: Clock::new(boot_ago),
            error_rate: o.error_rate,
            near_miss_rate: o.near_miss_rate,
            max_lines_per_type: o.max_lines_per_type,
            templates,
            services,
            cumulative_weight,
            variants,
            by_type,
            active_types,
            regexes,
            masks: HashMap::default(),
            rec: Vec::with_capacity(16 << 10),
            rec_masks: Vec::new(),
            size: o.size_bytes,
            truth,
        })
    }

    fn run(&mut self, out: &mut dyn Write, progress: &mut dyn FnMut(u64) -> bool) -> std::result::Result<(), RunError> {
        let size = self.size;
        if size < MIN_FILL {
            self.tiny(size);
            return self.commit(out, Kind::Normal).map_err(RunError::from);
        }
        let mut next_report = PROGRESS_EVERY;
        loop {
            let kind = self.record();
            if self.truth.bytes + self.rec.len() as u64 + MIN_FILL > size {
                break;
            }
            self.commit(out, kind)?;
            if self.truth.bytes >= next_report {
                next_report += PROGRESS_EVERY;
                if !progress(self.truth.bytes) {
                    return Err(RunError::Aborted);
                }
            }
        }
        // Fill the tail exactly with short heartbeat lines.
        let mut rest = size - self.truth.bytes;
        while rest >= 2 * FILL_LINE {
            self.filler(FILL_LINE as usize);
            self.commit(out, Kind::Normal)?;
            rest -= FILL_LINE;
        }
        self.filler(rest as usize);
        self.commit(out, Kind::Normal)?;
        debug_assert_eq!(self.truth.bytes, size);
        progress(self.truth.bytes);
        Ok(())
    }

    /// Render the next record into `self.rec`.
    fn record(&mut self) -> Kind {
        self.rec.clear();
        self.rec_masks.clear();
        let step = self.rng.below(20);
        self.clock.advance(step);
        if !self.active_types.is_empty() && self.rng.chance(self.error_rate) {
            let ty = self.active_types[self.rng.below(self.active_types.len() as u64) as usize];
            let list = &self.by_type[ty];
            let vi = list[self.rng.below(list.len() as u64) as usize];
            let svcs = &self.variants[vi].services;
            let si = svcs[self.rng.below(svcs.len() as u64) as usize];
            self.failure(vi, si);
            return Kind::Failure(ty);
        }
        let si = self.pick_service();
        let s = &self.services[si];
        let near = !s.near.is_empty() && self.rng.chance(self.near_miss_rate);
        let list = if near { &s.near } else { &s.normal };
        let (level, template) = list[self.rng.below(list.len() as u64) as usize];
        self.header_line(si, level, template, None);
        if near {
            Kind::NearMiss
        } else {
            Kind::Normal
        }
    }

    fn pick_service(&mut self) -> usize {
        let total = *self.cumulative_weight.last().unwrap();
        let r = self.rng.below(total);
        self.cumulative_weight.iter().position(|&c| r < c).unwrap()
    }

    /// One line: the service's header, then `template`; for the filler, grown to `pad_to`.
    fn header_line(&mut self, si: usize, level: Level, template: u32, pad_to: Option<usize>) {
        let start = self.rec.len();
        let json = self.header(si, level);
        let pad = self.templates[template as usize].render(&mut self.rec, &mut self.rng, &mut self.clock, json);
        if json {
            self.rec.extend_from_slice(b"\"}");
        }
        if let (Some(target), Some(at)) = (pad_to, pad) {
            let len = self.rec.len() - start + 1;
            if target > len {
                let digits: Vec<u8> = (0..target - len).map(|_| b'0' + self.rng.below(10) as u8).collect();
                self.rec.splice(at..at, digits);
            }
        }
        self.end_line(start, Shape::Header { service: si, level, template });
    }

    fn end_line(&mut self, start: usize, shape: Shape) {
        let mask = self.mask(shape, start);
        self.rec.push(b'\n');
        self.rec_masks.push(mask);
    }

    /// Which count patterns match the line `self.rec[start..]`; computed once per shape.
    fn mask(&mut self, shape: Shape, start: usize) -> u64 {
        if self.regexes.is_empty() {
            return 0;
        }
        let key = shape.key();
        if let Some(&m) = self.masks.get(&key) {
            return m;
        }
        let m = line_mask(&self.regexes, &self.rec[start..]);
        self.masks.insert(key, m);
        m
    }

    fn failure(&mut self, vi: usize, si: usize) {
        let def = self.variants[vi].def;
        let n = self.variants[vi].templates.len();
        let format = self.services[si].def.format;
        if format == Format::Json {
            // One line: the traceback or stack travels escaped inside the record.
            let start = self.rec.len();
            self.header(si, def.level);
            let first = self.variants[vi].templates[0] as usize;
            self.templates[first].render(&mut self.rec, &mut self.rng, &mut self.clock, true);
            self.rec.push(b'"');
            if n > 1 {
                let field: &[u8] = if def.source == Source::Node { b",\"stack\":\"" } else { b",\"exc_info\":\"" };
                self.rec.extend_from_slice(field);
                for i in 1..n {
                    if i > 1 {
                        self.rec.extend_from_slice(b"\\n");
                    }
                    let t = self.variants[vi].templates[i] as usize;
                    self.templates[t].render(&mut self.rec, &mut self.rng, &mut self.clock, true);
                }
                self.rec.push(b'"');
            }
            self.rec.push(b'}');
            self.end_line(start, Shape::JsonRecord { service: si, level: def.level, variant: vi as u32 });
            return;
        }
        for i in 0..n {
            let t = self.variants[vi].templates[i];
            if i == 0 && !def.bare {
                self.header_line(si, def.level, t, None);
            } else {
                let start = self.rec.len();
                self.templates[t as usize].render(&mut self.rec, &mut self.rng, &mut self.clock, false);
                self.end_line(start, Shape::Raw { template: t });
            }
        }
    }

    fn filler(&mut self, len: usize) {
        self.rec.clear();
        self.rec_masks.clear();
        let t = self.services[0].filler;
        self.header_line(0, Level::Info, t, Some(len));
        debug_assert_eq!(self.rec.len(), len);
    }

    /// A log smaller than any real line: digits and a newline.
    fn tiny(&mut self, size: u64) {
        self.rec.clear();
        self.rec_masks.clear();
        if size == 0 {
            return;
        }
        self.rec.extend((1..size).map(|_| b'0' + self.rng.below(10) as u8));
        let m = line_mask(&self.regexes, &self.rec);
        self.rec.push(b'\n');
        self.rec_masks.push(m);
    }

    /// Write the service's line header; true when the message goes inside a JSON string.
    fn header(&mut self, si: usize, level: Level) -> bool {
        let s = &self.services[si];
        let out = &mut self.rec;
        let c = &self.clock;
        match s.def.format {
            Format::Python => {
                c.ymd_hms_ms(out, b',');
                out.extend_from_slice(b" - ");
                out.extend_from_slice(s.def.name.as_bytes());
                out.extend_from_slice(b" - ");
                out.extend_from_slice(match level {
                    Level::Debug => b"DEBUG",
                    Level::Info => b"INFO",
                    Level::Warning => b"WARNING",
                    Level::Error => b"ERROR",
                    Level::Critical | Level::Fatal => b"CRITICAL",
                });
                out.extend_from_slice(b" - ");
            }
            Format::Json => {
                out.extend_from_slice(b"{\"ts\":\"");
                c.iso(out, true);
                out.extend_from_slice(b"\",\"level\":\"");
                out.extend_from_slice(lower(level));
                out.extend_from_slice(b"\",\"logger\":\"");
                out.extend_from_slice(s.def.name.as_bytes());
                out.extend_from_slice(b"\",\"msg\":\"");
                return true;
            }
            Format::Syslog => {
                c.syslog(out);
                out.extend_from_slice(SYSLOG_HOST);
            }
            Format::Java => {
                c.ymd_hms_ms(out, b'.');
                out.extend_from_slice(match level {
                    Level::Debug => b" DEBUG ",
                    Level::Info => b"  INFO ",
                    Level::Warning => b"  WARN ",
                    _ => b" ERROR ",
                });
                text::push_u64(out, s.pid);
                out.extend_from_slice(b" --- [nio-8080-exec-");
                text::push_u64(out, self.rng.range(1, 10));
                out.extend_from_slice(b"] ");
                out.extend_from_slice(&s.padded_name);
                out.extend_from_slice(b" : ");
            }
            Format::Node => {
                c.iso(out, true);
                out.extend_from_slice(match level {
                    Level::Debug => b" DEBUG [",
                    Level::Info => b" INFO [",
                    Level::Warning => b" WARN [",
                    Level::Error | Level::Critical => b" ERROR [",
                    Level::Fatal => b" FATAL [",
                });
                out.extend_from_slice(s.def.name.as_bytes());
                out.extend_from_slice(b"] ");
            }
            Format::Go => {
                out.extend_from_slice(b"time=\"");
                c.iso(out, false);
                out.extend_from_slice(b"\" level=");
                out.extend_from_slice(lower(level));
                out.push(b' ');
            }
            Format::Nginx => {
                if s.def.source != Source::NginxAccess {
                    c.slashed(out);
                    out.extend_from_slice(match level {
                        Level::Debug => b" [debug] ",
                        Level::Info => b" [notice] ",
                        Level::Warning => b" [warn] ",
                        Level::Error => b" [error] ",
                        Level::Critical => b" [crit] ",
                        Level::Fatal => b" [emerg] ",
                    });
                    text::push_u64(out, s.pid);
                    out.push(b'#');
                    text::push_u64(out, s.pid);
                    out.extend_from_slice(b": ");
                }
            }
            Format::Postgres => {
                c.ymd_hms_ms(out, b'.');
                out.extend_from_slice(b" UTC [");
                text::push_u64(out, self.rng.range(1000, 65000));
                out.extend_from_slice(match level {
                    Level::Debug => b"] DEBUG:  ",
                    Level::Info => b"] LOG:  ",
                    Level::Warning => b"] WARNING:  ",
                    Level::Error => b"] ERROR:  ",
                    Level::Critical => b"] FATAL:  ",
                    Level::Fatal => b"] PANIC:  ",
                });
            }
            Format::Redis => {
                text::push_u64(out, s.pid);
                out.extend_from_slice(b":M ");
                c.redis(out);
                out.extend_from_slice(match level {
                    Level::Debug => b" . ",
                    Level::Info => b" * ",
                    _ => b" # ",
                });
            }
        }
        false
    }

    fn commit(&mut self, out: &mut dyn Write, kind: Kind) -> io::Result<()> {
        out.write_all(&self.rec)?;
        let t = &mut self.truth;
        let first_line = t.lines + 1;
        t.bytes += self.rec.len() as u64;
        t.lines += self.rec_masks.len() as u64;
        t.records += 1;
        for &m in &self.rec_masks {
            if m != 0 {
                t.any_pattern_lines += 1;
            }
            let mut bits = m;
            while bits != 0 {
                t.patterns[bits.trailing_zeros() as usize].lines += 1;
                bits &= bits - 1;
            }
        }
        match kind {
            Kind::Normal => {}
            Kind::NearMiss => t.near_miss_records += 1,
            Kind::Failure(ty) => {
                t.failure_records += 1;
                let tt = &mut t.types[ty];
                tt.records += 1;
                if tt.first_lines.len() < self.max_lines_per_type {
                    tt.first_lines.push(first_line);
                }
            }
        }
        Ok(())
    }
}

fn lower(level: Level) -> &'static [u8] {
    match level {
        Level::Debug => b"debug",
        Level::Info => b"info",
        Level::Warning => b"warning",
        Level::Error => b"error",
        Level::Critical => b"critical",
        Level::Fatal => b"fatal",
    }
}

fn line_mask(regexes: &[Regex], line: &[u8]) -> u64 {
    let mut m = 0;
    for (i, re) in regexes.iter().enumerate() {
        if re.is_match(line) {
            m |= 1 << i;
        }
    }
    m
}

#[cfg(test)]
mod tests;
