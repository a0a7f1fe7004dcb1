//! The pure-Rust engine (regex-automata), available everywhere.
//!
//! A lazy DFA over the union of all patterns finds the lines that match anything; an
//! all-matches regex then says which patterns match on each such line. Most lines of a log
//! match nothing, so the cost is the DFA pass over the bytes.
//!
//! A DFA step is one table load that depends on the previous step's load, so one DFA walk
//! runs at load latency (about 5 cycles a byte), far below what the core can do. The chunk
//! is therefore cut, at line starts, into [`STREAMS`] segments that one thread walks in
//! lockstep: the walks are independent, so their loads overlap (about 3x faster). Matches
//! never span lines, so every line start is a point where a walk can (re)start cleanly.
//!
//! One DFA over a large catalog can blow up: a pattern with a gap (`A[^\n]*B`, `\w*Error`)
//! stays live from its head to the end of the line, so each such pattern doubles the
//! states the text can reach, and past a dozen the cache thrashes (measured: 185 catalog
//! patterns ran at 4 MB/s). The patterns are therefore split into groups with few gaps each,
//! one DFA per group, each walked over the chunk; a line a group flags is classified by that
//! group's own classifier (one over every pattern falls back to a slow NFA simulation when
//! the catalog is large: 0.5 ms a line).

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::hybrid::LazyStateID;
use regex_automata::meta::{Config, Regex};
use regex_automata::nfa::thompson::{self, pikevm, pikevm::PikeVM, NFA};
use regex_automata::{Input, MatchKind, PatternSet};
use regex_syntax::hir::{Class, Hir, HirKind};
use std::borrow::Cow;
use std::sync::OnceLock;

use super::cache::Reader;
use super::literal_lines::{cut_at_lines, line_around};
use super::nfa_bytes;
use super::prefilter::branches_with_literals;
use super::widen::widened;
use crate::error::{Error, ErrorCode, Result};
use crate::pattern::Pattern;

/// Walks interleaved by one thread. 4 hides most of the latency; more adds register
/// pressure for little gain (measured: 2 → 2.0x, 4 → 2.9x, 6 → 2.7x over one walk).
const STREAMS: usize = 4;

/// Cache clears one search tolerates before falling back to the meta regex (each clear
/// sends the walks back to their last line start; with the default cache, a 1 GiB scan of
/// the whole catalog needs none).
const MAX_CLEARS: usize = 8;

/// Patterns one DFA serves at most, and gaps (see [`gaps`]) at most. Each group costs a
/// pass over the chunk, so groups stay as large as the gaps allow. Measured on the
/// 185-pattern catalog, 30 MB, one thread, finding lines only: one DFA 6.5 s (cache
/// thrash); at most 8 gaps a group (46 groups) 0.46 s, 16 (21) 0.34 s, 32 (5) 0.30 s,
/// 64 (3) 0.38 s.
const GROUP_PATTERNS: usize = 96;
const GROUP_GAPS: usize = 32;

/// The lazy DFAs' cache per thread, each: when full it is cleared (the walks restart).
const DFA_CACHE_BYTES: usize = 16 << 20;

pub struct RegexDb {
    /// The patterns in groups; empty when a group's DFA could not be built (the finder
    /// below then does that job).
    groups: Vec<Group>,
    /// The fallback over all patterns. Only a DFA that gives up (or a catalog whose groups
    /// could not be built) needs it, and building it is half of compiling a large catalog
    /// (measured: 65 of 130 ms for 247 patterns), so with working groups it is built on
    /// first need. `None` there: it exceeded a size limit, and the groups' classifiers
    /// decide line by line instead.
    whole: OnceLock<Option<Whole>>,
    /// The patterns, for building `whole` later (a database read from the compiled catalog
    /// cache parses them only then).
    patterns: Vec<Pattern>,
    /// Per pattern, whether only its top-level branches without literals are searched here
    /// (the prefilter serves the others: see [`LiteralPlan::split`]); empty: none is.
    ///
    /// [`LiteralPlan::split`]: super::prefilter::LiteralPlan::split
    split: Vec<bool>,
}

/// Leftmost-first over all patterns (finds the next matching line) and all-matches (says
/// which patterns match on it).
struct Whole {
    finder: Regex,
    classifier: Regex,
}

fn build_regex(kind: MatchKind, hirs: &[&Hir]) -> std::result::Result<Regex, regex_automata::meta::BuildError> {
    Regex::builder()
        .configure(Config::new().match_kind(kind).utf8_empty(false).nfa_size_limit(Some(256 << 20)).hybrid_cache_capacity(16 << 20))
        .build_many_from_hir(hirs)
}

fn build_whole(hirs: &[&Hir]) -> std::result::Result<Whole, regex_automata::meta::BuildError> {
    Ok(Whole { finder: build_regex(MatchKind::LeftmostFirst, hirs)?, classifier: build_regex(MatchKind::All, hirs)? })
}

