//! Survive a memory-mapped file being truncated while we read it.
//! Placeholder: the real guard (a SIGBUS handler that maps zero pages over the lost
//! range and records the fault) lands with the sources work.

pub struct Guard {
    _private: (),
}

impl Guard {
    pub fn new(_ptr: *const u8, _len: usize) -> Guard {
        Guard { _private: () }
    }
    pub fn tripped(&self) -> bool {
        false
    }
}
