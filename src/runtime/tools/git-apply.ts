// git.apply (docs/language.md): `diff` required; a patch that does not apply throws.

import { toolRoot } from './confine.js';
import { applyDiff } from './git-exec.js';
import type { ToolContext } from './types.js';

export async function gitApply(args: Record<string, unknown>, ctx: ToolContext): Promise<{ applied: true }> {
  return applyDiff((args ?? {}).diff, toolRoot(ctx), ctx?.signal);
}
