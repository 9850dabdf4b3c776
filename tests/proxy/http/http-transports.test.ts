// Streamable HTTP both ways, with a real server (server-memory) and the SDK client:
//   HTTP client → aex proxy --listen → stdio server, and
//   stdio client → aex proxy --url → (that HTTP listener) → stdio server.
// The authorization header reaches the HTTP side and never the audit or stderr.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { request } from 'node:http';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { prepareProxy } from '../../../src/adapters/mcp/main.js';
import { runProxyTransports, runProxyToUrl } from '../../../src/adapters/mcp/transport/run.js';
import { HttpUpstream } from '../../../src/adapters/mcp/transport/http-upstream.js';
import { StdioEndpoint } from '../../../src/adapters/mcp/stdio-endpoint.js';
import { StreamPairTransport } from './stream-client.js';

const MEMORY = path.resolve('node_modules/.bin/mcp-server-memory');
const TOKEN = 'tok-9f8e7d6c5b4a-secret';
let D: string;

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c) => (text += c));
  return { stream, text: () => text };
}

beforeAll(() => {
  D = mkdtempSync(path.join(tmpdir(), 'aex-http-'));
  mkdirSync(path.join(D, '.aex'));
  writeFileSync(
    path.join(D, '.aex', 'policy.aex'),
    ['policy p v0', 'goal "http"', 'allow mcp.mem.create_entities, mcp.mem.read_graph, mcp.mem.search_nodes, mcp.mem.delete_entities', 'deny mcp.mem.delete_entities', ''].join('\n'),
  );
});
afterAll(() => rmSync(D, { recursive: true, force: true }));

async function listener(auditFile: string) {
  const setup = await prepareProxy([MEMORY], { name: 'mem', audit: auditFile }, D);
  const err = sink();
  let resolveUrl!: (u: string) => void;
  const url = new Promise<string>((r) => (resolveUrl = r));
  let stop!: () => Promise<void>;
  const exit = runProxyTransports(
    { ...setup, grace: { termAfterMs: 100, killAfterMs: 200 } },
    { listen: { host: '127.0.0.1', port: 0 } },
    { stdin: new PassThrough(), stdout: new PassThrough(), stderr: err.stream },
    (u, s) => {
      stop = s;
      resolveUrl(u);
    },
  );
  return { url: await url, exit, stderr: err.text, stop: () => stop() };
}

describe('Streamable HTTP', () => {
  it('an HTTP client reaches a stdio server through --listen: listing filtered, calls judged', async () => {
    const audit = path.join(D, 'listen.audit.jsonl');
    const l = await listener(audit);
    expect(l.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = new Client({ name: 't', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(l.url)));
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual(['create_entities', 'read_graph', 'search_nodes']);
    const ok = await client.callTool({ name: 'create_entities', arguments: { entities: [{ name: 'a', entityType: 't', observations: [] }] } });
    expect(ok.isError).toBeFalsy();
    const no = await client.callTool({ name: 'delete_entities', arguments: { entityNames: ['a'] } });
    expect(no.isError).toBe(true);
    expect(JSON.stringify(no.content)).toMatch(/AEX: .*deny mcp\.mem\.delete_entities/);
    // Ending the session (DELETE) stops that session's server; the proxy serves on until stopped.
    await (client.transport as StreamableHTTPClientTransport).terminateSession();
    await client.close();
    await l.stop();
    expect(await l.exit).toBe(0);
    const lines = readFileSync(audit, 'utf8');
    expect(lines).toContain('"tool.denied"');
  }, 30_000);

  it('a Host header other than our loopback names is refused (DNS rebinding)', async () => {
    const l = await listener(path.join(D, 'rebind.audit.jsonl'));
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(l.url);
      const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { host: 'evil.example:80', 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(403);
    // A session still opens after the refusal; then the proxy and its servers stop.
    const client = new Client({ name: 't', version: '1' });
    const t = new StreamableHTTPClientTransport(new URL(l.url));
    await client.connect(t);
    await t.terminateSession();
    await client.close();
    await l.stop();
    await l.exit;
  }, 30_000);

  it('a stdio client reaches an HTTP server through --url; the token goes on the wire, not in the audit or stderr', async () => {
    const l = await listener(path.join(D, 'far.audit.jsonl'));
    const seen: string[] = [];
    const recording: typeof fetch = (input, init) => {
      seen.push(new Headers(init?.headers).get('authorization') ?? '');
      return fetch(input, init);
    };
    const setup = await prepareProxy(['unused'], { name: 'mem', audit: path.join(D, 'near.audit.jsonl') }, D);
    const pair = new StreamPairTransport();
    const err = sink();
    const upstream = new HttpUpstream({ url: l.url, headers: { Authorization: `Bearer ${TOKEN}` }, fetch: recording });
    const exit = runProxyToUrl(setup, new StdioEndpoint(pair.toProxy, pair.fromProxy), upstream, err.stream);
    const client = new Client({ name: 'stdio-client', version: '1' });
    await client.connect(pair as never);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('read_graph');
    const g = await client.callTool({ name: 'read_graph', arguments: {} });
    expect(g.isError).toBeFalsy();
    const no = await client.callTool({ name: 'delete_entities', arguments: { entityNames: ['x'] } });
    expect(no.isError).toBe(true);
    await client.close();
    expect(await exit).toBe(0);
    // The proxy in front speaks 2026-07-28 to the listener, which has no session to end.
    await l.stop();
    await l.exit;
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.every((h) => h === `Bearer ${TOKEN}`)).toBe(true);
    expect(readFileSync(path.join(D, 'near.audit.jsonl'), 'utf8')).not.toContain(TOKEN);
    expect(err.text()).not.toContain(TOKEN);
    expect(l.stderr()).not.toContain(TOKEN);
  }, 30_000);
});
