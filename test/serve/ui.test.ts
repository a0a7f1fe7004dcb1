// The web UI in a real headless Chromium: analyze a log and filter it by clicking the chart,
// open a record; approve a restore_backup step and find the file restored and journaled with
// its approver, and a step that cannot start shown as such on every open page; reset an open
// circuit and filter the history by a config's own action; see an appended line arrive live;
// try a pattern.
// Screenshots of each page go to SHOTS (docs/images/serve when LOGMEDIC_SCREENSHOTS says so).
import test from 'ava';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireRunLock, applyRecoveryActions, circuits, readJournal } from '../../src/recovery/index.js';
import { loadServeConfig } from '../../src/serve/config.js';
import { hashPassword } from '../../src/serve/auth.js';
import { runCli } from '../cli/_run.js';
import { browser, hasChromium, openPage, serve, SHOTS, world } from './_world.js';

const browserTest = hasChromium ? test.serial : test.serial.skip;
if (!hasChromium) console.log('serve ui.test: /usr/bin/chromium is absent; the browser tests are skipped (apt-get install chromium)');

browserTest('Diagnosis: the chart is drawn, a click on a bar filters the records, a record opens with its frames and context', async (t) => {
  const w = world();
  const server = await serve(w);
  const b = await browser();
  try {
    const { page, problems } = await openPage(b, server.url);
    await page.goto(`${server.url}/diagnosis`);
    await page.selectOption('#log-select', w.log);
    await page.click('#analyze');
    await page.waitForSelector('#types tr[data-type="OutOfMemory"]');
    t.regex(await page.textContent('#types') ?? '', /OutOfMemory\s*2/);
    t.regex(await page.textContent('#types') ?? '', /ConnectionError\s*3/);
    t.regex(await page.textContent('#types') ?? '', /restore_backup/);
    await page.waitForSelector('#chart canvas');
    await page.screenshot({ path: join(SHOTS, 'diagnosis.png') });

    // The bars run from 10:01 to 10:07; 10:05 holds the two out-of-memory records only.
    const over = (await page.locator('#chart .u-over').boundingBox())!;
    const x = over.x + (over.width * (5 - 1)) / (7 - 1);
    await page.mouse.move(x, over.y + over.height - 4);
    t.regex(await page.textContent('#chart .u-legend') ?? '', /OutOfMemory\s*2/);
    await page.mouse.click(x, over.y + over.height - 4);
    await page.waitForURL(/type=OutOfMemory/);
    const url = new URL(page.url());
    t.is(url.searchParams.get('from'), '2025-05-17T10:05');
    t.is(url.searchParams.get('to'), '2025-05-17T10:06');
    await page.waitForFunction(() => document.querySelectorAll('#records-table tbody tr').length === 2);
    const types = await page.locator('#records-table tbody tr td:nth-child(2)').allTextContents();
    t.deepEqual(types, ['OutOfMemory', 'OutOfMemory']);

    await page.locator('#records-table tbody tr').first().click();
    await page.waitForSelector('#record-text');
    t.regex(await page.textContent('#record-text') ?? '', /Traceback[\s\S]*torch\.cuda\.OutOfMemoryError: CUDA out of memory/);
    t.regex(await page.textContent('#record') ?? '', /src\/core\/processor\.py:120\s*process_batch\s*app/);
    t.regex(await page.locator('#record pre.context').first().textContent() ?? '', /Connection refused/);
    await page.locator('#record').screenshot({ path: join(SHOTS, 'record.png') });

    // The URL is the state: a fresh page at the same address shows the same filtered view.
    const again = await openPage(b, server.url);
    await again.page.goto(page.url());
    await again.page.waitForSelector('#record-text');
    t.is(await again.page.locator('#records-table tbody tr').count(), 2);

    // Dragging across the chart chooses a time range: 10:01 to 10:02 holds the three connection errors.
    await again.page.getByRole('button', { name: 'Clear', exact: true }).click();
    await again.page.waitForURL((u) => !u.searchParams.has('type'));
    await again.page.waitForSelector('#chart canvas');
    const box = (await again.page.locator('#chart .u-over').boundingBox())!;
    const y = box.y + box.height / 2;
    await again.page.mouse.move(box.x + 2, y);
    await again.page.mouse.down();
    await again.page.mouse.move(box.x + box.width * 0.22, y, { steps: 5 }); // to 10:02:19
    await again.page.mouse.up();
    await again.page.waitForURL(/from=/);
    const range = new URL(again.page.url()).searchParams;
    t.is(range.get('from'), '2025-05-17T10:01');
    t.is(range.get('to'), '2025-05-17T10:03');
    t.false(range.has('type'));
    await again.page.waitForFunction(() => document.querySelectorAll('#records-table tbody tr').length === 3);
    t.deepEqual(await again.page.locator('#records-table tbody tr td:nth-child(2)').allTextContents(), ['ConnectionError', 'ConnectionError', 'ConnectionError']);
    t.deepEqual([...problems, ...again.problems], []);
  } finally {
    await b.close();
    await server.close();
  }
});

