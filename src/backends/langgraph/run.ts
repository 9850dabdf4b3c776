// Running a contract on the LangGraph backend: `aex run --backend langgraph` and
// `aex resume`. Same options and same RunResult as the native interpreter (runIR), plus
// one more outcome: `interrupted` — a confirmation nobody could answer was reached while
// the run was saved to a checkpoint file, so it can be continued later.

import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Command, MemorySaver, type BaseCheckpointSaver } from '@langchain/langgraph';
import type { IRDocument, JsonValue } from '../../ir/types.js';
import { createAuditLog } from '../../runtime/audit/emitter.js';
import { JsonlFileSink } from '../../runtime/audit/sinks.js';
import type { AuditSink } from '../../runtime/audit/types.js';
import { createRunEnv, type RunOptions } from '../../runtime/run-options.js';
import { finishRun, rejectRun } from '../../runtime/steps/lifecycle.js';
import type { ConfirmAnswer, RunResult } from '../../runtime/steps/types.js';
import { taskToLangGraph, type AexCompiledGraph, type ConfirmInterrupt } from './graph.js';
import { irHash, permsHash } from './hash.js';
import { recursionLimitFor } from './limits.js';
import { ThreadStore } from './store.js';
import { sealProblem, threadSeal } from './seal.js';
import { AexError } from '../../errors.js';

export type Durability = 'exit' | 'async' | 'sync';

export interface LangGraphRunOptions extends RunOptions {
  /** An in-process checkpointer (ignored when `checkpoint`, a SQLite file, is given). */
  checkpointer?: BaseCheckpointSaver;
  /**
   * When LangGraph saves checkpoints: 'exit' (default: once, when the run ends or pauses —
   * fast, and enough to resume a paused run) or 'async'/'sync' (after every step).
   */
  durability?: Durability;
  /** Stored with the thread (checkpoint file only): what `aex resume` needs to rebuild the run. */
  launch?: Record<string, JsonValue>;
  /** Key of the HMAC that seals a paused thread's state (./seal.ts); resume needs the same key. */
  stateKey?: Buffer;
}

export interface InterruptedResult {
  status: 'interrupted';
  issues: string[];
  reasons: RunResult['reasons'];
  threadId: string;
  /** The confirmation the run waits for. */
  waitingFor: ConfirmInterrupt;
}

export type LangGraphRunResult = RunResult | InterruptedResult;

/** The refusal the native interpreter records when no confirmation handler exists. */
const NO_HANDLER: ConfirmAnswer = { refused: 'no_handler' };

interface Session {
  graph: AexCompiledGraph;
  config: { configurable: { thread_id: string }; recursionLimit: number; durability: Durability };
  sinks: AuditSink[];
  store?: ThreadStore;
  durable: boolean;
}

async function closeSinks(sinks: AuditSink[]): Promise<void> {
  for (const s of sinks) {
    try {
      await s.close?.();
    } catch {
      // one broken sink must not hide the others
    }
  }
}

function interruptOf(out: Record<string, unknown>): ConfirmInterrupt | undefined {
  const list = out.__interrupt__ as Array<{ value?: unknown }> | undefined;
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return list[0]!.value as ConfirmInterrupt;
}

/**
 * Drives the graph until it ends or pauses. A pause without a checkpoint file is answered
 * the way the native interpreter answers a confirmation with no handler: refused.
 */
async function drive(ir: IRDocument, options: LangGraphRunOptions, s: Session, first: unknown): Promise<LangGraphRunResult> {
  const threadId = s.config.configurable.thread_id;
  let input = first;
  try {
    for (;;) {
      const out = (await s.graph.invoke(input as never, s.config)) as Record<string, unknown>;
      const waiting = interruptOf(out);
      if (waiting) {
        if (s.durable) {
          if (s.store) await sealThread(s.store, s.graph, s.config, threadId, options.stateKey);
          s.store?.setStatus(threadId, 'interrupted');
          return { status: 'interrupted', issues: [], reasons: [], threadId, waitingFor: waiting };
        }
        input = new Command({ resume: NO_HANDLER });
        continue;
      }
      const result = out.result as RunResult | null | undefined;
      if (!result) throw new Error('the graph ended without a result');
      s.store?.setStatus(threadId, 'finished', result.status);
      return result;
    }
  } catch (err) {
    // Fail closed, and leave a complete audit log: the run ends blocked with run.finished.
    let seq = 0;
    try {
      const st = await s.graph.getState(s.config);
      seq = (st.values as { seq?: number }).seq ?? 0;
    } catch {
      // no saved state: numbering restarts
    }
    const { env } = createRunEnv(ir, { ...options, audit: options.audit ?? createAuditLog(s.sinks, { startSeq: seq }) });
    const message = `Internal error: ${err instanceof Error ? err.message : String(err)}`;
    const result = finishRun(env, { kind: 'blocked', reason: { code: 'AEX070', message } });
    s.store?.setStatus(threadId, 'finished', result.status);
    return result;
  }
}

