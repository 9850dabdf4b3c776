// file.read (docs/language.md): `paths` (string or list; non-strings skipped) and `path`;
// result {PATH: utf8 contents} keyed by the path as given.

import { readFile } from 'node:fs/promises';
import { confine, toolRoot } from './confine.js';
import type { ToolContext } from './types.js';

function requested(args: Record<string, unknown>): string[] {
  const out: string[] = [];
  const { paths, path } = args;
  if (typeof paths === 'string') out.push(paths);
  else if (Array.isArray(paths)) for (const p of paths) if (typeof p === 'string') out.push(p);
  if (typeof path === 'string') out.push(path);
  return [...new Set(out)];
}

export async function fileRead(args: Record<string, unknown>, ctx: ToolContext): Promise<Record<string, string>> {
  const root = toolRoot(ctx);
  const names = requested(args ?? {});
  // Confine every path before reading any, so a refused path reads nothing.
  const targets = names.map((p) => [p, confine(root, p)] as const);
  const out: Record<string, string> = {};
  for (const [name, abs] of targets) out[name] = await readFile(abs, 'utf8');
  return out;
}
