// Where a project's policy is found: in the project root only, never in a subdirectory
// and never by walking up from the agent's current directory.

import { statSync } from 'node:fs';
import path from 'node:path';

/** The places a policy is discovered, in order, in the starting directory only. */
export const POLICY_DISCOVERY = ['.aex/policy.aex', 'aex.policy.aex'] as const;

/** `.aex/policy.aex`, then `aex.policy.aex`, in `cwd` only (no walking up). */
export function discoverPolicy(cwd: string): string | undefined {
  for (const rel of POLICY_DISCOVERY) {
    const p = path.join(cwd, rel);
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      // not there
    }
  }
  return undefined;
}
