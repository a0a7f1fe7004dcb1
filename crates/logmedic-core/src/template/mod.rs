//! Template mining: the shapes of the lines in a log, with the parts that vary masked as
//! `<*>`, so that what nobody wrote a pattern for can still be counted and named.
//!
//! Two steps. Per chunk, on many threads ([`Miner`]): the core's own header parser
//! (`fields::header`) cuts off time, level and logger; the message is split at whitespace
//! and every token holding a digit is masked; equal masked sequences ("shapes") are
//! counted. Partial results merge associatively ([`Partial::merge`]). Once, on the merged
//! shapes ([`cluster`]): shapes of the same length that differ at one position only, where
//! that position takes several values, are fused into one template with a variable there,
//! until nothing more fuses. Both steps are functions of the set of lines, not of their
//! order across threads, so any chunking yields the same templates, ids and counts.
//!
//! Why this and not Drain's online prefix tree: Drain's answer depends on the order lines
//! arrive (a template grows as lines join it), which no parallel merge can reproduce, and
//! its similarity threshold needs per-system tuning. Frequency statistics over whole
//! positions (as in Brain) need no threshold per system and are order-free.

mod cluster;
pub mod outline;
mod partial;
mod running;
pub mod suggest;
mod tokens;
pub mod unrecognised;
#[cfg(test)]
mod tests;

use std::path::Path;

use crate::error::{Error, ErrorCode, Result};
use crate::scan::{Control, Progress};
use crate::source::Source;

pub use partial::{is_error_level, Levels, MineOptions, Miner, Partial, Seen, ShapeStats};
pub use running::{RecentSection, RecentTemplate, RunningTemplates};

/// One template: its tokens with `<*>` at the variable positions, and what its lines were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// A stable name: the same template text has the same id in every run and file.
    pub id: String,
    pub tokens: Vec<String>,
    pub count: u64,
    pub first: Seen,
    pub last: Seen,
    /// The first line of the template, as written.
    pub example: String,
    pub levels: Levels,
    /// Per token: 0 for wording, else the [`tokens::kind`]s of the values seen there.
    pub kinds: Vec<u8>,
    /// The wording and values of all its shapes, whatever their length.
    pub outline: outline::Outline,
}

impl Template {
    /// The tokens joined by spaces.
    pub fn text(&self) -> String {
        self.tokens.join(" ")
    }

    /// A catalog pattern that matches this template's lines (see [`suggest::suggest_pattern`]);
    /// none for a template without a word of wording, whose pattern would match most lines.
    pub fn suggested_pattern(&self) -> Option<String> {
        if !self.outline.worded {
            return None;
        }
        // A JSON line's message is one of its fields: the line goes on after it.
        Some(suggest::suggest_pattern(&self.outline, self.example.as_bytes().first() != Some(&b'{')))
    }
}

/// The templates of an input, in the order they first appear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Templates {
    pub templates: Vec<Template>,
    /// Per input line, the index in `templates` of its template (`None` for a line not
    /// mined, with `errors_only`); present when asked for.
    pub line_ids: Option<Vec<Option<u32>>>,
    pub lines: u64,
    /// Lines mined whose shape was not kept (past the limit of a bounded partial).
    pub others: u64,
}

/// The text a masked token is shown as.
pub const VARIABLE: &str = "<*>";

impl Partial {
    /// Cluster the merged shapes into templates.
    pub fn templates(self) -> Templates {
        let Partial { shapes, line_shapes, lines, others, .. } = self;
        let borrowed: Vec<&ShapeStats> = shapes.iter().collect();
        let (templates, template_of_shape) = cluster_shapes(&borrowed);
        let line_ids = line_shapes.map(|ids| {
            ids.into_iter().map(|s| template_of_shape.get(s as usize).copied()).collect()
        });
        Templates { templates, line_ids, lines, others }
    }
}

/// The templates of a set of shapes, in order of first sighting, and the index of each
/// shape's template (in the order of `shapes`).
pub(super) fn cluster_shapes(shapes: &[&ShapeStats]) -> (Vec<Template>, Vec<u32>) {
    let mut order: Vec<u32> = (0..shapes.len() as u32).collect();
    order.sort_by_key(|&i| (shapes[i as usize].first.file, shapes[i as usize].first.line));
    let keys: Vec<&[u8]> = order.iter().map(|&i| &*shapes[i as usize].key).collect();
    let roots = cluster::cluster(&keys);
    // Template index per root, in order of first sighting (roots are the first shape of each).
    let mut template_of_sorted = vec![u32::MAX; order.len()];
    let mut templates: Vec<Template> = Vec::new();
    for (sorted, &root) in roots.iter().enumerate() {
        let s = shapes[order[sorted] as usize];
        if root as usize == sorted {
            template_of_sorted[sorted] = templates.len() as u32;
            templates.push(new_template(s));
        } else {
            let t = template_of_sorted[root as usize];
            template_of_sorted[sorted] = t;
            widen(&mut templates[t as usize], s);
        }
    }
    let mut members: Vec<Vec<&partial::ShapeStats>> = vec![Vec::new(); templates.len()];
    for (sorted, &shape) in order.iter().enumerate() {
        members[template_of_sorted[sorted] as usize].push(shapes[shape as usize]);
    }
    for (t, m) in templates.iter_mut().zip(&members) {
        t.outline = outline::outline(m);
    }
    drop(members);
    name_templates(&mut templates);
    let mut template_of_shape = vec![u32::MAX; shapes.len()];
    for (sorted, &shape) in order.iter().enumerate() {
        template_of_shape[shape as usize] = template_of_sorted[sorted];
    }
    (templates, template_of_shape)
}