/// What this engine searches for of each pattern: the pattern, or where it is split, its
/// top-level branches without literals.
fn searched_hirs<'p>(patterns: &'p [Pattern], split: &[bool]) -> Vec<Cow<'p, Hir>> {
    patterns
        .iter()
        .enumerate()
        .map(|(i, p)| match split.get(i).copied().unwrap_or(false).then(|| branches_with_literals(p.hir(), false)).flatten() {
            Some(bare) => Cow::Owned(bare),
            None => Cow::Borrowed(p.hir()),
        })
        .collect()
}

/// An NFA without capture states (nothing here reports a group), as the DFAs and the
/// PikeVM are built from, and as the compiled catalog cache keeps it.
fn build_nfa(hirs: &[&Hir]) -> Option<NFA> {
    thompson::Compiler::new()
        .configure(thompson::Config::new().nfa_size_limit(Some(256 << 20)).which_captures(thompson::WhichCaptures::None))
        .build_many_from_hir(hirs)
        .ok()
}

/// Some of the patterns: a DFA that finds the lines where any of them matches, and a
/// classifier that says which (its pattern `i` is the database's `ids[i]`).
struct Group {
    dfa: DFA,
    classifier: Classifier,
    ids: Vec<u32>,
}

/// Says which of a group's patterns match on a line: a lazy DFA that reports all matches,
/// over the patterns as written, and a PikeVM over the same NFA for the lines that DFA
/// cannot decide (a non-ASCII byte next to a Unicode word boundary). This is what a meta
/// regex does for this question, without the parts it builds for others (a reverse NFA,
/// literal prefilters, a backtracker): those were most of a small run's compile time.
struct Classifier {
    dfa: DFA,
    pikevm: PikeVM,
}

/// A thread's caches for one [`Classifier`].
struct ClassifierCache {
    dfa: Cache,
    pikevm: pikevm::Cache,
}

impl Classifier {
    fn new(nfa: NFA) -> Option<Classifier> {
        let dfa = DFA::builder()
            .configure(DFA::config().match_kind(MatchKind::All).unicode_word_boundary(true).cache_capacity(DFA_CACHE_BYTES).skip_cache_capacity_check(true))
            .build_from_nfa(nfa.clone())
            .ok()?;
        let pikevm = PikeVM::builder().configure(PikeVM::config().match_kind(MatchKind::All)).build_from_nfa(nfa).ok()?;
        Some(Classifier { dfa, pikevm })
    }

    fn create_cache(&self) -> ClassifierCache {
        ClassifierCache { dfa: self.dfa.create_cache(), pikevm: self.pikevm.create_cache() }
    }

    /// Add to `set` the patterns that match within `hay[start..end]`.
    fn which(&self, cache: &mut ClassifierCache, hay: &[u8], start: usize, end: usize, set: &mut PatternSet) {
        let line = Input::new(hay).range(start..end);
        if self.dfa.try_which_overlapping_matches(&mut cache.dfa, &line, set).is_err() {
            set.clear();
            self.pikevm.which_overlapping_matches(&mut cache.pikevm, &line, set);
        }
    }
}

impl Group {
    /// From the NFA of the group's patterns with counted repeats widened (`finder`, see
    /// [`super::widen`]) and as written (`exact`).
    fn from_nfas(finder: NFA, exact: NFA, ids: Vec<u32>, cache_bytes: usize) -> Option<Group> {
        let dfa = DFA::builder()
            // Unicode word boundaries make the DFA quit on non-ASCII bytes rather than fail
            // to build; such lines go to the classifier directly.
            .configure(DFA::config().match_kind(MatchKind::LeftmostFirst).unicode_word_boundary(true).cache_capacity(cache_bytes).skip_cache_capacity_check(true))
            .build_from_nfa(finder)
            .ok()?;
        Some(Group { dfa, classifier: Classifier::new(exact)?, ids })
    }
}

impl RegexDb {
    pub fn compile(patterns: &[Pattern]) -> Result<RegexDb> {
        RegexDb::compile_with_cache(patterns, Vec::new(), DFA_CACHE_BYTES)
    }

    /// As [`RegexDb::compile`], searching only the branches without literals of the
    /// patterns marked in `split` (aligned with `patterns`).
    pub fn compile_split(patterns: &[Pattern], split: Vec<bool>) -> Result<RegexDb> {
        RegexDb::compile_with_cache(patterns, split, DFA_CACHE_BYTES)
    }

