// Confirmation for a client that can show only URL-mode elicitation. The question is a
// page on 127.0.0.1 (./page-server.ts); the client is sent `elicitation/create` with
// `mode: "url"` and the page's address, and asks its user whether to open it.
//
// The client's `accept` means only that its user agreed to open the page; it approves
// nothing. The call goes ahead only when the person presses Approve on that page for
// that question. A decline or cancel from the client, Decline on the page, the client
// withdrawing the call, or no decision before the deadline all refuse it.
//
// In 2025-11-25 the request carries an `elicitationId`, and once the page is done the
// client is told so with `notifications/elicitation/complete`. Protocol 2026-07-28
// removed both (the client learns the outcome from the result of its retried call, which
// the proxy holds until the person has decided), so a 2026 client gets neither.

import { randomBytes } from 'node:crypto';
import type { JsonRpcMessage } from '../endpoint.js';
import { idKey, type JsonRpcId } from '../framing.js';
import type { ConfirmAnswer, ConfirmationChannel, ConfirmationQuestion } from './channel.js';
import { sharedConfirmationPages, type ConfirmationPages, type OpenConfirmation } from './page-server.js';

/** Sends a message to the client, naming the client request it belongs to. */
export type SendToClient = (m: JsonRpcMessage, relatedTo?: JsonRpcId) => void;

export interface UrlConfirmOptions {
  /** Where the pages are served (default: one server for the whole process). */
  pages?: ConfirmationPages;
  /** How long a question waits for the person (default 5 minutes); then the call is refused. */
  timeoutMs?: number;
  /** True when the client speaks 2026-07-28 (no elicitationId, no completion notification). */
  modern?: () => boolean;
  /** The clock for the deadline shown on the page (tests). */
  now?: () => number;
}

export const DEFAULT_URL_CONFIRM_TIMEOUT_MS = 5 * 60 * 1000;

/** Answers to questions already settled that the client may still send; beyond this many the oldest are forgotten. */
const LATE_ANSWERS_KEPT = 1024;

interface UrlQuestion {
  requestId: string;
  elicitationId: string;
  callId: JsonRpcId;
  page?: OpenConfirmation;
  /** The elicitation request went out. */
  sent: boolean;
  /** The client answered the elicitation request (accept: its user agreed to open the page). */
  clientAnswered: boolean;
  settled: boolean;
  timer?: NodeJS.Timeout;
  resolve: (a: ConfirmAnswer) => void;
}

function minutesText(ms: number): string {
  if (ms < 60_000) return `${Math.max(1, Math.round(ms / 1000))} seconds`;
  const m = Math.round(ms / 60_000);
  return m === 1 ? '1 minute' : `${m} minutes`;
}

export function urlElicitationChannel(send: SendToClient, opts: UrlConfirmOptions = {}): ConfirmationChannel {
  const pages = opts.pages ?? sharedConfirmationPages();
  const timeoutMs = opts.timeoutMs ?? DEFAULT_URL_CONFIRM_TIMEOUT_MS;
  const now = opts.now ?? Date.now;
  const modern = () => opts.modern?.() === true;
  /** Open questions by the call they confirm. */
  const byCall = new Map<string, UrlQuestion>();
  /** Our elicitation requests whose answer the client still owes (open or settled). */
  const byRequest = new Map<string, UrlQuestion>();

  const forgetRequest = (q: UrlQuestion) => {
    byRequest.delete(q.requestId);
  };

  const keepForLateAnswer = (q: UrlQuestion) => {
    // The client's answer may still come: it is ours and must not reach the server.
    if (byRequest.size > LATE_ANSWERS_KEPT) {
      for (const [id, other] of byRequest) {
        if (other.settled) {
          byRequest.delete(id);
          break;
        }
      }
    }
    byRequest.set(q.requestId, q);
  };

  const settle = (q: UrlQuestion, answer: ConfirmAnswer, tellClient: boolean) => {
    if (q.settled) return;
    q.settled = true;
    if (q.timer !== undefined) clearTimeout(q.timer);
    q.page?.revoke();
    byCall.delete(idKey(q.callId));
    if (q.sent && !q.clientAnswered) keepForLateAnswer(q);
    else forgetRequest(q);
    if (tellClient && q.sent && !modern()) {
      const pageDone = answer === 'accept' || answer === 'decline';
      if (pageDone || q.clientAnswered) {
        // The out-of-band interaction is over (decided, lapsed or withdrawn).
        send({ jsonrpc: '2.0', method: 'notifications/elicitation/complete', params: { elicitationId: q.elicitationId } }, q.callId);
      } else {
        // The client is still asking its user whether to open the page: that question is void.
        send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: q.requestId, reason: answer === 'timeout' ? 'no decision in time' : 'the call is no longer waiting' } }, q.callId);
      }
    }
    q.resolve(answer);
  };

  const ask = (question: ConfirmationQuestion) =>
    new Promise<ConfirmAnswer>((resolve) => {
      const q: UrlQuestion = {
        requestId: `aex-confirm-${randomBytes(16).toString('hex')}`,
        elicitationId: `aex-elicit-${randomBytes(16).toString('hex')}`,
        callId: question.callId,
        sent: false,
        clientAnswered: false,
        settled: false,
        resolve,
      };
      byCall.set(idKey(question.callId), q);
      pages.openConfirmation({ tool: question.tool, why: question.why, args: question.args, expiresAt: now() + timeoutMs }).then(
        (page) => {
          if (q.settled) return page.revoke();
          q.page = page;
          const params: Record<string, unknown> = {
            mode: 'url',
            message: `AEX: ${question.why}. Open the page to see the whole call and approve or decline it there; without a decision within ${minutesText(timeoutMs)} it is refused.`,
            url: page.url,
          };
          if (!modern()) params.elicitationId = q.elicitationId;
          q.sent = true;
          byRequest.set(q.requestId, q);
          q.timer = setTimeout(() => settle(q, 'timeout', true), timeoutMs);
          q.timer.unref?.();
          send({ jsonrpc: '2.0', id: q.requestId, method: 'elicitation/create', params }, q.callId);
          void page.decided.then((d) => settle(q, d === 'approve' ? 'accept' : 'decline', true));
        },
        // No page, no way to ask: the call is refused.
        () => settle(q, 'unavailable', false),
      );
    });

  return {
    canAsk: () => true,
    ask,
    withdraw(callId) {
      const q = byCall.get(idKey(callId));
      if (q === undefined) return false;
      settle(q, 'withdrawn', true);
      return true;
    },
    takeAnswer(message) {
      const id = message.id;
      const q = typeof id === 'string' ? byRequest.get(id) : undefined;
      if (q === undefined) return false;
      q.clientAnswered = true;
      forgetRequest(q);
      if (q.settled) return true;
      const result = message.result as { action?: unknown } | undefined;
      const action = result !== null && typeof result === 'object' ? result.action : undefined;
      // accept: the user agreed to open the page; the decision is made there.
      if (action === 'accept') return true;
      // An error reply is no consent either.
      settle(q, action === 'cancel' ? 'cancel' : 'decline', false);
      return true;
    },
    ownsId: (id) => typeof id === 'string' && byRequest.has(id),
    closeAll() {
      for (const q of [...byCall.values()]) settle(q, 'unavailable', false);
      byRequest.clear();
    },
  };
}
