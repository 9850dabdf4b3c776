// `aex proxy --listen 127.0.0.1:PORT -- CMD …`: the client side of the proxy as a
// Streamable HTTP endpoint, so clients that speak only HTTP can use a stdio server
// behind AEX. Both protocol revisions are served on the one endpoint, told apart per
// request (./http-classify.ts): 2025-11-25 traffic (initialize, a session, GET stream,
// DELETE) goes to the SDK's sessionful server transport; 2026-07-28 requests, which
// carry their revision in `_meta` and have no session, are answered each on its own
// POST (./modern-exchanges.ts). This file binds both to node:http on loopback, checks
// the Host header (DNS rebinding), and bounds request bodies with the proxy's message
// limit.
//
// One client per proxy run, as with stdio: the first request that is served fixes the
// revision (the protocol wrappers in ../protocol/ translate a 2026 client for the relay
// from then on), and requests of the other revision are refused with the
// unsupported-version error naming the one served. A 2025 session's end (DELETE) is the
// client's end of input; a 2026 client has no session to end, so the proxy serves it
// until it is stopped.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { isJsonContentType, WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import type { FramingProblem, JsonRpcMessage, MessageEndpoint } from '../endpoint.js';
import { errorMessage, INVALID_REQUEST, type JsonRpcId } from '../framing.js';
import { LEGACY_VERSION, MODERN_VERSION, UNSUPPORTED_PROTOCOL_VERSION } from '../protocol/era.js';
import { classifyHttpRequest, type HttpRoute } from './http-classify.js';
import { allowedHostHeaders, type ListenAddress } from './listen-address.js';
import { ModernExchanges } from './modern-exchanges.js';

/** The revision the listener serves: none yet, or the one its first served request fixed. */
export type ListenerEra = 'unknown' | 'legacy' | 'modern';

export interface HttpListenerOptions {
  address: ListenAddress;
  maxMessageBytes: number;
  /** Path of the MCP endpoint (default /mcp). */
  path?: string;
}

export class HttpListener implements MessageEndpoint {
  onmessage?: (message: unknown) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onproblem?: (problem: FramingProblem) => void;
  private readonly server: Server;
  private readonly transport: WebStandardStreamableHTTPServerTransport;
  private readonly modern: ModernExchanges;
  private eraNow: ListenerEra = 'unknown';
  private hosts = new Set<string>();
  private origins = new Set<string>();
  private closed = false;
  private readonly mcpPath: string;

