//! Binding for what the file follower asks the core: where the last record of the bytes read
//! so far starts (what may still grow), and which compressed format a file's first bytes
//! name. Conversion only; the rules are `record::last_record_start` and `source::compression`.

use logmedic_core as core;
use napi_derive::napi;

/// Offset of the last record start among the complete lines of `buf` (the first line
/// included), or null when no header is near the end (every complete line is final).
#[napi]
pub fn last_record_start(buf: &[u8]) -> Option<f64> {
    core::last_record_start(buf).map(|p| p as f64)
}

/// The compressed format `head` starts with ("gzip", "zstd", "xz", "bzip2", "lz4"), or null.
#[napi]
pub fn compression_of(head: &[u8]) -> Option<&'static str> {
    core::compression(head).map(core::Compression::as_str)
}

/// How many leading bytes `compressionOf` needs.
#[napi]
pub const MAGIC_LEN: u32 = core::MAGIC_LEN as u32;
