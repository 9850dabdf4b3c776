// The proxy's meta-tools (SPEC §8.4 with the fixes of §8.3, decision D7): advertised
// with MCP-safe names, dotted aliases accepted. Checkpoints are written atomically;
// resume never lowers the budget already used; list and review stay inside the
// working directory (realpath-confined).

import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { EffectivePermissions, PermissionLayer, RuleSpec } from '../../rules/types.js';
import type { IRDocument, Step } from '../../ir/types.js';
import type { Diagnostic } from '../../compiler/diagnostics.js';
import { formatRule } from '../../rules/format.js';
import { effectiveAllowList, ruleCoveredBy } from '../../rules/intersect.js';
import { minBudget, unionRules } from '../../rules/merge.js';
import { layerFromIR } from '../../runtime/policy/load.js';

export type MetaName = 'aex.checkpoint' | 'aex.resume' | 'aex.list_tasks' | 'aex.review_task';

/** Both spellings → the canonical dotted name used in policies and audit events. */
export const META_ALIASES: Record<string, MetaName> = {
  aex_checkpoint: 'aex.checkpoint',
  'aex.checkpoint': 'aex.checkpoint',
  aex_resume: 'aex.resume',
  'aex.resume': 'aex.resume',
  aex_list_tasks: 'aex.list_tasks',
  'aex.list_tasks': 'aex.list_tasks',
  aex_review_task: 'aex.review_task',
  'aex.review_task': 'aex.review_task',
};

export function advertisedName(name: MetaName): string {
  return name.replace('.', '_');
}

export const META_TOOL_DEFS: Array<{ canonical: MetaName; tool: Record<string, unknown> }> = [
  {
    canonical: 'aex.checkpoint',
    tool: {
      name: 'aex_checkpoint',
      description: 'Save the AEX enforcement state (budget used, call history, audit log) under .aex/checkpoints/NAME/.',
      inputSchema: {
        type: 'object',
        properties: {
          name: { type: 'string', pattern: '^[a-zA-Z0-9_-]+$', description: 'Checkpoint name (letters, digits, _ and -).' },
          description: { type: 'string', description: 'What this checkpoint is for.' },
        },
        required: ['name'],
      },
    },
  },
  {
    canonical: 'aex.resume',
    tool: {
      name: 'aex_resume',
      description: 'Resume from a saved AEX checkpoint. The budget already used never goes down.',
      inputSchema: {
        type: 'object',
        properties: {
          name: { type: 'string', description: 'Checkpoint name.' },
          force: { type: 'boolean', description: 'Resume even if the checkpoint was saved under a different budget.' },
        },
        required: ['name'],
      },
    },
  },
  {
    canonical: 'aex.list_tasks',
    tool: {
      name: 'aex_list_tasks',
      description: 'List task contracts (tasks/*.aex), generated runs (.aex/runs/*.aex) and checkpoints.',
      inputSchema: { type: 'object', properties: {} },
    },
  },
  {
    canonical: 'aex.review_task',
    tool: {
      name: 'aex_review_task',
      description: 'Review an .aex task contract inside the working directory against the active policy.',
      inputSchema: {
        type: 'object',
        properties: { task: { type: 'string', description: 'Path of the .aex file, relative to the working directory.' } },
        required: ['task'],
      },
    },
  },
];

export class MetaToolError extends Error {
  override name = 'MetaToolError';
}

export interface HistoryEntry {
  tool: string;
  timestamp: string;
  decision: 'forward' | 'block';
  reason?: string;
}

export interface MetaContext {
  cwd: string;
  perms: EffectivePermissions;
  policy: PermissionLayer;
  /** `auditCheckpointed`: how many audit lines earlier checkpoints of this session hold. */
  state: { callsUsed: number; history: HistoryEntry[]; auditCheckpointed?: number };
  /** Every audit line of this proxy session so far (each ends with "\n"). */
  auditLines(): string[];
}

const NAME_RE = /^[a-zA-Z0-9_-]{1,128}$/;

function checkName(name: unknown): string {
  if (typeof name !== 'string' || !NAME_RE.test(name)) throw new MetaToolError(`Invalid checkpoint name ${JSON.stringify(name)}.`);
  return name;
}

