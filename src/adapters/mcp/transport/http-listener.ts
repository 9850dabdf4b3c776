// `aex proxy --listen 127.0.0.1:PORT -- CMD …`: the client side of the proxy as a
// Streamable HTTP endpoint, so clients that speak only HTTP can use a stdio server
// behind AEX. Both protocol revisions are served on the one endpoint, told apart per
// request (./http-classify.ts), and several clients at once:
//
//   - each 2025-11-25 session (an initialize without Mcp-Session-Id) gets its own SDK
//     server transport and, through `open`, its own relay and upstream (a new child
//     process, or a new connection to the --url server): sessions never see each other's
//     requests, ids, server state or confirmations. Requests are routed by Mcp-Session-Id;
//     an unknown one is answered 404 as the SDK's transport does. A session's DELETE ends
//     that session alone: its upstream is stopped with the usual close sequence.
//   - every 2026-07-28 request (no session) goes to one relay and upstream, opened at the
//     first such request (./modern-exchanges.ts gives each request an id of the proxy's own).
//
// At most MAX_SESSIONS 2025 sessions live at once (an initialize past it is answered 503);
// an idle session is kept (clients keep theirs), one whose upstream is gone is removed.
// This file binds all of it to node:http on loopback, checks the Host and Origin headers
// (DNS rebinding, other sites), and bounds request bodies with the proxy's message limit.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isJsonContentType } from '@modelcontextprotocol/server';
import type { AuditEventData } from '../../../runtime/kernel/types.js';
import type { MessageEndpoint } from '../endpoint.js';
import { errorMessage, INVALID_REQUEST, type JsonRpcId } from '../framing.js';
import { LEGACY_VERSION, MODERN_VERSION, UNSUPPORTED_PROTOCOL_VERSION } from '../protocol/era.js';
import { classifyHttpRequest, type HttpRoute } from './http-classify.js';
import { LegacySession, ModernSession, sessionTag, SESSIONLESS_TAG } from './http-sessions.js';
import { allowedHostHeaders, type ListenAddress } from './listen-address.js';

/** 2025-11-25 sessions served at once, each with an upstream of its own (the 2026 relay is one more). */
export const MAX_SESSIONS = 16;

/** The JSON-RPC error of the SDK transport's HTTP-level refusals (server-defined range): too many sessions, stopping, no session. */
export const SERVER_ERROR = -32000;

/** What the listener's embedder starts for a session: a relay between its endpoint and an upstream. */
export interface SessionServer {
  /** Settles once the session's upstream is gone; the fields go into the session's closing audit event. */
  done: Promise<Record<string, unknown> | void>;
  /** Stops the upstream now (the proxy got a signal): SIGTERM, and SIGKILL `killAfterMs` later. */
  terminate?(killAfterMs: number): void;
}

export interface SessionInfo {
  /** The session's name in the audit: a hash prefix of its id, or "sessionless" for the 2026 relay. */
  tag: string;
  revision: typeof LEGACY_VERSION | typeof MODERN_VERSION;
}

/** Starts the relay (and upstream) of a session that has just opened. */
export type OpenSession = (endpoint: MessageEndpoint, info: SessionInfo) => SessionServer;

export interface HttpListenerOptions {
  address: ListenAddress;
  maxMessageBytes: number;
  /** Path of the MCP endpoint (default /mcp). */
  path?: string;
  open: OpenSession;
  /** The proxy's audit, for what happens outside any relay (sessions opened, refused, closed; oversize bodies). */
  audit?: (event: AuditEventData) => void;
}

/** The revisions served so far. */
export type ListenerEra = 'unknown' | 'legacy' | 'modern' | 'both';

interface Live {
  endpoint: LegacySession | ModernSession;
  tag: string;
  revision: SessionInfo['revision'];
  server?: SessionServer;
  /** Settles once the session is gone (its upstream stopped). */
  done: Promise<void>;
  /** Why it ends: set by the first of DELETE, the proxy stopping, the upstream going away. */
  reason?: 'deleted' | 'stopped' | 'upstream_gone';
}

const SESSION_NOT_FOUND = -32001;

export class HttpListener {
  private readonly server: Server;
  private hosts = new Set<string>();
  private origins = new Set<string>();
  private readonly mcpPath: string;
  /** 2025 sessions by Mcp-Session-Id, while requests may be routed to them. */
  private readonly sessions = new Map<string, Live>();
  /** Every session whose upstream is not gone yet (closing ones too: they still hold a process). */
  private readonly live = new Set<Live>();
  /** Initializes the SDK is handling now: they hold a place under MAX_SESSIONS. */
  private opening = 0;
  private modern: Live | undefined;
  private served = { legacy: false, modern: false };
  private stopping = false;
  private resolveClosed!: () => void;
  /** Settles when close() has stopped every session (their upstreams are gone) and the port. */
  readonly closed = new Promise<void>((r) => (this.resolveClosed = r));

