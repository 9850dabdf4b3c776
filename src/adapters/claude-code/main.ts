// `aex gate`: the Claude Code PreToolUse hook (SPEC §7, decision D2, SPEC-2 D9).
//
// The gate describes the call (describeHookCall: the shell describer, and with it
// the parser, is loaded only when a shell call arrives) and hands it to the kernel
// (decideCall), whose verdict, text and events it passes on; it decides nothing itself.
//
// bin/aex.js imports this module directly, without cac or any other command, because
// the gate runs once per agent tool call. It loads only the describers, the kernel and
// the policy loader, and the loader keeps compiled policies in .aex/cache keyed by hash.
//
// Output contract (Claude Code hook protocol): a decision is JSON on stdout with exit
// 0; anything that prevents a decision exits 2 with the reason on stderr, which
// blocks the call. No error path ever exits 0 or 1 (1 would let the call through).

import path from 'node:path';
import { readSync, statSync, writeSync } from 'node:fs';
import type { AuditEventData, CallDecision } from '../../runtime/kernel/types.js';
import type { EffectivePermissions, PermissionLayer } from '../../rules/types.js';
import { decideCall } from '../../runtime/kernel/decide.js';
import { canonicalPath } from '../../runtime/policy/paths.js';
import { discoverPolicy, loadPolicyLayerCached, loadTaskLayerCached } from '../../runtime/policy/load.js';
import { mergePermissions } from '../../rules/merge.js';
import { capabilityFor } from './mapping.js';
import { describeContextFor, describeHookCall } from './hook-call.js';
import { spendBudget, withSessionLedgerLock } from '../../runtime/state/budget.js';
import { appendGateAudit, sessionFilePart } from './audit.js';
import { policyCacheDirectory, projectStateDirectory, stateDirectory } from '../../runtime/state-dir.js';
import { projectRootOf } from '../../runtime/policy/project-root.js';

export interface GateOptions {
  policy?: string;
  contract?: string;
  allowNoPolicy: boolean;
  deferAllow: boolean;
  help: boolean;
}

export interface GateOutcome {
  stdout: string;
  stderr: string;
  exitCode: 0 | 2;
}

/** A failure that must block the call: exit 2, message on stderr. */
export class GateError extends Error {
  override name = 'GateError';
}

export function parseGateArgs(args: readonly string[]): GateOptions {
  const opts: GateOptions = { allowNoPolicy: false, deferAllow: false, help: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new GateError(`option ${name} needs a file name`);
      return v;
    };
    switch (name) {
      case '--policy':
        opts.policy = value();
        break;
      case '--contract':
        opts.contract = value();
        break;
      case '--allow-no-policy':
        opts.allowNoPolicy = true;
        break;
      case '--defer-allow':
        opts.deferAllow = true;
        break;
      case '--emit-allow':
        // SPEC §7.2's opt-in; decision D2 made the explicit allow the default.
        break;
      case '-h':
      case '--help':
        opts.help = true;
        break;
      default:
        throw new GateError(`unknown option ${JSON.stringify(a)} (see aex gate --help)`);
    }
  }
  return opts;
}

type HookDecision = 'allow' | 'deny' | 'ask';

function decisionJson(decision: HookDecision, reason: string): string {
  return (
    JSON.stringify({
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: decision,
        permissionDecisionReason: `AEX: ${reason}`,
      },
    }) + '\n'
  );
}

interface HookInput {
  sessionId: string;
  cwd: string;
  toolName: string;
  toolInput: Record<string, unknown>;
  /** tool_use_id, agent_id, agent_type, permission_mode when the host sent them (SPEC-2 §19). */
  context: Record<string, string>;
}

/** Hook fields recorded in every audit event of the call (SPEC-2 §19). */
const RECORDED_FIELDS = ['tool_use_id', 'agent_id', 'agent_type', 'permission_mode'] as const;

