// The web UI's HTTP server (fastify): the page, its scripts and uPlot from this process (no
// CDN), and a JSON API over the same library as the CLI — diagnosis (LogAnalyzer), plan and
// step-by-step recovery (planRecovery, applyRecoveryActions under the policy, lock and
// journal), history and circuits, the live watch, and the catalog. Every request passes the
// same gate: host and origin checks, authentication, role, CSRF for anything that changes.

import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ErrorRecoveryMap } from '../recovery/action-map.js';
import { LogmedicError, namedAs } from '../errors.js';
import { applyRecoveryActions, circuits, closeCircuits, readJournal, RunLockBusy, type StepReport } from '../recovery/index.js';
import { PatternSet } from '../scan.js';
import { Analyses, bars, contextLines, recordsPage, type Analysis, type OnProgress, type RecordFilter } from './analysis.js';
import { Auth, parseCookies, type Session } from './auth.js';
import type { Role, ServeConfig } from './config.js';
import { LogRoots } from './logs.js';
import { pageHtml, STYLE_CSS } from './page.js';
import { LiveFeed, type Emit } from './live.js';
import type { CatalogView, CircuitResetView, CircuitsView, HistoryView, LiveView, LoginView, LogoutView, LogsView, PlanView, RecordDetailView, RecordsPageView, ServerEvents, SessionView, StepOutcomeView, StepView, SummaryView, TryView } from './view-types.js';

export interface ServeOptions {
  host: string;
  port: number;
  config: ServeConfig;
  tls?: { cert: Buffer; key: Buffer };
  /** Logs to follow on the Live page (as `logmedic watch PATHS`). */
  watch?: string[];
  /** Let watch rules carry out recovery (as `watch --yes`); otherwise they only plan. */
  yes?: boolean;
  signal?: AbortSignal;
}

export interface Caller {
  user: string;
  role: Role;
  /** Where the CSRF token a change must carry is kept (session or, without users, the server's). */
  csrf: string;
  session?: Session;
  bearer?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;
export const isLoopback = (host: string) => LOOPBACK.test(host.replace(/^\[|\]$/g, ''));

const PAGES = ['/', '/diagnosis', '/recovery', '/live', '/catalog'];
const PAGE_SIZE_MAX = 200;
const SSE_BUFFER_MAX = 1 << 20;

const CSP = ["default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"].join('; ');

/** The compiled front end: beside this module once built (dist/serve/web), or dist/ when run from source. */
function webDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'web'), join(here, '..', '..', 'dist', 'serve', 'web')];
  const found = candidates.find((d) => existsSync(join(d, 'app.js')));
  if (!found) throw new LogmedicError('E_INTERNAL', 'the web UI is not built (npm run build:ts)');
  return found;
}

