// `--mcp-config FILE` (docs/cli.md): the `{"mcpServers": {NAME: {command, args, env}}}`
// file Claude Code and Claude Desktop use. Each server is started with the MCP SDK's
// stdio client; tool T of server S becomes capability `mcp.S.T` (docs/mcp.md), and `S.T`
// stays registered as an alias for one release. The SDK is imported lazily.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ToolRegistry } from './tools/types.js';
import { mcpToolName } from './mcp-names.js';
import { serverBases } from './mcp-bases.js';
import { AexError } from '../errors.js';

export interface McpServerConfig {
  command: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
}

export class McpConfigError extends AexError {
  constructor(message: string) {
    super(message);
    this.name = 'McpConfigError';
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const RESERVED = new Set(['mcp', 'aex']);

/** Reads and checks an MCP config file. */
export function readMcpConfig(file: string): Record<string, McpServerConfig> {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new McpConfigError(`Cannot read MCP config ${file}: ${(err as Error).message}`);
  }
  const servers = (doc as { mcpServers?: unknown } | null)?.mcpServers;
  if (!servers || typeof servers !== 'object' || Array.isArray(servers)) {
    throw new McpConfigError(`MCP config ${file} must be {"mcpServers": {NAME: {command, args?, env?}}}.`);
  }
  const out: Record<string, McpServerConfig> = {};
  for (const [name, raw] of Object.entries(servers as Record<string, unknown>)) {
    const s = raw as Partial<McpServerConfig> | null;
    if (!NAME.test(name)) throw new McpConfigError(`MCP server name "${name}" must match ${NAME.source}.`);
    // `mcp.T` would read both as the alias S.T of server "mcp" and as a name under mcp.*.
    if (RESERVED.has(name)) throw new McpConfigError(`MCP server name "${name}" is reserved; rename the server in ${file}.`);
    if (!s || typeof s.command !== 'string' || s.command === '') throw new McpConfigError(`MCP server "${name}" needs a "command" string.`);
    if (s.args !== undefined && (!Array.isArray(s.args) || !s.args.every((a) => typeof a === 'string'))) {
      throw new McpConfigError(`MCP server "${name}": "args" must be an array of strings.`);
    }
    if (s.env !== undefined && (typeof s.env !== 'object' || s.env === null || !Object.values(s.env).every((v) => typeof v === 'string'))) {
      throw new McpConfigError(`MCP server "${name}": "env" must map names to strings.`);
    }
    out[name] = { command: s.command, ...(s.args ? { args: s.args } : {}), ...(s.env ? { env: s.env } : {}), cwd: path.dirname(path.resolve(file)) };
  }
  return out;
}

interface ToolCallResult {
  content?: Array<{ type: string; text?: string }>;
  structuredContent?: unknown;
  isError?: boolean;
}

/** The value of an MCP tool result: structured content, else the text (parsed as JSON when it is). */
export function mcpResultValue(r: ToolCallResult): unknown {
  const text = (r.content ?? [])
    .filter((c) => c.type === 'text' && typeof c.text === 'string')
    .map((c) => c.text)
    .join('');
  if (r.isError) throw new Error(text || 'MCP tool reported an error');
  if (r.structuredContent !== undefined) return r.structuredContent;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** What a run needs to judge the tools of its MCP servers (docs/paths.md, docs/mcp.md). */
export interface McpServersInfo {
  /** Candidate bases of relative paths, per server name. */
  bases: Record<string, string[]>;
}

export interface McpConnection {
  tools: ToolRegistry;
  servers: McpServersInfo;
  close(): Promise<void>;
}

/** Starts every server of the config and returns their tools as `mcp.SERVER.TOOL` (and `SERVER.TOOL`). */
export async function connectMcpServers(file: string, opts: { clientName?: string; version?: string } = {}): Promise<McpConnection> {
  const config = readMcpConfig(file);
  const [{ Client }, { StdioClientTransport, getDefaultEnvironment }] = await Promise.all([
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/client/stdio.js'),
  ]);
  const clients: Array<{ close(): Promise<void> }> = [];
  const tools: ToolRegistry = {};
  const servers: McpServersInfo = { bases: {} };
  const closeAll = async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
  };
  try {
    for (const [server, cfg] of Object.entries(config)) {
      const transport = new StdioClientTransport({
        command: cfg.command,
        args: cfg.args ?? [],
        env: { ...getDefaultEnvironment(), ...(cfg.env ?? {}) },
        ...(cfg.cwd ? { cwd: cfg.cwd } : {}),
        stderr: 'inherit',
      });
      const client = new Client({ name: opts.clientName ?? 'aex-run', version: opts.version ?? '0.0.0' });
      try {
        await client.connect(transport);
      } catch (err) {
        throw new McpConfigError(`Cannot start MCP server "${server}" (${cfg.command}): ${(err as Error).message}`);
      }
      clients.push(client);
      servers.bases[server] = serverBases(cfg.args ?? [], cfg.cwd ?? process.cwd());
      let cursor: string | undefined;
      do {
        const page = await client.listTools(cursor ? { cursor } : {});
        for (const t of page.tools) {
          const name = t.name;
          const entry = {
            handler: async (args: Record<string, unknown>) => mcpResultValue((await client.callTool({ name, arguments: args })) as ToolCallResult),
            sideEffect: t.annotations?.readOnlyHint ? ('read' as const) : ('write' as const),
            ...(t.description ? { description: t.description } : {}),
          };
          tools[mcpToolName(server, name)] = entry;
          tools[`${server}.${name}`] = entry;
        }
        cursor = page.nextCursor;
      } while (cursor);
    }
  } catch (err) {
    await closeAll();
    throw err;
  }
  return { tools, servers, close: closeAll };
}
