// Cross-backend conformance cases as data (docs/design.md "Conformance cases").
//
// A case is a folder under tests/conformance/cases/<name>/ holding:
//   contract.aex            the task contract
//   policy.aex|policy.json  optional policy layer
//   inputs.json             the inputs object (default {})
//   tools.json              scripted tools: {NAME: [result, result, {"throws": "msg"}, ...]}
//                           results are returned in order; after the last one the last repeats;
//                           {"echo": true} as a result returns the call's arguments.
//   model.json              optional scripted model answers (same list semantics); absent → no model
//   confirm.json            optional answers: true/false (always) or a list of true/false/{"throws"};
//                           absent → no confirmation handler (refusal "no_handler")
//   expected.json           {status, output?, reasons?, events: [...]} — events without ts and seq
//
// Only scripted tools are registered (no built-ins), so cases are deterministic and
// touch nothing outside the case folder.

import { expect } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSource } from '../../src/compiler/index.js';
import type { IRDocument, JsonValue } from '../../src/ir/types.js';
import type { PermissionLayer } from '../../src/rules/types.js';
import { loadPolicyFile } from '../../src/runtime/policy/load.js';
import type { ToolRegistry } from '../../src/runtime/tools/types.js';
import { MemorySink } from '../../src/runtime/audit/sinks.js';
import type { RunOptions } from '../../src/runtime/run-options.js';
import type { ConfirmHandler, MakeRequest, ModelHandler, RunResult } from '../../src/runtime/steps/types.js';

export const CASES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cases');

export interface ExpectedOutcome {
  status: 'success' | 'blocked';
  output?: JsonValue;
  reasons?: Array<{ code: string; message?: string; line?: number }>;
  /** The whole event stream (without ts and seq). */
  events?: Array<Record<string, unknown>>;
  /** For very long runs instead of `events`: the count, and the first and last events. */
  eventCount?: number;
  firstEvents?: Array<Record<string, unknown>>;
  lastEvents?: Array<Record<string, unknown>>;
}

export interface ConformanceCase {
  name: string;
  dir: string;
  contractPath: string;
  contract: string;
  policyPath?: string;
  inputs: unknown;
  tools: Record<string, unknown[]>;
  model?: unknown[];
  confirm?: boolean | unknown[];
  expected: ExpectedOutcome;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}

function optionalJson(file: string): unknown {
  return existsSync(file) ? readJson(file) : undefined;
}

export function loadCase(dir: string): ConformanceCase {
  const contractPath = path.join(dir, 'contract.aex');
  const c: ConformanceCase = {
    name: path.basename(dir),
    dir,
    contractPath,
    contract: readFileSync(contractPath, 'utf8'),
    inputs: optionalJson(path.join(dir, 'inputs.json')) ?? {},
    tools: (optionalJson(path.join(dir, 'tools.json')) as Record<string, unknown[]>) ?? {},
    expected: readJson(path.join(dir, 'expected.json')) as ExpectedOutcome,
  };
  for (const p of ['policy.aex', 'policy.json']) if (existsSync(path.join(dir, p))) c.policyPath = path.join(dir, p);
  const model = optionalJson(path.join(dir, 'model.json'));
  if (model !== undefined) c.model = Array.isArray(model) ? model : [model];
  const confirm = optionalJson(path.join(dir, 'confirm.json'));
  if (confirm !== undefined) c.confirm = confirm as boolean | unknown[];
  return c;
}

