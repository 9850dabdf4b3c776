import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { StreamPairTransport } from './http/stream-client.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'aex.js');
export const SERVER = path.join(ROOT, 'tests', 'fixtures', 'mcp', 'server.mjs');

let stateDir: string | undefined;
/**
 * The environment of a spawned proxy: its own budget session (each proxy of a test is a
 * session of its own unless the test says otherwise) in a state folder of this test run.
 */
export function proxyEnv(extra: Record<string, string> = {}): Record<string, string> {
  if (stateDir === undefined) {
    const dir = mkdtempSync(path.join(tmpdir(), 'aex-proxy-state-'));
    stateDir = dir;
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return { ...(process.env as Record<string, string>), AEX_STATE_DIR: stateDir, AEX_SESSION_ID: `test-${randomUUID()}`, ...extra };
}

export interface Connected {
  client: Client;
  transport: StdioClientTransport | StreamPairTransport;
  stderr: () => string;
  /** Resolves once the proxy has exited (an in-process proxy; a spawned one is awaited by client.close()). */
  exited?: Promise<number>;
}

/** A real SDK client talking to `aex proxy ... -- node server.mjs` over stdio. */
export async function connectThroughProxy(
  cwd: string,
  proxyArgs: string[],
  capabilities: Record<string, unknown> = {},
  setup?: (client: Client) => void,
): Promise<Connected> {
  const client = new Client({ name: 'aex-test-client', version: '1.0.0' }, { capabilities });
  setup?.(client);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'proxy', ...proxyArgs, '--', process.execPath, SERVER],
    cwd,
    stderr: 'pipe',
    env: proxyEnv(),
  });
  let err = '';
  transport.stderr?.on('data', (d) => (err += d));
  await client.connect(transport, { timeout: 15_000 });
  return { client, transport, stderr: () => err };
}

/**
 * The same client → `aex proxy ... -- node server.mjs` → server (or `upstreamCommand`), with the proxy in this
 * process: the command line parsed by the proxy command's own cac definition, then
 * prepareProxy, the banner and runProxy of dist/ as `aex proxy` runs them (src/adapters/mcp/main.ts),
 * on a stream pair instead of the process's stdio; the server is still a process the proxy
 * starts. Its own budget session, in the state folder of this test run, as proxyEnv gives a
 * spawned proxy; short shutdown grace periods. Saves the proxy's node start-up (most of a
 * spawned connection's time); tests that are about the proxy process keep spawning it.
 */
export async function connectInProcess(
  cwd: string,
  proxyArgs: string[],
  capabilities: Record<string, unknown> = {},
  setup?: (client: Client) => void,
  upstreamCommand: string[] = [process.execPath, SERVER],
): Promise<Connected> {
  // The built modules `aex proxy` runs (dist/), loaded by Node itself, and only here: the many
  // files that import this one for BIN or SERVER need none of it.
  const dist = createRequire(import.meta.url);
  const built = (rel: string) => dist(path.join(ROOT, 'dist', rel)) as Record<string, unknown>;
  const { cac } = dist('cac') as typeof import('cac');
  const registerProxyCommand = built('cli/commands/proxy.js').register as typeof import('../../src/cli/commands/proxy.js').register;
  const prepareProxy = built('adapters/mcp/main.js').prepareProxy as typeof import('../../src/adapters/mcp/main.js').prepareProxy;
  const { banner, runProxy } = built('adapters/mcp/proxy.js') as unknown as typeof import('../../src/adapters/mcp/proxy.js');
  const wantsTransports = built('adapters/mcp/transport/cli.js').wantsTransports as typeof import('../../src/adapters/mcp/transport/cli.js').wantsTransports;
  const { StreamPairTransport } = await import('./http/stream-client.js');
  const cli = cac('aex');
  registerProxyCommand(cli);
  cli.parse([process.execPath, BIN, 'proxy', ...proxyArgs, '--', ...upstreamCommand], { run: false });
  const options = cli.options as Record<string, unknown>;
  if (cli.matchedCommand?.name !== 'proxy' || cli.args.length > 0 || wantsTransports(options)) {
    throw new Error(`connectInProcess runs a stdio proxy with an upstream command only, not: ${proxyArgs.join(' ')}`);
  }
  // The proxy's state folder (budget ledger, grants) is read from the environment at start-up
  // and by the relay: the one of this test run, as proxyEnv gives a spawned proxy.
  process.env.AEX_STATE_DIR = proxyEnv().AEX_STATE_DIR;
  const upstream = (options['--'] as unknown[]).map(String);
  const prepared = await prepareProxy(upstream, { ...options, session: options.session ?? `test-${randomUUID()}` }, cwd);
  let err = banner(prepared);
  const stderr = new PassThrough();
  stderr.on('data', (d) => (err += d));
  const pair = new StreamPairTransport();
  const exited = runProxy({ ...prepared, grace: { termAfterMs: 100, killAfterMs: 200 } }, { stdin: pair.toProxy, stdout: pair.fromProxy, stderr });
  const client = new Client({ name: 'aex-test-client', version: '1.0.0' }, { capabilities });
  setup?.(client);
  await client.connect(pair, { timeout: 15_000 });
  return { client, transport: pair, stderr: () => err, exited };
}

export interface RawProxy {
  child: ChildProcessWithoutNullStreams;
  send(line: string): void;
  /** Resolves with the next JSON line the proxy writes to stdout. */
  next(timeoutMs?: number): Promise<Record<string, unknown>>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
}

/**
 * Reads a proxy's stdout as JSON lines, in order: each call resolves with the next line,
 * parsed, or rejects after `timeoutMs` with the proxy's stderr so far (from `stderr`).
 */
export function jsonLineReader(stdout: NodeJS.ReadableStream, stderr: () => string): (timeoutMs: number) => Promise<Record<string, unknown>> {
  let buf = '';
  const lines: string[] = [];
  const waiters: Array<(l: string) => void> = [];
  stdout.on('data', (d) => {
    buf += d;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiters.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  return (timeoutMs) =>
    new Promise((resolve, reject) => {
      const ready = lines.shift();
      if (ready !== undefined) return resolve(JSON.parse(ready));
      const t = setTimeout(() => reject(new Error(`no reply within ${timeoutMs} ms; stderr: ${stderr()}`)), timeoutMs);
      waiters.push((l) => {
        clearTimeout(t);
        resolve(JSON.parse(l));
      });
    });
}

/** `aex proxy` as a child process spoken to in raw JSON-RPC lines. */
export function rawProxy(cwd: string, args: string[]): RawProxy {
  const child = spawn(process.execPath, [BIN, 'proxy', ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'], env: proxyEnv() });
  let err = '';
  const nextLine = jsonLineReader(child.stdout, () => err);
  child.stderr.on('data', (d) => (err += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    send: (line) => child.stdin.write(line + '\n'),
    next: (timeoutMs = 10_000) => nextLine(timeoutMs),
    exit,
    stderr: () => err,
  };
}

export const INIT = (id: number | string = 1, capabilities: Record<string, unknown> = {}) =>
  JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities, clientInfo: { name: 'raw', version: '1' } },
  });

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms))]);
}

/** Whether process `pid` still exists (signal 0 tests it without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
