// The scratch project of the gate attack suite: a permissive policy (`allow *`, so that
// only AEX's own protection can refuse), every host's configuration file, a git folder,
// and a state folder of its own. `snapshot()` records every protected file's bytes so a
// test can assert that an attack left them as they were.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseGateArgs, runGate } from '../../src/gate/bundle-entry.js';
import { projectStateDirectory } from '../../src/runtime/state-dir.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(REPO, 'bin', 'aex.js');

export const OPEN_POLICY = `policy open v0
goal "Everything is allowed; only AEX's protection of itself refuses."
allow *
budget calls=50
`;

export const STRICT_POLICY = `policy strict v0
goal "Read and write files; no shell, no network."
allow file.read, file.write
deny shell.exec, network.*
`;

/** Protected files every project has, relative to the root. */
export const HOST_FILES = [
  '.aex/policy.aex',
  '.git/config',
  '.git/hooks/pre-commit',
  '.claude/settings.json',
  '.mcp.json',
  '.codex/config.toml',
  '.gemini/settings.json',
  '.cursor/hooks.json',
];

export interface GateProject {
  base: string;
  root: string;
  stateDir: string;
  env: NodeJS.ProcessEnv;
  /** The project's folder inside the state folder. */
  projectState: string;
  /** One hook payload (Claude Code PreToolUse). */
  payload(tool: string, input: Record<string, unknown>, extra?: Record<string, unknown>): string;
  /** Decides in process: { stdout, stderr, exitCode }. */
  gate(tool: string, input: Record<string, unknown>, extra?: Record<string, unknown>, args?: string[], env?: NodeJS.ProcessEnv): Promise<GateRun>;
  /** Decides through `node bin/aex.js gate` (a real process, as the host runs it). */
  spawnGate(stdin: string, args?: string[], env?: NodeJS.ProcessEnv): Promise<GateRun>;
  /** Bytes of every file under the root and the state folder (the state AEX must keep). */
  snapshot(): Map<string, string>;
  cleanup(): void;
}

export interface GateRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

function walk(dir: string, out: Map<string, string>): void {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.set(p, readFileSync(p, 'latin1'));
    else if (e.isSymbolicLink()) out.set(p, `-> ${statSync(p, { throwIfNoEntry: false })?.ino ?? 'dangling'}`);
  }
}

export function makeGateProject(policy: string = OPEN_POLICY): GateProject {
  const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-gate-attacks-')));
  const root = path.join(base, 'project');
  const stateDir = path.join(base, 'state');
  mkdirSync(stateDir);
  for (const d of ['.aex', '.git/hooks', '.claude', '.codex', '.gemini', '.cursor', 'src', 'notes']) mkdirSync(path.join(root, d), { recursive: true });
  writeFileSync(path.join(root, '.aex', 'policy.aex'), policy);
  writeFileSync(path.join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  writeFileSync(path.join(root, '.git', 'config'), '[core]\n\trepositoryformatversion = 0\n');
  writeFileSync(path.join(root, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\nexit 0\n');
  writeFileSync(path.join(root, '.claude', 'settings.json'), '{"hooks":{}}\n');
  writeFileSync(path.join(root, '.mcp.json'), '{"mcpServers":{}}\n');
  writeFileSync(path.join(root, '.codex', 'config.toml'), '# codex\n');
  writeFileSync(path.join(root, '.gemini', 'settings.json'), '{}\n');
  writeFileSync(path.join(root, '.cursor', 'hooks.json'), '{"version":1,"hooks":{}}\n');
  writeFileSync(path.join(root, 'src', 'a.ts'), 'export {};\n');
  writeFileSync(path.join(root, 'notes', 'n.md'), 'notes\n');
  const env: NodeJS.ProcessEnv = { ...process.env, AEX_STATE_DIR: stateDir };
  delete env.CLAUDE_PROJECT_DIR;
  const payload = (tool: string, input: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ session_id: 'attack-session', cwd: root, hook_event_name: 'PreToolUse', tool_name: tool, tool_input: input, ...extra });
  const p: GateProject = {
    base,
    root,
    stateDir,
    env,
    projectState: projectStateDirectory(root, env),
    payload,
    async gate(tool, input, extra = {}, args = [], e = env) {
      const r = await runGate(parseGateArgs(args), payload(tool, input, extra), root, e);
      return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
    },
    spawnGate(stdin, args = [], e = env) {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, 'gate', ...args], { cwd: root, env: e, stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ stdout, stderr, exitCode: code });
        });
        child.stdin.end(stdin);
      });
    },
    snapshot() {
      const out = new Map<string, string>();
      walk(root, out);
      walk(stateDir, out);
      return out;
    },
    cleanup() {
      rmSync(base, { recursive: true, force: true });
    },
  };
  return p;
}

/** The hook decision of a run: 'deny' | 'ask' | 'allow' | undefined (no JSON answer). */
export function verdictOf(r: GateRun): { decision?: string; reason?: string } {
  if (r.stdout.trim() === '') return {};
  const o = JSON.parse(r.stdout) as { hookSpecificOutput?: { permissionDecision?: string; permissionDecisionReason?: string } };
  return { decision: o.hookSpecificOutput?.permissionDecision, reason: o.hookSpecificOutput?.permissionDecisionReason };
}

const AUDIT = /[\\/]audit[\\/]gate-[^\\/]+\.jsonl$/;
const CACHE = /[\\/]cache[\\/][0-9a-f]{64}\.json$/;

/**
 * Files of `after` that differ from `before`. An audit log may only grow (each refusal is
 * recorded; earlier lines stay); a new cache entry is the gate's own. Nothing else may change.
 */
export function changedState(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [f, v] of before) {
    const now = after.get(f);
    if (AUDIT.test(f) ? !(now ?? '').startsWith(v) : now !== v) out.push(f);
  }
  for (const f of after.keys()) if (!before.has(f) && !AUDIT.test(f) && !CACHE.test(f)) out.push(f);
  return out;
}
