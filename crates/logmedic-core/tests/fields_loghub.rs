//! The header the core reads, line by line, on the 16 loghub-2k systems: the time, the level
//! and where the message starts, each checked against the structured CSV that comes with the
//! log (its Date/Time columns, its Level column, and its Content column as the message); and
//! that every line the CSV gives a time to starts a record (`is_header`: no loghub line is a
//! continuation of the one before).
//! One test per system; each prints its agreement and fails below 100 %, except where a
//! system's CSV is known to cut the message elsewhere than the log's own header (the floor
//! and the reason are given with the system).
//!
//! `cargo test --release -p logmedic-core --test fields_loghub -- --nocapture`

#[path = "common/loghub.rs"]
mod loghub;

use loghub::{csv_fields, loghub};
use logmedic_core::{canonical_level, header, is_header, Timestamp, YearRule};

/// The year given to formats that leave it out (the check is for month, day and clock).
const YEAR: i32 = 2025;


/// What the CSV says a line's time is.
enum Truth {
    /// Epoch seconds (the collector's own time, UTC).
    Epoch(i64),
    /// The log's local clock to the second: `YYYY-MM-DDTHH:MM:SS`.
    Clock(String),
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

fn month_number(name: &str) -> u32 {
    MONTHS.iter().position(|m| *m == name).expect("a month name") as u32 + 1
}

/// The time the CSV gives a row, read from the columns that system's CSV has.
fn truth_time(system: &str, col: &dyn Fn(&str) -> String) -> Option<Truth> {
    let hms = |t: &str| t.get(..8).unwrap_or(t).to_string();
    Some(match system {
        "BGL" | "Thunderbird" => Truth::Epoch(col("Timestamp").parse().ok()?),
        "HPC" => Truth::Epoch(col("Time").parse().ok()?),
        "Android" => {
            let (m, d) = col("Date").split_once('-').map(|(m, d)| (m.to_string(), d.to_string()))?;
            Truth::Clock(format!("{YEAR}-{m}-{d}T{}", hms(&col("Time"))))
        }
        "Apache" => {
            // `Sun Dec 04 04:47:44 2005`
            let time = col("Time");
            let w: Vec<&str> = time.split_whitespace().collect();
            Truth::Clock(format!("{}-{:02}-{:0>2}T{}", w[4], month_number(w[1]), w[2], w[3]))
        }
        "HDFS" => {
            // `081109` `203615`
            let (d, t) = (col("Date"), col("Time"));
            Truth::Clock(format!("20{}-{}-{}T{}:{}:{}", &d[..2], &d[2..4], &d[4..6], &t[..2], &t[2..4], &t[4..6]))
        }
        "HealthApp" => {
            // `20171223-22:15:29:606`, `20171223-22:16:0:119` (fields not zero-padded)
            let t = col("Time");
            let clock: Vec<u32> = t[9..].split(':').map(|f| f.parse().unwrap()).collect();
            Truth::Clock(format!("{}-{}-{}T{:02}:{:02}:{:02}", &t[..4], &t[4..6], &t[6..8], clock[0], clock[1], clock[2]))
        }
        "Linux" | "Mac" => Truth::Clock(format!("{YEAR}-{:02}-{:0>2}T{}", month_number(&col("Month")), col("Date"), col("Time"))),
        "OpenSSH" => Truth::Clock(format!("{YEAR}-{:02}-{:0>2}T{}", month_number(&col("Date")), col("Day"), col("Time"))),
        "Proxifier" => {
            // `10.30 16:49:06`
            let t = col("Time");
            Truth::Clock(format!("{YEAR}-{}-{}T{}", &t[..2], &t[3..5], &t[6..14]))
        }
        "Spark" => {
            // `17/06/09` `20:10:40`
            let d = col("Date");
            Truth::Clock(format!("20{}-{}-{}T{}", &d[..2], &d[3..5], &d[6..8], col("Time")))
        }
        _ => Truth::Clock(format!("{}T{}", col("Date"), hms(&col("Time")))),
    })
}

fn clock_of(t: &Timestamp) -> String {
    t.iso()[..19].to_string()
}

struct Agreement {
    lines: usize,
    timed: usize,
    starts: usize,
    time: usize,
    level: usize,
    levels_given: usize,
    message: usize,
    first_miss: Vec<String>,
}

fn check(system: &str) -> Option<Agreement> {
    let Some(dir) = loghub() else {
        eprintln!("loghub-2k not found beside the repository: skipped");
        return None;
    };
    let raw = std::fs::read(dir.join(system).join(format!("{system}_2k.log"))).unwrap();
    let csv = std::fs::read_to_string(dir.join(system).join(format!("{system}_2k.log_structured.csv"))).unwrap();
    let mut rows = csv.lines();
    let names = csv_fields(rows.next().unwrap());
    // Linux's `Level` column holds the host name (`combo`): it is no level.
    let has_level = names.iter().any(|n| n == "Level") && system != "Linux";
    let lines: Vec<&[u8]> = raw.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
    let rows: Vec<Vec<String>> = rows.map(csv_fields).collect();
    assert_eq!(lines.len(), rows.len(), "{system}: one CSV row per line");
    let mut a = Agreement { lines: lines.len(), timed: 0, starts: 0, time: 0, level: 0, levels_given: 0, message: 0, first_miss: Vec::new() };
    for (line, row) in lines.iter().zip(&rows) {
        let col = |name: &str| names.iter().position(|n| n == name).map(|i| row[i].clone()).unwrap_or_default();
        let h = header(line, YearRule::Fixed(YEAR));
        let truth = truth_time(system, &col);
        if truth.is_some() {
            a.timed += 1;
            a.starts += usize::from(is_header(line));
            if !is_header(line) && a.first_miss.len() < misses_shown() {
                a.first_miss.push(format!("  not a record start: {}", String::from_utf8_lossy(line)));
            }
        }
        let time_ok = match (truth, &h.time) {
            (Some(Truth::Epoch(s)), Some(t)) => t.utc && t.ms.div_euclid(1000) == s,
            (Some(Truth::Clock(c)), Some(t)) => clock_of(t) == c,
            _ => false,
        };
        a.time += usize::from(time_ok);
        if has_level {
            a.levels_given += 1;
            a.level += usize::from(h.level.is_some() && h.level == canonical_level(col("Level").as_bytes()));
        }
        let message_ok = h.message.trim() == col("Content").trim();
        a.message += usize::from(message_ok);
        if (!message_ok || !time_ok) && a.first_miss.len() < misses_shown() {
            a.first_miss.push(format!(
                "  line: {}\n  time: {:?}  message: {:?}\n  truth: {:?}",
                String::from_utf8_lossy(line),
                h.time.map(|t| t.iso()),
                h.message,
                col("Content")
            ));
        }
    }
    let pct = |n: usize, of: usize| if of == 0 { "-".to_string() } else { format!("{:.1}%", 100.0 * n as f64 / of as f64) };
    eprintln!(
        "{system:<12} lines {:>5}  record starts {:>6}  time {:>6}  level {:>6}  message start {:>6}",
        a.lines,
        pct(a.starts, a.timed),
        pct(a.time, a.lines),
        pct(a.level, a.levels_given),
        pct(a.message, a.lines)
    );
    for miss in &a.first_miss {
        eprintln!("{miss}");
    }
    Some(a)
}

/// Every line starts a record, and its time, level and message agree with the CSV (`message_floor`: the share of
/// lines whose message must agree, below 1.0 only where the CSV is cut elsewhere; see the caller).
fn expect(system: &str, message_floor: f64) {
    let Some(a) = check(system) else { return };
    assert_eq!(a.time, a.lines, "{system}: every line's time");
    assert_eq!((a.timed, a.starts), (a.lines, a.lines), "{system}: every line with a time starts a record");
    assert_eq!(a.level, a.levels_given, "{system}: every line's level");
    let share = a.message as f64 / a.lines as f64;
    assert!(share >= message_floor, "{system}: message start agrees on {share:.3} of lines (floor {message_floor})");
}

#[test]
fn android() {
    expect("Android", 1.0);
}

#[test]
fn apache() {
    expect("Apache", 1.0);
}

#[test]
fn bgl() {
    expect("BGL", 1.0);
}

#[test]
fn hdfs() {
    expect("HDFS", 1.0);
}

#[test]
fn hpc() {
    expect("HPC", 1.0);
}

#[test]
fn hadoop() {
    expect("Hadoop", 1.0);
}

#[test]
fn healthapp() {
    expect("HealthApp", 1.0);
}

#[test]
fn linux() {
    expect("Linux", 1.0);
}

#[test]
fn mac() {
    expect("Mac", 1.0);
}

#[test]
fn openssh() {
    expect("OpenSSH", 1.0);
}

#[test]
fn openstack() {
    expect("OpenStack", 1.0);
}

#[test]
fn proxifier() {
    expect("Proxifier", 1.0);
}

#[test]
fn spark() {
    expect("Spark", 1.0);
}

#[test]
fn thunderbird() {
    // Ten lines have no syslog tag (`local@tbird-admin1 IA32 emulation $Id: sys_ia32.c,v 1.32`,
    // `- User ID: CentOS-4`): the CSV cuts their message at the first colon wherever it is.
    expect("Thunderbird", 0.995);
}

#[test]
fn windows() {
    expect("Windows", 1.0);
}

#[test]
fn zookeeper() {
    expect("Zookeeper", 1.0);
}

/// How many disagreeing lines each system prints (`LOGMEDIC_FIELDS_MISSES`, 3 unless set).
fn misses_shown() -> usize {
    std::env::var("LOGMEDIC_FIELDS_MISSES").ok().and_then(|v| v.parse().ok()).unwrap_or(3)
}
