//! Contained operations against real files: symlinks on the way, hard links, swaps racing the
//! operation (a thread exchanging a directory and a symlink with renameat2), held locks.
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use logmedic_fs::{list_files, lock_verdict, remove_stale_lock, replace_file, set_mode, unlink_file, Code, Content};

fn mode(p: &Path) -> u32 {
    fs::symlink_metadata(p).unwrap().permissions().mode() & 0o7777
}

#[test]
fn a_symlink_on_the_way_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let (root, outside) = (t.path().join("root"), t.path().join("outside"));
    fs::create_dir_all(&root).unwrap();
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("secret"), "s").unwrap();
    symlink(&outside, root.join("sub")).unwrap();
    assert_eq!(unlink_file(&root, "sub/secret", None).unwrap_err().code, Code::Symlink);
    assert_eq!(set_mode(&root, "sub/secret", Some(0o600), None, None, false).unwrap_err().code, Code::Symlink);
    assert_eq!(replace_file(&root, "sub/secret", Content::Bytes(b"x"), None).unwrap_err().code, Code::Symlink);
    assert_eq!(unlink_file(&root, "../outside/secret", None).unwrap_err().code, Code::BadPath);
    assert_eq!(fs::read_to_string(outside.join("secret")).unwrap(), "s");
    assert!(list_files(&root, "", 8, 1000).unwrap().is_empty(), "a symlinked directory is not entered");
}

#[test]
fn a_hard_linked_file_is_refused_for_every_change() {
    let t = tempfile::tempdir().unwrap();
    let (root, outside) = (t.path().join("root"), t.path().join("outside"));
    fs::create_dir_all(&root).unwrap();
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("secret"), "s").unwrap();
    fs::set_permissions(outside.join("secret"), fs::Permissions::from_mode(0o600)).unwrap();
    fs::hard_link(outside.join("secret"), root.join("hl")).unwrap();
    assert_eq!(set_mode(&root, "hl", Some(0o644), None, None, false).unwrap_err().code, Code::HardLinked);
    assert_eq!(unlink_file(&root, "hl", None).unwrap_err().code, Code::HardLinked);
    assert_eq!(replace_file(&root, "hl", Content::Bytes(b"x"), None).unwrap_err().code, Code::HardLinked);
    // Below a directory changed recursively, it is left alone and listed.
    let r = set_mode(&root, "", Some(0o644), Some(0o755), None, true).unwrap();
    assert!(r.refused.iter().any(|(rel, why)| rel == "hl" && why.contains("hard links")), "{:?}", r.refused);
    assert_eq!(mode(&outside.join("secret")), 0o600);
    assert_eq!(fs::read_to_string(outside.join("secret")).unwrap(), "s");
}

#[test]
fn set_mode_changes_an_unreadable_file_and_a_tree() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    fs::create_dir_all(root.join("d/e")).unwrap();
    fs::write(root.join("d/e/f"), "x").unwrap();
    fs::set_permissions(root.join("d/e/f"), fs::Permissions::from_mode(0o000)).unwrap();
    let r = set_mode(root, "d/e/f", Some(0o640), None, None, false).unwrap();
    assert_eq!((r.mode_before, r.mode_after, r.changed), (0o000, 0o640, 1));
    let r = set_mode(root, "d", Some(0o600), Some(0o750), None, true).unwrap();
    assert_eq!(r.changed, 3);
    assert_eq!((mode(&root.join("d")), mode(&root.join("d/e")), mode(&root.join("d/e/f"))), (0o750, 0o750, 0o600));
}

#[test]
fn replace_keeps_the_old_file_and_verifies() {
    let t = tempfile::tempdir().unwrap();
    let (root, backups) = (t.path().join("models"), t.path().join("backups"));
    fs::create_dir_all(root.join("sub")).unwrap();
    fs::create_dir_all(&backups).unwrap();
    fs::write(root.join("sub/m.bin"), "corrupt").unwrap();
    fs::set_permissions(root.join("sub/m.bin"), fs::Permissions::from_mode(0o640)).unwrap();
    fs::write(backups.join("m.bin"), "good bytes").unwrap();
    let r = replace_file(&root, "sub/m.bin", Content::File { root: &backups, rel: "m.bin" }, Some("m.bin.corrupt-1")).unwrap();
    assert!(r.verified);
    assert_eq!(r.kept.as_deref(), Some("sub/m.bin.corrupt-1"));
    assert_eq!(fs::read_to_string(root.join("sub/m.bin")).unwrap(), "good bytes");
    assert_eq!(fs::read_to_string(root.join("sub/m.bin.corrupt-1")).unwrap(), "corrupt");
    assert_eq!(mode(&root.join("sub/m.bin")), 0o640);
    // A second keep under the same name does not overwrite the first.
    let r = replace_file(&root, "sub/m.bin", Content::Bytes(b"third"), Some("m.bin.corrupt-1")).unwrap();
    assert_eq!(r.kept.as_deref(), Some("sub/m.bin.corrupt-1-1"));
    assert_eq!(fs::read_to_string(root.join("sub/m.bin.corrupt-1")).unwrap(), "corrupt");
    // No temp file is left behind.
    assert_eq!(fs::read_dir(root.join("sub")).unwrap().count(), 3);
}

