//! What a record says, read from its bytes: timestamp, level, logger, message, exception,
//! stack frames (with the innermost application frame) and the objects recovery needs
//! (paths, hosts, ports, PIDs, services, devices). Hand-written byte parsers: this runs
//! for every record at scan speed, so no regex here.

use std::borrow::Cow;

/// A point in time as the log wrote it: UTC when the log gave a zone, else its local clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp {
    /// Milliseconds since 1970-01-01T00:00:00 (of UTC when `utc`, else of the log's clock).
    pub ms: i64,
    pub utc: bool,
    /// The log gave fractions of a second.
    pub frac: bool,
}

impl Timestamp {
    /// ISO-8601: `2025-05-17T10:05:00.123Z` (UTC) or `2025-05-17T10:05:00` (no zone given).
    pub fn iso(&self) -> String {
        let (y, mo, d, h, mi, s) = civil(self.ms.div_euclid(1000));
        let mut out = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
        if self.frac {
            out.push_str(&format!(".{:03}", self.ms.rem_euclid(1000)));
        }
        if self.utc {
            out.push('Z');
        }
        out
    }

    /// Minutes since 1970 (for the timeline).
    pub fn minute(&self) -> i64 {
        self.ms.div_euclid(60_000)
    }
}

/// `2025-05-17T10:05` for a minute number.
pub fn minute_iso(minute: i64) -> String {
    let (y, mo, d, h, mi, _) = civil(minute * 60);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}")
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil(secs: i64) -> (i64, i64, i64, i64, i64, i64) {
    let days = secs.div_euclid(86400);
    let rem = secs.rem_euclid(86400);
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
}

// ---------------------------------------------------------------------------------------
// Small byte readers

fn num(b: &[u8], at: usize, n: usize) -> Option<i64> {
    let s = b.get(at..at + n)?;
    let mut v = 0i64;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(v)
}

fn month(b: &[u8]) -> Option<i64> {
    const M: [&[u8; 3]; 12] = [b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"];
    let s = b.get(..3)?;
    M.iter().position(|m| s.eq_ignore_ascii_case(&m[..])).map(|i| i as i64 + 1)
}

fn valid(mo: i64, d: i64, h: i64, mi: i64, s: i64) -> bool {
    (1..=12).contains(&mo) && (1..=31).contains(&d) && h < 24 && mi < 60 && s <= 60
}

/// `HH:MM:SS[.,fff]` at `at`; returns (ms of day, frac given, bytes used).
fn clock(b: &[u8], at: usize) -> Option<(i64, bool, usize)> {
    let h = num(b, at, 2)?;
    if b.get(at + 2) != Some(&b':') {
        return None;
    }
    let mi = num(b, at + 3, 2)?;
    let (s, mut used) = if b.get(at + 5) == Some(&b':') { (num(b, at + 6, 2)?, 8) } else { (0, 5) };
    if h >= 24 || mi >= 60 || s > 60 {
        return None;
    }
    let mut ms = 0i64;
    let mut frac = false;
    if matches!(b.get(at + used), Some(b'.' | b',')) && b.get(at + used + 1).is_some_and(u8::is_ascii_digit) {
        let mut i = at + used + 1;
        let mut scale = 100;
        while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            ms += i64::from(c - b'0') * scale;
            scale /= 10;
            i += 1;
        }
        frac = true;
        used = i - at;
    }
    Some((((h * 60 + mi) * 60 + s) * 1000 + ms, frac, used))
}

/// A zone after a time: `Z`, `+02:00`, `+0200`, ` UTC`/` GMT`; returns (offset minutes, bytes).
fn zone(b: &[u8], at: usize) -> Option<(i64, usize)> {
    match b.get(at)? {
        b'Z' => Some((0, 1)),
        c @ (b'+' | b'-') => {
            let sign = if *c == b'-' { -1 } else { 1 };
            let h = num(b, at + 1, 2)?;
            let (m, used) = if b.get(at + 3) == Some(&b':') { (num(b, at + 4, 2)?, 6) } else { (num(b, at + 3, 2).unwrap_or(0), if num(b, at + 3, 2).is_some() { 5 } else { 3 }) };
            Some((sign * (h * 60 + m), used))
        }
        b' ' if b[at..].starts_with(b" UTC") || b[at..].starts_with(b" GMT") => Some((0, 4)),
        _ => None,
    }
}

fn build(y: i64, mo: i64, d: i64, day_ms: i64, frac: bool, zone: Option<i64>) -> Timestamp {
    let ms = days_from_civil(y, mo, d) * 86_400_000 + day_ms - zone.unwrap_or(0) * 60_000;
    Timestamp { ms, utc: zone.is_some(), frac }
}

/// `2025-05-17[T ]10:05:00[.123][Z|+02:00]` or with `/`; returns (time, bytes used).
fn iso_at(b: &[u8], at: usize) -> Option<(Timestamp, usize)> {
    let y = num(b, at, 4)?;
    let sep = *b.get(at + 4)?;
    if !matches!(sep, b'-' | b'/') || b.get(at + 7) != Some(&sep) {
        return None;
    }
    let mo = num(b, at + 5, 2)?;
    let d = num(b, at + 8, 2)?;
    if !matches!(b.get(at + 10), Some(b'T' | b' ')) {
        return None;
    }
    let (day_ms, frac, used) = clock(b, at + 11)?;
    if !valid(mo, d, 0, 0, 0) {
        return None;
    }
    let mut end = at + 11 + used;
    let z = zone(b, end).map(|(z, n)| {
        end += n;
        z
    });
    Some((build(y, mo, d, day_ms, frac, z), end - at))
}

/// Epoch seconds (10 digits, optional fraction) or milliseconds (13 digits).
fn epoch_at(b: &[u8], at: usize) -> Option<(Timestamp, usize)> {
    let mut n = 0;
    while b.get(at + n).is_some_and(u8::is_ascii_digit) {
        n += 1;
    }
    let v = num(b, at, n)?;
    match n {
        10 => {
            let mut ms = v * 1000;
            let mut used = 10;
            let mut frac = false;
            if b.get(at + 10) == Some(&b'.') {
                let mut scale = 100;
                let mut i = at + 11;
                while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
                    ms += i64::from(c - b'0') * scale;
                    scale /= 10;
                    i += 1;
                }
                frac = i > at + 11;
                used = i - at;
            }
            Some((Timestamp { ms, utc: true, frac }, used))
        }
        13 => Some((Timestamp { ms: v, utc: true, frac: true }, 13)),
        _ => None,
    }
}

