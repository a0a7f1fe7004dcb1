// Tracebacks embedded in JSON log lines. Structured loggers (python-json-logger, structlog,
// pino, winston) put the whole traceback in one string field ("exc_info", "stack"), with its
// line breaks escaped as `\n`. There the exception class follows the two characters `\` `n`,
// so the `\b` the other patterns start with cannot match; these patterns accept that prefix.

import { patternsOf } from './define.js';

const jsonLine = (exc: string) =>
  `{"ts":"2025-05-17T10:05:08.033Z","level":"error","logger":"api","msg":"request failed","exc_info":"Traceback (most recent call last):\\n  File \\"/app/main.py\\", line 47, in run\\n    x = f()\\n${exc}"}`;
const healthyJson = '{"ts":"2025-05-17T10:05:08.048Z","level":"info","logger":"api","msg":"batch done\\nMemoryErrors=0 ValueErrors=0 KeyErrors=0"}';

export const EMBEDDED_OUT_OF_MEMORY = patternsOf('OutOfMemory', [
  {
    name: 'json-embedded-memoryerror',
    re: String.raw`\\n(?:[\w.]+\.)?(?:MemoryError|OutOfMemoryError)(?::|"|\\n|$)`,
    origin: 'python tracebacks inside JSON log lines',
    match: [jsonLine('MemoryError'), jsonLine('torch.cuda.OutOfMemoryError: CUDA out of memory.')],
    noMatch: [healthyJson],
  },
]);

export const EMBEDDED_SYNTAX_ERROR = patternsOf('SyntaxError', [
  {
    name: 'json-embedded-syntaxerror',
    re: String.raw`\\n(?:SyntaxError|IndentationError|TabError): `,
    origin: 'python tracebacks inside JSON log lines',
    match: [jsonLine('IndentationError: unexpected indent'), jsonLine("SyntaxError: expected ':'")],
    noMatch: [healthyJson],
  },
]);

export const EMBEDDED_VALUE_ERROR = patternsOf('ValueError', [
  {
    name: 'json-embedded-valueerror',
    re: String.raw`\\n(?:[\w.]+\.)?(?:ValueError|Unicode(?:De|En)codeError): `,
    origin: 'python tracebacks inside JSON log lines',
    match: [jsonLine("ValueError: could not convert string to float: 'N/A'")],
    noMatch: [healthyJson],
  },
]);

export const EMBEDDED_KEY_ERROR = patternsOf('KeyError', [
  {
    name: 'json-embedded-keyerror',
    re: String.raw`\\n(?:[\w.]+\.)?KeyError: `,
    origin: 'python tracebacks inside JSON log lines',
    match: [jsonLine("KeyError: 'model_path'")],
    noMatch: [healthyJson],
  },
]);

export const EMBEDDED_IMPORT_ERROR = patternsOf('ImportError', [
  {
    name: 'json-embedded-importerror',
    re: String.raw`\\n(?:ModuleNotFoundError|ImportError): (?:No module named|cannot import name)`,
    origin: 'python tracebacks inside JSON log lines',
    match: [jsonLine("ModuleNotFoundError: No module named 'cv2'")],
    noMatch: [healthyJson],
  },
]);

export const EMBEDDED_MISSING_DEPENDENCY = patternsOf('MissingDependency', [
  {
    name: 'json-embedded-missing-executable',
    // A bare program name (no path, no extension) is the executable subprocess could not find.
    re: String.raw`\\nFileNotFoundError: \[Errno 2\] No such file or directory: '[A-Za-z0-9_+-]+'(?:"|\\n|$)`,
    origin: 'python subprocess tracebacks inside JSON log lines',
    match: [jsonLine("FileNotFoundError: [Errno 2] No such file or directory: 'ffmpeg'")],
    noMatch: [jsonLine("FileNotFoundError: [Errno 2] No such file or directory: 'data/input.csv'")],
  },
]);
