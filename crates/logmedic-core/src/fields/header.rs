//! A record's header: time, level, logger, PID and where the message starts, read from
//! its first line in any of the formats logmedic knows (plain, bracketed, syslog, JSON), and
//! [`is_header`], the one rule for which lines open a record.

use std::borrow::Cow;

use super::{json::*, time::*};

/// A line's header, borrowing from the line where it can: reading one allocates only for
/// escaped JSON strings or invalid UTF-8 (this runs for every record).
#[derive(Debug, Clone, Default)]
pub struct Header<'a> {
    pub time: Option<Timestamp>,
    pub level: Option<&'static str>,
    pub logger: Option<Cow<'a, str>>,
    pub pid: Option<u32>,
    /// The message: the line without its header prefix (always a suffix of the line).
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

/// A line as log collectors archive it (loghub's BGL and Thunderbird): an alert tag (`-` when
/// none, else an upper-case category), the time in epoch seconds, the date as `YYYY.MM.DD`,
/// and the node; the original line follows. Returns the time and where the original begins.
fn alert_epoch_prefix(line: &[u8]) -> Option<(Timestamp, usize)> {
    let sp = memchr::memchr(b' ', &line[..line.len().min(20)])?;
    let tag = &line[..sp];
    let tag_ok = tag == b"-" || (tag.first().is_some_and(u8::is_ascii_uppercase) && tag.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_'));
    if !tag_ok {
        return None;
    }
    let (t, n) = epoch_at(line, sp + 1).filter(|&(_, n)| n == 10)?;
    let at = sp + 1 + n;
    let date = line.get(at + 1..at + 11)?;
    let date_ok = line[at] == b' ' && date.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'.' } else { b.is_ascii_digit() });
    if !date_ok || line.get(at + 11) != Some(&b' ') {
        return None;
    }
    let node = at + 12;
    let node_end = node + memchr::memchr(b' ', &line[node..])?;
    Some((t, node_end + 1))
}

/// A line as a database export lays it out (loghub's HPC): a record number, three words (node,
/// component, state), the time in epoch seconds and a flag (`1`, `0`, `-1`); the message
/// follows. Returns the time and where the message starts.
fn numbered_export_prefix(line: &[u8]) -> Option<(Timestamp, usize)> {
    let mut words = line.splitn(7, |&b| b == b' ');
    let id = words.next()?;
    if id.is_empty() || id.len() > 12 || !id.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut pos = id.len() + 1;
    for _ in 0..3 {
        let word = words.next()?;
        if word.is_empty() || word.contains(&b':') {
            return None;
        }
        pos += word.len() + 1;
    }
    let epoch = words.next()?;
    if epoch.len() != 10 {
        return None;
    }
    let (t, _) = epoch_at(line, pos)?;
    // Epoch seconds from 2001 to 2096: a 10-digit word that is not a time stays text.
    if !(1_000_000_000_000..4_000_000_000_000).contains(&t.ms) {
        return None;
    }
    pos += 11;
    let flag = words.next()?;
    let digits = flag.strip_prefix(b"-").unwrap_or(flag);
    if digits.is_empty() || digits.len() > 2 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some((t, (pos + flag.len() + 1).min(line.len())))
}

/// A source name before the line's own ISO time, as collectors that merge files write it
/// (`nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 ...`, docker compose's
/// `web_1  | 2025-05-17T10:05:00Z ...`). Returns where the original line begins.
fn source_name_prefix(line: &[u8]) -> Option<usize> {
    let sp = memchr::memchr(b' ', &line[..line.len().min(129)])?;
    let name = &line[..sp];
    if sp == 0 || matches!(name[0], b'[' | b'{' | b'(' | b'<') || !name.iter().any(u8::is_ascii_alphabetic) {
        return None;
    }
    let mut at = sp;
    while line.get(at) == Some(&b' ') {
        at += 1;
    }
    if line.get(at) == Some(&b'|') && line.get(at + 1) == Some(&b' ') {
        at += 2;
    }
    iso_at(line, at).map(|_| at)
}

