// `aex check` on its own: cac with the check command only, and the same error reporting as the
// full CLI. bin/aex.js runs it from one pre-compiled bundle (scripts/bundle-cli.mjs), because
// checking a policy from a cold process should cost little more than starting node; the
// command itself is the one `aex help` lists (src/cli/commands/check.ts).

import { cac } from 'cac';
import { register } from './commands/check.js';
import { reportError } from './report-error.js';
import { VERSION } from '../version.js';

export async function checkMain(argv: string[]): Promise<void> {
  const cli = cac('aex');
  register(cli);
  cli.help();
  cli.version(VERSION);
  try {
    cli.parse(argv, { run: false });
    await cli.runMatchedCommand();
  } catch (err) {
    reportError(err);
  }
}
