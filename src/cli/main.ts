import { cac } from 'cac';
import { CliError } from './errors.js';
import { AexError, internalErrorText } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { commands } from './commands/index.js';
import { VERSION } from '../version.js';

export function buildCli() {
  const cli = cac('aex');
  for (const register of commands) register(cli);
  cli.command('help [command]', 'Show help for aex or for one command').action((name?: string) => {
    const target = name ? cli.commands.find((c) => c.name === name) : undefined;
    if (name && !target) throw new CliError(`unknown command "${name}"`);
    if (target) target.outputHelp();
    else cli.globalCommand.outputHelp();
  });
  cli.help();
  cli.version(VERSION);
  return cli;
}

export async function main(argv: string[]): Promise<void> {
  const cli = buildCli();
  try {
    cli.parse(argv, { run: false });
    if (!cli.matchedCommand) {
      if (cli.options.help || cli.options.version) return;
      const name = cli.args[0];
      if (name === undefined) {
        cli.outputHelp();
        return;
      }
      throw new CliError(`unknown command "${name}". Run "aex help" for the list of commands.`);
    }
    await cli.runMatchedCommand();
  } catch (err) {
    reportError(err);
  }
}

/**
 * How every command ends on an error: an AexError (a mistake a person can fix) and cac's
 * own usage errors are one line with their exit code; anything else is a bug, reported
 * through the one internal-error path (exit 70, the stack with AEX_DEBUG).
 */
export function reportError(err: unknown): void {
  if (err instanceof AexError) {
    process.stderr.write(`error ${err.message}\n`);
    process.exitCode = err.exitCode;
    return;
  }
  // cac reports user mistakes (unknown option, missing argument) as CACError.
  if (err instanceof Error && err.name === 'CACError') {
    process.stderr.write(`error ${err.message}\n`);
    process.exitCode = EXIT.failed;
    return;
  }
  process.stderr.write(`error ${internalErrorText(err)}\n`);
  process.exitCode = EXIT.internal;
}
