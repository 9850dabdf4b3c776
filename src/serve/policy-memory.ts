// `aex serve`'s policies: loaded once per (project root, policy, contract), kept in memory,
// and reloaded when any file they were built from (the policy, its `extends` chain, the
// contract) changes. Each request checks those files' identity and size and mtime — a few
// stat calls — so a changed policy decides the very next call, with no watcher to miss an
// event. A policy that fails to load is not kept: every call refuses until it is fixed.

import { statSync } from 'node:fs';
import { loadPolicyFile, loadTaskFile } from '../runtime/policy/load.js';
import { permissionsOf, type PolicySource, type ProjectPermissions } from '../gate/policies.js';

interface Stamp {
  file: string;
  /** dev:ino:size:mtimeNs, or 'missing'. */
  id: string;
}

interface Entry {
  stamps: Stamp[];
  value: ProjectPermissions;
}

function stampOf(file: string): string {
  try {
    const st = statSync(file, { bigint: true });
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return 'missing';
  }
}

const fresh = (e: Entry) => e.stamps.every((s) => stampOf(s.file) === s.id);

export class PolicyMemory implements PolicySource {
  private readonly entries = new Map<string, Entry>();
  /** How many times a policy was (re)loaded from disk, for tests and the bench. */
  loads = 0;

  async load(root: string, policyFile: string, contractFile: string | undefined): Promise<ProjectPermissions> {
    const key = JSON.stringify([root, policyFile, contractFile ?? null]);
    const known = this.entries.get(key);
    if (known !== undefined && fresh(known)) return known.value;
    this.entries.delete(key);
    // Stamps are taken before reading, so a change during the load is seen by the next call.
    const before = (files: string[]) => files.map((file) => ({ file, id: stampOf(file) }));
    const policyStamp = before([policyFile]);
    const policy = await loadPolicyFile(policyFile, { cwd: root });
    const task = contractFile !== undefined ? await loadTaskFile(contractFile, { cwd: root }) : undefined;
    this.loads++;
    const deps = [...new Set([...policy.dependencies, ...(contractFile !== undefined ? [contractFile] : [])])].filter((f) => f !== policyFile);
    const stamps = [...policyStamp, ...before(deps)];
    const value = permissionsOf(policy.layer, task?.layer, root, policyFile);
    this.entries.set(key, { stamps, value });
    return value;
  }
}
