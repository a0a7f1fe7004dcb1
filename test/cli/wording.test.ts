// Wording and small defects an operator meets, each read from the real executable's output:
// plural forms, advice that is not doubled, fits the language and the runtime, options that
// fail before work starts, and commands that leave nothing behind when there is nothing to do.
import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_ARGS, ROOT, cleanEnv, runCli } from './_run.js';
import { tempDir } from '../_tmp.js';

const dir = tempDir('logmedic-wording-');
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

test('a one-line log: "1 line", not "1 lines"', async (t) => {
  const r = await runCli(['analyze', file('one.log', 'java.lang.ClassNotFoundException: com.mysql.cj.jdbc.Driver\n')]);
  t.regex(r.stdout, /\(1 line, \d+ ms\)/);
  t.notRegex(r.stdout, /\b1 lines\b/);
});

test('advice without an automatic action is said once, and fits a Java class as well as a Python module', async (t) => {
  const r = await runCli(['analyze', join(dir, 'one.log'), '--lang', 'en']);
  t.is(r.code, 1, r.stderr);
  t.regex(r.stdout, /Found error: ImportError/);
  const advice = r.stdout.split('\n').find((l) => l.startsWith('No safe automatic action:'));
  t.truthy(advice, r.stdout);
  t.notRegex(advice!, /no safe automatic action/, 'not doubled');
  t.notRegex(advice!, /Python package/);
  t.regex(advice!, /class/);
  const io = await runCli(['analyze', file('io.log', '[ 12.345] blk_update_request: I/O error, dev sda, sector 2048\n'), '--lang', 'en']);
  const ioAdvice = io.stdout.split('\n').find((l) => l.startsWith('No safe automatic action:'));
  if (ioAdvice) t.is(ioAdvice.match(/no safe automatic action/gi)!.length, 1, ioAdvice);
});

test('--lang zh gives the advice in Chinese', async (t) => {
  const r = await runCli(['analyze', join(dir, 'one.log'), '--lang', 'zh']);
  const advice = r.stdout.split('\n').find((l) => l.startsWith('没有安全的自动操作:'));
  t.truthy(advice, r.stdout);
  t.regex(advice!, /安装记录中提到的包、模块或类/);
  t.notRegex(advice!, /install/);
});

test('--report into a missing directory fails before the analysis starts', async (t) => {
  // stdin stays open: an analysis would wait for it; the check must not.
  const child = spawn(process.execPath, [...NODE_ARGS, 'analyze', '-', '--report', join(dir, 'no-such-dir', 'x.html')], { cwd: ROOT, env: cleanEnv() });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  child.stdin.destroy();
  t.is(code, 2, stderr);
  t.is(stderr, `logmedic: ${join(dir, 'no-such-dir', 'x.html')}: cannot write the report (no such directory)\n`);
});

test('watch --rule with an unknown type is refused, as analyze --fail-on is', async (t) => {
  const r = await runCli(['watch', join(dir, 'one.log'), '--rule', 'OOM:3/60s', '--state-dir', join(dir, 'st-rule')]);
  t.is(r.code, 2);
  t.regex(r.stderr, /^logmedic: --rule "OOM:3\/60s": unknown error type "OOM" \(known: .*OutOfMemory/);
  t.is(r.stderr.trim().split('\n').length, 1);
  t.false(existsSync(join(dir, 'st-rule')), 'nothing written');
});

test('watch of a file that does not exist says so (and keeps waiting for it)', async (t) => {
  const child = spawn(process.execPath, [...NODE_ARGS, 'watch', 'nope.log', '--state-dir', join(dir, 'st-nope')], { cwd: dir, env: cleanEnv() });
  let stderr = '';
  const seen = new Promise<void>((resolve) => {
    child.stderr.on('data', (d) => {
      stderr += d;
      if (/no such file yet/.test(stderr)) resolve();
    });
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
  await Promise.race([seen, new Promise((r) => child.on('close', r))]);
  child.kill('SIGTERM');
  await new Promise((r) => child.on('close', r));
  clearTimeout(timer);
  t.regex(stderr, /^logmedic: nope\.log: no such file yet; it is followed when it appears$/m);
});

test('reset in a directory where recovery never ran leaves no .logmedic/ behind', async (t) => {
  const empty = tempDir('logmedic-reset-', t);
  const r = await runCli(['reset'], { cwd: empty, env: cleanEnv({ XDG_CONFIG_HOME: join(empty, 'xdg') }) });
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /^no circuit to reset: no recovery state in /);
  t.deepEqual(readdirSync(empty), []);
});
