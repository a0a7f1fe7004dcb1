//! The pure-Rust engine (regex-automata), available everywhere.
//!
//! One leftmost-first regex over all patterns finds the next line that matches anything;
//! a second, all-matches regex then says which patterns match on that line. Most lines of
//! a log match nothing, so the cost is one DFA pass (with a literal prefilter) over the bytes.

use regex_automata::meta::{Config, Regex};
use regex_automata::{Input, MatchKind, PatternSet};

use crate::error::{Error, ErrorCode, Result};
use crate::pattern::Pattern;

pub struct RegexDb {
    finder: Regex,
    classifier: Regex,
}

impl RegexDb {
    pub fn compile(patterns: &[Pattern]) -> Result<RegexDb> {
        let hirs: Vec<_> = patterns.iter().map(|p| p.hir.clone()).collect();
        let build = |kind: MatchKind| {
            Regex::builder()
                .configure(Config::new().match_kind(kind).utf8_empty(false).nfa_size_limit(Some(256 << 20)).hybrid_cache_capacity(16 << 20))
                .build_many_from_hir(&hirs)
                .map_err(|e| {
                    let which = e.pattern().map(|p| format!(" {:?}", patterns[p.as_usize()].source)).unwrap_or_default();
                    Error::new(ErrorCode::Pattern, format!("cannot compile pattern{which}: {e}"))
                })
        };
        Ok(RegexDb { finder: build(MatchKind::LeftmostFirst)?, classifier: build(MatchKind::All)? })
    }

    pub fn searcher(&self) -> RegexSearcher<'_> {
        RegexSearcher { db: self, set: PatternSet::new(self.classifier.pattern_len()) }
    }
}

pub struct RegexSearcher<'db> {
    db: &'db RegexDb,
    set: PatternSet,
}

impl RegexSearcher<'_> {
    pub fn search(&mut self, hay: &[u8], on_match: &mut dyn FnMut(u32, usize)) {
        let mut pos = 0;
        while pos < hay.len() {
            let input = Input::new(hay).range(pos..);
            let Some(end) = self.db.finder.search_half(&input) else { break };
            // Matches never contain '\n' and are never empty, so the byte before `end`
            // lies in the matching line.
            let inside = end.offset().saturating_sub(1).max(pos);
            let line_start = memchr::memrchr(b'\n', &hay[pos..inside]).map_or(pos, |i| pos + i + 1);
            let line_end = memchr::memchr(b'\n', &hay[inside..]).map_or(hay.len(), |i| inside + i);
            self.set.clear();
            self.db.classifier.which_overlapping_matches(&Input::new(hay).range(line_start..line_end), &mut self.set);
            for pid in self.set.iter() {
                on_match(pid.as_u32(), line_start);
            }
            pos = line_end + 1;
        }
    }
}
