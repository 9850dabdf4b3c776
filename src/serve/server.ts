// `aex serve`: one long-running process answering hook payloads of every host over HTTP.
//
//   POST /hook/HOST   body: the host's hook payload (JSON)
//
// Two kinds of caller. Claude Code's own `http` hooks post the payload and read the body as
// they would a command hook's stdout; the gate's thin client (`aex gate --server`, header
// `x-aex-client: command`) gets the whole answer (stdout, stderr, exit code) as JSON and
// prints it. Either way the answer comes from the same gate core as `aex gate`, with the same
// budget ledger and audit; the policies are kept in memory (policy-memory.ts). Every
// request carries its own project root (from the payload and the host variables the client
// forwards), so one server serves many projects.

import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { HookInputError, type HookAnswer, type HostName, type HostProtocol } from '../adapters/host-protocol.js';
import { hostIsAvailable, hostProtocol } from '../adapters/hosts.js';
import { blockingDecision } from '../adapters/claude-code/protocol.js';
import { judgeHook, type SessionCommit } from '../gate/core.js';
import type { BudgetJudgement } from '../runtime/state/budget.js';
import type { AuditEventData } from '../runtime/kernel/types.js';
import { withHostEnv } from '../gate/host-env.js';
import { HOST_NAMES } from '../gate/options.js';
import { bearerOf, tokenMatcher } from './auth.js';
import { PolicyMemory } from './policy-memory.js';
import { ReadAfterReceipt } from './read-after-receipt.js';
import { sharedLookups } from './shared-lookups.js';
import { GateAuditAppender } from '../runtime/audit/gate-audit.js';
import { LedgerBatcher } from '../runtime/state/budget-batch.js';
import { ProjectStateDirectories } from '../runtime/state-dir.js';
import { auditKeyFileFrom, readAuditKey } from '../audit/key.js';

/** A hook payload is small; anything bigger is refused before it is read whole. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface ServeOptions {
  /** `{host, port}` on loopback, or a Unix socket path. */
  listen: { host: string; port: number } | { socket: string };
  /** Required bearer token; undefined only when the caller chose to run without one. */
  token: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** Base of relative paths in requests (the server's cwd). */
  processCwd?: string;
  policy?: string;
  contract?: string;
  allowNoPolicy?: boolean;
  /** Seals every append, as `aex gate --audit-key-file` does (default: $AEX_AUDIT_KEY_FILE of env). */
  auditKeyFile?: string;
}

