// The page's entry: sign in when the server asks for it, then draw the view the URL names
// (Diagnosis, Recovery, Live, Catalog); links and the back button change views in place.

import type { LoginView, SessionView } from '../view-types.js';
import { api, ApiError, errorBox, h, session, fill } from './dom.js';
import { diagnosisView } from './diagnosis.js';
import { recoveryView } from './recovery.js';
import { liveView } from './live.js';
import { catalogView } from './catalog.js';

type View = (main: HTMLElement) => (() => void) | void;
const VIEWS: Record<string, View> = { diagnosis: diagnosisView, recovery: recoveryView, live: liveView, catalog: catalogView };

const main = document.getElementById('main')!;
let leave: (() => void) | void;

function viewName(): string {
  const name = location.pathname.replace(/^\/+/, '').split('/')[0];
  return name in VIEWS ? name : 'diagnosis';
}

function render(): void {
  if (leave) leave();
  leave = undefined;
  const name = viewName();
  for (const a of document.querySelectorAll<HTMLAnchorElement>('header nav a')) a.classList.toggle('active', a.dataset.nav === name);
  fill(main);
  document.title = `logmedic · ${name}`;
  leave = VIEWS[name](main);
}

function showWho(): void {
  const who = document.getElementById('who')!;
  fill(who);
  if (!session.user) return;
  who.append(`${session.user} (${session.role})`);
  if (session.auth) {
    who.append(' ', h('button', { onclick: async () => { await api('POST', '/api/logout'); location.reload(); } }, 'Sign out'));
  }
}

function loginForm(): void {
  const name = h('input', { name: 'name', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const msg = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'login' }, h('h2', {}, 'Sign in to logmedic'), h('label', {}, 'Name ', name), h('label', {}, 'Password ', password), h('button', { class: 'primary', type: 'submit' }, 'Sign in'), msg);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const s = await api<LoginView>('POST', '/api/login', { name: name.value, password: password.value });
      Object.assign(session, { user: s.user, role: s.role, csrf: s.csrf });
      showWho();
      render();
    } catch (err) {
      msg.textContent = (err as ApiError).message;
    }
  });
  fill(main, form);
}

async function start(): Promise<void> {
  try {
    Object.assign(session, await api<SessionView>('GET', '/api/session'));
  } catch (err) {
    fill(main, errorBox(err));
    return;
  }
  document.addEventListener('click', (e) => {
    const a = (e.target as HTMLElement).closest('a');
    if (!a || a.origin !== location.origin || a.target || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    history.pushState(null, '', a.pathname + a.search);
    render();
  });
  window.addEventListener('popstate', render);
  window.addEventListener('navigate', render);
  showWho();
  if (!session.user) loginForm();
  else render();
}

void start();
