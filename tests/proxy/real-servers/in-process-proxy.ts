// The proxy of a real-server test: runProxy in this process between the test's SDK client
// (over a stream pair) and the real server it starts, with short shutdown grace periods.
// What the proxy writes on stderr is kept, so a test can read its JSON events.

import { PassThrough } from 'node:stream';
import { runProxy, type ProxySetup } from '../../../src/adapters/mcp/proxy.js';
import { StreamPairTransport } from '../http/stream-client.js';

export interface InProcessProxy {
  /** The client's side: pass it to `client.connect`. */
  pair: StreamPairTransport;
  /** The proxy's exit code, once the client has closed. */
  exit: Promise<number>;
  /** The proxy's JSON event lines on stderr so far, parsed. */
  events(): Record<string, unknown>[];
}

export function startInProcessProxy(setup: ProxySetup): InProcessProxy {
  const pair = new StreamPairTransport();
  const err = new PassThrough();
  let stderr = '';
  err.on('data', (c) => (stderr += c));
  const exit = runProxy({ ...setup, grace: { termAfterMs: 100, killAfterMs: 200 } }, { stdin: pair.toProxy, stdout: pair.fromProxy, stderr: err });
  return {
    pair,
    exit,
    events: () =>
      stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** A tool result's content as one JSON string (the whole result when it has none). */
export const resultText = (r: unknown) => JSON.stringify((r as { content?: unknown }).content ?? r);
