// git.status (SPEC §5): the lines of `git status --short`.

import { toolRoot } from './confine.js';
import { runGit } from './git-exec.js';
import type { ToolContext } from './types.js';

export async function gitStatus(_args: Record<string, unknown>, ctx: ToolContext): Promise<string[]> {
  const root = toolRoot(ctx);
  const { stdout } = await runGit(['status', '--short'], root, ctx?.signal ? { signal: ctx.signal } : {});
  return stdout.split('\n').filter((l) => l.length > 0);
}
