// The shell describer (docs/design.md#actions "Shell tools", docs/shell.md): a command line → its actions,
// one shell.exec action per simple command plus the file and network effects of
// redirections and known programs. Anything that cannot be read is unresolved (docs/design.md#unresolved-parts);
// a line that cannot be parsed is one unresolved action, never an allowed one.

import type { Action, DescribeContext } from '../types.js';
import { loadShellParser, shellParserLoaded, ShellParserNotLoaded } from './parser.js';
import { describeNested, describeText, MAX_LINE_LENGTH } from './line.js';
import { describeWords } from './command.js';
import { ActionSink } from './sink.js';
import { WholeLineUnresolved, type Recursion } from './state.js';
import { withCallPathCache } from '../physical.js';

export { loadShellParser, shellParserLoaded } from './parser.js';
export { knownProgram, knownProgramNames, isHarmlessVariable } from './programs.js';
export { clearGitConfigCache } from './git-config.js';

/** The describer's recursive entry points, handed down in the walk state (state.ts Recursion). */
const recurse: Recursion = { words: describeWords, nested: describeNested };

/**
 * The actions of one command line. Synchronous. A plain simple command (simple-line.ts)
 * is described without the parser; any other line, or a command string inside one, needs
 * loadShellParser() to have completed, else this throws ShellParserNotLoaded (describeShell
 * then loads the parser and describes again; any other caller denies). Never returns an
 * empty list.
 */
export function describeShellLine(line: string, ctx: DescribeContext): Action[] {
  if (typeof line !== 'string') return [wholeLine(String(line), 'not a command line')];
  if (line.length > MAX_LINE_LENGTH) return [wholeLine(line.slice(0, 200) + '…', 'too long')];
  const sink = new ActionSink();
  try {
    withCallPathCache(() => describeText(line, { ctx, sink, bases: [ctx.cwd], depth: 0, source: line, recurse }));
  } catch (err) {
    if (err instanceof ShellParserNotLoaded) throw err;
    if (err instanceof WholeLineUnresolved) return [wholeLine(line, err.why)];
    // A describer bug must not let a line through: the whole line is unresolved.
    return [wholeLine(line, 'describer error')];
  }
  if (sink.actions.length === 0) return [{ cap: 'shell.exec', argv: [], command: '' }];
  return sink.actions;
}

/**
 * Describes a line, loading the parser (once per process) when the line needs it: a
 * plain simple command is described without it, which spares a one-shot gate process
 * the cost of compiling the grammar.
 */
export async function describeShell(line: string, ctx: DescribeContext): Promise<Action[]> {
  if (!shellParserLoaded()) {
    try {
      return describeShellLine(line, ctx);
    } catch (err) {
      if (!(err instanceof ShellParserNotLoaded)) throw err;
    }
    await loadShellParser();
  }
  return describeShellLine(line, ctx);
}

function wholeLine(line: string, why: string): Action {
  return { cap: 'shell.exec', argv: [], command: line, unresolved: [{ what: 'command', why }] };
}
