import test from 'ava';
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, copyFileSync, mkdirSync, openSync, readFileSync, renameSync, rmdirSync, statSync, truncateSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { assertExactlyOnce, idOf, infoLine, oomLine, sleep, startWatcher, tempDir, waitFor } from './_helpers.js';

/** Append ids [from, to) through an open descriptor, with info lines between. */
function writeIds(fd: number, from: number, to: number): void {
  for (let i = from; i < to; i++) writeSync(fd, infoLine(i) + oomLine(i));
}

/** After the last id is in, give the watcher a few more polls to show a duplicate if it would. */
async function settle(w: { files: { offset: number; path: string }[] }, paths: string[]): Promise<void> {
  await waitFor(() => paths.every((p) => w.files.some((f) => f.path === p && f.offset === statSync(p).size)), 'the watcher to read everything');
  await sleep(400);
}

test('rotation by rename + create: the old file is drained, the new one read from its start', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const { w, records } = startWatcher(t, { paths: [log], stateDir: join(dir, 'state') });
  let fd = openSync(log, 'a');
  writeIds(fd, 0, 200);
  await waitFor(() => records.length >= 50, 'first records');
  renameSync(log, `${log}.1`);
  writeIds(fd, 200, 220); // the writer has not reopened yet: these go to app.log.1
  closeSync(fd);
  fd = openSync(log, 'a');
  writeIds(fd, 220, 400);
  closeSync(fd);
  await waitFor(() => records.length >= 400, 'all 400 records');
  await settle(w, [log]);
  assertExactlyOnce(t, records, 400);
  t.true(records.filter((r) => idOf(r.message)! >= 220).every((r) => r.file === log));
  t.is(records.find((r) => idOf(r.message) === 220)!.line, 2); // line numbers restart in the new file
});

for (const pattern of ['app.log', 'app.log*']) {
  test(`rotation by copytruncate (${pattern}): lines not yet read are taken from the copy, none twice`, async (t) => {
    const dir = tempDir();
    const log = join(dir, 'app.log');
    writeFileSync(log, '');
    const { w, records, notes } = startWatcher(t, { paths: [join(dir, pattern)], stateDir: join(dir, 'state') });
    const fd = openSync(log, 'a');
    writeIds(fd, 0, 100);
    await waitFor(() => records.length >= 100, 'first records');
    // Written, then copied and truncated before the watcher's next turn (same thread): the
    // watcher only finds these 100 lines in the copy.
    writeIds(fd, 100, 200);
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    writeIds(fd, 200, 210);
    await waitFor(() => records.length >= 210, 'all 210 records', 20_000).catch(() => undefined);
    writeIds(fd, 210, 300);
    closeSync(fd);
    await waitFor(() => records.length >= 300, 'all 300 records');
    await settle(w, [log]);
    assertExactlyOnce(t, records, 300);
    t.true(notes.some((n) => /truncated|replaced/.test(n)), notes.join('\n'));
    t.false(w.files.some((f) => f.path.endsWith('app.log.1')), 'the copy is not followed as a new file');
  });
}

test('a file deleted and re-created is read again from its start, the old one is drained', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const { w, records } = startWatcher(t, { paths: [log], stateDir: join(dir, 'state') });
  let fd = openSync(log, 'a');
  writeIds(fd, 0, 50);
  await waitFor(() => records.length >= 50, 'first records');
  unlinkSync(log);
  writeIds(fd, 50, 60); // still written to the deleted file
  closeSync(fd);
  await sleep(100);
  fd = openSync(log, 'a');
  writeIds(fd, 60, 120);
  closeSync(fd);
  await waitFor(() => records.length >= 120, 'all 120 records');
  await settle(w, [log]);
  assertExactlyOnce(t, records, 120);
});

test('rotated compressed files and renamed-away files are never read again as new', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const { w, records, notes } = startWatcher(t, { paths: [join(dir, 'app.log*')], stateDir: join(dir, 'state') });
  let fd = openSync(log, 'a');
  writeIds(fd, 0, 100);
  closeSync(fd);
  await waitFor(() => records.length >= 100, 'first records');
  renameSync(log, `${log}.1`); // matches the glob: same file, new name
  fd = openSync(log, 'a');
  writeIds(fd, 100, 150);
  closeSync(fd);
  await waitFor(() => records.length >= 150, 'records of the new file');
  // logrotate compresses the old one: new .gz written, .1 removed; plus a compressed
  // rotation without an extension.
  writeFileSync(`${log}.1.gz`, gzipSync(readFileSync(`${log}.1`)));
  unlinkSync(`${log}.1`);
  writeFileSync(`${log}.2`, gzipSync(readFileSync(`${log}.1.gz`)));
  fd = openSync(log, 'a');
  writeIds(fd, 150, 160);
  closeSync(fd);
  await waitFor(() => records.length >= 160, 'all records');
  await settle(w, [log]);
  assertExactlyOnce(t, records, 160);
  t.true(notes.some((n) => n.includes('app.log.2')), 'the compressed file without extension is named as not followed');
});

test('a partial last line is held until it is completed, then reported once', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const { w, records } = startWatcher(t, { paths: [log], stateDir: join(dir, 'state') });
  appendFileSync(log, infoLine(0) + '2024-01-01T00:00:00Z ERROR worker: CUDA out of mem');
  await waitFor(() => w.files[0]?.offset === statSync(log).size, 'the partial line to be read');
  await sleep(300); // several idle periods: still nothing, the line is not complete
  t.is(records.length, 0);
  appendFileSync(log, 'ory (job=0)\n');
  await waitFor(() => records.length === 1, 'the completed record');
  t.is(records[0].line, 2);
  // The whole line, not a piece: its header's time and the message after the header.
  t.like(records[0], { time: '2024-01-01T00:00:00Z', message: 'CUDA out of memory (job=0)' });
  await sleep(200);
  t.is(records.length, 1);
});

