// The one entry point every surface calls to turn a call into actions (docs/design.md#actions,
// docs/design.md#actions): shell-family calls go to the shell describer (loaded only when a shell call
// arrives, so the gate does not pay for the parser on a Read), everything else to the
// ordinary and patch describers. Describers never decide; the kernel does.

import { describeMcp, describeOrdinary } from './ordinary.js';
import { PathError, unresolvedPath } from './paths.js';
import type { Action, DescribeContext, DescribedCall } from './types.js';

export interface DescribeInput {
  /** The capability: `file.read`, `shell.exec`, `mcp.fs.read_file`. */
  tool: string;
  /** The host's own tool name (`Bash`, `Edit`), for the record. */
  hostTool?: string;
  args: Record<string, unknown>;
  /** True for tools of an MCP server (relative paths judged against ctx.mcpBases). */
  mcp?: boolean;
}

/**
 * The shell describer, imported when the first shell call arrives: a Read never loads
 * the parser. The specifier is a literal so that the gate's bundler (scripts/bundle-gate.mjs)
 * can see it and put the shell describer, web-tree-sitter included, into a chunk of its
 * own that the gate loads with one require() only when a shell call arrives.
 */
function loadShellDescriber(): Promise<typeof import('./shell/index.js')> {
  // Kept after the first call: import() asks the module loader again every time, which
  // cost a few per cent of an in-process decision. A failed load may be retried.
  shellDescriber ??= import('./shell/index.js').catch((err: unknown) => {
    shellDescriber = undefined;
    throw err;
  });
  return shellDescriber;
}
let shellDescriber: Promise<typeof import('./shell/index.js')> | undefined;

/** The actions of a command line, from src/describe/shell/index.ts. */
export async function describeShellLine(command: string, ctx: DescribeContext): Promise<Action[]> {
  const mod = await loadShellDescriber();
  const actions = await mod.describeShell(command, ctx);
  if (!Array.isArray(actions) || actions.length === 0) {
    return [{ cap: 'shell.exec', command, argv: [], unresolved: [{ what: 'command', why: 'no actions' }] }];
  }
  return actions;
}

/** True for calls whose `command` argument is a command line. */
function isShellCall(tool: string, ctx: DescribeContext, hostTool?: string): boolean {
  if (tool === 'shell.exec') return true;
  const shells = ctx.shells ?? [];
  return shells.includes(tool) || (hostTool !== undefined && shells.includes(hostTool));
}

/** A null-prototype copy of the arguments: `__proto__` and `constructor` stay ordinary keys. */
export function plainArgs(args: unknown): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  if (args && typeof args === 'object' && !Array.isArray(args)) {
    for (const k of Object.getOwnPropertyNames(args)) out[k] = (args as Record<string, unknown>)[k];
  }
  return out;
}

async function actionsOf(input: DescribeInput, args: Record<string, unknown>, ctx: DescribeContext): Promise<Action[]> {
  if (isShellCall(input.tool, ctx, input.hostTool)) {
    if (typeof args.command !== 'string') {
      return [{ cap: 'shell.exec', args, unresolved: [{ what: 'command', why: 'no command line' }] }];
    }
    return describeShellLine(args.command, ctx);
  }
  if (input.mcp === true || input.tool.startsWith('mcp.')) return describeMcp(input.tool, args, ctx);
  return describeOrdinary(input.tool, args, ctx);
}

/**
 * Describes one call. A path AEX refuses (a NUL byte) makes its action carry an
 * unresolved path instead of failing the whole surface; the list is never empty.
 */
export async function describeCall(input: DescribeInput, ctx: DescribeContext): Promise<DescribedCall> {
  const args = plainArgs(input.args);
  let actions: Action[];
  try {
    actions = await actionsOf(input, args, ctx);
  } catch (err) {
    if (!(err instanceof PathError)) throw err;
    actions = [{ cap: input.tool, args, paths: [unresolvedPath('(arguments)', `refused path: ${err.message}`)] }];
  }
  if (actions.length === 0) actions = [{ cap: input.tool, args }];
  const call: DescribedCall = { tool: input.tool, args, actions };
  if (input.hostTool !== undefined) call.hostTool = input.hostTool;
  return call;
}

export { pathAttr, pathAttrCandidates, unresolvedPath, PathError } from './paths.js';
export { parsePatch } from './patch.js';
export { searchReach, staticPrefix } from './search.js';
export { argumentPaths } from './mcp-args.js';
export { networkTarget, normaliseHost } from './network.js';
