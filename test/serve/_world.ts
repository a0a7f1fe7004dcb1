// Shared by the serve tests: a temporary world (logs under a configured root, a model file
// with its backup, a state dir), a server started in this process from its config file, and
// headless Chromium (Debian's chromium, driven by playwright-core) to look at it.
import { copyFileSync, existsSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadServeConfig } from '../../src/serve/config.js';
import { createServer, type ServeOptions } from '../../src/serve/server.js';
import { tempDir } from '../_tmp.js';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
const models = fileURLToPath(new URL('../recovery/fixtures/models/', import.meta.url));

/** Where screenshots go: LOGMEDIC_SCREENSHOTS (docs/images/serve when refreshing the docs), else a temp dir. */
export const SHOTS = process.env.LOGMEDIC_SCREENSHOTS || tempDir('logmedic-serve-shots-');

/** The seed's failures over ten minutes: connection errors, out-of-memory with a traceback, a corrupt model. */
export const LOG_LINES = [
  '2025-05-17 10:00:01,100 - visionai_processor - INFO - Starting batch 1',
  '2025-05-17 10:01:12,200 - api_client - ERROR - ConnectionRefusedError: [Errno 111] Connection refused (host=10.0.0.7, port=6379)',
  '2025-05-17 10:02:13,300 - api_client - ERROR - ConnectionRefusedError: [Errno 111] Connection refused (host=10.0.0.7, port=6379)',
  '2025-05-17 10:02:44,300 - api_client - ERROR - ConnectionRefusedError: [Errno 111] Connection refused (host=10.0.0.7, port=6379)',
  '2025-05-17 10:05:00,120 - visionai_processor - ERROR - Out of memory error occurred during processing',
  'Traceback (most recent call last):',
  '  File "src/core/processor.py", line 120, in process_batch',
  '    result = model.forward(batch)',
  'torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 23.65 GiB total capacity)',
  '2025-05-17 10:05:20,000 - visionai_processor - ERROR - Out of memory error occurred during processing',
  'Traceback (most recent call last):',
  '  File "src/core/processor.py", line 120, in process_batch',
  '    result = model.forward(batch)',
  'torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 23.65 GiB total capacity)',
  '2025-05-17 10:05:40,000 - visionai_processor - INFO - retrying batch 7 with batch size 4',
  '2025-05-17 10:07:10,000 - model_loader - ERROR - Model file corrupt: clips_base.pt checksum mismatch',
  '2025-05-17 10:09:30,000 - visionai_processor - INFO - Finished',
  '',
];

export interface World {
  root: string;
  log: string;
  model: string;
  backup: string;
  stateDir: string;
  configFile: string;
}

/** A world where restore_backup has a truncated model to restore, and a user action that always fails. */
export function world(extraConfig: string[] = []): World {
  const root = tempDir('logmedic-serve-');
  for (const d of ['logs', 'models/clips', 'backups', 'state']) mkdirSync(join(root, d), { recursive: true });
  copyFileSync(join(models, 'clips_base.pt'), join(root, 'backups/clips_base.pt'));
  copyFileSync(join(models, 'clips_base.pt'), join(root, 'models/clips/clips_base.pt'));
  truncateSync(join(root, 'models/clips/clips_base.pt'), 700);
  writeFileSync(join(root, 'logs/visionai.log'), LOG_LINES.join('\n'));
  const configFile = join(root, 'logmedic.config.yaml');
  writeFileSync(
    configFile,
    [
      'backups: { dir: backups/, files: [models/] }',
      'policy: { cooldownSeconds: 0, circuit: { maxAttempts: 2, windowSeconds: 3600 } }',
      'state: { dir: state/ }',
      `actions: { page_oncall: { command: [${JSON.stringify(process.execPath)}, "-e", "process.exit(1)"] } }`,
      'serve:',
      '  logs: [logs/*.log]',
      ...extraConfig,
      '',
    ].join('\n'),
  );
  return { root, log: join(root, 'logs/visionai.log'), model: join(root, 'models/clips/clips_base.pt'), backup: join(root, 'backups/clips_base.pt'), stateDir: join(root, 'state'), configFile };
}

export async function serve(w: World, options: Partial<ServeOptions> = {}) {
  return createServer({ host: '127.0.0.1', port: 0, config: loadServeConfig(w.configFile), ...options });
}

export async function browser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page that records console errors, failed requests and requests leaving the server. */
export async function openPage(b: Awaited<ReturnType<typeof browser>>, base: string) {
  const context = await b.newContext({ viewport: { width: 1100, height: 800 } });
  const problems: string[] = [];
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(base + '/')) return route.continue();
    problems.push(`request left the server: ${u}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { context, page, problems };
}
