#!/usr/bin/env node
// Pack logmedic the napi-rs way, offline: `napi artifacts` (copy each built addon into its
// npm/<platform>/ package), `napi prepublish` (the main package lists every platform package
// as an optional dependency at its own version), then `npm pack` of each. The repository's
// package.json stays without those optional dependencies, so `npm ci` never looks them up.
// Usage: node scripts/pack.mjs [OUT_DIR]   (prints the tarballs' paths, one a line)
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, 'pack'));
mkdirSync(out, { recursive: true });
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const readJson = (f) => JSON.parse(readFileSync(f, 'utf8'));
const main = readJson(join(root, 'package.json'));

function pack(dir) {
  const result = JSON.parse(execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', out], { cwd: dir, encoding: 'utf8' }));
  return join(out, result[0].filename);
}

const tarballs = [];
const optionalDependencies = {};
for (const platform of readdirSync(join(root, 'npm')).sort()) {
  const dir = join(root, 'npm', platform);
  const pkg = readJson(join(dir, 'package.json'));
  if (pkg.version !== main.version) throw new Error(`npm/${platform}: version ${pkg.version}, but logmedic is ${main.version}`);
  optionalDependencies[pkg.name] = main.version;
  // napi artifacts: the addon built here (native/) goes into its platform package.
  const built = join(root, 'native', pkg.main);
  if (existsSync(built)) copyFileSync(built, join(dir, pkg.main));
  if (existsSync(join(dir, pkg.main))) tarballs.push(pack(dir));
}

// napi prepublish: a staged copy of the main package whose package.json names the platform packages.
const files = JSON.parse(execFileSync(npm, ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: root, encoding: 'utf8' }))[0].files.map((f) => f.path);
const stage = mkdtempSync(join(tmpdir(), 'logmedic-pack-'));
try {
  for (const file of files) {
    mkdirSync(dirname(join(stage, file)), { recursive: true });
    cpSync(join(root, file), join(stage, file));
  }
  // `prepare` builds from a clone; an installed tarball has its build already (and npm 11 would flag it).
  const { prepare: _prepare, ...scripts } = main.scripts;
  writeFileSync(join(stage, 'package.json'), JSON.stringify({ ...main, scripts, optionalDependencies }, null, 2) + '\n');
  tarballs.unshift(pack(stage));
} finally {
  rmSync(stage, { recursive: true, force: true });
}
process.stdout.write(tarballs.join('\n') + '\n');
