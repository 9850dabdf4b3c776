// taskToLangGraph: an IR task contract as a real, runnable LangGraph StateGraph
// (SPEC D5, §3.3; ARCHITECTURE principle 3). Every node is a small async function that
// calls the same step functions as the native interpreter; the graph only moves control:
//
//   run_start → step nodes … → run_finish → END
//   call    call_L_C (prepare, and execute when no confirmation is needed)
//           call_L_C_confirm (interrupt() or the confirmation handler) → call_L_C_execute
//   make / check / return   one node each (return → run_finish)
//   if      if_L_C ─true→ body … → if_L_C_end → next;  ─false→ next
//   for     for_L_C → body … → for_L_C_next ─more→ body;  ─done→ next
//
// Each node names the node to go to in `route`, and sets `halt` when the run ends. `if` and
// `for` nodes branch through conditional edges that read `route`; every other node
// returns a Command whose goto is `route` (its possible targets declared with `ends`). The audit sequence lives in the state, so a thread resumed
// in another process continues numbering where it stopped.

import { Command, END, START, StateGraph, interrupt, isGraphBubbleUp, type BaseCheckpointSaver } from '@langchain/langgraph';
import { Runnable } from '@langchain/core/runnables';
import type { IRDocument, JsonValue, Step } from '../../ir/types.js';
import { createAuditLog, type AuditLog } from '../../runtime/audit/emitter.js';
import type { AuditSink } from '../../runtime/audit/types.js';
import { createRunEnv, type RunOptions } from '../../runtime/run-options.js';
import { applyConfirmation, askConfirmation, executeCall, prepareCall, recheckCall } from '../../runtime/steps/call.js';
import { beginFor, beginIf, execCheck, execReturn } from '../../runtime/steps/control.js';
import { finishRun, startRun } from '../../runtime/steps/lifecycle.js';
import { execMake } from '../../runtime/steps/make.js';
import { popScope, pushScope } from '../../runtime/steps/scope.js';
import type { ConfirmAnswer, PreparedCall, RunEnv, RunState, StepOutcome } from '../../runtime/steps/types.js';
import { threadIdentity } from './hash.js';
import { recursionLimitFor } from './limits.js';
import { AexState, box, unbox, type AexStateType, type AexUpdate, type Halt, type LoopCursor } from './state.js';

export const START_NODE = 'run_start';
export const FINISH_NODE = 'run_finish';

/** What a confirmation interrupt surfaces to the caller (`__interrupt__[0].value`). */
export interface ConfirmInterrupt {
  type: 'aex.confirm';
  node: string;
  tool: string;
  args: Record<string, JsonValue>;
  line: number;
  /** The kernel's text: the confirm rule and the action it applies to. */
  message: string;
}

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

/** The state a node body sees: the boxed channels opened (./state.ts). */
type OpenState = Omit<AexStateType, 'scopes' | 'loops' | 'pending'> & { scopes: RunState['scopes']; loops: LoopCursor[]; pending: PreparedCall | null };

type NodeBody = (s: OpenState, env: RunEnv, run: RunState) => Promise<Partial<AexUpdate>> | Partial<AexUpdate>;

/** The answer carried by Command({resume}): true/false, {approved}, {error}, {refused}. */
export function confirmAnswerOf(value: unknown): ConfirmAnswer {
  if (value === true || value === false) return value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (typeof o.approved === 'boolean') return o.approved;
    if (typeof o.error === 'string') return { error: o.error };
    if (typeof o.refused === 'string') return { refused: o.refused };
  }
  // Fail closed: anything that is not clearly an approval refuses.
  return { error: `unrecognised confirmation answer ${JSON.stringify(value) ?? String(value)}` };
}

function stepId(step: Step): string {
  return `${step.op}_${step.loc.line}_${step.loc.column}`;
}

function outcomeUpdate(out: StepOutcome, next: string): Partial<AexUpdate> {
  if (out.kind === 'continue') return { route: next };
  const halt: Halt = out.kind === 'return' ? { kind: 'return', value: out.value } : { kind: 'blocked', reason: out.reason };
  return { halt, route: FINISH_NODE };
}

class GraphBuilder {
  readonly nodes = new Map<string, { body: NodeBody; targets: string[]; branch: boolean }>();
  constructor(
    private readonly confirmTools: (tool: string) => boolean,
    private readonly hasHandler: boolean,
  ) {}

