//! The unrecognised lines of one file read in pieces at different times (`watch`): each
//! piece's partial is absorbed as the piece is analysed, and [`RunningTemplates::take`]
//! reports the lines absorbed since its last call as one section, one entry per template.
//! Templates are clustered over every line of the file absorbed so far, so a template has
//! the text and id `analyze` would give it over those lines, and a running count. The lines
//! seen so far can be saved as bytes and restored ([`RunningTemplates::encode`]), so a
//! process that resumes a file (`watch` after a restart) keeps counting.

use crate::engine::cache::hash64;
use crate::error::{Error, ErrorCode, Result};

use super::partial::Partial;
use super::unrecognised::MAX_SHAPES;
use super::{cluster_shapes, ShapeStats, Template};

/// A file's unrecognised lines: all of them since the start (bounded), and those not yet
/// reported.
#[derive(Debug, Clone)]
pub struct RunningTemplates {
    /// Every line absorbed, keeping at most `limit` distinct shapes (the lines of further
    /// shapes are counted as others).
    seen: Partial,
    /// The lines absorbed since the last [`RunningTemplates::take`].
    recent: Partial,
    limit: usize,
}

/// One template of a [`RecentSection`]: the template (text, id, pattern) as clustered over
/// every line seen, with count, first/last sighting, example and levels of the recent lines
/// only; `total` counts its lines since the start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecentTemplate {
    pub template: Template,
    pub total: u64,
}

/// The lines absorbed between two [`RunningTemplates::take`]s, merged by template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecentSection {
    /// In order of their first recent sighting.
    pub templates: Vec<RecentTemplate>,
    /// Lines absorbed.
    pub lines: u64,
    /// Lines absorbed whose shape no piece's partial kept (past its limit).
    pub others: u64,
}

impl Default for RunningTemplates {
    fn default() -> Self {
        RunningTemplates::with_limit(MAX_SHAPES)
    }
}

impl RunningTemplates {
    /// Keeping at most `limit` distinct shapes over the whole run; each report keeps as
    /// many as one analysis does ([`MAX_SHAPES`]).
    pub fn with_limit(limit: usize) -> Self {
        RunningTemplates { seen: Partial::numbered(limit), recent: Partial::numbered(MAX_SHAPES), limit }
    }

    /// Add the unrecognised partial of one piece, whose lines count from 1 at the piece's
    /// first line, line `lines_before + 1` of the file. Pieces come in the file's order.
    pub fn absorb(&mut self, piece: Partial, lines_before: u64) {
        let recent = std::mem::replace(&mut self.recent, Partial::numbered(MAX_SHAPES));
        self.recent = recent.merge_numbered(piece, &|_| lines_before);
    }

    /// The lines absorbed since the last call, one entry per template; none when there were
    /// none.
    pub fn take(&mut self) -> Option<RecentSection> {
        let recent = std::mem::replace(&mut self.recent, Partial::numbered(MAX_SHAPES));
        if recent.is_empty() {
            return None;
        }
        let seen = std::mem::replace(&mut self.seen, Partial::numbered(self.limit));
        self.seen = seen.merge_numbered(recent.clone(), &|_| 0);
        // A recent shape the running partial could not keep is still clustered (with all the
        // others) for this report, so what is reported never depends on the run's history.
        let kept = self.seen.shapes.len();
        let mut unkept: Vec<&ShapeStats> = Vec::new();
        let position: Vec<usize> = recent
            .shapes
            .iter()
            .map(|s| match self.seen.shape_index(&s.key) {
                Some(i) => i as usize,
                None => {
                    unkept.push(s);
                    kept + unkept.len() - 1
                }
            })
            .collect();
        let all: Vec<&ShapeStats> = self.seen.shapes.iter().chain(unkept).collect();
        let (templates, template_of) = cluster_shapes(&all);
        // One entry per template, in order of first recent sighting; the shape seen first
        // gives its first sighting and example.
        let mut slot: Vec<Option<usize>> = vec![None; templates.len()];
        let mut out: Vec<RecentTemplate> = Vec::new();
        let mut by_first: Vec<usize> = (0..recent.shapes.len()).collect();
        by_first.sort_by_key(|&i| (recent.shapes[i].first.file, recent.shapes[i].first.line));
        for i in by_first {
            let s = &recent.shapes[i];
            let t = template_of[position[i]] as usize;
            match slot[t] {
                None => {
                    slot[t] = Some(out.len());
                    let whole = &templates[t];
                    let template = Template { count: s.count, first: s.first, last: s.last, example: s.example.clone(), levels: s.levels, ..whole.clone() };
                    out.push(RecentTemplate { template, total: whole.count });
                }
                Some(i) => {
                    let mine = &mut out[i].template;
                    mine.count += s.count;
                    mine.levels = mine.levels.union(s.levels);
                    if (s.last.file, s.last.line) > (mine.last.file, mine.last.line) {
                        mine.last = s.last;
                    }
                }
            }
        }
        Some(RecentSection { templates: out, lines: recent.lines(), others: recent.others })
    }
}

