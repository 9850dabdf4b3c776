// A Streamable HTTP server of revision 2026-07-28 only (SDK v2, `legacy: 'reject'`, on
// 127.0.0.1) behind `aex proxy --url … --name s --header Authorization:…`, the proxy
// spawned as the CLI, and an SDK v2 client on its stdio: once on 2025-11-25 (the
// `initialize` handshake) and once pinned to 2026-07-28. The server records every HTTP
// request it gets, so the test checks the wire itself: each POST names the revision in
// MCP-Protocol-Version and carries the Mcp-Method / Mcp-Name headers the revision
// requires (the SDK server refuses a request without them), a tool's `x-mcp-header`
// arguments go as Mcp-Param-* headers, and the token travels on every request but never
// into the audit or stderr. The policy still decides: listing filtered, a denied call,
// resource read or prompt never reaches the server, and a `confirm before` call whose
// tool needs input of its own asks the person twice.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/client';
import { prepareProxy } from '../../../src/adapters/mcp/main.js';
import { StdioEndpoint } from '../../../src/adapters/mcp/stdio-endpoint.js';
import { runProxyToUrl } from '../../../src/adapters/mcp/transport/run.js';
import { HttpUpstream, paramHeaders, paramHeadersOf, paramHeaderValue } from '../../../src/adapters/mcp/transport/http-upstream.js';
import { BIN, jsonLineReader, proxyEnv } from '../helpers.js';
import { StreamPairTransport } from './stream-client.js';
import { startModernHttpServer, UNICODE_URI, type ModernHttpServer, type SeenRequest } from './modern-http-server.js';

const TOKEN = 'tok-2026-5e4d3c2b1a-secret';
const POLICY = [
  'policy p v0',
  'goal "url 2026"',
  'allow mcp.s.echo, mcp.s.deploy, mcp.s.survey, mcp.s.route',
  'allow mcp.s.resources.read where uri in ["mem://note", "uni://café"]',
  'allow mcp.s.prompts.get where name == "greet"',
  'confirm before mcp.s.deploy',
  '',
].join('\n');

type Mode = '2025-11-25' | '2026-07-28';

interface Run {
  dir: string;
  server: ModernHttpServer;
  child: ChildProcessWithoutNullStreams;
  client: Client;
  asked: Array<Record<string, unknown>>;
  answer: { confirm: 'accept' | 'decline' };
  stderr: () => string;
  exit: Promise<number | null>;
  audit: string;
}

