// `logmedic templates FILE...`: the templates of the lines in logs (what varies masked as
// `<*>`), with counts, first and last sighting and an example; `--ids` prints the template
// id of every input line instead, in order. The mining is the core's.
import type { Argv } from 'yargs';
import { LogmedicError } from '../errors.js';
import { mineTemplates, type MinedTemplate, type TemplateSighting, type TemplatesResult } from '../templates.js';
import { maskControls, printJson } from './output.js';
import { readTimeArgs, timeOptions, type TimeArgs } from './time-options.js';
import { checkStdinOnce } from './usage.js';

export interface TemplatesArgs extends TimeArgs {
  files: string[];
  json?: boolean;
  'errors-only'?: boolean;
  ids?: boolean;
  threads?: number;
}

export function templatesBuilder(y: Argv): Argv<TemplatesArgs> {
  return timeOptions(y)
    .positional('files', { type: 'string', array: true, describe: 'log files (plain, .gz or .zst; - for stdin), mined as one input', demandOption: true })
    .option('json', { type: 'boolean', describe: 'print JSON' })
    .option('errors-only', { type: 'boolean', describe: 'mine only lines whose header gives an error level (ERROR, CRITICAL, FATAL)' })
    .option('ids', { type: 'boolean', describe: 'print one template id per input line, in order (- for a line not mined)' })
    .option('threads', { alias: 't', type: 'number', describe: 'worker threads (default: all cores)' })
    .example('$0 templates app.log', 'the templates, most frequent first')
    .example('$0 templates app.log --errors-only --json', 'the templates of error lines, as JSON')
    .example('$0 templates app.log --ids', 'the template id of each line')
    .example('$0 templates app.log --since "2026-12-01 10:00" --until "2026-12-01 11:00"', 'the templates of the lines of one hour') as unknown as Argv<TemplatesArgs>;
}

export async function runTemplates(args: TemplatesArgs, signal: AbortSignal): Promise<number> {
  const threads = args.threads;
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new LogmedicError('E_USAGE', `--threads must be a whole number of at least 1, got ${threads}`);
  }
  checkStdinOnce(args.files);
  const time = readTimeArgs(args);
  const result = await mineTemplates(args.files, { threads, lineIds: args.ids ?? false, errorsOnly: args['errors-only'] ?? false, ...time, signal });
  // A reader that stops early (`| head`) closes the pipe: the output is cut, not an error.
  const onOutputError = (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  };
  process.stdout.on('error', onOutputError);
  try {
    if (args.json) printJson(toJson(args, result));
    else if (args.ids) printIds(result);
    else printTable(args, result);
  } finally {
    process.stdout.write('', () => process.stdout.removeListener('error', onOutputError));
  }
  return 0;
}

function toJson(args: TemplatesArgs, result: TemplatesResult): unknown {
  const where = (s: TemplateSighting) => ({ file: args.files[s.file], line: s.line, ...(s.time ? { time: s.time } : {}) });
  return {
    files: args.files,
    lines: result.lines,
    templates: result.templates.map((t) => ({ ...t, first: where(t.first), last: where(t.last) })),
    ...(result.lineTemplates ? { lineIds: result.lineTemplates.map((i) => (i < 0 ? null : result.templates[i].id)) } : {}),
  };
}

function printIds(result: TemplatesResult): void {
  const ids = result.lineTemplates ?? [];
  const BATCH = 65536;
  for (let i = 0; i < ids.length; i += BATCH) {
    const out = ids.slice(i, i + BATCH).map((t) => (t < 0 ? '-' : result.templates[t].id));
    process.stdout.write(out.join('\n') + '\n');
  }
}

function printTable(args: TemplatesArgs, result: TemplatesResult): void {
  const byCount = [...result.templates].sort((a, b) => b.count - a.count || a.first.file - b.first.file || a.first.line - b.first.line);
  const width = Math.max(5, ...byCount.map((t) => String(t.count).length));
  const place = (s: TemplateSighting) => (args.files.length > 1 ? `${args.files[s.file]}:${s.line}` : `line ${s.line}`);
  for (const t of byCount) {
    process.stdout.write(`${String(t.count).padStart(width)}  ${t.id}  ${maskControls(t.text)}\n`);
    process.stdout.write(`${' '.repeat(width)}  ${levelsOf(t)}first ${place(t.first)}, last ${maskControls(place(t.last))}: ${maskControls(t.example)}\n`);
  }
  const mined = byCount.reduce((n, t) => n + t.count, 0);
  const scope = args['errors-only'] ? `${mined} error lines of ${result.lines}` : `${result.lines} lines`;
  process.stdout.write(`${result.templates.length} templates in ${scope}\n`);
}

function levelsOf(t: MinedTemplate): string {
  return t.levels.length ? `[${t.levels.join(',')}] ` : '';
}
