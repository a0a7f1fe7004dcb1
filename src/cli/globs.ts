// The files a command line names: literal paths and globs. Shells expand globs, but not every
// shell does (Windows), and a quoted glob should work too: `*` and `?` within a path segment,
// `[..]` classes, `**` for any number of directories.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LogmedicError } from '../errors.js';

const GLOB = /[*?[]/;

/** Whether a named path is a pattern to expand: glob characters, and no file of that very name. */
export function isGlobPattern(spec: string): boolean {
  return spec !== '-' && GLOB.test(spec) && !existsSync(spec);
}

function segmentRegex(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${seg.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function listDir(dir: string): { name: string; dir: boolean }[] {
  try {
    return readdirSync(dir || '.', { withFileTypes: true }).map((e) => ({ name: e.name, dir: e.isDirectory() }));
  } catch {
    return [];
  }
}

/** Expand one glob pattern into the files it names, sorted. */
export function expandGlob(pattern: string): string[] {
  const absolute = pattern.startsWith('/');
  const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0);
  const out = new Set<string>();
  const walk = (base: string, i: number): void => {
    if (i === parts.length) {
      try {
        if (statSync(base || '.').isFile()) out.add(base);
      } catch {
        /* vanished */
      }
      return;
    }
    const seg = parts[i];
    if (seg === '' && i === 0) return walk('/', i + 1);
    if (seg === '**') {
      walk(base, i + 1); // zero directories
      for (const e of listDir(base)) if (e.dir && !e.name.startsWith('.')) walk(base ? join(base, e.name) : e.name, i);
      return;
    }
    if (!GLOB.test(seg)) return walk(base ? join(base, seg) : seg, i + 1);
    const re = segmentRegex(seg);
    for (const e of listDir(base)) {
      if (e.name.startsWith('.') && !seg.startsWith('.')) continue;
      if (re.test(e.name)) walk(base ? join(base, e.name) : e.name, i + 1);
    }
  };
  walk(absolute ? '' : '', 0);
  return [...out].sort();
}

/** The files named on the command line, globs expanded; a glob that names nothing is an error. */
export function expandFiles(args: string[]): string[] {
  const files: string[] = [];
  for (const a of args) {
    if (a === '-' || !GLOB.test(a)) {
      files.push(a);
      continue;
    }
    let exists = false;
    try {
      statSync(a);
      exists = true; // a file whose name contains glob characters
    } catch {
      /* not a file: a glob */
    }
    if (exists) {
      files.push(a);
      continue;
    }
    const found = expandGlob(a);
    if (found.length === 0) throw new LogmedicError('E_NOT_FOUND', `${a}: no file matches`);
    files.push(...found);
  }
  return files;
}
