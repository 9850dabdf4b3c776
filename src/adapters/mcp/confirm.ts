// Asking the person to confirm a call (`confirm before …`) through the client. The
// proxy's own questions carry unguessable ids (128 random bits), and only the client's
// answer to one of those ids counts: an upstream cannot pre-answer or impersonate the
// question, and an upstream request that reuses an outstanding id is refused by the
// relay (ownsId) rather than relayed, so its answer can never be taken for ours.
//
// The question travels as `elicitation/create` (form mode, protocol 2025-11-25). A
// protocol without server-initiated requests plugs in its own ConfirmationChannel.

import { randomBytes } from 'node:crypto';
import { idKey, type JsonRpcId } from './framing.js';
import type { JsonRpcMessage } from './endpoint.js';

/**
 * The answer: accepted, declined, dismissed by the person (`cancel`), withdrawn because
 * the client cancelled the call itself, or no answer possible (the client went away).
 */
export type ConfirmAnswer = 'accept' | 'decline' | 'cancel' | 'withdrawn' | 'unavailable';

export interface ConfirmationQuestion {
  /** The client's request being confirmed. */
  callId: JsonRpcId;
  tool: string;
  /** The kernel's confirmation text, naming the rule and the action. */
  why: string;
  /** The arguments exactly as the client sent them. */
  args: unknown;
}

export interface ConfirmationChannel {
  /**
   * Whether the person can be asked on this connection. Absent: the relay asks when the
   * client declared form elicitation in `initialize`.
   */
  canAsk?(): boolean;
  ask(q: ConfirmationQuestion): Promise<ConfirmAnswer>;
  /** The client cancelled call `callId` while it was being confirmed. True if a question was withdrawn. */
  withdraw(callId: JsonRpcId): boolean;
  /** A message from the client: true when it answered one of our questions (and was consumed). */
  takeAnswer(message: JsonRpcMessage): boolean;
  /** True when `id` is the id of one of our outstanding questions. */
  ownsId(id: JsonRpcId): boolean;
  /** The client is gone: every open question is answered `unavailable`. */
  closeAll(): void;
}

/** The text shown to the person; arguments beyond 500 characters are cut. */
export function confirmationText(why: string, args: unknown): string {
  let shown: string;
  try {
    shown = JSON.stringify(args ?? {}) ?? '{}';
  } catch {
    shown = '{}';
  }
  if (shown.length > 500) shown = shown.slice(0, 497) + '...';
  return `AEX: ${why}. Arguments: ${shown}. Accept to allow this call, decline to refuse it.`;
}

export function newQuestionId(): string {
  return `aex-confirm-${randomBytes(16).toString('hex')}`;
}

/** Confirmation through `elicitation/create` requests sent to the client. */
export function elicitationChannel(sendToClient: (m: JsonRpcMessage) => void): ConfirmationChannel {
  const open = new Map<string, { id: string; resolve: (a: ConfirmAnswer) => void }>();
  const byCall = new Map<string, string>();
  const settle = (qid: string, answer: ConfirmAnswer) => {
    const q = open.get(qid);
    if (!q) return;
    open.delete(qid);
    for (const [call, id] of byCall) if (id === qid) byCall.delete(call);
    q.resolve(answer);
  };
  return {
    ask: (q) =>
      new Promise<ConfirmAnswer>((resolve) => {
        const id = newQuestionId();
        open.set(id, { id, resolve });
        byCall.set(idKey(q.callId), id);
        sendToClient({
          jsonrpc: '2.0',
          id,
          method: 'elicitation/create',
          params: { mode: 'form', message: confirmationText(q.why, q.args), requestedSchema: { type: 'object', properties: {} } },
        });
      }),
    withdraw(callId) {
      const qid = byCall.get(idKey(callId));
      if (qid === undefined) return false;
      sendToClient({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: qid, reason: 'tool call cancelled by the client' } });
      settle(qid, 'withdrawn');
      return true;
    },
    takeAnswer(message) {
      const id = message.id;
      if (typeof id !== 'string' || !open.has(id)) return false;
      // An error reply is no consent; only an explicit accept is.
      const result = message.result as { action?: unknown } | undefined;
      const action = result && typeof result === 'object' ? result.action : undefined;
      settle(id, action === 'accept' ? 'accept' : action === 'cancel' ? 'cancel' : 'decline');
      return true;
    },
    ownsId: (id) => typeof id === 'string' && open.has(id),
    closeAll() {
      for (const qid of [...open.keys()]) settle(qid, 'unavailable');
    },
  };
}
