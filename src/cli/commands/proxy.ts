import type { CAC } from 'cac';
import { CliError } from '../errors.js';

// Thin command file: the proxy and the MCP SDK are loaded only when the command runs.
export function register(cli: CAC): void {
  cli
    .command('proxy [...upstream]', 'Run an MCP stdio server behind AEX enforcement: aex proxy [options] -- CMD ARGS...')
    .usage('proxy [options] -- CMD ARGS...')
    .option('--name <server>', 'Server name: upstream tool T is judged as mcp.SERVER.T (aex init --mcp writes the .mcp.json key)')
    .option('--policy <file>', 'Policy file (.aex or .json); default .aex/policy.aex or aex.policy.aex')
    .option('--contract <file>', 'Task contract narrowing the policy')
    .option('--auto-confirm', 'Approve "confirm before" calls without asking (otherwise ask via elicitation, or refuse)')
    .option('--audit <file>', 'Append the audit log (JSON Lines) to FILE instead of stderr')
    .option('--audit-key-file <file>', 'Seal the audit with an HMAC key (every 1,000 lines and at exit; default $AEX_AUDIT_KEY_FILE)')
    .option('--url <url>', 'Upstream is a remote MCP server over Streamable HTTP (instead of a command after --)')
    .option('--header <name:value>', 'With --url: a header sent on every request (repeatable); prefer --header-env for secrets')
    .option('--header-env <name=VAR>', 'With --url: a header whose value is the environment variable VAR (repeatable); never logged')
    .option('--bearer-env <VAR>', 'With --url: Authorization: Bearer $VAR; never logged')
    .option('--listen <host:port>', 'Serve the client over Streamable HTTP at http://HOST:PORT/mcp instead of stdio (loopback only)')
    .option('--no-meta', 'Do not offer the aex_* meta-tools through this proxy (for the second and later servers of a project)')
    .option('--max-message-bytes <n>', 'Largest JSON-RPC message relayed in either direction; larger ones are answered with an error and audited (default 64 MiB)')
    .option('--session <id>', 'The session whose budget this proxy spends (default $AEX_SESSION_ID, else the host process)')
    .option('--listen-remote', 'With --listen: allow an address that is not loopback (the proxy does not authenticate clients)')
    .example('aex proxy --name fs --policy .aex/policy.aex -- npx -y @modelcontextprotocol/server-filesystem .')
    .example('aex proxy --name docs --url https://mcp.example.com/mcp --bearer-env DOCS_TOKEN')
    .example('aex proxy --name fs --listen 127.0.0.1:8808 -- npx -y @modelcontextprotocol/server-filesystem .')
    .action(async (stray: string[], options: Record<string, unknown>) => {
      if (stray.length > 0) {
        throw new CliError(`unexpected argument "${stray[0]}" before "--"; the upstream command goes after "--": aex proxy [options] -- CMD ARGS...`);
      }
      const upstream = Array.isArray(options['--']) ? (options['--'] as unknown[]).map(String) : [];
      const transports = await import('../../adapters/mcp/transport/cli.js');
      if (transports.wantsTransports(options)) return transports.proxyTransportsCommand(upstream, options);
      const { proxyCommand } = await import('../../adapters/mcp/main.js');
      await proxyCommand(upstream, options);
    });
}
