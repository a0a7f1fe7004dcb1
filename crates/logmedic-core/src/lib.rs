//! logmedic-core: the hot path of logmedic, with no Node.js dependency.
//!
//! bytes → [`source`] → line-aligned chunks ([`scan`]) → [`engine`] matches → per-pattern
//! counts and lines. Patterns are parsed once ([`pattern`]) into a line-safe form that both
//! engines (Hyperscan and the pure-Rust one) compile, so they give the same answers.

mod actionable;
pub mod analysis;
pub mod engine;
pub mod fields;
pub mod error;
pub mod model;
pub mod partial;
pub mod pattern;
pub mod record;
pub mod scan;
mod sigbus;
pub mod source;
pub mod template;

pub use engine::{Database, EngineChoice};
pub use error::{contained, Error, ErrorCode, Result};
pub use analysis::{Analysis, Record, RecordSpec};
pub use partial::{merge_in_order, Partial};
pub use scan::{analyze, analyze_range, scan, Control, Hit, PatternResult, Progress, ScanOptions, ScanResult};
pub use source::{compression, Compression, Source, SourceKind};
pub use template::{mine_files, MineOptions, Template, Templates};
pub use fields::civil;
pub use actionable::{passive_classes, Passive, PassiveClass};
