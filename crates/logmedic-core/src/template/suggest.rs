//! A catalog pattern suggested for a template: its wording escaped, each variable written as
//! the narrowest class that covers every value seen there (`\d+`, hex, a path, a bracketed
//! group, any token), anchored at the message's end. What `logmedic test FILE` offers for
//! the error lines no pattern matched, for `test FILE -e` to try and the catalog to adopt.

use super::tokens::kind;
use super::Template;

/// Bytes `regex` syntax gives a meaning to, escaped in the wording.
const META: &[u8] = b"\\.+*?()|[]{}^$#&-~";

/// The suggested pattern for `t`. `message` is the message of its example (the line without
/// its header), which says how its tokens were separated and whether the line ends with it.
pub fn suggest_pattern(t: &Template, message: &str, ends_line: bool) -> String {
    // Tokens are cut at whitespace, and at `|` and `,` too: the gap says which it saw.
    let gap = if message.bytes().any(|b| b == b'|' || b == b',') { r"[\s|,]+" } else { r"\s+" };
    let mut out = String::new();
    for (i, (token, &k)) in t.tokens.iter().zip(&t.kinds).enumerate() {
        if i > 0 {
            out.push_str(gap);
        } else if k == 0 && token.as_bytes().first().is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_') {
            out.push_str(r"\b");
        }
        if k == 0 {
            // A field keeps its name as wording; its masked value is any run of the token.
            for (j, part) in token.split(super::VARIABLE).enumerate() {
                if j > 0 {
                    out.push_str(r"[^\s|,]+");
                }
                escape_into(part, &mut out);
            }
        } else {
            out.push_str(variable(k));
        }
    }
    if ends_line {
        out.push_str(r"\s*$");
    }
    out
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
                let message = crate::fields::header(t.example.as_bytes(), 2025).message.into_owned();
                suggest_pattern(t, &message, true)
            })
            .collect()
    }

    #[test]
    fn wording_is_escaped_and_variables_get_the_narrowest_class_seen() {
        let log = "\
2025-05-17 10:05:00 ERROR x - disk /dev/sda1 full (used 91.5%) on node 3, code 0x1f
2025-05-17 10:05:01 ERROR x - disk /var/lib/db full (used 99.0%) on node 12, code 0xA0
";
        assert_eq!(suggestions(log), [r"\bdisk[\s|,]+/[^\s|,]*[\s|,]+full[\s|,]+(?:\[[^\]]*\]|\([^)]*\)|[^\s|,])[^\s|,]*[\s|,]+on[\s|,]+node[\s|,]+\d+[\s|,]+code[\s|,]+(?:0[xX])?[0-9a-fA-F]+\s*$"]);
        let words = "\
2025-05-17 10:05:00 ERROR x - user alice denied [rule *.admin]
2025-05-17 10:05:00 ERROR x - user bob denied [rule *.admin]
2025-05-17 10:05:00 ERROR x - user carol denied [rule *.admin]
2025-05-17 10:05:00 ERROR x - user dave7 denied [rule *.admin]
";
        assert_eq!(suggestions(words), [r"\buser\s+[^\s|,]+\s+denied\s+\[rule\s+\*\.admin\]\s*$"]);
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
