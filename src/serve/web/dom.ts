// What every view shares: building elements without innerHTML (log text is never markup),
// the JSON API with the session's CSRF token, the URL as the view's state, and the one
// server-sent event stream.

import type { ServerEvents, SessionView } from '../view-types.js';

export type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, unknown> = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else if (k === 'value' && 'value' in el) (el as HTMLInputElement).value = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** The caller, as GET /api/session (then a sign-in) says. */
export const session: SessionView = { csrf: '', user: null, role: null, auth: false, live: false, uploadMaxBytes: 0 };

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** A call of the JSON API; T is the response's type from view-types. */
export async function api<T = unknown>(method: string, path: string, body?: unknown, raw?: { type: string; data: Blob }): Promise<T> {
  const headers: Record<string, string> = {};
  if (method !== 'GET' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
  let payload: BodyInit | undefined;
  if (raw) {
    headers['Content-Type'] = raw.type;
    payload = raw.data;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data.error ?? `${res.status} ${res.statusText}`);
  return data as T;
}

/** The view's state lives in the query string, so a link shows the same view. */
export function params(): URLSearchParams {
  return new URLSearchParams(location.search);
}

export function setParams(changes: Record<string, string | number | undefined | null>, push = true): void {
  const p = params();
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === null || v === '') p.delete(k);
    else p.set(k, String(v));
  }
  const qs = p.toString();
  const url = location.pathname + (qs ? `?${qs}` : '');
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
  window.dispatchEvent(new Event('statechange'));
}

export function go(path: string, query: Record<string, string | undefined> = {}): void {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) p.set(k, v);
  const qs = p.toString();
  history.pushState(null, '', path + (qs ? `?${qs}` : ''));
  window.dispatchEvent(new Event('navigate'));
}

type EventName = keyof ServerEvents;
type Handler = (data: never) => void;
/** Every event the server sends: the compiler checks that none is missing. */
const EVENTS: Record<EventName, true> = { hello: true, progress: true, records: true, step: true, circuits: true, record: true, action: true, note: true, rules: true };
const handlers = new Map<EventName, Set<Handler>>();
let source: EventSource | undefined;

/** Listen to a server-sent event; returns the function that stops listening. */
export function on<E extends EventName>(event: E, fn: (data: ServerEvents[E]) => void): () => void {
  if (!source) {
    source = new EventSource('/api/events');
    for (const name of Object.keys(EVENTS) as EventName[]) {
      source.addEventListener(name, (e) => {
        const data = JSON.parse((e as MessageEvent).data) as never;
        for (const f of handlers.get(name) ?? []) f(data);
      });
    }
  }
  if (!handlers.has(event)) handlers.set(event, new Set());
  handlers.get(event)!.add(fn);
  return () => handlers.get(event)!.delete(fn);
}

export function errorBox(err: unknown): HTMLElement {
  return h('p', { class: 'error', role: 'alert' }, (err as Error).message ?? String(err));
}

export const fmtBytes = (n: number) => (n >= 1 << 30 ? `${(n / (1 << 30)).toFixed(2)} GiB` : n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`);

/** A coloured square; the colour goes through the CSSOM (the CSP forbids style attributes). */
export function swatch(color: string): HTMLElement {
  const el = h('span', { class: 'swatch', 'aria-hidden': 'true' }, '■ ');
  el.style.color = color;
  return el;
}

/** Replace an element's children, skipping the empty ones (null, undefined, false). */
export function fill(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren(...children.flat().filter((c): c is Node | string | number => c !== null && c !== undefined && c !== false).map((c) => (c instanceof Node ? c : String(c))));
}