/// The end of a bracket group that starts at `at` (`[IPC Server handler 5 on 8020]`,
/// `[QuorumPeer[myid=1]/0:2181]`): the index after its closing bracket, nested brackets
/// counted, within 256 bytes.
fn bracket_group_end(line: &[u8], at: usize) -> Option<usize> {
    if line.get(at) != Some(&b'[') {
        return None;
    }
    let mut depth = 0usize;
    for (i, &b) in line[at..line.len().min(at + 256)].iter().enumerate() {
        match b {
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(at + i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// A syslog tag after the host: the text up to the first `: `, within 128 bytes, when it reads
/// as a program name (`sshd[42]`, `sshd(pam_unix)[42]`, `Microsoft Word[42]`,
/// `sandboxd[129] ([31211])`, `syslogd 1.4.1`). Returns (name, pid, where the message starts).
fn syslog_tag(line: &[u8], at: usize) -> Option<(&[u8], Option<u32>, usize)> {
    let window = &line[at..line.len().min(at + 128)];
    let colon = memchr::memmem::find(window, b": ").or_else(|| (window.last() == Some(&b':') && window.len() == line.len() - at).then(|| window.len() - 1))?;
    let tag = &window[..colon];
    if tag.is_empty() || tag.contains(&b':') || tag.contains(&b'=') || (tag[0] == b'-' && !tag.ends_with(b"]")) {
        return None;
    }
    // A detail in parentheses after the program (`sandboxd[129] ([31211])`) belongs to the tag.
    let program = match memchr::memmem::find(tag, b" (") {
        Some(i) if tag.ends_with(b")") => &tag[..i],
        _ => tag,
    };
    let words = program.split(|&b| b == b' ').count();
    let version = |w: &[u8]| w.first().is_some_and(u8::is_ascii_digit) && w.iter().all(|b| b.is_ascii_digit() || *b == b'.');
    let reads_as_program = words == 1 || program.ends_with(b"]") || (words == 2 && program.rsplit(|&b| b == b' ').next().is_some_and(version));
    if !reads_as_program {
        return None;
    }
    let (name, pid) = split_pid(program);
    Some((name, pid, at + colon + 1))
}

/// An upper-case level word among the first `max` words (after a time the reader does not
/// know and facility words: `2005-06-03-15.42.50.675872 R02-M1-N0 RAS KERNEL INFO msg`).
/// Returns the level and where the message after it starts.
fn level_after_words(body: &[u8], max: usize) -> Option<(&'static str, usize)> {
    let mut pos = 0;
    for _ in 0..max {
        while body.get(pos) == Some(&b' ') {
            pos += 1;
        }
        let end = pos + memchr::memchr(b' ', &body[pos..])?;
        let word = &body[pos..end];
        if word.len() > 1 && word.iter().all(u8::is_ascii_uppercase) {
            if let Some(level) = canonical_level(word) {
                return Some((level, end + 1));
            }
        }
        pos = end + 1;
    }
    None
}

fn is_level_word(word: &[u8]) -> bool {
    word.len() > 1 && level_word_len(word) == Some(word.len())
}

/// Whether [`header`] finds a time on a line that is not a JSON object: the same test, without
/// reading the rest of the header.
pub fn has_header_time(line: &[u8], year: impl Into<YearRule>) -> bool {
    let line = crate::record::trim_end(line);
    timestamp_at_start(line, year).is_some()
        || clf_time(line).is_some()
        || alert_epoch_prefix(line).is_some()
        || source_name_prefix(line).is_some()
        || numbered_export_prefix(line).is_some()
}

/// Read the header of a record's first line.
pub fn header(line: &[u8], year: impl Into<YearRule>) -> Header<'_> {
    let year = year.into();
    let line = crate::record::trim_end(line);
    if line.first() == Some(&b'{') {
        return json_header(line);
    }
    // A header is at the line's start; the message is read for its first MiB.
    let line = crate::record::trim_end(super::read_prefix(line, super::MESSAGE_READ_BYTES));
    if let Some((t, rest)) = alert_epoch_prefix(line) {
        // The collector's prefix gives the exact time; the original line follows it, and is
        // read as any line is (its own year-less time takes the prefix's year).
        let body = &line[rest..];
        let mut h = header(body, YearRule::NotAfter(t.ms + 86_400_000));
        if h.time.is_none() {
            if let Some((level, at)) = level_after_words(body, 6) {
                h.level = Some(level);
                h.message = super::lossy_text(&body[at..]);
            }
        }
        h.time = Some(t);
        return h;
    }
    if let Some(at) = source_name_prefix(line).filter(|_| timestamp_at_start(line, year).is_none()) {
        return header_from(line, at, year);
    }
    if let Some((t, at)) = numbered_export_prefix(line) {
        let mut h = Header { time: Some(t), ..Header::default() };
        h.message = super::lossy_text(&line[at..]);
        return h;
    }
    header_from(line, 0, year)
}

/// The header of the line that starts at `start` (after any collector's prefix).
fn header_from(full: &[u8], start: usize, year: YearRule) -> Header<'_> {
    let line = &full[start..];
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
                        h.logger = Some(super::lossy_text(word));
                    }
                }
                pos += i + 1;
            }
        }
    } else if let Some(t) = clf_time(line) {
        h.time = Some(t);
    }
    // glog / Android brief: the level is the first letter.
    if let Some(&c) = line.first() {
        if matches!(c, b'I' | b'W' | b'E' | b'F') && h.time.is_some() && line.get(5) == Some(&b' ') && pos > 0 {
            h.level = canonical_level(&[c]);
        } else if line.get(1) == Some(&b'/') && c.is_ascii_uppercase() {
            h.level = canonical_level(&[c]);
            let tag_end = line.iter().position(|&b| b == b'(' || b == b':').unwrap_or(line.len());
            h.logger = Some(trim_cow(super::lossy_text(&line[2..tag_end])));
            let body = memchr::memmem::find(&line[tag_end..], b": ").map_or(line.len(), |i| tag_end + i + 2);
            h.message = super::lossy_text(&line[body..]);
            return h;
        }
    }
    if h.time.is_some() {
        match line.get(pos) {
            // Windows CBS: `2016-09-28 04:30:30, Info   CBS   msg`
            Some(b',') if line.get(pos + 1) == Some(&b' ') => pos += 1,
            // `20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579`
            Some(b'|') => return pipe_fields(line, pos + 1, h),
            _ => {}
        }
    }
    let mut saw_sep = false;
    let mut after_group = false;
    let mut tokens = 0;
    // Walk the prefix token by token: levels, [brackets], `-` separators, `name[pid]:`.
    loop {
        while pos < line.len() && line[pos] == b' ' || line.get(pos) == Some(&b'\t') {
            pos += 1;
        }
        if pos >= line.len() || tokens >= 8 {
            break;
        }
        let plain_end = pos + line[pos..].iter().position(|&b| b == b' ' || b == b'\t').unwrap_or(line.len() - pos);
        // A bracket group is one token, spaces and nested brackets included.
        let group_end = bracket_group_end(line, pos).map(|e| if line.get(e) == Some(&b':') { e + 1 } else { e });
        let end = group_end.filter(|&e| e > plain_end && matches!(line.get(e), None | Some(b' ' | b'\t'))).unwrap_or(plain_end);
        let tok = &line[pos..end];
        tokens += 1;
        // UTC / zone words after the time
        if tokens == 1 && h.time.is_some() && matches!(tok, b"UTC" | b"GMT" | b"CST" | b"CEST" | b"CET" | b"PST" | b"EST") {
            pos = end;
            continue;
        }
        if tok == b"-" || tok == b"|" {
            pos = end;
            // log4j's `LEVEL [thread] - msg` (ZooKeeper): the separator after the thread ends the header.
            if after_group && h.level.is_some() {
                break;
            }
            saw_sep = true;
            continue;
        }
        after_group = false;
        let bare = tok.trim_ascii_end();
        let (inner, _wrapped) = strip_wrap(bare);
        // LEVEL, [LEVEL], <LEVEL>, LEVEL:, level=error, [error]
        let level_tok = inner.strip_suffix(b":").unwrap_or(inner);
        // `ERROR:root:message`: a level word glued to what follows by ':'
        let glued = level_word_len(level_tok).filter(|&n| n > 1 && level_tok.get(n) == Some(&b':'));
        let lv = if let Some(v) = level_tok.strip_prefix(b"level=").or_else(|| level_tok.strip_prefix(b"lvl=")) {
            canonical_level(v.trim_ascii_matches_quotes())
        } else if let Some(n) = glued {
            canonical_level(&level_tok[..n])
        } else if is_level_word(level_tok) || (_wrapped && canonical_level(level_tok).is_some() && level_tok.len() > 1) {
            canonical_level(level_tok)
        } else if tokens == 1 && h.time.is_some() && is_title_case(level_tok) && line[end..].starts_with(b"  ") {
            canonical_level(level_tok) // an aligned column: `Info                  CBS    msg`
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
                            h.logger = Some(super::lossy_text(&rest[..i]));
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
        if tok.iter().any(u8::is_ascii_digit) && tok.iter().all(|b| b.is_ascii_digit() || matches!(b, b'#' | b':' | b'*')) {
            pos = end;
            continue;
        }
        if h.level.is_some() && h.logger.is_none() && !_wrapped && is_name(tok) {
            // `LEVEL name   msg`: the name in an aligned column (two or more spaces after it).
            if line[end..].starts_with(b"  ") {
                h.logger = Some(super::lossy_text(tok));
                pos = end;
                break;
            }
            // `LEVEL dotted.name [request context] msg` (OpenStack's oslo.log).
            let next = end + line[end..].iter().take_while(|&&b| b == b' ').count();
            if tok.contains(&b'.') {
                if let Some(group) = bracket_group_end(line, next).filter(|&e| next > end && matches!(line.get(e), None | Some(b' '))) {
                    h.logger = Some(super::lossy_text(tok));
                    pos = group;
                    break;
                }
            }
        }
        if _wrapped && h.logger.is_none() && !bare.ends_with(b":") {
            // A group with spaces is a thread name when a logger or a separator follows it
            // (`[IPC Server handler 5 on 8020] org.x.Y: msg`); else it opens the message
            // (Apache's `[client 1.2.3.4] Directory index forbidden`).
            if inner.contains(&b' ') && !followed_by_logger(&line[end..]) {
                break;
            }
            pos = end;
            after_group = true;
            continue;
        }
        // `app[1234]:` / `app:` (syslog), `Tag:` (Android), `logger -` or `logger:`
        if let Some(name) = bare.strip_suffix(b":") {
            if !name.is_empty() && !name.contains(&b'=') && name.len() < 128 {
                let (n, pid) = split_pid(name);
                if h.logger.is_none() && !n.is_empty() {
                    h.logger = Some(super::lossy_text(n));
                    h.pid = pid;
                }
                pos = end;
                break;
            }
        }
        // Python format: `- name - LEVEL - msg`, Java: `LEVEL [thread] com.x.Y - msg`
        let after = &line[end..];
        // A program name of two words right after the time (Proxifier's `chrome.exe *64 - msg`).
        let name_end = if tokens == 1 && h.time.is_some() && !after.starts_with(b" - ") {
            after.get(1..).and_then(|a| memchr::memchr(b' ', &a[..a.len().min(12)])).map(|i| end + 1 + i).filter(|&e| e > end + 1 && line[e..].starts_with(b" - ") && is_qualifier(&line[end + 1..e]))
        } else {
            None
        };
        let end = name_end.unwrap_or(end);
        let after = &line[end..];
        if (saw_sep || h.level.is_some() || tokens <= 2) && after.starts_with(b" - ") && h.logger.is_none() && end - pos < 96 {
            h.logger = Some(super::lossy_text(&line[pos..end]));
            pos = end + 3;
            saw_sep = true;
            if h.level.is_none() {
                continue;
            }
            break;
        }
        // syslog: the host, then the program's tag (`app[pid]:`)
        if tokens == 1 && h.time.is_some() && h.level.is_none() {
            let next = end + line[end..].iter().take_while(|&&b| b == b' ').count();
            if let Some((name, pid, message)) = syslog_tag(line, next) {
                h.logger = Some(super::lossy_text(name));
                h.pid = pid;
                pos = message;
                break;
            }
        }
        break;
    }
    h.message = super::lossy_text(line[pos.min(line.len())..].trim_ascii_start());
    h
}

