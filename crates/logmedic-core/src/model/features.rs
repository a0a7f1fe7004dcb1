//! What the type model sees of a message: hashed word, word-pair and character n-gram
//! features, with numbers and hex ids folded, so `errno 28` and `errno 5` share a shape
//! and the model learns wording, not values. Optional feature sets ([`FeatureSet`]) add the
//! words inside compound names (`OutOfMemoryError`, `MEMORY_LIMIT_EXCEEDED`) and the shapes
//! of tokens that name failures, which carry a type to wording the model never saw whole.

/// Bytes of a message read at most; a failure says what it is near its start.
const MAX_BYTES: usize = 4096;

/// Which features a model uses, stored in the model file as one byte of flags. The empty set
/// is words, word pairs and character 3- and 4-grams of long alphabetic words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FeatureSet(pub u8);

impl FeatureSet {
    /// Character 5-grams as well as 3- and 4-grams.
    pub const CHAR5: u8 = 1;
    /// The parts of CamelCase and snake_case names as words of their own, with their
    /// character n-grams: `ExceededMemoryLimitException` also reads "exceeded memory limit".
    pub const SUBWORDS: u8 = 2;
    /// Token shapes: an exception or error class name, an errno name (`ENOSPC`), a hex code
    /// (`0x8007000E`), a status word after a colon (`error:`, `fatal:`).
    pub const SHAPES: u8 = 4;
    pub const ALL: u8 = Self::CHAR5 | Self::SUBWORDS | Self::SHAPES;

    pub fn has(self, flag: u8) -> bool {
        self.0 & flag != 0
    }
}

/// The feature indices of `text` in a space of `dims` buckets (a power of two), sorted and
/// without repeats: the model weighs each present feature once.
pub fn features(text: &str, dims: u32, set: FeatureSet) -> Vec<u32> {
    let mask = dims - 1;
    let mut out = Vec::with_capacity(64);
    let mut prev: Option<u64> = None;
    let bytes = &text.as_bytes()[..text.len().min(MAX_BYTES)];
    let grams: &[usize] = if set.has(FeatureSet::CHAR5) { &[3, 4, 5] } else { &[3, 4] };
    for (raw, next) in raw_tokens(bytes) {
        let token = fold(raw);
        let word = hash(b'w', &[&token]);
        out.push((word as u32) & mask);
        if let Some(p) = prev {
            out.push((mix(p, word) as u32) & mask);
        }
        prev = Some(word);
        char_grams(&token, grams, mask, &mut out);
        if set.has(FeatureSet::SUBWORDS) {
            let parts = subwords(raw);
            if parts.len() > 1 {
                for part in parts {
                    let part = part.to_ascii_lowercase();
                    out.push((hash(b'w', &[&part]) as u32) & mask);
                    char_grams(&part, grams, mask, &mut out);
                }
            }
        }
        if set.has(FeatureSet::SHAPES) {
            if let Some(shape) = shape(raw, next) {
                out.push((hash(b's', &[shape.as_bytes()]) as u32) & mask);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Character n-grams of a word of 4 or more letters, framed by `^` and `$`.
fn char_grams(token: &[u8], grams: &[usize], mask: u32, out: &mut Vec<u32>) {
    if token.len() < 4 || !token.iter().all(|b| b.is_ascii_alphabetic()) {
        return;
    }
    let mut framed = Vec::with_capacity(token.len() + 2);
    framed.push(b'^');
    framed.extend_from_slice(token);
    framed.push(b'$');
    for &n in grams {
        for gram in framed.windows(n) {
            out.push((hash(b'c', &[gram]) as u32) & mask);
        }
    }
}

/// Alphanumeric runs (`_` kept inside words) as written, each with the byte that follows it.
fn raw_tokens(bytes: &[u8]) -> impl Iterator<Item = (&[u8], Option<u8>)> + '_ {
    let is_word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() && !is_word(&bytes[at]) {
            at += 1;
        }
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        while at < bytes.len() && is_word(&bytes[at]) {
            at += 1;
        }
        Some((&bytes[start..at], bytes.get(at).copied()))
    })
}

/// A token as a word feature: lowercased; a number becomes `0` and an id or hex value `#`.
fn fold(t: &[u8]) -> Vec<u8> {
    if t.iter().all(u8::is_ascii_digit) {
        b"0".to_vec()
    } else if t.iter().any(u8::is_ascii_digit) && t.len() > 3 {
        b"#".to_vec()
    } else {
        t.to_ascii_lowercase()
    }
}

/// The alphabetic parts of a compound name: split at `_` and where a lowercase letter meets
/// an uppercase one (`OutOfMemory` → Out, Of, Memory; `HTTPServerError` → HTTP, Server,
/// Error). Parts holding digits are left out: they are values, not words.
fn subwords(t: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    for piece in t.split(|&b| b == b'_').filter(|p| !p.is_empty()) {
        let mut start = 0;
        for i in 1..piece.len() {
            let (a, b) = (piece[i - 1], piece[i]);
            let next_lower = piece.get(i + 1).is_some_and(u8::is_ascii_lowercase);
            if (a.is_ascii_lowercase() && b.is_ascii_uppercase()) || (a.is_ascii_uppercase() && b.is_ascii_uppercase() && next_lower) {
                parts.push(&piece[start..i]);
                start = i;
            }
        }
        parts.push(&piece[start..]);
    }
    parts.retain(|p| p.iter().all(u8::is_ascii_alphabetic));
    parts
}

/// POSIX and Windows-socket errno names that systems print as they are.
const ERRNO_NAMES: &[&[u8]] = &[
    b"EPERM", b"ENOENT", b"ESRCH", b"EINTR", b"EIO", b"ENXIO", b"E2BIG", b"ENOEXEC", b"EBADF", b"ECHILD",
    b"EAGAIN", b"ENOMEM", b"EACCES", b"EFAULT", b"EBUSY", b"EEXIST", b"EXDEV", b"ENODEV", b"ENOTDIR",
    b"EISDIR", b"EINVAL", b"ENFILE", b"EMFILE", b"ETXTBSY", b"EFBIG", b"ENOSPC", b"ESPIPE", b"EROFS",
    b"EMLINK", b"EPIPE", b"EDOM", b"ERANGE", b"EDEADLK", b"ENAMETOOLONG", b"ENOLCK", b"ENOSYS",
    b"ENOTEMPTY", b"ELOOP", b"EWOULDBLOCK", b"ENOTSUP", b"EOPNOTSUPP", b"EADDRINUSE", b"EADDRNOTAVAIL",
    b"ENETDOWN", b"ENETUNREACH", b"ENETRESET", b"ECONNABORTED", b"ECONNRESET", b"ENOBUFS", b"ENOTCONN",
    b"ETIMEDOUT", b"ECONNREFUSED", b"EHOSTDOWN", b"EHOSTUNREACH", b"EALREADY", b"EINPROGRESS", b"ESTALE",
    b"EDQUOT", b"ECANCELED", b"EOWNERDEAD", b"ENOTRECOVERABLE", b"EPROTO", b"EBADMSG", b"EOVERFLOW",
    b"EILSEQ", b"ENODATA", b"ETIME", b"ENOTFOUND", b"EAI_AGAIN", b"EAI_NONAME", b"WSAECONNREFUSED",
    b"WSAECONNRESET", b"WSAETIMEDOUT", b"WSAEACCES", b"WSAEADDRINUSE",
];

/// The shape of a token that says "this is a failure" in any vocabulary.
fn shape(t: &[u8], next: Option<u8>) -> Option<&'static str> {
    let lower = t.to_ascii_lowercase();
    let ends = |s: &[u8]| lower.len() > s.len() && lower.ends_with(s);
    if t[0].is_ascii_uppercase() && t.iter().any(u8::is_ascii_lowercase) && (ends(b"exception") || ends(b"error") || ends(b"fault") || ends(b"failure")) {
        return Some("class");
    }
    if ERRNO_NAMES.contains(&t) {
        return Some("errno");
    }
    if t.len() >= 6 && (t.starts_with(b"0x") || t.starts_with(b"0X")) && t[2..].iter().all(u8::is_ascii_hexdigit) {
        return Some("hex");
    }
    if next == Some(b':') && matches!(lower.as_slice(), b"error" | b"fatal" | b"panic" | b"failed" | b"failure" | b"critical" | b"crit" | b"err") {
        return Some("status");
    }
    None
}

