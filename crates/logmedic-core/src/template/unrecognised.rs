//! The analysis's "unrecognised" lines: error-level lines that no catalog pattern matched,
//! and lines with no level at all that name a failure ([`names_a_failure`]: a bare
//! `ValueError: …` or `java.lang.IllegalStateException` printed by a script), mined into
//! templates as the chunks are analysed. The catalog scan finds them at no extra
//! pass: one more pattern, [`ERROR_LEVEL_TRIGGER`], rides in the same database and marks the
//! lines that may carry an error level; the header parser then decides each one, and only
//! those no record covers are mined.

use crate::fields;
use crate::record::line_at;

use super::Partial;

/// A superset of the lines whose header [`fields::header`] reads as ERROR, CRITICAL or FATAL:
/// a level word (`error`, `ERR`, `crit`, `FATAL`, `emerg`, `alert`, `panic`, `SEVERE`, any
/// case), glog's `E0517`/`F0517` and logcat's `E/Tag` at the line start, Android's threadtime
/// level letter, pino's numeric level (`"level":50`) and journald's priority
/// (`"PRIORITY":"3"`), and a compound class name ending in `Exception` or `Error` (for
/// [`names_a_failure`]). It only narrows which lines are read: the header parser decides. Each
/// form is a literal or anchored, so the search costs nothing measurable; a bare one-letter
/// `E` anywhere in a line would cost a fifth more CPU time (`analyze_bench mining`).
pub const ERROR_LEVEL_TRIGGER: &str = r#"(?i:\b(?:err|error|crit|critical|fatal|emerg|alert|panic|severe)\b)|"level":[5-9]\d|"PRIORITY":"[0-3]"|^[EF](?:\d{4}|/)|^\d\d-\d\d [\d:.]+ +\d+ +\d+ [EF] |[A-Za-z\d](?:Exception|Error)\b"#;

/// Whether a message that carries no level names a failure: a compound class name ending in
/// `Exception` or `Error` (`NullPointerException`, `ValueError`, `OSError`), or `error:`,
/// `fatal:` or `panic:` as a word (any case). Narrower than "mentions an error": `Failed
/// password for root`, `authentication failure` and `0 errors` are healthy traffic on real
/// servers, and would otherwise fill the section by the thousand.
pub fn names_a_failure(message: &[u8]) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    for suffix in [&b"Exception"[..], b"Error"] {
        for at in memchr::memmem::find_iter(message, suffix) {
            let end = at + suffix.len();
            let compound = at > 0 && message[at - 1].is_ascii_alphanumeric();
            if compound && message.get(end).is_none_or(|&b| !word(b)) {
                return true;
            }
        }
    }
    for at in memchr::memchr_iter(b':', message) {
        let before = &message[..at];
        for status in [&b"error"[..], b"fatal", b"panic"] {
            if before.len() >= status.len() && before[before.len() - status.len()..].eq_ignore_ascii_case(status) {
                let start = before.len() - status.len();
                if start == 0 || !word(message[start - 1]) {
                    return true;
                }
            }
        }
    }
    false
}

/// The most distinct shapes an analysis keeps of its unrecognised lines; lines of further
/// shapes are counted as others.
pub const MAX_SHAPES: usize = 4096;