/// A timestamp at the start of a log line, in any of the formats logmedic knows.
/// `year` is used for formats that leave it out (syslog, Android, glog).
pub fn timestamp_at_start(line: &[u8], year: i32) -> Option<(Timestamp, usize)> {
    let y = i64::from(year);
    let lead = usize::from(line.first() == Some(&b'['));
    let b = line;
    let at = lead;
    if let Some((t, n)) = iso_at(b, at) {
        return Some((t, at + n));
    }
    if let Some(mo) = month(&b[at.min(b.len())..]) {
        // syslog: May 17 10:05:00 / May  7 10:05:00
        if b.get(at + 3) == Some(&b' ') {
            let ds = if b.get(at + 4) == Some(&b' ') { at + 5 } else { at + 4 };
            let (d, dl) = num(b, ds, 2).map(|d| (d, 2)).or_else(|| num(b, ds, 1).map(|d| (d, 1)))?;
            if b.get(ds + dl) == Some(&b' ') {
                let (day_ms, frac, used) = clock(b, ds + dl + 1)?;
                // `May 17 2025 10:05:00`-style years are rare; a year after the time is read.
                let mut end = ds + dl + 1 + used;
                let mut yy = y;
                if b.get(end) == Some(&b' ') {
                    if let Some(v) = num(b, end + 1, 4).filter(|_| !b.get(end + 5).is_some_and(u8::is_ascii_digit)) {
                        yy = v;
                        end += 5;
                    }
                }
                return valid(mo, d, 0, 0, 0).then(|| (build(yy, mo, d, day_ms, frac, None), end));
            }
        }
        return None;
    }
    // ctime: Tue May 17 10:05:00 2025 (Apache: [Tue May 17 10:05:00.123456 2025])
    if b.len() > at + 4 && b[at..at + 3].iter().all(u8::is_ascii_alphabetic) && b.get(at + 3) == Some(&b' ') {
        if let Some(mo) = month(&b[at + 4..]) {
            let ds = if b.get(at + 8) == Some(&b' ') { at + 9 } else { at + 8 };
            let d = num(b, ds, 2).or_else(|| num(b, ds, 1))?;
            let dl = if num(b, ds, 2).is_some() { 2 } else { 1 };
            let (day_ms, frac, used) = clock(b, ds + dl + 1)?;
            let end = ds + dl + 1 + used;
            let yy = num(b, end + 1, 4).unwrap_or(y);
            return valid(mo, d, 0, 0, 0).then(|| (build(yy, mo, d, day_ms, frac, None), end + 5));
        }
    }
    // Android threadtime: 05-17 10:05:00.123
    if let (Some(mo), Some(d)) = (num(b, at, 2), num(b, at + 3, 2)) {
        if matches!(b.get(at + 2), Some(b'-' | b'/')) && b.get(at + 5) == Some(&b' ') {
            let (day_ms, frac, used) = clock(b, at + 6)?;
            return valid(mo, d, 0, 0, 0).then(|| (build(y, mo, d, day_ms, frac, None), at + 6 + used));
        }
    }
    // glog: E0517 10:05:00.123456
    if matches!(b.first(), Some(b'I' | b'W' | b'E' | b'F')) && b.get(5) == Some(&b' ') {
        let (mo, d) = (num(b, 1, 2)?, num(b, 3, 2)?);
        let (day_ms, frac, used) = clock(b, 6)?;
        return valid(mo, d, 0, 0, 0).then(|| (build(y, mo, d, day_ms, frac, None), 6 + used));
    }
    // Redis: 1234:M 17 May 2025 10:05:00.123
    if let Some(colon) = b.iter().take(8).position(|&c| c == b':') {
        if colon > 0 && b[..colon].iter().all(u8::is_ascii_digit) && b.get(colon + 2) == Some(&b' ') {
            let ds = colon + 3;
            let dl = if b.get(ds + 1).is_some_and(u8::is_ascii_digit) { 2 } else { 1 };
            let d = num(b, ds, dl)?;
            let mo = month(&b[(ds + dl + 1).min(b.len())..])?;
            let yy = num(b, ds + dl + 5, 4)?;
            let (day_ms, frac, used) = clock(b, ds + dl + 10)?;
            return valid(mo, d, 0, 0, 0).then(|| (build(yy, mo, d, day_ms, frac, None), ds + dl + 10 + used));
        }
    }
    if let Some((t, n)) = epoch_at(b, at) {
        return Some((t, at + n));
    }
    None
}

/// Common log format inside a line: `[17/May/2025:10:05:00 +0000]` (nginx, Apache access).
fn clf_time(line: &[u8], year: i32) -> Option<Timestamp> {
    let _ = year;
    let head = &line[..line.len().min(96)];
    let open = memchr::memchr(b'[', head)?;
    let b = &line[open + 1..];
    let d = num(b, 0, 2)?;
    if b.get(2) != Some(&b'/') || b.get(6) != Some(&b'/') || b.get(11) != Some(&b':') {
        return None;
    }
    let mo = month(&b[3..])?;
    let y = num(b, 7, 4)?;
    let (day_ms, frac, used) = clock(b, 12)?;
    let z = zone(b, 12 + used + 1).map(|(z, _)| z).filter(|_| b.get(12 + used) == Some(&b' '));
    valid(mo, d, 0, 0, 0).then(|| build(y, mo, d, day_ms, frac, z))
}

// ---------------------------------------------------------------------------------------
// JSON lines (a tolerant reader for flat objects: enough for log fields)

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

fn unescape(raw: &[u8]) -> String {
    let mut out = Vec::with_capacity(raw.len());
    unescape_into(raw, &mut out);
    // `unescape_into` leaves only UTF-8 after what was there (nothing here).
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Appends the unescaped text of a JSON string's raw contents to `out`, read as UTF-8
/// lossily (invalid bytes become U+FFFD), without allocating when it is valid (the rule).
fn unescape_into(raw: &[u8], out: &mut Vec<u8>) {
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

// ---------------------------------------------------------------------------------------
// Header: time, level, logger and where the message starts

/// A line's header, borrowing from the line where it can: reading one allocates only for
/// escaped JSON strings or invalid UTF-8 (this runs for every record).
#[derive(Debug, Clone, Default)]
pub struct Header<'a> {
    pub time: Option<Timestamp>,
    pub level: Option<&'static str>,
    pub logger: Option<Cow<'a, str>>,
    pub pid: Option<u32>,
    /// The message: the line without its header prefix.
    pub message: Cow<'a, str>,
}

/// Upper-case, canonical level name for a word (`warn` → `WARNING`, `E` → `ERROR`).
pub fn canonical_level(word: &[u8]) -> Option<&'static str> {
    // Upper-cased on the stack: no level word is longer than this.
    let mut buf = [0u8; 8];
    if word.len() > buf.len() {
        return None;
    }
    let up = &mut buf[..word.len()];
    up.copy_from_slice(word);
    up.make_ascii_uppercase();
    Some(match &*up {
        b"ERROR" | b"ERR" | b"E" => "ERROR",
        b"WARN" | b"WARNING" | b"W" => "WARNING",
        b"CRITICAL" | b"CRIT" => "CRITICAL",
        b"FATAL" | b"F" | b"EMERG" | b"ALERT" | b"PANIC" | b"SEVERE" => "FATAL",
        b"INFO" | b"I" | b"NOTICE" | b"LOG" => "INFO",
        b"DEBUG" | b"D" | b"TRACE" | b"V" | b"VERBOSE" | b"FINE" => "DEBUG",
        _ => return None,
    })
}

fn is_level_word(word: &[u8]) -> bool {
    word.len() > 1 && crate::record::level_word_len(word) == Some(word.len())
}

/// Whether [`header`] finds a time on a line that is not a JSON object: the same test, without
/// reading the rest of the header.
pub fn has_header_time(line: &[u8], year: i32) -> bool {
    let line = crate::record::trim_end(line);
    timestamp_at_start(line, year).is_some() || clf_time(line, year).is_some()
}

