//! Binding for the analysis: a compiled catalog (patterns with their type index and
//! priority) and calls that return typed records and per-type summaries. Conversion only:
//! grouping, fields and aggregation live in `logmedic-core`.

use std::path::PathBuf;
use std::sync::Arc;

use logmedic_core as core;
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::{contained, rejection, to_js_error, to_js_result, Code, ScanJob, ScanResult};

/// One catalog pattern, as the core needs it.
#[napi(object)]
pub struct CatalogEntry {
    pub pattern: String,
    /// Index into the `types` given with the catalog.
    pub type_index: u32,
    /// The pattern's own priority; without one, its type's (see `core::precedence`).
    pub priority: Option<i32>,
    /// Type indexes this pattern may only refine (see `core::RecordSpec::pattern_refines`).
    pub refines: Option<Vec<u32>>,
}

/// One error type of the catalog: its name and its priority (the precedence tie-breaker).
#[napi(object)]
pub struct CatalogType {
    pub name: String,
    pub priority: i32,
}

/// The catalog compiled once into one pattern database, with its type index.
#[napi]
pub struct CompiledCatalog {
    pub(crate) db: Arc<core::Database>,
    pub(crate) spec: core::RecordSpec,
}

#[napi]
impl CompiledCatalog {
    #[napi(constructor)]
    pub fn new(entries: Vec<CatalogEntry>, types: Vec<CatalogType>, engine: Option<String>) -> Result<Self, Code> {
        let choice = match engine {
            Some(name) => name.parse().map_err(to_js_error)?,
            None => core::EngineChoice::Auto,
        };
        let out_of_range = |e: &&CatalogEntry| e.type_index as usize >= types.len() || e.refines.iter().flatten().any(|&t| t as usize >= types.len());
        if let Some(e) = entries.iter().find(out_of_range) {
            return Err(to_js_error(core::Error::new(core::ErrorCode::InvalidArgument, format!("pattern {:?} names type index {} of {}", e.pattern, e.type_index, types.len()))));
        }
        let db = contained(|| core::Database::from_sources(&database_sources(&entries), choice)).map_err(to_js_error)?;
        let priorities = entries.iter().map(|e| core::precedence(e.priority, types[e.type_index as usize].priority)).collect();
        let mut spec = core::RecordSpec::new(entries.iter().map(|e| e.type_index).collect(), priorities, types.len());
        if entries.iter().any(|e| e.refines.as_ref().is_some_and(|r| !r.is_empty())) {
            spec.pattern_refines = entries.iter().map(|e| e.refines.clone().unwrap_or_default()).collect();
        }
        spec.embedded = true;
        spec.unrecognised = true;
        Ok(CompiledCatalog { db: Arc::new(db), spec })
    }

    #[napi(getter)]
    pub fn engine(&self) -> String {
        self.db.engine_name().to_string()
    }
}

/// The catalog's patterns, then the trigger for tracebacks embedded in JSON lines (see
/// `core::EMBEDDED_TRIGGER`): the core matches their text with the catalog too;
/// then the trigger for error-level lines, which the core mines when no pattern matched.
fn database_sources(entries: &[CatalogEntry]) -> Vec<&str> {
    let mut sources: Vec<&str> = entries.iter().map(|e| e.pattern.as_str()).collect();
    sources.push(core::EMBEDDED_TRIGGER);
    sources.push(core::ERROR_LEVEL_TRIGGER);
    sources
}

/// Whether Hyperscan would load this catalog from its on-disk cache (milliseconds) rather
/// than compile it (about a second): lets `engine: "auto"` use it for small inputs too.
#[napi]
pub fn catalog_cached_for_hyperscan(entries: Vec<CatalogEntry>) -> bool {
    contained(|| Ok(core::Database::is_cached(&database_sources(&entries), core::EngineChoice::Hyperscan))).unwrap_or(false)
}

