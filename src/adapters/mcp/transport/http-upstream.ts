// `aex proxy --url https://…`: the upstream is a remote MCP server reached over
// Streamable HTTP through the SDK's client transport. Headers given with --header /
// --header-env / --bearer-env (authorization) go on every request and nowhere else:
// they are never written to the audit or to stderr.

import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { JsonRpcMessage } from '../endpoint.js';
import { SdkEndpoint, type SdkTransport } from './sdk-endpoint.js';
import { claimedVersion } from '../protocol/era.js';

export interface HttpUpstreamOptions {
  url: string;
  headers: Record<string, string>;
  /** A fetch to use instead of the global one (tests). */
  fetch?: typeof fetch;
}

/** Only http(s) URLs; anything else is refused before a connection is tried. */
export function upstreamUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new Error(`--url needs an absolute http:// or https:// URL, got ${JSON.stringify(raw)}`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`--url needs an http:// or https:// URL, got ${u.protocol}`);
  return u;
}

export class HttpUpstream extends SdkEndpoint {
  private readonly initializeIds = new Set<unknown>();
  private stopped = false;
  readonly url: URL;

  constructor(options: HttpUpstreamOptions) {
    const url = upstreamUrl(options.url);
    const transport = new StreamableHTTPClientTransport(url, {
      requestInit: { headers: { ...options.headers } },
      ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
    });
    super(transport as unknown as SdkTransport);
    this.url = url;
    // A 2025-era session: once the server has answered initialize, every later request
    // carries the negotiated MCP-Protocol-Version header (the SDK's Client would set it).
    this.observe = (message, direction) => {
      if (direction === 'out' && message.method === 'initialize' && message.id !== undefined) this.initializeIds.add(message.id);
      // A 2026-07-28 request names its revision in _meta; the header must agree with it.
      const claimed = direction === 'out' ? claimedVersion(message) : undefined;
      if (claimed !== undefined) (transport as unknown as { setProtocolVersion(v: string): void }).setProtocolVersion(claimed);
      if (direction === 'in' && message.id !== undefined && this.initializeIds.delete(message.id)) {
        const v = (message.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
        if (typeof v === 'string') (transport as unknown as { setProtocolVersion(v: string): void }).setProtocolVersion(v);
      }
    };
  }

  override async send(message: JsonRpcMessage, options?: { relatedRequestId?: string | number }): Promise<void> {
    try {
      await super.send(message, options);
    } catch (err) {
      // Report without the request (its headers may hold a secret); the relay answers the caller.
      this.onerror?.(new Error(`upstream ${this.url.origin} refused the message: ${(err as Error).message.slice(0, 200)}`));
      throw err;
    }
  }

  /** The session ends: tell the server (DELETE) and stop. */
  override async close(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const t = this.transport as unknown as { terminateSession?: () => Promise<void> };
    await t.terminateSession?.().catch(() => undefined);
    await super.close();
  }

  /** A remote server has no exit code: 0 after a normal end. */
  exitCode(): number {
    return 0;
  }
}

/** `--header K:V` (repeatable) and `--header-env K=VAR` / `--bearer-env VAR` from the environment. */
export function upstreamHeaders(
  literal: readonly string[],
  fromEnv: readonly string[],
  bearerEnv: string | undefined,
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const put = (name: string, value: string, flag: string) => {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new Error(`${flag}: ${JSON.stringify(name)} is not a header name`);
    if (/[\r\n\0]/.test(value)) throw new Error(`${flag} ${name}: the value holds a line break`);
    headers[name] = value;
  };
  for (const h of literal) {
    const at = h.indexOf(':');
    if (at <= 0) throw new Error(`--header needs NAME:VALUE, got a value without ":"`);
    put(h.slice(0, at).trim(), h.slice(at + 1).trim(), '--header');
  }
  for (const h of fromEnv) {
    const at = h.indexOf('=');
    if (at <= 0) throw new Error(`--header-env needs NAME=ENVIRONMENT_VARIABLE, got ${JSON.stringify(h)}`);
    const variable = h.slice(at + 1);
    const value = env[variable];
    if (value === undefined) throw new Error(`--header-env ${h.slice(0, at)}: the environment variable ${variable} is not set`);
    put(h.slice(0, at).trim(), value, '--header-env');
  }
  if (bearerEnv !== undefined) {
    const value = env[bearerEnv];
    if (value === undefined) throw new Error(`--bearer-env: the environment variable ${bearerEnv} is not set`);
    put('Authorization', `Bearer ${value}`, '--bearer-env');
  }
  return headers;
}
