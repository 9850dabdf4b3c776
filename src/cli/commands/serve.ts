import type { CAC } from 'cac';
import { CliError } from '../errors.js';

// `aex serve`: the long-running decision service (src/serve/).
export function register(cli: CAC): void {
  cli
    .command('serve', 'Answer hook payloads of every host over HTTP on loopback (POST /hook/HOST), one process for many calls')
    .option('--listen <addr>', 'Loopback address and port (default 127.0.0.1:7345)')
    .option('--socket <path>', 'Listen on a Unix socket instead')
    .option('--token-file <file>', 'Bearer token file (default: serve.token in the AEX state folder; created when missing)')
    .option('--policy <file>', 'Policy file for every request (default: discovered in each request\'s project root)')
    .option('--contract <file>', 'Task contract narrowing the policy')
    .option('--allow-no-policy', 'Allow calls of projects without a policy (default: deny)')
    .option('--audit-key-file <file>', 'Seal every audit append with this key (default: $AEX_AUDIT_KEY_FILE); the key file is protected')
    .action(async (opts: { listen?: string; socket?: string; tokenFile?: string; policy?: string; contract?: string; allowNoPolicy?: boolean; auditKeyFile?: string }) => {
      const { serveMain } = await import('../../serve/main.js');
      try {
        await serveMain(opts);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
    });
}
