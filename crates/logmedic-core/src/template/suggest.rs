//! A catalog pattern suggested for a template: its wording escaped, each variable written as
//! the narrowest class that covers every value seen there (`\d+`, hex, a path, a bracketed
//! group, any token), anchored at the message's end. What `logmedic test FILE` offers for
//! the error lines no pattern matched, for `test FILE -e` to try and the catalog to adopt.

use super::outline::{Outline, Part};
use super::tokens::kind;

/// Bytes `regex` syntax gives a meaning to, escaped in the wording.
const META: &[u8] = b"\\.+*?()|[]{}^$#&-~";

/// The suggested pattern for a template of outline `o`: its words escaped, each run of
/// values between them as many tokens of the narrowest class as its shapes put there.
/// `ends_line`: the message is the end of its line, so the pattern is anchored there.
pub fn suggest_pattern(o: &Outline, ends_line: bool) -> String {
    // Tokens are cut at whitespace, and at `|` and `,` too where some line had them.
    let gap_byte = if o.wide_gaps { r"[\s|,]" } else { r"\s" };
    let gap = format!("{gap_byte}+");
    let mut out = String::new();
    // Whether a separator comes before the next token (one has been written).
    let mut after_token = false;
    for part in &o.parts {
        match part {
            Part::Word(word) => {
                if after_token {
                    out.push_str(&gap);
                } else if word.as_bytes().first().is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_') {
                    out.push_str(r"\b");
                }
                // A field keeps its name as wording; its masked value is any run of the token.
                for (j, piece) in word.split(super::VARIABLE).enumerate() {
                    if j > 0 {
                        out.push_str(r"[^\s|,]+");
                    }
                    escape_into(piece, &mut out);
                }
                after_token = true;
            }
            Part::Values { most: 0, .. } => {}
            &Part::Values { min, most, kinds } => {
                let value = value_class(kinds);
                if after_token {
                    out.push_str(&repeated(&format!("{gap}{value}"), min, most));
                } else if min > 0 {
                    out.push_str(&value);
                    out.push_str(&repeated(&format!("{gap}{value}"), min - 1, most - 1));
                    after_token = true;
                } else {
                    // The first token may be a value or the next word: the separator goes with the value.
                    out.push_str(&repeated(&format!("{value}{gap}"), 0, most));
                }
            }
        }
    }
    if ends_line {
        out.push_str(gap_byte);
        out.push_str("*$");
    }
    out
}

/// The most tokens a counted repetition spells out; a longer run is any number from its fewest.
const MOST_COUNTED: u32 = 8;

/// `piece` written `min` to `most` times in a row.
fn repeated(piece: &str, min: u32, most: u32) -> String {
    match (min, most) {
        (_, 0) => String::new(),
        (1, 1) => piece.to_string(),
        _ if min == most => format!("(?:{piece}){{{min}}}"),
        _ if most > MOST_COUNTED => format!("(?:{piece}){{{min},}}"),
        _ => format!("(?:{piece}){{{min},{most}}}"),
    }
}

/// One value token of kinds `k`.
fn value_class(k: u8) -> String {
    variable(k).to_string()
}

/// The class for a variable whose values were of kinds `k`.
fn variable(k: u8) -> &'static str {
    if k == kind::DIGITS {
        r"\d+"
    } else if k & !(kind::DIGITS | kind::HEX) == 0 {
        r"(?:0[xX])?[0-9a-fA-F]+"
    } else if k == kind::PATH {
        r"/[^\s|,]*"
    } else if k & kind::GROUP != 0 {
        r"(?:\[[^\]]*\]|\([^)]*\)|[^\s|,])[^\s|,]*"
    } else {
        r"[^\s|,]+"
    }
}

