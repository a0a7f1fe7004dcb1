//! Records, not lines: tracebacks of each runtime form one record with its header; one
//! record gets one type by explicit precedence; and the records do not depend on how the
//! input is chunked, threaded or read (memory, mmap, pread, gzip stream).

use std::io::Write;

use logmedic_core::{analyze, Analysis, Control, Record, RecordSpec, Database, EngineChoice, ScanOptions, Source};

/// A small catalog: (pattern, type index, priority).
const TYPES: &[&str] = &["OutOfMemory", "GPUError", "ModelCorruption", "MissingDependency", "ImportError", "ValueError", "KeyError", "ConnectionError", "ProcessCrash", "Deadlock", "DiskSpace", "MemoryLeak"];
const PATTERNS: &[(&str, u32, i32)] = &[
    (r"(?i)\bout of memory\b", 0, 100),
    (r"\bMemoryError\b", 0, 100),
    (r"\bCUDA error\b|\bRuntimeError: CUDA\b", 1, 90),
    (r"(?i)model file (is )?corrupt", 2, 80),
    (r"cannot open shared object file", 3, 85),
    (r"^(ImportError|ModuleNotFoundError):", 4, 60),
    (r"^ValueError:", 5, 40),
    (r"^KeyError:", 6, 40),
    (r"Connection refused|ECONNREFUSED|java\.net\.ConnectException", 7, 50),
    (r"^panic: |panicked at", 8, 70),
    (r"all goroutines are asleep - deadlock", 9, 95),
    (r"No space left on device", 10, 90),
    (r"LeakSanitizer: detected memory leaks", 11, 80),
    (r"^fatal error: concurrent map", 8, 70),
];

fn db(engine: EngineChoice) -> (Database, RecordSpec) {
    let sources: Vec<&str> = PATTERNS.iter().map(|p| p.0).collect();
    let db = Database::from_sources(&sources, engine).unwrap();
    let mut spec = RecordSpec::new(PATTERNS.iter().map(|p| p.1).collect(), PATTERNS.iter().map(|p| p.2).collect(), TYPES.len());
    spec.max_samples = usize::MAX;
    spec.year = 2025.into();
    (db, spec)
}

fn run(source: Source<'_>, opts: &ScanOptions) -> Analysis {
    let (db, spec) = db(EngineChoice::Regex);
    analyze(source, &db, &spec, opts, &Control::new()).unwrap().1
}

fn records(a: &Analysis) -> Vec<&Record> {
    let mut all: Vec<&Record> = a.types.iter().flat_map(|t| t.samples.iter()).collect();
    all.sort_by_key(|r| r.line);
    all
}

/// (type, first line, last line) of every record.
fn spans(a: &Analysis) -> Vec<(&'static str, u64, u64)> {
    records(a).iter().map(|r| (TYPES[r.type_id as usize], r.line, r.end_line)).collect()
}

fn analyze_bytes(text: &str) -> Analysis {
    run(Source::Memory(text.as_bytes()), &ScanOptions { threads: 1, ..ScanOptions::default() })
}

const SCENARIO_1: &str = "2025-05-17 10:05:00 - visionai_processor - ERROR - Out of memory error occurred during processing
Traceback (most recent call last):
  File \"src/core/processor.py\", line 120, in process_batch
    result = model.forward(batch)
MemoryError: CUDA out of memory
";

#[test]
fn seed_scenario_1_is_one_out_of_memory_record_with_its_traceback() {
    let a = analyze_bytes(SCENARIO_1);
    assert_eq!(spans(&a), vec![("OutOfMemory", 1, 5)]);
    let r = records(&a)[0];
    assert_eq!(r.time.unwrap().iso(), "2025-05-17T10:05:00");
    assert_eq!(r.level.as_deref(), Some("ERROR"));
    assert_eq!(r.logger.as_deref(), Some("visionai_processor"));
    assert_eq!(r.message, "Out of memory error occurred during processing");
    assert_eq!(r.exception.as_deref(), Some("MemoryError"));
    let f = &r.frames[r.innermost.unwrap()];
    assert_eq!((f.file.as_str(), f.line, f.function.as_deref()), ("src/core/processor.py", Some(120), Some("process_batch")));
}

