//! The Unix implementation: `openat` one component at a time with `O_NOFOLLOW | O_DIRECTORY`
//! from the root's handle, checks made with `fstat`/`fstatat` on what was opened, and the
//! change made on the handle (`fchmod`, or `/proc/self/fd` for an `O_PATH` handle on Linux)
//! or relative to the parent's handle (`unlinkat`, `renameat`, `linkat`).

// `stat` field types differ between platforms (st_nlink is u16 on macOS, u64 on Linux): a cast
// that is a no-op on one is needed on another.
#![allow(clippy::unnecessary_cast)]

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use rustix::fs::{self as rfs, AtFlags, FileType, FlockOperation, Mode, OFlags, Stat, CWD};
use rustix::io::Errno;

use crate::{Code, Content, Error, FileEntry, Identity, LockVerdict, ModeReport, Owner, ReplaceReport, Result};

const MAX_DEPTH: u32 = 64;

fn io_error(what: &str, e: Errno) -> Error {
    let code = match e {
        Errno::NOENT => Code::NotFound,
        Errno::LOOP | Errno::NOTDIR => Code::Symlink,
        _ => Code::Io,
    };
    let text = match e {
        Errno::LOOP | Errno::NOTDIR => "is a symlink or not a directory".to_string(),
        _ => std::io::Error::from(e).to_string(),
    };
    Error::new(code, format!("{what}: {text}"))
}

fn identity(st: &Stat) -> Identity {
    Identity { dev: st.st_dev as u64, ino: st.st_ino as u64 }
}

fn file_type(st: &Stat) -> FileType {
    FileType::from_raw_mode(st.st_mode as _)
}

fn mode_bits(st: &Stat) -> u32 {
    st.st_mode as u32 & 0o7777
}

fn mtime_ms(st: &Stat) -> f64 {
    st.st_mtime as f64 * 1000.0 + st.st_mtime_nsec as f64 / 1e6
}

/// The components of a path relative to a root; `..`, absolute paths and NUL are refused.
fn components(rel: &str) -> Result<Vec<&str>> {
    if rel.starts_with('/') || rel.contains('\0') {
        return Err(Error::new(Code::BadPath, format!("{rel:?} is not a path relative to the root")));
    }
    let parts: Vec<&str> = rel.split('/').filter(|c| !c.is_empty() && *c != ".").collect();
    if parts.contains(&"..") {
        return Err(Error::new(Code::BadPath, format!("{rel:?} climbs out of the root with '..'")));
    }
    Ok(parts)
}

/// The root itself is opened by its configured path (the administrator chose it, symlinks in
/// it included); everything below it is reached through handles.
fn open_root(root: &Path) -> Result<OwnedFd> {
    rfs::openat(CWD, root, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())
        .map_err(|e| io_error(&root.display().to_string(), e))
}

fn open_subdir(dir: BorrowedFd<'_>, name: &str) -> std::result::Result<OwnedFd, Errno> {
    rfs::openat(dir, name, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC, Mode::empty())
}

/// The directory `parts` names below `root_fd`, never following a symlink on the way.
fn open_dir_below(root_fd: OwnedFd, parts: &[&str]) -> Result<OwnedFd> {
    let mut cur = root_fd;
    for (i, part) in parts.iter().enumerate() {
        cur = open_subdir(cur.as_fd(), part).map_err(|e| io_error(&parts[..=i].join("/"), e))?;
    }
    Ok(cur)
}

/// The handle of the directory holding `rel`, and `rel`'s last component.
fn parent_and_name<'a>(root: &Path, rel: &'a str) -> Result<(OwnedFd, &'a str)> {
    let parts = components(rel)?;
    let Some((name, dirs)) = parts.split_last() else {
        return Err(Error::new(Code::BadPath, "the path names the root itself, not a file below it"));
    };
    Ok((open_dir_below(open_root(root)?, dirs)?, name))
}

fn stat_entry(dir: BorrowedFd<'_>, name: &str, rel: &str) -> Result<Stat> {
    rfs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW).map_err(|e| io_error(rel, e))
}

