// Describers of the built-in tools (docs/language.md, docs/design.md#actions): their argument shapes are
// known, so their paths are read from the documented keys only (docs/design.md#rules-and-permissions), relative
// to the run's root or the hook's cwd.

import { patchActions } from './patch-actions.js';
import { pathAttr } from './paths.js';
import type { Action, ActionPath, DescribeContext } from './types.js';

export const BUILTIN_TOOLS = ['file.read', 'file.write', 'tests.run', 'git.status', 'git.diff', 'git.apply'] as const;

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** Path names of `file.write`'s `writes` argument: list of names or `{path}` objects, or a map's keys. */
function writeNames(writes: unknown): string[] {
  if (Array.isArray(writes)) {
    return writes.flatMap((w) => {
      if (typeof w === 'string') return [w];
      if (w && typeof w === 'object' && typeof (w as { path?: unknown }).path === 'string') return [(w as { path: string }).path];
      return [];
    });
  }
  if (writes && typeof writes === 'object') return Object.getOwnPropertyNames(writes);
  return [];
}

export function describeBuiltin(tool: string, args: Record<string, unknown>, ctx: DescribeContext): Action[] | null {
  const at = (names: string[]): ActionPath[] => names.map((n) => pathAttr(n, ctx.cwd, ctx));
  switch (tool) {
    case 'file.read':
      return [{ cap: tool, paths: at([...strings(args.paths), ...strings(args.path)]), args }];
    case 'file.write': {
      const names = [...strings(args.path), ...strings(args.paths), ...writeNames(args.writes)];
      const actions: Action[] = [];
      if (names.length > 0 || args.diff === undefined) actions.push({ cap: tool, paths: at(names), args });
      if (args.diff !== undefined) actions.push(...patchActions(args.diff, ctx.cwd, ctx, args));
      return actions;
    }
    case 'git.apply': {
      // The call's own action keeps `allow git.apply` meaningful; the patch's file
      // actions make every path rule on file.write apply to it as well.
      const effects = patchActions(args.diff, ctx.cwd, ctx, args);
      return [{ cap: tool, paths: effects[0]!.paths!, args }, ...effects];
    }
    case 'git.diff': {
      const names = [...strings(args.paths), ...strings(args.path)];
      // Without paths, git diff shows every changed file of the tree.
      if (names.length === 0) return [{ cap: tool, reach: at(['.']), args }];
      return [{ cap: tool, paths: at(names), args }];
    }
    case 'git.status':
    case 'tests.run':
      return [{ cap: tool, args }];
    default:
      return null;
  }
}
