// The fast path (src/cli/fast-path.ts) parses `scan` and `analyze` without loading yargs.
// It must give the handler exactly what yargs gives it, and hand every other line back.
import test from 'ava';
import yargs from 'yargs';
import { parseFast } from '../../src/cli/fast-path.js';
import { scanBuilder } from '../../src/cli/scan-command.js';
import { analyzeBuilder } from '../../src/cli/analyze-command.js';

/** What yargs hands the handler for this line (same command strings as app.ts), or the error. */
async function viaYargs(argv: string[]): Promise<Record<string, unknown> | Error> {
  let got: Record<string, unknown> | undefined;
  const STDIN = '\u0000stdin';
  try {
    await yargs(argv.map((a) => (a === '-' ? STDIN : a)))
      .middleware((a) => {
        for (const [k, v] of Object.entries(a)) {
          if (v === STDIN) a[k] = '-';
          else if (Array.isArray(v)) a[k] = v.map((x) => (x === STDIN ? '-' : x));
        }
      }, true)
      .command('scan <files..>', '', scanBuilder, (a) => {
        got = a as Record<string, unknown>;
      })
      .command('analyze [files..]', '', analyzeBuilder, (a) => {
        got = a as Record<string, unknown>;
      })
      .exitProcess(false)
      .strict()
      .help()
      .version()
      .fail((msg, err) => {
        throw err ?? new Error(msg);
      })
      .parseAsync();
  } catch (err) {
    return err as Error;
  }
  return got ?? new Error('no handler ran');
}

const SCAN_KEYS = ['files', 'e', 'f', 'json', 'engine', 'threads', 'mmap', 'max-hits'];
const ANALYZE_KEYS = ['files', 'json', 'verbose', 'mmap', 'engine', 'threads', 'lang', 'fail-on', 'max-samples', 'report'];

const SAME_AS_YARGS: string[][] = [
  ['scan', 'app.log', '-e', 'x'],
  ['scan', 'app.log', '-e', 'x', '-e', 'y', '--json'],
  ['scan', '-e', 'x', '--', 'app.log'],
  ['scan', 'app.log', '--regexp', 'a b', '--file-patterns', 'p.txt'],
  ['scan', 'app.log', '-f', 'p.txt', '--no-mmap', '--threads', '2', '--engine', 'regex'],
  ['scan', 'app.log', '-f', 'p.txt', '-t', '1', '--max-hits=5', '--engine=hyperscan'],
  ['scan', '-', '-e', 'x'],
  ['scan', '123', '-e', '456'],
  ['scan', 'a.log', 'b.log', 'logs/*.gz', '-e', 'x'],
  ['scan', 'app.log', '-e', '--json'],
  ['scan', 'app.log', '-e', 'x', '--json', '--json'],
  ['analyze', 'a.log'],
  ['analyze', 'a.log', 'b.log.gz', '--json', '--fail-on', 'OutOfMemory,GPUError'],
  ['analyze', '-', '--lang', 'zh', '-v', '--max-samples', '3'],
  ['analyze', 'logs/*.log', '--report', 'r.html', '--no-mmap', '-t', '2'],
  ['analyze', '--json', 'a.log', '--engine', 'regex'],
];

for (const argv of SAME_AS_YARGS) {
  test(`fast path = yargs: ${argv.join(' ')}`, async (t) => {
    const expected = await viaYargs(argv);
    const fast = await parseFast(argv);
    if (expected instanceof Error) {
      t.is(fast, undefined, `yargs refuses this line (${expected.message}); the fast path must hand it over`);
      return;
    }
    t.truthy(fast, 'the fast path should take this line');
    const keys = argv[0] === 'scan' ? SCAN_KEYS : ANALYZE_KEYS;
    for (const k of keys) t.deepEqual(fast!.args[k], expected[k], `option ${k}`);
  });
}

const HANDED_OVER: string[][] = [
  ['scan', 'app.log', '-e', 'x', '--frobnicate'], // unknown option: yargs words the error
  ['scan', 'app.log', '--engine', 'turbo', '-e', 'x'], // bad choice
  ['scan', '-e', 'x'], // missing file
  ['scan', 'app.log', '-e', 'x', '--help'],
  ['scan', '--version'],
  ['scan', 'app.log', '--threads', 'many', '-e', 'x'],
  ['scan', 'app.log', '-e', 'x', '-t', '1', '-t', '2'], // yargs would pass an array as the thread count
  ['analyze'],
  ['analyze', 'a.log', '--lang', 'fr'],
  ['analyze', 'a.log', '-h'],
  ['watch', 'a.log'],
  ['--interactive'],
  [],
];

for (const argv of HANDED_OVER) {
  test(`handed to yargs: ${argv.join(' ') || '(empty)'}`, async (t) => {
    t.is(await parseFast(argv), undefined);
  });
}