browserTest('Diagnosis: the Unrecognised groups are listed with the type the model inferred, apart from the matched types', async (t) => {
  const w = world();
  const log = join(w.root, 'logs/fetcher.log');
  writeFileSync(
    log,
    [
      '2025-05-17 10:00:01,000 - fetcher - ERROR - lookup of registry.internal failed: name not known',
      '2025-05-17 10:00:02,000 - fetcher - ERROR - lookup of mirror.internal failed: name not known',
      '2025-05-17 10:00:02,100 - fetcher - ERROR - lookup of cache.internal failed: name not known',
      '2025-05-17 10:00:02,200 - fetcher - ERROR - lookup of auth.internal failed: name not known',
      '2025-05-17 10:00:03,000 - fetcher - ERROR - unexpected state transition from RUNNING to PAUSED for job 81',
      '2025-05-17 10:00:04,000 - fetcher - ERROR - OSError: [Errno 28] No space left on device',
      '',
    ].join('\n'),
  );
  const server = await serve(w);
  const b = await browser();
  try {
    const { page, problems } = await openPage(b, server.url);
    await page.goto(`${server.url}/diagnosis`);
    await page.selectOption('#log-select', log);
    await page.click('#analyze');
    await page.waitForSelector('#unrecognised-table tbody tr');
    t.regex(await page.textContent('#unrecognised h2') ?? '', /Unrecognised \(5 error-level lines\)/);
    const rows = await page.locator('#unrecognised-table tbody tr').allTextContents();
    t.is(rows.length, 2);
    t.regex(rows[0], /^4inferred DNSError \(\d+%\)lookup of <\*> failed: name not known/);
    t.regex(rows[1], /^1no confident typeunexpected state transition/);
    t.is(await page.locator('#unrecognised .inferred').count(), 1);
    // Only the pattern-matched type is a type of the log.
    t.deepEqual(await page.locator('#types tr[data-type]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-type'))), ['DiskSpace']);
    await page.locator('#unrecognised').screenshot({ path: join(SHOTS, 'unrecognised.png') });
    t.deepEqual(problems, []);
  } finally {
    await b.close();
    await server.close();
  }
});

