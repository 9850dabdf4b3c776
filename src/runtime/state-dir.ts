// Where enforcement state lives (SPEC-2 §16.2, D12): outside the workspace, so no agent
// action inside the project can rewrite a budget, an audit log or a cache. One folder per
// project, named by the hex SHA-256 of the project root's real path.
//
// Imported by `aex gate` on every call: node built-ins only.

import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** `$AEX_STATE_DIR`, else `$XDG_STATE_HOME/aex`, else `~/.local/state/aex`. */
export function stateDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AEX_STATE_DIR) return path.resolve(env.AEX_STATE_DIR);
  if (env.XDG_STATE_HOME) return path.join(path.resolve(env.XDG_STATE_HOME), 'aex');
  return path.join(homedir(), '.local', 'state', 'aex');
}

function realOrResolved(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** `STATE/projects/<sha256 of the root's real path>/`. */
export function projectStateDirectory(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const id = createHash('sha256').update(realOrResolved(root)).digest('hex');
  return path.join(stateDirectory(env), 'projects', id);
}
