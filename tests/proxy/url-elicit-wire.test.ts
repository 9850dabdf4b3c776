// URL-mode confirmation on the wire, with a scripted 2025-11-25 client that declares only
// URL mode: what the proxy sends when the client never answers, what it does with a late
// answer, an upstream reusing the question's id, a client that goes away, no page server.

import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { openProxyAudit } from '../../src/adapters/mcp/audit.js';
import { memoryBudget } from '../../src/adapters/mcp/budget.js';
import { relayOptions } from '../../src/adapters/mcp/proxy.js';
import { startRelay } from '../../src/adapters/mcp/relay.js';
import { relatedConfirmation } from '../../src/adapters/mcp/protocol/index.js';
import { ConfirmationPages } from '../../src/adapters/mcp/confirm/page-server.js';
import type { JsonRpcMessage } from '../../src/adapters/mcp/endpoint.js';
import { echoServer, FakeUpstream, ScriptedClient, setupFor, tempProject } from './inproc.js';
import { decideOnPage, loopback, POLICY, until } from './url-elicit-helpers.js';
import { rmSync } from 'node:fs';

const pages = new ConfirmationPages();
afterAll(() => pages.close());

interface Wire {
  client: ScriptedClient;
  upstream: FakeUpstream;
  events: () => Array<Record<string, unknown>>;
  /** Sends initialize (URL mode only) and the call to confirm; resolves with the elicitation request. */
  ask(path: string): Promise<JsonRpcMessage>;
  cleanup(): void;
}

let wire: Wire | undefined;
afterEach(() => {
  wire?.cleanup();
  wire = undefined;
});

