// Running git for the built-ins: execFile (no shell), bounded output, hardened so that
// no repository or user setting turns a git tool into code execution (SPEC-2 §16.3),
// and repository discovery stopped at the root so patch paths are always relative to
// the root (SPEC §11: git's own refusal is not relied upon).

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parsePatch, writtenFiles, readFiles } from '../../describe/patch.js';
import { checkGitReading } from './git-patch-check.js';
import { confine } from './confine.js';

export const GIT_MAX_BUFFER = 10 * 1024 * 1024;

/**
 * Settings that would let repository or user config run programs, switched off for
 * every git tool (external diff drivers and textconv are refused by git-diff.ts's own
 * `--no-ext-diff --no-textconv`: an empty diff.external makes git fail).
 */
export const GIT_HARDENING = [
  '-c', 'core.fsmonitor=false',
  '-c', 'core.hooksPath=/dev/null',
  '-c', 'core.sshCommand=',
  '-c', 'protocol.allow=never',
  '-c', 'core.pager=cat',
  '-c', 'core.attributesFile=/dev/null',
];

/**
 * The environment of a git tool: inherited GIT_* variables dropped (GIT_DIR,
 * GIT_EXTERNAL_DIFF, GIT_CONFIG_PARAMETERS … would redirect or extend git), no system
 * config, no pager, no prompts, and discovery ceilinged just above `cwd`.
 */
export function gitEnv(cwd: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_') && k !== 'PAGER') env[k] = v;
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_PAGER: 'cat',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_CEILING_DIRECTORIES: path.dirname(cwd),
    LC_ALL: 'C',
    ...extra,
  };
}

export function runGit(args: string[], cwd: string, opts: { env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...GIT_HARDENING, ...args],
      { cwd, maxBuffer: GIT_MAX_BUFFER, env: gitEnv(cwd, opts.env), ...(opts.signal ? { signal: opts.signal } : {}) },
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

/**
 * Applies a unified diff in `root` with `git apply`; throws when AEX's parser cannot
 * read it, it touches a file outside the root, git reads it differently from the
 * parser (checked with `--numstat --summary -z` before anything is written), or git
 * cannot apply it.
 */
export async function applyDiff(diff: unknown, root: string, signal?: AbortSignal): Promise<{ applied: true }> {
  if (typeof diff !== 'string' || diff.trim() === '') throw new Error('A "diff" string argument is required.');
  if (diff.includes('\0')) throw new Error('Diff contains a NUL byte.');
  const reading = parsePatch(diff);
  if ('error' in reading) throw new Error(`Argument "diff" is not a valid unified diff: ${reading.error}.`);
  for (const f of [...writtenFiles(reading), ...readFiles(reading)]) confine(root, f);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aex-diff-'));
  const file = path.join(dir, 'patch.diff');
  const opts = signal ? { signal } : {};
  try {
    writeFileSync(file, diff.endsWith('\n') ? diff : diff + '\n', { mode: 0o600 });
    const { stdout } = await runGit(['apply', '--numstat', '--summary', '-z', file], root, opts);
    checkGitReading(stdout, reading.patches);
    await runGit(['apply', '--whitespace=nowarn', file], root, opts);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { applied: true };
}