  /** `branch`: the node decides between paths of the program (if / for), routed by a conditional edge. */
  private add(id: string, targets: string[], body: NodeBody, branch = false): void {
    if (this.nodes.has(id)) throw new Error(`internal: duplicate graph node ${id}`);
    this.nodes.set(id, { body, targets: [...new Set(targets)], branch });
  }

  /** Adds the nodes of a block whose normal end continues at `next`; returns its entry. */
  block(steps: Step[], next: string): string {
    let entry = next;
    for (let i = steps.length - 1; i >= 0; i--) entry = this.step(steps[i]!, entry);
    return entry;
  }

  private step(step: Step, next: string): string {
    const id = stepId(step);
    switch (step.op) {
      case 'call': {
        const gated = this.confirmTools(step.tool);
        const gate = `${id}_confirm`;
        const exec = `${id}_execute`;
        this.add(id, gated ? [next, gate, FINISH_NODE] : [next, FINISH_NODE], async (_s, env, run) => {
          const prep = await prepareCall(step, run, env);
          if (prep.kind === 'blocked') return outcomeUpdate(prep, next);
          if (prep.call.needsConfirmation) {
            if (!gated) {
              return outcomeUpdate(
                { kind: 'blocked', reason: { code: 'AEX070', message: `Internal error: no confirmation gate for "${step.tool}".`, line: step.loc.line } },
                next,
              );
            }
            return { pending: prep.call, route: gate };
          }
          return outcomeUpdate(await executeCall(prep.call, run, env), next);
        });
        if (gated) {
          const hasHandler = this.hasHandler;
          // Nothing with a side effect runs before interrupt(): LangGraph re-runs this
          // node from its first line when the thread is resumed.
          this.add(gate, [exec, FINISH_NODE], async (s, env) => {
            const call = s.pending!;
            let answer: ConfirmAnswer;
            if (hasHandler) {
              answer = await askConfirmation(call, env);
            } else {
              const payload: ConfirmInterrupt = { type: 'aex.confirm', node: gate, tool: call.tool, args: call.args, line: call.line, message: call.message };
              answer = confirmAnswerOf(interrupt(payload));
            }
            const out = applyConfirmation(call, answer, env);
            return out.kind === 'continue' ? { route: exec } : { ...outcomeUpdate(out, exec), pending: null };
          });
          this.add(exec, [next, FINISH_NODE], async (s, env, run) => {
            // The pending call may come from a checkpoint file: decided again, never trusted.
            const checked = await recheckCall(step, s.pending!, run, env);
            if (checked.kind === 'blocked') return { ...outcomeUpdate(checked, next), pending: null };
            const out = await executeCall(checked.call, run, env);
            return { ...outcomeUpdate(out, next), pending: null };
          });
        }
        return id;
      }
      case 'make':
        this.add(id, [next, FINISH_NODE], async (_s, env, run) => outcomeUpdate(await execMake(step, run, env), next));
        return id;
      case 'check':
        this.add(id, [next, FINISH_NODE], (_s, env, run) => outcomeUpdate(execCheck(step, run, env), next));
        return id;
      case 'return':
        this.add(id, [FINISH_NODE], (_s, env, run) => outcomeUpdate(execReturn(step, run, env), next));
        return id;
      case 'if': {
        const end = `${id}_end`;
        this.add(end, [next], (_s, _env, run) => {
          popScope(run);
          return { route: next };
        });
        const body = this.block(step.then, end);
        this.add(id, [body, next], (_s, env, run) => {
          if (!beginIf(step, run, env)) return { route: next };
          pushScope(run, {});
          return { route: body };
        }, true);
        return id;
      }
      case 'for': {
        const more = `${id}_next`;
        const body = this.block(step.body, more);
        this.add(more, [body, next], (s, _env, run) => {
          popScope(run);
          const loops = s.loops.slice();
          const cur = loops[loops.length - 1]!;
          const index = cur.index + 1;
          if (index >= cur.items.length) {
            loops.pop();
            return { loops, route: next };
          }
          loops[loops.length - 1] = { ...cur, index };
          pushScope(run, { [step.var]: cur.items[index]! });
          return { loops, route: body };
        }, true);
        this.add(id, [body, next, FINISH_NODE], (s, env, run) => {
          const b = beginFor(step, run, env);
          if (b.kind === 'blocked') return outcomeUpdate(b, next);
          if (b.items.length === 0) return { route: next };
          pushScope(run, { [step.var]: b.items[0]! });
          return { loops: [...s.loops, { node: id, items: b.items, index: 0 }], route: body };
        }, true);
        return id;
      }
      default:
        throw new Error(`internal: unknown step op "${(step as { op: string }).op}"`);
    }
  }
}

