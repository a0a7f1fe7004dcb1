//! Which directories may never be a recovery root unless the config says so explicitly: the
//! filesystem root, the operating system's own trees, and the shared parents of everyone's
//! data (`/var`, `/home`, the home directory itself). A root there would let a log line aim a
//! chmod or a delete at files that belong to the system or to other programs.

use std::path::{Component, Path, PathBuf};

/// Trees that belong to the operating system: refused as roots, and so is anything inside.
const SYSTEM_TREES: &[&str] = &[
    "/etc", "/usr", "/boot", "/proc", "/sys", "/dev", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
    "/System", "/Library", "/private/etc",
];

/// Inside a system tree but shared scratch space: what is below them may be a root.
const SCRATCH_IN_SYSTEM_TREES: &[&str] = &["/dev/shm"];

/// Shared parents: refused as roots themselves (everything of every program is below them),
/// while a directory inside them (`/var/cache/myapp`) is fine.
const SHARED_PARENTS: &[&str] = &[
    "/var", "/var/lib", "/var/cache", "/var/log", "/var/tmp", "/var/run", "/var/lock", "/var/spool", "/run", "/run/lock",
    "/tmp", "/dev/shm", "/home", "/root", "/opt", "/srv", "/mnt", "/media", "/snap", "/Users", "/private", "/private/var", "/private/tmp",
];

/// Why `path` (absolute) may not be a root, or None when it may. `home` is the user's home
/// directory, refused itself (not what is below it). Both the path as written and its real
/// path (symlinks resolved, when it exists) are checked: `/lib` may be a link to `/usr/lib`.
pub fn system_root_reason(path: &Path, home: Option<&Path>) -> Option<String> {
    let lexical = normalise(path);
    let mut forms = vec![lexical.clone()];
    if let Ok(real) = std::fs::canonicalize(&lexical) {
        if real != lexical {
            forms.push(real);
        }
    }
    let home = home.map(normalise).filter(|h| h.parent().is_some());
    for p in &forms {
        if p.parent().is_none() || is_windows_drive_root(p) {
            return Some("it is the filesystem root".to_string());
        }
        let scratch = SCRATCH_IN_SYSTEM_TREES.iter().any(|s| p.starts_with(s) && p != Path::new(s));
        for tree in SYSTEM_TREES {
            if p.starts_with(tree) && !scratch {
                return Some(format!("{tree} belongs to the operating system"));
            }
        }
        for parent in SHARED_PARENTS {
            if p == Path::new(parent) {
                return Some(format!("{parent} holds the files of every program, not just this one"));
            }
        }
        if let Some(h) = &home {
            if p == h {
                return Some("it is the home directory itself".to_string());
            }
        }
    }
    None
}

/// `.` and `..` folded lexically; the path is absolute.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn is_windows_drive_root(p: &Path) -> bool {
    let s = p.to_string_lossy();
    let b = s.as_bytes();
    (b.len() == 2 || b.len() == 3) && b[0].is_ascii_alphabetic() && b[1] == b':' && (b.len() == 2 || b[2] == b'\\' || b[2] == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(p: &str) -> Option<String> {
        system_root_reason(Path::new(p), Some(Path::new("/home/ann")))
    }

    #[test]
    fn system_trees_and_shared_parents_are_refused() {
        for p in ["/", "/etc", "/etc/ssl", "/usr/lib", "/proc/1", "/dev", "/var", "/home", "/home/ann", "/tmp", "/root", "/var/../etc", "/lib64", "/dev/shm"] {
            assert!(reason(p).is_some(), "{p} should be refused");
        }
    }

    #[test]
    fn application_directories_are_allowed() {
        for p in ["/var/cache/myapp", "/home/ann/models", "/srv/app/data", "/opt/app/cache", "/tmp/job-1", "/dev/shm/job-1"] {
            assert_eq!(reason(p), None, "{p} should be allowed");
        }
    }
}
