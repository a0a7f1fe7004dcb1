//! Binding for the recovery planner's question "does this record trigger recovery by
//! default?". Conversion only; the rule is `logmedic_core::passive_classes`.

use logmedic_core as core;
use napi_derive::napi;

/// One reason a record does not trigger recovery by default.
#[napi(object)]
pub struct PassiveClass {
    /// "informational", "peer-fault" or "other-task" (the names `policy.alsoActOn` takes).
    pub class: String,
    /// The level or the words that show it.
    pub evidence: String,
}

/// Every class a record of this level and message belongs to, in a fixed order; empty when
/// it triggers recovery.
#[napi]
pub fn passive_classes(level: Option<String>, message: String) -> Vec<PassiveClass> {
    core::passive_classes(level.as_deref(), &message).into_iter().map(|p| PassiveClass { class: p.class.name().to_string(), evidence: p.evidence }).collect()
}

/// The class names, in the order `passiveClasses` reports them.
#[napi]
pub fn passive_class_names() -> Vec<&'static str> {
    core::PassiveClass::ALL.iter().map(|c| c.name()).collect()
}
