import test from 'ava';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFile } from '../../src/recovery/file-check.js';
import { applyRecoveryActions, planRecovery } from '../../src/recovery/index.js';
import { config, diagnosis, record, tmpWorld } from './helpers.js';

const fixtures = fileURLToPath(new URL('./fixtures/models/', import.meta.url));
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

// The seed's scenario 2, verbatim: a bare file name in the message.
const corruptModel = record({
  type: 'ModelCorruption',
  logger: 'model_loader',
  line: 342,
  message: 'Model file corrupt: clips_base.pt checksum mismatch',
  objects: { paths: ['clips_base.pt'] },
});

function world() {
  const root = tmpWorld();
  mkdirSync(join(root, 'models/clips'), { recursive: true });
  mkdirSync(join(root, 'backups/2025-05-16'), { recursive: true });
  mkdirSync(join(root, 'backups/2025-05-17'), { recursive: true });
  const live = join(root, 'models/clips/clips_base.pt');
  // The live model: the real file with its central directory cut off.
  copyFileSync(join(fixtures, 'clips_base.pt'), live);
  truncateSync(live, 900);
  const cfg = config({ backups: { dir: 'backups/', files: ['models/', 'configs/'] } }, root);
  return { root, live, cfg };
}

test('the newest backup that verifies is restored; a newer corrupt one is refused; the corrupt file is kept', async (t) => {
  const { root, live, cfg } = world();
  const good = join(root, 'backups/2025-05-16/clips_base.pt');
  const bad = join(root, 'backups/2025-05-17/clips_base.pt');
  copyFileSync(join(fixtures, 'clips_base.pt'), good);
  copyFileSync(join(fixtures, 'clips_base.pt'), bad);
  truncateSync(bad, 1200); // newer, but truncated: no central directory
  utimesSync(good, new Date('2025-05-16T02:00:00Z'), new Date('2025-05-16T02:00:00Z'));
  utimesSync(bad, new Date('2025-05-17T02:00:00Z'), new Date('2025-05-17T02:00:00Z'));
  const corruptHash = sha(live);

  const plan = await planRecovery(diagnosis([corruptModel]), cfg);
  t.is(plan.steps.length, 1);
  t.is(plan.steps[0].target, `file:${live}`);
  t.regex(plan.steps[0].change, /from .*2025-05-16\/clips_base\.pt \(verified: zip central directory\)/);
  t.regex(JSON.stringify(plan.steps[0].detail?.refused), /2025-05-17.*(central directory|end-of-central-directory)/);

  const r = await applyRecoveryActions(plan, { config: cfg });
  t.is(r.steps[0].result, 'ok', r.steps[0].error);
  t.is(sha(live), sha(good), 'the live file now equals the verified backup');
  t.true(checkFile(live).ok);
  const kept = readdirSync(join(root, 'models/clips')).filter((n) => n.startsWith('clips_base.pt.corrupt-'));
  t.is(kept.length, 1);
  t.is(sha(join(root, 'models/clips', kept[0])), corruptHash, 'the corrupt copy is kept byte for byte');
  t.is(readFileSync(bad).length, 1200, 'backups are never touched');
});

