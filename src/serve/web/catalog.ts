// The Catalog view: the error types (what each means, its actions), their patterns with the
// samples each must and must not match, and a tester: a pattern tried on a configured log
// shows the lines it matches and what the catalog makes of them today (`logmedic test`).

import type { CatalogView, LogsView, TryView } from '../view-types.js';
import { api, errorBox, h, params, setParams, fill } from './dom.js';

export function catalogView(main: HTMLElement): () => void {
  const tester = h('section', { id: 'tester' });
  const typesBox = h('section', { id: 'catalog-types' });
  const patternsBox = h('section', { id: 'catalog-patterns' });
  main.append(tester, h('div', { class: 'grid' }, typesBox, patternsBox));

  const pattern = h('input', { placeholder: 'a pattern (Rust regex syntax), e.g. (?i)out of memory', size: 50, 'aria-label': 'pattern', value: params().get('pattern') ?? '' });
  const log = h('select', { 'aria-label': 'log to try on' });
  const out = h('div', {});
  const tryIt = async () => {
    if (!pattern.value || !log.value) return;
    fill(out, h('p', { class: 'muted' }, 'matching…'));
    try {
      const r = await api<TryView>('POST', '/api/catalog/try', { pattern: pattern.value, file: log.value });
      fill(out, 
        h('p', { id: 'try-count' }, `${r.count} of ${r.lines.toLocaleString()} lines match${r.hits.length < r.count ? ` (the first ${r.hits.length} shown)` : ''}.`),
        h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'line'), h('th', {}, 'text'), h('th', {}, 'the catalog today'))), h('tbody', {}, r.hits.map((x) => h('tr', {}, h('td', {}, x.line), h('td', {}, h('code', {}, x.text)), h('td', { class: x.now ? '' : 'muted' }, x.now ?? 'no record'))))),
      );
    } catch (err) {
      fill(out, errorBox(err));
    }
  };
  tester.append(h('h2', {}, 'Try a pattern on a log'), h('div', { class: 'row' }, pattern, log, h('button', { class: 'primary', id: 'try', onclick: () => void tryIt() }, 'Try')), out);
  api<LogsView>('GET', '/api/logs').then((r) => fill(log, ...r.logs.map((l) => h('option', { value: l.path }, l.path))), (err) => tester.append(errorBox(err)));

  async function draw(): Promise<void> {
    try {
      const c = await api<CatalogView>('GET', '/api/catalog');
      const chosen = params().get('type') ?? c.types[0]?.name;
      fill(typesBox, 
        h('h2', {}, `${c.types.length} types, ${c.patterns.length} patterns`),
        h('table', {}, h('tbody', {}, c.types.map((t) => h('tr', { class: `clickable${t.name === chosen ? ' selected' : ''}`, onclick: () => setParams({ type: t.name }, false) }, h('td', {}, h('strong', {}, t.name), h('div', { class: 'muted' }, t.description)), h('td', {}, t.category), h('td', {}, `${t.patterns} patterns`), h('td', {}, t.actions.map((a) => h('span', { class: 'pill' }, a))))))),
      );
      const ps = c.patterns.filter((p) => p.type === chosen);
      fill(patternsBox, 
        h('h2', {}, `Patterns of ${chosen}`),
        ...ps.map((p) => h('div', { class: 'step' }, h('strong', {}, p.id), ` (${p.origin})`, h('pre', {}, p.pattern), h('div', { class: 'ok' }, 'matches:'), h('pre', {}, p.match.join('\n')), h('div', { class: 'skipped' }, 'must not match:'), h('pre', {}, p.noMatch.join('\n')))),
      );
    } catch (err) {
      fill(typesBox, errorBox(err));
    }
  }
  window.addEventListener('statechange', draw);
  void draw();
  return () => window.removeEventListener('statechange', draw);
}
