// Messages every `aex init --HOST` prints the same way.

import { existsSync } from 'node:fs';
import path from 'node:path';

/** The note printed when the project has no policy yet (the gate then denies every call). */
export function policyMissingMessage(cwd: string): string | undefined {
  if (existsSync(path.join(cwd, '.aex', 'policy.aex')) || existsSync(path.join(cwd, 'aex.policy.aex'))) return undefined;
  return 'The gate denies every tool call until a policy exists (.aex/policy.aex; create one with aex init --policy).';
}

/** `--serve` for a host whose hooks are commands only: the command hook is installed. */
export function serveNotice(host: string): string {
  return `${host} hooks are commands only, so the gate is installed as a command hook (--serve wires only hosts with HTTP hooks).`;
}
