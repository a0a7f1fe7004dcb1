//! Tracebacks embedded in JSON lines: strings whose line breaks are escaped, unescaped so
//! the catalog can match their lines and the frames can be read.

use super::json::*;

/// A pattern for an escaped line break (`\n` as two characters), or a journald MESSAGE given
/// as an array of bytes: the lines to read embedded text from, when they are JSON objects.
/// Compiled with the catalog (see [`crate::RecordSpec`]). Bare literals: `^\{.*\\n` kept a
/// state alive through every JSON line, a slower scan.
pub const EMBEDDED_TRIGGER: &str = r#"\\n|"MESSAGE":\["#;

/// Appends to `out` the text of every string of a JSON line (at any depth) that holds an
/// escaped line break, unescaped: a traceback or stack that a structured logger put in one
/// field (`exc_info`, `stack`, `stack_trace`, `exception`, `error.stack`, `err` …) becomes
/// its lines again. Each string ends with a `\n`. Returns whether there was one.
pub fn embedded_lines(line: &[u8], out: &mut Vec<u8>) -> bool {
    let line = crate::record::trim_end(line);
    if line.first() != Some(&b'{') {
        return false;
    }
    let before = out.len();
    // journalctl -o json writes a MESSAGE that is not valid UTF-8, or holds control bytes
    // (colour codes), as an array of numbers: its bytes are the text to match.
    if let Some(at) = memchr::memmem::find(line, br#""MESSAGE":["#) {
        let rest = &line[at + 11..];
        let end = memchr::memchr(b']', rest).unwrap_or(rest.len());
        let from = out.len();
        if journal_array_into(&rest[..end], out, usize::MAX) && out.len() > from {
            out.push(b'\n');
        }
    }
    if memchr::memmem::find(line, b"\\n").is_none() {
        return out.len() > before;
    }
    let mut i = 0;
    while let Some(q) = memchr::memchr(b'"', &line[i..]) {
        let start = i + q + 1;
        let mut end = start;
        let mut newline = false;
        // To the closing quote, jumping from one quote or escape to the next.
        while let Some(j) = memchr::memchr2(b'"', b'\\', line.get(end..).unwrap_or_default()) {
            end += j;
            if line[end] == b'"' {
                break;
            }
            newline |= line.get(end + 1) == Some(&b'n');
            end += 2;
        }
        if end >= line.len() || line[end] != b'"' {
            end = end.max(line.len()); // unterminated: to the end, as before
        }
        let raw = &line[start..end.min(line.len())];
        if newline {
            unescape_into(raw, out);
            out.push(b'\n');
        }
        i = end + 1;
        if i >= line.len() {
            break;
        }
    }
    out.len() > before
}

/// The record's text with the embedded text of its JSON lines (see [`embedded_lines`])
/// after each such line; the text itself when none. The reference that
/// [`embedded_pieces`] is checked against.
#[cfg(any(test, feature = "internals"))]
pub fn expand_embedded(text: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if memchr::memmem::find(text, b"\\n").is_none() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = Vec::with_capacity(text.len() + 64);
    let mut any = false;
    for line in split_lines(text) {
        out.extend_from_slice(line);
        out.push(b'\n');
        any |= embedded_lines(line, &mut out);
    }
    if !any {
        return std::borrow::Cow::Borrowed(text);
    }
    out.pop(); // the text ends without a line break
    std::borrow::Cow::Owned(out)
}

/// The lines of `text` as `text.split(|&b| b == b'\n')` gives them (the piece after the
/// last break too, even empty), found with memchr: a record's lines are long enough that a
/// byte-by-byte search shows in the analysis's time.
pub fn split_lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let r = rest?;
        match memchr::memchr(b'\n', r) {
            Some(i) => {
                rest = Some(&r[i + 1..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// The text [`expand_embedded`] gives for a record, in pieces that are read one after
/// another (each whole lines), nothing copied: the record's first line, its embedded text
/// as [`embedded_lines`] wrote it (not empty), then the record's other lines. Only the first
/// line of a record can be a JSON line (a JSON line is a header: it starts a record), so this
/// is the whole expansion.
pub fn embedded_pieces<'t>(record: &'t [u8], embedded: &'t [u8]) -> Vec<&'t [u8]> {
    let first = memchr::memchr(b'\n', record).unwrap_or(record.len());
    let mut pieces = vec![&record[..first], embedded.strip_suffix(b"\n").unwrap_or(embedded)];
    if first < record.len() {
        pieces.push(&record[first + 1..]);
    }
    pieces
}
