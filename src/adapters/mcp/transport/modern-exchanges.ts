// The 2026-07-28 side of the Streamable HTTP listener: every request is its own POST
// and is answered on that POST's response, as one JSON body, or as an SSE stream when
// a notification about the request (progress) comes before its result. There is no
// session and no stream of its own for the server: requests towards the client travel
// inside results (`input_required`, built by ../protocol/modern-client.ts), and
// closing a response before its result is the client's cancellation.
//
// Each exchange is handed to the relay under an id of the proxy's own, so requests of
// clients that count their ids alike cannot collide, and no client can name an
// exchange that is not its own (a forged answer or cancellation finds nothing).

import type { ServerResponse } from 'node:http';
import type { JsonRpcMessage } from '../endpoint.js';
import type { JsonRpcId } from '../framing.js';
import { UNSUPPORTED_PROTOCOL_VERSION } from '../protocol/era.js';
import { HEADER_MISMATCH } from './http-classify.js';

interface Exchange {
  /** The id the client gave its request. */
  clientId: JsonRpcId;
  res: ServerResponse;
  /** The request's `_meta.progressToken`: progress notifications carrying it belong here. */
  progressToken?: string | number;
  streaming: boolean;
  done: boolean;
}

/** The error a 2026-07-28 server gives for a request that needs a capability the client did not declare. */
const MISSING_CLIENT_CAPABILITY = -32021;
/**
 * Errors answered with HTTP 400 rather than in-band (200): the ones a 2026 client reads
 * as "this request cannot be served so", and reads from a 400 body. Everything else the
 * relay answers (refusals, the server's own errors) is the result of a served request.
 */
const HTTP_400_CODES = new Set([UNSUPPORTED_PROTOCOL_VERSION, HEADER_MISMATCH, MISSING_CLIENT_CAPABILITY]);

function progressTokenOf(m: JsonRpcMessage): string | number | undefined {
  const params = m.params;
  if (typeof params !== 'object' || params === null) return undefined;
  const meta = (params as Record<string, unknown>)._meta;
  const t = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>).progressToken : undefined;
  return typeof t === 'string' || typeof t === 'number' ? t : undefined;
}

export class ModernExchanges {
  private readonly open = new Map<string, Exchange>();
  private counter = 0;

  /** `deliver` hands a message to the relay's side (the listener's `onmessage`). */
  constructor(private readonly deliver: (message: JsonRpcMessage) => void) {}

  /** Requests still waiting for their result. */
  get pending(): number {
    return this.open.size;
  }

  /** Serves one classified 2026-era POST: a request waits for its result, a notification is acknowledged. */
  accept(message: JsonRpcMessage, res: ServerResponse): void {
    const id = message.id;
    if (typeof id !== 'string' && typeof id !== 'number') {
      res.writeHead(202).end();
      // Over HTTP a cancellation is the closing of the request's response, never a
      // notification; one that names a client id could not be told from another client's.
      if (message.method !== 'notifications/cancelled') this.deliver(message);
      return;
    }
    const key = `aex-http-${++this.counter}`;
    const exchange: Exchange = { clientId: id, res, streaming: false, done: false };
    const token = progressTokenOf(message);
    if (token !== undefined) exchange.progressToken = token;
    this.open.set(key, exchange);
    res.on('close', () => {
      if (exchange.done) return;
      exchange.done = true;
      this.open.delete(key);
      this.deliver({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: key, reason: 'the client closed the HTTP response' } });
    });
    this.deliver({ ...message, id: key });
  }

  /** Takes a message from the relay's side if it belongs to an open exchange; false otherwise. */
  take(message: JsonRpcMessage): boolean {
    const isResponse = message.method === undefined && ('result' in message || 'error' in message);
    if (isResponse) {
      const key = typeof message.id === 'string' ? message.id : undefined;
      const exchange = key !== undefined ? this.open.get(key) : undefined;
      if (exchange === undefined || key === undefined) return false;
      this.open.delete(key);
      this.finish(exchange, { ...message, id: exchange.clientId });
      return true;
    }
    if (message.method === 'notifications/progress') {
      const params = message.params as Record<string, unknown> | undefined;
      const token = params?.progressToken;
      for (const exchange of this.open.values()) {
        if (exchange.progressToken !== undefined && exchange.progressToken === token) {
          this.stream(exchange, message);
          return true;
        }
      }
    }
    return false;
  }

  /** Ends every open exchange (the listener is closing). */
  closeAll(): void {
    for (const exchange of this.open.values()) {
      exchange.done = true;
      exchange.res.destroy();
    }
    this.open.clear();
  }

  private finish(exchange: Exchange, message: JsonRpcMessage): void {
    exchange.done = true;
    const body = JSON.stringify(message);
    if (exchange.streaming) {
      exchange.res.end(`event: message\ndata: ${body}\n\n`);
      return;
    }
    const error = message.error as { code?: unknown } | undefined;
    const status = error !== undefined && HTTP_400_CODES.has(error.code as number) ? 400 : 200;
    exchange.res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  }

  private stream(exchange: Exchange, message: JsonRpcMessage): void {
    if (!exchange.streaming) {
      exchange.streaming = true;
      exchange.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    }
    exchange.res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }
}