function within(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function realCwd(cwd: string): string {
  return realpathSync(cwd);
}

/** Writes `data` to `file` through a temp file in the same directory and a rename. */
export function writeFileAtomic(file: string, data: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

function checkpointDir(ctx: MetaContext, name: string, create: boolean): string {
  const root = realCwd(ctx.cwd);
  const dir = path.join(root, '.aex', 'checkpoints', name);
  if (create) mkdirSync(dir, { recursive: true });
  if (!existsSync(dir)) return dir;
  const real = realpathSync(dir);
  if (!within(root, real)) throw new MetaToolError(`Checkpoint directory ${dir} resolves outside the working directory.`);
  return real;
}

/** What a checkpoint may write (SPEC-2 §18): an agent must not fill the disk through it. */
export const MAX_CHECKPOINTS = 64;
export const MAX_CHECKPOINT_BYTES = 16 * 1024 * 1024;

function existingCheckpoints(ctx: MetaContext): string[] {
  try {
    return readdirSync(path.join(realCwd(ctx.cwd), '.aex', 'checkpoints'));
  } catch {
    return [];
  }
}

function checkpoint(args: Record<string, unknown>, ctx: MetaContext): unknown {
  const name = checkName(args.name);
  const description = args.description;
  if (description !== undefined && typeof description !== 'string') throw new MetaToolError('"description" must be a string.');
  const existing = existingCheckpoints(ctx);
  if (!existing.includes(name) && existing.length >= MAX_CHECKPOINTS) {
    throw new MetaToolError(`This project already has ${existing.length} checkpoints (at most ${MAX_CHECKPOINTS}); save under an existing name instead.`);
  }
  // The checkpoints of a session together hold its audit once: each one the lines logged
  // since the session's previous checkpoint.
  const all = ctx.auditLines();
  const from = Math.min(ctx.state.auditCheckpointed ?? 0, all.length);
  const auditText = all.slice(from).join('');
  const data: Record<string, unknown> = { name };
  if (description !== undefined) data.description = description;
  data.timestamp = new Date().toISOString();
  data.callsUsed = ctx.state.callsUsed;
  if (ctx.perms.budget.calls !== undefined) data.budget = ctx.perms.budget.calls;
  data.toolHistory = ctx.state.history;
  const checkpointText = JSON.stringify(data, null, 2) + '\n';
  const bytes = Buffer.byteLength(auditText) + Buffer.byteLength(checkpointText);
  if (bytes > MAX_CHECKPOINT_BYTES) {
    throw new MetaToolError(`Checkpoint "${name}" would be ${bytes} bytes; a checkpoint holds at most ${MAX_CHECKPOINT_BYTES} bytes.`);
  }
  const dir = checkpointDir(ctx, name, true);
  // audit.jsonl first: checkpoint.json is what makes a checkpoint exist.
  writeFileAtomic(path.join(dir, 'audit.jsonl'), auditText);
  writeFileAtomic(path.join(dir, 'checkpoint.json'), checkpointText);
  ctx.state.auditCheckpointed = all.length;
  const rel = `.aex/checkpoints/${name}/`;
  return { path: rel, message: `Checkpoint "${name}" saved to ${rel}` };
}

function resume(args: Record<string, unknown>, ctx: MetaContext): unknown {
  const name = checkName(args.name);
  const force = args.force;
  if (force !== undefined && typeof force !== 'boolean') throw new MetaToolError('"force" must be a boolean.');
  const dir = checkpointDir(ctx, name, false);
  const file = path.join(dir, 'checkpoint.json');
  let cp: Record<string, unknown>;
  try {
    cp = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new MetaToolError(`Checkpoint "${name}" not found at ${file}`);
    throw new MetaToolError(`Checkpoint "${name}" is unreadable: ${(err as Error).message}`);
  }
  const used = cp.callsUsed;
  if (typeof used !== 'number' || !Number.isInteger(used) || used < 0) throw new MetaToolError(`Checkpoint "${name}" has an invalid callsUsed.`);
  const history = Array.isArray(cp.toolHistory) ? (cp.toolHistory as HistoryEntry[]) : [];
  const cpBudget = typeof cp.budget === 'number' ? cp.budget : undefined;
  const budget = ctx.perms.budget.calls;
  if (cpBudget !== budget && force !== true) {
    throw new MetaToolError(
      `Checkpoint "${name}" was saved under a budget of ${cpBudget ?? 'none'} calls but the current budget is ${budget ?? 'none'}; pass force: true to resume anyway.`,
    );
  }
  // Resuming can only add to what this session has spent (§10 #37).
  ctx.state.callsUsed = Math.max(ctx.state.callsUsed, used);
  ctx.state.history = [...history, ...ctx.state.history];
  const auditSummary: unknown[] = [];
  try {
    for (const line of readFileSync(path.join(dir, 'audit.jsonl'), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        auditSummary.push(JSON.parse(line));
      } catch {
        /* skip a torn line */
      }
    }
  } catch {
    /* no audit file: empty summary */
  }
  const out: Record<string, unknown> = { name };
  if (typeof cp.description === 'string') out.description = cp.description;
  out.toolsCalled = [...new Set(ctx.state.history.map((h) => h?.tool).filter((t): t is string => typeof t === 'string'))];
  out.callsUsed = ctx.state.callsUsed;
  if (budget !== undefined) out.budgetRemaining = Math.max(0, budget - ctx.state.callsUsed);
  out.auditSummary = auditSummary;
  return out;
}

interface CompileResult {
  ir: IRDocument | null;
  diagnostics: Diagnostic[];
  ok: boolean;
}

const COMPILER_MODULE = '../../compiler/index.js';

async function compile(file: string): Promise<CompileResult> {
  let mod: { compileFile(p: string, o?: { path?: string }): CompileResult | Promise<CompileResult> };
  try {
    mod = await import(COMPILER_MODULE);
  } catch (err) {
    throw new MetaToolError(`the AEX compiler is not available: ${(err as Error).message}`);
  }
  return await mod.compileFile(file, { path: file });
}

function relPosix(root: string, p: string): string {
  return path.relative(root, p).split(path.sep).join('/');
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
      if (within(root, real)) out.push(path.join(dir, n));
    } catch {
      /* dangling link */
    }
  }
  return out;
}

