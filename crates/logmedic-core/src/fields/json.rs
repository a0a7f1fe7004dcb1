//! JSON lines: a tolerant reader of flat objects' fields, enough for a log's header.



/// The raw value of `"key":` in a JSON line: a string's contents (unescaped simply) or a
/// number/literal token.
pub fn json_field<'a>(line: &'a [u8], key: &str) -> Option<(std::borrow::Cow<'a, str>, bool)> {
    let needle = format!("\"{key}\"");
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&line[from..], needle.as_bytes()) {
        let mut p = from + i + needle.len();
        while line.get(p).is_some_and(|c| *c == b' ') {
            p += 1;
        }
        if line.get(p) != Some(&b':') {
            from += i + 1;
            continue;
        }
        p += 1;
        while line.get(p).is_some_and(|c| *c == b' ') {
            p += 1;
        }
        if line.get(p) == Some(&b'"') {
            let start = p + 1;
            let mut q = start;
            let mut escaped = false;
            while q < line.len() && line[q] != b'"' {
                if line[q] == b'\\' {
                    escaped = true;
                    q += 1;
                }
                q += 1;
            }
            let raw = &line[start..q.min(line.len())];
            return Some((if escaped { unescape(raw).into() } else { String::from_utf8_lossy(raw) }, true));
        }
        let start = p;
        let mut q = p;
        while q < line.len() && !matches!(line[q], b',' | b'}' | b' ') {
            q += 1;
        }
        return Some((String::from_utf8_lossy(&line[start..q]), false));
    }
    None
}

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
