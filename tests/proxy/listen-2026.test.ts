// `aex proxy --listen` serves 2026-07-28 clients: an SDK v2 client pinned to that revision
// over Streamable HTTP, in front of the fixture stdio server (one proxy for the file):
// server/discover, the filtered list, an allowed call, a denied call with AEX's reason,
// `confirm before` confirmed (and declined) through the input_required retry. Then the
// wire itself: headers that disagree with the body, missing headers, other revisions,
// a 2025 client served beside the 2026 one, a forged cancellation, oversize bodies, the
// Host check. A second proxy shows a 2025-11-25 client served, and its DELETE ending its
// session alone.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { prepareProxy } from '../../src/adapters/mcp/main.js';
import { resultText as text } from './real-servers/in-process-proxy.js';
import { listeningProxy, modernPost, raw, type ListeningProxy } from './listen-2026-harness.js';

const BOX = path.resolve('tests/proxy/fixtures/box-server.mjs');
const POLICY = [
  'policy p v0',
  'goal "listen 2026"',
  'allow mcp.box.read_file, mcp.box.received, mcp.box.run',
  'deny mcp.box.run',
  'confirm before mcp.box.read_file',
  '',
].join('\n');

let D: string;
let proxy: ListeningProxy;
let client: Client;
const asked: Array<Record<string, unknown>> = [];
let answer: 'accept' | 'decline' = 'accept';

async function boxSetup(name = 'box') {
  return prepareProxy([process.execPath, BOX], { name }, D);
}

beforeAll(async () => {
  D = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-listen26-')));
  mkdirSync(path.join(D, '.aex'));
  writeFileSync(path.join(D, '.aex', 'policy.aex'), POLICY);
  proxy = await listeningProxy(await boxSetup());
  client = new Client({ name: 'listen-2026', version: '1' }, { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: '2026-07-28' } } });
  client.setRequestHandler('elicitation/create', async (req) => {
    asked.push(req.params as Record<string, unknown>);
    return { action: answer, ...(answer === 'accept' ? { content: {} } : {}) } as never;
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(proxy.url)));
}, 30_000);

afterAll(async () => {
  await client?.close().catch(() => {});
  if (proxy) expect(await proxy.stop()).toBe(0);
  rmSync(D, { recursive: true, force: true });
});

