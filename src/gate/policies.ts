// Where the gate core gets a project's permissions from. `aex gate` (one call per process)
// loads them through the compiled-policy cache in the project's state folder; `aex serve`
// keeps them in memory and reloads them when a file they were built from changes
// (src/serve/policy-memory.ts). Both answer the same question the same way.

import type { EffectivePermissions, PermissionLayer } from '../rules/types.js';
import { loadPolicyLayerCached, loadTaskLayerCached } from '../runtime/policy/load.js';
import { mergePermissions } from '../rules/merge.js';
import { policyCacheDirectory } from '../runtime/state-dir.js';
import { displayPath } from '../io/display-path.js';

export interface ProjectPermissions {
  perms: EffectivePermissions;
  /** The layer's name, for the allow text. */
  policyName: string;
}

export interface PolicySource {
  /** The permissions of `policyFile` (narrowed by `contractFile`) for project `root`. */
  load(root: string, policyFile: string, contractFile: string | undefined, env: NodeJS.ProcessEnv): Promise<ProjectPermissions>;
}

export function permissionsOf(policy: PermissionLayer, task: PermissionLayer | undefined, root: string, policyFile: string): ProjectPermissions {
  const perms = mergePermissions({ policy, task, cwd: root });
  return { perms, policyName: `policy "${policy.name}" (${displayPath(policyFile, root)})` };
}

/** The gate's source: the compiled-policy cache in the project's state folder, never the workspace. */
export const cachedPolicies: PolicySource = {
  async load(root, policyFile, contractFile, env) {
    const cacheDir = policyCacheDirectory(root, env);
    const policy = await loadPolicyLayerCached(policyFile, cacheDir, { cwd: root });
    const task = contractFile !== undefined ? await loadTaskLayerCached(contractFile, cacheDir, { cwd: root }) : undefined;
    return permissionsOf(policy, task, root, policyFile);
  },
};