/// Mine the lines at `candidates` (byte offsets of line starts in `buf`, ascending, with
/// their 0-based line index in the chunk) that lie outside every record (`covered`: the
/// records' byte ranges, ascending), whose header gives an error level (or no level, and the
/// message [names a failure](names_a_failure)) and whose time `admit` accepts, into `into`,
/// numbered from 1 at the chunk's first line.
pub fn mine_uncovered(
    buf: &[u8],
    candidates: &[(usize, u64)],
    covered: &[(usize, usize)],
    year: fields::YearRule,
    admit: impl Fn(Option<&fields::Timestamp>) -> bool,
    into: &mut Partial,
) {
    let (mut key, mut kinds) = (Vec::new(), Vec::new());
    let mut next_record = 0;
    for &(start, index) in candidates {
        while next_record < covered.len() && covered[next_record].1 <= start {
            next_record += 1;
        }
        if covered.get(next_record).is_some_and(|&(from, _)| from <= start) {
            continue;
        }
        let line = line_at(buf, start).0;
        let header = fields::header(line, year);
        let reads_as_error = match header.level {
            Some(_) => super::is_error_level(header.level),
            // The whole line: a header parser may read `ValueError:` as a program tag.
            None => names_a_failure(line),
        };
        if reads_as_error && admit(header.time.as_ref()) {
            into.add_numbered(line, index + 1, &header, &mut key, &mut kinds);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trigger_finds_every_line_the_header_parser_reads_as_an_error() {
        let trigger = regex::bytes::RegexBuilder::new(ERROR_LEVEL_TRIGGER).unicode(false).multi_line(true).build().unwrap();
        let lines = [
            "2025-05-17 10:05:00,123 ERROR [main] c.e.App - Request failed",
            "2025-05-17 10:05:00 - visionai_processor - ERROR - Out of memory",
            "ERROR:root:boom",
            "05-17 10:05:00.123  1234  1234 E AndroidRuntime: FATAL EXCEPTION: main",
            "E0517 10:05:00.123456  4242 main.cc:42] check failed",
            "F0517 10:05:00.123456  4242 main.cc:42] fatal",
            r#"{"level":50,"time":1715940300000,"msg":"db down"}"#,
            r#"{"level":"error","msg":"db down"}"#,
            r#"{"PRIORITY":"3","MESSAGE":"unit failed","__REALTIME_TIMESTAMP":"1715940300000000"}"#,
            r#"{"PRIORITY":"0","MESSAGE":"panic"}"#,
            "2025-05-17T10:05:00Z CRITICAL open() failed",
            "[2025-05-17T10:05:00Z ERROR app] broke",
            "- 1118536327 2005.06.11 R30-M0-N9-C:J16-U01 2005-06-11-17.32.07.581048 R30-M0-N9-C:J16-U01 RAS KERNEL FATAL data TLB error interrupt",
            "2025-05-17 10:05:00 SEVERE x: y",
        ];
        for line in lines {
            assert!(is_error_level_line(line), "the header parser reads no error level in {line:?}");
            assert!(trigger.is_match(line.as_bytes()), "the trigger misses {line:?}");
        }
    }

    fn is_error_level_line(line: &str) -> bool {
        super::super::is_error_level(fields::header(line.as_bytes(), 2025).level)
    }

    #[test]
    fn only_error_lines_outside_records_are_mined() {
        let log = "2025-05-17 10:05:00 ERROR x - disk 1 full\n2025-05-17 10:05:01 INFO x - error count 3\n2025-05-17 10:05:02 ERROR x - matched 4\n2025-05-17 10:05:03 ERROR x - disk 7 full\n";
        let starts: Vec<(usize, u64)> = std::iter::once(0).chain(log.match_indices('\n').map(|(i, _)| i + 1)).filter(|&s| s < log.len()).zip(0..).collect();
        let third = starts[2].0;
        let covered = [(third, starts[3].0)];
        let mut p = Partial::numbered(MAX_SHAPES);
        mine_uncovered(log.as_bytes(), &starts, &covered, 2025.into(), |_| true, &mut p);
        let t = p.templates();
        assert_eq!(t.templates.len(), 1);
        assert_eq!((t.templates[0].text(), t.templates[0].count), ("disk <*> full".to_string(), 2));
        assert_eq!((t.templates[0].first.line, t.templates[0].last.line), (1, 4));
    }

    #[test]
    fn a_line_with_no_level_is_mined_only_when_it_names_a_failure() {
        for line in [
            "ValueError: invalid literal for int() with base 10: 'abc'",
            "java.lang.IllegalStateException: Connection pool shut down",
            "Exception in thread \"main\" java.lang.NoClassDefFoundError: org/slf4j/LoggerFactory",
            "error: linker `cc` not found",
            "gcc: fatal error: no input files",
            "thread 'main' panicked at src/main.rs:4:5: panic: index out of bounds",
            "OSError: [Errno 24] Too many open files",
        ] {
            assert!(names_a_failure(line.as_bytes()), "{line:?}");
            assert!(fields::header(line.as_bytes(), 2025).level.is_none(), "{line:?} has a level");
        }
        for line in [
            "Failed password for invalid user admin from 10.0.0.1 port 22 ssh2",
            "pam_unix(sshd:auth): authentication failure; logname= uid=0",
            "build finished: 0 errors, 2 warnings",
            "terror: a novel",
            "ErrorCount=0",
            "Error handling is enabled",
        ] {
            assert!(!names_a_failure(line.as_bytes()), "{line:?}");
        }
        let log = "ValueError: bad value 7\nprocessed 12 items\nrecovered from error: none\n2025-05-17 10:05:01 INFO x - RuntimeError: retried\nValueError: bad value 9\n";
        let trigger = regex::bytes::RegexBuilder::new(ERROR_LEVEL_TRIGGER).unicode(false).multi_line(true).build().unwrap();
        let starts: Vec<(usize, u64)> = std::iter::once(0)
            .chain(log.match_indices('\n').map(|(i, _)| i + 1))
            .filter(|&s| s < log.len())
            .zip(0..)
            .filter(|&(s, _)| trigger.is_match(&log.as_bytes()[s..s + log[s..].find('\n').unwrap()]))
            .collect();
        let mut p = Partial::numbered(MAX_SHAPES);
        mine_uncovered(log.as_bytes(), &starts, &[], 2025.into(), |_| true, &mut p);
        let t = p.templates();
        let found: Vec<(String, u64)> = t.templates.iter().map(|t| (t.text(), t.count)).collect();
        // The INFO line keeps its level (not an error); "error: none" has no level and names one.
        assert_eq!(found.iter().map(|(_, n)| n).sum::<u64>(), 3, "{found:?}");
        assert!(found.iter().any(|(text, n)| text.ends_with("bad value <*>") && *n == 2), "{found:?}");
    }

    #[test]
    fn numbered_partials_merge_with_their_line_base_and_keep_their_limit() {
        let lines = ["2025-05-17 10:05:00 ERROR a one", "2025-05-17 10:05:00 ERROR b two", "2025-05-17 10:05:00 ERROR c three"];
        let (mut key, mut kinds) = (Vec::new(), Vec::new());
        let mut add = |p: &mut Partial, line: &str, n: u64| p.add_numbered(line.as_bytes(), n, &fields::header(line.as_bytes(), 2025), &mut key, &mut kinds);
        let (mut early, mut late) = (Partial::numbered(2), Partial::numbered(2));
        add(&mut early, lines[0], 1);
        add(&mut late, lines[0], 2);
        add(&mut late, lines[1], 3);
        add(&mut late, lines[2], 4);
        let t = early.merge_numbered(late, &|_| 10).templates();
        assert_eq!(t.templates.iter().map(|t| (t.text(), t.count, t.last.line)).collect::<Vec<_>>(), [("a one".to_string(), 2, 12), ("b two".to_string(), 1, 13)]);
        assert_eq!((t.lines, t.others), (4, 1));
    }
}
