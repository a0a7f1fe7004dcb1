//! Stack frames of every runtime logmedic knows (file, line, function, application or not),
//! the innermost application frame, and the exception type a record names.


use super::embedded::*;

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

pub(super) fn lossy(b: &[u8]) -> String {
    super::lossy_text(b).into_owned()
}

pub(super) fn parse_u32(b: &[u8]) -> Option<u32> {
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

/// Frames a record keeps from each end of its stack: the outermost and the innermost calls
/// are where a reader looks. A deep recursion prints a thousand frames, a JVM at most 1024
/// by default; a record of millions (one attacker-written line, a runaway dump) keeps these.
pub const FRAMES_KEPT_AT_EACH_END: usize = 256;

/// The frames of a record, in the order printed, and the language that printed them: the
/// first and last [`FRAMES_KEPT_AT_EACH_END`], and between them the innermost application
/// frame when it lies there, so that [`innermost`] of what is kept is the innermost of all.
#[cfg(any(test, feature = "internals"))]
pub fn frames(text: &[u8]) -> (Vec<Frame>, Lang) {
    frames_in(&[text])
}

/// [`frames`] of the text that `pieces` (each whole lines) make one after another, read
/// where they lie: a record and the embedded text of its first line, without joining them.
pub fn frames_in(pieces: &[&[u8]]) -> (Vec<Frame>, Lang) {
    const N: usize = FRAMES_KEPT_AT_EACH_END;
    let mut head: Vec<Frame> = Vec::new();
    // The last N frames seen past the head, as a ring; `seen` counts every frame.
    let mut tail: Vec<FrameRef<'_>> = Vec::new();
    let mut seen = 0usize;
    let (mut first_app, mut last_app): (Option<(usize, FrameRef<'_>)>, Option<(usize, FrameRef<'_>)>) = (None, None);
    let lang = visit_frames(pieces, &mut |f| {
        if f.app {
            first_app.get_or_insert((seen, f));
            last_app = Some((seen, f));
        }
        if head.len() < N {
            head.push(f.to_owned());
        } else if tail.len() < N {
            tail.push(f);
        } else {
            tail[(seen - N) % N] = f;
        }
        seen += 1;
    });
    if seen <= 2 * N {
        head.extend(tail.iter().map(FrameRef::to_owned));
        return (head, lang);
    }
    // The ring's oldest frame is at the slot the next one would take.
    tail.rotate_left((seen - N) % N);
    let innermost = match lang {
        Lang::Python => last_app,
        Lang::Other => first_app,
    };
    if let Some((_, f)) = innermost.filter(|&(i, _)| i >= N && i < seen - N) {
        head.push(f.to_owned());
    }
    head.extend(tail.iter().map(FrameRef::to_owned));
    (head, lang)
}

/// The innermost application frame alone (what [`frames`] and [`innermost`] give), read
/// without keeping the others: what a record that is only counted needs.
pub fn innermost_frame(text: &[u8]) -> Option<Frame> {
    innermost_frame_in(&[text])
}

/// [`innermost_frame`] of the text that `pieces` (each whole lines) make one after another.
pub fn innermost_frame_in(pieces: &[&[u8]]) -> Option<Frame> {
    let (mut first_app, mut last_app) = (None, None);
    let lang = visit_frames(pieces, &mut |f| {
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
fn visit_frames<'a>(pieces: &[&'a [u8]], on_frame: &mut dyn FnMut(FrameRef<'a>)) -> Lang {
    let mut lang = Lang::Other;
    let mut seen = false;
    let mut emit = |f: FrameRef<'a>| {
        seen = true;
        on_frame(f);
    };
    let mut pending_fn: Option<&'a [u8]> = None; // Go/Rust: function line before its location
    let mut panic_at: Option<FrameRef<'a>> = None; // Rust: where it panicked, when no backtrace follows
    for raw in pieces.iter().flat_map(|p| split_lines(p)) {
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
#[cfg(any(test, feature = "internals"))]
pub fn exception(text: &[u8], lang: Lang) -> Option<String> {
    exception_in(&[text], lang)
}

/// [`exception`] of the text that `pieces` (each whole lines) make one after another.
pub fn exception_in(pieces: &[&[u8]], lang: Lang) -> Option<String> {
    use crate::record::{kind, Kind};
    let mut found = None;
    for (n, raw) in pieces.iter().flat_map(|p| split_lines(p)).enumerate() {
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
