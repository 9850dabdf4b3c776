// git.status (docs/language.md): the lines of `git status --short`.

import { toolRoot } from './confine.js';
import { runGit } from './git-exec.js';
import type { ToolContext } from './types.js';

export async function gitStatus(_args: Record<string, unknown>, ctx: ToolContext): Promise<string[]> {
  const root = toolRoot(ctx);
  // Submodules are not entered: their own config (filters, fsmonitor) is not AEX's to vet.
  const { stdout } = await runGit(['status', '--short', '--ignore-submodules=all'], root, {
    needsRepository: 'git.status',
    ...(ctx?.signal ? { signal: ctx.signal } : {}),
  });
  return stdout.split('\n').filter((l) => l.length > 0);
}
