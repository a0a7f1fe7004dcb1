//! Thompson NFAs as bytes, for the compiled catalog cache: the pure-Rust engine's automata
//! are built from NFAs, and compiling those from the patterns (parsing included) is most of
//! what a short run of that engine costs; rebuilding one from its states is a few times
//! cheaper and needs no pattern parsed.
//!
//! An NFA is written state by state and read back through `thompson::Builder`, which gives
//! every state the id it had (the NFA has no empty states to remove), so the rebuilt NFA is
//! the same automaton. What is read is checked first (every state id, pattern id and look in
//! range), so that damaged bytes are refused rather than built: a cache entry can make the
//! search wrong only by being written for other patterns, which its key rules out.

use regex_automata::nfa::thompson::{Builder, State, Transition, NFA};
use regex_automata::util::look::{Look, LookMatcher};
use regex_automata::util::primitives::{PatternID, StateID};

use super::cache::Reader;

const BYTE_RANGE: u8 = 0;
const SPARSE: u8 = 1;
const LOOK: u8 = 2;
const UNION: u8 = 3;
const BINARY_UNION: u8 = 4;
const FAIL: u8 = 5;
const MATCH: u8 = 6;

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_id(out: &mut Vec<u8>, id: StateID) {
    put_u32(out, id.as_u32());
}

fn put_transition(out: &mut Vec<u8>, t: &Transition) {
    out.push(t.start);
    out.push(t.end);
    put_id(out, t.next);
}

/// Append `nfa` to `out`; `false` (and `out` as it was) for an NFA this format does not
/// hold: one with capture states (the engine builds its NFAs without them).
pub fn encode(nfa: &NFA, out: &mut Vec<u8>) -> bool {
    let mark = out.len();
    out.push(u8::from(nfa.is_utf8()) | (u8::from(nfa.is_reverse()) << 1));
    out.push(nfa.look_matcher().get_line_terminator());
    put_u32(out, nfa.states().len() as u32);
    put_u32(out, nfa.pattern_len() as u32);
    put_id(out, nfa.start_anchored());
    put_id(out, nfa.start_unanchored());
    for pid in nfa.patterns() {
        put_id(out, nfa.start_pattern(pid).expect("a pattern of this NFA"));
    }
    for state in nfa.states() {
        match state {
            State::ByteRange { trans } => {
                out.push(BYTE_RANGE);
                put_transition(out, trans);
            }
            State::Sparse(sparse) => {
                out.push(SPARSE);
                put_u32(out, sparse.transitions.len() as u32);
                for t in sparse.transitions.iter() {
                    put_transition(out, t);
                }
            }
            State::Look { look, next } => {
                out.push(LOOK);
                put_u32(out, look.as_repr());
                put_id(out, *next);
            }
            State::Union { alternates } => {
                out.push(UNION);
                put_u32(out, alternates.len() as u32);
                for &alt in alternates.iter() {
                    put_id(out, alt);
                }
            }
            State::BinaryUnion { alt1, alt2 } => {
                out.push(BINARY_UNION);
                put_id(out, *alt1);
                put_id(out, *alt2);
            }
            State::Fail => out.push(FAIL),
            State::Match { pattern_id } => {
                out.push(MATCH);
                put_u32(out, pattern_id.as_u32());
            }
            State::Dense(_) | State::Capture { .. } => {
                out.truncate(mark);
                return false;
            }
        }
    }
    true
}

