//! Prints a line-safe HIR (see `pattern.rs`) as Hyperscan pattern text.
//!
//! Both engines must compile the *same* pattern, so Hyperscan never sees the user's text:
//! it sees this byte-oriented rendering of the HIR that the Rust engine compiles. Every
//! literal and class byte is written as `\xNN` (no escaping rules to get wrong), groups are
//! non-capturing, and Unicode classes become alternations of UTF-8 byte sequences, so the
//! pattern is compiled without HS_FLAG_UTF8/UCP and matches bytes exactly like the Rust
//! engine does. Anything this printer cannot express faithfully is reported as
//! [`Unsupported`] and served by the Rust engine instead.

use std::fmt::Write;

use regex_syntax::hir::{Class, Hir, HirKind, Look};
use regex_syntax::utf8::Utf8Sequences;

/// What a pattern becomes for Hyperscan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Printed {
    /// Hyperscan text, to be compiled with HS_FLAG_MULTILINE.
    Expr(String),
    /// The pattern can never match (e.g. it needs a `\n` inside a line): nothing to compile.
    Never,
}

/// Why a pattern cannot be handed to Hyperscan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub String);

pub fn print(hir: &Hir) -> Result<Printed, Unsupported> {
    match node(hir)? {
        None => Ok(Printed::Never),
        // Cannot happen for parsed patterns (they never match empty), but an empty
        // expression would mean "match everywhere": leave such a thing to the Rust engine.
        Some(s) if s.is_empty() => Err(Unsupported("empty expression".into())),
        Some(s) => Ok(Printed::Expr(s)),
    }
}

/// `Ok(None)`: this part can never match, so neither can anything that requires it.
fn node(hir: &Hir) -> Result<Option<String>, Unsupported> {
    Ok(match hir.kind() {
        HirKind::Empty => Some(String::new()),
        HirKind::Literal(lit) => {
            let mut s = String::with_capacity(lit.0.len() * 4);
            for &b in lit.0.iter() {
                byte(&mut s, b);
            }
            Some(s)
        }
        HirKind::Class(Class::Bytes(cls)) => {
            let ranges: Vec<(u8, u8)> = cls.iter().map(|r| (r.start(), r.end())).collect();
            byte_class(&ranges)
        }
        HirKind::Class(Class::Unicode(cls)) => {
            // Each UTF-8 sequence is a run of byte ranges; the class is their alternation.
            let mut alts = Vec::new();
            for range in cls.iter() {
                for seq in Utf8Sequences::new(range.start(), range.end()) {
                    let mut s = String::new();
                    for r in seq.as_slice() {
                        s.push_str(&byte_class(&[(r.start, r.end)]).expect("a UTF-8 range is never empty"));
                    }
                    alts.push(s);
                }
            }
            match alts.len() {
                0 => None,
                1 => alts.pop(),
                _ => Some(format!("(?:{})", alts.join("|"))),
            }
        }
        HirKind::Look(look) => Some(
            match look {
                // With HS_FLAG_MULTILINE these are exactly the line anchors.
                Look::StartLF => "^",
                Look::EndLF => "$",
                Look::Start => "\\A",
                Look::End => "\\z",
                // Without HS_FLAG_UCP, Hyperscan's word characters are ASCII [0-9A-Za-z_],
                // the same as the Rust engine's `(?-u)\b`.
                Look::WordAscii => "\\b",
                Look::WordAsciiNegate => "\\B",
                other => return Err(Unsupported(format!("assertion {other:?} has no Hyperscan equivalent"))),
            }
            .to_string(),
        ),
        HirKind::Repetition(rep) => {
            let Some(sub) = node(&rep.sub)? else {
                return Ok(if rep.min == 0 { Some(String::new()) } else { None });
            };
            if sub.is_empty() || rep.max == Some(0) {
                return Ok(Some(String::new()));
            }
            // Greediness is not printed: whether a line contains a match does not depend on
            // it, and Hyperscan reports every match end anyway.
            let quant = match (rep.min, rep.max) {
                (0, None) => "*".to_string(),
                (1, None) => "+".to_string(),
                (0, Some(1)) => "?".to_string(),
                (m, None) => format!("{{{m},}}"),
                (m, Some(n)) if m == n => format!("{{{m}}}"),
                (m, Some(n)) => format!("{{{m},{n}}}"),
            };
            Some(format!("(?:{sub}){quant}"))
        }
        HirKind::Capture(cap) => node(&cap.sub)?.map(|s| if s.is_empty() { s } else { format!("(?:{s})") }),
        HirKind::Concat(subs) => {
            let mut out = String::new();
            for sub in subs {
                match node(sub)? {
                    Some(s) => out.push_str(&s),
                    None => return Ok(None),
                }
            }
            Some(out)
        }
        HirKind::Alternation(subs) => {
            let mut alts = Vec::new();
            for sub in subs {
                if let Some(s) = node(sub)? {
                    alts.push(s);
                }
            }
            match alts.len() {
                0 => None,
                1 => alts.pop(),
                // An empty branch is legal PCRE syntax (`(?:a|)`), which Hyperscan accepts.
                _ => Some(format!("(?:{})", alts.join("|"))),
            }
        }
    })
}

