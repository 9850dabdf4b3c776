// Root confinement for the built-in tools (SPEC §5 Rule). Lexical checks are not
// enough (§10 item 24): the target — or, for a file that does not exist yet, its
// nearest existing ancestor — is canonicalised with realpath and must be the root
// or lie under root + separator. A symlink that cannot be resolved is refused.

import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
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
 * throws otherwise. `p` is taken literally: `%2e%2e` is a file name, not `..`.
 */
export function confine(root: string, p: unknown): string {
  if (typeof p !== 'string' || p === '') throw new ConfinementError('Path must be a non-empty string.');
  if (p.includes('\0')) throw new ConfinementError('Path contains a NUL byte.');
  const abs = path.resolve(root, p);
  let head = abs;
  const rest: string[] = [];
  for (;;) {
    try {
      lstatSync(head);
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      const parent = path.dirname(head);
      if (parent === head) break;
      rest.unshift(path.basename(head));
      head = parent;
    }
  }
  let real: string;
  try {
    real = realpathSync.native(head);
  } catch {
    // Exists for lstat but not for realpath: a dangling or looping symlink.
    throw new ConfinementError(`Path "${p}" goes through a symbolic link that cannot be resolved.`);
  }
  const canonical = rest.length ? path.join(real, ...rest) : real;
  if (!isInside(root, canonical)) throw new ConfinementError(`Path "${p}" is outside the working directory.`);
  return canonical;
}