/// Exchange `a` (a directory) and `b` (a symlink to outside) as fast as possible until stopped.
fn swapper(parent: &Path, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<u64> {
    let parent = parent.to_path_buf();
    std::thread::spawn(move || {
        let dir = fs::File::open(&parent).unwrap();
        let mut n = 0;
        while !stop.load(Ordering::Relaxed) {
            rustix::fs::renameat_with(&dir, "a", &dir, "b", rustix::fs::RenameFlags::EXCHANGE).unwrap();
            n += 1;
        }
        n
    })
}

/// Create `name` in whichever of a/ or b/ is the real directory now, never through the symlink.
fn put_inside(root: &Path, name: &str) {
    use rustix::fs::{openat, Mode, OFlags, CWD};
    let Ok(rootfd) = openat(CWD, root, OFlags::RDONLY | OFlags::DIRECTORY, Mode::empty()) else { return };
    for sub in ["a", "b"] {
        if let Ok(dir) = openat(&rootfd, sub, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW, Mode::empty()) {
            let _ = openat(&dir, name, OFlags::WRONLY | OFlags::CREATE | OFlags::NOFOLLOW, Mode::from_raw_mode(0o600));
            return;
        }
    }
}

#[cfg(target_os = "linux")]
#[test]
fn swaps_racing_unlink_and_chmod_never_reach_outside() {
    let t = tempfile::tempdir().unwrap();
    let (root, outside) = (t.path().join("root"), t.path().join("outside"));
    fs::create_dir_all(root.join("a")).unwrap();
    fs::create_dir_all(&outside).unwrap();
    symlink(&outside, root.join("b")).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let swaps = swapper(&root, stop.clone());
    for i in 0..3000 {
        let name = format!("f{i}");
        fs::write(outside.join(&name), "outside").unwrap();
        fs::set_permissions(outside.join(&name), fs::Permissions::from_mode(0o600)).unwrap();
        put_inside(&root, &name);
        for rel in [format!("a/{name}"), format!("b/{name}")] {
            let _ = set_mode(&root, &rel, Some(0o644), None, None, false);
            let _ = unlink_file(&root, &rel, None);
        }
        assert_eq!(fs::read_to_string(outside.join(&name)).ok().as_deref(), Some("outside"), "iteration {i}: an outside file was removed or changed");
        assert_eq!(mode(&outside.join(&name)), 0o600, "iteration {i}: an outside file was chmodded");
    }
    stop.store(true, Ordering::Relaxed);
    assert!(swaps.join().unwrap() > 100, "the swapper must really have raced");
}

#[test]
fn a_held_flock_keeps_the_lock_whatever_it_contains() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    fs::write(dir.join("app.lock"), "locked at 1700000000\n").unwrap();
    let holder = fs::File::open(dir.join("app.lock")).unwrap();
    rustix::fs::flock(&holder, rustix::fs::FlockOperation::LockExclusive).unwrap();
    // A flock held through another open file description conflicts even within one process.
    let v = lock_verdict(dir, "app.lock").unwrap();
    assert!(!v.stale, "{}", v.why);
    assert_eq!(v.pid, None);
    let v = remove_stale_lock(dir, "app.lock", v.identity).unwrap();
    assert!(!v.stale);
    assert!(dir.join("app.lock").exists());
    drop(holder);
    let v = lock_verdict(dir, "app.lock").unwrap();
    assert!(v.stale, "{}", v.why);
    assert_eq!(v.pid, None, "\"locked at 1700000000\" names no PID");
    remove_stale_lock(dir, "app.lock", v.identity).unwrap();
    assert!(!dir.join("app.lock").exists());
}

#[cfg(target_os = "linux")]
#[test]
fn a_pid_is_trusted_only_with_its_start_time() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let me = std::process::id();
    fs::write(dir.join("mine.pid"), format!("{me}\n")).unwrap();
    assert!(!lock_verdict(dir, "mine.pid").unwrap().stale, "a live PID that predates the file is trusted");
    // The file claims a start time this process does not have: the PID was reused.
    fs::write(dir.join("reused.pid"), format!("{me}\n1\n")).unwrap();
    let v = lock_verdict(dir, "reused.pid").unwrap();
    assert!(v.stale, "{}", v.why);
    // A lock written long before this process started names a reused PID.
    fs::write(dir.join("old.pid"), format!("{me}\n")).unwrap();
    let old = fs::File::options().write(true).open(dir.join("old.pid")).unwrap();
    old.set_modified(std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000)).unwrap();
    assert!(lock_verdict(dir, "old.pid").unwrap().stale);
    // A PID named in JSON counts the same way; a number that is not named a PID does not.
    fs::write(dir.join("json.lock"), format!("{{\"pid\": {me}, \"host\": \"n1\"}}")).unwrap();
    assert_eq!(lock_verdict(dir, "json.lock").unwrap().pid, Some(me));
    fs::write(dir.join("text.lock"), format!("locked at {me}\n")).unwrap();
    assert_eq!(lock_verdict(dir, "text.lock").unwrap().pid, None);
}
