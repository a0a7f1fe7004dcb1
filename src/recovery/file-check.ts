// Does a file look whole? A sha256 manifest beside it decides when one lists it; otherwise the
// format decides where it can: JSON/YAML/TOML parse, zip central directory (.pt/.pth/.zip),
// safetensors header, GGUF magic. Used to pick a backup that is worth restoring.

import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import YAML from 'yaml';
import { sha256File } from './safety.js';

export interface Verdict {
  ok: boolean;
  /** How it was checked: "sha256 (SHA256SUMS)", "parses as JSON", "zip central directory"… */
  by: string;
  why?: string;
}

/** The sha256 a manifest beside `file` records for it: `<file>.sha256` or `SHA256SUMS`. */
export function manifestHash(file: string): { hash: string; manifest: string } | undefined {
  const own = `${file}.sha256`;
  if (existsSync(own)) {
    const m = /^[0-9a-fA-F]{64}/.exec(readFileSync(own, 'utf8').trim());
    if (m) return { hash: m[0].toLowerCase(), manifest: basename(own) };
  }
  const sums = join(dirname(file), 'SHA256SUMS');
  if (existsSync(sums)) {
    for (const line of readFileSync(sums, 'utf8').split(/\r?\n/)) {
      const m = /^([0-9a-fA-F]{64}) [ *]?(.+)$/.exec(line.trim());
      if (m && (m[2] === basename(file) || m[2].replace(/^\.\//, '') === basename(file))) return { hash: m[1].toLowerCase(), manifest: 'SHA256SUMS' };
    }
  }
  return undefined;
}

function readAt(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.alloc(len);
  const n = readSync(fd, buf, 0, len, pos);
  return buf.subarray(0, n);
}

/** A zip (PyTorch's .pt/.pth format since 1.6) has an end-of-central-directory record that points at a central directory. */
function zipCheck(fd: number, size: number): string | undefined {
  if (size < 22) return 'too short for a zip archive';
  const tailLen = Math.min(size, 65_557);
  const tail = readAt(fd, size - tailLen, tailLen);
  const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > tail.length) return 'no zip end-of-central-directory record (truncated?)';
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (cdOffset === 0xffffffff || cdSize === 0xffffffff) {
    const loc = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x06, 0x07]), eocd);
    if (loc < 0 || loc + 16 > tail.length) return 'zip64 archive without its locator';
    const z64 = Number(tail.readBigUInt64LE(loc + 8));
    const rec = readAt(fd, z64, 56);
    if (rec.length < 56 || rec.readUInt32LE(0) !== 0x06064b50) return 'zip64 end record missing';
    cdSize = Number(rec.readBigUInt64LE(40));
    cdOffset = Number(rec.readBigUInt64LE(48));
  }
  if (cdOffset + cdSize > size) return 'central directory lies past the end of the file (truncated)';
  const sig = readAt(fd, cdOffset, 4);
  if (sig.length < 4 || sig.readUInt32LE(0) !== 0x02014b50) return 'no central directory where the zip says it is';
  if (readAt(fd, 0, 4).readUInt32LE(0) !== 0x04034b50) return 'does not start with a zip local header';
  return undefined;
}

/** safetensors: u64 header length, a JSON header, tensors whose offsets end exactly at the end of the file. */
function safetensorsCheck(fd: number, size: number): string | undefined {
  if (size < 8) return 'too short for safetensors';
  const n = Number(readAt(fd, 0, 8).readBigUInt64LE(0));
  if (n <= 0 || 8 + n > size || n > 100 << 20) return 'header length does not fit the file';
  let header: Record<string, { data_offsets?: [number, number] }>;
  try {
    header = JSON.parse(readAt(fd, 8, n).toString('utf8'));
  } catch {
    return 'header is not JSON';
  }
  let end = 0;
  for (const [k, v] of Object.entries(header)) if (k !== '__metadata__' && Array.isArray(v?.data_offsets)) end = Math.max(end, v.data_offsets[1]);
  if (8 + n + end !== size) return `tensor data should end at byte ${8 + n + end}, file has ${size} (truncated?)`;
  return undefined;
}

