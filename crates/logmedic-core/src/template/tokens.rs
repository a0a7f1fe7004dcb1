//! A message cut into tokens, with the tokens that carry values masked: the first,
//! per-line step of template mining. It must be cheap (it runs for every line) and the
//! same on every thread, so it is a pure function of the message's bytes.

/// The byte that stands for a masked token inside a shape key (never in a log's text,
/// so a literal `<*>` in a log cannot be mistaken for a variable).
pub const VAR: u8 = 0;

/// The byte that opens a unit written after a value (`ms` of `12 ms`) inside a shape key: the
/// clustering joins templates that differ only in their units or in having one.
pub const UNIT: u8 = 1;

/// Whether a token carries a value rather than wording: any digit marks it (numbers, ids,
/// addresses, sizes, times, hex, host names such as `node-12`), and so do the names of
/// months and weekdays, which are dates written in words. Wording that varies without
/// digits (user names, states) is left to the clustering step, which sees how many values
/// a position takes. The whole token is masked, not only its digits: `R02-M1-N0-C:J12-U11`
/// and `tbird-admin1` are values, and masking inside them would split one event in many
/// (measured on loghub-2k: 0.82 average grouping accuracy against 0.79).
pub fn is_variable(token: &[u8]) -> bool {
    (token.iter().any(u8::is_ascii_digit) && !is_numbered_name(token)) || DATE_WORDS.contains(&token)
}

/// A name that ends in a digit or two after letters alone: `eth0`, `SOCKS5`, `IPV6`,
/// `scip0`. Interfaces, protocols and versions are few and each names its own event;
/// when a position takes many of them (`worker1`…`worker9`), the clustering step fuses
/// them by their number as it does any word.
fn is_numbered_name(token: &[u8]) -> bool {
    let token = token.strip_suffix(b":").unwrap_or(token);
    let letters = token.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = token.len() - letters;
    letters >= 2 && digits == 1 && token[letters..].iter().all(u8::is_ascii_digit)
}

const DATE_WORDS: [&[u8]; 19] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
    b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun",
];

/// Bytes that separate tokens: ASCII whitespace, and `|` and `,`, which many formats use
/// between fields without spaces (`a=1,b=true,c=0x3`); cutting there keeps the names of the
/// fields as wording and masks their values one by one. Brackets and `:` are not cut:
/// `(uid=0)` and `LOGIN(uid=0)` are distinct events (measured on loghub-2k: `,` lifts the
/// average grouping accuracy from 0.820 to 0.826; adding `:`, `=` or brackets lowers it).
fn is_separator(b: u8) -> bool {
    matches!(b, b'|' | b',') || b.is_ascii_whitespace()
}

/// What the values of a variable looked like, one bit per kind, so that a pattern suggested
/// for a template can say `\d+` where only numbers were seen and `[^\s|,]+` where anything was.
pub mod kind {
    /// Only decimal digits.
    pub const DIGITS: u8 = 1;
    /// Hexadecimal digits, with or without `0x`.
    pub const HEX: u8 = 2;
    /// A path: starts with `/`.
    pub const PATH: u8 = 4;
    /// A bracketed group (`[...]`, `(...)`), which may hold spaces.
    pub const GROUP: u8 = 8;
    /// Anything else.
    pub const OTHER: u8 = 16;
}

/// The [`kind`] of one value.
pub fn value_kind(token: &[u8]) -> u8 {
    let hex = token.strip_prefix(b"0x").or_else(|| token.strip_prefix(b"0X")).unwrap_or(token);
    if !token.is_empty() && token.iter().all(u8::is_ascii_digit) {
        kind::DIGITS
    } else if !hex.is_empty() && hex.iter().all(u8::is_ascii_hexdigit) {
        kind::HEX
    } else if token.first() == Some(&b'/') {
        kind::PATH
    } else if matches!(token.first(), Some(b'[' | b'(')) {
        kind::GROUP
    } else {
        kind::OTHER
    }
}

/// Tokens of a message that a shape key spells out; past them, the rest of the line is one
/// variable. Real messages have far fewer; a line of millions (a blob of data) is mined in
/// the time of an ordinary one.
pub const MAX_KEY_TOKENS: usize = 256;

/// The longest token a shape key spells out; a longer one (a blob: base64, a hex dump, a
/// run of bytes with no separator) is a variable, and a key stays short however long the
/// line's words are.
pub const MAX_TOKEN_BYTES: usize = 1024;