browserTest('Recovery: approving restore_backup restores the model and journals the step with its approver; a circuit reset asks first', async (t) => {
  const w = world();
  const config = loadServeConfig(w.configFile).config;
  // Open a circuit the real way: an action that keeps failing (maxAttempts 2: two failures,
  // then the third try finds the circuit open).
  for (let i = 0; i < 3; i++) await applyRecoveryActions(['page_oncall'], { config });
  const open = circuits({ config }).find((c) => c.action === 'page_oncall' && c.open);
  t.truthy(open);
  const server = await serve(w);
  const b = await browser();
  try {
    const { page, problems } = await openPage(b, server.url);
    // A second tab on the same plan sees the step's progress and result as they happen.
    const other = await openPage(b, server.url);
    await other.page.goto(`${server.url}/recovery?file=${encodeURIComponent(w.log)}`);
    await other.page.locator('.step[data-action="restore_backup"]').waitFor();
    await page.goto(`${server.url}/recovery?file=${encodeURIComponent(w.log)}`);
    const step = page.locator('.step[data-action="restore_backup"]');
    await step.waitFor();
    t.regex(await step.textContent() ?? '', /restore .*models\/clips\/clips_base\.pt from .*backups\/clips_base\.pt/);
    t.true(statSync(w.model).size < statSync(w.backup).size);
    await step.locator('[data-approve]').click();
    // Nothing has happened yet: the confirmation comes first.
    t.true(statSync(w.model).size < statSync(w.backup).size);
    await page.screenshot({ path: join(SHOTS, 'recovery.png') });
    await step.locator('[data-confirm]').click();
    await step.locator('.status .ok').waitFor();
    t.deepEqual(readFileSync(w.model), readFileSync(w.backup));
    await other.page.locator('.step[data-action="restore_backup"] .status .ok').waitFor();
    t.regex(await other.page.locator('.step[data-action="restore_backup"] .status').textContent() ?? '', /ok approved by /);
    const journal = readJournal(w.stateDir);
    const line = journal.find((e) => e.action === 'restore_backup');
    t.like(line, { result: 'ok', target: `file:${w.model}` });
    t.truthy(line?.approvedBy);
    const historyRow = page.locator('#history-table tr', { hasText: 'restore_backup' }).first();
    await historyRow.waitFor();
    t.is(await historyRow.locator('.approver').textContent(), `approved by ${line!.approvedBy}`);

    // The open circuit, and its reset: asked first, then closed and journaled.
    const row = page.locator('tr[data-circuit^="page_oncall"]');
    t.regex(await row.textContent() ?? '', /OPEN since/);
    await row.locator('[data-reset]').click();
    t.true(circuits({ config }).some((c) => c.action === 'page_oncall' && c.open));
    await row.locator('[data-confirm-reset]').click();
    await page.locator('#no-open-circuit').waitFor();
    t.false(circuits({ config }).some((c) => c.open));
    const reset = readJournal(w.stateDir).at(-1)!;
    t.like(reset, { action: 'reset', policy: 'reset', target: `page_oncall ${open!.target}`, after: { closed: [`page_oncall ${open!.target}`] } });
    t.is(typeof (reset.after as { by?: unknown }).by, 'string');
    await page.screenshot({ path: join(SHOTS, 'recovery-done.png') });

    // The history's filters offer what the journal holds, the config's own actions too.
    await page.locator('#history-action option[value="reset"]').waitFor({ state: 'attached' });
    const offered = await page.locator('#history-action option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    t.deepEqual(offered, ['', ...new Set(readJournal(w.stateDir).map((e) => e.action))].sort());
    t.true(offered.includes('page_oncall'));
    await page.selectOption('#history-action', 'page_oncall');
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('#history-table tr td:nth-child(3)')];
      return cells.length > 0 && cells.every((td) => td.textContent === 'page_oncall');
    });
    t.is(await page.locator('#history-table tr').count(), readJournal(w.stateDir).filter((e) => e.action === 'page_oncall').length);
    t.is(new URL(page.url()).searchParams.get('ha'), 'page_oncall');
    t.deepEqual([...problems, ...other.problems], []);
  } finally {
    await b.close();
    await server.close();
  }
});

browserTest('Recovery: a step that cannot start (another run holds the lock) shows why on every open page, and can be approved again', async (t) => {
  const w = world();
  const server = await serve(w);
  const b = await browser();
  // This process holds the run lock, as a `recover` running beside the server would.
  const release = acquireRunLock(w.stateDir);
  try {
    const { page, problems } = await openPage(b, server.url);
    const other = await openPage(b, server.url);
    for (const p of [other.page, page]) {
      await p.goto(`${server.url}/recovery?file=${encodeURIComponent(w.log)}`);
      await p.locator('.step[data-action="restore_backup"]').waitFor();
    }
    const step = page.locator('.step[data-action="restore_backup"]');
    await step.locator('[data-approve]').click();
    await step.locator('[data-confirm]').click();
    await step.locator('.status .error').waitFor();
    t.regex(await step.locator('.status').textContent() ?? '', /another logmedic run \(PID \d+\) holds .*run\.lock/);
    // The other page is told too, rather than showing the step as running for ever.
    const seen = other.page.locator('.step[data-action="restore_backup"] .status .error');
    await seen.waitFor();
    t.regex(await seen.textContent() ?? '', /another logmedic run/);
    t.true(statSync(w.model).size < statSync(w.backup).size);
    t.deepEqual(readJournal(w.stateDir), []);

    // Once the lock is free, the same step is approved again from the other page and runs.
    release();
    const again = other.page.locator('.step[data-action="restore_backup"]');
    await again.locator('[data-approve]').click();
    await again.locator('[data-confirm]').click();
    await again.locator('.status .ok').waitFor();
    t.deepEqual(readFileSync(w.model), readFileSync(w.backup));
    t.deepEqual([...problems, ...other.problems].filter((p) => !/409/.test(p)), []);
  } finally {
    release();
    await b.close();
    await server.close();
  }
});