/// Read the header of a record's first line.
pub fn header(line: &[u8], year: i32) -> Header<'_> {
    let line = crate::record::trim_end(line);
    if line.first() == Some(&b'{') {
        return json_header(line, year);
    }
    let mut h = Header::default();
    let mut pos = 0;
    if let Some((t, n)) = timestamp_at_start(line, year) {
        h.time = Some(t);
        pos = n;
        if line.first() == Some(&b'[') {
            // [2025-05-17 10:05:00,123] msg, or env_logger's [2025-05-17T10:05:00Z ERROR target] msg
            if let Some(i) = memchr::memchr(b']', &line[pos..]) {
                for word in line[pos..pos + i].split(|&b| b == b' ').filter(|w| !w.is_empty()) {
                    if h.level.is_none() && is_level_word(word) {
                        h.level = canonical_level(word);
                    } else if h.level.is_some() && h.logger.is_none() {
                        h.logger = Some(String::from_utf8_lossy(word));
                    }
                }
                pos += i + 1;
            }
        }
    } else if let Some(t) = clf_time(line, year) {
        h.time = Some(t);
    }
    // glog / Android brief: the level is the first letter.
    if let Some(&c) = line.first() {
        if matches!(c, b'I' | b'W' | b'E' | b'F') && h.time.is_some() && line.get(5) == Some(&b' ') && pos > 0 {
            h.level = canonical_level(&[c]);
        } else if line.get(1) == Some(&b'/') && c.is_ascii_uppercase() {
            h.level = canonical_level(&[c]);
            let tag_end = line.iter().position(|&b| b == b'(' || b == b':').unwrap_or(line.len());
            h.logger = Some(trim_cow(String::from_utf8_lossy(&line[2..tag_end])));
            let body = memchr::memmem::find(&line[tag_end..], b": ").map_or(line.len(), |i| tag_end + i + 2);
            h.message = String::from_utf8_lossy(&line[body..]);
            return h;
        }
    }
    let mut saw_sep = false;
    let mut tokens = 0;
    // Walk the prefix token by token: levels, [brackets], `-` separators, `name[pid]:`.
    loop {
        while pos < line.len() && line[pos] == b' ' || line.get(pos) == Some(&b'\t') {
            pos += 1;
        }
        if pos >= line.len() || tokens >= 8 {
            break;
        }
        let end = pos + line[pos..].iter().position(|&b| b == b' ' || b == b'\t').unwrap_or(line.len() - pos);
        let tok = &line[pos..end];
        tokens += 1;
        // UTC / zone words after the time
        if tokens == 1 && h.time.is_some() && matches!(tok, b"UTC" | b"GMT" | b"CST" | b"CEST" | b"CET" | b"PST" | b"EST") {
            pos = end;
            continue;
        }
        if tok == b"-" || tok == b"|" {
            saw_sep = true;
            pos = end;
            continue;
        }
        let bare = tok.trim_ascii_end();
        let (inner, _wrapped) = strip_wrap(bare);
        // LEVEL, [LEVEL], <LEVEL>, LEVEL:, level=error, [error]
        let level_tok = inner.strip_suffix(b":").unwrap_or(inner);
        // `ERROR:root:message`: a level word glued to what follows by ':'
        let glued = crate::record::level_word_len(level_tok).filter(|&n| n > 1 && level_tok.get(n) == Some(&b':'));
        let lv = if let Some(v) = level_tok.strip_prefix(b"level=").or_else(|| level_tok.strip_prefix(b"lvl=")) {
            canonical_level(v.trim_ascii_matches_quotes())
        } else if let Some(n) = glued {
            canonical_level(&level_tok[..n])
        } else if is_level_word(level_tok) || (_wrapped && canonical_level(level_tok).is_some() && level_tok.len() > 1) {
            canonical_level(level_tok)
        } else if level_tok.len() == 1 && h.time.is_some() && h.level.is_none() && tokens <= 4 {
            canonical_level(level_tok) // Android threadtime: `1234  1234 E Tag: msg`
        } else {
            None
        };
        if h.level.is_none() {
            if let Some(lv) = lv {
                h.level = Some(lv);
                pos = end;
                if let Some(n) = glued {
                    // `ERROR:root:message` (Python's default format): logger, then message
                    let rest = &line[pos - tok.len() + n + 1..];
                    match memchr::memchr(b':', rest) {
                        Some(i) if i > 0 && !rest[..i].contains(&b' ') => {
                            h.logger = Some(String::from_utf8_lossy(&rest[..i]));
                            pos = line.len() - rest.len() + i + 1;
                        }
                        _ => pos = line.len() - rest.len(),
                    }
                    break;
                }
                if bare.ends_with(b":") && !_wrapped {
                    break;
                }
                continue;
            }
        }
        // Numbers (pids, thread ids), `123#0:` (nginx), [thread] and (thread) wrappers
        if tok.iter().all(|b| b.is_ascii_digit() || matches!(b, b'#' | b':' | b'*')) {
            pos = end;
            continue;
        }
        if _wrapped && h.logger.is_none() && !bare.ends_with(b":") {
            pos = end;
            continue;
        }
        // `app[1234]:` / `app:` (syslog), `Tag:` (Android), `logger -` or `logger:`
        if let Some(name) = bare.strip_suffix(b":") {
            if !name.is_empty() && !name.contains(&b'=') && name.len() < 64 {
                let (n, pid) = split_pid(name);
                if h.logger.is_none() && !n.is_empty() && !is_host_like(n, h.time.is_some() && tokens == 1 && line.get(end + 1).is_some()) {
                    h.logger = Some(String::from_utf8_lossy(n));
                    h.pid = pid;
                }
                pos = end;
                break;
            }
        }
        // Python format: `- name - LEVEL - msg`, Java: `LEVEL [thread] com.x.Y - msg`
        let after = &line[end..];
        if (saw_sep || h.level.is_some() || tokens <= 2) && after.starts_with(b" - ") && h.logger.is_none() && tok.len() < 96 {
            h.logger = Some(String::from_utf8_lossy(tok));
            pos = end + 3;
            saw_sep = true;
            if h.level.is_none() {
                continue;
            }
            break;
        }
        // syslog host before `app[pid]:`
        if tokens == 1 && h.time.is_some() && h.level.is_none() && line[end..].iter().skip(1).take(64).any(|&b| b == b':') {
            let next_end = end + 1 + line[end + 1..].iter().position(|&b| b == b' ').unwrap_or(line.len() - end - 1);
            if line[..next_end].ends_with(b":") {
                pos = end;
                continue;
            }
        }
        break;
    }
    h.message = String::from_utf8_lossy(line[pos.min(line.len())..].trim_ascii_start());
    h
}

fn trim_cow(s: Cow<'_, str>) -> Cow<'_, str> {
    match s {
        Cow::Borrowed(b) => Cow::Borrowed(b.trim()),
        Cow::Owned(o) => Cow::Owned(o.trim().to_string()),
    }
}

trait TrimQuotes {
    fn trim_ascii_matches_quotes(&self) -> &[u8];
}
impl TrimQuotes for [u8] {
    fn trim_ascii_matches_quotes(&self) -> &[u8] {
        let s = self.strip_prefix(b"\"").unwrap_or(self);
        s.strip_suffix(b"\"").unwrap_or(s)
    }
}

fn strip_wrap(tok: &[u8]) -> (&[u8], bool) {
    let t = tok.strip_suffix(b":").unwrap_or(tok);
    for (o, c) in [(b'[', b']'), (b'<', b'>'), (b'(', b')')] {
        if t.first() == Some(&o) && t.last() == Some(&c) && t.len() >= 2 {
            return (&t[1..t.len() - 1], true);
        }
    }
    (tok, false)
}

fn split_pid(name: &[u8]) -> (&[u8], Option<u32>) {
    if name.last() == Some(&b']') {
        if let Some(open) = memchr::memrchr(b'[', name) {
            let pid = std::str::from_utf8(&name[open + 1..name.len() - 1]).ok().and_then(|s| s.parse().ok());
            return (&name[..open], pid);
        }
    }
    (name, None)
}

fn is_host_like(_name: &[u8], _first: bool) -> bool {
    false
}

/// The top-level `"key": value` pairs of a flat JSON line, in one pass: (key, raw value,
/// value was a string). Nested objects and arrays are skipped whole; at most 64 pairs.
pub struct JsonPairs<'a> {
    line: &'a [u8],
    i: usize,
    given: usize,
}

impl<'a> JsonPairs<'a> {
    /// `line` starts with `{`.
    pub fn new(line: &'a [u8]) -> Self {
        JsonPairs { line, i: 1, given: 0 }
    }

    fn skip_ws(&self, mut i: usize) -> usize {
        while i < self.line.len() && matches!(self.line[i], b' ' | b'\t' | b',') {
            i += 1;
        }
        i
    }

    /// `i` is just after an opening quote: the index of the closing one.
    fn string_end(&self, mut i: usize) -> usize {
        let line = self.line;
        // Jump from one quote or escape to the next: a traceback in a string is long.
        while let Some(j) = memchr::memchr2(b'"', b'\\', line.get(i..).unwrap_or_default()) {
            i += j;
            if line[i] == b'"' {
                return i;
            }
            i += 2;
        }
        line.len()
    }
}

impl<'a> Iterator for JsonPairs<'a> {
    type Item = (&'a [u8], &'a [u8], bool);

    fn next(&mut self) -> Option<Self::Item> {
        let line = self.line;
        let n = line.len();
        loop {
            if self.given >= 64 {
                return None;
            }
            let mut i = self.skip_ws(self.i);
            if i >= n || line[i] != b'"' {
                return None;
            }
            let kend = self.string_end(i + 1);
            let key = &line[i + 1..kend];
            i = self.skip_ws(kend + 1);
            if i >= n || line[i] != b':' {
                return None;
            }
            i += 1;
            while i < n && line[i] == b' ' {
                i += 1;
            }
            if i >= n {
                return None;
            }
            match line[i] {
                b'"' => {
                    let vend = self.string_end(i + 1);
                    self.i = vend + 1;
                    self.given += 1;
                    return Some((key, &line[i + 1..vend], true));
                }
                b'{' | b'[' => {
                    // skip a nested value, minding strings
                    let mut depth = 0i32;
                    while i < n {
                        match line[i] {
                            b'"' => i = self.string_end(i + 1),
                            b'{' | b'[' => depth += 1,
                            b'}' | b']' => {
                                depth -= 1;
                                if depth == 0 {
                                    i += 1;
                                    break;
                                }
                            }
                            _ => {}
                        }
                        i += 1;
                    }
                    self.i = i;
                }
                _ => {
                    let start = i;
                    while i < n && !matches!(line[i], b',' | b'}' | b' ') {
                        i += 1;
                    }
                    self.i = i;
                    self.given += 1;
                    return Some((key, &line[start..i], false));
                }
            }
        }
    }
}

