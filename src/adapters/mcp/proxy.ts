// `aex proxy` over stdio: the client on this process's stdin/stdout, the upstream server
// as a child process, and the relay between them (./relay.ts), which judges every call
// that runs something on the server through the kernel. This file only wires the
// pieces together and turns the end of the session into an exit code.

import path from 'node:path';
import type { EffectivePermissions, PermissionLayer } from '../../rules/types.js';
import { formatRule } from '../../rules/format.js';
import { effectiveAllowList } from '../../rules/intersect.js';
import { bareNameAlias, withNameAliases, type PatternAlias } from '../../runtime/mcp-names.js';
import { describeContext } from '../../runtime/steps/describe.js';
import { serverBases } from '../../runtime/mcp-bases.js';
import { openProxyAudit, type ProxyAudit } from './audit.js';
import { loadGrants } from '../../grants/load.js';
import { auditKeyProtect } from '../../audit/key.js';
import { projectStateDirectory, stateDirectory } from '../../runtime/state-dir.js';
import type { KernelGrant } from '../../runtime/kernel/grants.js';
import { cachedLiveGrants } from '../../grants/cached.js';
import { memoryBudget, proxySessionId, type CallBudget } from './budget.js';
import type { MessageEndpoint } from './endpoint.js';
import type { Naming } from './enforce.js';
import { metaPatternAlias } from './meta/definitions.js';
import { negotiateSession } from './protocol/index.js';
import { startRelay, type Relay, type RelayOptions } from './relay.js';
import { StdioEndpoint } from './stdio-endpoint.js';
import { DEFAULT_GRACE, signalExitCode, UpstreamProcess, type ShutdownGrace } from './upstream-process.js';
import { EXIT } from '../../exit-codes.js';

export { DEFAULT_GRACE, type ShutdownGrace } from './upstream-process.js';
export { DEFAULT_MAX_MESSAGE_BYTES } from './framing.js';
export const SPAWN_FAILURE_EXIT = EXIT.notStarted;

export interface ProxySetup {
  cwd: string;
  perms: EffectivePermissions;
  policy: PermissionLayer;
  policyFile: string;
  contractFile?: string;
  autoConfirm: boolean;
  auditFile?: string;
  command: string;
  args: string[];
  /** `--name S`: upstream tool T is the capability `mcp.S.T`. Without it, the bare T (AEX 1). */
  name?: string;
  /** `--no-meta`: this proxy does not offer the meta-tools (another proxy of the project does). */
  noMeta?: boolean;
  /** Size limit of one message, both directions (default 64 MiB). */
  maxMessageBytes?: number;
  /** Shutdown grace periods (tests shorten them). */
  grace?: ShutdownGrace;
  /** The call budget; default: one held by this proxy alone. */
  budget?: CallBudget;
  /** `--audit-key-file`: the key that seals the audit; the file is protected state. */
  auditKey?: { file: string; key: Buffer };
  /** The session whose grants (and budget) apply; default: the proxy's own (AEX_SESSION_ID, else the host process). */
  session?: string;
  /** Install SIGTERM/SIGINT/SIGHUP handlers that stop the upstream and then exit. */
  forwardSignals?: boolean;
}

