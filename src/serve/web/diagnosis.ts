// The Diagnosis view: per type the count, span and recommended actions; records per minute
// stacked by type (drag to zoom into a time range, hover for counts, click a bar to filter);
// the commonest message shapes; and the records, a page at a time, with their whole text,
// frames and the lines around them. Every filter is in the URL.

import type uPlotT from 'uplot';
import type { RecordDetailView, RecordsPageView, SummaryView, TypeRow } from '../view-types.js';
import { api, errorBox, fmtBytes, h, on, params, setParams, swatch, fill } from './dom.js';
import { loadAnalysis, picker } from './loader.js';

const COLORS = ['#2457c5', '#c53b24', '#1e7b34', '#9a6700', '#7b2fb0', '#0f7c8c', '#b3266f', '#5a6270', '#d17a00', '#3a8f3a'];
const PAGE = 50;

export const colorOf = (types: string[], t: string) => COLORS[Math.max(0, types.indexOf(t)) % COLORS.length];

const minuteOf = (sec: number) => new Date(sec * 1000).toISOString().slice(0, 16);
const nextMinute = (m: string) => new Date(Date.parse(m + ':00Z') + 60_000).toISOString().slice(0, 16);

export function diagnosisView(main: HTMLElement): () => void {
  const results = h('div', { id: 'results' });
  main.append(picker(), results);
  let plot: uPlotT | undefined;
  let drawn = 0;
  /** Stops listening for the rest of the records (a page drawn before they were all read). */
  let stopWaiting = () => undefined as void;

  async function draw(): Promise<void> {
    const n = ++drawn;
    plot?.destroy();
    plot = undefined;
    let s: SummaryView | undefined;
    // While a big log is analyzed, how far the pass is (the server reports about every 100 ms).
    const file = params().get('file');
    const progress = h('p', { class: 'muted', id: 'analyze-progress' }, 'analyzing…');
    const offProgress = on('progress', (e) => {
      if (e.name !== file || n !== drawn) return;
      progress.textContent = e.total > 0 ? `analyzing… ${Math.floor((100 * e.bytes) / e.total)}% (${fmtBytes(e.bytes)} of ${fmtBytes(e.total)})` : `analyzing… ${fmtBytes(e.bytes)}`;
    });
    try {
      fill(results, file || params().get('a') ? progress : h('p', { class: 'muted' }, 'Pick a log and press Analyze.'));
      s = await loadAnalysis();
    } catch (err) {
      if (n === drawn) fill(results, errorBox(err));
      return;
    } finally {
      offProgress();
    }
    if (!s || n !== drawn) return;
    const p = params();
    const types = s.types.map((t) => t.type);
    const chartBox = h('div', { id: 'chart' });
    const recordsBox = h('section', { id: 'records' });
    fill(results, 
      h('p', { class: 'muted', id: 'summary-line' }, `${s.name}: ${fmtBytes(s.bytes)}, ${s.lines.toLocaleString()} lines, ${s.types.reduce((a, t) => a + t.count, 0).toLocaleString()} failure records in ${s.types.length} types — analyzed in ${(s.elapsedMs / 1000).toFixed(2)} s (${s.engine}). `, h('a', { href: `/recovery?${s.name.startsWith('upload:') ? `a=${encodeURIComponent(s.id)}` : `file=${encodeURIComponent(s.name)}`}` }, 'Recovery plan →')),
      typeTable(s, types),
      h('section', {}, h('h2', {}, 'Records per minute'), s.bars.minutes.length ? chartBox : h('p', { class: 'muted' }, 'No record has a timestamp.'), h('p', { class: 'muted' }, 'Drag across the chart to choose a time range; click a bar to see its records.')),
      messagesBox(s),
      unrecognisedBox(s),
      filters(s, types),
      recordsBox,
    );
    if (s.bars.minutes.length) plot = chart(chartBox, s, types, p.get('from') ?? undefined, p.get('to') ?? undefined);
    await records(recordsBox, s, n);
  }

  async function records(box: HTMLElement, s: SummaryView, n: number): Promise<void> {
    const p = params();
    const offset = Number(p.get('p') ?? 0) || 0;
    const q = new URLSearchParams({ offset: String(offset), limit: String(PAGE) });
    for (const [k, key] of [['type', 'type'], ['from', 'from'], ['to', 'to'], ['file', 'f'], ['text', 'q']]) if (p.get(key)) q.set(k, p.get(key)!);
    try {
      const page = await api<RecordsPageView>('GET', `/api/analyses/${encodeURIComponent(s.id)}/records?${q}`);
      if (n !== drawn) return;
      // The first pages come before the whole log's records are read: say so, show how far
      // the reading is, and page on with all of them once the server says they are there.
      stopWaiting();
      const reading = h('span', { class: 'muted', id: 'records-reading' }, 'reading the rest of the records…');
      if (!page.complete) {
        const offProgress = on('progress', (e) => {
          if (e.name === s.name && e.phase === 'records' && e.total > 0) reading.textContent = `reading the rest of the records… ${Math.floor((100 * e.bytes) / e.total)}%`;
        });
        const offRecords = on('records', (e) => {
          if (e.analysis === s.id && n === drawn) void records(box, s, n);
        });
        stopWaiting = () => {
          offProgress();
          offRecords();
          stopWaiting = () => undefined;
        };
      }
      const of = page.complete ? `${page.total}` : `${page.total}+`;
      const selected = p.get('rec');
      const rows = page.records.map((r) =>
        h('tr', { class: `clickable${String(r.index) === selected ? ' selected' : ''}`, 'data-index': r.index, onclick: () => setParams({ rec: r.index }) }, h('td', {}, r.time?.replace('T', ' ').slice(0, 19) ?? ''), h('td', {}, r.type), h('td', {}, `${r.file.split('/').pop()}:${r.line}`), h('td', {}, r.exception ? `${r.exception}: ` : '', r.message)),
      );
      fill(box, 
        page.complete
          ? h('h2', {}, `Records (${page.total.toLocaleString()}${page.kept < s.types.reduce((a, t) => a + t.count, 0) ? `; ${page.kept.toLocaleString()} of the log's records are kept for browsing` : ''})`)
          : h('h2', {}, `Records (${page.total.toLocaleString()} so far) `, reading),
        h('table', { id: 'records-table' }, h('thead', {}, h('tr', {}, h('th', {}, 'time'), h('th', {}, 'type'), h('th', {}, 'where'), h('th', {}, 'message'))), h('tbody', {}, rows)),
        h('div', { class: 'row' }, h('button', { disabled: offset === 0, onclick: () => setParams({ p: Math.max(0, offset - PAGE) || null }) }, '← previous'), h('span', { class: 'muted', id: 'records-range' }, page.total ? `${offset + 1}–${offset + page.records.length} of ${of}` : 'no record matches'), h('button', { disabled: offset + PAGE >= page.total, onclick: () => setParams({ p: offset + PAGE }) }, 'next →')),
      );
      if (selected !== null) box.append(await detail(s, Number(selected)));
    } catch (err) {
      fill(box, errorBox(err));
    }
  }

  const onState = () => void draw();
  window.addEventListener('statechange', onState);
  void draw();
  return () => {
    window.removeEventListener('statechange', onState);
    stopWaiting();
    plot?.destroy();
  };
}

function span(t: TypeRow): string {
  if (t.first.time && t.last.time) return `${t.first.time.replace('T', ' ').slice(0, 19)} → ${t.last.time.replace('T', ' ').slice(0, 19)}`;
  return `lines ${t.first.line}–${t.last.line}`;
}

function typeTable(s: SummaryView, types: string[]): HTMLElement {
  const current = params().get('type');
  return h(
    'section',
    {},
    h('h2', {}, 'Failures by type'),
    s.types.length === 0
      ? h('p', { class: 'ok' }, 'No failure found.')
      : h(
          'table',
          { id: 'types' },
          h('thead', {}, h('tr', {}, h('th', {}, 'type'), h('th', {}, 'records'), h('th', {}, 'span'), h('th', {}, 'innermost app frame'), h('th', {}, 'recommended actions'))),
          h(
            'tbody',
            {},
            s.types.map((t) =>
              h(
                'tr',
                { class: `clickable${current === t.type ? ' selected' : ''}`, 'data-type': t.type, onclick: () => setParams({ type: current === t.type ? null : t.type, p: null, rec: null }) },
                h('td', {}, swatch(colorOf(types, t.type)), t.type),
                h('td', {}, t.count.toLocaleString()),
                h('td', {}, span(t)),
                h('td', {}, t.innermostFrame ? `${t.innermostFrame.file}${t.innermostFrame.line ? `:${t.innermostFrame.line}` : ''}${t.innermostFrame.function ? ` in ${t.innermostFrame.function}` : ''}` : ''),
                h('td', {}, [...new Set(t.actions.map((a) => a.action))].map((a) => h('span', { class: 'pill' }, a))),
              ),
            ),
          ),
        ),
  );
}

function messagesBox(s: SummaryView): HTMLElement {
  const all = s.types.flatMap((t) => t.messages.map((m) => ({ ...m, type: t.type }))).sort((a, b) => b.count - a.count).slice(0, 10);
  return h('section', {}, h('h2', {}, 'Top message shapes'), h('table', {}, h('tbody', {}, all.map((m) => h('tr', {}, h('td', {}, m.count.toLocaleString()), h('td', {}, m.type), h('td', {}, h('code', {}, m.shape)))))));
}

/** Unrecognised error-level lines by template; their types are the model's guesses, marked so and kept out of the types above. */
function unrecognisedBox(s: SummaryView): HTMLElement | null {
  const u = s.unrecognised;
  if (!u || u.lines === 0) return null;
  const rows = u.templates.slice(0, 20).map((g) =>
    h(
      'tr',
      { 'data-template': g.id },
      h('td', {}, g.count.toLocaleString()),
      h('td', {}, g.inferred?.type ? h('span', { class: 'inferred' }, `inferred ${g.inferred.type} (${Math.round(g.inferred.confidence * 100)}%)`) : h('span', { class: 'muted' }, 'no confident type')),
      h('td', {}, h('code', {}, g.template), h('br'), h('span', { class: 'muted' }, `${g.first.file.split('/').pop()}:${g.first.line}`)),
    ),
  );
  return h(
    'section',
    { id: 'unrecognised' },
    h('h2', {}, `Unrecognised (${u.lines.toLocaleString()} error-level line${u.lines === 1 ? '' : 's'})`),
    h('p', { class: 'muted' }, 'Error-level lines no pattern matched, one row per template. Their types are inferred by the learned model, not matched by a pattern; recovery does not act on them unless policy.inferred allows it.'),
    h('table', { id: 'unrecognised-table' }, h('thead', {}, h('tr', {}, h('th', {}, 'lines'), h('th', {}, 'inferred type'), h('th', {}, 'template'))), h('tbody', {}, rows)),
  );
}

function filters(s: SummaryView, types: string[]): HTMLElement {
  const p = params();
  const type = h('select', { 'aria-label': 'type filter', id: 'filter-type' }, h('option', { value: '' }, 'all types'), types.map((t) => h('option', { value: t }, t)));
  type.value = p.get('type') ?? '';
  const file = h('select', { 'aria-label': 'file filter' }, h('option', { value: '' }, 'all files'), s.files.map((f) => h('option', { value: f }, f)));
  file.value = p.get('f') ?? '';
  const from = h('input', { placeholder: 'from YYYY-MM-DDTHH:MM', value: p.get('from') ?? '', size: 18, 'aria-label': 'from' });
  const to = h('input', { placeholder: 'to (exclusive)', value: p.get('to') ?? '', size: 18, 'aria-label': 'to' });
  const text = h('input', { placeholder: 'text contains', value: p.get('q') ?? '', 'aria-label': 'text' });
  const apply = () => setParams({ type: type.value, f: file.value, from: from.value, to: to.value, q: text.value, p: null, rec: null });
  type.addEventListener('change', apply);
  file.addEventListener('change', apply);
  for (const i of [from, to, text]) i.addEventListener('keydown', (e) => e.key === 'Enter' && apply());
  return h('section', {}, h('div', { class: 'row', id: 'filters' }, h('strong', {}, 'Filter'), type, file, from, to, text, h('button', { onclick: apply }, 'Apply'), h('button', { onclick: () => setParams({ type: null, f: null, from: null, to: null, q: null, p: null, rec: null }) }, 'Clear')));
}

async function detail(s: SummaryView, index: number): Promise<HTMLElement> {
  try {
    const { record: r, context } = await api<RecordDetailView>('GET', `/api/analyses/${encodeURIComponent(s.id)}/records/${index}`);
    return h(
      'section',
      { id: 'record' },
      h('h2', {}, `${r.type} at ${r.file}:${r.line}${r.endLine > r.line ? `–${r.endLine}` : ''}`, ' ', h('button', { onclick: () => setParams({ rec: null }) }, 'close')),
      h('p', { class: 'muted' }, [r.time, r.level, r.logger, `pattern ${r.patternId}`].filter(Boolean).join(' · ')),
      context.before.length ? h('pre', { class: 'context' }, context.before.join('\n')) : null,
      h('pre', { id: 'record-text' }, r.text),
      context.after.length ? h('pre', { class: 'context' }, context.after.join('\n')) : null,
      r.frames.length
        ? h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'frame'), h('th', {}, 'function'), h('th', {}, ''))), h('tbody', {}, r.frames.map((f, i) => h('tr', { class: i === r.innermost ? 'selected' : '' }, h('td', {}, `${f.file}${f.line ? `:${f.line}` : ''}`), h('td', {}, f.function ?? ''), h('td', {}, f.app ? 'app' : 'library')))))
        : null,
    );
  } catch (err) {
    return errorBox(err);
  }
}

