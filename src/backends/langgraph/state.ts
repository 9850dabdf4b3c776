// The LangGraph state of one AEX run. Everything is plain JSON so any checkpointer
// (MemorySaver, SQLite) can save it, and a run resumed in another process continues with
// the same scopes, the same budget used and the same audit sequence number.

import { Annotation } from '@langchain/langgraph';
import type { JsonValue } from '../../ir/types.js';
import type { BlockReason, PreparedCall, RunResult, Scope } from '../../runtime/steps/types.js';

/** One open `for` loop: its items and the index of the iteration being run. */
export interface LoopCursor {
  node: string;
  items: JsonValue[];
  index: number;
}

/** Why control left the normal sequence: a `return` or a block. */
export type Halt = { kind: 'return'; value: JsonValue } | { kind: 'blocked'; reason: BlockReason };

/**
 * A value kept as JSON text. LangGraph's checkpoint reader rebuilds every object by
 * assignment, which turns an own `__proto__` key into a prototype (the key vanishes) and
 * revives objects shaped like LangChain records into classes. While a call waits for its
 * confirmation — the only point where a run is saved and continued in another process —
 * the channels holding program data are stored boxed, so the call resumed is exactly the
 * call that was asked about.
 */
export interface Boxed {
  aexJson: string;
}

export function box(value: unknown): Boxed {
  return { aexJson: JSON.stringify(value) };
}

export function isBoxed(value: unknown): value is Boxed {
  return value !== null && typeof value === 'object' && typeof (value as Boxed).aexJson === 'string' && Object.keys(value).length === 1;
}

/** JSON.parse keeps `__proto__` as an own key; the boxed value comes back as it went in. */
export function unbox<T>(value: T | Boxed): T {
  return isBoxed(value) ? (JSON.parse(value.aexJson) as T) : value;
}

/** Last value wins for every channel; nodes return only what they changed. */
function lastValue<T>(initial: () => T) {
  return Annotation<T>({ reducer: (_old: T, next: T) => next, default: initial });
}

export const AexState = Annotation.Root({
  /** The caller's input values (only declared needs ever enter a scope). */
  inputs: lastValue<Record<string, JsonValue>>(() => ({})),
  /** Lexical scopes, innermost last; scopes[0] holds the needs. */
  scopes: lastValue<Scope[] | Boxed>(() => []),
  /** Calls charged against the budget, kept across a pause. */
  callsUsed: lastValue<number>(() => 0),
  /** The last audit sequence number handed out; the next event gets seq + 1. */
  seq: lastValue<number>(() => 0),
  /** Open `for` loops, innermost last. */
  loops: lastValue<LoopCursor[] | Boxed>(() => []),
  /** The call waiting for a confirmation (between its gate and execute nodes). */
  pending: lastValue<PreparedCall | Boxed | null>(() => null),
  /** The node to run next, written by every node and read by the conditional edges. */
  route: lastValue<string>(() => ''),
  /** Set by the step that ends the run; routes to run_finish. */
  halt: lastValue<Halt | null>(() => null),
  /** The RunResult, once run_finish (or a rejection) has produced it. */
  result: lastValue<RunResult | null>(() => null),
  /** Hash of the contract and permissions the thread was started with. */
  irHash: lastValue<string>(() => ''),
});

export type AexStateType = typeof AexState.State;
export type AexUpdate = typeof AexState.Update;
