// The project root a call is judged against (docs/design.md#the-project-root-of-a-host-session), found the way `aex gate`
// finds it when the host names none: the OUTERMOST ancestor of the working directory
// (itself included, the home directory itself excluded) that holds a policy, else the
// working directory. Outermost, so a policy planted in a subdirectory never wins over
// the project's own.

import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { POLICY_DISCOVERY } from './discovery.js';

function isFile(p: string): boolean {
  try {
    // Most candidates are missing: answered without building an exception (it costs more than the stat).
    return statSync(p, { throwIfNoEntry: false })?.isFile() === true;
  } catch {
    return false;
  }
}

function holdsPolicy(dir: string): boolean {
  return POLICY_DISCOVERY.some((rel) => isFile(path.join(dir, rel)));
}

/** The outermost ancestor of `cwd` (home excluded) holding `.aex/policy.aex` or `aex.policy.aex`, else `cwd`. */
export function projectRootOf(cwd: string, home: string = homedir()): string {
  const start = path.resolve(cwd);
  const homeDir = path.resolve(home);
  let found: string | undefined;
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (dir !== homeDir && holdsPolicy(dir)) found = dir;
    const parent = path.dirname(dir);
    if (parent === dir) break;
  }
  return found ?? start;
}
