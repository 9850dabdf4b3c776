// The transports of `aex proxy` put together: the client on stdio or on a Streamable
// HTTP listener, the upstream a child process or a remote Streamable HTTP server. The
// relay (../relay.ts) is the same in every combination.

import type { MessageEndpoint } from '../endpoint.js';
import { openProxyAudit } from '../audit.js';
import { memoryBudget } from '../budget.js';
import { relayOptions, runProxyWith, type ProxySetup } from '../proxy.js';
import { startRelay } from '../relay.js';
import { negotiateSession } from '../protocol/index.js';
import { StdioEndpoint } from '../stdio-endpoint.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../framing.js';
import { HttpListener } from './http-listener.js';
import { HttpUpstream } from './http-upstream.js';
import type { ListenAddress } from './listen-address.js';

export interface TransportChoice {
  /** `--listen`: the client connects over Streamable HTTP. */
  listen?: ListenAddress;
  /** `--url`: the upstream is a remote Streamable HTTP server. */
  url?: { url: string; headers: Record<string, string> };
}

export interface ProxyStreams {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * Called once the listener is bound (tests learn the port; the CLI prints the URL).
 * `stop` closes the listener, which ends the session: a 2026-07-28 client has no
 * session of its own to end, so an embedder (or a test) stops the proxy this way.
 */
export type OnListening = (url: string, stop: () => Promise<void>) => void;

/** The relay between `client` and a remote server; resolves 0 at the end of the session, 1 if it could not be reached. */
export async function runProxyToUrl(setup: ProxySetup, client: MessageEndpoint, upstream: HttpUpstream, stderr: NodeJS.WritableStream): Promise<number> {
  const audit = openProxyAudit(setup.auditFile, stderr, setup.auditKey ? { sealKey: setup.auditKey.key } : {});
  const budget = setup.budget ?? memoryBudget();
  // The URL is audited without its query (which may carry a key); headers never are.
  audit.emit({ event: 'upstream.started', url: `${upstream.url.origin}${upstream.url.pathname}` });
  const session = negotiateSession(client, upstream, { audit: (e) => audit.emit(e) });
  const relay = startRelay(session.client, session.upstream, {
    ...relayOptions(setup, audit, budget),
    confirmation: session.confirmation,
    upstreamGoneText: () => `Upstream server ${upstream.url.origin} is not reachable.`,
  });
  const end = await relay.done;
  audit.close();
  stderr.write(end.startFailed ? `error cannot reach upstream ${upstream.url.origin}\n` : `proxy Session ended. ${end.callsUsed} calls made.\n`);
  return end.startFailed ? 1 : 0;
}

/** Runs the proxy over the chosen transports until the session ends; resolves with the exit code. */
export async function runProxyTransports(setup: ProxySetup, choice: TransportChoice, io: ProxyStreams, onListening?: OnListening): Promise<number> {
  const limit = setup.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  let client: MessageEndpoint;
  if (choice.listen !== undefined) {
    const listener = new HttpListener({ address: choice.listen, maxMessageBytes: limit });
    await listener.start();
    io.stderr.write(`proxy Listening on ${listener.url()}\n`);
    onListening?.(listener.url(), () => listener.close());
    // The relay starts the client endpoint again: once is enough for the listener.
    const start = listener.start.bind(listener);
    let started = true;
    listener.start = async () => {
      if (!started) await start();
      started = true;
    };
    client = listener;
  } else {
    client = new StdioEndpoint(io.stdin, io.stdout, { maxMessageBytes: limit });
  }
  if (choice.url !== undefined) return runProxyToUrl(setup, client, new HttpUpstream(choice.url), io.stderr);
  return runProxyWith(setup, client, io.stderr);
}
