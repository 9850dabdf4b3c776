import type { Step } from './types.js';

// The one walk over a contract's steps. Everything that reads IR steps — the review,
// the IR v0 printer, the LangGraph recursion limit, the check for `make` steps — goes
// through this file, so the knowledge that `if` keeps its children in `then` and `for`
// in `body` lives in one place. It is beside the IR types and imports nothing else, so
// the runtime and the backends use it without importing the compiler.
//
// Two shapes of walk:
//   visitSteps  top-down, for walkers that collect, search or keep a scope: callbacks per
//               op, entered in document order, each step before its children;
//   mapSteps    bottom-up, for walkers that turn each step into something else: a
//               block step's callback receives what its children became.
// Walkers that need yet another shape (the interpreter runs a block; the LangGraph
// topology walks each block from its last step back) use childSteps and say why.

export type StepOp = Step['op'];
export type StepOf<K extends StepOp> = Extract<Step, { op: K }>;

/** Returned by a visitor callback to end the whole walk at once. */
export const BREAK: unique symbol = Symbol('visitSteps.BREAK');

/**
 * What a callback returns: `false` from an enter callback skips the step's children and
 * its leave callbacks; BREAK ends the walk; anything else (usually nothing) goes on.
 */
export type VisitResult = void | boolean | typeof BREAK;

export type StepCallback<S> = (step: S, depth: number) => VisitResult;
export interface EnterLeave<S> {
  enter?: StepCallback<S>;
  leave?: StepCallback<S>;
}

/**
 * Callbacks for visitSteps. For each step of a block, in document order:
 *   1. `enter(step, depth)`, for every step;
 *   2. the step's own callback (`call`, `if`, …, or its `enter`);
 *   3. the steps of its nested block (`if` → `then`, `for` → `body`), at depth + 1;
 *   4. its own `leave`;
 *   5. `leave(step, depth)`.
 * Top-level steps have depth 0.
 */
export type StepVisitor = EnterLeave<Step> & { [K in StepOp]?: StepCallback<StepOf<K>> | EnterLeave<StepOf<K>> };

/** The block nested in a step: an `if`'s `then`, a `for`'s `body`; undefined for the others. */
export function childSteps(step: Step): Step[] | undefined {
  if (step.op === 'if') return step.then;
  if (step.op === 'for') return step.body;
  return undefined;
}

/** Walks `steps` and every nested block in the order StepVisitor documents. */
export function visitSteps(steps: readonly Step[], visitor: StepVisitor): void {
  walkBlock(steps, visitor, 0);
}

function walkBlock(steps: readonly Step[], visitor: StepVisitor, depth: number): typeof BREAK | undefined {
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const own = visitor[step.op] as StepCallback<Step> | EnterLeave<Step> | undefined;
    let r = visitor.enter?.(step, depth);
    if (r === BREAK) return BREAK;
    if (r === false) continue;
    r = typeof own === 'function' ? own(step, depth) : own?.enter?.(step, depth);
    if (r === BREAK) return BREAK;
    if (r === false) continue;
    const children = childSteps(step);
    if (children && walkBlock(children, visitor, depth + 1) === BREAK) return BREAK;
    if (typeof own === 'object' && own.leave?.(step, depth) === BREAK) return BREAK;
    if (visitor.leave?.(step, depth) === BREAK) return BREAK;
  }
  return undefined;
}

/** The first step, in visitSteps order, for which `test` holds. */
export function findStep<S extends Step>(steps: readonly Step[], test: (step: Step) => step is S): S | undefined;
export function findStep(steps: readonly Step[], test: (step: Step) => boolean): Step | undefined;
export function findStep(steps: readonly Step[], test: (step: Step) => boolean): Step | undefined {
  let found: Step | undefined;
  visitSteps(steps, {
    enter(step) {
      if (!test(step)) return undefined;
      found = step;
      return BREAK;
    },
  });
  return found;
}

/**
 * Callbacks for mapSteps, one per op (all of them, so a new op is a type error here):
 * each returns what its step becomes, or undefined to leave it out. `children` is what
 * the nested block became, in order (empty for steps without one).
 */
export type StepMapper<T> = { [K in StepOp]: (step: StepOf<K>, children: T[]) => T | undefined };

/** Turns each step of `steps` into a T, children before the step that holds them. */
export function mapSteps<T>(steps: readonly Step[], mapper: StepMapper<T>): T[] {
  const out: T[] = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const nested = childSteps(step);
    const children = nested ? mapSteps(nested, mapper) : [];
    const mapped = (mapper[step.op] as (s: Step, c: T[]) => T | undefined)(step, children);
    if (mapped !== undefined) out.push(mapped);
  }
  return out;
}
