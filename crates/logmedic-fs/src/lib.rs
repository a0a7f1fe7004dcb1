//! Contained filesystem mutations for recovery. Every change (unlink, chmod/chown, replace,
//! lock removal) is made relative to a directory handle opened from an allowed root, walking
//! each component with `O_NOFOLLOW | O_DIRECTORY`, and the checks (file type, hard links,
//! identity) are made on the opened handle at the moment of acting, so a directory swapped for
//! a symlink between plan and act cannot lead the change outside the root.
//!
//! Unix only (Linux, macOS, the BSDs); elsewhere every operation answers `Unsupported` and the
//! caller skips the action. Also here: which paths may not be roots at all (system roots).

mod roots;
#[cfg(unix)]
mod unix;

use std::fmt;
use std::path::Path;

pub use roots::system_root_reason;

/// Why an operation was refused or failed; `as_str` is the stable code the binding passes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// A component on the way (or the target) is a symlink or not a directory.
    Symlink,
    /// The file has more than one hard link: changing it would change another path too.
    HardLinked,
    /// Not a regular file (or directory, where one is allowed).
    NotRegular,
    /// The file is not the one that was planned (another inode sits under the name now).
    Changed,
    NotFound,
    /// A process holds a lock on the file.
    LockHeld,
    /// The relative path is not a plain path below the root (`..`, absolute).
    BadPath,
    Io,
    Unsupported,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Symlink => "E_FS_SYMLINK",
            Code::HardLinked => "E_FS_HARDLINK",
            Code::NotRegular => "E_FS_NOT_REGULAR",
            Code::Changed => "E_FS_CHANGED",
            Code::NotFound => "E_FS_NOT_FOUND",
            Code::LockHeld => "E_FS_LOCK_HELD",
            Code::BadPath => "E_FS_BAD_PATH",
            Code::Io => "E_FS_IO",
            Code::Unsupported => "E_FS_UNSUPPORTED",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Error {
    pub code: Code,
    pub message: String,
}

impl Error {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Error { code, message: message.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// Which inode a name referred to when it was planned: device and inode number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    pub dev: u64,
    pub ino: u64,
}

impl Identity {
    /// "dev:ino", the form that crosses to JavaScript (inode numbers can exceed 2^53).
    pub fn to_key(self) -> String {
        format!("{}:{}", self.dev, self.ino)
    }

    pub fn from_key(key: &str) -> Option<Identity> {
        let (dev, ino) = key.split_once(':')?;
        Some(Identity { dev: dev.parse().ok()?, ino: ino.parse().ok()? })
    }
}

/// A regular file found under a root.
#[derive(Debug, Clone)]
pub struct FileEntry {
    /// Relative to the root, '/'-separated.
    pub rel: String,
    pub size: u64,
    pub mtime_ms: f64,
    pub identity: Identity,
    pub nlink: u64,
}

/// What `set_mode` did.
#[derive(Debug, Clone, Default)]
pub struct ModeReport {
    /// Mode bits (0o7777) of the target before and after.
    pub mode_before: u32,
    pub mode_after: u32,
    pub is_dir: bool,
    /// Files and directories whose mode or owner changed.
    pub changed: u32,
    /// Entries left alone below the target, with why (symlinks, hard-linked files).
    pub refused: Vec<(String, String)>,
}

/// The ownership to apply along with a mode.
#[derive(Debug, Clone, Copy)]
pub struct Owner {
    pub uid: u32,
    pub gid: u32,
}

/// What a replacement did.
#[derive(Debug, Clone)]
pub struct ReplaceReport {
    /// Relative to the root: the copy of what was replaced (None when nothing was there).
    pub kept: Option<String>,
    pub size: u64,
    /// The file now under the name reads back byte for byte equal to the new content.
    pub verified: bool,
}

/// What the new content of a replaced file is.
pub enum Content<'a> {
    Bytes(&'a [u8]),
    /// A regular file under another root (a backup), opened the same contained way.
    File { root: &'a Path, rel: &'a str },
}

/// A lock file and whether it may be removed.
#[derive(Debug, Clone)]
pub struct LockVerdict {
    pub identity: Identity,
    pub stale: bool,
    pub why: String,
    /// The PID the file names, when its content is a PID (a first line of digits only).
    pub pid: Option<u32>,
}

macro_rules! unsupported {
    ($($name:ident ( $($arg:ident : $ty:ty),* ) -> $ret:ty;)*) => {
        $(
            #[cfg(not(unix))]
            #[allow(unused_variables)]
            pub fn $name($($arg: $ty),*) -> Result<$ret> {
                Err(Error::new(Code::Unsupported, "contained file operations need a Unix system (openat, O_NOFOLLOW)"))
            }
        )*
    };
}

#[cfg(unix)]
pub use unix::{list_files, lock_verdict, remove_stale_lock, replace_file, set_mode, unlink_file};

unsupported! {
    list_files(root: &Path, rel: &str, max_depth: u32, max_entries: u64) -> Vec<FileEntry>;
    unlink_file(root: &Path, rel: &str, expect: Option<Identity>) -> u64;
    set_mode(root: &Path, rel: &str, file_mode: Option<u32>, dir_mode: Option<u32>, owner: Option<Owner>, recursive: bool) -> ModeReport;
    replace_file(root: &Path, rel: &str, content: Content<'_>, keep_as: Option<&str>) -> ReplaceReport;
    lock_verdict(dir: &Path, name: &str) -> LockVerdict;
    remove_stale_lock(dir: &Path, name: &str, expect: Identity) -> LockVerdict;
}
