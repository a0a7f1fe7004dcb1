//! Hyperscan (libhs), loaded at run time. Placeholder until the FFI lands: reports
//! the engine as unavailable so that `auto` falls back to the Rust engine.

use crate::error::{Error, ErrorCode, Result};
use crate::pattern::Pattern;

pub struct HsDb {
    _private: (),
}

impl HsDb {
    pub fn compile(_patterns: &[Pattern]) -> Result<HsDb> {
        Err(Error::new(ErrorCode::EngineUnavailable, "hyperscan engine not built yet"))
    }
    pub fn searcher(&self) -> Result<HsSearcher<'_>> {
        unreachable!()
    }
}

pub struct HsSearcher<'db> {
    _db: &'db HsDb,
}

impl HsSearcher<'_> {
    pub fn search(&mut self, _hay: &[u8], _on_match: &mut dyn FnMut(u32, usize)) -> Result<()> {
        unreachable!()
    }
}

/// Whether libhs can be loaded here.
pub fn available() -> bool {
    false
}
