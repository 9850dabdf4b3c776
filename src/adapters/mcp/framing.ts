// MCP stdio framing: newline-delimited JSON-RPC (the SDK's stdio transport format).
// What this file adds to the SDK's ReadBuffer is what a relay needs: every line is
// reported, including the ones that cannot be used (unparsable, or over the size limit),
// so the proxy can answer them with a JSON-RPC error instead of dropping them; and for
// a line over the limit, the id and method it carried, found by a streaming scan that
// keeps nothing of the line itself, so the error reaches the request that is waiting.

import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** Default size limit of one message (both directions). */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export type JsonRpcId = string | number;

/** What a scan of an over-size line found at its top level. */
export interface OversizeInfo {
  bytes: number;
  id: JsonRpcId | null;
  method?: string;
  /** True when the message had a top-level result or error (a response). */
  response: boolean;
}

/**
 * Finds the top-level `id`, `method` and whether a `result`/`error` key is present in
 * a JSON object fed in pieces, without keeping the object. Strings inside nested values
 * are skipped; only short top-level keys and the `id`/`method` values are collected.
 */
export class TopLevelScanner {
  private depth = 0;
  private inString = false;
  private escape = false;
  private capture: number[] | null = null;
  private expectKey = false;
  private key: string | undefined;
  private numberText = '';
  private found: { id?: JsonRpcId | null; method?: string; response: boolean } = { response: false };
  bytes = 0;

  feed(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (b === 0x5c) this.escape = true;
        else if (b === 0x22) {
          this.inString = false;
          this.endString();
          continue;
        }
        if (this.capture && this.capture.length < 512) this.capture.push(b);
        continue;
      }
      if (b === 0x22) {
        this.inString = true;
        this.capture = this.depth === 1 ? [] : null;
        continue;
      }
      if (b === 0x7b || b === 0x5b) {
        this.depth++;
        if (this.depth === 1) this.expectKey = b === 0x7b;
        continue;
      }
      if (b === 0x7d || b === 0x5d) {
        if (this.depth === 1) this.endNumber();
        this.depth--;
        continue;
      }
      if (this.depth !== 1) continue;
      if (b === 0x2c) {
        this.endNumber();
        this.expectKey = true;
        this.key = undefined;
      } else if (b === 0x3a) {
        this.expectKey = false;
      } else if (this.key === 'id' && ((b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x2e || b === 0x65 || b === 0x45 || b === 0x2b)) {
        this.numberText += String.fromCharCode(b);
      } else if (this.key === 'id' && b === 0x6e) {
        this.found.id = null; // `null`
      }
    }
  }

  private endString(): void {
    const raw = this.capture;
    this.capture = null;
    if (raw === null) return;
    let text: string;
    try {
      text = JSON.parse('"' + Buffer.from(raw).toString('utf8') + '"') as string;
    } catch {
      return;
    }
    if (this.expectKey) {
      this.key = text;
      if (text === 'result' || text === 'error') this.found.response = true;
    } else if (this.key === 'id') this.found.id = text;
    else if (this.key === 'method') this.found.method = text;
  }

  private endNumber(): void {
    if (this.numberText === '') return;
    const n = Number(this.numberText);
    if (Number.isFinite(n)) this.found.id = n;
    this.numberText = '';
  }

  result(): OversizeInfo {
    this.endNumber();
    const out: OversizeInfo = { bytes: this.bytes, id: this.found.id ?? null, response: this.found.response };
    if (this.found.method !== undefined) out.method = this.found.method;
    return out;
  }
}

/** Splits a byte stream into lines (without the `\n`, trailing `\r` removed). */
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private oversize: TopLevelScanner | null = null;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOversize: (info: OversizeInfo) => void = () => {},
    private readonly maxBytes: number = DEFAULT_MAX_MESSAGE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      const piece = chunk.subarray(start, nl);
      start = nl + 1;
      if (this.oversize) {
        this.oversize.feed(piece);
        const info = this.oversize.result();
        this.oversize = null;
        this.onOversize(info);
        continue;
      }
      if (this.size + piece.length > this.maxBytes) {
        this.startOversize().feed(piece);
        const info = this.oversize!.result();
        this.oversize = null;
        this.onOversize(info);
        continue;
      }
      const buf = this.parts.length === 0 ? piece : Buffer.concat([...this.parts, piece]);
      this.parts = [];
      this.size = 0;
      let line = buf.toString('utf8');
      if (line.endsWith('\r')) line = line.slice(0, -1);
      this.onLine(line);
    }
    if (start >= chunk.length) return;
    const rest = chunk.subarray(start);
    if (this.oversize) {
      this.oversize.feed(rest);
      return;
    }
    if (this.size + rest.length > this.maxBytes) {
      this.startOversize().feed(rest);
      return;
    }
    this.size += rest.length;
    // Copy: the caller may reuse its chunk buffer.
    this.parts.push(Buffer.from(rest));
  }

  /** The buffered start of the line goes through the scanner and is let go. */
  private startOversize(): TopLevelScanner {
    const scanner = new TopLevelScanner();
    for (const p of this.parts) scanner.feed(p);
    this.parts = [];
    this.size = 0;
    this.oversize = scanner;
    return scanner;
  }

  /** Whatever is left without a final newline at EOF. */
  flush(): void {
    if (this.oversize) {
      const info = this.oversize.result();
      this.oversize = null;
      this.onOversize(info);
      return;
    }
    if (this.parts.length > 0) {
      const line = Buffer.concat(this.parts).toString('utf8').replace(/\r$/, '');
      this.parts = [];
      this.size = 0;
      if (line.trim() !== '') this.onLine(line);
    }
  }
}