export interface RunningServer {
  url: string;
  server: http.Server;
  policies: PolicyMemory;
  /** Group commits so far (tests, the bench). */
  batches: LedgerBatcher['stats'];
  /** The lookups shared between requests (tests: how many reads were made). */
  lookups: ReadAfterReceipt;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

function hostEnvHeader(v: string | string[] | undefined): unknown {
  if (typeof v !== 'string') return undefined;
  try {
    return JSON.parse(Buffer.from(v, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HookInputError(`hook payload over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** For Claude Code's http hooks: the body is the decision; a failure must still block. */
function httpHookBody(host: HostName, answer: HookAnswer): string {
  if (answer.exitCode === 0) return answer.stdout;
  if (host === 'claude-code') return blockingDecision(answer.stderr.trim().replace(/^aex gate: /, ''));
  return JSON.stringify(answer);
}

export async function startServe(opts: ServeOptions): Promise<RunningServer> {
  const policies = new PolicyMemory();
  // A plain copy: each request copies it again with its host variables, and copying
  // process.env itself (an exotic object) costs more than deciding the call.
  const baseEnv: NodeJS.ProcessEnv = { ...(opts.env ?? process.env) };
  const processCwd = opts.processCwd ?? process.cwd();
  // The key is read once, at start: a key that cannot be read stops the server from
  // starting rather than letting it answer with an unsealed audit.
  const keyFile = auditKeyFileFrom(opts.auditKeyFile, baseEnv);
  const keyPath = keyFile !== undefined ? path.resolve(processCwd, keyFile) : undefined;
  const auditKey = keyPath !== undefined ? { file: keyPath, key: readAuditKey(keyPath) } : undefined;
  const stateDirs = new ProjectStateDirectories();
  const audit = new GateAuditAppender();
  // Calls of one session that arrive together are judged under one lock and audited in one
  // append (group commit); each is answered only after its audit line is written.
  const batcher = new LedgerBatcher({ lease: {} });
  const reads = new ReadAfterReceipt();
  const protocols = new Map<HostName, HostProtocol>();
  const tokenOk = opts.token !== undefined ? tokenMatcher(opts.token) : undefined;
  // One copy of the environment per set of host variables (most requests send the same).
  const envs = new Map<string, NodeJS.ProcessEnv>();
  const envFor = (header: string | string[] | undefined): NodeJS.ProcessEnv => {
    const key = typeof header === 'string' ? header : '';
    let env = envs.get(key);
    if (env === undefined) {
      env = withHostEnv(baseEnv, hostEnvHeader(header));
      if (envs.size >= 256) envs.clear();
      envs.set(key, env);
    }
    return env;
  };
  const judgeEnv = {
    processCwd,
    policies,
    stateDirectoryOf: (root: string, env: NodeJS.ProcessEnv) => stateDirs.of(root, env),
    appendAudit: audit.append.bind(audit),
    auditKey: () => auditKey,
    commit: <J extends BudgetJudgement>(c: SessionCommit<J>) =>
      batcher.submit(
        { projectState: c.projectState, sessionId: c.sessionId, key: c.auditFile, write: (events: AuditEventData[]) => audit.append(c.auditFile, events, c.auditOpts) },
        { limit: c.limit, judge: c.judge, records: c.events },
      ),
  };
  const judgeOpts = {
    allowNoPolicy: opts.allowNoPolicy === true,
    deferAllow: false,
    ...(opts.policy !== undefined ? { policy: opts.policy } : {}),
    ...(opts.contract !== undefined ? { contract: opts.contract } : {}),
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    // The path without its query; no URL object per request (nothing here needs more).
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const pathname = q === -1 ? target : target.slice(0, q);
    if (req.method === 'GET' && pathname === '/health') return send(res, 200, '{"ok":true}');
    const m = /^\/hook\/([a-z-]+)$/.exec(pathname);
    if (m === null) return send(res, 404, '{"error":"POST /hook/HOST"}');
    if (req.method !== 'POST') return send(res, 405, '{"error":"POST only"}');
    if (tokenOk !== undefined && !tokenOk(bearerOf(req.headers.authorization))) return send(res, 401, '{"error":"bad or missing bearer token"}');
    const host = m[1] as HostName;
    if (!(HOST_NAMES as readonly string[]).includes(host) || !hostIsAvailable(host)) return send(res, 404, JSON.stringify({ error: `host ${host} is not available` }));
    const protocol = protocols.get(host) ?? (await hostProtocol(host));
    protocols.set(host, protocol);
    const asCommand = req.headers['x-aex-client'] === 'command';
    let answer: HookAnswer;
    try {
      const text = await readBody(req);
      if (text.trim() === '') throw new HookInputError('no input received');
      let payload: unknown;
      try {
        payload = JSON.parse(text);
      } catch {
        throw new HookInputError('invalid JSON in the request body');
      }
      // The host's session variables come from the client (command hooks); http hooks send none.
      const hostEnv = asCommand ? req.headers['x-aex-host-env'] : undefined;
      const env = envFor(hostEnv);
      const since = reads.received();
      // Judged in the next turn, after the other requests that have arrived meanwhile were
      // read too: they share the lookups (made after all of them arrived) and the group commit.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const lookups = sharedLookups(reads, since);
      const sources = { load: (root: string, policyFile: string, contractFile: string | undefined) => policies.loadWith(root, policyFile, contractFile, lookups.stamp) };
      // The state folder's identity (from the root's stat) is shared the same way; env is one of envFor's copies.
      const envKey = typeof hostEnv === 'string' ? hostEnv : '';
      const stateDirectoryOf = (root: string, e: NodeJS.ProcessEnv) => (e === env ? reads.get(`state\0${envKey}\0${root}`, since, () => stateDirs.of(root, e)) : stateDirs.of(root, e));
      answer = await judgeHook(protocol, payload, judgeOpts, { ...judgeEnv, env, lookups, policies: sources, stateDirectoryOf });
    } catch (err) {
      answer = protocol.failure((err as Error).message);
    }
    if (asCommand) return send(res, 200, JSON.stringify(answer));
    return send(res, 200, httpHookBody(host, answer));
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // Nothing may answer "go ahead" by accident: an unexpected error is a 500, which the thin client blocks on.
      if (!res.headersSent) send(res, 500, JSON.stringify({ error: (err as Error).message }));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if ('socket' in opts.listen) server.listen(opts.listen.socket, resolve);
    else server.listen(opts.listen.port, opts.listen.host, resolve);
  });
  const addr = server.address();
  const url = typeof addr === 'string' ? `unix:${addr}` : `http://${(addr as AddressInfo).address}:${(addr as AddressInfo).port}`;
  return {
    url,
    server,
    policies,
    batches: batcher.stats,
    lookups: reads,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          audit.close();
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
