//! Survive a memory-mapped file being truncated while we read it.
//!
//! Reading a mapped page that lies past the end of a file that shrank raises SIGBUS. While a
//! [`Guard`] is alive, a process-wide SIGBUS handler maps anonymous zero pages over the lost
//! part of that mapping and lets the read go on (it then sees NUL bytes); the guard records
//! that it tripped, and the scan reports `changed: true`. Faults anywhere else go to whoever
//! handled SIGBUS before us, or kill the process as they would have without us.
//!
//! What the scan sees after a fault: the bytes that were still in the file up to the fault,
//! then NUL bytes to the end of the mapping. NUL bytes hold no line break, so the lost range
//! adds at most one (NUL-filled) line, and no pattern that cannot match NUL counts it; lines
//! that other threads had already read before the truncation are kept. The counts are not
//! trimmed: they cover what was read, and `changed` says so. [`Guard::fault_offset`] gives the
//! first faulting offset for a caller that wants to cut there.
//!
//! On non-unix targets the guard does nothing: Windows refuses to truncate a mapped file.

#[cfg(unix)]
pub use unix::Guard;

#[cfg(not(unix))]
pub use other::Guard;

#[cfg(not(unix))]
mod other {
    /// No-op guard: a mapped file cannot be truncated under us on this platform.
    pub struct Guard;

    impl Guard {
        pub fn new(_ptr: *const u8, _len: usize) -> Guard {
            Guard
        }
        pub fn tripped(&self) -> bool {
            false
        }
    }
}

