import test from 'ava';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync, closeSync, appendFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { runCli, startWatching, type WatchChild } from './_child.js';
import { assertExactlyOnce, assertNoneTwiceAtMostOneSliceLost, infoLine, oomLine, sleep, tempDir, waitFor } from './_helpers.js';

async function stopWith(c: WatchChild, signal: NodeJS.Signals): Promise<number | null> {
  c.proc.kill(signal);
  return (await c.exited).code;
}

test('kill -9 and restart: nothing reported twice, at most one slice lost, while a writer keeps appending', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const args = [log, '--state-dir', join(dir, 'state')];
  const a = await startWatching(t, args, dir);
  // The writer runs through the kill, the downtime and the restart, however slow the machine.
  let written = 0;
  let stopAt = Infinity;
  const writer = (async () => {
    const fd = openSync(log, 'a');
    while (written < stopAt) {
      writeSync(fd, infoLine(written) + oomLine(written));
      written++;
      if (written % 5 === 0) await sleep(2);
    }
    closeSync(fd);
  })();
  await waitFor(() => a.records().length >= 300, '300 records from the first run');
  a.proc.kill('SIGKILL');
  await a.exited;
  const writtenAtKill = written;
  await sleep(200);
  t.true(written > writtenAtKill, 'lines were written while no watch ran');
  const b = await startWatching(t, args, dir);
  await waitFor(() => b.records().length >= 100, 'records from the second run');
  stopAt = written + 200;
  await writer;
  const total = written;
  // On a timeout the assertion below names what is missing.
  await waitFor(() => a.records().length + b.records().length >= total, `all ${total} records`, 60_000).catch(() => undefined);
  await sleep(500); // a few more polls: a duplicate would show now
  t.is(await stopWith(b, 'SIGTERM'), 0);
  assertNoneTwiceAtMostOneSliceLost(t, a.records(), b.records(), total);
});

test('SIGTERM flushes the checkpoint and exits 0; the next run reports only what is new', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, oomLine(900)); // before the first run: history, not reported
  const args = [log, '--state-dir', join(dir, 'state')];
  const a = await startWatching(t, args, dir);
  appendFileSync(log, oomLine(0) + oomLine(1));
  await waitFor(() => a.records().length === 2, 'two records');
  t.is(await stopWith(a, 'SIGTERM'), 0);
  t.false(existsSync(join(dir, 'state', 'watch.lock')), 'the lock is released');
  const cp = JSON.parse(readFileSync(join(dir, 'state', 'watch-checkpoint.json'), 'utf8'));
  t.is(cp.files[0].offset, readFileSync(log).length);
  appendFileSync(log, oomLine(2));
  const b = await startWatching(t, args, dir);
  appendFileSync(log, oomLine(3));
  await waitFor(() => b.records().length === 2, 'two new records');
  t.deepEqual(b.records().map((r) => r.line), [4, 5]);
  t.is(await stopWith(b, 'SIGINT'), 0);
  assertExactlyOnce(t, [...a.records(), ...b.records()], 4);
});

test('a rule fires at its threshold; its window carries across a restart', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const args = [log, '--state-dir', join(dir, 'state'), '--rule', 'OutOfMemory:3/1h', '--dry-run'];
  const a = await startWatching(t, args, dir);
  appendFileSync(log, oomLine(0) + oomLine(1));
  await waitFor(() => a.records().length === 2, 'two records');
  t.is(await stopWith(a, 'SIGTERM'), 0);
  t.deepEqual(a.actions(), []);
  const b = await startWatching(t, args, dir);
  appendFileSync(log, oomLine(2));
  await waitFor(() => b.actions().length > 0, 'the rule to fire');
  const act = b.actions()[0];
  t.is(act.rule, 'OutOfMemory:3/3600s');
  t.is(act.count, 3);
  t.is(act.type, 'OutOfMemory');
  t.true(act.dryRun);
  t.deepEqual(act.record, { file: log, line: 3 });
  // The window started over: one more record does not fire again.
  appendFileSync(log, oomLine(3));
  await waitFor(() => b.records().length === 2, 'the next record');
  await sleep(300);
  t.is(new Set(b.actions().map((x) => x.time)).size, 1);
});

