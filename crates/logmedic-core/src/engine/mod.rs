//! The multi-pattern engines behind one interface.
//!
//! A [`Database`] is compiled once from parsed patterns and reused across scans and
//! threads; each thread asks it for a [`Searcher`] (which owns per-thread scratch space).
//! A searcher reports `(pattern id, offset)` pairs where `offset` is any byte inside the
//! matching line, in non-decreasing order; the scan driver turns offsets into lines.

pub mod hyperscan;
pub mod regex;

use std::str::FromStr;

use crate::error::{Error, ErrorCode, Result};
use crate::pattern::Pattern;

/// Which engine the caller asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EngineChoice {
    /// Hyperscan when libhs can be loaded, else the pure-Rust engine.
    #[default]
    Auto,
    /// Hyperscan only; an error when libhs is not available.
    Hyperscan,
    /// The pure-Rust engine (regex-automata).
    Regex,
}

impl FromStr for EngineChoice {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "auto" => Ok(EngineChoice::Auto),
            "hyperscan" | "hs" => Ok(EngineChoice::Hyperscan),
            "regex" | "rust" => Ok(EngineChoice::Regex),
            other => Err(Error::new(
                ErrorCode::InvalidArgument,
                format!("unknown engine {other:?} (expected auto, hyperscan or regex)"),
            )),
        }
    }
}

/// A compiled pattern set.
pub struct Database {
    patterns: Vec<Pattern>,
    backend: Backend,
}

enum Backend {
    Regex(regex::RegexDb),
    Hyperscan(hyperscan::HsDb),
}

impl Database {
    pub fn compile(patterns: Vec<Pattern>, choice: EngineChoice) -> Result<Database> {
        let backend = match choice {
            EngineChoice::Regex => Backend::Regex(regex::RegexDb::compile(&patterns)?),
            EngineChoice::Hyperscan => Backend::Hyperscan(hyperscan::HsDb::compile(&patterns)?),
            EngineChoice::Auto => match hyperscan::HsDb::compile(&patterns) {
                Ok(db) => Backend::Hyperscan(db),
                Err(e) if e.code == ErrorCode::EngineUnavailable => Backend::Regex(regex::RegexDb::compile(&patterns)?),
                Err(e) => return Err(e),
            },
        };
        Ok(Database { patterns, backend })
    }

    /// Parse and compile in one step.
    pub fn from_sources<S: AsRef<str>>(sources: &[S], choice: EngineChoice) -> Result<Database> {
        Database::compile(crate::pattern::parse_all(sources)?, choice)
    }

    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// `"hyperscan"` or `"regex"` (a Hyperscan database that hands some patterns to the
    /// Rust engine still reports `"hyperscan"`).
    pub fn engine_name(&self) -> &'static str {
        match &self.backend {
            Backend::Regex(_) => "regex",
            Backend::Hyperscan(_) => "hyperscan",
        }
    }

    /// Patterns that a Hyperscan database serves with the Rust engine (a hybrid), as
    /// `(pattern index, reason)`: constructs Hyperscan lacks, such as Unicode word
    /// boundaries. Empty for the regex engine, which serves every pattern itself.
    pub fn fallbacks(&self) -> &[(usize, String)] {
        match &self.backend {
            Backend::Regex(_) => &[],
            Backend::Hyperscan(db) => db.fallbacks(),
        }
    }

    /// Whether the compiled form was loaded from the on-disk cache (Hyperscan only).
    pub fn from_cache(&self) -> bool {
        match &self.backend {
            Backend::Regex(_) => false,
            Backend::Hyperscan(db) => db.from_cache(),
        }
    }

    pub fn searcher(&self) -> Result<Searcher<'_>> {
        Ok(match &self.backend {
            Backend::Regex(db) => Searcher::Regex(db.searcher()),
            Backend::Hyperscan(db) => Searcher::Hyperscan(db.searcher()?),
        })
    }
}

/// Per-thread search state.
pub enum Searcher<'db> {
    Regex(regex::RegexSearcher<'db>),
    Hyperscan(hyperscan::HsSearcher<'db>),
}

impl Searcher<'_> {
    /// Report every (pattern, line) match in `hay` as `on_match(pattern_id, offset_in_line)`,
    /// offsets non-decreasing. A pattern may be reported more than once for a line.
    pub fn search(&mut self, hay: &[u8], on_match: &mut dyn FnMut(u32, usize)) -> Result<()> {
        match self {
            Searcher::Regex(s) => {
                s.search(hay, on_match);
                Ok(())
            }
            Searcher::Hyperscan(s) => s.search(hay, on_match),
        }
    }
}