    /// `cache_bytes`: the lazy DFA's cache per thread; when full it is cleared and the walks
    /// restart (tests make it tiny to exercise that).
    fn compile_with_cache(patterns: &[Pattern], split: Vec<bool>, cache_bytes: usize) -> Result<RegexDb> {
        let searched = searched_hirs(patterns, &split);
        let hirs: Vec<&Hir> = searched.iter().map(|h| h.as_ref()).collect();
        let named = |e: regex_automata::meta::BuildError| {
            let which = e.pattern().map(|p| format!(" {:?}", patterns[p.as_usize()].source)).unwrap_or_default();
            Error::new(ErrorCode::Pattern, format!("cannot compile pattern{which}: {e}"))
        };
        // The DFAs find lines with counted repeats widened (see [`super::widen`]); the
        // classifiers, run on those lines only, decide with the patterns as written.
        let wide: Vec<Option<Hir>> = hirs.iter().map(|h| widened(h)).collect();
        let wide: Vec<&Hir> = wide.iter().zip(&hirs).map(|(w, h)| w.as_ref().unwrap_or(h)).collect();
        // A group that cannot be built (a size limit) leaves no groups: the whole-catalog
        // fallback then serves, and is built now so that its errors surface here.
        let groups = groups(&wide)
            .into_iter()
            .map(|ids| {
                fn pick<'h>(from: &[&'h Hir], ids: &[u32]) -> Vec<&'h Hir> {
                    ids.iter().map(|&i| from[i as usize]).collect()
                }
                Group::from_nfas(build_nfa(&pick(&wide, &ids))?, build_nfa(&pick(&hirs, &ids))?, ids, cache_bytes)
            })
            .collect::<Option<Vec<Group>>>()
            .unwrap_or_default();
        let whole = OnceLock::new();
        if groups.is_empty() {
            let _ = whole.set(Some(build_whole(&hirs).map_err(named)?));
        }
        Ok(RegexDb { groups, whole, patterns: patterns.to_vec(), split })
    }

    /// Append the groups (their patterns and NFAs) to `out`, for the compiled catalog
    /// cache; `false` (and `out` as it was) when there is nothing to keep: no groups.
    pub(crate) fn encode(&self, out: &mut Vec<u8>) -> bool {
        let mark = out.len();
        out.extend_from_slice(&(self.groups.len() as u32).to_le_bytes());
        for group in &self.groups {
            out.extend_from_slice(&(group.ids.len() as u32).to_le_bytes());
            for &id in &group.ids {
                out.extend_from_slice(&id.to_le_bytes());
            }
            if !nfa_bytes::encode(group.dfa.get_nfa(), out) || !nfa_bytes::encode(group.classifier.pikevm.get_nfa(), out) {
                out.truncate(mark);
                return false;
            }
        }
        !self.groups.is_empty() || {
            out.truncate(mark);
            false
        }
    }

    /// The database [`RegexDb::encode`] wrote for `patterns` (split as `split` says),
    /// without compiling them; `None` when the bytes do not hold one for that many patterns
    /// (each in exactly one group).
    pub(crate) fn decode(r: &mut Reader<'_>, patterns: &[Pattern], split: Vec<bool>) -> Option<RegexDb> {
        let count = r.u32()? as usize;
        if count == 0 || count > patterns.len() {
            return None;
        }
        let mut placed = vec![false; patterns.len()];
        let mut groups = Vec::with_capacity(count);
        for _ in 0..count {
            let n = r.u32()? as usize;
            if n == 0 || n > patterns.len() {
                return None;
            }
            let ids = (0..n).map(|_| r.u32()).collect::<Option<Vec<u32>>>()?;
            for &id in &ids {
                let slot = placed.get_mut(id as usize)?;
                if std::mem::replace(slot, true) {
                    return None;
                }
            }
            let (finder, exact) = (nfa_bytes::decode(r)?, nfa_bytes::decode(r)?);
            if finder.pattern_len() != n || exact.pattern_len() != n {
                return None;
            }
            groups.push(Group::from_nfas(finder, exact, ids, DFA_CACHE_BYTES)?);
        }
        placed.iter().all(|&p| p).then(|| RegexDb { groups, whole: OnceLock::new(), patterns: patterns.to_vec(), split })
    }

    /// The fallback over all patterns, built on first need.
    fn whole(&self) -> Option<&Whole> {
        self.whole
            .get_or_init(|| {
                let searched = searched_hirs(&self.patterns, &self.split);
                build_whole(&searched.iter().map(|h| h.as_ref()).collect::<Vec<_>>()).ok()
            })
            .as_ref()
    }

    pub fn searcher(&self) -> RegexSearcher<'_> {
        RegexSearcher {
            db: self,
            set: PatternSet::new(self.patterns.len()),
            caches: self.groups.iter().map(|g| g.dfa.create_cache()).collect(),
            classifier_caches: self.groups.iter().map(|_| None).collect(),
            candidates: std::array::from_fn(|_| Vec::new()),
            lines: Vec::new(),
            found: Vec::new(),
            fallbacks: 0,
        }
    }
}

