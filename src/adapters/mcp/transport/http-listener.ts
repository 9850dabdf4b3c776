// `aex proxy --listen 127.0.0.1:PORT -- CMD …`: the client side of the proxy as a
// Streamable HTTP endpoint, so clients that speak only HTTP can use a stdio server
// behind AEX. The SDK's server transport does the HTTP part (sessions, SSE streams,
// response routing); this file binds it to node:http on loopback, checks the Host
// header (DNS rebinding), and bounds request bodies with the proxy's message limit.
// One client session per proxy run, as with stdio: the end of the session (DELETE, or
// the listener closing) is the client's end of input.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import type { FramingProblem, JsonRpcMessage, MessageEndpoint } from '../endpoint.js';
import { allowedHostHeaders, type ListenAddress } from './listen-address.js';

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
  private hosts = new Set<string>();
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
  }

  port(): number {
    const a = this.server.address();
    return typeof a === 'object' && a !== null ? a.port : this.options.address.port;
  }

  url(): string {
    const h = this.options.address.host.includes(':') ? `[${this.options.address.host}]` : this.options.address.host;
    return `http://${h}:${this.port()}${this.mcpPath}`;
  }

  async send(message: JsonRpcMessage, options?: { relatedRequestId?: string | number }): Promise<void> {
    await this.transport.send(message as never, options?.relatedRequestId !== undefined ? { relatedRequestId: options.relatedRequestId } : undefined);
  }

  async close(): Promise<void> {
    if (this.closed) return;
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
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message: text } }));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== this.mcpPath) return this.plain(res, 404, `Not found: the MCP endpoint is ${this.mcpPath}`);
    // A page in a browser can make the browser post to 127.0.0.1 under another name
    // (DNS rebinding): only our own loopback names are accepted.
    if (!this.hosts.has(String(req.headers.host ?? ''))) return this.plain(res, 403, 'Forbidden: unexpected Host header');
    let body: Buffer | undefined;
    if (req.method === 'POST') {
      body = await this.readBody(req, res);
      if (body === undefined) return;
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    // The body is handed over parsed (below), so the Request carries none.
    const request = new Request(url.toString(), { method: req.method ?? 'GET', headers, signal: abort.signal });
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
    const response = await this.transport.handleRequest(request, parsedBody !== undefined ? { parsedBody } : {});
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
