// A stand-in for nvidia-smi in tests: prints recorded output (test/fixtures/nvidia-smi/),
// with recorded PIDs mapped to live stand-in processes (FAKE_SMI_PIDS="48213=1234,…"). A mapped
// process that has exited disappears from the process list and its memory from the GPU total,
// as it would on a real GPU. FAKE_SMI_LOG, when set, collects the argv of each call.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.FAKE_SMI_DIR;
const prefix = process.env.FAKE_SMI_PREFIX ?? 'h100';
const args = process.argv.slice(2);
if (process.env.FAKE_SMI_LOG) appendFileSync(process.env.FAKE_SMI_LOG, JSON.stringify(args) + '\n');
const map = new Map((process.env.FAKE_SMI_PIDS ?? '').split(',').filter(Boolean).map((kv) => kv.split('=').map(Number)));
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};
const apps = readFileSync(join(dir, `${prefix}-compute-apps.csv`), 'utf8').split('\n').filter(Boolean).map((l) => {
  const [pid, ...rest] = l.split(',');
  const used = Number(rest[rest.length - 1]);
  const real = map.get(Number(pid)) ?? Number(pid);
  return { line: [String(real), ...rest].join(','), used, gone: map.has(Number(pid)) && !alive(real) };
});
if (args.includes('--query-compute-apps=pid,process_name,used_memory') && args.includes('--format=csv,noheader,nounits')) {
  for (const a of apps) if (!a.gone) process.stdout.write(a.line + '\n');
} else if (args.includes('--query-gpu=index,memory.used,memory.total') && args.includes('--format=csv,noheader,nounits')) {
  const released = apps.filter((a) => a.gone).reduce((n, a) => n + a.used, 0);
  const lines = readFileSync(join(dir, `${prefix}-gpu.csv`), 'utf8').split('\n').filter(Boolean);
  lines.forEach((l, i) => {
    const [index, used, total] = l.split(',').map((x) => Number(x));
    process.stdout.write(`${index}, ${i === 0 ? used - released : used}, ${total}\n`);
  });
} else {
  process.stderr.write(`fake nvidia-smi: unexpected arguments ${JSON.stringify(args)}\n`);
  process.exit(2);
}
