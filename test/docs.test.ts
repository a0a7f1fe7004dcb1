// Every code block of the README and docs/ runs here, so the docs cannot drift from the
// program: shell blocks run line by line against the built CLI in a temp dir holding the sample
// logs; TypeScript blocks are type-checked (strict) against the package as a consumer imports
// it; YAML config blocks pass `logmedic config check`; a block marked `<!-- file: PATH -->`
// must equal that file. A block that cannot run carries `<!-- excerpt … -->` and is skipped.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import YAML from 'yaml';
import { tempDir } from './_tmp.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const DOCS = ['README.md', 'bench/README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
// The config's top-level keys, as its JSON Schema lists them.
const CONFIG_KEYS = new Set(Object.keys(JSON.parse(readFileSync(join(ROOT, 'schema', 'logmedic.config.schema.json'), 'utf8')).properties));

export interface Block {
  doc: string;
  line: number;
  lang: string;
  text: string;
  /** `excerpt` (skipped), `file:PATH` (must equal the file), or undefined (runs). */
  marker?: string;
}

/** The fenced blocks of a markdown text, each with the HTML comment just before it, if any. */
export function fencedBlocks(doc: string, markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== open[1]; i++) body.push(lines[i]);
    let prev = start - 1;
    while (prev >= 0 && lines[prev].trim() === '') prev--;
    const comment = prev >= 0 ? /^<!--\s*(excerpt|file:\s*(\S+))\b.*-->$/.exec(lines[prev].trim()) : null;
    const marker = comment ? (comment[2] ? `file:${comment[2]}` : 'excerpt') : undefined;
    blocks.push({ doc, line: start + 1, lang: open[2], text: body.join('\n'), marker });
  }
  return blocks;
}

/** Logical shell lines: comments and blank lines dropped, `\` continuations joined. */
export function shellLines(text: string): string[] {
  const out: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = pending + raw;
    if (line.endsWith('\\')) {
      pending = line.slice(0, -1) + ' ';
      continue;
    }
    pending = '';
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    out.push(trimmed.replace(/^\$\s+/, ''));
  }
  return out;
}

const all = DOCS.flatMap((doc) => fencedBlocks(doc, readFileSync(join(ROOT, doc), 'utf8')));

/** A directory where the docs' examples find what they name: app.log, logs/, patterns.txt, … */
function sandbox(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = tempDir('logmedic-docs-');
  const sample = join(ROOT, 'test', 'fixtures', 'sample', 'visionai.log');
  copyFileSync(sample, join(dir, 'app.log'));
  writeFileSync(join(dir, 'app.log.gz'), gzipSync(readFileSync(sample)));
  spawnSync('zstd', ['-q', '-f', join(dir, 'app.log'), '-o', join(dir, 'app.log.zst')]);
  mkdirSync(join(dir, 'logs', 'old'), { recursive: true });
  copyFileSync(sample, join(dir, 'logs', 'app.log'));
  copyFileSync(sample, join(dir, 'logs', 'worker.log'));
  writeFileSync(join(dir, 'logs', 'old', 'app.log.gz'), gzipSync(readFileSync(sample)));
  copyFileSync(join(ROOT, 'bench', 'patterns.txt'), join(dir, 'patterns.txt'));
  cpSync(join(ROOT, 'contrib'), join(dir, 'contrib'), { recursive: true });
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'logmedic'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`);
  chmodSync(join(bin, 'logmedic'), 0o755);
  const home = join(dir, '.home');
  mkdirSync(home);
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache'), NO_COLOR: '1', LOGMEDIC_HISTORY: '' };
  delete env.FORCE_COLOR;
  return { dir, env };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(shell: string, line: string, cwd: string, env: NodeJS.ProcessEnv, stopAfterMs?: number): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(shell, ['-c', line], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: stopAfterMs !== undefined });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // A long-running command (watch) is stopped the way an operator would: SIGINT, then it must exit 0.
    const timer = stopAfterMs === undefined ? undefined : setTimeout(() => process.kill(-child.pid!, 'SIGINT'), stopAfterMs);
    const kill = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      clearTimeout(kill);
      resolve({ code, stdout, stderr });
    });
  });
}

/** What a documented command line must do. */
function expectation(line: string): { codes: number[]; stderrOn2?: RegExp; stopAfterMs?: number } {
  // watch and serve run until stopped (serve's --hash-* options read stdin and exit at once).
  if (/\blogmedic watch\b/.test(line)) return { codes: [0], stopAfterMs: 2500 };
  if (/\blogmedic serve\b/.test(line) && !/--hash-(password|token)\b/.test(line)) return { codes: [0], stopAfterMs: 2500 };
  // Without --yes (or --dry-run) and without a terminal, recover refuses to act (exit 2, as
  // documented), or finds nothing to do (exit 0).
  if (/\blogmedic recover\b/.test(line) && !/\s(--yes|-y|--dry-run|-n)\b/.test(line)) return { codes: [0, 2], stderrOn2: /refusing to change the system without confirmation/ };
  return { codes: [0, 1] };
}

function shellFor(line: string): string | undefined {
  const named = /completion (zsh|fish)\b/.exec(line);
  const shell = named && /\bsource\b/.test(line) ? named[1] : 'bash';
  return spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0 ? shell : undefined;
}

const byDoc = new Map<string, Block[]>();
for (const b of all) byDoc.set(b.doc, [...(byDoc.get(b.doc) ?? []), b]);

test('every code block is runnable or marked as an excerpt', (t) => {
  const RUNNABLE = new Set(['sh', 'console', 'ts', 'yaml']);
  const unmarked = all.filter((b) => b.marker === undefined && !RUNNABLE.has(b.lang)).map((b) => `${b.doc}:${b.line} (${b.lang || 'no language'})`);
  t.deepEqual(unmarked, [], 'mark these <!-- excerpt --> or make them sh/ts/yaml blocks that run');
  t.true(all.filter((b) => b.marker === undefined).length >= 20, 'the docs should hold runnable examples');
});

for (const [doc, blocks] of byDoc) {
  const shellBlocks = blocks.filter((b) => b.marker === undefined && (b.lang === 'sh' || b.lang === 'console'));
  const yamlBlocks = blocks.filter((b) => b.marker === undefined && b.lang === 'yaml');
  if (shellBlocks.length + yamlBlocks.length === 0) continue;
  test.serial(`${doc}: shell and config examples run`, async (t) => {
    t.timeout(10 * 60_000);
    const { dir, env } = sandbox();
    for (const block of shellBlocks) {
      for (const line of shellLines(block.text)) {
        t.true(/\blogmedic\b|\bnpm run\b|\bnpx\b/.test(line), `${doc}:${block.line}: a shell example should show logmedic: ${line}`);
        const shell = shellFor(line);
        if (!shell) {
          t.log(`${doc}:${block.line}: skipped (its shell is not installed): ${line}`);
          continue;
        }
        const want = expectation(line);
        const r = await run(shell, line, dir, env, want.stopAfterMs);
        const where = `${doc}:${block.line}: \`${line}\` exited ${r.code}\n${r.stderr.slice(0, 2000)}`;
        t.true(want.codes.includes(r.code ?? -1), where);
        if (want.stderrOn2 && r.code === 2) t.regex(r.stderr, want.stderrOn2, where);
        t.notRegex(r.stderr, /^\s+at .+:\d+:\d+\)?$/m, `${where}\nno stack trace`);
      }
    }
    yamlBlocks.forEach((block, i) => {
      const parsed = YAML.parse(block.text) as Record<string, unknown>;
      t.true(parsed !== null && typeof parsed === 'object' && Object.keys(parsed).every((k) => CONFIG_KEYS.has(k)), `${doc}:${block.line}: a yaml block is a config file (or mark it)`);
      const file = join(dir, `docs-config-${i}.yaml`);
      writeFileSync(file, block.text);
      const r = spawnSync(process.execPath, [CLI, 'config', 'check', file], { cwd: dir, env, encoding: 'utf8' });
      t.is(r.status, 0, `${doc}:${block.line}: logmedic config check: ${r.stderr}`);
    });
  });
}

