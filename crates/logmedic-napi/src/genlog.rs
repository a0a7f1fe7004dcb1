//! Binding for `logmedic_genlog`: options in, ground truth out. The TypeScript
//! wrapper (`src/genlog.ts`) writes the ground truth beside the log.

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use logmedic_genlog::{self as genlog, FailureType, Format, GenOptions, GroundTruth};
use logmedic_core::{Error, ErrorCode};
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::{rejection, to_js_error, Code, ScanJob};

#[napi(object)]
pub struct GenlogOptions {
    /// The log file to write (created or truncated).
    pub path: String,
    /// Exact size in bytes.
    pub size_bytes: i64,
    /// Default 1.
    pub seed: Option<i64>,
    /// Share of records that are failures, 0..=1 (default 0.01).
    pub error_rate: Option<f64>,
    /// Share of normal records that are healthy near-misses, 0..=1 (default 0.02).
    pub near_miss_rate: Option<f64>,
    /// Log formats to write (default all): python, json, syslog, java, node, go, nginx, postgres, redis.
    pub formats: Option<Vec<String>>,
    /// Patterns whose matching lines the ground truth counts (at most 64).
    pub count_patterns: Option<Vec<String>>,
    /// First-line numbers kept per type (default 10000); counts are always exact.
    pub max_lines_per_type: Option<u32>,
}

/// What genlog wrote of one failure type.
#[napi(object)]
pub struct GenlogTypeTruth {
    /// One of the 20 failure types.
    #[napi(js_name = "type")]
    pub ty: String,
    /// Failure records of this type (a record is a log entry with its continuation lines).
    pub records: i64,
    /// 1-based line number of the first line of each record (the first `maxLinesPerType`).
    pub first_lines: Vec<i64>,
}

/// Lines that one of `countPatterns` matches.
#[napi(object)]
pub struct GenlogPatternTruth {
    pub pattern: String,
    pub lines: i64,
}

/// The ground truth of a generated log: what it holds, counted as it was written.
#[napi(object)]
pub struct GenlogTruth {
    pub seed: i64,
    pub bytes: i64,
    /// Lines, counted like `wc -l`.
    pub lines: i64,
    pub records: i64,
    pub failure_records: i64,
    pub near_miss_records: i64,
    /// All 20 types, in the original description's order, with zero where a type was not written.
    pub types: Vec<GenlogTypeTruth>,
    /// Matching lines per `countPatterns` entry, in order.
    pub patterns: Vec<GenlogPatternTruth>,
    /// Lines matching at least one of `countPatterns`.
    pub any_pattern_lines: i64,
}

fn to_core(o: &GenlogOptions) -> core::result::Result<(PathBuf, GenOptions), Error> {
    let bad = |m: String| Error::new(ErrorCode::InvalidArgument, m);
    if o.size_bytes < 0 {
        return Err(bad(format!("sizeBytes must be >= 0, got {}", o.size_bytes)));
    }
    let seed = o.seed.unwrap_or(1);
    if seed < 0 {
        return Err(bad(format!("seed must be >= 0, got {seed}")));
    }
    let d = GenOptions::default();
    let formats = match &o.formats {
        Some(list) => list.iter().map(|f| f.parse::<Format>()).collect::<core::result::Result<Vec<_>, _>>()?,
        None => Vec::new(),
    };
    let options = GenOptions {
        size_bytes: o.size_bytes as u64,
        seed: seed as u64,
        error_rate: o.error_rate.unwrap_or(d.error_rate),
        near_miss_rate: o.near_miss_rate.unwrap_or(d.near_miss_rate),
        formats,
        count_patterns: o.count_patterns.clone().unwrap_or_default(),
        max_lines_per_type: o.max_lines_per_type.map_or(d.max_lines_per_type, |n| n as usize),
    };
    Ok((PathBuf::from(&o.path), options))
}

fn to_js(t: GroundTruth) -> GenlogTruth {
    GenlogTruth {
        seed: t.seed as i64,
        bytes: t.bytes as i64,
        lines: t.lines as i64,
        records: t.records as i64,
        failure_records: t.failure_records as i64,
        near_miss_records: t.near_miss_records as i64,
        types: t
            .types
            .into_iter()
            .map(|tt| GenlogTypeTruth {
                ty: tt.ty.name().to_string(),
                records: tt.records as i64,
                first_lines: tt.first_lines.into_iter().map(|n| n as i64).collect(),
            })
            .collect(),
        patterns: t.patterns.into_iter().map(|p| GenlogPatternTruth { pattern: p.pattern, lines: p.lines as i64 }).collect(),
        any_pattern_lines: t.any_pattern_lines as i64,
    }
}

pub struct GenlogTask {
    path: PathBuf,
    options: GenOptions,
    job: Option<(Arc<logmedic_core::Control>, Arc<std::sync::atomic::AtomicU64>)>,
}

impl Task for GenlogTask {
    type Output = logmedic_core::Result<GroundTruth>;
    type JsValue = GenlogTruth;

    fn compute(&mut self) -> Result<Self::Output> {
        let job = self.job.clone();
        let mut progress = move |bytes: u64| match &job {
            Some((control, done)) => {
                done.store(bytes, Ordering::Relaxed);
                !control.is_cancelled()
            }
            None => true,
        };
        Ok(crate::contained(|| genlog::generate_file(&self.path, &self.options, &mut progress)))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> Result<Self::JsValue> {
        output.map(to_js).map_err(|e| rejection(&env, e))
    }
}

/// Write a generated log on the libuv pool; a `ScanJob` gives progress (bytes written of
/// `sizeBytes`) and cancellation, as for scans.
#[napi(ts_return_type = "Promise<GenlogTruth>")]
pub fn generate_log(options: GenlogOptions, job: Option<&ScanJob>, signal: Option<AbortSignal>) -> Result<AsyncTask<GenlogTask>, Code> {
    let (path, options) = to_core(&options).map_err(to_js_error)?;
    let job = job.map(|j| {
        j.total.store(options.size_bytes, Ordering::Relaxed);
        (j.control.clone(), j.done.clone())
    });
    Ok(AsyncTask::with_optional_signal(GenlogTask { path, options, job }, signal))
}

#[napi]
pub fn generate_log_sync(options: GenlogOptions) -> Result<GenlogTruth, Code> {
    let (path, options) = to_core(&options).map_err(to_js_error)?;
    let truth = crate::contained(|| genlog::generate_file(&path, &options, &mut |_| true)).map_err(to_js_error)?;
    Ok(to_js(truth))
}

#[napi(object)]
pub struct GenlogVariant {
    #[napi(js_name = "type")]
    pub ty: String,
    pub source: String,
    pub bare: bool,
    pub lines: Vec<String>,
}

/// The failure templates genlog writes, for documentation and tests.
#[napi]
pub fn genlog_variants() -> Vec<GenlogVariant> {
    genlog::variants()
        .into_iter()
        .map(|v| GenlogVariant {
            ty: v.ty.name().to_string(),
            source: v.source.to_string(),
            bare: v.bare,
            lines: v.lines.iter().map(|l| l.to_string()).collect(),
        })
        .collect()
}

/// The 20 type names in the original description's order.
#[napi]
pub fn genlog_types() -> Vec<String> {
    FailureType::ALL.iter().map(|t| t.name().to_string()).collect()
}
