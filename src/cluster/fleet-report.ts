// How `analyze --on` is shown: a section per host (its own diagnosis, or why it has none) and
// the fleet's diagnosis; `--json` gives the same as one object. And its exit code: as a local
// analyze of the fleet answer, except that an incomplete answer with nothing found is not "0".

import type { Palette } from '../cli/color.js';
import { renderDiagnosis, exitFor } from '../cli/analyze-command.js';
import type { Strings } from '../cli/i18n.js';
import { maskControls } from '../cli/output.js';
import type { FleetAnswer } from './on-hosts.js';

/** `analyze --on`: a host failed and the hosts that answered showed no failure; the answer is incomplete. */
export const PARTIAL_EXIT = 6;

export function fleetExit(a: FleetAnswer, failOn?: Set<string>): number {
  const found = exitFor(a.fleet, failOn);
  return found === 0 && a.partial ? PARTIAL_EXIT : found;
}

export function renderFleet(a: FleetAnswer, s: Strings, c: Palette, verbose = false): string {
  const out: string[] = [];
  for (const h of a.hosts) {
    const files = h.files.length === 1 ? '1 file' : `${h.files.length} files`;
    const head = `== ${h.name} (${maskControls(h.host)})`;
    if (h.status === 'failed') out.push(c.bold(c.red(`${head}: FAILED: ${maskControls(h.error ?? '')}`)));
    else if (h.status === 'no-files') out.push(c.bold(`${head}: no file matches ${maskControls(a.paths.join(' '))}`));
    else out.push(c.bold(`${head}: ${files}`));
    for (const k of h.skipped) out.push(c.dim(`  skipped ${maskControls(k.path)}: ${k.reason}`));
    if (h.diagnosis) out.push(renderDiagnosis(h.diagnosis, s, c, verbose).trimEnd());
    out.push('');
  }
  const ok = a.hosts.filter((h) => h.status !== 'failed').length;
  out.push(c.bold(`== fleet: ${ok} of ${a.hosts.length} hosts answered, ${a.fleet.files.length} files`));
  if (a.partial) {
    const failed = a.hosts.filter((h) => h.status === 'failed').map((h) => h.name);
    out.push(c.bold(c.red(`PARTIAL: no answer from ${failed.join(', ')}; their files are not in this diagnosis`)));
  }
  out.push(renderDiagnosis(a.fleet, s, c, verbose).trimEnd());
  return out.join('\n') + '\n';
}

/** The JSON of `analyze --on`: every host's answer and the fleet's diagnosis (schema 1 each). */
export function fleetJson(a: FleetAnswer) {
  return {
    on: a.on,
    paths: a.paths,
    partial: a.partial,
    hosts: a.hosts.map((h) => ({ name: h.name, host: h.host, status: h.status, files: h.files, skipped: h.skipped, ...(h.error ? { error: h.error } : {}), ...(h.diagnosis ? { diagnosis: h.diagnosis } : {}) })),
    fleet: a.fleet,
  };
}
