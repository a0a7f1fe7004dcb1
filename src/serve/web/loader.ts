// Which analysis the URL names (`file=` a configured log, `a=` an upload's analysis id), and
// the picker that chooses one: a configured log, or a file uploaded from this computer.

import type { LogsView, SummaryView } from '../view-types.js';
import { api, errorBox, fmtBytes, h, params, session, setParams, fill } from './dom.js';

const cache = new Map<string, SummaryView>();

/** The analysis the URL names, or undefined when it names none. */
export async function loadAnalysis(): Promise<SummaryView | undefined> {
  const p = params();
  const file = p.get('file');
  const id = p.get('a');
  // Asked each time: the server reuses its analysis while the file is unchanged, and
  // analyzes again when the file changed or its analysis was dropped.
  if (file) return api<SummaryView>('POST', '/api/analyze', { file });
  if (id) return cache.get(`a:${id}`) ?? api<SummaryView>('GET', `/api/analyses/${encodeURIComponent(id)}`);
  return undefined;
}

/** Keep an upload's summary for this page (its analysis cannot be made again from a URL). */
export function remember(s: SummaryView): void {
  cache.set(`a:${s.id}`, s);
}

export function picker(): HTMLElement {
  const select = h('select', { 'aria-label': 'log', id: 'log-select' }, h('option', { value: '' }, 'loading logs…'));
  const analyze = h('button', { class: 'primary', id: 'analyze' }, 'Analyze');
  const upload = h('input', { type: 'file', 'aria-label': 'upload a log' });
  const status = h('span', { class: 'muted' });
  const box = h('section', {}, h('div', { class: 'row' }, h('strong', {}, 'Log'), select, analyze, session.uploadMaxBytes > 0 ? h('span', { class: 'muted' }, `or upload (≤ ${fmtBytes(session.uploadMaxBytes)})`) : null, session.uploadMaxBytes > 0 ? upload : null, status));
  api<LogsView>('GET', '/api/logs').then(
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
      const s = await api<SummaryView>('POST', `/api/upload?name=${encodeURIComponent(f.name)}`, undefined, { type: 'application/octet-stream', data: f });
      remember(s);
      status.textContent = '';
      setParams({ a: s.id, file: null, type: null, from: null, to: null, f: null, q: null, p: null, rec: null });
    } catch (err) {
      status.textContent = (err as Error).message;
    }
  });
  return box;
}