/// A regular file with one link, or the refusal saying why not.
fn require_lone_regular(st: &Stat, rel: &str) -> Result<()> {
    match file_type(st) {
        FileType::RegularFile => {}
        FileType::Symlink => return Err(Error::new(Code::Symlink, format!("{rel} is a symlink; refusing to act through it"))),
        _ => return Err(Error::new(Code::NotRegular, format!("{rel} is not a regular file"))),
    }
    if st.st_nlink as u64 > 1 {
        return Err(Error::new(
            Code::HardLinked,
            format!("{rel} has {} hard links; changing it would change the same file under another path, refusing", st.st_nlink),
        ));
    }
    Ok(())
}

/// Regular files under `root`/`rel`, without entering symlinked directories.
pub fn list_files(root: &Path, rel: &str, max_depth: u32, max_entries: u64) -> Result<Vec<FileEntry>> {
    let parts = components(rel)?;
    let dir = open_dir_below(open_root(root)?, &parts)?;
    let mut out = Vec::new();
    let mut seen = 0u64;
    walk_files(dir, &parts.join("/"), 0, max_depth.min(MAX_DEPTH), max_entries, &mut seen, &mut out);
    Ok(out)
}

fn walk_files(dir: OwnedFd, prefix: &str, depth: u32, max_depth: u32, max_entries: u64, seen: &mut u64, out: &mut Vec<FileEntry>) {
    let Ok(entries) = rfs::Dir::read_from(&dir) else { return };
    let mut names = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name != "." && name != ".." {
            names.push(name);
        }
    }
    for name in names {
        *seen += 1;
        if *seen > max_entries {
            return;
        }
        let rel = if prefix.is_empty() { name.clone() } else { format!("{prefix}/{name}") };
        let Ok(st) = rfs::statat(&dir, name.as_str(), AtFlags::SYMLINK_NOFOLLOW) else { continue };
        match file_type(&st) {
            FileType::RegularFile => out.push(FileEntry { rel, size: st.st_size as u64, mtime_ms: mtime_ms(&st), identity: identity(&st), nlink: st.st_nlink as u64 }),
            FileType::Directory if depth < max_depth => {
                if let Ok(sub) = open_subdir(dir.as_fd(), &name) {
                    walk_files(sub, &rel, depth + 1, max_depth, max_entries, seen, out);
                }
            }
            _ => {}
        }
    }
}

/// Remove the regular file `rel` (one link only; the inode planned when `expect` is given).
/// Returns its size.
pub fn unlink_file(root: &Path, rel: &str, expect: Option<Identity>) -> Result<u64> {
    let (dir, name) = parent_and_name(root, rel)?;
    let st = stat_entry(dir.as_fd(), name, rel)?;
    require_lone_regular(&st, rel)?;
    if let Some(want) = expect {
        if identity(&st) != want {
            return Err(Error::new(Code::Changed, format!("{rel} is another file than the one planned")));
        }
    }
    rfs::unlinkat(&dir, name, AtFlags::empty()).map_err(|e| io_error(rel, e))?;
    Ok(st.st_size as u64)
}

/// A handle on the entry itself, not following a symlink. On Linux `O_PATH` needs no read
/// permission (a mode-000 file is exactly what fix_permissions repairs) and opens no device.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn open_node(dir: BorrowedFd<'_>, name: &str) -> std::result::Result<OwnedFd, Errno> {
    rfs::openat(dir, name, OFlags::PATH | OFlags::NOFOLLOW | OFlags::CLOEXEC, Mode::empty())
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn open_node(dir: BorrowedFd<'_>, name: &str) -> std::result::Result<OwnedFd, Errno> {
    rfs::openat(dir, name, OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC, Mode::empty())
}

