//! The multi-pattern engines behind one interface.
//!
//! A [`Database`] is compiled once from parsed patterns and reused across scans and
//! threads; each thread asks it for a [`Searcher`] (which owns per-thread scratch space).
//! A searcher reports `(pattern id, offset)` pairs where `offset` is any byte inside the
//! matching line, in non-decreasing order; the scan driver turns offsets into lines.

pub mod cache;
pub mod hyperscan;
pub mod literal_lines;
pub mod nfa_bytes;
pub mod prefilter;
pub mod regex;
pub mod widen;

#[cfg(test)]
pub(crate) mod test_haystack {
    /// `pieces` of `frags` picked by xorshift64 from `state`, which it advances: the
    /// deterministic random haystacks of the engines' property tests.
    pub(crate) fn of_fragments(state: &mut u64, frags: &[&str], pieces: usize) -> String {
        let mut hay = String::new();
        for _ in 0..pieces {
            *state ^= *state << 13;
            *state ^= *state >> 7;
            *state ^= *state << 17;
            hay.push_str(frags[(*state % frags.len() as u64) as usize]);
        }
        hay
    }
}

use std::str::FromStr;

use self::prefilter::{literal_plan, LiteralPlan, Prefilter};
use crate::error::{Error, ErrorCode, Result};
use crate::pattern::{parse_all, Pattern};

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
/// line by line behind one literal pass, and the engine's DFAs scan for the rest only (of a
/// split pattern, the top-level branches without literals: see [`LiteralPlan`]).
pub struct Database {
    patterns: Vec<Pattern>,
    prefilter: Option<Prefilter>,
    /// The engine over the patterns the prefilter does not serve: its pattern `i` is the
    /// database's `rest[i]`.
    backend: Backend,
    rest: Vec<u32>,
    fallbacks: Vec<(usize, String)>,
    /// Read from the on-disk cache, unparsed: the prefilter's literal sets, and the regex
    /// engine's groups where the entry holds them (else they were compiled and the entry
    /// rewritten with them).
    catalog_cached: bool,
}

enum Backend {
    Regex(regex::RegexDb),
    Hyperscan(hyperscan::HsDb),
}

/// `LOGMEDIC_PREFILTER=off` compiles every pattern into the engine, as before the
/// prefilter existed: for measuring what it saves, and for tests that compare the two.
pub const PREFILTER_ENV: &str = "LOGMEDIC_PREFILTER";

/// Smaller sets (a `scan -e`, one user pattern checked alone) parse in less time than an
/// entry takes to read, and would only fill the cache directory.
const CACHE_FROM_PATTERNS: usize = 16;