fn new_template(s: &partial::ShapeStats) -> Template {
    let split = tokens::split_key(&s.key);
    let mut var_kinds = s.kinds.iter();
    let kinds = split.iter().map(|t| if *t == [tokens::VAR] { var_kinds.next().copied().unwrap_or(tokens::kind::OTHER) } else { 0 }).collect();
    let tokens = split.into_iter().map(show_token).collect();
    Template { id: String::new(), tokens, count: s.count, first: s.first, last: s.last, example: s.example.clone(), levels: s.levels, kinds, outline: outline::Outline::default() }
}

/// A key token as shown: `<*>` for a masked value, a unit without its mark.
fn show_token(token: &[u8]) -> String {
    let token = token.strip_prefix(&[tokens::UNIT]).unwrap_or(token);
    String::from_utf8_lossy(token).replace(char::from(tokens::VAR), VARIABLE)
}

/// Add a later shape of the same template: count, last sighting, levels, and a variable
/// wherever its tokens differ. A shape of another length (the same wording with more or
/// fewer values) adds its lines but not its tokens: the template reads as its first shape.
fn widen(t: &mut Template, s: &partial::ShapeStats) {
    t.count += s.count;
    t.levels = t.levels.union(s.levels);
    if (s.last.file, s.last.line) > (t.last.file, t.last.line) {
        t.last = s.last;
    }
    let theirs_all = tokens::split_key(&s.key);
    if theirs_all.len() != t.tokens.len() {
        return;
    }
    let mut var_kinds = s.kinds.iter();
    for ((mine, kind), theirs) in t.tokens.iter_mut().zip(&mut t.kinds).zip(theirs_all) {
        let their_kind = if theirs == [tokens::VAR] { var_kinds.next().copied().unwrap_or(tokens::kind::OTHER) } else { tokens::value_kind(theirs) };
        let shown = show_token(theirs);
        if *kind != 0 {
            *kind |= their_kind;
        } else if *mine == shown {
        } else if let Some(name) = same_field(mine, &shown) {
            // Values of one field (`user=root`, `user=<*>`): the field's name stays wording.
            *mine = format!("{name}{VARIABLE}");
        } else {
            *kind = tokens::value_kind(mine.as_bytes()) | their_kind;
            *mine = VARIABLE.to_string();
        }
    }
}

/// The field name (`user=`) two shown tokens are both values of, if they are.
fn same_field<'a>(a: &'a str, b: &str) -> Option<&'a str> {
    let mine = field_of(a)?;
    (field_of(b) == Some(mine)).then_some(mine)
}

/// The name of the field a shown token is the value of: `user=` of `user=<*>` or `user=root`.
fn field_of(t: &str) -> Option<&str> {
    t.strip_suffix(VARIABLE).filter(|n| !n.is_empty()).or_else(|| tokens::field_name(t.as_bytes()).map(|n| &t[..n.len()]))
}