/// chmod of exactly the inode `fd` refers to.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn chmod_fd(fd: BorrowedFd<'_>, mode: u32) -> std::result::Result<(), Errno> {
    // fchmod does not take an O_PATH handle; the /proc/self/fd link resolves to that inode.
    rfs::chmod(format!("/proc/self/fd/{}", fd.as_raw_fd()).as_str(), Mode::from_raw_mode(mode as _))
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn chmod_fd(fd: BorrowedFd<'_>, mode: u32) -> std::result::Result<(), Errno> {
    rfs::fchmod(fd, Mode::from_raw_mode(mode as _))
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn chown_fd(fd: BorrowedFd<'_>, owner: Owner) -> std::result::Result<(), Errno> {
    rfs::chown(
        format!("/proc/self/fd/{}", fd.as_raw_fd()).as_str(),
        Some(rfs::Uid::from_raw(owner.uid)),
        Some(rfs::Gid::from_raw(owner.gid)),
    )
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn chown_fd(fd: BorrowedFd<'_>, owner: Owner) -> std::result::Result<(), Errno> {
    rfs::fchown(fd, Some(rfs::Uid::from_raw(owner.uid)), Some(rfs::Gid::from_raw(owner.gid)))
}

struct ModeJob {
    file_mode: Option<u32>,
    dir_mode: Option<u32>,
    owner: Option<Owner>,
}

/// Give `rel` (the root itself when empty) the configured mode and owner; with `recursive`,
/// everything below it too. Symlinks and hard-linked files are never changed: the target
/// itself being one is an error, one below it is listed in `refused`.
pub fn set_mode(root: &Path, rel: &str, file_mode: Option<u32>, dir_mode: Option<u32>, owner: Option<Owner>, recursive: bool) -> Result<ModeReport> {
    let parts = components(rel)?;
    let node = match parts.split_last() {
        None => open_node(open_root(root)?.as_fd(), ".").map_err(|e| io_error(&root.display().to_string(), e))?,
        Some((name, dirs)) => {
            let dir = open_dir_below(open_root(root)?, dirs)?;
            open_node(dir.as_fd(), name).map_err(|e| io_error(rel, e))?
        }
    };
    let st = rfs::fstat(&node).map_err(|e| io_error(rel, e))?;
    let is_dir = file_type(&st) == FileType::Directory;
    if !is_dir {
        require_lone_regular(&st, rel)?;
    }
    let job = ModeJob { file_mode, dir_mode, owner };
    let mut report = ModeReport { mode_before: mode_bits(&st), is_dir, ..Default::default() };
    apply_mode(&node, &st, &job, &mut report).map_err(|e| io_error(rel, e))?;
    if is_dir && recursive {
        let dir = rfs::openat(&node, ".", OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty()).map_err(|e| io_error(rel, e))?;
        mode_below(dir, rel, 0, &job, &mut report);
    }
    report.mode_after = mode_bits(&rfs::fstat(&node).map_err(|e| io_error(rel, e))?);
    Ok(report)
}

fn apply_mode(fd: &OwnedFd, st: &Stat, job: &ModeJob, report: &mut ModeReport) -> std::result::Result<(), Errno> {
    let want = if file_type(st) == FileType::Directory { job.dir_mode } else { job.file_mode };
    let mut changed = false;
    if let Some(mode) = want {
        if mode_bits(st) != mode {
            chmod_fd(fd.as_fd(), mode)?;
            changed = true;
        }
    }
    if let Some(owner) = job.owner {
        if st.st_uid as u32 != owner.uid || st.st_gid as u32 != owner.gid {
            chown_fd(fd.as_fd(), owner)?;
            changed = true;
        }
    }
    report.changed += changed as u32;
    Ok(())
}

fn mode_below(dir: OwnedFd, prefix: &str, depth: u32, job: &ModeJob, report: &mut ModeReport) {
    if depth >= MAX_DEPTH {
        report.refused.push((prefix.to_string(), format!("deeper than {MAX_DEPTH} levels")));
        return;
    }
    let Ok(entries) = rfs::Dir::read_from(&dir) else { return };
    let names: Vec<String> = entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n != "." && n != "..").collect();
    for name in names {
        let rel = if prefix.is_empty() { name.clone() } else { format!("{prefix}/{name}") };
        let node = match open_node(dir.as_fd(), &name) {
            Ok(fd) => fd,
            Err(Errno::LOOP) => {
                report.refused.push((rel, "a symlink, left alone".to_string()));
                continue;
            }
            Err(e) => {
                report.refused.push((rel, std::io::Error::from(e).to_string()));
                continue;
            }
        };
        let Ok(st) = rfs::fstat(&node) else { continue };
        match file_type(&st) {
            FileType::Symlink => report.refused.push((rel, "a symlink, left alone".to_string())),
            FileType::RegularFile if st.st_nlink as u64 > 1 => report.refused.push((rel, format!("{} hard links, left alone", st.st_nlink))),
            FileType::RegularFile => {
                if let Err(e) = apply_mode(&node, &st, job, report) {
                    report.refused.push((rel, std::io::Error::from(e).to_string()));
                }
            }
            FileType::Directory => {
                if let Err(e) = apply_mode(&node, &st, job, report) {
                    report.refused.push((rel.clone(), std::io::Error::from(e).to_string()));
                    continue;
                }
                if let Ok(sub) = rfs::openat(&node, ".", OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty()) {
                    mode_below(sub, &rel, depth + 1, job, report);
                }
            }
            _ => report.refused.push((rel, "not a regular file or directory, left alone".to_string())),
        }
    }
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Open a regular file for reading through handles (a backup under its own root).
fn open_source(root: &Path, rel: &str) -> Result<File> {
    let (dir, name) = parent_and_name(root, rel)?;
    let fd = rfs::openat(&dir, name, OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC, Mode::empty()).map_err(|e| io_error(rel, e))?;
    let st = rfs::fstat(&fd).map_err(|e| io_error(rel, e))?;
    if file_type(&st) != FileType::RegularFile {
        return Err(Error::new(Code::NotRegular, format!("{rel} is not a regular file")));
    }
    Ok(File::from(fd))
}

/// Replace `rel` with `content`: a temp file beside it (created exclusively, never through a
/// link), fsynced, renamed over the name, the directory fsynced. What was there is kept first
/// as `keep_as` (a name in the same directory; `-1`, `-2`… when taken): a hard link when the
/// filesystem allows, else a copy. The file replaced must be a regular file with one link;
/// its mode is kept. The result is read back and compared byte for byte.
pub fn replace_file(root: &Path, rel: &str, content: Content<'_>, keep_as: Option<&str>) -> Result<ReplaceReport> {
    if let Some(k) = keep_as {
        if k.is_empty() || k.contains('/') || k == "." || k == ".." {
            return Err(Error::new(Code::BadPath, format!("{k:?} is not a file name")));
        }
    }
    let mut source = match content {
        Content::Bytes(_) => None,
        Content::File { root, rel } => Some(open_source(root, rel)?),
    };
    let (dir, name) = parent_and_name(root, rel)?;
    let existing = match rfs::statat(&dir, name, AtFlags::SYMLINK_NOFOLLOW) {
        Ok(st) => {
            require_lone_regular(&st, rel)?;
            Some(st)
        }
        Err(Errno::NOENT) => None,
        Err(e) => return Err(io_error(rel, e)),
    };
    let mode = existing.as_ref().map(mode_bits).unwrap_or(0o644);
    let kept = match (existing.is_some(), keep_as) {
        (true, Some(k)) => Some(keep_copy(dir.as_fd(), name, k, mode, rel)?),
        _ => None,
    };
    let tmp = format!(".{name}.logmedic-tmp-{}-{}", std::process::id(), TEMP_COUNTER.fetch_add(1, Ordering::Relaxed));
    let written = write_temp(dir.as_fd(), &tmp, mode, existing.as_ref(), &content, source.as_mut());
    let size = match written {
        Ok(n) => n,
        Err(e) => {
            let _ = rfs::unlinkat(&dir, tmp.as_str(), AtFlags::empty());
            return Err(e);
        }
    };
    if let Err(e) = rfs::renameat(&dir, tmp.as_str(), &dir, name) {
        let _ = rfs::unlinkat(&dir, tmp.as_str(), AtFlags::empty());
        return Err(io_error(rel, e));
    }
    let _ = rfs::fsync(&dir);
    let verified = reads_back_equal(dir.as_fd(), name, &content, source.as_mut());
    let prefix = rel.rsplit_once('/').map(|(p, _)| format!("{p}/")).unwrap_or_default();
    Ok(ReplaceReport { kept: kept.map(|k| format!("{prefix}{k}")), size, verified })
}

fn write_temp(dir: BorrowedFd<'_>, tmp: &str, mode: u32, existing: Option<&Stat>, content: &Content<'_>, source: Option<&mut File>) -> Result<u64> {
    let fd = rfs::openat(dir, tmp, OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC, Mode::from_raw_mode(0o600))
        .map_err(|e| io_error(tmp, e))?;
    let mut file = File::from(fd);
    let io = |e: std::io::Error| Error::new(Code::Io, format!("writing {tmp}: {e}"));
    let size = match (content, source) {
        (Content::Bytes(b), _) => {
            file.write_all(b).map_err(io)?;
            b.len() as u64
        }
        (Content::File { .. }, Some(src)) => {
            src.seek(SeekFrom::Start(0)).map_err(io)?;
            std::io::copy(src, &mut file).map_err(io)?
        }
        (Content::File { .. }, None) => return Err(Error::new(Code::Io, "no source opened")),
    };
    if let Some(st) = existing {
        // Keep the owner when allowed (as root); otherwise the new file is ours, as any rewrite.
        let _ = rfs::fchown(&file, Some(rfs::Uid::from_raw(st.st_uid as u32)), Some(rfs::Gid::from_raw(st.st_gid as u32)));
    }
    rfs::fchmod(&file, Mode::from_raw_mode(mode as _)).map_err(|e| io_error(tmp, e))?;
    file.sync_all().map_err(io)?;
    Ok(size)
}

/// Keep what sits under `name` as `keep_as` (or `keep_as-N`), in the same directory.
fn keep_copy(dir: BorrowedFd<'_>, name: &str, keep_as: &str, mode: u32, rel: &str) -> Result<String> {
    for i in 0..10_000 {
        let candidate = if i == 0 { keep_as.to_string() } else { format!("{keep_as}-{i}") };
        match rfs::linkat(dir, name, dir, candidate.as_str(), AtFlags::empty()) {
            Ok(()) => {
                let _ = rfs::fsync(dir);
                return Ok(candidate);
            }
            Err(Errno::EXIST) => continue,
            Err(_) => {}
        }
        // No hard links here (some filesystems): copy, created exclusively.
        let dest = match rfs::openat(dir, candidate.as_str(), OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC, Mode::from_raw_mode(mode as _)) {
            Ok(fd) => fd,
            Err(Errno::EXIST) => continue,
            Err(e) => return Err(io_error(&candidate, e)),
        };
        let src = rfs::openat(dir, name, OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC, Mode::empty()).map_err(|e| io_error(rel, e))?;
        let (mut src, mut dest) = (File::from(src), File::from(dest));
        let io = |e: std::io::Error| Error::new(Code::Io, format!("keeping a copy of {rel}: {e}"));
        std::io::copy(&mut src, &mut dest).map_err(io)?;
        dest.sync_all().map_err(io)?;
        let _ = rfs::fsync(dir);
        return Ok(candidate);
    }
    Err(Error::new(Code::Io, format!("no free name for a copy of {rel}")))
}

fn reads_back_equal(dir: BorrowedFd<'_>, name: &str, content: &Content<'_>, source: Option<&mut File>) -> bool {
    let Ok(fd) = rfs::openat(dir, name, OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC, Mode::empty()) else { return false };
    let mut now = File::from(fd);
    match (content, source) {
        (Content::Bytes(b), _) => {
            let mut buf = Vec::with_capacity(b.len());
            now.read_to_end(&mut buf).is_ok() && buf == *b
        }
        (Content::File { .. }, Some(src)) => src.seek(SeekFrom::Start(0)).is_ok() && same_bytes(src, &mut now),
        _ => false,
    }
}

fn same_bytes(a: &mut File, b: &mut File) -> bool {
    let (mut x, mut y) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let Ok(n) = read_full(a, &mut x) else { return false };
        let Ok(m) = read_full(b, &mut y) else { return false };
        if n != m || x[..n] != y[..m] {
            return false;
        }
        if n == 0 {
            return true;
        }
    }
}

fn read_full(f: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match f.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

// ---- Locks ----

/// Open a lock file named `name` directly in `dir` (no subdirectories, no symlink).
fn open_lock(dir: &Path, name: &str) -> Result<(OwnedFd, OwnedFd, Stat)> {
    if name.is_empty() || name.contains('/') || name == "." || name == ".." {
        return Err(Error::new(Code::BadPath, format!("{name:?} is not a file name")));
    }
    let dirfd = open_root(dir)?;
    let fd = rfs::openat(&dirfd, name, OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC, Mode::empty())
        .map_err(|e| io_error(name, e))?;
    let st = rfs::fstat(&fd).map_err(|e| io_error(name, e))?;
    if file_type(&st) != FileType::RegularFile {
        return Err(Error::new(Code::NotRegular, format!("{name} is not a regular file")));
    }
    Ok((dirfd, fd, st))
}

/// Judge the lock file `dir/name`: stale only when no process holds a lock on it (flock,
/// POSIX or OFD) and the PID it names, if any, is not running as the process that wrote it.
pub fn lock_verdict(dir: &Path, name: &str) -> Result<LockVerdict> {
    let (_dirfd, fd, st) = open_lock(dir, name)?;
    Ok(judge(&fd, &st, false))
}

/// Remove `dir/name` if it is still the file planned (`expect`) and still stale, holding an
/// exclusive flock on it while checking and unlinking so that no flock holder can appear in
/// between. Returns the verdict; the file was removed exactly when `stale` is true.
pub fn remove_stale_lock(dir: &Path, name: &str, expect: Identity) -> Result<LockVerdict> {
    let (dirfd, fd, st) = open_lock(dir, name)?;
    if identity(&st) != expect {
        return Err(Error::new(Code::Changed, format!("{name} is another file than the one planned")));
    }
    if st.st_nlink as u64 > 1 {
        return Err(Error::new(Code::HardLinked, format!("{name} has {} hard links; refusing to remove it", st.st_nlink)));
    }
    let verdict = judge(&fd, &st, true);
    if verdict.stale {
        let now = rfs::statat(&dirfd, name, AtFlags::SYMLINK_NOFOLLOW).map_err(|e| io_error(name, e))?;
        if identity(&now) != expect {
            return Err(Error::new(Code::Changed, format!("{name} was replaced while it was checked")));
        }
        rfs::unlinkat(&dirfd, name, AtFlags::empty()).map_err(|e| io_error(name, e))?;
    }
    Ok(verdict)
}

fn judge(fd: &OwnedFd, st: &Stat, keep_flock: bool) -> LockVerdict {
    let id = identity(st);
    let verdict = |stale: bool, why: String, pid: Option<u32>| LockVerdict { identity: id, stale, why, pid };
    if let Some(how) = held_by(fd, st, keep_flock) {
        return verdict(false, how, None);
    }
    let mut text = Vec::new();
    let read = fd.try_clone().map(File::from).and_then(|f| f.take(4096).read_to_end(&mut text));
    if let Err(e) = read {
        // What it says is unknown: never stale on a guess.
        return verdict(false, format!("its content cannot be read ({e}); kept"), None);
    }
    let text = String::from_utf8_lossy(&text);
    let mut lines = text.lines().map(str::trim);
    let pid = lines.next().and_then(parse_pid).or_else(|| named_pid(&text));
    let written_start = lines.next().and_then(|l| l.parse::<u64>().ok());
    let Some(pid) = pid else {
        return verdict(true, "no process holds a lock on it and it names no PID (its first line is not a PID alone)".into(), None);
    };
    if !pid_running(pid) {
        return verdict(true, format!("no process holds a lock on it and PID {pid} is not running"), Some(pid));
    }
    match process_start(pid) {
        Some(start) => {
            if let Some(written) = written_start {
                return if written == start.ticks {
                    verdict(false, format!("PID {pid} is alive and is the process that wrote the lock (same start time)"), Some(pid))
                } else {
                    verdict(true, format!("PID {pid} now belongs to another process (start time {} ≠ {written} written in the lock)", start.ticks), Some(pid))
                };
            }
            let written_at = st.st_mtime as f64;
            if start.epoch_secs > written_at + 2.0 {
                verdict(true, format!("PID {pid} belongs to a process started after the lock was written (the PID was reused)"), Some(pid))
            } else {
                verdict(false, format!("PID {pid} is alive and was running when the lock was written"), Some(pid))
            }
        }
        None => verdict(false, format!("PID {pid} is alive (its start time cannot be read, so it is trusted)"), Some(pid)),
    }
}

/// A PID alone on a line: digits only, within the range of PIDs.
fn parse_pid(line: &str) -> Option<u32> {
    if line.is_empty() || line.len() > 10 || !line.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    line.parse::<u32>().ok().filter(|&p| p > 0 && p <= i32::MAX as u32)
}

/// A PID the content names as such: `"pid": 123` (JSON), `pid=123`, `PID: 123`. A number
/// anywhere else ("locked at 1700000000") is not a PID.
fn named_pid(text: &str) -> Option<u32> {
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut from = 0;
    while let Some(at) = lower[from..].find("pid") {
        let start = from + at;
        from = start + 3;
        if start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
            continue; // "rapid", "ppid"
        }
        let rest = lower[from..].trim_start_matches(['"', '\'']).trim_start();
        let Some(rest) = rest.strip_prefix([':', '=']) else { continue };
        let digits: String = rest.trim_start().chars().take_while(|c| c.is_ascii_digit()).collect();
        if let Some(pid) = parse_pid(&digits) {
            return Some(pid);
        }
    }
    None
}

/// How a lock on the file is held by some process, if one is. flock and POSIX/OFD locks are
/// probed on the handle (a conflict means another holder); /proc/locks lists any kind.
fn held_by(fd: &OwnedFd, st: &Stat, keep_flock: bool) -> Option<String> {
    if let Some(kind) = proc_locks_entry(st) {
        return Some(format!("a process holds a {kind} lock on it (/proc/locks)"));
    }
    match rfs::flock(fd, FlockOperation::NonBlockingLockExclusive) {
        Err(Errno::WOULDBLOCK) => return Some("a process holds a flock on it".into()),
        Ok(()) if !keep_flock => {
            let _ = rfs::flock(fd, FlockOperation::Unlock);
        }
        _ => {}
    }
    match rfs::fcntl_lock(fd, FlockOperation::NonBlockingLockShared) {
        Err(Errno::AGAIN) | Err(Errno::ACCESS) => Some("a process holds a POSIX (fcntl) lock on it".into()),
        Ok(()) => {
            let _ = rfs::fcntl_lock(fd, FlockOperation::Unlock);
            None
        }
        Err(_) => None,
    }
}

/// The kind (FLOCK, POSIX, OFDLCK…) of a held lock /proc/locks lists for this inode.
fn proc_locks_entry(st: &Stat) -> Option<String> {
    let text = std::fs::read_to_string("/proc/locks").ok()?;
    let dev = st.st_dev as u64;
    let want = format!("{:02x}:{:02x}:{}", rfs::major(dev as _), rfs::minor(dev as _), st.st_ino as u64);
    for line in text.lines() {
        // "1: FLOCK  ADVISORY  WRITE 1234 00:2d:5678 0 EOF"; "->" marks a waiter, not a holder.
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.get(1) == Some(&"->") {
            continue;
        }
        if fields.iter().any(|f| same_dev_ino(f, &want)) {
            return Some(fields.get(1).copied().unwrap_or("held").to_string());
        }
    }
    None
}

/// /proc/locks prints major and minor in hex, possibly wider than two digits.
fn same_dev_ino(field: &str, want: &str) -> bool {
    let parse = |s: &str| -> Option<(u64, u64, u64)> {
        let mut it = s.split(':');
        let (a, b, c) = (it.next()?, it.next()?, it.next()?);
        Some((u64::from_str_radix(a, 16).ok()?, u64::from_str_radix(b, 16).ok()?, c.parse().ok()?))
    };
    matches!((parse(field), parse(want)), (Some(x), Some(y)) if x == y)
}

/// The PID exists (signal 0 says so even for another user's process, where /proc may be
/// hidden) and is not a zombie.
fn pid_running(pid: u32) -> bool {
    let Some(p) = rustix::process::Pid::from_raw(pid as i32) else { return false };
    if matches!(rustix::process::test_kill_process(p), Err(Errno::SRCH)) {
        return false;
    }
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat_fields(&stat).and_then(|f| f.first().map(|s| *s != "Z" && *s != "X")).unwrap_or(true),
        Err(_) => true,
    }
}

/// The fields of /proc/PID/stat after the command name (which may contain spaces and ')').
fn stat_fields(stat: &str) -> Option<Vec<&str>> {
    let close = stat.rfind(')')?;
    Some(stat.get(close + 1..)?.split_whitespace().collect())
}

struct Start {
    /// Clock ticks after boot (field 22 of /proc/PID/stat).
    ticks: u64,
    epoch_secs: f64,
}

fn process_start(pid: u32) -> Option<Start> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Field 22 overall is the 20th after the command name (state is the 3rd overall).
    let ticks: u64 = stat_fields(&stat)?.get(19)?.parse().ok()?;
    let btime: u64 = std::fs::read_to_string("/proc/stat").ok()?.lines().find_map(|l| l.strip_prefix("btime ")?.trim().parse().ok())?;
    let hz = rustix::param::clock_ticks_per_second().max(1);
    Some(Start { ticks, epoch_secs: btime as f64 + ticks as f64 / hz as f64 })
}
