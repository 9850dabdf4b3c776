// Running git for the built-ins: execFile (no shell), bounded output, and for
// `git apply` the repository discovery is stopped at the root so patch paths are
// always relative to the root (SPEC §11: git's own refusal is not relied upon).

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { diffTouchedFiles } from '../policy/paths.js';
import { confine } from './confine.js';

export const GIT_MAX_BUFFER = 10 * 1024 * 1024;

export function runGit(args: string[], cwd: string, opts: { env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, maxBuffer: GIT_MAX_BUFFER, env: { ...process.env, ...opts.env }, ...(opts.signal ? { signal: opts.signal } : {}) },
      (err, stdout, stderr) => {
        if (err) {
          const msg = (String(stderr).trim() || err.message).split('\n').slice(0, 5).join(' ');
          reject(new Error(`git ${args[0]} failed: ${msg}`));
          return;
        }
        resolve({ stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** The "valid diff" test of SPEC §4.8 for a string: a diff header and ≥1 touched file. */
export function looksLikeDiff(diff: string): boolean {
  return /(^|\n)(diff --git|--- |@@ )/.test(diff) && diffTouchedFiles(diff).length > 0;
}

/**
 * Applies a unified diff in `root` with `git apply`; throws when it does not look
 * like a diff, touches a file outside the root, or git cannot apply it.
 */
export async function applyDiff(diff: unknown, root: string, signal?: AbortSignal): Promise<{ applied: true }> {
  if (typeof diff !== 'string' || diff.trim() === '') throw new Error('A "diff" string argument is required.');
  if (diff.includes('\0')) throw new Error('Diff contains a NUL byte.');
  if (!looksLikeDiff(diff)) throw new Error('Argument "diff" is not a valid unified diff.');
  for (const f of diffTouchedFiles(diff)) confine(root, f);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aex-diff-'));
  const file = path.join(dir, 'patch.diff');
  try {
    writeFileSync(file, diff.endsWith('\n') ? diff : diff + '\n', { mode: 0o600 });
    await runGit(['apply', '--whitespace=nowarn', file], root, {
      env: { GIT_CEILING_DIRECTORIES: path.dirname(root) },
      ...(signal ? { signal } : {}),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { applied: true };
}