/// Whether `choice` compiles for the regex engine (the one the prefilter serves).
fn serves_with_regex(choice: EngineChoice) -> bool {
    match choice {
        EngineChoice::Regex => true,
        EngineChoice::Hyperscan => false,
        EngineChoice::Auto => !hyperscan::available(),
    }
}

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
        let plans = (prefilter && serves_with_regex(choice))
            .then(|| patterns.iter().map(|p| literal_plan(p.hir())).collect());
        Database::assemble(patterns, choice, plans, None)
    }

    /// The regex engine with one literal set per pattern, none split into its branches (see
    /// [`LiteralPlan`]): for the profiling examples, to measure what splitting saves.
    #[cfg(feature = "internals")]
    pub fn compile_unsplit(patterns: Vec<Pattern>) -> Result<Database> {
        let plans = patterns.iter().map(|p| LiteralPlan { literals: prefilter::required_literals(p.hir()), split: false }).collect();
        Database::assemble(patterns, EngineChoice::Regex, Some(plans), None)
    }

    /// Compile with the prefilter over `plans` (each pattern's literal plan; `None`: no
    /// prefilter), and the regex engine from `cached_engine` (its compiled groups, from the
    /// cache) when it holds them for the patterns left to it.
    fn assemble(patterns: Vec<Pattern>, choice: EngineChoice, plans: Option<Vec<LiteralPlan>>, cached_engine: Option<&[u8]>) -> Result<Database> {
        let split: Vec<bool> = plans.as_ref().map_or_else(Vec::new, |plans| plans.iter().map(|p| p.split).collect());
        let (prefilter, rest) = match plans {
            Some(plans) => Prefilter::from_plans(&patterns, plans),
            None => (None, (0..patterns.len() as u32).collect()),
        };
        let subset: Vec<Pattern> = rest.iter().map(|&i| patterns[i as usize].clone()).collect();
        // Of a split pattern the engine searches the branches without literals only.
        let rest_split: Vec<bool> = rest.iter().map(|&i| split.get(i as usize).copied().unwrap_or(false)).collect();
        let mut engine_cached = false;
        let mut regex_db = || match cached_engine.and_then(|bytes| regex::RegexDb::decode(&mut cache::Reader(bytes), &subset, rest_split.clone())) {
            Some(db) => {
                engine_cached = true;
                Ok(db)
            }
            None => regex::RegexDb::compile_split(&subset, rest_split.clone()),
        };
        let backend = match choice {
            // Without libhs, `auto` is the regex engine, behind the prefilter built for it.
            EngineChoice::Auto if prefilter.is_some() && !hyperscan::available() => Backend::Regex(regex_db()?),
            EngineChoice::Regex => Backend::Regex(regex_db()?),
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
                        catalog_cached: false,
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
            catalog_cached: engine_cached,
        })
    }

    /// Whether compiling `sources` with `choice` through [`Database::from_sources`] would
    /// load Hyperscan's database from the on-disk cache (no pattern is parsed to tell).
    pub fn is_cached<S: AsRef<str>>(sources: &[S], choice: EngineChoice) -> bool {
        cache::dir_from_env().is_some_and(|dir| sources.len() >= CACHE_FROM_PATTERNS && Database::is_cached_in(sources, choice, &dir))
    }

    /// As [`Database::is_cached`], with the cache in `dir`.
    pub fn is_cached_in<S: AsRef<str>>(sources: &[S], choice: EngineChoice, dir: &std::path::Path) -> bool {
        !serves_with_regex(choice) && hyperscan::HsDb::is_cached(sources, dir)
    }

    /// Parse and compile in one step. The on-disk cache (see [`cache`]) spares parsing a
    /// catalog compiled before: the regex engine's prefilter literals, Hyperscan's database.
    pub fn from_sources<S: AsRef<str>>(sources: &[S], choice: EngineChoice) -> Result<Database> {
        match cache::dir_from_env() {
            Some(dir) if sources.len() >= CACHE_FROM_PATTERNS && (prefilter_wanted() || !serves_with_regex(choice)) => {
                Database::from_sources_cached(sources, choice, &dir)
            }
            _ => Database::compile(parse_all(sources)?, choice),
        }
    }

    /// As [`Database::from_sources`], with the cache in `dir`.
    pub fn from_sources_cached<S: AsRef<str>>(sources: &[S], choice: EngineChoice, dir: &std::path::Path) -> Result<Database> {
        if !serves_with_regex(choice) {
            return match hyperscan::HsDb::from_sources(sources, dir) {
                Ok(db) => Ok(Database::of_hyperscan(db)),
                // `auto` falls back to the regex engine as `compile` does.
                Err(e) if e.code == ErrorCode::EngineUnavailable && choice == EngineChoice::Auto => Database::compile(parse_all(sources)?, choice),
                Err(e) => Err(e),
            };
        }
        let key = cache::regex_key(sources);
        if let Some(entry) = cache::load_regex_entry(dir, &key, sources.len()) {
            // The entry exists only for sources this build parsed and compiled.
            let patterns = sources.iter().map(|s| Pattern::known_valid(s.as_ref())).collect();
            let mut db = Database::assemble(patterns, choice, Some(entry.sets.clone()), entry.engine.as_deref())?;
            if !db.catalog_cached && !db.rest.is_empty() {
                // The engine's part was missing or unusable: keep the one compiled now.
                cache::store_regex_entry(dir, &key, &entry.sets, db.regex_db());
            }
            db.catalog_cached = true;
            return Ok(db);
        }
        let patterns = parse_all(sources)?;
        let sets: Vec<LiteralPlan> = patterns.iter().map(|p| literal_plan(p.hir())).collect();
        let db = Database::assemble(patterns, choice, Some(sets.clone()), None)?;
        cache::store_regex_entry(dir, &key, &sets, db.regex_db());
        Ok(db)
    }

    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    fn regex_db(&self) -> Option<&regex::RegexDb> {
        match &self.backend {
            Backend::Regex(db) => Some(db),
            Backend::Hyperscan(_) => None,
        }
    }

    /// A database served by Hyperscan alone (no prefilter in front of it).
    fn of_hyperscan(db: hyperscan::HsDb) -> Database {
        let patterns = db.patterns().to_vec();
        Database {
            rest: (0..patterns.len() as u32).collect(),
            fallbacks: db.fallbacks().to_vec(),
            patterns,
            prefilter: None,
            backend: Backend::Hyperscan(db),
            catalog_cached: false,
        }
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

    /// Whether the compiled form was loaded from the on-disk cache: Hyperscan's database,
    /// or the regex engine's parsed catalog.
    pub fn from_cache(&self) -> bool {
        match &self.backend {
            Backend::Regex(_) => self.catalog_cached,
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
                // A split pattern whose branches match in both stages on one line: both
                // report it at the line's start (the regex engine reports line starts).
                found.dedup();
            }
        }
        for &(at, pid) in &self.found {
            on_match(pid, at);
        }
        Ok(())
    }
}
