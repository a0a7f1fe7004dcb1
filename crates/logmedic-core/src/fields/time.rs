//! Timestamps as logs write them: ISO-8601, syslog, ctime, Android, glog, Redis, epoch and
//! the common log format, read at the start of a line into one [`Timestamp`]. Formats that
//! leave the year out get it from a [`YearRule`].

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

/// UTC civil time (year, month, day, hour, minute, second) of Unix seconds: the one conversion
/// the core and genlog share.
pub fn civil(secs: i64) -> (i64, i64, i64, i64, i64, i64) {
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
        // A run of digits too long for a number is not one (no overflow on hostile input).
        v = v.checked_mul(10)?.checked_add(i64::from(c - b'0'))?;
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

/// `H:M:S[:ms]` with fields of one or two digits (three for the milliseconds); returns
/// (ms of day, milliseconds given, bytes used).
fn loose_clock(b: &[u8], at: usize) -> Option<(i64, bool, usize)> {
    let mut fields = [0i64; 4];
    let mut i = at;
    let mut n = 0;
    while n < 4 {
        let len = b[i.min(b.len())..].iter().take(4).take_while(|c| c.is_ascii_digit()).count();
        if len == 0 || len > if n == 3 { 3 } else { 2 } {
            return None;
        }
        fields[n] = num(b, i, len)?;
        i += len;
        n += 1;
        if b.get(i) != Some(&b':') || n == 4 {
            break;
        }
        i += 1;
    }
    let [h, mi, s, ms] = fields;
    (n >= 3 && h < 24 && mi < 60 && s <= 60).then_some((((h * 60 + mi) * 60 + s) * 1000 + ms, n == 4, i - at))
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

/// How a timestamp without a year (syslog, Android, glog, ctime without one) gets its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearRule {
    /// This year, whatever the date (`--year`).
    Fixed(i32),
    /// The year that puts the time closest to, and not after, this moment (ms since 1970,
    /// UTC): the log file's modification time, or now for a stream. A log is written before
    /// its last change, so its lines lie in the year up to that moment; across a New Year the
    /// December lines fall in the year before the January ones, and time stays monotone.
    NotAfter(i64),
}

/// How far a year-less time may lie after the reference and still keep the reference's year:
/// the log's clock is local while a modification time is UTC (zones reach UTC+14), and clocks
/// drift. One day and a half covers both without letting a date a year off slip through.
const REFERENCE_SLACK_MS: i64 = 36 * 3_600_000;

impl YearRule {
    /// The rule for a stream read now.
    pub fn now() -> YearRule {
        YearRule::NotAfter(now_ms())
    }

    /// The rule for a file: not after its modification time (now for stdin, `-`, or a file
    /// that has none to give).
    pub fn for_path(path: &std::path::Path) -> YearRule {
        if path == std::path::Path::new("-") {
            return YearRule::now();
        }
        let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        let ms = modified.and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map(|d| d.as_millis() as i64);
        YearRule::NotAfter(ms.unwrap_or_else(now_ms))
    }

    /// The year for month `mo`, day `d` at `day_ms` into that day.
    fn year_for(self, mo: i64, d: i64, day_ms: i64) -> i64 {
        match self {
            YearRule::Fixed(y) => i64::from(y),
            YearRule::NotAfter(reference) => {
                let limit = reference + REFERENCE_SLACK_MS;
                let year = civil(limit.div_euclid(1000)).0;
                let at = |y: i64| days_from_civil(y, mo, d) * 86_400_000 + day_ms;
                if at(year) <= limit { year } else { year - 1 }
            }
        }
    }
}

impl From<i32> for YearRule {
    fn from(year: i32) -> YearRule {
        YearRule::Fixed(year)
    }
}

/// One end of a [`TimeRange`]: an instant, and the local wall clock at that instant, so that
/// it compares with times logged in UTC and with times logged on a local clock alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bound {
    /// Milliseconds since 1970 UTC.
    pub utc_ms: i64,
    /// The local clock's offset from UTC at that instant, in minutes (UTC+2: 120).
    pub offset_minutes: i32,
}

