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

/** Last value wins for every channel; nodes return only what they changed. */
function lastValue<T>(initial: () => T) {
  return Annotation<T>({ reducer: (_old: T, next: T) => next, default: initial });
}

export const AexState = Annotation.Root({
  /** The caller's input values (only declared needs ever enter a scope). */
  inputs: lastValue<Record<string, JsonValue>>(() => ({})),
  /** Lexical scopes, innermost last; scopes[0] holds the needs. */
  scopes: lastValue<Scope[]>(() => []),
  /** Calls charged against the budget, kept across a pause. */
  callsUsed: lastValue<number>(() => 0),
  /** The last audit sequence number handed out; the next event gets seq + 1. */
  seq: lastValue<number>(() => 0),
  /** Open `for` loops, innermost last. */
  loops: lastValue<LoopCursor[]>(() => []),
  /** The call waiting for a confirmation (between its gate and execute nodes). */
  pending: lastValue<PreparedCall | null>(() => null),
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
