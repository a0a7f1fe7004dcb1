// The HTML report of a diagnosis (`logmedic analyze --report FILE.html`): one self-contained
// file — inline CSS, inline SVG charts, no script, no font or image fetched — that opens from
// disk anywhere. Everything taken from a log is escaped; a Content-Security-Policy forbids
// the page any request, so even a mistake here cannot make it call out.
import { MANUAL_ADVICE } from '../recovery/action-map.js';
import type { Diagnosis, Frame, LogRecord, TypeSummary, Unrecognised } from '../diagnosis/types.js';
import { barChartSvg, binCounts, buildAxis, type TimeAxis } from './timeline.js';

export interface ReportOptions {
  /** Page title; default "logmedic report: <files>". */
  title?: string;
  /** When the report was made (shown in the header); default now. */
  generatedAt?: Date;
  /** Records shown per type (the diagnosis may carry more samples). Default 50. */
  maxRecordsPerType?: number;
  /** Message shapes shown per type. Default 10. */
  maxMessagesPerType?: number;
}

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
const esc = (v: unknown) => escapeHtml(String(v ?? ''));

/** A stable, safe id for a type's section. */
const typeId = (type: string) => `type-${type.replace(/[^A-Za-z0-9_-]/g, '_')}`;

const CSS = `
:root{--fg:#1d2430;--muted:#5b6472;--line:#d9dee6;--bg:#fff;--soft:#f4f6f9;--accent:#b3261e;--ok:#1b7f3b;--bar:#c2410c}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:var(--bg)}
header,main{max-width:1100px;margin:0 auto;padding:0 20px}
header{padding-top:20px;border-bottom:1px solid var(--line)}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}h3{font-size:15px;margin:18px 0 6px}
.meta{color:var(--muted);margin:0 0 14px}
.warn{background:#fff4e5;border:1px solid #f0c36d;padding:8px 12px;border-radius:6px}
.none{color:var(--ok);font-weight:600}
table{border-collapse:collapse;width:100%;margin:6px 0}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--soft);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:12.5px}
code{background:var(--soft);padding:1px 4px;border-radius:3px}
pre{background:#0f1720;color:#e6edf3;padding:10px 12px;border-radius:6px;overflow:auto;white-space:pre;margin:6px 0}
nav ul{list-style:none;padding:0;margin:8px 0;display:flex;flex-wrap:wrap;gap:6px}
nav a{display:inline-block;padding:2px 8px;border:1px solid var(--line);border-radius:12px;text-decoration:none;color:var(--fg)}
a{color:#1d4ed8}
.type{border-top:2px solid var(--line);margin-top:26px}
.type h2 .count{color:var(--muted);font-weight:400;font-size:14px;margin-left:6px}
details{border:1px solid var(--line);border-radius:6px;margin:6px 0;padding:4px 10px}
summary{cursor:pointer}
.where{color:var(--muted)}
.inferred{font-style:italic;color:#9a6700}
.frames{margin:4px 0 8px;padding-left:20px}
.frames li.innermost{font-weight:600}
.frames li.lib{color:var(--muted)}
.chart{max-width:100%;height:auto;display:block}
.chart .axis{stroke:#8b95a3;fill:none}
.chart .grid{stroke:var(--line);fill:none;stroke-dasharray:3 3}
.chart .bar{fill:var(--bar)}
.chart .total{fill:#475569}
.chart .tick{font-size:11px;fill:var(--muted)}
.plan li{margin:4px 0}
.action{font-weight:600}
`;

