import { spawn } from 'node:child_process';
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectStateDirectory } from '../../src/runtime/state-dir.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'aex.js');

export interface Run {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** The state folder the gate tests use (docs/design.md#where-state-lives): never the user's own. */
export const STATE_DIR = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-gate-state-')));

/** The environment of a gate process: test state folder, no project named by a host. */
export function gateEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AEX_STATE_DIR: STATE_DIR, ...extra };
  if (extra.CLAUDE_PROJECT_DIR === undefined) delete env.CLAUDE_PROJECT_DIR;
  return env;
}

/** Where the gate keeps budget and audit for project `root`. */
export function gateState(root: string): { budget: string; audit: (session: string) => string } {
  const dir = projectStateDirectory(root, { AEX_STATE_DIR: STATE_DIR });
  return { budget: path.join(dir, 'gate-budget'), audit: (session) => path.join(dir, 'audit', `gate-${session}.jsonl`) };
}

/** Runs `node bin/aex.js gate ARGS` with `input` on stdin (a real process, as Claude Code does). */
export function gate(input: string, args: string[] = [], cwd: string = ROOT, timeoutMs = 20_000, env: NodeJS.ProcessEnv = gateEnv()): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'gate', ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gate timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
    child.stdin.end(input);
  });
}

export function decision(kind: 'allow' | 'deny' | 'ask', reason: string): string {
  return (
    JSON.stringify({
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: kind, permissionDecisionReason: `AEX: ${reason}` },
    }) + '\n'
  );
}

/** Runs `fn` over `items` with at most `n` in flight. */
export async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}
