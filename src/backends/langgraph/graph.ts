// taskToLangGraph: an IR task contract as a real, runnable LangGraph StateGraph. Every
// node is a small async function that calls the same step functions as the native
// interpreter; the graph only moves control:
//
//   run_start → step nodes … → run_finish → END
//   call    call_L_C (prepare, and execute when no confirmation is needed)
//           call_L_C_confirm (interrupt() or the confirmation handler) → call_L_C_execute
//   make / check / return   one node each (return → run_finish)
//   if      if_L_C ─true→ body … → if_L_C_end → next;  ─false→ next
//   for     for_L_C → body … → for_L_C_next ─more→ body;  ─done→ next
//
// What each node does is in ./nodes.ts (one factory per op), the confirmation protocol
// in ./interrupt.ts, which nodes exist and where each may go in ./topology.ts. Every
// node routes the same way: it names the next node in `route` and returns a Command whose
// goto is that node (its possible targets declared with `ends`). The audit sequence lives
// in the state, so a thread resumed in another process continues numbering where it stopped.

import { Command, END, START, StateGraph, isGraphBubbleUp, type BaseCheckpointSaver } from '@langchain/langgraph';
import type { IRDocument } from '../../ir/types.js';
import { createAuditLog, type AuditLog } from '../../runtime/audit/emitter.js';
import type { AuditSink } from '../../runtime/audit/types.js';
import { createRunEnv, type RunOptions } from '../../runtime/run-options.js';
import { finishRun, startRun } from '../../runtime/steps/lifecycle.js';
import type { RunEnv, RunState, StepOutcome } from '../../runtime/steps/types.js';
import { threadIdentity } from './hash.js';
import { recursionLimitFor } from './limits.js';
import { FINISH_NODE, START_NODE, type NodeBody, type OpenState } from './node-shape.js';
import { AexState, box, unbox, type AexStateType, type AexUpdate, type Halt } from './state.js';
import { contractTopology } from './topology.js';

export { START_NODE, FINISH_NODE } from './node-shape.js';
export { confirmAnswerOf, type ConfirmInterrupt } from './interrupt.js';

export interface LangGraphOptions extends Pick<RunOptions, 'cwd' | 'policy' | 'perms' | 'tools' | 'builtins' | 'model' | 'confirm' | 'sinks' | 'audit' | 'mcpServers' | 'protect'> {
  /**
   * Where threads are saved. Needed for interrupt() (confirmations without a handler) and
   * for resuming. Default: none (then a confirmation without a handler cannot pause).
   */
  checkpointer?: BaseCheckpointSaver;
}

export interface AexGraphInfo {
  nodes: string[];
  /** The identity (contract + permissions) a thread of this graph must carry. */
  identity: string;
  /** Default recursion limit (loops over inputs of unknown length counted generously). */
  recursionLimit: number;
}

/**
 * A node's answer to LangGraph: its update and the node to run next, as a Command
 * (targets declared with `ends`, which is what Mermaid draws). Cheaper per step than a
 * conditional edge, whose fresh state read costs LangGraph time in proportion to the
 * size of the graph — a 1,000-call contract paid ~3 ms per step that way.
 */
function goto(update: Partial<AexUpdate>): Command {
  return new Command({ update, goto: update.route as string });
}

function internalHalt(err: unknown): Halt {
  return { kind: 'blocked', reason: { code: 'AEX070', message: `Internal error: ${err instanceof Error ? err.message : String(err)}` } };
}

/**
 * Builds the LangGraph graph of a task contract and compiles it. The result is an
 * ordinary compiled StateGraph: `invoke({inputs}, {configurable: {thread_id}})`, `stream`,
 * `getState`, interrupts resumed with `new Command({resume: true|false})`.
 * Its final state's `result` is the RunResult (the same as the native interpreter's).
 */
