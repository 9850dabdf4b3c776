// `aex gate`: the Claude Code PreToolUse hook (SPEC §7, decision D2).
//
// bin/aex.js imports this module directly, without cac or any other command, because
// the gate runs once per agent tool call. It loads only the kernel and the policy
// loader, and the loader keeps compiled policies in .aex/cache keyed by file hash.
//
// Output contract (Claude Code hook protocol): a decision is JSON on stdout with exit
// 0; anything that prevents a decision exits 2 with the reason on stderr, which
// blocks the call. No error path ever exits 0 or 1 (1 would let the call through).

import path from 'node:path';
import { readSync, statSync, writeSync } from 'node:fs';
import type { AuditEventData } from '../../runtime/kernel/types.js';
import type { EffectivePermissions, PermissionLayer } from '../../rules/types.js';
import { decideToolCall } from '../../runtime/kernel/decide.js';
import { canonicalPath } from '../../runtime/policy/paths.js';
import { discoverPolicy, loadPolicyLayerCached, loadTaskLayerCached } from '../../runtime/policy/load.js';
import { mergePermissions } from '../../rules/merge.js';
import { capabilityFor, rawToolPaths } from './mapping.js';
import { budgetDir, readBudget, sessionKey, withSessionLock, writeBudget } from './budget.js';
import { appendGateAudit, gateAuditPath } from './audit.js';

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
}

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
  // The gate writes its budget and audit under <cwd>/.aex: never create a made-up tree.
  let isDir = false;
  try {
    isDir = statSync(cwd).isDirectory();
  } catch {
    /* missing */
  }
  if (!isDir) throw new GateError(`cwd ${cwd} is not an existing directory`);
  return { sessionId: typeof sid === 'string' && sid !== '' ? sid : '', cwd, toolName, toolInput: toolInput as Record<string, unknown> };
}

function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
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
  // Without a session id every such call shares one budget and one audit file.
  const sid = input.sessionId || 'no-session';
  const key = sessionKey(sid);
  const tool = capabilityFor(toolName);
  const auditFile = gateAuditPath(cwd, sid);
  const base: Record<string, unknown> = { tool, hook_tool: toolName };

  const policyFile = opts.policy !== undefined ? path.resolve(processCwd, opts.policy) : discoverPolicy(cwd);
  if (policyFile === null || policyFile === undefined) {
    const where = `no policy found (looked for .aex/policy.aex and aex.policy.aex in ${cwd})`;
    if (opts.allowNoPolicy) {
      withSessionLock(budgetDir(cwd), key, () => appendGateAudit(auditFile, [{ event: 'tool.allowed', ...base, reason: 'no_policy_allowed' }]));
      return { stdout: opts.deferAllow ? '' : decisionJson('allow', `${where}; --allow-no-policy is set`), stderr: '', exitCode: 0 };
    }
    withSessionLock(budgetDir(cwd), key, () => appendGateAudit(auditFile, [{ event: 'tool.denied', ...base, reason: 'no_policy' }]));
    return { stdout: decisionJson('deny', `${where}; every call is denied until a policy exists`), stderr: '', exitCode: 0 };
  }

  const cacheDir = path.join(cwd, '.aex', 'cache');
  const policy: PermissionLayer = await loadPolicyLayerCached(policyFile, cacheDir, { cwd });
  const task: PermissionLayer | undefined =
    opts.contract !== undefined ? await loadTaskLayerCached(path.resolve(processCwd, opts.contract), cacheDir, { cwd }) : undefined;
  const perms: EffectivePermissions = mergePermissions({ policy, task, cwd });

  const paths = [...new Set(rawToolPaths(toolName, input.toolInput).map((p) => canonicalPath(p, cwd)))];
  if (paths.length > 0) base.paths = paths;
  const policyName = `policy "${policy.name}" (${displayPath(policyFile, cwd)})`;

  const budget = perms.budget.calls;
  const judge = (callsUsed: number) => decideToolCall(perms, { callsUsed }, { tool, paths });

  let result: ReturnType<typeof judge>;
  let callsAfter: number | undefined;
  const events: AuditEventData[] = [];
  withSessionLock(budgetDir(cwd), key, () => {
    if (budget !== undefined) {
      const file = path.join(budgetDir(cwd), `${key}.json`);
      const now = Date.now();
      const state = readBudget(file, sid, now);
      result = judge(state.callsUsed);
      // Only a plain allow spends budget; `ask` and every refusal cost nothing (§10 #33).
      if (result.decision.verdict === 'allow' && !result.decision.needsConfirmation) {
        callsAfter = state.callsUsed + 1;
        writeBudget(file, { sessionId: sid, callsUsed: callsAfter, lastUpdated: new Date(now).toISOString() });
      }
    } else {
      result = judge(0);
    }
    events.push(...result.events.map((e) => ({ ...e, hook_tool: toolName, ...(paths.length > 0 ? { paths } : {}) })));
    const d = result.decision;
    if (d.verdict === 'allow' && d.needsConfirmation) events.push({ event: 'confirm.required', ...base });
    else if (d.verdict === 'allow') {
      const extra: Record<string, unknown> = {};
      if (callsAfter !== undefined) {
        extra.calls_used = callsAfter;
        extra.budget = budget;
      }
      events.push({ event: 'tool.allowed', ...base, ...extra });
    }
    appendGateAudit(auditFile, events);
  });

  const d = result!.decision;
  switch (d.verdict) {
    case 'deny':
      return { stdout: decisionJson('deny', d.message), stderr: '', exitCode: 0 };
    case 'budget_exhausted':
      return { stdout: decisionJson('deny', d.message), stderr: '', exitCode: 0 };
    case 'allow':
      if (d.needsConfirmation) {
        return { stdout: decisionJson('ask', `${policyName} requires confirmation before ${tool}.`), stderr: '', exitCode: 0 };
      }
      return { stdout: opts.deferAllow ? '' : decisionJson('allow', `${tool} allowed by ${policyName}.`), stderr: '', exitCode: 0 };
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