  constructor(private readonly options: HttpListenerOptions) {
    this.mcpPath = options.path ?? '/mcp';
    this.transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      maxRequestBodySize: options.maxMessageBytes,
    });
    this.transport.onmessage = (message) => this.onmessage?.(message);
    this.transport.onerror = (err) => this.onerror?.(err);
    this.transport.onclose = () => this.ended();
    this.modern = new ModernExchanges((m) => this.onmessage?.(m));
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** Binds the port; resolves once it listens (port 0 picks a free one). */
  async start(): Promise<void> {
    await this.transport.start();
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.address.port, this.options.address.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.hosts = allowedHostHeaders(this.options.address, this.port());
    this.origins = new Set([...this.hosts].map((h) => `http://${h}`));
  }

  port(): number {
    const a = this.server.address();
    return typeof a === 'object' && a !== null ? a.port : this.options.address.port;
  }

  url(): string {
    const h = this.options.address.host.includes(':') ? `[${this.options.address.host}]` : this.options.address.host;
    return `http://${h}:${this.port()}${this.mcpPath}`;
  }

  /** The revision this listener serves ('unknown' until its first served request). */
  era(): ListenerEra {
    return this.eraNow;
  }

  async send(message: JsonRpcMessage, options?: { relatedRequestId?: string | number }): Promise<void> {
    if (this.modern.take(message)) return;
    // A 2026 client has no stream outside its requests: what belongs to none of them
    // (a log line, a list change) has nowhere to go.
    if (this.eraNow === 'modern') return;
    await this.transport.send(message as never, options?.relatedRequestId !== undefined ? { relatedRequestId: options.relatedRequestId } : undefined);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.modern.closeAll();
    await this.transport.close().catch(() => undefined);
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections?.();
    });
    this.ended();
  }

  private ended(): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
    this.server.close();
    // The answer to the request that ended the session (DELETE) is still being written:
    // open connections are cut only after it has gone out.
    setTimeout(() => this.server.closeAllConnections?.(), 50).unref();
  }

  private plain(res: ServerResponse, status: number, text: string): void {
    this.refuse(res, status, null, INVALID_REQUEST, text);
  }

  private refuse(res: ServerResponse, status: number, id: JsonRpcId | null, code: number, text: string, data?: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(errorMessage(id, code, text, data)));
  }

  /** The answer to a request of the revision this listener does not serve (any more). */
  private otherEra(res: ServerResponse, id: JsonRpcId | null, requested: string | undefined): void {
    const supported = [this.eraNow === 'modern' ? MODERN_VERSION : LEGACY_VERSION];
    const text = `Unsupported protocol version${requested !== undefined ? `: ${requested}` : ''}; this proxy serves one client, and it speaks ${supported[0]}`;
    this.refuse(res, 400, id, UNSUPPORTED_PROTOCOL_VERSION, text, { supported, ...(requested !== undefined ? { requested } : {}) });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== this.mcpPath) return this.plain(res, 404, `Not found: the MCP endpoint is ${this.mcpPath}`);
    // A page in a browser can make the browser post to 127.0.0.1 under another name
    // (DNS rebinding): only our own loopback names are accepted.
    if (!this.hosts.has(String(req.headers.host ?? ''))) return this.plain(res, 403, 'Forbidden: unexpected Host header');
    // A page of another origin may send a request to the loopback address with the right
    // Host; a browser names that origin, and only our own is accepted.
    const origin = req.headers.origin;
    if (origin !== undefined && !this.origins.has(origin)) return this.plain(res, 403, 'Forbidden: unexpected Origin header');
    let body: Buffer | undefined;
    if (req.method === 'POST') {
      body = await this.readBody(req, res);
      if (body === undefined) return;
    }
    let parsedBody: unknown;
    if (body !== undefined) {
      try {
        parsedBody = JSON.parse(body.toString('utf8'));
      } catch {
        this.onproblem?.({ kind: 'parse_error', excerpt: body.subarray(0, 200).toString('utf8') });
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }));
        return;
      }
    }
    if (parsedBody !== undefined && !isJsonContentType(req.headers['content-type'] ?? null)) {
      return this.refuse(res, 415, null, INVALID_REQUEST, 'Unsupported Media Type: the body must be application/json');
    }
    const route = classifyHttpRequest(req.method ?? 'GET', req.headers, parsedBody);
    if (route.route === 'reject') return this.refuse(res, route.status, route.id, route.code, route.message, route.data);
    if (route.route === 'modern') return this.serveModern(route, res);
    return this.serveLegacy(route, req, res, url, parsedBody);
  }

  private serveModern(route: Extract<HttpRoute, { route: 'modern' }>, res: ServerResponse): void {
    const id = typeof route.message.id === 'string' || typeof route.message.id === 'number' ? route.message.id : null;
    if (route.revision !== undefined && route.revision !== MODERN_VERSION) {
      const supported = this.eraNow === 'unknown' ? [MODERN_VERSION, LEGACY_VERSION] : [this.eraNow === 'modern' ? MODERN_VERSION : LEGACY_VERSION];
      return this.refuse(res, 400, id, UNSUPPORTED_PROTOCOL_VERSION, `Unsupported protocol version: ${route.revision}`, { supported, requested: route.revision });
    }
    if (this.eraNow === 'legacy') return this.otherEra(res, id, route.revision);
    if (route.kind === 'notification' && this.eraNow !== 'modern') {
      // Before any request there is no session for it to belong to.
      res.writeHead(202).end();
      return;
    }
    this.eraNow = 'modern';
    this.modern.accept(route.message, res);
  }

  private async serveLegacy(route: Extract<HttpRoute, { route: 'legacy' }>, req: IncomingMessage, res: ServerResponse, url: URL, parsedBody: unknown): Promise<void> {
    if (this.eraNow === 'modern') {
      // What a server of 2026-07-28 alone answers to 2025-era traffic.
      if (req.method !== 'POST') {
        res.writeHead(405, { 'content-type': 'application/json', allow: 'POST' });
        res.end(JSON.stringify(errorMessage(null, -32000, 'Method not allowed.')));
        return;
      }
      if (route.notification) {
        res.writeHead(202).end();
        return;
      }
      if (route.response || route.batch) return this.refuse(res, 400, null, INVALID_REQUEST, 'Bad Request: this endpoint serves 2026-07-28, which has no batches and takes no posted responses');
      const id = typeof parsedBody === 'object' && parsedBody !== null ? ((parsedBody as Record<string, unknown>).id as JsonRpcId | undefined) : undefined;
      return this.otherEra(res, typeof id === 'string' || typeof id === 'number' ? id : null, requestedOf(parsedBody));
    }
    if (route.initialize) this.eraNow = 'legacy';
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    // The body is handed over parsed, so the Request carries none.
    const request = new Request(url.toString(), { method: req.method ?? 'GET', headers, signal: abort.signal });
    const response = await this.transport.handleRequest(request, parsedBody !== undefined ? { parsedBody } : {});
    // An initialize the SDK refused before it opened a session (a wrong Accept header, say)
    // reached nobody: the listener still serves either revision.
    if (route.initialize && this.transport.sessionId === undefined) this.eraNow = 'unknown';
    await this.write(response, res);
  }

  /** The body, or undefined after answering 413 when it is over the message limit. */
  private readBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer | undefined> {
    const limit = this.options.maxMessageBytes;
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let over = false;
      req.on('data', (c: Buffer) => {
        if (over) return;
        size += c.length;
        if (size > limit) {
          over = true;
          chunks.length = 0;
          this.onproblem?.({ kind: 'oversize', limit, bytes: size, id: null, response: false });
          res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
          res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message: `Message too large: over the limit of ${limit} bytes` } }));
          req.resume();
          resolve(undefined);
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => {
        if (!over) resolve(Buffer.concat(chunks));
      });
      req.on('error', () => resolve(undefined));
    });
  }

  private async write(response: Response, res: ServerResponse): Promise<void> {
    const headers: Record<string, string> = {};
    response.headers.forEach((v, k) => (headers[k] = v));
    res.writeHead(response.status, headers);
    if (response.body === null) {
      res.end();
      return;
    }
    const reader = response.body.getReader();
    res.on('close', () => void reader.cancel().catch(() => undefined));
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!res.write(value)) await new Promise<void>((r) => res.once('drain', () => r()));
      }
    } catch {
      /* the client went away */
    }
    res.end();
  }
}

/** The protocol version an initialize request asks for, if any. */
function requestedOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const params = (body as Record<string, unknown>).params;
  const v = typeof params === 'object' && params !== null ? (params as Record<string, unknown>).protocolVersion : undefined;
  return typeof v === 'string' ? v : undefined;
}
