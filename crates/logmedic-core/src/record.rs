//! Records, not lines: which log entry owns a matching line. An entry starts at a header
//! line (timestamp, level, JSON, syslog) or at any line that does not continue the one
//! before; tracebacks (Python, Java, Node.js, Go, Rust) continue the entry they follow.
//!
//! Classification is a small state machine over lines. Some lines start a record whatever
//! the state ("boundaries", see [`is_boundary`]); chunks are cut only there, so every chunk
//! can group its records alone and the result never depends on where the chunks fall.
//! Which lines are headers is decided by the header parser's [`is_header`].

use crate::fields::is_header;

/// What a line looks like on its own, before context decides whether it starts a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Timestamp, level, JSON or syslog prefix at an error or warning level: always starts
    /// a record, and a Python/Java/Node.js traceback right after it is its own.
    Header,
    /// A header with no error level (INFO, DEBUG, a syslog or access line): it starts a
    /// record too, but a traceback after it is not its own (a crash printed after a
    /// routine line starts a record of its own).
    HeaderQuiet,
    /// An error-level header whose message is empty (`… ERROR … : `): the message follows
    /// on the next lines (Spring Boot's "APPLICATION FAILED TO START"), up to the next header.
    HeaderBlock,
    Blank,
    /// Starts with a space or a tab: frames, code, `\tat …`, `    at …`.
    Indented,
    /// `Traceback (most recent call last):`
    PyTraceback,
    /// `During handling of the above exception…` / `The above exception was the direct cause…`
    PyChain,
    /// `Exception in thread "main" …`
    JavaThread,
    /// `Caused by: …`, `Suppressed: …`
    CausedBy,
    /// `panic: …` (Go)
    GoPanic,
    /// `fatal error: …` (Go: a deadlock, concurrent map writes, out of memory)
    GoFatal,
    /// `goroutine 1 [running]:`
    Goroutine,
    /// `main.main()`, `created by …`, `[signal SIGSEGV …]`, `exit status 2`
    GoFrame,
    /// `thread 'main' panicked at src/main.rs:2:5:` (message on the next line)
    RustPanicColon,
    /// `thread 'main' panicked at 'msg', src/main.rs:2:5` (older, message inline)
    RustPanic,
    /// `note: …`, `stack backtrace:`
    RustNote,
    /// `ValueError: bad`, `java.lang.IllegalStateException: x`, `TypeError: y`
    Exception,
    /// `==1234==ERROR: AddressSanitizer: …` (ASan, LSan, TSan, UBSan reports)
    Sanitizer,
    /// `SUMMARY: AddressSanitizer: …`, the last line of a sanitizer report
    SanitizerEnd,
    Plain,
}

/// Where the state machine is, inside the current record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// A header or plain line with nothing after it yet: a traceback may follow.
    Open,
    /// After a routine (INFO/DEBUG) header: a traceback starts its own record.
    Quiet,
    /// After a header with an empty message: every line up to the next header continues.
    Block,
    /// Inside a Python traceback's frames.
    Py,
    /// After the final `ExcType: msg` of a Python traceback: lines up to a blank one
    /// continue its message (psycopg2's DETAIL/HINT, PyTorch's CUDA notes).
    PyEnd,
    /// After a blank line that followed a Python traceback: only a chaining sentence (or
    /// indented text) continues it.
    PyGap,
    /// After a chaining sentence: the next `Traceback` continues.
    PyChain,
    /// Java or Node.js exception and frames.
    Stack,
    /// An exception line right after an error header, before its frames: plain lines
    /// continue its message (Node.js's multi-line messages).
    StackMsg,
    /// Inside a sanitizer report, up to its SUMMARY line.
    Sanitizer,
    /// Go panic and goroutine dump.
    Go,
    /// Right after a Rust panic line whose message comes on the next line.
    RustMsg,
    Rust,
}

