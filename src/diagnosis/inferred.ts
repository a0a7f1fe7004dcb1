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

/**
 * Below this confidence an inferred type is not shown as the group's type (text and report
 * say "no confident type"; JSON keeps the answer with its confidence for tools to judge).
 * High on purpose: on the dev sets its answers at 0.9 or above are right (1,193 answers, 100% when rounded), while
 * at 0.5 it types hundreds of real-but-odd lines in the loghub-2k logs (docs/accuracy.md).
 */
export const SHOW_INFERRED_FROM = 0.9;
/** Templates classified per run, most frequent first: the rest are counted, not typed. */
const MAX_GROUPS = 200;

/**
 * The error-level templates of `files` whose example no pattern of `catalog` matches, each
 * with the model's answer when it names a type.
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
    return {
      template: t.text,
      count: t.count,
      example: t.example,
      first: { file: files[t.first.file] ?? '', line: t.first.line },
      ...(a.type !== null ? { inferred: { type: a.type as string, confidence: Math.round(a.confidence * 1000) / 1000 } } : {}),
    };
  });
}

/** Whether a group's inferred type is confident enough to be shown as its type. */
export const shownInferred = (g: InferredGroup): boolean => g.inferred !== undefined && g.inferred.confidence >= SHOW_INFERRED_FROM;
