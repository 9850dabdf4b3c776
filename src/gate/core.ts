// The gate core: one hook payload of any host in, the host's answer out. The same steps for
// `aex gate --host H` (one call per process) and `aex serve` (many):
//
//   payload → HostProtocol.parse → project root → policy (discovered at the root only)
//   → describe → decideCall → budget (allowed and confirmed calls are charged) → audit
//   → HostProtocol.answer
//
// The core decides nothing itself: the kernel does (decideCall), and the host protocol only
// reads the payload and phrases the answer. Any error becomes protocol.failure(), which every
// host treats as blocking.

import path from 'node:path';
import { statSync } from 'node:fs';
import type { HookAnswer, HookRequest, HookVerdict, HostProtocol } from '../adapters/host-protocol.js';
import { HookInputError } from '../adapters/host-protocol.js';
import type { AuditEventData, CallDecision } from '../runtime/kernel/types.js';
import { decideCall } from '../runtime/kernel/decide.js';
import { canonicalPath } from '../runtime/policy/paths.js';
import { discoverPolicy } from '../runtime/policy/load.js';
import { projectRootOf } from '../runtime/policy/project-root.js';
import { projectStateDirectory, stateDirectory } from '../runtime/state-dir.js';
import { spendBudget, type BudgetJudgement, type SpendOutcome } from '../runtime/state/budget.js';
import { appendGateAudit, sessionFilePart, type GateAuditOptions } from '../runtime/audit/gate-audit.js';
import { auditKeyProtect, loadAuditKey } from '../audit/key.js';
import { describeContextFor } from '../adapters/describe-context.js';
import { describeSafely } from '../runtime/steps/unreadable.js';
import { liveGrantsIn } from '../grants/load.js';
import type { PolicySource } from './policies.js';
import type { KernelGrant } from '../runtime/kernel/grants.js';

export interface JudgeOptions {
  policy?: string;
  contract?: string;
  allowNoPolicy: boolean;
  /** Answer an allowed call with the host's "no decision" (its own permission flow runs). */
  deferAllow: boolean;
  /** The key that seals the audit (default: $AEX_AUDIT_KEY_FILE); see docs/audit.md. */
  auditKeyFile?: string;
}

export interface JudgeEnvironment {
  env: NodeJS.ProcessEnv;
  /** The gate process's cwd: base of --policy/--contract and of a relative hook cwd. */
  processCwd: string;
  policies: PolicySource;
  /** A project's state folder (default projectStateDirectory; `aex serve` keeps them in memory). */
  stateDirectoryOf?: (root: string, env: NodeJS.ProcessEnv) => string;
  /** Appends to a session's audit under its lock (default appendGateAudit; `aex serve` keeps the files open). */
  appendAudit?: (file: string, events: AuditEventData[], opts: GateAuditOptions) => void;
  /** The audit key, when the surface read it once already (default: loadAuditKey of opts.auditKeyFile per call). */
  auditKey?: () => AuditKey | undefined;
  /**
   * Judges, charges and audits one call under its session's lock (default: spendBudget with
   * appendAudit, now). `aex serve` queues a session's calls and commits them in groups
   * (src/runtime/state/budget-batch.ts); either way the answer waits for the audit write.
   */
  commit?: <J extends BudgetJudgement>(call: SessionCommit<J>) => Promise<SpendOutcome<J>>;
  /** The file-system lookups of a call (default: read afresh for each call; `aex serve` shares reads made after the calls arrived). */
  lookups?: Partial<GateLookups>;
}

/** What the core reads from the disk about a call's project, each as a fresh read would answer it. */
export interface GateLookups {
  /** An existing directory's real path (HookInputError otherwise). */
  existingDirectory(dir: string, what: string, base: string): string;
  projectRootOf(cwd: string): string;
  discoverPolicy(root: string): string | undefined;
  liveGrants(projectState: string, sessionId: string | undefined, now: number): KernelGrant[];
}

