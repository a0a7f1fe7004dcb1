//! The objects recovery acts on, named in a record's text: paths, hosts, ports, PIDs,
//! services and devices.


use super::{frames::*, header::*};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Objects {
    pub paths: Vec<String>,
    pub hosts: Vec<String>,
    pub ports: Vec<u32>,
    pub pids: Vec<u32>,
    pub services: Vec<String>,
    pub devices: Vec<String>,
}

const MAX_OBJECTS: usize = 8;

fn push_unique<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if v.len() < MAX_OBJECTS && !v.contains(&x) {
        v.push(x);
    }
}

pub(super) const FILE_EXTS: &[&str] = &[
    "pt", "pth", "bin", "ckpt", "gguf", "ggml", "safetensors", "onnx", "h5", "pb", "tflite", "engine", "yaml", "yml", "json",
    "toml", "ini", "cfg", "conf", "py", "js", "mjs", "cjs", "ts", "java", "go", "rs", "log", "txt", "csv", "parquet", "db",
    "sqlite", "sqlite3", "mp4", "mkv", "avi", "mov", "webm", "wav", "mp3", "png", "jpg", "jpeg", "so", "dll", "dylib", "lock",
    "pid", "sock", "tar", "gz", "zst", "zip", "xml", "model", "pkl", "npy", "npz", "jar", "wasm", "env", "properties",
];

fn trim_token(t: &[u8]) -> &[u8] {
    let is_junk = |b: &u8| matches!(b, b'\'' | b'"' | b'(' | b')' | b',' | b';' | b'[' | b']' | b'{' | b'}' | b'`' | b'<' | b'>');
    let mut s = t;
    while s.first().is_some_and(is_junk) {
        s = &s[1..];
    }
    while s.last().is_some_and(|b| is_junk(b) || matches!(b, b'.' | b':' | b'!' | b'?')) {
        s = &s[..s.len() - 1];
    }
    s
}

pub(super) fn is_ipv4(s: &[u8]) -> bool {
    if s.len() < 7 || s.len() > 15 || !s[0].is_ascii_digit() {
        return false;
    }
    let mut parts = 0;
    for p in s.split(|&b| b == b'.') {
        if p.is_empty() || p.len() > 3 || !p.iter().all(u8::is_ascii_digit) {
            return false;
        }
        parts += 1;
    }
    parts == 4
}

fn is_hostname(s: &[u8]) -> bool {
    s == b"localhost"
        || is_ipv4(s)
        || (s.contains(&b'.')
            && s.len() <= 253
            && s.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
            && s.iter().any(u8::is_ascii_alphabetic)
            && !s.ends_with(b".")
            && s.rsplit(|&b| b == b'.').next().is_some_and(|tld| tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic))
            && !FILE_EXTS.iter().any(|e| s.rsplit(|&b| b == b'.').next() == Some(e.as_bytes())))
}

fn port_of(s: &[u8]) -> Option<u32> {
    let p: u32 = std::str::from_utf8(s).ok()?.parse().ok()?;
    (1..=65535).contains(&p).then_some(p)
}

/// Bytes of a token lowercased to compare it with the keywords [`objects`] looks for (`pid`,
/// `cuda:`, `nvidia`, `resolve` …): more than the longest of them, so a longer token never
/// equals one.
const KEYWORD_BYTES: usize = 16;

/// The first [`KEYWORD_BYTES`] of `token`, lowercased into `buf`.
fn lowercase_head<'b>(token: &[u8], buf: &'b mut [u8; KEYWORD_BYTES]) -> &'b [u8] {
    let n = token.len().min(KEYWORD_BYTES);
    buf[..n].copy_from_slice(&token[..n]);
    buf[..n].make_ascii_lowercase();
    &buf[..n]
}