/// The value of the first key of `keys` that the line has (a key's first occurrence),
/// chosen in one pass over the pairs: see [`json_header`].
struct Pick<'a> {
    keys: &'static [&'static [u8]],
    quoted_only: bool,
    best: Option<(usize, &'a [u8], bool)>,
}

impl<'a> Pick<'a> {
    const fn new(keys: &'static [&'static [u8]], quoted_only: bool) -> Self {
        Pick { keys, quoted_only, best: None }
    }

    fn offer(&mut self, key: &[u8], value: &'a [u8], quoted: bool) {
        if self.quoted_only && !quoted {
            return;
        }
        if let Some(rank) = self.keys.iter().position(|k| *k == key) {
            if self.best.is_none_or(|(r, _, _)| rank < r) {
                self.best = Some((rank, value, quoted));
            }
        }
    }

    fn value(&self) -> Option<(&'a [u8], bool)> {
        self.best.map(|(_, v, q)| (v, q))
    }
}

const TIME_KEYS: &[&[u8]] = &[b"@timestamp", b"timestamp", b"time", b"ts", b"t", b"datetime", b"date"];

fn json_header<'a>(line: &'a [u8], year: i32) -> Header<'a> {
    let _ = year;
    let mut h = Header::default();
    // Each time key is tried in turn (the first whose value reads as a time wins).
    let mut times: [Option<(&[u8], bool)>; TIME_KEYS.len()] = [None; TIME_KEYS.len()];
    let mut level = Pick::new(&[b"level", b"severity", b"lvl", b"log.level", b"levelname", b"loglevel"], false);
    let mut logger = Pick::new(&[b"logger", b"logger_name", b"name", b"module", b"service", b"app", b"component"], true);
    let mut pid = Pick::new(&[b"pid", b"process"], false);
    let mut message = Pick::new(&[b"msg", b"message", b"error", b"err", b"event"], true);
    for (key, value, quoted) in JsonPairs::new(line) {
        if let Some(r) = TIME_KEYS.iter().position(|k| *k == key) {
            times[r].get_or_insert((value, quoted));
        }
        level.offer(key, value, quoted);
        logger.offer(key, value, quoted);
        pid.offer(key, value, quoted);
        message.offer(key, value, quoted);
    }
    let text = |v: &'a [u8]| -> Cow<'a, str> { if v.contains(&b'\\') { Cow::Owned(unescape(v)) } else { String::from_utf8_lossy(v) } };
    for (b, quoted) in times.into_iter().flatten() {
        let t = if quoted { iso_at(b, 0).map(|(t, _)| t).or_else(|| epoch_at(b, 0).map(|(t, _)| t)) } else { epoch_at(b, 0).map(|(t, _)| t) };
        if t.is_some() {
            h.time = t;
            break;
        }
    }
    if let Some((v, _)) = level.value() {
        h.level = canonical_level(v).or_else(|| {
            // pino/bunyan numeric levels
            match std::str::from_utf8(v).ok()?.parse::<u32>().ok()? {
                60.. => Some("FATAL"),
                50..=59 => Some("ERROR"),
                40..=49 => Some("WARNING"),
                30..=39 => Some("INFO"),
                _ => Some("DEBUG"),
            }
        });
    }
    if let Some((v, _)) = logger.value() {
        h.logger = Some(text(v));
    }
    if let Some((v, _)) = pid.value() {
        h.pid = std::str::from_utf8(v).ok().and_then(|s| s.parse().ok());
    }
    h.message = match message.value() {
        Some((v, _)) => text(v),
        None => String::from_utf8_lossy(line),
    };
    h
}

// ---------------------------------------------------------------------------------------
// Tracebacks embedded in JSON lines

/// A pattern for an escaped line break (`\n` as two characters): the lines to read embedded
/// text from, when they are JSON objects. Compiled with the catalog (see
/// [`crate::RecordSpec`]). A bare literal: `^\{.*\\n` kept a state alive through every JSON line, a slower scan.
pub const EMBEDDED_TRIGGER: &str = r"\\n";

/// Appends to `out` the text of every string of a JSON line (at any depth) that holds an
/// escaped line break, unescaped: a traceback or stack that a structured logger put in one
/// field (`exc_info`, `stack`, `stack_trace`, `exception`, `error.stack`, `err` …) becomes
/// its lines again. Each string ends with a `\n`. Returns whether there was one.
pub fn embedded_lines(line: &[u8], out: &mut Vec<u8>) -> bool {
    let line = crate::record::trim_end(line);
    if line.first() != Some(&b'{') || memchr::memmem::find(line, b"\\n").is_none() {
        return false;
    }
    let before = out.len();
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
/// after each such line, for frames and the exception type; the text itself when none.
pub fn expand_embedded(text: &[u8]) -> Cow<'_, [u8]> {
    if memchr::memmem::find(text, b"\\n").is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = Vec::with_capacity(text.len() + 64);
    let mut any = false;
    for line in split_lines(text) {
        out.extend_from_slice(line);
        out.push(b'\n');
        any |= embedded_lines(line, &mut out);
    }
    if !any {
        return Cow::Borrowed(text);
    }
    out.pop(); // the text ends without a line break
    Cow::Owned(out)
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

/// [`expand_embedded`] into a reused buffer, given the embedded text of the record's first
/// line as [`embedded_lines`] wrote it (not empty): nothing is unescaped again. Only the
/// first line of a record can be a JSON line (a JSON line is a header: it starts a record),
/// so this is the whole expansion.
pub fn expand_first_line_into(text: &[u8], embedded: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let first = memchr::memchr(b'\n', text).unwrap_or(text.len());
    out.extend_from_slice(&text[..first]);
    out.push(b'\n');
    out.extend_from_slice(embedded);
    if first < text.len() {
        out.extend_from_slice(&text[first + 1..]);
        out.push(b'\n');
    }
    out.pop(); // the text ends without a line break
}

// ---------------------------------------------------------------------------------------
// Frames

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Frame {
    pub file: String,
    pub line: Option<u32>,
    pub function: Option<String>,
    pub app: bool,
}

/// Which runtime printed the frames: decides where "innermost" is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Python,
    Other,
}

/// Whether a frame's file is the application's own (not a library, runtime or stdlib).
fn app_file(file: &[u8]) -> bool {
    const LIB: &[&[u8]] = &[
        b"site-packages", b"dist-packages", b"/usr/lib/python", b"/usr/local/lib/python", b"<frozen", b"node_modules", b"node:",
        b"internal/", b"/rustc/", b"/.cargo/registry/", b"/.rustup/", b"/src/runtime/", b"/go/pkg/mod/", b"/usr/local/go/src/",
        b"/usr/lib/go", b"<string>",
    ];
    // One pass: only positions holding the first byte of some entry are tried.
    for i in 0..file.len() {
        if matches!(file[i], b's' | b'd' | b'/' | b'<' | b'n' | b'i') && LIB.iter().any(|l| file[i..].starts_with(l)) {
            return false;
        }
    }
    !file.starts_with(b"lib/python")
}

fn app_java(function: &[u8]) -> bool {
    let f = memchr::memchr(b'/', function).map_or(function, |i| &function[i + 1..]);
    const LIB: &[&[u8]] = &[b"java.", b"javax.", b"sun.", b"jdk.", b"com.sun.", b"kotlin.", b"scala.", b"org.junit.", b"org.springframework.", b"org.apache.", b"io.netty."];
    !LIB.iter().any(|l| f.starts_with(l))
}

