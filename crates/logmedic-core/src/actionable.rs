//! Which records may set recovery off by default. A record the log itself marks informational
//! (INFO, NOTICE, DEBUG…), one that puts the fault on the other end of a connection (a client
//! that went away, "Connection reset by peer"), or one that reports the failure of another
//! task (Hadoop's "Task: attempt_… - exited") does not: acting on our own service cannot cure
//! it, and restarting for it turns a client's hiccup into an outage. The policy may opt in per
//! class (`policy.alsoActOn`); that choice is the planner's, the classes are decided here.

use std::sync::OnceLock;

use regex_automata::meta::Regex;

/// A reason a record does not trigger recovery by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PassiveClass {
    /// The log marks the record informational (INFO, NOTICE, DEBUG, TRACE, FINE…).
    Informational,
    /// The fault is on the other end: the peer or client reset, closed or vanished.
    PeerFault,
    /// The failure named belongs to another task, attempt or container.
    OtherTask,
}

impl PassiveClass {
    pub const ALL: [PassiveClass; 3] = [PassiveClass::Informational, PassiveClass::PeerFault, PassiveClass::OtherTask];

    /// The name the config uses (`policy.alsoActOn`).
    pub fn name(self) -> &'static str {
        match self {
            PassiveClass::Informational => "informational",
            PassiveClass::PeerFault => "peer-fault",
            PassiveClass::OtherTask => "other-task",
        }
    }
}

/// One class a record belongs to, with the text that shows it (the level, or the words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passive {
    pub class: PassiveClass,
    pub evidence: String,
}

const INFORMATIONAL_LEVELS: [&str; 12] = [
    "info", "information", "informational", "notice", "debug", "trace", "fine", "finer", "finest", "verbose", "config", "dbg",
];

const PEER_FAULT: &str = concat!(
    r"(?i)\b(?:reset|closed|aborted|terminated|disconnected)\s+by\s+(?:the\s+)?(?:peer|client|remote(?:\s+(?:host|peer|end|side|party))?)\b",
    r"|\b(?:can'?t|cannot|could\s+not|unable\s+to|failed\s+to)\s+(?:get|read|determine|resolve)\s+(?:the\s+)?(?:client|peer|remote)\s+(?:address|name|host)",
    r"|\b(?:client|peer|remote\s+(?:end|host|peer))\s+(?:closed|reset|disconnected|went\s+away|hung\s+up|aborted)\b",
);

const OTHER_TASK: &str = concat!(
    r"(?i)\b(?:attempt|container|task|executor)_[0-9a-z_]+\b[^.;]{0,40}?\b(?:exited|failed|killed|lost|was\s+killed)\b",
    r"|\b(?:diagnostics\s+report|failure|error\s+report)\s+from\s+(?:attempt|container|task|executor)_[0-9a-z_]+",
);

fn compiled(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("built-in pattern"))
}

/// Every class the record belongs to, in [`PassiveClass::ALL`] order; empty when it triggers.
pub fn passive_classes(level: Option<&str>, message: &str) -> Vec<Passive> {
    static PEER: OnceLock<Regex> = OnceLock::new();
    static OTHER: OnceLock<Regex> = OnceLock::new();
    let mut out = Vec::new();
    if let Some(level) = level {
        let level = level.trim();
        if INFORMATIONAL_LEVELS.iter().any(|l| l.eq_ignore_ascii_case(level)) {
            out.push(Passive { class: PassiveClass::Informational, evidence: level.to_string() });
        }
    }
    if let Some(m) = compiled(&PEER, PEER_FAULT).find(message) {
        out.push(Passive { class: PassiveClass::PeerFault, evidence: message[m.range()].to_string() });
    }
    if let Some(m) = compiled(&OTHER, OTHER_TASK).find(message) {
        let words = &message[m.range()];
        let cut = words.char_indices().nth(60).map_or(words.len(), |(i, _)| i);
        out.push(Passive { class: PassiveClass::OtherTask, evidence: words[..cut].to_string() });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(level: Option<&str>, message: &str) -> Vec<&'static str> {
        passive_classes(level, message).into_iter().map(|p| p.class.name()).collect()
    }

    #[test]
    fn informational_levels_in_any_case() {
        assert_eq!(classes(Some("INFO"), "worker OOM-killed"), ["informational"]);
        assert_eq!(classes(Some(" Notice "), "x"), ["informational"]);
        assert!(classes(Some("ERROR"), "worker OOM-killed").is_empty());
        assert!(classes(None, "worker OOM-killed").is_empty());
    }

    #[test]
    fn peer_faults_as_servers_and_clients_word_them() {
        assert_eq!(classes(Some("ERROR"), "read: Connection reset by peer"), ["peer-fault"]);
        assert_eq!(classes(None, "xinetd[1]: can't get client address: Connection reset by peer"), ["peer-fault"]);
        assert_eq!(classes(None, "upstream: client closed connection while waiting for request"), ["peer-fault"]);
        assert_eq!(classes(None, "connection closed by remote host"), ["peer-fault"]);
        assert!(classes(None, "connect() failed (111: Connection refused) while connecting to upstream").is_empty());
    }

    #[test]
    fn another_tasks_failure_with_its_words_as_evidence() {
        let p = passive_classes(Some("INFO"), "Task: attempt_200811101024_0001_m_000001_0 - exited : java.io.IOException");
        assert_eq!(p.iter().map(|p| p.class.name()).collect::<Vec<_>>(), ["informational", "other-task"]);
        assert!(p[1].evidence.starts_with("attempt_200811101024_0001_m_000001_0"));
        assert_eq!(classes(None, "Diagnostics report from attempt_1445144423722_0020_m_000002_0: Error"), ["other-task"]);
        assert!(classes(None, "Container killed on request. Exit code is 143").is_empty());
    }

    #[test]
    fn evidence_is_cut_on_a_character_boundary() {
        let msg = format!("task_{} {} exited", "x".repeat(40), "é".repeat(30));
        let p = passive_classes(None, &msg);
        assert_eq!(p[0].evidence.chars().count(), 60);
    }
}
