//! One test per fixed bug, named for it: the input that broke logmedic, and what it must
//! give now.

use logmedic_core::analysis::RecordSpec;
use logmedic_core::fields;
use logmedic_core::{analyze, Control, Database, EngineChoice, ScanOptions, Source};

/// A ctime header cut before its year (`[Mon Dec05 07:57`) made the header parser index past
/// the end of the line: a panic, which aborted the Node process from a napi worker.
#[test]
fn ctime_header_without_year_does_not_panic() {
    for line in ["[Mon Dec05 07:57", "[Mon Dec 05 07:57", "Mon Dec 5 07:57:01", "[Tue May 17 10:05:00.123456", "Tue May 17 10:05:00 20"] {
        let h = fields::header(line.as_bytes(), 2025);
        let _ = h.message.len();
    }
    let with_year = fields::header(b"[Tue May 17 10:05:00.123456 2024] [error] boom", 2025);
    assert_eq!(with_year.time.map(|t| t.iso()), Some("2024-05-17T10:05:00.123".to_string()));
    assert_eq!(with_year.message, "boom");

    let db = Database::from_sources(&["OutOfMemoryError"], EngineChoice::Regex).unwrap();
    let spec = RecordSpec::new(vec![0], vec![1], 1);
    let log = b"[Mon Dec05 07:57\nCaused by: OutOfMemoryError\n";
    let (_, a) = analyze(Source::Memory(log), &db, &spec, &ScanOptions { threads: 1, ..ScanOptions::default() }, &Control::new()).unwrap();
    assert_eq!(a.records, 1);
}