/// Read one NFA written by [`encode`]; `None` for anything that is not one.
pub fn decode(r: &mut Reader<'_>) -> Option<NFA> {
    let flags = r.take(1)?[0];
    if flags > 3 {
        return None;
    }
    let line_terminator = r.take(1)?[0];
    let states = r.u32()? as usize;
    let patterns = r.u32()? as usize;
    let id = |r: &mut Reader<'_>| -> Option<StateID> {
        let v = r.u32()? as usize;
        (v < states).then(|| StateID::new(v).ok()).flatten()
    };
    let (start_anchored, start_unanchored) = (id(r)?, id(r)?);
    // Every pattern costs at least four bytes: a count beyond what is left is damage.
    if patterns > r.0.len() / 4 || states > r.0.len() {
        return None;
    }
    let starts = (0..patterns).map(|_| id(r)).collect::<Option<Vec<StateID>>>()?;
    let transition = |r: &mut Reader<'_>| -> Option<Transition> {
        let b = r.take(2)?;
        let (start, end) = (b[0], b[1]);
        (start <= end).then_some(())?;
        Some(Transition { start, end, next: id(r)? })
    };
    let mut b = Builder::new();
    b.set_utf8(flags & 1 != 0);
    b.set_reverse(flags & 2 != 0);
    let mut look_matcher = LookMatcher::new();
    look_matcher.set_line_terminator(line_terminator);
    b.set_look_matcher(look_matcher);
    // Patterns are opened in order as their match states come (the compiler writes them in
    // pattern order); each is closed with its start state.
    let mut opened = 0usize;
    for _ in 0..states {
        match r.take(1)?[0] {
            BYTE_RANGE => b.add_range(transition(r)?).ok()?,
            SPARSE => {
                let n = r.u32()? as usize;
                if n > r.0.len() / 6 {
                    return None;
                }
                let ts = (0..n).map(|_| transition(r)).collect::<Option<Vec<_>>>()?;
                b.add_sparse(ts).ok()?
            }
            LOOK => {
                let look = Look::from_repr(r.u32()?)?;
                let next = id(r)?;
                b.add_look(next, look).ok()?
            }
            UNION => {
                let n = r.u32()? as usize;
                // One or no alternative would be an empty or failing state, which the
                // builder rewrites under another id.
                if n < 3 || n > r.0.len() / 4 {
                    return None;
                }
                let alts = (0..n).map(|_| id(r)).collect::<Option<Vec<_>>>()?;
                b.add_union(alts).ok()?
            }
            BINARY_UNION => {
                let (alt1, alt2) = (id(r)?, id(r)?);
                b.add_union(vec![alt1, alt2]).ok()?
            }
            FAIL => b.add_fail().ok()?,
            MATCH => {
                let pid = r.u32()? as usize;
                if pid >= patterns || pid + 1 < opened {
                    return None;
                }
                while opened <= pid {
                    if opened > 0 {
                        b.finish_pattern(starts[opened - 1]).ok()?;
                    }
                    b.start_pattern().ok()?;
                    opened += 1;
                }
                b.add_match().ok()?
            }
            _ => return None,
        };
    }
    // Patterns with no match state (none such is compiled, but the count says so).
    while opened < patterns {
        if opened > 0 {
            b.finish_pattern(starts[opened - 1]).ok()?;
        }
        b.start_pattern().ok()?;
        opened += 1;
    }
    if opened > 0 {
        b.finish_pattern(starts[opened - 1]).ok()?;
    }
    let nfa = b.build(start_anchored, start_unanchored).ok()?;
    (nfa.states().len() == states && nfa.pattern_len() == patterns && PatternID::new(patterns).is_ok()).then_some(nfa)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::parse_all;
    use regex_automata::nfa::thompson::{Compiler, Config, WhichCaptures};

    fn nfa(sources: &[&str], reverse: bool) -> NFA {
        let patterns = parse_all(sources).unwrap();
        let hirs: Vec<_> = patterns.iter().map(|p| p.hir()).collect();
        Compiler::new()
            .configure(Config::new().which_captures(WhichCaptures::None).reverse(reverse))
            .build_many_from_hir(&hirs)
            .unwrap()
    }

    fn same(a: &NFA, b: &NFA) {
        assert_eq!(a.states(), b.states());
        assert_eq!(a.pattern_len(), b.pattern_len());
        assert_eq!((a.start_anchored(), a.start_unanchored()), (b.start_anchored(), b.start_unanchored()));
        for pid in a.patterns() {
            assert_eq!(a.start_pattern(pid), b.start_pattern(pid));
        }
        assert_eq!((a.is_utf8(), a.is_reverse(), a.look_set_any()), (b.is_utf8(), b.is_reverse(), b.look_set_any()));
        assert_eq!(format!("{:?}", a.byte_classes()), format!("{:?}", b.byte_classes()));
    }

    const SOURCES: &[&str] = &[
        r"(?i)\bout of memory\b",
        r"^E\d{4}",
        r"done\.$",
        r"(?u)\bwörd\b|é+z",
        r"(?i:\b(?:task|job) (?:[\w.:/-]{1,60} )?(?:has )?timed out\b)",
        r"[A-Za-z\d](?:Exception|Error)\b|x|yz",
    ];

    #[test]
    fn an_nfa_reads_back_as_the_same_automaton() {
        for reverse in [false, true] {
            let original = nfa(SOURCES, reverse);
            let mut bytes = vec![7];
            assert!(encode(&original, &mut bytes));
            let mut r = Reader(&bytes[1..]);
            same(&decode(&mut r).unwrap(), &original);
            assert!(r.0.is_empty(), "the whole NFA is read, nothing more");
        }
    }

    #[test]
    fn capture_states_are_not_written() {
        let patterns = parse_all(&["(a)b"]).unwrap();
        let with_captures = Compiler::new().build_from_hir(patterns[0].hir()).unwrap();
        let mut bytes = vec![1, 2];
        assert!(!encode(&with_captures, &mut bytes));
        assert_eq!(bytes, [1, 2]);
    }

    /// Every cut and every single flipped byte of an encoded NFA either reads as an NFA or is
    /// refused; none panics (the cache's checksum catches damage first; this is behind it).
    #[test]
    fn damaged_bytes_are_refused_without_panic() {
        let original = nfa(&SOURCES[..3], false);
        let mut bytes = Vec::new();
        assert!(encode(&original, &mut bytes));
        for cut in 0..bytes.len() {
            assert!(decode(&mut Reader(&bytes[..cut])).is_none(), "cut at {cut}");
        }
        let mut refused = 0;
        for at in 0..bytes.len() {
            for bit in [0x01, 0x10, 0x80] {
                let mut bad = bytes.clone();
                bad[at] ^= bit;
                refused += usize::from(decode(&mut Reader(&bad)).is_none());
            }
        }
        assert!(refused > bytes.len(), "{refused} of {} flips refused", bytes.len() * 3);
    }
}
