//! The unrecognised lines of one file read in pieces at different times (`watch`): each
//! piece's partial is absorbed as the piece is analysed, and [`RunningTemplates::take`]
//! reports the lines absorbed since its last call as one section, one entry per template.
//! Templates are clustered over every line of the file absorbed so far, so a template has
//! the text and id `analyze` would give it over those lines, and a running count.

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
}
