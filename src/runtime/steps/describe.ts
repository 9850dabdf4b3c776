// Describing a call for the kernel, on the runtime, LangGraph and proxy surfaces (
// docs/design.md#actions, docs/design.md#unresolved-parts). A describer that fails must not let a call through, and the surface must not
// decide in its stead: the failure becomes an unreadable call (./unreadable.ts).

import { homedir } from 'node:os';
import type { DescribeContext, DescribedCall } from '../../describe/types.js';
import { unreadableCall, usableCall, type DescribeInput } from './unreadable.js';

export type { DescribeInput };
export { unreadableCall };

type Describer = typeof import('../../describe/index.js');
let describer: Promise<Describer> | undefined;

/** describeCall of src/describe, loaded on first use; any failure is an unreadable call. */
export async function describeForKernel(input: DescribeInput, ctx: DescribeContext): Promise<DescribedCall> {
  try {
    describer ??= import('../../describe/index.js');
    const { describeCall } = await describer;
    return usableCall(await describeCall(input, ctx), input);
  } catch (err) {
    return unreadableCall(input, `describe failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The context of a run or a session whose relative paths start at `cwd`. */
export function describeContext(opts: { root: string; cwd?: string; mcpBases?: string[]; shells?: readonly string[] }): DescribeContext {
  const ctx: DescribeContext = { root: opts.root, cwd: opts.cwd ?? opts.root, home: homedir() };
  if (opts.mcpBases !== undefined) ctx.mcpBases = opts.mcpBases;
  if (opts.shells !== undefined && opts.shells.length > 0) ctx.shells = opts.shells;
  return ctx;
}