fn byte(out: &mut String, b: u8) {
    let _ = write!(out, "\\x{b:02x}");
}

/// A bracket expression for inclusive byte ranges, or `None` when there are none.
fn byte_class(ranges: &[(u8, u8)]) -> Option<String> {
    match ranges {
        [] => None,
        [(a, b)] if a == b => {
            let mut s = String::new();
            byte(&mut s, *a);
            Some(s)
        }
        _ => {
            let mut s = String::from("[");
            for &(a, b) in ranges {
                byte(&mut s, a);
                if b != a {
                    s.push('-');
                    byte(&mut s, b);
                }
            }
            s.push(']');
            Some(s)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::parse;

    fn printed(src: &str) -> Result<Printed, Unsupported> {
        print(parse(src).unwrap().hir())
    }

    fn expr(src: &str) -> String {
        match printed(src) {
            Ok(Printed::Expr(s)) => s,
            other => panic!("{src:?}: {other:?}"),
        }
    }

    #[test]
    fn literals_are_hex_bytes() {
        assert_eq!(expr("a.b"), "\\x61[\\x00-\\x09\\x0b-\\xff]\\x62");
        assert_eq!(expr("\\(x\\)"), "\\x28\\x78\\x29");
    }

    #[test]
    fn anchors_and_crlf() {
        assert_eq!(expr("^ab$"), "^\\x61\\x62(?:\\x0d)?$");
    }

    #[test]
    fn negated_class_never_contains_newline() {
        assert_eq!(expr("[^x]+"), "(?:[\\x00-\\x09\\x0b-\\x77\\x79-\\xff])+");
    }

    #[test]
    fn repetitions() {
        assert_eq!(expr("ab{2,5}"), "\\x61(?:\\x62){2,5}");
        assert_eq!(expr("ab{3}"), "\\x61(?:\\x62){3}");
        assert_eq!(expr("ab{3,}?"), "\\x61(?:\\x62){3,}");
    }

    #[test]
    fn unicode_classes_become_utf8_sequences() {
        // U+00E9 is C3 A9; with (?i) it also matches U+00C9 (C3 89).
        assert_eq!(expr("(?ui)é"), "(?:\\xc3\\x89|\\xc3\\xa9)");
        assert!(expr("(?u)\\w+").contains("\\xe4"));
    }

    #[test]
    fn a_literal_newline_never_matches() {
        assert_eq!(printed("a\\nb"), Ok(Printed::Never));
        assert_eq!(expr("x|a\\nb"), "\\x78");
    }

    #[test]
    fn unicode_word_boundary_is_unsupported() {
        assert!(printed("(?u)\\bfoo").is_err());
        assert!(printed("\\b{start}foo").is_err());
        assert_eq!(expr("\\bfoo\\B"), "\\b\\x66\\x6f\\x6f\\B");
    }
}