fn app_rust(function: &[u8]) -> bool {
    const LIB: &[&[u8]] = &[b"std::", b"core::", b"alloc::", b"rust_begin_unwind", b"__rust", b"tokio::", b"<std::", b"<core::", b"<alloc::", b"__libc", b"_start", b"main\0"];
    !LIB.iter().any(|l| function.starts_with(l)) && function != b"main" && !function.starts_with(b"__")
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn parse_u32(b: &[u8]) -> Option<u32> {
    let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
    std::str::from_utf8(&b[..n]).ok()?.parse().ok()
}

/// `file:line[:col]` → (file, line)
fn file_line(loc: &[u8]) -> (&[u8], Option<u32>) {
    let loc = crate::record::trim_end(loc);
    // strip :col then :line from the right
    let Some(c2) = memchr::memrchr(b':', loc) else { return (loc, None) };
    let last = &loc[c2 + 1..];
    match memchr::memrchr(b':', &loc[..c2]) {
        Some(c1) => {
            let (file, mid) = (&loc[..c1], &loc[c1 + 1..c2]);
            if parse_u32(mid).is_some() && parse_u32(last).is_some() && !file.is_empty() {
                (file, parse_u32(mid))
            } else if parse_u32(last).is_some() {
                (&loc[..c2], parse_u32(last)) // `C:\x:12`, `a:b:12`
            } else {
                (loc, None)
            }
        }
        None if parse_u32(last).is_some() => (&loc[..c2], parse_u32(last)),
        None => (loc, None),
    }
}

/// A frame as read, borrowing from the record's text.
#[derive(Debug, Clone, Copy)]
pub struct FrameRef<'a> {
    pub file: &'a [u8],
    pub line: Option<u32>,
    pub function: Option<&'a [u8]>,
    pub app: bool,
}

impl FrameRef<'_> {
    pub fn to_owned(&self) -> Frame {
        Frame { file: lossy(self.file), line: self.line, function: self.function.map(lossy), app: self.app }
    }
}

/// The frames of a record, in the order printed, and the language that printed them.
pub fn frames(text: &[u8]) -> (Vec<Frame>, Lang) {
    let mut out = Vec::new();
    let lang = visit_frames(text, &mut |f| out.push(f.to_owned()));
    (out, lang)
}

/// The innermost application frame alone (what [`frames`] and [`innermost`] give), read
/// without keeping the others: what a record that is only counted needs.
pub fn innermost_frame(text: &[u8]) -> Option<Frame> {
    let (mut first_app, mut last_app) = (None, None);
    let lang = visit_frames(text, &mut |f| {
        if f.app {
            first_app.get_or_insert(f);
            last_app = Some(f);
        }
    });
    match lang {
        Lang::Python => last_app,
        Lang::Other => first_app,
    }
    .map(|f| f.to_owned())
}

/// Calls `on_frame` for each frame of a record, in the order printed; returns the language.
fn visit_frames<'a>(text: &'a [u8], on_frame: &mut dyn FnMut(FrameRef<'a>)) -> Lang {
    let mut lang = Lang::Other;
    let mut seen = false;
    let mut emit = |f: FrameRef<'a>| {
        seen = true;
        on_frame(f);
    };
    let mut pending_fn: Option<&'a [u8]> = None; // Go/Rust: function line before its location
    let mut panic_at: Option<FrameRef<'a>> = None; // Rust: where it panicked, when no backtrace follows
    for raw in split_lines(text) {
        let line = crate::record::trim_end(raw);
        let t = line.trim_ascii_start();
        if let Some(rest) = t.strip_prefix(b"File \"") {
            // Python: File "path", line N, in func
            if let Some(q) = memchr::memchr(b'"', rest) {
                let file = &rest[..q];
                let after = &rest[q + 1..];
                let ln = memchr::memmem::find(after, b"line ").and_then(|i| parse_u32(&after[i + 5..]));
                let func = memchr::memmem::find(after, b", in ").map(|i| &after[i + 5..]);
                emit(FrameRef { app: app_file(file), file, line: ln, function: func });
                lang = Lang::Python;
            }
            pending_fn = None;
            continue;
        }
        if let Some(rest) = t.strip_prefix(b"at ") {
            if line.len() != t.len() {
                let rest = crate::record::trim_end(rest);
                if rest.ends_with(b")") {
                    if let Some(open) = memchr::memrchr(b'(', rest) {
                        let func = &rest[..open];
                        let loc = &rest[open + 1..rest.len() - 1];
                        if t.starts_with(b"at ") && line.first() == Some(&b'\t') || (memchr::memchr(b' ', func).is_none() && loc.contains(&b'.') && !loc.contains(&b'/') && !loc.contains(&b'\\') && func.contains(&b'.') && (loc.ends_with(b"Method") || loc.windows(5).any(|w| w == b".java" || w == b".scal") || loc.windows(3).any(|w| w == b".kt"))) {
                            // Java: at pkg.Class.method(File.java:12)
                            let (file, ln) = match memchr::memchr(b':', loc) {
                                Some(i) => (&loc[..i], parse_u32(&loc[i + 1..])),
                                None => (loc, None),
                            };
                            emit(FrameRef { app: app_java(func), file, line: ln, function: Some(func) });
                        } else {
                            // Node: at fn (file:line:col)
                            let func = func.trim_ascii();
                            let func = func.strip_prefix(b"async ").unwrap_or(func);
                            let (file, ln) = file_line(loc);
                            emit(FrameRef { app: app_file(file), file, line: ln, function: (!func.is_empty()).then_some(func) });
                        }
                        continue;
                    }
                }
                // Node: at file:line:col / Rust: at /path/src/main.rs:2:5
                let (file, ln) = file_line(rest);
                if let Some(func) = pending_fn.take() {
                    emit(FrameRef { app: app_rust(func) && app_file(file), file, line: ln, function: Some(func) });
                } else if ln.is_some() {
                    emit(FrameRef { app: app_file(file), file, line: ln, function: None });
                }
                continue;
            }
        }
        // Rust backtrace:   12: module::function
        if line.len() != t.len() {
            if let Some(colon) = t.iter().position(|&b| b == b':') {
                if colon > 0 && t[..colon].iter().all(u8::is_ascii_digit) && t.get(colon + 1) == Some(&b' ') {
                    if let Some(func) = pending_fn.take() {
                        emit(FrameRef { app: false, file: b"", line: None, function: Some(func) });
                    }
                    let mut f = t[colon + 2..].trim_ascii();
                    // strip a trailing ::h0123456789abcdef hash
                    if let Some(i) = memchr::memmem::rfind(f, b"::h") {
                        if f.len() - i == 19 {
                            f = &f[..i];
                        }
                    }
                    pending_fn = Some(f);
                    continue;
                }
            }
            // Go: \t/path/file.go:42 +0x1d
            if line.first() == Some(&b'\t') {
                if let Some(func) = pending_fn.take() {
                    let loc = t.split(|&b| b == b' ').next().unwrap_or(t);
                    let (file, ln) = file_line(loc);
                    let app = !func.starts_with(b"runtime.") && !func.starts_with(b"panic(") && app_file(file);
                    emit(FrameRef { app, file, line: ln, function: Some(func) });
                    continue;
                }
            }
        }
        if line.len() == t.len() && line.ends_with(b")") && crate::record::kind(line) == crate::record::Kind::GoFrame {
            // Go function line: main.(*T).m(0xc000...) → main.(*T).m
            let open = go_args_open(line);
            pending_fn = Some(&line[..open]);
            continue;
        }
        if line.len() == t.len() {
            if let Some(rest) = line.strip_prefix(b"thread '") {
                // Rust panic location: thread 'main' panicked at src/main.rs:2:5:
                if let Some(i) = memchr::memmem::find(rest, b"' panicked at ") {
                    let loc = &rest[i + 14..];
                    let loc = loc.strip_suffix(b":").unwrap_or(loc);
                    let loc = match memchr::memmem::rfind(loc, b"', ") {
                        Some(j) => &loc[j + 3..],
                        None => loc,
                    };
                    let (file, ln) = file_line(loc);
                    if ln.is_some() && panic_at.is_none() {
                        panic_at = Some(FrameRef { app: app_file(file), file, line: ln, function: None });
                    }
                }
            }
        }
    }
    if let Some(func) = pending_fn {
        emit(FrameRef { app: false, file: b"", line: None, function: Some(func) });
    }
    if !seen {
        if let Some(f) = panic_at {
            on_frame(f);
        }
    }
    lang
}

