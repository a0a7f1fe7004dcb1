//! The literal prefilter: most lines of a log can contain no failure, and saying so takes
//! one multi-literal pass, far cheaper than running hundreds of regexes.
//!
//! Each pattern's *required literals* are read from its HIR: a set of strings one of which
//! every match contains (compared ASCII-caselessly). One pass over the chunk finds the lines
//! holding any of them (one DFA over all literals, shared by the threads and walked in
//! interleaved streams: see [`super::literal_lines`]); only on those lines, and
//! only for the patterns whose literals occur there (an Aho-Corasick pass over the line),
//! does a pattern's own regex run. Patterns with no useful
//! literal (too short, or none at all) are left to the engine's full scan; of a pattern
//! whose top-level branches differ in that, the branches with literals are served here and
//! the full scan searches only the others (see [`LiteralPlan`]).

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind as AcMatchKind};
use regex_automata::meta::{Cache, Config, Regex};
use regex_automata::{Input, MatchKind};
use regex_syntax::hir::{Class, Hir, HirKind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use super::literal_lines::{Found, LiteralLines};
use super::widen::widened;
use crate::pattern::Pattern;

/// A literal shorter than this occurs on too many ordinary lines to reject any.
const MIN_LITERAL: usize = 4;
/// Chunks at least this large find their candidate lines with the interleaved DFA walks;
/// smaller ones (a short log, a live tail) with one Aho-Corasick walk, which costs nothing
/// to build.
const FINDER_FROM_BYTES: usize = 64 << 10;
/// Until the chunks searched add up to this many bytes, the literals are looked for one by
/// one (memmem over a lowercased copy) and the Aho-Corasick automaton is not built: over a
/// catalog's thousands of literals it takes ~15 ms to build, more than a short log takes
/// to search this way (~1 ms per 4 KB).
const WITHOUT_AUTOMATON_BYTES: usize = 32 << 10;
/// Alternatives one node's literal set may hold before it is given up (the cross product
/// of a concatenation grows fast).
const MAX_SET: usize = 64;
/// Longer literals are cut to this: a prefix of a required literal is required too.
const MAX_LITERAL: usize = 24;
/// Characters a class may hold (after ASCII case folding) and still count as literal.
const MAX_CLASS: usize = 4;

/// What a HIR node says about the text of its matches, as lowercase literal sets.
struct Facts {
    /// Every match is exactly one of these strings (`None`: not a small finite set).
    exact: Option<Vec<Vec<u8>>>,
    /// Every match contains one of these (`None`: nothing known).
    required: Option<Vec<Vec<u8>>>,
}

fn lower(bytes: &[u8]) -> Vec<u8> {
    bytes.iter().map(u8::to_ascii_lowercase).collect()
}

fn dedup(mut set: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    set.sort();
    set.dedup();
    set
}

/// Words that ordinary log lines use all the time ("0 errors", "connection pool ready",
/// "config loaded"): a literal that is one of them rejects few lines, so a pattern's other
/// required literals are preferred to it.
const COMMON_WORDS: &[&str] = &[
    "error",
    "errors",
    "exception",
    "fault",
    "fail",
    "failed",
    "failure",
    "warn",
    "warning",
    "timeout",
    "timed out",
    "detected",
    "found",
    "not found",
    "config",
    "configuration",
    "connect",
    "connection",
    "invalid",
    "cannot",
    "unable",
    "could not",
    "check",
    "status",
    "exit",
    "exited",
    "read",
    "write",
    "leak",
    "retained",
    "total",
    "complete",
    "completed",
    "started",
    "process",
    "request",
    "response",
    "file",
    "load",
    "loaded",
];

/// Whether `lit` is a structured log's field name and nothing more (`"level":`): every line
/// of a JSON log carries its keys, so such a literal rejects no line there.
fn is_field_name(lit: &[u8]) -> bool {
    let trimmed = |s: &[u8]| -> usize { s.iter().rposition(|&b| b != b' ' && b != b'"').map_or(0, |i| i + 1) };
    let Some(key) = lit[..trimmed(lit)].strip_suffix(b":") else { return false };
    let key = key.trim_ascii_end();
    let Some(key) = key.strip_suffix(b"\"") else { return false };
    let key = key.strip_prefix(b"\"").unwrap_or(key);
    !key.is_empty() && key.iter().all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'@'))
}

/// The length a literal counts for: its own, or 2 (too short to use alone) for a common word
/// or a field name.
fn worth(lit: &[u8]) -> usize {
    if is_field_name(lit) {
        return 2;
    }
    let word = lit
        .iter()
        .position(|b| b.is_ascii_alphanumeric())
        .map_or(&lit[..0], |a| {
            let b = lit
                .iter()
                .rposition(|b| b.is_ascii_alphanumeric())
                .unwrap_or(a);
            &lit[a..=b]
        });
    if COMMON_WORDS.iter().any(|w| w.as_bytes() == word) {
        2
    } else {
        lit.len()
    }
}

