//! The loghub-2k benchmark logs next to the repository (`shared/data/loghub-2k`), and the
//! structured CSV that comes with each: what the tests that measure against loghub share.

use std::path::{Path, PathBuf};

/// The loghub-2k directory, when it is there (the tests skip without it).
pub fn loghub() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/loghub-2k");
    dir.is_dir().then_some(dir)
}

/// The fields of one CSV line (RFC 4180 quoting; no field here spans lines).
pub fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            _ => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}
