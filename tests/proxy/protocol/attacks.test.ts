// How a 2026-07-28 client could try to get past the translation: answering a
// confirmation it was never asked, retrying a confirmed call with other arguments,
// replaying an answer, claiming a revision the proxy does not speak, or re-opening the
// session with initialize. Raw messages in, through the relay, to a fake server.

import { afterEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { rmSync } from 'node:fs';
import { openProxyAudit } from '../../../src/adapters/mcp/audit.js';
import { memoryBudget } from '../../../src/adapters/mcp/budget.js';
import { relayOptions } from '../../../src/adapters/mcp/proxy.js';
import { startRelay } from '../../../src/adapters/mcp/relay.js';
import { negotiateSession } from '../../../src/adapters/mcp/protocol/index.js';
import { echoServer, FakeUpstream, ScriptedClient, setupFor, tempProject } from '../inproc.js';

const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } },
};
const call = (id: number, args: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: 'write', arguments: args, _meta: ENVELOPE, ...extra },
});

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

async function rig() {
  const dir = tempProject();
  dirs.push(dir);
  const setup = await setupFor(dir, 'policy p v0\ngoal "w"\nallow mcp.s.write\nconfirm before mcp.s.write\n', { name: 's' });
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
  const upstream = new FakeUpstream(echoServer);
  const s = negotiateSession(client, upstream, { probeTimeoutMs: 50, audit: (e) => audit.emit(e) });
  startRelay(s.client, s.upstream, { ...relayOptions(setup, audit, memoryBudget()), confirmation: s.confirmation });
  await client.ready;
  const toolCalls = () => upstream.received.filter((m) => m.method === 'tools/call');
  return { client, upstream, toolCalls, events: () => lines.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('2026-07-28 retries through the proxy', () => {
  it('a confirmation becomes input_required; only the proxy-issued requestState answers it, once, and the call judged is the one that runs', async () => {
    const { client, toolCalls, events } = await rig();
    client.say(call(1, { path: 'ok.txt' }));
    const first = await client.next();
    expect(first).toMatchObject({ id: 1, result: { resultType: 'input_required', requestState: expect.stringMatching(/^aex-state-[0-9a-f]{32}$/) } });
    const result = first.result as { inputRequests: Record<string, { method: string; params: { message: string } }>; requestState: string };
    const [key, question] = Object.entries(result.inputRequests)[0]!;
    expect(question.method).toBe('elicitation/create');
    expect(question.params.message).toContain('mcp.s.write');

    // A forged token answers nothing and reaches nothing.
    client.say(call(2, { path: 'ok.txt' }, { requestState: 'aex-state-forged', inputResponses: { [key]: { action: 'accept' } } }));
    expect(await client.next()).toMatchObject({ id: 2, error: { code: -32602 } });
    expect(toolCalls()).toEqual([]);

    // The real token with other arguments: the answer counts, the arguments do not.
    client.say(call(3, { path: '/etc/passwd' }, { requestState: result.requestState, inputResponses: { [key]: { action: 'accept', content: {} } } }));
    expect(await client.next()).toMatchObject({ id: 3, result: { resultType: 'complete', content: [{ text: 'ran write' }] } });
    expect(toolCalls()).toHaveLength(1);
    expect((toolCalls()[0]!.params as { arguments: unknown }).arguments).toEqual({ path: 'ok.txt' });
    expect(JSON.stringify(toolCalls()[0])).not.toContain('inputResponses');
    expect(JSON.stringify(toolCalls()[0])).not.toContain('io.modelcontextprotocol/');

    // Replaying the token: refused, nothing more runs.
    client.say(call(4, { path: 'ok.txt' }, { requestState: result.requestState, inputResponses: { [key]: { action: 'accept' } } }));
    expect(await client.next()).toMatchObject({ id: 4, error: { code: -32602 } });
    expect(toolCalls()).toHaveLength(1);
    expect(events()).toContainEqual(expect.objectContaining({ event: 'client.retry_refused' }));
  });

  it('a retry that leaves the answer out is no consent', async () => {
    const { client, toolCalls, events } = await rig();
    client.say(call(1, { path: 'ok.txt' }));
    const first = (await client.next()).result as { requestState: string };
    client.say(call(2, { path: 'ok.txt' }, { requestState: first.requestState, inputResponses: {} }));
    const r = await client.next();
    expect(r).toMatchObject({ id: 2, result: { isError: true } });
    expect(toolCalls()).toEqual([]);
    expect(events()).toContainEqual(expect.objectContaining({ event: 'confirm.denied' }));
  });

  it('a revision the proxy does not speak is answered with the supported ones; initialize cannot re-open a 2026 session', async () => {
    const { client, upstream } = await rig();
    client.say({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { ...ENVELOPE, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } } });
    expect(await client.next()).toMatchObject({ id: 1, error: { code: -32022, data: { supported: ['2026-07-28', '2025-11-25'], requested: '2099-01-01' } } });
    expect(upstream.received).toEqual([]);
    client.say({ jsonrpc: '2.0', id: 2, method: 'server/discover', params: { _meta: ENVELOPE } });
    expect(await client.next()).toMatchObject({ id: 2, result: { supportedVersions: ['2026-07-28'], resultType: 'complete' } });
    client.say({ jsonrpc: '2.0', id: 3, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } } });
    expect(await client.next()).toMatchObject({ id: 3, error: { code: -32600 } });
    expect(upstream.received.filter((m) => m.method === 'initialize')).toHaveLength(1);
  });

  it('list results carry resultType and forbid caching', async () => {
    const { client } = await rig();
    client.say({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: ENVELOPE } });
    expect(await client.next()).toMatchObject({ id: 1, result: { resultType: 'complete', ttlMs: 0, cacheScope: 'private' } });
  });
});