/// The objects named in the record's text (the non-indented lines; frames are not objects).
pub fn objects(text: &[u8], header: &Header<'_>) -> Objects {
    let mut o = Objects::default();
    // Hosts inside URLs are usually links to documentation or other services; the log's own
    // fields name the peer that failed. They are listed after the others.
    let mut url_hosts: Vec<String> = Vec::new();
    if let Some(pid) = header.pid {
        push_unique(&mut o.pids, pid);
    }
    if let Some(logger) = &header.logger {
        push_unique(&mut o.services, logger.to_string());
    }
    for (n, raw) in text.split(|&b| b == b'\n').enumerate() {
        if n > 0 && raw.first().is_some_and(|&b| b == b' ' || b == b'\t') {
            continue;
        }
        if n >= 64 {
            break;
        }
        let line = crate::record::trim_end(raw);
        // Walked, not collected: one line may be a 50 MB blob of millions of tokens.
        let mut toks = line.split(|&b| b == b' ' || b == b'\t').filter(|t| !t.is_empty()).peekable();
        while let Some(raw_tok) = toks.next() {
            let tok = trim_token(raw_tok);
            if tok.is_empty() {
                continue;
            }
            let next = toks.peek().map(|t| trim_token(t));
            // key=value pairs
            if let Some(eq) = memchr::memchr(b'=', tok) {
                let (k, v) = (&tok[..eq], trim_token(&tok[eq + 1..]));
                let mut key_buf = [0u8; KEYWORD_BYTES];
                match lowercase_head(k, &mut key_buf) {
                    b"host" | b"hostname" | b"server" | b"addr" | b"address" | b"remote" | b"upstream" | b"peer" => {
                        if let Some(c) = memchr::memrchr(b':', v) {
                            if let Some(p) = port_of(&v[c + 1..]) {
                                push_unique(&mut o.hosts, lossy(&v[..c]));
                                push_unique(&mut o.ports, p);
                                continue;
                            }
                        }
                        if !v.is_empty() {
                            push_unique(&mut o.hosts, lossy(v));
                        }
                    }
                    b"port" => {
                        if let Some(p) = port_of(v) {
                            push_unique(&mut o.ports, p);
                        }
                    }
                    b"pid" => {
                        if let Some(p) = parse_u32(v).filter(|_| v.iter().all(u8::is_ascii_digit)) {
                            push_unique(&mut o.pids, p);
                        }
                    }
                    b"path" | b"file" | b"filename" | b"dir" | b"model" | b"config" => {
                        if v.contains(&b'/') || v.contains(&b'.') {
                            push_unique(&mut o.paths, lossy(v));
                        }
                    }
                    b"service" | b"unit" => push_unique(&mut o.services, lossy(v)),
                    b"device" | b"dev" | b"gpu" => push_unique(&mut o.devices, lossy(v)),
                    _ => {}
                }
                continue;
            }
            // Lowercased for the keywords below, all short: a token longer than any of them is
            // read through its first bytes only, on the stack (a line may hold millions).
            let mut lower_buf = [0u8; KEYWORD_BYTES];
            let lower = lowercase_head(tok, &mut lower_buf);
            // pid 1234 / PID: 1234 / process 1234
            if matches!(lower, b"pid" | b"pid:" | b"process" | b"pid#") {
                if let Some(p) = next.and_then(|n| n.iter().all(u8::is_ascii_digit).then(|| parse_u32(n)).flatten()) {
                    push_unique(&mut o.pids, p);
                }
                continue;
            }
            if matches!(lower, b"port" | b"port:") {
                if let Some(p) = next.and_then(port_of) {
                    push_unique(&mut o.ports, p);
                }
                continue;
            }
            // devices: cuda:0, GPU 0, /dev/sda1, nvidia0, dev sda
            if lower.starts_with(b"cuda:") && tok[5..].iter().all(u8::is_ascii_digit) && tok.len() > 5 {
                push_unique(&mut o.devices, lossy(tok));
                continue;
            }
            if lower == b"gpu" || lower == b"device" {
                if let Some(n) = next.filter(|n| !n.is_empty() && n.iter().all(u8::is_ascii_digit)) {
                    push_unique(&mut o.devices, format!("{} {}", lossy(tok), lossy(n)));
                }
                continue;
            }
            if lower == b"dev" {
                if let Some(n) = next.filter(|n| n.len() >= 3 && n.iter().all(|b| b.is_ascii_alphanumeric())) {
                    push_unique(&mut o.devices, format!("/dev/{}", lossy(n)));
                }
                continue;
            }
            if tok.starts_with(b"/dev/") && tok.len() > 5 {
                push_unique(&mut o.devices, lossy(tok));
                continue;
            }
            if lower.starts_with(b"nvidia") && tok.len() > 6 && tok[6..].iter().all(u8::is_ascii_digit) {
                push_unique(&mut o.devices, lossy(tok));
                continue;
            }
            // services: x.service, and other systemd units
            if tok.ends_with(b".service") || tok.ends_with(b".socket") || tok.ends_with(b".timer") {
                push_unique(&mut o.services, lossy(tok));
                continue;
            }
            // URLs: scheme://host[:port]/...
            if let Some(i) = memchr::memmem::find(tok, b"://") {
                let rest = &tok[i + 3..];
                let hostport = &rest[..rest.iter().position(|&b| b == b'/' || b == b'?').unwrap_or(rest.len())];
                let hostport = hostport.rsplit(|&b| b == b'@').next().unwrap_or(hostport);
                match memchr::memrchr(b':', hostport) {
                    Some(c) if port_of(&hostport[c + 1..]).is_some() => {
                        push_unique(&mut url_hosts, lossy(&hostport[..c]));
                        push_unique(&mut o.ports, port_of(&hostport[c + 1..]).unwrap());
                    }
                    _ if !hostport.is_empty() => push_unique(&mut url_hosts, lossy(hostport)),
                    _ => {}
                }
                continue;
            }
            // paths: /abs, ./rel, ~/x, C:\x, dir/file, name.ext
            let looks_path = (tok.first() == Some(&b'/') && tok.len() > 1 && tok[1] != b'/')
                || tok.starts_with(b"./")
                || tok.starts_with(b"../")
                || tok.starts_with(b"~/")
                || (tok.len() > 3 && tok[0].is_ascii_alphabetic() && tok[1] == b':' && tok[2] == b'\\');
            if looks_path {
                let p = tok.split(|&b| b == b':').next().unwrap_or(tok);
                let p = if tok.len() > 2 && tok[1] == b':' { tok } else { p };
                push_unique(&mut o.paths, lossy(p));
                continue;
            }
            // host:port / ip:port / bare IPs and hostnames after "to"/"connect"
            if let Some(c) = memchr::memrchr(b':', tok) {
                if let Some(p) = port_of(&tok[c + 1..]) {
                    if is_hostname(&tok[..c]) {
                        push_unique(&mut o.hosts, lossy(&tok[..c]));
                        push_unique(&mut o.ports, p);
                        continue;
                    }
                }
            }
            if is_ipv4(tok) {
                push_unique(&mut o.hosts, lossy(tok));
                continue;
            }
            if tok.contains(&b'/') && !tok.contains(&b'=') && tok.iter().any(u8::is_ascii_alphabetic) && tok.iter().all(|b| b.is_ascii_graphic()) && tok.len() > 2 && !tok.starts_with(b"http") {
                if let Some(dot) = memchr::memrchr(b'.', tok) {
                    if FILE_EXTS.contains(&std::str::from_utf8(&tok[dot + 1..]).unwrap_or("")) {
                        push_unique(&mut o.paths, lossy(tok));
                        continue;
                    }
                }
            }
            if let Some(dot) = memchr::memrchr(b'.', tok) {
                let ext = std::str::from_utf8(&tok[dot + 1..]).unwrap_or("");
                if dot > 0 && FILE_EXTS.contains(&ext) && tok[..dot].iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/')) {
                    push_unique(&mut o.paths, lossy(tok));
                    continue;
                }
            }
            if matches!(lower, b"to" | b"host" | b"host:" | b"resolve" | b"server" | b"server:" | b"peer" | b"peer:") {
                if let Some(n) = next.filter(|n| is_hostname(n)) {
                    push_unique(&mut o.hosts, lossy(n));
                } else if let Some((name, port)) = next.and_then(|n| memchr::memrchr(b':', n).map(|c| (&n[..c], &n[c + 1..]))) {
                    // `to msra-sa-41:9000`, `server: redis:6379`: a one-label name is a host
                    // when the text says it is the peer and gives its port.
                    if let Some(p) = port_of(port).filter(|_| is_single_label(name)) {
                        push_unique(&mut o.hosts, lossy(name));
                        push_unique(&mut o.ports, p);
                    }
                }
            }
        }
    }
    for h in url_hosts {
        push_unique(&mut o.hosts, h);
    }
    o
}

/// `msra-sa-41`, `redis`: a host name of one label (letters, digits, `-`, with a letter).
fn is_single_label(s: &[u8]) -> bool {
    (1..=63).contains(&s.len())
        && s.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        && s.iter().any(u8::is_ascii_alphabetic)
        && s.first() != Some(&b'-')
        && s.last() != Some(&b'-')
}
