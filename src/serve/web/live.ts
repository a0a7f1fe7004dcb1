// The Live view: records and actions of `serve --watch` as they are written (server-sent
// events), with the files followed, bytes not yet read, and circuit states. The list keeps
// the newest rows only, so a busy log cannot make the tab grow without bound.

import { api, errorBox, fmtBytes, h, on, fill } from './dom.js';

/** Rows kept in the list. */
const MAX_ROWS = 500;

interface LiveStatus {
  watching: boolean;
  paths?: string[];
  files?: number;
  bytesRead?: number;
  behind?: Record<string, number>;
  recordsByType?: Record<string, number>;
  actionsByResult?: Record<string, number>;
  circuits?: { action: string; target: string; open: boolean }[];
  rules?: string[];
  notes?: string[];
  recent?: any[];
}

function row(e: any): HTMLElement {
  if (e.event === 'action') return h('div', { class: `action ${e.result}` }, `${e.time.slice(11, 19)} ACTION ${e.action} ${e.target ?? ''} → ${e.result}${e.reason ? ` (${e.reason})` : ''} [rule ${e.rule}, ${e.count} records]`);
  return h('div', { class: 'record', 'data-type': e.type }, `${(e.time ?? '').slice(11, 19)} ${e.type.padEnd(18)} ${e.file.split('/').pop()}:${e.line}  ${e.exception ? `${e.exception}: ` : ''}${e.message}`);
}

export function liveView(main: HTMLElement): () => void {
  const statusBox = h('section', { id: 'live-status' });
  const list = h('div', { class: 'live-list', id: 'live-list', 'aria-live': 'polite' });
  const count = h('span', { class: 'muted' });
  main.append(statusBox, h('section', {}, h('h2', {}, 'Records and actions, newest first ', count), list));
  let seen = 0;

  const add = (e: any) => {
    list.prepend(row(e));
    seen++;
    while (list.childElementCount > MAX_ROWS) list.lastElementChild!.remove();
    count.textContent = `(${seen} since this page opened; the newest ${Math.min(seen, MAX_ROWS)} shown)`;
  };

  async function drawStatus(first: boolean): Promise<void> {
    try {
      const s = await api<LiveStatus>('GET', '/api/live');
      if (!s.watching) {
        fill(statusBox, h('h2', {}, 'Live'), h('p', {}, 'Nothing is watched. Start the server with --watch PATHS (the same paths as `logmedic watch`).'));
        return;
      }
      const behind = Object.entries(s.behind ?? {});
      fill(statusBox, 
        h('h2', {}, `Watching ${s.paths!.join(', ')}`),
        h('p', { class: 'muted' }, `${s.files} files followed · ${fmtBytes(s.bytesRead ?? 0)} read · ${behind.reduce((a, [, b]) => a + b, 0) ? `${fmtBytes(behind.reduce((a, [, b]) => a + b, 0))} behind` : 'caught up'}`),
        h('p', { class: 'muted' }, (s.rules ?? []).length ? `rules: ${s.rules!.join(', ')}` : 'no watch rules in the config: records are shown, nothing is planned'),
        h('p', {}, Object.entries(s.recordsByType ?? {}).map(([t, n]) => h('span', { class: 'pill' }, `${t} ${n}`)), Object.entries(s.actionsByResult ?? {}).map(([r, n]) => h('span', { class: 'pill' }, `actions ${r} ${n}`))),
        (s.circuits ?? []).filter((c) => c.open).length ? h('p', { class: 'failed' }, `open circuits: ${(s.circuits ?? []).filter((c) => c.open).map((c) => `${c.action} ${c.target}`).join(', ')}`) : null,
        (s.notes ?? []).length ? h('p', { class: 'muted' }, s.notes!.slice(-3).join(' · ')) : null,
      );
      if (first) for (const e of s.recent ?? []) add(e);
    } catch (err) {
      fill(statusBox, errorBox(err));
    }
  }

  const offRecord = on('record', add);
  const offAction = on('action', add);
  void drawStatus(true);
  const timer = setInterval(() => void drawStatus(false), 2000);
  return () => {
    offRecord();
    offAction();
    clearInterval(timer);
  };
}
