// The Recovery view: the plan for a diagnosis as `recover --dry-run` shows it, each step
// approved on its own (the server runs it through the policy, lock and journal and records
// who approved), its progress and verified result as it happens; the journal with filters;
// open circuits with a reset that asks first.

import type { CircuitResetView, CircuitsView, HistoryView, PlanView, StepView } from '../view-types.js';
import { api, errorBox, h, on, params, session, setParams, fill } from './dom.js';
import { loadAnalysis, picker } from './loader.js';

const operator = () => session.role === 'operator';

export function recoveryView(main: HTMLElement): () => void {
  const planBox = h('section', { id: 'plan' });
  const circuitsBox = h('section', { id: 'circuits' });
  const historyBox = h('section', { id: 'history' });
  main.append(picker(), planBox, h('div', { class: 'grid' }, circuitsBox, historyBox));
  const stepEls = new Map<number, HTMLElement>();
  let analysisId = '';

  async function drawPlan(): Promise<void> {
    stepEls.clear();
    let s;
    try {
      fill(planBox, h('p', { class: 'muted' }, params().get('file') || params().get('a') ? 'planning…' : 'Pick a log to see its recovery plan.'));
      s = await loadAnalysis();
      if (!s) return;
      analysisId = s.id;
      const plan = await api<PlanView>('GET', `/api/analyses/${encodeURIComponent(s.id)}/plan`);
      fill(planBox, 
        h('h2', {}, `Recovery plan for ${s.name}`),
        h('p', { class: 'muted' }, plan.config ? `config ${plan.config}` : 'no config file: nothing is allowed, every step is skipped', operator() ? '' : ' — you may look, not act (role viewer)'),
        plan.steps.length === 0 && plan.manual.length === 0 ? h('p', {}, 'Nothing to recover: no failure with an action was found.') : null,
        h('div', {}, plan.steps.map((st) => stepEl(st))),
        plan.manual.length ? h('div', {}, h('h2', {}, 'For a person'), plan.manual.map((m) => h('p', {}, `${m.type} (${m.count}×): no automatic action — ${m.advice}`))) : null,
      );
    } catch (err) {
      fill(planBox, errorBox(err));
    }
  }

  function stepEl(st: StepView): HTMLElement {
    const status = h('div', { class: 'status' });
    const actions = h('div', { class: 'row' });
    const el = h('div', { class: 'step', 'data-step': st.index, 'data-action': st.action }, h('div', {}, h('strong', {}, `${st.index + 1}. ${st.action}`), ' ', h('code', {}, st.target)), h('div', {}, st.skip ? h('span', { class: 'skipped' }, `skip: ${st.skip}`) : st.change), h('div', { class: 'muted' }, `because: ${st.trigger.type} at ${st.trigger.file}:${st.trigger.line}${st.records > 1 ? ` (+${st.records - 1} more)` : ''}`), status, actions);
    stepEls.set(st.index, el);
    showState(el, st);
    return el;
  }

  function showState(el: HTMLElement, st: StepView): void {
    const status = el.querySelector('.status') as HTMLElement;
    const actions = el.querySelector('.row') as HTMLElement;
    fill(actions);
    if (st.done) {
      const d = st.done;
      fill(status, h('span', { class: d.result }, d.result), ` approved by ${d.approvedBy ?? '?'}`, d.durationMs ? ` · ${(d.durationMs / 1000).toFixed(1)} s` : '', d.error || d.reason ? ` — ${d.error ?? d.reason}` : '', d.after !== undefined ? h('pre', {}, `before ${JSON.stringify(d.before)}\nafter  ${JSON.stringify(d.after)}`) : null);
      return;
    }
    if (st.preview?.policy) fill(status, h('span', { class: 'skipped' }, `policy now: ${st.preview.policy} — ${st.preview.reason ?? ''}`));
    if (st.skip || !operator()) return;
    const approve = h('button', { class: 'primary', 'data-approve': st.index }, 'Approve…');
    approve.addEventListener('click', () => {
      // Asks first: the change is spelled out before it is carried out.
      fill(actions, 
        h('span', {}, `Carry out ${st.action} on ${st.target}? `),
        h('button', { class: 'danger', 'data-confirm': st.index, onclick: () => void run(el, st) }, 'Yes, carry it out'),
        h('button', { onclick: () => showState(el, st) }, 'Cancel'),
      );
    });
    actions.append(approve);
  }

  async function run(el: HTMLElement, st: StepView): Promise<void> {
    const status = el.querySelector('.status') as HTMLElement;
    (el.querySelector('.row') as HTMLElement).replaceChildren();
    fill(status, h('span', { class: 'muted' }, 'running…'));
    try {
      const done = await api<StepView>('POST', `/api/analyses/${encodeURIComponent(analysisId)}/steps/${st.index}/approve`);
      showState(el, done);
    } catch (err) {
      fill(status, errorBox(err));
    }
    void drawHistory();
    void drawCircuits();
  }

  async function drawCircuits(): Promise<void> {
    try {
      const { circuits } = await api<CircuitsView>('GET', '/api/circuits');
      const open = circuits.filter((c) => c.open);
      fill(circuitsBox, 
        h('h2', {}, 'Circuit breakers'),
        open.length === 0 ? h('p', { class: 'ok', id: 'no-open-circuit' }, 'No circuit is open.') : null,
        h('table', {}, h('tbody', {}, circuits.map((c) => {
          const cell = h('td', {});
          if (operator()) {
            const reset = h('button', { 'data-reset': `${c.action} ${c.target}` }, 'Reset…');
            reset.addEventListener('click', () => fill(cell, h('span', {}, 'Close this circuit? '), h('button', { class: 'danger', 'data-confirm-reset': `${c.action} ${c.target}`, onclick: () => void resetOne(c.action, c.target) }, 'Yes, reset'), h('button', { onclick: () => void drawCircuits() }, 'Cancel')));
            cell.append(reset);
          }
          return h('tr', { 'data-circuit': `${c.action} ${c.target}` }, h('td', { class: c.open ? 'failed' : 'muted' }, c.open ? `OPEN since ${c.openedAt}` : 'closed'), h('td', {}, c.action), h('td', {}, h('code', {}, c.target)), cell);
        }))),
      );
    } catch (err) {
      fill(circuitsBox, h('h2', {}, 'Circuit breakers'), errorBox(err));
    }
  }

  async function resetOne(action: string, target: string): Promise<void> {
    try {
      const answer = await api<CircuitResetView>('POST', '/api/circuits/reset', { action, target });
      await drawCircuits();
      // With a fleet policy store the server closes the fleet's circuits too; say which.
      if (answer.fleet) {
        const closed = answer.fleet.closed.length ? answer.fleet.closed.join(', ') : 'none open';
        circuitsBox.append(h('p', { class: 'muted', 'data-fleet-reset': '' }, `Fleet circuits closed: ${closed}`));
      }
    } catch (err) {
      circuitsBox.append(errorBox(err));
      return;
    }
    void drawHistory();
  }

  async function drawHistory(): Promise<void> {
    const p = params();
    const chosenAction = p.get('ha') ?? '';
    const chosenResult = p.get('hr') ?? '';
    try {
      const q = new URLSearchParams({ limit: '100' });
      if (chosenAction) q.set('action', chosenAction);
      if (chosenResult) q.set('result', chosenResult);
      const { entries, total, actions, results } = await api<HistoryView>('GET', `/api/history?${q}`);
      // The choices are what the journal holds (user-defined actions too), and the one in the URL.
      const options = (values: string[], chosen: string) => [...new Set(chosen ? [...values, chosen] : values)].map((v) => h('option', { value: v }, v));
      const action = h('select', { 'aria-label': 'action filter', id: 'history-action' }, h('option', { value: '' }, 'all actions'), options(actions, chosenAction));
      action.value = chosenAction;
      const result = h('select', { 'aria-label': 'result filter', id: 'history-result' }, h('option', { value: '' }, 'all results'), options(results, chosenResult));
      result.value = chosenResult;
      const apply = () => setParams({ ha: action.value, hr: result.value }, false);
      action.addEventListener('change', apply);
      result.addEventListener('change', apply);
      fill(historyBox, 
        h('h2', {}, `History (${total} journal entries)`),
        h('div', { class: 'row' }, action, result),
        h('table', { id: 'history-table' }, h('tbody', {}, entries.map((e) => h('tr', {}, h('td', {}, e.time.replace('T', ' ').slice(0, 19)), h('td', { class: e.result }, e.result), h('td', {}, e.action), h('td', {}, h('code', {}, e.target)), h('td', {}, e.error ?? e.reason ?? (e.result === 'ok' ? e.change ?? '' : '')), h('td', { class: 'approver' }, e.approvedBy ? `approved by ${e.approvedBy}` : ''))))),
      );
    } catch (err) {
      fill(historyBox, h('h2', {}, 'History'), errorBox(err));
    }
  }

  const off = on('step', (e) => {
    // Another tab (or person) approving a step of this plan: show it here too.
    if (e.analysis !== analysisId) return;
    const el = stepEls.get(e.index);
    if (!el) return;
    const status = el.querySelector('.status') as HTMLElement;
    switch (e.state) {
      case 'running':
        fill(status, h('span', { class: 'muted' }, `running (approved by ${e.by})…`));
        break;
      case 'done':
        showState(el, e.step);
        break;
      case 'error':
        // Not carried out (another run held the lock, the state dir failed): it may be approved again.
        fill(status, errorBox(e.error));
        break;
      default:
        e satisfies never;
    }
  });
  const offCircuits = on('circuits', () => void drawCircuits());
  const onState = () => {
    void drawPlan();
    void drawHistory();
  };
  window.addEventListener('statechange', onState);
  void drawPlan();
  void drawCircuits();
  void drawHistory();
  return () => {
    off();
    offCircuits();
    window.removeEventListener('statechange', onState);
  };
}
