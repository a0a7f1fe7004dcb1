// Types inferred by the learned model (crates/logmedic-core/src/model) for error-level
// lines no catalog pattern matched, grouped by template so each shape is classified once.
// Their answers stay apart from pattern matches: a Diagnosis carries them in `inferred`,
// and recovery acts on them only when `policy.inferred` allows it.
import type { Catalog } from '../catalog/types.js';
import { fromNative } from '../errors.js';
import { native } from '../native.js';
import { mineTemplates } from '../templates.js';
import { classifyText } from './classify.js';
import type { InferredGroup } from './types.js';

export interface InferredType {
  /** The likeliest type; `null` when the likeliest answer is "not a failure the model knows". */
  type: string | null;
  /** Calibrated probability of that answer, 0..1. */
  confidence: number;
}

/** The shipped model's answer for each text, in order. */
export function inferTypes(texts: string[]): InferredType[] {
  try {
    return native.inferTypesSync(texts).map((a) => ({ type: a.type ?? null, confidence: a.confidence }));
  } catch (err) {
    throw fromNative(err);
  }
}

/** Below this confidence an inferred type is not shown as a type (the group stays unrecognised). */
export const SHOW_INFERRED_FROM = 0.5;
/** Templates classified per run, most frequent first: the rest are counted, not typed. */
const MAX_GROUPS = 200;

/**
 * The error-level templates of `files` whose example no pattern of `catalog` matches, each
 * with the model's type when it is at least {@link SHOW_INFERRED_FROM} confident.
 */
export async function inferUnrecognised(files: string[], catalog: Catalog, options: { signal?: AbortSignal } = {}): Promise<InferredGroup[]> {
  const mined = await mineTemplates(files, { errorsOnly: true, signal: options.signal });
  const unmatched = mined.templates
    .filter((t) => t.error && !classifyText(catalog, t.example))
    .sort((a, b) => b.count - a.count)
    .slice(0, MAX_GROUPS);
  const answers = inferTypes(unmatched.map((t) => t.example));
  return unmatched.map((t, i) => {
    const a = answers[i];
    const typed = a.type !== null && a.confidence >= SHOW_INFERRED_FROM;
    return {
      template: t.text,
      count: t.count,
      example: t.example,
      first: { file: files[t.first.file] ?? '', line: t.first.line },
      ...(typed ? { inferred: { type: a.type as string, confidence: Math.round(a.confidence * 1000) / 1000 } } : {}),
    };
  });
}
