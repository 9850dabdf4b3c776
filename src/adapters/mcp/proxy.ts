// `aex proxy`: an MCP stdio relay that enforces the effective permissions on every
// `tools/call` (SPEC §8.3, decisions D6, D7, SPEC-2 D9, D13). Every call is described
// (src/describe) and decided by the kernel (decideCall), whose events are emitted as
// they are; this file only moves messages and keeps session state.
//
// Client ⇄ proxy ⇄ upstream. Everything except tools/call (client → upstream) and
// the tools/list responses (upstream → client) is forwarded as the original bytes,
// in both directions, including server-initiated requests (sampling, elicitation,
// roots) and their responses. The proxy's own requests to the client (confirmation
// through elicitation/create) use ids in an `aex-` namespace and are never forwarded.

import { spawn, type ChildProcess } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import type { AuditEventData, CallDecision } from '../../runtime/kernel/types.js';
import type { EffectivePermissions, PermissionLayer } from '../../rules/types.js';
import { decideCall, toolMayBeAllowed } from '../../runtime/kernel/decide.js';
import { formatRule } from '../../rules/format.js';
import { bareNameAlias, mcpToolName, withNameAliases, type PatternAlias } from '../../runtime/mcp-names.js';
import { describeContext, describeForKernel } from '../../runtime/steps/describe.js';
import { serverBases } from '../../runtime/mcp-bases.js';
import { effectiveAllowList } from '../../rules/intersect.js';
import { createAuditLog } from '../../runtime/audit/emitter.js';
import { JsonlFileSink, MemorySink } from '../../runtime/audit/sinks.js';
import type { AuditSink as RuntimeAuditSink } from '../../runtime/audit/types.js';
import { classifyLine, encode, errorReply, idKey, LineSplitter, resultReply, type JsonRpcId } from './framing.js';
import { META_ALIASES, META_TOOL_DEFS, MetaToolError, runMetaTool, type HistoryEntry, type MetaName } from './meta.js';

export const CLIENT_EOF_GRACE_MS = 5000;
export const KILL_GRACE_MS = 2000;
export const SPAWN_FAILURE_EXIT = 127;

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
  /** `--name S`: upstream tool T is the capability `mcp.S.T` (SPEC-2 §18). Without it, the bare T (AEX 1). */
  name?: string;
  /** Install SIGTERM/SIGINT/SIGHUP handlers that forward the signal to the upstream. */
  forwardSignals?: boolean;
}