#[test]
fn seed_scenario_2_is_model_corruption_naming_the_file() {
    let a = analyze_bytes("2025-05-17 10:10:00 - model_loader - ERROR - Model file corrupt: clips_base.pt checksum mismatch\n");
    assert_eq!(spans(&a), vec![("ModelCorruption", 1, 1)]);
    assert_eq!(records(&a)[0].objects.paths, vec!["clips_base.pt"]);
}

#[test]
fn precedence_is_explicit() {
    // (line, expected type)
    let table: &[(&str, &str)] = &[
        ("RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB", "OutOfMemory"),
        ("ImportError: libcudart.so.12: cannot open shared object file: No such file or directory", "MissingDependency"),
        ("CUDA error: an illegal memory access was encountered", "GPUError"),
        ("ValueError: bad input", "ValueError"),
    ];
    for (line, want) in table {
        let a = analyze_bytes(&format!("{line}\n"));
        assert_eq!(spans(&a).iter().map(|s| s.0).collect::<Vec<_>>(), vec![*want], "{line}");
    }
}

const PY_CHAINED: &str = "2025-05-17 10:00:00,001 - api - INFO - request started
2025-05-17 10:00:01,002 - api - ERROR - lookup failed
Traceback (most recent call last):
  File \"/app/api/handlers.py\", line 10, in get
    return CACHE[key]
KeyError: 'user:42'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File \"/app/api/handlers.py\", line 12, in get
    return int(raw)
  File \"/usr/lib/python3.11/site-packages/x/conv.py\", line 3, in to_int
    raise ValueError(raw)
ValueError: invalid literal for int() with base 10: 'abc'
2025-05-17 10:00:02,003 - api - INFO - request done
";

#[test]
fn python_chained_traceback_is_one_record() {
    let a = analyze_bytes(PY_CHAINED);
    // KeyError and ValueError have the same priority: the earliest line decides.
    assert_eq!(spans(&a), vec![("KeyError", 2, 15)]);
    let r = records(&a)[0];
    assert_eq!(r.exception.as_deref(), Some("ValueError"));
    let f = &r.frames[r.innermost.unwrap()];
    assert_eq!((f.file.as_str(), f.line), ("/app/api/handlers.py", Some(12)));
    assert!(!r.frames.last().unwrap().app, "site-packages is not application code");
}

const JAVA: &str = "2025-05-17 10:00:00,123 ERROR [main] c.e.billing.Client - call failed
java.lang.RuntimeException: upstream failed
\tat com.example.billing.Client.call(Client.java:42)
\tat com.example.billing.Main.main(Main.java:7)
Caused by: java.net.ConnectException: Connection refused
\tat java.base/sun.nio.ch.Net.connect0(Native Method)
\tat com.example.billing.Client.open(Client.java:30)
\t... 2 more
2025-05-17 10:00:01,000 INFO [main] c.e.billing.Client - retry scheduled
";

#[test]
fn java_stack_with_caused_by_is_one_record() {
    let a = analyze_bytes(JAVA);
    assert_eq!(spans(&a), vec![("ConnectionError", 1, 8)]);
    let r = records(&a)[0];
    assert_eq!(r.exception.as_deref(), Some("java.lang.RuntimeException"));
    let f = &r.frames[r.innermost.unwrap()];
    assert_eq!((f.file.as_str(), f.line, f.function.as_deref()), ("Client.java", Some(42), Some("com.example.billing.Client.call")));
    assert!(!r.frames.iter().find(|f| f.function.as_deref() == Some("java.base/sun.nio.ch.Net.connect0")).unwrap().app);
}

const NODE: &str = "{\"level\":\"error\",\"time\":1747476300000,\"logger\":\"gateway\",\"msg\":\"upstream down\"}
Error: connect ECONNREFUSED 127.0.0.1:6379
    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)
    at RedisClient.connect (/srv/gateway/node_modules/redis/index.js:80:9)
    at start (/srv/gateway/src/cache.js:12:5)
{\"level\":\"info\",\"time\":1747476301000,\"msg\":\"ok\"}
";

#[test]
fn node_error_with_frames_is_one_record() {
    let a = analyze_bytes(NODE);
    assert_eq!(spans(&a), vec![("ConnectionError", 1, 5)]);
    let r = records(&a)[0];
    assert_eq!(r.time.unwrap().iso(), "2025-05-17T10:05:00.000Z");
    assert_eq!(r.exception.as_deref(), Some("Error"));
    assert_eq!(r.objects.hosts, vec!["127.0.0.1"]);
    assert_eq!(r.objects.ports, vec![6379]);
    let f = &r.frames[r.innermost.unwrap()];
    assert_eq!((f.file.as_str(), f.line, f.function.as_deref()), ("/srv/gateway/src/cache.js", Some(12), Some("start")));
}

const GO: &str = "2025-05-17T10:00:00Z INFO ingest started
panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x47b0e2]