/// How many gaps a pattern has: unbounded repeats of a class that spans words (holds the
/// space) or nearly everything (`[^\n]*`, `.+`, `[^"]*`, `\S+`), each of which keeps the
/// pattern live along a line. Digit runs, identifiers and the like end soon: no gaps.
fn gaps(hir: &Hir) -> usize {
    fn broad(ranges: impl Iterator<Item = (u32, u32)>) -> bool {
        let (mut size, mut space) = (0u32, false);
        for (lo, hi) in ranges {
            size = size.saturating_add(hi - lo + 1);
            space |= lo <= 0x20 && 0x20 <= hi;
        }
        // `\w*` (63 bytes) does not count: it ends at the identifier's end (measured: counting
        // it made the catalog's groups 1.2-1.9x slower for no state saved).
        (space && size > 8) || size >= 100
    }
    match hir.kind() {
        HirKind::Repetition(r) => {
            let broad = match r.sub.kind() {
                HirKind::Class(Class::Bytes(c)) => broad(c.ranges().iter().map(|r| (u32::from(r.start()), u32::from(r.end())))),
                HirKind::Class(Class::Unicode(c)) => broad(c.ranges().iter().map(|r| (r.start() as u32, r.end() as u32))),
                _ => false,
            };
            usize::from(broad && r.max.is_none()) + gaps(&r.sub)
        }
        HirKind::Capture(c) => gaps(&c.sub),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().map(gaps).sum(),
        _ => 0,
    }
}

/// The pattern indexes split into groups of at most [`GROUP_PATTERNS`] patterns and
/// [`GROUP_GAPS`] gaps (first fit, so gapless patterns fill the first groups; a pattern with
/// more gaps than that is a group of its own).
fn groups(hirs: &[&Hir]) -> Vec<Vec<u32>> {
    let mut out: Vec<(Vec<u32>, usize)> = Vec::new();
    for (i, hir) in hirs.iter().enumerate() {
        let g = gaps(hir);
        match out.iter_mut().find(|(members, used)| members.len() < GROUP_PATTERNS && used + g <= GROUP_GAPS) {
            Some((members, used)) => {
                members.push(i as u32);
                *used += g;
            }
            None => out.push((vec![i as u32], g)),
        }
    }
    out.into_iter().map(|(members, _)| members).collect()
}

pub struct RegexSearcher<'db> {
    db: &'db RegexDb,
    set: PatternSet,
    /// One cache per group of `db.groups`.
    caches: Vec<Cache>,
    /// Per group, its classifier's caches, made when the group first flags a line.
    classifier_caches: Vec<Option<ClassifierCache>>,
    /// Per segment, the lines (start, end without '\n') in which the DFA saw a match.
    candidates: [Vec<(usize, usize)>; STREAMS],
    /// The lines (start, end, group) the groups' DFAs flagged, in line order.
    lines: Vec<(usize, usize, u32)>,
    /// The patterns found on one line.
    found: Vec<u32>,
    /// Searches that fell back to the meta regex.
    fallbacks: usize,
}

/// One DFA walk over a segment `[.., end)` of the chunk.
#[derive(Clone, Copy)]
struct Walk {
    /// Next byte to feed.
    pos: usize,
    end: usize,
    /// Where the walk last (re)started: a line start, with no match seen since.
    sync: usize,
    state: LazyStateID,
}

impl RegexSearcher<'_> {
    pub fn search(&mut self, hay: &[u8], on_match: &mut dyn FnMut(u32, usize)) {
        let db = self.db;
        if !db.groups.is_empty() {
            let mut caches = std::mem::take(&mut self.caches);
            let mut lines = std::mem::take(&mut self.lines);
            lines.clear();
            let mut found = Ok(());
            for (g, (group, cache)) in db.groups.iter().zip(caches.iter_mut()).enumerate() {
                found = self.find_lines(&group.dfa, cache, hay);
                if found.is_err() {
                    break;
                }
                for s in 0..STREAMS {
                    lines.extend(self.candidates[s].iter().map(|&(start, end)| (start, end, g as u32)));
                }
            }
            self.caches = caches;
            if found.is_ok() {
                if db.groups.len() > 1 {
                    lines.sort_unstable();
                }
                // Per line, the patterns of every group that flagged it, in pattern order.
                let mut i = 0;
                while i < lines.len() {
                    let (start, end, _) = lines[i];
                    self.found.clear();
                    while i < lines.len() && lines[i].0 == start {
                        let g = lines[i].2 as usize;
                        let group = &db.groups[g];
                        let cache = self.classifier_caches[g].get_or_insert_with(|| group.classifier.create_cache());
                        self.set.clear();
                        group.classifier.which(cache, hay, start, end, &mut self.set);
                        self.found.extend(self.set.iter().map(|pid| group.ids[pid.as_usize()]));
                        i += 1;
                    }
                    self.found.sort_unstable();
                    for &pid in &self.found {
                        on_match(pid, start);
                    }
                }
                self.lines = lines;
                return;
            }
            self.lines = lines;
            // A lazy DFA gave up (its cache is too small for the patterns and the text):
            // start over with the meta regex.
            self.fallbacks += 1;
        }
        self.search_with_finder(hay, on_match);
    }

    /// The fallback: a leftmost-first search for the next matching line, then classify it.
    fn search_with_finder(&mut self, hay: &[u8], on_match: &mut dyn FnMut(u32, usize)) {
        let Some(whole) = self.db.whole() else { return self.search_line_by_line(hay, on_match) };
        let mut pos = 0;
        while pos < hay.len() {
            let Some(end) = whole.finder.search_half(&Input::new(hay).range(pos..)) else { break };
            // Matches never contain '\n' and are never empty, so the byte before `end`
            // lies in the matching line.
            let (start, end) = line_around(hay, pos, end.offset() - 1);
            self.set.clear();
            whole.classifier.which_overlapping_matches(&Input::new(hay).range(start..end), &mut self.set);
            for pid in self.set.iter() {
                on_match(pid.as_u32(), start);
            }
            pos = end + 1;
        }
    }

    /// The last resort, when no regex over all patterns fits the size limits: every line
    /// through every group's classifier (slow, but the groups were built, so it works).
    fn search_line_by_line(&mut self, hay: &[u8], on_match: &mut dyn FnMut(u32, usize)) {
        let mut start = 0;
        while start < hay.len() {
            let end = memchr::memchr(b'\n', &hay[start..]).map_or(hay.len(), |i| start + i);
            self.found.clear();
            for (group, cache) in self.db.groups.iter().zip(self.classifier_caches.iter_mut()) {
                let cache = cache.get_or_insert_with(|| group.classifier.create_cache());
                self.set.clear();
                group.classifier.which(cache, hay, start, end, &mut self.set);
                self.found.extend(self.set.iter().map(|pid| group.ids[pid.as_usize()]));
            }
            self.found.sort_unstable();
            for &pid in &self.found {
                on_match(pid, start);
            }
            start = end + 1;
        }
    }

    /// Fill `self.candidates` with the lines of `hay` that match some pattern, in order.
    fn find_lines(&mut self, dfa: &DFA, cache: &mut Cache, hay: &[u8]) -> std::result::Result<(), ()> {
        walk_lines(dfa, cache, hay, &mut self.candidates)
    }
}