/** The audit's JSON lines so far. */
function events(r: Run): Array<Record<string, unknown>> {
  let text = '';
  try {
    text = readFileSync(r.audit, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const text = (r: unknown): string => JSON.stringify((r as { content?: unknown }).content ?? r);
const posts = (s: ModernHttpServer): SeenRequest[] => s.seen.filter((q) => q.method === 'POST');
const callsOf = (s: ModernHttpServer, name: string): SeenRequest[] => posts(s).filter((q) => q.body?.method === 'tools/call' && q.body.params?.name === name);

async function start(mode: Mode): Promise<Run> {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-url2026-')));
  mkdirSync(path.join(dir, '.aex'));
  writeFileSync(path.join(dir, '.aex', 'policy.aex'), POLICY);
  const server = await startModernHttpServer();
  const audit = path.join(dir, 'audit.jsonl');
  const child = spawn(process.execPath, [BIN, 'proxy', '--url', server.url, '--name', 's', '--header', `Authorization:Bearer ${TOKEN}`, '--audit', audit], {
    cwd: dir,
    env: proxyEnv(),
    stdio: 'pipe',
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // The client's stdio is the child's: a stdio-shaped transport the SDK probes in place.
  const pair = new StreamPairTransport();
  pair.toProxy.pipe(child.stdin);
  child.stdout.pipe(pair.fromProxy);
  const client = new Client(
    { name: 'url-2026-test', version: '1' },
    { capabilities: { elicitation: { form: {} } }, ...(mode === '2026-07-28' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}) },
  );
  const asked: Array<Record<string, unknown>> = [];
  const answer = { confirm: 'accept' as 'accept' | 'decline' };
  client.setRequestHandler('elicitation/create', async (req) => {
    const params = req.params as Record<string, unknown>;
    asked.push(params);
    const message = String(params.message);
    if (message.startsWith('AEX:')) return (answer.confirm === 'accept' ? { action: 'accept', content: {} } : { action: 'decline' }) as never;
    return { action: 'accept', content: { reason: `because ${message}`, name: message === 'First?' ? 'Ada' : 'Grace' } } as never;
  });
  await client.connect(pair as never, { timeout: 15_000 });
  return { dir, server, child, client, asked, answer, stderr: () => err, exit, audit };
}

describe.each<Mode>(['2025-11-25', '2026-07-28'])('a 2026-07-28 server behind aex proxy --url, client on %s', (mode) => {
  let r: Run;
  beforeAll(async () => {
    r = await start(mode);
  }, 30_000);
  afterAll(async () => {
    if (r === undefined) return;
    if (r.child.exitCode === null) r.child.kill('SIGKILL');
    await r.server.close();
    rmSync(r.dir, { recursive: true, force: true });
  });

  it('discovery picks 2026-07-28 upstream; the client keeps its own revision', () => {
    expect(events(r)).toContainEqual(expect.objectContaining({ event: 'upstream.protocol', version: '2026-07-28' }));
    expect(events(r)).not.toContainEqual(expect.objectContaining({ event: 'upstream.protocol', version: 'initialize' }));
    expect(r.client.getNegotiatedProtocolVersion()).toBe(mode);
    if (mode === '2026-07-28') expect(events(r)).toContainEqual(expect.objectContaining({ event: 'client.protocol', version: '2026-07-28' }));
    expect(r.client.getServerVersion()?.name).toBe('modern-http');
    // The first thing on the wire is AEX's probe, and no 2025 handshake ever follows.
    expect(posts(r.server)[0]!.body?.method).toBe('server/discover');
    expect(posts(r.server).some((q) => q.body?.method === 'initialize' || q.body?.method === 'notifications/initialized')).toBe(false);
  });

  it('lists only the tools the policy allows', async () => {
    const names = (await r.client.listTools()).tools.map((t) => t.name).filter((n) => !n.startsWith('aex_'));
    expect(names.sort()).toEqual(['deploy', 'echo', 'route', 'survey']);
  });

  it('answers an allowed call', async () => {
    const ok = await r.client.callTool({ name: 'echo', arguments: { text: 'hi' } });
    expect(ok.isError).toBeFalsy();
    expect(text(ok)).toContain('echo hi');
    expect(r.server.ran).toContain('echo');
  });

  it('mirrors an argument the tool declares as a header into Mcp-Param-*', async () => {
    const ok = await r.client.callTool({ name: 'route', arguments: { region: 'eu-west', note: 'x' } });
    expect(text(ok)).toContain('routed eu-west');
    expect(ok.isError).toBeFalsy();
    const legs = callsOf(r.server, 'route');
    expect(legs).toHaveLength(1);
    expect(legs[0]!.headers['mcp-param-region']).toBe('eu-west');
    // A value that is not a plain ASCII field value goes as a Base64 sentinel.
    const uni = await r.client.callTool({ name: 'route', arguments: { region: 'zürich' } });
    expect(text(uni)).toContain('routed zürich');
    expect(callsOf(r.server, 'route')[1]!.headers['mcp-param-region']).toBe(`=?base64?${Buffer.from('zürich').toString('base64')}?=`);
  });

  it('refuses a call the policy does not allow, and the server never sees it', async () => {
    const no = await r.client.callTool({ name: 'secret', arguments: {} });
    expect(no.isError).toBe(true);
    expect(text(no)).toContain('AEX:');
    expect(text(no)).not.toContain('SECRET');
    expect(callsOf(r.server, 'secret')).toEqual([]);
    expect(r.server.ran).not.toContain('secret');
    expect(events(r)).toContainEqual(expect.objectContaining({ event: 'tool.denied', tool: 'mcp.s.secret' }));
  });

  it('a `confirm before` call whose tool needs input asks AEX’s question, then relays the server’s, and runs once', async () => {
    const before = r.asked.length;
    const ok = await r.client.callTool({ name: 'deploy', arguments: { target: 'prod' } });
    expect(ok.isError).toBeFalsy();
    expect(text(ok)).toContain('deployed prod');
    expect(text(ok)).toContain('because Why deploy prod?');
    const asked = r.asked.slice(before).map((p) => String(p.message));
    expect(asked).toHaveLength(2);
    expect(asked[0]).toMatch(/^AEX: .*mcp\.s\.deploy/);
    expect(asked[1]).toBe('Why deploy prod?');
    expect(r.server.ran.filter((x) => x === 'deploy prod')).toHaveLength(1);
    // Two legs on the server: the call, then its retry with the person's answer.
    const legs = callsOf(r.server, 'deploy');
    expect(legs).toHaveLength(2);
    expect(legs[0]!.body?.params?.inputResponses).toBeUndefined();
    expect(legs[1]!.body?.params?.inputResponses).toEqual({ reason: { action: 'accept', content: { reason: 'because Why deploy prod?', name: 'Grace' } } });
    expect(events(r)).toContainEqual(expect.objectContaining({ event: 'confirm.approved' }));
  });

  it('a declined confirmation never reaches the server', async () => {
    const legsBefore = callsOf(r.server, 'deploy').length;
    r.answer.confirm = 'decline';
    try {
      const no = await r.client.callTool({ name: 'deploy', arguments: { target: 'staging' } });
      expect(no.isError).toBe(true);
      expect(text(no)).toMatch(/declined/);
    } finally {
      r.answer.confirm = 'accept';
    }
    expect(callsOf(r.server, 'deploy')).toHaveLength(legsBefore);
    expect(r.server.ran).not.toContain('deploy staging');
    expect(events(r)).toContainEqual(expect.objectContaining({ event: 'confirm.denied' }));
  });

  it('a server needing two rounds of input gets both answers, with its requestState', async () => {
    const ok = await r.client.callTool({ name: 'survey', arguments: {} });
    expect(ok.isError).toBeFalsy();
    expect(text(ok)).toContain('survey round-2');
    expect(text(ok)).toContain('Ada');
    expect(text(ok)).toContain('Grace');
    const legs = callsOf(r.server, 'survey');
    expect(legs.map((q) => q.body?.params?.requestState)).toEqual([undefined, 'round-1', expect.stringMatching(/^round-2 /)]);
  });

  it('gates resources/read by URI; a refused read never reaches the server', async () => {
    const note = await r.client.readResource({ uri: 'mem://note' });
    expect(JSON.stringify(note.contents)).toContain('NOTE');
    // A URI outside ASCII travels in Mcp-Name as a Base64 sentinel, which the server checks.
    const cafe = await r.client.readResource({ uri: UNICODE_URI });
    expect(JSON.stringify(cafe.contents)).toContain('CAFE');
    await expect(r.client.readResource({ uri: 'mem://hidden' })).rejects.toThrow(/AEX/);
    expect(r.server.ran).toContain('mem://note');
    expect(r.server.ran).toContain(UNICODE_URI);
    expect(r.server.ran).not.toContain('mem://hidden');
    expect(posts(r.server).some((q) => q.body?.params?.uri === 'mem://hidden')).toBe(false);
    expect(events(r)).toContainEqual(expect.objectContaining({ event: 'tool.denied', tool: 'mcp.s.resources.read' }));
  });

  it('gates prompts/get by name', async () => {
    const p = await r.client.getPrompt({ name: 'greet', arguments: { who: 'Ada' } });
    expect(JSON.stringify(p.messages)).toContain('greet Ada');
    await expect(r.client.getPrompt({ name: 'leak' })).rejects.toThrow(/AEX/);
    expect(r.server.ran).toContain('prompt greet');
    expect(r.server.ran).not.toContain('prompt leak');
    expect(posts(r.server).some((q) => q.body?.method === 'prompts/get' && q.body.params?.name === 'leak')).toBe(false);
  });

  it('every POST carries the revision’s headers and the token; the token is in neither the audit nor stderr', async () => {
    await r.client.close();
    expect(await r.exit).toBe(0);
    const all = r.server.seen;
    expect(all.length).toBeGreaterThanOrEqual(10);
    // The token goes on every request, whatever its HTTP method.
    for (const q of all) expect(q.headers.authorization).toBe(`Bearer ${TOKEN}`);
    for (const q of posts(r.server)) {
      const method = q.body?.method;
      expect(q.headers['mcp-protocol-version'], `${method}`).toBe('2026-07-28');
      // The server answered every one: none was refused for a missing or wrong header.
      expect([200, 202], `${method} ${JSON.stringify(q.headers)}`).toContain(q.status);
      if (q.body?.id === undefined) continue;
      expect(q.headers['mcp-method']).toBe(method);
      const params = q.body.params ?? {};
      if (method === 'tools/call' || method === 'prompts/get') expect(q.headers['mcp-name']).toBe(params.name);
      if (method === 'resources/read') {
        const uri = String(params.uri);
        const expected = /^[\x20-\x7e]*$/.test(uri) ? uri : `=?base64?${Buffer.from(uri, 'utf8').toString('base64')}?=`;
        expect(q.headers['mcp-name']).toBe(expected);
      }
    }
    // Each kind of request the session made was among them.
    const methods = new Set(posts(r.server).map((q) => q.body?.method));
    for (const m of ['server/discover', 'tools/list', 'tools/call', 'resources/read', 'prompts/get']) expect(methods.has(m), m).toBe(true);
    const auditText = readFileSync(r.audit, 'utf8');
    expect(auditText).toContain('"upstream.started"');
    expect(auditText).not.toContain(TOKEN);
    expect(r.stderr()).not.toContain(TOKEN);
  }, 20_000);
});

describe('Mcp-Param headers from the proxy itself', () => {
  it('a call of a tool no listing has shown yet: the proxy lists the tools itself first, and the client never sees that listing', async () => {
    const server = await startModernHttpServer();
    const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-url2026-raw-')));
    try {
      writeFileSync(path.join(dir, 'policy.aex'), POLICY);
      const setup = await prepareProxy(['unused'], { name: 's', policy: 'policy.aex' }, dir);
      setup.args = [];
      const toProxy = new PassThrough();
      const fromProxy = new PassThrough();
      let err = '';
      const stderr = new PassThrough();
      stderr.on('data', (d) => (err += d));
      const exit = runProxyToUrl(setup, new StdioEndpoint(toProxy, fromProxy), new HttpUpstream({ url: server.url, headers: { Authorization: `Bearer ${TOKEN}` } }), stderr);
      const next = jsonLineReader(fromProxy, () => err);
      const say = (m: unknown) => toProxy.write(JSON.stringify(m) + '\n');
      say({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
      expect((await next(10_000)).id).toBe(1);
      say({ jsonrpc: '2.0', method: 'notifications/initialized' });
      // Straight to the call, no tools/list from the client.
      say({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'route', arguments: { region: 'ap-south' } } });
      const answer = await next(10_000);
      expect(answer.id).toBe(2);
      expect(JSON.stringify(answer.result)).toContain('routed ap-south');
      // A second call needs no second listing.
      say({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'route', arguments: { region: 'us-east' } } });
      expect(JSON.stringify((await next(10_000)).result)).toContain('routed us-east');
      // A denied call is refused before anything goes to the server.
      say({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'secret', arguments: {} } });
      expect(JSON.stringify(await next(10_000))).toContain('AEX:');
      toProxy.end();
      expect(await exit).toBe(0);
      const wire = posts(server).map((q) => `${String(q.body?.method)}${q.body?.params?.name !== undefined ? ` ${String(q.body.params.name)}` : ''}`);
      expect(wire).toEqual(['server/discover', 'tools/list', 'tools/call route', 'tools/call route']);
      const listing = posts(server)[1]!;
      expect(String(listing.body?.id)).toMatch(/^aex-tools-/);
      expect(listing.headers['mcp-protocol-version']).toBe('2026-07-28');
      expect(listing.headers['mcp-method']).toBe('tools/list');
      expect(listing.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(callsOf(server, 'route').map((q) => q.headers['mcp-param-region'])).toEqual(['ap-south', 'us-east']);
      expect(server.ran).toEqual(['route ap-south', 'route us-east']);
      expect(err).not.toContain(TOKEN);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('reads x-mcp-header declarations only where the revision allows them', () => {
    const prop = (type: string, header?: string) => ({ type, ...(header !== undefined ? { 'x-mcp-header': header } : {}) });
    expect(paramHeadersOf({ type: 'object', properties: { region: prop('string', 'Region'), n: prop('integer', 'N'), b: prop('boolean', 'B'), other: prop('string') } })).toEqual([
      { path: ['region'], name: 'Region' },
      { path: ['n'], name: 'N' },
      { path: ['b'], name: 'B' },
    ]);
    // Nested through properties: allowed at any depth.
    expect(paramHeadersOf({ type: 'object', properties: { opts: { type: 'object', properties: { zone: prop('string', 'Zone') } } } })).toEqual([{ path: ['opts', 'zone'], name: 'Zone' }]);
    // Under items or anyOf a declaration is not reachable: nothing is mirrored from there.
    expect(paramHeadersOf({ type: 'object', properties: { list: { type: 'array', items: prop('string', 'Item') } } })).toEqual([]);
    expect(paramHeadersOf({ type: 'object', anyOf: [{ properties: { a: prop('string', 'A') } }] })).toEqual([]);
    // A schema that breaks a rule gets no headers at all.
    for (const bad of [
      { type: 'object', properties: { a: prop('string', 'Bad Name') } },
      { type: 'object', properties: { a: prop('string', 'X\r\nEvil') } },
      { type: 'object', properties: { a: prop('string', '') } },
      { type: 'object', properties: { a: prop('object', 'Obj') } },
      { type: 'object', properties: { a: prop('string', 'Dup'), b: prop('string', 'dup') } },
      { type: 'object', 'x-mcp-header': 'Root', properties: { a: prop('string', 'A') } },
      { type: 'object', properties: { a: { 'x-mcp-header': 7, type: 'string' } } },
    ]) {
      expect(paramHeadersOf(bad), JSON.stringify(bad)).toEqual([]);
    }
    for (const none of [undefined, null, 'schema', [], { properties: 'x' }]) expect(paramHeadersOf(none)).toEqual([]);
  });

  it('writes values as the binding says: plain ASCII as is, anything else Base64, nothing for what is not a primitive', () => {
    const b64 = (s: string) => `=?base64?${Buffer.from(s, 'utf8').toString('base64')}?=`;
    expect(paramHeaderValue('eu-west')).toBe('eu-west');
    expect(paramHeaderValue('a\tb')).toBe('a\tb');
    expect(paramHeaderValue(42)).toBe('42');
    expect(paramHeaderValue(1.5)).toBe('1.5');
    expect(paramHeaderValue(false)).toBe('false');
    // A line break could start a header of its own: it never goes out as is.
    expect(paramHeaderValue('x\r\nX-Evil: 1')).toBe(b64('x\r\nX-Evil: 1'));
    expect(paramHeaderValue('zürich')).toBe(b64('zürich'));
    expect(paramHeaderValue('')).toBe(b64(''));
    expect(paramHeaderValue(' padded')).toBe(b64(' padded'));
    expect(paramHeaderValue('=?base64?abc?=')).toBe(b64('=?base64?abc?='));
    expect(paramHeaderValue('nul\0')).toBe(b64('nul\0'));
    for (const v of [undefined, null, {}, [], Number.NaN, Infinity, 2 ** 60]) expect(paramHeaderValue(v)).toBeUndefined();
    expect(paramHeaders([{ path: ['opts', 'zone'], name: 'Zone' }, { path: ['missing'], name: 'M' }], { opts: { zone: 'z1' } })).toEqual({ 'Mcp-Param-Zone': 'z1' });
    expect(paramHeaders([{ path: ['a'], name: 'A' }], 'not an object')).toEqual({});
  });
});