export function taskToLangGraph(ir: IRDocument, options: LangGraphOptions = {}) {
  if (ir.kind !== 'task') throw new Error(`"${ir.name}" is a policy; only a task contract can be run as a graph.`);
  const base = createRunEnv(ir, { ...options, audit: createAuditLog([]) }).env;
  const sinks: AuditSink[] = options.sinks ?? [];
  const sharedAudit: AuditLog | undefined = options.audit;
  const identity = threadIdentity(ir, base.perms);
  // Whether a call needs a confirmation is the kernel's verdict on what the call does (a
  // shell line under `confirm before shell.exec:"git push *"`), known only when it runs:
  // every call step gets a confirmation node as soon as any confirm rule exists.
  const anyConfirm = base.perms.confirm.length > 0 || (base.perms.task?.confirm.length ?? 0) > 0 || (base.perms.policy?.confirm.length ?? 0) > 0;
  const { entry, nodes } = contractTopology(ir.steps, FINISH_NODE, { gated: () => anyConfirm, hasHandler: base.confirm !== undefined });

  const wrap =
    (id: string, body: NodeBody) =>
    async (s: AexStateType): Promise<Command> => {
      if (s.irHash !== identity) {
        throw new Error(`thread was started with a different contract or policy; node ${id} refuses to run it`);
      }
      const audit = sharedAudit ?? createAuditLog(sinks, { startSeq: s.seq });
      const env: RunEnv = { ...base, audit };
      const open: OpenState = { ...s, scopes: unbox(s.scopes), loops: unbox(s.loops), pending: unbox(s.pending) };
      const run: RunState = { scopes: open.scopes.map((sc) => ({ ...sc })), callsUsed: s.callsUsed };
      let update: Partial<AexUpdate>;
      try {
        update = await body(open, env, run);
      } catch (err) {
        if (isGraphBubbleUp(err)) throw err; // interrupt() and friends belong to LangGraph
        update = { halt: internalHalt(err), route: FINISH_NODE, pending: null };
      }
      const out: Partial<AexUpdate> = { scopes: run.scopes, callsUsed: run.callsUsed, seq: audit.seq, ...update };
      // A call waiting for its confirmation may be saved and resumed elsewhere: box its data.
      if (update.pending) {
        out.pending = box(update.pending);
        out.scopes = box(run.scopes);
        out.loops = box(update.loops ?? open.loops);
      }
      return goto(out);
    };

  const graph = new StateGraph(AexState);
  const g = graph as unknown as {
    addNode(id: string, fn: (s: AexStateType) => Promise<Command>, options: { ends: string[] }): unknown;
    addEdge(from: string, to: string): unknown;
  };

  g.addNode(
    START_NODE,
    async (s) => {
      const audit = sharedAudit ?? createAuditLog(sinks, { startSeq: 0 });
      const env: RunEnv = { ...base, audit };
      const started = startRun(env, s.inputs);
      const fresh = { irHash: identity, loops: [], pending: null, halt: null };
      if (started.kind === 'rejected') return goto({ ...fresh, scopes: [], callsUsed: 0, seq: audit.seq, result: started.result, route: END });
      return goto({ ...fresh, scopes: started.state.scopes, callsUsed: started.state.callsUsed, seq: audit.seq, result: null, route: entry });
    },
    { ends: [entry, END] },
  );
  for (const n of nodes) g.addNode(n.id, wrap(n.id, n.body), { ends: n.targets });
  g.addNode(
    FINISH_NODE,
    wrap(FINISH_NODE, (s, env) => {
      const outcome: StepOutcome = s.halt === null ? { kind: 'continue' } : s.halt;
      return { result: finishRun(env, outcome), route: END };
    }),
    { ends: [END] },
  );

  g.addEdge(START, START_NODE);

  const compiled = options.checkpointer ? graph.compile({ checkpointer: options.checkpointer }) : graph.compile();
  const info: AexGraphInfo = {
    nodes: [START_NODE, ...nodes.map((n) => n.id), FINISH_NODE],
    identity,
    recursionLimit: recursionLimitFor(ir),
  };
  return Object.assign(compiled.withConfig({ recursionLimit: info.recursionLimit }), { aex: info });
}

export type AexCompiledGraph = ReturnType<typeof taskToLangGraph>;