test('circuit breaker: restarts that fail their health check open the circuit, and it stays open across a restart', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  mkdirSync(join(dir, 'run'));
  const config = join(dir, 'logmedic.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      services: { app: { start: [process.execPath, '-e', 'setInterval(() => {}, 1000)'], pidFile: 'run/app.pid', health: ['false'], healthTimeoutSeconds: 1, stopTimeoutSeconds: 2, default: true } },
      policy: { cooldownSeconds: 0, circuit: { maxAttempts: 2, windowSeconds: 3600 }, maxActionsPerHour: 100 },
      watch: { rules: [{ type: 'ProcessCrash', threshold: 1, windowSeconds: 60 }] },
    }),
  );
  t.teardown(() => {
    try {
      process.kill(Number(readFileSync(join(dir, 'run', 'app.pid'), 'utf8')), 'SIGKILL');
    } catch {
      // not started or already gone
    }
  });
  const crash = (i: number) => `${new Date().toISOString()} ERROR app: Segmentation fault (core dumped) (job=${i})\n`;
  const args = [log, '--state-dir', join(dir, 'state'), '--config', config, '--yes'];
  const a = await startWatching(t, args, dir);
  const restarts = (c: WatchChild) => c.actions().filter((x) => x.action === 'restart_service');
  for (let i = 0; i < 2; i++) {
    appendFileSync(log, crash(i));
    await waitFor(() => restarts(a).length === i + 1, `restart ${i + 1}`, 60_000);
  }
  t.deepEqual(restarts(a).map((x) => x.result), ['failed', 'failed']);
  t.is(restarts(a)[0].target, 'service:app');
  t.is(await stopWith(a, 'SIGTERM'), 0);

  const b = await startWatching(t, args, dir);
  appendFileSync(log, crash(2));
  await waitFor(() => restarts(b).length === 1, 'the third firing', 60_000);
  t.is(restarts(b)[0].result, 'circuit-open');
  await waitFor(() => /escalation: circuit open/.test(b.stderr()), 'the escalation message');
  const journal = readFileSync(join(dir, 'state', 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  t.deepEqual(journal.filter((j) => j.action === 'restart_service' && j.kind !== 'attempt').map((j) => j.policy ?? j.result), ['failed', 'failed', 'circuit-open']);
});

test('SIGHUP reloads the config; a broken config is reported and the old one kept', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const config = join(dir, 'logmedic.config.yaml');
  writeFileSync(config, 'watch:\n  rules:\n    - { type: OutOfMemory, threshold: 100, windowSeconds: 60 }\n');
  const c = await startWatching(t, [log, '--state-dir', join(dir, 'state'), '--config', config, '--dry-run'], dir);
  appendFileSync(log, oomLine(0));
  await waitFor(() => c.records().length === 1, 'a record');
  writeFileSync(config, 'watch:\n  rules:\n    - { type: OutOfMemory, threshold: 1, windowSeconds: 60 }\n');
  c.proc.kill('SIGHUP');
  await waitFor(() => /config reloaded: 1 rule/.test(c.stderr()), 'the reload');
  appendFileSync(log, oomLine(1));
  await waitFor(() => c.actions().length > 0, 'the new rule to fire');
  t.is(c.actions()[0].rule, 'OutOfMemory:1/60s');

  writeFileSync(config, 'watch:\n  rules:\n    - { type: OutOfMemory, threshold: zero }\n');
  c.proc.kill('SIGHUP');
  await waitFor(() => /config reload failed, keeping the previous one: .*watch\.rules\[0\]\.threshold/.test(c.stderr()), 'the failed reload');
  const before = c.actions().length;
  appendFileSync(log, oomLine(2));
  await waitFor(() => c.actions().length > before, 'the old rule still firing');
  t.is(await stopWith(c, 'SIGTERM'), 0);
});

function httpGet(url: string): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body, type: String(res.headers['content-type']) }));
    }).on('error', reject);
  });
}

test('metrics: a real HTTP scrape on the loopback shows records by type, actions by result, bytes behind', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const c = await startWatching(t, [log, '--state-dir', join(dir, 'state'), '--metrics', '0', '--rule', 'OutOfMemory:2/60s', '--dry-run'], dir);
  const m = /metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(c.stderr());
  t.truthy(m, c.stderr());
  const url = `http://127.0.0.1:${m![1]}/metrics`;
  appendFileSync(log, oomLine(0) + oomLine(1) + `${new Date().toISOString()} ERROR disk: No space left on device\n` + infoLine(2));
  await waitFor(() => c.records().length === 3 && c.actions().length > 0, 'records and the action');
  const r = await httpGet(url);
  t.is(r.status, 200);
  t.regex(r.type, /^text\/plain; version=0\.0\.4/);
  t.regex(r.body, /^logmedic_watch_records_total\{type="OutOfMemory"\} 2$/m);
  t.regex(r.body, /^logmedic_watch_records_total\{type="DiskSpace"\} 1$/m);
  t.regex(r.body, /^logmedic_watch_actions_total\{result="[a-z-]+"\} [1-9]\d*$/m);
  t.regex(r.body, new RegExp(`^logmedic_watch_bytes_behind\\{file="${log.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"\\} 0$`, 'm'));
  t.regex(r.body, /^# TYPE logmedic_watch_circuit_open gauge$/m);
  t.is((await httpGet(url.replace('/metrics', '/nope'))).status, 404);
  t.is(await stopWith(c, 'SIGTERM'), 0);
});

