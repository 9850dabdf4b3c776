// Variable assignments (docs/shell.md). A command's leading `NAME=value` may only set the
// harmless names of the table; any other name changes what the command does (PATH picks
// another program, LD_PRELOAD loads code, GIT_* and PAGER run commands) and makes the
// action unresolved. Assignments on their own line or through `export` follow the same
// rule for shell variables that programs read from the environment.

import type { Unresolved } from '../types.js';
import { isHarmlessVariable } from './programs.js';
import type { ShellWord } from './words.js';

export interface Assignment {
  /** Undefined for an array element (`a[i]=x`). */
  name?: string;
  value?: ShellWord;
  text: string;
}

/** Lower-case names that programs read from the environment. */
const LOWER_CASE_ENVIRONMENT = new Set(['http_proxy', 'https_proxy', 'ftp_proxy', 'all_proxy', 'no_proxy']);

/**
 * The unresolved entries these assignments give. `shellVariables`: a statement of its own
 * or a declaration, where lower-case names are ordinary shell variables.
 */
export function assignmentProblems(assignments: readonly Assignment[], shellVariables = false): Unresolved[] {
  const problems: Unresolved[] = [];
  for (const a of assignments) {
    const name = a.name;
    const harmless =
      name !== undefined &&
      (isHarmlessVariable(name) || (shellVariables && name === name.toLowerCase() && !LOWER_CASE_ENVIRONMENT.has(name)));
    if (!harmless) problems.push({ what: 'environment', why: 'environment' });
    // A value holding `$(`/backticks as text runs them when later used in arithmetic or eval.
    const literal = a.value?.literal;
    if (literal !== undefined && (literal.includes('$(') || literal.includes('`'))) problems.push({ what: 'command', why: 'dynamic command' });
  }
  return problems;
}
