// What the web UI refuses: requests without a session, changes without the CSRF token or
// from another origin, a viewer acting, a Host that is not this server (DNS rebinding),
// paths outside the configured logs however they are spelled, uploads over the limit, too
// many failed sign-ins; and a bind beyond loopback without users, which refuses to start.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { runCli } from '../cli/_run.js';
import { readJournal } from '../../src/recovery/index.js';
import { hashPassword, hashToken, LOGIN_FAILURES_ALLOWED } from '../../src/serve/auth.js';
import type { LogEntry, RecordRow, StepView, TypeRow } from '../../src/serve/view-types.js';
import { serve, world } from './_world.js';

const TOKEN = 'viewer-token-0123456789abcdef';
const OPS_TOKEN = 'operator-token-0123456789abcdef';

function usersWorld() {
  return world([
    '  uploadMaxMB: 0.001',
    '  users:',
    `    - { name: alice, role: operator, password: "${hashPassword('correct horse')}" }`,
    `    - { name: bob, role: viewer, password: "${hashPassword('battery staple')}" }`,
    `    - { name: ci, role: viewer, token: "${hashToken(TOKEN)}" }`,
    `    - { name: ops, role: operator, token: "${hashToken(OPS_TOKEN)}" }`,
  ]);
}

/** A raw HTTP request (fetch will not send a forged Host header). */
function raw(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let body: any = text;
        try {
          body = JSON.parse(text);
        } catch {}
        resolve({ status: res.statusCode!, headers: res.headers, body });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

async function login(url: string, name: string, password: string) {
  const r = await raw(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url }, body: JSON.stringify({ name, password }) });
  const cookie = String(r.headers['set-cookie'] ?? '').split(';')[0];
  return { status: r.status, cookie, csrf: r.body.csrf as string };
}

