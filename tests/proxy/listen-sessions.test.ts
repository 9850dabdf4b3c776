// `aex proxy --listen` serves more than one client: each 2025-11-25 session has its own
// SDK transport, relay and upstream process (the fixture server, whose `executed` tool
// shows its own state), 2026-07-28 requests share one more, and all of them write one
// audit and spend one budget. SDK clients (and raw requests where the test needs the
// wire) over Streamable HTTP on loopback: two concurrent sessions, a DELETE that ends one
// session only, reconnecting, a 2026 client beside a 2025 one, a server that dies, ids
// and confirmations that stay per session, the shared budget, the session cap, and the
// CLI's SIGTERM with two sessions of a server that ignores SIGTERM.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { prepareProxy } from '../../src/adapters/mcp/main.js';
import { openProxyAudit } from '../../src/adapters/mcp/audit.js';
import { memoryBudget } from '../../src/adapters/mcp/budget.js';
import { relayOptions } from '../../src/adapters/mcp/proxy.js';
import { startRelay } from '../../src/adapters/mcp/relay.js';
import { negotiateSession } from '../../src/adapters/mcp/protocol/index.js';
import { HttpListener, MAX_SESSIONS } from '../../src/adapters/mcp/transport/http-listener.js';
import { sessionTag } from '../../src/adapters/mcp/transport/http-sessions.js';
import { FakeUpstream, setupFor, tempProject, type Handler } from './inproc.js';
import { listeningProxy, raw, type Answer, type ListeningProxy } from './listen-2026-harness.js';
import { resultText as text } from './real-servers/in-process-proxy.js';
import { processAlive as alive } from './helpers.js';

const SERVER = path.resolve('tests/fixtures/mcp/server.mjs');
const STUBBORN = path.resolve('tests/proxy/real-servers/fixtures/stubborn-server.mjs');
const AEX = path.resolve('bin/aex.js');
const POLICY = [
  'policy p v0',
  'goal "listen sessions"',
  'allow mcp.fx.echo, mcp.fx.executed, mcp.fx.crash, mcp.fx.file.write, aex.checkpoint',
  'confirm before mcp.fx.file.write',
  '',
].join('\n');

const dirs: string[] = [];
function project(policy: string): string {
  const d = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-listen-sessions-')));
  dirs.push(d);
  mkdirSync(path.join(d, '.aex'));
  writeFileSync(path.join(d, '.aex', 'policy.aex'), policy);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function until<T>(f: () => T | undefined | false, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function connect(url: string, caps: Record<string, unknown> = {}): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'listen-sessions', version: '1' }, { capabilities: caps as never });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  return { client, transport };
}

const executed = async (c: Client): Promise<string[]> => JSON.parse(JSON.parse(text(await c.callTool({ name: 'executed', arguments: {} })))[0].text) as string[];

/** Headers of a request inside a 2025 session. */
const inSession = (sessionId: string, extra: Record<string, string> = {}) => ({
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-session-id': sessionId,
  'mcp-protocol-version': '2025-11-25',
  ...extra,
});

/** The JSON-RPC messages of an SSE body (or the one JSON body). */
function messagesOf(body: string): Array<Record<string, unknown>> {
  if (body.trimStart().startsWith('{')) return [JSON.parse(body) as Record<string, unknown>];
  return body
    .split('\n\n')
    .map((block) => block.split('\n').find((l) => l.startsWith('data: ')))
    .filter((l): l is string => l !== undefined && l.length > 6)
    .map((l) => JSON.parse(l.slice(6)) as Record<string, unknown>);
}