/// Whether a header line says it is at an error or warning level near its start: an
/// upper-case level word, or a lower-case one written as a value (`"error"`, `=warn`,
/// `[crit]`). One pass over the first bytes: this runs for every line near a match.
fn is_loud(line: &[u8]) -> bool {
    let head = &line[..line.len().min(120)];
    let mut i = 0;
    while i < head.len() {
        if !head[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        while i < head.len() && head[i].is_ascii_alphabetic() {
            i += 1;
        }
        let word = &head[start..i];
        let before = if start == 0 { b' ' } else { head[start - 1] };
        let after = head.get(i).copied().unwrap_or(b' ');
        if before.is_ascii_digit() || after.is_ascii_digit() || before == b'_' || after == b'_' {
            continue;
        }
        const UPPER: &[&[u8]] = &[b"ERROR", b"ERR", b"WARN", b"WARNING", b"CRITICAL", b"CRIT", b"FATAL", b"SEVERE", b"ALERT", b"EMERG", b"PANIC"];
        const LOWER: &[&[u8]] = &[b"error", b"err", b"warn", b"warning", b"critical", b"crit", b"fatal", b"alert", b"emerg"];
        if UPPER.contains(&word) {
            return true;
        }
        let valued = (before == b'"' && after == b'"') || before == b'=' || (before == b'[' && after == b']');
        if valued && LOWER.contains(&word) {
            return true;
        }
        // Android threadtime: `05-17 10:05:00.123  1234  1234 E Tag: msg`
        if word.len() == 1 && matches!(word[0], b'E' | b'W' | b'F') && before == b' ' && after == b' ' && start > 14 {
            return true;
        }
    }
    // glog (E0517 …), Android brief (E/Tag), pino levels 40-60, CPython's faulthandler
    let c = head.first().copied().unwrap_or(0);
    head.starts_with(b"Fatal Python error: ")
        || (matches!(c, b'E' | b'W' | b'F') && (head.get(1) == Some(&b'/') || head.get(1).is_some_and(u8::is_ascii_digit)))
        || (c == b'{' && [&b"\"level\":40"[..], b"\"level\":50", b"\"level\":60"].iter().any(|w| memchr::memmem::find(head, w).is_some()))
}

/// `Name: …` or `Name` where the last dotted part names an exception class.
fn is_exception_line(line: &[u8]) -> bool {
    let mut end = 0;
    while end < line.len() && (line[end].is_ascii_alphanumeric() || matches!(line[end], b'_' | b'.' | b'$')) {
        end += 1;
    }
    if end == 0 || !(line[0].is_ascii_alphabetic() || line[0] == b'_') {
        return false;
    }
    match line.get(end) {
        None | Some(b':') | Some(b'\r') => {}
        Some(b' ') if line.get(end + 1) == Some(&b'[') => {} // Node: Error [ERR_X]: …
        _ => return false,
    }
    let name = &line[..end];
    let last = &name[name.iter().rposition(|&b| b == b'.').map_or(0, |i| i + 1)..];
    const SUFFIXES: &[&[u8]] = &[b"Error", b"Exception", b"Exit", b"Interrupt", b"Throwable", b"Fault", b"Failure", b"timeout", b"Iteration"];
    last.first().is_some_and(u8::is_ascii_uppercase) && SUFFIXES.iter().any(|s| last.ends_with(s))
        || (last == b"timeout" && name.contains(&b'.'))
}

fn is_go_frame(line: &[u8]) -> bool {
    if line.starts_with(b"created by ") || line.starts_with(b"[signal ") || line.starts_with(b"exit status ") {
        return true;
    }
    let Some(open) = memchr::memchr(b'(', line) else { return false };
    let name = &line[..open];
    let trimmed = trim_end(line);
    !name.is_empty()
        && (line[0].is_ascii_alphabetic() || line[0] == b'_')
        && !name.contains(&b' ')
        && (name.contains(&b'.') || name == b"panic")
        && trimmed.ends_with(b")")
}

pub fn trim_end(b: &[u8]) -> &[u8] {
    let mut n = b.len();
    while n > 0 && matches!(b[n - 1], b'\r' | b' ' | b'\t') {
        n -= 1;
    }
    &b[..n]
}

/// The kind of one line (without its `\n`).
pub fn kind(line: &[u8]) -> Kind {
    if is_header(line) {
        return if !is_loud(line) {
            Kind::HeaderQuiet
        } else if trim_end(line).ends_with(b":") && line.first() != Some(&b'{') {
            Kind::HeaderBlock
        } else {
            Kind::Header
        };
    }
    kind_of_body(line)
}

/// The kind of a line known not to be a header ([`is_header`] said so): what a record's
/// later lines are.
fn kind_of_body(line: &[u8]) -> Kind {
    let Some(&c) = line.first() else { return Kind::Blank };
    if c == b' ' || c == b'\t' {
        return if line.iter().all(|b| b.is_ascii_whitespace()) { Kind::Blank } else { Kind::Indented };
    }
    if c == b'\r' && line.len() == 1 {
        return Kind::Blank;
    }
    match c {
        b'T' if line.starts_with(b"Traceback (most recent call last)") => Kind::PyTraceback,
        b'D' if line.starts_with(b"During handling of the above exception") => Kind::PyChain,
        b'T' if line.starts_with(b"The above exception was the direct cause") => Kind::PyChain,
        b'E' if line.starts_with(b"Exception in thread ") => Kind::JavaThread,
        b'C' if line.starts_with(b"Caused by: ") => Kind::CausedBy,
        // The call chain R prints under an error (`Calls: main -> fit -> readRDS`) and the
        // line Julia opens its frames with: both belong to the error above them.
        b'C' if line.starts_with(b"Calls: ") => Kind::CausedBy,
        b'S' if line.starts_with(b"Stacktrace:") => Kind::CausedBy,
        b'S' if line.starts_with(b"Suppressed: ") => Kind::CausedBy,
        b'p' if line.starts_with(b"panic: ") => Kind::GoPanic,
        b'f' if line.starts_with(b"fatal error: ") => Kind::GoFatal,
        b'g' if line.starts_with(b"goroutine ") && line.contains(&b'[') => Kind::Goroutine,
        b't' if line.starts_with(b"thread '") && memchr::memmem::find(line, b"' panicked at ").is_some() => {
            if trim_end(line).ends_with(b":") {
                Kind::RustPanicColon
            } else {
                Kind::RustPanic
            }
        }
        b'n' if line.starts_with(b"note: ") => Kind::RustNote,
        b'=' if line.starts_with(b"==") && line[2..].iter().take_while(|b| b.is_ascii_digit()).count() > 0 && memchr::memmem::find(&line[..line.len().min(40)], b"Sanitizer").is_some() => Kind::Sanitizer,
        b'S' if line.starts_with(b"SUMMARY: ") && memchr::memmem::find(line, b"Sanitizer").is_some() => Kind::SanitizerEnd,
        b's' if line.starts_with(b"stack backtrace:") => Kind::RustNote,
        _ if is_exception_line(line) => Kind::Exception,
        _ if is_go_frame(line) => Kind::GoFrame,
        _ => Kind::Plain,
    }
}

/// Whether a line of this kind starts a record in every state: headers do, nothing else
/// (after a header with an empty message any line may continue it).
pub fn is_boundary(line: Kind) -> bool {
    matches!(line, Kind::Header | Kind::HeaderQuiet | Kind::HeaderBlock)
}

/// The state after a line that starts a record: it depends on the line alone.
pub fn state_after_start(line: Kind) -> State {
    match line {
        Kind::PyTraceback => State::Py,
        Kind::JavaThread | Kind::CausedBy | Kind::Exception | Kind::Indented => State::Stack,
        Kind::GoPanic | Kind::GoFatal | Kind::Goroutine => State::Go,
        Kind::Sanitizer => State::Sanitizer,
        Kind::RustPanicColon => State::RustMsg,
        Kind::RustPanic | Kind::RustNote => State::Rust,
        Kind::PyChain => State::PyChain,
        Kind::HeaderQuiet | Kind::Plain | Kind::GoFrame => State::Quiet,
        Kind::HeaderBlock => State::Block,
        _ => State::Open,
    }
}

/// One step: does `line` (of kind `k`, after a line of kind `prev`) start a new record,
/// and what is the state after it?
pub fn step(state: State, prev: Kind, k: Kind) -> (bool, State) {
    use Kind as K;
    use State as S;
    let cont = |s| (false, s);
    let start = (true, state_after_start(k));
    let header = matches!(k, K::Header | K::HeaderQuiet | K::HeaderBlock);
    // What a runtime writes when a process dies (a sanitizer report, a Go or Rust crash) is
    // never part of a logger's message block, nor of an earlier report: it starts a record
    // even there.
    let runtime = matches!(k, K::Sanitizer | K::GoPanic | K::GoFatal | K::RustPanic | K::RustPanicColon);
    if state == S::Block && !header && !runtime {
        return cont(S::Block);
    }
    if state == S::Sanitizer && !header && !runtime {
        return cont(if k == K::SanitizerEnd { S::Quiet } else { S::Sanitizer });
    }
    match k {
        K::Header | K::HeaderQuiet | K::HeaderBlock => start,
        K::Blank => cont(if state == S::PyEnd { S::PyGap } else { state }),
        K::Sanitizer => start,
        K::SanitizerEnd => plain(state, prev, k),
        K::Indented => match state {
            S::Open | S::RustMsg | S::StackMsg => cont(S::Stack),
            s => cont(s),
        },
        K::PyTraceback => match state {
            S::Open | S::PyChain => cont(S::Py),
            _ => start,
        },
        K::PyChain => cont(S::PyChain),
        K::CausedBy => cont(S::Stack),
        K::JavaThread => match state {
            S::Open => cont(S::Stack),
            _ => start,
        },
        // Go and Rust crash dumps are written by the runtime, never by a logging call:
        // they start their own record. Inside a dump, `goroutine N [...]` continues it, and so
        // does a `panic:` right after another (`panic: … [recovered]` then the new panic);
        // a `panic:` after an earlier dump's frames is another crash (two workers dying).
        K::Goroutine => match state {
            S::Go => cont(S::Go),
            _ => start,
        },
        K::GoPanic => match (state, prev) {
            (S::Go, K::GoPanic) => cont(S::Go),
            _ => start,
        },
        // `fatal error:` ends the process: after an earlier dump's goroutines it is a new
        // crash; it continues only the `panic:` line it follows (a panic while panicking).
        K::GoFatal => match (state, prev) {
            (S::Go, K::GoPanic) => cont(S::Go),
            _ => start,
        },
        K::RustPanicColon | K::RustPanic => start,
        K::RustNote => match state {
            S::Rust | S::RustMsg => cont(S::Rust),
            _ => plain(state, prev, k),
        },
        K::Exception => match state {
            S::Py => cont(S::PyEnd),
            S::PyEnd => cont(S::PyEnd),
            S::Open => cont(S::StackMsg),
            S::RustMsg => cont(S::Rust),
            _ => start,
        },
        K::GoFrame => match state {
            S::Go => cont(S::Go),
            _ => plain(state, prev, k),
        },
        K::Plain => plain(state, prev, k),
    }
}

fn plain(state: State, prev: Kind, k: Kind) -> (bool, State) {
    match (state, prev) {
        // The final line of a Python traceback, whatever its form (`socket.timeout: …`).
        (State::Py, Kind::Indented) => (false, State::PyEnd),
        // A Rust panic message on the line after `panicked at …:`.
        (State::RustMsg, Kind::RustPanicColon) => (false, State::Rust),
        // More lines of an exception's message, before a blank line or its frames.
        (State::PyEnd, _) => (false, State::PyEnd),
        (State::StackMsg, _) => (false, State::StackMsg),
        // A line of its own: a record that a traceback after it does not join.
        _ => (true, state_after_start(k)),
    }
}

// ---------------------------------------------------------------------------------------
// Lines in a buffer

/// The line that starts at `at` (without its `\n`), and where the next one starts.
pub fn line_at(buf: &[u8], at: usize) -> (&[u8], usize) {
    match memchr::memchr(b'\n', &buf[at..]) {
        Some(i) => (&buf[at..at + i], at + i + 1),
        None => (&buf[at..], buf.len()),
    }
}

/// Start of the line before the one starting at `at` (`at > 0`).
pub fn prev_line_start(buf: &[u8], at: usize) -> usize {
    memchr::memrchr(b'\n', &buf[..at - 1]).map_or(0, |i| i + 1)
}

/// Bytes before a chunk's start that a chunk reader keeps, so that a line cut by the chunk's
/// start is seen whole up to this length.
pub const PREV_LOOKBACK: usize = 4096;

/// Bytes searched for a record boundary before a chunk falls back to a plain line start.
pub const BOUNDARY_SEARCH: usize = 1 << 20;

/// Where a chunk edge falls: at a record boundary, or more bytes are needed to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    At(usize),
    NeedMore,
}

