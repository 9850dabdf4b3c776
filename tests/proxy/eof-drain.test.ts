// A client that writes its requests and closes its input at once (a shell pipe, a script)
// must still get the answers of a server that is slow to start: after the client's EOF the
// upstream's close sequence waits for the answers already asked for, for a bounded time.
import { afterEach, describe, expect, it } from 'vitest';
import { openProxyAudit } from '../../src/adapters/mcp/audit.js';
import { memoryBudget } from '../../src/adapters/mcp/budget.js';
import type { JsonRpcMessage } from '../../src/adapters/mcp/endpoint.js';
import { relayOptions } from '../../src/adapters/mcp/proxy.js';
import { startRelay } from '../../src/adapters/mcp/relay.js';
import { FakeUpstream, nullStream, ScriptedClient, setupFor, tempProject } from './inproc.js';
import { rmSync } from 'node:fs';

/** An upstream that answers only when the test says so, and notes when it was told to close. */
class SlowUpstream extends FakeUpstream {
  held: JsonRpcMessage[] = [];
  closedAt: number | undefined;
  constructor() {
    super((m) => {
      if (m.id !== undefined && m.method !== undefined) this.held.push(m);
    });
  }
  answerAll(): void {
    for (const m of this.held.splice(0)) this.push({ jsonrpc: '2.0', id: m.id, result: { content: [{ type: 'text', text: 'late' }] } });
  }
  override async close(): Promise<void> {
    this.closedAt ??= Date.now();
    await super.close();
  }
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(drainAfterEofMs: number) {
  const dir = tempProject();
  dirs.push(dir);
  const setup = await setupFor(dir, { allow: ['mcp.fake.echo'] }, { name: 'fake' });
  const client = new ScriptedClient();
  const upstream = new SlowUpstream();
  const relay = startRelay(client, upstream, { ...relayOptions(setup, openProxyAudit(undefined, nullStream()), memoryBudget()), drainAfterEofMs });
  await client.ready;
  return { client, upstream, relay };
}

const waitFor = async (ok: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('the upstream after the client leaves', () => {
  it('is closed only once it has answered what it was sent, and the answer reaches the client', async () => {
    const { client, upstream, relay } = await start(5000);
    client.say({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: {} } });
    await waitFor(() => upstream.held.length === 1);
    client.hangUp();
    await new Promise((r) => setTimeout(r, 30));
    expect(upstream.closedAt).toBeUndefined();
    upstream.answerAll();
    const answer = await client.next();
    expect(answer).toMatchObject({ id: 1, result: { content: [{ text: 'late' }] } });
    await relay.done;
    expect(upstream.closedAt).toBeDefined();
  });

  it('is closed after the bounded wait when it never answers, and the client is told', async () => {
    const { client, upstream, relay } = await start(40);
    client.say({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'echo', arguments: {} } });
    await waitFor(() => upstream.held.length === 1);
    const left = Date.now();
    client.hangUp();
    const answer = await client.next();
    expect(answer).toMatchObject({ id: 7, error: { code: -32603 } });
    await relay.done;
    expect(upstream.closedAt! - left).toBeGreaterThanOrEqual(35);
  });

  it('is closed at once when nothing is waiting for an answer', async () => {
    const { client, upstream, relay } = await start(5000);
    const left = Date.now();
    client.hangUp();
    await relay.done;
    expect(upstream.closedAt! - left).toBeLessThan(1000);
  });
});