#[napi(object)]
#[derive(Default)]
pub struct AnalyzeOptions {
    pub threads: Option<u32>,
    pub mmap: Option<bool>,
    pub chunk_bytes: Option<u32>,
    pub max_line_bytes: Option<u32>,
    /// Records kept whole per type (default 10); all are counted.
    pub max_samples: Option<u32>,
    /// Bytes of each record's text kept (default 16 KiB).
    pub max_record_bytes: Option<u32>,
    /// Matching lines kept per pattern in `scan.patterns[].hits` (default 0).
    pub max_hits: Option<u32>,
    /// Year for timestamps without one (syslog); default: the year that puts them closest to,
    /// and not after, the file's modification time (a buffer: now).
    pub year: Option<i32>,
    /// Count only records at or after this instant (`--since`).
    pub since: Option<TimeBound>,
    /// Count only records at or before this instant (`--until`).
    pub until: Option<TimeBound>,
    /// The file's place among the inputs (default 0): what records, first/last and partials
    /// say the file is, and the order in which `mergePartials` folds partials.
    pub file_index: Option<u32>,
}

/// One end of a time range: an instant and the local clock's offset from UTC at it.
#[napi(object)]
#[derive(Clone, Copy)]
pub struct TimeBound {
    /// Milliseconds since 1970 UTC.
    pub utc_ms: f64,
    /// Minutes east of UTC (UTC+2: 120).
    pub offset_minutes: i32,
}

impl From<TimeBound> for core::Bound {
    fn from(b: TimeBound) -> Self {
        core::Bound { utc_ms: b.utc_ms as i64, offset_minutes: b.offset_minutes }
    }
}

/// One frame of a record's stack trace.
#[napi(object)]
pub struct Frame {
    pub file: String,
    pub line: Option<u32>,
    pub function: Option<String>,
    /// Application code (not the standard library, site-packages, node_modules, JDK…).
    pub app: bool,
}

/// What the message names that recovery needs.
#[napi(object)]
pub struct RecordObjects {
    pub paths: Vec<String>,
    pub hosts: Vec<String>,
    pub ports: Vec<u32>,
    pub pids: Vec<u32>,
    pub services: Vec<String>,
    pub devices: Vec<String>,
}

#[napi(object)]
pub struct NativeRecord {
    pub type_index: u32,
    /// The record's file: the `fileIndex` it was analyzed with.
    pub file_index: u32,
    pub pattern_index: u32,
    /// Every pattern that matched in the record, refiners included, in catalog order.
    pub matched: Vec<u32>,
    pub line: i64,
    pub end_line: i64,
    pub offset: i64,
    pub time: Option<String>,
    pub level: Option<String>,
    pub logger: Option<String>,
    pub message: String,
    /// The message was cut to the core's `MAX_MESSAGE_BYTES`.
    pub message_truncated: bool,
    pub exception: Option<String>,
    pub text: String,
    pub text_truncated: bool,
    pub frames: Vec<Frame>,
    pub innermost: Option<u32>,
    pub objects: RecordObjects,
}

#[napi(object)]
pub struct ShapeCount {
    pub shape: String,
    pub count: i64,
    pub example: String,
    pub example_truncated: bool,
}

#[napi(object)]
pub struct FrameCount {
    pub frame: Frame,
    pub count: i64,
}

/// Records of one type in one minute: a point of its timeline.
#[napi(object)]
pub struct MinuteCount {
    /// `2025-05-17T10:05`
    pub minute: String,
    pub count: i64,
}

#[napi(object)]
pub struct NativeTypeSummary {
    pub type_index: u32,
    pub count: i64,
    pub first_file: u32,
    pub first_line: i64,
    pub first_time: Option<String>,
    pub last_file: u32,
    pub last_line: i64,
    pub last_time: Option<String>,
    /// Most frequent first.
    pub shapes: Vec<ShapeCount>,
    /// Records whose shape was not kept (too many distinct shapes).
    pub other_shapes: i64,
    /// Innermost application frames, most frequent first.
    pub frames: Vec<FrameCount>,
    pub timeline: Vec<MinuteCount>,
    pub samples: Vec<NativeRecord>,
}

