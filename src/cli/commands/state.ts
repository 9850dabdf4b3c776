import type { CAC } from 'cac';
import { CliError } from '../errors.js';
import { stringOption } from '../raw-argv.js';

// `aex state path [--project DIR]`: where AEX keeps a project's state outside the workspace
// (budgets, gate audits, grants, the policy cache; docs/design.md#where-state-lives).

export function register(cli: CAC): void {
  cli
    .command('state <what>', 'Show where AEX keeps a project\'s state (budgets, audits, grants, cache): aex state path')
    .option('--project <dir>', 'The project (default: found from the current directory as aex gate does)')
    .example('aex state path')
    .action(async (what: string, flags: { project?: unknown }) => {
      if (what !== 'path') throw new CliError(`unknown state subcommand "${what}"; the one there is: aex state path`);
      const path = await import('node:path');
      const { projectRootOf } = await import('../../runtime/policy/project-root.js');
      const { projectStateDirectory } = await import('../../runtime/state-dir.js');
      const project = flags.project === undefined ? undefined : stringOption(flags.project, ['project']);
      const root = project !== undefined && project !== '' ? path.resolve(project) : projectRootOf(process.cwd());
      process.stdout.write(`${projectStateDirectory(root)}\n`);
    });
}