goroutine 1 [running]:
main.(*Ingest).flush(0x0)
\t/src/ingest/flush.go:42 +0x22
main.main()
\t/src/ingest/main.go:17 +0x1d

goroutine 6 [chan receive]:
main.worker(0xc000012345)
\t/src/ingest/worker.go:9 +0x45
created by main.main in goroutine 1
\t/src/ingest/main.go:12 +0x8f
exit status 2
2025-05-17T10:00:05Z INFO ingest restarted
fatal error: all goroutines are asleep - deadlock!

goroutine 1 [chan receive]:
main.main()
\t/src/ingest/main.go:30 +0x11
";

#[test]
fn go_panic_with_goroutines_is_one_record() {
    let a = analyze_bytes(GO);
    assert_eq!(spans(&a), vec![("ProcessCrash", 2, 16), ("Deadlock", 18, 22)]);
    let r = records(&a)[0];
    assert_eq!(r.exception.as_deref(), Some("panic"));
    let f = &r.frames[r.innermost.unwrap()];
    assert_eq!((f.file.as_str(), f.line, f.function.as_deref()), ("/src/ingest/flush.go", Some(42), Some("main.(*Ingest).flush")));
}

const RUST: &str = "[2025-05-17T10:00:00Z ERROR worker] job failed
thread 'main' panicked at src/main.rs:2:5:
called `Option::unwrap()` on a `None` value
stack backtrace:
   0: rust_begin_unwind
             at /rustc/129f3b9964af4d4a709d1383930ade12dfe7c081/library/std/src/panicking.rs:645:5
   1: core::panicking::panic
             at /rustc/129f3b9964af4d4a709d1383930ade12dfe7c081/library/core/src/panicking.rs:144:5
   2: worker::run
             at ./src/main.rs:2:5
   3: worker::main
             at ./src/main.rs:6:5
note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.
[2025-05-17T10:00:01Z INFO worker] restarted
";

#[test]
fn rust_panic_with_backtrace_is_one_record() {
    let a = analyze_bytes(RUST);
    // The runtime writes the panic, not the logger: it starts its own record.
    assert_eq!(spans(&a), vec![("ProcessCrash", 2, 13)]);
    let r = records(&a)[0];
    assert_eq!(r.level, None);
    let f = &r.frames[r.innermost.unwrap()];
    assert_eq!((f.file.as_str(), f.line, f.function.as_deref()), ("./src/main.rs", Some(2), Some("worker::run")));
}

#[test]
fn a_headless_traceback_is_its_own_record() {
    let text = "2025-05-17 10:00:00 INFO ok\nplain progress line\nTraceback (most recent call last):\n  File \"a.py\", line 1, in <module>\nImportError: libcudart.so.12: cannot open shared object file: No such file or directory\nnext plain line\nTraceback (most recent call last):\n  File \"b.py\", line 2, in <module>\nValueError: x\n";
    let a = analyze_bytes(text);
    // A traceback printed after a routine or plain line is a record of its own; plain
    // lines right after its exception line continue the message (up to a blank line).
    assert_eq!(spans(&a), vec![("MissingDependency", 3, 6), ("ValueError", 7, 9)]);
}

#[test]
fn a_header_with_an_empty_message_owns_the_block_after_it() {
    let text = "2025-05-17 10:09:53.379 ERROR 56756 --- [main] c.a.billing.App               : \n\n***************************\nAPPLICATION FAILED TO START\n***************************\n\nDescription:\n\nConnection refused by the config server\n2025-05-17 10:09:54.000  INFO 56756 --- [main] c.a.billing.App : shutting down\n";
    assert_eq!(spans(&analyze_bytes(text)), vec![("ConnectionError", 1, 9)]);
}

