// In-process proxy sessions for the protocol tests: an SDK v2 client and an SDK v2
// server, each speaking the revision a test chooses, joined by in-memory transports
// through the relay and the protocol wrappers (src/adapters/mcp/protocol/). Nothing is
// spawned, so every combination runs in milliseconds.

import { Writable } from 'node:stream';
import { rmSync } from 'node:fs';
import * as z from 'zod/v4';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { McpServer, inputRequired } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { openProxyAudit } from '../../../src/adapters/mcp/audit.js';
import { memoryBudget } from '../../../src/adapters/mcp/budget.js';
import { relayOptions, type ProxySetup } from '../../../src/adapters/mcp/proxy.js';
import { startRelay } from '../../../src/adapters/mcp/relay.js';
import { SdkEndpoint } from '../../../src/adapters/mcp/transport/sdk-endpoint.js';
import { negotiateSession, type NegotiatedSession } from '../../../src/adapters/mcp/protocol/index.js';
import { setupFor, tempProject } from '../inproc.js';

export type ServerKind = 'legacy' | 'dual' | 'modern';
export type ClientKind = 'default' | 'auto' | 'pinned';

export const POLICY = [
  'policy p v0',
  'goal "protocol"',
  'allow mcp.s.echo, mcp.s.ask_user, mcp.s.sample, mcp.s.roots, mcp.s.write, mcp.s.resources.read where uri == "mem://note", mcp.s.prompts.get where name == "greet"',
  'confirm before mcp.s.write',
  '',
].join('\n');

/** What the server saw, for the tests to check. */
export interface ServerLog {
  writes: string[];
  calls: string[];
}

function buildServer(log: ServerLog): McpServer {
  const server = new McpServer({ name: 'fixture', version: '1.0.0' }, { capabilities: { tools: {}, resources: {}, prompts: {} } });
  server.registerTool('echo', { inputSchema: z.object({ text: z.string() }), annotations: { readOnlyHint: true } }, async ({ text }) => {
    log.calls.push('echo');
    return { content: [{ type: 'text', text: `echo ${text}` }] };
  });
  server.registerTool('write', { inputSchema: z.object({ path: z.string() }) }, async ({ path }) => {
    log.writes.push(path);
    return { content: [{ type: 'text', text: `wrote ${path}` }] };
  });
  server.registerTool('secret', { inputSchema: z.object({}) }, async () => ({ content: [{ type: 'text', text: 'SECRET' }] }));
  // The same handler serves both eras: in 2025-11-25 the SDK turns its input_required
  // into real server→client requests.
  server.registerTool('ask_user', { inputSchema: z.object({}) }, async (_a, ctx) => {
    const answer = ctx.mcpReq.inputResponses?.['name'];
    if (answer === undefined) {
      return inputRequired({ inputRequests: { name: inputRequired.elicit({ message: 'Your name?', requestedSchema: z.object({ name: z.string() }) }) } });
    }
    return { content: [{ type: 'text', text: `hello ${JSON.stringify(answer)}` }] };
  });
  server.registerTool('sample', { inputSchema: z.object({}) }, async (_a, ctx) => {
    const answer = ctx.mcpReq.inputResponses?.['llm'];
    if (answer === undefined) {
      return inputRequired({ inputRequests: { llm: inputRequired.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 5 }) } });
    }
    return { content: [{ type: 'text', text: `sampled ${JSON.stringify(answer)}` }] };
  });
  server.registerResource('note', 'mem://note', {}, async () => ({ contents: [{ uri: 'mem://note', text: 'NOTE' }] }));
  server.registerResource('hidden', 'mem://hidden', {}, async () => ({ contents: [{ uri: 'mem://hidden', text: 'HIDDEN' }] }));
  server.registerPrompt('greet', { argsSchema: z.object({ who: z.string() }) }, async ({ who }) => ({ messages: [{ role: 'user', content: { type: 'text', text: `greet ${who}` } }] }));
  server.registerPrompt('leak', {}, async () => ({ messages: [{ role: 'user', content: { type: 'text', text: 'LEAK' } }] }));
  return server;
}

/** Starts the fixture server of the given kind on one end of an in-memory pair. */
async function startServer(kind: ServerKind, transport: InMemoryTransport, log: ServerLog): Promise<() => Promise<void>> {
  if (kind === 'legacy') {
    const server = buildServer(log);
    await server.connect(transport);
    return () => server.close();
  }
  const handle = serveStdio(() => buildServer(log), { transport: transport as never, ...(kind === 'modern' ? { legacy: 'reject' as const } : {}) });
  return async () => {
    await (handle as { close?: () => Promise<void> }).close?.();
  };
}

export interface ClientAnswers {
  /** What the person answers to an elicitation (default: accept). */
  elicit?: (params: Record<string, unknown>) => Record<string, unknown>;
}

export interface Session {
  client: Client;
  log: ServerLog;
  events: () => Array<Record<string, unknown>>;
  elicitations: Array<Record<string, unknown>>;
  negotiated: NegotiatedSession;
  close(): Promise<void>;
}

export async function session(serverKind: ServerKind, clientKind: ClientKind, answers: ClientAnswers = {}, setupExtra: Partial<ProxySetup> = {}): Promise<Session> {
  const dir = tempProject();
  const setup = await setupFor(dir, POLICY, { name: 's', ...setupExtra });
  const lines: string[] = [];
  const stderr = new Writable({
    write(c, _e, cb) {
      lines.push(String(c));
      cb();
    },
  });
  const audit = openProxyAudit(undefined, stderr);
  const [clientSide, proxyClientSide] = InMemoryTransport.createLinkedPair();
  const [proxyUpstreamSide, serverSide] = InMemoryTransport.createLinkedPair();
  const log: ServerLog = { writes: [], calls: [] };
  const stopServer = await startServer(serverKind, serverSide, log);
  const negotiated = negotiateSession(new SdkEndpoint(proxyClientSide as never), new SdkEndpoint(proxyUpstreamSide as never), {
    probeTimeoutMs: 500,
    audit: (e) => audit.emit(e),
  });
  const relay = startRelay(negotiated.client, negotiated.upstream, { ...relayOptions(setup, audit, memoryBudget()), confirmation: negotiated.confirmation });
  const client = new Client(
    { name: 'protocol-test', version: '1' },
    {
      capabilities: { elicitation: { form: {} }, sampling: {}, roots: {} },
      ...(clientKind === 'auto' ? { versionNegotiation: { mode: 'auto' as const } } : clientKind === 'pinned' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}),
    },
  );
  const elicitations: Array<Record<string, unknown>> = [];
  client.setRequestHandler('elicitation/create', async (req) => {
    const params = req.params as Record<string, unknown>;
    elicitations.push(params);
    return (answers.elicit?.(params) ?? { action: 'accept', content: String(params.message).startsWith('AEX:') ? {} : { name: 'Ada' } }) as never;
  });
  client.setRequestHandler('sampling/createMessage', async () => ({ role: 'assistant', content: { type: 'text', text: 'sampled-text' }, model: 'test-model' }) as never);
  client.setRequestHandler('roots/list', async () => ({ roots: [{ uri: 'file:///tmp', name: 'tmp' }] }) as never);
  await client.connect(clientSide);
  return {
    client,
    log,
    elicitations,
    negotiated,
    events: () => lines.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
    async close() {
      await client.close();
      await stopServer().catch(() => {});
      await Promise.race([relay.done, new Promise((r) => setTimeout(r, 500))]);
      audit.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const textOf = (r: unknown): string => JSON.stringify((r as { content?: unknown }).content ?? r);