/** Render a diagnosis as one self-contained HTML page. */
export function renderReport(diagnosis: Diagnosis, options: ReportOptions = {}): string {
  const generatedAt = options.generatedAt ?? new Date();
  const maxRecords = options.maxRecordsPerType ?? 50;
  const maxMessages = options.maxMessagesPerType ?? 10;
  const title = options.title ?? `logmedic report: ${diagnosis.files.join(', ') || '(no file)'}`;
  const total = diagnosis.errors.reduce((n, t) => n + t.count, 0);
  const axis = buildAxis(diagnosis.errors.map((t) => t.timeline));

  const parts: string[] = [];
  parts.push(
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="logmedic">',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style></head><body>`,
    '<header>',
    '<h1>logmedic report</h1>',
    `<p class="meta">${esc(diagnosis.files.join(', ') || '(no file)')} · ${fmtBytes(diagnosis.bytes)} · ${diagnosis.lines.toLocaleString('en-US')} lines · ` +
      `analyzed in ${(diagnosis.elapsedMs / 1000).toFixed(2)} s (${esc(diagnosis.engine)}) · generated ${esc(generatedAt.toISOString())}</p>`,
    '</header><main>',
  );
  if (diagnosis.changed.length > 0) {
    parts.push(`<p class="warn">Changed while read (the counts cover what was read): ${diagnosis.changed.map((f) => `<code>${esc(f)}</code>`).join(', ')}</p>`);
  }

  parts.push('<section id="summary"><h2>Summary</h2>');
  if (diagnosis.errors.length === 0) {
    parts.push('<p class="none">No failure found.</p></section>');
  } else {
    parts.push(
      `<p>${total.toLocaleString('en-US')} failure record${total === 1 ? '' : 's'} of ${diagnosis.errors.length} type${diagnosis.errors.length === 1 ? '' : 's'}.</p>`,
      '<table class="summary"><thead><tr><th>Type</th><th class="num">Records</th><th>First</th><th>Last</th><th>Recommended actions</th></tr></thead><tbody>',
    );
    for (const t of diagnosis.errors) {
      parts.push(
        `<tr><td><a href="#${typeId(t.type)}">${esc(t.type)}</a></td><td class="num">${t.count.toLocaleString('en-US')}</td>` +
          `<td>${where(t.first)}</td><td>${where(t.last)}</td><td>${actionList(t)}</td></tr>`,
      );
    }
    parts.push('</tbody></table>');
    parts.push(`<nav aria-label="types"><ul>${diagnosis.errors.map((t) => `<li><a href="#${typeId(t.type)}">${esc(t.type)} (${t.count})</a></li>`).join('')}</ul></nav></section>`);
    parts.push(planSection(diagnosis));
    if (axis) {
      const totals = binCounts(axis, diagnosis.errors.flatMap((t) => t.timeline));
      parts.push('<section id="timeline"><h2>Timeline</h2>', barChartSvg(axis, totals, { title: 'All failure records over time', barClass: 'total' }), '</section>');
    }
    for (const t of diagnosis.errors) parts.push(typeSection(t, axis, maxRecords, maxMessages));
  }
  if (diagnosis.unrecognised && diagnosis.unrecognised.lines > 0) parts.push(unrecognisedSection(diagnosis.unrecognised));
  parts.push('</main></body></html>');
  return parts.join('\n') + '\n';
}

/** `2025-05-17T10:05:00.000Z` reads as `2025-05-17 10:05:00Z`. */
const showTime = (t: string) => t.replace('T', ' ').replace(/\.000(?=Z|[+-]|$)/, '');

function where(p: { line: number; time?: string; file: string }): string {
  return `${p.time ? `${esc(showTime(p.time))}<br>` : ''}<span class="where">${esc(p.file)}:${p.line}</span>`;
}

function actionList(t: TypeSummary): string {
  const names = [...new Set(t.actions.map((a) => a.action))];
  if (names.length > 0) return names.map((a) => `<code>${esc(a)}</code>`).join(' ');
  const advice = MANUAL_ADVICE[t.type];
  return advice ? `<span class="where">manual: ${esc(advice)}</span>` : '<span class="where">none</span>';
}

/** The plan: each action once, in the order of the types that call for it, with its reasons. */
function planSection(d: Diagnosis): string {
  const plan = new Map<string, { types: string[]; reasons: { reason: string; file: string; line: number }[] }>();
  for (const t of d.errors) {
    for (const a of t.actions) {
      const entry = plan.get(a.action) ?? { types: [], reasons: [] };
      if (!entry.types.includes(t.type)) entry.types.push(t.type);
      if (entry.reasons.length < 3) entry.reasons.push({ reason: a.reason, file: a.record.file, line: a.record.line });
      plan.set(a.action, entry);
    }
  }
  const manual = d.errors.filter((t) => t.actions.length === 0 && MANUAL_ADVICE[t.type]);
  const items = [...plan].map(
    ([action, e]) =>
      `<li><span class="action">${esc(action)}</span> — for ${e.types.map(esc).join(', ')}<ul>` +
      e.reasons.map((r) => `<li>${esc(r.reason)} <span class="where">(${esc(r.file)}:${r.line})</span></li>`).join('') +
      '</ul></li>',
  );
  const manualItems = manual.map((t) => `<li><span class="action">${esc(t.type)}</span>: ${esc(MANUAL_ADVICE[t.type])}</li>`);
  return (
    '<section id="plan"><h2>Recommended plan</h2>' +
    (items.length > 0 ? `<ol class="plan">${items.join('')}</ol>` : '<p>No automatic action applies.</p>') +
    (manualItems.length > 0 ? `<h3>Needs a person</h3><ul class="plan">${manualItems.join('')}</ul>` : '') +
    '<p class="where">Run <code>logmedic recover FILE --dry-run</code> to see exactly what each action would change.</p></section>'
  );
}