/** Seals the saved state of a thread that is about to wait for its confirmation. */
async function sealThread(store: ThreadStore, graph: AexCompiledGraph, config: Session['config'], threadId: string, key?: Buffer): Promise<void> {
  const rec = store.get(threadId);
  if (!rec) throw new Error(`thread "${threadId}" vanished from ${store.file}`);
  const snap = await graph.getState(config);
  store.setSeal(threadId, threadSeal(rec, { values: snap.values as Record<string, unknown>, next: snap.next }, key));
}

/** The launch record stored with a durable thread (options given win over what is derived). */
function launchRecord(ir: IRDocument, options: LangGraphRunOptions): Record<string, JsonValue> {
  const cwd = options.cwd ?? process.cwd();
  const derived: Record<string, JsonValue> = { cwd };
  if (ir.source?.path) derived.contract = path.resolve(cwd, ir.source.path);
  const sinks = options.audit ? options.audit.sinks : (options.sinks ?? []);
  // The audit file sink, also when a surface wraps it (anything with its `file`).
  const file = sinks.find((x): x is JsonlFileSink => x instanceof JsonlFileSink || typeof (x as { file?: unknown }).file === 'string');
  if (file) derived.audit = path.resolve(cwd, file.file);
  if (options.policy?.file) derived.policy = path.resolve(cwd, options.policy.file);
  // The command line that started the run: `aex resume` rebuilds tools and model from it.
  derived.argv = process.argv.slice(2);
  return { ...derived, ...(options.launch ?? {}) };
}

/**
 * Runs a compiled task contract as a LangGraph graph. Same options and result as runIR;
 * with `checkpoint` (a SQLite file) a confirmation without a handler pauses the run:
 * `{status: "interrupted", threadId}`.
 */
export async function runWithLangGraph(ir: IRDocument, options: LangGraphRunOptions = {}): Promise<LangGraphRunResult> {
  const sinks = options.audit ? [] : (options.sinks ?? []);
  if (ir.kind !== 'task') {
    const audit = options.audit ?? createAuditLog(sinks);
    try {
      return rejectRun(audit, [{ code: 'AEX001', message: 'A policy cannot be run; pass a task contract.' }]);
    } finally {
      if (!options.audit) await audit.close();
    }
  }
  const durable = typeof options.checkpoint === 'string';
  const store = durable ? await ThreadStore.open(options.checkpoint!) : undefined;
  try {
    const checkpointer = store?.saver ?? options.checkpointer ?? new MemorySaver();
    const graph = taskToLangGraph(ir, { ...options, checkpointer });
    const threadId = options.threadId ?? randomUUID();
    if (store) {
      if (store.get(threadId)) throw new Error(`thread "${threadId}" already exists in ${store.file}`);
      const perms = createRunEnv(ir, { ...options, audit: createAuditLog([]) }).env.perms;
      store.create({ threadId, irHash: irHash(ir), permsHash: permsHash(perms), launch: launchRecord(ir, options) });
    }
    const inputs = (options.inputs ?? {}) as Record<string, JsonValue>;
    const session: Session = {
      graph,
      config: {
        configurable: { thread_id: threadId },
        recursionLimit: recursionLimitFor(ir, inputs),
        durability: options.durability ?? 'exit',
      },
      sinks,
      durable,
    };
    if (store) session.store = store;
    return await drive(ir, options, session, { inputs });
  } finally {
    store?.close();
    await closeSinks(sinks);
  }
}

export interface ResumeOptions extends LangGraphRunOptions {
  /** The checkpoint file and thread to continue. */
  checkpoint: string;
  threadId: string;
  /** The answer to the pending confirmation. */
  answer: ConfirmAnswer;
}

