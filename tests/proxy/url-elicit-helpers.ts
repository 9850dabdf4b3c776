// Proxy sessions for the URL-mode confirmation tests: an SDK v2 client that declares only
// URL-mode elicitation, over stdio (in-process streams) or the Streamable HTTP listener,
// through the protocol wrappers and the relay, to an in-memory SDK server. The "user"
// follows the URL the client is given with plain loopback HTTP requests, as a browser would.

import { Writable } from 'node:stream';
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import * as z from 'zod/v4';
import { Client, InMemoryTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';
import { openProxyAudit } from '../../src/adapters/mcp/audit.js';
import { memoryBudget } from '../../src/adapters/mcp/budget.js';
import type { MessageEndpoint } from '../../src/adapters/mcp/endpoint.js';
import { relayOptions } from '../../src/adapters/mcp/proxy.js';
import { startRelay, type Relay } from '../../src/adapters/mcp/relay.js';
import { StdioEndpoint } from '../../src/adapters/mcp/stdio-endpoint.js';
import { SdkEndpoint } from '../../src/adapters/mcp/transport/sdk-endpoint.js';
import { HttpListener } from '../../src/adapters/mcp/transport/http-listener.js';
import { negotiateSession } from '../../src/adapters/mcp/protocol/index.js';
import type { ConfirmationPages } from '../../src/adapters/mcp/confirm/page-server.js';
import { setupFor, tempProject } from './inproc.js';
import { StreamPairTransport } from './http/stream-client.js';

export type Transport = 'stdio' | 'http';
export type Era = 'legacy' | 'modern';

export const POLICY = ['policy p v0', 'goal "url confirmation"', 'allow mcp.s.echo, mcp.s.write', 'confirm before mcp.s.write', ''].join('\n');

export interface UrlSessionOptions {
  transport: Transport;
  era: Era;
  pages: ConfirmationPages;
  /** Deadline of a question (tests keep it short). */
  timeoutMs?: number;
  /** The client's capabilities (default: URL-mode elicitation only). */
  capabilities?: Record<string, unknown>;
  /** What the client answers to the elicitation request (default: accept, i.e. "open the page"). */
  clientAnswer?: (params: Record<string, unknown>) => Record<string, unknown>;
  /** What the user does once the client has the URL (not awaited by the client). */
  user?: (params: Record<string, unknown>) => Promise<unknown>;
}

export interface UrlSession {
  client: Client;
  writes: string[];
  elicitations: Array<Record<string, unknown>>;
  completions: string[];
  /** What the user's actions returned or threw, in order. */
  userDone: Promise<unknown>[];
  events: () => Array<Record<string, unknown>>;
  close(): Promise<void>;
}

function buildServer(writes: string[]): McpServer {
  const server = new McpServer({ name: 'fixture', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.registerTool('echo', { inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({ content: [{ type: 'text', text: `echo ${text}` }] }));
  server.registerTool('write', { inputSchema: z.object({ path: z.string(), text: z.string().optional() }) }, async ({ path }) => {
    writes.push(path);
    return { content: [{ type: 'text', text: `wrote ${path}` }] };
  });
  return server;
}

export async function urlSession(opts: UrlSessionOptions): Promise<UrlSession> {
  const dir = tempProject();
  const setup = await setupFor(dir, POLICY, { name: 's' });
  const lines: string[] = [];
  const stderr = new Writable({
    write(c, _e, cb) {
      lines.push(String(c));
      cb();
    },
  });
  const audit = openProxyAudit(undefined, stderr);
  const writes: string[] = [];
  const server = buildServer(writes);
  const [proxyUpstreamSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);

  let clientTransport: unknown;
  let listener: HttpListener | undefined;
  let relay: Relay | undefined;
  const relayFor = (clientEndpoint: MessageEndpoint): Relay => {
    const negotiated = negotiateSession(clientEndpoint, new SdkEndpoint(proxyUpstreamSide as never), {
      probeTimeoutMs: 300,
      audit: (e) => audit.emit(e),
      urlConfirm: { pages: opts.pages, ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}) },
    });
    return (relay = startRelay(negotiated.client, negotiated.upstream, { ...relayOptions(setup, audit, memoryBudget()), confirmation: negotiated.confirmation }));
  };
  if (opts.transport === 'stdio') {
    const pair = new StreamPairTransport();
    relayFor(new StdioEndpoint(pair.toProxy, pair.fromProxy));
    clientTransport = pair;
  } else {
    // The listener opens the relay when the client's session opens (one session here: one in-memory server).
    // The relay's end goes into the session's closing audit event as a plain record of its fields.
    const open = (endpoint: MessageEndpoint) => ({ done: relayFor(endpoint).done.then((end): Record<string, unknown> => ({ ...end })) });
    listener = new HttpListener({ address: { host: '127.0.0.1', port: 0 }, maxMessageBytes: 1 << 20, open });
    await listener.start();
    clientTransport = new StreamableHTTPClientTransport(new URL(listener.url()));
  }

  const client = new Client(
    { name: 'url-only-client', version: '1' },
    {
      capabilities: (opts.capabilities ?? { elicitation: { url: {} } }) as never,
      ...(opts.era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}),
    },
  );
  const elicitations: Array<Record<string, unknown>> = [];
  const completions: string[] = [];
  const userDone: Promise<unknown>[] = [];
  client.setRequestHandler('elicitation/create', async (req) => {
    const params = req.params as Record<string, unknown>;
    elicitations.push(params);
    if (opts.user) {
      const acting = opts.user(params);
      acting.catch(() => {});
      userDone.push(acting);
    }
    return (opts.clientAnswer?.(params) ?? { action: 'accept' }) as never;
  });
  client.setNotificationHandler('notifications/elicitation/complete', (n) => {
    completions.push(String((n.params as { elicitationId?: unknown }).elicitationId));
  });
  await client.connect(clientTransport as never);
  return {
    client,
    writes,
    elicitations,
    completions,
    userDone,
    events: () => lines.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
    async close() {
      await client.close().catch(() => {});
      await Promise.race([listener?.close().catch(() => {}), new Promise((r) => setTimeout(r, 300))]);
      await server.close().catch(() => {});
      await Promise.race([relay?.done, new Promise((r) => setTimeout(r, 300))]);
      audit.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One loopback HTTP request with exactly the headers given (a browser's, or an attacker's). */
export function loopback(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HttpAnswer> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method: init.method ?? 'GET', headers: { host: u.host, ...init.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

/** The token the page's form carries. */
export function formToken(html: string): string {
  const m = /name="token" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no token in the page');
  return m[1]!;
}

/** A browser's form POST from the page itself. */
export function postDecision(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return loopback(url, {
    method: 'POST',
    headers: { origin: new URL(url).origin, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** The user opens the page and presses a button. */
export async function decideOnPage(url: string, decision: 'approve' | 'decline'): Promise<HttpAnswer> {
  const page = await loopback(url);
  if (page.status !== 200) throw new Error(`page answered ${page.status}`);
  return postDecision(url, { token: formToken(page.body), decision });
}

export async function until<T>(f: () => T | undefined, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const textOf = (r: unknown): string => JSON.stringify((r as { content?: unknown }).content ?? r);