fn go_args_open(line: &[u8]) -> usize {
    // the '(' that opens the argument list: the last '(' whose matching ')' ends the line
    let mut depth = 0i32;
    for i in (0..line.len()).rev() {
        match line[i] {
            b')' => depth += 1,
            b'(' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    line.len()
}

/// Index of the innermost application frame: the last one for Python (most recent call
/// last), the first one for everything else (innermost first).
pub fn innermost(frames: &[Frame], lang: Lang) -> Option<usize> {
    match lang {
        Lang::Python => frames.iter().rposition(|f| f.app),
        Lang::Other => frames.iter().position(|f| f.app),
    }
}

// ---------------------------------------------------------------------------------------
// Exception type

/// The exception class a record names: the final one of a Python traceback, the first of a
/// Java/Node stack, `panic` for Go and Rust.
pub fn exception(text: &[u8], lang: Lang) -> Option<String> {
    use crate::record::{kind, Kind};
    let mut found = None;
    for (n, raw) in text.split(|&b| b == b'\n').enumerate() {
        let line = crate::record::trim_end(raw);
        let k = kind(line);
        let name = match k {
            Kind::Exception => Some(exception_name(line)),
            Kind::JavaThread => {
                // Exception in thread "main" java.lang.X: msg
                let rest = &line[20..];
                let after = memchr::memmem::find(rest, b"\" ").map_or(rest, |i| &rest[i + 2..]);
                Some(exception_name(after))
            }
            Kind::GoPanic | Kind::GoFatal | Kind::RustPanic | Kind::RustPanicColon => Some("panic".to_string()),
            _ if n == 0 => {
                // the header's message may carry it: `... ERROR ... ValueError: bad`
                None
            }
            _ => None,
        };
        if let Some(name) = name.filter(|s| !s.is_empty()) {
            found = Some(name);
            if lang != Lang::Python {
                break;
            }
        }
    }
    found
}

fn exception_name(line: &[u8]) -> String {
    let end = line.iter().position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'$'))).unwrap_or(line.len());
    lossy(&line[..end])
}

// ---------------------------------------------------------------------------------------
// Objects

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Objects {
    pub paths: Vec<String>,
    pub hosts: Vec<String>,
    pub ports: Vec<u32>,
    pub pids: Vec<u32>,
    pub services: Vec<String>,
    pub devices: Vec<String>,
}

const MAX_OBJECTS: usize = 8;

fn push_unique<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if v.len() < MAX_OBJECTS && !v.contains(&x) {
        v.push(x);
    }
}

const FILE_EXTS: &[&str] = &[
    "pt", "pth", "bin", "ckpt", "gguf", "ggml", "safetensors", "onnx", "h5", "pb", "tflite", "engine", "yaml", "yml", "json",
    "toml", "ini", "cfg", "conf", "py", "js", "mjs", "cjs", "ts", "java", "go", "rs", "log", "txt", "csv", "parquet", "db",
    "sqlite", "sqlite3", "mp4", "mkv", "avi", "mov", "webm", "wav", "mp3", "png", "jpg", "jpeg", "so", "dll", "dylib", "lock",
    "pid", "sock", "tar", "gz", "zst", "zip", "xml", "model", "pkl", "npy", "npz", "jar", "wasm", "env", "properties",
];

fn trim_token(t: &[u8]) -> &[u8] {
    let is_junk = |b: &u8| matches!(b, b'\'' | b'"' | b'(' | b')' | b',' | b';' | b'[' | b']' | b'{' | b'}' | b'`' | b'<' | b'>');
    let mut s = t;
    while s.first().is_some_and(is_junk) {
        s = &s[1..];
    }
    while s.last().is_some_and(|b| is_junk(b) || matches!(b, b'.' | b':' | b'!' | b'?')) {
        s = &s[..s.len() - 1];
    }
    s
}

fn is_ipv4(s: &[u8]) -> bool {
    if s.len() < 7 || s.len() > 15 || !s[0].is_ascii_digit() {
        return false;
    }
    let mut parts = 0;
    for p in s.split(|&b| b == b'.') {
        if p.is_empty() || p.len() > 3 || !p.iter().all(u8::is_ascii_digit) {
            return false;
        }
        parts += 1;
    }
    parts == 4
}

fn is_hostname(s: &[u8]) -> bool {
    s == b"localhost"
        || is_ipv4(s)
        || (s.contains(&b'.')
            && s.len() <= 253
            && s.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
            && s.iter().any(u8::is_ascii_alphabetic)
            && !s.ends_with(b".")
            && s.rsplit(|&b| b == b'.').next().is_some_and(|tld| tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic))
            && !FILE_EXTS.iter().any(|e| s.rsplit(|&b| b == b'.').next() == Some(e.as_bytes())))
}

fn port_of(s: &[u8]) -> Option<u32> {
    let p: u32 = std::str::from_utf8(s).ok()?.parse().ok()?;
    (1..=65535).contains(&p).then_some(p)
}

/// The objects named in the record's text (the non-indented lines; frames are not objects).
pub fn objects(text: &[u8], header: &Header<'_>) -> Objects {
    let mut o = Objects::default();
    if let Some(pid) = header.pid {
        push_unique(&mut o.pids, pid);
    }
    if let Some(logger) = &header.logger {
        push_unique(&mut o.services, logger.to_string());
    }
    for (n, raw) in text.split(|&b| b == b'\n').enumerate() {
        if n > 0 && raw.first().is_some_and(|&b| b == b' ' || b == b'\t') {
            continue;
        }
        if n >= 64 {
            break;
        }
        let line = crate::record::trim_end(raw);
        let toks: Vec<&[u8]> = line.split(|&b| b == b' ' || b == b'\t').filter(|t| !t.is_empty()).collect();
        for (i, raw_tok) in toks.iter().enumerate() {
            let tok = trim_token(raw_tok);
            if tok.is_empty() {
                continue;
            }
            let next = toks.get(i + 1).map(|t| trim_token(t));
            // key=value pairs
            if let Some(eq) = memchr::memchr(b'=', tok) {
                let (k, v) = (&tok[..eq], trim_token(&tok[eq + 1..]));
                match k.to_ascii_lowercase().as_slice() {
                    b"host" | b"hostname" | b"server" | b"addr" | b"address" | b"remote" | b"upstream" | b"peer" => {
                        if let Some(c) = memchr::memrchr(b':', v) {
                            if let Some(p) = port_of(&v[c + 1..]) {
                                push_unique(&mut o.hosts, lossy(&v[..c]));
                                push_unique(&mut o.ports, p);
                                continue;
                            }
                        }
                        if !v.is_empty() {
                            push_unique(&mut o.hosts, lossy(v));
                        }
                    }
                    b"port" => {
                        if let Some(p) = port_of(v) {
                            push_unique(&mut o.ports, p);
                        }
                    }
                    b"pid" => {
                        if let Some(p) = parse_u32(v).filter(|_| v.iter().all(u8::is_ascii_digit)) {
                            push_unique(&mut o.pids, p);
                        }
                    }
                    b"path" | b"file" | b"filename" | b"dir" | b"model" | b"config" => {
                        if v.contains(&b'/') || v.contains(&b'.') {
                            push_unique(&mut o.paths, lossy(v));
                        }
                    }
                    b"service" | b"unit" => push_unique(&mut o.services, lossy(v)),
                    b"device" | b"dev" | b"gpu" => push_unique(&mut o.devices, lossy(v)),
                    _ => {}
                }
                continue;
            }
            let lower = tok.to_ascii_lowercase();
            // pid 1234 / PID: 1234 / process 1234
            if matches!(lower.as_slice(), b"pid" | b"pid:" | b"process" | b"pid#") {
                if let Some(p) = next.and_then(|n| n.iter().all(u8::is_ascii_digit).then(|| parse_u32(n)).flatten()) {
                    push_unique(&mut o.pids, p);
                }
                continue;
            }
            if matches!(lower.as_slice(), b"port" | b"port:") {
                if let Some(p) = next.and_then(port_of) {
                    push_unique(&mut o.ports, p);
                }
                continue;
            }
            // devices: cuda:0, GPU 0, /dev/sda1, nvidia0, dev sda
            if lower.starts_with(b"cuda:") && lower[5..].iter().all(u8::is_ascii_digit) && lower.len() > 5 {
                push_unique(&mut o.devices, lossy(tok));
                continue;
            }
            if lower == b"gpu" || lower == b"device" {
                if let Some(n) = next.filter(|n| !n.is_empty() && n.iter().all(u8::is_ascii_digit)) {
                    push_unique(&mut o.devices, format!("{} {}", lossy(tok), lossy(n)));
                }
                continue;
            }
            if lower == b"dev" {
                if let Some(n) = next.filter(|n| n.len() >= 3 && n.iter().all(|b| b.is_ascii_alphanumeric())) {
                    push_unique(&mut o.devices, format!("/dev/{}", lossy(n)));
                }
                continue;
            }
            if tok.starts_with(b"/dev/") && tok.len() > 5 {
                push_unique(&mut o.devices, lossy(tok));
                continue;
            }
            if lower.starts_with(b"nvidia") && lower.len() > 6 && lower[6..].iter().all(u8::is_ascii_digit) {
                push_unique(&mut o.devices, lossy(tok));
                continue;
            }
            // services: x.service, and other systemd units
            if tok.ends_with(b".service") || tok.ends_with(b".socket") || tok.ends_with(b".timer") {
                push_unique(&mut o.services, lossy(tok));
                continue;
            }
            // URLs: scheme://host[:port]/...
            if let Some(i) = memchr::memmem::find(tok, b"://") {
                let rest = &tok[i + 3..];
                let hostport = &rest[..rest.iter().position(|&b| b == b'/' || b == b'?').unwrap_or(rest.len())];
                let hostport = hostport.rsplit(|&b| b == b'@').next().unwrap_or(hostport);
                match memchr::memrchr(b':', hostport) {
                    Some(c) if port_of(&hostport[c + 1..]).is_some() => {
                        push_unique(&mut o.hosts, lossy(&hostport[..c]));
                        push_unique(&mut o.ports, port_of(&hostport[c + 1..]).unwrap());
                    }
                    _ if !hostport.is_empty() => push_unique(&mut o.hosts, lossy(hostport)),
                    _ => {}
                }
                continue;
            }
            // paths: /abs, ./rel, ~/x, C:\x, dir/file, name.ext
            let looks_path = (tok.first() == Some(&b'/') && tok.len() > 1 && tok[1] != b'/')
                || tok.starts_with(b"./")
                || tok.starts_with(b"../")
                || tok.starts_with(b"~/")
                || (tok.len() > 3 && tok[0].is_ascii_alphabetic() && tok[1] == b':' && tok[2] == b'\\');
            if looks_path {
                let p = tok.split(|&b| b == b':').next().unwrap_or(tok);
                let p = if tok.len() > 2 && tok[1] == b':' { tok } else { p };
                push_unique(&mut o.paths, lossy(p));
                continue;
            }
            // host:port / ip:port / bare IPs and hostnames after "to"/"connect"
            if let Some(c) = memchr::memrchr(b':', tok) {
                if let Some(p) = port_of(&tok[c + 1..]) {
                    if is_hostname(&tok[..c]) {
                        push_unique(&mut o.hosts, lossy(&tok[..c]));
                        push_unique(&mut o.ports, p);
                        continue;
                    }
                }
            }
            if is_ipv4(tok) {
                push_unique(&mut o.hosts, lossy(tok));
                continue;
            }
            if tok.contains(&b'/') && !tok.contains(&b'=') && tok.iter().any(u8::is_ascii_alphabetic) && tok.iter().all(|b| b.is_ascii_graphic()) && tok.len() > 2 && !tok.starts_with(b"http") {
                if let Some(dot) = memchr::memrchr(b'.', tok) {
                    if FILE_EXTS.contains(&std::str::from_utf8(&tok[dot + 1..]).unwrap_or("")) {
                        push_unique(&mut o.paths, lossy(tok));
                        continue;
                    }
                }
            }
            if let Some(dot) = memchr::memrchr(b'.', tok) {
                let ext = std::str::from_utf8(&tok[dot + 1..]).unwrap_or("");
                if dot > 0 && FILE_EXTS.contains(&ext) && tok[..dot].iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/')) {
                    push_unique(&mut o.paths, lossy(tok));
                    continue;
                }
            }
            if matches!(lower.as_slice(), b"to" | b"host" | b"resolve" | b"server") {
                if let Some(n) = next.filter(|n| is_hostname(n)) {
                    push_unique(&mut o.hosts, lossy(n));
                }
            }
        }
    }
    o
}

