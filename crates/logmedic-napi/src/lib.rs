//! The napi-rs binding: converts options and results between JavaScript and
//! `logmedic-core`, and nothing else. All logic lives in the core.
//!
//! Errors cross as JS errors whose `code` property is the core's stable code
//! (`err.code === "E_NOT_FOUND"`): napi-rs sets `code` from an error's status, and the
//! status here is the core's code ([`Code`]). `src/errors.ts` reads it in one place.

#![deny(clippy::all)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use logmedic_core as core;
use logmedic_core::contained;
use napi::bindgen_prelude::*;
use napi_derive::napi;

mod analyze;
mod fs;
mod genlog;
mod model;
mod partial;
mod templates;
mod triggers;
mod unrecognised;
mod watch;

/// The status of an error from the core: its stable code, which napi-rs sets as the JS
/// error's `code` property.
#[derive(Debug, Clone, Copy)]
pub struct Code(&'static str);

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.0
    }
}

/// The one message a core error shows: its text, and the path when the text lacks it.
fn message_of(err: core::Error) -> (Code, String) {
    let path = err.path.map(|p| format!(" (path: {p})")).unwrap_or_default();
    let message = err.message;
    let shown = if path.is_empty() || message.contains(path.trim_start_matches(" (path: ").trim_end_matches(')')) {
        message
    } else {
        format!("{message}{path}")
    };
    (Code(err.code.as_str()), shown)
}

fn to_js_error(err: core::Error) -> napi::Error<Code> {
    let (code, message) = message_of(err);
    napi::Error::new(code, message)
}

/// A core error as a promise's rejection: an `Error` whose `code` is the core's code. Tasks
/// settle with the plain status type, so the JS error object is made here and passed on.
fn rejection(env: &Env, err: core::Error) -> napi::Error {
    let (code, message) = message_of(err);
    let made = env.create_error(napi::Error::new(Status::GenericFailure, message.clone())).and_then(|mut obj| {
        obj.set_named_property("code", code.0)?;
        Ok(obj)
    });
    match made {
        Ok(obj) => napi::Error::from(obj.to_unknown()),
        Err(_) => napi::Error::new(Status::GenericFailure, message),
    }
}

/// Options for compiling a pattern database.
#[napi(object)]
pub struct DatabaseOptions {
    /// "auto" (default), "hyperscan" or "regex".
    pub engine: Option<String>,
}

/// A compiled pattern set, reused across scans.
#[napi]
pub struct PatternDatabase {
    inner: Arc<core::Database>,
}

#[napi]
impl PatternDatabase {
    #[napi(constructor)]
    pub fn new(patterns: Vec<String>, options: Option<DatabaseOptions>) -> Result<Self, Code> {
        let choice = match options.and_then(|o| o.engine) {
            Some(name) => name.parse().map_err(to_js_error)?,
            None => core::EngineChoice::Auto,
        };
        let db = contained(|| core::Database::from_sources(&patterns, choice)).map_err(to_js_error)?;
        Ok(PatternDatabase { inner: Arc::new(db) })
    }

    /// The engine that serves this database: "hyperscan" or "regex".
    #[napi(getter)]
    pub fn engine(&self) -> String {
        self.inner.engine_name().to_string()
    }

    #[napi(getter)]
    pub fn patterns(&self) -> Vec<String> {
        self.inner.patterns().iter().map(|p| p.source.clone()).collect()
    }
}

/// Whether the Hyperscan library could be loaded on this machine.
#[napi]
pub fn hyperscan_available() -> bool {
    core::hyperscan_available()
}

#[napi(object)]
#[derive(Default)]
pub struct ScanOptions {
    /// Worker threads (default: available cores).
    pub threads: Option<u32>,
    /// Memory-map large files (default true); false reads with pread into reused buffers.
    pub mmap: Option<bool>,
    /// Matching lines kept per pattern (default 1000); all are counted.
    pub max_hits: Option<u32>,
    /// Bytes of each matching line kept (default 4096).
    pub max_text_bytes: Option<u32>,
    /// Chunk size in bytes (default: chosen from the input size).
    pub chunk_bytes: Option<u32>,
    /// Longest line read whole without mmap (default 16 MiB).
    pub max_line_bytes: Option<u32>,
}

impl From<&ScanOptions> for core::ScanOptions {
    fn from(o: &ScanOptions) -> Self {
        let d = core::ScanOptions::default();
        core::ScanOptions {
            threads: o.threads.map_or(d.threads, |t| t as usize),
            max_hits: o.max_hits.map_or(d.max_hits, |t| t as usize),
            max_text_bytes: o.max_text_bytes.map_or(d.max_text_bytes, |t| t as usize),
            chunk_bytes: o.chunk_bytes.map_or(d.chunk_bytes, |t| t as usize),
            max_line_bytes: o.max_line_bytes.map_or(d.max_line_bytes, |t| t.max(1) as usize),
        }
    }
}

#[napi(object)]
pub struct Hit {
    pub line: i64,
    pub offset: i64,
    pub text: String,
    pub truncated: bool,
}

#[napi(object)]
pub struct PatternResult {
    pub pattern: String,
    pub count: i64,
    pub hits: Vec<Hit>,
}

#[napi(object)]
pub struct ScanResult {
    pub patterns: Vec<PatternResult>,
    pub bytes: i64,
    pub lines: i64,
    pub elapsed_ms: f64,
    pub engine: String,
    pub threads: u32,
    /// "mmap", "read", "gzip", "zstd", "memory" or "stream".
    pub source: String,
    /// The file changed (shrank or grew) while it was read.
    pub changed: bool,
}