export interface ProxyIO {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** JSON-RPC error codes used by the proxy. */
const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;
/** A request AEX refused (resources/read, prompts/get): a server error in JSON-RPC's range. */
const AEX_REFUSED = -32001;

/**
 * The proxy's audit: the runtime's emitter (D1 lines, seq from 1) writing to the
 * --audit file, or as JSON Lines to stderr, and kept in memory for aex_checkpoint.
 */
function openProxyAudit(file: string | undefined, stderr: NodeJS.WritableStream): { emit(data: AuditEventData): void; all(): string[]; close(): void } {
  const memory = new MemorySink();
  // Synchronous file writes: a crash of the proxy or of the upstream loses nothing.
  const out: RuntimeAuditSink = file !== undefined ? new JsonlFileSink(file) : { write: (e) => void stderr.write(JSON.stringify(e) + '\n') };
  const log = createAuditLog([out, memory]);
  return {
    emit: (data) => log.emit(data),
    all: () => memory.events.map((e) => JSON.stringify(e) + '\n'),
    close: () => void log.close(),
  };
}

/**
 * The permissions calls are judged under: a rule naming a meta-tool by its advertised
 * spelling (`aex_checkpoint`) also names the capability (`aex.checkpoint`); behind
 * `--name S` a rule naming the bare upstream tool T also names `mcp.S.T` (for one
 * release; `aex check` warns with AEX017).
 */
function decisionPermissions(setup: ProxySetup): EffectivePermissions {
  const bare = setup.name !== undefined ? bareNameAlias(setup.name) : undefined;
  const alias: PatternAlias = (pattern) => {
    const meta = META_ALIASES[pattern];
    if (meta !== undefined) return meta;
    return bare?.(pattern);
  };
  return withNameAliases(setup.perms, alias);
}

function signalExitCode(signal: NodeJS.Signals | null): number {
  if (!signal) return 1;
  const n = (osConstants.signals as Record<string, number>)[signal];
  return typeof n === 'number' ? 128 + n : 1;
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

/** Runs the relay until the session ends; resolves with the exit code for the process. */
export function runProxy(setup: ProxySetup, io: ProxyIO): Promise<number> {
  return new Promise<number>((resolveExit) => {
    const audit = openProxyAudit(setup.auditFile, io.stderr);
    const state: { callsUsed: number; history: HistoryEntry[]; auditCheckpointed?: number } = { callsUsed: 0, history: [] };
    const budget = setup.perms.budget.calls;
    const perms = decisionPermissions(setup);
    const describeCtx = describeContext({ root: setup.perms.cwd, cwd: setup.cwd, mcpBases: serverBases(setup.args, setup.cwd), shells: perms.shells ?? [] });
    const upstreamName = (name: string): string => (setup.name !== undefined ? mcpToolName(setup.name, name) : name);
    /** Client requests forwarded upstream and not yet answered. */
    const pending = new Map<string, JsonRpcId>();
    /** Outstanding tools/list requests: was a cursor given? */
    const toolLists = new Map<string, boolean>();
    /** The proxy's own requests to the client (confirmations). */
    const own = new Map<string, (result: unknown) => void>();
    let ownSeq = 0;
    /** tools/call requests waiting for the user: client request id → our elicitation id. */
    const awaitingUser = new Map<string, string>();
    /** tools/call ids the client cancelled while the user was being asked. */
    const cancelled = new Set<string>();
    let clientCanElicit = false;
    let upstreamUp = false;
    let upstreamGone = false;
    let spawnFailed = false;
    let clientEnded = false;
    let finished = false;
    let killTimer: NodeJS.Timeout | undefined;

    const toClient = (text: string) => {
      try {
        io.stdout.write(text);
      } catch {
        /* client gone */
      }
    };

    let child: ChildProcess;
    try {
      child = spawn(setup.command, setup.args, { stdio: ['pipe', 'pipe', 'inherit'], cwd: setup.cwd, env: process.env });
    } catch (err) {
      audit.emit({ event: 'upstream.error', message: (err as Error).message });
      audit.close();
      resolveExit(SPAWN_FAILURE_EXIT);
      return;
    }

    // Writes before the 'spawn' event are buffered by the stream; if the spawn then
    // fails, the requests among them are answered from `pending`.
    const toUpstream = (text: string): boolean => {
      if (upstreamGone || !child.stdin || child.stdin.destroyed) return false;
      child.stdin.write(text);
      return true;
    };

    const failPending = (why: string) => {
      for (const id of pending.values()) toClient(errorReply(id, INTERNAL_ERROR, why));
      pending.clear();
      toolLists.clear();
    };

    const finish = (code: number) => {
      if (finished) return;
      finished = true;
      if (killTimer) clearTimeout(killTimer);
      for (const resolve of own.values()) resolve(undefined);
      own.clear();
      audit.emit({ event: 'proxy.exited', code, calls_used: state.callsUsed });
      audit.close();
      io.stderr.write(`proxy Upstream exited. ${state.callsUsed} calls made.\n`);
      resolveExit(code);
    };

    /** Forwards a client request upstream, or answers it when there is no upstream. */
    const forwardRequest = (id: JsonRpcId | undefined, line: string) => {
      if (id !== undefined) pending.set(idKey(id), id);
      if (!toUpstream(line + '\n') && id !== undefined) {
        pending.delete(idKey(id));
        toClient(errorReply(id, INTERNAL_ERROR, spawnFailed ? 'Upstream server could not be started.' : 'Upstream server is not running.'));
      }
    };

    const refuse = (id: JsonRpcId | undefined, message: string) => {
      // Notifications get no reply (§10 #39); the refusal is in the audit log.
      if (id === undefined) return;
      toClient(resultReply(id, { content: [{ type: 'text', text: `AEX: ${message}` }], isError: true }));
    };

    const record = (tool: string, decision: 'forward' | 'block', reason?: string) => {
      const h: HistoryEntry = { tool, timestamp: new Date().toISOString(), decision };
      if (reason !== undefined) h.reason = reason;
      state.history.push(h);
    };

    /** Asks the user through the client (elicitation/create). Resolves true on accept. */
    const confirmWithUser = (callId: JsonRpcId, why: string, args: unknown): Promise<boolean> =>
      new Promise((resolve) => {
        const id = `aex-confirm-${++ownSeq}`;
        awaitingUser.set(idKey(callId), id);
        own.set(idKey(id), (result) => {
          const action = (result as { action?: unknown } | undefined)?.action;
          resolve(action === 'accept');
        });
        let shown = '';
        try {
          shown = JSON.stringify(args ?? {});
        } catch {
          shown = '{}';
        }
        if (shown.length > 500) shown = shown.slice(0, 497) + '...';
        toClient(
          encode({
            jsonrpc: '2.0',
            id,
            method: 'elicitation/create',
            params: {
              message: `AEX: ${why}. Arguments: ${shown}. Accept to allow this call, decline to refuse it.`,
              requestedSchema: { type: 'object', properties: {} },
            },
          }),
        );
      });

    const runMeta = async (id: JsonRpcId | undefined, meta: MetaName, args: Record<string, unknown>) => {
      if (id === undefined) {
        audit.emit({ event: 'meta.ignored', tool: meta, reason: 'notification' });
        return;
      }
      try {
        const result = await runMetaTool(meta, args, {
          cwd: setup.cwd,
          perms: setup.perms,
          policy: setup.policy,
          state,
          auditLines: () => audit.all(),
        });
        audit.emit({ event: 'meta.handled', tool: meta });
        toClient(resultReply(id, { content: [{ type: 'text', text: JSON.stringify(result, null, 2) }] }));
      } catch (err) {
        const msg = err instanceof MetaToolError ? err.message : `${(err as Error)?.message ?? String(err)}`;
        audit.emit({ event: 'meta.failed', tool: meta, error: msg });
        toClient(errorReply(id, INTERNAL_ERROR, `Meta-tool error: ${msg}`));
      }
    };

    /** The history reason of a refusal, as checkpoints record it. */
    const refusalReason = (d: CallDecision): string =>
      d.verdict === 'not_allowed' ? 'not_allowed' : d.verdict === 'budget_exhausted' ? 'budget_exhausted' : d.deciding?.layer === 'protected' ? 'protected' : 'deny_list';

    const handleToolCall = async (id: JsonRpcId | undefined, params: Record<string, unknown> | undefined, line: string) => {
      const name = params?.name;
      if (typeof name !== 'string' || name === '') {
        audit.emit({ event: 'proxy.invalid_request', method: 'tools/call', why: 'params.name must be a string' });
        if (id !== undefined) toClient(errorReply(id, INVALID_PARAMS, 'Invalid params: tools/call needs params.name (a string).'));
        return;
      }
      const rawArgs = params?.arguments;
      const args = rawArgs !== null && typeof rawArgs === 'object' && !Array.isArray(rawArgs) ? (rawArgs as Record<string, unknown>) : {};
      const meta = META_ALIASES[name];
      // One name per tool (SPEC-2 §18): the meta-tools are aex.*, upstream tools mcp.S.T.
      const tool = meta ?? upstreamName(name);
      await judgeAndRun(id, line, { tool, args, shown: rawArgs, refuse: (rid, m) => refuse(rid, m), ...(meta ? { meta } : {}) });
    };

    /**
     * `resources/read` and `prompts/get` are calls too (SPEC-2 §18): the capabilities
     * mcp.S.resources.read (its URI a path or URL) and mcp.S.prompts.get. A refusal is a
     * JSON-RPC error, since neither result has an error shape of its own.
     */
    const handleServerRead = async (id: JsonRpcId, method: 'resources/read' | 'prompts/get', params: Record<string, unknown> | undefined, line: string) => {
      const args = params !== null && typeof params === 'object' && !Array.isArray(params) ? params : {};
      const tool = upstreamName(method === 'resources/read' ? 'resources.read' : 'prompts.get');
      await judgeAndRun(id, line, { tool, args, shown: params, refuse: (rid, m) => rid !== undefined && toClient(errorReply(rid, AEX_REFUSED, `AEX: ${m}`)) });
    };

    interface Judged {
      tool: string;
      args: Record<string, unknown>;
      /** The arguments as the client sent them, for the confirmation question. */
      shown: unknown;
      meta?: MetaName;
      refuse(id: JsonRpcId | undefined, message: string): void;
    }

    /** Describe, let the kernel decide, ask when it says confirm, then forward (or run the meta-tool). */
    const judgeAndRun = async (id: JsonRpcId | undefined, line: string, call: Judged) => {
      const { tool, args, meta } = call;
      const refuse = call.refuse;
      const rawArgs = call.shown;
      const described = await describeForKernel(meta ? { tool, args } : { tool, args, mcp: true }, describeCtx);
      // Meta-tools need an allow rule like any tool but cost no budget.
      const decide = () => decideCall(perms, { callsUsed: state.callsUsed }, described, meta ? { free: true } : {});
      let d = decide();
      for (const e of d.events) audit.emit(e);
      if (d.verdict === 'deny' || d.verdict === 'not_allowed' || d.verdict === 'budget_exhausted') {
        record(tool, 'block', refusalReason(d));
        refuse(id, d.message);
        return;
      }
      if (d.verdict === 'confirm') {
        if (setup.autoConfirm) {
          audit.emit({ event: 'confirm.auto_approved', tool });
        } else if (clientCanElicit && id !== undefined) {
          const approved = await confirmWithUser(id, d.message, rawArgs);
          awaitingUser.delete(idKey(id));
          if (cancelled.delete(idKey(id))) {
            // The client gave up on this call: no reply (MCP cancellation), no budget.
            audit.emit({ event: 'confirm.denied', tool, reason: 'cancelled' });
            record(tool, 'block', 'confirm_denied');
            return;
          }
          if (!approved) {
            audit.emit({ event: 'confirm.denied', tool, reason: 'declined' });
            record(tool, 'block', 'confirm_denied');
            refuse(id, `${d.message}; the user declined`);
            return;
          }
          audit.emit({ event: 'confirm.approved', tool });
          // Other calls may have spent the budget while the user was deciding.
          const again = decide();
          if (again.verdict !== 'allow' && again.verdict !== 'confirm') {
            for (const e of again.events) audit.emit(e);
            record(tool, 'block', refusalReason(again));
            refuse(id, again.message);
            return;
          }
          d = again;
        } else {
          audit.emit({ event: 'confirm.denied', tool, reason: 'no_handler' });
          record(tool, 'block', 'confirm_required');
          refuse(id, `${d.message}; this client cannot ask the user (it has no elicitation capability), so the call is refused`);
          return;
        }
      }
      if (meta) {
        // A meta-tool runs in the proxy: nothing is forwarded and no budget is spent.
        for (const e of d.proceed) audit.emit(e);
        return runMeta(id, meta, args);
      }
      if (upstreamGone) {
        // Not a refusal but a failure: the call cannot run, so it costs nothing.
        if (id !== undefined) toClient(errorReply(id, INTERNAL_ERROR, spawnFailed ? 'Upstream server could not be started.' : 'Upstream server is not running.'));
        return;
      }
      state.callsUsed += 1;
      record(tool, 'forward');
      const charged: Record<string, unknown> = { calls_used: state.callsUsed };
      if (budget !== undefined) charged.budget = budget;
      for (const e of d.proceed) audit.emit({ ...e, ...charged });
      forwardRequest(id, line);
    };

    const fromClient = (line: string) => {
      const c = classifyLine(line);
      switch (c.kind) {
        case 'blank':
          return;
        case 'parse_error':
          audit.emit({ event: 'proxy.parse_error', line: line.slice(0, 200) });
          toClient(errorReply(null, PARSE_ERROR, 'Parse error'));
          return;
        case 'batch':
          audit.emit({ event: 'proxy.invalid_request', why: 'batch' });
          toClient(errorReply(null, INVALID_REQUEST, 'Invalid Request: batch requests are not supported'));
          return;
        case 'invalid':
          audit.emit({ event: 'proxy.invalid_request', why: c.why });
          toClient(errorReply(c.id, INVALID_REQUEST, `Invalid Request: ${c.why}`));
          return;
        case 'response': {
          const resolve = own.get(idKey(c.id));
          if (resolve) {
            own.delete(idKey(c.id));
            resolve((c.message as { result?: unknown }).result);
            return;
          }
          toUpstream(line + '\n');
          return;
        }
        case 'notification':
          if (c.method === 'notifications/cancelled') {
            const rid = (c.params as { requestId?: unknown } | undefined)?.requestId;
            if (typeof rid === 'string' || typeof rid === 'number') {
              const elicitId = awaitingUser.get(idKey(rid));
              if (elicitId !== undefined) {
                // Still asking the user: withdraw the question; the call was never forwarded.
                cancelled.add(idKey(rid));
                toClient(encode({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: elicitId, reason: 'tool call cancelled by the client' } }));
                own.get(idKey(elicitId))?.(undefined);
                own.delete(idKey(elicitId));
                return;
              }
            }
          }
          if (c.method === 'tools/call') {
            void handleToolCall(undefined, c.params, line);
            return;
          }
          toUpstream(line + '\n');
          return;
        case 'request':
          if (c.method === 'tools/call') {
            void handleToolCall(c.id, c.params, line);
            return;
          }
          if (c.method === 'resources/read' || c.method === 'prompts/get') {
            void handleServerRead(c.id, c.method, c.params, line);
            return;
          }
          if (c.method === 'initialize') {
            const caps = (c.params?.capabilities ?? {}) as Record<string, unknown>;
            const el = caps.elicitation as Record<string, unknown> | undefined;
            // Form mode is what a confirmation needs: declared, or implied by an empty object.
            clientCanElicit = !!el && typeof el === 'object' && (el.form !== undefined || el.url === undefined);
          } else if (c.method === 'tools/list') {
            toolLists.set(idKey(c.id), c.params?.cursor !== undefined && c.params?.cursor !== null);
          }
          forwardRequest(c.id, line);
          return;
      }
    };

    const filterToolList = (line: string, hadCursor: boolean): string => {
      let msg: { result?: { tools?: unknown } };
      try {
        msg = JSON.parse(line) as typeof msg;
      } catch {
        return line + '\n';
      }
      const tools = msg.result?.tools;
      if (!Array.isArray(tools)) return line + '\n';
      const kept: unknown[] = [];
      const removed: string[] = [];
      for (const t of tools) {
        const name = (t as { name?: unknown })?.name;
        if (typeof name === 'string' && !META_ALIASES[name] && toolMayBeAllowed(perms, upstreamName(name))) kept.push(t);
        else removed.push(typeof name === 'string' ? name : String(name));
      }
      // A meta-tool is listed only when the policy could allow it (SPEC-2 §18).
      const metas = hadCursor ? [] : META_TOOL_DEFS.filter((m) => toolMayBeAllowed(perms, m.canonical)).map((m) => m.tool);
      msg.result!.tools = [...kept, ...metas];
      audit.emit({ event: 'tools.filtered', total: tools.length, allowed: kept.length, removed, meta_tools: metas.length });
      return encode(msg);
    };

    const fromUpstream = (line: string) => {
      const c = classifyLine(line);
      if (c.kind === 'blank') return;
      if (c.kind === 'parse_error' || c.kind === 'batch' || c.kind === 'invalid') {
        audit.emit({ event: 'upstream.non_jsonrpc', line: line.slice(0, 200) });
        return;
      }
      if (c.kind === 'response' && c.id !== undefined) {
        const key = idKey(c.id);
        pending.delete(key);
        const hadCursor = toolLists.get(key);
        if (hadCursor !== undefined) {
          toolLists.delete(key);
          toClient(filterToolList(line, hadCursor));
          return;
        }
      }
      toClient(line + '\n');
    };

    // --- upstream process -------------------------------------------------------
    const upstreamLines = new LineSplitter(fromUpstream, () => audit.emit({ event: 'upstream.non_jsonrpc', line: '(line over size limit)' }));
    child.on('spawn', () => {
      upstreamUp = true;
      audit.emit({ event: 'upstream.started', command: setup.command, pid: child.pid ?? null });
    });
    child.on('error', (err) => {
      if (upstreamUp) {
        audit.emit({ event: 'upstream.error', message: err.message });
        return;
      }
      // Spawn failure: answer whatever is waiting, keep answering briefly, exit 127.
      spawnFailed = true;
      upstreamGone = true;
      audit.emit({ event: 'upstream.error', message: err.message });
      io.stderr.write(`error cannot start upstream "${setup.command}": ${err.message}\n`);
      failPending('Upstream server could not be started.');
      const t = setTimeout(() => finish(SPAWN_FAILURE_EXIT), clientEnded ? 0 : 1000);
      t.unref?.();
      killTimer = t;
    });
    child.stdout?.on('data', (chunk: Buffer) => upstreamLines.push(chunk));
    child.stdin?.on('error', () => {
      /* EPIPE after the upstream died: reported through 'close' */
    });
    child.on('close', (code, signal) => {
      if (spawnFailed) return;
      upstreamGone = true;
      upstreamLines.flush();
      const exitCode = code ?? signalExitCode(signal);
      if (code !== 0) audit.emit({ event: 'upstream.crashed', code, signal });
      failPending(`Upstream server exited (${code !== null ? `code ${code}` : `signal ${signal}`}) before answering.`);
      finish(exitCode);
    });

    // --- client side -----------------------------------------------------------
    const clientLines = new LineSplitter(fromClient, () => {
      audit.emit({ event: 'proxy.parse_error', line: '(line over size limit)' });
      toClient(errorReply(null, PARSE_ERROR, 'Parse error'));
    });
    io.stdin.on('data', (chunk: Buffer) => clientLines.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    io.stdin.on('end', () => {
      clientEnded = true;
      clientLines.flush();
      for (const resolve of own.values()) resolve(undefined);
      own.clear();
      audit.emit({ event: 'client.closed' });
      if (spawnFailed) {
        finish(SPAWN_FAILURE_EXIT);
        return;
      }
      // Close the upstream's stdin, give it 5 s to exit, then SIGTERM (then SIGKILL).
      try {
        child.stdin?.end();
      } catch {
        /* already closed */
      }
      killTimer = setTimeout(() => {
        if (upstreamGone) return;
        audit.emit({ event: 'upstream.terminated', signal: 'SIGTERM' });
        child.kill('SIGTERM');
        killTimer = setTimeout(() => {
          if (!upstreamGone) child.kill('SIGKILL');
        }, KILL_GRACE_MS);
      }, CLIENT_EOF_GRACE_MS);
    });
    io.stdin.on('error', () => {
      /* treated like EOF by 'end'/'close' */
    });
    // The client closed its end of our stdout (EPIPE): nobody can read replies any more.
    io.stdout.on('error', () => {
      if (!clientEnded) io.stdin.emit('end');
    });

    // When the client stops the proxy with a signal, pass it on and exit with the
    // upstream's status once it is gone (the audit is written synchronously).
    if (setup.forwardSignals) {
      for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
        process.on(sig, () => {
          audit.emit({ event: 'proxy.signal', signal: sig });
          if (upstreamGone || spawnFailed) finish(signalExitCode(sig));
          else child.kill(sig);
        });
      }
    }
  });
}
