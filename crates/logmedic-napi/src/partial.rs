//! Binding for partial analyses: a byte range of a file (or a whole input) analyzed into a
//! serialized partial (the core's versioned binary format), and partials merged into the
//! answer `analyzeFile` gives. Conversion only: ranges, merge and format live in
//! `logmedic_core::Partial`.

use napi::bindgen_prelude::*;
use napi_derive::napi;

use logmedic_core as core;

use crate::analyze::{task, to_js_analysis, AnalysisResult, AnalyzeOptions, AnalyzeTask, CompiledCatalog, Input};
use crate::{contained, rejection, to_js_error, Code, ScanJob};

pub struct PartialTask {
    analyze: AnalyzeTask,
    /// The byte range; None: the whole input (any kind: compressed, stdin, a buffer).
    range: Option<(u64, u64)>,
}

impl PartialTask {
    fn run(&self) -> core::Result<Vec<u8>> {
        let t = &self.analyze;
        let partial = match (self.range, &t.input) {
            (Some((start, end)), Input::Path(path)) => {
                let source = core::Source::open(path, t.mmap)?;
                let (scan, analysis) = core::analyze_range(source, &t.db, &t.spec, &t.options, start, end, &t.control)?;
                core::Partial::of_range(scan, analysis, t.file_index, start, end, &t.spec, t.options.max_hits)
            }
            (Some(_), Input::Bytes(_)) => return Err(core::Error::new(core::ErrorCode::InvalidArgument, "only a file can be analyzed by byte range")),
            (None, _) => {
                let (scan, analysis) = t.run()?;
                let bytes = scan.bytes;
                core::Partial::of_range(scan, analysis, t.file_index, 0, bytes, &t.spec, t.options.max_hits)
            }
        };
        Ok(partial.encode(core::partial_fingerprint(&t.db, &t.spec)))
    }
}

impl Task for PartialTask {
    type Output = core::Result<Vec<u8>>;
    type JsValue = Buffer;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(contained(|| self.run()))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> Result<Self::JsValue> {
        output.map(Buffer::from).map_err(|e| rejection(&env, e))
    }
}

fn range_task(catalog: &CompiledCatalog, path: String, start: i64, end: i64, options: Option<AnalyzeOptions>, job: Option<&ScanJob>) -> Result<PartialTask, Code> {
    if start < 0 || end < start {
        return Err(to_js_error(core::Error::new(core::ErrorCode::InvalidArgument, format!("byte range {start}..{end} is not a range of a file"))));
    }
    Ok(PartialTask { analyze: task(catalog, Input::Path(path.into()), options, job), range: Some((start as u64, end as u64)) })
}

/// Analyze a whole input (a file: plain, gzip or zstd, `-` for stdin; or a buffer) into a
/// partial, to be merged with the partials of other inputs (`mergePartials`).
#[napi(ts_return_type = "Promise<Buffer>")]
pub fn analyze_partial(
    catalog: &CompiledCatalog,
    input: Either<String, Buffer>,
    options: Option<AnalyzeOptions>,
    job: Option<&ScanJob>,
    signal: Option<AbortSignal>,
) -> AsyncTask<PartialTask> {
    AsyncTask::with_optional_signal(PartialTask { analyze: task(catalog, input_of(input), options, job), range: None }, signal)
}

#[napi]
pub fn analyze_partial_sync(catalog: &CompiledCatalog, input: Either<String, Buffer>, options: Option<AnalyzeOptions>) -> Result<Buffer, Code> {
    let t = PartialTask { analyze: task(catalog, input_of(input), options, None), range: None };
    contained(|| t.run()).map(Buffer::from).map_err(to_js_error)
}

fn input_of(input: Either<String, Buffer>) -> Input {
    match input {
        Either::A(path) => Input::Path(path.into()),
        Either::B(buffer) => Input::Bytes(buffer),
    }
}

/// Analyze the bytes `[start, end)` of a plain file (not compressed, not stdin) into a
/// partial: the records that start in the range, serialized (see `mergePartials`).
#[napi(ts_return_type = "Promise<Buffer>")]
pub fn analyze_file_range(
    catalog: &CompiledCatalog,
    path: String,
    start: i64,
    end: i64,
    options: Option<AnalyzeOptions>,
    job: Option<&ScanJob>,
    signal: Option<AbortSignal>,
) -> Result<AsyncTask<PartialTask>, Code> {
    Ok(AsyncTask::with_optional_signal(range_task(catalog, path, start, end, options, job)?, signal))
}

#[napi]
pub fn analyze_file_range_sync(catalog: &CompiledCatalog, path: String, start: i64, end: i64, options: Option<AnalyzeOptions>) -> Result<Buffer, Code> {
    let t = range_task(catalog, path, start, end, options, None)?;
    contained(|| t.run()).map(Buffer::from).map_err(to_js_error)
}

/// Merge partials from `analyzeFileRange` (in any order: each carries its file index and
/// range) into the result `analyzeFile` gives for the inputs they cover. The catalog and
/// the options that decide answers (samples, record bytes, since/until) must be the ones
/// the partials were made with, and the format version this build's; else `E_INVALID_ARG`.
#[napi]
pub fn merge_partials(catalog: &CompiledCatalog, partials: Vec<Buffer>, options: Option<AnalyzeOptions>) -> Result<AnalysisResult, Code> {
    let t = task(catalog, Input::Bytes(Buffer::from(Vec::new())), options, None);
    let fingerprint = core::partial_fingerprint(&t.db, &t.spec);
    let merged = contained(|| {
        let decoded = partials.iter().map(|p| core::Partial::decode(p.as_ref(), fingerprint)).collect::<core::Result<Vec<_>>>()?;
        core::merge_in_order(decoded)
    })
    .map_err(to_js_error)?;
    let Some(merged) = merged else {
        return Err(to_js_error(core::Error::new(core::ErrorCode::InvalidArgument, "no partial analyses to merge")));
    };
    let (engines, changed) = (merged.engines.join(","), merged.changed.clone());
    let (scan, analysis) = merged.into_result(&t.db);
    let mut result = to_js_analysis(&t.db, scan, analysis, t.spec.pattern_type.len(), changed);
    result.scan.engine = engines;
    Ok(result)
}
