// In-process harness for the proxy core: the relay between a scripted client endpoint
// and a fake upstream endpoint (a function from request to replies), no process spawned.
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import type { JsonRpcMessage, MessageEndpoint } from '../../src/adapters/mcp/endpoint.js';
import { openProxyAudit } from '../../src/adapters/mcp/audit.js';
import { memoryBudget, type CallBudget } from '../../src/adapters/mcp/budget.js';
import { relayOptions, type ProxySetup } from '../../src/adapters/mcp/proxy.js';
import { startRelay, type Relay } from '../../src/adapters/mcp/relay.js';
import { loadPolicyFile } from '../../src/runtime/policy/load.js';
import { mergePermissions } from '../../src/rules/merge.js';

/** The client side as the test drives it: `say` sends to the proxy, `next` awaits what the proxy sent. */
export class ScriptedClient implements MessageEndpoint {
  onmessage?: (m: unknown) => void;
  onclose?: () => void;
  onproblem?: MessageEndpoint['onproblem'];
  readonly inbox: JsonRpcMessage[] = [];
  private waiters: Array<(m: JsonRpcMessage) => void> = [];
  private started!: () => void;
  readonly ready = new Promise<void>((r) => (this.started = r));
  async start(): Promise<void> {
    this.started();
  }
  async send(m: JsonRpcMessage): Promise<void> {
    // A copy, as a wire would make: the relay must not rely on sharing objects.
    const copy = JSON.parse(JSON.stringify(m)) as JsonRpcMessage;
    const w = this.waiters.shift();
    if (w) w(copy);
    else this.inbox.push(copy);
  }
  async close(): Promise<void> {}
  say(m: unknown): void {
    this.onmessage?.(m);
  }
  next(timeoutMs = 5000): Promise<JsonRpcMessage> {
    const ready = this.inbox.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no message from the proxy')), timeoutMs);
      this.waiters.push((m) => {
        clearTimeout(t);
        resolve(m);
      });
    });
  }
  hangUp(): void {
    this.onclose?.();
  }
}

export type Handler = (m: JsonRpcMessage, up: FakeUpstream) => JsonRpcMessage[] | void;

/** An upstream server in-process: every message it receives is recorded and answered by `handler`. */
export class FakeUpstream implements MessageEndpoint {
  onmessage?: (m: unknown) => void;
  onclose?: () => void;
  onproblem?: MessageEndpoint['onproblem'];
  readonly received: JsonRpcMessage[] = [];
  record = true;
  constructor(private readonly handler: Handler) {}
  async start(): Promise<void> {}
  async send(m: JsonRpcMessage): Promise<void> {
    const copy = this.record ? (JSON.parse(JSON.stringify(m)) as JsonRpcMessage) : m;
    if (this.record) this.received.push(copy);
    const replies = this.handler(copy, this) ?? [];
    for (const r of replies) queueMicrotask(() => this.onmessage?.(r));
  }
  /** The server sends something of its own (a request or notification to the client). */
  push(m: unknown): void {
    this.onmessage?.(m);
  }
  async close(): Promise<void> {
    queueMicrotask(() => this.onclose?.());
  }
}

/** A server with a few tools: echo, and anything else answers its own name. */
export const echoServer: Handler = (m) => {
  if (m.id === undefined || m.method === undefined) return;
  const params = (m.params ?? {}) as Record<string, unknown>;
  if (m.method === 'tools/call') return [{ jsonrpc: '2.0', id: m.id, result: { content: [{ type: 'text', text: `ran ${String(params.name)}` }] } }];
  return [{ jsonrpc: '2.0', id: m.id, result: {} }];
};

export interface InProc {
  dir: string;
  client: ScriptedClient;
  upstream: FakeUpstream;
  relay: Relay;
  events: () => Array<Record<string, unknown>>;
  call(id: number | string, name: string, args?: Record<string, unknown>): Promise<JsonRpcMessage>;
  cleanup(): void;
}

export function tempProject(): string {
  return realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-proxy-core-')));
}

/** A null sink that keeps nothing (the audit of long runs). */
export function nullStream(): Writable {
  return new Writable({ write: (_c, _e, cb) => cb() });
}

export async function setupFor(dir: string, policy: Record<string, unknown> | string, extra: Partial<ProxySetup> = {}): Promise<ProxySetup> {
  const file = path.join(dir, typeof policy === 'string' ? 'policy.aex' : 'policy.json');
  writeFileSync(file, typeof policy === 'string' ? policy : JSON.stringify(policy));
  const layer = (await loadPolicyFile(file, { cwd: dir })).layer;
  return { cwd: dir, perms: mergePermissions({ policy: layer, cwd: dir }), policy: layer, policyFile: file, autoConfirm: false, command: 'fake', args: [], ...extra };
}

export async function inProc(
  policy: Record<string, unknown> | string,
  opts: { handler?: Handler; setup?: Partial<ProxySetup>; budget?: CallBudget; keepEvents?: boolean; dir?: string; auditRelease?: () => void } = {},
): Promise<InProc> {
  const dir = opts.dir ?? tempProject();
  const setup = await setupFor(dir, policy, opts.setup);
  const lines: string[] = [];
  const keep = opts.keepEvents !== false;
  const stderr = keep
    ? new Writable({
        write(c, _e, cb) {
          lines.push(String(c));
          cb();
        },
      })
    : nullStream();
  const opened = openProxyAudit(undefined, stderr);
  // auditRelease stands in for the write of a batch's audit lines (a test makes it fail).
  const audit = opts.auditRelease ? { ...opened, release: opts.auditRelease } : opened;
  const client = new ScriptedClient();
  const upstream = new FakeUpstream(opts.handler ?? echoServer);
  const relay = startRelay(client, upstream, relayOptions(setup, audit, opts.budget ?? memoryBudget()));
  await client.ready;
  return {
    dir,
    client,
    upstream,
    relay,
    events: () => lines.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
    call: (id, name, args = {}) => {
      client.say({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
      return client.next();
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export { PassThrough };
