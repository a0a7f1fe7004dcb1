// `logmedic history`: what recovery did, from the audit journal (newest last).

import type { Argv } from 'yargs';
import { loadConfig } from '../config/index.js';
import { LogmedicError } from '../errors.js';
import { circuits, readJournal } from '../recovery/index.js';
import { printJson } from './output.js';
import { clean } from './recover-command.js';

export interface HistoryArgs {
  json?: boolean;
  limit: number;
  config?: string;
}

export function historyBuilder(y: Argv): Argv<HistoryArgs> {
  return y
    .option('json', { type: 'boolean', describe: 'print the journal entries as a JSON array' })
    .option('limit', { alias: 'n', type: 'number', default: 20, describe: 'how many of the latest entries' })
    .option('config', { alias: 'c', type: 'string', describe: 'config file (its state.dir holds the journal)' })
    .example('$0 history', 'the last 20 steps')
    .example('$0 history --json --limit 100', 'as JSON') as unknown as Argv<HistoryArgs>;
}

export function runHistory(args: HistoryArgs): number {
  if (!Number.isInteger(args.limit) || args.limit < 1) throw new LogmedicError('E_USAGE', `--limit must be a whole number ≥ 1, got ${args.limit}`);
  const config = loadConfig({ configPath: args.config });
  const entries = readJournal(config.state.dir, args.limit);
  if (args.json) {
    printJson(entries);
    return 0;
  }
  if (entries.length === 0) {
    process.stdout.write(`no recovery recorded yet (${config.state.dir}/journal.jsonl)\n`);
    return 0;
  }
  for (const e of entries) {
    const trigger = e.trigger ? ` ← ${e.trigger.type} ${e.trigger.file}:${e.trigger.line}` : '';
    const detail = e.error ?? e.reason ?? (e.result === 'ok' ? e.change : '') ?? '';
    const approver = e.approvedBy ? `  (approved by ${e.approvedBy})` : '';
    process.stdout.write(clean(`${e.time}  ${e.result.padEnd(7)} ${e.action}  ${e.target}${trigger}  ${e.durationMs ? `${(e.durationMs / 1000).toFixed(1)} s  ` : ''}${detail}${approver}`) + '\n');
  }
  const open = circuits({ config }).filter((c) => c.open);
  for (const c of open) process.stdout.write(`circuit OPEN since ${c.openedAt}: ${c.action} ${clean(c.target)} (logmedic reset to close)\n`);
  return 0;
}