/// Ids from the template text (FNV-1a, 48 bits in hex), so they are stable across runs;
/// a clash within one result gets a `-2`, `-3`… suffix in order of appearance.
fn name_templates(templates: &mut [Template]) {
    let mut taken = std::collections::HashSet::new();
    for t in templates {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in t.text().bytes() {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
        let base = format!("{:012x}", hash >> 16);
        let mut id = base.clone();
        let mut n = 1;
        while !taken.insert(id.clone()) {
            n += 1;
            id = format!("{base}-{n}");
        }
        t.id = id;
    }
}

/// Mine a buffer on up to `threads` threads: line-aligned chunks, one [`Miner`] each,
/// merged in order. Lines are numbered in file number `file`.
pub fn mine_buffer(buf: &[u8], file: u32, threads: usize, opts: MineOptions) -> Partial {
    let chunks = line_aligned_chunks(buf, threads.max(1));
    let partials: Vec<Partial> = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                scope.spawn(move || {
                    let mut miner = Miner::new(file, opts);
                    miner.add_lines(chunk);
                    miner.finish()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a mining thread panicked")).collect()
    });
    partials.into_iter().reduce(Partial::merge).unwrap_or_else(|| Miner::new(file, opts).finish())
}

/// Split `buf` into about `n` pieces, each ending just after a `\n` (the last at the end).
pub fn line_aligned_chunks(buf: &[u8], n: usize) -> Vec<&[u8]> {
    let target = buf.len() / n + 1;
    let mut chunks = Vec::with_capacity(n);
    let mut start = 0;
    while start < buf.len() {
        let guess = (start + target).min(buf.len());
        let end = match memchr::memchr(b'\n', &buf[guess.saturating_sub(1)..]) {
            Some(i) if guess < buf.len() => guess.saturating_sub(1) + i + 1,
            _ => buf.len(),
        };
        chunks.push(&buf[start..end]);
        start = end;
    }
    chunks
}

/// Mine files (`-` is stdin; gzip and zstd are read decompressed), as one input: templates
/// are shared across files, lines are numbered per file. Each file is read in blocks of
/// [`BLOCK`] bytes cut at a line end, so memory stays bounded whatever the file's size.
pub fn mine_files(paths: &[&Path], threads: usize, opts: MineOptions) -> Result<Templates> {
    mine_files_with(paths, threads, opts, &Control::new())
}

/// [`mine_files`], stopped by `control` between blocks (an `Aborted` error) and reporting
/// to it the bytes read after each block.
pub fn mine_files_with(paths: &[&Path], threads: usize, opts: MineOptions, control: &Control) -> Result<Templates> {
    mine_files_in_blocks(paths, threads, opts, control, BLOCK)
}

fn mine_files_in_blocks(paths: &[&Path], threads: usize, opts: MineOptions, control: &Control, block: usize) -> Result<Templates> {
    let mut total: Option<Partial> = None;
    let mut read = 0;
    for (file, path) in paths.iter().enumerate() {
        let partial = mine_file(path, file as u32, threads, opts, control, block, &mut read)?;
        total = Some(match total {
            Some(t) => t.merge(partial),
            None => partial,
        });
    }
    Ok(total.unwrap_or_else(|| Miner::new(0, opts).finish()).templates())
}

/// How much of a file is read and mined at a time.
pub const BLOCK: usize = 32 << 20;

/// Reads past the rest of a line whose head was mined; the bytes after its line break are
/// moved to the start of `buf`, and their count returned (0 at the end of the input).
fn skip_rest_of_line(reader: &mut dyn std::io::Read, buf: &mut [u8], read: &mut u64) -> std::io::Result<usize> {
    loop {
        let n = crate::source::read_up_to(reader, buf)?;
        if n == 0 {
            return Ok(0);
        }
        if let Some(i) = memchr::memchr(b'\n', &buf[..n]) {
            *read += i as u64 + 1;
            buf.copy_within(i + 1..n, 0);
            return Ok(n - i - 1);
        }
        *read += n as u64;
    }
}

fn mine_file(path: &Path, file: u32, threads: usize, opts: MineOptions, control: &Control, block: usize, read: &mut u64) -> Result<Partial> {
    let mut reader: Box<dyn std::io::Read + Send> = match Source::open(path, false)? {
        Source::File { mut file, .. } | Source::Mapped { mut file, .. } => {
            // Recognising the format read the first bytes; positioned sources are reread from 0.
            std::io::Seek::rewind(&mut file).map_err(|e| Error::from_io(&e, path))?;
            Box::new(file)
        }
        Source::Stream { reader, .. } => reader,
        Source::Memory(b) => Box::new(std::io::Cursor::new(b.to_vec())),
    };
    let mut total = Miner::new(file, opts).finish();
    let mut buf = vec![0u8; block];
    let mut filled = 0;
    loop {
        if control.is_cancelled() {
            return Err(Error::new(ErrorCode::Aborted, "template mining aborted"));
        }
        let n = crate::source::read_up_to(&mut reader, &mut buf[filled..]).map_err(|e| Error::from_io(&e, path))?;
        filled += n;
        let at_end = filled < buf.len();
        // Mine up to the last complete line; the rest starts the next block.
        let cut = match memchr::memrchr(b'\n', &buf[..filled]) {
            _ if at_end => filled,
            Some(i) => i + 1,
            None => {
                // One line longer than the block (an endless line, a dump): its first block is
                // mined as the line and the rest of it skipped, so memory stays one block.
                total = total.merge(mine_buffer(&buf[..filled], file, threads, opts));
                *read += filled as u64;
                filled = skip_rest_of_line(&mut reader, &mut buf, read).map_err(|e| Error::from_io(&e, path))?;
                control.report(Progress { bytes: *read, total: None });
                continue;
            }
        };
        total = total.merge(mine_buffer(&buf[..cut], file, threads, opts));
        *read += cut as u64;
        control.report(Progress { bytes: *read, total: None });
        if at_end {
            return Ok(total);
        }
        buf.copy_within(cut..filled, 0);
        filled -= cut;
    }
}
