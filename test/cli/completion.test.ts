// Shell completion scripts: generated from the command table, loaded into a real bash (and
// zsh where installed) and asked for completions the way the shell asks.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './_run.js';
import { tempDir } from '../_tmp.js';

const dir = tempDir('logmedic-completion-');

/** The commands `logmedic --help` lists: the completion must offer every one of them. */
async function helpCommands(): Promise<string[]> {
  const help = await runCli(['--help']);
  return [...help.stdout.matchAll(/^ {2}logmedic (\w[\w-]*)/gm)].map((m) => m[1]);
}

test('bash: the script completes every command, a command\'s options, option choices and files', async (t) => {
  const script = await runCli(['completion', 'bash']);
  t.is(script.code, 0, script.stderr);
  const file = join(dir, 'logmedic.bash');
  writeFileSync(file, script.stdout);
  const commands = await helpCommands();
  t.true(commands.includes('scan') && commands.includes('shell') && commands.includes('completion'));
  writeFileSync(join(dir, 'app.log'), '');
  writeFileSync(join(dir, 'app.log.gz'), '');
  /** What bash's completion function answers for a command line (the last word being completed). */
  const complete = (...words: string[]) => {
    const r = spawnSync(
      'bash',
      ['-c', `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _logmedic_complete; printf '%s\\n' "\${COMPREPLY[@]}"`, 'bash', file, ...words],
      { cwd: dir, encoding: 'utf8' },
    );
    t.is(r.status, 0, r.stderr);
    return r.stdout.split('\n').filter(Boolean).sort();
  };
  t.deepEqual(complete('logmedic', ''), [...commands].sort());
  t.deepEqual(complete('logmedic', 'sc'), ['scan']);
  t.deepEqual(complete('logmedic', '--inter'), ['--interactive']);
  t.deepEqual(complete('logmedic', 'scan', 'app.log', '--e'), ['--engine']);
  t.true(complete('logmedic', 'scan', 'app.log', '--').includes('--no-mmap'));
  t.deepEqual(complete('logmedic', 'scan', 'app.log', '--engine', ''), ['auto', 'hyperscan', 'regex']);
  t.deepEqual(complete('logmedic', 'scan', 'app'), ['app.log', 'app.log.gz']);
  t.deepEqual(complete('logmedic', 'scan', 'app.log', '--threads', ''), [], 'a number is not a file');
  t.deepEqual(complete('logmedic', 'completion', ''), ['bash', 'fish', 'zsh']);
  t.deepEqual(complete('logmedic', 'config', ''), ['check', 'show']);
});

const zsh = spawnSync('zsh', ['--version']).status === 0;
(zsh ? test : test.skip)('zsh: the script parses, registers with compinit and names every command', async (t) => {
  const script = await runCli(['completion', 'zsh']);
  t.is(script.code, 0, script.stderr);
  const file = join(dir, '_logmedic');
  writeFileSync(file, script.stdout);
  t.is(spawnSync('zsh', ['-n', file]).status, 0, 'valid zsh syntax');
  const r = spawnSync('zsh', ['-fc', `autoload -Uz compinit; compinit -u -d "${dir}/zcompdump"; source "${file}"; print -r -- "\${_comps[logmedic]}"`], { encoding: 'utf8' });
  t.is(r.stdout.trim(), '_logmedic', r.stderr);
  for (const c of await helpCommands()) t.regex(script.stdout, new RegExp(`^ {4}'${c}:`, 'm'));
  t.regex(script.stdout, /--engine'\[matching engine\]:value:\(auto hyperscan regex\)'/);
});
if (!zsh) console.log('completion.test: zsh is absent; the zsh test is skipped');

test('an unknown shell is a usage error in one line, exit 2', async (t) => {
  const r = await runCli(['completion', 'tcsh']);
  t.is(r.code, 2);
  t.regex(r.stderr, /^logmedic: .*tcsh.*\n$/);
  t.is(r.stdout, '');
});
