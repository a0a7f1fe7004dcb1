//! Finds the lines of a chunk that hold any of the prefilter's literals: one Aho-Corasick
//! DFA over all of them, built once (~70 ms for a catalog's ~2,800 literals) and shared by
//! every thread, walked in [`WALKS`] interleaved walks.
//!
//! A lazy DFA would walk as fast once warm, but each thread builds its own states, and on
//! a large log that building was an eighth of the pure-Rust engine's CPU (measured: its
//! first 30 MB took 0.41 s against 0.045 s warm). A DFA step is a load that depends on the
//! previous one, so one walk runs at load latency; the chunk is cut at line starts into
//! segments walked in lockstep, whose loads overlap.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind, StartKind};

/// Walks interleaved by one thread. This DFA is larger than the lazy DFAs' warm states, so
/// its loads miss cache more and more walks pay (measured, 1 GiB scan CPU on one thread,
/// medians of 5 rounds: 4 walks 3.14 s, 6 2.67 s, 8 2.57 s; 12, two rounds, 2.58–2.91 s).
pub const WALKS: usize = 8;

pub struct LiteralLines {
    dfa: DFA,
    start: StateID,
}

/// Per walk, the lines (start, end without its '\n') found in its segment, in order.
pub type Found = [Vec<(usize, usize)>; WALKS];

impl LiteralLines {
    /// Over `literals` (lowercase, none holding '\n'), compared ASCII-caselessly; `None`
    /// when the DFA cannot be built (the caller searches another way).
    pub fn build(literals: &[Vec<u8>]) -> Option<LiteralLines> {
        let dfa = DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .start_kind(StartKind::Unanchored)
            .prefilter(false)
            .build(literals)
            .ok()?;
        let start = dfa.start_state(Anchored::No).ok()?;
        Some(LiteralLines { dfa, start })
    }

    /// Fill `found` with the lines of `hay` that hold a literal; the walks' segments follow
    /// each other, so `found` flattened is in line order.
    pub fn find(&self, hay: &[u8], found: &mut Found) {
        for f in found.iter_mut() {
            f.clear();
        }
        // Segments of about equal size, cut at line starts: no literal spans a line, so a
        // walk can start cleanly at each.
        let mut bounds = [0; WALKS + 1];
        cut_at_lines(hay, &mut bounds);
        let mut pos: [usize; WALKS] = std::array::from_fn(|s| bounds[s]);
        let mut state = [self.start; WALKS];
        // In lockstep while every walk has bytes left.
        loop {
            let steps = (0..WALKS).map(|s| bounds[s + 1] - pos[s]).min().unwrap_or(0);
            if steps == 0 {
                break;
            }
            let mut matched = false;
            for _ in 0..steps {
                for s in 0..WALKS {
                    // SAFETY: `pos[s] < bounds[s + 1] <= hay.len()` for each of the `steps`
                    // steps (the loop stops at the first match).
                    let byte = unsafe { *hay.get_unchecked(pos[s]) };
                    state[s] = self.dfa.next_state(Anchored::No, state[s], byte);
                    pos[s] += 1;
                    matched |= self.dfa.is_match(state[s]);
                }
                if matched {
                    break;
                }
            }
            if matched {
                for s in 0..WALKS {
                    if self.dfa.is_match(state[s]) {
                        pos[s] = take_line(hay, bounds[s], bounds[s + 1], pos[s] - 1, &mut found[s]);
                        state[s] = self.start;
                    }
                }
            }
        }
        // The remainders one by one.
        for s in 0..WALKS {
            while pos[s] < bounds[s + 1] {
                state[s] = self.dfa.next_state(Anchored::No, state[s], hay[pos[s]]);
                pos[s] += 1;
                if self.dfa.is_match(state[s]) {
                    pos[s] = take_line(hay, bounds[s], bounds[s + 1], pos[s] - 1, &mut found[s]);
                    state[s] = self.start;
                }
            }
        }
    }
}

/// Record the line of segment `from..to` that holds byte `at` (the last byte of a literal);
/// return where the walk goes on: the next line's start.
fn take_line(hay: &[u8], from: usize, to: usize, at: usize, found: &mut Vec<(usize, usize)>) -> usize {
    let (start, end) = line_around(&hay[..to], from, at);
    found.push((start, end));
    (end + 1).min(to)
}

/// The line that holds byte `at`, as (start, end without its '\n'); it starts at or after `from`.
pub(super) fn line_around(hay: &[u8], from: usize, at: usize) -> (usize, usize) {
    let start = memchr::memrchr(b'\n', &hay[from..at]).map_or(from, |i| from + i + 1);
    let end = memchr::memchr(b'\n', &hay[at..]).map_or(hay.len(), |i| at + i);
    (start, end)
}

/// Cut `hay` into `bounds.len() - 1` segments of about equal size at line starts (segment `s`
/// is `bounds[s]..bounds[s + 1]`), so that each parallel walk starts cleanly on a line.
pub(super) fn cut_at_lines(hay: &[u8], bounds: &mut [usize]) {
    let segments = bounds.len() - 1;
    bounds[0] = 0;
    bounds[segments] = hay.len();
    for s in 1..segments {
        let want = (hay.len() * s / segments).max(bounds[s - 1]);
        bounds[s] = next_line_start(hay, want);
    }
}

/// The first line start at or after `at`.
fn next_line_start(hay: &[u8], at: usize) -> usize {
    if at == 0 || at >= hay.len() {
        return at.min(hay.len());
    }
    memchr::memchr(b'\n', &hay[at - 1..]).map_or(hay.len(), |i| at + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The walks find exactly the lines a plain per-line check finds, in order: literals at
    /// line starts and ends, several on a line, on the segment edges, a last line with no
    /// '\n', and chunks with fewer lines than walks.
    #[test]
    fn finds_the_lines_holding_a_literal() {
        let literals: Vec<Vec<u8>> = ["out of memory", "cuda error", "oom-kill", "ory e"].iter().map(|l| l.as_bytes().to_vec()).collect();
        let finder = LiteralLines::build(&literals).unwrap();
        let frags = ["Out of MEMORY", "cuda ERROR", "oom-kill", "x", " ", "\n", "\n", "\n", "memory e", "\r\n", "cuda"];
        let mut found: Found = Default::default();
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for round in 0..500 {
            let hay = crate::engine::test_haystack::of_fragments(&mut x, &frags, round % 90);
            let mut want = Vec::new();
            let mut start = 0;
            for line in hay.split('\n') {
                let lower = line.to_ascii_lowercase();
                if literals.iter().any(|l| lower.contains(std::str::from_utf8(l).unwrap())) {
                    want.push((start, start + line.len()));
                }
                start += line.len() + 1;
            }
            finder.find(hay.as_bytes(), &mut found);
            let got: Vec<(usize, usize)> = found.iter().flatten().copied().collect();
            assert_eq!(got, want, "hay {hay:?}");
        }
    }
}
