//! Binding for `logmedic_fs`: contained file mutations for recovery. Conversion only; errors
//! cross as `[E_FS_…] message` (src/recovery/contained.ts reads the code).

use std::path::Path;

use logmedic_fs as cfs;
use napi::bindgen_prelude::*;
use napi_derive::napi;

fn fs_error(err: cfs::Error) -> napi::Error {
    napi::Error::new(Status::GenericFailure, err.to_string())
}

fn identity(key: &str) -> Result<cfs::Identity> {
    cfs::Identity::from_key(key).ok_or_else(|| fs_error(cfs::Error::new(cfs::Code::BadPath, format!("{key:?} is not a dev:ino identity"))))
}

/// A regular file found under a root.
#[napi(object)]
pub struct ContainedFile {
    /// Relative to the root, '/'-separated.
    pub rel: String,
    pub size: f64,
    pub mtime_ms: f64,
    /// "dev:ino" when listed; an unlink given it removes only that same file.
    pub identity: String,
    pub nlink: f64,
}

#[napi]
pub fn fs_list_files(root: String, rel: String, max_depth: u32, max_entries: f64) -> Result<Vec<ContainedFile>> {
    let files = cfs::list_files(Path::new(&root), &rel, max_depth, max_entries.max(0.0) as u64).map_err(fs_error)?;
    Ok(files
        .into_iter()
        .map(|f| ContainedFile { rel: f.rel, size: f.size as f64, mtime_ms: f.mtime_ms, identity: f.identity.to_key(), nlink: f.nlink as f64 })
        .collect())
}

/// Returns the size of the file removed.
#[napi]
pub fn fs_unlink_file(root: String, rel: String, expect_identity: Option<String>) -> Result<f64> {
    let expect = expect_identity.as_deref().map(identity).transpose()?;
    cfs::unlink_file(Path::new(&root), &rel, expect).map(|n| n as f64).map_err(fs_error)
}

#[napi(object)]
pub struct ModeOptions {
    pub file_mode: Option<u32>,
    pub dir_mode: Option<u32>,
    pub uid: Option<u32>,
    pub gid: Option<u32>,
    pub recursive: bool,
}

#[napi(object)]
pub struct RefusedEntry {
    pub rel: String,
    pub why: String,
}

#[napi(object)]
pub struct ModeResult {
    pub mode_before: u32,
    pub mode_after: u32,
    pub is_dir: bool,
    pub changed: u32,
    pub refused: Vec<RefusedEntry>,
}

#[napi]
pub fn fs_set_mode(root: String, rel: String, options: ModeOptions) -> Result<ModeResult> {
    let owner = match (options.uid, options.gid) {
        (Some(uid), Some(gid)) => Some(cfs::Owner { uid, gid }),
        _ => None,
    };
    let r = cfs::set_mode(Path::new(&root), &rel, options.file_mode, options.dir_mode, owner, options.recursive).map_err(fs_error)?;
    Ok(ModeResult {
        mode_before: r.mode_before,
        mode_after: r.mode_after,
        is_dir: r.is_dir,
        changed: r.changed,
        refused: r.refused.into_iter().map(|(rel, why)| RefusedEntry { rel, why }).collect(),
    })
}

#[napi(object)]
pub struct ReplaceResult {
    pub kept: Option<String>,
    pub size: f64,
    pub verified: bool,
}

fn replace_result(r: cfs::ReplaceReport) -> ReplaceResult {
    ReplaceResult { kept: r.kept, size: r.size as f64, verified: r.verified }
}

/// Replace `root/rel` with the file `sourceRoot/sourceRel`, keeping what was there as `keepAs`.
#[napi]
pub fn fs_replace_from_file(root: String, rel: String, source_root: String, source_rel: String, keep_as: Option<String>) -> Result<ReplaceResult> {
    let content = cfs::Content::File { root: Path::new(&source_root), rel: &source_rel };
    cfs::replace_file(Path::new(&root), &rel, content, keep_as.as_deref()).map(replace_result).map_err(fs_error)
}

/// Replace `root/rel` with `data`, keeping what was there as `keepAs`.
#[napi]
pub fn fs_replace_with_bytes(root: String, rel: String, data: Buffer, keep_as: Option<String>) -> Result<ReplaceResult> {
    cfs::replace_file(Path::new(&root), &rel, cfs::Content::Bytes(&data), keep_as.as_deref()).map(replace_result).map_err(fs_error)
}

/// A lock file and whether it may be removed.
#[napi(object)]
pub struct LockVerdict {
    /// "dev:ino" of the file judged: a removal acts only on that same file.
    pub identity: String,
    pub stale: bool,
    /// Why it is stale or not, in one line.
    pub why: String,
    /// The PID the file names, when its content is a PID (a first line of digits only);
    /// absent otherwise.
    pub pid: Option<u32>,
}

fn lock_verdict(v: cfs::LockVerdict) -> LockVerdict {
    LockVerdict { identity: v.identity.to_key(), stale: v.stale, why: v.why, pid: v.pid }
}

#[napi]
pub fn fs_lock_verdict(dir: String, name: String) -> Result<LockVerdict> {
    cfs::lock_verdict(Path::new(&dir), &name).map(lock_verdict).map_err(fs_error)
}

/// Removes the lock exactly when the verdict returned says `stale`.
#[napi]
pub fn fs_remove_stale_lock(dir: String, name: String, expect_identity: String) -> Result<LockVerdict> {
    cfs::remove_stale_lock(Path::new(&dir), &name, identity(&expect_identity)?).map(lock_verdict).map_err(fs_error)
}

/// Why `path` may not be a recovery root (a system directory), or null.
#[napi]
pub fn fs_system_root_reason(path: String, home: Option<String>) -> Option<String> {
    cfs::system_root_reason(Path::new(&path), home.as_deref().map(Path::new))
}
