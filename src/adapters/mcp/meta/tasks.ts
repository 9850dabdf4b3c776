// aex.list_tasks and aex.review_task. The review is `aex review`'s (src/authoring/review.ts)
// against the policy the proxy loaded, so the meta-tool and the command can never
// disagree on what a contract may do; this file only confines the path to the working
// directory and shapes the result.

import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { IRDocument } from '../../../ir/types.js';
import type { Diagnostic } from '../../../compiler/diagnostics.js';
import { formatRule } from '../../../rules/format.js';
import type { MetaContext } from './context.js';
import { MetaToolError } from './definitions.js';
import { realRoot, relPosix, within } from './files.js';

interface CompileResult {
  ir: IRDocument | null;
  diagnostics: Diagnostic[];
  ok: boolean;
}

// Loaded on first use: the proxy starts without the compiler.
const COMPILER_MODULE = '../../../compiler/index.js';
const REVIEW_MODULE = '../../../authoring/review.js';

async function compile(file: string): Promise<CompileResult> {
  const mod = (await import(COMPILER_MODULE)) as { compileFile(p: string, o?: { path?: string }): CompileResult | Promise<CompileResult> };
  return await mod.compileFile(file, { path: file });
}

/** Files in `dir` (inside root) ending with `suffix`, confined by realpath. */
function confinedFiles(root: string, dir: string, suffix: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const n of names) {
    if (!n.endsWith(suffix)) continue;
    try {
      const real = realpathSync(path.join(dir, n));
      if (within(root, real) && statSync(real).isFile()) out.push(path.join(dir, n));
    } catch {
      /* dangling link */
    }
  }
  return out;
}

const MAX_LISTED_CHECKPOINT_BYTES = 1024 * 1024;

export async function listTasks(ctx: MetaContext): Promise<unknown> {
  const root = realRoot(ctx.cwd);
  const tasks: Array<Record<string, unknown>> = [];
  const describe = async (file: string, type: 'task' | 'run') => {
    const entry: Record<string, unknown> = { name: path.basename(file, '.aex'), path: relPosix(root, file), type };
    try {
      const r = await compile(file);
      if (r.ir) {
        if (r.ir.goal) entry.goal = r.ir.goal;
        entry.tools = r.ir.permissions.use.map((u) => formatRule(u));
      }
    } catch {
      /* listed without details */
    }
    tasks.push(entry);
  };
  for (const f of confinedFiles(root, path.join(root, 'tasks'), '.aex')) await describe(f, 'task');
  for (const f of confinedFiles(root, path.join(root, '.aex', 'runs'), '.aex')) await describe(f, 'run');
  const cpRoot = path.join(root, '.aex', 'checkpoints');
  let cps: string[] = [];
  try {
    cps = readdirSync(cpRoot).sort();
  } catch {
    /* none */
  }
  for (const n of cps) {
    const file = path.join(cpRoot, n, 'checkpoint.json');
    try {
      const real = realpathSync(file);
      const st = statSync(real);
      if (!within(root, real) || !st.isFile() || st.size > MAX_LISTED_CHECKPOINT_BYTES) continue;
      const cp = JSON.parse(readFileSync(real, 'utf8')) as Record<string, unknown>;
      const entry: Record<string, unknown> = { name: typeof cp.name === 'string' ? cp.name : n, path: relPosix(root, file), type: 'checkpoint' };
      if (typeof cp.description === 'string') entry.goal = cp.description;
      tasks.push(entry);
    } catch {
      /* not a checkpoint */
    }
  }
  return { tasks };
}

export async function reviewTaskMeta(args: Record<string, unknown>, ctx: MetaContext): Promise<unknown> {
  const task = args.task;
  if (typeof task !== 'string' || task === '' || task.includes('\0')) throw new MetaToolError('"task" must be the path of an .aex file.');
  const root = realRoot(ctx.cwd);
  let real: string;
  try {
    real = realpathSync(path.resolve(root, task));
  } catch {
    throw new MetaToolError(`Task file not found: ${task}`);
  }
  if (!real.endsWith('.aex') || !within(root, real)) {
    throw new MetaToolError(`Task "${task}" must be an .aex file inside the working directory.`);
  }
  const { reviewTask, ReviewError } = (await import(REVIEW_MODULE)) as typeof import('../../../authoring/review.js');
  let summary;
  try {
    summary = (await reviewTask(real, { cwd: root, ...(ctx.policyFile !== undefined ? { policyPath: ctx.policyFile } : {}) })).summary;
  } catch (err) {
    if (err instanceof ReviewError) throw new MetaToolError(err.message);
    throw err;
  }
  const effective: Record<string, unknown> = { allow: summary.effective.allow, deny: summary.effective.deny, confirm: summary.effective.confirm };
  const budget = summary.effective.budget?.calls;
  if (budget !== undefined) effective.budget = budget;
  return {
    task: relPosix(root, real),
    goal: summary.goal,
    requested: summary.requested,
    denied: summary.denied,
    effective,
    checks: summary.checks,
    makeSteps: summary.makeSteps,
    valid: summary.valid,
    runsUnderPolicy: summary.runsUnderPolicy,
    warnings: summary.warnings,
  };
}
