import type { CAC } from 'cac';
import { stringOption } from '../raw-argv.js';

// `aex suggest AUDIT… [--policy FILE] [--json]`: the narrowest rules that would have
// allowed what an audit shows refused or confirmed, as a diff against the policy; never
// applied (docs/policy-tests.md).

export function register(cli: CAC): void {
  cli
    .command('suggest [...audits]', 'Propose the narrowest rules for calls an audit shows refused or confirmed (a diff; never applied)')
    .option('--policy <file>', 'The policy to diff against (default: the project\'s policy)')
    .option('--json', 'Print the suggestions as JSON')
    .example('aex suggest .aex/audit/run-1.jsonl > allow.patch && git apply allow.patch')
    .action(async (audits: string[], flags: { policy?: unknown; json?: boolean }) => {
      const { runSuggestCommand } = await import('../../suggest/index.js');
      const policy = flags.policy !== undefined ? stringOption(flags.policy, ['policy']) : undefined;
      const r = runSuggestCommand({ audits: audits.map(String), ...(policy !== undefined ? { policy } : {}), ...(flags.json ? { json: true } : {}), cwd: process.cwd() });
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
      if (r.exitCode !== 0) process.exitCode = r.exitCode;
    });
}
