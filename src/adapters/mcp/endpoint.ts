// One side of the proxy (the client, or the upstream server) as the relay sees it: a
// source and sink of JSON-RPC messages, shaped like the MCP SDK's `Transport`
// (start/send/close, onmessage/onclose/onerror) so an SDK transport can be wrapped as
// one. The relay and its enforcement know nothing of stdio, HTTP or processes.

import type { JsonRpcId, OversizeInfo } from './framing.js';

/** A JSON-RPC message as parsed: the relay judges and forwards exactly this object. */
export type JsonRpcMessage = Record<string, unknown>;

/** Troubles below the message level that the relay must answer rather than drop. */
export type FramingProblem =
  | { kind: 'parse_error'; excerpt: string }
  | ({ kind: 'oversize'; limit: number } & OversizeInfo);

export interface MessageEndpoint {
  /** Starts reading; messages arrive through `onmessage` from then on. */
  start(): Promise<void>;
  /** Sends one message; rejects (or reports through `onerror`) when the other side is gone. */
  send(message: JsonRpcMessage): Promise<void>;
  /** Closes this side (for a client: no more output; for an upstream: the start of its shutdown). */
  close(): Promise<void>;
  /**
   * Every parsed message, valid or not: an object, an array (a batch), any JSON value.
   * An SDK transport passes only valid messages, which is a subset.
   */
  onmessage?: (message: unknown) => void;
  /** The other side has gone (end of input, or the connection is closed). */
  onclose?: () => void;
  onerror?: (error: Error) => void;
  /** Framing troubles (stdio): an unparsable line, a message over the size limit. */
  onproblem?: (problem: FramingProblem) => void;
}

/** The id of a message, if it has a usable one. */
export function messageId(message: JsonRpcMessage): JsonRpcId | undefined {
  const id = message.id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : undefined;
}