#[napi(object)]
pub struct AnalysisResult {
    pub scan: ScanResult,
    /// The `fileIndex` of each file that was truncated or grew while it was read.
    pub changed_files: Vec<u32>,
    pub records: i64,
    /// Types with at least one record, in type order.
    pub types: Vec<NativeTypeSummary>,
    /// Error-level lines that no pattern matched, grouped by template.
    pub unrecognised: Unrecognised,
}

#[napi(object)]
pub struct Unrecognised {
    /// Error-level lines outside every record.
    pub lines: i64,
    /// Most frequent first (then first seen).
    pub templates: Vec<crate::templates::MinedTemplate>,
    /// Lines whose template was not kept (too many distinct ones).
    pub others: i64,
}

fn unrecognised(p: core::TemplatePartial) -> Unrecognised {
    let t = p.templates();
    let mut templates: Vec<_> = t.templates.into_iter().map(crate::templates::to_js_template).collect();
    templates.sort_by(|a, b| b.count.cmp(&a.count).then(a.first.line.cmp(&b.first.line)));
    Unrecognised { lines: t.lines as i64, templates, others: t.others as i64 }
}

fn frame(f: core::Frame) -> Frame {
    Frame { file: f.file, line: f.line, function: f.function, app: f.app }
}

fn record(r: core::Record) -> NativeRecord {
    NativeRecord {
        type_index: r.type_id,
        file_index: r.file,
        pattern_index: r.pattern,
        matched: r.matched,
        line: r.line as i64,
        end_line: r.end_line as i64,
        offset: r.offset as i64,
        time: r.time.map(|t| t.iso()),
        level: r.level,
        logger: r.logger,
        message: r.message,
        message_truncated: r.message_truncated,
        exception: r.exception,
        text: r.text,
        text_truncated: r.text_truncated,
        frames: r.frames.into_iter().map(frame).collect(),
        innermost: r.innermost.map(|i| i as u32),
        objects: RecordObjects {
            paths: r.objects.paths,
            hosts: r.objects.hosts,
            ports: r.objects.ports,
            pids: r.objects.pids,
            services: r.objects.services,
            devices: r.objects.devices,
        },
    }
}

pub(crate) fn to_js_analysis(db: &core::Database, mut scan: core::ScanResult, a: core::Analysis, catalog_patterns: usize, changed_files: Vec<u32>) -> AnalysisResult {
    scan.patterns.truncate(catalog_patterns); // the triggers are no catalog patterns
    let unrecognised = unrecognised(a.unrecognised);
    let types = a
        .types
        .into_iter()
        .enumerate()
        .filter(|(_, t)| t.count > 0)
        .map(|(i, t)| {
            let mut shapes: Vec<_> = t.shapes.into_iter().collect();
            shapes.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.1.first_seen.cmp(&b.1.first_seen)).then_with(|| a.0.cmp(&b.0)));
            let mut frames: Vec<_> = t.frames.into_iter().collect();
            frames.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| (&a.0.file, a.0.line).cmp(&(&b.0.file, b.0.line))));
            frames.truncate(10);
            let mut minutes: Vec<_> = t.minutes.into_iter().collect();
            minutes.sort();
            let first = t.first.unwrap_or(core::RecordRef { file: 0, line: 0, time: None });
            let last = t.last.unwrap_or(core::RecordRef { file: 0, line: 0, time: None });
            NativeTypeSummary {
                type_index: i as u32,
                count: t.count as i64,
                first_file: first.file,
                first_line: first.line as i64,
                first_time: first.time.map(|t| t.iso()),
                last_file: last.file,
                last_line: last.line as i64,
                last_time: last.time.map(|t| t.iso()),
                shapes: shapes.into_iter().map(|(shape, s)| ShapeCount { shape, count: s.count as i64, example: s.example, example_truncated: s.example_truncated }).collect(),
                other_shapes: t.other_shapes as i64,
                frames: frames.into_iter().map(|(f, c)| FrameCount { frame: frame(f), count: c as i64 }).collect(),
                timeline: minutes.into_iter().map(|(m, c)| MinuteCount { minute: core::minute_iso(m), count: c as i64 }).collect(),
                samples: t.samples.into_iter().map(record).collect(),
            }
        })
        .collect();
    AnalysisResult { scan: to_js_result(db, scan), changed_files, records: a.records as i64, types, unrecognised }
}

