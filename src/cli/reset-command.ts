// `logmedic reset`: close circuit breakers (all, or one action and/or target) after a person
// has fixed what kept failing; the attempts before it no longer count. Journaled. With
// `policy.store`, the fleet's circuits and attempts in Redis are cleared too.

import { existsSync } from 'node:fs';
import type { Argv } from 'yargs';
import { loadConfig } from '../config/index.js';
import { closeCircuits, RecoverExit, RunLockBusy } from '../recovery/index.js';
import { clean } from './recover-command.js';

export interface ResetArgs {
  action?: string;
  target?: string;
  config?: string;
}

export function resetBuilder(y: Argv): Argv<ResetArgs> {
  return y
    .option('action', { type: 'string', describe: 'only circuits of this action' })
    .option('target', { type: 'string', describe: 'only circuits of this target (as shown by recover/history, e.g. service:processor)' })
    .option('config', { alias: 'c', type: 'string', describe: 'config file (its state.dir holds the circuits)' })
    .example('$0 reset', 'close every circuit')
    .example('$0 reset --action restart_service --target service:processor', 'close one') as unknown as Argv<ResetArgs>;
}

export async function runReset(args: ResetArgs): Promise<number> {
  const config = loadConfig({ configPath: args.config });
  const filter = { action: args.action, target: args.target };
  // No state directory: recovery never ran here, so there is no circuit and nothing to
  // journal. Creating the directory just to say so would leave litter behind.
  if (!existsSync(config.state.dir)) {
    process.stdout.write(`no circuit to reset: no recovery state in ${clean(config.state.dir)}\n`);
  } else {
    let result: { closed: string[]; forgotten: string[] };
    try {
      result = closeCircuits(config, filter);
    } catch (err) {
      if (err instanceof RunLockBusy) {
        process.stderr.write(`logmedic: ${err.message}\n`);
        return RecoverExit.BUSY;
      }
      throw err;
    }
    if (result.closed.length === 0) process.stdout.write(`no open circuit matched; attempt counts cleared for ${pairs(result.forgotten.length)}\n`);
    else for (const k of result.closed) process.stdout.write(`closed: ${clean(k)}\n`);
  }
  if (!config.policy.store) return 0;
  const { resetFleetCircuits } = await import('../cluster/fleet-policy.js');
  let fleet: { closed: string[]; forgotten: string[] };
  try {
    fleet = await resetFleetCircuits(config.policy.store, filter);
  } catch (err) {
    // This host's circuits are closed; the fleet's are not, and hosts would stay held back.
    process.stderr.write(`logmedic: fleet circuits not reset: ${clean((err as Error).message)}; run logmedic reset again when the store answers\n`);
    return 2;
  }
  if (fleet.closed.length === 0) process.stdout.write(`no open fleet circuit matched; fleet attempt counts cleared for ${pairs(fleet.forgotten.length)}\n`);
  else for (const k of fleet.closed) process.stdout.write(`closed (fleet): ${clean(k)}\n`);
  return 0;
}

const pairs = (n: number) => `${n} action/target pair${n === 1 ? '' : 's'}`;