/// The first record boundary at or after the line start `at`. Searches whole lines and at
/// most [`BOUNDARY_SEARCH`] bytes; when none is found there, `at` itself (only records
/// longer than the search can be split). `complete`: `buf` runs to the end of the input
/// (then the end is a boundary); otherwise a search that runs out of bytes needs more.
/// The answer depends only on the bytes from `at` on, so chunks that see different windows
/// of the input agree on it.
pub fn boundary_at_or_after(buf: &[u8], at: usize, complete: bool) -> Edge {
    if at == 0 {
        return Edge::At(0); // the input's first line starts a record
    }
    let mut pos = at;
    loop {
        if pos >= at + BOUNDARY_SEARCH {
            return Edge::At(at);
        }
        if pos >= buf.len() {
            return if complete { Edge::At(buf.len()) } else { Edge::NeedMore };
        }
        let (nl, len) = match memchr::memchr(b'\n', &buf[pos..]) {
            Some(nl) => (Some(nl), nl),
            None if complete => (None, buf.len() - pos),
            None => return Edge::NeedMore,
        };
        let k = kind(trim_cr(&buf[pos..pos + len]));
        if is_boundary(k) {
            return Edge::At(pos);
        }
        let Some(nl) = nl else { return Edge::At(buf.len()) };
        pos += nl + 1;
    }
}

