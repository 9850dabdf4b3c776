// `aex compile`, `aex parse` and `aex fmt` on their own: cac with those three commands only
// and the same error reporting as the full CLI. bin/aex.js runs them from one pre-compiled
// bundle (scripts/bundle-cli.mjs), because a cold process otherwise spends much of its time
// loading ES modules and compiling JavaScript it ran a moment ago; the commands are the ones
// `aex help` lists (src/cli/commands/compile.ts, parse.ts, fmt.ts).

import { cac } from 'cac';
import { registerCompile } from './commands/compile.js';
import { register as registerParse } from './commands/parse.js';
import { register as registerFmt } from './commands/fmt.js';
import { reportError } from './report-error.js';

/** The commands this entry serves; bin/aex.js routes only these to it. */
export const COMPILE_ENTRY_COMMANDS = ['compile', 'parse', 'fmt'] as const;

/**
 * Runs one compile, parse or fmt command line. Resolves false, having done nothing, for
 * what the full CLI must answer: help and version (whose text lists every command), a
 * command this entry does not have, and `compile --graph` (which loads LangGraph, left
 * out of the bundle). The caller then runs the full CLI with the same argv.
 */
export async function compileMain(argv: string[]): Promise<boolean> {
  const cli = cac('aex');
  registerCompile(cli);
  registerParse(cli);
  registerFmt(cli);
  // No cli.help() or cli.version(): cac would print its help during parse, before the full CLI
  // prints the one that lists every command. The flags are still read, below.
  try {
    cli.parse(argv, { run: false });
  } catch {
    // A usage error: the full CLI reports it in its own words.
    return false;
  }
  const name = cli.matchedCommand?.name;
  if (name === undefined || !(COMPILE_ENTRY_COMMANDS as readonly string[]).includes(name)) return false;
  const { help, h, version, v } = cli.options;
  if (help || h || version || v) return false;
  if (name === 'compile' && cli.options.graph !== undefined && cli.options.graph !== false) return false;
  try {
    await cli.runMatchedCommand();
  } catch (err) {
    reportError(err);
  }
  return true;
}