function uplotFile(name: string): string {
  return createRequire(import.meta.url).resolve(`uplot/dist/${name}`);
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** One server-sent event as written on the stream. */
const sseText = <E extends keyof ServerEvents>(event: E, data: ServerEvents[E]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

export async function createServer(options: ServeOptions): Promise<{ app: FastifyInstance; url: string; close: () => Promise<void> }> {
  const { config } = options;
  const auth = new Auth(config.serve.users);
  if (!isLoopback(options.host) && !auth.required) {
    throw new LogmedicError('E_USAGE', `refusing to listen on ${options.host} without authentication: add serve.users to the config (a password hash from \`logmedic serve --hash-password\`), or bind to 127.0.0.1`);
  }
  const web = webDir();
  const roots = new LogRoots(config.serve.logs);
  const analyses = new Analyses(() => config.config, {
    signal: options.signal,
    // The pages that showed the first records can now page through all of them.
    onRecords: (a) => broadcast('records', { analysis: a.id, kept: a.records.length }),
  });
  const uploads = join(config.config.state.dir, 'uploads');
  const clients = new Set<FastifyReply>();
  const secure = options.tls !== undefined;

  const broadcast: Emit = (event, data) => {
    const text = sseText(event, data);
    for (const c of clients) {
      // A client that stopped reading is dropped rather than buffered without bound.
      if (c.raw.writableLength > SSE_BUFFER_MAX) {
        c.raw.end();
        clients.delete(c);
      } else c.raw.write(text);
    }
  };

  const live = options.watch?.length ? new LiveFeed({ paths: options.watch, config, yes: options.yes === true, signal: options.signal, emit: broadcast }) : undefined;

  const app = Fastify({
    logger: false,
    bodyLimit: 1 << 20,
    ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key } } : {}),
  } as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;

  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: Math.max(1, config.serve.uploadMaxBytes) }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    if (err instanceof HttpError) return reply.code(err.status).send({ error: err.message });
    if (err instanceof RunLockBusy) return reply.code(409).send({ error: err.message });
    if (err instanceof LogmedicError) {
      // A truncated or corrupt log is the sender's bad input, as an invalid pattern is.
      const badInput = ['E_PATTERN', 'E_INVALID_ARG', 'E_USAGE', 'E_TRUNCATED', 'E_CORRUPT', 'E_IS_DIRECTORY'].includes(err.code);
      const status = err.code === 'E_NOT_FOUND' ? 404 : err.code === 'E_PERMISSION' ? 403 : badInput ? 400 : 500;
      return reply.code(status).send({ error: err.message, code: err.code });
    }
    if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send({ error: err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? `upload larger than ${config.serve.uploadMaxBytes} bytes` : err.message });
    return reply.code(500).send({ error: 'internal error' });
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('Content-Security-Policy', CSP);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Cross-Origin-Resource-Policy', 'same-origin');
    if (secure) reply.header('Strict-Transport-Security', 'max-age=31536000');
    // DNS rebinding: on loopback, only loopback names may be asked for.
    const host = String(req.headers.host ?? '').replace(/:\d+$/, '');
    if (isLoopback(options.host) && !isLoopback(host)) throw new HttpError(421, `unexpected Host ${host}`);

    const url = req.url.split('?')[0];
    if (!url.startsWith('/api/')) return; // the page and its assets: public, they hold no data
    reply.header('Cache-Control', 'no-store');
    const change = req.method !== 'GET' && req.method !== 'HEAD';
    req.caller = identify(req);
    const sentOrigin = req.headers.origin;
    // Same-origin only: a page elsewhere is refused even for reads, and a change must say it
    // comes from here — except a bearer token's, which no browser attaches on its own.
    if (sentOrigin !== undefined || (change && !req.caller?.bearer)) {
      if (sentOrigin !== `${secure ? 'https' : 'http'}://${req.headers.host}`) throw new HttpError(403, 'cross-origin request refused');
    }
    if (url === '/api/session' || url === '/api/login') return;
    if (!req.caller) throw new HttpError(401, 'sign in first');
    if (change && !req.caller.bearer && !auth.checkCsrf(req.caller.csrf, str(req.headers['x-csrf-token']))) throw new HttpError(403, 'missing or wrong CSRF token');
  });

  function identify(req: FastifyRequest): Caller | undefined {
    if (!auth.required) return { user: process.env.USER || process.env.USERNAME || 'local', role: 'operator', csrf: auth.localCsrf };
    const h = req.headers.authorization;
    if (h?.startsWith('Bearer ')) {
      const u = auth.bearer(h.slice(7));
      return u ? { user: u.name, role: u.role, csrf: '', bearer: true } : undefined;
    }
    const s = auth.session(parseCookies(req.headers.cookie).logmedic_session);
    return s ? { user: s.user, role: s.role, csrf: s.csrf, session: s } : undefined;
  }

  const operator = (req: FastifyRequest) => {
    if (req.caller?.role !== 'operator') throw new HttpError(403, `${req.caller?.user ?? 'this user'} may only look (role viewer)`);
    return req.caller;
  };

  // --- page and assets ---------------------------------------------------------------------
  for (const p of PAGES) app.get(p, async (_req, reply) => reply.type('text/html; charset=utf-8').send(pageHtml()));
  app.get('/assets/style.css', async (_req, reply) => reply.type('text/css; charset=utf-8').send(STYLE_CSS));
  app.get('/assets/uPlot.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(createReadStream(uplotFile('uPlot.iife.min.js'))));
  app.get('/assets/uPlot.css', async (_req, reply) => reply.type('text/css; charset=utf-8').send(createReadStream(uplotFile('uPlot.min.css'))));
  app.get<{ Params: { name: string } }>('/assets/js/:name', async (req, reply) => {
    const name = req.params.name;
    if (!/^[a-z][a-z0-9-]*\.js$/.test(name) || !existsSync(join(web, name))) throw new HttpError(404, 'no such asset');
    return reply.type('text/javascript; charset=utf-8').send(readFileSync(join(web, name)));
  });

  // --- session -----------------------------------------------------------------------------
  app.get('/api/session', async (req): Promise<SessionView> => ({
    auth: auth.required,
    user: req.caller?.user ?? null,
    role: req.caller?.role ?? null,
    csrf: req.caller && !req.caller.bearer ? req.caller.csrf : null,
    live: live !== undefined,
    uploadMaxBytes: config.serve.uploadMaxBytes,
  }));

  app.post<{ Body: { name?: unknown; password?: unknown } }>('/api/login', async (req, reply): Promise<LoginView> => {
    if (!auth.required) return { user: req.caller!.user, role: req.caller!.role, csrf: req.caller!.csrf };
    const address = req.ip;
    if (auth.limited(address)) throw new HttpError(429, 'too many failed sign-ins; wait a minute');
    const name = str(req.body?.name);
    const password = str(req.body?.password);
    const s = name && password ? auth.login(name, password, address) : undefined;
    if (!s) throw new HttpError(401, 'wrong name or password');
    reply.header('Set-Cookie', `logmedic_session=${s.id}; HttpOnly; SameSite=Strict; Path=/${secure ? '; Secure' : ''}`);
    return { user: s.user, role: s.role, csrf: s.csrf };
  });

  app.post('/api/logout', async (req, reply): Promise<LogoutView> => {
    if (req.caller?.session) auth.logout(req.caller.session.id);
    reply.header('Set-Cookie', `logmedic_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${secure ? '; Secure' : ''}`);
    return { ok: true };
  });

  // --- diagnosis ---------------------------------------------------------------------------
  app.get('/api/logs', async (): Promise<LogsView> => ({ roots: config.serve.logs, logs: roots.list() }));

  const summary = (a: Analysis): SummaryView => ({
    id: a.id,
    name: a.name,
    files: a.diagnosis.files,
    bytes: a.diagnosis.bytes,
    lines: a.diagnosis.lines,
    elapsedMs: a.diagnosis.elapsedMs,
    engine: a.diagnosis.engine,
    types: a.diagnosis.errors.map((t) => ({ type: t.type, count: t.count, first: t.first, last: t.last, messages: t.messages, innermostFrame: t.innermostFrame, actions: t.actions })),
    bars: bars(a.diagnosis),
    unrecognised: a.diagnosis.unrecognised ?? { lines: 0, templates: [], others: 0 },
  });

  /** Progress of an analysis, to every page (the one that asked shows it while it waits). */
  const progressOf = (name: string): OnProgress => (p) => broadcast('progress', { name, phase: p.phase, bytes: p.bytes, total: p.total });

  app.post<{ Body: { file?: unknown } }>('/api/analyze', async (req) => {
    const file = str(req.body?.file);
    const real = file ? roots.resolve(file) : undefined;
    if (!file || !real) throw new HttpError(403, 'not one of the configured logs (serve.logs)');
    return summary(await analyses.ofFile(file, real, options.signal, progressOf(file)));
  });

  app.post<{ Querystring: { name?: string }; Body: Buffer }>('/api/upload', async (req) => {
    if (config.serve.uploadMaxBytes === 0) throw new HttpError(403, 'uploads are off (serve.uploadMaxMB: 0)');
    if (!Buffer.isBuffer(req.body)) throw new HttpError(415, 'send the log as application/octet-stream');
    const name = `upload:${basename(String(req.query.name ?? 'log')).replace(/[^\w.-]/g, '_').slice(0, 100)}`;
    // Kept in the state dir (outside every log root) only while it is analyzed.
    mkdirSync(uploads, { recursive: true, mode: 0o700 });
    // No .log suffix: a `**/*.log` glob over the state dir must not list the copy.
    const copy = join(uploads, `${randomBytes(12).toString('hex')}.upload`);
    writeFileSync(copy, req.body, { mode: 0o600, flag: 'wx' });
    try {
      return summary(await analyses.ofUpload(name, copy, options.signal, progressOf(name)));
    } catch (err) {
      // The copy's path is the server's business: the sender sees the name it sent.
      throw namedAs(err, copy, name);
    } finally {
      rmSync(copy, { force: true });
    }
  });

  const analysis = (id: string) => {
    const a = analyses.get(id);
    if (!a) throw new HttpError(404, 'that analysis is no longer kept; analyze the log again');
    return a;
  };

  app.get<{ Params: { id: string } }>('/api/analyses/:id', async (req) => summary(analysis(req.params.id)));

  app.get<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>('/api/analyses/:id/records', async (req): Promise<RecordsPageView> => {
    const a = analysis(req.params.id);
    const q = req.query;
    const filter: RecordFilter = { type: str(q.type), from: str(q.from), to: str(q.to), file: str(q.file), text: str(q.text) };
    const offset = Math.max(0, Number.parseInt(q.offset ?? '0', 10) || 0);
    const limit = Math.min(PAGE_SIZE_MAX, Math.max(1, Number.parseInt(q.limit ?? '50', 10) || 50));
    const page = await recordsPage(a, filter, offset, limit);
    const rows = page.records.map((r) => ({ index: r.index, type: r.type, file: r.file, line: r.line, endLine: r.endLine, time: r.time, level: r.level, message: r.message, exception: r.exception }));
    // kept: records there are to page through, known so far until complete.
    return { total: page.total, complete: page.complete, offset, limit, kept: a.records.length, records: rows };
  });

  app.get<{ Params: { id: string; n: string } }>('/api/analyses/:id/records/:n', async (req): Promise<RecordDetailView> => {
    const a = analysis(req.params.id);
    const n = Number.parseInt(req.params.n, 10);
    const r = n < a.records.length ? a.records[n] : (await a.allRecords)[n];
    if (!r) throw new HttpError(404, 'no such record');
    return { record: r, context: a.readable ? contextLines(a.readable, r) : { before: [], after: [] } };
  });

  // --- recovery ----------------------------------------------------------------------------
  const stepView = (a: Analysis, i: number): StepView => {
    const s = a.plan.steps[i];
    const p = a.preview[i];
    const done = a.done.get(i);
    return { index: i, action: s.action, target: s.target, change: s.change, skip: s.skip, trigger: s.trigger, records: s.records, detail: s.detail, preview: p ? { result: p.result, policy: p.policy, reason: p.reason } : undefined, done: done ? report(done) : undefined };
  };
  const report = (s: StepReport & { approvedBy?: string }): StepOutcomeView => ({ result: s.result, policy: s.policy, reason: s.reason, error: s.error, before: s.before, after: s.after, durationMs: s.durationMs, approvedBy: s.approvedBy });

  app.get<{ Params: { id: string } }>('/api/analyses/:id/plan', async (req): Promise<PlanView> => {
    const a = analysis(req.params.id);
    return { id: a.id, name: a.name, config: config.config.file ?? null, steps: a.plan.steps.map((_, i) => stepView(a, i)), manual: a.plan.manual };
  });

  app.post<{ Params: { id: string; n: string } }>('/api/analyses/:id/steps/:n/approve', async (req): Promise<StepView> => {
    const who = operator(req);
    const a = analysis(req.params.id);
    const i = Number.parseInt(req.params.n, 10);
    const step = a.plan.steps[i];
    if (!step) throw new HttpError(404, 'no such step');
    if (step.skip) throw new HttpError(409, `this step cannot be carried out: ${step.skip}`);
    const earlier = a.done.get(i);
    // One approval, one run: a second click (or tab) does not repeat a step; analyze again for a new plan.
    if (earlier) throw new HttpError(409, `this step was already carried out (${earlier.result}, approved by ${earlier.approvedBy})`);
    broadcast('step', { analysis: a.id, index: i, state: 'running', action: step.action, target: step.target, by: who.user });
    let out: StepReport | undefined;
    try {
      const r = await applyRecoveryActions({ steps: [step], manual: [] }, { config: config.config, signal: options.signal, approvedBy: who.user });
      out = r.steps[0];
    } catch (err) {
      broadcast('step', { analysis: a.id, index: i, state: 'error', error: (err as Error).message });
      throw err;
    }
    a.done.set(i, { ...out, approvedBy: who.user });
    const view = stepView(a, i);
    broadcast('step', { analysis: a.id, index: i, state: 'done', step: view });
    return view;
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/api/history', async (req): Promise<HistoryView> => {
    const q = req.query;
    const limit = Math.min(1000, Math.max(1, Number.parseInt(q.limit ?? '100', 10) || 100));
    const all = readJournal(config.config.state.dir);
    const entries = all.filter((e) => (!q.action || e.action === q.action) && (!q.result || e.result === q.result) && (!q.target || e.target.includes(q.target)));
    const distinct = (values: string[]) => [...new Set(values)].sort();
    return { entries: entries.slice(-limit).reverse(), total: entries.length, actions: distinct(all.map((e) => e.action)), results: distinct(all.map((e) => e.result)) };
  });

  app.get('/api/circuits', async (): Promise<CircuitsView> => ({ circuits: circuits({ config: config.config }) }));

  app.post<{ Body: { action?: unknown; target?: unknown } }>('/api/circuits/reset', async (req): Promise<CircuitResetView> => {
    const who = operator(req);
    const filter = { action: str(req.body?.action), target: str(req.body?.target) };
    const result: CircuitResetView = closeCircuits(config.config, filter, who.user);
    broadcast('circuits', { circuits: circuits({ config: config.config }) });
    const store = config.config.policy.store;
    if (!store) return result;
    // The fleet's circuits hold every host back: a person who fixed the cause closes them too.
    // An unreachable store answers within its connect timeout; this host's reset stands.
    const { resetFleetCircuits } = await import('../cluster/fleet-policy.js');
    try {
      result.fleet = await resetFleetCircuits(store, filter, who.user);
    } catch (err) {
      throw new HttpError(502, `closed here: ${result.closed.length ? result.closed.join(', ') : 'no open circuit'}; fleet circuits not reset: ${(err as Error).message}; reset again when the store answers`);
    }
    return result;
  });

  // --- live --------------------------------------------------------------------------------
  app.get('/api/events', (req, reply) => {
    reply.raw.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': CSP,
    });
    reply.raw.write(sseText('hello', { live: live?.status() ?? null }));
    clients.add(reply);
    req.raw.on('close', () => clients.delete(reply));
    reply.hijack();
  });

  app.get('/api/live', async (): Promise<LiveView> => {
    if (!live) return { watching: false };
    return { watching: true, ...live.status(), recent: live.recent() };
  });

  // --- catalog -----------------------------------------------------------------------------
  app.get('/api/catalog', async (): Promise<CatalogView> => {
    const catalog = analyses.catalog;
    return {
      types: catalog.types.map((t) => ({ name: t.name, category: t.category, description: t.description, priority: t.priority, actions: ErrorRecoveryMap.actionsFor(t.name, { ...ErrorRecoveryMap.ACTION_MAP, ...config.config.actionMap }), patterns: catalog.patterns.filter((p) => p.type === t.name).length })),
      patterns: catalog.patterns.map((p) => ({ id: p.id, type: p.type, pattern: p.pattern, origin: p.origin, match: p.match, noMatch: p.noMatch })),
    };
  });

  app.post<{ Body: { pattern?: unknown; file?: unknown } }>('/api/catalog/try', async (req): Promise<TryView> => {
    const pattern = str(req.body?.pattern);
    const file = str(req.body?.file);
    if (!pattern) throw new HttpError(400, 'give a pattern');
    const real = file ? roots.resolve(file) : undefined;
    if (!file || !real) throw new HttpError(403, 'not one of the configured logs (serve.logs)');
    let set: PatternSet;
    try {
      set = new PatternSet([pattern], { engine: 'regex' });
    } catch (err) {
      throw new HttpError(400, (err as Error).message);
    }
    const result = await set.scanFile(real, { maxHits: 200, maxTextBytes: 300, signal: options.signal });
    const p = result.patterns[0];
    // What the catalog makes of the same lines today: the records those lines belong to.
    const a = await analyses.ofFile(file, real, options.signal);
    const byLine = new Map<number, string>();
    for (const r of await a.allRecords) for (let l = r.line; l <= r.endLine; l++) byLine.set(l, r.type);
    return { lines: result.lines, count: p.count, hits: p.hits.map((h) => ({ line: h.line, text: h.text, now: byLine.get(h.line) ?? null })) };
  });

  // The watch takes the state dir first: when another process owns it, nothing listens.
  live?.start();
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (err) {
    await live?.stop();
    throw err;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : options.port;
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    app,
    url: `${secure ? 'https' : 'http'}://${hostPart}:${port}`,
    close: async () => {
      for (const c of clients) c.raw.end();
      clients.clear();
      await live?.stop();
      await app.close();
    },
  };
}
