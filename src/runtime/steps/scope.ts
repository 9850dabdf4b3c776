// Lexical scopes (docs/design.md#runtime-semantics). scopes[0] holds the needs; every `if` body and every
// `for` iteration pushes a frame that is popped when the body ends. Binds go to the
// innermost frame.

import type { JsonValue, RunState, Scope } from './types.js';

export function pushScope(state: RunState, frame: Scope = {}): void {
  state.scopes.push(frame);
}

export function popScope(state: RunState): void {
  if (state.scopes.length <= 1) throw new Error('internal: cannot pop the task scope');
  state.scopes.pop();
}

export function bindName(state: RunState, name: string, value: JsonValue): void {
  state.scopes[state.scopes.length - 1]![name] = value;
}

/** A deep copy of a run state (plain JSON), for callers that need immutability. */
export function cloneState(state: RunState): RunState {
  return structuredClone(state);
}
