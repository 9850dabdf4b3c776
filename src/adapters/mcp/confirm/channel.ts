// What a confirmation channel is: the contract between the relay, which decides that a
// call needs a person's answer, and the ways of asking (form elicitation in ../confirm.ts,
// the URL-mode page in url-channel.ts). A leaf, so each way of asking depends on it and
// on nothing above.

import type { JsonRpcMessage } from '../endpoint.js';
import type { JsonRpcId } from '../framing.js';

/**
 * The answer: accepted, declined, dismissed by the person (`cancel`), withdrawn because
 * the client cancelled the call itself, no decision before the deadline (`timeout`), or
 * no answer possible (the client went away, no confirmation page could be served).
 */
export type ConfirmAnswer = 'accept' | 'decline' | 'cancel' | 'withdrawn' | 'timeout' | 'unavailable';

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
  /** The capabilities the client declared (`initialize`, or the first 2026-07-28 request). */
  sawCapabilities?(capabilities: Record<string, unknown>): void;
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

