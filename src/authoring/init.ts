// `aex init` file creation. Nothing is ever overwritten: an existing path is skipped
// (decided atomically at write time) and reported as skipped, never as created.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { remoteHosts } from './git-remotes.js';
import {
  DEFAULT_TASK_NAME,
  POLICY_TEST_FILE,
  policyTemplate,
  policyTestTemplate,
  sanitizeTaskName,
  taskInputsTemplate,
  taskPolicyJsonTemplate,
  taskTemplate,
} from './templates.js';
import { displayPath } from '../io/display-path.js';

export interface InitResult {
  /** Paths relative to cwd (with `/`), in creation order. */
  written: string[];
  skipped: string[];
  messages: string[];
}


function createFiles(cwd: string, files: Array<[string, string]>): InitResult {
  const result: InitResult = { written: [], skipped: [], messages: [] };
  for (const [rel, contents] of files) {
    const abs = join(cwd, rel);
    try {
      mkdirSync(dirname(abs), { recursive: true });
    } catch (err) {
      throw new Error(`cannot write ${displayPath(abs, cwd)}: ${(err as Error).message}`);
    }
    try {
      writeFileAtomic(abs, contents, { exclusive: true });
      result.written.push(displayPath(abs, cwd));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        result.skipped.push(displayPath(abs, cwd));
        continue;
      }
      throw new Error(`cannot write ${displayPath(abs, cwd)}: ${(err as Error).message}`);
    }
  }
  return result;
}

/**
 * `.aex/policy.aex` and its starter test `.aex/policy.test.aex`. The policy allows
 * `network.connect` to the hosts of the git remotes configured where init runs, so
 * git's own remote operations reach exactly those (and `git push` asks first).
 */
export function initPolicy(cwd: string): InitResult {
  const remotes = remoteHosts(cwd);
  const policyFile = join('.aex', 'policy.aex');
  const ignoreFile = join('.aex', '.gitignore');
  const r = createFiles(cwd, [
    [policyFile, policyTemplate(remotes)],
    [POLICY_TEST_FILE, policyTestTemplate(remotes)],
    [ignoreFile, AEX_GITIGNORE],
  ]);
  const names: Record<string, string> = {
    [displayPath(join(cwd, policyFile), cwd)]: 'Policy created at',
    [displayPath(join(cwd, ignoreFile), cwd)]: 'Local state kept out of commits by',
  };
  for (const w of r.written) r.messages.push(`✔ ${names[w] ?? 'Policy test created at'} ${w}`);
  return r;
}

/**
 * `.aex/.gitignore`: the policy and its tests are committed; anything local that lands in
 * `.aex/` is not — compiled caches, budgets and audit logs of older versions (AEX keeps
 * them in its state folder now), temporary files and `*.local.*` files.
 */
export const AEX_GITIGNORE = `# Written by aex init. The policy and its tests are committed; local state is not.
cache/
audit/
gate-budget/
.gate-budget.json
*.local.*
*.tmp
`;

export function initTask(cwd: string, rawName: string = DEFAULT_TASK_NAME): InitResult & { name: string } {
  const name = sanitizeTaskName(rawName);
  const r = createFiles(cwd, [
    [join('tasks', `${name}.aex`), taskTemplate(name)],
    [join('tasks', `${name}.inputs.json`), taskInputsTemplate()],
    [join('tasks', `${name}.policy.json`), taskPolicyJsonTemplate()],
  ]);
  for (const w of r.written) r.messages.push(`✔ Created ${w}`);
  return { ...r, name };
}
