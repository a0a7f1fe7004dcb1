// The command table. Each command lives in its own module; this file wires them to yargs,
// turns errors into one line and an exit code, and Ctrl-C into an abort.
import yargs from 'yargs';
import { ExitCode, LogmedicError } from '../errors.js';
import { reportError } from './output.js';
import { runScan, scanBuilder, type ScanArgs } from './scan-command.js';

export async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let exit: number = ExitCode.OK;
  let usageError: string | undefined;
  try {
    const parser = yargs(argv)
      .scriptName('logmedic')
      .usage('$0 <command> [options]\n\nRecognise what failed in a log and perform the recovery that fits.')
      .command<ScanArgs>('scan <file>', 'count lines matching each of many patterns, in one pass', scanBuilder, async (args) => {
        exit = await runScan(args, controller.signal);
      })
      .demandCommand(1, 'name a command (see --help)')
      .strict()
      .help()
      .alias('h', 'help')
      .version()
      .wrap(Math.min(100, process.stdout.columns || 100))
      .fail((msg, err) => {
        if (err) throw err;
        usageError = msg;
      });
    await parser.parseAsync();
    if (usageError !== undefined) throw new LogmedicError('E_USAGE', usageError);
  } catch (err) {
    exit = reportError(err);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  return exit;
}
