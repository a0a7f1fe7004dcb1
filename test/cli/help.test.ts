// Every command's --help shows examples: a command added without them fails here.
import test from 'ava';
import { runCli } from './_run.js';

test('every command listed in --help has an Examples section in its own --help', async (t) => {
  const top = await runCli(['--help']);
  t.is(top.code, 0, top.stderr);
  const commands = [...top.stdout.matchAll(/^ {2}logmedic (\w[\w-]*)/gm)].map((m) => m[1]);
  t.true(commands.length >= 5, top.stdout);
  t.regex(top.stdout, /\nExamples:\n/);
  const results = await Promise.all(commands.map(async (c) => [c, await runCli([c, '--help'])] as const));
  for (const [c, r] of results) {
    t.is(r.code, 0, `${c}: ${r.stderr}`);
    t.regex(r.stdout, /\nExamples:\n {2}logmedic /, `${c} --help has examples`);
  }
});