test('blocks marked with a file equal that file', (t) => {
  const marked = all.filter((b) => b.marker?.startsWith('file:'));
  t.true(marked.length >= 1);
  for (const b of marked) {
    const path = b.marker!.slice('file:'.length);
    t.is(b.text + '\n', readFileSync(join(ROOT, path), 'utf8'), `${b.doc}:${b.line} differs from ${path}`);
  }
});

test('TypeScript examples type-check, strict, against the package as a consumer imports it', (t) => {
  const blocks = all.filter((b) => b.marker === undefined && b.lang === 'ts');
  t.true(blocks.length >= 5);
  const dir = tempDir('logmedic-docs-ts-');
  mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'logmedic'), 'dir');
  symlinkSync(join(ROOT, 'node_modules', '@types', 'node'), join(dir, 'node_modules', '@types', 'node'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, types: ['node'], skipLibCheck: false }, include: ['*.ts'] }),
  );
  const names = new Map<string, Block>();
  blocks.forEach((b, i) => {
    const name = `${b.doc.replace(/[^A-Za-z0-9]+/g, '_')}_${b.line}.ts`;
    names.set(name, b);
    writeFileSync(join(dir, name), /^\s*import\b/m.test(b.text) ? b.text + '\n' : `${b.text}\nexport {};\n`);
    void i;
  });
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
  const report = (r.stdout + r.stderr).replace(/^(\S+\.ts)\((\d+)/gm, (_m, f: string, l: string) => {
    const b = names.get(f);
    return b ? `${b.doc}:${b.line + Number(l)}` : `${f}(${l}`;
  });
  t.is(r.status, 0, report);
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

test('relative links point at files and headings that exist', (t) => {
  const broken: string[] = [];
  for (const doc of [...DOCS, 'CHANGELOG.md']) {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const link = m[1];
      if (/^[a-z]+:/.test(link)) continue;
      const [path, anchor] = link.split('#');
      const target = path === '' ? join(ROOT, doc) : join(ROOT, dirname(doc), path);
      if (!existsSync(target)) {
        broken.push(`${doc}: ${link} (no such file)`);
        continue;
      }
      if (anchor === undefined) continue;
      const headings = readFileSync(target, 'utf8').split('\n').filter((l) => /^#{1,6} /.test(l)).map((l) => slug(l.replace(/^#+ /, '')));
      if (!headings.includes(anchor)) broken.push(`${doc}: ${link} (no such heading)`);
    }
  }
  t.deepEqual(broken, []);
});

test('the README keeps the two commands for a fresh clone', (t) => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  t.true(readme.includes('npm ci && npm run demo'));
  t.true(readme.includes('\nnpm test\n'));
  t.true(existsSync(join(ROOT, '.ci', 'run')));
  t.regex(readFileSync(join(ROOT, '.ci', 'run'), 'utf8'), /^npm test$/m, '.ci/run runs the README\'s test command');
});