/// FNV-1a over a kind byte and parts: stable across platforms and releases, which the
/// shipped weights depend on.
fn hash(kind: u8, parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut step = |b: u8| {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    step(kind);
    for part in parts {
        for &b in *part {
            step(b);
        }
        step(0);
    }
    h
}

/// The feature of two consecutive words.
fn mix(a: u64, b: u64) -> u64 {
    let mut h = a.rotate_left(17) ^ b.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    h ^= h >> 29;
    h.wrapping_mul(0xbf58_476d_1ce4_e5b9)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: FeatureSet = FeatureSet(FeatureSet::ALL);

    #[test]
    fn values_fold_into_one_shape() {
        for set in [FeatureSet::default(), ALL] {
            let a = features("OSError: [Errno 28] No space left on device: '/var/x1'", 1 << 14, set);
            let b = features("OSError: [Errno 5] No space left on device: '/var/x1'", 1 << 14, set);
            assert_eq!(a, b);
            let c = features("request id=ab12cd34 failed", 1 << 14, set);
            let d = features("request id=ff99ee00 failed", 1 << 14, set);
            assert_eq!(c, d);
        }
    }

    #[test]
    fn sorted_unique_and_in_range() {
        let f = features("disk full disk full DISK FULL", 1 << 10, ALL);
        assert!(f.windows(2).all(|w| w[0] < w[1]));
        assert!(f.iter().all(|&i| i < 1 << 10));
        assert!(features("", 1 << 10, ALL).is_empty());
    }

    #[test]
    fn compound_names_split_into_words() {
        assert_eq!(subwords(b"ExceededMemoryLimitException"), [&b"Exceeded"[..], b"Memory", b"Limit", b"Exception"]);
        assert_eq!(subwords(b"MEMORY_LIMIT_EXCEEDED"), [&b"MEMORY"[..], b"LIMIT", b"EXCEEDED"]);
        assert_eq!(subwords(b"HTTPServerError"), [&b"HTTP"[..], b"Server", b"Error"]);
        assert_eq!(subwords(b"sha256_mismatch"), [&b"mismatch"[..]]);
        // A compound shares its parts' features with the words written apart.
        let compound = features("OutOfMemory", 1 << 16, ALL);
        let apart = features("out of memory", 1 << 16, ALL);
        let memory = features("memory", 1 << 16, FeatureSet::default());
        assert!(memory.iter().all(|f| compound.contains(f) && apart.contains(f)));
        assert!(!memory.iter().all(|f| features("OutOfMemory", 1 << 16, FeatureSet::default()).contains(f)));
    }

    #[test]
    fn failure_shapes() {
        assert_eq!(shape(b"ExceededMemoryLimitException", None), Some("class"));
        assert_eq!(shape(b"Error", Some(b':')), Some("status"));
        assert_eq!(shape(b"ENOSPC", None), Some("errno"));
        assert_eq!(shape(b"0x8007000E", None), Some("hex"));
        assert_eq!(shape(b"ERROR", Some(b' ')), None);
        assert_eq!(shape(b"Mirror", None), None);
    }
}