/// The last record boundary after the start of `buf` whose line ends inside it, looking
/// back at most [`BOUNDARY_SEARCH`] bytes: where a stream reader can cut.
pub fn last_boundary(buf: &[u8]) -> Option<usize> {
    last_header_line(buf).filter(|&p| p > 0)
}

/// Start of the last complete line that is a record boundary (a header), looking back at
/// most [`BOUNDARY_SEARCH`] bytes; `Some(0)` when the walk reaches the buffer's start.
fn last_header_line(buf: &[u8]) -> Option<usize> {
    let mut e = memchr::memrchr(b'\n', buf)?;
    let floor = buf.len().saturating_sub(BOUNDARY_SEARCH);
    loop {
        let p = memchr::memrchr(b'\n', &buf[..e]).map_or(0, |i| i + 1);
        if p < floor {
            return None;
        }
        if p == 0 || is_boundary(kind(trim_cr(&buf[p..e]))) {
            return Some(p);
        }
        e = p - 1;
    }
}

/// Where the last record of a growing buffer that starts at a record start (a follower's
/// buffer begins where it last cut) begins, among its complete lines (ending in `\n`):
/// from the last header, or the buffer's start, the record state machine runs forward to
/// the last line that starts a record. Everything before it is made of complete records —
/// whether a line starts a record depends only on the lines before it — and the record from
/// it on may still grow (a traceback written in pieces, with a header above it or not).
/// None when no complete line ends the buffer, or when no header is within
/// `BOUNDARY_SEARCH` (1 MiB) bytes of the end (a reader then hands every complete line on, as
/// the chunker cuts such input).
pub fn last_record_start(buf: &[u8]) -> Option<usize> {
    let end = memchr::memrchr(b'\n', buf)? + 1;
    let from = last_header_line(buf)?;
    let (first, mut pos) = line_at(buf, from);
    let mut k = kind(trim_cr(first));
    let mut state = state_after_start(k);
    let mut last = from;
    while pos < end {
        let (text, next) = line_at(buf, pos);
        let nk = kind(trim_cr(text));
        let (starts, next_state) = step(state, k, nk);
        if starts {
            last = pos;
        }
        (state, k, pos) = (next_state, nk, next);
    }
    Some(last)
}

