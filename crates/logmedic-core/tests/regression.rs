//! One test per fixed bug, named for it: the input that broke logmedic, and what it must
//! give now.

use logmedic_core::{analyze, header, timestamp_at_start, Control, RecordSpec, Database, EngineChoice, ErrorCode, ScanOptions, Source};

/// A ctime header cut before its year (`[Mon Dec05 07:57`) made the header parser index past
/// the end of the line: a panic, which aborted the Node process from a napi worker.
#[test]
fn ctime_header_without_year_does_not_panic() {
    for line in ["[Mon Dec05 07:57", "[Mon Dec 05 07:57", "Mon Dec 5 07:57:01", "[Tue May 17 10:05:00.123456", "Tue May 17 10:05:00 20"] {
        let h = header(line.as_bytes(), 2025);
        let _ = h.message.len();
    }
    let with_year = header(b"[Tue May 17 10:05:00.123456 2024] [error] boom", 2025);
    assert_eq!(with_year.time.map(|t| t.iso()), Some("2024-05-17T10:05:00.123".to_string()));
    assert_eq!(with_year.message, "boom");

    let db = Database::from_sources(&["OutOfMemoryError"], EngineChoice::Regex).unwrap();
    let spec = RecordSpec::new(vec![0], vec![1], 1);
    let log = b"[Mon Dec05 07:57\nCaused by: OutOfMemoryError\n";
    let (_, a) = analyze(Source::Memory(log), &db, &spec, &ScanOptions { threads: 1, ..ScanOptions::default() }, &Control::new()).unwrap();
    assert_eq!(a.records, 1);
}

fn analyze_bytes(log: &[u8]) -> logmedic_core::Result<logmedic_core::Analysis> {
    let db = Database::from_sources(&["OutOfMemoryError"], EngineChoice::Regex).unwrap();
    let spec = RecordSpec::new(vec![0], vec![1], 1);
    let source = Source::from_reader(Box::new(std::io::Cursor::new(log.to_vec())))?;
    analyze(source, &db, &spec, &ScanOptions { threads: 1, ..ScanOptions::default() }, &Control::new()).map(|(_, a)| a)
}

/// A gzip file with bytes after its end was reported as truncated (`E_TRUNCATED`: flate2's
/// multi-member decoder read the garbage as a member header cut short); it is damage.
#[test]
fn gzip_with_trailing_garbage_is_corrupt_not_truncated() {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(b"2025-05-17 10:05:00 ERROR java.lang.OutOfMemoryError\n").unwrap();
    let gz = enc.finish().unwrap();
    for garbage in [&b"garbage trailing"[..], b"x", b"\0\0\0\0\0\0\0\0\0\0\0\0", b"\x1f"] {
        let mut bytes = gz.clone();
        bytes.extend_from_slice(garbage);
        let err = analyze_bytes(&bytes).expect_err("trailing garbage is an error");
        let want = if garbage == b"\x1f" { ErrorCode::Truncated } else { ErrorCode::Corrupt };
        assert_eq!(err.code, want, "{:?}: {}", garbage.escape_ascii().to_string(), err.message);
    }
    // Two members glued together, and a member alone, still decode whole.
    let two = [gz.clone(), gz.clone()].concat();
    assert_eq!(analyze_bytes(&two).unwrap().records, 2);
    assert_eq!(analyze_bytes(&gz).unwrap().records, 1);
    let cut = &gz[..gz.len() - 4];
    assert_eq!(analyze_bytes(cut).unwrap_err().code, ErrorCode::Truncated);

    let mut zst = zstd::stream::encode_all(&b"x OutOfMemoryError\n"[..], 1).unwrap();
    zst.extend_from_slice(b"garbage trailing");
    assert_eq!(analyze_bytes(&zst).unwrap_err().code, ErrorCode::Corrupt);
}

