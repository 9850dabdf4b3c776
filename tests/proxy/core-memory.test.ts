// Memory stays bounded over a long session: 200,000 calls through the relay in-process
// (a fake upstream endpoint, the audit to a sink that keeps nothing) leave no pending
// state, a bounded call history and a bounded checkpoint window.
import { afterEach, describe, expect, it } from 'vitest';
import v8 from 'node:v8';
import vm from 'node:vm';
import { inProc, type InProc } from './inproc.js';
import { MAX_HISTORY_ENTRIES } from '../../src/adapters/mcp/meta.js';

let px: InProc | undefined;
afterEach(() => {
  px?.cleanup();
  px = undefined;
});

const CALLS = 200_000;
const IN_FLIGHT = 64;

describe('memory under 200,000 calls', () => {
  it('heap growth stays small; nothing accumulates per call', async () => {
    px = await inProc({ allow: ['mcp.box.echo', 'mcp.box.read_*'], deny: ['mcp.box.read_secret'] }, { setup: { name: 'box' }, keepEvents: false });
    px.upstream.record = false;
    const { client } = px;
    // Answers are counted as they arrive instead of being queued.
    let answered = 0;
    let refused = 0;
    let wake: (() => void) | undefined;
    client.send = async (m) => {
      answered++;
      if ((m.result as { isError?: boolean } | undefined)?.isError) refused++;
      wake?.();
    };
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const heap = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    let sent = 0;
    const send = () => {
      const n = sent++;
      // Arguments without paths: the relay's memory is measured, not the file system's speed.
      const name = n % 10 === 0 ? 'read_secret' : 'echo';
      client.say({ jsonrpc: '2.0', id: n, method: 'tools/call', params: { name, arguments: { text: `call ${n}` } } });
    };
    const runUntil = async (target: number) => {
      while (answered < target) {
        while (sent < target && sent - answered < IN_FLIGHT) send();
        await new Promise<void>((r) => (wake = r));
      }
    };
    // Warm up until the checkpoint window (16 MiB of audit lines) is full and let go.
    await runUntil(70_000);
    const before = heap();
    await runUntil(CALLS);
    const after = heap();
    expect(answered).toBe(CALLS);
    expect(refused).toBe(CALLS / 10);
    expect(px.relay.pendingCount()).toBe(0);
    expect(px.relay.history.length).toBeLessThanOrEqual(MAX_HISTORY_ENTRIES);
    // Rough: 130,000 more calls may not cost more than 8 MB (a leak of 64 bytes per call would).
    expect(after - before).toBeLessThan(8 * 1024 * 1024);
  }, 120_000);
});