/// `time|field|field|message`: the fields before the message carry no spaces; a level word is
/// the level, the first other field the logger, and a number the PID, after which the message starts.
fn pipe_fields<'a>(line: &'a [u8], mut at: usize, mut h: Header<'a>) -> Header<'a> {
    for _ in 0..4 {
        let Some(bar) = memchr::memchr(b'|', &line[at..]) else { break };
        let field = &line[at..at + bar];
        if field.is_empty() || field.contains(&b' ') {
            break;
        }
        if field.iter().all(u8::is_ascii_digit) {
            // The PID closes the header: what follows is the message, bars and all.
            h.pid = std::str::from_utf8(field).ok().and_then(|f| f.parse().ok());
            at += bar + 1;
            break;
        } else if let Some(level) = canonical_level(field).filter(|_| h.level.is_none() && field.len() > 1) {
            h.level = Some(level);
        } else if h.logger.is_none() {
            h.logger = Some(super::lossy_text(field));
        }
        at += bar + 1;
    }
    h.message = super::lossy_text(line[at..].trim_ascii_start());
    h
}

/// A short word after a program's name (`*64`, a 64-bit process in Proxifier's log).
fn is_qualifier(word: &[u8]) -> bool {
    word.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'*'))
}

/// Whether the text after a bracket group goes on with a header: ` - ` or a `name:`.
fn followed_by_logger(rest: &[u8]) -> bool {
    let rest = rest.trim_ascii_start();
    if rest.starts_with(b"- ") {
        return true;
    }
    let word = &rest[..memchr::memchr(b' ', rest).unwrap_or(rest.len())];
    word.strip_suffix(b":").is_some_and(is_name)
}

