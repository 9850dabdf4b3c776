// Which protocol revision one HTTP request to the listener belongs to, and whether its
// headers are acceptable. A 2026-07-28 request carries its revision in the body
// (`params._meta`) and mirrors method, version and name into headers
// (MCP-Protocol-Version, Mcp-Method, Mcp-Name); the server must refuse a request whose
// headers are missing or disagree with its body, so that nothing routing on the headers
// sees another call than the one AEX judges. The era decision and the version/method
// cross-checks are the SDK's own (`classifyInboundRequest`); the presence and Mcp-Name
// checks, which the SDK keeps internal, are done here.

import type { IncomingHttpHeaders } from 'node:http';
import { classifyInboundRequest } from '@modelcontextprotocol/server';
import type { JsonRpcId } from '../framing.js';

/** The JSON-RPC error code for headers that are missing or disagree with the body. */
export const HEADER_MISMATCH = -32020;

export type HttpRoute =
  /** 2025-era traffic: the SDK's sessionful transport serves it. */
  | { route: 'legacy'; initialize: boolean; notification: boolean; response: boolean; batch: boolean }
  /** A 2026-era request or notification; `revision` is the version its envelope claims. */
  | { route: 'modern'; message: Record<string, unknown>; kind: 'request' | 'notification'; revision: string | undefined }
  | { route: 'reject'; status: number; id: JsonRpcId | null; code: number; message: string; data?: unknown };

/** Methods whose body value the Mcp-Name header must mirror, and the params field it comes from. */
const NAME_SOURCE: Record<string, string> = { 'tools/call': 'name', 'prompts/get': 'name', 'resources/read': 'uri' };

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  const one = Array.isArray(v) ? v.join(', ') : v;
  return one === undefined ? undefined : one.trim();
}

function idOf(body: unknown): JsonRpcId | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const id = (body as Record<string, unknown>).id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}

/** A header value as the client meant it: `=?base64?…?=` decoded; undefined when the encoding is broken. */
export function decodeHeaderValue(value: string): string | undefined {
  const m = /^=\?base64\?(.*)\?=$/s.exec(value);
  if (!m) return value;
  const b64 = m[1]!;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) return undefined;
  const text = Buffer.from(b64, 'base64').toString('utf8');
  // A decoding that does not round-trip was not valid UTF-8.
  return Buffer.from(text, 'utf8').toString('base64') === b64 ? text : undefined;
}

function mismatch(id: JsonRpcId | null, why: string): HttpRoute {
  return { route: 'reject', status: 400, id, code: HEADER_MISMATCH, message: `Header mismatch: ${why}` };
}

/** The presence and Mcp-Name half of the header checks for a 2026-era request. */
function checkModernHeaders(headers: IncomingHttpHeaders, message: Record<string, unknown>, id: JsonRpcId | null): HttpRoute | undefined {
  const method = String(message.method);
  if (header(headers, 'mcp-protocol-version') === undefined) return mismatch(id, 'the required MCP-Protocol-Version header is missing');
  if (header(headers, 'mcp-method') === undefined) return mismatch(id, 'the required Mcp-Method header is missing');
  const field = Object.hasOwn(NAME_SOURCE, method) ? NAME_SOURCE[method]! : undefined;
  if (field === undefined) return undefined;
  const params = typeof message.params === 'object' && message.params !== null ? (message.params as Record<string, unknown>) : {};
  const bodyValue = params[field];
  const raw = header(headers, 'mcp-name');
  if (raw === undefined) return typeof bodyValue === 'string' ? mismatch(id, `params.${field} is given but the Mcp-Name header is missing`) : undefined;
  const decoded = decodeHeaderValue(raw);
  if (decoded === undefined) return mismatch(id, 'the Mcp-Name header has a broken base64 encoding');
  if (decoded !== bodyValue) return mismatch(id, `the Mcp-Name header does not match params.${field}`);
  return undefined;
}

/** Classifies one request (its HTTP method, headers and parsed body; no body for GET and DELETE). */
export function classifyHttpRequest(httpMethod: string, headers: IncomingHttpHeaders, body: unknown): HttpRoute {
  const protocolVersionHeader = header(headers, 'mcp-protocol-version');
  const mcpMethodHeader = header(headers, 'mcp-method');
  const mcpNameHeader = header(headers, 'mcp-name');
  const outcome = classifyInboundRequest({
    httpMethod,
    ...(protocolVersionHeader !== undefined ? { protocolVersionHeader } : {}),
    ...(mcpMethodHeader !== undefined ? { mcpMethodHeader } : {}),
    ...(mcpNameHeader !== undefined ? { mcpNameHeader } : {}),
    ...(body !== undefined ? { body } : {}),
  });
  const id = idOf(body);
  if (outcome.kind === 'reject') {
    return { route: 'reject', status: outcome.httpStatus, id, code: outcome.code, message: outcome.message, ...(outcome.data !== undefined ? { data: outcome.data } : {}) };
  }
  if (outcome.kind === 'legacy') {
    return {
      route: 'legacy',
      initialize: outcome.reason === 'initialize',
      notification: outcome.reason === 'notification',
      response: outcome.reason === 'response',
      batch: outcome.reason === 'batch',
    };
  }
  const message = outcome.message as unknown as Record<string, unknown>;
  if (outcome.messageKind === 'request') {
    const bad = checkModernHeaders(headers, message, id);
    if (bad !== undefined) return bad;
  }
  return { route: 'modern', message, kind: outcome.messageKind, revision: outcome.classification.revision };
}