export interface ProxyIO {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * The permissions calls are judged under: a rule naming a meta-tool by its advertised
 * spelling (`aex_checkpoint`) also names the capability (`aex.checkpoint`); behind
 * `--name S` a rule naming the bare upstream tool T also names `mcp.S.T` (for one
 * release; `aex check` warns with AEX017).
 */
export function decisionPermissions(setup: Pick<ProxySetup, 'perms' | 'name'>): EffectivePermissions {
  const bare = setup.name !== undefined ? bareNameAlias(setup.name) : undefined;
  const alias: PatternAlias = (pattern) => metaPatternAlias(pattern) ?? bare?.(pattern);
  return withNameAliases(setup.perms, alias);
}

export function namingOf(setup: Pick<ProxySetup, 'name' | 'noMeta'>): Naming {
  return { ...(setup.name !== undefined ? { server: setup.name } : {}), meta: setup.noMeta !== true };
}

export function banner(setup: ProxySetup): string {
  const allow = effectiveAllowList(setup.perms.task?.allow, setup.perms.policy?.allow, setup.cwd).map((r) => formatRule(r));
  const lines = [`proxy Policy: ${path.relative(setup.cwd, setup.policyFile) || setup.policyFile}`];
  if (setup.contractFile) lines.push(`proxy Contract: ${path.relative(setup.cwd, setup.contractFile) || setup.contractFile}`);
  lines.push(`proxy Allow: ${allow.length ? allow.join(', ') : '(none)'}`);
  lines.push(`proxy Deny: ${setup.perms.deny.length ? setup.perms.deny.map((r) => formatRule(r)).join(', ') : '(none)'}`);
  if (setup.perms.budget.calls !== undefined) lines.push(`proxy Budget: ${setup.perms.budget.calls} calls`);
  lines.push('proxy Started. Proxying stdin/stdout to upstream.');
  return lines.map((l) => l + '\n').join('');
}

/** The relay's options for a set-up, given its audit (shared by every transport). */
/**
 * What no call through this proxy may write besides the project's own protected state: AEX's
 * state folder (budgets, grants, audits of every surface), this proxy's audit file and its key.
 */
export function proxyProtectedEntries(setup: Pick<ProxySetup, 'auditFile' | 'auditKey'>, env: NodeJS.ProcessEnv = process.env): string[] {
  const entries = [path.join(stateDirectory(env), '**')];
  if (setup.auditFile !== undefined) entries.push(setup.auditFile);
  if (setup.auditKey !== undefined) entries.push(...auditKeyProtect(setup.auditKey.file));
  return entries;
}

export function relayOptions(setup: ProxySetup, audit: RelayOptions['audit'], budget: CallBudget): RelayOptions {
  const perms = decisionPermissions(setup);
  return {
    cwd: setup.cwd,
    perms,
    policy: setup.policy,
    policyFile: setup.policyFile,
    naming: namingOf(setup),
    autoConfirm: setup.autoConfirm,
    describeCtx: describeContext({ root: setup.perms.cwd, cwd: setup.cwd, mcpBases: serverBases(setup.args, setup.cwd), shells: perms.shells ?? [] }),
    audit,
    budget,
    protect: proxyProtectedEntries(setup),
    // Looked at on every call (a person may grant or revoke while the session runs), read
    // again only when the grants folder has changed.
    grants: connectionGrants(setup.perms.cwd, setup.session ?? proxySessionId()),
  };
}

/** The grants reader of one connection: the project's state folder is worked out once. */
function connectionGrants(root: string, session: string): () => KernelGrant[] {
  let projectState: string;
  try {
    projectState = projectStateDirectory(root);
  } catch {
    // The folder cannot be worked out now: every call tries again, and has no grants meanwhile.
    return () => loadGrants(root, session);
  }
  return cachedLiveGrants(projectState, session);
}

/**
 * One client's relay to an upstream process of its own. The audit and the budget are the
 * caller's: the sessions of one HTTP listener (./transport/run.ts) share them.
 */
export function startUpstreamSession(
  setup: ProxySetup,
  client: MessageEndpoint,
  audit: ProxyAudit,
  budget: CallBudget,
  stderr: NodeJS.WritableStream,
): { upstream: UpstreamProcess; relay: Relay } {
  const upstream = new UpstreamProcess({
    command: setup.command,
    args: setup.args,
    cwd: setup.cwd,
    grace: setup.grace ?? DEFAULT_GRACE,
    stderr,
    audit: (e) => audit.emit(e),
    ...(setup.maxMessageBytes !== undefined ? { maxMessageBytes: setup.maxMessageBytes } : {}),
  });
  // Either side may speak 2025-11-25 or 2026-07-28 (docs/mcp.md, "Protocol revisions").
  const session = negotiateSession(client, upstream, { audit: (e) => audit.emit(e) });
  const relay = startRelay(session.client, session.upstream, {
    ...relayOptions(setup, audit, budget),
    confirmation: session.confirmation,
    upstreamGoneText: () => upstream.goneText(),
  });
  return { upstream, relay };
}

/**
 * Runs the relay between `client` and the upstream process until the session ends;
 * resolves with the exit code for the process (the upstream's, 127 if it could not start).
 */
export async function runProxyWith(setup: ProxySetup, client: MessageEndpoint, stderr: NodeJS.WritableStream): Promise<number> {
  const audit = openProxyAudit(setup.auditFile, stderr, setup.auditKey ? { sealKey: setup.auditKey.key } : {});
  const budget = setup.budget ?? memoryBudget();
  const { upstream, relay } = startUpstreamSession(setup, client, audit, budget, stderr);

  const signalHandlers: Array<[NodeJS.Signals, () => void]> = [];
  if (setup.forwardSignals) {
    const grace = setup.grace ?? DEFAULT_GRACE;
    for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
      // The client is stopping the proxy: the server gets the signal now and SIGKILL
      // soon after, well before the client's own SIGKILL of the proxy.
      const h = () => {
        audit.emit({ event: 'proxy.signal', signal: sig });
        upstream.terminate(Math.min(grace.killAfterMs, 1000));
      };
      process.on(sig, h);
      signalHandlers.push([sig, h]);
    }
  }
  const end = await relay.done;
  for (const [sig, h] of signalHandlers) process.off(sig, h);
  const code = end.startFailed ? SPAWN_FAILURE_EXIT : upstream.exitCode();
  audit.emit({ event: 'proxy.exited', code, calls_used: end.callsUsed });
  audit.close();
  if (end.startFailed) stderr.write(`error cannot start upstream "${setup.command}": ${end.startError ?? 'unknown error'}\n`);
  stderr.write(`proxy Upstream exited. ${end.callsUsed} calls made.\n`);
  return code;
}

/** `aex proxy` with the client on stdio. */
export function runProxy(setup: ProxySetup, io: ProxyIO): Promise<number> {
  const client = new StdioEndpoint(io.stdin, io.stdout, setup.maxMessageBytes !== undefined ? { maxMessageBytes: setup.maxMessageBytes } : {});
  return runProxyWith(setup, client, io.stderr);
}

export { signalExitCode };
