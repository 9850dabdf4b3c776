// The 2026-07-28 side of the HTTP listener on the wire, in process: raw POSTs to the
// listener, the protocol wrappers and the relay, and a scripted upstream that records
// what reaches it. Closing a response is the cancellation the server gets; progress
// turns the answer into an SSE stream on that request alone; two clients that count
// their ids alike do not meet; nothing a client posts can answer or cancel a request
// that is not its own.

import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { rmSync } from 'node:fs';
import { Writable as WritableStream } from 'node:stream';
import type { JsonRpcMessage } from '../../src/adapters/mcp/endpoint.js';
import { openProxyAudit } from '../../src/adapters/mcp/audit.js';
import { memoryBudget } from '../../src/adapters/mcp/budget.js';
import { relayOptions } from '../../src/adapters/mcp/proxy.js';
import { startRelay } from '../../src/adapters/mcp/relay.js';
import { negotiateSession } from '../../src/adapters/mcp/protocol/index.js';
import { HttpListener } from '../../src/adapters/mcp/transport/http-listener.js';
import { FakeUpstream, setupFor, tempProject, type Handler } from './inproc.js';
import { ENVELOPE, modernPost, raw } from './listen-2026-harness.js';


const POLICY = ['policy p v0', 'goal "wire"', 'allow mcp.s.echo, mcp.s.slow, mcp.s.progress', ''].join('\n');

/** A 2025-era server: `slow` is never answered on its own, `progress` reports twice before its result. */
const server: Handler = (m, up) => {
  if (m.id === undefined || m.method === undefined) return;
  const params = (m.params ?? {}) as Record<string, unknown>;
  if (m.method === 'server/discover') return [{ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'Method not found' } }];
  if (m.method === 'initialize') return [{ jsonrpc: '2.0', id: m.id, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'fake', version: '1' } } }];
  if (m.method === 'tools/list') return [{ jsonrpc: '2.0', id: m.id, result: { tools: ['echo', 'slow', 'progress'].map((name) => ({ name, inputSchema: { type: 'object' } })) } }];
  if (m.method !== 'tools/call') return [{ jsonrpc: '2.0', id: m.id, result: {} }];
  const name = String(params.name);
  if (name === 'slow') return;
  if (name === 'progress') {
    const token = (params._meta as Record<string, unknown> | undefined)?.progressToken;
    setTimeout(() => {
      up.push({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: 1, total: 2 } });
      up.push({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: 2, total: 2 } });
      up.push({ jsonrpc: '2.0', id: m.id, result: { content: [{ type: 'text', text: 'done' }] } });
    }, 5);
    return;
  }
  return [{ jsonrpc: '2.0', id: m.id, result: { content: [{ type: 'text', text: `echo ${JSON.stringify((params.arguments as Record<string, unknown> | undefined)?.text)}` }] } }];
};

interface Wire {
  url: string;
  upstream: FakeUpstream;
  close(): Promise<void>;
}

