// tests.run (docs/language.md). This tool EXECUTES CODE: whatever program `cmd` names
// runs with the user's rights. Policies should treat it like `shell.exec`.
//
// `cmd` is an argv array (used verbatim, preferred) or a string split on spaces and
// tabs, refused when it contains shell syntax (; & | ` $ ! < > newline CR). There is
// never a shell. The command runs in its own process group under a watchdog, and when
// the call ends — by exit, timeout, output cap, abort, or this process being killed —
// everything it started is killed (./process-tree.ts, ./tests-watchdog.ts), so nothing
// it left behind acts after the call or the run; output is capped at 10 MB per stream.

import { spawn } from 'node:child_process';
import { toolRoot } from './confine.js';
import { endProcessTree, newRunToken, RUN_TOKEN_VAR } from './process-tree.js';
import { WATCHDOG_SOURCE } from './tests-watchdog.js';
import type { ToolContext } from './types.js';

export const DEFAULT_TESTS_TIMEOUT_MS = 600_000;
export const TESTS_OUTPUT_CAP = 10 * 1024 * 1024;
const DEFAULT_CMD = 'npm test';
const SHELL_META = /[;&|`$!<>\n\r]/;

export interface TestsRunResult {
  passed: boolean;
  stdout: string;
  stderr: string;
  exitCode: number | null;
  timedOut?: boolean;
  truncated?: boolean;
  signal?: string;
}

/** The argv a `cmd` argument stands for; throws for refused commands. */
export function testsArgv(cmd: unknown): string[] {
  if (Array.isArray(cmd)) {
    if (cmd.length === 0 || !cmd.every((x) => typeof x === 'string')) throw new Error('tests.run: "cmd" array must be non-empty strings.');
    if (cmd[0] === '') throw new Error('tests.run: empty program name.');
    if (cmd.some((x) => x.includes('\0'))) throw new Error('tests.run: command contains a NUL byte.');
    return [...cmd];
  }
  const text = typeof cmd === 'string' ? cmd : DEFAULT_CMD;
  if (text.includes('\0')) throw new Error('tests.run: command contains a NUL byte.');
  if (SHELL_META.test(text)) throw new Error(`tests.run: command refused, it contains shell syntax: ${JSON.stringify(text)}`);
  const argv = text.split(/[ \t]+/).filter((w) => w.length > 0);
  if (argv.length === 0) throw new Error('tests.run: empty command.');
  return argv;
}

export function testsTimeoutMs(): number {
  const raw = process.env.AEX_TESTS_TIMEOUT_MS;
  if (raw === undefined || raw === '') return DEFAULT_TESTS_TIMEOUT_MS;
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : DEFAULT_TESTS_TIMEOUT_MS;
}

/** How long the pipes may stay open after the command exited (a background job holding them). */
export const TESTS_DRAIN_MS = 1000;

export async function testsRun(args: Record<string, unknown>, ctx: ToolContext, opts: { drainMs?: number } = {}): Promise<TestsRunResult> {
  const argv = testsArgv((args ?? {}).cmd);
  const root = toolRoot(ctx);
  const timeoutMs = testsTimeoutMs();
  const token = newRunToken();
  const drainMs = opts.drainMs ?? TESTS_DRAIN_MS;
  return new Promise<TestsRunResult>((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLen = 0;
    let errLen = 0;
    let timedOut = false;
    let truncated = false;
    let settled = false;
    // The watchdog leads the command's process group and ends it if this process dies
    // (./tests-watchdog.ts); its stdin is the pipe whose end tells it so.
    const child = spawn(process.execPath, ['-e', WATCHDOG_SOURCE, '--', ...argv], {
      cwd: root,
      shell: false,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
      env: { ...process.env, [RUN_TOKEN_VAR]: token },
    });
    child.stdin!.on('error', () => undefined);
    const killGroup = () => {
      endProcessTree(child.pid, token);
      child.stdin?.destroy();
    };
    const finish = (r: TestsRunResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // The call is over: nothing the command started may outlive it.
      killGroup();
      ctx?.signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const text = () => ({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    const collect = (chunks: Buffer[], which: 'out' | 'err') => (b: Buffer) => {
      const len = which === 'out' ? outLen : errLen;
      const room = TESTS_OUTPUT_CAP - len;
      if (room <= 0 || b.length > room) {
        if (room > 0) chunks.push(b.subarray(0, room));
        if (which === 'out') outLen = TESTS_OUTPUT_CAP;
        else errLen = TESTS_OUTPUT_CAP;
        if (!truncated) {
          truncated = true;
          killGroup();
        }
        return;
      }
      chunks.push(b);
      if (which === 'out') outLen += b.length;
      else errLen += b.length;
    };
    child.stdout!.on('data', collect(out, 'out'));
    child.stderr!.on('data', collect(err, 'err'));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    const onAbort = () => killGroup();
    ctx?.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e: NodeJS.ErrnoException) => {
      // Missing executable (ENOENT), not executable (EACCES): a failed test run, not a tool failure.
      finish({ passed: false, exitCode: 1, stdout: '', stderr: `${argv[0]}: ${e.code === 'ENOENT' ? 'command not found' : e.message}` });
    });
    // A grandchild that keeps the pipes open must not hold the result hostage until
    // the timeout: once the child itself has exited, give the pipes a moment to
    // drain, then kill what is left of the group and report.
    child.on('exit', (code, signal) => {
      setTimeout(() => {
        if (settled) return;
        killGroup();
        child.stdout?.destroy();
        child.stderr?.destroy();
        report(code, signal);
      }, drainMs).unref();
    });
    const report = (code: number | null, signal: NodeJS.Signals | null) => {
      const { stdout, stderr } = text();
      if (timedOut) {
        finish({ passed: false, exitCode: null, timedOut: true, stdout, stderr });
        return;
      }
      const r: TestsRunResult = { passed: code === 0 && !truncated, stdout, stderr, exitCode: code };
      if (truncated) r.truncated = true;
      if (signal) r.signal = signal;
      finish(r);
    };
    child.on('close', report);
  });
}