export type Classified =
  | { kind: 'batch' }
  | { kind: 'invalid'; id: JsonRpcId | null; why: string }
  | { kind: 'request'; id: JsonRpcId; method: string; params: Record<string, unknown> | undefined; message: JSONRPCMessage }
  | { kind: 'notification'; method: string; params: Record<string, unknown> | undefined; message: JSONRPCMessage }
  | { kind: 'response'; id: JsonRpcId; message: JSONRPCMessage };

function isId(v: unknown): v is JsonRpcId {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Why a JSON object is not a JSON-RPC 2.0 message as MCP uses them (params and result
 * are objects, ids strings or numbers), or undefined when it is one. The same shape the
 * SDK's JSONRPCMessageSchema accepts, checked by hand: it runs on every message.
 */
function invalidReason(o: Record<string, unknown>): string | undefined {
  if (o.jsonrpc !== '2.0') return 'jsonrpc must be "2.0"';
  const hasId = Object.hasOwn(o, 'id');
  if (Object.hasOwn(o, 'method')) {
    if (typeof o.method !== 'string') return 'method must be a string';
    if (hasId && !isId(o.id)) return 'id must be a string or a number';
    if (o.params !== undefined && !isObject(o.params)) return 'params must be an object';
    return undefined;
  }
  const hasResult = Object.hasOwn(o, 'result');
  const hasError = Object.hasOwn(o, 'error');
  if (!hasResult && !hasError) return 'missing method';
  if (hasResult && hasError) return 'a response has either result or error';
  if (hasResult) {
    if (!isId(o.id)) return 'id must be a string or a number';
    if (!isObject(o.result)) return 'result must be an object';
    return undefined;
  }
  const e = o.error;
  if (!isObject(e) || typeof e.code !== 'number' || !Number.isInteger(e.code) || typeof e.message !== 'string') return 'error must have an integer code and a message';
  if (!(isId(o.id) || o.id === null || o.id === undefined)) return 'id must be a string or a number';
  return undefined;
}

/** Classifies one parsed message of client (or upstream) traffic. */
export function classifyMessage(raw: unknown): Classified {
  if (Array.isArray(raw)) return { kind: 'batch' };
  if (raw === null || typeof raw !== 'object') return { kind: 'invalid', id: null, why: 'message is not a JSON object' };
  const o = raw as Record<string, unknown>;
  const why = invalidReason(o);
  if (why !== undefined) return { kind: 'invalid', id: isId(o.id) ? o.id : null, why };
  // The message judged and forwarded is the object parsed, not a copy.
  const message = o as unknown as JSONRPCMessage;
  if (typeof o.method === 'string') {
    const params = o.params as Record<string, unknown> | undefined;
    if (Object.hasOwn(o, 'id')) return { kind: 'request', id: o.id as JsonRpcId, method: o.method, params, message };
    return { kind: 'notification', method: o.method, params, message };
  }
  if (!isId(o.id)) return { kind: 'invalid', id: null, why: 'an error response without an id' };
  return { kind: 'response', id: o.id, message };
}

/** One message as a line of the stdio framing. */
export function encode(message: unknown): string {
  return JSON.stringify(message) + '\n';
}

export function errorMessage(id: JsonRpcId | null, code: number, message: string, data?: unknown): Record<string, unknown> {
  const error: Record<string, unknown> = { code, message };
  if (data !== undefined) error.data = data;
  return { jsonrpc: '2.0', id, error };
}

export function resultMessage(id: JsonRpcId, result: unknown): Record<string, unknown> {
  return { jsonrpc: '2.0', id, result };
}

/** Map key for a JSON-RPC id: 1 and "1" are different ids. */
export function idKey(id: JsonRpcId): string {
  return typeof id === 'number' ? `n:${id}` : `s:${id}`;
}

/** JSON-RPC error codes the proxy answers with. */
export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;
/** A request AEX refused (resources/read, prompts/get, …): a server error in JSON-RPC's range. */
export const AEX_REFUSED = -32001;
/** A message over the size limit. */
export const MESSAGE_TOO_LARGE = -32003;