/// A 300 MB line became a 300 MB message (and example), which JavaScript could not hold as a
/// string ("Invalid string length"): both are cut at 4 KiB, on a character boundary, flagged.
#[test]
fn a_giant_line_gives_a_capped_message() {
    let mut log = b"2025-05-17 10:05:00 ERROR OutOfMemoryError ".to_vec();
    log.extend("\u{e9}".repeat(600_000).bytes());
    log.extend_from_slice(b"\nplain OutOfMemoryError\n");
    let a = analyze_bytes(&log).unwrap();
    let t = &a.types[0];
    assert_eq!(t.count, 2);
    let giant = &t.samples[0];
    assert!(giant.message_truncated);
    assert!(giant.message.len() <= logmedic_core::MAX_MESSAGE_BYTES && giant.message.len() > 4000, "{}", giant.message.len());
    assert!(giant.message.starts_with("OutOfMemoryError \u{e9}"));
    assert!(!t.samples[1].message_truncated);
    let examples: Vec<_> = t.shapes.values().map(|s| (s.example.len(), s.example_truncated)).collect();
    assert!(examples.iter().all(|&(len, _)| len <= logmedic_core::MAX_MESSAGE_BYTES), "{examples:?}");
    assert!(examples.iter().any(|&(_, cut)| cut) && examples.iter().any(|&(_, cut)| !cut), "{examples:?}");
}

/// A panic in a parser (an out-of-bounds index, as the ctime header's was) aborted the Node
/// process from a napi worker. Every binding entry point runs the core through `contained`:
/// the panic comes back as an `E_INTERNAL` error that names it, and the next call runs as
/// usual. Tested on `contained` itself, so that no way to make the core panic on purpose
/// ships in the addon; `test/regression/hostile-input.test.ts` takes such an error from the
/// addon to the CLI's one line and exit 3.
#[test]
fn a_panic_inside_the_core_becomes_an_internal_error() {
    let line: &[u8] = b"[Mon Dec05 07:57";
    let past_the_end = std::hint::black_box(line.len() + 4);
    let err = logmedic_core::contained(|| Ok(line[past_the_end])).unwrap_err();
    assert_eq!(err.code, ErrorCode::Internal);
    assert_eq!(err.code.as_str(), "E_INTERNAL");
    assert!(err.message.starts_with("internal error (a bug in logmedic; please report it): index out of bounds"), "{}", err.message);
    assert!(!err.message.contains('\n'), "one line: {}", err.message);

    let err = logmedic_core::contained::<()>(|| panic!("a message of {} parts", 2)).unwrap_err();
    assert!(err.message.ends_with("a message of 2 parts"), "{}", err.message);
    // Work on other threads (the scan's workers) panicking is contained the same way.
    let err = logmedic_core::contained::<()>(|| {
        std::thread::scope(|s| s.spawn(|| panic!("in a worker")).join()).expect("a worker panicked");
        Ok(())
    })
    .unwrap_err();
    assert!(err.message.contains("a worker panicked"), "{}", err.message);
    assert_eq!(logmedic_core::contained(|| Ok(7)).unwrap(), 7);
    assert_eq!(analyze_bytes(b"x OutOfMemoryError\n").unwrap().records, 1, "the core still works after a contained panic");
}

/// A long run of digits at the start of a line (an epoch-looking number of twenty digits) made
/// the number reader overflow: a panic under overflow checks, a wrong time without them. AFL
/// found it on the header harness.
#[test]
fn a_long_digit_run_is_no_timestamp_and_does_not_overflow() {
    for line in ["99999999999999999999999 ERROR x", "[99999999999999999999.5] boom", "2025999999999999999999-05-17 10:05:00 x"] {
        let h = header(line.as_bytes(), 2025);
        assert_eq!(h.time, None, "{line}");
    }
    let crash = include_bytes!("../fuzz/corpus/crashes/long-digit-run-overflows-number.log");
    for line in crash.split(|&b| b == b'\n') {
        let _ = header(line, 2025);
        let _ = timestamp_at_start(line, 2025);
    }
}
