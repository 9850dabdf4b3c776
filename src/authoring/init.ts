// `aex init` file creation. Nothing is ever overwritten: an existing path is skipped
// (decided atomically at write time) and reported as skipped, never as created.

import { mkdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import {
  DEFAULT_TASK_NAME,
  policyTemplate,
  sanitizeTaskName,
  taskInputsTemplate,
  taskPolicyJsonTemplate,
  taskTemplate,
} from './templates.js';

export interface InitResult {
  /** Paths relative to cwd (with `/`), in creation order. */
  written: string[];
  skipped: string[];
  messages: string[];
}

function display(cwd: string, abs: string): string {
  return relative(cwd, abs).split(sep).join('/');
}

function createFiles(cwd: string, files: Array<[string, string]>): InitResult {
  const result: InitResult = { written: [], skipped: [], messages: [] };
  for (const [rel, contents] of files) {
    const abs = join(cwd, rel);
    try {
      mkdirSync(dirname(abs), { recursive: true });
    } catch (err) {
      throw new Error(`cannot write ${display(cwd, abs)}: ${(err as Error).message}`);
    }
    try {
      writeFileAtomic(abs, contents, { exclusive: true });
      result.written.push(display(cwd, abs));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        result.skipped.push(display(cwd, abs));
        continue;
      }
      throw new Error(`cannot write ${display(cwd, abs)}: ${(err as Error).message}`);
    }
  }
  return result;
}

export function initPolicy(cwd: string): InitResult {
  const r = createFiles(cwd, [[join('.aex', 'policy.aex'), policyTemplate()]]);
  if (r.written.length) r.messages.push(`✔ Policy created at ${r.written[0]}`);
  return r;
}

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
