// The upstream MCP server as a child process, seen by the relay as a message endpoint
// over its stdin and stdout. Its stderr is never inherited: each line is passed on
// prefixed and escaped, so a server cannot write a line that looks like AEX's audit.
//
// Shutdown (close()) follows the MCP SDK's close sequence with room to spare before the
// client's own SIGKILL: close the server's stdin, SIGTERM after `termAfterMs` (1 s),
// SIGKILL after `killAfterMs` more (2 s). The server runs in its own process group and
// the signals go to the group, so a wrapper (npx, sh) does not leave its child behind.

import { spawn, type ChildProcess } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import type { AuditEventData } from '../../runtime/kernel/types.js';
import type { JsonRpcMessage, MessageEndpoint } from './endpoint.js';
import { StdioEndpoint } from './stdio-endpoint.js';

export interface ShutdownGrace {
  /** From closing the server's stdin to SIGTERM. */
  termAfterMs: number;
  /** From SIGTERM to SIGKILL. */
  killAfterMs: number;
}

export const DEFAULT_GRACE: ShutdownGrace = { termAfterMs: 1000, killAfterMs: 2000 };

export interface UpstreamProcessOptions {
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  maxMessageBytes?: number;
  grace?: ShutdownGrace;
  /** Where the server's stderr lines go (prefixed and escaped). */
  stderr: NodeJS.WritableStream;
  audit(e: AuditEventData): void;
}

const STDERR_LINE_MAX = 4096;

/** One stderr line as the proxy passes it on: a fixed prefix, control characters escaped. */
export function framedStderrLine(line: string): string {
  let s = line.length > STDERR_LINE_MAX ? line.slice(0, STDERR_LINE_MAX) + '…' : line;
  // eslint-disable-next-line no-control-regex
  s = s.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `upstream| ${s}\n`;
}

export function signalExitCode(signal: NodeJS.Signals | null): number {
  if (!signal) return 1;
  const n = (osConstants.signals as Record<string, number>)[signal];
  return typeof n === 'number' ? 128 + n : 1;
}

export class UpstreamProcess implements MessageEndpoint {
  onmessage?: (message: unknown) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onproblem?: MessageEndpoint['onproblem'];
  private child: ChildProcess | undefined;
  private io: StdioEndpoint | undefined;
  private exited = false;
  private timers: NodeJS.Timeout[] = [];
  private shuttingDown = false;
  /** Exit status once the process is gone. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(private readonly opts: UpstreamProcessOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = spawn(this.opts.command, this.opts.args, {
          stdio: ['pipe', 'pipe', 'pipe'],
          cwd: this.opts.cwd,
          env: this.opts.env ?? process.env,
          detached: true,
        });
      } catch (err) {
        reject(err);
        return;
      }
      this.child = child;
      const io = new StdioEndpoint(child.stdout!, child.stdin!, { endOutputOnClose: true, ...(this.opts.maxMessageBytes !== undefined ? { maxMessageBytes: this.opts.maxMessageBytes } : {}) });
      this.io = io;
      io.onmessage = (m) => this.onmessage?.(m);
      io.onproblem = (p) => this.onproblem?.(p);
      // The stream's end is not the end of the server: 'close' of the process is.
      io.onclose = () => {};
      io.onerror = () => {
        /* EPIPE after the server died: reported through 'close' */
      };
      this.passStderr(child);
      let started = false;
      child.on('spawn', () => {
        started = true;
        this.opts.audit({ event: 'upstream.started', command: this.opts.command, pid: child.pid ?? null });
        void io.start();
        resolve();
      });
      child.on('error', (err) => {
        if (!started) {
          this.exited = true;
          reject(err);
          return;
        }
        this.onerror?.(err);
      });
      child.on('close', (code, signal) => {
        if (!started) return;
        this.exited = true;
        this.exit = { code, signal };
        for (const t of this.timers) clearTimeout(t);
        if (code !== 0) this.opts.audit({ event: 'upstream.crashed', code, signal });
        this.onclose?.();
      });
    });
  }

  private passStderr(child: ChildProcess): void {
    let rest = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      rest += chunk;
      let nl: number;
      while ((nl = rest.indexOf('\n')) >= 0) {
        this.opts.stderr.write(framedStderrLine(rest.slice(0, nl).replace(/\r$/, '')));
        rest = rest.slice(nl + 1);
      }
      // A server that never ends its line cannot make the proxy hold it all.
      if (rest.length > STDERR_LINE_MAX) {
        this.opts.stderr.write(framedStderrLine(rest));
        rest = '';
      }
    });
    child.stderr?.on('end', () => {
      if (rest !== '') this.opts.stderr.write(framedStderrLine(rest));
      rest = '';
    });
  }

  async send(message: JsonRpcMessage): Promise<void> {
    if (this.exited || !this.io) throw new Error('upstream is not running');
    await this.io.send(message);
  }

  /** Text for requests the server left unanswered. */
  goneText(): string {
    const e = this.exit;
    if (!e) return 'Upstream server exited before answering.';
    return `Upstream server exited (${e.code !== null ? `code ${e.code}` : `signal ${e.signal}`}) before answering.`;
  }

  /** Exit code for the proxy: the server's own, or 128 + its signal. */
  exitCode(): number {
    const e = this.exit;
    if (!e) return 1;
    return e.code ?? signalExitCode(e.signal);
  }

  /** Sends `signal` to the server's process group (the server alone if that fails). */
  signal(signal: NodeJS.Signals): void {
    const child = this.child;
    if (!child || this.exited || child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      try {
        child.kill(signal);
      } catch {
        /* already gone */
      }
    }
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(fn, ms);
    this.timers.push(t);
  }

  /** The close sequence: stdin closed now, SIGTERM after termAfterMs, SIGKILL after killAfterMs more. */
  async close(): Promise<void> {
    if (this.shuttingDown || this.exited) return;
    this.shuttingDown = true;
    const grace = this.opts.grace ?? DEFAULT_GRACE;
    await this.io?.close();
    this.later(grace.termAfterMs, () => this.terminate(grace.killAfterMs));
  }

  /** SIGTERM now and SIGKILL after `killAfterMs` if the server is still there. */
  terminate(killAfterMs: number): void {
    if (this.exited) return;
    this.opts.audit({ event: 'upstream.terminated', signal: 'SIGTERM' });
    this.signal('SIGTERM');
    this.later(killAfterMs, () => {
      if (this.exited) return;
      this.opts.audit({ event: 'upstream.terminated', signal: 'SIGKILL' });
      this.signal('SIGKILL');
    });
  }
}