/// `Info`, `Warning`: a capital and lower-case letters after it.
fn is_title_case(word: &[u8]) -> bool {
    word.len() > 1 && word[0].is_ascii_uppercase() && word[1..].iter().all(u8::is_ascii_lowercase)
}

/// A logger or program name: letters, digits and `._-$*/` (no brackets, quotes or colons).
fn is_name(word: &[u8]) -> bool {
    !word.is_empty() && word.len() < 96 && word.iter().any(u8::is_ascii_alphabetic) && word.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'$' | b'*' | b'/'))
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

// ---------------------------------------------------------------------------------------
// Where a record starts

const LEVELS: &[&[u8]] = &[
    b"ERROR", b"WARN", b"WARNING", b"INFO", b"DEBUG", b"TRACE", b"FATAL", b"CRITICAL", b"NOTICE", b"SEVERE", b"ALERT",
    b"EMERG", b"CRIT", b"ERR", b"PANIC", b"LOG", b"FINE", b"VERBOSE",
];

/// A level word (upper case) at the start of `b`, followed by a delimiter.
fn level_word_len(b: &[u8]) -> Option<usize> {
    for w in LEVELS {
        if b.starts_with(w) {
            let next = b.get(w.len()).copied();
            if matches!(next, None | Some(b':' | b' ' | b']' | b'\t' | b'|' | b'/' | b',')) {
                return Some(w.len());
            }
        }
    }
    None
}

