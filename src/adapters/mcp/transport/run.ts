// The transports of `aex proxy` put together: the client on stdio or on a Streamable
// HTTP listener, the upstream a child process or a remote Streamable HTTP server. The
// relay (../relay.ts) is the same in every combination; behind the listener there is
// one relay and upstream per client session (./http-listener.ts), all writing the one
// audit and spending the one budget.

import type { MessageEndpoint } from '../endpoint.js';
import { openProxyAudit, type ProxyAudit } from '../audit.js';
import { memoryBudget, type CallBudget } from '../budget.js';
import { DEFAULT_GRACE, relayOptions, runProxyWith, signalExitCode, SPAWN_FAILURE_EXIT, startUpstreamSession, type ProxySetup } from '../proxy.js';
import { startRelay, type Relay } from '../relay.js';
import { negotiateSession } from '../protocol/index.js';
import { StdioEndpoint } from '../stdio-endpoint.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../framing.js';
import { HttpListener, type OpenSession } from './http-listener.js';
import { sessionAudit, SessionWindows } from './http-sessions.js';
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
 * `stop` closes the listener and every session, and resolves once their upstreams are
 * gone: the proxy then ends (exit code 0). A 2025 session's DELETE ends that session only,
 * and a 2026-07-28 client has none to end, so an embedder (or a test) stops the proxy this way.
 */
export type OnListening = (url: string, stop: () => Promise<void>, listener: HttpListener) => void;

/** The relay between `client` and one connection to a remote server. */
function startUrlSession(setup: ProxySetup, client: MessageEndpoint, upstream: HttpUpstream, audit: ProxyAudit, budget: CallBudget): Relay {
  // The URL is audited without its query (which may carry a key); headers never are.
  audit.emit({ event: 'upstream.started', url: `${upstream.url.origin}${upstream.url.pathname}` });
  const session = negotiateSession(client, upstream, { audit: (e) => audit.emit(e) });
  return startRelay(session.client, session.upstream, {
    ...relayOptions(setup, audit, budget),
    confirmation: session.confirmation,
    upstreamGoneText: () => `Upstream server ${upstream.url.origin} is not reachable.`,
  });
}

/** The relay between `client` and a remote server; resolves 0 at the end of the session, 1 if it could not be reached. */
export async function runProxyToUrl(setup: ProxySetup, client: MessageEndpoint, upstream: HttpUpstream, stderr: NodeJS.WritableStream): Promise<number> {
  const audit = openProxyAudit(setup.auditFile, stderr, setup.auditKey ? { sealKey: setup.auditKey.key } : {});
  const budget = setup.budget ?? memoryBudget();
  const end = await startUrlSession(setup, client, upstream, audit, budget).done;
  audit.close();
  stderr.write(end.startFailed ? `error cannot reach upstream ${upstream.url.origin}\n` : `proxy Session ended. ${end.callsUsed} calls made.\n`);
  return end.startFailed ? 1 : 0;
}

/**
 * `--listen`: serves clients until the listener is stopped (`stop`, or SIGTERM/SIGINT/SIGHUP
 * with `forwardSignals`); resolves 0 after `stop`, 128 + the signal's number after a signal.
 */
async function runListener(setup: ProxySetup, listen: ListenAddress, url: TransportChoice['url'], io: ProxyStreams, onListening?: OnListening): Promise<number> {
  // One audit for every session (one chain, the file opened once); each session's events
  // name it, and each session's checkpoints hold its own lines (the shared window holds none).
  const windows = new SessionWindows();
  const audit = openProxyAudit(setup.auditFile, io.stderr, { ...(setup.auditKey ? { sealKey: setup.auditKey.key } : {}), windowBytes: 0, sinks: [windows] });
  // One budget object for every session: `budget calls=N` holds across them (and, with the
  // ledger, across the other proxies and the gate of the project session).
  const budget = setup.budget ?? memoryBudget();
  let served = 0;
  const open: OpenSession = (endpoint, info) => {
    served++;
    const tagged = sessionAudit(audit, info.tag, windows);
    const over = <T>(value: T): T => {
      windows.drop(info.tag);
      return value;
    };
    if (url !== undefined) {
      const upstream = new HttpUpstream(url);
      const relay = startUrlSession(setup, endpoint, upstream, tagged, budget);
      return {
        done: relay.done.then((end) => {
          if (end.startFailed) io.stderr.write(`error cannot reach upstream ${upstream.url.origin}\n`);
          return over({});
        }),
        terminate: () => void upstream.close().catch(() => undefined),
      };
    }
    const { upstream, relay } = startUpstreamSession(setup, endpoint, tagged, budget, io.stderr);
    return {
      done: relay.done.then((end) => {
        if (end.startFailed) io.stderr.write(`error cannot start upstream "${setup.command}": ${end.startError ?? 'unknown error'}\n`);
        return over({ code: end.startFailed ? SPAWN_FAILURE_EXIT : upstream.exitCode() });
      }),
      terminate: (ms) => upstream.terminate(ms),
    };
  };
  const listener = new HttpListener({ address: listen, maxMessageBytes: setup.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES, open, audit: (e) => audit.emit(e) });
  await listener.start();
  io.stderr.write(`proxy Listening on ${listener.url()}\n`);
  let signalled: NodeJS.Signals | undefined;
  const handlers: Array<[NodeJS.Signals, () => void]> = [];
  if (setup.forwardSignals) {
    const killAfterMs = Math.min((setup.grace ?? DEFAULT_GRACE).killAfterMs, 1000);
    for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
      // Every upstream gets the signal now and SIGKILL soon after; the proxy exits once all are gone.
      const h = () => {
        if (signalled === undefined) {
          signalled = sig;
          audit.emit({ event: 'proxy.signal', signal: sig });
        }
        void listener.close({ killAfterMs });
      };
      process.on(sig, h);
      handlers.push([sig, h]);
    }
  }
  onListening?.(listener.url(), () => listener.close(), listener);
  await listener.closed;
  for (const [sig, h] of handlers) process.off(sig, h);
  const code = signalled !== undefined ? signalExitCode(signalled) : 0;
  audit.emit({ event: 'proxy.exited', code, calls_used: budget.used(), sessions: served });
  audit.close();
  io.stderr.write(`proxy Stopped. ${served} sessions served, ${budget.used()} calls made.\n`);
  return code;
}

/** Runs the proxy over the chosen transports until the session ends (stdio) or the listener is stopped; resolves with the exit code. */
export async function runProxyTransports(setup: ProxySetup, choice: TransportChoice, io: ProxyStreams, onListening?: OnListening): Promise<number> {
  if (choice.listen !== undefined) return runListener(setup, choice.listen, choice.url, io, onListening);
  const client = new StdioEndpoint(io.stdin, io.stdout, { maxMessageBytes: setup.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES });
  if (choice.url !== undefined) return runProxyToUrl(setup, client, new HttpUpstream(choice.url), io.stderr);
  return runProxyWith(setup, client, io.stderr);
}
