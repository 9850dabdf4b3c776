import type { CAC } from 'cac';
import { GATE_USAGE } from '../../adapters/claude-code/help.js';

// bin/aex.js sends `aex gate ...` straight to the gate without loading cac; this entry
// exists so `aex help` lists the command and `aex gate --help` reads the same text.
export function register(cli: CAC): void {
  cli
    .command('gate', 'Claude Code PreToolUse hook: reads the hook JSON on stdin, answers allow/deny/ask')
    .option('--policy <file>', 'Policy file; default: discovered in the hook input cwd')
    .option('--contract <file>', 'Task contract narrowing the policy')
    .option('--allow-no-policy', 'Allow calls when no policy is found (default: deny)')
    .option('--defer-allow', 'Print nothing on allow, leaving Claude Code prompts in charge')
    .allowUnknownOptions()
    .action(async () => {
      if (process.argv.includes('--help') || process.argv.includes('-h')) {
        process.stdout.write(GATE_USAGE);
        return;
      }
      const { gateMain } = await import('../../adapters/claude-code/main.js');
      const i = process.argv.indexOf('gate');
      await gateMain(i >= 0 ? process.argv.slice(i + 1) : []);
    });
}