/** Why a thread cannot be resumed (a clear, user-facing message). */
export class ResumeError extends AexError {
  constructor(message: string) {
    super(message);
    this.name = 'ResumeError';
  }
}

/** Reads the launch record of a thread (for `aex resume` to rebuild the run's options). */
export async function readThread(checkpoint: string, threadId: string) {
  const store = await ThreadStore.open(checkpoint);
  try {
    return store.get(threadId);
  } finally {
    store.close();
  }
}

/**
 * Checks, before anything of a thread's launch record is used (its argv names modules a
 * resume imports), that the thread's saved state and record match their seal.
 */
export async function checkThreadSeal(ir: IRDocument, opts: { checkpoint: string; threadId: string; stateKey?: Buffer; cwd?: string }): Promise<void> {
  const store = await ThreadStore.open(opts.checkpoint);
  try {
    const rec = store.get(opts.threadId);
    if (!rec) throw new ResumeError(`no thread "${opts.threadId}" in ${store.file}`);
    if (ir.kind !== 'task') throw new ResumeError('only a task contract can be resumed');
    const graph = taskToLangGraph(ir, { ...(opts.cwd ? { cwd: opts.cwd } : {}), builtins: false, checkpointer: store.saver });
    const snapshot = await graph.getState({ configurable: { thread_id: opts.threadId } });
    const problem = sealProblem(rec, { values: snapshot.values as Record<string, unknown>, next: snapshot.next }, opts.stateKey);
    if (problem) throw new ResumeError(`refusing to resume thread "${opts.threadId}": ${problem}`);
  } finally {
    store.close();
  }
}

/**
 * Continues a paused thread with the answer to its confirmation. The contract and
 * permissions must hash to what the thread was started with; a finished thread, or one
 * another process is running, is refused. The audit continues the thread's sequence.
 */
export async function resumeWithLangGraph(ir: IRDocument, options: ResumeOptions): Promise<LangGraphRunResult> {
  const sinks = options.audit ? [] : (options.sinks ?? []);
  const store = await ThreadStore.open(options.checkpoint);
  try {
    const rec = store.get(options.threadId);
    if (!rec) throw new ResumeError(`no thread "${options.threadId}" in ${store.file}`);
    if (rec.status === 'finished') {
      throw new ResumeError(`thread "${options.threadId}" has already finished (${rec.outcome ?? 'done'}); there is nothing to resume`);
    }
    if (rec.status === 'running') throw new ResumeError(`thread "${options.threadId}" is running in another process or was interrupted by a crash`);
    if (ir.kind !== 'task' || irHash(ir) !== rec.irHash) {
      throw new ResumeError(`the contract changed since thread "${options.threadId}" was started; refusing to resume it`);
    }
    const perms = createRunEnv(ir, { ...options, audit: createAuditLog([]) }).env.perms;
    if (permsHash(perms) !== rec.permsHash) {
      throw new ResumeError(`the effective permissions (policy) changed since thread "${options.threadId}" was started; refusing to resume it`);
    }
    const graph = taskToLangGraph(ir, { ...options, checkpointer: store.saver });
    const config = { configurable: { thread_id: options.threadId } };
    const snapshot = await graph.getState(config);
    const waiting = snapshot.tasks.some((t) => (t.interrupts?.length ?? 0) > 0);
    if (!waiting) throw new ResumeError(`thread "${options.threadId}" is not waiting for a confirmation`);
    const problem = sealProblem(rec, { values: snapshot.values as Record<string, unknown>, next: snapshot.next }, options.stateKey);
    if (problem) throw new ResumeError(`refusing to resume thread "${options.threadId}": ${problem}`);
    if (!store.claim(options.threadId, 'interrupted', 'running')) {
      throw new ResumeError(`thread "${options.threadId}" is already being resumed`);
    }
    const inputs = ((snapshot.values as { inputs?: Record<string, JsonValue> }).inputs ?? {}) as Record<string, JsonValue>;
    const session: Session = {
      graph,
      config: { ...config, recursionLimit: recursionLimitFor(ir, inputs), durability: options.durability ?? 'exit' },
      sinks,
      durable: true,
      store,
    };
    return await drive(ir, options, session, new Command({ resume: options.answer }));
  } finally {
    store.close();
    await closeSinks(sinks);
  }
}