#[test]
fn multi_line_exception_messages_and_sanitizer_reports_stay_in_their_record() {
    let text = "2025-05-17 10:00:00,000 - jobs - ERROR - commit failed
Traceback (most recent call last):
  File \"/app/jobs.py\", line 88, in mark_done
    cur.execute(sql)
psycopg2.errors.DeadlockDetected: deadlock detected
DETAIL:  Process 3121 waits for ShareLock on transaction 9811; blocked by process 3130.
HINT:  See server log for query details.

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File \"/app/jobs.py\", line 90, in mark_done
    session.commit()
ValueError: commit failed: Connection refused

plain line after a blank
=================================================================
==4242==ERROR: LeakSanitizer: detected memory leaks

Direct leak of 4096 byte(s) in 1 object(s) allocated from:
    #0 0x7fa26c712482 in malloc (/lib/x86_64-linux-gnu/libasan.so.8+0xd9a3f)

SUMMARY: AddressSanitizer: 4096 byte(s) leaked in 1 allocation(s). out of memory
2025-05-17 10:00:01,000 - jobs - INFO - next
";
    assert_eq!(spans(&analyze_bytes(text)), vec![("ConnectionError", 1, 14), ("OutOfMemory", 18, 23)]);
}

const GO_DEADLOCK: &str = "fatal error: all goroutines are asleep - deadlock!

goroutine 1 [chan receive]:
main.main()
\t/src/cmd/ingest/main.go:71 +0x1d4
";

const LSAN: &str = "==12407==ERROR: LeakSanitizer: detected memory leaks

Direct leak of 4096 byte(s) in 1 object(s) allocated from:
    #0 0x7fa26c712482 in malloc (/lib/x86_64-linux-gnu/libasan.so.8+0xd9a3f)
    #1 0x55988e5bb9b5 in decode_frame /src/codec/decode.c:212

SUMMARY: AddressSanitizer: 4096 byte(s) leaked in 1 allocation(s).
";

#[test]
fn a_go_fatal_error_after_another_records_lines_starts_its_own_record() {
    // Right after the frames of an earlier goroutine dump, with no blank line between.
    let text = format!("{}{GO_DEADLOCK}", &GO[GO.find("panic:").unwrap()..GO.find("exit status").unwrap()]);
    assert_eq!(spans(&analyze_bytes(&text)), vec![("ProcessCrash", 1, 14), ("Deadlock", 15, 19)]);
    // After a blank line that ends a dump, and after a Spring Boot block.
    let text = format!("panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/src/main.go:3 +0x1\n\nfatal error: concurrent map writes\n\ngoroutine 7 [running]:\nmain.put()\n\t/src/main.go:9 +0x2\n");
    assert_eq!(spans(&analyze_bytes(&text)), vec![("ProcessCrash", 1, 5), ("ProcessCrash", 7, 11)]);
    let text = format!("2025-05-17 10:09:53.379 ERROR 1 --- [main] c.a.App : \nDescription:\nConnection refused\n{GO_DEADLOCK}");
    assert_eq!(spans(&analyze_bytes(&text)), vec![("ConnectionError", 1, 3), ("Deadlock", 4, 8)]);
    // A panic while panicking stays one record.
    let text = "panic: boom\nfatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [running]:\nmain.main()\n\t/src/main.go:3 +0x1\n";
    assert_eq!(spans(&analyze_bytes(text)), vec![("Deadlock", 1, 6)]);
}

#[test]
fn a_go_panic_after_another_dumps_frames_starts_its_own_record() {
    // Two goroutines' crashes back to back (genlog writes them; so do crashing workers that
    // share a stderr): two records, the second starting at its `panic:` line.
    let dump = "panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a]\n\ngoroutine 9 [running]:\nmain.(*B).Flush(0x0)\n\t/src/b.go:88 +0x2c\n";
    let text = format!("{dump}{dump}");
    assert_eq!(spans(&analyze_bytes(&text)), vec![("ProcessCrash", 1, 6), ("ProcessCrash", 7, 12)]);
    // A panic raised while recovering from another stays one record.
    let text = "panic: boom [recovered]\npanic: second\n\ngoroutine 1 [running]:\nmain.main()\n\t/src/main.go:3 +0x1\n";
    assert_eq!(spans(&analyze_bytes(text)), vec![("ProcessCrash", 1, 6)]);
}