impl Bound {
    fn for_time(&self, t: &Timestamp) -> i64 {
        if t.utc { self.utc_ms } else { self.utc_ms + i64::from(self.offset_minutes) * 60_000 }
    }
}

/// The records a run counts (`--since`/`--until`): a record whose time is before `since` or
/// after `until` is left out. A record without a time cannot be placed, so it is kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimeRange {
    pub since: Option<Bound>,
    pub until: Option<Bound>,
}

impl TimeRange {
    /// Whether either end is set (an unbounded range admits every record without reading its time).
    pub fn is_bounded(&self) -> bool {
        self.since.is_some() || self.until.is_some()
    }

    /// Whether a record at `time` is counted.
    pub fn admits(&self, time: Option<&Timestamp>) -> bool {
        let Some(t) = time else { return true };
        self.since.is_none_or(|b| t.ms >= b.for_time(t)) && self.until.is_none_or(|b| t.ms <= b.for_time(t))
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

fn build(y: i64, mo: i64, d: i64, day_ms: i64, frac: bool, zone: Option<i64>) -> Timestamp {
    let ms = days_from_civil(y, mo, d) * 86_400_000 + day_ms - zone.unwrap_or(0) * 60_000;
    Timestamp { ms, utc: zone.is_some(), frac }
}

/// `2025-05-17[T ]10:05:00[.123][Z|+02:00]` or with `/`; returns (time, bytes used).
pub(super) fn iso_at(b: &[u8], at: usize) -> Option<(Timestamp, usize)> {
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
pub(super) fn epoch_at(b: &[u8], at: usize) -> Option<(Timestamp, usize)> {
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
/// `year` decides the year of formats that leave it out (syslog, Android, glog).
pub fn timestamp_at_start(line: &[u8], year: impl Into<YearRule>) -> Option<(Timestamp, usize)> {
    let year = year.into();
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
                let mut yy = None;
                if b.get(end) == Some(&b' ') {
                    if let Some(v) = num(b, end + 1, 4).filter(|_| !b.get(end + 5).is_some_and(u8::is_ascii_digit)) {
                        yy = Some(v);
                        end += 5;
                    }
                }
                let yy = yy.unwrap_or_else(|| year.year_for(mo, d, day_ms));
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
            let mut end = ds + dl + 1 + used;
            let mut yy = None;
            if b.get(end) == Some(&b' ') {
                if let Some(v) = num(b, end + 1, 4) {
                    yy = Some(v);
                    end += 5;
                }
            }
            let yy = yy.unwrap_or_else(|| year.year_for(mo, d, day_ms));
            return valid(mo, d, 0, 0, 0).then(|| (build(yy, mo, d, day_ms, frac, None), end));
        }
    }
    // log4j's `yy/MM/dd HH:mm:ss` (Spark): 17/06/09 20:10:40; the two-digit year is 20yy.
    if let (Some(yy), Some(mo), Some(d)) = (num(b, at, 2), num(b, at + 3, 2), num(b, at + 6, 2)) {
        let sep = b[at + 2];
        if matches!(sep, b'/' | b'-') && b.get(at + 5) == Some(&sep) && b.get(at + 8) == Some(&b' ') {
            let (day_ms, frac, used) = clock(b, at + 9)?;
            return valid(mo, d, 0, 0, 0).then(|| (build(2000 + yy, mo, d, day_ms, frac, None), at + 9 + used));
        }
    }
    // Compact dates: `YYYYMMDD HH:MM:SS` and `YYYYMMDD-H:M:S:ms` (fields not zero-padded,
    // milliseconds after a colon, as some Android apps write them: `20171223-22:16:0:119`).
    if let (Some(yy), Some(mo), Some(d)) = (num(b, at, 4), num(b, at + 4, 2), num(b, at + 6, 2)) {
        if matches!(b.get(at + 8), Some(b'-' | b' ' | b'T')) {
            let loose = loose_clock(b, at + 9).filter(|&(_, ms_given, _)| ms_given);
            let (day_ms, frac, used) = loose.or_else(|| clock(b, at + 9)).or_else(|| loose_clock(b, at + 9))?;
            return valid(mo, d, 0, 0, 0).then(|| (build(yy, mo, d, day_ms, frac, None), at + 9 + used));
        }
    }
    // Hadoop 0.x / HDFS: `YYMMDD HHMMSS` (081109 203615).
    if let (Some(date), Some(hms)) = (num(b, at, 6), num(b, at + 7, 6)) {
        let end = at + 13;
        if b.get(at + 6) == Some(&b' ') && matches!(b.get(end), None | Some(b' ' | b'\t')) {
            let (yy, mo, d) = (date / 10000, date / 100 % 100, date % 100);
            let (h, mi, s) = (hms / 10000, hms / 100 % 100, hms % 100);
            return valid(mo, d, h, mi, s).then(|| (build(2000 + yy, mo, d, ((h * 60 + mi) * 60 + s) * 1000, false, None), end));
        }
    }
    // Proxifier: [10.30 16:49:06] (month.day, no year), only inside brackets.
    if lead == 1 {
        if let (Some(mo), Some(d)) = (num(b, at, 2), num(b, at + 3, 2)) {
            if b.get(at + 2) == Some(&b'.') && b.get(at + 5) == Some(&b' ') {
                let (day_ms, frac, used) = clock(b, at + 6)?;
                return valid(mo, d, 0, 0, 0).then(|| (build(year.year_for(mo, d, day_ms), mo, d, day_ms, frac, None), at + 6 + used));
            }
        }
    }
    // Android threadtime: 05-17 10:05:00.123
    if let (Some(mo), Some(d)) = (num(b, at, 2), num(b, at + 3, 2)) {
        if matches!(b.get(at + 2), Some(b'-' | b'/')) && b.get(at + 5) == Some(&b' ') {
            let (day_ms, frac, used) = clock(b, at + 6)?;
            return valid(mo, d, 0, 0, 0).then(|| (build(year.year_for(mo, d, day_ms), mo, d, day_ms, frac, None), at + 6 + used));
        }
    }
    // glog: E0517 10:05:00.123456
    if matches!(b.first(), Some(b'I' | b'W' | b'E' | b'F')) && b.get(5) == Some(&b' ') {
        let (mo, d) = (num(b, 1, 2)?, num(b, 3, 2)?);
        let (day_ms, frac, used) = clock(b, 6)?;
        return valid(mo, d, 0, 0, 0).then(|| (build(year.year_for(mo, d, day_ms), mo, d, day_ms, frac, None), 6 + used));
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
pub(super) fn clf_time(line: &[u8]) -> Option<Timestamp> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i64, mo: i64, d: i64, h: i64, mi: i64) -> i64 {
        days_from_civil(y, mo, d) * 86_400_000 + (h * 60 + mi) * 60_000
    }

    fn iso(line: &str, rule: YearRule) -> String {
        timestamp_at_start(line.as_bytes(), rule).map(|(t, _)| t.iso()).unwrap_or_default()
    }

    #[test]
    fn a_year_less_time_is_never_after_the_reference() {
        let rule = YearRule::NotAfter(at(2026, 12, 6, 3, 42));
        // Four days ahead of the file's last change: last year's December, not a future date.
        assert_eq!(iso("Dec 10 10:00:00 host app[1]: x", rule), "2025-12-10T10:00:00");
        assert_eq!(iso("Dec  6 10:00:00 host app[1]: x", rule), "2026-12-06T10:00:00", "a local clock ahead of UTC keeps the year");
        assert_eq!(iso("May 17 10:05:00 host app[1]: x", rule), "2026-05-17T10:05:00");
        assert_eq!(iso("12-10 10:00:00.123  1  2 E Tag: x", rule), "2025-12-10T10:00:00.123");
        assert_eq!(iso("E1210 10:00:00.123456 1 a.cc:1] x", rule), "2025-12-10T10:00:00.123");
        assert_eq!(iso("Thu Dec 10 10:00:00 host x", rule), "2025-12-10T10:00:00");
        // A year the line gives wins over the rule.
        assert_eq!(iso("Dec 10 10:00:00 2030 host x", rule), "2030-12-10T10:00:00");
        assert_eq!(iso("2024-12-10 10:00:00 x", rule), "2024-12-10T10:00:00");
    }

    #[test]
    fn time_stays_monotone_across_a_new_year() {
        let rule = YearRule::NotAfter(at(2027, 1, 1, 0, 30));
        let lines = ["Dec 30 23:00:00 h a: x", "Dec 31 23:59:59 h a: x", "Jan  1 00:00:01 h a: x", "Jan  1 00:20:00 h a: x"];
        let times: Vec<i64> = lines.iter().map(|l| timestamp_at_start(l.as_bytes(), rule).unwrap().0.ms).collect();
        assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
        assert_eq!(iso(lines[1], rule), "2026-12-31T23:59:59");
        assert_eq!(iso(lines[2], rule), "2027-01-01T00:00:01");
    }

    #[test]
    fn a_range_compares_utc_and_local_times_with_the_same_instant() {
        let t = |line: &str| timestamp_at_start(line.as_bytes(), YearRule::Fixed(2026)).unwrap().0;
        // Since 10:00 UTC on a clock two hours ahead (12:00 local).
        let since = Bound { utc_ms: at(2026, 5, 17, 10, 0), offset_minutes: 120 };
        let range = TimeRange { since: Some(since), until: None };
        assert!(range.is_bounded());
        assert!(!range.admits(Some(&t("2026-05-17T09:59:59Z x"))));
        assert!(range.admits(Some(&t("2026-05-17T10:00:00Z x"))));
        assert!(!range.admits(Some(&t("May 17 11:59:00 h a: x"))), "11:59 local is 09:59 UTC");
        assert!(range.admits(Some(&t("May 17 12:00:00 h a: x"))));
        assert!(range.admits(None), "a record without a time is kept");
        let until = TimeRange { since: None, until: Some(Bound { utc_ms: at(2026, 5, 17, 10, 0), offset_minutes: 0 }) };
        assert!(until.admits(Some(&t("2026-05-17 10:00:00 x"))));
        assert!(!until.admits(Some(&t("2026-05-17 10:00:01 x"))));
        assert!(!TimeRange::default().is_bounded());
    }

    #[test]
    fn a_fixed_year_is_used_whatever_the_date() {
        assert_eq!(iso("Dec 10 10:00:00 host x", YearRule::Fixed(2031)), "2031-12-10T10:00:00");
        assert_eq!(iso("Dec 10 10:00:00 host x", 2019.into()), "2019-12-10T10:00:00");
    }

    #[test]
    fn a_file_gives_its_modification_time_and_stdin_gives_now() {
        let dir = std::env::temp_dir().join(format!("logmedic-year-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("old.log");
        let file = std::fs::File::create(&path).unwrap();
        let modified = std::time::UNIX_EPOCH + std::time::Duration::from_millis(at(2015, 7, 1, 12, 0) as u64);
        file.set_modified(modified).unwrap();
        assert_eq!(YearRule::for_path(&path), YearRule::NotAfter(at(2015, 7, 1, 12, 0)));
        assert_eq!(iso("Dec 31 10:00:00 host x", YearRule::for_path(&path)), "2014-12-31T10:00:00");
        let YearRule::NotAfter(now) = YearRule::for_path(std::path::Path::new("-")) else { panic!("stdin has no fixed year") };
        assert!((now - now_ms()).abs() < 60_000);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
