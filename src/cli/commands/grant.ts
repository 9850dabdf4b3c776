import type { CAC } from 'cac';
import { stringOption } from '../raw-argv.js';

// `aex grant RULE [--for 30m] [--session ID]`, `aex grant --list`, `aex grant --revoke ID`:
// a person's time-bounded approval of exactly one rule, honoured by the kernel on every
// surface (docs/grants.md).

interface GrantFlags {
  for?: unknown;
  session?: unknown;
  list?: boolean;
  revoke?: unknown;
  project?: unknown;
  json?: boolean;
}

export function register(cli: CAC): void {
  cli
    .command('grant [rule]', 'Approve exactly one rule for a while (a person at a terminal only); list or revoke grants')
    .option('--for <duration>', 'How long the grant holds: 90s, 30m, 2h, 1d (default 30m, at most 7d)')
    .option('--session <id>', 'Only calls of this host session may use it')
    .option('--list', 'List the project\'s grants')
    .option('--revoke <id>', 'Remove a grant')
    .option('--project <dir>', 'The project (default: found from the current directory as aex gate does)')
    .option('--json', 'Print JSON')
    .example('aex grant \'shell.exec:"npm test"\' --for 30m')
    .example('aex grant --list')
    .action(async (rule: string | undefined, flags: GrantFlags) => {
      const { runGrantCommand } = await import('../../grants/command.js');
      const text = (v: unknown, names: string[]) => (v === undefined ? undefined : (stringOption(v, names) ?? ''));
      const r = runGrantCommand(
        {
          ...(rule !== undefined ? { rule: String(rule) } : {}),
          ...(flags.for !== undefined ? { for: text(flags.for, ['for'])! } : {}),
          ...(flags.session !== undefined ? { session: text(flags.session, ['session'])! } : {}),
          ...(flags.list ? { list: true } : {}),
          ...(flags.revoke !== undefined ? { revoke: text(flags.revoke, ['revoke'])! } : {}),
          ...(flags.project !== undefined ? { project: text(flags.project, ['project'])! } : {}),
          ...(flags.json ? { json: true } : {}),
        },
        { cwd: process.cwd(), env: process.env, interactive: process.stdin.isTTY === true && process.stderr.isTTY === true },
      );
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
      if (r.exitCode !== 0) process.exitCode = r.exitCode;
    });
}