#[test]
fn a_sanitizer_report_after_another_records_lines_starts_its_own_record() {
    // After a WARN header whose message goes on in the lines below (a thread's stack).
    let text = format!("2025-05-17 10:26:55.280  WARN 1 --- [exec-5] c.a.App : Stack trace of thread:\n java.base/java.lang.Thread.run(Thread.java:1583)\n{LSAN}2025-05-17 10:26:56.000  INFO 1 --- [main] c.a.App : next\n");
    let a = analyze_bytes(&text);
    assert_eq!(spans(&a), vec![("MemoryLeak", 3, 9)]);
    // After an earlier report that has no SUMMARY line.
    let text = format!("==4242==ERROR: AddressSanitizer: out of memory: allocator is trying to allocate 0x100000 bytes\n    #0 0x4 in main\n{LSAN}");
    assert_eq!(spans(&analyze_bytes(&text)), vec![("OutOfMemory", 1, 2), ("MemoryLeak", 3, 9)]);
    // After a Go dump.
    let text = format!("{GO_DEADLOCK}{LSAN}");
    assert_eq!(spans(&analyze_bytes(&text)), vec![("Deadlock", 1, 5), ("MemoryLeak", 6, 12)]);
}

/// The analysis as the binding runs it: the catalog and the embedded-text trigger.
fn analyze_embedded(text: &str, engine: EngineChoice) -> Analysis {
    let mut sources: Vec<&str> = PATTERNS.iter().map(|p| p.0).collect();
    sources.push(logmedic_core::EMBEDDED_TRIGGER);
    let database = Database::from_sources(&sources, engine).unwrap();
    let (_, mut spec) = db(EngineChoice::Regex);
    spec.embedded = true;
    analyze(Source::Memory(text.as_bytes()), &database, &spec, &ScanOptions { threads: 1, ..ScanOptions::default() }, &Control::new()).unwrap().1
}

#[test]
fn a_traceback_embedded_in_a_json_line_is_classified_and_read_from_its_text() {
    let text = concat!(
        "{\"ts\":\"2025-05-17T10:05:08Z\",\"level\":\"error\",\"msg\":\"request failed\",\"exc_info\":\"Traceback (most recent call last):\\n  File \\\"/app/main.py\\\", line 47, in run\\n    x = f()\\nKeyError: 'model_path'\"}\n",
        "{\"level\":\"info\",\"msg\":\"batch done\\nKeyErrors=0\"}\n",
        "{\"level\":\"error\",\"err\":{\"stack\":\"Error: connect ECONNREFUSED 10.0.0.1:5432\\n    at TCPConnectWrap.afterConnect (node:net:1555:16)\\n    at connect (/app/db.js:9:3)\"}}\n",
    );
    let engines = if logmedic_core::hyperscan_available() { vec![EngineChoice::Regex, EngineChoice::Hyperscan] } else { vec![EngineChoice::Regex] };
    for engine in engines {
        let a = analyze_embedded(text, engine);
        // `^KeyError:` matches the embedded line, not the JSON line; the routine line with a
        // line break in its message is no record.
        assert_eq!(spans(&a), vec![("KeyError", 1, 1), ("ConnectionError", 3, 3)], "{engine:?}");
        let rs = records(&a);
        assert_eq!(rs[0].exception.as_deref(), Some("KeyError"));
        assert_eq!(rs[0].message, "request failed");
        let f = &rs[0].frames[rs[0].innermost.unwrap()];
        assert_eq!((f.file.as_str(), f.line, f.function.as_deref()), ("/app/main.py", Some(47), Some("run")));
        assert_eq!(rs[1].exception.as_deref(), Some("Error"));
        let f = &rs[1].frames[rs[1].innermost.unwrap()];
        assert_eq!((f.file.as_str(), f.line), ("/app/db.js", Some(9)));
        // Counted records get the same innermost frame.
        assert_eq!(a.types[6].frames.keys().map(|f| f.file.as_str()).collect::<Vec<_>>(), vec!["/app/main.py"]);
    }
    // Without the trigger the embedded traceback is not seen.
    assert_eq!(spans(&analyze_bytes(text)), vec![("ConnectionError", 3, 3)]);
}

