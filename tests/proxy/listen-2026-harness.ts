// `aex proxy --listen` in this process in front of a real stdio server: the listener, its
// sessions, the protocol wrappers and the relays as transport/run.ts puts them together,
// with a handle on the listener. A test stops the proxy with stop(): a 2025 session's
// DELETE ends that session only, and a 2026-07-28 client has no session to end. The
// proxy's JSON events on stderr are kept for the test to read.

import { PassThrough } from 'node:stream';
import type { ProxySetup } from '../../src/adapters/mcp/proxy.js';
import type { HttpListener } from '../../src/adapters/mcp/transport/http-listener.js';
import { runProxyTransports } from '../../src/adapters/mcp/transport/run.js';
import { request } from 'node:http';

export interface ListeningProxy {
  url: string;
  listener: HttpListener;
  /** The proxy's exit code once the listener is stopped. */
  exit: Promise<number>;
  events(): Record<string, unknown>[];
  /** The proxy's stderr so far. */
  stderr(): string;
  /** Stops the listener and waits for the proxy to stop every server. */
  stop(): Promise<number>;
}

export async function listeningProxy(setup: ProxySetup, maxMessageBytes = 1 << 20): Promise<ListeningProxy> {
  const err = new PassThrough();
  let stderr = '';
  err.on('data', (c) => (stderr += c));
  let ready!: (v: { url: string; listener: HttpListener }) => void;
  const listening = new Promise<{ url: string; listener: HttpListener }>((r) => (ready = r));
  const exit = runProxyTransports(
    { ...setup, maxMessageBytes, grace: { termAfterMs: 100, killAfterMs: 200 } },
    { listen: { host: '127.0.0.1', port: 0 } },
    { stdin: new PassThrough(), stdout: new PassThrough(), stderr: err },
    (url, _stop, listener) => ready({ url, listener }),
  );
  const { url, listener } = await Promise.race([listening, exit.then((code) => Promise.reject(new Error(`the proxy ended (${code}) before it listened`)))]);
  return {
    url,
    listener,
    exit,
    events: () =>
      stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    stderr: () => stderr,
    async stop() {
      await listener.close();
      return exit;
    },
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): Record<string, unknown>;
}

/** One POST (or other method) to the listener with exactly these headers. */
export function raw(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: init.method ?? 'POST', headers: { host: u.host, ...init.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) as Record<string, unknown> }));
    });
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

export const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

/** A 2026-07-28 request as a conforming client posts it: envelope in `_meta`, headers mirrored. */
export function modernPost(url: string, id: number | string, method: string, params: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Answer> {
  const name = typeof params.name === 'string' ? params.name : typeof params.uri === 'string' ? params.uri : undefined;
  return raw(url, {
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      ...(name !== undefined && ['tools/call', 'resources/read', 'prompts/get'].includes(method) ? { 'mcp-name': name } : {}),
      ...headers,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: { ...ENVELOPE, ...(params._meta as object | undefined) } } }),
  });
}