/** Every case folder, sorted by name. */
export function loadCases(dir: string = CASES_DIR): ConformanceCase[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'contract.aex')))
    .map((d) => loadCase(path.join(dir, d.name)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A scripted answer list: returns entries in order, then repeats the last one. */
function script(list: unknown[]): (arg: unknown) => Promise<unknown> {
  let i = 0;
  return async (arg: unknown) => {
    const entry = list.length === 0 ? null : list[Math.min(i, list.length - 1)];
    i += 1;
    if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
      const o = entry as Record<string, unknown>;
      if (typeof o.throws === 'string') throw new Error(o.throws);
      if (o.echo === true) return arg;
    }
    return entry;
  };
}

export function scriptedTools(spec: Record<string, unknown[]>): ToolRegistry {
  const reg: ToolRegistry = {};
  for (const [name, list] of Object.entries(spec)) {
    const next = script(Array.isArray(list) ? list : [list]);
    reg[name] = (args) => next(args);
  }
  return reg;
}

export function scriptedModel(list: unknown[]): ModelHandler {
  const next = script(list);
  return (req: MakeRequest) => next(req) as Promise<JsonValue>;
}

export function scriptedConfirm(spec: boolean | unknown[]): ConfirmHandler {
  if (typeof spec === 'boolean') return () => spec;
  const next = script(spec);
  return async (_tool, req) => (await next(req)) === true;
}

export interface PreparedCase {
  ir: IRDocument;
  options: RunOptions;
  sink: MemorySink;
}

/** Compiles the case and builds the run options every backend receives. */
export async function prepareCase(c: ConformanceCase): Promise<PreparedCase> {
  const compiled = compileSource(c.contract, { path: c.contractPath });
  if (!compiled.ok || !compiled.ir) {
    const errs = compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} line ${d.line}: ${d.message}`);
    throw new Error(`case ${c.name}: contract does not compile: ${errs.join('; ')}`);
  }
  let policy: PermissionLayer | undefined;
  if (c.policyPath) policy = (await loadPolicyFile(c.policyPath, { cwd: c.dir })).layer;
  const sink = new MemorySink();
  const options: RunOptions = {
    inputs: c.inputs as Record<string, unknown>,
    cwd: c.dir,
    tools: scriptedTools(c.tools),
    builtins: false,
    sinks: [sink],
  };
  if (policy) options.policy = policy;
  if (c.model) options.model = scriptedModel(c.model);
  if (c.confirm !== undefined) options.confirm = scriptedConfirm(c.confirm);
  return { ir: compiled.ir, options, sink };
}

export type Backend = (ir: IRDocument, options: RunOptions) => Promise<RunResult>;

export interface CaseRun {
  result: RunResult;
  /** Events without ts and seq. */
  events: Array<Record<string, unknown>>;
  /** The seq numbers, for checking they count 1..n. */
  seqs: number[];
}

export async function runCase(c: ConformanceCase, backend: Backend): Promise<CaseRun> {
  const { ir, options, sink } = await prepareCase(c);
  const result = await backend(ir, options);
  const seqs = sink.events.map((e) => e.seq);
  const events = sink.events.map(({ ts: _ts, seq: _seq, ...rest }) => rest as Record<string, unknown>);
  return { result, events, seqs };
}

/** The part of a RunResult a case states (reasons compared on the fields the case gives). */
export function resultView(c: ConformanceCase, r: RunResult): Record<string, unknown> {
  const view: Record<string, unknown> = { status: r.status };
  if ('output' in c.expected) view.output = r.output;
  if (c.expected.reasons) {
    view.reasons = r.reasons.map((x, i) => {
      const want = c.expected.reasons![i] ?? {};
      const out: Record<string, unknown> = { code: x.code };
      if ('message' in want) out.message = x.message;
      if ('line' in want) out.line = x.line;
      return out;
    });
  }
  return view;
}

export function expectedView(c: ConformanceCase): Record<string, unknown> {
  const view: Record<string, unknown> = { status: c.expected.status };
  if ('output' in c.expected) view.output = c.expected.output;
  if (c.expected.reasons) view.reasons = c.expected.reasons;
  return view;
}

/** Asserts one run of a case against the case's expectations (shared by both backends). */
export function expectCaseOutcome(c: ConformanceCase, run: CaseRun): void {
  expect(resultView(c, run.result)).toEqual(expectedView(c));
  // issues mirror reasons
  expect(run.result.issues).toEqual(run.result.reasons.map((r) => `${r.code}: ${r.message}`));
  expect(run.seqs).toEqual(run.seqs.map((_, i) => i + 1));
  if (c.expected.events) expect(run.events).toEqual(c.expected.events);
  if (c.expected.eventCount !== undefined) expect(run.events.length).toBe(c.expected.eventCount);
  if (c.expected.firstEvents) expect(run.events.slice(0, c.expected.firstEvents.length)).toEqual(c.expected.firstEvents);
  if (c.expected.lastEvents) expect(run.events.slice(-c.expected.lastEvents.length)).toEqual(c.expected.lastEvents);
  const last = run.events[run.events.length - 1];
  expect(['run.finished', 'run.rejected']).toContain(last?.event);
}
