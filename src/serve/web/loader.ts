// Which analysis the URL names (`file=` a configured log, `a=` an upload's analysis id), and
// the picker that chooses one: a configured log, or a file uploaded from this computer.

import { api, errorBox, fmtBytes, h, params, session, setParams, fill } from './dom.js';

export interface TypeRow {
  type: string;
  count: number;
  first: { line: number; time?: string; file: string };
  last: { line: number; time?: string; file: string };
  messages: { shape: string; count: number; example: string }[];
  innermostFrame?: { file: string; line?: number; function?: string };
  actions: { action: string; reason: string; record: { file: string; line: number } }[];
}

export interface Summary {
  id: string;
  name: string;
  files: string[];
  bytes: number;
  lines: number;
  elapsedMs: number;
  engine: string;
  types: TypeRow[];
  bars: { minutes: string[]; series: { type: string; counts: number[] }[] };
  /** Error-level lines no pattern matched, by template, each with the model's inferred type. */
  unrecognised: { lines: number; others: number; templates: UnrecognisedRow[] };
}

export interface UnrecognisedRow {
  id: string;
  template: string;
  count: number;
  example: string;
  first: { file: string; line: number };
  /** `type` null: the model named no failure, or not confidently. */
  inferred?: { type: string | null; confidence: number };
}

const cache = new Map<string, Summary>();

/** The analysis the URL names, or undefined when it names none. */
export async function loadAnalysis(): Promise<Summary | undefined> {
  const p = params();
  const file = p.get('file');
  const id = p.get('a');
  // Asked each time: the server reuses its analysis while the file is unchanged, and
  // analyzes again when the file changed or its analysis was dropped.
  if (file) return api<Summary>('POST', '/api/analyze', { file });
  if (id) return cache.get(`a:${id}`) ?? api<Summary>('GET', `/api/analyses/${encodeURIComponent(id)}`);
  return undefined;
}

/** Keep an upload's summary for this page (its analysis cannot be made again from a URL). */
export function remember(s: Summary): void {
  cache.set(`a:${s.id}`, s);
}

export function picker(): HTMLElement {
  const select = h('select', { 'aria-label': 'log', id: 'log-select' }, h('option', { value: '' }, 'loading logs…'));
  const analyze = h('button', { class: 'primary', id: 'analyze' }, 'Analyze');
  const upload = h('input', { type: 'file', 'aria-label': 'upload a log' });
  const status = h('span', { class: 'muted' });
  const box = h('section', {}, h('div', { class: 'row' }, h('strong', {}, 'Log'), select, analyze, session.uploadMaxBytes > 0 ? h('span', { class: 'muted' }, `or upload (≤ ${fmtBytes(session.uploadMaxBytes)})`) : null, session.uploadMaxBytes > 0 ? upload : null, status));
  api<{ roots: string[]; logs: { path: string; size: number }[] }>('GET', '/api/logs').then(
    (r) => {
      fill(select, ...(r.logs.length ? r.logs.map((l) => h('option', { value: l.path }, `${l.path} (${fmtBytes(l.size)})`)) : [h('option', { value: '' }, r.roots.length ? 'no log matches serve.logs' : 'no serve.logs in the config')]));
      const current = params().get('file');
      if (current) select.value = current;
    },
    (err) => box.append(errorBox(err)),
  );
  analyze.addEventListener('click', () => {
    if (!select.value) return;
    setParams({ file: select.value, a: null, type: null, from: null, to: null, f: null, q: null, p: null, rec: null });
  });
  upload.addEventListener('change', async () => {
    const f = upload.files?.[0];
    if (!f) return;
    status.textContent = `uploading ${f.name}…`;
    try {
      const s = await api<Summary>('POST', `/api/upload?name=${encodeURIComponent(f.name)}`, undefined, { type: 'application/octet-stream', data: f });
      remember(s);
      status.textContent = '';
      setParams({ a: s.id, file: null, type: null, from: null, to: null, f: null, q: null, p: null, rec: null });
    } catch (err) {
      status.textContent = (err as Error).message;
    }
  });
  return box;
}