pub(crate) enum Input {
    Path(PathBuf),
    Bytes(Buffer),
}

pub struct AnalyzeTask {
    pub(crate) db: Arc<core::Database>,
    pub(crate) spec: core::RecordSpec,
    pub(crate) input: Input,
    pub(crate) mmap: bool,
    pub(crate) options: core::ScanOptions,
    pub(crate) control: Arc<core::Control>,
    pub(crate) file_index: u32,
}

impl AnalyzeTask {
    pub(crate) fn run(&self) -> core::Result<(core::ScanResult, core::Analysis)> {
        let source = match &self.input {
            Input::Path(path) => core::Source::open(path, self.mmap)?,
            Input::Bytes(buf) => core::Source::Memory(buf.as_ref()),
        };
        let (scan, mut analysis) = core::analyze(source, &self.db, &self.spec, &self.options, &self.control)?;
        analysis.set_file(self.file_index);
        Ok((scan, analysis))
    }

    fn result(&self, scan: core::ScanResult, analysis: core::Analysis) -> AnalysisResult {
        let changed = if scan.changed { vec![self.file_index] } else { Vec::new() };
        to_js_analysis(&self.db, scan, analysis, self.spec.pattern_type.len(), changed)
    }
}

impl Task for AnalyzeTask {
    type Output = core::Result<(core::ScanResult, core::Analysis)>;
    type JsValue = AnalysisResult;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(contained(|| self.run()))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> Result<Self::JsValue> {
        output.map(|(scan, analysis)| self.result(scan, analysis)).map_err(|e| rejection(&env, e))
    }
}

pub(crate) fn task(catalog: &CompiledCatalog, input: Input, options: Option<AnalyzeOptions>, job: Option<&ScanJob>) -> AnalyzeTask {
    let o = options.unwrap_or_default();
    let d = core::ScanOptions::default();
    let mut spec = catalog.spec.clone();
    if let Some(n) = o.max_samples {
        spec.max_samples = n as usize;
    }
    if let Some(n) = o.max_record_bytes {
        spec.max_record_bytes = n as usize;
    }
    spec.year = match (o.year, &input) {
        (Some(y), _) => core::YearRule::Fixed(y),
        (None, Input::Path(path)) => core::YearRule::for_path(path),
        (None, Input::Bytes(_)) => core::YearRule::now(),
    };
    spec.range = core::TimeRange { since: o.since.map(Into::into), until: o.until.map(Into::into) };
    AnalyzeTask {
        db: catalog.db.clone(),
        spec,
        input,
        mmap: o.mmap.unwrap_or(true),
        options: core::ScanOptions {
            threads: o.threads.map_or(d.threads, |t| t as usize),
            max_hits: o.max_hits.map_or(0, |t| t as usize),
            max_text_bytes: d.max_text_bytes,
            chunk_bytes: o.chunk_bytes.map_or(d.chunk_bytes, |t| t as usize),
            max_line_bytes: o.max_line_bytes.map_or(d.max_line_bytes, |t| t.max(1) as usize),
        },
        control: job.map_or_else(|| Arc::new(core::Control::new()), |j| j.control.clone()),
        file_index: o.file_index.unwrap_or(0),
    }
}

