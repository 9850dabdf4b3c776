// Where enforcement state lives (docs/design.md#where-state-lives, docs/design.md#protected-state): outside the workspace, so no agent
// action inside the project can rewrite a budget, an audit log or a cache. One folder per
// project, named by the hex SHA-256 of the project root's real path — for a linked git
// worktree, the main working tree's, so sessions in a worktree share its budget.
//
// Imported by `aex gate` on every call: node built-ins only.

import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { projectIdentity } from './state/worktree.js';

/** `$AEX_STATE_DIR`, else `$XDG_STATE_HOME/aex`, else `~/.local/state/aex`. */
export function stateDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AEX_STATE_DIR) return path.resolve(env.AEX_STATE_DIR);
  if (env.XDG_STATE_HOME) return path.join(path.resolve(env.XDG_STATE_HOME), 'aex');
  return path.join(homedir(), '.local', 'state', 'aex');
}

/** `STATE/projects/<sha256 of the project's identity path>/`. */
export function projectStateDirectory(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const id = createHash('sha256').update(projectIdentity(root)).digest('hex');
  return path.join(stateDirectory(env), 'projects', id);
}

/** The compiled-policy cache of a project: inside its state folder, never in the workspace. */
export function policyCacheDirectory(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(projectStateDirectory(root, env), 'cache');
}

/**
 * projectStateDirectory for a long-running process (`aex serve`): the identity of a root —
 * a realpath, a walk up looking for `.git` and a hash — is worked out once and kept while
 * the root's own stat (device, inode, mtime, ctime) stays the same. Adding or removing a
 * `.git` in the root, or replacing the folder, changes that stat and the identity is
 * worked out again.
 */
export class ProjectStateDirectories {
  private readonly known = new Map<string, { stamp: string; dir: string }>();

  constructor(private readonly maxEntries = 1024) {}

  of(root: string, env: NodeJS.ProcessEnv = process.env): string {
    const key = `${stateDirectory(env)}\0${root}`;
    const stamp = rootStamp(root);
    const hit = this.known.get(key);
    if (hit !== undefined && stamp !== undefined && hit.stamp === stamp) return hit.dir;
    const dir = projectStateDirectory(root, env);
    this.known.delete(key);
    if (stamp !== undefined) this.known.set(key, { stamp, dir });
    if (this.known.size > this.maxEntries) this.known.delete(this.known.keys().next().value as string);
    return dir;
  }
}

function rootStamp(root: string): string | undefined {
  try {
    const st = statSync(root, { bigint: true });
    return `${st.dev}:${st.ino}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return undefined;
  }
}
