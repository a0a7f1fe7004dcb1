// Errors are values with a stable code from the Rust core to the CLI. This is the one
// place where a native error becomes a LogmedicError, and where exit codes are defined.

export type ErrorCode =
  | 'E_NOT_FOUND'
  | 'E_PERMISSION'
  | 'E_IS_DIRECTORY'
  | 'E_PATTERN'
  | 'E_TRUNCATED'
  | 'E_CORRUPT'
  | 'E_ENGINE'
  | 'E_INVALID_ARG'
  | 'E_ABORTED'
  | 'E_IO'
  | 'E_CONFIG'
  | 'E_USAGE'
  | 'E_INTERNAL';

export class LogmedicError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LogmedicError';
    this.code = code;
  }
}

/** Documented exit codes of the CLI. */
export const ExitCode = {
  /** Success; for analyze: no failure found. */
  OK: 0,
  /** analyze/test: failures found (or a `--fail-on` type was seen). */
  FOUND: 1,
  /** Unusable input or bad usage: missing file, invalid pattern, corrupt archive… */
  INPUT: 2,
  /** Aborted by the user (Ctrl-C). */
  ABORTED: 130,
} as const;

/** A code the core gives its errors (`E_` and capitals); the binding sets it as `err.code`. */
const CORE_CODE = /^E_[A-Z_]+$/;

/** Turn whatever the native addon threw into a LogmedicError with a code. */
export function fromNative(err: unknown): LogmedicError {
  if (err instanceof LogmedicError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
  if (typeof code === 'string' && CORE_CODE.test(code)) return new LogmedicError(code as ErrorCode, message, { cause: err });
  if (err instanceof Error && (err as NodeJS.ErrnoException).code === 'ABORT_ERR') {
    return new LogmedicError('E_ABORTED', 'aborted', { cause: err });
  }
  if (err instanceof Error && err.name === 'AbortError') {
    return new LogmedicError('E_ABORTED', 'aborted', { cause: err });
  }
  return new LogmedicError('E_INTERNAL', message, { cause: err });
}

/** The exit code for an error code. */
export function exitCodeFor(code: ErrorCode): number {
  return code === 'E_ABORTED' ? ExitCode.ABORTED : code === 'E_INTERNAL' ? 3 : ExitCode.INPUT;
}

/** Why a file operation failed, in words (`permission denied`, `file name too long`), by errno. */
const ERRNO_WORDS: Record<string, [ErrorCode, string]> = {
  ENOENT: ['E_NOT_FOUND', 'no such file'],
  ENOTDIR: ['E_NOT_FOUND', 'a part of the path is not a directory'],
  ENAMETOOLONG: ['E_NOT_FOUND', 'file name too long'],
  ELOOP: ['E_NOT_FOUND', 'too many levels of symbolic links'],
  EACCES: ['E_PERMISSION', 'permission denied'],
  EPERM: ['E_PERMISSION', 'permission denied'],
  EROFS: ['E_PERMISSION', 'read-only file system'],
  EISDIR: ['E_IS_DIRECTORY', 'is a directory'],
  ENOSPC: ['E_IO', 'no space left on the device'],
  EDQUOT: ['E_IO', 'disk quota exceeded'],
};

/** The error code for `err` (a failed fs call) by its errno; `E_IO` for any other. */
export function errnoCode(err: unknown): ErrorCode {
  const errno = (err as NodeJS.ErrnoException)?.code;
  return (errno && ERRNO_WORDS[errno]?.[0]) || 'E_IO';
}

/** Why `err` (a failed fs call) happened, in words where its errno is known, else its code. */
export function errnoReason(err: unknown): string {
  const errno = (err as NodeJS.ErrnoException)?.code;
  return (errno && ERRNO_WORDS[errno]?.[1]) || String(errno ?? (err as Error)?.message ?? err);
}

/**
 * A failed file operation as one line naming the file the user knows (never a temporary name
 * beside it): `PATH: cannot DOING (permission denied)`. ENOENT reads "no such directory" and
 * ENOTDIR "not a directory": a missing file itself is no error for the writes and reads that
 * use this, so what is missing is a directory on the way.
 */
export function fileError(path: string, doing: string, err: unknown): LogmedicError {
  if (err instanceof LogmedicError) return err;
  const errno = (err as NodeJS.ErrnoException)?.code;
  const why = errno === 'ENOENT' ? 'no such directory' : errno === 'ENOTDIR' ? 'not a directory' : errnoReason(err);
  return new LogmedicError(errnoCode(err), `${path}: cannot ${doing} (${why})`, { cause: err });
}

/**
 * `err` as the user should read it when it names a file of ours in their stead (a temp copy
 * of their stdin, a partial file, an upload's copy): that path replaced by the name they gave.
 * Anything but a LogmedicError is returned as it is.
 */
export function namedAs(err: unknown, ours: string, theirs: string): unknown {
  if (!(err instanceof LogmedicError) || ours === theirs) return err;
  return new LogmedicError(err.code, err.message.split(ours).join(theirs), { cause: err });
}
