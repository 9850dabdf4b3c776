// The four surfaces a bypass line is judged on, each reduced to one verdict:
//   gate      runGate (the `aex gate` Claude Code hook) with a Bash PreToolUse payload
//   explain   `aex explain --shell LINE` (its in-process function)
//   native    the native interpreter running `do shell.exec(command=LINE)`
//   langgraph the LangGraph backend running the same contract
// The runs use a host tool registry that records calls and never executes anything,
// and a confirmation handler that records the request and refuses.

import { expect } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import { runGate } from '../../src/gate/bundle-entry.js';
import { explain } from '../../src/cli/explain/explain.js';
import { explainRequest } from '../../src/cli/explain/request.js';
import { runIR } from '../../src/runtime/interpreter.js';
import { runWithLangGraph } from '../../src/backends/langgraph/index.js';
import { loadPolicyFile } from '../../src/runtime/policy/load.js';
import { MemorySink } from '../../src/runtime/audit/sinks.js';
import type { IRDocument } from '../../src/ir/types.js';
import type { RunOptions } from '../../src/runtime/run-options.js';
import type { RunResult } from '../../src/runtime/steps/types.js';
import type { ToolRegistry } from '../../src/runtime/tools/types.js';
import type { BypassProject, Expect } from './fixture.js';

/** A surface's verdict, or `error:` and what went wrong (never silently a verdict). */
export type Verdict = Expect | `error: ${string}`;

export type Surface = 'gate' | 'explain' | 'native' | 'langgraph';
export const SURFACES: readonly Surface[] = ['gate', 'explain', 'native', 'langgraph'];

/** Environment the gate and explain see: state outside the project, the project as Claude Code's. */
export function surfaceEnv(p: BypassProject): NodeJS.ProcessEnv {
  return { ...process.env, AEX_STATE_DIR: p.stateDir, CLAUDE_PROJECT_DIR: p.root };
}

export function bashPayload(p: BypassProject, line: string, session = 'bypass-corpus'): string {
  return JSON.stringify({
    session_id: session,
    transcript_path: `${p.stateDir}/transcript.jsonl`,
    cwd: p.root,
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_input: { command: line, description: 'bypass corpus line' },
    tool_use_id: 'toolu_bypass',
  });
}

/**
 * The hook output of the gate as a verdict. Claude Code sees deny for both a deny rule
 * and a missing allow rule; the reason text tells them apart (docs/design.md#the-kernel: "denied by …",
 * "denied: … protected state", "no rule allows …").
 */
export function gateVerdict(out: { stdout: string; stderr: string; exitCode: number }): Verdict {
  if (out.exitCode !== 0) return `error: exit ${out.exitCode}: ${out.stderr.trim()}`;
  let o: { hookSpecificOutput?: { permissionDecision?: string; permissionDecisionReason?: string } };
  try {
    o = JSON.parse(out.stdout);
  } catch {
    return `error: no decision on stdout: ${JSON.stringify(out.stdout)}`;
  }
  const d = o.hookSpecificOutput?.permissionDecision;
  const reason = o.hookSpecificOutput?.permissionDecisionReason ?? '';
  if (d === 'allow') return 'allow';
  if (d === 'ask') return 'confirm';
  if (d === 'deny') {
    if (reason.startsWith('AEX: denied')) return 'deny';
    if (reason.startsWith('AEX: no rule allows')) return 'not_allowed';
    return `error: deny with an unrecognised reason: ${reason}`;
  }
  return `error: unexpected decision ${JSON.stringify(out.stdout)}`;
}