/// Fill `candidates` with the lines of `hay` where `dfa` matches, per segment, in order.
fn walk_lines(dfa: &DFA, cache: &mut Cache, hay: &[u8], candidates: &mut [Vec<(usize, usize)>; STREAMS]) -> std::result::Result<(), ()> {
    for c in candidates.iter_mut() {
        c.clear();
    }
    // Segments of about equal size, cut at line starts.
    let mut bounds = [0; STREAMS + 1];
    cut_at_lines(hay, &mut bounds);
    let mut walks = [Walk { pos: 0, end: 0, sync: 0, state: LazyStateID::default() }; STREAMS];
    for s in 0..STREAMS {
        walks[s] = Walk { pos: bounds[s], end: bounds[s + 1], sync: bounds[s], state: LazyStateID::default() };
    }
    let clears_at_start = cache.clear_count();
    let mut walker = Walker { dfa, cache, hay, walks, candidates, clears_at_start };
    for s in 0..STREAMS {
        walker.restart(s, walker.walks[s].pos)?;
    }
    // In lockstep while every walk has bytes left, then the remainders one by one.
    loop {
        let steps = walker.walks.iter().map(|w| w.end - w.pos).min().unwrap_or(0);
        if steps == 0 {
            break;
        }
        walker.lockstep(steps)?;
    }
    for s in 0..STREAMS {
        while walker.walks[s].pos < walker.walks[s].end {
            walker.single(s)?;
        }
        walker.finish(s)?;
    }
    Ok(())
}

struct Walker<'a> {
    dfa: &'a DFA,
    cache: &'a mut Cache,
    hay: &'a [u8],
    walks: [Walk; STREAMS],
    candidates: &'a mut [Vec<(usize, usize)>; STREAMS],
    /// The cache's clear count when this search began.
    clears_at_start: usize,
}

type Step = std::result::Result<(), ()>;