/// How good a required set is for rejecting lines: longer shortest literal first (common
/// words count as short), then fewer literals, then longer literals (of `systemd[` and
/// `: failed to start`, both required, the longer is on far fewer lines: a longer literal
/// says more, and a short one is more often a name every line of some source carries).
/// `None` for a set that cannot reject enough.
fn score(set: &[Vec<u8>]) -> Option<(usize, std::cmp::Reverse<usize>, usize)> {
    let shortest = set.iter().map(|l| worth(l)).min().unwrap_or(usize::MAX);
    (shortest >= MIN_LITERAL).then_some((shortest.min(8), std::cmp::Reverse(set.len()), shortest))
}

/// `set` without the literals that contain another of its literals: a line holding the
/// longer one holds the shorter, so the shorter alone says as much.
fn minimal(set: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let contains = |long: &[u8], short: &[u8]| long.len() > short.len() && long.windows(short.len()).any(|w| w == short);
    set.iter()
        .filter(|l| !set.iter().any(|s| contains(l, s)))
        .cloned()
        .collect()
}

fn better(a: Option<Vec<Vec<u8>>>, b: Option<Vec<Vec<u8>>>) -> Option<Vec<Vec<u8>>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if score(&b) > score(&a) { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// Every `a` followed by every `b`, cut to [`MAX_LITERAL`]; `None` past [`MAX_SET`].
fn product(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if a.len() * b.len() > MAX_SET {
        return None;
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let mut s = x.clone();
            s.extend_from_slice(y);
            s.truncate(MAX_LITERAL);
            out.push(s);
        }
    }
    Some(dedup(out))
}

fn class_strings(class: &Class) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    match class {
        Class::Bytes(c) => {
            for r in c.ranges() {
                if usize::from(r.end() - r.start()) >= MAX_CLASS * 2 {
                    return None;
                }
                out.extend((r.start()..=r.end()).map(|b| vec![b.to_ascii_lowercase()]));
                if out.len() > MAX_CLASS * 2 {
                    return None;
                }
            }
        }
        Class::Unicode(c) => {
            for r in c.ranges() {
                if (r.end() as u32 - r.start() as u32) as usize >= MAX_CLASS * 2 {
                    return None;
                }
                for ch in r.start()..=r.end() {
                    let mut buf = [0; 4];
                    out.push(lower(ch.encode_utf8(&mut buf).as_bytes()));
                }
                if out.len() > MAX_CLASS * 2 {
                    return None;
                }
            }
        }
    }
    let out = dedup(out);
    (out.len() <= MAX_CLASS).then_some(out)
}

fn facts(hir: &Hir) -> Facts {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Facts {
            exact: Some(vec![Vec::new()]),
            required: None,
        },
        HirKind::Literal(lit) => {
            let mut s = lower(&lit.0);
            s.truncate(MAX_LITERAL);
            Facts {
                exact: Some(vec![s.clone()]),
                required: Some(vec![s]),
            }
        }
        HirKind::Class(class) => {
            let exact = class_strings(class);
            Facts {
                required: exact.clone(),
                exact,
            }
        }
        HirKind::Capture(c) => facts(&c.sub),
        HirKind::Repetition(r) => {
            if r.min == 0 {
                // `x?` is exactly nothing or one of x's strings: kept exact, so that
                // `config(?:uration)? file` still yields the literal `config file`.
                let exact = match r.max {
                    Some(0) => Some(vec![Vec::new()]),
                    Some(1) => facts(&r.sub).exact.and_then(|mut set| {
                        set.push(Vec::new());
                        let set = dedup(set);
                        (set.len() <= MAX_SET).then_some(set)
                    }),
                    _ => None,
                };
                return Facts {
                    exact,
                    required: None,
                };
            }
            let sub = facts(&r.sub);
            // `min` copies of the sub-match stand side by side in every match.
            let mut copies = None;
            let mut complete = false;
            if let Some(one) = &sub.exact {
                let mut acc = vec![Vec::new()];
                complete = true;
                for _ in 0..r.min {
                    match product(&acc, one) {
                        Some(next) => acc = next,
                        None => {
                            complete = false;
                            break;
                        }
                    }
                }
                copies = Some(acc);
            }
            let exact = if complete && r.max == Some(r.min) {
                copies.clone()
            } else {
                None
            };
            Facts {
                exact,
                required: better(copies, better(sub.required, sub.exact)),
            }
        }
        HirKind::Alternation(subs) => {
            let all: Vec<Facts> = subs.iter().map(facts).collect();
            let union = |pick: &dyn Fn(&Facts) -> Option<&Vec<Vec<u8>>>| -> Option<Vec<Vec<u8>>> {
                let mut out = Vec::new();
                for f in &all {
                    out.extend(pick(f)?.iter().cloned());
                }
                let out = dedup(out);
                (out.len() <= MAX_SET).then_some(out)
            };
            let exact = union(&|f| f.exact.as_ref());
            let required = union(&|f| f.required.as_ref().or(f.exact.as_ref()));
            // For an alternation the exact set is also a required set; pick the better.
            let required = better(required, exact.clone());
            Facts { exact, required }
        }
        HirKind::Concat(subs) => {
            // Runs of exact children multiply into longer literals; a child that is not exact
            // ends the run (the run so far is required) and offers its own required set.
            let mut best: Option<Vec<Vec<u8>>> = None;
            let mut run: Option<Vec<Vec<u8>>> = Some(vec![Vec::new()]);
            let mut whole_exact = true;
            for sub in subs {
                let f = facts(sub);
                match &f.exact {
                    Some(e) => {
                        let cur = run.take().unwrap_or_else(|| vec![Vec::new()]);
                        run = match product(&cur, e) {
                            Some(p) => Some(p),
                            None => {
                                // Too many combinations: keep what the run had, start anew.
                                whole_exact = false;
                                best = better(best, Some(cur));
                                Some(e.clone())
                            }
                        };
                    }
                    None => {
                        whole_exact = false;
                        if let Some(cur) = run.take() {
                            best = better(best, Some(cur));
                        }
                        best = better(best, f.required);
                        run = Some(vec![Vec::new()]);
                    }
                }
            }
            let exact = if whole_exact { run.clone() } else { None };
            best = better(best, run);
            Facts {
                exact,
                required: best,
            }
        }
    }
}