/** A raw 2025 session: initialize posted by hand, its session id, and `initialized` sent. */
async function rawSession(url: string, capabilities: Record<string, unknown> = {}, id: number | string = 1): Promise<{ sessionId: string; init: Answer }> {
  const init = await raw(url, {
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities, clientInfo: { name: 'raw', version: '1' } } }),
  });
  const sessionId = init.headers['mcp-session-id'];
  if (init.status !== 200 || typeof sessionId !== 'string') return { sessionId: '', init };
  await raw(url, { headers: inSession(sessionId), body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
  return { sessionId, init };
}

/** A POST whose SSE answer is read as it comes: `seen` holds the messages so far. */
function streamingPost(url: string, headers: Record<string, string>, body: unknown): { seen: Array<Record<string, unknown>>; ended: Promise<void> } {
  const u = new URL(url);
  const seen: Array<Record<string, unknown>> = [];
  let buf = '';
  const ended = new Promise<void>((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { host: u.host, ...headers } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let at: number;
        while ((at = buf.indexOf('\n\n')) >= 0) {
          seen.push(...messagesOf(buf.slice(0, at + 2)));
          buf = buf.slice(at + 2);
        }
      });
      res.on('end', () => resolve());
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
  return { seen, ended };
}

describe('several clients on one listener, each 2025 session with its own server', () => {
  let D: string;
  let proxy: ListeningProxy;
  const opened: Array<{ client: Client; transport: StreamableHTTPClientTransport }> = [];

  beforeAll(async () => {
    D = project(POLICY);
    proxy = await listeningProxy(await prepareProxy([process.execPath, SERVER], { name: 'fx' }, D));
  }, 30_000);

  afterAll(async () => {
    for (const o of opened) await o.client.close().catch(() => {});
    if (!proxy) return;
    const pids = proxy.events().filter((e) => e.event === 'upstream.started').map((e) => e.pid as number);
    // stop() (OnListening's stop) closes every session and resolves once their servers are gone.
    expect(await proxy.stop()).toBe(0);
    expect(pids.length).toBeGreaterThanOrEqual(4);
    expect(pids.filter(alive)).toEqual([]);
    expect(proxy.events().at(-1)).toMatchObject({ event: 'proxy.exited', code: 0 });
  }, 30_000);

  it('two concurrent sessions each list and call, on servers of their own', async () => {
    const [a, b] = await Promise.all([connect(proxy.url), connect(proxy.url)]);
    opened.push(a, b);
    expect(a.transport.sessionId).toBeDefined();
    expect(b.transport.sessionId).toBeDefined();
    expect(a.transport.sessionId).not.toBe(b.transport.sessionId);
    const [la, lb] = await Promise.all([a.client.listTools(), b.client.listTools()]);
    expect(la.tools.map((t) => t.name).sort()).toEqual(['aex_checkpoint', 'crash', 'echo', 'executed', 'file.write']);
    expect(lb.tools.map((t) => t.name).sort()).toEqual(la.tools.map((t) => t.name).sort());
    const [ea, eb] = await Promise.all([
      a.client.callTool({ name: 'echo', arguments: { text: 'from a' } }),
      b.client.callTool({ name: 'echo', arguments: { text: 'from b' } }),
    ]);
    expect(text(ea)).toContain('echo: from a');
    expect(text(eb)).toContain('echo: from b');
    await a.client.callTool({ name: 'echo', arguments: { text: 'again' } });
    // Each server saw its own session's calls only.
    expect(await executed(a.client)).toEqual(['echo', 'echo']);
    expect(await executed(b.client)).toEqual(['echo']);
    const started = proxy.events().filter((e) => e.event === 'upstream.started');
    const tags = [a, b].map((s) => sessionTag(s.transport.sessionId!));
    for (const tag of tags) expect(started.filter((e) => e.http_session === tag)).toHaveLength(1);
    expect(new Set(started.map((e) => e.pid)).size).toBe(started.length);
    expect(proxy.listener.sessionCount()).toBe(2);
  });

  it('every event of a session names it by a hash, never by the session id (a bearer credential)', () => {
    const [a, b] = opened;
    for (const s of [a!, b!]) {
      const tag = sessionTag(s.transport.sessionId!);
      const mine = proxy.events().filter((e) => e.http_session === tag);
      expect(mine.map((e) => e.event)).toEqual(expect.arrayContaining(['http.session_opened', 'upstream.started', 'upstream.protocol', 'tool.allowed']));
      expect(proxy.stderr()).not.toContain(s.transport.sessionId!);
    }
    // One chain: the sequence numbers of all sessions run on without a gap.
    const seqs = proxy.events().map((e) => e.seq as number);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
  });

  it('a session’s checkpoint holds its own audit lines, never another session’s', async () => {
    const [a, b] = opened as [(typeof opened)[0], (typeof opened)[0]];
    const [ta, tb] = [a, b].map((s) => sessionTag(s.transport.sessionId!));
    await a.client.callTool({ name: 'echo', arguments: { text: 'a before the checkpoint' } });
    const r = await b.client.callTool({ name: 'aex_checkpoint', arguments: { name: 'b-only' } });
    expect(r.isError).toBeFalsy();
    const lines = readFileSync(path.join(D, '.aex', 'checkpoints', 'b-only', 'audit.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.every((e) => e.http_session === tb)).toBe(true);
    expect(lines.some((e) => e.http_session === ta)).toBe(false);
    expect(lines.map((e) => e.event)).toContain('http.session_opened');
  });

  it('a session’s DELETE ends that session (its server stopped); the other goes on, the old id is not found', async () => {
    const [a, b] = opened.splice(0, 2) as [(typeof opened)[0], (typeof opened)[0]];
    opened.push(b);
    const gone = a.transport.sessionId!;
    const tag = sessionTag(gone);
    const pid = proxy.events().find((e) => e.event === 'upstream.started' && e.http_session === tag)!.pid as number;
    await a.transport.terminateSession();
    await a.client.close();
    await until(() => proxy.events().find((e) => e.event === 'http.session_closed' && e.http_session === tag));
    expect(proxy.events().find((e) => e.event === 'http.session_closed' && e.http_session === tag)).toMatchObject({ reason: 'deleted' });
    await until(() => !alive(pid));
    const stale = await raw(proxy.url, { headers: inSession(gone), body: JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/list' }) });
    expect(stale.status).toBe(404);
    expect(stale.json()).toMatchObject({ error: { code: -32001, message: 'Session not found' } });
    expect(text(await b.client.callTool({ name: 'echo', arguments: { text: 'still here' } }))).toContain('echo: still here');
    expect(proxy.listener.sessionCount()).toBe(1);
  });

  it('a client reconnects after its DELETE: a new session, a new server', async () => {
    const c = await connect(proxy.url);
    opened.push(c);
    expect(text(await c.client.callTool({ name: 'echo', arguments: { text: 'back' } }))).toContain('echo: back');
    expect(await executed(c.client)).toEqual(['echo']);
    expect(proxy.listener.sessionCount()).toBe(2);
  });

  it('an id no session has is answered 404 as the SDK does, and audited as a hash only', async () => {
    const forged = '00000000-0000-4000-8000-000000000000';
    const r = await raw(proxy.url, { headers: inSession(forged), body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    expect(r.status).toBe(404);
    expect((r.json().error as { code: number }).code).toBe(-32001);
    const get = await raw(proxy.url, { method: 'GET', headers: { accept: 'text/event-stream', 'mcp-session-id': forged } });
    expect(get.status).toBe(404);
    const del = await raw(proxy.url, { method: 'DELETE', headers: { 'mcp-session-id': forged } });
    expect(del.status).toBe(404);
    expect(proxy.events()).toContainEqual(expect.objectContaining({ event: 'http.session_unknown', presented: sessionTag(forged) }));
    expect(proxy.stderr()).not.toContain(forged);
  });

  it('an initialize inside a live session is refused by its transport and opens nothing', async () => {
    const live = opened[0]!.transport.sessionId!;
    const before = proxy.events().filter((e) => e.event === 'http.session_opened').length;
    const again = await raw(proxy.url, {
      headers: inSession(live),
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }),
    });
    expect(again.status).toBe(400);
    expect(again.body).toMatch(/already initialized/);
    expect(proxy.events().filter((e) => e.event === 'http.session_opened').length).toBe(before);
  });

  it('a 2026-07-28 client is served beside the 2025 sessions, by a server of its own', async () => {
    const modern = new Client({ name: 'modern', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await modern.connect(new StreamableHTTPClientTransport(new URL(proxy.url)));
    try {
      expect((modern.transport as StreamableHTTPClientTransport).sessionId).toBeUndefined();
      expect(text(await modern.callTool({ name: 'echo', arguments: { text: '2026' } }))).toContain('echo: 2026');
      expect(await executed(modern)).toEqual(['echo']);
      expect(proxy.listener.era()).toBe('both');
      // The 2025 sessions are untouched.
      expect(text(await opened[0]!.client.callTool({ name: 'echo', arguments: { text: '2025' } }))).toContain('echo: 2025');
      expect(proxy.events()).toContainEqual(expect.objectContaining({ event: 'client.protocol', version: '2026-07-28', http_session: 'sessionless' }));
    } finally {
      await modern.close();
    }
  });

  it('another session cannot answer or withdraw a session’s confirmation: ids stay per session', async () => {
    const a = await rawSession(proxy.url, { elicitation: { form: {} } }, 'a-init');
    expect(a.sessionId).not.toBe('');
    const b = opened[0]!.transport.sessionId!;
    const call = streamingPost(proxy.url, inSession(a.sessionId), { jsonrpc: '2.0', id: 'a-call', method: 'tools/call', params: { name: 'file.write', arguments: { path: 'x.txt' } } });
    const question = await until(() => call.seen.find((m) => m.method === 'elicitation/create'));
    // B posts an acceptance under A's question id, and a cancellation of A's call, in its own session.
    const forgedAnswer = await raw(proxy.url, { headers: inSession(b), body: JSON.stringify({ jsonrpc: '2.0', id: question.id, result: { action: 'accept', content: {} } }) });
    expect(forgedAnswer.status).toBe(202);
    const forgedCancel = await raw(proxy.url, { headers: inSession(b), body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'a-call' } }) });
    expect(forgedCancel.status).toBe(202);
    await new Promise((r) => setTimeout(r, 300));
    expect(call.seen.filter((m) => m.id === 'a-call')).toEqual([]);
    // A's own answer decides: declined, the call never reaches A's server.
    const answer = await raw(proxy.url, { headers: inSession(a.sessionId), body: JSON.stringify({ jsonrpc: '2.0', id: question.id, result: { action: 'decline' } }) });
    expect(answer.status).toBe(202);
    await call.ended;
    const result = call.seen.find((m) => m.id === 'a-call')!;
    expect(JSON.stringify(result)).toMatch(/declined/);
    const seen = await raw(proxy.url, { headers: inSession(a.sessionId), body: JSON.stringify({ jsonrpc: '2.0', id: 'a-ex', method: 'tools/call', params: { name: 'executed', arguments: {} } }) });
    expect(messagesOf(seen.body).find((m) => m.id === 'a-ex')!.result).toMatchObject({ content: [{ text: '[]' }] });
    expect(await raw(proxy.url, { method: 'DELETE', headers: { 'mcp-session-id': a.sessionId, 'mcp-protocol-version': '2025-11-25' } })).toMatchObject({ status: 200 });
  });

  it('a session whose server dies answers its pending call with an error and is removed; the others go on', async () => {
    const d = await connect(proxy.url);
    const id = d.transport.sessionId!;
    const tag = sessionTag(id);
    await expect(d.client.callTool({ name: 'crash', arguments: {} })).rejects.toThrow(/exited \(code 3\) before answering/);
    await until(() => proxy.events().find((e) => e.event === 'http.session_closed' && e.http_session === tag));
    expect(proxy.events().find((e) => e.event === 'http.session_closed' && e.http_session === tag)).toMatchObject({ reason: 'upstream_gone', code: 3 });
    const after = await raw(proxy.url, { headers: inSession(id), body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) });
    expect(after.status).toBe(404);
    await d.client.close().catch(() => {});
    expect(text(await opened[0]!.client.callTool({ name: 'echo', arguments: { text: 'ok' } }))).toContain('echo: ok');
  });
});

describe('one budget for every session of a listener', () => {
  it('budget calls=3 holds across sessions: the 4th call is refused whichever session sends it', async () => {
    const D = project(['policy p v0', 'goal "budget"', 'allow mcp.fx.echo', 'budget calls=3', ''].join('\n'));
    const state = path.join(D, 'state');
    const saved = process.env.AEX_STATE_DIR;
    process.env.AEX_STATE_DIR = state;
    let setup: Awaited<ReturnType<typeof prepareProxy>>;
    try {
      // The ledger budget prepareProxy builds for the project session, as `aex proxy` does.
      setup = await prepareProxy([process.execPath, SERVER], { name: 'fx', session: `listen-sessions-${process.pid}-${Date.now()}` }, D);
    } finally {
      if (saved === undefined) delete process.env.AEX_STATE_DIR;
      else process.env.AEX_STATE_DIR = saved;
    }
    const proxy = await listeningProxy(setup);
    const [a, b] = await Promise.all([connect(proxy.url), connect(proxy.url)]);
    try {
      const echo = (c: Client, t: string) => c.callTool({ name: 'echo', arguments: { text: t } });
      expect(text(await echo(a.client, '1'))).toContain('echo: 1');
      expect(text(await echo(b.client, '2'))).toContain('echo: 2');
      expect(text(await echo(a.client, '3'))).toContain('echo: 3');
      const fourth = await echo(b.client, '4');
      expect(fourth.isError).toBe(true);
      expect(text(fourth)).toMatch(/call budget exhausted \(3 calls\)/);
      const fifth = await echo(a.client, '5');
      expect(text(fifth)).toMatch(/call budget exhausted/);
      expect(proxy.events().filter((e) => e.event === 'tool.allowed').map((e) => e.calls_used)).toEqual([1, 2, 3]);
    } finally {
      await a.client.close().catch(() => {});
      await b.client.close().catch(() => {});
      expect(await proxy.stop()).toBe(0);
    }
  }, 30_000);
});

/** A 2025-era scripted server: initialize and tools/list answered, `echo` echoed. */
const fake: Handler = (m) => {
  if (m.id === undefined || m.method === undefined) return;
  if (m.method === 'server/discover') return [{ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'Method not found' } }];
  if (m.method === 'initialize') return [{ jsonrpc: '2.0', id: m.id, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'fake', version: '1' } } }];
  if (m.method === 'tools/list') return [{ jsonrpc: '2.0', id: m.id, result: { tools: [{ name: 'echo', inputSchema: { type: 'object' } }] } }];
  return [{ jsonrpc: '2.0', id: m.id, result: { content: [{ type: 'text', text: 'ok' }] } }];
};