test('bad input: one line on stderr and exit code 2, never a stack trace', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  writeFileSync(join(dir, 'bad.json'), '{"watch": {"rules": [{"type": "OutOfMemory", "threshold": -1, "windowSeconds": 5}]}}');
  const cases: [string[], RegExp][] = [
    [['watch', dir], /is a directory/],
    [['watch', log, '--rule', 'OutOfMemory'], /--rule "OutOfMemory": expected TYPE:N\/WINDOW/],
    [['watch', log, '--metrics', '70000'], /--metrics must be a whole number from 0 to 65535/],
    [['watch', log, '--config', join(dir, 'bad.json')], /bad\.json: watch\.rules\[0\]\.threshold must be an integer >= 1/],
    [['watch', log, '--config', join(dir, 'missing.yaml')], /missing\.yaml: cannot read the config file/],
    [['watch', log, '--yes', '--dry-run'], /--yes and --dry-run contradict/],
    [['watch'], /^logmedic: watch needs log files or globs \(or --journal\)$/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(t, [...args, '--state-dir', join(dir, 'state')], dir);
    t.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    t.is(lines.length, 1, r.stderr);
    t.regex(lines[0], /^logmedic: /);
    t.regex(lines[0], message);
  }
});

test('a second watch on the same state dir is refused while the first runs', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const a = await startWatching(t, [log, '--state-dir', join(dir, 'state')], dir);
  const r = await runCli(t, ['watch', log, '--state-dir', join(dir, 'state')], dir);
  t.is(r.code, 2);
  t.regex(r.stderr, new RegExp(`^logmedic: another watch \\(pid ${a.proc.pid}\\) uses the state dir`));
  t.is(await stopWith(a, 'SIGTERM'), 0);
});

test('a type and pattern only in the config are recognised by watch and fire its rule with the config\'s actionMap', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const config = join(dir, 'logmedic.config.json');
  const flexlm = { id: 'LicenseExpired/flexlm', type: 'LicenseExpired', pattern: 'license (?:has )?expired', origin: 'flexlm', match: ['ERROR: license has expired'], noMatch: ['license valid until 2030'] };
  const seats = { id: 'LicenseExpired/seats', type: 'LicenseExpired', pattern: 'no license seats left', origin: 'flexlm', match: ['no license seats left'], noMatch: ['license seats: 3 left'] };
  const write = (patterns: object[]) =>
    writeFileSync(
      config,
      JSON.stringify({
        catalog: { types: [{ name: 'LicenseExpired', category: 'other', description: 'the licence server refused us', zh: '许可证过期', priority: 50 }], patterns },
        actions: { renew_license: { command: ['true'], timeoutSeconds: 5 } },
        actionMap: { LicenseExpired: ['renew_license'] },
        watch: { rules: [{ type: 'LicenseExpired', threshold: 1, windowSeconds: 60 }] },
      }),
    );
  write([flexlm]);
  const c = await startWatching(t, [log, '--state-dir', join(dir, 'state'), '--config', config, '--dry-run'], dir);
  appendFileSync(log, `${new Date().toISOString()} ERROR render: feature RENDER: license has expired (job=0)\n`);
  await waitFor(() => c.actions().length > 0, 'the config rule to fire');
  t.like(c.records()[0], { type: 'LicenseExpired', patternId: 'LicenseExpired/flexlm', line: 1 });
  t.like(c.actions()[0], { rule: 'LicenseExpired:1/60s', action: 'renew_license', dryRun: true });
  // SIGHUP brings a new pattern into the watch's analyzer.
  write([flexlm, seats]);
  c.proc.kill('SIGHUP');
  await waitFor(() => /config reloaded/.test(c.stderr()), 'the reload');
  appendFileSync(log, `${new Date().toISOString()} ERROR render: no license seats left (job=1)\n`);
  await waitFor(() => c.records().length === 2, 'the record of the reloaded pattern');
  t.like(c.records()[1], { type: 'LicenseExpired', patternId: 'LicenseExpired/seats', line: 2 });
  t.is(await stopWith(c, 'SIGTERM'), 0);
});