/// A pattern that matched a line of a chunk.
#[derive(Debug, Clone, Copy)]
pub struct LineMatch {
    /// 0-based line index within the buffer.
    pub line: u64,
    /// Byte offset of the line's first byte in the buffer.
    pub start: usize,
    pub pattern: u32,
}

/// One record found in a buffer: the lines it spans and the matches on them.
#[derive(Debug, Clone)]
pub struct Grouped {
    /// 0-based index of its first and last (non-blank) line.
    pub first_line: u64,
    pub last_line: u64,
    /// Bytes `[start, end)` of the record, without the last line's terminator.
    pub start: usize,
    pub end: usize,
    /// End of the record's first line, without its `\n` (a `\r` before it is kept):
    /// `buf[start..first_end]` is the line its header is read from.
    pub first_end: usize,
    /// Range into the matches given to [`group`].
    pub matches: std::ops::Range<usize>,
}

/// Group matching lines into the records that own them. `buf` starts at a record start
/// (a chunk is cut at boundaries) and `matches` are in line order. Only the lines around
/// matches are classified, so the cost follows the records, not the buffer.
pub fn group(buf: &[u8], matches: &[LineMatch]) -> Vec<Grouped> {
    let mut out = Vec::new();
    // Everything before `floor` belongs to records already closed.
    let mut floor = 0usize;
    // The lines walked back over from a match, last first: (start, end without `\n`, start
    // of the next line, kind). The walk forward reads them from here instead of searching
    // each line's end and classifying it again.
    let mut walked: Vec<(usize, usize, usize, Kind)> = Vec::new();
    let mut i = 0;
    while i < matches.len() {
        let m = matches[i];
        // Back to a line that starts a record whatever came before (or to the floor).
        walked.clear();
        let (text, next) = line_at(buf, m.start);
        let mut k = kind(trim_cr(text));
        walked.push((m.start, m.start + text.len(), next, k));
        let (mut s, mut s_line) = (m.start, m.line);
        while s > floor && !is_boundary(k) {
            let ps = prev_line_start(buf, s);
            k = kind(trim_cr(&buf[ps..s - 1]));
            walked.push((ps, s - 1, s, k));
            s = ps;
            s_line -= 1;
        }
        // Forward with the state machine: the last start at or before the match, then on
        // to the next start after it. (`k` is already the kind of the line at `s`.)
        let (_, first_end, mut pos, _) = walked.pop().expect("the match's own line");
        let mut state = state_after_start(k);
        let (mut rec_start, mut rec_line, mut rec_first_end) = (s, s_line, first_end);
        let (mut last_end, mut last_line) = (s + trim_cr(&buf[s..first_end]).len(), s_line);
        let mut line = s_line;
        let mut next_start = None;
        while pos < buf.len() {
            line += 1;
            // Up to the match, the lines walked back over; after it, read here.
            let (text, end, next, nk) = if let Some((at, end, next, nk)) = walked.pop() {
                debug_assert_eq!(at, pos);
                (trim_cr(&buf[pos..end]), end, next, nk)
            } else {
                let (text, next) = line_at(buf, pos);
                let end = pos + text.len();
                let text = trim_cr(text);
                // A header after the match ends the record whatever the state: say so without
                // reading its level (`kind` would), as that header is most often a routine line.
                if line > m.line && is_header(text) {
                    next_start = Some((pos, line));
                    break;
                }
                (text, end, next, if line > m.line { kind_of_body(text) } else { kind(text) })
            };
            let (starts, ns) = step(state, k, nk);
            if starts {
                if line > m.line {
                    next_start = Some((pos, line));
                    break;
                }
                (rec_start, rec_line, rec_first_end) = (pos, line, end);
            }
            if nk != Kind::Blank || starts {
                (last_end, last_line) = (pos + text.len(), line);
            }
            state = ns;
            k = nk;
            pos = next;
        }
        let j = match next_start {
            Some((_, l)) => i + matches[i..].iter().take_while(|x| x.line < l).count(),
            None => matches.len(),
        };
        out.push(Grouped { first_line: rec_line, last_line, start: rec_start, end: last_end, first_end: rec_first_end, matches: i..j });
        i = j;
        floor = next_start.map_or(buf.len(), |(p, _)| p);
    }
    out
}