/// The literals (lowercase ASCII; compare caselessly) one of which every match of `hir`
/// contains, or `None` when no set of them is selective enough to filter lines with.
pub fn required_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let f = facts(hir);
    let set = better(f.required, f.exact)?;
    score(&set)?;
    Some(minimal(set))
}

/// How the regex engine's two stages share one pattern. Most patterns go whole to one of
/// them; a pattern with no required literal of its own whose top-level branches have some
/// (`\bEIO\b|…disk read error…`, or more branches with literals than one set may hold) is
/// split: the prefilter serves the branches with literals, the full scan only the others.
/// Both report the pattern's own id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiteralPlan {
    /// One of these is on every line the prefilter must look at for this pattern (`None`:
    /// the full scan serves the whole pattern).
    pub literals: Option<Vec<Vec<u8>>>,
    /// The literals are those of the top-level branches that have some: the prefilter
    /// confirms with those branches only, and the full scan serves the others.
    pub split: bool,
}

/// Who serves `hir` (see [`LiteralPlan`]): its own [`required_literals`] when it has them,
/// else the union of its top-level branches' literals, where some branch has any.
pub fn literal_plan(hir: &Hir) -> LiteralPlan {
    if let Some(set) = required_literals(hir) {
        return LiteralPlan { literals: Some(set), split: false };
    }
    let unserved = LiteralPlan { literals: None, split: false };
    let Some(branches) = top_branches(hir) else { return unserved };
    let sets: Vec<Option<Vec<Vec<u8>>>> = branches.iter().map(required_literals).collect();
    if sets.iter().all(Option::is_none) {
        return unserved;
    }
    let split = sets.iter().any(Option::is_none);
    // No size limit on the union: each branch's set is within MAX_SET, and the literal
    // pass costs little per literal.
    let union = minimal(dedup(sets.into_iter().flatten().flatten().collect()));
    LiteralPlan { literals: Some(union), split }
}

/// The top-level branches of `hir`: those of an alternation, or, when one part of a
/// concatenation is an alternation (as the parser writes `\ba|\bb`: `\b(?:a|b)`), each of
/// its branches between the parts around it. Capture groups are looked through (nothing
/// here reports a group). `None` for a pattern with one branch.
pub fn top_branches(hir: &Hir) -> Option<Vec<Hir>> {
    fn alternatives(hir: &Hir) -> Option<&[Hir]> {
        match hir.kind() {
            HirKind::Alternation(branches) => Some(branches),
            HirKind::Capture(c) => alternatives(&c.sub),
            _ => None,
        }
    }
    if let Some(branches) = alternatives(hir) {
        return Some(branches.to_vec());
    }
    let HirKind::Concat(parts) = hir.kind() else { return None };
    let mut split_at = parts.iter().enumerate().filter_map(|(i, p)| alternatives(p).map(|b| (i, b)));
    let (at, branches) = split_at.next()?;
    if split_at.next().is_some() {
        // Two alternations multiply into too many branches to be worth it.
        return None;
    }
    Some(
        branches
            .iter()
            .map(|b| Hir::concat(parts[..at].iter().chain([b]).chain(&parts[at + 1..]).cloned().collect()))
            .collect(),
    )
}

