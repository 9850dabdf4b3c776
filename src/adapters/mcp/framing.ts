// MCP stdio framing for the proxy: newline-delimited JSON-RPC (the SDK's stdio
// transport format). Message validity is judged by the SDK's own JSONRPCMessageSchema;
// what this file adds is the line handling the SDK's ReadBuffer cannot give a relay:
// the offending line itself, so the proxy can answer a parse error, a batch or an
// invalid request with the JSON-RPC error of SPEC §8.3 instead of silently dropping
// it, and the original bytes, so pass-through traffic is forwarded untouched.

import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';

export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** Splits a byte stream into lines (without the `\n`, trailing `\r` removed). */
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private overflow = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: () => void = () => {},
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      const piece = chunk.subarray(start, nl);
      start = nl + 1;
      if (this.overflow) {
        this.overflow = false;
        this.parts = [];
        this.size = 0;
        continue;
      }
      const buf = this.parts.length === 0 ? piece : Buffer.concat([...this.parts, piece]);
      this.parts = [];
      this.size = 0;
      let line = buf.toString('utf8');
      if (line.endsWith('\r')) line = line.slice(0, -1);
      this.onLine(line);
    }
    if (start < chunk.length && !this.overflow) {
      const rest = chunk.subarray(start);
      this.size += rest.length;
      if (this.size > MAX_LINE_BYTES) {
        this.overflow = true;
        this.parts = [];
        this.size = 0;
        this.onOverflow();
      } else {
        // Copy: the caller may reuse its chunk buffer.
        this.parts.push(Buffer.from(rest));
      }
    }
  }

  /** Whatever is left without a final newline at EOF. */
  flush(): void {
    if (this.parts.length > 0 && !this.overflow) {
      const line = Buffer.concat(this.parts).toString('utf8').replace(/\r$/, '');
      this.parts = [];
      this.size = 0;
      if (line.trim() !== '') this.onLine(line);
    }
  }
}

export type JsonRpcId = string | number;

export type Classified =
  | { kind: 'blank' }
  | { kind: 'parse_error' }
  | { kind: 'batch' }
  | { kind: 'invalid'; id: JsonRpcId | null; why: string }
  | { kind: 'request'; id: JsonRpcId; method: string; params: Record<string, unknown> | undefined; message: JSONRPCMessage }
  | { kind: 'notification'; method: string; params: Record<string, unknown> | undefined; message: JSONRPCMessage }
  | { kind: 'response'; id: JsonRpcId; message: JSONRPCMessage };

function idOf(o: Record<string, unknown>): JsonRpcId | null {
  const id = o.id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}

/** Classifies one line of client (or upstream) traffic, validated with the SDK schema. */
export function classifyLine(line: string): Classified {
  if (line.trim() === '') return { kind: 'blank' };
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { kind: 'parse_error' };
  }
  if (Array.isArray(raw)) return { kind: 'batch' };
  if (raw === null || typeof raw !== 'object') return { kind: 'invalid', id: null, why: 'message is not a JSON object' };
  const o = raw as Record<string, unknown>;
  const parsed = JSONRPCMessageSchema.safeParse(o);
  if (!parsed.success) {
    let why = 'not a valid JSON-RPC 2.0 message';
    if (o.jsonrpc !== '2.0') why = 'jsonrpc must be "2.0"';
    else if (o.method === undefined && !('result' in o) && !('error' in o)) why = 'missing method';
    else if (o.method !== undefined && typeof o.method !== 'string') why = 'method must be a string';
    return { kind: 'invalid', id: idOf(o), why };
  }
  const message = parsed.data as JSONRPCMessage;
  const m = message as { id?: JsonRpcId; method?: string; params?: Record<string, unknown> };
  if (typeof m.method === 'string') {
    if (m.id !== undefined) return { kind: 'request', id: m.id, method: m.method, params: m.params, message };
    return { kind: 'notification', method: m.method, params: m.params, message };
  }
  return { kind: 'response', id: m.id as JsonRpcId, message };
}

export function encode(message: unknown): string {
  return serializeMessage(message as JSONRPCMessage);
}

export function errorReply(id: JsonRpcId | null, code: number, message: string): string {
  return encode({ jsonrpc: '2.0', id, error: { code, message } });
}

export function resultReply(id: JsonRpcId, result: unknown): string {
  return encode({ jsonrpc: '2.0', id, result });
}

/** Map key for a JSON-RPC id: 1 and "1" are different ids. */
export function idKey(id: JsonRpcId): string {
  return typeof id === 'number' ? `n:${id}` : `s:${id}`;
}