fn escape_into(token: &str, out: &mut String) {
    for c in token.chars() {
        if c.is_ascii() && META.contains(&(c as u8)) {
            out.push('\\');
        }
        if c == ' ' {
            // A space inside a bracketed group: any run of them.
            out.push_str(r"\s+");
            continue;
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{MineOptions, Miner};
    use super::*;

    fn suggestions(log: &str) -> Vec<String> {
        let mut m = Miner::new(0, MineOptions { line_ids: false, errors_only: false, year: 2025, range: Default::default() });
        m.add_lines(log.as_bytes());
        m.finish()
            .templates()
            .templates
            .iter()
            .map(|t| {
                suggest_pattern(&t.outline, true)
            })
            .collect()
    }

    #[test]
    fn wording_is_escaped_and_variables_get_the_narrowest_class_seen() {
        let log = "\
2025-05-17 10:05:00 ERROR x - disk /dev/sda1 full (used 91.5%) on node 3, code 0x1f
2025-05-17 10:05:01 ERROR x - disk /var/lib/db full (used 99.0%) on node 12, code 0xA0
";
        assert_eq!(suggestions(log), [r"\bdisk[\s|,]+/[^\s|,]*[\s|,]+full[\s|,]+(?:\[[^\]]*\]|\([^)]*\)|[^\s|,])[^\s|,]*[\s|,]+on[\s|,]+node[\s|,]+\d+[\s|,]+code[\s|,]+(?:0[xX])?[0-9a-fA-F]+[\s|,]*$"]);
        let words = "\
2025-05-17 10:05:00 ERROR x - user alice denied [rule *.admin]
2025-05-17 10:05:00 ERROR x - user bob denied [rule *.admin]
2025-05-17 10:05:00 ERROR x - user carol denied [rule *.admin]
2025-05-17 10:05:00 ERROR x - user dave7 denied [rule *.admin]
";
        assert_eq!(suggestions(words), [r"\buser\s+[^\s|,]+\s+denied\s+\[rule\s+\*\.admin\]\s*$"]);
    }

    #[test]
    fn a_suggestion_allows_every_length_and_unit_of_its_template() {
        let log = "\
2025-05-17 10:05:00 ERROR x - replica lost on 10.0.0.1 after 3 sec
2025-05-17 10:05:00 ERROR x - replica lost on 10.0.0.1 10.0.0.2 10.0.0.3 after 00:01
2025-05-17 10:05:00 ERROR x - replica lost on after 2
";
        let patterns = suggestions(log);
        assert_eq!(patterns, [r"\breplica\s+lost\s+on(?:\s+[^\s|,]+){0,3}\s+after(?:\s+[^\s|,]+){1,2}\s*$"]);
        let re = regex::Regex::new(&patterns[0]).unwrap();
        assert!(log.lines().all(|l| re.is_match(l)));
    }

    #[test]
    fn a_field_keeps_its_name_and_its_value_is_any_run_of_the_token() {
        let log = "2025-05-17 10:05:00 ERROR x - quota=91 exceeded\n2025-05-17 10:05:00 ERROR x - quota=9 exceeded\n";
        assert_eq!(suggestions(log), [r"\bquota=[^\s|,]+\s+exceeded\s*$"]);
    }

    #[test]
    fn a_template_without_wording_gets_no_suggestion() {
        let mut m = Miner::new(0, MineOptions { line_ids: false, errors_only: false, year: 2025, range: Default::default() });
        m.add_lines(b"2025-05-17 10:05:00 ERROR x - 17 0x3f /tmp/a1\n2025-05-17 10:05:00 ERROR x - disk 3 full\n");
        let t = m.finish().templates();
        assert_eq!(t.templates[0].suggested_pattern(), None);
        assert_eq!(t.templates[1].suggested_pattern().as_deref(), Some(r"\bdisk\s+\d+\s+full\s*$"));
    }

    #[test]
    fn a_suggestion_matches_the_lines_of_its_template_and_no_other() {
        let log = "\
2025-05-17 10:05:00 ERROR x - request 17 failed: timeout after 30 ms
2025-05-17 10:05:01 ERROR x - request 18 failed: timeout after 5 ms
2025-05-17 10:05:02 ERROR x - request failed
2025-05-17 10:05:03 ERROR x - replica 3 of shard-7 lost (epoch 9)
";
        let patterns = suggestions(log);
        assert_eq!(patterns.len(), 3);
        let lines: Vec<&str> = log.lines().collect();
        for (p, expected) in patterns.iter().zip([&[0usize, 1][..], &[2], &[3]]) {
            let re = regex::Regex::new(&format!("(?m){p}")).unwrap();
            let matched: Vec<usize> = (0..lines.len()).filter(|&i| re.is_match(lines[i])).collect();
            assert_eq!(matched, expected, "{p}");
        }
    }
}