/** Validates the hook payload. Returns null for events the gate does not handle. */
function parseHookInput(text: string, processCwd: string): HookInput | null {
  if (text.trim() === '') throw new GateError('no input received on stdin');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new GateError('invalid JSON on stdin');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new GateError('hook input must be a JSON object');
  const o = raw as Record<string, unknown>;
  const event = o.hook_event_name;
  if (event !== undefined && typeof event !== 'string') throw new GateError('hook_event_name must be a string');
  if (event !== undefined && event !== 'PreToolUse') return null;
  const toolName = o.tool_name;
  if (toolName === undefined || toolName === null || toolName === '') throw new GateError('missing tool_name in input');
  if (typeof toolName !== 'string') throw new GateError('tool_name must be a string');
  const toolInput = o.tool_input ?? {};
  if (toolInput === null || typeof toolInput !== 'object' || Array.isArray(toolInput)) throw new GateError('tool_input must be a JSON object');
  const cwdRaw = o.cwd;
  if (cwdRaw !== undefined && (typeof cwdRaw !== 'string' || cwdRaw === '' || cwdRaw.includes('\0'))) throw new GateError('cwd must be a non-empty string');
  const sid = o.session_id;
  if (sid !== undefined && sid !== null && typeof sid !== 'string') throw new GateError('session_id must be a string');
  let cwd = path.resolve(processCwd, (cwdRaw as string | undefined) ?? '.');
  try {
    cwd = canonicalPath(cwd, processCwd);
  } catch (err) {
    throw new GateError(`cannot resolve cwd ${cwd}: ${(err as Error).message}`);
  }
  // A made-up cwd is no base for relative paths and no place to look for a policy.
  if (!isDirectory(cwd)) throw new GateError(`cwd ${cwd} is not an existing directory`);
  const context: Record<string, string> = {};
  for (const f of RECORDED_FIELDS) if (typeof o[f] === 'string' && o[f] !== '') context[f] = o[f] as string;
  return { sessionId: typeof sid === 'string' && sid !== '' ? sid : '', cwd, toolName, toolInput: toolInput as Record<string, unknown>, context };
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The project the host was started in (SPEC-2 §16.4), never the agent's current
 * directory: CLAUDE_PROJECT_DIR, else the outermost ancestor of the hook's cwd that holds
 * a policy (so a policy planted in a subdirectory never wins), else the cwd.
 */
function projectRoot(cwd: string, env: NodeJS.ProcessEnv): string {
  const named = env.CLAUDE_PROJECT_DIR;
  if (named === undefined || named === '') return projectRootOf(cwd);
  let root: string;
  try {
    root = canonicalPath(path.resolve(named), cwd);
  } catch (err) {
    throw new GateError(`cannot resolve CLAUDE_PROJECT_DIR ${named}: ${(err as Error).message}`);
  }
  if (!isDirectory(root)) throw new GateError(`CLAUDE_PROJECT_DIR ${root} is not an existing directory`);
  return root;
}

function displayPath(file: string, root: string): string {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/**
 * The whole gate, minus stdin/stdout: hook input text in, what to print and the exit
 * code out. Every exception becomes exit 2 (blocks the call).
 */
export async function runGate(opts: GateOptions, stdinText: string, processCwd: string): Promise<GateOutcome> {
  try {
    return await decide(opts, stdinText, processCwd);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return { stdout: '', stderr: `aex gate: ${msg.split('\n')[0]}\n`, exitCode: 2 };
  }
}

async function decide(opts: GateOptions, stdinText: string, processCwd: string): Promise<GateOutcome> {
  const input = parseHookInput(stdinText, processCwd);
  if (input === null) return { stdout: '', stderr: '', exitCode: 0 };
  const { cwd, toolName } = input;
  const env = process.env;
  const root = projectRoot(cwd, env);
  // Without a session id every such call shares one budget and one audit file.
  const sid = input.sessionId || 'no-session';
  const tool = capabilityFor(toolName);
  // Budget and audit live outside the workspace (SPEC-2 §16.2).
  const state = projectStateDirectory(root, env);
  const auditFile = path.join(state, 'audit', `gate-${sessionFilePart(sid)}.jsonl`);
  const surface: Record<string, unknown> = { hook_tool: toolName, ...input.context };

  // --policy does not change the root; discovery looks at the root only (SPEC-2 §16.4).
  const policyFile = opts.policy !== undefined ? path.resolve(processCwd, opts.policy) : discoverPolicy(root);
  if (policyFile === null || policyFile === undefined) {
    // Not a decision on rules: there are none. The gate can only refuse (or, when told, let through).
    const where = `no policy found (looked for .aex/policy.aex and aex.policy.aex in ${root})`;
    const base = { tool, ...surface };
    if (opts.allowNoPolicy) {
      withSessionLedgerLock(state, sid, () => appendGateAudit(auditFile, [{ event: 'tool.allowed', ...base, reason: 'no_policy_allowed' }]));
      return { stdout: opts.deferAllow ? '' : decisionJson('allow', `${where}; --allow-no-policy is set`), stderr: '', exitCode: 0 };
    }
    withSessionLedgerLock(state, sid, () => appendGateAudit(auditFile, [{ event: 'tool.denied', ...base, reason: 'no_policy' }]));
    return { stdout: decisionJson('deny', `${where}; every call is denied until a policy exists`), stderr: '', exitCode: 0 };
  }

  // The compiled-policy cache lives in the state folder, where no agent action can plant an entry.
  const cacheDir = policyCacheDirectory(root, env);
  const policy: PermissionLayer = await loadPolicyLayerCached(policyFile, cacheDir, { cwd: root });
  const task: PermissionLayer | undefined =
    opts.contract !== undefined ? await loadTaskLayerCached(path.resolve(processCwd, opts.contract), cacheDir, { cwd: root }) : undefined;
  const perms: EffectivePermissions = mergePermissions({ policy, task, cwd: root });
  const policyName = `policy "${policy.name}" (${displayPath(policyFile, root)})`;

  const described = await describeHookCall(toolName, input.toolInput, describeContextFor(root, cwd, tool, perms));
  const budget = perms.budget.calls;
  // AEX's state folder is protected like the project's own (SPEC-2 §16.1, §16.2).
  const protect = [path.join(stateDirectory(env), '**')];
  const judge = (callsUsed: number) => decideCall(perms, { callsUsed }, described, { eventFields: surface, protect });

  // Allowed and confirmed calls spend budget (a confirmed call runs once the user agrees);
  // refusals cost nothing. The audit is written under the same session lock.
  const { judged } = spendBudget(
    state,
    sid,
    budget,
    (callsUsed) => {
      const d = judge(callsUsed);
      return { d, charge: d.verdict === 'allow' || d.verdict === 'confirm' };
    },
    {
      record: ({ judged: { d }, charged, callsAfter }) => {
        // An allowed call proceeds as soon as the gate answers: its tool.allowed goes out now.
        // After an `ask`, the gate never learns the user's answer, so only confirm.required.
        const spent: Record<string, unknown> = charged ? { calls_used: callsAfter, budget } : {};
        const events: AuditEventData[] = [...d.events, ...(d.verdict === 'allow' ? d.proceed.map((e) => ({ ...e, ...spent })) : [])];
        appendGateAudit(auditFile, events);
      },
    },
  );

  const decision: CallDecision = judged.d;
  switch (decision.verdict) {
    case 'deny':
    case 'not_allowed':
    case 'budget_exhausted':
      return { stdout: decisionJson('deny', decision.message), stderr: '', exitCode: 0 };
    case 'confirm':
      return { stdout: decisionJson('ask', decision.message), stderr: '', exitCode: 0 };
    case 'allow':
      return { stdout: opts.deferAllow ? '' : decisionJson('allow', `${described.tool} allowed by ${policyName}.`), stderr: '', exitCode: 0 };
  }
}

/**
 * All of stdin, read synchronously: the gate's input is small, and the stream
 * machinery behind process.stdin/process.stdout costs more start-up time than the
 * whole decision.
 */
function readStdinSync(): string {
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(64 * 1024);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        sleepBriefly();
        continue;
      }
      if (code === 'EOF') break;
      throw err;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

const pause = new Int32Array(new SharedArrayBuffer(4));
function sleepBriefly(): void {
  Atomics.wait(pause, 0, 0, 2);
}

function writeAll(fd: number, text: string): void {
  const data = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < data.length) {
    try {
      off += writeSync(fd, data, off, data.length - off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
        sleepBriefly();
        continue;
      }
      throw err;
    }
  }
}

export async function gateMain(args: string[]): Promise<void> {
  let opts: GateOptions;
  try {
    opts = parseGateArgs(args);
  } catch (err) {
    writeAll(2, `aex gate: ${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  if (opts.help) {
    const { GATE_USAGE } = await import('./help.js');
    writeAll(1, GATE_USAGE);
    return;
  }
  let text: string;
  try {
    text = readStdinSync();
  } catch (err) {
    writeAll(2, `aex gate: cannot read stdin: ${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const out = await runGate(opts, text, process.cwd());
  try {
    if (out.stdout) writeAll(1, out.stdout);
    if (out.stderr) writeAll(2, out.stderr);
  } catch {
    // Claude Code went away: nothing can read the decision; exit 2 blocks regardless.
    process.exitCode = 2;
    return;
  }
  process.exitCode = out.exitCode;
}
