// Root confinement for the built-in tools (docs/language.md). Lexical checks are not
// enough: the target — or, for a file that does not exist yet, its
// nearest existing ancestor — is canonicalised with realpath and must be the root
// or lie under root + separator. A symlink that cannot be resolved is refused.

import { realpathSync } from 'node:fs';
import path from 'node:path';
import { canonicalPath } from '../policy/paths.js';
import type { ToolContext } from './types.js';

export class ConfinementError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfinementError';
  }
}

/** The canonical root of a tool call: realpath of the context's working directory. */
export function toolRoot(ctx: ToolContext | undefined): string {
  const cwd = ctx?.cwd ?? process.cwd();
  if (cwd.includes('\0')) throw new ConfinementError('Working directory contains a NUL byte.');
  return realpathSync.native(path.resolve(cwd));
}

export function isInside(root: string, p: string): boolean {
  if (p === root) return true;
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  return p.startsWith(prefix);
}

/**
 * Canonical absolute path of `p` (relative to `root`) if it stays inside `root`;
 * throws otherwise. Uses the same resolution as the policy matcher (canonicalPath),
 * so the file a tool opens is exactly the file the policy decision was about.
 * `p` is taken literally: `%2e%2e` is a file name, not `..`.
 */
export function confine(root: string, p: unknown): string {
  if (typeof p !== 'string' || p === '') throw new ConfinementError('Path must be a non-empty string.');
  if (p.includes('\0')) throw new ConfinementError('Path contains a NUL byte.');
  let canonical: string;
  try {
    canonical = canonicalPath(p, root);
  } catch (err) {
    throw new ConfinementError(`Path "${p}" cannot be resolved: ${(err as Error).message}`);
  }
  if (!isInside(root, canonical)) throw new ConfinementError(`Path "${p}" is outside the working directory.`);
  return canonical;
}
