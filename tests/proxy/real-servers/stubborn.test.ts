// A real MCP server that ignores SIGTERM and the end of its input, behind the proxy
// with the SDK client over stdio (in-process proxy, short grace periods): a 70 MB
// message is answered with a JSON-RPC error and audited, the session goes on, and when
// the client closes, the server is killed — no orphan, checked by its pid.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/client';
import { prepareProxy } from '../../../src/adapters/mcp/main.js';
import { runProxy } from '../../../src/adapters/mcp/proxy.js';
import { StreamPairTransport } from '../http/stream-client.js';
import { processAlive as alive } from '../helpers.js';

const FIXTURE = path.resolve('tests/proxy/real-servers/fixtures/stubborn-server.mjs');
let D: string;
let pidFile: string;
let client: Client;
let exit: Promise<number>;
let stderr = '';

const events = () =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  D = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-stubborn-')));
  pidFile = path.join(D, 'server.pid');
  mkdirSync(path.join(D, '.aex'));
  writeFileSync(path.join(D, '.aex', 'policy.aex'), 'policy p v0\ngoal "stubborn"\nallow mcp.st.echo\n');
  const setup = await prepareProxy([process.execPath, FIXTURE, pidFile], { name: 'st' }, D);
  const pair = new StreamPairTransport();
  const err = new PassThrough();
  err.on('data', (c) => (stderr += c));
  exit = runProxy({ ...setup, grace: { termAfterMs: 100, killAfterMs: 200 } }, { stdin: pair.toProxy, stdout: pair.fromProxy, stderr: err });
  client = new Client({ name: 'stubborn-test', version: '1' });
  await client.connect(pair as never);
}, 30_000);

afterAll(() => {
  rmSync(D, { recursive: true, force: true });
});

describe('a server that ignores SIGTERM, behind aex proxy', () => {
  it('answers a 70 MB message with a JSON-RPC error, audits it, and goes on', async () => {
    const huge = 'x'.repeat(70 * 1024 * 1024);
    await expect(client.callTool({ name: 'echo', arguments: { text: huge } })).rejects.toThrow(/over the limit of 67108864 bytes/);
    const oversize = events().find((e) => e.event === 'proxy.oversize');
    expect(oversize).toMatchObject({ limit: 64 * 1024 * 1024, method: 'tools/call' });
    expect(oversize!.bytes as number).toBeGreaterThan(70 * 1024 * 1024);
    const r = await client.callTool({ name: 'echo', arguments: { text: 'small' } });
    expect(JSON.stringify(r.content)).toContain('echo 5');
  }, 30_000);

  it('on the client’s close, the server gets SIGTERM, then SIGKILL, and no process is left', async () => {
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(pid)).toBe(true);
    await client.close();
    const code = await exit;
    expect(code).toBe(137);
    expect(events().filter((e) => e.event === 'upstream.terminated').map((e) => e.signal)).toEqual(['SIGTERM', 'SIGKILL']);
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 10));
    expect(alive(pid)).toBe(false);
    expect(existsSync(pidFile)).toBe(true);
  }, 10_000);
});