pub fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_record_start_finds_the_record_a_growing_log_may_still_add_to() {
        let at = |s: &str| last_record_start(s.as_bytes());
        // JSON lines and logfmt headers start records, as timestamps and levels do.
        assert_eq!(at("{\"level\":\"info\"}\n{\"level\":\"error\"}\n"), Some(17));
        assert_eq!(at("time=\"x\" level=info msg=a\nlevel=error msg=b\n"), Some(26));
        // A traceback's lines continue the header above them; the first line counts too.
        assert_eq!(at("2025-05-17 10:05:00 ERROR x\nTraceback (most recent call last):\n  File \"a.py\"\n"), Some(0));
        // Only complete lines: a header still being written is not yet a start.
        assert_eq!(at("INFO a\nERROR b"), Some(0));
        assert_eq!(at("INFO a\r\nERROR b\r\n"), Some(8));
        // Without headers the state machine decides: a plain line starts a record, a bare
        // traceback (a script's stderr) is one record however far it has been written.
        assert_eq!(at("plain\nlines\n"), Some(6));
        assert_eq!(at("Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>\n"), Some(0));
        assert_eq!(at("plain\nTraceback (most recent call last):\n  File \"a.py\", line 1, in <module>\n"), Some(6));
        assert_eq!(at("no newline yet"), None);
        assert_eq!(last_boundary(b"INFO a\nx\n"), None);
    }

    #[test]
    fn group_walks_back_to_the_header_and_reads_each_line_once() {
        // A match inside a traceback: the walk back reaches the header, and the record's first
        // line ends before its `\r\n`; a second match in the same record joins it.
        let buf = b"2025-05-17 10:05:00 INFO ok\r\n2025-05-17 10:05:01 ERROR boom\r\nTraceback (most recent call last):\r\n  File \"a.py\", line 1, in <module>\r\nValueError: bad\r\n\r\n2025-05-17 10:05:02 INFO next\r\n";
        let text = std::str::from_utf8(buf).unwrap();
        let start_of = |needle: &str| text.find(needle).unwrap();
        let matches = [
            LineMatch { line: 2, start: start_of("Traceback"), pattern: 0 },
            LineMatch { line: 4, start: start_of("ValueError"), pattern: 1 },
        ];
        let groups = group(buf, &matches);
        assert_eq!(groups.len(), 1);
        let g = &groups[0];
        let header = start_of("2025-05-17 10:05:01");
        assert_eq!((g.start, g.first_line, g.last_line, g.matches.clone()), (header, 1, 4, 0..2));
        assert_eq!(&buf[g.start..g.first_end], b"2025-05-17 10:05:01 ERROR boom\r");
        assert_eq!(&buf[g.start..g.end], &buf[header..start_of("ValueError: bad") + "ValueError: bad".len()]);
        // A match on a header line: the record is that line alone, up to the next header.
        let g = &group(buf, &[LineMatch { line: 0, start: 0, pattern: 0 }])[0];
        assert_eq!((g.start, g.first_end, g.end, g.last_line), (0, 28, 27, 0));
    }

    #[test]
    fn not_headers() {
        for line in [
            "timeout=30 retries=3",
            "1:Mx 17",
            "Fatal error in worker",
            "  File \"a.py\", line 1",
            "  081109 203615 148 INFO indented, so a continuation",
            "123456 654321 not a time",
            "12345 bytes sent in 1061219795 ns",
            "[1] 4242 segmentation fault",
            "2025-05-17 without a clock",
            "ValueError: bad value",
            "main.main()",
        ] {
            assert!(!is_header(line.as_bytes()), "{line}");
        }
    }

    #[test]
    fn every_time_the_parser_reads_opens_a_record() {
        for line in [
            "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 terminating",
            "20171224-0:0:0:234|Step_StandStepDataManager|30002312|tryToReload1514044800223|3786|0|0",
            "17/06/09 20:10:40 INFO spark.SecurityManager: Changing view acls to: yarn,curi",
            "[10.30 16:51:56] svchost.exe *64 - proxy.cse.cuhk.edu.hk:5070 close, 303 bytes sent",
            "- 1131566491 2005.11.09 eadmin1 Nov 9 12:01:31 src@eadmin1 sendmail[4306]: x",
            "KERNDTLB 1118536327 2005.06.11 R30-M0-N9-C:J16-U01 2005-06-11-17.32.07.581048 R30-M0-N9-C:J16-U01 RAS KERNEL FATAL x",
            "2286759 full partition status 1061219795 -1 running",
            "nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO nova.osapi_compute.wsgi.server x",
            "10.0.0.7 - - [17/May/2025:10:05:00 +0000] \"GET / HTTP/1.1\" 500 12",
            "web_1  | 2025-05-17T10:05:00Z boom",
            "1234:M 17 May 2025 10:05:00.123 # x",
            "Tue May 17 10:05:00 2025 x",
            "1715940300 ERROR x",
        ] {
            assert!(crate::fields::has_header_time(line.as_bytes(), 2025), "the parser reads no time on {line}");
            assert!(is_header(line.as_bytes()), "{line}");
        }
        // Starts with no date the parser could read.
        for line in ["10:05:00 ERROR x", "[   12.345678] Out of memory: Killed process 4242 (python)", "[ WARN ] x", "E/Tag( 123): x"] {
            assert!(is_header(line.as_bytes()), "{line}");
        }
    }

    #[test]
    fn kinds() {
        let cases: &[(&str, Kind)] = &[
            ("2025-05-17 10:05:00 - x - ERROR - boom", Kind::Header),
            ("2025-05-17 10:05:00 - x - INFO - boom", Kind::HeaderQuiet),
            ("{\"level\":\"info\",\"msg\":\"x\"}", Kind::HeaderQuiet),
            ("2025-05-17T10:05:00.123Z ERROR boom", Kind::Header),
            ("May 17 10:05:00 host app[12]: x", Kind::HeaderQuiet),
            ("2025-05-17 10:09:53.379 ERROR 56756 --- [main] c.a.X               : ", Kind::HeaderBlock),
            ("{\"level\":\"error\"}", Kind::Header),
            ("ERROR:root:boom", Kind::Header),
            ("[2025-05-17 10:05:00] x", Kind::HeaderQuiet),
            ("[ERROR] x", Kind::Header),
            ("E0517 10:05:00.123456 1 main.go:1] x", Kind::Header),
            ("1715940300 ERROR x", Kind::Header),
            ("time=\"2025-05-17T10:05:28Z\" level=error msg=\"sync failed\"", Kind::Header),
            ("time=\"2025-05-17T10:05:28Z\" level=info msg=\"GET /metrics\"", Kind::HeaderQuiet),
            ("1:M 17 May 2025 10:05:00.123 * Background saving started", Kind::HeaderQuiet),
            ("Fatal Python error: Segmentation fault", Kind::Header),
            ("Traceback (most recent call last):", Kind::PyTraceback),
            ("  File \"a.py\", line 1, in <module>", Kind::Indented),
            ("MemoryError: CUDA out of memory", Kind::Exception),
            ("java.lang.IllegalStateException: boom", Kind::Exception),
            ("Error: ENOENT: no such file", Kind::Exception),
            ("Error [ERR_MODULE_NOT_FOUND]: Cannot find package", Kind::Exception),
            ("KeyboardInterrupt", Kind::Exception),
            ("Caused by: java.io.IOException: x", Kind::CausedBy),
            ("panic: runtime error: index out of range", Kind::GoPanic),
            ("fatal error: concurrent map writes", Kind::GoFatal),
            ("==1234==ERROR: LeakSanitizer: detected memory leaks", Kind::Sanitizer),
            ("goroutine 1 [running]:", Kind::Goroutine),
            ("main.main()", Kind::GoFrame),
            ("main.(*Server).handle(0xc000010000, {0x0, 0x0})", Kind::GoFrame),
            ("thread 'main' panicked at src/main.rs:2:5:", Kind::RustPanicColon),
            ("thread 'main' panicked at 'boom', src/main.rs:2:5", Kind::RustPanic),
            ("Error while loading model", Kind::Plain),
            ("Out of memory error occurred during processing", Kind::Plain),
            ("", Kind::Blank),
            ("   ", Kind::Blank),
            ("\tat com.x.Y.z(Y.java:1)", Kind::Indented),
        ];
        for (line, want) in cases {
            assert_eq!(kind(line.as_bytes()), *want, "{line}");
        }
    }
}
