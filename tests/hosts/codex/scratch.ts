// A throw-away project for a real-client run: a git repository with the output of
// `aex init --policy --HOST` (and, when asked, the host's MCP configuration wrapped by
// `aex init --mcp`), plus a home folder and an AEX state folder of its own, so nothing the
// client or AEX writes lands in the real home. The caller removes `base`.

import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const AEX_BIN = path.join(REPO, 'bin', 'aex.js');
/** An MCP server (`read_file`, `run`) that logs every call it receives to the file named by its argument. */
export const RECORDING_SERVER = path.join(REPO, 'tests', 'hosts', 'codex', 'fixtures', 'recording-server.mjs');

export interface Scratch {
  base: string;
  project: string;
  home: string;
  stateDir: string;
  /** Environment for AEX and the client: home and state inside `base`. */
  env: NodeJS.ProcessEnv;
  remove(): void;
}

export interface ScratchOptions {
  host: 'codex' | 'gemini';
  /** Lines appended to .aex/policy.aex after `aex init --policy`. */
  policyLines?: string[];
  /** Rewrites the policy `aex init --policy` wrote (a smaller budget …). */
  policyEdit?: (text: string) => string;
  /** Writes the host's MCP configuration (before `aex init --mcp` wraps it). */
  mcpConfig?: (project: string) => void;
}

export function makeScratch(opts: ScratchOptions): Scratch {
  const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), `aex-${opts.host}-e2e-`)));
  const project = path.join(base, 'project');
  const home = path.join(base, 'home');
  const stateDir = path.join(base, 'state');
  for (const d of [project, home, stateDir]) mkdirSync(d, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, AEX_STATE_DIR: stateDir, XDG_STATE_HOME: path.join(home, '.local', 'state') };
  const aex = (...args: string[]) => execFileSync(process.execPath, [AEX_BIN, ...args], { cwd: project, env, encoding: 'utf8' });
  execFileSync('git', ['init', '-q'], { cwd: project, env });
  writeFileSync(path.join(project, 'README.md'), '# scratch\n');
  aex('init', '--policy', `--${opts.host}`);
  const policyFile = path.join(project, '.aex', 'policy.aex');
  if (opts.policyEdit !== undefined) writeFileSync(policyFile, opts.policyEdit(readFileSync(policyFile, 'utf8')));
  if (opts.policyLines !== undefined) appendFileSync(policyFile, ['', ...opts.policyLines, ''].join('\n'));
  if (opts.mcpConfig !== undefined) {
    opts.mcpConfig(project);
    aex('init', '--mcp');
  }
  return { base, project, home, stateDir, env, remove: () => rmSync(base, { recursive: true, force: true }) };
}

/** A folder of `aex` and `node` stand-ins that exit 0 silently (an allowing hook answer). */
export function fakeToolsDir(base: string): string {
  const dir = path.join(base, 'fake-bin');
  mkdirSync(dir, { recursive: true });
  for (const name of ['aex', 'node']) writeFileSync(path.join(dir, name), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return dir;
}