describe('the session cap', () => {
  it(`serves at most ${MAX_SESSIONS} sessions at once: the next initialize gets 503 (audited), a DELETE makes room`, async () => {
    const dir = tempProject();
    dirs.push(dir);
    const setup = await setupFor(dir, ['policy p v0', 'goal "cap"', 'allow mcp.s.echo', ''].join('\n'), { name: 's' });
    const lines: string[] = [];
    const audit = openProxyAudit(undefined, new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
    let servers = 0;
    const listener = new HttpListener({
      address: { host: '127.0.0.1', port: 0 },
      maxMessageBytes: 1 << 20,
      audit: (e) => audit.emit(e),
      open: (endpoint) => {
        servers++;
        const session = negotiateSession(endpoint, new FakeUpstream(fake), { probeTimeoutMs: 200 });
        const relay = startRelay(session.client, session.upstream, { ...relayOptions(setup, audit, memoryBudget()), confirmation: session.confirmation });
        return { done: relay.done.then(() => undefined) };
      },
    });
    await listener.start();
    const url = listener.url();
    try {
      // More initializes at once than the cap: exactly MAX_SESSIONS open.
      const first = await Promise.all(Array.from({ length: MAX_SESSIONS + 4 }, (_, i) => rawSession(url, {}, i)));
      const ok = first.filter((s) => s.sessionId !== '');
      expect(ok).toHaveLength(MAX_SESSIONS);
      const refused = first.filter((s) => s.sessionId === '');
      for (const r of refused) {
        expect(r.init.status).toBe(503);
        expect(r.init.json()).toMatchObject({ error: { code: -32000, message: expect.stringMatching(/at most 16 sessions/), data: { limit: 16 } } });
      }
      expect(servers).toBe(MAX_SESSIONS);
      // The 17th, sequentially.
      const next = await rawSession(url, {}, 'seventeenth');
      expect(next.init.status).toBe(503);
      expect(next.init.json().id).toBe('seventeenth');
      const events = () => lines.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(events().filter((e) => e.event === 'http.session_refused')).toHaveLength(5);
      // Every session is served.
      for (const s of ok.slice(0, 3)) {
        const r = await raw(url, { headers: inSession(s.sessionId), body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) });
        expect(r.status).toBe(200);
      }
      expect(await raw(url, { method: 'DELETE', headers: { 'mcp-session-id': ok[0]!.sessionId, 'mcp-protocol-version': '2025-11-25' } })).toMatchObject({ status: 200 });
      await until(() => listener.sessionCount() < MAX_SESSIONS);
      // An initialize the SDK refuses (a wrong Accept header) takes no place.
      const wrongAccept = await raw(url, {
        headers: { 'content-type': 'application/json', accept: 'text/html' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }),
      });
      expect(wrongAccept.status).toBe(406);
      const room = await rawSession(url, {}, 'after-delete');
      expect(room.init.status).toBe(200);
      expect(room.sessionId).not.toBe('');
      expect(listener.sessionCount()).toBe(MAX_SESSIONS);
    } finally {
      await listener.close();
      audit.close();
    }
    expect(listener.sessionCount()).toBe(0);
  }, 30_000);
});

