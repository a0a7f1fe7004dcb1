// The logs the web UI may read: the files the config's `serve.logs` globs name now, each
// inside the literal directory its glob starts from once symlinks are resolved. A request
// names a log by the path this listing gave; anything else is refused.

import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, resolve, sep } from 'node:path';
import { Discovery, isGlob } from '../watch/discovery.js';
import type { LogEntry } from './view-types.js';

/** The directory a glob's walk starts in (a literal file: the file itself). */
function rootOf(spec: string): string {
  if (!isGlob(spec)) return spec;
  const parts = spec.split(sep);
  const first = parts.findIndex((p) => isGlob(p));
  return parts.slice(0, first).join(sep) || sep;
}

function real(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

const inside = (file: string, root: string) => file === root || file.startsWith(root.endsWith(sep) ? root : root + sep);

export class LogRoots {
  readonly specs: string[];
  #discovery: Discovery;

  constructor(specs: string[]) {
    this.specs = specs;
    this.#discovery = new Discovery(specs);
  }

  /** Every readable log the globs name now, each contained in its glob's root after symlinks. */
  list(): LogEntry[] {
    const roots = this.specs.map((s) => real(rootOf(s))).filter((r): r is string => r !== undefined);
    const out: LogEntry[] = [];
    for (const f of this.#discovery.scan()) {
      const r = real(f.path);
      if (r === undefined || !roots.some((root) => inside(r, root))) continue;
      try {
        const st = statSync(r);
        if (st.isFile()) out.push({ path: f.path, size: st.size, mtimeMs: st.mtimeMs });
      } catch {
        // Gone since the scan.
      }
    }
    return out.sort((a, b) => a.path.localeCompare(b.path));
  }

  /**
   * The real path of a requested log, or undefined when it is not one the listing gives.
   * The request must name the path exactly as listed: no `..`, no other spelling, no
   * encoded separators (they arrive decoded once and then match nothing listed).
   */
  resolve(requested: string): string | undefined {
    if (typeof requested !== 'string' || requested === '' || requested.includes('\0') || !isAbsolute(requested)) return undefined;
    if (resolve(requested) !== requested) return undefined;
    const hit = this.list().find((e) => e.path === requested);
    if (!hit) return undefined;
    return real(hit.path);
  }
}
