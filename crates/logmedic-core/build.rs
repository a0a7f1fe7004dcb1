//! Fingerprints the core's own source for the compiled catalog cache (`src/engine/cache.rs`):
//! what a cache entry holds (each pattern's required literals) is computed by this code,
//! so an entry written by another build of it — even one with the same version number —
//! must not be read. The fingerprint hashes every file under `src/` and the workspace's
//! `Cargo.lock` (the versions of regex-syntax and friends).

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    files(&root.join("src"), &mut paths);
    paths.sort();
    let lock = root.join("../../Cargo.lock");
    if lock.is_file() {
        paths.push(lock.clone());
        println!("cargo:rerun-if-changed={}", lock.display());
    }
    println!("cargo:rerun-if-changed=src");
    // FNV-1a, 64 bits, over each file's path (relative to the crate) and contents.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for path in &paths {
        feed(path.strip_prefix(&root).unwrap_or(path).to_string_lossy().as_bytes());
        feed(&std::fs::read(path).unwrap_or_default());
    }
    println!("cargo:rustc-env=LOGMEDIC_CORE_FINGERPRINT={h:016x}");
}
