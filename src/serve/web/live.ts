// The Live view: records and actions of `serve --watch` as they are written (server-sent
// events), with the files followed, bytes not yet read, circuit states, and each rule's window
// (count against threshold, last firing, cooldown left). The list keeps the newest rows only,
// so a busy log cannot make the tab grow without bound.

import type { LiveActionEvent, LiveRecordEvent, LiveView, RuleView } from '../view-types.js';
import { api, errorBox, fmtBytes, h, on, fill, type Child } from './dom.js';

/** Rows kept in the list. */
const MAX_ROWS = 500;

const secondsLeft = (until: string) => Math.max(0, Math.ceil((Date.parse(until) - Date.now()) / 1000));

/** One row per rule: its open windows against the threshold, its last firing, the cooldowns left. */
function ruleRows(rules: RuleView[]): HTMLElement {
  if (rules.length === 0) return h('p', { class: 'muted' }, 'No watch rules in the config.');
  return h(
    'table',
    { id: 'rule-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'rule'), h('th', {}, 'in window / threshold'), h('th', {}, 'last firing'), h('th', {}, 'cooldown left'))),
    h(
      'tbody',
      {},
      rules.map((r) => {
        const windows = r.windows.length
          ? r.windows.map((w) => h('div', { class: 'window' }, `${w.count} / ${r.threshold}`, ` ${w.type}${w.target ? ` · ${w.target}` : ''}`))
          : [h('span', { class: 'muted' }, `0 / ${r.threshold}`)];
        const f = r.lastFiring;
        const last: Child[] = f
          ? [`${f.time.replace('T', ' ').slice(0, 19)} · ${f.count} ${f.type}${f.target ? ` · ${f.target}` : ''} → `, ...f.actions.map((a) => h('span', { class: `pill ${a.result}` }, `${a.action} ${a.result}`))]
          : [h('span', { class: 'muted' }, 'not yet')];
        const cooling = r.cooldowns.filter((c) => secondsLeft(c.until) > 0);
        const cooldown = cooling.length
          ? cooling.map((c) => h('div', { class: 'cooldown', 'data-until': c.until }, `${secondsLeft(c.until)} s`, ` ${c.action} ${c.target}`))
          : [h('span', { class: 'muted' }, '—')];
        return h('tr', { 'data-rule': r.id }, h('td', {}, h('code', {}, r.id), h('div', { class: 'muted' }, `${r.windowSeconds} s window${r.perTarget ? ', per target' : ''}`)), h('td', { class: 'windows' }, windows), h('td', { class: 'last-firing' }, last), h('td', { class: 'cooldowns' }, cooldown));
      }),
    ),
  );
}

function row(e: LiveRecordEvent | LiveActionEvent): HTMLElement {
  if (e.event === 'action') return h('div', { class: `action ${e.result}` }, `${e.time.slice(11, 19)} ACTION ${e.action} ${e.target ?? ''} → ${e.result}${e.reason ? ` (${e.reason})` : ''} [rule ${e.rule}, ${e.count} records]`);
  return h('div', { class: 'record', 'data-type': e.type }, `${(e.time ?? '').slice(11, 19)} ${e.type.padEnd(18)} ${e.file.split('/').pop()}:${e.line}  ${e.exception ? `${e.exception}: ` : ''}${e.message}`);
}

export function liveView(main: HTMLElement): () => void {
  const statusBox = h('section', { id: 'live-status' });
  const rulesBox = h('section', { id: 'rule-windows' });
  const list = h('div', { class: 'live-list', id: 'live-list', 'aria-live': 'polite' });
  const count = h('span', { class: 'muted' });
  main.append(statusBox, rulesBox, h('section', {}, h('h2', {}, 'Records and actions, newest first ', count), list));
  let seen = 0;

  const drawRules = (rules: RuleView[]) => fill(rulesBox, h('h2', {}, 'Rule windows'), ruleRows(rules));
  // Cooldowns count down between updates from the server.
  const tick = setInterval(() => {
    for (const el of rulesBox.querySelectorAll<HTMLElement>('.cooldown')) {
      const left = secondsLeft(el.dataset.until!);
      if (el.firstChild) el.firstChild.textContent = `${left} s`;
    }
  }, 1000);

  const add = (e: LiveRecordEvent | LiveActionEvent) => {
    list.prepend(row(e));
    seen++;
    while (list.childElementCount > MAX_ROWS) list.lastElementChild!.remove();
    count.textContent = `(${seen} since this page opened; the newest ${Math.min(seen, MAX_ROWS)} shown)`;
  };

  async function drawStatus(first: boolean): Promise<void> {
    try {
      const s = await api<LiveView>('GET', '/api/live');
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
      if (first) {
        drawRules(s.ruleViews ?? []);
        for (const e of s.recent ?? []) add(e);
      }
    } catch (err) {
      fill(statusBox, errorBox(err));
    }
  }

  const offRecord = on('record', add);
  const offAction = on('action', add);
  const offRules = on('rules', (e) => drawRules(e.rules));
  void drawStatus(true);
  const timer = setInterval(() => void drawStatus(false), 2000);
  return () => {
    offRecord();
    offAction();
    offRules();
    clearInterval(timer);
    clearInterval(tick);
  };
}
