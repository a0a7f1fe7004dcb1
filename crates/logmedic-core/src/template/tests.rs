//! Template mining's own rules: masking, clustering, and that every chunking of the same
//! lines yields the same templates.

use super::*;

fn opts() -> MineOptions {
    MineOptions { line_ids: true, errors_only: false, year: 2025, range: Default::default() }
}

fn one_thread(text: &str) -> Templates {
    let mut m = Miner::new(0, opts());
    m.add_lines(text.as_bytes());
    m.finish().templates()
}

fn texts(t: &Templates) -> Vec<String> {
    t.templates.iter().map(Template::text).collect()
}

#[test]
fn a_position_with_many_words_becomes_a_variable_and_a_pair_does_not() {
    let log = "\
2025-05-17 10:05:00 INFO sshd: Invalid user alice from 10.0.0.1
2025-05-17 10:05:01 INFO sshd: Invalid user bob from 10.0.0.2
2025-05-17 10:05:02 INFO sshd: Invalid user carol from 10.0.0.3
2025-05-17 10:05:02 INFO sshd: Invalid user dave from 10.0.0.3
2025-05-17 10:05:03 INFO sshd: session opened for user root
2025-05-17 10:05:04 INFO sshd: session closed for user root
";
    let t = one_thread(log);
    assert_eq!(texts(&t), ["Invalid user <*> from <*>", "session opened for user root", "session closed for user root"]);
    assert_eq!(t.templates[0].count, 4);
    assert_eq!((t.templates[0].first.line, t.templates[0].last.line), (1, 4));
    assert_eq!(t.templates[0].example, "2025-05-17 10:05:00 INFO sshd: Invalid user alice from 10.0.0.1");
    assert_eq!(t.line_ids.as_deref(), Some(&[Some(0), Some(0), Some(0), Some(0), Some(1), Some(2)][..]));
}

#[test]
fn the_header_is_not_part_of_the_template_and_its_level_is_kept() {
    let log = "2025-05-17 10:05:00 ERROR [main] c.e.App - Request 17 failed\nMay 17 10:05:00 gpu01 app[42]: Request 18 failed\n";
    let t = one_thread(log);
    assert_eq!(texts(&t), ["Request <*> failed"]);
    assert_eq!(t.templates[0].levels.names(), ["ERROR"]);
    assert!(t.templates[0].levels.has_error());
    assert!(t.templates[0].first.time.is_some());
}

#[test]
fn errors_only_mines_error_lines_and_leaves_the_others_without_an_id() {
    let log = "2025-05-17 10:05:00 INFO x - started 1\n2025-05-17 10:05:01 ERROR x - disk 2 full\n";
    let mut m = Miner::new(0, MineOptions { errors_only: true, ..opts() });
    m.add_lines(log.as_bytes());
    let t = m.finish().templates();
    assert_eq!(texts(&t), ["disk <*> full"]);
    assert_eq!(t.templates[0].first.line, 2);
    assert_eq!(t.line_ids.as_deref(), Some(&[None, Some(0)][..]));
}

#[test]
fn ids_are_stable_across_inputs_and_lines_end_with_or_without_cr() {
    let a = one_thread("disk 1 full\r\nok\n");
    let b = one_thread("something else\ndisk 9 full");
    assert_eq!(a.templates[0].id, b.templates[1].id);
    assert_eq!(a.templates[0].text(), "disk <*> full");
    assert_ne!(a.templates[0].id, a.templates[1].id);
}

/// A small deterministic generator (xorshift), so the property test needs no crate and
/// every failure is reproducible from its seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn random_log(rng: &mut Rng, lines: usize) -> String {
    const WORDS: [&str; 8] = ["alpha", "beta", "gamma", "delta", "open", "close", "disk", "user"];
    const LEVELS: [&str; 3] = ["INFO", "ERROR", "WARN"];
    let mut out = String::new();
    for i in 0..lines {
        let shape = rng.below(6);
        let level = LEVELS[rng.below(3) as usize];
        out.push_str(&format!("2025-05-17 10:{:02}:{:02} {level} app - ", i / 60 % 60, i % 60));
        for w in 0..=shape {
            let word = if rng.below(4) == 0 { WORDS[rng.below(8) as usize].to_string() } else { WORDS[((shape + w) % 8) as usize].to_string() };
            out.push_str(&word);
            if rng.below(3) == 0 {
                out.push_str(&format!(" {}", rng.below(1000)));
            }
            out.push(' ');
        }
        out.push('\n');
    }
    out
}