function typeSection(t: TypeSummary, axis: TimeAxis | null, maxRecords: number, maxMessages: number): string {
  const out: string[] = [];
  out.push(`<section class="type" id="${typeId(t.type)}"><h2>${esc(t.type)}<span class="count">${t.count.toLocaleString('en-US')} record${t.count === 1 ? '' : 's'}</span></h2>`);
  out.push(`<p class="where">first ${where(t.first).replace('<br>', ' ')} · last ${where(t.last).replace('<br>', ' ')}</p>`);
  if (axis && t.timeline.length > 0) {
    out.push(barChartSvg(axis, binCounts(axis, t.timeline), { title: `${t.type} records over time` }));
  } else {
    out.push('<p class="where">No timeline: these records carry no timestamps.</p>');
  }
  if (t.messages.length > 0) {
    out.push('<h3>Top messages</h3><table class="messages"><thead><tr><th class="num">Count</th><th>Message</th><th>Example</th></tr></thead><tbody>');
    for (const m of [...t.messages].sort((a, b) => b.count - a.count).slice(0, maxMessages)) {
      out.push(`<tr><td class="num">${m.count.toLocaleString('en-US')}</td><td><code>${esc(m.shape)}</code></td><td>${esc(m.example)}</td></tr>`);
    }
    out.push('</tbody></table>');
    if (t.messages.length > maxMessages) out.push(`<p class="where">and ${t.messages.length - maxMessages} more message shapes</p>`);
  }
  if (t.innermostFrame) out.push(`<p>Innermost application frame: <code>${frameText(t.innermostFrame)}</code></p>`);
  out.push(`<h3>Actions</h3><p>${actionList(t)}</p>`);
  const shown = t.samples.slice(0, maxRecords);
  if (shown.length > 0) {
    out.push(`<h3>Records${t.samples.length > shown.length || t.count > shown.length ? ` (${shown.length} of ${t.count})` : ''}</h3>`);
    shown.forEach((r, i) => out.push(recordBlock(r, i === 0)));
  }
  out.push('</section>');
  return out.join('\n');
}

/**
 * Error-level lines no pattern matched, by template, with counts and the model's inferred type:
 * where the catalog could grow. Inferred types are marked so, apart from the matched types above.
 */
function unrecognisedSection(u: Unrecognised): string {
  const out: string[] = [];
  const n = u.lines;
  out.push(`<section id="unrecognised"><h2>Unrecognised<span class="count">${n.toLocaleString('en-US')} error-level line${n === 1 ? '' : 's'}</span></h2>`);
  out.push(
    '<p class="where">Error-level lines that no pattern matched, grouped by template (<code>&lt;*&gt;</code> marks what varies). <code>logmedic test FILE</code> suggests a pattern for each. ' +
      'Their types are <em>inferred</em> by the learned model, not matched by a pattern, and recovery does not act on them unless the configuration allows it (<code>policy.inferred</code>).</p>',
  );
  out.push('<table class="messages"><thead><tr><th class="num">Count</th><th>Inferred type</th><th>Template</th><th>First</th><th>Last</th><th>Example</th></tr></thead><tbody>');
  for (const t of u.templates) {
    const type = t.inferred?.type ? `<span class="inferred">inferred ${esc(t.inferred.type)} (${Math.round(t.inferred.confidence * 100)}%)</span>` : '<span class="where">no confident type</span>';
    out.push(
      `<tr id="template-${esc(t.id)}"><td class="num">${t.count.toLocaleString('en-US')}</td><td>${type}</td><td><code>${esc(t.template)}</code><br><span class="where">${esc(t.id)}</span></td>` +
        `<td>${where(t.first)}</td><td>${where(t.last)}</td><td>${esc(t.example)}</td></tr>`,
    );
  }
  out.push('</tbody></table>');
  if (u.others > 0) out.push(`<p class="where">and ${u.others.toLocaleString('en-US')} more line${u.others === 1 ? '' : 's'} in templates not listed</p>`);
  out.push('</section>');
  return out.join('\n');
}

function recordBlock(r: LogRecord, open: boolean): string {
  const head = [r.time && showTime(r.time), r.level, r.logger].filter(Boolean).map(esc).join(' ');
  const frames =
    r.frames.length > 0
      ? `<ol class="frames">${r.frames
          .map((f, i) => `<li class="${i === r.innermost ? 'innermost' : f.app ? 'app' : 'lib'}">${frameText(f)}${i === r.innermost ? ' ← innermost application frame' : ''}</li>`)
          .join('')}</ol>`
      : '';
  return (
    `<details class="record"${open ? ' open' : ''}><summary><span class="where">${esc(r.file)}:${r.line}${r.endLine > r.line ? `–${r.endLine}` : ''}</span> ` +
    `${head ? `${head} ` : ''}<strong>${esc(r.exception ?? '')}</strong> ${esc(r.message)}</summary>` +
    `<pre class="stack">${esc(r.text)}</pre>${frames}</details>`
  );
}

function frameText(f: Frame): string {
  return `${esc(f.file)}${f.line !== undefined ? `:${f.line}` : ''}${f.function ? ` in ${esc(f.function)}` : ''}`;
}

function fmtBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} bytes`;
}
