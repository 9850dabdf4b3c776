// How a host configuration starts AEX without relying on `aex` being on PATH: the
// absolute path of the node binary running this process, and the absolute path of this
// package's bin/aex.js. A host that starts MCP servers with a trimmed environment (no
// PATH, another cwd) still finds both.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AexCommand {
  /** Absolute path of node. */
  command: string;
  /** Absolute path of bin/aex.js, the first argument. */
  script: string;
}

/** bin/aex.js of the package this module belongs to (src/… in development, dist/… when built). */
export function aexScript(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // src/adapters/mcp/init or dist/adapters/mcp/init → package root is four levels up.
  const script = path.resolve(here, '..', '..', '..', '..', 'bin', 'aex.js');
  if (!existsSync(script)) throw new Error(`cannot find bin/aex.js of this AEX installation (looked at ${script})`);
  return script;
}

export function aexCommand(): AexCommand {
  return { command: process.execPath, script: aexScript() };
}

/** Whether a configured command/args pair already starts `aex proxy` (either spelling). */
export function proxyArgsStart(command: unknown, args: readonly unknown[]): number | undefined {
  if (typeof command !== 'string') return undefined;
  if (/(^|[/\\])aex(\.js)?$/.test(command) && args[0] === 'proxy') return 1;
  if (/(^|[/\\])node(\.exe)?$/.test(command) && typeof args[0] === 'string' && /(^|[/\\])aex\.js$/.test(args[0]) && args[1] === 'proxy') return 2;
  return undefined;
}
