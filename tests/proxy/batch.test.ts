// Calls that arrive together are judged together (src/adapters/mcp/call-pipeline.ts), and
// nothing of a single call's guarantees is lost in the batch: judged in order, charged
// against the budget its predecessors left, audited before anything is forwarded, refused
// when the audit cannot be written. The stdio endpoint writes a turn's messages at once,
// and the grants are re-read when their folder changes.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { inProc, type InProc } from './inproc.js';
import { ledgerBudget } from '../../src/adapters/mcp/budget.js';
import { cachedLiveGrants } from '../../src/grants/cached.js';
import { StdioEndpoint } from '../../src/adapters/mcp/stdio-endpoint.js';
import { callsSpent } from '../../src/runtime/state/budget.js';
import { createGrant, revokeGrant } from '../../src/grants/store.js';
import { projectStateDirectory } from '../../src/runtime/state-dir.js';
import type { JsonRpcMessage } from '../../src/adapters/mcp/endpoint.js';

const open: InProc[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const p of open.splice(0)) p.cleanup();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const temp = (prefix: string) => {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
const textOf = (m: JsonRpcMessage) => (m.result as { content: Array<{ text: string }> } | undefined)?.content[0]?.text;
const say = (p: InProc, id: number, name: string) => p.client.say({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } });

async function answers(p: InProc, n: number): Promise<Map<unknown, JsonRpcMessage>> {
  const out = new Map<unknown, JsonRpcMessage>();
  for (let i = 0; i < n; i++) {
    const m = await p.client.next();
    out.set(m.id, m);
  }
  return out;
}

describe('a batch of calls', () => {
  it('is judged in order against one ledger: a refusal costs nothing, the budget runs out at the same call as one by one', async () => {
    const state = temp('aex-proxy-batch-ledger-');
    const p = await inProc({ allow: ['mcp.*'], deny: ['mcp.a.rm'], budget: { calls: 3 } }, { setup: { name: 'a' }, budget: ledgerBudget(state, 's', 3) });
    open.push(p);
    // One turn: these six reach the proxy together, as a read of 64 calls in flight would.
    const names = ['echo', 'rm', 'echo', 'echo', 'echo', 'echo'];
    names.forEach((n, i) => say(p, i, n));
    const got = await answers(p, names.length);
    expect(textOf(got.get(0)!)).toBe('ran echo');
    expect(textOf(got.get(1)!)).toMatch(/^AEX: /);
    expect(textOf(got.get(2)!)).toBe('ran echo');
    expect(textOf(got.get(3)!)).toBe('ran echo');
    expect(textOf(got.get(4)!)).toMatch(/^AEX: call budget exhausted/);
    expect(textOf(got.get(5)!)).toMatch(/^AEX: call budget exhausted/);
    // Forwarded in the order they came, and only the three charged.
    expect(p.upstream.received.filter((m) => m.method === 'tools/call').map((m) => m.id)).toEqual([0, 2, 3]);
    expect(callsSpent(state, 's')).toBe(3);
    const allowed = p.events().filter((e) => e.event === 'tool.allowed');
    expect(allowed.map((e) => e.calls_used)).toEqual([1, 2, 3]);
  });

  it('is not forwarded at all when its audit cannot be written: every call is answered as not run', async () => {
    // The audit fails at the batch's write (a full disk, a removed file).
    const fail = () => {
      throw new Error('ENOSPC: no space left on device');
    };
    const broken = await inProc({ allow: ['mcp.*'] }, { setup: { name: 'a' }, auditRelease: fail });
    open.push(broken);
    for (let i = 0; i < 4; i++) say(broken, i, 'echo');
    const got = await answers(broken, 4);
    for (let i = 0; i < 4; i++) expect(got.get(i)).toMatchObject({ error: { code: -32603, message: 'AEX could not judge this call; it was not run.' } });
    expect(broken.upstream.received.filter((m) => m.method === 'tools/call')).toEqual([]);
  });

  it('a lone call is a batch of one and is forwarded in the same turn', async () => {
    const p = await inProc({ allow: ['mcp.*'] }, { setup: { name: 'a' } });
    open.push(p);
    say(p, 1, 'echo');
    // No timer: the call is upstream once the microtasks of this turn have run.
    await new Promise<void>((r) => process.nextTick(r));
    await new Promise<void>((r) => setImmediate(r));
    expect(p.upstream.received.filter((m) => m.method === 'tools/call').map((m) => m.id)).toEqual([1]);
  });
});

