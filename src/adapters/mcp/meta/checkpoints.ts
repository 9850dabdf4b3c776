// aex.checkpoint and aex.resume. What a checkpoint may write is bounded, so an agent
// cannot fill the disk through it: its audit.jsonl holds only the lines logged since the
// session's previous checkpoint (together the checkpoints hold the audit once), at most
// MAX_CHECKPOINTS per project and MAX_CHECKPOINT_BYTES each, with a clear error past
// either. Resuming never lowers the budget already used.

import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { MetaContext } from './context.js';
import { MetaToolError } from './definitions.js';
import type { HistoryEntry } from './history.js';
import { realRoot, within } from './files.js';
import { writeFileAtomic } from '../../../io/atomic-write.js';

export const MAX_CHECKPOINTS = 64;
export const MAX_CHECKPOINT_BYTES = 16 * 1024 * 1024;

const NAME_RE = /^[a-zA-Z0-9_-]{1,128}$/;

function checkName(name: unknown): string {
  if (typeof name !== 'string' || !NAME_RE.test(name)) throw new MetaToolError(`Invalid checkpoint name ${JSON.stringify(name)}.`);
  return name;
}

function checkpointDir(ctx: MetaContext, name: string, create: boolean): string {
  const root = realRoot(ctx.cwd);
  const dir = path.join(root, '.aex', 'checkpoints', name);
  if (create) mkdirSync(dir, { recursive: true });
  if (!existsSync(dir)) return dir;
  const real = realpathSync(dir);
  if (!within(root, real)) throw new MetaToolError(`Checkpoint directory ${dir} resolves outside the working directory.`);
  return real;
}

function existingCheckpoints(ctx: MetaContext): string[] {
  try {
    return readdirSync(path.join(realRoot(ctx.cwd), '.aex', 'checkpoints'));
  } catch {
    return [];
  }
}

export function checkpoint(args: Record<string, unknown>, ctx: MetaContext): unknown {
  const name = checkName(args.name);
  const description = args.description;
  if (description !== undefined && typeof description !== 'string') throw new MetaToolError('"description" must be a string.');
  const existing = existingCheckpoints(ctx);
  if (!existing.includes(name) && existing.length >= MAX_CHECKPOINTS) {
    throw new MetaToolError(`This project already has ${existing.length} checkpoints (at most ${MAX_CHECKPOINTS}); save under an existing name instead.`);
  }
  const window = ctx.audit.sinceCheckpoint();
  if (!window.complete) {
    // The lines are in the proxy's audit file; the next checkpoint starts after them.
    ctx.audit.markCheckpoint();
    throw new MetaToolError(
      `Checkpoint "${name}" would hold the ${window.count} audit lines logged since the previous checkpoint, more than a checkpoint holds (${MAX_CHECKPOINT_BYTES} bytes); nothing was saved, and the next checkpoint starts from here.`,
    );
  }
  const auditText = window.lines.join('');
  const data: Record<string, unknown> = { name };
  if (description !== undefined) data.description = description;
  data.timestamp = new Date().toISOString();
  data.callsUsed = ctx.budget.used();
  if (ctx.perms.budget.calls !== undefined) data.budget = ctx.perms.budget.calls;
  data.toolHistory = ctx.history.entries();
  const checkpointText = JSON.stringify(data, null, 2) + '\n';
  const bytes = Buffer.byteLength(auditText) + Buffer.byteLength(checkpointText);
  if (bytes > MAX_CHECKPOINT_BYTES) {
    throw new MetaToolError(`Checkpoint "${name}" would be ${bytes} bytes; a checkpoint holds at most ${MAX_CHECKPOINT_BYTES} bytes.`);
  }
  const dir = checkpointDir(ctx, name, true);
  // audit.jsonl first: checkpoint.json is what makes a checkpoint exist.
  writeFileAtomic(path.join(dir, 'audit.jsonl'), auditText, { durable: true });
  writeFileAtomic(path.join(dir, 'checkpoint.json'), checkpointText, { durable: true });
  ctx.audit.markCheckpoint();
  const rel = `.aex/checkpoints/${name}/`;
  return { path: rel, message: `Checkpoint "${name}" saved to ${rel}` };
}

const MAX_READ_BYTES = MAX_CHECKPOINT_BYTES + 1024 * 1024;

function readBounded(file: string): string {
  // stat first: a planted FIFO, device or huge file is refused before it is opened.
  const st = statSync(file);
  if (!st.isFile() || st.size > MAX_READ_BYTES) throw new MetaToolError(`${file} is not a checkpoint file of at most ${MAX_READ_BYTES} bytes.`);
  const text = readFileSync(file);
  if (text.length > MAX_READ_BYTES) throw new MetaToolError(`${file} is larger than a checkpoint may be.`);
  return text.toString('utf8');
}

export function resume(args: Record<string, unknown>, ctx: MetaContext): unknown {
  const name = checkName(args.name);
  const force = args.force;
  if (force !== undefined && typeof force !== 'boolean') throw new MetaToolError('"force" must be a boolean.');
  const dir = checkpointDir(ctx, name, false);
  const file = path.join(dir, 'checkpoint.json');
  let cp: Record<string, unknown>;
  try {
    cp = JSON.parse(readBounded(file)) as Record<string, unknown>;
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
  // Resuming can only add to what this session has spent.
  ctx.budget.raiseTo(used);
  ctx.history.prepend(history);
  const auditSummary: unknown[] = [];
  try {
    for (const line of readBounded(path.join(dir, 'audit.jsonl')).split('\n')) {
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
  out.toolsCalled = [...new Set(ctx.history.entries().map((h) => h?.tool).filter((t): t is string => typeof t === 'string'))];
  out.callsUsed = ctx.budget.used();
  if (budget !== undefined) out.budgetRemaining = Math.max(0, budget - ctx.budget.used());
  out.auditSummary = auditSummary;
  return out;
}
