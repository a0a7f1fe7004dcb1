//! Errors are values with a stable code, carried from the core to the CLI.
//! The binding crate turns them into JS errors (`err.code`); the CLI turns those
//! into one line on stderr and an exit code.

use std::fmt;
use std::io;
use std::path::Path;

/// Stable, documented error codes. Never renumber or rename: they are API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// The input path does not exist.
    NotFound,
    /// The input exists but may not be read.
    Permission,
    /// The input is a directory (or another non-file) where a file was expected.
    IsDirectory,
    /// A pattern does not compile; the message names it.
    Pattern,
    /// A compressed input ends before its end marker.
    Truncated,
    /// A compressed input is corrupt.
    Corrupt,
    /// The requested engine is not available (e.g. libhs missing for `engine: "hyperscan"`).
    EngineUnavailable,
    /// Invalid option values.
    InvalidArgument,
    /// The caller aborted the job.
    Aborted,
    /// Any other I/O failure.
    Io,
    /// A bug in logmedic (a panic contained at the binding): never the input's fault.
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "E_NOT_FOUND",
            ErrorCode::Permission => "E_PERMISSION",
            ErrorCode::IsDirectory => "E_IS_DIRECTORY",
            ErrorCode::Pattern => "E_PATTERN",
            ErrorCode::Truncated => "E_TRUNCATED",
            ErrorCode::Corrupt => "E_CORRUPT",
            ErrorCode::EngineUnavailable => "E_ENGINE",
            ErrorCode::InvalidArgument => "E_INVALID_ARG",
            ErrorCode::Aborted => "E_ABORTED",
            ErrorCode::Io => "E_IO",
            ErrorCode::Internal => "E_INTERNAL",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    /// The file the error is about, when there is one.
    pub path: Option<String>,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error { code, message: message.into(), path: None }
    }

    pub fn with_path(mut self, path: &Path) -> Self {
        self.path = Some(path.display().to_string());
        self
    }

    /// Classify an I/O error about `path` into a stable code.
    pub fn from_io(err: &io::Error, path: &Path) -> Self {
        let shown = path.display();
        let (code, message) = match err.kind() {
            io::ErrorKind::NotFound => (ErrorCode::NotFound, format!("{shown}: no such file")),
            io::ErrorKind::PermissionDenied => (ErrorCode::Permission, format!("{shown}: permission denied")),
            io::ErrorKind::IsADirectory => (ErrorCode::IsDirectory, format!("{shown}: is a directory")),
            io::ErrorKind::NotADirectory => (ErrorCode::NotFound, format!("{shown}: no such file (a part of the path is not a directory)")),
            io::ErrorKind::InvalidFilename => (ErrorCode::NotFound, format!("{shown}: file name too long")),
            io::ErrorKind::UnexpectedEof => (ErrorCode::Truncated, format!("{shown}: truncated input ({err})")),
            io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => {
                (ErrorCode::Corrupt, format!("{shown}: corrupt input ({err})"))
            }
            _ => (ErrorCode::Io, format!("{shown}: {err}")),
        };
        Error { code, message, path: Some(path.display().to_string()) }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for Error {}

/// Run `call` with its panics contained: a panic becomes an [`ErrorCode::Internal`] error
/// naming what happened, never an unwind into the caller. Every entry point of the Node
/// binding goes through this (a panic may not unwind through a napi callback: it aborts the
/// process). The default hook's backtrace on stderr is kept for `LOGMEDIC_DEBUG`; otherwise
/// the CLI prints the error as its one line.
pub fn contained<T>(call: impl FnOnce() -> Result<T>) -> Result<T> {
    static QUIET_HOOK: std::sync::Once = std::sync::Once::new();
    QUIET_HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::env::var_os("LOGMEDIC_DEBUG").is_some() {
                default(info);
            }
        }));
    });
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(call)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        Err(Error::new(ErrorCode::Internal, format!("internal error (a bug in logmedic; please report it): {what}")))
    })
}