browserTest('Live: a line appended to a watched file appears in the open tab, with the action its rule plans; the tab stays bounded', async (t) => {
  const w = world(['watch: { rules: [{ type: OutOfMemory, threshold: 1, windowSeconds: 60 }] }']);
  const live = join(w.root, 'logs/live.log');
  appendFileSync(live, '2025-05-17 11:00:00,000 - visionai_processor - INFO - started\n');
  const server = await serve(w, { watch: [live] });
  const b = await browser();
  try {
    const { page, problems } = await openPage(b, server.url);
    await page.goto(`${server.url}/live`);
    await page.getByText(/Watching .*live\.log/).waitFor();
    t.regex(await page.textContent('#live-status') ?? '', /rules: OutOfMemory:1\/60s/);
    appendFileSync(live, '2025-05-17 11:00:05,000 - visionai_processor - ERROR - torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.00 GiB\n');
    const row = page.locator('#live-list .record[data-type="OutOfMemory"]');
    await row.waitFor({ timeout: 30_000 });
    t.regex(await row.textContent() ?? '', /live\.log:2 .*CUDA out of memory/);
    // Without --yes the rule only plans, as `logmedic watch` does: each planned action shows as a
    // dry run, or skipped with the reason (nothing is configured for it in this world).
    const action = page.locator('#live-list .action').first();
    await action.waitFor({ timeout: 30_000 });
    t.regex(await action.textContent() ?? '', /ACTION \w+ .*→ (dry-run|skipped).*\[rule OutOfMemory:1\/60s, 1 records\]/);

    // A burst: the tab keeps the newest 500 rows, whatever arrives.
    appendFileSync(live, Array.from({ length: 600 }, (_, i) => `2025-05-17 11:01:${String(i % 60).padStart(2, '0')},000 - api_client - ERROR - ConnectionRefusedError: [Errno 111] Connection refused (burst ${i})\n`).join(''));
    await page.waitForFunction(() => /burst 599/.test(document.querySelector('#live-list > div')?.textContent ?? ''), undefined, { timeout: 60_000 });
    t.is(await page.locator('#live-list > div').count(), 500);
    await page.locator('#live-status').getByText(/KiB read · caught up/).waitFor();
    t.regex(await page.textContent('#live-status') ?? '', /ConnectionError 600/);
    await page.screenshot({ path: join(SHOTS, 'live.png') });
    t.deepEqual(problems, []);
    // One owner of a state dir at a time, as with `logmedic watch`: a second serve --watch is refused.
    const second = await runCli(['serve', '--port', '0', '--config', w.configFile, '--watch', live]);
    t.is(second.code, 2);
    t.regex(second.stderr, /^logmedic: another watch \(pid \d+\) uses the state dir/);
  } finally {
    await b.close();
    await server.close();
  }
});

