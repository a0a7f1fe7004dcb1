// Which files the watch covers: literal paths and globs (`*`, `?`, `[..]`, `{a,b}`, `**`),
// expanded again on every poll so files that appear later are picked up. Directory watches
// (fs.watch) wake the watcher early; polling is the fallback that always runs.

import { lstatSync, readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { COMPRESSED_EXT, identityKey } from './follower.js';

export interface Found {
  path: string;
  key: string;
  size: number;
  birthtimeMs: number;
}

const GLOB_CHARS = /[*?[{]/;
/** How deep `**` descends. */
const MAX_DEPTH = 12;

interface Spec {
  /** Literal directory the walk starts in (absolute). */
  base: string;
  /** Segments after the base: a RegExp per segment, or '**'. Empty for a literal file. */
  segments: (RegExp | '**')[];
  literal?: string;
}

export function isGlob(spec: string): boolean {
  return GLOB_CHARS.test(spec);
}

/** One glob segment (no `/`) as an anchored RegExp; `*` and `?` never match a leading dot. */
export function segmentRegExp(seg: string): RegExp {
  let out = '';
  let i = 0;
  let braces = 0;
  while (i < seg.length) {
    const c = seg[i];
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = seg.indexOf(']', i + 2);
      if (close === -1) out += '\\[';
      else {
        let body = seg.slice(i + 1, close);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        out += '[' + body.replace(/\\/g, '\\\\') + ']';
        i = close;
      }
    } else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else out += c.replace(/[.+^$()|\\]/g, '\\$&');
    i++;
  }
  const dotGuard = seg.startsWith('.') ? '' : '(?!\\.)';
  return new RegExp(`^${dotGuard}${out}$`);
}

function compile(spec: string, cwd: string): Spec {
  const abs = isAbsolute(spec) ? spec : resolve(cwd, spec);
  if (!isGlob(abs)) return { base: dirname(abs), segments: [], literal: abs };
  const parts = abs.split(sep);
  const first = parts.findIndex((p) => isGlob(p));
  const base = parts.slice(0, first).join(sep) || sep;
  const segments = parts.slice(first).filter((p) => p !== '').map((p) => (p === '**' ? ('**' as const) : segmentRegExp(p)));
  return { base, segments };
}

export class Discovery {
  readonly specs: string[];
  #compiled: Spec[];
  #watchers = new Map<string, FSWatcher>();
  #onChange?: (event: 'rename' | 'change', dir: string, file: string | null) => void;

  constructor(specs: readonly string[], cwd = process.cwd()) {
    this.specs = [...specs];
    this.#compiled = specs.map((s) => compile(s, cwd));
  }

  /**
   * Every regular, uncompressed file the specs name now, one entry per identity (a hard
   * link or a second matching name of the same file is the same file).
   */
  scan(): Found[] {
    const seen = new Map<string, Found>();
    const dirs = new Set<string>();
    for (const spec of this.#compiled) {
      dirs.add(spec.base);
      if (spec.literal !== undefined) {
        this.#add(spec.literal, seen, true);
        continue;
      }
      this.#walk(spec.base, spec.segments, 0, seen, dirs);
    }
    if (this.#onChange) for (const d of dirs) this.#watchDir(d);
    return [...seen.values()];
  }

  /**
   * Ask to be told (early, best effort) when something changes in a watched directory:
   * 'rename' when names come or go, 'change' when a file's content changed.
   */
  onChange(listener: (event: 'rename' | 'change', dir: string, file: string | null) => void): void {
    this.#onChange = listener;
  }

  close(): void {
    for (const w of this.#watchers.values()) w.close();
    this.#watchers.clear();
  }

  #walk(dir: string, segs: (RegExp | '**')[], depth: number, seen: Map<string, Found>, dirs: Set<string>): void {
    if (segs.length === 0 || depth > MAX_DEPTH) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // not there (yet), or unreadable: polling looks again
    }
    dirs.add(dir);
    const [seg, ...rest] = segs;
    if (seg === '**') {
      // `**` matches zero directories (try the rest here) or one more (descend, keep `**`).
      this.#walk(dir, rest, depth, seen, dirs);
      for (const e of entries) {
        if (e.isDirectory() && !e.name.startsWith('.')) this.#walk(join(dir, e.name), segs, depth + 1, seen, dirs);
      }
      return;
    }
    for (const e of entries) {
      // A symbolic link that a glob reaches is not followed, to a file or a directory: a link
      // placed in a watched directory must not lead the watch out of it. Name a link's path
      // itself (no glob) to follow it.
      if (!seg.test(e.name) || e.isSymbolicLink()) continue;
      const path = join(dir, e.name);
      if (rest.length === 0) this.#add(path, seen, false);
      else if (e.isDirectory()) this.#walk(path, rest, depth + 1, seen, dirs);
    }
  }

  #add(path: string, seen: Map<string, Found>, literal: boolean): void {
    if (!literal && COMPRESSED_EXT.test(basename(path))) return;
    let st;
    try {
      // A glob's match is looked at without following a link (see #walk); a named path is followed.
      st = literal ? statSync(path, { bigint: true }) : lstatSync(path, { bigint: true });
    } catch {
      return;
    }
    if (!st.isFile()) return;
    const key = identityKey(st);
    if (!seen.has(key)) seen.set(key, { path, key, size: Number(st.size), birthtimeMs: Number(st.birthtimeMs) });
  }

  #watchDir(dir: string): void {
    if (this.#watchers.has(dir)) return;
    try {
      const w = watch(dir, { persistent: false }, (event, file) => this.#onChange?.(event === 'change' ? 'change' : 'rename', dir, file ? String(file) : null));
      w.on('error', () => {
        w.close();
        this.#watchers.delete(dir);
      });
      this.#watchers.set(dir, w);
    } catch {
      // No inotify watch available (limit reached, unsupported filesystem): polling covers it.
    }
  }
}

/** Problems with a spec that should stop the command before it starts (bad input). */
export function checkSpec(spec: string, cwd = process.cwd()): string | undefined {
  if (spec.trim() === '') return 'an empty path';
  if (isGlob(spec)) return undefined;
  const abs = resolve(cwd, spec);
  let st;
  try {
    st = statSync(abs);
  } catch {
    return undefined; // not there yet: followed when it appears
  }
  if (st.isDirectory()) return `${spec}: is a directory (watch files in it with '${join(spec, '*.log')}')`;
  // A FIFO, socket or device has no offset to checkpoint, no size to notice truncation by.
  if (!st.isFile()) return `${spec}: not a regular file (watch follows files, not pipes or devices)`;
  return undefined;
}
