// The two MCP protocol eras the proxy speaks, and the pieces of the 2026-07-28 wire
// format both protocol wrappers need. The 2025-11-25 era opens a session with
// `initialize` and lets the server send requests to the client at any time. The
// 2026-07-28 era has no handshake: every request carries the protocol version, the
// client's identity and its capabilities in `params._meta`; `server/discover` tells
// what the server offers; a server that needs input during a call answers the call
// with an `input_required` result and the client retries the call with the answers.

import { randomBytes } from 'node:crypto';
import type { JsonRpcMessage, MessageEndpoint } from '../endpoint.js';
import type { JsonRpcId } from '../framing.js';

export const MODERN_VERSION = '2026-07-28';
/** The 2025-era revision the relay's session model follows. */
export const LEGACY_VERSION = '2025-11-25';

export const PROTOCOL_VERSION_KEY = 'io.modelcontextprotocol/protocolVersion';
export const CLIENT_INFO_KEY = 'io.modelcontextprotocol/clientInfo';
export const CLIENT_CAPABILITIES_KEY = 'io.modelcontextprotocol/clientCapabilities';
export const SERVER_INFO_KEY = 'io.modelcontextprotocol/serverInfo';
export const LOG_LEVEL_KEY = 'io.modelcontextprotocol/logLevel';
const ENVELOPE_KEYS = [PROTOCOL_VERSION_KEY, CLIENT_INFO_KEY, CLIENT_CAPABILITIES_KEY, LOG_LEVEL_KEY];

/** The JSON-RPC error a 2026-07-28 peer uses for a protocol version it does not serve. */
export const UNSUPPORTED_PROTOCOL_VERSION = -32022;

/** Requests whose result may be `input_required` (multi-round-trip requests). */
export const MULTI_ROUND_METHODS = new Set(['tools/call', 'prompts/get', 'resources/read']);
/** The server→client requests that travel inside an `input_required` result in 2026-07-28. */
export const EMBEDDABLE_REQUESTS = new Set(['elicitation/create', 'sampling/createMessage', 'roots/list']);
/** Results that must carry cache hints (`ttlMs`, `cacheScope`) in 2026-07-28. */
export const CACHEABLE_METHODS = new Set(['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list', 'resources/read']);

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function paramsOf(m: JsonRpcMessage): Obj | undefined {
  return isObj(m.params) ? m.params : undefined;
}

/** The protocol version a 2026-era request claims in its `_meta`, if any. */
export function claimedVersion(m: JsonRpcMessage): string | undefined {
  const meta = paramsOf(m)?._meta;
  if (!isObj(meta)) return undefined;
  const v = meta[PROTOCOL_VERSION_KEY];
  return typeof v === 'string' ? v : undefined;
}

/** The client identity and capabilities of a 2026-era request's envelope. */
export function envelopeOf(m: JsonRpcMessage): { clientInfo?: unknown; capabilities: Obj } {
  const meta = paramsOf(m)?._meta;
  const caps = isObj(meta) ? meta[CLIENT_CAPABILITIES_KEY] : undefined;
  const info = isObj(meta) ? meta[CLIENT_INFO_KEY] : undefined;
  return { ...(info !== undefined ? { clientInfo: info } : {}), capabilities: isObj(caps) ? caps : {} };
}

/** A copy of the message without the 2026 envelope keys (the relay's session model has none). */
export function withoutEnvelope(m: JsonRpcMessage): JsonRpcMessage {
  const params = paramsOf(m);
  if (!params || !isObj(params._meta)) return m;
  const meta: Obj = { ...params._meta };
  for (const k of ENVELOPE_KEYS) delete meta[k];
  const nextParams: Obj = { ...params };
  if (Object.keys(meta).length === 0) delete nextParams._meta;
  else nextParams._meta = meta;
  return { ...m, params: nextParams };
}

/** A copy of the message with the 2026 envelope added to its params. */
export function withEnvelope(m: JsonRpcMessage, envelope: Obj): JsonRpcMessage {
  const params = paramsOf(m) ?? {};
  const meta = isObj(params._meta) ? params._meta : {};
  return { ...m, params: { ...params, _meta: { ...meta, ...envelope } } };
}

/** An id no peer can guess or collide with. */
export function privateId(prefix: string): string {
  return `${prefix}-${randomBytes(16).toString('hex')}`;
}

/** Sends through an endpoint, naming the client request the message belongs to (SDK `TransportSendOptions`). */
export function sendRelated(endpoint: MessageEndpoint, m: JsonRpcMessage, relatedRequestId?: JsonRpcId): Promise<void> {
  const send = endpoint.send as (m: JsonRpcMessage, options?: { relatedRequestId?: JsonRpcId }) => Promise<void>;
  return relatedRequestId === undefined ? send.call(endpoint, m) : send.call(endpoint, m, { relatedRequestId });
}

/** A copy of the params with `_meta[key]` set or removed. */
export function withMetaKey(params: unknown, key: string, value: unknown): Obj {
  const p: Obj = isObj(params) ? { ...params } : {};
  const meta: Obj = isObj(p._meta) ? { ...p._meta } : {};
  if (value === undefined) delete meta[key];
  else meta[key] = value;
  if (Object.keys(meta).length === 0) delete p._meta;
  else p._meta = meta;
  return p;
}