/// One pattern of the top-level branches of `hir` that have required literals (`true`) or
/// have none (`false`): what each stage serves of a split pattern. `None` when no branch is
/// of that kind.
pub(crate) fn branches_with_literals(hir: &Hir, with: bool) -> Option<Hir> {
    let picked: Vec<Hir> = top_branches(hir)?.into_iter().filter(|b| required_literals(b).is_some() == with).collect();
    (!picked.is_empty()).then(|| Hir::alternation(picked))
}

/// Like [`required_literals`], but however short or common the literals are: `None` only
/// when nothing at all is known (a set holding the empty string says nothing either).
#[cfg(any(test, feature = "internals"))]
pub fn any_required_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let f = facts(hir);
    let set = better(f.required, f.exact)?;
    (!set.iter().any(Vec::is_empty)).then(|| minimal(set))
}

/// The patterns that have required literals, with one Aho-Corasick automaton over all of
/// them and each pattern's own regex (built on first need: most patterns of a catalog
/// never meet a candidate line in a small log).
pub struct Prefilter {
    /// Finds the lines holding any literal in a large chunk; built on the first such chunk
    /// (its NFA over thousands of literals is most of a catalog's compile time, which a
    /// small log would pay for nothing). `None` inside: it could not be built, and `ac`
    /// does that job too.
    finder: OnceLock<Option<LiteralLines>>,
    literals: Vec<Vec<u8>>,
    /// Built on first need (see [`WITHOUT_AUTOMATON_BYTES`]); `None` inside: it could not
    /// be built, and the literals are looked for one by one.
    ac: OnceLock<Option<AhoCorasick>>,
    /// Bytes searched so far without the automaton.
    searched_without: AtomicUsize,
    /// Per literal of `ac`, the patterns (indexes into `ids`) that require it.
    owners: Vec<Vec<u32>>,
    /// The database's pattern id of each filtered pattern.
    ids: Vec<u32>,
    /// The filtered patterns, whose HIRs their regexes are built from.
    patterns: Vec<Pattern>,
    /// Per filtered pattern, whether it is split (see [`LiteralPlan::split`]): its regex is
    /// then of the branches with literals only.
    split: Vec<bool>,
    regexes: Vec<OnceLock<Option<Confirm>>>,
}

/// What decides, on a candidate line, whether a filtered pattern matches.
struct Confirm {
    /// The pattern with its counted repeats widened (see [`super::widen`]), or as written
    /// when it has none: the first pass on every candidate line.
    first: Regex,
    /// The pattern as written, where `first` is widened: run only where `first` matched.
    exact: Option<Regex>,
}

impl Prefilter {
    /// Split `patterns` into those a prefilter serves (returned with it) and the rest
    /// (their indexes), given each pattern's [`required_literals`] (the compiled catalog
    /// cache keeps them, so that a cached catalog is not parsed to find them). `None` when no
    /// pattern has usable literals.
    #[cfg(feature = "internals")]
    pub fn from_literal_sets(patterns: &[Pattern], sets: Vec<Option<Vec<Vec<u8>>>>) -> (Option<Prefilter>, Vec<u32>) {
        Prefilter::from_plans(patterns, sets.into_iter().map(|literals| LiteralPlan { literals, split: false }).collect())
    }

    /// As [`Prefilter::from_literal_sets`], given each pattern's [`literal_plan`]: the rest
    /// also holds the split patterns, whose branches without literals the engine serves.
    pub fn from_plans(patterns: &[Pattern], plans: Vec<LiteralPlan>) -> (Option<Prefilter>, Vec<u32>) {
        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut owners: Vec<Vec<u32>> = Vec::new();
        let mut index = std::collections::HashMap::new();
        let (mut ids, mut kept, mut split, mut rest) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (i, (pattern, plan)) in patterns.iter().zip(plans).enumerate() {
            let Some(set) = plan.literals else {
                rest.push(i as u32);
                continue;
            };
            if plan.split {
                rest.push(i as u32);
            }
            let me = ids.len() as u32;
            ids.push(i as u32);
            kept.push(pattern.clone());
            split.push(plan.split);
            for lit in set {
                let at = *index.entry(lit.clone()).or_insert_with(|| {
                    literals.push(lit);
                    owners.push(Vec::new());
                    owners.len() - 1
                });
                owners[at].push(me);
            }
        }
        if ids.is_empty() {
            return (None, rest);
        }
        let regexes = (0..ids.len()).map(|_| OnceLock::new()).collect();
        (
            Some(Prefilter {
                finder: OnceLock::new(),
                literals,
                ac: OnceLock::new(),
                searched_without: AtomicUsize::new(0),
                owners,
                ids,
                patterns: kept,
                split,
                regexes,
            }),
            rest,
        )
    }