fn to_js_result(db: &core::Database, r: core::ScanResult) -> ScanResult {
    ScanResult {
        patterns: r
            .patterns
            .into_iter()
            .zip(db.patterns())
            .map(|(p, pat)| PatternResult {
                pattern: pat.source.clone(),
                count: p.count as i64,
                hits: p
                    .hits
                    .into_iter()
                    .map(|h| Hit {
                        line: h.line as i64,
                        offset: h.offset as i64,
                        text: String::from_utf8_lossy(&h.text).into_owned(),
                        truncated: h.truncated,
                    })
                    .collect(),
            })
            .collect(),
        bytes: r.bytes as i64,
        lines: r.lines as i64,
        elapsed_ms: r.elapsed_secs * 1000.0,
        engine: r.engine.to_string(),
        threads: r.threads as u32,
        source: r.source.as_str().to_string(),
        changed: r.changed,
    }
}

/// A handle on a running scan: cancel it, or read its progress.
#[napi]
pub struct ScanJob {
    control: Arc<core::Control>,
    done: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
}

impl Default for ScanJob {
    fn default() -> Self {
        Self::new()
    }
}

#[napi(object)]
pub struct JobProgress {
    pub bytes: i64,
    /// Total bytes, or -1 when unknown (streams).
    pub total: i64,
}

#[napi]
impl ScanJob {
    #[napi(constructor)]
    pub fn new() -> Self {
        let done = Arc::new(AtomicU64::new(0));
        let total = Arc::new(AtomicU64::new(u64::MAX));
        let (d, t) = (done.clone(), total.clone());
        let control = core::Control::with_progress(move |p| {
            d.fetch_max(p.bytes, Ordering::Relaxed);
            t.store(p.total.unwrap_or(u64::MAX), Ordering::Relaxed);
        });
        ScanJob { control: Arc::new(control), done, total }
    }

    /// Ask the scan to stop; it ends with an `E_ABORTED` error.
    #[napi]
    pub fn cancel(&self) {
        self.control.cancel();
    }

    #[napi]
    pub fn progress(&self) -> JobProgress {
        let total = self.total.load(Ordering::Relaxed);
        JobProgress {
            bytes: self.done.load(Ordering::Relaxed) as i64,
            total: if total == u64::MAX { -1 } else { total as i64 },
        }
    }
}

enum Input {
    Path(PathBuf),
    Bytes(Buffer),
}

pub struct ScanTask {
    db: Arc<core::Database>,
    input: Input,
    mmap: bool,
    options: core::ScanOptions,
    control: Arc<core::Control>,
}

impl ScanTask {
    fn run(&self) -> core::Result<core::ScanResult> {
        let source = match &self.input {
            Input::Path(path) => core::Source::open(path, self.mmap)?,
            Input::Bytes(buf) => core::Source::Memory(buf.as_ref()),
        };
        core::scan(source, &self.db, &self.options, &self.control)
    }
}

impl Task for ScanTask {
    type Output = core::Result<core::ScanResult>;
    type JsValue = ScanResult;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(contained(|| self.run()))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> Result<Self::JsValue> {
        output.map(|r| to_js_result(&self.db, r)).map_err(|e| rejection(&env, e))
    }
}

fn task(db: &PatternDatabase, input: Input, options: Option<ScanOptions>, job: Option<&ScanJob>) -> ScanTask {
    let options = options.unwrap_or_default();
    ScanTask {
        db: db.inner.clone(),
        input,
        mmap: options.mmap.unwrap_or(true),
        options: (&options).into(),
        control: job.map_or_else(|| Arc::new(core::Control::new()), |j| j.control.clone()),
    }
}

/// Scan a file (plain, gzip or zstd; `-` is stdin) on the libuv pool.
#[napi(ts_return_type = "Promise<ScanResult>")]
pub fn scan_file(
    db: &PatternDatabase,
    path: String,
    options: Option<ScanOptions>,
    job: Option<&ScanJob>,
    signal: Option<AbortSignal>,
) -> AsyncTask<ScanTask> {
    AsyncTask::with_optional_signal(task(db, Input::Path(path.into()), options, job), signal)
}

#[napi]
pub fn scan_file_sync(db: &PatternDatabase, path: String, options: Option<ScanOptions>) -> Result<ScanResult, Code> {
    let t = task(db, Input::Path(path.into()), options, None);
    let out = contained(|| t.run()).map_err(to_js_error)?;
    Ok(to_js_result(&t.db, out))
}

/// Scan bytes already in memory (read in place, not copied).
#[napi(ts_return_type = "Promise<ScanResult>")]
pub fn scan_buffer(
    db: &PatternDatabase,
    buffer: Buffer,
    options: Option<ScanOptions>,
    job: Option<&ScanJob>,
    signal: Option<AbortSignal>,
) -> AsyncTask<ScanTask> {
    AsyncTask::with_optional_signal(task(db, Input::Bytes(buffer), options, job), signal)
}

#[napi]
pub fn scan_buffer_sync(db: &PatternDatabase, buffer: &[u8], options: Option<ScanOptions>) -> Result<ScanResult, Code> {
    let options = options.unwrap_or_default();
    let out = contained(|| core::scan(core::Source::Memory(buffer), &db.inner, &(&options).into(), &core::Control::new())).map_err(to_js_error)?;
    Ok(to_js_result(&db.inner, out))
}

