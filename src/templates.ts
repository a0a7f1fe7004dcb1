// Template mining from TypeScript: the shapes of the lines in logs, with what varies
// masked as `<*>`. The miner is the Rust core's (crates/logmedic-core/src/template); this
// module only converts errors.
import { fromNative } from './errors.js';
import { native } from './native.js';
import type { TemplatesResult, TemplateOptions } from '../native/index.cjs';

export type { TemplatesResult, MinedTemplate, TemplateSighting } from '../native/index.cjs';

export interface MineTemplatesOptions extends TemplateOptions {
  signal?: AbortSignal;
}

/** Mine the templates of files (`-` is stdin; gzip and zstd are read decompressed), as one input. */
export async function mineTemplates(paths: string[], options: MineTemplatesOptions = {}): Promise<TemplatesResult> {
  const { signal, ...rest } = options;
  try {
    return await native.mineTemplates(paths, rest, signal);
  } catch (err) {
    throw fromNative(err);
  }
}

/** The same, on the calling thread. */
export function mineTemplatesSync(paths: string[], options: TemplateOptions = {}): TemplatesResult {
  try {
    return native.mineTemplatesSync(paths, options);
  } catch (err) {
    throw fromNative(err);
  }
}
