//! Hostile input: one line or one record written so that a reader's work or memory grows
//! with it (millions of frames, a giant token, invalid UTF-8). Each test names what the
//! core must keep bounded, and asserts on sizes, never on time.

use logmedic_core::internals::{frames, innermost, innermost_frame, objects, read_prefix, FRAMES_KEPT_AT_EACH_END, MESSAGE_READ_BYTES};
use logmedic_core::{analyze, header, Control, Database, EngineChoice, RecordSpec, ScanOptions, Source};

const DEPTH: usize = 1_000_000;

/// The most bytes this thread held allocated at once while `f` ran, above what it held
/// before: the measure of a copy too many. Counted per thread, so tests running beside it
/// do not count.
fn peak_allocated<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let start = counting::LIVE.with(|l| l.get());
    counting::PEAK.with(|p| p.set(start));
    let r = f();
    (r, counting::PEAK.with(|p| p.get()) - start)
}

mod counting {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::Cell;

    thread_local! {
        pub static LIVE: Cell<usize> = const { Cell::new(0) };
        pub static PEAK: Cell<usize> = const { Cell::new(0) };
    }

    struct Counting;

    fn grew(by: usize) {
        let live = LIVE.with(|l| {
            l.set(l.get() + by);
            l.get()
        });
        PEAK.with(|p| p.set(p.get().max(live)));
    }

    fn shrank(by: usize) {
        LIVE.with(|l| l.set(l.get().saturating_sub(by)));
    }

    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            grew(layout.size());
            unsafe { System.alloc(layout) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            shrank(layout.size());
            unsafe { System.dealloc(ptr, layout) }
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            grew(new_size);
            shrank(layout.size());
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }

    #[global_allocator]
    static COUNTING: Counting = Counting;
}

/// A Python traceback of `DEPTH` library frames, one of them (at `app_at`) the application's.
fn python_traceback(app_at: usize) -> Vec<u8> {
    let mut text = b"Traceback (most recent call last):\n".to_vec();
    for i in 0..DEPTH {
        let dir = if i == app_at { "/srv/app" } else { "/usr/lib/python3/site-packages/lib" };
        text.extend_from_slice(format!("  File \"{dir}/m{i}.py\", line {i}, in f\n").as_bytes());
    }
    text.extend_from_slice(b"RecursionError: maximum recursion depth exceeded");
    text
}

/// A record of a million frames kept them all (a Frame of owned strings each, and as many
/// objects in JavaScript): 1.3 GB for a 50 MB JSON line. It keeps each end of the stack, and
/// the innermost application frame wherever it lies.
#[test]
fn a_record_of_a_million_frames_keeps_each_end_and_its_innermost() {
    let n = FRAMES_KEPT_AT_EACH_END;
    for app_at in [DEPTH / 2, 3, DEPTH - 2] {
        let text = python_traceback(app_at);
        let (kept, lang) = frames(&text);
        let extra = usize::from(app_at >= n && app_at < DEPTH - n);
        assert_eq!(kept.len(), 2 * n + extra, "app frame at {app_at}");
        assert_eq!(kept[0].line, Some(0));
        assert_eq!(kept[n - 1].line, Some(n as u32 - 1));
        assert_eq!(kept[n + extra].line, Some((DEPTH - n) as u32));
        assert_eq!(kept.last().unwrap().line, Some(DEPTH as u32 - 1));
        let i = innermost(&kept, lang).expect("an application frame");
        assert_eq!(kept[i].line, Some(app_at as u32));
        assert_eq!(Some(&kept[i]), innermost_frame(&text).as_ref());
    }
}

