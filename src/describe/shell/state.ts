// What the describer carries while it walks one command line.

import type { SyntaxNode as Node } from './syntax.js';
import type { DescribeContext, Unresolved } from '../types.js';
import type { ActionSink, EffectSet } from './sink.js';
import type { Bases } from './bases.js';
import type { ShellWord } from './words.js';

/** What one simple command brings besides its words. */
export interface CommandInfo {
  /** Unresolved entries from the command's own assignments (and env's). */
  environment: Unresolved[];
  /** Redirections of the command (here-documents feeding a shell). */
  redirects: readonly Node[];
}

/**
 * The describer's two ways back into itself: a command that runs a command (sudo, find
 * -exec, git bisect run) describes the inner words, and one that runs a command string
 * (sh -c, eval, git rebase --exec) describes that text as a line of its own. index.ts
 * hands them down in the walk state, so the files that need them (runners.ts, find.ts,
 * git.ts) do not import the files above them (command.ts, line.ts): the imports form a tree.
 */
export interface Recursion {
  /** One simple command's words → its actions (command.ts describeWords). */
  words(words: readonly ShellWord[], state: WalkState, info: CommandInfo): void;
  /** A command string run in a new shell: its `cd` stays inside (line.ts describeNested). */
  nested(text: string, state: WalkState): void;
}

export interface WalkState {
  ctx: DescribeContext;
  sink: ActionSink;
  /** Candidate working directories of the commands still to come. */
  bases: Bases;
  /** How many command strings deep (sh -c, eval, …) this text is. */
  depth: number;
  /** The text the current tree was parsed from (node offsets index into it). */
  source: string;
  /** How inner commands and command strings are described (see Recursion). */
  recurse: Recursion;
}

/** What a known program's effects are worked out with (effects.ts, find.ts, git.ts). */
export interface EffectContext {
  ctx: DescribeContext;
  bases: Bases;
  effects: EffectSet;
  /** Called when the program may run or read something AEX cannot see. */
  dynamic(why: string): void;
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