/// Mine `text` cut at random line ends into chunks, merged in order but grouped at random
/// (so the merge is exercised in many association orders).
fn randomly_chunked(text: &str, rng: &mut Rng, o: MineOptions) -> Templates {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut partials = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let n = 1 + rng.below(lines.len() as u64 / 3 + 1) as usize;
        let mut m = Miner::new(0, o);
        m.add_lines(lines[i..(i + n).min(lines.len())].concat().as_bytes());
        partials.push(m.finish());
        i += n;
    }
    while partials.len() > 1 {
        let at = rng.below(partials.len() as u64 - 1) as usize;
        let later = partials.remove(at + 1);
        let earlier = partials.remove(at);
        partials.insert(at, earlier.merge(later));
    }
    partials.pop().unwrap().templates()
}

#[test]
fn any_chunking_and_merge_order_gives_the_one_thread_answer() {
    for seed in 1..=60u64 {
        let mut rng = Rng(seed * 0x9e37_79b9_7f4a_7c15);
        let lines = 1 + rng.below(300) as usize;
        let log = random_log(&mut rng, lines);
        for errors_only in [false, true] {
            let o = MineOptions { errors_only, ..opts() };
            let mut m = Miner::new(0, o);
            m.add_lines(log.as_bytes());
            let whole = m.finish().templates();
            for _ in 0..4 {
                assert_eq!(randomly_chunked(&log, &mut rng, o), whole, "seed {seed}");
            }
            for threads in [2, 3, 7] {
                assert_eq!(mine_buffer(log.as_bytes(), 0, threads, o).templates(), whole, "seed {seed}, {threads} threads");
            }
        }
    }
}

#[test]
fn files_are_numbered_apart_and_share_templates() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.log"), dir.path().join("b.log"));
    std::fs::write(&a, "2025-05-17 10:05:00 disk 1 full\n2025-05-17 10:05:01 ok\n").unwrap();
    std::fs::write(&b, "2025-05-17 10:05:02 disk 2 full\n").unwrap();
    let t = mine_files(&[&a, &b], 2, opts()).unwrap();
    assert_eq!(texts(&t), ["disk <*> full", "ok"]);
    assert_eq!((t.templates[0].first.file, t.templates[0].first.line), (0, 1));
    assert_eq!((t.templates[0].last.file, t.templates[0].last.line), (1, 1));
    assert_eq!(t.line_ids.as_deref(), Some(&[Some(0), Some(1), Some(0)][..]));
    let missing = mine_files(&[&dir.path().join("nope.log")], 1, opts()).unwrap_err();
    assert_eq!(missing.code, crate::ErrorCode::NotFound);
}

#[test]
fn line_aligned_chunks_cover_the_buffer_at_line_ends() {
    let buf = b"a\nbb\nccc\ndddd\n\ne";
    for n in 1..8 {
        let chunks = line_aligned_chunks(buf, n);
        assert_eq!(chunks.concat(), buf.to_vec());
        assert!(chunks[..chunks.len() - 1].iter().all(|c| c.ends_with(b"\n")));
    }
}