// ---------------------------------------------------------------------------------------
// Message shapes

/// The message with what varies between occurrences masked: numbers `<n>`, hex and ids
/// `<hex>`, UUIDs `<id>`, paths `<path>`, URLs `<url>`, IPs `<ip>`. Messages with the same
/// shape are the same failure.
pub fn shape(message: &str) -> String {
    let mut out = Vec::new();
    shape_bytes_into(message, &mut out);
    match String::from_utf8(out) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// A shape reads the first bytes of a message only.
pub const SHAPE_BYTES: usize = 512;

/// [`shape`] into a reused buffer (cleared first): no allocation per record. The bytes are
/// UTF-8 except where the 512-byte cut splits a character at the end (read it lossily).
pub fn shape_bytes_into(message: &str, out: &mut Vec<u8>) {
    out.clear();
    let msg = message.as_bytes();
    let msg = &msg[..msg.len().min(SHAPE_BYTES)];
    let mut i = 0;
    while i < msg.len() {
        let c = msg[i];
        if SHAPE_CLASS[c as usize] & DELIM != 0 {
            out.push(c);
            i += 1;
            continue;
        }
        // To the word's end, noting what the tests below look for on the way.
        let (mut end, mut flags) = (i, 0u8);
        while end < msg.len() && SHAPE_CLASS[msg[end] as usize] & DELIM == 0 {
            flags |= SHAPE_CLASS[msg[end] as usize];
            end += 1;
        }
        let word = &msg[i..end];
        // keep a trailing ':' or '.' outside the mask
        let (core, tail) = match word.last() {
            Some(b':' | b'.' | b';') if word.len() > 1 => (&word[..word.len() - 1], &word[word.len() - 1..]),
            _ => (word, &word[..0]),
        };
        if !tail.is_empty() && tail != b";" {
            flags = core.iter().fold(0, |f, &b| f | SHAPE_CLASS[b as usize]);
        }
        let colon = if flags & COLON != 0 { memchr::memchr(b':', core) } else { None };
        let (slash, dot, alnum, digit) = (flags & SLASH != 0, flags & DOT != 0, flags & ALNUM != 0, flags & DIGIT != 0);
        if !digit && colon.is_none() && !slash && !dot && core.len() != 36 {
            // A word (most are): no test below can mask it, and `mask_word` keeps it.
            out.extend_from_slice(core);
        } else if colon.is_some() && memchr::memmem::find(core, b"://").is_some() {
            out.extend_from_slice(b"<url>");
        } else if slash && core.len() > 1 && alnum {
            out.extend_from_slice(b"<path>");
        } else if dot && is_file_name(core) {
            out.extend_from_slice(b"<path>");
        } else if is_ipv4(core) || colon.is_some_and(|c| is_ipv4(&core[..c])) {
            out.extend_from_slice(b"<ip>");
        } else if is_uuid(core) {
            out.extend_from_slice(b"<id>");
        } else {
            mask_word(core, out);
        }
        out.extend_from_slice(tail);
        i = end;
    }
}

// What each byte is to [`shape_bytes_into`]: a table, as the shape reads every byte of
// every counted record's message.
const DELIM: u8 = 1;
const DIGIT: u8 = 2;
const COLON: u8 = 4;
const SLASH: u8 = 8;
const DOT: u8 = 16;
const ALNUM: u8 = 32;
static SHAPE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = match c {
            b' ' | b'\t' | b'"' | b'\'' | b'=' | b'(' | b')' | b',' | b'[' | b']' => DELIM,
            b'0'..=b'9' => DIGIT | ALNUM,
            b'a'..=b'z' | b'A'..=b'Z' => ALNUM,
            b':' => COLON,
            b'/' | b'\\' => SLASH,
            b'.' => DOT,
            _ => 0,
        };
        i += 1;
    }
    t
};

fn is_file_ext(ext: &[u8]) -> bool {
    FILE_EXTS.iter().any(|e| e.as_bytes() == ext)
}

/// `clips_base.pt`, `config.yaml`: a name with a known file extension.
fn is_file_name(w: &[u8]) -> bool {
    match memchr::memrchr(b'.', w) {
        Some(dot) if dot > 0 => {
            is_file_ext(&w[dot + 1..]) && w[..dot].iter().any(u8::is_ascii_alphabetic) && w[..dot].iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        }
        _ => false,
    }
}

fn is_uuid(w: &[u8]) -> bool {
    w.len() == 36 && w.iter().enumerate().all(|(i, b)| if matches!(i, 8 | 13 | 18 | 23) { *b == b'-' } else { b.is_ascii_hexdigit() })
}