/// Whether a line opens with a header, the one rule for where a record starts whatever came
/// before it (record boundaries, chunk edges, where a follower cuts). A header is:
/// - a JSON object, or a logfmt line (`time=`, `ts=`, `level=` first);
/// - a time this parser reads at the line's start ([`has_header_time`]: every form of
///   [`timestamp_at_start`], and the collectors' prefixes [`header`] reads past);
/// - a level word first, bare or in brackets (`ERROR:root:x`, `[WARN] x`), an Android tag
///   (`E/Tag(`), or CPython's `Fatal Python error:`;
/// - two starts with no date to read: a time of day alone (`10:05:00 x`) and the kernel's
///   time since boot (`[   12.345678] x`).
///
/// The first byte picks which of these can apply, so an indented frame or a blank line costs
/// one comparison: this runs on every line that follows a match.
pub fn is_header(line: &[u8]) -> bool {
    let Some(&c) = line.first() else { return false };
    let shape = match c {
        b'{' => return true,
        b' ' | b'\t' | b'\r' => return false,
        b'0'..=b'9' => is_time_of_day(line),
        b'[' => {
            let rest = line[1..].trim_ascii_start();
            level_word_len(rest).is_some() || is_uptime(line)
        }
        b'A'..=b'Z' => {
            level_word_len(line).is_some()
                || line.starts_with(b"Fatal Python error: ")
                || (matches!(c, b'V' | b'D' | b'I' | b'W' | b'E' | b'F' | b'A') && line.get(1) == Some(&b'/'))
        }
        b't' | b'l' => line.starts_with(b"time=") || line.starts_with(b"ts=") || line.starts_with(b"level="),
        _ => false,
    };
    // The year changes a time's value, never whether there is one.
    shape || has_header_time(line, YearRule::Fixed(2000))
}