/// The version of [`RunningTemplates::encode`]'s format; saved state of another version is
/// refused.
pub const TALLY_VERSION: u8 = 1;
const TALLY_MAGIC: &[u8; 4] = b"LMRT";
/// The most bytes a saved state unpacks to: far above what [`MAX_SHAPES`] shapes of capped
/// examples take, and a bound on what damaged bytes could make a reader allocate.
const MAX_UNPACKED: u64 = 256 << 20;

// The saved format: "LMRT", the version byte, the unpacked length (u64), the zstd frame of
// the seen lines' template partial (written as in a partial analysis), then a u64 checksum
// of everything before it. Integers little-endian.

impl RunningTemplates {
    /// Lines absorbed since the start, reported or not: a number that changes whenever the
    /// state [`RunningTemplates::encode`] saves does.
    pub fn lines(&self) -> u64 {
        self.seen.lines() + self.recent.lines()
    }

    /// The state a resumed reading of the file starts from, as bytes for
    /// [`RunningTemplates::decode`]. Lines absorbed but not yet taken count as seen: they are
    /// in the totals after a restore but not reported again. (`watch` writes its checkpoint
    /// before it reports a tick, so a restore that reported them again could repeat a tick.)
    pub fn encode(&self) -> Result<Vec<u8>> {
        let body = if self.recent.is_empty() {
            crate::partial::encode_unrecognised(&self.seen)
        } else {
            crate::partial::encode_unrecognised(&self.seen.clone().merge_numbered(self.recent.clone(), &|_| 0))
        };
        let packed = zstd::bulk::compress(&body, 3).map_err(|e| Error::new(ErrorCode::Internal, format!("cannot pack the unrecognised tally: {e}")))?;
        let mut out = Vec::with_capacity(packed.len() + 21);
        out.extend_from_slice(TALLY_MAGIC);
        out.push(TALLY_VERSION);
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(&packed);
        let sum = hash64(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        Ok(out)
    }

    /// Read what [`RunningTemplates::encode`] wrote. Refused with `InvalidArgument` when it
    /// is of another format version, with `Corrupt` when the bytes are damaged or cut short;
    /// never a panic, whatever the bytes.
    pub fn decode(bytes: &[u8]) -> Result<RunningTemplates> {
        let corrupt = || Error::new(ErrorCode::Corrupt, "saved unrecognised tally is corrupt or cut short");
        if bytes.len() < TALLY_MAGIC.len() + 1 + 8 + 8 || &bytes[..4] != TALLY_MAGIC {
            return Err(Error::new(ErrorCode::Corrupt, "not a saved unrecognised tally"));
        }
        let (data, sum) = bytes.split_at(bytes.len() - 8);
        let sum_holds = hash64(data).to_le_bytes() == sum;
        let version = data[4];
        if version != TALLY_VERSION {
            // Said only when the bytes are whole: a damaged version byte is damage.
            return Err(if sum_holds {
                Error::new(ErrorCode::InvalidArgument, format!("saved unrecognised tally of format version {version}; this logmedic reads version {TALLY_VERSION}"))
            } else {
                corrupt()
            });
        }
        if !sum_holds {
            return Err(corrupt());
        }
        let unpacked = u64::from_le_bytes(data[5..13].try_into().expect("8 bytes"));
        if unpacked > MAX_UNPACKED {
            return Err(corrupt());
        }
        let body = zstd::bulk::decompress(&data[13..], unpacked as usize).map_err(|_| corrupt())?;
        if body.len() as u64 != unpacked {
            return Err(corrupt());
        }
        let seen = crate::partial::decode_unrecognised(&body).map_err(|_| corrupt())?;
        let (_, _, _, limit) = seen.numbered_parts();
        Ok(RunningTemplates { seen, recent: Partial::numbered(MAX_SHAPES), limit })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields;

    /// The partial of one piece, as the analysis makes it: its lines numbered from 1.
    fn piece(lines: &[String]) -> Partial {
        let (mut key, mut kinds) = (Vec::new(), Vec::new());
        let mut p = Partial::numbered(MAX_SHAPES);
        for (n, line) in lines.iter().enumerate() {
            p.add_numbered(line.as_bytes(), n as u64 + 1, &fields::header(line.as_bytes(), 2025), &mut key, &mut kinds);
        }
        p
    }

    fn line(n: u64) -> String {
        // Three events; "quorum" takes a word (no digit) that varies from line to line.
        let peers = ["alpha", "bravo", "charlie", "delta", "echo"];
        match n % 3 {
            0 => format!("2025-05-17 10:05:{:02} ERROR api - ledger shard-{} drifted by {} units", n % 60, n % 7, n * 3),
            1 => format!("2025-05-17 10:05:{:02} ERROR api - quorum lost with peer {}", n % 60, peers[(n / 3) as usize % peers.len()]),
            _ => format!("2025-05-17 10:05:{:02} CRITICAL api - arbiter vote skipped for term {}", n % 60, n),
        }
    }

    fn summary(templates: impl IntoIterator<Item = Template>) -> Vec<(String, String, u64, u64, u64, String)> {
        templates.into_iter().map(|t| (t.id.clone(), t.text(), t.count, t.first.line, t.last.line, t.example)).collect()
    }

    #[test]
    fn pieces_taken_together_give_the_templates_of_all_their_lines_once() {
        let lines: Vec<String> = (0..30).map(line).collect();
        let mut running = RunningTemplates::default();
        // Pieces of 7, 1, 12 and 10 lines, numbered as lines of the file.
        let mut at = 0;
        for len in [7, 1, 12, 10] {
            running.absorb(piece(&lines[at..at + len]), at as u64);
            at += len;
        }
        let section = running.take().expect("lines were absorbed");
        let mut whole = piece(&lines).templates().templates;
        whole.sort_by_key(|t| t.first.line);
        assert_eq!(section.templates.len(), 3);
        assert_eq!(summary(section.templates.iter().map(|r| r.template.clone())), summary(whole));
        assert!(section.templates.iter().all(|r| r.total == r.template.count));
        assert_eq!((section.lines, section.others), (30, 0));
        assert_eq!(section.templates.iter().map(|r| r.template.count).sum::<u64>(), 30);
        assert!(running.take().is_none(), "nothing absorbed since");
    }

    #[test]
    fn later_reports_hold_only_their_lines_with_running_totals_and_the_ids_of_all_lines() {
        let lines: Vec<String> = (0..60).map(line).collect();
        let mut running = RunningTemplates::default();
        let mut reports = Vec::new();
        // Each report covers 12 lines read in two pieces.
        for start in (0..60).step_by(12) {
            running.absorb(piece(&lines[start..start + 5]), start as u64);
            running.absorb(piece(&lines[start + 5..start + 12]), start as u64 + 5);
            reports.push(running.take().expect("lines were absorbed"));
        }
        let whole = piece(&lines).templates().templates;
        let id_of = |text: &str| whole.iter().find(|t| t.text() == text).map(|t| t.id.clone());
        let mut totals = std::collections::HashMap::new();
        for (k, report) in reports.iter().enumerate() {
            assert_eq!(report.lines, 12);
            assert_eq!(report.templates.iter().map(|r| r.template.count).sum::<u64>(), 12);
            for r in &report.templates {
                let t = &r.template;
                assert!(t.first.line > 12 * k as u64 && t.last.line <= 12 * (k as u64 + 1), "report {k} holds only its lines: {t:?}");
                let total = totals.entry(t.text()).or_insert(0);
                *total += t.count;
                assert_eq!(r.total, *total, "{}", t.text());
            }
        }
        // "quorum lost with peer alpha" until a fourth peer was seen; from then on the one
        // template of all its lines, with the id analyze gives it over the whole file.
        let quorum: Vec<String> = reports.iter().map(|r| r.templates.iter().find(|t| t.template.text().starts_with("quorum")).unwrap().template.text()).collect();
        assert_eq!(quorum[0], "quorum lost with peer <*>", "{quorum:?}");
        for report in &reports {
            for r in &report.templates {
                assert_eq!(Some(r.template.id.clone()), id_of(&r.template.text()), "{}", r.template.text());
            }
        }
        let ids: std::collections::HashSet<&str> = reports.iter().flat_map(|r| r.templates.iter().map(|t| t.template.id.as_str())).collect();
        assert_eq!(ids.len(), 3, "one id per template over every report");
    }

    #[test]
    fn a_template_widened_by_later_lines_takes_the_id_of_its_wider_text() {
        let at = |peer: &str, s: u32| format!("2025-05-17 10:05:{s:02} ERROR api - quorum lost with peer {peer}");
        let mut running = RunningTemplates::default();
        running.absorb(piece(&[at("alpha", 0)]), 0);
        let first = running.take().unwrap();
        assert_eq!(first.templates[0].template.text(), "quorum lost with peer alpha");
        running.absorb(piece(&[at("bravo", 1), at("charlie", 2), at("delta", 3)]), 1);
        let second = running.take().unwrap();
        assert_eq!(second.templates.len(), 1);
        let t = &second.templates[0];
        assert_eq!((t.template.text(), t.template.count, t.total), ("quorum lost with peer <*>".to_string(), 3, 4));
        assert_eq!((t.template.first.line, t.template.last.line), (2, 4));
        assert_eq!(t.template.example, at("bravo", 1));
    }

    #[test]
    fn shapes_past_the_limit_are_still_reported_but_not_kept() {
        let mut running = RunningTemplates::with_limit(1);
        let l = |what: &str| format!("2025-05-17 10:05:00 ERROR api - {what}");
        running.absorb(piece(&[l("disk 1 full")]), 0);
        assert_eq!(running.take().unwrap().templates[0].total, 1);
        running.absorb(piece(&[l("fan 2 stalled"), l("disk 3 full")]), 1);
        let second = running.take().unwrap();
        let got: Vec<(String, u64, u64)> = second.templates.iter().map(|r| (r.template.text(), r.template.count, r.total)).collect();
        assert_eq!(got, [("fan <*> stalled".to_string(), 1, 1), ("disk <*> full".to_string(), 1, 2)]);
        running.absorb(piece(&[l("fan 4 stalled")]), 3);
        let third = running.take().unwrap();
        assert_eq!((third.templates[0].template.count, third.templates[0].total), (1, 1), "a shape not kept has no running count");
    }

    /// Totals and ids after `restore(encode(..))` are those of a run never interrupted.
    #[test]
    fn a_restored_tally_goes_on_counting_as_if_never_stopped() {
        let lines: Vec<String> = (0..40).map(line).collect();
        let mut straight = RunningTemplates::default();
        let mut resumed = RunningTemplates::default();
        for r in [&mut straight, &mut resumed] {
            r.absorb(piece(&lines[..12]), 0);
            r.take().unwrap();
        }
        resumed = RunningTemplates::decode(&resumed.encode().unwrap()).expect("its own bytes");
        assert_eq!(resumed.lines(), 12);
        for r in [&mut straight, &mut resumed] {
            r.absorb(piece(&lines[12..40]), 12);
        }
        let (a, b) = (straight.take().unwrap(), resumed.take().unwrap());
        assert_eq!(a, b);
        assert!(b.templates.iter().any(|t| t.total > t.template.count), "totals include the lines before the restore");
    }

    #[test]
    fn lines_absorbed_but_not_taken_are_saved_as_counted_and_not_reported_again() {
        let lines: Vec<String> = (0..9).map(line).collect();
        let mut straight = RunningTemplates::default();
        straight.absorb(piece(&lines[..6]), 0);
        let mut restored = RunningTemplates::decode(&straight.encode().unwrap()).unwrap();
        assert!(restored.take().is_none(), "nothing to report: the save counts them as reported");
        assert!(straight.take().is_some(), "encoding left the tally's own lines to report");
        for r in [&mut straight, &mut restored] {
            r.absorb(piece(&lines[6..9]), 6);
        }
        let (a, b) = (straight.take().unwrap(), restored.take().unwrap());
        assert_eq!(a, b);
        assert_eq!(b.lines, 3);
        assert!(b.templates.iter().any(|t| t.total > t.template.count), "totals include the lines saved");
    }

    #[test]
    fn the_shape_limit_and_the_lines_past_it_survive_a_restore() {
        let l = |what: &str| format!("2025-05-17 10:05:00 ERROR api - {what}");
        let mut running = RunningTemplates::with_limit(1);
        running.absorb(piece(&[l("disk 1 full"), l("fan 2 stalled")]), 0);
        let mut restored = RunningTemplates::decode(&running.encode().unwrap()).unwrap();
        restored.absorb(piece(&[l("disk 3 full"), l("fan 4 stalled")]), 2);
        let got: Vec<(String, u64)> = restored.take().unwrap().templates.iter().map(|r| (r.template.text(), r.total)).collect();
        assert_eq!(got, [("disk <*> full".to_string(), 2), ("fan <*> stalled".to_string(), 1)], "the fan is still past the limit");
    }

    fn saved() -> Vec<u8> {
        let lines: Vec<String> = (0..30).map(line).collect();
        let mut running = RunningTemplates::default();
        running.absorb(piece(&lines), 0);
        running.encode().unwrap()
    }

    fn refusal(bytes: &[u8]) -> crate::error::Error {
        RunningTemplates::decode(bytes).err().unwrap_or_else(|| panic!("{} bytes were taken", bytes.len()))
    }

    #[test]
    fn every_cut_of_a_saved_tally_is_refused_as_corrupt() {
        let bytes = saved();
        for cut in 0..bytes.len() {
            assert_eq!(refusal(&bytes[..cut]).code, ErrorCode::Corrupt, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(refusal(&longer).code, ErrorCode::Corrupt);
    }

    #[test]
    fn every_bit_flip_of_a_saved_tally_is_refused_as_corrupt() {
        let bytes = saved();
        for at in 0..bytes.len() {
            for bit in 0..8 {
                let mut damaged = bytes.clone();
                damaged[at] ^= 1 << bit;
                let e = refusal(&damaged);
                assert_eq!(e.code, ErrorCode::Corrupt, "bit {bit} of byte {at}: {}", e.message);
            }
        }
    }

    /// Bytes as [`RunningTemplates::encode`] frames them, around any body.
    fn framed(version: u8, body: &[u8]) -> Vec<u8> {
        let mut out = TALLY_MAGIC.to_vec();
        out.push(version);
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(&zstd::bulk::compress(body, 3).unwrap());
        let sum = hash64(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    #[test]
    fn a_tally_of_another_version_is_refused_saying_so() {
        let body = crate::partial::encode_unrecognised(&piece(&[line(1)]));
        assert!(RunningTemplates::decode(&framed(TALLY_VERSION, &body)).is_ok());
        let e = refusal(&framed(TALLY_VERSION + 1, &body));
        assert_eq!(e.code, ErrorCode::InvalidArgument);
        assert_eq!(e.message, format!("saved unrecognised tally of format version {}; this logmedic reads version {TALLY_VERSION}", TALLY_VERSION + 1));
        assert_eq!(refusal(b"LMPA\x02 a partial analysis, not a tally").message, "not a saved unrecognised tally");
    }

    /// Whole, checksummed bytes that no encoder writes (a faulty build, a forged file) are
    /// refused too, never taken as counts that do not add up.
    #[test]
    fn a_well_framed_tally_whose_counts_do_not_hold_is_refused() {
        let lines: Vec<String> = (0..6).map(line).collect();
        let p = piece(&lines);
        let (shapes, n, others, limit) = p.numbered_parts();
        let variants = [
            Partial::from_numbered_parts(shapes.to_vec(), n + 1, others, limit),
            Partial::from_numbered_parts(shapes.to_vec(), n, others, 1),
            Partial::from_numbered_parts([shapes.to_vec(), shapes[..1].to_vec()].concat(), n + shapes[0].count, others, limit),
        ];
        for bad in &variants {
            let e = refusal(&framed(TALLY_VERSION, &crate::partial::encode_unrecognised(bad)));
            assert_eq!(e.code, ErrorCode::Corrupt);
        }
        let mut body = crate::partial::encode_unrecognised(&p);
        body.push(0);
        assert_eq!(refusal(&framed(TALLY_VERSION, &body)).code, ErrorCode::Corrupt);
        let mut zero = p.clone();
        zero.shapes[0].count = 0;
        let e = refusal(&framed(TALLY_VERSION, &crate::partial::encode_unrecognised(&Partial::from_numbered_parts(zero.shapes, n - p.shapes[0].count, others, limit))));
        assert_eq!(e.code, ErrorCode::Corrupt, "a shape seen 0 times");
    }

    #[test]
    fn arbitrary_bytes_are_refused_without_a_panic() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let good = saved();
        for round in 0..2_000 {
            let len = (round * 7) % 300;
            let mut bytes: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            if round % 2 == 0 && bytes.len() >= 5 {
                bytes[..5].copy_from_slice(&good[..5]);
            }
            assert!(RunningTemplates::decode(&bytes).is_err());
        }
    }

    /// The size a checkpoint carries: 1,000 distinct templates of typical lines.
    #[test]
    fn a_thousand_shapes_save_in_tens_of_kilobytes() {
        let words = ["ledger", "quorum", "arbiter", "escrow", "turbine", "custodian", "shard", "replica", "vault", "beacon"];
        let lines: Vec<String> = (0..1_000u64)
            .map(|n| {
                let (a, b, c) = (words[n as usize % 10], words[(n / 10) as usize % 10], words[(n / 100) as usize % 10]);
                format!("2025-05-17 10:{:02}:{:02} ERROR svc-{} - {a} {b} {c} refused request {} from 10.0.{}.{} after {} ms", n / 60 % 60, n % 60, n % 13, n * 7919, n % 256, n % 97, n % 1000)
            })
            .collect();
        let mut running = RunningTemplates::default();
        running.absorb(piece(&lines), 0);
        let bytes = running.encode().unwrap();
        assert_eq!(running.seen.shapes.len() + running.recent.shapes.len(), 1_000);
        let raw = crate::partial::encode_unrecognised(&running.recent).len();
        eprintln!("1,000 shapes: {raw} bytes unpacked, {} saved", bytes.len());
        assert!(bytes.len() < 64 * 1024, "{} bytes", bytes.len());
        assert_eq!(RunningTemplates::decode(&bytes).unwrap().lines(), 1_000);
    }
}
