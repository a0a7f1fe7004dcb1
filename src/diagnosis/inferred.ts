// Types inferred by the learned model (crates/logmedic-core/src/model) for the diagnosis'
// Unrecognised groups: error-level lines no catalog pattern matched, grouped by template in
// the same scan that found the records. Each group is classified once, by its example, and
// its answer is kept on the group, apart from pattern matches; recovery acts on it only when
// `policy.inferred` allows it.
import { fromNative } from '../errors.js';
import { native } from '../native.js';
import type { Diagnosis, UnrecognisedTemplate } from './types.js';

export interface InferredType {
  /**
   * The likeliest type, when a training sample of that type resembles the text (the core's
   * support floor); `null` when it does not, or when the likeliest answer is "not a failure
   * the model knows".
   */
  type: string | null;
  /** Calibrated probability of the likeliest answer, 0..1. */
  confidence: number;
  /** Best similarity, 0..1, of the text to a training sample of the likeliest type; `null` for a benign answer. */
  support: number | null;
}

/** The shipped model's answer for each text, in order. */
export function inferTypes(texts: string[]): InferredType[] {
  try {
    return native.inferTypesSync(texts).map((a) => ({ type: a.type ?? null, confidence: a.confidence, support: a.support ?? null }));
  } catch (err) {
    throw fromNative(err);
  }
}

/**
 * Below this confidence a group has no inferred type (`type: null`; the confidence stays for
 * tools to judge). Chosen by measurement, not by hand (`npx tsx bench/model.ts --loso --unseen`
 * and `--loghub`, docs/accuracy.md): the lowest confidence, in steps of 0.05 and never under
 * 0.5 (an answer the model holds less likely than not), from which at least 95% of the answers
 * are right when each dev held-out set is typed by a model trained without it and without near
 * copies of its wording (over all the sets and on the least-covered one), and from which the
 * model types only a few loghub-2k templates, each a real failure
 * (test/fixtures/loghub-inferred.json, checked by test/loghub.test.ts). The core's support
 * floor (a training sample of the type must resemble the text) applies first.
 */
export const SHOW_INFERRED_FROM = 0.5;

/** The model's answer for a group as kept on it: a type only at or above SHOW_INFERRED_FROM. */
export function groupAnswer(a: InferredType): { type: string | null; confidence: number; support: number | null } {
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { type: a.type !== null && a.confidence >= SHOW_INFERRED_FROM ? a.type : null, confidence: round(a.confidence), support: a.support === null ? null : round(a.support) };
}

/**
 * Types each Unrecognised group of `diagnosis` with the model, in place (one model call for all
 * the groups listed), and returns the diagnosis. Groups already typed are left as they are.
 */
export function inferUnrecognised(diagnosis: Diagnosis): Diagnosis {
  const groups = (diagnosis.unrecognised?.templates ?? []).filter((g) => g.inferred === undefined);
  if (groups.length === 0) return diagnosis;
  const answers = inferTypes(groups.map((g) => g.example));
  groups.forEach((g, i) => (g.inferred = groupAnswer(answers[i])));
  return diagnosis;
}

/** An Unrecognised group the model gave a type. */
export type TypedGroup = UnrecognisedTemplate & { inferred: { type: string; confidence: number } };

/** The Unrecognised groups the model gave a type, most lines first. */
export const typedGroups = (diagnosis: Diagnosis): TypedGroup[] =>
  (diagnosis.unrecognised?.templates ?? []).filter((g): g is TypedGroup => typeof g.inferred?.type === 'string');