/// `HH:MM` at the start: a clock with no date before it.
fn is_time_of_day(line: &[u8]) -> bool {
    let digits = |from: usize| line.get(from..from + 2).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    digits(0) && line.get(2) == Some(&b':') && digits(3)
}

/// The kernel's `[ seconds.micros]` (dmesg, a serial console).
fn is_uptime(line: &[u8]) -> bool {
    let rest = line[1..].trim_ascii_start();
    let int = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let frac = rest.get(int + 1..).map_or(0, |r| r.iter().take_while(|b| b.is_ascii_digit()).count());
    int > 0 && rest.get(int) == Some(&b'.') && frac > 0 && rest.get(int + 1 + frac) == Some(&b']')
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
                    let start = i;
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
                    // An array is given whole and unquoted (journald writes a MESSAGE that is
                    // not valid UTF-8 as an array of bytes); an object is skipped.
                    if line[start] == b'[' {
                        self.given += 1;
                        return Some((key, &line[start..i.min(n)], false));
                    }
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

fn json_header<'a>(line: &'a [u8]) -> Header<'a> {
    let mut h = Header::default();
    // Each time key is tried in turn (the first whose value reads as a time wins).
    let mut times: [Option<(&[u8], bool)>; TIME_KEYS.len()] = [None; TIME_KEYS.len()];
    let mut level = Pick::new(&[b"level", b"severity", b"lvl", b"log.level", b"levelname", b"loglevel"], false);
    // journald's fields (`journalctl -o json`) come last: an application's own names win.
    let mut logger = Pick::new(&[b"logger", b"logger_name", b"name", b"module", b"service", b"app", b"component", b"SYSLOG_IDENTIFIER", b"_SYSTEMD_UNIT", b"_COMM"], true);
    let mut pid = Pick::new(&[b"pid", b"process", b"_PID", b"SYSLOG_PID"], false);
    let mut message = Pick::new(&[b"msg", b"message", b"error", b"err", b"event", b"MESSAGE"], true);
    let mut journal = Journald::default();
    for (key, value, quoted) in JsonPairs::new(line) {
        if let Some(r) = TIME_KEYS.iter().position(|k| *k == key) {
            times[r].get_or_insert((value, quoted));
        }
        journal.offer(key, value, quoted);
        level.offer(key, value, quoted);
        logger.offer(key, value, quoted);
        pid.offer(key, value, quoted);
        message.offer(key, value, quoted);
    }
    let text = |v: &'a [u8]| -> Cow<'a, str> {
        let v = json_text_prefix(v);
        if v.contains(&b'\\') {
            Cow::Owned(unescape(v))
        } else {
            super::lossy_text(v)
        }
    };
    h.time = journal.time();
    for (b, quoted) in times.into_iter().flatten().filter(|_| h.time.is_none()) {
        let t = if quoted { iso_at(b, 0).map(|(t, _)| t).or_else(|| epoch_at(b, 0).map(|(t, _)| t)) } else { epoch_at(b, 0).map(|(t, _)| t) };
        if t.is_some() {
            h.time = t;
            break;
        }
    }
    if let Some(l) = journal.level().filter(|_| level.value().is_none()) {
        h.level = Some(l);
    } else if let Some((v, _)) = level.value() {
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
    h.message = match (message.value(), journal.message_bytes()) {
        (Some((v, _)), _) => text(v),
        (None, Some(bytes)) => Cow::Owned(super::lossy_text(super::read_prefix(&bytes, super::MESSAGE_READ_BYTES)).into_owned()),
        (None, None) => super::lossy_text(super::read_prefix(line, super::MESSAGE_READ_BYTES)),
    };
    h
}