/// The same through the analysis, for a traceback embedded in one JSON line (the shape that
/// took 7 s and 1.3 GB for 50 MB): the sample keeps at most both ends and the innermost frame.
#[test]
fn a_json_line_embedding_a_million_frames_gives_a_bounded_record() {
    let mut line = br#"{"level":"error","msg":"step failed","exc_info":"Traceback (most recent call last):"#.to_vec();
    for i in 0..DEPTH {
        line.extend_from_slice(format!(r#"\n  File \"/usr/lib/python3/site-packages/m.py\", line {i}, in f"#).as_bytes());
    }
    line.extend_from_slice(b"\\nRuntimeError: CUDA out of memory\"}\n");
    let database = Database::from_sources(&["CUDA out of memory", logmedic_core::EMBEDDED_TRIGGER], EngineChoice::Regex).unwrap();
    let mut spec = RecordSpec::new(vec![0], vec![1], 1);
    spec.embedded = true;
    let (_, a) = analyze(Source::Memory(&line), &database, &spec, &ScanOptions { threads: 1, ..ScanOptions::default() }, &Control::new()).unwrap();
    let record = &a.types[0].samples[0];
    assert_eq!(record.frames.len(), 2 * FRAMES_KEPT_AT_EACH_END);
    assert_eq!(record.frames.last().unwrap().line, Some(DEPTH as u32 - 1));
    assert_eq!(record.exception.as_deref(), Some("RuntimeError"));
}

/// A message is read for its first MiB: read whole as text, a line of invalid UTF-8 (each bad
/// byte three bytes of U+FFFD) of 50 MB would be a 125 MB message, to be cut to 4 KiB.
#[test]
fn a_giant_line_of_invalid_utf8_is_read_for_its_first_mib() {
    let mut line = b"2025-05-17 10:05:00,066 - worker - ERROR - CUDA out of memory ".to_vec();
    line.extend(b"a\xff\xfe\xc3".repeat(1 << 20));
    let h = header(&line, 2025);
    assert_eq!(h.level, Some("ERROR"));
    assert!(h.message.starts_with("CUDA out of memory a\u{fffd}"));
    assert!(h.message.len() <= 3 * MESSAGE_READ_BYTES && h.message.len() > MESSAGE_READ_BYTES / 2, "{}", h.message.len());
}

/// A JSON message of escapes is unescaped for its first MiB only (whole, a 50 MB line would be
/// a 50 MB string), and the fields after it are still read.
#[test]
fn a_giant_escaped_json_message_is_read_for_its_first_mib() {
    let mut line = br#"{"msg":"first\tline"#.to_vec();
    line.extend(br"\n  next \u00e9".repeat(1 << 18));
    line.extend(br#"","level":"error","logger":"api"}"#);
    let h = header(&line, 2025);
    assert_eq!((h.level, h.logger.as_deref()), (Some("ERROR"), Some("api")));
    assert!(h.message.starts_with("first\tline\n  next \u{e9}"));
    assert!(h.message.len() <= MESSAGE_READ_BYTES && h.message.len() > MESSAGE_READ_BYTES / 2, "{}", h.message.len());
    // The cut never ends inside an escape: what is read unescapes as the whole line's text begins.
    assert!(!h.message.ends_with('\\'));
}

#[test]
fn a_prefix_is_not_cut_inside_a_character() {
    let text = "ab\u{20ac}cd".as_bytes(); // the euro sign is bytes 2..5
    assert_eq!(read_prefix(text, 3), b"ab");
    assert_eq!(read_prefix(text, 4), b"ab");
    assert_eq!(read_prefix(text, 5), "ab\u{20ac}".as_bytes());
    assert_eq!(read_prefix(text, 100), text);
    // A run of stray continuation bytes is still cut, three bytes back at most.
    assert_eq!(read_prefix(&[b'a', 0x80, 0x80, 0x80, 0x80, 0x80], 5), &[b'a', 0x80]);
}

/// A journald entry whose MESSAGE is an array of millions of bytes: the message is read for
/// its first MiB, number by number, not gathered whole for each of its two uses; the embedded
/// text, which the catalog is matched on, keeps every byte.
#[test]
fn a_giant_journald_byte_array_is_read_for_its_first_mib() {
    let mut line = br#"{"PRIORITY":"3","MESSAGE":[67,85,68,65"#.to_vec();
    line.extend(b",65".repeat(4 << 20));
    line.extend(br#"],"_PID":"7"}"#);
    let h = header(&line, 2025);
    assert_eq!((h.level, h.pid), (Some("ERROR"), Some(7)));
    assert!(h.message.starts_with("CUDAAAA"));
    assert_eq!(h.message.len(), MESSAGE_READ_BYTES);
    let mut text = Vec::new();
    assert!(logmedic_core::internals::embedded_lines(&line, &mut text));
    assert_eq!(text.len(), 4 + (4 << 20) + 1);
    // An entry that is no byte makes no text, as before.
    let mut text = Vec::new();
    assert!(!logmedic_core::internals::embedded_lines(br#"{"MESSAGE":[67,300]}"#, &mut text));
    assert!(text.is_empty());
}

/// A word is compared with the keywords objects are named by (`pid`, `port`, `cuda:0` …)
/// through its lowercased first bytes, never a lowercased copy of it all (a 50 MB word would
/// be a 50 MB copy); what the record names is read the same.
#[test]
fn a_giant_word_is_not_copied_to_read_the_objects_a_record_names() {
    let mut line = b"2025-05-17 10:05:00 ERROR CUDA out of memory on cuda:0 pid 4242 ".to_vec();
    line.extend(b"x".repeat(8 << 20));
    line.extend(b" =".repeat(4));
    line.extend(b"x".repeat(8 << 20));
    line.extend(b"=1 port=8080");
    let head = header(&line, 2025);
    let (o, peak) = peak_allocated(|| objects(&line, &head));
    assert_eq!((o.devices, o.pids, o.ports), (vec!["cuda:0".to_string()], vec![4242], vec![8080]));
    assert!(peak < 64 << 10, "{peak} bytes allocated at once");
}
