// Running a policy test file (`aex test`, docs/policy-tests.md): every case becomes the
// call it stands for, described by the describer the enforcing surface uses (describeCall
// for a capability, the host's hook describer for a payload) and decided by the kernel's
// decideCall against the policy of the test file's project — the decision a gate or a run
// would make, with no budget spent, no grant applied and nothing executed.

import path from 'node:path';
import type { Diagnostic } from '../compiler/diagnostics.js';
import { diag } from '../compiler/diagnostics.js';
import type { DescribedCall } from '../describe/types.js';
import type { EffectivePermissions } from '../rules/types.js';
import { decideCall } from '../runtime/kernel/decide.js';
import { displayPath } from '../io/display-path.js';
import type { CallDecision, CallVerdict } from '../runtime/kernel/types.js';
import { discoverPolicy, loadPolicyFile, PolicyError } from '../runtime/policy/load.js';
import { projectRootOf } from '../runtime/policy/project-root.js';
import { stateDirectory } from '../runtime/state-dir.js';
import { readBoundedText } from '../io/bounded-read.js';
import { mergePermissions } from '../rules/merge.js';
import { describeForKernel } from '../runtime/steps/describe.js';
import { describeContextFor, describeHookCall } from '../adapters/claude-code/hook-call.js';
import { capabilityFor } from '../adapters/claude-code/mapping.js';
import { callOfCase, parsePolicyTestFile, type ExpectVerdict, type PayloadCase, type PolicyTestCase } from './parse.js';

export interface CaseResult {
  line: number;
  expect: ExpectVerdict;
  got: CallVerdict;
  pass: boolean;
  /** The call as a person reads it: `shell.exec "git status"`, `payload claude-code "x.json"`. */
  call: string;
  /** The rule that decided, as written with its keyword (or `protected …`, `grant …`). */
  rule?: string;
  /** FILE:LINE of that rule, relative to the project root. */
  source?: string;
  /** The kernel's text: the refusal or confirmation a model would see. */
  message: string;
}

export interface FileResult {
  file: string;
  name: string;
  version: string;
  root: string;
  policy?: string;
  cases: CaseResult[];
  /** Problems that kept the file (or some of its cases) from running. */
  diagnostics: Diagnostic[];
  /** The text of the file, for showing diagnostics with a caret. */
  source: string;
}

export interface RunOptions {
  /** The policy under test; default: the file's `policy` line, else discovery at the project root. */
  policy?: string;
  processCwd: string;
  env?: NodeJS.ProcessEnv;
}

function callText(c: PolicyTestCase): string {
  if (c.kind === 'payload') return `payload ${c.host} ${JSON.stringify(c.file)}`;
  return `${c.tool} ${JSON.stringify(c.value)}`;
}

/** Where the decision names its rule: the first event of a refusal, the allowed event's first action. */
function decidingRule(d: CallDecision, root: string): { rule?: string; source?: string } {
  const e = (d.events[0] ?? d.proceed.find((x) => x.event === 'tool.allowed')) as Record<string, unknown> | undefined;
  if (!e) return {};
  const one = Array.isArray(e.actions) ? (e.actions as Record<string, unknown>[]).find((a) => a.rule !== undefined) : e;
  const out: { rule?: string; source?: string } = {};
  // A protected entry is an absolute glob: shown, like a rule's source, from the root.
  if (typeof one?.rule === 'string') out.rule = one.rule.startsWith('protected /') ? `protected ${displayPath(one.rule.slice('protected '.length), root)}` : one.rule;
  if (typeof one?.source === 'string') out.source = one.source;
  return out;
}

