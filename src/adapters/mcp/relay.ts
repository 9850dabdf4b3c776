// The proxy's relay: messages from the client side and the upstream side, judged where
// they run something (./enforce.ts), filtered where they list something
// (./list-filter.ts), and passed on otherwise. It sees both sides only as message
// endpoints (./endpoint.ts); stdio, HTTP and processes are the endpoints' business.
//
// What is forwarded is always the message as parsed and judged, serialised again, never
// the bytes received: a duplicate key cannot mean one thing to AEX and another to the server.

import type { EffectivePermissions, PermissionLayer } from '../../rules/types.js';
import type { DescribeContext } from '../../describe/types.js';
import type { CallDecision } from '../../runtime/kernel/types.js';
import type { KernelGrant } from '../../runtime/kernel/grants.js';
import { describeForKernel, type DescribeInput } from '../../runtime/steps/describe.js';
import type { ProxyAudit } from './audit.js';
import type { CallBudget } from './budget.js';
import { elicitationChannel, type ConfirmationChannel } from './confirm.js';
import { type FramingProblem, type JsonRpcMessage, type MessageEndpoint } from './endpoint.js';
import { afterConfirm, callOf, invalidReply, type GatedCall, type Judgement, type Naming } from './enforce.js';
import { CallPipeline } from './call-pipeline.js';
import {
  classifyMessage,
  errorMessage,
  idKey,
  INTERNAL_ERROR,
  INVALID_REQUEST,
  MESSAGE_TOO_LARGE,
  PARSE_ERROR,
  resultMessage,
  type JsonRpcId,
} from './framing.js';
import { filterListResponse } from './list-filter.js';
import { isGatedMethod, isListedMethod, lookalikeOf, type ListedMethod } from './methods.js';
import { CallHistory, MetaToolError, runMetaTool, type MetaName } from './meta.js';

export interface RelayOptions {
  cwd: string;
  /** The permissions calls are judged under (name aliases applied). */
  perms: EffectivePermissions;
  policy: PermissionLayer;
  policyFile?: string;
  naming: Naming;
  autoConfirm: boolean;
  describeCtx: DescribeContext;
  audit: ProxyAudit;
  budget: CallBudget;
  /** Files no call may write besides the project's protected state (absolute paths or globs). */
  protect?: readonly string[];
  /** A person's live grants, read when a call is judged (default: none). */
  grants?: () => KernelGrant[];
  /** How the person is asked; default: elicitation/create sent to the client. */
  confirmation?: (sendToClient: (m: JsonRpcMessage) => void) => ConfirmationChannel;
  /** Text for requests left unanswered when the upstream goes away. */
  upstreamGoneText?: () => string;
  /** How long to keep answering after the upstream could not be started (default 1 s). */
  startFailureLingerMs?: number;
  /**
   * After the client's EOF, how long the upstream may take to answer the requests already
   * forwarded before its close sequence starts (default 1 s). The SDK client sends SIGTERM
   * 2 s after closing stdin, so this leaves the proxy time to pass the answers on and exit.
   */
  drainAfterEofMs?: number;
}

export interface RelayEnd {
  /** The upstream endpoint's start() failed. */
  startFailed: boolean;
  /** Why the upstream could not be started. */
  startError?: string;
  callsUsed: number;
}

export interface Relay {
  done: Promise<RelayEnd>;
  /** Requests forwarded and not answered yet (for tests of boundedness). */
  pendingCount(): number;
  history: CallHistory;
}

