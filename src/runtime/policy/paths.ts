// The AEX 1 path entry point, kept for the surfaces that still canonicalise one path
// at a time (root confinement of the built-ins, the kernel's AEX 1 request shape).
// Path attributes of actions — both forms, every base — are src/describe/paths.ts.

import path from 'node:path';
import { physicalPath } from '../../describe/physical.js';

export { PathError, assertNoNul } from '../../describe/physical.js';

/**
 * Canonical absolute path of `p` relative to `cwd`, as open(2) would resolve it (the
 * physical form of docs/paths.md). Throws on NUL bytes and symlink loops.
 */
export function canonicalPath(p: string, cwd: string): string {
  return physicalPath(p, path.resolve(cwd));
}