export const freshLookups: GateLookups = { existingDirectory, projectRootOf, discoverPolicy, liveGrants: liveGrantsIn };

/** One call for JudgeEnvironment.commit: where it is charged and audited, and how it is judged. */
export interface SessionCommit<J extends BudgetJudgement> {
  projectState: string;
  sessionId: string;
  auditFile: string;
  auditOpts: GateAuditOptions;
  limit: number | undefined;
  judge: (callsUsed: number) => J;
  /** The call's audit events given its outcome. */
  events: (outcome: SpendOutcome<J>) => AuditEventData[];
}

/** JudgeEnvironment.commit of a one-call-per-process gate: lock, judge, charge, append, unlock. */
function commitNow(appendAudit: NonNullable<JudgeEnvironment['appendAudit']>) {
  return async <J extends BudgetJudgement>(c: SessionCommit<J>): Promise<SpendOutcome<J>> =>
    spendBudget(c.projectState, c.sessionId, c.limit, c.judge, { record: (o) => appendAudit(c.auditFile, c.events(o), c.auditOpts) });
}

type AuditKey = { file: string; key: Buffer };

/** Payload text → JSON value, or the reasons a host's hook input could not be read. */
export function payloadFromText(text: string): unknown {
  if (text.trim() === '') throw new HookInputError('no input received on stdin');
  try {
    return JSON.parse(text);
  } catch {
    throw new HookInputError('invalid JSON on stdin');
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** An existing directory's real path; anything else is no base for paths and no place to look for a policy. */
function existingDirectory(dir: string, what: string, base: string): string {
  let real: string;
  try {
    real = canonicalPath(path.resolve(base, dir), base);
  } catch (err) {
    throw new HookInputError(`cannot resolve ${what} ${dir}: ${(err as Error).message}`);
  }
  if (!isDirectory(real)) throw new HookInputError(`${what} ${real} is not an existing directory`);
  return real;
}

/**
 * The project the host was started in, never the agent's current directory: the host's own
 * project field (HookRequest.projectDir), else the outermost ancestor of the cwd holding a
 * policy (so a policy planted in a subdirectory never wins), else the cwd.
 */
export function rootOfRequest(req: HookRequest, cwd: string, lookups: GateLookups = freshLookups): string {
  if (req.projectDir !== undefined && req.projectDir !== '') return lookups.existingDirectory(req.projectDir, 'project directory', cwd);
  return lookups.projectRootOf(cwd);
}

function verdictOf(d: CallDecision, allowText: string): HookVerdict {
  switch (d.verdict) {
    case 'deny':
    case 'not_allowed':
    case 'budget_exhausted':
      return { kind: 'deny', message: d.message };
    case 'confirm':
      return { kind: 'ask', message: d.message };
    case 'allow':
      return { kind: 'allow', message: allowText };
  }
}

/** The whole gate for one payload. Never throws: an error is the host's blocking failure answer. */
export async function judgeHook(protocol: HostProtocol, payload: unknown, opts: JudgeOptions, genv: JudgeEnvironment): Promise<HookAnswer> {
  try {
    return await judge(protocol, payload, opts, genv);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return protocol.failure(msg.split('\n')[0]!);
  }
}

async function judge(protocol: HostProtocol, payload: unknown, opts: JudgeOptions, genv: JudgeEnvironment): Promise<HookAnswer> {
  const { env, processCwd } = genv;
  const req = protocol.parse(payload, processCwd, env);
  if (req === null) return protocol.ignored();
  // The same object goes back to protocol.answer (a protocol may keep notes keyed by it).
  const look: GateLookups = genv.lookups !== undefined ? { ...freshLookups, ...genv.lookups } : freshLookups;
  const cwd = look.existingDirectory(req.cwd, 'cwd', processCwd);
  req.cwd = cwd;
  const root = rootOfRequest(req, cwd, look);
  // Without a session id every such call shares one budget and one audit file.
  const sid = req.sessionId || 'no-session';
  const tool = protocol.capabilityFor(req.toolName);
  // Budget and audit live outside the workspace, in the project's state folder.
  const state = (genv.stateDirectoryOf ?? projectStateDirectory)(root, env);
  const commit = genv.commit ?? commitNow(genv.appendAudit ?? appendGateAudit);
  const auditFile = path.join(state, 'audit', `gate-${sessionFilePart(sid)}.jsonl`);
  // With a key every append ends sealed; a key that cannot be read blocks the call (fail closed).
  const auditKey = genv.auditKey !== undefined ? genv.auditKey() : loadAuditKey(opts.auditKeyFile, env, processCwd);
  const auditOpts = { chainId: sid, ...(auditKey ? { sealKey: auditKey.key } : {}) };
  const surface: Record<string, unknown> = { hook_tool: req.toolName, ...(protocol.name !== 'claude-code' ? { host: protocol.name } : {}), ...req.context };
  const answer = (v: HookVerdict): HookAnswer => (v.kind === 'allow' && opts.deferAllow ? protocol.ignored() : protocol.answer(v, req));

  // --policy does not change the root; discovery looks at the root only.
  const policyFile = opts.policy !== undefined ? path.resolve(processCwd, opts.policy) : look.discoverPolicy(root);
  if (policyFile === undefined) {
    // Not a decision on rules: there are none. The gate can only refuse (or, when told, let through).
    const where = `no policy found (looked for .aex/policy.aex and aex.policy.aex in ${root})`;
    const base = { tool, ...surface };
    const event: AuditEventData = opts.allowNoPolicy ? { event: 'tool.allowed', ...base, reason: 'no_policy_allowed' } : { event: 'tool.denied', ...base, reason: 'no_policy' };
    await commit({ projectState: state, sessionId: sid, auditFile, auditOpts, limit: undefined, judge: () => ({ charge: false }), events: () => [event] });
    if (opts.allowNoPolicy) return answer({ kind: 'allow', message: `${where}; --allow-no-policy is set` });
    return answer({ kind: 'deny', message: `${where}; every call is denied until a policy exists` });
  }

  const contractFile = opts.contract !== undefined ? path.resolve(processCwd, opts.contract) : undefined;
  const { perms, policyName } = await genv.policies.load(root, policyFile, contractFile, env);
  const input = { tool, hostTool: req.toolName, args: req.toolInput };
  const described = await describeSafely(input, () => protocol.describe(req, describeContextFor(root, cwd, tool, perms)));
  // AEX's state folder is protected like the project's own files.
  const protect = [path.join(stateDirectory(env), '**'), ...auditKeyProtect(auditKey?.file)];
  const budget = perms.budget.calls;
  // A person's live grants for this project and session (docs/grants.md); the kernel applies them.
  const grants = look.liveGrants(state, req.sessionId || undefined, Date.now());

  // Allowed and confirmed calls spend budget (a confirmed call runs once a person agrees);
  // refusals cost nothing. The audit is written under the same session lock.
  const { judged } = await commit({
    projectState: state,
    sessionId: sid,
    auditFile,
    auditOpts,
    limit: budget,
    judge: (callsUsed) => {
      const d = decideCall(perms, { callsUsed }, described, { eventFields: surface, protect, grants });
      return { d, charge: d.verdict === 'allow' || d.verdict === 'confirm' };
    },
    events: ({ judged: { d }, charged, callsAfter }) => {
      // An allowed call proceeds as soon as the gate answers: its tool.allowed goes out now.
      // After an `ask`, the gate never learns the person's answer, so only confirm.required.
      const spent: Record<string, unknown> = charged ? { calls_used: callsAfter, budget } : {};
      return [...d.events, ...(d.verdict === 'allow' ? d.proceed.map((e) => ({ ...e, ...spent })) : [])];
    },
  });
  return answer(verdictOf(judged.d, `${described.tool} allowed by ${policyName}.`));
}
