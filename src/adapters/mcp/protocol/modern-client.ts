// The client side of the proxy, for a client of either era. A client that opens with
// `initialize` (2025-11-25) passes through untouched. A client whose first request
// claims 2026-07-28 in its `_meta` is translated into the session model the relay
// judges (docs/mcp.md, "Protocol revisions"):
//
//   - the relay sees one `initialize` (with the capabilities of that first request)
//     and `notifications/initialized`; `server/discover` is answered from the
//     initialize result;
//   - requests reach the relay without the per-request envelope; results get
//     `resultType: "complete"` and cache hints that forbid caching (what the proxy
//     lists depends on the policy of the moment);
//   - a request the relay (a confirmation) or the server (sampling, elicitation,
//     roots) sends towards the client while one of its calls runs becomes an
//     `input_required` result of that call; the client's retry carries the answers,
//     which the relay receives as ordinary responses, and the call's final result is
//     sent to the retry's id. The retry itself is never forwarded: the relay goes on
//     with the call it judged, so a retry with other arguments changes nothing.
//
// A retry whose `requestState` the proxy did not issue for a call in progress is
// refused: the client cannot inject answers into someone else's call.

import type { AuditEventData } from '../../../runtime/kernel/types.js';
import type { JsonRpcMessage, MessageEndpoint } from '../endpoint.js';
import { messageId } from '../endpoint.js';
import { errorMessage, idKey, INVALID_PARAMS, INVALID_REQUEST, METHOD_NOT_FOUND, type JsonRpcId } from '../framing.js';
import {
  CACHEABLE_METHODS,
  claimedVersion,
  EMBEDDABLE_REQUESTS,
  envelopeOf,
  isObj,
  LEGACY_VERSION,
  MODERN_VERSION,
  MULTI_ROUND_METHODS,
  paramsOf,
  privateId,
  sendRelated,
  withMetaKey,
  SERVER_INFO_KEY,
  UNSUPPORTED_PROTOCOL_VERSION,
  withoutEnvelope,
  type Obj,
} from './era.js';

export type ClientEra = 'unknown' | 'legacy' | 'modern';

export interface ModernClientOptions {
  /** The private `_meta` key through which the upstream wrapper names the call a server request belongs to. */
  relationKey?: string;
  audit?: (event: AuditEventData) => void;
}

interface Round {
  token: string;
  /** Our key in `inputRequests` → the id of the relay's request it stands for. */
  inputs: Map<string, JsonRpcId>;
}

interface Call {
  /** The id the relay knows the call by (the client's first id). */
  id: JsonRpcId;
  method: string;
  /** The id to answer on: the latest retry's. */
  current: JsonRpcId;
  /** The `input_required` result the client has not retried yet. */
  round?: Round;
  /** Requests towards the client waiting for the next round. */
  queued: Array<{ coreId: JsonRpcId; request: Obj }>;
  /** The final result, when it came while the client still owed a retry. */
  final?: JsonRpcMessage;
  flushScheduled?: boolean;
}

export class ModernClientEndpoint implements MessageEndpoint {
  onmessage?: (message: unknown) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onproblem?: MessageEndpoint['onproblem'];

  private eraNow: ClientEra = 'unknown';
  private readonly initId = privateId('aex-init');
  private initResult: Obj | undefined;
  private initError: unknown;
  private ready = false;
  private readonly waiting: JsonRpcMessage[] = [];
  /** Client requests the relay has not answered, by the relay's id. */
  private readonly calls = new Map<string, Call>();
  /** requestState tokens we issued → the call's key. */
  private readonly tokens = new Map<string, string>();
  private inputCounter = 0;

  constructor(
    private readonly inner: MessageEndpoint,
    private readonly opts: ModernClientOptions = {},
  ) {
    inner.onmessage = (m) => this.fromClient(m);
    inner.onclose = () => this.onclose?.();
    inner.onerror = (e) => this.onerror?.(e);
    inner.onproblem = (p) => this.onproblem?.(p);
  }