    /// The database's ids of the patterns served here.
    pub fn ids(&self) -> &[u32] {
        &self.ids
    }

    fn confirm(&self, k: usize) -> Option<&Confirm> {
        self.regexes[k]
            .get_or_init(|| {
                let build = |hir: &Hir| {
                    Regex::builder()
                        .configure(
                            Config::new()
                                .match_kind(MatchKind::LeftmostFirst)
                                .utf8_empty(false)
                                .nfa_size_limit(Some(256 << 20)),
                        )
                        .build_from_hir(hir)
                        .ok()
                };
                let whole = self.patterns[k].hir();
                let branches = if self.split[k] { branches_with_literals(whole, true) } else { None };
                let hir = branches.as_ref().unwrap_or(whole);
                Some(match widened(hir) {
                    Some(wide) => Confirm { first: build(&wide)?, exact: Some(build(hir)?) },
                    None => Confirm { first: build(hir)?, exact: None },
                })
            })
            .as_ref()
    }

    fn finder(&self) -> Option<&LiteralLines> {
        self.finder.get_or_init(|| LiteralLines::build(&self.literals)).as_ref()
    }

    fn ac(&self) -> Option<&AhoCorasick> {
        self.ac
            .get_or_init(|| {
                // A contiguous NFA: it builds several times faster than a DFA over thousands
                // of literals, and it walks only candidate lines (and small chunks).
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(AcMatchKind::Standard)
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(&self.literals)
                    .ok()
            })
            .as_ref()
    }

    /// The automaton, unless this search is better served without it (a short log, the
    /// first chunks of a live tail).
    fn ac_for(&self, hay: &[u8]) -> Option<&AhoCorasick> {
        if self.ac.get().is_none() {
            let before = self.searched_without.fetch_add(hay.len(), Ordering::Relaxed);
            if before + hay.len() <= WITHOUT_AUTOMATON_BYTES {
                return None;
            }
        }
        self.ac()
    }

    pub fn scratch(&self) -> Scratch {
        Scratch {
            walks: Default::default(),
            lowered: Vec::new(),
            found: Vec::new(),
            lines: LineScratch {
                caches: (0..self.ids.len()).map(|_| None).collect(),
                seen: vec![u32::MAX; self.ids.len()],
                line: 0,
                tried: Vec::new(),
            },
        }
    }

    /// Push `(line start, pattern id)` for every line of `hay` where a filtered pattern
    /// matches, in line order. A pattern whose regex cannot be built reports an error.
    pub fn search(
        &self,
        hay: &[u8],
        scratch: &mut Scratch,
        out: &mut Vec<(usize, u32)>,
    ) -> Result<(), usize> {
        let finder = if hay.len() >= FINDER_FROM_BYTES { self.finder() } else { None };
        if let Some(finder) = finder {
            finder.find(hay, &mut scratch.walks);
            for &(start, end) in scratch.walks.iter().flatten() {
                self.match_line(hay, start, end, &mut scratch.lines, out)?;
            }
            return Ok(());
        }
        let Some(ac) = self.ac_for(hay) else {
            return self.search_without_automaton(hay, scratch, out);
        };
        let mut pos = 0;
        while pos < hay.len() {
            let Some(hit) = ac
                .find(aho_corasick::Input::new(hay).span(pos..hay.len()))
            else {
                break;
            };
            let start = memchr::memrchr(b'\n', &hay[pos..hit.start()]).map_or(pos, |i| pos + i + 1);
            let end = memchr::memchr(b'\n', &hay[hit.end()..]).map_or(hay.len(), |i| hit.end() + i);
            self.match_line(hay, start, end, &mut scratch.lines, out)?;
            pos = end + 1;
        }
        Ok(())
    }

    /// As the Aho-Corasick walk of [`Prefilter::search`] does, looking for each literal in
    /// turn: what a small chunk costs less than building the automaton.
    fn search_without_automaton(&self, hay: &[u8], scratch: &mut Scratch, out: &mut Vec<(usize, u32)>) -> Result<(), usize> {
        let Scratch { lowered, found, lines, .. } = scratch;
        lowered.clear();
        lowered.extend(hay.iter().map(u8::to_ascii_lowercase));
        // (line start, literal) for every occurrence; literals hold no `\n`, so each lies
        // within one line.
        found.clear();
        for (j, lit) in self.literals.iter().enumerate() {
            let mut last_line = usize::MAX;
            for at in memchr::memmem::find_iter(lowered, lit) {
                let start = memchr::memrchr(b'\n', &hay[..at]).map_or(0, |i| i + 1);
                if start != last_line {
                    found.push((start, j as u32));
                    last_line = start;
                }
            }
        }
        found.sort_unstable();
        let mut i = 0;
        while i < found.len() {
            let start = found[i].0;
            let n = found[i..].iter().take_while(|f| f.0 == start).count();
            let end = memchr::memchr(b'\n', &hay[start..]).map_or(hay.len(), |e| start + e);
            self.try_patterns(hay, start, end, found[i..i + n].iter().map(|f| f.1 as usize), lines, out)?;
            i += n;
        }
        Ok(())
    }

