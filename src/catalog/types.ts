// The shape of the failure catalog: error types, their patterns, and the samples every
// pattern ships (lines it must match and near-misses it must not). The catalog is data;
// it is compiled once into the Rust core through the same path as user patterns.

/** The 20 error types the original description names, by their exact names. */
export const ERROR_TYPES = [
  'OutOfMemory',
  'GPUError',
  'DiskSpace',
  'IOError',
  'ProcessCrash',
  'Deadlock',
  'Timeout',
  'MemoryLeak',
  'ModelCorruption',
  'ConfigError',
  'DataCorruption',
  'NetworkTimeout',
  'ConnectionError',
  'DNSError',
  'PermissionDenied',
  'ImportError',
  'SyntaxError',
  'ValueError',
  'KeyError',
  'MissingDependency',
] as const;

/** One of the 20 built-in types, or a user-defined one. */
export type ErrorType = (typeof ERROR_TYPES)[number] | (string & {});

export type Category = 'hardware' | 'software' | 'data' | 'network' | 'other';

export interface ErrorTypeDef {
  name: ErrorType;
  category: Category;
  /** English and Chinese one-line descriptions (the original description is written for Chinese readers). */
  description: string;
  zh: string;
  /**
   * Precedence when one record matches patterns of several types: the highest wins.
   * E.g. OutOfMemory outranks GPUError, so `RuntimeError: CUDA out of memory` is OutOfMemory.
   */
  priority: number;
}

export interface CatalogPattern {
  /** Stable id, `<type>/<short-name>`, e.g. `OutOfMemory/cuda-oom`. */
  id: string;
  type: ErrorType;
  /** Rust regex syntax, byte-oriented; `(?i)` for case-insensitive. Matched per line. */
  pattern: string;
  /** Overrides the type's priority for this pattern when set. */
  priority?: number;
  /**
   * Makes this a *refining* pattern: it never flags anything alone; when a record (or line)
   * is already of one of these types and this pattern matches in it with a higher
   * precedence, this pattern's type wins. E.g. a model-loading frame (`torch.load(`) turns a
   * truncated-file DataCorruption traceback into ModelCorruption. Its match samples are
   * whole records that hold a line of a refined type.
   */
  refines?: ErrorType[];
  /** Where this failure text comes from (python, pytorch, jvm, kernel, nginx, …). */
  origin: string;
  /** Lines this pattern must match (at least one). */
  match: string[];
  /** Near-miss lines it must not match (at least one). */
  noMatch: string[];
}

export interface Catalog {
  types: ErrorTypeDef[];
  patterns: CatalogPattern[];
}