test('globs: files present at start begin at their end, files that appear later at their start', async (t) => {
  const dir = tempDir();
  mkdirSync(join(dir, 'logs', 'sub'), { recursive: true });
  const old = join(dir, 'logs', 'old.log');
  writeFileSync(old, oomLine(1000) + oomLine(1001)); // history: not reported
  const { w, records } = startWatcher(t, { paths: [join(dir, 'logs', '**', '*.log')], stateDir: join(dir, 'state') });
  await waitFor(() => w.files.length === 1, 'the existing file');
  appendFileSync(old, oomLine(0));
  const later = join(dir, 'logs', 'sub', 'new.log');
  writeFileSync(later, oomLine(1) + oomLine(2));
  writeFileSync(join(dir, 'logs', 'skip.txt'), oomLine(3)); // does not match
  await waitFor(() => records.length >= 3, 'three records');
  await settle(w, [old, later]);
  assertExactlyOnce(t, records, 3);
  t.deepEqual(records.find((r) => idOf(r.message) === 0)!.line, 3);
  t.deepEqual(records.filter((r) => r.file === later).map((r) => r.line), [1, 2]);
});

test('a restart resumes at the checkpoint, including a file rotated away while stopped', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  const state = join(dir, 'state');
  writeFileSync(log, '');
  const first = startWatcher(t, { paths: [log], stateDir: state });
  let fd = openSync(log, 'a');
  writeIds(fd, 0, 30);
  await waitFor(() => first.records.length >= 30, 'first records');
  await first.w.stop();
  writeIds(fd, 30, 40); // written while stopped
  renameSync(log, `${log}.1`);
  writeIds(fd, 40, 45); // and after the rotation, to the old file
  closeSync(fd);
  fd = openSync(log, 'a');
  writeIds(fd, 45, 60);
  closeSync(fd);
  const second = startWatcher(t, { paths: [log], stateDir: state });
  await waitFor(() => second.records.length >= 30, 'records after the restart');
  await settle(second.w, [log]);
  assertExactlyOnce(t, [...first.records, ...second.records], 60);
  t.true(second.notes.some((n) => n.includes('rotated to app.log.1')), second.notes.join('\n'));
});

test('a very fast writer: 50 MB appended by another process, every error line exactly once', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'fast.log');
  writeFileSync(log, '');
  const { w, records } = startWatcher(t, { paths: [log], stateDir: join(dir, 'state') });
  const total = 50 * 1024 * 1024;
  // One error line in 100; the writer prints how many it wrote.
  const script = `
    const fs = require('fs');
    const fd = fs.openSync(${JSON.stringify(log)}, 'a');
    let id = 0, bytes = 0, i = 0, batch = [];
    while (bytes < ${total}) {
      const line = i % 100 === 0 ? '2024-01-01T00:00:00Z ERROR w: CUDA out of memory (job=' + (id++) + ')\\n'
                                 : '2024-01-01T00:00:00Z INFO w: step ' + i + ' ok, nothing to see here at all\\n';
      batch.push(line); bytes += line.length; i++;
      if (batch.length === 997) { fs.writeSync(fd, batch.join('')); batch = []; }
    }
    fs.writeSync(fd, batch.join(''));
    process.stdout.write(String(id));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise((r) => child.on('close', r));
  const n = Number(out);
  t.true(n > 1000);
  await waitFor(() => records.length >= n, `${n} records`, 90_000);
  await settle(w, [log]);
  assertExactlyOnce(t, records, n);
});

test('copytruncate while the watch is stopped: the rest is read from the copy, the copy is not read as new', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  const state = join(dir, 'state');
  writeFileSync(log, '');
  const paths = [join(dir, 'app.log*')];
  const first = startWatcher(t, { paths, stateDir: state });
  const fd = openSync(log, 'a');
  writeIds(fd, 0, 40);
  await waitFor(() => first.records.length >= 40, 'first records');
  await first.w.stop();
  writeIds(fd, 40, 60); // written while stopped, before the rotation: only in the copy
  copyFileSync(log, `${log}.1`);
  truncateSync(log, 0);
  writeIds(fd, 60, 200); // the new content grows past the old offset
  closeSync(fd);
  const second = startWatcher(t, { paths, stateDir: state });
  await waitFor(() => first.records.length + second.records.length >= 200, 'all 200 records').catch(() => undefined);
  await settle(second.w, [log]);
  assertExactlyOnce(t, [...first.records, ...second.records], 200);
});

test('when the checkpoint cannot be written, records are still reported and it says so', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  const state = join(dir, 'state');
  writeFileSync(log, '');
  const { records, notes } = startWatcher(t, { paths: [log], stateDir: state });
  // The temp file the checkpoint is written through cannot be created (a directory is there).
  const blocker = join(state, `watch-checkpoint.json.tmp-${process.pid}`);
  mkdirSync(blocker);
  appendFileSync(log, oomLine(0) + oomLine(1));
  await waitFor(() => records.length === 2, 'the records, reported anyway');
  t.true(notes.some((n) => /cannot write the checkpoint \(EISDIR\)/.test(n)), notes.join('\n'));
  rmdirSync(blocker);
  appendFileSync(log, oomLine(2));
  await waitFor(() => records.length === 3, 'the next record');
  const cp = JSON.parse(readFileSync(join(state, 'watch-checkpoint.json'), 'utf8'));
  t.is(cp.files[0].offset, statSync(log).size);
  assertExactlyOnce(t, records, 3);
});