    /// Run, on the line `start..end`, the regexes of the patterns whose literals it holds.
    fn match_line(
        &self,
        hay: &[u8],
        start: usize,
        end: usize,
        scratch: &mut LineScratch,
        out: &mut Vec<(usize, u32)>,
    ) -> Result<(), usize> {
        let Some(ac) = self.ac() else {
            // No automaton could be built: the literals one by one, on this line.
            let line = hay[start..end].to_ascii_lowercase();
            let on_line = self.literals.iter().enumerate().filter(|(_, l)| memchr::memmem::find(&line, l).is_some()).map(|(j, _)| j);
            return self.try_patterns(hay, start, end, on_line.collect::<Vec<_>>().into_iter(), scratch, out);
        };
        let on_line = ac.find_overlapping_iter(aho_corasick::Input::new(hay).span(start..end)).map(|m| m.pattern().as_usize());
        self.try_patterns(hay, start, end, on_line, scratch, out)
    }

    /// Run, on the line `start..end`, the regexes of the patterns that own the literals
    /// found there (`literals`, indexes into `self.literals`).
    fn try_patterns(
        &self,
        hay: &[u8],
        start: usize,
        end: usize,
        literals: impl Iterator<Item = usize>,
        scratch: &mut LineScratch,
        out: &mut Vec<(usize, u32)>,
    ) -> Result<(), usize> {
        scratch.line = scratch.line.wrapping_add(1);
        if scratch.line == u32::MAX {
            // Marks from 2^32 candidate lines ago could be taken for this line's.
            scratch.seen.fill(u32::MAX);
            scratch.line = 0;
        }
        let line_no = scratch.line;
        // Every pattern that may match the line.
        scratch.tried.clear();
        for j in literals {
            for &k in &self.owners[j] {
                if scratch.seen[k as usize] != line_no {
                    scratch.seen[k as usize] = line_no;
                    scratch.tried.push(k);
                }
            }
        }
        scratch.tried.sort_unstable();
        for &k in &scratch.tried {
            let k = k as usize;
            let Some(confirm) = self.confirm(k) else {
                return Err(self.ids[k] as usize);
            };
            let cache = scratch.caches[k].get_or_insert_with(|| confirm.first.create_cache());
            let line = Input::new(hay).range(start..end).earliest(true);
            if confirm.first.search_half_with(cache, &line).is_some() && confirm.exact.as_ref().is_none_or(|exact| exact.search_half(&line).is_some()) {
                out.push((start, self.ids[k]));
            }
        }
        Ok(())
    }
}

/// Per-thread state of a [`Prefilter`] search.
pub struct Scratch {
    /// The lines the literal DFA's walks found, per walk.
    walks: Found,
    /// The chunk lowercased, and (line start, literal) found in it, when searched without
    /// the automaton.
    lowered: Vec<u8>,
    found: Vec<(usize, u32)>,
    lines: LineScratch,
}

/// Per-thread state of the per-line pattern checks.
struct LineScratch {
    caches: Vec<Option<Cache>>,
    /// Per filtered pattern, the candidate line (a count over every search with this
    /// scratch) it was last tried on.
    seen: Vec<u32>,
    line: u32,
    tried: Vec<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::parse;

    fn lits(src: &str) -> Option<Vec<String>> {
        required_literals(parse(src).unwrap().hir()).map(|s| {
            s.into_iter()
                .map(|l| String::from_utf8(l).unwrap())
                .collect()
        })
    }