#[test]
fn a_cancelled_run_stops_between_blocks_and_progress_comes_per_block() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, OnceLock};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.log");
    let line = "2025-05-17 10:05:00 ERROR x - request 17 failed on node-3 after a long wait\n";
    std::fs::write(&path, line.repeat(64)).unwrap();
    // Blocks of 512 bytes: several per file. Every block is reported.
    let reports = Arc::new(AtomicUsize::new(0));
    let counted = reports.clone();
    let control = Control::with_progress(move |_| {
        counted.fetch_add(1, Ordering::Relaxed);
    });
    let whole = mine_files_in_blocks(&[&path], 1, opts(), &control, 512).unwrap();
    assert_eq!(whole.templates[0].count, 64);
    assert!(reports.load(Ordering::Relaxed) >= 64 * line.len() / 512);
    // Cancelled when the first block is reported: the run ends before the second.
    let slot: Arc<OnceLock<Arc<Control>>> = Arc::new(OnceLock::new());
    let (inner, seen) = (slot.clone(), Arc::new(AtomicUsize::new(0)));
    let seen_inner = seen.clone();
    let control = Arc::new(Control::with_progress(move |_| {
        seen_inner.fetch_add(1, Ordering::Relaxed);
        inner.get().unwrap().cancel();
    }));
    slot.set(control.clone()).ok().unwrap();
    let err = mine_files_in_blocks(&[&path], 1, opts(), &control, 512).unwrap_err();
    assert_eq!(err.code, crate::ErrorCode::Aborted);
    assert_eq!(seen.load(Ordering::Relaxed), 1);
}

#[test]
fn short_messages_keep_their_one_word_apart_and_fields_keep_their_names() {
    // Each state word alone, and each `name=value`: fusing any two would leave no wording.
    let log = "normal\nwarning\nrunning\ncritical\nblocked\nambient=31\nambient=30\nonStep 12\nonTick 13\nonSync 14\nonStop 15\n";
    let t = one_thread(log);
    assert_eq!(texts(&t), ["normal", "warning", "running", "critical", "blocked", "ambient=<*>", "onStep <*>", "onTick <*>", "onSync <*>", "onStop <*>"]);
    // A field whose value has no digit joins the same field's masked values.
    let t = one_thread("failure rhost=10.0.0.1 user=root\nfailure rhost=example.org user=root\n");
    assert_eq!(texts(&t), ["failure rhost=<*> user=root"]);
    assert_eq!(t.line_ids.as_deref(), Some(&[Some(0), Some(0)][..]));
}

#[test]
fn the_same_wording_with_a_value_written_in_more_tokens_is_one_template() {
    let log = "\
GET /v1/a from 10.0.0.1 status 200
GET /v1/b from 10.0.0.2,10.0.0.1 status 404
GET /v1/c from 10.0.0.3 status 200
session opened for user root
session opened for user root by admin
";
    let t = one_thread(log);
    // The first shape names the template; the longer one joins it (its lines, not its tokens).
    assert_eq!(texts(&t), ["GET <*> from <*> status <*>", "session opened for user root", "session opened for user root by admin"]);
    assert_eq!(t.templates[0].count, 3);
    assert_eq!(t.line_ids.as_deref(), Some(&[Some(0), Some(0), Some(0), Some(1), Some(2)][..]));
}

#[test]
fn values_with_and_without_a_unit_are_one_template_that_shows_the_unit() {
    let log = "\
2025-05-17 10:05:00 INFO proxy: example.org:443 close, 1190 bytes sent, lifetime <1 sec
2025-05-17 10:05:01 INFO proxy: example.org:443 close, 403 bytes sent, lifetime 00:01
2025-05-17 10:05:02 INFO proxy: example.org:443 close, 403 bytes sent, lifetime 2 sec
2025-05-17 10:05:03 INFO job: job 3 done in 12 ms
";
    let t = one_thread(log);
    assert_eq!(texts(&t), ["<*> close <*> bytes sent lifetime <*> sec", "job <*> done in <*> ms"]);
    assert_eq!(t.templates[0].count, 3);
}

#[test]
fn a_numbered_name_tells_events_apart_as_a_word_does() {
    let log = "\
2025-05-17 10:05:00 INFO niff: link up on network 10.0.0.1 via interface alt0
2025-05-17 10:05:01 INFO niff: link up on network 10.0.0.2 via interface ee0
2025-05-17 10:05:02 INFO niff: link up on network 10.0.0.3 via interface alt0
2025-05-17 10:05:03 INFO niff: link up on network 10.0.0.4 via interface ee0
";
    assert_eq!(texts(&one_thread(log)), ["link up on network <*> via interface alt0", "link up on network <*> via interface ee0"]);
}