describe('aex proxy --listen ends on SIGTERM', () => {
  it('with two sessions of a server that ignores SIGTERM: every server is killed, no process is left', async () => {
    const D = project('policy p v0\ngoal "stubborn"\nallow mcp.st.echo\n');
    const child = spawn(process.execPath, [AEX, 'proxy', '--name', 'st', '--listen', '127.0.0.1:0', '--', process.execPath, STUBBORN, path.join(D, 'pid')], {
      cwd: D,
      env: { ...process.env, AEX_STATE_DIR: path.join(D, 'state') },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (c: string) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const events = () =>
      stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    try {
      const url = await until(() => /proxy Listening on (\S+)/.exec(stderr)?.[1], 15_000);
      const [a, b] = await Promise.all([connect(url), connect(url)]);
      expect(text(await a.client.callTool({ name: 'echo', arguments: { text: 'abc' } }))).toContain('echo 3');
      expect(text(await b.client.callTool({ name: 'echo', arguments: { text: 'abcd' } }))).toContain('echo 4');
      const pids = events().filter((e) => e.event === 'upstream.started').map((e) => e.pid as number);
      expect(pids).toHaveLength(2);
      expect(pids.every(alive)).toBe(true);
      child.kill('SIGTERM');
      expect(await exited).toBe(143);
      for (const pid of pids) await until(() => !alive(pid), 3000);
      expect(events().filter((e) => e.event === 'upstream.terminated' && e.signal === 'SIGKILL')).toHaveLength(2);
      expect(events()).toContainEqual(expect.objectContaining({ event: 'proxy.signal', signal: 'SIGTERM' }));
      expect(events().at(-1)).toMatchObject({ event: 'proxy.exited', code: 143, sessions: 2 });
      await a.client.close().catch(() => {});
      await b.client.close().catch(() => {});
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 30_000);
});
