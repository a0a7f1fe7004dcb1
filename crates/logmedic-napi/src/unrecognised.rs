//! Binding for a followed file's unrecognised lines (`watch`): a handle per file that keeps
//! the core's running template partial, a slice analysis that adds its piece's unrecognised
//! lines to it, the merged section of the pieces since the last report, and its state saved
//! as bytes and restored (a restarted watch keeps counting). Conversion only: the merge,
//! the clustering and the saved format are `logmedic_core::RunningTemplates`.

use logmedic_core as core;
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::analyze::{task, to_js_analysis, AnalysisResult, AnalyzeOptions, CompiledCatalog, Input};
use crate::templates::{to_js_template, MinedTemplate};
use crate::{contained, to_js_error, Code};

/// One file's unrecognised lines since the watch started, and those not yet reported.
#[napi]
pub struct UnrecognisedTally {
    running: core::RunningTemplates,
}

#[napi(object)]
pub struct TalliedTemplate {
    /// The template, with count, first/last, example and levels of the reported lines only.
    pub mined: MinedTemplate,
    /// Its lines since the tally was made (0 counted for lines past the tally's shape limit).
    pub total: i64,
}

#[napi(object)]
pub struct TalliedSection {
    /// Unrecognised lines added since the last report.
    pub lines: i64,
    /// Most lines first (then first seen), one per template.
    pub templates: Vec<TalliedTemplate>,
    /// Lines whose template was not kept (too many distinct ones).
    pub others: i64,
}

#[napi]
impl UnrecognisedTally {
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        UnrecognisedTally { running: core::RunningTemplates::default() }
    }

    /// A tally that goes on from bytes `save` wrote. Throws `E_CORRUPT` for damaged or cut
    /// bytes, `E_INVALID_ARG` for a tally saved in another format version.
    #[napi(factory)]
    pub fn restore(saved: Buffer) -> Result<Self, Code> {
        let running = contained(|| core::RunningTemplates::decode(&saved)).map_err(to_js_error)?;
        Ok(UnrecognisedTally { running })
    }

    /// The tally as bytes for `restore`: its lines not yet taken count as reported.
    #[napi]
    pub fn save(&self) -> Result<Buffer, Code> {
        contained(|| self.running.encode()).map(Buffer::from).map_err(to_js_error)
    }

    /// Lines added since the tally was made (restored ones included): when it is unchanged,
    /// so is what `save` gives.
    #[napi(getter)]
    pub fn lines(&self) -> i64 {
        self.running.lines() as i64
    }

    /// The lines added since the last call, merged by template; null when none were.
    #[napi]
    pub fn take(&mut self) -> Result<Option<TalliedSection>, Code> {
        let section = contained(|| Ok(self.running.take())).map_err(to_js_error)?;
        Ok(section.map(|s| {
            let mut templates: Vec<TalliedTemplate> = s.templates.into_iter().map(|r| TalliedTemplate { total: r.total as i64, mined: to_js_template(r.template) }).collect();
            templates.sort_by(|a, b| b.mined.count.cmp(&a.mined.count).then(a.mined.first.line.cmp(&b.mined.first.line)));
            TalliedSection { lines: s.lines as i64, templates, others: s.others as i64 }
        }))
    }
}

/// `analyzeBufferSync` for a piece of a followed file whose first line is line
/// `linesBefore + 1`: its records as usual (numbered from the piece's start), its
/// unrecognised lines added to `tally` instead of returned.
#[napi]
pub fn analyze_slice_sync(catalog: &CompiledCatalog, buffer: Buffer, lines_before: i64, tally: &mut UnrecognisedTally, options: Option<AnalyzeOptions>) -> Result<AnalysisResult, Code> {
    if lines_before < 0 {
        return Err(to_js_error(core::Error::new(core::ErrorCode::InvalidArgument, format!("linesBefore must be >= 0, got {lines_before}"))));
    }
    let t = task(catalog, Input::Bytes(buffer), options, None);
    let (scan, mut analysis) = contained(|| t.run()).map_err(to_js_error)?;
    tally.running.absorb(std::mem::take(&mut analysis.unrecognised), lines_before as u64);
    let changed = if scan.changed { vec![t.file_index] } else { Vec::new() };
    Ok(to_js_analysis(&t.db, scan, analysis, t.spec.pattern_type.len(), changed))
}