/** GGUF: the magic and a known version. */
function ggufCheck(fd: number, size: number): string | undefined {
  const head = readAt(fd, 0, 24);
  if (head.length < 24 || head.toString('latin1', 0, 4) !== 'GGUF') return 'no GGUF magic';
  const version = head.readUInt32LE(4);
  if (version < 1 || version > 3) return `unknown GGUF version ${version}`;
  if (size < 24) return 'too short';
  return undefined;
}

/** Minimal TOML structure: every line is blank, a comment, a [table], or key = value (multi-line values balanced). */
function tomlCheck(text: string): string | undefined {
  let open = 0;
  let multi: string | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (multi) {
      if (line.includes(multi)) multi = undefined;
      continue;
    }
    if (open > 0) {
      open += (line.match(/\[/g) ?? []).length - (line.match(/\]/g) ?? []).length;
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    if (/^\[\[?[^\]]+\]\]?\s*(#.*)?$/.test(line)) continue;
    const m = /^("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)(\s*\.\s*("[^"]*"|[A-Za-z0-9_-]+))*\s*=\s*(.+)$/.exec(line);
    if (!m) return `line ${i + 1} is not TOML`;
    const value = m[4];
    for (const q of ['"""', "'''"]) if (value.startsWith(q) && !value.slice(3).includes(q)) multi = q;
    if (!multi) open = (value.match(/\[/g) ?? []).length - (value.match(/\]/g) ?? []).length;
  }
  return multi || open > 0 ? 'unterminated value at end of file' : undefined;
}

/**
 * Check `file`, whose format is that of `asName` (a backup named `model.pt.2025-05-17` is a
 * `.pt`). A manifest entry decides first; a mismatch is never overruled by the format.
 */
export function checkFile(file: string, asName: string = file): Verdict {
  try {
    return check(file, asName);
  } catch (err) {
    return { ok: false, by: 'reading', why: (err as Error).message };
  }
}

function check(file: string, asName: string): Verdict {
  const listed = manifestHash(file);
  if (listed) {
    const actual = sha256File(file);
    return actual === listed.hash ? { ok: true, by: `sha256 (${listed.manifest})` } : { ok: false, by: `sha256 (${listed.manifest})`, why: `sha256 ${actual.slice(0, 12)}… does not match ${listed.hash.slice(0, 12)}…` };
  }
  const ext = extname(asName).toLowerCase();
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return { ok: false, by: 'size', why: 'empty file' };
    const text = () => readFileSync(file, 'utf8');
    switch (ext) {
      case '.json':
        try {
          JSON.parse(text());
          return { ok: true, by: 'parses as JSON' };
        } catch (err) {
          return { ok: false, by: 'parses as JSON', why: (err as Error).message };
        }
      case '.yaml':
      case '.yml': {
        const docs = YAML.parseAllDocuments(text());
        const errors = Array.isArray(docs) ? docs.flatMap((d) => d.errors) : [];
        return errors.length === 0 ? { ok: true, by: 'parses as YAML' } : { ok: false, by: 'parses as YAML', why: errors[0].message.split('\n')[0] };
      }
      case '.toml': {
        const why = tomlCheck(text());
        return { ok: !why, by: 'TOML structure', why };
      }
      case '.pt':
      case '.pth':
      case '.zip':
      case '.ckpt': {
        const why = zipCheck(fd, size);
        return { ok: !why, by: 'zip central directory', why };
      }
      case '.safetensors': {
        const why = safetensorsCheck(fd, size);
        return { ok: !why, by: 'safetensors header', why };
      }
      case '.gguf': {
        const why = ggufCheck(fd, size);
        return { ok: !why, by: 'GGUF header', why };
      }
      default:
        return { ok: false, by: 'none', why: `no manifest lists it and the ${ext || 'extension-less'} format cannot be checked` };
    }
  } finally {
    closeSync(fd);
  }
}