browserTest('Live: each rule\'s window counts up to its threshold as lines arrive, then shows its last firing and the cooldown it started', async (t) => {
  const w = world([
    'watch: { rules: [{ type: ConnectionError, threshold: 3, windowSeconds: 600 }, { type: DiskSpace, threshold: 2, windowSeconds: 60 }] }',
    'actionMap: { ConnectionError: [page_oncall] }',
  ]);
  // A cooldown long enough to be seen counting down; page_oncall always fails, once is no circuit.
  writeFileSync(w.configFile, readFileSync(w.configFile, 'utf8').replace('cooldownSeconds: 0', 'cooldownSeconds: 600'));
  const live = join(w.root, 'logs/live.log');
  appendFileSync(live, '2025-05-17 11:00:00,000 - api_client - INFO - started\n');
  const server = await serve(w, { watch: [live], yes: true });
  const b = await browser();
  // Stamped now, in local time as such logs are: a window holds records of the last windowSeconds.
  const stamp = (d = new Date()) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${d.toTimeString().slice(0, 8)},000`;
  const refused = () => `${stamp()} - api_client - ERROR - ConnectionRefusedError: [Errno 111] Connection refused (host=10.0.0.7, port=6379)\n`;
  try {
    const { page, problems } = await openPage(b, server.url);
    await page.goto(`${server.url}/live`);
    const rule = page.locator('#rule-table tr[data-rule="ConnectionError:3/600s"]');
    await rule.waitFor();
    t.is(await rule.locator('.windows').textContent(), '0 / 3');
    t.is(await rule.locator('.last-firing').textContent(), 'not yet');
    t.regex(await page.locator('#rule-table tr[data-rule="DiskSpace:2/60s"]').textContent() ?? '', /60 s window.*0 \/ 2.*not yet/);

    // Each appended line moves the window, pushed to the open tab (no reload).
    appendFileSync(live, refused());
    await rule.locator('.windows', { hasText: '1 / 3 ConnectionError' }).waitFor({ timeout: 30_000 });
    appendFileSync(live, refused());
    await rule.locator('.windows', { hasText: '2 / 3 ConnectionError' }).waitFor({ timeout: 30_000 });
    t.is(await page.locator('#rule-table tr[data-rule="DiskSpace:2/60s"] .windows').textContent(), '0 / 2', 'another rule\'s window is untouched');

    // The third crosses the threshold: the rule fires, its window starts over, the failed
    // page_oncall starts the policy's cooldown, shown counting down.
    appendFileSync(live, refused());
    await rule.locator('.last-firing', { hasText: 'page_oncall failed' }).waitFor({ timeout: 30_000 });
    t.regex(await rule.locator('.last-firing').textContent() ?? '', /3 ConnectionError → page_oncall failed/);
    t.is(await rule.locator('.windows').textContent(), '0 / 3');
    const cooldown = rule.locator('.cooldowns .cooldown');
    await cooldown.waitFor();
    const left = Number(/^(\d+) s page_oncall /.exec(await cooldown.textContent() ?? '')?.[1]);
    t.true(left > 0 && left <= 600, `cooldown left: ${left}`);
    // The journal agrees: one failed page_oncall, carried out by the watch.
    t.like(readJournal(w.stateDir).filter((e) => e.action === 'page_oncall'), [{ result: 'failed' }]);
    await page.screenshot({ path: join(SHOTS, 'live-rules.png') });
    t.deepEqual(problems, []);
  } finally {
    await b.close();
    await server.close();
  }
});

browserTest('Catalog: types and patterns with samples; a pattern tried on a log shows its lines and what the catalog makes of them', async (t) => {
  const w = world();
  const server = await serve(w);
  const b = await browser();
  try {
    const { page, problems } = await openPage(b, server.url);
    await page.goto(`${server.url}/catalog?type=OutOfMemory`);
    await page.getByRole('heading', { name: 'Patterns of OutOfMemory' }).waitFor();
    t.regex(await page.textContent('#catalog-patterns') ?? '', /must not match/);
    t.regex(await page.locator('#catalog-types tr', { hasText: 'ModelCorruption' }).textContent() ?? '', /restore_backup/);
    await page.fill('input[aria-label="pattern"]', 'Connection refused');
    await page.click('#try');
    await page.locator('#try-count').waitFor();
    t.regex(await page.textContent('#try-count') ?? '', /^3 of 17 lines match/);
    t.is(await page.locator('#tester tbody tr').filter({ hasText: 'ConnectionError' }).count(), 3);
    await page.screenshot({ path: join(SHOTS, 'catalog.png') });
    t.deepEqual(problems, []);
  } finally {
    await b.close();
    await server.close();
  }
});

browserTest('Sign-in: with users, the page asks for a name and password; a viewer sees the plan without approve buttons', async (t) => {
  const w = world(['  users:', `    - { name: bob, role: viewer, password: "${hashPassword('battery staple')}" }`]);
  const server = await serve(w);
  const b = await browser();
  try {
    const { page, problems } = await openPage(b, server.url);
    await page.goto(`${server.url}/recovery?file=${encodeURIComponent(w.log)}`);
    await page.fill('input[name="name"]', 'bob');
    await page.fill('input[name="password"]', 'wrong password');
    await page.click('form.login button[type="submit"]');
    await page.getByText('wrong name or password').waitFor();
    await page.fill('input[name="password"]', 'battery staple');
    await page.click('form.login button[type="submit"]');
    await page.locator('.step[data-action="restore_backup"]').waitFor();
    t.regex(await page.textContent('#who') ?? '', /bob \(viewer\)/);
    t.is(await page.locator('[data-approve]').count(), 0);
    t.is(await page.locator('[data-reset]').count(), 0);
    t.true(statSync(w.model).size < statSync(w.backup).size);
    // The wrong password was a failed request (401) the page showed; nothing else went wrong.
    t.deepEqual(problems.filter((p) => !/401/.test(p)), []);
  } finally {
    await b.close();
    await server.close();
  }
});
