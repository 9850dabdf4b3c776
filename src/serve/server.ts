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
import { HookInputError, type HookAnswer, type HostName } from '../adapters/host-protocol.js';
import { hostIsAvailable, hostProtocol } from '../adapters/hosts.js';
import { blockingDecision } from '../adapters/claude-code/protocol.js';
import { judgeHook } from '../gate/core.js';
import { withHostEnv } from '../gate/host-env.js';
import { HOST_NAMES } from '../gate/options.js';
import { bearerOf, tokenMatches } from './auth.js';
import { PolicyMemory } from './policy-memory.js';
import { GateAuditAppender } from '../runtime/audit/gate-audit.js';
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
  const judgeEnv = {
    processCwd,
    policies,
    stateDirectoryOf: (root: string, env: NodeJS.ProcessEnv) => stateDirs.of(root, env),
    appendAudit: audit.append.bind(audit),
    auditKey: () => auditKey,
  };
  const judgeOpts = {
    allowNoPolicy: opts.allowNoPolicy === true,
    deferAllow: false,
    ...(opts.policy !== undefined ? { policy: opts.policy } : {}),
    ...(opts.contract !== undefined ? { contract: opts.contract } : {}),
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://aex-serve');
    if (req.method === 'GET' && url.pathname === '/health') return send(res, 200, '{"ok":true}');
    const m = /^\/hook\/([a-z-]+)$/.exec(url.pathname);
    if (m === null) return send(res, 404, '{"error":"POST /hook/HOST"}');
    if (req.method !== 'POST') return send(res, 405, '{"error":"POST only"}');
    if (opts.token !== undefined && !tokenMatches(opts.token, bearerOf(req.headers.authorization))) return send(res, 401, '{"error":"bad or missing bearer token"}');
    const host = m[1] as HostName;
    if (!(HOST_NAMES as readonly string[]).includes(host) || !hostIsAvailable(host)) return send(res, 404, JSON.stringify({ error: `host ${host} is not available` }));
    const protocol = await hostProtocol(host);
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
      const env = withHostEnv(baseEnv, asCommand ? hostEnvHeader(req.headers['x-aex-host-env']) : undefined);
      answer = await judgeHook(protocol, payload, judgeOpts, { ...judgeEnv, env });
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