impl Walker<'_> {
    /// Advance every walk by up to `steps` bytes (each has at least that many left),
    /// stopping early at the first special state.
    #[inline(always)]
    fn lockstep(&mut self, steps: usize) -> Step {
        let (dfa, hay) = (self.dfa, self.hay);
        let mut pos: [usize; STREAMS] = std::array::from_fn(|s| self.walks[s].pos);
        let mut state: [LazyStateID; STREAMS] = std::array::from_fn(|s| self.walks[s].state);
        for _ in 0..steps {
            // SAFETY (both): `pos[s] < walks[s].end <= hay.len()` for each of the `steps`
            // steps, and `state[s]` is untagged (tagged states leave this loop), as
            // `next_state_untagged_unchecked` requires.
            let next: [LazyStateID; STREAMS] =
                std::array::from_fn(|s| unsafe { dfa.next_state_untagged_unchecked(self.cache, state[s], *hay.get_unchecked(pos[s])) });
            if next.iter().any(|n| n.is_tagged()) {
                // Commit the ordinary steps, then deal with the special ones.
                for s in 0..STREAMS {
                    self.walks[s].pos = pos[s];
                    self.walks[s].state = state[s];
                }
                let restarts = self.restart_count();
                for s in 0..STREAMS {
                    if self.restart_count() != restarts {
                        // The cache was cleared: every walk restarted, `next` is stale.
                        break;
                    }
                    if next[s].is_tagged() {
                        self.special(s, next[s])?;
                    } else {
                        self.walks[s].pos += 1;
                        self.walks[s].state = next[s];
                    }
                }
                return Ok(());
            }
            state = next;
            for p in &mut pos {
                *p += 1;
            }
        }
        for s in 0..STREAMS {
            self.walks[s].pos = pos[s];
            self.walks[s].state = state[s];
        }
        Ok(())
    }

    /// Advance walk `s` by one byte.
    fn single(&mut self, s: usize) -> Step {
        let w = self.walks[s];
        let next = unsafe { self.dfa.next_state_untagged_unchecked(self.cache, w.state, *self.hay.get_unchecked(w.pos)) };
        if next.is_tagged() {
            return self.special(s, next);
        }
        self.walks[s].pos += 1;
        self.walks[s].state = next;
        Ok(())
    }

    /// The cache's clear count: when it changes, every state ID held is invalid.
    fn restart_count(&self) -> usize {
        self.cache.clear_count()
    }

    /// Walk `s` fed the byte at its `pos` and got the tagged state `next`.
    fn special(&mut self, s: usize, mut next: LazyStateID) -> Step {
        let at = self.walks[s].pos;
        if next.is_unknown() {
            let clears = self.restart_count();
            next = self.dfa.next_state(self.cache, self.walks[s].state, self.hay[at]).map_err(|_| ())?;
            if self.restart_count() != clears {
                self.resync_others(s)?;
            }
        }
        if next.is_match() {
            // Matches are reported one byte late: the match ended at `at`, so the byte
            // before lies in the matching line (matches are never empty).
            let line = line_around(self.hay, self.walks[s].sync, at - 1);
            self.candidates[s].push(line);
            self.restart(s, line.1 + 1)
        } else if next.is_quit() {
            // A byte the DFA cannot decide on (non-ASCII next to a Unicode word boundary):
            // the classifier, which handles everything, decides the whole line.
            let line = line_around(self.hay, self.walks[s].sync, at);
            self.candidates[s].push(line);
            self.restart(s, line.1 + 1)
        } else if next.is_dead() {
            // No match can continue: go on from the next line.
            let line = line_around(self.hay, self.walks[s].sync, at);
            self.restart(s, line.1 + 1)
        } else {
            self.walks[s].pos = at + 1;
            self.walks[s].state = next;
            Ok(())
        }
    }

    /// Start walk `s` afresh at the line start `at` (or end it, at or past its end).
    fn restart(&mut self, s: usize, at: usize) -> Step {
        let w = &mut self.walks[s];
        w.pos = at.min(w.end);
        w.sync = w.pos;
        if w.pos >= w.end {
            return Ok(());
        }
        let clears = self.cache.clear_count();
        let state = self.dfa.start_state_forward(self.cache, &Input::new(self.hay).range(at..)).map_err(|_| ())?;
        if state.is_tagged() {
            // Not for these patterns (none matches empty or is anchored at the text's
            // start), but the lockstep loop needs untagged states: let the caller fall back.
            return Err(());
        }
        self.walks[s].state = state;
        if self.cache.clear_count() != clears {
            self.resync_others(s)?;
        }
        Ok(())
    }

    /// The cache was cleared while walk `s` was served: the other walks' states are
    /// invalid. Each goes back to its last sync point, which it had passed without a match.
    fn resync_others(&mut self, s: usize) -> Step {
        // A cache too small for the patterns could have the walks undo each other forever:
        // past a few clears, give up and let the caller fall back to the meta regex.
        if self.cache.clear_count() - self.clears_at_start > MAX_CLEARS {
            return Err(());
        }
        let clears = self.cache.clear_count();
        for o in (0..STREAMS).filter(|&o| o != s) {
            let w = self.walks[o];
            if w.pos < w.end || (w.end == self.hay.len() && w.sync < w.end) {
                self.walks[o].pos = w.sync;
                if w.sync < w.end {
                    let state = self.dfa.start_state_forward(self.cache, &Input::new(self.hay).range(w.sync..)).map_err(|_| ())?;
                    if state.is_tagged() {
                        return Err(());
                    }
                    self.walks[o].state = state;
                }
            }
        }
        // A start state computed just after a clear should fit; if not, the cache is hopeless.
        if self.cache.clear_count() != clears {
            return Err(());
        }
        Ok(())
    }

    /// Walk `s` reached its end: at the end of the chunk, a match may end there.
    fn finish(&mut self, s: usize) -> Step {
        let w = self.walks[s];
        if w.end != self.hay.len() || w.sync >= w.end {
            return Ok(());
        }
        let clears = self.cache.clear_count();
        let eoi = self.dfa.next_eoi_state(self.cache, w.state).map_err(|_| ())?;
        if self.cache.clear_count() != clears {
            self.resync_others(s)?;
        }
        if eoi.is_match() {
            let line = line_around(self.hay, w.sync, w.end - 1);
            self.candidates[s].push(line);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::parse_all;

    const PATTERNS: &[&str] = &[
        "(?i:out of memory)|OOM",
        r"\bfail(ed)?\b",
        "^panic: ",
        r"done\.$",
        r"\bNCCL WARN .*(?:fail|error)",
        r"(?u)\bwörd\b",
        r"[0-9]{3,}x",
        "é+z",
    ];

    const FRAGMENTS: &[&str] = &[
        "out of MEMORY", "OOM", "failed", "xfail", "fail!", "panic: ", " panic: ", "done.", "done.\r",
        "NCCL WARN ", "error", "wörd", "éwörd", "wördé", "123x", "12x", "ééz", "é", " ", "a", "\n", "\n", "\n", "\r\n",
    ];

    /// A deterministic pseudo-random haystack of `FRAGMENTS`.
    fn haystack(seed: u64, pieces: usize) -> Vec<u8> {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        crate::engine::test_haystack::of_fragments(&mut x, FRAGMENTS, pieces).into_bytes()
    }

    /// 40 patterns with two gaps each (a class that spans words between two literals).
    fn gap_sources() -> Vec<String> {
        (0..40).map(|i| format!(r"\bfail{i}[^\n]*done|x{i}[^ ]*Error:")).collect()
    }

    fn run(searcher: &mut RegexSearcher<'_>, hay: &[u8], dfa: bool) -> Vec<(u32, usize)> {
        let mut got = Vec::new();
        if dfa {
            searcher.search(hay, &mut |p, at| got.push((p, at)));
        } else {
            searcher.search_with_finder(hay, &mut |p, at| got.push((p, at)));
        }
        got
    }

    /// The lockstep DFA walks find exactly what the plain leftmost search finds, in order,
    /// including when the DFA cache is so small that it is cleared all the time.
    #[test]
    fn lockstep_walks_agree_with_the_finder() {
        let patterns = parse_all(PATTERNS).unwrap();
        for cache_bytes in [16 << 20, 30 << 10] {
            let db = RegexDb::compile_with_cache(&patterns, Vec::new(), cache_bytes).unwrap();
            assert_eq!(db.groups.len(), 1);
            let mut searcher = db.searcher();
            for seed in 0..300 {
                let hay = haystack(seed, (seed as usize * 7) % 400);
                let want = run(&mut searcher, &hay, false);
                assert_eq!(run(&mut searcher, &hay, true), want, "seed {seed}, cache {cache_bytes}, hay {:?}", String::from_utf8_lossy(&hay));
            }
            if cache_bytes < 16 << 20 {
                assert!(searcher.caches[0].clear_count() > 0, "the small cache was never cleared");
                assert!(searcher.fallbacks < 100, "{} of 300 searches fell back", searcher.fallbacks);
            }
        }
    }

    /// A cache too small for anything: no hang, the same answers through the fallback.
    #[test]
    fn a_hopeless_cache_falls_back() {
        let patterns = parse_all(PATTERNS).unwrap();
        let db = RegexDb::compile_with_cache(&patterns, Vec::new(), 1).unwrap();
        let mut searcher = db.searcher();
        let hay = haystack(7, 2000);
        let want = run(&mut searcher, &hay, false);
        assert_eq!(run(&mut searcher, &hay, true), want);
        assert_eq!(searcher.fallbacks, 1);
    }

    /// Gap patterns are spread over several DFAs; the lines found, and so the answers, are
    /// exactly the plain finder's, in order, with no line reported twice.
    #[test]
    fn groups_of_gap_patterns_agree_with_the_finder() {
        let gappy = gap_sources();
        let mut sources: Vec<&str> = gappy.iter().map(String::as_str).collect();
        sources.extend_from_slice(PATTERNS);
        let patterns = parse_all(&sources).unwrap();
        assert_eq!(gaps(patterns[0].hir()), 2);
        // Local repeats (digits, one letter) are no gaps; a class that spans words is.
        let count = |src: &[&str]| parse_all(src).unwrap().iter().map(|p| gaps(p.hir())).sum::<usize>();
        assert_eq!(count(&[r"\bdone\.$", "x{2,}y", r"port \d+", "[a-z]+ed", r"\w*Error"]), 0);
        assert_eq!(count(&[r"a.*b", r"a\S+b", r"a[^)]*\)"]), 3);
        let db = RegexDb::compile(&patterns).unwrap();
        assert!(db.groups.len() >= 2, "{} groups", db.groups.len());
        let mut searcher = db.searcher();
        let frags = ["fail3 a done", "x7abcError: b", "fail19done", "out of memory", "error", "\n", "\n", "fail3 ", "done"];
        let mut x = 88172645463325252u64;
        for round in 0..200 {
            let hay = crate::engine::test_haystack::of_fragments(&mut x, &frags, round % 60).into_bytes();
            let want = run(&mut searcher, &hay, false);
            assert_eq!(run(&mut searcher, &hay, true), want, "hay {:?}", String::from_utf8_lossy(&hay));
            // The last resort (every line through every group's classifier) agrees too.
            let mut by_lines = Vec::new();
            searcher.search_line_by_line(&hay, &mut |p, at| by_lines.push((p, at)));
            assert_eq!(by_lines, want, "hay {:?}", String::from_utf8_lossy(&hay));
        }
    }

    /// With working groups, searching never builds the regex over all patterns (half the
    /// compile time of a large catalog); a DFA that gives up builds it then.
    #[test]
    fn the_whole_catalog_fallback_is_built_only_when_needed() {
        let gappy = gap_sources();
        let sources: Vec<&str> = gappy.iter().map(String::as_str).collect();
        let patterns = parse_all(&sources).unwrap();
        let db = RegexDb::compile(&patterns).unwrap();
        assert!(db.groups.len() >= 2);
        let hay = b"fail3 a done\nok\nx7abcError: b\n";
        let mut searcher = db.searcher();
        assert_eq!(run(&mut searcher, hay, true), vec![(3, 0), (7, 16)]);
        assert!(db.whole.get().is_none(), "a search with working groups built the fallback");
        let tiny = RegexDb::compile_with_cache(&patterns, Vec::new(), 1).unwrap();
        let mut searcher = tiny.searcher();
        let long = hay.repeat(500);
        let got = run(&mut searcher, &long, true);
        assert_eq!(searcher.fallbacks, 1);
        assert!(tiny.whole.get().is_some());
        assert_eq!(got.len(), 1000);
        assert_eq!(got, run(&mut searcher, &long, false));
    }

    /// A database written for the compiled catalog cache reads back as one that answers
    /// exactly as the compiled one, without parsing a pattern (these sources would not
    /// parse); bytes written for another number of patterns are refused.
    #[test]
    fn a_database_read_back_answers_as_compiled_without_parsing() {
        let gappy = gap_sources();
        let mut sources: Vec<&str> = gappy.iter().map(String::as_str).collect();
        sources.extend_from_slice(PATTERNS);
        let patterns = parse_all(&sources).unwrap();
        let db = RegexDb::compile(&patterns).unwrap();
        assert!(db.groups.len() >= 2);
        let mut bytes = vec![9];
        assert!(db.encode(&mut bytes));
        let unparsed: Vec<Pattern> = sources.iter().map(|_| Pattern::known_valid("(never parsed")).collect();
        let back = RegexDb::decode(&mut Reader(&bytes[1..]), &unparsed, Vec::new()).unwrap();
        let (mut compiled, mut read) = (db.searcher(), back.searcher());
        for seed in 0..300 {
            let mut hay = haystack(seed, (seed as usize * 7) % 400);
            hay.extend_from_slice(format!("\nfail{} a done\nx{}abcError: b\n", seed % 40, seed % 41).as_bytes());
            assert_eq!(run(&mut read, &hay, true), run(&mut compiled, &hay, true), "hay {:?}", String::from_utf8_lossy(&hay));
        }
        assert!(back.whole.get().is_none());
        assert!(RegexDb::decode(&mut Reader(&bytes[1..]), &unparsed[1..], Vec::new()).is_none(), "fewer patterns");
        let more: Vec<Pattern> = unparsed.iter().cloned().chain([Pattern::known_valid("x")]).collect();
        assert!(RegexDb::decode(&mut Reader(&bytes[1..]), &more, Vec::new()).is_none(), "a pattern in no group");
        // No groups (the fallback serves): nothing to keep.
        let tiny = RegexDb::compile(&parse_all(&["a{100000}"]).unwrap());
        if let Ok(tiny) = tiny {
            let mut out = vec![1];
            assert!(tiny.groups.is_empty() || tiny.encode(&mut out));
        }
    }

    #[test]
    fn edges_of_segments_and_chunk() {
        let patterns = parse_all(&[r"done\.$", "^a", "(?u)\\bwörd\\b"]).unwrap();
        let db = RegexDb::compile(&patterns).unwrap();
        let mut searcher = db.searcher();
        // A match in the last line without a newline is seen at the end of input.
        assert_eq!(run(&mut searcher, b"x\nx\nx\nx\nx\ndone.", true), vec![(0, 10)]);
        assert_eq!(run(&mut searcher, b"done.\r", true), vec![(0, 0)]);
        // Fewer lines than walks, and a match on every line.
        assert_eq!(run(&mut searcher, b"a\na", true), vec![(1, 0), (1, 2)]);
        assert_eq!(run(&mut searcher, b"", true), vec![]);
        // Non-ASCII next to a Unicode word boundary: the DFA quits, the line is classified.
        assert_eq!(run(&mut searcher, "x\néwörd wörd\néwördé".as_bytes(), true), vec![(2, 2)]);
    }
}