async function wireSession(urlConfirm: Parameters<typeof relatedConfirmation>[1], handler = echoServer): Promise<Wire> {
  const dir = tempProject();
  const setup = await setupFor(dir, POLICY, { name: 's' });
  const lines: string[] = [];
  const audit = openProxyAudit(
    undefined,
    new Writable({
      write(c, _e, cb) {
        lines.push(String(c));
        cb();
      },
    }),
  );
  const client = new ScriptedClient();
  const upstream = new FakeUpstream(handler);
  startRelay(client, upstream, { ...relayOptions(setup, audit, memoryBudget()), confirmation: relatedConfirmation(client, urlConfirm) });
  await client.ready;
  return {
    client,
    upstream,
    events: () => lines.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
    async ask(path) {
      client.say({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: { elicitation: { url: {} } }, clientInfo: { name: 't', version: '1' } } });
      await client.next();
      client.say({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'write', arguments: { path } } });
      return client.next();
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

const forwardedWrites = (w: Wire) => w.upstream.received.filter((m) => m.method === 'tools/call');

describe('URL-mode confirmation on the wire', () => {
  it('Approve on the page before the client answers: the call runs, completion is announced, and the late answer is swallowed', async () => {
    wire = await wireSession({ pages, timeoutMs: 2000 });
    const ask = await wire.ask('a.txt');
    expect(ask).toMatchObject({ method: 'elicitation/create', params: { mode: 'url' } });
    const params = ask.params as Record<string, unknown>;
    expect(String(ask.id)).toMatch(/^aex-confirm-[0-9a-f]{32}$/);
    expect((await decideOnPage(String(params.url), 'approve')).status).toBe(200);
    expect(await wire.client.next()).toEqual({ jsonrpc: '2.0', method: 'notifications/elicitation/complete', params: { elicitationId: params.elicitationId } });
    expect(await wire.client.next()).toMatchObject({ id: 7, result: { content: [{ type: 'text', text: 'ran write' }] } });
    // The client's answer comes after all: it is the proxy's, never the server's.
    wire.client.say({ jsonrpc: '2.0', id: ask.id, result: { action: 'accept' } });
    wire.client.say({ jsonrpc: '2.0', id: 8, method: 'ping' });
    await wire.client.next();
    expect(wire.upstream.received.some((m) => m.id === ask.id)).toBe(false);
    expect(forwardedWrites(wire)).toHaveLength(1);
  });

  it('no answer and no decision: at the deadline the client is told its question is void, and the call is refused', async () => {
    wire = await wireSession({ pages, timeoutMs: 100 });
    const ask = await wire.ask('b.txt');
    expect(await wire.client.next()).toMatchObject({ method: 'notifications/cancelled', params: { requestId: ask.id } });
    expect(await wire.client.next()).toMatchObject({ id: 7, result: { isError: true } });
    expect(forwardedWrites(wire)).toEqual([]);
    expect(wire.events().find((e) => e.event === 'confirm.denied')).toMatchObject({ reason: 'timeout' });
  });

  it('accepted by the client, then the deadline: completion is announced (the page is closed) and the call refused', async () => {
    wire = await wireSession({ pages, timeoutMs: 100 });
    const ask = await wire.ask('c.txt');
    wire.client.say({ jsonrpc: '2.0', id: ask.id, result: { action: 'accept' } });
    expect(await wire.client.next()).toMatchObject({ method: 'notifications/elicitation/complete' });
    expect(await wire.client.next()).toMatchObject({ id: 7, result: { isError: true } });
    expect(forwardedWrites(wire)).toEqual([]);
  });

  it("an error reply to the question is no consent", async () => {
    wire = await wireSession({ pages, timeoutMs: 2000 });
    const ask = await wire.ask('d.txt');
    wire.client.say({ jsonrpc: '2.0', id: ask.id, error: { code: -32602, message: 'Client does not support URL-mode elicitation requests' } });
    expect(await wire.client.next()).toMatchObject({ id: 7, result: { isError: true } });
    expect((await loopback(String((ask.params as Record<string, unknown>).url))).status).toBe(404);
    expect(forwardedWrites(wire)).toEqual([]);
  });

  it("an upstream request reusing the question's id never reaches the client", async () => {
    wire = await wireSession({ pages, timeoutMs: 2000 });
    const ask = await wire.ask('e.txt');
    wire.upstream.push({ jsonrpc: '2.0', id: ask.id, method: 'elicitation/create', params: { mode: 'url', url: 'http://evil.example/', elicitationId: 'x', message: 'approve here' } });
    await until(() => wire!.events().some((e) => e.event === 'upstream.id_collision'));
    expect(wire.upstream.received.at(-1)).toMatchObject({ id: ask.id, error: { code: -32600 } });
    expect(wire.client.inbox).toEqual([]);
  });

  it('the client goes away while the page is open: the page stops working and nothing runs', async () => {
    wire = await wireSession({ pages, timeoutMs: 2000 });
    const ask = await wire.ask('f.txt');
    const url = String((ask.params as Record<string, unknown>).url);
    expect((await loopback(url)).status).toBe(200);
    wire.client.hangUp();
    expect((await loopback(url)).status).toBe(404);
    expect(forwardedWrites(wire)).toEqual([]);
  });

  it('no page can be served: the call is refused, not run', async () => {
    const broken = { openConfirmation: () => Promise.reject(new Error('EADDRNOTAVAIL')) } as unknown as ConfirmationPages;
    wire = await wireSession({ pages: broken, timeoutMs: 2000 });
    const reply = await wire.ask('g.txt');
    expect(reply).toMatchObject({ id: 7, result: { isError: true } });
    expect(forwardedWrites(wire)).toEqual([]);
    expect(wire.events().find((e) => e.event === 'confirm.denied')).toMatchObject({ reason: 'unavailable' });
  });
});

describe('the confirmation pages', () => {
  it('start only when a question is opened, on 127.0.0.1; each question has its own 128-bit token; decided questions are forgotten', async () => {
    const own = new ConfirmationPages();
    try {
      expect(own.origin()).toBe('http://127.0.0.1:0');
      const view = { tool: 'mcp.s.write', why: 'w', args: {}, expiresAt: Date.now() + 1000 };
      const opened = await Promise.all(Array.from({ length: 20 }, () => own.openConfirmation(view)));
      expect(own.origin()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const tokens = opened.map((o) => o.url.split('/confirm/')[1]!);
      for (const t of tokens) expect(Buffer.from(t, 'base64url')).toHaveLength(16);
      expect(new Set(tokens).size).toBe(20);
      expect(own.openCount()).toBe(20);
      await decideOnPage(opened[0]!.url, 'approve');
      await expect(opened[0]!.decided).resolves.toBe('approve');
      for (const o of opened) o.revoke();
      expect(own.openCount()).toBe(0);
      expect((await loopback(opened[1]!.url)).status).toBe(404);
    } finally {
      await own.close();
    }
  });
});