async function listTasks(ctx: MetaContext): Promise<unknown> {
  const root = realCwd(ctx.cwd);
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
      if (!within(root, realpathSync(file))) continue;
      const cp = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      const entry: Record<string, unknown> = { name: typeof cp.name === 'string' ? cp.name : n, path: relPosix(root, file), type: 'checkpoint' };
      if (typeof cp.description === 'string') entry.goal = cp.description;
      tasks.push(entry);
    } catch {
      /* not a checkpoint */
    }
  }
  return { tasks };
}

function collect(steps: Step[], checks: string[], makes: string[]): void {
  for (const s of steps) {
    if (s.op === 'check') checks.push(s.text);
    else if (s.op === 'make') makes.push(`make ${s.bind}: ${s.type} from ${s.inputs.map((i) => [i.ref, ...(i.path ?? [])].join('.')).join(', ')}`);
    else if (s.op === 'if') collect(s.then, checks, makes);
    else if (s.op === 'for') collect(s.body, checks, makes);
  }
}

async function reviewTask(args: Record<string, unknown>, ctx: MetaContext): Promise<unknown> {
  const task = args.task;
  if (typeof task !== 'string' || task === '' || task.includes('\0')) throw new MetaToolError('"task" must be the path of an .aex file.');
  const root = realCwd(ctx.cwd);
  const abs = path.resolve(root, task);
  let real: string;
  try {
    real = realpathSync(abs);
  } catch {
    throw new MetaToolError(`Task file not found: ${task}`);
  }
  if (!real.endsWith('.aex') || !within(root, real)) {
    throw new MetaToolError(`Task "${task}" must be an .aex file inside the working directory.`);
  }
  const r = await compile(real);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  const out: Record<string, unknown> = { task: relPosix(root, real) };
  if (!r.ir) {
    return { ...out, goal: '', requested: [], denied: [], effective: { allow: [], deny: [], confirm: [] }, checks: [], makeSteps: [], valid: false, warnings: errors.map((e) => `${e.code}: ${e.message}`) };
  }
  const layer = layerFromIR(r.ir, real);
  const fmt = (rules: RuleSpec[]) => rules.map((x) => formatRule(x));
  const effective: Record<string, unknown> = {
    allow: fmt(effectiveAllowList(layer.allow, ctx.policy.allow, root)),
    deny: fmt(unionRules(layer.deny, ctx.perms.deny)),
    confirm: fmt(unionRules(layer.confirm, ctx.perms.confirm)),
  };
  const budget = minBudget(layer.budget, ctx.perms.budget).calls;
  if (budget !== undefined) effective.budget = budget;
  const checks: string[] = [];
  const makeSteps: string[] = [];
  collect(r.ir.steps, checks, makeSteps);
  const warnings: string[] = [];
  for (const u of layer.allow) {
    if (!ruleCoveredBy(u, ctx.policy.allow)) warnings.push(`Tool "${formatRule(u)}" requested by task is not allowed by policy`);
  }
  for (const e of errors) warnings.push(`${e.code}: ${e.message}`);
  return {
    ...out,
    goal: r.ir.goal,
    requested: fmt(layer.allow),
    denied: fmt(layer.deny),
    effective,
    checks,
    makeSteps,
    valid: r.ok && errors.length === 0,
    warnings,
  };
}

export async function runMetaTool(name: MetaName, args: Record<string, unknown>, ctx: MetaContext): Promise<unknown> {
  switch (name) {
    case 'aex.checkpoint':
      return checkpoint(args, ctx);
    case 'aex.resume':
      return resume(args, ctx);
    case 'aex.list_tasks':
      return listTasks(ctx);
    case 'aex.review_task':
      return reviewTask(args, ctx);
  }
}
