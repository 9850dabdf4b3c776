// The client endpoints the Streamable HTTP listener (./http-listener.ts) hands out, one per
// relay: a 2025-11-25 session (its own SDK server transport, so its request ids, streams
// and DELETE are its own), or the one endpoint of every 2026-07-28 request (no session:
// each request is an exchange of its own, ./modern-exchanges.ts). Each is a message
// endpoint (../endpoint.ts) like stdio, so the relay, the protocol wrappers and the
// confirmation channel are the same as everywhere else.
//
// A session's server is started when the session opens, so its first messages (the
// initialize) arrive before the relay reads: they wait here until the relay starts the
// endpoint, which it does once its upstream is up, as it reads stdin only then.

import { createHash, randomUUID } from 'node:crypto';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import type { JsonRpcMessage, MessageEndpoint } from '../endpoint.js';
import type { ProxyAudit } from '../audit.js';
import { WindowSink, CHECKPOINT_AUDIT_BYTES } from '../audit.js';
import type { AuditEvent, AuditSink } from '../../../runtime/audit/types.js';
import { ModernExchanges } from './modern-exchanges.js';

/**
 * Messages a session may hand in before its relay reads (while its server starts). Each is
 * bounded by the message limit; past this many the listener answers 503 rather than hold more.
 */
export const MAX_WAITING_MESSAGES = 256;

/** The audit's name for a 2025 session: a hash prefix, since the session id itself is the session's bearer credential. */
export function sessionTag(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex').slice(0, 12);
}

/** The audit's name for the relay of the 2026-07-28 requests, which have no session. */
export const SESSIONLESS_TAG = 'sessionless';

abstract class SessionEndpoint implements MessageEndpoint {
  onmessage?: (message: unknown) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onproblem?: MessageEndpoint['onproblem'];
  private started = false;
  private waiting: unknown[] = [];
  private closedNow = false;

  /** `onEnd` tells the listener, before the relay hears of it, that no more requests may be routed here. */
  constructor(private readonly onEnd: () => void) {}

  get closed(): boolean {
    return this.closedNow;
  }

  /** Whether another message may be handed in now (the relay reads, or few are waiting). */
  canTake(): boolean {
    return !this.closedNow && (this.started || this.waiting.length < MAX_WAITING_MESSAGES);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const m of this.waiting.splice(0)) this.onmessage?.(m);
  }

  protected deliver(message: unknown): void {
    if (this.closedNow) return;
    if (!this.started) this.waiting.push(message);
    else this.onmessage?.(message);
  }

  protected ended(): void {
    if (this.closedNow) return;
    this.closedNow = true;
    this.waiting = [];
    this.onEnd();
    this.onclose?.();
  }

  abstract send(message: JsonRpcMessage, options?: { relatedRequestId?: string | number }): Promise<void>;
  abstract close(): Promise<void>;
}

/** One 2025-11-25 session: its own SDK server transport, opened by an initialize without Mcp-Session-Id. */
export class LegacySession extends SessionEndpoint {
  readonly transport: WebStandardStreamableHTTPServerTransport;

  /** `opened` runs when the SDK has accepted the initialize and named the session, before the initialize is handed in. */
  constructor(maxMessageBytes: number, opened: (session: LegacySession, sessionId: string) => void, onEnd: () => void) {
    super(onEnd);
    this.transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      maxRequestBodySize: maxMessageBytes,
      onsessioninitialized: (id) => opened(this, id),
    });
    this.transport.onmessage = (m) => this.deliver(m);
    this.transport.onerror = (err) => this.onerror?.(err);
    this.transport.onclose = () => this.ended();
    // The SDK transport's start() only marks it started; it serves requests from now on.
    void this.transport.start();
  }

  get sessionId(): string | undefined {
    return this.transport.sessionId;
  }

  async send(message: JsonRpcMessage, options?: { relatedRequestId?: string | number }): Promise<void> {
    await this.transport.send(message as never, options?.relatedRequestId !== undefined ? { relatedRequestId: options.relatedRequestId } : undefined);
  }

  async close(): Promise<void> {
    await this.transport.close().catch(() => undefined);
    this.ended();
  }
}

/** The endpoint of every 2026-07-28 request: each POST is an exchange under an id of the proxy's own. */
export class ModernSession extends SessionEndpoint {
  readonly exchanges = new ModernExchanges((m) => this.deliver(m));

  async send(message: JsonRpcMessage): Promise<void> {
    // A 2026 client has no stream outside its requests: what belongs to none of them
    // (a log line, a list change) has nowhere to go.
    this.exchanges.take(message);
  }

  async close(): Promise<void> {
    this.exchanges.closeAll();
    this.ended();
  }
}

/**
 * The checkpoint windows of the sessions of one listener: each session's `aex_checkpoint`
 * holds its own audit lines only, never another session's (a client must not read what
 * another client asked for through a checkpoint). A sink of the listener's one audit.
 */
export class SessionWindows implements AuditSink {
  private readonly windows = new Map<string, WindowSink>();

  constructor(private readonly limit = CHECKPOINT_AUDIT_BYTES) {}

  write(e: AuditEvent): void {
    const tag = (e as unknown as Record<string, unknown>).http_session;
    if (typeof tag === 'string') this.windows.get(tag)?.write(e);
  }

  open(tag: string): WindowSink {
    let w = this.windows.get(tag);
    if (w === undefined) this.windows.set(tag, (w = new WindowSink(this.limit)));
    return w;
  }

  drop(tag: string): void {
    this.windows.delete(tag);
  }
}

/** The listener's audit as one session sees it: every event names the session; checkpoints hold the session's lines. */
export function sessionAudit(audit: ProxyAudit, tag: string, windows: SessionWindows): ProxyAudit {
  const window = windows.open(tag);
  return {
    ...audit,
    emit: (data) => audit.emit({ ...data, http_session: tag }),
    sinceCheckpoint: () => ({ lines: window.lines, complete: !window.overflowed, count: window.count }),
    markCheckpoint: () => window.reset(),
  };
}
