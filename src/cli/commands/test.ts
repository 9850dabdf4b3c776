import type { CAC } from 'cac';
import { stringOption } from '../raw-argv.js';

// `aex test [FILES…] [--policy FILE] [--json]`: run policy tests (docs/policy-tests.md)
// through the same describers and kernel as enforcement. Exit 0 when every case holds,
// 1 on any mismatch, 2 when a file cannot be read or run.

export function register(cli: CAC): void {
  cli
    .command('test [...files]', 'Run policy tests (default: the project\'s .aex/*.test.aex) and print what each call is decided')
    .option('--policy <file>', 'The policy under test (default: the file\'s `policy` line, else the project\'s policy)')
    .option('--json', 'Print the results as JSON')
    .example('aex test')
    .example('aex test .aex/policy.test.aex --policy candidate.aex')
    .action(async (files: string[], flags: { policy?: unknown; json?: boolean }) => {
      const { runTestCommand } = await import('../../policytest/index.js');
      const policy = flags.policy !== undefined ? stringOption(flags.policy, ['policy']) : undefined;
      const r = await runTestCommand({ files: files.map(String), ...(policy !== undefined ? { policy } : {}), ...(flags.json ? { json: true } : {}), cwd: process.cwd() });
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
      if (r.exitCode !== 0) process.exitCode = r.exitCode;
    });
}
