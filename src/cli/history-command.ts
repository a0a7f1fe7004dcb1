// `logmedic history`: what recovery did, from the audit journal (newest last); with `--fleet`,
// what every host sharing the config's policy.store did, from that store's journal stream.

import type { Argv } from 'yargs';
import { loadConfig } from '../config/index.js';
import { LogmedicError } from '../errors.js';
import { circuits, journalPath, readJournal } from '../recovery/index.js';
import type { JournalEntry } from '../recovery/journal.js';
import { printJson } from './output.js';
import { clean } from './recover-command.js';

export interface HistoryArgs {
  json?: boolean;
  limit: number;
  config?: string;
  fleet?: boolean;
}

export function historyBuilder(y: Argv): Argv<HistoryArgs> {
  return y
    .option('json', { type: 'boolean', describe: 'print the journal entries as a JSON array' })
    .option('limit', { alias: 'n', type: 'number', default: 20, describe: 'how many of the latest entries' })
    .option('config', { alias: 'c', type: 'string', describe: 'config file (its state.dir holds the journal)' })
    .option('fleet', { type: 'boolean', describe: "every host's steps, from the config's policy.store (Redis)" })
    .example('$0 history', 'the last 20 steps')
    .example('$0 history --json --limit 100', 'as JSON')
    .example('$0 history --fleet', "the last 20 steps of every host sharing policy.store") as unknown as Argv<HistoryArgs>;
}

const line = (e: JournalEntry) => {
  const trigger = e.trigger ? ` ← ${e.trigger.type} ${e.trigger.file}:${e.trigger.line}` : '';
  const detail = e.error ?? e.reason ?? (e.result === 'ok' ? e.change : '') ?? '';
  const approver = e.approvedBy ? `  (approved by ${e.approvedBy})` : '';
  return clean(`${e.time}  ${e.result.padEnd(7)} ${e.action}  ${e.target}${trigger}  ${e.durationMs ? `${(e.durationMs / 1000).toFixed(1)} s  ` : ''}${detail}${approver}`);
};

export async function runHistory(args: HistoryArgs): Promise<number> {
  if (!Number.isInteger(args.limit) || args.limit < 1) throw new LogmedicError('E_USAGE', `--limit must be a whole number ≥ 1, got ${args.limit}`);
  const config = loadConfig({ configPath: args.config });
  if (args.fleet) return runFleetHistory(config.policy.store, args);
  const skipped = { lines: 0 };
  const entries = readJournal(config.state.dir, args.limit, skipped);
  if (skipped.lines > 0) {
    process.stderr.write(`logmedic: warning: ${journalPath(config.state.dir)}: ${skipped.lines} line${skipped.lines === 1 ? ' is' : 's are'} not journal entries; left out\n`);
  }
  if (args.json) {
    printJson(entries);
    return 0;
  }
  if (entries.length === 0) {
    process.stdout.write(`no recovery recorded yet (${config.state.dir}/journal.jsonl)\n`);
    return 0;
  }
  for (const e of entries) process.stdout.write(line(e) + '\n');
  const open = circuits({ config }).filter((c) => c.open);
  for (const c of open) process.stdout.write(`circuit OPEN since ${c.openedAt}: ${c.action} ${clean(c.target)} (logmedic reset to close)\n`);
  return 0;
}

async function runFleetHistory(store: string | undefined, args: HistoryArgs): Promise<number> {
  if (!store) throw new LogmedicError('E_CONFIG', '--fleet needs policy.store in the config (a redis:// URL shared by the fleet)');
  // The Redis client loads only for --fleet: plain history stays as quick to start as before.
  const { readFleetJournal } = await import('../cluster/fleet-policy.js');
  const { redactUrl } = await import('../cluster/redis.js');
  let rows: Awaited<ReturnType<typeof readFleetJournal>>;
  try {
    rows = await readFleetJournal(store, args.limit);
  } catch (err) {
    throw new LogmedicError('E_IO', `fleet history: ${(err as Error).message}`);
  }
  if (args.json) {
    printJson(rows.map((r) => ({ host: r.host, ...r.entry })));
    return 0;
  }
  if (rows.length === 0) process.stdout.write(`no recovery recorded in the fleet yet (${redactUrl(store)})\n`);
  for (const r of rows) process.stdout.write(`${clean(r.host)}  ${line(r.entry)}\n`);
  return 0;
}