fn mask_word(w: &[u8], out: &mut Vec<u8>) {
    // a long hex-ish run with a digit: sha, ids, addresses
    let hexish = w.len() >= 8 && w.iter().all(u8::is_ascii_hexdigit) && w.iter().any(u8::is_ascii_digit);
    if hexish {
        out.extend_from_slice(b"<hex>");
        return;
    }
    let mut i = 0;
    while i < w.len() {
        if w[i] == b'0' && matches!(w.get(i + 1), Some(b'x' | b'X')) && w.get(i + 2).is_some_and(u8::is_ascii_hexdigit) {
            let mut j = i + 2;
            while j < w.len() && w[j].is_ascii_hexdigit() {
                j += 1;
            }
            out.extend_from_slice(b"<hex>");
            i = j;
        } else if w[i].is_ascii_digit() {
            let mut j = i;
            while j < w.len() && (w[j].is_ascii_digit() || (w[j] == b'.' && w.get(j + 1).is_some_and(u8::is_ascii_digit))) {
                j += 1;
            }
            out.extend_from_slice(b"<n>");
            i = j;
        } else {
            let start = i;
            while i < w.len() && !w[i].is_ascii_digit() {
                i += 1;
            }
            out.extend_from_slice(&w[start..i]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(line: &str) -> Option<String> {
        header(line.as_bytes(), 2025).time.map(|t| t.iso())
    }

    #[test]
    fn timestamps() {
        assert_eq!(ts("2025-05-17T10:05:00.123Z ERROR x").as_deref(), Some("2025-05-17T10:05:00.123Z"));
        assert_eq!(ts("2025-05-17T12:05:00+02:00 ERROR x").as_deref(), Some("2025-05-17T10:05:00Z"));
        assert_eq!(ts("2025-05-17 10:05:00,123 - x - ERROR - y").as_deref(), Some("2025-05-17T10:05:00.123"));
        assert_eq!(ts("May 17 10:05:00 host app[1]: x").as_deref(), Some("2025-05-17T10:05:00"));
        assert_eq!(ts("May  7 10:05:00 host app[1]: x").as_deref(), Some("2025-05-07T10:05:00"));
        assert_eq!(ts("{\"ts\":1747476300,\"level\":\"error\"}").as_deref(), Some("2025-05-17T10:05:00Z"));
        assert_eq!(ts("{\"ts\":1747476300123,\"level\":\"error\"}").as_deref(), Some("2025-05-17T10:05:00.123Z"));
        assert_eq!(ts("{\"@timestamp\":\"2025-05-17T10:05:00Z\"}").as_deref(), Some("2025-05-17T10:05:00Z"));
        assert_eq!(ts("2025/05/17 10:05:00 [error] 12#0: x").as_deref(), Some("2025-05-17T10:05:00"));
        assert_eq!(ts("1.2.3.4 - - [17/May/2025:10:05:00 +0000] \"GET /\"").as_deref(), Some("2025-05-17T10:05:00Z"));
        assert_eq!(ts("2025-05-17 10:05:00.123 UTC [42] ERROR:  x").as_deref(), Some("2025-05-17T10:05:00.123Z"));
        assert_eq!(ts("1234:M 17 May 2025 10:05:00.123 # x").as_deref(), Some("2025-05-17T10:05:00.123"));
        assert_eq!(ts("05-17 10:05:00.123  1234  1234 E Tag: x").as_deref(), Some("2025-05-17T10:05:00.123"));
        assert_eq!(ts("no time here"), None);
    }

    #[test]
    fn headers() {
        let h = header(b"2025-05-17 10:05:00 - visionai_processor - ERROR - Out of memory", 2025);
        assert_eq!((h.level.as_deref(), h.logger.as_deref(), &*h.message), (Some("ERROR"), Some("visionai_processor"), "Out of memory"));
        let h = header(b"May 17 10:05:00 gpu01 trainer[4242]: CUDA error", 2025);
        assert_eq!((h.logger.as_deref(), h.pid, &*h.message), (Some("trainer"), Some(4242), "CUDA error"));
        let h = header(b"2025-05-17 10:05:00,123 ERROR [main] c.e.App - Request failed", 2025);
        assert_eq!((h.level.as_deref(), h.logger.as_deref(), &*h.message), (Some("ERROR"), Some("c.e.App"), "Request failed"));
        let h = header(b"ERROR:root:boom", 2025);
        assert_eq!((h.level.as_deref(), h.logger.as_deref(), &*h.message), (Some("ERROR"), Some("root"), "boom"));
        let h = header(b"{\"time\":\"2025-05-17T10:05:00Z\",\"level\":\"error\",\"logger\":\"api\",\"msg\":\"boom\"}", 2025);
        assert_eq!((h.level.as_deref(), h.logger.as_deref(), &*h.message), (Some("ERROR"), Some("api"), "boom"));
        let h = header(b"05-17 10:05:00.123  1234  1234 E AndroidRuntime: FATAL EXCEPTION: main", 2025);
        assert_eq!((h.level.as_deref(), h.logger.as_deref(), &*h.message), (Some("ERROR"), Some("AndroidRuntime"), "FATAL EXCEPTION: main"));
        let h = header(b"2025/05/17 10:05:00 [crit] 12#0: *1 open() failed", 2025);
        assert_eq!((h.level.as_deref(), &*h.message), (Some("CRITICAL"), "open() failed"));
    }

    #[test]
    fn shapes() {
        assert_eq!(shape("Killed process 1234 (python) total-vm:123456kB"), "Killed process <n> (python) total-vm:<n>kB");
        assert_eq!(shape("open /data/models/a.pt failed"), "open <path> failed");
        assert_eq!(shape("connect to 10.0.0.1:5432 refused"), "connect to <ip> refused");
        assert_eq!(shape("sha deadbeef12 at 0x7f00"), "sha <hex> at <hex>");
        assert_eq!(shape("Model file corrupt: clips_base.pt checksum mismatch"), "Model file corrupt: <path> checksum mismatch");
        // Words whose trailing ':' or '.' is kept outside the mask, a UUID of letters alone.
        assert_eq!(shape("at host:. see https://x.io/a: job abcdefab-abcd-abcd-abcd-abcdefabcdef, port 10.0.0.1:80."), "at host:. see <url>: job <id>, port <ip>.");
    }

    #[test]
    fn embedded_text_is_expanded_alike_from_the_chunk_copy() {
        let records: [&[u8]; 4] = [
            br#"{"msg":"boom","exc_info":"Traceback (most recent call last):\n  File \"/app/a.py\", line 3, in f\nValueError: bad \u00e9"}"#,
            b"{\"msg\":\"x\",\"stack\":\"Error: y\\n    at f (/app/b.js:1:2)\"}\r\n    at g (/app/c.js:3:4)\n\nmore",
            b"{\"err\":{\"stack\":\"E\\n\\tat a.B.c(B.java:9)\\\"q\\\\\"},\"bad\":\"\xff\\n\"}",
            br#"{"unterminated":"a\nb"#,
        ];
        for text in records {
            let (mut embedded, mut expanded) = (Vec::new(), Vec::new());
            let first = text.split(|&b| b == b'\n').next().unwrap();
            assert!(embedded_lines(first, &mut embedded), "{}", String::from_utf8_lossy(text));
            expand_first_line_into(text, &embedded, &mut expanded);
            assert_eq!(expanded, &*expand_embedded(text), "{}", String::from_utf8_lossy(text));
            assert!(std::str::from_utf8(&embedded).is_ok());
        }
        let (mut out, line) = (Vec::new(), br#"{"a":"x\ny\u0041","b":"no break","c":"tab\there\nz"}"#);
        assert!(embedded_lines(line, &mut out));
        assert_eq!(out, b"x\nyA\ntab\there\nz\n");
    }

    #[test]
    fn objects_named() {
        let h = Header::default();
        let o = objects(b"CUDA error on cuda:0 (GPU 1) writing /data/x.bin for nvidia0 to db.internal:5432 pid=77 redis.service", &h);
        assert_eq!(o.devices, vec!["cuda:0", "GPU 1", "nvidia0"]);
        assert_eq!(o.paths, vec!["/data/x.bin"]);
        assert_eq!(o.hosts, vec!["db.internal"]);
        assert_eq!(o.ports, vec![5432]);
        assert_eq!(o.pids, vec![77]);
        assert_eq!(o.services, vec!["redis.service"]);
        let o = objects(b"Model file corrupt: clips_base.pt checksum mismatch", &h);
        assert_eq!(o.paths, vec!["clips_base.pt"]);
    }
}
