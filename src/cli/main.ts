import { cac } from 'cac';
import { CliError } from './errors.js';
import { reportError } from './report-error.js';
import { commands } from './commands/index.js';
import { VERSION } from '../version.js';

export { reportError };

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
