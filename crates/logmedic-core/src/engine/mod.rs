//! The multi-pattern engines behind one interface.
//!
//! A [`Database`] is compiled once from parsed patterns and reused across scans and
//! threads; each thread asks it for a [`Searcher`] (which owns per-thread scratch space).
//! A searcher reports `(pattern id, offset)` pairs where `offset` is any byte inside the
//! matching line, in non-decreasing order; the scan driver turns offsets into lines.

pub mod hyperscan;
pub mod prefilter;
pub mod regex;

use std::str::FromStr;

use self::prefilter::Prefilter;
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
///
/// With the regex engine, patterns with required literals (see [`prefilter`]) are served
/// line by line behind one literal pass, and the engine's DFAs scan for the rest only.
pub struct Database {
    patterns: Vec<Pattern>,
    prefilter: Option<Prefilter>,
    /// The engine over the patterns the prefilter does not serve: its pattern `i` is the
    /// database's `rest[i]`.
    backend: Backend,
    rest: Vec<u32>,
    fallbacks: Vec<(usize, String)>,
}

enum Backend {
    Regex(regex::RegexDb),
    Hyperscan(hyperscan::HsDb),
}

/// `LOGMEDIC_PREFILTER=off` compiles every pattern into the engine, as before the
/// prefilter existed: for measuring what it saves, and for tests that compare the two.
pub const PREFILTER_ENV: &str = "LOGMEDIC_PREFILTER";

fn prefilter_wanted() -> bool {
    std::env::var(PREFILTER_ENV).map_or(true, |v| v != "off" && v != "0")
}

impl Database {
    pub fn compile(patterns: Vec<Pattern>, choice: EngineChoice) -> Result<Database> {
        Database::compile_with(patterns, choice, prefilter_wanted())
    }

    /// As [`Database::compile`], choosing whether the literal prefilter serves the
    /// patterns it can (`false`: the engine serves them all).
    pub fn compile_with(
        patterns: Vec<Pattern>,
        choice: EngineChoice,
        prefilter: bool,
    ) -> Result<Database> {
        // Hyperscan runs its own literal matchers, faster than this prefilter (measured on
        // the catalog: the prefilter made it 4-5x slower), so only the regex engine gets it.
        let regex_engine = match choice {
            EngineChoice::Regex => true,
            EngineChoice::Hyperscan => false,
            EngineChoice::Auto => !hyperscan::available(),
        };
        let (prefilter, rest) = if prefilter && regex_engine {
            let hirs: Vec<_> = patterns.iter().map(|p| p.hir.clone()).collect();
            Prefilter::build(&hirs)
        } else {
            (None, (0..patterns.len() as u32).collect())
        };
        let subset: Vec<Pattern> = rest.iter().map(|&i| patterns[i as usize].clone()).collect();
        let backend = match choice {
            EngineChoice::Regex => Backend::Regex(regex::RegexDb::compile(&subset)?),
            EngineChoice::Hyperscan => Backend::Hyperscan(hyperscan::HsDb::compile(&subset)?),
            EngineChoice::Auto => match hyperscan::HsDb::compile(&subset) {
                Ok(db) => Backend::Hyperscan(db),
                Err(e) if e.code == ErrorCode::EngineUnavailable => {
                    // libhs went missing between the check and the compile: no prefilter then.
                    let all: Vec<Pattern> = if prefilter.is_some() {
                        patterns.clone()
                    } else {
                        subset
                    };
                    return Ok(Database {
                        backend: Backend::Regex(regex::RegexDb::compile(&all)?),
                        rest: (0..patterns.len() as u32).collect(),
                        patterns,
                        prefilter: None,
                        fallbacks: Vec::new(),
                    });
                }
                Err(e) => return Err(e),
            },
        };
        let fallbacks = match &backend {
            Backend::Regex(_) => Vec::new(),
            Backend::Hyperscan(db) => db
                .fallbacks()
                .iter()
                .map(|(i, why)| (rest[*i] as usize, why.clone()))
                .collect(),
        };
        Ok(Database {
            patterns,
            prefilter,
            backend,
            rest,
            fallbacks,
        })
    }

    /// Whether compiling `patterns` for Hyperscan would load its database from the on-disk
    /// cache.
    pub fn is_cached(patterns: &[Pattern]) -> bool {
        hyperscan::HsDb::is_cached(patterns)
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
        &self.fallbacks
    }

    /// The patterns the literal prefilter serves (the engine scans for the others).
    pub fn prefiltered(&self) -> &[u32] {
        self.prefilter.as_ref().map_or(&[], |p| p.ids())
    }

    /// Whether the compiled form was loaded from the on-disk cache (Hyperscan only).
    pub fn from_cache(&self) -> bool {
        match &self.backend {
            Backend::Regex(_) => false,
            Backend::Hyperscan(db) => db.from_cache(),
        }
    }

    pub fn searcher(&self) -> Result<Searcher<'_>> {
        let engine = match &self.backend {
            _ if self.rest.is_empty() => None,
            Backend::Regex(db) => Some(EngineSearcher::Regex(db.searcher())),
            Backend::Hyperscan(db) => Some(EngineSearcher::Hyperscan(db.searcher()?)),
        };
        Ok(Searcher {
            db: self,
            engine,
            scratch: self.prefilter.as_ref().map(Prefilter::scratch),
            found: Vec::new(),
        })
    }
}

/// Per-thread search state.
pub struct Searcher<'db> {
    db: &'db Database,
    engine: Option<EngineSearcher<'db>>,
    scratch: Option<prefilter::Scratch>,
    /// `(offset, pattern)` of one search, put in order before they are reported.
    found: Vec<(usize, u32)>,
}

enum EngineSearcher<'db> {
    Regex(regex::RegexSearcher<'db>),
    Hyperscan(hyperscan::HsSearcher<'db>),
}

impl EngineSearcher<'_> {
    fn search(&mut self, hay: &[u8], on_match: &mut dyn FnMut(u32, usize)) -> Result<()> {
        match self {
            EngineSearcher::Regex(s) => {
                s.search(hay, on_match);
                Ok(())
            }
            EngineSearcher::Hyperscan(s) => s.search(hay, on_match),
        }
    }
}

impl Searcher<'_> {
    /// Report every (pattern, line) match in `hay` as `on_match(pattern_id, offset_in_line)`,
    /// offsets non-decreasing. A pattern may be reported more than once for a line.
    pub fn search(&mut self, hay: &[u8], on_match: &mut dyn FnMut(u32, usize)) -> Result<()> {
        let db = self.db;
        let (Some(prefilter), Some(scratch)) = (&db.prefilter, &mut self.scratch) else {
            return match &mut self.engine {
                Some(engine) => engine.search(hay, on_match),
                None => Ok(()),
            };
        };
        self.found.clear();
        prefilter
            .search(hay, scratch, &mut self.found)
            .map_err(|i| {
                Error::new(
                    ErrorCode::Pattern,
                    format!("cannot compile pattern {:?}", db.patterns[i].source),
                )
            })?;
        if let Some(engine) = &mut self.engine {
            if self.found.is_empty() {
                let rest = &db.rest;
                return engine.search(hay, &mut |pid, at| on_match(rest[pid as usize], at));
            }
            let (found, rest) = (&mut self.found, &db.rest);
            let before = found.len();
            engine.search(hay, &mut |pid, at| found.push((at, rest[pid as usize])))?;
            if before < found.len() {
                found.sort_unstable();
            }
        }
        for &(at, pid) in &self.found {
            on_match(pid, at);
        }
        Ok(())
    }
}
