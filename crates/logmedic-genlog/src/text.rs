//! The small machinery under genlog: a seeded PRNG, templates parsed once into pieces,
//! and a clock that renders the timestamp formats of the log formats genlog writes.

/// xoshiro256** seeded through splitmix64: fast, good enough, and stable across platforms,
/// which is what byte-identical output for a seed needs.
pub(super) struct Rng([u64; 4]);

impl Rng {
    pub fn new(seed: u64) -> Self {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        Rng([next(), next(), next(), next()])
    }

    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.0;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` (n > 0), by multiply-shift.
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64) * (1.0 / (1u64 << 53) as f64) < p
    }
}

/// A variable part of a template. Values are digits, hex, or words from fixed lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    /// 1..=9999
    N,
    /// 1..=64
    K,
    /// 10000..=9999999
    Big,
    Pid,
    /// 10 hex digits
    Hex,
    /// 8 hex digits
    Id,
    Ip,
    Port,
    /// 1..=2999
    Ms,
    /// 1..=99
    Pct,
    /// 00..=99
    D2,
    User,
    Model,
    Quant,
    Path,
    Status,
    /// Kernel uptime stamp `[ 1234.567890]`.
    Up,
    /// Common log format time `17/May/2025:10:05:00 +0000`.
    Clf,
    /// Where the filler line grows (writes nothing itself).
    Pad,
}

const USERS: &[&str] = &["alice", "bob", "deploy", "svc-render", "mlops", "carol"];
const MODELS: &[&str] = &["sdxl-turbo", "whisper-large-v3", "llama-3-8b-instruct", "rife-v4.6", "realesrgan-x4"];
const QUANTS: &[&str] = &["FP16", "Q5_K_M", "Q4_K_M", "Q3_K_M", "Q2_K"];
const PATHS: &[&str] = &["/api/v1/jobs", "/api/v1/models", "/healthz", "/static/app.js", "/api/v1/thumbnails"];
const STATUSES: &[&str] = &["200", "200", "200", "200", "201", "204", "304", "404"];

fn slot_named(name: &str) -> Option<Slot> {
    Some(match name {
        "n" => Slot::N,
        "k" => Slot::K,
        "big" => Slot::Big,
        "pid" => Slot::Pid,
        "hex" => Slot::Hex,
        "id" => Slot::Id,
        "ip" => Slot::Ip,
        "port" => Slot::Port,
        "ms" => Slot::Ms,
        "pct" => Slot::Pct,
        "d2" => Slot::D2,
        "user" => Slot::User,
        "model" => Slot::Model,
        "quant" => Slot::Quant,
        "path" => Slot::Path,
        "status" => Slot::Status,
        "up" => Slot::Up,
        "clf" => Slot::Clf,
        "pad" => Slot::Pad,
        _ => return None,
    })
}

pub(super) enum Piece {
    /// Literal text, raw and escaped for a JSON string.
    Lit { raw: Box<[u8]>, json: Box<[u8]> },
    Slot(Slot),
}

/// A template parsed once into literal pieces and slots.
pub(super) struct Template {
    pub pieces: Vec<Piece>,
}

impl Template {
    pub fn parse(text: &str) -> Template {
        let mut pieces = Vec::new();
        let mut lit = String::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let slot = rest[open + 1..].find('}').and_then(|close| {
                slot_named(&rest[open + 1..open + 1 + close]).map(|s| (s, open + 1 + close + 1))
            });
            match slot {
                Some((s, end)) => {
                    lit.push_str(&rest[..open]);
                    if !lit.is_empty() {
                        pieces.push(lit_piece(&lit));
                        lit.clear();
                    }
                    pieces.push(Piece::Slot(s));
                    rest = &rest[end..];
                }
                None => {
                    lit.push_str(&rest[..=open]);
                    rest = &rest[open + 1..];
                }
            }
        }
        lit.push_str(rest);
        if !lit.is_empty() {
            pieces.push(lit_piece(&lit));
        }
        Template { pieces }
    }
}

fn lit_piece(text: &str) -> Piece {
    let mut json = Vec::with_capacity(text.len());
    json_escape(text.as_bytes(), &mut json);
    Piece::Lit { raw: text.as_bytes().into(), json: json.into() }
}

pub(super) fn json_escape(text: &[u8], out: &mut Vec<u8>) {
    for &b in text {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0..=0x1f => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[(b >> 4) as usize]);
                out.push(HEX[(b & 15) as usize]);
            }
            _ => out.push(b),
        }
    }
}

pub(super) fn push_u64(out: &mut Vec<u8>, mut v: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&tmp[i..]);
}

/// `v` in exactly `width` digits, zero-padded.
pub(super) fn push_padded(out: &mut Vec<u8>, mut v: u64, width: usize) {
    let start = out.len();
    out.resize(start + width, b'0');
    for i in (0..width).rev() {
        out[start + i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
}

fn push_hex(out: &mut Vec<u8>, rng: &mut Rng, digits: usize) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut bits = rng.next_u64();
    for _ in 0..digits {
        out.push(HEX[(bits & 15) as usize]);
        bits >>= 4;
    }
}

fn pick<'a>(rng: &mut Rng, list: &[&'a str]) -> &'a str {
    list[rng.below(list.len() as u64) as usize]
}

impl Template {
    /// Append the template with fresh slot values; `json` escapes the literal text for a
    /// JSON string. Returns the position of a `{pad}` slot, if there is one.
    pub fn render(&self, out: &mut Vec<u8>, rng: &mut Rng, clock: &mut Clock, json: bool) -> Option<usize> {
        let mut pad = None;
        for piece in &self.pieces {
            match piece {
                Piece::Lit { raw, json: escaped } => out.extend_from_slice(if json { escaped } else { raw }),
                Piece::Slot(slot) => match slot {
                    Slot::N => push_u64(out, rng.range(1, 9999)),
                    Slot::K => push_u64(out, rng.range(1, 64)),
                    Slot::Big => push_u64(out, rng.range(10_000, 9_999_999)),
                    Slot::Pid => push_u64(out, rng.range(1000, 65000)),
                    Slot::Hex => push_hex(out, rng, 10),
                    Slot::Id => push_hex(out, rng, 8),
                    Slot::Ip => {
                        out.extend_from_slice(b"10.");
                        push_u64(out, rng.below(256));
                        out.push(b'.');
                        push_u64(out, rng.below(256));
                        out.push(b'.');
                        push_u64(out, rng.range(1, 254));
                    }
                    Slot::Port => push_u64(out, rng.range(1024, 65535)),
                    Slot::Ms => push_u64(out, rng.range(1, 2999)),
                    Slot::Pct => push_u64(out, rng.range(1, 99)),
                    Slot::D2 => push_padded(out, rng.below(100), 2),
                    Slot::User => out.extend_from_slice(pick(rng, USERS).as_bytes()),
                    Slot::Model => out.extend_from_slice(pick(rng, MODELS).as_bytes()),
                    Slot::Quant => out.extend_from_slice(pick(rng, QUANTS).as_bytes()),
                    Slot::Path => out.extend_from_slice(pick(rng, PATHS).as_bytes()),
                    Slot::Status => out.extend_from_slice(pick(rng, STATUSES).as_bytes()),
                    Slot::Up => clock.uptime(out, rng),
                    Slot::Clf => clock.clf(out),
                    Slot::Pad => pad = Some(out.len()),
                },
            }
        }
        pad
    }
}

/// Broken-down UTC time of one second.
#[derive(Clone, Copy, Default)]
struct Civil {
    year: u64,
    month: u64,
    day: u64,
    hour: u64,
    minute: u64,
    second: u64,
}

const MONTHS: [&[u8; 3]; 12] = [b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"];

/// The log's clock: milliseconds since the Unix epoch, only ever moving forward.
pub(super) struct Clock {
    ms: u64,
    boot_ms: u64,
    cached_sec: u64,
    civil: Civil,
}

/// 2025-05-17T10:05:00Z, the start of every generated log.
pub(super) const START_MS: u64 = 1_747_476_300_000;

impl Clock {
    pub fn new(boot_ago_ms: u64) -> Clock {
        let mut c = Clock { ms: START_MS, boot_ms: START_MS - boot_ago_ms, cached_sec: u64::MAX, civil: Civil::default() };
        c.refresh();
        c
    }

    /// The time now on this clock (ms since 1970, UTC).
    pub fn now_ms(&self) -> u64 {
        self.ms
    }

    pub fn advance(&mut self, ms: u64) {
        self.ms += ms;
        if self.ms / 1000 != self.cached_sec {
            self.refresh();
        }
    }

    fn refresh(&mut self) {
        let secs = self.ms / 1000;
        self.cached_sec = secs;
        let (year, month, day, hour, minute, second) = logmedic_core::civil(secs as i64);
        let u = |v: i64| v as u64; // genlog writes dates after 1970
        self.civil = Civil { year: u(year), month: u(month), day: u(day), hour: u(hour), minute: u(minute), second: u(second) };
    }

    fn millis(&self) -> u64 {
        self.ms % 1000
    }

    fn hms(&self, out: &mut Vec<u8>) {
        let c = &self.civil;
        push_padded(out, c.hour, 2);
        out.push(b':');
        push_padded(out, c.minute, 2);
        out.push(b':');
        push_padded(out, c.second, 2);
    }

    fn ymd(&self, out: &mut Vec<u8>, sep: u8) {
        let c = &self.civil;
        push_padded(out, c.year, 4);
        out.push(sep);
        push_padded(out, c.month, 2);
        out.push(sep);
        push_padded(out, c.day, 2);
    }

    fn month_name(&self) -> &'static [u8; 3] {
        MONTHS[(self.civil.month - 1) as usize]
    }

    /// `2025-05-17 10:05:00` + `sep` + millis (`,` for Python logging, `.` for Logback).
    pub fn ymd_hms_ms(&self, out: &mut Vec<u8>, sep: u8) {
        self.ymd(out, b'-');
        out.push(b' ');
        self.hms(out);
        out.push(sep);
        push_padded(out, self.millis(), 3);
    }

    /// `2025-05-17T10:05:00.123Z`, or without millis for logrus.
    pub fn iso(&self, out: &mut Vec<u8>, with_ms: bool) {
        self.ymd(out, b'-');
        out.push(b'T');
        self.hms(out);
        if with_ms {
            out.push(b'.');
            push_padded(out, self.millis(), 3);
        }
        out.push(b'Z');
    }

    /// `2025/05/17 10:05:00` (nginx error log, Go's log package).
    pub fn slashed(&self, out: &mut Vec<u8>) {
        self.ymd(out, b'/');
        out.push(b' ');
        self.hms(out);
    }

    /// `May 17 10:05:00` (syslog, RFC 3164; the day is space-padded).
    pub fn syslog(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.month_name());
        out.push(b' ');
        if self.civil.day < 10 {
            out.push(b' ');
        }
        push_u64(out, self.civil.day);
        out.push(b' ');
        self.hms(out);
    }

    /// `17 May 2025 10:05:00.123` (Redis).
    pub fn redis(&self, out: &mut Vec<u8>) {
        push_padded(out, self.civil.day, 2);
        out.push(b' ');
        out.extend_from_slice(self.month_name());
        out.push(b' ');
        push_padded(out, self.civil.year, 4);
        out.push(b' ');
        self.hms(out);
        out.push(b'.');
        push_padded(out, self.millis(), 3);
    }

    /// `17/May/2025:10:05:00 +0000` (nginx access log).
    pub fn clf(&self, out: &mut Vec<u8>) {
        push_padded(out, self.civil.day, 2);
        out.push(b'/');
        out.extend_from_slice(self.month_name());
        out.push(b'/');
        push_padded(out, self.civil.year, 4);
        out.push(b':');
        self.hms(out);
        out.extend_from_slice(b" +0000");
    }

    /// `[ 1234.567890]`: seconds since boot as the kernel prints them.
    pub fn uptime(&self, out: &mut Vec<u8>, rng: &mut Rng) {
        let up = self.ms - self.boot_ms;
        let secs = up / 1000;
        out.push(b'[');
        let digits = if secs == 0 { 1 } else { secs.ilog10() as usize + 1 };
        for _ in digits..5 {
            out.push(b' ');
        }
        push_u64(out, secs);
        out.push(b'.');
        push_padded(out, (up % 1000) * 1000 + rng.below(1000), 6);
        out.push(b']');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_renders_the_start_time_in_every_format() {
        let mut c = Clock::new(3_600_000);
        c.advance(123);
        let mut rng = Rng::new(1);
        let show = |f: &dyn Fn(&mut Vec<u8>)| {
            let mut v = Vec::new();
            f(&mut v);
            String::from_utf8(v).unwrap()
        };
        assert_eq!(show(&|o| c.ymd_hms_ms(o, b',')), "2025-05-17 10:05:00,123");
        assert_eq!(show(&|o| c.iso(o, true)), "2025-05-17T10:05:00.123Z");
        assert_eq!(show(&|o| c.slashed(o)), "2025/05/17 10:05:00");
        assert_eq!(show(&|o| c.syslog(o)), "May 17 10:05:00");
        assert_eq!(show(&|o| c.redis(o)), "17 May 2025 10:05:00.123");
        assert_eq!(show(&|o| c.clf(o)), "17/May/2025:10:05:00 +0000");
        let mut v = Vec::new();
        c.uptime(&mut v, &mut rng);
        assert!(String::from_utf8(v).unwrap().starts_with("[ 3600.123"));
        // Crossing a month and a year.
        c.advance(((31 - 17) * 86_400 + 14 * 3600) * 1000);
        assert_eq!(show(&|o| c.syslog(o)), "Jun  1 00:05:00");
        c.advance(214 * 86_400 * 1000);
        assert_eq!(show(&|o| c.slashed(o)), "2026/01/01 00:05:00");
    }

    #[test]
    fn templates_keep_unknown_braces_literal() {
        let t = Template::parse("cfg {'timeout': 30} pid {pid}");
        let mut out = Vec::new();
        t.render(&mut out, &mut Rng::new(7), &mut Clock::new(1000), false);
        let s = String::from_utf8(out).unwrap();
        assert!(s.starts_with("cfg {'timeout': 30} pid "), "{s}");
    }
}