/// The first [`MESSAGE_READ_BYTES`](super::MESSAGE_READ_BYTES) of a JSON string's raw text,
/// not cut inside an escape (`\\n`, `\\u00e9`): a cut there would unescape to other text.
fn json_text_prefix(raw: &[u8]) -> &[u8] {
    let v = super::read_prefix(raw, super::MESSAGE_READ_BYTES);
    if v.len() == raw.len() {
        return v;
    }
    let tail = v.len().saturating_sub(5);
    match memchr::memchr(b'\\', &v[tail..]) {
        Some(i) => &v[..tail + i],
        None => v,
    }
}

/// The fields of a journald entry as `journalctl -o json` writes them: the time in
/// microseconds as a string, the syslog priority 0-7, and a MESSAGE that is an array of bytes
/// when it is not valid UTF-8 (the string form is read like any other message key).
#[derive(Default)]
struct Journald<'a> {
    realtime_us: Option<&'a [u8]>,
    priority: Option<&'a [u8]>,
    message_array: Option<&'a [u8]>,
}

impl<'a> Journald<'a> {
    fn offer(&mut self, key: &[u8], value: &'a [u8], quoted: bool) {
        match key {
            b"__REALTIME_TIMESTAMP" => self.realtime_us = Some(value),
            b"PRIORITY" => self.priority = Some(value),
            b"MESSAGE" if !quoted && value.first() == Some(&b'[') => self.message_array = Some(value),
            _ => {}
        }
    }

    fn time(&self) -> Option<Timestamp> {
        let us: i64 = std::str::from_utf8(self.realtime_us?).ok()?.parse().ok()?;
        Some(Timestamp { ms: us / 1000, utc: true, frac: true })
    }

    /// syslog(3) priorities: 0 emerg, 1 alert, 2 crit, 3 err, 4 warning, 5 notice, 6 info, 7 debug.
    fn level(&self) -> Option<&'static str> {
        Some(match self.priority? {
            b"0" | b"1" => "FATAL",
            b"2" => "CRITICAL",
            b"3" => "ERROR",
            b"4" => "WARNING",
            b"5" | b"6" => "INFO",
            b"7" => "DEBUG",
            _ => return None,
        })
    }

    /// The MESSAGE array's bytes, as many as a message is read for (and a character more).
    fn message_bytes(&self) -> Option<Vec<u8>> {
        let inner = self.message_array?.strip_prefix(b"[")?.strip_suffix(b"]")?;
        let mut out = Vec::new();
        journal_array_into(inner, &mut out, super::MESSAGE_READ_BYTES + 4).then_some(out)
    }
}
