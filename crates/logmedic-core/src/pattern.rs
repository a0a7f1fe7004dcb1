//! User patterns, parsed once into a line-safe HIR that every engine compiles.
//!
//! logmedic matches line by line (like grep) but scans whole chunks at once for speed.
//! So that a match can never run across a line break, every pattern is rewritten before
//! any engine sees it: classes lose `\n`, and `$` also accepts a `\r` before the line end
//! (CRLF logs). Both engines compile this same HIR, so their answers agree by construction.

use std::sync::OnceLock;

use regex_syntax::hir::{Class, ClassBytesRange, Hir, HirKind, Look, Repetition};
use regex_syntax::ParserBuilder;

use crate::error::{Error, ErrorCode, Result};

/// One pattern: the text the user gave and its line-safe HIR.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub source: String,
    hir: OnceLock<Hir>,
}

impl Pattern {
    /// A pattern known to parse (this build of logmedic parsed it before: the compiled
    /// catalog cache says so), parsed only when something needs its HIR. A large catalog
    /// takes tens of milliseconds to parse, and a small log needs few of its HIRs.
    pub fn known_valid(source: &str) -> Pattern {
        Pattern { source: source.to_string(), hir: OnceLock::new() }
    }

    /// The line-safe HIR.
    pub fn hir(&self) -> &Hir {
        self.hir.get_or_init(|| {
            // Only `known_valid` leaves the HIR unset, for a source that parsed before.
            parse_hir(&self.source).expect("a pattern from the compiled catalog cache parses")
        })
    }
}

/// Parse one pattern. Syntax is Rust `regex` syntax (Perl-like, inline flags such as
/// `(?i)`), byte-oriented: `\w`, `\d` and `(?i)` are ASCII unless `(?u)` asks for Unicode.
/// `^` and `$` match at line boundaries.
pub fn parse(source: &str) -> Result<Pattern> {
    let hir = parse_hir(source)?;
    Ok(Pattern { source: source.to_string(), hir: OnceLock::from(hir) })
}

fn parse_hir(source: &str) -> Result<Hir> {
    let hir = ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .multi_line(true)
        .build()
        .parse(source)
        .map_err(|e| {
            let detail = e.to_string();
            // regex-syntax errors are multi-line (with a caret); keep the last line, the reason.
            let reason = detail.lines().filter(|l| !l.trim().is_empty()).last().unwrap_or("invalid").trim();
            let reason = reason.trim_start_matches("error:").trim();
            Error::new(ErrorCode::Pattern, format!("invalid pattern {source:?}: {reason}"))
        })?;
    let hir = line_safe(hir);
    if matches_empty(&hir) {
        return Err(Error::new(
            ErrorCode::Pattern,
            format!("invalid pattern {source:?}: it matches the empty string, so it would match every line"),
        ));
    }
    Ok(hir)
}

pub fn parse_all<S: AsRef<str>>(sources: &[S]) -> Result<Vec<Pattern>> {
    if sources.is_empty() {
        return Err(Error::new(ErrorCode::InvalidArgument, "no patterns given"));
    }
    sources.iter().map(|s| parse(s.as_ref())).collect()
}

fn matches_empty(hir: &Hir) -> bool {
    hir.properties().minimum_len() == Some(0)
}

/// Rewrite a HIR so that it can never match a `\n`, and so that `$` tolerates CRLF.
fn line_safe(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(lit) => {
            if lit.0.contains(&b'\n') {
                // A literal newline can never occur inside a line: this part never matches.
                Hir::fail()
            } else {
                Hir::literal(lit.0)
            }
        }
        HirKind::Class(Class::Unicode(mut cls)) => {
            let nl = regex_syntax::hir::ClassUnicode::new([regex_syntax::hir::ClassUnicodeRange::new('\n', '\n')]);
            cls.difference(&nl);
            Hir::class(Class::Unicode(cls))
        }
        HirKind::Class(Class::Bytes(mut cls)) => {
            let nl = regex_syntax::hir::ClassBytes::new([ClassBytesRange::new(b'\n', b'\n')]);
            cls.difference(&nl);
            Hir::class(Class::Bytes(cls))
        }
        HirKind::Look(Look::EndLF) | HirKind::Look(Look::End) | HirKind::Look(Look::EndCRLF) => {
            // `$` → `\r?$`: a CRLF line ends before its `\r` as far as the user is concerned.
            Hir::concat(vec![
                Hir::repetition(Repetition { min: 0, max: Some(1), greedy: true, sub: Box::new(Hir::literal(*b"\r")) }),
                Hir::look(Look::EndLF),
            ])
        }
        HirKind::Look(Look::Start) | HirKind::Look(Look::StartCRLF) => Hir::look(Look::StartLF),
        HirKind::Look(look) => Hir::look(look),
        HirKind::Repetition(rep) => {
            let sub = line_safe(*rep.sub);
            if never_matches(&sub) {
                // e.g. `(\n)*`: only the empty repetition is left.
                return if rep.min == 0 { Hir::empty() } else { Hir::fail() };
            }
            Hir::repetition(Repetition { sub: Box::new(sub), ..rep })
        }
        HirKind::Capture(cap) => line_safe(*cap.sub),
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(line_safe).collect()),
        // Branches that can never match are dropped: regex-syntax reports no minimum length
        // for an alternation with such a branch, which would hide that `a*|\n` matches empty.
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.into_iter().map(line_safe).filter(|h| !never_matches(h)).collect())
        }
    }
}

/// True for a (rewritten) HIR that matches nothing, such as one that needs a `\n`.
fn never_matches(hir: &Hir) -> bool {
    hir.properties().minimum_len().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_pattern_names_itself() {
        let err = parse("Out of (memory").unwrap_err();
        assert_eq!(err.code, ErrorCode::Pattern);
        assert!(err.message.contains("Out of (memory"), "{}", err.message);
    }

    #[test]
    fn empty_matching_pattern_is_rejected() {
        assert_eq!(parse("a*").unwrap_err().code, ErrorCode::Pattern);
        assert!(parse("a+").is_ok());
    }

    #[test]
    fn a_newline_branch_does_not_hide_an_empty_match() {
        assert_eq!(parse("a*|\\n").unwrap_err().code, ErrorCode::Pattern);
        assert_eq!(parse("(x\\n)*").unwrap_err().code, ErrorCode::Pattern);
        assert!(parse("a|\\n").is_ok());
    }

    #[test]
    fn no_patterns_is_an_argument_error() {
        let none: [&str; 0] = [];
        assert_eq!(parse_all(&none).unwrap_err().code, ErrorCode::InvalidArgument);
    }
}
