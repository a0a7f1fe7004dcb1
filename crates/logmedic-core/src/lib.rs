//! logmedic-core decides what a log says: the hot path of logmedic, with no Node.js dependency.
//!
//! Data flows one way:
//!
//! ```text
//! bytes           → matches               → records                → diagnosis
//! Source            Database, scan           analyze, is_header       Analysis, Partial,
//! (mmap, pread,     (the catalog compiled    (where a record starts,  merge_in_order
//!  .gz/.zst,         once, searched in        which pattern decides,  (per-type counts, shapes,
//!  stdin, memory)    line-aligned chunks)     its fields)             frames, samples, timeline)
//! ```
//!
//! [`scan`] stops at matches (counts and lines per pattern). [`analyze`] goes on to records:
//! a record starts at a header line ([`is_header`]) or where the traceback state machine says,
//! each matching line belongs to the record that owns it, a record's type is decided by
//! [`precedence`], and [`Analysis`] sums them per type. [`analyze_range`] analyzes one byte
//! range of a file; kept as a [`Partial`], it is folded with the others by [`merge_in_order`]
//! (chunks, files, watch slices or machines) into the answer a whole run gives.
//!
//! Around that path: the fields of one line ([`header`], [`timestamp_at_start`]), mining
//! templates from lines no pattern matched ([`mine_files`]), the learned type model
//! ([`infer_types`]) and which classes of failure never call for recovery
//! ([`passive_classes`]). Every error is an [`Error`] with an [`ErrorCode`].

mod actionable;
mod analysis;
mod engine;
mod error;
mod fields;
mod model;
mod partial;
mod pattern;
mod record;
mod scan;
mod sigbus;
mod source;
mod template;

// Bytes: where a log comes from.
pub use source::{compression, Compression, Source, SourceKind, MAGIC_LEN};

// Matches: the catalog's patterns, compiled once for either engine, counted per pattern.
pub use engine::hyperscan::{available as hyperscan_available, describe as hyperscan_describe, LIBHS_ENV};
pub use engine::{Database, EngineChoice};
pub use pattern::{parse as parse_pattern, parse_all as parse_patterns, Pattern};
pub use scan::{available_threads, scan, Control, Hit, PatternResult, Progress, ScanOptions, ScanResult};

// Records: where each starts, which pattern decides its type, what its lines say.
pub use analysis::{precedence, Record, RecordRef, RecordSpec, MAX_MESSAGE_BYTES};
pub use fields::{
    canonical_level, civil, header, is_header, minute_iso, timestamp_at_start, Bound, Frame, Header, Objects, TimeRange, Timestamp,
    YearRule, EMBEDDED_TRIGGER,
};
pub use record::last_record_start;
pub use scan::{analyze, analyze_range};

// Diagnosis: the per-type summary and the one merge of partial results.
pub use actionable::{passive_classes, Passive, PassiveClass};
pub use analysis::{Analysis, Shape, TypeAgg};
pub use partial::{fingerprint as partial_fingerprint, merge_in_order, Partial};

// Lines no pattern matched: templates mined from them, and the learned type model.
pub use model::train::{train as train_model, Labelled, TrainOptions};
pub use model::{infer_types, FeatureSet, Inference, Model, Technique};
pub use template::unrecognised::ERROR_LEVEL_TRIGGER;
pub use template::{mine_buffer, mine_files, mine_files_with, MineOptions, Partial as TemplatePartial, RecentSection, RecentTemplate, RunningTemplates, Seen, ShapeStats, Template, Templates};

pub use error::{contained, Error, ErrorCode, Result};

/// The pieces behind the surface that the profiling examples and the fuzz harnesses of this
/// repository drive one by one. Not a stable API: only with the `internals` feature.
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod internals {
    pub use crate::analysis::analyze_chunk;
    pub use crate::engine::prefilter::{any_required_literals, literal_plan, required_literals, top_branches, LiteralPlan, Prefilter};
    pub use crate::engine::hyperscan::expressions as hyperscan_expressions;
    pub use crate::engine::regex::RegexDb;
    pub use crate::engine::Searcher;
    pub use crate::fields::{
        embedded_lines, exception, expand_embedded, expand_first_line_into, frames, has_header_time, innermost, innermost_frame, objects,
        shape_bytes_into, split_lines, JsonPairs, SHAPE_BYTES,
    };
    pub use crate::record::{boundary_at_or_after, group, last_boundary, line_at, trim_end, Edge, LineMatch};
    pub use crate::scan::{piece_end, PIECE_BYTES};
}
