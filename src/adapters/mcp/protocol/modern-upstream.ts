// The upstream side of the proxy, for a server of either era. When the relay sends its
// `initialize`, the server is first asked `server/discover` (2026-07-28). A server that
// offers 2026-07-28 is then spoken to in that revision, translated from the session
// model the relay judges (docs/mcp.md, "Protocol revisions"):
//
//   - the relay's `initialize` is answered from the discover result, and
//     `notifications/initialized` is not sent on;
//   - every request gets the 2026 envelope (version, client identity and capabilities);
//   - an `input_required` result becomes the requests it embeds, sent towards the
//     client through the relay like any server request (so they are relayed, audited
//     and answered as in 2025-11-25); with every answer in, the call is retried on the
//     server with `inputResponses` and the server's `requestState`, and the final result
//     is the answer to the relay's request.
//
// Any other answer to the probe — an error, no answer within the probe time — means a
// 2025-era server: the relay's `initialize` goes to it and everything passes unchanged.

import type { AuditEventData } from '../../../runtime/kernel/types.js';
import type { JsonRpcMessage, MessageEndpoint } from '../endpoint.js';
import { messageId } from '../endpoint.js';
import { errorMessage, idKey, INTERNAL_ERROR, type JsonRpcId } from '../framing.js';
import {
  CLIENT_CAPABILITIES_KEY,
  CLIENT_INFO_KEY,
  EMBEDDABLE_REQUESTS,
  isObj,
  LEGACY_VERSION,
  MODERN_VERSION,
  MULTI_ROUND_METHODS,
  paramsOf,
  privateId,
  PROTOCOL_VERSION_KEY,
  SERVER_INFO_KEY,
  withEnvelope,
  withMetaKey,
  type Obj,
} from './era.js';

export type UpstreamEra = 'unknown' | 'probing' | 'legacy' | 'modern';

export interface NegotiatingUpstreamOptions {
  /** How long a server may take to answer `server/discover` before it is taken for a 2025-era one. */
  probeTimeoutMs?: number;
  /** The private `_meta` key naming the call a translated request belongs to (read by the client wrapper). */
  relationKey?: string;
  /** Rounds of `input_required` one call may take before it fails (a server that never finishes). */
  maxRounds?: number;
  audit?: (event: AuditEventData) => void;
}

export const DEFAULT_PROBE_TIMEOUT_MS = 3000;
const DEFAULT_MAX_ROUNDS = 16;

interface UpstreamCall {
  /** The id the relay knows the call by. */
  id: JsonRpcId;
  method: string;
  params: Obj;
  /** The id of the latest leg sent to the server. */
  current: JsonRpcId;
  rounds: number;
  requestState?: string;
  answers: Obj;
  /** The relay's outstanding answers: our request id → key in inputRequests. */
  waiting: Map<string, string>;
}

export class NegotiatingUpstream implements MessageEndpoint {
  onmessage?: (message: unknown) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onproblem?: MessageEndpoint['onproblem'];

  private eraNow: UpstreamEra = 'unknown';
  private readonly probeId = privateId('aex-discover');
  private probeTimer: NodeJS.Timeout | undefined;
  private init: JsonRpcMessage | undefined;
  private readonly held: JsonRpcMessage[] = [];
  private envelope: Obj = {};
  /** Calls in progress on a 2026 server, by the id of their current leg. */
  private readonly legs = new Map<string, UpstreamCall>();
  /** Requests we sent towards the client on behalf of a call, by their id. */
  private readonly embedded = new Map<string, UpstreamCall>();

  constructor(
    private readonly inner: MessageEndpoint,
    private readonly opts: NegotiatingUpstreamOptions = {},
  ) {
    inner.onmessage = (m) => this.fromServer(m);
    inner.onclose = () => {
      this.clearProbe();
      this.onclose?.();
    };
    inner.onerror = (e) => this.onerror?.(e);
    inner.onproblem = (p) => this.onproblem?.(p);
  }