const SUFFIX_ORDER = ['', '_confirm', '_execute', '_next', '_end'];

/** Source order: by line, then column, then the part of the step (gate after its call). */
function nodeOrder(a: string, b: string): number {
  const key = (id: string) => {
    const m = /^[a-z]+_(\d+)_(\d+)(_[a-z]+)?$/.exec(id)!;
    return [Number(m[1]), Number(m[2]), SUFFIX_ORDER.indexOf(m[3] ?? '')];
  };
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < 3; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
  return 0;
}

/**
 * A sequential node's answer to LangGraph: its update and the node to run next, as a
 * Command (targets declared with `ends`, which is what Mermaid draws). Cheaper per step
 * than a conditional edge, whose fresh state read costs LangGraph time in proportion to
 * the size of the graph — a 1,000-call contract paid ~3 ms per step that way.
 */
function goto(update: Partial<AexUpdate>): Command {
  return new Command({ update, goto: update.route as string });
}

/**
 * The path function of the conditional edges of `if` and `for` nodes: the branch the node
 * chose. A bare Runnable, because LangGraph wraps a plain function in a traced
 * RunnableLambda whose callback bookkeeping costs more than the decision itself.
 */
class ChosenBranch extends Runnable<AexStateType, string> {
  lc_namespace = ['aex', 'langgraph'];
  override async invoke(s: AexStateType): Promise<string> {
    return s.route;
  }
}
const chosenBranch = new ChosenBranch();

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
  const builder = new GraphBuilder(() => anyConfirm, base.confirm !== undefined);
  const entry = builder.block(ir.steps, FINISH_NODE);

  const wrap =
    (id: string, body: NodeBody, branch = false) =>
    async (s: AexStateType): Promise<Command | Partial<AexUpdate>> => {
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
      return branch ? out : goto(out);
    };

  const graph = new StateGraph(AexState);
  const g = graph as unknown as {
    addNode(id: string, fn: (s: AexStateType) => Promise<Command | Partial<AexUpdate>>, options?: { ends: string[] }): unknown;
    addEdge(from: string, to: string): unknown;
    addConditionalEdges(from: string, path: Runnable<AexStateType, string>, targets: string[]): unknown;
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
  // Steps after a `return` (and the scope-closing node of a body that always returns)
  // can never run; LangGraph refuses unreachable nodes, so they are left out.
  const reachable = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const id = todo.pop()!;
    if (reachable.has(id) || !builder.nodes.has(id)) continue;
    reachable.add(id);
    todo.push(...builder.nodes.get(id)!.targets);
  }
  const nodes = [...builder.nodes].filter(([id]) => reachable.has(id)).sort((a, b) => nodeOrder(a[0], b[0]));
  for (const [id, n] of nodes) {
    if (n.branch) g.addNode(id, wrap(id, n.body, true));
    else g.addNode(id, wrap(id, n.body), { ends: n.targets });
  }
  g.addNode(
    FINISH_NODE,
    wrap(FINISH_NODE, (s, env) => {
      const outcome: StepOutcome = s.halt === null ? { kind: 'continue' } : s.halt;
      return { result: finishRun(env, outcome), route: END };
    }),
    { ends: [END] },
  );

  g.addEdge(START, START_NODE);
  for (const [id, n] of nodes) if (n.branch) g.addConditionalEdges(id, chosenBranch, n.targets);

  const compiled = options.checkpointer ? graph.compile({ checkpointer: options.checkpointer }) : graph.compile();
  const info: AexGraphInfo = {
    nodes: [START_NODE, ...nodes.map(([id]) => id), FINISH_NODE],
    identity,
    recursionLimit: recursionLimitFor(ir),
  };
  return Object.assign(compiled.withConfig({ recursionLimit: info.recursionLimit }), { aex: info });
}

export type AexCompiledGraph = ReturnType<typeof taskToLangGraph>;
