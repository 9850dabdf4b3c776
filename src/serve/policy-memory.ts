// `aex serve`'s policies: loaded once per (project root, policy, contract), kept in memory,
// and reloaded when any file they were built from (the policy, its `extends` chain, the
// contract) changes. Each request checks those files' identity and size and mtime — a few
// stat calls — so a changed policy decides the very next call, with no watcher to miss an
// event. A policy that fails to load is not kept: every call refuses until it is fixed.

import { fileStamp } from '../io/file-stamp.js';
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

/** A file's stamp (src/io/file-stamp.ts); a file that cannot be inspected reads as 'missing', which no kept stamp equals. */
export function stampOf(file: string): string {
  return fileStamp(file)?.id ?? 'missing';
}

export class PolicyMemory implements PolicySource {
  private readonly entries = new Map<string, Entry>();
  /** How many times a policy was (re)loaded from disk, for tests and the bench. */
  loads = 0;

  async load(root: string, policyFile: string, contractFile: string | undefined): Promise<ProjectPermissions> {
    return this.loadWith(root, policyFile, contractFile, stampOf);
  }

  /**
   * load(), with the stamps of the files the kept policy was built from taken by `stamp`
   * (the server shares a stat between calls that arrived before it, read-after-receipt.ts).
   * A (re)load always stamps afresh.
   */
  async loadWith(root: string, policyFile: string, contractFile: string | undefined, stamp: (file: string) => string): Promise<ProjectPermissions> {
    const key = JSON.stringify([root, policyFile, contractFile ?? null]);
    const known = this.entries.get(key);
    if (known !== undefined && known.stamps.every((s) => stamp(s.file) === s.id)) return known.value;
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
