// Running git for the built-ins: execFile (no shell), bounded output, hardened so that
// no repository or user setting turns a git tool into code execution, and the root as
// the repository boundary so patch paths are always relative to the root and no git
// tool reads a file above it (git's own refusal is not relied upon).

import { execFile } from 'node:child_process';
import { lstatSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parsePatch, writtenFiles, readFiles } from '../../describe/patch.js';
import { checkGitReading } from './git-patch-check.js';
import { confine } from './confine.js';

export const GIT_MAX_BUFFER = 10 * 1024 * 1024;

/**
 * Settings that would let repository or user config run programs, switched off for
 * every git invocation of AEX (the git tools, `aex init`, repository identity). External
 * diff drivers and textconv are refused by git-diff.ts's own `--no-ext-diff
 * --no-textconv` (an empty diff.external makes git fail); clean/smudge/process filters
 * and diff drivers named by the repository's attributes are emptied per driver by
 * driverOverrides, since git has no switch that turns them all off.
 */
export const GIT_HARDENING = [
  '-c', 'core.fsmonitor=false',
  '-c', 'core.hooksPath=/dev/null',
  '-c', 'core.sshCommand=',
  '-c', 'protocol.allow=never',
  '-c', 'core.pager=cat',
  '-c', 'core.attributesFile=/dev/null',
  '-c', 'gc.auto=0',
  '-c', 'maintenance.auto=false',
];

/**
 * The environment of a git invocation: inherited GIT_* variables dropped (GIT_DIR,
 * GIT_EXTERNAL_DIFF, GIT_CONFIG_PARAMETERS … would redirect or extend git), neither
 * system nor global config nor system attributes, no pager, no prompts, and discovery
 * ceilinged just above `cwd`.
 */
export function gitEnv(cwd: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_') && k !== 'PAGER') env[k] = v;
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ATTR_NOSYSTEM: '1',
    GIT_PAGER: 'cat',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_CEILING_DIRECTORIES: path.dirname(cwd),
    LC_ALL: 'C',
    ...extra,
  };
}

function execGit(args: string[], cwd: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    execFile('git', [...GIT_HARDENING, ...args], { cwd, maxBuffer: GIT_MAX_BUFFER, env, ...(signal ? { signal } : {}) }, (err, stdout, stderr) => {
      if (err && typeof (err as { code?: unknown }).code !== 'number') {
        reject(new Error(`git ${args[0]} failed: ${err.message}`));
        return;
      }
      resolve({ stdout: String(stdout), stderr: String(stderr), code: err ? Number((err as { code?: number }).code) : 0 });
    });
  });
}

/**
 * Where a git tool's repository is: the root's own `.git` directory, or none. A `.git`
 * that is a file or a link (a worktree, a submodule, a planted `gitdir:` pointing at
 * the repository above) would make git read an index and files beyond the root, so it
 * is refused; a repository above the root is never looked for.
 */
export function repositoryAt(root: string): string | undefined {
  const dotGit = path.join(root, '.git');
  let st;
  try {
    st = lstatSync(dotGit);
  } catch {
    return undefined;
  }
  if (!st.isDirectory()) {
    throw new Error(`${dotGit} is not a directory (a git worktree, submodule or link); AEX's git tools only use a repository whose .git directory is inside the root`);
  }
  return dotGit;
}

/**
 * The config entries that empty every filter (clean, smudge, process) and diff driver
 * (textconv, command) the repository's config defines, given as GIT_CONFIG_KEY_n /
 * GIT_CONFIG_VALUE_n so a driver name with `=` in it cannot split the override. The
 * names are listed by a hardened git with includes followed, as git itself reads them.
 */
export async function driverOverrides(root: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<NodeJS.ProcessEnv> {
  const r = await execGit(['config', '-z', '--name-only', '--get-regexp', '^(filter|diff)\\.'], root, env, signal);
  // exit 1: no such key; anything else means git could not read its config: refuse.
  if (r.code !== 0 && r.code !== 1) throw new Error(`git config failed: ${r.stderr.trim().split('\n')[0] ?? ''}`);
  const entries: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const key of r.code === 0 ? r.stdout.split('\0') : []) {
    const m = /^(filter|diff)\.(.+)\.[^.]+$/s.exec(key);
    if (!m || seen.has(`${m[1]}.${m[2]}`)) continue;
    seen.add(`${m[1]}.${m[2]}`);
    const [, kind, name] = m;
    if (kind === 'filter') {
      entries.push([`filter.${name}.clean`, ''], [`filter.${name}.smudge`, ''], [`filter.${name}.process`, ''], [`filter.${name}.required`, 'false']);
    } else {
      entries.push([`diff.${name}.textconv`, ''], [`diff.${name}.command`, '']);
    }
  }
  const out: NodeJS.ProcessEnv = { GIT_CONFIG_COUNT: String(entries.length) };
  entries.forEach(([k, v], i) => {
    out[`GIT_CONFIG_KEY_${i}`] = k;
    out[`GIT_CONFIG_VALUE_${i}`] = v;
  });
  return out;
}

export interface RunGitOptions {
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** The command only makes sense in a repository (status, diff): refuse a root without one. */
  needsRepository?: string;
}

/**
 * Runs a git tool in `root` with the root as the repository boundary: the root's own
 * `.git` as GIT_DIR and the root as the work tree (a `core.worktree` elsewhere is
 * ignored), every filter and diff driver emptied, and no repository above the root.
 */
export async function runGit(args: string[], root: string, opts: RunGitOptions = {}): Promise<{ stdout: string; stderr: string }> {
  const gitDir = repositoryAt(root);
  if (gitDir === undefined && opts.needsRepository !== undefined) {
    throw new Error(
      `${opts.needsRepository} needs a git repository at the root ${root}: git runs with the root as the repository boundary, so a repository above it is never read`,
    );
  }
  let env = gitEnv(root, { ...(gitDir !== undefined ? { GIT_DIR: gitDir, GIT_WORK_TREE: root } : {}), ...(opts.env ?? {}) });
  if (gitDir !== undefined) env = { ...env, ...(await driverOverrides(root, env, opts.signal)) };
  const r = await execGit(args, root, env, opts.signal);
  if (r.code !== 0) {
    const msg = (r.stderr.trim() || `exit code ${r.code}`).split('\n').slice(0, 5).join(' ');
    throw new Error(`git ${args[0]} failed: ${msg}`);
  }
  return { stdout: r.stdout, stderr: r.stderr };
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
