import test from 'ava';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyRecoveryActions, planRecovery } from '../../src/recovery/index.js';
import { config, diagnosis, record, tmpWorld } from './helpers.js';

const oom = record({
  type: 'OutOfMemory',
  logger: 'visionai_processor',
  message: 'MemoryError: CUDA out of memory',
  objects: { devices: ['cuda:0'] },
});

const YAML_CONFIG = `# Hardware-adaptive settings for the VisionAI processor
model: clips_base
quantization: "Q4_K_M"   # GGUF level, lower = less memory
batch_size: 8
`;

test('YAML: steps Q4_K_M → Q3_K_M → Q2_K keeping comments and a .bak, then stops at the bottom', async (t) => {
  const root = tmpWorld(t);
  mkdirSync(join(root, 'configs'));
  const file = join(root, 'configs/hardware_adaptive_config.yaml');
  writeFileSync(file, YAML_CONFIG);
  for (const level of ['Q3_K_M', 'Q2_K']) mkdirSync(join(root, 'models/clips_base/quantized', level), { recursive: true });
  const cfg = config(
    {
      quantization: { file: 'configs/hardware_adaptive_config.yaml', key: 'quantization', ladder: ['FP16', 'Q5_K_M', 'Q4_K_M', 'Q3_K_M', 'Q2_K'], levelsDir: 'models/clips_base/quantized' },
      policy: { cooldownSeconds: 0 },
      actionMap: { OutOfMemory: ['reduce_quant'] },
    },
    root,
  );
  const d = diagnosis([oom]);

  const first = await applyRecoveryActions(await planRecovery(d, cfg), { config: cfg });
  t.is(first.steps[0].result, 'ok', first.steps[0].error);
  t.deepEqual(first.steps[0].before, { level: 'Q4_K_M' });
  const text = readFileSync(file, 'utf8');
  t.regex(text, /^quantization: "Q3_K_M" +# GGUF level, lower = less memory$/m);
  t.regex(text, /^# Hardware-adaptive settings/);
  t.regex(text, /^batch_size: 8$/m);
  const baks = readdirSync(join(root, 'configs')).filter((n) => n.startsWith('hardware_adaptive_config.yaml.bak-'));
  t.is(baks.length, 1);
  t.is(readFileSync(join(root, 'configs', baks[0]), 'utf8'), YAML_CONFIG, 'the previous file is kept byte for byte');

  const second = await applyRecoveryActions(await planRecovery(d, cfg), { config: cfg });
  t.is(second.steps[0].result, 'ok');
  t.regex(readFileSync(file, 'utf8'), /quantization: "Q2_K"/);

  const plan = await planRecovery(d, cfg);
  t.regex(plan.steps[0].skip ?? '', /bottom of the ladder \(Q2_K\)/);
  const third = await applyRecoveryActions(plan, { config: cfg });
  t.is(third.steps[0].result, 'skipped');
  t.regex(readFileSync(file, 'utf8'), /quantization: "Q2_K"/);
  t.is(readdirSync(join(root, 'configs')).filter((n) => n.includes('.bak-')).length, 2, 'no backup when nothing changes');
});

test('JSON: a nested key steps fp16 → int8 → int4 and then says it is at the bottom', async (t) => {
  const root = tmpWorld(t);
  const file = join(root, 'model.json');
  writeFileSync(file, JSON.stringify({ model: { name: 'clips', quant: 'fp16' }, workers: 2 }, null, 4) + '\n');
  const cfg = config({ quantization: { file: 'model.json', key: 'model.quant', ladder: ['fp16', 'int8', 'int4'] }, policy: { cooldownSeconds: 0 } }, root);
  const levels: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await applyRecoveryActions(['reduce_quant'], { config: cfg, record: oom });
    levels.push(`${r.steps[0].result}:${JSON.parse(readFileSync(file, 'utf8')).model.quant}`);
  }
  t.deepEqual(levels, ['ok:int8', 'ok:int4', 'skipped:int4']);
  t.regex(readFileSync(file, 'utf8'), /^ {4}"model": \{$/m, 'indentation kept');
  t.is(JSON.parse(readFileSync(file, 'utf8')).workers, 2);
});

test('the target level\'s model directory must exist, else nothing changes', async (t) => {
  const root = tmpWorld(t);
  writeFileSync(join(root, 'c.yaml'), 'quantization: Q4_K_M\n');
  mkdirSync(join(root, 'models/quantized/Q4_K_M'), { recursive: true });
  const cfg = config({ quantization: { file: 'c.yaml', key: 'quantization', ladder: ['Q4_K_M', 'Q3_K_M'], levelsDir: 'models/quantized' } }, root);
  const r = await applyRecoveryActions(['reduce_quant'], { config: cfg, record: oom });
  t.is(r.steps[0].result, 'skipped');
  t.regex(r.steps[0].reason ?? '', /no model for Q3_K_M/);
  t.is(readFileSync(join(root, 'c.yaml'), 'utf8'), 'quantization: Q4_K_M\n');
  t.false(existsSync(join(root, '.logmedic')), 'a run with nothing doable writes no state');
});

test('a level not on the ladder is reported, not guessed', async (t) => {
  const root = tmpWorld(t);
  writeFileSync(join(root, 'c.yaml'), 'quantization: Q8_0\n');
  const cfg = config({ quantization: { file: 'c.yaml', key: 'quantization', ladder: ['Q4_K_M', 'Q3_K_M'] } }, root);
  const plan = await planRecovery(diagnosis([oom]), { ...cfg, actionMap: { OutOfMemory: ['reduce_quant'] } });
  t.regex(plan.steps[0].skip ?? '', /Q8_0 is not on the ladder/);
});
