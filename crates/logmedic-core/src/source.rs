//! Where the bytes come from: a file read through mmap or pread, a gzip or zstd stream
//! (recognised by magic bytes, never by extension), stdin, or a buffer in memory.
//!
//! Random-access sources (mapped, pread, memory) are scanned in parallel by byte ranges;
//! streams are decoded on one thread and handed to scanners as line-aligned buffers.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorCode, Result};

/// Files at least this large are memory-mapped (unless mmap is turned off); smaller ones
/// are cheaper to read. The seed used 10 MB.
pub const MMAP_THRESHOLD: u64 = 10 << 20;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];
const XZ_MAGIC: [u8; 6] = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const BZIP2_MAGIC: [u8; 3] = *b"BZh";
const LZ4_MAGIC: [u8; 4] = [0x04, 0x22, 0x4d, 0x18];

/// How many leading bytes [`compression`] needs to recognise every format it knows.
pub const MAGIC_LEN: usize = 6;

/// A compressed format, recognised by its first bytes. Gzip and zstd are decompressed when
/// read; the others are recognised so that a follower or a caller can refuse them instead of
/// reading compressed bytes as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Gzip,
    Zstd,
    Xz,
    Bzip2,
    Lz4,
}

impl Compression {
    pub fn as_str(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::Xz => "xz",
            Compression::Bzip2 => "bzip2",
            Compression::Lz4 => "lz4",
        }
    }

    /// Whether [`Source`] decompresses this format (the others are not read).
    pub fn is_decoded(self) -> bool {
        matches!(self, Compression::Gzip | Compression::Zstd)
    }
}

/// The compressed format `head` (a file's or stream's first bytes, [`MAGIC_LEN`] suffice)
/// starts with, if any. The one table of magic bytes: sources and the file follower ask it.
pub fn compression(head: &[u8]) -> Option<Compression> {
    [
        (&GZIP_MAGIC[..], Compression::Gzip),
        (&ZSTD_MAGIC[..], Compression::Zstd),
        (&XZ_MAGIC[..], Compression::Xz),
        (&BZIP2_MAGIC[..], Compression::Bzip2),
        (&LZ4_MAGIC[..], Compression::Lz4),
    ]
    .into_iter()
    .find(|(magic, _)| head.starts_with(magic))
    .map(|(_, c)| c)
}

/// What kind of source a scan read, reported in the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Mmap,
    Read,
    Gzip,
    Zstd,
    Memory,
    Stream,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Mmap => "mmap",
            SourceKind::Read => "read",
            SourceKind::Gzip => "gzip",
            SourceKind::Zstd => "zstd",
            SourceKind::Memory => "memory",
            SourceKind::Stream => "stream",
        }
    }
}

pub enum Source<'a> {
    /// A memory-mapped file; `len` is its size when mapped.
    Mapped { map: memmap2::Mmap, file: File, path: PathBuf },
    /// A plain file read with positioned reads.
    File { file: File, len: u64, path: PathBuf },
    /// Bytes the caller already has.
    Memory(&'a [u8]),
    /// A sequential stream (decompressor, stdin, a pipe).
    Stream { reader: Box<dyn Read + Send + 'a>, kind: SourceKind, path: Option<PathBuf> },
}

impl<'a> Source<'a> {
    pub fn kind(&self) -> SourceKind {
        match self {
            Source::Mapped { .. } => SourceKind::Mmap,
            Source::File { .. } => SourceKind::Read,
            Source::Memory(_) => SourceKind::Memory,
            Source::Stream { kind, .. } => *kind,
        }
    }

    pub fn path(&self) -> Option<&Path> {
        match self {
            Source::Mapped { path, .. } | Source::File { path, .. } => Some(path),
            Source::Stream { path, .. } => path.as_deref(),
            Source::Memory(_) => None,
        }
    }

    /// Open a path. `-` is stdin. Compressed input (gzip, multi-member too, and zstd) is
    /// recognised by its first bytes, whatever the name says.
    ///
    /// Regular files of at least [`MMAP_THRESHOLD`] bytes are memory-mapped when `use_mmap`;
    /// smaller ones, and all with `use_mmap == false`, are read with positioned reads. FIFOs,
    /// character devices and sockets are read once, front to back, as streams.
    pub fn open(path: &Path, use_mmap: bool) -> Result<Source<'static>> {
        if path.as_os_str() == "-" {
            return stream(Box::new(io::stdin()), None).map_err(|e| Error::from_io(&e, Path::new("<stdin>")));
        }
        let meta = std::fs::metadata(path).map_err(|e| Error::from_io(&e, path))?;
        if meta.is_dir() {
            return Err(Error::new(ErrorCode::IsDirectory, format!("{}: is a directory", path.display())).with_path(path));
        }
        let mut file = File::open(path).map_err(|e| Error::from_io(&e, path))?;
        let owned = path.to_path_buf();
        if !meta.is_file() {
            // A FIFO or a device cannot be reopened or rewound: the bytes read to recognise
            // its format are put back in front of the rest.
            return stream(Box::new(file), Some(owned)).map_err(|e| Error::from_io(&e, path));
        }
        let mut magic = [0u8; 4];
        let got = read_up_to(&mut file, &mut magic).map_err(|e| Error::from_io(&e, path))?;
        let magic = &magic[..got];
        if compression(magic).is_some_and(Compression::is_decoded) {
            file.seek(SeekFrom::Start(0)).map_err(|e| Error::from_io(&e, path))?;
            return decoder(Box::new(file), magic, Some(owned)).map_err(|e| Error::from_io(&e, path));
        }
        let len = meta.len();
        if use_mmap && len >= MMAP_THRESHOLD && len <= usize::MAX as u64 {
            // SAFETY: the map is read-only. Another process may still truncate the file while
            // we read it; `sigbus` turns the resulting fault into "file changed" instead of a crash.
            if let Ok(map) = unsafe { memmap2::MmapOptions::new().len(len as usize).map(&file) } {
                #[cfg(unix)]
                let _ = map.advise(memmap2::Advice::Sequential);
                return Ok(Source::Mapped { map, file, path: owned });
            }
        }
        Ok(Source::File { file, len, path: owned })
    }

    /// A stream read front to back (a pipe, a socket, a Node stream's bytes), decompressed
    /// when its first bytes say gzip or zstd.
    pub fn from_reader(reader: Box<dyn Read + Send + 'a>) -> Result<Source<'a>> {
        stream(reader, None).map_err(|e| Error::from_io(&e, Path::new("<stream>")))
    }
}

/// Peek at the first bytes of a stream, put them back, and decompress when they say so.
fn stream<'a>(mut reader: Box<dyn Read + Send + 'a>, path: Option<PathBuf>) -> io::Result<Source<'a>> {
    let mut magic = [0u8; 4];
    let got = read_up_to(&mut reader, &mut magic)?;
    let head = magic[..got].to_vec();
    let whole: Box<dyn Read + Send + 'a> = Box::new(io::Cursor::new(head).chain(reader));
    decoder(whole, &magic[..got], path)
}