describe('a 2026-07-28 client over the HTTP listener', () => {
  it('discovers the server through the proxy: no initialize, no HTTP session', () => {
    expect(client.getServerVersion()?.name).toBe('aex-box-fixture');
    expect(proxy.listener.era()).toBe('modern');
    expect((client.transport as StreamableHTTPClientTransport).sessionId).toBeUndefined();
    expect(proxy.events()).toContainEqual(expect.objectContaining({ event: 'client.protocol', version: '2026-07-28' }));
  });

  it('lists only the tools the policy may allow', async () => {
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(['read_file', 'received']);
  });

  it('refuses a denied call with the rule that refused it, and the server never sees it', async () => {
    const r = await client.callTool({ name: 'run', arguments: { command: 'rm -rf /' } });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/AEX: .*deny mcp\.box\.run/);
    expect(text(await client.callTool({ name: 'received', arguments: {} }))).not.toContain('rm -rf');
    expect(proxy.events()).toContainEqual(expect.objectContaining({ event: 'tool.denied', tool: 'mcp.box.run' }));
  });

  it('asks `confirm before` through input_required; accepting runs the call once', async () => {
    answer = 'accept';
    const before = asked.length;
    const r = await client.callTool({ name: 'read_file', arguments: { path: 'notes.txt' } });
    expect(r.isError).toBeFalsy();
    expect(text(r)).toContain('read notes.txt');
    expect(asked.length).toBe(before + 1);
    expect(String(asked.at(-1)!.message)).toMatch(/^AEX: .*mcp\.box\.read_file/);
    expect(proxy.events()).toContainEqual(expect.objectContaining({ event: 'confirm.approved' }));
  });

  it('declining the confirmation refuses the call, and the server never sees it', async () => {
    answer = 'decline';
    const r = await client.callTool({ name: 'read_file', arguments: { path: 'secret.txt' } });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/AEX: /);
    answer = 'accept';
    const seen = text(await client.callTool({ name: 'received', arguments: {} }));
    expect(seen).toContain('read_file notes.txt');
    expect(seen).not.toContain('secret.txt');
  });

  it('answers each request on its own POST as JSON, with the 2026 result shape', async () => {
    const a = await modernPost(proxy.url, 'raw-1', 'tools/list');
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toMatch(/^application\/json/);
    const result = a.json().result as Record<string, unknown>;
    expect(a.json().id).toBe('raw-1');
    expect(result.resultType).toBe('complete');
    expect(result.ttlMs).toBe(0);
    expect(a.headers['mcp-session-id']).toBeUndefined();
  });

  it('refuses a request whose Mcp-Name header names another tool than its body (the call AEX judges is the one that runs)', async () => {
    const a = await modernPost(proxy.url, 'raw-2', 'tools/call', { name: 'run', arguments: { command: 'id' } }, { 'mcp-name': 'received' });
    expect(a.status).toBe(400);
    expect((a.json().error as { code: number }).code).toBe(-32020);
    const b = await modernPost(proxy.url, 'raw-3', 'tools/call', { name: 'received', arguments: {} }, { 'mcp-method': 'tools/list' });
    expect(b.status).toBe(400);
    expect((b.json().error as { code: number }).code).toBe(-32020);
  });

  it('decodes a base64 Mcp-Name before comparing it, and refuses a broken encoding', async () => {
    const enc = `=?base64?${Buffer.from('received').toString('base64')}?=`;
    const ok = await modernPost(proxy.url, 'raw-4', 'tools/call', { name: 'received', arguments: {} }, { 'mcp-name': enc });
    expect(ok.status).toBe(200);
    expect(JSON.stringify(ok.json().result)).toContain('read_file');
    const wrong = await modernPost(proxy.url, 'raw-5', 'tools/call', { name: 'run', arguments: { command: 'id' } }, { 'mcp-name': enc });
    expect(wrong.status).toBe(400);
    const broken = await modernPost(proxy.url, 'raw-6', 'tools/call', { name: 'received', arguments: {} }, { 'mcp-name': '=?base64?***?=' });
    expect(broken.status).toBe(400);
    expect((broken.json().error as { code: number }).code).toBe(-32020);
  });

  it('refuses a request without the required headers', async () => {
    const noVersion = await modernPost(proxy.url, 'raw-7', 'tools/list', {}, { 'mcp-protocol-version': '' });
    expect(noVersion.status).toBe(400);
    const body = JSON.stringify({ jsonrpc: '2.0', id: 'raw-8', method: 'tools/call', params: { name: 'received', arguments: {}, _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } } });
    const noName = await raw(proxy.url, { headers: { 'content-type': 'application/json', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call' }, body });
    expect(noName.status).toBe(400);
    expect((noName.json().error as { code: number }).code).toBe(-32020);
  });

  it('answers a claimed revision it does not serve with -32022 and the supported ones', async () => {
    const a = await modernPost(proxy.url, 'raw-9', 'tools/list', { _meta: { 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } }, { 'mcp-protocol-version': '2099-01-01' });
    expect(a.status).toBe(400);
    const error = a.json().error as { code: number; data: { supported: string[] } };
    expect(error.code).toBe(-32022);
    expect(error.data.supported).toEqual(['2026-07-28', '2025-11-25']);
  });

  it('serves a 2025 client beside the 2026 one: its own session and server, while the 2026 client goes on', async () => {
    const c = new Client({ name: 'late-2025', version: '1' }, { capabilities: { elicitation: { form: {} } } });
    const t = new StreamableHTTPClientTransport(new URL(proxy.url));
    await c.connect(t);
    expect(t.sessionId).toBeDefined();
    expect(proxy.listener.era()).toBe('both');
    // Its own server: none of the 2026 client's calls were made there.
    expect(text(await c.callTool({ name: 'received', arguments: {} }))).toBe(JSON.stringify([{ type: 'text', text: '[]' }]));
    // Without a session, GET and DELETE have nothing to stream or end.
    const get = await raw(proxy.url, { method: 'GET', headers: { accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    const del = await raw(proxy.url, { method: 'DELETE' });
    expect(del.status).toBe(405);
    await t.terminateSession();
    await c.close();
    // The 2026 client is still served.
    expect((await client.listTools()).tools.length).toBe(2);
  });

  it('ignores a posted cancellation: over HTTP only the closing of a response cancels, and ids are the proxy’s own', async () => {
    const cancel = await raw(proxy.url, {
      headers: { 'content-type': 'application/json', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'notifications/cancelled' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'aex-http-1' } }),
    });
    expect(cancel.status).toBe(202);
    expect((await client.listTools()).tools.length).toBe(2);
  });

  it('a client that closes its response cancels that request; the proxy goes on', async () => {
    const abort = new AbortController();
    const pending = client.callTool({ name: 'read_file', arguments: { path: 'slow.txt' } }, { signal: abort.signal });
    abort.abort();
    await expect(pending).rejects.toThrow();
    expect((await client.listTools()).tools.length).toBe(2);
  });

  it('answers a body over the message limit with 413 and a JSON-RPC error', async () => {
    const big = 'x'.repeat((1 << 20) + 10);
    const a = await modernPost(proxy.url, 'raw-10', 'tools/call', { name: 'received', arguments: { pad: big } });
    expect(a.status).toBe(413);
    expect(a.body).toMatch(/Message too large/);
    expect(proxy.events()).toContainEqual(expect.objectContaining({ event: expect.stringMatching(/oversize|too_large/) }));
  });

  it('refuses an unexpected Host or Origin header and a body that is not JSON', async () => {
    const rebind = await modernPost(proxy.url, 'raw-11', 'tools/list', {}, { host: 'evil.example:80' });
    expect(rebind.status).toBe(403);
    const crossSite = await modernPost(proxy.url, 'raw-12', 'tools/list', {}, { origin: 'http://evil.example' });
    expect(crossSite.status).toBe(403);
    const lookalike = await modernPost(proxy.url, 'raw-13', 'tools/list', {}, { origin: `http://127.0.0.1:${new URL(proxy.url).port}.evil.example` });
    expect(lookalike.status).toBe(403);
    const own = await modernPost(proxy.url, 'raw-14', 'tools/list', {}, { origin: new URL(proxy.url).origin });
    expect(own.status).toBe(200);
    const form = await raw(proxy.url, { headers: { 'content-type': 'text/plain', 'mcp-protocol-version': '2026-07-28' }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' });
    expect(form.status).toBe(415);
  });
});

describe('a 2025-11-25 client over the same listener code', () => {
  it('opens a session with initialize, is served; its DELETE ends that session, not the proxy', async () => {
    const legacy = await listeningProxy(await boxSetup());
    const c = new Client({ name: 'listen-2025', version: '1' }, { capabilities: { elicitation: { form: {} } } });
    c.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: {} }) as never);
    const t = new StreamableHTTPClientTransport(new URL(legacy.url));
    await c.connect(t);
    expect(t.sessionId).toBeDefined();
    expect(legacy.listener.era()).toBe('legacy');
    expect((await c.listTools()).tools.map((x) => x.name).sort()).toEqual(['read_file', 'received']);
    const denied = await c.callTool({ name: 'run', arguments: { command: 'id' } });
    expect(text(denied)).toMatch(/deny mcp\.box\.run/);
    expect(text(await c.callTool({ name: 'read_file', arguments: { path: 'a.txt' } }))).toContain('read a.txt');
    // A 2026 request now is another client, served beside the session.
    const late = await modernPost(legacy.url, 1, 'tools/list');
    expect(late.status).toBe(200);
    expect(legacy.listener.era()).toBe('both');
    await t.terminateSession();
    await c.close();
    for (let i = 0; i < 200 && legacy.listener.sessionCount() > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(legacy.listener.sessionCount()).toBe(0);
    expect((await modernPost(legacy.url, 2, 'tools/list')).status).toBe(200);
    expect(await legacy.stop()).toBe(0);
  }, 30_000);
});