    #[test]
    fn required_literals_of_common_shapes() {
        assert_eq!(
            lits("(?i)out of memory"),
            Some(vec!["out of memory".into()])
        );
        assert_eq!(lits(r"\bsegfault(ed)?\b"), Some(vec!["segfault".into()]));
        // Three letters are no filter: `oom` is in "room" and "zoom", `gpu` in every line of
        // a host named gpu-node-3.
        assert_eq!(lits("(?i:out of memory)|OOM"), None);
        assert_eq!(
            lits("(?i:out of memory)|OOMKilled"),
            Some(vec!["oomkilled".into(), "out of memory".into()])
        );
        // An optional part keeps the run exact (`segfault(ed)?` above: a literal holding another
        // is dropped).
        assert_eq!(
            lits(r"(?i)\bconfig(?:uration)? file\b[^\n]*\bunknown\b"),
            Some(vec!["config file".into(), "configuration file".into()])
        );
        assert_eq!(
            lits(r"\bunable to load (?:the )?config"),
            Some(vec!["unable to load config".into(), "unable to load the confi".into()])
        );
        // Of two required literals the longer: `systemd[` is on every line systemd writes.
        assert_eq!(
            lits(r"systemd\[\d+\]: Failed to start\b"),
            Some(vec!["]: failed to start".into()])
        );
        assert_eq!(
            lits(r"\w*Error: .*deadline exceeded"),
            Some(vec!["deadline exceeded".into()])
        );
        // A word ordinary lines use all the time is no filter: another literal is preferred,
        // and with none the pattern is left to the engine.
        assert_eq!(
            lits(r"(?:Cuda|Nccl)\w*Error"),
            Some(vec!["cuda".into(), "nccl".into()])
        );
        assert_eq!(lits(r"(?:Cuda|GPU)\w*Error"), None);
        assert_eq!(lits(r"\bfail(ed)?\b"), None);
        assert_eq!(
            lits(r"CUDA (error|failure)"),
            Some(vec!["cuda error".into(), "cuda failure".into()])
        );
        assert_eq!(lits(r"ab{2}c"), Some(vec!["abbc".into()]));
        // Nothing long enough is required: left to the engine.
        assert_eq!(lits(r"[0-9]{3,}x"), None);
        assert_eq!(lits(r"\w+"), None);
        assert_eq!(lits(r"a.*b"), None);
        assert_eq!(lits(r"x|longer"), None);
        // A structured log's field name is on every line of that log: no filter alone.
        assert_eq!(lits(r#""level":[5-9]\d"#), None);
        assert_eq!(lits(r#"level":\s*"?[5-9]"#), None);
        assert_eq!(lits(r#""PRIORITY":"[0-3]""#), Some(vec![r#""priority":"0""#.into(), r#""priority":"1""#.into(), r#""priority":"2""#.into(), r#""priority":"3""#.into()]));
        assert_eq!(lits(r#""level":"fatal""#), Some(vec![r#""level":"fatal""#.into()]));
    }

    fn plan(src: &str) -> (Option<Vec<String>>, bool) {
        let plan = literal_plan(parse(src).unwrap().hir());
        (plan.literals.map(|s| s.into_iter().map(|l| String::from_utf8(l).unwrap()).collect()), plan.split)
    }

    /// A pattern with literals of its own keeps them; one without is served by branch: the
    /// union of its branches' literals, split when a branch has none (a prefix the parser
    /// lifted out of the branches, or a capture group around them, changes nothing).
    #[test]
    fn literal_plans_split_patterns_by_top_level_branch() {
        assert_eq!(plan(r"(?i)out of memory|oomkilled"), (Some(vec!["oomkilled".into(), "out of memory".into()]), false));
        assert_eq!(plan(r"(?i:\binput/output error\b)|\bEIO\b"), (Some(vec!["input/output error".into()]), true));
        assert_eq!(plan(r"\bEIO\b|\bdisk failure\b"), (Some(vec!["disk failure".into()]), true));
        assert_eq!(plan(r"(\bEIO\b|\bdisk failure\b)"), (Some(vec!["disk failure".into()]), true));
        assert_eq!(plan(r"\b(?:EIO|disk failure)\b"), (Some(vec!["disk failure".into()]), true));
        // Every branch has literals, more of them together than one set may hold.
        let many: Vec<String> = (0..70).map(|i| format!("failure number {i:02}")).collect();
        let (set, split) = plan(&many.join("|"));
        assert_eq!((set.map(|s| s.len()), split), (Some(70), false));
        // No branch has literals; one branch only.
        assert_eq!(plan(r"\bEIO\b|\bOOM\b"), (None, false));
        assert_eq!(plan(r"\w+ failed"), (None, false));
    }

    /// A split pattern is reported under its own id, once per line, whichever of its
    /// branches match there: a branch without literals on a line holding no other branch's
    /// literal, branches of both kinds on one line, in small and large chunks; and the
    /// engine searches only the branches without literals.
    #[test]
    fn a_split_pattern_reports_its_own_id_once_per_line() {
        use crate::engine::{Database, EngineChoice};
        let sources = [r"(?i)out of memory", r"\bEIO\b|(?i:\binput/output error\b)|\[Errno 5\]", r"\bfail(ed)?\b"];
        let patterns: Vec<_> = sources.iter().map(|s| parse(s).unwrap()).collect();
        let db = Database::compile_with(patterns.clone(), EngineChoice::Regex, true).unwrap();
        assert_eq!(db.prefiltered(), &[0, 1]);
        assert_eq!(db.rest, vec![1, 2], "the split pattern's branch without literals is the engine's");
        let lines = "read: EIO\n\
                     Input/output error\n\
                     EIO: input/output error [Errno 5]\n\
                     nothing here\n\
                     job failed: EIO after out of memory\n\
                     EIOS is no error\n";
        let want = vec![(0, 1), (1, 1), (2, 1), (4, 0), (4, 1), (4, 2)];
        let mut searcher = db.searcher().unwrap();
        for hay in [lines.to_string(), lines.repeat(FINDER_FROM_BYTES / lines.len() + 1)] {
            let mut got = Vec::new();
            searcher
                .search(hay.as_bytes(), &mut |p, at| got.push((hay.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count(), p)))
                .unwrap();
            let per_copy = |got: &[(usize, u32)]| got.iter().filter(|(line, _)| *line < 6).copied().collect::<Vec<_>>();
            assert_eq!(per_copy(&got), want, "once per line, in order");
            assert_eq!(got.len(), want.len() * (hay.len() / lines.len()));
        }
    }

    /// The regex engine with and without the prefilter finds the same (pattern, line)
    /// pairs, in small chunks (one Aho-Corasick walk) and large ones (the DFA walks): with
    /// literals that overlap on a line (a longer one starting before a shorter one ends),
    /// patterns sharing literals, and one searcher reused across haystacks.
    #[test]
    fn prefiltered_search_agrees_with_the_engine_alone() {
        use crate::engine::{Database, EngineChoice};
        let sources = [
            r"(?i)out of memory",
            r"\bmemory(Error)?\b",
            r"CUDA (error|failure): .*device",
            r"(?:Cuda|GPU)\w*Error",
            r"ory e",
            r"f me",
            r"^Traceback \(most recent call last\):$",
            r"[0-9]{3,}x",
            r"device-side assert",
        ];
        let patterns: Vec<_> = sources.iter().map(|s| parse(s).unwrap()).collect();
        let on = Database::compile_with(patterns.clone(), EngineChoice::Regex, true).unwrap();
        let off = Database::compile_with(patterns, EngineChoice::Regex, false).unwrap();
        assert!(on.prefiltered().len() >= 5, "{:?}", on.prefiltered());
        assert!(off.prefiltered().is_empty());
        let frags = [
            "Out of MEMORY",
            "memory error",
            "CUDA error: ",
            "device-side assert",
            "GPUMemoryError",
            "CUDA failure: no device",
            "Traceback (most recent call last):",
            "1234x",
            "ory e",
            " ",
            "\n",
            "\n",
            "\r\n",
            "memoryError",
        ];
        let (mut s_on, mut s_off) = (on.searcher().unwrap(), off.searcher().unwrap());
        let (mut without, mut with) = (0, 0);
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        for round in 0..400 {
            let mut hay = crate::engine::test_haystack::of_fragments(&mut x, &frags, round % 50);
            // The first haystacks are searched without the Aho-Corasick automaton, until they
            // add up to WITHOUT_AUTOMATON_BYTES; later, every 8th is past the size where the
            // DFA walks find the candidate lines.
            if round >= 200 && round % 8 == 1 && !hay.is_empty() {
                hay = hay.repeat(FINDER_FROM_BYTES / hay.len() + 1);
            }
            let lines = |searcher: &mut crate::engine::Searcher<'_>| {
                let mut got = Vec::new();
                searcher
                    .search(hay.as_bytes(), &mut |p, at| {
                        let line = hay.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count();
                        if got.last() != Some(&(line, p)) {
                            got.push((line, p));
                        }
                    })
                    .unwrap();
                got.sort_unstable();
                got.dedup();
                got
            };
            let built = on.prefilter.as_ref().unwrap().ac.get().is_some();
            let got = lines(&mut s_on);
            assert_eq!(got, lines(&mut s_off), "hay {hay:?}");
            if !got.is_empty() {
                if built { with += 1 } else { without += 1 }
            }
        }
        assert!(without > 20 && with > 20, "searched with matches: {without} without the automaton, {with} with it");
    }

    #[test]
    fn any_required_literals_keeps_short_and_common_ones() {
        let any = |src: &str| any_required_literals(parse(src).unwrap().hir()).map(|s| s.into_iter().map(|l| String::from_utf8(l).unwrap()).collect::<Vec<_>>());
        // What the filter gives up on (too short to reject lines) is still required.
        assert_eq!(lits("(?i:out of memory)|OOM"), None);
        assert_eq!(any("(?i:out of memory)|OOM"), Some(vec!["oom".into(), "out of memory".into()]));
        assert_eq!(any(r"\bEIO\b"), Some(vec!["eio".into()]));
        // Wide classes and a branch without text require nothing at all.
        assert_eq!(any(r"[a-z]{3}\d"), None);
        assert_eq!(any(r"timed out|\d+"), None);
    }
}