#[test]
fn counts_all_but_keeps_max_samples() {
    let text = "2025-05-17 10:00:00 ERROR Connection refused\n".repeat(50);
    let (db, mut spec) = db(EngineChoice::Regex);
    spec.max_samples = 3;
    let (_, a) = analyze(Source::Memory(text.as_bytes()), &db, &spec, &ScanOptions { threads: 2, chunk_bytes: 100, ..Default::default() }, &Control::new()).unwrap();
    let t = &a.types[7];
    assert_eq!(t.count, 50);
    assert_eq!(t.samples.iter().map(|r| r.line).collect::<Vec<_>>(), vec![1, 2, 3]);
    assert_eq!((t.first.as_ref().unwrap().line, t.last.as_ref().unwrap().line), (1, 50));
    assert_eq!(t.minutes.values().sum::<u64>(), 50);
}

/// A log that mixes every format, repeated so that chunk edges fall everywhere.
fn mixed_log() -> String {
    let mut s = String::new();
    for i in 0..12 {
        s.push_str(&format!("2025-05-17 10:{:02}:00 - svc - INFO - tick {i}\n", i % 60));
        s.push_str(SCENARIO_1);
        s.push_str(PY_CHAINED);
        s.push_str(JAVA);
        s.push_str(NODE);
        s.push_str(GO);
        s.push_str(RUST);
        s.push_str("plain line without header\r\n  indented continuation\r\n");
        s.push_str("Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\nValueError: headless\n");
    }
    s
}

#[test]
fn records_do_not_depend_on_chunking_threads_or_source() {
    let text = mixed_log();
    let whole = run(Source::Memory(text.as_bytes()), &ScanOptions { threads: 1, ..Default::default() });
    let want = spans(&whole);
    assert_eq!(want.len(), 12 * 8);
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("mixed.log");
    std::fs::write(&plain, &text).unwrap();
    let gz = dir.path().join("mixed.log.gz");
    let mut enc = flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), flate2::Compression::fast());
    enc.write_all(text.as_bytes()).unwrap();
    enc.finish().unwrap();
    for chunk in [1, 7, 64, 333, 4096] {
        for threads in 1..=4 {
            let opts = ScanOptions { threads, chunk_bytes: chunk, ..Default::default() };
            let mem = run(Source::Memory(text.as_bytes()), &opts);
            assert_eq!(spans(&mem), want, "memory chunk={chunk} threads={threads}");
            let read = run(Source::open(&plain, false).unwrap(), &opts);
            assert_eq!(spans(&read), want, "pread chunk={chunk} threads={threads}");
            let stream = run(Source::open(&gz, false).unwrap(), &opts);
            assert_eq!(spans(&stream), want, "gzip chunk={chunk} threads={threads}");
            for (x, y) in records(&mem).iter().zip(records(&whole)) {
                assert_eq!((&x.message, &x.text, &x.frames, x.offset), (&y.message, &y.text, &y.frames, y.offset));
            }
        }
    }
}

#[test]
fn an_r_call_chain_and_a_julia_stacktrace_belong_to_the_error_above_them() {
    let r = "Error in readRDS(path) : cannot allocate vector: out of memory\nCalls: main -> fit -> readRDS\nExecution halted\n";
    assert_eq!(spans(&analyze_bytes(r))[0], ("OutOfMemory", 1, 2));
    let julia = "ERROR: LoadError: OutOfMemoryError: out of memory\nStacktrace:\n [1] load_model(path::String)\n   @ Main /srv/nn/infer.jl:12\n";
    assert_eq!(spans(&analyze_bytes(julia)), vec![("OutOfMemory", 1, 4)]);
}

#[test]
fn a_record_lists_every_pattern_it_matched_in_catalog_order() {
    let a = analyze_bytes("Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>\nMemoryError: CUDA error: out of memory\n");
    let r = records(&a)[0];
    assert_eq!(TYPES[r.type_id as usize], "OutOfMemory");
    assert_eq!(r.matched, vec![0, 1, 2]);
    assert!(r.matched.contains(&r.pattern));
}

#[test]
fn precedence_folds_a_pattern_priority_over_its_type_priority() {
    use logmedic_core::precedence;
    // The pattern's own priority decides first; its type's breaks ties; none: the type's.
    assert!(precedence(Some(10), 1) > precedence(Some(9), 1000));
    assert!(precedence(Some(10), 2) > precedence(Some(10), 1));
    assert_eq!(precedence(None, 7), precedence(Some(7), 7));
    assert_eq!(precedence(Some(i32::MAX), 5000), 1_000_000 * 1024 + 1023);
}
