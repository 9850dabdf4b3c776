// git.diff (docs/language.md): `paths` (string or list) or `path`, confined like files;
// stdout of `git diff [-- paths…]`.

import { confine, toolRoot } from './confine.js';
import { runGit } from './git-exec.js';
import type { ToolContext } from './types.js';

export async function gitDiff(args: Record<string, unknown>, ctx: ToolContext): Promise<string> {
  const root = toolRoot(ctx);
  const a = args ?? {};
  const names: string[] = [];
  if (typeof a.paths === 'string') names.push(a.paths);
  else if (Array.isArray(a.paths)) for (const p of a.paths) if (typeof p === 'string') names.push(p);
  if (typeof a.path === 'string') names.push(a.path);
  const targets = names.map((p) => confine(root, p));
  const argv = ['diff', '--no-ext-diff', '--no-textconv', '--ignore-submodules=all', ...(targets.length ? ['--', ...targets] : [])];
  const { stdout } = await runGit(argv, root, { needsRepository: 'git.diff', ...(ctx?.signal ? { signal: ctx.signal } : {}) });
  return stdout;
}
