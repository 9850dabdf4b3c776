import type { Stmt, StmtType } from './ast.js';

// The one walk over a parsed document's statements. Validation, lowering and the
// formatter go through this file, so the knowledge of which statements hold a nested
// block (`if` and `for`, in `body`) lives in one place. The IR has its own walk with
// the same contract (src/ir/visit.ts); the AST is the compiler's own and never leaves it.
//
// Two shapes of walk:
//   visitStatements  top-down, for walkers that collect, report or keep a scope:
//                    callbacks per statement type, each statement before its children;
//   mapStatements    bottom-up, for walkers that turn each statement into something else:
//                    a block statement's callback receives what its children became.
// Walkers that look only at the top level (the header, goal, budget rules; the
// formatter's declaration layout) read `doc.body` directly.

export type StmtOf<K extends StmtType> = Extract<Stmt, { type: K }>;

/** Returned by a visitor callback to end the whole walk at once. */
export const BREAK: unique symbol = Symbol('visitStatements.BREAK');

/**
 * What a callback returns: `false` from an enter callback skips the statement's children
 * and its leave callbacks; BREAK ends the walk; anything else (usually nothing) goes on.
 */
export type VisitResult = void | boolean | typeof BREAK;

export type StmtCallback<S> = (stmt: S, depth: number) => VisitResult;
export interface EnterLeave<S> {
  enter?: StmtCallback<S>;
  leave?: StmtCallback<S>;
}

/**
 * Callbacks for visitStatements. For each statement of a block, in source order:
 *   1. `enter(stmt, depth)`, for every statement;
 *   2. the statement's own callback (`do`, `if`, `need`, …, or its `enter`);
 *   3. the statements of its nested block (`if` and `for`: `body`), at depth + 1;
 *   4. its own `leave`;
 *   5. `leave(stmt, depth)`.
 * Top-level statements have depth 0.
 */
export type StmtVisitor = EnterLeave<Stmt> & { [K in StmtType]?: StmtCallback<StmtOf<K>> | EnterLeave<StmtOf<K>> };

/** The block nested in a statement: the `body` of an `if` or a `for`; undefined for the others. */
export function childStatements(stmt: Stmt): Stmt[] | undefined {
  return stmt.type === 'if' || stmt.type === 'for' ? stmt.body : undefined;
}

/** Walks `stmts` and every nested block in the order StmtVisitor documents. */
export function visitStatements(stmts: readonly Stmt[], visitor: StmtVisitor): void {
  walkBlock(stmts, visitor, 0);
}

function walkBlock(stmts: readonly Stmt[], visitor: StmtVisitor, depth: number): typeof BREAK | undefined {
  for (let i = 0; i < stmts.length; i++) {
    const stmt = stmts[i]!;
    const own = visitor[stmt.type] as StmtCallback<Stmt> | EnterLeave<Stmt> | undefined;
    let r = visitor.enter?.(stmt, depth);
    if (r === BREAK) return BREAK;
    if (r === false) continue;
    r = typeof own === 'function' ? own(stmt, depth) : own?.enter?.(stmt, depth);
    if (r === BREAK) return BREAK;
    if (r === false) continue;
    const children = childStatements(stmt);
    if (children && walkBlock(children, visitor, depth + 1) === BREAK) return BREAK;
    if (typeof own === 'object' && own.leave?.(stmt, depth) === BREAK) return BREAK;
    if (visitor.leave?.(stmt, depth) === BREAK) return BREAK;
  }
  return undefined;
}

/**
 * Callbacks for mapStatements, one per statement type (all of them, so a new statement
 * type is a type error here): each returns what its statement becomes, or undefined to
 * leave it out. `children` is what the nested block became, in order (empty for
 * statements without one).
 */
export type StmtMapper<T> = { [K in StmtType]: (stmt: StmtOf<K>, children: T[]) => T | undefined };

/** Turns each statement of `stmts` into a T, children before the statement that holds them. */
export function mapStatements<T>(stmts: readonly Stmt[], mapper: StmtMapper<T>): T[] {
  const out: T[] = [];
  for (let i = 0; i < stmts.length; i++) {
    const stmt = stmts[i]!;
    const nested = childStatements(stmt);
    const children = nested ? mapStatements(nested, mapper) : [];
    const mapped = (mapper[stmt.type] as (s: Stmt, c: T[]) => T | undefined)(stmt, children);
    if (mapped !== undefined) out.push(mapped);
  }
  return out;
}