/// Analyze a file (plain, gzip or zstd; `-` is stdin) on the libuv pool.
#[napi(ts_return_type = "Promise<AnalysisResult>")]
pub fn analyze_file(
    catalog: &CompiledCatalog,
    path: String,
    options: Option<AnalyzeOptions>,
    job: Option<&ScanJob>,
    signal: Option<AbortSignal>,
) -> AsyncTask<AnalyzeTask> {
    AsyncTask::with_optional_signal(task(catalog, Input::Path(path.into()), options, job), signal)
}

#[napi]
pub fn analyze_file_sync(catalog: &CompiledCatalog, path: String, options: Option<AnalyzeOptions>) -> Result<AnalysisResult, Code> {
    let t = task(catalog, Input::Path(path.into()), options, None);
    let (scan, analysis) = contained(|| t.run()).map_err(to_js_error)?;
    Ok(t.result(scan, analysis))
}

/// Analyze bytes in memory (read in place, not copied).
#[napi(ts_return_type = "Promise<AnalysisResult>")]
pub fn analyze_buffer(
    catalog: &CompiledCatalog,
    buffer: Buffer,
    options: Option<AnalyzeOptions>,
    job: Option<&ScanJob>,
    signal: Option<AbortSignal>,
) -> AsyncTask<AnalyzeTask> {
    AsyncTask::with_optional_signal(task(catalog, Input::Bytes(buffer), options, job), signal)
}

#[napi]
pub fn analyze_buffer_sync(catalog: &CompiledCatalog, buffer: Buffer, options: Option<AnalyzeOptions>) -> Result<AnalysisResult, Code> {
    let t = task(catalog, Input::Bytes(buffer), options, None);
    let (scan, analysis) = contained(|| t.run()).map_err(to_js_error)?;
    Ok(t.result(scan, analysis))
}

fn core_record(r: NativeRecord) -> core::Record {
    // Times cross as the ISO text `Timestamp::iso` wrote; read back they are the same instant.
    let time = r.time.as_deref().and_then(|t| core::timestamp_at_start(t.as_bytes(), core::YearRule::now())).map(|(t, _)| t);
    core::Record {
        type_id: r.type_index,
        file: r.file_index,
        pattern: r.pattern_index,
        matched: r.matched,
        line: r.line.max(0) as u64,
        end_line: r.end_line.max(0) as u64,
        offset: r.offset.max(0) as u64,
        time,
        level: r.level,
        logger: r.logger,
        message: r.message,
        message_truncated: r.message_truncated,
        exception: r.exception,
        text: r.text,
        text_truncated: r.text_truncated,
        frames: r.frames.into_iter().map(|f| core::Frame { file: f.file, line: f.line, function: f.function, app: f.app }).collect(),
        innermost: r.innermost.map(|i| i as usize),
        objects: core::Objects {
            paths: r.objects.paths,
            hosts: r.objects.hosts,
            ports: r.objects.ports,
            pids: r.objects.pids,
            services: r.objects.services,
            devices: r.objects.devices,
        },
    }
}

/// The summary of records found before (a watch rule's window), in the order given: the
/// core's own fold, so a window reads like an analysis (`options.maxSamples` kept whole).
/// `scan` is empty: no bytes were read.
#[napi]
pub fn summarize_records(catalog: &CompiledCatalog, records: Vec<NativeRecord>, options: Option<AnalyzeOptions>) -> Result<AnalysisResult, Code> {
    let max_samples = options.and_then(|o| o.max_samples).map_or(catalog.spec.max_samples, |n| n as usize);
    let types = catalog.spec.types;
    let analysis = contained(|| core::Analysis::of_records(records.into_iter().map(core_record).collect(), types, max_samples)).map_err(to_js_error)?;
    let scan = core::ScanResult { patterns: Vec::new(), bytes: 0, lines: 0, elapsed_secs: 0.0, engine: "records", threads: 0, source: core::SourceKind::Memory, changed: false };
    Ok(to_js_analysis(&catalog.db, scan, analysis, 0, Vec::new()))
}
