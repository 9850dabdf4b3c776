// The physical form of a path (docs/paths.md): where open(2) would land. Symlinks are
// followed component by component BEFORE `..` is applied, so `link/../x` means "x next
// to the link's target" — the kernel must judge the file the tool really opens, not the
// textual neighbour of the link.

import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** A path AEX refuses outright (a NUL byte): callers deny the call. */
export class PathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PathError';
  }
}

/**
 * A path whose physical form cannot be known (symlink loop, unreadable directory). A
 * PathError for callers that refuse every bad path; describers make it unresolved.
 */
export class UnreadablePathError extends PathError {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadablePathError';
  }
}

export function assertNoNul(p: string): void {
  if (p.includes('\0')) throw new PathError('Path contains a NUL byte.');
}

/** Linux's own limit (MAXSYMLINKS) on links followed while opening one path. */
const MAX_SYMLINKS = 40;

/**
 * Resolves `p` (absolute, or relative to the absolute `base`) as the operating system
 * would open it: existing symlinks are followed before `..` applies, a dangling
 * symlink is followed to where a write would create the file, and components that do
 * not exist are kept as written. Throws PathError on NUL and UnreadablePathError on a
 * symlink loop or a component that cannot be inspected.
 */
export function physicalPath(p: string, base: string): string {
  if (typeof p !== 'string') throw new PathError('Path must be a string.');
  assertNoNul(p);
  assertNoNul(base);
  // A relative path starts where its base physically is: the walk would get there by
  // the same steps, and a call's paths share one base (one realpath for all of them).
  const realBase = path.isAbsolute(p) ? null : existingRealPath(base);
  const queue = (realBase !== null ? p : path.isAbsolute(p) ? p : base + '/' + p).split('/');
  let current = realBase ?? '/';
  let links = 0;
  while (queue.length > 0) {
    const c = queue.shift()!;
    if (c === '' || c === '.') continue;
    if (c === '..') {
      current = path.dirname(current);
      continue;
    }
    const next = current === '/' ? '/' + c : current + '/' + c;
    const target = linkTarget(next);
    if (target === null) {
      current = next;
      continue;
    }
    if (++links > MAX_SYMLINKS) throw new UnreadablePathError(`Too many symbolic links resolving "${p}".`);
    if (path.isAbsolute(target)) current = '/';
    queue.unshift(...target.split('/'));
  }
  return current;
}

/**
 * Where a path that exists all the way (a base directory) lands, in one realpath(3)
 * call instead of one lstat per component. On Linux realpath follows the same rules as
 * the walk below (links before `..`, names otherwise as written); it fails for a
 * missing component, a dangling link, a loop or an unreadable directory, and then the
 * walk decides. Elsewhere (macOS returns names in their on-disk case) the walk decides.
 */
function existingRealPath(full: string): string | null {
  if (!FAST_REALPATH || !full.startsWith('/')) return null;
  const known = callRealPaths?.get(full);
  if (known !== undefined) return known;
  let real: string | null = null;
  try {
    const r = realpathSync.native(full);
    // Only a canonical absolute answer is taken as is.
    if (r.startsWith('/') && !r.includes('//') && !r.includes('/./') && !r.includes('/../') && !r.endsWith('/.') && !r.endsWith('/..')) real = r;
  } catch {
    /* the walk finds out why */
  }
  callRealPaths?.set(full, real);
  return real;
}

const FAST_REALPATH = process.platform === 'linux';

/**
 * The target of `p` when it is a symbolic link; null when it is something else or does
 * not exist. Throws UnreadablePathError when it cannot be inspected.
 */
function linkTarget(p: string): string | null {
  const known = callLinks?.get(p);
  if (known !== undefined) return known;
  let target: string | null = null;
  try {
    // ENOENT without an exception: most components of a new file's path are missing.
    if (lstatSync(p, { throwIfNoEntry: false })?.isSymbolicLink()) target = readlinkSync(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Missing: nothing to follow, the rest is kept as written. Anything else
    // (EACCES, ELOOP, EIO) means AEX cannot see where the path leads.
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      throw new UnreadablePathError(`Cannot inspect "${p}": ${code ?? String(err)}.`);
    }
  }
  callLinks?.set(p, target);
  return target;
}

/**
 * What lstat said about each component while ONE call is described, so the paths of a
 * compound line (which share the project's prefix) do not ask the disk again. Never kept
 * across calls: a symlink may change between two calls, never within one description.
 */
let callLinks: Map<string, string | null> | null = null;
let callRealPaths: Map<string, string | null> | null = null;

/** Runs `describe` (synchronous: one call's description) with one lstat cache for all its paths. */
export function withCallPathCache<T>(describe: () => T): T {
  if (callLinks !== null) return describe();
  callLinks = new Map();
  callRealPaths = new Map();
  try {
    return describe();
  } finally {
    callLinks = null;
    callRealPaths = null;
  }
}