export function startRelay(client: MessageEndpoint, upstream: MessageEndpoint, opts: RelayOptions): Relay {
  const { audit, budget, perms } = opts;
  const history = new CallHistory();
  /** Client requests forwarded upstream and not yet answered. */
  const pending = new Map<string, JsonRpcId>();
  /** Outstanding list requests: which list, and whether a cursor was given. */
  const lists = new Map<string, { method: ListedMethod; hadCursor: boolean }>();
  let clientCanElicit = false;
  let upstreamUp = false;
  let upstreamGone = false;
  let startFailed = false;
  let startError: string | undefined;
  let clientGone = false;
  /** The client's EOF closes the upstream only once the calls it sent are decided. */
  let closeWhenJudged = false;
  // The upstream endpoint runs its own shutdown (close stdin, then signals).
  let upstreamClosing = false;
  const closeUpstreamNow = () => {
    if (upstreamClosing) return;
    upstreamClosing = true;
    void upstream.close().catch(() => {});
  };
  /** Set once the client has left and its calls are judged: the upstream closes when its answers are in. */
  let draining = false;
  // A server that is still starting (or slow) when a piped client closes its input would
  // otherwise be stopped before it answers what it was sent; the wait is bounded.
  const closeUpstream = () => {
    if (pending.size === 0) return closeUpstreamNow();
    draining = true;
    const t = setTimeout(closeUpstreamNow, opts.drainAfterEofMs ?? 1000);
    t.unref?.();
  };
  const drained = () => {
    if (draining && pending.size === 0) closeUpstreamNow();
  };
  let finished = false;
  let resolveDone!: (end: RelayEnd) => void;
  const done = new Promise<RelayEnd>((r) => (resolveDone = r));

  // Answers still go out after the client's input ended: a client that wrote its requests and
  // closed stdin (a shell pipe, a script) still reads stdout until the proxy exits.
  const toClient = (m: JsonRpcMessage | undefined) => {
    if (m === undefined) return;
    client.send(m).catch(() => {
      /* the client is gone: its close is reported through onclose */
    });
  };
  const toUpstream = (m: JsonRpcMessage): boolean => {
    if (upstreamGone || !upstreamUp) return false;
    upstream.send(m).catch(() => {
      /* the upstream is gone: its close answers what is pending */
    });
    return true;
  };
  const confirm = (opts.confirmation ?? elicitationChannel)((m) => toClient(m));
  const unavailable = () => (startFailed ? 'Upstream server could not be started.' : 'Upstream server is not running.');

  const failPending = (why: string) => {
    for (const id of pending.values()) toClient(errorMessage(id, INTERNAL_ERROR, why));
    pending.clear();
    lists.clear();
  };

  const finish = () => {
    if (finished) return;
    finished = true;
    confirm.closeAll();
    const end: RelayEnd = { startFailed, callsUsed: budget.used(), ...(startError !== undefined ? { startError } : {}) };
    // After the endpoints' writes of this turn (they write on process.nextTick): the
    // process may exit as soon as `done` resolves.
    process.nextTick(() => resolveDone(end));
  };

  /** Forwards a client request upstream, or answers it when there is no upstream. */
  const forwardRequest = (id: JsonRpcId | undefined, message: JsonRpcMessage) => {
    if (id !== undefined) pending.set(idKey(id), id);
    if (!toUpstream(message) && id !== undefined) {
      pending.delete(idKey(id));
      lists.delete(idKey(id));
      toClient(errorMessage(id, INTERNAL_ERROR, unavailable()));
    }
  };

  const describe = (input: DescribeInput) => describeForKernel(input, opts.describeCtx);

  const runMeta = async (id: JsonRpcId | undefined, meta: MetaName, args: Record<string, unknown>) => {
    if (id === undefined) {
      audit.emit({ event: 'meta.ignored', tool: meta, reason: 'notification' });
      return;
    }
    try {
      const result = await runMetaTool(meta, args, {
        cwd: opts.cwd,
        perms,
        policy: opts.policy,
        ...(opts.policyFile !== undefined ? { policyFile: opts.policyFile } : {}),
        budget,
        history,
        audit,
      });
      audit.emit({ event: 'meta.handled', tool: meta });
      toClient(resultMessage(id, { content: [{ type: 'text', text: JSON.stringify(result, null, 2) }] }));
    } catch (err) {
      const msg = err instanceof MetaToolError ? err.message : `${(err as Error)?.message ?? String(err)}`;
      audit.emit({ event: 'meta.failed', tool: meta, error: msg });
      toClient(errorMessage(id, INTERNAL_ERROR, `Meta-tool error: ${msg}`));
    }
  };

  // Gated calls are judged in batches (./call-pipeline.ts); what is relay business — the
  // upstream, the confirmation, the meta-tools — it is given here.
  const calls = new CallPipeline({
    perms,
    autoConfirm: opts.autoConfirm,
    ...(opts.protect ? { protect: opts.protect } : {}),
    ...(opts.grants ? { grants: opts.grants } : {}),
    budget,
    audit,
    history,
    describe,
    canAsk: () => !clientGone && (confirm.canAsk?.() ?? clientCanElicit),
    confirm: (call, decision) => askPerson(call, decision),
    reply: toClient,
    unavailable: () => (upstreamGone || !upstreamUp ? unavailable() : undefined),
    forward: (call) => forwardRequest(call.id, call.message),
    runMeta: async (call, decision) => {
      for (const e of decision.proceed) audit.emit(e);
      await runMeta(call.id, call.meta!, call.args);
    },
    onIdle: () => {
      if (closeWhenJudged) closeUpstream();
    },
  });

  /** The person's answer to a call the kernel wants confirmed, as a judgement. */
  const askPerson = async (call: GatedCall, decision: CallDecision): Promise<Judgement> => {
    const answer = await confirm.ask({ callId: call.id!, tool: call.tool, why: decision.message, args: call.shown });
    return afterConfirm(call, decision, answer);
  };

  const gated = (method: Parameters<typeof callOf>[0], id: JsonRpcId | undefined, params: unknown, message: JsonRpcMessage) => {
    const r = callOf(method, id, params, message, opts.naming);
    if ('invalid' in r) {
      audit.emit({ event: 'proxy.invalid_request', method, why: r.invalid });
      toClient(invalidReply(id, r.invalid));
      return;
    }
    calls.submit(r.call);
  };

  const refuseLookalike = (id: JsonRpcId | undefined, method: string, imitated: string) => {
    audit.emit({ event: 'proxy.refused_method', method, imitates: imitated });
    if (id !== undefined) toClient(errorMessage(id, INVALID_REQUEST, `AEX: method ${JSON.stringify(method)} is refused: it differs from ${imitated} only in spelling.`));
  };

  const fromClient = (raw: unknown) => {
    const c = classifyMessage(raw);
    switch (c.kind) {
      case 'batch':
        audit.emit({ event: 'proxy.invalid_request', why: 'batch' });
        toClient(errorMessage(null, INVALID_REQUEST, 'Invalid Request: batch requests are not supported'));
        return;
      case 'invalid':
        audit.emit({ event: 'proxy.invalid_request', why: c.why });
        toClient(errorMessage(c.id, INVALID_REQUEST, `Invalid Request: ${c.why}`));
        return;
      case 'response': {
        const m = c.message as JsonRpcMessage;
        if (confirm.takeAnswer(m)) return;
        toUpstream(m);
        return;
      }
      case 'notification': {
        const m = c.message as JsonRpcMessage;
        if (c.method === 'notifications/cancelled') {
          const rid = (c.params as { requestId?: unknown } | undefined)?.requestId;
          // Still asking the user: the question is withdrawn; the call was never forwarded.
          if ((typeof rid === 'string' || typeof rid === 'number') && confirm.withdraw(rid)) return;
        }
        const imitated = lookalikeOf(c.method);
        if (imitated !== undefined) return refuseLookalike(undefined, c.method, imitated);
        if (isGatedMethod(c.method)) return gated(c.method, undefined, c.params, m);
        toUpstream(m);
        return;
      }
      case 'request': {
        const m = c.message as JsonRpcMessage;
        const imitated = lookalikeOf(c.method);
        if (imitated !== undefined) return refuseLookalike(c.id, c.method, imitated);
        if (isGatedMethod(c.method)) return gated(c.method, c.id, c.params, m);
        if (c.method === 'initialize') {
          const caps = (c.params?.capabilities ?? {}) as Record<string, unknown>;
          const el = caps.elicitation as Record<string, unknown> | undefined;
          // Form mode is what a confirmation needs: declared, or implied by an empty object.
          clientCanElicit = !!el && typeof el === 'object' && (el.form !== undefined || el.url === undefined);
          // The channel picks the mode it asks in (form, or URL mode when that is all the client has).
          confirm.sawCapabilities?.(caps);
        } else if (isListedMethod(c.method)) {
          lists.set(idKey(c.id), { method: c.method, hadCursor: c.params?.cursor !== undefined && c.params?.cursor !== null });
        }
        forwardRequest(c.id, m);
        return;
      }
    }
  };

  // Upstream → client keeps its order even when a list response is filtered (async): what
  // comes after a list being filtered waits behind it; anything else goes out at once.
  let upstreamQueue: Promise<void> = Promise.resolve();
  let waitingToClient = 0;
  const inTurn = (send: () => void | Promise<void>) => {
    if (waitingToClient === 0) {
      const sent = send();
      if (sent === undefined) return;
      waitingToClient++;
      upstreamQueue = sent.catch(sendFailed).finally(() => void waitingToClient--);
      return;
    }
    waitingToClient++;
    upstreamQueue = upstreamQueue.then(send).catch(sendFailed).finally(() => void waitingToClient--);
  };
  // One message that could not be passed on must not hold up the ones behind it.
  const sendFailed = (err: unknown) => audit.emit({ event: 'proxy.internal_error', error: err instanceof Error ? err.message : String(err) });
  const fromUpstream = (raw: unknown) => {
    const c = classifyMessage(raw);
    if (c.kind === 'batch' || c.kind === 'invalid') {
      audit.emit({ event: 'upstream.non_jsonrpc', line: safeExcerpt(raw) });
      return;
    }
    const m = c.message as JsonRpcMessage;
    if (c.kind === 'request' && confirm.ownsId(c.id)) {
      // The upstream reused the id of one of AEX's own questions: the client's answer
      // would be ambiguous, so the upstream's request never reaches the client.
      audit.emit({ event: 'upstream.id_collision', method: c.method });
      toUpstream(errorMessage(c.id, INVALID_REQUEST, 'request id is in use'));
      return;
    }
    if (c.kind === 'response') {
      const key = idKey(c.id);
      pending.delete(key);
      drained();
      const list = lists.get(key);
      if (list !== undefined) {
        lists.delete(key);
        inTurn(async () => {
          try {
            const { response, event } = await filterListResponse(list.method, m, list.hadCursor, { perms, naming: opts.naming, describe });
            if (event) audit.emit(event);
            toClient(response);
          } catch (err) {
            // Fail closed: an unfilterable list is not shown.
            audit.emit({ event: 'proxy.internal_error', method: list.method, error: (err as Error).message });
            toClient(errorMessage(c.id, INTERNAL_ERROR, 'AEX could not filter this list.'));
          }
        });
        return;
      }
    }
    inTurn(() => toClient(m));
  };

  const clientProblem = (p: FramingProblem) => {
    if (p.kind === 'parse_error') {
      audit.emit({ event: 'proxy.parse_error', line: p.excerpt });
      toClient(errorMessage(null, PARSE_ERROR, 'Parse error'));
      return;
    }
    audit.emit({ event: 'proxy.oversize', bytes: p.bytes, limit: p.limit, id: p.id, ...(p.method !== undefined ? { method: p.method } : {}) });
    const text = `AEX: message of ${p.bytes} bytes is over the limit of ${p.limit} bytes; it was not forwarded.`;
    if (p.response) {
      // The client's answer to a server request: the server is told it will not come.
      if (p.id !== null && !confirm.takeAnswer({ jsonrpc: '2.0', id: p.id, error: { code: MESSAGE_TOO_LARGE, message: text } })) {
        toUpstream(errorMessage(p.id, MESSAGE_TOO_LARGE, text));
      }
      return;
    }
    // A notification (a method and no id) gets no reply; anything else does.
    if (p.id === null && p.method !== undefined) return;
    toClient(errorMessage(p.id, MESSAGE_TOO_LARGE, text));
  };

  const upstreamProblem = (p: FramingProblem) => {
    if (p.kind === 'parse_error') {
      audit.emit({ event: 'upstream.non_jsonrpc', line: p.excerpt });
      return;
    }
    audit.emit({ event: 'upstream.oversize', bytes: p.bytes, limit: p.limit, id: p.id, ...(p.method !== undefined ? { method: p.method } : {}) });
    const text = `AEX: the server sent a message of ${p.bytes} bytes, over the limit of ${p.limit} bytes; it was not passed on.`;
    if (p.id === null) return;
    if (p.response) {
      const key = idKey(p.id);
      const id = pending.get(key);
      if (id !== undefined) {
        pending.delete(key);
        lists.delete(key);
        drained();
        inTurn(() => toClient(errorMessage(id, MESSAGE_TOO_LARGE, text)));
      }
      return;
    }
    if (p.method !== undefined) toUpstream(errorMessage(p.id, MESSAGE_TOO_LARGE, text));
  };

  client.onmessage = fromClient;
  client.onproblem = clientProblem;
  client.onclose = () => {
    if (clientGone) return;
    clientGone = true;
    confirm.closeAll();
    audit.emit({ event: 'client.closed' });
    if (startFailed) return finish();
    // A call the client sent before it left is still decided and, if allowed, forwarded.
    if (calls.busy > 0) closeWhenJudged = true;
    else closeUpstream();
  };
  client.onerror = () => {
    /* reported through onclose */
  };
  upstream.onmessage = fromUpstream;
  upstream.onproblem = upstreamProblem;
  upstream.onclose = () => {
    if (upstreamGone) return;
    upstreamGone = true;
    void upstreamQueue.then(() => {
      failPending(opts.upstreamGoneText?.() ?? 'Upstream server exited before answering.');
      finish();
    });
  };
  upstream.onerror = (err) => audit.emit({ event: 'upstream.error', message: err.message });

  // Client messages are read once the upstream has started (or failed to start).
  void upstream
    .start()
    .then(
      () => {
        upstreamUp = true;
      },
      (err: unknown) => {
        startFailed = true;
        upstreamGone = true;
        startError = err instanceof Error ? err.message : String(err);
        audit.emit({ event: 'upstream.error', message: startError });
        failPending(unavailable());
        if (clientGone) return finish();
        const t = setTimeout(finish, opts.startFailureLingerMs ?? 1000);
        t.unref?.();
      },
    )
    .then(() => client.start());

  return { done, pendingCount: () => pending.size, history };
}

function safeExcerpt(raw: unknown): string {
  try {
    return (JSON.stringify(raw) ?? String(raw)).slice(0, 200);
  } catch {
    return '(unprintable)';
  }
}