  /** The era the client was found to speak ('unknown' until its first request). */
  era(): ClientEra {
    return this.eraNow;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  // ---- client → relay ----

  private fromClient(raw: unknown): void {
    if (this.eraNow === 'legacy' || !isObj(raw)) return this.onmessage?.(raw);
    if (this.eraNow === 'unknown') {
      // Only a request decides the era; a stray notification or response passes as it is.
      if (typeof raw.method !== 'string' || messageId(raw) === undefined) return this.onmessage?.(raw);
      const claimed = claimedVersion(raw);
      if (raw.method === 'initialize' || claimed === undefined) {
        this.eraNow = 'legacy';
        return this.onmessage?.(raw);
      }
      if (claimed !== MODERN_VERSION) return this.unsupported(raw, claimed);
      this.eraNow = 'modern';
      this.openSession(raw);
    }
    if (!this.ready) {
      this.waiting.push(raw);
      return;
    }
    this.fromModernClient(raw);
  }

  /** The relay gets the handshake a 2025-era client would have made. */
  private openSession(first: JsonRpcMessage): void {
    const env = envelopeOf(first);
    this.opts.audit?.({ event: 'client.protocol', version: MODERN_VERSION });
    this.onmessage?.({
      jsonrpc: '2.0',
      id: this.initId,
      method: 'initialize',
      params: { protocolVersion: LEGACY_VERSION, capabilities: env.capabilities, clientInfo: isObj(env.clientInfo) ? env.clientInfo : { name: 'unknown', version: '0' } },
    });
  }

  private unsupported(m: JsonRpcMessage, requested: string): void {
    const id = messageId(m);
    if (id === undefined) return;
    void this.toClient(errorMessage(id, UNSUPPORTED_PROTOCOL_VERSION, `Unsupported protocol version: ${requested}`, { supported: [MODERN_VERSION, LEGACY_VERSION], requested }));
  }

  private fromModernClient(m: JsonRpcMessage): void {
    if (typeof m.method !== 'string') return this.onmessage?.(m);
    const id = messageId(m);
    if (id === undefined) {
      if (m.method === 'notifications/cancelled') return this.onmessage?.(this.cancelledForRelay(m));
      return this.onmessage?.(withoutEnvelope(m));
    }
    const claimed = claimedVersion(m);
    if (claimed !== undefined && claimed !== MODERN_VERSION) return this.unsupported(m, claimed);
    if (m.method === 'initialize') {
      return void this.toClient(errorMessage(id, INVALID_REQUEST, `This session speaks protocol ${MODERN_VERSION}; initialize is not part of it.`));
    }
    if (m.method === 'server/discover') return void this.toClient(this.discoverAnswer(id));
    if (this.initError !== undefined) return void this.toClient({ jsonrpc: '2.0', id, error: this.initError });
    const params = paramsOf(m);
    if (params && (params.requestState !== undefined || params.inputResponses !== undefined)) return this.retry(id, params);
    const key = idKey(id);
    if (this.calls.has(key)) return void this.toClient(errorMessage(id, INVALID_REQUEST, 'request id is in use'));
    this.calls.set(key, { id, method: m.method, current: id, queued: [] });
    this.onmessage?.(withoutEnvelope(m));
  }

  /** A cancellation names the id the client knows: the relay knows the call by its first id. */
  private cancelledForRelay(m: JsonRpcMessage): JsonRpcMessage {
    const plain = withoutEnvelope(m);
    const rid = paramsOf(plain)?.requestId;
    if (typeof rid !== 'string' && typeof rid !== 'number') return plain;
    for (const call of this.calls.values()) {
      if (call.current === rid && call.id !== rid) return { ...plain, params: { ...paramsOf(plain), requestId: call.id } };
    }
    return plain;
  }

  private discoverAnswer(id: JsonRpcId): JsonRpcMessage {
    const init = this.initResult ?? {};
    const result: Obj = {
      supportedVersions: [MODERN_VERSION],
      capabilities: isObj(init.capabilities) ? init.capabilities : {},
      resultType: 'complete',
      ttlMs: 0,
      cacheScope: 'private',
    };
    if (typeof init.instructions === 'string') result.instructions = init.instructions;
    if (isObj(init.serverInfo)) result._meta = { [SERVER_INFO_KEY]: init.serverInfo };
    return { jsonrpc: '2.0', id, result };
  }

  /** The client answers an `input_required` result: the answers go to the relay's requests. */
  private retry(id: JsonRpcId, params: Obj): void {
    const token = params.requestState;
    const callKey = typeof token === 'string' ? this.tokens.get(token) : undefined;
    const call = callKey !== undefined ? this.calls.get(callKey) : undefined;
    if (call === undefined || call.round === undefined || call.round.token !== token) {
      this.opts.audit?.({ event: 'client.retry_refused', reason: 'unknown requestState' });
      return void this.toClient(errorMessage(id, INVALID_PARAMS, 'AEX: this requestState was not issued for a call in progress.'));
    }
    const round = call.round;
    call.round = undefined;
    this.tokens.delete(round.token);
    call.current = id;
    const responses = isObj(params.inputResponses) ? params.inputResponses : {};
    for (const [key, coreId] of round.inputs) {
      const answer = responses[key];
      // No answer is no consent: the relay reads an error as a decline.
      this.onmessage?.(isObj(answer) ? { jsonrpc: '2.0', id: coreId, result: answer } : errorMessage(coreId, INVALID_PARAMS, 'the client gave no answer to this input request'));
    }
    if (call.final !== undefined) {
      const final = call.final;
      call.final = undefined;
      this.calls.delete(callKey!);
      return void this.toClient({ ...final, id: call.current });
    }
    this.scheduleFlush(call);
  }

  // ---- relay → client ----

  async send(message: JsonRpcMessage, options?: { relatedRequestId?: JsonRpcId }): Promise<void> {
    // The relation stamp is the proxy's own; no client of either era sees it.
    if (this.eraNow !== 'modern') return sendRelated(this.inner, this.withoutRelation(message), options?.relatedRequestId);
    const isResponse = message.method === undefined && ('result' in message || 'error' in message);
    if (isResponse) return this.responseToClient(message);
    const id = messageId(message);
    const related = this.relationOf(message, options?.relatedRequestId);
    const plain = this.withoutRelation(message);
    if (id === undefined || typeof plain.method !== 'string') return this.toClient(plain);
    return this.requestToClient(id, plain, related);
  }

  private responseToClient(m: JsonRpcMessage): Promise<void> {
    const id = messageId(m);
    if (id !== undefined && id === this.initId) {
      this.sessionOpened(m);
      return Promise.resolve();
    }
    const call = id !== undefined ? this.calls.get(idKey(id)) : undefined;
    if (call === undefined) return this.toClient(m);
    const out: JsonRpcMessage = isObj(m.result) ? { ...m, result: completeResult(call.method, m.result) } : { ...m };
    if (call.round !== undefined) {
      // The client still owes the retry of an input_required result: it gets this then.
      call.final = out;
      return Promise.resolve();
    }
    this.calls.delete(idKey(call.id));
    return this.toClient({ ...out, id: call.current });
  }

  private sessionOpened(m: JsonRpcMessage): void {
    if (isObj(m.result)) this.initResult = m.result;
    else this.initError = isObj(m.error) ? m.error : { code: INVALID_REQUEST, message: 'the server refused the session' };
    this.ready = true;
    if (this.initResult) this.onmessage?.({ jsonrpc: '2.0', method: 'notifications/initialized' });
    for (const w of this.waiting.splice(0)) this.fromModernClient(w);
  }

  private requestToClient(coreId: JsonRpcId, m: JsonRpcMessage, related: JsonRpcId | undefined): Promise<void> {
    if (m.method === 'ping') {
      this.onmessage?.({ jsonrpc: '2.0', id: coreId, result: {} });
      return Promise.resolve();
    }
    const call = related !== undefined ? this.calls.get(idKey(related)) : this.latestMultiRoundCall();
    if (!EMBEDDABLE_REQUESTS.has(m.method as string) || call === undefined || !MULTI_ROUND_METHODS.has(call.method)) {
      // 2026-07-28 has no channel for a server request outside a call that can take input.
      this.opts.audit?.({ event: 'client.request_undeliverable', method: m.method });
      this.onmessage?.(errorMessage(coreId, METHOD_NOT_FOUND, `the client speaks ${MODERN_VERSION} and takes ${String(m.method)} only during a call`));
      return Promise.resolve();
    }
    const request: Obj = { method: m.method };
    if (m.params !== undefined) request.params = m.params;
    call.queued.push({ coreId, request });
    this.scheduleFlush(call);
    return Promise.resolve();
  }

  /** Requests that come together travel in one input_required result. */
  private scheduleFlush(call: Call): void {
    if (call.flushScheduled || call.queued.length === 0) return;
    call.flushScheduled = true;
    setImmediate(() => {
      call.flushScheduled = false;
      this.flush(call);
    });
  }

  private flush(call: Call): void {
    if (call.round !== undefined || call.queued.length === 0 || !this.calls.has(idKey(call.id))) return;
    const round: Round = { token: privateId('aex-state'), inputs: new Map() };
    const inputRequests: Obj = {};
    for (const q of call.queued.splice(0)) {
      const key = `aex-input-${++this.inputCounter}`;
      round.inputs.set(key, q.coreId);
      inputRequests[key] = q.request;
    }
    call.round = round;
    this.tokens.set(round.token, idKey(call.id));
    void this.toClient({ jsonrpc: '2.0', id: call.current, result: { resultType: 'input_required', inputRequests, requestState: round.token } });
  }

  private latestMultiRoundCall(): Call | undefined {
    let found: Call | undefined;
    for (const c of this.calls.values()) if (MULTI_ROUND_METHODS.has(c.method)) found = c;
    return found;
  }

  private relationOf(m: JsonRpcMessage, given: JsonRpcId | undefined): JsonRpcId | undefined {
    if (given !== undefined) return given;
    const key = this.opts.relationKey;
    const meta = paramsOf(m)?._meta;
    const v = key !== undefined && isObj(meta) ? meta[key] : undefined;
    return typeof v === 'string' || typeof v === 'number' ? v : undefined;
  }

  private withoutRelation(m: JsonRpcMessage): JsonRpcMessage {
    const key = this.opts.relationKey;
    const params = paramsOf(m);
    if (key === undefined || !params || !isObj(params._meta) || !(key in params._meta)) return m;
    return { ...m, params: withMetaKey(params, key, undefined) };
  }

  private toClient(m: JsonRpcMessage): Promise<void> {
    return this.inner.send(m).catch((e: unknown) => this.onerror?.(e instanceof Error ? e : new Error(String(e))));
  }
}

/**
 * A result as a 2026-07-28 client expects it. Whatever came through the relay is final
 * (an `input_required` of a 2026 server was resolved by the upstream wrapper), and the
 * proxy's lists depend on the policy, so nothing may be cached.
 */
function completeResult(method: string, result: Obj): Obj {
  const out: Obj = { ...result, resultType: 'complete' };
  if (CACHEABLE_METHODS.has(method)) {
    out.ttlMs = 0;
    out.cacheScope = 'private';
  }
  return out;
}