/// Write the shape key of `message` into `key` (cleared first): its tokens, split at
/// [separators](is_separator), joined by one space, each variable token replaced by [`VAR`],
/// the tokens past [`MAX_KEY_TOKENS`] as one [`VAR`], a token longer than
/// [`MAX_TOKEN_BYTES`] as one [`VAR`]; and the [`kind`] of each variable token, in order,
/// into `kinds` (cleared first). Returns the number of tokens.
pub fn shape_key(message: &[u8], key: &mut Vec<u8>, kinds: &mut Vec<u8>) -> usize {
    match shape_key_with(message, key, kinds, false) {
        Some(count) => count,
        None => shape_key_with(message, key, kinds, true).unwrap_or_default(),
    }
}

/// [`shape_key`], with [numbered names](is_numbered_name) kept as wording unless
/// `mask_numbered`; none when a line lists two numbered names of the same stem (`bn1 bn2`,
/// `eth0 eth1`): such names are members of a set, values rather than names of the event.
fn shape_key_with(message: &[u8], key: &mut Vec<u8>, kinds: &mut Vec<u8>, mask_numbered: bool) -> Option<usize> {
    key.clear();
    kinds.clear();
    let mut count = 0;
    let mut pos = 0;
    // The stems of the numbered names seen so far (the first few: lists are caught early).
    let mut stems: [&[u8]; 4] = [&[]; 4];
    let mut seen_stems = 0;
    let mut after_value = false;
    while let Some((start, end)) = next_token(message, pos) {
        let token = &message[start..end];
        pos = end;
        if count > 0 {
            key.push(b' ');
        }
        if count == MAX_KEY_TOKENS {
            // The rest of a very long line is one variable: keys stay short, and clustering,
            // which compares each position of a key with the others, stays cheap.
            key.push(VAR);
            kinds.push(kind::OTHER);
            return Some(count + 1);
        }
        if token.len() > MAX_TOKEN_BYTES {
            key.push(VAR);
            kinds.push(kind::OTHER);
            after_value = true;
            count += 1;
            continue;
        }
        if std::mem::take(&mut after_value) && is_unit(token) {
            // `<1 sec`, `12 KB`: the unit belongs to the value before it, which some lines
            // write without one (`00:01`); marked, it is shown but does not tell events apart.
            key.push(UNIT);
            key.extend_from_slice(token);
            count += 1;
            continue;
        }
        let numbered = is_numbered_name(token);
        if numbered && !mask_numbered {
            let this_stem = token.split(u8::is_ascii_digit).next().unwrap_or_default();
            if stems[..seen_stems].contains(&this_stem) {
                return None;
            }
            if seen_stems < stems.len() {
                stems[seen_stems] = this_stem;
                seen_stems += 1;
            }
        }
        if is_variable(token) || (numbered && mask_numbered) {
            if let Some(name) = field_name(token) {
                // `name=value`: the name is wording, the value one variable inside the token.
                key.extend_from_slice(name);
                key.push(VAR);
            } else {
                key.push(VAR);
                kinds.push(value_kind(token));
                after_value = true;
            }
        } else {
            key.extend_from_slice(token);
        }
        count += 1;
    }
    Some(count)
}

/// Units of time and size, as written after a number (with a trailing `.` allowed).
const UNITS: [&[u8]; 23] = [
    b"ns", b"us", b"ms", b"s", b"sec", b"secs", b"second", b"seconds", b"min", b"mins", b"minutes", b"h", b"hours",
    b"B", b"KB", b"kB", b"MB", b"GB", b"TB", b"KiB", b"MiB", b"GiB", b"TiB",
];

fn is_unit(token: &[u8]) -> bool {
    UNITS.contains(&token.strip_suffix(b".").unwrap_or(token))
}

/// The `name=` or `name:` that opens a `name=value` token whose name is a word (letters,
/// `_`, `-`, and `.` before `=`; no digit): `totalCalories=1209`, `onExtend:1514038530000`. The name says
/// which event the line is, so it is kept and only the value is masked; a token whose part
/// before the sign holds a digit (`R02-M1-N0-C:J12`, `10:05:00`) stays one value.
pub fn field_name(token: &[u8]) -> Option<&[u8]> {
    let sign = token.iter().position(|&b| b == b'=' || b == b':')?;
    let name = &token[..sign];
    // A dotted name before `:` is a host (`proxy.example.org:5070`), not a field.
    let dotted_host = token[sign] == b':' && name.contains(&b'.');
    let wordy = name.len() >= 2 && !dotted_host && name.iter().all(|&b| b.is_ascii_alphabetic() || matches!(b, b'_' | b'.' | b'-'));
    (wordy && sign + 1 < token.len()).then(|| &token[..=sign])
}