export async function judgeByGate(p: BypassProject, line: string): Promise<Verdict> {
  const saved = { state: process.env.AEX_STATE_DIR, project: process.env.CLAUDE_PROJECT_DIR };
  process.env.AEX_STATE_DIR = p.stateDir;
  process.env.CLAUDE_PROJECT_DIR = p.root;
  try {
    const out = await runGate({ allowNoPolicy: false, deferAllow: false, help: false }, bashPayload(p, line), p.root);
    return gateVerdict(out);
  } finally {
    restore('AEX_STATE_DIR', saved.state);
    restore('CLAUDE_PROJECT_DIR', saved.project);
  }
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

const KERNEL_VERDICTS: Record<string, Expect> = { allow: 'allow', deny: 'deny', not_allowed: 'not_allowed', confirm: 'confirm' };

export async function judgeByExplain(p: BypassProject, line: string): Promise<Verdict> {
  try {
    const request = explainRequest({ shell: line }, () => '', p.root);
    const r = await explain({ request, policy: p.policy, processCwd: p.root, env: surfaceEnv(p) });
    return KERNEL_VERDICTS[r.decision.verdict] ?? `error: verdict ${r.decision.verdict}`;
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

/** The contract every run executes: one shell.exec call carrying the line. */
export function shellContract(line: string): string {
  // JSON string escapes are AEX string escapes (docs/language.md); non-ASCII is escaped too so
  // no line separator or odd space reaches the AEX lexer raw.
  const literal = JSON.stringify(line).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `task bypass_line v1\ngoal "Run one command line of the bypass corpus."\nuse *\n\ndo shell.exec(command=${literal})\nreturn "ran"\n`;
}

export function compileShellContract(line: string): IRDocument {
  const compiled = compileSource(shellContract(line), { path: 'bypass-line.aex' });
  if (!compiled.ok || !compiled.ir) {
    const errs = compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);
    throw new Error(`the contract for ${JSON.stringify(line)} does not compile: ${errs.join('; ')}`);
  }
  return compiled.ir;
}

export interface Recorder {
  tools: ToolRegistry;
  calls: Array<Record<string, unknown>>;
  confirmations: unknown[];
}

/** A registry whose only tool records its call and returns a canned result. */
export function recordingTools(): Recorder {
  const calls: Array<Record<string, unknown>> = [];
  const confirmations: unknown[] = [];
  const tools: ToolRegistry = {
    'shell.exec': async (args: Record<string, unknown>) => {
      calls.push(args);
      return { exit_code: 0, stdout: '', stderr: '' };
    },
  };
  return { tools, calls, confirmations };
}

/** The verdict a run's audit stream shows: its first decision event. */
export function runVerdict(events: ReadonlyArray<Record<string, unknown>>, rec: Recorder): Verdict {
  const first = events.find((e) => ['tool.denied', 'confirm.required', 'tool.allowed', 'budget.exhausted'].includes(String(e.event)));
  if (!first) return `error: no decision event in ${JSON.stringify(events.map((e) => e.event))}`;
  let v: Verdict;
  switch (first.event) {
    case 'tool.allowed':
      v = 'allow';
      break;
    case 'confirm.required':
      v = 'confirm';
      break;
    case 'tool.denied':
      v = first.reason === 'not_allowed' ? 'not_allowed' : first.reason === 'denied' || first.reason === 'protected' ? 'deny' : `error: tool.denied reason ${String(first.reason)}`;
      break;
    default:
      v = `error: ${String(first.event)}`;
  }
  // The recording tool runs exactly when the call was allowed; a refused confirmation never runs it.
  const ran = rec.calls.length;
  if (v === 'allow' && ran !== 1) return `error: allowed but the tool ran ${ran} times`;
  if (v !== 'allow' && ran !== 0) return `error: ${v} but the tool ran`;
  return v;
}

type Backend = (ir: IRDocument, options: RunOptions) => Promise<RunResult | { status: string }>;

async function judgeByRun(p: BypassProject, line: string, backend: Backend): Promise<Verdict> {
  try {
    const ir = compileShellContract(line);
    const policy = (await loadPolicyFile(p.policy, { cwd: p.root })).layer;
    const sink = new MemorySink();
    const rec = recordingTools();
    const options: RunOptions = {
      cwd: p.root,
      policy,
      tools: rec.tools,
      builtins: false,
      sinks: [sink],
      confirm: async (_tool, request) => {
        rec.confirmations.push(request);
        return false;
      },
    };
    await backend(ir, options);
    return runVerdict(sink.events as unknown as Array<Record<string, unknown>>, rec);
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

export const judgeByNative = (p: BypassProject, line: string) => judgeByRun(p, line, runIR);
export const judgeByLangGraph = (p: BypassProject, line: string) => judgeByRun(p, line, runWithLangGraph);

export async function judgeEverywhere(p: BypassProject, line: string): Promise<Record<Surface, Verdict>> {
  // Sequential on purpose: the gate sets process.env for the duration of its call.
  const gate = await judgeByGate(p, line);
  const explainV = await judgeByExplain(p, line);
  const native = await judgeByNative(p, line);
  const langgraph = await judgeByLangGraph(p, line);
  return { gate, explain: explainV, native, langgraph };
}

/** Every surface gives `expect` (so all four agree). */
export function expectEverywhere(line: string, expected: Expect, got: Record<Surface, Verdict>): void {
  const want = Object.fromEntries(SURFACES.map((s) => [s, expected]));
  expect(got, `line ${JSON.stringify(line)}`).toEqual(want);
}
