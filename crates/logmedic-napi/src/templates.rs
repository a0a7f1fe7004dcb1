//! Binding for `logmedic_core::mine_files`: files and options in, templates (and, when asked,
//! one template index per line) out.

use std::path::PathBuf;

use logmedic_core::{MineOptions, Seen, Template, Templates};
use napi::bindgen_prelude::*;
use napi_derive::napi;

use std::sync::Arc;

use crate::{rejection, to_js_error, Code, ScanJob};

#[napi(object)]
pub struct TemplateOptions {
    /// Worker threads (default: all cores).
    pub threads: Option<u32>,
    /// Return one template index per input line (`lineTemplates`).
    pub line_ids: Option<bool>,
    /// Mine only lines whose header gives an error level (ERROR, CRITICAL, FATAL).
    pub errors_only: Option<bool>,
    /// Year for timestamps without one (syslog); default: the current year.
    pub year: Option<i32>,
    /// Mine only lines at or after this instant (`--since`); lines without a time are mined.
    pub since: Option<crate::analyze::TimeBound>,
    /// Mine only lines at or before this instant (`--until`).
    pub until: Option<crate::analyze::TimeBound>,
}

#[napi(object)]
pub struct TemplateSighting {
    /// Index of the file in the list given.
    pub file: u32,
    /// 1-based line number in that file.
    pub line: i64,
    /// ISO-8601 time from the line's header, when it has one.
    pub time: Option<String>,
}

#[napi(object)]
pub struct MinedTemplate {
    pub id: String,
    /// The tokens joined by spaces, `<*>` where a value varies.
    pub text: String,
    pub count: i64,
    pub first: TemplateSighting,
    pub last: TemplateSighting,
    pub example: String,
    /// Canonical levels seen on its lines, least severe first.
    pub levels: Vec<String>,
    /// Some line was at ERROR, CRITICAL or FATAL.
    pub error: bool,
    /// A catalog pattern (Rust regex syntax) that matches the template's lines: its wording
    /// escaped, its variables generalised; none for a template without wording.
    pub pattern: Option<String>,
}

#[napi(object)]
pub struct TemplatesResult {
    pub lines: i64,
    /// In order of first appearance.
    pub templates: Vec<MinedTemplate>,
    /// Per input line, the index of its template in `templates`; -1 for a line not mined.
    pub line_templates: Option<Vec<i32>>,
}

fn sighting(s: Seen) -> TemplateSighting {
    TemplateSighting { file: s.file, line: s.line as i64, time: s.time.map(|t| t.iso()) }
}

pub(crate) fn to_js_template(t: Template) -> MinedTemplate {
    MinedTemplate {
        text: t.text(),
        pattern: t.suggested_pattern(),
        id: t.id,
        count: t.count as i64,
        first: sighting(t.first),
        last: sighting(t.last),
        example: t.example,
        levels: t.levels.names().into_iter().map(String::from).collect(),
        error: t.levels.has_error(),
    }
}

fn to_js(t: Templates) -> TemplatesResult {
    TemplatesResult {
        lines: t.lines as i64,
        line_templates: t.line_ids.map(|ids| ids.into_iter().map(|i| i.map_or(-1, |i| i as i32)).collect()),
        templates: t.templates.into_iter().map(to_js_template).collect(),
    }
}

fn to_core(options: &Option<TemplateOptions>) -> (usize, MineOptions) {
    let o = options.as_ref();
    let threads = o.and_then(|o| o.threads).map_or_else(logmedic_core::available_threads, |n| n.max(1) as usize);
    let mine = MineOptions {
        line_ids: o.and_then(|o| o.line_ids).unwrap_or(false),
        errors_only: o.and_then(|o| o.errors_only).unwrap_or(false),
        range: logmedic_core::TimeRange { since: o.and_then(|o| o.since).map(Into::into), until: o.and_then(|o| o.until).map(Into::into) },
        ..MineOptions::default()
    };
    let mine = MineOptions { year: o.and_then(|o| o.year).unwrap_or(mine.year), ..mine };
    (threads, mine)
}

fn run(paths: &[PathBuf], threads: usize, options: MineOptions, control: &logmedic_core::Control) -> logmedic_core::Result<Templates> {
    let paths: Vec<&std::path::Path> = paths.iter().map(PathBuf::as_path).collect();
    crate::contained(|| logmedic_core::mine_files_with(&paths, threads, options, control))
}

pub struct TemplatesTask {
    paths: Vec<PathBuf>,
    threads: usize,
    options: MineOptions,
    control: Arc<logmedic_core::Control>,
}

impl Task for TemplatesTask {
    type Output = logmedic_core::Result<Templates>;
    type JsValue = TemplatesResult;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(run(&self.paths, self.threads, self.options, &self.control))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> Result<Self::JsValue> {
        output.map(to_js).map_err(|e| rejection(&env, e))
    }
}

/// Mine the templates of files (`-` is stdin), read as one input, on the libuv pool. A
/// `job` cancels it between blocks (`E_ABORTED`) and reads its progress.
#[napi(ts_return_type = "Promise<TemplatesResult>")]
pub fn mine_templates(paths: Vec<String>, options: Option<TemplateOptions>, signal: Option<AbortSignal>, job: Option<&ScanJob>) -> AsyncTask<TemplatesTask> {
    let (threads, options) = to_core(&options);
    let paths = paths.into_iter().map(PathBuf::from).collect();
    let control = job.map_or_else(|| Arc::new(logmedic_core::Control::new()), |j| j.control.clone());
    AsyncTask::with_optional_signal(TemplatesTask { paths, threads, options, control }, signal)
}

#[napi]
pub fn mine_templates_sync(paths: Vec<String>, options: Option<TemplateOptions>) -> Result<TemplatesResult, Code> {
    let (threads, options) = to_core(&options);
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    run(&paths, threads, options, &logmedic_core::Control::new()).map(to_js).map_err(to_js_error)
}
