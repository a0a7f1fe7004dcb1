//! Counted repeats for the pure-Rust engine: searched unbounded, confirmed as written.
//!
//! A bounded repeat (`[\w.:/-]{1,60} `) lets Hyperscan start from the rare text after it,
//! but a lazy DFA has to count: each position inside the repeat is a state of its own, so
//! its states multiply and the walk over ordinary lines slows. The pure-Rust engine
//! therefore searches with every such repeat widened to unbounded (`{1,}`), whose matches
//! include all of the written pattern's, and runs the pattern as written only on the lines
//! the widened one matched: the answers are the written pattern's, in both engines.

use regex_syntax::hir::{Hir, HirKind, Repetition};

/// `hir` with every repeat that has an upper bound above its lower one and above 1
/// (`{1,60}`, `{0,4}`, not `?` or `{4}`) made unbounded; `None` when it has none.
pub fn widened(hir: &Hir) -> Option<Hir> {
    fn go(hir: &Hir, changed: &mut bool) -> Hir {
        match hir.kind() {
            HirKind::Repetition(r) => {
                let max = match r.max {
                    Some(m) if m > r.min && m > 1 => {
                        *changed = true;
                        None
                    }
                    m => m,
                };
                Hir::repetition(Repetition { min: r.min, max, greedy: r.greedy, sub: Box::new(go(&r.sub, changed)) })
            }
            HirKind::Capture(c) => {
                let mut c = c.clone();
                c.sub = Box::new(go(&c.sub, changed));
                Hir::capture(c)
            }
            HirKind::Concat(hs) => Hir::concat(hs.iter().map(|h| go(h, changed)).collect()),
            HirKind::Alternation(hs) => Hir::alternation(hs.iter().map(|h| go(h, changed)).collect()),
            _ => hir.clone(),
        }
    }
    let mut changed = false;
    let wide = go(hir, &mut changed);
    changed.then_some(wide)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::parse;

    fn wide(src: &str) -> Option<String> {
        widened(parse(src).unwrap().hir()).map(|h| h.to_string())
    }

    #[test]
    fn only_ranges_of_counts_widen() {
        assert_eq!(wide(r"a{1,60} b"), Some(parse(r"a+ b").unwrap().hir().to_string()));
        assert!(wide(r"(?:the |a ){0,4}lock").is_some());
        assert!(wide(r"x\d{1,10} y").is_some());
        // Nothing to widen: optional parts, exact counts, unbounded repeats.
        assert_eq!(wide(r"ab?c"), None);
        assert_eq!(wide(r"[0-9a-f]{4}"), None);
        assert_eq!(wide(r"a+b*c{2,}"), None);
    }

    /// The widened pattern matches every line the written one does (it is only ever a
    /// first pass), and a line that holds a repeat past its bound only in the widened one.
    #[test]
    fn the_widened_pattern_matches_a_superset() {
        let src = r"(?i:\b(?:task|job) (?:[\w.:/-]{1,60} )?(?:has )?timed out\b)";
        let exact = regex_automata::meta::Regex::builder().build_from_hir(parse(src).unwrap().hir()).unwrap();
        let wide = regex_automata::meta::Regex::builder().build_from_hir(&widened(parse(src).unwrap().hir()).unwrap()).unwrap();
        let long = format!("job {} timed out", "x".repeat(61));
        for line in ["job build-7 timed out", "Task has timed out", "job  timed out", "the job was fine", long.as_str()] {
            assert!(!exact.is_match(line.as_bytes()) || wide.is_match(line.as_bytes()), "{line}");
        }
        assert!(!exact.is_match(long.as_bytes()) && wide.is_match(long.as_bytes()));
    }
}
