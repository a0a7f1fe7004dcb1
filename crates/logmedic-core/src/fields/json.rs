//! JSON strings: their escaped contents read back as text, for the header reader and for
//! tracebacks embedded in JSON lines.

pub(super) fn unescape(raw: &[u8]) -> String {
    let mut out = Vec::with_capacity(raw.len());
    unescape_into(raw, &mut out);
    // `unescape_into` leaves only UTF-8 after what was there (nothing here).
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Appends the unescaped text of a JSON string's raw contents to `out`, read as UTF-8
/// lossily (invalid bytes become U+FFFD), without allocating when it is valid (the rule).
pub(super) fn unescape_into(raw: &[u8], out: &mut Vec<u8>) {
    let from = out.len();
    let mut i = 0;
    while i < raw.len() {
        // Copy the run up to the next escape at once.
        let run = memchr::memchr(b'\\', &raw[i..]).map_or(raw.len(), |j| i + j);
        out.extend_from_slice(&raw[i..run]);
        i = run;
        if i >= raw.len() {
            break;
        }
        if i + 1 < raw.len() {
            i += 1;
            match raw[i] {
                b'n' => out.push(b'\n'),
                b't' => out.push(b'\t'),
                b'r' => {}
                b'u' => {
                    if let Some(c) = std::str::from_utf8(&raw[i + 1..(i + 5).min(raw.len())]).ok().and_then(|h| u32::from_str_radix(h, 16).ok()).and_then(char::from_u32) {
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        i += 4;
                    }
                }
                c => out.push(c),
            }
        } else {
            out.push(raw[i]); // a lone `\` at the end
        }
        i += 1;
    }
    if std::str::from_utf8(&out[from..]).is_err() {
        let text = String::from_utf8_lossy(&out[from..]).into_owned();
        out.truncate(from);
        out.extend_from_slice(text.as_bytes());
    }
}

/// Appends the bytes of a journald array message (`79,75,32,255`: the inside of
/// `"MESSAGE":[…]`) to `out`, at most `max` of them: read number by number, never gathered
/// first (a 50 MB array is 16 million bytes). False, and `out` as it was, when an entry read
/// is not a byte.
pub(super) fn journal_array_into(inner: &[u8], out: &mut Vec<u8>, max: usize) -> bool {
    let from = out.len();
    for n in inner.split(|&b| b == b',') {
        if out.len() - from >= max {
            break;
        }
        match std::str::from_utf8(n).ok().and_then(|s| s.trim().parse::<u8>().ok()) {
            Some(b) => out.push(b),
            None => {
                out.truncate(from);
                return false;
            }
        }
    }
    true
}