  era(): UpstreamEra {
    return this.eraNow;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  close(): Promise<void> {
    // A client that hung up while the server was being asked its revision still gets the
    // answers to what it sent: the held messages go out the 2025 way before the input closes.
    if (this.eraNow === 'probing') this.legacy();
    this.clearProbe();
    return this.inner.close();
  }

  // ---- relay → server ----

  async send(message: JsonRpcMessage): Promise<void> {
    switch (this.eraNow) {
      case 'legacy':
        return this.inner.send(message);
      case 'probing':
        this.held.push(message);
        return;
      case 'modern':
        return this.toModern(message);
      case 'unknown':
        if (message.method === 'initialize' && messageId(message) !== undefined) return this.probe(message);
        // A relay that does not open with initialize speaks to the server as it is.
        this.eraNow = 'legacy';
        return this.inner.send(message);
    }
  }

  private async probe(init: JsonRpcMessage): Promise<void> {
    this.eraNow = 'probing';
    this.init = init;
    const p = paramsOf(init) ?? {};
    this.envelope = {
      [PROTOCOL_VERSION_KEY]: MODERN_VERSION,
      ...(isObj(p.clientInfo) ? { [CLIENT_INFO_KEY]: p.clientInfo } : {}),
      [CLIENT_CAPABILITIES_KEY]: isObj(p.capabilities) ? p.capabilities : {},
    };
    this.probeTimer = setTimeout(() => this.legacy(), this.opts.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS);
    this.probeTimer.unref?.();
    await this.inner.send({ jsonrpc: '2.0', id: this.probeId, method: 'server/discover', params: { _meta: this.envelope } });
  }

  private clearProbe(): void {
    if (this.probeTimer !== undefined) clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
  }

  private legacy(): void {
    if (this.eraNow !== 'probing') return;
    this.clearProbe();
    this.eraNow = 'legacy';
    this.opts.audit?.({ event: 'upstream.protocol', version: 'initialize' });
    const out = [this.init!, ...this.held.splice(0)];
    for (const m of out) this.inner.send(m).catch(() => {});
  }

  private modern(discover: Obj): void {
    this.clearProbe();
    this.eraNow = 'modern';
    this.opts.audit?.({ event: 'upstream.protocol', version: MODERN_VERSION });
    const init = this.init!;
    const requested = paramsOf(init)?.protocolVersion;
    const meta = isObj(discover._meta) ? discover._meta : {};
    const result: Obj = {
      // The relay's client asked for a 2025-era revision; the translation keeps it there.
      protocolVersion: typeof requested === 'string' && requested < MODERN_VERSION ? requested : LEGACY_VERSION,
      capabilities: isObj(discover.capabilities) ? discover.capabilities : {},
      serverInfo: isObj(meta[SERVER_INFO_KEY]) ? meta[SERVER_INFO_KEY] : { name: 'upstream', version: '0' },
    };
    if (typeof discover.instructions === 'string') result.instructions = discover.instructions;
    this.onmessage?.({ jsonrpc: '2.0', id: messageId(init)!, result });
    for (const m of this.held.splice(0)) void this.toModern(m);
  }

  private async toModern(m: JsonRpcMessage): Promise<void> {
    const id = messageId(m);
    if (typeof m.method !== 'string') {
      // The client's answer to a request the translation made for a call.
      if (id !== undefined && this.embedded.has(idKey(id))) return this.answered(id, m);
      return this.inner.send(m);
    }
    if (id === undefined) {
      if (m.method === 'notifications/initialized') return;
      if (m.method === 'notifications/cancelled') return this.inner.send(this.cancelledForServer(m));
      return this.inner.send(m);
    }
    if (MULTI_ROUND_METHODS.has(m.method)) {
      this.legs.set(idKey(id), { id, method: m.method, params: paramsOf(m) ?? {}, current: id, rounds: 0, answers: {}, waiting: new Map() });
    }
    return this.inner.send(withEnvelope(m, this.envelope));
  }

  private cancelledForServer(m: JsonRpcMessage): JsonRpcMessage {
    const rid = paramsOf(m)?.requestId;
    for (const call of this.legs.values()) {
      if (call.id === rid && call.current !== rid) return { ...m, params: { ...paramsOf(m), requestId: call.current } };
    }
    return m;
  }

  // ---- server → relay ----

  private fromServer(raw: unknown): void {
    if (isObj(raw) && raw.id === this.probeId) {
      // The answer to AEX's own probe is never the client's, even when it comes late.
      if (this.eraNow !== 'probing') return;
      const r = raw.result;
      if (isObj(r) && Array.isArray(r.supportedVersions) && r.supportedVersions.includes(MODERN_VERSION)) return this.modern(r);
      return this.legacy();
    }
    if (this.eraNow !== 'modern' || !isObj(raw)) return this.onmessage?.(raw);
    const id = messageId(raw);
    const call = id !== undefined && raw.method === undefined ? this.legs.get(idKey(id)) : undefined;
    if (call === undefined) return this.onmessage?.(raw);
    const result = raw.result;
    if (isObj(result) && result.resultType === 'input_required') return this.inputRequired(call, result);
    this.legs.delete(idKey(call.current));
    const out: JsonRpcMessage = { ...raw, id: call.id };
    if (isObj(result)) {
      const plain = { ...result };
      delete plain.resultType;
      out.result = plain;
    }
    this.onmessage?.(out);
  }

  private inputRequired(call: UpstreamCall, result: Obj): void {
    call.rounds += 1;
    if (call.rounds > (this.opts.maxRounds ?? DEFAULT_MAX_ROUNDS)) {
      this.legs.delete(idKey(call.current));
      this.onmessage?.(errorMessage(call.id, INTERNAL_ERROR, `the server still asked for input after ${call.rounds - 1} rounds`));
      return;
    }
    call.answers = {};
    if (typeof result.requestState === 'string') call.requestState = result.requestState;
    else delete call.requestState;
    const requests = isObj(result.inputRequests) ? result.inputRequests : {};
    for (const [key, req] of Object.entries(requests)) {
      if (!isObj(req) || typeof req.method !== 'string' || !EMBEDDABLE_REQUESTS.has(req.method)) continue;
      const rid = privateId('aex-input');
      call.waiting.set(idKey(rid), key);
      this.embedded.set(idKey(rid), call);
      const params = this.opts.relationKey !== undefined ? withMetaKey(req.params, this.opts.relationKey, call.id) : isObj(req.params) ? req.params : {};
      this.onmessage?.({ jsonrpc: '2.0', id: rid, method: req.method, params });
    }
    if (call.waiting.size === 0) this.retry(call);
  }

  private answered(id: JsonRpcId, m: JsonRpcMessage): void {
    const call = this.embedded.get(idKey(id))!;
    this.embedded.delete(idKey(id));
    const key = call.waiting.get(idKey(id));
    call.waiting.delete(idKey(id));
    // An error from the client leaves the answer out; the server decides what that means.
    if (key !== undefined && isObj(m.result)) call.answers[key] = m.result;
    if (call.waiting.size === 0) this.retry(call);
  }

  private retry(call: UpstreamCall): void {
    this.legs.delete(idKey(call.current));
    call.current = privateId('aex-retry');
    this.legs.set(idKey(call.current), call);
    const params: Obj = { ...call.params, inputResponses: call.answers };
    if (call.requestState !== undefined) params.requestState = call.requestState;
    this.inner.send(withEnvelope({ jsonrpc: '2.0', id: call.current, method: call.method, params }, this.envelope)).catch(() => {});
  }
}
