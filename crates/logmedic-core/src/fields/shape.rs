//! Message shapes: what varies in a message (numbers, ids, paths, URLs, IPs) masked, so
//! that messages of one kind group together.

use super::objects::*;

/// A shape reads the first bytes of a message only.
pub const SHAPE_BYTES: usize = 512;

/// The message with what varies between occurrences masked: numbers `<n>`, hex and ids
/// `<hex>`, UUIDs `<id>`, paths `<path>`, URLs `<url>`, IPs `<ip>`. Messages with the same
/// shape are the same failure. Written into a reused buffer (cleared first): no allocation
/// per record. The bytes are UTF-8 except where the 512-byte cut splits a character at the
/// end (read it lossily).
pub fn shape_bytes_into(message: &str, out: &mut Vec<u8>) {
    out.clear();
    let msg = message.as_bytes();
    let msg = &msg[..msg.len().min(SHAPE_BYTES)];
    // Room for the shape at once (it is about as long as the message), not grown byte by byte.
    out.reserve(msg.len() + 8);
    let mut i = 0;
    while i < msg.len() {
        let c = msg[i];
        if SHAPE_CLASS[c as usize] & DELIM != 0 {
            out.push(c);
            i += 1;
            continue;
        }
        // To the word's end, noting what the tests below look for on the way.
        let (mut end, mut flags) = (i, 0u8);
        while end < msg.len() && SHAPE_CLASS[msg[end] as usize] & DELIM == 0 {
            flags |= SHAPE_CLASS[msg[end] as usize];
            end += 1;
        }
        let word = &msg[i..end];
        // keep a trailing ':' or '.' outside the mask
        let (core, tail) = match word.last() {
            Some(b':' | b'.' | b';') if word.len() > 1 => (&word[..word.len() - 1], &word[word.len() - 1..]),
            _ => (word, &word[..0]),
        };
        if !tail.is_empty() && tail != b";" {
            flags = core.iter().fold(0, |f, &b| f | SHAPE_CLASS[b as usize]);
        }
        let colon = if flags & COLON != 0 { memchr::memchr(b':', core) } else { None };
        let (slash, dot, alnum, digit) = (flags & SLASH != 0, flags & DOT != 0, flags & ALNUM != 0, flags & DIGIT != 0);
        if !digit && colon.is_none() && !slash && !dot && core.len() != 36 {
            // A word (most are): no test below can mask it, and `mask_word` keeps it.
            out.extend_from_slice(core);
        } else if colon.is_some() && memchr::memmem::find(core, b"://").is_some() {
            out.extend_from_slice(b"<url>");
        } else if slash && core.len() > 1 && alnum {
            out.extend_from_slice(b"<path>");
        } else if dot && is_file_name(core) {
            out.extend_from_slice(b"<path>");
        } else if is_ipv4(core) || colon.is_some_and(|c| is_ipv4(&core[..c])) {
            out.extend_from_slice(b"<ip>");
        } else if is_uuid(core) {
            out.extend_from_slice(b"<id>");
        } else {
            mask_word(core, out);
        }
        out.extend_from_slice(tail);
        i = end;
    }
}

// What each byte is to [`shape_bytes_into`]: a table, as the shape reads every byte of
// every counted record's message.
const DELIM: u8 = 1;
const DIGIT: u8 = 2;
const COLON: u8 = 4;
const SLASH: u8 = 8;
const DOT: u8 = 16;
const ALNUM: u8 = 32;
static SHAPE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = match c {
            b' ' | b'\t' | b'"' | b'\'' | b'=' | b'(' | b')' | b',' | b'[' | b']' => DELIM,
            b'0'..=b'9' => DIGIT | ALNUM,
            b'a'..=b'z' | b'A'..=b'Z' => ALNUM,
            b':' => COLON,
            b'/' | b'\\' => SLASH,
            b'.' => DOT,
            _ => 0,
        };
        i += 1;
    }
    t
};

fn is_file_ext(ext: &[u8]) -> bool {
    FILE_EXTS.iter().any(|e| e.as_bytes() == ext)
}

/// `clips_base.pt`, `config.yaml`: a name with a known file extension.
fn is_file_name(w: &[u8]) -> bool {
    match memchr::memrchr(b'.', w) {
        Some(dot) if dot > 0 => {
            is_file_ext(&w[dot + 1..]) && w[..dot].iter().any(u8::is_ascii_alphabetic) && w[..dot].iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        }
        _ => false,
    }
}

/// A generated identifier (a mail queue id `jA9J1UvC004306`, a request id `aB3dE9fG2h`):
/// letters and digits only, at least 8 of them with 4 digits, digits and letters alternating
/// at least three times. Names and versions (`CUDA11`, `sha256`, `Python311`, `ResNet50v2`)
/// alternate less or have fewer digits, and `utf8mb4` is shorter.
fn is_generated_id(w: &[u8]) -> bool {
    w.len() >= 8
        && w.iter().all(u8::is_ascii_alphanumeric)
        && w.iter().filter(|b| b.is_ascii_digit()).count() >= 4
        && w.windows(2).filter(|p| p[0].is_ascii_digit() != p[1].is_ascii_digit()).count() >= 3
}

fn is_uuid(w: &[u8]) -> bool {
    w.len() == 36 && w.iter().enumerate().all(|(i, b)| if matches!(i, 8 | 13 | 18 | 23) { *b == b'-' } else { b.is_ascii_hexdigit() })
}

fn mask_word(w: &[u8], out: &mut Vec<u8>) {
    // a long hex-ish run with a digit: sha, ids, addresses
    let hexish = w.len() >= 8 && w.iter().all(u8::is_ascii_hexdigit) && w.iter().any(u8::is_ascii_digit);
    if hexish {
        out.extend_from_slice(b"<hex>");
        return;
    }
    if is_generated_id(w) {
        out.extend_from_slice(b"<id>");
        return;
    }
    let mut i = 0;
    while i < w.len() {
        if w[i] == b'0' && matches!(w.get(i + 1), Some(b'x' | b'X')) && w.get(i + 2).is_some_and(u8::is_ascii_hexdigit) {
            let mut j = i + 2;
            while j < w.len() && w[j].is_ascii_hexdigit() {
                j += 1;
            }
            out.extend_from_slice(b"<hex>");
            i = j;
        } else if w[i].is_ascii_digit() {
            let mut j = i;
            while j < w.len() && (w[j].is_ascii_digit() || (w[j] == b'.' && w.get(j + 1).is_some_and(u8::is_ascii_digit))) {
                j += 1;
            }
            out.extend_from_slice(b"<n>");
            i = j;
        } else {
            let start = i;
            while i < w.len() && !w[i].is_ascii_digit() {
                i += 1;
            }
            out.extend_from_slice(&w[start..i]);
        }
    }
}