test('a SHA256SUMS manifest decides: a backup that does not match it is refused even if it parses', async (t) => {
  const { root, cfg } = world();
  mkdirSync(join(root, 'configs'));
  const live = join(root, 'configs/hardware_adaptive_config.yaml');
  writeFileSync(live, 'quantization: "Q4_K_M\nbatch: [1, 2\n'); // truncated mid-string
  const dir = join(root, 'backups/2025-05-17');
  writeFileSync(join(dir, 'hardware_adaptive_config.yaml'), 'quantization: "Q8_0"\nbatch: 8\n'); // parses, but not what was saved
  writeFileSync(join(dir, 'SHA256SUMS'), `${createHash('sha256').update('quantization: "Q4_K_M"\nbatch: 8\n').digest('hex')}  hardware_adaptive_config.yaml\n`);
  const rec = record({ type: 'ConfigError', message: `yaml.scanner.ScannerError: while scanning a quoted scalar in "${live}", line 1, column 15`, objects: { paths: [live] } });
  let plan = await planRecovery(diagnosis([rec]), cfg);
  t.regex(plan.steps[0].skip ?? '', /no backup of hardware_adaptive_config\.yaml verifies .*sha256 \(SHA256SUMS\)/);
  const r = await applyRecoveryActions(plan, { config: cfg });
  t.is(r.steps[0].result, 'skipped');
  t.is(readFileSync(live, 'utf8'), 'quantization: "Q4_K_M\nbatch: [1, 2\n', 'nothing changed');

  // The right bytes, as the manifest lists them, are restored.
  const older = join(root, 'backups/2025-05-16/hardware_adaptive_config.yaml');
  writeFileSync(older, 'quantization: "Q4_K_M"\nbatch: 8\n');
  writeFileSync(join(root, 'backups/2025-05-16/hardware_adaptive_config.yaml.sha256'), `${sha(older)}  hardware_adaptive_config.yaml\n`);
  utimesSync(older, new Date('2025-05-16T00:00:00Z'), new Date('2025-05-16T00:00:00Z'));
  plan = await planRecovery(diagnosis([rec]), cfg);
  const r2 = await applyRecoveryActions(plan, { config: cfg });
  t.is(r2.steps[0].result, 'ok', r2.steps[0].error ?? plan.steps[0].skip);
  t.is(readFileSync(live, 'utf8'), 'quantization: "Q4_K_M"\nbatch: 8\n');
});

test('no valid backup at all: skipped with the reason, the live file untouched', async (t) => {
  const { root, live, cfg } = world();
  writeFileSync(join(root, 'backups/2025-05-17/clips_base.pt'), 'not a zip at all');
  const before = sha(live);
  const r = await applyRecoveryActions(await planRecovery(diagnosis([corruptModel]), cfg), { config: cfg });
  t.is(r.steps[0].result, 'skipped');
  t.regex(r.steps[0].reason ?? '', /no backup of clips_base\.pt verifies/);
  t.is(sha(live), before);
  t.false(existsSync(join(root, '.logmedic')));
});

test('a file outside backups.files is never restored', async (t) => {
  const { root, cfg } = world();
  const outside = join(root, 'elsewhere.pt');
  copyFileSync(join(fixtures, 'clips_base.pt'), outside);
  const rec = record({ type: 'ModelCorruption', message: `corrupt: ${outside}`, objects: { paths: [outside, '/etc/passwd'] } });
  const plan = await planRecovery(diagnosis([rec]), cfg);
  t.regex(plan.steps[0].skip ?? '', /is under backups\.files/);
});

test('format checks: safetensors and GGUF headers, truncated copies refused', (t) => {
  const dir = tmpWorld();
  for (const name of ['clips_head.safetensors', 'clips_q4.gguf', 'clips_base.pt']) {
    t.true(checkFile(join(fixtures, name)).ok, name);
    const cut = join(dir, name);
    copyFileSync(join(fixtures, name), cut);
    truncateSync(cut, name.endsWith('.gguf') ? 3 : readFileSync(cut).length - 10);
    t.false(checkFile(cut).ok, `truncated ${name}`);
  }
  writeFileSync(join(dir, 'a.toml'), '[model]\nname = "clips"\nlayers = [1,\n  2]\n');
  t.true(checkFile(join(dir, 'a.toml')).ok);
  writeFileSync(join(dir, 'c.toml'), '[model\nthis is not toml\n');
  t.false(checkFile(join(dir, 'c.toml')).ok);
  writeFileSync(join(dir, 'blob.bin'), 'x');
  t.regex(checkFile(join(dir, 'blob.bin')).why ?? '', /cannot be checked/);
});