/// How far a bracketed group may reach to be one token.
const MAX_GROUP: usize = 160;

/// Brackets whose content, spaces included, is one token.
const GROUPS: [(u8, u8); 2] = [(b'[', b']'), (b'(', b')')];

/// The next token at or after `pos`: up to the next separator, or a whole `[...]` or `(...)`
/// group with its spaces (a request context, a thread name such as `[IPC Server handler 5
/// on 62270]`, a size such as `(1.16 KB)`), so that one value written in several words is
/// one token (measured on loghub-2k: 0.826 average grouping accuracy without, 0.831 with).
fn next_token(message: &[u8], pos: usize) -> Option<(usize, usize)> {
    let start = pos + message.get(pos..)?.iter().position(|&b| !is_separator(b))?;
    let mut end = start;
    if let Some(&(open, shut)) = GROUPS.iter().find(|(o, _)| *o == message[start]) {
        let reach = &message[start..message.len().min(start + MAX_GROUP)];
        if let Some(close) = memchr::memchr(shut, reach).filter(|&c| !reach[1..c].contains(&open)) {
            end = start + close;
        }
    }
    end += message[end..].iter().position(|&b| is_separator(b)).unwrap_or(message.len() - end);
    Some((start, end))
}

/// The tokens of a shape key, as written by [`shape_key`].
pub fn split_key(key: &[u8]) -> Vec<&[u8]> {
    if key.is_empty() {
        return Vec::new();
    }
    key.split(|&b| b == b' ').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(message: &str) -> String {
        let mut k = Vec::new();
        shape_key(message.as_bytes(), &mut k, &mut Vec::new());
        String::from_utf8(k).unwrap().replace('\0', "<*>")
    }

    #[test]
    fn digits_mark_values_and_whitespace_runs_are_one_gap() {
        assert_eq!(key("PacketResponder 1 for block blk_-69 terminating"), "PacketResponder <*> for block <*> terminating");
        assert_eq!(key("  open   10.0.0.1:80\tfailed "), "open <*> failed");
        assert_eq!(key("Invalid user admin from host"), "Invalid user admin from host");
        assert_eq!(key(""), "");
        assert_eq!(key("at Sat Jun 18 02:08:10 2005|step done"), "at <*> <*> <*> <*> <*> step done");
        assert_eq!(key("ready=true,policy=3,,boot=(x)"), "ready=true policy=<*> boot=(x)");
        assert_eq!(key("[IPC Server handler 5 on 62270] sent (1.16 KB), [main] ok (no such file)"), "<*> sent <*> [main] ok (no such file)");
        assert_eq!(key("unclosed [a b (c"), "unclosed [a b (c");
    }

    #[test]
    fn a_name_ending_in_one_digit_is_wording_unless_the_line_lists_its_stem() {
        assert_eq!(key("open through proxy 10.0.0.1:5070 SOCKS5"), "open through proxy <*> SOCKS5");
        assert_eq!(key("Link Up on awdl0: IPV6 ok"), "Link Up on awdl0: IPV6 ok");
        // More digits, other characters or one letter: a value.
        assert_eq!(key("node bn14 tbird-admin1 u0 x86_64"), "node <*> <*> <*> <*>");
        // A list of one stem is a set of values.
        assert_eq!(key("cannot resolve bn1 bn2 bn14 eth0"), "cannot resolve <*> <*> <*> <*>");
    }

    #[test]
    fn a_unit_after_a_value_is_marked_as_its_unit() {
        assert_eq!(key("took 0.5 secs. to read 12 KB"), "took <*> \u{1}secs. to read <*> \u{1}KB");
        // A word that is not a unit, or a unit after wording, is wording.
        assert_eq!(key("sent 12 bytes in ms"), "sent <*> bytes in ms");
    }

    #[test]
    fn a_field_keeps_its_word_name_and_masks_its_value() {
        assert_eq!(key("totalCalories=1209 onExtend:1514038530000 x="), "totalCalories=<*> onExtend:<*> x=");
        // A name holding a digit is part of the value; so is a one-letter name.
        assert_eq!(key("R02-M1-N0-C:J12-U11 10:05:00 a=1 rhost=host.example"), "<*> <*> <*> rhost=host.example");
        assert_eq!(key("proxy.example.org:5070 java.vendor=7"), "<*> java.vendor=<*>");
    }
}