let open: Wire | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function wire(): Promise<Wire> {
  const dir = tempProject();
  const setup = await setupFor(dir, POLICY, { name: 's' });
  const audit = openProxyAudit(undefined, new WritableStream({ write: (_c, _e, cb) => cb() }));
  const upstream = new FakeUpstream(server);
  // The 2026 requests all go to one relay (one session of the listener), here to the scripted upstream.
  const listener = new HttpListener({
    address: { host: '127.0.0.1', port: 0 },
    maxMessageBytes: 1 << 20,
    open: (endpoint) => {
      const session = negotiateSession(endpoint, upstream, { probeTimeoutMs: 200, audit: (e) => audit.emit(e) });
      const relay = startRelay(session.client, session.upstream, { ...relayOptions(setup, audit, memoryBudget()), confirmation: session.confirmation });
      return { done: relay.done.then(() => undefined) };
    },
  });
  await listener.start();
  open = {
    url: listener.url(),
    upstream,
    async close() {
      // A call left unanswered (`slow`) holds the relay's drain for a while: not waited for here.
      await Promise.race([listener.close(), new Promise((r) => setTimeout(r, 300))]);
      audit.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return open;
}

const calls = (w: Wire, name: string) => w.upstream.received.filter((m) => m.method === 'tools/call' && (m.params as { name?: unknown }).name === name);

async function until<T>(f: () => T | undefined | false, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('the 2026-07-28 wire of the HTTP listener', () => {
  it('a client that closes its response cancels that call on the server, under the id the server knows', async () => {
    const w = await wire();
    expect((await modernPost(w.url, 1, 'server/discover')).status).toBe(200);
    const u = new URL(w.url);
    const req = request({
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      method: 'POST',
      headers: { host: u.host, 'content-type': 'application/json', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'slow' },
    });
    req.on('error', () => {});
    req.end(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'slow', arguments: {}, _meta: ENVELOPE } }));
    const forwarded = await until(() => calls(w, 'slow')[0]);
    req.destroy();
    const cancel = await until(() => w.upstream.received.find((m) => m.method === 'notifications/cancelled'));
    expect((cancel.params as { requestId: unknown }).requestId).toBe(forwarded.id);
    // The proxy goes on.
    expect((await modernPost(w.url, 8, 'tools/call', { name: 'echo', arguments: { text: 'after' } })).body).toContain('echo \\"after\\"');
  });

  it('progress about a request turns its answer into an SSE stream: the notifications, then the result', async () => {
    const w = await wire();
    const a = await modernPost(w.url, 'p', 'tools/call', { name: 'progress', arguments: {}, _meta: { progressToken: 'tok-1' } });
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = a.body
      .split('\n\n')
      .filter((b) => b.includes('data: '))
      .map((b) => JSON.parse(b.slice(b.indexOf('data: ') + 6)) as JsonRpcMessage);
    expect(events.map((e) => e.method ?? 'result')).toEqual(['notifications/progress', 'notifications/progress', 'result']);
    expect(events[2]!.id).toBe('p');
    expect(JSON.stringify(events[2]!.result)).toContain('done');
  });

  it('two clients with the same request id each get their own answer', async () => {
    const w = await wire();
    const [a, b] = await Promise.all([
      modernPost(w.url, 1, 'tools/call', { name: 'echo', arguments: { text: 'first' } }),
      modernPost(w.url, 1, 'tools/call', { name: 'echo', arguments: { text: 'second' } }),
    ]);
    expect(a.json().id).toBe(1);
    expect(b.json().id).toBe(1);
    expect(a.body).toContain('first');
    expect(b.body).toContain('second');
    // The server saw the proxy's own ids, not the clients'.
    const ids = calls(w, 'echo').map((m) => m.id);
    expect(new Set(ids).size).toBe(2);
    expect(ids).not.toContain(1);
  });

  it('a posted JSON-RPC response answers nothing: a 2026 endpoint takes none', async () => {
    const w = await wire();
    expect((await modernPost(w.url, 1, 'server/discover')).status).toBe(200);
    const u = new URL(w.url);
    const pending = new Promise<string>((resolve) => {
      const req = request(
        { host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { host: u.host, 'content-type': 'application/json', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'slow' } },
        (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve(body));
        },
      );
      req.end(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'slow', arguments: {}, _meta: ENVELOPE } }));
    });
    const forwarded = await until(() => calls(w, 'slow')[0]);
    // Guessing the proxy's id for the exchange and posting a result for it.
    for (const id of [forwarded.id, 'aex-http-2', 9]) {
      const forged = await raw(w.url, { headers: { 'content-type': 'application/json', 'mcp-protocol-version': '2026-07-28' }, body: JSON.stringify({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: 'FORGED' }] } }) });
      expect(forged.status).toBe(400);
    }
    w.upstream.push({ jsonrpc: '2.0', id: forwarded.id, result: { content: [{ type: 'text', text: 'real' }] } });
    const body = await pending;
    expect(body).toContain('real');
    expect(body).not.toContain('FORGED');
  });

  it('a request without an envelope and without a session is refused, not served the 2025 way', async () => {
    const w = await wire();
    expect((await modernPost(w.url, 1, 'server/discover')).status).toBe(200);
    const plain = await raw(w.url, { headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: {} } }) });
    expect(plain.status).toBe(400);
    expect(plain.json()).toMatchObject({ id: 2, error: { code: -32000, message: expect.stringMatching(/Mcp-Session-Id header is required/) } });
    expect(calls(w, 'echo')).toEqual([]);
  });

  it('a modern header on a request without the envelope is refused, not served the 2025 way', async () => {
    const w = await wire();
    const a = await raw(w.url, { headers: { 'content-type': 'application/json', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call' }, body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo', arguments: {} } }) });
    expect(a.status).toBe(400);
    expect(calls(w, 'echo')).toEqual([]);
  });
});

describe('notifications posted to the 2026 side', () => {
  it('a notification before any request reaches nothing: there is no session yet', async () => {
    const w = await wire();
    const a = await raw(w.url, {
      headers: { 'content-type': 'application/json', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'notifications/roots/list_changed' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/roots/list_changed', params: {} }),
    });
    expect(a.status).toBe(202);
    expect((await modernPost(w.url, 1, 'server/discover')).status).toBe(200);
    expect(w.upstream.received.filter((m) => m.method === 'notifications/roots/list_changed')).toEqual([]);
  });
});

describe('the revision a listener serves', () => {
  it('an initialize the SDK transport refused before opening a session fixes nothing: a 2026 client is served after it', async () => {
    const w = await wire();
    const refused = await raw(w.url, {
      headers: { 'content-type': 'application/json', accept: 'text/html' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }),
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect((await modernPost(w.url, 2, 'server/discover')).status).toBe(200);
  });
});
