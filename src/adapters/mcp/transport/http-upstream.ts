// `aex proxy --url https://…`: the upstream is a remote MCP server reached over
// Streamable HTTP through the SDK's client transport. Headers given with --header /
// --header-env / --bearer-env (authorization) go on every request and nowhere else:
// they are never written to the audit or to stderr.
//
// In 2026-07-28 a tool may declare arguments that travel as headers too
// (`x-mcp-header` in its inputSchema, sent as `Mcp-Param-{Name}`), and the server refuses
// a call whose headers and arguments disagree. The proxy's client cannot send them (it is
// on stdio, or its headers end at the proxy), so this endpoint sends them from the
// declarations it saw in the server's tool listings; a call of a tool it has not seen
// listed first gets one listing of the server's own.

import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { JsonRpcMessage } from '../endpoint.js';
import { SdkEndpoint, type SdkTransport } from './sdk-endpoint.js';
import { CLIENT_CAPABILITIES_KEY, CLIENT_INFO_KEY, claimedVersion, isObj, paramsOf, privateId, PROTOCOL_VERSION_KEY, type Obj } from '../protocol/era.js';
import { idKey } from '../framing.js';

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

/** An argument a tool mirrors into an `Mcp-Param-{Name}` header: where it is in the arguments, and the header's name. */
export interface ParamHeader {
  path: string[];
  name: string;
}

const HEADER_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// `number` is not among the revision's header types, but a server that declares one still
// checks the header, so it is sent.
const HEADER_TYPES = new Set(['string', 'integer', 'number', 'boolean']);

/**
 * The `x-mcp-header` declarations of a tool's inputSchema: on primitive properties reached
 * through `properties` alone, with a header token for a name, each name once (any case).
 * A schema breaking any of these rules gets no headers (the server refuses its calls anyway).
 */
export function paramHeadersOf(inputSchema: unknown): ParamHeader[] {
  const out: ParamHeader[] = [];
  const names = new Set<string>();
  let valid = true;
  const visit = (node: unknown, path: string[], depth: number): void => {
    if (!isObj(node) || depth > 32) return;
    if ('x-mcp-header' in node) {
      const name = node['x-mcp-header'];
      if (path.length === 0 || typeof name !== 'string' || !HEADER_TOKEN.test(name) || names.has(name.toLowerCase()) || !HEADER_TYPES.has(String(node.type))) valid = false;
      else {
        names.add(name.toLowerCase());
        out.push({ path, name });
      }
    }
    if (isObj(node.properties)) for (const [k, child] of Object.entries(node.properties)) visit(child, [...path, k], depth + 1);
  };
  visit(inputSchema, [], 0);
  return valid ? out : [];
}

/** A header value as the 2026-07-28 binding writes it: plain ASCII as is, anything else as `=?base64?…?=`. */
export function paramHeaderValue(value: unknown): string | undefined {
  let s: string;
  if (typeof value === 'string') s = value;
  else if (typeof value === 'boolean') s = value ? 'true' : 'false';
  else if (typeof value === 'number' && Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value))) s = String(value);
  else return undefined;
  const plain = s.length > 0 && s === s.trim() && /^[\t\x20-\x7e]*$/.test(s) && !(s.startsWith('=?base64?') && s.endsWith('?='));
  return plain ? s : `=?base64?${Buffer.from(s, 'utf8').toString('base64')}?=`;
}

/** The `Mcp-Param-*` headers of one call's arguments. */
export function paramHeaders(declared: readonly ParamHeader[], args: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of declared) {
    let v: unknown = args;
    for (const k of d.path) v = isObj(v) ? v[k] : undefined;
    const text = paramHeaderValue(v);
    if (text !== undefined) out[`Mcp-Param-${d.name}`] = text;
  }
  return out;
}

/** How long the server's own listing may take before a call goes without its Mcp-Param headers. */
const LISTING_TIMEOUT_MS = 5000;
const LISTING_MAX_PAGES = 20;