describe('the stdio endpoint', () => {
  function endpoint() {
    const input = new PassThrough();
    const output = new PassThrough();
    const writes: string[] = [];
    const write = output.write.bind(output);
    output.write = ((chunk: string, ...rest: never[]) => {
      writes.push(String(chunk));
      return write(chunk, ...rest);
    }) as typeof output.write;
    return { ep: new StdioEndpoint(input, output), writes };
  }

  it('writes what is sent in one turn with one write, in order', async () => {
    const { ep, writes } = endpoint();
    for (let i = 0; i < 64; i++) void ep.send({ jsonrpc: '2.0', id: i, result: {} });
    expect(writes).toEqual([]);
    await new Promise<void>((r) => setImmediate(r));
    expect(writes).toHaveLength(1);
    expect(writes[0]!.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: number }).id)).toEqual([...Array(64).keys()]);
  });

  it('never puts a response in the write of the notification before it (a progress notification must be read first)', async () => {
    const { ep, writes } = endpoint();
    void ep.send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 2 } });
    void ep.send({ jsonrpc: '2.0', id: 1, result: {} });
    await new Promise<void>((r) => setImmediate(r));
    expect(writes.map((w) => Object.keys(JSON.parse(w) as object))).toEqual([
      ['jsonrpc', 'method', 'params'],
      ['jsonrpc', 'id', 'result'],
    ]);
  });

  it('writes what is pending before it closes', async () => {
    const { ep, writes } = endpoint();
    void ep.send({ jsonrpc: '2.0', id: 1, result: {} });
    await ep.close();
    expect(writes).toHaveLength(1);
  });
});

describe('the grants of a connection', () => {
  it('are read again when a grant is created or revoked, and expire by the clock', () => {
    const root = temp('aex-proxy-grants-root-');
    const stateDir = temp('aex-proxy-grants-state-');
    const env = { ...process.env, AEX_STATE_DIR: stateDir };
    let now = Date.now();
    const grants = cachedLiveGrants(projectStateDirectory(root, env), 's', { now: () => now });
    expect(grants()).toEqual([]);
    const g = createGrant(root, 'mcp.a.rm', { env, now, forMs: 60_000 });
    expect(grants().map((x) => x.id)).toEqual([g.id]);
    // The folder settles (its times are old): later calls use what was read.
    const folder = path.join(projectStateDirectory(root, env), 'grants');
    const old = new Date(now - 10_000);
    utimesSync(folder, old, old);
    expect(grants().map((x) => x.id)).toEqual([g.id]);
    expect(grants().map((x) => x.id)).toEqual([g.id]);
    // Revoked: the file is removed, the folder changes, the grant is gone at once.
    revokeGrant(root, g.id, { env });
    expect(grants()).toEqual([]);
    const h = createGrant(root, 'mcp.a.rm', { env, now, forMs: 60_000 });
    utimesSync(folder, old, old);
    expect(grants().map((x) => x.id)).toEqual([h.id]);
    now += 61_000;
    expect(grants()).toEqual([]);
  });

  it('a grant of another session does not count', () => {
    const root = temp('aex-proxy-grants-root-');
    const stateDir = temp('aex-proxy-grants-state-');
    const env = { ...process.env, AEX_STATE_DIR: stateDir };
    createGrant(root, 'mcp.a.rm', { env, session: 'other' });
    expect(cachedLiveGrants(projectStateDirectory(root, env), 's')()).toEqual([]);
    expect(cachedLiveGrants(projectStateDirectory(root, env), 'other')()).toHaveLength(1);
  });
});
