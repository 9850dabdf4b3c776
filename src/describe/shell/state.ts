// What the describer carries while it walks one command line.

import type { SyntaxNode as Node } from './syntax.js';
import type { DescribeContext } from '../types.js';
import type { ActionSink } from './sink.js';
import type { Bases } from './bases.js';

export interface WalkState {
  ctx: DescribeContext;
  sink: ActionSink;
  /** Candidate working directories of the commands still to come. */
  bases: Bases;
  /** How many command strings deep (sh -c, eval, …) this text is. */
  depth: number;
  /** The text the current tree was parsed from (node offsets index into it). */
  source: string;
}

/** A subshell, substitution or pipeline element: its `cd` does not reach the caller. */
export function scoped(state: WalkState): WalkState {
  return { ...state };
}

/** Thrown for what makes the whole line one unresolved action (docs/design.md#unresolved-parts). */
export class WholeLineUnresolved extends Error {
  constructor(readonly why: string) {
    super(why);
  }
}

/** Redirections that apply to a simple command, from the command and its redirected_statement. */
export type Redirects = readonly Node[];

export const MAX_DEPTH = 8;