export class HttpUpstream extends SdkEndpoint {
  private readonly initializeIds = new Set<unknown>();
  /** Ids of the relay's tools/list requests, whose results name the tools' header arguments. */
  private readonly listingIds = new Set<string>();
  /** Tool name → the arguments it mirrors into headers (2026-07-28). */
  private readonly declared = new Map<string, ParamHeader[]>();
  /** Answers to this endpoint's own requests, by id. */
  private readonly own = new Map<string, (m: JsonRpcMessage | undefined) => void>();
  /** Our own listing of every tool, once: for a call of a tool no listing has shown. */
  private fullListing: Promise<void> | undefined;
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
    // Answers to this endpoint's own requests stop here; the relay never sees them.
    const forward = transport.onmessage as ((m: JsonRpcMessage, extra?: unknown) => void) | undefined;
    transport.onmessage = ((m: JsonRpcMessage, extra?: unknown) => {
      const mine = (typeof m.id === 'string' || typeof m.id === 'number') && m.method === undefined ? this.own.get(idKey(m.id)) : undefined;
      if (mine !== undefined) return mine(m);
      forward?.(m, extra);
    }) as never;
    // A 2025-era session: once the server has answered initialize, every later request
    // carries the negotiated MCP-Protocol-Version header (the SDK's Client would set it).
    // The results of the relay's tools/list name the arguments each tool sends as headers.
    this.observe = (message, direction) => {
      if (direction === 'out' && message.method === 'initialize' && message.id !== undefined) this.initializeIds.add(message.id);
      if (direction === 'out' && message.method === 'tools/list' && (typeof message.id === 'string' || typeof message.id === 'number')) this.listingIds.add(idKey(message.id));
      if (direction === 'in' && (typeof message.id === 'string' || typeof message.id === 'number') && message.method === undefined && this.listingIds.delete(idKey(message.id))) this.learn(message.result);
      // A 2026-07-28 request names its revision in _meta; the header must agree with it.
      const claimed = direction === 'out' ? claimedVersion(message) : undefined;
      if (claimed !== undefined) (transport as unknown as { setProtocolVersion(v: string): void }).setProtocolVersion(claimed);
      if (direction === 'in' && message.id !== undefined && this.initializeIds.delete(message.id)) {
        const v = (message.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
        if (typeof v === 'string') (transport as unknown as { setProtocolVersion(v: string): void }).setProtocolVersion(v);
      }
    };
  }

  /** Keeps the header arguments of the tools a listing names. */
  private learn(result: unknown): void {
    if (!isObj(result) || !Array.isArray(result.tools)) return;
    for (const tool of result.tools) if (isObj(tool) && typeof tool.name === 'string') this.declared.set(tool.name, paramHeadersOf(tool.inputSchema));
  }

  /** A 2026-07-28 tools/call gets the Mcp-Param headers its tool declares. */
  private async headersFor(message: JsonRpcMessage): Promise<Record<string, string> | undefined> {
    if (message.method !== 'tools/call' || message.id === undefined || claimedVersion(message) === undefined) return undefined;
    const params = paramsOf(message) ?? {};
    if (typeof params.name !== 'string') return undefined;
    if (!this.declared.has(params.name)) await (this.fullListing ??= this.listAll(message));
    const declared = this.declared.get(params.name) ?? [];
    return declared.length === 0 ? undefined : paramHeaders(declared, params.arguments);
  }

  /** Lists the server's tools with the envelope of `like` (every page, up to a bound). */
  private async listAll(like: JsonRpcMessage): Promise<void> {
    const meta = paramsOf(like)?._meta;
    const envelope: Obj = {};
    if (isObj(meta)) for (const k of [PROTOCOL_VERSION_KEY, CLIENT_INFO_KEY, CLIENT_CAPABILITIES_KEY]) if (meta[k] !== undefined) envelope[k] = meta[k];
    let cursor: string | undefined;
    for (let page = 0; page < LISTING_MAX_PAGES; page++) {
      const id = privateId('aex-tools');
      const answer = new Promise<JsonRpcMessage | undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), LISTING_TIMEOUT_MS);
        timer.unref?.();
        this.own.set(idKey(id), (m) => {
          clearTimeout(timer);
          resolve(m);
        });
      });
      const params: Obj = { _meta: envelope, ...(cursor !== undefined ? { cursor } : {}) };
      const sent = await this.transport.send({ jsonrpc: '2.0', id, method: 'tools/list', params } as never).then(
        () => true,
        () => false,
      );
      const m = sent ? await answer : undefined;
      this.own.delete(idKey(id));
      if (m === undefined || !isObj(m.result)) return;
      this.learn(m.result);
      cursor = typeof m.result.nextCursor === 'string' && m.result.nextCursor !== '' ? m.result.nextCursor : undefined;
      if (cursor === undefined) return;
    }
  }

  override async send(message: JsonRpcMessage, options?: { relatedRequestId?: string | number }): Promise<void> {
    try {
      const headers = await this.headersFor(message);
      await super.send(message, headers === undefined ? options : ({ ...options, headers } as typeof options));
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
    for (const answer of this.own.values()) answer(undefined);
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
