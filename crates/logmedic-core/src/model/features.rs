//! What the type model sees of a message: hashed word, word-pair and character n-gram
//! features, with numbers and hex ids folded, so `errno 28` and `errno 5` share a shape
//! and the model learns wording, not values.

/// Bytes of a message read at most; a failure says what it is near its start.
const MAX_BYTES: usize = 4096;

/// The feature indices of `text` in a space of `dims` buckets (a power of two), sorted and
/// without repeats: the model weighs each present feature once.
pub fn features(text: &str, dims: u32) -> Vec<u32> {
    let mask = dims - 1;
    let mut out = Vec::with_capacity(64);
    let mut prev: Option<u64> = None;
    for token in tokens(text) {
        let word = hash(b'w', &[&token]);
        out.push((word as u32) & mask);
        if let Some(p) = prev {
            out.push((mix(p, word) as u32) & mask);
        }
        prev = Some(word);
        if token.len() >= 4 && token.iter().all(|b| b.is_ascii_alphabetic()) {
            let mut framed = Vec::with_capacity(token.len() + 2);
            framed.push(b'^');
            framed.extend_from_slice(&token);
            framed.push(b'$');
            for n in [3usize, 4] {
                for gram in framed.windows(n) {
                    out.push((hash(b'c', &[gram]) as u32) & mask);
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Lowercased alphanumeric runs (`_` kept inside words); a run holding a digit becomes
/// `0` when it is a number and `#` when it is an id or hex value.
fn tokens(text: &str) -> impl Iterator<Item = Vec<u8>> + '_ {
    let bytes = &text.as_bytes()[..text.len().min(MAX_BYTES)];
    bytes
        .split(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
        .filter(|t| !t.is_empty())
        .map(|t| {
            if t.iter().all(u8::is_ascii_digit) {
                b"0".to_vec()
            } else if t.iter().any(u8::is_ascii_digit) && t.len() > 3 {
                b"#".to_vec()
            } else {
                t.to_ascii_lowercase()
            }
        })
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

    #[test]
    fn values_fold_into_one_shape() {
        let a = features("OSError: [Errno 28] No space left on device: '/var/x1'", 1 << 14);
        let b = features("OSError: [Errno 5] No space left on device: '/var/x1'", 1 << 14);
        assert_eq!(a, b);
        let c = features("request id=ab12cd34 failed", 1 << 14);
        let d = features("request id=ff99ee00 failed", 1 << 14);
        assert_eq!(c, d);
    }

    #[test]
    fn sorted_unique_and_in_range() {
        let f = features("disk full disk full DISK FULL", 1 << 10);
        assert!(f.windows(2).all(|w| w[0] < w[1]));
        assert!(f.iter().all(|&i| i < 1 << 10));
        assert!(features("", 1 << 10).is_empty());
    }
}
