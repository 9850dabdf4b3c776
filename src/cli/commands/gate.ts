import type { CAC } from 'cac';
import { GATE_USAGE } from '../../adapters/claude-code/help.js';
import { argsAfter, hasFlag } from '../raw-argv.js';

// bin/aex.js sends `aex gate ...` straight to the gate without loading cac; this entry
// exists so `aex help` lists the command and `aex gate --help` reads the same text.
export function register(cli: CAC): void {
  cli
    .command('gate', 'Pre-tool hook of an agent host: reads the hook JSON on stdin, answers in the host\'s protocol')
    .option('--host <host>', 'claude-code (default), codex, gemini or cursor')
    .option('--policy <file>', 'Policy file; default: discovered in the hook input cwd')
    .option('--contract <file>', 'Task contract narrowing the policy')
    .option('--allow-no-policy', 'Allow calls when no policy is found (default: deny)')
    .option('--defer-allow', 'Print nothing on allow, leaving the host\'s prompts in charge')
    .option('--server <url>', 'Ask a running aex serve instead of deciding here (fails closed)')
    .option('--token-file <file>', 'Bearer token file of that server')
    .option('--audit-key-file <file>', 'HMAC key that seals the session audit (default: $AEX_AUDIT_KEY_FILE)')
    .allowUnknownOptions()
    .action(async () => {
      const args = argsAfter('gate');
      if (hasFlag(['help', 'h'], args)) {
        process.stdout.write(GATE_USAGE);
        return;
      }
      const { gateMain } = await import('../../gate/bundle-entry.js');
      await gateMain(args);
    });
}
