// The command line a host runs for its AEX hook. It must not depend on PATH (a session
// whose PATH lacks `aex` would otherwise fail the hook, and Codex and Gemini CLI run the
// tool when a hook fails), so it names this node binary and this package's bin/aex.js by
// absolute path. The `|| { …; exit 2; }` tail turns every other failure of the command
// itself (node missing, killed by a signal) into the exit code these hosts treat as
// blocking, with a reason on stderr, because an empty stderr or exit 1 lets the call run.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** bin/aex.js of this package (dist/adapters/… and src/adapters/… are both two levels below the root). */
export function aexBinPath(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'aex.js');
}

/** `text` as one POSIX shell word. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The gate command for `host` (`gate --host codex` …), runnable by any POSIX shell. */
export function gateHookCommand(host: string, opts: { node?: string; bin?: string } = {}): string {
  const node = shellQuote(opts.node ?? process.execPath);
  const bin = shellQuote(opts.bin ?? aexBinPath());
  return `${node} ${bin} gate --host ${host} || { echo "AEX: the ${host} hook could not run; the call is blocked" >&2; exit 2; }`;
}

/** True when `command` runs AEX's gate (any spelling `aex init` wrote, bare or absolute). */
export function isGateCommand(command: unknown): boolean {
  return typeof command === 'string' && /(^|[\s/\\'"])aex(\.js)?['"]?\s+gate(\s|$)/.test(command);
}
