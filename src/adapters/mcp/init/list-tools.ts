// `aex init --mcp` starts each configured server once, with a time limit, to learn the
// names of its real tools, so the starter policy can name them (mcp.S.T) instead of
// hiding everything. Uses the MCP SDK's client; the server is closed right after.

import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { ServerEntry } from './server-entry.js';

export interface ListedTool {
  name: string;
  readOnly: boolean;
  destructive: boolean;
}

export interface ListingTarget {
  entry: ServerEntry & { kind: 'stdio' | 'http' };
  env?: Record<string, string>;
  cwd?: string;
}

export type ToolLister = (target: ListingTarget, timeoutMs: number) => Promise<ListedTool[]>;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

function headersOf(entry: ServerEntry & { kind: 'http' }, env: NodeJS.ProcessEnv): Record<string, string> {
  const h: Record<string, string> = { ...entry.headers };
  for (const [name, variable] of Object.entries(entry.headerEnv)) {
    const v = env[variable];
    if (v !== undefined) h[name] = v;
  }
  if (entry.bearerEnv !== undefined && env[entry.bearerEnv] !== undefined) h.Authorization = `Bearer ${env[entry.bearerEnv]}`;
  return h;
}

/** Lists a server's tools through the SDK client (protocol 2025-11-25, which every server speaks). */
export const listToolsWithSdk: ToolLister = async (target, timeoutMs) => {
  const client = new Client({ name: 'aex-init', version: '2' }, { capabilities: {} });
  const entry = target.entry;
  const transport =
    entry.kind === 'stdio'
      ? new StdioClientTransport({
          command: entry.command,
          args: entry.args,
          env: { ...(process.env as Record<string, string>), ...(target.env ?? {}) },
          stderr: 'ignore',
          ...(target.cwd !== undefined ? { cwd: target.cwd } : {}),
        })
      : new StreamableHTTPClientTransport(new URL(entry.url), { requestInit: { headers: headersOf(entry, process.env) } });
  try {
    return await withTimeout(
      (async () => {
        await client.connect(transport);
        const tools: ListedTool[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < 20; page++) {
          const r = await client.listTools(cursor !== undefined ? { cursor } : {});
          for (const t of r.tools) tools.push({ name: t.name, readOnly: t.annotations?.readOnlyHint === true, destructive: t.annotations?.destructiveHint === true });
          cursor = r.nextCursor;
          if (cursor === undefined) break;
        }
        return tools;
      })(),
      timeoutMs,
      'the server',
    );
  } finally {
    await client.close().catch(() => undefined);
  }
};