class CaseError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A Claude Code PreToolUse payload from a file next to the test, described as the gate does. */
async function describePayload(c: PayloadCase, testDir: string, root: string, perms: EffectivePermissions): Promise<DescribedCall> {
  const file = path.resolve(testDir, c.file);
  let payload: unknown;
  try {
    payload = JSON.parse(readBoundedText(file, { what: 'hook payload' }));
  } catch (err) {
    throw new CaseError(`cannot read the payload ${c.file}: ${err instanceof Error ? err.message : String(err)}`, c.fileColumn);
  }
  if (!isPlainObject(payload) || typeof payload.tool_name !== 'string' || payload.tool_name === '' || !isPlainObject(payload.tool_input)) {
    throw new CaseError(`${c.file} is not a ${c.host} hook payload: it needs "tool_name" (a string) and "tool_input" (an object)`, c.fileColumn);
  }
  // A relative cwd starts at the project root, so fixtures work on every machine.
  const cwd = typeof payload.cwd === 'string' && payload.cwd !== '' ? path.resolve(root, payload.cwd) : root;
  const tool = capabilityFor(payload.tool_name);
  return describeHookCall(payload.tool_name, payload.tool_input, describeContextFor(root, cwd, tool, perms));
}

async function describeCase(c: PolicyTestCase, testDir: string, root: string, perms: EffectivePermissions): Promise<DescribedCall> {
  if (c.kind === 'payload') return describePayload(c, testDir, root, perms);
  const call = callOfCase(c);
  const ctx = describeContextFor(root, root, call.tool, perms);
  return describeForKernel({ tool: call.tool, args: call.args, ...(call.tool.startsWith('mcp.') ? { mcp: true } : {}) }, ctx);
}

function policyDiagnostics(err: PolicyError, fallback: { line: number; column: number }): Diagnostic[] {
  const errors = err.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return errors;
  return [diag('AEX141', 'error', err.message, fallback.line, fallback.column)];
}

/** Runs one policy test file. Never throws for a problem of the file: it is a diagnostic. */
export async function runPolicyTestFile(file: string, opts: RunOptions): Promise<FileResult> {
  const env = opts.env ?? process.env;
  const abs = path.resolve(opts.processCwd, file);
  const testDir = path.dirname(abs);
  const root = projectRootOf(testDir);
  const result: FileResult = { file: abs, name: '', version: '', root, cases: [], diagnostics: [], source: '' };
  try {
    result.source = readBoundedText(abs, { what: 'policy test' });
  } catch (err) {
    result.diagnostics.push(diag('AEX141', 'error', err instanceof Error ? err.message : String(err), 0, 0));
    return result;
  }
  const parsed = parsePolicyTestFile(result.source);
  result.name = parsed.name;
  result.version = parsed.version;
  result.diagnostics.push(...parsed.diagnostics);
  if (parsed.diagnostics.length > 0) return result;

  const at = parsed.policy ?? { line: 1, column: 1 };
  const policyFile =
    opts.policy !== undefined ? path.resolve(opts.processCwd, opts.policy) : parsed.policy ? path.resolve(testDir, parsed.policy.file) : discoverPolicy(root);
  if (policyFile === undefined) {
    result.diagnostics.push(diag('AEX141', 'error', `no policy to test: none at ${root} (.aex/policy.aex or aex.policy.aex); name one with \`policy "FILE"\` or --policy`, 1, 1));
    return result;
  }
  result.policy = policyFile;
  let perms: EffectivePermissions;
  try {
    const policy = await loadPolicyFile(policyFile, { cwd: root });
    perms = mergePermissions({ policy: policy.layer, cwd: root });
  } catch (err) {
    if (err instanceof PolicyError) result.diagnostics.push(...policyDiagnostics(err, at));
    else result.diagnostics.push(diag('AEX141', 'error', `cannot load the policy ${policyFile}: ${err instanceof Error ? err.message : String(err)}`, at.line, at.column));
    return result;
  }
  // The gate protects AEX's state folder as well; a test sees the same protected set.
  const protect = [path.join(stateDirectory(env), '**')];
  for (const c of parsed.cases) {
    let described: DescribedCall;
    try {
      described = await describeCase(c, testDir, root, perms);
    } catch (err) {
      if (!(err instanceof CaseError)) throw err;
      result.diagnostics.push(diag('AEX141', 'error', err.message, c.line, err.column));
      continue;
    }
    const d = decideCall(perms, { callsUsed: 0 }, described, { protect });
    result.cases.push({ line: c.line, expect: c.expect, got: d.verdict, pass: d.verdict === c.expect, call: callText(c), ...decidingRule(d, root), message: d.message });
  }
  return result;
}