#[cfg(unix)]
mod unix {
    use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU8, AtomicUsize, Ordering};
    use std::sync::Once;
    use std::time::Duration;

    /// Mappings guarded at the same time. The napi addon runs scans on the libuv pool, at
    /// most 1024 threads, so this is never the limit there; past it, `Guard::new` waits for
    /// a slot rather than leave a mapping unguarded.
    const SLOTS: usize = 1024;

    const FREE: u8 = 0;
    const BUSY: u8 = 1; // being filled in or emptied: the handler ignores it
    const ARMED: u8 = 2;

    /// One registered mapping. Only atomics, so the signal handler can read it without a
    /// lock, and no allocation ever happens on its behalf.
    struct Slot {
        state: AtomicU8,
        start: AtomicUsize,
        end: AtomicUsize,
        /// Lowest faulting offset from `start`, `usize::MAX` until the first fault.
        fault: AtomicUsize,
    }

    #[allow(clippy::declare_interior_mutable_const)]
    const EMPTY: Slot = Slot {
        state: AtomicU8::new(FREE),
        start: AtomicUsize::new(0),
        end: AtomicUsize::new(0),
        fault: AtomicUsize::new(usize::MAX),
    };

    static TABLE: [Slot; SLOTS] = [EMPTY; SLOTS];
    static INSTALL: Once = Once::new();
    static PAGE: AtomicUsize = AtomicUsize::new(4096);
    /// The action that was in place before ours, saved before ours is installed.
    static PREVIOUS: AtomicPtr<libc::sigaction> = AtomicPtr::new(std::ptr::null_mut());
    static INSTALLED: AtomicBool = AtomicBool::new(false);

    /// Registers a mapping with the SIGBUS handler for as long as it lives.
    pub struct Guard {
        slot: Option<usize>,
    }

    impl Guard {
        /// Guard `len` bytes mapped at `ptr` (the start of an mmap, so page-aligned).
        pub fn new(ptr: *const u8, len: usize) -> Guard {
            if len == 0 || ptr.is_null() {
                return Guard { slot: None };
            }
            install();
            if !INSTALLED.load(Ordering::Acquire) {
                return Guard { slot: None };
            }
            loop {
                for (i, slot) in TABLE.iter().enumerate() {
                    if slot.state.compare_exchange(FREE, BUSY, Ordering::Acquire, Ordering::Relaxed).is_ok() {
                        slot.start.store(ptr as usize, Ordering::Relaxed);
                        slot.end.store(ptr as usize + len, Ordering::Relaxed);
                        slot.fault.store(usize::MAX, Ordering::Relaxed);
                        slot.state.store(ARMED, Ordering::Release);
                        return Guard { slot: Some(i) };
                    }
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        }

        /// A read of the mapping faulted since the guard was made: the file shrank.
        pub fn tripped(&self) -> bool {
            self.fault_offset().is_some()
        }

        /// The lowest offset (page-aligned) at which a read faulted.
        pub fn fault_offset(&self) -> Option<usize> {
            let slot = &TABLE[self.slot?];
            let at = slot.fault.load(Ordering::Acquire);
            (at != usize::MAX).then_some(at)
        }
    }

    impl Drop for Guard {
        fn drop(&mut self) {
            if let Some(i) = self.slot {
                // The scan has joined its readers, so no handler is busy with this slot.
                let slot = &TABLE[i];
                slot.state.store(BUSY, Ordering::Release);
                slot.start.store(0, Ordering::Relaxed);
                slot.end.store(0, Ordering::Relaxed);
                slot.state.store(FREE, Ordering::Release);
            }
        }
    }

    fn install() {
        INSTALL.call_once(|| unsafe {
            let page = libc::sysconf(libc::_SC_PAGESIZE);
            if page > 0 {
                PAGE.store(page as usize, Ordering::Relaxed);
            }
            // Save the old action first, so that the handler never sees it half-written.
            let previous: &'static mut libc::sigaction = Box::leak(Box::new(std::mem::zeroed()));
            if libc::sigaction(libc::SIGBUS, std::ptr::null(), previous) != 0 {
                return;
            }
            PREVIOUS.store(previous, Ordering::Release);
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_sigbus as *const () as usize;
            // SA_ONSTACK: where a thread has an alternate stack (Rust threads do), the handler
            // runs there, so a stack-overflow SIGBUS (macOS) still reaches the old handler.
            action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
            libc::sigemptyset(&mut action.sa_mask);
            if libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut()) == 0 {
                INSTALLED.store(true, Ordering::Release);
            }
        });
    }

    /// The SIGBUS handler. Async-signal-safe: atomics, `mmap` and `sigaction` only.
    extern "C" fn on_sigbus(sig: libc::c_int, info: *mut libc::siginfo_t, context: *mut libc::c_void) {
        let saved = errno::get();
        // si_code <= 0: sent by kill() or raise(), not a memory fault; not ours.
        let addr = if info.is_null() || unsafe { (*info).si_code } <= 0 {
            None
        } else {
            Some(unsafe { (*info).si_addr() } as usize)
        };
        if let Some(addr) = addr {
            if zero_fill(addr) {
                errno::set(saved);
                return;
            }
        }
        unsafe { chain(sig, info, context) };
    }

    /// If `addr` lies in a guarded mapping, replace the mapping from its page to the end with
    /// zero pages and record the fault. Returns whether the fault is handled.
    fn zero_fill(addr: usize) -> bool {
        let page = PAGE.load(Ordering::Relaxed);
        for slot in TABLE.iter() {
            if slot.state.load(Ordering::Acquire) != ARMED {
                continue;
            }
            let (start, end) = (slot.start.load(Ordering::Relaxed), slot.end.load(Ordering::Relaxed));
            if addr < start || addr >= end {
                continue;
            }
            let from = addr & !(page - 1);
            if from < start {
                return false; // not a page-aligned mapping: never touch a neighbour's page
            }
            let to = (end + page - 1) & !(page - 1);
            // MAP_FIXED replaces the pages in one step: a thread reading them at the same
            // time sees either the old page (and faults here too) or a zero page.
            let mapped = unsafe {
                libc::mmap(
                    from as *mut libc::c_void,
                    to - from,
                    libc::PROT_READ,
                    libc::MAP_FIXED | libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                    -1,
                    0,
                )
            };
            if mapped == libc::MAP_FAILED {
                return false;
            }
            slot.fault.fetch_min(from - start, Ordering::AcqRel);
            return true;
        }
        false
    }

    /// Hand a fault that is not ours to the previous action: call its handler, or put it
    /// back and return, so that the faulting instruction runs again and gets the default.
    unsafe fn chain(sig: libc::c_int, info: *mut libc::siginfo_t, context: *mut libc::c_void) {
        let previous = PREVIOUS.load(Ordering::Acquire);
        let mut fallback: libc::sigaction = std::mem::zeroed();
        let prev: &libc::sigaction = if previous.is_null() { &fallback } else { &*previous };
        let handler = prev.sa_sigaction;
        if handler == libc::SIG_DFL || handler == libc::SIG_IGN {
            // Ignoring a real SIGBUS would loop forever: restore the default instead.
            fallback.sa_sigaction = libc::SIG_DFL;
            libc::sigemptyset(&mut fallback.sa_mask);
            libc::sigaction(sig, &fallback, std::ptr::null_mut());
            return;
        }
        if prev.sa_flags & libc::SA_SIGINFO != 0 {
            let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) = std::mem::transmute(handler);
            f(sig, info, context);
        } else {
            let f: extern "C" fn(libc::c_int) = std::mem::transmute(handler);
            f(sig);
        }
    }

    /// errno must survive a signal handler; `mmap` may set it.
    mod errno {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        fn location() -> *mut libc::c_int {
            unsafe { libc::__errno_location() }
        }
        #[cfg(any(target_vendor = "apple", target_os = "freebsd", target_os = "dragonfly"))]
        fn location() -> *mut libc::c_int {
            unsafe { libc::__error() }
        }
        #[cfg(not(any(
            target_os = "linux",
            target_os = "android",
            target_vendor = "apple",
            target_os = "freebsd",
            target_os = "dragonfly"
        )))]
        fn location() -> *mut libc::c_int {
            std::ptr::null_mut()
        }

        pub fn get() -> libc::c_int {
            let p = location();
            if p.is_null() {
                0
            } else {
                unsafe { *p }
            }
        }

        pub fn set(value: libc::c_int) {
            let p = location();
            if !p.is_null() {
                unsafe { *p = value };
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use std::io::Write;

        /// The mechanism itself: map, truncate, read past the new end.
        #[test]
        fn truncated_mapping_reads_zeros_and_trips() {
            let mut file = tempfile::tempfile().unwrap();
            let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as usize;
            file.write_all(&vec![b'x'; page * 8]).unwrap();
            let map = unsafe { memmap2::Mmap::map(&file).unwrap() };
            let guard = Guard::new(map.as_ptr(), map.len());
            assert!(!guard.tripped());
            assert_eq!(map[page * 5], b'x');
            file.set_len((page * 2 + 10) as u64).unwrap();
            // Volatile reads, so that the compiler cannot reuse the value read above.
            let read = |i: usize| unsafe { std::ptr::read_volatile(map.as_ptr().add(i)) };
            assert_eq!(read(page * 5), 0, "lost page reads as zero");
            assert!(guard.tripped());
            assert_eq!(guard.fault_offset(), Some(page * 5));
            assert_eq!(read(page * 7 + 1), 0);
            assert_eq!(read(page * 2 + 10), 0, "tail of the last page is zero-filled by the kernel");
            assert_eq!(read(page * 2 + 9), b'x');
            assert_eq!(read(page * 3), 0, "a page below the first fault faults and is filled too");
            assert_eq!(guard.fault_offset(), Some(page * 3));
            drop(guard);
            drop(map);
        }

        #[test]
        fn slots_are_reused() {
            let bytes = [1u8; 16];
            for _ in 0..(SLOTS * 2) {
                let g = Guard::new(bytes.as_ptr(), bytes.len());
                assert!(g.slot.is_some());
                assert!(!g.tripped());
            }
            assert!(Guard::new(bytes.as_ptr(), 0).slot.is_none());
        }
    }
}
