// Template mining from TypeScript: the shapes of the lines in logs, with what varies
// masked as `<*>`. The miner is the Rust core's (crates/logmedic-core/src/template); this
// module only converts errors.
import { fromNative, LogmedicError } from './errors.js';
import { native } from './native.js';
import { bound } from './diagnosis/analyzer.js';
import type { TemplatesResult, TemplateOptions } from '../native/index.cjs';

export type { TemplatesResult, MinedTemplate, TemplateSighting } from '../native/index.cjs';

export interface MineTemplatesOptions extends Omit<TemplateOptions, 'since' | 'until'> {
  signal?: AbortSignal;
  /** Mine only lines at or after this time (the core compares; lines without a time are mined). */
  since?: Date;
  /** Mine only lines at or before this time. */
  until?: Date;
}

function toNative(o: Omit<MineTemplatesOptions, 'signal'>): TemplateOptions {
  const { since, until, ...rest } = o;
  return { ...rest, since: bound(since), until: bound(until) };
}

/** Mine the templates of files (`-` is stdin; gzip and zstd are read decompressed), as one input. */
export async function mineTemplates(paths: string[], options: MineTemplatesOptions = {}): Promise<TemplatesResult> {
  const { signal, ...rest } = options;
  if (signal?.aborted) throw new LogmedicError('E_ABORTED', 'template mining aborted');
  // The core stops between blocks of input once the job is cancelled.
  const job = new native.ScanJob();
  const onAbort = () => job.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await native.mineTemplates(paths, toNative(rest), undefined, job);
  } catch (err) {
    throw fromNative(err);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The same, on the calling thread. */
export function mineTemplatesSync(paths: string[], options: Omit<MineTemplatesOptions, 'signal'> = {}): TemplatesResult {
  try {
    return native.mineTemplatesSync(paths, toNative(options));
  } catch (err) {
    throw fromNative(err);
  }
}