/// Wrap `reader` (positioned at its first byte) in the decoder its `magic` asks for.
fn decoder<'a>(reader: Box<dyn Read + Send + 'a>, magic: &[u8], path: Option<PathBuf>) -> io::Result<Source<'a>> {
    let format = compression(magic);
    if format == Some(Compression::Gzip) {
        let reader = GzMembers::new(io::BufReader::with_capacity(1 << 20, reader));
        return Ok(Source::Stream { reader: Box::new(reader), kind: SourceKind::Gzip, path });
    }
    if format == Some(Compression::Zstd) {
        // Decodes every frame, one after the other (`zstd` output glued together, too).
        let reader = zstd::stream::read::Decoder::new(reader)?;
        return Ok(Source::Stream { reader: Box::new(reader), kind: SourceKind::Zstd, path });
    }
    Ok(Source::Stream { reader, kind: SourceKind::Stream, path })
}

/// A gzip stream of one or more members (`cat a.gz b.gz`, rotated logs glued together),
/// decoded whole. After a member ends, what follows must be another member or nothing: other
/// bytes are damage (`InvalidData`, which reads as corrupt), where flate2's multi-member
/// decoder would take them for a member header cut short (truncated) or ignore them.
struct GzMembers<R: io::BufRead> {
    /// The member being decoded; None once the input ended.
    member: Option<flate2::bufread::GzDecoder<R>>,
}

impl<R: io::BufRead> GzMembers<R> {
    fn new(reader: R) -> Self {
        GzMembers { member: Some(flate2::bufread::GzDecoder::new(reader)) }
    }
}

impl<R: io::BufRead> Read for GzMembers<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while let Some(member) = self.member.as_mut() {
            let n = member.read(buf)?;
            if n > 0 || buf.is_empty() {
                return Ok(n);
            }
            // The member ended: another one follows, or nothing may.
            match member.get_mut().fill_buf()?.first() {
                None => self.member = None,
                Some(&b) if b == GZIP_MAGIC[0] => {
                    let inner = self.member.take().map(flate2::bufread::GzDecoder::into_inner);
                    self.member = inner.map(flate2::bufread::GzDecoder::new);
                }
                Some(_) => return Err(io::Error::new(io::ErrorKind::InvalidData, "garbage after the end of the gzip data")),
            }
        }
        Ok(0)
    }
}

/// Read until `buf` is full or EOF; returns the bytes read.
pub fn read_up_to<R: Read + ?Sized>(reader: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Positioned read that works on every platform.
pub fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        file.read_at(buf, offset)
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::FileExt;
        file.seek_read(buf, offset)
    }
}

/// Fill `buf` from `offset` with positioned reads; fewer bytes only at end of file.
pub fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match read_at(file, &mut buf[filled..], offset + filled as u64) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}