/** Bars stacked by type: each series is drawn as the running total up to it, tallest first. */
function chart(box: HTMLElement, s: SummaryView, types: string[], from?: string, to?: string): uPlotT {
  const xs = s.bars.minutes.map((m) => Date.parse(m + ':00Z') / 1000);
  const series = s.bars.series;
  const stacks: number[][] = [];
  series.forEach((sr, k) => stacks.push(sr.counts.map((c, i) => c + (k > 0 ? stacks[k - 1][i] : 0))));
  const order = series.map((_, k) => k).reverse();
  const bars = uPlot.paths.bars!({ size: [0.9, 40], gap: 1 });
  const opts: uPlotT.Options = {
    width: Math.max(400, box.clientWidth || 900),
    height: 240,
    scales: { x: { time: true, ...(from && to ? { min: Date.parse(from + ':00Z') / 1000, max: Date.parse(to + ':00Z') / 1000 } : {}) } },
    cursor: { drag: { x: true, y: false, setScale: false } },
    legend: { live: true },
    series: [
      { label: 'minute (UTC)', value: (_u, v) => (v == null ? '' : minuteOf(v).replace('T', ' ')) },
      ...order.map((k) => ({
        label: series[k].type,
        fill: colorOf(types, series[k].type),
        stroke: colorOf(types, series[k].type),
        paths: bars,
        points: { show: false },
        value: (_u: uPlotT, _v: number | null, _si: number, i: number | null) => (i == null ? '' : String(series[k].counts[i])),
      })),
    ],
    axes: [{}, { label: 'records' }],
    hooks: {
      setSelect: [
        (u) => {
          if (u.select.width < 3) return;
          const a = minuteOf(u.posToVal(u.select.left, 'x'));
          const b = nextMinute(minuteOf(u.posToVal(u.select.left + u.select.width, 'x')));
          setParams({ from: a, to: b, p: null, rec: null });
        },
      ],
    },
  };
  // An empty minute draws nothing (a zero would still draw a hairline bar).
  const data = [xs, ...order.map((k) => stacks[k].map((v, i) => (series[k].counts[i] === 0 ? null : v)))];
  const plot = new uPlot(opts, data as uPlotT.AlignedData, box);
  plot.over.addEventListener('click', () => {
    if (plot.select.width >= 3) return; // the end of a drag, handled by setSelect
    const i = plot.cursor.idx;
    if (i == null || plot.cursor.top == null || plot.cursor.top < 0) return;
    const y = plot.posToVal(plot.cursor.top, 'y');
    // The segment under the pointer: the first running total that reaches it.
    const k = stacks.findIndex((st) => y <= st[i]);
    const hit = k >= 0 && series[k].counts[i] > 0 ? series[k].type : undefined;
    if (!hit && stacks[stacks.length - 1][i] === 0) return;
    setParams({ type: hit ?? null, from: s.bars.minutes[i], to: nextMinute(s.bars.minutes[i]), p: null, rec: null });
  });
  return plot;
}