  constructor(private readonly options: HttpListenerOptions) {
    this.mcpPath = options.path ?? '/mcp';
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** Binds the port; resolves once it listens (port 0 picks a free one). */
  async start(): Promise<void> {
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

  /** The revisions served so far. */
  era(): ListenerEra {
    const { legacy, modern } = this.served;
    return legacy && modern ? 'both' : legacy ? 'legacy' : modern ? 'modern' : 'unknown';
  }

  /** 2025 sessions whose upstream is not gone yet. */
  sessionCount(): number {
    let n = 0;
    for (const l of this.live) if (l.revision === LEGACY_VERSION) n++;
    return n;
  }

  /**
   * Stops everything: no new request is taken, every session is closed (its upstream gets
   * the close sequence, or with `killAfterMs` SIGTERM now and SIGKILL that much later),
   * and resolves once every upstream is gone and the port is closed.
   */
  async close(opts: { killAfterMs?: number } = {}): Promise<void> {
    const first = !this.stopping;
    this.stopping = true;
    const portClosed = first ? new Promise<void>((resolve) => this.server.close(() => resolve())) : undefined;
    for (const l of [...this.live]) {
      l.reason ??= 'stopped';
      void l.endpoint.close();
      if (opts.killAfterMs !== undefined) l.server?.terminate?.(opts.killAfterMs);
    }
    if (first) {
      while (this.live.size > 0) await Promise.all([...this.live].map((l) => l.done));
      // Streams still open ended with their sessions; what is left is idle keep-alive connections.
      this.server.closeAllConnections?.();
      await portClosed;
      this.resolveClosed();
    }
    await this.closed;
  }

  private emit(event: AuditEventData): void {
    this.options.audit?.(event);
  }

  private refuse(res: ServerResponse, status: number, id: JsonRpcId | null, code: number, text: string, data?: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(errorMessage(id, code, text, data)));
  }

  private plain(res: ServerResponse, status: number, text: string): void {
    this.refuse(res, status, null, INVALID_REQUEST, text);
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
    if (this.stopping) return this.refuse(res, 503, null, SERVER_ERROR, 'Service unavailable: the proxy is stopping');
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
        this.emit({ event: 'proxy.parse_error', line: body.subarray(0, 200).toString('utf8') });
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
    if (this.stopping) return this.refuse(res, 503, null, SERVER_ERROR, 'Service unavailable: the proxy is stopping');
    if (route.route === 'modern') return this.serveModern(route, res);
    return this.serveLegacy(route, req, res, url, parsedBody);
  }

  private serveModern(route: Extract<HttpRoute, { route: 'modern' }>, res: ServerResponse): void {
    const id = typeof route.message.id === 'string' || typeof route.message.id === 'number' ? route.message.id : null;
    if (route.revision !== undefined && route.revision !== MODERN_VERSION) {
      const supported = [MODERN_VERSION, LEGACY_VERSION];
      return this.refuse(res, 400, id, UNSUPPORTED_PROTOCOL_VERSION, `Unsupported protocol version: ${route.revision}`, { supported, requested: route.revision });
    }
    if (route.kind === 'notification' && this.modern === undefined) {
      // Before any 2026 request there is no relay for it to belong to.
      res.writeHead(202).end();
      return;
    }
    const live = this.modern ?? this.openModern();
    if (live === undefined || !live.endpoint.canTake()) return this.refuse(res, 503, id, SERVER_ERROR, 'Service unavailable: the server is not ready for more requests; try again');
    (live.endpoint as ModernSession).exchanges.accept(route.message, res);
  }

  private openModern(): Live | undefined {
    const endpoint = new ModernSession(() => {
      if (this.modern?.endpoint === endpoint) this.modern = undefined;
    });
    const live = this.run(endpoint, SESSIONLESS_TAG, MODERN_VERSION);
    if (live !== undefined) this.modern = live;
    return live;
  }

  private async serveLegacy(route: Extract<HttpRoute, { route: 'legacy' }>, req: IncomingMessage, res: ServerResponse, url: URL, parsedBody: unknown): Promise<void> {
    const sid = req.headers['mcp-session-id'];
    if (sid !== undefined) {
      const key = Array.isArray(sid) ? sid.join(', ') : sid;
      const live = this.sessions.get(key);
      if (live === undefined) {
        // As the SDK's transport answers an id it did not issue (or a session that ended):
        // the client starts a new session. The id presented is audited as a hash only.
        this.emit({ event: 'http.session_unknown', presented: sessionTag(key) });
        return this.refuse(res, 404, null, SESSION_NOT_FOUND, 'Session not found');
      }
      if (!live.endpoint.canTake()) return this.refuse(res, 503, null, SERVER_ERROR, 'Service unavailable: the session is not ready for more requests; try again');
      return this.pass((live.endpoint as LegacySession), req, res, url, parsedBody);
    }
    if (route.initialize) return this.openLegacy(req, res, url, parsedBody);
    // Without a session there is nothing to stream, end or answer.
    if (req.method !== 'POST') {
      return this.refuse(res, 405, null, SERVER_ERROR, 'Method not allowed: GET and DELETE need the Mcp-Session-Id of a 2025-11-25 session', undefined, { allow: 'POST' });
    }
    if (route.notification) {
      // As a 2026-07-28 server does with a notification that names no revision: accepted and dropped.
      res.writeHead(202).end();
      return;
    }
    if (route.response || route.batch) {
      return this.refuse(res, 400, null, INVALID_REQUEST, 'Bad Request: a posted response or batch needs the Mcp-Session-Id of its session');
    }
    const id = typeof parsedBody === 'object' && parsedBody !== null ? ((parsedBody as Record<string, unknown>).id as JsonRpcId | undefined) : undefined;
    return this.refuse(
      res,
      400,
      typeof id === 'string' || typeof id === 'number' ? id : null,
      SERVER_ERROR,
      'Bad Request: Mcp-Session-Id header is required (a 2025-11-25 client opens a session with initialize; a 2026-07-28 request names its revision in params._meta)',
    );
  }

  private async openLegacy(req: IncomingMessage, res: ServerResponse, url: URL, parsedBody: unknown): Promise<void> {
    if (this.sessionCount() + this.opening >= MAX_SESSIONS) {
      this.emit({ event: 'http.session_refused', reason: 'too_many_sessions', limit: MAX_SESSIONS });
      const id = (parsedBody as Record<string, unknown>).id;
      return this.refuse(
        res,
        503,
        typeof id === 'string' || typeof id === 'number' ? id : null,
        SERVER_ERROR,
        `Service unavailable: this proxy serves at most ${MAX_SESSIONS} sessions at once; end one (DELETE) and try again`,
        { limit: MAX_SESSIONS },
      );
    }
    let live: Live | undefined;
    const endpoint = new LegacySession(
      this.options.maxMessageBytes,
      (session, sessionId) => {
        // The SDK accepted the initialize and named the session: its server starts now,
        // and the initialize waits in the endpoint until the relay reads.
        live = this.run(session, sessionTag(sessionId), LEGACY_VERSION);
        if (live !== undefined) this.sessions.set(sessionId, live);
      },
      () => {
        const sessionId = endpoint.sessionId;
        if (sessionId !== undefined) this.sessions.delete(sessionId);
        if (live !== undefined) live.reason ??= 'deleted';
      },
    );
    this.opening++;
    try {
      await this.pass(endpoint, req, res, url, parsedBody);
    } finally {
      this.opening--;
    }
    // An initialize the SDK refused before it opened a session (a wrong Accept header, say)
    // started nothing.
    if (endpoint.sessionId === undefined) void endpoint.close();
  }

  /** Starts a session's server through `open`; undefined when the listener is stopping or `open` failed. */
  private run(endpoint: LegacySession | ModernSession, tag: string, revision: SessionInfo['revision']): Live | undefined {
    if (this.stopping) {
      void endpoint.close();
      return undefined;
    }
    let server: SessionServer;
    try {
      server = this.options.open(endpoint, { tag, revision });
    } catch (err) {
      this.emit({ event: 'proxy.internal_error', http_session: tag, error: err instanceof Error ? err.message : String(err) });
      void endpoint.close();
      return undefined;
    }
    const live: Live = { endpoint, tag, revision, server, done: Promise.resolve() };
    this.live.add(live);
    this.served[revision === LEGACY_VERSION ? 'legacy' : 'modern'] = true;
    this.emit({ event: 'http.session_opened', http_session: tag, revision, sessions: this.sessionCount() });
    live.done = Promise.resolve(server.done)
      .catch(() => undefined)
      .then((end) => {
        this.live.delete(live);
        if (this.modern === live) this.modern = undefined;
        // The upstream went first: the session's client is told by its streams ending, and
        // its id is not found from now on.
        live.reason ??= 'upstream_gone';
        if (!endpoint.closed) void endpoint.close();
        this.emit({ event: 'http.session_closed', http_session: tag, reason: live.reason, ...(end ?? {}) });
      });
    return live;
  }

  /** Hands one request to a session's SDK transport and writes its answer. */
  private async pass(session: LegacySession, req: IncomingMessage, res: ServerResponse, url: URL, parsedBody: unknown): Promise<void> {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    // The body is handed over parsed, so the Request carries none.
    const request = new Request(url.toString(), { method: req.method ?? 'GET', headers, signal: abort.signal });
    const response = await session.transport.handleRequest(request, parsedBody !== undefined ? { parsedBody } : {});
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
          this.emit({ event: 'proxy.oversize', bytes: size, limit, id: null });
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
