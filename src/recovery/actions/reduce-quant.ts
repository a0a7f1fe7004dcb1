// reduce_quant: move the model one step down the configured quantization ladder (less memory),
// by editing one key of a JSON or YAML config file atomically and keeping the previous file
// as `<file>.bak-<time>` (both through the handle of the file's directory, contained.ts). At
// the bottom of the ladder it says so and changes nothing.

import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import YAML, { isScalar } from 'yaml';
import { ContainedError, replaceWithBytes } from '../contained.js';
import { stamp } from '../safety.js';
import type { RecoveryAction } from '../types.js';

interface Level {
  current: string;
  next?: string;
  why?: string;
}

const isJson = (file: string) => /\.json$/i.test(file);

/** Read the current level at the dotted key; JSON or YAML by extension. */
function readLevel(file: string, key: string): string {
  const text = readFileSync(file, 'utf8');
  const path = key.split('.');
  let value: unknown;
  if (isJson(file)) {
    value = path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), JSON.parse(text));
  } else {
    const doc = YAML.parseDocument(text);
    if (doc.errors.length) throw new Error(`not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
    value = doc.getIn(path);
  }
  if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`no level at key "${key}"`);
  return String(value);
}

/** `next` written as the YAML scalar `old` was (plain, single- or double-quoted). */
function yamlScalar(old: string, next: string): string {
  if (old.startsWith("'")) return `'${next.replace(/'/g, "''")}'`;
  if (old.startsWith('"') || !/^[A-Za-z0-9_.+-]+$/.test(next)) return JSON.stringify(next);
  return next;
}

/**
 * The new file text with the level at `key` replaced. YAML is edited in place: only the
 * value's bytes change, and a comment after it on the same line stays in its column.
 */
function rewrite(file: string, key: string, next: string): string {
  const text = readFileSync(file, 'utf8');
  const path = key.split('.');
  if (isJson(file)) {
    const data = JSON.parse(text);
    let o = data;
    for (const k of path.slice(0, -1)) o = o[k];
    o[path[path.length - 1]] = next;
    const indent = /^[ \t]+/m.exec(text)?.[0] ?? '  ';
    return JSON.stringify(data, null, indent) + (text.endsWith('\n') ? '\n' : '');
  }
  const doc = YAML.parseDocument(text);
  const node = doc.getIn(path, true);
  if (isScalar(node) && node.range) {
    const [start, end] = node.range;
    const value = yamlScalar(text.slice(start, end), next);
    const gap = /^[ \t]+(?=#)/.exec(text.slice(end))?.[0];
    if (gap === undefined) return text.slice(0, start) + value + text.slice(end);
    const spaces = Math.max(1, gap.length - (value.length - (end - start)));
    return text.slice(0, start) + value + ' '.repeat(spaces) + text.slice(end + gap.length);
  }
  doc.setIn(path, next);
  return doc.toString({ lineWidth: 0 });
}

function step(ladder: string[], current: string): Level {
  let i = ladder.indexOf(current);
  if (i < 0) i = ladder.findIndex((l) => l.toLowerCase() === current.toLowerCase());
  if (i < 0) return { current, why: `the current level ${current} is not on the ladder (${ladder.join(' → ')})` };
  if (i === ladder.length - 1) return { current, why: `already at the bottom of the ladder (${current}); nothing lower to switch to` };
  return { current, next: ladder[i + 1] };
}

export const reduceQuant: RecoveryAction = {
  name: 'reduce_quant',
  phase: 10,

  async plan(_record, ctx) {
    const q = ctx.config.quantization;
    if (!q) return { target: 'quantization', change: 'lower the quantization level', skip: 'quantization is not configured' };
    const target = `quant:${q.file}#${q.key}`;
    let level: Level;
    try {
      if (lstatSync(q.file).isSymbolicLink()) return { target, change: 'lower the quantization level', skip: `${q.file} is a symlink; refusing to replace it` };
      level = step(q.ladder, readLevel(q.file, q.key));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return { target, change: 'lower the quantization level', skip: `${q.file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}` };
    }
    if (!level.next) return { target, change: `${q.key} stays ${level.current}`, skip: level.why, detail: { from: level.current } };
    if (q.levelsDir && !existsSync(join(q.levelsDir, level.next))) {
      return { target, change: `${q.key}: ${level.current} → ${level.next}`, skip: `no model for ${level.next} at ${join(q.levelsDir, level.next)}`, detail: { from: level.current, to: level.next } };
    }
    return { target, change: `${q.file}: ${q.key} ${level.current} → ${level.next} (previous file kept as ${q.file}.bak-<time>)`, detail: { from: level.current, to: level.next } };
  },

  async execute(planned, ctx) {
    const q = ctx.config.quantization!;
    const from = String(planned.detail?.from);
    const to = String(planned.detail?.to);
    const now = readLevel(q.file, q.key);
    if (now !== from) return { result: 'skipped', before: { level: now }, error: `${q.key} changed since the plan (${from} → ${now}); not touching it` };
    const text = rewrite(q.file, q.key, to);
    let kept: string | undefined;
    try {
      const r = replaceWithBytes(dirname(q.file), basename(q.file), Buffer.from(text), `${basename(q.file)}.bak-${stamp(ctx.now())}`);
      kept = r.kept ? join(dirname(q.file), r.kept) : undefined;
    } catch (err) {
      // A symlink or a hard-linked file under the configured name: refused, nothing changed.
      if (err instanceof ContainedError) return { result: 'skipped', before: { level: from }, error: err.message };
      throw err;
    }
    const after = readLevel(q.file, q.key);
    if (after !== to) return { result: 'failed', before: { level: from }, after: { level: after }, error: `verification: ${q.key} reads ${after}, expected ${to} (previous file kept at ${kept})` };
    return { result: 'ok', before: { level: from }, after: { level: to, kept }, done: `${q.file}: ${q.key} ${from} → ${to}${kept ? ` (previous file kept as ${kept})` : ''}` };
  },
};