#[test]
fn a_line_of_a_million_words_is_one_template_whose_tail_is_a_variable() {
    // Two blobs of words that differ only past the tokens a key spells out: one template,
    // mined in about the time of ordinary lines (clustering a key compares each of its
    // positions with the others, so an uncut key of a million tokens would take hours).
    let words = |last: &str| format!("2025-05-17 10:05:00 ERROR dump begins {} {last}\n", "ok ".repeat(1_000_000));
    let t = one_thread(&(words("alpha") + &words("beta")));
    assert_eq!(t.templates.len(), 1);
    assert_eq!(t.templates[0].count, 2);
    let text = texts(&t).remove(0);
    assert!(text.starts_with("dump begins ok ok"), "{}", &text[..40]);
    assert!(text.ends_with("ok <*>"), "{}", &text[text.len() - 20..]);
    assert_eq!(text.split(' ').count(), tokens::MAX_KEY_TOKENS + 1);
}

#[test]
fn a_token_of_a_blob_is_one_variable() {
    // A run of bytes with no separator (a blob, a dump) is a value: spelled out in the key, a
    // 50 MB token would make a 50 MB key, held twice (the shape and its index).
    let blob = |fill: &str| format!("2025-05-17 10:05:00 ERROR payload {} rejected\n", fill.repeat(512 << 10));
    let t = one_thread(&(blob("x") + &blob("y")));
    assert_eq!(texts(&t), vec!["payload <*> rejected".to_string()]);
    assert_eq!(t.templates[0].count, 2);
    // A token at the cap is still wording.
    let word = "w".repeat(tokens::MAX_TOKEN_BYTES);
    let t = one_thread(&format!("2025-05-17 10:05:00 ERROR payload {word} rejected\n"));
    assert_eq!(texts(&t), vec![format!("payload {word} rejected")]);
}

#[test]
fn an_example_is_cut_from_the_line_as_from_its_whole_text() {
    // The example is cut before the line is read as text; the cut must fall where cutting
    // the text of the whole line puts it, whatever character or invalid byte is across it.
    let pieces: [&[u8]; 8] = [b"\xc3\xa9", "\u{20ac}".as_bytes(), "\u{1f600}".as_bytes(), b"\xe2\x82", b"\xff", b"\xf0\x9f\x98", b"\x80\x80\x80\x80\x80", b"\xe2\x82\xe2\x82"];
    for piece in pieces {
        for at in crate::MAX_MESSAGE_BYTES - 8..crate::MAX_MESSAGE_BYTES + 8 {
            let mut line = vec![b'a'; at];
            line.extend_from_slice(piece);
            line.extend(std::iter::repeat_n(b'b', 100));
            let whole = crate::analysis::capped_message(&String::from_utf8_lossy(&line)).0.to_string();
            assert_eq!(partial::example_of(&line), whole, "{piece:?} at {at}");
        }
    }
}

#[test]
fn a_line_longer_than_a_block_is_mined_on_its_head_and_the_lines_after_it_keep_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.log");
    let ordinary = "2025-05-17 10:05:00 ERROR x - request 17 failed on node-3\n";
    // 64-byte blocks; the long line spans many of them and ends mid-block.
    let long = format!("2025-05-17 10:05:01 ERROR dump {}\n", "ab ".repeat(500));
    std::fs::write(&path, format!("{ordinary}{long}{ordinary}{ordinary}")).unwrap();
    let progress = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let seen = progress.clone();
    let control = Control::with_progress(move |p| seen.store(p.bytes, std::sync::atomic::Ordering::Relaxed));
    let t = mine_files_in_blocks(&[&path], 1, opts(), &control, 64).unwrap();
    let ids = t.line_ids.as_deref().unwrap();
    assert_eq!(ids.len(), 4, "four lines: {ids:?}");
    assert_eq!((ids[0], ids[2], ids[3]), (Some(0), Some(0), Some(0)));
    assert_eq!(t.templates[0].count, 3);
    assert!(ids[1].is_some() && ids[1] != ids[0], "the long line is its own template");
    let long_template = &t.templates[ids[1].unwrap() as usize];
    assert!(long_template.example.len() <= 64, "its head only: {}", long_template.example);
    assert_eq!(progress.load(std::sync::atomic::Ordering::Relaxed), std::fs::metadata(&path).unwrap().len());
}