test('with users: no session is refused; a change needs the CSRF token and this origin; a viewer may look, not act; a bearer token reads', async (t) => {
  const w = usersWorld();
  const server = await serve(w);
  const url = server.url;
  const json = { 'content-type': 'application/json' };
  try {
    t.is((await raw(`${url}/api/logs`)).status, 401);
    t.is((await raw(`${url}/api/analyze`, { method: 'POST', headers: { ...json, origin: url }, body: JSON.stringify({ file: w.log }) })).status, 401);
    // The page itself is public and has no inline script (the CSP forbids it anyway).
    const page = await raw(`${url}/diagnosis`);
    t.is(page.status, 200);
    t.regex(String(page.headers['content-security-policy']), /script-src 'self'/);
    t.notRegex(String(page.headers['content-security-policy']), /unsafe-inline/);
    t.notRegex(page.body, /<script(?![^>]*\bsrc=)[^>]*>/);
    t.is(page.headers['x-frame-options'], 'DENY');

    const alice = await login(url, 'alice', 'correct horse');
    t.is(alice.status, 200);
    t.regex(alice.cookie, /^logmedic_session=/);
    const body = JSON.stringify({ file: w.log });
    t.is((await raw(`${url}/api/logs`, { headers: { cookie: alice.cookie } })).status, 200);
    t.is((await raw(`${url}/api/analyze`, { method: 'POST', headers: { ...json, cookie: alice.cookie, origin: url }, body })).status, 403, 'no CSRF token');
    t.is((await raw(`${url}/api/analyze`, { method: 'POST', headers: { ...json, cookie: alice.cookie, origin: url, 'x-csrf-token': 'guess' }, body })).status, 403, 'wrong CSRF token');
    t.is((await raw(`${url}/api/analyze`, { method: 'POST', headers: { ...json, cookie: alice.cookie, origin: 'http://evil.example', 'x-csrf-token': alice.csrf }, body })).status, 403, 'cross-origin');
    t.is((await raw(`${url}/api/analyze`, { method: 'POST', headers: { ...json, cookie: alice.cookie, 'x-csrf-token': alice.csrf }, body })).status, 403, 'no Origin on a change');
    const ok = await raw(`${url}/api/analyze`, { method: 'POST', headers: { ...json, cookie: alice.cookie, origin: url, 'x-csrf-token': alice.csrf }, body });
    t.is(ok.status, 200);
    // A cross-origin read is refused too (the browser would send its Origin).
    t.is((await raw(`${url}/api/analyses/${ok.body.id}`, { headers: { cookie: alice.cookie, origin: 'http://evil.example' } })).status, 403);

    const bob = await login(url, 'bob', 'battery staple');
    const plan = await raw(`${url}/api/analyses/${ok.body.id}/plan`, { headers: { cookie: bob.cookie } });
    t.is(plan.status, 200);
    const restore = plan.body.steps.find((s: StepView) => s.action === 'restore_backup');
    const approve = await raw(`${url}/api/analyses/${ok.body.id}/steps/${restore.index}/approve`, { method: 'POST', headers: { cookie: bob.cookie, origin: url, 'x-csrf-token': bob.csrf } });
    t.is(approve.status, 403);
    t.regex(approve.body.error, /role viewer/);
    t.is((await raw(`${url}/api/circuits/reset`, { method: 'POST', headers: { ...json, cookie: bob.cookie, origin: url, 'x-csrf-token': bob.csrf }, body: '{}' })).status, 403);

    t.is((await raw(`${url}/api/logs`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200);
    t.is((await raw(`${url}/api/logs`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status, 401);
    // A script with an operator token needs no CSRF token or Origin; a page elsewhere using it is still refused.
    const ops = { ...json, authorization: `Bearer ${OPS_TOKEN}` };
    t.is((await raw(`${url}/api/analyze`, { method: 'POST', headers: ops, body })).status, 200);
    t.is((await raw(`${url}/api/analyze`, { method: 'POST', headers: { ...ops, origin: 'http://evil.example' }, body })).status, 403);
    t.is((await raw(`${url}/api/analyses/${ok.body.id}/steps/${restore.index}/approve`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).status, 403, 'a viewer token may not act');

    // Sign-out ends the session.
    await raw(`${url}/api/logout`, { method: 'POST', headers: { cookie: alice.cookie, origin: url, 'x-csrf-token': alice.csrf } });
    t.is((await raw(`${url}/api/logs`, { headers: { cookie: alice.cookie } })).status, 401);
  } finally {
    await server.close();
  }
});

test('failed sign-ins are limited per address', async (t) => {
  const w = usersWorld();
  const server = await serve(w);
  try {
    for (let i = 0; i < LOGIN_FAILURES_ALLOWED; i++) t.is((await login(server.url, 'alice', `wrong ${i}`)).status, 401);
    t.is((await login(server.url, 'alice', 'correct horse')).status, 429, 'even the right password waits out the window');
  } finally {
    await server.close();
  }
});

test('paths outside the configured logs are refused: traversal, symlinks out of the root, other spellings, encoded separators', async (t) => {
  const w = world();
  mkdirSync(join(w.root, 'secret'));
  writeFileSync(join(w.root, 'secret/passwords.log'), '2025-05-17 10:00:00 ERROR MemoryError: out of memory\n');
  symlinkSync(join(w.root, 'secret/passwords.log'), join(w.root, 'logs/escape.log'));
  const server = await serve(w);
  const url = server.url;
  try {
    const session = (await raw(`${url}/api/session`)).body;
    const headers = { 'content-type': 'application/json', origin: url, 'x-csrf-token': session.csrf };
    const listed = (await raw(`${url}/api/logs`)).body.logs.map((l: LogEntry) => l.path);
    t.deepEqual(listed, [w.log], 'the symlink out of the root is not listed');
    for (const file of [
      join(w.root, 'secret/passwords.log'),
      `${w.root}/logs/../secret/passwords.log`,
      join(w.root, 'logs/escape.log'),
      `${w.root}/logs/%2e%2e%2fsecret/passwords.log`,
      `${w.root}/logs/..%2fsecret%2fpasswords.log`,
      `${w.root}//logs/visionai.log`,
      'logs/visionai.log',
      '/etc/passwd',
      `${w.log}\u0000`,
    ]) {
      const r = await raw(`${url}/api/analyze`, { method: 'POST', headers, body: JSON.stringify({ file }) });
      t.is(r.status, 403, file);
      const tried = await raw(`${url}/api/catalog/try`, { method: 'POST', headers, body: JSON.stringify({ file, pattern: 'memory' }) });
      t.is(tried.status, 403, file);
    }
    t.is((await raw(`${url}/api/analyze`, { method: 'POST', headers, body: JSON.stringify({ file: w.log }) })).status, 200);
    // Assets are named, never paths.
    for (const p of ['/assets/js/..%2f..%2f..%2fpackage.json', '/assets/js/%2e%2e/server.js', '/assets/js/../../package.json']) t.is((await raw(`${url}${p}`)).status, 404, p);
  } finally {
    await server.close();
  }
});

test('a Host that is not this server is refused (DNS rebinding); an upload over the limit is refused', async (t) => {
  const w = usersWorld();
  const server = await serve(w);
  try {
    t.is((await raw(`${server.url}/api/session`, { headers: { host: 'attacker.example:8377' } })).status, 421);
    const alice = await login(server.url, 'alice', 'correct horse');
    const big = await raw(`${server.url}/api/upload?name=big.log`, { method: 'POST', headers: { cookie: alice.cookie, origin: server.url, 'x-csrf-token': alice.csrf, 'content-type': 'application/octet-stream' }, body: Buffer.alloc(4096, 'x') });
    t.is(big.status, 413);
    t.regex(big.body.error, /larger than/);
  } finally {
    await server.close();
  }
});

test('serve refuses to start beyond loopback without users, and with a plain password in the config (one line, exit 2)', async (t) => {
  const w = world();
  const open = await runCli(['serve', '--host', '0.0.0.0', '--port', '0', '--config', w.configFile]);
  t.is(open.code, 2);
  t.regex(open.stderr, /^logmedic: refusing to listen on 0\.0\.0\.0 without authentication/);
  t.is(open.stderr.trim().split('\n').length, 1);
  const plain = world(['  users:', '    - { name: alice, role: operator, password: "correct horse" }']);
  const bad = await runCli(['serve', '--port', '0', '--config', plain.configFile]);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /^logmedic: .*serve\.users\[0\]\.password: must be a hash/);
  const half = await runCli(['serve', '--port', '0', '--config', w.configFile, '--tls-cert', 'x.pem']);
  t.is(half.code, 2);
  t.regex(half.stderr, /^logmedic: --tls-cert and --tls-key go together/);
});

test('with --tls-cert/--tls-key it speaks HTTPS only, with HSTS and a Secure session cookie', async (t) => {
  const w = usersWorld();
  const cert = join(w.root, 'cert.pem');
  const key = join(w.root, 'key.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  if (made.status !== 0) return t.pass('openssl could not make a certificate here; skipped');
  const server = await serve(w, { tls: { cert: readFileSync(cert), key: readFileSync(key) } });
  try {
    t.regex(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
      const req = httpsRequest(`${server.url}/api/login`, { method: 'POST', ca: readFileSync(cert), headers: { 'content-type': 'application/json', origin: server.url } }, (r) => {
        r.resume();
        r.on('end', () => resolve({ status: r.statusCode!, headers: r.headers }));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ name: 'alice', password: 'correct horse' }));
    });
    t.is(res.status, 200);
    t.regex(String(res.headers['set-cookie']), /HttpOnly; SameSite=Strict; Path=\/; Secure/);
    t.regex(String(res.headers['strict-transport-security']), /max-age=/);
    // Plain HTTP on the same port gets no answer from the API.
    await t.throwsAsync(raw(`${server.url.replace('https:', 'http:')}/api/session`));
  } finally {
    await server.close();
  }
});

test('an upload is analyzed from a copy in the state dir, which is gone afterwards; its records keep the uploaded name', async (t) => {
  const w = world();
  const server = await serve(w);
  try {
    const session = (await raw(`${server.url}/api/session`)).body;
    const headers = { origin: server.url, 'x-csrf-token': session.csrf, 'content-type': 'application/octet-stream' };
    const r = await raw(`${server.url}/api/upload?name=../../etc/app.log`, { method: 'POST', headers, body: readFileSync(w.log) });
    t.is(r.status, 200);
    t.is(r.body.name, 'upload:app.log');
    t.deepEqual(r.body.types.map((x: TypeRow) => [x.type, x.count]), [['ConnectionError', 3], ['OutOfMemory', 2], ['ModelCorruption', 1]]);
    const page = await raw(`${server.url}/api/analyses/${r.body.id}/records?type=OutOfMemory`);
    t.deepEqual(page.body.records.map((x: RecordRow) => `${x.file}:${x.line}`), ['upload:app.log:5', 'upload:app.log:10']);
    t.deepEqual(readdirSync(join(w.stateDir, 'uploads')), []);
  } finally {
    await server.close();
  }
});

test('a step is carried out once per approval: a second approval of the same step is refused and changes nothing', async (t) => {
  const w = world();
  const server = await serve(w);
  try {
    const session = (await raw(`${server.url}/api/session`)).body;
    const headers = { origin: server.url, 'x-csrf-token': session.csrf };
    const a = await raw(`${server.url}/api/analyze`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ file: w.log }) });
    const plan = await raw(`${server.url}/api/analyses/${a.body.id}/plan`);
    const restore = plan.body.steps.find((s: StepView) => s.action === 'restore_backup');
    const skipped = plan.body.steps.find((s: StepView) => s.skip);
    const first = await raw(`${server.url}/api/analyses/${a.body.id}/steps/${restore.index}/approve`, { method: 'POST', headers });
    t.is(first.status, 200);
    t.is(first.body.done.result, 'ok');
    const second = await raw(`${server.url}/api/analyses/${a.body.id}/steps/${restore.index}/approve`, { method: 'POST', headers });
    t.is(second.status, 409);
    t.regex(second.body.error, /already carried out \(ok, approved by /);
    const cannot = await raw(`${server.url}/api/analyses/${a.body.id}/steps/${skipped.index}/approve`, { method: 'POST', headers });
    t.is(cannot.status, 409);
    t.regex(cannot.body.error, /cannot be carried out: /);
    const lines = readJournal(w.stateDir);
    // One line for the step, with who approved it on it (the session's user on loopback).
    t.deepEqual(lines.map((e) => [e.action, e.result, e.approvedBy]), [['restore_backup', 'ok', session.user]]);
  } finally {
    await server.close();
  }
});
